#include "services/common/worker_pool.h"

#include <utility>

namespace yusuan {

WorkerPool::WorkerPool(int threads, size_t max_queued) : max_queued_(max_queued) {
  if (threads < 1) threads = 1;
  threads_.reserve(static_cast<size_t>(threads));
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
}

WorkerPool::~WorkerPool() { Shutdown(); }

bool WorkerPool::TrySubmit(std::function<void()> task) {
  {
    MutexLock lock(&mu_);
    if (stopping_ || tasks_.size() >= max_queued_) return false;
    tasks_.push_back(std::move(task));
  }
  task_or_stop_.Signal();
  return true;
}

void WorkerPool::Shutdown() {
  {
    MutexLock lock(&mu_);
    stopping_ = true;
  }
  task_or_stop_.SignalAll();
  if (joined_) return;
  for (auto& t : threads_) t.join();
  threads_.clear();
  joined_ = true;
}

size_t WorkerPool::queued() const {
  MutexLock lock(&mu_);
  return tasks_.size();
}

void WorkerPool::Run() {
  while (true) {
    std::function<void()> task;
    {
      MutexLock lock(&mu_);
      while (!stopping_ && tasks_.empty()) task_or_stop_.Wait(&mu_);
      // Accepted tasks still run during shutdown: each owns a reactor that
      // must be finished or the gRPC server would wait for it forever.
      if (tasks_.empty()) return;
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

}  // namespace yusuan
