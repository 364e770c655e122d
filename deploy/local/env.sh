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
