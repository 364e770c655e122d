#include "services/security/token.h"

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/common/errors.h"
#include "services/security/internal/crypto.h"

namespace yusuan::security {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kIssuedAt = 1700000000;  // 2023-11-14T22:13:20Z
constexpr int64_t kExpiresAt = kIssuedAt + 3600;

SigningKey Key(char fill) {
  auto key = SigningKey::FromBytes(std::string(SigningKey::kSizeBytes, fill));
  EXPECT_TRUE(key.ok()) << key.status();
  return *key;
}

TokenClaims ReviewerClaims() {
  TokenClaims claims;
  claims.subject = "wang.fang";
  claims.role = Role::kReviewer;
  claims.scope = "regions/4201";
  claims.issued_at_unix_seconds = kIssuedAt;
  claims.expires_at_unix_seconds = kExpiresAt;
  return claims;
}

// A token whose payload part is `payload_part` verbatim, correctly signed
// with `key`: reaches the checks that come after the signature.
std::string SignRaw(std::string_view payload_part, const SigningKey& key) {
  const std::string signed_part = absl::StrCat("yst1.", std::string(payload_part));
  return absl::StrCat(signed_part, ".", absl::WebSafeBase64Escape(internal::HmacSha256(key.bytes(), signed_part)));
}

std::string SignJson(const nlohmann::json& payload, const SigningKey& key) {
  return SignRaw(absl::WebSafeBase64Escape(payload.dump()), key);
}

nlohmann::json ValidPayload(const SigningKey& key) {
  return {{"sub", "zhang.san"}, {"role", "preparer"}, {"scope", "regions/420107/departments/005001022"},
          {"iat", kIssuedAt},   {"exp", kExpiresAt},  {"kid", key.key_id()}};
}

// Asserts a refusal with `reason`, bilingual, and returns its message.
std::string ExpectRefused(const absl::StatusOr<TokenClaims>& verified, TokenRefusal reason,
                          const std::string& context = "") {
  EXPECT_FALSE(verified.ok()) << context;
  if (verified.ok()) return "";
  const absl::Status& status = verified.status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated) << context << ": " << status;
  EXPECT_EQ(TokenRefusalOf(status), reason) << context << ": " << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr("令牌无效")) << context;
  EXPECT_THAT(std::string(status.message()), HasSubstr("invalid token")) << context;
  return std::string(status.message());
}

// Another base64url character than `c`.
char Flip(char c) { return c == 'A' ? 'B' : 'A'; }

TEST(Token, MintThenVerifyGivesTheClaimsBack) {
  const SigningKey key = Key('k');
  const std::string token = MintToken(ReviewerClaims(), key);
  auto verified = VerifyToken(token, key, kIssuedAt + 10);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->subject, "wang.fang");
  EXPECT_EQ(verified->role, Role::kReviewer);
  EXPECT_EQ(verified->scope, "regions/4201");
  EXPECT_EQ(verified->issued_at_unix_seconds, kIssuedAt);
  EXPECT_EQ(verified->expires_at_unix_seconds, kExpiresAt);
  EXPECT_EQ(verified->key_id, key.key_id());
}

TEST(Token, WireFormIsPrefixPayloadSignatureWithoutPadding) {
  const SigningKey key = Key('k');
  const std::string token = MintToken(ReviewerClaims(), key);
  ASSERT_EQ(token.rfind("yst1.", 0), 0u) << token;
  EXPECT_EQ(token.find('='), std::string::npos);
  const std::vector<std::string> parts = absl::StrSplit(token, '.');
  ASSERT_EQ(parts.size(), 3u);
  std::string payload;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(parts[1], &payload));
  // Compact JSON, sorted keys.
  EXPECT_EQ(payload, absl::StrCat("{\"exp\":", kExpiresAt, ",\"iat\":", kIssuedAt, ",\"kid\":\"", key.key_id(),
                                  "\",\"role\":\"reviewer\",\"scope\":\"regions/4201\","
                                  "\"sub\":\"wang.fang\"}"));
  std::string signature;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(parts[2], &signature));
  EXPECT_EQ(signature, internal::HmacSha256(key.bytes(), absl::StrCat("yst1.", parts[1])));
}

TEST(Token, MintUsesTheKeysOwnKeyId) {
  const SigningKey key = Key('k');
  TokenClaims claims = ReviewerClaims();
  claims.key_id = "deadbeef";
  auto verified = VerifyToken(MintToken(claims, key), key, kIssuedAt);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->key_id, key.key_id());
}

TEST(Token, EveryChangedCharacterIsRefusedWithTheReasonOfItsPart) {
  const SigningKey key = Key('k');
  const std::string token = MintToken(ReviewerClaims(), key);
  const size_t payload_start = 5;
  const size_t second_dot = token.find('.', payload_start);
  for (size_t i = 0; i < token.size(); ++i) {
    std::string changed = token;
    changed[i] = Flip(changed[i]);
    const std::string context = absl::StrCat("position ", i, ": ", changed);
    auto verified = VerifyToken(changed, key, kIssuedAt);
    if (i < payload_start || i == second_dot) {
      // "yst1." or a separating dot: the shape is wrong.
      ExpectRefused(verified, TokenRefusal::kMalformed, context);
    } else if (i < second_dot) {
      // The payload is signed as text, so any change breaks the signature.
      ExpectRefused(verified, TokenRefusal::kBadSignature, context);
    } else if (i + 1 < token.size()) {
      ExpectRefused(verified, TokenRefusal::kBadSignature, context);
    } else {
      // The last character also carries unused bits: a change there is
      // either another signature or a non-canonical spelling.
      ASSERT_FALSE(verified.ok()) << context;
      const auto reason = TokenRefusalOf(verified.status());
      EXPECT_TRUE(reason == TokenRefusal::kBadSignature || reason == TokenRefusal::kMalformed)
          << context << ": " << verified.status();
    }
  }
}

TEST(Token, AlteredClaimsWithTheOriginalSignatureAreForged) {
  const SigningKey key = Key('k');
  const std::string token = MintToken(ReviewerClaims(), key);
  const std::vector<std::string> parts = absl::StrSplit(token, '.');
  nlohmann::json payload = ValidPayload(key);
  payload["role"] = "admin";
  payload["scope"] = "regions/";
  const std::string forged = absl::StrCat("yst1.", absl::WebSafeBase64Escape(payload.dump()), ".", parts[2]);
  const std::string message = ExpectRefused(VerifyToken(forged, key, kIssuedAt), TokenRefusal::kBadSignature);
  EXPECT_THAT(message, HasSubstr("altered or forged"));
  EXPECT_THAT(message, HasSubstr("伪造"));
}

TEST(Token, SignedWithAnotherKeyNamesBothKeyIds) {
  const SigningKey ours = Key('k');
  const SigningKey theirs = Key('o');
  ASSERT_NE(ours.key_id(), theirs.key_id());
  const absl::StatusOr<TokenClaims> verified = VerifyToken(MintToken(ReviewerClaims(), theirs), ours, kIssuedAt);
  const std::string message = ExpectRefused(verified, TokenRefusal::kBadSignature);
  EXPECT_THAT(message, HasSubstr(ours.key_id()));
  EXPECT_THAT(message, HasSubstr(theirs.key_id()));
  EXPECT_THAT(message, HasSubstr("rotated"));
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(GetDetail(verified.status(), &info));
  EXPECT_EQ(info.reason(), "BAD_SIGNATURE");
  EXPECT_EQ(info.domain(), kErrorDomain);
  EXPECT_EQ(info.metadata().at("token_key_id"), theirs.key_id());
  EXPECT_EQ(info.metadata().at("expected_key_id"), ours.key_id());
}

TEST(Token, ExpiredAtTheExpiryInstantWithTheTimeInUtc) {
  const SigningKey key = Key('k');
  const std::string token = MintToken(ReviewerClaims(), key);
  EXPECT_TRUE(VerifyToken(token, key, kExpiresAt - 1).ok());
  const absl::StatusOr<TokenClaims> verified = VerifyToken(token, key, kExpiresAt);
  const std::string message = ExpectRefused(verified, TokenRefusal::kExpired);
  EXPECT_THAT(message, HasSubstr("2023-11-14T23:13:20Z"));
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(GetDetail(verified.status(), &info));
  EXPECT_EQ(info.reason(), "EXPIRED");
  EXPECT_EQ(info.metadata().at("expired_at"), "2023-11-14T23:13:20Z");
  ExpectRefused(VerifyToken(token, key, kExpiresAt + 86400), TokenRefusal::kExpired);
}

TEST(Token, IssuedInTheFutureBeyondTheClockSkewIsNotYetValid) {
  const SigningKey key = Key('k');
  const std::string token = MintToken(ReviewerClaims(), key);
  EXPECT_TRUE(VerifyToken(token, key, kIssuedAt - kMaxClockSkewSeconds).ok());
  const std::string message =
      ExpectRefused(VerifyToken(token, key, kIssuedAt - kMaxClockSkewSeconds - 1), TokenRefusal::kNotYetValid);
  EXPECT_THAT(message, HasSubstr("2023-11-14T22:13:20Z"));
  ExpectRefused(VerifyToken(token, key, 0), TokenRefusal::kNotYetValid);
}

TEST(Token, MalformedShapesAreRefusedBeforeAnyCrypto) {
  const SigningKey key = Key('k');
  const std::string good = MintToken(ReviewerClaims(), key);
  const std::vector<std::string> parts = absl::StrSplit(good, '.');
  for (const std::string& bad : std::vector<std::string>{
           "", "yst1", "yst1.", "abc", "nodots", "yst1.onlypayload", "yst1..", "yst1.abc.", "yst1..abc",
           absl::StrCat(good, ".extra"), absl::StrCat("yst2.", parts[1], ".", parts[2]),
           absl::StrCat("YST1.", parts[1], ".", parts[2]),
           absl::StrCat("yst1.", parts[1], ".", parts[2], "="),           // padding
           absl::StrCat("yst1.", parts[1], ".", parts[2].substr(0, 40)),  // short signature
           absl::StrCat("yst1.", parts[1], ".***not-base64***"),
           absl::StrCat("yst1.", parts[1], ".", parts[2].substr(0, 20), " ",
                        parts[2].substr(20)),  // whitespace
           std::string(kMaxTokenBytes + 1, 'a')}) {
    ExpectRefused(VerifyToken(bad, key, kIssuedAt), TokenRefusal::kMalformed, bad);
  }
}

TEST(Token, BearerSchemeLeftInIsExplained) {
  const SigningKey key = Key('k');
  const std::string message = ExpectRefused(
      VerifyToken(absl::StrCat("Bearer ", MintToken(ReviewerClaims(), key)), key, kIssuedAt), TokenRefusal::kMalformed);
  EXPECT_THAT(message, HasSubstr("without the leading \"Bearer \""));
}

TEST(Token, ValidSignatureOverAPayloadThatIsNotJsonIsMalformed) {
  const SigningKey key = Key('k');
  const std::string message =
      ExpectRefused(VerifyToken(SignRaw(absl::WebSafeBase64Escape("not json at all"), key), key, kIssuedAt),
                    TokenRefusal::kMalformed);
  EXPECT_THAT(message, HasSubstr("not a JSON object"));
  ExpectRefused(VerifyToken(SignRaw(absl::WebSafeBase64Escape("[1,2]"), key), key, kIssuedAt), TokenRefusal::kMalformed,
                "array");
}

TEST(Token, ValidSignatureOverAPayloadThatIsNotBase64IsMalformed) {
  const SigningKey key = Key('k');
  const std::string message =
      ExpectRefused(VerifyToken(SignRaw("@@not*base64@@", key), key, kIssuedAt), TokenRefusal::kMalformed);
  EXPECT_THAT(message, HasSubstr("base64url"));
}

TEST(Token, UnknownRoleIsMalformed) {
  const SigningKey key = Key('k');
  nlohmann::json payload = ValidPayload(key);
  ASSERT_TRUE(VerifyToken(SignJson(payload, key), key, kIssuedAt).ok());
  payload["role"] = "auditor";
  const std::string message =
      ExpectRefused(VerifyToken(SignJson(payload, key), key, kIssuedAt), TokenRefusal::kMalformed);
  EXPECT_THAT(message, HasSubstr("unknown role \"auditor\""));
}

TEST(Token, MissingOrMistypedClaimsAreMalformed) {
  const SigningKey key = Key('k');
  for (const char* claim : {"sub", "role", "scope", "iat", "exp", "kid"}) {
    nlohmann::json payload = ValidPayload(key);
    payload.erase(claim);
    const std::string message =
        ExpectRefused(VerifyToken(SignJson(payload, key), key, kIssuedAt), TokenRefusal::kMalformed, claim);
    EXPECT_THAT(message, HasSubstr(absl::StrCat("\"", claim, "\""))) << claim;
  }
  nlohmann::json payload = ValidPayload(key);
  payload["iat"] = "1700000000";
  ExpectRefused(VerifyToken(SignJson(payload, key), key, kIssuedAt), TokenRefusal::kMalformed, "string iat");
  payload = ValidPayload(key);
  payload["exp"] = 1.7e9;
  ExpectRefused(VerifyToken(SignJson(payload, key), key, kIssuedAt), TokenRefusal::kMalformed, "floating exp");
  payload = ValidPayload(key);
  payload["exp"] = 18446744073709551615ull;
  ExpectRefused(VerifyToken(SignJson(payload, key), key, kIssuedAt), TokenRefusal::kMalformed, "exp beyond int64");
  payload = ValidPayload(key);
  payload["sub"] = "";
  ExpectRefused(VerifyToken(SignJson(payload, key), key, kIssuedAt), TokenRefusal::kMalformed, "empty subject");
}

TEST(Token, ScopeThatIsNotAValidPrefixIsMalformed) {
  const SigningKey key = Key('k');
  for (const char* scope :
       {"", "regions", "regions/42/", "regions/abc", "departments/1", "regions/420107/departments/"}) {
    nlohmann::json payload = ValidPayload(key);
    payload["scope"] = scope;
    const std::string message =
        ExpectRefused(VerifyToken(SignJson(payload, key), key, kIssuedAt), TokenRefusal::kMalformed, scope);
    EXPECT_THAT(message, HasSubstr("invalid scope")) << scope;
  }
}

TEST(Token, ExpiryNotAfterIssueIsMalformed) {
  const SigningKey key = Key('k');
  nlohmann::json payload = ValidPayload(key);
  payload["exp"] = kIssuedAt;
  ExpectRefused(VerifyToken(SignJson(payload, key), key, kIssuedAt), TokenRefusal::kMalformed);
}

TEST(Token, SubjectThatIsNotUtf8DoesNotThrow) {
  const SigningKey key = Key('k');
  TokenClaims claims = ReviewerClaims();
  claims.subject = "bad\xff";
  auto verified = VerifyToken(MintToken(claims, key), key, kIssuedAt);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->subject, "bad\xEF\xBF\xBD");  // U+FFFD
}

TEST(Token, RoleNamesRoundTrip) {
  for (Role role : {Role::kPreparer, Role::kReviewer, Role::kIntegrator, Role::kAdmin}) {
    EXPECT_EQ(ParseRole(RoleName(role)), role);
  }
  EXPECT_EQ(RoleName(Role::kIntegrator), "integrator");
  EXPECT_FALSE(ParseRole("Admin").has_value());
  EXPECT_FALSE(ParseRole("").has_value());
}

TEST(Token, RefusalOfOtherStatusesIsNone) {
  EXPECT_FALSE(TokenRefusalOf(absl::OkStatus()).has_value());
  EXPECT_FALSE(TokenRefusalOf(absl::UnauthenticatedError("no details")).has_value());
  EXPECT_FALSE(TokenRefusalOf(WithReason(absl::InvalidArgumentError("x"), "MALFORMED")));
}

TEST(Token, FormatsUtc) {
  EXPECT_EQ(FormatUnixSecondsUtc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatUnixSecondsUtc(kIssuedAt), "2023-11-14T22:13:20Z");
}

}  // namespace
}  // namespace yusuan::security
