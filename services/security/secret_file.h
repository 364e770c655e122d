// A 32-byte secret kept in a file as 64 lowercase hex characters and a
// newline: the token-signing key (signing_key.h) and the internal secret
// (internal_secret.h) share the format, the checks on reading and the
// crash-safe creation; they differ in who may read the file.
#ifndef YUSUAN_SERVICES_SECURITY_SECRET_FILE_H_
#define YUSUAN_SERVICES_SECURITY_SECRET_FILE_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"

namespace yusuan::security {

inline constexpr size_t kSecretSizeBytes = 32;

// What a secret file holds, for messages and the mode it may have.
struct SecretFileKind {
  const char* name_zh;         // "签名密钥"
  const char* name_en;         // "signing key"
  const char* create_command;  // "yusuan admin key create --key" (the path follows)
  // The signing key is its owner's alone (0600). The internal secret is
  // shared by the gateway and the backends, which may run as different
  // users of one group, so the group may read it (0640); others never.
  bool group_may_read = false;
  // What to say when a corrupt file is found (replacing a signing key
  // invalidates every token; replacing the internal secret needs a restart).
  const char* when_corrupt_en;
};

// kSecretSizeBytes from OpenSSL's RAND_bytes; INTERNAL when it fails.
absl::StatusOr<std::string> GenerateSecretBytes();

// The raw bytes of the file at `path`:
//   NOT_FOUND            no such file (the message names the path and the command that creates it);
//   FAILED_PRECONDITION  a mode the kind does not allow, or unreadable;
//   INVALID_ARGUMENT     not a regular file, or not 64 lowercase hex characters with an optional newline.
// Messages are Chinese, then English.
absl::StatusOr<std::string> ReadSecretFile(const std::string& path, const SecretFileKind& kind);

// ReadSecretFile, except that a missing file is created: missing parent
// directories with mode 0700 (0750 when the group may read), then new bytes
// written to a temporary file of the allowed mode in the same directory,
// synced and linked into place, so a crash never leaves a half-written
// secret and two processes creating it at once end up with the same one.
// An existing file is never replaced. `created` tells whether this call made it.
absl::StatusOr<std::string> ReadOrCreateSecretFile(const std::string& path, const SecretFileKind& kind,
                                                   bool* created = nullptr);

// $YUSUAN_DATA/<relative>; FAILED_PRECONDITION naming `flag` when
// YUSUAN_DATA is unset or empty.
absl::StatusOr<std::string> PathUnderData(const std::string& relative, const SecretFileKind& kind,
                                          const std::string& flag);

}  // namespace yusuan::security

#endif  // YUSUAN_SERVICES_SECURITY_SECRET_FILE_H_
