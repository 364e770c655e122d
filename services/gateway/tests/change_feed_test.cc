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

}  // namespace
}  // namespace yusuan::gateway
