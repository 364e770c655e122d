#include "services/common/money.h"

#include "gtest/gtest.h"

namespace yusuan {
namespace {

TEST(MoneyTest, WanYuanHasTwoDecimalsRoundedHalfUp) {
  EXPECT_EQ(FormatWanYuan(415'510'000), "415.51");
  EXPECT_EQ(FormatWanYuan(258'800'000), "258.80");
  EXPECT_EQ(FormatWanYuan(0), "0.00");
  EXPECT_EQ(FormatWanYuan(4'999), "0.00");  // 49.99 元
  EXPECT_EQ(FormatWanYuan(5'000), "0.01");  // 50.00 元 rounds up
  EXPECT_EQ(FormatWanYuan(14'999), "0.01");
  EXPECT_EQ(FormatWanYuan(15'000), "0.02");
  EXPECT_EQ(FormatWanYuan(-5'000), "-0.01");        // away from zero
  EXPECT_EQ(FormatWanYuan(20'800'000), "20.80");    // 208,000 元
  EXPECT_EQ(FormatWanYuan(238'000'000), "238.00");  // 2,380,000 元
}

TEST(MoneyTest, YuanHasTwoDecimals) {
  EXPECT_EQ(FormatYuan(20'800'000), "208000.00");
  EXPECT_EQ(FormatYuan(1), "0.01");
  EXPECT_EQ(FormatYuan(-150), "-1.50");
}

TEST(MoneyTest, PercentRoundsHalfUp) {
  EXPECT_EQ(FormatPercent(829, 40722), "2.04");     // 2.0358 %
  EXPECT_EQ(FormatPercent(15671, 41551), "37.72");  // 37.7151 %
  EXPECT_EQ(FormatPercent(1, 8), "12.50");
  EXPECT_EQ(FormatPercent(1, 3), "33.33");
  EXPECT_EQ(FormatPercent(2, 3), "66.67");
}

TEST(MoneyTest, LargestRemainderSharesAddUpToOneHundredPercent) {
  auto shares = LargestRemainderShares({156'710'000, 258'800'000});
  ASSERT_EQ(shares.size(), 2u);
  EXPECT_EQ(FormatBasisPoints(shares[0]), "37.72");
  EXPECT_EQ(FormatBasisPoints(shares[1]), "62.28");
  // Three equal parts: plain rounding gives 33.33 × 3 = 99.99.
  shares = LargestRemainderShares({1, 1, 1});
  EXPECT_EQ(shares[0] + shares[1] + shares[2], 10000);
  EXPECT_EQ(shares[0], 3334);
  shares = LargestRemainderShares({0, 0});
  EXPECT_EQ(shares[0] + shares[1], 0);
}

TEST(MoneyTest, YearOnYearUsesDisplayedFigures) {
  YearOnYear up = CompareYearOnYear(415'510'000, 407'220'000);
  EXPECT_EQ(up.direction, YearOnYear::Direction::kIncrease);
  EXPECT_EQ(up.delta_text, "8.29");
  EXPECT_EQ(up.rate_text, "2.04");

  YearOnYear down = CompareYearOnYear(407'220'000, 415'510'000);
  EXPECT_EQ(down.direction, YearOnYear::Direction::kDecrease);
  EXPECT_EQ(down.delta_text, "8.29");
  EXPECT_EQ(down.rate_text, "2.00");  // 8.29 / 415.51

  EXPECT_EQ(CompareYearOnYear(100, 4'000).direction, YearOnYear::Direction::kFlat);  // both 0.00
  YearOnYear fresh = CompareYearOnYear(10'000'000, 0);
  EXPECT_EQ(fresh.direction, YearOnYear::Direction::kNew);
  EXPECT_TRUE(fresh.rate_text.empty());
}

}  // namespace
}  // namespace yusuan
