#include "bench/load/latency_histogram.h"

#include <cstdint>
#include <vector>

#include "gtest/gtest.h"

namespace yusuan::load {
namespace {

TEST(LatencyHistogramTest, EmptyHistogramAnswersZero) {
  const LatencyHistogram histogram;
  EXPECT_EQ(histogram.count(), 0u);
  EXPECT_EQ(histogram.min(), 0u);
  EXPECT_EQ(histogram.max(), 0u);
  EXPECT_EQ(histogram.mean(), 0.0);
  EXPECT_EQ(histogram.Percentile(50), 0u);
  EXPECT_EQ(histogram.Percentile(100), 0u);
}

TEST(LatencyHistogramTest, ValuesBelow128AreExact) {
  LatencyHistogram histogram;
  for (uint64_t micros = 1; micros <= 100; ++micros) histogram.Record(micros);
  EXPECT_EQ(histogram.Percentile(1), 1u);
  EXPECT_EQ(histogram.Percentile(50), 50u);
  EXPECT_EQ(histogram.Percentile(90), 90u);
  EXPECT_EQ(histogram.Percentile(99), 99u);
  EXPECT_EQ(histogram.Percentile(100), 100u);
  EXPECT_EQ(histogram.min(), 1u);
  EXPECT_EQ(histogram.mean(), 50.5);
}

// 1..1000 once each: the k-th percentile is k × 10, within one bucket above.
TEST(LatencyHistogramTest, UniformValuesGiveTheirRanks) {
  LatencyHistogram histogram;
  for (uint64_t micros = 1; micros <= 1000; ++micros) histogram.Record(micros);
  for (const double percent : {10.0, 50.0, 90.0, 99.0, 99.9}) {
    const double exact = percent * 10;
    const auto value = static_cast<double>(histogram.Percentile(percent));
    EXPECT_GE(value, exact) << percent;
    EXPECT_LE(value, exact * (1 + 1.0 / 64)) << percent;
  }
  EXPECT_EQ(histogram.Percentile(100), 1000u);
  EXPECT_EQ(histogram.max(), 1000u);
  EXPECT_EQ(histogram.count(), 1000u);
}

// A slow tail: 990 calls of 100 µs and 10 of 10 ms. p99 is still the fast
// calls; p99.9 is in the tail, and no percentile exceeds the max recorded.
TEST(LatencyHistogramTest, TailShowsOnlyAboveItsRank) {
  LatencyHistogram histogram;
  for (int i = 0; i < 990; ++i) histogram.Record(100);
  for (int i = 0; i < 10; ++i) histogram.Record(10000);
  EXPECT_EQ(histogram.Percentile(50), 100u);
  EXPECT_EQ(histogram.Percentile(99), 100u);
  EXPECT_EQ(histogram.Percentile(99.9), 10000u);
  EXPECT_EQ(histogram.Percentile(100), 10000u);
}

// Across the whole range, from a microsecond to days: the percentile is
// never below the value and at most 1/64 above it.
TEST(LatencyHistogramTest, RelativeErrorIsBoundedAtEveryMagnitude) {
  for (uint64_t micros = 1; micros < (uint64_t{1} << 40); micros = micros * 3 + 1) {
    LatencyHistogram histogram;
    histogram.Record(micros);
    histogram.Record(micros * 4);  // so the upper bound is not clamped to max
    const uint64_t median = histogram.Percentile(50);
    EXPECT_GE(median, micros);
    EXPECT_LE(static_cast<double>(median), static_cast<double>(micros) * (1 + 1.0 / 64)) << micros;
  }
}

TEST(LatencyHistogramTest, LargestValuesDoNotOverflow) {
  LatencyHistogram histogram;
  histogram.Record(UINT64_MAX);
  histogram.Record(UINT64_MAX - 1);
  EXPECT_EQ(histogram.Percentile(50), UINT64_MAX);
  EXPECT_EQ(histogram.min(), UINT64_MAX - 1);
}

TEST(LatencyHistogramTest, PercentilesAreOrdered) {
  LatencyHistogram histogram;
  uint64_t value = 7;
  for (int i = 0; i < 5000; ++i) {
    value = (value * 6364136223846793005u + 1442695040888963407u);
    histogram.Record(50 + (value >> 44));  // 50 µs .. about a second
  }
  uint64_t previous = histogram.min();
  for (const double percent : {1.0, 25.0, 50.0, 75.0, 90.0, 99.0, 99.9, 99.99, 100.0}) {
    EXPECT_GE(histogram.Percentile(percent), previous) << percent;
    previous = histogram.Percentile(percent);
  }
  EXPECT_EQ(previous, histogram.max());
}

TEST(LatencyHistogramTest, MergeEqualsRecordingEverythingInOne) {
  LatencyHistogram all, fast, slow;
  for (uint64_t micros = 100; micros < 200; ++micros) {
    fast.Record(micros);
    all.Record(micros);
  }
  for (uint64_t micros = 5000; micros < 50000; micros += 100) {
    slow.Record(micros);
    all.Record(micros);
  }
  LatencyHistogram merged;
  merged.Merge(fast);
  merged.Merge(slow);
  merged.Merge(LatencyHistogram());
  EXPECT_EQ(merged.count(), all.count());
  EXPECT_EQ(merged.min(), all.min());
  EXPECT_EQ(merged.max(), all.max());
  EXPECT_DOUBLE_EQ(merged.mean(), all.mean());
  for (const double percent : {10.0, 50.0, 90.0, 99.0, 99.9}) {
    EXPECT_EQ(merged.Percentile(percent), all.Percentile(percent)) << percent;
  }
}

}  // namespace
}  // namespace yusuan::load
