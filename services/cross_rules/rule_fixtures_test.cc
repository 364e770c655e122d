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
#include "services/common/testing/rule_fixtures.h"
#include "services/common/testing/sample_filing.h"
#include "services/cross_rules/cross_rules.h"
#include "services/cross_rules/rule_catalogue.h"
#include "yusuan/gateway/v1/gateway.pb.h"

namespace yusuan::cross_rules {
namespace {

using yusuan::common::v1::Finding;
using yusuan::common::v1::ValidationReport;
using yusuan::gateway::v1::Filing;

const Filing& Reference() { return yusuan::testing::SampleFiling(); }

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
      {"X-GOALS-PROJECT", Unchanged, [](Filing& f) { f.mutable_goals()->mutable_projects()->RemoveLast(); },
       "budget.projects[1].projectId"},
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

class CrossRuleFixture : public ::testing::TestWithParam<RuleFixture> {};

TEST_P(CrossRuleFixture, PassingFixtureDoesNotRaiseTheRule) {
  Filing filing = Reference();
  GetParam().pass(filing);
  yusuan::testing::ExpectPasses(ValidateGoalsAgainstBudget(filing.goals(), filing.budget()), GetParam().rule_id);
}

TEST_P(CrossRuleFixture, FailingFixtureRaisesTheRuleWithItsListedSeverity) {
  Filing filing = Reference();
  GetParam().fail(filing);
  yusuan::testing::ExpectRaises(CrossRules(), ValidateGoalsAgainstBudget(filing.goals(), filing.budget()),
                                GetParam().rule_id, GetParam().field);
}

INSTANTIATE_TEST_SUITE_P(Cross, CrossRuleFixture, ::testing::ValuesIn(Fixtures()),
                         [](const ::testing::TestParamInfo<RuleFixture>& info) {
                           return yusuan::testing::RuleTestName(info.param.rule_id);
                         });

TEST(CrossRuleFixtures, EveryRuleHasFixtures) {
  std::vector<std::string> ids;
  for (const RuleFixture& fixture : Fixtures()) ids.push_back(fixture.rule_id);
  yusuan::testing::ExpectEveryRuleHasFixtures(CrossRules(), ids);
}

TEST(CrossRuleFixtures, TheReadmeListsEveryRuleWithItsSeverity) {
  yusuan::testing::ExpectReadmeListsRulesAsDefined(CrossRules(),
                                                   std::string(YUSUAN_SOURCE_DIR) + "/services/cross_rules/README.md");
}

}  // namespace
}  // namespace yusuan::cross_rules
