#include "services/common/paging.h"

#include <limits>

namespace yusuan {
namespace {

absl::Status BadToken() {
  return absl::InvalidArgumentError(
      "page_token 无效 / invalid page_token: pass next_page_token from the previous page of the same list");
}

// Decimal digits without sign, blank or leading zero, so a number has one
// spelling; false past int64.
bool ParseCanonicalNumber(std::string_view text, int64_t* out) {
  if (text.empty() || (text.size() > 1 && text.front() == '0')) return false;
  int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
    const int digit = c - '0';
    if (value > (std::numeric_limits<int64_t>::max() - digit) / 10) return false;
    value = value * 10 + digit;
  }
  *out = value;
  return true;
}

}  // namespace

std::string NumberedPageToken(int64_t sequence) { return absl::StrCat(sequence); }

absl::StatusOr<int64_t> ParseNumberedPageToken(std::string_view token) {
  int64_t sequence = 0;
  if (!ParseCanonicalNumber(token, &sequence)) return BadToken();
  return sequence;
}

absl::StatusOr<DepartmentName> ParseDepartmentPageToken(std::string_view token, std::string_view region_prefix) {
  const size_t slash = token.find('/');
  if (slash == std::string_view::npos) return BadToken();
  DepartmentName department{std::string(token.substr(0, slash)), std::string(token.substr(slash + 1))};
  if (!IsRegionCode(department.region) || !IsAgencyCode(department.agency) ||
      !department.region.starts_with(region_prefix)) {
    return BadToken();
  }
  return department;
}

absl::StatusOr<BudgetName> ParseBudgetPageToken(std::string_view token, std::string_view name_prefix) {
  absl::StatusOr<BudgetName> budget = ParseBudgetName(token);
  if (!budget.ok() || !token.starts_with(name_prefix)) return BadToken();
  return budget;
}

std::string PublicationPageToken(std::string_view budget_name, int64_t version) {
  return absl::StrCat(std::string(budget_name), "@", version);
}

absl::StatusOr<VersionPosition> ParsePublicationPageToken(std::string_view token, std::string_view name_prefix) {
  const size_t at = token.rfind('@');
  if (at == std::string_view::npos) return BadToken();
  VersionPosition position;
  absl::StatusOr<BudgetName> budget = ParseBudgetPageToken(token.substr(0, at), name_prefix);
  if (!budget.ok() || !ParseCanonicalNumber(token.substr(at + 1), &position.version) || position.version < 1) {
    return BadToken();
  }
  position.budget = *std::move(budget);
  return position;
}

std::string StagedGoalsPageToken(std::string_view goals_name, int64_t revision) {
  return absl::StrCat(std::string(goals_name), "#", revision);
}

absl::StatusOr<VersionPosition> ParseStagedGoalsPageToken(std::string_view token) {
  const size_t hash = token.rfind('#');
  if (hash == std::string_view::npos) return BadToken();
  VersionPosition position;
  absl::StatusOr<BudgetName> budget = ParseGoalsName(token.substr(0, hash));
  if (!budget.ok() || !ParseCanonicalNumber(token.substr(hash + 1), &position.version) || position.version < 1) {
    return BadToken();
  }
  position.budget = *std::move(budget);
  return position;
}

}  // namespace yusuan
