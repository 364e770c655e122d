#include "services/common/change_log.h"

#include <filesystem>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace yusuan {
namespace {

using yusuan::common::v1::Change;

constexpr char kLog[] = "changes";

Change Make(const std::string& region, const std::string& name, int64_t time_ms = 1000) {
  Change change;
  change.set_kind(yusuan::common::v1::CHANGE_KIND_DEPARTMENT_PUT);
  change.set_region_code(region);
  change.set_resource_name(name);
  change.set_time_unix_ms(time_ms);
  return change;
}

class ChangeLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() / ("yusuan-change-log-test-" + std::to_string(::getpid()) + "-" +
                                                       ::testing::UnitTest::GetInstance()->current_test_info()->name()))
                .string();
    std::filesystem::remove_all(path_);
  }
  void TearDown() override { std::filesystem::remove_all(path_); }
  std::unique_ptr<Store> Open() {
    StoreOptions options;
    options.path = path_;
    options.column_families = {"things"};
    options.log_column_family = kLog;
    auto store = Store::Open(options);
    EXPECT_TRUE(store.ok()) << store.status();
    return std::move(*store);
  }
  // A write and its change record in one mutation.
  static absl::Status Write(Store& store, const std::string& region, const std::string& name, bool fail = false,
                            int64_t time_ms = 1000) {
    return store.Apply([=](Store::Txn& txn) {
      txn.Put("things", name, region);
      AppendChange(txn, Make(region, name, time_ms));
      return fail ? absl::AbortedError("refused") : absl::OkStatus();
    });
  }
  static ChangeRead ReadAll(const Store& store, uint64_t after, const std::string& prefix = "") {
    auto read = ReadChanges(store, kLog, prefix, after, 1000, absl::InfinitePast());
    EXPECT_TRUE(read.ok()) << read.status();
    return *read;
  }
  std::string path_;
};

TEST_F(ChangeLogTest, NumbersRecordsInCommitOrderWithoutGapsAcrossRefusalsAndRestarts) {
  std::string id;
  {
    auto store = Open();
    id = store->log_id();
    EXPECT_EQ(id.size(), 32u);
    ASSERT_TRUE(Write(*store, "420107", "a").ok());
    // A refused mutation leaves neither its write nor its record, and gives
    // its number back.
    ASSERT_FALSE(Write(*store, "420107", "refused", /*fail=*/true).ok());
    ASSERT_TRUE(Write(*store, "420102", "b").ok());
    EXPECT_FALSE(store->Get("things", "refused")->has_value());
    ChangeRead read = ReadAll(*store, 0);
    ASSERT_EQ(read.changes.size(), 2u);
    EXPECT_EQ(read.changes[0].sequence(), 1u);
    EXPECT_EQ(read.changes[0].resource_name(), "a");
    EXPECT_EQ(read.changes[1].sequence(), 2u);
    EXPECT_EQ(read.changes[1].resource_name(), "b");
    EXPECT_EQ(read.first_sequence, 1u);
    EXPECT_EQ(read.last_sequence, 2u);
  }
  auto store = Open();
  EXPECT_EQ(store->log_id(), id);
  EXPECT_EQ(store->LastLogSequence(), 2u);
  ASSERT_TRUE(Write(*store, "420107", "c").ok());
  ChangeRead read = ReadAll(*store, 2);
  ASSERT_EQ(read.changes.size(), 1u);
  EXPECT_EQ(read.changes[0].sequence(), 3u);
}

TEST_F(ChangeLogTest, ConcurrentWritersGetDistinctNumbersMatchingTheirWrites) {
  auto store = Open();
  std::vector<std::thread> writers;
  for (int t = 0; t < 8; ++t) {
    writers.emplace_back([&store, t] {
      for (int i = 0; i < 50; ++i) {
        // Every third mutation of some threads is refused.
        const bool fail = t % 2 == 1 && i % 3 == 0;
        (void)Write(*store, "42", absl::StrCat(t, "-", i), fail);
      }
    });
  }
  for (auto& w : writers) w.join();
  ChangeRead read = ReadAll(*store, 0);
  ASSERT_EQ(read.changes.size(), 8u * 50 - 4 * 17);
  for (size_t i = 0; i < read.changes.size(); ++i) {
    EXPECT_EQ(read.changes[i].sequence(), i + 1);
    EXPECT_TRUE(store->Get("things", read.changes[i].resource_name())->has_value());
  }
}

TEST_F(ChangeLogTest, FiltersByRegionPrefixAndMovesPastOtherRegions) {
  auto store = Open();
  ASSERT_TRUE(Write(*store, "420107", "qingshan").ok());
  ASSERT_TRUE(Write(*store, "110101", "dongcheng").ok());
  ASSERT_TRUE(Write(*store, "420102", "jiang-an").ok());
  ASSERT_TRUE(Write(*store, "110102", "xicheng").ok());
  ChangeRead wuhan = ReadAll(*store, 0, "4201");
  ASSERT_EQ(wuhan.changes.size(), 2u);
  EXPECT_EQ(wuhan.changes[0].resource_name(), "qingshan");
  EXPECT_EQ(wuhan.changes[1].resource_name(), "jiang-an");
  // Nothing of the region after 3: the position still moves to the end.
  ChangeRead none = ReadAll(*store, 3, "4201");
  EXPECT_TRUE(none.changes.empty());
  EXPECT_EQ(none.scanned_through, 4u);
  ChangeRead limited = *ReadChanges(*store, kLog, "", 0, 3, absl::InfinitePast());
  EXPECT_EQ(limited.changes.size(), 3u);
  EXPECT_EQ(limited.scanned_through, 3u);
}

TEST_F(ChangeLogTest, AReaderWaitsForTheNextCommitAndWakesAtIt) {
  auto store = Open();
  ASSERT_TRUE(Write(*store, "420107", "a").ok());
  const absl::Time start = absl::Now();
  ChangeRead idle = *ReadChanges(*store, kLog, "", 1, 10, start + absl::Milliseconds(200));
  EXPECT_TRUE(idle.changes.empty());
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(190));

  std::thread writer([&store] {
    absl::SleepFor(absl::Milliseconds(100));
    (void)Write(*store, "420107", "b");
  });
  const absl::Time waiting = absl::Now();
  ChangeRead woken = *ReadChanges(*store, kLog, "420107", 1, 10, waiting + absl::Seconds(20));
  writer.join();
  ASSERT_EQ(woken.changes.size(), 1u);
  EXPECT_EQ(woken.changes[0].resource_name(), "b");
  EXPECT_LT(absl::Now() - waiting, absl::Seconds(5));
}

TEST_F(ChangeLogTest, RetentionKeepsRecentOrNewestRecordsAndRefusesPositionsBeforeThem) {
  auto store = Open();
  // Five old records (day 1) and two recent ones (day 100).
  const int64_t day = 24 * 3600 * 1000;
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Write(*store, "42", absl::StrCat("old", i), false, day).ok());
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(Write(*store, "42", absl::StrCat("new", i), false, 100 * day).ok());
  const absl::Time now = absl::FromUnixMillis(100 * day);
  ChangeRetention retention;
  retention.keep_for = absl::Hours(24 * 30);
  retention.keep_records = 3;
  // Kept: the two recent ones, and the newest old one (the newest three).
  auto pruned = PruneChanges(*store, kLog, retention, now);
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_EQ(*pruned, 4u);
  ChangeRead from_start = ReadAll(*store, 0);
  EXPECT_TRUE(from_start.changes.empty()) << "records 1-4 are gone: nothing may be skipped silently";
  EXPECT_EQ(from_start.first_sequence, 5u);
  EXPECT_EQ(from_start.scanned_through, 0u);
  ChangeRead from_kept = ReadAll(*store, 4);
  ASSERT_EQ(from_kept.changes.size(), 3u);
  EXPECT_EQ(from_kept.changes[0].resource_name(), "old4");
  // Everything old: only the newest record stays, and numbering goes on
  // from it after a restart.
  retention.keep_records = 0;
  EXPECT_EQ(*PruneChanges(*store, kLog, retention, absl::FromUnixMillis(1000 * day)), 2u);
  store.reset();
  store = Open();
  ASSERT_TRUE(Write(*store, "42", "after").ok());
  ChangeRead last = ReadAll(*store, 6);
  ASSERT_EQ(last.changes.size(), 2u);
  EXPECT_EQ(last.changes[0].sequence(), 7u);
  EXPECT_EQ(last.changes[1].sequence(), 8u);
}

}  // namespace
}  // namespace yusuan
