// The rules between a filing's goals and its budget, which only the gateway
// sees together (the goals service never reads the ledger): coverage, year
// and name, then money and quantities. Plain C++ over the messages; field
// paths are rooted at the Filing in protobuf JSON names, as the ledger's and
// the goals service's are, so the gateway merges the reports unchanged. Rule
// ids and what they check: README.md beside this file.
#ifndef YUSUAN_SERVICES_CROSS_RULES_CROSS_RULES_H_
#define YUSUAN_SERVICES_CROSS_RULES_CROSS_RULES_H_

#include "yusuan/common/v1/findings.pb.h"
#include "yusuan/goals/v1/goals.pb.h"
#include "yusuan/ledger/v1/ledger.pb.h"

namespace yusuan::cross_rules {

// Every rule below in one report: one project sheet per ledger project and
// no sheet for an unknown project (X-GOALS-PROJECT), the same fiscal year
// and budget (X-GOALS-YEAR, X-GOALS-NAME), then the money and quantity rules.
// Counters are tallied and findings annotated from CrossRules(). Does not
// repeat the goal set's own rules (goals/domain/rules.h): the gateway runs
// both.
yusuan::common::v1::ValidationReport ValidateGoalsAgainstBudget(const yusuan::goals::v1::GoalSet& goals,
                                                                const yusuan::ledger::v1::Budget& budget);

// The money and quantity rules, each appending findings to `report` without
// tallying it.

// X-GOALS-AMOUNT (FATAL): every 表10 amount a project sheet states equals the
// ledger's budget.projects entry of the same project, and the stated
// 当年财政拨款 equals the project's PROJECT lines paid from 一般公共预算,
// 政府性基金 or 国有资本经营 (domain.md §4.7 V-P6, §5.3 X17).
// X-GOALS-AMOUNT-UNSTATED (WARNING): a sheet leaves some of them unstated.
// Only the first sheet of each of the budget's projects is checked: the
// others are X-GOALS-PROJECT findings.
void CheckProjectSheetAmounts(const yusuan::goals::v1::GoalSet& goals, const yusuan::ledger::v1::Budget& budget,
                              yusuan::common::v1::ValidationReport& report);

// X21 (FATAL): every figure the 表9 funds block states (DepartmentFunds)
// equals the ledger's, at the form's precision of 0.01 万元 (domain.md §5.3
// X21, §5.2 R-T9-5).
void CheckDepartmentFunds(const yusuan::goals::v1::GoalSet& goals, const yusuan::ledger::v1::Budget& budget,
                          yusuan::common::v1::ValidationReport& report);

// X23 (WARNING, domain.md §4.7 V-P7, §5.3 X23): a 表9 annual-goal 产出/数量
// target equals the sum of the project sheets' 产出/数量 targets with the
// identical 三级指标 name (a range accepts a sum inside it). Indicators no
// project sheet names identically are not compared, nor is anything while a
// ledger project has no sheet.
void CheckGoalQuantitiesAgainstProjects(const yusuan::goals::v1::GoalSet& goals,
                                        const yusuan::ledger::v1::Budget& budget,
                                        yusuan::common::v1::ValidationReport& report);

}  // namespace yusuan::cross_rules

#endif  // YUSUAN_SERVICES_CROSS_RULES_CROSS_RULES_H_
