#include "services/common/power_loss.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <memory>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "services/common/power_loss_fs.h"
#include "services/common/server.h"

ABSL_FLAG(
    bool, power_loss_fs, false,
    "Fault build: write the store through a file system that SIGUSR2 powers off (unsynced data dropped, exit 86)");
ABSL_FLAG(uint64_t, power_loss_after_appends, 0,
          "Fault build: with --power_loss_fs, power off after this many appends to any file (0: never)");
ABSL_FLAG(bool, power_loss_unsynced_commits, false,
          "Fault build: commit without syncing the write-ahead log, so that a power loss loses acknowledged writes "
          "(to check that the crash loop sees it)");

namespace yusuan::power_loss {
namespace {

// The signal handler only writes a byte here; a thread does the work.
int wake_fd = -1;

// SIGUSR2: the power goes now; SIGUSR1: during the next sync.
void OnSignal(int signal_number) {
  const int saved = errno;
  const char byte = signal_number == SIGUSR1 ? 's' : 'n';
  (void)!write(wake_fd, &byte, 1);
  errno = saved;
}

// A service that syncs nothing within this time after SIGUSR1 loses power
// anyway.
constexpr auto kLongestWaitForASync = std::chrono::seconds(2);

}  // namespace

absl::Status InstallFromFlags(const std::string& service, StoreOptions& options) {
  if (absl::GetFlag(FLAGS_power_loss_unsynced_commits)) {
    options.sync = false;
    LogLine(service, "提交不同步预写日志（测试用）/ commits do not sync the write-ahead log (testing only)");
  }
  if (!absl::GetFlag(FLAGS_power_loss_fs)) {
    if (absl::GetFlag(FLAGS_power_loss_after_appends) > 0) {
      return absl::InvalidArgumentError(
          "--power_loss_after_appends 需要 --power_loss_fs / --power_loss_after_appends needs --power_loss_fs");
    }
    return absl::OkStatus();
  }
  auto fs = std::make_shared<PowerLossFileSystem>(rocksdb::FileSystem::Default());
  fs->PowerOffAfterAppends(absl::GetFlag(FLAGS_power_loss_after_appends));
  options.file_system = fs;

  int fds[2];
  if (pipe(fds) != 0) return absl::InternalError(absl::StrCat("pipe: errno ", errno));
  wake_fd = fds[1];
  struct sigaction action = {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  if (sigaction(SIGUSR1, &action, nullptr) != 0 || sigaction(SIGUSR2, &action, nullptr) != 0) {
    return absl::InternalError(absl::StrCat("sigaction: errno ", errno));
  }
  std::thread([fs, read_fd = fds[0], service] {
    char byte = 0;
    while (read(read_fd, &byte, 1) < 0 && errno == EINTR) {
    }
    if (byte == 's') {
      LogLine(service, "断电（模拟）于下一次同步 / power lost (simulated) during the next sync");
      fs->PowerOffAtNextSync();
      std::this_thread::sleep_for(kLongestWaitForASync);
    }
    LogLine(service, "断电（模拟）：未同步的数据丢弃 / power lost (simulated): unsynced data dropped");
    fs->PowerOff();
  }).detach();
  LogLine(service,
          "断电模拟已就绪（SIGUSR2：立即；SIGUSR1：下一次同步时）/ power-loss simulation armed (SIGUSR2: now; "
          "SIGUSR1: during the next sync)");
  return absl::OkStatus();
}

}  // namespace yusuan::power_loss
