#include "services/ledger/domain/units.h"

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"
#include "services/common/testing/reference_filing.h"
#include "services/ledger/domain/projections.h"
#include "services/ledger/domain/rules.h"
#include "services/ledger/domain/testdata_catalogue.h"

namespace yusuan::ledger {
namespace {

namespace v1 = yusuan::ledger::v1;
using testing::Catalogue2021;
using yusuan::testing::ReferenceBudget;
using yusuan::testing::ReferenceDepartment;

constexpr int64_t kYuan = 100;  // 分 per 元

v1::Staffing StaffOf(int administrative, int institution, int in_service, int retired) {
  v1::Staffing s;
  if (administrative > 0) {
    v1::EstablishmentQuota* q = s.add_quotas();
    q->set_kind(v1::ESTABLISHMENT_KIND_ADMINISTRATIVE);
    q->set_count(administrative);
  }
  if (institution > 0) {
    v1::EstablishmentQuota* q = s.add_quotas();
    q->set_kind(v1::ESTABLISHMENT_KIND_PUBLIC_INSTITUTION);
    q->set_count(institution);
  }
  s.set_in_service(in_service);
  s.set_retired(retired);
  return s;
}

// The reference department with two subordinate units: a 事业单位 (科技馆)
// and a 行政单位; the reference's lines are dealt out over the three units
// and each unit's income is its spending, so every unit balances.
struct ThreeUnits {
  v1::Department department;
  v1::Budget budget;
};

ThreeUnits MakeThreeUnits() {
  ThreeUnits out{ReferenceDepartment(), ReferenceBudget()};
  v1::SecondaryUnit* museum = out.department.add_secondary_units();
  museum->set_code("005001022001");
  museum->set_name("武汉市青山区科技馆");
  museum->set_unit_type(v1::UNIT_TYPE_PUBLIC_INSTITUTION);
  museum->set_funding_form(v1::FUNDING_FORM_PARTIAL);
  *museum->mutable_staffing() = StaffOf(0, 12, 10, 3);
  v1::SecondaryUnit* office = out.department.add_secondary_units();
  office->set_code("005001022002");
  office->set_name("武汉市青山区科普工作办公室");
  office->set_unit_type(v1::UNIT_TYPE_ADMINISTRATIVE);
  office->set_funding_form(v1::FUNDING_FORM_FULL);
  *office->mutable_staffing() = StaffOf(4, 0, 4, 1);

  const std::vector<std::string> units = UnitCodes(out.department);
  std::map<std::string, int64_t> spent;
  for (int i = 0; i < out.budget.expenditure_lines_size(); ++i) {
    v1::ExpenditureLine* line = out.budget.mutable_expenditure_lines(i);
    // A project's lines stay in one unit (its 实施单位).
    const std::string& unit = line->project_id() == "P2021-002"   ? units[1]
                              : line->project_id() == "P2021-001" ? units[0]
                                                                  : units[i % units.size()];
    line->set_unit_code(unit);
    spent[unit] += line->amount_fen();
  }
  out.budget.clear_income_lines();
  for (const std::string& unit : units) {
    v1::IncomeLine* income = out.budget.add_income_lines();
    income->set_source(v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET);
    income->set_amount_fen(spent[unit]);
    income->set_unit_code(unit);
  }
  return out;
}

using CellKey = std::tuple<int, bool, std::string, std::string, int>;

// Every amount cell of 表1–表8 by (table, side, code, name, column).
std::map<CellKey, int64_t> Cells(const v1::BudgetTables& tables) {
  std::map<CellKey, int64_t> out;
  for (const v1::BudgetTable& t : tables.tables()) {
    for (bool right : {false, true}) {
      const auto& rows = right ? t.right_rows() : t.rows();
      for (const v1::TableRow& row : rows) {
        for (int c = 0; c < row.cells_fen_size(); ++c) {
          out[{t.number(), right, row.code(), row.name(), c}] += row.cells_fen(c);
        }
      }
    }
  }
  return out;
}

TEST(Units, TheTablesAreTheSumOfEveryUnitsTables) {
  const ThreeUnits filing = MakeThreeUnits();
  // The filing is valid as a whole.
  const yusuan::common::v1::ValidationReport report = ValidateFiling(filing.department, filing.budget, [] {
    CatalogueSet set;
    EXPECT_TRUE(set.Add(Catalogue2021()).ok());
    return set;
  }());
  EXPECT_EQ(report.fatal_count(), 0) << report.DebugString();

  absl::StatusOr<v1::BudgetTables> whole = ComputeTables(filing.department, filing.budget, Catalogue2021());
  ASSERT_TRUE(whole.ok()) << whole.status();
  std::map<CellKey, int64_t> sum;
  int64_t machinery = 0, non_office = 0, basic = 0, project = 0;
  for (const std::string& unit : UnitCodes(filing.department)) {
    absl::StatusOr<UnitFiling> part = FilingOfUnit(filing.department, filing.budget, unit);
    ASSERT_TRUE(part.ok()) << part.status();
    EXPECT_GT(part->budget.expenditure_lines_size(), 0) << unit;
    absl::StatusOr<v1::BudgetTables> tables = ComputeTables(part->department, part->budget, Catalogue2021());
    ASSERT_TRUE(tables.ok()) << unit << ": " << tables.status();
    for (const auto& [key, fen] : Cells(*tables)) sum[key] += fen;
    machinery += tables->summary().machinery_operating_fen();
    non_office += tables->summary().non_office_public_fen();
    basic += tables->summary().department_basic_fen();
    project += tables->summary().department_project_fen();
  }
  // Every cell of the consolidation is the sum of the units' cells (a row a
  // unit lacks counts 0), and no unit has a row the consolidation lacks.
  const std::map<CellKey, int64_t> consolidated = Cells(*whole);
  for (const auto& [key, fen] : consolidated) {
    const int64_t units = sum.count(key) ? sum.at(key) : 0;
    EXPECT_EQ(units, fen) << "表" << std::get<0>(key) << (std::get<1>(key) ? " 支出" : "") << " row "
                          << std::get<2>(key) << " " << std::get<3>(key) << " column " << std::get<4>(key);
  }
  for (const auto& [key, fen] : sum) {
    if (fen != 0) {
      EXPECT_EQ(consolidated.count(key), 1u) << std::get<2>(key) << " " << std::get<3>(key);
    }
  }
  EXPECT_EQ(machinery, whole->summary().machinery_operating_fen());
  EXPECT_EQ(non_office, whole->summary().non_office_public_fen());
  EXPECT_EQ(basic, whole->summary().department_basic_fen());
  EXPECT_EQ(project, whole->summary().department_project_fen());
  // The 事业单位's 公用经费 is not 机关运行经费.
  EXPECT_GT(whole->summary().non_office_public_fen(), 0);
}

TEST(Units, AUnitIsItsOwnDepartmentWithItsOwnLinesAndProjects) {
  const ThreeUnits filing = MakeThreeUnits();
  absl::StatusOr<UnitFiling> museum = FilingOfUnit(filing.department, filing.budget, "005001022001");
  ASSERT_TRUE(museum.ok()) << museum.status();
  EXPECT_EQ(museum->department.full_name(), "武汉市青山区科技馆");
  EXPECT_EQ(museum->department.unit_type(), v1::UNIT_TYPE_PUBLIC_INSTITUTION);
  EXPECT_EQ(museum->department.staffing().in_service(), 10);
  EXPECT_EQ(museum->department.secondary_units_size(), 0);
  // Its lines, each now of its own 本级.
  int museum_lines = 0;
  for (const v1::ExpenditureLine& line : filing.budget.expenditure_lines()) {
    museum_lines += line.unit_code() == "005001022001";
  }
  EXPECT_EQ(museum->budget.expenditure_lines_size(), museum_lines);
  for (const v1::ExpenditureLine& line : museum->budget.expenditure_lines()) EXPECT_EQ(line.unit_code(), "");
  ASSERT_EQ(museum->budget.projects_size(), 1);
  EXPECT_EQ(museum->budget.projects(0).project_id(), "P2021-002");

  absl::StatusOr<UnitFiling> headquarters = FilingOfUnit(filing.department, filing.budget, "");
  ASSERT_TRUE(headquarters.ok());
  EXPECT_EQ(headquarters->department.full_name(), "武汉市青山区科学技术协会");
  ASSERT_EQ(headquarters->budget.projects_size(), 1);
  EXPECT_EQ(headquarters->budget.projects(0).project_id(), "P2021-001");

  absl::StatusOr<UnitFiling> none = FilingOfUnit(filing.department, filing.budget, "999");
  EXPECT_EQ(none.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(none.status().message().find("999"), std::string::npos);
}

// Findings of `rule` in a validation of `filing`, by field.
std::vector<std::string> FieldsOf(const ThreeUnits& filing, const std::string& rule) {
  CatalogueSet set;
  EXPECT_TRUE(set.Add(Catalogue2021()).ok());
  std::vector<std::string> fields;
  const yusuan::common::v1::ValidationReport report = ValidateFiling(filing.department, filing.budget, set);
  for (const auto& f : report.findings()) {
    if (f.rule_id() == rule) fields.push_back(f.field());
  }
  return fields;
}

TEST(Units, ThreePublicStatedByUnitAddUpAndAreEachUnitsTable4) {
  ThreeUnits filing = MakeThreeUnits();
  v1::ThreePublic* three_public = filing.budget.mutable_three_public();
  three_public->Clear();
  v1::UnitThreePublic* own = three_public->add_by_unit();  // 本级
  own->mutable_current()->set_reception_fen(20'000 * kYuan);
  own->mutable_current()->set_vehicle_operation_fen(30'000 * kYuan);
  v1::UnitThreePublic* museum = three_public->add_by_unit();
  museum->set_unit_code("005001022001");
  museum->mutable_current()->set_reception_fen(10'000 * kYuan);
  museum->mutable_current()->set_overseas_fen(40'000 * kYuan);
  three_public->mutable_current()->set_reception_fen(30'000 * kYuan);
  three_public->mutable_current()->set_vehicle_operation_fen(30'000 * kYuan);
  three_public->mutable_current()->set_overseas_fen(40'000 * kYuan);
  filing.budget.mutable_assets()->set_vehicles(2);
  EXPECT_TRUE(FieldsOf(filing, "R-T4-6").empty());
  EXPECT_TRUE(FieldsOf(filing, "V-UNIT-REF").empty());

  // Each unit's 表4 is its entry (the office, not listed, has none), and the
  // units' 表4 add up to the department's cell by cell.
  absl::StatusOr<v1::BudgetTables> whole = ComputeTables(filing.department, filing.budget, Catalogue2021());
  ASSERT_TRUE(whole.ok()) << whole.status();
  std::map<CellKey, int64_t> sum;
  for (const std::string& unit : UnitCodes(filing.department)) {
    absl::StatusOr<UnitFiling> part = FilingOfUnit(filing.department, filing.budget, unit);
    ASSERT_TRUE(part.ok()) << part.status();
    const v1::ThreePublicCosts& costs = part->budget.three_public().current();
    const int64_t expected = unit.empty() ? 50'000 : unit == "005001022001" ? 50'000 : 0;
    EXPECT_EQ(
        costs.overseas_fen() + costs.vehicle_purchase_fen() + costs.vehicle_operation_fen() + costs.reception_fen(),
        expected * kYuan)
        << unit;
    absl::StatusOr<v1::BudgetTables> tables = ComputeTables(part->department, part->budget, Catalogue2021());
    ASSERT_TRUE(tables.ok()) << unit << ": " << tables.status();
    for (const auto& [key, fen] : Cells(*tables)) {
      if (std::get<0>(key) == 4) sum[key] += fen;
    }
  }
  int table4_cells = 0;
  for (const auto& [key, fen] : Cells(*whole)) {
    if (std::get<0>(key) != 4) continue;
    ++table4_cells;
    EXPECT_EQ(sum.count(key) ? sum.at(key) : 0, fen) << std::get<3>(key) << " column " << std::get<4>(key);
  }
  EXPECT_GT(table4_cells, 0);

  // A unit's figure that does not add up, a unit listed twice, a unit the
  // department lacks, a unit's prior year without the department's.
  ThreeUnits off = filing;
  off.budget.mutable_three_public()->mutable_by_unit(1)->mutable_current()->set_reception_fen(9'000 * kYuan);
  EXPECT_EQ(FieldsOf(off, "R-T4-6"), std::vector<std::string>{"budget.threePublic.current.receptionFen"});
  ThreeUnits twice = filing;
  *twice.budget.mutable_three_public()->add_by_unit() = twice.budget.three_public().by_unit(1);
  twice.budget.mutable_three_public()->mutable_by_unit(2)->clear_current();
  EXPECT_EQ(FieldsOf(twice, "V-UNIT-REF"), std::vector<std::string>{"budget.threePublic.byUnit[2].unitCode"});
  ThreeUnits stranger = filing;
  stranger.budget.mutable_three_public()->mutable_by_unit(1)->set_unit_code("005001022999");
  EXPECT_EQ(FieldsOf(stranger, "V-UNIT-REF"), std::vector<std::string>{"budget.threePublic.byUnit[1].unitCode"});
  ThreeUnits prior = filing;
  prior.budget.mutable_three_public()->mutable_by_unit(1)->mutable_prior()->set_reception_fen(1);
  EXPECT_EQ(FieldsOf(prior, "R-T4-6"), std::vector<std::string>{"budget.threePublic.byUnit[1].prior"});
  // With the department's prior year stated, the units' must add up to it.
  prior.budget.mutable_three_public()->mutable_prior()->set_reception_fen(1);
  EXPECT_TRUE(FieldsOf(prior, "R-T4-6").empty());
  prior.budget.mutable_three_public()->mutable_prior()->set_reception_fen(2);
  EXPECT_EQ(FieldsOf(prior, "R-T4-6"), std::vector<std::string>{"budget.threePublic.prior.receptionFen"});
}

TEST(Units, StaffingAddsUpOverUnits) {
  const ThreeUnits filing = MakeThreeUnits();
  const v1::Staffing s = ConsolidatedStaffing(filing.department);
  std::map<int, int> by_kind;
  for (const v1::EstablishmentQuota& q : s.quotas()) by_kind[q.kind()] += q.count();
  EXPECT_EQ(by_kind[v1::ESTABLISHMENT_KIND_CIVIL_SERVANT_MANAGED], 5);  // 本级
  EXPECT_EQ(by_kind[v1::ESTABLISHMENT_KIND_PUBLIC_INSTITUTION], 12);
  EXPECT_EQ(by_kind[v1::ESTABLISHMENT_KIND_ADMINISTRATIVE], 4);
  EXPECT_EQ(s.in_service(), 4 + 10 + 4);
  EXPECT_EQ(s.retired(), 8 + 3 + 1);
  EXPECT_FALSE(s.has_retirees_total()) << "not every unit states one";
  // A department without units is its own staffing.
  EXPECT_EQ(ConsolidatedStaffing(ReferenceDepartment()).SerializeAsString(),
            ReferenceDepartment().staffing().SerializeAsString());
}

TEST(Units, TypesAndOffices) {
  const ThreeUnits filing = MakeThreeUnits();
  EXPECT_EQ(UnitCodes(filing.department), (std::vector<std::string>{"", "005001022001", "005001022002"}));
  EXPECT_EQ(UnitTypeOf(filing.department, ""), v1::UNIT_TYPE_CIVIL_SERVANT_MANAGED_INSTITUTION);
  EXPECT_EQ(UnitTypeOf(filing.department, "005001022001"), v1::UNIT_TYPE_PUBLIC_INSTITUTION);
  EXPECT_EQ(UnitTypeOf(filing.department, "nope"), v1::UNIT_TYPE_UNSPECIFIED);
  EXPECT_TRUE(RunsAnOffice(v1::UNIT_TYPE_ADMINISTRATIVE));
  EXPECT_TRUE(RunsAnOffice(v1::UNIT_TYPE_CIVIL_SERVANT_MANAGED_INSTITUTION));
  EXPECT_FALSE(RunsAnOffice(v1::UNIT_TYPE_PUBLIC_INSTITUTION));
  EXPECT_FALSE(RunsAnOffice(v1::UNIT_TYPE_OTHER));
}

}  // namespace
}  // namespace yusuan::ledger
