#include "services/gateway/grpc/trailers.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "services/common/errors.h"
#include "yusuan/common/v1/findings.pb.h"

namespace yusuan::gateway {
namespace {

using yusuan::common::v1::ValidationReport;

std::string TypeUrl(const google::protobuf::Message& message) {
  return absl::StrCat("type.googleapis.com/", message.GetDescriptor()->full_name());
}

size_t DetailBytes(const absl::Status& status) { return ToRpcStatus(status).ByteSizeLong(); }

// At most `max` bytes, not splitting a UTF-8 sequence.
std::string CutUtf8(const std::string& text, size_t max) {
  if (text.size() <= max) return text;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return absl::StrCat(text.substr(0, end), "…");
}

constexpr char kTrimmedNote[] =
    "（细节过多，仅附主要部分；完整报告请用 ValidateFiling 或 POST /v1/filings:validate / "
    "details trimmed to fit gRPC trailers; ValidateFiling or POST /v1/filings:validate "
    "returns the full report）";

// The same code and payloads under another message.
absl::Status WithMessage(const absl::Status& status, const std::string& message) {
  absl::Status out(status.code(), message);
  status.ForEachPayload(
      [&](absl::string_view type_url, const absl::Cord& payload) { out.SetPayload(type_url, payload); });
  return out;
}

}  // namespace

absl::Status FitForTrailers(const absl::Status& status, size_t max_detail_bytes, size_t max_message_bytes) {
  if (status.ok()) return status;
  const std::string message(status.message());
  if (DetailBytes(status) <= max_detail_bytes && message.size() <= max_message_bytes) {
    return status;
  }

  // The message travels twice (grpc-message and inside the details), so
  // every measurement below is made with the message that will be sent.
  const std::string cut = CutUtf8(message, max_message_bytes);
  absl::Status out = WithMessage(status, absl::StrCat(cut, kTrimmedNote));
  bool trimmed = false;
  auto mark_trimmed = [&] {
    if (trimmed) return;
    trimmed = true;
    google::rpc::ErrorInfo info;
    if (GetDetail(out, &info)) {
      (*info.mutable_metadata())["details_trimmed"] = "true";
      out.SetPayload(TypeUrl(info), absl::Cord(info.SerializeAsString()));
    }
  };

  ValidationReport report;
  if (GetDetail(out, &report) && DetailBytes(out) > max_detail_bytes) {
    mark_trimmed();
    ValidationReport errors_only = report;
    errors_only.clear_findings();
    for (const auto& f : report.findings()) {
      if (f.severity() == yusuan::common::v1::SEVERITY_FATAL) *errors_only.add_findings() = f;
    }
    out.SetPayload(TypeUrl(report), absl::Cord(errors_only.SerializeAsString()));
    if (DetailBytes(out) > max_detail_bytes) out.ErasePayload(TypeUrl(report));
  }

  google::rpc::BadRequest bad_request;
  if (GetDetail(out, &bad_request) && DetailBytes(out) > max_detail_bytes) {
    mark_trimmed();
    out.ErasePayload(TypeUrl(bad_request));
    // Greedy by estimate, then exact: drop from the end until it fits.
    const size_t base = DetailBytes(out) + TypeUrl(bad_request).size() + 8;
    google::rpc::BadRequest kept;
    size_t used = base;
    for (const auto& v : bad_request.field_violations()) {
      const size_t cost = v.ByteSizeLong() + 4;
      if (used + cost > max_detail_bytes) break;
      *kept.add_field_violations() = v;
      used += cost;
    }
    while (kept.field_violations_size() > 0) {
      out.SetPayload(TypeUrl(kept), absl::Cord(kept.SerializeAsString()));
      if (DetailBytes(out) <= max_detail_bytes) break;
      kept.mutable_field_violations()->RemoveLast();
    }
    if (kept.field_violations_size() == 0) out.ErasePayload(TypeUrl(kept));
  }

  // A long ErrorInfo.metadata value — the resource name of a refusal, as
  // long as the caller sent it — is cut like the message.
  google::rpc::ErrorInfo info;
  if (GetDetail(out, &info) && DetailBytes(out) > max_detail_bytes) {
    constexpr size_t kMaxMetadataValueBytes = 256;
    for (auto& [key, value] : *info.mutable_metadata()) {
      if (value.size() > kMaxMetadataValueBytes) value = CutUtf8(value, kMaxMetadataValueBytes);
    }
    out.SetPayload(TypeUrl(info), absl::Cord(info.SerializeAsString()));
    mark_trimmed();
  }

  return trimmed ? out : WithMessage(out, cut);
}

}  // namespace yusuan::gateway
