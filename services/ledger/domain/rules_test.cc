#include "services/ledger/domain/rules.h"

#include <set>

#include "services/common/rule_catalogue.h"
#include "services/ledger/domain/rule_catalogue.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/common/testing/reference_filing.h"
#include "services/common/utf8.h"

namespace yusuan::ledger {
namespace {

namespace v1 = yusuan::ledger::v1;
using yusuan::common::v1::Finding;
using yusuan::common::v1::SEVERITY_FATAL;
using yusuan::common::v1::SEVERITY_WARNING;
using yusuan::common::v1::ValidationReport;
using yusuan::testing::ReferenceBudget;
using yusuan::testing::ReferenceDepartment;

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

std::string Dump(const ValidationReport& report) {
  std::string out;
  for (const Finding& f : report.findings()) {
    out += f.rule_id() + " " + f.field() + " " + f.message_en() + "\n";
  }
  return out;
}

// The finding of `rule_id` on exactly `field`, or nullptr.
const Finding* Find(const ValidationReport& report, const std::string& rule_id, const std::string& field) {
  for (const Finding& f : report.findings()) {
    if (f.rule_id() == rule_id && f.field() == field) return &f;
  }
  return nullptr;
}

ValidationReport Validate(const v1::Budget& budget, const v1::Department& department = ReferenceDepartment()) {
  return ValidateFiling(department, budget, Catalogues());
}

// Every finding names its field in both messages, has a hint, and is valid
// UTF-8 whatever the input held.
void ExpectWellFormed(const ValidationReport& report) {
  int errors = 0, warnings = 0;
  for (const Finding& f : report.findings()) {
    EXPECT_FALSE(f.rule_id().empty());
    EXPECT_FALSE(f.field().empty());
    EXPECT_EQ(f.message_zh().rfind(f.field(), 0), 0u) << f.message_zh();
    EXPECT_EQ(f.message_en().rfind(f.field(), 0), 0u) << f.message_en();
    EXPECT_FALSE(f.hint().empty()) << f.rule_id();
    EXPECT_TRUE(IsValidUtf8(f.message_zh()) && IsValidUtf8(f.message_en()) && IsValidUtf8(f.hint()) &&
                IsValidUtf8(f.field()))
        << f.rule_id();
    // Every finding comes from a listed rule, so it carries a category.
    EXPECT_NE(f.category(), yusuan::common::v1::RULE_CATEGORY_UNSPECIFIED)
        << f.rule_id() << " is not listed in LedgerRules()";
    errors += f.severity() == SEVERITY_FATAL;
    warnings += f.severity() == SEVERITY_WARNING;
  }
  EXPECT_EQ(report.rule_set_version(), kRuleSetVersion);
  EXPECT_EQ(report.fatal_count(), errors);
  EXPECT_EQ(report.warning_count(), warnings);
  std::string wire;
  EXPECT_TRUE(report.SerializeToString(&wire));
  ValidationReport parsed;
  EXPECT_TRUE(parsed.ParseFromString(wire));
}

TEST(Rules, ReferencePassesWithOnlyTheRetireesWarning) {
  const ValidationReport report = Validate(ReferenceBudget());
  EXPECT_EQ(report.fatal_count(), 0) << Dump(report);
  // domain.md E7: 8 retirees, and no spending on a 离退休 项.
  ASSERT_EQ(report.findings_size(), 1) << Dump(report);
  EXPECT_EQ(report.findings(0).rule_id(), "X20-RETIREES-ITEM");
  EXPECT_EQ(report.findings(0).severity(), SEVERITY_WARNING);
  EXPECT_EQ(report.findings(0).location().table(), 2);
  EXPECT_EQ(ValidateDepartment(ReferenceDepartment()).findings_size(), 0);
}

TEST(Rules, UnknownFunctionalCode) {
  v1::Budget b = ReferenceBudget();
  b.mutable_expenditure_lines(3)->set_functional_code("2069998");
  const ValidationReport report = Validate(b);
  const Finding* f = Find(report, "V-CODE-UNKNOWN", "budget.expenditureLines[3].functionalCode");
  ASSERT_NE(f, nullptr) << Dump(report);
  EXPECT_EQ(f->severity(), SEVERITY_FATAL);
  EXPECT_NE(f->message_zh().find("2069998"), std::string::npos);
  // The hint points to what the public API and the CLI offer (issue 11, defect 10).
  EXPECT_NE(f->hint().find("GET /v1/catalogues/2021"), std::string::npos) << f->hint();
  EXPECT_NE(f->hint().find("yusuan catalogue show 2021"), std::string::npos) << f->hint();
  EXPECT_EQ(f->hint().find("GetCatalogue"), std::string::npos) << f->hint();
  EXPECT_EQ(report.fatal_count(), 1) << Dump(report);
  ExpectWellFormed(report);
}

TEST(Rules, FunctionalCodeMustBeAnItem) {
  v1::Budget b = ReferenceBudget();
  b.mutable_expenditure_lines(0)->set_functional_code("20601");
  b.mutable_expenditure_lines(1)->set_economic_code("301");
  b.mutable_expenditure_lines(2)->set_economic_code("");
  const ValidationReport report = Validate(b);
  const Finding* f = Find(report, "V-CODE-UNKNOWN", "budget.expenditureLines[0].functionalCode");
  ASSERT_NE(f, nullptr) << Dump(report);
  EXPECT_NE(f->message_en().find("not a 项"), std::string::npos) << f->message_en();
  EXPECT_NE(Find(report, "V-CODE-UNKNOWN", "budget.expenditureLines[1].economicCode"), nullptr) << Dump(report);
  EXPECT_NE(Find(report, "V-FIELD-REQUIRED", "budget.expenditureLines[2].economicCode"), nullptr) << Dump(report);
  ExpectWellFormed(report);
}

// 219 援助其他地区支出's 款 have no 项: a project line on one is valid
// (neither V-CODE-UNKNOWN nor R-T2-5, whose project-capable list names 项).
TEST(Rules, KuanWithoutItemsTakesLines) {
  v1::Budget b = ReferenceBudget();
  int project = -1;
  for (int i = 0; i < b.expenditure_lines_size(); ++i) {
    const v1::ExpenditureLine& line = b.expenditure_lines(i);
    if (line.kind() == v1::EXPENDITURE_KIND_PROJECT && line.functional_code().rfind("206", 0) == 0) {
      project = i;
      break;
    }
  }
  ASSERT_GE(project, 0);
  b.mutable_expenditure_lines(project)->set_functional_code("21901");
  const ValidationReport report = Validate(b);
  EXPECT_EQ(Find(report, "V-CODE-UNKNOWN", "budget.expenditureLines[" + std::to_string(project) + "].functionalCode"),
            nullptr)
      << Dump(report);
  EXPECT_EQ(report.fatal_count(), 0) << Dump(report);
  // Nothing beyond what the reference filing itself raises.
  EXPECT_EQ(report.findings_size(), Validate(ReferenceBudget()).findings_size()) << Dump(report);
}

TEST(Rules, NegativeAmount) {
  v1::Budget b = ReferenceBudget();
  b.mutable_expenditure_lines(5)->set_amount_fen(-100);
  b.mutable_three_public()->mutable_current()->set_reception_fen(-1);
  const ValidationReport report = Validate(b);
  const Finding* f = Find(report, "V-AMOUNT-NEGATIVE", "budget.expenditureLines[5].amountFen");
  ASSERT_NE(f, nullptr) << Dump(report);
  EXPECT_EQ(f->severity(), SEVERITY_FATAL);
  EXPECT_NE(Find(report, "V-AMOUNT-NEGATIVE", "budget.threePublic.current.receptionFen"), nullptr) << Dump(report);
  ExpectWellFormed(report);
}

TEST(Rules, InvalidUtf8) {
  v1::Department d = ReferenceDepartment();
  d.set_full_name("武汉市\xff青山区科学技术协会");
  v1::Budget b = ReferenceBudget();
  b.mutable_projects(1)->set_name("科普经费\xc3");
  b.mutable_expenditure_lines(4)->set_functional_code("\xff\xfe");
  const ValidationReport report = Validate(b, d);
  const Finding* f = Find(report, "V-UTF8", "department.fullName");
  ASSERT_NE(f, nullptr) << Dump(report);
  EXPECT_EQ(f->severity(), SEVERITY_FATAL);
  EXPECT_NE(Find(report, "V-UTF8", "budget.projects[1].name"), nullptr) << Dump(report);
  EXPECT_NE(Find(report, "V-UTF8", "budget.expenditureLines[4].functionalCode"), nullptr) << Dump(report);
  EXPECT_NE(Find(report, "V-CODE-UNKNOWN", "budget.expenditureLines[4].functionalCode"), nullptr) << Dump(report);
  ExpectWellFormed(report);  // the bad bytes are not copied into the messages
}

// Issue 13: a NUL in a name passed every rule, then broke the PDF at
// publication. Control characters (C0, DEL, C1) are refused in every text;
// a multi-line text (the narrative's reasons, a project's purpose) may hold
// a line feed and a tab, nothing else.
TEST(Rules, ControlCharactersAreRefusedNamingTheFieldAndTheCharacter) {
  v1::Department d = ReferenceDepartment();
  d.set_full_name(std::string("武汉市青山区") + '\0' + "科学技术协会");
  d.set_contact_phone("027-8686\x7f");
  d.set_short_name("区科协\n");
  v1::Budget b = ReferenceBudget();
  b.mutable_projects(1)->set_name("科普经费\xc2\x85");                      // U+0085, a C1 control
  b.mutable_projects(1)->set_purpose("开展科普活动；\n\t举办讲座");         // allowed
  b.mutable_narrative()->set_general_budget_change_reason("人员增加\r\n");  // CR is not a line break here
  b.mutable_projects(0)->set_name("科普\u202e经费");                        // RIGHT-TO-LEFT OVERRIDE
  const ValidationReport report = Validate(b, d);
  const Finding* bidi = Find(report, "V-TEXT-CONTROL", "budget.projects[0].name");
  ASSERT_NE(bidi, nullptr) << Dump(report);
  EXPECT_EQ(bidi->actual(), "U+202E");
  EXPECT_NE(bidi->message_en().find("invisible formatting character"), std::string::npos) << bidi->message_en();
  const Finding* nul = Find(report, "V-TEXT-CONTROL", "department.fullName");
  ASSERT_NE(nul, nullptr) << Dump(report);
  EXPECT_EQ(nul->severity(), SEVERITY_FATAL);
  EXPECT_EQ(nul->actual(), "U+0000");
  EXPECT_NE(nul->message_zh().find("U+0000"), std::string::npos) << nul->message_zh();
  EXPECT_NE(nul->message_en().find("character 7"), std::string::npos) << nul->message_en();
  EXPECT_NE(Find(report, "V-TEXT-CONTROL", "department.contactPhone"), nullptr) << Dump(report);
  const Finding* newline = Find(report, "V-TEXT-CONTROL", "department.shortName");
  ASSERT_NE(newline, nullptr) << Dump(report);
  EXPECT_EQ(newline->actual(), "U+000A");
  EXPECT_NE(Find(report, "V-TEXT-CONTROL", "budget.projects[1].name"), nullptr) << Dump(report);
  EXPECT_EQ(Find(report, "V-TEXT-CONTROL", "budget.projects[1].purpose"), nullptr) << Dump(report);
  const Finding* cr = Find(report, "V-TEXT-CONTROL", "budget.narrative.generalBudgetChangeReason");
  ASSERT_NE(cr, nullptr) << Dump(report);
  EXPECT_EQ(cr->actual(), "U+000D");
  ExpectWellFormed(report);  // the control characters are not copied into the messages
}

TEST(Rules, MissingDepartmentFields) {
  v1::Department d = ReferenceDepartment();
  d.clear_full_name();
  d.clear_short_name();
  d.set_fiscal_level(v1::FISCAL_LEVEL_UNSPECIFIED);
  d.set_region_code("42010");
  d.set_agency_code("00500A");
  const ValidationReport report = ValidateDepartment(d);
  const Finding* f = Find(report, "V-FIELD-REQUIRED", "department.fullName");
  ASSERT_NE(f, nullptr) << Dump(report);
  EXPECT_EQ(f->severity(), SEVERITY_FATAL);
  EXPECT_NE(Find(report, "V-FIELD-REQUIRED", "department.shortName"), nullptr) << Dump(report);
  EXPECT_NE(Find(report, "V-ENUM-UNSPECIFIED", "department.fiscalLevel"), nullptr) << Dump(report);
  EXPECT_NE(Find(report, "V-FIELD-FORMAT", "department.regionCode"), nullptr) << Dump(report);
  EXPECT_NE(Find(report, "V-FIELD-FORMAT", "department.agencyCode"), nullptr) << Dump(report);
  EXPECT_EQ(report.fatal_count(), 5) << Dump(report);
  ExpectWellFormed(report);
}

TEST(Rules, UnbalancedIncome) {
  v1::Budget b = ReferenceBudget();
  b.mutable_income_lines(0)->set_amount_fen(b.income_lines(0).amount_fen() - 100 * kYuan);
  const ValidationReport report = Validate(b);
  const Finding* f = Find(report, "R-T1-4", "budget.incomeLines[0].amountFen");
  ASSERT_NE(f, nullptr) << Dump(report);
  EXPECT_EQ(f->severity(), SEVERITY_FATAL);
  EXPECT_EQ(f->expected(), "415.51 万元");
  EXPECT_EQ(f->actual(), "415.50 万元");
  EXPECT_EQ(f->difference(), "-0.01 万元");
  EXPECT_EQ(report.fatal_count(), 1) << Dump(report);
  ExpectWellFormed(report);
}

// Issue 3: one expenditure line up by 1 分 must be visible in the finding.
TEST(Rules, OneFenImbalanceIsShownInYuan) {
  v1::Budget b = ReferenceBudget();
  b.mutable_expenditure_lines(0)->set_amount_fen(b.expenditure_lines(0).amount_fen() + 1);
  const ValidationReport report = Validate(b);
  const Finding* f = Find(report, "R-T1-4", "budget.incomeLines[0].amountFen");
  ASSERT_NE(f, nullptr) << Dump(report);
  EXPECT_EQ(f->severity(), SEVERITY_FATAL);
  EXPECT_EQ(f->expected(), "4155100.01 元");
  EXPECT_EQ(f->actual(), "4155100.00 元");
  EXPECT_EQ(f->difference(), "-0.01 元");
  EXPECT_NE(f->message_zh().find("4155100.00 元"), std::string::npos) << f->message_zh();
  ExpectWellFormed(report);
}

TEST(Rules, TheRuleListHasUniqueDescribedIds) {
  std::set<std::string> ids;
  for (const auto& rule : LedgerRules()) {
    EXPECT_TRUE(ids.insert(rule.rule_id()).second) << "duplicate " << rule.rule_id();
    EXPECT_FALSE(rule.description_zh().empty()) << rule.rule_id();
    EXPECT_FALSE(rule.description_en().empty()) << rule.rule_id();
    EXPECT_NE(rule.category(), yusuan::common::v1::RULE_CATEGORY_UNSPECIFIED) << rule.rule_id();
    EXPECT_EQ(rule.service(), "ledger");
  }
  EXPECT_GE(ids.size(), 26u);
}

TEST(Rules, SpendingWithoutIncomeOfItsSource) {
  v1::Budget b = ReferenceBudget();
  b.mutable_expenditure_lines(0)->set_fund_source(v1::FUND_SOURCE_INSTITUTION_REVENUE);
  b.mutable_expenditure_lines(1)->set_from_carryover(true);
  const ValidationReport report = Validate(b);
  // 事业收入 has no income line: the finding points at the list.
  const Finding* f = Find(report, "R-T6-5", "budget.incomeLines");
  ASSERT_NE(f, nullptr) << Dump(report);
  ASSERT_EQ(b.expenditure_lines(0).amount_fen(), 26'843'600);  // 基本工资 on 行政运行
  EXPECT_EQ(f->expected(), "26.84 万元");
  EXPECT_NE(Find(report, "R-T1-4", "budget.incomeLines[0].amountFen"), nullptr) << Dump(report);
  // The general budget's carry-over side has no income line either.
  EXPECT_EQ(report.fatal_count(), 3) << Dump(report);
  ExpectWellFormed(report);
}

TEST(Rules, EditionAndCatalogue) {
  v1::Budget b = ReferenceBudget();
  b.set_catalogue_edition(2019);  // no such catalogue is shipped
  ValidationReport report = Validate(b);
  EXPECT_NE(Find(report, "V-EDITION-MISMATCH", "budget.catalogueEdition"), nullptr) << Dump(report);
  EXPECT_NE(Find(report, "V-CATALOGUE-MISSING", "budget.catalogueEdition"), nullptr) << Dump(report);
  ExpectWellFormed(report);

  b = ReferenceBudget();
  b.clear_fiscal_year();
  b.clear_stage();
  report = Validate(b);
  EXPECT_NE(Find(report, "V-FIELD-REQUIRED", "budget.fiscalYear"), nullptr) << Dump(report);
  EXPECT_NE(Find(report, "V-ENUM-UNSPECIFIED", "budget.stage"), nullptr) << Dump(report);

  b = ReferenceBudget();
  b.set_fiscal_year(1999);
  b.set_catalogue_edition(1999);
  report = Validate(b);
  EXPECT_NE(Find(report, "V-FIELD-RANGE", "budget.fiscalYear"), nullptr) << Dump(report);
}

TEST(Rules, KindsSourcesAndEconomicClasses) {
  v1::Budget b = ReferenceBudget();
  b.mutable_expenditure_lines(0)->set_kind(v1::EXPENDITURE_KIND_UNSPECIFIED);
  b.mutable_expenditure_lines(1)->set_fund_source(v1::FUND_SOURCE_UNSPECIFIED);
  b.mutable_expenditure_lines(2)->set_economic_code("30201");  // personnel on a 302 item
  b.mutable_expenditure_lines(20)->set_kind(v1::EXPENDITURE_KIND_BASIC_PUBLIC);
  b.mutable_expenditure_lines(20)->set_economic_code("30101");  // public on a 301 item
  b.mutable_income_lines(0)->set_source(v1::FUND_SOURCE_UNSPECIFIED);
  const ValidationReport report = Validate(b);
  EXPECT_NE(Find(report, "V-ENUM-UNSPECIFIED", "budget.expenditureLines[0].kind"), nullptr) << Dump(report);
  EXPECT_NE(Find(report, "V-ENUM-UNSPECIFIED", "budget.expenditureLines[1].fundSource"), nullptr) << Dump(report);
  EXPECT_NE(Find(report, "R-T3-5", "budget.expenditureLines[2].kind"), nullptr) << Dump(report);
  EXPECT_NE(Find(report, "R-T3-5", "budget.expenditureLines[20].kind"), nullptr) << Dump(report);
  EXPECT_NE(Find(report, "V-ENUM-UNSPECIFIED", "budget.incomeLines[0].source"), nullptr) << Dump(report);
  ExpectWellFormed(report);
}

TEST(Rules, ProjectReferences) {
  v1::Budget b = ReferenceBudget();
  b.mutable_expenditure_lines(28)->set_project_id("P-missing");
  b.mutable_expenditure_lines(29)->clear_project_id();
  b.mutable_expenditure_lines(0)->set_project_id("P2021-001");
  b.mutable_projects(1)->set_project_id("P2021-001");
  const ValidationReport report = Validate(b);
  EXPECT_NE(Find(report, "V-PROJECT-REF", "budget.expenditureLines[28].projectId"), nullptr) << Dump(report);
  EXPECT_NE(Find(report, "V-PROJECT-REF", "budget.expenditureLines[29].projectId"), nullptr) << Dump(report);
  const Finding* stray = Find(report, "V-PROJECT-STRAY", "budget.expenditureLines[0].projectId");
  ASSERT_NE(stray, nullptr) << Dump(report);
  EXPECT_EQ(stray->severity(), SEVERITY_WARNING);
  EXPECT_NE(Find(report, "V-PROJECT-ID-DUP", "budget.projects[1].projectId"), nullptr) << Dump(report);
  ExpectWellFormed(report);
}

TEST(Rules, ProjectForms) {
  v1::Budget b = ReferenceBudget();
  v1::Project* p = b.mutable_projects(1);
  p->set_total_fen(p->total_fen() + 1);  // R-T10-1 (total) and R-T10-2 (one-year)
  p->set_year_other_fen(100);            // R-T10-1 (year)
  const ValidationReport report = Validate(b);
  const Finding* total = Find(report, "R-T10-1", "budget.projects[1].totalFen");
  ASSERT_NE(total, nullptr) << Dump(report);
  EXPECT_EQ(total->expected(), "208000.00 元");
  EXPECT_EQ(total->actual(), "208000.01 元");
  EXPECT_NE(Find(report, "R-T10-1", "budget.projects[1].yearTotalFen"), nullptr) << Dump(report);
  EXPECT_NE(Find(report, "R-T10-2", "budget.projects[1].yearTotalFen"), nullptr) << Dump(report);
  ExpectWellFormed(report);

  // A project whose lines do not add up to its year total; the fiscal
  // grants of the projects no longer match the project spending either.
  v1::Budget c = ReferenceBudget();
  v1::Project* q = c.mutable_projects(0);
  q->set_year_total_fen(q->year_total_fen() + 100 * kYuan);
  q->set_year_fiscal_fen(q->year_fiscal_fen() + 100 * kYuan);
  q->set_total_fen(q->year_total_fen());
  q->set_total_fiscal_fen(q->year_fiscal_fen());
  const ValidationReport r2 = Validate(c);
  const Finding* lines = Find(r2, "R-T10-4", "budget.projects[0].yearTotalFen");
  ASSERT_NE(lines, nullptr) << Dump(r2);
  EXPECT_EQ(lines->difference(), "100.00 元");
  const Finding* sum = Find(r2, "R-T10-3", "budget.projects");
  ASSERT_NE(sum, nullptr) << Dump(r2);
  EXPECT_EQ(sum->severity(), SEVERITY_WARNING);
  EXPECT_EQ(r2.fatal_count(), 1) << Dump(r2);
  ExpectWellFormed(r2);
}

TEST(Rules, ProjectPeriod) {
  v1::Budget b = ReferenceBudget();
  b.mutable_projects(0)->set_start_year(2022);
  b.mutable_projects(0)->set_end_year(2023);
  b.mutable_projects(1)->clear_end_year();
  const ValidationReport report = Validate(b);
  EXPECT_NE(Find(report, "V-PROJECT-PERIOD", "budget.projects[0].startYear"), nullptr) << Dump(report);
  EXPECT_NE(Find(report, "V-PROJECT-PERIOD", "budget.projects[1].endYear"), nullptr) << Dump(report);
  EXPECT_EQ(report.fatal_count(), 0) << Dump(report);
}

TEST(Rules, ProjectOnAdministrativeOperationWarns) {
  v1::Budget b = ReferenceBudget();
  b.mutable_expenditure_lines(31)->set_functional_code("2060101");
  const ValidationReport report = Validate(b);
  const Finding* f = Find(report, "R-T2-5", "budget.expenditureLines[31].functionalCode");
  ASSERT_NE(f, nullptr) << Dump(report);
  EXPECT_EQ(f->severity(), SEVERITY_WARNING);
  EXPECT_EQ(report.fatal_count(), 0) << Dump(report);
}

TEST(Rules, ProjectHintNamesTheItemsOfTheSameKuan) {
  v1::Budget b = ReferenceBudget();
  b.mutable_expenditure_lines(31)->set_functional_code("2060101");
  const ValidationReport report = Validate(b);
  const Finding* f = Find(report, "R-T2-5", "budget.expenditureLines[31].functionalCode");
  ASSERT_NE(f, nullptr) << Dump(report);
  // The other 项 of 20601, from the catalogue, not a fixed example.
  EXPECT_NE(f->hint().find("20601 科学技术管理事务: 2060102 一般行政管理事务"), std::string::npos) << f->hint();
  EXPECT_EQ(f->hint().find("2060101"), std::string::npos) << f->hint();
  EXPECT_EQ(f->hint().find("科普 work"), std::string::npos) << f->hint();
}

TEST(Rules, ProjectOnAnItemEndingInZeroOneThatIsNotOperationsPasses) {
  // 2210201 住房公积金 ends in 01 but is not an office's running costs, so a
  // project there does not warn; 2012901 行政运行 does.
  v1::Budget b = ReferenceBudget();
  b.mutable_expenditure_lines(31)->set_functional_code("2210201");
  const ValidationReport with_housing = Validate(b);
  EXPECT_EQ(Find(with_housing, "R-T2-5", "budget.expenditureLines[31].functionalCode"), nullptr) << Dump(with_housing);
  b.mutable_expenditure_lines(31)->set_functional_code("2012901");
  const ValidationReport with_operations = Validate(b);
  EXPECT_NE(Find(with_operations, "R-T2-5", "budget.expenditureLines[31].functionalCode"), nullptr)
      << Dump(with_operations);
}

TEST(Rules, AFundLineOnAGeneralCodeIsFatalNamingTheBudgets) {
  v1::Budget b = ReferenceBudget();
  b.mutable_expenditure_lines(31)->set_fund_source(v1::FUND_SOURCE_GOVERNMENT_FUND_BUDGET);
  const ValidationReport report = Validate(b);
  const Finding* f = Find(report, "V-FUND-KIND", "budget.expenditureLines[31].functionalCode");
  ASSERT_NE(f, nullptr) << Dump(report);
  EXPECT_EQ(f->severity(), SEVERITY_FATAL);
  EXPECT_NE(f->message_zh().find("2060102 一般行政管理事务"), std::string::npos) << f->message_zh();
  EXPECT_NE(f->message_zh().find("属于一般公共预算，不属于政府性基金预算"), std::string::npos) << f->message_zh();
  EXPECT_EQ(f->location().table(), 5);
  // Every other source is classified with general-budget codes.
  b.mutable_expenditure_lines(31)->set_fund_source(v1::FUND_SOURCE_OTHER_REVENUE);
  EXPECT_EQ(Find(Validate(b), "V-FUND-KIND", "budget.expenditureLines[31].functionalCode"), nullptr);
}

TEST(Rules, AUnitCodeMustNameAUnitWithItsType) {
  v1::Budget b = ReferenceBudget();
  b.mutable_expenditure_lines(0)->set_unit_code("777");
  const ValidationReport unknown = Validate(b);
  const Finding* f = Find(unknown, "V-UNIT-REF", "budget.expenditureLines[0].unitCode");
  ASSERT_NE(f, nullptr) << Dump(unknown);
  EXPECT_EQ(f->actual(), "777");

  v1::Department d = ReferenceDepartment();
  v1::SecondaryUnit* unit = d.add_secondary_units();
  unit->set_code("777");
  unit->set_name("青山区科技馆");
  const ValidationReport untyped = Validate(b, d);
  EXPECT_NE(Find(untyped, "V-UNIT-REF", "department.secondaryUnits[0].unitType"), nullptr) << Dump(untyped);
  unit->set_unit_type(v1::UNIT_TYPE_PUBLIC_INSTITUTION);
  const ValidationReport typed = Validate(b, d);
  EXPECT_EQ(typed.fatal_count(), 0) << Dump(typed);
}

TEST(Rules, ThreePublicAndAssets) {
  v1::Budget b = ReferenceBudget();
  b.mutable_three_public()->mutable_current()->set_vehicle_operation_fen(100);
  b.mutable_assets()->set_planned_vehicle_purchases(-1);
  const ValidationReport report = Validate(b);
  const Finding* f = Find(report, "R-T4-4", "budget.threePublic.current.vehicleOperationFen");
  ASSERT_NE(f, nullptr) << Dump(report);
  EXPECT_EQ(f->severity(), SEVERITY_WARNING);
  EXPECT_NE(Find(report, "V-COUNT-NEGATIVE", "budget.assets.plannedVehiclePurchases"), nullptr) << Dump(report);
}

TEST(Rules, Staffing) {
  v1::Department d = ReferenceDepartment();
  d.mutable_staffing()->set_in_service(6);
  d.mutable_staffing()->set_retired(-1);
  const ValidationReport report = ValidateDepartment(d);
  const Finding* f = Find(report, "X20", "department.staffing.inService");
  ASSERT_NE(f, nullptr) << Dump(report);
  EXPECT_EQ(f->severity(), SEVERITY_WARNING);
  EXPECT_NE(Find(report, "V-COUNT-NEGATIVE", "department.staffing.retired"), nullptr) << Dump(report);
  EXPECT_EQ(report.fatal_count(), 1);
  EXPECT_EQ(report.warning_count(), 1);
}

TEST(Rules, PriorYearFundsBalance) {
  v1::Budget b = ReferenceBudget();
  // 2020 (listed first): 财政拨款 407.22 = 基本 133.14 + 项目 274.08 万元.
  ASSERT_EQ(b.prior_years().funds(0).year(), 2020);
  b.mutable_prior_years()->mutable_funds(0)->set_basic_fen(1'331'500 * kYuan);
  const ValidationReport report = Validate(b);
  const Finding* f = Find(report, "R-T9-3", "budget.priorYears.funds[0]");
  ASSERT_NE(f, nullptr) << Dump(report);
  EXPECT_EQ(f->expected(), "407.23 万元");
  EXPECT_EQ(f->actual(), "407.22 万元");
  EXPECT_EQ(report.fatal_count(), 1) << Dump(report);
}

TEST(Rules, HugeAmountsDoNotOverflow) {
  v1::Budget b = ReferenceBudget();
  b.mutable_expenditure_lines(0)->set_amount_fen(INT64_MAX);
  b.mutable_expenditure_lines(1)->set_amount_fen(INT64_MAX);
  b.mutable_income_lines(0)->set_amount_fen(INT64_MIN);
  const ValidationReport report = Validate(b);
  EXPECT_NE(Find(report, "V-AMOUNT-RANGE", "budget.incomeLines[0].amountFen"), nullptr) << Dump(report);
  EXPECT_NE(Find(report, "V-AMOUNT-NEGATIVE", "budget.incomeLines[0].amountFen"), nullptr) << Dump(report);
  ExpectWellFormed(report);
}

// Issue 13: the asset date was taken as written and the narrative printed
// "截至 2021 年 13 月 45 日"; an impossible date is refused, an empty one is
// not stated.
TEST(Rules, AnAssetDateThatIsNoDateIsRefused) {
  for (const char* date : {"2021-13-45", "2021-02-29", "2021/12/31", "31.12.2021"}) {
    v1::Budget b = ReferenceBudget();
    b.mutable_assets()->set_as_of_date(date);
    const ValidationReport report = Validate(b);
    const Finding* f = Find(report, "V-FIELD-FORMAT", "budget.assets.asOfDate");
    ASSERT_NE(f, nullptr) << date << Dump(report);
    EXPECT_EQ(f->severity(), yusuan::common::v1::SEVERITY_FATAL);
  }
  for (const char* date : {"", "2020-12-31", "2020-02-29"}) {
    v1::Budget b = ReferenceBudget();
    b.mutable_assets()->set_as_of_date(date);
    EXPECT_EQ(Find(Validate(b), "V-FIELD-FORMAT", "budget.assets.asOfDate"), nullptr) << date;
  }
}

// Issue 13: V-AMOUNT-RANGE named the whole budget ("budget"); it names the
// field where the sum of the amounts crosses the bound, in both languages,
// even when every amount alone is in range.
TEST(Rules, AmountsPastWhatCanBeAddedAreNamedAtTheLineThatCrosses) {
  v1::Budget b = ReferenceBudget();
  b.mutable_expenditure_lines(0)->set_amount_fen(int64_t{1} << 61);
  b.mutable_expenditure_lines(1)->set_amount_fen(int64_t{1} << 61);
  const ValidationReport report = Validate(b);
  const Finding* f = Find(report, "V-AMOUNT-RANGE", "budget.expenditureLines[1].amountFen");
  ASSERT_NE(f, nullptr) << Dump(report);
  EXPECT_NE(f->message_zh().find("budget.expenditureLines[1].amountFen"), std::string::npos) << f->message_zh();
  EXPECT_NE(f->message_en().find("budget.expenditureLines[1].amountFen"), std::string::npos) << f->message_en();
  ExpectWellFormed(report);
}

}  // namespace
}  // namespace yusuan::ledger
