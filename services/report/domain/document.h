// A small format-neutral document model. The disclosure is assembled once
// into a Document and then written out by one renderer per format, so the
// HTML and the Markdown (and later PDF/XLSX) cannot say different things.
#ifndef YUSUAN_SERVICES_REPORT_DOMAIN_DOCUMENT_H_
#define YUSUAN_SERVICES_REPORT_DOMAIN_DOCUMENT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace yusuan::report {

enum class Align { kLeft, kCenter, kRight };

// What the number behind a numeric cell means. Text renderers print
// `Cell::text`; spreadsheet renderers (XLSX) write `Cell::value` as a number
// that equals the text exactly.
enum class Quantity {
  kNone,     // text only
  kWanYuan,  // value in 分, shown in 万元 with two decimals ("415.51")
  kYuan,     // value in 分, shown in 元 with two decimals ("208000.00")
  kPercent,  // value in hundredths of a percent, shown as "37.72%"
};

// One cell of a table or form. `text` may hold '\n' for line breaks inside
// the cell; renderers turn it into their own line break.
struct Cell {
  std::string text;
  int col_span = 1;
  int row_span = 1;
  Align align = Align::kLeft;
  bool bold = false;
  // A field label of a form (表9/表10), shown shaded.
  bool label = false;
  // Indentation steps of a classification name (款 1, 项 2).
  int indent = 0;
  // The number the text shows (see Quantity); kNone for text cells.
  Quantity quantity = Quantity::kNone;
  int64_t value = 0;
};

using Row = std::vector<Cell>;

enum class TableStyle {
  kGrid,  // a numeric table: header rows, body rows, right-aligned amounts
  kForm,  // a bordered form: label and value cells, no header rows
};

struct Table {
  // "表1 区科协2021年财政拨款收支预算总表"; may be empty for a table that
  // continues a form.
  std::string title;
  // Stable anchor ("table-1"); empty for none.
  std::string anchor;
  // Sub-header line: "编制单位：…" on the left, "单位：万元" on the right.
  std::string meta_left;
  std::string meta_right;
  TableStyle style = TableStyle::kGrid;
  // Header rows may use spans (group cells over their columns).
  std::vector<Row> header;
  std::vector<Row> body;
  // Printed under the table, e.g. the note of an empty table.
  std::string note;
};

struct Heading {
  int level = 1;  // 1 = document title, 2 = part, 3 = item, 4 = sub-item
  std::string text;
  // Stable anchor ("part-2", "table-5"); empty for none.
  std::string anchor;
};

enum class ParagraphStyle {
  kBody,    // ordinary text, first-line indent
  kPlain,   // no indent (list items such as "1、…", form preambles)
  kCenter,  // centred (form titles)
  kRight,   // right-aligned (closing line)
  kNote,    // small print under a table
};

struct Paragraph {
  std::string text;
  ParagraphStyle style = ParagraphStyle::kBody;
};

// A bar chart of amounts (分), one bar per category and series. HTML draws
// it as inline SVG; the other formats leave it out, since the tables beside
// it carry the same figures.
struct ChartSeries {
  std::string name;                 // "2021 年", "本年"
  std::vector<int64_t> values_fen;  // one per category
};

struct Chart {
  std::string title;  // "收入结构（万元）"
  std::string anchor;
  std::vector<std::string> categories;
  std::vector<ChartSeries> series;
};

using Block = std::variant<Heading, Paragraph, Table, Chart>;

struct Document {
  // The page title (HTML <title>).
  std::string title;
  std::string lang = "zh-CN";
  std::vector<Block> blocks;

  void AddHeading(int level, std::string text, std::string anchor = "");
  void AddParagraph(std::string text, ParagraphStyle style = ParagraphStyle::kBody);
  void AddTable(Table table);
  void AddChart(Chart chart);
};

// A cell position after spans are laid out: `cell` is the cell covering the
// slot (nullptr when a row is shorter than the table), `origin` is true only
// at the cell's top-left slot.
struct GridSlot {
  const Cell* cell = nullptr;
  bool origin = false;
};

// Lays out rows with col/row spans the way an HTML table does (a cell is
// placed at the first slot not already covered by a row span from above).
// Every returned row has `columns` slots; columns = 0 means "as wide as the
// widest row".
std::vector<std::vector<GridSlot>> ResolveGrid(const std::vector<Row>& rows, size_t columns = 0);

// Number of columns of a table: the widest of its header and body rows once
// spans are laid out.
size_t ColumnCount(const Table& table);

// Convenience constructors.
Cell TextCell(std::string text, int col_span = 1, int row_span = 1);
Cell LabelCell(std::string text, int col_span = 1, int row_span = 1);
Cell NumberCell(std::string text, bool bold = false);
// Right-aligned amount and share cells that carry their number.
Cell WanYuanCell(int64_t fen, bool bold = false);                    // "415.51"
Cell YuanCell(int64_t fen, bool bold = false);                       // "208000.00"
Cell PercentCell(int64_t hundredths_of_percent, bool bold = false);  // "37.72%"

}  // namespace yusuan::report

#endif  // YUSUAN_SERVICES_REPORT_DOMAIN_DOCUMENT_H_
