// Rules about the projected tables 表1–表8 and the narrative key figures (the
// BudgetSummary): the checks a finance-bureau reviewer makes on a printed
// disclosure (domain.md §5.2, §5.3). ComputeTables derives every cell from the
// filing, so on a correct projection these checks always pass; they guard the
// publication against projection faults.
//
// The sums are exact, in 分: the tables hold 分 and only the renderer rounds
// to 万元, so domain.md's ±0.01 万元 tolerance for rounded addends does not
// apply here.
//
// What is checked, by id (every rule FATAL):
//  表1  R-T1-1  一、本年收入 = （一）+（二）+（三）一般公共预算/政府性基金预算/国有资本经营预算拨款收入,
//               and 二、上年结转 = its three fund rows (the same identity for the carry-over).
//       R-T1-2  收入总计 = 本年收入 + 上年结转.
//       R-T1-3  The 支出 side adds up, every column: 一、本年支出 = Σ 类 rows, 一、本年支出 =
//               Σ 基本支出 … 对附属单位补助支出 rows, 支出总计 = 本年支出 + 年终结转结余.
//       R-T1-5  Every 支出 row: 合计 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算.
//  表2  R-T2-1  Every row: 合计 = 小计 (基本支出) + 项目支出.
//       R-T2-2  Every row: 小计 (基本支出) = 人员经费 + 公用经费. Not in the brief's list;
//               checked because 表2 always has the split (domain.md "where split").
//       R-T2-3  合计 = Σ 类, 类 = Σ its 款, 款 = Σ its 项, every column (a 款 with no 项
//               rows is a leaf: 219 援助其他地区支出's 款 have no 项; so in every tree).
//  表3  R-T3-1  Every row: 合计 = 人员经费 + 公用经费.
//       R-T3-2  合计 row 人员经费 = 301 row + 303 row (合计 column).
//       R-T3-3  合计 row 公用经费 = 302 row + 310 row + 399 row (合计 column).
//       R-T3-4  合计 = Σ 类, 类 = Σ its 款, every column.
//       R-T3-6  表3 合计 row = 表2 合计 row: 合计 = 基本支出小计, 人员经费 = 人员经费,
//               公用经费 = 公用经费.
//  表5  R-T5-1  Every row: 合计 = 基本支出 + 项目支出; 合计 = Σ 类 = … (as R-T2-3, §2.0);
//               合计 row 合计 = 表1 一、本年支出 政府性基金预算.
//  表6  R-T6-1  本年收入合计 = the nine income rows 一般公共预算拨款收入 … 其他收入.
//       R-T6-2  收入总计 = 本年收入合计 + 用事业基金弥补收支差额 + 上年结转.
//       R-T6-3  本年支出合计 = Σ 类 rows.
//       R-T6-4  支出总计 = 本年支出合计 + 事业单位结余分配 + 结转下年.
//       R-T6-6  The three 财政拨款 income rows = the matching 表1 本年收入 rows.
//  表7  R-T7-1  Every row: 合计 = 上年结转 + every source column; 合计 = Σ 类 = … (§2.0).
//       R-T7-2  合计 row: 合计 = 表6 收入总计, 上年结转 = 表6 上年结转, every source column =
//               the 表6 income row of that source.
//  表8  R-T8-1  Every row: 合计 = 基本 + 项目 + 上缴上级 + 事业单位经营 + 对附属单位补助;
//               合计 = Σ 类 = … (§2.0).
//       R-T8-2  合计 row 合计 = 表6 本年支出合计; every 类 row 合计 = 表6's 类 row (both ways).
//       R-T8-3  The 一般公共预算 part is within 表8: for every 表2 row, 表8's row of the same
//               code has 合计 ≥ 表2 合计, 基本支出 ≥ 表2 小计, 项目支出 ≥ 表2 项目支出.
//  Summary (field "tables.summary"; located at the table cell the figure is read against)
//       X2   §三.一 基本支出 + 项目支出 = 表1 支出总计 (合计). Checked against the spending
//            side, not 收入总计, so that an unbalanced filing (R-T1-4) is not reported twice.
//       X5   §三.二(一) 基本支出 = 表2 合计 小计 and = 表3 合计 合计.
//       X7   §三.三 基本支出 = 人员经费 + 公用经费.
//       X8   §三.三(一) 人员经费 = generalBasicByClass 301 + 303.
//       X15  §三.九(一) 机关运行经费 + the other units' 公用经费 (summary.nonOfficePublicFen)
//            = 表3 302 row + 310 row (合计); located at 表3 row 302.
//       X22  名词解释(十) lists exactly the 表8 项 rows whose 合计 is non-zero (every budget, so
//            a 政府性基金 项 is explained too), each under its 类 and 款, with 表8's names
//            (item, 款 and 类), and each such 款 that has no 项 rows as a line of its own
//            (no items). Order is not checked. Not
//            arithmetic: expected/actual are "code name" texts, without a difference.
//
// Reading the tables: rows are found by code, or, for rows without a code, by
// label without its numbering ("上年结转" finds "十一、上年结转"); columns by
// title. A row or cell that is missing reads as blank, i.e. 0, as it would in
// print; a finding about a missing row is located at the label the layout
// requires and sorts after the table's rows. A table that is missing
// altogether is not checked (nor are the cross-table checks that need it).
//
// Findings are one per rule and violated cell (a cell that breaks two
// identities of one rule is reported once), ordered by table, then side
// (收入 before 支出), row and column; the summary's come last, in the order
// above. Hints call a finding a projection fault to report to the operators,
// except where a filing that already breaks an input rule can cause it: lines
// of unspecified kind or fund source (V-ENUM-UNSPECIFIED; R-T1-3, R-T2-1,
// R-T5-1, R-T7-1, R-T8-1, X2), 财政拨款 spent as 上缴上级/经营/对附属单位补助
// (R-T2-1, R-T5-1, X2), kinds that do not match the economic class (R-T3-5;
// R-T3-2, R-T3-3, X8), an income that differs from its spending (R-T1-4,
// R-T6-5; R-T7-2, because 表7 is projected from the spending lines and 表6
// from the income lines) and negative amounts (V-AMOUNT-NEGATIVE; R-T8-3).
//
// Not here: R-T1-4 and R-T6-5 (收入总计 = 支出总计) belong to the input rules,
// an unbalanced filing being a legitimate input state; R-T3-5 too (rules.cc).
// 表4's R-T4-* were not asked for (R-T4-1/R-T4-2 compare the totals a
// department states with their parts, which only the input has).
#ifndef YUSUAN_SERVICES_LEDGER_DOMAIN_TABLE_RULES_H_
#define YUSUAN_SERVICES_LEDGER_DOMAIN_TABLE_RULES_H_

#include <vector>

#include "services/common/findings_builder.h"
#include "yusuan/common/v1/findings.pb.h"
#include "yusuan/ledger/v1/ledger.pb.h"

namespace yusuan::ledger {

// Rules about the projected tables (ids as in domain.md §5.2/§5.3), as data.
const std::vector<yusuan::common::v1::Rule>& TableRules();

// Appends one finding per violated cell, in table order, row order, column order.
void CheckTables(const yusuan::ledger::v1::BudgetTables& tables, FindingsBuilder& out);

}  // namespace yusuan::ledger

#endif  // YUSUAN_SERVICES_LEDGER_DOMAIN_TABLE_RULES_H_
