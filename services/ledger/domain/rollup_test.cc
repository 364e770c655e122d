#include "services/ledger/domain/rollup.h"

#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/common/testing/reference_filing.h"
#include "services/ledger/domain/projections.h"
#include "services/ledger/domain/testdata_catalogue.h"

namespace yusuan::ledger {
namespace {

namespace v1 = yusuan::ledger::v1;
using google::protobuf::util::MessageDifferencer;
using testing::Catalogue2021;
using yusuan::testing::ReferenceBudget;
using yusuan::testing::ReferenceDepartment;

const v1::BudgetTable& Table(const v1::BudgetTables& tables, int number) { return tables.tables(number - 1); }

// The projections are computed by other code from the same lines: the
// roll-up of one budget must agree with its own tables.
TEST(Rollup, OneBudgetAgreesWithItsTables) {
  const v1::Department department = ReferenceDepartment();
  const v1::Budget budget = ReferenceBudget();
  absl::StatusOr<v1::BudgetTables> tables = ComputeTables(department, budget, Catalogue2021());
  ASSERT_TRUE(tables.ok()) << tables.status();
  const v1::RollupTotals totals = ContributionOf(department, budget);

  EXPECT_EQ(totals.budget_count(), 1);
  // 表7 (支出预算表) is every line by functional 类/款/项, column 0 its total.
  std::map<std::string, int64_t> table7;
  int64_t table7_total = 0;
  for (const v1::TableRow& row : Table(*tables, 7).rows()) {
    if (row.level() == 0) table7_total = row.cells_fen(0);
    if (!row.code().empty() && row.cells_fen(0) != 0) table7[row.code()] = row.cells_fen(0);
  }
  const std::map<std::string, int64_t> functional(totals.functional_fen().begin(), totals.functional_fen().end());
  EXPECT_EQ(functional, table7);
  EXPECT_EQ(totals.expenditure_fen(), table7_total);
  EXPECT_GT(totals.expenditure_fen(), 0);
  EXPECT_EQ(totals.machinery_operating_fen(), tables->summary().machinery_operating_fen());
  // 表4's 合计 is the stated components' sum.
  const v1::ThreePublicCosts& stated = budget.three_public().current();
  EXPECT_EQ(totals.three_public().total_fen(), stated.overseas_fen() + stated.vehicle_purchase_fen() +
                                                   stated.vehicle_operation_fen() + stated.reception_fen());
  int64_t income = 0;
  for (const v1::IncomeLine& line : budget.income_lines()) income += line.amount_fen();
  EXPECT_EQ(totals.income_fen(), income);
  int64_t by_source = 0;
  for (const auto& [source, amount] : totals.expenditure_by_source_fen()) by_source += amount;
  EXPECT_EQ(by_source, totals.expenditure_fen());
  int64_t economic_classes = 0;
  for (const auto& [code, amount] : totals.economic_fen()) {
    if (code.size() == 3) economic_classes += amount;
  }
  EXPECT_EQ(economic_classes, totals.expenditure_fen());
}

TEST(Rollup, MachineryOperatingCountsOnlyUnitsThatRunAnOffice) {
  v1::Department department = ReferenceDepartment();
  v1::Budget budget = ReferenceBudget();
  const int64_t all = ContributionOf(department, budget).machinery_operating_fen();
  ASSERT_GT(all, 0);
  v1::SecondaryUnit* museum = department.add_secondary_units();
  museum->set_code("900");
  museum->set_name("科技馆");
  museum->set_unit_type(v1::UNIT_TYPE_PUBLIC_INSTITUTION);
  int64_t moved = 0;
  for (v1::ExpenditureLine& line : *budget.mutable_expenditure_lines()) {
    if (line.fund_source() == v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET &&
        line.kind() == v1::EXPENDITURE_KIND_BASIC_PUBLIC && line.economic_code().rfind("302", 0) == 0) {
      line.set_unit_code("900");
      moved += line.amount_fen();
      break;
    }
  }
  ASSERT_GT(moved, 0);
  EXPECT_EQ(ContributionOf(department, budget).machinery_operating_fen(), all - moved);
  absl::StatusOr<v1::BudgetTables> tables = ComputeTables(department, budget, Catalogue2021());
  ASSERT_TRUE(tables.ok()) << tables.status();
  EXPECT_EQ(ContributionOf(department, budget).machinery_operating_fen(), tables->summary().machinery_operating_fen());
}

TEST(Rollup, AddingAndTakingBackLeavesNothing) {
  const v1::RollupTotals one = ContributionOf(ReferenceDepartment(), ReferenceBudget());
  v1::RollupTotals sum;
  ASSERT_TRUE(AddTotals(one, +1, sum).ok());
  ASSERT_TRUE(AddTotals(one, +1, sum).ok());
  EXPECT_EQ(sum.budget_count(), 2);
  EXPECT_EQ(sum.expenditure_fen(), 2 * one.expenditure_fen());
  EXPECT_EQ(sum.functional_fen().at("206"), 2 * one.functional_fen().at("206"));
  EXPECT_EQ(sum.three_public().total_fen(), 2 * one.three_public().total_fen());
  ASSERT_TRUE(AddTotals(one, -1, sum).ok());
  std::string differences;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&differences);
  EXPECT_TRUE(differencer.Compare(sum, one)) << differences;
  ASSERT_TRUE(AddTotals(one, -1, sum).ok());
  // Entries that reach 0 are gone, so a region whose budgets all moved
  // away shows no rows.
  EXPECT_TRUE(MessageDifferencer::Equals(sum, v1::RollupTotals())) << sum.DebugString();
}

TEST(Rollup, ASumThatWouldOverflowIsRefusedAndChangesNothing) {
  v1::RollupTotals big;
  big.set_expenditure_fen(std::numeric_limits<int64_t>::max() - 5);
  (*big.mutable_functional_fen())["201"] = std::numeric_limits<int64_t>::max() - 5;
  const v1::RollupTotals before = big;
  v1::RollupTotals more;
  more.set_budget_count(1);
  more.set_expenditure_fen(10);
  (*more.mutable_functional_fen())["201"] = 10;
  absl::Status added = AddTotals(more, +1, big);
  EXPECT_EQ(added.code(), absl::StatusCode::kOutOfRange);
  EXPECT_NE(added.message().find("roll-up"), std::string_view::npos) << added;
  EXPECT_NE(added.message().find("汇总"), std::string_view::npos) << added;
  EXPECT_TRUE(MessageDifferencer::Equals(big, before));
  v1::RollupTotals low;
  low.set_income_fen(std::numeric_limits<int64_t>::min() + 1);
  v1::RollupTotals income;
  income.set_income_fen(2);
  EXPECT_EQ(AddTotals(income, -1, low).code(), absl::StatusCode::kOutOfRange);

  // Only a later map overflows: the earlier ones, which fit, are not
  // changed either.
  v1::RollupTotals sums;
  sums.set_budget_count(3);
  (*sums.mutable_functional_fen())["201"] = 100;
  (*sums.mutable_expenditure_by_kind_fen())[1] = std::numeric_limits<int64_t>::max();
  const v1::RollupTotals unchanged = sums;
  v1::RollupTotals one;
  one.set_budget_count(1);
  (*one.mutable_functional_fen())["201"] = 50;
  (*one.mutable_functional_fen())["205"] = 7;
  (*one.mutable_expenditure_by_kind_fen())[1] = 1;
  EXPECT_EQ(AddTotals(one, +1, sums).code(), absl::StatusCode::kOutOfRange);
  EXPECT_TRUE(MessageDifferencer::Equals(sums, unchanged)) << sums.DebugString();
}

// A region's sums as the ledger keeps them (RollupSums, lists in key
// order) read back as the same totals AddTotals makes, whatever the order
// of additions and take-backs.
v1::RollupTotals AsTotals(const v1::RollupSums& sums) {
  v1::RollupTotals totals;
  EXPECT_TRUE(totals.ParseFromString(sums.SerializeAsString()));
  return totals;
}

template <typename List>
bool InKeyOrder(const List& list) {
  for (int i = 1; i < list.size(); ++i) {
    if (!(list.Get(i - 1).key() < list.Get(i).key())) return false;
  }
  return true;
}

TEST(Rollup, RegionSumsAgreeWithAddTotalsInAnyOrder) {
  std::mt19937_64 random(20261207);
  auto contribution = [&] {
    v1::RollupTotals one;
    one.set_budget_count(1);
    const int codes = static_cast<int>(random() % 12);
    for (int i = 0; i < codes; ++i) {
      const std::string code = std::to_string(201 + random() % 20) + (random() % 2 ? "01" : "");
      const int64_t amount = static_cast<int64_t>(random() % 1000) - 100;
      (*one.mutable_functional_fen())[code] += amount;
      (*one.mutable_economic_fen())[std::to_string(301 + random() % 3)] += amount;
      (*one.mutable_expenditure_by_kind_fen())[static_cast<int>(random() % 5)] += amount;
      one.set_expenditure_fen(one.expenditure_fen() + amount);
    }
    (*one.mutable_income_by_source_fen())[1] = static_cast<int64_t>(random() % 50);
    if (random() % 3 == 0) one.mutable_three_public()->set_reception_fen(static_cast<int64_t>(random() % 9));
    return one;
  };
  for (int trial = 0; trial < 200; ++trial) {
    v1::RollupTotals expected;
    v1::RollupSums sums;
    if (trial % 2 == 1) {
      // Sums written as RollupTotals before: the lists come in hash order.
      const v1::RollupTotals start = contribution();
      ASSERT_TRUE(AddTotals(start, +1, expected).ok());
      ASSERT_TRUE(sums.ParseFromString(expected.SerializeAsString()));
    }
    std::vector<v1::RollupTotals> added;
    for (int step = 0; step < 30; ++step) {
      if (!added.empty() && random() % 3 == 0) {
        const size_t k = random() % added.size();
        ASSERT_TRUE(AddTotals(added[k], -1, expected).ok());
        ASSERT_TRUE(AddToRegionSums(added[k], -1, sums).ok());
        added.erase(added.begin() + static_cast<std::ptrdiff_t>(k));
      } else {
        added.push_back(contribution());
        ASSERT_TRUE(AddTotals(added.back(), +1, expected).ok());
        ASSERT_TRUE(AddToRegionSums(added.back(), +1, sums).ok());
      }
      std::string differences;
      MessageDifferencer differencer;
      differencer.ReportDifferencesToString(&differences);
      ASSERT_TRUE(differencer.Compare(AsTotals(sums), expected)) << "trial " << trial << " step " << step << "\n"
                                                                 << differences;
      ASSERT_TRUE(InKeyOrder(sums.functional_fen()) && InKeyOrder(sums.economic_fen()) &&
                  InKeyOrder(sums.expenditure_by_kind_fen()))
          << sums.DebugString();
      for (const v1::CodeAmount& entry : sums.functional_fen()) ASSERT_NE(entry.value(), 0) << entry.key();
    }
  }
}

TEST(Rollup, RegionSumsThatWouldOverflowAreRefusedAndChangeNothing) {
  v1::RollupSums sums;
  sums.set_budget_count(3);
  auto* entry = sums.add_functional_fen();
  entry->set_key("201");
  entry->set_value(100);
  auto* kind = sums.add_expenditure_by_kind_fen();
  kind->set_key(1);
  kind->set_value(std::numeric_limits<int64_t>::max());
  const std::string before = sums.SerializeAsString();
  v1::RollupTotals one;
  one.set_budget_count(1);
  (*one.mutable_functional_fen())["201"] = 50;
  (*one.mutable_functional_fen())["205"] = 7;
  (*one.mutable_expenditure_by_kind_fen())[1] = 1;
  const absl::Status added = AddToRegionSums(one, +1, sums);
  EXPECT_EQ(added.code(), absl::StatusCode::kOutOfRange);
  EXPECT_NE(added.message().find("汇总"), std::string_view::npos) << added;
  EXPECT_EQ(sums.SerializeAsString(), before);
}

TEST(Rollup, RegionPrefixesAreProvinceCityDistrict) {
  EXPECT_EQ(RegionPrefixes("420107"), (std::vector<std::string>{"42", "4201", "420107"}));
  EXPECT_EQ(RegionPrefixes("4201"), (std::vector<std::string>{"42", "4201"}));
  EXPECT_EQ(RegionPrefixes("42"), (std::vector<std::string>{"42"}));
}

TEST(Rollup, TheAnswerNamesCodesInTreeOrder) {
  const v1::RollupTotals totals = ContributionOf(ReferenceDepartment(), ReferenceBudget());
  const v1::Rollup rollup = PresentRollup(totals, &Catalogue2021());
  ASSERT_GT(rollup.functional_size(), 3);
  for (int i = 1; i < rollup.functional_size(); ++i) {
    EXPECT_LT(rollup.functional(i - 1).code(), rollup.functional(i).code());
  }
  for (const v1::RollupRow& row : rollup.functional()) {
    EXPECT_EQ(row.level(), row.code().size() == 3 ? 1 : row.code().size() == 5 ? 2 : 3) << row.code();
    EXPECT_FALSE(row.name().empty()) << row.code();
    const std::string* name = Catalogue2021().FunctionalName(row.code());
    ASSERT_NE(name, nullptr) << row.code();
    EXPECT_EQ(row.name(), *name);
  }
  for (const v1::RollupRow& row : rollup.economic()) {
    EXPECT_FALSE(row.name().empty()) << row.code();
    EXPECT_LE(row.level(), 2) << row.code();
  }
  int64_t basic = 0, project = 0;
  for (const v1::ExpenditureLine& line : ReferenceBudget().expenditure_lines()) {
    if (line.kind() == v1::EXPENDITURE_KIND_PROJECT) project += line.amount_fen();
    if (line.kind() == v1::EXPENDITURE_KIND_BASIC_PERSONNEL || line.kind() == v1::EXPENDITURE_KIND_BASIC_PUBLIC) {
      basic += line.amount_fen();
    }
  }
  EXPECT_EQ(rollup.basic_fen(), basic);
  EXPECT_EQ(rollup.project_fen(), project);
  ASSERT_GT(rollup.expenditure_by_source_size(), 0);
  EXPECT_EQ(rollup.expenditure_by_source(0).code(), "FUND_SOURCE_GENERAL_PUBLIC_BUDGET");
  EXPECT_EQ(rollup.expenditure_by_source(0).name(), FundSourceLabel(v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET));
  ASSERT_GT(rollup.expenditure_by_kind_size(), 0);
  EXPECT_EQ(rollup.expenditure_by_kind(0).name(), "基本支出·人员经费");
  // Without a catalogue the codes stand alone.
  const v1::Rollup unnamed = PresentRollup(totals, nullptr);
  ASSERT_EQ(unnamed.functional_size(), rollup.functional_size());
  EXPECT_TRUE(unnamed.functional(0).name().empty());
}

}  // namespace
}  // namespace yusuan::ledger
