// Writes a Document as one self-contained HTML page (inline CSS, no
// scripts, no external resources), readable on screen and printable.
#ifndef YUSUAN_SERVICES_REPORT_DOMAIN_HTML_RENDERER_H_
#define YUSUAN_SERVICES_REPORT_DOMAIN_HTML_RENDERER_H_

#include <string>
#include <string_view>

#include "services/common/html.h"
#include "services/report/domain/document.h"

namespace yusuan::report {

// Escapes & < > " ' for text and attribute values (services/common/html.h).
using yusuan::EscapeHtml;

// The whole page: <!DOCTYPE html>, lang, meta charset utf-8, <title>.
std::string RenderHtml(const Document& document);

}  // namespace yusuan::report

#endif  // YUSUAN_SERVICES_REPORT_DOMAIN_HTML_RENDERER_H_
