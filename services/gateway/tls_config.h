// The gateway's TLS flags: its public ports (gRPC and HTTPS share one
// certificate) and its channels to the backends (trust, client certificate
// for mutual TLS, and the name the backends' certificates carry). Checked
// and loaded before anything listens, so a bad combination or file refuses
// start-up naming the flag or file.
#ifndef YUSUAN_SERVICES_GATEWAY_TLS_CONFIG_H_
#define YUSUAN_SERVICES_GATEWAY_TLS_CONFIG_H_

#include <memory>
#include <optional>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/common/tls.h"
#include "services/gateway/http/rest.h"

namespace yusuan::gateway {

// The flag values as given ("" = not given).
struct GatewayTlsFlagValues {
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string backend_ca_file;
  std::string backend_cert_file;
  std::string backend_key_file;
  std::string backend_tls_server_name;
};

// The flags with their names, for services/common/tls.h.
ServerTlsFlags PublicTlsFlags(const GatewayTlsFlagValues& values);
ChannelTlsFlags BackendTlsFlags(const GatewayTlsFlagValues& values);

// Pure check of the combination: --tls_cert_file and --tls_key_file
// together or neither, --backend_cert_file and --backend_key_file likewise,
// and --backend_tls_server_name only when the backend channels use TLS (it
// would be ignored otherwise). INVALID_ARGUMENT naming the flag.
absl::Status CheckGatewayTlsFlags(const GatewayTlsFlagValues& values);

struct GatewayTls {
  // The HTTPS listener's files; nullopt: plain HTTP (and plaintext gRPC).
  std::optional<RestTlsFiles> public_files;
  // For Orchestrator::Options: nullptr means insecure channels.
  std::shared_ptr<grpc::ChannelCredentials> backend_credentials;
  std::string backend_tls_server_name;
};

// Checks the combination, then reads and checks every file given.
absl::StatusOr<GatewayTls> LoadGatewayTls(const GatewayTlsFlagValues& values);

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_TLS_CONFIG_H_
