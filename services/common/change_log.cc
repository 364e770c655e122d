#include "services/common/change_log.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/store_keys.h"

namespace yusuan {
namespace {

using yusuan::common::v1::Change;

constexpr uint64_t kMaxPrunedPerWrite = 10000;

absl::StatusOr<uint64_t> FirstSequence(const Store& store, std::string_view log_cf) {
  uint64_t first = 0;
  absl::Status scanned = store.Scan(log_cf, "", "", [&](std::string_view key, std::string_view) {
    first = DecodeBigEndian64(key);
    return false;
  });
  if (!scanned.ok()) return scanned;
  return first;
}

}  // namespace

uint64_t AppendChange(Store::Txn& txn, const Change& change) {
  Change stored = change;
  stored.clear_sequence();
  return txn.AppendToLog(stored.SerializeAsString());
}

bool ChangeInRegion(const Change& change, std::string_view prefix) {
  return std::string_view(change.region_code()).substr(0, prefix.size()) == prefix;
}

absl::StatusOr<ChangeRead> ReadChanges(const Store& store, std::string_view log_cf, std::string_view region_prefix,
                                       uint64_t after, int max_changes, absl::Time deadline) {
  ChangeRead read;
  read.scanned_through = after;
  const size_t max = static_cast<size_t>(std::max(1, max_changes));
  while (true) {
    read.last_sequence = store.LastLogSequence();
    if (read.last_sequence > read.scanned_through) {
      int scanned = 0;
      absl::Status status = store.Scan(log_cf, "", EncodeBigEndian64(read.scanned_through),
                                       [&](std::string_view key, std::string_view value) {
                                         Change change;
                                         if (!change.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
                                           return false;
                                         }
                                         change.set_sequence(DecodeBigEndian64(key));
                                         read.scanned_through = change.sequence();
                                         if (ChangeInRegion(change, region_prefix)) {
                                           read.changes.push_back(std::move(change));
                                         }
                                         return read.changes.size() < max && ++scanned < kMaxChangesScanned;
                                       });
      if (!status.ok()) return status;
    }
    // Commits may have happened during the scan.
    read.last_sequence = std::max(read.last_sequence, read.scanned_through);
    if (!read.changes.empty() || absl::Now() >= deadline) break;
    if (read.scanned_through < read.last_sequence) continue;  // the scan stopped at its limit
    if (!store.AwaitLog(read.scanned_through, deadline)) break;
  }
  auto first = FirstSequence(store, log_cf);
  if (!first.ok()) return first.status();
  read.first_sequence = *first;
  if (read.first_sequence > after + 1) {
    read.changes.clear();
    read.scanned_through = after;
  }
  return read;
}

absl::StatusOr<uint64_t> PruneChanges(Store& store, std::string_view log_cf, const ChangeRetention& retention,
                                      absl::Time now) {
  const uint64_t keep_records = std::max<uint64_t>(1, retention.keep_records);
  const int64_t cutoff_ms = absl::ToUnixMillis(now - retention.keep_for);
  uint64_t pruned = 0;
  while (true) {
    const uint64_t last = store.LastLogSequence();
    auto first = FirstSequence(store, log_cf);
    if (!first.ok()) return first.status();
    if (*first == 0 || last < *first) return pruned;
    // Sequence numbers have no gap, so the count is the span.
    const uint64_t kept = last - *first + 1;
    if (kept <= keep_records) return pruned;
    const uint64_t removable = std::min(kept - keep_records, kMaxPrunedPerWrite);
    std::vector<std::string> keys;
    absl::Status scanned = store.Scan(log_cf, "", "", [&](std::string_view key, std::string_view value) {
      Change change;
      if (!change.ParseFromArray(value.data(), static_cast<int>(value.size()))) return false;
      if (change.time_unix_ms() >= cutoff_ms) return false;
      keys.emplace_back(key);
      return keys.size() < removable;
    });
    if (!scanned.ok()) return scanned;
    if (keys.empty()) return pruned;
    absl::Status removed = store.Apply([&keys, log_cf](Store::Txn& txn) {
      for (const auto& key : keys) txn.Delete(log_cf, key);
      return absl::OkStatus();
    });
    if (!removed.ok()) return removed;
    pruned += keys.size();
  }
}

}  // namespace yusuan
