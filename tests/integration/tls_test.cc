// TLS end to end on the four real binaries: the gateway's public ports over
// TLS (gRPC) and HTTPS, mutual TLS between the gateway and its backends, the
// probe and the CLI with a CA file, and start-up refusals for half a pair or
// a bad file. A throwaway CA and certificates are made at test time with the
// openssl command (Debian's openssl package).
#include <httplib.h>

#include <sys/stat.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "google/protobuf/util/json_util.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "gtest/gtest.h"
#include "services/security/internal_secret.h"
#include "services/security/signing_key.h"
#include "services/security/token.h"
#include "tests/integration/harness.h"
#include "yusuan/gateway/v1/gateway.grpc.pb.h"
#include "yusuan/ledger/v1/ledger_service.grpc.pb.h"

namespace yusuan::testing {
namespace {

using yusuan::gateway::v1::PublicApi;
using yusuan::security::Role;

constexpr char kBudget[] = "regions/420107/departments/005001022/budgets/2021";

// A CA; a server certificate for localhost and 127.0.0.1 that every service
// presents; the gateway's client certificate; and, for refusals, a client
// certificate from another CA. EC P-256 keys: quick to make.
struct Pki {
  std::string dir;
  std::string File(const std::string& name) const { return dir + "/" + name; }
  std::string ca() const { return File("ca.pem"); }
  std::string server_cert() const { return File("server.pem"); }
  std::string server_key() const { return File("server.key"); }
  std::string client_cert() const { return File("client.pem"); }
  std::string client_key() const { return File("client.key"); }
  std::string rogue_cert() const { return File("rogue-client.pem"); }
  std::string rogue_key() const { return File("rogue-client.key"); }
};

bool MakePki(const std::string& dir, Pki* pki, std::string* error) {
  mkdir(dir.c_str(), 0700);
  pki->dir = dir;
  const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  const std::string script =
      "set -e; cd '" + dir + "'\n" +
      "printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\nextendedKeyUsage=serverAuth\\n' "
      "> server.ext\n"
      "printf 'extendedKeyUsage=clientAuth\\n' > client.ext\n"
      "openssl req -x509" +
      ec + " -keyout ca.key -out ca.pem -days 2 -subj '/CN=Yusuan test CA'\n" + "openssl req -x509" + ec +
      " -keyout rogue-ca.key -out rogue-ca.pem -days 2 "
      "-subj '/CN=Another CA'\n" +
      "openssl req -new" + ec + " -keyout server.key -out server.csr -subj /CN=localhost\n" +
      "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
      "-extfile server.ext -out server.pem\n" +
      "openssl req -new" + ec + " -keyout client.key -out client.csr -subj /CN=yusuan-gateway\n" +
      "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
      "-extfile client.ext -out client.pem\n" +
      "openssl req -new" + ec +
      " -keyout rogue-client.key -out rogue-client.csr "
      "-subj /CN=yusuan-gateway\n" +
      "openssl x509 -req -in rogue-client.csr -CA rogue-ca.pem -CAkey rogue-ca.key "
      "-CAcreateserial -days 2 -extfile client.ext -out rogue-client.pem\n";
  const std::string script_path = dir + "/make-certificates.sh";
  FILE* file = std::fopen(script_path.c_str(), "w");
  if (file == nullptr) {
    *error = "cannot write " + script_path;
    return false;
  }
  std::fputs(script.c_str(), file);
  std::fclose(file);
  std::string output;
  if (RunShell("sh '" + script_path + "'", &output) != 0) {
    *error =
        "openssl could not make the test certificates (is Debian's openssl package "
        "installed? deploy/local/install-deps.sh installs it):\n" +
        output;
    return false;
  }
  return true;
}

std::shared_ptr<grpc::ChannelCredentials> TlsCredentials(const Pki& pki, bool client_cert, bool rogue = false) {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = ReadFile(pki.ca());
  if (client_cert) {
    options.pem_cert_chain = ReadFile(rogue ? pki.rogue_cert() : pki.client_cert());
    options.pem_private_key = ReadFile(rogue ? pki.rogue_key() : pki.client_key());
  }
  return grpc::SslCredentials(options);
}

std::unique_ptr<grpc::ClientContext> Deadline(int seconds = 30) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
  return context;
}

class TlsClusterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    pki_ = new Pki();
    std::string error;
    if (!MakePki(dir_->path() + "/pki", pki_, &error)) {
      start_error_ = error;
      return;
    }
    // Every backend: TLS with the server certificate, and client
    // certificates required (mutual TLS). The gateway: the same certificate
    // on its public ports, its client certificate towards the backends.
    const std::vector<std::string> backend = {"--tls_cert_file=" + pki_->server_cert(),
                                              "--tls_key_file=" + pki_->server_key(),
                                              "--tls_client_ca_file=" + pki_->ca()};
    Cluster::Options options;
    options.ledger_args = options.goals_args = options.report_args = backend;
    options.gateway_args = {"--tls_cert_file=" + pki_->server_cert(), "--tls_key_file=" + pki_->server_key(),
                            "--backend_ca_file=" + pki_->ca(), "--backend_cert_file=" + pki_->client_cert(),
                            "--backend_key_file=" + pki_->client_key(),
                            // The backends are dialled as 127.0.0.1:port; the
                            // certificate also names localhost, checked here.
                            "--backend_tls_server_name=localhost"};
    cluster_ = new Cluster(dir_->path(), options);
    started_ = cluster_->Start(&error);
    start_error_ = error;
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
    delete pki_;
    delete dir_;
  }
  void SetUp() override { ASSERT_TRUE(started_) << start_error_; }

  static std::string Token(Role role) { return TestToken(*cluster_, role, "tls-test"); }
  static std::unique_ptr<grpc::ClientContext> Context(std::optional<Role> role = Role::kIntegrator) {
    auto context = Deadline(60);
    if (role.has_value()) context->AddMetadata("authorization", "Bearer " + Token(*role));
    return context;
  }
  // What the gateway adds to every backend call.
  static std::unique_ptr<grpc::ClientContext> BackendContext() {
    auto context = Deadline(10);
    context->AddMetadata(yusuan::security::kInternalCredentialHeader, cluster_->internal_secret().credential());
    return context;
  }
  static std::unique_ptr<PublicApi::Stub> TlsApi() {
    return PublicApi::NewStub(grpc::CreateChannel(cluster_->gateway_grpc(), TlsCredentials(*pki_, false)));
  }
  // An HTTPS client that trusts the test CA only (and checks the name).
  static std::unique_ptr<httplib::SSLClient> Https(std::optional<Role> role = Role::kIntegrator) {
    auto client = std::make_unique<httplib::SSLClient>("127.0.0.1", cluster_->gateway_http_port());
    client->set_ca_cert_path(pki_->ca().c_str());
    client->enable_server_certificate_verification(true);
    client->set_read_timeout(60, 0);
    if (role.has_value()) client->set_default_headers({{"Authorization", "Bearer " + Token(*role)}});
    return client;
  }
  static std::string Yusuan() { return std::string(YUSUAN_BIN_DIR) + "/yusuan"; }
  static std::string Probe() { return std::string(YUSUAN_BIN_DIR) + "/yusuan-probe"; }

  static TempDir* dir_;
  static Pki* pki_;
  static Cluster* cluster_;
  static bool started_;
  static std::string start_error_;
};

TempDir* TlsClusterTest::dir_ = nullptr;
Pki* TlsClusterTest::pki_ = nullptr;
Cluster* TlsClusterTest::cluster_ = nullptr;
bool TlsClusterTest::started_ = false;
std::string TlsClusterTest::start_error_;

// Apply and render go through all three backends: every one of the
// gateway's channels completes mutual TLS and carries the internal
// credential.
TEST_F(TlsClusterTest, GrpcOverTlsWithATokenReachesEveryBackend) {
  yusuan::gateway::v1::Filing filing;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(ReadFile(SampleFilingPath()), &filing).ok());
  yusuan::gateway::v1::ApplyFilingRequest apply;
  *apply.mutable_filing() = filing;
  apply.set_request_id("tls-test-apply");
  yusuan::gateway::v1::ApplyFilingResponse applied;
  grpc::Status status = TlsApi()->ApplyFiling(Context().get(), apply, &applied);
  ASSERT_TRUE(status.ok()) << status.error_code() << " " << status.error_message();
  EXPECT_EQ(applied.budget().name(), kBudget);

  yusuan::gateway::v1::RenderReportRequest render;
  render.set_name(kBudget);
  render.set_format(yusuan::report::v1::FORMAT_HTML);
  yusuan::report::v1::Artifact html;
  status = TlsApi()->RenderReport(Context().get(), render, &html);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_NE(html.content().find("415.51"), std::string::npos);

  // Health over TLS too (what a load balancer's probe asks).
  auto health =
      grpc::health::v1::Health::NewStub(grpc::CreateChannel(cluster_->gateway_grpc(), TlsCredentials(*pki_, false)));
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  ASSERT_TRUE(health->Check(Deadline().get(), request, &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_F(TlsClusterTest, PlaintextClientsAreRefusedByTheTlsPorts) {
  auto plain = PublicApi::NewStub(grpc::CreateChannel(cluster_->gateway_grpc(), grpc::InsecureChannelCredentials()));
  yusuan::common::v1::RuleSet rules;
  grpc::Status status = plain->ListRules(Context().get(), yusuan::common::v1::ListRulesRequest(), &rules);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();

  // Plain HTTP to the HTTPS port gets no HTTP answer.
  httplib::Client http("127.0.0.1", cluster_->gateway_http_port());
  http.set_read_timeout(5, 0);
  auto answer = http.Get("/healthz");
  EXPECT_FALSE(answer && answer->status == 200);
}

TEST_F(TlsClusterTest, HttpsServesHealthAndAuthenticatedCalls) {
  auto client = Https(std::nullopt);
  auto health = client->Get("/healthz");
  ASSERT_TRUE(health) << httplib::to_string(health.error()) << " (verify result " << client->get_openssl_verify_result()
                      << ")";
  EXPECT_EQ(health->status, 200);
  EXPECT_NE(health->body.find("SERVING"), std::string::npos) << health->body;

  // Anonymous: refused by the token check, over HTTPS as over HTTP.
  auto anonymous = client->Get("/v1/regions/420107/departments");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401) << anonymous->body;

  auto authenticated = Https(Role::kIntegrator);
  auto listed = authenticated->Get("/v1/regions/420107/departments");
  ASSERT_TRUE(listed) << httplib::to_string(listed.error());
  EXPECT_EQ(listed->status, 200) << listed->body;
  auto rules = authenticated->Get("/v1/rules");
  ASSERT_TRUE(rules);
  EXPECT_EQ(rules->status, 200);
  EXPECT_NE(rules->body.find("V-NAME"), std::string::npos);

  // A client that trusts another CA does not accept the gateway.
  httplib::SSLClient distrustful("127.0.0.1", cluster_->gateway_http_port());
  distrustful.set_ca_cert_path(pki_->File("rogue-ca.pem").c_str());
  distrustful.enable_server_certificate_verification(true);
  auto refused = distrustful.Get("/healthz");
  EXPECT_FALSE(refused);
}

TEST_F(TlsClusterTest, BackendRefusesCallersWithoutAClientCertificate) {
  yusuan::common::v1::RuleSet rules;
  // TLS, the right CA, the internal credential: still no client certificate.
  auto no_cert = yusuan::ledger::v1::LedgerService::NewStub(
      grpc::CreateChannel(cluster_->ledger().address(), TlsCredentials(*pki_, false)));
  grpc::Status status = no_cert->ListRules(BackendContext().get(), yusuan::common::v1::ListRulesRequest(), &rules);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();

  // A client certificate from another CA.
  auto rogue = yusuan::ledger::v1::LedgerService::NewStub(
      grpc::CreateChannel(cluster_->ledger().address(), TlsCredentials(*pki_, true, true)));
  status = rogue->ListRules(BackendContext().get(), yusuan::common::v1::ListRulesRequest(), &rules);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();

  // Plaintext.
  auto plain = yusuan::ledger::v1::LedgerService::NewStub(
      grpc::CreateChannel(cluster_->ledger().address(), grpc::InsecureChannelCredentials()));
  status = plain->ListRules(BackendContext().get(), yusuan::common::v1::ListRulesRequest(), &rules);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
}

TEST_F(TlsClusterTest, BackendAnswersTheGatewaysClientCertificate) {
  for (ServiceProcess* backend : {&cluster_->ledger(), &cluster_->goals(), &cluster_->report()}) {
    auto channel = grpc::CreateChannel(backend->address(), TlsCredentials(*pki_, true));
    auto health = grpc::health::v1::Health::NewStub(channel);
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    grpc::Status status = health->Check(Deadline().get(), request, &response);
    ASSERT_TRUE(status.ok()) << backend->address() << " " << status.error_message();
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);

    auto reflection = grpc::reflection::v1alpha::ServerReflection::NewStub(channel);
    auto context = Deadline();
    auto stream = reflection->ServerReflectionInfo(context.get());
    grpc::reflection::v1alpha::ServerReflectionRequest list;
    list.set_list_services("");
    // The backend may end the stream (UNIMPLEMENTED) before this write goes
    // out, and then the write fails: Finish says what happened either way.
    if (stream->Write(list)) stream->WritesDone();
    grpc::reflection::v1alpha::ServerReflectionResponse listed;
    int services = 0;
    while (stream->Read(&listed)) services += listed.list_services_response().service_size();
    // Not even to the gateway's certificate: a backend serves no reflection.
    EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::UNIMPLEMENTED) << backend->address();
    EXPECT_EQ(services, 0) << backend->address();
  }

  auto ledger = yusuan::ledger::v1::LedgerService::NewStub(
      grpc::CreateChannel(cluster_->ledger().address(), TlsCredentials(*pki_, true)));
  yusuan::common::v1::RuleSet rules;
  grpc::Status status = ledger->ListRules(BackendContext().get(), yusuan::common::v1::ListRulesRequest(), &rules);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_GT(rules.rules_size(), 0);

  // The certificate gets a caller through TLS, not past the internal
  // credential: both are required.
  status = ledger->ListRules(Deadline().get(), yusuan::common::v1::ListRulesRequest(), &rules);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << status.error_message();
}

TEST_F(TlsClusterTest, ProbeSpeaksTlsAndMutualTls) {
  const std::string ledger = cluster_->ledger().address();
  const std::string mtls = " --tls_ca_file " + pki_->ca() + " --tls_cert_file " + pki_->client_cert() +
                           " --tls_key_file " + pki_->client_key();
  std::string output;
  EXPECT_EQ(RunShell(Probe() + " --address " + ledger + mtls, &output), 0) << output;
  output.clear();
  // The probe reaches the ledger over mutual TLS, which serves no reflection.
  EXPECT_EQ(RunShell(Probe() + " --address " + ledger + mtls + " --list_services", &output), 1) << output;
  EXPECT_NE(output.find("reflection failed"), std::string::npos) << output;
  output.clear();
  EXPECT_EQ(RunShell(Probe() + " --address " + ledger + mtls + " --tls_server_name localhost", &output), 0) << output;

  // Without a client certificate, and in plaintext: not SERVING.
  output.clear();
  EXPECT_EQ(RunShell(Probe() + " --address " + ledger + " --tls_ca_file " + pki_->ca(), &output), 1) << output;
  output.clear();
  EXPECT_EQ(RunShell(Probe() + " --address " + ledger, &output), 1) << output;

  // The gateway needs no client certificate.
  output.clear();
  EXPECT_EQ(RunShell(Probe() + " --address " + cluster_->gateway_grpc() + " --tls_ca_file " + pki_->ca(), &output), 0)
      << output;
  // Half a client pair is refused, naming the missing flag.
  output.clear();
  EXPECT_EQ(RunShell(Probe() + " --address " + ledger + " --tls_ca_file " + pki_->ca() + " --tls_cert_file " +
                         pki_->client_cert(),
                     &output),
            2);
  EXPECT_NE(output.find("--tls_key_file"), std::string::npos) << output;
}

TEST_F(TlsClusterTest, CliTalksTlsWithACaFile) {
  const std::string base =
      Yusuan() + " --gateway " + cluster_->gateway_grpc() + " --token '" + Token(Role::kIntegrator) + "' ";
  std::string output;
  EXPECT_EQ(RunShell(base + "--tls_ca_file " + pki_->ca() + " rules", &output), 0) << output;
  EXPECT_NE(output.find("V-NAME"), std::string::npos) << output;

  output.clear();
  EXPECT_EQ(RunShell("YUSUAN_TLS_CA='" + pki_->ca() + "' " + base + "rules", &output), 0) << output;

  // Without the CA the CLI cannot reach a TLS gateway, and says what to add.
  output.clear();
  EXPECT_EQ(RunShell("env -u YUSUAN_TLS_CA " + base + "rules", &output), 1) << output;
  EXPECT_NE(output.find("--tls_ca_file"), std::string::npos) << output;

  // A CA file that does not exist is named.
  output.clear();
  EXPECT_EQ(RunShell(base + "--tls_ca_file " + pki_->File("missing.pem") + " rules", &output), 2) << output;
  EXPECT_NE(output.find(pki_->File("missing.pem")), std::string::npos) << output;
}

// `yusuan admin backup` reaches stores that require client certificates
// with the backend TLS flags, as the gateway does; without a client
// certificate it is refused and writes nothing.
TEST_F(TlsClusterTest, BackupTalksMutualTlsToTheStores) {
  const std::string backup = dir_->path() + "/backup-over-tls";
  const std::string stores = " --ledger " + cluster_->ledger().address() + " --goals " + cluster_->goals().address() +
                             " --report " + cluster_->report().address() + " --internal-secret-file " +
                             cluster_->internal_secret_path();
  std::string output;
  EXPECT_NE(RunShell(Yusuan() + " admin backup --to " + backup + stores + " --backend-ca-file " + pki_->ca(), &output),
            0)
      << output;
  EXPECT_NE(output.find("nothing was written"), std::string::npos) << output;
  EXPECT_FALSE(std::filesystem::exists(backup));

  output.clear();
  EXPECT_EQ(RunShell(Yusuan() + " admin backup --to " + backup + stores + " --backend-ca-file " + pki_->ca() +
                         " --backend-cert-file " + pki_->client_cert() + " --backend-key-file " + pki_->client_key(),
                     &output),
            0)
      << output;
  EXPECT_TRUE(std::filesystem::exists(backup + "/manifest.json")) << output;
  EXPECT_TRUE(std::filesystem::exists(backup + "/ledger/CURRENT")) << output;
}

// Start-up refusals: no cluster, one process at a time.
class TlsStartupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(security::LoadOrCreateSigningKey(key_path()).ok());
    ASSERT_TRUE(security::LoadOrCreateInternalSecret(secret_path()).ok());
  }
  std::string key_path() const { return dir_.path() + "/keys/token-signing.key"; }
  std::string secret_path() const { return dir_.path() + "/secrets/internal.secret"; }
  // Starts `binary` with `args`; false with the log in *error when it exits.
  bool Starts(const std::string& name, const std::string& binary, std::vector<std::string> args,
              const std::vector<std::string>& port_flags, std::string* error) {
    // Each binary is given what it reads: the gateway both, a backend the
    // internal secret only (it has no signing-key flag).
    if (binary == "yusuan-gateway") args.push_back("--signing_key_file=" + key_path());
    args.push_back("--internal_secret_file=" + secret_path());
    ServiceProcess process(name, binary, std::move(args), dir_.path());
    return process.Start(port_flags, error);
  }
  std::string Garbage() {
    const std::string path = dir_.path() + "/garbage.pem";
    FILE* file = std::fopen(path.c_str(), "w");
    if (file != nullptr) {
      std::fputs("not a certificate\n", file);
      std::fclose(file);
    }
    return path;
  }
  TempDir dir_;
};

TEST_F(TlsStartupTest, GatewayRefusesHalfAPairNamingTheMissingFlag) {
  std::string error;
  EXPECT_FALSE(Starts("gateway-cert-only", "yusuan-gateway",
                      {"--grpc_port=0", "--http_port=0", "--tls_cert_file=" + Garbage()},
                      {"port_file", "http_port_file"}, &error));
  EXPECT_NE(error.find("--tls_key_file is missing"), std::string::npos) << error;

  error.clear();
  EXPECT_FALSE(Starts("gateway-backend-key-only", "yusuan-gateway",
                      {"--grpc_port=0", "--http_port=0", "--backend_key_file=" + Garbage()},
                      {"port_file", "http_port_file"}, &error));
  EXPECT_NE(error.find("--backend_cert_file is missing"), std::string::npos) << error;
}

TEST_F(TlsStartupTest, BadFilesAreRefusedNamingTheFile) {
  const std::string garbage = Garbage();
  std::string error;
  EXPECT_FALSE(Starts("gateway-garbage", "yusuan-gateway",
                      {"--grpc_port=0", "--http_port=0", "--tls_cert_file=" + garbage, "--tls_key_file=" + garbage},
                      {"port_file", "http_port_file"}, &error));
  EXPECT_NE(error.find(garbage), std::string::npos) << error;
  EXPECT_NE(error.find("holds no PEM certificate"), std::string::npos) << error;

  const std::string missing = dir_.path() + "/no-such-ca.pem";
  error.clear();
  EXPECT_FALSE(Starts("gateway-missing-ca", "yusuan-gateway",
                      {"--grpc_port=0", "--http_port=0", "--backend_ca_file=" + missing},
                      {"port_file", "http_port_file"}, &error));
  EXPECT_NE(error.find(missing), std::string::npos) << error;

  error.clear();
  EXPECT_FALSE(Starts(
      "ledger-garbage", "yusuan-ledger",
      {"--port=0", "--data_dir=" + dir_.path() + "/ledger", "--tls_cert_file=" + garbage, "--tls_key_file=" + garbage},
      {"port_file"}, &error));
  EXPECT_NE(error.find(garbage), std::string::npos) << error;

  error.clear();
  EXPECT_FALSE(Starts("goals-ca-only", "yusuan-goals",
                      {"--port=0", "--data_dir=" + dir_.path() + "/goals", "--tls_client_ca_file=" + garbage},
                      {"port_file"}, &error));
  EXPECT_NE(error.find("--tls_client_ca_file needs --tls_cert_file"), std::string::npos) << error;
}

}  // namespace
}  // namespace yusuan::testing
