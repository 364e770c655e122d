#include "services/gateway/observability/metrics.h"

#include <charconv>
#include <cmath>
#include <system_error>

namespace yusuan::gateway {
namespace {

constexpr char kRequests[] = "yusuan_gateway_requests_total";
constexpr char kErrors[] = "yusuan_gateway_errors_total";
constexpr char kDuration[] = "yusuan_gateway_request_duration_seconds";
constexpr char kInFlight[] = "yusuan_gateway_in_flight_requests";

void AppendFamilyHeader(std::string& out, const char* name, std::string_view type, std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += EscapeHelpText(help);
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

// `name{face="…",method="…"` without the closing brace, so callers can add
// labels (code, le) before closing it.
void AppendSeriesStart(std::string& out, std::string_view name, int face, const std::string& method) {
  out += name;
  out += "{face=\"";
  out += FaceName(static_cast<Face>(face));
  out += "\",method=\"";
  out += EscapeLabelValue(method);
  out += '"';
}

void AppendCounters(std::string& out, const char* name,
                    const std::map<std::tuple<int, std::string, std::string>, uint64_t>& counters) {
  for (const auto& [key, value] : counters) {
    const auto& [face, method, code] = key;
    AppendSeriesStart(out, name, face, method);
    out += ",code=\"";
    out += EscapeLabelValue(code);
    out += "\"} ";
    out += std::to_string(value);
    out += '\n';
  }
}

}  // namespace

std::string_view FaceName(Face face) { return face == Face::kGrpc ? "grpc" : "rest"; }

void MetricsRegistry::RequestStarted(Face face) {
  in_flight_[static_cast<size_t>(face)].fetch_add(1, std::memory_order_relaxed);
}

void MetricsRegistry::RequestFinished(Face face, std::string_view method, std::string_view code, bool error,
                                      double seconds) {
  const int f = static_cast<int>(face);
  CodeKey key(f, std::string(method), std::string(code));
  size_t bucket = 0;
  while (bucket < kLatencyBucketBounds.size() && seconds > kLatencyBucketBounds[bucket]) ++bucket;
  {
    MutexLock lock(&mu_);
    ++requests_[key];
    if (error) ++errors_[key];
    Histogram& histogram = durations_[MethodKey(f, std::get<1>(key))];
    ++histogram.buckets[bucket];
    ++histogram.count;
    histogram.sum += seconds;
  }
  in_flight_[static_cast<size_t>(face)].fetch_sub(1, std::memory_order_relaxed);
}

std::string MetricsRegistry::Exposition() const {
  std::string out;
  MutexLock lock(&mu_);
  AppendFamilyHeader(out, kRequests, "counter",
                     "Requests answered by the gateway, by face (grpc, rest), method (RPC name or "
                     "REST route) and code (gRPC code name or HTTP status). 网关应答的请求数。");
  AppendCounters(out, kRequests, requests_);
  AppendFamilyHeader(out, kErrors, "counter",
                     "Requests answered with an error (gRPC code other than OK, HTTP status 400 or "
                     "above), by face, method and code. 以错误应答的请求数。");
  AppendCounters(out, kErrors, errors_);
  AppendFamilyHeader(out, kDuration, "histogram",
                     "Time from a request's arrival to its answer, in seconds, by face and method. "
                     "请求耗时（秒）。");
  for (const auto& [key, histogram] : durations_) {
    const auto& [face, method] = key;
    uint64_t cumulative = 0;
    for (size_t i = 0; i <= kLatencyBucketBounds.size(); ++i) {
      cumulative += histogram.buckets[i];
      AppendSeriesStart(out, std::string(kDuration) + "_bucket", face, method);
      out += ",le=\"";
      out += i < kLatencyBucketBounds.size() ? FormatSampleValue(kLatencyBucketBounds[i]) : "+Inf";
      out += "\"} ";
      out += std::to_string(cumulative);
      out += '\n';
    }
    AppendSeriesStart(out, std::string(kDuration) + "_sum", face, method);
    out += "} ";
    out += FormatSampleValue(histogram.sum);
    out += '\n';
    AppendSeriesStart(out, std::string(kDuration) + "_count", face, method);
    out += "} ";
    out += std::to_string(histogram.count);
    out += '\n';
  }
  AppendFamilyHeader(out, kInFlight, "gauge",
                     "Requests being handled now (a scrape of /metrics counts itself), by face. "
                     "正在处理的请求数。");
  for (size_t face = 0; face < kFaceCount; ++face) {
    out += kInFlight;
    out += "{face=\"";
    out += FaceName(static_cast<Face>(face));
    out += "\"} ";
    out += std::to_string(in_flight_[face].load(std::memory_order_relaxed));
    out += '\n';
  }
  for (const auto& source : sources_) out += source();
  return out;
}

void MetricsRegistry::AddSource(std::function<std::string()> source) {
  MutexLock lock(&mu_);
  sources_.push_back(std::move(source));
}

uint64_t MetricsRegistry::Requests(Face face, std::string_view method, std::string_view code) const {
  MutexLock lock(&mu_);
  auto found = requests_.find(CodeKey(static_cast<int>(face), std::string(method), std::string(code)));
  return found == requests_.end() ? 0 : found->second;
}

uint64_t MetricsRegistry::Errors(Face face, std::string_view method, std::string_view code) const {
  MutexLock lock(&mu_);
  auto found = errors_.find(CodeKey(static_cast<int>(face), std::string(method), std::string(code)));
  return found == errors_.end() ? 0 : found->second;
}

uint64_t MetricsRegistry::DurationCount(Face face, std::string_view method) const {
  MutexLock lock(&mu_);
  auto found = durations_.find(MethodKey(static_cast<int>(face), std::string(method)));
  return found == durations_.end() ? 0 : found->second.count;
}

uint64_t MetricsRegistry::DurationAtOrBelow(Face face, std::string_view method, double le) const {
  MutexLock lock(&mu_);
  auto found = durations_.find(MethodKey(static_cast<int>(face), std::string(method)));
  if (found == durations_.end()) return 0;
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kLatencyBucketBounds.size() && kLatencyBucketBounds[i] <= le; ++i) {
    cumulative += found->second.buckets[i];
  }
  if (std::isinf(le) && le > 0) cumulative = found->second.count;
  return cumulative;
}

int64_t MetricsRegistry::InFlight(Face face) const {
  return in_flight_[static_cast<size_t>(face)].load(std::memory_order_relaxed);
}

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string EscapeHelpText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string FormatSampleValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // Shortest text that reads back as the same double: 0.005 stays "0.005"
  // rather than printf's "0.0050000000000000001".
  char buffer[64];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  if (error != std::errc()) return "NaN";
  return std::string(buffer, end);
}

}  // namespace yusuan::gateway
