#!/usr/bin/env bash
# The cost of fanning out (issue 16): a region-wide list, a roll-up and a
# read of one budget through a gateway over one shard that holds everything,
# against the same calls through a gateway over two shards, in the same run.
#   bench/shards.sh [--quick] [--departments N]
# Starts, on private ports with data in a temporary directory (always
# stopped and removed):
#   ONE    deploy/local/up.sh: ledger, goals, report and its gateway, every region;
#   NORTH  up.sh: the backends of every province the generator writes except Wuhan (4201);
#   SOUTH  up.sh: the backends of Wuhan, regions/4201;
#   a gateway over NORTH and SOUTH (--shard_map), started here. NORTH and
#   SOUTH have ONE's signing key and internal secret, so one token serves all.
# The same generated departments (yusuan synth --seed 7 --year 2021) are
# imported through ONE's gateway and through the sharded one, which sends
# each to its shard. Then yusuan-load (16 in flight) measures, path after
# path in turn so that drift meets both: the trivial call, ListDepartments
# regions/42 (a page of 100) over 1 and over 2 shards, regions/4201 over
# the sharded gateway (one shard, no merge), GetBudget and GetRollup
# regions/42/rollups/2021 over each. --quick: 300 departments, one 3 s run a
# path; otherwise 2,000 and the median of three 10 s runs.
# Prints a table with the ratio 2 shards ÷ 1 shard of each pair, writes it
# to bench/results/shards-<UTC time>.json, and appends rows (group
# "shards") to the file YUSUAN_BENCH_ROWS names (bench/result_rows.h).
# It builds nothing: the binaries must be in $YUSUAN_BUILD_DIR/bin (build/),
# as bench/run.sh or bench/stack.sh leave them.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${YUSUAN_BUILD_DIR:-$root/build}"
quick=0
departments=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --departments) departments="$2"; shift ;;
    *) echo "usage: bench/shards.sh [--quick] [--departments N]" >&2; exit 2 ;;
  esac
  shift
done
in_flight=16
if [ "$quick" = 1 ]; then
  seconds=3; repeats=1; departments="${departments:-300}"
else
  seconds=10; repeats=3; departments="${departments:-2000}"
fi
for tool in jq bc curl; do
  command -v "$tool" >/dev/null || { echo "bench/shards: needs $tool (deploy/local/install-deps.sh)" >&2; exit 1; }
done
for binary in yusuan-ledger yusuan-goals yusuan-report yusuan-gateway yusuan-probe yusuan yusuan-load; do
  if [ ! -x "$build/bin/$binary" ]; then
    echo "bench/shards: $build/bin/$binary is missing; build it first (bench/run.sh builds every target)" >&2
    exit 1
  fi
done
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench/shards: load average at start $load_start ($(nproc) cores)" >&2

work="$(mktemp -d /tmp/yusuan-bench-shards.XXXXXX)"
# up.sh runs the backends as their own users, who must be able to enter it.
chmod 755 "$work"
one="$work/one" north="$work/north" south="$work/south" sharded="$work/sharded"
mkdir -p "$one" "$north" "$south" "$sharded/access" "$work/build/bin"
chmod 755 "$one" "$north" "$south" "$work/build" "$work/build/bin"
# Every process of the run from the same binaries, even if build/ is
# rebuilt meanwhile: hard links keep the files as they are now (a linker
# writes a new file, it does not rewrite a running one).
for binary in yusuan-ledger yusuan-goals yusuan-report yusuan-gateway yusuan-probe yusuan yusuan-load; do
  ln "$build/bin/$binary" "$work/build/bin/$binary" 2>/dev/null || cp -p "$build/bin/$binary" "$work/build/bin/"
done
bin="$work/build/bin"
# Private ports: five in a row from a random base for each up.sh stack; the
# sharded gateway takes free ones (port 0) and writes them to files.
base=$((20000 + RANDOM % 30000))
declare -A port_base=([one]=$base [north]=$((base + 5)) [south]=$((base + 10)))
declare -A dir=([one]=$one [north]=$north [south]=$south)
sharded_pid=""
outer_rows="${YUSUAN_BENCH_ROWS:-}"
stop() {
  if [ -n "$sharded_pid" ]; then
    kill "$sharded_pid" 2>/dev/null || true
    wait "$sharded_pid" 2>/dev/null || true
  fi
  for stack in one north south; do
    YUSUAN_BUILD_DIR="$work/build" YUSUAN_DATA="${dir[$stack]}" "$root/deploy/local/down.sh" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap stop EXIT

up() {  # stack name: deploy/local/up.sh on its ports and data
  local p=${port_base[$1]}
  YUSUAN_BUILD_DIR="$work/build" YUSUAN_DATA="${dir[$1]}" YUSUAN_GRPC_PORT=$p YUSUAN_HTTP_PORT=$((p + 1)) \
    YUSUAN_LEDGER_PORT=$((p + 2)) YUSUAN_GOALS_PORT=$((p + 3)) YUSUAN_REPORT_PORT=$((p + 4)) \
    "$root/deploy/local/up.sh" >/dev/null
}
address() { echo "127.0.0.1:$((${port_base[$1]} + $2))"; }  # stack, offset (0 gateway, 2 ledger, 3 goals, 4 report)

up one
# The shards share ONE's signing key and internal secret (modes and owners kept).
for stack in north south; do
  cp -a "$one/keys" "$one/secrets" "${dir[$stack]}/"
  up "$stack"
done
key="$one/keys/token-signing.key"
secret="$one/secrets/internal.secret"

# The departments, and the map: Wuhan (4201) to SOUTH, every other province
# the generator writes (tools/synth/profiles.cc Districts()) to NORTH, so
# that every filing has a shard.
"$bin/yusuan" synth --departments "$departments" --seed 7 --year 2021 -o "$work/synth.ndjson" 2>/dev/null
jq -r '.budget.name' "$work/synth.ndjson" >"$work/names.txt"
provinces=$( (printf '%s\n' 42 43 32 51 33 41 36; cut -d/ -f2 "$work/names.txt" | cut -c1-2) | sort -u |
  jq -Rsc 'split("\n") | map(select(. != ""))')
jq -n --argjson north "$provinces" --arg nl "$(address north 2)" --arg ng "$(address north 3)" \
  --arg nr "$(address north 4)" --arg sl "$(address south 2)" --arg sg "$(address south 3)" \
  --arg sr "$(address south 4)" '{shards: [
    {name: "north", regions: $north, ledger: $nl, goals: $ng, report: $nr},
    {name: "south", regions: ["4201"], ledger: $sl, goals: $sg, report: $sr}]}' >"$sharded/shards.json"
echo "bench/shards: shard map $(jq -c '.shards | map({(.name): .regions}) | add' "$sharded/shards.json")" >&2
"$bin/yusuan-gateway" --grpc_port=0 --http_port=0 --port_file="$sharded/port" --http_port_file="$sharded/http_port" \
  --signing_key_file="$key" --internal_secret_file="$secret" --shard_map="$sharded/shards.json" \
  --access_log_file="$sharded/access/access.log" >>"$sharded/gateway.log" 2>&1 &
sharded_pid=$!
for _ in $(seq 300); do
  [ -s "$sharded/port" ] && [ -s "$sharded/http_port" ] && break
  kill -0 "$sharded_pid" 2>/dev/null || break
  sleep 0.1
done
if ! [ -s "$sharded/port" ] || ! "$bin/yusuan-probe" --address "127.0.0.1:$(cat "$sharded/port")" --wait_ms 30000 \
  >/dev/null; then
  echo "bench/shards: the sharded gateway did not start; its log:" >&2
  tail -n 20 "$sharded/gateway.log" >&2
  exit 1
fi
one_gateway=$(address one 0)
two_gateway="127.0.0.1:$(cat "$sharded/port")"

token() { "$bin/yusuan" admin token create --role "$1" --scope regions/ --ttl 2h --subject bench --key "$key" 2>/dev/null; }
integrator=$(token integrator)
reviewer=$(token reviewer)
cli() { "$bin/yusuan" --gateway "$1" --token "$2" "${@:3}"; }

echo "bench/shards: importing $departments generated departments through each gateway" >&2
for target in "ONE (1 shard)|$one_gateway" "sharded (2 shards)|$two_gateway"; do
  started=$EPOCHREALTIME
  if ! cli "${target#*|}" "$integrator" import -f "$work/synth.ndjson" >"$work/import.log" 2>&1; then
    echo "bench/shards: the import through ${target%%|*} failed:" >&2
    tail -n 20 "$work/import.log" >&2
    exit 1
  fi
  echo "bench/shards: imported through ${target%%|*} in $(echo "$EPOCHREALTIME - $started" | bc | cut -c1-6) s" >&2
done

# Where the departments of regions/42 went: each shard asked through its own
# up.sh gateway (every page), and both gateways under test.
count() { cli "$1" "$reviewer" get "$2" | jq '.departments | length'; }
expected_42=$(grep -c '^regions/42' "$work/names.txt" || true)
expected_4201=$(grep -c '^regions/4201' "$work/names.txt" || true)
declare -A counted=(
  [one]=$(count "$one_gateway" regions/42) [sharded]=$(count "$two_gateway" regions/42)
  [north]=$(count "$(address north 0)" regions/42) [south]=$(count "$(address south 0)" regions/42)
)
# Everything each shard holds: every prefix of the map, asked of its own gateway.
for stack in north south; do
  total=0
  for prefix in $(jq -r --arg s "$stack" '.shards[] | select(.name == $s) | .regions[]' "$sharded/shards.json"); do
    total=$((total + $(count "$(address "$stack" 0)" "regions/$prefix")))
  done
  counted[${stack}_all]=$total
done
echo "bench/shards: regions/42 holds $expected_42 of the $departments generated departments ($expected_4201 in" \
  "Wuhan 4201); listed: ONE ${counted[one]}, sharded gateway ${counted[sharded]}, NORTH ${counted[north]}," \
  "SOUTH ${counted[south]} (NORTH holds ${counted[north_all]} in all, SOUTH ${counted[south_all]})" >&2
if [ "${counted[one]}" != "$expected_42" ] || [ "${counted[sharded]}" != "$expected_42" ] ||
   [ "$((counted[north] + counted[south]))" != "$expected_42" ] || [ "${counted[south]}" != "$expected_4201" ]; then
  echo "bench/shards: the departments are not where the map puts them" >&2
  exit 1
fi
if [ $((counted[south] * 5)) -lt "$expected_42" ] || [ $((counted[north] * 5)) -lt "$expected_42" ]; then
  echo "bench/shards: NOTE: one shard holds under a fifth of regions/42: the fan-out is lopsided" >&2
fi
# The shards' own gateways were for counting only: stopped, so that the
# two-shard setup under load is its gateway and six backends.
for stack in north south; do
  pid=$(cat "${dir[$stack]}/run/gateway.pid")
  running() { [ -r "/proc/$pid/stat" ] && [ "$(sed -e 's/^.*) //' "/proc/$pid/stat" | cut -d' ' -f1)" != Z ]; }
  kill "$pid"
  for _ in $(seq 100); do running || break; sleep 0.1; done
  if running; then kill -KILL "$pid"; fi
  rm -f "${dir[$stack]}/run/gateway.pid"
done

# The first page of each list, over REST: keys sort by region code, so the
# first 100 of regions/42 may all be Wuhan's; the merge then takes all of
# the page from SOUTH and discards NORTH's.
first_page() {  # gateway's HTTP port, region
  curl -sf -H "Authorization: Bearer $reviewer" "http://127.0.0.1:$1/v1/regions/$2/departments?page_size=100" |
    jq -r '.departments[].name' | md5sum | cut -c1-12
}
page_one=$(first_page "$((port_base[one] + 1))" 42)
page_two=$(first_page "$(cat "$sharded/http_port")" 42)
page_south=$(first_page "$(cat "$sharded/http_port")" 4201)
first_100_in_4201=$(grep '^regions/42' "$work/names.txt" | sort | head -100 | grep -c '^regions/4201' || true)
echo "bench/shards: first page of 100: regions/42 over 1 shard $page_one, over 2 shards $page_two," \
  "regions/4201 over 2 shards $page_south (the same names when equal); $first_100_in_4201 of the first 100" \
  "names of regions/42 are Wuhan's" >&2
[ "$page_one" = "$page_two" ] || { echo "bench/shards: the merged first page differs from ONE's" >&2; exit 1; }

budget=$(grep -m1 '^regions/4201' "$work/names.txt")
rollup=regions/42/rollups/2021
# path name | pair key (the same key for a pair's two rows) | shards | gateway | method | request
paths=(
  "trivial (health Check), ONE's gateway|trivial|0|$one_gateway|/grpc.health.v1.Health/Check|{}"
  "ListDepartments regions/42 (page 100)|list42|1|$one_gateway|/yusuan.gateway.v1.PublicApi/ListDepartments|{\"parent\":\"regions/42\",\"pageSize\":100}"
  "ListDepartments regions/42 (page 100)|list42|2|$two_gateway|/yusuan.gateway.v1.PublicApi/ListDepartments|{\"parent\":\"regions/42\",\"pageSize\":100}"
  "ListDepartments regions/4201 (page 100, SOUTH only)|list4201|2|$two_gateway|/yusuan.gateway.v1.PublicApi/ListDepartments|{\"parent\":\"regions/4201\",\"pageSize\":100}"
  "GetBudget (a Wuhan department)|get|1|$one_gateway|/yusuan.gateway.v1.PublicApi/GetBudget|{\"name\":\"$budget\"}"
  "GetBudget (a Wuhan department)|get|2|$two_gateway|/yusuan.gateway.v1.PublicApi/GetBudget|{\"name\":\"$budget\"}"
  "GetRollup regions/42/rollups/2021|rollup|1|$one_gateway|/yusuan.gateway.v1.PublicApi/GetRollup|{\"name\":\"$rollup\"}"
  "GetRollup regions/42/rollups/2021|rollup|2|$two_gateway|/yusuan.gateway.v1.PublicApi/GetRollup|{\"name\":\"$rollup\"}"
)
echo "bench/shards: measuring, $in_flight in flight, $repeats × ${seconds} s a path, the paths in turn" >&2
declare -A runs
for repeat in $(seq "$repeats"); do
  for i in "${!paths[@]}"; do
    IFS='|' read -r name pair shards target method request <<<"${paths[$i]}"
    bearer=()
    [ "$pair" != trivial ] && bearer=(--token "$reviewer")
    runs[$i]+="$("$bin/yusuan-load" --target "$target" --method "$method" "${bearer[@]}" --in_flight "$in_flight" \
      --seconds "$seconds" --warmup_seconds 1 --json --request_json_text "$request")"$'\n'
  done
  echo "bench/shards: round $repeat of $repeats done" >&2
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

rows="[]"
for i in "${!paths[@]}"; do
  IFS='|' read -r name pair shards target method request <<<"${paths[$i]}"
  summary=$(jq -s --arg name "$name" --arg pair "$pair" --argjson shards "$shards" '
    (map(.calls_per_second) | sort) as $rates
    | (sort_by(.calls_per_second) | .[length / 2 | floor]) as $median
    | {path: $name, pair: $pair, shards: $shards, calls_per_second: $median.calls_per_second,
       min: $rates[0], max: $rates[-1], p50_ms: ($median.latency_us.p50 / 1000),
       p99_ms: ($median.latency_us.p99 / 1000), errors: (map(.calls - .ok) | add),
       error_messages: (map(.errors | to_entries[] | "\(.key): \(.value.first_message)") | unique),
       response_bytes: $median.mean_response_bytes}' <<<"${runs[$i]}")
  rows=$(jq --argjson row "$summary" '. + [$row]' <<<"$rows")
done
# Each 2-shard figure against the 1-shard one of its pair; regions/4201
# (one shard through the sharded gateway) against regions/42 through ONE,
# which is the same page when the first 100 of regions/42 are Wuhan's.
rows=$(jq '
  (map(select(.shards == 1)) | map({(.pair): .}) | add) as $one
  | map(if .shards == 2 then
          (if .pair == "list4201" then $one.list42 else $one[.pair] end) as $base
          | . + {baseline: "\($base.path), 1 shard", baseline_value: $base.calls_per_second,
                 ratio: (.calls_per_second / $base.calls_per_second)}
        else . end)' <<<"$rows")

printf '%-52s %6s %9s %13s %8s %8s %6s %9s %7s\n' path shards "calls/s" "(min-max)" "p50 ms" "p99 ms" errors bytes \
  "2÷1" >&2
jq -r '.[] | [.path, (if .shards == 0 then "-" else .shards end), (.calls_per_second | floor),
        "\(.min | floor)-\(.max | floor)", (.p50_ms * 100 | round / 100), (.p99_ms * 100 | round / 100), .errors,
        (.response_bytes | floor), (if .ratio then "\(.ratio * 1000 | round / 1000)x" else "" end)] | @tsv' \
  <<<"$rows" | awk -F'\t' '{printf "%-52s %6s %9s %13s %8s %8s %6s %9s %7s\n", $1,$2,$3,$4,$5,$6,$7,$8,$9}' >&2
jq -r '.[] | select(.errors > 0) | "bench/shards: \(.path), \(.shards) shard(s): \(.errors) errors: \(.error_messages | join("; "))"' \
  <<<"$rows" >&2
echo "bench/shards: load average at start $load_start, at end $load_end" >&2

results="$root/bench/results"
mkdir -p "$results"
out="$results/shards-$(date -u +%Y%m%dT%H%M%SZ).json"
jq -n --argjson rows "$rows" --argjson quick "$quick" --argjson departments "$departments" \
  --argjson in_flight "$in_flight" --argjson seconds "$seconds" --argjson repeats "$repeats" \
  --arg load_start "$load_start" --arg load_end "$load_end" --argjson cores "$(nproc)" \
  --argjson map "$(cat "$sharded/shards.json")" \
  --argjson counts "$(jq -n --argjson r42 "$expected_42" --argjson r4201 "$expected_4201" \
    --argjson north "${counted[north]}" --argjson south "${counted[south]}" \
    --argjson north_all "${counted[north_all]}" --argjson south_all "${counted[south_all]}" \
    '{regions_42: $r42, regions_4201: $r4201, north_42: $north, south_42: $south, north_all: $north_all,
      south_all: $south_all}')" \
  '{quick: ($quick == 1), departments: $departments, in_flight: $in_flight, seconds: $seconds, repeats: $repeats,
    cores: $cores, load_average_start: $load_start, load_average_end: $load_end, shard_map: $map,
    counts: $counts, rows: $rows}' >"$out"
if [ -n "$outer_rows" ]; then
  jq -c --argjson n "$departments" --argjson flight "$in_flight" '.[] | select(.shards == 2) |
    {group: "shards", path: "\(.path), 2 shards, \($flight) in flight", value: .calls_per_second, unit: "calls/s",
     higher_is_better: true, baseline: "\(.baseline), \($flight) in flight", baseline_value: .baseline_value,
     ratio: .ratio, min: .min, max: .max, p50_ms: .p50_ms, p99_ms: .p99_ms, errors: .errors,
     departments: $n}' <<<"$rows" >>"$outer_rows"
fi
echo "bench/shards: table in $out" >&2
