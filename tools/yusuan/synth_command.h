// `yusuan synth`: writes generated filings (tools/synth/) as NDJSON. Works
// offline: no gateway, no token.
#ifndef YUSUAN_TOOLS_YUSUAN_SYNTH_COMMAND_H_
#define YUSUAN_TOOLS_YUSUAN_SYNTH_COMMAND_H_

namespace yusuan::cli {

// argv[0] is "synth"; returns the process exit code (0 ok, 1 failed, 2 usage).
int RunSynthCommand(int argc, char** argv);

}  // namespace yusuan::cli

#endif  // YUSUAN_TOOLS_YUSUAN_SYNTH_COMMAND_H_
