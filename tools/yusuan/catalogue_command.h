// `yusuan catalogue …` and `yusuan admin catalogue import …`: the
// classification catalogues through the gateway's public API.
//
//   yusuan catalogue list [--json]
//   yusuan catalogue show EDITION [CODE] [--json]
//   yusuan catalogue diff FROM TO [--json]
//   yusuan admin catalogue import --edition EDITION FILE [--request-id ID]
#ifndef YUSUAN_TOOLS_YUSUAN_CATALOGUE_COMMAND_H_
#define YUSUAN_TOOLS_YUSUAN_CATALOGUE_COMMAND_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

namespace yusuan::cli {

struct CatalogueCommandArgs {
  std::string gateway;
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  std::string token;  // "" for none
  // The words after `catalogue` (list | show … | diff …), or after
  // `admin catalogue` (import FILE).
  std::vector<std::string> words;
  std::string edition;  // --edition
  std::string request_id;
  bool json = false;
};

// Usage lines of these commands, for `yusuan --help`.
extern const char kCatalogueUsage[];

// Exit codes: 0 ok, 1 refused or failed, 2 usage.
int RunCatalogueCommand(const CatalogueCommandArgs& args);
int RunCatalogueAdminCommand(const CatalogueCommandArgs& args);

}  // namespace yusuan::cli

#endif  // YUSUAN_TOOLS_YUSUAN_CATALOGUE_COMMAND_H_
