#include "services/common/store.h"

#include <filesystem>
#include <future>

#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/utilities/write_batch_with_index.h"

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

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const StoreOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(options.path, ec);
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("无法创建数据目录 / cannot create data directory ", options.path, ": ", ec.message()));
  }
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.IncreaseParallelism(2);

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions());
  for (const auto& name : options.column_families) {
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(db_options, options.path, descriptors, &handles, &raw);
  if (!s.ok()) return FromRocks(s, absl::StrCat("open ", options.path));

  std::unique_ptr<Store> store(new Store());
  store->db_.reset(raw);
  store->options_ = options;
  store->owned_handles_ = handles;
  for (size_t i = 0; i < descriptors.size(); ++i) {
    store->handles_.emplace(descriptors[i].name, handles[i]);
  }
  store->writer_ = std::thread([s = store.get()] { s->WriterLoop(); });
  return store;
}

Store::~Store() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (writer_.joinable()) writer_.join();
  for (auto* handle : owned_handles_) db_->DestroyColumnFamilyHandle(handle);
  if (db_) db_->Close();
}

rocksdb::ColumnFamilyHandle* Store::Handle(std::string_view cf) const {
  auto it = handles_.find(cf);
  return it == handles_.end() ? nullptr : it->second;
}

void Store::Submit(Mutation mutation, Done done) {
  {
    absl::MutexLock lock(&mu_);
    if (!stopping_) {
      queue_.push_back(Pending{std::move(mutation), std::move(done)});
      return;
    }
  }
  // Outside the lock: a Done may call back into the store.
  done(absl::UnavailableError("存储正在关闭 / store is shutting down"));
}

absl::Status Store::Apply(Mutation mutation) {
  auto promise = std::make_shared<std::promise<absl::Status>>();
  auto future = promise->get_future();
  Submit(std::move(mutation), [promise](absl::Status s) { promise->set_value(std::move(s)); });
  return future.get();
}

void Store::WriterLoop() {
  while (true) {
    std::vector<Pending> group;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &Store::HasWorkOrStops));
      if (queue_.empty() && stopping_) return;
      while (!queue_.empty() && group.size() < options_.max_group) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    rocksdb::WriteBatchWithIndex batch(rocksdb::BytewiseComparator(), 0,
                                       /*overwrite_key=*/true);
    std::vector<absl::Status> results;
    results.reserve(group.size());
    Txn txn(this, &batch);
    for (auto& pending : group) {
      batch.SetSavePoint();
      absl::Status status = pending.mutation(txn);
      if (!status.ok()) {
        batch.RollbackToSavePoint();
      } else {
        batch.PopSavePoint();
      }
      results.push_back(std::move(status));
    }
    absl::Status commit = absl::OkStatus();
    if (batch.GetWriteBatch()->Count() > 0) {
      rocksdb::WriteOptions write_options;
      write_options.sync = options_.sync;
      commit = FromRocks(db_->Write(write_options, batch.GetWriteBatch()), "commit");
    }
    {
      absl::MutexLock lock(&mu_);
      ++groups_;
      mutations_ += group.size();
    }
    for (size_t i = 0; i < group.size(); ++i) {
      group[i].done(results[i].ok() ? commit : results[i]);
    }
  }
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
  std::unique_ptr<rocksdb::Iterator> it(
      batch_->NewIteratorWithBase(handle, store_->db_->NewIterator(rocksdb::ReadOptions(), handle)));
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

void Store::Txn::Delete(std::string_view cf, std::string_view key) {
  batch_->Delete(store_->Handle(cf), rocksdb::Slice(key.data(), key.size()));
}

absl::StatusOr<std::optional<std::string>> Store::Get(std::string_view cf, std::string_view key) const {
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
  rocksdb::ColumnFamilyHandle* handle = Handle(cf);
  if (handle == nullptr) return absl::InternalError(absl::StrCat("unknown column family ", std::string(cf)));
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), handle));
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
  absl::MutexLock lock(&mu_);
  return groups_;
}

uint64_t Store::mutations_committed() const {
  absl::MutexLock lock(&mu_);
  return mutations_;
}

}  // namespace yusuan
