// Writes a Document as one self-contained HTML page (inline CSS, no
// scripts, no external resources), readable on screen and printable.
#ifndef YUSUAN_SERVICES_REPORT_DOMAIN_HTML_RENDERER_H_
#define YUSUAN_SERVICES_REPORT_DOMAIN_HTML_RENDERER_H_

#include <string>
#include <string_view>

#include "services/report/domain/document.h"

namespace yusuan::report {

// Escapes & < > " ' for text and attribute values.
std::string EscapeHtml(std::string_view text);

// The whole page: <!DOCTYPE html>, lang, meta charset utf-8, <title>.
std::string RenderHtml(const Document& document);

}  // namespace yusuan::report

#endif  // YUSUAN_SERVICES_REPORT_DOMAIN_HTML_RENDERER_H_
