#include "services/gateway/workbook/amount.h"

#include <algorithm>
#include <limits>

namespace yusuan::workbook {
namespace {

using Error = ParsedNumber::Error;

// 10^-18 分 is the resolution the digits past the unit are compared at.
constexpr uint64_t kFractionScale = 1'000'000'000'000'000'000ull;
// 10^-6 分 (or 10^-6 of a whole number) in that resolution.
constexpr uint64_t kAbsoluteTolerance = 1'000'000'000'000ull;

std::string_view TrimSpaces(std::string_view text) {
  auto strip_front = [&](std::string_view space) {
    if (text.substr(0, space.size()) == space) {
      text.remove_prefix(space.size());
      return true;
    }
    return false;
  };
  auto strip_back = [&](std::string_view space) {
    if (text.size() >= space.size() && text.substr(text.size() - space.size()) == space) {
      text.remove_suffix(space.size());
      return true;
    }
    return false;
  };
  for (bool more = true; more;) {
    more = strip_front(" ") || strip_front("\t") || strip_front("\n") || strip_front("\r") || strip_front("\u3000") ||
           strip_front("\u00a0");
  }
  for (bool more = true; more;) {
    more = strip_back(" ") || strip_back("\t") || strip_back("\n") || strip_back("\r") || strip_back("\u3000") ||
           strip_back("\u00a0");
  }
  return text;
}

// `text` × 10^scale as an integer, with `max_abs` as the bound.
ParsedNumber ParseDecimal(std::string_view text, int scale, int64_t max_abs) {
  text = TrimSpaces(text);
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  std::string digits;  // every mantissa digit, point removed
  int fraction_digits = 0;
  bool seen_point = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      if (seen_point) ++fraction_digits;
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else if (c == ',' && !seen_point && !digits.empty()) {
      continue;  // thousands separator as typed: "1,234.56"
    } else {
      break;
    }
  }
  if (digits.empty()) return {Error::kNotANumber, 0};
  int64_t exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exponent_negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) exponent_negative = text[i++] == '-';
    const size_t start = i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      exponent = std::min<int64_t>(exponent * 10 + (text[i] - '0'), 100'000);
    }
    if (i == start) return {Error::kNotANumber, 0};
    if (exponent_negative) exponent = -exponent;
  }
  if (i != text.size()) return {Error::kNotANumber, 0};

  digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size()));
  if (digits.empty()) return {Error::kNone, 0};
  // value = digits × 10^shift in the target unit.
  const int64_t shift = exponent - fraction_digits + scale;
  std::string whole = digits;
  std::string fraction;
  if (shift >= 0) {
    if (static_cast<int64_t>(digits.size()) + shift > 19) return {Error::kOutOfRange, 0};
    whole.append(static_cast<size_t>(shift), '0');
  } else {
    const auto k = static_cast<size_t>(-shift);
    if (digits.size() <= k) {
      whole.clear();
      fraction = std::string(k - digits.size(), '0') + digits;
    } else {
      whole = digits.substr(0, digits.size() - k);
      fraction = digits.substr(digits.size() - k);
    }
    if (whole.size() > 19) return {Error::kOutOfRange, 0};
  }
  __int128 value = 0;
  for (char c : whole) value = value * 10 + (c - '0');
  if (!fraction.empty() && fraction.find_first_not_of('0') != std::string::npos) {
    uint64_t part = 0;  // the fraction in 10^-18 units, truncated
    for (size_t k = 0; k < 18; ++k)
      part = part * 10 + static_cast<uint64_t>(k < fraction.size() ? fraction[k] - '0' : 0);
    const uint64_t distance = std::min(part, kFractionScale - part);
    // A double carries about 16 significant digits, so a large amount's
    // artefacts sit further from the whole 分 than a small one's.
    const __int128 relative = value * 1000;
    const __int128 tolerance = std::max<__int128>(kAbsoluteTolerance, relative);
    if (static_cast<__int128>(distance) > tolerance) return {Error::kTooManyDecimals, 0};
    if (part >= kFractionScale / 2) value += 1;
  }
  if (value > max_abs) return {Error::kOutOfRange, 0};
  const auto result = static_cast<int64_t>(value);
  return {Error::kNone, negative ? -result : result};
}

}  // namespace

ParsedNumber ParseAmountFen(std::string_view text, AmountUnit unit) {
  return ParseDecimal(text, unit == AmountUnit::kYuan ? 2 : 6, kMaxAmountFen);
}

ParsedNumber ParseWholeNumber(std::string_view text) {
  ParsedNumber n = ParseDecimal(text, 0, std::numeric_limits<int32_t>::max());
  if (n.error == Error::kNone && n.value < std::numeric_limits<int32_t>::min()) n.error = Error::kOutOfRange;
  return n;
}

double AmountInUnit(int64_t fen, AmountUnit unit) {
  // |fen| ≤ 10^15 < 2^53 is exact as a double, so one correctly rounded
  // division gives the double nearest to the amount.
  return static_cast<double>(fen) / (unit == AmountUnit::kYuan ? 100.0 : 1'000'000.0);
}

const char* UnitName(AmountUnit unit) { return unit == AmountUnit::kYuan ? "元" : "万元"; }

int UnitDecimals(AmountUnit unit) { return unit == AmountUnit::kYuan ? 2 : 6; }

}  // namespace yusuan::workbook
