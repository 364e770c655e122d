// What changed between two budget revisions, in the terms a reviewer reads:
// the table cells (表1–表8) whose amounts moved, and the input fields that
// differ. Pure: the caller projects both revisions.
#ifndef YUSUAN_SERVICES_LEDGER_DOMAIN_DIFF_H_
#define YUSUAN_SERVICES_LEDGER_DOMAIN_DIFF_H_

#include "yusuan/ledger/v1/ledger.pb.h"

namespace yusuan::ledger {

// Cells are listed table by table, in the row and column order of `after`,
// followed by cells that exist only in `before` (their after amount is 0).
// Changed fields are protobuf JSON names of Budget fields; for repeated
// fields of equal length, the indices that differ ("expenditureLines[3]").
// Server-set fields (name, status, etag, revision, update time) are ignored.
v1::RevisionDiff DiffRevisions(const v1::Budget& before, const v1::BudgetTables& before_tables, const v1::Budget& after,
                               const v1::BudgetTables& after_tables);

}  // namespace yusuan::ledger

#endif  // YUSUAN_SERVICES_LEDGER_DOMAIN_DIFF_H_
