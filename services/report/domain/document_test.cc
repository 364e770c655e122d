// The document model, the two renderers and the 表1–表8 table blocks.
#include "services/report/domain/document.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/report/domain/disclosure.h"
#include "services/report/domain/html_renderer.h"
#include "services/report/domain/markdown_renderer.h"
#include "services/report/domain/testdata_departments.h"

namespace yusuan::report {
namespace {

using testdata::ReferenceReportInput;
using ::testing::HasSubstr;
using ::testing::Not;

const ledger::v1::BudgetTable& TableNumber(const v1::ReportInput& input, int n) {
  for (const auto& t : input.tables().tables()) {
    if (t.number() == n) return t;
  }
  static const ledger::v1::BudgetTable kNone;
  return kNone;
}

// A header with a group cell over two columns: 科目 | 基本支出(人员, 公用).
Table GroupedTable() {
  Table t;
  t.header.push_back({TextCell("科目", 1, 2), TextCell("基本支出", 2)});
  t.header.push_back({TextCell("人员经费"), TextCell("公用经费")});
  t.body.push_back({TextCell("合计"), NumberCell("1.00", true), NumberCell("0.00")});
  return t;
}

TEST(ResolveGrid, RowSpansPushLaterCellsRight) {
  const Table t = GroupedTable();
  const auto grid = ResolveGrid(t.header);
  ASSERT_EQ(grid.size(), 2u);
  ASSERT_EQ(grid[0].size(), 3u);
  EXPECT_EQ(grid[0][0].cell->text, "科目");
  EXPECT_TRUE(grid[0][0].origin);
  EXPECT_EQ(grid[1][0].cell->text, "科目");  // covered by the row span
  EXPECT_FALSE(grid[1][0].origin);
  EXPECT_EQ(grid[0][2].cell->text, "基本支出");
  EXPECT_FALSE(grid[0][2].origin);
  EXPECT_EQ(grid[1][1].cell->text, "人员经费");
  EXPECT_EQ(grid[1][2].cell->text, "公用经费");
  EXPECT_EQ(ColumnCount(t), 3u);
}

TEST(ResolveGrid, ShortRowsArePadded) {
  std::vector<Row> rows = {{TextCell("a"), TextCell("b")}, {TextCell("c")}};
  const auto grid = ResolveGrid(rows);
  ASSERT_EQ(grid[1].size(), 2u);
  EXPECT_EQ(grid[1][1].cell, nullptr);
}

TEST(EscapeHtml, AllFiveCharacters) {
  EXPECT_EQ(EscapeHtml("<script>alert('x' & \"y\")</script>"),
            "&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;");
  EXPECT_EQ(EscapeHtml("科普经费（青山区）"), "科普经费（青山区）");
}

TEST(EscapeMarkdown, PunctuationAndHtml) {
  EXPECT_EQ(EscapeMarkdown("a|b*c_d<e>&[f]"), "a\\|b\\*c\\_d&lt;e&gt;&amp;\\[f\\]");
  EXPECT_EQ(EscapeMarkdownCell("第一行\n第二行|x"), "第一行<br>第二行\\|x");
}

TEST(RenderHtml, TableSpansClassesAndHead) {
  Document doc;
  doc.title = "标题<1>";
  doc.AddHeading(1, "封面", "top");
  Table t = GroupedTable();
  t.title = "表1 测试";
  t.meta_left = "编制单位：甲";
  t.meta_right = "单位：万元";
  t.note = "注意";
  doc.AddTable(t);
  const std::string html = RenderHtml(doc);
  EXPECT_THAT(html, ::testing::StartsWith("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
  EXPECT_THAT(html, HasSubstr("<meta charset=\"utf-8\">"));
  EXPECT_THAT(html, HasSubstr("<title>标题&lt;1&gt;</title>"));
  EXPECT_THAT(html, HasSubstr("<h1 id=\"top\">封面</h1>"));
  EXPECT_THAT(html, HasSubstr("<th scope=\"col\" rowspan=\"2\">科目</th>"
                              "<th scope=\"colgroup\" colspan=\"2\">基本支出</th>"));
  EXPECT_THAT(html, HasSubstr("<td class=\"num b\">1.00</td><td class=\"num\">0.00</td>"));
  EXPECT_THAT(html, HasSubstr("<figcaption>表1 测试</figcaption>"));
  EXPECT_THAT(html, HasSubstr("<span>编制单位：甲</span><span>单位：万元</span>"));
  EXPECT_THAT(html, HasSubstr("<p class=\"note\">注意</p>"));
  EXPECT_THAT(html, HasSubstr("@media print"));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
}

TEST(RenderMarkdown, FlattenedHeaderAlignmentAndBold) {
  Document doc;
  Table t = GroupedTable();
  t.body.push_back({TextCell("a|b"), NumberCell("2.00"), NumberCell("3.00")});
  doc.AddTable(t);
  const std::string md = RenderMarkdown(doc);
  EXPECT_THAT(md, HasSubstr("| 科目 | 基本支出·人员经费 | 基本支出·公用经费 |\n"
                            "| --- | ---: | ---: |\n"
                            "| 合计 | **1.00** | 0.00 |\n"
                            "| a\\|b | 2.00 | 3.00 |\n"));
}

TEST(RenderMarkdown, WideLeafHeaderIsPrintedOnce) {
  Document doc;
  Table t;
  t.header.push_back({TextCell("资金情况", 2, 2), TextCell("近两年", 2)});
  t.header.push_back({TextCell("2019 年"), TextCell("2020 年")});
  t.body.push_back({TextCell("收入"), TextCell("合计"), NumberCell("1.00"), NumberCell("2.00")});
  doc.AddTable(t);
  EXPECT_THAT(RenderMarkdown(doc), HasSubstr("| 资金情况 |  | 近两年·2019 年 | 近两年·2020 年 |\n"));
}

TEST(RenderMarkdown, FormUsesItsFirstRowAsHeaderAndPrintsMergedCellsOnce) {
  Document doc;
  Table form;
  form.style = TableStyle::kForm;
  form.body.push_back({LabelCell("项目名称"), TextCell("科普", 2)});
  form.body.push_back({LabelCell("资金", 1, 2), LabelCell("总额"), NumberCell("1.00")});
  form.body.push_back({LabelCell("其中"), NumberCell("2.00")});
  doc.AddTable(form);
  EXPECT_THAT(RenderMarkdown(doc), HasSubstr("| 项目名称 | 科普 |  |\n"
                                             "| --- | --- | ---: |\n"
                                             "| 资金 | 总额 | 1.00 |\n"
                                             "|  | 其中 | 2.00 |\n"));
}

TEST(RenderMarkdown, LineStartMarkersAreEscaped) {
  Document doc;
  doc.AddParagraph("- 不是列表");
  doc.AddHeading(2, "#标题");
  EXPECT_EQ(RenderMarkdown(doc), "\\- 不是列表\n\n## \\#标题\n\n");
}

TEST(BudgetTableBlock, CodedTableWithGroupsIndentAndZeros) {
  const auto input = ReferenceReportInput();
  auto block = BudgetTableBlock(TableNumber(input, 2), "区科协2021年", "武汉市青山区科学技术协会");
  ASSERT_TRUE(block.ok()) << block.status();
  EXPECT_EQ(block->title, "表2 区科协2021年一般公共预算支出表");
  EXPECT_EQ(block->meta_left, "编制单位：武汉市青山区科学技术协会");
  EXPECT_EQ(block->meta_right, "单位：万元");
  ASSERT_EQ(block->header.size(), 2u);
  EXPECT_EQ(block->header[0][3].text, "基本支出");
  EXPECT_EQ(block->header[0][3].col_span, 3);
  EXPECT_EQ(block->header[1][0].text, "小计");
  EXPECT_EQ(block->header[1][1].text, "人员经费");
  EXPECT_EQ(ColumnCount(*block), 7u);
  // 合计 row bold; 2060102 is a 项 row indented twice; zero cells are 0.00.
  const Row& total = block->body[0];
  EXPECT_TRUE(total[2].bold);
  EXPECT_EQ(total[2].text, "415.51");
  const Row& xiang = block->body[4];
  EXPECT_EQ(xiang[0].text, "2060102");
  EXPECT_EQ(xiang[1].indent, 2);
  EXPECT_EQ(xiang[3].text, "0.00");
  EXPECT_EQ(xiang[6].text, "258.80");
  EXPECT_EQ(xiang[6].align, Align::kRight);
  EXPECT_TRUE(block->note.empty());
}

TEST(BudgetTableBlock, BalanceTableSideBySide) {
  const auto input = ReferenceReportInput();
  auto block = BudgetTableBlock(TableNumber(input, 1), "区科协2021年", "甲");
  ASSERT_TRUE(block.ok()) << block.status();
  EXPECT_EQ(block->header[0][0].text, "收入");
  EXPECT_EQ(block->header[0][0].col_span, 2);
  EXPECT_EQ(block->header[0][1].text, "支出");
  EXPECT_EQ(block->header[0][1].col_span, 5);
  EXPECT_EQ(ColumnCount(*block), 7u);
  // Nine rows a side: 收入 by fund for the year and carried over; 支出 by 类
  // and by kind.
  ASSERT_EQ(block->body.size(), 9u);
  EXPECT_EQ(block->body[0][0].text, "一、本年收入");
  EXPECT_EQ(block->body[0][2].text, "一、本年支出");
  EXPECT_EQ(block->body[8][0].text, "收入总计");
  EXPECT_EQ(block->body[8][1].text, "415.51");
  EXPECT_TRUE(block->body[8][1].bold);
  EXPECT_EQ(block->body[8][2].text, "支出总计");
}

TEST(BudgetTableBlock, EmptyAndAllZeroTablesPrintTheirNote) {
  const auto input = ReferenceReportInput();
  // The reference's 表5 is its 合计 row, all zero.
  auto t5 = BudgetTableBlock(TableNumber(input, 5), "区科协2021年", "甲");
  ASSERT_TRUE(t5.ok());
  ASSERT_EQ(t5->body.size(), 1u);
  EXPECT_EQ(t5->body[0][2].text, "0.00");
  EXPECT_EQ(t5->note, "本部门无政府性基金预算安排的支出，此表为空表。");
  auto t4 = BudgetTableBlock(TableNumber(input, 4), "区科协2021年", "甲");
  ASSERT_TRUE(t4.ok());
  EXPECT_EQ(t4->body.size(), 2u);
  EXPECT_EQ(t4->body[0][1].text, "0.00");
  EXPECT_THAT(t4->note, HasSubstr("此表为空表"));
  // The projection always gives 表5 its 合计 row; a table without rows (表5
  // with them removed) prints its header and its note, or the default one.
  ledger::v1::BudgetTable bare = TableNumber(input, 5);
  bare.clear_rows();
  auto empty = BudgetTableBlock(bare, "区科协2021年", "甲");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->body.empty());
  EXPECT_FALSE(empty->header.empty());
  EXPECT_EQ(empty->note, "本部门无政府性基金预算安排的支出，此表为空表。");
  bare.clear_empty_note();
  EXPECT_EQ(BudgetTableBlock(bare, "", "甲")->note, "此表无数据，为空表。");
}

TEST(BudgetTableBlock, CellCountMismatchIsRejected) {
  auto input = ReferenceReportInput();
  ledger::v1::BudgetTable t = TableNumber(input, 3);
  t.mutable_rows(1)->add_cells_fen(1);
  auto block = BudgetTableBlock(t, "", "甲");
  EXPECT_EQ(block.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(block.status().message()), HasSubstr("表3"));
}

}  // namespace
}  // namespace yusuan::report
