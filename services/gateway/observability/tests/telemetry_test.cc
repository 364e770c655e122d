// Metrics and access log as both faces feed them, without backends: every
// request here is answered before any backend call (routing, tokens,
// permissions, query checks). REST through RestServer::Handle; gRPC through
// an in-process server of PublicApiService.
#include <httplib.h>

#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/gateway/auth/access.h"
#include "services/gateway/auth/permissions.h"
#include "services/gateway/grpc/call_observation.h"
#include "services/gateway/grpc/grpc_service.h"
#include "services/gateway/http/rest.h"
#include "services/gateway/http/rest_observation.h"
#include "services/gateway/http/route_patterns.h"
#include "services/gateway/observability/telemetry.h"
#include "services/security/signing_key.h"
#include "services/security/token.h"

namespace yusuan::gateway {
namespace {

namespace gv1 = yusuan::gateway::v1;
namespace lv1 = yusuan::ledger::v1;

constexpr char kBudgetPath[] = "/v1/regions/420107/departments/005001022/budgets/2021";

// Lines the telemetry writes, kept for the test to read.
class Lines {
 public:
  AccessLog::Sink Sink() {
    return [this](const std::string& line) {
      std::lock_guard<std::mutex> lock(mutex_);
      lines_.push_back(line);
    };
  }
  std::vector<std::string> Take() {
    std::lock_guard<std::mutex> lock(mutex_);
    return std::move(lines_);
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> lines_;
};

int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

class TelemetryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<security::SigningKey> key = security::SigningKey::Generate();
    ASSERT_TRUE(key.ok()) << key.status();
    key_ = std::make_unique<security::SigningKey>(*key);
    absl::StatusOr<const auth::PermissionMatrix*> matrix = auth::DefaultPermissions();
    ASSERT_TRUE(matrix.ok()) << matrix.status();
    absl::StatusOr<security::InternalSecret> secret = security::InternalSecret::Generate();
    ASSERT_TRUE(secret.ok()) << secret.status();
    access_ = std::make_unique<AccessPolicy>(*key_, *std::move(secret), *matrix);
    // Nothing listens there: no request of these tests may reach a backend.
    Orchestrator::Options options;
    options.ledger_address = options.goals_address = options.report_address = "127.0.0.1:1";
    orchestrator_ = Orchestrator::Connect(options);
    orchestrator_->set_access(access_.get());
    telemetry_ = std::make_unique<Telemetry>(true, lines_.Sink());
    rest_ = std::make_unique<RestServer>(orchestrator_.get(), access_.get());
    rest_->set_telemetry(telemetry_.get());
  }

  std::string Token(security::Role role, const std::string& scope, const std::string& subject) {
    security::TokenClaims claims;
    claims.subject = subject;
    claims.role = role;
    claims.scope = scope;
    claims.issued_at_unix_seconds = Now();
    claims.expires_at_unix_seconds = Now() + 600;
    return security::MintToken(claims, *key_);
  }

  httplib::Response Rest(const std::string& method, const std::string& path, const httplib::Headers& headers = {},
                         const httplib::Params& params = {}) {
    httplib::Request request;
    request.method = method;
    request.path = path;
    request.headers = headers;
    request.params = params;
    request.remote_addr = "127.0.0.1";
    request.remote_port = 40000;
    httplib::Response response;
    rest_->Handle(request, "", response);
    return response;
  }

  const MetricsRegistry& metrics() { return telemetry_->metrics(); }

  Lines lines_;
  std::unique_ptr<security::SigningKey> key_;
  std::unique_ptr<AccessPolicy> access_;
  std::unique_ptr<Orchestrator> orchestrator_;
  std::unique_ptr<Telemetry> telemetry_;
  std::unique_ptr<RestServer> rest_;
};

TEST_F(TelemetryTest, MetricsAreServedWithoutATokenAndCountTheirOwnScrapes) {
  httplib::Response first = Rest("GET", "/metrics");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(first.body.find("# TYPE yusuan_gateway_requests_total counter\n"), std::string::npos);
  // Counted once answered, so the first scrape sees itself only in flight.
  EXPECT_NE(first.body.find("yusuan_gateway_in_flight_requests{face=\"rest\"} 1\n"), std::string::npos) << first.body;
  // A token that does not verify is not even read: /metrics is anonymous.
  httplib::Response second = Rest("GET", "/metrics", {{"Authorization", "Bearer not-a-token"}});
  EXPECT_EQ(second.status, 200);
  EXPECT_NE(second.body.find("yusuan_gateway_requests_total{face=\"rest\",method=\"GET /metrics\",code=\"200\"} 1\n"),
            std::string::npos)
      << second.body;
  EXPECT_EQ(metrics().Requests(Face::kRest, "GET /metrics", "200"), 2u);
  EXPECT_EQ(Rest("POST", "/metrics").status, 405);
}

TEST_F(TelemetryTest, MetricsAreNotFoundOnAServerWithoutTelemetry) {
  RestServer bare(orchestrator_.get(), access_.get());
  httplib::Request request;
  request.method = "GET";
  request.path = "/metrics";
  httplib::Response response;
  bare.Handle(request, "", response);
  EXPECT_EQ(response.status, 404);
  EXPECT_FALSE(response.has_header("X-Request-Id"));
}

TEST_F(TelemetryTest, RestRequestIdsAreTheClientsOrGeneratedAndAlwaysEchoed) {
  EXPECT_EQ(Rest("GET", "/healthz", {{"Idempotency-Key", "key-1"}}).get_header_value("X-Request-Id"), "key-1");
  EXPECT_EQ(Rest("GET", "/healthz", {{"X-Request-Id", "xr-2"}}).get_header_value("X-Request-Id"), "xr-2");
  EXPECT_EQ(Rest("GET", "/healthz", {}, {{"request_id", "q-3"}}).get_header_value("X-Request-Id"), "q-3");
  const std::string generated = Rest("GET", "/healthz").get_header_value("X-Request-Id");
  EXPECT_EQ(generated.size(), 32u);
  // One that cannot go back in a header is replaced.
  const std::string replaced =
      Rest("GET", "/healthz", {{"X-Request-Id", std::string(200, 'x')}}).get_header_value("X-Request-Id");
  EXPECT_EQ(replaced.size(), 32u);
  const std::vector<std::string> lines = lines_.Take();
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(nlohmann::json::parse(lines[0])["request_id"], "key-1");
  EXPECT_EQ(nlohmann::json::parse(lines[3])["request_id"], generated);
}

TEST_F(TelemetryTest, UnmatchedPathsAreCountedWithoutThePath) {
  EXPECT_EQ(Rest("GET", "/no/such/thing-12345").status, 404);
  EXPECT_EQ(Rest("DELETE", "/v1/rules").status, 405);
  EXPECT_EQ(metrics().Requests(Face::kRest, "GET (unmatched)", "404"), 1u);
  EXPECT_EQ(metrics().Errors(Face::kRest, "GET (unmatched)", "404"), 1u);
  EXPECT_EQ(metrics().Errors(Face::kRest, "DELETE (unmatched)", "405"), 1u);
  EXPECT_EQ(telemetry_->metrics().Exposition().find("thing-12345"), std::string::npos);
  // The log has the path (it is the resource), the metrics never do.
  const std::vector<std::string> lines = lines_.Take();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(lines[0])["resource"], "/no/such/thing-12345");
}

TEST_F(TelemetryTest, RestLineNamesTheVerifiedCallerButNeverTheTokenOrQuery) {
  const std::string token = Token(security::Role::kPreparer, "regions/4201", "zhang.san");
  httplib::Response response =
      Rest("GET", kBudgetPath, {{"Authorization", "Bearer " + token}, {"X-Request-Id", "r-42"}}, {{"revision", "abc"}});
  EXPECT_EQ(response.status, 400) << response.body;  // refused before any backend call
  EXPECT_EQ(metrics().Errors(Face::kRest, "GET /v1/regions/{r}/departments/{a}/budgets/{y}", "400"), 1u);
  const std::vector<std::string> lines = lines_.Take();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].find(token), std::string::npos) << lines[0];
  EXPECT_EQ(lines[0].find(token.substr(5, 20)), std::string::npos);
  EXPECT_EQ(lines[0].find("abc"), std::string::npos) << lines[0];
  const auto line = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(line["face"], "rest");
  EXPECT_EQ(line["method"], "GET /v1/regions/{r}/departments/{a}/budgets/{y}");
  EXPECT_EQ(line["resource"], kBudgetPath);
  EXPECT_EQ(line["code"], "400");
  EXPECT_EQ(line["http_status"], 400);
  EXPECT_EQ(line["request_id"], "r-42");
  EXPECT_EQ(line["subject"], "zhang.san");
  EXPECT_EQ(line["role"], "preparer");
  EXPECT_EQ(line["peer"], "127.0.0.1:40000");
  EXPECT_EQ(line["bytes_out"], response.body.size());
  EXPECT_GE(line["duration_ms"].get<double>(), 0.0);

  // A token that does not verify: 401, no caller in the line.
  EXPECT_EQ(Rest("GET", kBudgetPath, {{"Authorization", "Bearer " + token + "x"}}).status, 401);
  const auto refused = nlohmann::json::parse(lines_.Take().at(0));
  EXPECT_EQ(refused["code"], "401");
  EXPECT_FALSE(refused.contains("subject"));
}

TEST_F(TelemetryTest, WorkflowVerbsAreTheirOwnRoutes) {
  // No token: the orchestrator refuses before any backend call.
  EXPECT_EQ(Rest("POST", std::string(kBudgetPath) + ":approve").status, 401);
  EXPECT_EQ(metrics().Requests(Face::kRest, "POST /v1/regions/{r}/departments/{a}/budgets/{y}:approve", "401"), 1u);
}

TEST_F(TelemetryTest, AccessLogCanBeTurnedOffWithoutLosingMetrics) {
  Telemetry quiet(false);
  rest_->set_telemetry(&quiet);
  EXPECT_EQ(Rest("GET", "/healthz").status, 200);
  EXPECT_TRUE(lines_.Take().empty());
  EXPECT_EQ(quiet.metrics().Requests(Face::kRest, "GET /healthz", "200"), 1u);
}

class GrpcTelemetryTest : public TelemetryTest {
 protected:
  void SetUp() override {
    TelemetryTest::SetUp();
    pool_ = std::make_unique<WorkerPool>(2, 16);
    service_ = std::make_unique<PublicApiService>(orchestrator_.get(), pool_.get(), access_.get());
    service_->set_telemetry(telemetry_.get());
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = gv1::PublicApi::NewStub(
        grpc::CreateChannel("127.0.0.1:" + std::to_string(port_), grpc::InsecureChannelCredentials()));
  }
  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
    if (pool_ != nullptr) pool_->Shutdown();
  }

  static std::string InitialMetadata(const grpc::ClientContext& context, const std::string& key) {
    const auto& metadata = context.GetServerInitialMetadata();
    const auto found = metadata.find(key);
    return found == metadata.end() ? "" : std::string(found->second.data(), found->second.size());
  }

  int port_ = 0;
  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<PublicApiService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<gv1::PublicApi::Stub> stub_;
};

TEST_F(GrpcTelemetryTest, CallsAreCountedByRpcNameAndFinalCode) {
  lv1::GetBudgetRequest request;
  request.set_name("regions/420107/departments/005001022/budgets/2021");
  lv1::Budget budget;
  {
    grpc::ClientContext context;  // anonymous: the matrix wants a token
    context.AddMetadata("x-request-id", "grpc-req-1");
    EXPECT_EQ(stub_->GetBudget(&context, request, &budget).error_code(), grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(InitialMetadata(context, "x-request-id"), "grpc-req-1");
  }
  {
    grpc::ClientContext context;  // a preparer of another province: refused, caller known
    context.AddMetadata("authorization", "Bearer " + Token(security::Role::kPreparer, "regions/4202", "li.si"));
    EXPECT_EQ(stub_->GetBudget(&context, request, &budget).error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(InitialMetadata(context, "x-request-id").size(), 32u);  // generated
  }
  EXPECT_EQ(metrics().Requests(Face::kGrpc, "GetBudget", "UNAUTHENTICATED"), 1u);
  EXPECT_EQ(metrics().Errors(Face::kGrpc, "GetBudget", "PERMISSION_DENIED"), 1u);
  EXPECT_EQ(metrics().DurationCount(Face::kGrpc, "GetBudget"), 2u);
  EXPECT_EQ(metrics().InFlight(Face::kGrpc), 0);

  const std::vector<std::string> lines = lines_.Take();
  ASSERT_EQ(lines.size(), 2u);
  const auto anonymous = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(anonymous["face"], "grpc");
  EXPECT_EQ(anonymous["method"], "GetBudget");
  EXPECT_EQ(anonymous["code"], "UNAUTHENTICATED");
  EXPECT_EQ(anonymous["request_id"], "grpc-req-1");
  EXPECT_EQ(anonymous["resource"], request.name());
  EXPECT_FALSE(anonymous.contains("subject"));
  EXPECT_FALSE(anonymous.contains("http_status"));
  EXPECT_EQ(anonymous["peer"].get<std::string>().rfind("127.0.0.1:", 0), 0u) << lines[0];
  const auto denied = nlohmann::json::parse(lines[1]);
  EXPECT_EQ(denied["subject"], "li.si");
  EXPECT_EQ(denied["role"], "preparer");
  EXPECT_EQ(denied["bytes_out"], 0);
}

TEST_F(GrpcTelemetryTest, ABadTokenIsCountedUnderTheMethodAndNotLogged) {
  gv1::ValidateStoredBudgetRequest request;
  request.set_name("regions/420107/departments/005001022/budgets/2021");
  yusuan::common::v1::ValidationReport report;
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer yst1.forged.token");
  EXPECT_EQ(stub_->ValidateBudget(&context, request, &report).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  // ValidateStoredBudgetRequest belongs to ValidateBudget: the name comes
  // from the service, not from the request type's name.
  EXPECT_EQ(metrics().Errors(Face::kGrpc, "ValidateBudget", "UNAUTHENTICATED"), 1u);
  const std::vector<std::string> lines = lines_.Take();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].find("forged"), std::string::npos) << lines[0];
}

TEST(PublicRpcName, EveryMethodOfPublicApiIsNamedByItsRequestType) {
  const google::protobuf::ServiceDescriptor* service =
      gv1::ApplyFilingRequest::descriptor()->file()->FindServiceByName("PublicApi");
  ASSERT_NE(service, nullptr);
  std::set<std::string> request_types;
  for (int i = 0; i < service->method_count(); ++i) {
    const google::protobuf::MethodDescriptor* method = service->method(i);
    // One method per request type, or the names would be ambiguous.
    EXPECT_TRUE(request_types.insert(method->input_type()->full_name()).second)
        << method->input_type()->full_name() << " is taken by two methods";
    EXPECT_EQ(PublicRpcName(method->input_type()), method->name());
  }
  EXPECT_EQ(PublicRpcName(lv1::GetBudgetRequest::descriptor()), "GetBudget");
  EXPECT_EQ(PublicRpcName(lv1::Budget::descriptor()), "yusuan.ledger.v1.Budget");
}

// The label of a request, through the router as the server labels it.
std::string LabelOf(const std::string& method, const std::string& path) {
  std::string allowed;
  absl::StatusOr<RestRoute> route = MatchRestRoute(method, path, &allowed);
  EXPECT_TRUE(route.ok()) << method << " " << path << ": " << route.status();
  return route.ok() ? RestRoutePattern(*route->spec) : "";
}

TEST(RestRoutePattern, EveryRowHasOneAndTheyAreDistinct) {
  EXPECT_GE(RestRoutes().size(), 30u);
  std::set<std::string> patterns;
  for (const RestRouteSpec& spec : RestRoutes()) {
    const std::string pattern = RestRoutePattern(spec);
    EXPECT_FALSE(pattern.empty());
    EXPECT_TRUE(patterns.insert(pattern).second) << pattern;
    EXPECT_EQ(pattern.find("  "), std::string::npos);
  }
  const std::string budget = "/v1/regions/420107/departments/005001022/budgets/2021";
  EXPECT_EQ(LabelOf("GET", budget), "GET /v1/regions/{r}/departments/{a}/budgets/{y}");
  EXPECT_EQ(LabelOf("HEAD", budget), "GET /v1/regions/{r}/departments/{a}/budgets/{y}");
  EXPECT_EQ(LabelOf("POST", budget + ":publish"), "POST /v1/regions/{r}/departments/{a}/budgets/{y}:publish");
  EXPECT_EQ(LabelOf("GET", budget + "/goals/revisions:diff"),
            "GET /v1/regions/{r}/departments/{a}/budgets/{y}/goals/revisions:diff");
  EXPECT_EQ(LabelOf("GET", "/v1/catalogues/2021/codes/2070101"), "GET /v1/catalogues/{edition}/codes/{code}");
  EXPECT_EQ(LabelOf("GET", "/metrics"), "GET /metrics");
  // Web pages on the same port: labelled by page, never by budget name.
  EXPECT_EQ(WebPagePattern("GET", "/disclosures/regions/420107/departments/005001022/budgets/2021"),
            "GET /disclosures/{budget}");
  EXPECT_EQ(WebPagePattern("GET", "/"), "GET /");
  EXPECT_EQ(WebPagePattern("HEAD", "/review"), "HEAD /review");
}

}  // namespace
}  // namespace yusuan::gateway
