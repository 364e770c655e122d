#include "services/report/domain/html_renderer.h"

#include <algorithm>
#include <string>
#include <vector>

#include "services/common/money.h"

namespace yusuan::report {
namespace {

// Screen: a centred column with Chinese body type and bordered tables.
// Print: A4, tables keep their header on every page, parts start a page.
constexpr char kStyle[] = R"css(
:root { color-scheme: light; }
body {
  margin: 0; background: #fff; color: #1a1a1a;
  font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC",
    "SimSun", serif;
  font-size: 16px; line-height: 1.8;
}
main { max-width: 980px; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
h1, h2, h3, h4, figcaption, th, td.label {
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
    "Microsoft YaHei", sans-serif;
}
h1 { font-size: 2rem; text-align: center; letter-spacing: 0.08em;
  margin: 2.5rem 0 0.5rem; }
h2 { font-size: 1.5rem; margin: 3rem 0 1rem; padding-bottom: 0.3rem;
  border-bottom: 2px solid #333; }
h3 { font-size: 1.2rem; margin: 2rem 0 0.8rem; }
h4 { font-size: 1.05rem; margin: 1.4rem 0 0.6rem; }
p { margin: 0.35rem 0; text-indent: 2em; text-align: justify; }
p.plain { text-indent: 0; }
p.center { text-indent: 0; text-align: center; font-weight: bold; }
p.right { text-indent: 0; text-align: right; }
p.note { text-indent: 0; font-size: 0.9rem; color: #444; }
figure { margin: 1.2rem 0 2rem; }
figcaption { text-align: center; font-weight: bold; font-size: 1.1rem;
  margin-bottom: 0.4rem; }
.meta { display: flex; justify-content: space-between; font-size: 0.9rem;
  margin-bottom: 0.2rem; }
table { width: 100%; border-collapse: collapse; font-size: 0.92rem;
  line-height: 1.5; }
th, td { border: 1px solid #333; padding: 0.3rem 0.5rem;
  vertical-align: middle; }
th { background: #eef1f4; text-align: center; font-weight: bold; }
td.num { text-align: right; white-space: nowrap;
  font-variant-numeric: tabular-nums; }
td.center { text-align: center; }
td.b { font-weight: bold; }
td.label { background: #f6f7f8; font-weight: bold; }
table.form td { vertical-align: top; }
td.ind1 { padding-left: 1.5em; }
td.ind2 { padding-left: 2.5em; }
td.ind3 { padding-left: 3.5em; }
td.ind4 { padding-left: 4.5em; }
figure.chart svg { width: 100%; max-width: 42rem; height: auto; display: block; }
figure.chart text { font-size: 13px; fill: #222; }
@media print {
  @page { size: A4; margin: 18mm 15mm; }
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  h2 { break-before: page; }
  h1, h2, h3, h4, figcaption, .meta { break-after: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  th, td.label { background: none; }
}
)css";

void AppendText(std::string_view text, std::string& out) {
  // Line breaks inside a cell or paragraph become <br>.
  size_t start = 0;
  while (true) {
    const size_t nl = text.find('\n', start);
    out += EscapeHtml(text.substr(start, nl - start));
    if (nl == std::string_view::npos) break;
    out += "<br>";
    start = nl + 1;
  }
}

void AppendSpans(const Cell& cell, std::string& out) {
  if (cell.col_span > 1) out += " colspan=\"" + std::to_string(cell.col_span) + "\"";
  if (cell.row_span > 1) out += " rowspan=\"" + std::to_string(cell.row_span) + "\"";
}

void AppendCell(const Cell& cell, bool header, std::string& out) {
  if (header) {
    // Screen readers announce each body cell with the headers above it.
    out += cell.col_span > 1 ? "<th scope=\"colgroup\"" : "<th scope=\"col\"";
    AppendSpans(cell, out);
    out += ">";
    AppendText(cell.text, out);
    out += "</th>";
    return;
  }
  std::vector<std::string> classes;
  if (cell.align == Align::kRight) classes.push_back("num");
  if (cell.align == Align::kCenter) classes.push_back("center");
  if (cell.bold) classes.push_back("b");
  if (cell.label) classes.push_back("label");
  if (cell.indent > 0) {
    classes.push_back("ind" + std::to_string(std::min(cell.indent, 4)));
  }
  out += "<td";
  if (!classes.empty()) {
    out += " class=\"";
    for (size_t i = 0; i < classes.size(); ++i) {
      if (i > 0) out += " ";
      out += classes[i];
    }
    out += "\"";
  }
  AppendSpans(cell, out);
  out += ">";
  AppendText(cell.text, out);
  out += "</td>";
}

// Horizontal bars, one group per category, one bar per series, the amount
// in 万元 after each bar; self-contained SVG (no script, no external font)
// with a <title> and role="img" for screen readers.
void AppendChart(const Chart& chart, std::string& out) {
  static constexpr const char* kColors[] = {"#9fb3c8", "#5b7fa6", "#23466e", "#c9822b"};
  constexpr int kLabelWidth = 150, kBarWidth = 380, kValueWidth = 90, kBar = 18, kGap = 10, kTop = 8;
  int64_t largest = 1;
  for (const ChartSeries& series : chart.series) {
    for (int64_t v : series.values_fen) largest = std::max(largest, v);
  }
  const int bars = static_cast<int>(chart.categories.size() * chart.series.size());
  const int legend = chart.series.size() > 1 ? 26 : 0;
  const int height = kTop + bars * kBar + static_cast<int>(chart.categories.size()) * kGap + legend;
  const int width = kLabelWidth + kBarWidth + kValueWidth;
  out += "<figure class=\"chart\"";
  if (!chart.anchor.empty()) out += " id=\"" + EscapeHtml(chart.anchor) + "\"";
  out += ">\n<figcaption>" + EscapeHtml(chart.title) + "</figcaption>\n";
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"" + EscapeHtml(chart.title) +
         "\" viewBox=\"0 0 " + std::to_string(width) + " " + std::to_string(height) + "\">";
  out += "<title>" + EscapeHtml(chart.title) + "</title>";
  int y = kTop;
  for (size_t c = 0; c < chart.categories.size(); ++c) {
    const int group = static_cast<int>(chart.series.size()) * kBar;
    out += "<text x=\"" + std::to_string(kLabelWidth - 8) + "\" y=\"" + std::to_string(y + group / 2 + 5) +
           "\" text-anchor=\"end\">" + EscapeHtml(chart.categories[c]) + "</text>";
    for (size_t s = 0; s < chart.series.size(); ++s) {
      const int64_t value = c < chart.series[s].values_fen.size() ? chart.series[s].values_fen[c] : 0;
      const int length =
          value <= 0 ? 0 : std::max<int>(1, static_cast<int>(static_cast<__int128>(value) * kBarWidth / largest));
      out += "<rect x=\"" + std::to_string(kLabelWidth) + "\" y=\"" + std::to_string(y + 2) + "\" width=\"" +
             std::to_string(length) + "\" height=\"" + std::to_string(kBar - 4) + "\" fill=\"" + kColors[s % 4] +
             "\"><title>" + EscapeHtml(chart.series[s].name) + " " + EscapeHtml(chart.categories[c]) + " " +
             FormatWanYuan(value) + "</title></rect>";
      out += "<text x=\"" + std::to_string(kLabelWidth + length + 6) + "\" y=\"" + std::to_string(y + kBar - 5) +
             "\">" + FormatWanYuan(value) + "</text>";
      y += kBar;
    }
    y += kGap;
  }
  if (legend > 0) {
    int x = kLabelWidth;
    for (size_t s = 0; s < chart.series.size(); ++s) {
      out += "<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y + 6) +
             "\" width=\"12\" height=\"12\" fill=\"" + kColors[s % 4] + "\"/>";
      out += "<text x=\"" + std::to_string(x + 16) + "\" y=\"" + std::to_string(y + 17) + "\">" +
             EscapeHtml(chart.series[s].name) + "</text>";
      x += 90;
    }
  }
  out += "</svg>\n</figure>\n";
}

void AppendTable(const Table& table, std::string& out) {
  out += "<figure";
  if (!table.anchor.empty()) out += " id=\"" + EscapeHtml(table.anchor) + "\"";
  out += ">\n";
  if (!table.title.empty()) {
    out += "<figcaption>";
    AppendText(table.title, out);
    out += "</figcaption>\n";
  }
  if (!table.meta_left.empty() || !table.meta_right.empty()) {
    out += "<div class=\"meta\"><span>";
    AppendText(table.meta_left, out);
    out += "</span><span>";
    AppendText(table.meta_right, out);
    out += "</span></div>\n";
  }
  out += table.style == TableStyle::kForm ? "<table class=\"form\">\n" : "<table class=\"grid\">\n";
  if (!table.header.empty()) {
    out += "<thead>\n";
    for (const Row& row : table.header) {
      out += "<tr>";
      for (const Cell& cell : row) AppendCell(cell, true, out);
      out += "</tr>\n";
    }
    out += "</thead>\n";
  }
  out += "<tbody>\n";
  for (const Row& row : table.body) {
    out += "<tr>";
    for (const Cell& cell : row) AppendCell(cell, false, out);
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
  if (!table.note.empty()) {
    out += "<p class=\"note\">";
    AppendText(table.note, out);
    out += "</p>\n";
  }
  out += "</figure>\n";
}

void AppendParagraph(const Paragraph& p, std::string& out) {
  switch (p.style) {
    case ParagraphStyle::kBody:
      out += "<p>";
      break;
    case ParagraphStyle::kPlain:
      out += "<p class=\"plain\">";
      break;
    case ParagraphStyle::kCenter:
      out += "<p class=\"center\">";
      break;
    case ParagraphStyle::kRight:
      out += "<p class=\"right\">";
      break;
    case ParagraphStyle::kNote:
      out += "<p class=\"note\">";
      break;
  }
  AppendText(p.text, out);
  out += "</p>\n";
}

void AppendHeading(const Heading& h, std::string& out) {
  const std::string level = std::to_string(std::clamp(h.level, 1, 6));
  out += "<h" + level;
  if (!h.anchor.empty()) out += " id=\"" + EscapeHtml(h.anchor) + "\"";
  out += ">";
  AppendText(h.text, out);
  out += "</h" + level + ">\n";
}

}  // namespace

std::string RenderHtml(const Document& document) {
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"" + EscapeHtml(document.lang) + "\">\n";
  out += "<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + EscapeHtml(document.title) + "</title>\n";
  out += "<style>";
  out += kStyle;
  out += "</style>\n</head>\n<body>\n<main>\n";
  for (const Block& block : document.blocks) {
    if (const auto* h = std::get_if<Heading>(&block)) {
      AppendHeading(*h, out);
    } else if (const auto* p = std::get_if<Paragraph>(&block)) {
      AppendParagraph(*p, out);
    } else if (const auto* t = std::get_if<Table>(&block)) {
      AppendTable(*t, out);
    } else if (const auto* c = std::get_if<Chart>(&block)) {
      AppendChart(*c, out);
    }
  }
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace yusuan::report
