#include "services/goals/domain/rules.h"

#include "services/common/amount_fields.h"
#include "services/common/iso_date.h"
#include "services/common/rule_catalogue.h"
#include "services/goals/domain/rule_catalogue.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/errors.h"
#include "services/common/findings_builder.h"
#include "services/common/utf8.h"
#include "services/goals/domain/indicator.h"

namespace yusuan::goals {
namespace {

using yusuan::common::v1::ValidationReport;
using yusuan::goals::v1::AnnualGoal;
using yusuan::goals::v1::DepartmentGoalSheet;
using yusuan::goals::v1::GoalSet;
using yusuan::goals::v1::Indicator;
using yusuan::goals::v1::ProjectGoalSheet;

struct Values {
  std::string expected;
  std::string actual;
  std::string difference;
};

// The shared findings builder (every message starts with its field), plus
// the indicator framework of the goal set's budget year.
class Reporter : public FindingsBuilder {
 public:
  Reporter(ValidationReport* report, IndicatorFramework framework)
      : FindingsBuilder(GoalRules(), report), framework_(framework) {}

  IndicatorFramework framework() const { return framework_; }

  void Add(std::string_view rule, const std::string& field, const std::string& zh, const std::string& en,
           const std::string& hint, const Values& values = {}) {
    AddWithValues(std::string(rule), field, zh, en, hint, values.expected, values.actual, values.difference);
  }

  void Recommended(const std::string& field, const std::string& what_zh, const std::string& what_en) {
    Add("V-FIELD-RECOMMENDED", field, absl::StrCat(what_zh, "为空，申报表将打印空白"),
        absl::StrCat(what_en, " is empty; the form will print a blank cell"),
        absl::StrCat("请填写", what_zh, " / fill in the ", what_en));
  }

 private:
  IndicatorFramework framework_;
};

// The goal set's multi-line texts, where a line feed and a tab are text:
// the paragraphs of 表9 and 表10 and a goal's content. Names, indicator
// values, dates and phone numbers are one line (V-TEXT-CONTROL).
bool IsMultilineText(const google::protobuf::FieldDescriptor& field) {
  const google::protobuf::Descriptor* owner = field.containing_type();
  if (owner == DepartmentGoalSheet::descriptor()) {
    return field.number() == DepartmentGoalSheet::kFunctionsSummaryFieldNumber ||
           field.number() == DepartmentGoalSheet::kAnnualTasksFieldNumber ||
           field.number() == DepartmentGoalSheet::kLongTermGoalFieldNumber;
  }
  if (owner == ProjectGoalSheet::descriptor()) {
    return field.number() == ProjectGoalSheet::kMediumTermGoalFieldNumber ||
           field.number() == ProjectGoalSheet::kAnnualGoalFieldNumber;
  }
  return owner == AnnualGoal::descriptor() && field.number() == AnnualGoal::kTextFieldNumber;
}

// Text quoted from the input into a message: broken bytes become U+FFFD
// (V-UTF8 names the field).
std::string Quote(std::string_view text) { return WithReplacementCharacters(text); }

void CheckDate(Reporter& r, const std::string& field, const std::string& value, const std::string& what_zh,
               const std::string& what_en) {
  if (value.empty() || IsIsoDate(value)) return;
  r.Add("V-DATE", field, absl::StrCat(what_zh, "「", Quote(value), "」不是有效日期（YYYY-MM-DD）"),
        absl::StrCat(what_en, " \"", Quote(value), "\" is not a valid date (YYYY-MM-DD)"),
        "请按 YYYY-MM-DD 填写，例如 2021-01-27 / write it as YYYY-MM-DD, e.g. 2021-01-27");
}

bool IsQuantity(const Indicator& ind) {
  return ind.level1() == yusuan::goals::v1::INDICATOR_LEVEL1_OUTPUT &&
         ind.level2() == yusuan::goals::v1::INDICATOR_LEVEL2_QUANTITY;
}

// A 效益 row that promises growth ("逐年提升") makes a lower quantity target
// worth a reviewer's question (E22).
bool PromisesGrowth(const Indicator& ind) {
  if (ind.level1() != yusuan::goals::v1::INDICATOR_LEVEL1_BENEFIT) return false;
  const IndicatorValue v = ParseIndicatorValue(ind.target());
  if (v.op != ValueOp::kQualitative) return false;
  for (std::string_view word : {"提升", "提高", "增长", "增加"}) {
    if (v.text.find(word) != std::string::npos) return true;
  }
  return false;
}

// A plain amount that can be added up: "20", "≥20", "20次".
std::optional<int64_t> PlainAmount(const IndicatorValue& v) {
  if (v.op == ValueOp::kEq || v.op == ValueOp::kGe) return v.number;
  return std::nullopt;
}

void CheckStandard(Reporter& r, const Indicator& ind, const std::string& path) {
  using namespace yusuan::goals::v1;
  const std::string field = absl::StrCat(path, ".standard");
  if (ind.standard() == PERFORMANCE_STANDARD_UNSPECIFIED) {
    r.Add("V-P4", field, "绩效标准未选择（历史标准、行业标准、计划标准或其他标准）",
          "the performance standard is not set (HISTORICAL, INDUSTRY, PLAN or OTHER)",
          "按指标值的依据选择绩效标准 / choose the standard the target value is based on");
    return;
  }
  if (!PerformanceStandard_IsValid(ind.standard())) {
    r.Add("V-P4", field, absl::StrCat("绩效标准取值 ", ind.standard(), " 无效"),
          absl::StrCat("unknown performance standard value ", ind.standard()),
          "请选择历史标准、行业标准、计划标准或其他标准 / use HISTORICAL, INDUSTRY, PLAN or OTHER");
    return;
  }
  if (ind.standard() != PERFORMANCE_STANDARD_OTHER) return;
  const std::string& note = ind.standard_note();
  if (note.empty() || note == "其他标准") return;
  const std::string note_field = absl::StrCat(path, ".standardNote");
  for (auto s : {PERFORMANCE_STANDARD_HISTORICAL, PERFORMANCE_STANDARD_INDUSTRY, PERFORMANCE_STANDARD_PLAN}) {
    if (note == StandardNameZh(s)) {
      r.Add("V-P4-NOTE", note_field, absl::StrCat("「", note, "」是四类绩效标准之一，却记为其他标准"),
            absl::StrCat("\"", note, "\" is one of the four standards but is filed as OTHER"),
            absl::StrCat("将绩效标准改为", note, " / set standard to ", PerformanceStandard_Name(s)));
      return;
    }
  }
  if (note == "本单位自统指标") {
    r.Add("V-P4-NOTE", note_field, "「本单位自统指标」是数据来源，不是绩效标准（应为历史、行业、计划或其他标准）",
          "本单位自统指标 is a data source, not a standard (HISTORICAL, INDUSTRY, PLAN or OTHER)",
          "按指标值的依据选择绩效标准，如以往年度实际值为依据则选历史标准 / choose the standard "
          "behind the value, e.g. HISTORICAL when it follows past years");
    return;
  }
  r.Add("V-P4-NOTE", note_field,
        absl::StrCat("「", Quote(note), "」不是四类绩效标准之一（历史、行业、计划、其他标准），按其他标准处理"),
        absl::StrCat("\"", Quote(note),
                     "\" is not one of the four standards (HISTORICAL, INDUSTRY, PLAN, OTHER); "
                     "treated as OTHER"),
        "确认该依据已经财政部门认可，或改选历史、行业、计划标准 / confirm the finance bureau "
        "recognises it, or choose HISTORICAL, INDUSTRY or PLAN");
}

void CheckValueText(Reporter& r, const std::string& field, const std::string& value, const std::string& what_zh,
                    const std::string& what_en) {
  const IndicatorValue v = ParseIndicatorValue(value);
  if (v.op != ValueOp::kInvalid) return;
  if (v.text.empty()) {
    r.Add("V-VALUE", field, absl::StrCat(what_zh, "为空"), absl::StrCat("the ", what_en, " is empty"),
          "填写数值（如 20、95%以上、≤10万元）或定性值（如 逐年提升）/ give a number (20, 95%以上, "
          "≤10万元) or a graded wording (逐年提升)");
    return;
  }
  r.Add("V-VALUE", field, absl::StrCat(what_zh, "「", v.text, "」不是可考核的值（应为数值、区间或定性等级）"),
        absl::StrCat("the ", what_en, " \"", v.text,
                     "\" is not a value (expected a number, a range or a graded wording)"),
        "填写可考核的值，如 4 次、95%以上、逐年提升 / write a value that can be checked, "
        "e.g. 4 次, 95%以上, 逐年提升");
}

// E20: a rate of completion, passing or coverage measures how much or how
// well, not how soon; under 时效指标 it is misplaced.
void CheckIndicatorPlacement(Reporter& r, const Indicator& ind, const std::string& path) {
  if (ind.level2() != yusuan::goals::v1::INDICATOR_LEVEL2_TIMELINESS) return;
  const std::string& name = ind.name();
  if (name.find("及时") != std::string::npos || name.find("按时") != std::string::npos) return;
  for (const char* rate : {"完成率", "合格率", "达标率", "覆盖率", "验收率"}) {
    if (name.find(rate) == std::string::npos) continue;
    r.Add("V-IND-PLACEMENT", absl::StrCat(path, ".level2"),
          absl::StrCat("「", Quote(name), "」衡量数量或质量，却列在时效指标下"),
          absl::StrCat("\"", Quote(name), "\" measures quantity or quality but is filed under TIMELINESS"),
          absl::StrCat("将「", rate,
                       "」类指标列为数量指标或质量指标；时效指标写完成时限或及时率 / file it under "
                       "QUANTITY or QUALITY; timeliness indicators state a deadline or an on-time rate"),
          {"数量指标或质量指标", "时效指标", ""});
    return;
  }
}

void CheckIndicator(Reporter& r, const Indicator& ind, const std::string& path, bool expect_history) {
  using namespace yusuan::goals::v1;
  if (ind.name().empty()) r.Required(absl::StrCat(path, ".name"), "指标名称", "the indicator name");

  const bool level1_known = IndicatorLevel1_IsValid(ind.level1());
  const bool level2_known = IndicatorLevel2_IsValid(ind.level2());
  if (ind.level1() == INDICATOR_LEVEL1_UNSPECIFIED) {
    r.Required(absl::StrCat(path, ".level1"), "一级指标", "level1 (一级指标)");
  } else if (!level1_known) {
    r.Add("V-IND-LEVEL", absl::StrCat(path, ".level1"), absl::StrCat("一级指标取值 ", ind.level1(), " 无效"),
          absl::StrCat("unknown level1 value ", ind.level1()),
          "一级指标为产出、效益、满意度或成本指标 / use OUTPUT, BENEFIT, SATISFACTION or COST");
  }
  if (ind.level2() == INDICATOR_LEVEL2_UNSPECIFIED) {
    r.Required(absl::StrCat(path, ".level2"), "二级指标", "level2 (二级指标)");
  } else if (!level2_known) {
    r.Add("V-IND-LEVEL", absl::StrCat(path, ".level2"), absl::StrCat("二级指标取值 ", ind.level2(), " 无效"),
          absl::StrCat("unknown level2 value ", ind.level2()),
          "按一级指标选择对应的二级指标 / choose a level2 of the indicator's level1");
  }
  if (level1_known && level2_known && ind.level1() != INDICATOR_LEVEL1_UNSPECIFIED &&
      ind.level2() != INDICATOR_LEVEL2_UNSPECIFIED && !Level2BelongsTo(ind.level1(), ind.level2())) {
    r.Add("V-IND-LEVEL", absl::StrCat(path, ".level2"),
          absl::StrCat("二级指标「", std::string(Level2NameZh(ind.level2())), "」不属于一级指标「",
                       std::string(Level1NameZh(ind.level1())), "」"),
          absl::StrCat(IndicatorLevel2_Name(ind.level2()), " does not belong to ", IndicatorLevel1_Name(ind.level1())),
          "产出：数量/质量/时效/成本；效益：经济/社会/生态效益、可持续影响；满意度：服务对象满意度；"
          "成本：经济/社会/生态环境成本 / OUTPUT: QUANTITY, QUALITY, TIMELINESS, OUTPUT_COST; "
          "BENEFIT: ECONOMIC/SOCIAL/ECOLOGICAL_BENEFIT, SUSTAINABLE_IMPACT; SATISFACTION: "
          "SERVICE_SATISFACTION; COST: ECONOMIC/SOCIAL/ECOLOGICAL_COST");
  } else if (level1_known && ind.level1() != INDICATOR_LEVEL1_UNSPECIFIED &&
             !Level1InFramework(r.framework(), ind.level1())) {
    const std::string framework(FrameworkName(r.framework()));
    r.Add("V-IND-FRAMEWORK", absl::StrCat(path, ".level1"),
          absl::StrCat("一级指标「", std::string(Level1NameZh(ind.level1())), "」不在本年度适用的", framework,
                       "指标体系中；可用：", AllowedLevel1Names(r.framework())),
          absl::StrCat(IndicatorLevel1_Name(ind.level1()), " is not a level1 of the ", framework,
                       " framework that applies to this budget year; allowed: ", AllowedLevel1Names(r.framework())),
          absl::StrCat("按", framework, "选择一级指标（", AllowedLevel1Names(r.framework()),
                       "） / choose a level1 of that framework"),
          {AllowedLevel1Names(r.framework()), std::string(Level1NameZh(ind.level1())), ""});
  } else if (level1_known && level2_known && ind.level2() != INDICATOR_LEVEL2_UNSPECIFIED &&
             !Level2InFramework(r.framework(), ind.level1(), ind.level2())) {
    const std::string framework(FrameworkName(r.framework()));
    const std::string allowed = AllowedLevel2Names(r.framework(), ind.level1());
    r.Add("V-IND-FRAMEWORK", absl::StrCat(path, ".level2"),
          absl::StrCat("二级指标「", std::string(Level2NameZh(ind.level2())), "」不在", framework, "的「",
                       std::string(Level1NameZh(ind.level1())), "」之下；可用：", allowed),
          absl::StrCat(IndicatorLevel2_Name(ind.level2()), " is not under ", IndicatorLevel1_Name(ind.level1()),
                       " in the ", framework, " framework that applies to this budget year; allowed: ", allowed),
          absl::StrCat("按", framework, "选择二级指标（", allowed,
                       "）；101号起成本指标为一级指标 / choose a level2 of that framework (from 101号 on, "
                       "cost is a level1 of its own)"),
          {allowed, std::string(Level2NameZh(ind.level2())), ""});
  }

  CheckStandard(r, ind, path);
  CheckIndicatorPlacement(r, ind, path);

  const std::string target_field = absl::StrCat(path, ".target");
  CheckValueText(r, target_field, ind.target(), "指标值", "target");
  const IndicatorValue target = ParseIndicatorValue(ind.target());
  if (ind.level1() == INDICATOR_LEVEL1_SATISFACTION && target.op != ValueOp::kInvalid &&
      !(IsNumeric(target) && target.unit == "%")) {
    r.Add("V-P3", target_field, absl::StrCat("满意度指标值「", target.text, "」不是百分比"),
          absl::StrCat("the satisfaction target \"", target.text, "\" is not a percentage"),
          "满意度以百分比表示，如 95%以上 / state satisfaction as a percentage, e.g. 95%以上",
          {"95%以上", target.text, ""});
  }

  if (!expect_history) return;
  if (ind.history_size() == 0) {
    r.Add("V-P5", absl::StrCat(path, ".history"), "近两年指标值未填写", "the values of the two prior years are missing",
          "填写近两年的实际值；没有的写「无」/ give both prior years' values; write 无 when there "
          "was none");
  }
  for (int h = 0; h < ind.history_size(); ++h) {
    const std::string field = absl::StrCat(path, ".history[", h, "].value");
    const auto& hv = ind.history(h);
    if (hv.value().empty()) {
      r.Add("V-P5", field, absl::StrCat(hv.year(), "年指标值为空"),
            absl::StrCat("the value for ", hv.year(), " is empty"),
            "填写该年实际值；没有的写「无」/ give the year's value; write 无 when there was none");
    } else {
      CheckValueText(r, field, hv.value(), absl::StrCat(hv.year(), "年指标值"), absl::StrCat(hv.year(), " value"));
    }
  }
}

void CheckOutputAndOutcome(Reporter& r, const google::protobuf::RepeatedPtrField<Indicator>& inds,
                           const std::string& field) {
  bool output = false, outcome = false;
  for (const auto& ind : inds) {
    if (ind.level1() == yusuan::goals::v1::INDICATOR_LEVEL1_OUTPUT) output = true;
    if (ind.level1() == yusuan::goals::v1::INDICATOR_LEVEL1_BENEFIT ||
        ind.level1() == yusuan::goals::v1::INDICATOR_LEVEL1_SATISFACTION) {
      outcome = true;
    }
  }
  if (output && outcome) return;
  std::vector<std::string> missing_zh, missing_en;
  if (!output) {
    missing_zh.push_back("产出指标");
    missing_en.push_back("an OUTPUT indicator");
  }
  if (!outcome) {
    missing_zh.push_back("效益或满意度指标");
    missing_en.push_back("a BENEFIT or SATISFACTION indicator");
  }
  r.Add("V-P1", field, absl::StrCat("缺少", absl::StrJoin(missing_zh, "和")),
        absl::StrCat("has no ", absl::StrJoin(missing_en, " and no ")),
        "每个目标至少设一个产出指标和一个效益或满意度指标 / give every goal at least one "
        "OUTPUT and one BENEFIT or SATISFACTION indicator");
}

// V-P2: "…活动 20 次" against the 数量 targets. Targets in another unit
// measure something else and are left out; a target that is not a plain
// amount, or a sum too large for int64, makes the sum meaningless, so the
// check is skipped.
void CheckGoalQuantity(Reporter& r, const AnnualGoal& goal, const std::string& path) {
  const std::optional<IndicatorValue> stated = QuantityInGoalText(goal.text());
  if (!stated.has_value()) return;
  int64_t sum = 0;
  std::vector<std::string> terms;
  for (const auto& ind : goal.indicators()) {
    if (!IsQuantity(ind)) continue;
    const IndicatorValue t = ParseIndicatorValue(ind.target());
    const std::string& unit = t.unit.empty() ? ind.unit() : t.unit;
    if (!unit.empty() && unit != stated->unit) continue;
    const std::optional<int64_t> amount = PlainAmount(t);
    if (!amount.has_value()) return;
    if (__builtin_add_overflow(sum, *amount, &sum)) return;
    terms.push_back(FormatHundredths(*amount));
  }
  if (terms.empty()) return;
  const bool ok =
      stated->op == ValueOp::kBetween ? (sum >= stated->number && sum <= stated->high) : sum == stated->number;
  if (ok) return;
  const std::string actual = FormatHundredths(sum);
  const std::string breakdown = terms.size() > 1 ? absl::StrCat(absl::StrJoin(terms, " + "), " = ", actual) : actual;
  const std::string difference = stated->op == ValueOp::kBetween ? "" : FormatHundredths(sum - stated->number);
  r.Add("V-P2", absl::StrCat(path, ".text"),
        absl::StrCat("目标内容写「", stated->text, "」，数量指标的预期值合计为 ", breakdown),
        absl::StrCat("the goal text says \"", stated->text, "\" but its QUANTITY targets add up to ", breakdown),
        "使目标内容中的数量与数量指标合计一致，或写成区间（如 20-22 次）/ make the number in "
        "the text equal the sum of the quantity targets, or state a range",
        {stated->text, actual, difference});
}

// E3: a goal text that states a range ("1-2 个") over indicators that give
// single values cannot be assessed: at year end, is 1 a success?
void CheckGoalRange(Reporter& r, const AnnualGoal& goal, const std::string& path) {
  const std::optional<IndicatorValue> stated = QuantityInGoalText(goal.text());
  if (!stated.has_value() || stated->op != ValueOp::kBetween) return;
  std::vector<std::string> singles;
  for (const auto& ind : goal.indicators()) {
    if (!IsQuantity(ind)) continue;
    const IndicatorValue t = ParseIndicatorValue(ind.target());
    if (t.op != ValueOp::kEq) return;  // the indicators themselves give a bound or a range
    singles.push_back(FormatIndicatorValue(t));
  }
  if (singles.empty()) return;
  const std::string targets = absl::StrJoin(singles, "、");
  r.Add("V-GOAL-RANGE", absl::StrCat(path, ".text"),
        absl::StrCat("目标内容写区间「", stated->text, "」，数量指标却为单一值 ", targets, "：年末无法判断是否完成"),
        absl::StrCat("the goal text states the range \"", stated->text,
                     "\" while its quantity targets are single values (", targets,
                     "); which outcome counts as achieved cannot be checked"),
        absl::StrCat("写成可考核的值：与指标一致（", targets, "），或写成下限（如「≥", FormatHundredths(stated->number),
                     stated->unit, "」）/ state a checkable value: the indicators' value, or a lower bound"),
        {targets, stated->text, ""});
}

// E22: a quantity target below both prior years while a 效益 row promises
// growth.
void CheckTargetsAgainstHistory(Reporter& r, const AnnualGoal& goal, const std::string& path) {
  bool promises = false;
  for (const auto& ind : goal.indicators()) promises = promises || PromisesGrowth(ind);
  if (!promises) return;
  for (int k = 0; k < goal.indicators_size(); ++k) {
    const Indicator& ind = goal.indicators(k);
    if (!IsQuantity(ind)) continue;
    const std::optional<int64_t> target = PlainAmount(ParseIndicatorValue(ind.target()));
    if (!target.has_value()) continue;
    std::vector<int64_t> past;
    for (const auto& hv : ind.history()) {
      const std::optional<int64_t> a = PlainAmount(ParseIndicatorValue(hv.value()));
      if (a.has_value()) past.push_back(*a);
    }
    if (past.size() < 2) continue;
    int64_t lowest = past[0];
    bool below_all = true;
    for (int64_t p : past) {
      lowest = std::min(lowest, p);
      below_all = below_all && *target < p;
    }
    if (!below_all) continue;
    std::vector<std::string> shown;
    for (int64_t p : past) shown.push_back(FormatHundredths(p));
    const std::string hist = absl::StrJoin(shown, " / ");
    r.Add(
        "V-TREND", absl::StrCat(path, ".indicators[", k, "].target"),
        absl::StrCat("「", Quote(ind.name()), "」预期值 ", FormatHundredths(*target), " 低于近两年（", hist,
                     "），而效益指标承诺逐年提升"),
        absl::StrCat("the target of \"", Quote(ind.name()), "\" (", FormatHundredths(*target),
                     ") is below both prior years (", hist, ") while a BENEFIT indicator promises growth"),
        "目标值低于历史水平，需说明理由或调整目标 / explain why the target is below past "
        "years, or raise it",
        {absl::StrCat("≥ ", FormatHundredths(lowest)), FormatHundredths(*target), FormatHundredths(*target - lowest)});
  }
}

void CheckDepartment(Reporter& r, const DepartmentGoalSheet& d) {
  const std::string root = "goals.department";
  if (d.filed_date().empty()) {
    r.Recommended(root + ".filedDate", "填报日期", "the filing date");
  } else {
    CheckDate(r, root + ".filedDate", d.filed_date(), "填报日期", "the filing date");
  }
  if (d.functions_summary().empty()) {
    r.Recommended(root + ".functionsSummary", "部门职能概述", "the functions summary");
  }
  if (d.annual_tasks().empty()) {
    r.Recommended(root + ".annualTasks", "年度工作任务", "the annual tasks");
  }
  if (d.long_term_goal().empty()) {
    r.Recommended(root + ".longTermGoal", "长期目标", "the long-term goal");
  }
  if (d.long_term_indicators().empty()) {
    r.Recommended(root + ".longTermIndicators", "长期绩效指标", "the long-term indicators");
  }
  for (int k = 0; k < d.long_term_indicators_size(); ++k) {
    CheckIndicator(r, d.long_term_indicators(k), absl::StrCat(root, ".longTermIndicators[", k, "]"),
                   /*expect_history=*/false);
  }

  if (d.annual_goals().empty()) {
    r.Required(root + ".annualGoals", "年度目标（至少一个）", "at least one annual goal");
  }
  for (int i = 0; i < d.annual_goals_size(); ++i) {
    const AnnualGoal& goal = d.annual_goals(i);
    const std::string path = absl::StrCat(root, ".annualGoals[", i, "]");
    if (goal.text().empty()) r.Required(path + ".text", "目标内容", "the goal text");
    if (goal.seq() != i + 1) {
      r.Add("V-GOAL-SEQ", path + ".seq", absl::StrCat("序号为 ", goal.seq(), "，按顺序应为 ", i + 1),
            absl::StrCat("seq is ", goal.seq(), " but the goal is number ", i + 1),
            "目标按 1、2、3… 顺序编号 / number the goals 1, 2, 3, … in order",
            {absl::StrCat(i + 1), absl::StrCat(goal.seq()), ""});
    }
    for (int k = 0; k < goal.indicators_size(); ++k) {
      CheckIndicator(r, goal.indicators(k), absl::StrCat(path, ".indicators[", k, "]"),
                     /*expect_history=*/true);
    }
    CheckOutputAndOutcome(r, goal.indicators(), path + ".indicators");
    CheckGoalQuantity(r, goal, path);
    CheckGoalRange(r, goal, path);
    CheckTargetsAgainstHistory(r, goal, path);
  }
}

void CheckProjectSheets(Reporter& r, const GoalSet& goals) {
  std::map<std::string, int> first_sheet;
  for (int j = 0; j < goals.projects_size(); ++j) {
    const ProjectGoalSheet& p = goals.projects(j);
    const std::string path = absl::StrCat("goals.projects[", j, "]");
    if (p.project_id().empty()) {
      r.Required(path + ".projectId", "项目编号", "projectId");
    } else if (auto [it, inserted] = first_sheet.emplace(p.project_id(), j); !inserted) {
      r.Add("V-PROJECT-DUPLICATE", path + ".projectId",
            absl::StrCat("项目「", Quote(p.project_id()), "」已有申报表 goals.projects[", it->second, "]"),
            absl::StrCat("project \"", Quote(p.project_id()), "\" already has a sheet at goals.projects[", it->second,
                         "]"),
            "每个项目只填一张项目支出绩效目标申报表 / file one goal sheet per project");
    }
    if (p.annual_goal().empty()) r.Required(path + ".annualGoal", "年度目标", "the annual goal");
    if (p.medium_term_goal().empty()) {
      r.Recommended(path + ".mediumTermGoal", "中期目标", "the medium-term goal");
    }
    CheckDate(r, path + ".compiledDate", p.compiled_date(), "编报时间", "the compiled date");
    for (int k = 0; k < p.medium_term_indicators_size(); ++k) {
      CheckIndicator(r, p.medium_term_indicators(k), absl::StrCat(path, ".mediumTermIndicators[", k, "]"), false);
    }
    for (int k = 0; k < p.annual_indicators_size(); ++k) {
      CheckIndicator(r, p.annual_indicators(k), absl::StrCat(path, ".annualIndicators[", k, "]"), false);
    }
    CheckOutputAndOutcome(r, p.annual_indicators(), path + ".annualIndicators");
  }
}

}  // namespace

ValidationReport ValidateGoalSet(const GoalSet& goals) {
  ValidationReport report;
  Reporter r(&report, FrameworkForYear(goals.fiscal_year()));

  const TextProblems text = FindTextProblemsInMessage(goals, IsMultilineText);
  for (const std::string& path : text.invalid_utf8) {
    const std::string field = absl::StrCat("goals.", path);
    r.Add("V-UTF8", field, "文本不是有效的 UTF-8 编码", "the text is not valid UTF-8",
          "以 UTF-8 编码重新保存或重新输入该文本 / re-enter the text or save it as UTF-8");
  }

  for (const ControlCharacterField& found : text.control_characters) {
    r.ControlCharacterInText("goals.", found);
  }

  // The funds of 表9 and 表10 are compared with the ledger's sums, which
  // must not overflow: no amount is negative and together they stay below
  // the bound the ledger keeps (a PUT of the goals alone meets no ledger).
  int64_t total = 0;
  bool over = false;
  ForEachAmountField(goals, "goals", [&](const FieldPath& path, int64_t fen) {
    if (fen < 0) {
      r.Add("V-AMOUNT-RANGE", path.ToString(), absl::StrCat("金额不能为负（", fen, " 分）"),
            absl::StrCat("an amount cannot be negative (", fen, " 分)"), "填写 0 或正数 / enter zero or more");
    } else if (!over && fen >= kMaxAbsoluteTotalFen - total) {
      over = true;
      r.Add("V-AMOUNT-RANGE", path.ToString(),
            absl::StrCat("金额过大（", fen, " 分）：绩效目标的金额合计须小于 2^62 分"),
            absl::StrCat("the amount is too large (", fen, " 分): the goals' amounts must add up to less than 2^62 分"),
            "金额以分为单位（1 元 = 100 分），请核对单位 / amounts are in 分 (1 元 = 100 分): check the units");
    } else if (!over) {
      total += fen;
    }
  });

  if (goals.fiscal_year() == 0) r.Required("goals.fiscalYear", "预算年度", "fiscalYear");
  if (!goals.has_department()) {
    r.Required("goals.department", "部门整体支出绩效目标申报表（表9）", "the department goal sheet (表9)");
  } else {
    CheckDepartment(r, goals.department());
  }
  CheckProjectSheets(r, goals);

  Tally(report);
  StampRuleSet(report);
  return report;
}

}  // namespace yusuan::goals
