// Budget units within a department (domain.md, addendum on units): the
// department's own unit (本级) and its secondary units (所属单位), each with
// its type, funding form and staffing. A line names its unit by unitCode
// ("" is 本级); 表1–表8 are the consolidation of every unit.
#ifndef YUSUAN_SERVICES_LEDGER_DOMAIN_UNITS_H_
#define YUSUAN_SERVICES_LEDGER_DOMAIN_UNITS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "yusuan/ledger/v1/ledger.pb.h"

namespace yusuan::ledger {

// The code a line uses for the department's own unit.
inline constexpr char kHeadquartersUnit[] = "";

// The units of a department that carry or may carry lines: 本级 first (code
// ""), then every secondary unit in the order listed.
std::vector<std::string> UnitCodes(const yusuan::ledger::v1::Department& department);

// The type of the unit a line names: the department's own for "", the
// secondary unit's otherwise; UNSPECIFIED for a code the department lacks.
yusuan::ledger::v1::UnitType UnitTypeOf(const yusuan::ledger::v1::Department& department, const std::string& unit_code);

// Whether a unit of this type runs an office, so that its 公用经费 is
// 机关运行经费: 行政单位 and 参公事业单位.
bool RunsAnOffice(yusuan::ledger::v1::UnitType type);

// The department's staffing with every secondary unit's added (编制 by kind,
// 在职, 离休, 退休; a stated 离退休 total only when every unit states one).
yusuan::ledger::v1::Staffing ConsolidatedStaffing(const yusuan::ledger::v1::Department& department);

// One unit seen as a filing of its own: a Department named after the unit
// (its type, funding form and staffing; no secondary units) and the budget
// restricted to the unit's income and expenditure lines (their unitCode
// cleared: in its own filing the unit is the 本级), the projects those
// lines name, and its 三公 when the department states them by unit.
// Department-wide facts that the ledger does not hold per unit (三公 not
// stated by unit, procurement, assets, purchased services, prior years,
// narrative) are left out, so the unit's 表1–表8 are exactly its share of the
// consolidation. NOT_FOUND when the department has no such unit.
struct UnitFiling {
  yusuan::ledger::v1::Department department;
  yusuan::ledger::v1::Budget budget;
};
absl::StatusOr<UnitFiling> FilingOfUnit(const yusuan::ledger::v1::Department& department,
                                        const yusuan::ledger::v1::Budget& budget, const std::string& unit_code);

}  // namespace yusuan::ledger

#endif  // YUSUAN_SERVICES_LEDGER_DOMAIN_UNITS_H_
