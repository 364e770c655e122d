#include "services/report/domain/pdf_layout.h"

#include <algorithm>

namespace yusuan::report::pdf_layout {
namespace {

double Scale(double size, double measured_size) { return measured_size > 0 ? size / measured_size : 1.0; }

// The width a cell wants on one line, with padding and inset, at `size`.
double Natural(const CellExtent& cell, const ColumnRules& rules, double scale) {
  return (cell.natural + cell.inset) * scale + rules.padding;
}

}  // namespace

std::vector<double> MinimumColumnWidths(const std::vector<CellExtent>& cells, size_t columns, const ColumnRules& rules,
                                        double size, double measured_size) {
  const double scale = Scale(size, measured_size);
  std::vector<double> min_w(columns, rules.floor_ems * size + rules.padding);
  for (const CellExtent& cell : cells) {
    if (cell.cols != 1 || cell.col >= columns) continue;
    const double natural = Natural(cell, rules, scale);
    const double shrunk =
        cell.whole ? natural : std::min(natural, rules.shrink_ems * size + cell.inset * scale + rules.padding);
    min_w[cell.col] = std::max(min_w[cell.col], shrunk);
  }
  return min_w;
}

std::vector<double> HardColumnWidths(const std::vector<CellExtent>& cells, size_t columns, const ColumnRules& rules,
                                     double size, double measured_size) {
  const double scale = Scale(size, measured_size);
  std::vector<double> hard(columns, rules.floor_ems * size + rules.padding);
  for (const CellExtent& cell : cells) {
    if (cell.cols != 1 || cell.col >= columns || !cell.whole) continue;
    hard[cell.col] = std::max(hard[cell.col], Natural(cell, rules, scale));
  }
  return hard;
}

std::optional<std::vector<double>> ColumnWidths(const std::vector<CellExtent>& cells, size_t columns, double width,
                                                const ColumnRules& rules, double size, double measured_size) {
  const double scale = Scale(size, measured_size);
  const std::vector<double> min_w = MinimumColumnWidths(cells, columns, rules, size, measured_size);
  std::vector<double> max_w(columns, rules.floor_ems * size + rules.padding);
  std::vector<const CellExtent*> spanning;
  for (const CellExtent& cell : cells) {
    if (cell.col >= columns) continue;
    if (cell.cols != 1) {
      spanning.push_back(&cell);
      continue;
    }
    max_w[cell.col] = std::max(max_w[cell.col], Natural(cell, rules, scale));
  }
  for (const CellExtent* cell : spanning) {
    const size_t first = cell->col;
    const size_t last = std::min(columns, first + cell->cols);
    double have = 0;
    for (size_t c = first; c < last; ++c) have += max_w[c];
    const double natural = Natural(*cell, rules, scale);
    if (natural > have && last > first) {
      const double extra = (natural - have) / static_cast<double>(last - first);
      for (size_t c = first; c < last; ++c) max_w[c] += extra;
    }
  }
  double sum_max = 0;
  double sum_min = 0;
  for (size_t c = 0; c < columns; ++c) {
    max_w[c] = std::max(max_w[c], min_w[c]);
    sum_max += max_w[c];
    sum_min += min_w[c];
  }
  std::vector<double> widths(columns);
  if (sum_min > width + kEps) {
    // Text gives up more than its four characters: every minimum shrinks by
    // one factor, except that no column goes under its hard width (its
    // amounts on one line). The factor is found by fixing the columns it
    // would squeeze too far and sharing the rest among the others.
    const std::vector<double> hard = HardColumnWidths(cells, columns, rules, size, measured_size);
    double sum_hard = 0;
    for (double w : hard) sum_hard += w;
    if (sum_hard > width + kEps) return std::nullopt;
    std::vector<bool> fixed(columns, false);
    double factor = width / sum_min;
    for (size_t round = 0; round <= columns; ++round) {
      double fixed_width = 0;
      double free_min = 0;
      bool changed = false;
      for (size_t c = 0; c < columns; ++c) {
        if (!fixed[c] && min_w[c] * factor < hard[c]) {
          fixed[c] = true;
          changed = true;
        }
        if (fixed[c]) {
          fixed_width += hard[c];
        } else {
          free_min += min_w[c];
        }
      }
      if (!changed) break;
      factor = free_min > 0 ? (width - fixed_width) / free_min : 0;
    }
    for (size_t c = 0; c < columns; ++c) {
      widths[c] = fixed[c] ? hard[c] : min_w[c] * factor;
    }
    return widths;
  }
  if (sum_max <= width) {
    // Everything fits on one line: the spare room goes to each column in
    // proportion to its width.
    for (size_t c = 0; c < columns; ++c) widths[c] = max_w[c] * width / sum_max;
  } else {
    const double flex = sum_max - sum_min;
    for (size_t c = 0; c < columns; ++c) {
      widths[c] = flex > 0 ? min_w[c] + (width - sum_min) * (max_w[c] - min_w[c]) / flex : min_w[c];
    }
  }
  return widths;
}

std::optional<double> FittingFontSize(const std::vector<CellExtent>& cells, size_t columns, double width,
                                      const ColumnRules& rules, double measured_size,
                                      const std::vector<double>& sizes) {
  for (double size : sizes) {
    const std::vector<double> min_w = MinimumColumnWidths(cells, columns, rules, size, measured_size);
    double sum = 0;
    for (double w : min_w) sum += w;
    if (sum <= width + kEps) return size;
  }
  return std::nullopt;
}

std::vector<std::vector<size_t>> ColumnGroups(const std::vector<CellExtent>& cells, size_t columns, size_t key_columns,
                                              double width, const ColumnRules& rules, double size,
                                              double measured_size) {
  const std::vector<double> min_w = MinimumColumnWidths(cells, columns, rules, size, measured_size);
  key_columns = std::min(key_columns, columns);
  double keys = 0;
  for (size_t c = 0; c < key_columns; ++c) keys += min_w[c];
  std::vector<std::vector<size_t>> groups;
  std::vector<size_t> group;
  double used = keys;
  auto open = [&] {
    group.clear();
    for (size_t c = 0; c < key_columns; ++c) group.push_back(c);
    used = keys;
  };
  open();
  for (size_t c = key_columns; c < columns; ++c) {
    if (group.size() > key_columns && used + min_w[c] > width + kEps) {
      groups.push_back(group);
      open();
    }
    group.push_back(c);
    used += min_w[c];
  }
  if (group.size() > key_columns || groups.empty()) groups.push_back(group);
  return groups;
}

std::vector<double> RowTops(const std::vector<CellHeight>& cells, size_t rows, double min_height) {
  std::vector<double> heights(rows, min_height);
  std::vector<const CellHeight*> spanning;
  for (const CellHeight& cell : cells) {
    if (cell.row >= rows) continue;
    if (cell.rows == 1) {
      heights[cell.row] = std::max(heights[cell.row], cell.height);
    } else {
      spanning.push_back(&cell);
    }
  }
  std::stable_sort(spanning.begin(), spanning.end(),
                   [](const CellHeight* a, const CellHeight* b) { return a->rows < b->rows; });
  for (const CellHeight* cell : spanning) {
    const size_t first = cell->row;
    const size_t last = std::min(rows, first + cell->rows);
    double have = 0;
    for (size_t r = first; r < last; ++r) have += heights[r];
    if (cell->height > have && last > first) {
      const double extra = (cell->height - have) / static_cast<double>(last - first);
      for (size_t r = first; r < last; ++r) heights[r] += extra;
    }
  }
  std::vector<double> tops(rows + 1, 0.0);
  for (size_t r = 0; r < rows; ++r) tops[r + 1] = tops[r] + heights[r];
  return tops;
}

std::vector<BodySegment> PaginateBody(const std::vector<double>& tops, const std::vector<bool>& breakable,
                                      const std::vector<CellBreaks>& cells, double header_height, double start_y,
                                      const PageFrame& frame) {
  std::vector<BodySegment> segments;
  const double total = tops.back();
  const size_t rows = tops.size() - 1;
  BodySegment segment{0, start_y, start_y + header_height, 0, 0};
  while (true) {
    const double limit = segment.va + (frame.bottom - segment.body_y);
    double vb = segment.va;
    for (size_t k = 1; k <= rows; ++k) {
      if (tops[k] > limit + kEps) break;
      if (breakable[k] && tops[k] > segment.va + kEps) vb = tops[k];
    }
    if (rows > 0 && vb <= segment.va + kEps) {
      // Nothing whole fits on an empty page: any row boundary, else a line
      // boundary of a cell in the way, else the page bottom.
      for (size_t k = 1; k <= rows; ++k) {
        if (tops[k] > limit + kEps) break;
        if (tops[k] > segment.va + kEps) vb = tops[k];
      }
      if (vb <= segment.va + kEps) {
        for (const CellBreaks& cell : cells) {
          const double top = tops[cell.row];
          const double bottom = tops[std::min(rows, cell.row + cell.rows)];
          if (top >= limit || bottom <= segment.va) continue;
          for (double offset : cell.offsets) {
            const double b = top + offset;
            if (b > segment.va + kEps && b <= limit + kEps) vb = std::max(vb, b);
          }
        }
      }
      // (A header taller than a page still moves on.)
      if (vb <= segment.va + kEps) vb = std::max(limit, segment.va + 12.0);
    }
    segment.vb = vb;
    segments.push_back(segment);
    if (vb >= total - kEps) break;
    segment = BodySegment{segment.page + 1, frame.top, frame.top + header_height, vb, vb};
  }
  return segments;
}

std::vector<CellRun> PlaceCellLines(const std::vector<double>& tops, double top, double bottom, double padding,
                                    bool middle, const std::vector<BodySegment>& segments) {
  std::vector<CellRun> runs;
  if (tops.size() < 2 || segments.empty()) return runs;
  auto line_top = [&tops](int i) { return tops[static_cast<size_t>(i)] - tops.front(); };
  const int n = static_cast<int>(tops.size()) - 1;
  bool cut = false;
  for (size_t s = 0; s + 1 < segments.size(); ++s) {
    if (segments[s].vb > top + kEps && segments[s].vb < bottom - kEps) cut = true;
  }
  double v0 = top + padding;
  if (middle && !cut) v0 += std::max(0.0, (bottom - top - 2 * padding - line_top(n)) / 2);
  size_t s = 0;
  double shift = 0;
  for (int i = 0; i < n; ++i) {
    double v = v0 + line_top(i) + shift;
    const double h = line_top(i + 1) - line_top(i);
    const size_t was = s;
    while (s + 1 < segments.size() && v >= segments[s].vb - kEps) ++s;
    if (s + 1 < segments.size() && v + h > segments[s].vb + kEps && v > segments[s].va + kEps) {
      ++s;  // the line would cross the page end: next page
    }
    if (s != was && i > 0 && v < segments[s].va + padding) {
      // The first line on a continued page keeps the cell's top padding.
      shift += segments[s].va + padding - v;
      v = segments[s].va + padding;
    }
    const double y = segments[s].body_y + v - segments[s].va;
    if (runs.empty() || runs.back().segment != s) {
      if (!runs.empty()) runs.back().last = i;
      runs.push_back({s, i, n, y});
    }
  }
  return runs;
}

std::vector<LineRun> PlaceLines(const std::vector<double>& tops, double start_y, const PageFrame& frame) {
  std::vector<LineRun> runs;
  if (tops.size() < 2) return runs;
  const int n = static_cast<int>(tops.size()) - 1;
  auto top = [&tops](int i) { return tops[static_cast<size_t>(i)] - tops.front(); };
  size_t page = 0;
  double y = start_y;
  int i = 0;
  while (i < n) {
    const bool at_top = y <= frame.top + kEps;
    int j = i;
    while (j < n && y + (top(j + 1) - top(i)) <= frame.bottom + kEps) ++j;
    if (j < n) {
      if (i == 0 && j == 1 && n > 1 && !at_top) {
        j = 0;  // no lone first line at a page's foot
      } else if (j == n - 1 && j - i >= 2) {
        --j;  // no lone last line at a page's head
      }
    }
    if (j == i) {
      if (!at_top) {
        ++page;
        y = frame.top;
        continue;
      }
      j = i + 1;  // a line taller than a page
    }
    runs.push_back({page, i, j, y});
    y += top(j) - top(i);
    i = j;
    if (i < n) {
      ++page;
      y = frame.top;
    }
  }
  return runs;
}

}  // namespace yusuan::report::pdf_layout
