#include "services/report/domain/pdf_writer.h"

#include <cairo-pdf.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <utility>

#include "absl/status/status.h"

namespace yusuan::report::pdf {
namespace {

// Cell borders.
constexpr double kRule = 0.5;

// "2021-01-27T08:00:00Z"; cairo turns it into the PDF date.
std::string Iso8601Utc(int64_t unix_ms) {
  using namespace std::chrono;
  const sys_seconds time{seconds{unix_ms / 1000}};
  const sys_days day = floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss<seconds> clock{time - day};
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return buffer;
}

cairo_status_t AppendToString(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

std::string Int(double v) { return std::to_string(std::lround(v)); }

// A link or outline destination: the left margin at the target's y.
std::string Destination(const Target& target) {
  return "page=" + std::to_string(target.page + 1) + " pos=[" + Int(kMarginX) + " " + Int(target.y) + "]";
}

void DrawPage(cairo_t* cr, const Page& page) {
  for (const RectOp& fill : page.fills) {
    cairo_set_source_rgb(cr, fill.gray, fill.gray, fill.gray);
    cairo_rectangle(cr, fill.x, fill.y, fill.w, fill.h);
    cairo_fill(cr);
  }
  if (!page.frames.empty()) {
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, kRule);
    for (const RectOp& frame : page.frames) cairo_rectangle(cr, frame.x, frame.y, frame.w, frame.h);
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
    const std::string attributes = "rect=[" + Int(link.x) + " " + Int(link.y) + " " + Int(link.w) + " " + Int(link.h) +
                                   "] " + Destination(link.target);
    cairo_tag_begin(cr, CAIRO_TAG_LINK, attributes.c_str());
    cairo_tag_end(cr, CAIRO_TAG_LINK);
  }
  if (page.footer != nullptr) {
    cairo_set_source_rgb(cr, 0, 0, 0);
    DrawLines(cr, *page.footer, 0, page.footer->lines(), kMarginX, kFooterTop);
  }
}

void AddOutline(cairo_surface_t* surface, const PagedDocument& document) {
  if (document.outline.empty()) return;
  const Target toc_target{document.toc_page, kTop};
  cairo_pdf_surface_add_outline(surface, CAIRO_PDF_OUTLINE_ROOT, "目录", Destination(toc_target).c_str(),
                                static_cast<cairo_pdf_outline_flags_t>(0));
  int part = CAIRO_PDF_OUTLINE_ROOT;
  for (const OutlineEntry& entry : document.outline) {
    const std::string destination = Destination(entry.target);
    if (entry.level <= 2) {
      part = cairo_pdf_surface_add_outline(surface, CAIRO_PDF_OUTLINE_ROOT, entry.text.c_str(), destination.c_str(),
                                           CAIRO_PDF_OUTLINE_FLAG_OPEN);
    } else {
      cairo_pdf_surface_add_outline(surface, part, entry.text.c_str(), destination.c_str(),
                                    static_cast<cairo_pdf_outline_flags_t>(0));
    }
  }
}

absl::Status CairoError(const char* what, cairo_surface_t* surface) {
  return absl::InternalError(std::string(what) + cairo_status_to_string(cairo_surface_status(surface)));
}

}  // namespace

absl::StatusOr<std::unique_ptr<PdfWriter>> PdfWriter::Create(const PdfOptions& options, const std::string& title) {
  std::unique_ptr<PdfWriter> writer(new PdfWriter);
  writer->surface_ = cairo_pdf_surface_create_for_stream(AppendToString, &writer->bytes_, kPageWidth, kPageHeight);
  if (cairo_surface_status(writer->surface_) != CAIRO_STATUS_SUCCESS) {
    return CairoError("cairo PDF surface: ", writer->surface_);
  }
  const std::string date = Iso8601Utc(options.publish_time_unix_ms);
  const std::string& shown_title = options.title.empty() ? title : options.title;
  const std::pair<cairo_pdf_metadata_t, const std::string*> metadata[] = {
      {CAIRO_PDF_METADATA_TITLE, &shown_title},       {CAIRO_PDF_METADATA_AUTHOR, &options.author},
      {CAIRO_PDF_METADATA_SUBJECT, &options.subject}, {CAIRO_PDF_METADATA_KEYWORDS, &options.keywords},
      {CAIRO_PDF_METADATA_CREATE_DATE, &date},        {CAIRO_PDF_METADATA_MOD_DATE, &date},
  };
  for (const auto& [key, value] : metadata) {
    if (!value->empty()) cairo_pdf_surface_set_metadata(writer->surface_, key, value->c_str());
  }
  cairo_pdf_surface_set_metadata(writer->surface_, CAIRO_PDF_METADATA_CREATOR, "Yusuan");
  writer->cr_ = cairo_create(writer->surface_);
  return writer;
}

PdfWriter::~PdfWriter() {
  if (cr_ != nullptr) cairo_destroy(cr_);
  if (surface_ != nullptr) cairo_surface_destroy(surface_);
}

void PdfWriter::Draw(const PagedDocument& document) {
  for (const Page& page : document.pages) {
    DrawPage(cr_, page);
    cairo_show_page(cr_);
  }
  AddOutline(surface_, document);
}

absl::StatusOr<std::string> PdfWriter::Finish() {
  cairo_destroy(cr_);
  cr_ = nullptr;
  cairo_surface_finish(surface_);
  if (cairo_surface_status(surface_) != CAIRO_STATUS_SUCCESS) {
    return CairoError("cairo PDF: ", surface_);
  }
  cairo_surface_destroy(surface_);
  surface_ = nullptr;
  return std::move(bytes_);
}

}  // namespace yusuan::report::pdf
