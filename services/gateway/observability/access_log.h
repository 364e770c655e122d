// The gateway's access log: one JSON object per request, one line each, on
// stderr (the gateway's log), so a log shipper can parse it without a
// grammar. What a line holds:
//
//   {"time":"2026-11-26T19:30:00.123Z","face":"rest",
//    "method":"GET /v1/regions/{r}/departments/{a}/budgets/{y}",
//    "resource":"/v1/regions/420107/departments/005001022/budgets/2021",
//    "code":"200","http_status":200,"duration_ms":1.234,
//    "request_id":"3f9c…","subject":"zhang.san","role":"preparer",
//    "peer":"127.0.0.1:53412","bytes_out":5120}
//
// `time` is when the request arrived (UTC, RFC 3339, milliseconds);
// `resource` the REST path without its query, or the gRPC request's name /
// parent / budget_name; `subject` and `role` only when a bearer token was
// verified. Never the token, the query string or a body: they may carry
// credentials or unpublished figures.
#ifndef YUSUAN_SERVICES_GATEWAY_OBSERVABILITY_ACCESS_LOG_H_
#define YUSUAN_SERVICES_GATEWAY_OBSERVABILITY_ACCESS_LOG_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace yusuan::gateway {

struct AccessRecord {
  std::chrono::system_clock::time_point time;  // arrival
  std::string face;                            // "grpc" or "rest"
  std::string method;                          // the RPC name, or the REST route pattern (as in /metrics)
  std::string resource;                        // "" when not known
  std::string code;                            // gRPC code name ("NOT_FOUND") or HTTP status ("404")
  int http_status = 0;                         // REST only (0: not written)
  double duration_ms = 0;
  std::string request_id;
  std::string subject;  // "" when no token was verified
  std::string role;
  std::string peer;  // "127.0.0.1:53412", "[::1]:53412"
  uint64_t bytes_out = 0;
};

// The record as one line of compact JSON (no newline). Strings that are not
// UTF-8 are written with U+FFFD in place of the bad bytes rather than
// failing: a log line must never take the request down with it.
std::string FormatAccessLogLine(const AccessRecord& record);

// "2026-11-26T19:30:00.123Z".
std::string FormatRfc3339Millis(std::chrono::system_clock::time_point time);

// `value` when it can be a request id — 1 to 128 printable ASCII characters
// (it is echoed in a response header, where a CR or LF would split it) —
// otherwise "".
std::string AcceptableRequestId(std::string_view value);

// A gRPC peer ("ipv4:127.0.0.1:5000", "ipv6:[::1]:5000") as REST writes it
// ("127.0.0.1:5000", "[::1]:5000"): one spelling per address in the log.
std::string NormalizeGrpcPeer(std::string_view peer);
// An HTTP client address and port in the same spelling.
std::string FormatHttpPeer(const std::string& address, int port);

// Where lines go: stderr by default, each line with one write(2) so lines
// of concurrent requests never interleave.
class AccessLog {
 public:
  using Sink = std::function<void(const std::string& line)>;
  // `sink` receives each line without its newline; null: stderr.
  explicit AccessLog(Sink sink = nullptr);
  void Write(const AccessRecord& record);

 private:
  Sink sink_;
};

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_OBSERVABILITY_ACCESS_LOG_H_
