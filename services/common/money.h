// Money display rules (architecture.md "Money, rounding, text"; domain.md §5.1).
// Amounts are int64 分 everywhere; these functions are the only place that
// turns them into text. Rounding is half-up (away from zero for negatives).
#ifndef YUSUAN_SERVICES_COMMON_MONEY_H_
#define YUSUAN_SERVICES_COMMON_MONEY_H_

#include <cstdint>
#include <string>
#include <vector>

namespace yusuan {

inline constexpr int64_t kFenPerYuan = 100;
inline constexpr int64_t kFenPerWanYuan = 1'000'000;
// One displayed unit of 万元 with 2 decimals (0.01 万元 = 100 元).
inline constexpr int64_t kFenPerWanYuanCent = 10'000;

// Rounds 分 to hundredths of 万元, half-up: 4155100 00 分 → 41551.
int64_t FenToWanYuanCents(int64_t fen);

// "415.51" — 万元 with exactly two decimals, no thousands separator.
std::string FormatWanYuan(int64_t fen);

// "208000.00" — 元 with exactly two decimals (project forms, 表10).
std::string FormatYuan(int64_t fen);

// r2(numerator / denominator × 100) half-up, as "2.04". Denominator must be
// non-zero; the sign follows the quotient.
std::string FormatPercent(int64_t numerator, int64_t denominator);

// Shares of a whole in hundredths of a percent (3772 = 37.72%) such that the
// shares add up to exactly 10000 when the parts add up to the whole: each part
// gets floor(part/whole × 10000), and the remaining hundredths go one each to
// the parts with the largest remainders (ties: earlier part first). This is
// the documented rule for "占比" so that displayed shares add up to 100.00%.
// Parts must be non-negative; a zero whole gives all zeros.
std::vector<int64_t> LargestRemainderShares(const std::vector<int64_t>& parts);

// 3772 → "37.72".
std::string FormatBasisPoints(int64_t hundredths_of_percent);

// Year-on-year comparison computed from the displayed (rounded) 万元 figures
// so that readers can reproduce it (domain.md F4).
struct YearOnYear {
  enum class Direction { kIncrease, kDecrease, kFlat, kNew };
  Direction direction;
  // |Δ| in hundredths of 万元, and as text ("8.29").
  int64_t delta_wan_cents;
  std::string delta_text;
  // |Δ| / prior × 100, two decimals ("2.04"); empty for kFlat and kNew.
  std::string rate_text;
};
YearOnYear CompareYearOnYear(int64_t current_fen, int64_t prior_fen);

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_MONEY_H_
