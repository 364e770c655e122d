// A task that runs every interval on a thread of its own, for upkeep a
// service does while it serves (purging expired request-id answers). The
// destructor wakes the thread and joins it, so a task never outlives what it
// uses when it is declared after it.
#ifndef YUSUAN_SERVICES_COMMON_PERIODIC_H_
#define YUSUAN_SERVICES_COMMON_PERIODIC_H_

#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"
#include "services/common/mutex.h"

namespace yusuan {

class PeriodicTask {
 public:
  // Runs `task` after each `interval` (not at once) until destroyed.
  PeriodicTask(absl::Duration interval, std::function<void()> task);
  ~PeriodicTask();
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

 private:
  Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_PERIODIC_H_
