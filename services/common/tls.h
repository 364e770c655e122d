// TLS for the gRPC servers and channels of every binary: which flag
// combinations make sense, and the PEM files they name, read and checked
// with OpenSSL before anything listens. Checking up front is the point: gRPC
// reports a bad server certificate as a port it cannot bind, and a bad
// client file only as a failed handshake much later, neither naming a file.
#ifndef YUSUAN_SERVICES_COMMON_TLS_H_
#define YUSUAN_SERVICES_COMMON_TLS_H_

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace yusuan {

// One file-valued flag: how to name it in a message ("--tls_cert_file", or
// "--tls_ca_file / $YUSUAN_TLS_CA") and its value ("" = not given).
struct TlsFlag {
  std::string name;
  std::string value;
  bool given() const { return !value.empty(); }
};

// The flags of a TLS listener: certificate chain and private key (together
// or neither), and optionally the CA that client certificates must chain to
// (then a client without one is refused during the handshake).
struct ServerTlsFlags {
  TlsFlag cert;
  TlsFlag key;
  TlsFlag client_ca;
  bool enabled() const { return cert.given() || key.given() || client_ca.given(); }
};

// The flags of a TLS channel: the CA the server's certificate must chain to
// (none: the system's roots) and optionally a client certificate and its key
// (together or neither) for servers that require one.
struct ChannelTlsFlags {
  TlsFlag ca;
  TlsFlag cert;
  TlsFlag key;
  bool enabled() const { return ca.given() || cert.given() || key.given(); }
};

// Pure checks of the combination, no file access. INVALID_ARGUMENT naming
// the missing flag: a certificate without its key (or the reverse), or a
// client CA on a server without a certificate of its own.
absl::Status CheckServerTlsFlags(const ServerTlsFlags& flags);
absl::Status CheckChannelTlsFlags(const ChannelTlsFlags& flags);

// PEM text, read and checked ("" where the flag was not given).
struct TlsPem {
  std::string cert_chain;   // leaf first, then intermediates
  std::string private_key;  // of the leaf; unencrypted
  std::string ca;           // trust roots, one or more certificates
};

// Reads the files the flags name and checks each with OpenSSL: the
// certificate file holds at least one certificate, valid now; the key file an
// unencrypted private key that belongs to the first certificate; the CA
// file at least one certificate. Errors (INVALID_ARGUMENT, bilingual) name
// the flag and the file and say how to fix it. The flag combination is
// checked first.
absl::StatusOr<TlsPem> LoadServerTls(const ServerTlsFlags& flags);
absl::StatusOr<TlsPem> LoadChannelTls(const ChannelTlsFlags& flags);

// gRPC credentials from checked PEM. The server requires and verifies client
// certificates exactly when `pem.ca` is set.
std::shared_ptr<grpc::ServerCredentials> ServerCredentialsFromPem(const TlsPem& pem);
std::shared_ptr<grpc::ChannelCredentials> ChannelCredentialsFromPem(const TlsPem& pem);

// The credentials the flags ask for: insecure ones when no flag is given
// (loopback and one shard's private network stay plain by default),
// otherwise TLS from the checked files.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFromFlags(const ServerTlsFlags& flags);
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFromFlags(const ChannelTlsFlags& flags);

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_TLS_H_
