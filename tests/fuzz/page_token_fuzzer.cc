// Page tokens and page sizes (services/common/paging.h) as the lists of the
// ledger, goals and report services read them back from clients.
//
// Input: the token, then optionally '\n' and the list's prefix (region
// digits for departments, a name prefix for budgets and publications). The
// first four bytes are also a requested page_size.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "services/common/paging.h"
#include "services/common/store_keys.h"
#include "tests/fuzz/fuzz_check.h"

namespace yusuan {
namespace {

bool IsRefusal(const absl::Status& status) { return status.code() == absl::StatusCode::kInvalidArgument; }

void CheckNumbered(std::string_view token) {
  const absl::StatusOr<int64_t> sequence = ParseNumberedPageToken(token);
  if (!sequence.ok()) {
    FUZZ_CHECK(IsRefusal(sequence.status()), token);
    return;
  }
  FUZZ_CHECK(*sequence >= 0, token);
  FUZZ_CHECK(NumberedPageToken(*sequence) == token, token);
  // The scan starts after prefix + big-endian number: the same number.
  FUZZ_CHECK(DecodeBigEndian64(EncodeBigEndian64(static_cast<uint64_t>(*sequence))) == static_cast<uint64_t>(*sequence),
             token);
}

void CheckDepartment(std::string_view token, std::string_view prefix) {
  const absl::StatusOr<DepartmentName> department = ParseDepartmentPageToken(token, prefix);
  if (!department.ok()) {
    FUZZ_CHECK(IsRefusal(department.status()), token);
    return;
  }
  FUZZ_CHECK(department->Key() == token, token);
  FUZZ_CHECK(department->region.starts_with(prefix), token, " under ", prefix);
  const absl::StatusOr<DepartmentName> named = ParseDepartmentName(department->ToString());
  FUZZ_CHECK(named.ok() && named->Key() == token, token);
}

void CheckBudget(std::string_view token, std::string_view prefix) {
  const absl::StatusOr<BudgetName> budget = ParseBudgetPageToken(token, prefix);
  if (!budget.ok()) {
    FUZZ_CHECK(IsRefusal(budget.status()), token);
    return;
  }
  FUZZ_CHECK(budget->ToString() == token && token.starts_with(prefix), token, " under ", prefix);
}

void CheckPublication(std::string_view token, std::string_view prefix) {
  const absl::StatusOr<VersionPosition> position = ParsePublicationPageToken(token, prefix);
  if (!position.ok()) {
    FUZZ_CHECK(IsRefusal(position.status()), token);
    return;
  }
  FUZZ_CHECK(position->version >= 1, token);
  FUZZ_CHECK(PublicationPageToken(position->budget.ToString(), position->version) == token, token);
  FUZZ_CHECK(position->budget.ToString().starts_with(prefix), token, " under ", prefix);
}

void CheckStagedGoals(std::string_view token) {
  const absl::StatusOr<VersionPosition> position = ParseStagedGoalsPageToken(token);
  if (!position.ok()) {
    FUZZ_CHECK(IsRefusal(position.status()), token);
    return;
  }
  FUZZ_CHECK(position->version >= 1, token);
  FUZZ_CHECK(StagedGoalsPageToken(position->budget.GoalsName(), position->version) == token, token);
}

void CheckPageSizes(int requested) {
  for (const PageSizes sizes : {kListPageSizes, kQueuePageSizes}) {
    const int size = PageSize(requested, sizes);
    FUZZ_CHECK(size >= 1 && size <= sizes.max_size, requested);
    FUZZ_CHECK(requested <= 0 ? size == sizes.default_size : size == std::min(requested, sizes.max_size), requested);
  }
  FUZZ_CHECK(CheckPageSize(requested).ok() == (requested >= 0), requested);
}

}  // namespace
}  // namespace yusuan

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string_view token = input.substr(0, newline);
  const std::string_view prefix = newline == std::string_view::npos ? "" : input.substr(newline + 1);
  yusuan::CheckNumbered(token);
  yusuan::CheckDepartment(token, prefix);
  yusuan::CheckBudget(token, prefix);
  yusuan::CheckPublication(token, prefix);
  yusuan::CheckStagedGoals(token);
  if (size >= sizeof(int32_t)) {
    int32_t requested = 0;
    std::memcpy(&requested, data, sizeof requested);
    yusuan::CheckPageSizes(requested);
  }
  return 0;
}
