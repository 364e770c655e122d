// Writes a Document as GitHub-flavoured Markdown. Tables become pipe tables:
// multi-row headers are flattened ("基本支出·人员经费"), merged cells are
// laid out and printed once (covered slots stay empty).
#ifndef YUSUAN_SERVICES_REPORT_DOMAIN_MARKDOWN_RENDERER_H_
#define YUSUAN_SERVICES_REPORT_DOMAIN_MARKDOWN_RENDERER_H_

#include <string>
#include <string_view>

#include "services/report/domain/document.h"

namespace yusuan::report {

// Escapes text so that it renders literally: Markdown punctuation gets a
// backslash, < > & become entities (so free text can never inject HTML).
std::string EscapeMarkdown(std::string_view text);

// EscapeMarkdown plus "|" → "\|" and line breaks → "<br>", for table cells.
std::string EscapeMarkdownCell(std::string_view text);

std::string RenderMarkdown(const Document& document);

}  // namespace yusuan::report

#endif  // YUSUAN_SERVICES_REPORT_DOMAIN_MARKDOWN_RENDERER_H_
