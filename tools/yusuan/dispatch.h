// The command words of `yusuan`, each with its usage lines and handler; the
// usage text and `yusuan --help` are built from this table.
#ifndef YUSUAN_TOOLS_YUSUAN_DISPATCH_H_
#define YUSUAN_TOOLS_YUSUAN_DISPATCH_H_

#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "tools/yusuan/args.h"
#include "tools/yusuan/gateway_client.h"

namespace yusuan::cli {

// Works without the gateway, on the parsed arguments.
using LocalCommand = int (*)(const Args& args);
// Parses its own options from argv, argv[0] being the command word; only
// recognised as the first argument.
using RawCommand = int (*)(int argc, char** argv);

struct Command {
  std::string_view name;
  // Its lines in the usage text: "  yusuan …" and what it does, indented.
  std::string_view usage;
  std::variant<GatewayCommand, LocalCommand, RawCommand> run;
  // Listed after the notes, and by --help only, not after a usage error.
  bool help_only = false;
};

// In the order the usage text lists them.
std::span<const Command> Commands();
// nullptr for a word that is no command.
const Command* FindCommand(std::string_view name);

// What a usage error prints after the problem.
std::string UsageText();
// What `yusuan --help` prints: the usage text and the help-only commands.
std::string HelpText();

// The whole CLI: parses argv, runs the command, returns the exit code.
int Run(int argc, char** argv);

}  // namespace yusuan::cli

#endif  // YUSUAN_TOOLS_YUSUAN_DISPATCH_H_
