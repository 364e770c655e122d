#include "services/gateway/observability/telemetry.h"

#include <httplib.h>

#include <exception>

#include "absl/status/status.h"
#include "services/common/errors.h"
#include "services/common/random_id.h"
#include "services/gateway/http/route_patterns.h"
#include "services/gateway/http/web.h"

namespace yusuan::gateway {
namespace {

constexpr char kRequestIdMetadata[] = "x-request-id";
constexpr char kRequestIdHeader[] = "X-Request-Id";

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The same places http/rest.cc reads a request id from for idempotency, in
// the same order, so the logged id is the one the write was keyed by.
std::string ClientRequestId(const httplib::Request& request) {
  for (const char* header : {"Idempotency-Key", "X-Request-Id", "Request-Id"}) {
    if (request.has_header(header)) return AcceptableRequestId(request.get_header_value(header));
  }
  for (const char* param : {"request_id", "requestId"}) {
    if (request.has_param(param)) return AcceptableRequestId(request.get_param_value(param));
  }
  return "";
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

GrpcCallObservation::GrpcCallObservation(Telemetry* telemetry, grpc::CallbackServerContext* context,
                                         const google::protobuf::Descriptor* request_type)
    : RequestObservation(telemetry, Face::kGrpc) {
  if (!active()) return;
  record().method = PublicRpcName(request_type);
  std::string id;
  const auto& metadata = context->client_metadata();
  if (const auto found = metadata.find(kRequestIdMetadata); found != metadata.end()) {
    id = AcceptableRequestId(std::string(found->second.data(), found->second.size()));
  }
  if (id.empty()) id = RandomHexId();
  record().request_id = id;
  record().peer = NormalizeGrpcPeer(context->peer());
  // Initial metadata goes out with the first message or the status, both
  // later than this (the handler has not finished the call yet).
  context->AddInitialMetadata(kRequestIdMetadata, id);
}

void GrpcCallObservation::SetRequest(const google::protobuf::Message& request) {
  if (!active()) return;
  // The resource the request names, when it has a top-level string field
  // for one: a cheap reflection lookup, and never anything from the body
  // beyond that name.
  const google::protobuf::Descriptor* descriptor = request.GetDescriptor();
  const google::protobuf::Reflection* reflection = request.GetReflection();
  for (const char* field_name : {"name", "parent", "budget_name"}) {
    const google::protobuf::FieldDescriptor* field = descriptor->FindFieldByName(field_name);
    if (field == nullptr || field->is_repeated() ||
        field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_STRING) {
      continue;
    }
    std::string value = reflection->GetString(request, field);
    if (!value.empty()) {
      // A name is short; a client could still send a long one.
      if (value.size() > 256) value.resize(256);
      record().resource = std::move(value);
      return;
    }
  }
}

void GrpcCallObservation::Finish(const grpc::Status& status, uint64_t bytes_out) {
  RequestObservation::Finish(GrpcCodeName(status.error_code()), !status.ok(), bytes_out);
}

RestRequestObservation::RestRequestObservation(Telemetry* telemetry, const httplib::Request& request,
                                               httplib::Response& response)
    : RequestObservation(telemetry, Face::kRest), response_(response) {
  if (!active()) return;
  std::string id = ClientRequestId(request);
  if (id.empty()) id = RandomHexId();
  record().request_id = id;
  // Until SetRoute: a web page (http/web.h) by its page pattern, anything
  // else as not (yet) matched.
  record().method = WebPages::IsPage(request.path) ? WebPagePattern(request.method, request.path)
                                                   : UnmatchedRoutePattern(request.method);
  // The path only: the query may hold a request id or filters, and is the
  // client's free text.
  record().resource = request.path.size() > 512 ? request.path.substr(0, 512) : request.path;
  record().peer = FormatHttpPeer(request.remote_addr, request.remote_port);
  response.set_header(kRequestIdHeader, id);
}

RestRequestObservation::~RestRequestObservation() {
  if (!active() || finished()) return;
  // Unwinding from a handler's exception: httplib's exception handler turns
  // it into a 500 after this runs, so count it as that. A status left unset
  // (-1) is sent as 200 by httplib.
  const int status = std::uncaught_exceptions() > 0 ? 500
                     : response_.status <= 0        ? 200
                                                    : response_.status;
  record().http_status = status;
  Finish(std::to_string(status), status >= 400, response_.body.size());
}

void RestRequestObservation::SetRoute(const RestRoute& route) {
  if (!active()) return;
  record().method = RestRoutePattern(*route.spec);
}

std::string GrpcCodeName(grpc::StatusCode code) {
  // gRPC's and Abseil's canonical codes are the same numbers and names.
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

void ServeMetrics(const Telemetry* telemetry, httplib::Response& response) {
  if (telemetry == nullptr) {
    const absl::Status status =
        absl::NotFoundError("此服务器未启用指标 / metrics are not enabled on this server");
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
