#include "services/common/xlsx_reader.h"

#include <expat.h>
#include <unzip.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <type_traits>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/utf8.h"

namespace yusuan::xlsx {
namespace {

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
  // kMaxMemberBytes once inflated (a sheet is a few MB; a ZIP bomb is not
  // read to the end).
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

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// ST_Xstring: XML cannot carry most control characters, so spreadsheet
// programs write them as _xHHHH_ (and a literal "_x" as _x005F_x).
std::string UnescapeXstring(std::string text) {
  if (text.find("_x") == std::string::npos) return text;
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (i + 7 <= text.size() && text[i] == '_' && text[i + 1] == 'x' && text[i + 6] == '_') {
      int code = 0;
      bool hex = true;
      for (size_t k = i + 2; k < i + 6; ++k) {
        const int d = HexDigit(text[k]);
        if (d < 0) hex = false;
        code = code * 16 + std::max(d, 0);
      }
      if (hex) {
        // Code units below U+0080 are all an escape can stand for in practice.
        if (code < 0x80) {
          out.push_back(static_cast<char>(code));
        } else if (code < 0x800) {
          out.push_back(static_cast<char>(0xC0 | (code >> 6)));
          out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
        } else {
          out.push_back(static_cast<char>(0xE0 | (code >> 12)));
          out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
          out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
        }
        i += 7;
        continue;
      }
    }
    out.push_back(text[i++]);
  }
  return out;
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

struct SheetEntry {
  std::string name;
  std::string rid;
  bool hidden = false;
};

// xl/workbook.xml: the sheets in order with their relationship ids.
struct WorkbookXml {
  std::vector<SheetEntry> sheets;
  void Start(std::string_view name, const XML_Char** attributes) {
    if (name != "sheet") return;
    SheetEntry entry;
    if (const XML_Char* id = Attribute(attributes, "id")) entry.rid = id;
    if (const XML_Char* n = Attribute(attributes, "name")) entry.name = n;
    if (const XML_Char* state = Attribute(attributes, "state")) entry.hidden = std::string_view(state) != "visible";
    sheets.push_back(std::move(entry));
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

// A worksheet: its rows with typed cells.
struct Worksheet {
  const std::vector<std::string>* shared = nullptr;
  std::vector<Row> rows;
  std::string type;  // t= of the current cell
  int column = -1;
  int next_column = 0;
  bool in_value = false;   // <v>
  bool in_inline = false;  // <is><t>
  int in_phonetic = 0;
  std::string value;
  std::string error;
  void Start(std::string_view name, const XML_Char** attributes) {
    if (name == "row") {
      Row row;
      const XML_Char* r = Attribute(attributes, "r");
      row.number = r != nullptr ? std::atoi(r) : (rows.empty() ? 1 : rows.back().number + 1);
      rows.push_back(std::move(row));
      next_column = 0;
    } else if (name == "c") {
      const XML_Char* t = Attribute(attributes, "t");
      type = t != nullptr ? t : "n";
      const XML_Char* r = Attribute(attributes, "r");
      column = r != nullptr ? ColumnOfReference(r) : next_column;
      if (column < 0) column = next_column;
      if (column >= kMaxColumns) {
        if (error.empty())
          error = absl::StrCat("row ", rows.empty() ? 0 : rows.back().number, " has a cell past column XFD");
        column = kMaxColumns - 1;
      }
      value.clear();
    } else if (name == "v") {
      in_value = true;
    } else if (name == "rPh") {
      ++in_phonetic;
    } else if (name == "t") {
      in_inline = type == "inlineStr";
    }
  }
  void End(std::string_view name) {
    if (name == "v") in_value = false;
    if (name == "t") in_inline = false;
    if (name == "rPh") --in_phonetic;
    if (name != "c" || rows.empty()) return;
    Cell cell;
    cell.text = value;
    if (type == "s") {
      cell.type = CellType::kString;
      char* end = nullptr;
      const long index = std::strtol(value.c_str(), &end, 10);
      if (end == value.c_str() || index < 0 || shared == nullptr || static_cast<size_t>(index) >= shared->size()) {
        if (error.empty()) error = absl::StrCat("row ", rows.back().number, " refers to a missing shared string");
        cell.text.clear();
      } else {
        cell.text = (*shared)[static_cast<size_t>(index)];
      }
    } else if (type == "inlineStr" || type == "str") {
      cell.type = CellType::kString;
      cell.text = UnescapeXstring(std::move(cell.text));
    } else if (type == "b") {
      cell.type = CellType::kBoolean;
    } else if (type == "e") {
      cell.type = CellType::kError;
    } else {
      cell.type = value.empty() ? CellType::kBlank : CellType::kNumber;
    }
    if (cell.type == CellType::kString && cell.text.empty()) cell.type = CellType::kBlank;
    std::vector<Cell>& cells = rows.back().cells;
    if (static_cast<size_t>(column) >= cells.size()) cells.resize(static_cast<size_t>(column) + 1);
    cells[static_cast<size_t>(column)] = std::move(cell);
    next_column = column + 1;
  }
  void Text(std::string_view text) {
    if (in_value || (in_inline && in_phonetic == 0)) value.append(text);
  }
};

const Cell kBlankCell;

}  // namespace

const Cell& Row::at(size_t column) const { return column < cells.size() ? cells[column] : kBlankCell; }

int ColumnOfReference(std::string_view reference) {
  int column = 0;
  size_t i = 0;
  for (; i < reference.size() && absl::ascii_isalpha(static_cast<unsigned char>(reference[i])); ++i) {
    column = column * 26 + (absl::ascii_toupper(static_cast<unsigned char>(reference[i])) - 'A' + 1);
    if (column > kMaxColumns) return kMaxColumns;
  }
  return i == 0 ? -1 : column - 1;
}

std::string ColumnLetters(size_t column) {
  std::string letters;
  size_t n = column + 1;
  while (n > 0) {
    letters.insert(letters.begin(), static_cast<char>('A' + (n - 1) % 26));
    n = (n - 1) / 26;
  }
  return letters;
}

struct Workbook::State {
  explicit State(std::string_view bytes) : zip(bytes) {}
  ZipReader zip;
  std::vector<std::string> shared;
  std::vector<SheetEntry> sheets;
  std::vector<std::string> paths;
};

Workbook::Workbook(std::unique_ptr<State> state) : state_(std::move(state)) {}
Workbook::Workbook(Workbook&&) noexcept = default;
Workbook& Workbook::operator=(Workbook&&) noexcept = default;
Workbook::~Workbook() = default;

std::optional<Workbook> Workbook::Open(std::string_view bytes, ReadError* error) {
  auto state = std::make_unique<State>(bytes);
  if (!state->zip.ok()) {
    *error = {"不是可读的 XLSX 文件（ZIP 结构损坏）",
              "not a readable XLSX file (the ZIP structure is broken); "
              "save it again from the spreadsheet program as .xlsx"};
    return std::nullopt;
  }
  if (std::optional<std::string> xml = state->zip.Read("xl/sharedStrings.xml")) {
    SharedStrings handler;
    if (!ParseXml(*xml, &handler)) {
      *error = {"xl/sharedStrings.xml 不是有效的 XML", "xl/sharedStrings.xml is not XML"};
      return std::nullopt;
    }
    for (std::string& s : handler.strings) s = UnescapeXstring(std::move(s));
    state->shared = std::move(handler.strings);
  }
  if (std::optional<std::string> xml = state->zip.Read("xl/workbook.xml")) {
    WorkbookXml workbook;
    Relationships relationships;
    std::optional<std::string> rels = state->zip.Read("xl/_rels/workbook.xml.rels");
    if (ParseXml(*xml, &workbook) && rels.has_value() && ParseXml(*rels, &relationships)) {
      for (SheetEntry& entry : workbook.sheets) {
        auto target = relationships.targets.find(entry.rid);
        if (target == relationships.targets.end()) continue;
        const std::string& t = target->second;
        state->paths.push_back(t.rfind("/", 0) == 0 ? t.substr(1) : absl::StrCat("xl/", t));
        state->sheets.push_back(std::move(entry));
      }
    }
  }
  if (state->sheets.empty()) {
    state->sheets.push_back({"sheet1", "", false});
    state->paths.push_back("xl/worksheets/sheet1.xml");
  }
  return Workbook(std::move(state));
}

std::vector<std::string> Workbook::SheetNames() const {
  std::vector<std::string> names;
  for (const SheetEntry& entry : state_->sheets) names.push_back(entry.name);
  return names;
}

bool Workbook::IsHidden(size_t index) const { return index < state_->sheets.size() && state_->sheets[index].hidden; }

std::string Workbook::SheetPath(size_t index) const { return index < state_->paths.size() ? state_->paths[index] : ""; }

std::optional<std::string> Workbook::ReadMember(const std::string& member) const { return state_->zip.Read(member); }

std::optional<Sheet> Workbook::ReadSheet(size_t index, ReadError* error) const {
  if (index >= state_->sheets.size()) {
    *error = {absl::StrCat("没有第 ", index + 1, " 个工作表"), absl::StrCat("there is no sheet ", index + 1)};
    return std::nullopt;
  }
  const std::string& name = state_->sheets[index].name;
  const std::string& path = state_->paths[index];
  std::optional<std::string> xml = state_->zip.Read(path);
  if (!xml.has_value()) {
    *error = {absl::StrCat(index == 0 ? "缺少第一个工作表 " : absl::StrCat("缺少工作表 ", name, " 的内容 "), path),
              absl::StrCat(index == 0 ? "the first worksheet, " : absl::StrCat("the worksheet of sheet ", name, ", "),
                           path, ", is missing: is this an XLSX workbook?")};
    return std::nullopt;
  }
  Worksheet handler;
  handler.shared = &state_->shared;
  if (!ParseXml(*xml, &handler)) {
    *error = {absl::StrCat("工作表 ", name, " 不是有效的 XML"), absl::StrCat("sheet ", name, " is not XML")};
    return std::nullopt;
  }
  if (!handler.error.empty()) {
    *error = {absl::StrCat("工作表 ", name, " 无法读取（", handler.error, "）"),
              absl::StrCat("sheet ", name, ": ", handler.error, "; save it again from the spreadsheet program")};
    return std::nullopt;
  }
  for (const Row& row : handler.rows) {
    for (const Cell& cell : row.cells) {
      if (!IsValidUtf8(cell.text)) {
        *error = {absl::StrCat("工作表 ", name, " 第 ", row.number, " 行不是 UTF-8"),
                  absl::StrCat("sheet ", name, " row ", row.number, " is not UTF-8")};
        return std::nullopt;
      }
    }
  }
  return Sheet{name, std::move(handler.rows)};
}

}  // namespace yusuan::xlsx
