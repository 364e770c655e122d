// A Document table laid out for the PDF, as pure functions of measured
// text: which font size it is set in, how wide its columns are (an amount
// never wraps), where each cell's text wraps and how tall the rows grow,
// how a table too wide for any size is split into column groups, how its
// body runs over pages under a header repeated on each, and where every
// cell's frame and lines land. Text is set and measured through
// CellTypesetter — pango in the renderer (pdf_typesetter.h), arithmetic in
// the tests — so no cairo or pango type appears here. Lengths are points.
#ifndef YUSUAN_SERVICES_REPORT_DOMAIN_PDF_TABLE_LAYOUT_H_
#define YUSUAN_SERVICES_REPORT_DOMAIN_PDF_TABLE_LAYOUT_H_

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "services/report/domain/document.h"
#include "services/report/domain/pdf_layout.h"

namespace yusuan::report::pdf_layout {

// Tables: 9 pt text, cell padding, shaded headers and labels. A table whose
// amounts do not fit the width at 9 pt is set smaller, in quarter points down
// to 7 pt, and split into column groups below that: an amount never wraps
// ("1326." / "90" would misstate it).
inline constexpr double kTableSize = 9.0;
inline constexpr double kMinTableSize = 7.0;
inline constexpr double kTableSizeStep = 0.25;
inline constexpr double kCellPadX = 3.5;
inline constexpr double kCellPadY = 2.5;
inline constexpr double kHeaderShade = 0.92;
inline constexpr double kLabelShade = 0.95;
inline constexpr ColumnRules kTableColumns{2 * kCellPadX, 2, 4};

// The sizes a table may be set in, largest first: kTableSize down to
// kMinTableSize in steps of kTableSizeStep.
const std::vector<double>& TableSizes();

// How a cell's text is set: the sans face, bold or not, aligned in its
// column.
struct CellFont {
  double size = kTableSize;
  bool bold = false;
  Align align = Align::kLeft;
};

// A text as set: the typesetter's handle for it and its width on one line.
struct SetText {
  size_t handle = 0;
  double natural = 0;
};

// What the table layout needs of a typesetter.
class CellTypesetter {
 public:
  virtual ~CellTypesetter() = default;
  // Sets `text` on one line (it breaks only at '\n').
  virtual SetText Set(std::string_view text, const CellFont& font) = 0;
  // Wraps the text to `width` and returns its line tops (lines + 1 values;
  // line i spans tops[i]..tops[i + 1]). Text that fits, and `whole` text,
  // keeps its lines.
  virtual std::vector<double> Wrap(size_t handle, double width, bool whole) = 0;
  // The height of one empty line at `size`.
  virtual double LineHeight(double size) = 0;
};

// One cell after spans are resolved, with its text as set and wrapped.
struct TableCell {
  const Cell* cell = nullptr;
  size_t row = 0;
  size_t col = 0;
  size_t rows = 1;
  size_t cols = 1;
  bool header = false;
  bool numeric = false;  // an amount or share (right-aligned)
  // Never wrapped: amounts, shares and the classification codes of grid
  // tables ("2060101"), which read as something else when broken.
  bool whole = false;
  bool middle = true;        // vertically centred (else top)
  double inset = 0;          // extra left inset (classification indent)
  double shade = 1.0;        // fill grey; 1 = none
  size_t text = 0;           // the typesetter's handle
  double natural = 0;        // text width on one line
  std::vector<double> tops;  // line tops once wrapped to the column

  int lines() const { return static_cast<int>(tops.size()) - 1; }
  double height() const { return tops.empty() ? 0 : tops.back() - tops.front(); }
  // Offset of line i's top from the cell text's top.
  double top(int i) const { return tops[static_cast<size_t>(i)] - tops.front(); }
};

struct TableGrid {
  size_t columns = 0;
  double size = kTableSize;   // the font size the table is set in
  std::vector<double> col_x;  // columns + 1 edges
  std::vector<TableCell> header;
  std::vector<TableCell> body;
  std::vector<double> header_tops;  // header rows + 1
  std::vector<double> body_tops;    // body rows + 1
  // breakable[k]: a page may end before body row k (no row span crosses).
  std::vector<bool> breakable;

  double header_height() const { return header_tops.back(); }
  double body_height() const { return body_tops.back(); }
  double left(const TableCell& cell) const { return col_x[cell.col]; }
  double right(const TableCell& cell) const { return col_x[cell.col + cell.cols]; }
};

// The table as set, from x, `width` wide. At 9 pt when its amounts fit on
// one line there (text wraps as tightly as it must); otherwise at the
// largest smaller size, down to 7 pt, where text keeps four characters a
// line; failing that at 7 pt with text squeezed tighter. nullopt when even
// that cannot keep the amounts whole: the table is then split
// (SplitTable). A column group (`part`) skips the 9 pt squeeze — its
// columns were chosen to fit without one — and overflows the width rather
// than fail. Every text cell is wrapped to its column and the rows grow to
// their tallest cell.
std::optional<TableGrid> LayOutTable(const Table& table, double x, double width, CellTypesetter& typesetter, bool part);

// The leading columns that say what a row is (code, name): those before
// the first column holding an amount. They open every column group.
size_t KeyColumns(const TableGrid& grid);

// The table restricted to `columns` (in order): cells keep their text and
// row span, and span the chosen columns they covered.
Table SubTable(const Table& table, const std::vector<size_t>& columns);

// A table too wide for `width` even at 7 pt, as column groups printed one
// after another: each repeats the key columns, the later ones titled
// "（续）" and without the anchor, the note under the last.
std::vector<Table> SplitTable(const Table& table, double width, CellTypesetter& typesetter);

// How much of the body must fit under the header for the table to start
// on a page with `room` under its header when the page is fresh: its first
// group of rows that no page may split; a form that fits a fresh page
// whole; a group taller than a fresh page only its first row, at most 40 pt
// (it is split anyway).
double OpeningRows(const TableGrid& grid, TableStyle style, double room);

// The body over pages (PaginateBody) from `start_y` on the current page
// (page 0), the header repeated on every page; a row taller than a page is
// cut between the lines of its cells.
std::vector<BodySegment> PaginateTable(const TableGrid& grid, double start_y, const PageFrame& frame);

// What a laid-out table draws on its pages: cell frames (filled with
// `shade` when it is under 1) and runs of a cell's lines. `page` is the
// segment's page.
struct CellFrame {
  size_t page = 0;
  double x = 0;
  double y = 0;
  double w = 0;
  double h = 0;
  double shade = 1.0;
};
struct CellLines {
  size_t page = 0;
  size_t text = 0;  // the typesetter's handle
  int first = 0;
  int last = 0;
  double x = 0;
  double y = 0;  // top of line `first`
};
struct TableDrawing {
  std::vector<CellFrame> frames;
  std::vector<CellLines> lines;
};

// The header on every segment, centred in its cells, then the body cells
// where the segments put them (PlaceCellLines: a cell cut by a page end is
// top-aligned and its lines flow on to the next page), a cut cell framed
// on each page it spans.
TableDrawing DrawTable(const TableGrid& grid, const std::vector<BodySegment>& segments);

}  // namespace yusuan::report::pdf_layout

#endif  // YUSUAN_SERVICES_REPORT_DOMAIN_PDF_TABLE_LAYOUT_H_
