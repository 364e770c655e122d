// A log file that stays near a size: once a line would take it past
// `max_bytes`, the file is renamed to path.1 (path.1 to path.2, and so on;
// the one past `keep` is deleted) and a new file is started. The access
// log grows by a line a request (some 300 bytes), so without this it fills
// the disk at the rate the gateway serves; with it the log takes at most
// (keep + 1) × max_bytes.
//
// Written here, not taken from a library: Debian's logging libraries
// (spdlog's rotating sink) would bring a logging framework and libfmt for
// one rename chain and a byte count; the lines are already formatted.
#ifndef YUSUAN_SERVICES_GATEWAY_OBSERVABILITY_ROTATING_LOG_FILE_H_
#define YUSUAN_SERVICES_GATEWAY_OBSERVABILITY_ROTATING_LOG_FILE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/common/mutex.h"

namespace yusuan::gateway {

class RotatingLogFile {
 public:
  // Opens (creating, mode 0640) or appends to `path`. INVALID_ARGUMENT for
  // max_bytes < 4096 or keep < 1; the error of open(2) naming the path.
  static absl::StatusOr<std::unique_ptr<RotatingLogFile>> Open(std::string path, uint64_t max_bytes, int keep);
  ~RotatingLogFile();
  RotatingLogFile(const RotatingLogFile&) = delete;
  RotatingLogFile& operator=(const RotatingLogFile&) = delete;

  // Appends `line` and a newline with one write(2). A failed write or
  // rotation (a full disk) loses the line, never the request; the next line
  // tries again.
  void Write(std::string_view line);

  // Lines lost to failed writes since the start.
  uint64_t lost_lines() const;

 private:
  RotatingLogFile(std::string path, uint64_t max_bytes, int keep, int fd, uint64_t size);
  // Renames the files one number up and opens a new one.
  void RotateLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string path_;
  const uint64_t max_bytes_;
  const int keep_;
  mutable Mutex mu_;
  int fd_ ABSL_GUARDED_BY(mu_);
  uint64_t size_ ABSL_GUARDED_BY(mu_);
  uint64_t lost_lines_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_OBSERVABILITY_ROTATING_LOG_FILE_H_
