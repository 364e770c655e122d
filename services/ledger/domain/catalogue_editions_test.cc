// The catalogue editions 2020–2026 of data/catalogue, and that a
// budget is checked and named with the edition of its own year
// (domain.md §3.1–§3.3; the differences are listed in data/catalogue/README.md).
#include <string>

#include "gtest/gtest.h"
#include "services/common/testing/reference_filing.h"
#include "services/ledger/domain/catalogue.h"
#include "services/ledger/domain/projections.h"
#include "services/ledger/domain/rules.h"

namespace yusuan::ledger {
namespace {

namespace v1 = yusuan::ledger::v1;
using yusuan::common::v1::Finding;
using yusuan::common::v1::SEVERITY_FATAL;
using yusuan::common::v1::ValidationReport;
using yusuan::testing::ReferenceBudget;
using yusuan::testing::ReferenceDepartment;

const CatalogueSet& Catalogues() {
  static const CatalogueSet* const set = [] {
    absl::StatusOr<CatalogueSet> s = CatalogueSet::LoadFromDirectory(YUSUAN_SOURCE_DIR "/data/catalogue");
    if (!s.ok()) {
      ADD_FAILURE() << s.status();
      return new CatalogueSet();
    }
    return new CatalogueSet(*std::move(s));
  }();
  return *set;
}

// Fails the calling test (ASSERT_NE) when the edition is missing.
const Catalogue& Edition(int edition) {
  const Catalogue* c = Catalogues().Find(edition);
  if (c == nullptr) {
    ADD_FAILURE() << "edition " << edition << " is not loaded";
    static const Catalogue empty;
    return empty;
  }
  return *c;
}

std::string Name(int edition, const std::string& code) {
  const std::string* name = Edition(edition).FunctionalName(code);
  return name == nullptr ? "(absent)" : *name;
}

// The reference budget moved whole to `year`: the year, the edition, the
// resource name, the projects' period and the two prior years, so that only
// the edition's codes can differ from the 2021 filing.
v1::Budget ReferenceBudgetFor(int year) {
  v1::Budget b = ReferenceBudget();
  const int shift = year - b.fiscal_year();
  b.set_fiscal_year(year);
  b.set_catalogue_edition(year);
  b.set_name("regions/420107/departments/005001022/budgets/" + std::to_string(year));
  for (v1::Project& p : *b.mutable_projects()) {
    p.set_start_year(p.start_year() + shift);
    p.set_end_year(p.end_year() + shift);
  }
  for (v1::YearFunds& f : *b.mutable_prior_years()->mutable_funds()) f.set_year(f.year() + shift);
  return b;
}

int LineIndexOf(const v1::Budget& b, const std::string& functional_code) {
  for (int i = 0; i < b.expenditure_lines_size(); ++i) {
    if (b.expenditure_lines(i).functional_code() == functional_code) return i;
  }
  return -1;
}

std::string Dump(const ValidationReport& report) {
  std::string out;
  for (const Finding& f : report.findings()) {
    out += f.rule_id() + " " + f.field() + " " + f.message_en() + "\n";
  }
  return out;
}

const Finding* FindError(const ValidationReport& report, const std::string& rule_id, const std::string& field) {
  for (const Finding& f : report.findings()) {
    if (f.rule_id() == rule_id && f.field() == field && f.severity() == SEVERITY_FATAL) return &f;
  }
  return nullptr;
}

// The name 表2 prints for `code`, or "(no row)".
std::string Table2Name(const v1::Budget& budget, const Catalogue& catalogue, const std::string& code) {
  absl::StatusOr<v1::BudgetTables> tables = ComputeTables(ReferenceDepartment(), budget, catalogue);
  EXPECT_TRUE(tables.ok()) << tables.status();
  if (!tables.ok() || tables->tables_size() < 2) return "(no tables)";
  const v1::BudgetTable& t2 = tables->tables(1);
  EXPECT_EQ(t2.number(), 2);
  for (const v1::TableRow& row : t2.rows()) {
    if (row.code() == code) return row.name();
  }
  return "(no row)";
}

TEST(CatalogueEditions, DirectoryHoldsTwentyTwentyToTwentyTwentyTwo) {
  for (int edition : {2020, 2021, 2022}) {
    const Catalogue* c = Catalogues().Find(edition);
    ASSERT_NE(c, nullptr) << edition;
    EXPECT_EQ(c->edition(), edition);
  }
}

TEST(CatalogueEditions, Kuan20805RenamedIn2021) {
  EXPECT_EQ(Name(2020, "20805"), "行政事业单位离退休");
  EXPECT_EQ(Name(2021, "20805"), "行政事业单位养老支出");
  EXPECT_EQ(Name(2022, "20805"), "行政事业单位养老支出");

  EXPECT_EQ(Name(2020, "2080501"), "归口管理的行政单位离退休");
  EXPECT_EQ(Name(2021, "2080501"), "行政单位离退休");
  EXPECT_EQ(Name(2022, "2080501"), "行政单位离退休");

  EXPECT_TRUE(Edition(2020).IsFunctionalItem("2080504"));
  EXPECT_EQ(Name(2020, "2080504"), "未归口管理的行政单位离退休");
  EXPECT_FALSE(Edition(2021).IsKnownFunctional("2080504"));
  EXPECT_FALSE(Edition(2022).IsKnownFunctional("2080504"));

  // The 项 the reference filing uses is in every edition.
  for (int edition : {2020, 2021, 2022}) {
    EXPECT_EQ(Name(edition, "2080505"), "机关事业单位基本养老保险缴费支出") << edition;
  }
}

TEST(CatalogueEditions, Lei234OnlyIn2020And2021) {
  EXPECT_EQ(Name(2020, "234"), "抗疫特别国债安排的支出");
  EXPECT_EQ(Name(2021, "234"), "抗疫特别国债安排的支出");
  EXPECT_FALSE(Edition(2022).IsKnownFunctional("234"));
}

TEST(CatalogueEditions, Lei210IsWeishengJiankangInEveryEdition) {
  for (int edition : {2020, 2021, 2022}) {
    EXPECT_EQ(Name(edition, "210"), "卫生健康支出") << edition;
  }
}

TEST(CatalogueEditions, Budget2022ValidatesAndTakesNamesFrom2022) {
  const v1::Budget b = ReferenceBudgetFor(2022);
  const ValidationReport report = ValidateBudget(ReferenceDepartment(), b, Catalogues());
  EXPECT_EQ(report.fatal_count(), 0) << Dump(report);
  for (const Finding& f : report.findings()) EXPECT_NE(f.severity(), SEVERITY_FATAL) << Dump(report);

  ASSERT_NE(Catalogues().Find(2022), nullptr);
  EXPECT_EQ(Table2Name(b, *Catalogues().Find(2022), "20805"), "行政事业单位养老支出");
  EXPECT_EQ(Table2Name(b, *Catalogues().Find(2022), "210"), "卫生健康支出");
  EXPECT_EQ(Table2Name(b, *Catalogues().Find(2022), "2080505"), "机关事业单位基本养老保险缴费支出");
}

TEST(CatalogueEditions, Budget2020ValidatesAndTakesNamesFrom2020) {
  const v1::Budget b = ReferenceBudgetFor(2020);
  const ValidationReport report = ValidateBudget(ReferenceDepartment(), b, Catalogues());
  EXPECT_EQ(report.fatal_count(), 0) << Dump(report);

  ASSERT_NE(Catalogues().Find(2020), nullptr);
  EXPECT_EQ(Table2Name(b, *Catalogues().Find(2020), "20805"), "行政事业单位离退休");
  EXPECT_EQ(Table2Name(b, *Catalogues().Find(2020), "210"), "卫生健康支出");
}

TEST(CatalogueEditions, Budget2022OnThe2021EditionIsRefused) {
  v1::Budget b = ReferenceBudgetFor(2022);
  b.set_catalogue_edition(2021);
  const ValidationReport report = ValidateBudget(ReferenceDepartment(), b, Catalogues());
  EXPECT_NE(FindError(report, "V-EDITION-MISMATCH", "budget.catalogueEdition"), nullptr) << Dump(report);
  // 2021 is loaded: the refusal is the mismatch, not a missing catalogue.
  for (const Finding& f : report.findings()) EXPECT_NE(f.rule_id(), "V-CATALOGUE-MISSING") << Dump(report);
  EXPECT_GE(report.fatal_count(), 1);
}

TEST(CatalogueEditions, Code2080504IsUnknownIn2022ButNotIn2020) {
  v1::Budget b2022 = ReferenceBudgetFor(2022);
  const int i = LineIndexOf(b2022, "2080505");
  ASSERT_GE(i, 0);
  b2022.mutable_expenditure_lines(i)->set_functional_code("2080504");
  const std::string field = "budget.expenditureLines[" + std::to_string(i) + "].functionalCode";

  const ValidationReport report = ValidateBudget(ReferenceDepartment(), b2022, Catalogues());
  const Finding* f = FindError(report, "V-CODE-UNKNOWN", field);
  ASSERT_NE(f, nullptr) << Dump(report);
  EXPECT_NE(f->message_en().find("2080504"), std::string::npos) << f->message_en();
  EXPECT_NE(f->message_en().find("2022"), std::string::npos) << f->message_en();
  EXPECT_EQ(report.fatal_count(), 1) << Dump(report);

  // The same line is a valid 项 of the 2020 edition.
  v1::Budget b2020 = ReferenceBudgetFor(2020);
  ASSERT_EQ(LineIndexOf(b2020, "2080505"), i);
  b2020.mutable_expenditure_lines(i)->set_functional_code("2080504");
  const ValidationReport report2020 = ValidateBudget(ReferenceDepartment(), b2020, Catalogues());
  EXPECT_EQ(report2020.fatal_count(), 0) << Dump(report2020);
  ASSERT_NE(Catalogues().Find(2020), nullptr);
  EXPECT_EQ(Table2Name(b2020, *Catalogues().Find(2020), "2080504"), "未归口管理的行政单位离退休");
}

// Issue 11, defect 11: every budget year from 2020 to 2026 has its edition,
// and the reference filing moved to each year validates.
TEST(CatalogueEditions, EveryEditionFrom2020To2026ValidatesTheReference) {
  for (int year = 2020; year <= 2026; ++year) {
    ASSERT_NE(Catalogues().Find(year), nullptr) << year;
    const ValidationReport report = ValidateBudget(ReferenceDepartment(), ReferenceBudgetFor(year), Catalogues());
    EXPECT_EQ(report.fatal_count(), 0) << year << "\n" << Dump(report);
  }
  // Each later edition is derived from the one before it.
  for (int year = 2023; year <= 2026; ++year) EXPECT_EQ(Edition(year).based_on(), year - 1) << year;
  EXPECT_EQ(Name(2023, "21305"), "巩固脱贫攻坚成果衔接乡村振兴");
  EXPECT_EQ(Name(2022, "21305"), "巩固脱贫衔接乡村振兴");
  EXPECT_EQ(Name(2020, "21305"), "扶贫");
  EXPECT_TRUE(Edition(2025).IsFunctionalItem("2170404"));
  EXPECT_FALSE(Edition(2024).IsKnownFunctional("2170404"));
}

// Issue 11's culture-and-tourism bureau: its 政府性基金 project needs 款 20707
// and its 项 in the 2022 edition, tagged as the fund budget's.
TEST(CatalogueEditions, CultureFundCodesExistAndBelongToTheFundBudget) {
  const Catalogue& c = Edition(2022);
  EXPECT_EQ(Name(2022, "20707"), "国家电影事业发展专项资金安排的支出");
  int items = 0;
  for (const CatalogueCode& item : c.FunctionalChildren("20707")) {
    ++items;
    EXPECT_TRUE(item.budgets.Contains(v1::BUDGET_KIND_GOVERNMENT_FUND)) << item.code;
    EXPECT_FALSE(item.budgets.Contains(v1::BUDGET_KIND_GENERAL)) << item.code;
  }
  EXPECT_GE(items, 3);
  // 类 207 has 项 of both budgets, and a 行政运行.
  EXPECT_TRUE(c.FunctionalBudgets("207").Contains(v1::BUDGET_KIND_GENERAL));
  EXPECT_TRUE(c.FunctionalBudgets("207").Contains(v1::BUDGET_KIND_GOVERNMENT_FUND));
  EXPECT_TRUE(c.IsOperationsItem("2070101"));
  // 类 223 is the state-capital budget's, 209 the social-insurance funds'.
  EXPECT_TRUE(c.FunctionalBudgets("223").Contains(v1::BUDGET_KIND_STATE_CAPITAL));
  EXPECT_FALSE(c.FunctionalBudgets("223").Contains(v1::BUDGET_KIND_GENERAL));
  EXPECT_TRUE(c.FunctionalBudgets("209").Contains(v1::BUDGET_KIND_SOCIAL_INSURANCE));
}

// The complete catalogue holds every 类 with at least one 款 and, but for the
// few 款 that have none, their 项; the reference's codes keep their names.
TEST(CatalogueEditions, The2021EditionIsComplete) {
  const Catalogue& c = Edition(2021);
  int classes = 0, kuan = 0, items = 0;
  for (const CatalogueCode& code : c.FunctionalCodes()) {
    classes += code.code.size() == 3;
    kuan += code.code.size() == 5;
    items += code.code.size() == 7;
  }
  EXPECT_EQ(classes, 30);
  EXPECT_GE(kuan, 250);
  EXPECT_GE(items, 1400);
  for (const CatalogueCode& code : c.FunctionalCodes()) {
    if (code.code.size() != 3 || code.code == "227") continue;  // 预备费 has no 款
    EXPECT_FALSE(c.FunctionalChildren(code.code).empty()) << code.code << " " << code.name;
  }
  EXPECT_GE(c.EconomicCodes().size(), 100u);
  EXPECT_GE(c.GovernmentEconomicCodes().size(), 70u);
  EXPECT_EQ(c.GovernmentEconomicFor("30101", v1::UNIT_TYPE_ADMINISTRATIVE), std::vector<std::string>{"50101"});
}

}  // namespace
}  // namespace yusuan::ledger
