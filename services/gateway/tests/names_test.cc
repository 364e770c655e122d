#include "services/gateway/names.h"

#include "gtest/gtest.h"

namespace yusuan::gateway {
namespace {

constexpr char kDepartment[] = "regions/420107/departments/005001022";
constexpr char kBudget[] = "regions/420107/departments/005001022/budgets/2021";
constexpr char kGoals[] = "regions/420107/departments/005001022/budgets/2021/goals";

yusuan::gateway::v1::Filing ReferenceFiling() {
  yusuan::gateway::v1::Filing filing;
  filing.mutable_department()->set_region_code("420107");
  filing.mutable_department()->set_agency_code("005001022");
  filing.mutable_budget()->set_fiscal_year(2021);
  filing.mutable_goals()->set_fiscal_year(2021);
  return filing;
}

TEST(ParseAnyResourceName, RecognisesTheFourForms) {
  auto region = ParseAnyResourceName("regions/420107");
  ASSERT_TRUE(region.ok()) << region.status();
  EXPECT_EQ(region->kind, ResourceKind::kRegion);
  EXPECT_EQ(region->region, "420107");

  auto department = ParseAnyResourceName(kDepartment);
  ASSERT_TRUE(department.ok()) << department.status();
  EXPECT_EQ(department->kind, ResourceKind::kDepartment);
  EXPECT_EQ(department->budget.department.agency, "005001022");
  EXPECT_EQ(department->budget.department.ToString(), kDepartment);

  auto budget = ParseAnyResourceName(kBudget);
  ASSERT_TRUE(budget.ok()) << budget.status();
  EXPECT_EQ(budget->kind, ResourceKind::kBudget);
  EXPECT_EQ(budget->budget.year, 2021);
  EXPECT_EQ(budget->region, "420107");

  auto goals = ParseAnyResourceName(kGoals);
  ASSERT_TRUE(goals.ok()) << goals.status();
  EXPECT_EQ(goals->kind, ResourceKind::kGoals);
  EXPECT_EQ(goals->budget.GoalsName(), kGoals);
}

TEST(ParseAnyResourceName, RefusesMalformedNamesBilingually) {
  for (const char* bad : {"", "regions", "regions/42010", "regions/420107/departments",
                          "regions/420107/departments/ABC", "regions/420107/departments/005001022/budgets/21",
                          "regions/420107/departments/005001022/budgets/2021/revisions",
                          "regions/420107/departments/005001022/budgets/2021/goals/x", "departments/005001022"}) {
    auto parsed = ParseAnyResourceName(bad);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(parsed.status().message().find("资源名称无效"), absl::string_view::npos) << bad;
    EXPECT_NE(parsed.status().message().find("invalid resource name"), absl::string_view::npos) << bad;
  }
}

TEST(FillFilingNames, FillsEmptyNamesFromTheCodes) {
  auto filing = ReferenceFiling();
  EXPECT_TRUE(FillFilingNames(filing).empty());
  EXPECT_EQ(filing.department().name(), kDepartment);
  EXPECT_EQ(filing.budget().name(), kBudget);
  EXPECT_EQ(filing.goals().name(), kGoals);
}

TEST(FillFilingNames, AcceptsNamesThatAgree) {
  auto filing = ReferenceFiling();
  filing.mutable_department()->set_name(kDepartment);
  filing.mutable_budget()->set_name(kBudget);
  filing.mutable_goals()->set_name(kGoals);
  EXPECT_TRUE(FillFilingNames(filing).empty());
}

TEST(FillFilingNames, RefusesADepartmentNameThatNamesAnotherDepartment) {
  auto filing = ReferenceFiling();
  filing.mutable_department()->set_name("regions/420107/departments/005001023");
  auto findings = FillFilingNames(filing);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule_id(), "V-NAME");
  EXPECT_EQ(findings[0].severity(), yusuan::common::v1::SEVERITY_FATAL);
  EXPECT_EQ(findings[0].field(), "department.name");
  EXPECT_EQ(findings[0].expected(), kDepartment);
  EXPECT_EQ(findings[0].actual(), "regions/420107/departments/005001023");
  // The wrong name is kept, not overwritten: it is what the client sent.
  EXPECT_EQ(filing.department().name(), "regions/420107/departments/005001023");
  // The budget is still named after the codes.
  EXPECT_EQ(filing.budget().name(), kBudget);
}

TEST(FillFilingNames, RefusesABudgetNameOfAnotherYear) {
  auto filing = ReferenceFiling();
  filing.mutable_budget()->set_name("regions/420107/departments/005001022/budgets/2020");
  auto findings = FillFilingNames(filing);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].field(), "budget.name");
  EXPECT_EQ(findings[0].expected(), kBudget);
  EXPECT_NE(findings[0].message_zh().find("不一致"), std::string::npos);
  EXPECT_NE(findings[0].message_en().find("budgets/2020"), std::string::npos);
}

TEST(FillFilingNames, LeavesAGoalsNameToTheGoalsRules) {
  auto filing = ReferenceFiling();
  filing.mutable_goals()->set_name("regions/420107/departments/005001022/budgets/2020/goals");
  EXPECT_TRUE(FillFilingNames(filing).empty());
  EXPECT_EQ(filing.goals().name(), "regions/420107/departments/005001022/budgets/2020/goals");
}

TEST(FillFilingNames, DerivesNothingFromMalformedCodes) {
  auto filing = ReferenceFiling();
  filing.mutable_department()->set_region_code("青山区");
  EXPECT_TRUE(FillFilingNames(filing).empty());
  EXPECT_EQ(filing.department().name(), "");
  EXPECT_EQ(filing.budget().name(), "");

  filing = ReferenceFiling();
  filing.mutable_budget()->set_fiscal_year(0);
  EXPECT_TRUE(FillFilingNames(filing).empty());
  EXPECT_EQ(filing.department().name(), kDepartment);
  EXPECT_EQ(filing.budget().name(), "");
}

}  // namespace
}  // namespace yusuan::gateway
