// RocksDB storage shared by the ledger and goals services.
//
// Reads go straight to RocksDB. Mutations are closures handed to one writer
// thread: it runs every pending mutation in order against a WriteBatchWithIndex
// (so each sees the writes of the mutations before it), then commits the whole
// group with one synced write. An acknowledged mutation is therefore durable
// (unless it waived the sync: Durability::kUnsynced, below),
// concurrent writers share a WAL sync (group commit), and read-check-write
// logic (etags, idempotency keys) needs no locks. Callers on gRPC callback
// threads use Submit() and never block.
//
// A full, read-only or failing disk stops writes, not the process: from the
// first write (or background flush) that fails, every mutation is answered
// UNAVAILABLE with the reason (ErrorInfo STORAGE_FULL, STORAGE_READ_ONLY or
// STORAGE_IO_ERROR, the message naming the data directory) without being
// run, while reads go on. A group whose commit failed is not applied, none
// of it. Every recovery_interval the writer thread looks at the disk; once
// it is writable and has room, the store closes and reopens its database
// (what a restart would do: the write-ahead log is replayed, so nothing
// acknowledged is lost) and takes writes again. Reads wait for the reopen.
// RocksDB's own recovery is off: with Debian's build it can end the process
// (store_faults.cc says when).
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
#include "absl/time/time.h"
#include "services/common/mutex.h"
#include "services/common/store_keys.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class Env;
class FileSystem;
class Status;
class WriteBatchWithIndex;
struct ColumnFamilyOptions;
struct DBOptions;
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
  // While writes are refused for a storage fault, how often the writer
  // thread looks whether the disk has room (and is writable) again.
  absl::Duration recovery_interval = absl::Seconds(1);
  // Called on the writer thread, under no lock of the store, each time
  // writes stop (with the status they are answered with) and each time they
  // are taken again (OK). Must not block and must outlive the store.
  std::function<void(const absl::Status& writes)> on_writes_changed;
  // The file system RocksDB writes through (nullptr: the machine's). The
  // fault builds put their power-loss one here (power_loss.h).
  std::shared_ptr<rocksdb::FileSystem> file_system;
  // When set: a column family (created like the others) holding an ordered
  // log, keyed by a big-endian sequence number that the writer thread
  // assigns (Txn::AppendToLog). Records are numbered in commit order, with
  // no gap, and a record is committed in the same write as the mutation
  // that appended it: readers see the log grow as a contiguous prefix, and
  // a crash never keeps a write without its record or the reverse.
  std::string log_column_family;
  // The write-ahead log kept at most (about): past it, RocksDB flushes the
  // column families that hold its oldest file. Without a bound a column
  // family written seldom keeps every WAL file since its last flush alive —
  // a gateway's stores were seen at 1.2 GB of WAL, replayed at every start
  // (~3 ms a MB). 0: RocksDB's default (4 × the memtables' total).
  uint64_t max_wal_bytes = 64ull << 20;
  // The memory RocksDB holds, whatever the data: the memtables of every
  // column family together (past it, RocksDB flushes), and one block cache
  // of table blocks shared by them all, their index and filter blocks in
  // it too (RocksDB's defaults give every column family 64 MB of memtables
  // and its own 8 MB cache, and keep every table's index and filter outside
  // any bound, so a store's memory grew with its data and its families).
  size_t memtable_bytes = 64ull << 20;
  size_t block_cache_bytes = 32ull << 20;
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
    // Stages `record` as the next record of the log (StoreOptions::
    // log_column_family, which must be set) and returns its sequence
    // number. A mutation that fails gives its numbers back, as does a
    // group whose commit fails, so the committed log has no gap.
    uint64_t AppendToLog(std::string_view record);

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

  // kSynced: acknowledged once the write-ahead log holding it is synced.
  // kUnsynced: once it is in the log, unsynced unless a synced mutation
  // shares its group — kept through a crash of the process, lost with the
  // power; only for a write the system redoes by itself when it is lost
  // (the goals' promotion, which the filing recovery repeats). A later
  // synced commit makes it durable too: the log is written in order.
  enum class Durability { kSynced, kUnsynced };

  // Queues `mutation`; `done` runs on the writer thread once the group holding
  // it is durable (or with the mutation's own error, whose writes are dropped).
  void Submit(Mutation mutation, Done done, Durability durability = Durability::kSynced);
  // Blocking form, for tools and tests; never call it on a gRPC callback thread.
  absl::Status Apply(Mutation mutation, Durability durability = Durability::kSynced);

  absl::StatusOr<std::optional<std::string>> Get(std::string_view cf, std::string_view key) const;
  // Visits keys with `prefix` in order, starting after `start_after` when it is
  // non-empty, until `visit` returns false.
  absl::Status Scan(std::string_view cf, std::string_view prefix, std::string_view start_after,
                    const std::function<bool(std::string_view key, std::string_view value)>& visit) const;

  // The log (StoreOptions::log_column_family). Its identity: a random id
  // made when the database was created and kept in it, so a position in
  // one data directory's log is not mistaken for one in another's.
  const std::string& log_id() const { return log_id_; }
  // The sequence number of the newest committed record (0: none yet).
  uint64_t LastLogSequence() const;
  // Waits until a record after `after` is committed or `deadline` passes;
  // whether there is one.
  bool AwaitLog(uint64_t after, absl::Time deadline) const;

  // OK while writes are taken; otherwise what every write is answered with.
  absl::Status WriteStatus() const;

  // Backups (backup_service.h): the store's writes held at one moment.
  //
  // HoldWrites stops committing until ReleaseWrites(hold_id) or until
  // `lease` passes: the group being committed finishes, later mutations
  // wait in the queue (reads go on). It returns once nothing is being
  // committed, with the number of mutations waiting. The same id again is
  // the same hold; FAILED_PRECONDITION while another id holds the writes,
  // UNAVAILABLE once the store is closing.
  absl::StatusOr<int64_t> HoldWrites(const std::string& hold_id, absl::Duration lease);
  // While `hold_id` holds the writes: a RocksDB checkpoint in `directory`
  // (which must not exist; its parent must), without a flush: tables hard
  // linked, the write-ahead log copied. The hold lasts through the
  // checkpoint whatever its lease. FAILED_PRECONDITION when that hold has
  // ended (its lease passed, or it was released): a copy of a later moment
  // would not match the other stores' of the same backup.
  struct CheckpointPoint {
    uint64_t rocksdb_sequence = 0;
    uint64_t log_sequence = 0;  // the newest record of the log, 0 without one
  };
  absl::StatusOr<CheckpointPoint> CreateCheckpoint(const std::string& hold_id, const std::string& directory);
  // Ends the hold: how long it lasted, or nullopt when `hold_id` does not
  // hold the writes (it ended already).
  std::optional<absl::Duration> ReleaseWrites(const std::string& hold_id);
  const std::string& path() const { return options_.path; }

  // Groups committed and mutations run so far (for tests and metrics).
  // What RocksDB holds in memory now: the memtables of every column
  // family, the shared block cache (index and filter blocks included), and
  // what table readers keep outside it. Zeros while no database is open.
  struct MemoryUse {
    uint64_t memtables = 0;
    uint64_t block_cache = 0;
    uint64_t table_readers = 0;
  };
  MemoryUse Memory() const;

  uint64_t groups_committed() const;
  uint64_t mutations_committed() const;

 private:
  struct Pending {
    Mutation mutation;
    Done done;
    Durability durability = Durability::kSynced;
  };
  class ReadPin;
  Store() = default;
  // Opens the database at options_.path into db_ and the handles.
  rocksdb::Status OpenDatabase(bool read_only);
  // After a writable open: the log's identity (made on first open) and the
  // next sequence number, from the newest record kept (retention never
  // removes the newest record, services/common/change_log.h).
  rocksdb::Status LoadLogState();
  void CloseDatabase();
  rocksdb::ColumnFamilyHandle* Handle(std::string_view cf) const;
  void WriterLoop();
  // Writer thread: commits `group`, or answers it with the fault.
  void CommitGroup(std::vector<Pending>& group);
  void StopWrites(absl::Status refused);
  // Writer thread: reopens the database when the disk allows it.
  void TryToRecover();
  // From RocksDB's threads (store_faults.h's listener).
  void BackgroundErrorStopsWrites(const rocksdb::Status& error);
  bool HasWorkOrStops() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stopping_ || !queue_.empty() || !background_error_.ok();
  }
  bool OpenForReads() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(readers_mu_) { return !reopening_; }
  bool NoReaders() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(readers_mu_) { return readers_ == 0; }

  // db_ and the handles change only on the writer thread (at a reopen),
  // while no read is pinned (ReadPin): readers use them without a lock.
  std::unique_ptr<rocksdb::DB> db_;
  std::map<std::string, rocksdb::ColumnFamilyHandle*, std::less<>> handles_;
  std::vector<rocksdb::ColumnFamilyHandle*> owned_handles_;
  std::unique_ptr<rocksdb::DBOptions> db_options_;
  // Every column family's table options (the shared block cache, a bloom
  // filter per table), as OpenDatabase gives them.
  std::unique_ptr<rocksdb::ColumnFamilyOptions> family_options_;
  // RocksDB's view of options_.file_system, when one is given.
  std::unique_ptr<rocksdb::Env> env_;
  StoreOptions options_;

  // Guards the queue between Submit and the writer thread, the counters
  // and the write status. Never held while a Done runs (a Done may submit
  // again), nor while calling RocksDB (its listener takes it).
  mutable Mutex mu_;
  std::deque<Pending> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t groups_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t mutations_ ABSL_GUARDED_BY(mu_) = 0;
  // What writes are answered with (OK: they are taken).
  absl::Status writes_ ABSL_GUARDED_BY(mu_);
  // A background error the listener reported and the writer has not seen.
  absl::Status background_error_ ABSL_GUARDED_BY(mu_);

  // A backup's hold of the writes (HoldWrites): its id (empty: none), since
  // when and until when; whether a checkpoint is being made under it (the
  // hold then lasts past its lease); whether the writer thread is between
  // taking a group and finishing it.
  std::string hold_id_ ABSL_GUARDED_BY(mu_);
  absl::Time hold_since_ ABSL_GUARDED_BY(mu_);
  absl::Time hold_until_ ABSL_GUARDED_BY(mu_);
  bool checkpointing_ ABSL_GUARDED_BY(mu_) = false;
  bool committing_ ABSL_GUARDED_BY(mu_) = false;
  // Ends a hold whose lease passed (none while a checkpoint is being made).
  void EndLapsedHold(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // Readers pinning the database, and whether a reopen waits for them.
  mutable Mutex readers_mu_;
  mutable int readers_ ABSL_GUARDED_BY(readers_mu_) = 0;
  bool reopening_ ABSL_GUARDED_BY(readers_mu_) = false;

  // Writer thread only: when to look at the disk next, and how many
  // reopens in a row failed (each doubles the wait, up to 32 intervals).
  absl::Time next_recovery_ = absl::InfinitePast();
  // The sequence number the next appended record takes; the writer thread
  // (and Open, before it starts) only.
  uint64_t log_next_ = 1;
  std::string log_id_;
  // The newest committed record, published after each commit; AwaitLog
  // waits on it (every Unlock wakes the waiters).
  mutable Mutex log_mu_;
  uint64_t log_last_ ABSL_GUARDED_BY(log_mu_) = 0;
  int failed_reopens_ = 0;
  std::thread writer_;
};

// A column family derived from others (an index, a listing, sums), filled
// once for a data directory from before it existed: when `built_key` is
// absent from `cf`, `fill` runs in one mutation that also writes
// `built_key`, so a crash midway leaves it to be filled again at the next
// start. Answers what `fill` counted (0 when the family was built already).
absl::StatusOr<int64_t> FillOnce(Store& store, std::string_view cf, std::string_view built_key,
                                 const std::function<absl::StatusOr<int64_t>(Store::Txn&)>& fill);

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_STORE_H_
