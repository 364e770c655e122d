// Group commit of the Store against plain RocksDB, measured in one run.
//
// Every write is acknowledged only after its WAL is synced. The baselines are
// RocksDB itself: one thread doing synced Puts (one fsync per write), N
// threads doing synced Puts directly (RocksDB's own write-group batching),
// and N threads writing WriteBatches not synced (the write path's raw rate).
// The Store runs read-check-write mutations on its writer thread and commits
// each group with one synced write. Results are ratios to the baseline, so a
// slower or faster disk changes the absolute numbers, not the comparison.
//   store_bench [--seconds S] [--threads N]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/result_rows.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "services/common/store.h"

namespace {

using Clock = std::chrono::steady_clock;

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("yusuan-bench-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

// Runs `op(thread, i)` on `threads` threads for `seconds`; returns ops/s.
template <typename Op>
double Measure(int threads, double seconds, Op op) {
  std::atomic<bool> stop{false};
  std::atomic<long> done{0};
  std::vector<std::thread> workers;
  const auto start = Clock::now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      long i = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        op(t, i++);
        done.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& w : workers) w.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  return static_cast<double>(done.load()) / elapsed;
}

// RocksDB written directly by `threads` threads, each write one key of
// `value`: synced Puts (one fsync each, grouped by RocksDB's own write
// groups), or a WriteBatch of one Put not synced, the raw rate of RocksDB's
// write path before any durability is paid for.
enum class RawWrite { kSyncedPut, kUnsyncedBatch };

double RocksDbWrites(RawWrite kind, int threads, double seconds, const std::string& value) {
  const std::string path =
      TempPath("rocksdb-" + std::to_string(static_cast<int>(kind)) + "-" + std::to_string(threads));
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::Open(options, path, &raw).ok()) std::abort();
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::WriteOptions write_options;
  write_options.sync = kind == RawWrite::kSyncedPut;
  const double rate = Measure(threads, seconds, [&](int t, long i) {
    const std::string key = "k" + std::to_string(t) + "-" + std::to_string(i);
    if (kind == RawWrite::kSyncedPut) {
      if (!db->Put(write_options, key, value).ok()) std::abort();
      return;
    }
    rocksdb::WriteBatch batch;
    batch.Put(key, value);
    if (!db->Write(write_options, &batch).ok()) std::abort();
  });
  db.reset();
  std::filesystem::remove_all(path);
  return rate;
}

double StoreGroupCommit(int threads, double seconds, const std::string& value) {
  const std::string path = TempPath("store-" + std::to_string(threads));
  yusuan::StoreOptions options;
  options.path = path;
  options.column_families = {"revisions"};
  auto store = yusuan::Store::Open(options);
  if (!store.ok()) std::abort();
  const double rate = Measure(threads, seconds, [&](int t, long i) {
    const std::string key = "k" + std::to_string(t) + "-" + std::to_string(i);
    // Read-check-write, as a revision write does.
    absl::Status s = (*store)->Apply([&](yusuan::Store::Txn& txn) {
      auto existing = txn.Get("revisions", key);
      if (!existing.ok()) return existing.status();
      txn.Put("revisions", key, value);
      return absl::OkStatus();
    });
    if (!s.ok()) std::abort();
  });
  store->reset();
  std::filesystem::remove_all(path);
  return rate;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 2.0;
  int threads = 16;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--seconds") seconds = std::atof(argv[i + 1]);
    if (flag == "--threads") threads = std::atoi(argv[i + 1]);
  }
  const std::string value(13 * 1024, 'x');  // about one budget revision
  std::printf("synced writes of %zu bytes, %.1f s each\n", value.size(), seconds);
  const double baseline = RocksDbWrites(RawWrite::kSyncedPut, 1, seconds, value);
  std::printf("%-44s %10.0f writes/s  1.00x\n", "baseline: RocksDB synced Put, 1 thread", baseline);
  const double rocks_n = RocksDbWrites(RawWrite::kSyncedPut, threads, seconds, value);
  std::printf("RocksDB synced Put, %2d threads%15s %10.0f writes/s  %.2fx\n", threads, "", rocks_n, rocks_n / baseline);
  const double store_1 = StoreGroupCommit(1, seconds, value);
  std::printf("Store mutation, 1 thread%21s %10.0f writes/s  %.2fx\n", "", store_1, store_1 / baseline);
  const double store_n = StoreGroupCommit(threads, seconds, value);
  std::printf("Store mutation, %2d threads (group commit)%4s %10.0f writes/s  %.2fx\n", threads, "", store_n,
              store_n / baseline);
  const double unsynced_n = RocksDbWrites(RawWrite::kUnsyncedBatch, threads, seconds, value);
  std::printf("RocksDB WriteBatch not synced, %2d threads%3s %10.0f writes/s  %.2fx\n", threads, "", unsynced_n,
              unsynced_n / baseline);
  using yusuan::bench::EmitRow;
  EmitRow({.group = "store",
           .path = "Store synced write, 1 thread",
           .value = store_1,
           .unit = "writes/s",
           .higher_is_better = true,
           .baseline = "RocksDB synced Put, 1 thread",
           .baseline_value = baseline});
  EmitRow({.group = "store",
           .path = absl::StrCat("Store synced write, ", threads, " threads (group commit)"),
           .value = store_n,
           .unit = "writes/s",
           .higher_is_better = true,
           .baseline = absl::StrCat("RocksDB synced Put, ", threads, " threads"),
           .baseline_value = rocks_n});
  // What durability costs: the same writes with nothing synced.
  EmitRow({.group = "store",
           .path = absl::StrCat("Store synced write, ", threads, " threads (group commit)"),
           .value = store_n,
           .unit = "writes/s",
           .higher_is_better = true,
           .baseline = absl::StrCat("RocksDB WriteBatch not synced, ", threads, " threads"),
           .baseline_value = unsynced_n});
  return 0;
}
