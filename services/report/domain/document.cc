#include "services/report/domain/document.h"

#include <algorithm>
#include <utility>

#include "services/common/money.h"

namespace yusuan::report {

void Document::AddHeading(int level, std::string text, std::string anchor) {
  blocks.emplace_back(Heading{level, std::move(text), std::move(anchor)});
}

void Document::AddParagraph(std::string text, ParagraphStyle style) {
  blocks.emplace_back(Paragraph{std::move(text), style});
}

void Document::AddTable(Table table) { blocks.emplace_back(std::move(table)); }
void Document::AddChart(Chart chart) { blocks.emplace_back(std::move(chart)); }

std::vector<std::vector<GridSlot>> ResolveGrid(const std::vector<Row>& rows, size_t columns) {
  std::vector<std::vector<GridSlot>> grid(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    size_t col = 0;
    for (const Cell& cell : rows[r]) {
      while (col < grid[r].size() && grid[r][col].cell != nullptr) ++col;
      const size_t col_span = static_cast<size_t>(std::max(cell.col_span, 1));
      const size_t row_span = static_cast<size_t>(std::max(cell.row_span, 1));
      const size_t last_row = std::min(rows.size(), r + row_span);
      for (size_t rr = r; rr < last_row; ++rr) {
        if (grid[rr].size() < col + col_span) grid[rr].resize(col + col_span);
        for (size_t cc = col; cc < col + col_span; ++cc) {
          grid[rr][cc].cell = &cell;
          grid[rr][cc].origin = (rr == r && cc == col);
        }
      }
      col += col_span;
    }
  }
  size_t width = columns;
  for (const auto& row : grid) width = std::max(width, row.size());
  for (auto& row : grid) row.resize(width);
  return grid;
}

size_t ColumnCount(const Table& table) {
  size_t width = 0;
  for (const auto* rows : {&table.header, &table.body}) {
    const auto grid = ResolveGrid(*rows);
    if (!grid.empty()) width = std::max(width, grid.front().size());
  }
  return width;
}

Cell TextCell(std::string text, int col_span, int row_span) {
  Cell cell;
  cell.text = std::move(text);
  cell.col_span = col_span;
  cell.row_span = row_span;
  return cell;
}

Cell LabelCell(std::string text, int col_span, int row_span) {
  Cell cell = TextCell(std::move(text), col_span, row_span);
  cell.label = true;
  return cell;
}

Cell NumberCell(std::string text, bool bold) {
  Cell cell = TextCell(std::move(text));
  cell.align = Align::kRight;
  cell.bold = bold;
  return cell;
}

Cell WanYuanCell(int64_t fen, bool bold) {
  Cell cell = NumberCell(FormatWanYuan(fen), bold);
  cell.quantity = Quantity::kWanYuan;
  cell.value = fen;
  return cell;
}

Cell YuanCell(int64_t fen, bool bold) {
  Cell cell = NumberCell(FormatYuan(fen), bold);
  cell.quantity = Quantity::kYuan;
  cell.value = fen;
  return cell;
}

Cell PercentCell(int64_t hundredths_of_percent, bool bold) {
  Cell cell = NumberCell(FormatBasisPoints(hundredths_of_percent) + "%", bold);
  cell.quantity = Quantity::kPercent;
  cell.value = hundredths_of_percent;
  return cell;
}

}  // namespace yusuan::report
