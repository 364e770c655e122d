// The goals ↔ ledger rules the gateway runs on a filing (cross_rules.h), as
// data (see services/common/rule_catalogue.h): listed by the gateway's
// ListRules under service "gateway".
#ifndef YUSUAN_SERVICES_CROSS_RULES_RULE_CATALOGUE_H_
#define YUSUAN_SERVICES_CROSS_RULES_RULE_CATALOGUE_H_

#include <vector>

#include "services/common/rule_catalogue.h"
#include "yusuan/common/v1/findings.pb.h"

namespace yusuan::cross_rules {

const RuleBook& CrossRules();

}  // namespace yusuan::cross_rules

#endif  // YUSUAN_SERVICES_CROSS_RULES_RULE_CATALOGUE_H_
