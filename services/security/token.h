// Bearer tokens: who is calling, in which role, over which resources, until
// when — signed by the deployment's key so the gateway needs no token store.
//
// Wire form (ASCII, no padding anywhere):
//
//   yst1.<base64url(payload JSON)>.<base64url(HMAC-SHA256(key, "yst1." + payload part))>
//
// payload JSON, compact, keys sorted:
//   {"exp":1700003600,"iat":1700000000,"kid":"a1b2c3d4","role":"reviewer",
//    "scope":"regions/4201","sub":"cli"}
//
// Refusals. Every refusal of VerifyToken is UNAUTHENTICATED with a message
// in Chinese, then English, and carries its machine reason as a
// google.rpc.ErrorInfo payload of the absl::Status (type URL
// "type.googleapis.com/google.rpc.ErrorInfo", domain "yusuan.gov.cn",
// reason one of kReasonMalformed, kReasonBadSignature, kReasonExpired,
// kReasonNotYetValid), the same way every other Yusuan error carries its
// reason, so the gateway's ToGrpcStatus / ToAip193Json pass it on unchanged.
// TokenRefusalOf reads it back as an enum.
#ifndef YUSUAN_SERVICES_SECURITY_TOKEN_H_
#define YUSUAN_SERVICES_SECURITY_TOKEN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/security/signing_key.h"

namespace yusuan::security {

// Who does what in the filing workflow (see permissions.md).
enum class Role { kPreparer, kReviewer, kIntegrator, kAdmin };

// "preparer", "reviewer", "integrator", "admin".
std::string_view RoleName(Role role);
// The inverse of RoleName (exact, lowercase); nullopt for anything else.
std::optional<Role> ParseRole(std::string_view name);

struct TokenClaims {
  std::string subject;  // who the token was issued to, for logs ("cli", "zhang.san")
  Role role = Role::kPreparer;
  std::string scope;  // a valid scope (scope.h), e.g. "regions/4201"
  int64_t issued_at_unix_seconds = 0;
  int64_t expires_at_unix_seconds = 0;
  // The key id of the signing key. MintToken ignores the value given and
  // writes the key's own; VerifyToken fills it from the token.
  std::string key_id;
};

inline constexpr std::string_view kTokenPrefix = "yst1.";
// A token is refused as MALFORMED past this size before any work is done.
inline constexpr size_t kMaxTokenBytes = 4096;
// Tolerated difference between the minting machine's clock and ours: a
// token issued up to this far in the future is accepted.
inline constexpr int64_t kMaxClockSkewSeconds = 60;

// The machine reasons (google.rpc.ErrorInfo.reason) of a refused token.
enum class TokenRefusal { kMalformed, kBadSignature, kExpired, kNotYetValid };
inline constexpr char kReasonMalformed[] = "MALFORMED";
inline constexpr char kReasonBadSignature[] = "BAD_SIGNATURE";
inline constexpr char kReasonExpired[] = "EXPIRED";
inline constexpr char kReasonNotYetValid[] = "NOT_YET_VALID";

std::string_view TokenRefusalReason(TokenRefusal refusal);
// The refusal a VerifyToken status carries; nullopt for OK or any other status.
std::optional<TokenRefusal> TokenRefusalOf(const absl::Status& status);

// The signed token for `claims` (their key_id replaced by key.key_id()).
// Does not check the claims: callers validate the scope (ValidateScope) and
// the times first. Empty only if OpenSSL cannot allocate.
std::string MintToken(const TokenClaims& claims, const SigningKey& key);

// The claims of `token` if it was minted with `key` and is valid at
// `now_unix_seconds`. Order of the checks, each refusing with its reason:
//   MALFORMED      empty, longer than kMaxTokenBytes, not "yst1.", not
//                  three dot-separated parts, signature part not canonical
//                  base64url of 32 bytes;
//   BAD_SIGNATURE  the HMAC does not match (constant-time comparison) —
//                  the payload is not parsed before this check; when the
//                  token's key id differs from the key's, the message names
//                  both (the key was rotated, or the token comes from
//                  another deployment), and ErrorInfo.metadata has
//                  token_key_id / expected_key_id;
//   MALFORMED      payload not canonical base64url, not a JSON object, a
//                  claim missing or of the wrong type, unknown role, invalid
//                  scope, expiry not after issue;
//   NOT_YET_VALID  issued more than kMaxClockSkewSeconds after now;
//   EXPIRED        now >= expiry (no leeway); the message gives the expiry
//                  in UTC ISO-8601, also in ErrorInfo.metadata["expired_at"].
absl::StatusOr<TokenClaims> VerifyToken(std::string_view token, const SigningKey& key, int64_t now_unix_seconds);

// "2021-01-05T08:30:00Z".
std::string FormatUnixSecondsUtc(int64_t unix_seconds);

}  // namespace yusuan::security

#endif  // YUSUAN_SERVICES_SECURITY_TOKEN_H_
