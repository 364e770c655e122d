#!/usr/bin/env bash
# Configures (once) and builds Yusuan incrementally into $YUSUAN_BUILD_DIR.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
if [ ! -f "$YUSUAN_BUILD_DIR/CMakeCache.txt" ]; then
  cmake -S "$YUSUAN_ROOT" -B "$YUSUAN_BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
fi
echo "build: compiling into $YUSUAN_BUILD_DIR (incremental)…"
# Only what the services and the CLI need; tests/run.sh builds the tests.
log="$YUSUAN_BUILD_DIR/build.log"
# Progress: one line per finished target; the full log goes to $log.
if ! cmake --build "$YUSUAN_BUILD_DIR" -j"$(nproc)" --target yusuan_ledger yusuan_goals \
    yusuan_report yusuan_gateway yusuan_cli yusuan_probe 2>&1 | tee "$log" |
    { grep --line-buffered -E "Built target|error:" || true; } | sed -u "s/^/build: /"; then
  echo "build: failed; the whole log is $log" >&2
  exit 1
fi
echo "build: done"
