// What the gateway records about each request, for both faces: the metrics
// (metrics.h) and the access log line (access_log.h). A face opens an
// observation when a request arrives and closes it once with the answer.
//
// Request ids: the client's (REST header Idempotency-Key, X-Request-Id or
// Request-Id, or query request_id; gRPC metadata x-request-id) when it is
// 1–128 printable ASCII characters, otherwise a generated one. Either way
// the answer carries it: REST header X-Request-Id, gRPC initial metadata
// x-request-id — so a caller can quote it when reporting a problem.
#ifndef YUSUAN_SERVICES_GATEWAY_OBSERVABILITY_TELEMETRY_H_
#define YUSUAN_SERVICES_GATEWAY_OBSERVABILITY_TELEMETRY_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <optional>
#include <string>

#include "google/protobuf/message.h"
#include "services/gateway/observability/access_log.h"
#include "services/gateway/observability/metrics.h"
#include "services/security/token.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace yusuan::gateway {

class Telemetry {
 public:
  // `access_log`: write a line per request (to `sink`, or stderr when null).
  explicit Telemetry(bool access_log, AccessLog::Sink sink = nullptr);

  MetricsRegistry& metrics() { return metrics_; }
  const MetricsRegistry& metrics() const { return metrics_; }

  // Used by the observations below.
  void Started(Face face) { metrics_.RequestStarted(face); }
  void Finished(Face face, const AccessRecord& record, bool error, double seconds);

 private:
  MetricsRegistry metrics_;
  std::optional<AccessLog> log_;
};

// One request from arrival to answer. With a null Telemetry every member
// does nothing, so servers built without one (unit tests) behave as before.
class RequestObservation {
 public:
  RequestObservation(Telemetry* telemetry, Face face);
  // One never finished (a path that forgot to) is counted as UNKNOWN, so the
  // in-flight gauge cannot drift.
  ~RequestObservation();
  RequestObservation(const RequestObservation&) = delete;
  RequestObservation& operator=(const RequestObservation&) = delete;

  bool active() const { return telemetry_ != nullptr; }
  AccessRecord& record() { return record_; }
  // The verified token's subject and role (nullopt: anonymous).
  void SetCaller(const std::optional<security::TokenClaims>& caller);
  // Counts the request and writes its line; only the first call counts.
  void Finish(const std::string& code, bool error, uint64_t bytes_out);
  bool finished() const { return finished_; }

 private:
  Telemetry* telemetry_;
  Face face_;
  std::chrono::steady_clock::time_point start_;
  AccessRecord record_;
  bool finished_ = false;
};

// The name of a gRPC status code as the metrics and logs write it ("OK",
// "NOT_FOUND", …).
std::string GrpcCodeName(grpc::StatusCode code);

// GET /metrics: the exposition of `telemetry` (404 when the server has none).
void ServeMetrics(const Telemetry* telemetry, httplib::Response& response);

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_OBSERVABILITY_TELEMETRY_H_
