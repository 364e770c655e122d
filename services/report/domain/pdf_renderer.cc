// RenderPdf as the composition of the PDF's parts: the input checked, a
// cairo writer (pdf_writer.h) whose surface the typesetter (pdf_typesetter.h)
// measures for, the pages laid out (pdf_pages.h, tables by
// pdf_table_layout.h) and then drawn.
#include "services/report/domain/pdf_renderer.h"

#include <glib.h>

#include <cstdint>
#include <memory>
#include <string>
#include <variant>

#include "absl/status/status.h"
#include "services/report/domain/pdf_pages.h"
#include "services/report/domain/pdf_typesetter.h"
#include "services/report/domain/pdf_writer.h"

namespace yusuan::report {
namespace {

bool IsUtf8(const std::string& text) {
  return g_utf8_validate(text.data(), static_cast<gssize>(text.size()), nullptr) != FALSE;
}

absl::Status CheckText(const Document& document, const PdfOptions& options) {
  auto bad = [](const std::string& where) {
    return absl::InvalidArgumentError("PDF 文本不是有效的 UTF-8：" + where + " / text is not valid UTF-8: " + where);
  };
  if (!IsUtf8(document.title)) return bad("title");
  for (const std::string* field :
       {&options.title, &options.author, &options.subject, &options.keywords, &options.department}) {
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
      for (const std::string* field : {&t->title, &t->meta_left, &t->meta_right, &t->note}) {
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

}  // namespace

absl::StatusOr<std::string> RenderPdf(const Document& document, const PdfOptions& options) {
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
  absl::StatusOr<std::unique_ptr<pdf::PdfWriter>> writer = pdf::PdfWriter::Create(options, document.title);
  if (!writer.ok()) return writer.status();
  absl::StatusOr<std::unique_ptr<pdf::Typesetter>> typesetter =
      pdf::Typesetter::Create((*writer)->cairo(), document.lang, options.serif_body);
  if (!typesetter.ok()) return typesetter.status();
  (*writer)->Draw(pdf::LayOutPages(document, options, **typesetter));
  return (*writer)->Finish();
}

}  // namespace yusuan::report
