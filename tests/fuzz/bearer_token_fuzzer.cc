// Bearer tokens: the Authorization header as the gateway reads it
// (services/gateway/auth/access.h), the token check (services/security/
// token.h) and the permission matrix applied to the claims of a token that
// verifies.
//
// Input, one of two kinds:
//   - an Authorization header value ("Bearer yst1.…"), or a bare token;
//   - a token payload: input starting with '{' is taken as the payload
//     JSON, signed here with the fuzz key, so the checks after the
//     signature (claims, scope, times) see every payload the fuzzer makes.
// The key is fixed (kKeyBytes) and so is the clock (kNow): the seeds under
// corpus/bearer_token/ are tokens `yusuan admin token create` made with
// that key.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/strings/escaping.h"
#include "services/common/errors.h"
#include "services/gateway/auth/access.h"
#include "services/gateway/auth/permissions.h"
#include "services/security/internal_secret.h"
#include "services/security/scope.h"
#include "services/security/signing_key.h"
#include "services/security/token.h"
#include "tests/fuzz/fuzz_check.h"

namespace yusuan {
namespace {

using security::TokenClaims;
using security::TokenRefusal;

constexpr std::string_view kKeyBytes = "yusuan fuzz signing key 32 bytes";
constexpr std::string_view kSecretBytes = "yusuan fuzz internal secret 32 b";
// 2026-12-07T00:00:00Z, a day after the seeds were minted (README.md §
// Seeds): the ones minted for a year or a month verify at this clock, those
// for 12 hours or 30 minutes have expired.
constexpr int64_t kNow = 1796601600;

const security::SigningKey& Key() {
  static const auto* key = new security::SigningKey(*security::SigningKey::FromBytes(kKeyBytes));
  return *key;
}

const gateway::AccessPolicy& Policy() {
  static const auto* policy = new gateway::AccessPolicy(Key(), *security::InternalSecret::FromBytes(kSecretBytes),
                                                        *gateway::auth::DefaultPermissions());
  return *policy;
}

std::string Describe(const TokenClaims& c) {
  return fuzz::Context("sub=", c.subject, " role=", security::RoleName(c.role), " scope=", c.scope,
                       " iat=", c.issued_at_unix_seconds, " exp=", c.expires_at_unix_seconds, " kid=", c.key_id);
}

bool SameClaims(const TokenClaims& a, const TokenClaims& b) {
  return a.subject == b.subject && a.role == b.role && a.scope == b.scope &&
         a.issued_at_unix_seconds == b.issued_at_unix_seconds &&
         a.expires_at_unix_seconds == b.expires_at_unix_seconds && a.key_id == b.key_id;
}

// A refusal is UNAUTHENTICATED and names its reason.
void CheckRefusal(const absl::Status& status, std::string_view input) {
  FUZZ_CHECK(status.code() == absl::StatusCode::kUnauthenticated, input, " → ", status.ToString());
  const std::string reason = ErrorReason(status);
  FUZZ_CHECK(reason == security::kReasonMalformed || reason == security::kReasonBadSignature ||
                 reason == security::kReasonExpired || reason == security::kReasonNotYetValid,
             input, " → ", status.ToString());
}

// What the matrix allows a verified caller: a cell of "any", or of "scope"
// on a resource the token's scope covers; nothing in a "-" cell.
void CheckAuthorization(const TokenClaims& claims) {
  const gateway::auth::PermissionMatrix& matrix = **gateway::auth::DefaultPermissions();
  const gateway::auth::Principal column = gateway::auth::PrincipalOf(&claims);
  for (const std::string& method : matrix.methods()) {
    const gateway::auth::Access cell = *matrix.Cell(method, column);
    for (const std::string& resource :
         {claims.scope, std::string("regions/420107/departments/005001022/budgets/2021")}) {
      const absl::Status allowed = gateway::auth::Authorize(matrix, &claims, method, resource);
      switch (cell) {
        case gateway::auth::Access::kAnyone:
          FUZZ_CHECK(allowed.ok(), method, " ", Describe(claims), " → ", allowed.ToString());
          break;
        case gateway::auth::Access::kDenied:
          FUZZ_CHECK(allowed.code() == absl::StatusCode::kPermissionDenied, method, " ", Describe(claims));
          break;
        case gateway::auth::Access::kInScope:
          FUZZ_CHECK(allowed.ok() == security::ScopeCovers(claims.scope, resource), method, " ", resource, " ",
                     Describe(claims), " → ", allowed.ToString());
          break;
      }
    }
  }
}

// The claims of a token that verified at kNow are what the header of
// token.h promises, and minting them again gives a token that verifies to
// the same claims and mints to itself.
std::string CheckVerified(const TokenClaims& claims, std::string_view token) {
  FUZZ_CHECK(!claims.subject.empty(), token);
  FUZZ_CHECK(security::ParseRole(security::RoleName(claims.role)) == claims.role, token);
  FUZZ_CHECK(security::ValidateScope(claims.scope).ok(), token, " ", Describe(claims));
  FUZZ_CHECK(claims.key_id == Key().key_id(), token);
  FUZZ_CHECK(claims.issued_at_unix_seconds < claims.expires_at_unix_seconds, Describe(claims));
  FUZZ_CHECK(kNow < claims.expires_at_unix_seconds, Describe(claims));
  FUZZ_CHECK(claims.issued_at_unix_seconds <= kNow + security::kMaxClockSkewSeconds, Describe(claims));

  const std::string minted = security::MintToken(claims, Key());
  const absl::StatusOr<TokenClaims> again = security::VerifyToken(minted, Key(), kNow);
  FUZZ_CHECK(again.ok() && SameClaims(*again, claims), minted, " ", Describe(claims));
  FUZZ_CHECK(security::MintToken(*again, Key()) == minted, minted);

  // The validity window is [iat - skew, exp): EXPIRED from exp on.
  const absl::StatusOr<TokenClaims> at_expiry = security::VerifyToken(minted, Key(), claims.expires_at_unix_seconds);
  FUZZ_CHECK(security::TokenRefusalOf(at_expiry.status()) == TokenRefusal::kExpired, Describe(claims));
  FUZZ_CHECK(security::VerifyToken(minted, Key(), claims.issued_at_unix_seconds).ok(), Describe(claims));

  CheckAuthorization(claims);
  return minted;
}

// A header value or bare token: only a token MintToken made with the key
// verifies, so one that does is exactly what MintToken writes for its
// claims.
void CheckHeader(std::string_view input) {
  const absl::StatusOr<TokenClaims> verified = security::VerifyToken(input, Key(), kNow);
  if (verified.ok()) {
    const std::string minted = CheckVerified(*verified, input);
    FUZZ_CHECK(minted == input, input, " re-mints as ", minted);
  } else {
    CheckRefusal(verified.status(), input);
  }

  const absl::StatusOr<std::optional<TokenClaims>> caller = Policy().Authenticate(input);
  if (!caller.ok()) {
    CheckRefusal(caller.status(), input);
  } else if (caller->has_value()) {
    // The gateway's clock is the machine's: the seeds expire at it too.
    const std::string minted = security::MintToken(**caller, Key());
    FUZZ_CHECK(input.find(minted) != std::string_view::npos, input, " re-mints as ", minted);
  }
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &length);
  return std::string(reinterpret_cast<const char*>(out), length);
}

// A payload signed as token.h describes the wire form: the signature is
// never what refuses it.
void CheckPayload(std::string_view payload) {
  const std::string signed_part = std::string(security::kTokenPrefix) +
                                  absl::WebSafeBase64Escape(absl::string_view(payload.data(), payload.size()));
  const std::string token = signed_part + "." + absl::WebSafeBase64Escape(HmacSha256(Key().bytes(), signed_part));
  const absl::StatusOr<TokenClaims> verified = security::VerifyToken(token, Key(), kNow);
  if (verified.ok()) {
    CheckVerified(*verified, token);
    return;
  }
  CheckRefusal(verified.status(), token);
  if (token.size() <= security::kMaxTokenBytes) {
    FUZZ_CHECK(security::TokenRefusalOf(verified.status()) != TokenRefusal::kBadSignature, token, " → ",
               verified.status().ToString());
  }
}

}  // namespace
}  // namespace yusuan

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (!input.empty() && input.front() == '{') {
    yusuan::CheckPayload(input);
  } else {
    yusuan::CheckHeader(input);
  }
  return 0;
}
