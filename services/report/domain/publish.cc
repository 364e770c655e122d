#include "services/report/domain/publish.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "services/common/errors.h"
#include "services/common/sha256.h"
#include "services/report/domain/render.h"

namespace yusuan::report {

namespace v1 = yusuan::report::v1;

std::vector<v1::Format> PublishedFormats() { return ImplementedFormats(); }

std::string InputSha256Hex(const v1::ReportInput& input) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    input.SerializeToCodedStream(&coded);
  }
  return yusuan::Sha256Hex(bytes);
}

absl::Status CheckPublishRequest(const v1::PublishRequest& request) {
  if (request.budget_name().empty()) {
    return absl::InvalidArgumentError("budget_name 不能为空 / budget_name is required");
  }
  if (request.version() <= 0) {
    return absl::InvalidArgumentError(absl::StrCat("version 应为正整数，实为 ", request.version(),
                                                   " / version must be a positive budget version, not ",
                                                   request.version()));
  }
  const v1::ReportInput& input = request.input();
  if (input.publish_time_unix_ms() <= 0) {
    return absl::InvalidArgumentError(
        "input.publish_time_unix_ms 未设置：公开文件中的时间取自该版本的公开时间 / "
        "input.publish_time_unix_ms is not set: the published files take their timestamps from it");
  }
  if (input.budget().name() != request.budget_name()) {
    return absl::InvalidArgumentError(absl::StrCat("input.budget.name 为 ", input.budget().name(), "，不是 ",
                                                   request.budget_name(), " / input.budget.name is \"",
                                                   input.budget().name(), "\", not \"", request.budget_name(), "\""));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::PublishedDisclosure> BuildPublished(const v1::PublishRequest& request) {
  if (absl::Status checked = CheckPublishRequest(request); !checked.ok()) return checked;
  const v1::ReportInput& input = request.input();
  std::vector<v1::Format> formats;
  for (int format : request.formats()) formats.push_back(static_cast<v1::Format>(format));
  if (formats.empty()) formats = PublishedFormats();

  v1::PublishedDisclosure out;
  out.set_budget_name(request.budget_name());
  out.set_version(request.version());
  out.set_publish_time_unix_ms(input.publish_time_unix_ms());
  out.set_department_name(input.department().name());
  out.set_department_full_name(input.department().full_name());
  out.set_department_short_name(input.department().short_name());
  out.set_fiscal_year(input.budget().fiscal_year());
  out.set_input_sha256_hex(InputSha256Hex(input));
  absl::StatusOr<std::vector<v1::Artifact>> artifacts = RenderReports(input, formats);
  if (!artifacts.ok()) {
    // A field no renderer can write is said as it is (it names the field).
    if (ErrorReason(artifacts.status()) == "INPUT_NOT_RENDERABLE") return artifacts.status();
    return WithMessagePrefix(
        artifacts.status(),
        "未能生成全部格式，未公开任何文件 / could not render every format, nothing was published: ");
  }
  for (v1::Artifact& artifact : *artifacts) *out.add_artifacts() = std::move(artifact);
  return out;
}

}  // namespace yusuan::report
