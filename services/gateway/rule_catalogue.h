// The rules the gateway runs itself, on names and bytes before any backend
// sees a request, as data (see services/common/rule_catalogue.h). The goals ↔
// ledger rules it also runs are services/cross_rules' CrossRules().
#ifndef YUSUAN_SERVICES_GATEWAY_RULE_CATALOGUE_H_
#define YUSUAN_SERVICES_GATEWAY_RULE_CATALOGUE_H_

#include "services/common/rule_catalogue.h"

namespace yusuan::gateway {

const RuleBook& GatewayRules();

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_RULE_CATALOGUE_H_
