// The generated sentences of the disclosure: 第一部分 二/三 and the whole of
// 第三部分 (items 一–九, domain.md §6.0–§6.9). Each function is pure: it reads
// the ReportInput and returns structured paragraphs, so every template can be
// tested on its own. Every number comes from BudgetSummary, the tables, the
// budget's structured fields or the goals; free text (reasons, purposes) is
// only ever inserted as text.
#ifndef YUSUAN_SERVICES_REPORT_DOMAIN_NARRATIVE_H_
#define YUSUAN_SERVICES_REPORT_DOMAIN_NARRATIVE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "services/report/domain/template_set.h"
#include "yusuan/ledger/v1/ledger.pb.h"
#include "yusuan/report/v1/report.pb.h"

namespace yusuan::report {

// One row of the 九(五) goal table (目标类型 | 序号 | 指标名称 | 目标内容).
struct GoalRow {
  std::string seq;
  std::string short_name;
  std::string text;
};

// One numbered item of 第三部分: a heading, its paragraphs, and sub-items
// (九 has (一)–(五)). Only 九(五) carries a goal table.
struct NarrativeItem {
  std::string heading;
  std::vector<std::string> paragraphs;
  std::vector<NarrativeItem> subitems;
  std::string goal_table_type;  // "2021年部门预算绩效目标" (merged cell)
  std::vector<GoalRow> goal_rows;
  // Every amount the paragraphs state, in order (open data).
  std::vector<TemplateFigure> figures;
};

// ---------------------------------------------------------------- helpers

// The budget year: budget.fiscal_year, else goals.fiscal_year.
int FiscalYear(const yusuan::report::v1::ReportInput& input);

// The values every template may name: year, prior_year, short_name,
// full_name.
TemplateValues DocumentValues(const yusuan::report::v1::ReportInput& input);

// 部门简称, falling back to the full name.
std::string ShortName(const yusuan::ledger::v1::Department& department);

// "2021-01-27" → "2021 年 1 月 27 日"; anything else is returned unchanged.
std::string ChineseDate(const std::string& iso);

// "全额拨款参公事业单位": funding form + unit type.
std::string UnitNature(yusuan::ledger::v1::FundingForm funding_form, yusuan::ledger::v1::UnitType unit_type);

// Comparison with the prior year's budget (domain.md F4), computed from the
// displayed figures by CompareYearOnYear:
//   "比 2020 年预算增加 8.29 万元，增长 2.04%"   (increase)
//   "比 2020 年预算减少 8.29 万元，下降 2.04%"   (decrease)
//   "与上年持平"                                  (equal)
//   "比 2020 年预算新增 415.51 万元"              (prior 0, no rate)
//   "上年无可比预算数"                            (prior absent)
std::string CompareWithPriorBudget(int64_t current_fen, std::optional<int64_t> prior_fen, int prior_year,
                                   const TemplateSet& set = DefaultTemplateSet());

// The same against "上年" without naming the year ("比上年增加 …"), used
// for 三公 and 机关运行经费. Prior absent: "".
std::string CompareWithPriorYear(int64_t current_fen, std::optional<int64_t> prior_fen,
                                 const TemplateSet& set = DefaultTemplateSet());

// "，主要是{reason}" with the reason's trailing punctuation removed; "" when
// the reason is blank.
std::string ReasonClause(const std::string& reason, const TemplateSet& set = DefaultTemplateSet());

// ---------------------------------------------------------------- 第一部分

// 二、部门预算单位构成 (§6.0).
std::string UnitComposition(const yusuan::ledger::v1::Department& department,
                            const TemplateSet& set = DefaultTemplateSet());

// 三、部门人员构成 (§6.0): the staffing sentence and the retiree sentence.
std::vector<std::string> StaffComposition(const yusuan::ledger::v1::Department& department,
                                          const TemplateSet& set = DefaultTemplateSet());

// ---------------------------------------------------------------- 第三部分

// 一
NarrativeItem FiscalOverview(const yusuan::report::v1::ReportInput& input,
                             const TemplateSet& set = DefaultTemplateSet());
// 二
NarrativeItem GeneralBudgetSpending(const yusuan::report::v1::ReportInput& input,
                                    const TemplateSet& set = DefaultTemplateSet());
// 三
NarrativeItem GeneralBasicSpending(const yusuan::report::v1::ReportInput& input,
                                   const TemplateSet& set = DefaultTemplateSet());
// 四
NarrativeItem ThreePublicSpending(const yusuan::report::v1::ReportInput& input,
                                  const TemplateSet& set = DefaultTemplateSet());
// 五
NarrativeItem GovernmentFundSpending(const yusuan::report::v1::ReportInput& input,
                                     const TemplateSet& set = DefaultTemplateSet());
// 六
NarrativeItem DepartmentTotals(const yusuan::report::v1::ReportInput& input,
                               const TemplateSet& set = DefaultTemplateSet());
// 七
NarrativeItem DepartmentIncome(const yusuan::report::v1::ReportInput& input,
                               const TemplateSet& set = DefaultTemplateSet());
// 八
NarrativeItem DepartmentExpenditure(const yusuan::report::v1::ReportInput& input,
                                    const TemplateSet& set = DefaultTemplateSet());
// 九(一)
NarrativeItem MachineryOperating(const yusuan::report::v1::ReportInput& input,
                                 const TemplateSet& set = DefaultTemplateSet());
// 九(二)
NarrativeItem GovernmentProcurement(const yusuan::report::v1::ReportInput& input,
                                    const TemplateSet& set = DefaultTemplateSet());
// 九(三)
NarrativeItem StateAssets(const yusuan::report::v1::ReportInput& input, const TemplateSet& set = DefaultTemplateSet());
// 九(四)
NarrativeItem ServicePurchase(const yusuan::report::v1::ReportInput& input,
                              const TemplateSet& set = DefaultTemplateSet());
// 九(五)
NarrativeItem PerformanceGoals(const yusuan::report::v1::ReportInput& input,
                               const TemplateSet& set = DefaultTemplateSet());
// 九
NarrativeItem OtherMatters(const yusuan::report::v1::ReportInput& input, const TemplateSet& set = DefaultTemplateSet());

// The items in the set's order and nesting (the reference: 一–九, with
// (一)–(五) under 九). Headings carry the set's numbering.
std::vector<NarrativeItem> BudgetExplanation(const yusuan::report::v1::ReportInput& input,
                                             const TemplateSet& set = DefaultTemplateSet());

// "一、财政拨款收支预算总体情况": the item's numbered heading in `set`
// ("" for an item the set does not list).
std::string ItemHeading(const TemplateSet& set, const std::string& item);

}  // namespace yusuan::report

#endif  // YUSUAN_SERVICES_REPORT_DOMAIN_NARRATIVE_H_
