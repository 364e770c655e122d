// WatchChanges (README § Change feed): the cursor, and the reads of the
// ledger's change log the two faces loop over.
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
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
  return absl::WebSafeBase64Escape(cursor.SerializeAsString());
}

absl::StatusOr<Orchestrator::ChangeFeedPosition> Orchestrator::DecodeChangeCursor(const std::string& text) {
  ChangeFeedPosition position;
  if (text.empty()) return position;
  std::string bytes;
  gv1::ChangeCursor cursor;
  if (!absl::WebSafeBase64Unescape(text, &bytes) || !cursor.ParseFromString(bytes) || cursor.positions_size() != 1 ||
      cursor.positions(0).log_id().empty()) {
    return WithReason(
        InvalidField("after_cursor",
                     "after_cursor 不是本服务给出的游标：请使用变更流消息中的 cursor 原样传回，或留空从头读取",
                     "after_cursor is not a cursor this service gave: send back the `cursor` of a "
                     "change-feed message as it was, or leave it empty to read from the start"),
        "CURSOR_INVALID");
  }
  position.log_id = cursor.positions(0).log_id();
  position.sequence = cursor.positions(0).sequence();
  return position;
}

absl::StatusOr<Orchestrator::ChangeFeedPosition> Orchestrator::StartChangeFeed(const gv1::WatchChangesRequest& request,
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
  absl::StatusOr<ChangeFeedPosition> position = DecodeChangeCursor(request.after_cursor());
  if (!position.ok()) return position.status();
  position->region_prefix = *region;
  // One shard's change log: a feed over several logs needs a position in
  // each, which the cursor has room for but the merge is not built yet.
  std::vector<const ShardConnection*> shards;
  if (absl::Status covered = CoverList(*region, &shards); !covered.ok()) return covered;
  if (shards.size() > 1) {
    std::string names;
    for (const ShardConnection* shard : shards) absl::StrAppend(&names, names.empty() ? "" : ", ", shard->name);
    return WithReason(
        absl::FailedPreconditionError(absl::StrCat(
            "地区 ", *region, " 的数据分布在 ", shards.size(), " 个分片（", names,
            "）上，变更流暂只能订阅单个分片内的地区：请分别订阅各分片承载的地区前缀 / the regions under ", *region,
            " are held by ", shards.size(), " shards (", names,
            "), and a change feed reads one shard's log for now: watch each shard's region prefixes instead")),
        "FEED_SPANS_SHARDS");
  }
  return position;
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

absl::Status Orchestrator::FeedShard(const ChangeFeedPosition& from, const ShardConnection** shard) const {
  std::vector<const ShardConnection*> shards;
  if (absl::Status covered = CoverList(from.region_prefix, &shards); !covered.ok()) return covered;
  *shard = shards.front();
  return absl::OkStatus();
}

absl::StatusOr<Orchestrator::ChangePage> Orchestrator::ReadChanges(const ChangeFeedPosition& from,
                                                                   std::chrono::milliseconds wait,
                                                                   const CallOptions& call) {
  const ShardConnection* shard = nullptr;
  if (absl::Status routed = FeedShard(from, &shard); !routed.ok()) return routed;
  const lv1::ReadChangesRequest request = ReadRequest(from, wait);
  lv1::ReadChangesResponse read;
  auto context = NewContext(call);
  grpc::Status status = shard->ledger->ReadChanges(context.get(), request, &read);
  if (!status.ok()) return MapError(*shard, Backend::kLedger, status);
  return ChangePageFrom(from, read);
}

void Orchestrator::ReadChangesAsync(const ChangeFeedPosition& from, std::chrono::milliseconds wait,
                                    const CallOptions& call, std::function<void(absl::StatusOr<ChangePage>)> done) {
  const ShardConnection* shard = nullptr;
  if (absl::Status routed = FeedShard(from, &shard); !routed.ok()) return done(routed);
  struct Call {
    std::unique_ptr<grpc::ClientContext> context;
    lv1::ReadChangesRequest request;
    lv1::ReadChangesResponse response;
  };
  auto pending = std::make_shared<Call>();
  pending->context = NewContext(call);
  pending->request = ReadRequest(from, wait);
  // The callback runs on a thread of gRPC's, and libgrpc orders it after
  // what the caller did so far (a watching stream's state included),
  // unseen by ThreadSanitizer (services/common/tsan_handoff.h). It is built
  // before the release: its capture copies `from`, which may be the
  // caller's own state.
  auto on_read = [this, shard, pending, from, done = std::move(done)](grpc::Status status) {
    TsanAcquire(pending.get());
    if (!status.ok()) return done(MapError(*shard, Backend::kLedger, status));
    done(ChangePageFrom(from, pending->response));
  };
  TsanRelease(pending.get());
  shard->ledger->async()->ReadChanges(pending->context.get(), &pending->request, &pending->response,
                                      std::move(on_read));
}

}  // namespace yusuan::gateway
