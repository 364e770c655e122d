// Writes laid-out pages (pdf_pages.h) as a PDF with cairo, in memory: the
// document information (title, author, subject, keywords, dates), each
// page's fills, cell frames, dotted leaders, text lines, links and footer,
// and the outline.
#ifndef YUSUAN_SERVICES_REPORT_DOMAIN_PDF_WRITER_H_
#define YUSUAN_SERVICES_REPORT_DOMAIN_PDF_WRITER_H_

#include <cairo.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/report/domain/pdf_pages.h"
#include "services/report/domain/pdf_renderer.h"

namespace yusuan::report::pdf {

class PdfWriter {
 public:
  // An A4 PDF surface with the document information of `options` (an empty
  // options.title means `title`) and CreationDate/ModDate at
  // options.publish_time_unix_ms in UTC. INTERNAL when cairo fails.
  static absl::StatusOr<std::unique_ptr<PdfWriter>> Create(const PdfOptions& options, const std::string& title);
  ~PdfWriter();
  PdfWriter(const PdfWriter&) = delete;
  PdfWriter& operator=(const PdfWriter&) = delete;

  // The drawing context, for the typesetter to match its surface.
  cairo_t* cairo() { return cr_; }

  // Every page, then the outline.
  void Draw(const PagedDocument& document);

  // The PDF's bytes; the writer is spent. INTERNAL when cairo fails.
  absl::StatusOr<std::string> Finish();

 private:
  PdfWriter() = default;

  std::string bytes_;  // the surface writes here
  cairo_surface_t* surface_ = nullptr;
  cairo_t* cr_ = nullptr;
};

}  // namespace yusuan::report::pdf

#endif  // YUSUAN_SERVICES_REPORT_DOMAIN_PDF_WRITER_H_
