// The secret that signs bearer tokens. Only the gateway and the operator's
// CLI hold it; the backends recognise the gateway by another secret
// (internal_secret.h), so a compromised backend cannot mint tokens.
//
// One key per deployment, kept in a file readable by its owner only
// (64 lowercase hex characters and a newline). Whoever holds it can mint
// tokens for any role and scope, so the loader refuses a file that anyone
// else may read instead of quietly using it.
#ifndef YUSUAN_SERVICES_SECURITY_SIGNING_KEY_H_
#define YUSUAN_SERVICES_SECURITY_SIGNING_KEY_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace yusuan::security {

// 32 secret bytes and their public key id.
class SigningKey {
 public:
  static constexpr size_t kSizeBytes = 32;  // = kSecretSizeBytes (secret_file.h)

  // 32 bytes from OpenSSL's RAND_bytes; INTERNAL when the generator fails.
  static absl::StatusOr<SigningKey> Generate();
  // Exactly kSizeBytes raw bytes; INVALID_ARGUMENT otherwise.
  static absl::StatusOr<SigningKey> FromBytes(std::string_view bytes);
  // Exactly 64 lowercase hex characters (no newline); INVALID_ARGUMENT otherwise.
  static absl::StatusOr<SigningKey> FromHex(std::string_view hex);

  // The secret itself. Never log it.
  const std::string& bytes() const { return bytes_; }
  // 64 lowercase hex characters: the key file's content without the newline.
  std::string Hex() const;
  // The first 8 hex characters of SHA-256(bytes): names the key in tokens
  // and refusals without revealing it, so a token signed before a key
  // rotation is refused with "signed with key a1b2c3d4, this key is …".
  const std::string& key_id() const { return key_id_; }

 private:
  explicit SigningKey(std::string bytes);

  std::string bytes_;
  std::string key_id_;
};

// Reads the key file at `path`:
//   NOT_FOUND            the file does not exist (the message names the path
//                        and the command that creates it);
//   FAILED_PRECONDITION  group or others have any permission on it (chmod 600),
//                        or it cannot be read;
//   INVALID_ARGUMENT     not a regular file, or its content is not 64
//                        lowercase hex characters with an optional newline
//                        (e.g. a half-written file).
// Messages are Chinese, then English.
absl::StatusOr<SigningKey> LoadSigningKey(const std::string& path);

// LoadSigningKey, except that a missing file is created: the missing parent
// directories with mode 0700, then a new key written to a temporary file
// (mode 0600) in the same directory, synced, and linked into place, so a
// crash never leaves a half-written key under `path` and two processes
// creating it at once end up using the same key. Any other refusal of
// LoadSigningKey (a corrupt or too-open file) is returned as is: an existing
// key is never replaced, because every token signed with it would die.
// `created`, when given, tells whether this call made the key.
absl::StatusOr<SigningKey> LoadOrCreateSigningKey(const std::string& path, bool* created = nullptr);

// $YUSUAN_DATA/keys/token-signing.key; FAILED_PRECONDITION when YUSUAN_DATA
// is unset or empty (the message says to set it or to name the file).
absl::StatusOr<std::string> DefaultSigningKeyPath();

// The signing key a service uses: `flag_value` when given, otherwise
// DefaultSigningKeyPath() ($YUSUAN_DATA/keys/token-signing.key). Errors say
// which file was looked for and how to create it.
absl::StatusOr<SigningKey> LoadServiceSigningKey(const std::string& flag_value);

}  // namespace yusuan::security

#endif  // YUSUAN_SERVICES_SECURITY_SIGNING_KEY_H_
