// The HTTP listener of RestServer: plain, or HTTPS with httplib::SSLServer.
// Debian's cpp-httplib is compiled with CPPHTTPLIB_OPENSSL_SUPPORT and its
// pkg-config file (PkgConfig::HTTPLIB) puts that define on every target
// that links it, so SSLServer exists here and httplib.h means the same in
// every translation unit of the gateway (no ODR split between files).
#include <httplib.h>
#include <openssl/err.h>

#include <csignal>
#include <memory>

#include "absl/strings/str_cat.h"
#include "services/gateway/http/rest.h"

#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
#error "cpp-httplib must be built with OpenSSL (Debian's libcpp-httplib-dev is)"
#endif

namespace yusuan::gateway {

std::unique_ptr<httplib::Server> RestServer::MakeHttpServer(const std::optional<RestTlsFiles>& tls,
                                                            absl::Status* error) {
  if (!tls.has_value()) return std::make_unique<httplib::Server>();
  // OpenSSL writes with write(2), not send(MSG_NOSIGNAL) as httplib's plain
  // sockets do: a client that hangs up mid-response would raise SIGPIPE and
  // kill the gateway. Nothing in the gateway wants that signal.
  std::signal(SIGPIPE, SIG_IGN);
  // httplib loads the chain and key itself (intermediates included); the
  // gateway has already checked both files with OpenSSL (tls_config.h), so
  // a failure here is a file changed in between or an unusual key type.
  auto server = std::make_unique<httplib::SSLServer>(tls->cert_file.c_str(), tls->key_file.c_str());
  if (!server->is_valid()) {
    ERR_clear_error();
    *error = absl::InvalidArgumentError(absl::StrCat(
        "HTTPS 无法使用证书 ", tls->cert_file, "（--tls_cert_file）和私钥 ", tls->key_file,
        "（--tls_key_file）/ HTTPS cannot use the certificate ", tls->cert_file, " (--tls_cert_file) with the key ",
        tls->key_file, " (--tls_key_file): check that both are PEM and belong together"));
  }
  return server;
}

}  // namespace yusuan::gateway
