#include "services/common/resource_names.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/store_keys.h"

namespace yusuan {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

absl::Status BadName(std::string_view name, std::string_view expected) {
  return absl::InvalidArgumentError(absl::StrCat("资源名称无效 / invalid resource name \"", std::string(name),
                                                 "\": expected ", std::string(expected)));
}

}  // namespace

bool IsRegionCode(std::string_view code) {
  return AllDigits(code) && (code.size() == 2 || code.size() == 4 || code.size() == 6);
}

bool IsAgencyCode(std::string_view code) { return AllDigits(code) && code.size() <= 32; }

std::string DepartmentName::ToString() const { return absl::StrCat("regions/", region, "/departments/", agency); }

std::string DepartmentName::Key() const { return absl::StrCat(region, "/", agency); }

std::string BudgetName::ToString() const { return absl::StrCat(department.ToString(), "/budgets/", year); }

std::string BudgetName::GoalsName() const { return absl::StrCat(ToString(), "/goals"); }

std::string BudgetName::Key() const {
  return absl::StrCat(department.Key(), "/", EncodeBigEndian32(static_cast<uint32_t>(year)));
}

absl::StatusOr<DepartmentName> ParseDepartmentName(std::string_view name) {
  constexpr char kForm[] = "regions/{region}/departments/{agency}";
  std::vector<std::string> parts = absl::StrSplit(std::string(name), '/');
  if (parts.size() != 4 || parts[0] != "regions" || parts[2] != "departments" || !IsRegionCode(parts[1]) ||
      !IsAgencyCode(parts[3])) {
    return BadName(name, kForm);
  }
  return DepartmentName{parts[1], parts[3]};
}

absl::StatusOr<BudgetName> ParseBudgetName(std::string_view name) {
  constexpr char kForm[] = "regions/{region}/departments/{agency}/budgets/{year}";
  std::vector<std::string> parts = absl::StrSplit(std::string(name), '/');
  int year = 0;
  // Exactly four digits: SimpleAtoi alone also reads "+2021", "02021" and
  // " 2021" as 2021, so one budget would have many names.
  const bool four_digits = parts.size() == 6 && parts[5].size() == 4 && AllDigits(parts[5]);
  if (parts.size() != 6 || parts[0] != "regions" || parts[2] != "departments" || parts[4] != "budgets" ||
      !IsRegionCode(parts[1]) || !IsAgencyCode(parts[3]) || !four_digits || !absl::SimpleAtoi(parts[5], &year) ||
      year < 2000 || year > 2100) {
    return BadName(name, kForm);
  }
  return BudgetName{DepartmentName{parts[1], parts[3]}, year};
}

std::string RollupName::ToString() const { return absl::StrCat("regions/", region, "/rollups/", year); }

absl::StatusOr<RollupName> ParseRollupName(std::string_view name) {
  std::vector<std::string> parts = absl::StrSplit(std::string(name), '/');
  int year = 0;
  const bool four_digits = parts.size() == 4 && parts[3].size() == 4 && AllDigits(parts[3]);
  if (parts.size() != 4 || parts[0] != "regions" || parts[2] != "rollups" || !IsRegionCode(parts[1]) || !four_digits ||
      !absl::SimpleAtoi(parts[3], &year) || year < 2000 || year > 2100) {
    return BadName(name, "regions/{region}/rollups/{year}");
  }
  return RollupName{parts[1], year};
}

absl::StatusOr<BudgetName> ParseGoalsName(std::string_view name) {
  constexpr std::string_view kSuffix = "/goals";
  if (name.size() <= kSuffix.size() || name.substr(name.size() - kSuffix.size()) != kSuffix) {
    return BadName(name, "regions/{region}/departments/{agency}/budgets/{year}/goals");
  }
  return ParseBudgetName(name.substr(0, name.size() - kSuffix.size()));
}

absl::StatusOr<std::string> ParseRegionName(std::string_view name) {
  std::vector<std::string> parts = absl::StrSplit(std::string(name), '/');
  if (parts.size() != 2 || parts[0] != "regions" || !IsRegionCode(parts[1])) {
    return BadName(name, "regions/{region}");
  }
  return parts[1];
}

namespace {

size_t CountSlashes(const std::string& s) {
  size_t n = 0;
  for (const char c : s) n += c == '/';
  return n;
}

}  // namespace

absl::StatusOr<AnyResourceName> ParseAnyResourceName(const std::string& name) {
  AnyResourceName out;
  // The shape (number of segments) picks the parser, so the error names the
  // form the caller evidently meant.
  switch (CountSlashes(name)) {
    case 1: {
      absl::StatusOr<std::string> region = ParseRegionName(name);
      if (!region.ok()) return region.status();
      out.kind = ResourceKind::kRegion;
      out.region = *region;
      return out;
    }
    case 3: {
      absl::StatusOr<DepartmentName> department = ParseDepartmentName(name);
      if (!department.ok()) return department.status();
      out.kind = ResourceKind::kDepartment;
      out.budget.department = *department;
      break;
    }
    case 5: {
      absl::StatusOr<BudgetName> budget = ParseBudgetName(name);
      if (!budget.ok()) return budget.status();
      out.kind = ResourceKind::kBudget;
      out.budget = *budget;
      break;
    }
    case 6: {
      absl::StatusOr<BudgetName> budget = ParseGoalsName(name);
      if (!budget.ok()) return budget.status();
      out.kind = ResourceKind::kGoals;
      out.budget = *budget;
      break;
    }
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("资源名称无效 / invalid resource name \"", name,
                       "\": expected regions/{region}[/departments/{agency}[/budgets/{year}[/goals]]]"));
  }
  out.region = out.budget.department.region;
  return out;
}

}  // namespace yusuan
