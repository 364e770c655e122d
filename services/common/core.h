// What every service core (ledger_core.h, goals_core.h, report_core.h)
// speaks: no gRPC here, so the cores run in process on a temporary Store.
#ifndef YUSUAN_SERVICES_COMMON_CORE_H_
#define YUSUAN_SERVICES_COMMON_CORE_H_

#include <cstdint>
#include <functional>

#include <memory>
#include <utility>

#include "absl/status/statusor.h"
#include "services/common/store.h"

namespace yusuan {

// Unix milliseconds now: the time a core writes into what it stores. The
// servers pass NowUnixMillis (revisions.h); tests pass a fixed time.
using Clock = std::function<int64_t()>;

// How a write answers: once, on the store's writer thread after the write is
// durable, or at once when it is refused before writing.
template <typename T>
using Done = std::function<void(absl::StatusOr<T>)>;

// Runs `mutation` on the writer thread with a message it fills in, and
// answers `done` with that message once the write is durable (or, for
// Durability::kUnsynced, written: store.h).
template <typename T>
void SubmitAnswering(Store* store, std::function<absl::Status(Store::Txn&, T&)> mutation, Done<T> done,
                     Store::Durability durability = Store::Durability::kSynced) {
  auto answer = std::make_shared<T>();
  store->Submit([mutation = std::move(mutation), answer](Store::Txn& txn) { return mutation(txn, *answer); },
                [answer, done = std::move(done)](absl::Status status) {
                  if (!status.ok()) return done(status);
                  done(std::move(*answer));
                },
                durability);
}

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_CORE_H_
