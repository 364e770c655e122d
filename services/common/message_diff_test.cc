#include "services/common/message_diff.h"

#include "gtest/gtest.h"
#include "yusuan/common/v1/findings.pb.h"

namespace yusuan {
namespace {

using yusuan::common::v1::ValidationReport;

TEST(MessageDiff, EqualMessagesHaveNoChanges) {
  ValidationReport a;
  a.add_findings()->set_rule_id("V-P2");
  EXPECT_TRUE(DiffMessages(a, a).empty());
}

TEST(MessageDiff, ListsChangedLeavesWithTheirJsonPaths) {
  ValidationReport before;
  auto* f = before.add_findings();
  f->set_rule_id("V-P2");
  f->set_expected("20 次");
  f->set_severity(yusuan::common::v1::SEVERITY_WARNING);
  before.set_rule_set_version("1");

  ValidationReport after = before;
  after.mutable_findings(0)->set_expected("22 次");
  after.mutable_findings(0)->set_severity(yusuan::common::v1::SEVERITY_FATAL);
  after.mutable_findings(0)->mutable_location()->set_table(9);
  after.set_fatal_count(1);

  const std::vector<FieldChange> changes = DiffMessages(before, after);
  ASSERT_EQ(changes.size(), 4u);
  EXPECT_EQ(changes[0].path, "findings[0].severity");
  EXPECT_EQ(changes[0].before, "SEVERITY_WARNING");
  EXPECT_EQ(changes[0].after, "SEVERITY_FATAL");
  EXPECT_EQ(changes[1].path, "findings[0].expected");
  EXPECT_EQ(changes[1].before, "20 次");
  EXPECT_EQ(changes[1].after, "22 次");
  EXPECT_EQ(changes[2].path, "findings[0].location.table");
  EXPECT_EQ(changes[2].before, "0");
  EXPECT_EQ(changes[2].after, "9");
  EXPECT_EQ(changes[3].path, "fatalCount");
}

TEST(MessageDiff, AddedAndRemovedElementsListTheirSetFields) {
  ValidationReport before;
  before.add_findings()->set_rule_id("A");
  ValidationReport after;
  after.add_findings()->set_rule_id("A");
  after.add_findings()->set_rule_id("B");

  std::vector<FieldChange> added = DiffMessages(before, after);
  ASSERT_EQ(added.size(), 1u);
  EXPECT_EQ(added[0].path, "findings[1].ruleId");
  EXPECT_EQ(added[0].before, "");
  EXPECT_EQ(added[0].after, "B");

  std::vector<FieldChange> removed = DiffMessages(after, before);
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].before, "B");
  EXPECT_EQ(removed[0].after, "");
}

TEST(MessageDiff, IgnoredTopLevelFieldsAreSkipped) {
  ValidationReport before, after;
  after.set_rule_set_version("2");
  after.set_info_count(3);
  const std::vector<FieldChange> changes = DiffMessages(before, after, {"ruleSetVersion"});
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].path, "infoCount");
}

}  // namespace
}  // namespace yusuan
