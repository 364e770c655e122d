// End-to-end tests on the four real binaries (the ClusterTest suite, whose
// fixture is in cluster_fixture.h), for those who run them: health and
// reflection on every service, /metrics and the access log, the OpenAPI
// document served, short deadlines ended. And, without a cluster
// (ProcessTest), each service stopping gracefully on SIGTERM and refusing to
// start without its secrets or with a key it must not hold.
#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/security/internal_secret.h"
#include "services/security/signing_key.h"
#include "tests/integration/cluster_fixture.h"
#include "tests/integration/harness.h"
#include "yusuan/gateway/v1/gateway.grpc.pb.h"
#include "yusuan/ledger/v1/ledger_service.grpc.pb.h"
#include "yusuan/report/v1/report.pb.h"

namespace yusuan::testing {
namespace {

// Health everywhere, for probes; reflection only on the gateway: a backend's
// internal credential cannot guard the built-in reflection service, so a
// backend does not serve it (issue 13).
TEST_F(ClusterTest, EveryServiceAnswersHealthAndOnlyTheGatewayServesReflection) {
  const std::vector<std::pair<std::string, std::string>> services = {
      {cluster_->ledger().address(), "yusuan.ledger.v1.LedgerService"},
      {cluster_->goals().address(), "yusuan.goals.v1.GoalsService"},
      {cluster_->report().address(), "yusuan.report.v1.ReportService"},
      {cluster_->gateway_grpc(), "yusuan.gateway.v1.PublicApi"},
  };
  for (const auto& [address, service_name] : services) {
    auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
    auto health = grpc::health::v1::Health::NewStub(channel);
    for (const std::string& name : {std::string(), service_name}) {
      grpc::health::v1::HealthCheckRequest request;
      request.set_service(name);
      grpc::health::v1::HealthCheckResponse response;
      grpc::Status status = health->Check(Context().get(), request, &response);
      ASSERT_TRUE(status.ok()) << address << " " << status.error_message();
      EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING)
          << address << " service '" << name << "'";
    }

    auto reflection = grpc::reflection::v1alpha::ServerReflection::NewStub(channel);
    auto context = Context();
    auto stream = reflection->ServerReflectionInfo(context.get());
    grpc::reflection::v1alpha::ServerReflectionRequest request;
    request.set_list_services("");
    // A backend may end the stream (UNIMPLEMENTED) before this write goes
    // out, so a failed write is no failure: Finish decides.
    if (stream->Write(request)) stream->WritesDone();
    grpc::reflection::v1alpha::ServerReflectionResponse response;
    std::vector<std::string> listed;
    while (stream->Read(&response)) {
      for (const auto& s : response.list_services_response().service()) listed.push_back(s.name());
    }
    const grpc::Status finished = stream->Finish();
    if (address != cluster_->gateway_grpc()) {
      EXPECT_EQ(finished.error_code(), grpc::StatusCode::UNIMPLEMENTED) << address << " lists " << Joined(listed);
      EXPECT_TRUE(listed.empty()) << address << " lists " << Joined(listed);
      continue;
    }
    ASSERT_TRUE(finished.ok()) << finished.error_message();
    EXPECT_TRUE(Contains(listed, service_name)) << address << " lists " << Joined(listed);
    EXPECT_TRUE(Contains(listed, "grpc.health.v1.Health")) << address << " lists " << Joined(listed);
  }
}

// A signing key and an internal secret under `dir`: their paths, or empty
// ones (with a failure) when they cannot be made.
std::pair<std::string, std::string> MakeSecrets(const TempDir& dir) {
  const std::string key = dir.path() + "/keys/token-signing.key";
  const std::string secret = dir.path() + "/secrets/internal.secret";
  const bool made =
      yusuan::security::LoadOrCreateSigningKey(key).ok() && yusuan::security::LoadOrCreateInternalSecret(secret).ok();
  EXPECT_TRUE(made) << "cannot make the secrets under " << dir.path();
  return made ? std::pair{key, secret} : std::pair<std::string, std::string>{};
}

TEST(ProcessTest, ServicesStopGracefullyOnSigterm) {
  TempDir dir;
  const auto [key, secret] = MakeSecrets(dir);
  ASSERT_FALSE(key.empty());
  for (const char* binary : {"yusuan-ledger", "yusuan-goals", "yusuan-report"}) {
    ServiceProcess process(
        binary, binary,
        {"--port=0", std::string("--data_dir=") + dir.path() + "/" + binary, "--internal_secret_file=" + secret},
        dir.path());
    std::string error;
    ASSERT_TRUE(process.Start({"port_file"}, &error)) << error;
    EXPECT_EQ(process.Stop(), 0) << binary << "\n" << process.LogTail();
  }
  // The gateway needs no backend to start or stop.
  ServiceProcess gateway(
      "gateway", "yusuan-gateway",
      {"--grpc_port=0", "--http_port=0", "--ledger_address=127.0.0.1:1", "--goals_address=127.0.0.1:1",
       "--report_address=127.0.0.1:1", "--signing_key_file=" + key, "--internal_secret_file=" + secret},
      dir.path());
  std::string error;
  ASSERT_TRUE(gateway.Start({"port_file", "http_port_file"}, &error)) << error;
  EXPECT_EQ(gateway.Stop(), 0) << gateway.LogTail();
}

// Without their secret a service does not start, and says which file it
// looked for and how to make it: the backends need the internal secret, the
// gateway the signing key and the internal secret.
TEST(ProcessTest, ServicesWithoutTheirSecretsRefuseToStart) {
  TempDir dir;
  const auto [key, secret] = MakeSecrets(dir);
  ASSERT_FALSE(key.empty());
  const std::string no_key = dir.path() + "/keys/none.key";
  const std::string no_secret = dir.path() + "/secrets/none.secret";
  struct Case {
    std::string binary;
    std::vector<std::string> args;
    std::string missing;
    std::string how;
  };
  const std::vector<Case> cases = {
      {"yusuan-ledger",
       {"--port=0", "--data_dir=" + dir.path() + "/ledger", "--internal_secret_file=" + no_secret},
       no_secret,
       "yusuan admin secret create"},
      {"yusuan-gateway",
       {"--grpc_port=0", "--http_port=0", "--signing_key_file=" + no_key, "--internal_secret_file=" + secret},
       no_key,
       "yusuan admin key create"},
      {"yusuan-gateway",
       {"--grpc_port=0", "--http_port=0", "--signing_key_file=" + key, "--internal_secret_file=" + no_secret},
       no_secret,
       "yusuan admin secret create"},
  };
  for (const Case& c : cases) {
    ServiceProcess process(c.binary, c.binary, c.args, dir.path());
    std::string error;
    EXPECT_FALSE(process.Start({"port_file"}, &error)) << c.binary;
    EXPECT_NE(process.LogTail().find(c.missing), std::string::npos) << c.binary << ": " << process.LogTail();
    EXPECT_NE(process.LogTail().find(c.how), std::string::npos) << process.LogTail();
  }
}

// A backend is never handed the token-signing key: the flag does not exist
// in its binary, so a deployment cannot give it one by mistake.
TEST(ProcessTest, BackendsHaveNoSigningKeyFlag) {
  TempDir dir;
  const auto [key, secret] = MakeSecrets(dir);
  ASSERT_FALSE(key.empty());
  for (const char* binary : {"yusuan-ledger", "yusuan-goals", "yusuan-report"}) {
    ServiceProcess process(binary, binary,
                           {"--port=0", std::string("--data_dir=") + dir.path() + "/" + binary,
                            "--internal_secret_file=" + secret, "--signing_key_file=" + key},
                           dir.path());
    std::string error;
    EXPECT_FALSE(process.Start({"port_file"}, &error)) << binary;
    EXPECT_NE(process.LogTail().find("signing_key_file"), std::string::npos) << binary << ": " << process.LogTail();
  }
}

// The samples of /metrics as a map from series ("name{labels}") to value.
std::map<std::string, double> ScrapeMetrics(httplib::Client& http) {
  std::map<std::string, double> samples;
  auto result = http.Get("/metrics");
  EXPECT_TRUE(result);
  if (!result) return samples;
  EXPECT_EQ(result->status, 200) << result->body;
  EXPECT_EQ(result->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  size_t start = 0;
  while (start < result->body.size()) {
    size_t end = result->body.find('\n', start);
    if (end == std::string::npos) end = result->body.size();
    const std::string line = result->body.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.rfind(' ');
    samples[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return samples;
}

// The JSON lines of the gateway's log whose request_id is `id`.
std::vector<nlohmann::json> AccessLines(const std::string& log, const std::string& id) {
  std::vector<nlohmann::json> lines;
  size_t start = 0;
  while (start < log.size()) {
    size_t end = log.find('\n', start);
    if (end == std::string::npos) end = log.size();
    const std::string line = log.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line[0] != '{') continue;
    auto json = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (json.is_object() && json.value("request_id", "") == id) lines.push_back(json);
  }
  return lines;
}

// /metrics counts every request of both faces by method and code, exactly
// (this test is the only client of its gateway), the error counter counts
// the refusals, and each request leaves one access-log line carrying its
// request id, caller and status — never its token.
TEST_F(ClusterTest, MetricsCountEveryRequestAndTheAccessLogHasItsLine) {
  yusuan::gateway::v1::ApplyFilingResponse applied;
  ASSERT_TRUE(Apply(LoadSample(), &applied).ok());
  auto anonymous = Http(std::nullopt);  // /metrics needs no token
  const std::map<std::string, double> before = ScrapeMetrics(anonymous);

  const std::string grpc_route = "face=\"grpc\",method=\"GetBudget\"";
  const std::string rest_route = "face=\"rest\",method=\"GET /v1/regions/{r}/departments/{a}/budgets/{y}\"";
  const std::string suffix = std::to_string(NowSeconds());
  yusuan::ledger::v1::GetBudgetRequest get;
  get.set_name(kBudget);
  yusuan::ledger::v1::Budget budget;
  for (int i = 0; i < 2; ++i) {
    auto context = Context();
    context->AddMetadata("x-request-id", "metrics-grpc-" + std::to_string(i) + "-" + suffix);
    grpc::Status status = Api()->GetBudget(context.get(), get, &budget);
    ASSERT_TRUE(status.ok()) << status.error_message();
    const auto& echoed = context->GetServerInitialMetadata();
    ASSERT_EQ(echoed.count("x-request-id"), 1u);
    EXPECT_EQ(std::string(echoed.find("x-request-id")->second.data(), echoed.find("x-request-id")->second.size()),
              "metrics-grpc-" + std::to_string(i) + "-" + suffix);
  }
  {
    auto context = Context(std::nullopt);  // refused: GetBudget needs a token
    context->AddMetadata("x-request-id", "metrics-grpc-refused-" + suffix);
    EXPECT_EQ(Api()->GetBudget(context.get(), get, &budget).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }
  const std::string token = Token(Role::kIntegrator);
  httplib::Client http("127.0.0.1", cluster_->gateway_http_port());
  http.set_read_timeout(60, 0);
  auto read = http.Get("/v1/" + std::string(kBudget) + "?revision=0",
                       {{"Authorization", "Bearer " + token}, {"X-Request-Id", "metrics-rest-" + suffix}});
  ASSERT_TRUE(read);
  ASSERT_EQ(read->status, 200) << read->body;
  EXPECT_EQ(read->get_header_value("X-Request-Id"), "metrics-rest-" + suffix);
  auto refused = anonymous.Get("/v1/" + std::string(kBudget));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  EXPECT_EQ(refused->get_header_value("X-Request-Id").size(), 32u);  // generated

  const std::map<std::string, double> after = ScrapeMetrics(anonymous);
  auto moved = [&](const std::string& series) {
    const auto was = before.find(series);
    const auto now = after.find(series);
    return (now == after.end() ? 0.0 : now->second) - (was == before.end() ? 0.0 : was->second);
  };
  EXPECT_EQ(moved("yusuan_gateway_requests_total{" + grpc_route + ",code=\"OK\"}"), 2);
  EXPECT_EQ(moved("yusuan_gateway_errors_total{" + grpc_route + ",code=\"OK\"}"), 0);
  EXPECT_EQ(moved("yusuan_gateway_requests_total{" + grpc_route + ",code=\"UNAUTHENTICATED\"}"), 1);
  EXPECT_EQ(moved("yusuan_gateway_errors_total{" + grpc_route + ",code=\"UNAUTHENTICATED\"}"), 1);
  EXPECT_EQ(moved("yusuan_gateway_request_duration_seconds_count{" + grpc_route + "}"), 3);
  EXPECT_EQ(moved("yusuan_gateway_request_duration_seconds_bucket{" + grpc_route + ",le=\"+Inf\"}"), 3);
  EXPECT_EQ(moved("yusuan_gateway_requests_total{" + rest_route + ",code=\"200\"}"), 1);
  EXPECT_EQ(moved("yusuan_gateway_requests_total{" + rest_route + ",code=\"401\"}"), 1);
  EXPECT_EQ(moved("yusuan_gateway_errors_total{" + rest_route + ",code=\"401\"}"), 1);
  EXPECT_EQ(moved("yusuan_gateway_request_duration_seconds_count{" + rest_route + "}"), 2);
  // The first scrape, counted once it was answered.
  EXPECT_EQ(moved("yusuan_gateway_requests_total{face=\"rest\",method=\"GET /metrics\",code=\"200\"}"), 1);
  EXPECT_EQ(after.at("yusuan_gateway_in_flight_requests{face=\"rest\"}"), 1);  // this scrape
  EXPECT_EQ(after.at("yusuan_gateway_in_flight_requests{face=\"grpc\"}"), 0);
  EXPECT_GT(after.at("yusuan_gateway_requests_total{face=\"grpc\",method=\"ApplyFiling\",code=\"OK\"}"), 0);

  // One line per request, written before the answer left the gateway.
  // The whole log (LogTail keeps only its last 4000 characters); the
  // harness writes it to <root>/<name>.log.
  std::string log = ReadFile(dir_->path() + "/gateway.log");
  if (log.empty()) log = cluster_->gateway().LogTail();
  EXPECT_EQ(log.find(token), std::string::npos) << "the token is in the log";
  const std::vector<nlohmann::json> rest_lines = AccessLines(log, "metrics-rest-" + suffix);
  ASSERT_EQ(rest_lines.size(), 1u) << log;
  const nlohmann::json& line = rest_lines[0];
  EXPECT_EQ(line.value("face", ""), "rest");
  EXPECT_EQ(line.value("method", ""), "GET /v1/regions/{r}/departments/{a}/budgets/{y}");
  EXPECT_EQ(line.value("resource", ""), std::string("/v1/") + kBudget);
  EXPECT_EQ(line.value("code", ""), "200");
  EXPECT_EQ(line.value("http_status", 0), 200);
  EXPECT_EQ(line.value("subject", ""), "cluster-test");
  EXPECT_EQ(line.value("role", ""), "integrator");
  EXPECT_EQ(line.value("bytes_out", size_t{0}), read->body.size());
  EXPECT_EQ(line.value("peer", "").rfind("127.0.0.1:", 0), 0u);
  EXPECT_EQ(line.value("time", "").size(), std::string("2021-03-04T05:06:07.089Z").size());
  EXPECT_TRUE(line.contains("duration_ms"));
  const std::vector<nlohmann::json> grpc_lines = AccessLines(log, "metrics-grpc-1-" + suffix);
  ASSERT_EQ(grpc_lines.size(), 1u) << log;
  EXPECT_EQ(grpc_lines[0].value("method", ""), "GetBudget");
  EXPECT_EQ(grpc_lines[0].value("code", ""), "OK");
  EXPECT_EQ(grpc_lines[0].value("resource", ""), kBudget);
  EXPECT_EQ(grpc_lines[0].value("role", ""), "integrator");
  EXPECT_GT(grpc_lines[0].value("bytes_out", 0), 0);
  const std::vector<nlohmann::json> refused_lines = AccessLines(log, "metrics-grpc-refused-" + suffix);
  ASSERT_EQ(refused_lines.size(), 1u) << log;
  EXPECT_EQ(refused_lines[0].value("code", ""), "UNAUTHENTICATED");
  EXPECT_FALSE(refused_lines[0].contains("subject"));
}

// GET /v1/openapi.json is the reviewed file byte for byte, anonymously; and
// a client's short deadline on an expensive call (a PDF) ends it with
// DEADLINE_EXCEEDED rather than a hang, after which the gateway still
// renders. (1 ms: the call cannot finish in time on any machine. The proof
// that the deadline reaches the backends — they are told it and cancelled
// with it — is gateway_deadline_test, with a renderer that never ends.)
TEST_F(ClusterTest, OpenApiDocumentIsServedAndShortDeadlinesEndExpensiveCalls) {
  auto anonymous = Http(std::nullopt);
  auto document = anonymous.Get("/v1/openapi.json");
  ASSERT_TRUE(document);
  ASSERT_EQ(document->status, 200) << document->body;
  EXPECT_EQ(document->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(document->body, ReadFile(std::string(YUSUAN_SOURCE_DIR) + "/services/gateway/http/openapi.json"));
  EXPECT_EQ(nlohmann::json::parse(document->body, nullptr, false).value("openapi", ""), "3.0.3");

  yusuan::gateway::v1::ApplyFilingResponse applied;
  ASSERT_TRUE(Apply(LoadSample(), &applied).ok());
  yusuan::gateway::v1::RenderReportRequest render;
  render.set_name(kBudget);
  render.set_format(yusuan::report::v1::FORMAT_PDF);
  auto context = Context();
  const auto start = std::chrono::steady_clock::now();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(1));
  yusuan::report::v1::Artifact pdf;
  const grpc::Status status = Api()->RenderReport(context.get(), render, &pdf);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << status.error_message();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  const grpc::Status again = Api()->RenderReport(Context().get(), render, &pdf);
  ASSERT_TRUE(again.ok()) << again.error_message();
  EXPECT_EQ(pdf.content().substr(0, 5), "%PDF-");
}

}  // namespace
}  // namespace yusuan::testing
