// Properties of the product over generated departments (tools/synth): every
// generated filing passes every rule the gateway runs, generation is
// deterministic, the departments cover every sector, and each class of
// mistake, made in any department, is caught by its rule at the line that
// was changed.
//
// YUSUAN_PROPERTY_DEPARTMENTS sets how many departments (default 200, what
// CI runs; 5000 for a longer local run); YUSUAN_PROPERTY_CATALOGUE_DIR
// another catalogue directory (default: the shipped data/catalogue);
// YUSUAN_PROPERTY_SEED another seed (default 20211).
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/cross_rules/cross_rules.h"
#include "services/gateway/names.h"
#include "services/goals/domain/rules.h"
#include "services/ledger/domain/catalogue.h"
#include "services/ledger/domain/department_view.h"
#include "services/ledger/domain/projections.h"
#include "services/ledger/domain/rule_catalogue.h"
#include "services/ledger/domain/rules.h"
#include "services/ledger/domain/units.h"
#include "tests/property/property_options.h"
#include "tools/synth/synth.h"

namespace yusuan::synth {
namespace {

namespace gv1 = yusuan::gateway::v1;
namespace lv1 = yusuan::ledger::v1;
using yusuan::common::v1::Finding;
using yusuan::common::v1::ValidationReport;
using yusuan::ledger::CatalogueSet;

// What the gateway runs on a filing (orchestrator.cc Validate): the name
// check, the ledger's department and budget rules, the goal rules and the
// goals ↔ ledger rules.
ValidationReport AllRules(const gv1::Filing& filing, const CatalogueSet& catalogues) {
  gv1::Filing named = filing;
  ValidationReport report;
  for (Finding& f : yusuan::gateway::FillFilingNames(named)) *report.add_findings() = std::move(f);
  for (const ValidationReport& part :
       {yusuan::ledger::ValidateFiling(named.department(), named.budget(), catalogues),
        yusuan::goals::ValidateGoalSet(named.goals()),
        yusuan::cross_rules::ValidateGoalsAgainstBudget(named.goals(), named.budget())}) {
    for (const Finding& f : part.findings()) *report.add_findings() = f;
  }
  return report;
}

std::string Describe(const ValidationReport& report, int limit = 8) {
  std::string out;
  int shown = 0;
  for (const Finding& f : report.findings()) {
    if (shown++ == limit) {
      absl::StrAppend(&out, "  …\n");
      break;
    }
    absl::StrAppend(&out, "  ", yusuan::common::v1::Severity_Name(f.severity()), " [", f.rule_id(), "] ", f.field(),
                    ": ", f.message_en(), "\n");
  }
  return out;
}

bool IsFatal(const Finding& f) { return f.severity() == yusuan::common::v1::SEVERITY_FATAL; }

int FatalCount(const ValidationReport& report) {
  return static_cast<int>(std::count_if(report.findings().begin(), report.findings().end(), IsFatal));
}

// A FATAL finding of `rule` whose field is `field`.
bool HasFatal(const ValidationReport& report, const std::string& rule, const std::string& field) {
  return std::any_of(report.findings().begin(), report.findings().end(),
                     [&](const Finding& f) { return IsFatal(f) && f.rule_id() == rule && f.field() == field; });
}

bool RuleListed(const std::string& rule) {
  const auto& rules = yusuan::ledger::LedgerRules();
  return std::any_of(rules.begin(), rules.end(), [&](const auto& r) { return r.rule_id() == rule; });
}

class SynthPropertyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<CatalogueSet> loaded = LoadPropertyCatalogues();
    if (!loaded.ok()) {
      *setup_error_ = std::string(loaded.status().message());
      return;
    }
    catalogues_ = new CatalogueSet(std::move(*loaded));
    SynthOptions options;
    options.seed = Seed();
    absl::StatusOr<Synthesizer> synthesizer = Synthesizer::Create(*catalogues_, options);
    if (!synthesizer.ok()) {
      *setup_error_ = std::string(synthesizer.status().message());
      return;
    }
    const int n = DepartmentCount();
    for (int i = 0; i < n; ++i) {
      absl::StatusOr<gv1::Filing> filing = synthesizer->Synthesize(i);
      if (!filing.ok()) {
        *setup_error_ = absl::StrCat("department ", i, ": ", filing.status().message());
        return;
      }
      filings_->push_back(std::move(*filing));
    }
  }

  void SetUp() override { ASSERT_TRUE(setup_error_->empty()) << *setup_error_; }

  static const CatalogueSet& catalogues() { return *catalogues_; }
  static const std::vector<gv1::Filing>& filings() { return *filings_; }

  static inline CatalogueSet* catalogues_ = nullptr;
  static inline std::vector<gv1::Filing>* const filings_ = new std::vector<gv1::Filing>;
  static inline std::string* const setup_error_ = new std::string;
};

// ---------------------------------------------------------------- (a) valid

TEST_F(SynthPropertyTest, EveryGeneratedFilingPassesEveryRule) {
  std::map<std::string, int> warnings;
  for (size_t i = 0; i < filings().size(); ++i) {
    const ValidationReport report = AllRules(filings()[i], catalogues());
    ValidationReport fatal;
    for (const Finding& f : report.findings()) {
      if (IsFatal(f)) {
        *fatal.add_findings() = f;
      } else {
        ++warnings[f.rule_id()];
      }
    }
    EXPECT_EQ(fatal.findings_size(), 0) << "department " << i << " (" << filings()[i].department().full_name() << ", "
                                        << filings()[i].budget().fiscal_year() << "):\n"
                                        << Describe(fatal);
  }
  for (const auto& [rule, count] : warnings) std::cout << "warning " << rule << ": " << count << "\n";
}

// Clean data should not even be warned about: a warning on a generated
// filing is either a generator that is not realistic or a rule that is.
TEST_F(SynthPropertyTest, GeneratedFilingsRaiseNoWarning) {
  for (size_t i = 0; i < filings().size(); ++i) {
    const ValidationReport report = AllRules(filings()[i], catalogues());
    EXPECT_EQ(report.findings_size(), 0) << "department " << i << ":\n" << Describe(report);
  }
}

TEST_F(SynthPropertyTest, MagnitudesAreThoseOfDistrictDepartments) {
  for (size_t i = 0; i < filings().size(); ++i) {
    const gv1::Filing& f = filings()[i];
    int64_t spending = 0;
    for (const lv1::ExpenditureLine& line : f.budget().expenditure_lines()) spending += line.amount_fen();
    EXPECT_GE(spending, 50 * 1'000'000) << "department " << i;
    EXPECT_LE(spending, 50'000LL * 1'000'000 * 11 / 10) << "department " << i;
    int staff = f.department().staffing().in_service();
    for (const lv1::SecondaryUnit& u : f.department().secondary_units()) staff += u.staffing().in_service();
    EXPECT_GE(staff, 3) << "department " << i;
    EXPECT_LE(staff, 500) << "department " << i;
  }
}

TEST_F(SynthPropertyTest, NoTwoDepartmentsShareANameOrCode) {
  std::set<std::string> names, full_names, units;
  for (const gv1::Filing& f : filings()) {
    EXPECT_TRUE(names.insert(f.department().name()).second) << f.department().name();
    EXPECT_TRUE(full_names.insert(f.department().full_name()).second) << f.department().full_name();
    for (const lv1::SecondaryUnit& u : f.department().secondary_units()) {
      EXPECT_TRUE(units.insert(u.code()).second) << u.code();
    }
  }
}

// The basic view of ListDepartments: every generated department, of every
// sector, cut from its serialization, is that department with its profile
// cleared and nothing else lost.
TEST_F(SynthPropertyTest, TheBasicViewOfEveryDepartmentIsItsIdentity) {
  int with_profile = 0;
  for (const gv1::Filing& f : filings()) {
    lv1::Department stored = f.department();
    stored.set_etag("r1-0123abcd");
    stored.set_update_time_unix_ms(1'700'000'000'000);
    std::string basic_wire;
    ASSERT_TRUE(yusuan::ledger::AppendBasicDepartment(stored.SerializeAsString(), &basic_wire)) << stored.name();
    lv1::Department basic;
    ASSERT_TRUE(basic.ParseFromString(basic_wire)) << stored.name();
    lv1::Department identity = stored;
    identity.clear_functions_preamble();
    identity.clear_main_functions();
    identity.clear_internal_offices();
    identity.clear_secondary_units();
    identity.clear_staffing();
    identity.clear_contact_phone();
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(basic, identity)) << basic.DebugString();
    with_profile += basic_wire.size() < stored.ByteSizeLong();
  }
  EXPECT_EQ(with_profile, static_cast<int>(filings().size()))
      << "every generated department has a profile to leave out";
}

// ---------------------------------------------------------------- (b) determinism

// The published SplitMix64 sequence for seed 1234567: the generator's draws
// are the same on every platform.
TEST(SplitMix64Test, MatchesTheReferenceSequence) {
  SplitMix64 rng(1234567);
  EXPECT_EQ(rng.Next(), 6457827717110365317ULL);
  EXPECT_EQ(rng.Next(), 3203168211198807973ULL);
  EXPECT_EQ(rng.Next(), 9817491932198370423ULL);
  EXPECT_EQ(rng.Next(), 4593380528125082431ULL);
  EXPECT_EQ(rng.Next(), 16408922859458223821ULL);
}

TEST_F(SynthPropertyTest, SameSeedSameBytesOtherSeedOtherBytes) {
  SynthOptions same;
  same.seed = Seed();
  SynthOptions other;
  other.seed = Seed() + 1;
  absl::StatusOr<Synthesizer> again_run = Synthesizer::Create(catalogues(), same);
  absl::StatusOr<Synthesizer> other_run = Synthesizer::Create(catalogues(), other);
  ASSERT_TRUE(again_run.ok() && other_run.ok());
  for (size_t i = 0; i < filings().size(); ++i) {
    const int index = static_cast<int>(i);
    absl::StatusOr<std::string> first = FilingToJsonLine(filings()[i]);
    // The one-off function and a run give the same department.
    absl::StatusOr<gv1::Filing> again =
        i % 10 == 0 ? SynthesizeDepartment(catalogues(), same, index) : again_run->Synthesize(index);
    absl::StatusOr<gv1::Filing> different = other_run->Synthesize(index);
    ASSERT_TRUE(first.ok() && again.ok() && different.ok()) << "department " << i;
    absl::StatusOr<std::string> second = FilingToJsonLine(*again);
    absl::StatusOr<std::string> third = FilingToJsonLine(*different);
    ASSERT_TRUE(second.ok() && third.ok());
    EXPECT_EQ(*first, *second) << "department " << i;
    EXPECT_NE(*first, *third) << "department " << i;
    EXPECT_EQ(first->find('\n'), std::string::npos) << "one filing per line";
  }
}

TEST_F(SynthPropertyTest, OptionsArePinnedOrRefused) {
  SynthOptions options;
  options.seed = Seed();
  const std::vector<int> editions = catalogues().editions();
  options.year = editions.back();
  const std::vector<std::string> sectors = SpendableClasses(*catalogues().Find(editions.back()));
  ASSERT_FALSE(sectors.empty());
  options.sector = sectors[sectors.size() / 2];
  absl::StatusOr<Synthesizer> run = Synthesizer::Create(catalogues(), options);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->sectors(), std::vector<std::string>{*options.sector});
  for (int i = 0; i < 20; ++i) {
    absl::StatusOr<gv1::Filing> f = run->Synthesize(i);
    ASSERT_TRUE(f.ok()) << f.status();
    EXPECT_EQ(f->budget().fiscal_year(), *options.year);
    EXPECT_EQ(f->department().agency_code().substr(0, 3), *options.sector);
    EXPECT_EQ(FatalCount(AllRules(*f, catalogues())), 0) << "department " << i;
  }
  options.year = 1999;
  EXPECT_EQ(SynthesizeDepartment(catalogues(), options, 0).status().code(), absl::StatusCode::kInvalidArgument);
  options.year.reset();
  options.sector = "999";
  EXPECT_EQ(SynthesizeDepartment(catalogues(), options, 0).status().code(), absl::StatusCode::kInvalidArgument);
  options.sector.reset();
  EXPECT_EQ(SynthesizeDepartment(catalogues(), options, -1).status().code(), absl::StatusCode::kInvalidArgument);
}

// ---------------------------------------------------------------- (c) coverage

TEST_F(SynthPropertyTest, DepartmentsCoverEverySectorAndEdition) {
  SynthOptions options;
  options.seed = Seed();
  absl::StatusOr<std::vector<std::string>> cycle = SectorCycle(catalogues(), options);
  ASSERT_TRUE(cycle.ok()) << cycle.status();
  if (filings().size() < cycle->size()) {
    GTEST_SKIP() << filings().size() << " departments cannot cover " << cycle->size() << " 类";
  }
  std::set<std::string> spent_on;
  std::set<int> editions;
  for (size_t i = 0; i < filings().size(); ++i) {
    const gv1::Filing& f = filings()[i];
    editions.insert(f.budget().fiscal_year());
    // The agency code starts with the department's sector, and the
    // department spends on it.
    const std::string sector = f.department().agency_code().substr(0, 3);
    bool own = false;
    for (const lv1::ExpenditureLine& line : f.budget().expenditure_lines()) {
      spent_on.insert(line.functional_code().substr(0, 3));
      own = own || line.functional_code().compare(0, 3, sector) == 0;
    }
    EXPECT_TRUE(own) << "department " << i << " of sector " << sector << " spends nothing on it";
  }
  for (const std::string& sector : *cycle) EXPECT_TRUE(spent_on.count(sector)) << "类 " << sector << " not covered";
  // The cycle itself leaves out only the 类 no department spends on: those
  // of the government as a whole and the 社会保险基金's.
  const std::set<std::string> government_only = {"227", "230", "231", "232", "233"};
  for (int e : catalogues().editions()) {
    for (const yusuan::ledger::CatalogueCode& code : catalogues().Find(e)->FunctionalCodes()) {
      if (code.code.size() != 3 || government_only.count(code.code)) continue;
      if (code.budgets.kinds().size() == 1 && code.budgets.Contains(lv1::BUDGET_KIND_SOCIAL_INSURANCE)) continue;
      EXPECT_TRUE(std::find(cycle->begin(), cycle->end(), code.code) != cycle->end())
          << "类 " << code.code << " " << code.name << " of edition " << e << " is in no department's sector";
    }
  }
  for (int e : catalogues().editions()) EXPECT_TRUE(editions.count(e)) << "edition " << e << " not used";
  std::cout << "covered " << cycle->size() << " 类 over " << editions.size() << " editions\n";
}

// ---------------------------------------------------------------- (d) mutations

// 1 分 more income than spending on one source.
TEST_F(SynthPropertyTest, OneFenImbalanceIsFatalAtTheIncomeLine) {
  for (size_t i = 0; i < filings().size(); ++i) {
    gv1::Filing f = filings()[i];
    ASSERT_GT(f.budget().income_lines_size(), 0);
    // The rule names the first income line of the source and year, so the
    // mutation changes that one; which source varies by department.
    const int pick = static_cast<int>(i % static_cast<size_t>(f.budget().income_lines_size()));
    const lv1::IncomeLine& picked = f.budget().income_lines(pick);
    int first = pick;
    for (int k = 0; k < pick; ++k) {
      const lv1::IncomeLine& line = f.budget().income_lines(k);
      if (line.source() == picked.source() && line.carryover() == picked.carryover()) {
        first = k;
        break;
      }
    }
    lv1::IncomeLine* line = f.mutable_budget()->mutable_income_lines(first);
    line->set_amount_fen(line->amount_fen() + 1);
    const bool fiscal = line->source() <= lv1::FUND_SOURCE_STATE_CAPITAL_BUDGET;
    const ValidationReport report = AllRules(f, catalogues());
    EXPECT_TRUE(
        HasFatal(report, fiscal ? "R-T1-4" : "R-T6-5", absl::StrCat("budget.incomeLines[", first, "].amountFen")))
        << "department " << i << ":\n"
        << Describe(report);
  }
}

// A functional code of another loaded edition that the budget's edition lacks.
TEST_F(SynthPropertyTest, CodeOfAnotherEditionIsUnknown) {
  std::map<int, std::vector<std::string>> foreign;  // edition → 项 only other editions have
  for (int e : catalogues().editions()) {
    const yusuan::ledger::Catalogue& own = *catalogues().Find(e);
    std::set<std::string> codes;
    for (int other : catalogues().editions()) {
      if (other == e) continue;
      for (const yusuan::ledger::CatalogueCode& c : catalogues().Find(other)->FunctionalCodes()) {
        if (c.code.size() == 7 && !own.IsKnownFunctional(c.code)) codes.insert(c.code);
      }
    }
    foreign[e].assign(codes.begin(), codes.end());
  }
  size_t ran = 0;
  for (size_t i = 0; i < filings().size(); ++i) {
    gv1::Filing f = filings()[i];
    const std::vector<std::string>& codes = foreign[f.budget().catalogue_edition()];
    if (codes.empty()) continue;
    ++ran;
    const int line = static_cast<int>(i % static_cast<size_t>(f.budget().expenditure_lines_size()));
    f.mutable_budget()->mutable_expenditure_lines(line)->set_functional_code(codes[i % codes.size()]);
    const ValidationReport report = AllRules(f, catalogues());
    EXPECT_TRUE(HasFatal(report, "V-CODE-UNKNOWN", absl::StrCat("budget.expenditureLines[", line, "].functionalCode")))
        << "department " << i << " (edition " << f.budget().catalogue_edition() << ", code " << codes[i % codes.size()]
        << "):\n"
        << Describe(report);
  }
  std::cout << "ran on " << ran << " of " << filings().size() << " departments\n";
  EXPECT_GT(ran * 2, filings().size()) << "most editions should have codes another edition lacks";
}

// A line whose functional code is not of its fund source's budget (政府性基金
// money on a general 项, general money on a fund 项).
TEST_F(SynthPropertyTest, FundKindMismatchIsFatalAtTheLine) {
  if (!RuleListed("V-FUND-KIND")) GTEST_SKIP() << "rule V-FUND-KIND is not in LedgerRules() yet";
  size_t ran = 0;
  for (size_t i = 0; i < filings().size(); ++i) {
    gv1::Filing f = filings()[i];
    const yusuan::ledger::Catalogue& catalogue = *catalogues().Find(f.budget().catalogue_edition());
    const int line = static_cast<int>(i % static_cast<size_t>(f.budget().expenditure_lines_size()));
    lv1::ExpenditureLine* l = f.mutable_budget()->mutable_expenditure_lines(line);
    const lv1::BudgetKind needed = yusuan::ledger::BudgetOfSource(l->fund_source());
    std::string wrong;
    for (const yusuan::ledger::CatalogueCode& c : catalogue.FunctionalCodes()) {
      if (IsSpendableItem(catalogue, c.code) && !c.budgets.Contains(needed)) {
        wrong = c.code;
        break;
      }
    }
    if (wrong.empty()) continue;
    ++ran;
    l->set_functional_code(wrong);
    const ValidationReport report = AllRules(f, catalogues());
    EXPECT_TRUE(HasFatal(report, "V-FUND-KIND", absl::StrCat("budget.expenditureLines[", line, "].functionalCode")))
        << "department " << i << " (" << wrong << "):\n"
        << Describe(report);
  }
  if (ran == 0) GTEST_SKIP() << "the catalogues put every spendable 项 in every budget: nothing to mismatch";
}

// A project without its 表10 goal sheet.
TEST_F(SynthPropertyTest, MissingGoalSheetIsFatalAtTheProject) {
  for (size_t i = 0; i < filings().size(); ++i) {
    gv1::Filing f = filings()[i];
    ASSERT_GT(f.budget().projects_size(), 0) << "department " << i;
    const int project = static_cast<int>(i % static_cast<size_t>(f.budget().projects_size()));
    const std::string id = f.budget().projects(project).project_id();
    auto* sheets = f.mutable_goals()->mutable_projects();
    const auto sheet = std::find_if(sheets->begin(), sheets->end(),
                                    [&](const yusuan::goals::v1::ProjectGoalSheet& s) { return s.project_id() == id; });
    ASSERT_NE(sheet, sheets->end()) << "department " << i << " project " << id;
    sheets->erase(sheet);
    const ValidationReport report = AllRules(f, catalogues());
    EXPECT_TRUE(HasFatal(report, "X-GOALS-PROJECT", absl::StrCat("budget.projects[", project, "].projectId")))
        << "department " << i << ":\n"
        << Describe(report);
  }
}

// A stated 三公 合计 that is not the sum of its parts.
TEST_F(SynthPropertyTest, ThreePublicTotalNotItsPartsIsFatal) {
  for (size_t i = 0; i < filings().size(); ++i) {
    gv1::Filing f = filings()[i];
    lv1::ThreePublicCosts* c = f.mutable_budget()->mutable_three_public()->mutable_current();
    const int64_t parts =
        c->overseas_fen() + c->vehicle_purchase_fen() + c->vehicle_operation_fen() + c->reception_fen();
    c->set_total_fen(parts + 100);  // 1 元 off
    const ValidationReport report = AllRules(f, catalogues());
    EXPECT_TRUE(HasFatal(report, "R-T4-1", "budget.threePublic.current.totalFen")) << "department " << i << ":\n"
                                                                                   << Describe(report);
  }
}

// 三公 stated by unit that do not add up to the department's: one unit's
// reception cost 1 元 higher.
TEST_F(SynthPropertyTest, ThreePublicByUnitNotAddingUpIsFatal) {
  int ran = 0;
  for (size_t i = 0; i < filings().size(); ++i) {
    gv1::Filing f = filings()[i];
    lv1::ThreePublic* three_public = f.mutable_budget()->mutable_three_public();
    if (three_public->by_unit().empty()) continue;
    ++ran;
    lv1::ThreePublicCosts* unit =
        three_public->mutable_by_unit(static_cast<int>(i % three_public->by_unit_size()))->mutable_current();
    unit->set_reception_fen(unit->reception_fen() + 100);
    if (unit->has_total_fen()) unit->set_total_fen(unit->total_fen() + 100);
    const ValidationReport report = AllRules(f, catalogues());
    EXPECT_TRUE(HasFatal(report, "R-T4-6", "budget.threePublic.current.receptionFen")) << "department " << i << ":\n"
                                                                                       << Describe(report);
  }
  if (ran == 0) GTEST_SKIP() << "no generated department states its 三公 by unit";
}

using CellKey = std::tuple<int, bool, std::string, std::string, int>;

// Every amount cell of 表1–表8 by (table, side, code, name, column).
std::map<CellKey, int64_t> Cells(const lv1::BudgetTables& tables) {
  std::map<CellKey, int64_t> out;
  for (const lv1::BudgetTable& t : tables.tables()) {
    for (bool right : {false, true}) {
      for (const lv1::TableRow& row : right ? t.right_rows() : t.rows()) {
        for (int c = 0; c < row.cells_fen_size(); ++c)
          out[{t.number(), right, row.code(), row.name(), c}] += row.cells_fen(c);
      }
    }
  }
  return out;
}

// A department's tables are the consolidation of its units' own: every cell
// of 表1–表8 is the sum of the units' cells (表4 only where the 三公 are
// stated by unit; otherwise the units' tables leave them out), and so is
// 机关运行经费.
TEST_F(SynthPropertyTest, TheTablesAreTheSumOfEveryUnitsTables) {
  int with_units = 0, stated_by_unit = 0;
  for (size_t i = 0; i < filings().size(); ++i) {
    const gv1::Filing& f = filings()[i];
    if (f.department().secondary_units().empty()) continue;
    ++with_units;
    const bool by_unit = !f.budget().three_public().by_unit().empty();
    stated_by_unit += by_unit;
    const yusuan::ledger::Catalogue* catalogue = catalogues().Find(f.budget().catalogue_edition());
    ASSERT_NE(catalogue, nullptr);
    absl::StatusOr<lv1::BudgetTables> whole = yusuan::ledger::ComputeTables(f.department(), f.budget(), *catalogue);
    ASSERT_TRUE(whole.ok()) << "department " << i << ": " << whole.status();
    std::map<CellKey, int64_t> sum;
    int64_t machinery = 0;
    for (const std::string& unit : yusuan::ledger::UnitCodes(f.department())) {
      absl::StatusOr<yusuan::ledger::UnitFiling> part = yusuan::ledger::FilingOfUnit(f.department(), f.budget(), unit);
      ASSERT_TRUE(part.ok()) << part.status();
      absl::StatusOr<lv1::BudgetTables> tables =
          yusuan::ledger::ComputeTables(part->department, part->budget, *catalogue);
      ASSERT_TRUE(tables.ok()) << "department " << i << " unit " << unit << ": " << tables.status();
      for (const auto& [key, fen] : Cells(*tables)) sum[key] += fen;
      machinery += tables->summary().machinery_operating_fen();
    }
    for (const auto& [key, fen] : Cells(*whole)) {
      if (std::get<0>(key) == 4 && !by_unit) continue;
      EXPECT_EQ(sum.count(key) ? sum.at(key) : 0, fen)
          << "department " << i << " 表" << std::get<0>(key) << " row " << std::get<2>(key) << " " << std::get<3>(key)
          << " column " << std::get<4>(key);
    }
    EXPECT_EQ(machinery, whole->summary().machinery_operating_fen()) << "department " << i;
  }
  if (with_units == 0) GTEST_SKIP() << "no generated department has secondary units";
  if (filings().size() >= 100) {
    EXPECT_GT(stated_by_unit, 0) << "no department states its 三公 by unit";
  }
}

// Spending paid from last year's carry-over with no carry-over income: the
// department's carry-over income removed, or, where it has none, one
// current line moved to the carry-over (its source's current income lowered
// by as much, so only the carry-over is wrong).
TEST_F(SynthPropertyTest, CarryoverSpendingWithoutCarryoverIncomeIsFatal) {
  for (size_t i = 0; i < filings().size(); ++i) {
    gv1::Filing f = filings()[i];
    lv1::Budget* b = f.mutable_budget();
    int source = 0;
    for (const lv1::IncomeLine& line : b->income_lines()) {
      if (line.carryover()) {
        source = line.source();
        break;
      }
    }
    if (source != 0) {
      auto* lines = b->mutable_income_lines();
      lines->erase(std::remove_if(lines->begin(), lines->end(),
                                  [&](const lv1::IncomeLine& l) { return l.carryover() && l.source() == source; }),
                   lines->end());
    } else {
      lv1::ExpenditureLine* moved = nullptr;
      for (int k = 0; k < b->expenditure_lines_size() && moved == nullptr; ++k) {
        lv1::ExpenditureLine* l = b->mutable_expenditure_lines(static_cast<int>((i + k) % b->expenditure_lines_size()));
        if (l->kind() == lv1::EXPENDITURE_KIND_PROJECT) moved = l;
      }
      ASSERT_NE(moved, nullptr) << "department " << i << " has no project line";
      moved->set_from_carryover(true);
      source = moved->fund_source();
      int64_t lower = moved->amount_fen();
      for (lv1::IncomeLine& l : *b->mutable_income_lines()) {
        if (l.source() != source || l.carryover() || lower == 0) continue;
        const int64_t cut = std::min(lower, l.amount_fen());
        l.set_amount_fen(l.amount_fen() - cut);
        lower -= cut;
      }
      ASSERT_EQ(lower, 0) << "department " << i;
    }
    const ValidationReport report = AllRules(f, catalogues());
    const bool fiscal = source <= lv1::FUND_SOURCE_STATE_CAPITAL_BUDGET;
    // No carry-over income line is left to name: the finding points at the
    // income lines and the 上年结转 row.
    EXPECT_TRUE(HasFatal(report, fiscal ? "R-T1-4" : "R-T6-5", "budget.incomeLines"))
        << "department " << i << " (source " << source << "):\n"
        << Describe(report);
  }
}

}  // namespace
}  // namespace yusuan::synth
