// A real RocksDB Store in a fresh temporary directory, for one test: what
// the service cores' tests run on (never a mock of the storage). Header only,
// for tests.
#ifndef YUSUAN_SERVICES_COMMON_TESTING_TEMP_STORE_H_
#define YUSUAN_SERVICES_COMMON_TESTING_TEMP_STORE_H_

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "services/common/store.h"

namespace yusuan::testing {

// Opens a store named after the running test and the process, with
// `column_families`; removes its directory on Close and on destruction.
class TempStore {
 public:
  // `log_column_family`: StoreOptions::log_column_family.
  absl::Status Open(const std::string& service, std::vector<std::string> column_families,
                    std::string log_column_family = "") {
    path_ = (std::filesystem::temp_directory_path() / ("yusuan-" + service + "-" + std::to_string(::getpid()) + "-" +
                                                       ::testing::UnitTest::GetInstance()->current_test_info()->name()))
                .string();
    std::filesystem::remove_all(path_);
    StoreOptions options;
    options.path = path_;
    options.column_families = std::move(column_families);
    options.log_column_family = std::move(log_column_family);
    absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(options);
    if (!store.ok()) return store.status();
    store_ = *std::move(store);
    return absl::OkStatus();
  }
  // Closes the store (after whatever uses it is gone) and removes the files.
  void Close() {
    store_.reset();
    if (!path_.empty()) std::filesystem::remove_all(path_);
    path_.clear();
  }
  ~TempStore() { Close(); }

  Store* get() const { return store_.get(); }
  Store* operator->() const { return store_.get(); }

 private:
  std::string path_;
  std::unique_ptr<Store> store_;
};

// The size of the largest value stored in `cf` (0 when none, or when the
// scan fails, which the test's other checks then show).
inline size_t LargestValueSize(const Store& store, const std::string& cf) {
  size_t largest = 0;
  absl::Status scanned = store.Scan(cf, "", "", [&](std::string_view, std::string_view value) {
    largest = std::max(largest, value.size());
    return true;
  });
  EXPECT_TRUE(scanned.ok()) << scanned;
  return largest;
}

}  // namespace yusuan::testing

#endif  // YUSUAN_SERVICES_COMMON_TESTING_TEMP_STORE_H_
