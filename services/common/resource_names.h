// AIP-122 resource names and the storage keys built from them.
//   regions/{region}/departments/{agency}
//   regions/{region}/departments/{agency}/budgets/{year}
//   regions/{region}/departments/{agency}/budgets/{year}/goals
//   regions/{region}/rollups/{year}
#ifndef YUSUAN_SERVICES_COMMON_RESOURCE_NAMES_H_
#define YUSUAN_SERVICES_COMMON_RESOURCE_NAMES_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace yusuan {

struct DepartmentName {
  std::string region;  // 2, 4 or 6 digits
  std::string agency;  // digits
  std::string ToString() const;
  // region '/' agency: regions sort together, and a region prefix scan finds
  // every department under it.
  std::string Key() const;
};

struct BudgetName {
  DepartmentName department;
  int year = 0;
  std::string ToString() const;
  std::string GoalsName() const;
  // Department key '/' big-endian year.
  std::string Key() const;
};

bool IsRegionCode(std::string_view code);
bool IsAgencyCode(std::string_view code);

absl::StatusOr<DepartmentName> ParseDepartmentName(std::string_view name);
absl::StatusOr<BudgetName> ParseBudgetName(std::string_view name);
// Accepts ".../budgets/{year}/goals".
absl::StatusOr<BudgetName> ParseGoalsName(std::string_view name);
// "regions/{region}" → region.
absl::StatusOr<std::string> ParseRegionName(std::string_view name);

// regions/{prefix}/rollups/{year}: the totals of every department whose
// region code starts with `region` (a province, a city or a district).
struct RollupName {
  std::string region;
  int year = 0;
  std::string ToString() const;
  std::string RegionResource() const { return "regions/" + region; }
};
absl::StatusOr<RollupName> ParseRollupName(std::string_view name);

enum class ResourceKind { kRegion, kDepartment, kBudget, kGoals };

struct AnyResourceName {
  ResourceKind kind = ResourceKind::kRegion;
  std::string region;  // always set
  BudgetName budget;   // department part set for kDepartment, all for kBudget/kGoals
};

// Recognises any of the four forms (regions/{r}, …/departments/{a},
// …/budgets/{y}, …/budgets/{y}/goals); INVALID_ARGUMENT (bilingual) otherwise.
absl::StatusOr<AnyResourceName> ParseAnyResourceName(const std::string& name);

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_RESOURCE_NAMES_H_
