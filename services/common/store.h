// RocksDB storage shared by the ledger and goals services.
//
// Reads go straight to RocksDB. Mutations are closures handed to one writer
// thread: it runs every pending mutation in order against a WriteBatchWithIndex
// (so each sees the writes of the mutations before it), then commits the whole
// group with one synced write. An acknowledged mutation is therefore durable,
// concurrent writers share a WAL sync (group commit), and read-check-write
// logic (etags, idempotency keys) needs no locks. Callers on gRPC callback
// threads use Submit() and never block.
#ifndef YUSUAN_SERVICES_COMMON_STORE_H_
#define YUSUAN_SERVICES_COMMON_STORE_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "services/common/store_keys.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class WriteBatchWithIndex;
}  // namespace rocksdb

namespace yusuan {

struct StoreOptions {
  // Database directory; parents are created.
  std::string path;
  // Column families besides "default", one per entity kind.
  std::vector<std::string> column_families;
  // Sync the WAL before acknowledging (false only for benchmarks' baselines).
  bool sync = true;
  // Most mutations committed in one group.
  size_t max_group = 512;
};

class Store {
 public:
  // The view a mutation has: committed state plus the staged writes of the
  // mutations before it in the same group.
  class Txn {
   public:
    absl::StatusOr<std::optional<std::string>> Get(std::string_view cf, std::string_view key);
    void Put(std::string_view cf, std::string_view key, std::string_view value);
    void Delete(std::string_view cf, std::string_view key);
    // Visits keys with `prefix` in order — committed state merged with the
    // writes staged before this mutation — until `visit` returns false. For
    // checks that must see every key at once (nothing is committed between
    // them and the write that depends on them).
    absl::Status Scan(std::string_view cf, std::string_view prefix,
                      const std::function<bool(std::string_view key, std::string_view value)>& visit);

   private:
    friend class Store;
    Txn(Store* store, rocksdb::WriteBatchWithIndex* batch) : store_(store), batch_(batch) {}
    Store* store_;
    rocksdb::WriteBatchWithIndex* batch_;
  };

  using Mutation = std::function<absl::Status(Txn&)>;
  using Done = std::function<void(absl::Status)>;

  static absl::StatusOr<std::unique_ptr<Store>> Open(const StoreOptions& options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Queues `mutation`; `done` runs on the writer thread once the group holding
  // it is durable (or with the mutation's own error, whose writes are dropped).
  void Submit(Mutation mutation, Done done);
  // Blocking form, for tools and tests; never call it on a gRPC callback thread.
  absl::Status Apply(Mutation mutation);

  absl::StatusOr<std::optional<std::string>> Get(std::string_view cf, std::string_view key) const;
  // Visits keys with `prefix` in order, starting after `start_after` when it is
  // non-empty, until `visit` returns false.
  absl::Status Scan(std::string_view cf, std::string_view prefix, std::string_view start_after,
                    const std::function<bool(std::string_view key, std::string_view value)>& visit) const;

  // Groups committed and mutations run so far (for tests and metrics).
  uint64_t groups_committed() const;
  uint64_t mutations_committed() const;

 private:
  struct Pending {
    Mutation mutation;
    Done done;
  };
  Store() = default;
  rocksdb::ColumnFamilyHandle* Handle(std::string_view cf) const;
  void WriterLoop();
  bool HasWorkOrStops() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_ || !queue_.empty(); }

  std::unique_ptr<rocksdb::DB> db_;
  std::map<std::string, rocksdb::ColumnFamilyHandle*, std::less<>> handles_;
  std::vector<rocksdb::ColumnFamilyHandle*> owned_handles_;
  StoreOptions options_;

  // Guards the queue between Submit and the writer thread, and the
  // counters. Never held while a Done runs: a Done may submit again.
  mutable absl::Mutex mu_;
  std::deque<Pending> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t groups_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t mutations_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread writer_;
};

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_STORE_H_
