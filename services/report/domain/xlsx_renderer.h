// Writes the tables of a Document (表1–表10 of 第二部分) as an XLSX workbook
// with libxlsxwriter: one worksheet per table, numbers as numeric cells.
#ifndef YUSUAN_SERVICES_REPORT_DOMAIN_XLSX_RENDERER_H_
#define YUSUAN_SERVICES_REPORT_DOMAIN_XLSX_RENDERER_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/report/domain/document.h"

namespace yusuan::report {

struct XlsxOptions {
  // docProps/core.xml's created/modified time, seconds since the epoch. It is
  // part of the bytes, so it must come from the input (never the clock);
  // values <= 0 are refused because libxlsxwriter reads 0 as "now".
  int64_t created_unix_seconds = 0;
  // "区科协2021年": cut out of the table titles to name the sheets
  // ("表1 区科协2021年财政拨款收支预算总表" → sheet "表1 财政拨款收支预算总表").
  std::string title_prefix;
  // The workbook's author property (编制单位).
  std::string author;
};

// The workbook. A new worksheet starts at every block whose anchor begins
// with "table-" (the table of 表1–表8, the heading of 表9 and 表10) and holds
// everything up to the next such block or the next part heading; blocks
// outside those sheets (第一、三、四部分) are not written. Each sheet has
// the table's title row, its 编制单位/单位 line, merged header cells as the
// HTML has them, amounts as numbers with a 0.00 number format (shares with
// 0.00%), frozen header rows, and an A4 print setup fitted to the page width.
// INTERNAL when libxlsxwriter fails; INVALID_ARGUMENT for a text longer than
// a cell can hold (32,767 characters).
absl::StatusOr<std::string> RenderXlsx(const Document& document, const XlsxOptions& options);

// An Excel-valid sheet name from a table title: `prefix` cut out once,
// []:*?/\ and control characters replaced by '_', leading and trailing
// apostrophes dropped, at most 31 UTF-16 units (cut at a character
// boundary), "Sheet" when nothing is left.
std::string XlsxSheetName(std::string_view title, std::string_view prefix);

}  // namespace yusuan::report

#endif  // YUSUAN_SERVICES_REPORT_DOMAIN_XLSX_RENDERER_H_
