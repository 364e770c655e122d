// The gateway's request metrics, exposed at GET /metrics in the Prometheus
// text exposition format 0.0.4. Plain C++ (no client library: Debian ships
// none for C++, and the gateway needs three metric families, not a
// framework). Thread-safe: both faces record from many threads at once.
//
// Families (label `face` is "grpc" or "rest"; `method` the RPC name
// "GetBudget" or the REST route "GET /v1/regions/{r}/departments/{a}";
// `code` the gRPC code name "NOT_FOUND" or the HTTP status "404"):
//   yusuan_gateway_requests_total{face,method,code}            counter
//   yusuan_gateway_errors_total{face,method,code}              counter
//   yusuan_gateway_request_duration_seconds{face,method}       histogram
//   yusuan_gateway_in_flight_requests{face}                    gauge
//
// Label values come only from bounded sets (RPC names, route patterns,
// status codes), never from request paths or bodies, so the number of
// series stays fixed whatever clients send.
#ifndef YUSUAN_SERVICES_GATEWAY_OBSERVABILITY_METRICS_H_
#define YUSUAN_SERVICES_GATEWAY_OBSERVABILITY_METRICS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "services/common/mutex.h"

namespace yusuan::gateway {

// Which public face served a request.
enum class Face { kGrpc, kRest };
inline constexpr size_t kFaceCount = 2;
// "grpc", "rest": the `face` label and the access log's field.
std::string_view FaceName(Face face);

// Upper bounds, in seconds, of the latency histogram's buckets: Prometheus'
// default set (5 ms … 10 s), which covers a cached GET (~1 ms, first
// bucket) up to a PDF of a large department (seconds). +Inf is implicit.
inline constexpr std::array<double, 11> kLatencyBucketBounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                                0.5,   1,    2.5,   5,    10};

// The Content-Type of Exposition().
inline constexpr char kPrometheusTextContentType[] = "text/plain; version=0.0.4; charset=utf-8";

class MetricsRegistry {
 public:
  // A request began / ended (the in-flight gauge). Every RequestStarted is
  // followed by exactly one RequestFinished.
  void RequestStarted(Face face);
  // A request ended: counts it under (face, method, code), counts it as an
  // error too when `error`, adds `seconds` to the histogram of (face,
  // method), and lowers the in-flight gauge.
  void RequestFinished(Face face, std::string_view method, std::string_view code, bool error, double seconds);

  // Every family in the text exposition format 0.0.4: HELP and TYPE lines,
  // then the samples sorted by their labels (stable output, easy to diff);
  // then what each source added gives, in the order they were added.
  std::string Exposition() const;
  // More families, in the same format, written by a part the registry does
  // not know (the read cache's, wired in main.cc). Add before serving.
  void AddSource(std::function<std::string()> source);

  // Read-outs for tests and for callers that want one number.
  uint64_t Requests(Face face, std::string_view method, std::string_view code) const;
  uint64_t Errors(Face face, std::string_view method, std::string_view code) const;
  // Observations of (face, method) in the histogram, and how many fell at
  // or below `le` (cumulative, as exposed).
  uint64_t DurationCount(Face face, std::string_view method) const;
  uint64_t DurationAtOrBelow(Face face, std::string_view method, double le) const;
  int64_t InFlight(Face face) const;

 private:
  using CodeKey = std::tuple<int, std::string, std::string>;  // face, method, code
  using MethodKey = std::pair<int, std::string>;              // face, method
  struct Histogram {
    // Not cumulative here (one increment per observation); Exposition sums.
    std::array<uint64_t, kLatencyBucketBounds.size() + 1> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };

  // One lock for all maps: an update is a few map lookups (well under a
  // microsecond), negligible beside a call that crosses the network.
  mutable Mutex mu_;
  std::map<CodeKey, uint64_t> requests_ ABSL_GUARDED_BY(mu_);
  std::map<CodeKey, uint64_t> errors_ ABSL_GUARDED_BY(mu_);
  std::map<MethodKey, Histogram> durations_ ABSL_GUARDED_BY(mu_);
  std::array<std::atomic<int64_t>, kFaceCount> in_flight_{};
  std::vector<std::function<std::string()>> sources_ ABSL_GUARDED_BY(mu_);
};

// A label value escaped for the text format: \ → \\, " → \", newline → \n.
std::string EscapeLabelValue(std::string_view value);
// A HELP text escaped for the text format: \ → \\, newline → \n.
std::string EscapeHelpText(std::string_view text);
// A sample value as the text format writes it: shortest round-trip decimal
// ("0.005", "1", "2.5e-05"), "+Inf", "-Inf", "NaN".
std::string FormatSampleValue(double value);

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_OBSERVABILITY_METRICS_H_
