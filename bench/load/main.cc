// yusuan-load: keeps N unary calls to one gRPC method in flight for a while
// and reports throughput, latency percentiles, errors by code and the
// client's own CPU (bench/README.md § yusuan-load).
//   yusuan-load --target 127.0.0.1:50051 --method /grpc.health.v1.Health/Check
//     [--request_json FILE | --request_json_text '{...}' | --request_json_lines FILE] [--token T]
//     [--in_flight 16] [--seconds 5] [--warmup_seconds 1] [--vary_field request_id]
//     [--deadline_ms 10000] [--json] [--tls_ca_file CA.pem …]
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/load/load.h"
#include "bench/load/print.h"
#include "services/common/tls.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "Server address HOST:PORT");
ABSL_FLAG(std::string, method, "", "Full method path, e.g. /yusuan.gateway.v1.PublicApi/GetBudget");
ABSL_FLAG(std::string, request_json, "", "File holding the request message as protobuf JSON");
ABSL_FLAG(std::string, request_json_text, "", "The request message as protobuf JSON (default {})");
ABSL_FLAG(std::vector<std::string>, metadata, {},
          "More metadata for every call, KEY=VALUE[,KEY=VALUE…] (keys lowercase), e.g. a backend's "
          "x-yusuan-internal credential to call it directly");
ABSL_FLAG(std::string, request_json_lines, "",
          "File of requests, one protobuf JSON object a line, sent in turn (instead of --request_json)");
ABSL_FLAG(std::string, token, "", "Bearer token sent as authorization metadata ('' = none)");
ABSL_FLAG(int, in_flight, 1, "Calls kept outstanding");
ABSL_FLAG(double, seconds, 5, "Measured duration in seconds");
ABSL_FLAG(double, warmup_seconds, 1, "Calls made before the measured window, not measured");
ABSL_FLAG(std::string, vary_field, "",
          "Top-level string field of the request set to a distinct value per call (e.g. request_id)");
ABSL_FLAG(bool, each_once, false,
          "Send each request (of --request_json_lines, or the one request) exactly once, with no warm-up, "
          "instead of for --seconds");
ABSL_FLAG(int, deadline_ms, 10000, "Deadline of each call in ms (0 = none)");
ABSL_FLAG(bool, json, false, "Print the result as one JSON object instead of a table");
ABSL_FLAG(std::string, tls_ca_file, "", "Talk TLS; the server's certificate must chain to this CA (PEM)");
ABSL_FLAG(std::string, tls_cert_file, "", "Client certificate (PEM) for a server that requires one");
ABSL_FLAG(std::string, tls_key_file, "", "Private key of --tls_cert_file (PEM)");

namespace {

absl::StatusOr<std::string> RequestJson() {
  const std::string file = absl::GetFlag(FLAGS_request_json);
  const std::string text = absl::GetFlag(FLAGS_request_json_text);
  if (!file.empty() && !text.empty()) {
    return absl::InvalidArgumentError("give --request_json or --request_json_text, not both");
  }
  if (file.empty()) return text.empty() ? "{}" : text;
  std::ifstream in(file, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("--request_json ", file, ": cannot be read"));
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  yusuan::load::LoadOptions options;
  options.target = absl::GetFlag(FLAGS_target);
  options.method = absl::GetFlag(FLAGS_method);
  if (options.method.empty()) {
    std::cerr << "yusuan-load: --method is required, e.g. --method /grpc.health.v1.Health/Check\n";
    return 2;
  }
  absl::StatusOr<std::string> json = RequestJson();
  if (!json.ok()) {
    std::cerr << "yusuan-load: " << json.status().message() << "\n";
    return 2;
  }
  options.request_json = *std::move(json);
  if (const std::string lines_file = absl::GetFlag(FLAGS_request_json_lines); !lines_file.empty()) {
    if (options.request_json != "{}") {
      std::cerr << "yusuan-load: give --request_json_lines or a single request, not both\n";
      return 2;
    }
    std::ifstream in(lines_file, std::ios::binary);
    if (!in) {
      std::cerr << "yusuan-load: --request_json_lines " << lines_file << ": cannot be read\n";
      return 2;
    }
    for (std::string line; std::getline(in, line);) {
      if (line.find_first_not_of(" \t\r") != std::string::npos) options.request_json_list.push_back(line);
    }
    if (options.request_json_list.empty()) {
      std::cerr << "yusuan-load: --request_json_lines " << lines_file << " holds no request\n";
      return 2;
    }
  }
  options.token = absl::GetFlag(FLAGS_token);
  for (const std::string& entry : absl::GetFlag(FLAGS_metadata)) {
    const size_t equals = entry.find('=');
    if (equals == std::string::npos || equals == 0) {
      std::cerr << "yusuan-load: --metadata " << entry << ": expected KEY=VALUE\n";
      return 2;
    }
    options.metadata.emplace_back(entry.substr(0, equals), entry.substr(equals + 1));
  }
  options.in_flight = absl::GetFlag(FLAGS_in_flight);
  options.duration = absl::Seconds(absl::GetFlag(FLAGS_seconds));
  options.each_once = absl::GetFlag(FLAGS_each_once);
  // A warm-up would spend requests that are each sent once.
  options.warmup = options.each_once ? absl::ZeroDuration() : absl::Seconds(absl::GetFlag(FLAGS_warmup_seconds));
  options.deadline = absl::Milliseconds(absl::GetFlag(FLAGS_deadline_ms));
  options.vary_field = absl::GetFlag(FLAGS_vary_field);
  // Distinct from every earlier run's values too: a request id the server
  // has seen would replay its stored answer instead of doing the work.
  options.vary_prefix = absl::StrCat("load-", absl::ToUnixMillis(absl::Now()), "-", getpid(), "-");

  const yusuan::ChannelTlsFlags tls{{"--tls_ca_file", absl::GetFlag(FLAGS_tls_ca_file)},
                                    {"--tls_cert_file", absl::GetFlag(FLAGS_tls_cert_file)},
                                    {"--tls_key_file", absl::GetFlag(FLAGS_tls_key_file)}};
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials = yusuan::ChannelCredentialsFromFlags(tls);
  if (!credentials.ok()) {
    std::cerr << "yusuan-load: " << credentials.status().message() << "\n";
    return 2;
  }
  options.credentials = *credentials;

  absl::StatusOr<yusuan::load::LoadResult> result = yusuan::load::RunLoad(options);
  if (!result.ok()) {
    std::cerr << "yusuan-load: " << result.status().message() << "\n";
    return result.status().code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
  }
  std::cout << (absl::GetFlag(FLAGS_json) ? yusuan::load::ResultJson(options, *result)
                                          : yusuan::load::ResultTable(options, *result));
  // Calls answered with errors are a result, not a failure of the tool;
  // scripts read "errors" (or the table's error lines).
  return 0;
}
