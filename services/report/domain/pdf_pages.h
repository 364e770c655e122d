// The Document laid out on A4 pages: the title page, 目录 with its page
// numbers, headings, paragraphs and tables in order, keep-with-next, and the
// footers — each page a list of what to draw (text lines, filled and
// stroked rectangles, dotted leaders, links), and the outline. Text is set
// by the Typesetter, tables by pdf_table_layout.h; nothing is drawn here
// (pdf_writer.h draws), so that the whole layout is known before the first
// page is written: the TOC's page numbers and the footers' page count are
// exact.
#ifndef YUSUAN_SERVICES_REPORT_DOMAIN_PDF_PAGES_H_
#define YUSUAN_SERVICES_REPORT_DOMAIN_PDF_PAGES_H_

#include <cstddef>
#include <string>
#include <vector>

#include "services/report/domain/document.h"
#include "services/report/domain/pdf_layout.h"
#include "services/report/domain/pdf_renderer.h"
#include "services/report/domain/pdf_typesetter.h"

namespace yusuan::report::pdf {

// A4 portrait in PDF points; the text block is the page less 56 pt (about
// 2 cm) on the left, right and top, and 62 pt at the bottom, where the
// footer sits.
inline constexpr double kPageWidth = 595.28;
inline constexpr double kPageHeight = 841.89;
inline constexpr double kMarginX = 56.0;
inline constexpr double kTop = 56.0;
inline constexpr double kBottom = kPageHeight - 62.0;
inline constexpr double kWidth = kPageWidth - 2 * kMarginX;
inline constexpr double kFooterTop = kPageHeight - 44.0;
inline constexpr pdf_layout::PageFrame kFrame{kTop, kBottom};

// Lines [first, last) of a block, the top of line `first` at (x, y).
struct TextOp {
  const TextBlock* text;
  int first;
  int last;
  double x;
  double y;
};

struct RectOp {
  double x;
  double y;
  double w;
  double h;
  double gray;  // fill colour (fills only)
};

// A dotted line on a baseline (TOC leaders).
struct LeaderOp {
  double x0;
  double x1;
  double y;
};

// Where a TOC entry points: page index (0-based) and y of its top.
struct Target {
  size_t page = 0;
  double y = kTop;
};

struct LinkOp {
  double x;
  double y;
  double w;
  double h;
  Target target;
};

struct Page {
  std::vector<RectOp> fills;
  std::vector<RectOp> frames;  // stroked cell borders
  std::vector<LeaderOp> leaders;
  std::vector<TextOp> texts;
  std::vector<LinkOp> links;
  const TextBlock* footer = nullptr;  // "第 N 页 共 M 页", drawn last
};

struct OutlineEntry {
  int level = 2;  // 2 = part, 3 = item or table (under the part before it)
  std::string text;
  Target target;
};

struct PagedDocument {
  std::vector<Page> pages;
  // The outline, under an entry for 目录 on page `toc_page`; empty when the
  // document has no TOC.
  std::vector<OutlineEntry> outline;
  size_t toc_page = 0;
};

// Layout:
//  * page 1 is the title page: the document's leading level-1 heading (else
//    the title) and the centred paragraphs right after it, the department
//    and the year;
//  * then 目录: every level-2 and level-3 heading and every titled table
//    with an anchor, each with its page number, a dotted leader and a link;
//  * then the blocks. A level-2 heading starts a page; headings and centred
//    lines keep with what follows; tables fill the text width, split into
//    column groups when no size keeps their amounts whole;
//  * every page after the title page has its footer.
PagedDocument LayOutPages(const Document& document, const PdfOptions& options, Typesetter& typesetter);

}  // namespace yusuan::report::pdf

#endif  // YUSUAN_SERVICES_REPORT_DOMAIN_PDF_PAGES_H_
