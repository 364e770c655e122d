#include "services/common/power_loss_fs.h"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "rocksdb/options.h"
#include "services/common/store.h"

namespace yusuan::power_loss {
namespace {

// RocksDB runs only in child processes: a parent that had started its
// background threads would fork children without them.
int RunInChild(const std::function<int()>& body) {
  std::cout.flush();
  std::cerr.flush();
  const pid_t pid = fork();
  if (pid == 0) _exit(body());
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

class PowerLossTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             absl::StrCat("yusuan-power-loss-test-", ::getpid(), "-",
                          ::testing::UnitTest::GetInstance()->current_test_info()->name()))
                .string();
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  void TearDown() override { std::filesystem::remove_all(path_); }

  rocksdb::Options DbOptions(rocksdb::Env* env) const {
    rocksdb::Options options;
    options.create_if_missing = true;
    options.env = env;
    return options;
  }
  // In a child: opens the database without the power-loss file system and
  // checks `expect` on it; 0 when it holds, 1 (saying why) otherwise.
  int Verify(const std::function<std::string(rocksdb::DB*)>& expect) {
    return RunInChild([&] {
      rocksdb::DB* raw = nullptr;
      rocksdb::Options options = DbOptions(rocksdb::Env::Default());
      options.create_if_missing = false;
      rocksdb::Status opened = rocksdb::DB::Open(options, path_ + "/db", &raw);
      if (!opened.ok()) {
        std::cerr << "reopen: " << opened.ToString() << "\n";
        return 1;
      }
      std::unique_ptr<rocksdb::DB> db(raw);
      const std::string wrong = expect(db.get());
      if (!wrong.empty()) std::cerr << wrong << "\n";
      return wrong.empty() ? 0 : 1;
    });
  }
  static std::string Value(rocksdb::DB* db, const std::string& key) {
    std::string value;
    rocksdb::Status s = db->Get(rocksdb::ReadOptions(), key, &value);
    return s.ok() ? value : s.IsNotFound() ? "<none>" : "<" + s.ToString() + ">";
  }

  std::string path_;
};

TEST_F(PowerLossTest, UnsyncedWritesAreGoneSyncedOnesSurviveAndTheDatabaseReopens) {
  const int exit_code = RunInChild([&] {
    auto fs = std::make_shared<PowerLossFileSystem>(rocksdb::FileSystem::Default());
    std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(fs);
    rocksdb::DB* raw = nullptr;
    if (!rocksdb::DB::Open(DbOptions(env.get()), path_ + "/db", &raw).ok()) return 2;
    rocksdb::WriteOptions synced;
    synced.sync = true;
    // Synced writes before and after a flush (a table file, a new log and
    // manifest edits, each synced with its directory)...
    for (int i = 0; i < 100; ++i) {
      if (!raw->Put(synced, absl::StrCat("synced-", i), absl::StrCat("v", i)).ok()) return 3;
      if (i == 50 && !raw->Flush(rocksdb::FlushOptions()).ok()) return 4;
    }
    // ... then writes that stay in the page cache.
    for (int i = 0; i < 100; ++i) {
      if (!raw->Put(rocksdb::WriteOptions(), absl::StrCat("unsynced-", i), "x").ok()) return 5;
    }
    if (Value(raw, "unsynced-99") != "x") return 6;
    fs->PowerOff();
  });
  ASSERT_EQ(exit_code, kPowerLossExitCode);
  EXPECT_EQ(Verify([](rocksdb::DB* db) -> std::string {
              for (int i = 0; i < 100; ++i) {
                if (Value(db, absl::StrCat("synced-", i)) != absl::StrCat("v", i)) {
                  return absl::StrCat("synced-", i, " lost: ", Value(db, absl::StrCat("synced-", i)));
                }
                if (Value(db, absl::StrCat("unsynced-", i)) != "<none>") return absl::StrCat("unsynced-", i, " kept");
              }
              return "";
            }),
            0);
}

// The same through the store: with sync (the default) everything
// acknowledged survives; without it, what was acknowledged is lost — which
// is what the crash loop's power-loss mode must notice.
TEST_F(PowerLossTest, TheStoreKeepsWhatItAcknowledgedOnlyWhenItSyncs) {
  for (const bool sync : {true, false}) {
    SCOPED_TRACE(sync ? "sync" : "no sync");
    std::filesystem::remove_all(path_ + "/db");
    const int exit_code = RunInChild([&] {
      auto fs = std::make_shared<PowerLossFileSystem>(rocksdb::FileSystem::Default());
      StoreOptions options;
      options.path = path_ + "/db";
      options.sync = sync;
      options.file_system = fs;
      auto store = Store::Open(options);
      if (!store.ok()) return 2;
      for (int i = 0; i < 50; ++i) {
        absl::Status applied = (*store)->Apply([i](Store::Txn& txn) {
          txn.Put("default", absl::StrCat("k", i), "acknowledged");
          return absl::OkStatus();
        });
        if (!applied.ok()) return 3;
      }
      fs->PowerOff();
    });
    ASSERT_EQ(exit_code, kPowerLossExitCode);
    EXPECT_EQ(Verify([sync](rocksdb::DB* db) -> std::string {
                int kept = 0;
                for (int i = 0; i < 50; ++i) kept += Value(db, absl::StrCat("k", i)) == "acknowledged";
                if (sync && kept != 50) return absl::StrCat("only ", kept, " of 50 acknowledged writes survived");
                if (!sync && kept != 0) return absl::StrCat(kept, " unsynced writes survived");
                return "";
              }),
              0);
  }
}

// A mutation that waives the sync (Store::Durability::kUnsynced) is lost
// with the power when nothing synced follows it, and kept when a synced
// one does (the log is written in order); the synced ones always survive.
TEST_F(PowerLossTest, AnUnsyncedMutationIsLostUnlessASyncedOneFollowsIt) {
  for (const bool synced_after : {false, true}) {
    SCOPED_TRACE(synced_after ? "a synced mutation after" : "nothing synced after");
    std::filesystem::remove_all(path_ + "/db");
    const int exit_code = RunInChild([&] {
      auto fs = std::make_shared<PowerLossFileSystem>(rocksdb::FileSystem::Default());
      StoreOptions options;
      options.path = path_ + "/db";
      options.file_system = fs;
      auto store = Store::Open(options);
      if (!store.ok()) return 2;
      auto put = [&](const std::string& key, Store::Durability durability) {
        return (*store)->Apply(
            [key](Store::Txn& txn) {
              txn.Put("default", key, "acknowledged");
              return absl::OkStatus();
            },
            durability);
      };
      for (int i = 0; i < 20; ++i) {
        if (!put(absl::StrCat("synced", i), Store::Durability::kSynced).ok()) return 3;
      }
      for (int i = 0; i < 20; ++i) {
        if (!put(absl::StrCat("unsynced", i), Store::Durability::kUnsynced).ok()) return 3;
      }
      if (synced_after && !put("last", Store::Durability::kSynced).ok()) return 3;
      fs->PowerOff();
    });
    ASSERT_EQ(exit_code, kPowerLossExitCode);
    EXPECT_EQ(Verify([synced_after](rocksdb::DB* db) -> std::string {
                int synced = 0, unsynced = 0;
                for (int i = 0; i < 20; ++i) {
                  synced += Value(db, absl::StrCat("synced", i)) == "acknowledged";
                  unsynced += Value(db, absl::StrCat("unsynced", i)) == "acknowledged";
                }
                if (synced != 20) return absl::StrCat("only ", synced, " of 20 synced writes survived");
                if (synced_after && unsynced != 20) {
                  return absl::StrCat("a synced write followed, yet only ", unsynced, " of 20 unsynced ones survived");
                }
                if (!synced_after && unsynced != 0) return absl::StrCat(unsynced, " of 20 unsynced writes survived");
                return "";
              }),
              0);
  }
}

// A commit whose sync the power cuts short is not acknowledged (the
// process ends inside it) and not kept; what came before is.
TEST_F(PowerLossTest, ASyncThePowerCutsShortKeepsNothing) {
  const int exit_code = RunInChild([&] {
    auto fs = std::make_shared<PowerLossFileSystem>(rocksdb::FileSystem::Default());
    std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(fs);
    rocksdb::DB* raw = nullptr;
    if (!rocksdb::DB::Open(DbOptions(env.get()), path_ + "/db", &raw).ok()) return 2;
    rocksdb::WriteOptions synced;
    synced.sync = true;
    for (int i = 0; i < 10; ++i) {
      if (!raw->Put(synced, absl::StrCat("before-", i), "kept").ok()) return 3;
    }
    fs->PowerOffAtNextSync();
    (void)raw->Put(synced, "cut-short", "lost");
    return 4;  // the Put returned: the power stayed on
  });
  ASSERT_EQ(exit_code, kPowerLossExitCode);
  EXPECT_EQ(Verify([](rocksdb::DB* db) -> std::string {
              for (int i = 0; i < 10; ++i) {
                if (Value(db, absl::StrCat("before-", i)) != "kept") return absl::StrCat("before-", i, " lost");
              }
              return Value(db, "cut-short") == "<none>" ? "" : "the write whose sync was cut short is there";
            }),
            0);
}

// The power goes at chosen moments of a busy database (small memtables:
// flushes, compactions, new logs and manifests all along): every write it
// acknowledged is there after a reopen.
TEST_F(PowerLossTest, AnAcknowledgedWriteSurvivesTheLossAtAnyMoment) {
  for (const uint64_t appends : {7, 60, 333, 1200}) {
    SCOPED_TRACE(absl::StrCat("power off after ", appends, " appends"));
    std::filesystem::remove_all(path_ + "/db");
    const std::string acked_file = path_ + "/acked";
    std::filesystem::remove(acked_file);
    const int exit_code = RunInChild([&] {
      auto fs = std::make_shared<PowerLossFileSystem>(rocksdb::FileSystem::Default());
      fs->PowerOffAfterAppends(appends);
      std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(fs);
      rocksdb::Options options = DbOptions(env.get());
      options.write_buffer_size = 64 << 10;
      options.level0_file_num_compaction_trigger = 2;
      rocksdb::DB* raw = nullptr;
      if (!rocksdb::DB::Open(options, path_ + "/db", &raw).ok()) return 2;
      rocksdb::WriteOptions synced;
      synced.sync = true;
      // The last acknowledged write, written (unbuffered) after each one.
      FILE* acked = std::fopen(acked_file.c_str(), "w");
      setvbuf(acked, nullptr, _IONBF, 0);
      const std::string value(1000, 'v');
      for (int i = 0; i < 100000; ++i) {
        if (!raw->Put(synced, absl::StrCat("key-", 100000 + i), value).ok()) {
          // A background job cut the power: its thread ends the process.
          std::this_thread::sleep_for(std::chrono::seconds(10));
          return 4;
        }
        std::fprintf(acked, "%d\n", i);
      }
      return 3;  // the power stayed on
    });
    ASSERT_EQ(exit_code, kPowerLossExitCode);
    int last = -1;
    std::istringstream lines(ReadAll(acked_file));
    for (int i; lines >> i;) last = i;
    EXPECT_EQ(Verify([last](rocksdb::DB* db) -> std::string {
                for (int i = 0; i <= last; ++i) {
                  if (Value(db, absl::StrCat("key-", 100000 + i)) != std::string(1000, 'v')) {
                    return absl::StrCat("acknowledged key-", 100000 + i, " lost (", last + 1, " acknowledged)");
                  }
                }
                return "";
              }),
              0);
  }
}

// The bookkeeping itself: a file whose directory was not synced is gone, a
// synced one keeps its synced bytes, an unsynced rename is undone and the
// file it replaced comes back.
TEST_F(PowerLossTest, UnsyncedCreationsAndRenamesAreUndone) {
  PowerLossFileSystem fs(rocksdb::FileSystem::Default());
  const rocksdb::FileOptions options;
  const rocksdb::IOOptions io;
  std::unique_ptr<rocksdb::FSDirectory> directory;
  ASSERT_TRUE(fs.NewDirectory(path_, io, &directory, nullptr).ok());
  auto write = [&](const std::string& name, const std::string& synced, const std::string& unsynced) {
    std::unique_ptr<rocksdb::FSWritableFile> file;
    ASSERT_TRUE(fs.NewWritableFile(path_ + "/" + name, options, &file, nullptr).ok());
    ASSERT_TRUE(file->Append(synced, io, nullptr).ok());
    ASSERT_TRUE(file->Sync(io, nullptr).ok());
    ASSERT_TRUE(file->Append(unsynced, io, nullptr).ok());
    ASSERT_TRUE(file->Close(io, nullptr).ok());
  };
  write("kept", "durable", "+lost");
  write("CURRENT", "MANIFEST-1\n", "");
  ASSERT_TRUE(directory->Fsync(io, nullptr).ok());
  write("never-synced-in-directory", "data", "");
  write("CURRENT.tmp", "MANIFEST-2\n", "");
  ASSERT_TRUE(fs.RenameFile(path_ + "/CURRENT.tmp", path_ + "/CURRENT", io, nullptr).ok());
  EXPECT_EQ(ReadAll(path_ + "/CURRENT"), "MANIFEST-2\n");
  EXPECT_EQ(ReadAll(path_ + "/kept"), "durable+lost");

  const PowerLossFileSystem::Dropped dropped = fs.LoseUnsyncedData();
  EXPECT_EQ(dropped.bytes, 5u);  // "+lost"
  EXPECT_EQ(dropped.files_truncated, 1);
  EXPECT_EQ(dropped.renames_undone, 1);
  EXPECT_EQ(dropped.files_removed, 2);  // never-synced-in-directory, CURRENT.tmp (back from the rename)
  EXPECT_EQ(ReadAll(path_ + "/kept"), "durable");
  EXPECT_EQ(ReadAll(path_ + "/CURRENT"), "MANIFEST-1\n");
  EXPECT_FALSE(std::filesystem::exists(path_ + "/CURRENT.tmp"));
  EXPECT_FALSE(std::filesystem::exists(path_ + "/never-synced-in-directory"));
  // Nothing more is written once the power is off.
  std::unique_ptr<rocksdb::FSWritableFile> file;
  EXPECT_TRUE(fs.NewWritableFile(path_ + "/after", options, &file, nullptr).IsIOError());
  EXPECT_FALSE(std::filesystem::exists(path_ + "/after"));
}

// RocksDB's POSIX file trims its preallocated tail when closed by setting
// the size it wrote: a file destroyed after the loss must not grow back.
TEST_F(PowerLossTest, AFileClosedAfterTheLossDoesNotGrowBack) {
  const std::string name = path_ + "/000004.log";
  // In a child: the file is left open (leaked) once the power is off.
  const int exit_code = RunInChild([&] {
    PowerLossFileSystem fs(rocksdb::FileSystem::Default());
    const rocksdb::IOOptions io;
    std::unique_ptr<rocksdb::FSWritableFile> file;
    if (!fs.NewWritableFile(name, rocksdb::FileOptions(), &file, nullptr).ok()) return 2;
    std::unique_ptr<rocksdb::FSDirectory> directory;
    if (!fs.NewDirectory(path_, io, &directory, nullptr).ok() || !directory->Fsync(io, nullptr).ok()) return 5;
    file->SetPreallocationBlockSize(1 << 16);
    file->PrepareWrite(0, 8, io, nullptr);
    if (!file->Append("abc", io, nullptr).ok() || !file->Sync(io, nullptr).ok()) return 3;
    if (!file->Append("defgh", io, nullptr).ok()) return 4;
    fs.LoseUnsyncedData();
    file.reset();
    return 0;
  });
  ASSERT_EQ(exit_code, 0);
  EXPECT_EQ(std::filesystem::file_size(name), 3u);
}

TEST(PowerLossPathsTest, NormalPathsAndTheirDirectories) {
  EXPECT_EQ(NormalPath("/a//b/"), "/a/b");
  EXPECT_EQ(NormalPath("/a/./b/000012.log"), "/a/b/000012.log");
  EXPECT_EQ(DirectoryOf("/a//b/000012.log"), "/a/b");
  EXPECT_EQ(DirectoryOf("/a/b/"), "/a");
}

}  // namespace
}  // namespace yusuan::power_loss
