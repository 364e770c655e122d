#include "services/security/signing_key.h"

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

constexpr size_t kHexSize = SigningKey::kSizeBytes * 2;
// A key file is 65 bytes; reading a little more tells "too long" apart
// without slurping whatever large file the path was pointed at.
constexpr size_t kMaxReadBytes = 4096;
constexpr char kInternalCredentialLabel[] = "yusuan-internal-v1";

bool IsLowercaseHex(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string HowToCreate(const std::string& path) {
  return absl::StrCat("yusuan admin key create --key ", path);
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

// mkdir -p with mode 0700 for every directory it creates; existing ones are
// left as they are (their owner chose their mode).
absl::Status MakeDirectories(const std::filesystem::path& directory) {
  if (directory.empty()) return absl::OkStatus();
  std::filesystem::path prefix;
  for (const auto& part : directory) {
    prefix /= part;
    if (::mkdir(prefix.c_str(), 0700) == 0 || errno == EEXIST) {
      struct stat info;
      if (::stat(prefix.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) continue;
      return absl::FailedPreconditionError(absl::StrCat("无法创建密钥目录 ", prefix.string(),
                                                        "：同名文件已存在 / cannot create the "
                                                        "key directory ",
                                                        prefix.string(),
                                                        ": something else exists there"));
    }
    const std::string why = std::strerror(errno);
    return absl::FailedPreconditionError(absl::StrCat("无法创建密钥目录 ", prefix.string(), "：",
                                                      why, " / cannot create the key directory ",
                                                      prefix.string(), ": ", why));
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

// Writes a new key beside `path` and links it into place. EEXIST from link
// means another process won the race: the caller loads theirs.
absl::Status CreateKeyFile(const std::string& path, const SigningKey& key, bool* lost_race) {
  *lost_race = false;
  const std::filesystem::path target(path);
  const std::filesystem::path directory = target.parent_path();
  if (absl::Status made = MakeDirectories(directory); !made.ok()) return made;

  std::string temporary =
      (directory / absl::StrCat(".", target.filename().string(), ".tmp.XXXXXX")).string();
  std::vector<char> name_buffer(temporary.begin(), temporary.end());
  name_buffer.push_back('\0');
  // mkstemp creates the file with mode 0600 and O_EXCL.
  const int raw_fd = ::mkstemp(name_buffer.data());
  if (raw_fd < 0) {
    const std::string why = std::strerror(errno);
    return absl::FailedPreconditionError(
        absl::StrCat("无法在 ", directory.string(), " 中创建签名密钥：", why,
                     " / cannot create the signing key in ", directory.string(), ": ", why));
  }
  temporary = name_buffer.data();
  FileDescriptor file(raw_fd);
  auto fail = [&](const std::string& step) {
    const std::string why = std::strerror(errno);
    ::unlink(temporary.c_str());
    return absl::FailedPreconditionError(absl::StrCat("无法写入签名密钥 ", path, "（", step, "）：",
                                                      why, " / cannot write the signing key ", path,
                                                      " (", step, "): ", why));
  };
  if (::fchmod(file.get(), 0600) != 0) return fail("chmod");
  if (absl::Status written = WriteAll(file.get(), absl::StrCat(key.Hex(), "\n")); !written.ok()) {
    return fail("write");
  }
  if (::fsync(file.get()) != 0) return fail("fsync");
  if (file.Close() != 0) return fail("close");

  // link() never replaces an existing file, unlike rename(): if another
  // process created the key meanwhile, both end up using theirs.
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

SigningKey::SigningKey(std::string bytes)
    : bytes_(std::move(bytes)), key_id_(internal::Hex(internal::Sha256(bytes_)).substr(0, 8)) {}

absl::StatusOr<SigningKey> SigningKey::Generate() {
  std::string bytes(kSizeBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(bytes.size())) !=
      1) {
    return absl::InternalError("随机数生成失败 / the random generator (RAND_bytes) failed");
  }
  return SigningKey(std::move(bytes));
}

absl::StatusOr<SigningKey> SigningKey::FromBytes(std::string_view bytes) {
  if (bytes.size() != kSizeBytes) {
    return absl::InvalidArgumentError(absl::StrCat("签名密钥应为 ", kSizeBytes, " 字节，实际 ",
                                                   bytes.size(), " / a signing key is ", kSizeBytes,
                                                   " bytes, got ", bytes.size()));
  }
  return SigningKey(std::string(bytes));
}

absl::StatusOr<SigningKey> SigningKey::FromHex(std::string_view hex) {
  if (hex.size() != kHexSize || !IsLowercaseHex(hex)) {
    return absl::InvalidArgumentError(
        absl::StrCat("签名密钥应为 ", kHexSize, " 个小写十六进制字符 / a signing key is ", kHexSize,
                     " lowercase hex characters (got ", hex.size(), " characters",
                     IsLowercaseHex(hex) ? "" : ", not all of them 0-9a-f", ")"));
  }
  return SigningKey(absl::HexStringToBytes(internal::ToAbsl(hex)));
}

std::string SigningKey::Hex() const { return internal::Hex(bytes_); }

absl::StatusOr<SigningKey> LoadSigningKey(const std::string& path) {
  // O_NONBLOCK: a FIFO put at the path must not hang the start-up; it is
  // refused below as not a regular file.
  const int raw_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (raw_fd < 0) {
    const std::string why = std::strerror(errno);
    if (errno == ENOENT) {
      return absl::NotFoundError(absl::StrCat(
          "签名密钥文件不存在：", path, "；请运行 deploy/local/up.sh 或 ", HowToCreate(path),
          " 创建 / the signing key file ", path, " does not exist; create it with ",
          HowToCreate(path), " (deploy/local/up.sh does this)"));
    }
    return absl::FailedPreconditionError(absl::StrCat("无法读取签名密钥文件 ", path, "：", why,
                                                      " / cannot read the signing key file ", path,
                                                      ": ", why));
  }
  FileDescriptor file(raw_fd);
  struct stat info;
  if (::fstat(file.get(), &info) != 0) {
    const std::string why = std::strerror(errno);
    return absl::FailedPreconditionError(absl::StrCat("无法读取签名密钥文件 ", path, "：", why,
                                                      " / cannot read the signing key file ", path,
                                                      ": ", why));
  }
  if (!S_ISREG(info.st_mode)) {
    return absl::InvalidArgumentError(absl::StrCat("签名密钥路径 ", path,
                                                   " 不是普通文件 / the signing key path ", path,
                                                   " is not a regular file"));
  }
  // Checked on the open descriptor, so the file cannot be swapped between
  // the check and the read.
  if ((info.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%03o", static_cast<unsigned>(info.st_mode & 0777));
    return absl::FailedPreconditionError(absl::StrCat(
        "签名密钥文件 ", path, " 的权限为 ", mode, "，其他用户可以访问；请执行 chmod 600 ", path,
        " / the signing key file ", path, " has mode ", mode,
        ": group or others may access it; run chmod 600 ", path));
  }
  std::string content;
  char buffer[512];
  while (content.size() <= kMaxReadBytes) {
    const ssize_t got = ::read(file.get(), buffer, sizeof(buffer));
    if (got < 0) {
      if (errno == EINTR) continue;
      const std::string why = std::strerror(errno);
      return absl::FailedPreconditionError(absl::StrCat("无法读取签名密钥文件 ", path, "：", why,
                                                        " / cannot read the signing key file ",
                                                        path, ": ", why));
    }
    if (got == 0) break;
    content.append(buffer, static_cast<size_t>(got));
  }
  std::string_view hex = content;
  if (!hex.empty() && hex.back() == '\n') hex.remove_suffix(1);
  if (hex.size() != kHexSize || !IsLowercaseHex(hex)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "签名密钥文件 ", path, " 内容无效：应为 ", kHexSize, " 个小写十六进制字符加换行，实际 ",
        content.size(), " 字节（文件被截断或改动过？）/ the signing key file ", path,
        " is not a key: expected ", kHexSize, " lowercase hex characters and a newline, found ",
        content.size(),
        " bytes (truncated or edited?). Restore it from a backup; replacing it with a new key ",
        "invalidates every token issued"));
  }
  return SigningKey::FromHex(hex);
}

absl::StatusOr<SigningKey> LoadOrCreateSigningKey(const std::string& path, bool* created) {
  if (created != nullptr) *created = false;
  absl::StatusOr<SigningKey> existing = LoadSigningKey(path);
  if (existing.ok() || existing.status().code() != absl::StatusCode::kNotFound) return existing;

  absl::StatusOr<SigningKey> key = SigningKey::Generate();
  if (!key.ok()) return key.status();
  bool lost_race = false;
  if (absl::Status written = CreateKeyFile(path, *key, &lost_race); !written.ok()) return written;
  if (lost_race) return LoadSigningKey(path);
  if (created != nullptr) *created = true;
  return key;
}

absl::StatusOr<std::string> DefaultSigningKeyPath() {
  const char* data = std::getenv("YUSUAN_DATA");
  if (data == nullptr || *data == '\0') {
    return absl::FailedPreconditionError(
        "未设置 YUSUAN_DATA，找不到签名密钥；请设置 YUSUAN_DATA（见 deploy/local/env.sh）或用 "
        "--key "
        "指定密钥文件 / YUSUAN_DATA is not set, so the signing key cannot be found; set it (see "
        "deploy/local/env.sh) or name the key file with --key");
  }
  return (std::filesystem::path(data) / "keys" / "token-signing.key").string();
}

absl::StatusOr<SigningKey> LoadServiceSigningKey(const std::string& flag_value) {
  std::string path = flag_value;
  if (path.empty()) {
    absl::StatusOr<std::string> fallback = DefaultSigningKeyPath();
    if (!fallback.ok()) return fallback.status();
    path = *fallback;
  }
  return LoadSigningKey(path);
}

std::string InternalCredential(const SigningKey& key) {
  return internal::Hex(internal::HmacSha256(key.bytes(), kInternalCredentialLabel));
}

bool IsInternalCredential(std::string_view presented, const SigningKey& key) {
  return internal::ConstantTimeEquals(presented, InternalCredential(key));
}

}  // namespace yusuan::security
