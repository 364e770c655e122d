#!/usr/bin/env bash
# Configures (once) and builds Yusuan incrementally into $YUSUAN_BUILD_DIR.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
if [ ! -f "$YUSUAN_BUILD_DIR/CMakeCache.txt" ]; then
  cmake -S "$YUSUAN_ROOT" -B "$YUSUAN_BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
fi
echo "build: compiling into $YUSUAN_BUILD_DIR (incremental)…"
cmake --build "$YUSUAN_BUILD_DIR" -j"$(nproc)" 2>&1 | grep -E "error|warning:|Error|Built target yusuan_(ledger|goals|report|gateway|cli)\b" || true
test "${PIPESTATUS[0]}" -eq 0
