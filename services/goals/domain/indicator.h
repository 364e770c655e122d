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
  kQualitative,    // "逐年提升", "较大", "2021年全年"
  kNotApplicable,  // "无", "/", "-"
  kInvalid,        // "每年设定相关绩效目标", "" — not a value at all
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
};

// Parses one 指标值 cell. Never fails: what is not a value is kInvalid.
IndicatorValue ParseIndicatorValue(std::string_view text);

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

// True when `level2` is one of the 二级指标 of `level1` (§4.4): 数量/质量/时效/
// 成本 under 产出, 经济/社会/生态效益 and 可持续影响 under 效益, 服务对象满意度
// under 满意度, 经济/社会/生态环境成本 under 成本 (财预〔2021〕101号).
bool Level2BelongsTo(yusuan::goals::v1::IndicatorLevel1 level1,
                     yusuan::goals::v1::IndicatorLevel2 level2);

// Printed names: "产出指标", "数量指标", "历史标准"; "" for UNSPECIFIED/unknown.
std::string_view Level1NameZh(yusuan::goals::v1::IndicatorLevel1 level1);
std::string_view Level2NameZh(yusuan::goals::v1::IndicatorLevel2 level2);
std::string_view StandardNameZh(yusuan::goals::v1::PerformanceStandard standard);

}  // namespace yusuan::goals

#endif  // YUSUAN_SERVICES_GOALS_DOMAIN_INDICATOR_H_
