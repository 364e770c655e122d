// The public index: a page of 100 budgets of a region (ReportCore::
// ListPublished) over N published budgets, against what a page cost before
// the listing existed — reading and parsing each budget's archived
// disclosure, every file's bytes in it — and against RocksDB point reads of
// the same 100 keys, measured in one run on the same store. The page should
// cost about as much at 2,000 published budgets as at 100.
//
// Each budget is published as the reference department's disclosure
// (rendered once, every format) under its own name: staged by a direct
// write of that disclosure, then confirmed by ReportCore::ConfirmPublication
// itself, the write that fills the archive, the listing and the latest
// version.
//   index_bench [--published N,N,…] [--runs N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "bench/result_rows.h"
#include "services/common/store.h"
#include "services/common/store_keys.h"
#include "services/report/domain/publish.h"
#include "services/report/domain/testdata_departments.h"
#include "services/report/report_core.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace rv1 = yusuan::report::v1;

constexpr char kRegion[] = "420107";
constexpr int kPageSize = 100;

std::string BudgetName(int i) {
  return absl::StrFormat("regions/%s/departments/%09d/budgets/2021", kRegion, 100000000 + i);
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

template <typename Work>
double MedianMs(int runs, Work work) {
  std::vector<double> ms;
  for (int r = 0; r < runs; ++r) {
    const auto start = Clock::now();
    work();
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  return Median(ms);
}

struct Row {
  int published = 0;
  double list_ms = 0;
  double archive_ms = 0;
  double point_ms = 0;
};

bool Measure(const rv1::PublishedDisclosure& reference, int published, int runs, Row* row) {
  const std::string path =
      (std::filesystem::temp_directory_path() / absl::StrCat("yusuan-index-bench-", ::getpid(), "-", published))
          .string();
  std::filesystem::remove_all(path);
  yusuan::StoreOptions options;
  options.path = path;
  options.column_families = yusuan::report::ReportColumnFamilies();
  auto store = yusuan::Store::Open(options);
  if (!store.ok()) {
    std::fprintf(stderr, "index_bench: %s\n", std::string(store.status().message()).c_str());
    return false;
  }
  yusuan::report::ReportCore core(store->get());
  for (int first = 0; first < published; first += 100) {
    const int last = std::min(published, first + 100);
    absl::Status staged = (*store)->Apply([&](yusuan::Store::Txn& txn) {
      for (int i = first; i < last; ++i) {
        rv1::StagedPublication staged;
        *staged.mutable_disclosure() = reference;
        staged.mutable_disclosure()->set_budget_name(BudgetName(i));
        txn.Put(yusuan::report::kStagedCf, BudgetName(i) + yusuan::EncodeBigEndian64(reference.version()),
                staged.SerializeAsString());
      }
      return absl::OkStatus();
    });
    if (!staged.ok()) {
      std::fprintf(stderr, "index_bench: %s\n", std::string(staged.message()).c_str());
      return false;
    }
    std::vector<std::future<absl::StatusOr<rv1::PublishedDisclosure>>> confirmed;
    for (int i = first; i < last; ++i) {
      auto promise = std::make_shared<std::promise<absl::StatusOr<rv1::PublishedDisclosure>>>();
      confirmed.push_back(promise->get_future());
      rv1::ConfirmPublicationRequest confirm;
      confirm.set_budget_name(BudgetName(i));
      confirm.set_version(reference.version());
      core.ConfirmPublication(confirm, [promise](absl::StatusOr<rv1::PublishedDisclosure> answer) {
        promise->set_value(std::move(answer));
      });
    }
    for (auto& answer : confirmed) {
      absl::StatusOr<rv1::PublishedDisclosure> done = answer.get();
      if (!done.ok()) {
        std::fprintf(stderr, "index_bench: %s\n", std::string(done.status().message()).c_str());
        return false;
      }
    }
  }

  // The page in the middle of the region, as a reader paging through sees it.
  rv1::ListPublishedRequest list;
  list.set_region(kRegion);
  list.set_page_size(kPageSize);
  if (published > kPageSize) list.set_page_token(BudgetName(published / 2 - 1));
  const int first_on_page = published > kPageSize ? published / 2 : 0;
  std::vector<std::string> keys;
  for (int i = first_on_page; i < std::min(published, first_on_page + kPageSize); ++i) {
    keys.push_back(BudgetName(i) + yusuan::EncodeBigEndian64(reference.version()));
  }
  size_t listed = 0;
  row->published = published;
  row->list_ms = MedianMs(runs, [&] {
    absl::StatusOr<rv1::ListPublishedResponse> page = core.ListPublished(list);
    listed = page.ok() ? static_cast<size_t>(page->disclosures_size()) : 0;
  });
  // Before the listing: each entry of the page read from the archive and
  // parsed whole, then stripped of its bytes.
  size_t parsed = 0;
  row->archive_ms = MedianMs(runs, [&] {
    parsed = 0;
    for (const std::string& key : keys) {
      auto stored = (*store)->Get(yusuan::report::kPublishedCf, key);
      rv1::PublishedDisclosure disclosure;
      if (!stored.ok() || !stored->has_value() || !disclosure.ParseFromString(**stored)) continue;
      for (rv1::Artifact& artifact : *disclosure.mutable_artifacts()) artifact.clear_content();
      ++parsed;
    }
  });
  row->point_ms = MedianMs(runs, [&] {
    for (const std::string& key : keys) {
      auto stored = (*store)->Get(yusuan::report::kPublishedLatestCf, key.substr(0, key.size() - 8));
      if (!stored.ok()) std::abort();
    }
  });
  store->reset();
  std::filesystem::remove_all(path);
  if (listed != keys.size() || parsed != keys.size()) {
    std::fprintf(stderr, "index_bench: the page listed %zu and the archive gave %zu of %zu budgets\n", listed, parsed,
                 keys.size());
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> sizes = {100, 2000};
  int runs = 7;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--runs" && absl::SimpleAtoi(argv[i + 1], &runs) && runs > 0) continue;
    if (flag == "--published") {
      sizes.clear();
      for (absl::string_view size : absl::StrSplit(argv[i + 1], ',')) {
        int n = 0;
        if (!absl::SimpleAtoi(size, &n) || n <= 0) {
          std::fprintf(stderr, "index_bench: --published takes counts, e.g. 100,2000\n");
          return 2;
        }
        sizes.push_back(n);
      }
      continue;
    }
    std::fprintf(stderr, "usage: index_bench [--published N,N,…] [--runs N]\n");
    return 2;
  }

  rv1::PublishRequest publish;
  *publish.mutable_input() = yusuan::report::testdata::ReferenceReportInput();
  publish.mutable_input()->set_publish_time_unix_ms(1'612'137'600'000);
  publish.set_budget_name(publish.input().budget().name());
  publish.set_version(3);
  absl::StatusOr<rv1::PublishedDisclosure> reference = yusuan::report::BuildPublished(publish);
  if (!reference.ok()) {
    std::fprintf(stderr, "index_bench: %s\n", std::string(reference.status().message()).c_str());
    return 1;
  }
  std::printf(
      "index_bench: a page of %d of the public index, median of %d runs; one disclosure is %zu bytes "
      "archived\n",
      kPageSize, runs, reference->ByteSizeLong());
  std::printf("%10s %12s %22s %16s %12s %12s\n", "published", "page ms", "archive parse ms (was)", "point reads ms",
              "page/was", "page/point");
  std::vector<Row> rows;
  for (int published : sizes) {
    Row row;
    if (!Measure(*reference, published, runs, &row)) return 1;
    std::printf("%10d %12.2f %22.2f %16.3f %11.3fx %11.2fx\n", row.published, row.list_ms, row.archive_ms, row.point_ms,
                row.list_ms / row.archive_ms, row.list_ms / row.point_ms);
    rows.push_back(row);
    yusuan::bench::EmitRow({.group = "index",
                            .path = absl::StrCat("ListPublished page of ", kPageSize, ", ", published, " published"),
                            .value = row.list_ms,
                            .unit = "ms",
                            .higher_is_better = false,
                            .baseline = "RocksDB point reads of the same keys",
                            .baseline_value = row.point_ms});
  }
  if (rows.size() > 1) {
    std::printf("growth of the page from %d to %d published: %.2fx\n", rows.front().published, rows.back().published,
                rows.back().list_ms / rows.front().list_ms);
    yusuan::bench::EmitRow(
        {.group = "index",
         .path = absl::StrCat("ListPublished page at ", rows.back().published, " published"),
         .value = rows.back().list_ms,
         .unit = "ms",
         .higher_is_better = false,
         .baseline = absl::StrCat("the same page at ", rows.front().published, " published (growth)"),
         .baseline_value = rows.front().list_ms});
  }
  return 0;
}
