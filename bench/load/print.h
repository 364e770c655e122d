// A load run's result as a table for people or one JSON object for scripts.
#ifndef YUSUAN_BENCH_LOAD_PRINT_H_
#define YUSUAN_BENCH_LOAD_PRINT_H_

#include <string>

#include "bench/load/load.h"

namespace yusuan::load {

// Lines of "name  value", latencies in ms, errors one line per code with the
// first message; ends with a newline.
std::string ResultTable(const LoadOptions& options, const LoadResult& result);

// One line: {"target", "method", "in_flight", "warmup_seconds",
// "duration_seconds", "calls", "ok", "seconds", "calls_per_second",
// "latency_us": {"p50", "p90", "p99", "p99_9", "max", "mean", "min"},
// "mean_response_bytes", "errors": {"CODE": {"count", "first_message"}},
// "client_cpu_seconds", "client_cpu_cores", "machine_cores"}.
std::string ResultJson(const LoadOptions& options, const LoadResult& result);

}  // namespace yusuan::load

#endif  // YUSUAN_BENCH_LOAD_PRINT_H_
