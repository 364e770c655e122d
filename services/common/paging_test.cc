#include "services/common/paging.h"

#include <limits>

#include "gtest/gtest.h"

namespace yusuan {
namespace {

constexpr char kBudget[] = "regions/420107/departments/005001022/budgets/2021";

TEST(NumberedPageToken, ReadsBackWhatItWrites) {
  for (int64_t sequence : {int64_t{0}, int64_t{1}, int64_t{17}, std::numeric_limits<int64_t>::max()}) {
    absl::StatusOr<int64_t> parsed = ParseNumberedPageToken(NumberedPageToken(sequence));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, sequence);
  }
}

// One spelling per position: a token is handed out, never typed.
TEST(NumberedPageToken, RefusesEveryOtherSpelling) {
  for (const char* token : {"", "+1", "-1", " 1", "1 ", "01", "1.0", "0x1", "１", "9223372036854775808", "a"}) {
    EXPECT_EQ(ParseNumberedPageToken(token).status().code(), absl::StatusCode::kInvalidArgument) << token;
  }
}

TEST(DepartmentPageToken, IsADepartmentKeyInsideTheListedRegion) {
  absl::StatusOr<DepartmentName> parsed = ParseDepartmentPageToken("420107/005001022", "4201");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->Key(), "420107/005001022");
  for (const char* token : {"420107", "420107/", "420107/001/x", "42010/001", "420107/A1", "/001"}) {
    EXPECT_EQ(ParseDepartmentPageToken(token, "").status().code(), absl::StatusCode::kInvalidArgument) << token;
  }
  EXPECT_EQ(ParseDepartmentPageToken("420106/001", "420107").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(BudgetPageToken, IsABudgetNameInsideTheListedRegion) {
  EXPECT_TRUE(ParseBudgetPageToken(kBudget, "regions/").ok());
  EXPECT_TRUE(ParseBudgetPageToken(kBudget, "regions/42").ok());
  EXPECT_EQ(ParseBudgetPageToken(kBudget, "regions/4202").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseBudgetPageToken("regions/420107/departments/005001022", "regions/").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PublicationPageToken, ReadsBackWhatItWrites) {
  const std::string token = PublicationPageToken(kBudget, 5);
  EXPECT_EQ(token, std::string(kBudget) + "@5");
  absl::StatusOr<VersionPosition> parsed = ParsePublicationPageToken(token, "");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->budget.ToString(), kBudget);
  EXPECT_EQ(parsed->version, 5);
  for (const std::string& bad : {std::string(kBudget), std::string(kBudget) + "@0", std::string(kBudget) + "@-1",
                                 std::string(kBudget) + "@05", std::string("not a token@5")}) {
    EXPECT_EQ(ParsePublicationPageToken(bad, "").status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(ParsePublicationPageToken(token, "regions/420106").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(StagedGoalsPageToken, ReadsBackWhatItWrites) {
  const std::string goals = std::string(kBudget) + "/goals";
  const std::string token = StagedGoalsPageToken(goals, 3);
  EXPECT_EQ(token, goals + "#3");
  absl::StatusOr<VersionPosition> parsed = ParseStagedGoalsPageToken(token);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->budget.GoalsName(), goals);
  EXPECT_EQ(parsed->version, 3);
  for (const std::string& bad : {goals, goals + "#0", goals + "#+3", std::string(kBudget) + "#3", std::string("#3")}) {
    EXPECT_EQ(ParseStagedGoalsPageToken(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace yusuan
