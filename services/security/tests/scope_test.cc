#include "services/security/scope.h"

#include "gtest/gtest.h"

namespace yusuan::security {
namespace {

constexpr char kDepartment[] = "regions/420107/departments/005001022";
constexpr char kBudget[] = "regions/420107/departments/005001022/budgets/2021";
constexpr char kGoals[] = "regions/420107/departments/005001022/budgets/2021/goals";

TEST(ValidateScope, AcceptsTheFourShapes) {
  for (const char* scope : {"regions/", "regions/42", "regions/4201", "regions/420107",
                            "regions/420107/departments/005001022", "regions/4201/departments/1"}) {
    EXPECT_TRUE(ValidateScope(scope).ok()) << scope;
  }
}

TEST(ValidateScope, RefusesEverythingElseBilingually) {
  for (const char* scope :
       {"", "/", "regions", "region/42", "Regions/42", "regions/42/", "regions//", "regions/4a", "regions/-42",
        "regions/42 ", " regions/42", "regions/420107/departments", "regions/420107/departments/",
        "regions/420107/departments/005/", "regions/420107/departments/00 5",
        "regions/420107/departments/005/budgets/2021", "regions/420107/units/005", "regions/420107/departments/部门",
        "regions/*", "regions/420107/departments/005001022/",
        // Not region codes (2, 4 or 6 digits): these matched 420107 and
        // 420108 by a string prefix no region has.
        "regions/4", "regions/420", "regions/42010", "regions/4201071", "regions/42010/departments/005001022",
        // Not agency codes (digits, at most 32).
        "regions/420107/departments/Dept_01-a", "regions/420107/departments/005-001",
        "regions/420107/departments/123456789012345678901234567890123"}) {
    const absl::Status status = ValidateScope(scope);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << "\"" << scope << "\"";
    EXPECT_NE(status.message().find("范围无效"), absl::string_view::npos) << scope;
    EXPECT_NE(status.message().find("invalid scope"), absl::string_view::npos) << scope;
  }
}

TEST(ScopeCovers, EverywhereCoversEveryRegionAndTheCountry) {
  for (const char* name : {"regions/", "regions/42", "regions/11", kDepartment, kBudget, kGoals}) {
    EXPECT_TRUE(ScopeCovers("regions/", name)) << name;
  }
}

TEST(ScopeCovers, RegionCodesMatchAsPrefixes) {
  // A province covers its cities, districts and their departments.
  EXPECT_TRUE(ScopeCovers("regions/42", "regions/42"));
  EXPECT_TRUE(ScopeCovers("regions/42", "regions/4201"));
  EXPECT_TRUE(ScopeCovers("regions/42", kBudget));
  EXPECT_TRUE(ScopeCovers("regions/4201", kGoals));
  EXPECT_TRUE(ScopeCovers("regions/420107", kDepartment));
  EXPECT_TRUE(ScopeCovers("regions/420107", "regions/420107"));
  // Not a neighbour, not the level above.
  EXPECT_FALSE(ScopeCovers("regions/42", "regions/43"));
  EXPECT_FALSE(ScopeCovers("regions/4201", "regions/4202/departments/005001022"));
  EXPECT_FALSE(ScopeCovers("regions/420107", "regions/4201"));
  EXPECT_FALSE(ScopeCovers("regions/420107", "regions/42"));
  EXPECT_FALSE(ScopeCovers("regions/4201", "regions/"));
  EXPECT_FALSE(ScopeCovers("regions/420107", "regions/420106/departments/005001022"));
}

TEST(ScopeCovers, DepartmentsMatchWholeSegments) {
  EXPECT_TRUE(ScopeCovers(kDepartment, kDepartment));
  EXPECT_TRUE(ScopeCovers(kDepartment, kBudget));
  EXPECT_TRUE(ScopeCovers(kDepartment, kGoals));
  // A shorter department code is another department, not a parent.
  EXPECT_FALSE(ScopeCovers("regions/420107/departments/005", kDepartment));
  EXPECT_FALSE(ScopeCovers("regions/420107/departments/005", kBudget));
  // Nor is a longer one a child.
  EXPECT_FALSE(ScopeCovers(kDepartment, "regions/420107/departments/0050010221"));
  EXPECT_FALSE(ScopeCovers(kDepartment, "regions/420107/departments/0050010221/budgets/2021"));
  // The department's region, not its parent region or the department list.
  EXPECT_FALSE(ScopeCovers(kDepartment, "regions/420107"));
  EXPECT_FALSE(ScopeCovers(kDepartment, "regions/420107/departments"));
  EXPECT_FALSE(ScopeCovers(kDepartment, "regions/4201"));
  // The same department code in another region is another department.
  EXPECT_FALSE(ScopeCovers(kDepartment, "regions/420106/departments/005001022"));
  EXPECT_FALSE(ScopeCovers(kDepartment, "regions/4201070/departments/005001022"));
  EXPECT_FALSE(ScopeCovers("regions/4201/departments/005001022", kDepartment));
}

TEST(ScopeCovers, RefusesWhatIsNotAResourceName) {
  EXPECT_FALSE(ScopeCovers("regions/", ""));
  EXPECT_FALSE(ScopeCovers("regions/", "regions"));
  EXPECT_FALSE(ScopeCovers("regions/", "departments/005001022"));
  EXPECT_FALSE(ScopeCovers("regions/", "regions//departments/005001022"));
  EXPECT_FALSE(ScopeCovers("regions/", "regions/42a"));
  EXPECT_FALSE(ScopeCovers("regions/42", "regions/42a"));
  EXPECT_FALSE(ScopeCovers("regions/42", "xregions/42"));
  // A region code has 2, 4 or 6 digits.
  EXPECT_FALSE(ScopeCovers("regions/42", "regions/42010"));
  EXPECT_FALSE(ScopeCovers("regions/42", "regions/4201071/departments/005001022"));
}

TEST(ScopeCovers, InvalidScopesCoverNothing) {
  for (const char* scope : {"", "regions", "regions/42/", "regions/4x", "*", "regions/4", "regions/42010",
                            "regions/4201071", "regions/420107/departments/Dept_01-a"}) {
    EXPECT_FALSE(ScopeCovers(scope, kBudget)) << scope;
    EXPECT_FALSE(ScopeCovers(scope, "regions/42")) << scope;
  }
}

}  // namespace
}  // namespace yusuan::security
