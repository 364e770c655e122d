#include "services/report/domain/pdf_renderer.h"

#include <cairo-pdf.h>
#include <cairo.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "services/report/domain/pdf_layout.h"
#include "services/report/domain/pdf_table_layout.h"
#include "services/report/domain/pdf_typesetter.h"

namespace yusuan::report {
namespace {

using pdf::DrawLines;
using pdf::Sans;
using pdf::TableTypesetter;
using pdf::TextBlock;
using pdf::TextStyle;
using pdf::Typesetter;

// ------------------------------------------------------------------ page

// A4 portrait in PDF points; the text block is the page less 56 pt (about
// 2 cm) on the left, right and top, and 62 pt at the bottom, where the
// footer sits.
constexpr double kPageWidth = 595.28;
constexpr double kPageHeight = 841.89;
constexpr double kMarginX = 56.0;
constexpr double kTop = 56.0;
constexpr double kBottom = kPageHeight - 62.0;
constexpr double kWidth = kPageWidth - 2 * kMarginX;
constexpr double kFooterTop = kPageHeight - 44.0;
constexpr double kEps = pdf_layout::kEps;
constexpr pdf_layout::PageFrame kFrame{kTop, kBottom};

// Table cell borders (the tables' geometry is pdf_table_layout.h).
constexpr double kRule = 0.5;

// The table of contents: room for the page number at the right.
constexpr double kTocNumberWidth = 40.0;

// ---------------------------------------------------------- RAII helpers

struct CairoDestroy {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
};
struct SurfaceDestroy {
  void operator()(cairo_surface_t* surface) const {
    cairo_surface_destroy(surface);
  }
};

// ------------------------------------------------------------- pages

struct TextOp {
  const TextBlock* text;
  int first;
  int last;
  double x;
  double y;  // top of line `first`
};

struct RectOp {
  double x;
  double y;
  double w;
  double h;
  double gray;  // fill colour (fills only)
};

struct LeaderOp {
  double x0;
  double x1;
  double y;
};

struct LinkOp {
  double x;
  double y;
  double w;
  double h;
  size_t target;  // index into the TOC entries
};

struct Page {
  std::vector<RectOp> fills;
  std::vector<RectOp> frames;  // stroked cell borders
  std::vector<LeaderOp> leaders;
  std::vector<TextOp> texts;
  std::vector<LinkOp> links;
};

// Where a TOC entry points: page index (0-based) and y of its top.
struct Target {
  size_t page = 0;
  double y = kTop;
};

struct TocEntry {
  int level = 2;  // 2 = part, 3 = item or table
  std::string text;
  // Placement on a TOC page.
  size_t page = 0;
  double x = kMarginX;
  double y = kTop;
  const TextBlock* block = nullptr;
  TextStyle style;
  // Filled by the content pass.
  Target target;
};

// The vertical cursor over the pages.
class Flow {
 public:
  explicit Flow(std::vector<Page>& pages) : pages_(pages) {}

  void NewPage() {
    pages_.emplace_back();
    y_ = kTop;
  }
  Page& page() { return pages_.back(); }
  size_t page_index() const { return pages_.size() - 1; }
  double y() const { return y_; }
  void set_y(double y) { y_ = y; }
  double room() const { return kBottom - y_; }
  bool at_top() const { return y_ <= kTop + kEps; }
  // Vertical space, dropped at the top of a page.
  void Space(double h) {
    if (!at_top()) y_ += h;
  }
  // Starts a new page unless `h` points fit on this one.
  void KeepRoom(double h) {
    if (!at_top() && room() < h - kEps) NewPage();
  }

  // The lines of `text` at x, continued on the next pages when they do not
  // fit (pdf_layout::PlaceLines).
  void PlaceLines(const TextBlock* text, double x) {
    size_t page_offset = 0;
    for (const pdf_layout::LineRun& run : pdf_layout::PlaceLines(text->tops, y_, kFrame)) {
      for (; page_offset < run.page; ++page_offset) NewPage();
      page().texts.push_back({text, run.first, run.last, x, run.y});
      y_ = run.y + text->top(run.last) - text->top(run.first);
    }
  }

 private:
  std::vector<Page>& pages_;
  double y_ = kTop;
};

// ------------------------------------------------------------- tables

using Segment = pdf_layout::BodySegment;

// Splits the body over pages, starting on the flow's current page
// (pdf_layout::PaginateTable), and leaves the flow under the last segment.
std::vector<Segment> PaginateBody(const pdf_layout::TableGrid& grid, Flow& flow) {
  std::vector<Segment> segments = pdf_layout::PaginateTable(grid, flow.y(), kFrame);
  const size_t first_page = flow.page_index();
  for (Segment& segment : segments) {
    while (first_page + segment.page > flow.page_index()) flow.NewPage();
    segment.page = flow.page_index();
  }
  const Segment& last = segments.back();
  flow.set_y(last.body_y + (last.vb - last.va));
  return segments;
}

// The table's frames and lines (pdf_layout::DrawTable) on their pages.
void EmitGrid(const pdf_layout::TableGrid& grid, const std::vector<Segment>& segments,
              const TableTypesetter& text, std::vector<Page>& pages) {
  const pdf_layout::TableDrawing drawing = pdf_layout::DrawTable(grid, segments);
  for (const pdf_layout::CellFrame& frame : drawing.frames) {
    Page& page = pages[frame.page];
    if (frame.shade < 1.0) page.fills.push_back({frame.x, frame.y, frame.w, frame.h, frame.shade});
    page.frames.push_back({frame.x, frame.y, frame.w, frame.h, 0});
  }
  for (const pdf_layout::CellLines& lines : drawing.lines) {
    pages[lines.page].texts.push_back(
        {text.block(lines.text), lines.first, lines.last, lines.x, lines.y});
  }
}

// ------------------------------------------------------------ styles

TextStyle HeadingStyle(int level) {
  TextStyle style;
  style.font.bold = true;
  if (level <= 1) {
    style.font.size = 20;
    style.align = Align::kCenter;
  } else if (level == 2) {
    style.font.size = 16;
    style.align = Align::kCenter;
  } else if (level == 3) {
    style.font.size = 13;
  } else {
    style.font.size = 11;
  }
  return style;
}

TextStyle ParagraphTextStyle(ParagraphStyle kind, bool serif) {
  TextStyle style;
  style.font.serif = serif;
  style.font.size = 11;
  style.spacing = 1.1;
  switch (kind) {
    case ParagraphStyle::kBody:
      style.indent = 2 * style.font.size;
      style.justify = true;
      break;
    case ParagraphStyle::kPlain:
      style.justify = true;
      break;
    case ParagraphStyle::kCenter:
      style.font.serif = false;
      style.font.bold = true;
      style.align = Align::kCenter;
      break;
    case ParagraphStyle::kRight:
      style.align = Align::kRight;
      break;
    case ParagraphStyle::kNote:
      style.font.serif = false;
      style.font.size = 9;
      style.spacing = 0;
      style.gray = 0.25;
      break;
  }
  return style;
}

// A TOC entry for this block, if it has one: headings of level 1–3 (the
// title page's heading excepted) and titled tables with an anchor.
std::optional<std::pair<int, std::string>> TocLine(const Block& block) {
  if (const auto* h = std::get_if<Heading>(&block)) {
    if (h->level <= 3) return std::make_pair(std::max(h->level, 2), h->text);
  } else if (const auto* t = std::get_if<Table>(&block)) {
    if (!t->anchor.empty() && !t->title.empty()) {
      return std::make_pair(3, t->title);
    }
  }
  return std::nullopt;
}

// ------------------------------------------------------------ the writer

class PdfWriter {
 public:
  PdfWriter(const Document& document, const PdfOptions& options,
            Typesetter& typesetter)
      : document_(document),
        options_(options),
        typesetter_(typesetter),
        cells_(typesetter),
        flow_(pages_) {}

  // Pass 1: every block measured and given its page.
  void Layout() {
    const size_t first = LayoutTitlePage();
    for (size_t i = first; i < document_.blocks.size(); ++i) {
      if (auto line = TocLine(document_.blocks[i])) {
        TocEntry entry;
        entry.level = line->first;
        entry.text = std::move(line->second);
        toc_.push_back(std::move(entry));
      }
    }
    LayoutToc();
    flow_.NewPage();
    for (size_t i = first; i < document_.blocks.size(); ++i) {
      const Block& block = document_.blocks[i];
      if (const auto* h = std::get_if<Heading>(&block)) {
        LayoutHeading(*h);
      } else if (const auto* p = std::get_if<Paragraph>(&block)) {
        LayoutParagraph(*p);
      } else if (const auto* t = std::get_if<Table>(&block)) {
        LayoutTable(*t);
      }
    }
    // A document that ends on a fresh page leaves it empty: drop it.
    if (pages_.size() > 1 && pages_.back().texts.empty() &&
        pages_.back().frames.empty()) {
      pages_.pop_back();
    }
    AddTocNumbers();
  }

  // Pass 2: the pages drawn, with links, outline and footers.
  void Draw(cairo_t* cr, cairo_surface_t* surface) {
    const std::string total = std::to_string(pages_.size());
    for (size_t p = 0; p < pages_.size(); ++p) {
      const Page& page = pages_[p];
      for (const RectOp& fill : page.fills) {
        cairo_set_source_rgb(cr, fill.gray, fill.gray, fill.gray);
        cairo_rectangle(cr, fill.x, fill.y, fill.w, fill.h);
        cairo_fill(cr);
      }
      if (!page.frames.empty()) {
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_set_line_width(cr, kRule);
        for (const RectOp& frame : page.frames) {
          cairo_rectangle(cr, frame.x, frame.y, frame.w, frame.h);
        }
        cairo_stroke(cr);
      }
      if (!page.leaders.empty()) {
        static constexpr double kDots[] = {0.9, 2.7};
        cairo_save(cr);
        cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
        cairo_set_line_width(cr, 0.9);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
        cairo_set_dash(cr, kDots, 2, 0);
        for (const LeaderOp& leader : page.leaders) {
          cairo_move_to(cr, leader.x0, leader.y);
          cairo_line_to(cr, leader.x1, leader.y);
        }
        cairo_stroke(cr);
        cairo_restore(cr);
      }
      for (const TextOp& op : page.texts) {
        cairo_set_source_rgb(cr, op.text->gray, op.text->gray, op.text->gray);
        DrawLines(cr, *op.text, op.first, op.last, op.x, op.y);
      }
      for (const LinkOp& link : page.links) {
        const Target& target = toc_[link.target].target;
        const std::string attributes =
            "rect=[" + Int(link.x) + " " + Int(link.y) + " " + Int(link.w) +
            " " + Int(link.h) + "] " + Destination(target);
        cairo_tag_begin(cr, CAIRO_TAG_LINK, attributes.c_str());
        cairo_tag_end(cr, CAIRO_TAG_LINK);
      }
      if (p > 0) {
        TextStyle footer_style = Sans(9, false, Align::kCenter);
        footer_style.space_extra = 3;
        const TextBlock* footer = typesetter_.Make(
            "第 " + std::to_string(p + 1) + " 页 共 " + total + " 页",
            footer_style, kWidth);
        cairo_set_source_rgb(cr, 0, 0, 0);
        DrawLines(cr, *footer, 0, footer->lines(), kMarginX, kFooterTop);
      }
      cairo_show_page(cr);
    }
    AddOutline(surface);
  }

 private:
  static std::string Int(double v) { return std::to_string(std::lround(v)); }

  static std::string Destination(const Target& target) {
    return "page=" + std::to_string(target.page + 1) + " pos=[" +
           Int(kMarginX) + " " + Int(target.y) + "]";
  }

  // Page 1: the leading level-1 heading and the centred lines after it, the
  // department and the year. Returns the first block not used.
  size_t LayoutTitlePage() {
    flow_.NewPage();
    std::string title = options_.title.empty() ? document_.title : options_.title;
    std::vector<std::string> lines;
    size_t next = 0;
    const auto& blocks = document_.blocks;
    if (!blocks.empty()) {
      if (const auto* h = std::get_if<Heading>(&blocks[0]); h && h->level == 1) {
        title = h->text;
        next = 1;
        while (next < blocks.size()) {
          const auto* p = std::get_if<Paragraph>(&blocks[next]);
          if (p == nullptr || p->style != ParagraphStyle::kCenter) break;
          lines.push_back(p->text);
          ++next;
        }
      }
    }
    if (!options_.department.empty() &&
        std::find(lines.begin(), lines.end(), options_.department) == lines.end()) {
      lines.push_back(options_.department);
    }
    if (options_.year > 0) {
      lines.push_back("预算年度：" + std::to_string(options_.year));
    }
    flow_.set_y(250);
    flow_.PlaceLines(typesetter_.Make(title, Sans(28, true, Align::kCenter),
                                      kWidth),
                     kMarginX);
    flow_.set_y(flow_.y() + 48);
    for (const std::string& line : lines) {
      flow_.PlaceLines(
          typesetter_.Make(line, Sans(16, false, Align::kCenter), kWidth),
          kMarginX);
      flow_.set_y(flow_.y() + 14);
    }
    return next;
  }

  // 目录: one entry per line group, page numbers added after pass 1.
  void LayoutToc() {
    if (toc_.empty()) return;
    flow_.NewPage();
    toc_page_ = flow_.page_index();
    flow_.PlaceLines(
        typesetter_.Make("目  录", Sans(18, true, Align::kCenter), kWidth),
        kMarginX);
    flow_.set_y(flow_.y() + 16);
    for (TocEntry& entry : toc_) {
      entry.style = entry.level <= 2 ? Sans(11.5, true) : Sans(10.5);
      const double indent = entry.level <= 2 ? 0 : 2 * 10.5;
      entry.x = kMarginX + indent;
      entry.block = typesetter_.Make(entry.text, entry.style,
                                     kWidth - indent - kTocNumberWidth);
      flow_.Space(entry.level <= 2 ? 7 : 3);
      flow_.KeepRoom(entry.block->height());
      entry.page = flow_.page_index();
      entry.y = flow_.y();
      flow_.PlaceLines(entry.block, entry.x);
    }
  }

  void AddTocNumbers() {
    for (size_t i = 0; i < toc_.size(); ++i) {
      TocEntry& entry = toc_[i];
      Page& page = pages_[entry.page];
      const int last = entry.block->lines() - 1;
      const double line_y = entry.y + entry.block->top(last);
      const double text_right = entry.block->rights[static_cast<size_t>(last)];
      const double baseline_y = entry.y +
                                entry.block->baselines[static_cast<size_t>(last)] -
                                entry.block->tops.front();
      const TextBlock* number = typesetter_.Make(
          std::to_string(entry.target.page + 1), entry.style);
      const double number_x = kMarginX + kWidth - number->natural_width;
      page.texts.push_back({number, 0, number->lines(), number_x, line_y});
      // Dotted leader on the baseline from the text to the number.
      const double from = entry.x + text_right + 4;
      const double to = number_x - 4;
      if (to > from) page.leaders.push_back({from, to, baseline_y});
      page.links.push_back({kMarginX, entry.y, kWidth, entry.block->height(), i});
    }
  }

  void AddOutline(cairo_surface_t* surface) {
    if (toc_.empty()) return;
    const Target toc_target{toc_page_, kTop};
    cairo_pdf_surface_add_outline(surface, CAIRO_PDF_OUTLINE_ROOT, "目录",
                                  Destination(toc_target).c_str(),
                                  static_cast<cairo_pdf_outline_flags_t>(0));
    int part = CAIRO_PDF_OUTLINE_ROOT;
    for (const TocEntry& entry : toc_) {
      const std::string destination = Destination(entry.target);
      if (entry.level <= 2) {
        part = cairo_pdf_surface_add_outline(surface, CAIRO_PDF_OUTLINE_ROOT,
                                             entry.text.c_str(),
                                             destination.c_str(),
                                             CAIRO_PDF_OUTLINE_FLAG_OPEN);
      } else {
        cairo_pdf_surface_add_outline(surface, part, entry.text.c_str(),
                                      destination.c_str(),
                                      static_cast<cairo_pdf_outline_flags_t>(0));
      }
    }
  }

  // Keep-with-next: headings and centred lines stay on the page of what
  // follows them. They open a "keep" that ordinary content closes; when a
  // block must start a new page while a keep is open, the kept lines move to
  // the new page with it (and so do their TOC targets).
  void OpenKeep() {
    if (keep_.open) return;
    keep_ = Keep{true, flow_.page_index(), flow_.page().texts.size(), flow_.y()};
  }
  void CloseKeep() { keep_.open = false; }

  void KeepRoom(double h) {
    if (flow_.at_top() || flow_.room() >= h - kEps) return;
    const size_t old_page = flow_.page_index();
    const double old_y = flow_.y();
    flow_.NewPage();
    if (!keep_.open || keep_.page != old_page || keep_.top <= kTop + kEps) {
      keep_.open = false;
      return;
    }
    const double delta = keep_.top - kTop;
    std::vector<TextOp>& from = pages_[old_page].texts;
    std::vector<TextOp>& to = flow_.page().texts;
    for (size_t i = keep_.first_text; i < from.size(); ++i) {
      TextOp op = from[i];
      op.y -= delta;
      to.push_back(op);
    }
    from.resize(keep_.first_text);
    for (TocEntry& entry : toc_) {
      if (entry.target.page == old_page && entry.target.y >= keep_.top - kEps) {
        entry.target = Target{flow_.page_index(), entry.target.y - delta};
      }
    }
    flow_.set_y(old_y - delta);
    keep_ = Keep{true, flow_.page_index(), 0, kTop};
  }

  void MarkTocTarget() {
    if (next_toc_ < toc_.size()) {
      toc_[next_toc_++].target = Target{flow_.page_index(), flow_.y()};
    }
  }

  void LayoutHeading(const Heading& heading) {
    const TextBlock* text =
        typesetter_.Make(heading.text, HeadingStyle(heading.level), kWidth);
    if (heading.level == 2) {
      CloseKeep();
      if (!flow_.at_top()) flow_.NewPage();
    } else {
      flow_.Space(heading.level <= 3 ? 12 : 8);
      // Room for the heading and a few lines of what follows.
      KeepRoom(text->height() + 48);
    }
    OpenKeep();
    if (heading.level <= 3) MarkTocTarget();
    flow_.PlaceLines(text, kMarginX);
    flow_.set_y(flow_.y() + (heading.level <= 2 ? 16 : 6));
  }

  void LayoutParagraph(const Paragraph& paragraph) {
    const TextBlock* text = typesetter_.Make(
        paragraph.text, ParagraphTextStyle(paragraph.style, options_.serif_body),
        kWidth);
    const bool centred = paragraph.style == ParagraphStyle::kCenter;
    flow_.Space(centred ? 6 : 2);
    if (centred) {
      // A centred line titles what follows (申报表 titles): keep them together.
      KeepRoom(text->height() + 48);
      OpenKeep();
    } else {
      // Two lines at least, unless the paragraph is shorter.
      KeepRoom(text->top(std::min(text->lines(), 2)));
      CloseKeep();
    }
    flow_.PlaceLines(text, kMarginX);
    flow_.set_y(flow_.y() + (paragraph.style == ParagraphStyle::kCenter ? 6 : 2));
  }

  // `split`: a table too wide even at 7 pt is printed as column groups
  // (which are laid out with split = false).
  void LayoutTable(const Table& table, bool split = true) {
    std::optional<pdf_layout::TableGrid> built =
        pdf_layout::LayOutTable(table, kMarginX, kWidth, cells_, /*part=*/!split);
    if (!built.has_value()) {
      for (const Table& part : pdf_layout::SplitTable(table, kWidth, cells_)) {
        LayoutTable(part, false);
      }
      return;
    }
    const pdf_layout::TableGrid& grid = *built;
    const TextBlock* title =
        table.title.empty()
            ? nullptr
            : typesetter_.Make(table.title, Sans(11.5, true, Align::kCenter),
                               kWidth);
    const TextBlock* meta_right =
        table.meta_right.empty() ? nullptr
                                 : typesetter_.Make(table.meta_right, Sans(9));
    const double right_width = meta_right ? meta_right->natural_width + 12 : 0;
    const TextBlock* meta_left =
        table.meta_left.empty()
            ? nullptr
            : typesetter_.Make(table.meta_left, Sans(9), kWidth - right_width);
    double meta_height = 0;
    if (meta_left) meta_height = meta_left->height();
    if (meta_right) meta_height = std::max(meta_height, meta_right->height());
    const double before =
        (title ? title->height() + 4 : 0) + (meta_height > 0 ? meta_height + 3 : 0);

    const bool has_grid = grid.columns > 0;
    // What must fit to start the table here: its title lines, header and
    // opening rows.
    const double first_rows =
        pdf_layout::OpeningRows(grid, table.style, kBottom - kTop - before - grid.header_height());
    flow_.Space(10);
    KeepRoom(before + (has_grid ? grid.header_height() : 0) + first_rows);
    CloseKeep();
    if (!table.anchor.empty() && !table.title.empty()) MarkTocTarget();
    if (title) {
      flow_.PlaceLines(title, kMarginX);
      flow_.set_y(flow_.y() + 4);
    }
    if (meta_height > 0) {
      Page& page = flow_.page();
      if (meta_left) {
        page.texts.push_back({meta_left, 0, meta_left->lines(), kMarginX, flow_.y()});
      }
      if (meta_right) {
        page.texts.push_back({meta_right, 0, meta_right->lines(),
                              kMarginX + kWidth - meta_right->natural_width,
                              flow_.y()});
      }
      flow_.set_y(flow_.y() + meta_height + 3);
    }
    if (has_grid) {
      const std::vector<Segment> segments = PaginateBody(grid, flow_);
      EmitGrid(grid, segments, cells_, pages_);
    }
    if (!table.note.empty()) {
      flow_.Space(3);
      flow_.PlaceLines(
          typesetter_.Make(table.note, ParagraphTextStyle(ParagraphStyle::kNote, false),
                           kWidth),
          kMarginX);
    }
    flow_.set_y(flow_.y() + 4);
  }

  const Document& document_;
  const PdfOptions& options_;
  Typesetter& typesetter_;
  TableTypesetter cells_;
  std::vector<Page> pages_;
  Flow flow_;
  std::vector<TocEntry> toc_;
  size_t next_toc_ = 0;
  struct Keep {
    bool open = false;
    size_t page = 0;
    size_t first_text = 0;  // first kept TextOp on that page
    double top = kTop;
  };
  Keep keep_;
  size_t toc_page_ = 0;
};

// ------------------------------------------------------------ checks

bool IsUtf8(const std::string& text) {
  return g_utf8_validate(text.data(), static_cast<gssize>(text.size()),
                         nullptr) != FALSE;
}

absl::Status CheckText(const Document& document, const PdfOptions& options) {
  auto bad = [](const std::string& where) {
    return absl::InvalidArgumentError(
        "PDF 文本不是有效的 UTF-8：" + where + " / text is not valid UTF-8: " +
        where);
  };
  if (!IsUtf8(document.title)) return bad("title");
  for (const std::string* field :
       {&options.title, &options.author, &options.subject, &options.keywords,
        &options.department}) {
    if (!IsUtf8(*field)) return bad("options");
  }
  for (size_t i = 0; i < document.blocks.size(); ++i) {
    const std::string where = "block " + std::to_string(i);
    const Block& block = document.blocks[i];
    if (const auto* h = std::get_if<Heading>(&block)) {
      if (!IsUtf8(h->text)) return bad(where);
    } else if (const auto* p = std::get_if<Paragraph>(&block)) {
      if (!IsUtf8(p->text)) return bad(where);
    } else if (const auto* t = std::get_if<Table>(&block)) {
      for (const std::string* field :
           {&t->title, &t->meta_left, &t->meta_right, &t->note}) {
        if (!IsUtf8(*field)) return bad(where);
      }
      for (const auto* rows : {&t->header, &t->body}) {
        for (const Row& row : *rows) {
          for (const Cell& cell : row) {
            if (!IsUtf8(cell.text)) return bad(where);
          }
        }
      }
    }
  }
  return absl::OkStatus();
}

// "2021-01-27T08:00:00Z"; cairo turns it into the PDF date.
std::string Iso8601Utc(int64_t unix_ms) {
  using namespace std::chrono;
  const sys_seconds time{seconds{unix_ms / 1000}};
  const sys_days day = floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss<seconds> clock{time - day};
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02dZ",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()),
                static_cast<int>(clock.hours().count()),
                static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return buffer;
}

cairo_status_t AppendToString(void* closure, const unsigned char* data,
                              unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data),
                                             length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

absl::StatusOr<std::string> RenderPdf(const Document& document,
                                      const PdfOptions& options) {
  // 9999-12-31T23:59:59Z: the last time a four-digit PDF date can hold.
  constexpr int64_t kLastMs = 253'402'300'799'999;
  if (options.publish_time_unix_ms <= 0 || options.publish_time_unix_ms > kLastMs) {
    return absl::InvalidArgumentError(
        "PDF 需要发布时间（publish_time_unix_ms > 0） / the PDF needs the "
        "publish time (publish_time_unix_ms > 0, before year 10000)");
  }
  if (absl::Status status = CheckText(document, options); !status.ok()) {
    return status;
  }

  std::string pdf;
  std::unique_ptr<cairo_surface_t, SurfaceDestroy> surface(
      cairo_pdf_surface_create_for_stream(AppendToString, &pdf, kPageWidth,
                                          kPageHeight));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return absl::InternalError(
        std::string("cairo PDF surface: ") +
        cairo_status_to_string(cairo_surface_status(surface.get())));
  }
  const std::string date = Iso8601Utc(options.publish_time_unix_ms);
  const std::string title = options.title.empty() ? document.title : options.title;
  const std::pair<cairo_pdf_metadata_t, const std::string*> metadata[] = {
      {CAIRO_PDF_METADATA_TITLE, &title},
      {CAIRO_PDF_METADATA_AUTHOR, &options.author},
      {CAIRO_PDF_METADATA_SUBJECT, &options.subject},
      {CAIRO_PDF_METADATA_KEYWORDS, &options.keywords},
      {CAIRO_PDF_METADATA_CREATE_DATE, &date},
      {CAIRO_PDF_METADATA_MOD_DATE, &date},
  };
  for (const auto& [key, value] : metadata) {
    if (!value->empty()) {
      cairo_pdf_surface_set_metadata(surface.get(), key, value->c_str());
    }
  }
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR,
                                 "Yusuan");

  std::unique_ptr<cairo_t, CairoDestroy> cr(cairo_create(surface.get()));
  absl::StatusOr<std::unique_ptr<Typesetter>> typesetter =
      Typesetter::Create(cr.get(), document.lang, options.serif_body);
  if (!typesetter.ok()) return typesetter.status();
  {
    PdfWriter writer(document, options, **typesetter);
    writer.Layout();
    writer.Draw(cr.get(), surface.get());
  }
  cr.reset();
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return absl::InternalError(
        std::string("cairo PDF: ") +
        cairo_status_to_string(cairo_surface_status(surface.get())));
  }
  surface.reset();
  return pdf;
}

}  // namespace yusuan::report
