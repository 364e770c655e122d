// The goals service's rules (rule ids and what they check: README.md beside
// this file). Findings name fields by their path in a whole Filing, so the
// gateway can merge these reports with the ledger's unchanged:
// "goals.department.annualGoals[0].indicators[1].target".
#ifndef YUSUAN_SERVICES_GOALS_DOMAIN_RULES_H_
#define YUSUAN_SERVICES_GOALS_DOMAIN_RULES_H_

#include "yusuan/common/v1/findings.pb.h"
#include "yusuan/goals/v1/goals.pb.h"

namespace yusuan::goals {

// Rules on the goal sheets alone (required fields, UTF-8, indicator hierarchy,
// V-P1 … V-P5, value grammar, target vs history). Counters are tallied.
yusuan::common::v1::ValidationReport ValidateGoalSet(const yusuan::goals::v1::GoalSet& goals);

// The rules that need the ledger too (X-GOALS-*, X21, X23) are the
// gateway's: services/cross_rules.

}  // namespace yusuan::goals

#endif  // YUSUAN_SERVICES_GOALS_DOMAIN_RULES_H_
