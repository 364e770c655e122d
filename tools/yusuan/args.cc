#include "tools/yusuan/args.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace yusuan::cli {
namespace {

struct ValueOption {
  std::string name;
  std::string Args::*field;
};

// Spellings with '-' and '_' are both kept where scripts already use both.
const ValueOption kValueOptions[] = {
    {"--gateway", &Args::gateway},
    {"--token", &Args::token},
    {"-f", &Args::file},
    {"--file", &Args::file},
    {"--request-id", &Args::request_id},
    {"--comment", &Args::comment},
    {"--unit", &Args::unit},
    {"--after", &Args::after},
    {"--wait-ms", &Args::wait_ms},
    {"--wait_ms", &Args::wait_ms},
    {"--format", &Args::format},
    {"--template", &Args::template_set},
    {"-o", &Args::output},
    {"--output", &Args::output},
    {"--role", &Args::role},
    {"--scope", &Args::scope},
    {"--ttl", &Args::ttl},
    {"--subject", &Args::subject},
    {"--key", &Args::key},
    {"--tls_ca_file", &Args::tls_ca_file},
    {"--tls-ca-file", &Args::tls_ca_file},
    {"--edition", &Args::edition},
    {"--year", &Args::year},
    {"--status", &Args::status},
    {"--to", &Args::to},
    {"--from", &Args::from},
    {"--data", &Args::data},
    {"--ledger", &Args::ledger},
    {"--goals", &Args::goals},
    {"--report", &Args::report},
    {"--internal-secret-file", &Args::internal_secret_file},
    {"--internal_secret_file", &Args::internal_secret_file},
    {"--lease-ms", &Args::lease_ms},
    {"--only", &Args::only},
    {"--backend-ca-file", &Args::backend_ca_file},
    {"--backend_ca_file", &Args::backend_ca_file},
    {"--backend-cert-file", &Args::backend_cert_file},
    {"--backend_cert_file", &Args::backend_cert_file},
    {"--backend-key-file", &Args::backend_key_file},
    {"--backend_key_file", &Args::backend_key_file},
};

}  // namespace

absl::StatusOr<Args> ParseArgs(int argc, const char* const* argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const ValueOption* matched = nullptr;
    for (const ValueOption& option : kValueOptions) {
      if (arg == option.name) {
        if (i + 1 >= argc) {
          return absl::InvalidArgumentError(absl::StrCat(option.name, " 缺少取值 / needs a value"));
        }
        args.*option.field = argv[++i];
        matched = &option;
        break;
      }
      if (arg.size() > option.name.size() && arg.starts_with(option.name) && arg[option.name.size()] == '=') {
        args.*option.field = arg.substr(option.name.size() + 1);
        matched = &option;
        break;
      }
    }
    if (matched != nullptr) continue;
    if (arg == "--json") {
      args.json = true;
    } else if (arg == "--xlsx") {
      args.xlsx = true;
    } else if (arg == "--published") {
      args.published = true;
    } else if (arg == "--replace") {
      args.replace = true;
    } else if (arg == "--help" || arg == "-h" || arg == "help") {
      args.command = "help";
      return args;
    } else if (arg.size() > 1 && arg[0] == '-') {
      return absl::InvalidArgumentError(absl::StrCat("未知选项 / unknown option ", arg));
    } else if (args.command.empty()) {
      args.command = arg;
    } else {
      args.positional.push_back(arg);
    }
  }
  return args;
}

}  // namespace yusuan::cli
