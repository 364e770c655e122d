#include "services/gateway/tls_config.h"

#include <utility>

namespace yusuan::gateway {

ServerTlsFlags PublicTlsFlags(const GatewayTlsFlagValues& values) {
  // The public ports verify callers by bearer token, not by certificate:
  // no client CA here.
  return ServerTlsFlags{
      {"--tls_cert_file", values.tls_cert_file}, {"--tls_key_file", values.tls_key_file}, {"--tls_client_ca_file", ""}};
}

ChannelTlsFlags BackendTlsFlags(const GatewayTlsFlagValues& values) {
  return ChannelTlsFlags{{"--backend_ca_file", values.backend_ca_file},
                         {"--backend_cert_file", values.backend_cert_file},
                         {"--backend_key_file", values.backend_key_file}};
}

absl::Status CheckGatewayTlsFlags(const GatewayTlsFlagValues& values) {
  if (absl::Status check = CheckServerTlsFlags(PublicTlsFlags(values)); !check.ok()) {
    return check;
  }
  const ChannelTlsFlags backend = BackendTlsFlags(values);
  if (absl::Status check = CheckChannelTlsFlags(backend); !check.ok()) return check;
  if (!values.backend_tls_server_name.empty() && !backend.enabled()) {
    return absl::InvalidArgumentError(
        "给出了 --backend_tls_server_name，但与后端之间未启用 TLS / --backend_tls_server_name is "
        "set but the backend channels are plaintext: add --backend_ca_file (and "
        "--backend_cert_file, --backend_key_file for mutual TLS) or drop it");
  }
  return absl::OkStatus();
}

absl::StatusOr<GatewayTls> LoadGatewayTls(const GatewayTlsFlagValues& values) {
  if (absl::Status check = CheckGatewayTlsFlags(values); !check.ok()) return check;
  GatewayTls tls;
  const ServerTlsFlags public_flags = PublicTlsFlags(values);
  if (public_flags.enabled()) {
    // Read now only to check: the gRPC server (RunGrpcServer) and the
    // HTTPS listener each load the same files themselves.
    absl::StatusOr<TlsPem> pem = LoadServerTls(public_flags);
    if (!pem.ok()) return pem.status();
    tls.public_files = RestTlsFiles{values.tls_cert_file, values.tls_key_file};
  }
  const ChannelTlsFlags backend_flags = BackendTlsFlags(values);
  if (backend_flags.enabled()) {
    absl::StatusOr<TlsPem> pem = LoadChannelTls(backend_flags);
    if (!pem.ok()) return pem.status();
    tls.backend_credentials = ChannelCredentialsFromPem(*pem);
    tls.backend_tls_server_name = values.backend_tls_server_name;
  }
  return tls;
}

}  // namespace yusuan::gateway
