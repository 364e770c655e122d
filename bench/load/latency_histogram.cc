#include "bench/load/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace yusuan::load {
namespace {

// 2^kSubBucketBits buckets per power of two: 64, so ≤ 1/64 relative error.
constexpr int kSubBucketBits = 6;
constexpr uint64_t kSubBuckets = uint64_t{1} << kSubBucketBits;

}  // namespace

// Values below 2 × kSubBuckets are their own bucket. Above, a value with its
// highest bit at e keeps its top kSubBucketBits + 1 bits: the bucket is the
// range of values sharing them, 2^(e - kSubBucketBits) wide.
size_t LatencyHistogram::BucketOf(uint64_t micros) {
  if (micros < kSubBuckets) return static_cast<size_t>(micros);
  const int exponent = std::bit_width(micros) - 1;  // ≥ kSubBucketBits
  const int shift = exponent - kSubBucketBits;
  const uint64_t sub_bucket = (micros >> shift) - kSubBuckets;  // 0 .. kSubBuckets-1
  return static_cast<size_t>(kSubBuckets + static_cast<uint64_t>(shift) * kSubBuckets + sub_bucket);
}

uint64_t LatencyHistogram::BucketUpperBound(size_t bucket) {
  if (bucket < kSubBuckets) return bucket;
  const uint64_t shift = (bucket - kSubBuckets) / kSubBuckets;
  const uint64_t sub_bucket = (bucket - kSubBuckets) % kSubBuckets;
  const uint64_t lower = (kSubBuckets + sub_bucket) << shift;
  return lower + ((uint64_t{1} << shift) - 1);
}

void LatencyHistogram::Record(uint64_t micros) {
  const size_t bucket = BucketOf(micros);
  if (bucket >= counts_.size()) counts_.resize(bucket + 1, 0);
  ++counts_[bucket];
  ++count_;
  min_ = std::min(min_, micros);
  max_ = std::max(max_, micros);
  sum_ += static_cast<double>(micros);
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  if (other.count_ == 0) return;
  if (other.counts_.size() > counts_.size()) counts_.resize(other.counts_.size(), 0);
  for (size_t bucket = 0; bucket < other.counts_.size(); ++bucket) counts_[bucket] += other.counts_[bucket];
  count_ += other.count_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  sum_ += other.sum_;
}

double LatencyHistogram::mean() const { return count_ == 0 ? 0 : sum_ / static_cast<double>(count_); }

uint64_t LatencyHistogram::Percentile(double percent) const {
  if (count_ == 0) return 0;
  // The rank in whole parts per million of the count, so that 99.9 % of 1000
  // values is rank 999 exactly rather than whatever 0.999 × 1000 rounds to.
  const uint64_t parts_per_million = static_cast<uint64_t>(std::llround(std::clamp(percent, 0.0, 100.0) * 10000));
  const uint64_t rank = std::max<uint64_t>(1, (parts_per_million * count_ + 999999) / 1000000);
  uint64_t seen = 0;
  for (size_t bucket = 0; bucket < counts_.size(); ++bucket) {
    seen += counts_[bucket];
    if (seen >= rank) return std::clamp(BucketUpperBound(bucket), min_, max_);
  }
  return max_;
}

}  // namespace yusuan::load
