// Reading a classification catalogue in the layout 财政部 publishes (a CSV or
// XLSX sheet of 科目编码, 科目名称, 级次 and optionally 预算) into a Catalogue.
// Pure: bytes in, a Catalogue or the first problem out. The ledger stores
// what this returns (LedgerService.ImportCatalogue).
//
// The layout (data/catalogue/README.md § Importing):
//   - one row per code; a header row naming the columns is optional (without
//     one the columns are 科目编码, 科目名称, 级次[, 预算] in that order);
//     columns the header does not know (说明 …) are ignored; empty rows too;
//   - 科目编码 tells the classification apart: 2xx 支出功能分类 (类 3, 款 5,
//     项 7 digits), 3xx 部门预算支出经济分类 and 5xx 政府预算支出经济分类
//     (类 3, 款 5 digits); every 款 and 项 has its parent in the file;
//   - 级次 is 类, 款 or 项 and must agree with the code's length;
//   - 预算 (only on functional 项) is 一般公共预算, 政府性基金预算,
//     国有资本经营预算 or 社会保险基金预算 (several separated by 、 or ,);
//     a 项 without it takes the tag of the same code in the reference
//     edition (the shipped file), else 一般公共预算;
//   - the file has no 部门→政府 economic mapping: the reference edition's rows
//     whose two codes the file lists are kept, and so is its project_capable.
// CSV is UTF-8 (a BOM is allowed), RFC 4180 quoting. XLSX: the first
// worksheet, shared or inline strings, numbers as their digits.
#ifndef YUSUAN_SERVICES_LEDGER_DOMAIN_CATALOGUE_IMPORT_H_
#define YUSUAN_SERVICES_LEDGER_DOMAIN_CATALOGUE_IMPORT_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/ledger/domain/catalogue.h"

namespace yusuan::ledger {

struct CatalogueImportOptions {
  int edition = 0;
  // The file's name, for messages ("2021.xlsx 第 5 行 …").
  std::string file_name;
  // The edition whose 预算 tags, mapping and project_capable an imported
  // file without them inherits (nullptr: none; untagged 项 are general).
  const Catalogue* reference = nullptr;
};

// One row of a sheet: its number as the file counts it (1-based) and its
// cells (trailing empty cells may be missing).
struct SheetRow {
  int number = 0;
  std::vector<std::string> cells;
};

// The file's format from its first bytes: XLSX is a ZIP ("PK\3\4").
bool LooksLikeXlsx(std::string_view content);

// The rows of a CSV text (UTF-8, optional BOM, RFC 4180 quotes, CRLF or LF).
absl::StatusOr<std::vector<SheetRow>> ReadCsvRows(std::string_view text, const std::string& file_name);
// The rows of the first worksheet of an XLSX file.
absl::StatusOr<std::vector<SheetRow>> ReadXlsxRows(std::string_view bytes, const std::string& file_name);

// Rows → Catalogue; every error names the file, the row, the column and what
// to change, in Chinese and English (INVALID_ARGUMENT).
absl::StatusOr<Catalogue> CatalogueFromRows(const std::vector<SheetRow>& rows, const CatalogueImportOptions& options);

// CSV or XLSX, told apart by LooksLikeXlsx.
absl::StatusOr<Catalogue> ImportCatalogueFile(std::string_view content, const CatalogueImportOptions& options);

}  // namespace yusuan::ledger

#endif  // YUSUAN_SERVICES_LEDGER_DOMAIN_CATALOGUE_IMPORT_H_
