// Open-data provenance: which ledger lines each amount of 表1–表8 and of the
// summary adds up. The projection is a sum over lines (plus amounts that no
// line feeds, such as 表4's 三公 figures), so projecting every line on its
// own and subtracting the projection of no line at all tells exactly which
// cells a line feeds, without a second copy of the projection's logic.
#ifndef YUSUAN_SERVICES_LEDGER_DOMAIN_PROVENANCE_H_
#define YUSUAN_SERVICES_LEDGER_DOMAIN_PROVENANCE_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "google/protobuf/message.h"
#include "services/ledger/domain/catalogue.h"
#include "yusuan/ledger/v1/ledger.pb.h"

namespace yusuan::ledger {

// Fills tables.cell_sources and tables.summary_sources for `tables`, the
// projection of `budget`. Lines are numbered from 1 in the budget's order.
// Errors are those of ComputeTables.
absl::Status AddSources(const yusuan::ledger::v1::Department& department, const yusuan::ledger::v1::Budget& budget,
                        const Catalogue& catalogue, yusuan::ledger::v1::BudgetTables& tables);

// Every int64 amount of a message by a readable path: repeated messages are
// keyed by their code, project_id or source instead of their position
// ("general_basic_by_class[301].amount_fen", "income_by_source[
// FUND_SOURCE_GENERAL_PUBLIC_BUDGET].amount_fen"), so two projections can be
// compared field by field.
std::map<std::string, int64_t> AmountsByPath(const google::protobuf::Message& message);

}  // namespace yusuan::ledger

#endif  // YUSUAN_SERVICES_LEDGER_DOMAIN_PROVENANCE_H_
