#include "services/common/money.h"

#include <algorithm>
#include <cstdlib>
#include <numeric>

#include "absl/strings/str_format.h"

namespace yusuan {
namespace {

// Divides with half-up rounding away from zero. divisor > 0.
int64_t DivideRoundHalfUp(__int128 value, __int128 divisor) {
  const bool negative = value < 0;
  const __int128 magnitude = negative ? -value : value;
  const __int128 quotient = (magnitude + divisor / 2) / divisor;
  return static_cast<int64_t>(negative ? -quotient : quotient);
}

std::string FormatHundredths(int64_t hundredths) {
  const bool negative = hundredths < 0;
  const uint64_t magnitude = negative ? -static_cast<uint64_t>(hundredths) : static_cast<uint64_t>(hundredths);
  return absl::StrFormat("%s%d.%02d", negative ? "-" : "", magnitude / 100, magnitude % 100);
}

}  // namespace

int64_t FenToWanYuanCents(int64_t fen) { return DivideRoundHalfUp(fen, kFenPerWanYuanCent); }

std::string FormatWanYuan(int64_t fen) { return FormatHundredths(FenToWanYuanCents(fen)); }

std::string FormatYuan(int64_t fen) { return FormatHundredths(fen); }

std::string FormatPercent(int64_t numerator, int64_t denominator) {
  __int128 n = numerator;
  __int128 d = denominator;
  if (d < 0) {
    n = -n;
    d = -d;
  }
  return FormatHundredths(DivideRoundHalfUp(n * 10000, d));
}

std::vector<int64_t> LargestRemainderShares(const std::vector<int64_t>& parts) {
  std::vector<int64_t> shares(parts.size(), 0);
  __int128 whole = 0;
  for (int64_t p : parts) whole += p;
  if (whole <= 0) return shares;
  std::vector<__int128> remainders(parts.size());
  int64_t assigned = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    const __int128 scaled = static_cast<__int128>(parts[i]) * 10000;
    shares[i] = static_cast<int64_t>(scaled / whole);
    remainders[i] = scaled % whole;
    assigned += shares[i];
  }
  std::vector<size_t> order(parts.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return remainders[a] > remainders[b]; });
  for (size_t k = 0; assigned < 10000 && k < order.size(); ++k) {
    if (remainders[order[k]] == 0) break;
    ++shares[order[k]];
    ++assigned;
  }
  return shares;
}

std::string FormatBasisPoints(int64_t hundredths_of_percent) { return FormatHundredths(hundredths_of_percent); }

YearOnYear CompareYearOnYear(int64_t current_fen, int64_t prior_fen) {
  const int64_t current = FenToWanYuanCents(current_fen);
  const int64_t prior = FenToWanYuanCents(prior_fen);
  const int64_t delta = current - prior;
  YearOnYear result;
  result.delta_wan_cents = std::llabs(delta);
  result.delta_text = FormatHundredths(result.delta_wan_cents);
  if (delta == 0) {
    result.direction = YearOnYear::Direction::kFlat;
  } else if (prior == 0) {
    result.direction = YearOnYear::Direction::kNew;
  } else {
    result.direction = delta > 0 ? YearOnYear::Direction::kIncrease : YearOnYear::Direction::kDecrease;
    result.rate_text = FormatPercent(std::llabs(delta), std::llabs(prior));
  }
  return result;
}

}  // namespace yusuan
