// A small tmpfs that a test fills to the last byte, frees and remounts
// read-only: the full and read-only disks of the storage-fault tests. It is
// mounted in a mount namespace of the test process's own (made by main
// through RunTestsInPrivateMountNamespace), so no other process sees it and
// it vanishes with the process whatever happens; the service processes a
// test starts inherit the namespace and see it. Needs CAP_SYS_ADMIN (root):
// where that is refused, the tests skip, saying why. Header only, for tests.
#ifndef YUSUAN_SERVICES_COMMON_TESTING_SMALL_DISK_H_
#define YUSUAN_SERVICES_COMMON_TESTING_SMALL_DISK_H_

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace yusuan::testing {

// Why SmallDisk cannot be used in this process ("" when it can).
inline std::string& PrivateMountNamespaceRefusal() {
  static std::string why = "the test's main did not call RunTestsInPrivateMountNamespace";
  return why;
}

// main() of a test binary that uses SmallDisk. The namespace is made before
// InitGoogleTest, while the process has one thread: unshare(CLONE_NEWNS)
// moves only the calling thread of a multi-threaded process.
inline int RunTestsInPrivateMountNamespace(int argc, char** argv) {
  std::string& why = PrivateMountNamespaceRefusal();
  if (::unshare(CLONE_NEWNS) != 0) {
    why = std::string("unshare(CLONE_NEWNS) refused: ") + std::strerror(errno);
  } else if (::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    why = std::string("making / private in the new mount namespace refused: ") + std::strerror(errno);
  } else {
    why.clear();
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}

class SmallDisk {
 public:
  // A tmpfs of `bytes` on a new directory; error() says why not.
  explicit SmallDisk(uint64_t bytes) : bytes_(bytes) {
    error_ = PrivateMountNamespaceRefusal();
    if (!error_.empty()) return;
    std::string pattern = (std::filesystem::temp_directory_path() / "yusuan-small-disk-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      error_ = std::string("mkdtemp: ") + std::strerror(errno);
      return;
    }
    path_ = pattern;
    if (::mount("tmpfs", path_.c_str(), "tmpfs", 0, Size().c_str()) != 0) {
      error_ = std::string("mount -t tmpfs refused: ") + std::strerror(errno);
      ::rmdir(path_.c_str());
      path_.clear();
      return;
    }
    mounted_ = true;
  }
  ~SmallDisk() {
    // Lazily: a process that failed to stop still holds files there.
    if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
    if (!path_.empty()) ::rmdir(path_.c_str());
  }
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;

  const std::string& error() const { return error_; }
  const std::string& path() const { return path_; }

  // Writes one file until not one more byte fits; false if the disk still
  // has room after it.
  bool Fill() {
    const int fd = ::open(Filler().c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return false;
    std::vector<char> chunk(size_t{1} << 20, 'x');
    for (size_t size = chunk.size(); size > 0;) {
      const ssize_t written = ::write(fd, chunk.data(), size);
      if (written > 0 || (written < 0 && errno == EINTR)) continue;
      size /= 2;
    }
    ::close(fd);
    return FreeBytes() == 0;
  }
  // Removes what Fill wrote: the room comes back at once.
  void Free() { ::unlink(Filler().c_str()); }

  bool SetReadOnly(bool read_only) {
    const unsigned long flags = MS_REMOUNT | (read_only ? MS_RDONLY : 0);
    return ::mount("tmpfs", path_.c_str(), "tmpfs", flags, Size().c_str()) == 0;
  }

  uint64_t FreeBytes() const {
    struct statvfs disk {};
    if (::statvfs(path_.c_str(), &disk) != 0) return 0;
    return static_cast<uint64_t>(disk.f_bavail) * disk.f_frsize;
  }

 private:
  std::string Size() const { return "size=" + std::to_string(bytes_); }
  std::string Filler() const { return path_ + "/filler"; }

  uint64_t bytes_;
  std::string path_;
  std::string error_;
  bool mounted_ = false;
};

}  // namespace yusuan::testing

#endif  // YUSUAN_SERVICES_COMMON_TESTING_SMALL_DISK_H_
