#include "services/goals/domain/rules.h"

#include <set>

#include "services/common/rule_catalogue.h"
#include "services/goals/domain/rule_catalogue.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/common/testing/rule_fixtures.h"
#include "services/common/testing/sample_filing.h"
#include "services/common/utf8.h"
#include "yusuan/gateway/v1/gateway.pb.h"

namespace yusuan::goals {
namespace {

using yusuan::common::v1::Finding;
using yusuan::common::v1::Severity;
using yusuan::common::v1::SEVERITY_FATAL;
using yusuan::common::v1::SEVERITY_WARNING;
using yusuan::common::v1::ValidationReport;
using yusuan::gateway::v1::Filing;

yusuan::gateway::v1::Filing LoadSample() { return yusuan::testing::SampleFiling(); }

const Finding* Find(const ValidationReport& report, const std::string& rule, const std::string& field) {
  for (const auto& f : report.findings()) {
    if (f.rule_id() == rule && f.field() == field) return &f;
  }
  return nullptr;
}

std::string Dump(const ValidationReport& report) {
  std::string out;
  for (const auto& f : report.findings()) {
    out += Severity_Name(f.severity()) + " " + f.rule_id() + " " + f.message_zh() + "\n";
  }
  return out;
}

// Every finding comes from a rule listed in GoalRules() and the report is
// stamped with the rule set's version.
void ExpectListedRules(const ValidationReport& report) {
  EXPECT_TRUE(UnlistedRuleIds(GoalRules(), report).empty()) << Dump(report);
  for (const auto& f : report.findings()) {
    EXPECT_NE(f.category(), yusuan::common::v1::RULE_CATEGORY_UNSPECIFIED) << f.rule_id();
  }
  EXPECT_EQ(report.rule_set_version(), kRuleSetVersion);
}

void ExpectError(const ValidationReport& report, const std::string& rule, const std::string& field) {
  yusuan::testing::ExpectFatalAt(GoalRules(), report, rule, field);
}

class GoalRulesTest : public ::testing::Test {
 protected:
  void SetUp() override { filing_ = LoadSample(); }
  yusuan::goals::v1::GoalSet& goals() { return *filing_.mutable_goals(); }
  Filing filing_;
};

TEST_F(GoalRulesTest, ReferenceGoalsHaveNoErrors) {
  const ValidationReport report = ValidateGoalSet(filing_.goals());
  EXPECT_EQ(report.fatal_count(), 0) << Dump(report);
  EXPECT_EQ(report.warning_count(), report.findings_size()) << Dump(report);
  ExpectListedRules(report);
}

TEST_F(GoalRulesTest, TheRuleListHasUniqueDescribedIds) {
  std::set<std::string> ids;
  for (const auto& rule : GoalRules()) {
    EXPECT_TRUE(ids.insert(rule.rule_id()).second) << "duplicate " << rule.rule_id();
    EXPECT_FALSE(rule.description_zh().empty()) << rule.rule_id();
    EXPECT_FALSE(rule.description_en().empty()) << rule.rule_id();
    EXPECT_EQ(rule.service(), "goals");
  }
}

// V-P2 adds the quantity targets of a goal; 93 targets of 15 digits
// overflowed int64 (undefined behaviour; confirmed under UBSan by
// tests/fuzz/filing_json_fuzzer). A sum that does not fit compares nothing,
// as in the cross rules.
TEST_F(GoalRulesTest, QuantityTargetsTooLargeToAddAreNotCompared) {
  yusuan::goals::v1::GoalSet goals;
  auto* goal = goals.mutable_department()->add_annual_goals();
  goal->set_seq(1);
  goal->set_text("开展活动 20 次");
  for (int i = 0; i < 93; ++i) {
    auto* indicator = goal->add_indicators();
    indicator->set_level1(yusuan::goals::v1::INDICATOR_LEVEL1_OUTPUT);
    indicator->set_level2(yusuan::goals::v1::INDICATOR_LEVEL2_QUANTITY);
    indicator->set_name("活动");
    indicator->set_target("999999999999999");
  }
  const ValidationReport report = ValidateGoalSet(goals);
  EXPECT_EQ(Find(report, "V-P2", "goals.department.annualGoals[0].text"), nullptr) << Dump(report);
}

TEST_F(GoalRulesTest, ReferenceGoalsGiveTheExpectedWarnings) {
  const ValidationReport report = ValidateGoalSet(filing_.goals());

  // E2: goal 1 says 20 次, its quantity targets are 2 + 20.
  const Finding* vp2 = Find(report, "V-P2", "goals.department.annualGoals[0].text");
  ASSERT_NE(vp2, nullptr) << Dump(report);
  EXPECT_EQ(vp2->severity(), SEVERITY_WARNING);
  EXPECT_EQ(vp2->expected(), "20 次");
  EXPECT_EQ(vp2->actual(), "22");
  EXPECT_EQ(vp2->difference(), "2");
  EXPECT_NE(vp2->message_zh().find("2 + 20 = 22"), std::string::npos);
  // Goals 3–8 agree with their text (7 and 8 through their ranges).
  for (int i = 1; i < 8; ++i) {
    EXPECT_EQ(Find(report, "V-P2", "goals.department.annualGoals[" + std::to_string(i) + "].text"), nullptr) << i;
  }

  // E5: "每年设定相关绩效目标" is not a value; 本单位自统指标 is not a standard.
  for (int k = 0; k < 3; ++k) {
    const std::string path = "goals.department.longTermIndicators[" + std::to_string(k) + "]";
    EXPECT_NE(Find(report, "V-VALUE", path + ".target"), nullptr) << Dump(report);
    EXPECT_NE(Find(report, "V-P4-NOTE", path + ".standardNote"), nullptr);
  }
  const Finding* source = Find(report, "V-P4-NOTE", "goals.department.annualGoals[0].indicators[0].standardNote");
  ASSERT_NE(source, nullptr);
  EXPECT_NE(source->message_en().find("本单位自统指标 is a data source, not a standard"), std::string::npos);
  EXPECT_NE(Find(report, "V-P4-NOTE", "goals.department.longTermIndicators[3].standardNote"), nullptr);

  // E3: goals 7 and 8 state ranges (1-2 个, 3-4 个) over single values (2, 4).
  const Finding* range = Find(report, "V-GOAL-RANGE", "goals.department.annualGoals[6].text");
  ASSERT_NE(range, nullptr) << Dump(report);
  EXPECT_EQ(range->severity(), SEVERITY_WARNING);
  EXPECT_EQ(range->actual(), "1-2 个");
  EXPECT_EQ(range->expected(), "2");
  EXPECT_NE(Find(report, "V-GOAL-RANGE", "goals.department.annualGoals[7].text"), nullptr);
  EXPECT_EQ(Find(report, "V-GOAL-RANGE", "goals.department.annualGoals[0].text"), nullptr);

  // E20: 活动完成率 filed under 时效指标.
  const Finding* placement = Find(report, "V-IND-PLACEMENT", "goals.department.longTermIndicators[3].level2");
  ASSERT_NE(placement, nullptr) << Dump(report);
  EXPECT_NE(placement->message_zh().find("活动完成率"), std::string::npos);

  // 2021 uses the 88号 framework, which the reference follows.
  for (const Finding& f : report.findings()) EXPECT_NE(f.rule_id(), "V-IND-FRAMEWORK") << f.field();

  // E22: 助推星级社区 4 against 8 / 8 while 效益 promises 逐年提升.
  const Finding* trend = Find(report, "V-TREND", "goals.department.annualGoals[7].indicators[0].target");
  ASSERT_NE(trend, nullptr) << Dump(report);
  EXPECT_EQ(trend->expected(), "≥ 8");
  EXPECT_EQ(trend->actual(), "4");
  // 20 against 20 / 30 is not below both years.
  EXPECT_EQ(Find(report, "V-TREND", "goals.department.annualGoals[0].indicators[1].target"), nullptr);

  // What the reference does right produces nothing.
  for (const auto& f : report.findings()) {
    EXPECT_NE(f.rule_id(), "V-P1") << f.message_zh();
    EXPECT_NE(f.rule_id(), "V-P3") << f.message_zh();
    EXPECT_NE(f.rule_id(), "V-P5") << f.message_zh();
    EXPECT_NE(f.rule_id(), "V-IND-LEVEL") << f.message_zh();
  }
}

TEST_F(GoalRulesTest, MissingIndicatorNameIsAnError) {
  goals().mutable_department()->mutable_annual_goals(0)->mutable_indicators(1)->clear_name();
  ExpectError(ValidateGoalSet(goals()), "V-FIELD-REQUIRED", "goals.department.annualGoals[0].indicators[1].name");
}

TEST_F(GoalRulesTest, MissingLevelsAndStandardAreErrors) {
  auto* ind = goals().mutable_department()->mutable_annual_goals(2)->mutable_indicators(0);
  ind->clear_level1();
  ind->clear_standard();
  auto* lt = goals().mutable_department()->mutable_long_term_indicators(4);
  lt->clear_level2();
  const ValidationReport report = ValidateGoalSet(goals());
  ExpectError(report, "V-FIELD-REQUIRED", "goals.department.annualGoals[2].indicators[0].level1");
  ExpectError(report, "V-P4", "goals.department.annualGoals[2].indicators[0].standard");
  ExpectError(report, "V-FIELD-REQUIRED", "goals.department.longTermIndicators[4].level2");
}

TEST_F(GoalRulesTest, InvalidUtf8InAGoalTextIsAnError) {
  goals().mutable_department()->mutable_annual_goals(2)->set_text("开展\xe7\xa7活动 6次");
  ExpectError(ValidateGoalSet(goals()), "V-UTF8", "goals.department.annualGoals[2].text");
}

TEST_F(GoalRulesTest, BrokenBytesNeverReachTheMessages) {
  auto* star = goals().mutable_department()->mutable_annual_goals(7)->mutable_indicators(0);
  star->set_name("助推\xff星级社区");         // quoted by V-TREND
  star->set_standard_note("本单位\xc0统计");  // quoted by V-P4
  goals().mutable_projects(1)->set_project_id("P\xfe");
  const ValidationReport own = ValidateGoalSet(goals());
  ExpectError(own, "V-UTF8", "goals.department.annualGoals[7].indicators[0].name");
  ExpectError(own, "V-UTF8", "goals.department.annualGoals[7].indicators[0].standardNote");
  ExpectError(own, "V-UTF8", "goals.projects[1].projectId");
  ASSERT_NE(Find(own, "V-TREND", "goals.department.annualGoals[7].indicators[0].target"), nullptr);
  for (const auto& f : own.findings()) {
    for (const std::string* text :
         {&f.message_zh(), &f.message_en(), &f.hint(), &f.expected(), &f.actual(), &f.field()}) {
      EXPECT_TRUE(yusuan::IsValidUtf8(*text)) << f.rule_id() << " " << f.field();
    }
  }
  ValidationReport parsed;
  EXPECT_TRUE(parsed.ParseFromString(own.SerializeAsString()));
}

TEST_F(GoalRulesTest, Level2OutsideLevel1IsAnError) {
  goals().mutable_department()->mutable_annual_goals(1)->mutable_indicators(1)->set_level2(
      yusuan::goals::v1::INDICATOR_LEVEL2_QUANTITY);  // under 效益
  const ValidationReport report = ValidateGoalSet(goals());
  ExpectError(report, "V-IND-LEVEL", "goals.department.annualGoals[1].indicators[1].level2");
  EXPECT_NE(Find(report, "V-IND-LEVEL", "goals.department.annualGoals[1].indicators[1].level2")
                ->message_zh()
                .find("二级指标「数量指标」不属于一级指标「效益指标」"),
            std::string::npos);
}

TEST_F(GoalRulesTest, RequiredStructure) {
  goals().clear_fiscal_year();
  goals().mutable_department()->mutable_annual_goals(4)->clear_text();
  ValidationReport report = ValidateGoalSet(goals());
  ExpectError(report, "V-FIELD-REQUIRED", "goals.fiscalYear");
  ExpectError(report, "V-FIELD-REQUIRED", "goals.department.annualGoals[4].text");

  goals().mutable_department()->clear_annual_goals();
  ExpectError(ValidateGoalSet(goals()), "V-FIELD-REQUIRED", "goals.department.annualGoals");

  goals().clear_department();
  ExpectError(ValidateGoalSet(goals()), "V-FIELD-REQUIRED", "goals.department");
}

TEST_F(GoalRulesTest, GoalWithoutOutcomeIndicatorIsWarned) {
  auto* goal = goals().mutable_department()->mutable_annual_goals(3);
  goal->mutable_indicators()->DeleteSubrange(1, 2);  // keep only the 数量 row
  const ValidationReport report = ValidateGoalSet(goals());
  const Finding* f = Find(report, "V-P1", "goals.department.annualGoals[3].indicators");
  ASSERT_NE(f, nullptr) << Dump(report);
  EXPECT_EQ(f->severity(), SEVERITY_WARNING);
  EXPECT_EQ(report.fatal_count(), 0);
}

TEST_F(GoalRulesTest, QuantityOutsideTheStatedRangeIsWarned) {
  // Goal 7 says 1-2 个: 2 is inside, 3 is not.
  goals().mutable_department()->mutable_annual_goals(6)->mutable_indicators(0)->set_target("3");
  const ValidationReport report = ValidateGoalSet(goals());
  const Finding* f = Find(report, "V-P2", "goals.department.annualGoals[6].text");
  ASSERT_NE(f, nullptr) << Dump(report);
  EXPECT_EQ(f->expected(), "1-2 个");
  EXPECT_EQ(f->actual(), "3");
}

TEST_F(GoalRulesTest, SatisfactionMustBeAPercentage) {
  goals().mutable_department()->mutable_annual_goals(0)->mutable_indicators(3)->set_target("较高");
  const ValidationReport report = ValidateGoalSet(goals());
  EXPECT_NE(Find(report, "V-P3", "goals.department.annualGoals[0].indicators[3].target"), nullptr) << Dump(report);
}

TEST_F(GoalRulesTest, EmptyHistoryValueIsWarned) {
  goals().mutable_department()->mutable_annual_goals(0)->mutable_indicators(0)->mutable_history(1)->clear_value();
  const ValidationReport report = ValidateGoalSet(goals());
  const Finding* f = Find(report, "V-P5", "goals.department.annualGoals[0].indicators[0].history[1].value");
  ASSERT_NE(f, nullptr) << Dump(report);
  EXPECT_EQ(f->severity(), SEVERITY_WARNING);
}

TEST_F(GoalRulesTest, ProjectWithTwoSheetsIsAnError) {
  *goals().add_projects() = goals().projects(0);
  ExpectError(ValidateGoalSet(goals()), "V-PROJECT-DUPLICATE", "goals.projects[2].projectId");
}

TEST_F(GoalRulesTest, CountersAreTallied) {
  goals().mutable_department()->mutable_annual_goals(0)->mutable_indicators(0)->clear_name();
  const ValidationReport report = ValidateGoalSet(goals());
  int errors = 0, warnings = 0;
  for (const auto& f : report.findings()) {
    errors += f.severity() == SEVERITY_FATAL;
    warnings += f.severity() == SEVERITY_WARNING;
  }
  EXPECT_EQ(report.fatal_count(), errors);
  EXPECT_EQ(report.warning_count(), warnings);
  EXPECT_EQ(errors, 1);
}

}  // namespace
}  // namespace yusuan::goals

namespace yusuan::goals {
namespace {

// Issue 11 (D13a): deadlines and qualities written in words are values of
// 时效 and 质量 indicators; a malformed number still is not.
TEST_F(GoalRulesTest, TargetsInWordsAreValuesMalformedNumbersAreNot) {
  auto* indicators = goals().mutable_department()->mutable_annual_goals(0)->mutable_indicators();
  const std::vector<std::string> words = {"每季度首月底前", "年底前", "及时", "按规定时限办结", "随到随办"};
  const std::vector<std::string> malformed = {"≥", "≤95%以上", "4-2 个", "开展活动若干", "%"};
  for (const std::string& target : words) {
    indicators->Mutable(0)->set_target(target);
    const ValidationReport report = ValidateGoalSet(filing_.goals());
    EXPECT_EQ(Find(report, "V-VALUE", "goals.department.annualGoals[0].indicators[0].target"), nullptr)
        << target << "\n"
        << Dump(report);
  }
  for (const std::string& target : malformed) {
    indicators->Mutable(0)->set_target(target);
    const ValidationReport report = ValidateGoalSet(filing_.goals());
    EXPECT_NE(Find(report, "V-VALUE", "goals.department.annualGoals[0].indicators[0].target"), nullptr)
        << target << "\n"
        << Dump(report);
  }
}

}  // namespace
}  // namespace yusuan::goals
