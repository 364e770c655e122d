// Amount and whole-number cells as exact decimals (internal to workbook/).
// A spreadsheet stores numbers as binary doubles and writes them back in
// decimal, sometimes with the double's artefacts ("1234.5600000000001"), so
// the text is parsed digit by digit into 分 and the artefacts are told apart
// from a real third decimal by how far they are from a whole 分.
#ifndef YUSUAN_SERVICES_GATEWAY_WORKBOOK_AMOUNT_H_
#define YUSUAN_SERVICES_GATEWAY_WORKBOOK_AMOUNT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "services/gateway/workbook/filing_workbook.h"

namespace yusuan::workbook {

// |amount| ≤ 10^15 分 (10 万亿元): far above any department's budget, and
// well inside the 15–16 significant digits a spreadsheet keeps.
inline constexpr int64_t kMaxAmountFen = 1'000'000'000'000'000;

struct ParsedNumber {
  enum class Error {
    kNone,
    kNotANumber,       // text that is not a decimal number
    kTooManyDecimals,  // more than the unit allows (0.005 元)
    kOutOfRange,       // beyond ±10^15 分 (or int32 for whole numbers)
  };
  Error error = Error::kNone;
  int64_t value = 0;
};

// A decimal number ("1234.56", "-0.5", "1.2345E+3", "1,234.56", full-width
// spaces around it) in `unit` as 分. Digits past the unit's precision (元:
// 2 decimals, 万元: 6) are accepted only as a double's artefact: when they
// put the value within 10^-6 分 of a whole 分 (or, for large amounts,
// within 10^-15 of the amount, a few units in the last place of a double),
// and the value is then rounded to that 分.
ParsedNumber ParseAmountFen(std::string_view text, AmountUnit unit);

// A whole number of a count or year cell ("2021", "2021.0", "2.021E3"),
// within int32; artefacts within 10^-6 of a whole number are accepted.
ParsedNumber ParseWholeNumber(std::string_view text);

// The amount in `unit` as the nearest double, for a numeric cell.
double AmountInUnit(int64_t fen, AmountUnit unit);

// "元" / "万元", and how many decimals the unit allows.
const char* UnitName(AmountUnit unit);
int UnitDecimals(AmountUnit unit);

}  // namespace yusuan::workbook

#endif  // YUSUAN_SERVICES_GATEWAY_WORKBOOK_AMOUNT_H_
