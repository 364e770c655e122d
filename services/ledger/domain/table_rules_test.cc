#include "services/ledger/domain/table_rules.h"

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/common/testing/reference_filing.h"
#include "services/common/utf8.h"
#include "services/ledger/domain/projections.h"
#include "services/ledger/domain/rule_catalogue.h"
#include "services/ledger/domain/testdata_catalogue.h"

namespace yusuan::ledger {
namespace {

namespace v1 = yusuan::ledger::v1;
using testing::Catalogue2021;
using yusuan::common::v1::Finding;
using yusuan::common::v1::ValidationReport;
using yusuan::testing::ReferenceBudget;
using yusuan::testing::ReferenceDepartment;

constexpr int64_t kYuan = 100;  // 分 per 元

v1::BudgetTables Compute(const v1::Budget& budget) {
  absl::StatusOr<v1::BudgetTables> tables = ComputeTables(ReferenceDepartment(), budget, Catalogue2021());
  EXPECT_TRUE(tables.ok()) << tables.status();
  return tables.ok() ? *tables : v1::BudgetTables();
}

const v1::BudgetTables& ReferenceTables() {
  static const v1::BudgetTables* const tables = new v1::BudgetTables(Compute(ReferenceBudget()));
  return *tables;
}

ValidationReport Check(const v1::BudgetTables& tables) {
  ValidationReport report;
  FindingsBuilder out(LedgerRules(), &report);
  CheckTables(tables, out);
  return report;
}

std::string Dump(const ValidationReport& report) {
  std::string out;
  for (const Finding& f : report.findings()) {
    out += f.rule_id() + " @表" + std::to_string(f.location().table()) + " [" + f.location().row() + "][" +
           f.location().column() + "] " + f.message_zh() + "\n";
  }
  return out;
}

std::set<std::string> RuleIds(const ValidationReport& report) {
  std::set<std::string> ids;
  for (const Finding& f : report.findings()) ids.insert(f.rule_id());
  return ids;
}

// ------------------------------------------------------------------ mutating tables

v1::BudgetTable* TableOf(v1::BudgetTables& t, int number) {
  for (v1::BudgetTable& table : *t.mutable_tables()) {
    if (table.number() == number) return &table;
  }
  ADD_FAILURE() << "no 表" << number;
  return nullptr;
}

// Side 0: rows/columns; side 1: right_rows/right_columns (balance tables).
constexpr int kIn = 0;
constexpr int kOut = 1;

// The cell (row by code, or by exact name for rows without a code; column by title).
int64_t* CellOf(v1::BudgetTables& t, int number, int side, const std::string& row, const std::string& column) {
  v1::BudgetTable* table = TableOf(t, number);
  if (table == nullptr) return nullptr;
  auto* rows = side == kIn ? table->mutable_rows() : table->mutable_right_rows();
  const auto& columns = side == kIn ? table->columns() : table->right_columns();
  int c = -1;
  for (int i = 0; i < columns.size(); ++i) {
    if (columns[i].title() == column) c = i;
  }
  for (v1::TableRow& r : *rows) {
    if ((r.code() == row || (r.code().empty() && r.name() == row)) && c >= 0 && c < r.cells_fen_size()) {
      return r.mutable_cells_fen()->Mutable(c);
    }
  }
  ADD_FAILURE() << "no cell 表" << number << " [" << row << "][" << column << "]";
  return nullptr;
}

void Bump(v1::BudgetTables& t, int number, int side, const std::string& row, const std::string& column, int64_t delta) {
  if (int64_t* cell = CellOf(t, number, side, row, column)) *cell += delta;
}

void RemoveRow(v1::BudgetTables& t, int number, const std::string& code) {
  v1::BudgetTable* table = TableOf(t, number);
  if (table == nullptr) return;
  auto* rows = table->mutable_rows();
  for (int i = 0; i < rows->size(); ++i) {
    if ((*rows)[i].code() == code) {
      rows->DeleteSubrange(i, 1);
      return;
    }
  }
  ADD_FAILURE() << "no row " << code << " in 表" << number;
}

// ------------------------------------------------------------------ one fixture per rule (and per check)

// The reference tables with one cell (or a few cells keeping the other
// identities) changed; the rule must report it at `table/row/column` with
// these expected / actual / difference, `count` times in all, and the change
// must trip exactly `rules`.
struct Fixture {
  std::string rule_id;
  std::string name;  // test name suffix
  std::function<void(v1::BudgetTables&)> mutate;
  int table;
  std::string row;
  std::string column;
  std::string expected;
  std::string actual;
  std::string difference;
  int count;
  std::set<std::string> rules;
};

std::ostream& operator<<(std::ostream& os, const Fixture& f) { return os << f.rule_id << " " << f.name; }

const std::vector<Fixture>& Fixtures() {
  using T = v1::BudgetTables;
  static const auto* fixtures = new std::vector<Fixture>{
      // ---------------------------------------------------------- 表1
      {"R-T1-1",
       "CurrentIncomeFundRow",
       [](T& t) { Bump(t, 1, kIn, "（一）一般公共预算拨款收入", "预算数", 1); },
       1,
       "一、本年收入",
       "预算数",
       "4155100.01 元",
       "4155100.00 元",
       "-0.01 元",
       1,
       {"R-T1-1", "R-T6-6"}},
      {"R-T1-1",
       "CarryoverFundRow",
       [](T& t) { Bump(t, 1, kIn, "（三）国有资本经营预算拨款", "预算数", 1); },
       1,
       "二、上年结转",
       "预算数",
       "0.01 元",
       "0.00 元",
       "-0.01 元",
       1,
       {"R-T1-1"}},
      {"R-T1-2",
       "IncomeTotal",
       [](T& t) { Bump(t, 1, kIn, "收入总计", "预算数", 1); },
       1,
       "收入总计",
       "预算数",
       "4155100.00 元",
       "4155100.01 元",
       "0.01 元",
       1,
       {"R-T1-2"}},
      {"R-T1-3",
       "ClassRow",
       [](T& t) {
         Bump(t, 1, kOut, "206", "合计", 1);
         Bump(t, 1, kOut, "206", "一般公共预算", 1);
       },
       1,
       "一、本年支出",
       "合计",
       "4155100.01 元",
       "4155100.00 元",
       "-0.01 元",
       2,
       {"R-T1-3"}},
      {"R-T1-3",
       "KindRow",
       [](T& t) {
         Bump(t, 1, kOut, "项目支出", "合计", 1);
         Bump(t, 1, kOut, "项目支出", "一般公共预算", 1);
       },
       1,
       "一、本年支出",
       "合计",
       "4155100.01 元",
       "4155100.00 元",
       "-0.01 元",
       2,
       {"R-T1-3"}},
      {"R-T1-3",
       "SpendingTotal",
       [](T& t) {
         Bump(t, 1, kOut, "支出总计", "合计", 1);
         Bump(t, 1, kOut, "支出总计", "一般公共预算", 1);
       },
       1,
       "支出总计",
       "合计",
       "4155100.00 元",
       "4155100.01 元",
       "0.01 元",
       2,
       {"R-T1-3", "X2"}},
      {"R-T1-5",
       "FundColumn",
       [](T& t) { Bump(t, 1, kOut, "208", "政府性基金预算", 1); },
       1,
       "208",
       "合计",
       "116512.01 元",
       "116512.00 元",
       "-0.01 元",
       1,
       {"R-T1-3", "R-T1-5"}},
      // ---------------------------------------------------------- 表2
      {"R-T2-1",
       "ItemTotal",
       [](T& t) { Bump(t, 2, kIn, "2060101", "合计", -1); },
       2,
       "2060101",
       "合计",
       "1194052.00 元",
       "1194051.99 元",
       "-0.01 元",
       1,
       {"R-T2-1", "R-T2-3"}},
      {"R-T2-2",
       "Personnel",
       [](T& t) { Bump(t, 2, kIn, "2060101", "人员经费", 1); },
       2,
       "2060101",
       "小计",
       "1194052.01 元",
       "1194052.00 元",
       "-0.01 元",
       1,
       {"R-T2-2", "R-T2-3"}},
      {"R-T2-3",
       "ItemConsistentRow",
       [](T& t) {
         for (const char* c : {"合计", "小计", "人员经费"}) Bump(t, 2, kIn, "2060101", c, -1);
       },
       2,
       "20601",
       "合计",
       "3782051.99 元",
       "3782052.00 元",
       "0.01 元",
       3,
       {"R-T2-3"}},
      // ---------------------------------------------------------- 表3
      {"R-T3-1",
       "ItemRow",
       [](T& t) { Bump(t, 3, kIn, "30101", "人员经费", 1); },
       3,
       "30101",
       "合计",
       "268436.01 元",
       "268436.00 元",
       "-0.01 元",
       1,
       {"R-T3-1", "R-T3-4"}},
      {"R-T3-2",
       "PersonnelClassWithPublicAmount",
       [](T& t) {
         Bump(t, 3, kIn, "303", "合计", 1);
         Bump(t, 3, kIn, "303", "公用经费", 1);
       },
       3,
       "合计",
       "人员经费",
       "1467000.01 元",
       "1467000.00 元",
       "-0.01 元",
       1,
       {"R-T3-2", "R-T3-4"}},
      {"R-T3-3",
       "PublicClassWithPersonnelAmount",
       [](T& t) {
         Bump(t, 3, kIn, "302", "合计", 1);
         Bump(t, 3, kIn, "302", "人员经费", 1);
       },
       3,
       "合计",
       "公用经费",
       "100100.01 元",
       "100100.00 元",
       "-0.01 元",
       1,
       {"R-T3-3", "R-T3-4", "X15"}},
      {"R-T3-4",
       "ItemConsistentRow",
       [](T& t) {
         Bump(t, 3, kIn, "30101", "合计", -1);
         Bump(t, 3, kIn, "30101", "人员经费", -1);
       },
       3,
       "301",
       "合计",
       "1203799.99 元",
       "1203800.00 元",
       "0.01 元",
       2,
       {"R-T3-4"}},
      {"R-T3-6",
       "Table2Basic",
       [](T& t) {
         for (const char* c : {"合计", "小计", "人员经费"}) Bump(t, 2, kIn, "合计", c, -1);
       },
       3,
       "合计",
       "合计",
       "1567099.99 元",
       "1567100.00 元",
       "0.01 元",
       2,
       {"R-T2-3", "R-T3-6", "X5"}},
      // ---------------------------------------------------------- 表5
      {"R-T5-1",
       "RowSum",
       [](T& t) { Bump(t, 5, kIn, "合计", "基本支出", 1); },
       5,
       "合计",
       "合计",
       "0.01 元",
       "0.00 元",
       "-0.01 元",
       2,
       {"R-T5-1"}},
      {"R-T5-1",
       "Table1GovernmentFund",
       [](T& t) { Bump(t, 1, kOut, "一、本年支出", "政府性基金预算", 1); },
       5,
       "合计",
       "合计",
       "0.01 元",
       "0.00 元",
       "-0.01 元",
       1,
       {"R-T1-3", "R-T1-5", "R-T5-1"}},
      {"R-T5-1",
       "ClassRowWithoutChildren",
       [](T& t) {
         v1::TableRow* row = TableOf(t, 5)->add_rows();
         row->set_code("229");
         row->set_name("其他支出");
         row->set_level(1);
         for (int64_t c : {1, 0, 1}) row->add_cells_fen(c);
       },
       5,
       "合计",
       "合计",
       "0.01 元",
       "0.00 元",
       "-0.01 元",
       4,
       {"R-T5-1"}},
      // ---------------------------------------------------------- 表6
      {"R-T6-1",
       "IncomeRow",
       [](T& t) { Bump(t, 6, kIn, "五、事业收入", "预算数", 1); },
       6,
       "本年收入合计",
       "预算数",
       "4155100.01 元",
       "4155100.00 元",
       "-0.01 元",
       1,
       {"R-T6-1", "R-T7-2"}},
      {"R-T6-2",
       "IncomeTotal",
       [](T& t) { Bump(t, 6, kIn, "收入总计", "预算数", 1); },
       6,
       "收入总计",
       "预算数",
       "4155100.00 元",
       "4155100.01 元",
       "0.01 元",
       1,
       {"R-T6-2", "R-T7-2"}},
      {"R-T6-3",
       "ClassRow",
       [](T& t) { Bump(t, 6, kOut, "208", "预算数", 1); },
       6,
       "本年支出合计",
       "预算数",
       "4155100.01 元",
       "4155100.00 元",
       "-0.01 元",
       1,
       {"R-T6-3", "R-T8-2"}},
      {"R-T6-4",
       "CarriedForward",
       [](T& t) { Bump(t, 6, kOut, "结转下年", "预算数", 1); },
       6,
       "支出总计",
       "预算数",
       "4155100.01 元",
       "4155100.00 元",
       "-0.01 元",
       1,
       {"R-T6-4"}},
      {"R-T6-6",
       "Table1FundRow",
       [](T& t) {
         Bump(t, 1, kIn, "（二）政府性基金预算拨款收入", "预算数", 1);
         Bump(t, 1, kIn, "一、本年收入", "预算数", 1);
         Bump(t, 1, kIn, "收入总计", "预算数", 1);
       },
       6,
       "二、政府性基金预算拨款收入",
       "预算数",
       "0.01 元",
       "0.00 元",
       "-0.01 元",
       1,
       {"R-T6-6"}},
      // ---------------------------------------------------------- 表7
      {"R-T7-1",
       "RowSum",
       [](T& t) { Bump(t, 7, kIn, "合计", "上年结转", 1); },
       7,
       "合计",
       "合计",
       "4155100.01 元",
       "4155100.00 元",
       "-0.01 元",
       2,
       {"R-T7-1", "R-T7-2"}},
      {"R-T7-1",
       "Tree",
       [](T& t) {
         Bump(t, 7, kIn, "2060101", "合计", -1);
         Bump(t, 7, kIn, "2060101", "一般公共预算拨款收入", -1);
       },
       7,
       "20601",
       "合计",
       "3782051.99 元",
       "3782052.00 元",
       "0.01 元",
       2,
       {"R-T7-1"}},
      {"R-T7-2",
       "TotalRow",
       [](T& t) {
         Bump(t, 7, kIn, "合计", "合计", 1);
         Bump(t, 7, kIn, "合计", "一般公共预算拨款收入", 1);
       },
       7,
       "合计",
       "合计",
       "4155100.00 元",
       "4155100.01 元",
       "0.01 元",
       2,
       {"R-T7-1", "R-T7-2"}},
      // ---------------------------------------------------------- 表8
      {"R-T8-1",
       "RowSum",
       [](T& t) { Bump(t, 8, kIn, "合计", "上缴上级支出", 1); },
       8,
       "合计",
       "合计",
       "4155100.01 元",
       "4155100.00 元",
       "-0.01 元",
       2,
       {"R-T8-1"}},
      {"R-T8-1",
       "Tree",
       [](T& t) {
         Bump(t, 8, kIn, "2080505", "合计", 1);
         Bump(t, 8, kIn, "2080505", "基本支出", 1);
       },
       8,
       "20805",
       "合计",
       "116512.01 元",
       "116512.00 元",
       "-0.01 元",
       2,
       {"R-T8-1"}},
      {"R-T8-2",
       "ClassRow",
       [](T& t) {
         Bump(t, 8, kIn, "221", "合计", 1);
         Bump(t, 8, kIn, "221", "基本支出", 1);
       },
       8,
       "221",
       "合计",
       "139536.00 元",
       "139536.01 元",
       "0.01 元",
       1,
       {"R-T8-1", "R-T8-2"}},
      {"R-T8-2",
       "Table6Total",
       [](T& t) { Bump(t, 6, kOut, "本年支出合计", "预算数", 1); },
       8,
       "合计",
       "合计",
       "4155100.01 元",
       "4155100.00 元",
       "-0.01 元",
       1,
       {"R-T6-3", "R-T6-4", "R-T8-2"}},
      // The glossary lists 2210201 under 221, a 类 that 表8 no longer has (X22).
      {"R-T8-2",
       "MissingClassRow",
       [](T& t) { RemoveRow(t, 8, "221"); },
       8,
       "221",
       "合计",
       "13.95 万元",
       "0.00 万元",
       "-13.95 万元",
       1,
       {"R-T8-1", "R-T8-2", "R-T8-3", "X22"}},
      {"R-T8-3",
       "BelowGeneralBudget",
       [](T& t) {
         Bump(t, 8, kIn, "2060102", "合计", -1);
         Bump(t, 8, kIn, "2060102", "项目支出", -1);
       },
       8,
       "2060102",
       "合计",
       "2588000.00 元",
       "2587999.99 元",
       "-0.01 元",
       2,
       {"R-T8-1", "R-T8-3"}},
      // ---------------------------------------------------------- summary
      {"X2",
       "FiscalProject",
       [](T& t) { t.mutable_summary()->set_fiscal_project_fen(t.summary().fiscal_project_fen() + 1); },
       1,
       "支出总计",
       "合计",
       "4155100.00 元",
       "4155100.01 元",
       "0.01 元",
       1,
       {"X2"}},
      {"X5",
       "SummaryBasic",
       [](T& t) { t.mutable_summary()->set_general_basic_fen(t.summary().general_basic_fen() + 1); },
       2,
       "合计",
       "小计",
       "1567100.00 元",
       "1567100.01 元",
       "0.01 元",
       2,
       {"X5", "X7"}},
      {"X5",
       "Table3Total",
       [](T& t) {
         Bump(t, 3, kIn, "合计", "合计", 1);
         Bump(t, 3, kIn, "合计", "人员经费", 1);
       },
       3,
       "合计",
       "合计",
       "1567100.01 元",
       "1567100.00 元",
       "-0.01 元",
       1,
       {"R-T3-2", "R-T3-4", "R-T3-6", "X5"}},
      {"X7",
       "SummaryPublic",
       [](T& t) { t.mutable_summary()->set_general_public_fen(t.summary().general_public_fen() + 1); },
       3,
       "合计",
       "合计",
       "1567100.01 元",
       "1567100.00 元",
       "-0.01 元",
       1,
       {"X7"}},
      {"X8",
       "SummaryClass303",
       [](T& t) {
         v1::EconomicClassTotal* c = t.mutable_summary()->mutable_general_basic_by_class(2);
         ASSERT_EQ(c->code(), "303");
         c->set_amount_fen(c->amount_fen() + 1);
       },
       3,
       "合计",
       "人员经费",
       "1467000.01 元",
       "1467000.00 元",
       "-0.01 元",
       1,
       {"X8"}},
      {"X8",
       "SummaryClass303NotFlaggedPersonnel",
       [](T& t) {
         v1::EconomicClassTotal* c = t.mutable_summary()->mutable_general_basic_by_class(2);
         ASSERT_EQ(c->code(), "303");
         c->set_personnel(false);  // the narrative would list 303 under 公用经费
       },
       3,
       "合计",
       "人员经费",
       "120.38 万元",
       "146.70 万元",
       "26.32 万元",
       1,
       {"X8"}},
      {"X15",
       "SummaryMachinery",
       [](T& t) { t.mutable_summary()->set_machinery_operating_fen(t.summary().machinery_operating_fen() + 1); },
       3,
       "302",
       "合计",
       "100100.00 元",
       "100100.01 元",
       "0.01 元",
       1,
       {"X15"}},
      {"X22",
       "ItemNotListed",
       [](T& t) { t.mutable_summary()->mutable_glossary(0)->mutable_items()->DeleteSubrange(0, 1); },
       8,
       "2060101",
       "合计",
       "2060101 行政运行",
       "（未列出）",
       "",
       1,
       {"X22"}},
      {"X22",
       "ItemName",
       [](T& t) { t.mutable_summary()->mutable_glossary(2)->mutable_items(0)->set_name("行政单位医疗费"); },
       8,
       "2101101",
       "科目名称",
       "2101101 行政单位医疗",
       "2101101 行政单位医疗费",
       "",
       1,
       {"X22"}},
      {"X22",
       "StaleClassName",  // domain.md E6
       [](T& t) { t.mutable_summary()->mutable_glossary(2)->set_class_name("医疗卫生与计划生育支出"); },
       8,
       "210",
       "科目名称",
       "210 卫生健康支出",
       "210 医疗卫生与计划生育支出",
       "",
       1,
       {"X22"}},
      {"X22",
       "ExtraItem",  // domain.md E7's 退休 项, listed though 表8 has no amount on it
       [](T& t) {
         v1::CatalogueEntry* e = t.mutable_summary()->mutable_glossary(1)->add_items();
         e->set_kind(v1::CODE_KIND_FUNCTIONAL);
         e->set_code("2080501");
         e->set_name("行政单位离退休");
       },
       8,
       "2080501",
       "合计",
       "（不列出）",
       "2080501 行政单位离退休",
       "",
       1,
       {"X22"}},
  };
  return *fixtures;
}

class TableRuleFixture : public ::testing::TestWithParam<Fixture> {};

TEST_P(TableRuleFixture, ReportsTheCell) {
  const Fixture& fx = GetParam();
  v1::BudgetTables tables = ReferenceTables();
  fx.mutate(tables);
  const ValidationReport report = Check(tables);

  EXPECT_EQ(RuleIds(report), fx.rules) << Dump(report);
  const Finding* first = nullptr;
  int count = 0;
  for (const Finding& f : report.findings()) {
    if (f.rule_id() != fx.rule_id) continue;
    if (first == nullptr) first = &f;
    ++count;
  }
  ASSERT_NE(first, nullptr) << fx.rule_id << " not reported:\n" << Dump(report);
  EXPECT_EQ(count, fx.count) << Dump(report);
  EXPECT_EQ(first->location().table(), fx.table);
  EXPECT_EQ(first->location().row(), fx.row);
  EXPECT_EQ(first->location().column(), fx.column);
  EXPECT_EQ(first->expected(), fx.expected);
  EXPECT_EQ(first->actual(), fx.actual);
  EXPECT_EQ(first->difference(), fx.difference);
  EXPECT_EQ(first->severity(), yusuan::common::v1::SEVERITY_FATAL);
  const bool summary = fx.rule_id[0] == 'X';
  EXPECT_EQ(first->field(), summary ? std::string("tables.summary") : "tables[" + std::to_string(fx.table) + "]");
}

// Every finding of every fixture: FATAL, a listed rule, the field first in
// both messages, table findings naming their row and column, a hint, UTF-8.
TEST_P(TableRuleFixture, FindingsAreWellFormed) {
  v1::BudgetTables tables = ReferenceTables();
  GetParam().mutate(tables);
  const ValidationReport report = Check(tables);
  std::set<std::string> listed;
  for (const auto& rule : TableRules()) listed.insert(rule.rule_id());
  for (const Finding& f : report.findings()) {
    SCOPED_TRACE(f.message_zh());
    EXPECT_EQ(listed.count(f.rule_id()), 1u);
    EXPECT_EQ(f.severity(), yusuan::common::v1::SEVERITY_FATAL);
    EXPECT_EQ(f.message_zh().rfind(f.field(), 0), 0u);
    EXPECT_EQ(f.message_en().rfind(f.field(), 0), 0u);
    EXPECT_FALSE(f.hint().empty());
    EXPECT_NE(f.hint().find("operators"), std::string::npos);
    EXPECT_TRUE(IsValidUtf8(f.message_zh()) && IsValidUtf8(f.message_en()) && IsValidUtf8(f.hint()));
    EXPECT_GE(f.location().table(), 1);
    EXPECT_LE(f.location().table(), 8);
    EXPECT_FALSE(f.location().row().empty());
    EXPECT_FALSE(f.location().column().empty());
    if (f.field() != "tables.summary") {
      EXPECT_EQ(f.field(), "tables[" + std::to_string(f.location().table()) + "]");
      for (const std::string& m : {f.message_zh(), f.message_en()}) {
        EXPECT_NE(m.find("表" + std::to_string(f.location().table())), std::string::npos);
        EXPECT_NE(m.find(f.location().row()), std::string::npos);
        EXPECT_NE(m.find(f.location().column()), std::string::npos);
      }
    }
  }
}

std::string FixtureName(const ::testing::TestParamInfo<Fixture>& info) {
  std::string name;
  for (char c : info.param.rule_id) name += (c == '-') ? '_' : c;
  return name + "_" + info.param.name;
}

INSTANTIATE_TEST_SUITE_P(EveryRule, TableRuleFixture, ::testing::ValuesIn(Fixtures()), FixtureName);

TEST(TableRules, EveryRuleHasAFixtureAndEveryFixtureARule) {
  std::set<std::string> listed;
  for (const auto& rule : TableRules()) listed.insert(rule.rule_id());
  std::set<std::string> fixtures;
  for (const Fixture& f : Fixtures()) fixtures.insert(f.rule_id);
  EXPECT_EQ(fixtures, listed);
}

TEST(TableRules, ListedOnceFatalAndNotTheInputRules) {
  std::set<std::string> ids;
  for (const auto& rule : TableRules()) {
    EXPECT_TRUE(ids.insert(rule.rule_id()).second) << rule.rule_id() << " listed twice";
    EXPECT_EQ(rule.severity(), yusuan::common::v1::SEVERITY_FATAL) << rule.rule_id();
    EXPECT_TRUE(rule.category() == yusuan::common::v1::RULE_CATEGORY_ACCURACY ||
                rule.category() == yusuan::common::v1::RULE_CATEGORY_CONSISTENCY)
        << rule.rule_id();
    EXPECT_FALSE(rule.description_zh().empty());
    EXPECT_FALSE(rule.description_en().empty());
    EXPECT_EQ(rule.reference().rfind("domain.md", 0), 0u) << rule.rule_id();
    EXPECT_EQ(rule.service(), "ledger");
  }
  // The balance of the filing is the input rules' (an unbalanced filing is a
  // legitimate input state). LedgerRules() lists the input rules and then
  // these, each id once.
  EXPECT_EQ(ids.count("R-T1-4"), 0u);
  EXPECT_EQ(ids.count("R-T6-5"), 0u);
  std::map<std::string, int> listed;
  for (const auto& rule : LedgerRules()) ++listed[rule.rule_id()];
  for (const auto& [id, count] : listed) EXPECT_EQ(count, 1) << id << " listed " << count << " times";
  for (const std::string& id : ids) EXPECT_EQ(listed.count(id), 1u) << id << " missing from LedgerRules()";
}

// ------------------------------------------------------------------ passing tables

TEST(CheckTables, TheReferenceFilingPasses) {
  const ValidationReport report = Check(ReferenceTables());
  EXPECT_EQ(report.findings_size(), 0) << Dump(report);
}

// 一般公共预算 over three 类 (201, 206, 208) with several 款 and 项, 310 and 399
// in 基本支出, a carry-over, a 政府性基金 project (229) and two non-fiscal
// sources, one of them spent as 事业单位经营支出. Balanced per source.
v1::Budget MultiRowBudget() {
  v1::Budget b;
  b.set_name("regions/420107/departments/005001022/budgets/2021");
  b.set_fiscal_year(2021);
  b.set_stage(v1::STAGE_BUDGET);
  b.set_catalogue_edition(2021);
  auto income = [&b](v1::FundSource source, bool carryover, int64_t yuan) {
    v1::IncomeLine* l = b.add_income_lines();
    l->set_source(source);
    l->set_carryover(carryover);
    l->set_amount_fen(yuan * kYuan);
  };
  auto line = [&b](const char* functional, const char* economic, v1::ExpenditureKind kind, int64_t yuan,
                   v1::FundSource source = v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET, const char* project = "",
                   bool carryover = false) {
    v1::ExpenditureLine* l = b.add_expenditure_lines();
    l->set_functional_code(functional);
    l->set_economic_code(economic);
    l->set_kind(kind);
    l->set_fund_source(source);
    l->set_project_id(project);
    l->set_from_carryover(carryover);
    l->set_amount_fen(yuan * kYuan);
  };
  auto project = [&b](const char* id, const char* name) {
    v1::Project* p = b.add_projects();
    p->set_project_id(id);
    p->set_name(name);
  };
  constexpr auto kPersonnel = v1::EXPENDITURE_KIND_BASIC_PERSONNEL;
  constexpr auto kPublic = v1::EXPENDITURE_KIND_BASIC_PUBLIC;
  constexpr auto kProject = v1::EXPENDITURE_KIND_PROJECT;
  project("P1", "群团工作经费");
  project("P2", "科普活动");
  project("P3", "彩票公益金项目");

  // 201 一般公共服务支出 / 20129 群众团体事务
  line("2012901", "30101", kPersonnel, 200'000);
  line("2012901", "30201", kPublic, 30'000);
  line("2012901", "31002", kPublic, 15'000);
  line("2012901", "39999", kPublic, 1'000);
  line("2012902", "30202", kProject, 50'000, v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET, "P1");
  // 206 科学技术支出 / 20601 and 20607
  line("2060101", "30102", kPersonnel, 80'000);
  line("2060101", "30302", kPersonnel, 40'000);
  line("2060702", "30299", kProject, 120'000, v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET, "P2");
  line("2060702", "30227", kProject, 10'000, v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET, "P2", /*carryover=*/true);
  // 208 社会保障和就业支出 / 20805
  line("2080505", "30108", kPersonnel, 25'000);
  line("2080501", "30302", kPersonnel, 10'000);
  income(v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET, false, 571'000);
  income(v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET, true, 10'000);
  // 229 政府性基金 project.
  line("2296002", "30299", kProject, 70'000, v1::FUND_SOURCE_GOVERNMENT_FUND_BUDGET, "P3");
  income(v1::FUND_SOURCE_GOVERNMENT_FUND_BUDGET, false, 70'000);
  // Non-fiscal money.
  line("2060101", "30201", kPublic, 5'000, v1::FUND_SOURCE_INSTITUTION_REVENUE);
  income(v1::FUND_SOURCE_INSTITUTION_REVENUE, false, 5'000);
  line("2060101", "30201", v1::EXPENDITURE_KIND_OPERATING, 3'000, v1::FUND_SOURCE_INSTITUTION_OPERATING_REVENUE);
  income(v1::FUND_SOURCE_INSTITUTION_OPERATING_REVENUE, false, 3'000);

  v1::ThreePublicCosts* three = b.mutable_three_public()->mutable_current();
  three->set_reception_fen(2'000 * kYuan);
  return b;
}

TEST(CheckTables, AMultiRowBudgetPasses) {
  const v1::BudgetTables tables = Compute(MultiRowBudget());
  ASSERT_EQ(tables.tables_size(), 8);
  // The fixture does exercise several 类, 款 and 项.
  int classes = 0, kuan = 0, items = 0;
  for (const v1::TableRow& row : tables.tables(1).rows()) {
    classes += row.code().size() == 3;
    kuan += row.code().size() == 5;
    items += row.code().size() == 7;
  }
  EXPECT_EQ(classes, 3);
  EXPECT_EQ(kuan, 4);
  EXPECT_EQ(items, 6);
  EXPECT_EQ(tables.tables(4).rows_size(), 4);           // 合计, 229, 22960, 2296002
  EXPECT_NE(tables.tables(7).rows(0).cells_fen(4), 0);  // 表8 事业单位经营支出
  const ValidationReport report = Check(tables);
  EXPECT_EQ(report.findings_size(), 0) << Dump(report);
}

// 类 219 援助其他地区支出 has 款 and no 项: a line is classified on the 款,
// which is then a leaf of every tree, explained by the glossary on its own.
TEST(CheckTables, AKuanWithoutItemsIsALeaf) {
  v1::Budget budget = ReferenceBudget();
  int moved = -1;
  for (int i = 0; i < budget.expenditure_lines_size(); ++i) {
    if (budget.expenditure_lines(i).kind() == v1::EXPENDITURE_KIND_PROJECT) {
      budget.mutable_expenditure_lines(i)->set_functional_code("21901");
      moved = i;
      break;
    }
  }
  ASSERT_GE(moved, 0);
  const int64_t amount = budget.expenditure_lines(moved).amount_fen();
  const v1::BudgetTables tables = Compute(budget);
  ASSERT_EQ(tables.tables_size(), 8);
  for (int number : {2, 7, 8}) {
    SCOPED_TRACE(absl::StrCat("表", number));
    const v1::BudgetTable& table = tables.tables(number - 1);
    int64_t class_total = -1, kuan_total = -1;
    for (const v1::TableRow& row : table.rows()) {
      if (row.code() == "219") class_total = row.cells_fen(0);
      if (row.code() == "21901") {
        kuan_total = row.cells_fen(0);
        EXPECT_EQ(row.level(), 2);
        EXPECT_EQ(row.name(), "一般公共服务");
      }
      EXPECT_FALSE(row.code().size() > 5 && row.code().rfind("21901", 0) == 0) << row.code();
    }
    // Counted once at each level, not once per level the tree has.
    EXPECT_EQ(class_total, amount);
    EXPECT_EQ(kuan_total, amount);
  }
  int leaf_groups = 0;
  for (const v1::GlossaryClass& g : tables.summary().glossary()) {
    if (g.kuan_code() != "21901") continue;
    ++leaf_groups;
    EXPECT_EQ(g.class_code(), "219");
    EXPECT_EQ(g.class_name(), "援助其他地区支出");
    EXPECT_EQ(g.kuan_name(), "一般公共服务");
    EXPECT_EQ(g.items_size(), 0);
  }
  EXPECT_EQ(leaf_groups, 1);
  const ValidationReport report = Check(tables);
  EXPECT_EQ(report.findings_size(), 0) << Dump(report);

  // X22 still notices a glossary that leaves the 款 out.
  v1::BudgetTables without = tables;
  auto* glossary = without.mutable_summary()->mutable_glossary();
  for (int i = 0; i < glossary->size(); ++i) {
    if (glossary->Get(i).kuan_code() == "21901") {
      glossary->DeleteSubrange(i, 1);
      break;
    }
  }
  const ValidationReport missing = Check(without);
  ASSERT_EQ(missing.findings_size(), 1) << Dump(missing);
  EXPECT_EQ(missing.findings(0).rule_id(), "X22");
  EXPECT_EQ(missing.findings(0).location().row(), "21901");
}

TEST(CheckTables, EmptyTablesPass) { EXPECT_EQ(Check(v1::BudgetTables()).findings_size(), 0); }

// A table that is missing is not checked, nor are the checks that read it.
TEST(CheckTables, AMissingTableIsSkipped) {
  v1::BudgetTables tables = ReferenceTables();
  tables.mutable_tables()->DeleteSubrange(5, 1);  // 表6: R-T6-*, R-T7-2 and R-T8-2 are not checked
  Bump(tables, 7, kIn, "合计", "合计", 0);
  const ValidationReport report = Check(tables);
  EXPECT_EQ(report.findings_size(), 0) << Dump(report);
}

// ------------------------------------------------------------------ order and hints

TEST(CheckTables, FindingsComeInTableRowColumnOrder) {
  v1::BudgetTables tables = ReferenceTables();
  for (const char* c : {"合计", "小计", "人员经费"}) Bump(tables, 2, kIn, "合计", c, -1);
  Bump(tables, 1, kOut, "208", "政府性基金预算", 1);
  const ValidationReport report = Check(tables);
  std::vector<std::tuple<std::string, int, std::string, std::string>> got;
  for (const Finding& f : report.findings()) {
    got.emplace_back(f.rule_id(), f.location().table(), f.location().row(), f.location().column());
  }
  const std::vector<std::tuple<std::string, int, std::string, std::string>> want = {
      {"R-T1-3", 1, "一、本年支出", "政府性基金预算"},
      {"R-T1-5", 1, "208", "合计"},
      {"R-T2-3", 2, "合计", "合计"},
      {"R-T2-3", 2, "合计", "小计"},
      {"R-T2-3", 2, "合计", "人员经费"},
      {"R-T3-6", 3, "合计", "合计"},
      {"R-T3-6", 3, "合计", "人员经费"},
      {"X5", 2, "合计", "小计"},
  };
  EXPECT_EQ(got, want) << Dump(report);
}

TEST(CheckTables, ProjectionFaultsSaySoInTheHint) {
  v1::BudgetTables tables = ReferenceTables();
  Bump(tables, 1, kIn, "收入总计", "预算数", 1);
  const ValidationReport report = Check(tables);
  ASSERT_EQ(report.findings_size(), 1) << Dump(report);
  EXPECT_NE(report.findings(0).hint().find("fault of the projection, not of the filing"), std::string::npos);
  EXPECT_NE(report.findings(0).message_zh().find("“收入总计”行“预算数”列应等于“本年收入” + “上年结转”"),
            std::string::npos)
      << report.findings(0).message_zh();
}

// Rules a filing can trip (one that already breaks an input rule) say so.
TEST(CheckTables, AnUnbalancedFilingTripsOnlyR_T7_2) {
  v1::Budget b = ReferenceBudget();
  b.mutable_income_lines(0)->set_amount_fen(b.income_lines(0).amount_fen() + 100 * kYuan);  // R-T1-4
  const ValidationReport report = Check(Compute(b));
  EXPECT_EQ(RuleIds(report), std::set<std::string>{"R-T7-2"}) << Dump(report);
  for (const Finding& f : report.findings()) {
    EXPECT_EQ(f.hint().rfind("A filing causes this when", 0), 0u) << f.hint();
    EXPECT_NE(f.hint().find("R-T1-4"), std::string::npos);
  }
}

TEST(CheckTables, FiscalMoneySpentAsSubsidyTripsR_T2_1AndX2) {
  v1::Budget b = ReferenceBudget();
  v1::ExpenditureLine* l = b.add_expenditure_lines();
  l->set_functional_code("2060199");
  l->set_economic_code("30299");
  l->set_kind(v1::EXPENDITURE_KIND_SUBSIDY_TO_SUBSIDIARY);
  l->set_fund_source(v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET);
  l->set_amount_fen(1'000 * kYuan);
  b.mutable_income_lines(0)->set_amount_fen(b.income_lines(0).amount_fen() + 1'000 * kYuan);
  const ValidationReport report = Check(Compute(b));
  EXPECT_EQ(RuleIds(report), (std::set<std::string>{"R-T2-1", "X2"})) << Dump(report);
  for (const Finding& f : report.findings()) {
    EXPECT_EQ(f.hint().rfind("A filing causes this when", 0), 0u) << f.hint();
  }
}

// A cell too large to add up is read clamped: reported, no overflow.
TEST(CheckTables, HugeCellsDoNotOverflow) {
  v1::BudgetTables tables = ReferenceTables();
  *CellOf(tables, 2, kIn, "2060101", "合计") = std::numeric_limits<int64_t>::max();
  *CellOf(tables, 2, kIn, "2060102", "项目支出") = std::numeric_limits<int64_t>::min();
  const ValidationReport report = Check(tables);
  EXPECT_EQ(RuleIds(report).count("R-T2-1"), 1u) << Dump(report);
}

}  // namespace
}  // namespace yusuan::ledger
