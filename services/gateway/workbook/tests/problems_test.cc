// A workbook edited after writing: each kind of mistake is refused naming
// the sheet, the cell and the rule, in Chinese and English; what other
// programs write (inline strings, no r= references, columns in another
// order, a double's artefacts) is read.
#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/errors.h"
#include "services/gateway/workbook/filing_workbook.h"
#include "services/gateway/workbook/tests/test_util.h"

namespace yusuan::workbook {
namespace {

using ::testing::HasSubstr;
using yusuan::gateway::v1::Filing;

std::string Written(AmountUnit unit = AmountUnit::kYuan) {
  WorkbookWriteOptions options;
  options.unit = unit;
  absl::StatusOr<std::string> xlsx = WriteFilingWorkbook(testing::SampleFiling(), options);
  EXPECT_TRUE(xlsx.ok()) << xlsx.status();
  return xlsx.value_or("");
}

std::string Dump(const WorkbookReadResult& result) {
  std::string out;
  for (const WorkbookProblem& p : result.problems) {
    out += p.rule_id + " " + p.cell + " " + p.field + " | " + p.message_zh + " | " + p.message_en + "\n";
  }
  return out;
}

// The one problem of a read, checked for its rule, sheet and cell (a copy:
// the result is often a temporary).
WorkbookProblem OnlyProblem(const WorkbookReadResult& result, const std::string& rule, const std::string& sheet,
                            const std::string& cell) {
  EXPECT_FALSE(result.filing.has_value());
  EXPECT_EQ(result.problems.size(), 1u) << Dump(result);
  if (result.problems.empty()) return WorkbookProblem();
  const WorkbookProblem& p = result.problems[0];
  EXPECT_EQ(p.rule_id, rule) << Dump(result);
  EXPECT_EQ(p.sheet, sheet) << Dump(result);
  EXPECT_EQ(p.cell, cell) << Dump(result);
  // Both languages, each naming the cell.
  EXPECT_THAT(p.message_zh, HasSubstr(cell));
  EXPECT_THAT(p.message_en, HasSubstr(cell));
  return p;
}

TEST(FilingWorkbookProblems, AWrongChoiceLabel) {
  // 支出!D3 is the fund source of the first expenditure line.
  const std::string xlsx = testing::ReplaceCell(Written(), "支出", "D3", testing::InlineCell("D3", "一般预算拨款"));
  const WorkbookProblem p = OnlyProblem(ReadFilingWorkbook(xlsx), "WB-UNKNOWN-ENUM", "支出", "支出!D3");
  EXPECT_EQ(p.field, "budget.expenditureLines[0].fundSource");
  EXPECT_THAT(p.message_zh, HasSubstr("“一般预算拨款”"));
  EXPECT_THAT(p.message_zh, HasSubstr("资金来源"));
  EXPECT_THAT(p.message_zh, HasSubstr("一般公共预算拨款、政府性基金预算拨款"));
  EXPECT_THAT(p.message_en, HasSubstr("is not one of the choices; pick one from the drop-down list"));
  EXPECT_THAT(p.message_en, HasSubstr("Fund source"));
}

TEST(FilingWorkbookProblems, ThreeDecimalsOfYuan) {
  const std::string xlsx = testing::ReplaceCell(Written(), "支出", "G4", testing::NumberCell("G4", "1234.567"));
  const WorkbookProblem p = OnlyProblem(ReadFilingWorkbook(xlsx), "WB-AMOUNT-DECIMALS", "支出", "支出!G4");
  EXPECT_EQ(p.field, "budget.expenditureLines[1].amountFen");
  EXPECT_THAT(p.message_zh, HasSubstr("小数位超过元允许的 2 位"));
  EXPECT_THAT(p.message_en, HasSubstr("has more decimals than 元 allows (2"));
}

TEST(FilingWorkbookProblems, SixDecimalsOfWanYuanAreFineSevenAreNot) {
  std::string xlsx =
      testing::ReplaceCell(Written(AmountUnit::kWanYuan), "支出", "G4", testing::NumberCell("G4", "12.345678"));
  WorkbookReadResult result = ReadFilingWorkbook(xlsx);
  ASSERT_TRUE(result.filing.has_value()) << Dump(result);
  EXPECT_EQ(result.filing->budget().expenditure_lines(1).amount_fen(), 12345678);
  xlsx = testing::ReplaceCell(Written(AmountUnit::kWanYuan), "支出", "G4", testing::NumberCell("G4", "12.3456789"));
  OnlyProblem(ReadFilingWorkbook(xlsx), "WB-AMOUNT-DECIMALS", "支出", "支出!G4");
}

TEST(FilingWorkbookProblems, TextInAnAmountCell) {
  const std::string xlsx = testing::ReplaceCell(Written(), "收入", "C3", testing::InlineCell("C3", "四百一十五万"));
  const WorkbookProblem p = OnlyProblem(ReadFilingWorkbook(xlsx), "WB-AMOUNT-TEXT", "收入", "收入!C3");
  EXPECT_EQ(p.field, "budget.incomeLines[0].amountFen");
  EXPECT_THAT(p.message_zh, HasSubstr("不是数字"));
  EXPECT_THAT(p.message_en, HasSubstr("is not a number; enter the amount in 元 as a number"));
}

TEST(FilingWorkbookProblems, AMissingSheet) {
  const std::string xlsx = Written();
  xlsx::ReadError error;
  std::optional<xlsx::Workbook> book = xlsx::Workbook::Open(xlsx, &error);
  ASSERT_TRUE(book.has_value());
  std::string xml = book->ReadMember("xl/workbook.xml").value_or("");
  const size_t at = xml.find("<sheet name=\"项目\"");
  ASSERT_NE(at, std::string::npos);
  xml.erase(at, xml.find("/>", at) + 2 - at);
  const WorkbookProblem p = OnlyProblem(ReadFilingWorkbook(testing::ReplaceMember(xlsx, "xl/workbook.xml", xml)),
                                        "WB-MISSING-SHEET", "项目", "项目");
  EXPECT_THAT(p.message_zh, HasSubstr("缺少工作表“项目”"));
  EXPECT_THAT(p.message_en, HasSubstr("the sheet 项目 (Projects) is missing"));
}

TEST(FilingWorkbookProblems, AnAmountHeaderWithoutItsUnit) {
  const std::string xlsx = testing::ReplaceCell(Written(), "支出", "G2", testing::InlineCell("G2", "金额\nAmount"));
  const WorkbookProblem p = OnlyProblem(ReadFilingWorkbook(xlsx), "WB-UNIT", "支出", "支出!G2");
  EXPECT_THAT(p.message_zh, HasSubstr("“金额（元）”或“金额（万元）”"));
  EXPECT_THAT(p.message_en, HasSubstr("does not state its unit"));
  // A unit the reader does not convert is refused the same way.
  const std::string thousands =
      testing::ReplaceCell(Written(), "支出", "G2", testing::InlineCell("G2", "金额（千元）"));
  OnlyProblem(ReadFilingWorkbook(thousands), "WB-UNIT", "支出", "支出!G2");
}

TEST(FilingWorkbookProblems, EveryProblemIsReportedAtOnceAndBecomesARefusal) {
  std::string xlsx = Written();
  xlsx = testing::ReplaceCell(xlsx, "支出", "D3", testing::InlineCell("D3", "一般预算拨款"));
  xlsx = testing::ReplaceCell(xlsx, "支出", "G4", testing::NumberCell("G4", "0.005"));
  xlsx = testing::ReplaceCell(xlsx, "收入", "C3", testing::InlineCell("C3", "n/a"));
  const WorkbookReadResult result = ReadFilingWorkbook(xlsx);
  ASSERT_EQ(result.problems.size(), 3u) << Dump(result);
  EXPECT_FALSE(result.filing.has_value());

  const absl::Status status = ProblemsToStatus(result.problems);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("共 3 项错误"));
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(GetDetail(status, &bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 3);
  std::set<std::string> cells;
  for (const auto& v : bad_request.field_violations()) cells.insert(v.field());
  EXPECT_EQ(cells, (std::set<std::string>{"收入!C3", "支出!D3", "支出!G4"}));
  yusuan::common::v1::ValidationReport report;
  ASSERT_TRUE(GetDetail(status, &report));
  EXPECT_EQ(report.fatal_count(), 3);
  EXPECT_EQ(ErrorReason(status), "VALIDATION_FAILED");
  EXPECT_TRUE(ProblemsToStatus({}).ok());

  // Every rule a problem names is listed for ListRules.
  std::set<std::string> listed;
  for (const auto& rule : WorkbookRules()) listed.insert(rule.rule_id());
  for (const WorkbookProblem& p : result.problems) EXPECT_EQ(listed.count(p.rule_id), 1u) << p.rule_id;
  for (const auto& f : report.findings()) EXPECT_FALSE(f.hint().empty()) << f.rule_id();
}

TEST(FilingWorkbookProblems, KeyValueSheets) {
  const std::string xlsx = Written();
  const WorkbookReadResult clean = ReadFilingWorkbook(xlsx);
  ASSERT_TRUE(clean.filing.has_value()) << Dump(clean);
  // The cell of 预算年度, as the provenance says.
  const std::string year = CellForField(clean.provenance, "budget.fiscalYear");
  ASSERT_EQ(year.rfind("部门!B", 0), 0u) << year;
  const std::string ref = year.substr(year.find('!') + 1);
  OnlyProblem(ReadFilingWorkbook(testing::ReplaceCell(xlsx, "部门", ref, testing::InlineCell(ref, "二〇二一年"))),
              "WB-NUMBER", "部门", year);
  // A label the sheet does not have, with a value.
  const std::string label_ref = "A" + ref.substr(1);
  OnlyProblem(
      ReadFilingWorkbook(testing::ReplaceCell(xlsx, "部门", label_ref, testing::InlineCell(label_ref, "预算年份"))),
      "WB-UNKNOWN-ITEM", "部门", "部门!" + label_ref);
}

TEST(FilingWorkbookProblems, ADoublesArtefactIsReadAsTheFen) {
  const std::string xlsx =
      testing::ReplaceCell(Written(), "支出", "G3", testing::NumberCell("G3", "268436.00000000006"));
  const WorkbookReadResult result = ReadFilingWorkbook(xlsx);
  ASSERT_TRUE(result.filing.has_value()) << Dump(result);
  EXPECT_EQ(result.filing->budget().expenditure_lines(0).amount_fen(), 26843600);
}

TEST(FilingWorkbookProblems, InlineStringsCellsWithoutReferencesAndColumnsInAnotherOrder) {
  // The income sheet as another program might write it: inline strings, no
  // r= on rows or cells, 金额 first and in 万元, an enum by its proto name.
  auto s = [](const std::string& text) { return "<c t=\"inlineStr\"><is><t>" + text + "</t></is></c>"; };
  const std::string sheet =
      "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
      "<row>" +
      s("收入") +
      "</row>"
      "<row>" +
      s("金额（万元）") + s("收入来源") + s("收入类别") + s("单位代码") +
      "</row>"
      "<row><c><v>415.51</v></c>" +
      s("FUND_SOURCE_GENERAL_PUBLIC_BUDGET") + s("本年收入") +
      "</row>"
      "<row></row>"
      "<row><c><v>0.5</v></c>" +
      s("事业收入") + s("上年结转") +
      "<c><v>1001</v></c></row>"
      "</sheetData></worksheet>";
  const std::string xlsx = Written();
  const WorkbookReadResult result =
      ReadFilingWorkbook(testing::ReplaceMember(xlsx, testing::SheetPathOf(xlsx, "收入"), sheet));
  ASSERT_TRUE(result.filing.has_value()) << Dump(result);
  const auto& lines = result.filing->budget().income_lines();
  ASSERT_EQ(lines.size(), 2);
  EXPECT_EQ(lines[0].source(), yusuan::ledger::v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET);
  EXPECT_EQ(lines[0].amount_fen(), 415510000);
  EXPECT_FALSE(lines[0].carryover());
  EXPECT_EQ(lines[1].source(), yusuan::ledger::v1::FUND_SOURCE_INSTITUTION_REVENUE);
  EXPECT_TRUE(lines[1].carryover());
  EXPECT_EQ(lines[1].amount_fen(), 500000);
  EXPECT_EQ(lines[1].unit_code(), "1001");
  EXPECT_EQ(CellForField(result.provenance, "budget.incomeLines[1].amountFen"), "收入!A5");
}

TEST(FilingWorkbookProblems, NotAWorkbook) {
  const WorkbookReadResult result = ReadFilingWorkbook(std::string("PK\x03\x04 not a zip", 14));
  ASSERT_EQ(result.problems.size(), 1u);
  EXPECT_EQ(result.problems[0].rule_id, "WB-NOT-XLSX");
  EXPECT_THAT(result.problems[0].message_en, HasSubstr("not a readable workbook"));
  EXPECT_EQ(ReadFilingWorkbook("").problems[0].rule_id, "WB-NOT-XLSX");
}

}  // namespace
}  // namespace yusuan::workbook
