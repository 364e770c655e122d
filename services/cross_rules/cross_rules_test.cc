// The goals ↔ ledger rules (cross_rules.h), run through
// ValidateGoalsAgainstBudget as the gateway runs them: the reference filing
// passes each of them, and the reference with one change fails it with the
// rule id, field, location and figures.
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/common/rule_catalogue.h"
#include "services/common/testing/rule_fixtures.h"
#include "services/common/testing/sample_filing.h"
#include "services/common/utf8.h"
#include "services/cross_rules/cross_rules.h"
#include "services/cross_rules/rule_catalogue.h"
#include "services/goals/domain/rule_catalogue.h"
#include "yusuan/gateway/v1/gateway.pb.h"

namespace yusuan::cross_rules {
namespace {

using yusuan::common::v1::Finding;
using yusuan::common::v1::Severity;
using yusuan::common::v1::SEVERITY_FATAL;
using yusuan::common::v1::SEVERITY_WARNING;
using yusuan::common::v1::ValidationReport;
using yusuan::gateway::v1::Filing;

constexpr int64_t kYuan = 100;       // 分 per 元
constexpr int64_t kWan = 1'000'000;  // 分 per 万元

Filing LoadSample() { return yusuan::testing::SampleFiling(); }

std::string Dump(const ValidationReport& report) {
  std::string out;
  for (const auto& f : report.findings()) {
    out += Severity_Name(f.severity()) + " " + f.rule_id() + " " + f.message_zh() + " [" + f.expected() + " | " +
           f.actual() + " | " + f.difference() + "]\n";
  }
  return out;
}

std::vector<const Finding*> WithRule(const ValidationReport& report, const std::string& rule) {
  std::vector<const Finding*> out;
  for (const auto& f : report.findings()) {
    if (f.rule_id() == rule) out.push_back(&f);
  }
  return out;
}

struct Expected {
  std::string rule;
  Severity severity;
  std::string field;
  int table;
  std::string row;
  std::string column;
  std::string expected;
  std::string actual;
  std::string difference;
};

// The report has exactly one finding of `e.rule`, and it is `e`: field,
// severity, location and figures; its messages start with the field and the
// rule is listed with a category.
void ExpectOnly(const ValidationReport& report, const Expected& e) {
  const std::vector<const Finding*> found = WithRule(report, e.rule);
  ASSERT_EQ(found.size(), 1u) << Dump(report);
  const Finding& f = *found[0];
  EXPECT_EQ(f.field(), e.field);
  EXPECT_EQ(f.severity(), e.severity);
  EXPECT_EQ(f.location().table(), e.table);
  EXPECT_EQ(f.location().row(), e.row);
  EXPECT_EQ(f.location().column(), e.column);
  EXPECT_EQ(f.expected(), e.expected);
  EXPECT_EQ(f.actual(), e.actual);
  EXPECT_EQ(f.difference(), e.difference);
  EXPECT_EQ(f.message_zh().rfind(e.field, 0), 0u) << f.message_zh();
  EXPECT_EQ(f.message_en().rfind(e.field, 0), 0u) << f.message_en();
  EXPECT_FALSE(f.hint().empty());
  EXPECT_NE(f.category(), yusuan::common::v1::RULE_CATEGORY_UNSPECIFIED);
  EXPECT_TRUE(UnlistedRuleIds(CrossRules(), report).empty()) << Dump(report);
  EXPECT_EQ(report.rule_set_version(), kRuleSetVersion);
  if (e.severity == SEVERITY_FATAL) {
    EXPECT_GE(report.fatal_count(), 1);
  } else {
    EXPECT_EQ(report.fatal_count(), 0) << Dump(report);
  }
}

class CrossRulesTest : public ::testing::Test {
 protected:
  void SetUp() override { filing_ = LoadSample(); }
  ValidationReport Run() const { return ValidateGoalsAgainstBudget(filing_.goals(), filing_.budget()); }
  yusuan::goals::v1::ProjectGoalSheet& sheet(int j) { return *filing_.mutable_goals()->mutable_projects(j); }
  yusuan::goals::v1::DepartmentFunds& funds() {
    return *filing_.mutable_goals()->mutable_department()->mutable_funds();
  }
  Filing filing_;
};

// ---------------------------------------------------------------- must pass

TEST_F(CrossRulesTest, ReferenceStatesItsAmountsAndPassesEveryCrossRule) {
  // The sample states every 表10 amount and the 表9 funds block …
  for (int j = 0; j < 2; ++j) {
    const auto& s = filing_.goals().projects(j);
    const auto& p = filing_.budget().projects(j);
    ASSERT_TRUE(s.has_total_fen() && s.has_total_fiscal_fen() && s.has_total_other_fen() && s.has_year_total_fen() &&
                s.has_year_fiscal_fen() && s.has_year_other_fen());
    EXPECT_EQ(s.year_fiscal_fen(), p.year_fiscal_fen());
  }
  EXPECT_EQ(filing_.goals().projects(0).year_fiscal_fen(), 2'380'000 * kYuan);
  EXPECT_EQ(filing_.goals().projects(1).year_fiscal_fen(), 208'000 * kYuan);
  ASSERT_TRUE(filing_.goals().department().has_funds());
  // … so the cross rules have something to check, and find nothing.
  const ValidationReport report = Run();
  EXPECT_EQ(report.findings_size(), 0) << Dump(report);
}

TEST_F(CrossRulesTest, NewRulesAreListed) {
  for (const char* id : {"X-GOALS-AMOUNT", "X-GOALS-AMOUNT-UNSTATED", "X21", "X23"}) {
    bool listed = false;
    for (const auto& rule : CrossRules()) listed = listed || rule.rule_id() == id;
    EXPECT_TRUE(listed) << id;
  }
}

// ---------------------------------------------------------------- X-GOALS-AMOUNT

TEST_F(CrossRulesTest, SheetYearFiscalOneYuanOffIsFatal) {
  sheet(0).set_year_fiscal_fen(sheet(0).year_fiscal_fen() + 1 * kYuan);
  const ValidationReport report = Run();
  ExpectOnly(report, {"X-GOALS-AMOUNT", SEVERITY_FATAL, "goals.projects[0].yearFiscalFen", 10,
                      "P2021-001 科普经费（青山区）", "当年财政拨款", "2380000.00 元", "2380001.00 元", "1.00 元"});
  EXPECT_EQ(report.findings_size(), 1) << Dump(report);
  const Finding& f = report.findings(0);
  for (const std::string* text : {&f.message_zh(), &f.message_en()}) {
    EXPECT_NE(text->find("P2021-001"), std::string::npos) << *text;
    EXPECT_NE(text->find("科普经费（青山区）"), std::string::npos) << *text;
  }
  EXPECT_NE(f.message_zh().find("当年财政拨款"), std::string::npos) << f.message_zh();
  EXPECT_NE(f.message_en().find("budget.projects[0].yearFiscalFen"), std::string::npos) << f.message_en();
}

TEST_F(CrossRulesTest, EveryStatedSheetAmountIsCheckedAgainstTheLedger) {
  struct Cell {
    const char* json;
    const char* column;
    void (yusuan::goals::v1::ProjectGoalSheet::*set)(int64_t);
  };
  using S = yusuan::goals::v1::ProjectGoalSheet;
  const std::vector<Cell> cells = {
      {"totalFen", "资金总额", &S::set_total_fen},
      {"totalFiscalFen", "财政拨款", &S::set_total_fiscal_fen},
      {"totalOtherFen", "其他资金", &S::set_total_other_fen},
      {"yearTotalFen", "当年资金总额", &S::set_year_total_fen},
      {"yearFiscalFen", "当年财政拨款", &S::set_year_fiscal_fen},
      {"yearOtherFen", "当年其他资金", &S::set_year_other_fen},
  };
  const bool other[] = {false, false, true, false, false, true};
  for (size_t c = 0; c < cells.size(); ++c) {
    SCOPED_TRACE(cells[c].json);
    SetUp();
    // 208,000.00 元 → 207,999.99 元 (the other funds: 0 → 0.01 元).
    (sheet(1).*cells[c].set)(other[c] ? 1 : 208'000 * kYuan - 1);
    ExpectOnly(Run(), {"X-GOALS-AMOUNT", SEVERITY_FATAL, std::string("goals.projects[1].") + cells[c].json, 10,
                       "P2021-002 科普经费（化工区）", cells[c].column, other[c] ? "0.00 元" : "208000.00 元",
                       other[c] ? "0.01 元" : "207999.99 元", other[c] ? "0.01 元" : "-0.01 元"});
  }
}

TEST_F(CrossRulesTest, SheetYearFiscalMustEqualTheProjectsFiscalLines) {
  // The ledger's project says 208,000.00 元 of fiscal money, but one of its
  // lines (30202, 18,650.00 元) is paid from 事业收入: the lines still add up
  // to the project's total (R-T10-4 holds), yet only 189,350.00 元 is fiscal.
  bool moved = false;
  for (auto& line : *filing_.mutable_budget()->mutable_expenditure_lines()) {
    if (line.project_id() == "P2021-002" && line.economic_code() == "30202") {
      ASSERT_EQ(line.amount_fen(), 18'650 * kYuan);
      line.set_fund_source(yusuan::ledger::v1::FUND_SOURCE_INSTITUTION_REVENUE);
      moved = true;
    }
  }
  ASSERT_TRUE(moved);
  const ValidationReport report = Run();
  ExpectOnly(report, {"X-GOALS-AMOUNT", SEVERITY_FATAL, "goals.projects[1].yearFiscalFen", 10,
                      "P2021-002 科普经费（化工区）", "当年财政拨款", "189350.00 元", "208000.00 元", "18650.00 元"});
  EXPECT_NE(report.findings(0).message_en().find("expenditure lines"), std::string::npos);
}

TEST_F(CrossRulesTest, ALedgerProjectAtOddsWithItsLinesIsLeftToTheLedger) {
  // R-T10-4's break: the ledger's project (and the sheet, which follows it)
  // 1 元 above its lines. The ledger refuses it; the cross rule does not
  // repeat it.
  auto* p = filing_.mutable_budget()->mutable_projects(0);
  sheet(0).set_year_total_fen(p->year_total_fen() + 100);
  sheet(0).set_year_fiscal_fen(p->year_fiscal_fen() + 100);
  sheet(0).set_total_fen(p->total_fen() + 100);
  sheet(0).set_total_fiscal_fen(p->total_fiscal_fen() + 100);
  p->set_year_total_fen(p->year_total_fen() + 100);
  p->set_year_fiscal_fen(p->year_fiscal_fen() + 100);
  p->set_total_fen(p->total_fen() + 100);
  p->set_total_fiscal_fen(p->total_fiscal_fen() + 100);
  const ValidationReport report = Run();
  EXPECT_EQ(report.findings_size(), 0) << Dump(report);
}

TEST_F(CrossRulesTest, ASheetWithoutAmountsIsWarnedThatTheFormPrintsTheLedgers) {
  for (auto clear : {&yusuan::goals::v1::ProjectGoalSheet::clear_total_fen,
                     &yusuan::goals::v1::ProjectGoalSheet::clear_total_fiscal_fen,
                     &yusuan::goals::v1::ProjectGoalSheet::clear_total_other_fen,
                     &yusuan::goals::v1::ProjectGoalSheet::clear_year_total_fen,
                     &yusuan::goals::v1::ProjectGoalSheet::clear_year_fiscal_fen,
                     &yusuan::goals::v1::ProjectGoalSheet::clear_year_other_fen}) {
    (sheet(1).*clear)();
  }
  const ValidationReport report = Run();
  ExpectOnly(report, {"X-GOALS-AMOUNT-UNSTATED", SEVERITY_WARNING, "goals.projects[1]", 10,
                      "P2021-002 科普经费（化工区）", "项目资金", "", "", ""});
  EXPECT_EQ(report.findings_size(), 1) << Dump(report);
  EXPECT_NE(report.findings(0).message_zh().find("当年财政拨款 208000.00 元"), std::string::npos)
      << report.findings(0).message_zh();
  EXPECT_NE(report.findings(0).message_en().find("yearFiscalFen 208000.00 元"), std::string::npos)
      << report.findings(0).message_en();
}

TEST_F(CrossRulesTest, OneUnstatedAmountIsWarnedAtItsField) {
  sheet(0).clear_year_other_fen();
  ExpectOnly(Run(), {"X-GOALS-AMOUNT-UNSTATED", SEVERITY_WARNING, "goals.projects[0].yearOtherFen", 10,
                     "P2021-001 科普经费（青山区）", "当年其他资金", "", "", ""});
}

TEST_F(CrossRulesTest, AStatedZeroIsAStatement) {
  sheet(0).set_year_fiscal_fen(0);
  ExpectOnly(Run(), {"X-GOALS-AMOUNT", SEVERITY_FATAL, "goals.projects[0].yearFiscalFen", 10,
                     "P2021-001 科普经费（青山区）", "当年财政拨款", "2380000.00 元", "0.00 元", "-2380000.00 元"});
}

// X23 adds up the sheets only when every project has one: a missing sheet is
// the coverage rule alone.
TEST_F(CrossRulesTest, MissingSheetIsStillTheCoverageRule) {
  filing_.mutable_goals()->mutable_projects()->RemoveLast();
  const ValidationReport report = Run();
  ASSERT_EQ(WithRule(report, "X-GOALS-PROJECT").size(), 1u) << Dump(report);
  EXPECT_EQ(WithRule(report, "X-GOALS-PROJECT")[0]->field(), "budget.projects[1].projectId");
  EXPECT_NE(WithRule(report, "X-GOALS-PROJECT")[0]->message_zh().find("P2021-002"), std::string::npos);
  EXPECT_EQ(WithRule(report, "X-GOALS-PROJECT")[0]->location().table(), 10);
  EXPECT_EQ(WithRule(report, "X-GOALS-PROJECT")[0]->location().row(), "P2021-002 科普经费（化工区）");
  EXPECT_EQ(report.findings_size(), 1) << Dump(report);
}

TEST_F(CrossRulesTest, OnlyAProjectsFirstSheetIsCheckedForAmounts) {
  // A second sheet for P2021-001 (with 化工区's amounts) is the coverage
  // rule's finding, not an amount finding too.
  *filing_.mutable_goals()->add_projects() = filing_.goals().projects(1);
  filing_.mutable_goals()->mutable_projects(2)->set_project_id("P2021-001");
  const ValidationReport report = Run();
  ASSERT_EQ(WithRule(report, "X-GOALS-PROJECT").size(), 1u) << Dump(report);
  EXPECT_EQ(WithRule(report, "X-GOALS-PROJECT")[0]->field(), "goals.projects[2].projectId");
  EXPECT_EQ(report.findings_size(), 1) << Dump(report);
}

// ---------------------------------------------------------------- X21

TEST_F(CrossRulesTest, StatedTable9FundsMustEqualTheLedgers) {
  struct Row {
    const char* json;
    const char* row;
    void (yusuan::goals::v1::DepartmentFunds::*set)(int64_t);
    int64_t reference;  // 分
  };
  using D = yusuan::goals::v1::DepartmentFunds;
  const std::vector<Row> rows = {
      {"incomeTotalFen", "收入合计", &D::set_income_total_fen, 41551 * kWan / 100},
      {"fiscalGrantFen", "财政拨款", &D::set_fiscal_grant_fen, 41551 * kWan / 100},
      {"otherFen", "其他资金", &D::set_other_fen, 0},
      {"expenditureTotalFen", "支出合计", &D::set_expenditure_total_fen, 41551 * kWan / 100},
      {"basicFen", "基本支出", &D::set_basic_fen, 15671 * kWan / 100},
      {"projectFen", "项目支出", &D::set_project_fen, 25880 * kWan / 100},
  };
  const char* shown[] = {"415.51", "415.51", "0.00", "415.51", "156.71", "258.80"};
  const char* plus_one[] = {"416.51", "416.51", "1.00", "416.51", "157.71", "259.80"};
  for (size_t r = 0; r < rows.size(); ++r) {
    SCOPED_TRACE(rows[r].json);
    SetUp();
    (funds().*rows[r].set)(rows[r].reference + kWan);
    ExpectOnly(Run(),
               {"X21", SEVERITY_FATAL, std::string("goals.department.funds.") + rows[r].json, 9, rows[r].row,
                "当年预算收支", std::string(shown[r]) + " 万元", std::string(plus_one[r]) + " 万元", "1.00 万元"});
  }
}

TEST_F(CrossRulesTest, Table9IsComparedAtTheFormsPrecision) {
  // 156.71 万元 + 49.99 元 still prints 156.71; + 50 元 prints 156.72.
  funds().set_basic_fen(15671 * kWan / 100 + 4999);
  EXPECT_EQ(Run().findings_size(), 0) << Dump(Run());
  funds().set_basic_fen(15671 * kWan / 100 + 5000);
  ExpectOnly(Run(), {"X21", SEVERITY_FATAL, "goals.department.funds.basicFen", 9, "基本支出", "当年预算收支",
                     "156.71 万元", "156.72 万元", "0.01 万元"});
}

TEST_F(CrossRulesTest, Table9FollowsTheLedgersLines) {
  // 1 万元 more basic spending in the ledger (balanced by income): the stated
  // 表9 no longer matches 基本支出, 支出合计, 财政拨款 or 收入合计.
  auto* budget = filing_.mutable_budget();
  budget->mutable_expenditure_lines(0)->set_amount_fen(budget->expenditure_lines(0).amount_fen() + kWan);
  budget->mutable_income_lines(0)->set_amount_fen(budget->income_lines(0).amount_fen() + kWan);
  const ValidationReport report = Run();
  std::vector<std::string> fields;
  for (const Finding* f : WithRule(report, "X21")) {
    fields.push_back(f->field());
    EXPECT_EQ(f->difference(), "-1.00 万元") << f->field();
  }
  EXPECT_EQ(fields,
            (std::vector<std::string>{"goals.department.funds.fiscalGrantFen", "goals.department.funds.incomeTotalFen",
                                      "goals.department.funds.basicFen", "goals.department.funds.expenditureTotalFen"}))
      << Dump(report);
}

TEST_F(CrossRulesTest, UnstatedTable9FundsAreNotChecked) {
  filing_.mutable_goals()->mutable_department()->clear_funds();
  EXPECT_EQ(Run().findings_size(), 0);
  funds().set_project_fen(25880 * kWan / 100);  // one figure stated, the rest absent
  EXPECT_EQ(Run().findings_size(), 0) << Dump(Run());
}

// ---------------------------------------------------------------- X23

TEST_F(CrossRulesTest, Table9QuantityMustEqualTheProjectsOfTheSameName) {
  // 助推星级社区: 表9 goal 8 targets 4, the sheets 2 + 2. One sheet says 3.
  auto* star = sheet(1).mutable_annual_indicators(4);
  ASSERT_EQ(star->name(), "助推星级社区");
  ASSERT_EQ(filing_.goals().department().annual_goals(7).indicators(0).name(), "助推星级社区");
  star->set_target("3");
  const ValidationReport report = Run();
  ExpectOnly(report, {"X23", SEVERITY_WARNING, "goals.department.annualGoals[7].indicators[0].target", 9,
                      "助推星级社区", "预期当年实现值", "4", "5", "1"});
  EXPECT_NE(report.findings(0).message_zh().find("2（P2021-001） + 3（P2021-002） = 5"), std::string::npos)
      << report.findings(0).message_zh();
}

TEST_F(CrossRulesTest, Table9RangeAcceptsASumInsideIt) {
  auto* target = filing_.mutable_goals()->mutable_department()->mutable_annual_goals(7)->mutable_indicators(0);
  target->set_target("3-4");
  EXPECT_EQ(Run().findings_size(), 0) << Dump(Run());
  target->set_target("1-3");
  ExpectOnly(Run(), {"X23", SEVERITY_WARNING, "goals.department.annualGoals[7].indicators[0].target", 9, "助推星级社区",
                     "预期当年实现值", "1-3", "4", ""});
}

TEST_F(CrossRulesTest, QuantitiesAreComparedOnlyWhenTheyCanBeAdded) {
  // A qualitative project target makes the sum meaningless; another unit
  // measures something else (表9's unit is the goal text's "3-4 个" when the
  // row has none); a different name is a different indicator.
  sheet(1).mutable_annual_indicators(4)->set_target("较多");
  EXPECT_TRUE(WithRule(Run(), "X23").empty()) << Dump(Run());
  SetUp();
  sheet(1).mutable_annual_indicators(4)->set_unit("家");
  sheet(0).mutable_annual_indicators(4)->set_target("3");
  const ValidationReport report = Run();
  ExpectOnly(report, {"X23", SEVERITY_WARNING, "goals.department.annualGoals[7].indicators[0].target", 9,
                      "助推星级社区", "预期当年实现值", "4", "3", "-1"});
  EXPECT_NE(report.findings(0).message_zh().find("合计 3（P2021-001）"), std::string::npos)
      << report.findings(0).message_zh();
  SetUp();
  for (int j = 0; j < 2; ++j) {
    sheet(j).mutable_annual_indicators(4)->set_name("助推星级社区创建");
    sheet(j).mutable_annual_indicators(4)->set_target("30");
  }
  EXPECT_TRUE(WithRule(Run(), "X23").empty()) << Dump(Run());
  // One sheet without the name contributes nothing to the sum.
  sheet(0).mutable_annual_indicators(4)->set_name("助推星级社区");
  sheet(0).mutable_annual_indicators(4)->set_target("2");
  ExpectOnly(Run(), {"X23", SEVERITY_WARNING, "goals.department.annualGoals[7].indicators[0].target", 9, "助推星级社区",
                     "预期当年实现值", "4", "2", "-2"});
}

// ---------------------------------------------------------------- coverage, year, name

const Finding* Find(const ValidationReport& report, const std::string& rule, const std::string& field) {
  for (const auto& f : report.findings()) {
    if (f.rule_id() == rule && f.field() == field) return &f;
  }
  return nullptr;
}

void ExpectError(const ValidationReport& report, const std::string& rule, const std::string& field) {
  yusuan::testing::ExpectFatalAt(CrossRules(), report, rule, field);
}

TEST_F(CrossRulesTest, ReferenceGoalsMatchTheBudget) {
  const ValidationReport report = Run();
  EXPECT_EQ(report.findings_size(), 0) << Dump(report);
}

TEST_F(CrossRulesTest, ProjectSheetForAnUnknownProjectIsAnError) {
  auto* extra = filing_.mutable_goals()->add_projects();
  *extra = sheet(0);
  extra->set_project_id("P2021-999");
  ExpectError(Run(), "X-GOALS-PROJECT", "goals.projects[2].projectId");
}

TEST_F(CrossRulesTest, ProjectWithoutSheetIsAnError) {
  filing_.mutable_goals()->mutable_projects()->RemoveLast();
  ExpectError(Run(), "X-GOALS-PROJECT", "budget.projects[1].projectId");
}

TEST_F(CrossRulesTest, ProjectWithTwoSheetsIsAnError) {
  *filing_.mutable_goals()->add_projects() = sheet(0);
  ExpectError(Run(), "X-GOALS-PROJECT", "goals.projects[2].projectId");
}

TEST_F(CrossRulesTest, FiscalYearMustMatchTheBudget) {
  filing_.mutable_goals()->set_fiscal_year(2020);
  const ValidationReport report = Run();
  ExpectError(report, "X-GOALS-YEAR", "goals.fiscalYear");
  EXPECT_EQ(Find(report, "X-GOALS-YEAR", "goals.fiscalYear")->expected(), "2021");
}

TEST_F(CrossRulesTest, GoalsMustBelongToTheBudget) {
  filing_.mutable_goals()->set_name("regions/420107/departments/005001023/budgets/2021/goals");
  ExpectError(Run(), "X-GOALS-NAME", "goals.name");
}

TEST_F(CrossRulesTest, BrokenBytesNeverReachTheMessages) {
  sheet(1).set_project_id("P\xfe");  // quoted by X-GOALS-PROJECT
  const ValidationReport report = Run();
  ExpectError(report, "X-GOALS-PROJECT", "goals.projects[1].projectId");
  for (const auto& f : report.findings()) {
    for (const std::string* text :
         {&f.message_zh(), &f.message_en(), &f.hint(), &f.expected(), &f.actual(), &f.field()}) {
      EXPECT_TRUE(yusuan::IsValidUtf8(*text)) << f.rule_id() << " " << f.field();
    }
  }
  ValidationReport parsed;
  EXPECT_TRUE(parsed.ParseFromString(report.SerializeAsString()));
}

TEST(CrossRuleList, UniqueDescribedIdsOfTheGateway) {
  std::set<std::string> ids;
  for (const auto& rule : CrossRules()) {
    EXPECT_TRUE(ids.insert(rule.rule_id()).second) << "duplicate " << rule.rule_id();
    EXPECT_FALSE(rule.description_zh().empty()) << rule.rule_id();
    EXPECT_FALSE(rule.description_en().empty()) << rule.rule_id();
    EXPECT_EQ(rule.service(), "gateway") << rule.rule_id();
  }
  // None is also a goals service rule: the goals service never sees a budget.
  for (const auto& rule : yusuan::goals::GoalRules()) EXPECT_EQ(ids.count(rule.rule_id()), 0u) << rule.rule_id();
}

}  // namespace
}  // namespace yusuan::cross_rules
