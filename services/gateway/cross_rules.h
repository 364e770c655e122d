// Rules that span two services: the goal sheets against the ledger's
// projects (项目绩效目标全覆盖, domain.md §4.7 rule 1). Neither backend sees
// both documents, so the gateway checks them.
#ifndef YUSUAN_SERVICES_GATEWAY_CROSS_RULES_H_
#define YUSUAN_SERVICES_GATEWAY_CROSS_RULES_H_

#include <vector>

#include "yusuan/common/v1/findings.pb.h"
#include "yusuan/goals/v1/goals.pb.h"
#include "yusuan/ledger/v1/ledger.pb.h"

namespace yusuan::gateway {

// Findings (Filing-rooted field paths) of:
//   X-GOALS-YEAR       goals.fiscalYear equals budget.fiscalYear
//   X-GOALS-COVERAGE   every ledger project has a 表10 goal sheet
//   X-GOALS-ORPHAN     every goal sheet belongs to a ledger project
//   X-GOALS-DUPLICATE  at most one goal sheet per project
// All are ERRORs: a disclosure with a project but no goal form (or a form
// for money that is not in the budget) cannot be published.
std::vector<yusuan::common::v1::Finding> CheckGoalsAgainstBudget(
    const yusuan::goals::v1::GoalSet& goals, const yusuan::ledger::v1::Budget& budget);

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_CROSS_RULES_H_
