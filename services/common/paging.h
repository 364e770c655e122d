// Page sizes and page tokens of every list, in one place: the backends cut
// pages with them, the gateway's route table documents the sizes (OpenAPI
// page_size parameters) and checks them before a call.
#ifndef YUSUAN_SERVICES_COMMON_PAGING_H_
#define YUSUAN_SERVICES_COMMON_PAGING_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "services/common/resource_names.h"

namespace yusuan {

struct PageSizes {
  int default_size;  // when the request says 0 or nothing
  int max_size;      // a larger request gets this many
};

// Lists of departments, revisions, versions, rules, catalogues.
inline constexpr PageSizes kListPageSizes = {50, 1000};
// The reviewer's queue (ListSubmissions) and the public index
// (ListPublished): each entry carries a department's name and figures.
inline constexpr PageSizes kQueuePageSizes = {50, 500};

// The page size to serve for `requested` (0: the default; more than the
// maximum: the maximum). A negative size is refused by CheckPageSize first.
inline constexpr int PageSize(int requested, PageSizes sizes = kListPageSizes) {
  if (requested <= 0) return sizes.default_size;
  return requested > sizes.max_size ? sizes.max_size : requested;
}

// INVALID_ARGUMENT for a negative page_size (AIP-158), on gRPC as on REST.
inline absl::Status CheckPageSize(int requested) {
  if (requested >= 0) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("page_size 不能为负（", requested,
                                                 "）；0 为默认大小 / page_size cannot be negative (", requested,
                                                 "); 0 asks for the default size"));
}

// Page tokens. A token is the position of the last entry of the page before,
// in text (a key's binary bytes cannot travel in a proto string), and each
// list takes back only the tokens it hands out: anything else, including a
// token of another list or of another region, is INVALID_ARGUMENT (a token
// no page gave would silently restart the list somewhere). Every token has
// one spelling: Parse…PageToken(t) succeeds only for the t that the
// matching …PageToken() writes. An empty token is the start of the list and
// is the caller's to test before parsing.

// Lists of numbered entries (revisions, versions): the last sequence number,
// in decimal ("17").
std::string NumberedPageToken(int64_t sequence);
absl::StatusOr<int64_t> ParseNumberedPageToken(std::string_view token);

// The departments under `region_prefix` (digits of a region code, "" for
// every region): the last department's key, "420107/005001022"
// (DepartmentName::Key), whose region code starts with `region_prefix`.
absl::StatusOr<DepartmentName> ParseDepartmentPageToken(std::string_view token, std::string_view region_prefix);

// Lists of budgets (the reviewer's queue, the public index) under
// `name_prefix` ("regions/" for every region, "regions/4201" for one city):
// the last budget's name, which starts with `name_prefix`.
absl::StatusOr<BudgetName> ParseBudgetPageToken(std::string_view token, std::string_view name_prefix);

// A numbered version of something of one budget.
struct VersionPosition {
  BudgetName budget;
  int64_t version = 0;  // ≥ 1
};

// Lists of published versions of budgets under `name_prefix` (staged
// publications): "{budget name}@{version}".
std::string PublicationPageToken(std::string_view budget_name, int64_t version);
absl::StatusOr<VersionPosition> ParsePublicationPageToken(std::string_view token, std::string_view name_prefix);

// The staged goal sets (the gateway's recovery): "{goals name}#{revision}",
// the budget of the goals name in `budget`.
std::string StagedGoalsPageToken(std::string_view goals_name, int64_t revision);
absl::StatusOr<VersionPosition> ParseStagedGoalsPageToken(std::string_view token);

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_PAGING_H_
