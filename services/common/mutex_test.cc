#include "services/common/mutex.h"

#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace yusuan {
namespace {

// Under ThreadSanitizer (tests/README.md) these also show that TSan sees the
// lock: with absl::Mutex from Debian's uninstrumented libabsl, each access
// to `count` below was reported as a data race.
TEST(MutexTest, GuardsACounterSharedByManyThreads) {
  Mutex mu;
  int count ABSL_GUARDED_BY(mu) = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        MutexLock lock(&mu);
        ++count;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  MutexLock lock(&mu);
  EXPECT_EQ(count, 8000);
}

TEST(MutexTest, AwaitReturnsOnceAnotherThreadMakesTheConditionTrue) {
  Mutex mu;
  int turn ABSL_GUARDED_BY(mu) = 0;  // even: this thread's, odd: the other's
  std::thread other([&] {
    for (int i = 0; i < 100; ++i) {
      MutexLock lock(&mu);
      mu.Await([&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return turn % 2 == 1; });
      ++turn;
    }
  });
  for (int i = 0; i < 100; ++i) {
    MutexLock lock(&mu);
    mu.Await([&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return turn % 2 == 0; });
    ++turn;
  }
  other.join();
  MutexLock lock(&mu);
  EXPECT_EQ(turn, 200);
}

// A thread that changes what another waits for and then waits itself,
// without unlocking in between, wakes the other: waiting releases the lock
// (as absl::Mutex's Await does). The store's writer thread does exactly this
// when a backup's hold waits for its commit to end.
TEST(MutexTest, WaitingWakesTheWaitersWhoseConditionThisThreadMet) {
  for (const bool with_deadline : {false, true}) {
    Mutex mu;
    bool committing ABSL_GUARDED_BY(mu) = true;
    bool held ABSL_GUARDED_BY(mu) = false;
    std::thread holder([&] {
      MutexLock lock(&mu);
      mu.Await([&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return !committing; });
      held = true;
    });
    // Let the holder wait first.
    absl::SleepFor(absl::Milliseconds(50));
    MutexLock lock(&mu);
    committing = false;
    const auto is_held = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return held; };
    bool met = false;
    if (with_deadline) {
      met = mu.AwaitWithTimeout(is_held, absl::Seconds(5));
    } else {
      // Bounded all the same: a helper makes the condition true after 5 s.
      std::thread rescue([&] {
        absl::SleepFor(absl::Seconds(5));
        MutexLock rescue_lock(&mu);
        held = true;
      });
      const absl::Time start = absl::Now();
      mu.Await(is_held);
      met = absl::Now() - start < absl::Seconds(4);
      mu.Unlock();
      rescue.join();
      mu.Lock();
    }
    EXPECT_TRUE(met) << (with_deadline ? "AwaitWithDeadline" : "Await")
                     << " did not wake the thread waiting for what this one changed";
    mu.Unlock();
    holder.join();
    mu.Lock();
  }
}

TEST(MutexTest, AwaitWithDeadlineGivesUpAtTheDeadline) {
  Mutex mu;
  MutexLock lock(&mu);
  const absl::Time start = absl::Now();
  EXPECT_FALSE(mu.AwaitWithDeadline([] { return false; }, start + absl::Milliseconds(50)));
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(50));
  EXPECT_FALSE(mu.AwaitWithDeadline([] { return false; }, absl::InfinitePast()));
  EXPECT_TRUE(mu.AwaitWithDeadline([] { return true; }, absl::InfinitePast()));
  EXPECT_FALSE(mu.AwaitWithTimeout([] { return false; }, absl::Milliseconds(1)));
}

TEST(MutexTest, AwaitWithDeadlineReturnsEarlyWhenTheConditionBecomesTrue) {
  Mutex mu;
  bool done ABSL_GUARDED_BY(mu) = false;
  std::thread other([&] {
    absl::SleepFor(absl::Milliseconds(20));
    MutexLock lock(&mu);
    done = true;
  });
  const absl::Time start = absl::Now();
  {
    MutexLock lock(&mu);
    EXPECT_TRUE(
        mu.AwaitWithDeadline([&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return done; }, start + absl::Minutes(5)));
  }
  EXPECT_LT(absl::Now() - start, absl::Minutes(1));
  other.join();
}

// The pattern of a join on parallel calls: the waiter destroys the mutex as
// soon as its Await returns, while the thread that released it may still be
// inside Unlock. Unlock must not touch the mutex after releasing it.
TEST(MutexTest, TheWaiterMayDestroyTheMutexOnceAwaitReturns) {
  for (int round = 0; round < 200; ++round) {
    struct Join {
      Mutex mu;
      int pending ABSL_GUARDED_BY(mu) = 2;
    };
    auto join = std::make_unique<Join>();
    std::vector<std::thread> callers;
    for (int i = 0; i < 2; ++i) {
      callers.emplace_back([j = join.get()] {
        MutexLock lock(&j->mu);
        --j->pending;
      });
    }
    {
      MutexLock lock(&join->mu);
      join->mu.Await([&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(join->mu) { return join->pending == 0; });
    }
    join.reset();
    for (auto& caller : callers) caller.join();
  }
}

TEST(CondVarTest, EachSignalLetsOneWaiterTakeATokenAndSignalAllWakesTheRest) {
  Mutex mu;
  CondVar token_or_stop;
  int tokens ABSL_GUARDED_BY(mu) = 0;
  int taken ABSL_GUARDED_BY(mu) = 0;
  bool stop ABSL_GUARDED_BY(mu) = false;
  std::vector<std::thread> waiters;
  for (int i = 0; i < 4; ++i) {
    waiters.emplace_back([&] {
      MutexLock lock(&mu);
      while (true) {
        while (tokens == 0 && !stop) token_or_stop.Wait(&mu);
        if (tokens == 0) return;
        --tokens;
        ++taken;
      }
    });
  }
  for (int round = 1; round <= 3; ++round) {
    {
      MutexLock lock(&mu);
      ++tokens;
    }
    token_or_stop.Signal();
    MutexLock lock(&mu);
    EXPECT_TRUE(
        mu.AwaitWithTimeout([&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return taken == round; }, absl::Seconds(5)))
        << "token " << round << " was not taken";
  }
  {
    MutexLock lock(&mu);
    stop = true;
  }
  token_or_stop.SignalAll();
  for (std::thread& waiter : waiters) waiter.join();  // hangs if SignalAll woke only one
  MutexLock lock(&mu);
  EXPECT_EQ(taken, 3);
}

// CondVar::Wait releases the lock as Unlock does: a thread in Await whose
// condition the waiting thread met wakes, as it would at an Unlock.
TEST(CondVarTest, WaitingOnItWakesTheAwaitersWhoseConditionThisThreadMet) {
  Mutex mu;
  CondVar done_signal;
  bool ready ABSL_GUARDED_BY(mu) = false;
  bool done ABSL_GUARDED_BY(mu) = false;
  std::thread awaiter([&] {
    MutexLock lock(&mu);
    const absl::Time start = absl::Now();
    // Past 5 s it would look again by itself: the wake-up must come sooner.
    mu.AwaitWithTimeout([&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return ready; }, absl::Seconds(5));
    EXPECT_LT(absl::Now() - start, absl::Seconds(4))
        << "CondVar::Wait did not wake the thread awaiting what the waiter changed";
    done = true;
    done_signal.Signal();
  });
  absl::SleepFor(absl::Milliseconds(50));
  MutexLock lock(&mu);
  ready = true;
  while (!done) done_signal.Wait(&mu);
  mu.Unlock();
  awaiter.join();
  mu.Lock();
}

}  // namespace
}  // namespace yusuan
