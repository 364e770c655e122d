// The report service's domain entry point: ReportInput → one Artifact.
#ifndef YUSUAN_SERVICES_REPORT_DOMAIN_RENDER_H_
#define YUSUAN_SERVICES_REPORT_DOMAIN_RENDER_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "yusuan/report/v1/report.pb.h"

namespace yusuan::report {

// Renders the whole disclosure. FORMAT_HTML and FORMAT_MARKDOWN are
// implemented; PDF, XLSX, JSON and CSV (and any unknown value) give
// UNIMPLEMENTED, FORMAT_UNSPECIFIED gives INVALID_ARGUMENT, and input that
// cannot be rendered gives INVALID_ARGUMENT. The output is deterministic:
// the same input yields the same bytes (no timestamps), so sha256_hex can
// address the published artifact.
absl::StatusOr<yusuan::report::v1::Artifact> RenderReport(
    const yusuan::report::v1::ReportInput& input,
    yusuan::report::v1::Format format);

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

}  // namespace yusuan::report

#endif  // YUSUAN_SERVICES_REPORT_DOMAIN_RENDER_H_
