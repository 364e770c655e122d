#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test through ctest.
#   tests/run.sh                 the whole suite (unit + integration + short fuzz runs)
#   YUSUAN_SANITIZE=1 tests/run.sh   unit tests and fuzz runs under ASan/UBSan in build-asan/
#   YUSUAN_TSAN=1 tests/run.sh       unit and integration tests under ThreadSanitizer in
#                                    build-tsan/ (tests/README.md § ThreadSanitizer)
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
elif [ "${YUSUAN_TSAN:-0}" = "1" ]; then
  build="${YUSUAN_BUILD_DIR:-$root/build-tsan}"
  extra=(-DYUSUAN_TSAN=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo)
  # The unit and integration tests, the services those start built with
  # TSan too (tests/README.md § ThreadSanitizer): no fuzz runs (ASan builds
  # of another tree), no structure checks (scripts over the sources), and
  # not yet the property, golden, crash and end-to-end runs.
  filter=(-LE 'fuzz|structure|property|crash|e2e|golden')
  # Every process writes its reports to a file of its own, services a test
  # starts (whose stderr it keeps in a temporary log) included; sticky 1777
  # for services run as other users (up.sh), when ctest -L picks those.
  # history_size=7 (the most; default 2) keeps enough of each thread's past
  # for the far side of a report to be restored, so tsan.supp can match it:
  # a worker that finishes a call and goes on rendering the next report
  # outran history_size=6 (each step doubles TSan's per-thread history, and
  # the memory a busy thread holds for it).
  tsan_reports="$build/tsan-reports"
  rm -rf "$tsan_reports"
  mkdir -p "$tsan_reports"
  chmod 1777 "$tsan_reports"
  export TSAN_OPTIONS="suppressions=$root/tests/tsan.supp:log_path=$tsan_reports/tsan:second_deadlock_stack=1:ignore_noninstrumented_modules=1:history_size=7${TSAN_OPTIONS:+:$TSAN_OPTIONS}"
else
  build="${YUSUAN_BUILD_DIR:-$root/build}"
  extra=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
  filter=()
fi

# The fuzz targets (tests/fuzz/README.md) are clang binaries in a tree of
# their own; ctest of the main tree runs each over its seeds (label fuzz).
fuzz_build="${YUSUAN_FUZZ_BUILD_DIR:-$root/build-fuzz}"
[ "${YUSUAN_TSAN:-0}" = "1" ] && fuzz_build=""
cmake -S "$root" -B "$build" -DYUSUAN_BUILD_TESTS=ON -DYUSUAN_FUZZ_BUILD_DIR="$fuzz_build" "${extra[@]}" >/dev/null
echo "tests: building in $build"
cmake --build "$build" -j"$(nproc)"
if [ -n "$fuzz_build" ]; then
  cmake -S "$root" -B "$fuzz_build" -DCMAKE_CXX_COMPILER=clang++-14 -DYUSUAN_FUZZ=ON -DYUSUAN_BUILD_TESTS=OFF >/dev/null
  echo "tests: building the fuzz targets in $fuzz_build"
  cmake --build "$fuzz_build" --target yusuan_fuzzers -j"$(nproc)"
fi
echo "tests: running ctest"
cd "$build"
if [ "${YUSUAN_TSAN:-0}" != "1" ]; then
  ctest --output-on-failure -j"$(nproc)" --timeout 600 "${filter[@]}"
  exit
fi
status=0
ctest --output-on-failure -j"$(nproc)" --timeout 600 "${filter[@]}" || status=$?
# A report in a service the tests started fails no test by itself: each
# one counts here.
reports=("$tsan_reports"/tsan.*)
if [ -e "${reports[0]}" ]; then
  echo "tests: ThreadSanitizer wrote ${#reports[@]} report file(s) in $tsan_reports:"
  grep -h '^SUMMARY: ThreadSanitizer' "${reports[@]}" | sort | uniq -c | sort -rn
  status=1
else
  echo "tests: no ThreadSanitizer reports"
fi
exit "$status"
