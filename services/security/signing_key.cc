#include "services/security/signing_key.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/common/sha256.h"
#include "services/security/internal/absl_compat.h"
#include "services/security/internal/crypto.h"
#include "services/security/secret_file.h"

namespace yusuan::security {
namespace {

constexpr size_t kHexSize = SigningKey::kSizeBytes * 2;

const SecretFileKind& SigningKeyFile() {
  static constexpr SecretFileKind kKind{
      "签名密钥", "signing key", "yusuan admin key create --key", /*group_may_read=*/false,
      "Restore it from a backup; replacing it with a new key invalidates every token issued"};
  return kKind;
}

bool IsLowercaseHex(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

SigningKey::SigningKey(std::string bytes) : bytes_(std::move(bytes)), key_id_(Sha256Hex(bytes_).substr(0, 8)) {}

absl::StatusOr<SigningKey> SigningKey::Generate() {
  absl::StatusOr<std::string> bytes = GenerateSecretBytes();
  if (!bytes.ok()) return bytes.status();
  return SigningKey(*std::move(bytes));
}

absl::StatusOr<SigningKey> SigningKey::FromBytes(std::string_view bytes) {
  if (bytes.size() != kSizeBytes) {
    return absl::InvalidArgumentError(absl::StrCat("签名密钥应为 ", kSizeBytes, " 字节，实际 ", bytes.size(),
                                                   " / a signing key is ", kSizeBytes, " bytes, got ", bytes.size()));
  }
  return SigningKey(std::string(bytes));
}

absl::StatusOr<SigningKey> SigningKey::FromHex(std::string_view hex) {
  if (hex.size() != kHexSize || !IsLowercaseHex(hex)) {
    return absl::InvalidArgumentError(absl::StrCat("签名密钥应为 ", kHexSize, " 个小写十六进制字符 / a signing key is ",
                                                   kHexSize, " lowercase hex characters (got ", hex.size(),
                                                   " characters", IsLowercaseHex(hex) ? "" : ", not all of them 0-9a-f",
                                                   ")"));
  }
  return SigningKey(absl::HexStringToBytes(internal::ToAbsl(hex)));
}

std::string SigningKey::Hex() const { return internal::Hex(bytes_); }

absl::StatusOr<SigningKey> LoadSigningKey(const std::string& path) {
  absl::StatusOr<std::string> bytes = ReadSecretFile(path, SigningKeyFile());
  if (!bytes.ok()) return bytes.status();
  return SigningKey::FromBytes(*bytes);
}

absl::StatusOr<SigningKey> LoadOrCreateSigningKey(const std::string& path, bool* created) {
  absl::StatusOr<std::string> bytes = ReadOrCreateSecretFile(path, SigningKeyFile(), created);
  if (!bytes.ok()) return bytes.status();
  return SigningKey::FromBytes(*bytes);
}

absl::StatusOr<std::string> DefaultSigningKeyPath() {
  return PathUnderData("keys/token-signing.key", SigningKeyFile(), "--key");
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

}  // namespace yusuan::security
