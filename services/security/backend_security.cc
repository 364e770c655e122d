#include "services/security/backend_security.h"

#include "absl/flags/flag.h"
#include "services/security/internal_guard.h"

ABSL_FLAG(std::string, internal_secret_file, "",
          "The secret shared with the gateway (default $YUSUAN_DATA/secrets/internal.secret): only calls "
          "carrying the credential derived from it are answered. Not the token-signing key, which a "
          "backend never needs");
ABSL_FLAG(std::string, tls_cert_file, "", "TLS certificate chain, PEM (with --tls_key_file)");
ABSL_FLAG(std::string, tls_key_file, "", "TLS private key, PEM (with --tls_cert_file)");
ABSL_FLAG(std::string, tls_client_ca_file, "",
          "CA, PEM: require and verify client certificates (the gateway's) chaining to it");

namespace yusuan::security {

absl::Status SecureBackend(const std::string& service, GrpcServerOptions& options) {
  if (absl::Status guarded = GuardBackend(absl::GetFlag(FLAGS_internal_secret_file), service); !guarded.ok()) {
    return guarded;
  }
  options.tls_cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  options.tls_key_file = absl::GetFlag(FLAGS_tls_key_file);
  options.tls_client_ca_file = absl::GetFlag(FLAGS_tls_client_ca_file);
  return absl::OkStatus();
}

}  // namespace yusuan::security
