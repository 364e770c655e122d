// The ledger rules: what a department and its budget must satisfy before
// they are stored or submitted. Every rule id, its severity and its source
// are listed in README.md beside this file.
//
// Findings name the offending field with protobuf JSON names rooted at the
// Filing document ("department.fullName",
// "budget.expenditureLines[3].functionalCode"), say in Chinese and English
// what is wrong (both start with the field), carry expected / actual /
// difference in 万元 for arithmetic rules, and a hint. The report's counters
// are filled (yusuan::Tally). A budget that satisfies the rules yields no
// finding of severity FATAL.
#ifndef YUSUAN_SERVICES_LEDGER_DOMAIN_RULES_H_
#define YUSUAN_SERVICES_LEDGER_DOMAIN_RULES_H_

#include "services/ledger/domain/catalogue.h"
#include "yusuan/common/v1/findings.pb.h"
#include "yusuan/ledger/v1/ledger.pb.h"

namespace yusuan::ledger {

// The department on its own: required fields, code formats, UTF-8, staffing.
yusuan::common::v1::ValidationReport ValidateDepartment(const yusuan::ledger::v1::Department& department);

// The budget, with the department as context (the department's own rules
// are ValidateDepartment's): required fields, edition and catalogue codes,
// UTF-8, amounts, kinds and sources, projects, balance of income and
// expenditure per source, 表4/表9/表10 arithmetic.
yusuan::common::v1::ValidationReport ValidateBudget(const yusuan::ledger::v1::Department& department,
                                                    const yusuan::ledger::v1::Budget& budget,
                                                    const CatalogueSet& catalogues);

// Both of the above in one report (department findings first).
yusuan::common::v1::ValidationReport ValidateFiling(const yusuan::ledger::v1::Department& department,
                                                    const yusuan::ledger::v1::Budget& budget,
                                                    const CatalogueSet& catalogues);

}  // namespace yusuan::ledger

#endif  // YUSUAN_SERVICES_LEDGER_DOMAIN_RULES_H_
