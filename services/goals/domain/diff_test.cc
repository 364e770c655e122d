#include "services/goals/domain/diff.h"

#include "gtest/gtest.h"

namespace yusuan::goals {
namespace {

namespace gv1 = yusuan::goals::v1;

gv1::GoalSet Sample(int64_t revision) {
  gv1::GoalSet goals;
  goals.set_name("regions/420107/departments/005001022/budgets/2021/goals");
  goals.set_fiscal_year(2021);
  goals.set_revision(revision);
  goals.set_etag("r" + std::to_string(revision));
  auto* goal = goals.mutable_department()->add_annual_goals();
  goal->set_seq(1);
  goal->set_text("开展主题科普活动及日常科普活动 20 次");
  auto* indicator = goal->add_indicators();
  indicator->set_level1(gv1::INDICATOR_LEVEL1_OUTPUT);
  indicator->set_level2(gv1::INDICATOR_LEVEL2_QUANTITY);
  indicator->set_name("日常科普活动");
  indicator->set_target("20");
  return goals;
}

TEST(GoalsDiff, NamesEveryChangedCellAndIgnoresServerFields) {
  const gv1::GoalSet before = Sample(1);
  gv1::GoalSet after = Sample(2);
  after.mutable_department()->mutable_annual_goals(0)->set_text("开展主题科普活动及日常科普活动 22 次");
  after.mutable_department()->mutable_annual_goals(0)->mutable_indicators(0)->set_target("22");
  auto* sheet = after.add_projects();
  sheet->set_project_id("P2021-001");

  const gv1::GoalsDiff diff = DiffGoalSets(before, after);
  EXPECT_EQ(diff.from_revision(), 1);
  EXPECT_EQ(diff.to_revision(), 2);
  ASSERT_EQ(diff.changes_size(), 3) << diff.DebugString();
  EXPECT_EQ(diff.changes(0).path(), "department.annualGoals[0].text");
  EXPECT_EQ(diff.changes(1).path(), "department.annualGoals[0].indicators[0].target");
  EXPECT_EQ(diff.changes(1).before(), "20");
  EXPECT_EQ(diff.changes(1).after(), "22");
  EXPECT_EQ(diff.changes(2).path(), "projects[0].projectId");
  EXPECT_EQ(diff.changes(2).before(), "");
  EXPECT_EQ(diff.changes(2).after(), "P2021-001");
}

TEST(GoalsDiff, SameContentInTwoRevisionsHasNoChanges) {
  EXPECT_EQ(DiffGoalSets(Sample(1), Sample(5)).changes_size(), 0);
}

}  // namespace
}  // namespace yusuan::goals
