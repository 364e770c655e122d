#!/usr/bin/env bash
# Starts ledger, goals, report and gateway on loopback in the background and
# returns once every one reports SERVING. Data under $YUSUAN_DATA; ports from
# YUSUAN_GRPC_PORT, YUSUAN_HTTP_PORT, YUSUAN_LEDGER_PORT, YUSUAN_GOALS_PORT,
# YUSUAN_REPORT_PORT. Stop with deploy/local/down.sh.
#
# Plaintext, as loopback needs nothing more. TLS is opt-in per service
# (services/gateway/README.md § TLS, which also shows how to make a dev
# certificate with openssl); to try it, add to the start lines below:
#   ledger/goals/report: --tls_cert_file S.pem --tls_key_file S.key
#                        [--tls_client_ca_file CA.pem: require the gateway's
#                        client certificate, mutual TLS]
#   gateway: --tls_cert_file S.pem --tls_key_file S.key (public gRPC + HTTPS)
#            --backend_ca_file CA.pem [--backend_cert_file C.pem
#            --backend_key_file C.key] [--backend_tls_server_name NAME]
# and give wait_serving's probe --tls_ca_file CA.pem (plus --tls_cert_file
# C.pem --tls_key_file C.key for a backend that requires client certificates).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

for binary in yusuan-ledger yusuan-goals yusuan-report yusuan-gateway yusuan-probe yusuan; do
  if [ ! -x "$YUSUAN_BIN/$binary" ]; then
    echo "up: $YUSUAN_BIN/$binary is missing; build first with deploy/local/build.sh (or run deploy/local/demo.sh)" >&2
    exit 1
  fi
done
# The access log is the gateway's own file, rotated by the gateway (64 MB,
# three older files kept), so the gateway must be able to create files there.
mkdir -p "$YUSUAN_RUN" "$YUSUAN_LOGS" "$YUSUAN_LOGS/access"

# Two secrets, made once and kept across restarts: the key that signs bearer
# tokens (a new one invalidates every token issued), which only the gateway
# and the operator's CLI read; and the internal secret by which the backends
# recognise the gateway, which the backends read instead of the key.
signing_key="$YUSUAN_DATA/keys/token-signing.key"
internal_secret="$YUSUAN_DATA/secrets/internal.secret"
if [ ! -f "$signing_key" ]; then
  "$YUSUAN_BIN/yusuan" admin key create --key "$signing_key" | sed 's/^/up: /'
fi
if [ ! -f "$internal_secret" ]; then
  "$YUSUAN_BIN/yusuan" admin secret create --file "$internal_secret" | sed 's/^/up: /'
fi

# As root, the gateway and the backends run as system users of their own
# (group yusuan): the signing key belongs to the gateway's user, mode 0600,
# so a compromised backend cannot read it and mint tokens; both users read
# the internal secret through the group. Not as root, every service runs as
# the caller, who owns the key: said once, below.
as_gateway=() as_backend=()
separate_users() {
  getent group yusuan >/dev/null || groupadd --system yusuan
  for user in yusuan-gateway yusuan-backend; do
    getent passwd "$user" >/dev/null ||
      useradd --system --gid yusuan --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user"
  done
  local backend=(setpriv --reuid=yusuan-backend --regid=yusuan --init-groups --no-new-privs)
  # Every directory above the data and the binaries must let both users through.
  local path dir
  for path in "$YUSUAN_DATA" "$YUSUAN_BIN"; do
    dir="$path"
    while [ "$dir" != / ]; do
      if ! "${backend[@]}" test -x "$dir"; then
        echo "up: WARNING: user yusuan-backend cannot enter $dir (mode $(stat -c %a "$dir")), so the services" \
          "run as $(id -un) and a backend could read the signing key; keep YUSUAN_DATA and the build where" \
          "other users may pass (chmod o+x $dir) to have them apart" >&2
        return 1
      fi
      dir="$(dirname "$dir")"
    done
  done
  chown -R yusuan-gateway:yusuan "$YUSUAN_DATA/keys"
  chmod 700 "$YUSUAN_DATA/keys"
  chmod 600 "$signing_key"
  chown yusuan-gateway:yusuan "$YUSUAN_LOGS/access"
  chmod 750 "$YUSUAN_LOGS/access"
  find "$YUSUAN_LOGS/access" -type f ! -user yusuan-gateway -exec chown yusuan-gateway:yusuan {} +
  chown -R root:yusuan "$YUSUAN_DATA/secrets"
  chmod 750 "$YUSUAN_DATA/secrets"
  chmod 640 "$internal_secret"
  for service in ledger goals report; do
    # The store, and where backups make its checkpoints (`yusuan admin backup`).
    for dir in "$YUSUAN_DATA/$service" "$YUSUAN_DATA/$service.checkpoints"; do
      mkdir -p "$dir"
      # Only what is not the backend's yet (data left by a run as root, or restored).
      find "$dir" ! -user yusuan-backend -exec chown yusuan-backend:yusuan {} +
      chmod 750 "$dir"
    done
  done
  as_gateway=(setpriv --reuid=yusuan-gateway --regid=yusuan --init-groups --no-new-privs)
  as_backend=("${backend[@]}")
}
if [ "$(id -u)" = 0 ]; then
  separate_users || true
else
  echo "up: not root, so every service runs as $(id -un), who owns the signing key; start as root to keep" \
    "the backends from reading it"
fi

start() {  # name, args... (the command may be prefixed by as_gateway/as_backend)
  local name=$1; shift
  local as=()
  case "$name" in
    gateway) as=("${as_gateway[@]}") ;;
    *) as=("${as_backend[@]}") ;;
  esac
  local pid_file="$YUSUAN_RUN/$name.pid"
  if [ -f "$pid_file" ] && yusuan_running "$(cat "$pid_file")" "$name"; then
    echo "up: $name already running (pid $(cat "$pid_file"))"
    return
  fi
  nohup "${as[@]}" "$YUSUAN_BIN/yusuan-$name" "$@" >>"$YUSUAN_LOGS/$name.log" 2>&1 &
  echo $! >"$pid_file"
}

wait_serving() {  # name, port
  if ! "$YUSUAN_BIN/yusuan-probe" --address "127.0.0.1:$2" --wait_ms 30000 >/dev/null; then
    echo "up: $1 did not become SERVING on port $2; last log lines:" >&2
    tail -n 20 "$YUSUAN_LOGS/$1.log" >&2 || true
    exit 1
  fi
  echo "up: $1 SERVING on 127.0.0.1:$2"
}

start ledger --port "$YUSUAN_LEDGER_PORT" --data_dir "$YUSUAN_DATA/ledger" \
  --internal_secret_file "$internal_secret"
start goals --port "$YUSUAN_GOALS_PORT" --data_dir "$YUSUAN_DATA/goals" \
  --internal_secret_file "$internal_secret"
start report --port "$YUSUAN_REPORT_PORT" --data_dir "$YUSUAN_DATA/report" \
  --internal_secret_file "$internal_secret"
wait_serving ledger "$YUSUAN_LEDGER_PORT"
wait_serving goals "$YUSUAN_GOALS_PORT"
wait_serving report "$YUSUAN_REPORT_PORT"
start gateway --grpc_port "$YUSUAN_GRPC_PORT" --http_port "$YUSUAN_HTTP_PORT" \
  --signing_key_file "$signing_key" --internal_secret_file "$internal_secret" \
  --ledger_address "127.0.0.1:$YUSUAN_LEDGER_PORT" \
  --goals_address "127.0.0.1:$YUSUAN_GOALS_PORT" \
  --report_address "127.0.0.1:$YUSUAN_REPORT_PORT" \
  --access_log_file "$YUSUAN_LOGS/access/access.log"
wait_serving gateway "$YUSUAN_GRPC_PORT"
echo "up: REST on http://127.0.0.1:$YUSUAN_HTTP_PORT/v1/ , data in $YUSUAN_DATA, logs in $YUSUAN_LOGS"
echo "up: calls need a bearer token: export YUSUAN_TOKEN=\$($YUSUAN_BIN/yusuan admin token create --role preparer --scope regions/ --ttl 12h)"
