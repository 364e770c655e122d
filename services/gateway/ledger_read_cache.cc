#include "services/gateway/ledger_read_cache.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/resource_names.h"

namespace yusuan::gateway {

namespace lv1 = yusuan::ledger::v1;

namespace {

// A budget answer is about 13 KB for the reference department; entries not
// yet filled hold no bytes, so their number is bounded apart.
constexpr size_t kBytesPerEntryBound = 1024;

}  // namespace

std::optional<std::string> BudgetCacheKey(std::string_view budget_name) {
  absl::StatusOr<BudgetName> parsed = ParseBudgetName(budget_name);
  if (!parsed.ok()) return std::nullopt;
  return parsed->ToString();
}

std::string RegionReadKey(std::string_view method, std::string_view request_bytes) {
  std::string key(method);
  key += '\n';
  key.append(request_bytes);
  return key;
}

std::string ReadCacheExposition(const LedgerReadCache::Counts& counts) {
  struct Family {
    const char* name;
    const char* type;
    const char* help;
    uint64_t value;
  };
  const Family families[] = {
      {"yusuan_gateway_read_cache_hits_total", "counter",
       "Reads (budgets, pages of lists, render revisions) answered from the read cache. 读缓存命中次数。", counts.hits},
      {"yusuan_gateway_read_cache_misses_total", "counter",
       "Reads the read cache sent to the ledger (not kept yet). 读缓存未命中次数。", counts.misses},
      {"yusuan_gateway_read_cache_log_reads_total", "counter",
       "Reads of the ledgers' change logs made before answering reads. 读取变更日志的次数。", counts.log_reads},
      {"yusuan_gateway_read_cache_dropped_total", "counter",
       "Answers dropped from the read cache by a change of what they hold. 因变更而移出缓存的条目数。", counts.dropped},
      {"yusuan_gateway_read_cache_cleared_total", "counter",
       "Times a read cache dropped everything (a gap in the log, another log or serving epoch, a failed read). "
       "整体清空次数。",
       counts.cleared},
      {"yusuan_gateway_read_cache_entries", "gauge", "Answers the read caches hold now. 缓存中的条目数。",
       counts.entries},
      {"yusuan_gateway_read_cache_bytes", "gauge", "Bytes the read caches hold now. 缓存占用字节数。", counts.bytes},
  };
  std::string out;
  for (const Family& family : families) {
    absl::StrAppend(&out, "# HELP ", family.name, " ", family.help, "\n# TYPE ", family.name, " ", family.type, "\n",
                    family.name, " ", family.value, "\n");
  }
  return out;
}

LedgerReadCache::LedgerReadCache(size_t max_bytes, ReadLog read_log)
    : max_bytes_(max_bytes),
      max_entries_(std::max<size_t>(1, max_bytes / kBytesPerEntryBound)),
      read_log_(std::move(read_log)) {}

void LedgerReadCache::AwaitCurrent(std::function<void(bool current)> then) {
  {
    MutexLock lock(&mu_);
    if (reading_) {
      // The read in flight may have been answered before this call arrived:
      // only a read sent after it can speak for it.
      waiting_for_next_read_.push_back(std::move(then));
      return;
    }
    reading_ = true;
    answered_by_this_read_.push_back(std::move(then));
  }
  ReadLogForWaiting();
}

void LedgerReadCache::ReadLogForWaiting() {
  lv1::ReadChangesRequest request;
  {
    MutexLock lock(&mu_);
    ++counts_.log_reads;
    if (log_id_.empty()) {
      // Nothing kept yet: only the log's identity and newest position matter.
      request.set_after_sequence(0);
      request.set_max_changes(1);
    } else {
      request.set_after_sequence(applied_through_);
      request.set_max_changes(kMaxChangesPerRead);
    }
  }
  request.set_wait_ms(0);
  read_log_(request, [this](absl::StatusOr<lv1::ReadChangesResponse> read) { OnLogRead(std::move(read)); });
}

void LedgerReadCache::OnLogRead(absl::StatusOr<lv1::ReadChangesResponse> read) {
  std::vector<std::function<void(bool)>> answered;
  bool current = false;
  bool read_again = false;
  {
    MutexLock lock(&mu_);
    if (read.ok()) {
      current = ApplyLocked(*read);
    } else {
      // Changes may have been committed that this cache cannot learn of:
      // nothing kept may be answered again until a read of the log says.
      ClearLocked();
      log_id_.clear();
    }
    answered.swap(answered_by_this_read_);
    if (waiting_for_next_read_.empty()) {
      reading_ = false;
    } else {
      answered_by_this_read_.swap(waiting_for_next_read_);
      read_again = true;
    }
  }
  if (read_again) ReadLogForWaiting();
  for (auto& then : answered) then(current);
}

bool LedgerReadCache::ApplyLocked(const lv1::ReadChangesResponse& read) {
  auto start_over = [&] {
    // Dropping every entry (tickets included) keeps any fill in flight from
    // storing what it read before the changes this cache did not see.
    ClearLocked();
    log_id_ = read.log_id();
    serving_epoch_ = read.serving_epoch();
    applied_through_ = read.last_sequence();
    return true;
  };
  // Another epoch: the ledger restarted (perhaps another projection
  // version) or serves another catalogue version, neither of which the log
  // records.
  if (read.log_id() != log_id_ || read.serving_epoch() != serving_epoch_ || read.last_sequence() < applied_through_) {
    return start_over();
  }
  if (read.last_sequence() == applied_through_) return true;
  // With no region prefix every record is answered, so the first is the one
  // after ours unless retention dropped some.
  if (read.changes().empty() || read.changes(0).sequence() != applied_through_ + 1) return start_over();
  for (const yusuan::common::v1::Change& change : read.changes()) {
    if (!change.budget_name().empty()) {
      if (std::optional<std::string> key = BudgetCacheKey(change.budget_name())) DropLocked(*key);
    }
    if (std::optional<std::string> key = BudgetCacheKey(change.resource_name())) DropLocked(*key);
    DropListsOfLocked(change.region_code());
  }
  if (read.scanned_through() < read.last_sequence()) return start_over();
  applied_through_ = read.scanned_through();
  return true;
}

std::optional<grpc::ByteBuffer> LedgerReadCache::Find(const std::string& key) {
  std::optional<Kept> kept = FindKept(key);
  if (!kept.has_value()) return std::nullopt;
  return std::move(kept->answer);
}

std::optional<LedgerReadCache::Kept> LedgerReadCache::FindKept(const std::string& key) {
  MutexLock lock(&mu_);
  auto found = by_key_.find(key);
  if (found == by_key_.end() || !found->second->answer.has_value()) {
    ++counts_.misses;
    return std::nullopt;
  }
  ++counts_.hits;
  entries_.splice(entries_.begin(), entries_, found->second);
  const Entry& entry = *found->second;
  // A copy shares the slices: the bytes are not copied.
  return Kept{*entry.answer, entry.ticket, entry.json};
}

uint64_t LedgerReadCache::BeginFill(const std::string& key) {
  MutexLock lock(&mu_);
  return BeginFillLocked(key, std::nullopt);
}

uint64_t LedgerReadCache::BeginRegionFill(const std::string& key, const std::string& region_scope) {
  MutexLock lock(&mu_);
  return BeginFillLocked(key, region_scope);
}

uint64_t LedgerReadCache::BeginFillLocked(const std::string& key, std::optional<std::string> region_scope) {
  auto found = by_key_.find(key);
  if (found != by_key_.end()) return found->second->ticket;
  const uint64_t ticket = next_ticket_++;
  if (region_scope.has_value()) lists_by_scope_[*region_scope].insert(key);
  entries_.push_front(Entry{key, ticket, std::nullopt, nullptr, 0, std::move(region_scope)});
  by_key_.emplace(key, entries_.begin());
  EvictLocked();
  return ticket;
}

void LedgerReadCache::FinishFill(const std::string& key, uint64_t ticket, const grpc::ByteBuffer& answer) {
  MutexLock lock(&mu_);
  auto found = by_key_.find(key);
  // Gone or made again since the fill began: a change of it was read.
  if (found == by_key_.end() || found->second->ticket != ticket || found->second->answer.has_value()) return;
  const size_t bytes = answer.Length() + key.size();
  if (bytes > max_bytes_) return;
  Entry& entry = *found->second;
  entry.answer = answer;
  entry.bytes = bytes;
  bytes_ += bytes;
  EvictLocked();
}

void LedgerReadCache::KeepJson(const std::string& key, uint64_t ticket, std::shared_ptr<const std::string> json) {
  MutexLock lock(&mu_);
  auto found = by_key_.find(key);
  if (found == by_key_.end() || found->second->ticket != ticket || !found->second->answer.has_value() ||
      found->second->json != nullptr || json == nullptr) {
    return;
  }
  Entry& entry = *found->second;
  if (entry.bytes + json->size() > max_bytes_) return;
  entry.bytes += json->size();
  bytes_ += json->size();
  entry.json = std::move(json);
  EvictLocked();
}

void LedgerReadCache::Clear() {
  MutexLock lock(&mu_);
  ClearLocked();
}

LedgerReadCache::Counts LedgerReadCache::counts() const {
  MutexLock lock(&mu_);
  Counts counts = counts_;
  counts.entries = entries_.size();
  counts.bytes = bytes_;
  return counts;
}

void LedgerReadCache::DropLocked(const std::string& key) {
  auto found = by_key_.find(key);
  if (found == by_key_.end()) return;
  EraseLocked(found->second);
  ++counts_.dropped;
}

void LedgerReadCache::DropListsOfLocked(std::string_view region_code) {
  if (lists_by_scope_.empty()) return;
  auto drop_scope = [this](std::string_view scope) {
    // Debian's Abseil has its own string_view: look up with its type.
    auto found = lists_by_scope_.find(absl::string_view(scope.data(), scope.size()));
    if (found == lists_by_scope_.end()) return;
    // DropLocked erases the key from the set being walked.
    std::vector<std::string> keys(found->second.begin(), found->second.end());
    for (const std::string& key : keys) DropLocked(key);
  };
  if (region_code.empty()) {
    // Every change the ledger logs names its region; one that does not
    // could be of any list.
    std::vector<std::string> scopes;
    for (const auto& [scope, unused] : lists_by_scope_) scopes.push_back(scope);
    for (const std::string& scope : scopes) drop_scope(scope);
    return;
  }
  for (size_t length = 0; length <= region_code.size(); ++length) drop_scope(region_code.substr(0, length));
}

void LedgerReadCache::EraseLocked(Entries::iterator entry) {
  bytes_ -= entry->bytes;
  if (entry->region_scope.has_value()) {
    auto scope = lists_by_scope_.find(*entry->region_scope);
    if (scope != lists_by_scope_.end()) {
      scope->second.erase(entry->key);
      if (scope->second.empty()) lists_by_scope_.erase(scope);
    }
  }
  by_key_.erase(entry->key);
  entries_.erase(entry);
}

void LedgerReadCache::ClearLocked() {
  if (!entries_.empty()) ++counts_.cleared;
  entries_.clear();
  by_key_.clear();
  lists_by_scope_.clear();
  bytes_ = 0;
}

void LedgerReadCache::EvictLocked() {
  while (!entries_.empty() && (bytes_ > max_bytes_ || entries_.size() > max_entries_)) {
    EraseLocked(std::prev(entries_.end()));
  }
}

}  // namespace yusuan::gateway
