// `yusuan catalogue …` and `yusuan admin catalogue import …`: the
// classification catalogues through the gateway's public API.
//
//   yusuan catalogue list [--json]
//   yusuan catalogue show EDITION [CODE] [--json]
//   yusuan catalogue diff FROM TO [--json]
//   yusuan admin catalogue import --edition EDITION FILE [--request-id ID]
#ifndef YUSUAN_TOOLS_YUSUAN_CATALOGUE_COMMAND_H_
#define YUSUAN_TOOLS_YUSUAN_CATALOGUE_COMMAND_H_

#include "tools/yusuan/args.h"
#include "tools/yusuan/gateway_client.h"

namespace yusuan::cli {

// Usage lines of these commands: the dispatch table lists them under --help.
extern const char kCatalogueUsage[];

// `catalogue list|show|diff`: the words after `catalogue` are
// args.positional. Exit codes: 0 ok, 1 refused or failed, 2 usage.
int RunCatalogueCommand(Client& client, const Args& args);
// `admin catalogue import FILE`: args.positional is catalogue, import, FILE.
int RunCatalogueAdminCommand(Client& client, const Args& args);

}  // namespace yusuan::cli

#endif  // YUSUAN_TOOLS_YUSUAN_CATALOGUE_COMMAND_H_
