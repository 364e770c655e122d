// The ledger's import path and its region roll-ups, against RocksDB itself,
// measured in one run on the same disk.
//
// Import: generated departments (tools/synth) committed one after another
// as the import stream commits them (LedgerCore::CommitFiling: the rules,
// the department, the budget revision, the workflow state, the change log
// and the roll-up refresh, in one synced write each), then from N threads
// at once (group commit). The baseline writes the same department and
// budget bytes as one synced RocksDB WriteBatch per filing, on 1 and on N
// threads: what any store of these bytes costs at least. Rates are ledger
// lines (income + expenditure) per second and their ratio to the baseline.
//
// Roll-ups: GetRollup of the province, a city and a district over every
// imported budget, against the work it replaces (reading every budget of the
// region and adding it up, the baseline), with a RocksDB point read for
// scale.
//   ledger_bench [--departments N] [--threads N] [--reads N]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "bench/result_rows.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"
#include "services/common/resource_names.h"
#include "services/common/store.h"
#include "services/ledger/catalogue_registry.h"
#include "services/ledger/domain/rollup.h"
#include "services/ledger/ledger_core.h"
#include "tools/synth/synth.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace lv1 = yusuan::ledger::v1;
using yusuan::gateway::v1::Filing;

constexpr int kYear = 2024;

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("yusuan-ledger-bench-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

double Seconds(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

int64_t Lines(const Filing& filing) {
  return filing.budget().income_lines_size() + filing.budget().expenditure_lines_size();
}

// Runs `work(i)` for i in [0, count) on `threads` threads, each taking the
// next index; seconds taken.
template <typename Work>
double Spread(int threads, int count, Work work) {
  std::atomic<int> next{0};
  const auto start = Clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (int i = next.fetch_add(1); i < count; i = next.fetch_add(1)) work(i);
    });
  }
  for (auto& w : workers) w.join();
  return Seconds(start);
}

double RawBatches(const std::vector<Filing>& filings, int threads) {
  const std::string path = TempPath(absl::StrCat("raw-", threads));
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::Open(options, path, &raw).ok()) std::abort();
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::WriteOptions sync;
  sync.sync = true;
  const double seconds = Spread(threads, static_cast<int>(filings.size()), [&](int i) {
    rocksdb::WriteBatch batch;
    batch.Put("d/" + filings[i].department().name(), filings[i].department().SerializeAsString());
    batch.Put("b/" + filings[i].budget().name(), filings[i].budget().SerializeAsString());
    if (!db->Write(sync, &batch).ok()) std::abort();
  });
  db.reset();
  std::filesystem::remove_all(path);
  return seconds;
}

struct Ledger {
  std::unique_ptr<yusuan::Store> store;
  std::unique_ptr<yusuan::ledger::CatalogueRegistry> registry;
  std::unique_ptr<yusuan::ledger::LedgerCore> core;
  std::string path;
  ~Ledger() {
    core.reset();
    registry.reset();
    store.reset();
    std::filesystem::remove_all(path);
  }
};

std::unique_ptr<Ledger> OpenLedger(const std::string& name, const yusuan::ledger::CatalogueSet& catalogues) {
  auto ledger = std::make_unique<Ledger>();
  ledger->path = TempPath(name);
  yusuan::StoreOptions options;
  options.path = ledger->path;
  options.column_families = yusuan::ledger::LedgerColumnFamilies();
  options.log_column_family = yusuan::ledger::kChangesCf;
  auto store = yusuan::Store::Open(options);
  if (!store.ok()) std::abort();
  ledger->store = *std::move(store);
  ledger->registry = std::make_unique<yusuan::ledger::CatalogueRegistry>(
      ledger->store.get(), catalogues, YUSUAN_SOURCE_DIR "/data/catalogue", yusuan::ledger::kWorkflowCf,
      yusuan::ledger::kIdempotencyCf);
  if (!ledger->registry->LoadStored().ok()) std::abort();
  ledger->core =
      std::make_unique<yusuan::ledger::LedgerCore>(ledger->store.get(), ledger->registry.get(), yusuan::NowUnixMillis);
  return ledger;
}

double Commit(Ledger& ledger, const std::vector<Filing>& filings, int threads, std::atomic<int>* refused) {
  return Spread(threads, static_cast<int>(filings.size()), [&](int i) {
    lv1::CommitFilingRequest request;
    *request.mutable_department() = filings[i].department();
    *request.mutable_budget() = filings[i].budget();
    std::promise<bool> done;
    ledger.core->CommitFiling(request, [&](absl::StatusOr<lv1::CommitFilingResponse> answer) {
      if (!answer.ok() && refused->fetch_add(1) == 0)
        std::fprintf(stderr, "refused: %s\n", answer.status().ToString().c_str());
      done.set_value(answer.ok());
    });
    done.get_future().get();
  });
}

// Median and 99th percentile of `reads` calls of `op`, in microseconds.
template <typename Op>
std::pair<double, double> Latency(int reads, Op op) {
  std::vector<double> micros;
  for (int i = 0; i < reads; ++i) {
    const auto start = Clock::now();
    op();
    micros.push_back(Seconds(start) * 1e6);
  }
  std::sort(micros.begin(), micros.end());
  return {micros[micros.size() / 2], micros[std::min(micros.size() - 1, micros.size() * 99 / 100)]};
}

}  // namespace

int main(int argc, char** argv) {
  int departments = 2000;
  int threads = 8;
  int reads = 1000;
  for (int i = 1; i + 1 < argc; i += 2) {
    int* target = std::strcmp(argv[i], "--departments") == 0 ? &departments
                  : std::strcmp(argv[i], "--threads") == 0   ? &threads
                  : std::strcmp(argv[i], "--reads") == 0     ? &reads
                                                             : nullptr;
    if (target == nullptr || !absl::SimpleAtoi(argv[i + 1], target) || *target <= 0) {
      std::fprintf(stderr, "usage: ledger_bench [--departments N] [--threads N] [--reads N]\n");
      return 2;
    }
  }
  auto catalogues = yusuan::ledger::CatalogueSet::LoadFromDirectory(YUSUAN_SOURCE_DIR "/data/catalogue");
  if (!catalogues.ok()) std::abort();
  yusuan::synth::SynthOptions synth_options;
  synth_options.seed = 15;
  synth_options.year = kYear;
  auto synthesizer = yusuan::synth::Synthesizer::Create(*catalogues, synth_options);
  if (!synthesizer.ok()) std::abort();
  std::vector<Filing> filings;
  int64_t lines = 0;
  for (int i = 0; i < departments; ++i) {
    auto filing = synthesizer->Synthesize(i);
    if (!filing.ok()) std::abort();
    lines += Lines(*filing);
    filings.push_back(*std::move(filing));
  }
  std::printf("ledger_bench: %d generated departments of %d, %lld ledger lines (%.1f a department)\n\n", departments,
              kYear, static_cast<long long>(lines), static_cast<double>(lines) / departments);

  std::printf("import (ledger lines/s; each filing one synced write)\n");
  std::printf("  %-46s %12s %12s %8s\n", "", "lines/s", "filings/s", "ratio");
  for (int t : {1, threads}) {
    const double raw_seconds = RawBatches(filings, t);
    auto ledger = OpenLedger(absl::StrCat("ledger-", t), *catalogues);
    std::atomic<int> refused{0};
    const double seconds = Commit(*ledger, filings, t, &refused);
    const double raw_rate = static_cast<double>(lines) / raw_seconds;
    const double rate = static_cast<double>(lines) / seconds;
    std::printf("  %-46s %12.0f %12.1f %8s\n", absl::StrCat("RocksDB WriteBatch (2 puts), ", t, " thread(s)").c_str(),
                raw_rate, departments / raw_seconds, "1.00x");
    std::printf("  %-46s %12.0f %12.1f %7.2fx%s\n", absl::StrCat("ledger CommitFiling, ", t, " thread(s)").c_str(),
                rate, departments / seconds, rate / raw_rate,
                refused.load() > 0 ? absl::StrCat("  (", refused.load(), " refused)").c_str() : "");
    yusuan::bench::EmitRow(
        {.group = "ledger",
         .path = absl::StrCat("import: CommitFiling, ", t, " thread(s), ", departments, " departments"),
         .value = rate,
         .unit = "lines/s",
         .higher_is_better = true,
         .baseline = absl::StrCat("synced RocksDB WriteBatch of the same bytes, ", t, " thread(s)"),
         .baseline_value = raw_rate});
    if (t != threads) continue;

    // Roll-ups over what was just imported.
    const std::string district = filings[0].department().region_code();
    std::printf("\nroll-up read over %d budgets (microseconds: median / p99 of %d reads)\n", departments, reads);
    rocksdb::Options options;
    const std::string raw_path = TempPath("point");
    options.create_if_missing = true;
    rocksdb::DB* raw = nullptr;
    if (!rocksdb::DB::Open(options, raw_path, &raw).ok()) std::abort();
    std::unique_ptr<rocksdb::DB> db(raw);
    rocksdb::WriteOptions sync;
    sync.sync = true;
    db->Put(sync, "key", std::string(200, 'x'));
    const auto [point_median, point_p99] = Latency(reads, [&] {
      std::string value;
      db->Get(rocksdb::ReadOptions(), "key", &value);
    });
    std::printf("  %-46s %10.1f / %-10.1f\n", "RocksDB point read (for scale)", point_median, point_p99);
    for (const std::string& prefix : {district.substr(0, 2), district.substr(0, 4), district}) {
      lv1::GetRollupRequest request;
      request.set_name(absl::StrCat("regions/", prefix, "/rollups/", kYear));
      int64_t counted = 0;
      const auto [median, p99] = Latency(reads, [&] {
        auto rollup = ledger->core->GetRollup(request);
        if (!rollup.ok()) std::abort();
        counted = rollup->budget_count();
      });
      // What the kept sums replace: every budget of the region read and added.
      const auto [scan_median, scan_p99] = Latency(std::max(1, reads / 100), [&] {
        lv1::RollupTotals sum;
        for (const Filing& filing : filings) {
          if (filing.department().region_code().rfind(prefix, 0) != 0) continue;
          lv1::GetBudgetRequest get;
          get.set_name(filing.budget().name());
          auto budget = ledger->core->GetBudget(get);
          if (!budget.ok() ||
              !yusuan::ledger::AddTotals(yusuan::ledger::ContributionOf(filing.department(), *budget), +1, sum).ok()) {
            std::abort();
          }
        }
      });
      std::printf("  %-46s %10.1f / %-10.1f %8s\n",
                  absl::StrCat("regions/", prefix, " (", counted, " budgets): summing them").c_str(), scan_median,
                  scan_p99, "1.00x");
      std::printf("  %-46s %10.1f / %-10.1f %7.3fx  (%.0f point reads)\n", "  GetRollup (the kept sums)", median, p99,
                  median / scan_median, median / point_median);
      yusuan::bench::EmitRow({.group = "ledger",
                              .path = absl::StrCat("GetRollup regions/", prefix, " (", counted, " budgets)"),
                              .value = median,
                              .unit = "us",
                              .higher_is_better = false,
                              .baseline = "reading and adding the region's budgets",
                              .baseline_value = scan_median});
    }
    db.reset();
    std::filesystem::remove_all(raw_path);
  }
  return 0;
}
