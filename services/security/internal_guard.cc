#include "services/security/internal_guard.h"

#include <string_view>

#include "services/common/errors.h"
#include "services/common/server.h"

namespace yusuan::security {

void RequireInternalCredential(const InternalSecret& secret, const std::string& service) {
  // The guard outlives main's locals: it owns its copy of the secret.
  SetCallGuard([secret, service](const grpc::CallbackServerContext& context) -> absl::Status {
    const auto& metadata = context.client_metadata();
    const auto found = metadata.find(kInternalCredentialHeader);
    if (found != metadata.end() && secret.Accepts(std::string_view(found->second.data(), found->second.size()))) {
      return absl::OkStatus();
    }
    return WithReason(
        absl::UnauthenticatedError("服务 " + service + " 只接受网关的调用（缺少或不正确的内部凭据 " +
                                   kInternalCredentialHeader + "）；请通过网关访问 / the " + service +
                                   " service answers only the gateway (the internal credential " +
                                   kInternalCredentialHeader + " is missing or wrong); call the gateway instead"),
        "INTERNAL_CREDENTIAL_REQUIRED");
  });
}

absl::Status GuardBackend(const std::string& secret_file_flag, const std::string& service) {
  absl::StatusOr<std::string> path = InternalSecretPath(secret_file_flag);
  if (!path.ok()) return path.status();
  absl::StatusOr<InternalSecret> secret = LoadInternalSecret(*path);
  if (!secret.ok()) return secret.status();
  RequireInternalCredential(*secret, service);
  return absl::OkStatus();
}

}  // namespace yusuan::security
