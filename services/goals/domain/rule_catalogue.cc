#include "services/goals/domain/rule_catalogue.h"

#include "services/common/rule_catalogue.h"

namespace yusuan::goals {

const RuleBook& GoalRules() {
  using namespace yusuan::common::v1;  // NOLINT: the enum values read as a table
  constexpr auto E = SEVERITY_FATAL;
  constexpr auto W = SEVERITY_WARNING;
  constexpr auto kComplete = RULE_CATEGORY_COMPLETENESS;
  constexpr auto kAccurate = RULE_CATEGORY_ACCURACY;
  constexpr auto kConsistent = RULE_CATEGORY_CONSISTENCY;
  constexpr auto kClass = RULE_CATEGORY_CLASSIFICATION;
  static const auto* rules = new RuleBook(std::vector<Rule>{
      MakeRule("V-UTF8", E, kComplete, "绩效目标中的文字须为有效的 UTF-8 编码",
               "every string of the goals is valid UTF-8", "architecture.md Money, rounding, text", "goals"),
      MakeRule(
          "V-TEXT-CONTROL", E, kComplete,
          "绩效目标中的文字不得含有控制字符（U+0000–U+001F、U+007F、U+0080–U+009F）、双向文字控制符或零宽字符；多行文字（职能概述、年度工作任务、"
          "长期目标、年度目标内容、中期目标、项目年度目标）可含换行符和制表符",
          "no text of the goals holds a control character (U+0000–U+001F, U+007F, U+0080–U+009F), bidirectional control or zero-width character; a multi-line "
          "text (functions summary, annual tasks, long-term goal, annual goal texts, medium-term and annual "
          "project goals) may hold line feeds and tabs",
          "architecture.md Money, rounding, text", "goals"),
      MakeRule(
          "V-FIELD-REQUIRED", E, kComplete,
          "必填项不能为空：年度、部门整体目标表、年度目标及其内容、指标名称与级次、项目目标表的项目编号与年度目标",
          "required: year, the 表9 sheet, annual goals and their text, indicator names and levels, project sheet ids and annual goals",
          "domain.md §4.2, §4.3", "goals"),
      MakeRule("V-IND-LEVEL", E, kClass, "二级指标须属于其一级指标", "level2 belongs to level1", "domain.md §4.4",
               "goals"),
      MakeRule(
          "V-IND-FRAMEWORK", W, kClass,
          "指标须属于预算年度适用的指标体系（2021 年及以前：财预〔2015〕88号；2022 年起：财预〔2021〕101号，成本为一级指标）",
          "indicators follow the framework of the budget year (88号 up to 2021; 101号 from 2022, with cost as a level1)",
          "domain.md §4.1, §4.4", "goals"),
      MakeRule("V-P4", E, kClass, "绩效标准须为历史、行业、计划或其他标准（其他标准附说明时为警告）",
               "the standard is HISTORICAL, INDUSTRY, PLAN or OTHER (a note that is not a standard is a warning)",
               "domain.md §4.5, E5", "goals"),
      MakeRule(
          "V-P4-NOTE", W, kClass,
          "绩效标准为其他标准时，说明须是其他标准：本单位自统指标是数据来源，绩效考核标准不是四类标准之一",
          "an OTHER standard's note names a standard, not a data source (本单位自统指标) or a name outside the four",
          "domain.md §4.5, E5", "goals"),
      MakeRule("V-GOAL-RANGE", W, kConsistent, "目标内容写区间而数量指标为单一值时无法考核",
               "a goal text that states a range over single-valued quantity targets cannot be assessed", "domain.md E3",
               "goals"),
      MakeRule("V-IND-PLACEMENT", W, kClass, "完成率、合格率等指标不应列在时效指标下",
               "completion, pass or coverage rates are not timeliness indicators", "domain.md E20", "goals"),
      MakeRule("V-PROJECT-DUPLICATE", E, kConsistent, "同一项目不能有两张目标表", "one goal sheet per project", "—",
               "goals"),
      MakeRule("V-P1", W, kComplete, "每个年度目标须有产出指标及效益或满意度指标",
               "each goal has an output and a benefit or satisfaction indicator", "domain.md §4.7 V-P1", "goals"),
      MakeRule("V-P2", W, kAccurate, "目标内容中的数量须等于其数量指标之和",
               "the quantity in a goal's text equals its quantity targets", "domain.md §4.7 V-P2, E2", "goals"),
      MakeRule("V-P3", W, kClass, "满意度指标值应为百分比", "satisfaction targets are percentages",
               "domain.md §4.7 V-P3", "goals"),
      MakeRule("V-P5", W, kComplete, "近两年指标值不能为空（无则填“无”）",
               "history values are present (write 无 when none)", "domain.md §4.7 V-P5", "goals"),
      MakeRule("V-VALUE", W, kClass, "指标值须为可考核的值", "a target is a value that can be checked",
               "domain.md §4.6, E5", "goals"),
      MakeRule("V-TREND", W, kConsistent, "承诺逐年提升时数量目标不应低于近两年",
               "quantity targets do not fall below history while benefits promise growth", "domain.md E22", "goals"),
      MakeRule("V-GOAL-SEQ", W, kConsistent, "年度目标序号须依次为 1、2、3…", "annual goals are numbered 1, 2, 3 …",
               "—", "goals"),
      MakeRule("V-FIELD-RECOMMENDED", W, kComplete,
               "建议填写：填报日期、部门职能概述、年度工作任务、长期目标、长期绩效指标、中期目标",
               "recommended fields that the form would print blank", "domain.md §4.2", "goals"),
      MakeRule("V-AMOUNT-RANGE", E, kAccurate, "绩效目标中的金额不能为负，合计须小于 2^62 分",
               "no amount of the goals is negative, and together they stay below 2^62 分", "domain.md §5", "goals"),
      MakeRule("V-DATE", W, kComplete, "日期须为 YYYY-MM-DD", "dates are YYYY-MM-DD", "—", "goals"),
  });
  return *rules;
}

}  // namespace yusuan::goals
