// The store on a disk that fills up or turns read-only (issue 13): a small
// tmpfs of the test's own (testing/small_disk.h), filled to the last byte.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/common/errors.h"
#include "services/common/mutex.h"
#include "services/common/store.h"
#include "services/common/testing/small_disk.h"

namespace yusuan {
namespace {

using ::yusuan::testing::SmallDisk;

bool Contains(const absl::Status& status, const std::string& part) {
  return std::string(status.message()).find(part) != std::string::npos;
}

bool WaitFor(const std::function<bool()>& condition, absl::Duration limit) {
  const absl::Time deadline = absl::Now() + limit;
  while (absl::Now() < deadline) {
    if (condition()) return true;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return condition();
}

Store::Mutation PutIn(std::vector<std::string> families, std::string key, std::string value) {
  return [families = std::move(families), key = std::move(key), value = std::move(value)](Store::Txn& txn) {
    for (const std::string& cf : families) txn.Put(cf, key, value);
    return absl::OkStatus();
  };
}

class StoreFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Small enough that RocksDB cannot preallocate a write-ahead log on it
    // (a write buffer and a tenth, 70 MiB): appends then meet the full disk.
    disk_ = std::make_unique<SmallDisk>(16 << 20);
    if (!disk_->error().empty()) {
      GTEST_SKIP() << "needs a mount namespace of its own and a tmpfs (root): " << disk_->error();
    }
  }

  std::string DataDir() const { return disk_->path() + "/db"; }

  absl::StatusOr<std::unique_ptr<Store>> Open() {
    StoreOptions options;
    options.path = DataDir();
    options.column_families = {"heads", "revs"};
    options.recovery_interval = absl::Milliseconds(50);
    options.on_writes_changed = [this](const absl::Status& writes) {
      MutexLock lock(&mu_);
      changes_.push_back(writes);
    };
    return Store::Open(options);
  }

  std::vector<absl::Status> Changes() {
    MutexLock lock(&mu_);
    return changes_;
  }

  std::unique_ptr<SmallDisk> disk_;
  Mutex mu_;
  std::vector<absl::Status> changes_ ABSL_GUARDED_BY(mu_);
};

TEST_F(StoreFaultTest, StartOnAFullDiskIsRefusedNamingTheDirectoryTheCauseAndTheFix) {
  // An existing database and a new one: both need room to open.
  {
    auto store = Open();
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)->Apply(PutIn({"heads"}, "a", "1")).ok());
  }
  for (const bool fresh : {false, true}) {
    if (fresh) std::filesystem::remove_all(DataDir());
    ASSERT_TRUE(disk_->Fill());
    auto store = Open();
    ASSERT_FALSE(store.ok()) << (fresh ? "new database" : "existing database");
    const absl::Status& refused = store.status();
    EXPECT_TRUE(Contains(refused, DataDir())) << refused;
    EXPECT_TRUE(Contains(refused, "磁盘已满")) << refused;
    EXPECT_TRUE(Contains(refused, "the disk is full")) << refused;
    EXPECT_TRUE(Contains(refused, "Free space on that disk")) << refused;
  }
}

TEST_F(StoreFaultTest, StartOnAReadOnlyDiskIsRefusedNamingTheDirectoryTheCauseAndTheFix) {
  {
    auto store = Open();
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)->Apply(PutIn({"heads"}, "a", "1")).ok());
  }
  ASSERT_TRUE(disk_->SetReadOnly(true));
  auto store = Open();
  ASSERT_FALSE(store.ok());
  EXPECT_TRUE(Contains(store.status(), DataDir())) << store.status();
  EXPECT_TRUE(Contains(store.status(), "只读")) << store.status();
  EXPECT_TRUE(Contains(store.status(), "it is read-only")) << store.status();
  EXPECT_TRUE(Contains(store.status(), "Remount it read-write")) << store.status();

  // A data directory still to be made there.
  StoreOptions options;
  options.path = disk_->path() + "/new/db";
  auto fresh = Store::Open(options);
  ASSERT_FALSE(fresh.ok());
  EXPECT_TRUE(Contains(fresh.status(), options.path)) << fresh.status();
  EXPECT_TRUE(Contains(fresh.status(), "it is read-only")) << fresh.status();
}

// Param: whether the store was reopened just before the disk fills, so that
// every memtable is empty when a write fails. Then RocksDB 7.8's own resume
// keeps the broken write-ahead log and the next write aborts the process.
class StoreOnAFillingDiskTest : public StoreFaultTest, public ::testing::WithParamInterface<bool> {};

TEST_P(StoreOnAFillingDiskTest, RefusesWritesUnavailableKeepsReadingAndResumesWhenSpaceReturns) {
  auto opened = Open();
  ASSERT_TRUE(opened.ok()) << opened.status();
  std::unique_ptr<Store> store = *std::move(opened);
  ASSERT_TRUE(store->Apply(PutIn({"heads", "revs"}, "a", "1")).ok());
  if (GetParam()) {
    store.reset();
    opened = Open();
    ASSERT_TRUE(opened.ok()) << opened.status();
    store = *std::move(opened);
  }

  ASSERT_TRUE(disk_->Fill());
  const absl::Status refused = store->Apply(PutIn({"heads", "revs"}, "b", std::string(4096, 'b')));
  EXPECT_TRUE(absl::IsUnavailable(refused)) << refused;
  EXPECT_TRUE(Contains(refused, "disk full at " + DataDir())) << refused;
  EXPECT_TRUE(Contains(refused, "磁盘已满")) << refused;
  EXPECT_TRUE(Contains(refused, "retry later")) << refused;
  EXPECT_EQ(ErrorReason(refused), "STORAGE_FULL");
  EXPECT_EQ(store->WriteStatus(), refused);
  ASSERT_EQ(Changes(), std::vector<absl::Status>{refused});

  // Refused alike while the disk stays full, however often the store looks.
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(store->Apply(PutIn({"heads"}, "c", "3")), refused);
  EXPECT_EQ(store->WriteStatus(), refused);

  // Reads go on.
  auto a = store->Get("heads", "a");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->value_or(""), "1");
  std::vector<std::string> keys;
  ASSERT_TRUE(store
                  ->Scan("revs", "", "",
                         [&](std::string_view key, std::string_view) {
                           keys.emplace_back(key);
                           return true;
                         })
                  .ok());
  EXPECT_EQ(keys, std::vector<std::string>{"a"});

  disk_->Free();
  // The store reports the change after it made it (on_writes_changed is
  // called outside its lock), so the report may come a moment after
  // WriteStatus() turned OK: wait for both.
  ASSERT_TRUE(WaitFor([&] { return store->WriteStatus().ok() && Changes().size() >= 2; }, absl::Seconds(10)))
      << store->WriteStatus();
  EXPECT_EQ(Changes(), (std::vector<absl::Status>{refused, absl::OkStatus()}));
  // Two writes: the second is the one a write-ahead log left broken would end.
  ASSERT_TRUE(store->Apply(PutIn({"heads", "revs"}, "d", "4")).ok());
  ASSERT_TRUE(store->Apply(PutIn({"heads", "revs"}, "e", "5")).ok());

  // What was acknowledged is there and the refused writes are not, not
  // even in part; after a restart as well.
  for (const bool restarted : {false, true}) {
    if (restarted) {
      store.reset();
      opened = Open();
      ASSERT_TRUE(opened.ok()) << opened.status();
      store = *std::move(opened);
    }
    for (const std::string cf : {"heads", "revs"}) {
      for (const auto& [key, value] : {std::pair<std::string, std::string>{"a", "1"}, {"d", "4"}, {"e", "5"}}) {
        auto read = store->Get(cf, key);
        ASSERT_TRUE(read.ok()) << read.status();
        EXPECT_EQ(read->value_or("(missing)"), value) << cf << "/" << key << (restarted ? " after a restart" : "");
      }
      for (const std::string key : {"b", "c"}) {
        auto read = store->Get(cf, key);
        ASSERT_TRUE(read.ok()) << read.status();
        EXPECT_FALSE(read->has_value()) << cf << "/" << key << (restarted ? " after a restart" : "");
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(MemtablesAtTheFault, StoreOnAFillingDiskTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? std::string("Empty") : std::string("Holding");
                         });

// The reopen that resumes writes waits for the reads in progress; a read
// nested in another's visit (a Get inside a Scan) must not wait for it.
TEST_F(StoreFaultTest, ReadsNestedOrNotGoOnThroughTheReopen) {
  auto opened = Open();
  ASSERT_TRUE(opened.ok()) << opened.status();
  std::unique_ptr<Store> store = *std::move(opened);
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(store->Apply(PutIn({"heads", "revs"}, "k" + std::to_string(i), std::to_string(i))).ok());
  }
  std::atomic<bool> stop{false};
  std::atomic<int> reads{0}, failures{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        int seen = 0;
        absl::Status scanned = store->Scan("heads", "k", "", [&](std::string_view key, std::string_view value) {
          auto twin = store->Get("revs", key);
          if (!twin.ok() || twin->value_or("") != value) ++failures;
          ++seen;
          // Slow visits, so a reopen finds reads in progress.
          std::this_thread::sleep_for(std::chrono::microseconds(200));
          return true;
        });
        if (!scanned.ok() || seen != 20) ++failures;
        ++reads;
      }
    });
  }
  ASSERT_TRUE(disk_->Fill());
  EXPECT_TRUE(absl::IsUnavailable(store->Apply(PutIn({"heads"}, "x", std::string(4096, 'x')))));
  const int reads_before = reads.load();
  disk_->Free();
  const bool resumed = WaitFor([&] { return store->WriteStatus().ok(); }, absl::Seconds(10));
  const bool read_after = WaitFor([&] { return reads.load() > reads_before + 3; }, absl::Seconds(10));
  stop = true;
  for (auto& reader : readers) reader.join();
  ASSERT_TRUE(resumed) << store->WriteStatus();
  EXPECT_TRUE(read_after);
  EXPECT_EQ(failures.load(), 0);
  EXPECT_TRUE(store->Apply(PutIn({"heads"}, "y", "y")).ok());
}

}  // namespace
}  // namespace yusuan

int main(int argc, char** argv) { return yusuan::testing::RunTestsInPrivateMountNamespace(argc, argv); }
