// The change log over a Store's ordered log (StoreOptions::log_column_family):
// appending a change in the same write as what it describes, reading the
// changes of a region after a position (waiting a bounded time for more),
// and retention. The ledger keeps its change feed this way
// (services/ledger/README.md § Change log).
#ifndef YUSUAN_SERVICES_COMMON_CHANGE_LOG_H_
#define YUSUAN_SERVICES_COMMON_CHANGE_LOG_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/store.h"
#include "yusuan/common/v1/changes.pb.h"

namespace yusuan {

// Stages `change` as the log's next record in the mutation's write; returns
// its sequence number (the record's key; `change.sequence` is not stored).
uint64_t AppendChange(Store::Txn& txn, const yusuan::common::v1::Change& change);

// Whether `change` is in the region `prefix` ("" = every region).
bool ChangeInRegion(const yusuan::common::v1::Change& change, std::string_view prefix);

struct ChangeRead {
  std::vector<yusuan::common::v1::Change> changes;
  // Every record up to here was looked at; a reader resumes after it.
  uint64_t scanned_through = 0;
  // The oldest record kept (0: none) and the newest committed.
  uint64_t first_sequence = 0;
  uint64_t last_sequence = 0;
};

// Records looked at in one read at most, so that a narrow region over a long
// log answers (with scanned_through moved on) instead of scanning it all.
inline constexpr int kMaxChangesScanned = 20000;

// The changes of `region_prefix` after `after`, oldest first, at most
// `max_changes`. When there is none, waits for one until `deadline`. When
// records after `after` were already removed by retention (after + 1 <
// first_sequence), answers no change at all: the caller must not skip them
// silently. first_sequence is read after the scan, so a removal racing the
// read is seen.
absl::StatusOr<ChangeRead> ReadChanges(const Store& store, std::string_view log_cf, std::string_view region_prefix,
                                       uint64_t after, int max_changes, absl::Time deadline);

// How long the log keeps a record: while it is younger than `keep_for` or one
// of the newest `keep_records` (at least 1: the newest record is what the
// store numbers the next one from).
struct ChangeRetention {
  absl::Duration keep_for = absl::Hours(24 * 90);
  uint64_t keep_records = 1000000;
};

// Removes the records retention no longer keeps, oldest first, in writes of
// at most 10 000; returns how many.
absl::StatusOr<uint64_t> PruneChanges(Store& store, std::string_view log_cf, const ChangeRetention& retention,
                                      absl::Time now);

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_CHANGE_LOG_H_
