#!/usr/bin/env bash
# One fuzz target for a while, as ctest runs it (README.md § CI):
#   run-fuzzer.sh FUZZER CORPUS WORK [SECONDS]
# FUZZER runs over the seeds in CORPUS for SECONDS (15); what it finds new
# goes to WORK/new, never into the committed corpus. A crash, a sanitizer
# report, a leak, an input slower than 10 s or a broken invariant ends the
# run with libFuzzer's non-zero status and the input in WORK (crash-…,
# timeout-…, leak-…), which this script prints in hex as well.
set -euo pipefail
fuzzer="$1" corpus="$2" work="$3" seconds="${4:-15}"
name="$(basename "$fuzzer" _fuzzer)"
dict="$(dirname "${BASH_SOURCE[0]}")/$name.dict"

rm -rf "$work"
mkdir -p "$work/new"
args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
  -artifact_prefix="$work/")
[ -f "$dict" ] && args+=(-dict="$dict")

status=0
"$fuzzer" "${args[@]}" "$work/new" "$corpus" || status=$?
if [ "$status" -ne 0 ]; then
  for found in "$work"/crash-* "$work"/timeout-* "$work"/leak-* "$work"/oom-* "$work"/slow-unit-*; do
    [ -f "$found" ] || continue
    echo "run-fuzzer: $name: input $found:"
    od -A d -c "$found" | head -40
  done
  echo "run-fuzzer: $name failed ($status); reproduce with: $fuzzer $work/crash-…" >&2
fi
exit "$status"
