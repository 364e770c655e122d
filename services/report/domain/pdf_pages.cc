#include "services/report/domain/pdf_pages.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <variant>

#include "services/report/domain/pdf_table_layout.h"

namespace yusuan::report::pdf {
namespace {

constexpr double kEps = pdf_layout::kEps;

// The table of contents: room for the page number at the right.
constexpr double kTocNumberWidth = 40.0;

// What a heading or a centred title line needs under it on its page: a few
// lines of what it introduces.
constexpr double kKeepWithNext = 48.0;

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

// Every line of a block, the top of its first at (x, y).
TextOp AllLines(const TextBlock* block, double x, double y) { return {block, 0, block->lines(), x, y}; }

// A TOC entry for this block, if it has one: headings of level 1–3 (the
// title page's heading excepted) and titled tables with an anchor.
std::optional<std::pair<int, std::string>> TocLine(const Block& block) {
  if (const auto* h = std::get_if<Heading>(&block)) {
    if (h->level <= 3) return std::make_pair(std::max(h->level, 2), h->text);
  } else if (const auto* t = std::get_if<Table>(&block)) {
    if (!t->anchor.empty() && !t->title.empty()) return std::make_pair(3, t->title);
  }
  return std::nullopt;
}

struct TocEntry {
  int level = 2;
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

// ------------------------------------------------------------- flow

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
  void Down(double h) { y_ += h; }
  double room() const { return kBottom - y_; }
  bool at_top() const { return y_ <= kTop + kEps; }
  // Vertical space, dropped at the top of a page.
  void Space(double h) {
    if (!at_top()) y_ += h;
  }
  // Starts a new page unless `h` points fit on this one; true when it did.
  bool KeepRoom(double h) {
    if (at_top() || room() >= h - kEps) return false;
    NewPage();
    return true;
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

  // The segments of a table's body from here (pdf_layout::PaginateTable),
  // on their pages (new ones started as needed); leaves the cursor under
  // the last.
  std::vector<pdf_layout::BodySegment> PlaceTable(const pdf_layout::TableGrid& grid) {
    std::vector<pdf_layout::BodySegment> segments = pdf_layout::PaginateTable(grid, y_, kFrame);
    const size_t first_page = page_index();
    for (pdf_layout::BodySegment& segment : segments) {
      while (first_page + segment.page > page_index()) NewPage();
      segment.page = page_index();
    }
    const pdf_layout::BodySegment& last = segments.back();
    y_ = last.body_y + (last.vb - last.va);
    return segments;
  }

 private:
  std::vector<Page>& pages_;
  double y_ = kTop;
};

// ------------------------------------------------------------ layout

class PageLayout {
 public:
  PageLayout(const Document& document, const PdfOptions& options, Typesetter& typesetter)
      : document_(document), options_(options), typesetter_(typesetter), cells_(typesetter), flow_(pages_) {}

  PagedDocument Run() && {
    const size_t first = LayOutTitlePage();
    for (size_t i = first; i < document_.blocks.size(); ++i) {
      if (auto line = TocLine(document_.blocks[i])) {
        TocEntry entry;
        entry.level = line->first;
        entry.text = std::move(line->second);
        toc_.push_back(std::move(entry));
      }
    }
    LayOutToc();
    flow_.NewPage();
    for (size_t i = first; i < document_.blocks.size(); ++i) {
      const Block& block = document_.blocks[i];
      if (const auto* h = std::get_if<Heading>(&block)) {
        LayOutHeading(*h);
      } else if (const auto* p = std::get_if<Paragraph>(&block)) {
        LayOutParagraph(*p);
      } else if (const auto* t = std::get_if<Table>(&block)) {
        LayOutTable(*t);
      }
    }
    // A document that ends on a fresh page leaves it empty: drop it.
    if (pages_.size() > 1 && pages_.back().texts.empty() && pages_.back().frames.empty()) {
      pages_.pop_back();
    }
    AddTocNumbers();
    AddFooters();

    PagedDocument out;
    out.pages = std::move(pages_);
    out.toc_page = toc_page_;
    for (TocEntry& entry : toc_) {
      out.outline.push_back({entry.level, std::move(entry.text), entry.target});
    }
    return out;
  }

 private:
  // Page 1: the leading level-1 heading and the centred lines after it, the
  // department and the year. Returns the first block not used.
  size_t LayOutTitlePage() {
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
    if (!options_.department.empty() && std::find(lines.begin(), lines.end(), options_.department) == lines.end()) {
      lines.push_back(options_.department);
    }
    if (options_.year > 0) lines.push_back("预算年度：" + std::to_string(options_.year));
    flow_.set_y(250);
    flow_.PlaceLines(typesetter_.Make(title, Sans(28, true, Align::kCenter), kWidth), kMarginX);
    flow_.Down(48);
    for (const std::string& line : lines) {
      flow_.PlaceLines(typesetter_.Make(line, Sans(16, false, Align::kCenter), kWidth), kMarginX);
      flow_.Down(14);
    }
    return next;
  }

  // 目录: one entry per line group, page numbers added after the content.
  void LayOutToc() {
    if (toc_.empty()) return;
    flow_.NewPage();
    toc_page_ = flow_.page_index();
    flow_.PlaceLines(typesetter_.Make("目  录", Sans(18, true, Align::kCenter), kWidth), kMarginX);
    flow_.Down(16);
    for (TocEntry& entry : toc_) {
      entry.style = entry.level <= 2 ? Sans(11.5, true) : Sans(10.5);
      const double indent = entry.level <= 2 ? 0 : 2 * 10.5;
      entry.x = kMarginX + indent;
      entry.block = typesetter_.Make(entry.text, entry.style, kWidth - indent - kTocNumberWidth);
      flow_.Space(entry.level <= 2 ? 7 : 3);
      flow_.KeepRoom(entry.block->height());
      entry.page = flow_.page_index();
      entry.y = flow_.y();
      flow_.PlaceLines(entry.block, entry.x);
    }
  }

  void AddTocNumbers() {
    for (TocEntry& entry : toc_) {
      Page& page = pages_[entry.page];
      const int last = entry.block->lines() - 1;
      const double line_y = entry.y + entry.block->top(last);
      const double text_right = entry.block->rights[static_cast<size_t>(last)];
      const double baseline_y = entry.y + entry.block->baselines[static_cast<size_t>(last)] - entry.block->tops.front();
      const TextBlock* number = typesetter_.Make(std::to_string(entry.target.page + 1), entry.style);
      const double number_x = kMarginX + kWidth - number->natural_width;
      page.texts.push_back(AllLines(number, number_x, line_y));
      // Dotted leader on the baseline from the text to the number.
      const double from = entry.x + text_right + 4;
      const double to = number_x - 4;
      if (to > from) page.leaders.push_back({from, to, baseline_y});
      page.links.push_back({kMarginX, entry.y, kWidth, entry.block->height(), entry.target});
    }
  }

  void AddFooters() {
    const std::string total = std::to_string(pages_.size());
    TextStyle style = Sans(9, false, Align::kCenter);
    style.space_extra = 3;
    for (size_t p = 1; p < pages_.size(); ++p) {
      pages_[p].footer = typesetter_.Make("第 " + std::to_string(p + 1) + " 页 共 " + total + " 页", style, kWidth);
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
    const size_t old_page = flow_.page_index();
    const double old_y = flow_.y();
    if (!flow_.KeepRoom(h)) return;
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

  // A title line (heading, centred paragraph) and room for what it
  // introduces.
  void KeepWithNext(const TextBlock* text) {
    KeepRoom(text->height() + kKeepWithNext);
    OpenKeep();
  }

  void MarkTocTarget() {
    if (next_toc_ < toc_.size()) toc_[next_toc_++].target = Target{flow_.page_index(), flow_.y()};
  }

  void LayOutHeading(const Heading& heading) {
    const TextBlock* text = typesetter_.Make(heading.text, HeadingStyle(heading.level), kWidth);
    if (heading.level == 2) {
      CloseKeep();
      if (!flow_.at_top()) flow_.NewPage();
      OpenKeep();
    } else {
      flow_.Space(heading.level <= 3 ? 12 : 8);
      KeepWithNext(text);
    }
    if (heading.level <= 3) MarkTocTarget();
    flow_.PlaceLines(text, kMarginX);
    flow_.Down(heading.level <= 2 ? 16 : 6);
  }

  void LayOutParagraph(const Paragraph& paragraph) {
    const TextBlock* text =
        typesetter_.Make(paragraph.text, ParagraphTextStyle(paragraph.style, options_.serif_body), kWidth);
    const bool centred = paragraph.style == ParagraphStyle::kCenter;
    flow_.Space(centred ? 6 : 2);
    if (centred) {
      // A centred line titles what follows (申报表 titles).
      KeepWithNext(text);
    } else {
      // Two lines at least, unless the paragraph is shorter.
      KeepRoom(text->top(std::min(text->lines(), 2)));
      CloseKeep();
    }
    flow_.PlaceLines(text, kMarginX);
    flow_.Down(centred ? 6 : 2);
  }

  // `split`: a table too wide even at 7 pt is printed as column groups
  // (which are laid out with split = false).
  void LayOutTable(const Table& table, bool split = true) {
    std::optional<pdf_layout::TableGrid> built =
        pdf_layout::LayOutTable(table, kMarginX, kWidth, cells_, /*part=*/!split);
    if (!built.has_value()) {
      for (const Table& part : pdf_layout::SplitTable(table, kWidth, cells_)) {
        LayOutTable(part, false);
      }
      return;
    }
    const pdf_layout::TableGrid& grid = *built;
    const TextBlock* title =
        table.title.empty() ? nullptr : typesetter_.Make(table.title, Sans(11.5, true, Align::kCenter), kWidth);
    const TextBlock* meta_right = table.meta_right.empty() ? nullptr : typesetter_.Make(table.meta_right, Sans(9));
    const double right_width = meta_right ? meta_right->natural_width + 12 : 0;
    const TextBlock* meta_left =
        table.meta_left.empty() ? nullptr : typesetter_.Make(table.meta_left, Sans(9), kWidth - right_width);
    double meta_height = 0;
    if (meta_left) meta_height = meta_left->height();
    if (meta_right) meta_height = std::max(meta_height, meta_right->height());
    const double before = (title ? title->height() + 4 : 0) + (meta_height > 0 ? meta_height + 3 : 0);

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
      flow_.Down(4);
    }
    if (meta_height > 0) {
      Page& page = flow_.page();
      if (meta_left) page.texts.push_back(AllLines(meta_left, kMarginX, flow_.y()));
      if (meta_right) {
        page.texts.push_back(AllLines(meta_right, kMarginX + kWidth - meta_right->natural_width, flow_.y()));
      }
      flow_.Down(meta_height + 3);
    }
    if (has_grid) Draw(grid, flow_.PlaceTable(grid));
    if (!table.note.empty()) {
      flow_.Space(3);
      flow_.PlaceLines(typesetter_.Make(table.note, ParagraphTextStyle(ParagraphStyle::kNote, false), kWidth),
                       kMarginX);
    }
    flow_.Down(4);
  }

  void Draw(const pdf_layout::TableGrid& grid, const std::vector<pdf_layout::BodySegment>& segments) {
    const pdf_layout::TableDrawing drawing = pdf_layout::DrawTable(grid, segments);
    for (const pdf_layout::CellFrame& frame : drawing.frames) {
      Page& page = pages_[frame.page];
      if (frame.shade < 1.0) page.fills.push_back({frame.x, frame.y, frame.w, frame.h, frame.shade});
      page.frames.push_back({frame.x, frame.y, frame.w, frame.h, 0});
    }
    for (const pdf_layout::CellLines& lines : drawing.lines) {
      pages_[lines.page].texts.push_back({cells_.block(lines.text), lines.first, lines.last, lines.x, lines.y});
    }
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

}  // namespace

PagedDocument LayOutPages(const Document& document, const PdfOptions& options, Typesetter& typesetter) {
  return PageLayout(document, options, typesetter).Run();
}

}  // namespace yusuan::report::pdf
