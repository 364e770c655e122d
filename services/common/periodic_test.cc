#include "services/common/periodic.h"

#include <atomic>
#include <chrono>
#include <thread>

#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace yusuan {
namespace {

TEST(PeriodicTaskTest, RunsRepeatedlyAndStopsWhenDestroyed) {
  std::atomic<int> runs{0};
  {
    PeriodicTask task(absl::Milliseconds(5), [&] { ++runs; });
    // Generous: the test asserts repetition, not timing.
    for (int waited = 0; runs < 3 && waited < 10'000; waited += 5) absl::SleepFor(absl::Milliseconds(5));
  }
  const int at_stop = runs;
  EXPECT_GE(at_stop, 3);
  absl::SleepFor(absl::Milliseconds(30));
  EXPECT_EQ(runs, at_stop) << "the task ran after its PeriodicTask was destroyed";
}

TEST(PeriodicTaskTest, ALongIntervalDoesNotDelayTheStop) {
  std::atomic<int> runs{0};
  const absl::Time start = absl::Now();
  {
    PeriodicTask task(absl::Hours(1), [&] { ++runs; });
  }
  EXPECT_EQ(runs, 0);
  EXPECT_LT(absl::Now() - start, absl::Seconds(30)) << "destruction waited for the interval";
}

}  // namespace
}  // namespace yusuan
