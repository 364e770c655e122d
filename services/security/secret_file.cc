#include "services/security/secret_file.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/security/internal/absl_compat.h"
#include "services/security/internal/crypto.h"

namespace yusuan::security {
namespace {

constexpr size_t kHexSize = kSecretSizeBytes * 2;
// A secret file is 65 bytes; reading a little more tells "too long" apart
// without slurping whatever large file the path was pointed at.
constexpr size_t kMaxReadBytes = 4096;

bool IsLowercaseHex(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Closes a descriptor on every return path.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now, reporting the result (a failed close can mean lost data).
  int Close() {
    const int result = ::close(fd_);
    fd_ = -1;
    return result;
  }

 private:
  int fd_;
};

absl::Status WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return absl::InternalError(std::strerror(errno));
    }
    data.remove_prefix(static_cast<size_t>(written));
  }
  return absl::OkStatus();
}

// mkdir -p with `mode` for every directory it creates; existing ones are
// left as they are (their owner chose their mode).
absl::Status MakeDirectories(const std::filesystem::path& directory, mode_t mode) {
  if (directory.empty()) return absl::OkStatus();
  std::filesystem::path prefix;
  for (const auto& part : directory) {
    prefix /= part;
    if (::mkdir(prefix.c_str(), mode) == 0 || errno == EEXIST) {
      struct stat info;
      if (::stat(prefix.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) continue;
      return absl::FailedPreconditionError(absl::StrCat("无法创建密钥目录 ", prefix.string(),
                                                        "：同名文件已存在 / cannot create the "
                                                        "key directory ",
                                                        prefix.string(), ": something else exists there"));
    }
    const std::string why = std::strerror(errno);
    return absl::FailedPreconditionError(absl::StrCat("无法创建密钥目录 ", prefix.string(), "：", why,
                                                      " / cannot create the key directory ", prefix.string(), ": ",
                                                      why));
  }
  return absl::OkStatus();
}

// Best effort: makes the new directory entry durable. Some filesystems
// refuse fsync on directories; the key file itself is already synced.
void SyncDirectory(const std::filesystem::path& directory) {
  const std::string name = directory.empty() ? "." : directory.string();
  const int fd = ::open(name.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

// Writes new bytes beside `path` and links them into place. EEXIST from link
// means another process won the race: the caller loads theirs.
absl::Status CreateSecretFile(const std::string& path, std::string_view bytes, const SecretFileKind& kind,
                              bool* lost_race) {
  *lost_race = false;
  const std::filesystem::path target(path);
  const std::filesystem::path directory = target.parent_path();
  if (absl::Status made = MakeDirectories(directory, kind.group_may_read ? 0750 : 0700); !made.ok()) return made;

  std::string temporary = (directory / absl::StrCat(".", target.filename().string(), ".tmp.XXXXXX")).string();
  std::vector<char> name_buffer(temporary.begin(), temporary.end());
  name_buffer.push_back('\0');
  // mkstemp creates the file with mode 0600 and O_EXCL.
  const int raw_fd = ::mkstemp(name_buffer.data());
  if (raw_fd < 0) {
    const std::string why = std::strerror(errno);
    return absl::FailedPreconditionError(absl::StrCat("无法在 ", directory.string(), " 中创建", kind.name_zh, "：", why,
                                                      " / cannot create the ", kind.name_en, " in ", directory.string(),
                                                      ": ", why));
  }
  temporary = name_buffer.data();
  FileDescriptor file(raw_fd);
  auto fail = [&](const std::string& step) {
    const std::string why = std::strerror(errno);
    ::unlink(temporary.c_str());
    return absl::FailedPreconditionError(absl::StrCat("无法写入", kind.name_zh, " ", path, "（", step, "）：", why,
                                                      " / cannot write the ", kind.name_en, " ", path, " (", step,
                                                      "): ", why));
  };
  if (::fchmod(file.get(), kind.group_may_read ? 0640 : 0600) != 0) return fail("chmod");
  if (absl::Status written = WriteAll(file.get(), absl::StrCat(internal::Hex(bytes), "\n")); !written.ok()) {
    return fail("write");
  }
  if (::fsync(file.get()) != 0) return fail("fsync");
  if (file.Close() != 0) return fail("close");

  // link() never replaces an existing file, unlike rename(): if another
  // process created the file meanwhile, both end up using theirs.
  if (::link(temporary.c_str(), path.c_str()) == 0) {
    ::unlink(temporary.c_str());
  } else if (errno == EEXIST) {
    ::unlink(temporary.c_str());
    *lost_race = true;
    return absl::OkStatus();
  } else if (errno == EPERM || errno == EOPNOTSUPP || errno == ENOSYS) {
    // A filesystem without hard links: rename is still atomic, it only
    // loses the no-replace guarantee against a concurrent creator.
    if (::rename(temporary.c_str(), path.c_str()) != 0) return fail("rename");
  } else {
    return fail("link");
  }
  SyncDirectory(directory);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> GenerateSecretBytes() {
  std::string bytes(kSecretSizeBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(bytes.size())) != 1) {
    return absl::InternalError("随机数生成失败 / the random generator (RAND_bytes) failed");
  }
  return bytes;
}

absl::StatusOr<std::string> ReadSecretFile(const std::string& path, const SecretFileKind& kind) {
  // O_NONBLOCK: a FIFO put at the path must not hang the start-up; it is
  // refused below as not a regular file.
  const int raw_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (raw_fd < 0) {
    const std::string why = std::strerror(errno);
    if (errno == ENOENT) {
      const std::string create = absl::StrCat(kind.create_command, " ", path);
      return absl::NotFoundError(absl::StrCat(
          kind.name_zh, "文件不存在：", path, "；请运行 deploy/local/up.sh 或 ", create, " 创建 / the ", kind.name_en,
          " file ", path, " does not exist; create it with ", create, " (deploy/local/up.sh does this)"));
    }
    return absl::FailedPreconditionError(absl::StrCat("无法读取", kind.name_zh, "文件 ", path, "：", why,
                                                      " / cannot read the ", kind.name_en, " file ", path, ": ", why));
  }
  FileDescriptor file(raw_fd);
  struct stat info;
  if (::fstat(file.get(), &info) != 0) {
    const std::string why = std::strerror(errno);
    return absl::FailedPreconditionError(absl::StrCat("无法读取", kind.name_zh, "文件 ", path, "：", why,
                                                      " / cannot read the ", kind.name_en, " file ", path, ": ", why));
  }
  if (!S_ISREG(info.st_mode)) {
    return absl::InvalidArgumentError(absl::StrCat(kind.name_zh, "路径 ", path, " 不是普通文件 / the ", kind.name_en,
                                                   " path ", path, " is not a regular file"));
  }
  // Checked on the open descriptor, so the file cannot be swapped between
  // the check and the read.
  const mode_t forbidden = kind.group_may_read ? 037 : 077;
  if ((info.st_mode & forbidden) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%03o", static_cast<unsigned>(info.st_mode & 0777));
    const char* fix = kind.group_may_read ? "640" : "600";
    return absl::FailedPreconditionError(absl::StrCat(
        kind.name_zh, "文件 ", path, " 的权限为 ", mode,
        kind.group_may_read ? "，组用户可写或其他用户可以访问" : "，其他用户可以访问", "；请执行 chmod ", fix, " ",
        path, " / the ", kind.name_en, " file ", path, " has mode ", mode, ": ",
        kind.group_may_read ? "the group may write it or others may access it" : "group or others may access it",
        "; run chmod ", fix, " ", path));
  }
  std::string content;
  char buffer[512];
  while (content.size() <= kMaxReadBytes) {
    const ssize_t got = ::read(file.get(), buffer, sizeof(buffer));
    if (got < 0) {
      if (errno == EINTR) continue;
      const std::string why = std::strerror(errno);
      return absl::FailedPreconditionError(absl::StrCat("无法读取", kind.name_zh, "文件 ", path, "：", why,
                                                        " / cannot read the ", kind.name_en, " file ", path, ": ",
                                                        why));
    }
    if (got == 0) break;
    content.append(buffer, static_cast<size_t>(got));
  }
  std::string_view hex = content;
  if (!hex.empty() && hex.back() == '\n') hex.remove_suffix(1);
  if (hex.size() != kHexSize || !IsLowercaseHex(hex)) {
    return absl::InvalidArgumentError(
        absl::StrCat(kind.name_zh, "文件 ", path, " 内容无效：应为 ", kHexSize, " 个小写十六进制字符加换行，实际 ",
                     content.size(), " 字节（文件被截断或改动过？）/ the ", kind.name_en, " file ", path,
                     " is not a key: expected ", kHexSize, " lowercase hex characters and a newline, found ",
                     content.size(), " bytes (truncated or edited?). ", kind.when_corrupt_en));
  }
  return absl::HexStringToBytes(internal::ToAbsl(hex));
}

absl::StatusOr<std::string> ReadOrCreateSecretFile(const std::string& path, const SecretFileKind& kind, bool* created) {
  if (created != nullptr) *created = false;
  absl::StatusOr<std::string> existing = ReadSecretFile(path, kind);
  if (existing.ok() || existing.status().code() != absl::StatusCode::kNotFound) return existing;

  absl::StatusOr<std::string> bytes = GenerateSecretBytes();
  if (!bytes.ok()) return bytes.status();
  bool lost_race = false;
  if (absl::Status written = CreateSecretFile(path, *bytes, kind, &lost_race); !written.ok()) return written;
  if (lost_race) return ReadSecretFile(path, kind);
  if (created != nullptr) *created = true;
  return bytes;
}

absl::StatusOr<std::string> PathUnderData(const std::string& relative, const SecretFileKind& kind,
                                          const std::string& flag) {
  const char* data = std::getenv("YUSUAN_DATA");
  if (data == nullptr || *data == '\0') {
    return absl::FailedPreconditionError(absl::StrCat("未设置 YUSUAN_DATA，找不到", kind.name_zh,
                                                      "；请设置 YUSUAN_DATA（见 deploy/local/env.sh）或用 ", flag,
                                                      " 指定文件 / YUSUAN_DATA is not set, so the ", kind.name_en,
                                                      " cannot be found; set it (see "
                                                      "deploy/local/env.sh) or name the file with ",
                                                      flag));
  }
  return (std::filesystem::path(data) / std::filesystem::path(relative)).string();
}

}  // namespace yusuan::security
