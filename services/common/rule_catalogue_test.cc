#include "services/common/rule_catalogue.h"

#include <vector>

#include "gtest/gtest.h"
#include "services/common/findings_builder.h"

namespace yusuan {
namespace {

using yusuan::common::v1::Rule;
using yusuan::common::v1::ValidationReport;

Rule WithHint(Rule rule, const std::string& hint) {
  rule.set_hint(hint);
  return rule;
}

const RuleBook& Book() {
  static const auto* book = new RuleBook(std::vector<Rule>{
      MakeRule("R-A", yusuan::common::v1::SEVERITY_WARNING, yusuan::common::v1::RULE_CATEGORY_ACCURACY, "甲", "a", "—",
               "test"),
      WithHint(MakeRule("R-B", yusuan::common::v1::SEVERITY_INFO, yusuan::common::v1::RULE_CATEGORY_CONSISTENCY, "乙",
                        "b", "—", "test"),
               "the rule's own hint"),
      // A repeated id: the first definition stands.
      MakeRule("R-A", yusuan::common::v1::SEVERITY_FATAL, yusuan::common::v1::RULE_CATEGORY_COMPLETENESS, "丙", "c",
               "—", "test"),
  });
  return *book;
}

TEST(RuleBook, FindsADefinitionByIdAndTheFirstOfARepeatedId) {
  ASSERT_NE(Book().Find("R-B"), nullptr);
  EXPECT_EQ(Book().Find("R-B")->description_en(), "b");
  EXPECT_EQ(Book().Find("R-A")->severity(), yusuan::common::v1::SEVERITY_WARNING);
  EXPECT_EQ(Book().Find("R-C"), nullptr);
  EXPECT_EQ(Book().size(), 3u);
}

TEST(NewFinding, TakesSeverityCategoryAndHintFromTheDefinition) {
  const auto finding = NewFinding(Book(), "R-B");
  EXPECT_EQ(finding.rule_id(), "R-B");
  EXPECT_EQ(finding.severity(), yusuan::common::v1::SEVERITY_INFO);
  EXPECT_EQ(finding.category(), yusuan::common::v1::RULE_CATEGORY_CONSISTENCY);
  EXPECT_EQ(finding.hint(), "the rule's own hint");
}

TEST(NewFinding, AnUnlistedRuleIsFatalSoItCannotLetAFilingThrough) {
  const auto finding = NewFinding(Book(), "R-UNLISTED");
  EXPECT_EQ(finding.severity(), yusuan::common::v1::SEVERITY_FATAL);
  EXPECT_EQ(finding.category(), yusuan::common::v1::RULE_CATEGORY_UNSPECIFIED);
  ValidationReport report;
  *report.add_findings() = finding;
  EXPECT_EQ(UnlistedRuleIds(Book(), report), std::vector<std::string>{"R-UNLISTED"});
}

TEST(FindingsBuilder, AFindingCarriesItsRulesSeverityAndTheCallersHint) {
  ValidationReport report;
  FindingsBuilder out(Book(), &report);
  out.AddArithmetic("R-A", "budget.x", "不等", "differs", 100, 200, "fix x");
  out.Add("R-B", "budget.y", "说明", "note", "");
  ASSERT_EQ(report.findings_size(), 2);
  EXPECT_EQ(report.findings(0).severity(), yusuan::common::v1::SEVERITY_WARNING);
  EXPECT_EQ(report.findings(0).category(), yusuan::common::v1::RULE_CATEGORY_ACCURACY);
  EXPECT_EQ(report.findings(0).hint(), "fix x");
  EXPECT_EQ(report.findings(0).message_en(), "budget.x: differs");
  EXPECT_EQ(report.findings(1).severity(), yusuan::common::v1::SEVERITY_INFO);
  EXPECT_EQ(report.findings(1).hint(), "the rule's own hint");  // no hint of its own
  EXPECT_TRUE(UnlistedRuleIds(Book(), report).empty());
}

TEST(StampRuleSet, NamesThisBuildsRuleSet) {
  ValidationReport report;
  StampRuleSet(report);
  EXPECT_EQ(report.rule_set_version(), kRuleSetVersion);
}

}  // namespace
}  // namespace yusuan
