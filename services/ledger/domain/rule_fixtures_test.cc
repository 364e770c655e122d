// One must-pass and one must-fail fixture for every ledger input rule: each
// fixture is the reference filing with one change. Removing a rule's check
// makes its must-fail case fail; a rule added to LedgerRules() without
// fixtures makes EveryRuleHasFixtures fail. (The rules about the projected
// tables have theirs in table_rules_test.cc.)
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/common/rule_catalogue.h"
#include "services/common/testing/reference_filing.h"
#include "services/common/testing/rule_fixtures.h"
#include "services/ledger/domain/projections.h"
#include "services/ledger/domain/rule_catalogue.h"
#include "services/ledger/domain/rules.h"
#include "services/ledger/domain/table_rules.h"

namespace yusuan::ledger {
namespace {

namespace v1 = yusuan::ledger::v1;
using yusuan::common::v1::Finding;
using yusuan::common::v1::ValidationReport;

constexpr int64_t kYuan = 100;  // 分 per 元

const CatalogueSet& Catalogues() {
  static const CatalogueSet* const set = [] {
    absl::StatusOr<CatalogueSet> s =
        CatalogueSet::LoadFromDirectory(std::string(YUSUAN_SOURCE_DIR) + "/data/catalogue");
    if (!s.ok()) {
      ADD_FAILURE() << s.status();
      return new CatalogueSet();
    }
    return new CatalogueSet(*std::move(s));
  }();
  return *set;
}

using Mutation = std::function<void(v1::Department&, v1::Budget&)>;

void Unchanged(v1::Department&, v1::Budget&) {}

// The reference books 退休费 (30302) on 2060101 行政运行, as the published
// document probably did (domain.md E7); this moves it to 2080501.
void RetireesOnTheirItem(v1::Department&, v1::Budget& b) {
  for (v1::ExpenditureLine& line : *b.mutable_expenditure_lines()) {
    if (line.economic_code() == "30302") line.set_functional_code("2080501");
  }
}

v1::ExpenditureLine& FirstLineOfKind(v1::Budget& b, v1::ExpenditureKind kind) {
  for (v1::ExpenditureLine& line : *b.mutable_expenditure_lines()) {
    if (line.kind() == kind) return line;
  }
  ADD_FAILURE() << "the reference has no line of kind " << kind;
  return *b.mutable_expenditure_lines(0);
}

// The 办公费 (30201) line of 行政运行: an ordinary 公用经费 line to rebook
// as 公务接待费 (30217).
v1::ExpenditureLine& OfficeCostsLine(v1::Budget& b) {
  for (v1::ExpenditureLine& line : *b.mutable_expenditure_lines()) {
    if (line.kind() == v1::EXPENDITURE_KIND_BASIC_PUBLIC && line.economic_code() == "30201") return line;
  }
  ADD_FAILURE() << "the reference has no 30201 line";
  return *b.mutable_expenditure_lines(0);
}

struct RuleFixture {
  std::string rule_id;
  // The reference with this change must not raise the rule.
  Mutation pass;
  // The reference with this change must raise it, on `field`.
  Mutation fail;
  std::string field;
  // For arithmetic rules: the finding's expected and actual values.
  std::string expected;
  std::string actual;
};

// gtest names a failing case by this instead of the struct's bytes.
void PrintTo(const RuleFixture& fixture, std::ostream* out) { *out << fixture.rule_id; }

std::vector<RuleFixture> Fixtures() {
  return {
      {"V-FIELD-REQUIRED", Unchanged, [](v1::Department& d, v1::Budget&) { d.clear_full_name(); },
       "department.fullName", "", ""},
      {"V-FIELD-FORMAT", Unchanged, [](v1::Department& d, v1::Budget&) { d.set_region_code("4201070"); },
       "department.regionCode", "", ""},
      {"V-FIELD-RANGE", Unchanged,
       [](v1::Department&, v1::Budget& b) { b.mutable_prior_years()->mutable_funds(1)->set_year(2021); },
       "budget.priorYears.funds[1].year", "", ""},
      {"V-ENUM-UNSPECIFIED", Unchanged,
       [](v1::Department& d, v1::Budget&) { d.set_fiscal_level(v1::FISCAL_LEVEL_UNSPECIFIED); },
       "department.fiscalLevel", "", ""},
      {"V-EDITION-MISMATCH", Unchanged, [](v1::Department&, v1::Budget& b) { b.set_catalogue_edition(2022); },
       "budget.catalogueEdition", "", ""},
      {"V-CATALOGUE-MISSING", Unchanged, [](v1::Department&, v1::Budget& b) { b.set_catalogue_edition(2019); },
       "budget.catalogueEdition", "", ""},
      {"V-UTF8", Unchanged, [](v1::Department& d, v1::Budget&) { d.set_full_name("\xC0\xAF"); }, "department.fullName",
       "", ""},
      // A NUL in a name passes V-UTF8 but no PDF can print it (issue 13);
      // a multi-line text may hold a line break and a tab.
      {"V-TEXT-CONTROL",
       [](v1::Department&, v1::Budget& b) {
         b.mutable_narrative()->set_general_budget_change_reason("新增在职人员两人；\n\t公用经费随之增加");
       },
       [](v1::Department& d, v1::Budget&) { d.set_full_name(std::string("武汉市青山区") + '\0' + "科学技术协会"); },
       "department.fullName", "", ""},
      {"V-AMOUNT-NEGATIVE", Unchanged,
       [](v1::Department&, v1::Budget& b) { b.mutable_procurement_lines(0)->set_amount_fen(-1); },
       "budget.procurementLines[0].amountFen", "", ""},
      {"V-AMOUNT-RANGE", Unchanged,
       [](v1::Department&, v1::Budget& b) { b.mutable_expenditure_lines(0)->set_amount_fen(int64_t{1} << 62); },
       "budget.expenditureLines[0].amountFen", "", ""},
      {"V-COUNT-NEGATIVE", Unchanged, [](v1::Department&, v1::Budget& b) { b.mutable_assets()->set_vehicles(-1); },
       "budget.assets.vehicles", "", ""},
      {"V-CODE-UNKNOWN", Unchanged,
       [](v1::Department&, v1::Budget& b) { b.mutable_expenditure_lines(0)->set_functional_code("2069998"); },
       "budget.expenditureLines[0].functionalCode", "", ""},
      {"V-FUND-KIND", Unchanged,
       [](v1::Department&, v1::Budget& b) {
         b.mutable_expenditure_lines(0)->set_fund_source(v1::FUND_SOURCE_GOVERNMENT_FUND_BUDGET);
       },
       "budget.expenditureLines[0].functionalCode", "", ""},
      {"V-UNIT-REF",
       [](v1::Department& d, v1::Budget& b) {
         v1::SecondaryUnit* unit = d.add_secondary_units();
         unit->set_code("005001022001");
         unit->set_name("青山区科技馆");
         unit->set_unit_type(v1::UNIT_TYPE_PUBLIC_INSTITUTION);
         b.mutable_expenditure_lines(0)->set_unit_code("005001022001");
       },
       [](v1::Department&, v1::Budget& b) { b.mutable_expenditure_lines(0)->set_unit_code("005001022001"); },
       "budget.expenditureLines[0].unitCode", "", ""},
      // The reference's one income line goes to 本级; moving a 302 line to a
      // subordinate unit leaves that unit spending without income (and 本级
      // with income it does not spend), though the department balances.
      {"R-UNIT-BALANCE",
       [](v1::Department& d, v1::Budget&) {
         v1::SecondaryUnit* unit = d.add_secondary_units();
         unit->set_code("005001022001");
         unit->set_name("青山区科技馆");
         unit->set_unit_type(v1::UNIT_TYPE_PUBLIC_INSTITUTION);
       },
       [](v1::Department& d, v1::Budget& b) {
         v1::SecondaryUnit* unit = d.add_secondary_units();
         unit->set_code("005001022001");
         unit->set_name("青山区科技馆");
         unit->set_unit_type(v1::UNIT_TYPE_PUBLIC_INSTITUTION);
         // 本级 keeps all the income but no longer spends this 21,350.00 元:
         // 415.51 − 2.135 = 413.375 万元, shown half up.
         ASSERT_EQ(b.expenditure_lines(8).amount_fen(), 2'135'000);
         b.mutable_expenditure_lines(8)->set_unit_code("005001022001");
       },
       "budget.incomeLines[0].amountFen", "413.38 万元", "415.51 万元"},
      {"R-T3-5", Unchanged,
       [](v1::Department&, v1::Budget& b) { b.mutable_expenditure_lines(0)->set_economic_code("30201"); },
       "budget.expenditureLines[0].kind", "", ""},
      {"V-PROJECT-REF", Unchanged,
       [](v1::Department&, v1::Budget& b) {
         FirstLineOfKind(b, v1::EXPENDITURE_KIND_PROJECT).set_project_id("P-NONE");
       },
       "budget.expenditureLines[28].projectId", "", ""},
      {"V-PROJECT-STRAY", Unchanged,
       [](v1::Department&, v1::Budget& b) { b.mutable_expenditure_lines(0)->set_project_id("P2021-001"); },
       "budget.expenditureLines[0].projectId", "", ""},
      {"V-PROJECT-ID-DUP", Unchanged,
       [](v1::Department&, v1::Budget& b) { b.mutable_projects(1)->set_project_id("P2021-001"); },
       "budget.projects[1].projectId", "", ""},
      {"V-PROJECT-PERIOD", Unchanged,
       [](v1::Department&, v1::Budget& b) {
         b.mutable_projects(0)->set_start_year(2022);
         b.mutable_projects(0)->set_end_year(2022);
       },
       "budget.projects[0].startYear", "", ""},
      {"R-T1-4", Unchanged,
       [](v1::Department&, v1::Budget& b) {
         b.mutable_expenditure_lines(0)->set_amount_fen(b.expenditure_lines(0).amount_fen() + 1);
       },
       "budget.incomeLines[0].amountFen", "4155100.01 元", "4155100.00 元"},
      {"R-T6-5", Unchanged,
       [](v1::Department&, v1::Budget& b) {
         v1::IncomeLine* income = b.add_income_lines();
         income->set_source(v1::FUND_SOURCE_INSTITUTION_REVENUE);
         income->set_amount_fen(10'000 * kYuan);
       },
       "budget.incomeLines[1].amountFen", "0.00 万元", "1.00 万元"},
      {"R-T2-5", Unchanged,
       [](v1::Department&, v1::Budget& b) {
         FirstLineOfKind(b, v1::EXPENDITURE_KIND_PROJECT).set_functional_code("2060101");
       },
       "budget.expenditureLines[28].functionalCode", "", ""},
      {"R-T4-1", [](v1::Department&, v1::Budget& b) { b.mutable_three_public()->mutable_current()->set_total_fen(0); },
       [](v1::Department&, v1::Budget& b) { b.mutable_three_public()->mutable_current()->set_total_fen(100); },
       "budget.threePublic.current.totalFen", "0.00 元", "1.00 元"},
      {"R-T4-2",
       [](v1::Department&, v1::Budget& b) { b.mutable_three_public()->mutable_prior()->set_vehicle_total_fen(0); },
       [](v1::Department&, v1::Budget& b) {
         b.mutable_three_public()->mutable_prior()->set_vehicle_total_fen(300'000 * kYuan);
       },
       "budget.threePublic.prior.vehicleTotalFen", "0.00 万元", "30.00 万元"},
      {"R-T4-5",
       [](v1::Department&, v1::Budget& b) {
         // 30217 公务接待费 booked and stated alike.
         v1::ExpenditureLine& line = OfficeCostsLine(b);
         line.set_economic_code("30217");
         b.mutable_three_public()->mutable_current()->set_reception_fen(line.amount_fen());
       },
       [](v1::Department&, v1::Budget& b) {
         b.mutable_three_public()->mutable_current()->set_reception_fen(12'000 * kYuan);
       },
       "budget.threePublic.current.receptionFen", "0.00 万元", "1.20 万元"},
      // 三公 stated by unit: the department's reception cost is 本级's.
      {"R-T4-6",
       [](v1::Department&, v1::Budget& b) {
         v1::ExpenditureLine& line = OfficeCostsLine(b);
         line.set_economic_code("30217");
         b.mutable_three_public()->mutable_current()->set_reception_fen(line.amount_fen());
         b.mutable_three_public()->add_by_unit()->mutable_current()->set_reception_fen(line.amount_fen());
       },
       [](v1::Department&, v1::Budget& b) {
         b.mutable_three_public()->mutable_current()->set_reception_fen(12'000 * kYuan);
         b.mutable_three_public()->add_by_unit();  // 本级, listed with none
       },
       "budget.threePublic.current.receptionFen", "0.00 万元", "1.20 万元"},
      {"R-T4-4", Unchanged,
       [](v1::Department&, v1::Budget& b) {
         b.mutable_three_public()->mutable_current()->set_vehicle_operation_fen(1'000 * kYuan);
       },
       "budget.threePublic.current.vehicleOperationFen", "", ""},
      {"R-T9-3", Unchanged,
       [](v1::Department&, v1::Budget& b) {
         v1::YearFunds* f = b.mutable_prior_years()->mutable_funds(0);
         f->set_basic_fen(f->basic_fen() + 100 * kYuan);
       },
       // funds[0] is 2020: 财政拨款 407.22 = 基本 133.14 + 项目 274.08 万元.
       "budget.priorYears.funds[0]", "407.23 万元", "407.22 万元"},
      {"R-T10-1", Unchanged,
       [](v1::Department&, v1::Budget& b) { b.mutable_projects(1)->set_total_other_fen(1 * kYuan); },
       "budget.projects[1].totalFen", "208001.00 元", "208000.00 元"},
      {"R-T10-2", Unchanged,
       [](v1::Department&, v1::Budget& b) {
         v1::Project* p = b.mutable_projects(1);
         p->set_total_fen(p->total_fen() - 100 * kYuan);
         p->set_total_fiscal_fen(p->total_fiscal_fen() - 100 * kYuan);
       },
       "budget.projects[1].yearTotalFen", "207900.00 元", "208000.00 元"},
      {"R-T10-4", Unchanged,
       [](v1::Department&, v1::Budget& b) {
         v1::Project* p = b.mutable_projects(1);
         p->set_year_total_fen(p->year_total_fen() + 1);
         p->set_year_other_fen(1);
         p->set_total_fen(p->total_fen() + 1);
         p->set_total_other_fen(1);
       },
       "budget.projects[1].yearTotalFen", "208000.00 元", "208000.01 元"},
      {"R-T10-3", Unchanged,
       [](v1::Department&, v1::Budget& b) {
         v1::Project* p = b.mutable_projects(1);
         p->set_year_fiscal_fen(p->year_fiscal_fen() - 8'000 * kYuan);
         p->set_year_other_fen(8'000 * kYuan);
         p->set_total_fiscal_fen(p->total_fiscal_fen() - 8'000 * kYuan);
         p->set_total_other_fen(8'000 * kYuan);
       },
       "budget.projects", "258.80 万元", "258.00 万元"},
      {"X16", Unchanged,
       [](v1::Department&, v1::Budget& b) { b.mutable_procurement_lines(0)->set_amount_fen(4'155'101 * kYuan); },
       "budget.procurementLines", "4155100.00 元", "4155101.00 元"},
      {"X20-RETIREES", [](v1::Department& d, v1::Budget&) { d.mutable_staffing()->set_retirees_total(8); },
       [](v1::Department& d, v1::Budget&) { d.mutable_staffing()->set_retirees_total(9); },
       "department.staffing.retireesTotal", "8", "9"},
      {"X20-RETIREES-ITEM", RetireesOnTheirItem, Unchanged, "budget.expenditureLines", "", ""},
      {"X20", Unchanged, [](v1::Department& d, v1::Budget&) { d.mutable_staffing()->set_in_service(6); },
       "department.staffing.inService", "", ""},
  };
}

ValidationReport ValidateWith(const Mutation& mutation) {
  v1::Department department = yusuan::testing::ReferenceDepartment();
  v1::Budget budget = yusuan::testing::ReferenceBudget();
  mutation(department, budget);
  return ValidateFiling(department, budget, Catalogues());
}

std::string Dump(const ValidationReport& report) { return yusuan::testing::DumpFindings(report); }

class LedgerRuleFixture : public ::testing::TestWithParam<RuleFixture> {};

TEST_P(LedgerRuleFixture, PassingFixtureDoesNotRaiseTheRule) {
  yusuan::testing::ExpectPasses(ValidateWith(GetParam().pass), GetParam().rule_id);
}

TEST_P(LedgerRuleFixture, FailingFixtureRaisesTheRuleWithItsListedSeverity) {
  const RuleFixture& fixture = GetParam();
  const ValidationReport report = ValidateWith(fixture.fail);
  const Finding* found = yusuan::testing::ExpectRaises(LedgerRules(), report, fixture.rule_id, fixture.field);
  if (found != nullptr && !fixture.expected.empty()) {
    EXPECT_EQ(found->expected(), fixture.expected);
    EXPECT_EQ(found->actual(), fixture.actual);
    EXPECT_FALSE(found->difference().empty());
  }
}

INSTANTIATE_TEST_SUITE_P(Ledger, LedgerRuleFixture, ::testing::ValuesIn(Fixtures()),
                         [](const ::testing::TestParamInfo<RuleFixture>& info) {
                           return yusuan::testing::RuleTestName(info.param.rule_id);
                         });

TEST(LedgerRuleFixtures, EveryRuleHasFixtures) {
  std::vector<std::string> ids;
  for (const RuleFixture& fixture : Fixtures()) ids.push_back(fixture.rule_id);
  std::set<std::string> elsewhere;
  for (const yusuan::common::v1::Rule& rule : TableRules()) elsewhere.insert(rule.rule_id());
  // V-PROJECTION reports a fault of ours (a filing the input rules accept but
  // the projection refuses); ProjectionRefusalsAreInputFindings below shows
  // no filing reaches it.
  elsewhere.insert("V-PROJECTION");
  // V-NAME-MISMATCH is about a request's resource name, not the filing
  // (services/ledger/ledger_core_test.cc RefusesANameThatDisagreesWithTheCodes).
  elsewhere.insert("V-NAME-MISMATCH");
  yusuan::testing::ExpectEveryRuleHasFixtures(LedgerRules(), ids, elsewhere);
}

TEST(LedgerRuleFixtures, TheReadmeListsEveryRuleWithItsSeverity) {
  // The table rules are listed, all FATAL, at the top of table_rules.h.
  std::set<std::string> in_header;
  for (const yusuan::common::v1::Rule& rule : TableRules()) in_header.insert(rule.rule_id());
  yusuan::testing::ExpectReadmeListsRulesAsDefined(
      LedgerRules(), std::string(YUSUAN_SOURCE_DIR) + "/services/ledger/domain/README.md", in_header);
}

// Every filing ComputeTables refuses is already FATAL by an input rule, so
// the table checks only ever see projectable filings.
TEST(LedgerRuleFixtures, ProjectionRefusalsAreInputFindings) {
  const std::vector<std::pair<std::string, Mutation>> refused = {
      {"edition of another year", [](v1::Department&, v1::Budget& b) { b.set_catalogue_edition(2020); }},
      {"functional code not a 项",
       [](v1::Department&, v1::Budget& b) { b.mutable_expenditure_lines(3)->set_functional_code("20601"); }},
      {"economic code not a 款",
       [](v1::Department&, v1::Budget& b) { b.mutable_expenditure_lines(3)->set_economic_code("301"); }},
      {"unknown project",
       [](v1::Department&, v1::Budget& b) { FirstLineOfKind(b, v1::EXPENDITURE_KIND_PROJECT).set_project_id("P9"); }},
      {"amounts too large",
       [](v1::Department&, v1::Budget& b) { b.mutable_income_lines(0)->set_amount_fen(int64_t{1} << 62); }},
  };
  const Catalogue* catalogue = Catalogues().Find(2021);
  ASSERT_NE(catalogue, nullptr);
  for (const auto& [label, mutation] : refused) {
    v1::Department department = yusuan::testing::ReferenceDepartment();
    v1::Budget budget = yusuan::testing::ReferenceBudget();
    mutation(department, budget);
    const Catalogue* edition = Catalogues().Find(budget.catalogue_edition());
    EXPECT_FALSE(ComputeTables(department, budget, edition ? *edition : *catalogue).ok() &&
                 budget.catalogue_edition() == 2021)
        << label << ": ComputeTables accepts it; pick a case it refuses";
    const ValidationReport report = ValidateFiling(department, budget, Catalogues());
    EXPECT_GT(report.fatal_count(), 0) << label;
    for (const Finding& f : report.findings()) EXPECT_NE(f.rule_id(), "V-PROJECTION") << label;
  }
}

// The three-public totals are optional: a filing that states none is checked
// by its parts only, and the tables show the sums.
TEST(LedgerRuleFixtures, ReferenceHasNoFatalFindingAndOnlyTheKnownWarning) {
  const ValidationReport report = ValidateWith(Unchanged);
  EXPECT_EQ(report.fatal_count(), 0) << Dump(report);
  ASSERT_EQ(report.findings_size(), 1) << Dump(report);
  EXPECT_EQ(report.findings(0).rule_id(), "X20-RETIREES-ITEM");  // domain.md E7
}

}  // namespace
}  // namespace yusuan::ledger

namespace yusuan::ledger {
namespace {

struct Break {
  std::string label;
  Mutation spoil;
  std::string rule_id;
  int table;
  std::string row;
  std::string column;
  std::string expected;
  std::string actual;
  std::string difference;
};

// The four breaks the ledger issue names: each is FATAL with its rule id,
// table location, expected, actual and difference.
TEST(LedgerRuleFixtures, IssueBreaksAreFatalWithLocationAndFigures) {
  const std::vector<Break> breaks = {
      {"one expenditure line up by 1 分",
       [](v1::Department&, v1::Budget& b) {
         b.mutable_expenditure_lines(0)->set_amount_fen(b.expenditure_lines(0).amount_fen() + 1);
       },
       "R-T1-4", 1, "（一）一般公共预算拨款收入", "预算数", "4155100.01 元", "4155100.00 元", "-0.01 元"},
      {"unknown function code",
       [](v1::Department&, v1::Budget& b) { b.mutable_expenditure_lines(0)->set_functional_code("2060198"); },
       "V-CODE-UNKNOWN", 2, "2060198", "合计",
       "20601 科学技术管理事务 下的项：2060101 行政运行、2060102 一般行政管理事务、2060103 机关服务、2060199 "
       "其他科学技术管理事务支出",
       "2060198", "科目不存在 / no such code"},
      {"project total no longer matches its lines",
       [](v1::Department&, v1::Budget& b) {
         v1::Project* p = b.mutable_projects(0);
         p->set_year_total_fen(p->year_total_fen() + 100);
         p->set_year_fiscal_fen(p->year_fiscal_fen() + 100);
         p->set_total_fen(p->total_fen() + 100);
         p->set_total_fiscal_fen(p->total_fiscal_fen() + 100);
       },
       "R-T10-4", 10, "P2021-001 科普经费（青山区）", "当年资金总额", "2380000.00 元", "2380001.00 元", "1.00 元"},
      {"三公 total not the sum of its parts",
       [](v1::Department&, v1::Budget& b) {
         v1::ThreePublicCosts* c = b.mutable_three_public()->mutable_current();
         c->set_reception_fen(20'000 * kYuan);
         c->set_total_fen(10'000 * kYuan);
         // Booked on 30217 and paid for, so only the total is wrong.
         v1::ExpenditureLine& line = OfficeCostsLine(b);
         const int64_t more = 20'000 * kYuan - line.amount_fen();
         line.set_economic_code("30217");
         line.set_amount_fen(20'000 * kYuan);
         b.mutable_income_lines(0)->set_amount_fen(b.income_lines(0).amount_fen() + more);
       },
       "R-T4-1", 4, "2021年预算数", "合计", "2.00 万元", "1.00 万元", "-1.00 万元"},
  };
  for (const Break& item : breaks) {
    SCOPED_TRACE(item.label);
    const ValidationReport report = ValidateWith(item.spoil);
    const Finding* found = nullptr;
    for (const Finding& f : report.findings()) {
      if (f.rule_id() == item.rule_id) found = &f;
    }
    ASSERT_NE(found, nullptr) << Dump(report);
    EXPECT_EQ(found->severity(), yusuan::common::v1::SEVERITY_FATAL);
    EXPECT_EQ(found->location().table(), item.table);
    EXPECT_EQ(found->location().row(), item.row);
    EXPECT_EQ(found->location().column(), item.column);
    EXPECT_EQ(found->expected(), item.expected);
    EXPECT_EQ(found->actual(), item.actual);
    EXPECT_EQ(found->difference(), item.difference);
    EXPECT_EQ(report.fatal_count(), 1) << Dump(report);
  }
}

}  // namespace
}  // namespace yusuan::ledger
