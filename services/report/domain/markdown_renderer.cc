#include "services/report/domain/markdown_renderer.h"

#include "services/report/domain/html_renderer.h"

#include <algorithm>
#include <vector>

namespace yusuan::report {
namespace {

constexpr char kIdeographicSpace[] = "\u3000";

// A paragraph line that starts with a block marker would turn into a list,
// a quote or a heading; a leading backslash keeps it literal.
std::string EscapeLineStart(std::string text) {
  if (!text.empty() && (text[0] == '-' || text[0] == '+' || text[0] == '=')) {
    text.insert(text.begin(), '\\');
  }
  return text;
}

std::string CellText(const Cell* cell) {
  if (cell == nullptr || cell->text.empty()) return "";
  std::string text;
  for (int i = 0; i < cell->indent; ++i) text += kIdeographicSpace;
  text += EscapeMarkdownCell(cell->text);
  if (cell->bold) text = "**" + text + "**";
  return text;
}

void AppendRow(const std::vector<std::string>& cells, std::string& out) {
  out += "|";
  for (const std::string& cell : cells) {
    out += " ";
    out += cell;
    out += " |";
  }
  out += "\n";
}

void AppendTable(const Table& table, std::string& out) {
  if (!table.title.empty()) out += "**" + EscapeMarkdown(table.title) + "**\n\n";
  if (!table.meta_left.empty() || !table.meta_right.empty()) {
    std::string meta = EscapeMarkdown(table.meta_left);
    if (!meta.empty() && !table.meta_right.empty()) meta += "　　";
    meta += EscapeMarkdown(table.meta_right);
    out += EscapeLineStart(meta) + "\n\n";
  }
  const size_t width = ColumnCount(table);
  if (width > 0) {
    const auto header = ResolveGrid(table.header, width);
    auto body = ResolveGrid(table.body, width);

    // Pipe tables have exactly one header row: header rows are flattened
    // column by column ("收入·项目"). A form has no header rows, so its
    // first row serves as the header.
    std::vector<std::string> head(width);
    size_t body_start = 0;
    if (!header.empty()) {
      for (size_t c = 0; c < width; ++c) {
        // A group cell names every column under it; a wide cell with nothing
        // under it is printed once, in its first column.
        std::vector<const Cell*> column;
        for (const auto& row : header) {
          const Cell* cell = row[c].cell;
          if (cell == nullptr || cell->text.empty()) continue;
          if (std::find(column.begin(), column.end(), cell) != column.end()) {
            continue;
          }
          column.push_back(cell);
        }
        if (!column.empty() && c > 0) {
          const Cell* leaf = column.back();
          bool first_column = true;
          for (const auto& row : header) {
            if (row[c - 1].cell == leaf) first_column = false;
          }
          if (!first_column) column.pop_back();
        }
        for (const Cell* cell : column) {
          if (!head[c].empty()) head[c] += "·";
          head[c] += EscapeMarkdownCell(cell->text);
        }
      }
    } else if (!body.empty()) {
      for (size_t c = 0; c < width; ++c) {
        if (body[0][c].origin) head[c] = CellText(body[0][c].cell);
      }
      body_start = 1;
    }
    AppendRow(head, out);

    // Column alignment from the first single-column body cell.
    std::vector<std::string> rule(width, "---");
    for (size_t c = 0; c < width; ++c) {
      for (size_t r = body_start; r < body.size(); ++r) {
        const GridSlot& slot = body[r][c];
        if (!slot.origin || slot.cell->col_span > 1) continue;
        if (slot.cell->align == Align::kRight) rule[c] = "---:";
        if (slot.cell->align == Align::kCenter) rule[c] = ":---:";
        break;
      }
    }
    AppendRow(rule, out);
    for (size_t r = body_start; r < body.size(); ++r) {
      std::vector<std::string> cells(width);
      for (size_t c = 0; c < width; ++c) {
        if (body[r][c].origin) cells[c] = CellText(body[r][c].cell);
      }
      AppendRow(cells, out);
    }
    out += "\n";
  }
  if (!table.note.empty()) {
    out += EscapeLineStart(EscapeMarkdown(table.note)) + "\n\n";
  }
}

}  // namespace

std::string EscapeMarkdown(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
      case '<':
      case '>':
        // Markdown passes raw HTML through: the same entities as the HTML page.
        out += EscapeHtml(std::string_view(&c, 1));
        break;
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '#':
      case '|':
      case '~':
        out += '\\';
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string EscapeMarkdownCell(std::string_view text) {
  std::string out;
  size_t start = 0;
  while (true) {
    const size_t nl = text.find('\n', start);
    out += EscapeMarkdown(text.substr(start, nl - start));
    if (nl == std::string_view::npos) break;
    out += "<br>";
    start = nl + 1;
  }
  return out;
}

std::string RenderMarkdown(const Document& document) {
  std::string out;
  for (const Block& block : document.blocks) {
    if (const auto* h = std::get_if<Heading>(&block)) {
      out += std::string(static_cast<size_t>(std::clamp(h->level, 1, 6)), '#');
      out += " " + EscapeMarkdown(h->text) + "\n\n";
    } else if (const auto* p = std::get_if<Paragraph>(&block)) {
      // A hard line break inside a paragraph is a trailing backslash.
      std::string text;
      size_t start = 0;
      while (true) {
        const size_t nl = p->text.find('\n', start);
        text += EscapeLineStart(EscapeMarkdown(std::string_view(p->text).substr(start, nl - start)));
        if (nl == std::string::npos) break;
        text += "\\\n";
        start = nl + 1;
      }
      if (text.empty()) continue;
      if (p->style == ParagraphStyle::kCenter) text = "**" + text + "**";
      out += text + "\n\n";
    } else if (const auto* t = std::get_if<Table>(&block)) {
      AppendTable(*t, out);
    }
  }
  return out;
}

}  // namespace yusuan::report
