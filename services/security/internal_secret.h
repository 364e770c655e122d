// The secret by which a backend (ledger, goals, report) recognises the
// gateway: every call the gateway makes carries a credential derived from
// it, and a backend answers nothing else (internal_guard.h). It is not the
// token-signing key, so the backends never hold what mints tokens, and it
// is rotated on its own (a new file, then a restart of the four services).
//
// One per deployment, $YUSUAN_DATA/secrets/internal.secret by default: 64
// lowercase hex characters and a newline, readable by its owner and group
// (the gateway and the backends may run as different users of one group),
// never by others.
#ifndef YUSUAN_SERVICES_SECURITY_INTERNAL_SECRET_H_
#define YUSUAN_SERVICES_SECURITY_INTERNAL_SECRET_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace yusuan::security {

class InternalSecret {
 public:
  // 32 bytes from OpenSSL's RAND_bytes.
  static absl::StatusOr<InternalSecret> Generate();
  // Exactly 32 raw bytes; INVALID_ARGUMENT otherwise.
  static absl::StatusOr<InternalSecret> FromBytes(std::string_view bytes);

  // The gateway's credential, sent in the gRPC metadata entry
  // kInternalCredentialHeader: lowercase hex of HMAC-SHA256(secret,
  // "yusuan-internal-v2"). Derived rather than the secret itself, so a
  // leaked request log does not reveal the file's content.
  const std::string& credential() const { return credential_; }
  // Whether `presented` is credential(), compared in constant time.
  bool Accepts(std::string_view presented) const;

  // 64 lowercase hex characters: the file's content without the newline.
  std::string Hex() const;

 private:
  explicit InternalSecret(std::string bytes);

  std::string bytes_;
  std::string credential_;
};

inline constexpr char kInternalCredentialHeader[] = "x-yusuan-internal";

// Reads the secret file (secret_file.h: NOT_FOUND, FAILED_PRECONDITION for
// a mode other than owner read/write plus group read, INVALID_ARGUMENT).
absl::StatusOr<InternalSecret> LoadInternalSecret(const std::string& path);
// Creates it when missing (mode 0640, directories 0750); never replaces one.
absl::StatusOr<InternalSecret> LoadOrCreateInternalSecret(const std::string& path, bool* created = nullptr);
// `flag_value`, or $YUSUAN_DATA/secrets/internal.secret when empty.
absl::StatusOr<std::string> InternalSecretPath(const std::string& flag_value);

}  // namespace yusuan::security

#endif  // YUSUAN_SERVICES_SECURITY_INTERNAL_SECRET_H_
