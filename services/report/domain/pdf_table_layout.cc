#include "services/report/domain/pdf_table_layout.h"

#include <algorithm>
#include <map>
#include <utility>

namespace yusuan::report::pdf_layout {
namespace {

// A classification code: digits only.
bool IsCode(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

CellFont FontOf(const TableCell& cell, double size) {
  CellFont font;
  font.size = size;
  font.bold = cell.header || cell.cell->bold || cell.cell->label;
  if (cell.header) {
    font.align = Align::kCenter;
  } else if (!cell.cell->label) {
    font.align = cell.cell->align;
  }
  return font;
}

// `codes`: a digits-only cell is a classification code (grid tables; a
// form's digits — 主管部门编码, a telephone number — are free text there).
std::vector<TableCell> SetCells(const std::vector<Row>& rows, size_t columns, bool header, bool codes, double size,
                                CellTypesetter& typesetter) {
  const auto grid = ResolveGrid(rows, columns);
  std::vector<TableCell> cells;
  for (size_t r = 0; r < grid.size(); ++r) {
    for (size_t c = 0; c < grid[r].size(); ++c) {
      const GridSlot& slot = grid[r][c];
      if (!slot.origin || slot.cell == nullptr) continue;
      TableCell cell;
      cell.cell = slot.cell;
      cell.row = r;
      cell.col = c;
      size_t c1 = c + 1;
      while (c1 < grid[r].size() && grid[r][c1].cell == slot.cell && !grid[r][c1].origin) ++c1;
      size_t r1 = r + 1;
      while (r1 < grid.size() && grid[r1][c].cell == slot.cell && !grid[r1][c].origin) ++r1;
      cell.cols = c1 - c;
      cell.rows = r1 - r;
      cell.header = header;
      cell.numeric = !header && slot.cell->align == Align::kRight;
      cell.whole = cell.numeric || (!header && codes && IsCode(slot.cell->text));
      cell.inset = header ? 0 : std::max(slot.cell->indent, 0) * size;
      if (header) {
        cell.shade = kHeaderShade;
      } else if (slot.cell->label) {
        cell.shade = kLabelShade;
      }
      const SetText set = typesetter.Set(slot.cell->text, FontOf(cell, size));
      cell.text = set.handle;
      cell.natural = set.natural;
      cells.push_back(std::move(cell));
    }
  }
  return cells;
}

// The table's cells set at `size`, not yet placed, and their extents.
struct Measured {
  TableGrid grid;
  std::vector<CellExtent> extents;
};

Measured Measure(const Table& table, double size, CellTypesetter& typesetter) {
  Measured out;
  TableGrid& grid = out.grid;
  grid.size = size;
  grid.columns = ColumnCount(table);
  const bool codes = table.style == TableStyle::kGrid;
  grid.header = SetCells(table.header, grid.columns, true, codes, size, typesetter);
  grid.body = SetCells(table.body, grid.columns, false, codes, size, typesetter);
  for (const auto* cells : {&grid.header, &grid.body}) {
    for (const TableCell& cell : *cells) {
      out.extents.push_back({cell.col, cell.cols, cell.natural, cell.inset, cell.whole});
    }
  }
  return out;
}

// Gives the measured cells their columns, wraps the text cells to them,
// and sizes the rows.
void Place(const Table& table, double x, const std::vector<double>& widths, CellTypesetter& typesetter,
           TableGrid& grid) {
  const bool form = table.style == TableStyle::kForm;
  grid.col_x.assign(grid.columns + 1, x);
  for (size_t c = 0; c < grid.columns; ++c) grid.col_x[c + 1] = grid.col_x[c] + widths[c];
  std::vector<CellHeight> header_heights;
  std::vector<CellHeight> body_heights;
  for (auto* cells : {&grid.header, &grid.body}) {
    for (TableCell& cell : *cells) {
      const double width = grid.right(cell) - grid.left(cell) - 2 * kCellPadX - cell.inset;
      cell.tops = typesetter.Wrap(cell.text, width, cell.whole);
      // Forms put long values at the top of their cell; everything else is
      // centred.
      if (form && !cell.cell->label && cell.lines() > 1) cell.middle = false;
      (cells == &grid.header ? header_heights : body_heights)
          .push_back({cell.row, cell.rows, cell.height() + 2 * kCellPadY});
    }
  }
  const double min_height = typesetter.LineHeight(grid.size) + 2 * kCellPadY;
  grid.header_tops = RowTops(header_heights, table.header.size(), min_height);
  grid.body_tops = RowTops(body_heights, table.body.size(), min_height);
  grid.breakable.assign(table.body.size() + 1, true);
  for (const TableCell& cell : grid.body) {
    for (size_t k = cell.row + 1; k < cell.row + cell.rows; ++k) grid.breakable[k] = false;
  }
}

}  // namespace

const std::vector<double>& TableSizes() {
  static const auto* sizes = [] {
    auto* out = new std::vector<double>;
    for (double size = kTableSize; size >= kMinTableSize - kEps; size -= kTableSizeStep) {
      out->push_back(size);
    }
    return out;
  }();
  return *sizes;
}

std::optional<TableGrid> LayOutTable(const Table& table, double x, double width, CellTypesetter& typesetter,
                                     bool part) {
  Measured set = Measure(table, kTableSize, typesetter);
  std::optional<std::vector<double>> widths;
  if (!part) {
    widths = ColumnWidths(set.extents, set.grid.columns, width, kTableColumns, kTableSize, kTableSize);
  }
  if (!widths.has_value()) {
    // Text widths scale with the size, so the 9 pt measurements predict the
    // size; measuring again at that size confirms it (glyph advances need
    // not scale exactly), else the next size down is tried.
    const std::optional<double> predicted =
        FittingFontSize(set.extents, set.grid.columns, width, kTableColumns, kTableSize, TableSizes());
    for (double size : TableSizes()) {
      if (!predicted.has_value() || size > *predicted + kEps) continue;
      Measured candidate = Measure(table, size, typesetter);
      if (!FittingFontSize(candidate.extents, candidate.grid.columns, width, kTableColumns, size, {size}).has_value()) {
        continue;
      }
      widths = ColumnWidths(candidate.extents, candidate.grid.columns, width, kTableColumns, size, size);
      set = std::move(candidate);
      break;
    }
  }
  if (!widths.has_value()) {
    set = Measure(table, kMinTableSize, typesetter);
    widths = ColumnWidths(set.extents, set.grid.columns, width, kTableColumns, kMinTableSize, kMinTableSize);
    if (!widths.has_value()) {
      if (!part) return std::nullopt;
      widths = HardColumnWidths(set.extents, set.grid.columns, kTableColumns, kMinTableSize, kMinTableSize);
    }
  }
  Place(table, x, *widths, typesetter, set.grid);
  return std::move(set.grid);
}

size_t KeyColumns(const TableGrid& grid) {
  size_t keys = grid.columns;
  for (const TableCell& cell : grid.body) {
    if (cell.numeric) keys = std::min(keys, cell.col);
  }
  return keys;
}

Table SubTable(const Table& table, const std::vector<size_t>& columns) {
  const size_t width = ColumnCount(table);
  Table part = table;
  for (auto [rows, out] : {std::make_pair(&table.header, &part.header), std::make_pair(&table.body, &part.body)}) {
    out->clear();
    const auto grid = ResolveGrid(*rows, width);
    std::map<const Cell*, size_t> first_row;
    for (size_t r = 0; r < grid.size(); ++r) {
      Row row;
      const Cell* previous = nullptr;
      for (size_t c : columns) {
        const Cell* cell = c < grid[r].size() ? grid[r][c].cell : nullptr;
        if (cell == nullptr) {
          row.push_back(TextCell(""));
          previous = nullptr;
          continue;
        }
        const size_t top = first_row.emplace(cell, r).first->second;
        if (top != r) {
          previous = nullptr;  // covered by a row span from above
          continue;
        }
        if (cell == previous) {
          ++row.back().col_span;
          continue;
        }
        Cell copy = *cell;
        copy.col_span = 1;
        row.push_back(std::move(copy));
        previous = cell;
      }
      out->push_back(std::move(row));
    }
  }
  return part;
}

std::vector<Table> SplitTable(const Table& table, double width, CellTypesetter& typesetter) {
  const Measured set = Measure(table, kMinTableSize, typesetter);
  const std::vector<std::vector<size_t>> groups = ColumnGroups(set.extents, set.grid.columns, KeyColumns(set.grid),
                                                               width, kTableColumns, kMinTableSize, kMinTableSize);
  std::vector<Table> parts;
  for (size_t g = 0; g < groups.size(); ++g) {
    Table part = SubTable(table, groups[g]);
    if (g > 0) {
      part.anchor.clear();
      if (!part.title.empty()) part.title += "（续）";
    }
    if (g + 1 < groups.size()) part.note.clear();
    parts.push_back(std::move(part));
  }
  return parts;
}

double OpeningRows(const TableGrid& grid, TableStyle style, double room) {
  if (grid.columns == 0 || grid.body_tops.size() < 2) return 0;
  size_t k = 1;
  while (k + 1 < grid.body_tops.size() && !grid.breakable[k]) ++k;
  if (style == TableStyle::kForm && grid.body_height() <= room) return grid.body_height();
  if (grid.body_tops[k] > room) return std::min(grid.body_tops[1], 40.0);
  return grid.body_tops[k];
}

std::vector<BodySegment> PaginateTable(const TableGrid& grid, double start_y, const PageFrame& frame) {
  std::vector<CellBreaks> breaks;
  for (const TableCell& cell : grid.body) {
    CellBreaks cut{cell.row, cell.rows, {}};
    for (int i = 1; i < cell.lines(); ++i) {
      cut.offsets.push_back(kCellPadY + cell.top(i));
    }
    breaks.push_back(std::move(cut));
  }
  return PaginateBody(grid.body_tops, grid.breakable, breaks, grid.header_height(), start_y, frame);
}

TableDrawing DrawTable(const TableGrid& grid, const std::vector<BodySegment>& segments) {
  TableDrawing drawing;
  for (const BodySegment& segment : segments) {
    for (const TableCell& cell : grid.header) {
      const double x0 = grid.left(cell);
      const double y0 = segment.header_y + grid.header_tops[cell.row];
      const double y1 = segment.header_y + grid.header_tops[cell.row + cell.rows];
      drawing.frames.push_back({segment.page, x0, y0, grid.right(cell) - x0, y1 - y0, cell.shade});
      const double slack = std::max(0.0, y1 - y0 - 2 * kCellPadY - cell.height());
      drawing.lines.push_back({segment.page, cell.text, 0, cell.lines(), x0 + kCellPadX, y0 + kCellPadY + slack / 2});
    }
  }
  for (const TableCell& cell : grid.body) {
    const double top = grid.body_tops[cell.row];
    const double bottom = grid.body_tops[cell.row + cell.rows];
    const double x0 = grid.left(cell);
    for (const BodySegment& segment : segments) {
      const double lo = std::max(top, segment.va);
      const double hi = std::min(bottom, segment.vb);
      if (hi - lo <= kEps) continue;
      const double y0 = segment.body_y + lo - segment.va;
      const double y1 = segment.body_y + hi - segment.va;
      drawing.frames.push_back({segment.page, x0, y0, grid.right(cell) - x0, y1 - y0, cell.shade});
    }
    for (const CellRun& run : PlaceCellLines(cell.tops, top, bottom, kCellPadY, cell.middle, segments)) {
      drawing.lines.push_back(
          {segments[run.segment].page, cell.text, run.first, run.last, x0 + kCellPadX + cell.inset, run.y});
    }
  }
  return drawing;
}

}  // namespace yusuan::report::pdf_layout
