// Scopes: which resources a token may touch. A scope is itself a resource
// name (or "regions/" for everything):
//
//   regions/                                  everything
//   regions/42                                a province: its cities, districts and their departments
//   regions/4201                              a city and everything in it
//   regions/420107                            a district and everything in it
//   regions/420107/departments/005001022      one department and everything under it
//
// Region codes (GB/T 2260) have 2, 4 or 6 digits and are hierarchical by
// level (42 湖北省 → 4201 武汉市 → 420107 青山区), so a region scope covers
// the region codes that start with it; a code of another length
// ("regions/42010", "regions/4") is not a region and is refused, so no scope
// can cover part of a level. Past the region, whole path segments must
// match, because department codes are not hierarchical (department 005 has
// nothing to do with department 005001022).
#ifndef YUSUAN_SERVICES_SECURITY_SCOPE_H_
#define YUSUAN_SERVICES_SECURITY_SCOPE_H_

#include <string_view>

#include "absl/status/status.h"

namespace yusuan::security {

// The scope that covers everything.
inline constexpr char kEverywhereScope[] = "regions/";

// OK for the accepted shapes only: "regions/", "regions/{region code}",
// "regions/{region code}/departments/{agency code}" (the codes as resource
// names have them: services/common/resource_names.h IsRegionCode,
// IsAgencyCode; no trailing slash, nothing else). INVALID_ARGUMENT (Chinese / English) naming
// the scope and the accepted shapes otherwise.
absl::Status ValidateScope(std::string_view scope);

// Whether `scope` covers `resource_name`:
//   - the resource must start with "regions/" followed by a region code
//     (empty only for the bare "regions/" itself, which names the whole
//     country: only the "regions/" scope covers it);
//   - a region scope covers every resource whose region code starts with
//     the scope's digits;
//   - a department scope needs the same region code exactly and the same
//     department segment, then either the end of the name or a '/'.
// False for an invalid scope (deny rather than guess).
bool ScopeCovers(std::string_view scope, std::string_view resource_name);

}  // namespace yusuan::security

#endif  // YUSUAN_SERVICES_SECURITY_SCOPE_H_
