// Merging what the shards answer to one region-wide request (README.md in
// this folder): a page token holding one position per shard, the k-way
// merge of one page from each shard, and the sum of per-shard roll-ups.
// Plain C++: the gateway's wiring makes the calls and hands the answers
// here.
#ifndef YUSUAN_SERVICES_GATEWAY_SHARDING_MERGE_H_
#define YUSUAN_SERVICES_GATEWAY_SHARDING_MERGE_H_

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "yusuan/ledger/v1/rollup.pb.h"

namespace yusuan::gateway {

// The page token of a list fanned out to several shards: for each shard, in
// fan-out order, where its own list stands (its own page token) or that it
// has nothing more.
class MergedCursor {
 public:
  // A cursor at the start of every shard (`shard_names` in fan-out order).
  explicit MergedCursor(std::vector<std::string> shard_names);

  // Parses a token this class wrote for the same shard names; "" is the
  // start of every shard. INVALID_ARGUMENT naming page_token when the token
  // is malformed, or was written for another set of shards: the shard map
  // changed between pages, and the list must start again without a token.
  // Each cursor has one spelling: Parse(t) succeeds only for the t that
  // ToToken() writes.
  static absl::StatusOr<MergedCursor> Parse(std::string_view token, std::vector<std::string> shard_names);

  size_t size() const { return shards_.size(); }
  const std::string& shard_name(size_t i) const { return shards_[i].name; }
  // The shard has nothing more: it is not asked again.
  bool done(size_t i) const { return shards_[i].done; }
  // The shard's own page token ("" = its start).
  const std::string& position(size_t i) const { return shards_[i].position; }
  // Moves the shard to `position` (its own page token). "" is its start,
  // not its end: Finish says that.
  void Advance(size_t i, std::string position);
  void Finish(size_t i);
  bool AllDone() const;

  // "" when AllDone() (the list is over); otherwise "m1." and the web-safe
  // base64 (no padding) of, per shard, its name, whether it is done and its
  // position, each string length-prefixed: a backend's token may hold any
  // byte, so no separator is safe.
  std::string ToToken() const;

 private:
  struct ShardPosition {
    std::string name;
    bool done = false;
    std::string position;  // "" when done
  };
  std::vector<ShardPosition> shards_;
};

// One page of one shard's list.
template <typename Item>
struct ShardPage {
  size_t shard = 0;             // index into the cursor
  std::vector<Item> items;      // in the shard's order (ascending key)
  std::string next_page_token;  // the shard's own; "" = the shard has no more
};

// Merges `pages` (one per not-done shard of `cursor`, each asked for
// `page_size` items from its position) into at most `page_size` items in
// ascending key_of(item) order (ties: the lower shard index first), and
// advances `cursor`: a shard all of whose items were taken moves to its
// next_page_token (Finish when that is empty); a shard some of whose items
// were taken moves to token_of(last taken item); a shard none of whose items
// were taken stays.
//
// Why the result is the true next page of the union: an item is taken only
// when no shard can still have a smaller one. A shard with no more is no
// bound; a shard with more bounds the merge by the last key of its page, its
// next items all being larger. When every shard with more returned a full
// page the bound never bites (past it, that shard alone already filled the
// page); it does when a backend serves fewer than asked, as a backend caps
// page_size at its own maximum (services/common/paging.h), and then the
// merged page is shorter than page_size but still in order.
//
// A page for a done shard, or for an index the cursor does not have, is a
// caller's mistake and is ignored; a not-done shard without a page would
// have its items skipped past, so ask every one.
template <typename Item, typename KeyOf, typename TokenOf>
std::vector<Item> MergePages(std::vector<ShardPage<Item>> pages, size_t page_size, KeyOf key_of, TokenOf token_of,
                             MergedCursor* cursor) {
  using Key = std::decay_t<std::invoke_result_t<KeyOf&, const Item&>>;
  std::erase_if(pages,
                [&](const ShardPage<Item>& page) { return page.shard >= cursor->size() || cursor->done(page.shard); });
  // Lower shard first, so that the first page found with the smallest key
  // wins a tie.
  std::sort(pages.begin(), pages.end(),
            [](const ShardPage<Item>& a, const ShardPage<Item>& b) { return a.shard < b.shard; });

  // The largest key that can be taken (nullopt: no bound). An empty page
  // with a next token says nothing of what its shard has next, so then
  // nothing can be taken at all; the shard still moves on to that token.
  std::optional<Key> bound;
  bool take_nothing = false;
  for (const ShardPage<Item>& page : pages) {
    if (page.next_page_token.empty()) continue;
    if (page.items.empty()) {
      take_nothing = true;
      continue;
    }
    Key last = key_of(page.items.back());
    if (!bound.has_value() || last < *bound) bound = std::move(last);
  }

  // The pages' indices in merged order; the items are moved out only after
  // token_of has read the last taken one of each shard.
  std::vector<size_t> taken(pages.size(), 0);
  std::vector<size_t> order;
  while (!take_nothing && order.size() < page_size) {
    std::optional<size_t> smallest;
    for (size_t p = 0; p < pages.size(); ++p) {
      if (taken[p] == pages[p].items.size()) continue;
      if (!smallest.has_value() ||
          key_of(pages[p].items[taken[p]]) < key_of(pages[*smallest].items[taken[*smallest]])) {
        smallest = p;
      }
    }
    if (!smallest.has_value()) break;
    if (bound.has_value() && *bound < key_of(pages[*smallest].items[taken[*smallest]])) break;
    order.push_back(*smallest);
    ++taken[*smallest];
  }

  for (size_t p = 0; p < pages.size(); ++p) {
    ShardPage<Item>& page = pages[p];
    if (taken[p] == page.items.size()) {
      // Every item taken (or none returned): the shard continues after its
      // page, or is over.
      if (page.next_page_token.empty()) {
        cursor->Finish(page.shard);
      } else {
        cursor->Advance(page.shard, std::move(page.next_page_token));
      }
    } else if (taken[p] > 0) {
      cursor->Advance(page.shard, token_of(page.items[taken[p] - 1]));
    }
  }
  std::vector<size_t> next(pages.size(), 0);
  std::vector<Item> merged;
  merged.reserve(order.size());
  for (size_t p : order) merged.push_back(std::move(pages[p].items[next[p]++]));
  return merged;
}

// The roll-up of the union of the shards' departments, from each shard's
// answer to the same GetRollup (`parts`, in fan-out order): amounts summed,
// rows of one code made one row (name from the first part naming it), rows
// in the order the ledger gives them, read_time_unix_ms the earliest (the
// merged roll-up is no fresher than its stalest part). A merge of one part
// is that part. INVALID_ARGUMENT when `parts` is empty or their name,
// region_prefix, fiscal_year or statuses differ; OUT_OF_RANGE when a sum
// would leave int64.
//
// `signs`, when given, has one sign (1 or -1) a part: a part of -1 is taken
// away rather than added (ShardMap::RollupTerms says which), and a row that
// comes to 0 is left out, as the ledger leaves out rows of 0.
absl::StatusOr<yusuan::ledger::v1::Rollup> MergeRollups(const std::vector<yusuan::ledger::v1::Rollup>& parts,
                                                        const std::vector<int>& signs = {});

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_SHARDING_MERGE_H_
