#!/usr/bin/env bash
# up.sh and down.sh decide whether a service is running with yusuan_running
# (deploy/local/env.sh). Issue 13: a service killed and not yet reaped (a
# zombie) answered kill -0, so up.sh took it for running and waited 30 s for
# it to become SERVING. Checks the four cases: a live service, a zombie of
# one, a pid now held by another program, and a pid held by nothing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
scratch=$(mktemp -d)
children=()
cleanup() {
  for pid in "${children[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT
export YUSUAN_DATA="$scratch/data"
# shellcheck source=deploy/local/env.sh
source "$root/deploy/local/env.sh"

failures=0
expect() {  # description, expected (running|stopped), pid, name
  local got=stopped
  if yusuan_running "$3" "$4"; then got=running; fi
  if [ "$got" = "$2" ]; then
    echo "ok: $1 is $got"
  else
    echo "FAIL: $1 should be $2, yusuan_running says $got" >&2
    failures=$((failures + 1))
  fi
}

# A live process run as yusuan-ledger.
bash -c 'exec -a "$0" sleep 30' "$root/build/bin/yusuan-ledger" &
live=$!
children+=("$live")

# A zombie: the child runs as yusuan-goals and exits once its parent has
# become a sleep that never reaps it. (A child that exited at once could be
# reaped by the parent's shell before its exec, on a busy machine.)
cat >"$scratch/child.sh" <<'EOF'
until [ "$(cat /proc/$PPID/comm 2>/dev/null)" = sleep ]; do sleep 0.05; done
exec -a "$1" true
EOF
bash -c 'bash "$2" "$0" & echo $! >"$1"; exec sleep 30' "$root/build/bin/yusuan-goals" "$scratch/zombie.pid" \
  "$scratch/child.sh" &
children+=("$!")
for _ in $(seq 50); do [ -s "$scratch/zombie.pid" ] && break; sleep 0.1; done
zombie=$(cat "$scratch/zombie.pid")
for _ in $(seq 50); do
  [ "$(sed -e 's/^.*) //' "/proc/$zombie/stat" 2>/dev/null | cut -d' ' -f1)" = Z ] && break
  sleep 0.1
done
if ! kill -0 "$zombie" 2>/dev/null; then
  echo "FAIL: could not make a zombie to test with (pid $zombie is gone)" >&2
  exit 1
fi

# Another program on a pid a pid file might still name.
sleep 30 &
other=$!
children+=("$other")

# A pid nothing holds: a process that has exited and been reaped.
true &
gone=$!
wait "$gone"

expect "a live yusuan-ledger" running "$live" ledger
expect "the live yusuan-ledger asked for as goals" stopped "$live" goals
expect "a zombie yusuan-goals" stopped "$zombie" goals
expect "a pid held by sleep" stopped "$other" ledger
expect "a pid held by nothing" stopped "$gone" ledger
expect "an empty pid file" stopped "" ledger
exit $((failures > 0))
