#include "services/common/errors.h"

#include <grpcpp/support/status.h>

#include "absl/strings/str_cat.h"
#include "google/protobuf/any.pb.h"
#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"

namespace yusuan {
namespace {

constexpr char kTypeUrlPrefix[] = "type.googleapis.com/";

const char* CanonicalName(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return "OK";
    case absl::StatusCode::kCancelled:
      return "CANCELLED";
    case absl::StatusCode::kUnknown:
      return "UNKNOWN";
    case absl::StatusCode::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case absl::StatusCode::kDeadlineExceeded:
      return "DEADLINE_EXCEEDED";
    case absl::StatusCode::kNotFound:
      return "NOT_FOUND";
    case absl::StatusCode::kAlreadyExists:
      return "ALREADY_EXISTS";
    case absl::StatusCode::kPermissionDenied:
      return "PERMISSION_DENIED";
    case absl::StatusCode::kResourceExhausted:
      return "RESOURCE_EXHAUSTED";
    case absl::StatusCode::kFailedPrecondition:
      return "FAILED_PRECONDITION";
    case absl::StatusCode::kAborted:
      return "ABORTED";
    case absl::StatusCode::kOutOfRange:
      return "OUT_OF_RANGE";
    case absl::StatusCode::kUnimplemented:
      return "UNIMPLEMENTED";
    case absl::StatusCode::kInternal:
      return "INTERNAL";
    case absl::StatusCode::kUnavailable:
      return "UNAVAILABLE";
    case absl::StatusCode::kDataLoss:
      return "DATA_LOSS";
    case absl::StatusCode::kUnauthenticated:
      return "UNAUTHENTICATED";
    default:
      return "UNKNOWN";
  }
}

}  // namespace

void AttachDetail(absl::Status& status, const google::protobuf::Message& detail) {
  if (status.ok()) return;
  status.SetPayload(absl::StrCat(kTypeUrlPrefix, detail.GetDescriptor()->full_name()),
                    absl::Cord(detail.SerializeAsString()));
}

void Tally(yusuan::common::v1::ValidationReport& report) {
  int fatal = 0, warnings = 0, infos = 0;
  for (const auto& f : report.findings()) {
    switch (f.severity()) {
      case yusuan::common::v1::SEVERITY_FATAL:
        ++fatal;
        break;
      case yusuan::common::v1::SEVERITY_WARNING:
        ++warnings;
        break;
      default:
        ++infos;
        break;
    }
  }
  report.set_fatal_count(fatal);
  report.set_warning_count(warnings);
  report.set_info_count(infos);
}

absl::Status RejectedByRules(const yusuan::common::v1::ValidationReport& report, const std::string& what_zh,
                             const std::string& what_en) {
  google::rpc::BadRequest bad_request;
  const yusuan::common::v1::Finding* first = nullptr;
  int errors = 0;
  for (const auto& f : report.findings()) {
    if (f.severity() != yusuan::common::v1::SEVERITY_FATAL) continue;
    if (first == nullptr) first = &f;
    ++errors;
    auto* v = bad_request.add_field_violations();
    v->set_field(f.field());
    v->set_description(absl::StrCat("[", f.rule_id(), "] ", f.message_zh(), " / ", f.message_en(),
                                    f.hint().empty() ? "" : absl::StrCat(" — ", f.hint())));
  }
  std::string message =
      absl::StrCat(what_zh, "未通过校验，共 ", errors, " 项错误 / ", what_en, " was refused: ", errors, " error(s)");
  if (first != nullptr) {
    absl::StrAppend(&message, "; 首项 first: ", first->field(), ": ", first->message_zh(), " / ", first->message_en());
  }
  absl::Status status(absl::StatusCode::kInvalidArgument, message);
  google::rpc::ErrorInfo info;
  info.set_reason("VALIDATION_FAILED");
  info.set_domain(kErrorDomain);
  if (first != nullptr) (*info.mutable_metadata())["rule_id"] = first->rule_id();
  AttachDetail(status, info);
  AttachDetail(status, bad_request);
  AttachDetail(status, report);
  return status;
}

absl::Status InvalidField(const std::string& field, const std::string& zh, const std::string& en) {
  absl::Status status = absl::InvalidArgumentError(absl::StrCat(zh, " / ", en));
  google::rpc::BadRequest bad_request;
  auto* violation = bad_request.add_field_violations();
  violation->set_field(field);
  violation->set_description(en);
  AttachDetail(status, bad_request);
  return status;
}

absl::Status WithReason(absl::Status status, const std::string& reason) {
  google::rpc::ErrorInfo info;
  info.set_reason(reason);
  info.set_domain(kErrorDomain);
  AttachDetail(status, info);
  return status;
}

std::string ErrorReason(const absl::Status& status) {
  google::rpc::ErrorInfo info;
  return GetDetail(status, &info) ? info.reason() : "";
}

absl::Status WithMessagePrefix(const absl::Status& status, const std::string& prefix) {
  if (status.ok()) return status;
  absl::Status out(status.code(), absl::StrCat(prefix, status.message()));
  status.ForEachPayload(
      [&](absl::string_view type_url, const absl::Cord& payload) { out.SetPayload(type_url, payload); });
  return out;
}

google::rpc::Status ToRpcStatus(const absl::Status& status) {
  google::rpc::Status rpc;
  rpc.set_code(static_cast<int>(status.code()));
  rpc.set_message(std::string(status.message()));
  status.ForEachPayload([&](absl::string_view type_url, const absl::Cord& payload) {
    auto* any = rpc.add_details();
    any->set_type_url(std::string(type_url));
    any->set_value(std::string(payload));
  });
  return rpc;
}

absl::Status FromRpcStatus(const google::rpc::Status& rpc_status) {
  absl::Status status(static_cast<absl::StatusCode>(rpc_status.code()), rpc_status.message());
  for (const auto& any : rpc_status.details()) {
    status.SetPayload(any.type_url(), absl::Cord(any.value()));
  }
  return status;
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()),
                      ToRpcStatus(status).SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  google::rpc::Status rpc;
  if (!status.error_details().empty() && rpc.ParseFromString(status.error_details())) {
    return FromRpcStatus(rpc);
  }
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

int HttpStatusFor(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kFailedPrecondition:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kAlreadyExists:
      return 409;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kCancelled:
      return 499;
    case absl::StatusCode::kUnimplemented:
      return 501;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    default:
      return 500;
  }
}

std::string ToAip193Json(const absl::Status& status) {
  std::string rpc_json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = false;
  nlohmann::json details = nlohmann::json::array();
  if (google::protobuf::util::MessageToJsonString(ToRpcStatus(status), &rpc_json, options).ok()) {
    auto parsed = nlohmann::json::parse(rpc_json, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_object() && parsed.contains("details")) details = parsed["details"];
  }
  nlohmann::json body = {{"error",
                          {{"code", HttpStatusFor(status.code())},
                           {"message", std::string(status.message())},
                           {"status", CanonicalName(status.code())},
                           {"details", details}}}};
  return body.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
}

}  // namespace yusuan
