// One must-pass and one must-fail fixture for every goal rule, each the
// reference filing with one change. Removing a rule's check makes its
// must-fail case fail; a rule added to GoalRules() without fixtures makes
// EveryRuleHasFixtures fail.
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/common/errors.h"
#include "services/common/testing/rule_fixtures.h"
#include "services/common/testing/sample_filing.h"
#include "services/goals/domain/rule_catalogue.h"
#include "services/goals/domain/rules.h"
#include "yusuan/gateway/v1/gateway.pb.h"

namespace yusuan::goals {
namespace {

using yusuan::common::v1::Finding;
using yusuan::common::v1::ValidationReport;
using yusuan::gateway::v1::Filing;
namespace gv1 = yusuan::goals::v1;

const Filing& Reference() { return yusuan::testing::SampleFiling(); }

using Mutation = std::function<void(Filing&)>;
void Unchanged(Filing&) {}

gv1::AnnualGoal& Goal(Filing& f, int i) { return *f.mutable_goals()->mutable_department()->mutable_annual_goals(i); }
gv1::Indicator& GoalIndicator(Filing& f, int goal, int k) { return *Goal(f, goal).mutable_indicators(k); }
gv1::Indicator& LongTerm(Filing& f, int k) {
  return *f.mutable_goals()->mutable_department()->mutable_long_term_indicators(k);
}

struct RuleFixture {
  std::string rule_id;
  Mutation pass;
  Mutation fail;
  std::string field;
};

void PrintTo(const RuleFixture& fixture, std::ostream* out) { *out << fixture.rule_id; }

// The goal set's own rules (the cross rules against the budget have their
// fixtures in services/cross_rules).
ValidationReport ValidateAll(const Filing& filing) { return ValidateGoalSet(filing.goals()); }

std::vector<RuleFixture> Fixtures() {
  return {
      {"V-UTF8", Unchanged, [](Filing& f) { Goal(f, 0).set_text("科普\xC0\xAF"); },
       "goals.department.annualGoals[0].text"},
      {"V-TEXT-CONTROL", [](Filing& f) { Goal(f, 0).set_text("开展科普活动；\n\t举办讲座"); },
       [](Filing& f) { GoalIndicator(f, 1, 0).set_name("科普\x01活动"); },
       "goals.department.annualGoals[1].indicators[0].name"},
      {"V-AMOUNT-RANGE", Unchanged,
       [](Filing& f) { f.mutable_goals()->mutable_department()->mutable_funds()->set_other_fen(INT64_MAX); },
       "goals.department.funds.otherFen"},
      {"V-FIELD-REQUIRED", Unchanged, [](Filing& f) { GoalIndicator(f, 1, 0).clear_name(); },
       "goals.department.annualGoals[1].indicators[0].name"},
      {"V-IND-LEVEL", Unchanged,
       [](Filing& f) { GoalIndicator(f, 1, 0).set_level2(gv1::INDICATOR_LEVEL2_SOCIAL_BENEFIT); },
       "goals.department.annualGoals[1].indicators[0].level2"},
      {"V-IND-FRAMEWORK",
       [](Filing& f) {
         // 2022 follows 101号: cost is a level1 of its own.
         f.mutable_goals()->set_fiscal_year(2022);
         f.mutable_budget()->set_fiscal_year(2022);
         GoalIndicator(f, 1, 0).set_level1(gv1::INDICATOR_LEVEL1_COST);
         GoalIndicator(f, 1, 0).set_level2(gv1::INDICATOR_LEVEL2_ECONOMIC_COST);
       },
       [](Filing& f) {
         GoalIndicator(f, 1, 0).set_level1(gv1::INDICATOR_LEVEL1_COST);
         GoalIndicator(f, 1, 0).set_level2(gv1::INDICATOR_LEVEL2_ECONOMIC_COST);
       },
       "goals.department.annualGoals[1].indicators[0].level1"},
      {"V-P4", Unchanged, [](Filing& f) { GoalIndicator(f, 1, 1).set_standard(gv1::PERFORMANCE_STANDARD_UNSPECIFIED); },
       "goals.department.annualGoals[1].indicators[1].standard"},
      {"V-P4-NOTE",
       [](Filing& f) {
         auto fix = [](gv1::Indicator& i) {
           if (i.standard() == gv1::PERFORMANCE_STANDARD_OTHER) i.set_standard_note("");
         };
         for (auto& goal : *f.mutable_goals()->mutable_department()->mutable_annual_goals()) {
           for (auto& i : *goal.mutable_indicators()) fix(i);
         }
         for (auto& i : *f.mutable_goals()->mutable_department()->mutable_long_term_indicators()) fix(i);
         for (auto& sheet : *f.mutable_goals()->mutable_projects()) {
           for (auto& i : *sheet.mutable_annual_indicators()) fix(i);
           for (auto& i : *sheet.mutable_medium_term_indicators()) fix(i);
         }
       },
       Unchanged, "goals.department.annualGoals[0].indicators[0].standardNote"},
      {"V-GOAL-RANGE",
       [](Filing& f) {
         Goal(f, 6).set_text("加强科普阵地建设，建立区科普基地 2 个");
         Goal(f, 7).set_text("组织实施科普助推行动计划，助推星级社区 4 个");
       },
       Unchanged, "goals.department.annualGoals[6].text"},
      {"V-IND-PLACEMENT", [](Filing& f) { LongTerm(f, 3).set_level2(gv1::INDICATOR_LEVEL2_QUALITY); }, Unchanged,
       "goals.department.longTermIndicators[3].level2"},
      {"V-PROJECT-DUPLICATE", Unchanged,
       [](Filing& f) { f.mutable_goals()->mutable_projects(1)->set_project_id("P2021-001"); },
       "goals.projects[1].projectId"},
      {"V-P1", Unchanged,
       [](Filing& f) {
         auto* indicators = Goal(f, 1).mutable_indicators();
         indicators->erase(indicators->begin() + 1, indicators->end());  // only the 产出 row stays
       },
       "goals.department.annualGoals[1].indicators"},
      {"V-P2", [](Filing& f) { Goal(f, 0).set_text("开展主题科普活动及日常科普活动 22 次"); }, Unchanged,
       "goals.department.annualGoals[0].text"},
      {"V-P3", Unchanged, [](Filing& f) { GoalIndicator(f, 1, 2).set_target("较高"); },
       "goals.department.annualGoals[1].indicators[2].target"},
      {"V-P5", Unchanged, [](Filing& f) { GoalIndicator(f, 1, 0).mutable_history(0)->set_value(""); },
       "goals.department.annualGoals[1].indicators[0].history[0].value"},
      {"V-VALUE",
       [](Filing& f) {
         for (int k = 0; k < 3; ++k) LongTerm(f, k).set_target("≥4次");
       },
       Unchanged, "goals.department.longTermIndicators[0].target"},
      {"V-TREND", [](Filing& f) { GoalIndicator(f, 7, 0).set_target("8"); }, Unchanged,
       "goals.department.annualGoals[7].indicators[0].target"},
      {"V-GOAL-SEQ", Unchanged, [](Filing& f) { Goal(f, 2).set_seq(9); }, "goals.department.annualGoals[2].seq"},
      {"V-FIELD-RECOMMENDED", Unchanged,
       [](Filing& f) { f.mutable_goals()->mutable_department()->clear_long_term_goal(); },
       "goals.department.longTermGoal"},
      {"V-DATE", Unchanged, [](Filing& f) { f.mutable_goals()->mutable_department()->set_filed_date("2021-02-30"); },
       "goals.department.filedDate"},
  };
}

std::string Dump(const ValidationReport& report) { return yusuan::testing::DumpFindings(report); }

class GoalRuleFixture : public ::testing::TestWithParam<RuleFixture> {};

TEST_P(GoalRuleFixture, PassingFixtureDoesNotRaiseTheRule) {
  Filing filing = Reference();
  GetParam().pass(filing);
  yusuan::testing::ExpectPasses(ValidateAll(filing), GetParam().rule_id);
}

TEST_P(GoalRuleFixture, FailingFixtureRaisesTheRuleWithItsListedSeverity) {
  Filing filing = Reference();
  GetParam().fail(filing);
  yusuan::testing::ExpectRaises(GoalRules(), ValidateAll(filing), GetParam().rule_id, GetParam().field);
}

INSTANTIATE_TEST_SUITE_P(Goals, GoalRuleFixture, ::testing::ValuesIn(Fixtures()),
                         [](const ::testing::TestParamInfo<RuleFixture>& info) {
                           return yusuan::testing::RuleTestName(info.param.rule_id);
                         });

TEST(GoalRuleFixtures, EveryRuleHasFixtures) {
  std::vector<std::string> ids;
  for (const RuleFixture& fixture : Fixtures()) ids.push_back(fixture.rule_id);
  yusuan::testing::ExpectEveryRuleHasFixtures(GoalRules(), ids);
}

TEST(GoalRuleFixtures, TheReadmeListsEveryRuleWithItsSeverity) {
  yusuan::testing::ExpectReadmeListsRulesAsDefined(GoalRules(),
                                                   std::string(YUSUAN_SOURCE_DIR) + "/services/goals/domain/README.md");
}

// The acceptance: goal 1's 20 against 2 + 20 = 22 is a warning with
// both numbers, and the reference has no FATAL finding.
TEST(GoalRuleFixtures, ReferenceWarnsOnGoalOneAndHasNoFatalFinding) {
  const ValidationReport report = ValidateAll(Reference());
  EXPECT_EQ(report.fatal_count(), 0) << Dump(report);
  const Finding* goal1 = nullptr;
  for (const Finding& f : report.findings()) {
    if (f.rule_id() == "V-P2" && f.field() == "goals.department.annualGoals[0].text") goal1 = &f;
  }
  ASSERT_NE(goal1, nullptr) << Dump(report);
  EXPECT_EQ(goal1->severity(), yusuan::common::v1::SEVERITY_WARNING);
  EXPECT_EQ(goal1->expected(), "20 次");
  EXPECT_EQ(goal1->actual(), "22");
  EXPECT_NE(goal1->message_zh().find("2 + 20 = 22"), std::string::npos) << goal1->message_zh();
  EXPECT_NE(goal1->message_en().find("2 + 20 = 22"), std::string::npos) << goal1->message_en();
}

}  // namespace
}  // namespace yusuan::goals
