// Document tables laid out for the PDF (pdf_table_layout.h), with text
// measured by arithmetic instead of pango: a CJK character is one em wide,
// an ASCII one half an em, a line 1.4 em tall, and text wraps character by
// character. The rules are the renderer's: amounts never wrap, names wrap
// in their cells and their rows grow, a table that cannot keep its amounts
// whole is set smaller or split into column groups, and a body that runs
// over pages repeats its header on each.
#include "services/report/domain/pdf_table_layout.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace yusuan::report::pdf_layout {
namespace {

using ::testing::DoubleNear;
using ::testing::ElementsAre;

constexpr double kLineEms = 1.4;
constexpr double kWidth = 483;  // the A4 text width the renderer uses

// Widths of the UTF-8 characters of `text`, in ems.
std::vector<double> CharacterEms(std::string_view text) {
  std::vector<double> ems;
  for (unsigned char c : text) {
    if (c < 0x80) {
      ems.push_back(0.5);
    } else if (c >= 0xC0) {
      ems.push_back(1.0);  // the lead byte of a multi-byte character
    }
  }
  return ems;
}

std::vector<std::string_view> Paragraphs(std::string_view text) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t at = text.find('\n'); at != std::string_view::npos; at = text.find('\n', start)) {
    out.push_back(text.substr(start, at - start));
    start = at + 1;
  }
  out.push_back(text.substr(start));
  return out;
}

class ArithmeticTypesetter : public CellTypesetter {
 public:
  struct Text {
    std::string text;
    CellFont font;
  };

  SetText Set(std::string_view text, const CellFont& font) override {
    texts_.push_back({std::string(text), font});
    return {texts_.size() - 1, Natural(text, font.size)};
  }

  std::vector<double> Wrap(size_t handle, double width, bool whole) override {
    const Text& text = texts_[handle];
    const double size = text.font.size;
    int lines = 0;
    if (whole || Natural(text.text, size) <= width - 0.01) {
      lines = static_cast<int>(Paragraphs(text.text).size());
    } else {
      for (std::string_view paragraph : Paragraphs(text.text)) {
        double used = 0;
        ++lines;
        for (double em : CharacterEms(paragraph)) {
          if (used > 0 && used + em * size > width + 1e-9) {
            ++lines;
            used = 0;
          }
          used += em * size;
        }
      }
    }
    std::vector<double> tops;
    for (int i = 0; i <= lines; ++i) tops.push_back(i * LineHeight(size));
    return tops;
  }

  double LineHeight(double size) override { return kLineEms * size; }

  static double Natural(std::string_view text, double size) {
    double widest = 0;
    for (std::string_view paragraph : Paragraphs(text)) {
      double ems = 0;
      for (double em : CharacterEms(paragraph)) ems += em;
      widest = std::max(widest, ems * size);
    }
    return widest;
  }

  const Text& text(size_t handle) const { return texts_[handle]; }

 private:
  std::vector<Text> texts_;
};

const TableCell* Find(const std::vector<TableCell>& cells, const std::string& text) {
  for (const TableCell& cell : cells) {
    if (cell.cell->text == text) return &cell;
  }
  return nullptr;
}

// An amount cell of `hundredths` 万元 ("415.51" for 41551).
Cell Wan(int64_t hundredths) { return WanYuanCell(hundredths * 10'000); }

// 科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出, one row per name, the
// amounts in hundredths of 万元.
Table ExpenditureTable(const std::vector<std::string>& names, const std::vector<std::vector<int64_t>>& amounts) {
  Table table;
  table.title = "表5 一般公共预算支出表";
  table.anchor = "table-5";
  table.header.push_back(
      {TextCell("科目编码"), TextCell("科目名称"), TextCell("合计"), TextCell("基本支出"), TextCell("项目支出")});
  for (size_t r = 0; r < names.size(); ++r) {
    Row row = {TextCell(std::to_string(2060101 + r)), TextCell(names[r])};
    for (int64_t amount : amounts[r]) row.push_back(Wan(amount));
    table.body.push_back(std::move(row));
  }
  return table;
}

TEST(LayOutTable, EveryAmountColumnIsAtLeastAsWideAsItsWidestAmount) {
  // Short and long amounts in the same columns: the column takes the long one.
  const Table table = ExpenditureTable({"行政运行", "一般行政管理事务", "科普活动"},
                                       {{41'551, 41'551, 0}, {1'234'567'890, 1'234'567'890, 0}, {5'00, 0, 5'00}});
  ArithmeticTypesetter typesetter;
  const std::optional<TableGrid> grid = LayOutTable(table, 56, kWidth, typesetter, false);
  ASSERT_TRUE(grid.has_value());
  EXPECT_EQ(grid->size, kTableSize);
  EXPECT_THAT(grid->col_x.back() - grid->col_x.front(), DoubleNear(kWidth, 1e-6));
  std::map<size_t, double> widest;
  for (const TableCell& cell : grid->body) {
    if (!cell.whole) continue;
    widest[cell.col] = std::max(widest[cell.col], cell.natural);
    EXPECT_EQ(cell.lines(), 1) << cell.cell->text;
  }
  ASSERT_EQ(widest.size(), 4u);  // the code column and three amount columns
  for (const auto& [col, natural] : widest) {
    EXPECT_GE(grid->col_x[col + 1] - grid->col_x[col], natural + 2 * kCellPadX - 1e-9) << col;
  }
  // "12345678.90" at 9 pt: 11 characters of half an em.
  const TableCell* large = Find(grid->body, "12345678.90");
  ASSERT_NE(large, nullptr);
  EXPECT_THAT(large->natural, DoubleNear(11 * 4.5, 1e-9));
}

TEST(LayOutTable, ALongNameWrapsWithinItsCellAndItsRowGrows) {
  const std::string long_name =
      "其他一般公共服务支出项目中用于基层科普阵地建设与科普人才培养的专项经费安排"
      "以及配套设施运行维护所需的各项支出合计";
  const Table table =
      ExpenditureTable({"行政运行", long_name, "科普活动"}, {{1'00, 1'00, 0}, {2'00, 0, 2'00}, {3'00, 0, 3'00}});
  ArithmeticTypesetter typesetter;
  const std::optional<TableGrid> grid = LayOutTable(table, 56, kWidth, typesetter, false);
  ASSERT_TRUE(grid.has_value());
  const TableCell* name = Find(grid->body, long_name);
  ASSERT_NE(name, nullptr);
  const double column = grid->right(*name) - grid->left(*name) - 2 * kCellPadX;
  // Wider than its column on one line, so it wraps: every line within the
  // column, as many lines as its characters need.
  ASSERT_GT(name->natural, column);
  const int per_line = static_cast<int>(std::floor(column / kTableSize + 1e-9));
  const int characters = static_cast<int>(CharacterEms(long_name).size());
  EXPECT_EQ(name->lines(), (characters + per_line - 1) / per_line);
  EXPECT_GT(name->lines(), 1);
  // Its row is as tall as its lines; the rows around it keep one line.
  const double line = kLineEms * kTableSize;
  const double one_row = line + 2 * kCellPadY;
  EXPECT_THAT(grid->body_tops[1] - grid->body_tops[0], DoubleNear(one_row, 1e-9));
  EXPECT_THAT(grid->body_tops[2] - grid->body_tops[1], DoubleNear(name->lines() * line + 2 * kCellPadY, 1e-9));
  EXPECT_THAT(grid->body_tops[3] - grid->body_tops[2], DoubleNear(one_row, 1e-9));
  // The amounts beside it do not wrap, and sit centred in the taller row.
  for (const TableCell& cell : grid->body) {
    if (cell.row == 1 && cell.whole) {
      EXPECT_EQ(cell.lines(), 1) << cell.cell->text;
    }
  }
  const TableDrawing drawing = DrawTable(*grid, PaginateTable(*grid, 100, PageFrame{56, 780}));
  const double row_top = 100 + grid->header_height() + grid->body_tops[1];
  int amounts = 0;
  for (const TableCell& cell : grid->body) {
    if (cell.row != 1 || !cell.numeric) continue;
    for (const CellLines& lines : drawing.lines) {
      if (lines.text != cell.text) continue;
      ++amounts;
      EXPECT_THAT(lines.y, DoubleNear(row_top + kCellPadY + (name->lines() - 1) * line / 2, 1e-9));
    }
  }
  EXPECT_EQ(amounts, 3);
}

// Ten amount columns of five-digit 万元 figures: too wide at 9 pt with
// their amounts whole, so the table is set at the largest smaller size that
// keeps them whole — not squeezed at 9 pt until "67924.70" breaks.
TEST(LayOutTable, ATableWhoseAmountsDoNotFitIsSetSmaller) {
  Table table;
  Row header = {TextCell("科目编码"), TextCell("科目名称")};
  for (int c = 0; c < 10; ++c) header.push_back(TextCell("一般公共预算拨款收入"));
  table.header.push_back(header);
  Row row = {TextCell("2012901"), TextCell("群众团体事务")};
  for (int c = 0; c < 10; ++c) row.push_back(Wan(6'792'470 + c));
  table.body.push_back(row);
  ArithmeticTypesetter typesetter;
  const std::optional<TableGrid> grid = LayOutTable(table, 56, kWidth, typesetter, false);
  ASSERT_TRUE(grid.has_value());
  // "67924.70" is eight half-ems, and every column keeps four characters
  // of its header (科目编码, 一般公共预算拨款收入 wrapped): twelve columns of
  // four ems. 48 s + 84 <= 483 first holds at 8.25 pt.
  auto need = [](double size) { return 12 * (4 * size + 2 * kCellPadX); };
  EXPECT_EQ(grid->size, 8.25);
  EXPECT_LE(need(grid->size), kWidth + 1e-9);
  EXPECT_GT(need(grid->size + kTableSizeStep), kWidth);
  EXPECT_THAT(grid->col_x.back() - grid->col_x.front(), DoubleNear(kWidth, 1e-6));
  for (const TableCell& cell : grid->body) {
    if (!cell.whole) continue;
    EXPECT_EQ(cell.lines(), 1);
    EXPECT_GE(grid->right(cell) - grid->left(cell), cell.natural + 2 * kCellPadX - 1e-9);
    EXPECT_EQ(typesetter.text(cell.text).font.size, grid->size);
  }
}

TEST(LayOutTable, TooWideForAnySizeIsSplitIntoColumnGroupsThatRepeatTheKeys) {
  Table table;
  table.title = "表7 收入表";
  table.anchor = "table-7";
  table.note = "注：本表单位为万元。";
  Row header = {TextCell("科目编码"), TextCell("科目名称")};
  for (int c = 1; c <= 14; ++c) header.push_back(TextCell("来源" + std::to_string(c)));
  table.header.push_back(header);
  for (int r = 0; r < 3; ++r) {
    Row row = {TextCell(std::to_string(2012901 + r)), TextCell("支出事项")};
    for (int c = 1; c <= 14; ++c) row.push_back(Wan(123'456'789 + c));  // 1234567.90 …
    table.body.push_back(row);
  }
  ArithmeticTypesetter typesetter;
  EXPECT_FALSE(LayOutTable(table, 56, kWidth, typesetter, false).has_value());

  const std::vector<Table> parts = SplitTable(table, kWidth, typesetter);
  ASSERT_GE(parts.size(), 2u);
  std::vector<std::string> sources;
  for (size_t p = 0; p < parts.size(); ++p) {
    const Table& part = parts[p];
    EXPECT_EQ(part.title, p == 0 ? "表7 收入表" : "表7 收入表（续）");
    EXPECT_EQ(part.anchor, p == 0 ? "table-7" : "");  // one TOC entry
    EXPECT_EQ(part.note, p + 1 == parts.size() ? table.note : "");
    ASSERT_GE(part.header[0].size(), 3u);
    EXPECT_EQ(part.header[0][0].text, "科目编码");
    EXPECT_EQ(part.header[0][1].text, "科目名称");
    for (size_t c = 2; c < part.header[0].size(); ++c) sources.push_back(part.header[0][c].text);
    // Each group fits at the smallest size with every amount whole.
    const std::optional<TableGrid> grid = LayOutTable(part, 56, kWidth, typesetter, true);
    ASSERT_TRUE(grid.has_value());
    EXPECT_LE(grid->col_x.back() - grid->col_x.front(), kWidth + 1e-6);
    for (const TableCell& cell : grid->body) {
      if (cell.whole) {
        EXPECT_EQ(cell.lines(), 1) << cell.cell->text;
      }
    }
  }
  std::vector<std::string> all;
  for (int c = 1; c <= 14; ++c) all.push_back("来源" + std::to_string(c));
  EXPECT_EQ(sources, all);  // every column once, in order
}

TEST(PaginateTable, RowsThatDoNotFitStartANewPageUnderTheRepeatedHeader) {
  std::vector<std::string> names;
  std::vector<std::vector<int64_t>> amounts;
  for (int r = 0; r < 40; ++r) {
    names.push_back("支出事项");
    amounts.push_back({int64_t{r} * 100, 0, int64_t{r} * 100});
  }
  const Table table = ExpenditureTable(names, amounts);
  ArithmeticTypesetter typesetter;
  const std::optional<TableGrid> grid = LayOutTable(table, 56, kWidth, typesetter, false);
  ASSERT_TRUE(grid.has_value());
  const double row = kLineEms * kTableSize + 2 * kCellPadY;  // 17.6 pt
  // Ten rows' room on the first page under the header, twenty on the next.
  const PageFrame frame{50, 50 + grid->header_height() + 20 * row + 1};
  const double start = frame.bottom - grid->header_height() - 10 * row - 1;
  const std::vector<BodySegment> segments = PaginateTable(*grid, start, frame);
  ASSERT_EQ(segments.size(), 3u);
  EXPECT_THAT(segments[0].vb, DoubleNear(grid->body_tops[10], 1e-9));
  EXPECT_THAT(segments[1].vb, DoubleNear(grid->body_tops[30], 1e-9));
  EXPECT_THAT(segments[2].vb, DoubleNear(grid->body_height(), 1e-9));

  const TableDrawing drawing = DrawTable(*grid, segments);
  // The header on every page: at the start on the first, at the top of the
  // text block on the others, the body right under it.
  for (size_t s = 0; s < segments.size(); ++s) {
    EXPECT_EQ(segments[s].page, s);
    const double header_y = s == 0 ? start : frame.top;
    EXPECT_THAT(segments[s].header_y, DoubleNear(header_y, 1e-9));
    EXPECT_THAT(segments[s].body_y, DoubleNear(header_y + grid->header_height(), 1e-9));
    size_t headers = 0;
    for (const CellFrame& cell : drawing.frames) {
      if (cell.page == s && cell.shade == kHeaderShade) {
        ++headers;
        EXPECT_THAT(cell.y, DoubleNear(header_y, 1e-9));
      }
    }
    EXPECT_EQ(headers, 5u) << "page " << s;
  }
  // Every body cell whole on exactly one page: rows are not cut.
  std::map<const Cell*, int> frames;
  for (const TableCell& cell : grid->body) {
    for (const CellFrame& drawn : drawing.frames) {
      if (drawn.x == grid->left(cell) && drawn.shade == 1.0 &&
          std::abs(drawn.h - (grid->body_tops[cell.row + 1] - grid->body_tops[cell.row])) < 1e-9) {
        const size_t page = cell.row < 10 ? 0 : (cell.row < 30 ? 1 : 2);
        const double y = segments[page].body_y + grid->body_tops[cell.row] - segments[page].va;
        if (drawn.page == page && std::abs(drawn.y - y) < 1e-9) ++frames[cell.cell];
      }
    }
  }
  EXPECT_EQ(frames.size(), grid->body.size());
  for (const auto& [cell, count] : frames) EXPECT_EQ(count, 1) << cell->text;
}

TEST(PaginateTable, RowsSharingARowSpanMoveToTheNextPageTogether) {
  Table table;
  table.header.push_back({TextCell("项目"), TextCell("指标"), TextCell("指标值")});
  for (int group = 0; group < 4; ++group) {
    const std::string name = "项目" + std::to_string(group);
    table.body.push_back({TextCell(name, 1, 3), TextCell("数量指标"), TextCell("≥6")});
    table.body.push_back({TextCell("质量指标"), TextCell("100%")});
    table.body.push_back({TextCell("时效指标"), TextCell("年底前")});
  }
  ArithmeticTypesetter typesetter;
  const std::optional<TableGrid> grid = LayOutTable(table, 56, kWidth, typesetter, false);
  ASSERT_TRUE(grid.has_value());
  EXPECT_THAT(grid->breakable,
              ElementsAre(true, false, false, true, false, false, true, false, false, true, false, false, true));
  // Room for four rows on the first page: the second group (rows 3–5)
  // does not fit whole, so the page ends after the first.
  const double row = grid->body_tops[1];
  const PageFrame frame{0, grid->header_height() + 7 * row + 1};
  const std::vector<BodySegment> segments =
      PaginateTable(*grid, frame.bottom - grid->header_height() - 4 * row - 1, frame);
  ASSERT_GE(segments.size(), 2u);
  EXPECT_THAT(segments[0].vb, DoubleNear(grid->body_tops[3], 1e-9));
  EXPECT_THAT(segments[1].vb, DoubleNear(grid->body_tops[9], 1e-9));
  // The table must start where its first group fits.
  EXPECT_THAT(OpeningRows(*grid, TableStyle::kGrid, 1000), DoubleNear(grid->body_tops[3], 1e-9));
}

TEST(OpeningRows, AFormThatFitsAPageIsKeptWholeAndATallGroupOnlyStarts) {
  Table form;
  form.style = TableStyle::kForm;
  for (int r = 0; r < 6; ++r) {
    form.body.push_back({LabelCell("项目名称"), TextCell("科普经费")});
  }
  ArithmeticTypesetter typesetter;
  const std::optional<TableGrid> grid = LayOutTable(form, 56, kWidth, typesetter, false);
  ASSERT_TRUE(grid.has_value());
  EXPECT_THAT(OpeningRows(*grid, TableStyle::kForm, 700), DoubleNear(grid->body_height(), 1e-9));
  // The same rows as a grid need only their first row.
  EXPECT_THAT(OpeningRows(*grid, TableStyle::kGrid, 700), DoubleNear(grid->body_tops[1], 1e-9));
  // A form taller than a page starts with its first row.
  EXPECT_THAT(OpeningRows(*grid, TableStyle::kForm, grid->body_height() - 1), DoubleNear(grid->body_tops[1], 1e-9));
}

TEST(LayOutTable, FormsShadeLabelsTopAlignLongValuesAndWrapDigits) {
  Table form;
  form.style = TableStyle::kForm;
  const std::string purpose(120, 'x');
  std::string digits;
  for (int i = 0; i < 10; ++i) digits += "1234567890";
  form.body.push_back({LabelCell("主管部门编码"), TextCell(digits)});
  form.body.push_back({LabelCell("项目概述"), TextCell(purpose)});
  form.body.push_back({LabelCell("联系人"), TextCell("张三")});
  ArithmeticTypesetter typesetter;
  const std::optional<TableGrid> grid = LayOutTable(form, 56, 300, typesetter, false);
  ASSERT_TRUE(grid.has_value());
  const TableCell* label = Find(grid->body, "项目概述");
  ASSERT_NE(label, nullptr);
  EXPECT_EQ(label->shade, kLabelShade);
  EXPECT_TRUE(typesetter.text(label->text).font.bold);
  const TableCell* value = Find(grid->body, purpose);
  ASSERT_NE(value, nullptr);
  EXPECT_GT(value->lines(), 1);
  EXPECT_FALSE(value->middle);
  EXPECT_TRUE(Find(grid->body, "张三")->middle);
  // A form's digits are text (a code only in grid tables): they wrap.
  const TableCell* code = Find(grid->body, digits);
  ASSERT_NE(code, nullptr);
  EXPECT_FALSE(code->whole);
  EXPECT_GT(code->lines(), 1);
}

TEST(LayOutTable, HeaderCellsAreCentredBoldAndShadedBodyKeepsItsAlignment) {
  const Table table = ExpenditureTable({"行政运行"}, {{1'00, 1'00, 0}});
  ArithmeticTypesetter typesetter;
  const std::optional<TableGrid> grid = LayOutTable(table, 56, kWidth, typesetter, false);
  ASSERT_TRUE(grid.has_value());
  for (const TableCell& cell : grid->header) {
    EXPECT_EQ(cell.shade, kHeaderShade);
    EXPECT_TRUE(typesetter.text(cell.text).font.bold);
    EXPECT_EQ(typesetter.text(cell.text).font.align, Align::kCenter);
  }
  const TableCell* amount = Find(grid->body, "1.00");
  ASSERT_NE(amount, nullptr);
  EXPECT_TRUE(amount->numeric);
  EXPECT_EQ(typesetter.text(amount->text).font.align, Align::kRight);
  EXPECT_EQ(KeyColumns(*grid), 2u);  // code and name
}

TEST(SubTable, CellsKeepTheirRowSpansAndSpanOnlyTheChosenColumns) {
  Table table;
  table.header.push_back(
      {TextCell("科目编码", 1, 2), TextCell("科目名称", 1, 2), TextCell("基本支出", 2), TextCell("项目支出", 1, 2)});
  table.header.push_back({TextCell("人员经费"), TextCell("公用经费")});
  table.body.push_back({TextCell("2010101"), TextCell("行政运行"), Wan(1'00), Wan(2'00), Wan(3'00)});
  const Table part = SubTable(table, {0, 1, 3, 4});
  ASSERT_EQ(part.header.size(), 2u);
  ASSERT_EQ(part.header[0].size(), 4u);
  EXPECT_EQ(part.header[0][0].row_span, 2);
  EXPECT_EQ(part.header[0][2].text, "基本支出");
  EXPECT_EQ(part.header[0][2].col_span, 1);  // only 公用经费 is under it now
  EXPECT_EQ(part.header[0][3].text, "项目支出");
  ASSERT_EQ(part.header[1].size(), 1u);
  EXPECT_EQ(part.header[1][0].text, "公用经费");
  ASSERT_EQ(part.body[0].size(), 4u);
  EXPECT_EQ(part.body[0][2].text, "2.00");
  EXPECT_EQ(part.body[0][3].text, "3.00");
  EXPECT_EQ(ColumnCount(part), 4u);
}

TEST(TableSizes, NinePointsDownToSevenInQuarterPoints) {
  const std::vector<double>& sizes = TableSizes();
  ASSERT_EQ(sizes.size(), 9u);
  EXPECT_EQ(sizes.front(), 9.0);
  EXPECT_EQ(sizes.back(), 7.0);
  for (size_t i = 1; i < sizes.size(); ++i) EXPECT_EQ(sizes[i - 1] - sizes[i], 0.25);
}

}  // namespace
}  // namespace yusuan::report::pdf_layout
