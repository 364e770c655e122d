// What the gateway keeps of one ledger's answers (README § Read cache): the
// current revision of budgets and pages of the ledger's lists, as the
// ledger's bytes, dropped by the ledger's change log. A read is answered
// from here only after the log has been read past every change committed
// before the read arrived, so a reader never sees less than it would have
// from the ledger itself (its own writes included, through any gateway);
// one log read serves every read that arrived before it was sent.
#ifndef YUSUAN_SERVICES_GATEWAY_LEDGER_READ_CACHE_H_
#define YUSUAN_SERVICES_GATEWAY_LEDGER_READ_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "grpcpp/support/byte_buffer.h"
#include "services/common/mutex.h"
#include "yusuan/ledger/v1/ledger_service.pb.h"

namespace yusuan::gateway {

class LedgerReadCache {
 public:
  // Reads the ledger's change log (LedgerService.ReadChanges, never
  // waiting) and calls back with its answer, on any thread.
  using ReadLog =
      std::function<void(const yusuan::ledger::v1::ReadChangesRequest& request,
                         std::function<void(absl::StatusOr<yusuan::ledger::v1::ReadChangesResponse>)> answered)>;

  // At most `max_bytes` of answers are kept, the least recently read going
  // first.
  LedgerReadCache(size_t max_bytes, ReadLog read_log);
  LedgerReadCache(const LedgerReadCache&) = delete;
  LedgerReadCache& operator=(const LedgerReadCache&) = delete;

  // Calls `then(true)` once every change the ledger had committed when this
  // was called has dropped what it changed here; `then(false)` when the log
  // could not be read (the read then goes to the ledger, which says why).
  // Never calls `then` before returning.
  void AwaitCurrent(std::function<void(bool current)> then);

  // The answer kept for `key` (a budget's name, or a RegionReadKey), if
  // any.
  std::optional<grpc::ByteBuffer> Find(const std::string& key);
  // The same, with the ticket it was kept under and its JSON form when one
  // was kept beside it (KeepJson).
  struct Kept {
    grpc::ByteBuffer answer;
    uint64_t ticket = 0;
    std::shared_ptr<const std::string> json;
  };
  std::optional<Kept> FindKept(const std::string& key);

  // A read of `key` that missed, about to ask the ledger: the ticket its
  // answer is kept with. Call it before asking, after AwaitCurrent said
  // true: the answer is kept only if no change of `key` was read meanwhile.
  uint64_t BeginFill(const std::string& key);
  // The same for an answer any change in a region under `region_scope`
  // ("", "42", "4201", "420107") may change: a page of a list of that
  // region, or a budget's report revision (its department's and goals'
  // too); it is dropped by any change of a department or budget under that
  // prefix, not only by one naming `key`.
  uint64_t BeginRegionFill(const std::string& key, const std::string& region_scope);
  void FinishFill(const std::string& key, uint64_t ticket, const grpc::ByteBuffer& answer);
  // Keeps the JSON form of the answer kept under `ticket` (the REST face's
  // body), so that later reads print nothing; ignored when that answer is
  // no longer the one kept.
  void KeepJson(const std::string& key, uint64_t ticket, std::shared_ptr<const std::string> json);

  // Forgets everything (the shards' routing changed).
  void Clear();

  struct Counts {
    uint64_t hits = 0;
    uint64_t misses = 0;
    uint64_t log_reads = 0;
    // Entries dropped by a change, and the times everything was dropped (a
    // new log, a gap in it, more changes than one read answers, or a new
    // serving epoch of the ledger).
    uint64_t dropped = 0;
    uint64_t cleared = 0;
    size_t entries = 0;
    size_t bytes = 0;
  };
  Counts counts() const;

  // The most changes one log read asks for; more than this between two
  // reads of the log drop everything.
  static constexpr int kMaxChangesPerRead = 1000;

 private:
  struct Entry {
    std::string key;
    uint64_t ticket;
    std::optional<grpc::ByteBuffer> answer;
    std::shared_ptr<const std::string> json;
    size_t bytes = 0;
    // A page of a list: the region prefix whose changes drop it.
    std::optional<std::string> region_scope;
  };
  using Entries = std::list<Entry>;

  uint64_t BeginFillLocked(const std::string& key, std::optional<std::string> region_scope)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Drops the pages of lists a change in `region_code` may have changed:
  // those of its prefixes; every page when the region is not known.
  void DropListsOfLocked(std::string_view region_code) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void EraseLocked(Entries::iterator entry) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  void ReadLogForWaiting();
  void OnLogRead(absl::StatusOr<yusuan::ledger::v1::ReadChangesResponse> read);
  // Whether the cache now holds every change up to the log's newest.
  bool ApplyLocked(const yusuan::ledger::v1::ReadChangesResponse& read) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void DropLocked(const std::string& key) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ClearLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void EvictLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const size_t max_bytes_;
  const size_t max_entries_;
  const ReadLog read_log_;

  mutable Mutex mu_;
  // Most recently read first.
  Entries entries_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, Entries::iterator> by_key_ ABSL_GUARDED_BY(mu_);
  // The keys of the pages of lists kept, by their region prefix.
  absl::flat_hash_map<std::string, absl::flat_hash_set<std::string>> lists_by_scope_ ABSL_GUARDED_BY(mu_);
  size_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t next_ticket_ ABSL_GUARDED_BY(mu_) = 1;
  // The log this cache follows ("" before its first read) and how far,
  // and the ledger's serving epoch when it was last read.
  std::string log_id_ ABSL_GUARDED_BY(mu_);
  std::string serving_epoch_ ABSL_GUARDED_BY(mu_);
  uint64_t applied_through_ ABSL_GUARDED_BY(mu_) = 0;
  // A log read in flight, the reads it answers, and those that arrived
  // after it was sent (the next one answers them).
  bool reading_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::function<void(bool)>> answered_by_this_read_ ABSL_GUARDED_BY(mu_);
  std::vector<std::function<void(bool)>> waiting_for_next_read_ ABSL_GUARDED_BY(mu_);
  Counts counts_ ABSL_GUARDED_BY(mu_);
};

// The read caches' counts, summed over the ledgers, as Prometheus text
// (the gateway's /metrics): yusuan_gateway_read_cache_{hits,misses,
// log_reads,dropped,cleared}_total and _{entries,bytes}.
std::string ReadCacheExposition(const LedgerReadCache::Counts& counts);

// The key a budget's name is kept under (its canonical spelling), or
// nullopt when it is not a budget's name: such a read goes to the ledger,
// which names the fault.
std::optional<std::string> BudgetCacheKey(std::string_view budget_name);

// The key an answer BeginRegionFill keeps is kept under: the method and the
// request's bytes as the gateway serialized it (a budget's name never
// starts with '/').
std::string RegionReadKey(std::string_view method, std::string_view request_bytes);

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_LEDGER_READ_CACHE_H_
