// Provenance: every amount of 表1–表8 and of the summary is exactly the sum
// of the lines it names (plus what no line feeds), on the reference and on a
// budget with carry-over, a government fund and several projects.
#include "services/ledger/domain/provenance.h"

#include <map>
#include <string>

#include "gtest/gtest.h"
#include "services/common/testing/reference_filing.h"
#include "services/ledger/domain/projections.h"
#include "services/ledger/domain/testdata_catalogue.h"

namespace yusuan::ledger {
namespace {

namespace v1 = yusuan::ledger::v1;
using testing::Catalogue2021;
using yusuan::testing::ReferenceBudget;
using yusuan::testing::ReferenceDepartment;

v1::BudgetTables Traced(const v1::Budget& budget) {
  absl::StatusOr<v1::BudgetTables> tables = ComputeTables(ReferenceDepartment(), budget, Catalogue2021());
  EXPECT_TRUE(tables.ok()) << tables.status();
  if (!tables.ok()) return {};
  EXPECT_TRUE(AddSources(ReferenceDepartment(), budget, Catalogue2021(), *tables).ok());
  return *tables;
}

int64_t SumOf(const v1::Budget& budget, const google::protobuf::RepeatedField<int32_t>& income,
              const google::protobuf::RepeatedField<int32_t>& expenditure) {
  int64_t sum = 0;
  for (int n : income) sum += budget.income_lines(n - 1).amount_fen();
  for (int n : expenditure) sum += budget.expenditure_lines(n - 1).amount_fen();
  return sum;
}

// Each traced cell equals the sum of its lines; each cell without a source
// is one no line feeds (表4, or zero).
void ExpectExact(const v1::Budget& budget) {
  const v1::BudgetTables tables = Traced(budget);
  ASSERT_GT(tables.cell_sources_size(), 0);
  std::map<std::tuple<int, bool, int, int>, const v1::CellSource*> by_cell;
  for (const v1::CellSource& source : tables.cell_sources()) {
    by_cell[{source.table(), source.right_side(), source.row(), source.column()}] = &source;
  }
  for (const v1::BudgetTable& table : tables.tables()) {
    for (bool right : {false, true}) {
      const auto& rows = right ? table.right_rows() : table.rows();
      for (int r = 0; r < rows.size(); ++r) {
        for (int c = 0; c < rows[r].cells_fen_size(); ++c) {
          const auto it = by_cell.find({table.number(), right, r, c});
          const int64_t value = rows[r].cells_fen(c);
          if (it == by_cell.end()) {
            if (table.number() != 4) {
              EXPECT_EQ(value, 0) << "表" << table.number() << " row " << r << " (" << rows[r].name() << ") column "
                                  << c << " has no source";
            }
            continue;
          }
          EXPECT_EQ(SumOf(budget, it->second->income_lines(), it->second->expenditure_lines()), value)
              << "表" << table.number() << " row " << r << " (" << rows[r].name() << ") column " << c;
        }
      }
    }
  }
  const std::map<std::string, int64_t> figures = AmountsByPath(tables.summary());
  for (const v1::FigureSource& source : tables.summary_sources()) {
    ASSERT_TRUE(figures.count(source.field())) << source.field();
    EXPECT_EQ(SumOf(budget, source.income_lines(), source.expenditure_lines()), figures.at(source.field()))
        << source.field();
    EXPECT_EQ(source.amount_fen(), figures.at(source.field())) << source.field();
  }
}

TEST(Provenance, ReferenceCellsAreExactlyTheSumOfTheirLines) { ExpectExact(ReferenceBudget()); }

TEST(Provenance, CarryOverFundsAndSeveralProjects) {
  v1::Budget budget = ReferenceBudget();
  v1::IncomeLine* carry = budget.add_income_lines();
  carry->set_source(v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET);
  carry->set_carryover(true);
  carry->set_amount_fen(12'345'600);
  v1::ExpenditureLine spent = budget.expenditure_lines(budget.expenditure_lines_size() - 1);
  spent.set_from_carryover(true);
  spent.set_amount_fen(12'345'600);
  *budget.add_expenditure_lines() = spent;
  ExpectExact(budget);
}

TEST(Provenance, KeyFiguresNameTheirLines) {
  const v1::Budget budget = ReferenceBudget();
  const v1::BudgetTables tables = Traced(budget);
  bool found = false;
  for (const v1::FigureSource& source : tables.summary_sources()) {
    if (source.field() != "fiscal_total_fen") continue;
    found = true;
    // 财政拨款收支总预算 is every fiscal income line.
    EXPECT_EQ(source.income_lines_size(), budget.income_lines_size());
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(AmountsByPath(tables.summary()).count("income_by_source[FUND_SOURCE_GENERAL_PUBLIC_BUDGET].amount_fen"),
            1u);
}

}  // namespace
}  // namespace yusuan::ledger
