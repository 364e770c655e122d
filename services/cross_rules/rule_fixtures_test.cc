// One must-pass and one must-fail fixture for every cross rule, each the
// reference filing with one change; a rule added to CrossRules() without
// fixtures makes EveryRuleHasFixtures fail. (More cases per rule:
// cross_rules_test.cc.)
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/cross_rules/cross_rules.h"
#include "services/cross_rules/rule_catalogue.h"
#include "yusuan/gateway/v1/gateway.pb.h"

namespace yusuan::cross_rules {
namespace {

using yusuan::common::v1::Finding;
using yusuan::common::v1::ValidationReport;
using yusuan::gateway::v1::Filing;

const Filing& Reference() {
  static const Filing* const filing = [] {
    std::ifstream in(std::string(YUSUAN_SOURCE_DIR) + "/data/samples/qingshan-kexie-2021.json");
    std::ostringstream text;
    text << in.rdbuf();
    auto* parsed = new Filing();
    const auto status = google::protobuf::util::JsonStringToMessage(text.str(), parsed);
    EXPECT_TRUE(status.ok()) << status.ToString();
    return parsed;
  }();
  return *filing;
}

using Mutation = std::function<void(Filing&)>;
void Unchanged(Filing&) {}

struct RuleFixture {
  std::string rule_id;
  Mutation pass;
  Mutation fail;
  std::string field;
};

void PrintTo(const RuleFixture& fixture, std::ostream* out) { *out << fixture.rule_id; }

std::vector<RuleFixture> Fixtures() {
  return {
      {"X-GOALS-YEAR", Unchanged, [](Filing& f) { f.mutable_goals()->set_fiscal_year(2022); }, "goals.fiscalYear"},
      {"X-GOALS-NAME", Unchanged,
       [](Filing& f) { f.mutable_goals()->set_name("regions/420107/departments/005001022/budgets/2020/goals"); },
       "goals.name"},
      {"X-GOALS-PROJECT", Unchanged,
       [](Filing& f) { f.mutable_goals()->mutable_projects()->RemoveLast(); }, "budget.projects[1].projectId"},
      {"X-GOALS-AMOUNT", Unchanged,
       [](Filing& f) {
         auto* sheet = f.mutable_goals()->mutable_projects(0);
         sheet->set_year_fiscal_fen(sheet->year_fiscal_fen() + 100);
       },
       "goals.projects[0].yearFiscalFen"},
      {"X-GOALS-AMOUNT-UNSTATED", Unchanged,
       [](Filing& f) { f.mutable_goals()->mutable_projects(0)->clear_year_other_fen(); },
       "goals.projects[0].yearOtherFen"},
      {"X21", Unchanged,
       [](Filing& f) {
         auto* funds = f.mutable_goals()->mutable_department()->mutable_funds();
         funds->set_basic_fen(funds->basic_fen() + 1'000'000);  // + 1 万元
       },
       "goals.department.funds.basicFen"},
      {"X23", Unchanged,
       [](Filing& f) { f.mutable_goals()->mutable_projects(1)->mutable_annual_indicators(4)->set_target("3"); },
       "goals.department.annualGoals[7].indicators[0].target"},
  };
}

const yusuan::common::v1::Rule* Listed(const std::string& id) {
  for (const auto& rule : CrossRules()) {
    if (rule.rule_id() == id) return &rule;
  }
  return nullptr;
}

std::string Dump(const ValidationReport& report) {
  std::string out;
  for (const Finding& f : report.findings()) out += f.rule_id() + " " + f.field() + "\n";
  return out;
}

class CrossRuleFixture : public ::testing::TestWithParam<RuleFixture> {};

TEST_P(CrossRuleFixture, PassingFixtureDoesNotRaiseTheRule) {
  Filing filing = Reference();
  GetParam().pass(filing);
  const ValidationReport report = ValidateGoalsAgainstBudget(filing.goals(), filing.budget());
  for (const Finding& f : report.findings()) EXPECT_NE(f.rule_id(), GetParam().rule_id) << f.field();
  EXPECT_EQ(report.fatal_count(), 0) << Dump(report);
}

TEST_P(CrossRuleFixture, FailingFixtureRaisesTheRuleWithItsListedSeverity) {
  Filing filing = Reference();
  GetParam().fail(filing);
  const ValidationReport report = ValidateGoalsAgainstBudget(filing.goals(), filing.budget());
  ASSERT_NE(Listed(GetParam().rule_id), nullptr) << GetParam().rule_id << " is not in CrossRules()";
  bool found = false;
  for (const Finding& f : report.findings()) {
    const auto* listed = Listed(f.rule_id());
    ASSERT_NE(listed, nullptr) << f.rule_id();
    EXPECT_EQ(f.severity(), listed->severity()) << f.rule_id() << " " << f.field();
    EXPECT_EQ(f.category(), listed->category()) << f.rule_id();
    EXPECT_FALSE(f.hint().empty()) << f.rule_id();
    if (f.rule_id() == GetParam().rule_id && f.field() == GetParam().field) found = true;
  }
  EXPECT_TRUE(found) << "no " << GetParam().rule_id << " at " << GetParam().field << ":\n" << Dump(report);
}

INSTANTIATE_TEST_SUITE_P(Cross, CrossRuleFixture, ::testing::ValuesIn(Fixtures()),
                         [](const ::testing::TestParamInfo<RuleFixture>& info) {
                           std::string name;
                           for (char c : info.param.rule_id) name += (c == '-') ? '_' : c;
                           return name;
                         });

TEST(CrossRuleFixtures, EveryRuleHasFixtures) {
  std::set<std::string> covered;
  for (const RuleFixture& fixture : Fixtures()) {
    EXPECT_TRUE(covered.insert(fixture.rule_id).second) << "two fixtures for " << fixture.rule_id;
  }
  for (const auto& rule : CrossRules()) {
    EXPECT_EQ(covered.count(rule.rule_id()), 1u) << rule.rule_id() << " has no fixture";
  }
}

}  // namespace
}  // namespace yusuan::cross_rules
