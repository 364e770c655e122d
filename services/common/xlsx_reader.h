// Reading the cells of an XLSX workbook held in memory: the ZIP container
// with minizip, its XML with expat. Shared by the catalogue import (one
// sheet of codes) and the filing workbook (many named sheets).
//
// What it understands: shared strings (rich runs joined, phonetic guides
// left out), inline strings, formula string results, numbers as written in
// <v> (never converted to double), booleans, rows and cells with or without
// r= references, sheet names and order from xl/workbook.xml and its
// relationships, and the _xHHHH_ escapes spreadsheet programs write for
// control characters. Formulas are not evaluated: a cell holds its cached
// value.
#ifndef YUSUAN_SERVICES_COMMON_XLSX_READER_H_
#define YUSUAN_SERVICES_COMMON_XLSX_READER_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace yusuan::xlsx {

enum class CellType {
  kBlank,
  kNumber,   // text is the <v> as written ("1234.5600000000001", "2.010101E6")
  kString,   // a shared, inline or formula string
  kBoolean,  // "0" or "1"
  kError,    // "#N/A", "#VALUE!" …
};

struct Cell {
  CellType type = CellType::kBlank;
  std::string text;
};

// One row: its number as the sheet counts it (1-based) and its cells by
// 0-based column (missing cells are blank; trailing ones may be absent).
struct Row {
  int number = 0;
  std::vector<Cell> cells;
  // The cell of `column`, blank when the row has none there.
  const Cell& at(size_t column) const;
};

struct Sheet {
  std::string name;
  std::vector<Row> rows;
};

// What went wrong, in Chinese and English, without the file's name (the
// caller knows what the file is called and puts it in front).
struct ReadError {
  std::string zh;
  std::string en;
};

// The sheets of a workbook as listed in xl/workbook.xml, read on demand.
// Keeps a view of the bytes given to Open: they must outlive it.
class Workbook {
 public:
  // nullopt, with `error` set, when the bytes are not a ZIP or the shared
  // strings are not XML. A workbook without xl/workbook.xml has one sheet,
  // xl/worksheets/sheet1.xml, called "sheet1".
  static std::optional<Workbook> Open(std::string_view bytes, ReadError* error);

  Workbook(Workbook&&) noexcept;
  Workbook& operator=(Workbook&&) noexcept;
  ~Workbook();

  // Sheet names in workbook order.
  std::vector<std::string> SheetNames() const;
  // Whether the workbook marks the sheet hidden (state="hidden"/"veryHidden").
  bool IsHidden(size_t index) const;

  // The cells of sheet `index` (every cell valid UTF-8), or nullopt with
  // `error` set (member missing, not XML, a cell past column XFD, a missing
  // shared string, bytes that are not UTF-8).
  std::optional<Sheet> ReadSheet(size_t index, ReadError* error) const;
  // The raw XML of a ZIP member ("xl/worksheets/sheet2.xml"), nullopt when
  // absent: for callers that look at more than cells (validations).
  std::optional<std::string> ReadMember(const std::string& member) const;
  // The ZIP member of sheet `index` ("xl/worksheets/sheet1.xml").
  std::string SheetPath(size_t index) const;

 private:
  struct State;
  explicit Workbook(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// "C12" → 2 (0-based column), -1 without letters.
int ColumnOfReference(std::string_view reference);
// 0 → "A", 27 → "AB".
std::string ColumnLetters(size_t column);

}  // namespace yusuan::xlsx

#endif  // YUSUAN_SERVICES_COMMON_XLSX_READER_H_
