// The 2020, 2021 and 2022 catalogue editions of data/catalogue, and that a
// budget is checked and named with the edition of its own year
// (domain.md §3.1–§3.3; the differences are listed in data/catalogue/README.md).
#include <string>

#include "gtest/gtest.h"
#include "services/ledger/domain/catalogue.h"
#include "services/ledger/domain/projections.h"
#include "services/ledger/domain/rules.h"
#include "services/ledger/domain/testdata_reference.h"

namespace yusuan::ledger {
namespace {

namespace v1 = yusuan::ledger::v1;
using yusuan::common::v1::Finding;
using yusuan::common::v1::SEVERITY_FATAL;
using yusuan::common::v1::ValidationReport;
using testing::ReferenceBudget;
using testing::ReferenceDepartment;

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

}  // namespace
}  // namespace yusuan::ledger
