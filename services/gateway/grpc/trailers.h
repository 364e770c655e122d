// Keeping an error small enough for gRPC trailers.
//
// A refusal carries its findings as google.rpc details in the
// grpc-status-details-bin trailer (base64 on the wire), and gRPC clients
// refuse response metadata above 8 KiB by default ("received initial
// metadata size exceeds limit", RESOURCE_EXHAUSTED) — so a filing with a few
// dozen warnings would reach an ordinary client as an unreadable error. The
// public gRPC face therefore trims what it sends; the REST face (a body, no
// limit) and ValidateFiling (a response message) give the full report.
#ifndef YUSUAN_SERVICES_GATEWAY_GRPC_TRAILERS_H_
#define YUSUAN_SERVICES_GATEWAY_GRPC_TRAILERS_H_

#include <cstddef>

#include "absl/status/status.h"

namespace yusuan::gateway {

// Serialized google.rpc.Status budget: base64 makes 3.4 KiB of it, leaving
// room in 8 KiB for grpc-message (percent-encoded) and the other headers.
inline constexpr size_t kMaxTrailerDetailBytes = 2560;
// grpc-message is percent-encoded: a byte of Chinese text costs three.
inline constexpr size_t kMaxTrailerMessageBytes = 640;

// `status` unchanged when it fits; otherwise, in order, until it fits:
// the attached ValidationReport keeps only its FATAL findings (the counts
// stay the totals), the report is dropped, field violations beyond the
// budget are dropped. When anything was dropped the message says so and
// ErrorInfo.metadata["details_trimmed"] is "true". Overlong messages are
// cut at a character boundary.
absl::Status FitForTrailers(const absl::Status& status, size_t max_detail_bytes = kMaxTrailerDetailBytes,
                            size_t max_message_bytes = kMaxTrailerMessageBytes);

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_GRPC_TRAILERS_H_
