// Indicator values as written in 指标值 cells (domain.md §4.6), parsed into a
// comparable form, plus the indicator hierarchy (§4.4).
//
// Numbers are integer hundredths so that "95%", "0.5" and "1125万元" compare
// exactly; a value with more than two decimals is rounded half-up.
#ifndef YUSUAN_SERVICES_GOALS_DOMAIN_INDICATOR_H_
#define YUSUAN_SERVICES_GOALS_DOMAIN_INDICATOR_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "yusuan/goals/v1/goals.pb.h"

namespace yusuan::goals {

enum class ValueOp {
  kEq,             // "20", "100%", "=100%", "2家"
  kGe,             // "95%以上", "≥95%", "不低于90%"
  kLe,             // "≤1125万元", "10%以下", "不超过3天"
  kGt,             // ">92%", "超过90%"
  kLt,             // "<5%", "低于5%"
  kBetween,        // "1-2 个", "3～4个"
  kQualitative,    // "逐年提升", "较大", "2021年全年", "年底前", "每季度首月底前"
  kNotApplicable,  // "无", "/", "-"
  kInvalid,        // "每年设定相关绩效目标", "开展活动若干", "≥", "4-2 个", "" — not a value
};

struct IndicatorValue {
  ValueOp op = ValueOp::kInvalid;
  // Hundredths: 95% → 9500. For kBetween the low end.
  int64_t number = 0;
  // Hundredths, kBetween only: the high end.
  int64_t high = 0;
  // "%", "次", "万元"; empty when the cell has a bare number.
  std::string unit;
  // The cell with surrounding blanks removed (the wording of qualitative values).
  std::string text;

  // How the cell spelled a numeric value, so that FormatIndicatorValue writes
  // it back the same way ("95%以上" stays "95%以上", not "≥95%"). Empty or
  // false: the canonical spelling (≥ ≤ > < before the number, "-" between).
  std::string op_spelling;         // "≥", "不低于", "以上", "及以下", "=" …
  bool op_after_number = false;    // 以上/以下/以内 follow the unit
  std::string range_separator;     // "-", "～", "至" …
  bool blank_before_unit = false;  // "1-2 个"
};

// Parses one 指标值 cell. Never fails: what is not a value is kInvalid.
IndicatorValue ParseIndicatorValue(std::string_view text);

// The cell text of `value`: the inverse of ParseIndicatorValue. For a parsed
// value it gives the cell back as written, except that digits are written
// in ASCII and in their shortest form ("９５.0％" → "95%"), blanks are dropped
// except one before a unit, and a unit written on both ends of a range is
// written once ("1个-2个" → "1-2个"). For a value built in code (no
// spellings) it writes the canonical form: "≥95%", "≤1125万元", "20次",
// "1-2个"; qualitative and invalid values write their text, not-applicable
// "无" when it has none. ParseIndicatorValue(FormatIndicatorValue(v)) has
// the op, numbers and unit of v for every value.
std::string FormatIndicatorValue(const IndicatorValue& value);

// kEq … kBetween.
bool IsNumeric(const IndicatorValue& value);

// "eq", "ge", … for messages and tests.
std::string_view ValueOpName(ValueOp op);

// 2200 → "22", 150 → "1.5", 9505 → "95.05".
std::string FormatHundredths(int64_t hundredths);

// The last "number [- number] measure-word" in a goal text ("…活动 20 次",
// "…基地 1-2 个"), as kEq or kBetween with the measure word as unit.
// "5.30 科技工作者日" is not a quantity: 科 is not a measure word.
std::optional<IndicatorValue> QuantityInGoalText(std::string_view text);

// True when `level2` is one of the 二级指标 of `level1` in either framework
// (§4.4): 数量/质量/时效/成本 under 产出, 经济/社会/生态效益 and 可持续影响
// under 效益, 服务对象满意度 under 满意度, 经济/社会/生态环境成本 under 成本.
bool Level2BelongsTo(yusuan::goals::v1::IndicatorLevel1 level1, yusuan::goals::v1::IndicatorLevel2 level2);

// The indicator trees of domain.md §4.1/§4.4.
enum class IndicatorFramework {
  // 财预〔2015〕88号: 产出 (数量, 质量, 时效, 成本), 效益 (经济, 社会, 生态,
  // 可持续影响), 满意度 (服务对象满意度).
  k2015,
  // 财预〔2021〕101号: 成本 becomes a 一级指标 (经济, 社会, 生态环境成本) and
  // leaves 产出 (数量, 质量, 时效); 效益 and 满意度 as before.
  k2021,
};

// The framework of a budget year: 101号 was issued in August 2021 and is
// applied to budgets from 2022 (domain.md §4.1), so 2021 and earlier use 88号.
IndicatorFramework FrameworkForYear(int fiscal_year);

// "财预〔2015〕88号" / "财预〔2021〕101号".
std::string_view FrameworkName(IndicatorFramework framework);

bool Level1InFramework(IndicatorFramework framework, yusuan::goals::v1::IndicatorLevel1 level1);
bool Level2InFramework(IndicatorFramework framework, yusuan::goals::v1::IndicatorLevel1 level1,
                       yusuan::goals::v1::IndicatorLevel2 level2);

// The allowed values as a finding names them: "产出指标、效益指标、满意度指标"
// and, for one 一级指标, "数量指标、质量指标、时效指标、成本指标".
std::string AllowedLevel1Names(IndicatorFramework framework);
std::string AllowedLevel2Names(IndicatorFramework framework, yusuan::goals::v1::IndicatorLevel1 level1);

// Printed names: "产出指标", "数量指标", "历史标准"; "" for UNSPECIFIED/unknown.
std::string_view Level1NameZh(yusuan::goals::v1::IndicatorLevel1 level1);
std::string_view Level2NameZh(yusuan::goals::v1::IndicatorLevel2 level2);
std::string_view StandardNameZh(yusuan::goals::v1::PerformanceStandard standard);

}  // namespace yusuan::goals

#endif  // YUSUAN_SERVICES_GOALS_DOMAIN_INDICATOR_H_
