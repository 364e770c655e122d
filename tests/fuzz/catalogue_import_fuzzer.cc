// Importing a classification catalogue (services/ledger/domain/
// catalogue_import.h), as POST /v1/catalogues/{edition}:import hands the
// file to the ledger.
//
// Input, one of two kinds:
//   - the uploaded file itself: CSV, or XLSX when it starts with "PK\3\4";
//   - 'X' then the XML members of an XLSX separated by kPartSeparator
//     (xl/worksheets/sheet1.xml, xl/sharedStrings.xml, xl/workbook.xml,
//     xl/_rels/workbook.xml.rels; empty: absent), which the target packs
//     into a ZIP here. A ZIP's checksums make mutated ZIP bytes fail before
//     the XML is read, so this is how the fuzzer reaches the sheet reader.
// The reference edition is (a cut of) the shipped 2021 catalogue, as in
// the ledger.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_split.h"
#include "nlohmann/json.hpp"
#include "services/common/utf8.h"
#include "services/ledger/domain/catalogue_import.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/stored_zip.h"

namespace yusuan::ledger {
namespace {

constexpr char kPartSeparator = '\x1e';
constexpr const char* kMembers[] = {"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml",
                                    "xl/_rels/workbook.xml.rels"};

// The shipped 2021 edition, its functional codes cut to the 类 and to the
// 款 the seeds use: CatalogueFromRows writes the whole reference to JSON and
// reads it back on every import it accepts, which for all 1,802 functional
// codes would be most of the time of a run.
const Catalogue& Reference() {
  static const Catalogue* reference = [] {
    std::ifstream file(YUSUAN_SOURCE_DIR "/data/catalogue/2021.json");
    nlohmann::json json = nlohmann::json::parse(file, nullptr, /*allow_exceptions=*/false);
    FUZZ_CHECK(json.is_object(), "data/catalogue/2021.json");
    const std::set<std::string> kept = {"20101", "20601", "20610", "20804", "20805", "20707"};
    nlohmann::json functional = nlohmann::json::array();
    for (const nlohmann::json& entry : json["functional"]) {
      const std::string code = entry["code"].get<std::string>();
      if (code.size() == 3 || kept.count(code.substr(0, 5)) > 0) functional.push_back(entry);
    }
    json["functional"] = std::move(functional);
    absl::StatusOr<Catalogue> loaded = Catalogue::LoadFromJson(json.dump(), "2021.json (cut)");
    FUZZ_CHECK(loaded.ok(), loaded.status().ToString());
    return new Catalogue(*std::move(loaded));
  }();
  return *reference;
}

CatalogueImportOptions Options(const std::string& file_name) {
  CatalogueImportOptions options;
  options.edition = 2021;
  options.file_name = file_name;
  options.reference = &Reference();
  return options;
}

// A refusal is INVALID_ARGUMENT naming the file.
void CheckRefusal(const absl::Status& status, const std::string& file_name) {
  FUZZ_CHECK(status.code() == absl::StatusCode::kInvalidArgument, status.ToString());
  FUZZ_CHECK(status.message().find(file_name) != absl::string_view::npos, status.ToString());
  FUZZ_CHECK(IsValidUtf8(std::string_view(status.message().data(), status.message().size())), status.ToString());
}

// An imported catalogue is the edition asked for, and the ledger stores it
// as ToJson, which must load back to the same catalogue.
void CheckCatalogue(const Catalogue& catalogue) {
  FUZZ_CHECK(catalogue.edition() == 2021);
  FUZZ_CHECK(!catalogue.FunctionalCodes().empty() && !catalogue.EconomicCodes().empty());
  const std::string stored = catalogue.ToJson("fuzz");
  const absl::StatusOr<Catalogue> reloaded = Catalogue::LoadFromJson(stored, "stored");
  FUZZ_CHECK(reloaded.ok(), reloaded.status().ToString(), "\n", stored);
  FUZZ_CHECK(reloaded->ToJson("fuzz") == stored, stored);
}

void CheckRows(const std::vector<SheetRow>& rows, const std::string& file_name) {
  int previous = 0;
  for (const SheetRow& row : rows) {
    for (const std::string& cell : row.cells) FUZZ_CHECK(IsValidUtf8(cell), "row ", row.number);
    // A CSV's rows are numbered as the file's lines; a sheet's as its r="".
    if (file_name.ends_with(".csv")) FUZZ_CHECK(row.number > previous, "row ", row.number, " after ", previous);
    previous = row.number;
  }
  const absl::StatusOr<Catalogue> catalogue = CatalogueFromRows(rows, Options(file_name));
  if (catalogue.ok()) {
    CheckCatalogue(*catalogue);
  } else {
    CheckRefusal(catalogue.status(), file_name);
  }
}

// Writing the rows back as CSV, every cell quoted, reads as the same cells.
void CheckCsvRoundTrip(const std::vector<SheetRow>& rows) {
  std::string csv;
  for (const SheetRow& row : rows) {
    for (size_t i = 0; i < row.cells.size(); ++i) {
      if (i > 0) csv += ',';
      csv += '"';
      for (const char c : row.cells[i]) csv += c == '"' ? std::string("\"\"") : std::string(1, c);
      csv += '"';
    }
    csv += '\n';
  }
  const absl::StatusOr<std::vector<SheetRow>> reread = ReadCsvRows(csv, "written.csv");
  FUZZ_CHECK(reread.ok(), reread.status().ToString(), "\n", csv);
  FUZZ_CHECK(reread->size() == rows.size(), reread->size(), " rows from ", rows.size(), "\n", csv);
  for (size_t r = 0; r < rows.size(); ++r) FUZZ_CHECK((*reread)[r].cells == rows[r].cells, "row ", r, "\n", csv);
}

void CheckFile(std::string_view content) {
  const bool xlsx = LooksLikeXlsx(content);
  const std::string file_name = xlsx ? "upload.xlsx" : "upload.csv";
  const absl::StatusOr<Catalogue> imported = ImportCatalogueFile(content, Options(file_name));
  if (imported.ok()) {
    CheckCatalogue(*imported);
  } else {
    CheckRefusal(imported.status(), file_name);
  }
  if (xlsx) return;
  const absl::StatusOr<std::vector<SheetRow>> rows = ReadCsvRows(content, file_name);
  if (!rows.ok()) {
    CheckRefusal(rows.status(), file_name);
    return;
  }
  CheckRows(*rows, file_name);
  CheckCsvRoundTrip(*rows);
}

void CheckSheetXml(std::string_view parts) {
  const std::vector<std::string> xml = absl::StrSplit(absl::string_view(parts.data(), parts.size()), kPartSeparator);
  std::vector<std::pair<std::string, std::string>> members;
  for (size_t i = 0; i < xml.size() && i < std::size(kMembers); ++i) {
    if (!xml[i].empty()) members.emplace_back(kMembers[i], xml[i]);
  }
  const std::string zip = fuzz::StoredZip(members);
  FUZZ_CHECK(LooksLikeXlsx(zip) || members.empty());
  const absl::StatusOr<std::vector<SheetRow>> rows = ReadXlsxRows(zip, "sheet.xlsx");
  if (!rows.ok()) {
    CheckRefusal(rows.status(), "sheet.xlsx");
    return;
  }
  CheckRows(*rows, "sheet.xlsx");
}

}  // namespace
}  // namespace yusuan::ledger

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (!input.empty() && input.front() == 'X') {
    yusuan::ledger::CheckSheetXml(input.substr(1));
  } else {
    yusuan::ledger::CheckFile(input);
  }
  return 0;
}
