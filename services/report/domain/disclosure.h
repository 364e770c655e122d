// Assembles the whole disclosure (title, 第一部分–第四部分, 表1–表10) from a
// ReportInput into the format-neutral Document that every renderer writes.
#ifndef YUSUAN_SERVICES_REPORT_DOMAIN_DISCLOSURE_H_
#define YUSUAN_SERVICES_REPORT_DOMAIN_DISCLOSURE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/report/domain/document.h"
#include "services/report/domain/template_set.h"
#include "yusuan/ledger/v1/ledger.pb.h"
#include "yusuan/report/v1/report.pb.h"

namespace yusuan::report {

// "{部门简称}{年度}年部门预算" — the cover title and the artifact's file stem.
std::string DisclosureTitle(const yusuan::report::v1::ReportInput& input);

// "{部门简称}{年度}年" — the prefix of every table title ("区科协2021年").
std::string TableTitlePrefix(const yusuan::report::v1::ReportInput& input);

// The input's template set (input.template_set, "" → the default);
// INVALID_ARGUMENT naming the field and the available sets when unknown.
absl::StatusOr<const TemplateSet*> TemplateSetFor(const yusuan::report::v1::ReportInput& input);

// A table as the set prints it: its source (1–8 the ledger's projections,
// 9 the department goal form, 10 the project forms), its printed number and
// title ("表6 区科协2021年部门收支总表") and anchor ("table-6"). A projection
// the input lacks is left out and the later tables close up.
struct PrintedTable {
  int source = 0;
  int number = 0;
  std::string title;
  std::string anchor;
};
std::vector<PrintedTable> PrintedTables(const yusuan::report::v1::ReportInput& input, const TemplateSet& set);

// One of 表1–表8 as a document table, titled and anchored as the set
// prints it ("表6 区科协2021年部门收支总表", "table-6").
absl::StatusOr<Table> BudgetTableBlock(const yusuan::ledger::v1::BudgetTable& table, const std::string& title,
                                       const std::string& anchor, const std::string& compiler);

// The same with the reference numbering: "表{number} {prefix}{title}".
// One of 表1–表8 as a document table. INVALID_ARGUMENT when a row's cell
// count does not match the table's columns (a malformed projection must not
// be published with shifted columns).
absl::StatusOr<Table> BudgetTableBlock(const yusuan::ledger::v1::BudgetTable& table, const std::string& title_prefix,
                                       const std::string& compiler);

// OK when every text of the input can be written by every renderer;
// otherwise INVALID_ARGUMENT (ErrorInfo INPUT_NOT_RENDERABLE) naming each
// field that cannot, by its path in the input ("department.fullName",
// "budget.projects[1].name": the same paths as a Filing's), in the message
// and as a google.rpc.BadRequest field violation each. What cannot be
// written: ill-formed UTF-8, and any control character (C0, DEL, C1) but a
// line feed or a tab — a NUL ends the PDF's strings, XML 1.0 (XLSX) cannot
// hold most of C0, and none of them prints. Validation refuses the same
// text at the door (V-UTF8, V-TEXT-CONTROL); this guard is for input that
// did not come through it (stored before the rule existed, or changed
// straight in the ledger), so that a publication that cannot be rendered
// says which field to correct instead of "block 12 of the PDF".
absl::Status CheckRenderableText(const yusuan::report::v1::ReportInput& input);

// The whole document. INVALID_ARGUMENT for input that cannot be rendered
// (CheckRenderableText, no year, no department name, malformed tables).
absl::StatusOr<Document> BuildDisclosure(const yusuan::report::v1::ReportInput& input);

}  // namespace yusuan::report

#endif  // YUSUAN_SERVICES_REPORT_DOMAIN_DISCLOSURE_H_
