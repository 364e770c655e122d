#include "bench/raw_baselines.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <xlsxwriter.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/common/temp_file.h"
#include "services/common/xlsx_reader.h"
#include "services/report/domain/pdf_pages.h"
#include "services/report/domain/pdf_typesetter.h"
#include "services/report/domain/pdf_writer.h"

namespace yusuan::bench {
namespace {

cairo_status_t AppendToString(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// Line `index` of a laid-out block as its own string.
std::string LineText(PangoLayout* layout, int index) {
  PangoLayoutLine* line = pango_layout_get_line_readonly(layout, index);
  if (line == nullptr) return "";
  const char* text = pango_layout_get_text(layout);
  return std::string(text + line->start_index, static_cast<size_t>(line->length));
}

std::string FontOf(PangoLayout* layout) {
  const PangoFontDescription* font = pango_layout_get_font_description(layout);
  if (font == nullptr) return "";
  char* described = pango_font_description_to_string(font);
  std::string out(described);
  g_free(described);
  return out;
}

void AddLines(const report::pdf::TextBlock& block, int first, int last, double x, double y,
              RawPageDrawing::Page& page) {
  const double origin = block.tops[static_cast<size_t>(first)];
  const std::string font = FontOf(block.layout.get());
  for (int i = first; i < last; ++i) {
    const size_t k = static_cast<size_t>(i);
    page.lines.push_back({.text = LineText(block.layout.get(), i),
                          .font = font,
                          .x = x + block.lefts[k],
                          .y = y + block.baselines[k] - origin,
                          .gray = block.gray});
  }
}

}  // namespace

absl::StatusOr<RawPageDrawing> RawPageDrawing::Capture(const report::Document& document,
                                                       const report::PdfOptions& options) {
  absl::StatusOr<std::unique_ptr<report::pdf::PdfWriter>> writer =
      report::pdf::PdfWriter::Create(options, document.title);
  if (!writer.ok()) return writer.status();
  absl::StatusOr<std::unique_ptr<report::pdf::Typesetter>> typesetter =
      report::pdf::Typesetter::Create((*writer)->cairo(), document.lang, options.serif_body);
  if (!typesetter.ok()) return typesetter.status();
  const report::pdf::PagedDocument paged = report::pdf::LayOutPages(document, options, **typesetter);
  RawPageDrawing raw;
  for (const report::pdf::Page& laid_out : paged.pages) {
    Page& page = raw.pages_.emplace_back();
    for (const auto& fill : laid_out.fills) page.fills.push_back({fill.x, fill.y, fill.w, fill.h, fill.gray});
    for (const auto& frame : laid_out.frames) page.frames.push_back({frame.x, frame.y, frame.w, frame.h, 0});
    for (const auto& op : laid_out.texts) AddLines(*op.text, op.first, op.last, op.x, op.y, page);
    if (laid_out.footer != nullptr) {
      AddLines(*laid_out.footer, 0, laid_out.footer->lines(), report::pdf::kMarginX, report::pdf::kFooterTop, page);
    }
  }
  return raw;
}

size_t RawPageDrawing::lines() const {
  size_t count = 0;
  for (const Page& page : pages_) count += page.lines.size();
  return count;
}

size_t RawPageDrawing::Draw() const {
  std::string bytes;
  cairo_surface_t* surface =
      cairo_pdf_surface_create_for_stream(AppendToString, &bytes, report::pdf::kPageWidth, report::pdf::kPageHeight);
  cairo_t* cr = cairo_create(surface);
  // The thread's own default font map: its fonts stay loaded from one
  // document to the next, as a program drawing by hand would have them.
  PangoContext* context = pango_font_map_create_context(pango_cairo_font_map_get_default());
  pango_cairo_update_context(cr, context);
  pango_cairo_context_set_resolution(context, 72.0);
  std::map<std::string, PangoFontDescription*> fonts;
  for (const Page& page : pages_) {
    for (const Rect& fill : page.fills) {
      cairo_set_source_rgb(cr, fill.gray, fill.gray, fill.gray);
      cairo_rectangle(cr, fill.x, fill.y, fill.w, fill.h);
      cairo_fill(cr);
    }
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 0.5);
    for (const Rect& frame : page.frames) cairo_rectangle(cr, frame.x, frame.y, frame.w, frame.h);
    cairo_stroke(cr);
    for (const Line& line : page.lines) {
      PangoFontDescription*& font = fonts[line.font];
      if (font == nullptr) font = pango_font_description_from_string(line.font.c_str());
      PangoLayout* layout = pango_layout_new(context);
      pango_layout_set_font_description(layout, font);
      pango_layout_set_text(layout, line.text.data(), static_cast<int>(line.text.size()));
      cairo_set_source_rgb(cr, line.gray, line.gray, line.gray);
      cairo_move_to(cr, line.x, line.y);
      pango_cairo_show_layout_line(cr, pango_layout_get_line_readonly(layout, 0));
      g_object_unref(layout);
    }
    cairo_show_page(cr);
  }
  for (auto& [name, font] : fonts) pango_font_description_free(font);
  g_object_unref(context);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const bool ok = cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS;
  cairo_surface_destroy(surface);
  return ok ? bytes.size() : 0;
}

absl::StatusOr<RawCellWriting> RawCellWriting::Capture(const std::string& xlsx) {
  xlsx::ReadError error;
  std::optional<xlsx::Workbook> workbook = xlsx::Workbook::Open(xlsx, &error);
  if (!workbook.has_value()) return absl::InvalidArgumentError(error.en);
  RawCellWriting raw;
  const std::vector<std::string> names = workbook->SheetNames();
  for (size_t s = 0; s < names.size(); ++s) {
    std::optional<xlsx::Sheet> read = workbook->ReadSheet(s, &error);
    if (!read.has_value()) return absl::InvalidArgumentError(error.en);
    Sheet& sheet = raw.sheets_.emplace_back();
    sheet.name = names[s];
    for (const xlsx::Row& row : read->rows) {
      for (size_t c = 0; c < row.cells.size(); ++c) {
        const xlsx::Cell& cell = row.cells[c];
        if (cell.type == xlsx::CellType::kBlank) continue;
        const bool number = cell.type == xlsx::CellType::kNumber;
        sheet.cells.push_back({.row = row.number - 1,
                               .column = static_cast<int>(c),
                               .number = number,
                               .value = number ? std::strtod(cell.text.c_str(), nullptr) : 0,
                               .text = number ? "" : cell.text});
      }
    }
  }
  return raw;
}

size_t RawCellWriting::cells() const {
  size_t count = 0;
  for (const Sheet& sheet : sheets_) count += sheet.cells.size();
  return count;
}

absl::StatusOr<size_t> RawCellWriting::Write() const {
  TempFile file;
  if (absl::Status created = file.Create("raw-cells", ".xlsx"); !created.ok()) return created;
  lxw_workbook* workbook = workbook_new(file.path().c_str());
  if (workbook == nullptr) return absl::InternalError("libxlsxwriter could not create a workbook");
  for (const Sheet& sheet : sheets_) {
    lxw_worksheet* worksheet = workbook_add_worksheet(workbook, sheet.name.c_str());
    if (worksheet == nullptr) continue;
    for (const Cell& cell : sheet.cells) {
      const auto row = static_cast<lxw_row_t>(cell.row);
      const auto column = static_cast<lxw_col_t>(cell.column);
      if (cell.number) {
        worksheet_write_number(worksheet, row, column, cell.value, nullptr);
      } else {
        worksheet_write_string(worksheet, row, column, cell.text.c_str(), nullptr);
      }
    }
  }
  if (lxw_error closed = workbook_close(workbook); closed != LXW_NO_ERROR) {
    return absl::InternalError(absl::StrCat("libxlsxwriter failed: ", lxw_strerror(closed)));
  }
  absl::StatusOr<std::string> bytes = file.ReadAll();
  if (!bytes.ok()) return bytes.status();
  return bytes->size();
}

}  // namespace yusuan::bench
