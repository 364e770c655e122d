// Every rule the goals service runs (and the goals ↔ ledger cross rules the
// gateway runs with it), as data (see services/common/rule_catalogue.h).
#ifndef YUSUAN_SERVICES_GOALS_DOMAIN_RULE_CATALOGUE_H_
#define YUSUAN_SERVICES_GOALS_DOMAIN_RULE_CATALOGUE_H_

#include <vector>

#include "services/common/rule_catalogue.h"
#include "yusuan/common/v1/findings.pb.h"

namespace yusuan::goals {

const RuleBook& GoalRules();

}  // namespace yusuan::goals

#endif  // YUSUAN_SERVICES_GOALS_DOMAIN_RULE_CATALOGUE_H_
