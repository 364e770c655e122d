#include "services/common/message_walk.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "services/common/amount_fields.h"
#include "yusuan/ledger/v1/ledger.pb.h"
#include "yusuan/ledger/v1/rollup.pb.h"

namespace yusuan {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

std::vector<std::string> LeafPaths(const Message& message, const std::string& root) {
  std::vector<std::string> paths;
  FieldPath path(root);
  ForEachSetLeaf(message, path, [&](const FieldPath& at, const Message&, const FieldDescriptor&, int) {
    paths.push_back(at.ToString());
  });
  return paths;
}

TEST(MessageWalkTest, NamesEachSetLeafByItsJsonPathInFieldNumberOrder) {
  yusuan::ledger::v1::Budget budget;
  budget.set_fiscal_year(2021);
  budget.add_projects()->set_name("科普");
  budget.add_projects()->set_name("培训");
  budget.mutable_projects(1)->set_purpose("");  // unset: a default value is not walked
  budget.mutable_narrative()->set_general_budget_change_reason("原因");
  const std::vector<std::string> paths = LeafPaths(budget, "budget");
  const std::vector<std::string> expected = {"budget.fiscalYear", "budget.projects[0].name", "budget.projects[1].name",
                                             "budget.narrative.generalBudgetChangeReason"};
  // The order of the fields is their numbers'; check the items and the
  // spelling whatever the numbers of these fields are.
  EXPECT_EQ(std::set<std::string>(paths.begin(), paths.end()), std::set<std::string>(expected.begin(), expected.end()));
  EXPECT_EQ(paths.size(), expected.size());
  auto at = [&](const std::string& p) { return std::find(paths.begin(), paths.end(), p) - paths.begin(); };
  EXPECT_LT(at("budget.projects[0].name"), at("budget.projects[1].name"));
  // No root: no leading dot.
  EXPECT_EQ(LeafPaths(budget.projects(1), ""), std::vector<std::string>{"name"});
}

TEST(MessageWalkTest, MapEntriesAndRepeatedScalarsAreItems) {
  yusuan::ledger::v1::RollupTotals totals;
  (*totals.mutable_functional_fen())["206"] = 5;
  const std::vector<std::string> paths = LeafPaths(totals, "sum");
  EXPECT_EQ(paths, (std::vector<std::string>{"sum.functionalFen[0].key", "sum.functionalFen[0].value"}));

  yusuan::ledger::v1::Department department;
  department.add_main_functions("开展科普活动");
  department.add_main_functions("联系科技工作者");
  EXPECT_EQ(LeafPaths(department, "department"),
            (std::vector<std::string>{"department.mainFunctions[0]", "department.mainFunctions[1]"}));
}

TEST(MessageWalkTest, AmountFieldsAreTheInt64FenFieldsWithTheirPaths) {
  yusuan::ledger::v1::Budget budget;
  budget.set_fiscal_year(2021);
  budget.add_expenditure_lines()->set_amount_fen(100);
  budget.add_expenditure_lines()->set_amount_fen(-7);
  std::vector<std::pair<std::string, int64_t>> seen;
  ForEachAmountField(budget, "budget",
                     [&](const FieldPath& path, int64_t fen) { seen.emplace_back(path.ToString(), fen); });
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, int64_t>>{{"budget.expenditureLines[0].amountFen", 100},
                                                                {"budget.expenditureLines[1].amountFen", -7}}));
}

}  // namespace
}  // namespace yusuan
