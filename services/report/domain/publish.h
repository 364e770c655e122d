// Publishing: every format of one budget version rendered from one input,
// each artifact addressed by its SHA-256, so a downloaded file can be proved
// to be (or not to be) the published one.
#ifndef YUSUAN_SERVICES_REPORT_DOMAIN_PUBLISH_H_
#define YUSUAN_SERVICES_REPORT_DOMAIN_PUBLISH_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "yusuan/report/v1/report.pb.h"

namespace yusuan::report {

// The formats a version is published in when the request names none: every
// format RenderReport implements.
std::vector<yusuan::report::v1::Format> PublishedFormats();

// OK when the request names a budget, a positive version and a publish time,
// and its input is of that budget; INVALID_ARGUMENT saying which otherwise.
absl::Status CheckPublishRequest(const yusuan::report::v1::PublishRequest& request);

// Renders `request.input` in every requested format (PublishedFormats() when
// none) and describes the result. INVALID_ARGUMENT when the budget name or
// version is missing, publish_time_unix_ms is 0, or the input's budget is not
// the named one; a requested format that cannot be rendered fails the whole
// publication (nothing half-published).
absl::StatusOr<yusuan::report::v1::PublishedDisclosure> BuildPublished(
    const yusuan::report::v1::PublishRequest& request);

// Lower-case hex SHA-256 of the input's deterministic serialization: two
// publications of one version are the same when their inputs hash alike.
std::string InputSha256Hex(const yusuan::report::v1::ReportInput& input);

}  // namespace yusuan::report

#endif  // YUSUAN_SERVICES_REPORT_DOMAIN_PUBLISH_H_
