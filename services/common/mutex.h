// The lock of the project's own code: absl::Mutex's interface (Lock, Unlock,
// Await on a condition, the thread-safety annotations) over std::mutex and
// std::condition_variable.
//
// Why not absl::Mutex: Debian's libabsl is not built with ThreadSanitizer,
// so absl::Mutex's lock and unlock (compiled into that library) are invisible
// to it, and every access the mutex guards is reported as a race in a TSan
// build (tests/README.md § ThreadSanitizer). std::mutex and
// std::condition_variable are pthread's, which TSan intercepts: the locking
// stays checkable. absl::Notification and absl::BlockingCounter are built on
// absl::Mutex and have the same blind spot; their uses here are this class
// and a flag or a count it guards.
#ifndef YUSUAN_SERVICES_COMMON_MUTEX_H_
#define YUSUAN_SERVICES_COMMON_MUTEX_H_

#include <condition_variable>
#include <functional>
#include <mutex>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"

namespace yusuan {

class CondVar;

class ABSL_LOCKABLE Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() { mu_.lock(); }
  // Wakes every Await, which looks at its condition again (as absl::Mutex
  // does at each release).
  void Unlock() ABSL_UNLOCK_FUNCTION();

  // With the lock held: returns once `ready()` is true, the lock held again.
  // `ready` runs under the lock, each time another thread releases it.
  void Await(const std::function<bool()>& ready) ABSL_EXCLUSIVE_LOCKS_REQUIRED(this);
  // The same, or until `deadline` (absl::InfinitePast: not at all); returns
  // what `ready()` says at the end.
  bool AwaitWithDeadline(const std::function<bool()>& ready, absl::Time deadline) ABSL_EXCLUSIVE_LOCKS_REQUIRED(this);
  // The same, for at most `timeout`.
  bool AwaitWithTimeout(const std::function<bool()>& ready, absl::Duration timeout) ABSL_EXCLUSIVE_LOCKS_REQUIRED(this);

 private:
  friend class CondVar;

  std::mutex mu_;
  std::condition_variable released_;
  // Threads inside Await (guarded by mu_): Unlock notifies only when there
  // are some, and does so before it unlocks, so it never touches the mutex
  // after a waiter may have woken and destroyed it.
  int waiters_ = 0;
};

// Holds `mu` for its scope, as absl::MutexLock.
// absl::CondVar's interface: for a condition many threads wait on that one
// event meets for one of them (a worker pool's "a task arrived"). Await
// wakes every waiter at each release, which is right for conditions that
// differ per waiter but makes N idle workers wake, look and sleep again at
// every task.
class CondVar {
 public:
  // Releases `mu`, waits for a Signal or SignalAll (or a spurious wake-up:
  // look at the condition again), and holds `mu` again on return.
  void Wait(Mutex* mu) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  // Wakes one waiter / every waiter.
  void Signal() { cv_.notify_one(); }
  void SignalAll() { cv_.notify_all(); }

 private:
  std::condition_variable cv_;
};

class ABSL_SCOPED_LOCKABLE MutexLock {
 public:
  explicit MutexLock(Mutex* mu) ABSL_EXCLUSIVE_LOCK_FUNCTION(mu) : mu_(mu) { mu_->Lock(); }
  ~MutexLock() ABSL_UNLOCK_FUNCTION() { mu_->Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex* const mu_;
};

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_MUTEX_H_
