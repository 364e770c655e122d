#include "services/gateway/tls_config.h"

#include <string>

#include "gtest/gtest.h"
#include "services/gateway/http/rest.h"

namespace yusuan::gateway {
namespace {

::testing::AssertionResult Has(const absl::Status& status, const std::string& part) {
  const std::string text(status.message());
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << part << "\" not in: " << text;
}

TEST(GatewayTlsFlags, NoneIsPlaintextEverywhere) {
  EXPECT_TRUE(CheckGatewayTlsFlags({}).ok());
  absl::StatusOr<GatewayTls> tls = LoadGatewayTls({});
  ASSERT_TRUE(tls.ok()) << tls.status();
  EXPECT_FALSE(tls->public_files.has_value());
  EXPECT_EQ(tls->backend_credentials, nullptr);
  EXPECT_TRUE(tls->backend_tls_server_name.empty());
}

TEST(GatewayTlsFlags, PublicCertificateNeedsItsKeyAndTheReverse) {
  GatewayTlsFlagValues only_cert;
  only_cert.tls_cert_file = "gateway.pem";
  absl::Status status = CheckGatewayTlsFlags(only_cert);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Has(status, "--tls_key_file is missing"));

  GatewayTlsFlagValues only_key;
  only_key.tls_key_file = "gateway.key";
  EXPECT_TRUE(Has(CheckGatewayTlsFlags(only_key), "--tls_cert_file is missing"));
}

TEST(GatewayTlsFlags, BackendClientPairIsAPairAndTheCaStandsAlone) {
  GatewayTlsFlagValues ca_only;
  ca_only.backend_ca_file = "ca.pem";
  EXPECT_TRUE(CheckGatewayTlsFlags(ca_only).ok());

  GatewayTlsFlagValues cert_only = ca_only;
  cert_only.backend_cert_file = "client.pem";
  EXPECT_TRUE(Has(CheckGatewayTlsFlags(cert_only), "--backend_key_file is missing"));

  GatewayTlsFlagValues key_only = ca_only;
  key_only.backend_key_file = "client.key";
  EXPECT_TRUE(Has(CheckGatewayTlsFlags(key_only), "--backend_cert_file is missing"));
}

TEST(GatewayTlsFlags, ServerNameWithoutBackendTlsIsRefused) {
  GatewayTlsFlagValues values;
  values.backend_tls_server_name = "localhost";
  EXPECT_TRUE(Has(CheckGatewayTlsFlags(values), "--backend_tls_server_name"));
  values.backend_ca_file = "ca.pem";
  EXPECT_TRUE(CheckGatewayTlsFlags(values).ok());
}

TEST(GatewayTlsFlags, UnreadableFilesAreNamed) {
  GatewayTlsFlagValues values;
  values.tls_cert_file = "/nonexistent/gateway.pem";
  values.tls_key_file = "/nonexistent/gateway.key";
  absl::Status status = LoadGatewayTls(values).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Has(status, "/nonexistent/gateway.pem"));
  EXPECT_TRUE(Has(status, "--tls_cert_file"));

  GatewayTlsFlagValues backend;
  backend.backend_ca_file = "/nonexistent/ca.pem";
  status = LoadGatewayTls(backend).status();
  EXPECT_TRUE(Has(status, "/nonexistent/ca.pem"));
  EXPECT_TRUE(Has(status, "--backend_ca_file"));
}

// A RestServer whose HTTPS files cannot be loaded says so when binding,
// before it listens; the plain constructor keeps working.
TEST(RestServerTls, UnloadableFilesFailBind) {
  RestServer https(nullptr, nullptr, RestTlsFiles{"/nonexistent/c.pem", "/nonexistent/k.pem"});
  absl::StatusOr<int> port = https.Bind("127.0.0.1", 0);
  ASSERT_FALSE(port.ok());
  EXPECT_TRUE(Has(port.status(), "/nonexistent/c.pem"));
  EXPECT_TRUE(Has(port.status(), "--tls_cert_file"));

  RestServer plain(nullptr);
  absl::StatusOr<int> plain_port = plain.Bind("127.0.0.1", 0);
  ASSERT_TRUE(plain_port.ok()) << plain_port.status();
  EXPECT_GT(*plain_port, 0);
}

}  // namespace
}  // namespace yusuan::gateway
