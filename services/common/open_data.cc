#include "services/common/open_data.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace yusuan::open_data {
namespace {

using Json = nlohmann::ordered_json;

// A department writes the text (a project id "=1+2*3" was published as is,
// issue 13), and open data is opened by people who trust the publisher.
std::string Neutralised(const std::string& text) {
  if (text.empty() || std::string_view("=+-@\t\r").find(text.front()) == std::string_view::npos) return text;
  return "'" + text;
}

std::string Field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

template <typename Cells>
void AppendRowOf(std::string* out, const Cells& cells) {
  bool first = true;
  for (const CsvCell& cell : cells) {
    if (!first) *out += ',';
    *out += Field(cell.value);
    first = false;
  }
  *out += "\r\n";
}

std::string HeaderOf(const std::vector<CsvColumn>& columns) {
  std::string out(kByteOrderMark);
  std::vector<CsvCell> names;
  names.reserve(columns.size());
  for (const CsvColumn& column : columns) names.emplace_back(column.name);
  AppendCsvRow(&out, names);
  return out;
}

Json FieldsOf(const std::vector<CsvColumn>& columns) {
  Json fields = Json::array();
  for (const CsvColumn& column : columns) {
    Json field = {{"name", column.name}, {"type", column.type}, {"title", column.title}};
    if (std::string_view(column.type) == "number") {
      field["decimalChar"] = ".";
      field["groupChar"] = "";
    }
    fields.push_back(std::move(field));
  }
  return fields;
}

Json FileResource(const char* name, const char* path, const FileFacts& facts, Json schema) {
  Json resource = {
      {"name", name}, {"path", path}, {"format", "csv"}, {"mediatype", "text/csv"}, {"encoding", "utf-8-sig"}};
  if (facts.bytes >= 0) resource["bytes"] = facts.bytes;
  if (!facts.sha256_hex.empty()) resource["hash"] = "sha256:" + facts.sha256_hex;
  resource["schema"] = std::move(schema);
  return resource;
}

}  // namespace

CsvCell::CsvCell(const std::string& text) : value(Neutralised(text)) {}
CsvCell::CsvCell(const char* text) : CsvCell(std::string(text)) {}

CsvCell CsvCell::Number(std::string number) {
  CsvCell cell("");
  cell.value = std::move(number);
  return cell;
}

void AppendCsvRow(std::string* out, std::initializer_list<CsvCell> cells) { AppendRowOf(out, cells); }
void AppendCsvRow(std::string* out, const std::vector<CsvCell>& cells) { AppendRowOf(out, cells); }

const std::vector<CsvColumn>& LedgerLineColumns() {
  static const std::vector<CsvColumn> columns = {
      {"line_id", "string", "明细行 / line"},
      {"direction", "string", "收入或支出 / income or expenditure"},
      {"functional_code", "string", "支出功能分类科目编码 / functional classification code"},
      {"functional_name", "string", "支出功能分类科目名称 / functional classification name"},
      {"economic_code", "string", "部门预算支出经济分类科目编码 / economic classification code"},
      {"economic_name", "string", "部门预算支出经济分类科目名称 / economic classification name"},
      {"kind", "string", "支出类型 / kind of spending"},
      {"fund_source", "string", "资金来源 / fund source"},
      {"carryover", "boolean", "上年结转 / carried over"},
      {"project_id", "string", "项目 / project"},
      {"amount_yuan", "number", "金额（元） / amount (CNY)"},
      {"amount_fen", "integer", "金额（分） / amount (fen)"},
      {"budget", "string", "预算 / budget"},
      // A string: empty for a preview that has no revision yet.
      {"revision", "string", "版本 / revision"},
  };
  return columns;
}

std::string LedgerLineCsvHeader() { return HeaderOf(LedgerLineColumns()); }

absl::StatusOr<std::string_view> LedgerLineRows(std::string_view csv) {
  static const std::string header = LedgerLineCsvHeader();
  if (csv.substr(0, header.size()) != header) {
    return absl::InvalidArgumentError(
        "明细行 CSV 的表头与 open_data::LedgerLineColumns 不符 / the ledger-line CSV does not start with the "
        "byte-order mark and the header of open_data::LedgerLineColumns");
  }
  csv.remove_prefix(header.size());
  return csv;
}

int64_t CountCsvRecords(std::string_view rows) {
  int64_t records = 0;
  bool quoted = false;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i] == '"') quoted = !quoted;
    if (!quoted && rows[i] == '\r' && i + 1 < rows.size() && rows[i + 1] == '\n') ++records;
  }
  return records;
}

Json LedgerLineSchemaFields() { return FieldsOf(LedgerLineColumns()); }

Json LedgerLineModel() {
  auto attribute = [](const char* source) { return Json{{"source", source}}; };
  Json dimensions = Json::object();
  dimensions["functional-classification"] =
      Json{{"dimensionType", "classification"},
           {"classificationType", "functional"},
           {"attributes", Json{{"code", attribute("functional_code")},
                               {"label", Json{{"source", "functional_name"}, {"labelfor", "code"}}}}},
           {"primaryKey", "code"}};
  dimensions["economic-classification"] = Json{
      {"dimensionType", "classification"},
      {"classificationType", "economic"},
      {"attributes",
       Json{{"code", attribute("economic_code")}, {"label", Json{{"source", "economic_name"}, {"labelfor", "code"}}}}},
      {"primaryKey", "code"}};
  dimensions["direction"] = Json{{"dimensionType", "other"},
                                 {"attributes", Json{{"direction", attribute("direction")}}},
                                 {"primaryKey", "direction"}};
  dimensions["fund-source"] =
      Json{{"dimensionType", "other"},
           {"attributes", Json{{"fund_source", attribute("fund_source")}, {"carryover", attribute("carryover")}}},
           {"primaryKey", Json::array({"fund_source", "carryover"})}};
  dimensions["kind"] =
      Json{{"dimensionType", "activity"}, {"attributes", Json{{"kind", attribute("kind")}}}, {"primaryKey", "kind"}};
  dimensions["project"] = Json{{"dimensionType", "activity"},
                               {"attributes", Json{{"project_id", attribute("project_id")}}},
                               {"primaryKey", "project_id"}};
  dimensions["line"] = Json{
      {"dimensionType", "fact"}, {"attributes", Json{{"line_id", attribute("line_id")}}}, {"primaryKey", "line_id"}};
  return Json{
      {"measures",
       Json{{"amount", Json{{"source", "amount_yuan"}, {"currency", "CNY"}, {"factor", 1}, {"phase", "approved"}}}}},
      {"dimensions", dimensions}};
}

const std::vector<CsvColumn>& ExportedBudgetColumns() {
  static const std::vector<CsvColumn> columns = {
      {"budget", "string", "预算 / budget"},
      {"region_code", "string", "行政区划代码 / region code"},
      {"agency_code", "string", "部门编码 / agency code"},
      {"department", "string", "部门 / department"},
      {"line_count", "integer", "明细行数 / ledger lines"},
      // Empty in an export of the current filings.
      {"published_version", "integer", "公开版本 / published version"},
      {"publish_time", "datetime", "公开时间（UTC） / publish time (UTC)"},
      {"csv_sha256", "string", "该预算明细行 CSV 的 SHA-256 / SHA-256 of the budget's own ledger-line CSV"},
  };
  return columns;
}

std::string ExportedBudgetCsvHeader() { return HeaderOf(ExportedBudgetColumns()); }

void AppendExportedBudgetRow(std::string* out, const ExportedBudget& budget) {
  const bool published = budget.published_version > 0;
  AppendCsvRow(out, {budget.budget, budget.region_code, budget.agency_code, budget.department,
                     CsvCell::Number(absl::StrCat(budget.line_count)),
                     CsvCell::Number(published ? absl::StrCat(budget.published_version) : ""),
                     CsvCell::Number(published ? absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                                                                  absl::FromUnixMillis(budget.publish_time_unix_ms),
                                                                  absl::UTCTimeZone())
                                               : ""),
                     CsvCell::Number(budget.csv_sha256)});
}

std::string RenderRegionDataPackage(const RegionPackage& package) {
  const std::string year = absl::StrCat(package.fiscal_year);
  const char* what = package.published ? "published" : "filings";
  Json lines_schema = {
      {"fields", LedgerLineSchemaFields()},
      {"primaryKey", Json::array({"budget", "line_id"})},
      {"foreignKeys",
       Json::array({Json{{"fields", "budget"}, {"reference", Json{{"resource", "budgets"}, {"fields", "budget"}}}}})}};
  Json budgets_schema = {{"fields", FieldsOf(ExportedBudgetColumns())}, {"primaryKey", "budget"}};

  Json out = Json::object();
  out["profile"] = "fiscal-data-package";
  out["name"] = absl::StrCat("regions-", package.region_code, "-", year, "-", what);
  out["title"] = package.published ? absl::StrCat("行政区划 ", package.region_code, " ", year,
                                                  "年已公开的部门预算明细行 / published "
                                                  "department budgets of region ",
                                                  package.region_code, ", ", year)
                                   : absl::StrCat("行政区划 ", package.region_code, " ", year,
                                                  "年部门预算填报的明细行 / department "
                                                  "budget filings of region ",
                                                  package.region_code, ", ", year);
  out["description"] = absl::StrCat("每份预算的明细行（", kLinesFile, "，各行以 budget 指明所属预算）与预算清单（",
                                    kBudgetsFile, "）。/ The ledger lines of every budget (", kLinesFile,
                                    ", each row names its budget) and the list of budgets (", kBudgetsFile, ").");
  out["countryCode"] = "CN";
  out["fiscalPeriod"] = Json{{"start", absl::StrCat(year, "-01-01")}, {"end", absl::StrCat(year, "-12-31")}};
  out["resources"] = Json::array({FileResource("ledger-lines", kLinesFile, package.lines, std::move(lines_schema)),
                                  FileResource("budgets", kBudgetsFile, package.budgets, std::move(budgets_schema))});
  out["model"] = LedgerLineModel();
  return out.dump(2, ' ', false, Json::error_handler_t::strict) + "\n";
}

}  // namespace yusuan::open_data
