// What a caller of the Yusuan services needs besides the generated stubs:
// the gateway towards its backends and the CLI towards the gateway use the
// same channel limits and read a report format the same way. Resource names
// are services/common/resource_names.h.
#ifndef YUSUAN_SERVICES_CLIENT_CLIENT_H_
#define YUSUAN_SERVICES_CLIENT_CLIENT_H_

#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/support/channel_arguments.h"
#include "yusuan/report/v1/report.pb.h"

namespace yusuan::client {

// Metadata up to 4 MiB (long findings trailers) and messages up to 256 MiB
// (a rendered PDF or a province's bulk listing).
inline constexpr int kMaxMetadataBytes = 4 * 1024 * 1024;
inline constexpr int kMaxMessageBytes = 256 * 1024 * 1024;

// Channel arguments with those limits.
grpc::ChannelArguments ChannelArguments();

// "html" (or ""), "md"/"markdown", "pdf", "xlsx", "json", "csv",
// "datapackage", any case; INVALID_ARGUMENT naming the choices otherwise.
absl::StatusOr<yusuan::report::v1::Format> ParseReportFormat(const std::string& format);

}  // namespace yusuan::client

#endif  // YUSUAN_SERVICES_CLIENT_CLIENT_H_
