// Properties across formats over generated departments (tools/synth): each
// department is projected as publishing does (ledger::ComputeTables, then
// ledger::AddSources), rendered with report::RenderReports in both template
// sets, and its formats are read back and compared.
//
// The correspondences checked (each check is a function below returning
// human-readable discrepancies: format, where, expected, actual):
//
// P1 Renders. HTML, Markdown, XLSX, JSON, CSV and the data package render
//    without error in wuhan-district-2021 and national-2016-143, none empty;
//    the PDF too for the departments that render it (see "PDF subset").
//
// P2 Agreement (CheckTableAgreement, CheckNarrativeAgreement,
//    CheckIndicatorUnits, CheckYearOrder). The open-data JSON is the
//    reference. For every printed table 表1–表8 (JSON `tables`, printed
//    number N) and every row r of its left side (`rows`) and right side
//    (`right_rows`, balance tables 表1/表6), every cell c:
//    - HTML: the <figure id="table-N"> table's body row r (after col/row
//      spans are laid out), column lead + c, where lead = 2 for coded tables
//      (科目编码, 科目名称), 1 otherwise, and a right-side cell sits at
//      1 + left_width + 1 + c; its text is exactly the cell's `display`; the
//      name column holds the row's `name`, the code column its `code`; the
//      table has exactly max(rows, right_rows) body rows.
//    - Markdown: the pipe table under the line **{title}**, body row r, the
//      same column; text (bold markers and indent removed, escapes undone)
//      exactly `display`, the same name and code.
//    - XLSX: sheet N (xl/worksheets/sheetN.xml), row 1 holds the title, the
//      body starts on the row after the header rows (1 title + 1 编制单位 +
//      as many header rows as the HTML table's <thead>), the same column; the
//      cell is numeric (not a string) and its value × 100, rounded, equals
//      `display` in hundredths of 万元; the name and code cells as above.
//    - PDF (pdftotext -layout): the text from table N's title line (its last
//      occurrence: the title also appears in the contents and in 第二部分's
//      list) to the next printed table's title line holds, as whitespace
//      separated tokens of the form d+.dd, exactly the multiset of the JSON
//      table's `display` values.
//    第三部分: every paragraph of the JSON `explanation` is, character for
//    character, a <p> of the HTML and a line of the Markdown, and the
//    amounts (d+.dd) of all those paragraphs are, as a multiset, the amounts
//    of the PDF text between the 第三部分 and 第四部分 headings.
//    表9/表10 indicators: an indicator value (target or history) that is a
//    number with an operator (≥6, 不少于12, 6以上) is printed with the
//    indicator's unit at the number (≥6万人次, 6万人次以上), as a bare number
//    is, in an HTML cell and a Markdown cell.
//    表9/表10 forms (CheckFormsAgreement): the amounts (d+.dd) each format
//    prints in 表9's part (HTML cells after <h3 id="table-K">, Markdown cells
//    after its heading, sheet K's numbers, the PDF text from its title to the
//    next table's or 第三部分's) are, as a multiset, 表9's funds block computed
//    from the JSON figures (fiscal_total, department_income_total, their
//    difference, department_basic, department_project,
//    department_expenditure_total) and the budget's prior years {Y-2, Y-1}
//    (财政拨款, 其他资金, 合计, 基本支出, 项目支出, 合计); in 表10's part, the
//    six 元 amounts of every JSON project. (XLSX keeps 表9's shares as
//    numbers, so there the amounts need only be among the numbers.)
//    (A third of the generated bare-number targets with a unit are given
//    "≥" and a third "以上" first, UseOperatorValues: the generator writes
//    operator values with their unit inside.)
//    Years run oldest first: every header row of 表9 and 表10 that shows
//    years, and the JSON history of every indicator.
//
// P3 Sources (CheckSources). Every JSON table cell and figure that names its
//    `lines` has `fen` = the sum of those lines' amount_fen as the CSV lists
//    them, and `display` = fen in 万元 rounded half-up to 2 decimals (F1,
//    F5); a non-zero cell or figure names lines, except what the budget
//    states rather than sums (表4, the 三公 figures, `budget_field`s, which
//    are compared with the budget's fields); the CSV has one row per JSON
//    line with the same amount (amount_yuan = fen / 100 with 2 decimals) and
//    the catalogue names of its codes (functional_name, economic_name);
//    every JSON project's six amounts print as 元 with 2 decimals, and its
//    ledger_lines add up to ledger_fen and to its 当年资金总额; the data
//    package (CheckDataPackage) gives the CSV's and the JSON's exact byte
//    count and SHA-256.
//
// P4 Year on year (CheckYearOnYear). Every comparison phrase of 第三部分
//    (比{Y-1}年预算/比上年 增加|减少|新增 Δ 万元[，增长|下降 r%], 与上年持平,
//    上年无可比预算数) is tied to its subject by the words before it
//    (本年预算, “三公”经费, 因公出国（境）费, 公务用车购置及运行费, 公务接待费,
//    政府性基金预算支出, 收支总预算/收支预算总计, 机关运行经费) and recomputed
//    by F4 from the displayed figures: current from the tables (表1
//    一般公共预算拨款收入 of 本年收入, 表4, 表5 合计, 表6 收入总计) or the key
//    figures (机关运行经费), prior from the budget's prior_years and
//    three_public.prior. The stated current amount, the direction, Δ and the
//    rate must be those; 本年预算 (二) and 部门收支总预算 (六) have exactly
//    one phrase each (上年无可比预算数 when the prior is unknown), and “三公”经费
//    (四), 政府性基金 (五, when it spends) and 机关运行经费 (九(一), when its
//    sentence is there) one each when the prior is known; with an unknown
//    prior no subject is compared.
//
// P5 No wrapped amounts (CheckPdfWrapping). No token of the PDF text is an
//    amount cut at a line end: digits followed by "." and at most one digit
//    ("3857." then "75", "478.6" then "2"). Amounts in HTML, Markdown and
//    XLSX cannot wrap by construction (cells are numbers or one text run).
//    An HTML <td> that holds an amount has class "num" (white-space:
//    nowrap). Stray blanks: no ASCII blank between two CJK characters in an
//    HTML paragraph; in wuhan-district-2021 no Arabic number of 第三部分 is
//    glued to a Chinese character (its README: one blank on each side).
//
// P6 No leftovers (CheckNoLeftovers). Department i's HTML, Markdown, PDF
//    text, XLSX strings, JSON and CSV never show the full name, short name,
//    agency code (as a whole number) or a project name of departments i−1
//    (rendered just before it), i+1, i+2, i+7 and i+31 (mod the count),
//    unless department i's own filing or its tables' row names (catalogue
//    names, which a project may share) hold the same text.
//
// Known product defects (now only N1, found by these tests) are allowed by
// exactly one predicate each (KnownDefects(), used in one place:
// Unexpected), and KnownDefectsStillReproduce fails for a defect no
// department shows any more, so that its allowance is removed with it.
//
// YUSUAN_PROPERTY_DEPARTMENTS (default 200) departments of seed
// YUSUAN_PROPERTY_SEED (default 20211). PDF subset: the PDF (render,
// pdftotext, P2's PDF checks, P5) of department i in wuhan-district-2021 for
// every i, in national-2016-143 for i % 4 == 0 (YUSUAN_PROPERTY_PDF=all: every
// department in both sets; =none: no PDF). YUSUAN_PROPERTY_DUMP_DIR writes
// every rendered file there. The departments are rendered once, in
// SetUpTestSuite; each TEST reports one property. 200 departments (250
// PDFs) take about 40 s of CPU on this 2-core machine (45 s alone, 66–85 s
// wall while other builds share it), 1,000 about 190 s of CPU.
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/common/sha256.h"
#include "services/gateway/names.h"
#include "services/ledger/domain/catalogue.h"
#include "services/ledger/domain/projections.h"
#include "services/ledger/domain/provenance.h"
#include "services/report/domain/render.h"
#include "tests/property/format_readers.h"
#include "tests/property/property_options.h"
#include "tools/synth/synth.h"

namespace yusuan::synth {
namespace {

namespace gv1 = yusuan::gateway::v1;
namespace lv1 = yusuan::ledger::v1;
namespace rv1 = yusuan::report::v1;
using Json = nlohmann::json;
using yusuan::ledger::CatalogueSet;
using ::yusuan::property::CsvTable;
using ::yusuan::property::DecodeUtf8;
using ::yusuan::property::FinishPdfToText;
using ::yusuan::property::HtmlDocument;
using ::yusuan::property::HtmlTable;
using ::yusuan::property::IsAmount;
using ::yusuan::property::IsCjk;
using ::yusuan::property::IsDigit;
using ::yusuan::property::MakeScratchDirectory;
using ::yusuan::property::MarkdownDocument;
using ::yusuan::property::MarkdownTable;
using ::yusuan::property::ParseCsv;
using ::yusuan::property::ParseHtml;
using ::yusuan::property::ParseMarkdown;
using ::yusuan::property::ReadXlsx;
using ::yusuan::property::RemoveWhitespace;
using ::yusuan::property::StartPdfToText;
using ::yusuan::property::StripIndent;
using ::yusuan::property::TableRegion;
using ::yusuan::property::Tokens;
using ::yusuan::property::XlsxCell;
using ::yusuan::property::XlsxSheet;
using ::yusuan::property::XlsxWorkbook;

constexpr std::array<const char*, 2> kSets = {"wuhan-district-2021", "national-2016-143"};

// Which departments render the PDF in which set (see the top of the file).
bool RendersPdf(int index, int set) {
  const char* mode = std::getenv("YUSUAN_PROPERTY_PDF");
  const std::string m = mode == nullptr ? "" : mode;
  if (m == "none") return false;
  if (m == "all") return true;
  return set == 0 || index % 4 == 0;
}

// ---------------------------------------------------------------- discrepancies

struct Discrepancy {
  Discrepancy(std::string property, std::string kind, std::string format, std::string where, std::string expected,
              std::string actual)
      : property(std::move(property)),
        kind(std::move(kind)),
        format(std::move(format)),
        where(std::move(where)),
        expected(std::move(expected)),
        actual(std::move(actual)) {}

  std::string property;  // P1 … P6
  std::string kind;      // a stable tag of what disagrees
  std::string format;    // html, md, pdf, xlsx, json, csv
  std::string where;     // table / row / column, paragraph, line
  std::string expected;
  std::string actual;
  // Filled by the runner.
  int department = -1;
  std::string set;

  std::string ToString() const {
    return absl::StrCat("department ", department, " [", set, "] ", property, " ", kind, " (", format, ") at ", where,
                        ": expected «", expected, "», actual «", actual, "»");
  }
};

using Discrepancies = std::vector<Discrepancy>;

// ---------------------------------------------------------------- known defects

// A known product defect: the discrepancies it causes, and nothing else.
// D3 (PDF amounts wrapping in 表7), D4 (operator values losing their unit),
// D6 (CSV economic_name empty where no table names the 款), D7 (§一/§五
// figures without lines) and D9 (表9 year order, blanks) were allowed here
// until main merged the report fixes (66a4020, e557824 for D6 in the
// editions derived from 2021); these properties then found them fixed and
// their allowances went.
struct KnownDefect {
  const char* id;
  const char* description;
  std::function<bool(const Discrepancy&)> matches;
};

const std::vector<KnownDefect>& KnownDefects() {
  static const auto* defects = new std::vector<KnownDefect>{
      // N1 (三公 公务用车购置及运行费 without provenance), found by these
      // tests, is fixed: the figure names its two budget fields.
  };
  return *defects;
}

const KnownDefect* KnownDefectOf(const Discrepancy& d) {
  for (const KnownDefect& defect : KnownDefects()) {
    if (defect.matches(d)) return &defect;
  }
  return nullptr;
}

// ---------------------------------------------------------------- money

// 分 → hundredths of 万元, half-up (F1, F5), computed here rather than with
// the product's money.h so that the check does not share its code.
int64_t WanCents(int64_t fen) {
  const int64_t sign = fen < 0 ? -1 : 1;
  const int64_t a = fen < 0 ? -fen : fen;
  return sign * ((a + 5000) / 10000);
}

std::string CentsText(int64_t cents) {
  const bool negative = cents < 0;
  const int64_t a = negative ? -cents : cents;
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%s%lld.%02lld", negative ? "-" : "", static_cast<long long>(a / 100),
                static_cast<long long>(a % 100));
  return buffer;
}

std::string WanText(int64_t fen) { return CentsText(WanCents(fen)); }

std::string YuanText(int64_t fen) { return CentsText(fen); }

// "3840.53" → 384053; nullopt unless digits '.' two digits.
std::optional<int64_t> ParseCents(std::string_view text) {
  const size_t dot = text.find('.');
  if (dot == std::string_view::npos || dot == 0 || text.size() != dot + 3) return std::nullopt;
  int64_t value = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == dot) continue;
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// ---------------------------------------------------------------- input

// The generator writes a value with an operator with its unit inside
// ("≥12次"), a bare number with a separate unit ("12" + "次"). So that P2's
// unit check sees the operator forms too, a third of the bare numbers with a
// unit get "≥" in front and a third "以上" behind (a valid value: the unit
// belongs at the number, "≥12次", "12次以上").
void UseOperatorValues(yusuan::goals::v1::GoalSet& goals) {
  int k = 0;
  auto rewrite = [&k](google::protobuf::RepeatedPtrField<yusuan::goals::v1::Indicator>& indicators) {
    for (yusuan::goals::v1::Indicator& indicator : indicators) {
      const std::string& target = indicator.target();
      if (indicator.unit().empty() || target.empty() ||
          !std::all_of(target.begin(), target.end(), [](char c) { return IsDigit(c) || c == '.'; })) {
        continue;
      }
      switch (k++ % 3) {
        case 1:
          indicator.set_target("≥" + target);
          break;
        case 2:
          indicator.set_target(target + "以上");
          break;
        default:
          break;
      }
    }
  };
  rewrite(*goals.mutable_department()->mutable_long_term_indicators());
  for (auto& goal : *goals.mutable_department()->mutable_annual_goals()) rewrite(*goal.mutable_indicators());
  for (auto& sheet : *goals.mutable_projects()) {
    rewrite(*sheet.mutable_medium_term_indicators());
    rewrite(*sheet.mutable_annual_indicators());
  }
}

// ---------------------------------------------------------------- rendering

struct Rendered {
  std::map<rv1::Format, std::string> files;
  std::string pdf_text;  // pdftotext -layout, when the PDF was rendered
  Json json;
  HtmlDocument html;
  MarkdownDocument markdown;
  XlsxWorkbook xlsx;
  CsvTable csv;
};

std::string FormatName(rv1::Format format) {
  switch (format) {
    case rv1::FORMAT_HTML:
      return "html";
    case rv1::FORMAT_MARKDOWN:
      return "md";
    case rv1::FORMAT_PDF:
      return "pdf";
    case rv1::FORMAT_XLSX:
      return "xlsx";
    case rv1::FORMAT_JSON:
      return "json";
    case rv1::FORMAT_CSV:
      return "csv";
    case rv1::FORMAT_DATA_PACKAGE:
      return "datapackage.json";
    default:
      return "?";
  }
}

// Seconds spent per phase of the run (printed at the end).
std::map<std::string, double>& PhaseSeconds() {
  static auto* seconds = new std::map<std::string, double>;
  return *seconds;
}

class PhaseTimer {
 public:
  explicit PhaseTimer(std::string phase) : phase_(std::move(phase)), start_(std::chrono::steady_clock::now()) {}
  ~PhaseTimer() {
    PhaseSeconds()[phase_] += std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::string phase_;
  std::chrono::steady_clock::time_point start_;
};

// P1: renders every format; fills `out` and returns the discrepancies.
Discrepancies RenderAll(const rv1::ReportInput& input, bool pdf, const std::string& scratch, Rendered& out) {
  Discrepancies found;
  std::vector<rv1::Format> formats = {rv1::FORMAT_HTML, rv1::FORMAT_MARKDOWN, rv1::FORMAT_XLSX,
                                      rv1::FORMAT_JSON, rv1::FORMAT_CSV,      rv1::FORMAT_DATA_PACKAGE};
  if (pdf) formats.push_back(rv1::FORMAT_PDF);
  // All in one call (the data package is described from that call's CSV and
  // JSON); when it fails, each format on its own, so that the failure names
  // its format.
  absl::StatusOr<std::vector<rv1::Artifact>> together;
  {
    PhaseTimer timer(pdf ? "render all formats (with pdf)" : "render all formats (no pdf)");
    together = report::RenderReports(input, formats);
  }
  if (together.ok() && together->size() == formats.size()) {
    for (const rv1::Artifact& artifact : *together) {
      if (artifact.content().empty()) {
        found.push_back(
            {"P1", "render-empty", FormatName(artifact.format()), "RenderReports", "a non-empty file", "(empty)"});
      }
      out.files[artifact.format()] = artifact.content();
    }
  } else {
    for (rv1::Format format : formats) {
      absl::StatusOr<std::vector<rv1::Artifact>> artifacts = report::RenderReports(input, {format});
      if (!artifacts.ok()) {
        found.push_back({"P1", "render-error", FormatName(format), "RenderReports", "OK",
                         std::string(artifacts.status().ToString())});
      } else if (artifacts->size() != 1 || (*artifacts)[0].content().empty()) {
        found.push_back({"P1", "render-empty", FormatName(format), "RenderReports", "one non-empty file",
                         absl::StrCat(artifacts->size(), " files")});
      } else {
        out.files[format] = (*artifacts)[0].content();
      }
    }
  }
  // pdftotext runs while the other formats are read.
  std::optional<absl::StatusOr<int>> pdftotext;
  if (out.files.count(rv1::FORMAT_PDF)) pdftotext = StartPdfToText(out.files[rv1::FORMAT_PDF], scratch);
  if (out.files.count(rv1::FORMAT_JSON)) {
    out.json = Json::parse(out.files[rv1::FORMAT_JSON], nullptr, /*allow_exceptions=*/false);
    if (out.json.is_discarded()) found.push_back({"P1", "json-unparsable", "json", "whole file", "JSON", "not JSON"});
  }
  if (out.files.count(rv1::FORMAT_HTML)) out.html = ParseHtml(out.files[rv1::FORMAT_HTML]);
  if (out.files.count(rv1::FORMAT_MARKDOWN)) out.markdown = ParseMarkdown(out.files[rv1::FORMAT_MARKDOWN]);
  if (out.files.count(rv1::FORMAT_CSV)) out.csv = ParseCsv(out.files[rv1::FORMAT_CSV]);
  if (out.files.count(rv1::FORMAT_XLSX)) {
    PhaseTimer timer("read xlsx (unzip)");
    absl::StatusOr<XlsxWorkbook> book = ReadXlsx(out.files[rv1::FORMAT_XLSX], scratch);
    if (book.ok()) {
      out.xlsx = std::move(*book);
    } else {
      found.push_back({"P1", "xlsx-unreadable", "xlsx", "unzip", "a workbook", std::string(book.status().message())});
    }
  }
  if (pdftotext.has_value()) {
    PhaseTimer timer("read pdf (waiting for pdftotext)");
    absl::StatusOr<std::string> text =
        pdftotext->ok() ? FinishPdfToText(**pdftotext, scratch) : absl::StatusOr<std::string>(pdftotext->status());
    if (text.ok()) {
      out.pdf_text = std::move(*text);
    } else {
      found.push_back({"P1", "pdf-unreadable", "pdf", "pdftotext", "text", std::string(text.status().message())});
    }
  }
  return found;
}

// ---------------------------------------------------------------- P2: tables

std::string CellWhere(const Json& table, bool right, size_t row, size_t column) {
  const Json& rows = table[right ? "right_rows" : "rows"];
  const Json& columns = table[right ? "right_columns" : "columns"];
  std::string row_name = rows[row].value("code", "");
  if (!row_name.empty()) row_name += " ";
  row_name += rows[row].value("name", "");
  std::string column_name = column < columns.size() ? columns[column].value("title", "") : "?";
  if (column < columns.size() && columns[column].contains("group")) {
    column_name = columns[column]["group"].get<std::string>() + "·" + column_name;
  }
  return absl::StrCat("表", table["number"].get<int>(), right ? " 支出方" : "", " row ", row + 1, " «", row_name,
                      "» column «", column_name, "»");
}

bool IsCoded(const Json& table) {
  // A coded table prints 科目编码 and 科目名称 before its amounts.
  const int source = table["source_table"].get<int>();
  return source == 2 || source == 3 || source == 5 || source == 7 || source == 8;
}

// The printed grid position of JSON cell (right, row, column).
size_t PrintedColumn(const Json& table, bool right, size_t column) {
  if (!right) return (IsCoded(table) ? 2 : 1) + column;
  return 1 + table["columns"].size() + 1 + column;
}

size_t NameColumn(const Json& table, bool right) {
  if (!right) return IsCoded(table) ? 1 : 0;
  return 1 + table["columns"].size();
}

// Markdown and HTML show a classification name with its indent and the
// total row in bold; the readers strip both.
void CompareText(const std::string& format, const std::string& where, const std::string& expected,
                 const std::optional<std::string>& actual, const char* kind, Discrepancies& out) {
  if (!actual.has_value()) {
    out.push_back({"P2", kind, format, where, expected, "(no such cell)"});
  } else if (*actual != expected) {
    out.push_back({"P2", kind, format, where, expected, *actual});
  }
}

Discrepancies CheckTableAgreement(const Rendered& r, bool with_pdf) {
  Discrepancies out;
  const Json& tables = r.json["tables"];
  // PDF: the printed titles in order (表1 … 表10) to cut the text.
  std::vector<std::string> pdf_lines;
  if (with_pdf) pdf_lines = absl::StrSplit(r.pdf_text, '\n');
  for (const Json& table : tables) {
    const int number = table["number"].get<int>();
    const std::string title = table["title"].get<std::string>();
    const std::string anchor = table["anchor"].get<std::string>();
    const HtmlTable* html = r.html.FindTable(anchor);
    const MarkdownTable* md = r.markdown.FindTable(title);
    const XlsxSheet* sheet = r.xlsx.Sheet(number);
    if (html == nullptr) out.push_back({"P2", "table-missing", "html", anchor, title, "(none)"});
    if (md == nullptr) out.push_back({"P2", "table-missing", "md", title, title, "(none)"});
    if (sheet == nullptr) {
      out.push_back({"P2", "table-missing", "xlsx", absl::StrCat("sheet", number), title, "(none)"});
    } else {
      CompareText("xlsx", absl::StrCat("sheet", number, " A1"), title, sheet->Text(1, 0), "title", out);
    }
    const size_t left_rows = table["rows"].size();
    const size_t right_rows = table.contains("right_rows") ? table["right_rows"].size() : 0;
    const size_t body_rows = std::max(left_rows, right_rows);
    if (html != nullptr && html->body.size() != body_rows) {
      out.push_back({"P2", "row-count", "html", title, absl::StrCat(body_rows), absl::StrCat(html->body.size())});
    }
    if (md != nullptr && md->body.size() != body_rows) {
      out.push_back({"P2", "row-count", "md", title, absl::StrCat(body_rows), absl::StrCat(md->body.size())});
    }
    // XLSX body: after title, 编制单位 and the header rows.
    const int first_body_row = html == nullptr ? 0 : 3 + static_cast<int>(html->header_rows);
    std::vector<std::string> expected_amounts;
    for (bool right : {false, true}) {
      const char* key = right ? "right_rows" : "rows";
      if (!table.contains(key)) continue;
      const Json& rows = table[key];
      for (size_t i = 0; i < rows.size(); ++i) {
        const Json& row = rows[i];
        const std::string where_row = CellWhere(table, right, i, 0);
        const size_t name_column = NameColumn(table, right);
        const std::string name = row.value("name", "");
        const int xlsx_row = first_body_row + static_cast<int>(i);
        if (html != nullptr)
          CompareText("html", where_row + " name", name, html->Text(i, name_column), "row-name", out);
        if (md != nullptr) CompareText("md", where_row + " name", name, md->Text(i, name_column), "row-name", out);
        if (sheet != nullptr && html != nullptr) {
          std::optional<std::string> text = sheet->Text(xlsx_row, static_cast<int>(name_column));
          if (text.has_value()) text = StripIndent(*text);
          CompareText("xlsx", where_row + " name", name, text, "row-name", out);
        }
        if (!right && IsCoded(table)) {
          const std::string code = row.value("code", "");
          if (html != nullptr) CompareText("html", where_row + " code", code, html->Text(i, 0), "row-code", out);
          if (md != nullptr) CompareText("md", where_row + " code", code, md->Text(i, 0), "row-code", out);
          if (sheet != nullptr && html != nullptr && !code.empty()) {
            CompareText("xlsx", where_row + " code", code, sheet->Text(xlsx_row, 0), "row-code", out);
          }
        }
        const Json& cells = row["cells"];
        for (size_t c = 0; c < cells.size(); ++c) {
          const std::string display = cells[c]["display"].get<std::string>();
          expected_amounts.push_back(display);
          const std::string where = CellWhere(table, right, i, c);
          const size_t column = PrintedColumn(table, right, c);
          if (html != nullptr) CompareText("html", where, display, html->Text(i, column), "cell", out);
          if (md != nullptr) CompareText("md", where, display, md->Text(i, column), "cell", out);
          if (sheet != nullptr && html != nullptr) {
            const XlsxCell* cell = sheet->Cell(xlsx_row, static_cast<int>(column));
            const std::optional<int64_t> cents = ParseCents(display);
            if (cell == nullptr) {
              out.push_back({"P2", "cell", "xlsx", where, display, "(no such cell)"});
            } else if (!cell->numeric) {
              out.push_back({"P2", "cell-not-number", "xlsx", where, display, absl::StrCat("text «", cell->text, "»")});
            } else if (!cents.has_value() || std::llround(cell->number * 100) != *cents) {
              out.push_back({"P2", "cell", "xlsx", where, display, cell->text});
            }
          }
        }
      }
    }
    if (with_pdf) {
      std::multiset<std::string> expected(expected_amounts.begin(), expected_amounts.end());
      std::optional<std::pair<size_t, size_t>> region = TableRegion(pdf_lines, r.html.TableTitles(), anchor);
      if (!region.has_value()) {
        out.push_back({"P2", "pdf-title-missing", "pdf", title, "the title on a line of its own", "(not found)"});
        continue;
      }
      std::multiset<std::string> actual;
      for (size_t l = region->first; l < region->second; ++l) {
        for (const std::string& token : Tokens(pdf_lines[l])) {
          if (ParseCents(token).has_value()) actual.insert(token);
        }
      }
      if (actual != expected) {
        std::vector<std::string> missing, extra;
        std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(),
                            std::back_inserter(missing));
        std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(), std::back_inserter(extra));
        out.push_back({"P2", "pdf-table-amounts", "pdf",
                       absl::StrCat(title, " (text lines ", region->first + 1, "–", region->second, ")"),
                       absl::StrCat(expected.size(), " amounts; missing: ", absl::StrJoin(missing, " ")),
                       absl::StrCat(actual.size(), " amounts; not in the JSON: ", absl::StrJoin(extra, " "))});
      }
    }
  }
  return out;
}

std::optional<int64_t> FigureFen(const Json& json, const std::string& field);

// ---------------------------------------------------------------- P2: 表9/表10 forms

// 表9's funds block (万元) and 表10's project amounts (元): the multiset of
// amounts each format prints in that table's part equals the one computed
// from the JSON (figures, projects) and the budget's prior years (表9 also
// prints shares, which are not amounts; XLSX keeps them as fractions, so
// there the expected amounts need only be among the numbers).
Discrepancies CheckFormsAgreement(const Rendered& r, const gv1::Filing& filing, bool with_pdf) {
  Discrepancies out;
  const auto& titles = r.html.TableTitles();
  std::vector<std::string> pdf_lines;
  if (with_pdf) pdf_lines = absl::StrSplit(r.pdf_text, '\n');
  std::vector<std::pair<std::string, std::string>> cut = titles;
  cut.emplace_back("part-3", r.html.HeadingText("part-3"));
  for (const auto& [anchor, title] : titles) {
    const bool funds = absl::EndsWith(title, "整体支出绩效目标表");
    const bool projects = !funds && absl::EndsWith(title, "项目支出绩效目标表");
    if (!funds && !projects) continue;
    std::multiset<std::string> expected;
    if (projects) {
      for (const Json& project : r.json["projects"]) {
        for (const char* key : {"total_fen", "total_fiscal_fen", "total_other_fen", "year_total_fen", "year_fiscal_fen",
                                "year_other_fen"}) {
          expected.insert(YuanText(project[key]["fen"].get<int64_t>()));
        }
      }
    } else {
      const int64_t fiscal = FigureFen(r.json, "fiscal_total_fen").value_or(0);
      const int64_t income = FigureFen(r.json, "department_income_total_fen").value_or(0);
      for (int64_t fen : {fiscal, std::max<int64_t>(income - fiscal, 0), income,
                          FigureFen(r.json, "department_basic_fen").value_or(0),
                          FigureFen(r.json, "department_project_fen").value_or(0),
                          FigureFen(r.json, "department_expenditure_total_fen").value_or(0)}) {
        expected.insert(WanText(fen));
      }
      const int year = filing.budget().fiscal_year();
      for (const auto& f : filing.budget().prior_years().funds()) {
        if (f.year() != year - 1 && f.year() != year - 2) continue;
        for (int64_t fen : {f.fiscal_grant_fen(), f.other_fen(), f.fiscal_grant_fen() + f.other_fen(), f.basic_fen(),
                            f.project_fen(), f.basic_fen() + f.project_fen()}) {
          expected.insert(WanText(fen));
        }
      }
    }
    auto compare = [&](const std::string& format, const std::multiset<std::string>& actual, bool subset) {
      const bool ok =
          subset ? std::includes(actual.begin(), actual.end(), expected.begin(), expected.end()) : actual == expected;
      if (ok) return;
      std::vector<std::string> missing, extra;
      std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(), std::back_inserter(missing));
      std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(), std::back_inserter(extra));
      out.push_back({"P2", "form-amounts", format, title,
                     absl::StrCat(expected.size(), " amounts; missing: ", absl::StrJoin(missing, " ")),
                     absl::StrCat(actual.size(), " amounts; not expected: ", absl::StrJoin(extra, " "))});
    };
    auto amounts = [](const std::vector<std::string>& cells) {
      std::multiset<std::string> m;
      for (const std::string& c : cells) {
        if (IsAmount(c)) m.insert(c);
      }
      return m;
    };
    const auto html_cells = r.html.region_cells.find(anchor);
    compare("html",
            html_cells == r.html.region_cells.end() ? std::multiset<std::string>{} : amounts(html_cells->second),
            false);
    const auto md_cells = r.markdown.region_cells.find(title);
    compare("md", md_cells == r.markdown.region_cells.end() ? std::multiset<std::string>{} : amounts(md_cells->second),
            false);
    int sheet_number = 0;
    if (absl::SimpleAtoi(absl::StripPrefix(anchor, "table-"), &sheet_number)) {
      std::multiset<std::string> numbers;
      if (const XlsxSheet* sheet = r.xlsx.Sheet(sheet_number)) {
        for (const auto& [position, cell] : sheet->cells) {
          if (cell.numeric) numbers.insert(CentsText(std::llround(cell.number * 100)));
        }
      }
      compare("xlsx", numbers, funds);
    }
    if (with_pdf) {
      std::optional<std::pair<size_t, size_t>> region = TableRegion(pdf_lines, cut, anchor);
      if (!region.has_value()) {
        out.push_back({"P2", "pdf-title-missing", "pdf", title, "the title on a line of its own", "(not found)"});
        continue;
      }
      std::multiset<std::string> actual;
      for (size_t l = region->first; l < region->second; ++l) {
        for (const std::string& token : Tokens(pdf_lines[l])) {
          if (IsAmount(token)) actual.insert(token);
        }
      }
      compare("pdf", actual, false);
    }
  }
  for (const std::string& amount : r.html.unclassed_amounts) {
    out.push_back(
        {"P5", "html-amount-may-wrap", "html", "a <td> holding an amount", "class num (white-space: nowrap)", amount});
  }
  return out;
}

// ---------------------------------------------------------------- P2: narrative

void CollectParagraphs(const Json& items, const std::string& prefix,
                       std::vector<std::pair<std::string, std::string>>& out) {
  for (const Json& item : items) {
    const std::string heading = prefix + item["heading"].get<std::string>();
    for (const Json& p : item["paragraphs"]) out.emplace_back(heading, p.get<std::string>());
    if (item.contains("subitems")) CollectParagraphs(item["subitems"], heading + " / ", out);
  }
}

// Amounts (d+.dd not inside a longer number) in running text.
std::vector<std::string> AmountsInText(std::string_view text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    if (!IsDigit(text[i]) || (i > 0 && (IsDigit(text[i - 1]) || text[i - 1] == '.'))) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < text.size() && IsDigit(text[j])) ++j;
    if (j + 2 < text.size() + 0 && text[j] == '.' && IsDigit(text[j + 1]) && IsDigit(text[j + 2]) &&
        (j + 3 == text.size() || !IsDigit(text[j + 3]))) {
      out.emplace_back(text.substr(i, j + 3 - i));
      i = j + 3;
    } else {
      i = j;
    }
  }
  return out;
}

Discrepancies CheckNarrativeAgreement(const Rendered& r, bool with_pdf) {
  Discrepancies out;
  std::vector<std::pair<std::string, std::string>> paragraphs;
  CollectParagraphs(r.json["explanation"], "", paragraphs);
  const std::set<std::string> html(r.html.paragraphs.begin(), r.html.paragraphs.end());
  const std::set<std::string> md(r.markdown.paragraphs.begin(), r.markdown.paragraphs.end());
  std::multiset<std::string> expected;
  for (const auto& [heading, text] : paragraphs) {
    if (!html.count(text)) out.push_back({"P2", "paragraph", "html", heading, text, "(no such paragraph)"});
    if (!md.count(text)) out.push_back({"P2", "paragraph", "md", heading, text, "(no such paragraph)"});
    for (const std::string& amount : AmountsInText(text)) expected.insert(amount);
  }
  if (with_pdf) {
    const std::vector<std::string> lines = absl::StrSplit(r.pdf_text, '\n');
    // The part headings' last occurrences (the contents list them first).
    const std::string part3 = r.html.HeadingText("part-3");
    const std::string part4 = r.html.HeadingText("part-4");
    std::optional<size_t> from, to;
    for (size_t l = 0; l < lines.size(); ++l) {
      const std::string line(absl::StripAsciiWhitespace(lines[l]));
      if (line == part3) from = l;
      if (line == part4) to = l;
    }
    if (!from.has_value() || !to.has_value() || *to < *from) {
      out.push_back({"P2", "pdf-heading-missing", "pdf", "第三部分", part3 + " … " + part4, "(not found)"});
    } else {
      std::multiset<std::string> actual;
      for (size_t l = *from; l < *to; ++l) {
        for (const std::string& amount : AmountsInText(lines[l])) actual.insert(amount);
      }
      if (actual != expected) {
        std::vector<std::string> missing, extra;
        std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(),
                            std::back_inserter(missing));
        std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(), std::back_inserter(extra));
        out.push_back({"P2", "pdf-narrative-amounts", "pdf", part3,
                       absl::StrCat(expected.size(), " amounts; missing: ", absl::StrJoin(missing, " ")),
                       absl::StrCat(actual.size(), " amounts; not in the JSON: ", absl::StrJoin(extra, " "))});
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- P2: indicators

// "≥6" → {"≥", "6", ""}; "6以上" → {"", "6", "以上"}; nullopt for anything
// that is not one number with one operator.
struct OperatorValue {
  std::string prefix, number, suffix;
};

std::optional<OperatorValue> SplitOperatorValue(const std::string& value) {
  static const std::vector<std::string> kPrefixes = {"≥", "≤",      "＞",     "＜",     ">",     "<",
                                                     "=", "不少于", "不低于", "不超过", "不高于"};
  static const std::vector<std::string> kSuffixes = {"及以上", "以上", "以下", "以内"};
  OperatorValue out;
  std::string rest = value;
  for (const std::string& p : kPrefixes) {
    if (absl::StartsWith(rest, p)) {
      out.prefix = p;
      rest = rest.substr(p.size());
      break;
    }
  }
  for (const std::string& s : kSuffixes) {
    if (absl::EndsWith(rest, s)) {
      out.suffix = s;
      rest = rest.substr(0, rest.size() - s.size());
      break;
    }
  }
  if (out.prefix.empty() == out.suffix.empty()) return std::nullopt;  // exactly one operator
  if (rest.empty() || !std::all_of(rest.begin(), rest.end(), [](char c) { return IsDigit(c) || c == '.'; })) {
    return std::nullopt;
  }
  out.number = rest;
  return out;
}

Discrepancies CheckIndicatorUnits(const Rendered& r) {
  Discrepancies out;
  const std::set<std::string> html(r.html.cells.begin(), r.html.cells.end());
  const std::set<std::string> md(r.markdown.cells.begin(), r.markdown.cells.end());
  for (const Json& indicator : r.json["goals"]["indicators"]) {
    if (!indicator.contains("unit")) continue;
    const std::string unit = indicator["unit"].get<std::string>();
    std::vector<std::string> values = {indicator["target"].get<std::string>()};
    if (indicator.contains("history")) {
      for (const Json& h : indicator["history"]) values.push_back(h["value"].get<std::string>());
    }
    for (const std::string& value : values) {
      std::optional<OperatorValue> v = SplitOperatorValue(value);
      if (!v.has_value()) continue;
      const std::string expected = v->prefix + v->number + unit + v->suffix;
      const std::string where = absl::StrCat(indicator["path"].get<std::string>(), " «",
                                             indicator["name"].get<std::string>(), "» value «", value, "»");
      if (!html.count(expected)) {
        out.push_back({"P2", "indicator-unit-missing", "html", where, expected,
                       html.count(value) ? value : std::string("(no such cell)")});
      }
      if (!md.count(expected)) {
        out.push_back({"P2", "indicator-unit-missing", "md", where, expected,
                       md.count(value) ? value : std::string("(no such cell)")});
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- P2: year order

Discrepancies CheckYearOrder(const Rendered& r) {
  Discrepancies out;
  for (const std::vector<int>& years : r.html.header_year_rows) {
    if (!std::is_sorted(years.begin(), years.end())) {
      out.push_back({"P2", "year-order", "html", "表9/表10 header row", "oldest first", absl::StrJoin(years, ", ")});
    }
  }
  for (const std::vector<int>& years : r.markdown.header_year_rows) {
    if (!std::is_sorted(years.begin(), years.end())) {
      out.push_back({"P2", "year-order", "md", "表9/表10 header", "oldest first", absl::StrJoin(years, ", ")});
    }
  }
  for (const Json& indicator : r.json["goals"]["indicators"]) {
    if (!indicator.contains("history")) continue;
    std::vector<int> years;
    for (const Json& h : indicator["history"]) years.push_back(h["year"].get<int>());
    if (std::find(years.begin(), years.end(), 0) != years.end()) continue;
    if (!std::is_sorted(years.begin(), years.end())) {
      out.push_back({"P2", "year-order", "json", indicator["path"].get<std::string>() + ".history", "oldest first",
                     absl::StrJoin(years, ", ")});
    }
  }
  return out;
}

// ---------------------------------------------------------------- P3: sources

Discrepancies CheckSources(const Rendered& r, const gv1::Filing& filing) {
  Discrepancies out;
  const lv1::Budget& budget = filing.budget();
  // The lines as the CSV lists them.
  std::map<std::string, int64_t> csv_amounts;
  std::map<std::string, std::map<std::string, std::string>> csv_rows;
  for (const std::map<std::string, std::string>& row : r.csv.rows) {
    const auto id = row.find("line_id");
    if (id == row.end()) continue;
    int64_t fen = 0;
    const auto amount = row.find("amount_fen");
    if (amount == row.end() || !absl::SimpleAtoi(amount->second, &fen)) {
      out.push_back({"P3", "csv-amount", "csv", id->second, "amount_fen", "(unreadable)"});
      continue;
    }
    csv_amounts[id->second] = fen;
    csv_rows[id->second] = row;
  }
  // Every JSON line is a CSV row with the same amount, and the ledger's.
  std::set<std::string> json_ids;
  for (const Json& line : r.json["lines"]) {
    const std::string id = line["id"].get<std::string>();
    json_ids.insert(id);
    const int64_t fen = line["amount_fen"].get<int64_t>();
    const auto it = csv_amounts.find(id);
    if (it == csv_amounts.end()) {
      out.push_back({"P3", "csv-line-missing", "csv", id, absl::StrCat(fen), "(no row)"});
      continue;
    }
    if (it->second != fen) out.push_back({"P3", "csv-amount", "csv", id, absl::StrCat(fen), absl::StrCat(it->second)});
    const auto& row = csv_rows[id];
    const auto yuan = row.find("amount_yuan");
    if (yuan == row.end() || yuan->second != YuanText(fen)) {
      out.push_back({"P3", "csv-amount-yuan", "csv", id, YuanText(fen), yuan == row.end() ? "(none)" : yuan->second});
    }
    if (row.count("direction") && row.at("direction") == "expenditure") {
      for (const char* field : {"functional_name", "economic_name"}) {
        const std::string code_field = std::string(field).substr(0, std::string(field).find('_')) + "_code";
        if (row.count(code_field) && !row.at(code_field).empty() && (!row.count(field) || row.at(field).empty())) {
          out.push_back(
              {"P3", "csv-name-empty", "csv",
               absl::StrCat(id, " ", field, " (", row.count("kind") ? row.at("kind") : "", " ", line.value("kind", ""),
                            ", ", code_field, " ", row.at(code_field), ", edition ", budget.catalogue_edition(), ")"),
               "the catalogue name", "(empty)"});
        }
      }
    }
  }
  if (json_ids.size() != csv_amounts.size()) {
    out.push_back(
        {"P3", "csv-line-count", "csv", "rows", absl::StrCat(json_ids.size()), absl::StrCat(csv_amounts.size())});
  }
  const int lines_expected = budget.income_lines_size() + budget.expenditure_lines_size();
  if (static_cast<int>(json_ids.size()) != lines_expected) {
    out.push_back(
        {"P3", "json-line-count", "json", "lines", absl::StrCat(lines_expected), absl::StrCat(json_ids.size())});
  }
  auto sum_of = [&](const Json& ids, std::string& unknown) {
    int64_t sum = 0;
    for (const Json& id : ids) {
      const auto it = csv_amounts.find(id.get<std::string>());
      if (it == csv_amounts.end()) {
        unknown = id.get<std::string>();
      } else {
        sum += it->second;
      }
    }
    return sum;
  };
  auto check_amount = [&](const Json& amount, const std::string& where, bool stated) {
    const int64_t fen = amount["fen"].get<int64_t>();
    const std::string display = amount["display"].get<std::string>();
    if (display != WanText(fen)) out.push_back({"P3", "display", "json", where, WanText(fen), display});
    if (amount.contains("lines")) {
      std::string unknown;
      const int64_t sum = sum_of(amount["lines"], unknown);
      if (!unknown.empty()) out.push_back({"P3", "unknown-line", "json", where, "a CSV line_id", unknown});
      if (sum != fen) {
        out.push_back({"P3", "sum-of-lines", "json", where,
                       absl::StrCat(sum, " 分 (Σ ", amount["lines"].size(), " lines)"), absl::StrCat(fen, " 分")});
      }
    } else if (fen != 0 && !stated) {
      out.push_back({"P3", "cell-unsourced", "json", where, "the lines it adds up", "(no lines)"});
    }
  };
  for (const Json& table : r.json["tables"]) {
    const bool stated = table["source_table"].get<int>() == 4;  // 三公: stated in the budget
    for (bool right : {false, true}) {
      const char* key = right ? "right_rows" : "rows";
      if (!table.contains(key)) continue;
      for (size_t i = 0; i < table[key].size(); ++i) {
        const Json& cells = table[key][i]["cells"];
        for (size_t c = 0; c < cells.size(); ++c) check_amount(cells[c], CellWhere(table, right, i, c), stated);
      }
    }
  }
  for (const Json& figure : r.json["figures"]) {
    const std::string field = figure["field"].get<std::string>();
    // 三公 figures are what the budget states (R-T4-*), not line sums.
    const bool stated = absl::StartsWith(field, "three_public");
    if (figure.contains("lines") && figure["lines"].empty() && figure["fen"].get<int64_t>() != 0 && !stated) {
      out.push_back({"P3", "figure-unsourced", "json", "figures " + field, "the lines it adds up", "(no lines)"});
    } else {
      check_amount(figure, "figures " + field, stated);
    }
  }
  // 第三部分: a figure names a summary field (then its lines), or the budget
  // field it states.
  std::map<std::string, int64_t> budget_fields = {
      {"budget.three_public.current.overseas_fen", budget.three_public().current().overseas_fen()},
      {"budget.three_public.current.vehicle_purchase_fen", budget.three_public().current().vehicle_purchase_fen()},
      {"budget.three_public.current.vehicle_operation_fen", budget.three_public().current().vehicle_operation_fen()},
      {"budget.three_public.current.reception_fen", budget.three_public().current().reception_fen()},
  };
  int64_t procurement = 0, goods = 0, works = 0, services = 0, purchase = 0;
  for (const auto& line : budget.procurement_lines()) {
    procurement += line.amount_fen();
    if (line.category() == lv1::PROCUREMENT_CATEGORY_GOODS) goods += line.amount_fen();
    if (line.category() == lv1::PROCUREMENT_CATEGORY_WORKS) works += line.amount_fen();
    if (line.category() == lv1::PROCUREMENT_CATEGORY_SERVICES) services += line.amount_fen();
  }
  for (const auto& line : budget.service_purchase_lines()) purchase += line.amount_fen();
  budget_fields["budget.procurement_lines"] = procurement;
  budget_fields["budget.procurement_lines[PROCUREMENT_CATEGORY_GOODS]"] = goods;
  budget_fields["budget.procurement_lines[PROCUREMENT_CATEGORY_WORKS]"] = works;
  budget_fields["budget.procurement_lines[PROCUREMENT_CATEGORY_SERVICES]"] = services;
  budget_fields["budget.service_purchase_lines"] = purchase;
  std::function<void(const Json&, const std::string&)> walk = [&](const Json& items, const std::string& prefix) {
    for (const Json& item : items) {
      const std::string heading = prefix + item["heading"].get<std::string>();
      for (const Json& figure : item["figures"]) {
        const std::string name = figure.value("name", "");
        const std::string where = absl::StrCat(heading, " figure «", name, "» ", figure["display"].get<std::string>());
        const int64_t fen = figure["fen"].get<int64_t>();
        if (figure.contains("budget_field")) {
          // One field of the budget, or a sum of fields joined by " + ".
          const std::string field = figure["budget_field"].get<std::string>();
          int64_t sum = 0;
          bool known = true;
          for (absl::string_view part : absl::StrSplit(field, " + ")) {
            const auto it = budget_fields.find(std::string(part));
            if (it == budget_fields.end()) {
              out.push_back({"P3", "unknown-budget-field", "json", where, "a field of the budget", std::string(part)});
              known = false;
            } else {
              sum += it->second;
            }
          }
          if (known && sum != fen) {
            out.push_back({"P3", "budget-field", "json", where + " " + field, absl::StrCat(sum), absl::StrCat(fen)});
          }
          if (figure["display"].get<std::string>() != WanText(fen)) {
            out.push_back({"P3", "display", "json", where, WanText(fen), figure["display"].get<std::string>()});
          }
        } else if (figure.contains("field")) {
          const bool stated = absl::StartsWith(figure["field"].get<std::string>(), "three_public");
          check_amount(figure, where + " " + figure["field"].get<std::string>(), stated);
        } else if (fen != 0) {
          out.push_back({"P3", "figure-unsourced", "json", where, "a field and its lines", "(neither)"});
        }
      }
      if (item.contains("subitems")) walk(item["subitems"], heading + " / ");
    }
  };
  walk(r.json["explanation"], "");
  // 表10: a project's amounts are the budget's, and its ledger lines add up
  // to its 当年资金总额 (R-T10-4).
  for (const Json& project : r.json["projects"]) {
    const std::string id = project["project_id"].get<std::string>();
    for (const char* key :
         {"total_fen", "total_fiscal_fen", "total_other_fen", "year_total_fen", "year_fiscal_fen", "year_other_fen"}) {
      const int64_t fen = project[key]["fen"].get<int64_t>();
      if (project[key]["display"].get<std::string>() != YuanText(fen)) {
        out.push_back({"P3", "display", "json", absl::StrCat("projects ", id, " ", key), YuanText(fen),
                       project[key]["display"].get<std::string>()});
      }
    }
    std::string unknown;
    const int64_t sum = sum_of(project["ledger_lines"], unknown);
    if (sum != project["ledger_fen"].get<int64_t>() || sum != project["year_total_fen"]["fen"].get<int64_t>()) {
      out.push_back({"P3", "sum-of-lines", "json", absl::StrCat("projects ", id, " ledger_lines"),
                     absl::StrCat(project["year_total_fen"]["fen"].get<int64_t>()), absl::StrCat(sum)});
    }
  }
  return out;
}

// The data package describes the CSV and the JSON rendered with it: each
// resource's byte count and SHA-256 are those files'.
Discrepancies CheckDataPackage(const Rendered& r) {
  Discrepancies out;
  const auto package_file = r.files.find(rv1::FORMAT_DATA_PACKAGE);
  if (package_file == r.files.end()) return out;
  const Json package = Json::parse(package_file->second, nullptr, /*allow_exceptions=*/false);
  if (package.is_discarded() || !package.contains("resources")) {
    out.push_back({"P3", "datapackage", "datapackage.json", "whole file", "JSON with resources", "(unreadable)"});
    return out;
  }
  for (const auto& [format, name] : {std::pair<rv1::Format, const char*>{rv1::FORMAT_CSV, "csv"},
                                     std::pair<rv1::Format, const char*>{rv1::FORMAT_JSON, "json"}}) {
    const std::string& content = r.files.at(format);
    const Json* resource = nullptr;
    for (const Json& entry : package["resources"]) {
      if (entry.value("format", "") == name) resource = &entry;
    }
    if (resource == nullptr) {
      out.push_back({"P3", "datapackage", "datapackage.json", absl::StrCat("resource ", name), "present", "(none)"});
      continue;
    }
    const std::string hash = "sha256:" + yusuan::Sha256Hex(content);
    if (resource->value("hash", "") != hash) {
      out.push_back({"P3", "datapackage", "datapackage.json", absl::StrCat("resource ", name, " hash"), hash,
                     resource->value("hash", "")});
    }
    if (!resource->contains("bytes") || (*resource)["bytes"].get<size_t>() != content.size()) {
      out.push_back({"P3", "datapackage", "datapackage.json", absl::StrCat("resource ", name, " bytes"),
                     absl::StrCat(content.size()),
                     resource->contains("bytes") ? (*resource)["bytes"].dump() : "(none)"});
    }
  }
  return out;
}

// ---------------------------------------------------------------- P4: year on year

enum class Subject { kGeneral, kThreePublic, kOverseas, kVehicle, kReception, kFund, kDepartment, kMachinery };

const char* SubjectName(Subject s) {
  switch (s) {
    case Subject::kGeneral:
      return "一般公共预算本年预算";
    case Subject::kThreePublic:
      return "“三公”经费";
    case Subject::kOverseas:
      return "因公出国（境）费";
    case Subject::kVehicle:
      return "公务用车购置及运行费";
    case Subject::kReception:
      return "公务接待费";
    case Subject::kFund:
      return "政府性基金预算支出";
    case Subject::kDepartment:
      return "部门收支总预算";
    case Subject::kMachinery:
      return "机关运行经费";
  }
  return "?";
}

// The subject of a comparison from the words before it, and the word
// after which its current amount is stated.
std::optional<std::pair<Subject, std::string>> SubjectOf(const std::string& before) {
  static const std::vector<std::pair<std::string, Subject>> kWords = {
      {"因公出国（境）费", Subject::kOverseas}, {"公务用车购置及运行费", Subject::kVehicle},
      {"公务接待费", Subject::kReception},      {"“三公”经费", Subject::kThreePublic},
      {"政府性基金预算支出", Subject::kFund},   {"机关运行经费", Subject::kMachinery},
      {"本年预算", Subject::kGeneral},          {"收支总预算", Subject::kDepartment},
      {"收支预算总计", Subject::kDepartment}};
  for (const auto& [word, subject] : kWords) {
    if (before.find(word) != std::string::npos) return std::make_pair(subject, word);
  }
  return std::nullopt;
}

struct Phrase {
  size_t begin = 0, end = 0;
  std::string kind;  // increase, decrease, new, flat, absent
  std::string delta, rate;
  bool budget = false;  // 比{Y-1}年预算 rather than 比上年
};

// The comparison phrases of a paragraph with its ASCII blanks removed.
std::vector<Phrase> FindPhrases(const std::string& text) {
  std::vector<Phrase> out;
  size_t i = 0;
  auto starts = [&](size_t at, std::string_view word) { return text.compare(at, word.size(), word) == 0; };
  auto number = [&](size_t& at) {
    size_t j = at;
    while (j < text.size() && (IsDigit(text[j]) || text[j] == '.')) ++j;
    std::string n = text.substr(at, j - at);
    at = j;
    return n;
  };
  while (i < text.size()) {
    Phrase p;
    p.begin = i;
    size_t j = i;
    if (starts(i, "与上年持平")) {
      p.kind = "flat";
      p.end = i + std::string_view("与上年持平").size();
      out.push_back(p);
      i = p.end;
      continue;
    }
    if (starts(i, "上年无可比预算数")) {
      p.kind = "absent";
      p.budget = true;
      p.end = i + std::string_view("上年无可比预算数").size();
      out.push_back(p);
      i = p.end;
      continue;
    }
    if (starts(i, "比上年")) {
      j = i + std::string_view("比上年").size();
    } else if (starts(i, "比") && j + 3 < text.size() && IsDigit(text[i + 3])) {
      j = i + 3;
      number(j);
      if (!starts(j, "年预算")) {
        ++i;
        continue;
      }
      j += std::string_view("年预算").size();
      p.budget = true;
    } else {
      ++i;
      continue;
    }
    if (starts(j, "增加")) p.kind = "increase";
    if (starts(j, "减少")) p.kind = "decrease";
    if (starts(j, "新增")) p.kind = "new";
    if (p.kind.empty()) {
      ++i;
      continue;
    }
    j += std::string_view("增加").size();
    p.delta = number(j);
    if (starts(j, "万元")) j += std::string_view("万元").size();
    if (starts(j, "，增长") || starts(j, "，下降")) {
      j += std::string_view("，增长").size();
      p.rate = number(j);
      if (starts(j, "%")) ++j;
    }
    p.end = j;
    out.push_back(p);
    i = j;
  }
  return out;
}

std::string RemoveBlanks(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c != ' ') out += c;
  }
  return out;
}

// What F4 makes of a current and a prior figure (displayed 万元).
Phrase ExpectedPhrase(int64_t current_fen, int64_t prior_fen) {
  Phrase p;
  const int64_t cur = WanCents(current_fen), prev = WanCents(prior_fen);
  const int64_t delta = cur - prev;
  const int64_t magnitude = delta < 0 ? -delta : delta;
  if (delta == 0) {
    p.kind = "flat";
  } else if (prev == 0) {
    p.kind = "new";
    p.delta = CentsText(magnitude);
  } else {
    p.kind = delta > 0 ? "increase" : "decrease";
    p.delta = CentsText(magnitude);
    // r2(|Δ| / prev × 100), half-up, in hundredths of a percent.
    const __int128 scaled = static_cast<__int128>(magnitude) * 10000 * 2 / prev;
    p.rate = CentsText(static_cast<int64_t>((scaled + 1) / 2));
  }
  return p;
}

std::string Describe(const Phrase& p) {
  if (p.kind == "flat" || p.kind == "absent") return p.kind;
  return absl::StrCat(p.kind, " ", p.delta, p.rate.empty() ? "" : absl::StrCat(" ", p.rate, "%"));
}

// The cell of a JSON table (by source table) in the row whose name is
// `row_name` (the first such row; "" = the last total row of the side).
std::optional<int64_t> TableCell(const Json& tables, int source, bool right, const std::string& row_name,
                                 size_t column) {
  for (const Json& table : tables) {
    if (table["source_table"].get<int>() != source) continue;
    const char* key = right ? "right_rows" : "rows";
    if (!table.contains(key)) return std::nullopt;
    const Json* found = nullptr;
    for (const Json& row : table[key]) {
      if (row_name.empty() ? row.value("total", false) : row["name"].get<std::string>() == row_name) {
        found = &row;
        if (!row_name.empty()) break;
      }
    }
    if (found == nullptr || column >= (*found)["cells"].size()) return std::nullopt;
    return (*found)["cells"][column]["fen"].get<int64_t>();
  }
  return std::nullopt;
}

std::optional<int64_t> FigureFen(const Json& json, const std::string& field) {
  for (const Json& f : json["figures"]) {
    if (f["field"].get<std::string>() == field) return f["fen"].get<int64_t>();
  }
  return std::nullopt;
}

Discrepancies CheckYearOnYear(const Rendered& r, const gv1::Filing& filing) {
  Discrepancies out;
  const lv1::Budget& budget = filing.budget();
  const auto& prior = budget.prior_years();
  const auto& three = budget.three_public();
  const Json& tables = r.json["tables"];
  struct Figures {
    std::optional<int64_t> current;
    std::optional<int64_t> prior;
  };
  std::map<Subject, Figures> figures;
  // 表1: 一般公共预算拨款收入 of 本年收入 (the first row of that name).
  figures[Subject::kGeneral] = {
      TableCell(tables, 1, false, "（一）一般公共预算拨款收入", 0),
      prior.has_general_budget_fen() ? std::optional<int64_t>(prior.general_budget_fen()) : std::nullopt};
  // 表4: 合计, 因公出国（境）费, 公务用车购置及运行费 小计, 公务接待费.
  const auto& p = three.prior();
  std::optional<int64_t> prior_total;
  if (three.has_prior()) {
    prior_total = p.has_total_fen()
                      ? p.total_fen()
                      : p.overseas_fen() + p.vehicle_purchase_fen() + p.vehicle_operation_fen() + p.reception_fen();
  }
  auto if_prior = [&](int64_t v) { return three.has_prior() ? std::optional<int64_t>(v) : std::nullopt; };
  // 表4's row of the budget year ("2021年预算数"; the prior year's row is above it).
  const std::string this_year = absl::StrCat(budget.fiscal_year(), "年预算数");
  figures[Subject::kThreePublic] = {TableCell(tables, 4, false, this_year, 0), prior_total};
  figures[Subject::kOverseas] = {TableCell(tables, 4, false, this_year, 1), if_prior(p.overseas_fen())};
  figures[Subject::kVehicle] = {TableCell(tables, 4, false, this_year, 2),
                                if_prior(p.vehicle_purchase_fen() + p.vehicle_operation_fen())};
  figures[Subject::kReception] = {TableCell(tables, 4, false, this_year, 5), if_prior(p.reception_fen())};
  figures[Subject::kFund] = {
      TableCell(tables, 5, false, "", 0),
      prior.has_government_fund_fen() ? std::optional<int64_t>(prior.government_fund_fen()) : std::nullopt};
  figures[Subject::kDepartment] = {
      TableCell(tables, 6, false, "", 0),
      prior.has_department_total_fen() ? std::optional<int64_t>(prior.department_total_fen()) : std::nullopt};
  figures[Subject::kMachinery] = {
      FigureFen(r.json, "machinery_operating_fen"),
      prior.has_machinery_operating_fen() ? std::optional<int64_t>(prior.machinery_operating_fen()) : std::nullopt};

  std::vector<std::pair<std::string, std::string>> paragraphs;
  CollectParagraphs(r.json["explanation"], "", paragraphs);
  std::map<Subject, int> phrases_seen;
  for (const auto& [heading, original] : paragraphs) {
    const std::string text = RemoveBlanks(original);
    size_t from = 0;
    for (const Phrase& phrase : FindPhrases(text)) {
      const std::string before = text.substr(from, phrase.begin - from);
      from = phrase.end;
      const std::string where = absl::StrCat(heading, ": «", text.substr(0, phrase.end), "»");
      std::optional<std::pair<Subject, std::string>> subject = SubjectOf(before);
      if (!subject.has_value()) {
        out.push_back({"P4", "yoy-subject-unknown", "json", where, "a known subject", before});
        continue;
      }
      ++phrases_seen[subject->first];
      const Figures& f = figures[subject->first];
      if (!f.current.has_value()) {
        out.push_back({"P4", "yoy-no-table-figure", "json", where, SubjectName(subject->first), "(no table cell)"});
        continue;
      }
      // The current amount as stated (none in "没有…的支出": zero).
      const std::string after_word = before.substr(before.find(subject->second) + subject->second.size());
      const std::vector<std::string> amounts = AmountsInText(after_word);
      const std::string stated = amounts.empty() ? "0.00" : amounts.front();
      if (stated != WanText(*f.current)) {
        out.push_back({"P4", "yoy-current", "json", where, WanText(*f.current), stated});
      }
      if (!f.prior.has_value()) {
        if (phrase.kind != "absent") {
          out.push_back({"P4", "yoy-without-prior", "json", where, "no comparison (prior unknown)", Describe(phrase)});
        }
        continue;
      }
      const Phrase expected = ExpectedPhrase(*f.current, *f.prior);
      if (Describe(expected) != Describe(phrase)) {
        out.push_back({"P4", "yoy", "json",
                       absl::StrCat(where, " (", WanText(*f.current), " vs prior ", WanText(*f.prior), ")"),
                       Describe(expected), Describe(phrase)});
      }
    }
  }
  // The sentences that always compare: 本年预算 (二) and 部门收支总预算 (六),
  // and the 三公 and 机关运行经费 sentences when the prior year is known.
  for (Subject s : {Subject::kGeneral, Subject::kDepartment}) {
    if (phrases_seen[s] != 1) {
      out.push_back({"P4", "yoy-count", "json", SubjectName(s), "one comparison", absl::StrCat(phrases_seen[s])});
    }
  }
  if (figures[Subject::kThreePublic].prior.has_value() && phrases_seen[Subject::kThreePublic] != 1) {
    out.push_back({"P4", "yoy-count", "json", SubjectName(Subject::kThreePublic), "one comparison",
                   absl::StrCat(phrases_seen[Subject::kThreePublic])});
  }
  // 机关运行经费 (九(一)) when its sentence states it, 政府性基金 (五) when it
  // spends: compared when the prior year is known.
  // The sentence states an amount right after the words (本级 or 含所属单位
  // alike); "本部门无机关运行经费" does not.
  const std::string all_text = RemoveBlanks(r.json["explanation"].dump());
  const std::string_view kMachineryWords = "机关运行经费";
  bool machinery_stated = false;
  for (size_t at = all_text.find(kMachineryWords); at != std::string::npos;
       at = all_text.find(kMachineryWords, at + 1)) {
    const size_t next = at + kMachineryWords.size();
    machinery_stated = machinery_stated || (next < all_text.size() && IsDigit(all_text[next]));
  }
  if (machinery_stated && figures[Subject::kMachinery].prior.has_value() && phrases_seen[Subject::kMachinery] != 1) {
    out.push_back({"P4", "yoy-count", "json", SubjectName(Subject::kMachinery), "one comparison",
                   absl::StrCat(phrases_seen[Subject::kMachinery])});
  }
  if (figures[Subject::kFund].current.value_or(0) != 0 && figures[Subject::kFund].prior.has_value() &&
      phrases_seen[Subject::kFund] != 1) {
    out.push_back({"P4", "yoy-count", "json", SubjectName(Subject::kFund), "one comparison",
                   absl::StrCat(phrases_seen[Subject::kFund])});
  }
  return out;
}

// ---------------------------------------------------------------- P5: wrapping

Discrepancies CheckPdfWrapping(const Rendered& r) {
  Discrepancies out;
  const std::vector<std::string> lines = absl::StrSplit(r.pdf_text, '\n');
  for (size_t l = 0; l < lines.size(); ++l) {
    for (const std::string& token : Tokens(lines[l])) {
      const size_t dot = token.find('.');
      if (dot == std::string::npos || dot == 0) continue;
      const bool digits = std::all_of(token.begin(), token.begin() + static_cast<long>(dot), IsDigit) &&
                          std::all_of(token.begin() + static_cast<long>(dot) + 1, token.end(), IsDigit);
      if (digits && token.size() - dot - 1 < 2) {
        const std::string next = l + 1 < lines.size() ? std::string(absl::StripAsciiWhitespace(lines[l + 1])) : "";
        out.push_back({"P5", "pdf-amount-split", "pdf",
                       absl::StrCat("text line ", l + 1, " «", absl::StripAsciiWhitespace(lines[l]), "»"),
                       "an amount on one line", absl::StrCat("«", token, "» then «", next.substr(0, 60), "»")});
      }
    }
  }
  return out;
}

Discrepancies CheckStrayBlanks(const Rendered& r) {
  Discrepancies out;
  for (const std::string& p : r.html.paragraphs) {
    const std::vector<char32_t> cps = DecodeUtf8(p);
    for (size_t i = 1; i + 1 < cps.size(); ++i) {
      if (cps[i] == U' ' && IsCjk(cps[i - 1]) && IsCjk(cps[i + 1])) {
        out.push_back({"P5", "stray-blank", "html", "paragraph «" + p.substr(0, 120) + "»",
                       "no blank between Chinese characters", "a blank"});
        break;
      }
    }
  }
  return out;
}

// wuhan-district-2021 sets an Arabic number off from Chinese text by one
// blank on each side ("2021 年", "经费 238.00 万元"; set README).
Discrepancies CheckNumberSpacing(const Rendered& r) {
  Discrepancies out;
  std::vector<std::pair<std::string, std::string>> paragraphs;
  CollectParagraphs(r.json["explanation"], "", paragraphs);
  for (const auto& [heading, text] : paragraphs) {
    const std::vector<char32_t> cps = DecodeUtf8(text);
    auto ideograph = [](char32_t c) { return c >= 0x4E00 && c <= 0x9FFF; };
    for (size_t i = 0; i < cps.size(); ++i) {
      if (cps[i] > 0x7F || !IsDigit(static_cast<char>(cps[i]))) continue;
      size_t j = i;
      // Digits and a decimal point; "%" after them is a symbol ("已 100%完成").
      while (j < cps.size() && cps[j] < 0x80 && (IsDigit(static_cast<char>(cps[j])) || cps[j] == U'.')) ++j;
      const bool glued_before = i > 0 && ideograph(cps[i - 1]);
      const bool glued_after = j < cps.size() && ideograph(cps[j]);
      if (glued_before || glued_after) {
        std::string number;
        for (size_t k = i; k < j; ++k) number += static_cast<char>(cps[k]);
        out.push_back({"P5", "number-spacing", "json", heading + ": «" + text.substr(0, 160) + "»",
                       "a blank on each side of " + number,
                       glued_before ? "glued to the character before" : "glued to the character after"});
        break;
      }
      i = j;
    }
  }
  return out;
}

// ---------------------------------------------------------------- P6: leftovers

struct Identity {
  std::string full_name, short_name, agency_code;
  std::vector<std::string> project_names;
};

Identity IdentityOf(const gv1::Filing& f) {
  Identity id;
  id.full_name = f.department().full_name();
  id.short_name = f.department().short_name();
  id.agency_code = f.department().agency_code();
  for (const auto& p : f.budget().projects()) id.project_names.push_back(p.name());
  return id;
}

bool ContainsNumber(const std::string& haystack, const std::string& number) {
  size_t at = 0;
  while ((at = haystack.find(number, at)) != std::string::npos) {
    const bool left = at == 0 || !IsDigit(haystack[at - 1]);
    const bool right = at + number.size() >= haystack.size() || !IsDigit(haystack[at + number.size()]);
    if (left && right) return true;
    ++at;
  }
  return false;
}

Discrepancies CheckNoLeftovers(const Rendered& r, const std::string& own_filing_text,
                               const std::vector<std::pair<int, Identity>>& others) {
  Discrepancies out;
  std::vector<std::pair<std::string, std::string>> texts = {
      {"html", r.files.count(rv1::FORMAT_HTML) ? r.files.at(rv1::FORMAT_HTML) : ""},
      {"md", r.files.count(rv1::FORMAT_MARKDOWN) ? r.files.at(rv1::FORMAT_MARKDOWN) : ""},
      {"json", r.files.count(rv1::FORMAT_JSON) ? r.files.at(rv1::FORMAT_JSON) : ""},
      {"csv", r.files.count(rv1::FORMAT_CSV) ? r.files.at(rv1::FORMAT_CSV) : ""},
      {"xlsx", r.xlsx.AllText()},
      {"pdf", RemoveWhitespace(r.pdf_text)},
  };
  for (const auto& [index, other] : others) {
    std::vector<std::pair<std::string, std::string>> needles = {{"full name", other.full_name},
                                                                {"short name", other.short_name}};
    for (const std::string& p : other.project_names) needles.emplace_back("project", p);
    for (const auto& [format, text] : texts) {
      for (const auto& [what, needle] : needles) {
        if (needle.empty() || own_filing_text.find(needle) != std::string::npos) continue;
        const std::string& n = format == "pdf" ? RemoveWhitespace(needle) : needle;
        if (text.find(n) != std::string::npos) {
          out.push_back({"P6", "leftover", format, absl::StrCat(what, " of department ", index), "absent", needle});
        }
      }
      if (!other.agency_code.empty() && !ContainsNumber(own_filing_text, other.agency_code) &&
          ContainsNumber(text, other.agency_code)) {
        out.push_back(
            {"P6", "leftover", format, absl::StrCat("agency code of department ", index), "absent", other.agency_code});
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- the run

struct DepartmentResult {
  Discrepancies found;
  double seconds = 0;
};

class FormatAgreementTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<CatalogueSet> loaded = LoadPropertyCatalogues();
    if (!loaded.ok()) {
      *setup_error_ = std::string(loaded.status().message());
      return;
    }
    SynthOptions options;
    options.seed = Seed();
    absl::StatusOr<Synthesizer> synthesizer = Synthesizer::Create(*loaded, options);
    if (!synthesizer.ok()) {
      *setup_error_ = std::string(synthesizer.status().message());
      return;
    }
    const int n = DepartmentCount();
    std::vector<gv1::Filing> filings;
    for (int i = 0; i < n; ++i) {
      absl::StatusOr<gv1::Filing> filing = synthesizer->Synthesize(i);
      if (!filing.ok()) {
        *setup_error_ = absl::StrCat("department ", i, ": ", filing.status().message());
        return;
      }
      yusuan::gateway::FillFilingNames(*filing);
      filings.push_back(std::move(*filing));
    }
    std::vector<Identity> identities;
    for (const gv1::Filing& f : filings) identities.push_back(IdentityOf(f));

    const std::string scratch = MakeScratchDirectory();
    const char* dump = std::getenv("YUSUAN_PROPERTY_DUMP_DIR");
    for (int i = 0; i < n; ++i) {
      const gv1::Filing& filing = filings[static_cast<size_t>(i)];
      Discrepancies found;
      rv1::ReportInput input;
      *input.mutable_department() = filing.department();
      *input.mutable_budget() = filing.budget();
      *input.mutable_goals() = filing.goals();
      UseOperatorValues(*input.mutable_goals());
      input.set_publish_time_unix_ms(int64_t{1612137600000});  // 2021-02-01, any fixed time
      const ledger::Catalogue* catalogue = loaded->Find(filing.budget().catalogue_edition());
      std::optional<PhaseTimer> projection_timer(std::in_place, "project (ComputeTables + AddSources)");
      absl::StatusOr<lv1::BudgetTables> tables =
          catalogue == nullptr ? absl::NotFoundError("no catalogue")
                               : ledger::ComputeTables(filing.department(), filing.budget(), *catalogue);
      absl::Status traced =
          tables.ok() ? ledger::AddSources(filing.department(), filing.budget(), *catalogue, *tables) : tables.status();
      projection_timer.reset();
      if (!traced.ok()) {
        found.push_back({"P1", "projection", "ledger", "ComputeTables/AddSources", "OK", traced.ToString()});
      } else {
        *input.mutable_tables() = std::move(*tables);
        std::string own;
        (void)google::protobuf::util::MessageToJsonString(filing, &own);
        // What department i may legitimately print: its filing, and the
        // catalogue names of its table rows (a 项 may share its name with
        // another department's project).
        for (const lv1::BudgetTable& table : input.tables().tables()) {
          for (const auto* rows : {&table.rows(), &table.right_rows()}) {
            for (const lv1::TableRow& row : *rows) absl::StrAppend(&own, "\n", row.name());
          }
        }
        std::vector<std::pair<int, Identity>> others;
        // i − 1 is the department rendered just before (state left over
        // from a render shows there); the others are any departments.
        for (int step : {-1, 1, 2, 7, 31}) {
          const int j = ((i + step) % n + n) % n;
          if (j != i) others.emplace_back(j, identities[static_cast<size_t>(j)]);
        }
        for (size_t s = 0; s < kSets.size(); ++s) {
          input.set_template_set(kSets[s]);
          const bool pdf = RendersPdf(i, static_cast<int>(s));
          Rendered rendered;
          Discrepancies part = RenderAll(input, pdf, scratch, rendered);
          if (dump != nullptr) DumpFiles(rendered, dump, i, kSets[s]);
          if (part.empty()) {
            PhaseTimer timer("checks");
            const bool with_pdf = pdf && !rendered.pdf_text.empty();
            for (Discrepancies more :
                 {CheckTableAgreement(rendered, with_pdf), CheckNarrativeAgreement(rendered, with_pdf),
                  CheckFormsAgreement(rendered, filing, with_pdf),
                  s == 0 ? CheckNumberSpacing(rendered) : Discrepancies{}, CheckIndicatorUnits(rendered),
                  CheckYearOrder(rendered), CheckSources(rendered, filing), CheckDataPackage(rendered),
                  CheckYearOnYear(rendered, filing), with_pdf ? CheckPdfWrapping(rendered) : Discrepancies{},
                  CheckStrayBlanks(rendered), CheckNoLeftovers(rendered, own, others)}) {
              part.insert(part.end(), more.begin(), more.end());
            }
          }
          for (Discrepancy& d : part) d.set = kSets[s];
          found.insert(found.end(), part.begin(), part.end());
          if (pdf) ++(*pdf_renders_);
        }
      }
      for (Discrepancy& d : found) d.department = i;
      all_->insert(all_->end(), found.begin(), found.end());
    }
    std::filesystem::remove_all(scratch);
    *departments_ = n;
    *seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << "format agreement: " << n << " departments (seed " << Seed() << "), " << *pdf_renders_ << " PDFs, "
              << *seconds_ << " s\n";
    for (const auto& [phase, seconds] : PhaseSeconds()) std::cout << "  " << phase << ": " << seconds << " s\n";
  }

  static void DumpFiles(const Rendered& r, const std::string& dir, int index, const std::string& set) {
    std::filesystem::create_directories(dir);
    for (const auto& [format, content] : r.files) {
      std::ofstream(absl::StrCat(dir, "/d", index, "-", set, ".", FormatName(format)), std::ios::binary) << content;
    }
    if (!r.pdf_text.empty()) std::ofstream(absl::StrCat(dir, "/d", index, "-", set, ".pdf.txt")) << r.pdf_text;
  }

  void SetUp() override { ASSERT_TRUE(setup_error_->empty()) << *setup_error_; }

  // The discrepancies of one property that no known defect explains.
  static Discrepancies Unexpected(const std::string& property) {
    Discrepancies out;
    for (const Discrepancy& d : *all_) {
      if (d.property == property && KnownDefectOf(d) == nullptr) out.push_back(d);
    }
    return out;
  }

  static void ExpectNone(const std::string& property) {
    const Discrepancies found = Unexpected(property);
    std::map<std::string, int> by_kind;
    std::set<int> departments;
    for (const Discrepancy& d : found) {
      ++by_kind[absl::StrCat(d.kind, " (", d.format, ")")];
      departments.insert(d.department);
    }
    std::string summary;
    for (const auto& [kind, count] : by_kind) absl::StrAppend(&summary, "  ", kind, ": ", count, "\n");
    std::string first;
    for (size_t k = 0; k < found.size() && k < 8; ++k) absl::StrAppend(&first, "  ", found[k].ToString(), "\n");
    EXPECT_TRUE(found.empty()) << found.size() << " discrepancies in " << departments.size() << " of " << *departments_
                               << " departments (seed " << Seed() << "):\n"
                               << summary << "first:\n"
                               << first;
  }

  static inline Discrepancies* const all_ = new Discrepancies;
  static inline int* const departments_ = new int(0);
  static inline int* const pdf_renders_ = new int(0);
  static inline double* const seconds_ = new double(0);
  static inline std::string* const setup_error_ = new std::string;
};

TEST_F(FormatAgreementTest, EveryFormatRendersInBothTemplateSets) { ExpectNone("P1"); }

TEST_F(FormatAgreementTest, EveryFigureAgreesAcrossFormats) { ExpectNone("P2"); }

TEST_F(FormatAgreementTest, EveryJsonFigureIsTheSumOfItsLines) { ExpectNone("P3"); }

TEST_F(FormatAgreementTest, EveryYearOnYearSentenceIsRecomputed) { ExpectNone("P4"); }

TEST_F(FormatAgreementTest, NoAmountWrapsAndNoStrayBlank) { ExpectNone("P5"); }

TEST_F(FormatAgreementTest, NoLeftoverOfAnotherDepartment) { ExpectNone("P6"); }

// Every allowance still has a defect to allow: once a fix lands, this fails
// and names the allowance to remove from KnownDefects().
TEST_F(FormatAgreementTest, KnownDefectsStillReproduce) {
  // A handful of departments may simply not have what a defect needs (N1:
  // 公务用车 in 三公); 20 always do for the default seed.
  if (*departments_ < 20) GTEST_SKIP() << "fewer than 20 departments: a defect may have nothing to show on";
  std::map<std::string, int> count;
  std::map<std::string, std::string> example;
  for (const Discrepancy& d : *all_) {
    const KnownDefect* defect = KnownDefectOf(d);
    if (defect == nullptr) continue;
    if (count[defect->id]++ == 0) example[defect->id] = d.ToString();
  }
  for (const KnownDefect& defect : KnownDefects()) {
    std::cout << defect.id << " (" << defect.description << "): " << count[defect.id] << " discrepancies"
              << (count[defect.id] > 0 ? ", e.g. " + example[defect.id] : std::string()) << "\n";
    EXPECT_GT(count[defect.id], 0) << defect.id << " (" << defect.description
                                   << ") no longer reproduces: remove its allowance from KnownDefects()";
  }
}

}  // namespace
}  // namespace yusuan::synth
