#include "services/ledger/domain/catalogue_import.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "nlohmann/json.hpp"
#include "services/common/utf8.h"
#include "services/common/xlsx_reader.h"

namespace yusuan::ledger {
namespace {

namespace v1 = yusuan::ledger::v1;
using Json = nlohmann::json;

// ------------------------------------------------------------------ rows

std::string ColumnLetter(size_t column) { return xlsx::ColumnLetters(column); }

enum Column { kCode, kName, kLevel, kBudget, kColumns };
constexpr const char* kColumnNames[kColumns] = {"科目编码", "科目名称", "级次", "预算"};

// Headers accepted for each column.
int ColumnForHeader(std::string_view header) {
  static const std::vector<std::pair<std::string_view, Column>> kHeaders = {
      {"科目编码", kCode}, {"科目代码", kCode},   {"编码", kCode},      {"代码", kCode},
      {"科目名称", kName}, {"名称", kName},       {"级次", kLevel},     {"科目级次", kLevel},
      {"预算", kBudget},   {"预算类别", kBudget}, {"所属预算", kBudget}};
  for (const auto& [text, column] : kHeaders) {
    if (header == text) return column;
  }
  return -1;
}

struct Budget {
  std::string_view name;
  v1::BudgetKind kind;
};
constexpr Budget kBudgets[] = {
    {"一般公共预算", v1::BUDGET_KIND_GENERAL},
    {"政府性基金预算", v1::BUDGET_KIND_GOVERNMENT_FUND},
    {"国有资本经营预算", v1::BUDGET_KIND_STATE_CAPITAL},
    {"社会保险基金预算", v1::BUDGET_KIND_SOCIAL_INSURANCE},
};

absl::string_view A(std::string_view text) { return absl::string_view(text.data(), text.size()); }

std::string Trim(std::string_view text) {
  std::string out(absl::StripAsciiWhitespace(A(text)));
  // Full-width and no-break spaces around a cell are common in exported sheets.
  for (std::string_view space : {"\u3000", "\u00a0"}) {
    while (out.size() >= space.size() && out.compare(0, space.size(), space) == 0) out.erase(0, space.size());
    while (out.size() >= space.size() && out.compare(out.size() - space.size(), space.size(), space) == 0) {
      out.erase(out.size() - space.size());
    }
  }
  return out;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

struct ImportedCode {
  int row = 0;
  std::string name;
  BudgetSet budgets;  // functional 项 only; empty: inherit
};

}  // namespace

bool LooksLikeXlsx(std::string_view content) { return content.substr(0, 4) == std::string_view("PK\x03\x04", 4); }

absl::StatusOr<std::vector<SheetRow>> ReadCsvRows(std::string_view text, const std::string& file_name) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (!IsValidUtf8(text)) {
    // Name the line, so that the operator can look at it.
    int line = 1;
    for (absl::string_view l : absl::StrSplit(A(text), '\n')) {
      if (!IsValidUtf8(std::string_view(l.data(), l.size()))) break;
      ++line;
    }
    return absl::InvalidArgumentError(absl::StrCat(
        file_name, " 第 ", line, " 行不是 UTF-8 编码；请另存为 UTF-8 的 CSV（如 iconv -f GBK -t UTF-8）/ ", file_name,
        " row ", line, " is not UTF-8: save the file as UTF-8 CSV (e.g. iconv -f GBK -t UTF-8)"));
  }
  std::vector<SheetRow> rows;
  SheetRow row;
  std::string cell;
  int line = 1;
  row.number = 1;
  bool quoted = false;
  bool cell_was_quoted = false;
  int quote_line = 0;
  auto end_cell = [&] {
    row.cells.push_back(std::move(cell));
    cell.clear();
    cell_was_quoted = false;
  };
  auto end_row = [&] {
    end_cell();
    rows.push_back(std::move(row));
    row = SheetRow();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        cell.push_back(c);
      }
      continue;
    }
    if (c == '"' && Trim(cell).empty() && !cell_was_quoted) {
      cell.clear();
      quoted = true;
      cell_was_quoted = true;
      quote_line = line;
    } else if (c == ',') {
      end_cell();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;
    } else if (c == '\n' || c == '\r') {
      end_row();
      ++line;
      row.number = line;
    } else {
      cell.push_back(c);
    }
  }
  if (quoted) {
    return absl::InvalidArgumentError(absl::StrCat(file_name, " 第 ", quote_line, " 行的引号没有闭合 / ", file_name,
                                                   " row ", quote_line,
                                                   ": a quoted cell is never closed; add the closing \""));
  }
  if (!cell.empty() || !row.cells.empty()) end_row();
  return rows;
}

absl::StatusOr<std::vector<SheetRow>> ReadXlsxRows(std::string_view bytes, const std::string& file_name) {
  auto bad = [&](const xlsx::ReadError& error, const std::string& en_suffix = "") {
    return absl::InvalidArgumentError(
        absl::StrCat(file_name, "：", error.zh, " / ", file_name, ": ", error.en, en_suffix));
  };
  xlsx::ReadError error;
  std::optional<xlsx::Workbook> workbook = xlsx::Workbook::Open(bytes, &error);
  if (!workbook.has_value()) return bad(error, ", or export CSV");
  std::optional<xlsx::Sheet> sheet = workbook->ReadSheet(0, &error);
  if (!sheet.has_value()) return bad(error);
  std::vector<SheetRow> rows;
  rows.reserve(sheet->rows.size());
  for (xlsx::Row& row : sheet->rows) {
    SheetRow out{row.number, {}};
    out.cells.reserve(row.cells.size());
    for (xlsx::Cell& cell : row.cells) {
      std::string text = std::move(cell.text);
      if (cell.type == xlsx::CellType::kNumber && text.find_first_of(".eE") != std::string::npos) {
        // A code typed as a number may be written 2010101.0 or 2.010101E6.
        char* end = nullptr;
        const double number = std::strtod(text.c_str(), &end);
        if (end != text.c_str() && number >= 0 && number < 1e15 &&
            number == static_cast<double>(static_cast<int64_t>(number))) {
          text = absl::StrCat(static_cast<int64_t>(number));
        }
      }
      out.cells.push_back(std::move(text));
    }
    rows.push_back(std::move(out));
  }
  return rows;
}

absl::StatusOr<Catalogue> CatalogueFromRows(const std::vector<SheetRow>& rows, const CatalogueImportOptions& options) {
  const std::string& file = options.file_name;
  // Which column holds what; the header row, when there is one, says.
  int columns[kColumns] = {0, 1, 2, 3};
  bool has_budget_column = true;
  size_t first = 0;
  while (first < rows.size() && std::all_of(rows[first].cells.begin(), rows[first].cells.end(),
                                            [](const std::string& c) { return Trim(c).empty(); })) {
    ++first;
  }
  if (first == rows.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, " 没有任何科目行 / ", file, " has no rows: expected 科目编码, 科目名称, 级次 per code"));
  }
  const SheetRow& head = rows[first];
  const bool has_header = !AllDigits(Trim(head.cells.empty() ? "" : head.cells[0])) &&
                          std::any_of(head.cells.begin(), head.cells.end(),
                                      [](const std::string& c) { return ColumnForHeader(Trim(c)) >= 0; });
  if (has_header) {
    std::fill(std::begin(columns), std::end(columns), -1);
    for (size_t i = 0; i < head.cells.size(); ++i) {
      const int column = ColumnForHeader(Trim(head.cells[i]));
      if (column < 0) continue;  // 说明 and other columns are not read
      if (columns[column] >= 0) {
        return absl::InvalidArgumentError(
            absl::StrCat(file, " 第 ", head.number, " 行（表头）有两列“", kColumnNames[column], "”（",
                         ColumnLetter(columns[column]), " 列和 ", ColumnLetter(i), " 列）/ ", file, " row ",
                         head.number, " (header) names column ", kColumnNames[column], " twice (columns ",
                         ColumnLetter(columns[column]), " and ", ColumnLetter(i), "); keep one"));
      }
      columns[column] = static_cast<int>(i);
    }
    for (int column : {kCode, kName, kLevel}) {
      if (columns[column] < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat(file, " 第 ", head.number, " 行（表头）缺少“", kColumnNames[column], "”列 / ", file, " row ",
                         head.number, " (header) has no column ", kColumnNames[column],
                         ": the columns are 科目编码, 科目名称, 级次 and optionally 预算"));
      }
    }
    has_budget_column = columns[kBudget] >= 0;
    ++first;
  }

  std::map<std::string, ImportedCode> codes[3];  // functional, economic, government economic
  auto where = [&](const SheetRow& row, Column column) {
    const std::string letter = columns[column] >= 0 ? ColumnLetter(static_cast<size_t>(columns[column])) : "?";
    return std::make_pair(
        absl::StrCat(file, " 第 ", row.number, " 行 ", letter, " 列（", kColumnNames[column], "）"),
        absl::StrCat(file, " row ", row.number, ", column ", letter, " (", kColumnNames[column], ")"));
  };
  auto refuse = [&](const SheetRow& row, Column column, const std::string& zh, const std::string& en) {
    const auto [at_zh, at_en] = where(row, column);
    return absl::InvalidArgumentError(absl::StrCat(at_zh, "：", zh, " / ", at_en, ": ", en));
  };
  for (size_t r = first; r < rows.size(); ++r) {
    const SheetRow& row = rows[r];
    auto cell = [&](Column column) {
      const int at = columns[column];
      return at >= 0 && static_cast<size_t>(at) < row.cells.size() ? Trim(row.cells[static_cast<size_t>(at)]) : "";
    };
    if (std::all_of(row.cells.begin(), row.cells.end(), [](const std::string& c) { return Trim(c).empty(); })) continue;
    const std::string code = cell(kCode);
    if (code.empty()) return refuse(row, kCode, "科目编码为空", "the code is empty; fill it in or delete the row");
    if (!AllDigits(code)) {
      return refuse(row, kCode, absl::StrCat("“", code, "”不是数字编码"),
                    absl::StrCat("\"", code, "\" is not a code of digits (e.g. 2070101)"));
    }
    const v1::CodeKind kind = CodeKindOf(code);
    if (kind == v1::CODE_KIND_UNSPECIFIED) {
      return refuse(
          row, kCode,
          absl::StrCat(code,
                       " 不是支出科目：支出功能分类以 2 开头，部门预算经济分类以 3 开头，政府预算经济分类以 5 开头"),
          absl::StrCat(code,
                       " is not an expenditure code: 支出功能分类 codes start with 2, 部门预算经济分类 "
                       "with 3 and 政府预算经济分类 with 5 (收入分类 is not imported)"));
    }
    const bool functional = kind == v1::CODE_KIND_FUNCTIONAL;
    if (!(code.size() == 3 || code.size() == 5 || (functional && code.size() == 7))) {
      return refuse(
          row, kCode,
          absl::StrCat(code, " 有 ", code.size(), " 位；",
                       functional ? "类 3 位、款 5 位、项 7 位" : "类 3 位、款 5 位"),
          absl::StrCat(code, " has ", code.size(), " digits; ",
                       functional ? "类 have 3, 款 5 and 项 7" : "类 have 3 and 款 5 (economic codes have no 项)"));
    }
    const std::string name = cell(kName);
    if (name.empty())
      return refuse(row, kName, absl::StrCat(code, " 的科目名称为空"), absl::StrCat("the name of ", code, " is empty"));
    // A name is printed in every table that uses its code: no control,
    // bidirectional or zero-width character belongs in it (see utf8.h).
    if (const ControlCharacter bad = FirstControlCharacter(name); bad.position > 0) {
      const std::string at = CodePointName(bad.code_point);
      return refuse(
          row, kName,
          absl::StrCat(code, " 的科目名称第 ", bad.position, " 个字符是",
                       bad.invisible_format ? "不可见的格式字符 " : "控制字符 ", at, "，请删除"),
          absl::StrCat("the name of ", code, " holds ",
                       bad.invisible_format ? "the invisible formatting character " : "the control character ", at,
                       " at character ", bad.position, "; delete it"));
    }
    const std::string level = cell(kLevel);
    const char* expected = code.size() == 3 ? "类" : code.size() == 5 ? "款" : "项";
    if (level.empty()) {
      return refuse(row, kLevel, absl::StrCat("级次为空，", code, " 应为“", expected, "”"),
                    absl::StrCat("the level is empty; ", code, " is a ", expected));
    }
    if (level != "类" && level != "款" && level != "项") {
      return refuse(row, kLevel, absl::StrCat("“", level, "”不是级次，应为 类、款 或 项"),
                    absl::StrCat("\"", level, "\" is not a level: write 类, 款 or 项"));
    }
    if (level != expected) {
      return refuse(row, kLevel, absl::StrCat(code, " 有 ", code.size(), " 位，是“", expected, "”，不是“", level, "”"),
                    absl::StrCat(code, " has ", code.size(), " digits, so it is a ", expected, ", not a ", level,
                                 "; correct the level or the code"));
    }
    ImportedCode entry{row.number, name, {}};
    const std::string budgets = has_budget_column ? cell(kBudget) : "";
    if (!budgets.empty()) {
      if (!functional || code.size() != 7) {
        return refuse(row, kBudget, absl::StrCat("预算只标在支出功能分类的项上，", code, " 是", expected, "：请留空"),
                      absl::StrCat("only 支出功能分类 项 carry a budget; ", code, " is a ", expected,
                                   " (its budgets are those of its 项): leave the cell empty"));
      }
      for (absl::string_view part : absl::StrSplit(budgets, absl::ByAnyChar(",;/"), absl::SkipWhitespace())) {
        for (absl::string_view piece : absl::StrSplit(part, "、", absl::SkipWhitespace())) {
          for (absl::string_view sub : absl::StrSplit(piece, "，", absl::SkipWhitespace())) {
            const std::string value = Trim(std::string_view(sub.data(), sub.size()));
            if (value.empty()) continue;
            bool known = false;
            for (const Budget& b : kBudgets) {
              // "政府性基金" for "政府性基金预算" is accepted.
              if (value == b.name || absl::StrCat(value, "预算") == b.name) {
                entry.budgets.Add(b.kind);
                known = true;
              }
            }
            if (!known) {
              return refuse(
                  row, kBudget,
                  absl::StrCat("“", value,
                               "”不是预算；应为 一般公共预算、政府性基金预算、国有资本经营预算 或 社会保险基金预算"),
                  absl::StrCat("\"", value,
                               "\" is not a budget: write 一般公共预算, 政府性基金预算, 国有资本经营预算 "
                               "or 社会保险基金预算"));
            }
          }
        }
      }
    }
    auto& table = codes[kind - 1];
    auto [it, inserted] = table.emplace(code, entry);
    if (!inserted) {
      return refuse(row, kCode, absl::StrCat(code, " 重复，第 ", it->second.row, " 行已有"),
                    absl::StrCat(code, " appears twice; row ", it->second.row, " has it already: keep one"));
    }
  }
  // Every 款 and 项 under its parent.
  for (const auto& table : codes) {
    for (const auto& [code, entry] : table) {
      if (code.size() == 3) continue;
      const std::string parent = code.substr(0, code.size() - 2);
      if (table.count(parent) == 0) {
        const char* parent_level = parent.size() == 3 ? "类" : "款";
        const SheetRow row{entry.row, {}};
        return refuse(row, kCode, absl::StrCat(code, " 的上级", parent_level, " ", parent, " 不在文件中"),
                      absl::StrCat("the parent ", parent_level, " ", parent, " of ", code,
                                   " is not in the file: add a row for it"));
      }
    }
  }
  if (codes[0].empty() || codes[1].empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, " 须同时包含支出功能分类（2 开头）和部门预算经济分类（3 开头）的科目 / ", file,
                     " must hold both 支出功能分类 (codes 2xx) and 部门预算经济分类 (codes 3xx); it has ",
                     codes[0].size(), " functional and ", codes[1].size(), " economic codes"));
  }

  // The catalogue in the file format, so that the loader's checks run once more.
  Json doc = Json::object();
  doc["edition"] = options.edition;
  doc["note"] = absl::StrCat("imported from ", file);
  Json functional = Json::array();
  for (const auto& [code, entry] : codes[0]) {
    Json item = {{"code", code}, {"name", entry.name}};
    if (code.size() == 7) {
      BudgetSet budgets = entry.budgets;
      if (budgets.empty() && options.reference != nullptr) budgets = options.reference->FunctionalBudgets(code);
      if (budgets.empty()) budgets = BudgetSet::Of(v1::BUDGET_KIND_GENERAL);
      Json list = Json::array();
      for (v1::BudgetKind kind : budgets.kinds()) list.push_back(BudgetKindFileName(kind));
      item["budgets"] = std::move(list);
    }
    functional.push_back(std::move(item));
  }
  doc["functional"] = std::move(functional);
  for (const auto& [key, index] : {std::pair<const char*, int>{"economic", 1}, {"government_economic", 2}}) {
    Json list = Json::array();
    for (const auto& [code, entry] : codes[index]) list.push_back({{"code", code}, {"name", entry.name}});
    doc[key] = std::move(list);
  }
  if (options.reference != nullptr) {
    const Json reference = Json::parse(options.reference->ToJson(), nullptr, /*allow_exceptions=*/false);
    Json mapping = Json::array();
    if (reference.is_object() && reference.contains("economic_mapping")) {
      for (const Json& m : reference["economic_mapping"]) {
        if (codes[1].count(m["department"].get<std::string>()) && codes[2].count(m["government"].get<std::string>())) {
          mapping.push_back(m);
        }
      }
    }
    doc["economic_mapping"] = std::move(mapping);
    if (reference.is_object() && reference.contains("project_capable")) {
      Json capable = Json::array();
      for (const Json& c : reference["project_capable"]) {
        if (codes[0].count(c.get<std::string>())) capable.push_back(c);
      }
      if (!capable.empty()) doc["project_capable"] = std::move(capable);
    }
  }
  return Catalogue::LoadFromJson(doc.dump(), file);
}

absl::StatusOr<Catalogue> ImportCatalogueFile(std::string_view content, const CatalogueImportOptions& options) {
  if (content.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(options.file_name, " 是空文件 / ", options.file_name,
                                                   " is empty: give a CSV or XLSX file of the catalogue"));
  }
  absl::StatusOr<std::vector<SheetRow>> rows =
      LooksLikeXlsx(content) ? ReadXlsxRows(content, options.file_name) : ReadCsvRows(content, options.file_name);
  if (!rows.ok()) return rows.status();
  return CatalogueFromRows(*rows, options);
}

}  // namespace yusuan::ledger
