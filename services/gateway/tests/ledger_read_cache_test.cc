#include "services/gateway/ledger_read_cache.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/common/byte_buffer.h"

namespace yusuan::gateway {
namespace {

namespace lv1 = yusuan::ledger::v1;

constexpr char kBudget[] = "regions/420107/departments/005001022/budgets/2021";
constexpr char kOtherBudget[] = "regions/420107/departments/005001023/budgets/2021";

// The ledger's log as the test answers it: each read waits until the test
// says what the log held.
class ScriptedLog {
 public:
  LedgerReadCache::ReadLog Reader() {
    return [this](const lv1::ReadChangesRequest& request,
                  std::function<void(absl::StatusOr<lv1::ReadChangesResponse>)> answered) {
      requests.push_back(request);
      pending.push_back(std::move(answered));
    };
  }
  // Answers the oldest read in flight.
  void Answer(absl::StatusOr<lv1::ReadChangesResponse> read) {
    ASSERT_FALSE(pending.empty()) << "no read of the log is in flight";
    auto answered = std::move(pending.front());
    pending.erase(pending.begin());
    answered(std::move(read));
  }

  std::vector<lv1::ReadChangesRequest> requests;
  std::vector<std::function<void(absl::StatusOr<lv1::ReadChangesResponse>)>> pending;
};

lv1::ReadChangesResponse LogAt(const std::string& log_id, uint64_t last_sequence) {
  lv1::ReadChangesResponse read;
  read.set_log_id(log_id);
  read.set_first_sequence(last_sequence == 0 ? 0 : 1);
  read.set_last_sequence(last_sequence);
  read.set_scanned_through(last_sequence);
  return read;
}

// `read` with one more change, of `budget_name`, at the next position.
void AddChange(lv1::ReadChangesResponse& read, const std::string& budget_name) {
  auto* change = read.add_changes();
  change->set_sequence(read.last_sequence() + 1);
  change->set_kind(yusuan::common::v1::CHANGE_KIND_WORKFLOW_STEP);
  change->set_resource_name(budget_name);
  change->set_budget_name(budget_name);
  read.set_last_sequence(change->sequence());
  read.set_scanned_through(change->sequence());
}

std::string Text(const std::optional<grpc::ByteBuffer>& bytes) {
  if (!bytes.has_value()) return "(nothing kept)";
  std::vector<grpc::Slice> slices;
  EXPECT_TRUE(bytes->Dump(&slices).ok());
  std::string text;
  for (const grpc::Slice& slice : slices) text.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  return text;
}

class LedgerReadCacheTest : public ::testing::Test {
 protected:
  // Waits for the cache to be current; says what it answered, or nullopt
  // while its read of the log is still in flight.
  std::shared_ptr<std::optional<bool>> Await() {
    auto answer = std::make_shared<std::optional<bool>>();
    cache_.AwaitCurrent([answer](bool current) { *answer = current; });
    return answer;
  }
  void Keep(const std::string& key, const std::string& answer) {
    const uint64_t ticket = cache_.BeginFill(key);
    cache_.FinishFill(key, ticket, WireToByteBuffer(answer));
  }
  // Brings the cache onto log "L" at position 10.
  void Start() {
    auto current = Await();
    log_.Answer(LogAt("L", 10));
    ASSERT_EQ(*current, std::optional<bool>(true));
  }

  ScriptedLog log_;
  LedgerReadCache cache_{size_t{1} << 20, log_.Reader()};
};

TEST_F(LedgerReadCacheTest, KeepsWhatItReadAndAnswersItWhileNothingChanged) {
  Start();
  // The first read asks only where the log is.
  ASSERT_EQ(log_.requests.size(), 1u);
  EXPECT_EQ(log_.requests[0].max_changes(), 1);
  EXPECT_EQ(log_.requests[0].wait_ms(), 0);
  EXPECT_EQ(Text(cache_.Find(kBudget)), "(nothing kept)");
  Keep(kBudget, "revision 3");
  EXPECT_EQ(Text(cache_.Find(kBudget)), "revision 3");

  auto current = Await();
  log_.Answer(LogAt("L", 10));
  EXPECT_EQ(*current, std::optional<bool>(true));
  // Later reads ask for the changes after the position applied.
  EXPECT_EQ(log_.requests.back().after_sequence(), 10u);
  EXPECT_EQ(log_.requests.back().max_changes(), LedgerReadCache::kMaxChangesPerRead);
  EXPECT_EQ(Text(cache_.Find(kBudget)), "revision 3");
  EXPECT_EQ(cache_.counts().hits, 2u);
}

TEST_F(LedgerReadCacheTest, AChangeOfTheBudgetDropsItAndNoOther) {
  Start();
  Keep(kBudget, "revision 3");
  Keep(kOtherBudget, "other");
  auto current = Await();
  lv1::ReadChangesResponse read = LogAt("L", 10);
  AddChange(read, kBudget);
  log_.Answer(read);
  EXPECT_EQ(*current, std::optional<bool>(true));
  EXPECT_EQ(Text(cache_.Find(kBudget)), "(nothing kept)");
  EXPECT_EQ(Text(cache_.Find(kOtherBudget)), "other");
  EXPECT_EQ(log_.requests.size(), 2u);

  // The next read starts after that change.
  Await();
  EXPECT_EQ(log_.requests.back().after_sequence(), 11u);
}

TEST_F(LedgerReadCacheTest, AnAnswerReadBeforeAChangeIsNotKeptAfterIt) {
  Start();
  // A miss asks the ledger; meanwhile a read of the log brings a change of
  // the same budget; then the ledger's (older) answer arrives.
  const uint64_t ticket = cache_.BeginFill(kBudget);
  auto current = Await();
  lv1::ReadChangesResponse read = LogAt("L", 10);
  AddChange(read, kBudget);
  log_.Answer(read);
  ASSERT_EQ(*current, std::optional<bool>(true));
  cache_.FinishFill(kBudget, ticket, WireToByteBuffer("before the change"));
  EXPECT_EQ(Text(cache_.Find(kBudget)), "(nothing kept)");

  // A fill begun after the change is kept.
  Keep(kBudget, "after the change");
  EXPECT_EQ(Text(cache_.Find(kBudget)), "after the change");
}

TEST_F(LedgerReadCacheTest, AReadArrivingWhileTheLogIsReadWaitsForTheNextRead) {
  Start();
  auto first = Await();
  auto second = Await();
  auto third = Await();
  ASSERT_EQ(log_.pending.size(), 1u);
  log_.Answer(LogAt("L", 10));
  EXPECT_EQ(*first, std::optional<bool>(true));
  // The read in flight may have been answered before they arrived.
  EXPECT_EQ(*second, std::nullopt);
  EXPECT_EQ(*third, std::nullopt);
  // One more read answers both.
  ASSERT_EQ(log_.pending.size(), 1u);
  log_.Answer(LogAt("L", 10));
  EXPECT_EQ(*second, std::optional<bool>(true));
  EXPECT_EQ(*third, std::optional<bool>(true));
  EXPECT_TRUE(log_.pending.empty());
  EXPECT_EQ(log_.requests.size(), 3u);
}

TEST_F(LedgerReadCacheTest, ChangesItCannotSeeDropEverything) {
  struct Case {
    std::string what;
    lv1::ReadChangesResponse read;
  };
  std::vector<Case> cases;
  {
    lv1::ReadChangesResponse gap = LogAt("L", 11);
    AddChange(gap, kOtherBudget);  // position 12: 11 was dropped by retention
    cases.push_back({"a gap", gap});
  }
  {
    lv1::ReadChangesResponse more = LogAt("L", 10);
    AddChange(more, kOtherBudget);
    more.set_last_sequence(5000);  // more than one read answers
    cases.push_back({"more changes than one read answers", more});
  }
  cases.push_back({"another log", LogAt("M", 10)});
  cases.push_back({"a log behind this cache (restored)", LogAt("L", 4)});
  {
    lv1::ReadChangesResponse silent = LogAt("L", 10);
    silent.set_last_sequence(12);  // newer records, none answered
    cases.push_back({"newer records not answered", silent});
  }
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    LedgerReadCache cache(size_t{1} << 20, log_.Reader());
    cache.AwaitCurrent([](bool) {});
    log_.Answer(LogAt("L", 10));
    const uint64_t ticket = cache.BeginFill(kBudget);
    cache.FinishFill(kBudget, ticket, WireToByteBuffer("kept"));
    ASSERT_EQ(Text(cache.Find(kBudget)), "kept");
    bool current = false;
    cache.AwaitCurrent([&current](bool answer) { current = answer; });
    log_.Answer(c.read);
    // Nothing kept is left to be wrong, so the cache is current again.
    EXPECT_TRUE(current);
    EXPECT_EQ(Text(cache.Find(kBudget)), "(nothing kept)");
    EXPECT_EQ(cache.counts().cleared, 1u);
  }
}

TEST_F(LedgerReadCacheTest, ALogThatCannotBeReadAnswersNotCurrentAndDropsEverything) {
  Start();
  Keep(kBudget, "kept");
  auto current = Await();
  log_.Answer(absl::UnavailableError("ledger down"));
  EXPECT_EQ(*current, std::optional<bool>(false));
  EXPECT_EQ(Text(cache_.Find(kBudget)), "(nothing kept)");
  // It starts again from the log's position.
  Await();
  EXPECT_EQ(log_.requests.back().max_changes(), 1);
}

TEST_F(LedgerReadCacheTest, TheLeastRecentlyReadGoFirstWhenFull) {
  ScriptedLog log;
  LedgerReadCache cache(3000, log.Reader());
  cache.AwaitCurrent([](bool) {});
  log.Answer(LogAt("L", 1));
  const std::string kilobyte(1000, 'x');
  auto keep = [&](const std::string& key) {
    const uint64_t ticket = cache.BeginFill(key);
    cache.FinishFill(key, ticket, WireToByteBuffer(kilobyte));
  };
  keep(kBudget);
  keep(kOtherBudget);
  ASSERT_TRUE(cache.Find(kBudget).has_value());  // now the most recent
  keep("regions/420107/departments/005001024/budgets/2021");
  EXPECT_TRUE(cache.Find(kBudget).has_value());
  EXPECT_FALSE(cache.Find(kOtherBudget).has_value());
  EXPECT_LE(cache.counts().bytes, 3000u);
  // An answer larger than the whole cache is not kept.
  const uint64_t ticket = cache.BeginFill(kOtherBudget);
  cache.FinishFill(kOtherBudget, ticket, WireToByteBuffer(std::string(4000, 'y')));
  EXPECT_FALSE(cache.Find(kOtherBudget).has_value());
}

TEST_F(LedgerReadCacheTest, KeepsAnAnswersJsonWithItAndDropsItWithIt) {
  Start();
  const uint64_t ticket = cache_.BeginFill(kBudget);
  cache_.FinishFill(kBudget, ticket, WireToByteBuffer("revision 3"));
  cache_.KeepJson(kBudget, ticket, std::make_shared<const std::string>("{\"revision\":\"3\"}"));
  std::optional<LedgerReadCache::Kept> kept = cache_.FindKept(kBudget);
  ASSERT_TRUE(kept.has_value());
  ASSERT_NE(kept->json, nullptr);
  EXPECT_EQ(*kept->json, "{\"revision\":\"3\"}");
  EXPECT_EQ(kept->ticket, ticket);

  // The budget changes: its JSON goes with it, and JSON made from the old
  // answer is not kept beside the new one.
  auto current = Await();
  lv1::ReadChangesResponse read = LogAt("L", 10);
  AddChange(read, kBudget);
  log_.Answer(read);
  ASSERT_EQ(*current, std::optional<bool>(true));
  EXPECT_FALSE(cache_.FindKept(kBudget).has_value());
  const uint64_t next = cache_.BeginFill(kBudget);
  cache_.FinishFill(kBudget, next, WireToByteBuffer("revision 4"));
  cache_.KeepJson(kBudget, ticket, std::make_shared<const std::string>("{\"revision\":\"3\"}"));
  kept = cache_.FindKept(kBudget);
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(Text(kept->answer), "revision 4");
  EXPECT_EQ(kept->json, nullptr);
}

TEST_F(LedgerReadCacheTest, ItsCountsAreExposedAsPrometheusText) {
  Start();
  Keep(kBudget, "revision 3");
  cache_.Find(kBudget);
  cache_.Find(kBudget);
  cache_.Find(kOtherBudget);
  const LedgerReadCache::Counts counts = cache_.counts();
  EXPECT_EQ(counts.hits, 2u);
  EXPECT_EQ(counts.misses, 1u);
  EXPECT_EQ(counts.log_reads, 1u);
  EXPECT_EQ(counts.entries, 1u);
  const std::string text = ReadCacheExposition(counts);
  const std::vector<std::string> expected = {
      "# TYPE yusuan_gateway_read_cache_hits_total counter\nyusuan_gateway_read_cache_hits_total 2\n",
      "# TYPE yusuan_gateway_read_cache_misses_total counter\nyusuan_gateway_read_cache_misses_total 1\n",
      "# TYPE yusuan_gateway_read_cache_log_reads_total counter\nyusuan_gateway_read_cache_log_reads_total 1\n",
      "# TYPE yusuan_gateway_read_cache_entries gauge\nyusuan_gateway_read_cache_entries 1\n",
      absl::StrCat("yusuan_gateway_read_cache_bytes ", counts.bytes, "\n")};
  for (const std::string& line : expected) {
    EXPECT_NE(text.find(line), std::string::npos) << line << " is not in\n" << text;
  }
}

// `read` with one more change, a department of `region_code` stored again.
void AddDepartmentChange(lv1::ReadChangesResponse& read, const std::string& region_code) {
  auto* change = read.add_changes();
  change->set_sequence(read.last_sequence() + 1);
  change->set_kind(yusuan::common::v1::CHANGE_KIND_DEPARTMENT_PUT);
  change->set_resource_name(absl::StrCat("regions/", region_code, "/departments/005001099"));
  change->set_region_code(region_code);
  read.set_last_sequence(change->sequence());
  read.set_scanned_through(change->sequence());
}

TEST_F(LedgerReadCacheTest, AChangeInARegionDropsThePagesOfTheListsCoveringItAndNoOthers) {
  Start();
  const std::string district = RegionReadKey("/ListDepartments", "parent=regions/420107");
  const std::string city = RegionReadKey("/ListSubmissions", "parent=regions/4201");
  const std::string province = RegionReadKey("/ListDepartments", "parent=regions/42");
  const std::string everywhere = RegionReadKey("/ListDepartments", "parent=regions/");
  const std::string other_city = RegionReadKey("/ListSubmissions", "parent=regions/4202");
  const std::string other_province = RegionReadKey("/ListDepartments", "parent=regions/43");
  const std::vector<std::pair<std::string, std::string>> pages = {{district, "420107"}, {city, "4201"},
                                                                  {province, "42"},     {everywhere, ""},
                                                                  {other_city, "4202"}, {other_province, "43"}};
  for (const auto& [key, scope] : pages) {
    const uint64_t ticket = cache_.BeginRegionFill(key, scope);
    cache_.FinishFill(key, ticket, WireToByteBuffer("page of " + scope));
  }
  Keep(kBudget, "revision 3");

  // A department of 420107 is stored again (with no budget of its own).
  auto current = Await();
  lv1::ReadChangesResponse read = LogAt("L", 10);
  AddDepartmentChange(read, "420107");
  log_.Answer(read);
  ASSERT_EQ(*current, std::optional<bool>(true));
  for (const std::string& gone : {district, city, province, everywhere}) {
    EXPECT_EQ(Text(cache_.Find(gone)), "(nothing kept)") << gone;
  }
  EXPECT_EQ(Text(cache_.Find(other_city)), "page of 4202");
  EXPECT_EQ(Text(cache_.Find(other_province)), "page of 43");
  // A budget is dropped by changes naming it, not by its region's.
  EXPECT_EQ(Text(cache_.Find(kBudget)), "revision 3");
  EXPECT_EQ(cache_.counts().entries, 3u);

  // A change that does not say its region could be of any list.
  current = Await();
  read = LogAt("L", 11);
  AddChange(read, kOtherBudget);
  log_.Answer(read);
  ASSERT_EQ(*current, std::optional<bool>(true));
  EXPECT_EQ(Text(cache_.Find(other_city)), "(nothing kept)");
  EXPECT_EQ(Text(cache_.Find(other_province)), "(nothing kept)");
  EXPECT_EQ(Text(cache_.Find(kBudget)), "revision 3");
}

TEST_F(LedgerReadCacheTest, APageReadBeforeAChangeInItsRegionIsNotKeptAfterIt) {
  Start();
  const std::string page = RegionReadKey("/ListSubmissions", "parent=regions/4201");
  const uint64_t ticket = cache_.BeginRegionFill(page, "4201");
  auto current = Await();
  lv1::ReadChangesResponse read = LogAt("L", 10);
  AddDepartmentChange(read, "420111");
  log_.Answer(read);
  ASSERT_EQ(*current, std::optional<bool>(true));
  cache_.FinishFill(page, ticket, WireToByteBuffer("the queue before the change"));
  EXPECT_EQ(Text(cache_.Find(page)), "(nothing kept)");
  // Read again after the change, it is kept.
  const uint64_t again = cache_.BeginRegionFill(page, "4201");
  cache_.FinishFill(page, again, WireToByteBuffer("the queue after the change"));
  EXPECT_EQ(Text(cache_.Find(page)), "the queue after the change");
}

TEST_F(LedgerReadCacheTest, PagesEvictedOrClearedAreNoLongerDroppedByTheirRegion) {
  ScriptedLog log;
  LedgerReadCache cache(2500, log.Reader());
  cache.AwaitCurrent([](bool) {});
  log.Answer(LogAt("L", 1));
  const std::string first = RegionReadKey("/ListDepartments", "page 1");
  const std::string second = RegionReadKey("/ListDepartments", "page 2");
  const std::string third = RegionReadKey("/ListDepartments", "page 3");
  for (const std::string& key : {first, second, third}) {
    const uint64_t ticket = cache.BeginRegionFill(key, "42");
    cache.FinishFill(key, ticket, WireToByteBuffer(std::string(1000, 'x')));
  }
  // The first went to make room; a change of the region drops the others
  // and counts only them.
  EXPECT_FALSE(cache.Find(first).has_value());
  EXPECT_EQ(cache.counts().entries, 2u);
  cache.AwaitCurrent([](bool) {});
  lv1::ReadChangesResponse read = LogAt("L", 1);
  AddDepartmentChange(read, "420107");
  log.Answer(read);
  EXPECT_EQ(cache.counts().entries, 0u);
  EXPECT_EQ(cache.counts().dropped, 2u);
  EXPECT_EQ(cache.counts().bytes, 0u);

  // Kept again after everything was forgotten, a page is still dropped by
  // a change of its region.
  const uint64_t ticket = cache.BeginRegionFill(first, "42");
  cache.FinishFill(first, ticket, WireToByteBuffer("page"));
  cache.Clear();
  const uint64_t after_clear = cache.BeginRegionFill(first, "42");
  cache.FinishFill(first, after_clear, WireToByteBuffer("page"));
  cache.AwaitCurrent([](bool) {});
  read = LogAt("L", 2);
  AddDepartmentChange(read, "429004");
  log.Answer(read);
  EXPECT_FALSE(cache.Find(first).has_value());
  EXPECT_EQ(cache.counts().entries, 0u);
}

TEST_F(LedgerReadCacheTest, AnotherServingEpochOfTheLedgerDropsEverything) {
  auto read_at = [&](const std::string& epoch) {
    lv1::ReadChangesResponse read = LogAt("L", 10);
    read.set_serving_epoch(epoch);
    auto current = Await();
    log_.Answer(read);
    EXPECT_EQ(*current, std::optional<bool>(true));
  };
  read_at("process-1 2021.0");
  const std::string revision = RegionReadKey("/GetReportRevision", kBudget);
  const uint64_t ticket = cache_.BeginRegionFill(revision, "420107");
  cache_.FinishFill(revision, ticket, WireToByteBuffer("catalogue 2021.0"));
  Keep(kBudget, "revision 3");

  read_at("process-1 2021.0");
  EXPECT_EQ(Text(cache_.Find(revision)), "catalogue 2021.0");
  EXPECT_EQ(Text(cache_.Find(kBudget)), "revision 3");

  // A catalogue version imported (or the ledger restarted): nothing in the
  // log, yet what was kept may be older than the ledger's answer.
  read_at("process-1 2021.1");
  EXPECT_EQ(Text(cache_.Find(revision)), "(nothing kept)");
  EXPECT_EQ(Text(cache_.Find(kBudget)), "(nothing kept)");
  EXPECT_EQ(cache_.counts().cleared, 1u);
}

TEST(RegionReadKey, IsNeverABudgetsKey) {
  const std::string key = RegionReadKey("/yusuan.ledger.v1.LedgerService/ListDepartments", kBudget);
  EXPECT_EQ(BudgetCacheKey(key), std::nullopt);
  EXPECT_NE(key, RegionReadKey("/yusuan.ledger.v1.LedgerService/ListSubmissions", kBudget));
}

TEST(BudgetCacheKey, IsTheBudgetsNameAndNothingElse) {
  EXPECT_EQ(BudgetCacheKey(kBudget), std::optional<std::string>(kBudget));
  EXPECT_EQ(BudgetCacheKey("regions/420107/departments/005001022"), std::nullopt);
  EXPECT_EQ(BudgetCacheKey("regions/420107/departments/005001022/budgets/2021/goals"), std::nullopt);
  EXPECT_EQ(BudgetCacheKey("budgets/2021"), std::nullopt);
}

}  // namespace
}  // namespace yusuan::gateway
