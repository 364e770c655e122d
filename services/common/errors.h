// Errors: absl::Status inside, gRPC status with google.rpc details at the edge.
//
// Structured details travel inside an absl::Status as payloads keyed by their
// type URL ("type.googleapis.com/google.rpc.BadRequest"), so a domain function
// can return a rich error without knowing about gRPC, and the edge packs the
// payloads into google.rpc.Status.details unchanged.
#ifndef YUSUAN_SERVICES_COMMON_ERRORS_H_
#define YUSUAN_SERVICES_COMMON_ERRORS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "yusuan/common/v1/findings.pb.h"

namespace grpc {
class Status;
}

namespace yusuan {

inline constexpr char kErrorDomain[] = "yusuan.gov.cn";

// Attaches `detail` to `status` as a payload under its type URL.
void AttachDetail(absl::Status& status, const google::protobuf::Message& detail);

// Reads the detail of type T back; false when absent.
template <typename T>
bool GetDetail(const absl::Status& status, T* out) {
  auto payload = status.GetPayload("type.googleapis.com/" + T::descriptor()->full_name());
  if (!payload.has_value()) return false;
  return out->ParseFromString(std::string(*payload));
}

// INVALID_ARGUMENT carrying ErrorInfo{reason}, a BadRequest with one field
// violation per FATAL finding, and the whole ValidationReport. The message
// is bilingual and names the first violated field.
absl::Status RejectedByRules(const yusuan::common::v1::ValidationReport& report, const std::string& what_zh,
                             const std::string& what_en);

// INVALID_ARGUMENT about one field of a request: the message "{zh} / {en}"
// (each should name the field and say what to do) and a BadRequest with the
// one field violation, so a client can point at the field.
absl::Status InvalidField(const std::string& field, const std::string& zh, const std::string& en);

// A status with ErrorInfo{reason, domain, metadata} attached.
absl::Status WithReason(absl::Status status, const std::string& reason);
// The ErrorInfo reason a status carries ("" when none).
std::string ErrorReason(const absl::Status& status);

// The same status with `prefix` before its message and every detail kept:
// a caller that adds what it was doing must not drop the field violations
// of the failure it reports.
absl::Status WithMessagePrefix(const absl::Status& status, const std::string& prefix);

// Counts findings by severity into the report's counters.
void Tally(yusuan::common::v1::ValidationReport& report);

// The google.rpc.Status equivalent of `status` (details from payloads).
google::rpc::Status ToRpcStatus(const absl::Status& status);
absl::Status FromRpcStatus(const google::rpc::Status& rpc_status);

// Edge conversions. The gRPC status carries the serialized google.rpc.Status
// as its binary error details (the grpc-status-details-bin trailer).
grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

// HTTP status code for a canonical code (AIP-193 mapping).
int HttpStatusFor(absl::StatusCode code);
// {"error": {"code", "message", "status", "details": [...]}} per AIP-193.
std::string ToAip193Json(const absl::Status& status);

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_ERRORS_H_
