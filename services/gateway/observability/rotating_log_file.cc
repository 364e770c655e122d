#include "services/gateway/observability/rotating_log_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace yusuan::gateway {
namespace {

int OpenForAppend(const std::string& path) {
  return ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
}

}  // namespace

absl::StatusOr<std::unique_ptr<RotatingLogFile>> RotatingLogFile::Open(std::string path, uint64_t max_bytes, int keep) {
  if (max_bytes < 4096 || keep < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("日志轮转参数无效 / bad log rotation: the file's size is at least 4096 bytes (given ", max_bytes,
                     ") and at least 1 older file is kept (given ", keep, ")"));
  }
  const int fd = OpenForAppend(path);
  if (fd < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("无法打开日志文件 / cannot open the log file ", path, ": ", std::strerror(errno)));
  }
  struct stat status {};
  const uint64_t size = ::fstat(fd, &status) == 0 ? static_cast<uint64_t>(status.st_size) : 0;
  return std::unique_ptr<RotatingLogFile>(new RotatingLogFile(std::move(path), max_bytes, keep, fd, size));
}

RotatingLogFile::RotatingLogFile(std::string path, uint64_t max_bytes, int keep, int fd, uint64_t size)
    : path_(std::move(path)), max_bytes_(max_bytes), keep_(keep), fd_(fd), size_(size) {}

RotatingLogFile::~RotatingLogFile() {
  MutexLock lock(&mu_);
  if (fd_ >= 0) ::close(fd_);
}

void RotatingLogFile::Write(std::string_view line) {
  std::string whole;
  whole.reserve(line.size() + 1);
  whole.append(line);
  whole.push_back('\n');
  MutexLock lock(&mu_);
  if (size_ > 0 && size_ + whole.size() > max_bytes_) RotateLocked();
  if (fd_ < 0) {
    ++lost_lines_;
    return;
  }
  const char* data = whole.data();
  size_t left = whole.size();
  while (left > 0) {
    const ssize_t written = ::write(fd_, data, left);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) {
      ++lost_lines_;
      return;
    }
    data += written;
    left -= static_cast<size_t>(written);
    size_ += static_cast<uint64_t>(written);
  }
}

void RotatingLogFile::RotateLocked() {
  // path.keep is dropped, path.(n) becomes path.(n+1), path becomes path.1.
  ::unlink(absl::StrCat(path_, ".", keep_).c_str());
  for (int n = keep_ - 1; n >= 1; --n) {
    (void)std::rename(absl::StrCat(path_, ".", n).c_str(), absl::StrCat(path_, ".", n + 1).c_str());
  }
  (void)std::rename(path_.c_str(), absl::StrCat(path_, ".1").c_str());
  // Past here the open file is path.1 whatever happens. Without a new file
  // (a full disk), lines go on to path.1, and the next rotation is tried a
  // whole file later: trying at every line would move path.1 up the chain
  // line by line until it was deleted.
  size_ = 0;
  const int fresh = OpenForAppend(path_);
  if (fresh < 0) return;
  if (fd_ >= 0) ::close(fd_);
  fd_ = fresh;
}

uint64_t RotatingLogFile::lost_lines() const {
  MutexLock lock(&mu_);
  return lost_lines_;
}

}  // namespace yusuan::gateway
