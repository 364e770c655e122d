#include "services/security/scope.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "services/common/resource_names.h"

namespace yusuan::security {
namespace {

constexpr std::string_view kRegionsPrefix = "regions/";
constexpr std::string_view kDepartmentsSegment = "/departments/";

// A scope taken apart: region digits ("" for everything) and the department
// id ("" for a region scope).
struct ParsedScope {
  std::string_view region;
  std::string_view department;
};

bool ParseScope(std::string_view scope, ParsedScope* parsed) {
  if (scope.substr(0, kRegionsPrefix.size()) != kRegionsPrefix) return false;
  std::string_view rest = scope.substr(kRegionsPrefix.size());
  if (rest.empty()) {
    *parsed = ParsedScope{.region = "", .department = ""};
    return true;
  }
  const size_t slash = rest.find('/');
  const std::string_view region = rest.substr(0, slash);
  // A scope is a resource name: a region code of 2, 4 or 6 digits (GB/T
  // 2260 levels), so "regions/42010" cannot cover 420107 and 420108 by a
  // prefix no region has.
  if (!IsRegionCode(region)) return false;
  if (slash == std::string_view::npos) {
    *parsed = ParsedScope{.region = region, .department = ""};
    return true;
  }
  const std::string_view after = rest.substr(slash);
  if (after.substr(0, kDepartmentsSegment.size()) != kDepartmentsSegment) return false;
  const std::string_view department = after.substr(kDepartmentsSegment.size());
  if (!IsAgencyCode(department)) return false;
  *parsed = ParsedScope{.region = region, .department = department};
  return true;
}

}  // namespace

absl::Status ValidateScope(std::string_view scope) {
  ParsedScope parsed;
  if (ParseScope(scope, &parsed)) return absl::OkStatus();
  const std::string shown(scope);
  return absl::InvalidArgumentError(
      absl::StrCat("范围无效：\"", shown,
                   "\"；可用的形式为 regions/（全部）、regions/{2、4 或 6 位行政区划代码}、"
                   "regions/{行政区划代码}/departments/{数字部门编码} / invalid scope \"",
                   shown,
                   "\": use regions/ (everything), regions/{region code of 2, 4 or 6 digits} (e.g. regions/4201) "
                   "or regions/{region code}/departments/{agency code of digits}"));
}

bool ScopeCovers(std::string_view scope, std::string_view resource_name) {
  ParsedScope parsed;
  if (!ParseScope(scope, &parsed)) return false;
  if (resource_name.substr(0, kRegionsPrefix.size()) != kRegionsPrefix) return false;
  const std::string_view rest = resource_name.substr(kRegionsPrefix.size());
  const size_t slash = rest.find('/');
  const std::string_view region = rest.substr(0, slash);
  const std::string_view after = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  // "regions/" alone is the whole country; anything else needs a region code.
  if (region.empty() ? !after.empty() : !IsRegionCode(region)) return false;

  if (parsed.department.empty()) {
    return region.substr(0, parsed.region.size()) == parsed.region;
  }
  if (region != parsed.region) return false;
  if (after.substr(0, kDepartmentsSegment.size()) != kDepartmentsSegment) return false;
  const std::string_view department_and_below = after.substr(kDepartmentsSegment.size());
  if (department_and_below.substr(0, parsed.department.size()) != parsed.department) return false;
  const std::string_view below = department_and_below.substr(parsed.department.size());
  return below.empty() || below.front() == '/';
}

}  // namespace yusuan::security
