// Every rule the ledger runs, as data (see services/common/rule_catalogue.h).
#ifndef YUSUAN_SERVICES_LEDGER_DOMAIN_RULE_CATALOGUE_H_
#define YUSUAN_SERVICES_LEDGER_DOMAIN_RULE_CATALOGUE_H_

#include <vector>

#include "services/common/rule_catalogue.h"
#include "yusuan/common/v1/findings.pb.h"

namespace yusuan::ledger {

const RuleBook& LedgerRules();

}  // namespace yusuan::ledger

#endif  // YUSUAN_SERVICES_LEDGER_DOMAIN_RULE_CATALOGUE_H_
