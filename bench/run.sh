#!/usr/bin/env bash
# Builds and runs the benchmarks. Each prints its baseline and ratios to it.
#   bench/run.sh [--seconds S] [--threads N]   (store_bench's options; render_bench takes --runs,
#   ledger_bench --departments N --threads N --reads N, index_bench --published N,N --runs N)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${YUSUAN_BUILD_DIR:-$root/build}"
"$root/deploy/local/install-deps.sh" >/dev/null
[ -f "$build/CMakeCache.txt" ] || cmake -S "$root" -B "$build" >/dev/null
cmake --build "$build" --target store_bench render_bench ledger_bench index_bench -j"$(nproc)" >/dev/null
"$build/bench/store_bench" "$@"
"$build/bench/render_bench"
"$build/bench/ledger_bench"
"$build/bench/index_bench"
