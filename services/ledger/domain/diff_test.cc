#include "services/ledger/domain/diff.h"

#include <string>

#include "gtest/gtest.h"
#include "services/common/testing/reference_filing.h"
#include "services/ledger/domain/catalogue.h"
#include "services/ledger/domain/projections.h"
#include "services/ledger/domain/testdata_catalogue.h"

namespace yusuan::ledger {
namespace {

using testing::Catalogue2021;
using yusuan::testing::ReferenceBudget;
using yusuan::testing::ReferenceDepartment;

v1::RevisionDiff Diff(const v1::Budget& before, const v1::Budget& after) {
  auto before_tables = ComputeTables(ReferenceDepartment(), before, Catalogue2021());
  auto after_tables = ComputeTables(ReferenceDepartment(), after, Catalogue2021());
  EXPECT_TRUE(before_tables.ok()) << before_tables.status();
  EXPECT_TRUE(after_tables.ok()) << after_tables.status();
  return DiffRevisions(before, *before_tables, after, *after_tables);
}

const v1::CellChange* FindCell(const v1::RevisionDiff& diff, int table, const std::string& code,
                               const std::string& column) {
  for (const auto& cell : diff.cells()) {
    if (cell.table() == table && cell.row_code() == code && cell.column() == column) return &cell;
  }
  return nullptr;
}

TEST(DiffTest, IdenticalRevisionsDifferInNothingButServerFields) {
  v1::Budget before = ReferenceBudget();
  v1::Budget after = before;
  after.set_revision(2);
  after.set_etag("r2-x");
  after.set_update_time_unix_ms(123);
  v1::RevisionDiff diff = Diff(before, after);
  EXPECT_EQ(diff.cells_size(), 0);
  EXPECT_EQ(diff.changed_fields_size(), 0);
}

TEST(DiffTest, AMovedLineShowsInEveryTableItFeedsInFenAndWanYuan) {
  v1::Budget before = ReferenceBudget();
  v1::Budget after = before;
  // Find a 2060101 basic line and move 1.00 万元 of it.
  int index = -1;
  for (int i = 0; i < after.expenditure_lines_size(); ++i) {
    if (after.expenditure_lines(i).functional_code() == "2060101") {
      index = i;
      break;
    }
  }
  ASSERT_GE(index, 0);
  auto* line = after.mutable_expenditure_lines(index);
  line->set_amount_fen(line->amount_fen() + 1'000'000);
  after.mutable_income_lines(0)->set_amount_fen(after.income_lines(0).amount_fen() + 1'000'000);

  v1::RevisionDiff diff = Diff(before, after);
  const v1::CellChange* total = FindCell(diff, 2, "2060101", "合计");
  ASSERT_NE(total, nullptr);
  EXPECT_EQ(total->delta_fen(), 1'000'000);
  EXPECT_EQ(total->delta_wan(), "+1.00");
  EXPECT_EQ(total->after_fen() - total->before_fen(), 1'000'000);
  EXPECT_NE(FindCell(diff, 8, "206", "基本支出"), nullptr);
  EXPECT_NE(FindCell(diff, 6, "", "收入·预算数"), nullptr);
  // 表4 (三公) and 表5 (政府性基金) do not move.
  for (const auto& cell : diff.cells()) {
    EXPECT_NE(cell.table(), 4);
    EXPECT_NE(cell.table(), 5);
  }
  ASSERT_EQ(diff.changed_fields_size(), 2);
  EXPECT_EQ(diff.changed_fields(0), "incomeLines[0]");
  EXPECT_EQ(diff.changed_fields(1), "expenditureLines[" + std::to_string(index) + "]");
}

TEST(DiffTest, ARemovedRowAndATextChangeAreListed) {
  v1::Budget before = ReferenceBudget();
  v1::Budget after = before;
  after.mutable_narrative()->set_general_budget_change_reason("新的说明");
  // Drop every 2210202 line (and the income that paid for it).
  int64_t removed = 0;
  auto* lines = after.mutable_expenditure_lines();
  for (int i = lines->size() - 1; i >= 0; --i) {
    if (lines->Get(i).functional_code() == "2210202") {
      removed += lines->Get(i).amount_fen();
      lines->DeleteSubrange(i, 1);
    }
  }
  ASSERT_GT(removed, 0);
  after.mutable_income_lines(0)->set_amount_fen(after.income_lines(0).amount_fen() - removed);

  v1::RevisionDiff diff = Diff(before, after);
  const v1::CellChange* gone = FindCell(diff, 2, "2210202", "合计");
  ASSERT_NE(gone, nullptr);
  EXPECT_EQ(gone->after_fen(), 0);
  EXPECT_EQ(gone->before_fen(), removed);
  EXPECT_EQ(gone->delta_fen(), -removed);
  bool narrative = false, lines_changed = false;
  for (const auto& field : diff.changed_fields()) {
    narrative |= field == "narrative";
    lines_changed |= field == "expenditureLines";
  }
  EXPECT_TRUE(narrative);
  EXPECT_TRUE(lines_changed);  // a different count is reported as the whole list
}

}  // namespace
}  // namespace yusuan::ledger
