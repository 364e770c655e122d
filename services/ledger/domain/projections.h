// The projections 表1–表8 and the narrative key figures, as one pure function
// of a budget and the catalogue of its edition (domain.md §2.1–§2.8). The
// tables and the summary come out of the same sums, so a sentence of the
// narrative and a table cell cannot disagree.
//
// Conventions shared by every table:
//  - Amounts are 分; the renderer turns them into 万元.
//  - CODED tables: a 合计 row first (level 0, total), then 类 (level 1) → 款
//    (level 2) → 项 (level 3) in code order, each parent the sum of its
//    children, only codes with a non-zero cell. Names come from the catalogue.
//  - A "一般公共预算" amount is every line with fund source
//    GENERAL_PUBLIC_BUDGET, including lines paid from last year's carry-over;
//    the summary's *_current_* fields exclude carry-over.
//  - 年终结转结余 (表1) and 结转下年 (表6) are 0: a budget plans no year-end
//    balance, and the ledger has no field for one. An income that is not
//    spent therefore shows as 收入总计 ≠ 支出总计, which rules R-T1-4/R-T6-5
//    report, instead of being hidden in a residual row.
//  - Budget units: the tables consolidate 本级 and every secondary unit. The
//    summary's 机关运行经费 counts only lines of 行政单位 and 参公 units (a
//    line's unitCode names its unit; "" is 本级, of the department's type).
//  - 名词解释(十) (summary.glossary) lists every 项 with spending, whatever
//    the budget (一般公共预算, 政府性基金, …), in code order.
#ifndef YUSUAN_SERVICES_LEDGER_DOMAIN_PROJECTIONS_H_
#define YUSUAN_SERVICES_LEDGER_DOMAIN_PROJECTIONS_H_

#include <string>

#include "absl/status/statusor.h"
#include "services/ledger/domain/catalogue.h"
#include "yusuan/ledger/v1/ledger.pb.h"

namespace yusuan::ledger {

// Which projection made a BudgetTables (BudgetTables.projection_version):
// change it with any change that gives other tables for the same budget and
// catalogue, so that renders cached by revision are made again.
inline constexpr char kProjectionVersion[] = "tables-v1";

// Table titles without the "{部门简称}{年度}年" prefix, for number 1..8 ("" otherwise).
std::string TableTitle(int number);

// The income label of a source as 表6/表7 print it ("一般公共预算拨款收入",
// …, "用事业基金弥补收支差额"); "" for UNSPECIFIED and unknown values.
std::string FundSourceLabel(yusuan::ledger::v1::FundSource source);

// 表1–表8 (numbers 1..8 in order) and the BudgetSummary.
//
// INVALID_ARGUMENT, naming the field ("budget.expenditureLines[3].functionalCode"),
// when the budget cannot be projected: its catalogue edition is not
// `catalogue`'s, a line's functional code is not a 项 (7 digits) or its
// economic code not a 款 (5 digits) of the catalogue, a line names a project
// that budget.projects lacks, or the amounts are too large to add up
// (CheckAmountMagnitudes). Everything else (negative amounts, imbalance,
// missing fields) projects as it is and is left to the rules.
absl::StatusOr<yusuan::ledger::v1::BudgetTables> ComputeTables(const yusuan::ledger::v1::Department& department,
                                                               const yusuan::ledger::v1::Budget& budget,
                                                               const Catalogue& catalogue);

}  // namespace yusuan::ledger

#endif  // YUSUAN_SERVICES_LEDGER_DOMAIN_PROJECTIONS_H_
