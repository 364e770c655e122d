#include "services/report/domain/glossary.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/report/domain/testdata_departments.h"

namespace yusuan::report {
namespace {

using testdata::ReferenceReportInput;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(FiscalLevelName, Levels) {
  EXPECT_EQ(FiscalLevelName(ledger::v1::FISCAL_LEVEL_DISTRICT), "区级");
  EXPECT_EQ(FiscalLevelName(ledger::v1::FISCAL_LEVEL_CITY), "市级");
  EXPECT_EQ(FiscalLevelName(ledger::v1::FISCAL_LEVEL_PROVINCE), "省级");
  EXPECT_EQ(FiscalLevelName(ledger::v1::FISCAL_LEVEL_COUNTY), "县级");
}

TEST(FunctionalCodeLines, ReferenceUsesCurrentCatalogueNames) {
  EXPECT_THAT(FunctionalCodeLines(ReferenceReportInput().tables().summary()),
              ElementsAre("1.科学技术支出(类)科学技术管理事务(款)行政运行(项)一般行政管理事务(项)",
                          "2.社会保障和就业支出(类)行政事业单位养老支出(款)机关事业单位基本养老"
                          "保险缴费支出(项)",
                          "3.卫生健康支出(类)行政事业单位医疗(款)行政单位医疗(项)公务员医疗补助"
                          "(项)其他行政事业单位医疗支出(项)",
                          "4.住房保障支出(类)住房改革支出(款)住房公积金(项)提租补贴(项)"));
}

TEST(FunctionalCodeLines, NumberedInCodeOrderWhateverTheInputOrder) {
  auto input = ReferenceReportInput();
  auto* glossary = input.mutable_tables()->mutable_summary()->mutable_glossary();
  glossary->SwapElements(0, 3);
  glossary->Mutable(2)->mutable_items()->SwapElements(0, 2);  // 210
  const auto lines = FunctionalCodeLines(input.tables().summary());
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_THAT(lines[0], ::testing::StartsWith("1.科学技术支出(类)"));
  EXPECT_THAT(lines[3], ::testing::StartsWith("4.住房保障支出(类)"));
  // 项 of 210 sorted back into code order too.
  EXPECT_THAT(lines[2], HasSubstr("行政单位医疗(项)公务员医疗补助(项)其他"));
}

TEST(Glossary, TwelveEntriesWithFiscalLevel) {
  auto input = ReferenceReportInput();
  auto entries = Glossary(input);
  ASSERT_EQ(entries.size(), 12u);
  EXPECT_EQ(entries[0].number, "(一)");
  EXPECT_EQ(entries[0].term, "一般公共预算财政拨款收入");
  EXPECT_THAT(entries[0].definition, HasSubstr("区级财政"));
  EXPECT_THAT(entries[1].definition, HasSubstr("区级财政"));
  EXPECT_EQ(entries[9].number, "(十)");
  EXPECT_EQ(entries[9].lines.size(), 4u);
  EXPECT_EQ(entries[10].term, "“三公”经费");
  EXPECT_THAT(entries[10].definition, HasSubstr("公务用车购置及运行维护费"));
  EXPECT_EQ(entries[11].number, "(十二)");
  EXPECT_THAT(entries[11].definition, HasSubstr("参照公务员法管理的事业单位"));

  input.mutable_department()->set_fiscal_level(ledger::v1::FISCAL_LEVEL_CITY);
  entries = Glossary(input);
  EXPECT_THAT(entries[0].definition, HasSubstr("市级财政"));
  EXPECT_THAT(entries[0].definition, ::testing::Not(HasSubstr("区级")));
}

TEST(ContactLine, DepartmentPhoneThenGoalSheetPhone) {
  auto input = ReferenceReportInput();
  EXPECT_EQ(ContactLine(input), "咨询电话：68865155");
  input.mutable_department()->clear_contact_phone();
  input.mutable_goals()->mutable_department()->set_contact_phone("12345678");
  EXPECT_EQ(ContactLine(input), "咨询电话：12345678");
  input.mutable_goals()->mutable_department()->clear_contact_phone();
  EXPECT_EQ(ContactLine(input), "");
}

}  // namespace
}  // namespace yusuan::report
