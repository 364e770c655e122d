// The exit codes every `yusuan` command keeps to; scripts (deploy/local,
// tests/e2e) tell a refusal from a mistyped command by them.
#ifndef YUSUAN_TOOLS_YUSUAN_EXIT_CODES_H_
#define YUSUAN_TOOLS_YUSUAN_EXIT_CODES_H_

namespace yusuan::cli {

inline constexpr int kOk = 0;
inline constexpr int kFailed = 1;  // refused, failed, or the gateway unreachable
inline constexpr int kUsage = 2;

}  // namespace yusuan::cli

#endif  // YUSUAN_TOOLS_YUSUAN_EXIT_CODES_H_
