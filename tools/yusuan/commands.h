// The handlers the dispatch table (dispatch.cc) maps command words to. Each
// checks its own words and options first (a usage error never waits on the
// network), then talks to the gateway, and returns the exit code.
#ifndef YUSUAN_TOOLS_YUSUAN_COMMANDS_H_
#define YUSUAN_TOOLS_YUSUAN_COMMANDS_H_

#include <string>

#include "absl/status/status.h"

#include "tools/yusuan/args.h"
#include "tools/yusuan/gateway_client.h"

namespace yusuan::cli {

// "yusuan: PROBLEM", a blank line and the usage text on stderr; kUsage.
// Defined by the dispatcher, which owns the usage text.
int Usage(const std::string& problem);

// True when the command got exactly one word and it is a budget's name;
// otherwise says why (a usage error, or the name's own message) and false:
// the caller exits kUsage. In resource_commands.cc.
bool CheckBudgetName(const Args& args, const std::string& command);

// filing_commands.cc: a filing in, findings out.
// A Filing in protobuf JSON from `text`, or INVALID_ARGUMENT saying why
// (not UTF-8: which fields; not a Filing: the parser's words), naming
// `where` (the file, or the file and line).
absl::Status ParseFiling(const std::string& text, const std::string& where, yusuan::gateway::v1::Filing* filing);
int Apply(Client& client, const Args& args);
// import_command.cc: many filings, one stream.
int Import(Client& client, const Args& args);
// export_command.cc: every filing of a region and year, as import takes them.
int Export(Client& client, const Args& args);
// changes_command.cc: a region's change feed.
int Changes(Client& client, const Args& args);
int Validate(Client& client, const Args& args);
int Rules(Client& client, const Args& args);

// resource_commands.cc: what is stored, and how it changed.
int Get(Client& client, const Args& args);
int Revisions(Client& client, const Args& args);
int Diff(Client& client, const Args& args);
int Tables(Client& client, const Args& args);

// workflow_commands.cc: the budget's steps and their record.
int Submit(Client& client, const Args& args);
int Approve(Client& client, const Args& args);
int Return(Client& client, const Args& args);
int Publish(Client& client, const Args& args);
int History(Client& client, const Args& args);

// report_commands.cc: disclosure files.
int Render(Client& client, const Args& args);
// Writes a file the gateway rendered to `output` (empty: the artifact's own
// name in the current directory, else `fallback`) after checking its
// SHA-256, and says so; kOk or kFailed.
int WriteArtifact(const yusuan::report::v1::Artifact& artifact, const std::string& output, const std::string& fallback);
// workbook_commands.cc: the filing workbook (Excel). `import -f FILE.xlsx`
// reads the workbook here and imports its filing; `template --xlsx` writes
// the empty workbook; `export --format xlsx -o DIR` one workbook a filing.
int ImportWorkbook(Client& client, const Args& args);
int Template(const Args& args);
// rollup_command.cc: the totals of a region and year.
int Rollup(Client& client, const Args& args);
int Verify(Client& client, const Args& args);

// admin_commands.cc: `admin key|token create` on the signing key file, no
// gateway; `admin catalogue …` goes on to catalogue_command.cc.
int Admin(const Args& args);
// backup_command.cc: `admin backup --to DIR` copies a shard's three stores
// at one moment while they serve, straight from the backends (internal
// secret); `admin restore --from DIR` puts them into a data directory while
// the services are stopped.
int AdminBackup(const Args& args);
int AdminRestore(const Args& args);

}  // namespace yusuan::cli

#endif  // YUSUAN_TOOLS_YUSUAN_COMMANDS_H_
