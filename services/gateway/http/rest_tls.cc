// The HTTPS listener of RestServer: HttpFront with OpenSSL (Boost.Asio's
// ssl::context), loading the chain (intermediates included) and the key.
#include "absl/strings/str_cat.h"
#include "services/gateway/http/rest.h"

namespace yusuan::gateway {

absl::Status RestServer::UseTls(const RestTlsFiles& tls) {
  // The gateway has already checked both files with OpenSSL (tls_config.h),
  // so a failure here is a file changed in between or an unusual key type.
  const absl::Status loaded = front_->UseTls(tls.cert_file, tls.key_file);
  if (loaded.ok()) return loaded;
  return absl::InvalidArgumentError(absl::StrCat(
      "HTTPS 无法使用证书 ", tls.cert_file, "（--tls_cert_file）和私钥 ", tls.key_file,
      "（--tls_key_file）/ HTTPS cannot use the certificate ", tls.cert_file, " (--tls_cert_file) with the key ",
      tls.key_file, " (--tls_key_file): check that both are PEM and belong together (", loaded.message(), ")"));
}

}  // namespace yusuan::gateway
