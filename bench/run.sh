#!/usr/bin/env bash
# Every benchmark in one run, each against its baseline measured in the same
# run, and one table of them all at the end (also written as JSON to
# bench/results/run-<UTC time>.json, not kept in the tree).
#   bench/run.sh [--quick]
# --quick: shorter runs and fewer generated departments (under 10 minutes on
# 2 cores once built); otherwise the full sizes. The benchmarks' own tables
# are printed as they run; bench/README.md says what each measures.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${YUSUAN_BUILD_DIR:-$root/build}"
quick=0
case "${1:-}" in
  --quick) quick=1 ;;
  "") ;;
  *) echo "usage: bench/run.sh [--quick]" >&2; exit 2 ;;
esac
"$root/deploy/local/install-deps.sh" >/dev/null
# RelWithDebInfo: -O2, as the services are built and deployed.
[ -f "$build/CMakeCache.txt" ] || cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
echo "bench/run: building the benchmarks and the services in $build" >&2
cmake --build "$build" -j"$(nproc)" --target store_bench render_bench ledger_bench index_bench \
  apply_domain_bench publication_bench yusuan_ledger yusuan_goals yusuan_report yusuan_gateway yusuan_cli yusuan_probe yusuan_load \
  >/dev/null

results="$root/bench/results"
mkdir -p "$results"
export YUSUAN_BENCH_ROWS
YUSUAN_BENCH_ROWS="$(mktemp /tmp/yusuan-bench-rows.XXXXXX)"
trap 'rm -f "$YUSUAN_BENCH_ROWS"' EXIT
started=$SECONDS
if [ "$quick" = 1 ]; then
  "$build/bench/store_bench" --seconds 1
  "$build/bench/render_bench" --runs 3
  "$build/bench/ledger_bench" --departments 300 --reads 200
  "$build/bench/index_bench" --published 100,500 --runs 3
  "$build/bench/apply_domain_bench" --calls 500 --runs 3
  "$root/bench/stack.sh" --quick
else
  "$build/bench/store_bench" --seconds 3
  "$build/bench/render_bench" --runs 9
  "$build/bench/ledger_bench" --departments 2000
  "$build/bench/index_bench" --published 100,2000 --runs 5
  "$build/bench/apply_domain_bench" --calls 2000 --runs 5
  "$root/bench/stack.sh"
  # A province on one box: the same paths with ten times the departments
  # stored (16 in flight; publication day is the 2,000-department region's).
  "$root/bench/stack.sh" --departments 20000 --in-flight 16 --no-publication-day
  "$root/bench/shards.sh"
fi

# Growth with the data: each path of the stack at 16 in flight, with the
# most departments stored against the fewest, when the run had both.
jq -sc 'map(select(.group == "stack" and .departments != null and .unit == "calls/s"
                   and (.path | test(", 16 in flight$"))))
  | group_by(.path)[] | select(length > 1) | sort_by(.departments) | {low: .[0], high: .[-1]}
  | {group: "growth", path: "\(.high.path) with \(.high.departments) departments stored",
     value: .high.value, unit: "calls/s", higher_is_better: true,
     baseline: "the same with \(.low.departments)", baseline_value: .low.value,
     ratio: (.high.value / .low.value)}' "$YUSUAN_BENCH_ROWS" >"$YUSUAN_BENCH_ROWS.growth"
cat "$YUSUAN_BENCH_ROWS.growth" >>"$YUSUAN_BENCH_ROWS"
rm -f "$YUSUAN_BENCH_ROWS.growth"

# ApplyFiling against the durable write it needs at least: the Store's
# group-committed synced write of about a filing's bytes (store_bench, this
# run, 16 writers), at 16 in flight; and against RocksDB's raw write path
# (a WriteBatch not synced, 16 writers), what an apply could be at most.
store_write=$(jq -r 'select(.group == "store" and (.path | test("16 threads")) and (.baseline | test("synced Put")))
  | .value' "$YUSUAN_BENCH_ROWS")
raw_batch=$(jq -r 'select(.group == "store" and (.baseline | test("not synced, 16 threads"))) | .baseline_value' \
  "$YUSUAN_BENCH_ROWS")
# The fewest departments' run, when there were two.
apply_16=$(jq -sr 'map(select(.group == "stack" and (.path | test("^ApplyFiling.*, 16 in flight"))))
  | sort_by(.departments) | .[0].value // empty' "$YUSUAN_BENCH_ROWS")
if [ -n "$store_write" ] && [ -n "$apply_16" ]; then
  jq -nc --argjson value "$apply_16" --argjson base "$store_write" '{group: "stack",
    path: "ApplyFiling (a department each), 16 in flight", value: $value, unit: "calls/s", higher_is_better: true,
    baseline: "Store group-committed synced 13 KB write, 16 threads", baseline_value: $base,
    ratio: ($value / $base)}' >>"$YUSUAN_BENCH_ROWS"
fi
if [ -n "$raw_batch" ] && [ -n "$apply_16" ]; then
  jq -nc --argjson value "$apply_16" --argjson base "$raw_batch" '{group: "stack",
    path: "ApplyFiling (a department each), 16 in flight", value: $value, unit: "calls/s", higher_is_better: true,
    baseline: "RocksDB WriteBatch of 13 KB not synced, 16 threads", baseline_value: $base,
    ratio: ($value / $base)}' >>"$YUSUAN_BENCH_ROWS"
fi

out="$results/run-$(date -u +%Y%m%dT%H%M%SZ).json"
jq -s --argjson quick "$quick" --argjson seconds "$((SECONDS - started))" \
  '{quick: ($quick == 1), seconds: $seconds, rows: .}' "$YUSUAN_BENCH_ROWS" >"$out"
echo
echo "bench/run: every path against its baseline, same run ($((SECONDS - started)) s; ratio = Yusuan / baseline," \
  "in the row's unit: above 1 is better for a rate, below 1 for a time)"
jq -r '.rows[] | [.group, .path + (if .departments then " [\(.departments) depts]" else "" end), (.value * 100 | round / 100 | tostring) + " " + .unit,
  .baseline, (.baseline_value * 100 | round / 100 | tostring), (.ratio * 1000 | round / 1000 | tostring) + "x"] | @tsv' \
  "$out" | awk -F'\t' 'BEGIN {printf "%-7s %-72s %20s   %-58s %12s %9s\n", "group", "path", "Yusuan", "baseline", "", "ratio"}
  {printf "%-7s %-72s %20s   %-58s %12s %9s\n", $1, $2, $3, $4, $5, $6}'
echo "bench/run: table in $out"
