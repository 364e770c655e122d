// The whole disclosure, end to end, on the reference department.
#include "services/report/domain/render.h"

#include <string>

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "services/common/errors.h"
#include "services/common/sha256.h"
#include "services/report/domain/csv_renderer.h"
#include "services/report/domain/testdata_departments.h"

namespace yusuan::report {
namespace {

using testdata::ReferenceReportInput;
using ::testing::HasSubstr;
using ::testing::Not;
using v1::Artifact;

std::string Render(const v1::ReportInput& input, v1::Format format) {
  absl::StatusOr<Artifact> artifact = RenderReport(input, format);
  EXPECT_TRUE(artifact.ok()) << artifact.status();
  return artifact.ok() ? artifact->content() : "";
}

// The figures every rendering of the reference must show (domain.md App. A).
void ExpectKeyFigures(const std::string& content) {
  for (const char* figure : {"415.51", "156.71", "258.80", "146.70", "120.38", "26.32", "10.01", "37.72%", "62.28%",
                             "238.00", "20.80", "8.29", "2.04%", "407.22", "201.03", "2380000.00", "208000.00",
                             "卫生健康支出(类)", "比 2020 年预算增加 8.29 万元，增长 2.04%"}) {
    EXPECT_THAT(content, HasSubstr(figure)) << figure;
  }
  for (const std::string& goal : testdata::AnnualGoalTexts()) {
    EXPECT_THAT(content, HasSubstr(goal)) << goal;
  }
  // The reference document's wrong comparison (E1).
  EXPECT_THAT(content, Not(HasSubstr("206.19")));
}

TEST(RenderReport, HtmlArtifact) {
  absl::StatusOr<Artifact> artifact = RenderReport(ReferenceReportInput(), v1::FORMAT_HTML);
  ASSERT_TRUE(artifact.ok()) << artifact.status();
  EXPECT_EQ(artifact->format(), v1::FORMAT_HTML);
  EXPECT_EQ(artifact->media_type(), "text/html; charset=utf-8");
  EXPECT_EQ(artifact->file_name(), "区科协2021年部门预算.html");
  EXPECT_EQ(artifact->sha256_hex(), Sha256Hex(artifact->content()));
  EXPECT_EQ(artifact->sha256_hex().size(), 64u);
}

TEST(RenderReport, HtmlContent) {
  const std::string html = Render(ReferenceReportInput(), v1::FORMAT_HTML);
  ExpectKeyFigures(html);
  EXPECT_THAT(html, HasSubstr("<html lang=\"zh-CN\">"));
  EXPECT_THAT(html, HasSubstr("<meta charset=\"utf-8\">"));
  EXPECT_THAT(html, HasSubstr("<title>武汉市青山区科学技术协会2021年部门预算</title>"));
  EXPECT_THAT(html, HasSubstr("<h1 id=\"top\">区科协2021年部门预算</h1>"));
  EXPECT_THAT(html, HasSubstr("第一部分 区科协概况"));
  EXPECT_THAT(html, HasSubstr("第二部分 区科协 2021 年部门预算表"));
  EXPECT_THAT(html, HasSubstr("第三部分 区科协 2021 年部门预算情况说明"));
  EXPECT_THAT(html, HasSubstr("第四部分 名词解释"));
  EXPECT_THAT(html, HasSubstr("1、认真执行党的路线"));
  EXPECT_THAT(html, HasSubstr("<figcaption>表1 区科协2021年财政拨款收支预算总表</figcaption>"));
  EXPECT_THAT(html, HasSubstr("表9 区科协2021年部门整体支出绩效目标表"));
  EXPECT_THAT(html, HasSubstr("表10 区科协2021年部门项目支出绩效目标表"));
  EXPECT_THAT(html, HasSubstr("本部门无政府性基金预算安排的支出，此表为空表。"));
  EXPECT_THAT(html, HasSubstr("2021 年 1 月 27 日"));
  // 表9 funds block: Y-2 before Y-1, shares by largest remainder.
  EXPECT_THAT(html, HasSubstr("<th scope=\"col\">2019 年</th><th scope=\"col\">2020 年</th>"));
  EXPECT_THAT(html, HasSubstr("<td class=\"num\">156.71</td><td class=\"num\">37.72%</td>"
                              "<td class=\"num\">151.17</td><td class=\"num\">133.14</td>"));
  // Indicator tables: history columns Y-2 then Y-1 like the funds block
  // (years ascending left to right, into 预期当年实现值), standards as
  // printed. 日常科普活动: 2019 30, 2020 20, target 20.
  EXPECT_THAT(html, Not(HasSubstr("<th scope=\"col\">2020 年</th><th scope=\"col\">2019 年</th>")));
  size_t ascending = 0;
  for (size_t at = html.find("<th scope=\"col\">2019 年</th><th scope=\"col\">2020 年</th>"); at != std::string::npos;
       at = html.find("<th scope=\"col\">2019 年</th><th scope=\"col\">2020 年</th>", at + 1)) {
    ++ascending;
  }
  EXPECT_EQ(ascending, 9u);  // the funds block and the eight goals' tables
  EXPECT_THAT(html, HasSubstr("日常科普活动</td><td class=\"center\">30</td>"
                              "<td class=\"center\">20</td><td class=\"center\">20</td>"
                              "<td>本单位自统指标</td>"));
  EXPECT_THAT(html, HasSubstr("服务对象满意度指标"));
  EXPECT_THAT(html, HasSubstr("项目起止时间"));
  EXPECT_THAT(html, HasSubstr("2021-2021"));
  EXPECT_THAT(html, HasSubstr("10次"));  // a bare number gets its unit
  EXPECT_THAT(html, HasSubstr("咨询电话：68865155"));
  EXPECT_THAT(html, HasSubstr("没有“三公”经费预算安排的支出，与上年持平。"));
  EXPECT_THAT(html, HasSubstr("本单位无公务用车。"));
  // 填报人 is personal data: off by default.
  EXPECT_THAT(html, Not(HasSubstr("洪凡")));
  EXPECT_THAT(html, Not(HasSubstr("填报人")));
}

TEST(RenderReport, FilerNameOnlyWhenEnabled) {
  auto input = ReferenceReportInput();
  input.set_show_filer_name(true);
  const std::string html = Render(input, v1::FORMAT_HTML);
  EXPECT_THAT(html, HasSubstr("<td class=\"label\">填报人</td><td>洪凡</td>"));
}

TEST(RenderReport, FreeTextIsEscaped) {
  auto input = ReferenceReportInput();
  input.mutable_budget()->mutable_projects(0)->set_purpose("<script>alert(1)</script>");
  input.mutable_tables()->mutable_summary()->mutable_general_project_items(0)->mutable_projects(0)->set_purpose(
      "<script>alert(1)</script>");
  input.mutable_department()->set_functions_preamble("A & B <b>粗</b>");
  const std::string html = Render(input, v1::FORMAT_HTML);
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(html, HasSubstr("A &amp; B &lt;b&gt;粗&lt;/b&gt;"));
  const std::string md = Render(input, v1::FORMAT_MARKDOWN);
  EXPECT_THAT(md, Not(HasSubstr("<script")));
  EXPECT_THAT(md, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

TEST(RenderReport, MarkdownArtifactAndContent) {
  absl::StatusOr<Artifact> artifact = RenderReport(ReferenceReportInput(), v1::FORMAT_MARKDOWN);
  ASSERT_TRUE(artifact.ok()) << artifact.status();
  EXPECT_EQ(artifact->media_type(), "text/markdown; charset=utf-8");
  EXPECT_EQ(artifact->file_name(), "区科协2021年部门预算.md");
  EXPECT_EQ(artifact->sha256_hex(), Sha256Hex(artifact->content()));
  const std::string& md = artifact->content();
  ExpectKeyFigures(md);
  EXPECT_THAT(md, ::testing::StartsWith("# 区科协2021年部门预算\n"));
  EXPECT_THAT(md, HasSubstr("\n## 第三部分 区科协 2021 年部门预算情况说明\n"));
  // 表2's header, the 基本支出 group flattened onto its three columns.
  EXPECT_THAT(md, HasSubstr("| 科目编码 | 科目名称 | 合计 | 基本支出·小计 | 基本支出·人员经费 | "
                            "基本支出·公用经费 | 项目支出 |"));
  EXPECT_THAT(md, HasSubstr("| **合计** | **415.51** |"));
  EXPECT_THAT(md, Not(HasSubstr("<table")));
}

TEST(RenderReport, DeterministicBytes) {
  for (auto format : {v1::FORMAT_HTML, v1::FORMAT_MARKDOWN}) {
    auto first = RenderReport(ReferenceReportInput(), format);
    auto second = RenderReport(ReferenceReportInput(), format);
    ASSERT_TRUE(first.ok() && second.ok());
    EXPECT_EQ(first->content(), second->content());
    EXPECT_EQ(first->sha256_hex(), second->sha256_hex());
  }
  // A change of one figure changes the digest.
  auto input = ReferenceReportInput();
  input.mutable_tables()->mutable_summary()->set_machinery_operating_fen(testdata::W(1002));
  EXPECT_NE(RenderReport(input, v1::FORMAT_HTML)->sha256_hex(),
            RenderReport(ReferenceReportInput(), v1::FORMAT_HTML)->sha256_hex());
}

TEST(RenderReport, UnknownFormatsAreUnimplementedNamingTheAvailableOnes) {
  auto artifact = RenderReport(ReferenceReportInput(), static_cast<v1::Format>(99));
  EXPECT_EQ(artifact.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_THAT(std::string(artifact.status().message()), HasSubstr("不支持输出格式 99"));
  EXPECT_THAT(std::string(artifact.status().message()),
              HasSubstr("available are HTML, Markdown, PDF, XLSX, JSON, CSV and DATA_PACKAGE"));
  EXPECT_EQ(RenderReport(ReferenceReportInput(), v1::FORMAT_UNSPECIFIED).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(RenderReport, UnrenderableInputIsRejected) {
  auto input = ReferenceReportInput();
  input.mutable_budget()->mutable_projects(1)->set_name("\xff\xfe");
  auto artifact = RenderReport(input, v1::FORMAT_HTML);
  EXPECT_EQ(artifact.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(artifact.status().message()), HasSubstr("budget.projects[1].name"));

  input = ReferenceReportInput();
  input.mutable_budget()->set_fiscal_year(0);
  input.mutable_goals()->set_fiscal_year(0);
  EXPECT_EQ(RenderReport(input, v1::FORMAT_HTML).status().code(), absl::StatusCode::kInvalidArgument);
}

// Issue 13: a NUL in the department's name made the PDF fail with "text is
// not valid UTF-8: title" at publication. Every format now refuses the input
// before rendering, naming the field in the message and as a BadRequest
// violation, so the publication can say what to correct.
TEST(RenderReport, ControlCharactersAreRefusedInEveryFormatNamingTheField) {
  auto input = ReferenceReportInput();
  input.mutable_department()->set_full_name(std::string("武汉市青山区") + '\0' + "科学技术协会");
  input.mutable_goals()->mutable_department()->set_contact_phone("027\x1b[2J");
  for (const v1::Format format : ImplementedFormats()) {
    auto artifact = RenderReport(input, format);
    ASSERT_EQ(artifact.status().code(), absl::StatusCode::kInvalidArgument) << v1::Format_Name(format);
    const std::string message(artifact.status().message());
    EXPECT_THAT(message, HasSubstr("department.fullName 含有控制字符 U+0000（第 7 个字符）"));
    EXPECT_THAT(message, HasSubstr("department.fullName holds the control character U+0000 (character 7)"));
    EXPECT_THAT(message, HasSubstr("goals.department.contactPhone"));
    google::rpc::BadRequest bad;
    ASSERT_TRUE(GetDetail(artifact.status(), &bad)) << v1::Format_Name(format);
    ASSERT_EQ(bad.field_violations_size(), 2);
    EXPECT_EQ(bad.field_violations(0).field(), "department.fullName");
    EXPECT_EQ(bad.field_violations(1).field(), "goals.department.contactPhone");
  }
  // Line breaks and tabs are text to every renderer.
  input = ReferenceReportInput();
  input.mutable_budget()->mutable_projects(1)->set_purpose("开展科普活动；\n\t举办讲座");
  for (const v1::Format format : ImplementedFormats()) {
    EXPECT_TRUE(RenderReport(input, format).ok()) << v1::Format_Name(format);
  }
}

}  // namespace
TEST(RenderReport, CsvListsEveryLedgerLineWithItsNamesAndAmounts) {
  const auto input = ReferenceReportInput();
  auto artifact = RenderReport(input, v1::FORMAT_CSV);
  ASSERT_TRUE(artifact.ok()) << artifact.status();
  EXPECT_EQ(artifact->media_type(), "text/csv; charset=utf-8");
  const std::string& csv = artifact->content();
  ASSERT_EQ(csv.rfind("\xEF\xBB\xBF"
                      "line_id,direction,functional_code",
                      0),
            0u);
  // One header line and one line per ledger line, CRLF-terminated.
  size_t lines = 0;
  for (size_t at = csv.find("\r\n"); at != std::string::npos; at = csv.find("\r\n", at + 2)) ++lines;
  EXPECT_EQ(static_cast<int>(lines), 1 + input.budget().income_lines_size() + input.budget().expenditure_lines_size());
  EXPECT_THAT(csv, HasSubstr("income-1,income,,,,,,FUND_SOURCE_GENERAL_PUBLIC_BUDGET,false,,4155100.00,415510000,"));
  EXPECT_THAT(csv, HasSubstr(",2060102,一般行政管理事务,"));
  // The lines add up to the income: anyone can recompute the tables.
  int64_t spent = 0;
  for (const auto& line : input.budget().expenditure_lines()) spent += line.amount_fen();
  EXPECT_EQ(spent, 415510000);
  EXPECT_EQ(RenderReport(input, v1::FORMAT_CSV)->sha256_hex(), artifact->sha256_hex());
}

// Issue 13 item 7: text a department typed must not become a formula when
// the open data is opened in a spreadsheet (CSV injection). A text cell
// that starts with = + - @, a tab or a carriage return is written with a
// leading apostrophe (OWASP); amounts are numbers and stay as they are, a
// negative one too.
TEST(RenderReport, CsvNeutralisesTextThatASpreadsheetWouldRunAsAFormula) {
  auto input = ReferenceReportInput();
  auto& lines = *input.mutable_budget()->mutable_expenditure_lines();
  ASSERT_GE(lines.size(), 6);
  lines[0].set_project_id("=1+2*3");
  lines[1].set_project_id("+cmd|' /C calc'!A0");
  lines[2].set_project_id("-2+3");
  lines[3].set_project_id("@SUM(A1:A9)");
  lines[4].set_project_id("\t=1");
  lines[5].set_project_id("\r=1");
  lines[5].set_amount_fen(-1250);
  // The CSV writer itself: a carriage return never reaches it through
  // RenderReport (a control character, refused with its field), but the
  // writer does not rely on that.
  const std::string csv = RenderLedgerCsv(input);
  EXPECT_THAT(csv, HasSubstr(",'=1+2*3,"));
  EXPECT_THAT(csv, HasSubstr(",'+cmd|' /C calc'!A0,"));
  EXPECT_THAT(csv, HasSubstr(",'-2+3,"));
  EXPECT_THAT(csv, HasSubstr(",'@SUM(A1:A9),"));
  EXPECT_THAT(csv, HasSubstr(",'\t=1,"));
  EXPECT_THAT(csv, HasSubstr(",\"'\r=1\","));
  // No cell starts with a formula character unless it is a number we wrote.
  EXPECT_THAT(csv, Not(HasSubstr(",=")));
  EXPECT_THAT(csv, Not(HasSubstr(",@")));
  EXPECT_THAT(csv, Not(HasSubstr(",+")));
  // The amount is still a number: −12.50 元, −1250 分.
  EXPECT_THAT(csv, HasSubstr(",-12.50,-1250,"));
  // Text that only contains such a character further on is left alone.
  input = ReferenceReportInput();
  input.mutable_budget()->mutable_expenditure_lines(0)->set_project_id("P2021-001=A");
  EXPECT_THAT(RenderReport(input, v1::FORMAT_CSV)->content(), HasSubstr(",P2021-001=A,"));
  // And the published file is neutralised too.
  input.mutable_budget()->mutable_expenditure_lines(0)->set_project_id("=1+2*3");
  EXPECT_THAT(RenderReport(input, v1::FORMAT_CSV)->content(), HasSubstr(",'=1+2*3,"));
}

TEST(RenderReport, HtmlDrawsTheIncomeSpendingAndThreeYearChartsAsInlineSvg) {
  auto html = RenderReport(ReferenceReportInput(), v1::FORMAT_HTML);
  ASSERT_TRUE(html.ok()) << html.status();
  const std::string& page = html->content();
  size_t svgs = 0;
  for (size_t at = page.find("<svg "); at != std::string::npos; at = page.find("<svg ", at + 1)) ++svgs;
  EXPECT_EQ(svgs, 3u);
  EXPECT_THAT(page, HasSubstr("aria-label=\"部门收入结构（万元）\""));
  EXPECT_THAT(page, HasSubstr("aria-label=\"基本支出与项目支出（万元）\""));
  EXPECT_THAT(page, HasSubstr("aria-label=\"近三年收支情况（万元）\""));
  // The bars are labelled with the tables' figures: 表9's three years.
  for (const char* figure :
       {">156.71</text>", ">258.80</text>", ">201.03</text>", ">407.22</text>", ">415.51</text>"}) {
    EXPECT_THAT(page, HasSubstr(figure));
  }
  EXPECT_THAT(page, ::testing::Not(HasSubstr("<script")));
  // The Markdown has the tables, not the pictures.
  auto md = RenderReport(ReferenceReportInput(), v1::FORMAT_MARKDOWN);
  ASSERT_TRUE(md.ok());
  EXPECT_THAT(md->content(), ::testing::Not(HasSubstr("<svg")));
}

}  // namespace yusuan::report
