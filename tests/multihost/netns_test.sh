#!/usr/bin/env bash
# ctest multihost.netns (issue 16): a gateway host and two shard hosts, each
# a network namespace of its own joined by veth links. shard-a (s1) holds
# province P1; shard-b (s2) holds province P2 and city C carved out of P1, so
# regions/P1 is a list and a roll-up that fan out to both (README.md here).
# Kill -9 s1's ledger, goals and report: P2 and C are still served; a read in
# P1 answers UNAVAILABLE, naming the shard and its address, within a second;
# the fan-out list and roll-up of regions/P1 answer UNAVAILABLE too. Restart
# s1 on the same data directories: every department, budget and goal set
# acknowledged before reads back byte for byte, and the lists and roll-ups
# are what they were before the kill. Then take s1's link down (its
# processes run, nothing reaches them, no reset comes back): a read in P1
# answers UNAVAILABLE within 6 s, twice, while s2 serves; bring it up: every
# department reads as before.
#
# Usage: netns_test.sh BUILD_DIR [--single-shard]
#   --single-shard: the plumbing alone, with what every gateway has: one
#   shard host (both provinces on it) behind the gateway's --ledger_address,
#   --goals_address, --report_address, across the veth link, killed and
#   restarted the same way.
#
# Needs root (namespaces, veth links, addresses) and iproute2's `ip`; skipped
# (exit 77) without them or where the kernel refuses a namespace or a veth
# link. Every address is inside the test's namespaces (10.213.1.0/30 and
# 10.213.2.0/30); the host's own network is not touched. Whatever happens,
# even on a signal, the trap kills every process the test started and
# deletes its namespaces (and so their veth links) and its temporary files.
# YUSUAN_MULTIHOST_KEEP=1 keeps the temporary directory (data, logs).
set -euo pipefail

test_name=multihost.netns
build_dir="${1:?usage: netns_test.sh BUILD_DIR [--single-shard]}"
mode=two-shard
case "${2:-}" in
  "") ;;
  --single-shard) mode=single-shard; test_name=multihost.netns_single_shard ;;
  *) echo "usage: netns_test.sh BUILD_DIR [--single-shard]" >&2; exit 2 ;;
esac
bin="$(cd "$build_dir" && pwd)/bin"

say() { printf '%s: [%2ds] %s\n' "$test_name" "$SECONDS" "$*"; }
skip() { echo "$test_name: SKIPPED: $*"; exit 77; }
fail() { echo "$test_name: FAIL: $*" >&2; exit 1; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# ---- What the test needs, or why it is skipped --------------------------------
[ "$(id -u)" = 0 ] || skip "needs root: it creates network namespaces and veth links (run it as root, e.g. sudo)"
command -v ip >/dev/null || skip "no \`ip\` command (package iproute2)"
command -v jq >/dev/null || fail "jq is missing (package jq)"
for binary in yusuan-ledger yusuan-goals yusuan-report yusuan-gateway yusuan-probe yusuan; do
  [ -x "$bin/$binary" ] || fail "$bin/$binary is missing; build first"
done

# ---- Clean-up, whatever happens ------------------------------------------------
# Names are unique to this run (its pid); namespaces left by a run that was
# SIGKILLed (say a ctest timeout), whose pid is gone, are removed first.
tag="yusuan-mh-$$"
ns_gw="$tag-gw" ns_s1="$tag-s1" ns_s2="$tag-s2"
work="$(mktemp -d "/tmp/yusuan-multihost-$$-XXXXXX")"
declare -A pid_of  # label → pid of every process this run started and has not reaped
namespaces=() # every namespace this run created
links=()      # every veth link, as NAMESPACE/INTERFACE

cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM HUP
  local pid ns link
  # In braces, so bash's "Killed" notices go nowhere.
  {
    for pid in "${pid_of[@]}"; do kill -9 "$pid"; done
    # Anything else still in our namespaces was started by us too.
    for ns in "${namespaces[@]}"; do
      for pid in $(ip netns pids "$ns"); do kill -9 "$pid"; done
    done
    for pid in "${pid_of[@]}"; do wait "$pid"; done
  } 2>/dev/null
  for link in "${links[@]}"; do ip -n "${link%%/*}" link del "${link#*/}" 2>/dev/null; done
  for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null; done
  if [ "$rc" != 0 ] && [ "$rc" != 77 ] && [ -d "$work/logs" ]; then
    local log
    for log in "$work"/logs/*.log; do
      [ -s "$log" ] || continue
      echo "---- last lines of $(basename "$log")" >&2
      tail -n 15 "$log" >&2
    done
  fi
  if [ "${YUSUAN_MULTIHOST_KEEP:-}" = 1 ]; then
    touch "$work/kept"
    echo "$test_name: kept $work"
  else
    rm -rf "$work"
  fi
  local left
  left="$(ip netns list 2>/dev/null | grep -c "^$tag-" || true)"
  [ "$left" = 0 ] || echo "$test_name: WARNING: $left namespace(s) of $tag could not be deleted" >&2
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

for stale in $(ip netns list 2>/dev/null | sed -n 's/^\(yusuan-mh-[0-9]*-\(gw\|s1\|s2\)\)\b.*/\1/p'); do
  owner="${stale#yusuan-mh-}" owner="${owner%%-*}"
  if ! [ -d "/proc/$owner" ]; then
    say "removing namespace $stale left by an earlier run (pid $owner is gone)"
    for pid in $(ip netns pids "$stale" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    ip netns del "$stale" 2>/dev/null || true
  fi
done
for stale in /tmp/yusuan-multihost-[0-9]*-*; do
  owner="${stale#/tmp/yusuan-multihost-}" owner="${owner%%-*}"
  if [ -d "$stale" ] && ! [ -e "$stale/kept" ] && ! [ -d "/proc/$owner" ]; then rm -rf "$stale"; fi
done

mkdir -p "$work/logs" "$work/keys" "$work/secrets" "$work/before" "$work/after"
export YUSUAN_DATA="$work"

# ---- The hosts: gw ── s1, gw ── s2 ----------------------------------------------
new_namespace() {  # name
  local error
  if ! error="$(ip netns add "$1" 2>&1)"; then
    [ "${#namespaces[@]}" = 0 ] && skip "the kernel refuses a network namespace here: $error"
    fail "ip netns add $1: $error"
  fi
  namespaces+=("$1")
  ip -n "$1" link set lo up
}
# A /30 link: gw's end .1, the shard's .2. Both ends are made inside the
# namespaces, never in the host's.
link() {  # shard namespace, shard label, third octet
  local ns=$1 label=$2 net=10.213.$3 error
  if ! error="$(ip -n "$ns_gw" link add "to-$label" type veth peer name to-gw netns "$ns" 2>&1)"; then
    [ "${#links[@]}" = 0 ] && skip "the kernel refuses a veth link here: $error"
    fail "veth gw↔$label: $error"
  fi
  links+=("$ns_gw/to-$label")
  ip -n "$ns_gw" addr add "$net.1/30" dev "to-$label"
  ip -n "$ns" addr add "$net.2/30" dev to-gw
  ip -n "$ns_gw" link set "to-$label" up
  ip -n "$ns" link set to-gw up
}
shard_namespaces=("$ns_s1")
shard_labels=(s1)
[ "$mode" = two-shard ] && shard_namespaces+=("$ns_s2") shard_labels+=(s2)
new_namespace "$ns_gw"
for i in "${!shard_namespaces[@]}"; do
  new_namespace "${shard_namespaces[$i]}"
  link "${shard_namespaces[$i]}" "${shard_labels[$i]}" $((i + 1))
done
s1_host=10.213.1.2 s2_host=10.213.2.2
# gw reaches each shard by its connected /30 (the services, probed from gw,
# show the traffic flows); the shards have no route to each other.
ip -n "$ns_gw" route get "$s1_host" | grep -q "dev to-s1" || fail "gw has no route to s1 ($s1_host) over its veth"
if [ "$mode" = two-shard ]; then
  ip -n "$ns_gw" route get "$s2_host" | grep -q "dev to-s2" || fail "gw has no route to s2 ($s2_host) over its veth"
  if ip -n "$ns_s1" route get "$s2_host" >/dev/null 2>&1; then fail "s1 has a route to s2: the hosts are not apart"; fi
fi
say "namespaces $ns_gw, ${shard_namespaces[*]}; gw 10.213.1.1 ↔ s1 $s1_host$([ "$mode" = two-shard ] && echo ", gw 10.213.2.1 ↔ s2 $s2_host")"

# ---- Secrets and the token, as deploy/local/up.sh makes them -------------------
signing_key="$work/keys/token-signing.key"
internal_secret="$work/secrets/internal.secret"
"$bin/yusuan" admin key create --key "$signing_key" >>"$work/logs/admin.log" 2>&1
"$bin/yusuan" admin secret create --file "$internal_secret" >>"$work/logs/admin.log" 2>&1
# integrator: applies filings, reads them and the roll-ups, everywhere.
YUSUAN_TOKEN="$("$bin/yusuan" admin token create --role integrator --scope regions/ --ttl 1h --key "$signing_key" \
  2>>"$work/logs/admin.log")"
export YUSUAN_TOKEN

# ---- Processes ------------------------------------------------------------------
start() {  # namespace, label, binary, args...
  local ns=$1 label=$2 binary=$3
  shift 3
  # `ip netns exec` execs the program: $! is the service itself.
  ip netns exec "$ns" "$bin/$binary" "$@" >>"$work/logs/$label.log" 2>&1 &
  pid_of[$label]=$!
}
wait_serving() {  # label, address (probed from gw, so across the veth for a shard)
  if ! ip netns exec "$ns_gw" "$bin/yusuan-probe" --address "$2" --wait_ms 30000 >/dev/null 2>&1; then
    fail "$1 did not become SERVING on $2"
  fi
}
declare -A port_of=([ledger]=50061 [goals]=50062 [report]=50063)
start_shard() {  # label (s1, s2), host
  local label=$1 host=$2 service ns
  ns="$([ "$label" = s1 ] && echo "$ns_s1" || echo "$ns_s2")"
  for service in ledger goals report; do
    start "$ns" "$label-$service" "yusuan-$service" --listen_host "$host" --port "${port_of[$service]}" \
      --data_dir "$work/$label/$service" --internal_secret_file "$internal_secret"
  done
  for service in ledger goals report; do
    wait_serving "$label-$service" "$host:${port_of[$service]}"
  done
}
kill_shard() {  # label
  local service pid
  for service in ledger goals report; do
    pid="${pid_of[$1-$service]}"
    # (In braces, so bash's "Killed" notice goes nowhere.)
    { kill -9 "$pid" && wait "$pid"; } 2>/dev/null || true
    unset "pid_of[$1-$service]"
  done
}

start_shard s1 "$s1_host"
[ "$mode" = two-shard ] && start_shard s2 "$s2_host"
say "shard hosts SERVING: s1 (ledger, goals, report on $s1_host:50061-50063)$([ "$mode" = two-shard ] &&
  echo ", s2 (ledger, goals, report on $s2_host:50061-50063)")"

# ---- The filings: generated, two provinces --------------------------------------
# Region names have 2, 4 or 6 digits, so no list or roll-up spans two
# provinces (regions/ is refused). For a fan-out the CLI can ask for, shard-b
# holds province P2 and also city C carved out of s1's province P1 (the
# longest prefix wins): regions/P1 then spans both shards. Departments: two
# in city A of P1 (s1), two in city C of P1 (s2), two in P2 (s2).
year=2021
per_place=2
"$bin/yusuan" synth --departments 200 --seed 10 --year "$year" -o "$work/synth.ndjson" 2>/dev/null
# P1: the first province with two cities of 2+ departments each (A, C); P2:
# the first other province with 2+ departments.
read -r p1 city_a city_c p2 < <(jq -r .department.regionCode "$work/synth.ndjson" | awk -v k="$per_place" '
  { p = substr($0, 1, 2); c = substr($0, 1, 4)
    if (!(p in pn)) order[++np] = p
    pn[p]++
    if (!(c in cn)) cities[p] = cities[p] " " c
    cn[c]++ }
  END {
    for (i = 1; i <= np && p1 == ""; i++) {
      n = split(cities[order[i]], cs, " "); a = ""
      for (j = 1; j <= n; j++) if (cn[cs[j]] >= k) { if (a == "") a = cs[j]; else if (c == "") c = cs[j] }
      if (c != "") p1 = order[i]; else { a = ""; c = "" }
    }
    for (i = 1; i <= np && p2 == ""; i++) if (order[i] != p1 && pn[order[i]] >= k) p2 = order[i]
    print p1, a, c, p2 }')
[ -n "${p2:-}" ] || fail "yusuan synth --seed 10 gave no province with two cities and another province; pick another seed"
filings=()
for place in "$city_a" "$city_c" "$p2"; do
  n=0
  while IFS= read -r line; do
    file="$work/filing-$((${#filings[@]} + 1)).json"
    printf '%s\n' "$line" >"$file"
    filings+=("$file")
    n=$((n + 1))
  done < <(jq -c --arg p "$place" 'select(.department.regionCode | startswith($p))' "$work/synth.ndjson" | head -n "$per_place")
  [ "$n" = "$per_place" ] || fail "yusuan synth gave $n departments in $place, $per_place wanted"
done

# ---- The gateway on gw's loopback -----------------------------------------------
gateway=127.0.0.1:50051
if [ "$mode" = two-shard ]; then
  cat >"$work/shard_map.json" <<JSON
{"shards": [
  {"name": "shard-a", "regions": ["$p1"], "ledger": "$s1_host:50061", "goals": "$s1_host:50062", "report": "$s1_host:50063"},
  {"name": "shard-b", "regions": ["$p2", "$city_c"], "ledger": "$s2_host:50061", "goals": "$s2_host:50062", "report": "$s2_host:50063"}
]}
JSON
  backends=(--shard_map "$work/shard_map.json")
  say "shard map: shard-a (s1) holds regions $p1 (so city $city_a); shard-b (s2) holds $p2 and city $city_c carved out of $p1"
else
  backends=(--ledger_address "$s1_host:50061" --goals_address "$s1_host:50062" --report_address "$s1_host:50063")
  say "single shard: s1 holds every region (cities $city_a, $city_c of $p1; $p2)"
fi
start "$ns_gw" gateway yusuan-gateway --listen_host 127.0.0.1 --grpc_port 50051 --http_port 8080 \
  --signing_key_file "$signing_key" --internal_secret_file "$internal_secret" \
  --access_log_file "$work/logs/access.log" "${backends[@]}"
wait_serving gateway "$gateway"
say "gateway SERVING on $gateway inside $ns_gw"

# The CLI runs on the gateway host.
cli() { ip netns exec "$ns_gw" "$bin/yusuan" --gateway "$gateway" "$@"; }
shard_of() {  # region code → s1 or s2
  if [ "$mode" = two-shard ] && { [ "${1:0:2}" = "$p2" ] || [ "${1:0:4}" = "$city_c" ]; }; then echo s2; else echo s1; fi
}

# ---- Apply and read back --------------------------------------------------------
names=() shards=()
for file in "${filings[@]}"; do
  region="$(jq -r .department.regionCode "$file")"
  agency="$(jq -r .department.agencyCode "$file")"
  name="regions/$region/departments/$agency"
  out="$work/apply-$(basename "$file" .json).out"
  cli apply -f "$file" --request-id "mh-$$-$region-$agency" >"$out" 2>&1 ||
    fail "apply $name was refused: $(head -c 600 "$out")"
  names+=("$name") shards+=("$(shard_of "$region")")
done
say "applied ${#names[@]} generated filings, each acknowledged: $(for i in "${!names[@]}"; do printf '%s→%s ' "${names[$i]#regions/}" "${shards[$i]}"; done)"

# A department's three resources, as the CLI prints them.
read_department() {  # index, into dir
  local i=$1 base="$2/$1"
  cli get "${names[$i]}" >"$base.department.json" 2>"$base.err" &&
    cli get "${names[$i]}/budgets/$year" >"$base.budget.json" 2>>"$base.err" &&
    cli get "${names[$i]}/budgets/$year/goals" >"$base.goals.json" 2>>"$base.err"
}
same_as_before() {  # index
  local part
  for part in department budget goals; do
    cmp -s "$work/before/$1.$part.json" "$work/after/$1.$part.json" || {
      echo "${names[$1]}'s $part differs: $(diff "$work/before/$1.$part.json" "$work/after/$1.$part.json" | head -n 20)"
      return 1
    }
  done
}
for i in "${!names[@]}"; do
  read_department "$i" "$work/before" || fail "cannot read back ${names[$i]}: $(cat "$work/before/$i.err")"
  [ "$(jq -r .name "$work/before/$i.department.json")" = "${names[$i]}" ] ||
    fail "${names[$i]} reads back as $(jq -r .name "$work/before/$i.department.json")"
  [ "$(jq -r .fiscalYear "$work/before/$i.budget.json")" = "$year" ] || fail "${names[$i]}: the budget read back is not of $year"
  [ "$(jq -r .name "$work/before/$i.goals.json")" = "${names[$i]}/budgets/$year/goals" ] || fail "${names[$i]}: no goals read back"
done
say "each of the ${#names[@]} departments reads back (department, budget $year, goals)"

# The lists and roll-ups: regions/P1 fans out to both shards (A on s1, C on
# s2), regions/P2 and regions/C ask s2 alone, regions/A s1 alone.
places=("$p1" "$p2" "$city_a" "$city_c")
lists_and_rollups() {  # into dir
  local r
  for r in "${places[@]}"; do
    cli get "regions/$r" >"$1/list-$r.json" 2>"$1/list-$r.err" || { cat "$1/list-$r.err"; return 1; }
    cli rollup "regions/$r" --year "$year" --json >"$1/rollup-$r.json" 2>"$1/rollup-$r.err" ||
      { cat "$1/rollup-$r.err"; return 1; }
    # When the sums were read is the one field a restart may change.
    jq 'del(.readTimeUnixMs)' "$1/rollup-$r.json" >"$1/rollup-$r.cmp.json"
  done
}
lists_and_rollups "$work/before" >"$work/before/lists.err" || fail "list or roll-up: $(cat "$work/before/lists.err")"
listed() { jq -r '[.departments[].name] | sort | .[]' "$work/before/list-$1.json"; }
applied_in() { printf '%s\n' "${names[@]}" | grep "^regions/$1" | sort; }
for r in "${places[@]}"; do
  [ "$(listed "$r")" = "$(applied_in "$r")" ] ||
    fail "regions/$r lists $(listed "$r" | wc -l) departments, not the $(applied_in "$r" | wc -l) applied there: $(listed "$r" | tr '\n' ' ')"
done
[ "$( (listed "$p1"; listed "$p2") | sort)" = "$(printf '%s\n' "${names[@]}" | sort)" ] ||
  fail "regions/$p1 and regions/$p2 together do not list the ${#names[@]} departments applied"
count() { jq -r '.budgetCount // "0" | tonumber' "$work/before/rollup-$1.json"; }
fen() { jq -r '.expenditureFen // "0" | tonumber' "$work/before/rollup-$1.json"; }
[ "$(count "$p1")" = $((2 * per_place)) ] || fail "the roll-up of regions/$p1 counts $(count "$p1") budgets, $((2 * per_place)) applied"
[ "$(count "$p1")" = $(($(count "$city_a") + $(count "$city_c"))) ] ||
  fail "the roll-up of regions/$p1 counts $(count "$p1") budgets, not $(count "$city_a") ($city_a) + $(count "$city_c") ($city_c)"
[ "$(fen "$p1")" = $(($(fen "$city_a") + $(fen "$city_c"))) ] ||
  fail "the roll-up of regions/$p1 spends $(fen "$p1") 分, not $(fen "$city_a") + $(fen "$city_c")"
[ "$(count "$p2")" = "$per_place" ] || fail "the roll-up of regions/$p2 counts $(count "$p2") budgets, $per_place applied"
say "regions/$p1 lists its $(listed "$p1" | wc -l) departments ($(listed "$city_a" | wc -l) on $(shard_of "$city_a"), $(listed "$city_c" | wc -l) on $(shard_of "$city_c")), regions/$p2 its $(listed "$p2" | wc -l): all ${#names[@]} applied, both provinces"
say "roll-up $year of regions/$p1: budget_count $(count "$p1") = $(count "$city_a") ($city_a) + $(count "$city_c") ($city_c), expenditure $(fen "$p1") 分 = the sum; regions/$p2: $(count "$p2")"

# ---- Kill s1 --------------------------------------------------------------------
# What a read costs with every shard up (the CLI's start included), for scale.
t0=$(now_ms)
cli get "${names[0]}" >/dev/null
baseline=$(($(now_ms) - t0))
kill_shard s1
say "kill -9 s1's ledger, goals and report"
first_on() {  # shard label, region prefix → the index of the first such department
  local i
  for i in "${!names[@]}"; do
    [ "${shards[$i]}" = "$1" ] && [[ "${names[$i]}" == "regions/$2"* ]] && { echo "$i"; return; }
  done
}
unavailable() { grep -q 'UNAVAILABLE\|不可用' "$1"; }
if [ "$mode" = two-shard ]; then
  for place in "$p2" "$city_c"; do
    i="$(first_on s2 "$place")"
    read_department "$i" "$work/after" || fail "with s1 down, ${names[$i]} (on s2) cannot be read: $(cat "$work/after/$i.err")"
    why="$(same_as_before "$i")" || fail "with s1 down, $why"
    cli get "regions/$place" >"$work/after/list-$place.json" 2>"$work/after/list-$place.err" ||
      fail "with s1 down, the list of regions/$place (on s2 alone) fails: $(cat "$work/after/list-$place.err")"
    cmp -s "$work/before/list-$place.json" "$work/after/list-$place.json" || fail "with s1 down, the list of regions/$place differs"
    say "s1 down, s2 still serves: ${names[$i]} reads as before; regions/$place lists the same $(listed "$place" | wc -l) departments"
  done
fi
i="$(first_on s1 "$city_a")"
t0=$(now_ms)
if cli get "${names[$i]}" >"$work/down.out" 2>"$work/down.err"; then fail "with s1 down, ${names[$i]} was still read"; fi
elapsed=$(($(now_ms) - t0))
unavailable "$work/down.err" || fail "with s1 down, reading ${names[$i]} failed, but not UNAVAILABLE: $(cat "$work/down.err")"
if [ "$mode" = two-shard ]; then
  grep -q shard-a "$work/down.err" || fail "the UNAVAILABLE does not name the shard (shard-a): $(cat "$work/down.err")"
  grep -qF "$s1_host:" "$work/down.err" || fail "the UNAVAILABLE does not name the shard's address ($s1_host): $(cat "$work/down.err")"
fi
[ "$elapsed" -lt 1000 ] || fail "with s1 down, reading ${names[$i]} took $elapsed ms to fail (1000 allowed): $(cat "$work/down.err")"
# The gateway's own time for the call, from its access log, when written yet.
gateway_ms="$(jq -r --arg r "${names[$i]}" \
  'select(.method == "GetDepartment" and .resource == $r and .code == "UNAVAILABLE") | .duration_ms' \
  "$work/logs/access.log" 2>/dev/null | tail -n 1)"
say "s1 down: ${names[$i]} answers UNAVAILABLE in $elapsed ms (in the gateway ${gateway_ms:-?} ms; a read took" \
  "$baseline ms with s1 up): $(head -n 1 "$work/down.err")"
# A fan-out touching s1 fails (a list without s1's regions would read as
# regions with no departments), naming the shard; "fast" allows 5 s.
for what in list rollup; do
  t0=$(now_ms)
  if [ "$what" = list ]; then
    cli get "regions/$p1" >"$work/down.out" 2>"$work/down.err" && fail "with s1 down, the list of regions/$p1 succeeded"
  else
    cli rollup "regions/$p1" --year "$year" --json >"$work/down.out" 2>"$work/down.err" &&
      fail "with s1 down, the roll-up of regions/$p1 succeeded"
  fi
  elapsed=$(($(now_ms) - t0))
  unavailable "$work/down.err" || fail "with s1 down, the $what of regions/$p1 failed, but not UNAVAILABLE: $(cat "$work/down.err")"
  if [ "$mode" = two-shard ]; then
    grep -q shard-a "$work/down.err" || fail "the $what's UNAVAILABLE does not name the shard (shard-a): $(cat "$work/down.err")"
  fi
  [ "$elapsed" -lt 5000 ] || fail "with s1 down, the $what of regions/$p1 took $elapsed ms to fail (5000 allowed)"
  say "s1 down: the $what of regions/$p1 answers UNAVAILABLE in $elapsed ms: $(head -n 1 "$work/down.err")"
done

# s1 is back (restarted, or its link up): the gateway serves department $1
# again within 30 s, and then every department reads as before. $2 says
# what happened, for the messages.
served_again() {  # index, what happened
  local t0 deadline k
  t0=$(now_ms)
  deadline=$((t0 + 30000))
  until cli get "${names[$1]}" >/dev/null 2>"$work/down.err"; do
    [ "$(now_ms)" -lt "$deadline" ] || fail "$2, but the gateway still fails after 30 s: $(cat "$work/down.err")"
    sleep 0.2
  done
  say "$2: the gateway serves s1's regions again after $(($(now_ms) - t0)) ms"
  for k in "${!names[@]}"; do
    read_department "$k" "$work/after" || fail "$2, ${names[$k]} cannot be read: $(cat "$work/after/$k.err")"
    why="$(same_as_before "$k")" || fail "$2, $why"
  done
  say "$2: every one of the ${#names[@]} acknowledged departments (department, budget, goals) reads back identical"
}

# ---- Restart s1 on the same data ------------------------------------------------
start_shard s1 "$s1_host"
served_again "$i" "s1 restarted on the same data dirs (SERVING)"
lists_and_rollups "$work/after" >"$work/after/lists.err" || fail "after the restart, list or roll-up: $(cat "$work/after/lists.err")"
for r in "${places[@]}"; do
  cmp -s "$work/before/list-$r.json" "$work/after/list-$r.json" ||
    fail "after the restart, the list of regions/$r differs: $(diff "$work/before/list-$r.json" "$work/after/list-$r.json" | head -n 20)"
  cmp -s "$work/before/rollup-$r.cmp.json" "$work/after/rollup-$r.cmp.json" ||
    fail "after the restart, the roll-up of regions/$r differs: $(diff "$work/before/rollup-$r.cmp.json" "$work/after/rollup-$r.cmp.json" | head -n 20)"
done
say "the lists and roll-ups of regions/$p1 (fan-out), $p2, $city_a, $city_c equal those before the kill"

# ---- Take s1's link down: a host gone without a reset ---------------------------
# The processes run on, but nothing reaches them and nothing comes back: no
# reset tells the gateway. Its keepalive pings (2 s, answered within 1 s)
# find the connection dead, and each new connection attempt gives up after
# 2 s (services/common/limits.h), so reads fail in seconds, not at the end
# of their deadline.
i="$(first_on s1 "$city_a")"
ip -n "$ns_s1" link set to-gw down
say "s1's link down: its processes run, no packet reaches them, no reset comes back"
for attempt in first second; do
  t0=$(now_ms)
  if cli get "${names[$i]}" >"$work/down.out" 2>"$work/down.err"; then
    fail "with s1's link down, ${names[$i]} was still read"
  fi
  elapsed=$(($(now_ms) - t0))
  unavailable "$work/down.err" ||
    fail "with s1's link down, reading ${names[$i]} failed, but not UNAVAILABLE: $(cat "$work/down.err")"
  [ "$elapsed" -lt 6000 ] ||
    fail "with s1's link down, the $attempt read of ${names[$i]} took $elapsed ms to fail (6000 allowed)"
  say "s1's link down: the $attempt read of ${names[$i]} answers UNAVAILABLE in $elapsed ms: $(head -n 1 "$work/down.err")"
done
if [ "$mode" = two-shard ]; then
  j="$(first_on s2 "$p2")"
  t0=$(now_ms)
  read_department "$j" "$work/after" || fail "with s1's link down, ${names[$j]} (on s2) cannot be read: $(cat "$work/after/$j.err")"
  say "s1's link down, s2 still serves: ${names[$j]} read in $(($(now_ms) - t0)) ms"
fi
ip -n "$ns_s1" link set to-gw up
served_again "$i" "s1's link up again"
say "PASS ($mode, ${SECONDS}s)"
