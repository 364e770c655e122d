// Scopes: which resources a token may touch, as a resource-name prefix.
//
//   regions/                                  everything
//   regions/42                                a province: every region code starting with 42
//   regions/420107                            a district and everything in it
//   regions/420107/departments/005001022      one department and everything under it
//
// Region codes (GB/T 2260) are hierarchical by prefix (42 湖北省 → 4201
// 武汉市 → 420107 青山区), so the region part matches as a string prefix of
// the region code; past the region, whole path segments must match, because
// department codes are not hierarchical (department 005 has nothing to do
// with department 005001022).
#ifndef YUSUAN_SERVICES_SECURITY_SCOPE_H_
#define YUSUAN_SERVICES_SECURITY_SCOPE_H_

#include <string_view>

#include "absl/status/status.h"

namespace yusuan::security {

// The scope that covers everything.
inline constexpr char kEverywhereScope[] = "regions/";

// OK for the accepted shapes only: "regions/", "regions/{digits}",
// "regions/{digits}/departments/{id}" with id in [0-9A-Za-z_-]+ (no
// trailing slash, nothing else). INVALID_ARGUMENT (Chinese / English) naming
// the scope and the accepted shapes otherwise.
absl::Status ValidateScope(std::string_view scope);

// Whether `scope` covers `resource_name`:
//   - the resource must start with "regions/" followed by a region code of
//     digits (empty only for the bare "regions/" itself, which names the
//     whole country: only the "regions/" scope covers it);
//   - a region scope covers every resource whose region code starts with
//     the scope's digits;
//   - a department scope needs the same region code exactly and the same
//     department segment, then either the end of the name or a '/'.
// False for an invalid scope (deny rather than guess).
bool ScopeCovers(std::string_view scope, std::string_view resource_name);

}  // namespace yusuan::security

#endif  // YUSUAN_SERVICES_SECURITY_SCOPE_H_
