// Open data as CSV with a Fiscal Data Package descriptor: the cell rules
// (RFC 4180, formula neutralisation), the ledger-line columns that every
// disclosure's CSV has, and a region's bulk export — the ledger lines of
// every budget in one file, a file listing the budgets, and the
// datapackage.json describing both. The report service writes one
// department's CSV with these columns; the gateway and `yusuan export
// --format csv` put a region's together from them, so the two cannot drift.
#ifndef YUSUAN_SERVICES_COMMON_OPEN_DATA_H_
#define YUSUAN_SERVICES_COMMON_OPEN_DATA_H_

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace yusuan::open_data {

// Spreadsheet programs read the Chinese headers only after it.
inline constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

// A cell of a row: text, neutralised against CSV injection (a cell that
// starts with = + - @, a tab or a carriage return gets a leading
// apostrophe, OWASP's advice: spreadsheets show the text and a program can
// strip it), or a number we formatted, written as is ("-12.50" must stay a
// number).
struct CsvCell {
  // Implicit: a cell is text unless it says it is a number.
  CsvCell(const std::string& text);  // NOLINT(google-explicit-constructor)
  CsvCell(const char* text);         // NOLINT(google-explicit-constructor)
  static CsvCell Number(std::string number);
  std::string value;
};

// One RFC 4180 row ended by CRLF; a field holding a comma, quote or line
// break is quoted.
void AppendCsvRow(std::string* out, std::initializer_list<CsvCell> cells);
void AppendCsvRow(std::string* out, const std::vector<CsvCell>& cells);

// A column of a CSV file: its name, Table Schema type and bilingual title.
struct CsvColumn {
  const char* name;
  const char* type;
  const char* title;
};

// The ledger lines of a budget, one row per income and expenditure line:
//   line_id, direction, functional_code, functional_name, economic_code,
//   economic_name, kind, fund_source, carryover, project_id, amount_yuan,
//   amount_fen, budget, revision
const std::vector<CsvColumn>& LedgerLineColumns();
// The byte-order mark and the header row of a ledger-line CSV.
std::string LedgerLineCsvHeader();
// The rows of a department's ledger-line CSV, without its byte-order mark
// and header; INVALID_ARGUMENT when it does not start with them (it was not
// written with LedgerLineColumns()).
absl::StatusOr<std::string_view> LedgerLineRows(std::string_view csv);
// How many records CSV rows hold: their CRLFs outside quoted fields.
int64_t CountCsvRecords(std::string_view rows);
// Table Schema fields of LedgerLineColumns() (amount_yuan with its decimal
// character), and the Fiscal Data Package model over them: the measure
// `amount` in CNY, approved, and the classifications, fund source, kind,
// project and line as dimensions.
nlohmann::ordered_json LedgerLineSchemaFields();
nlohmann::ordered_json LedgerLineModel();

// The budgets of a region's bulk export, one row each:
//   budget, region_code, agency_code, department, line_count,
//   published_version, publish_time, csv_sha256
// csv_sha256 is the SHA-256 of that budget's own ledger-line CSV (header
// and its rows of lines.csv): with a published export, the published CSV
// file's, so anyone can check that lines.csv holds exactly what was
// published.
struct ExportedBudget {
  std::string budget;
  std::string region_code;
  std::string agency_code;
  std::string department;
  int64_t line_count = 0;
  int64_t published_version = 0;     // 0: not a published export
  int64_t publish_time_unix_ms = 0;  // written as UTC ISO 8601, to the second
  std::string csv_sha256;
};
const std::vector<CsvColumn>& ExportedBudgetColumns();
std::string ExportedBudgetCsvHeader();
void AppendExportedBudgetRow(std::string* out, const ExportedBudget& budget);

// The file names of a region's bulk export.
inline constexpr char kLinesFile[] = "lines.csv";
inline constexpr char kBudgetsFile[] = "budgets.csv";
inline constexpr char kDataPackageFile[] = "datapackage.json";

// What a descriptor says of one file; bytes < 0 and an empty hash when not
// known (a descriptor served before the files are written).
struct FileFacts {
  int64_t bytes = -1;
  std::string sha256_hex;
};

struct RegionPackage {
  std::string region_code;  // "42", "4201", "420107"
  int fiscal_year = 0;
  bool published = false;  // the published disclosures, not the current filings
  FileFacts lines;
  FileFacts budgets;
};

// datapackage.json of a region's bulk export: lines.csv (the ledger-line
// schema, primary key budget + line_id, foreign key budget → budgets.csv)
// and budgets.csv, with the model of LedgerLineModel(). Deterministic.
std::string RenderRegionDataPackage(const RegionPackage& package);

}  // namespace yusuan::open_data

#endif  // YUSUAN_SERVICES_COMMON_OPEN_DATA_H_
