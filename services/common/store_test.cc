#include "services/common/store.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "rocksdb/perf_context.h"
#include "rocksdb/perf_level.h"
#include "services/common/revisions.h"
#include "services/common/utf8.h"
#include "yusuan/ledger/v1/ledger.pb.h"

namespace yusuan {
namespace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() / ("yusuan-store-test-" + std::to_string(::getpid()) + "-" +
                                                       ::testing::UnitTest::GetInstance()->current_test_info()->name()))
                .string();
    std::filesystem::remove_all(path_);
  }
  void TearDown() override { std::filesystem::remove_all(path_); }
  std::unique_ptr<Store> Open() {
    StoreOptions options;
    options.path = path_ + "/nested/db";
    options.column_families = {"heads", "revs"};
    auto store = Store::Open(options);
    EXPECT_TRUE(store.ok()) << store.status();
    return std::move(*store);
  }
  std::string path_;
};

// The WAL files of a store in `path`, in bytes.
uint64_t WalBytes(const std::string& path) {
  uint64_t bytes = 0;
  for (const auto& entry : std::filesystem::directory_iterator(path)) {
    if (entry.path().extension() == ".log") bytes += entry.file_size();
  }
  return bytes;
}

TEST_F(StoreTest, TheWriteAheadLogStaysNearItsBoundWhenAColumnFamilyIsSeldomWritten) {
  StoreOptions options;
  options.path = path_ + "/wal";
  options.column_families = {"seldom", "often"};
  options.max_wal_bytes = 4ull << 20;
  auto store = Store::Open(options);
  ASSERT_TRUE(store.ok()) << store.status();
  // One write to the seldom-written family pins the first WAL file until
  // that family is flushed; then 48 MB to the other, less than one memtable
  // (64 MB), so nothing else would flush.
  ASSERT_TRUE((*store)
                  ->Apply([](Store::Txn& txn) {
                    txn.Put("seldom", "k", "v");
                    return absl::OkStatus();
                  })
                  .ok());
  const std::string value(256 << 10, 'x');
  for (int i = 0; i < 192; ++i) {
    ASSERT_TRUE((*store)
                    ->Apply([&](Store::Txn& txn) {
                      txn.Put("often", absl::StrCat("k", i), value);
                      return absl::OkStatus();
                    })
                    .ok());
  }
  // Flushes run in the background and may lag the writes on a busy
  // machine, so the log is read once they have had their chance: an
  // unbounded log keeps all 48 MB for good (nothing would flush), a bounded
  // one falls to a few files past the bound.
  uint64_t wal_bytes = WalBytes(options.path);
  for (int wait = 0; wait < 300 && wal_bytes >= (16ull << 20); ++wait) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    wal_bytes = WalBytes(options.path);
  }
  EXPECT_LT(wal_bytes, 16ull << 20) << "WAL holds " << wal_bytes << " bytes";
  EXPECT_EQ(**(*store)->Get("seldom", "k"), "v");
}

// RocksDB's memory is bounded by the options, not by the data: 32 MB
// written over four column families leave at most about memtable_bytes in
// memtables (RocksDB's defaults would keep all 32 MB: 64 MB a family), and
// reading it all back twice leaves the shared cache within its capacity.
TEST_F(StoreTest, RocksDbMemoryStaysWithinItsBoundsWhateverTheData) {
  StoreOptions options;
  options.path = path_ + "/memory";
  options.column_families = {"a", "b", "c", "d"};
  options.memtable_bytes = 4ull << 20;
  options.block_cache_bytes = 2ull << 20;
  auto store = Store::Open(options);
  ASSERT_TRUE(store.ok()) << store.status();
  // Bytes that do not compress, so the tables hold what was written.
  uint64_t seed = 88172645463325252ull;
  auto noise = [&seed](size_t size) {
    std::string bytes(size, '\0');
    for (char& byte : bytes) {
      seed ^= seed << 13;
      seed ^= seed >> 7;
      seed ^= seed << 17;
      byte = static_cast<char>(seed);
    }
    return bytes;
  };
  const std::vector<std::string> families = options.column_families;
  for (int i = 0; i < 256; ++i) {
    const std::string value = noise(128 << 10);
    ASSERT_TRUE((*store)
                    ->Apply([&](Store::Txn& txn) {
                      txn.Put(families[i % 4], absl::StrCat("k", i), value);
                      return absl::OkStatus();
                    })
                    .ok());
  }
  // Flushes run in the background: the memtables fall to the bound once
  // they have had their chance.
  Store::MemoryUse use = (*store)->Memory();
  for (int wait = 0; wait < 300 && use.memtables > (6ull << 20); ++wait) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    use = (*store)->Memory();
  }
  EXPECT_LE(use.memtables, 6ull << 20) << "memtables hold " << use.memtables << " bytes";
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 256; ++i) {
      auto read = (*store)->Get(families[i % 4], absl::StrCat("k", i));
      ASSERT_TRUE(read.ok() && read->has_value()) << i;
      ASSERT_EQ((*read)->size(), 128u << 10);
    }
  }
  use = (*store)->Memory();
  EXPECT_GT(use.block_cache, 0u);
  EXPECT_LE(use.block_cache, (2ull << 20) + (256 << 10)) << "block cache holds " << use.block_cache << " bytes";
  // Index and filter blocks live in the cache, not beside it.
  EXPECT_LE(use.table_readers, 256u << 10) << "table readers hold " << use.table_readers << " bytes";
}

// A scan of a prefix reads the prefix: the keys deleted after it (every
// promoted goal set, every queue entry moved, every answer purged leaves
// one until compaction) are not walked to find where the prefix ends.
TEST_F(StoreTest, AScanOfAPrefixDoesNotWalkTheDeletedKeysAfterIt) {
  auto store = Open();
  ASSERT_TRUE(store
                  ->Apply([](Store::Txn& txn) {
                    txn.Put("revs", "a/1", "one");
                    txn.Put("revs", "a/2", "two");
                    for (int i = 0; i < 5000; ++i) txn.Put("revs", absl::StrCat("b/", i), "gone");
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_TRUE(store
                  ->Apply([](Store::Txn& txn) {
                    for (int i = 0; i < 5000; ++i) txn.Delete("revs", absl::StrCat("b/", i));
                    return absl::OkStatus();
                  })
                  .ok());
  auto skipped_while = [](const std::function<void()>& scan) {
    rocksdb::SetPerfLevel(rocksdb::PerfLevel::kEnableCount);
    rocksdb::get_perf_context()->Reset();
    scan();
    const uint64_t skipped = rocksdb::get_perf_context()->internal_delete_skipped_count;
    rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
    return skipped;
  };
  std::vector<std::string> seen;
  auto visit = [&seen](std::string_view key, std::string_view) {
    seen.emplace_back(key);
    return true;
  };
  uint64_t skipped = skipped_while([&] { ASSERT_TRUE(store->Scan("revs", "a/", "", visit).ok()); });
  EXPECT_EQ(seen, (std::vector<std::string>{"a/1", "a/2"}));
  EXPECT_LT(skipped, 10u) << "the scan of a/ walked the deleted b/ keys";
  seen.clear();
  skipped = skipped_while([&] { ASSERT_TRUE(store->Scan("revs", "a/", "a/1", visit).ok()); });
  EXPECT_EQ(seen, (std::vector<std::string>{"a/2"}));
  EXPECT_LT(skipped, 10u);
  // The same inside a mutation, whose scan also sees its own writes.
  seen.clear();
  ASSERT_TRUE(store
                  ->Apply([&](Store::Txn& txn) -> absl::Status {
                    txn.Put("revs", "a/3", "three");
                    skipped = skipped_while([&] { ASSERT_TRUE(txn.Scan("revs", "a/", visit).ok()); });
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"a/1", "a/2", "a/3"}));
  EXPECT_LT(skipped, 10u);
  // A prefix ending in 0xff bytes is bounded by the byte before them.
  seen.clear();
  ASSERT_TRUE(store
                  ->Apply([](Store::Txn& txn) {
                    txn.Put("revs", std::string("a\xff"), "x");
                    txn.Put("revs", std::string("a\xff\xff"), "y");
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_TRUE(store->Scan("revs", std::string("a\xff"), "", visit).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{std::string("a\xff"), std::string("a\xff\xff")}));
}

// A derived family is filled once, in one write with its marker: a failed
// fill leaves neither, and a built one is not filled again.
TEST_F(StoreTest, FillOnceFillsADerivedFamilyOnceAndNotHalfway) {
  auto store = Open();
  int calls = 0;
  auto failing = [&calls](Store::Txn& txn) -> absl::StatusOr<int64_t> {
    ++calls;
    txn.Put("revs", "derived/1", "x");
    return absl::DataLossError("a record is unreadable");
  };
  EXPECT_EQ(FillOnce(*store, "revs", "built", failing).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_FALSE(store->Get("revs", "derived/1")->has_value()) << "a failed fill wrote part of the family";
  EXPECT_FALSE(store->Get("revs", "built")->has_value());
  auto filling = [&calls](Store::Txn& txn) -> absl::StatusOr<int64_t> {
    ++calls;
    txn.Put("revs", "derived/1", "x");
    txn.Put("revs", "derived/2", "y");
    return 2;
  };
  auto filled = FillOnce(*store, "revs", "built", filling);
  ASSERT_TRUE(filled.ok()) << filled.status();
  EXPECT_EQ(*filled, 2);
  EXPECT_TRUE(store->Get("revs", "derived/2")->has_value());
  EXPECT_TRUE(store->Get("revs", "built")->has_value());
  const int calls_when_built = calls;
  auto again = FillOnce(*store, "revs", "built", filling);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(calls, calls_when_built) << "a built family was filled again";
}

TEST_F(StoreTest, MutationsSeeEarlierWritesOfTheirGroupAndPersist) {
  {
    auto store = Open();
    ASSERT_TRUE(store
                    ->Apply([](Store::Txn& txn) {
                      txn.Put("heads", "k", "1");
                      return absl::OkStatus();
                    })
                    .ok());
    // A failed mutation leaves nothing behind.
    EXPECT_FALSE(store
                     ->Apply([](Store::Txn& txn) {
                       txn.Put("heads", "k", "garbage");
                       return absl::AbortedError("no");
                     })
                     .ok());
    auto value = store->Get("heads", "k");
    ASSERT_TRUE(value.ok());
    EXPECT_EQ(value->value(), "1");
  }
  auto reopened = Open();
  EXPECT_EQ(reopened->Get("heads", "k")->value(), "1");
}

TEST_F(StoreTest, ConcurrentWritersShareGroupsAndLoseNothing) {
  auto store = Open();
  constexpr int kThreads = 8, kPerThread = 50;
  std::atomic<int> acknowledged{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        // Read-increment-write of one counter: correct only if mutations are
        // serialised and each sees the previous one's staged write.
        absl::Status s = store->Apply([](Store::Txn& txn) {
          auto current = txn.Get("heads", "counter");
          if (!current.ok()) return current.status();
          uint64_t n = current->has_value() ? DecodeBigEndian64(**current) : 0;
          txn.Put("heads", "counter", EncodeBigEndian64(n + 1));
          return absl::OkStatus();
        });
        if (s.ok()) ++acknowledged;
        (void)t;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(acknowledged.load(), kThreads * kPerThread);
  EXPECT_EQ(DecodeBigEndian64(store->Get("heads", "counter")->value()), kThreads * kPerThread);
  EXPECT_EQ(store->mutations_committed(), static_cast<uint64_t>(kThreads * kPerThread));
  // With 8 writers waiting on synced commits, groups hold more than one.
  EXPECT_LT(store->groups_committed(), store->mutations_committed());
}

TEST_F(StoreTest, RevisionsAreImmutableAndStaleEtagsAborted) {
  auto store = Open();
  const RevisionedFamilies families{"heads", "revs"};
  yusuan::ledger::v1::Budget first;
  ASSERT_TRUE(
      store->Apply([&](Store::Txn& txn) { return WriteNextRevision(txn, families, "b", NowUnixMillis(), first); })
          .ok());
  EXPECT_EQ(first.revision(), 1);
  EXPECT_FALSE(first.etag().empty());

  yusuan::ledger::v1::Budget stale = first;
  stale.set_etag("r0-deadbeef");
  absl::Status status =
      store->Apply([&](Store::Txn& txn) { return WriteNextRevision(txn, families, "b", NowUnixMillis(), stale); });
  EXPECT_TRUE(absl::IsAborted(status)) << status;

  yusuan::ledger::v1::Budget second = first;
  second.set_fiscal_year(2022);
  ASSERT_TRUE(
      store->Apply([&](Store::Txn& txn) { return WriteNextRevision(txn, families, "b", NowUnixMillis(), second); })
          .ok());
  EXPECT_EQ(second.revision(), 2);

  yusuan::ledger::v1::Budget read;
  ASSERT_TRUE(read.ParseFromString(*ReadRevision(*store, families, "b", 1)));
  EXPECT_EQ(read.fiscal_year(), 0);  // revision 1 unchanged
  ASSERT_TRUE(read.ParseFromString(*ReadRevision(*store, families, "b", 0)));
  EXPECT_EQ(read.revision(), 2);
}

constexpr int64_t kDay = int64_t{24} * 60 * 60 * 1000;

TEST_F(StoreTest, ARetryGetsTheFirstAnswerAndAReusedIdIsRefused) {
  auto store = Open();
  yusuan::ledger::v1::Budget first_request, answer;
  first_request.set_fiscal_year(2021);
  const std::string fingerprint = RequestFingerprint(first_request);
  ASSERT_TRUE(store
                  ->Apply([&](Store::Txn& txn) {
                    auto seen = ReplayIfSeen(txn, "heads", "Put", "a/1", "id-1", fingerprint, kDay, &answer);
                    if (!seen.ok()) return seen.status();
                    EXPECT_FALSE(*seen);
                    answer.set_revision(7);
                    RememberAnswer(txn, "heads", "Put", "a/1", "id-1", fingerprint, kDay, answer);
                    return absl::OkStatus();
                  })
                  .ok());

  yusuan::ledger::v1::Budget replayed;
  ASSERT_TRUE(store
                  ->Apply([&](Store::Txn& txn) {
                    auto seen = ReplayIfSeen(txn, "heads", "Put", "a/1", "id-1", fingerprint, 2 * kDay, &replayed);
                    if (!seen.ok()) return seen.status();
                    EXPECT_TRUE(*seen);
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(replayed.revision(), 7);

  yusuan::ledger::v1::Budget other_request = first_request;
  other_request.set_fiscal_year(2022);
  absl::Status status = store->Apply([&](Store::Txn& txn) {
    return ReplayIfSeen(txn, "heads", "Put", "a/1", "id-1", RequestFingerprint(other_request), 2 * kDay, &replayed)
        .status();
  });
  EXPECT_TRUE(absl::IsFailedPrecondition(status)) << status;
}

// Issue 13: a budget's key ends in its year as four binary bytes, which the
// refusal of a reused id quoted, so the message was not UTF-8 (gRPC clients
// log it as corrupt, and JSON cannot carry it).
TEST_F(StoreTest, TheRefusalOfAReusedIdIsTextWhateverTheKey) {
  auto store = Open();
  const std::string key = std::string("420107/005001022/") + std::string("\0\0\x07\xe5", 4);
  yusuan::ledger::v1::Budget first_request, answer;
  first_request.set_fiscal_year(2021);
  ASSERT_TRUE(store
                  ->Apply([&](Store::Txn& txn) {
                    RememberAnswer(txn, "heads", "Put", key, "id-1", RequestFingerprint(first_request), kDay, answer);
                    return absl::OkStatus();
                  })
                  .ok());
  yusuan::ledger::v1::Budget other_request = first_request;
  other_request.set_fiscal_year(2022);
  absl::Status status = store->Apply([&](Store::Txn& txn) {
    return ReplayIfSeen(txn, "heads", "Put", key, "id-1", RequestFingerprint(other_request), 2 * kDay, &answer)
        .status();
  });
  ASSERT_TRUE(absl::IsFailedPrecondition(status)) << status;
  const std::string message(status.message());
  EXPECT_TRUE(IsValidUtf8(message)) << status;
  for (const char c : message) EXPECT_NE(c, '\0') << status;
  EXPECT_NE(message.find("request_id \"id-1\""), std::string::npos) << status;
}

// A request id is the client's for one resource: the same id for another
// department is another request, answered on its own.
TEST_F(StoreTest, TheSameRequestIdForAnotherResourceIsAnotherRequest) {
  auto store = Open();
  yusuan::ledger::v1::Budget first, second, answer;
  first.set_name("regions/420107/departments/1/budgets/2021");
  second.set_name("regions/420108/departments/1/budgets/2021");
  auto put = [&](const std::string& resource, const yusuan::ledger::v1::Budget& request, int64_t revision) {
    bool replayed = false;
    absl::Status status = store->Apply([&](Store::Txn& txn) {
      auto seen = ReplayIfSeen(txn, "heads", "Put", resource, "shared-id", RequestFingerprint(request), kDay, &answer);
      if (!seen.ok()) return seen.status();
      replayed = *seen;
      if (replayed) return absl::OkStatus();
      answer = request;
      answer.set_revision(revision);
      RememberAnswer(txn, "heads", "Put", resource, "shared-id", RequestFingerprint(request), kDay, answer);
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return replayed;
  };
  EXPECT_FALSE(put("420107/1", first, 1));
  EXPECT_FALSE(put("420108/1", second, 5));  // not refused as a reuse of the first's id
  EXPECT_TRUE(put("420107/1", first, 99));
  EXPECT_EQ(answer.revision(), 1);
  EXPECT_TRUE(put("420108/1", second, 99));
  EXPECT_EQ(answer.revision(), 5);
}

// Answers stored before ids were per resource (key: method and id) are still
// replayed to the request that stored them, and ignored for any other.
TEST_F(StoreTest, AnAnswerStoredBeforeIdsWerePerResourceIsReplayedOnlyToItsOwnRequest) {
  auto store = Open();
  yusuan::ledger::v1::Budget request, other, answer;
  request.set_fiscal_year(2021);
  other.set_fiscal_year(2022);
  answer.set_revision(4);
  ASSERT_TRUE(store
                  ->Apply([&](Store::Txn& txn) {
                    txn.Put("heads", std::string("\x01Put") + '\0' + "old-id",
                            EncodeBigEndian64(static_cast<uint64_t>(kDay)) + RequestFingerprint(request) +
                                answer.SerializeAsString());
                    return absl::OkStatus();
                  })
                  .ok());
  auto replay = [&](const yusuan::ledger::v1::Budget& sent) -> absl::StatusOr<bool> {
    absl::StatusOr<bool> seen = false;
    yusuan::ledger::v1::Budget replayed;
    absl::Status status = store->Apply([&](Store::Txn& txn) {
      seen = ReplayIfSeen(txn, "heads", "Put", "a/1", "old-id", RequestFingerprint(sent), 2 * kDay, &replayed);
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    if (seen.ok() && *seen) {
      EXPECT_EQ(replayed.revision(), 4);
    }
    return seen;
  };
  auto own = replay(request);
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_TRUE(*own);
  auto another = replay(other);
  ASSERT_TRUE(another.ok()) << another.status();
  EXPECT_FALSE(*another);
}

// A backlog is purged a batch per write group, and every expired answer
// goes, current ones interleaved with them stay.
TEST_F(StoreTest, APurgeDeletesInBatchesOfGroups) {
  auto store = Open();
  yusuan::ledger::v1::Budget answer;
  answer.set_revision(1);
  const int64_t written_at = 100 * kDay;
  ASSERT_TRUE(store
                  ->Apply([&](Store::Txn& txn) {
                    for (int i = 0; i < 25; ++i) {
                      RememberAnswer(txn, "heads", "Put", "a/1", absl::StrCat("old-", i), "f", written_at, answer);
                      RememberAnswer(txn, "heads", "Put", "a/1", absl::StrCat("new-", i), "f", written_at + 20 * kDay,
                                     answer);
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  const uint64_t groups_before = store->groups_committed();
  auto purged = PurgeExpiredAnswers(*store, "heads", written_at + kIdempotencyRetentionMs + 1, /*batch=*/10);
  ASSERT_TRUE(purged.ok()) << purged.status();
  EXPECT_EQ(*purged, 25);
  EXPECT_EQ(store->groups_committed() - groups_before, 3u);  // 10 + 10 + 5
  int left = 0;
  ASSERT_TRUE(store
                  ->Scan("heads", "", "",
                         [&](std::string_view key, std::string_view) {
                           EXPECT_NE(key.find("new-"), std::string_view::npos) << key;
                           ++left;
                           return true;
                         })
                  .ok());
  EXPECT_EQ(left, 25);
}

}  // namespace
}  // namespace yusuan

namespace yusuan {
namespace {

TEST_F(StoreTest, ATxnScanSeesCommittedKeysAndTheWritesStagedBeforeIt) {
  auto store = Open();
  ASSERT_TRUE(store
                  ->Apply([](Store::Txn& txn) {
                    txn.Put("heads", "a/1", "committed");
                    txn.Put("heads", "a/3", "to be deleted");
                    txn.Put("heads", "b/1", "other prefix");
                    return absl::OkStatus();
                  })
                  .ok());
  std::vector<std::string> seen;
  ASSERT_TRUE(store
                  ->Apply([&](Store::Txn& txn) {
                    txn.Put("heads", "a/2", "staged");
                    txn.Delete("heads", "a/3");
                    return txn.Scan("heads", "a/", [&](std::string_view key, std::string_view value) {
                      seen.push_back(std::string(key) + "=" + std::string(value));
                      return true;
                    });
                  })
                  .ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"a/1=committed", "a/2=staged"}));
  // Stopping early.
  seen.clear();
  ASSERT_TRUE(store
                  ->Apply([&](Store::Txn& txn) {
                    return txn.Scan("heads", "", [&](std::string_view key, std::string_view) {
                      seen.push_back(std::string(key));
                      return false;
                    });
                  })
                  .ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"a/1"}));
}

// An answer is replayed for 30 days from its write, not after; a purge
// deletes the expired answers (and records of the format before retention)
// and keeps the others.
TEST_F(StoreTest, AnswersExpireAfterTheRetentionAndArePurged) {
  auto store = Open();
  yusuan::ledger::v1::Budget request, answer;
  request.set_fiscal_year(2021);
  answer.set_revision(3);
  const std::string fingerprint = RequestFingerprint(request);
  const int64_t written_at = 100 * kDay;
  ASSERT_TRUE(store
                  ->Apply([&](Store::Txn& txn) {
                    RememberAnswer(txn, "heads", "Put", "a/1", "old", fingerprint, written_at, answer);
                    RememberAnswer(txn, "heads", "Put", "a/1", "recent", fingerprint, written_at + 20 * kDay, answer);
                    txn.Put("heads", std::string("Put") + '\0' + "legacy", fingerprint + answer.SerializeAsString());
                    return absl::OkStatus();
                  })
                  .ok());
  auto seen_at = [&](const std::string& id, int64_t now) {
    yusuan::ledger::v1::Budget replayed;
    bool seen = false;
    EXPECT_TRUE(store
                    ->Apply([&](Store::Txn& txn) {
                      auto found = ReplayIfSeen(txn, "heads", "Put", "a/1", id, fingerprint, now, &replayed);
                      if (!found.ok()) return found.status();
                      seen = *found;
                      return absl::OkStatus();
                    })
                    .ok());
    return seen;
  };
  EXPECT_TRUE(seen_at("old", written_at + kIdempotencyRetentionMs));
  EXPECT_FALSE(seen_at("old", written_at + kIdempotencyRetentionMs + 1));
  EXPECT_FALSE(seen_at("legacy", written_at));

  auto purged = PurgeExpiredAnswers(*store, "heads", written_at + kIdempotencyRetentionMs + 1);
  ASSERT_TRUE(purged.ok()) << purged.status();
  EXPECT_EQ(*purged, 2);  // "old" and the legacy record
  std::vector<std::string> left;
  ASSERT_TRUE(store
                  ->Scan("heads", "", "",
                         [&](std::string_view key, std::string_view) {
                           left.emplace_back(key);
                           return true;
                         })
                  .ok());
  ASSERT_EQ(left.size(), 1u);
  EXPECT_NE(left[0].find("recent"), std::string::npos);
  EXPECT_TRUE(seen_at("recent", written_at + kIdempotencyRetentionMs + 1));
}

}  // namespace
}  // namespace yusuan
