// Naming on the public face: the names of a Filing's parts (which resource
// any name designates is services/common/resource_names.h).
//
// The codes inside a resource are the source of truth and names are derived
// from them, so a name that disagrees with its codes is refused rather than
// trusted (it would file the budget under another department).
#ifndef YUSUAN_SERVICES_GATEWAY_NAMES_H_
#define YUSUAN_SERVICES_GATEWAY_NAMES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/resource_names.h"
#include "yusuan/common/v1/findings.pb.h"
#include "yusuan/gateway/v1/gateway.pb.h"

namespace yusuan::gateway {

// Fills empty department/budget/goals names from the codes and the fiscal
// year, and returns one FATAL finding (rule V-NAME, Filing-rooted field
// path) for a department or budget name that disagrees with them. Names
// are left empty when the codes or the year are malformed (the ledger rules
// report those).
std::vector<yusuan::common::v1::Finding> FillFilingNames(yusuan::gateway::v1::Filing& filing);

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_NAMES_H_
