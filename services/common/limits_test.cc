// The limits: found by field path with both numbers, counted in characters
// not bytes, and listed in the README's table exactly as limits.h has them.
#include "services/common/limits.h"

#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "yusuan/gateway/v1/gateway.pb.h"

namespace yusuan {
namespace {

TEST(LimitsTest, ATextOverTheLimitIsNamedByPathInCharacters) {
  yusuan::gateway::v1::Filing filing;
  // 10 000 Chinese characters are 30 000 bytes and within the limit.
  std::string at_limit;
  for (int i = 0; i < kMaxTextCharacters; ++i) at_limit += "科";
  filing.mutable_department()->set_full_name(at_limit);
  EXPECT_TRUE(FindLimitViolations(filing, "").empty());

  filing.mutable_department()->set_full_name(at_limit + "协");
  filing.mutable_budget()->add_projects()->set_purpose(std::string(3 * 1024 * 1024, 'x'));
  const std::vector<LimitViolation> over = FindLimitViolations(filing, "");
  ASSERT_EQ(over.size(), 2u);
  EXPECT_EQ(over[0].path, "department.fullName");
  EXPECT_STREQ(over[0].limit->id, "max_text_characters");
  EXPECT_EQ(over[0].actual, kMaxTextCharacters + 1);
  EXPECT_EQ(over[1].path, "budget.projects[0].purpose");
  EXPECT_EQ(over[1].actual, 3 * 1024 * 1024);
}

TEST(LimitsTest, AListOverTheLimitIsNamedOnceAndItsEntriesAreNotRead) {
  yusuan::gateway::v1::Filing filing;
  for (int64_t i = 0; i <= kMaxListEntries; ++i) filing.mutable_budget()->add_expenditure_lines();
  filing.mutable_budget()->mutable_expenditure_lines(5)->set_functional_code(std::string(kMaxTextCharacters + 1, '2'));
  const std::vector<LimitViolation> over = FindLimitViolations(filing, "filing");
  ASSERT_EQ(over.size(), 1u);
  EXPECT_EQ(over[0].path, "filing.budget.expenditureLines");
  EXPECT_STREQ(over[0].limit->id, "max_list_entries");
  EXPECT_EQ(over[0].actual, kMaxListEntries + 1);
}

TEST(LimitsTest, StopsAtTheAskedNumberOfViolations) {
  yusuan::gateway::v1::Filing filing;
  for (int i = 0; i < 50; ++i)
    filing.mutable_department()->add_main_functions(std::string(kMaxTextCharacters + 1, 'a'));
  EXPECT_EQ(FindLimitViolations(filing, "", 20).size(), 20u);
}

TEST(LimitsTest, TheReadmeTableIsLimitsH) {
  std::ifstream file(std::string(YUSUAN_SOURCE_DIR) + "/README.md");
  std::stringstream readme;
  readme << file.rdbuf();
  for (const Limit& limit : Limits()) {
    const std::string row = absl::StrCat("| `", limit.id, "` | ", limit.value, " ", limit.unit, " |");
    EXPECT_NE(readme.str().find(row), std::string::npos) << "README § Limits lacks the row starting " << row;
  }
}

}  // namespace
}  // namespace yusuan
