// The report service's domain entry point: ReportInput → one Artifact.
#ifndef YUSUAN_SERVICES_REPORT_DOMAIN_RENDER_H_
#define YUSUAN_SERVICES_REPORT_DOMAIN_RENDER_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/report/domain/pdf_renderer.h"
#include "yusuan/report/v1/report.pb.h"

namespace yusuan::report {

// The version of what the renderers write: the render cache is keyed by it,
// so a renderer or template change that moves any output byte must move it,
// or cached renders of the old output are served. The golden test
// (tests/golden/reference_outputs_test.cc) records it beside the reference
// disclosure's digests and refuses new digests under the recorded version.
inline constexpr char kRendererVersion[] = "render-v5";

// Renders the whole disclosure. FORMAT_HTML, FORMAT_MARKDOWN and FORMAT_PDF
// (the whole document), FORMAT_XLSX (表1–表10, one sheet each) and the open
// data (FORMAT_JSON with provenance, FORMAT_CSV of the ledger lines,
// FORMAT_DATA_PACKAGE describing those two); FORMAT_UNSPECIFIED gives
// INVALID_ARGUMENT, an unknown value UNIMPLEMENTED, and input that cannot be
// rendered INVALID_ARGUMENT. The output is deterministic: the same input
// yields the same bytes (HTML, Markdown and the open data carry no time; the
// XLSX's and PDF's document time is publish_time_unix_ms, else the budget's
// update_time_unix_ms, else 1 January of the budget year), so sha256_hex can
// address the published artifact.
// The formats RenderReport implements, in enum order.
const std::vector<yusuan::report::v1::Format>& ImplementedFormats();

absl::StatusOr<yusuan::report::v1::Artifact> RenderReport(const yusuan::report::v1::ReportInput& input,
                                                          yusuan::report::v1::Format format);

// Several formats of one input, each rendered once, in the order asked; the
// data package is described from the CSV and JSON rendered in the same call.
// The first format that fails fails the whole call.
absl::StatusOr<std::vector<yusuan::report::v1::Artifact>> RenderReports(
    const yusuan::report::v1::ReportInput& input, const std::vector<yusuan::report::v1::Format>& formats);

// The PDF's metadata and document time for `input`, as RenderReport sets
// them: what a program laying out the same pages (bench/) must pass to get
// the same bytes.
PdfOptions PdfOptionsFor(const yusuan::report::v1::ReportInput& input);

}  // namespace yusuan::report

#endif  // YUSUAN_SERVICES_REPORT_DOMAIN_RENDER_H_
