#include "services/common/tls.h"

#include <stdlib.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace yusuan {
namespace {

// gtest only (the common tests do not link gmock).
::testing::AssertionResult Has(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << part << "\" not in: " << text;
}

ServerTlsFlags Server(const std::string& cert, const std::string& key, const std::string& ca = "") {
  return ServerTlsFlags{{"--tls_cert_file", cert}, {"--tls_key_file", key}, {"--tls_client_ca_file", ca}};
}

ChannelTlsFlags Channel(const std::string& ca, const std::string& cert = "", const std::string& key = "") {
  return ChannelTlsFlags{{"--tls_ca_file", ca}, {"--tls_cert_file", cert}, {"--tls_key_file", key}};
}

TEST(TlsFlags, CertificateAndKeyGoTogether) {
  EXPECT_TRUE(CheckServerTlsFlags(Server("", "")).ok());
  EXPECT_TRUE(CheckServerTlsFlags(Server("c.pem", "k.pem")).ok());
  EXPECT_TRUE(CheckServerTlsFlags(Server("c.pem", "k.pem", "ca.pem")).ok());

  absl::Status only_cert = CheckServerTlsFlags(Server("c.pem", ""));
  EXPECT_EQ(only_cert.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Has(std::string(only_cert.message()), "--tls_key_file is missing"));
  absl::Status only_key = CheckServerTlsFlags(Server("", "k.pem"));
  EXPECT_TRUE(Has(std::string(only_key.message()), "--tls_cert_file is missing"));
  absl::Status only_ca = CheckServerTlsFlags(Server("", "", "ca.pem"));
  EXPECT_EQ(only_ca.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Has(std::string(only_ca.message()), "--tls_client_ca_file needs"));
}

TEST(TlsFlags, ChannelCaAloneIsEnoughButAClientPairIsAPair) {
  EXPECT_TRUE(CheckChannelTlsFlags(Channel("")).ok());
  EXPECT_TRUE(CheckChannelTlsFlags(Channel("ca.pem")).ok());
  EXPECT_TRUE(CheckChannelTlsFlags(Channel("ca.pem", "c.pem", "k.pem")).ok());
  EXPECT_TRUE(
      Has(std::string(CheckChannelTlsFlags(Channel("ca.pem", "c.pem")).message()), "--tls_key_file is missing"));
  EXPECT_TRUE(Has(std::string(CheckChannelTlsFlags(Channel("", "", "k.pem")).message()), "--tls_cert_file is missing"));
  EXPECT_FALSE(Channel("").enabled());
  EXPECT_TRUE(Channel("ca.pem").enabled());
}

TEST(TlsFlags, NoFlagsMeansInsecureCredentials) {
  auto server = ServerCredentialsFromFlags(Server("", ""));
  ASSERT_TRUE(server.ok());
  EXPECT_NE(*server, nullptr);
  auto channel = ChannelCredentialsFromFlags(Channel(""));
  ASSERT_TRUE(channel.ok());
  EXPECT_NE(*channel, nullptr);
}

// Certificates made once with the openssl command (Debian's openssl
// package) in a temporary directory.
class TlsFilesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string pattern = (std::filesystem::temp_directory_path() / "yusuan-tls-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) return;
    dir_ = new std::string(pattern);
    const std::string d = *dir_;
    const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    const std::string script =
        "cd '" + d + "' && " + "openssl req -x509" + ec + " -keyout ca.key -out ca.pem -days 2 -subj /CN=test-ca && " +
        "openssl req -new" + ec + " -keyout leaf.key -out leaf.csr -subj /CN=localhost && " +
        "openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
        "-out leaf.pem && " +
        "openssl genpkey -algorithm ec -pkeyopt ec_paramgen_curve:prime256v1 -out other.key && " +
        "openssl pkey -in leaf.key -aes256 -passout pass:secret -out encrypted.key && " +
        "echo 'not a certificate' > garbage.pem";
    made_ = std::system(("(" + script + ") >/dev/null 2>&1").c_str()) == 0;
  }
  static void TearDownTestSuite() {
    if (dir_ != nullptr) {
      std::error_code ec;
      std::filesystem::remove_all(*dir_, ec);
      delete dir_;
      dir_ = nullptr;
    }
  }
  void SetUp() override {
    if (!made_) GTEST_SKIP() << "the openssl command could not make test certificates";
  }
  static std::string File(const std::string& name) { return *dir_ + "/" + name; }

  static std::string* dir_;
  static bool made_;
};

std::string* TlsFilesTest::dir_ = nullptr;
bool TlsFilesTest::made_ = false;

TEST_F(TlsFilesTest, GoodFilesLoad) {
  absl::StatusOr<TlsPem> pem = LoadServerTls(Server(File("leaf.pem"), File("leaf.key"), File("ca.pem")));
  ASSERT_TRUE(pem.ok()) << pem.status();
  EXPECT_TRUE(Has(pem->cert_chain, "BEGIN CERTIFICATE"));
  EXPECT_TRUE(Has(pem->private_key, "PRIVATE KEY"));
  EXPECT_TRUE(Has(pem->ca, "BEGIN CERTIFICATE"));
  EXPECT_NE(ServerCredentialsFromPem(*pem), nullptr);

  absl::StatusOr<TlsPem> channel = LoadChannelTls(Channel(File("ca.pem")));
  ASSERT_TRUE(channel.ok()) << channel.status();
  EXPECT_TRUE(channel->private_key.empty());
  EXPECT_NE(ChannelCredentialsFromPem(*channel), nullptr);
}

TEST_F(TlsFilesTest, MissingFileIsNamedWithItsFlag) {
  const std::string missing = File("nowhere.pem");
  absl::Status status = LoadServerTls(Server(missing, File("leaf.key"))).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Has(std::string(status.message()), missing));
  EXPECT_TRUE(Has(std::string(status.message()), "--tls_cert_file"));
  EXPECT_TRUE(Has(std::string(status.message()), "No such file"));

  status = LoadChannelTls(Channel(missing)).status();
  EXPECT_TRUE(Has(std::string(status.message()), "--tls_ca_file"));
}

TEST_F(TlsFilesTest, NotPemIsRefusedNamingTheFile) {
  absl::Status status = LoadServerTls(Server(File("garbage.pem"), File("leaf.key"))).status();
  EXPECT_TRUE(Has(std::string(status.message()), "holds no PEM certificate"));
  EXPECT_TRUE(Has(std::string(status.message()), File("garbage.pem")));

  status = LoadServerTls(Server(File("leaf.pem"), File("garbage.pem"))).status();
  EXPECT_TRUE(Has(std::string(status.message()), "holds no PEM private key"));
  EXPECT_TRUE(Has(std::string(status.message()), "--tls_key_file"));

  status = LoadServerTls(Server(File("leaf.pem"), File("leaf.key"), File("garbage.pem"))).status();
  EXPECT_TRUE(Has(std::string(status.message()), "--tls_client_ca_file"));
  EXPECT_TRUE(Has(std::string(status.message()), "holds no PEM certificate"));

  // A key where the certificate belongs.
  status = LoadServerTls(Server(File("leaf.key"), File("leaf.key"))).status();
  EXPECT_TRUE(Has(std::string(status.message()), "holds no PEM certificate"));
}

TEST_F(TlsFilesTest, KeyOfAnotherCertificateIsRefused) {
  absl::Status status = LoadServerTls(Server(File("leaf.pem"), File("other.key"))).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Has(std::string(status.message()), "does not belong to the certificate"));
  EXPECT_TRUE(Has(std::string(status.message()), File("other.key")));
}

TEST_F(TlsFilesTest, EncryptedKeyIsRefusedWithoutPrompting) {
  absl::Status status = LoadServerTls(Server(File("leaf.pem"), File("encrypted.key"))).status();
  EXPECT_TRUE(Has(std::string(status.message()), "is encrypted"));
  EXPECT_TRUE(Has(std::string(status.message()), "openssl pkey"));
}

}  // namespace
}  // namespace yusuan
