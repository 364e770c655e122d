// The command line of every `yusuan` command but `synth` (which parses its
// own): one flat set of options, the command word, and the words after it.
#ifndef YUSUAN_TOOLS_YUSUAN_ARGS_H_
#define YUSUAN_TOOLS_YUSUAN_ARGS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace yusuan::cli {

struct Args {
  std::string command;                  // the first word that is not an option; "help" for --help
  std::vector<std::string> positional;  // the words after it
  // Reaching the gateway. "" means not given: ResolveGateway
  // (gateway_client.h) then falls back on the environment.
  std::string gateway;       // --gateway
  std::string token;         // --token
  std::string tls_ca_file;   // --tls_ca_file, --tls-ca-file
  std::string file;          // -f, --file
  std::string request_id;    // --request-id
  std::string format;        // --format
  std::string template_set;  // --template
  std::string output;        // -o, --output
  std::string comment;       // --comment
  std::string edition;       // --edition (admin catalogue import)
  std::string unit;          // --unit (tables: one budget unit's share)
  std::string year;          // --year (export)
  std::string after;         // --after (export, changes: the cursor to resume after)
  std::string wait_ms;       // --wait-ms (changes: how long to wait idle)
  std::string status;        // --status (rollup: the workflow states that count)
  // admin token create / admin key create
  std::string role;
  std::string scope;
  std::string ttl;
  std::string subject;
  std::string key;
  // admin backup / admin restore (backup_command.cc)
  std::string to;      // --to: the backup directory to make
  std::string from;    // --from: the backup directory to restore
  std::string data;    // --data: the data directory restored into ($YUSUAN_DATA)
  std::string ledger;  // --ledger, --goals, --report: the shard's backends (HOST:PORT)
  std::string goals;
  std::string report;
  std::string internal_secret_file;  // --internal-secret-file
  std::string lease_ms;              // --lease-ms: how long writes may be held at most
  std::string only;                  // --only: restore one store (ledger, goals or report)
  std::string backend_ca_file;       // --backend-ca-file, --backend-cert-file, --backend-key-file (TLS)
  std::string backend_cert_file;
  std::string backend_key_file;
  bool json = false;       // --json
  bool xlsx = false;       // --xlsx (template)
  bool published = false;  // --published (export: the published versions)
  bool replace = false;    // --replace (restore: move the data there aside first)
};

// Options come anywhere, as "--opt VALUE" or "--opt=VALUE". "--help", "-h"
// or the word "help" anywhere asks for help: the command becomes "help" and
// the rest is not read. An unknown option or one without its value is
// INVALID_ARGUMENT with a message to print after "yusuan: ", Chinese then
// English.
absl::StatusOr<Args> ParseArgs(int argc, const char* const* argv);

}  // namespace yusuan::cli

#endif  // YUSUAN_TOOLS_YUSUAN_ARGS_H_
