// `yusuan changes`: a region's change feed through WatchChanges, a line per
// change, then the cursor to resume from (gateway README § Change feed).
#include <charconv>
#include <iostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"
#include "tools/yusuan/commands.h"
#include "tools/yusuan/exit_codes.h"
#include "tools/yusuan/print.h"

namespace yusuan::cli {

namespace gv1 = yusuan::gateway::v1;

int Changes(Client& client, const Args& args) {
  if (args.positional.size() != 1 || !args.positional[0].starts_with("regions/")) {
    return Usage("changes 需要一个地区名，如 regions/4201 / changes needs one region name, e.g. regions/4201");
  }
  int wait_ms = 10000;
  if (!args.wait_ms.empty()) {
    const char* end = args.wait_ms.data() + args.wait_ms.size();
    auto [parsed, error] = std::from_chars(args.wait_ms.data(), end, wait_ms);
    if (error != std::errc() || parsed != end || wait_ms < 0) {
      return Usage(absl::StrCat("--wait-ms 应为 0 或正整数（毫秒），收到 ", args.wait_ms,
                                " / --wait-ms must be 0 or a positive number of milliseconds"));
    }
  }
  if (!client.Connect()) return kFailed;
  gv1::WatchChangesRequest request;
  request.set_parent(args.positional[0]);
  request.set_after_cursor(args.after);
  request.set_wait_ms(wait_ms);
  std::unique_ptr<grpc::ClientContext> context = client.StreamContext();
  auto stream = client.WatchChanges(context.get(), request);
  gv1::WatchChangesResponse message;
  std::string cursor = args.after;
  int changes = 0;
  google::protobuf::util::JsonPrintOptions compact;
  while (stream->Read(&message)) {
    cursor = message.cursor();
    if (args.json) {
      std::string line;
      (void)google::protobuf::util::MessageToJsonString(message, &line, compact);
      std::cout << line << "\n" << std::flush;
      continue;
    }
    if (!message.has_change()) continue;
    ++changes;
    const auto& change = message.change();
    std::cout << change.sequence() << "  " << IsoUtc(change.time_unix_ms()) << "  "
              << absl::StripPrefix(yusuan::common::v1::ChangeKind_Name(change.kind()), "CHANGE_KIND_") << "  "
              << change.resource_name();
    if (change.revision() != 0) std::cout << "  #" << change.revision();
    if (!change.status().empty()) std::cout << "  " << change.status();
    std::cout << "\n" << std::flush;
  }
  grpc::Status status = stream->Finish();
  if (!args.json) {
    std::cerr << changes << " 项变更 / changes; 续读 / resume with: --after " << (cursor.empty() ? "\"\"" : cursor)
              << "\n";
  }
  if (!status.ok()) return PrintFailure(status);
  return kOk;
}

}  // namespace yusuan::cli
