#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test through ctest.
#   tests/run.sh                 the whole suite (unit + integration + short fuzz runs)
#   YUSUAN_SANITIZE=1 tests/run.sh   unit tests and fuzz runs under ASan/UBSan in build-asan/
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/deploy/local/install-deps.sh"
# ccache needs a cache directory even where HOME is not set (CI), and
# paths relative to the checkout so a fresh clone elsewhere hits the cache.
export CCACHE_DIR="${CCACHE_DIR:-${HOME:-/root}/.cache/ccache}"
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$root}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"

if [ "${YUSUAN_SANITIZE:-0}" = "1" ]; then
  build="${YUSUAN_BUILD_DIR:-$root/build-asan}"
  extra=(-DYUSUAN_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug)
  filter=(-LE integration)
  # Leaks inside system libraries (cairo, fontconfig) are not ours.
  export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
else
  build="${YUSUAN_BUILD_DIR:-$root/build}"
  extra=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
  filter=()
fi

# The fuzz targets (tests/fuzz/README.md) are clang binaries in a tree of
# their own; ctest of the main tree runs each over its seeds (label fuzz).
fuzz_build="${YUSUAN_FUZZ_BUILD_DIR:-$root/build-fuzz}"
cmake -S "$root" -B "$build" -DYUSUAN_BUILD_TESTS=ON -DYUSUAN_FUZZ_BUILD_DIR="$fuzz_build" "${extra[@]}" >/dev/null
echo "tests: building in $build"
cmake --build "$build" -j"$(nproc)"
cmake -S "$root" -B "$fuzz_build" -DCMAKE_CXX_COMPILER=clang++-14 -DYUSUAN_FUZZ=ON -DYUSUAN_BUILD_TESTS=OFF >/dev/null
echo "tests: building the fuzz targets in $fuzz_build"
cmake --build "$fuzz_build" --target yusuan_fuzzers -j"$(nproc)"
echo "tests: running ctest"
cd "$build"
ctest --output-on-failure -j"$(nproc)" --timeout 600 "${filter[@]}"
