#include "services/common/periodic.h"

#include <utility>

namespace yusuan {

PeriodicTask::PeriodicTask(absl::Duration interval, std::function<void()> task)
    : thread_([this, interval, task = std::move(task)] {
        while (true) {
          {
            MutexLock lock(&mu_);
            if (mu_.AwaitWithTimeout([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stop_; }, interval)) return;
          }
          task();
        }
      }) {}

PeriodicTask::~PeriodicTask() {
  {
    MutexLock lock(&mu_);
    stop_ = true;
  }
  thread_.join();
}

}  // namespace yusuan
