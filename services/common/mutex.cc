#include "services/common/mutex.h"

#include <chrono>

#include "absl/time/clock.h"

namespace yusuan {

void Mutex::Unlock() {
  if (waiters_ > 0) released_.notify_all();
  mu_.unlock();
}

void Mutex::Await(const std::function<bool()>& ready) {
  if (ready()) return;
  // The lock is held by the caller: lend it to the wait and take it back.
  std::unique_lock<std::mutex> lock(mu_, std::adopt_lock);
  // Waiting releases the lock, as Unlock does: the others look at their
  // conditions again, which what this thread changed before may have met.
  if (waiters_ > 0) released_.notify_all();
  ++waiters_;
  released_.wait(lock, ready);
  --waiters_;
  lock.release();
}

void CondVar::Wait(Mutex* mu) {
  std::unique_lock<std::mutex> lock(mu->mu_, std::adopt_lock);
  // Waiting releases the lock, as Unlock does: threads in Await look at
  // their conditions again.
  if (mu->waiters_ > 0) mu->released_.notify_all();
  cv_.wait(lock);
  lock.release();
}

bool Mutex::AwaitWithDeadline(const std::function<bool()>& ready, absl::Time deadline) {
  if (ready()) return true;
  if (deadline == absl::InfiniteFuture()) {
    Await(ready);
    return true;
  }
  std::unique_lock<std::mutex> lock(mu_, std::adopt_lock);
  if (waiters_ > 0) released_.notify_all();
  ++waiters_;
  bool met = false;
  while (!(met = ready())) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) break;
    released_.wait_for(lock, absl::ToChronoNanoseconds(left));
  }
  --waiters_;
  lock.release();
  return met;
}

bool Mutex::AwaitWithTimeout(const std::function<bool()>& ready, absl::Duration timeout) {
  return AwaitWithDeadline(ready, absl::Now() + timeout);
}

}  // namespace yusuan
