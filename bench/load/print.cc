#include "bench/load/print.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"

namespace yusuan::load {
namespace {

// gRPC's codes are numerically absl's, and absl names them.
std::string CodeName(grpc::StatusCode code) { return absl::StatusCodeToString(static_cast<absl::StatusCode>(code)); }

std::string Millis(uint64_t micros) { return absl::StrFormat("%.3f", static_cast<double>(micros) / 1000); }

}  // namespace

std::string ResultTable(const LoadOptions& options, const LoadResult& result) {
  const LatencyHistogram& latency = result.latency_micros;
  std::string out;
  absl::StrAppendFormat(&out, "%-14s %s %s\n", "call", options.target, options.method);
  absl::StrAppendFormat(&out, "%-14s %d in flight, %s measured after %s warm-up\n", "load", options.in_flight,
                        absl::FormatDuration(options.duration), absl::FormatDuration(options.warmup));
  absl::StrAppendFormat(&out, "%-14s %d (%d OK, %d errors) in %.3f s\n", "calls", result.calls, result.ok,
                        result.calls - result.ok, result.seconds);
  absl::StrAppendFormat(&out, "%-14s %.1f calls/s\n", "throughput", result.calls_per_second);
  absl::StrAppendFormat(&out, "%-14s p50 %s  p90 %s  p99 %s  p99.9 %s  max %s  mean %.3f\n", "latency (ms)",
                        Millis(latency.Percentile(50)), Millis(latency.Percentile(90)), Millis(latency.Percentile(99)),
                        Millis(latency.Percentile(99.9)), Millis(latency.max()), latency.mean() / 1000);
  absl::StrAppendFormat(&out, "%-14s %.0f bytes\n", "mean answer", result.mean_response_bytes);
  absl::StrAppendFormat(&out, "%-14s %.2f cores of %u (%.2f s)\n", "client CPU", result.client_cpu_cores,
                        result.machine_cores, result.client_cpu_seconds);
  for (const auto& [code, error] : result.errors) {
    absl::StrAppendFormat(&out, "%-14s %s × %d, first: %s\n", "error", CodeName(code), error.count,
                          error.first_message);
  }
  return out;
}

std::string ResultJson(const LoadOptions& options, const LoadResult& result) {
  const LatencyHistogram& latency = result.latency_micros;
  nlohmann::json errors = nlohmann::json::object();
  for (const auto& [code, error] : result.errors) {
    errors[CodeName(code)] = {{"count", error.count}, {"first_message", error.first_message}};
  }
  const nlohmann::json json = {
      {"target", options.target},
      {"method", options.method},
      {"in_flight", options.in_flight},
      {"warmup_seconds", absl::ToDoubleSeconds(options.warmup)},
      {"duration_seconds", absl::ToDoubleSeconds(options.duration)},
      {"each_once", options.each_once},
      {"calls", result.calls},
      {"ok", result.ok},
      {"seconds", result.seconds},
      {"calls_per_second", result.calls_per_second},
      {"latency_us",
       {{"p50", latency.Percentile(50)},
        {"p90", latency.Percentile(90)},
        {"p99", latency.Percentile(99)},
        {"p99_9", latency.Percentile(99.9)},
        {"max", latency.max()},
        {"mean", latency.mean()},
        {"min", latency.min()}}},
      {"mean_response_bytes", result.mean_response_bytes},
      {"errors", errors},
      {"client_cpu_seconds", result.client_cpu_seconds},
      {"client_cpu_cores", result.client_cpu_cores},
      {"machine_cores", result.machine_cores},
  };
  // Replace, not throw, should a server's error message not be UTF-8.
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace yusuan::load
