// The change feed's cursor and how a read of the ledger's log becomes a page
// of changes or a refusal (change_feed.cc), without a backend.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/errors.h"
#include "services/gateway/orchestrator.h"

namespace yusuan::gateway {
namespace {

using ::testing::HasSubstr;
using Position = Orchestrator::ChangeFeedPosition;
namespace lv1 = yusuan::ledger::v1;

lv1::ReadChangesResponse Read(const std::string& log_id, std::vector<uint64_t> sequences, uint64_t scanned,
                              uint64_t first, uint64_t last) {
  lv1::ReadChangesResponse read;
  read.set_log_id(log_id);
  for (uint64_t sequence : sequences) {
    auto* change = read.add_changes();
    change->set_sequence(sequence);
    change->set_region_code("420107");
  }
  read.set_scanned_through(scanned);
  read.set_first_sequence(first);
  read.set_last_sequence(last);
  return read;
}

Position At(const std::string& log_id, uint64_t sequence) {
  Position position;
  position.region_prefix = "4201";
  position.log_id = log_id;
  position.sequence = sequence;
  return position;
}

TEST(ChangeCursor, RoundTripsAndRefusesWhatIsNotOne) {
  const std::string cursor = Orchestrator::EncodeChangeCursor(At("abc", 42));
  EXPECT_EQ(cursor.find_first_of("+/="), std::string::npos) << "URL-safe: " << cursor;
  auto decoded = Orchestrator::DecodeChangeCursor(cursor);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->log_id, "abc");
  EXPECT_EQ(decoded->sequence, 42u);
  EXPECT_EQ(decoded->shard_ledger, "");
  Position on_shard = At("abc", 42);
  on_shard.shard_ledger = "ledger-0.hubei:50061";
  auto named = Orchestrator::DecodeChangeCursor(Orchestrator::EncodeChangeCursor(on_shard));
  ASSERT_TRUE(named.ok()) << named.status();
  EXPECT_EQ(named->shard_ledger, "ledger-0.hubei:50061") << "a position read under a map names its ledger";
  auto empty = Orchestrator::DecodeChangeCursor("");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->log_id, "");
  EXPECT_EQ(empty->sequence, 0u);
  for (const char* bad : {"not a cursor!", "AAAA", "%%"}) {
    auto refused = Orchestrator::DecodeChangeCursor(bad);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(ErrorReason(refused.status()), "CURSOR_INVALID") << bad;
    EXPECT_THAT(refused.status().message(), HasSubstr("after_cursor"));
  }
}

TEST(ChangePage, EachChangeCarriesTheCursorAfterItAndTheNextReadStartsPastWhatWasScanned) {
  auto page = Orchestrator::ChangePageFrom(At("log", 3), Read("log", {5, 7}, 9, 1, 9));
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->changes.size(), 2u);
  EXPECT_EQ(page->changes[0].cursor(), Orchestrator::EncodeChangeCursor(At("log", 5)));
  EXPECT_EQ(page->changes[1].cursor(), Orchestrator::EncodeChangeCursor(At("log", 7)));
  EXPECT_EQ(page->next.sequence, 9u);
  EXPECT_EQ(page->next.log_id, "log");
  EXPECT_EQ(page->next.region_prefix, "4201");
}

TEST(ChangePage, RefusesACursorOfAnotherLogOrAheadOfIt) {
  auto other = Orchestrator::ChangePageFrom(At("old-dir", 3), Read("new-dir", {}, 3, 1, 9));
  EXPECT_EQ(other.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(other.status()), "CURSOR_OTHER_LOG");
  auto ahead = Orchestrator::ChangePageFrom(At("log", 12), Read("log", {}, 12, 1, 9));
  EXPECT_EQ(ahead.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(ahead.status()), "CURSOR_AHEAD");
  EXPECT_THAT(ahead.status().message(), HasSubstr("backup"));
}

TEST(ChangePage, ACursorPastRetentionIsRefusedNamingTheOldestCursorButNoCursorStartsThere) {
  // Records 1–4 were removed; the log keeps 5–9.
  auto expired = Orchestrator::ChangePageFrom(At("log", 2), Read("log", {}, 2, 5, 9));
  EXPECT_EQ(expired.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(expired.status()), "CURSOR_EXPIRED");
  EXPECT_THAT(expired.status().message(), HasSubstr(Orchestrator::EncodeChangeCursor(At("log", 4))));
  EXPECT_THAT(expired.status().message(), HasSubstr("export"));
  // Right before the oldest kept: served.
  EXPECT_TRUE(Orchestrator::ChangePageFrom(At("log", 4), Read("log", {5}, 5, 5, 9)).ok());
  // Without a cursor: from the oldest kept.
  Position start = At("", 0);
  auto from_start = Orchestrator::ChangePageFrom(start, Read("log", {}, 0, 5, 9));
  ASSERT_TRUE(from_start.ok()) << from_start.status();
  EXPECT_TRUE(from_start->changes.empty());
  EXPECT_EQ(from_start->next.sequence, 4u);
  EXPECT_EQ(from_start->next.log_id, "log");
}

// Several shards' logs (README § Shards): each change's cursor moves its own
// log and keeps the others where the page found or left them, so that a
// client resuming from any change neither skips nor repeats one.
TEST(FeedPage, EachChangeOfSeveralLogsCarriesEveryLogsPlace) {
  Orchestrator::ChangeFeed from;
  from.region_prefix = "42";
  from.logs = {At("north", 3), At("south", 10)};
  std::vector<std::optional<absl::StatusOr<Orchestrator::ChangePage>>> pages(2);
  pages[0] = Orchestrator::ChangePageFrom(from.logs[0], Read("north", {4, 6}, 7, 1, 9));
  pages[1] = Orchestrator::ChangePageFrom(from.logs[1], Read("south", {12}, 12, 1, 12));
  absl::StatusOr<Orchestrator::FeedPage> page = Orchestrator::MergeFeedPages(from, std::move(pages));
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->changes.size(), 3u);
  auto cursor = [](std::vector<Position> logs) {
    Orchestrator::ChangeFeed feed;
    feed.logs = std::move(logs);
    return Orchestrator::EncodeFeedCursor(feed);
  };
  EXPECT_EQ(page->changes[0].cursor(), cursor({At("north", 4), At("south", 10)}));
  EXPECT_EQ(page->changes[1].cursor(), cursor({At("north", 6), At("south", 10)}));
  // North's page is done: past what it scanned (7), south at its change.
  EXPECT_EQ(page->changes[2].cursor(), cursor({At("north", 7), At("south", 12)}));
  EXPECT_EQ(Orchestrator::EncodeFeedCursor(page->next), cursor({At("north", 7), At("south", 12)}));
  // A one-log feed's cursor is the single-log cursor, as before shards.
  EXPECT_EQ(cursor({At("north", 4)}), Orchestrator::EncodeChangeCursor(At("north", 4)));
}

// A feed of regions/42 over two shards (north 42, south 4201); no call
// reaches a backend before the first read.
absl::StatusOr<Orchestrator::ChangeFeed> StartOverTwoShards(std::vector<Position> logs) {
  absl::StatusOr<ShardMap> map = ShardMap::Parse(
      R"({"shards": [
        {"name": "north", "regions": ["42"], "ledger": "127.0.0.1:1", "goals": "127.0.0.1:2", "report": "127.0.0.1:3"},
        {"name": "south", "regions": ["4201"], "ledger": "127.0.0.1:4", "goals": "127.0.0.1:5", "report": "127.0.0.1:6"}]})",
      "test.json");
  EXPECT_TRUE(map.ok()) << map.status();
  Orchestrator orchestrator(
      Orchestrator::Options(),
      std::make_shared<ShardRouter>(
          [](const std::string& address) { return grpc::CreateChannel(address, grpc::InsecureChannelCredentials()); },
          *std::move(map)));
  yusuan::gateway::v1::WatchChangesRequest request;
  request.set_parent("regions/42");
  if (!logs.empty()) {
    Orchestrator::ChangeFeed feed;
    feed.logs = std::move(logs);
    request.set_after_cursor(Orchestrator::EncodeFeedCursor(feed));
  }
  return orchestrator.StartChangeFeed(request, CallOptions());
}

TEST(FeedPage, ACursorMayHoldALogNotReadYetButNotOnlySuchLogs) {
  absl::StatusOr<Orchestrator::ChangeFeed> fresh = StartOverTwoShards({});
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  EXPECT_EQ(fresh->logs.size(), 2u);
  absl::StatusOr<Orchestrator::ChangeFeed> half = StartOverTwoShards({At("north", 4), At("", 0)});
  ASSERT_TRUE(half.ok()) << half.status();
  EXPECT_EQ(half->logs[0].sequence, 4u);
  EXPECT_EQ(half->logs[1].log_id, "");
  EXPECT_EQ(ErrorReason(StartOverTwoShards({At("", 0), At("", 0)}).status()), "CURSOR_INVALID");
  EXPECT_EQ(ErrorReason(StartOverTwoShards({At("", 5), At("south", 4)}).status()), "CURSOR_INVALID");
  // A cursor of one log where two now cover the prefix: the map changed.
  absl::StatusOr<Orchestrator::ChangeFeed> one = StartOverTwoShards({At("north", 4)});
  EXPECT_EQ(one.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ErrorReason(one.status()), "CURSOR_SHARDS_CHANGED");
}

TEST(FeedPage, AReadCancelledByAnotherLogsChangeLeavesItsLogWhereItWasAndAnyOtherFailureFails) {
  Orchestrator::ChangeFeed from;
  from.logs = {At("north", 3), At("south", 10)};
  std::vector<std::optional<absl::StatusOr<Orchestrator::ChangePage>>> pages(2);
  pages[0] = absl::StatusOr<Orchestrator::ChangePage>(absl::CancelledError("cancelled"));
  pages[1] = Orchestrator::ChangePageFrom(from.logs[1], Read("south", {11}, 11, 1, 11));
  absl::StatusOr<Orchestrator::FeedPage> page = Orchestrator::MergeFeedPages(from, pages);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->next.logs[0].sequence, 3u);
  EXPECT_EQ(page->next.logs[1].sequence, 11u);
  pages[0] = absl::StatusOr<Orchestrator::ChangePage>(absl::UnavailableError("the ledger of shard north"));
  page = Orchestrator::MergeFeedPages(from, pages);
  EXPECT_EQ(page.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace yusuan::gateway
