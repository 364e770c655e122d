// WatchChanges (README § Change feed): the cursor, and the reads of the
// ledger's change log the two faces loop over.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/mutex.h"
#include "services/common/tsan_handoff.h"
#include "services/gateway/orchestrator.h"

namespace yusuan::gateway {

namespace gv1 = yusuan::gateway::v1;
namespace lv1 = yusuan::ledger::v1;

namespace {

// The ledger waits at most this long in one read (ledger_service.proto).
constexpr std::chrono::milliseconds kMaxReadWait{10000};

absl::Status CursorRefused(std::string reason, const std::string& zh, const std::string& en) {
  return WithReason(absl::FailedPreconditionError(absl::StrCat(zh, " / ", en)), reason);
}

}  // namespace

std::string Orchestrator::EncodeChangeCursor(const ChangeFeedPosition& position) {
  gv1::ChangeCursor cursor;
  auto* at = cursor.add_positions();
  at->set_log_id(position.log_id);
  at->set_sequence(position.sequence);
  at->set_shard_ledger(position.shard_ledger);
  return absl::WebSafeBase64Escape(cursor.SerializeAsString());
}

namespace {

absl::Status CursorInvalid() {
  return WithReason(
      InvalidField("after_cursor",
                   "after_cursor 不是本服务给出的游标：请使用变更流消息中的 cursor 原样传回，或留空从头读取",
                   "after_cursor is not a cursor this service gave: send back the `cursor` of a "
                   "change-feed message as it was, or leave it empty to read from the start"),
      "CURSOR_INVALID");
}

// The positions a cursor holds, one per log; none for "".
absl::StatusOr<std::vector<Orchestrator::ChangeFeedPosition>> DecodePositions(const std::string& text) {
  std::vector<Orchestrator::ChangeFeedPosition> positions;
  if (text.empty()) return positions;
  std::string bytes;
  gv1::ChangeCursor cursor;
  if (!absl::WebSafeBase64Unescape(text, &bytes) || !cursor.ParseFromString(bytes) || cursor.positions().empty()) {
    return CursorInvalid();
  }
  // A feed over several logs may not have read one of them yet when
  // another's change comes: that log's position is its start (no log id,
  // sequence 0). Some log has always been read.
  bool some_log_read = false;
  for (const auto& at : cursor.positions()) {
    some_log_read = some_log_read || !at.log_id().empty();
    if (at.log_id().empty() && (at.sequence() != 0 || cursor.positions_size() == 1)) return CursorInvalid();
    Orchestrator::ChangeFeedPosition position;
    position.log_id = at.log_id();
    position.sequence = at.sequence();
    position.shard_ledger = at.shard_ledger();
    positions.push_back(std::move(position));
  }
  if (!some_log_read) return CursorInvalid();
  return positions;
}

}  // namespace

absl::StatusOr<Orchestrator::ChangeFeedPosition> Orchestrator::DecodeChangeCursor(const std::string& text) {
  absl::StatusOr<std::vector<ChangeFeedPosition>> positions = DecodePositions(text);
  if (!positions.ok()) return positions.status();
  if (positions->empty()) return ChangeFeedPosition();
  if (positions->size() != 1) return CursorInvalid();
  return std::move(positions->front());
}

std::string Orchestrator::EncodeFeedCursor(const ChangeFeed& feed) {
  gv1::ChangeCursor cursor;
  for (const ChangeFeedPosition& log : feed.logs) {
    auto* at = cursor.add_positions();
    at->set_log_id(log.log_id);
    at->set_sequence(log.sequence);
    at->set_shard_ledger(log.shard_ledger);
  }
  return absl::WebSafeBase64Escape(cursor.SerializeAsString());
}

bool Orchestrator::ChangeFeed::SamePlace(const ChangeFeed& other) const {
  if (logs.size() != other.logs.size()) return false;
  for (size_t i = 0; i < logs.size(); ++i) {
    if (logs[i].log_id != other.logs[i].log_id || logs[i].sequence != other.logs[i].sequence) return false;
  }
  return true;
}

absl::StatusOr<Orchestrator::ChangeFeed> Orchestrator::StartChangeFeed(const gv1::WatchChangesRequest& request,
                                                                       const CallOptions& call) const {
  absl::StatusOr<std::string> region = ParseRegionName(request.parent());
  if (!region.ok()) {
    return InvalidField(
        "parent", absl::StrCat("parent 应为 regions/{地区代码}（2、4 或 6 位），收到 \"", request.parent(), "\""),
        absl::StrCat("parent must be regions/{region code} (2, 4 or 6 digits), got \"", request.parent(), "\""));
  }
  if (absl::Status allowed = Allow(call, "WatchChanges", request.parent()); !allowed.ok()) return allowed;
  if (request.wait_ms() < 0) {
    return InvalidField("wait_ms", "wait_ms 不能为负（0 表示不因空闲而结束）",
                        "wait_ms cannot be negative (0: the stream does not end for being idle)");
  }
  absl::StatusOr<std::vector<ChangeFeedPosition>> positions = DecodePositions(request.after_cursor());
  if (!positions.ok()) return positions.status();
  std::vector<const ShardConnection*> shards;
  if (absl::Status covered = FeedShards(*region, &shards); !covered.ok()) return covered;
  ChangeFeed feed;
  feed.region_prefix = *region;
  if (positions->empty()) positions->resize(shards.size());
  if (positions->size() != shards.size()) {
    // Each log is known by its identity, not its place: a cursor of
    // another map cannot be told where each of its positions now is.
    return CursorRefused(
        "CURSOR_SHARDS_CHANGED",
        absl::StrCat("游标记录了 ", positions->size(), " 个分片的位置，而地区 ", *region, " 现由 ", shards.size(),
                     " 个分片承载（分片映射已变更）：请重新导出该地区的全部数据，然后不带游标重新订阅"),
        absl::StrCat("the cursor holds positions in ", positions->size(), " shards' logs, and the regions under ",
                     *region, " are now held by ", shards.size(),
                     " (the shard map changed): export the region again (bulk export), then watch again without a "
                     "cursor"));
  }
  for (ChangeFeedPosition& log : *positions) {
    log.region_prefix = *region;
    feed.logs.push_back(std::move(log));
  }
  return feed;
}

absl::StatusOr<Orchestrator::ChangePage> Orchestrator::ChangePageFrom(const ChangeFeedPosition& from,
                                                                      const lv1::ReadChangesResponse& read) {
  const bool from_start = from.log_id.empty();
  if (!from_start && from.log_id != read.log_id()) {
    return CursorRefused("CURSOR_OTHER_LOG",
                         "游标属于另一个数据目录的变更日志（数据已被替换或恢复到另一台机器）：请重新导出全部数据，"
                         "然后不带游标重新订阅",
                         "the cursor belongs to another data directory's change log (the data was replaced or "
                         "moved): export everything again (bulk export), then watch again without a cursor");
  }
  if (from.sequence > read.last_sequence()) {
    return CursorRefused(
        "CURSOR_AHEAD",
        absl::StrCat("游标位置 ", from.sequence, " 超出变更日志的最新位置 ", read.last_sequence(),
                     "（数据可能从备份恢复）：请重新导出全部数据，然后不带游标重新订阅"),
        absl::StrCat("the cursor is at position ", from.sequence, ", past the newest change ", read.last_sequence(),
                     " (was the data restored from a backup?): export everything again, then watch again without "
                     "a cursor"));
  }
  ChangePage page;
  page.next.region_prefix = from.region_prefix;
  page.next.log_id = read.log_id();
  page.next.sequence = read.scanned_through();
  page.next.shard_ledger = from.shard_ledger;
  if (read.first_sequence() > read.scanned_through() + 1) {
    if (from_start) {
      // No cursor: the feed starts at the oldest change retention kept.
      page.next.sequence = read.first_sequence() - 1;
      return page;
    }
    ChangeFeedPosition oldest = page.next;
    oldest.sequence = read.first_sequence() - 1;
    const std::string oldest_cursor = EncodeChangeCursor(oldest);
    return CursorRefused(
        "CURSOR_EXPIRED",
        absl::StrCat("游标之后的变更已超过保留期被删除（最早保留的变更位于 ", read.first_sequence(),
                     "）：请重新导出该地区的全部数据，然后从最早的游标 ", oldest_cursor, " 继续订阅"),
        absl::StrCat("the changes after this cursor are past retention and were removed (the oldest kept is at ",
                     read.first_sequence(),
                     "): export the region again (bulk export), then watch from the oldest "
                     "cursor there is, ",
                     oldest_cursor));
  }
  for (const auto& change : read.changes()) {
    gv1::WatchChangesResponse message;
    *message.mutable_change() = change;
    ChangeFeedPosition after = page.next;
    after.sequence = change.sequence();
    message.set_cursor(EncodeChangeCursor(after));
    page.changes.push_back(std::move(message));
  }
  return page;
}

namespace {

lv1::ReadChangesRequest ReadRequest(const Orchestrator::ChangeFeedPosition& from, std::chrono::milliseconds wait) {
  lv1::ReadChangesRequest request;
  request.set_region_prefix(from.region_prefix);
  request.set_after_sequence(from.sequence);
  request.set_wait_ms(static_cast<int>(std::clamp(wait, std::chrono::milliseconds(0), kMaxReadWait).count()));
  return request;
}

}  // namespace

absl::Status Orchestrator::FeedShards(const std::string& prefix, std::vector<const ShardConnection*>* shards) const {
  return CoverList(prefix, shards);
}

void Orchestrator::ReadLogAsync(const ShardConnection* shard, grpc::ClientContext* context,
                                const ChangeFeedPosition& from, std::chrono::milliseconds wait,
                                std::function<void(absl::StatusOr<ChangePage>)> done) {
  struct Call {
    lv1::ReadChangesRequest request;
    lv1::ReadChangesResponse response;
  };
  auto pending = std::make_shared<Call>();
  pending->request = ReadRequest(from, wait);
  // The callback runs on a thread of gRPC's, and libgrpc orders it after
  // what the caller did so far (a watching stream's state included),
  // unseen by ThreadSanitizer (services/common/tsan_handoff.h). It is built
  // before the release: its capture copies `from`, which may be the
  // caller's own state.
  auto on_read = [this, shard, pending, from, routing = router_->Current(),
                  done = std::move(done)](grpc::Status status) {
    TsanAcquire(pending.get());
    if (!status.ok()) return done(MapError(*shard, Backend::kLedger, status));
    // After a move, the new shard's log is a copy of the old one's up to
    // the backup, then goes its own way under the same identity: a position
    // read on one shard means nothing on the other.
    ChangeFeedPosition here = from;
    here.shard_ledger = shard->name.empty() ? "" : shard->endpoints.ledger;
    if (!from.shard_ledger.empty() && from.shard_ledger != here.shard_ledger) {
      return done(CursorRefused(
          "CURSOR_SHARDS_CHANGED",
          absl::StrCat("游标中的位置属于 ", from.shard_ledger, " 上的变更日志，而地区 ", from.region_prefix,
                       " 现由分片 ", shard->name, "（", shard->endpoints.ledger,
                       "）承载（地区已迁移）：请重新导出该地区的全部数据，然后不带游标重新订阅"),
          absl::StrCat("a position in the cursor is in the change log at ", from.shard_ledger, ", and region ",
                       from.region_prefix, " is now held by shard ", shard->name, " at ", shard->endpoints.ledger,
                       " (the region moved): export the region again (bulk export), then watch again without a "
                       "cursor")));
    }
    // A change of a region the map gives another shard is of a copy a move
    // left behind (ShardMap::Serves): that shard's log has it. The position
    // still moves past it (scanned_through).
    auto& changes = *pending->response.mutable_changes();
    changes.erase(std::remove_if(changes.begin(), changes.end(),
                                 [&](const yusuan::common::v1::Change& change) {
                                   return !routing->Serves(*shard, change.region_code());
                                 }),
                  changes.end());
    done(ChangePageFrom(here, pending->response));
  };
  TsanRelease(pending.get());
  shard->ledger->async()->ReadChanges(context, &pending->request, &pending->response, std::move(on_read));
}

// One log: its read waits as the feed does. Several: each is read at once
// without waiting; when none had a change and the caller waits, all wait
// together and the first change (or failure) cancels the others' wait.
void Orchestrator::ReadFeedAsync(const ChangeFeed& from, std::chrono::milliseconds wait, const CallOptions& call,
                                 std::function<void(absl::StatusOr<FeedPage>)> done) {
  std::vector<const ShardConnection*> shards;
  if (absl::Status covered = FeedShards(from.region_prefix, &shards); !covered.ok()) return done(covered);
  if (shards.size() != from.logs.size()) {
    return done(CursorRefused("CURSOR_SHARDS_CHANGED", "变更流进行中分片映射已变更：请从最后收到的游标重新订阅",
                              "the shard map changed under this feed: watch again from the last cursor received"));
  }
  if (shards.size() == 1 || wait.count() == 0) return ReadEveryLog(from, shards, wait, call, std::move(done));
  ReadEveryLog(from, shards, std::chrono::milliseconds(0), call,
               [this, shards, wait, call, done](absl::StatusOr<FeedPage> page) {
                 if (!page.ok() || !page->changes.empty()) return done(std::move(page));
                 ReadEveryLog(page->next, shards, wait, call, done);
               });
}

void Orchestrator::ReadEveryLog(const ChangeFeed& from, const std::vector<const ShardConnection*>& shards,
                                std::chrono::milliseconds wait, const CallOptions& call,
                                std::function<void(absl::StatusOr<FeedPage>)> done) {
  struct Round {
    Mutex mu;
    std::vector<std::unique_ptr<grpc::ClientContext>> contexts;  // fixed before the first read starts
    std::vector<std::optional<absl::StatusOr<ChangePage>>> pages ABSL_GUARDED_BY(mu);
    size_t left ABSL_GUARDED_BY(mu) = 0;
    bool cancelled ABSL_GUARDED_BY(mu) = false;
  };
  auto round = std::make_shared<Round>();
  {
    MutexLock lock(&round->mu);
    round->pages.resize(shards.size());
    round->left = shards.size();
  }
  for (size_t i = 0; i < shards.size(); ++i) round->contexts.push_back(NewContext(call));
  for (size_t i = 0; i < shards.size(); ++i) {
    ReadLogAsync(shards[i], round->contexts[i].get(), from.logs[i], wait,
                 [round, i, from, wait, done](absl::StatusOr<ChangePage> page) {
                   const bool ends_the_wait = !page.ok() || !page->changes.empty();
                   bool last = false;
                   bool cancel_others = false;
                   {
                     MutexLock lock(&round->mu);
                     round->pages[i] = std::move(page);
                     last = --round->left == 0;
                     // Only a wait is cut short: a read that does not wait
                     // answers at once anyway.
                     if (wait.count() > 0 && ends_the_wait && !round->cancelled) {
                       cancel_others = round->cancelled = true;
                     }
                   }
                   if (cancel_others) {
                     for (size_t j = 0; j < round->contexts.size(); ++j) {
                       if (j != i) round->contexts[j]->TryCancel();
                     }
                   }
                   if (!last) return;
                   std::vector<std::optional<absl::StatusOr<ChangePage>>> pages;
                   {
                     MutexLock lock(&round->mu);
                     pages = std::move(round->pages);
                   }
                   done(MergeFeedPages(from, std::move(pages)));
                 });
  }
}

absl::StatusOr<Orchestrator::FeedPage> Orchestrator::MergeFeedPages(
    const ChangeFeed& from, std::vector<std::optional<absl::StatusOr<ChangePage>>> pages) {
  FeedPage merged;
  merged.next = from;
  for (size_t i = 0; i < pages.size(); ++i) {
    if (!pages[i].has_value()) continue;
    absl::StatusOr<ChangePage>& page = *pages[i];
    // Cancelled because another log had a change: still where it was.
    if (!page.ok() && page.status().code() == absl::StatusCode::kCancelled && pages.size() > 1) continue;
    if (!page.ok()) return page.status();
    for (gv1::WatchChangesResponse& change : page->changes) {
      ChangeFeed after = merged.next;
      after.logs[i].log_id = page->next.log_id;
      after.logs[i].sequence = change.change().sequence();
      after.logs[i].shard_ledger = page->next.shard_ledger;
      change.set_cursor(EncodeFeedCursor(after));
      merged.changes.push_back(std::move(change));
    }
    merged.next.logs[i] = page->next;
  }
  return merged;
}

}  // namespace yusuan::gateway
