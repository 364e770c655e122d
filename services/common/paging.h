// Page sizes of every list, in one place: the backends cut pages with them,
// the gateway's route table documents them (OpenAPI page_size parameters)
// and checks them before a call.
#ifndef YUSUAN_SERVICES_COMMON_PAGING_H_
#define YUSUAN_SERVICES_COMMON_PAGING_H_

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

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

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_PAGING_H_
