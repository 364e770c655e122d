// The 指标值 grammar of the goals domain (services/goals/domain/
// indicator.h): ParseIndicatorValue and its inverse FormatIndicatorValue,
// and QuantityInGoalText, which reads "…活动 20 次" out of a goal's text.
// Input: one cell, or one goal text; both are read from it.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "services/common/utf8.h"
#include "services/goals/domain/indicator.h"
#include "tests/fuzz/fuzz_check.h"

namespace yusuan::goals {
namespace {

std::string Describe(const IndicatorValue& v) {
  return fuzz::Context(ValueOpName(v.op), " ", v.number, "..", v.high, " unit=\"", v.unit, "\" text=\"", v.text, "\"");
}

bool SameValue(const IndicatorValue& a, const IndicatorValue& b) {
  if (a.op != b.op || a.unit != b.unit) return false;
  if (!IsNumeric(a)) return a.text == b.text;
  return a.number == b.number && (a.op != ValueOp::kBetween || a.high == b.high);
}

// What a parsed value may hold, whatever the cell.
void CheckShape(const IndicatorValue& v, std::string_view cell) {
  FUZZ_CHECK(IsValidUtf8(v.text) && IsValidUtf8(v.unit), cell, " → ", Describe(v));
  if (!IsNumeric(v)) return;
  FUZZ_CHECK(v.number >= 0, cell, " → ", Describe(v));
  if (v.op == ValueOp::kBetween) FUZZ_CHECK(v.high >= v.number, cell, " → ", Describe(v));
}

// indicator.h: ParseIndicatorValue(FormatIndicatorValue(v)) has the op,
// numbers and unit of v for every value, and a written cell is written
// back unchanged.
void CheckCell(std::string_view cell) {
  const IndicatorValue value = ParseIndicatorValue(cell);
  CheckShape(value, cell);
  const std::string written = FormatIndicatorValue(value);
  const IndicatorValue reread = ParseIndicatorValue(written);
  FUZZ_CHECK(SameValue(value, reread), cell, " → ", Describe(value), " → \"", written, "\" → ", Describe(reread));
  FUZZ_CHECK(FormatIndicatorValue(reread) == written, cell, " → \"", written, "\" → \"", FormatIndicatorValue(reread),
             "\"");

  // The same value built in code (no spellings) in its canonical form.
  IndicatorValue canonical;
  canonical.op = value.op;
  canonical.number = value.number;
  canonical.high = value.high;
  canonical.unit = value.unit;
  canonical.text = value.text;
  const IndicatorValue from_canonical = ParseIndicatorValue(FormatIndicatorValue(canonical));
  FUZZ_CHECK(SameValue(value, from_canonical), cell, " → \"", FormatIndicatorValue(canonical), "\" → ",
             Describe(from_canonical));
}

// The quantity of a goal text is a number (or range) and a measure word
// that the text holds, and it reads back as the value it is. A range
// written high to low ("5-2 个") is returned as written, for the goal
// rules to report; ParseIndicatorValue calls such a cell no value.
void CheckGoalText(std::string_view text) {
  const std::optional<IndicatorValue> quantity = QuantityInGoalText(text);
  if (!quantity.has_value()) return;
  FUZZ_CHECK(quantity->op == ValueOp::kEq || quantity->op == ValueOp::kBetween, text, " → ", Describe(*quantity));
  FUZZ_CHECK(IsValidUtf8(quantity->text) && quantity->number >= 0 && quantity->high >= 0, text, " → ",
             Describe(*quantity));
  FUZZ_CHECK(!quantity->unit.empty() && quantity->text.ends_with(quantity->unit), text, " → ", Describe(*quantity));
  if (quantity->op == ValueOp::kBetween && quantity->high < quantity->number) return;
  const IndicatorValue reread = ParseIndicatorValue(FormatIndicatorValue(*quantity));
  FUZZ_CHECK(SameValue(*quantity, reread), text, " → ", Describe(*quantity), " → ", Describe(reread));
}

}  // namespace
}  // namespace yusuan::goals

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  yusuan::goals::CheckCell(input);
  yusuan::goals::CheckGoalText(input);
  return 0;
}
