// Readers of the rendered formats for format_agreement_test.cc: just enough
// of HTML, GitHub Markdown, XLSX (via `unzip`), PDF text (via `pdftotext
// -layout`) and CSV to find a table cell or a paragraph by position. They
// read what the report renderers write, not arbitrary files.
#ifndef YUSUAN_TESTS_PROPERTY_FORMAT_READERS_H_
#define YUSUAN_TESTS_PROPERTY_FORMAT_READERS_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace yusuan::property {

bool IsDigit(char c);
// d+.dd: an amount as the tables print it.
bool IsAmount(absl::string_view text);
std::vector<char32_t> DecodeUtf8(absl::string_view text);
// CJK ideographs and CJK punctuation / full-width forms.
bool IsCjk(char32_t c);
// Leading ASCII blanks and ideographic spaces (a classification's indent).
std::string StripIndent(absl::string_view text);
std::string RemoveWhitespace(absl::string_view text);
// Whitespace-separated tokens of a line.
std::vector<std::string> Tokens(absl::string_view line);

// A table's body after col/row spans are laid out: texts by [row][column],
// the text of a spanning cell in its first slot only.
struct HtmlTable {
  size_t header_rows = 0;
  std::vector<std::vector<std::optional<std::string>>> body;
  std::optional<std::string> Text(size_t row, size_t column) const;
};

struct HtmlDocument {
  std::map<std::string, HtmlTable> tables;  // by the anchor of its <figure>
  // (anchor, title) of table-1 … table-N in document order: a figure's
  // caption or a heading's text.
  std::vector<std::pair<std::string, std::string>> titles;
  std::map<std::string, std::string> headings;  // by anchor
  std::vector<std::string> paragraphs;          // every <p>, entities undone
  std::vector<std::string> cells;               // every <td>
  // Every <td> by the table it is in: the last "table-N" anchor before it
  // (a figure or a heading), "" outside 第二部分's tables.
  std::map<std::string, std::vector<std::string>> region_cells;
  // <td>s whose text is an amount (d+.dd) but whose class is not "num" (the
  // class the stylesheet keeps on one line).
  std::vector<std::string> unclassed_amounts;
  // The years of every header row that shows years ("2019 年").
  std::vector<std::vector<int>> header_year_rows;

  const HtmlTable* FindTable(const std::string& anchor) const;
  const std::vector<std::pair<std::string, std::string>>& TableTitles() const { return titles; }
  std::string HeadingText(const std::string& anchor) const;
};

HtmlDocument ParseHtml(absl::string_view html);

struct MarkdownTable {
  std::vector<std::vector<std::string>> body;  // cells unescaped, bold and indent removed
  std::optional<std::string> Text(size_t row, size_t column) const;
};

struct MarkdownDocument {
  std::map<std::string, MarkdownTable> tables;  // by the title line **…** above it
  std::vector<std::string> paragraphs;          // lines outside tables, unescaped
  std::vector<std::string> cells;               // every body cell
  // Body cells by the last "## "/"### " heading or "**表…**" line above them.
  std::map<std::string, std::vector<std::string>> region_cells;
  std::vector<std::vector<int>> header_year_rows;

  const MarkdownTable* FindTable(const std::string& title) const;
};

MarkdownDocument ParseMarkdown(absl::string_view markdown);

struct XlsxCell {
  std::string text;  // the shared string, or the number as written
  bool numeric = false;
  double number = 0;
};

struct XlsxSheet {
  std::map<std::pair<int, int>, XlsxCell> cells;  // (row from 1, column from 0)
  const XlsxCell* Cell(int row, int column) const;
  std::optional<std::string> Text(int row, int column) const;
};

struct XlsxWorkbook {
  std::map<int, XlsxSheet> sheets;  // sheetN.xml by N
  std::string shared_strings;       // every shared string, joined by '\n'
  const XlsxSheet* Sheet(int number) const;
  std::string AllText() const { return shared_strings; }
};

// Writes the workbook into `scratch`, unzips it there and reads every sheet.
absl::StatusOr<XlsxWorkbook> ReadXlsx(const std::string& bytes, const std::string& scratch);

// Writes the PDF into `scratch` and runs `pdftotext -layout` on it.
absl::StatusOr<std::string> PdfToText(const std::string& bytes, const std::string& scratch);

// The same in two steps, so that pdftotext runs while the caller reads the
// other formats: Start writes the PDF and starts pdftotext (its process id),
// Finish waits for it and reads the text.
absl::StatusOr<int> StartPdfToText(const std::string& bytes, const std::string& scratch);
absl::StatusOr<std::string> FinishPdfToText(int pid, const std::string& scratch);

struct CsvTable {
  std::vector<std::map<std::string, std::string>> rows;  // by header name
};

CsvTable ParseCsv(absl::string_view csv);

// A fresh private directory under the system temp directory.
std::string MakeScratchDirectory();

// Lines [first, second) of the PDF text that hold the table `anchor`: from
// the last line that is exactly its title to the last line that is exactly
// the next table's title (or the end).
std::optional<std::pair<size_t, size_t>> TableRegion(const std::vector<std::string>& lines,
                                                     const std::vector<std::pair<std::string, std::string>>& titles,
                                                     const std::string& anchor);

}  // namespace yusuan::property

#endif  // YUSUAN_TESTS_PROPERTY_FORMAT_READERS_H_
