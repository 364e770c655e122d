#include "services/ledger/domain/catalogue_import.h"

#include <expat.h>
#include <unzip.h>

#include <algorithm>
#include <cstring>
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

namespace yusuan::ledger {
namespace {

namespace v1 = yusuan::ledger::v1;
using Json = nlohmann::json;

// ------------------------------------------------------------------ XLSX
// minizip reads the ZIP from memory through these callbacks.
struct MemoryZip {
  std::string_view bytes;
  size_t position = 0;
};

voidpf ZCALLBACK MemOpen(voidpf opaque, const char*, int) { return opaque; }
uLong ZCALLBACK MemRead(voidpf, voidpf stream, void* buf, uLong size) {
  auto* zip = static_cast<MemoryZip*>(stream);
  const size_t n = std::min<size_t>(size, zip->bytes.size() - zip->position);
  std::memcpy(buf, zip->bytes.data() + zip->position, n);
  zip->position += n;
  return static_cast<uLong>(n);
}
uLong ZCALLBACK MemWrite(voidpf, voidpf, const void*, uLong) { return 0; }
long ZCALLBACK MemTell(voidpf, voidpf stream) { return static_cast<long>(static_cast<MemoryZip*>(stream)->position); }
long ZCALLBACK MemSeek(voidpf, voidpf stream, uLong offset, int origin) {
  auto* zip = static_cast<MemoryZip*>(stream);
  size_t base = 0;
  if (origin == ZLIB_FILEFUNC_SEEK_CUR) base = zip->position;
  if (origin == ZLIB_FILEFUNC_SEEK_END) base = zip->bytes.size();
  if (base + offset > zip->bytes.size()) return -1;
  zip->position = base + offset;
  return 0;
}
int ZCALLBACK MemClose(voidpf, voidpf) { return 0; }
int ZCALLBACK MemError(voidpf, voidpf) { return 0; }

class ZipReader {
 public:
  explicit ZipReader(std::string_view bytes) : zip_{bytes, 0} {
    zlib_filefunc_def functions{MemOpen, MemRead, MemWrite, MemTell, MemSeek, MemClose, MemError, &zip_};
    file_ = unzOpen2("memory.xlsx", &functions);
  }
  ~ZipReader() {
    if (file_ != nullptr) unzClose(file_);
  }
  ZipReader(const ZipReader&) = delete;
  ZipReader& operator=(const ZipReader&) = delete;

  bool ok() const { return file_ != nullptr; }

  // nullopt when the member is absent, unreadable or larger than
  // kMaxMemberBytes once inflated (a catalogue sheet is a few MB; a ZIP
  // bomb is not read to the end).
  static constexpr size_t kMaxMemberBytes = 256u << 20;
  std::optional<std::string> Read(const std::string& member) {
    if (unzLocateFile(file_, member.c_str(), /*iCaseSensitivity=*/1) != UNZ_OK) return std::nullopt;
    if (unzOpenCurrentFile(file_) != UNZ_OK) return std::nullopt;
    std::string out;
    char buffer[65536];
    int n = 0;
    while ((n = unzReadCurrentFile(file_, buffer, sizeof buffer)) > 0) {
      out.append(buffer, static_cast<size_t>(n));
      if (out.size() > kMaxMemberBytes) {
        unzCloseCurrentFile(file_);
        return std::nullopt;
      }
    }
    const bool clean = unzCloseCurrentFile(file_) == UNZ_OK;
    if (n < 0 || !clean) return std::nullopt;
    return out;
  }

 private:
  MemoryZip zip_;
  unzFile file_ = nullptr;
};

// The local name of an XML element ("x:row" → "row").
std::string_view LocalName(const XML_Char* name) {
  std::string_view n(name);
  const size_t colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

const XML_Char* Attribute(const XML_Char** attributes, std::string_view wanted) {
  for (int i = 0; attributes[i] != nullptr; i += 2) {
    if (LocalName(attributes[i]) == wanted) return attributes[i + 1];
  }
  return nullptr;
}

// Runs expat over `xml` with a handler object; false when it is not XML.
template <typename Handler>
bool ParseXml(const std::string& xml, Handler* handler) {
  std::unique_ptr<std::remove_pointer_t<XML_Parser>, decltype(&XML_ParserFree)> parser(XML_ParserCreate("UTF-8"),
                                                                                       &XML_ParserFree);
  if (!parser) return false;
  XML_SetUserData(parser.get(), handler);
  XML_SetElementHandler(
      parser.get(),
      [](void* data, const XML_Char* name, const XML_Char** attributes) {
        static_cast<Handler*>(data)->Start(LocalName(name), attributes);
      },
      [](void* data, const XML_Char* name) { static_cast<Handler*>(data)->End(LocalName(name)); });
  XML_SetCharacterDataHandler(parser.get(), [](void* data, const XML_Char* text, int length) {
    static_cast<Handler*>(data)->Text(std::string_view(text, static_cast<size_t>(length)));
  });
  return XML_Parse(parser.get(), xml.data(), static_cast<int>(xml.size()), /*isFinal=*/1) == XML_STATUS_OK;
}

// xl/sharedStrings.xml: the text of each <si> (rich runs joined; phonetic
// guides, <rPh>, left out).
struct SharedStrings {
  std::vector<std::string> strings;
  bool in_t = false;
  int in_phonetic = 0;
  void Start(std::string_view name, const XML_Char**) {
    if (name == "si") strings.emplace_back();
    if (name == "rPh") ++in_phonetic;
    if (name == "t") in_t = true;
  }
  void End(std::string_view name) {
    if (name == "rPh") --in_phonetic;
    if (name == "t") in_t = false;
  }
  void Text(std::string_view text) {
    if (in_t && in_phonetic == 0 && !strings.empty()) strings.back().append(text);
  }
};

// xl/workbook.xml: the first sheet's relationship id.
struct Workbook {
  std::string first_sheet_rid;
  std::string first_sheet_name;
  void Start(std::string_view name, const XML_Char** attributes) {
    if (name != "sheet" || !first_sheet_rid.empty()) return;
    if (const XML_Char* id = Attribute(attributes, "id")) first_sheet_rid = id;
    if (const XML_Char* n = Attribute(attributes, "name")) first_sheet_name = n;
  }
  void End(std::string_view) {}
  void Text(std::string_view) {}
};

// xl/_rels/workbook.xml.rels: relationship id → target.
struct Relationships {
  std::map<std::string, std::string> targets;
  void Start(std::string_view name, const XML_Char** attributes) {
    if (name != "Relationship") return;
    const XML_Char* id = Attribute(attributes, "Id");
    const XML_Char* target = Attribute(attributes, "Target");
    if (id != nullptr && target != nullptr) targets[id] = target;
  }
  void End(std::string_view) {}
  void Text(std::string_view) {}
};

// Spreadsheets have at most 16,384 columns (A … XFD).
constexpr int kMaxColumns = 16384;

// "C12" → column 2 (0-based); -1 when it has no letters, kMaxColumns when
// it is past XFD.
int ColumnOf(std::string_view reference) {
  int column = 0;
  size_t i = 0;
  for (; i < reference.size() && absl::ascii_isalpha(static_cast<unsigned char>(reference[i])); ++i) {
    column = column * 26 + (absl::ascii_toupper(static_cast<unsigned char>(reference[i])) - 'A' + 1);
    if (column > kMaxColumns) return kMaxColumns;
  }
  return i == 0 ? -1 : column - 1;
}

// A worksheet: its rows with cell text.
struct Worksheet {
  const std::vector<std::string>* shared = nullptr;
  std::vector<SheetRow> rows;
  std::string type;  // t= of the current cell
  int column = -1;
  int next_column = 0;
  bool in_value = false;   // <v>
  bool in_inline = false;  // <is><t>
  std::string value;
  std::string error;
  void Start(std::string_view name, const XML_Char** attributes) {
    if (name == "row") {
      SheetRow row;
      const XML_Char* r = Attribute(attributes, "r");
      row.number = r != nullptr ? std::atoi(r) : (rows.empty() ? 1 : rows.back().number + 1);
      rows.push_back(std::move(row));
      next_column = 0;
    } else if (name == "c") {
      const XML_Char* t = Attribute(attributes, "t");
      type = t != nullptr ? t : "n";
      const XML_Char* r = Attribute(attributes, "r");
      column = r != nullptr ? ColumnOf(r) : next_column;
      if (column < 0) column = next_column;
      if (column >= kMaxColumns) {
        if (error.empty())
          error = absl::StrCat("row ", rows.empty() ? 0 : rows.back().number, " has a cell past column XFD");
        column = kMaxColumns - 1;
      }
      value.clear();
    } else if (name == "v") {
      in_value = true;
    } else if (name == "t") {
      in_inline = type == "inlineStr";
    }
  }
  void End(std::string_view name) {
    if (name == "v") in_value = false;
    if (name == "t") in_inline = false;
    if (name != "c" || rows.empty()) return;
    std::string text = value;
    if (type == "s") {
      char* end = nullptr;
      const long index = std::strtol(value.c_str(), &end, 10);
      if (end == value.c_str() || index < 0 || shared == nullptr || static_cast<size_t>(index) >= shared->size()) {
        if (error.empty()) error = absl::StrCat("row ", rows.back().number, " refers to a missing shared string");
        text.clear();
      } else {
        text = (*shared)[static_cast<size_t>(index)];
      }
    } else if (type == "n" && (value.find_first_of(".eE") != std::string::npos)) {
      // A code typed as a number may be written 2010101.0 or 2.010101E6.
      char* end = nullptr;
      const double number = std::strtod(value.c_str(), &end);
      if (end != value.c_str() && number >= 0 && number < 1e15 &&
          number == static_cast<double>(static_cast<int64_t>(number))) {
        text = absl::StrCat(static_cast<int64_t>(number));
      }
    }
    std::vector<std::string>& cells = rows.back().cells;
    if (static_cast<size_t>(column) >= cells.size()) cells.resize(static_cast<size_t>(column) + 1);
    cells[static_cast<size_t>(column)] = std::move(text);
    next_column = column + 1;
  }
  void Text(std::string_view text) {
    if (in_value || in_inline) value.append(text);
  }
};

// ------------------------------------------------------------------ rows

std::string ColumnLetter(size_t column) {
  std::string letters;
  size_t n = column + 1;
  while (n > 0) {
    letters.insert(letters.begin(), static_cast<char>('A' + (n - 1) % 26));
    n = (n - 1) / 26;
  }
  return letters;
}

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
  auto bad = [&](const std::string& zh, const std::string& en) {
    return absl::InvalidArgumentError(absl::StrCat(file_name, "：", zh, " / ", file_name, ": ", en));
  };
  ZipReader zip(bytes);
  if (!zip.ok()) {
    return bad("不是可读的 XLSX 文件（ZIP 结构损坏）",
               "not a readable XLSX file (the ZIP structure is broken); "
               "save it again from the spreadsheet program as .xlsx, or export CSV");
  }
  std::vector<std::string> shared;
  if (std::optional<std::string> xml = zip.Read("xl/sharedStrings.xml")) {
    SharedStrings handler;
    if (!ParseXml(*xml, &handler)) return bad("xl/sharedStrings.xml 不是有效的 XML", "xl/sharedStrings.xml is not XML");
    shared = std::move(handler.strings);
  }
  std::string sheet_path = "xl/worksheets/sheet1.xml";
  std::string sheet_name = "sheet1";
  if (std::optional<std::string> xml = zip.Read("xl/workbook.xml")) {
    Workbook workbook;
    Relationships relationships;
    std::optional<std::string> rels = zip.Read("xl/_rels/workbook.xml.rels");
    if (ParseXml(*xml, &workbook) && rels.has_value() && ParseXml(*rels, &relationships)) {
      auto target = relationships.targets.find(workbook.first_sheet_rid);
      if (target != relationships.targets.end()) {
        const std::string& t = target->second;
        sheet_path = t.rfind("/", 0) == 0 ? t.substr(1) : absl::StrCat("xl/", t);
      }
      if (!workbook.first_sheet_name.empty()) sheet_name = workbook.first_sheet_name;
    }
  }
  std::optional<std::string> sheet = zip.Read(sheet_path);
  if (!sheet.has_value()) {
    return bad(absl::StrCat("缺少第一个工作表 ", sheet_path),
               absl::StrCat("the first worksheet, ", sheet_path, ", is missing: is this an XLSX workbook?"));
  }
  Worksheet handler;
  handler.shared = &shared;
  if (!ParseXml(*sheet, &handler)) {
    return bad(absl::StrCat("工作表 ", sheet_name, " 不是有效的 XML"),
               absl::StrCat("sheet ", sheet_name, " is not XML"));
  }
  if (!handler.error.empty()) {
    return bad(absl::StrCat("工作表 ", sheet_name, " 无法读取（", handler.error, "）"),
               absl::StrCat("sheet ", sheet_name, ": ", handler.error, "; save it again from the spreadsheet program"));
  }
  for (const SheetRow& row : handler.rows) {
    for (const std::string& cell : row.cells) {
      if (!IsValidUtf8(cell))
        return bad(absl::StrCat("第 ", row.number, " 行不是 UTF-8"), absl::StrCat("row ", row.number, " is not UTF-8"));
    }
  }
  return std::move(handler.rows);
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
