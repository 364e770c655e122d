// A fixed pool of threads with a bounded queue. gRPC callback reactions must
// not block, but a call may read storage or wait on other services: the
// reaction hands that work here and returns at once.
#ifndef YUSUAN_SERVICES_COMMON_WORKER_POOL_H_
#define YUSUAN_SERVICES_COMMON_WORKER_POOL_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "services/common/mutex.h"

namespace yusuan {

class WorkerPool {
 public:
  // `threads` workers; at most `max_queued` tasks wait beyond those running.
  WorkerPool(int threads, size_t max_queued);
  // Runs every task already accepted, then joins the workers.
  ~WorkerPool();

  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // False when the queue is full or the pool is shutting down; the caller
  // answers RESOURCE_EXHAUSTED / UNAVAILABLE instead of queueing unboundedly.
  bool TrySubmit(std::function<void()> task);

  // Stops accepting tasks, drains the queue and joins. Idempotent.
  void Shutdown();

  size_t queued() const;

 private:
  void Run();

  const size_t max_queued_;
  mutable Mutex mu_;
  // Signalled once per task: one idle worker wakes for it, not all.
  CondVar task_or_stop_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // Started in the constructor, joined by the first Shutdown; only the
  // owner's thread touches it.
  std::vector<std::thread> threads_;
  bool joined_ = false;
};

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_WORKER_POOL_H_
