// Call latencies in microseconds, for percentiles of a load run.
//
// Log-linear buckets, the layout of HdrHistogram (Debian packages no C or
// C++ HdrHistogram): below 128 µs every value has a bucket of its own; above,
// each power-of-two range [2^e, 2^(e+1)) is cut into 64 equal buckets. A
// percentile is the upper bound of the bucket it falls in, so it is never
// below the true value and at most 1/64 (1.6 %) above it; min, max and mean
// are exact. Memory grows with the largest value recorded (about 8 KB for
// values up to a second), not with the number of values.
#ifndef YUSUAN_BENCH_LOAD_LATENCY_HISTOGRAM_H_
#define YUSUAN_BENCH_LOAD_LATENCY_HISTOGRAM_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace yusuan::load {

class LatencyHistogram {
 public:
  void Record(uint64_t micros);
  // Adds every value `other` recorded, as if recorded here.
  void Merge(const LatencyHistogram& other);

  uint64_t count() const { return count_; }
  // 0 when nothing was recorded (as every accessor below).
  uint64_t min() const { return count_ == 0 ? 0 : min_; }
  uint64_t max() const { return max_; }
  double mean() const;

  // The value at or below which `percent` (0 < percent ≤ 100, e.g. 99.9) of
  // the recorded values lie: the smallest value whose rank is at least
  // ⌈percent/100 × count⌉, rounded up to its bucket's upper bound and kept
  // within [min, max]. Percentile(100) is max.
  uint64_t Percentile(double percent) const;

 private:
  static size_t BucketOf(uint64_t micros);
  static uint64_t BucketUpperBound(size_t bucket);

  // counts_[b]: values in bucket b; only as long as the largest bucket used.
  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
  // Sum of the values, as a double: a uint64 of microseconds cannot overflow
  // in practice, but the mean is all it feeds.
  double sum_ = 0;
};

}  // namespace yusuan::load

#endif  // YUSUAN_BENCH_LOAD_LATENCY_HISTOGRAM_H_
