// The basic view of a department (DepartmentView, AIP-157): who it is,
// without its profile, cut from its stored serialization without parsing it.
#ifndef YUSUAN_SERVICES_LEDGER_DOMAIN_DEPARTMENT_VIEW_H_
#define YUSUAN_SERVICES_LEDGER_DOMAIN_DEPARTMENT_VIEW_H_

#include <string>
#include <string_view>

namespace yusuan::ledger {

// Appends to `basic` the serialized Department `stored` with only its
// identity fields (name, region_code, agency_code, full_name, short_name,
// fiscal_level, unit_type, funding_form, etag, update_time_unix_ms). False
// when `stored` is not a well-formed message.
bool AppendBasicDepartment(std::string_view stored, std::string* basic);

}  // namespace yusuan::ledger

#endif  // YUSUAN_SERVICES_LEDGER_DOMAIN_DEPARTMENT_VIEW_H_
