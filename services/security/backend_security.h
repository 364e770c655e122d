// What every backend (ledger, goals, report) does to answer only the gateway:
// the flags --internal_secret_file (the internal credential, internal_guard.h) and
// --tls_cert_file / --tls_key_file / --tls_client_ca_file (optional TLS,
// mutual with the CA), defined here once for the three binaries.
#ifndef YUSUAN_SERVICES_SECURITY_BACKEND_SECURITY_H_
#define YUSUAN_SERVICES_SECURITY_BACKEND_SECURITY_H_

#include <string>

#include "absl/status/status.h"
#include "services/common/server.h"

namespace yusuan::security {

// Installs the internal-credential guard from the secret the flags name (the
// error says which file and how to create it) and copies the TLS flags into
// `options`.
absl::Status SecureBackend(const std::string& service, GrpcServerOptions& options);

}  // namespace yusuan::security

#endif  // YUSUAN_SERVICES_SECURITY_BACKEND_SECURITY_H_
