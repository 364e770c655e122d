#include "services/common/resource_names.h"

#include "gtest/gtest.h"

namespace yusuan {
namespace {

constexpr char kDepartment[] = "regions/420107/departments/005001022";

TEST(ParseBudgetName, ReadsTheCodesAndAFourDigitYear) {
  auto name = ParseBudgetName(std::string(kDepartment) + "/budgets/2021");
  ASSERT_TRUE(name.ok()) << name.status();
  EXPECT_EQ(name->department.region, "420107");
  EXPECT_EQ(name->department.agency, "005001022");
  EXPECT_EQ(name->year, 2021);
  EXPECT_EQ(name->ToString(), std::string(kDepartment) + "/budgets/2021");
}

// One budget has one name: a year with a sign, a leading zero or blanks
// named the 2021 budget too (issue 13).
TEST(ParseBudgetName, RefusesEveryOtherSpellingOfTheYear) {
  for (const char* year : {"02021", "+2021", " 2021", "2021 ", "%202021", "2021.0", "20210", "1999", "2101", "",
                           "２０２１", "-2021", "0x7e5"}) {
    auto name = ParseBudgetName(std::string(kDepartment) + "/budgets/" + year);
    EXPECT_EQ(name.status().code(), absl::StatusCode::kInvalidArgument) << "\"" << year << "\"";
  }
}

TEST(ParseDepartmentName, RegionCodesHaveTwoFourOrSixDigits) {
  for (const char* name : {"regions/42/departments/1", "regions/4201/departments/1", "regions/420107/departments/1"}) {
    EXPECT_TRUE(ParseDepartmentName(name).ok()) << name;
  }
  for (const char* name : {"regions/4/departments/1", "regions/42010/departments/1", "regions/4201071/departments/1",
                           "regions/42a107/departments/1", "regions//departments/1", "regions/420107/departments/",
                           "regions/420107/departments/A1", "", "regions/420107/departments/1/"}) {
    EXPECT_EQ(ParseDepartmentName(name).status().code(), absl::StatusCode::kInvalidArgument) << name;
  }
}

TEST(ParseRollupName, APrefixOfTwoFourOrSixDigitsAndAYear) {
  for (const char* name : {"regions/42/rollups/2021", "regions/4201/rollups/2021", "regions/420107/rollups/2021"}) {
    auto parsed = ParseRollupName(name);
    ASSERT_TRUE(parsed.ok()) << name << " " << parsed.status();
    EXPECT_EQ(parsed->ToString(), name);
    EXPECT_EQ(parsed->year, 2021);
    EXPECT_EQ(parsed->RegionResource(), std::string(name).substr(0, std::string(name).find("/rollups")));
  }
  for (const char* name : {"regions/4/rollups/2021", "regions/42/rollups/02021", "regions/42/rollups/", "regions/42",
                           "regions/42/rollup/2021", "regions/42/rollups/2021/", "regions/42/rollups/1999", ""}) {
    auto parsed = ParseRollupName(name);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << name;
    EXPECT_NE(parsed.status().message().find("rollups/{year}"), std::string_view::npos) << name;
  }
}

}  // namespace
}  // namespace yusuan
