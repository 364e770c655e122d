#include "services/gateway/auth/access.h"

#include <chrono>
#include <utility>

#include "services/common/errors.h"

namespace yusuan::gateway {
namespace {

std::string_view Trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

// RFC 7235: the scheme name is case-insensitive.
bool IsBearer(std::string_view header) {
  constexpr std::string_view kBearer = "bearer ";
  if (header.size() <= kBearer.size()) return false;
  for (size_t i = 0; i < kBearer.size(); ++i) {
    char c = header[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kBearer[i]) return false;
  }
  return true;
}

}  // namespace

AccessPolicy::AccessPolicy(security::SigningKey key, security::InternalSecret internal_secret,
                           const auth::PermissionMatrix* matrix)
    : key_(std::move(key)), internal_secret_(std::move(internal_secret)), matrix_(matrix) {}

absl::StatusOr<std::optional<security::TokenClaims>> AccessPolicy::Authenticate(std::string_view header) const {
  header = Trimmed(header);
  if (header.empty()) return std::nullopt;
  if (!IsBearer(header)) {
    return WithReason(
        absl::UnauthenticatedError("Authorization 应为 “Bearer <令牌>” / Authorization must be \"Bearer <token>\" "
                                   "(mint one with: yusuan admin token create --role ROLE --scope SCOPE --ttl 12h)"),
        security::kReasonMalformed);
  }
  const int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  absl::StatusOr<security::TokenClaims> claims = security::VerifyToken(Trimmed(header.substr(7)), key_, now);
  if (!claims.ok()) return claims.status();
  return std::optional<security::TokenClaims>(*std::move(claims));
}

absl::Status AccessPolicy::Authorize(const std::optional<security::TokenClaims>& caller, std::string_view method,
                                     std::string_view resource) const {
  return auth::Authorize(*matrix_, caller.has_value() ? &*caller : nullptr, method, resource);
}

}  // namespace yusuan::gateway
