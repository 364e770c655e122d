#include "services/common/store_faults.h"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <string_view>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace yusuan::store_faults {
namespace {

enum class Cause { kNoSpace, kReadOnly, kOther };

// statvfs of `dir`, or of its nearest existing parent when it does not
// exist yet (a data directory about to be created).
bool StatDisk(const std::string& dir, struct statvfs* out) {
  std::filesystem::path at(dir);
  while (true) {
    if (::statvfs(at.c_str(), out) == 0) return true;
    if (errno != ENOENT || !at.has_relative_path()) return false;
    at = at.parent_path();
    if (at.empty()) at = ".";
  }
}

bool ReadOnlyDisk(const std::string& dir) {
  struct statvfs disk {};
  return StatDisk(dir, &disk) && (disk.f_flag & ST_RDONLY) != 0;
}

// RocksDB marks ENOSPC with its own subcode; a read-only file system or a
// directory the user may not write only shows in the error's text (strerror
// in the C locale, the services never set another) or in the mount's flags.
Cause Classify(const rocksdb::Status& error, const std::string& dir) {
  const std::string text = error.ToString();
  if (error.IsNoSpace() || error.subcode() == rocksdb::Status::SubCode::kSpaceLimit ||
      absl::StrContains(text, "No space left on device")) {
    return Cause::kNoSpace;
  }
  if (absl::StrContains(text, "Read-only file system") || absl::StrContains(text, "Permission denied") ||
      ReadOnlyDisk(dir)) {
    return Cause::kReadOnly;
  }
  return Cause::kOther;
}

absl::Status Refused(Cause cause, const std::string& dir, const std::string& what_zh, const std::string& what_en,
                     const std::string& detail) {
  switch (cause) {
    case Cause::kNoSpace:
      return absl::FailedPreconditionError(
          absl::StrCat(what_zh, " ", dir, "：磁盘已满（", detail, "）。请在该磁盘上腾出空间（或用 --data_dir ",
                       "改用有空间的磁盘）后重新启动 / ", what_en, " ", dir, ": the disk is full (", detail,
                       "). Free space on that disk (or start with --data_dir on a disk that has room) and start "
                       "again"));
    case Cause::kReadOnly:
      return absl::FailedPreconditionError(absl::StrCat(
          what_zh, " ", dir, "：该目录只读（", detail,
          "）。请以读写方式重新挂载（或让服务的用户可以写入它）后重新启动 / ", what_en, " ", dir, ": it is read-only (",
          detail, "). Remount it read-write (or give the service's user write permission on it) and start again"));
    case Cause::kOther:
      break;
  }
  return absl::InternalError(absl::StrCat(what_zh, " ", dir, " / ", what_en, " ", dir, ": ", detail));
}

class DataDirLog : public rocksdb::Logger {
 public:
  explicit DataDirLog(const std::string& dir) {
    const std::string path = dir + "/LOG";
    std::rename(path.c_str(), (path + ".old").c_str());
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  }
  ~DataDirLog() override {
    if (fd_ >= 0) ::close(fd_);
  }

  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override {
    if (fd_ < 0) return;
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    std::tm tm{};
    gmtime_r(&now.tv_sec, &tm);
    char stamp[40];
    const size_t stamp_size = std::strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
    std::string line(stamp, stamp_size);
    absl::StrAppend(&line, ".", absl::Dec(now.tv_nsec / 1000, absl::kZeroPad6), "Z ");
    va_list again;
    va_copy(again, ap);
    char buffer[512];
    const int size = std::vsnprintf(buffer, sizeof(buffer), format, ap);
    if (size >= 0 && static_cast<size_t>(size) < sizeof(buffer)) {
      line.append(buffer, static_cast<size_t>(size));
    } else if (size >= 0) {
      std::vector<char> large(static_cast<size_t>(size) + 1);
      std::vsnprintf(large.data(), large.size(), format, again);
      line.append(large.data(), static_cast<size_t>(size));
    }
    va_end(again);
    if (line.back() != '\n') line.push_back('\n');
    // One append per line; a line the disk has no room for is lost, which
    // is all a full disk may cost the log.
    const ssize_t written = ::write(fd_, line.data(), line.size());
    (void)written;
  }

 private:
  int fd_ = -1;
};

class FaultListener : public rocksdb::EventListener {
 public:
  explicit FaultListener(std::function<void(const rocksdb::Status&)> stops_writes)
      : stops_writes_(std::move(stops_writes)) {}

  void OnBackgroundError(rocksdb::BackgroundErrorReason reason, rocksdb::Status* error) override {
    // A soft error (a compaction without room) leaves writes working and is
    // retried by RocksDB. A retryable I/O error arrives here before its
    // severity is set, so only a compaction's unset severity is soft.
    const rocksdb::Status::Severity severity = error->severity();
    if (severity < rocksdb::Status::Severity::kHardError &&
        (severity == rocksdb::Status::Severity::kSoftError || reason == rocksdb::BackgroundErrorReason::kCompaction)) {
      return;
    }
    stops_writes_(*error);
  }

  // RocksDB 7.8 resumes by flushing the memtables. With every memtable
  // empty it goes on with the write-ahead log whose append failed, and the
  // next write to it trips an assertion that Debian's build keeps (the
  // process ends with 134). It also waits for a whole write buffer (64 MiB)
  // of free space first, and refuses DB::Resume() while it waits. The store
  // reopens the database instead (store.cc).
  void OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason, rocksdb::Status, bool* auto_recovery) override {
    *auto_recovery = false;
  }

 private:
  std::function<void(const rocksdb::Status&)> stops_writes_;
};

}  // namespace

absl::Status WritesRefused(const rocksdb::Status& error, const std::string& dir) {
  switch (Classify(error, dir)) {
    case Cause::kNoSpace:
      return WithReason(absl::UnavailableError(absl::StrCat(
                            "磁盘已满（", dir, "）：暂不接受写入，腾出空间后自动恢复，请稍后重试 / disk full at ", dir,
                            ": writes are refused until space is freed there (then they resume by themselves); "
                            "retry later")),
                        kStorageFull);
    case Cause::kReadOnly:
      return WithReason(
          absl::UnavailableError(absl::StrCat(
              "数据目录 ", dir, " 只读：暂不接受写入，恢复可写后自动恢复，请稍后重试 / the data directory ", dir,
              " is read-only: writes are refused until it is writable again (then "
              "they resume by themselves); retry later")),
          kStorageReadOnly);
    case Cause::kOther:
      break;
  }
  return WithReason(
      absl::UnavailableError(absl::StrCat(
          "存储 I/O 错误（", dir, "）：暂不接受写入，存储恢复后自动恢复，请稍后重试 / storage I/O error at ", dir, " (",
          error.ToString(), "): writes are refused until the store recovers; retry later")),
      kStorageIoError);
}

absl::Status OpenRefused(const rocksdb::Status& error, const std::string& dir) {
  return Refused(Classify(error, dir), dir, "无法打开数据目录", "cannot open the data directory", error.ToString());
}

absl::Status CreateRefused(const std::error_code& error, const std::string& dir) {
  Cause cause = Cause::kOther;
  if (error.value() == ENOSPC) {
    cause = Cause::kNoSpace;
  } else if (error.value() == EROFS || error.value() == EACCES || error.value() == EPERM) {
    cause = Cause::kReadOnly;
  }
  return Refused(cause, dir, "无法创建数据目录", "cannot create the data directory", error.message());
}

bool RoomToReopen(const std::string& dir, uint64_t margin) {
  struct statvfs disk {};
  if (!StatDisk(dir, &disk) || (disk.f_flag & ST_RDONLY) != 0) return false;
  uint64_t logs = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::error_code size_error;
    const uintmax_t size = entry.file_size(size_error);
    if (!size_error && entry.path().extension() == ".log") logs += size;
  }
  const uint64_t free_bytes = static_cast<uint64_t>(disk.f_bavail) * disk.f_frsize;
  return free_bytes >= logs + margin;
}

std::shared_ptr<rocksdb::Logger> NewDataDirLog(const std::string& dir) { return std::make_shared<DataDirLog>(dir); }

std::shared_ptr<rocksdb::EventListener> NewFaultListener(std::function<void(const rocksdb::Status&)> stops_writes) {
  return std::make_shared<FaultListener>(std::move(stops_writes));
}

}  // namespace yusuan::store_faults
