#include "services/common/tls.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace yusuan {
namespace {

constexpr char kHowTo[] =
    "开发用证书的做法见 services/gateway/README.md / see services/gateway/README.md for making "
    "a development certificate with openssl";

// RAII for the OpenSSL objects used here.
struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

BioPtr MemoryBio(const std::string& text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// An encrypted key would otherwise make OpenSSL prompt on the terminal of a
// service started in the background; refuse instead (no password).
int NoPassword(char*, int, int, void*) { return -1; }

absl::Status MissingPartner(const TlsFlag& given, const TlsFlag& missing, const char* what) {
  return absl::InvalidArgumentError(absl::StrCat("给出了 ", given.name, " 却缺少 ", missing.name, " / ", given.name,
                                                 " is set but ", missing.name, " is missing: give both ", what,
                                                 " or neither"));
}

absl::StatusOr<std::string> ReadWhole(const TlsFlag& flag) {
  errno = 0;
  std::ifstream in(flag.value, std::ios::binary);
  if (!in) {
    const std::string why = errno != 0 ? std::strerror(errno) : "cannot open";
    return absl::InvalidArgumentError(absl::StrCat("无法读取 ", flag.name, " 指定的文件 ", flag.value, "（", why,
                                                   "）/ cannot read ", flag.value, " given by ", flag.name, " (", why,
                                                   "): check the path and that this user may read it"));
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    return absl::InvalidArgumentError(
        absl::StrCat("读取 ", flag.value, " 出错 / error reading ", flag.value, " given by ", flag.name));
  }
  return text;
}

// Every certificate in a PEM text, in order.
std::vector<X509Ptr> Certificates(const std::string& pem) {
  std::vector<X509Ptr> out;
  BioPtr bio = MemoryBio(pem);
  if (bio == nullptr) return out;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, NoPassword, nullptr)) {
    out.emplace_back(cert);
  }
  // The read that ends the loop leaves "no start line" on the error queue;
  // it is not an error here and must not confuse a later OpenSSL caller.
  ERR_clear_error();
  return out;
}

absl::StatusOr<std::vector<X509Ptr>> ReadCertificates(const TlsFlag& flag, std::string* pem, bool check_validity) {
  absl::StatusOr<std::string> text = ReadWhole(flag);
  if (!text.ok()) return text.status();
  std::vector<X509Ptr> certs = Certificates(*text);
  if (certs.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag.value, "（", flag.name, "）中没有 PEM 格式的证书 / ", flag.value, " (", flag.name,
                     ") holds no PEM certificate (a block \"-----BEGIN CERTIFICATE-----\"); ", kHowTo));
  }
  if (check_validity) {
    // A certificate outside its validity period fails every handshake;
    // refusing to start says so where the operator looks first.
    const X509* leaf = certs.front().get();
    if (X509_cmp_current_time(X509_get0_notAfter(leaf)) < 0) {
      return absl::InvalidArgumentError(absl::StrCat(flag.value, "（", flag.name,
                                                     "）中的证书已过期 / the certificate in ", flag.value, " (",
                                                     flag.name, ") has expired: issue a new one"));
    }
    if (X509_cmp_current_time(X509_get0_notBefore(leaf)) > 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(flag.value, "（", flag.name, "）中的证书尚未生效 / the certificate in ", flag.value, " (",
                       flag.name, ") is not valid yet: check its notBefore date and the clock"));
    }
  }
  *pem = *std::move(text);
  return certs;
}

// Reads the key file and checks it against the leaf certificate.
absl::StatusOr<std::string> ReadKey(const TlsFlag& key_flag, const TlsFlag& cert_flag, X509* leaf) {
  absl::StatusOr<std::string> text = ReadWhole(key_flag);
  if (!text.ok()) return text.status();
  BioPtr bio = MemoryBio(*text);
  PkeyPtr key(bio == nullptr ? nullptr : PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassword, nullptr));
  ERR_clear_error();
  if (key == nullptr) {
    if (absl::StrContains(*text, "ENCRYPTED")) {
      return absl::InvalidArgumentError(
          absl::StrCat(key_flag.value, "（", key_flag.name, "）中的私钥已加密，服务无法输入口令 / the private key in ",
                       key_flag.value, " (", key_flag.name,
                       ") is encrypted and a service cannot ask for its password: write an unencrypted copy "
                       "readable only by the service (openssl pkey -in ",
                       key_flag.value, " -out KEY.pem; chmod 600 KEY.pem)"));
    }
    return absl::InvalidArgumentError(
        absl::StrCat(key_flag.value, "（", key_flag.name, "）中没有 PEM 格式的私钥 / ", key_flag.value, " (",
                     key_flag.name, ") holds no PEM private key (\"-----BEGIN PRIVATE KEY-----\"); ", kHowTo));
  }
  if (X509_check_private_key(leaf, key.get()) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError(
        absl::StrCat(key_flag.value, "（", key_flag.name, "）中的私钥与 ", cert_flag.value, "（", cert_flag.name,
                     "）中的证书不匹配 / the private key in ", key_flag.value, " (", key_flag.name,
                     ") does not belong to the certificate in ", cert_flag.value, " (", cert_flag.name,
                     "): give the key the certificate was issued for"));
  }
  return *std::move(text);
}

// Certificate and key (both given or neither, already checked), then CA.
absl::StatusOr<TlsPem> Load(const TlsFlag& cert, const TlsFlag& key, const TlsFlag& ca) {
  TlsPem pem;
  if (cert.given()) {
    absl::StatusOr<std::vector<X509Ptr>> chain = ReadCertificates(cert, &pem.cert_chain, true);
    if (!chain.ok()) return chain.status();
    absl::StatusOr<std::string> private_key = ReadKey(key, cert, chain->front().get());
    if (!private_key.ok()) return private_key.status();
    pem.private_key = *std::move(private_key);
  }
  if (ca.given()) {
    // A CA file may hold old roots next to current ones: only "at least
    // one certificate" is checked, not each one's dates.
    absl::StatusOr<std::vector<X509Ptr>> roots = ReadCertificates(ca, &pem.ca, false);
    if (!roots.ok()) return roots.status();
  }
  return pem;
}

}  // namespace

absl::Status CheckServerTlsFlags(const ServerTlsFlags& flags) {
  if (flags.cert.given() && !flags.key.given()) {
    return MissingPartner(flags.cert, flags.key, "(the certificate and its private key, PEM)");
  }
  if (flags.key.given() && !flags.cert.given()) {
    return MissingPartner(flags.key, flags.cert, "(the certificate and its private key, PEM)");
  }
  if (flags.client_ca.given() && !flags.cert.given()) {
    return absl::InvalidArgumentError(
        absl::StrCat(flags.client_ca.name, " 需要同时给出 ", flags.cert.name, " 和 ", flags.key.name, " / ",
                     flags.client_ca.name, " needs ", flags.cert.name, " and ", flags.key.name,
                     ": client certificates are verified only on a TLS listener, which needs its own "
                     "certificate and key"));
  }
  return absl::OkStatus();
}

absl::Status CheckChannelTlsFlags(const ChannelTlsFlags& flags) {
  if (flags.cert.given() && !flags.key.given()) {
    return MissingPartner(flags.cert, flags.key, "(the client certificate and its private key)");
  }
  if (flags.key.given() && !flags.cert.given()) {
    return MissingPartner(flags.key, flags.cert, "(the client certificate and its private key)");
  }
  return absl::OkStatus();
}

absl::StatusOr<TlsPem> LoadServerTls(const ServerTlsFlags& flags) {
  if (absl::Status check = CheckServerTlsFlags(flags); !check.ok()) return check;
  return Load(flags.cert, flags.key, flags.client_ca);
}

absl::StatusOr<TlsPem> LoadChannelTls(const ChannelTlsFlags& flags) {
  if (absl::Status check = CheckChannelTlsFlags(flags); !check.ok()) return check;
  return Load(flags.cert, flags.key, flags.ca);
}

std::shared_ptr<grpc::ServerCredentials> ServerCredentialsFromPem(const TlsPem& pem) {
  grpc::SslServerCredentialsOptions options(pem.ca.empty()
                                                ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                                                : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_root_certs = pem.ca;
  options.pem_key_cert_pairs.push_back({pem.private_key, pem.cert_chain});
  return grpc::SslServerCredentials(options);
}

std::shared_ptr<grpc::ChannelCredentials> ChannelCredentialsFromPem(const TlsPem& pem) {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = pem.ca;  // "": gRPC's default roots
  options.pem_private_key = pem.private_key;
  options.pem_cert_chain = pem.cert_chain;
  return grpc::SslCredentials(options);
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFromFlags(const ServerTlsFlags& flags) {
  if (!flags.enabled()) return grpc::InsecureServerCredentials();
  absl::StatusOr<TlsPem> pem = LoadServerTls(flags);
  if (!pem.ok()) return pem.status();
  return ServerCredentialsFromPem(*pem);
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFromFlags(const ChannelTlsFlags& flags) {
  if (!flags.enabled()) return grpc::InsecureChannelCredentials();
  absl::StatusOr<TlsPem> pem = LoadChannelTls(flags);
  if (!pem.ok()) return pem.status();
  return ChannelCredentialsFromPem(*pem);
}

}  // namespace yusuan
