#include "tests/property/format_readers.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace yusuan::property {
namespace {

constexpr absl::string_view kIdeographicSpace = "\u3000";

std::string DecodeEntities(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    const size_t semi = text.find(';', i);
    if (semi == absl::string_view::npos || semi - i > 10) {
      out += text[i];
      continue;
    }
    const absl::string_view entity = text.substr(i + 1, semi - i - 1);
    std::string replacement;
    if (entity == "amp") replacement = "&";
    if (entity == "lt") replacement = "<";
    if (entity == "gt") replacement = ">";
    if (entity == "quot") replacement = "\"";
    if (entity == "apos" || entity == "#39") replacement = "'";
    if (replacement.empty()) {
      out += text[i];
      continue;
    }
    out += replacement;
    i = semi;
  }
  return out;
}

// The value of attribute `name` in a tag's text (`td colspan="2"`).
std::string Attribute(absl::string_view tag, absl::string_view name) {
  const std::string key = absl::StrCat(" ", name, "=\"");
  const size_t at = tag.find(key);
  if (at == absl::string_view::npos) return "";
  const size_t start = at + key.size();
  const size_t end = tag.find('"', start);
  return std::string(tag.substr(start, end - start));
}

std::string TagName(absl::string_view tag) {
  size_t end = 0;
  while (end < tag.size() && tag[end] != ' ' && tag[end] != '/' && tag[end] != '>') ++end;
  return absl::AsciiStrToLower(tag.substr(0, end));
}

struct RawCell {
  std::string text;
  int col_span = 1;
  int row_span = 1;
};

std::vector<std::vector<std::optional<std::string>>> Resolve(const std::vector<std::vector<RawCell>>& rows) {
  std::vector<std::vector<std::optional<std::string>>> grid(rows.size());
  std::vector<std::vector<bool>> taken(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    size_t c = 0;
    for (const RawCell& cell : rows[r]) {
      while (c < taken[r].size() && taken[r][c]) ++c;
      for (int dr = 0; dr < cell.row_span && r + static_cast<size_t>(dr) < rows.size(); ++dr) {
        auto& row_taken = taken[r + static_cast<size_t>(dr)];
        auto& row_grid = grid[r + static_cast<size_t>(dr)];
        const size_t needed = c + static_cast<size_t>(cell.col_span);
        if (row_taken.size() < needed) row_taken.resize(needed, false);
        if (row_grid.size() < needed) row_grid.resize(needed);
        for (int dc = 0; dc < cell.col_span; ++dc) row_taken[c + static_cast<size_t>(dc)] = true;
      }
      grid[r][c] = cell.text;
      c += static_cast<size_t>(cell.col_span);
    }
  }
  return grid;
}

// "2019 年" / "2019年" / "…·2019 年" → 2019.
std::optional<int> YearOf(absl::string_view text) {
  const size_t dot = text.rfind("·");
  if (dot != absl::string_view::npos) text = text.substr(dot + absl::string_view("·").size());
  text = absl::StripAsciiWhitespace(text);
  if (!absl::EndsWith(text, "年")) return std::nullopt;
  text = absl::StripAsciiWhitespace(text.substr(0, text.size() - absl::string_view("年").size()));
  int year = 0;
  if (text.size() != 4 || !absl::SimpleAtoi(text, &year)) return std::nullopt;
  return year;
}

// Markdown inline text: bold markers, backslash escapes and entities undone.
std::string UnescapeMarkdown(absl::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      out += text[++i];
    } else {
      out += text[i];
    }
  }
  return DecodeEntities(out);
}

std::string StripBold(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  if (text.size() >= 4 && absl::StartsWith(text, "**") && absl::EndsWith(text, "**")) {
    text = text.substr(2, text.size() - 4);
  }
  return std::string(text);
}

// Cells of a pipe-table line (escaped pipes stay in their cell).
std::vector<std::string> SplitPipeRow(absl::string_view line) {
  std::vector<std::string> cells;
  std::string current;
  bool started = false;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size()) {
      current += line[i];
      current += line[++i];
      continue;
    }
    if (line[i] == '|') {
      if (started) cells.push_back(current);
      current.clear();
      started = true;
      continue;
    }
    current += line[i];
  }
  return cells;
}

std::string CellText(absl::string_view raw) {
  std::string text = StripBold(raw);
  // <br> is a line break inside a cell.
  std::string out;
  size_t start = 0;
  while (true) {
    const size_t br = text.find("<br>", start);
    out += text.substr(start, br - start);
    if (br == std::string::npos) break;
    out += '\n';
    start = br + 4;
  }
  return StripIndent(UnescapeMarkdown(out));
}

absl::StatusOr<std::string> Run(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return absl::InternalError("cannot run " + command);
  std::string out;
  std::array<char, 65536> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
  const int status = pclose(pipe);
  if (status != 0) return absl::InternalError(absl::StrCat(command, " exited with ", status));
  return out;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Column letters of "AB12" → 27 (from 0), row 12.
std::pair<int, int> CellReference(absl::string_view ref) {
  int column = 0;
  size_t i = 0;
  while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z') {
    column = column * 26 + (ref[i] - 'A' + 1);
    ++i;
  }
  int row = 0;
  (void)absl::SimpleAtoi(ref.substr(i), &row);
  return {row, column - 1};
}

}  // namespace

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsAmount(absl::string_view text) {
  const size_t dot = text.find('.');
  if (dot == absl::string_view::npos || dot == 0 || text.size() != dot + 3) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i != dot && !IsDigit(text[i])) return false;
  }
  return true;
}

std::vector<char32_t> DecodeUtf8(absl::string_view text) {
  std::vector<char32_t> out;
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    int length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    char32_t cp = length == 1 ? c : length == 2 ? (c & 0x1F) : length == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < length && i + static_cast<size_t>(k) < text.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(text[i + static_cast<size_t>(k)]) & 0x3F);
    }
    out.push_back(cp);
    i += static_cast<size_t>(length);
  }
  return out;
}

bool IsCjk(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x3000 && c <= 0x303F) ||
         (c >= 0xFF00 && c <= 0xFFEF);
}

std::string StripIndent(absl::string_view text) {
  while (true) {
    if (absl::StartsWith(text, " ")) {
      text.remove_prefix(1);
    } else if (absl::StartsWith(text, kIdeographicSpace)) {
      text.remove_prefix(kIdeographicSpace.size());
    } else {
      break;
    }
  }
  return std::string(text);
}

std::string RemoveWhitespace(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c != ' ' && c != '\n' && c != '\t' && c != '\r' && c != '\f') out += c;
  }
  return out;
}

std::vector<std::string> Tokens(absl::string_view line) {
  std::vector<std::string> out;
  for (absl::string_view t : absl::StrSplit(line, absl::ByAnyChar(" \t\f\r"), absl::SkipEmpty())) {
    out.emplace_back(t);
  }
  return out;
}

std::optional<std::string> HtmlTable::Text(size_t row, size_t column) const {
  if (row >= body.size() || column >= body[row].size()) return std::nullopt;
  return body[row][column];
}

const HtmlTable* HtmlDocument::FindTable(const std::string& anchor) const {
  const auto it = tables.find(anchor);
  return it == tables.end() ? nullptr : &it->second;
}

std::string HtmlDocument::HeadingText(const std::string& anchor) const {
  const auto it = headings.find(anchor);
  return it == headings.end() ? "" : it->second;
}

HtmlDocument ParseHtml(absl::string_view html) {
  HtmlDocument doc;
  std::string figure;  // anchor of the open <figure>, if any
  std::string region;  // the last table-N anchor (see region_cells)
  bool figure_has_table = false;
  // The table being read.
  bool in_table = false, in_head = false, record = false;
  std::vector<std::vector<RawCell>> head_rows, body_rows;
  // Text capture.
  std::string capture_tag;  // td, th, p, figcaption, h1…h6
  std::string capture_id;
  std::string capture_class;
  std::string text;
  RawCell cell;
  size_t i = 0;
  while (i < html.size()) {
    if (html[i] != '<') {
      if (!capture_tag.empty()) text += html[i];
      ++i;
      continue;
    }
    const size_t close = html.find('>', i);
    if (close == absl::string_view::npos) break;
    const absl::string_view tag = html.substr(i + 1, close - i - 1);
    i = close + 1;
    const bool end = !tag.empty() && tag[0] == '/';
    const std::string name = TagName(end ? tag.substr(1) : tag);
    if (name == "br") {
      if (!capture_tag.empty()) text += '\n';
      continue;
    }
    if (!end) {
      const std::string id = Attribute(tag, "id");
      if (absl::StartsWith(id, "table-")) region = id;
      if (absl::StartsWith(id, "part-")) region.clear();
      if (name == "figure") {
        figure = Attribute(tag, "id");
        figure_has_table = false;
      } else if (name == "table") {
        in_table = true;
        record = absl::StartsWith(figure, "table-") && !figure_has_table;
        figure_has_table = true;
        head_rows.clear();
        body_rows.clear();
      } else if (name == "thead") {
        in_head = true;
      } else if (name == "tbody") {
        in_head = false;
      } else if (name == "tr" && in_table) {
        (in_head ? head_rows : body_rows).emplace_back();
      } else if (name == "td" || name == "th" || name == "p" || name == "figcaption" ||
                 (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6')) {
        capture_tag = name;
        capture_id = Attribute(tag, "id");
        capture_class = Attribute(tag, "class");
        text.clear();
        cell = RawCell{};
        int span = 1;
        if (absl::SimpleAtoi(Attribute(tag, "colspan"), &span)) cell.col_span = span;
        if (absl::SimpleAtoi(Attribute(tag, "rowspan"), &span)) cell.row_span = span;
      }
      continue;
    }
    // End tags.
    if (name == capture_tag && !capture_tag.empty()) {
      const std::string value = DecodeEntities(text);
      if (name == "td" || name == "th") {
        cell.text = value;
        auto& rows = in_head ? head_rows : body_rows;
        if (in_table && !rows.empty()) rows.back().push_back(cell);
        if (name == "td") {
          doc.cells.push_back(value);
          doc.region_cells[region].push_back(value);
          if (IsAmount(value) && !absl::StrContains(absl::StrCat(" ", capture_class, " "), " num ")) {
            doc.unclassed_amounts.push_back(value);
          }
        }
      } else if (name == "p") {
        doc.paragraphs.push_back(value);
      } else if (name == "figcaption") {
        if (absl::StartsWith(figure, "table-")) doc.titles.emplace_back(figure, value);
      } else {
        if (!capture_id.empty()) doc.headings[capture_id] = value;
        if (absl::StartsWith(capture_id, "table-")) doc.titles.emplace_back(capture_id, value);
      }
      capture_tag.clear();
    } else if (name == "thead") {
      in_head = false;
    } else if (name == "table" && in_table) {
      in_table = false;
      for (const auto& row : head_rows) {
        std::vector<int> years;
        for (const RawCell& c : row) {
          if (std::optional<int> y = YearOf(c.text)) years.push_back(*y);
        }
        if (years.size() > 1) doc.header_year_rows.push_back(years);
      }
      if (record) {
        HtmlTable& table = doc.tables[figure];
        table.header_rows = head_rows.size();
        table.body = Resolve(body_rows);
      }
    } else if (name == "figure") {
      figure.clear();
    }
  }
  return doc;
}

std::optional<std::string> MarkdownTable::Text(size_t row, size_t column) const {
  if (row >= body.size() || column >= body[row].size()) return std::nullopt;
  return body[row][column];
}

const MarkdownTable* MarkdownDocument::FindTable(const std::string& title) const {
  const auto it = tables.find(title);
  return it == tables.end() ? nullptr : &it->second;
}

MarkdownDocument ParseMarkdown(absl::string_view markdown) {
  MarkdownDocument doc;
  const std::vector<absl::string_view> lines = absl::StrSplit(markdown, '\n');
  std::string last_bold;  // the last **…** line: a table's title
  std::string region;     // see region_cells
  for (size_t i = 0; i < lines.size(); ++i) {
    const absl::string_view line = lines[i];
    if (absl::StartsWith(line, "|")) {
      // A table: header, rule, body.
      MarkdownTable table;
      std::vector<int> years;
      for (const std::string& cell : SplitPipeRow(line)) {
        if (std::optional<int> y = YearOf(UnescapeMarkdown(absl::StripAsciiWhitespace(cell)))) years.push_back(*y);
      }
      if (years.size() > 1) doc.header_year_rows.push_back(years);
      size_t j = i + 2;
      for (; j < lines.size() && absl::StartsWith(lines[j], "|"); ++j) {
        std::vector<std::string> row;
        for (const std::string& cell : SplitPipeRow(lines[j])) {
          row.push_back(CellText(cell));
          doc.cells.push_back(row.back());
          doc.region_cells[region].push_back(row.back());
        }
        table.body.push_back(std::move(row));
      }
      if (!last_bold.empty() && !doc.tables.count(last_bold)) doc.tables[last_bold] = std::move(table);
      last_bold.clear();
      i = j - 1;
      continue;
    }
    if (line.empty()) continue;
    if (absl::StartsWith(line, "#")) {
      last_bold.clear();
      if (absl::StartsWith(line, "## ") || absl::StartsWith(line, "### ")) {
        region = UnescapeMarkdown(absl::StripAsciiWhitespace(line.substr(line.find(' '))));
      }
      continue;
    }
    // A paragraph line (hard breaks end in a backslash).
    std::string text(line);
    while (absl::EndsWith(text, "\\") && i + 1 < lines.size()) {
      text.pop_back();
      text += "\n";
      text += std::string(lines[++i]);
    }
    const std::string bare = UnescapeMarkdown(StripBold(text));
    if (absl::StartsWith(text, "**") && absl::EndsWith(text, "**")) {
      last_bold = bare;
      if (absl::StartsWith(bare, "表")) region = bare;
    }
    doc.paragraphs.push_back(bare);
  }
  return doc;
}

const XlsxCell* XlsxSheet::Cell(int row, int column) const {
  const auto it = cells.find({row, column});
  return it == cells.end() ? nullptr : &it->second;
}

std::optional<std::string> XlsxSheet::Text(int row, int column) const {
  const XlsxCell* cell = Cell(row, column);
  if (cell == nullptr) return std::nullopt;
  return cell->text;
}

const XlsxSheet* XlsxWorkbook::Sheet(int number) const {
  const auto it = sheets.find(number);
  return it == sheets.end() ? nullptr : &it->second;
}

absl::StatusOr<XlsxWorkbook> ReadXlsx(const std::string& bytes, const std::string& scratch) {
  const std::string file = scratch + "/book.xlsx";
  const std::string dir = scratch + "/book";
  std::filesystem::remove_all(dir);
  {
    std::ofstream out(file, std::ios::binary);
    out << bytes;
  }
  absl::StatusOr<std::string> unzipped = Run("unzip -q -o '" + file + "' -d '" + dir + "' 2>&1");
  if (!unzipped.ok()) return unzipped.status();
  XlsxWorkbook book;
  // Shared strings in order.
  std::vector<std::string> strings;
  const std::string sst = ReadFile(dir + "/xl/sharedStrings.xml");
  for (size_t at = sst.find("<si>"); at != std::string::npos; at = sst.find("<si>", at + 1)) {
    const size_t end = sst.find("</si>", at);
    std::string value;
    // Every <t …>…</t> inside the item (rich text has several).
    for (size_t t = sst.find("<t", at); t != std::string::npos && t < end; t = sst.find("<t", t + 1)) {
      if (sst[t + 2] != '>' && sst[t + 2] != ' ') continue;
      const size_t open = sst.find('>', t);
      const size_t close = sst.find("</t>", open);
      value += DecodeEntities(absl::string_view(sst).substr(open + 1, close - open - 1));
    }
    strings.push_back(value);
    book.shared_strings += value + "\n";
  }
  for (int n = 1;; ++n) {
    const std::string path = absl::StrCat(dir, "/xl/worksheets/sheet", n, ".xml");
    if (!std::filesystem::exists(path)) break;
    const std::string xml = ReadFile(path);
    XlsxSheet& sheet = book.sheets[n];
    for (size_t at = xml.find("<c "); at != std::string::npos; at = xml.find("<c ", at + 1)) {
      const size_t tag_end = xml.find('>', at);
      const absl::string_view tag = absl::string_view(xml).substr(at, tag_end - at + 1);
      if (absl::EndsWith(tag, "/>")) continue;  // an empty (styled) cell
      const std::string type = Attribute(tag, "t");
      const auto [row, column] = CellReference(Attribute(tag, "r"));
      const size_t end = xml.find("</c>", tag_end);
      const absl::string_view inner = absl::string_view(xml).substr(tag_end + 1, end - tag_end - 1);
      XlsxCell cell;
      const size_t v = inner.find("<v>");
      std::string value;
      if (v != absl::string_view::npos) {
        value = DecodeEntities(inner.substr(v + 3, inner.find("</v>") - v - 3));
      }
      if (type == "s") {
        size_t index = 0;
        if (absl::SimpleAtoi(value, &index) && index < strings.size()) cell.text = strings[index];
      } else if (type == "str" || type == "inlineStr") {
        const size_t t = inner.find("<t");
        if (t != absl::string_view::npos) {
          const size_t open = inner.find('>', t);
          cell.text = DecodeEntities(inner.substr(open + 1, inner.find("</t>") - open - 1));
        } else {
          cell.text = value;
        }
      } else {
        cell.text = value;
        cell.numeric = absl::SimpleAtod(value, &cell.number);
      }
      sheet.cells[{row, column}] = std::move(cell);
    }
  }
  std::filesystem::remove_all(dir);
  return book;
}

absl::StatusOr<std::string> PdfToText(const std::string& bytes, const std::string& scratch) {
  const std::string file = scratch + "/document.pdf";
  {
    std::ofstream out(file, std::ios::binary);
    out << bytes;
  }
  return Run("pdftotext -layout '" + file + "' - 2>/dev/null");
}

absl::StatusOr<int> StartPdfToText(const std::string& bytes, const std::string& scratch) {
  const std::string file = scratch + "/async.pdf";
  const std::string text = scratch + "/async.txt";
  {
    std::ofstream out(file, std::ios::binary);
    out << bytes;
  }
  std::filesystem::remove(text);
  const pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    execlp("pdftotext", "pdftotext", "-q", "-layout", file.c_str(), text.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return static_cast<int>(pid);
}

absl::StatusOr<std::string> FinishPdfToText(int pid, const std::string& scratch) {
  int status = 0;
  if (waitpid(static_cast<pid_t>(pid), &status, 0) < 0) return absl::InternalError("waitpid failed");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::InternalError(absl::StrCat("pdftotext exited with status ", status));
  }
  return ReadFile(scratch + "/async.txt");
}

CsvTable ParseCsv(absl::string_view csv) {
  CsvTable table;
  if (absl::StartsWith(csv, "\xEF\xBB\xBF")) csv.remove_prefix(3);
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < csv.size(); ++i) {
    const char c = csv[i];
    if (quoted) {
      if (c == '"' && i + 1 < csv.size() && csv[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      record.push_back(field);
      field.clear();
    } else if (c == '\r' && i + 1 < csv.size() && csv[i + 1] == '\n') {
      record.push_back(field);
      field.clear();
      records.push_back(record);
      record.clear();
      ++i;
    } else {
      field += c;
    }
  }
  if (!field.empty() || !record.empty()) {
    record.push_back(field);
    records.push_back(record);
  }
  if (records.empty()) return table;
  const std::vector<std::string>& header = records[0];
  for (size_t r = 1; r < records.size(); ++r) {
    std::map<std::string, std::string> row;
    for (size_t c = 0; c < header.size() && c < records[r].size(); ++c) row[header[c]] = records[r][c];
    table.rows.push_back(std::move(row));
  }
  return table;
}

std::string MakeScratchDirectory() {
  std::string pattern = (std::filesystem::temp_directory_path() / "yusuan-format-agreement-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) return std::filesystem::temp_directory_path().string();
  return pattern;
}

std::optional<std::pair<size_t, size_t>> TableRegion(const std::vector<std::string>& lines,
                                                     const std::vector<std::pair<std::string, std::string>>& titles,
                                                     const std::string& anchor) {
  auto last_line = [&](const std::string& title) -> std::optional<size_t> {
    std::optional<size_t> found;
    for (size_t l = 0; l < lines.size(); ++l) {
      if (absl::StripAsciiWhitespace(lines[l]) == title) found = l;
    }
    return found;
  };
  for (size_t k = 0; k < titles.size(); ++k) {
    if (titles[k].first != anchor) continue;
    const std::optional<size_t> start = last_line(titles[k].second);
    if (!start.has_value()) return std::nullopt;
    size_t end = lines.size();
    if (k + 1 < titles.size()) {
      const std::optional<size_t> next = last_line(titles[k + 1].second);
      if (next.has_value() && *next > *start) end = *next;
    }
    return std::make_pair(*start, end);
  }
  return std::nullopt;
}

}  // namespace yusuan::property
