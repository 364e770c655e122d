// The backends' side of the internal credential: a ledger, goals or report
// service answers only calls that carry the gateway's credential, so going
// around the gateway (and its authorization) is refused.
#ifndef YUSUAN_SERVICES_SECURITY_INTERNAL_GUARD_H_
#define YUSUAN_SERVICES_SECURITY_INTERNAL_GUARD_H_

#include <string>

#include "absl/status/status.h"
#include "services/security/internal_secret.h"

namespace yusuan::security {

// Installs the call guard (services/common/server.h) of a backend: every
// call must carry kInternalCredentialHeader = secret.credential();
// otherwise UNAUTHENTICATED, reason INTERNAL_CREDENTIAL_REQUIRED. Health is
// not guarded (probes use it; it says only SERVING or not); a backend serves
// no reflection, which this guard could not cover (GrpcServerOptions).
void RequireInternalCredential(const InternalSecret& secret, const std::string& service);

// Both, as a backend's main does: the secret of `secret_file_flag` (or the
// default path), then the guard. The error says which file and how to make it.
absl::Status GuardBackend(const std::string& secret_file_flag, const std::string& service);

}  // namespace yusuan::security

#endif  // YUSUAN_SERVICES_SECURITY_INTERNAL_GUARD_H_
