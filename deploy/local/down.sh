#!/usr/bin/env bash
# Stops the services started by up.sh: SIGTERM (graceful), then SIGKILL after 10 s.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
for name in gateway report goals ledger; do
  pid_file="$YUSUAN_RUN/$name.pid"
  [ -f "$pid_file" ] || continue
  pid=$(cat "$pid_file")
  if yusuan_running "$pid" "$name"; then
    kill -TERM "$pid"
    for _ in $(seq 100); do yusuan_running "$pid" "$name" || break; sleep 0.1; done
    if yusuan_running "$pid" "$name"; then
      echo "down: $name (pid $pid) ignored SIGTERM; killing" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    echo "down: $name stopped"
  fi
  rm -f "$pid_file"
done
