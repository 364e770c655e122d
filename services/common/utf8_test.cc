#include "services/common/utf8.h"

#include "gtest/gtest.h"
#include "yusuan/ledger/v1/ledger.pb.h"

namespace yusuan {
namespace {

TEST(Utf8Test, AcceptsChineseAndRejectsIllFormedBytes) {
  EXPECT_TRUE(IsValidUtf8("区科协 2021 年部门预算"));
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));      // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));  // surrogate
  EXPECT_FALSE(IsValidUtf8("\xe5\x8c"));      // truncated 区
  EXPECT_EQ(FirstInvalidUtf8("区\xff"), 3u);
}

TEST(Utf8Test, WireWalkerNamesTheField) {
  yusuan::ledger::v1::Budget budget;
  budget.add_projects()->set_name("ok");
  budget.add_projects()->set_name("bad\xff");
  budget.mutable_narrative()->set_general_budget_change_reason("\xfe");
  std::string wire;
  // Serialization does not verify UTF-8 in release builds (it only logs).
  ASSERT_TRUE(budget.SerializePartialToString(&wire));
  auto paths = FindInvalidUtf8Fields(yusuan::ledger::v1::Budget::descriptor(), wire);
  ASSERT_EQ(paths.size(), 2u);
  EXPECT_EQ(paths[0], "projects[1].name");
  EXPECT_EQ(paths[1], "narrative.generalBudgetChangeReason");
  EXPECT_EQ(FindInvalidUtf8InMessage(budget), paths);
}

TEST(Utf8Test, JsonWalkerNamesTheValue) {
  auto paths = FindInvalidUtf8InJson(R"({"department":{"fullName":"武汉)"
                                     "\xff"
                                     R"("},"budget":{"projects":[{"name":"a"},{"name":"b)"
                                     "\xfe"
                                     R"("}]}})");
  ASSERT_EQ(paths.size(), 2u);
  EXPECT_EQ(paths[0], "budget.projects[1].name");
  EXPECT_EQ(paths[1], "department.fullName");
  EXPECT_TRUE(FindInvalidUtf8InJson(R"({"a":"区"})").empty());
}

}  // namespace
TEST(Utf8, BrokenBytesAreReplacedForQuoting) {
  EXPECT_EQ(WithReplacementCharacters("科协"), "科协");
  EXPECT_EQ(WithReplacementCharacters("武汉\xff\xfe科协"), "武汉\xEF\xBF\xBD\xEF\xBF\xBD科协");
  EXPECT_TRUE(IsValidUtf8(WithReplacementCharacters("\xC0\xAF\xE6\xAD")));
}

}  // namespace yusuan
