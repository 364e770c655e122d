#include "services/report/domain/narrative.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/report/domain/testdata_departments.h"

namespace yusuan::report {
namespace {

using testdata::ReferenceReportInput;
using testdata::W;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

std::string Joined(const NarrativeItem& item) {
  std::string all;
  for (const auto& p : item.paragraphs) all += p + "\n";
  return all;
}

// ---------------------------------------------------------------- helpers

TEST(CompareWithPriorBudget, IncreaseNamesThePriorYearAndTheRate) {
  EXPECT_EQ(CompareWithPriorBudget(W(41551), W(40722), 2020), "比 2020 年预算增加 8.29 万元，增长 2.04%");
}

TEST(CompareWithPriorBudget, Decrease) {
  EXPECT_EQ(CompareWithPriorBudget(W(41551), W(42000), 2020), "比 2020 年预算减少 4.49 万元，下降 1.07%");
}

TEST(CompareWithPriorBudget, FlatComparesDisplayedFigures) {
  EXPECT_EQ(CompareWithPriorBudget(W(41551), W(41551), 2020), "与上年持平");
  // 415.514999 and 415.505 万元 both display as 415.51: equal for a reader.
  EXPECT_EQ(CompareWithPriorBudget(415'514'999, 415'505'000, 2020), "与上年持平");
}

TEST(CompareWithPriorBudget, NewHasNoRate) {
  EXPECT_EQ(CompareWithPriorBudget(W(41551), 0, 2020), "比 2020 年预算新增 415.51 万元");
}

TEST(CompareWithPriorBudget, NoPriorYear) {
  EXPECT_EQ(CompareWithPriorBudget(W(41551), std::nullopt, 2020), "上年无可比预算数");
}

TEST(CompareWithPriorYear, WordsAndAbsentPrior) {
  EXPECT_EQ(CompareWithPriorYear(W(200), W(220)), "比上年减少 0.20 万元，下降 9.09%");
  EXPECT_EQ(CompareWithPriorYear(W(200), W(200)), "与上年持平");
  EXPECT_EQ(CompareWithPriorYear(W(200), std::nullopt), "");
}

TEST(ReasonClause, TrimsTrailingPunctuation) {
  EXPECT_EQ(ReasonClause("新增在职人员一人；"), "，主要是新增在职人员一人");
  EXPECT_EQ(ReasonClause("新增在职人员一人。 "), "，主要是新增在职人员一人");
  EXPECT_EQ(ReasonClause("  "), "");
}

TEST(UnitNature, FundingFormPlusUnitType) {
  EXPECT_EQ(UnitNature(ledger::v1::FUNDING_FORM_FULL, ledger::v1::UNIT_TYPE_CIVIL_SERVANT_MANAGED_INSTITUTION),
            "全额拨款参公事业单位");
  EXPECT_EQ(UnitNature(ledger::v1::FUNDING_FORM_PARTIAL, ledger::v1::UNIT_TYPE_PUBLIC_INSTITUTION), "差额拨款事业单位");
  EXPECT_EQ(UnitNature(ledger::v1::FUNDING_FORM_FULL, ledger::v1::UNIT_TYPE_ADMINISTRATIVE), "全额拨款行政单位");
}

TEST(ChineseDate, IsoDateOrUnchanged) {
  EXPECT_EQ(ChineseDate("2021-01-27"), "2021 年 1 月 27 日");
  EXPECT_EQ(ChineseDate("2021年1月"), "2021年1月");
}

// ---------------------------------------------------------------- 第一部分

TEST(PartOne, UnitComposition) {
  const auto input = ReferenceReportInput();
  EXPECT_EQ(UnitComposition(input.department()),
            "武汉市青山区科学技术协会属全额拨款参公事业单位，内设 1 个职能科室："
            "办公室（挂科学普及部牌子），无二级单位。");
}

TEST(PartOne, UnitCompositionWithSecondaryUnits) {
  auto input = ReferenceReportInput();
  auto* dept = input.mutable_department();
  dept->add_internal_offices("财务科");
  dept->add_secondary_units()->set_name("青山区科技馆");
  EXPECT_EQ(UnitComposition(*dept),
            "武汉市青山区科学技术协会属全额拨款参公事业单位，内设 2 个职能科室："
            "办公室（挂科学普及部牌子）、财务科，下属二级单位 1 个：青山区科技馆。");
}

TEST(PartOne, StaffComposition) {
  auto input = ReferenceReportInput();
  EXPECT_THAT(StaffComposition(input.department()), ElementsAre("区科协总编制人数 5 人(其中：参照公务员法管理 5 人)。"
                                                                "在职实有人数 4 人。",
                                                                "离退休人员 8 人，其中：离休 0 人，退休 8 人。"));
  auto* quota = input.mutable_department()->mutable_staffing()->add_quotas();
  quota->set_kind(ledger::v1::ESTABLISHMENT_KIND_LOGISTICS);
  quota->set_count(2);
  input.mutable_department()->mutable_staffing()->set_retired_before_1949(1);
  EXPECT_THAT(StaffComposition(input.department()), ElementsAre("区科协总编制人数 7 人(其中：参照公务员法管理 5 人，"
                                                                "工勤编制 2 人)。在职实有人数 4 人。",
                                                                "离退休人员 9 人，其中：离休 1 人，退休 8 人。"));
}

// ---------------------------------------------------------------- 一、二、三

TEST(FiscalOverview, Reference) {
  const NarrativeItem item = FiscalOverview(ReferenceReportInput());
  EXPECT_EQ(item.heading, "一、财政拨款收支预算总体情况");
  EXPECT_THAT(item.paragraphs, ElementsAre("2021 年财政拨款收支总预算 415.51 万元。收入包括："
                                           "一般公共预算财政拨款本年收入 415.51 万元。支出包括："
                                           "基本支出 156.71 万元，项目支出 258.80 万元。"));
}

TEST(GeneralBudgetSpending, IncreaseAgainstThePriorYearBudget) {
  const NarrativeItem item = GeneralBudgetSpending(ReferenceReportInput());
  ASSERT_FALSE(item.paragraphs.empty());
  EXPECT_EQ(item.paragraphs[0],
            "2021 年一般公共预算支出预算 415.51 万元。其中：(1)本年预算 415.51 "
            "万元，比 2020 年预算增加 8.29 万元，增长 2.04%，主要是本年度基本支出"
            "中新增在职人员一人；(2)上年无结转。具体安排情况如下：");
  // The reference document's wrong comparison (E1) must never come back.
  EXPECT_THAT(Joined(item), Not(HasSubstr("206.19")));
  EXPECT_THAT(Joined(item), Not(HasSubstr("2019")));
}

TEST(GeneralBudgetSpending, Decrease) {
  auto input = ReferenceReportInput();
  input.mutable_budget()->mutable_prior_years()->set_general_budget_fen(W(42000));
  EXPECT_THAT(GeneralBudgetSpending(input).paragraphs[0],
              HasSubstr("本年预算 415.51 万元，比 2020 年预算减少 4.49 万元，下降 "
                        "1.07%，主要是"));
}

TEST(GeneralBudgetSpending, FlatNeedsNoReason) {
  auto input = ReferenceReportInput();
  input.mutable_budget()->mutable_prior_years()->set_general_budget_fen(W(41551));
  const std::string p = GeneralBudgetSpending(input).paragraphs[0];
  EXPECT_THAT(p, HasSubstr("本年预算 415.51 万元，与上年持平；(2)上年无结转"));
  EXPECT_THAT(p, Not(HasSubstr("主要是")));
}

TEST(GeneralBudgetSpending, NewHasNoRate) {
  auto input = ReferenceReportInput();
  input.mutable_budget()->mutable_prior_years()->set_general_budget_fen(0);
  const std::string p = GeneralBudgetSpending(input).paragraphs[0];
  EXPECT_THAT(p, HasSubstr("比 2020 年预算新增 415.51 万元，主要是本年度基本支出"
                           "中新增在职人员一人；"));
  EXPECT_THAT(p, Not(HasSubstr("%")));
}

TEST(GeneralBudgetSpending, NoPriorYear) {
  auto input = ReferenceReportInput();
  input.mutable_budget()->mutable_prior_years()->clear_general_budget_fen();
  const std::string p = GeneralBudgetSpending(input).paragraphs[0];
  EXPECT_THAT(p, HasSubstr("本年预算 415.51 万元，上年无可比预算数；"));
  EXPECT_THAT(p, Not(HasSubstr("主要是")));
}

TEST(GeneralBudgetSpending, CarryoverAndProjects) {
  auto input = ReferenceReportInput();
  const NarrativeItem item = GeneralBudgetSpending(input);
  EXPECT_THAT(item.paragraphs, ElementsAre(HasSubstr("具体安排情况如下："),
                                           "(一)基本支出 156.71 万元，主要用于人员经费(工资福利支出、"
                                           "对个人和家庭补助支出)、公用经费(商品和服务支出)。",
                                           "(二)项目支出 258.80 万元。", "一般行政管理事务 258.80 万元。其中：",
                                           "科普经费（青山区） 238.00 万元，主要用于青山区：开展科普活动，"
                                           "维护科普阵地，科普信息化建设，提高全民科学素质等方面。",
                                           "科普经费（化工区） 20.80 万元，主要用于化工区：开展科普活动，"
                                           "维护科普阵地，科普信息化建设，提高全民科学素质等方面。"));
  input.mutable_tables()->mutable_summary()->set_general_carryover_fen(W(1234));
  EXPECT_THAT(GeneralBudgetSpending(input).paragraphs[0], HasSubstr("(2)上年结转 12.34 万元。"));
}

TEST(GeneralBasicSpending, ClassesAndItemNames) {
  const NarrativeItem item = GeneralBasicSpending(ReferenceReportInput());
  EXPECT_THAT(item.paragraphs,
              ElementsAre("2021 年一般公共预算基本支出 156.71 万元。其中：", "(一)人员经费 146.70 万元。包括：",
                          "工资福利支出 120.38 万元，主要用于：基本工资、津贴补贴、奖金、绩效工资、"
                          "机关事业单位基本养老保险缴费、职工基本医疗保险缴费、公务员医疗补助缴费、"
                          "其他社会保障缴费、住房公积金、医疗费、其他工资福利支出等。",
                          "对个人和家庭的补助 26.32 万元，主要用于：退休费、医疗费补助、"
                          "其他对个人和家庭的补助等。",
                          "(二)公用经费 10.01 万元。主要用于：办公费、印刷费、水费、电费、邮电费、"
                          "物业管理费、差旅费、培训费、劳务费、工会经费、福利费、其他交通费用、"
                          "其他商品和服务支出等。"));
}

// ---------------------------------------------------------------- 四 三公

TEST(ThreePublicSpending, ZeroAndPriorZeroIsFlat) {
  EXPECT_THAT(ThreePublicSpending(ReferenceReportInput()).paragraphs,
              ElementsAre("2021 年区科协没有“三公”经费预算安排的支出，与上年持平。"));
}

TEST(ThreePublicSpending, ZeroButPriorNonZeroIsADecrease) {
  auto input = ReferenceReportInput();
  input.mutable_tables()->mutable_summary()->set_three_public_prior_fen(W(300));
  EXPECT_THAT(ThreePublicSpending(input).paragraphs,
              ElementsAre("2021 年区科协没有“三公”经费预算安排的支出，比上年减少 "
                          "3.00 万元，下降 100.00%。"));
}

TEST(ThreePublicSpending, ZeroWithUnknownPriorMakesNoComparison) {
  auto input = ReferenceReportInput();
  input.mutable_tables()->mutable_summary()->clear_three_public_prior_fen();
  input.mutable_budget()->mutable_three_public()->clear_prior();
  EXPECT_THAT(ThreePublicSpending(input).paragraphs, ElementsAre("2021 年区科协没有“三公”经费预算安排的支出。"));
}

TEST(ThreePublicSpending, NonZeroListsComponentsWithTheirChanges) {
  auto input = ReferenceReportInput();
  auto* tp = input.mutable_budget()->mutable_three_public();
  tp->mutable_current()->set_vehicle_operation_fen(W(120));
  tp->mutable_current()->set_reception_fen(W(80));
  tp->mutable_prior()->set_vehicle_operation_fen(W(120));
  tp->mutable_prior()->set_reception_fen(W(100));
  input.mutable_budget()->mutable_narrative()->set_three_public_change_reason("压减公务接待。");
  auto* s = input.mutable_tables()->mutable_summary();
  s->set_three_public_current_fen(W(200));
  s->set_three_public_prior_fen(W(220));
  EXPECT_THAT(ThreePublicSpending(input).paragraphs,
              ElementsAre("2021 年一般公共预算“三公”经费预算 2.00 万元，比上年减少 0.20 "
                          "万元，下降 9.09%。其中：因公出国（境）费 0.00 万元，与上年持平；"
                          "公务用车购置及运行费 1.20 万元（其中：公务用车购置费 0.00 万元，"
                          "公务用车运行费 1.20 万元），与上年持平；公务接待费 0.80 万元，"
                          "比上年减少 0.20 万元，下降 20.00%。主要是压减公务接待。"));
}

// ---------------------------------------------------------------- 五–八

TEST(GovernmentFundSpending, ZeroBranch) {
  EXPECT_THAT(GovernmentFundSpending(ReferenceReportInput()).paragraphs,
              ElementsAre("2021 年区科协没有使用政府性基金预算安排的支出。"));
}

// The reference spends no 政府性基金: this is the reference with 15.00 万元
// of it on 化工区's project (a 2296002 line and its income), projected again.
TEST(GovernmentFundSpending, NonZeroListsTable5Items) {
  const auto reference = ReferenceReportInput();
  ledger::v1::Budget budget = reference.budget();
  auto* income = budget.add_income_lines();
  income->set_source(ledger::v1::FUND_SOURCE_GOVERNMENT_FUND_BUDGET);
  income->set_amount_fen(W(1500));
  auto* line = budget.add_expenditure_lines();
  line->set_functional_code("2296002");
  line->set_economic_code("30299");
  line->set_kind(ledger::v1::EXPENDITURE_KIND_PROJECT);
  line->set_fund_source(ledger::v1::FUND_SOURCE_GOVERNMENT_FUND_BUDGET);
  line->set_project_id("P2021-002");
  line->set_amount_fen(W(1500));
  budget.mutable_prior_years()->set_government_fund_fen(W(1000));
  const auto input = testdata::ProjectedReportInput(reference.department(), budget, reference.goals());
  EXPECT_THAT(GovernmentFundSpending(input).paragraphs,
              ElementsAre("2021 年政府性基金预算支出 15.00 万元，比上年增加 5.00 "
                          "万元，增长 50.00%。主要用于：用于社会福利的彩票公益金支出 "
                          "15.00 万元。"));
}

TEST(DepartmentTotals, ComparesWithPriorDepartmentTotal) {
  const NarrativeItem item = DepartmentTotals(ReferenceReportInput());
  ASSERT_EQ(item.paragraphs.size(), 2u);
  EXPECT_THAT(item.paragraphs[0], HasSubstr("区科协所有收入和支出均纳入部门预算管理"));
  EXPECT_EQ(item.paragraphs[1],
            "2021 年部门收支总预算 415.51 万元。比 2020 年预算增加 8.29 万元，"
            "增长 2.04%，主要是本年度基本支出中新增在职人员一人。");
}

TEST(DepartmentTotals, NoPriorYear) {
  auto input = ReferenceReportInput();
  input.mutable_budget()->mutable_prior_years()->clear_department_total_fen();
  EXPECT_EQ(DepartmentTotals(input).paragraphs[1], "2021 年部门收支总预算 415.51 万元。上年无可比预算数。");
}

TEST(DepartmentIncome, NonZeroSourcesAndAlwaysMentionedZeros) {
  EXPECT_THAT(DepartmentIncome(ReferenceReportInput()).paragraphs,
              ElementsAre("2021 年部门收入预算 415.51 万元，其中：一般公共预算财政"
                          "拨款收入 415.51 万元；无政府性基金预算财政拨款收入；"
                          "无事业收入；无上年结转。"));
}

TEST(DepartmentIncome, NonZeroOtherSourceAndCarryover) {
  auto input = ReferenceReportInput();
  auto* s = input.mutable_tables()->mutable_summary();
  for (auto& src : *s->mutable_income_by_source()) {
    if (src.source() == ledger::v1::FUND_SOURCE_INSTITUTION_REVENUE) {
      src.set_amount_fen(W(1000));
    }
  }
  s->set_department_carryover_fen(W(250));
  EXPECT_THAT(DepartmentIncome(input).paragraphs[0], HasSubstr("；无政府性基金预算财政拨款收入；事业收入 10.00 万元；"
                                                               "上年结转 2.50 万元。"));
}

TEST(DepartmentExpenditure, SharesAddUpToOneHundred) {
  EXPECT_THAT(DepartmentExpenditure(ReferenceReportInput()).paragraphs,
              ElementsAre("2021 年部门支出预算 415.51 万元，其中：基本支出 156.71 "
                          "万元，占 37.72%；项目支出 258.80 万元，占 62.28%。"));
}

TEST(DepartmentExpenditure, LargestRemainderWithThreeParts) {
  auto input = ReferenceReportInput();
  auto* s = input.mutable_tables()->mutable_summary();
  // Thirds: 33.33 + 33.33 + 33.33 would be 99.99; the first part gets the
  // left-over hundredth.
  s->set_department_basic_fen(W(100));
  s->set_department_project_fen(W(100));
  s->set_department_remit_fen(W(100));
  s->set_department_expenditure_total_fen(W(300));
  EXPECT_THAT(DepartmentExpenditure(input).paragraphs[0],
              HasSubstr("基本支出 1.00 万元，占 33.34%；项目支出 1.00 万元，占 "
                        "33.33%；上缴上级支出 1.00 万元，占 33.33%。"));
}

// ---------------------------------------------------------------- 九

TEST(MachineryOperating, CivilServantManagedInstitution) {
  EXPECT_THAT(MachineryOperating(ReferenceReportInput()).paragraphs,
              ElementsAre("2021 年部门本级参照公务员法管理事业单位的机关运行经费 "
                          "10.01 万元。"));
}

TEST(MachineryOperating, AdministrativeWithPriorYearAndPurpose) {
  auto input = ReferenceReportInput();
  input.mutable_department()->set_unit_type(ledger::v1::UNIT_TYPE_ADMINISTRATIVE);
  input.mutable_budget()->mutable_prior_years()->set_machinery_operating_fen(W(1100));
  input.mutable_budget()->mutable_narrative()->set_machinery_operating_purpose("办公及印刷费、邮电费、差旅费等。");
  EXPECT_THAT(MachineryOperating(input).paragraphs,
              ElementsAre("2021 年部门本级机关的机关运行经费 10.01 万元，比上年减少 "
                          "0.99 万元，下降 9.00%。主要用于办公及印刷费、邮电费、"
                          "差旅费等。"));
}

// A purpose that starts as the sentence does is not said twice.
TEST(MachineryOperating, PurposeStartingWithZhuYaoYongYuIsNotRepeated) {
  auto input = ReferenceReportInput();
  input.mutable_budget()->mutable_narrative()->set_machinery_operating_purpose("主要用于办公及印刷费、邮电费等。");
  EXPECT_THAT(MachineryOperating(input).paragraphs, ElementsAre("2021 年部门本级参照公务员法管理事业单位的机关运行经费 "
                                                                "10.01 万元。主要用于办公及印刷费、邮电费等。"));
}

TEST(MachineryOperating, OrdinaryInstitutionHasNone) {
  auto input = ReferenceReportInput();
  input.mutable_department()->set_unit_type(ledger::v1::UNIT_TYPE_PUBLIC_INSTITUTION);
  EXPECT_THAT(MachineryOperating(input).paragraphs, ElementsAre("本部门无机关运行经费。"));
}

TEST(GovernmentProcurement, SplitAndItems) {
  EXPECT_THAT(GovernmentProcurement(ReferenceReportInput()).paragraphs,
              ElementsAre("2021 年部门政府采购预算支出合计 5.00 万元。其中：货物 "
                          "0.00 万元、工程 0.00 万元、服务 5.00 万元。包括：印刷和"
                          "出版服务。"));
}

TEST(GovernmentProcurement, ZeroBranch) {
  auto input = ReferenceReportInput();
  input.mutable_budget()->clear_procurement_lines();
  EXPECT_THAT(GovernmentProcurement(input).paragraphs, ElementsAre("2021 年本部门无政府采购预算。"));
}

TEST(StateAssets, NoVehiclesAndVehicles) {
  auto input = ReferenceReportInput();
  EXPECT_THAT(StateAssets(input).paragraphs, ElementsAre("本单位无公务用车。"));
  auto* assets = input.mutable_budget()->mutable_assets();
  assets->set_as_of_date("2020-12-31");
  assets->set_vehicles(2);
  assets->set_general_equipment_over_500k(1);
  assets->set_planned_vehicle_purchases(1);
  EXPECT_THAT(StateAssets(input).paragraphs, ElementsAre("截至 2020 年 12 月 31 日，本部门共有公务用车 2 辆。"
                                                         "单位价值 50 万元以上通用设备 1 台（套），单位价值 100 "
                                                         "万元以上专用设备 0 台（套）。2021 年部门预算安排购置车辆 "
                                                         "1 辆。"));
}

TEST(ServicePurchase, ZeroAndNonZero) {
  auto input = ReferenceReportInput();
  EXPECT_THAT(ServicePurchase(input).paragraphs, ElementsAre("本部门 2021 年无政府购买服务预算。"));
  auto* line = input.mutable_budget()->add_service_purchase_lines();
  line->set_item("科普讲解服务");
  line->set_amount_fen(W(350));
  EXPECT_THAT(ServicePurchase(input).paragraphs, ElementsAre("2021 年部门政府购买服务预算 3.50 万元，主要用于科普讲解"
                                                             "服务。"));
}

TEST(PerformanceGoals, CoverageCompletionAndGoalTable) {
  const NarrativeItem item = PerformanceGoals(ReferenceReportInput());
  EXPECT_THAT(item.paragraphs, ElementsAre("2021 年部门项目绩效目标实现全覆盖，涉及一般公共预算本年"
                                           "财政拨款 258.80 万元，无政府性基金预算本年财政拨款。2020 "
                                           "年部门预算绩效目标已 100%完成，2021 年部门预算绩效目标设置"
                                           "如下："));
  EXPECT_EQ(item.goal_table_type, "2021年部门预算绩效目标");
  ASSERT_EQ(item.goal_rows.size(), 8u);
  const auto texts = testdata::AnnualGoalTexts();
  for (size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(item.goal_rows[i].seq, std::to_string(i + 1));
    EXPECT_EQ(item.goal_rows[i].text, texts[i]);
  }
  EXPECT_EQ(item.goal_rows[6].short_name, "加强科普阵地建设");
}

TEST(PerformanceGoals, NoCompletionRateWhenNotStated) {
  auto input = ReferenceReportInput();
  input.mutable_budget()->mutable_narrative()->clear_prior_year_goal_completion_pct();
  input.mutable_tables()->mutable_summary()->set_government_fund_project_fen(W(1000));
  const std::string p = PerformanceGoals(input).paragraphs[0];
  EXPECT_THAT(p, Not(HasSubstr("完成")));
  EXPECT_THAT(p, HasSubstr("政府性基金预算本年财政拨款 10.00 万元。2021 年部门预算"
                           "绩效目标设置如下："));
}

TEST(PerformanceGoals, PartialCoverageIsNotCalledFull) {
  auto input = ReferenceReportInput();
  input.mutable_goals()->mutable_projects()->RemoveLast();
  EXPECT_THAT(PerformanceGoals(input).paragraphs[0], HasSubstr("2021 年部门项目绩效目标覆盖 2 个项目中的 1 个，"));
}

TEST(BudgetExplanation, NineItemsInOrder) {
  const auto items = BudgetExplanation(ReferenceReportInput());
  ASSERT_EQ(items.size(), 9u);
  EXPECT_EQ(items[0].heading, "一、财政拨款收支预算总体情况");
  EXPECT_EQ(items[8].heading, "九、其他重要事项的情况说明");
  ASSERT_EQ(items[8].subitems.size(), 5u);
  EXPECT_EQ(items[8].subitems[4].heading, "(五)绩效目标设置情况");
}

}  // namespace
}  // namespace yusuan::report
