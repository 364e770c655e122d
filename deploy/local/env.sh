# Shared settings of the local scripts (sourced, not run).
YUSUAN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export YUSUAN_BUILD_DIR="${YUSUAN_BUILD_DIR:-$YUSUAN_ROOT/build}"
export YUSUAN_DATA="${YUSUAN_DATA:-$YUSUAN_ROOT/.yusuan-data}"
export YUSUAN_GRPC_PORT="${YUSUAN_GRPC_PORT:-50051}"
export YUSUAN_HTTP_PORT="${YUSUAN_HTTP_PORT:-8080}"
export YUSUAN_LEDGER_PORT="${YUSUAN_LEDGER_PORT:-50061}"
export YUSUAN_GOALS_PORT="${YUSUAN_GOALS_PORT:-50062}"
export YUSUAN_REPORT_PORT="${YUSUAN_REPORT_PORT:-50063}"
YUSUAN_BIN="$YUSUAN_BUILD_DIR/bin"
# ccache needs a cache directory even where HOME is not set (CI), and
# paths relative to the checkout so a fresh clone elsewhere hits the cache.
export CCACHE_DIR="${CCACHE_DIR:-${HOME:-/root}/.cache/ccache}"
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$YUSUAN_ROOT}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"
YUSUAN_RUN="$YUSUAN_DATA/run"
YUSUAN_LOGS="$YUSUAN_DATA/logs"

# Whether pid $1 is a running yusuan-$2: kill -0 also answers for a process
# that was killed and not yet reaped (a zombie) and for a pid the system gave
# to another program since, so ask /proc for its state and its program.
yusuan_running() {  # pid, name
  local pid=$1 name=$2 state
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  # The state is the field after the parenthesised command name.
  state=$(sed -e 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "yusuan-$name"
}
