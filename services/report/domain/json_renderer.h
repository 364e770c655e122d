// Open data: the whole disclosure as JSON, every number beside where it
// comes from, and a Fiscal Data Package descriptor for the ledger lines.
#ifndef YUSUAN_SERVICES_REPORT_DOMAIN_JSON_RENDERER_H_
#define YUSUAN_SERVICES_REPORT_DOMAIN_JSON_RENDERER_H_

#include <string>

#include "absl/status/statusor.h"
#include "yusuan/report/v1/report.pb.h"

namespace yusuan::report {

// The disclosure as JSON (UTF-8, keys in a fixed order, two-space indent):
//   budget / goals / department: names and the revisions rendered;
//   lines: every income and expenditure line, id "income-N" /
//     "expenditure-N" (N from 1, the ledger's order; the same ids as the CSV);
//   tables: 表1–表8 in the set's order and numbering, every cell with `fen`
//     (integer 分), `display` (as printed, 万元) and `lines` (the ids it adds
//     up, when the tables carry their sources);
//   figures: every amount of the narrative's key figures (BudgetSummary),
//     with its lines;
//   explanation: 第三部分 item by item, its paragraphs and every figure they
//     state with its field and lines;
//   projects: 表10's amounts with the expenditure lines of each project;
//   goals: every indicator of 表9 and 表10 with its target and its path in
//     the goal set of the stated revision;
//   glossary.
// INVALID_ARGUMENT as BuildDisclosure. Deterministic.
absl::StatusOr<std::string> RenderOpenDataJson(const yusuan::report::v1::ReportInput& input);

// A datapackage.json in the Fiscal Data Package style describing the two
// open-data files by name and SHA-256: the ledger lines (CSV: schema, one
// measure `amount` in CNY, the functional and economic classifications,
// fund source, kind and project as dimensions) and the JSON disclosure.
// `csv` and `json` are those files' artifacts (for their names, sizes and
// hashes).
std::string RenderDataPackage(const yusuan::report::v1::ReportInput& input, const yusuan::report::v1::Artifact& csv,
                              const yusuan::report::v1::Artifact& json);

}  // namespace yusuan::report

#endif  // YUSUAN_SERVICES_REPORT_DOMAIN_JSON_RENDERER_H_
