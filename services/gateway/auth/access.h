// Who is calling the gateway and whether they may: the bearer token of the
// call (gRPC metadata `authorization`, HTTP header `Authorization`) checked
// against the signing key, and the permission matrix
// (services/gateway/auth/permissions.md) applied by the orchestrator to every
// public method. Also the internal credential the gateway shows the backends
// (from the internal secret, not from the signing key).
#ifndef YUSUAN_SERVICES_GATEWAY_AUTH_ACCESS_H_
#define YUSUAN_SERVICES_GATEWAY_AUTH_ACCESS_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/gateway/auth/permissions.h"
#include "services/security/internal_secret.h"
#include "services/security/signing_key.h"
#include "services/security/token.h"

namespace yusuan::gateway {

class AccessPolicy {
 public:
  // The matrix must outlive the policy (DefaultPermissions() does).
  AccessPolicy(security::SigningKey key, security::InternalSecret internal_secret,
               const auth::PermissionMatrix* matrix);

  // The caller of a request whose Authorization value is `header`: nullopt
  // for none (anonymous), the token's claims for "Bearer <token>", or
  // UNAUTHENTICATED with the token's reason (MALFORMED, BAD_SIGNATURE,
  // EXPIRED, NOT_YET_VALID) or MALFORMED for another scheme.
  absl::StatusOr<std::optional<security::TokenClaims>> Authenticate(std::string_view header) const;

  // The matrix's answer for `method` ("GetBudget", "TransitionBudget:PUBLISH")
  // on `resource` (the request's name, parent or department).
  absl::Status Authorize(const std::optional<security::TokenClaims>& caller, std::string_view method,
                         std::string_view resource) const;

  // Sent to the backends in security::kInternalCredentialHeader.
  const std::string& internal_credential() const { return internal_secret_.credential(); }

 private:
  security::SigningKey key_;
  security::InternalSecret internal_secret_;
  const auth::PermissionMatrix* matrix_;
};

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_AUTH_ACCESS_H_
