#include "services/common/store.h"

#include <algorithm>
#include <filesystem>
#include <future>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "rocksdb/cache.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "rocksdb/file_system.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/options.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/checkpoint.h"
#include "rocksdb/utilities/write_batch_with_index.h"
#include "services/common/random_id.h"
#include "services/common/server.h"
#include "services/common/store_faults.h"

namespace yusuan {
namespace {

absl::Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return absl::OkStatus();
  const std::string message = absl::StrCat("存储错误 / storage error (", std::string(what), "): ", s.ToString());
  if (s.IsNotFound()) return absl::NotFoundError(message);
  if (s.IsBusy() || s.IsTryAgain() || s.IsTimedOut()) return absl::UnavailableError(message);
  if (s.IsCorruption()) return absl::DataLossError(message);
  return absl::InternalError(message);
}

// Room a reopen needs besides the write-ahead logs it replays: the new
// manifest, options file and log.
constexpr uint64_t kReopenMargin = uint64_t{4} << 20;
// Failed reopens in a row double the wait, up to 2^5 = 32 intervals.
constexpr int kMaxRecoveryBackoffShift = 5;

// The stores this thread is reading, innermost last. A read nested in the
// visit of another (a Get inside a Scan's callback) must not wait for a
// reopen, which waits for the outer read to end.
thread_local std::vector<const Store*> reads_in_progress;

// The first key after every key that starts with `prefix` ("" when there is
// none: a prefix of 0xff bytes only, or no prefix). A scan's iterator stops
// there: without a bound, the step past the prefix's last live key walks
// every deleted key that follows it until a live one, and stores delete
// often (promoted goals, moved queue entries, purged answers), so a short
// scan cost as much as the tombstones after it.
std::string PrefixSuccessor(std::string_view prefix) {
  std::string bound(prefix);
  while (!bound.empty() && static_cast<unsigned char>(bound.back()) == 0xff) bound.pop_back();
  if (!bound.empty()) bound.back() = static_cast<char>(static_cast<unsigned char>(bound.back()) + 1);
  return bound;
}

// Read options bounded by `upper_bound` (which must outlive the iterator)
// when it is not empty.
rocksdb::ReadOptions ScanOptions(const std::string& upper_bound, rocksdb::Slice* slice) {
  rocksdb::ReadOptions options;
  if (!upper_bound.empty()) {
    *slice = rocksdb::Slice(upper_bound);
    options.iterate_upper_bound = slice;
  }
  return options;
}

}  // namespace

// Keeps the database open for one read, a Scan's visits included.
class Store::ReadPin {
 public:
  explicit ReadPin(const Store* store) : store_(store) {
    nested_ = std::find(reads_in_progress.begin(), reads_in_progress.end(), store) != reads_in_progress.end();
    if (!nested_) {
      MutexLock lock(&store->readers_mu_);
      store->readers_mu_.Await([store]()
                                   ABSL_EXCLUSIVE_LOCKS_REQUIRED(store->readers_mu_) { return store->OpenForReads(); });
      ++store->readers_;
    }
    reads_in_progress.push_back(store);
  }
  ~ReadPin() {
    reads_in_progress.pop_back();
    if (!nested_) {
      MutexLock lock(&store_->readers_mu_);
      --store_->readers_;
    }
  }
  ReadPin(const ReadPin&) = delete;
  ReadPin& operator=(const ReadPin&) = delete;

  // OK, or UNAVAILABLE while the last reopen left no database open at all.
  absl::Status Open() const {
    if (store_->db_ != nullptr) return absl::OkStatus();
    const std::string& path = store_->options_.path;
    return absl::UnavailableError(absl::StrCat("存储暂不可读（", path, "），请稍后重试 / the store at ", path,
                                               " cannot be read now; retry later"));
  }

 private:
  const Store* store_;
  bool nested_ = false;
};

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const StoreOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(options.path, ec);
  if (ec) return store_faults::CreateRefused(ec, options.path);
  std::unique_ptr<Store> store(new Store());
  store->options_ = options;
  store->db_options_ = std::make_unique<rocksdb::DBOptions>();
  rocksdb::DBOptions& db_options = *store->db_options_;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.IncreaseParallelism(2);
  db_options.max_total_wal_size = options.max_wal_bytes;
  db_options.db_write_buffer_size = options.memtable_bytes;
  store->family_options_ = std::make_unique<rocksdb::ColumnFamilyOptions>();
  rocksdb::BlockBasedTableOptions table_options;
  table_options.block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  table_options.cache_index_and_filter_blocks = true;
  table_options.pin_l0_filter_and_index_blocks_in_cache = true;
  // Most point reads of an apply ask for keys that are not there yet (a
  // new department's budget, workflow, idempotency record): a filter
  // answers those without reading a data block of every level.
  table_options.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  store->family_options_->table_factory.reset(rocksdb::NewBlockBasedTableFactory(table_options));
  if (options.file_system != nullptr) {
    store->env_ = rocksdb::NewCompositeEnv(options.file_system);
    db_options.env = store->env_.get();
  }
  // RocksDB's own info log asserts on the line after one the disk had no
  // room for, which Debian's build turns into an abort (exit 134).
  db_options.info_log = store_faults::NewDataDirLog(options.path);
  db_options.listeners.push_back(store_faults::NewFaultListener(
      [raw = store.get()](const rocksdb::Status& error) { raw->BackgroundErrorStopsWrites(error); }));
  // Its automatic resume from retryable I/O errors has the same flaw as its
  // recovery from a full disk (store_faults.cc): the store reopens instead.
  db_options.max_bgerror_resume_count = 0;
  rocksdb::Status opened = store->OpenDatabase(/*read_only=*/false);
  if (opened.ok()) opened = store->LoadLogState();
  if (!opened.ok()) return store_faults::OpenRefused(opened, options.path);
  {
    MutexLock lock(&store->log_mu_);
    store->log_last_ = store->log_next_ - 1;
  }
  store->writer_ = std::thread([s = store.get()] { s->WriterLoop(); });
  return store;
}

rocksdb::Status Store::OpenDatabase(bool read_only) {
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, *family_options_);
  for (const auto& name : options_.column_families) {
    descriptors.emplace_back(name, *family_options_);
  }
  if (!options_.log_column_family.empty() && std::find(options_.column_families.begin(), options_.column_families.end(),
                                                       options_.log_column_family) == options_.column_families.end()) {
    descriptors.emplace_back(options_.log_column_family, *family_options_);
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = read_only ? rocksdb::DB::OpenForReadOnly(*db_options_, options_.path, descriptors, &handles, &raw)
                                : rocksdb::DB::Open(*db_options_, options_.path, descriptors, &handles, &raw);
  if (!s.ok()) return s;
  db_.reset(raw);
  owned_handles_ = handles;
  for (size_t i = 0; i < descriptors.size(); ++i) {
    handles_.emplace(descriptors[i].name, handles[i]);
  }
  return s;
}

namespace {
// Where the log's identity is kept, in the default column family (which no
// entity uses).
constexpr char kLogIdKey[] = "yusuan.log_id";
}  // namespace

rocksdb::Status Store::LoadLogState() {
  if (options_.log_column_family.empty()) return rocksdb::Status::OK();
  std::string id;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), db_->DefaultColumnFamily(), kLogIdKey, &id);
  if (s.IsNotFound()) {
    id = RandomHexId();
    rocksdb::WriteOptions sync;
    sync.sync = true;
    s = db_->Put(sync, db_->DefaultColumnFamily(), kLogIdKey, id);
  }
  if (!s.ok()) return s;
  // Set once, at the first open: readers use it without a lock, and a
  // reopen finds the same id.
  if (log_id_.empty()) log_id_ = id;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), Handle(options_.log_column_family)));
  it->SeekToLast();
  log_next_ = it->Valid() ? DecodeBigEndian64(it->key().ToStringView()) + 1 : 1;
  return it->status();
}

Store::MemoryUse Store::Memory() const {
  MemoryUse use;
  ReadPin pin(this);
  if (!pin.Open().ok()) return use;
  uint64_t value = 0;
  if (db_->GetAggregatedIntProperty(rocksdb::DB::Properties::kCurSizeAllMemTables, &value)) use.memtables = value;
  if (db_->GetAggregatedIntProperty(rocksdb::DB::Properties::kEstimateTableReadersMem, &value)) {
    use.table_readers = value;
  }
  // The cache is shared: any family's figure is the whole of it.
  if (db_->GetIntProperty(rocksdb::DB::Properties::kBlockCacheUsage, &value)) use.block_cache = value;
  return use;
}

uint64_t Store::LastLogSequence() const {
  MutexLock lock(&log_mu_);
  return log_last_;
}

bool Store::AwaitLog(uint64_t after, absl::Time deadline) const {
  MutexLock lock(&log_mu_);
  return log_mu_.AwaitWithDeadline([this, after]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(log_mu_) { return log_last_ > after; },
                                   deadline);
}

void Store::CloseDatabase() {
  if (db_ == nullptr) return;
  for (auto* handle : owned_handles_) db_->DestroyColumnFamilyHandle(handle);
  owned_handles_.clear();
  handles_.clear();
  // A database that stopped writing closes with the error it stopped on;
  // its write-ahead log is what the next open replays.
  rocksdb::Status closed = db_->Close();
  closed.PermitUncheckedError();
  db_.reset();
}

Store::~Store() {
  {
    MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (writer_.joinable()) writer_.join();
  CloseDatabase();
}

rocksdb::ColumnFamilyHandle* Store::Handle(std::string_view cf) const {
  auto it = handles_.find(cf);
  return it == handles_.end() ? nullptr : it->second;
}

void Store::Submit(Mutation mutation, Done done, Durability durability) {
  {
    MutexLock lock(&mu_);
    if (!stopping_) {
      queue_.push_back(Pending{std::move(mutation), std::move(done), durability});
      return;
    }
  }
  // Outside the lock: a Done may call back into the store.
  done(absl::UnavailableError("存储正在关闭 / store is shutting down"));
}

absl::Status Store::Apply(Mutation mutation, Durability durability) {
  auto promise = std::make_shared<std::promise<absl::Status>>();
  auto future = promise->get_future();
  Submit(
      std::move(mutation), [promise](absl::Status s) { promise->set_value(std::move(s)); }, durability);
  return future.get();
}

absl::Status Store::WriteStatus() const {
  MutexLock lock(&mu_);
  return writes_;
}

void Store::WriterLoop() {
  while (true) {
    std::vector<Pending> group;
    absl::Status background;
    {
      MutexLock lock(&mu_);
      committing_ = false;
      while (true) {
        if (stopping_ && !checkpointing_) hold_id_.clear();
        EndLapsedHold(absl::Now());
        if (!hold_id_.empty()) {
          // Held by a backup: nothing is committed, no reopen either (a
          // checkpoint may be reading the database).
          const absl::Time until = checkpointing_ ? absl::InfiniteFuture() : hold_until_;
          mu_.AwaitWithDeadline([this, held = hold_id_, checkpointing = checkpointing_]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(
                                    mu_) { return hold_id_ != held || stopping_ || checkpointing_ != checkpointing; },
                                until);
          continue;
        }
        const auto ready = [this]()
                               ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return HasWorkOrStops() || !hold_id_.empty(); };
        if (writes_.ok()) {
          mu_.Await(ready);
        } else {
          // Stopped writes: wake at the next look at the disk too.
          mu_.AwaitWithDeadline(ready, next_recovery_);
        }
        if (hold_id_.empty()) break;
      }
      if (queue_.empty() && stopping_) return;
      committing_ = true;
      while (!queue_.empty() && group.size() < options_.max_group) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      background = std::exchange(background_error_, absl::OkStatus());
    }
    if (!background.ok()) StopWrites(std::move(background));
    TryToRecover();
    if (!group.empty()) CommitGroup(group);
  }
}

void Store::EndLapsedHold(absl::Time now) {
  if (hold_id_.empty() || checkpointing_ || now < hold_until_) return;
  LogLine("store", absl::StrCat("备份 ", hold_id_, " 的写入暂停已到期，写入继续 / the hold of backup ", hold_id_,
                                " on ", options_.path, " lapsed after ", absl::FormatDuration(now - hold_since_),
                                " without a release; writes go on"));
  hold_id_.clear();
}

absl::StatusOr<int64_t> Store::HoldWrites(const std::string& hold_id, absl::Duration lease) {
  MutexLock lock(&mu_);
  if (stopping_) {
    return absl::UnavailableError(absl::StrCat("存储正在关闭（", options_.path, "） / the store at ", options_.path,
                                               " is closing; retry the backup once it is up"));
  }
  const absl::Time now = absl::Now();
  EndLapsedHold(now);
  if (!hold_id_.empty() && hold_id_ != hold_id) {
    return absl::FailedPreconditionError(
        absl::StrCat("另一备份（", hold_id_, "）正暂停写入 / another backup (", hold_id_, ") holds the writes of ",
                     options_.path, " until ", absl::FormatTime("%H:%M:%E3S UTC", hold_until_, absl::UTCTimeZone()),
                     "; wait for it to end and start again"));
  }
  if (hold_id_.empty()) {
    hold_id_ = hold_id;
    hold_since_ = now;
    hold_until_ = now + lease;
  }
  // The group being committed finishes first.
  mu_.Await([this, &hold_id]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !committing_ || hold_id_ != hold_id; });
  if (hold_id_ != hold_id) {
    return absl::FailedPreconditionError(
        absl::StrCat("备份 ", hold_id, " 的写入暂停在生效前已到期 / the hold of backup ", hold_id, " on ",
                     options_.path, " lapsed before it took effect; start again with a longer lease"));
  }
  return static_cast<int64_t>(queue_.size());
}

absl::StatusOr<Store::CheckpointPoint> Store::CreateCheckpoint(const std::string& hold_id,
                                                               const std::string& directory) {
  {
    MutexLock lock(&mu_);
    EndLapsedHold(absl::Now());
    if (hold_id.empty() || hold_id_ != hold_id) {
      return absl::FailedPreconditionError(absl::StrCat(
          "备份 ", hold_id, " 未暂停写入（暂停已到期或已解除），检查点不是同一时刻的 / backup ", hold_id,
          " does not hold the writes of ", options_.path,
          " (its hold lapsed or was released), so a checkpoint now would not be of the moment the other stores were "
          "copied at; start the backup again (with a longer lease if it lapsed)"));
    }
    checkpointing_ = true;
  }
  absl::StatusOr<CheckpointPoint> point = [&]() -> absl::StatusOr<CheckpointPoint> {
    ReadPin pin(this);
    if (absl::Status open = pin.Open(); !open.ok()) return open;
    rocksdb::Checkpoint* raw = nullptr;
    if (rocksdb::Status s = rocksdb::Checkpoint::Create(db_.get(), &raw); !s.ok()) return FromRocks(s, "checkpoint");
    std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
    CheckpointPoint made;
    // No flush: the write-ahead log is copied as it is, and nothing is
    // written to the store while the checkpoint is made.
    rocksdb::Status s =
        checkpoint->CreateCheckpoint(directory, std::numeric_limits<uint64_t>::max(), &made.rocksdb_sequence);
    if (!s.ok()) return FromRocks(s, absl::StrCat("checkpoint into ", directory));
    made.log_sequence = LastLogSequence();
    return made;
  }();
  MutexLock lock(&mu_);
  checkpointing_ = false;
  // A lease that passed meanwhile ends the hold now (the writer waits for it).
  EndLapsedHold(absl::Now());
  return point;
}

std::optional<absl::Duration> Store::ReleaseWrites(const std::string& hold_id) {
  MutexLock lock(&mu_);
  if (hold_id.empty() || hold_id_ != hold_id || checkpointing_) return std::nullopt;
  hold_id_.clear();
  return absl::Now() - hold_since_;
}

void Store::CommitGroup(std::vector<Pending>& group) {
  absl::Status refused = WriteStatus();
  if (!refused.ok()) {
    // Not run at all: a mutation's checks would read a state it cannot change.
    for (auto& pending : group) pending.done(refused);
    return;
  }
  rocksdb::WriteBatchWithIndex batch(rocksdb::BytewiseComparator(), 0,
                                     /*overwrite_key=*/true);
  std::vector<absl::Status> results;
  results.reserve(group.size());
  Txn txn(this, &batch);
  const uint64_t group_log_start = log_next_;
  bool any_synced = false;
  for (auto& pending : group) {
    any_synced = any_synced || pending.durability == Durability::kSynced;
    batch.SetSavePoint();
    const uint64_t mutation_log_start = log_next_;
    absl::Status status = pending.mutation(txn);
    if (!status.ok()) {
      batch.RollbackToSavePoint();
      log_next_ = mutation_log_start;
    } else {
      batch.PopSavePoint();
    }
    results.push_back(std::move(status));
  }
  absl::Status commit = absl::OkStatus();
  if (batch.GetWriteBatch()->Count() > 0) {
    rocksdb::WriteOptions write_options;
    write_options.sync = options_.sync && any_synced;
    rocksdb::Status written = db_->Write(write_options, batch.GetWriteBatch());
    if (written.IsIOError()) {
      // None of the group is applied: RocksDB put none of it in its
      // memtables, and the tail of a log record that did not fit is
      // dropped when the log is replayed.
      commit = store_faults::WritesRefused(written, options_.path);
      StopWrites(commit);
    } else {
      commit = FromRocks(written, "commit");
    }
  }
  if (!commit.ok()) {
    log_next_ = group_log_start;
  } else if (log_next_ != group_log_start) {
    MutexLock lock(&log_mu_);
    log_last_ = log_next_ - 1;
  }
  {
    MutexLock lock(&mu_);
    ++groups_;
    mutations_ += group.size();
  }
  for (size_t i = 0; i < group.size(); ++i) {
    group[i].done(results[i].ok() ? commit : results[i]);
  }
}

void Store::StopWrites(absl::Status refused) {
  {
    MutexLock lock(&mu_);
    if (writes_ == refused) return;
    if (writes_.ok()) {
      // The disk just failed: the first look at it is one interval away.
      next_recovery_ = absl::Now() + options_.recovery_interval;
      failed_reopens_ = 0;
    }
    writes_ = refused;
  }
  if (options_.on_writes_changed) options_.on_writes_changed(refused);
}

void Store::BackgroundErrorStopsWrites(const rocksdb::Status& error) {
  absl::Status refused = store_faults::WritesRefused(error, options_.path);
  MutexLock lock(&mu_);
  background_error_ = std::move(refused);
}

void Store::TryToRecover() {
  if (WriteStatus().ok()) return;
  const absl::Time now = absl::Now();
  if (now < next_recovery_) return;
  next_recovery_ = now + options_.recovery_interval;
  if (!store_faults::RoomToReopen(options_.path, kReopenMargin)) return;

  // RocksDB's DB::Resume() cannot be trusted here (store_faults.cc); a
  // reopen starts from what is on disk, as a restart would.
  {
    MutexLock lock(&readers_mu_);
    reopening_ = true;
    readers_mu_.Await([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(readers_mu_) { return NoReaders(); });
  }
  CloseDatabase();
  {
    // What the closed database reported is no news about the next one.
    MutexLock lock(&mu_);
    background_error_ = absl::OkStatus();
  }
  rocksdb::Status reopened = OpenDatabase(/*read_only=*/false);
  if (reopened.ok()) reopened = LoadLogState();
  if (!reopened.ok()) {
    // Reads go on from a read-only instance until a later attempt succeeds.
    rocksdb::Status read_only = OpenDatabase(/*read_only=*/true);
    read_only.PermitUncheckedError();
  }
  {
    MutexLock lock(&readers_mu_);
    reopening_ = false;
  }
  if (!reopened.ok()) {
    ++failed_reopens_;
    next_recovery_ = now + options_.recovery_interval * (1 << std::min(failed_reopens_, kMaxRecoveryBackoffShift));
    StopWrites(store_faults::WritesRefused(reopened, options_.path));
    return;
  }
  failed_reopens_ = 0;
  {
    MutexLock lock(&mu_);
    writes_ = absl::OkStatus();
  }
  if (options_.on_writes_changed) options_.on_writes_changed(absl::OkStatus());
}

absl::StatusOr<std::optional<std::string>> Store::Txn::Get(std::string_view cf, std::string_view key) {
  rocksdb::ColumnFamilyHandle* handle = store_->Handle(cf);
  if (handle == nullptr) return absl::InternalError(absl::StrCat("unknown column family ", std::string(cf)));
  std::string value;
  rocksdb::Status s = batch_->GetFromBatchAndDB(store_->db_.get(), rocksdb::ReadOptions(), handle,
                                                rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s, "read");
  return std::optional<std::string>(std::move(value));
}

absl::Status Store::Txn::Scan(std::string_view cf, std::string_view prefix,
                              const std::function<bool(std::string_view, std::string_view)>& visit) {
  rocksdb::ColumnFamilyHandle* handle = store_->Handle(cf);
  if (handle == nullptr) return absl::InternalError(absl::StrCat("unknown column family ", std::string(cf)));
  const std::string upper_bound = PrefixSuccessor(prefix);
  rocksdb::Slice bound_slice;
  // The bound's Slice lives until `it` (declared after it) is destroyed.
  const rocksdb::ReadOptions options = ScanOptions(upper_bound, &bound_slice);
  std::unique_ptr<rocksdb::Iterator> it(batch_->NewIteratorWithBase(handle, store_->db_->NewIterator(options, handle)));
  for (it->Seek(rocksdb::Slice(prefix.data(), prefix.size())); it->Valid(); it->Next()) {
    std::string_view key = it->key().ToStringView();
    if (key.substr(0, prefix.size()) != prefix) break;
    if (!visit(key, it->value().ToStringView())) break;
  }
  return FromRocks(it->status(), "scan");
}

void Store::Txn::Put(std::string_view cf, std::string_view key, std::string_view value) {
  batch_->Put(store_->Handle(cf), rocksdb::Slice(key.data(), key.size()), rocksdb::Slice(value.data(), value.size()));
}

uint64_t Store::Txn::AppendToLog(std::string_view record) {
  const uint64_t sequence = store_->log_next_++;
  Put(store_->options_.log_column_family, EncodeBigEndian64(sequence), record);
  return sequence;
}

void Store::Txn::Delete(std::string_view cf, std::string_view key) {
  batch_->Delete(store_->Handle(cf), rocksdb::Slice(key.data(), key.size()));
}

absl::StatusOr<std::optional<std::string>> Store::Get(std::string_view cf, std::string_view key) const {
  ReadPin pin(this);
  if (absl::Status open = pin.Open(); !open.ok()) return open;
  rocksdb::ColumnFamilyHandle* handle = Handle(cf);
  if (handle == nullptr) return absl::InternalError(absl::StrCat("unknown column family ", std::string(cf)));
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), handle, rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s, "read");
  return std::optional<std::string>(std::move(value));
}

absl::Status Store::Scan(std::string_view cf, std::string_view prefix, std::string_view start_after,
                         const std::function<bool(std::string_view, std::string_view)>& visit) const {
  ReadPin pin(this);
  if (absl::Status open = pin.Open(); !open.ok()) return open;
  rocksdb::ColumnFamilyHandle* handle = Handle(cf);
  if (handle == nullptr) return absl::InternalError(absl::StrCat("unknown column family ", std::string(cf)));
  const std::string upper_bound = PrefixSuccessor(prefix);
  rocksdb::Slice bound_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ScanOptions(upper_bound, &bound_slice), handle));
  if (start_after.empty()) {
    it->Seek(rocksdb::Slice(prefix.data(), prefix.size()));
  } else {
    it->Seek(rocksdb::Slice(start_after.data(), start_after.size()));
    if (it->Valid() && it->key().ToStringView() == std::string_view(start_after)) it->Next();
  }
  for (; it->Valid(); it->Next()) {
    std::string_view key = it->key().ToStringView();
    if (key.substr(0, prefix.size()) != prefix) break;
    if (!visit(key, it->value().ToStringView())) break;
  }
  return FromRocks(it->status(), "scan");
}

uint64_t Store::groups_committed() const {
  MutexLock lock(&mu_);
  return groups_;
}

uint64_t Store::mutations_committed() const {
  MutexLock lock(&mu_);
  return mutations_;
}

absl::StatusOr<int64_t> FillOnce(Store& store, std::string_view cf, std::string_view built_key,
                                 const std::function<absl::StatusOr<int64_t>(Store::Txn&)>& fill) {
  auto built = store.Get(cf, built_key);
  if (!built.ok()) return built.status();
  if (built->has_value()) return 0;
  int64_t added = 0;
  absl::Status applied = store.Apply([&](Store::Txn& txn) -> absl::Status {
    absl::StatusOr<int64_t> filled = fill(txn);
    if (!filled.ok()) return filled.status();
    added = *filled;
    txn.Put(cf, built_key, "");
    return absl::OkStatus();
  });
  if (!applied.ok()) return applied;
  return added;
}

}  // namespace yusuan
