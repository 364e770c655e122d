#include "services/report/domain/render.h"

#include "services/common/errors.h"
#include "services/common/sha256.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/report/domain/csv_renderer.h"
#include "services/report/domain/disclosure.h"
#include "services/report/domain/html_renderer.h"
#include "services/report/domain/json_renderer.h"
#include "services/report/domain/markdown_renderer.h"
#include "services/report/domain/narrative.h"
#include "services/report/domain/pdf_renderer.h"
#include "services/report/domain/xlsx_renderer.h"

namespace yusuan::report {
namespace {

// The time stamped inside formats that carry one (XLSX docProps). It comes
// from the input so that the same input gives the same bytes: the version's
// publish time, else (a preview) the budget's last update, else 1 January
// of the budget year, 00:00 UTC.
int64_t DocumentTimeUnixSeconds(const v1::ReportInput& input, int year) {
  const int64_t published = input.publish_time_unix_ms() / 1000;
  if (published > 0) return published;
  const int64_t updated = input.budget().update_time_unix_ms() / 1000;
  if (updated > 0) return updated;
  using namespace std::chrono;
  const sys_days new_year{std::chrono::year{year} / January / 1};
  return std::max<int64_t>(duration_cast<seconds>(new_year.time_since_epoch()).count(), 1);
}

v1::Artifact Finished(v1::Format format, std::string media_type, std::string file_name, std::string content) {
  v1::Artifact artifact;
  artifact.set_format(format);
  artifact.set_media_type(std::move(media_type));
  artifact.set_file_name(std::move(file_name));
  artifact.set_sha256_hex(yusuan::Sha256Hex(content));
  artifact.set_content(std::move(content));
  return artifact;
}

}  // namespace

using ::yusuan::report::v1::Artifact;
using ::yusuan::report::v1::Format;

const std::vector<Format>& ImplementedFormats() {
  static const auto* formats =
      new std::vector<Format>{v1::FORMAT_HTML, v1::FORMAT_MARKDOWN, v1::FORMAT_PDF,         v1::FORMAT_XLSX,
                              v1::FORMAT_JSON, v1::FORMAT_CSV,      v1::FORMAT_DATA_PACKAGE};
  return *formats;
}

PdfOptions PdfOptionsFor(const v1::ReportInput& input) {
  PdfOptions options;
  options.publish_time_unix_ms = DocumentTimeUnixSeconds(input, FiscalYear(input)) * 1000;
  options.author = input.department().full_name();
  options.department = input.department().full_name();
  options.subject = "部门预算公开";
  options.year = FiscalYear(input);
  return options;
}

// One format that stands alone (every one but the data package).
static absl::StatusOr<Artifact> RenderSingle(const v1::ReportInput& input, Format format) {
  if (format == v1::FORMAT_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        "未指定输出格式（可用：HTML、Markdown、PDF、XLSX、JSON、CSV、DATA_PACKAGE） / no output "
        "format given (available: HTML, Markdown, PDF, XLSX, JSON, CSV, DATA_PACKAGE)");
  }
  const std::vector<Format>& implemented = ImplementedFormats();
  if (std::find(implemented.begin(), implemented.end(), format) == implemented.end()) {
    const std::string name =
        v1::Format_IsValid(format) ? v1::Format_Name(format) : std::to_string(static_cast<int>(format));
    return absl::UnimplementedError(
        "不支持输出格式 " + name + "：可用 HTML、Markdown、PDF、XLSX、JSON、CSV、DATA_PACKAGE / format " + name +
        " is not implemented: available are HTML, Markdown, PDF, XLSX, JSON, CSV and DATA_PACKAGE");
  }
  absl::StatusOr<Document> document = BuildDisclosure(input);
  if (!document.ok()) return document.status();
  if (format == v1::FORMAT_CSV) {
    // Open data: the ledger lines the tables are made of.
    return Finished(format, "text/csv; charset=utf-8", DisclosureTitle(input) + "-明细.csv", RenderLedgerCsv(input));
  }
  if (format == v1::FORMAT_JSON) {
    absl::StatusOr<std::string> json = RenderOpenDataJson(input);
    if (!json.ok()) return json.status();
    return Finished(format, "application/json", DisclosureTitle(input) + ".json", *std::move(json));
  }

  Artifact artifact;
  artifact.set_format(format);
  const std::string stem = DisclosureTitle(input);
  std::string content;
  if (format == v1::FORMAT_HTML) {
    content = RenderHtml(*document);
    artifact.set_media_type("text/html; charset=utf-8");
    artifact.set_file_name(stem + ".html");
  } else if (format == v1::FORMAT_MARKDOWN) {
    content = RenderMarkdown(*document);
    artifact.set_media_type("text/markdown; charset=utf-8");
    artifact.set_file_name(stem + ".md");
  } else if (format == v1::FORMAT_PDF) {
    absl::StatusOr<std::string> pdf = RenderPdf(*document, PdfOptionsFor(input));
    if (!pdf.ok()) return pdf.status();
    content = *std::move(pdf);
    artifact.set_media_type("application/pdf");
    artifact.set_file_name(stem + ".pdf");
  } else {
    XlsxOptions options;
    options.created_unix_seconds = DocumentTimeUnixSeconds(input, FiscalYear(input));
    options.title_prefix = TableTitlePrefix(input);
    options.author = input.department().full_name();
    absl::StatusOr<std::string> xlsx = RenderXlsx(*document, options);
    if (!xlsx.ok()) return xlsx.status();
    content = *std::move(xlsx);
    artifact.set_media_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    artifact.set_file_name(stem + ".xlsx");
  }
  artifact.set_sha256_hex(yusuan::Sha256Hex(content));
  artifact.set_content(std::move(content));
  return artifact;
}

absl::StatusOr<std::vector<Artifact>> RenderReports(const v1::ReportInput& input, const std::vector<Format>& formats) {
  // Each format is rendered once; the data package is described from the
  // CSV and JSON of this same call (it names them by their hashes), so
  // publishing every format renders those two once, not twice.
  std::map<Format, Artifact> rendered;
  auto single = [&](Format format) -> absl::StatusOr<const Artifact*> {
    if (auto it = rendered.find(format); it != rendered.end()) return &it->second;
    absl::StatusOr<Artifact> artifact = RenderSingle(input, format);
    if (!artifact.ok()) return artifact.status();
    return &rendered.emplace(format, *std::move(artifact)).first->second;
  };
  auto render = [&](Format format) -> absl::StatusOr<const Artifact*> {
    if (format != v1::FORMAT_DATA_PACKAGE) return single(format);
    if (auto it = rendered.find(format); it != rendered.end()) return &it->second;
    absl::StatusOr<const Artifact*> csv = single(v1::FORMAT_CSV);
    if (!csv.ok()) return csv.status();
    absl::StatusOr<const Artifact*> json = single(v1::FORMAT_JSON);
    if (!json.ok()) return json.status();
    return &rendered
                .emplace(format, Finished(format, "application/json", "datapackage.json",
                                          RenderDataPackage(input, **csv, **json)))
                .first->second;
  };
  // Text no renderer can write is the input's fault, not one format's: say
  // which field, once, before any format is tried.
  if (absl::Status text = CheckRenderableText(input); !text.ok()) return text;
  std::vector<Artifact> out;
  for (Format format : formats) {
    absl::StatusOr<const Artifact*> artifact = render(format);
    if (!artifact.ok()) {
      const std::string name = v1::Format_IsValid(format) ? v1::Format_Name(format) : std::to_string(format);
      // The details (the fields that broke the render) travel on.
      return WithMessagePrefix(artifact.status(), absl::StrCat("未能生成 ", name, " / could not render ", name, ": "));
    }
    out.push_back(**artifact);
  }
  return out;
}

absl::StatusOr<Artifact> RenderReport(const v1::ReportInput& input, Format format) {
  absl::StatusOr<std::vector<Artifact>> artifacts = RenderReports(input, {format});
  if (!artifacts.ok()) return artifacts.status();
  return std::move(artifacts->front());
}

}  // namespace yusuan::report
