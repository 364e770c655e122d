// End-to-end tests on the four real binaries (the ClusterTest suite, whose
// fixture is in cluster_fixture.h): filings validated and applied over gRPC,
// REST and the CLI. Each finding carries its rule, location and figures;
// every finding comes from a listed rule of the current rule set. Bad filings
// refused with the field named and nothing stored are the catalogue of bad
// input (bad_input_catalogue_test.cc).
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/integration/cluster_fixture.h"
#include "yusuan/common/v1/findings.pb.h"
#include "yusuan/gateway/v1/gateway.grpc.pb.h"
#include "yusuan/ledger/v1/ledger_service.grpc.pb.h"

namespace yusuan::testing {
namespace {

// The ValidationReport a refusal carries in its status details (empty when none).
yusuan::common::v1::ValidationReport AttachedReport(const grpc::Status& refused) {
  yusuan::common::v1::ValidationReport attached;
  google::rpc::Status rpc;
  if (!rpc.ParseFromString(refused.error_details())) return attached;
  for (const auto& any : rpc.details()) {
    if (any.Is<yusuan::common::v1::ValidationReport>() && any.UnpackTo(&attached)) break;
  }
  return attached;
}

// The finding of `rule_id` at `field`, or nullptr.
const yusuan::common::v1::Finding* FindFinding(const yusuan::common::v1::ValidationReport& report,
                                               const std::string& rule_id, const std::string& field) {
  for (const auto& f : report.findings()) {
    if (f.rule_id() == rule_id && f.field() == field) return &f;
  }
  return nullptr;
}

struct IssueBreak {
  std::string label;
  std::function<void(Filing&)> spoil;
  std::string rule_id;
  std::string field;
  int table;
  std::string row;
  std::string expected;
  std::string actual;
  std::string difference;
};

// The ledger issue's four breaks: each is a FATAL finding with its rule id,
// location, expected, actual and difference, through gRPC, REST and the CLI.
TEST_F(ClusterTest, IssueBreaksAreFatalWithLocationThroughGrpcRestAndCli) {
  const std::vector<IssueBreak> breaks = {
      {"one expenditure line up by 1 分",
       [](Filing& f) {
         auto* line = f.mutable_budget()->mutable_expenditure_lines(0);
         line->set_amount_fen(line->amount_fen() + 1);
       },
       "R-T1-4", "budget.incomeLines[0].amountFen", 1, "（一）一般公共预算拨款收入", "4155100.01 元", "4155100.00 元",
       "-0.01 元"},
      {"unknown function code",
       [](Filing& f) { f.mutable_budget()->mutable_expenditure_lines(0)->set_functional_code("2060198"); },
       "V-CODE-UNKNOWN", "budget.expenditureLines[0].functionalCode", 2, "2060198",
       "20601 科学技术管理事务 下的项：2060101 行政运行、2060102 一般行政管理事务、2060103 机关服务、2060199 "
       "其他科学技术管理事务支出",
       "2060198", "科目不存在 / no such code"},
      {"project total no longer matches its project lines",
       [](Filing& f) {
         // The project's 表10 amounts 1 元 up in the ledger and on its goal
         // sheet alike (which states them too), so only the lines disagree.
         auto* p = f.mutable_budget()->mutable_projects(0);
         auto* sheet = f.mutable_goals()->mutable_projects(0);
         p->set_year_total_fen(p->year_total_fen() + 100);
         p->set_year_fiscal_fen(p->year_fiscal_fen() + 100);
         p->set_total_fen(p->total_fen() + 100);
         p->set_total_fiscal_fen(p->total_fiscal_fen() + 100);
         sheet->set_year_total_fen(p->year_total_fen());
         sheet->set_year_fiscal_fen(p->year_fiscal_fen());
         sheet->set_total_fen(p->total_fen());
         sheet->set_total_fiscal_fen(p->total_fiscal_fen());
       },
       "R-T10-4", "budget.projects[0].yearTotalFen", 10, "P2021-001 科普经费（青山区）", "2380000.00 元",
       "2380001.00 元", "1.00 元"},
      {"三公 total not the sum of its parts",
       [](Filing& f) { f.mutable_budget()->mutable_three_public()->mutable_current()->set_total_fen(5'000); }, "R-T4-1",
       "budget.threePublic.current.totalFen", 4, "2021年预算数", "0.00 元", "50.00 元", "50.00 元"},
  };
  for (const IssueBreak& item : breaks) {
    SCOPED_TRACE(item.label);
    Filing filing = LoadSample();
    item.spoil(filing);

    // gRPC: validate answers the report; apply refuses with it attached.
    yusuan::gateway::v1::ValidateFilingRequest validate;
    *validate.mutable_filing() = filing;
    yusuan::common::v1::ValidationReport report;
    grpc::Status status = Api()->ValidateFiling(Context().get(), validate, &report);
    ASSERT_TRUE(status.ok()) << status.error_message();
    yusuan::gateway::v1::ApplyFilingResponse applied;
    grpc::Status refused = Apply(filing, &applied);
    ASSERT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    yusuan::common::v1::ValidationReport attached = AttachedReport(refused);
    for (const auto* source : {&report, &attached}) {
      const yusuan::common::v1::Finding* found = FindFinding(*source, item.rule_id, item.field);
      ASSERT_NE(found, nullptr) << (source == &report ? "ValidateFiling" : "ApplyFiling details");
      EXPECT_EQ(found->severity(), yusuan::common::v1::SEVERITY_FATAL);
      EXPECT_EQ(found->location().table(), item.table);
      EXPECT_EQ(found->location().row(), item.row);
      EXPECT_EQ(found->expected(), item.expected);
      EXPECT_EQ(found->actual(), item.actual);
      EXPECT_EQ(found->difference(), item.difference);
    }
    EXPECT_EQ(report.fatal_count(), 1);

    // REST: the same figures in the JSON report.
    auto http = Http();
    auto rest = http.Post("/v1/filings:validate", ToJson(filing), "application/json");
    ASSERT_TRUE(rest);
    ASSERT_EQ(rest->status, 200) << rest->body;
    auto body = nlohmann::json::parse(rest->body, nullptr, false);
    ASSERT_FALSE(body.is_discarded()) << rest->body;
    bool seen = false;
    for (const auto& f : body.value("findings", nlohmann::json::array())) {
      if (f.value("ruleId", "") != item.rule_id || f.value("field", "") != item.field) continue;
      seen = true;
      EXPECT_EQ(f.value("severity", ""), "SEVERITY_FATAL");
      EXPECT_EQ(f["location"].value("table", 0), item.table);
      EXPECT_EQ(f["location"].value("row", ""), item.row);
      EXPECT_EQ(f.value("expected", ""), item.expected);
      EXPECT_EQ(f.value("actual", ""), item.actual);
      EXPECT_EQ(f.value("difference", ""), item.difference);
    }
    EXPECT_TRUE(seen) << rest->body;

    // CLI: exit 1, the finding printed with its location and figures.
    const std::string file = dir_->path() + "/break.json";
    {
      std::ofstream out(file, std::ios::binary | std::ios::trunc);
      out << ToJson(filing);
    }
    std::string printed;
    EXPECT_EQ(RunCli(cluster_->gateway_grpc(), "validate -f " + file, &printed), 1) << printed;
    for (const std::string& text : {"严重 FATAL  [" + item.rule_id + "] " + item.field,
                                    "位置 location: 表" + std::to_string(item.table) + " · " + item.row,
                                    "期望 expected " + item.expected + " · 实际 actual " + item.actual +
                                        " · 差额 difference " + item.difference}) {
      EXPECT_NE(printed.find(text), std::string::npos) << "missing \"" << text << "\" in:\n" << printed;
    }
    std::string json_printed;
    EXPECT_EQ(RunCli(cluster_->gateway_grpc(), "validate --json -f " + file, &json_printed), 1);
    EXPECT_NE(json_printed.find("\"ruleId\": \"" + item.rule_id + "\""), std::string::npos) << json_printed;
  }
}

struct CrossBreak {
  std::string label;
  std::function<void(Filing&)> spoil;
  std::string rule_id;
  std::string field;
  std::string project_id;
  std::string project_name;
  std::string expected;
  std::string actual;
  std::string difference;
};

// Issue 4 item 4: the cross checks that need the ledger and the goals
// together run in the gateway's validate step. A project without a goal sheet
// and a sheet whose 当年财政拨款 is 1 元 off are each one FATAL finding naming
// the project (its 表10 row), through gRPC (ValidateFiling, and ApplyFiling
// refused with the report), REST and the CLI.
TEST_F(ClusterTest, GoalCrossChecksAreFatalNamingTheProjectThroughGrpcRestAndCli) {
  const std::vector<CrossBreak> breaks = {
      {"P2021-002 has no goal sheet",
       [](Filing& f) {
         ASSERT_EQ(f.goals().projects(1).project_id(), "P2021-002");
         f.mutable_goals()->mutable_projects()->RemoveLast();
       },
       "X-GOALS-PROJECT", "budget.projects[1].projectId", "P2021-002", "科普经费（化工区）", "1", "0", "-1"},
      {"a sheet's yearFiscalFen 1 元 above the ledger's",
       [](Filing& f) {
         auto* sheet = f.mutable_goals()->mutable_projects(0);
         ASSERT_EQ(sheet->project_id(), "P2021-001");
         sheet->set_year_fiscal_fen(sheet->year_fiscal_fen() + 100);
       },
       "X-GOALS-AMOUNT", "goals.projects[0].yearFiscalFen", "P2021-001", "科普经费（青山区）", "2380000.00 元",
       "2380001.00 元", "1.00 元"},
  };
  for (const CrossBreak& item : breaks) {
    SCOPED_TRACE(item.label);
    Filing filing = LoadSample();
    item.spoil(filing);
    const std::string row = item.project_id + " " + item.project_name;

    // gRPC: validate answers the report; apply refuses with it attached and
    // names the field among the violations.
    yusuan::gateway::v1::ValidateFilingRequest validate;
    *validate.mutable_filing() = filing;
    yusuan::common::v1::ValidationReport report;
    grpc::Status status = Api()->ValidateFiling(Context().get(), validate, &report);
    ASSERT_TRUE(status.ok()) << status.error_message();
    yusuan::gateway::v1::ApplyFilingResponse applied;
    grpc::Status refused = Apply(filing, &applied);
    ASSERT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_TRUE(Contains(ViolatedFields(refused), item.field)) << Joined(ViolatedFields(refused));
    yusuan::common::v1::ValidationReport attached = AttachedReport(refused);
    for (const auto* source : {&report, &attached}) {
      const yusuan::common::v1::Finding* found = FindFinding(*source, item.rule_id, item.field);
      ASSERT_NE(found, nullptr) << (source == &report ? "ValidateFiling" : "ApplyFiling details");
      EXPECT_EQ(found->severity(), yusuan::common::v1::SEVERITY_FATAL);
      EXPECT_NE(found->category(), yusuan::common::v1::RULE_CATEGORY_UNSPECIFIED);
      EXPECT_EQ(found->location().table(), 10);
      EXPECT_EQ(found->location().row(), row);
      EXPECT_EQ(found->expected(), item.expected);
      EXPECT_EQ(found->actual(), item.actual);
      EXPECT_EQ(found->difference(), item.difference);
      for (const std::string* text : {&found->message_zh(), &found->message_en()}) {
        EXPECT_NE(text->find(item.project_id), std::string::npos) << *text;
        EXPECT_NE(text->find(item.project_name), std::string::npos) << *text;
      }
    }
    EXPECT_EQ(report.fatal_count(), 1);

    // REST: the Filing JSON as the body of :validate.
    auto http = Http();
    auto rest = http.Post("/v1/filings:validate", ToJson(filing), "application/json");
    ASSERT_TRUE(rest);
    ASSERT_EQ(rest->status, 200) << rest->body;
    auto body = nlohmann::json::parse(rest->body, nullptr, false);
    ASSERT_FALSE(body.is_discarded()) << rest->body;
    EXPECT_EQ(body.value("fatalCount", 0), 1) << rest->body;
    bool seen = false;
    for (const auto& f : body.value("findings", nlohmann::json::array())) {
      if (f.value("ruleId", "") != item.rule_id || f.value("field", "") != item.field) continue;
      seen = true;
      EXPECT_EQ(f.value("severity", ""), "SEVERITY_FATAL");
      EXPECT_EQ(f["location"].value("table", 0), 10);
      EXPECT_EQ(f["location"].value("row", ""), row);
      EXPECT_EQ(f.value("expected", ""), item.expected);
      EXPECT_EQ(f.value("actual", ""), item.actual);
      EXPECT_EQ(f.value("difference", ""), item.difference);
      EXPECT_NE(f.value("messageZh", "").find(item.project_id), std::string::npos);
    }
    EXPECT_TRUE(seen) << rest->body;

    // CLI: exit 1, the rule id, field and project printed.
    const std::string file = dir_->path() + "/cross-break.json";
    {
      std::ofstream out(file, std::ios::binary | std::ios::trunc);
      out << ToJson(filing);
    }
    std::string printed;
    EXPECT_EQ(RunCli(cluster_->gateway_grpc(), "validate -f " + file, &printed), 1) << printed;
    for (const std::string& text : {"严重 FATAL  [" + item.rule_id + "] " + item.field, "位置 location: 表10 · " + row,
                                    "期望 expected " + item.expected + " · 实际 actual " + item.actual +
                                        " · 差额 difference " + item.difference}) {
      EXPECT_NE(printed.find(text), std::string::npos) << "missing \"" << text << "\" in:\n" << printed;
    }
    std::string json_printed;
    EXPECT_EQ(RunCli(cluster_->gateway_grpc(), "validate --json -f " + file, &json_printed), 1);
    EXPECT_NE(json_printed.find("\"ruleId\": \"" + item.rule_id + "\""), std::string::npos) << json_printed;
  }
}

// The reference filing validates with no FATAL finding, and goal 1's "20 次"
// against its targets 2 + 20 = 22 is a warning with both numbers (E2),
// through gRPC, REST and the CLI.
TEST_F(ClusterTest, ReferenceValidatesWithGoalOneQuantityWarning) {
  const std::string field = "goals.department.annualGoals[0].text";
  yusuan::gateway::v1::ValidateFilingRequest validate;
  *validate.mutable_filing() = LoadSample();
  yusuan::common::v1::ValidationReport report;
  grpc::Status status = Api()->ValidateFiling(Context().get(), validate, &report);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(report.fatal_count(), 0);
  const yusuan::common::v1::Finding* goal1 = FindFinding(report, "V-P2", field);
  ASSERT_NE(goal1, nullptr);
  EXPECT_EQ(goal1->severity(), yusuan::common::v1::SEVERITY_WARNING);
  EXPECT_EQ(goal1->expected(), "20 次");
  EXPECT_EQ(goal1->actual(), "22");
  EXPECT_NE(goal1->message_zh().find("2 + 20 = 22"), std::string::npos) << goal1->message_zh();

  auto http = Http();
  auto rest = http.Post("/v1/filings:validate", ReadFile(SampleFilingPath()), "application/json");
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->status, 200) << rest->body;
  auto body = nlohmann::json::parse(rest->body, nullptr, false);
  ASSERT_FALSE(body.is_discarded());
  EXPECT_EQ(body.value("fatalCount", -1), 0) << rest->body;
  bool seen = false;
  for (const auto& f : body.value("findings", nlohmann::json::array())) {
    if (f.value("ruleId", "") == "V-P2" && f.value("field", "") == field) {
      seen = true;
      EXPECT_EQ(f.value("severity", ""), "SEVERITY_WARNING");
      EXPECT_EQ(f.value("expected", ""), "20 次");
      EXPECT_EQ(f.value("actual", ""), "22");
    }
  }
  EXPECT_TRUE(seen) << rest->body;

  std::string printed;
  EXPECT_EQ(RunCli(cluster_->gateway_grpc(), "validate -f " + SampleFilingPath(), &printed), 0) << printed;
  EXPECT_NE(printed.find("警告 WARNING  [V-P2] " + field), std::string::npos) << printed;
  EXPECT_NE(printed.find("2 + 20 = 22"), std::string::npos) << printed;
  EXPECT_NE(printed.find("通过 / valid: 0 严重 fatal"), std::string::npos) << printed;
}

TEST_F(ClusterTest, EveryFindingComesFromAListedRuleOfTheCurrentRuleSet) {
  yusuan::common::v1::RuleSet rules;
  grpc::Status status = Api()->ListRules(Context().get(), yusuan::common::v1::ListRulesRequest(), &rules);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(rules.version().empty());
  std::map<std::string, std::string> services;
  for (const auto& rule : rules.rules()) services[rule.rule_id()] += rule.service() + " ";
  for (const char* id : {"R-T1-4", "V-CODE-UNKNOWN", "R-T10-4", "X-GOALS-PROJECT", "V-P2"}) {
    EXPECT_TRUE(services.count(id)) << id;
  }

  // The sample's warnings all carry a category and the rule set's version.
  yusuan::gateway::v1::ValidateFilingRequest request;
  *request.mutable_filing() = LoadSample();
  yusuan::common::v1::ValidationReport report;
  ASSERT_TRUE(Api()->ValidateFiling(Context().get(), request, &report).ok());
  EXPECT_EQ(report.rule_set_version(), rules.version());
  ASSERT_GT(report.findings_size(), 0);
  for (const auto& finding : report.findings()) {
    EXPECT_TRUE(services.count(finding.rule_id())) << finding.rule_id() << " is not listed";
    EXPECT_NE(finding.category(), yusuan::common::v1::RULE_CATEGORY_UNSPECIFIED) << finding.rule_id();
  }

  auto http = Http();
  auto listed = http.Get("/v1/rules");
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->status, 200) << listed->body;
  EXPECT_EQ(nlohmann::json::parse(listed->body)["rules"].size(), static_cast<size_t>(rules.rules_size()));
}

}  // namespace
}  // namespace yusuan::testing
