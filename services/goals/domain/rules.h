// The goals service's rules (rule ids and what they check: README.md beside
// this file). Findings name fields by their path in a whole Filing, so the
// gateway can merge these reports with the ledger's unchanged:
// "goals.department.annualGoals[0].indicators[1].target".
#ifndef YUSUAN_SERVICES_GOALS_DOMAIN_RULES_H_
#define YUSUAN_SERVICES_GOALS_DOMAIN_RULES_H_

#include "yusuan/common/v1/findings.pb.h"
#include "yusuan/goals/v1/goals.pb.h"
#include "yusuan/ledger/v1/ledger.pb.h"

namespace yusuan::goals {

// Rules on the goal sheets alone (required fields, UTF-8, indicator hierarchy,
// V-P1 … V-P5, value grammar, target vs history). Counters are tallied.
yusuan::common::v1::ValidationReport ValidateGoalSet(const yusuan::goals::v1::GoalSet& goals);

// Rules that need the ledger too: one project sheet per ledger project and no
// sheet for an unknown project (X-GOALS-PROJECT), the same fiscal year and
// budget (X-GOALS-YEAR, X-GOALS-NAME), the 表10 amounts a sheet states equal
// the ledger's project and its fiscal lines (X-GOALS-AMOUNT; unstated ones
// are X-GOALS-AMOUNT-UNSTATED warnings), the 表9 funds block as stated equals
// the ledger's totals (X21), and 表9 quantity targets equal the sum over the
// project sheets of the same indicator name (X23, a warning). Counters are
// tallied. Does not repeat ValidateGoalSet: the gateway runs both.
yusuan::common::v1::ValidationReport ValidateGoalsAgainstBudget(
    const yusuan::goals::v1::GoalSet& goals, const yusuan::ledger::v1::Budget& budget);

}  // namespace yusuan::goals

#endif  // YUSUAN_SERVICES_GOALS_DOMAIN_RULES_H_
