#include "services/report/domain/xlsx_renderer.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <system_error>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/money.h"
#include "services/common/temp_file.h"
#include "xlsxwriter.h"

namespace yusuan::report {
namespace {

// ------------------------------------------------------------ text measures

// The code point at `i` of UTF-8 text, advancing `i`. A byte that does not
// start a well-formed sequence counts as one character of its own.
uint32_t NextCodePoint(std::string_view s, size_t& i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b = byte(i);
  size_t length = 1;
  uint32_t cp = b;
  if (b >= 0xF0 && b < 0xF8) {
    length = 4;
    cp = b & 0x07;
  } else if (b >= 0xE0) {
    length = b < 0xF0 ? 3 : 1;
    cp = b & 0x0F;
  } else if (b >= 0xC0) {
    length = 2;
    cp = b & 0x1F;
  }
  if (length == 1 || i + length > s.size()) {
    ++i;
    return b;
  }
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return b;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  i += length;
  return cp;
}

// Width in Excel column units (about one digit each): ASCII 1, anything
// else (CJK, full-width punctuation) 2.
int DisplayWidth(std::string_view line) {
  int width = 0;
  for (size_t i = 0; i < line.size();) {
    width += NextCodePoint(line, i) < 0x80 ? 1 : 2;
  }
  return width;
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (true) {
    const size_t nl = text.find('\n', start);
    lines.push_back(text.substr(start, nl - start));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return lines;
}

int WidestLine(std::string_view text) {
  int widest = 0;
  for (std::string_view line : Lines(text)) {
    widest = std::max(widest, DisplayWidth(line));
  }
  return widest;
}

// Lines `text` takes when wrapped in a cell `width` units wide.
int WrappedLines(std::string_view text, double width) {
  int lines = 0;
  for (std::string_view line : Lines(text)) {
    const double w = DisplayWidth(line);
    lines += std::max(1, static_cast<int>(std::ceil(w / std::max(width, 1.0))));
  }
  return std::max(lines, 1);
}

// The longest prefix of `text` of at most `max_units` UTF-16 code units (as
// Excel counts a sheet name), cut at a character boundary.
std::string TruncateUnits(std::string_view text, int max_units) {
  int units = 0;
  size_t end = 0;
  for (size_t i = 0; i < text.size();) {
    const int width = NextCodePoint(text, i) >= 0x10000 ? 2 : 1;
    if (units + width > max_units) break;
    units += width;
    end = i;
  }
  return std::string(text.substr(0, end));
}

constexpr int kSheetNameUnits = 31;

// ------------------------------------------------------------ layout

constexpr char kFont[] = "宋体";
constexpr double kFontSize = 11;
constexpr double kTitleFontSize = 16;
constexpr double kLineHeight = 15;       // points per text line at 11 pt
constexpr double kTitleLineHeight = 24;  // at 16 pt
constexpr double kMaxRowHeight = 409;    // Excel's limit
constexpr int kMinColumnWidth = 10;      // "12345678.90"
constexpr int kMaxColumnWidth = 42;
// Narrower sheets are widened evenly so that the title fits on one line.
constexpr double kMinSheetWidth = 80;
// Wider sheets print landscape (A4 portrait holds about 100 units at 100%).
constexpr double kPortraitWidth = 100;
constexpr uint8_t kPaperA4 = 9;
// Excel's built-in number formats "0.00" and "0.00%" (locale-independent).
constexpr uint8_t kBuiltinTwoDecimals = 2;
constexpr uint8_t kBuiltinPercentTwoDecimals = 10;
constexpr lxw_color_t kHeaderFill = 0xEEF1F4;
constexpr lxw_color_t kLabelFill = 0xF6F7F8;

// One worksheet: the block that starts it gives its title; `blocks` are
// written below the title in order.
struct Sheet {
  std::string title;
  std::vector<const Block*> blocks;
};

// A block whose anchor starts with "table-" starts a sheet.
bool StartsSheet(const Block& block, std::string* title) {
  if (const auto* heading = std::get_if<Heading>(&block)) {
    if (!absl::StartsWith(heading->anchor, "table-")) return false;
    *title = heading->text;
    return true;
  }
  if (const auto* table = std::get_if<Table>(&block)) {
    if (!absl::StartsWith(table->anchor, "table-")) return false;
    *title = table->title;
    return true;
  }
  return false;
}

std::vector<Sheet> SplitSheets(const Document& document) {
  std::vector<Sheet> sheets;
  bool open = false;
  for (const Block& block : document.blocks) {
    std::string title;
    if (StartsSheet(block, &title)) {
      sheets.push_back(Sheet{std::move(title), {}});
      // The sheet's own table is written below the title; a heading is the
      // title itself.
      if (std::holds_alternative<Table>(block)) {
        sheets.back().blocks.push_back(&block);
      }
      open = true;
      continue;
    }
    const auto* heading = std::get_if<Heading>(&block);
    if (heading != nullptr && heading->level <= 2) {
      open = false;  // a new part ends the tables
      continue;
    }
    if (open) sheets.back().blocks.push_back(&block);
  }
  return sheets;
}

enum class Role {
  kTitle,      // the sheet's title row
  kMetaLeft,   // 编制单位：…
  kMetaRight,  // 单位：万元
  kHeading,    // a sub-heading inside a sheet (表10's project names)
  kCaption,    // a centred bold line (form titles, sub-table titles)
  kParagraph,  // plain text across the sheet
  kNote,       // small print under a table
  kHeader,     // a header cell of a grid table
  kBody,       // a body cell of a grid table
  kFormBody,   // a body cell of a form (top-aligned)
};

// Formats are created once per distinct look and owned by the workbook.
class Formats {
 public:
  explicit Formats(lxw_workbook* workbook) : workbook_(workbook) {}

  lxw_format* Get(Role role, const Cell* cell = nullptr) {
    static const Cell kPlain;
    const Cell& c = cell != nullptr ? *cell : kPlain;
    const auto key = std::make_tuple(role, c.align, c.bold, c.label, std::clamp(c.indent, 0, 15), c.quantity);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
    lxw_format* f = workbook_add_format(workbook_);
    format_set_font_name(f, kFont);
    format_set_font_size(f, kFontSize);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    switch (role) {
      case Role::kTitle:
        format_set_bold(f);
        format_set_font_size(f, kTitleFontSize);
        format_set_align(f, LXW_ALIGN_CENTER);
        format_set_text_wrap(f);
        break;
      case Role::kMetaLeft:
        format_set_align(f, LXW_ALIGN_LEFT);
        break;
      case Role::kMetaRight:
        format_set_align(f, LXW_ALIGN_RIGHT);
        break;
      case Role::kHeading:
        format_set_bold(f);
        format_set_align(f, LXW_ALIGN_LEFT);
        format_set_text_wrap(f);
        break;
      case Role::kCaption:
        format_set_bold(f);
        format_set_align(f, LXW_ALIGN_CENTER);
        format_set_text_wrap(f);
        break;
      case Role::kParagraph:
        format_set_align(f, LXW_ALIGN_LEFT);
        format_set_text_wrap(f);
        break;
      case Role::kNote:
        format_set_font_size(f, kFontSize - 1);
        format_set_align(f, LXW_ALIGN_LEFT);
        format_set_text_wrap(f);
        break;
      case Role::kHeader:
        format_set_bold(f);
        format_set_align(f, LXW_ALIGN_CENTER);
        format_set_text_wrap(f);
        format_set_border(f, LXW_BORDER_THIN);
        format_set_bg_color(f, kHeaderFill);
        break;
      case Role::kBody:
      case Role::kFormBody:
        format_set_border(f, LXW_BORDER_THIN);
        if (role == Role::kFormBody && c.quantity == Quantity::kNone) {
          format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
        }
        if (c.align == Align::kRight) {
          format_set_align(f, LXW_ALIGN_RIGHT);
        } else if (c.align == Align::kCenter) {
          format_set_align(f, LXW_ALIGN_CENTER);
        } else {
          format_set_align(f, LXW_ALIGN_LEFT);
        }
        if (c.bold || c.label) format_set_bold(f);
        if (c.label) format_set_bg_color(f, kLabelFill);
        if (c.indent > 0) format_set_indent(f, std::get<4>(key));
        switch (c.quantity) {
          case Quantity::kWanYuan:
          case Quantity::kYuan:
            format_set_num_format_index(f, kBuiltinTwoDecimals);
            break;
          case Quantity::kPercent:
            format_set_num_format_index(f, kBuiltinPercentTwoDecimals);
            break;
          case Quantity::kNone:
            format_set_text_wrap(f);
            break;
        }
        break;
    }
    cache_.emplace(key, f);
    return f;
  }

 private:
  lxw_workbook* workbook_;
  std::map<std::tuple<Role, Align, bool, bool, int, Quantity>, lxw_format*> cache_;
};

// The number a numeric cell shows, exactly: the displayed two-decimal 万元
// figure (half-up, as FormatWanYuan), 元 to the 分, or a share as a fraction.
double CellNumber(const Cell& cell) {
  switch (cell.quantity) {
    case Quantity::kWanYuan:
      return static_cast<double>(FenToWanYuanCents(cell.value)) / 100.0;
    case Quantity::kYuan:
      return static_cast<double>(cell.value) / 100.0;
    case Quantity::kPercent:
      return static_cast<double>(cell.value) / 10000.0;
    case Quantity::kNone:
      break;
  }
  return 0;
}

class SheetWriter {
 public:
  SheetWriter(lxw_worksheet* worksheet, Formats& formats, const Sheet& sheet)
      : ws_(worksheet), formats_(formats), sheet_(sheet) {}

  absl::Status Write() {
    LayOutColumns();
    WriteTitle();
    bool after_table = false;
    for (size_t i = 0; i < sheet_.blocks.size(); ++i) {
      const Block& block = *sheet_.blocks[i];
      if (const auto* heading = std::get_if<Heading>(&block)) {
        if (after_table) ++row_;
        WriteAcross(heading->text, Role::kHeading);
        after_table = false;
      } else if (const auto* paragraph = std::get_if<Paragraph>(&block)) {
        if (after_table) ++row_;
        WriteAcross(paragraph->text, ParagraphRole(paragraph->style));
        after_table = false;
      } else if (const auto* table = std::get_if<Table>(&block)) {
        if (after_table) ++row_;
        WriteTable(*table, /*own=*/i == 0 && table->title == sheet_.title);
        after_table = true;
      }
    }
    FinishRows();
    SetUpPage();
    return status_;
  }

 private:
  static Role ParagraphRole(ParagraphStyle style) {
    switch (style) {
      case ParagraphStyle::kCenter:
        return Role::kCaption;
      case ParagraphStyle::kNote:
        return Role::kNote;
      default:
        return Role::kParagraph;
    }
  }

  void Check(lxw_error error) {
    if (error == LXW_NO_ERROR || !status_.ok()) return;
    if (error == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED) {
      status_ = absl::InvalidArgumentError(
          "表格中有超过 32767 个字符的文本，无法写入 XLSX / a text is longer "
          "than an XLSX cell can hold (32,767 characters)");
      return;
    }
    status_ = absl::InternalError(absl::StrCat("XLSX 写入失败 / libxlsxwriter failed: ", lxw_strerror(error)));
  }

  // Column widths from the tables' single-column cells, clamped; a sheet
  // without tables gets one wide column for its text.
  void LayOutColumns() {
    size_t columns = 0;
    for (const Block* block : sheet_.blocks) {
      if (const auto* table = std::get_if<Table>(block)) {
        columns = std::max(columns, ColumnCount(*table));
      }
    }
    if (columns == 0) {
      widths_.assign(1, 80);
      return;
    }
    std::vector<int> widest(columns, 0);
    for (const Block* block : sheet_.blocks) {
      const auto* table = std::get_if<Table>(block);
      if (table == nullptr) continue;
      for (const auto* rows : {&table->header, &table->body}) {
        for (const auto& slots : ResolveGrid(*rows, ColumnCount(*table))) {
          for (size_t c = 0; c < slots.size(); ++c) {
            const Cell* cell = slots[c].cell;
            if (cell == nullptr || !slots[c].origin || cell->col_span > 1) {
              continue;
            }
            widest[c] = std::max(widest[c], WidestLine(cell->text) + 2 * std::max(cell->indent, 0));
          }
        }
      }
    }
    widths_.resize(columns);
    double total = 0;
    for (size_t c = 0; c < columns; ++c) {
      widths_[c] = std::clamp(widest[c] + 2, kMinColumnWidth, kMaxColumnWidth);
      total += widths_[c];
    }
    const double extra = std::max(kMinSheetWidth - total, 0.0) / static_cast<double>(columns);
    for (size_t c = 0; c < columns; ++c) {
      widths_[c] = std::ceil(widths_[c] + extra);
      Check(worksheet_set_column(ws_, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), widths_[c], nullptr));
    }
  }

  double SpanWidth(size_t first, size_t last) const {
    double width = 0;
    for (size_t c = first; c <= last && c < widths_.size(); ++c) {
      width += widths_[c];
    }
    return width;
  }

  lxw_col_t LastColumn() const { return static_cast<lxw_col_t>(widths_.size() - 1); }

  void NeedLines(lxw_row_t row, double lines, double line_height) {
    double& height = heights_[row];
    height = std::max(height, lines * line_height + (lines > 1 ? 4 : 0));
  }

  // Text (or a number) over columns [first, last] and rows [top, bottom].
  void WriteRange(lxw_row_t top, lxw_col_t first, lxw_row_t bottom, lxw_col_t last, const Cell* cell,
                  const std::string& text, lxw_format* format) {
    const bool number = cell != nullptr && cell->quantity != Quantity::kNone;
    if (top != bottom || first != last) {
      Check(worksheet_merge_range(ws_, top, first, bottom, last, number ? "" : text.c_str(), format));
    } else if (!number && text.empty()) {
      Check(worksheet_write_blank(ws_, top, first, format));
    } else if (!number) {
      Check(worksheet_write_string(ws_, top, first, text.c_str(), format));
    }
    if (number) {
      Check(worksheet_write_number(ws_, top, first, CellNumber(*cell), format));
    }
  }

  // One row across the sheet's width.
  void WriteAcross(const std::string& text, Role role) {
    WriteRange(row_, 0, row_, LastColumn(), nullptr, text, formats_.Get(role));
    const bool title = role == Role::kTitle;
    const double scale = title ? kTitleFontSize / kFontSize : 1;
    NeedLines(row_, WrappedLines(text, SpanWidth(0, LastColumn()) / scale), title ? kTitleLineHeight : kLineHeight);
    ++row_;
  }

  void WriteTitle() {
    WriteAcross(sheet_.title, Role::kTitle);
    freeze_row_ = row_;
  }

  void WriteMeta(const Table& table) {
    if (table.meta_left.empty() && table.meta_right.empty()) return;
    if (widths_.size() < 2 || table.meta_right.empty()) {
      const std::string text = table.meta_right.empty() || table.meta_left.empty()
                                   ? table.meta_left + table.meta_right
                                   : table.meta_left + "    " + table.meta_right;
      WriteAcross(text, Role::kMetaLeft);
      return;
    }
    const lxw_col_t right = LastColumn();
    WriteRange(row_, 0, row_, right - 1, nullptr, table.meta_left, formats_.Get(Role::kMetaLeft));
    WriteRange(row_, right, row_, right, nullptr, table.meta_right, formats_.Get(Role::kMetaRight));
    ++row_;
  }

  // Rows of a grid or form: every cell at its top-left slot, merged over
  // its spans as the HTML lays them out; empty slots get a bordered blank.
  void WriteRows(const std::vector<Row>& rows, size_t columns, Role role) {
    const auto grid = ResolveGrid(rows, columns);
    for (size_t r = 0; r < grid.size(); ++r) {
      const lxw_row_t top = row_ + static_cast<lxw_row_t>(r);
      for (size_t c = 0; c < grid[r].size(); ++c) {
        const GridSlot& slot = grid[r][c];
        const auto col = static_cast<lxw_col_t>(c);
        if (slot.cell == nullptr) {
          Check(worksheet_write_blank(ws_, top, col, formats_.Get(role)));
          continue;
        }
        if (!slot.origin) continue;
        size_t last = c;
        while (last + 1 < grid[r].size() && grid[r][last + 1].cell == slot.cell) {
          ++last;
        }
        size_t bottom = r;
        while (bottom + 1 < grid.size() && grid[bottom + 1][c].cell == slot.cell) {
          ++bottom;
        }
        WriteRange(top, col, row_ + static_cast<lxw_row_t>(bottom), static_cast<lxw_col_t>(last), slot.cell,
                   slot.cell->text, formats_.Get(role, slot.cell));
        if (bottom == r && slot.cell->quantity == Quantity::kNone) {
          NeedLines(top, WrappedLines(slot.cell->text, SpanWidth(c, last) - 1), kLineHeight);
        }
      }
    }
    row_ += static_cast<lxw_row_t>(grid.size());
  }

  void WriteTable(const Table& table, bool own) {
    if (!own && !table.title.empty()) WriteAcross(table.title, Role::kCaption);
    WriteMeta(table);
    const size_t columns = ColumnCount(table);
    if (columns > 0) {
      WriteRows(table.header, columns, Role::kHeader);
      // The sheet's own table freezes everything down to its header.
      if (own && !table.header.empty()) freeze_row_ = row_;
      WriteRows(table.body, columns, table.style == TableStyle::kForm ? Role::kFormBody : Role::kBody);
    }
    if (!table.note.empty()) WriteAcross(table.note, Role::kNote);
  }

  void FinishRows() {
    for (const auto& [row, height] : heights_) {
      if (height <= kLineHeight) continue;  // Excel's default height fits
      Check(worksheet_set_row(ws_, row, std::min(height, kMaxRowHeight), nullptr));
    }
  }

  void SetUpPage() {
    worksheet_freeze_panes(ws_, freeze_row_, 0);
    Check(worksheet_repeat_rows(ws_, 0, freeze_row_ - 1));
    worksheet_set_paper(ws_, kPaperA4);
    if (SpanWidth(0, LastColumn()) > kPortraitWidth) {
      worksheet_set_landscape(ws_);
    } else {
      worksheet_set_portrait(ws_);
    }
    worksheet_fit_to_pages(ws_, 1, 0);  // one page wide, as tall as needed
    worksheet_center_horizontally(ws_);
    Check(worksheet_set_footer(ws_, "&C第 &P 页 共 &N 页"));
  }

  lxw_worksheet* ws_;
  Formats& formats_;
  const Sheet& sheet_;
  absl::Status status_;
  std::vector<double> widths_;
  std::map<lxw_row_t, double> heights_;
  lxw_row_t row_ = 0;
  lxw_row_t freeze_row_ = 1;
};

}  // namespace

std::string XlsxSheetName(std::string_view title, std::string_view prefix) {
  std::string text(title);
  if (!prefix.empty()) {
    const size_t at = text.find(prefix);
    if (at != std::string::npos) text.erase(at, prefix.size());
  }
  std::string name;
  for (size_t i = 0; i < text.size();) {
    const size_t start = i;
    const uint32_t cp = NextCodePoint(text, i);
    const bool forbidden =
        cp < 0x20 || cp == 0x7F ||
        (cp < 0x80 && std::string_view("[]:*?/\\").find(static_cast<char>(cp)) != std::string_view::npos);
    if (forbidden) {
      name += '_';
    } else {
      name.append(text, start, i - start);
    }
  }
  name = std::string(absl::StripAsciiWhitespace(name));
  while (!name.empty() && name.front() == '\'') name.erase(0, 1);
  name = TruncateUnits(name, kSheetNameUnits);
  while (!name.empty() && name.back() == '\'') name.pop_back();
  name = std::string(absl::StripAsciiWhitespace(name));
  return name.empty() ? "Sheet" : name;
}

absl::StatusOr<std::string> RenderXlsx(const Document& document, const XlsxOptions& options) {
  if (options.created_unix_seconds <= 0) {
    return absl::InvalidArgumentError(
        "XLSX 需要取自输入的创建时间 / the XLSX needs a creation time taken "
        "from the input (created_unix_seconds > 0)");
  }
  yusuan::TempFile file;
  if (absl::Status status = file.Create("xlsx", ".xlsx"); !status.ok()) return status;

  lxw_workbook* workbook = workbook_new(file.path().c_str());
  if (workbook == nullptr) {
    return absl::InternalError("无法创建 XLSX 工作簿 / libxlsxwriter could not create a workbook");
  }
  std::string title = document.title;
  std::string author = options.author;
  lxw_doc_properties properties{};
  properties.title = title.data();
  properties.author = author.data();
  properties.created = static_cast<time_t>(options.created_unix_seconds);
  absl::Status status;
  if (lxw_error error = workbook_set_properties(workbook, &properties); error != LXW_NO_ERROR) {
    status = absl::InternalError(absl::StrCat("XLSX 写入失败 / libxlsxwriter failed: ", lxw_strerror(error)));
  }

  Formats formats(workbook);
  std::set<std::string> used;  // lower-case: Excel's names are case-blind
  for (const Sheet& sheet : SplitSheets(document)) {
    if (!status.ok()) break;
    std::string name = XlsxSheetName(sheet.title, options.title_prefix);
    const std::string base = name;
    for (int n = 2; used.count(absl::AsciiStrToLower(name)) > 0; ++n) {
      const std::string suffix = absl::StrCat("(", n, ")");
      name = TruncateUnits(base, kSheetNameUnits - static_cast<int>(suffix.size())) + suffix;
    }
    used.insert(absl::AsciiStrToLower(name));
    lxw_worksheet* worksheet = workbook_add_worksheet(workbook, name.c_str());
    if (worksheet == nullptr) {
      status =
          absl::InternalError(absl::StrCat("无法添加工作表 / libxlsxwriter refused the sheet name \"", name, "\""));
      break;
    }
    status = SheetWriter(worksheet, formats, sheet).Write();
  }
  // workbook_close also frees the workbook, so it runs on every path.
  const lxw_error closed = workbook_close(workbook);
  if (!status.ok()) return status;
  if (closed != LXW_NO_ERROR) {
    return absl::InternalError(absl::StrCat("XLSX 写入失败 / libxlsxwriter failed: ", lxw_strerror(closed)));
  }

  return file.ReadAll();
}

}  // namespace yusuan::report
