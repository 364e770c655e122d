#include "services/security/token.h"

#include <ctime>
#include <limits>
#include <map>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "nlohmann/json.hpp"
#include "services/common/errors.h"
#include "services/security/internal/absl_compat.h"
#include "services/security/internal/crypto.h"
#include "services/security/scope.h"

namespace yusuan::security {
namespace {

using Json = nlohmann::json;
using internal::ToAbsl;

constexpr size_t kSignatureBytes = 32;

// JSON keys of the payload. Short, as in JWT, because the token travels in
// every request's metadata.
constexpr char kSubjectKey[] = "sub";
constexpr char kRoleKey[] = "role";
constexpr char kScopeKey[] = "scope";
constexpr char kIssuedAtKey[] = "iat";
constexpr char kExpiresAtKey[] = "exp";
constexpr char kKeyIdKey[] = "kid";

absl::Status Refuse(TokenRefusal refusal, std::string_view zh, std::string_view en,
                    std::map<std::string, std::string> metadata = {}) {
  absl::Status status =
      absl::UnauthenticatedError(absl::StrCat("令牌无效：", ToAbsl(zh), " / invalid token: ", ToAbsl(en)));
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(TokenRefusalReason(refusal)));
  info.set_domain(kErrorDomain);
  for (auto& [key, value] : metadata) (*info.mutable_metadata())[key] = std::move(value);
  AttachDetail(status, info);
  return status;
}

absl::Status Malformed(std::string_view zh, std::string_view en) {
  return Refuse(TokenRefusal::kMalformed, absl::StrCat("格式错误（", ToAbsl(zh), "）"),
                absl::StrCat("malformed (", ToAbsl(en), ")"));
}

// Base64url without padding, canonical only: decoding and encoding again
// must give the same text. This refuses padding, whitespace and the
// variants that differ only in the unused low bits of the last character,
// so each token has exactly one spelling.
bool DecodeBase64Url(std::string_view text, std::string* bytes) {
  if (!absl::WebSafeBase64Unescape(ToAbsl(text), bytes)) return false;
  return absl::WebSafeBase64Escape(*bytes) == text;
}

// The key id a token claims, read from a payload whose signature did NOT
// verify: used only to explain the refusal, never to decide anything.
std::string UnverifiedKeyId(std::string_view payload_part) {
  std::string payload;
  if (!DecodeBase64Url(payload_part, &payload)) return "";
  const Json json = Json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) return "";
  const auto found = json.find(kKeyIdKey);
  if (found == json.end() || !found->is_string()) return "";
  const std::string& key_id = found->get_ref<const std::string&>();
  // Echoed into a message: keep it short and printable.
  if (key_id.size() > 16) return "";
  for (char c : key_id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return "";
  }
  return key_id;
}

// The string claim `key`; false when absent or not a string.
bool StringClaim(const Json& json, const char* key, std::string* out) {
  const auto found = json.find(key);
  if (found == json.end() || !found->is_string()) return false;
  *out = found->get_ref<const std::string&>();
  return true;
}

// The integer claim `key` as int64; false when absent, not an integer or
// out of range.
bool IntegerClaim(const Json& json, const char* key, int64_t* out) {
  const auto found = json.find(key);
  if (found == json.end() || !found->is_number_integer()) return false;
  if (found->is_number_unsigned()) {
    const uint64_t value = found->get<uint64_t>();
    if (value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
    *out = static_cast<int64_t>(value);
    return true;
  }
  *out = found->get<int64_t>();
  return true;
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kPreparer:
      return "preparer";
    case Role::kReviewer:
      return "reviewer";
    case Role::kIntegrator:
      return "integrator";
    case Role::kAdmin:
      return "admin";
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role role : {Role::kPreparer, Role::kReviewer, Role::kIntegrator, Role::kAdmin}) {
    if (RoleName(role) == name) return role;
  }
  return std::nullopt;
}

std::string_view TokenRefusalReason(TokenRefusal refusal) {
  switch (refusal) {
    case TokenRefusal::kMalformed:
      return kReasonMalformed;
    case TokenRefusal::kBadSignature:
      return kReasonBadSignature;
    case TokenRefusal::kExpired:
      return kReasonExpired;
    case TokenRefusal::kNotYetValid:
      return kReasonNotYetValid;
  }
  return kReasonMalformed;
}

std::optional<TokenRefusal> TokenRefusalOf(const absl::Status& status) {
  if (status.code() != absl::StatusCode::kUnauthenticated) return std::nullopt;
  google::rpc::ErrorInfo info;
  if (!GetDetail(status, &info)) return std::nullopt;
  for (TokenRefusal refusal :
       {TokenRefusal::kMalformed, TokenRefusal::kBadSignature, TokenRefusal::kExpired, TokenRefusal::kNotYetValid}) {
    if (info.reason() == TokenRefusalReason(refusal)) return refusal;
  }
  return std::nullopt;
}

std::string FormatUnixSecondsUtc(int64_t unix_seconds) {
  const std::time_t seconds = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  if (gmtime_r(&seconds, &tm) == nullptr) return absl::StrCat("@", unix_seconds);
  char text[40];
  if (std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
    return absl::StrCat("@", unix_seconds);
  }
  return text;
}

std::string MintToken(const TokenClaims& claims, const SigningKey& key) {
  Json payload = Json::object();
  payload[kSubjectKey] = claims.subject;
  payload[kRoleKey] = std::string(RoleName(claims.role));
  payload[kScopeKey] = claims.scope;
  payload[kIssuedAtKey] = claims.issued_at_unix_seconds;
  payload[kExpiresAtKey] = claims.expires_at_unix_seconds;
  payload[kKeyIdKey] = key.key_id();
  // `replace`: a subject that is not UTF-8 becomes U+FFFD instead of
  // throwing out of dump().
  const std::string json = payload.dump(-1, ' ', false, Json::error_handler_t::replace);
  const std::string signed_part = absl::StrCat(ToAbsl(kTokenPrefix), absl::WebSafeBase64Escape(json));
  const std::string signature = internal::HmacSha256(key.bytes(), signed_part);
  if (signature.size() != kSignatureBytes) return "";
  return absl::StrCat(signed_part, ".", absl::WebSafeBase64Escape(signature));
}

absl::StatusOr<TokenClaims> VerifyToken(std::string_view token, const SigningKey& key, int64_t now_unix_seconds) {
  if (token.empty()) return Malformed("令牌为空", "the token is empty");
  if (token.size() > kMaxTokenBytes) {
    return Malformed(absl::StrCat("长度 ", token.size(), " 字节，超过上限 ", kMaxTokenBytes),
                     absl::StrCat(token.size(), " bytes, more than the ", kMaxTokenBytes, " allowed"));
  }
  if (token.substr(0, kTokenPrefix.size()) != kTokenPrefix) {
    const bool has_scheme = token.substr(0, 7) == "Bearer " || token.substr(0, 7) == "bearer ";
    return Malformed(has_scheme ? "应去掉开头的 \"Bearer \"" : "不以 yst1. 开头",
                     has_scheme ? "send the token without the leading \"Bearer \""
                                : "does not start with yst1.; create one with yusuan admin token create");
  }
  const std::string_view after_prefix = token.substr(kTokenPrefix.size());
  const size_t dot = after_prefix.find('.');
  if (dot == std::string_view::npos || after_prefix.find('.', dot + 1) != std::string_view::npos) {
    size_t parts = 2;
    for (char c : after_prefix) parts += c == '.' ? 1 : 0;
    return Malformed(absl::StrCat("应为 yst1.载荷.签名 三段，实际 ", parts, " 段"),
                     absl::StrCat("expected 3 dot-separated parts yst1.PAYLOAD.SIGNATURE, got ", parts));
  }
  const std::string_view payload_part = after_prefix.substr(0, dot);
  const std::string_view signature_part = after_prefix.substr(dot + 1);
  if (payload_part.empty() || signature_part.empty()) {
    return Malformed("载荷或签名为空", "empty payload or signature part");
  }
  std::string presented_signature;
  if (!DecodeBase64Url(signature_part, &presented_signature) || presented_signature.size() != kSignatureBytes) {
    return Malformed("签名不是 32 字节的 base64url 编码",
                     "the signature part is not base64url (no padding) of 32 bytes");
  }

  // The signature first: nothing in the payload is read before it is known
  // to come from the holder of the key.
  const std::string_view signed_part = token.substr(0, kTokenPrefix.size() + payload_part.size());
  const std::string expected_signature = internal::HmacSha256(key.bytes(), signed_part);
  if (!internal::ConstantTimeEquals(presented_signature, expected_signature)) {
    const std::string token_key_id = UnverifiedKeyId(payload_part);
    if (!token_key_id.empty() && token_key_id != key.key_id()) {
      return Refuse(TokenRefusal::kBadSignature,
                    absl::StrCat("签名不符：令牌由另一把密钥（密钥编号 ", token_key_id, "）签发，本服务的密钥编号为 ",
                                 key.key_id(), "；密钥已轮换或令牌来自其他部署，请重新申请令牌"),
                    absl::StrCat("bad signature: signed with another key (key id ", token_key_id,
                                 "), this service's key id is ", key.key_id(),
                                 "; the key was rotated or the token comes from another deployment: get a "
                                 "new token"),
                    {{"token_key_id", token_key_id}, {"expected_key_id", key.key_id()}});
    }
    return Refuse(TokenRefusal::kBadSignature, "签名不符：令牌被改动或伪造",
                  "bad signature: the token was altered or forged", {{"expected_key_id", key.key_id()}});
  }

  std::string payload;
  if (!DecodeBase64Url(payload_part, &payload)) {
    return Malformed("载荷不是 base64url 编码", "the payload part is not base64url (no padding)");
  }
  const Json json = Json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    return Malformed("载荷不是 JSON 对象", "the payload is not a JSON object");
  }
  TokenClaims claims;
  std::string role_name;
  for (auto [key_name, out] : {std::pair{kSubjectKey, &claims.subject}, std::pair{kRoleKey, &role_name},
                               std::pair{kScopeKey, &claims.scope}, std::pair{kKeyIdKey, &claims.key_id}}) {
    if (!StringClaim(json, key_name, out)) {
      return Malformed(absl::StrCat("缺少字符串声明 \"", key_name, "\""),
                       absl::StrCat("missing string claim \"", key_name, "\""));
    }
  }
  for (auto [key_name, out] : {std::pair{kIssuedAtKey, &claims.issued_at_unix_seconds},
                               std::pair{kExpiresAtKey, &claims.expires_at_unix_seconds}}) {
    if (!IntegerClaim(json, key_name, out)) {
      return Malformed(absl::StrCat("缺少整数声明 \"", key_name, "\""),
                       absl::StrCat("missing integer claim \"", key_name, "\""));
    }
  }
  if (claims.subject.empty()) return Malformed("主体为空", "empty subject");
  const std::optional<Role> role = ParseRole(role_name);
  if (!role.has_value()) {
    return Malformed(absl::StrCat("未知角色 \"", role_name, "\""),
                     absl::StrCat("unknown role \"", role_name, "\"; roles are preparer, reviewer, integrator, admin"));
  }
  claims.role = *role;
  if (!ValidateScope(claims.scope).ok()) {
    return Malformed(absl::StrCat("范围无效 \"", claims.scope, "\""),
                     absl::StrCat("invalid scope \"", claims.scope, "\""));
  }
  if (claims.key_id != key.key_id()) {
    // Only a minting bug gets here: the signature is ours.
    return Malformed("密钥编号与签名密钥不符", "the key id claim does not match the signing key");
  }
  if (claims.expires_at_unix_seconds <= claims.issued_at_unix_seconds) {
    return Malformed("过期时间不晚于签发时间", "expires before it was issued");
  }

  // Unsigned difference: exact whenever issued_at > now, and cannot overflow.
  if (claims.issued_at_unix_seconds > now_unix_seconds &&
      static_cast<uint64_t>(claims.issued_at_unix_seconds) - static_cast<uint64_t>(now_unix_seconds) >
          static_cast<uint64_t>(kMaxClockSkewSeconds)) {
    const std::string issued = FormatUnixSecondsUtc(claims.issued_at_unix_seconds);
    const std::string now = FormatUnixSecondsUtc(now_unix_seconds);
    return Refuse(TokenRefusal::kNotYetValid,
                  absl::StrCat("尚未生效：签发时间 ", issued, " 晚于当前时间 ", now, " 超过 ", kMaxClockSkewSeconds,
                               " 秒；请检查时钟"),
                  absl::StrCat("not yet valid: issued at ", issued, ", more than ", kMaxClockSkewSeconds,
                               " s after now (", now, "); check the clocks"),
                  {{"issued_at", issued}, {"now", now}});
  }
  if (now_unix_seconds >= claims.expires_at_unix_seconds) {
    const std::string expired = FormatUnixSecondsUtc(claims.expires_at_unix_seconds);
    return Refuse(TokenRefusal::kExpired, absl::StrCat("已于 ", expired, " 过期；请重新申请令牌"),
                  absl::StrCat("expired at ", expired, "; get a new token"), {{"expired_at", expired}});
  }
  return claims;
}

}  // namespace yusuan::security
