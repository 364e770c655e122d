#include "services/gateway/observability/telemetry.h"

#include <httplib.h>

#include <exception>

#include "absl/status/status.h"
#include "services/common/errors.h"

namespace yusuan::gateway {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

Telemetry::Telemetry(bool access_log, AccessLog::Sink sink) {
  if (access_log) log_.emplace(std::move(sink));
}

void Telemetry::Finished(Face face, const AccessRecord& record, bool error, double seconds) {
  metrics_.RequestFinished(face, record.method, record.code, error, seconds);
  if (log_.has_value()) log_->Write(record);
}

RequestObservation::RequestObservation(Telemetry* telemetry, Face face)
    : telemetry_(telemetry), face_(face), start_(std::chrono::steady_clock::now()) {
  if (telemetry_ == nullptr) return;
  telemetry_->Started(face_);
  record_.time = std::chrono::system_clock::now();
  record_.face = std::string(FaceName(face_));
}

RequestObservation::~RequestObservation() {
  if (telemetry_ != nullptr && !finished_) Finish("UNKNOWN", true, 0);
}

void RequestObservation::SetCaller(const std::optional<security::TokenClaims>& caller) {
  if (telemetry_ == nullptr || !caller.has_value()) return;
  record_.subject = caller->subject;
  record_.role = std::string(security::RoleName(caller->role));
}

void RequestObservation::Finish(const std::string& code, bool error, uint64_t bytes_out) {
  if (telemetry_ == nullptr || finished_) return;
  finished_ = true;
  const double seconds = SecondsSince(start_);
  record_.code = code;
  record_.duration_ms = seconds * 1000.0;
  record_.bytes_out = bytes_out;
  telemetry_->Finished(face_, record_, error, seconds);
}

std::string GrpcCodeName(grpc::StatusCode code) {
  // gRPC's and Abseil's canonical codes are the same numbers and names.
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

void ServeMetrics(const Telemetry* telemetry, httplib::Response& response) {
  if (telemetry == nullptr) {
    const absl::Status status = absl::NotFoundError("此服务器未启用指标 / metrics are not enabled on this server");
    response.status = HttpStatusFor(status.code());
    response.set_content(ToAip193Json(status), "application/json; charset=utf-8");
    return;
  }
  response.status = 200;
  // A scrape must never be cached: every read is a new sample.
  response.set_header("Cache-Control", "no-store");
  response.set_content(telemetry->metrics().Exposition(), kPrometheusTextContentType);
}

}  // namespace yusuan::gateway
