// The power-loss switch of the backends' fault builds (yusuan-ledger-faults,
// yusuan-goals-faults, yusuan-report-faults; README.md § Power loss). The
// shipped binaries are built without it and have none of its flags.
//
//   --power_loss_fs                 the store writes through a
//                                   PowerLossFileSystem (power_loss_fs.h);
//                                   SIGUSR2 cuts the power now, SIGUSR1
//                                   during the next sync (or in 2 s if none
//                                   comes): unsynced data is dropped and the
//                                   process ends with exit code 86
//                                   (kPowerLossExitCode)
//   --power_loss_after_appends=N    cut it after the N-th append to any file
//   --power_loss_unsynced_commits   commit without syncing the write-ahead
//                                   log: acknowledged writes can then be
//                                   lost, which the crash loop must see
#ifndef YUSUAN_SERVICES_COMMON_POWER_LOSS_H_
#define YUSUAN_SERVICES_COMMON_POWER_LOSS_H_

#include <string>

#include "absl/status/status.h"
#include "services/common/store.h"

namespace yusuan::power_loss {

// Applies the flags to `options` before Store::Open; with --power_loss_fs
// also installs the SIGUSR1/SIGUSR2 handler and the thread that cuts the
// power.
absl::Status InstallFromFlags(const std::string& service, StoreOptions& options);

}  // namespace yusuan::power_loss

#endif  // YUSUAN_SERVICES_COMMON_POWER_LOSS_H_
