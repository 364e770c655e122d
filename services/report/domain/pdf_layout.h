// The geometry of the PDF as pure functions of text extents: how wide a
// table's columns are and at which font size, how a table too wide for the
// page is split into column groups, how tall its rows are, and where its
// rows and a paragraph's lines break across pages. No cairo, no pango: the
// typesetter (pdf_typesetter.h) measures the text, the table and page
// layouts (pdf_table_layout.h, pdf_pages.h) ask these, the writer
// (pdf_writer.h) draws; so each rule can be tested with numbers alone.
//
// All lengths are PDF points. A "page frame" is the text block of a page:
// content runs from `top` to `bottom`.
#ifndef YUSUAN_SERVICES_REPORT_DOMAIN_PDF_LAYOUT_H_
#define YUSUAN_SERVICES_REPORT_DOMAIN_PDF_LAYOUT_H_

#include <cstddef>
#include <optional>
#include <vector>

namespace yusuan::report::pdf_layout {

inline constexpr double kEps = 1e-3;

struct PageFrame {
  double top = 0;
  double bottom = 0;
};

// ------------------------------------------------------------- columns

// The horizontal needs of one table cell: the columns it covers and the
// width of its text laid out on one line, measured at some font size.
struct CellExtent {
  size_t col = 0;
  size_t cols = 1;
  double natural = 0;  // text width on one line, pt
  double inset = 0;    // extra left inset (classification indent), pt
  // An amount: it never wraps, so its column is at least as wide as its
  // text. Text may wrap down to ColumnRules::shrink_ems.
  bool whole = false;
};

// How columns are sized, as a share of the font size where it scales.
struct ColumnRules {
  double padding = 7;     // left and right padding together, pt (fixed)
  double floor_ems = 2;   // the narrowest column holds two characters
  double shrink_ems = 4;  // wrapped text keeps at least four characters
};

// The narrowest each column may be at font size `size`, for extents
// measured at `measured_size` (text widths and insets scale with the size,
// padding does not): a whole cell's full width, a text cell's four
// characters (or less when its text is shorter), never under two
// characters. Cells spanning several columns do not set minimums.
std::vector<double> MinimumColumnWidths(const std::vector<CellExtent>& cells, size_t columns, const ColumnRules& rules,
                                        double size, double measured_size);

// What no column may go under at `size`: its whole cells on one line, and
// two characters (with padding) for a column of text only.
std::vector<double> HardColumnWidths(const std::vector<CellExtent>& cells, size_t columns, const ColumnRules& rules,
                                     double size, double measured_size);

// Column widths filling exactly `width`, as HTML's automatic table layout
// does it: every column wants its widest unwrapped single-column cell
// (spanning cells spread what they need beyond that) and may shrink to its
// minimum; the room between is shared in proportion to what each column can
// give up. When even the minimums are too wide, they all shrink by one
// factor — text then wraps to fewer than four characters — except that no
// column goes under its hard width. nullopt when the hard widths alone are
// wider than `width`: then no width keeps every amount whole, and the table
// needs a smaller font (FittingFontSize) or a split (ColumnGroups) — never
// an amount broken over two lines.
std::optional<std::vector<double>> ColumnWidths(const std::vector<CellExtent>& cells, size_t columns, double width,
                                                const ColumnRules& rules, double size, double measured_size);

// The largest font size of `sizes` (tried in order, largest first) at which
// the minimum widths fit `width` (amounts whole, text down to four
// characters, nothing squeezed); nullopt when none does.
std::optional<double> FittingFontSize(const std::vector<CellExtent>& cells, size_t columns, double width,
                                      const ColumnRules& rules, double measured_size, const std::vector<double>& sizes);

// Splits a table that does not fit even at its smallest font into column
// groups printed one after another: the first `key_columns` columns (code
// and name, which say what a row is) open every group, and the other columns
// follow in order, as many per group as fit `width` at `size` with their
// minimum widths (so that no group has to squeeze its text). Every group has
// at least one column besides the keys.
std::vector<std::vector<size_t>> ColumnGroups(const std::vector<CellExtent>& cells, size_t columns, size_t key_columns,
                                              double width, const ColumnRules& rules, double size,
                                              double measured_size);

// ---------------------------------------------------------------- rows

// The vertical needs of one cell: its rows and its height with padding.
struct CellHeight {
  size_t row = 0;
  size_t rows = 1;
  double height = 0;
};

// Row tops (rows + 1 values from 0): every row is as tall as its tallest
// single-row cell and at least `min_height`; a row-spanning cell that needs
// more spreads the rest evenly over its rows (narrower spans first).
std::vector<double> RowTops(const std::vector<CellHeight>& cells, size_t rows, double min_height);

// ---------------------------------------------------------- pagination

// Where a cell's text may be cut between lines: its rows and the offsets of
// its inner line boundaries from the top of its first row.
struct CellBreaks {
  size_t row = 0;
  size_t rows = 1;
  std::vector<double> offsets;
};

// The part of a table's body on one page: body rows from va to vb (offsets
// into the unpaginated body), drawn from body_y down under the header
// drawn at header_y. `page` counts from the page the table starts on (0).
struct BodySegment {
  size_t page = 0;
  double header_y = 0;
  double body_y = 0;
  double va = 0;
  double vb = 0;
};

// Splits a body (row tops `tops`, breakable[k]: a page may end before row k)
// over pages, the header repeated on each, starting at `start_y` on the
// current page. Each page takes as many rows as fit, ending only where no
// row span crosses; a group of spanned rows taller than a page is split
// between rows, and a row taller than a page between the lines of the cells
// in the way (`cells`), else at the page bottom.
std::vector<BodySegment> PaginateBody(const std::vector<double>& tops, const std::vector<bool>& breakable,
                                      const std::vector<CellBreaks>& cells, double header_height, double start_y,
                                      const PageFrame& frame);

// The lines [first, last) of a body cell drawn on segments[segment], the
// top of line `first` at page y.
struct CellRun {
  size_t segment = 0;
  int first = 0;
  int last = 0;
  double y = 0;
};

// Where the lines of a body cell spanning body offsets top..bottom fall
// (line i spans tops[i]..tops[i + 1], from tops[0]), `padding` inside its
// top: centred when `middle` and the cell is on one page; a cell cut by a
// page end is top-aligned, a line that would cross the end moves to the next
// page, and the first line there keeps the padding.
std::vector<CellRun> PlaceCellLines(const std::vector<double>& tops, double top, double bottom, double padding,
                                    bool middle, const std::vector<BodySegment>& segments);

// A run of lines [first, last) on one page, the top of line `first` at y.
struct LineRun {
  size_t page = 0;  // from the current page (0)
  int first = 0;
  int last = 0;
  double y = 0;
};

// Places the lines of a text block (line i spans tops[i]..tops[i + 1], from
// tops[0]) from `start_y` on, continuing on the next pages when they do not
// fit; a single first line is not left at the bottom of a page, nor a single
// last line carried alone to the next. Starting at the top of a page
// (start_y <= frame.top) a page always takes at least one line. An empty
// block gives no run.
std::vector<LineRun> PlaceLines(const std::vector<double>& tops, double start_y, const PageFrame& frame);

}  // namespace yusuan::report::pdf_layout

#endif  // YUSUAN_SERVICES_REPORT_DOMAIN_PDF_LAYOUT_H_
