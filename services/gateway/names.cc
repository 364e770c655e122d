#include "services/gateway/names.h"

#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/gateway/rule_catalogue.h"

namespace yusuan::gateway {
namespace {

using yusuan::common::v1::Finding;

constexpr int kMinYear = 2000;  // the range ParseBudgetName accepts
constexpr int kMaxYear = 2100;

Finding NameFinding(const std::string& field, const std::string& zh, const std::string& en, const std::string& expected,
                    const std::string& actual, const std::string& hint) {
  Finding f = NewFinding(GatewayRules(), "V-NAME");
  f.set_field(field);
  f.set_message_zh(zh);
  f.set_message_en(en);
  f.set_expected(expected);
  f.set_actual(actual);
  f.set_hint(hint);
  return f;
}

// Sets `*name` when empty; otherwise a finding when it is not `expected`.
void FillOrCheck(std::string* name, const std::string& expected, const std::string& field, std::vector<Finding>* out) {
  if (name->empty()) {
    *name = expected;
    return;
  }
  if (*name == expected) return;
  out->push_back(NameFinding(
      field, absl::StrCat(field, " 为 \"", *name, "\"，与编码和年度应得的 \"", expected, "\" 不一致"),
      absl::StrCat(field, " is \"", *name, "\" but the codes and fiscal year give \"", expected, "\""), expected, *name,
      "删去 name 由系统按编码生成，或改正编码 / omit the name to have it derived from the "
      "codes, or correct the codes"));
}

}  // namespace

std::vector<Finding> FillFilingNames(yusuan::gateway::v1::Filing& filing) {
  std::vector<Finding> out;
  auto* department = filing.mutable_department();
  auto* budget = filing.mutable_budget();
  // Malformed or missing codes and years are the ledger rules' to report
  // (V-FIELD-REQUIRED, V-FIELD-FORMAT, V-FIELD-RANGE); without them there is
  // no name to derive.
  if (!IsRegionCode(department->region_code()) || !IsAgencyCode(department->agency_code())) {
    return out;
  }
  BudgetName name{DepartmentName{department->region_code(), department->agency_code()}, budget->fiscal_year()};
  FillOrCheck(department->mutable_name(), name.department.ToString(), "department.name", &out);
  const int year = budget->fiscal_year();
  if (year < kMinYear || year > kMaxYear) return out;
  FillOrCheck(budget->mutable_name(), name.ToString(), "budget.name", &out);
  // A goals name that disagrees is X-GOALS-NAME of the goals rules; checking
  // it here too would report it twice.
  if (filing.goals().name().empty()) filing.mutable_goals()->set_name(name.GoalsName());
  return out;
}

}  // namespace yusuan::gateway
