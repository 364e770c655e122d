// The PDF's geometry with numbers alone (pdf_layout.h): column widths, the
// font size a wide table needs, column groups, row heights and page breaks.
#include "services/report/domain/pdf_layout.h"

#include <numeric>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace yusuan::report::pdf_layout {
namespace {

using ::testing::DoubleNear;
using ::testing::ElementsAre;

constexpr ColumnRules kRules{7, 2, 4};
// Widths of amounts at 9 pt in the PDF's sans face, about 4.97 pt a digit
// and 2.4 pt the point: "67924.70" is 37.2 pt, "0.00" 17.3 pt.
constexpr double kFiveDigits = 37.2;
constexpr double kFourDigits = 32.2;
constexpr double kZero = 17.3;

double Sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

// 表7 of a department with income from every source: code, name and twelve
// amount columns, five-digit 万元 figures in most.
std::vector<CellExtent> WideIncomeTable() {
  std::vector<CellExtent> cells;
  cells.push_back({0, 1, 34.8, 0, true});     // 2012901: a code never wraps
  cells.push_back({1, 1, 54.0, 0, false});    // 群众团体事务 (six characters)
  cells.push_back({1, 1, 36.0, 9.0, false});  // 行政运行, indented
  for (size_t c = 2; c < 14; ++c) {
    cells.push_back({c, 1, 18.0, 0, false});  // header text, wraps
    cells.push_back({c, 1, c == 6 ? kZero : (c % 2 == 0 ? kFiveDigits : kFourDigits), 0, true});
  }
  return cells;
}

TEST(ColumnWidths, FillTheWidthWhenEverythingFitsOnOneLine) {
  const std::vector<CellExtent> cells = {{0, 1, 40, 0, false}, {1, 1, 20, 0, true}};
  const auto widths = ColumnWidths(cells, 2, 483, kRules, 9, 9);
  ASSERT_TRUE(widths.has_value());
  EXPECT_THAT(Sum(*widths), DoubleNear(483, 1e-6));
  // In proportion to what each wants: 47 : 27.
  EXPECT_THAT((*widths)[0] / (*widths)[1], DoubleNear(47.0 / 27.0, 1e-9));
}

TEST(ColumnWidths, TextWrapsBeforeAnAmountDoes) {
  // A long name and two amounts in 160 pt: the name gives way, the amounts
  // keep their full width.
  const std::vector<CellExtent> cells = {
      {0, 1, 200, 0, false}, {1, 1, kFiveDigits, 0, true}, {2, 1, kFiveDigits, 0, true}};
  const auto widths = ColumnWidths(cells, 3, 160, kRules, 9, 9);
  ASSERT_TRUE(widths.has_value());
  EXPECT_THAT(Sum(*widths), DoubleNear(160, 1e-6));
  EXPECT_GE((*widths)[1], kFiveDigits + 7 - 1e-9);
  EXPECT_GE((*widths)[2], kFiveDigits + 7 - 1e-9);
}

// The defect of issue 11: when the minimums did not fit, every column was
// scaled down, amounts included, and "1326.90" wrapped. Now no width is
// offered at all when the amounts alone do not fit.
TEST(ColumnWidths, RefusesWidthsThatWouldWrapAnAmount) {
  const std::vector<CellExtent> cells = WideIncomeTable();
  ASSERT_GT(Sum(HardColumnWidths(cells, 14, kRules, 9, 9)), 483);
  EXPECT_FALSE(ColumnWidths(cells, 14, 483, kRules, 9, 9).has_value());
}

// The reference's 表7: small amounts under long headers. The four-character
// minimums do not fit, so text wraps tighter — but only text: every amount
// and code column keeps its full width, and the rest is shared as before.
TEST(ColumnWidths, TextSqueezesBelowFourCharactersBeforeAnAmountWraps) {
  std::vector<CellExtent> cells = {{0, 1, 34.8, 0, true}, {1, 1, 72, 0, false}};
  for (size_t c = 2; c < 14; ++c) {
    cells.push_back({c, 1, 90, 0, false});                   // 一般公共预算拨款收入
    cells.push_back({c, 1, c == 3 ? 27.2 : 17.3, 0, true});  // 415.51 or 0.00
  }
  ASSERT_GT(Sum(MinimumColumnWidths(cells, 14, kRules, 9, 9)), 483);
  const auto widths = ColumnWidths(cells, 14, 483, kRules, 9, 9);
  ASSERT_TRUE(widths.has_value());
  EXPECT_THAT(Sum(*widths), DoubleNear(483, 1e-6));
  const std::vector<double> hard = HardColumnWidths(cells, 14, kRules, 9, 9);
  for (size_t c = 0; c < 14; ++c) EXPECT_GE((*widths)[c], hard[c] - 1e-9) << c;
  EXPECT_THAT((*widths)[0], DoubleNear(34.8 + 7, 1e-9));  // the code, whole
  // Where no amount is in the way, the minimums shrink by one factor (the
  // layout of tables that never wrapped an amount is unchanged).
  const std::vector<CellExtent> text_only = {{0, 1, 200, 0, false}, {1, 1, 200, 0, false}};
  const auto shared = ColumnWidths(text_only, 2, 60, kRules, 9, 9);
  ASSERT_TRUE(shared.has_value());
  EXPECT_THAT(*shared, ElementsAre(DoubleNear(30, 1e-9), DoubleNear(30, 1e-9)));
}

TEST(ColumnWidths, SpanningCellsWidenTheColumnsUnderThem) {
  const std::vector<CellExtent> cells = {{0, 2, 100, 0, false}, {0, 1, 10, 0, false}, {1, 1, 10, 0, false}};
  const auto widths = ColumnWidths(cells, 2, 483, kRules, 9, 9);
  ASSERT_TRUE(widths.has_value());
  EXPECT_THAT((*widths)[0], DoubleNear((*widths)[1], 1e-9));
}

TEST(MinimumColumnWidths, AmountsWholeTextFourCharactersFloorTwo) {
  const std::vector<CellExtent> cells = {
      {0, 1, kFiveDigits, 0, true}, {1, 1, 90, 0, false}, {2, 1, 5, 0, false}, {3, 1, 60, 9, false}};
  EXPECT_THAT(MinimumColumnWidths(cells, 4, kRules, 9, 9),
              ElementsAre(DoubleNear(kFiveDigits + 7, 1e-9), DoubleNear(36 + 7, 1e-9), DoubleNear(18 + 7, 1e-9),
                          DoubleNear(36 + 9 + 7, 1e-9)));
  // Text widths, insets and the character floor scale with the size; the
  // padding does not.
  EXPECT_THAT(MinimumColumnWidths(cells, 4, kRules, 4.5, 9),
              ElementsAre(DoubleNear(kFiveDigits / 2 + 7, 1e-9), DoubleNear(18 + 7, 1e-9), DoubleNear(9 + 7, 1e-9),
                          DoubleNear(18 + 4.5 + 7, 1e-9)));
}

TEST(FittingFontSize, TheLargestSizeThatKeepsEveryAmountWhole) {
  const std::vector<CellExtent> cells = WideIncomeTable();
  std::vector<double> sizes;
  for (double size = 9; size >= 7 - 1e-9; size -= 0.25) sizes.push_back(size);
  const std::optional<double> size = FittingFontSize(cells, 14, 483, kRules, 9, sizes);
  ASSERT_TRUE(size.has_value());
  EXPECT_LT(*size, 9);
  EXPECT_LE(Sum(MinimumColumnWidths(cells, 14, kRules, *size, 9)), 483 + 1e-9);
  EXPECT_GT(Sum(MinimumColumnWidths(cells, 14, kRules, *size + 0.25, 9)), 483);
  const auto widths = ColumnWidths(cells, 14, 483, kRules, *size, 9);
  ASSERT_TRUE(widths.has_value());
  // Each amount column is at least as wide as its amount at that size.
  for (const CellExtent& cell : cells) {
    if (!cell.whole) continue;
    EXPECT_GE((*widths)[cell.col], cell.natural * *size / 9 + 7 - 1e-9) << cell.col;
  }
}

TEST(FittingFontSize, NoneWhenEvenTheSmallestIsTooWide) {
  std::vector<CellExtent> cells;
  for (size_t c = 0; c < 20; ++c) cells.push_back({c, 1, 60, 0, true});
  EXPECT_FALSE(FittingFontSize(cells, 20, 483, kRules, 9, {9, 8, 7}).has_value());
}

TEST(ColumnGroups, KeysOpenEveryGroupAndEachGroupFits) {
  std::vector<CellExtent> cells = {{0, 1, 30, 0, false}, {1, 1, 30, 0, false}};
  for (size_t c = 2; c < 16; ++c) cells.push_back({c, 1, 50, 0, true});
  const auto groups = ColumnGroups(cells, 16, 2, 483, kRules, 7, 7);
  ASSERT_GE(groups.size(), 2u);
  const std::vector<double> minimum = MinimumColumnWidths(cells, 16, kRules, 7, 7);
  std::vector<size_t> seen;
  for (const auto& group : groups) {
    ASSERT_GE(group.size(), 3u);
    EXPECT_EQ(group[0], 0u);
    EXPECT_EQ(group[1], 1u);
    double width = 0;
    for (size_t c : group) width += minimum[c];
    EXPECT_LE(width, 483 + 1e-9);
    seen.insert(seen.end(), group.begin() + 2, group.end());
  }
  // Every other column exactly once, in order.
  std::vector<size_t> all(14);
  std::iota(all.begin(), all.end(), 2);
  EXPECT_EQ(seen, all);
}

TEST(ColumnGroups, AColumnWiderThanThePageStillGetsAGroup) {
  const std::vector<CellExtent> cells = {{0, 1, 30, 0, false}, {1, 1, 600, 0, true}, {2, 1, 20, 0, true}};
  const auto groups = ColumnGroups(cells, 3, 1, 483, kRules, 7, 7);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_THAT(groups[0], ElementsAre(0u, 1u));
  EXPECT_THAT(groups[1], ElementsAre(0u, 2u));
}

TEST(RowTops, TallestCellAndSpansSpreadEvenly) {
  const std::vector<CellHeight> cells = {{0, 1, 20}, {1, 1, 10}, {0, 3, 60}, {2, 1, 5}};
  // Rows 20, 12 (minimum), 12, then the 3-row span needs 60: +16/3 each.
  const std::vector<double> tops = RowTops(cells, 3, 12);
  ASSERT_EQ(tops.size(), 4u);
  EXPECT_THAT(tops[3], DoubleNear(60, 1e-9));
  EXPECT_THAT(tops[1], DoubleNear(20 + 16.0 / 3, 1e-9));
}

TEST(PaginateBody, RowsFillPagesAndSpansStayTogether) {
  // Ten rows of 30 pt; rows 4–6 share a row span; the page holds 100 pt of
  // body under a 20 pt header.
  std::vector<double> tops(11);
  for (size_t k = 0; k <= 10; ++k) tops[k] = 30.0 * k;
  std::vector<bool> breakable(11, true);
  breakable[4] = breakable[5] = false;  // no page end inside rows 3..5
  const PageFrame frame{0, 120};
  const std::vector<BodySegment> segments = PaginateBody(tops, breakable, {}, 20, 0, frame);
  ASSERT_EQ(segments.size(), 4u);
  EXPECT_EQ(segments[0].page, 0u);
  EXPECT_THAT(segments[0].vb, DoubleNear(90, 1e-9));   // rows 0–2
  EXPECT_THAT(segments[1].vb, DoubleNear(180, 1e-9));  // rows 3–5 together
  EXPECT_EQ(segments[1].page, 1u);
  EXPECT_THAT(segments[1].header_y, DoubleNear(0, 1e-9));
  EXPECT_THAT(segments[1].body_y, DoubleNear(20, 1e-9));
  EXPECT_THAT(segments.back().vb, DoubleNear(300, 1e-9));
}

TEST(PaginateBody, ARowTallerThanAPageBreaksBetweenLines) {
  const std::vector<double> tops = {0, 250};
  const std::vector<CellBreaks> cells = {{0, 1, {40, 80, 120, 160, 200}}};
  const std::vector<BodySegment> segments = PaginateBody(tops, {true, true}, cells, 10, 0, PageFrame{0, 110});
  ASSERT_GE(segments.size(), 3u);
  EXPECT_THAT(segments[0].vb, DoubleNear(80, 1e-9));
  EXPECT_THAT(segments[1].vb, DoubleNear(160, 1e-9));
}

TEST(PlaceCellLines, CentredOnOnePageTopAlignedAndContinuedWhenCut) {
  // Three lines of 10 pt in a 60 pt cell, 2 pt padding.
  const std::vector<double> tops = {0, 10, 20, 30};
  const std::vector<BodySegment> one = {{0, 0, 20, 0, 100}};
  std::vector<CellRun> runs = PlaceCellLines(tops, 40, 100, 2, true, one);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_THAT(runs[0].y, DoubleNear(20 + 40 + 2 + 13, 1e-9));  // centred: (60 - 4 - 30) / 2
  // The page ends at body offset 60, inside the cell: top-aligned, and the
  // line that would cross the end starts the next page under its padding.
  const std::vector<BodySegment> two = {{0, 0, 20, 0, 60}, {1, 0, 20, 60, 100}};
  runs = PlaceCellLines(tops, 40, 100, 2, true, two);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].segment, 0u);
  EXPECT_EQ(runs[0].first, 0);
  EXPECT_EQ(runs[0].last, 1);
  EXPECT_THAT(runs[0].y, DoubleNear(20 + 42, 1e-9));
  EXPECT_EQ(runs[1].segment, 1u);
  EXPECT_EQ(runs[1].first, 1);
  EXPECT_EQ(runs[1].last, 3);
  EXPECT_THAT(runs[1].y, DoubleNear(20 + 2, 1e-9));
}

TEST(PlaceLines, NoLoneFirstOrLastLine) {
  // Five lines of 10 pt.
  const std::vector<double> tops = {0, 10, 20, 30, 40, 50};
  // Room for one line at the foot: the first line moves to the next page.
  std::vector<LineRun> runs = PlaceLines(tops, 85, PageFrame{0, 100});
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].page, 1u);
  EXPECT_EQ(runs[0].first, 0);
  EXPECT_EQ(runs[0].last, 5);
  // Room for four: three stay, two go on.
  runs = PlaceLines(tops, 60, PageFrame{0, 100});
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].last, 3);
  EXPECT_EQ(runs[1].page, 1u);
  EXPECT_EQ(runs[1].first, 3);
  EXPECT_THAT(runs[1].y, DoubleNear(0, 1e-9));
}

}  // namespace
}  // namespace yusuan::report::pdf_layout
