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
mkdir -p "$YUSUAN_RUN" "$YUSUAN_LOGS"

# The key that signs bearer tokens: made once (mode 0600, directory 0700) and
# kept across restarts, since a new key invalidates every token issued.
signing_key="$YUSUAN_DATA/keys/token-signing.key"
if [ ! -f "$signing_key" ]; then
  "$YUSUAN_BIN/yusuan" admin key create --key "$signing_key" | sed 's/^/up: /'
fi

start() {  # name, args...
  local name=$1; shift
  local pid_file="$YUSUAN_RUN/$name.pid"
  if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    echo "up: $name already running (pid $(cat "$pid_file"))"
    return
  fi
  nohup "$YUSUAN_BIN/yusuan-$name" "$@" >>"$YUSUAN_LOGS/$name.log" 2>&1 &
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
  --signing_key_file "$signing_key"
start goals --port "$YUSUAN_GOALS_PORT" --data_dir "$YUSUAN_DATA/goals" \
  --signing_key_file "$signing_key"
start report --port "$YUSUAN_REPORT_PORT" --data_dir "$YUSUAN_DATA/report" \
  --signing_key_file "$signing_key"
wait_serving ledger "$YUSUAN_LEDGER_PORT"
wait_serving goals "$YUSUAN_GOALS_PORT"
wait_serving report "$YUSUAN_REPORT_PORT"
start gateway --grpc_port "$YUSUAN_GRPC_PORT" --http_port "$YUSUAN_HTTP_PORT" \
  --signing_key_file "$signing_key" \
  --ledger_address "127.0.0.1:$YUSUAN_LEDGER_PORT" \
  --goals_address "127.0.0.1:$YUSUAN_GOALS_PORT" \
  --report_address "127.0.0.1:$YUSUAN_REPORT_PORT"
wait_serving gateway "$YUSUAN_GRPC_PORT"
echo "up: REST on http://127.0.0.1:$YUSUAN_HTTP_PORT/v1/ , data in $YUSUAN_DATA, logs in $YUSUAN_LOGS"
echo "up: calls need a bearer token: export YUSUAN_TOKEN=\$($YUSUAN_BIN/yusuan admin token create --role preparer --scope regions/ --ttl 12h)"
