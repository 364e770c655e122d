#include "services/security/internal_secret.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/security/internal/crypto.h"
#include "services/security/secret_file.h"

namespace yusuan::security {
namespace {

// v2: v1 was derived from the token-signing key, which the backends no
// longer hold; a gateway or backend left on v1 is refused, not half-trusted.
constexpr char kCredentialLabel[] = "yusuan-internal-v2";

const SecretFileKind& InternalSecretFile() {
  static constexpr SecretFileKind kKind{
      "内部密钥", "internal secret", "yusuan admin secret create --file", /*group_may_read=*/true,
      "Write a new one (yusuan admin secret create) and restart the gateway and the backends together"};
  return kKind;
}

}  // namespace

InternalSecret::InternalSecret(std::string bytes)
    : bytes_(std::move(bytes)), credential_(internal::Hex(internal::HmacSha256(bytes_, kCredentialLabel))) {}

absl::StatusOr<InternalSecret> InternalSecret::Generate() {
  absl::StatusOr<std::string> bytes = GenerateSecretBytes();
  if (!bytes.ok()) return bytes.status();
  return InternalSecret(*std::move(bytes));
}

absl::StatusOr<InternalSecret> InternalSecret::FromBytes(std::string_view bytes) {
  if (bytes.size() != kSecretSizeBytes) {
    return absl::InvalidArgumentError(absl::StrCat("内部密钥应为 ", kSecretSizeBytes, " 字节，实际 ", bytes.size(),
                                                   " / an internal secret is ", kSecretSizeBytes, " bytes, got ",
                                                   bytes.size()));
  }
  return InternalSecret(std::string(bytes));
}

bool InternalSecret::Accepts(std::string_view presented) const {
  return internal::ConstantTimeEquals(presented, credential_);
}

std::string InternalSecret::Hex() const { return internal::Hex(bytes_); }

absl::StatusOr<InternalSecret> LoadInternalSecret(const std::string& path) {
  absl::StatusOr<std::string> bytes = ReadSecretFile(path, InternalSecretFile());
  if (!bytes.ok()) return bytes.status();
  return InternalSecret::FromBytes(*bytes);
}

absl::StatusOr<InternalSecret> LoadOrCreateInternalSecret(const std::string& path, bool* created) {
  absl::StatusOr<std::string> bytes = ReadOrCreateSecretFile(path, InternalSecretFile(), created);
  if (!bytes.ok()) return bytes.status();
  return InternalSecret::FromBytes(*bytes);
}

absl::StatusOr<std::string> InternalSecretPath(const std::string& flag_value) {
  if (!flag_value.empty()) return flag_value;
  return PathUnderData("secrets/internal.secret", InternalSecretFile(), "--internal_secret_file");
}

}  // namespace yusuan::security
