#include "services/client/client.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace yusuan::client {

namespace rv1 = yusuan::report::v1;

grpc::ChannelArguments ChannelArguments() {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_MAX_METADATA_SIZE, kMaxMetadataBytes);
  args.SetMaxReceiveMessageSize(kMaxMessageBytes);
  // A restarted peer is found again within seconds, not after gRPC's default
  // backoff of up to two minutes: writes resume by themselves. (The minimum,
  // which is also how long one connection attempt may take, stays 20 s.)
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 250);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 5000);
  return args;
}

absl::StatusOr<rv1::Format> ParseReportFormat(const std::string& format) {
  const std::string f = absl::AsciiStrToLower(format);
  if (f.empty() || f == "html") return rv1::FORMAT_HTML;
  if (f == "md" || f == "markdown") return rv1::FORMAT_MARKDOWN;
  if (f == "pdf") return rv1::FORMAT_PDF;
  if (f == "xlsx") return rv1::FORMAT_XLSX;
  if (f == "json") return rv1::FORMAT_JSON;
  if (f == "csv") return rv1::FORMAT_CSV;
  if (f == "datapackage") return rv1::FORMAT_DATA_PACKAGE;
  return absl::InvalidArgumentError(absl::StrCat(
      "不支持的格式 format=", format, "，可用 html、md、pdf、xlsx、json、csv、datapackage / unknown format \"", format,
      "\"; use html, md, pdf, xlsx, json, csv or datapackage"));
}

}  // namespace yusuan::client
