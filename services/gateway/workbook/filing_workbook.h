// The filing workbook: a whole yusuan.gateway.v1.Filing (department, budget,
// goals) as one XLSX "ledger-line workbook" that a department fills in with
// a spreadsheet program, and back. README.md beside this file lists the
// sheets, their columns and the rule ids of the problems.
//
// Pure: bytes in, bytes out; no gRPC call, no storage. Amounts are int64 分
// throughout; a cell's number is read as the decimal text the file holds,
// never through a double.
#ifndef YUSUAN_SERVICES_GATEWAY_WORKBOOK_FILING_WORKBOOK_H_
#define YUSUAN_SERVICES_GATEWAY_WORKBOOK_FILING_WORKBOOK_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/rpc/status.pb.h"
#include "services/ledger/domain/catalogue.h"
#include "yusuan/common/v1/findings.pb.h"
#include "yusuan/gateway/v1/gateway.pb.h"

namespace yusuan::workbook {

// The unit of the amount columns a writer uses. Each amount header names
// its unit ("金额（元）", "金额（万元）"), and the reader follows the header,
// so a workbook may mix both.
enum class AmountUnit {
  kYuan,     // 元, up to 2 decimals
  kWanYuan,  // 万元, up to 6 decimals (1 分 = 0.000001 万元)
};

struct WorkbookWriteOptions {
  AmountUnit unit = AmountUnit::kYuan;
  // The workbook's creation time (document properties); 0: now.
  int64_t created_unix_seconds = 0;
};

// Writes `filing` as a workbook. What the server sets (etags, revisions,
// update times, status) is not written. INVALID_ARGUMENT when the filing
// holds what the layout cannot carry: more than two prior-year values of an
// indicator, or a secondary unit with two quotas of one establishment kind
// (or of none); INTERNAL when libxlsxwriter fails.
absl::StatusOr<std::string> WriteFilingWorkbook(const yusuan::gateway::v1::Filing& filing,
                                                const WorkbookWriteOptions& options);

// The same sheets without data, with the instructions and drop-down lists
// for every choice column; with a catalogue, also for the functional 项 and
// economic 款 codes (listed on the hidden sheet 代码).
absl::StatusOr<std::string> WriteTemplateWorkbook(const yusuan::ledger::Catalogue* catalogue_or_null,
                                                  const WorkbookWriteOptions& options);

// One thing in a workbook that stops it from being read as a filing.
struct WorkbookProblem {
  std::string sheet;    // "支出"; "" when about the whole file
  std::string cell;     // "支出!C7"; "支出" for a sheet, "" for the file
  std::string rule_id;  // "WB-AMOUNT-DECIMALS" …
  // The filing field the cell feeds (protobuf JSON path), "" when none.
  std::string field;
  // Each names the cell and the field and says how to fix it.
  std::string message_zh;
  std::string message_en;
};

// Field path (protobuf JSON names, as the rules write them:
// "budget.expenditureLines[3].amountFen") → where it was read ("支出!G7").
// Rows are ranges ("支出!A7:H7"), messages read from several places name
// their sheet ("三公").
using Provenance = std::map<std::string, std::string, std::less<>>;

struct WorkbookReadResult {
  // Set exactly when `problems` is empty.
  std::optional<yusuan::gateway::v1::Filing> filing;
  std::vector<WorkbookProblem> problems;
  // Filled as far as the workbook could be read, problems or not.
  Provenance provenance;
};

// Reads a workbook written by WriteFilingWorkbook, or the template filled
// in: sheets are found by name (unknown sheets are ignored), columns by the
// Chinese part of their header (their order is free), choices by their
// Chinese label or the proto enum name, empty rows are skipped. Every
// problem found is reported (up to 500), not only the first.
WorkbookReadResult ReadFilingWorkbook(std::string_view xlsx_bytes);

// Where `field_path` was read: its own entry, else that of the longest
// prefix that ends at a field or index boundary
// ("budget.expenditureLines[3]" for "budget.expenditureLines[3].foo");
// "" when nothing is known.
std::string CellForField(const Provenance& provenance, std::string_view field_path);

// Sets every finding's workbook_cell to where its field was read
// (CellForField); findings whose field the workbook did not feed keep none.
void AnnotateWithCells(const Provenance& provenance, yusuan::common::v1::ValidationReport& report);
// The same for the ValidationReport among a status's details (a refusal by
// the rules), leaving its other details as they are.
void AnnotateWithCells(const Provenance& provenance, google::rpc::Status& status);

// The problems as a ValidationReport of FATAL findings: field = the cell
// ("支出!C7"), the filing field in `expected`-free form in the messages.
yusuan::common::v1::ValidationReport ProblemsAsReport(const std::vector<WorkbookProblem>& problems);

// INVALID_ARGUMENT carrying ErrorInfo (VALIDATION_FAILED), a BadRequest with
// one violation per problem (field = the cell) and the ValidationReport, as
// every refusal of the rules does (services/common/errors.h
// RejectedByRules); OK when there are no problems.
absl::Status ProblemsToStatus(const std::vector<WorkbookProblem>& problems);

// The WB-* rules with severity, category and descriptions, for ListRules.
std::vector<yusuan::common::v1::Rule> WorkbookRules();

}  // namespace yusuan::workbook

#endif  // YUSUAN_SERVICES_GATEWAY_WORKBOOK_FILING_WORKBOOK_H_
