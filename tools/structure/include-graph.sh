#!/usr/bin/env bash
# The tree's components and the include arrows between them, counted from
# the sources (#include "services/…", "tools/…"), and the rules the arrows
# must keep. A component is services/<name> (with services/<name>/domain and
# the gateway's folders auth/, observability/, grpc/, http/, workbook/ and
# sharding/ apart) or
# tools/<name>.
#
#   tools/structure/include-graph.sh [ROOT]          folders, then "A -> B  (n)" lines
#   tools/structure/include-graph.sh --check [ROOT]  exit 1 naming every include that breaks a rule
#
# The rules (issue 12, architecture.md): nothing in the ledger, goals,
# report or the tools includes the gateway (but the CLI its workbook/, plain
# C++ for the files it reads and writes); the shared layers (common,
# security, client) include no service; the goals ↔ ledger rules the gateway
# runs (services/cross_rules) build on the services' domains, which do not
# include them; a domain folder (plain C++ rules, projections, renderers, and
# services/cross_rules) includes no gRPC server code or stubs.
#
# Inside the gateway the arrows point one way, down from the faces:
#   grpc/, http/  ->  observability/, the core  ->  auth/, workbook/, sharding/
# (the core: services/gateway/ itself, the orchestrator, names, utf8_refusal).
# auth/, observability/, workbook/ and sharding/ (plain C++: the filing
# workbook and the shard map, no gRPC) include no other folder of the
# gateway; the core
# includes no face and not observability/; grpc/ and http/ include not each
# other. The start-up wiring (main.cc, tls_config.{h,cc}) may include any
# folder, and tests whatever they drive. Each face observes its own requests
# (grpc/call_observation.h, http/rest_observation.h) through observability/.
set -euo pipefail
check=0
if [ "${1:-}" = "--check" ]; then check=1; shift; fi
root="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
cd "$root"

component() {  # path → component
  case "$1" in
    services/*/domain/*) echo "$1" | cut -d/ -f1-3 ;;
    services/gateway/auth/*|services/gateway/observability/*|services/gateway/grpc/*|services/gateway/http/*|\
    services/gateway/workbook/*|services/gateway/sharding/*)
      echo "$1" | cut -d/ -f1-3 ;;
    services/*/*|tools/*/*) echo "$1" | cut -d/ -f1-2 ;;
    *) echo "$1" | cut -d/ -f1 ;;
  esac
}

# Includes against the gateway's direction that are known and tolerated, one
# "file target" a line; add none.
gateway_knots="
"

edges="$(mktemp)"
trap 'rm -f "$edges"' EXIT
# file:line:#include "target"
grep -rnE --include='*.cc' --include='*.h' '^#include "(services|tools)/' services tools 2>/dev/null |
  sed -E 's/^([^:]+):([0-9]+):#include "([^"]+)".*/\1 \2 \3/' |
  while read -r file line target; do
    from=$(component "$file")
    to=$(component "$target")
    [ "$from" = "$to" ] && continue
    echo "$from $to $file:$line $target"
  done >"$edges"

if [ "$check" = 0 ]; then
  echo "# folders"
  find services tools -mindepth 1 -maxdepth 2 -type d ! -name tests ! -name internal ! -name testdata | sort
  echo
  echo "# includes between components (count)"
  awk '{print $1 " -> " $2}' "$edges" | sort | uniq -c | awk '{printf "%-32s -> %-32s (%d)\n", $2, $4, $1}'
  exit 0
fi

status=0
refuse() { echo "include-graph: $1" >&2; status=1; }
while read -r from to where target; do
  case "$from" in
    services/ledger*|services/goals*|services/report*|tools/*)
      case "$from:$to" in
        # The filing workbook is plain C++ (no gRPC, no server): the CLI
        # reads and writes the files the gateway reads.
        tools/*:services/gateway/workbook) ;;
        *:services/gateway*) refuse "$where includes $target: only the gateway (and the CLI, its workbook/) may include the gateway" ;;
      esac
      case "$from:$to" in
        services/*:services/cross_rules) refuse "$where includes $target: the cross rules build on the services' domains, not the reverse" ;;
      esac ;;
    services/cross_rules)
      case "$to" in
        services/gateway*|services/ledger|services/goals|services/report)
          refuse "$where includes $target: the cross rules use the domains only (no service, no gateway)" ;;
      esac ;;
    services/common|services/security|services/client)
      case "$to" in
        services/ledger*|services/goals*|services/report*|services/gateway*)
          refuse "$where includes $target: the shared layer $from includes no service" ;;
      esac ;;
  esac
  # The gateway's rooms.
  file="${where%:*}"
  case "$from" in services/gateway*) ;; *) continue ;; esac
  case "$to" in services/gateway*) ;; *) continue ;; esac
  case "$file" in */tests/*|*_test.cc) continue ;; esac
  case "$gateway_knots" in *"
$file $target
"*) continue ;; esac
  case "$from" in
    services/gateway/auth)
      refuse "$where includes $target: auth/ includes no other part of the gateway" ;;
    services/gateway/observability)
      refuse "$where includes $target: observability/ includes no other part of the gateway" ;;
    services/gateway/workbook)
      refuse "$where includes $target: workbook/ includes no other part of the gateway" ;;
    services/gateway/sharding)
      refuse "$where includes $target: sharding/ includes no other part of the gateway" ;;
    services/gateway/grpc|services/gateway/http)
      case "$to" in
        services/gateway/grpc|services/gateway/http)
          refuse "$where includes $target: the faces grpc/ and http/ include not each other" ;;
      esac ;;
    services/gateway)
      case "$file" in services/gateway/main.cc|services/gateway/tls_config.h|services/gateway/tls_config.cc) ;;
        *) case "$to" in services/gateway/auth|services/gateway/workbook|services/gateway/sharding) ;;
             *) refuse "$where includes $target: the gateway's core includes no face and not observability/" ;;
           esac ;;
      esac ;;
  esac
done <"$edges"
# Domain folders: no gRPC server code, no generated stubs.
while IFS= read -r hit; do
  refuse "$hit: a domain folder includes gRPC (server code or stubs)"
done < <(grep -rnE --include='*.cc' --include='*.h' '^#include [<"](grpcpp/|.*\.grpc\.pb\.h|services/common/server\.h)' \
           services/*/domain services/cross_rules services/gateway/workbook services/gateway/sharding 2>/dev/null | grep -v '_test\.cc:' || true)
exit "$status"
