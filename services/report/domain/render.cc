#include "services/report/domain/render.h"

#include <openssl/evp.h>

#include <utility>

#include "absl/status/status.h"
#include "services/report/domain/disclosure.h"
#include "services/report/domain/html_renderer.h"
#include "services/report/domain/markdown_renderer.h"

namespace yusuan::report {

using ::yusuan::report::v1::Artifact;
using ::yusuan::report::v1::Format;

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(),
                 nullptr) != 1) {
    return "";
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0x0f];
  }
  return hex;
}

absl::StatusOr<Artifact> RenderReport(const v1::ReportInput& input,
                                      Format format) {
  if (format == v1::FORMAT_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        "未指定输出格式（可用：HTML、Markdown） / no output format given "
        "(available: HTML, Markdown)");
  }
  if (format != v1::FORMAT_HTML && format != v1::FORMAT_MARKDOWN) {
    const std::string name = v1::Format_IsValid(format)
                                 ? v1::Format_Name(format)
                                 : std::to_string(static_cast<int>(format));
    return absl::UnimplementedError(
        "暂不支持输出格式 " + name +
        "：本版本提供 HTML 和 Markdown，PDF、XLSX、JSON、CSV 将在后续版本提供 / "
        "format " + name +
        " is not implemented: this release renders HTML and Markdown; PDF, "
        "XLSX, JSON and CSV come in a later release");
  }
  absl::StatusOr<Document> document = BuildDisclosure(input);
  if (!document.ok()) return document.status();

  Artifact artifact;
  artifact.set_format(format);
  const std::string stem = DisclosureTitle(input);
  std::string content;
  if (format == v1::FORMAT_HTML) {
    content = RenderHtml(*document);
    artifact.set_media_type("text/html; charset=utf-8");
    artifact.set_file_name(stem + ".html");
  } else {
    content = RenderMarkdown(*document);
    artifact.set_media_type("text/markdown; charset=utf-8");
    artifact.set_file_name(stem + ".md");
  }
  artifact.set_sha256_hex(Sha256Hex(content));
  artifact.set_content(std::move(content));
  return artifact;
}

}  // namespace yusuan::report
