// Resource names (services/common/resource_names.h), the scopes built on
// them (services/security/scope.h) and the gateway's naming of a filing's
// parts (services/gateway/names.h).
//
// Input: up to six lines. Every line is parsed as a name and as a scope;
// every ordered pair is tried as scope and resource; and six lines are
// also a filing's region code, agency code, fiscal year, department name,
// budget name and goals name for FillFilingNames.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "services/common/resource_names.h"
#include "services/gateway/names.h"
#include "services/security/scope.h"
#include "tests/fuzz/fuzz_check.h"

namespace yusuan {
namespace {

constexpr size_t kMaxLines = 6;

bool IsRefusal(const absl::Status& status) { return status.code() == absl::StatusCode::kInvalidArgument; }

// An accepted name is the one spelling of what it names: formatting the
// parsed value gives the name back, so two spellings never reach one
// resource (or one storage key).
void CheckName(const std::string& name) {
  const absl::StatusOr<std::string> region = ParseRegionName(name);
  const absl::StatusOr<DepartmentName> department = ParseDepartmentName(name);
  const absl::StatusOr<BudgetName> budget = ParseBudgetName(name);
  const absl::StatusOr<BudgetName> goals = ParseGoalsName(name);
  const absl::StatusOr<RollupName> rollup = ParseRollupName(name);
  const absl::StatusOr<AnyResourceName> any = ParseAnyResourceName(name);
  for (const absl::Status& status :
       {region.status(), department.status(), budget.status(), goals.status(), rollup.status()}) {
    FUZZ_CHECK(status.ok() || IsRefusal(status), name, " → ", status.ToString());
  }
  FUZZ_CHECK(region.ok() + department.ok() + budget.ok() + goals.ok() + rollup.ok() <= 1, name);
  if (rollup.ok()) {
    // A roll-up is named, not stored: its name formats back, and its
    // resource (what a token's scope must cover) is its region.
    FUZZ_CHECK(rollup->ToString() == name, name, " → ", rollup->ToString());
    FUZZ_CHECK(rollup->year >= 2000 && rollup->year <= 2100, name);
    const absl::StatusOr<std::string> parent = ParseRegionName(rollup->RegionResource());
    FUZZ_CHECK(parent.ok() && *parent == rollup->region, name);
  }

  if (region.ok()) {
    FUZZ_CHECK(IsRegionCode(*region), name);
    FUZZ_CHECK("regions/" + *region == name, name);
  }
  if (department.ok()) {
    FUZZ_CHECK(IsRegionCode(department->region) && IsAgencyCode(department->agency), name);
    FUZZ_CHECK(department->ToString() == name, name, " → ", department->ToString());
    FUZZ_CHECK(department->Key() == department->region + "/" + department->agency, name);
  }
  for (const absl::StatusOr<BudgetName>* parsed : {&budget, &goals}) {
    if (!parsed->ok()) continue;
    const BudgetName& b = **parsed;
    FUZZ_CHECK(b.year >= 2000 && b.year <= 2100, name);
    FUZZ_CHECK((parsed == &budget ? b.ToString() : b.GoalsName()) == name, name);
    FUZZ_CHECK(b.GoalsName() == b.ToString() + "/goals", name);
    // The storage key: the department's key, '/', the year in four bytes;
    // keys of one department sort by year.
    const std::string key = b.Key();
    FUZZ_CHECK(key.size() == b.department.Key().size() + 5 && key.starts_with(b.department.Key() + "/"), name);
    const absl::StatusOr<DepartmentName> owner = ParseDepartmentName(b.department.ToString());
    FUZZ_CHECK(owner.ok() && owner->Key() == b.department.Key(), name);
  }

  FUZZ_CHECK(any.ok() == (region.ok() || department.ok() || budget.ok() || goals.ok()), name);
  if (any.ok()) {
    switch (any->kind) {
      case ResourceKind::kRegion:
        FUZZ_CHECK(region.ok() && any->region == *region, name);
        break;
      case ResourceKind::kDepartment:
        FUZZ_CHECK(department.ok() && any->budget.department.ToString() == name, name);
        break;
      case ResourceKind::kBudget:
        FUZZ_CHECK(budget.ok() && any->budget.ToString() == name, name);
        break;
      case ResourceKind::kGoals:
        FUZZ_CHECK(goals.ok() && any->budget.GoalsName() == name, name);
        break;
    }
    // Every name lies under the scope of its region and of its department.
    FUZZ_CHECK(security::ScopeCovers("regions/", name), name);
    FUZZ_CHECK(security::ScopeCovers("regions/" + any->region, name), name);
    FUZZ_CHECK(security::ScopeCovers("regions/" + any->region.substr(0, 2), name), name);
    if (any->kind != ResourceKind::kRegion) {
      FUZZ_CHECK(security::ScopeCovers(any->budget.department.ToString(), name), name);
    }
  } else {
    FUZZ_CHECK(IsRefusal(any.status()), name, " → ", any.status().ToString());
  }
}

// A scope covers only what its shape allows (scope.h); `valid` is
// ValidateScope(scope).ok().
void CheckScope(const std::string& scope, bool valid, const std::string& resource) {
  if (!security::ScopeCovers(scope, resource)) return;
  FUZZ_CHECK(valid, scope, " covers ", resource);
  FUZZ_CHECK(resource.starts_with("regions/"), scope, " covers ", resource);
  if (scope == security::kEverywhereScope) return;
  // Past "regions/", a region scope is a prefix of the resource's region
  // code and a department scope is the resource or its parent.
  if (ParseDepartmentName(scope).ok()) {
    FUZZ_CHECK(resource == scope || resource.starts_with(scope + "/"), scope, " covers ", resource);
  } else {
    FUZZ_CHECK(ParseRegionName(scope).ok() && resource.starts_with(scope), scope, " covers ", resource);
  }
}

// FillFilingNames names a filing's parts from its codes and year, and
// reports a name that disagrees instead of changing it.
void CheckFilingNames(const std::vector<std::string>& lines) {
  gateway::v1::Filing filing;
  filing.mutable_department()->set_region_code(lines[0]);
  filing.mutable_department()->set_agency_code(lines[1]);
  int year = 0;
  if (!absl::SimpleAtoi(lines[2], &year)) year = 0;
  filing.mutable_budget()->set_fiscal_year(year);
  filing.mutable_department()->set_name(lines[3]);
  filing.mutable_budget()->set_name(lines[4]);
  filing.mutable_goals()->set_name(lines[5]);
  const std::vector<common::v1::Finding> findings = gateway::FillFilingNames(filing);
  const bool codes = IsRegionCode(lines[0]) && IsAgencyCode(lines[1]);
  const bool dated = codes && year >= 2000 && year <= 2100;
  bool department_refused = false;
  bool budget_refused = false;
  for (const common::v1::Finding& finding : findings) {
    FUZZ_CHECK(finding.rule_id() == "V-NAME", finding.ShortDebugString());
    department_refused |= finding.field() == "department.name";
    budget_refused |= finding.field() == "budget.name";
    FUZZ_CHECK(finding.field() == "department.name" || finding.field() == "budget.name", finding.ShortDebugString());
  }
  FUZZ_CHECK(findings.size() == static_cast<size_t>(department_refused) + budget_refused);
  if (!codes) {
    FUZZ_CHECK(findings.empty() && filing.department().name() == lines[3] && filing.budget().name() == lines[4] &&
               filing.goals().name() == lines[5]);
    return;
  }
  // A name is never rewritten: kept, or filled when it was empty.
  const BudgetName expected{DepartmentName{lines[0], lines[1]}, year};
  FUZZ_CHECK(filing.department().name() == (lines[3].empty() ? expected.department.ToString() : lines[3]));
  FUZZ_CHECK(department_refused == (filing.department().name() != expected.department.ToString()));
  if (!dated) {
    FUZZ_CHECK(!budget_refused && filing.budget().name() == lines[4] && filing.goals().name() == lines[5]);
    return;
  }
  FUZZ_CHECK(filing.budget().name() == (lines[4].empty() ? expected.ToString() : lines[4]));
  FUZZ_CHECK(budget_refused == (filing.budget().name() != expected.ToString()));
  FUZZ_CHECK(filing.goals().name() == (lines[5].empty() ? expected.GoalsName() : lines[5]));
  const absl::StatusOr<BudgetName> parsed = ParseBudgetName(expected.ToString());
  FUZZ_CHECK(parsed.ok() && parsed->ToString() == expected.ToString(), expected.ToString());
}

}  // namespace
}  // namespace yusuan

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> lines = absl::StrSplit(absl::string_view(reinterpret_cast<const char*>(data), size), '\n');
  if (lines.size() > yusuan::kMaxLines) lines.resize(yusuan::kMaxLines);
  for (const std::string& scope : lines) {
    yusuan::CheckName(scope);
    const absl::Status valid = yusuan::security::ValidateScope(scope);
    FUZZ_CHECK(valid.ok() || yusuan::IsRefusal(valid), scope);
    FUZZ_CHECK(!valid.ok() || yusuan::security::ScopeCovers(scope, scope), scope);
    for (const std::string& resource : lines) yusuan::CheckScope(scope, valid.ok(), resource);
  }
  if (lines.size() >= 6) yusuan::CheckFilingNames(lines);
  return 0;
}
