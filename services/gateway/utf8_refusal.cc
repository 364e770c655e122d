#include "services/gateway/utf8_refusal.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/utf8.h"
#include "services/gateway/rule_catalogue.h"
#include "yusuan/common/v1/findings.pb.h"

namespace yusuan::gateway {
namespace {

constexpr char kMalformedSuffix[] = " (malformed)";

}  // namespace

absl::Status Utf8Refusal(const std::vector<std::string>& paths) {
  if (paths.empty()) return absl::OkStatus();
  yusuan::common::v1::ValidationReport report;
  for (const std::string& path : paths) {
    auto* f = report.add_findings();
    *f = NewFinding(GatewayRules(), "V-UTF8");
    f->set_field(path);
    f->set_message_zh(absl::StrCat("字段 ", path, " 不是有效的 UTF-8 编码"));
    f->set_message_en(absl::StrCat("field ", path, " is not valid UTF-8"));
  }
  Tally(report);
  return RejectedByRules(report, "请求", "the request");
}

absl::Status CheckWireUtf8(const google::protobuf::Descriptor* descriptor, std::string_view wire,
                           const std::string& strip_prefix) {
  std::vector<std::string> paths = FindInvalidUtf8Fields(descriptor, wire);
  std::vector<std::string> invalid;
  for (std::string& path : paths) {
    if (absl::EndsWith(path, kMalformedSuffix)) {
      path.resize(path.size() - (sizeof(kMalformedSuffix) - 1));
      return absl::InvalidArgumentError(absl::StrCat("请求不是有效的 ", descriptor->full_name(), " protobuf 编码（在 ",
                                                     path, " 处损坏）/ the request is not a valid ",
                                                     descriptor->full_name(), " protobuf encoding (broken at ", path,
                                                     ")"));
    }
    if (!strip_prefix.empty() && absl::StartsWith(path, strip_prefix)) {
      path.erase(0, strip_prefix.size());
    }
    invalid.push_back(std::move(path));
  }
  return Utf8Refusal(invalid);
}

absl::Status CheckJsonUtf8(std::string_view json, const std::string& add_prefix) {
  if (IsValidUtf8(json)) return absl::OkStatus();
  std::vector<std::string> paths = FindInvalidUtf8InJson(json);
  // Ill-formed bytes outside any string leave the walker nothing to name.
  if (paths.empty()) paths.push_back("(document)");
  for (std::string& path : paths) {
    if (path != "(document)") path = absl::StrCat(add_prefix, path);
  }
  return Utf8Refusal(paths);
}

}  // namespace yusuan::gateway
