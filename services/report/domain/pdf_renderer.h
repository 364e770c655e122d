// Writes a Document as an A4 PDF with cairo (PDF surface, in memory) and
// pango (text layout) in the Noto CJK fonts: a title page, a table of
// contents with page numbers and a PDF outline, the text wrapped by pango,
// tables with their title, 编制单位 / 单位 line, grid, merged header cells
// repeated on every page a table continues on, and "第 N 页 共 M 页" footers.
#ifndef YUSUAN_SERVICES_REPORT_DOMAIN_PDF_RENDERER_H_
#define YUSUAN_SERVICES_REPORT_DOMAIN_PDF_RENDERER_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "services/report/domain/document.h"

namespace yusuan::report {

// The fontconfig families the PDF is set in (Debian: fonts-noto-cjk):
// everything in the sans face (regular and bold); body text optionally in
// the serif face.
inline constexpr char kPdfSansFamily[] = "Noto Sans CJK SC";
inline constexpr char kPdfSerifFamily[] = "Noto Serif CJK SC";

struct PdfOptions {
  // The PDF's CreationDate and ModDate, milliseconds since the epoch (the
  // published version's time), written in UTC. It is part of the bytes, so
  // it must come from the input, never the clock: values <= 0 are refused
  // (cairo would otherwise stamp the current time).
  int64_t publish_time_unix_ms = 0;
  // Document information. An empty title means Document::title.
  std::string title;
  std::string author;  // 编制单位: the department's full name
  std::string subject;
  std::string keywords;
  // Title-page lines under the document title: the department (omitted when
  // a centred paragraph right after the document's level-1 heading already
  // says it) and the budget year ("预算年度：2021"; 0 = no year line).
  std::string department;
  int year = 0;
  // Body paragraphs in Noto Serif CJK SC instead of the sans face. Off by
  // default: a third embedded font makes the reference PDF 2.8× larger
  // (807 KB against 293 KB; serif glyphs carry more outline data) and about
  // 40% slower, because cairo 1.16 reads each font's whole CFF table to
  // subset it.
  bool serif_body = false;
};

// The whole document as PDF bytes. Layout:
//  * page 1 is the title page: the document's leading level-1 heading (else
//    the title) and the centred paragraphs right after it, the department
//    and the year;
//  * then 目录: every level-2 and level-3 heading and every titled table
//    with an anchor (表1–表8), each with its page number and a link; the
//    same entries form the PDF outline (bookmarks);
//  * then the blocks in order. A level-2 heading starts a new page. Tables
//    are as wide as the text; amounts keep the Document's text (two
//    decimals) right-aligned; rows that share a row-spanning cell are kept
//    on one page; header rows are repeated on every page the table continues
//    on; forms are bordered label/value grids with shaded labels.
//  * every page after the title page has the footer "第 N 页 共 M 页" (N and
//    M count physical pages, the title page included).
// The same Document and options give the same bytes (no clock, no random
// ids; cairo, pango and the font files being the same versions).
// INVALID_ARGUMENT for text that is not UTF-8 or a missing publish time;
// FAILED_PRECONDITION when fontconfig has no Noto Sans CJK SC (nor Noto
// Serif CJK SC when serif_body is set);
// INTERNAL when cairo fails.
absl::StatusOr<std::string> RenderPdf(const Document& document, const PdfOptions& options);

}  // namespace yusuan::report

#endif  // YUSUAN_SERVICES_REPORT_DOMAIN_PDF_RENDERER_H_
