// ListRules: the ledger's and goals' rule sets joined, the gateway's own
// rules appended once, through the Orchestrator and the raw gRPC face. The
// backends are in-process fakes answering only ListRules.
#include <grpcpp/grpcpp.h>

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/cross_rules/rule_catalogue.h"
#include "services/gateway/grpc/grpc_service.h"
#include "services/gateway/workbook/filing_workbook.h"

namespace yusuan::gateway {
namespace {

using yusuan::common::v1::ListRulesRequest;
using yusuan::common::v1::Rule;
using yusuan::common::v1::RuleSet;

Rule MakeRule(const std::string& id, const std::string& service) {
  Rule rule;
  rule.set_rule_id(id);
  rule.set_severity(yusuan::common::v1::SEVERITY_FATAL);
  rule.set_category(yusuan::common::v1::RULE_CATEGORY_ACCURACY);
  rule.set_service(service);
  return rule;
}

class FakeLedger final : public yusuan::ledger::v1::LedgerService::Service {
 public:
  RuleSet rules;
  grpc::Status ListRules(grpc::ServerContext*, const ListRulesRequest*, RuleSet* out) override {
    *out = rules;
    return grpc::Status::OK;
  }
};

class FakeGoals final : public yusuan::goals::v1::GoalsService::Service {
 public:
  RuleSet rules;
  grpc::Status ListRules(grpc::ServerContext*, const ListRulesRequest*, RuleSet* out) override {
    *out = rules;
    return grpc::Status::OK;
  }
};

std::vector<std::string> Ids(const RuleSet& set) {
  std::vector<std::string> ids;
  for (const Rule& rule : set.rules()) ids.push_back(rule.rule_id());
  return ids;
}

class ListRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ledger_.rules.set_version("2021.1");
    *ledger_.rules.add_rules() = MakeRule("R-T1-1", "ledger");
    *ledger_.rules.add_rules() = MakeRule("R-T1-4", "ledger");
    goals_.rules.set_version("2021.1");
    *goals_.rules.add_rules() = MakeRule("G-1", "goals");
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&ledger_);
    builder.RegisterService(&goals_);
    backends_ = builder.BuildAndStart();
    ASSERT_NE(backends_, nullptr);
    const std::string address = "127.0.0.1:" + std::to_string(port);
    Orchestrator::Options options;
    options.ledger_address = options.goals_address = address;
    options.report_address = "127.0.0.1:1";
    orchestrator_ = Orchestrator::Connect(options);
  }
  void TearDown() override {
    if (backends_ != nullptr) backends_->Shutdown();
  }

  FakeLedger ledger_;
  FakeGoals goals_;
  std::unique_ptr<grpc::Server> backends_;
  std::unique_ptr<Orchestrator> orchestrator_;
};

// `ids`, then what reading a filing workbook can refuse (the gateway's own,
// after the four above), then the cross rules the gateway runs, each in
// their catalogue's order.
std::vector<std::string> WithCrossRules(std::vector<std::string> ids) {
  for (const Rule& rule : yusuan::workbook::WorkbookRules()) ids.push_back(rule.rule_id());
  for (const Rule& rule : yusuan::cross_rules::CrossRules()) ids.push_back(rule.rule_id());
  return ids;
}

TEST_F(ListRulesTest, JoinsLedgerGoalsAndGatewayInOrder) {
  absl::StatusOr<RuleSet> rules = orchestrator_->ListRules(ListRulesRequest());
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_EQ(rules->version(), "2021.1");
  EXPECT_EQ(Ids(*rules), WithCrossRules({"R-T1-1", "R-T1-4", "G-1", "V-NAME", "V-UTF8", "V-LIMIT", "X-GOALS-MISSING"}));
  // The goals ↔ ledger rules are the gateway's: no backend lists them.
  for (const Rule& rule : rules->rules()) {
    if (rule.rule_id() == "X21") {
      EXPECT_EQ(rule.service(), "gateway");
    }
  }
  const Rule& name = rules->rules(3);
  EXPECT_EQ(name.service(), "gateway");
  EXPECT_EQ(name.severity(), yusuan::common::v1::SEVERITY_FATAL);
  EXPECT_EQ(name.category(), yusuan::common::v1::RULE_CATEGORY_CONSISTENCY);
  EXPECT_EQ(rules->rules(4).category(), yusuan::common::v1::RULE_CATEGORY_COMPLETENESS);
  EXPECT_FALSE(rules->rules(4).description_zh().empty());
}

TEST_F(ListRulesTest, DifferentVersionsAreJoinedAndBackendRulesWin) {
  goals_.rules.set_version("g7");
  Rule own = MakeRule("V-UTF8", "ledger");
  *ledger_.rules.add_rules() = own;
  absl::StatusOr<RuleSet> rules = orchestrator_->ListRules(ListRulesRequest());
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_EQ(rules->version(), "2021.1+g7");
  EXPECT_EQ(Ids(*rules), WithCrossRules({"R-T1-1", "R-T1-4", "V-UTF8", "G-1", "V-NAME", "V-LIMIT", "X-GOALS-MISSING"}));
  EXPECT_EQ(rules->rules(2).service(), "ledger");
}

TEST_F(ListRulesTest, RawGrpcMethodServesTheJoinedSet) {
  WorkerPool pool(2, 16);
  PublicApiService service(orchestrator_.get(), &pool);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  auto server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  auto stub = yusuan::gateway::v1::PublicApi::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  RuleSet rules;
  grpc::Status status = stub->ListRules(&context, ListRulesRequest(), &rules);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(Ids(rules).size(),
            7u + yusuan::workbook::WorkbookRules().size() + yusuan::cross_rules::CrossRules().size());
  EXPECT_EQ(rules.rules(4).rule_id(), "V-UTF8");
  server->Shutdown();
}

TEST(ListRulesUnavailable, NamesTheBackend) {
  Orchestrator::Options options;
  options.ledger_address = options.goals_address = options.report_address = "127.0.0.1:1";
  options.backend_timeout = std::chrono::milliseconds(5000);
  auto orchestrator = Orchestrator::Connect(options);
  absl::StatusOr<RuleSet> rules = orchestrator->ListRules(ListRulesRequest());
  EXPECT_EQ(rules.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(rules.status().message().find("the ledger service at 127.0.0.1:1"), std::string::npos) << rules.status();
}

}  // namespace
}  // namespace yusuan::gateway
