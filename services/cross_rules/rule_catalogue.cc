#include "services/cross_rules/rule_catalogue.h"

#include "services/common/rule_catalogue.h"

namespace yusuan::cross_rules {

const RuleBook& CrossRules() {
  using namespace yusuan::common::v1;  // NOLINT: the enum values read as a table
  constexpr auto E = SEVERITY_FATAL;
  constexpr auto W = SEVERITY_WARNING;
  constexpr auto kComplete = RULE_CATEGORY_COMPLETENESS;
  constexpr auto kAccurate = RULE_CATEGORY_ACCURACY;
  constexpr auto kConsistent = RULE_CATEGORY_CONSISTENCY;
  static const auto* rules = new RuleBook(std::vector<Rule>{
      MakeRule("X-GOALS-YEAR", E, kConsistent, "绩效目标年度须与预算年度一致", "the goals' year equals the budget's",
               "domain.md §4.7", "gateway"),
      MakeRule("X-GOALS-NAME", E, kConsistent, "绩效目标名称须为预算名称加 /goals",
               "the goals' name is the budget's name + /goals", "architecture.md", "gateway"),
      MakeRule("X-GOALS-PROJECT", E, kConsistent, "每个项目须有且只有一张目标表，目标表须对应已有项目",
               "every project has exactly one goal sheet, and every sheet a project", "domain.md §4.7 rule 1",
               "gateway"),
      MakeRule(
          "X-GOALS-AMOUNT", E, kConsistent,
          "项目目标表填报的项目资金（资金总额、财政拨款、其他资金及当年各项，元）须等于预算中同一项目的金额，当年财政拨款还须等于该项目由一般公共预算、政府性基金、国有资本经营预算安排的项目支出明细之和",
          "each 表10 amount a project sheet states equals the budget's project, and its 当年财政拨款 equals the "
          "project's lines paid from 一般公共预算, 政府性基金 or 国有资本经营预算",
          "domain.md §4.7 V-P6, §5.2 R-T10-3, §5.3 X17", "gateway"),
      MakeRule("X-GOALS-AMOUNT-UNSTATED", W, kComplete, "项目目标表未填报项目资金时无法与预算核对，申报表按预算打印",
               "a project sheet that leaves 表10 amounts unstated "
               "cannot be checked; the form prints the budget's figures",
               "domain.md §2.10, §4.3", "gateway"),
      MakeRule("X21", E, kConsistent,
               "表9 部门总体资金情况填报的当年预算收支须等于预算报表（表1、表6、表8）的数字（按万元两位小数）",
               "the 表9 funds block as stated equals the budget's 表1/表6/表8 figures (to 0.01 万元)",
               "domain.md §5.3 X21, §5.2 R-T9-5", "gateway"),
      MakeRule("X23", W, kAccurate, "表9 年度目标的数量指标值须等于各项目目标表同名数量指标之和",
               "a 表9 quantity target equals the sum of the project sheets' quantity targets of the same name",
               "domain.md §4.7 V-P7, §5.3 X23", "gateway"),
  });
  return *rules;
}

}  // namespace yusuan::cross_rules
