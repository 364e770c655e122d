// The empty template: every sheet, the instructions, drop-down lists for the
// choice columns and, with a catalogue, for the codes; read back as it is,
// it names the one thing missing instead of failing.
#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/gateway/workbook/filing_workbook.h"
#include "services/gateway/workbook/tests/test_util.h"
#include "services/ledger/domain/catalogue.h"

namespace yusuan::workbook {
namespace {

using ::testing::HasSubstr;

const std::vector<std::string> kSheets = {"说明",     "部门",     "所属单位",     "收入",         "支出",
                                          "项目",     "上年数",   "三公",         "政府采购",     "资产",
                                          "购买服务", "说明文字", "整体绩效目标", "项目绩效目标", "代码"};

std::string Template(const ledger::Catalogue* catalogue) {
  absl::StatusOr<std::string> xlsx = WriteTemplateWorkbook(catalogue, WorkbookWriteOptions());
  EXPECT_TRUE(xlsx.ok()) << xlsx.status();
  return xlsx.value_or("");
}

TEST(FilingWorkbookTemplate, EverySheetWithItsListsAndTheInstructions) {
  const std::string xlsx = Template(nullptr);
  xlsx::ReadError error;
  std::optional<xlsx::Workbook> workbook = xlsx::Workbook::Open(xlsx, &error);
  ASSERT_TRUE(workbook.has_value()) << error.en;
  EXPECT_EQ(workbook->SheetNames(), kSheets);
  EXPECT_TRUE(workbook->IsHidden(kSheets.size() - 1));  // 代码
  EXPECT_FALSE(workbook->IsHidden(0));

  std::optional<xlsx::Sheet> instructions = workbook->ReadSheet(0, &error);
  ASSERT_TRUE(instructions.has_value());
  std::string text;
  for (const xlsx::Row& row : instructions->rows) text += row.at(0).text + "\n";
  EXPECT_THAT(text, HasSubstr("金额：单位写在表头"));
  EXPECT_THAT(text, HasSubstr("Amounts: the unit is in the header"));

  // Choice columns offer their labels.
  const std::string expenditure = testing::SheetXml(xlsx, "支出");
  EXPECT_THAT(expenditure, HasSubstr("<dataValidation type=\"list\""));
  EXPECT_THAT(expenditure, HasSubstr("基本支出·人员经费,基本支出·公用经费,项目支出"));
  EXPECT_THAT(expenditure, HasSubstr("\"否,是\""));
  EXPECT_THAT(testing::SheetXml(xlsx, "收入"), HasSubstr("\"本年收入,上年结转\""));
  EXPECT_THAT(testing::SheetXml(xlsx, "部门"), HasSubstr("省级,市级,区级,县级,乡镇级"));
  EXPECT_THAT(testing::SheetXml(xlsx, "三公"), HasSubstr("\"部门,单位\""));
  const std::string goals = testing::SheetXml(xlsx, "整体绩效目标");
  EXPECT_THAT(goals, HasSubstr("产出指标,效益指标,满意度指标,成本指标"));
  EXPECT_THAT(goals, HasSubstr("\"年度目标,长期指标\""));
  // Without a catalogue, no code list.
  EXPECT_THAT(expenditure, ::testing::Not(HasSubstr("代码")));
  // Every amount header states the unit.
  EXPECT_THAT(expenditure, ::testing::Not(HasSubstr("金额\n")));
}

TEST(FilingWorkbookTemplate, WithACatalogueTheCodesAreListedOnTheHiddenSheet) {
  absl::StatusOr<ledger::Catalogue> catalogue =
      ledger::Catalogue::LoadFromFile(std::string(YUSUAN_SOURCE_DIR) + "/data/catalogue/2021.json");
  ASSERT_TRUE(catalogue.ok()) << catalogue.status();
  const std::string xlsx = Template(&*catalogue);
  const std::string expenditure = testing::SheetXml(xlsx, "支出");
  EXPECT_THAT(expenditure, HasSubstr("<formula1>'代码'!$A$2:$A$"));
  EXPECT_THAT(expenditure, HasSubstr("<formula1>'代码'!$C$2:$C$"));

  xlsx::ReadError error;
  std::optional<xlsx::Workbook> workbook = xlsx::Workbook::Open(xlsx, &error);
  ASSERT_TRUE(workbook.has_value());
  std::optional<xlsx::Sheet> codes = workbook->ReadSheet(kSheets.size() - 1, &error);
  ASSERT_TRUE(codes.has_value()) << error.en;
  std::set<std::string> functional, economic;
  for (const xlsx::Row& row : codes->rows) {
    if (row.number == 1) continue;
    if (!row.at(0).text.empty()) functional.insert(row.at(0).text);
    if (!row.at(2).text.empty()) economic.insert(row.at(2).text);
  }
  EXPECT_EQ(functional.count("2060101"), 1u);  // 行政运行 of 科学技术管理事务
  EXPECT_EQ(functional.count("206"), 0u);      // only 项
  EXPECT_EQ(economic.count("30101"), 1u);
  EXPECT_EQ(economic.count("301"), 0u);  // only 款
  for (const std::string& code : functional) EXPECT_TRUE(catalogue->IsFunctionalItem(code)) << code;
}

TEST(FilingWorkbookTemplate, ReadingTheEmptyTemplateSaysThereIsNoDepartment) {
  for (bool with_catalogue : {false, true}) {
    absl::StatusOr<ledger::Catalogue> catalogue =
        ledger::Catalogue::LoadFromFile(std::string(YUSUAN_SOURCE_DIR) + "/data/catalogue/2021.json");
    ASSERT_TRUE(catalogue.ok());
    const WorkbookReadResult result = ReadFilingWorkbook(Template(with_catalogue ? &*catalogue : nullptr));
    EXPECT_FALSE(result.filing.has_value());
    ASSERT_EQ(result.problems.size(), 1u) << result.problems[0].message_en;
    EXPECT_EQ(result.problems[0].rule_id, "WB-NO-DEPARTMENT");
    EXPECT_EQ(result.problems[0].sheet, "部门");
    EXPECT_THAT(result.problems[0].message_zh, HasSubstr("没有填写任何部门信息"));
    EXPECT_THAT(result.problems[0].message_en, HasSubstr("holds no department"));
  }
}

TEST(FilingWorkbookTemplate, TheTemplateInWanYuanSaysSoInItsHeaders) {
  WorkbookWriteOptions options;
  options.unit = AmountUnit::kWanYuan;
  absl::StatusOr<std::string> xlsx = WriteTemplateWorkbook(nullptr, options);
  ASSERT_TRUE(xlsx.ok());
  xlsx::ReadError error;
  std::optional<xlsx::Workbook> workbook = xlsx::Workbook::Open(*xlsx, &error);
  ASSERT_TRUE(workbook.has_value());
  std::optional<xlsx::Sheet> sheet = workbook->ReadSheet(4, &error);  // 支出
  ASSERT_TRUE(sheet.has_value());
  EXPECT_EQ(sheet->name, "支出");
  EXPECT_THAT(sheet->rows[1].at(6).text, HasSubstr("金额（万元）"));
}

}  // namespace
}  // namespace yusuan::workbook
