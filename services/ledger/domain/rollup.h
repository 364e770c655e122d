// Region roll-ups as plain arithmetic (rollup.proto): what one budget adds to
// the totals of its regions, adding and taking back such parts, and the
// answer a reader sees (codes named from the catalogue, rows in tree order).
//
// The ledger stores one contribution per budget and one sum per year ×
// workflow state × region prefix, and on every write takes the budget's old
// contribution out of the old sums and adds the new one to the new sums
// (ledger_core.cc), so the sums are always the sums of the stored budgets
// without any request visiting them.
#ifndef YUSUAN_SERVICES_LEDGER_DOMAIN_ROLLUP_H_
#define YUSUAN_SERVICES_LEDGER_DOMAIN_ROLLUP_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "services/ledger/domain/catalogue.h"
#include "yusuan/ledger/v1/ledger.pb.h"
#include "yusuan/ledger/v1/rollup.pb.h"

namespace yusuan::ledger {

// What `budget` of `department` adds to a roll-up (budget_count 1). Lines
// count as the tables count them (projections.h): functional codes by their
// 类/款/项 prefixes, economic codes by 类/款, 机关运行经费 as the summary's.
v1::RollupTotals ContributionOf(const v1::Department& department, const v1::Budget& budget);

// into += sign × from (sign is +1 or -1), dropping entries that become 0.
// OUT_OF_RANGE, leaving `into` unchanged, when a sum would leave int64.
absl::Status AddTotals(const v1::RollupTotals& from, int sign, v1::RollupTotals& into);

// The same for a region's sums as the ledger keeps them: each list in key
// order afterwards (one out of order, as sums written as RollupTotals are,
// is put in order first). Its bytes read as a RollupTotals equal to what
// AddTotals makes of the same.
absl::Status AddToRegionSums(const v1::RollupTotals& from, int sign, v1::RollupSums& into);

// The region prefixes a department of `region_code` counts under: "42",
// "4201", "420107" for 420107; "42" alone for a province's own department.
std::vector<std::string> RegionPrefixes(std::string_view region_code);

// The answer for `totals` (the sum over the states asked for), with names
// from `catalogue` (the edition of the year; nullptr: codes without names).
v1::Rollup PresentRollup(const v1::RollupTotals& totals, const Catalogue* catalogue);

// "一般公共预算拨款" … for a source, "基本支出·人员经费" … for a kind.
std::string ExpenditureKindLabel(v1::ExpenditureKind kind);

}  // namespace yusuan::ledger

#endif  // YUSUAN_SERVICES_LEDGER_DOMAIN_ROLLUP_H_
