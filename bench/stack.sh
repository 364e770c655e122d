#!/usr/bin/env bash
# The public paths as a client meets them: each measured through the
# gateway by yusuan-load (bench/load/) against the trivial call — the
# gateway's own grpc.health.v1 Check, no token, no backend — at the same
# number of calls in flight, in the same run, on a stack this script starts
# on private ports with a fresh data directory (and always stops).
#   bench/stack.sh [--quick] [--departments N] [--in-flight N[,N…]] [--no-publication-day]
# --quick: 16 in flight, one 3 s run per path, 300 generated departments;
# otherwise 1, 16 and 64 in flight, the median of three 10 s runs (min and
# max shown), 2,000 departments. Each read is also set against its floor:
# the same calls answered with as many bytes from memory by
# yusuan-sized-answer, one hop and no work. Prints one table and writes it
# as JSON to bench/results/stack-<UTC time>.json. After the gRPC paths, the same calls
# over REST (wrk, HTTP/1.1 keep-alive, as many connections as calls in
# flight) against their gRPC figure of the run. Then publication day: every
# generated department submitted, approved and published in every format,
# the publishing timed as one batch, against drawing the pages of the
# published PDFs with pango and cairo alone (publication_bench).
# Every row carries the number of departments stored, so bench/run.sh can
# set runs with different numbers side by side.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${YUSUAN_BUILD_DIR:-$root/build}"
quick=0
departments=""
in_flight_list=""
publication_day=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --departments) departments="$2"; shift ;;
    --in-flight) in_flight_list="$2"; shift ;;
    --no-publication-day) publication_day=0 ;;
    *) echo "usage: bench/stack.sh [--quick] [--departments N] [--in-flight N[,N…]] [--no-publication-day]" >&2
       exit 2 ;;
  esac
  shift
done
if [ "$quick" = 1 ]; then
  in_flight=(16); seconds=3; repeats=1; departments="${departments:-300}"
else
  in_flight=(1 16 64); seconds=10; repeats=3; departments="${departments:-2000}"
fi
[ -n "$in_flight_list" ] && IFS=, read -r -a in_flight <<<"$in_flight_list"

"$root/deploy/local/install-deps.sh" >/dev/null
[ -f "$build/CMakeCache.txt" ] || cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" --target yusuan_ledger yusuan_goals yusuan_report yusuan_gateway yusuan_cli \
  yusuan_probe yusuan_load yusuan_sized_answer publication_bench >/dev/null
bin="$build/bin"

# Private ports (five in a row from a random base) and data.
base=$((20000 + RANDOM % 30000))
export YUSUAN_BUILD_DIR="$build" YUSUAN_DATA
YUSUAN_DATA="$(mktemp -d /tmp/yusuan-bench-stack.XXXXXX)"
# up.sh runs the backends as their own users, who must be able to enter it.
chmod 755 "$YUSUAN_DATA"
export YUSUAN_GRPC_PORT=$base YUSUAN_HTTP_PORT=$((base + 1)) YUSUAN_LEDGER_PORT=$((base + 2))
export YUSUAN_GOALS_PORT=$((base + 3)) YUSUAN_REPORT_PORT=$((base + 4))
# The floor of each read: its request answered with as many bytes from
# memory by yusuan-sized-answer, on this port.
floor_port=$((base + 5))
gateway="127.0.0.1:$YUSUAN_GRPC_PORT"
# This run's rows for bench/run.sh are gathered here, and handed on at the
# end with the number of departments stored.
outer_rows="${YUSUAN_BENCH_ROWS:-}"
if [ -n "$outer_rows" ]; then
  YUSUAN_BENCH_ROWS="$(mktemp /tmp/yusuan-stack-rows.XXXXXX)"
  export YUSUAN_BENCH_ROWS
fi
stop() {
  if [ -f "$YUSUAN_DATA/sized-answer.pid" ]; then kill "$(cat "$YUSUAN_DATA/sized-answer.pid")" 2>/dev/null || true; fi
  "$root/deploy/local/down.sh" >/dev/null 2>&1 || true
  rm -rf "$YUSUAN_DATA"
  if [ -n "$outer_rows" ]; then rm -f "$YUSUAN_BENCH_ROWS"; fi
}
trap stop EXIT

started=$EPOCHREALTIME
"$root/deploy/local/up.sh" >/dev/null
start_seconds=$(echo "$EPOCHREALTIME - $started" | bc)
services=(ledger goals report gateway)
# A service's resident memory (kB): VmRSS now, or VmHWM, its peak.
memory_kb() { awk -v field="$2:" '$1 == field {print $2}' "/proc/$(cat "$YUSUAN_DATA/run/$1.pid")/status"; }
declare -A idle_kb
for service in "${services[@]}"; do idle_kb[$service]=$(memory_kb "$service" VmRSS); done
key="$YUSUAN_DATA/keys/token-signing.key"
token() { "$bin/yusuan" admin token create --role "$1" --scope regions/ --ttl 2h --subject bench --key "$key" 2>/dev/null; }
integrator=$(token integrator)
reviewer=$(token reviewer)
cli() { "$bin/yusuan" --gateway "$gateway" --token "$1" "${@:2}"; }

echo "bench/stack: stack up in ${start_seconds}s; loading the reference department and $departments generated ones" >&2
reference=regions/420107/departments/005001022/budgets/2021
cli "$integrator" apply -f "$root/data/samples/qingshan-kexie-2021.json" >/dev/null
cli "$integrator" submit "$reference" >/dev/null
cli "$reviewer" approve "$reference" >/dev/null
cli "$reviewer" publish "$reference" >/dev/null
"$bin/yusuan" synth --departments "$departments" --seed 7 --year 2021 -o "$YUSUAN_DATA/synth.ndjson" 2>/dev/null
cli "$integrator" import -f "$YUSUAN_DATA/synth.ndjson" >/dev/null 2>&1
# A reviewer's queue: 20 of them submitted, the rest drafts.
for name in $(jq -r '.budget.name' "$YUSUAN_DATA/synth.ndjson" | head -20); do
  cli "$integrator" submit "$name" >/dev/null
done
# What the loaded departments take on disk (the logs and keys aside), before
# the runs add revisions.
declare -A disk_bytes
for service in ledger goals report; do disk_bytes[$service]=$(du -sb "$YUSUAN_DATA/$service" | cut -f1); done
# ApplyFiling's requests: a generated department each (seed 8: others than
# the imported ones), in turn, so calls do not contend for one budget.
apply_lines="$YUSUAN_DATA/apply.ndjson"
"$bin/yusuan" synth --departments "$departments" --seed 8 --year 2021 -o "$YUSUAN_DATA/apply-synth.ndjson" 2>/dev/null
jq -c '{filing: .}' "$YUSUAN_DATA/apply-synth.ndjson" >"$apply_lines"

# One run of yusuan-load: its JSON object.
load() {  # in_flight, method, token, request json text (or @file), [vary field], [target]
  local request=(--request_json_text "$4")
  [ "${4:0:1}" = "@" ] && request=(--request_json "${4:1}")
  [ "${4:0:1}" = "%" ] && request=(--request_json_lines "${4:1}")
  local vary=()
  [ -n "${5:-}" ] && vary=(--vary_field "$5")
  "$bin/yusuan-load" --target "${6:-$gateway}" --method "$2" --token "$3" --in_flight "$1" --seconds "$seconds" \
    --warmup_seconds 1 --json "${request[@]}" "${vary[@]}"
}

# The floor of a read: the same calls (method, token, request) to
# yusuan-sized-answer, which answers each with `bytes` bytes from memory and
# does nothing else; the median rate of its runs. (Called in a subshell:
# the server's pid is in a file, for stop() should the run be cut short.)
sized_floor() {  # in_flight, method, token, request, bytes
  "$bin/yusuan-sized-answer" --port "$floor_port" --answer_bytes "$5" >>"$YUSUAN_DATA/sized-answer.log" 2>&1 &
  local pid=$!
  echo "$pid" >"$YUSUAN_DATA/sized-answer.pid"
  "$bin/yusuan-probe" --address "127.0.0.1:$floor_port" --wait_ms 10000 >/dev/null
  local runs=() _
  for _ in $(seq "$repeats"); do
    runs+=("$(load "$1" "$2" "$3" "$4" "" "127.0.0.1:$floor_port" | jq .calls_per_second)")
  done
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  rm -f "$YUSUAN_DATA/sized-answer.pid"
  printf '%s\n' "${runs[@]}" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'
}

# path name, method, token, request, vary field
paths=(
  "trivial (health Check)|/grpc.health.v1.Health/Check||{}|"
  "GetBudget|/yusuan.gateway.v1.PublicApi/GetBudget|$reviewer|{\"name\":\"$reference\"}|"
  "ListDepartments (page 100)|/yusuan.gateway.v1.PublicApi/ListDepartments|$reviewer|{\"parent\":\"regions/42\",\"pageSize\":100}|"
  "ListDepartments (page 100, basic view)|/yusuan.gateway.v1.PublicApi/ListDepartments|$reviewer|{\"parent\":\"regions/42\",\"pageSize\":100,\"view\":\"DEPARTMENT_VIEW_BASIC\"}|"
  "ListSubmissions (queue of 20)|/yusuan.gateway.v1.PublicApi/ListSubmissions|$reviewer|{\"parent\":\"regions/42\"}|"
  "GetPublished (the HTML)|/yusuan.gateway.v1.PublicApi/GetPublished|$reviewer|{\"budgetName\":\"$reference\",\"format\":\"FORMAT_HTML\"}|"
  "ListPublished (public index)|/yusuan.gateway.v1.PublicApi/ListPublished|$reviewer|{\"region\":\"42\",\"pageSize\":100}|"
  "RenderReport HTML (cached)|/yusuan.gateway.v1.PublicApi/RenderReport|$reviewer|{\"name\":\"$reference\",\"format\":\"FORMAT_HTML\"}|"
  "ApplyFiling (a department each)|/yusuan.gateway.v1.PublicApi/ApplyFiling|$integrator|%$apply_lines|request_id"
)

results="$root/bench/results"
mkdir -p "$results"
out="$results/stack-$(date -u +%Y%m%dT%H%M%SZ).json"
rows="[]"
printf '%-30s %5s %12s %18s %9s %9s %7s %8s\n' path "in" "calls/s" "(min-max)" "p50 ms" "p99 ms" errors "ratio" >&2
for flight in "${in_flight[@]}"; do
  baseline=""
  for entry in "${paths[@]}"; do
    IFS='|' read -r name method bearer request vary <<<"$entry"
    runs=()
    for _ in $(seq "$repeats"); do runs+=("$(load "$flight" "$method" "$bearer" "$request" "$vary")"); done
    summary=$(printf '%s\n' "${runs[@]}" | jq -s --arg name "$name" --argjson flight "$flight" '
      (map(.calls_per_second) | sort) as $rates
      | (sort_by(.calls_per_second) | .[length / 2 | floor]) as $median
      | {path: $name, in_flight: $flight, calls_per_second: $median.calls_per_second,
         min: $rates[0], max: $rates[-1], p50_ms: ($median.latency_us.p50 / 1000),
         p99_ms: ($median.latency_us.p99 / 1000), errors: ($median.calls - $median.ok),
         answer_bytes: ($median.mean_response_bytes | floor)}')
    rate=$(jq -r .calls_per_second <<<"$summary")
    [ -z "$baseline" ] && baseline=$rate
    case "$name" in GetBudget) grpc_get_budget=$rate ;; "trivial (health Check)") grpc_trivial=$rate ;; esac
    summary=$(jq --argjson base "$baseline" '. + {ratio: (.calls_per_second / $base)}' <<<"$summary")
    rows=$(jq --argjson row "$summary" '. + [$row]' <<<"$rows")
    # A row of bench/run.sh's table (bench/result_rows.h), the trivial call
    # being the baseline of the others.
    if [ -n "${YUSUAN_BENCH_ROWS:-}" ] && [ "$rate" != "$baseline" ]; then
      jq -c --arg base "trivial gRPC (health Check), $flight in flight" --argjson base_value "$baseline" '
        {group: "stack", path: "\(.path), \(.in_flight) in flight", value: .calls_per_second, unit: "calls/s",
         higher_is_better: true, baseline: $base, baseline_value: $base_value, ratio: .ratio,
         min: .min, max: .max, p50_ms: .p50_ms, p99_ms: .p99_ms, errors: .errors}' <<<"$summary" >>"$YUSUAN_BENCH_ROWS"
    fi
    jq -r '[.path, .in_flight, (.calls_per_second | floor), "\(.min | floor)-\(.max | floor)",
            (.p50_ms * 100 | round / 100), (.p99_ms * 100 | round / 100), .errors, "\(.ratio * 1000 | round / 1000)x"]
           | @tsv' <<<"$summary" | awk -F'\t' '{printf "%-30s %5s %12s %18s %9s %9s %7s %8s\n", $1,$2,$3,$4,$5,$6,$7,$8}' >&2
    # A read against its floor: how much of its cost is moving its bytes.
    case "$name" in
      "trivial (health Check)" | ApplyFiling*) ;;
      *)
        bytes=$(jq -r .answer_bytes <<<"$summary")
        floor=$(sized_floor "$flight" "$method" "$bearer" "$request" "$bytes")
        floor_ratio=$(echo "scale=4; $rate / $floor" | bc)
        printf '%-30s %5s %12.0f %18s %9s %9s %7s %8s\n' "  the same $bytes B from memory" "$flight" "$floor" "" "" "" \
          "" "${floor_ratio}x" >&2
        rows=$(jq --arg name "$name" --argjson flight "$flight" --argjson floor "$floor" --argjson bytes "$bytes" '
          map(if .path == $name and .in_flight == $flight
              then . + {floor_calls_per_second: $floor, ratio_to_floor: (.calls_per_second / $floor)} else . end)' \
          <<<"$rows")
        if [ -n "${YUSUAN_BENCH_ROWS:-}" ]; then
          jq -nc --arg path "$name, $flight in flight, against its floor" --argjson value "$rate" \
            --arg base "the same request answered with its $bytes bytes from memory (yusuan-sized-answer), $flight in flight" \
            --argjson base_value "$floor" '{group: "stack", path: $path, value: $value, unit: "calls/s",
            higher_is_better: true, baseline: $base, baseline_value: $base_value, ratio: ($value / $base_value)}' \
            >>"$YUSUAN_BENCH_ROWS"
        fi
        ;;
    esac
  done
  # The hop: the ledger's GetBudget called directly (with the gateway's
  # internal credential), against the ledger's own health Check, and the
  # same read through the gateway against it.
  credential=$(printf %s yusuan-internal-v2 |
    openssl dgst -sha256 -mac HMAC -macopt "hexkey:$(tr -d '\n' <"$YUSUAN_DATA/secrets/internal.secret")" | awk '{print $NF}')
  direct() {  # method, request json, [metadata]
    local extra=()
    [ -n "${3:-}" ] && extra=(--metadata "$3")
    local runs=() _
    for _ in $(seq "$repeats"); do
      runs+=("$("$bin/yusuan-load" --target "127.0.0.1:$YUSUAN_LEDGER_PORT" --method "$1" --in_flight "$flight" \
        --seconds "$seconds" --warmup_seconds 1 --json --request_json_text "$2" "${extra[@]}" | jq .calls_per_second)")
    done
    printf '%s\n' "${runs[@]}" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'
  }
  ledger_check=$(direct /grpc.health.v1.Health/Check '{}')
  ledger_get=$(direct /yusuan.ledger.v1.LedgerService/GetBudget "{\"name\":\"$reference\"}" \
    "x-yusuan-internal=$credential")
  for hop in "ledger GetBudget, called directly|$ledger_get|ledger health Check, called directly|$ledger_check" \
             "GetBudget through the gateway|$grpc_get_budget|ledger GetBudget, called directly|$ledger_get"; do
    IFS='|' read -r name value base base_value <<<"$hop"
    printf '%-30s %5s %12.0f %18s %9s %9s %7s %8s\n' "$name" "$flight" "$value" "" "" "" "" \
      "$(echo "scale=3; $value / $base_value" | bc)x" >&2
    rows=$(jq --arg name "$name" --argjson flight "$flight" --argjson rate "$value" --arg base "$base" \
      --argjson base_value "$base_value" '. + [{path: $name, in_flight: $flight, calls_per_second: $rate,
      baseline: $base, ratio: ($rate / $base_value)}]' <<<"$rows")
    if [ -n "${YUSUAN_BENCH_ROWS:-}" ]; then
      jq -nc --arg path "$name, $flight in flight" --arg base "$base, $flight in flight" --argjson value "$value" \
        --argjson base_value "$base_value" '{group: "stack", path: $path, value: $value, unit: "calls/s",
        higher_is_better: true, baseline: $base, baseline_value: $base_value, ratio: ($value / $base_value)}' \
        >>"$YUSUAN_BENCH_ROWS"
    fi
  done

  # REST over HTTP/1.1 keep-alive (wrk, as many connections as calls in
  # flight), against the same call over gRPC in this run.
  for entry in "REST GET /healthz|/healthz||$grpc_trivial|trivial gRPC (health Check)" \
               "REST GET budget|/v1/$reference|$reviewer|$grpc_get_budget|gRPC GetBudget"; do
    IFS='|' read -r name target bearer grpc_rate grpc_name <<<"$entry"
    header=()
    [ -n "$bearer" ] && header=(-H "Authorization: Bearer $bearer")
    rates=()
    for _ in $(seq "$repeats"); do
      report=$(wrk -t "$(( flight < 2 ? 1 : 2 ))" -c "$flight" -d "${seconds}s" "${header[@]}" \
        "http://127.0.0.1:$YUSUAN_HTTP_PORT$target")
      if grep -q "Non-2xx" <<<"$report"; then
        echo "bench/stack: $name answered errors: $(grep Non-2xx <<<"$report")" >&2
      fi
      rates+=("$(awk '/^Requests\/sec:/ {print $2}' <<<"$report")")
    done
    rest=$(printf '%s\n' "${rates[@]}" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
    ratio=$(echo "scale=4; $rest / $grpc_rate" | bc)
    printf '%-30s %5s %12.0f %18s %9s %9s %7s %8s\n' "$name" "$flight" "$rest" "" "" "" "" "${ratio}x (gRPC)" >&2
    rows=$(jq --arg name "$name" --argjson flight "$flight" --argjson rate "$rest" --argjson ratio "$ratio" \
      '. + [{path: $name, in_flight: $flight, calls_per_second: $rate, ratio_to_grpc: $ratio}]' <<<"$rows")
    if [ -n "${YUSUAN_BENCH_ROWS:-}" ]; then
      jq -nc --arg path "$name, $flight connections" --arg base "$grpc_name, $flight in flight" \
        --argjson value "$rest" --argjson base_value "$grpc_rate" '{group: "stack", path: $path, value: $value,
        unit: "calls/s", higher_is_better: true, baseline: $base, baseline_value: $base_value,
        ratio: ($value / $base_value)}' >>"$YUSUAN_BENCH_ROWS"
    fi
  done
done
# Publication day: every generated department submitted (the 20 of the
# queue already are), approved and published, each step one batch of
# TransitionBudget calls, every budget once (yusuan-load --each_once). The
# publishing is timed: it renders every format and archives the files.
if [ "$publication_day" = 1 ]; then
  publish_in_flight=8
  jq -r '.budget.name' "$YUSUAN_DATA/synth.ndjson" >"$YUSUAN_DATA/names.txt"
  batch() {  # token, action, first line of names.txt: the batch's yusuan-load JSON
    tail -n +"$3" "$YUSUAN_DATA/names.txt" | jq -Rc --arg action "$2" '{name: ., action: $action}' \
      >"$YUSUAN_DATA/$2.ndjson"
    local result
    result=$("$bin/yusuan-load" --target "$gateway" --method /yusuan.gateway.v1.PublicApi/TransitionBudget \
      --token "$1" --in_flight "$publish_in_flight" --each_once --deadline_ms 600000 --json \
      --request_json_lines "$YUSUAN_DATA/$2.ndjson")
    local lines
    lines=$(wc -l <"$YUSUAN_DATA/$2.ndjson")
    if [ "$(jq .calls <<<"$result")" != "$lines" ]; then
      echo "bench/stack: publication day: $2 sent $(jq .calls <<<"$result") calls for $lines budgets" >&2
      exit 1
    fi
    if [ "$(jq '.calls - .ok' <<<"$result")" != 0 ]; then
      echo "bench/stack: publication day: $2 failed for $(jq '.calls - .ok' <<<"$result") budgets:" \
        "$(jq -c .errors <<<"$result")" >&2
      exit 1
    fi
    echo "$result"
  }
  echo "bench/stack: publication day: submitting, approving and publishing $departments departments" >&2
  batch "$integrator" WORKFLOW_ACTION_SUBMIT 21 >/dev/null
  batch "$reviewer" WORKFLOW_ACTION_APPROVE 1 >/dev/null
  published=$(batch "$reviewer" WORKFLOW_ACTION_PUBLISH 1)
  publish_seconds=$(jq .seconds <<<"$published")
  echo "bench/stack: published $departments in ${publish_seconds}s ($publish_in_flight in flight," \
    "p50 $(jq '.latency_us.p50 / 1000' <<<"$published") ms a budget)" >&2
  # Generated departments span provinces: each is exported.
  parents=()
  for province in $(cut -d/ -f2 "$YUSUAN_DATA/names.txt" | cut -c1-2 | sort -u); do
    parents+=(--parent "regions/$province")
  done
  "$build/bench/publication_bench" --target "$gateway" --token "$reviewer" "${parents[@]}" --year 2021 \
    --exclude "$reference" --expect "$departments" --publish_seconds "$publish_seconds" \
    --in_flight "$publish_in_flight" >&2
fi

# Memory: at rest after start, and the peak through the runs; disk a
# department; then each service's cold start to SERVING on the data now
# stored, alone (the others stopped), against the goals (64 MB, 1 s).
extra_rows=()
for service in "${services[@]}"; do
  peak_kb=$(memory_kb "$service" VmHWM)
  for memory in "at rest after start|${idle_kb[$service]}" "peak through the runs|$peak_kb"; do
    extra_rows+=("$(jq -nc --arg s "$service" --arg when "${memory%%|*}" --argjson kb "${memory##*|}" '
      {group: "stack", path: "\($s) resident memory, \($when)", value: ($kb / 1024), unit: "MB",
       higher_is_better: false, baseline: "the goal (64 MB)", baseline_value: 64, ratio: ($kb / 1024 / 64)}')")
  done
done
for service in ledger goals report; do
  extra_rows+=("$(jq -nc --arg s "$service" --argjson bytes "${disk_bytes[$service]}" --argjson n "$((departments + 1))" '
    {group: "stack", path: "\($s) data on disk a department (\($n) loaded)", value: ($bytes / $n / 1024), unit: "KB",
     higher_is_better: false, baseline: "the filing it stores (13 KB, the reference)", baseline_value: 13,
     ratio: ($bytes / $n / 1024 / 13)}')")
done
"$root/deploy/local/down.sh" >/dev/null 2>&1 || true
secret="$YUSUAN_DATA/secrets/internal.secret"
cold_start() {  # name, port, arguments…; leaves it running (its pid in cold_pid)
  local name=$1 port=$2 begin
  shift 2
  begin=$EPOCHREALTIME
  "$bin/yusuan-$name" "$@" >>"$YUSUAN_DATA/cold-$name.log" 2>&1 &
  cold_pid=$!
  "$bin/yusuan-probe" --address "127.0.0.1:$port" --wait_ms 30000 >/dev/null
  local seconds
  seconds=$(echo "$EPOCHREALTIME - $begin" | bc)
  extra_rows+=("$(jq -nc --arg s "$name" --argjson t "$seconds" --argjson n "$((departments + 1))" '
    {group: "stack", path: "\($s) cold start to SERVING (\($n) departments stored)", value: $t, unit: "s",
     higher_is_better: false, baseline: "the goal (1 s)", baseline_value: 1, ratio: $t}')")
  echo "bench/stack: $name cold start ${seconds}s" >&2
}
# Each backend alone, one after the other (left running: the gateway is
# timed with its backends up, as it starts in a deployment).
backend_pids=()
for service in ledger goals report; do
  port_var="YUSUAN_${service^^}_PORT"
  cold_start "$service" "${!port_var}" --port "${!port_var}" --data_dir "$YUSUAN_DATA/$service" \
    --internal_secret_file "$secret"
  backend_pids+=("$cold_pid")
done
cold_start gateway "$YUSUAN_GRPC_PORT" --grpc_port "$YUSUAN_GRPC_PORT" --http_port "$YUSUAN_HTTP_PORT" \
  --signing_key_file "$key" --internal_secret_file "$secret" --ledger_address "127.0.0.1:$YUSUAN_LEDGER_PORT" \
  --goals_address "127.0.0.1:$YUSUAN_GOALS_PORT" --report_address "127.0.0.1:$YUSUAN_REPORT_PORT"
kill "$cold_pid" "${backend_pids[@]}"
wait "$cold_pid" "${backend_pids[@]}" 2>/dev/null || true
for row in "${extra_rows[@]}"; do
  rows=$(jq --argjson row "$row" '. + [$row]' <<<"$rows")
  [ -n "${YUSUAN_BENCH_ROWS:-}" ] && printf '%s\n' "$row" >>"$YUSUAN_BENCH_ROWS"
  jq -r '[.path, "\(.value * 100 | round / 100) \(.unit)", "\(.ratio * 1000 | round / 1000)x of \(.baseline)"] | @tsv' \
    <<<"$row" | awk -F'\t' '{printf "%-58s %12s   %s\n", $1, $2, $3}' >&2
done

jq -n --argjson rows "$rows" --arg start "$start_seconds" --argjson departments "$departments" \
  --argjson quick "$quick" '{quick: ($quick == 1), departments: $departments, stack_start_seconds: ($start | tonumber),
  rows: $rows}' >"$out"
if [ -n "${YUSUAN_BENCH_ROWS:-}" ]; then
  jq -nc --argjson seconds "$start_seconds" '{group: "stack", path: "deploy/local/up.sh to all four SERVING",
    value: $seconds, unit: "s", higher_is_better: false, baseline: "the goal (1.5 s)", baseline_value: 1.5,
    ratio: ($seconds / 1.5)}' >>"$YUSUAN_BENCH_ROWS"
fi
if [ -n "$outer_rows" ]; then
  jq -c --argjson n "$departments" '. + {departments: $n}' "$YUSUAN_BENCH_ROWS" >>"$outer_rows"
fi
echo "bench/stack: stack start ${start_seconds}s; table in $out" >&2
