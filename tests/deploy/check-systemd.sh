#!/usr/bin/env bash
# ctest deploy.systemd: `systemd-analyze verify` on the units of
# deploy/systemd, with the install prefix pointed at the build's binaries
# (verify refuses a unit whose program does not exist). Any complaint fails
# the test. Skipped (exit 77) where systemd-analyze is missing.
# Usage: check-systemd.sh SOURCE_DIR BIN_DIR
set -euo pipefail
source_dir=$1
bin_dir=$2
if ! command -v systemd-analyze >/dev/null; then
  echo "deploy.systemd: SKIPPED: systemd-analyze is not installed (package systemd)"
  exit 77
fi
units=$(mktemp -d)
trap 'rm -rf "$units"' EXIT
for unit in "$source_dir"/deploy/systemd/*.service "$source_dir"/deploy/systemd/*.target; do
  sed "s|/opt/yusuan/bin|$bin_dir|g; s|/opt/yusuan/share/catalogue|$source_dir/data/catalogue|g" "$unit" \
    >"$units/$(basename "$unit")"
done
complaints=$(cd "$units" && systemd-analyze verify ./*.service ./*.target 2>&1) || {
  echo "$complaints"
  echo "deploy.systemd: systemd-analyze verify failed"
  exit 1
}
if [ -n "$complaints" ]; then
  echo "$complaints"
  echo "deploy.systemd: systemd-analyze verify complained"
  exit 1
fi
echo "deploy.systemd: $(ls "$units" | wc -l) units verify"
