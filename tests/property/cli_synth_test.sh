#!/usr/bin/env bash
# `yusuan synth` end to end, offline: N lines of JSON, the same bytes for the
# same seed (stdout and -o alike), other bytes for another seed, usage errors
# for a bad --year / --sector / missing --departments.
#   tests/property/cli_synth_test.sh BUILD_DIR
set -euo pipefail
bin="$1/bin/yusuan"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$bin" synth --departments 30 --seed 7 >"$work/a.ndjson" 2>"$work/a.err"
"$bin" synth --departments 30 --seed 7 -o "$work/b.ndjson" 2>/dev/null
"$bin" synth --departments=30 --seed=8 -o "$work/c.ndjson" 2>/dev/null

test "$(wc -l <"$work/a.ndjson")" -eq 30 || { echo "expected 30 lines"; exit 1; }
cmp "$work/a.ndjson" "$work/b.ndjson" || { echo "same seed, different bytes"; exit 1; }
if cmp -s "$work/a.ndjson" "$work/c.ndjson"; then echo "other seed, same bytes"; exit 1; fi
grep -q '30 份申报' "$work/a.err" || { echo "no summary on stderr"; cat "$work/a.err"; exit 1; }
# Every line is one JSON object with the three parts of a Filing.
while IFS= read -r line; do
  case "$line" in
    '{"department":{'*'"budget":{'*'"goals":{'*'}') ;;
    *) echo "not a filing line: ${line:0:120}"; exit 1 ;;
  esac
done <"$work/a.ndjson"

"$bin" synth --departments 3 --seed 1 --sector 206 --year 2021 >"$work/d.ndjson" 2>/dev/null
test "$(grep -c '"fiscalYear":2021' "$work/d.ndjson")" -eq 3 || { echo "--year not applied"; exit 1; }
test "$(grep -c '"agencyCode":"206' "$work/d.ndjson")" -eq 3 || { echo "--sector not applied"; exit 1; }

expect_usage() {
  set +e
  "$bin" synth "$@" >/dev/null 2>&1
  local rc=$?
  set -e
  test "$rc" -eq 2 || { echo "synth $* exited $rc, expected 2"; exit 1; }
}
expect_usage --seed 1
expect_usage --departments 2 --year 1999
expect_usage --departments 2 --sector 999
expect_usage --departments x
expect_usage --departments 2 --colour blue
echo "cli synth: ok"
