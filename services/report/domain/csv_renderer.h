// The ledger lines behind the disclosure as CSV (open data): one row per
// income and expenditure line, with codes, catalogue names, kind, source and
// amount, so that anyone can recompute every table.
#ifndef YUSUAN_SERVICES_REPORT_DOMAIN_CSV_RENDERER_H_
#define YUSUAN_SERVICES_REPORT_DOMAIN_CSV_RENDERER_H_

#include <string>

#include "yusuan/ledger/v1/rollup.pb.h"
#include "yusuan/report/v1/report.pb.h"

namespace yusuan::report {

// RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or
// line break; UTF-8 with a byte-order mark so that spreadsheet programs read
// the Chinese headers. Columns:
//   line_id, direction (income/expenditure), functional_code, functional_name,
//   economic_code, economic_name, kind, fund_source, carryover, project_id,
//   amount_yuan (two decimals), amount_fen, budget, revision
// line_id is "income-N" / "expenditure-N" (N from 1, the order of the
// ledger); names are those the tables' rows print (the catalogue edition of
// the budget year), and for a code no row shows — the economic 款 of project
// spending, which no table breaks down — the ledger's tables.line_codes (the
// same catalogue edition). Deterministic: no time, no
// locale.
// Text cells that start with = + - @, a tab or a carriage return — what a
// spreadsheet would run as a formula — are written with a leading
// apostrophe (OWASP's advice against CSV injection): a project id "=1+2*3"
// reads "'=1+2*3". Amounts are numbers and never neutralised.
std::string RenderLedgerCsv(const yusuan::report::v1::ReportInput& input);

// A region's roll-up, the same conventions, one row per amount:
//   section (summary, three_public, functional, economic, income_by_source,
//   expenditure_by_source, expenditure_by_kind), code, name, level,
//   amount_yuan, amount_fen, region_prefix, fiscal_year, statuses
//   ("DRAFT|SUBMITTED"), budget_count
// summary and three_public rows have codes of their own (income,
// expenditure, basic, project, machinery_operating; total, overseas,
// vehicle_total, vehicle_purchase, vehicle_operation, reception).
std::string RenderRollupCsv(const yusuan::ledger::v1::Rollup& rollup);

}  // namespace yusuan::report

#endif  // YUSUAN_SERVICES_REPORT_DOMAIN_CSV_RENDERER_H_
