// Holding a store's writes and checkpointing it (Store::HoldWrites,
// CreateCheckpoint, ReleaseWrites) through the backup service's own work,
// on real RocksDB stores in temporary directories.
#include "services/common/backup_service.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/common/testing/temp_store.h"

namespace yusuan {
namespace {

namespace fs = std::filesystem;
namespace v1 = yusuan::storage::v1;
using yusuan::testing::TempStore;

constexpr char kCf[] = "things";
constexpr char kLogCf[] = "log";

class BackupServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.Open("backup", {kCf}, kLogCf).ok());
    auto service = StoreBackupService::Create("ledger", store_.get());
    ASSERT_TRUE(service.ok()) << service.status();
    service_ = *std::move(service);
  }
  void TearDown() override {
    const std::string root = service_->checkpoint_root();
    service_.reset();
    store_.Close();
    fs::remove_all(root);
    for (const std::string& dir : opened_) fs::remove_all(dir);
  }

  absl::Status Put(const std::string& key, const std::string& value) {
    return store_.get()->Apply([&](Store::Txn& txn) {
      txn.Put(kCf, key, value);
      txn.AppendToLog(key);
      return absl::OkStatus();
    });
  }
  absl::StatusOr<v1::HoldWritesResponse> Hold(const std::string& id, int64_t lease_ms) {
    v1::HoldWritesRequest request;
    request.set_backup_id(id);
    request.set_lease_ms(lease_ms);
    return service_->Hold(request);
  }
  // Opens a copy of a checkpoint as a store of its own.
  std::unique_ptr<Store> OpenCopy(const fs::path& dir) {
    const std::string copy = dir.string() + "-opened";
    fs::remove_all(copy);
    fs::copy(dir, copy, fs::copy_options::recursive);
    opened_.push_back(copy);
    StoreOptions options;
    options.path = copy;
    options.column_families = {kCf};
    options.log_column_family = kLogCf;
    absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(options);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

  TempStore store_;
  std::unique_ptr<StoreBackupService> service_;
  std::vector<std::string> opened_;
};

TEST_F(BackupServiceTest, AHeldStoreCommitsNothingUntilReleasedThenEverythingThatWaited) {
  ASSERT_TRUE(Put("before", "1").ok());
  ASSERT_TRUE(Hold("b1", 30'000).ok());
  std::atomic<bool> done{false};
  store_.get()->Submit(
      [](Store::Txn& txn) {
        txn.Put(kCf, "during", "2");
        return absl::OkStatus();
      },
      [&done](absl::Status status) {
        EXPECT_TRUE(status.ok()) << status;
        done = true;
      });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(done.load()) << "a write was committed while the writes were held";
  EXPECT_FALSE(store_.get()->Get(kCf, "during")->has_value());
  EXPECT_TRUE(store_.get()->Get(kCf, "before")->has_value()) << "reads go on while writes are held";

  absl::StatusOr<v1::ReleaseWritesResponse> released = service_->Release("b1");
  ASSERT_TRUE(released.ok()) << released.status();
  EXPECT_GE(released->held_ms(), 300);
  for (int i = 0; i < 200 && !done; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(done.load()) << "the write that waited was not committed after the release";
  EXPECT_TRUE(store_.get()->Get(kCf, "during")->has_value());
  // Released twice: nothing held, no error.
  released = service_->Release("b1");
  ASSERT_TRUE(released.ok());
  EXPECT_EQ(released->held_ms(), 0);
}

TEST_F(BackupServiceTest, ACheckpointHoldsWhatWasCommittedAtTheHoldAndNotWhatWaited) {
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(Put(absl::StrCat("key", i), std::string(1000, 'x')).ok());
  ASSERT_TRUE(Hold("b2", 30'000).ok());
  std::atomic<bool> done{false};
  store_.get()->Submit(
      [](Store::Txn& txn) {
        txn.Put(kCf, "late", "after the hold");
        txn.AppendToLog("late");
        return absl::OkStatus();
      },
      [&done](absl::Status) { done = true; });
  absl::StatusOr<v1::Checkpoint> checkpoint = service_->Checkpoint("b2");
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status();
  ASSERT_TRUE(service_->Release("b2").ok());

  EXPECT_EQ(checkpoint->service(), "ledger");
  EXPECT_EQ(checkpoint->log_id(), store_.get()->log_id());
  EXPECT_EQ(checkpoint->log_sequence(), 50u) << "the log's newest record at the hold";
  std::set<std::string> names;
  const fs::path dir = fs::path(service_->checkpoint_root()) / "b2";
  for (const v1::CheckpointFile& file : checkpoint->files()) {
    names.insert(file.path());
    EXPECT_EQ(static_cast<int64_t>(fs::file_size(dir / file.path())), file.size_bytes()) << file.path();
  }
  EXPECT_TRUE(names.count("CURRENT")) << "a checkpoint is a database directory";

  std::unique_ptr<Store> copy = OpenCopy(dir);
  ASSERT_NE(copy, nullptr);
  for (int i = 0; i < 50; ++i) {
    EXPECT_TRUE(copy->Get(kCf, absl::StrCat("key", i))->has_value()) << i;
  }
  EXPECT_FALSE(copy->Get(kCf, "late")->has_value()) << "the checkpoint holds a write made after the hold";
  EXPECT_EQ(copy->LastLogSequence(), 50u);
  EXPECT_EQ(copy->log_id(), store_.get()->log_id());
  for (int i = 0; i < 200 && !done; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(store_.get()->Get(kCf, "late")->has_value());

  ASSERT_TRUE(service_->Delete("b2").ok());
  EXPECT_FALSE(fs::exists(dir));
}

TEST_F(BackupServiceTest, AHoldEndsWithItsLeaseAndACheckpointAfterItIsRefused) {
  ASSERT_TRUE(Hold("b3", 100).ok());
  std::atomic<bool> done{false};
  store_.get()->Submit(
      [](Store::Txn& txn) {
        txn.Put(kCf, "k", "v");
        return absl::OkStatus();
      },
      [&done](absl::Status) { done = true; });
  for (int i = 0; i < 300 && !done; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(done.load()) << "writes stayed held past the lease";
  absl::StatusOr<v1::Checkpoint> late = service_->Checkpoint("b3");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(late.status().message().find("start the backup again"), std::string::npos) << late.status();
}

TEST_F(BackupServiceTest, OneBackupHoldsTheWritesAtATime) {
  ASSERT_TRUE(Hold("first", 30'000).ok());
  absl::StatusOr<v1::HoldWritesResponse> second = Hold("second", 30'000);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(second.status().message().find("first"), std::string::npos) << second.status();
  EXPECT_TRUE(Hold("first", 30'000).ok()) << "the same backup asking again is the same hold";
  absl::StatusOr<v1::Checkpoint> other = service_->Checkpoint("second");
  EXPECT_EQ(other.status().code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(service_->Release("first").ok());
  EXPECT_TRUE(Hold("second", 30'000).ok());
  ASSERT_TRUE(service_->Release("second").ok());
}

TEST_F(BackupServiceTest, BadIdsAndLeasesAreRefusedNamingTheField) {
  for (const std::string& id : std::vector<std::string>{"", "UPPER", "../etc", std::string(65, 'a'), "a/b"}) {
    absl::StatusOr<v1::HoldWritesResponse> held = Hold(id, 1000);
    ASSERT_FALSE(held.ok()) << id;
    EXPECT_EQ(held.status().code(), absl::StatusCode::kInvalidArgument) << id;
    EXPECT_NE(held.status().message().find("backup_id"), std::string::npos) << held.status();
    EXPECT_EQ(service_->Delete(id).code(), absl::StatusCode::kInvalidArgument) << id;
  }
  for (const int64_t lease : {0, -1, 60'001}) {
    absl::StatusOr<v1::HoldWritesResponse> held = Hold("ok-id", lease);
    ASSERT_FALSE(held.ok()) << lease;
    EXPECT_EQ(held.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(held.status().message().find("lease_ms"), std::string::npos) << held.status();
  }
}

TEST_F(BackupServiceTest, WhatABackupLeftIsRemovedWhenTheServiceStarts) {
  const fs::path left = fs::path(service_->checkpoint_root()) / "old-backup";
  fs::create_directories(left);
  std::ofstream(left / "000001.log") << "left by a backup that ended with the process";
  service_.reset();
  auto service = StoreBackupService::Create("ledger", store_.get());
  ASSERT_TRUE(service.ok()) << service.status();
  service_ = *std::move(service);
  EXPECT_FALSE(fs::exists(left));
  EXPECT_TRUE(fs::is_directory(service_->checkpoint_root()));
}

}  // namespace
}  // namespace yusuan
