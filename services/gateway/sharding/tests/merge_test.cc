#include "services/gateway/sharding/merge.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "yusuan/ledger/v1/ledger.pb.h"
#include "yusuan/ledger/v1/rollup.pb.h"

namespace yusuan::gateway {
namespace {

namespace v1 = ::yusuan::ledger::v1;
using ::testing::HasSubstr;

// ---------------------------------------------------------------------------
// MergedCursor

// One shard's entry as the token lays it out: name, done byte, position,
// each string after a one-byte length (every string here is shorter than
// 128 bytes, so its LEB128 length is one byte).
struct Entry {
  std::string name;
  char done;
  std::string position;
};

std::string Payload(const std::vector<Entry>& entries) {
  std::string bytes(1, static_cast<char>(entries.size()));
  for (const Entry& entry : entries) {
    bytes += static_cast<char>(entry.name.size()) + entry.name;
    bytes += entry.done;
    bytes += static_cast<char>(entry.position.size()) + entry.position;
  }
  return bytes;
}

std::string TokenOf(const std::string& payload) { return absl::StrCat("m1.", absl::WebSafeBase64Escape(payload)); }

const std::vector<std::string> kShards = {"hubei", "wuhan", "the-rest"};

void ExpectRefused(const std::string& token, const std::string& why, const std::vector<std::string>& shards = kShards) {
  absl::StatusOr<MergedCursor> parsed = MergedCursor::Parse(token, shards);
  ASSERT_FALSE(parsed.ok()) << why << ": " << token;
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << why;
  EXPECT_THAT(std::string(parsed.status().message()), HasSubstr("page_token")) << why;
  EXPECT_THAT(std::string(parsed.status().message()), HasSubstr(" / ")) << why << ": bilingual";
}

TEST(MergedCursorTest, ANewCursorIsAtTheStartOfEveryShard) {
  MergedCursor cursor(kShards);
  ASSERT_EQ(cursor.size(), 3u);
  for (size_t i = 0; i < cursor.size(); ++i) {
    EXPECT_EQ(cursor.shard_name(i), kShards[i]);
    EXPECT_FALSE(cursor.done(i));
    EXPECT_EQ(cursor.position(i), "");
  }
  EXPECT_FALSE(cursor.AllDone());
  EXPECT_NE(cursor.ToToken(), "") << "the start is not the end";

  absl::StatusOr<MergedCursor> start = MergedCursor::Parse("", kShards);
  ASSERT_TRUE(start.ok()) << start.status();
  EXPECT_EQ(start->ToToken(), cursor.ToToken());
}

TEST(MergedCursorTest, TheTokenIsTheLayoutTheReadmeDescribes) {
  MergedCursor cursor(kShards);
  cursor.Advance(0, "regions/42/x");
  cursor.Finish(1);
  EXPECT_EQ(cursor.ToToken(), TokenOf(Payload({{"hubei", 0, "regions/42/x"}, {"wuhan", 1, ""}, {"the-rest", 0, ""}})));
}

TEST(MergedCursorTest, PositionsOfAnyBytesRoundTrip) {
  const std::vector<std::string> positions = {
      "regions/4201/departments/005001022",
      std::string("a\0b\0", 4),
      "青山区/科协",
      std::string(300, '\xff'),  // a length of two varint bytes
      "\x80\x7f\x01=+/ .",
  };
  for (const std::string& position : positions) {
    for (size_t shard = 0; shard < kShards.size(); ++shard) {
      MergedCursor cursor(kShards);
      cursor.Advance(shard, position);
      cursor.Finish((shard + 1) % kShards.size());
      const std::string token = cursor.ToToken();
      EXPECT_EQ(token.rfind("m1.", 0), 0u);
      EXPECT_EQ(token.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.", 0),
                std::string::npos)
          << "a token travels in a URL as it is";
      absl::StatusOr<MergedCursor> parsed = MergedCursor::Parse(token, kShards);
      ASSERT_TRUE(parsed.ok()) << parsed.status();
      for (size_t i = 0; i < kShards.size(); ++i) {
        EXPECT_EQ(parsed->shard_name(i), kShards[i]);
        EXPECT_EQ(parsed->done(i), cursor.done(i));
        EXPECT_EQ(parsed->position(i), cursor.position(i));
      }
      EXPECT_EQ(parsed->position(shard), position);
      EXPECT_EQ(parsed->ToToken(), token);
    }
  }
}

TEST(MergedCursorTest, AnEmptyPositionIsTheStartNotTheEnd) {
  MergedCursor cursor({"a"});
  cursor.Advance(0, "");
  EXPECT_FALSE(cursor.done(0));
  EXPECT_NE(cursor.ToToken(), "");
  cursor.Finish(0);
  EXPECT_TRUE(cursor.done(0));
  EXPECT_TRUE(cursor.AllDone());
  EXPECT_EQ(cursor.ToToken(), "") << "the last page has no next_page_token";
  cursor.Advance(0, "k1");
  EXPECT_FALSE(cursor.done(0));
  EXPECT_EQ(cursor.position(0), "k1");
}

TEST(MergedCursorTest, AMalformedTokenIsRefused) {
  const std::string good_payload = Payload({{"hubei", 0, "p1"}, {"wuhan", 1, ""}, {"the-rest", 0, "p/34"}});
  ASSERT_TRUE(MergedCursor::Parse(TokenOf(good_payload), kShards).ok());
  ASSERT_NE(absl::WebSafeBase64Escape(good_payload).size() % 4, 0u) << "the padding case below needs padding";

  ExpectRefused("p1", "no prefix (a shard's own token)");
  ExpectRefused("m2." + absl::WebSafeBase64Escape(good_payload), "another layout version");
  ExpectRefused("m1.", "no body");
  ExpectRefused("m1.!!!!", "not base64");
  ExpectRefused("m1." + absl::Base64Escape(std::string(30, '\xfb')), "base64 with + and /, not the web-safe kind");
  std::string padded = TokenOf(good_payload);
  while ((padded.size() - 3) % 4 != 0) padded += '=';
  ExpectRefused(padded, "padded: a second spelling of the same token");
  ExpectRefused(TokenOf(good_payload) + " ", "a trailing space");
  ExpectRefused(TokenOf(good_payload.substr(0, good_payload.size() - 1)), "truncated in a position");
  ExpectRefused(TokenOf(good_payload.substr(0, 9)), "truncated in the first position");
  ExpectRefused(TokenOf(good_payload.substr(0, 4)), "truncated in a name");
  ExpectRefused(TokenOf(good_payload.substr(0, 7)), "truncated before a done byte");
  ExpectRefused(TokenOf(""), "not even a count");
  ExpectRefused(TokenOf(good_payload + "x"), "trailing bytes");
  ExpectRefused(TokenOf(Payload({{"hubei", 2, ""}, {"wuhan", 0, ""}, {"the-rest", 0, ""}})), "a done byte of 2");
  ExpectRefused(TokenOf(Payload({{"hubei", 1, "p"}, {"wuhan", 0, ""}, {"the-rest", 0, ""}})),
                "a done shard with a position");
  ExpectRefused(TokenOf(Payload({{"Hubei/", 0, ""}, {"wuhan", 0, ""}, {"the-rest", 0, ""}})), "not a shard name");
  std::string long_count = good_payload;
  long_count.replace(0, 1, "\x83\x00", 2);  // 3, spelt in two bytes
  ExpectRefused(TokenOf(long_count), "a length in more bytes than it needs");
  ExpectRefused(TokenOf(Payload({{"hubei", 1, ""}, {"wuhan", 1, ""}, {"the-rest", 1, ""}})),
                "every shard done: ToToken writes \"\" for that");
}

TEST(MergedCursorTest, ATokenOfAnotherSetOfShardsIsRefused) {
  MergedCursor cursor(kShards);
  cursor.Advance(1, "p");
  const std::string token = cursor.ToToken();
  ASSERT_TRUE(MergedCursor::Parse(token, kShards).ok());
  const std::vector<std::vector<std::string>> others = {
      {"hubei", "wuhan"},
      {"hubei", "wuhan", "the-rest", "beijing"},
      {"wuhan", "hubei", "the-rest"},
      {"hubei", "wuhan-2", "the-rest"},
      {},
  };
  for (const std::vector<std::string>& shards : others) {
    absl::StatusOr<MergedCursor> parsed = MergedCursor::Parse(token, shards);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    const std::string message(parsed.status().message());
    EXPECT_THAT(message, HasSubstr("page_token"));
    EXPECT_THAT(message, HasSubstr("分片表在翻页之间变了"));
    EXPECT_THAT(message, HasSubstr("the shard map changed between pages"));
    EXPECT_THAT(message, HasSubstr("without page_token")) << "the fix";
    EXPECT_THAT(message, HasSubstr("hubei, wuhan, the-rest")) << "the shards the token was written for";
  }
}

// ---------------------------------------------------------------------------
// MergePages

struct Item {
  std::string key;
  size_t shard = 0;
  bool operator==(const Item&) const = default;
};

std::string KeyOf(const Item& item) { return item.key; }
// A backend's page token: the last key of the page before.
std::string PositionOf(const Item& item) { return item.key; }

// A shard's backend over `held` (ascending keys): up to min(asked, cap)
// items after `token`, and the last one's key as next_page_token when more
// follow, as the ledger cuts its pages.
ShardPage<Item> Serve(const std::vector<Item>& held, size_t shard, const std::string& token, size_t asked, size_t cap) {
  ShardPage<Item> page;
  page.shard = shard;
  auto it = std::upper_bound(held.begin(), held.end(), token,
                             [](const std::string& key, const Item& item) { return key < item.key; });
  const size_t take = std::min(asked, cap);
  while (it != held.end() && page.items.size() < take) page.items.push_back(*it++);
  if (it != held.end() && !page.items.empty()) page.next_page_token = page.items.back().key;
  return page;
}

std::vector<Item> ItemsOf(std::vector<Item> items) {
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.key < b.key; });
  return items;
}

// Random disjoint sorted sets over 1 to 4 shards, paged through with random
// page sizes, each page's token parsed back as the next request would: the
// pages together are the sorted union, each item once.
void PageThroughRandomShards(bool backends_cap_their_pages) {
  std::mt19937 random(backends_cap_their_pages ? 20210601 : 20210101);
  for (int trial = 0; trial < 400; ++trial) {
    const size_t shard_count = std::uniform_int_distribution<size_t>(1, 4)(random);
    std::vector<std::string> names;
    for (size_t i = 0; i < shard_count; ++i) names.push_back(absl::StrCat("s", i));
    std::vector<std::vector<Item>> held(shard_count);
    std::vector<Item> everything;
    const int item_count = std::uniform_int_distribution<int>(0, 40)(random);
    std::set<int> used;
    while (static_cast<int>(used.size()) < item_count) used.insert(std::uniform_int_distribution<int>(0, 999)(random));
    for (int number : used) {
      // Keys in one spelling whose byte order is their number's; some shards
      // get none.
      Item item{.key = absl::StrCat("k", 1000 + number),
                .shard = std::uniform_int_distribution<size_t>(0, shard_count - 1)(random)};
      held[item.shard].push_back(item);
      everything.push_back(item);
    }
    for (auto& items : held) items = ItemsOf(std::move(items));
    everything = ItemsOf(std::move(everything));
    std::vector<size_t> caps(shard_count, std::numeric_limits<size_t>::max());
    if (backends_cap_their_pages) {
      for (size_t& cap : caps) cap = std::uniform_int_distribution<size_t>(1, 4)(random);
    }

    std::vector<Item> listed;
    std::string token;
    int page_count = 0;
    do {
      absl::StatusOr<MergedCursor> cursor = MergedCursor::Parse(token, names);
      ASSERT_TRUE(cursor.ok()) << cursor.status();
      const size_t page_size = std::uniform_int_distribution<size_t>(1, 7)(random);
      std::vector<ShardPage<Item>> pages;
      for (size_t i = 0; i < cursor->size(); ++i) {
        if (!cursor->done(i)) pages.push_back(Serve(held[i], i, cursor->position(i), page_size, caps[i]));
      }
      std::vector<Item> page = MergePages(std::move(pages), page_size, KeyOf, PositionOf, &*cursor);
      ASSERT_LE(page.size(), page_size);
      token = cursor->ToToken();
      if (!backends_cap_their_pages && !token.empty()) {
        EXPECT_EQ(page.size(), page_size) << "full pages from the shards make a full merged page";
      }
      if (item_count > 0) {
        EXPECT_FALSE(page.empty()) << "every page moves the list on";
      }
      listed.insert(listed.end(), page.begin(), page.end());
      ASSERT_LE(++page_count, item_count + 1) << "trial " << trial << ": the list does not end";
    } while (!token.empty());
    EXPECT_EQ(listed, everything) << "trial " << trial << ", " << shard_count << " shards";
  }
}

TEST(MergePagesTest, PagesTogetherAreTheSortedUnionOfTheShards) { PageThroughRandomShards(false); }

TEST(MergePagesTest, ShortPagesOfABackendThatCapsItsPageSizeKeepTheOrder) { PageThroughRandomShards(true); }

TEST(MergePagesTest, AShardThatIsDoneIsNotAsked) {
  const std::vector<std::vector<Item>> held = {
      {{"a1", 0}},
      {{"b1", 1}, {"b2", 1}, {"b3", 1}, {"b4", 1}, {"b5", 1}},
      {{"c1", 2}, {"c2", 2}},
  };
  std::vector<int> asked(held.size(), 0);
  std::vector<std::string> listed;
  std::string token;
  do {
    absl::StatusOr<MergedCursor> cursor = MergedCursor::Parse(token, {"a", "b", "c"});
    ASSERT_TRUE(cursor.ok()) << cursor.status();
    std::vector<ShardPage<Item>> pages;
    for (size_t i = 0; i < cursor->size(); ++i) {
      if (cursor->done(i)) continue;
      ++asked[i];
      pages.push_back(Serve(held[i], i, cursor->position(i), 2, 2));
    }
    for (const Item& item : MergePages(std::move(pages), 2, KeyOf, PositionOf, &*cursor)) listed.push_back(item.key);
    token = cursor->ToToken();
    ASSERT_LE(listed.size(), 8u);
  } while (!token.empty());
  EXPECT_EQ(listed, (std::vector<std::string>{"a1", "b1", "b2", "b3", "b4", "b5", "c1", "c2"}));
  EXPECT_EQ(asked[0], 1) << "a1 came with the first page and no next_page_token";
  EXPECT_EQ(asked[1], 3);  // b1 b2 | b3 b4 | b5
  EXPECT_EQ(asked[2], 4) << "c waits, unmoved, until b is through";
}

TEST(MergePagesTest, TiesGoToTheLowerShardFirst) {
  MergedCursor cursor({"a", "b"});
  std::vector<ShardPage<Item>> pages = {
      {.shard = 1, .items = {{"k1", 1}, {"k2", 1}}, .next_page_token = ""},
      {.shard = 0, .items = {{"k1", 0}, {"k3", 0}}, .next_page_token = ""},
  };
  const std::vector<Item> page = MergePages(std::move(pages), 3, KeyOf, PositionOf, &cursor);
  EXPECT_EQ(page, (std::vector<Item>{{"k1", 0}, {"k1", 1}, {"k2", 1}}));
  EXPECT_EQ(cursor.position(0), "k1") << "a moves to its last taken item";
  EXPECT_TRUE(cursor.done(1)) << "b was taken whole and said it has no more";
}

TEST(MergePagesTest, AShardWithNothingTakenStays) {
  MergedCursor cursor({"a", "b", "c"});
  cursor.Advance(1, "b-before");
  std::vector<ShardPage<Item>> pages = {
      {.shard = 0, .items = {{"k1", 0}, {"k2", 0}}, .next_page_token = "k2"},
      {.shard = 1, .items = {{"k7", 1}}, .next_page_token = ""},
      {.shard = 2, .items = {}, .next_page_token = ""},
  };
  const std::vector<Item> page = MergePages(std::move(pages), 2, KeyOf, PositionOf, &cursor);
  EXPECT_EQ(page, (std::vector<Item>{{"k1", 0}, {"k2", 0}}));
  EXPECT_EQ(cursor.position(0), "k2") << "a moves to its next_page_token";
  EXPECT_FALSE(cursor.done(1));
  EXPECT_EQ(cursor.position(1), "b-before") << "b stays: k7 comes on a later page";
  EXPECT_TRUE(cursor.done(2)) << "c returned nothing and no next_page_token";
}

TEST(MergePagesTest, AnEmptyPageWithANextTokenHoldsTheMergeBack) {
  // A backend may answer an empty page that still has more (AIP-158): what
  // it has next is unknown, so nothing of the others can be taken yet.
  MergedCursor cursor({"a", "b"});
  std::vector<ShardPage<Item>> pages = {
      {.shard = 0, .items = {{"k5", 0}}, .next_page_token = ""},
      {.shard = 1, .items = {}, .next_page_token = "b-skipped-to"},
  };
  const std::vector<Item> page = MergePages(std::move(pages), 2, KeyOf, PositionOf, &cursor);
  EXPECT_TRUE(page.empty());
  EXPECT_FALSE(cursor.done(0));
  EXPECT_EQ(cursor.position(0), "");
  EXPECT_EQ(cursor.position(1), "b-skipped-to") << "b moves on, so the next page gets further";
}

TEST(MergePagesTest, APageForADoneShardIsIgnored) {
  MergedCursor cursor({"a", "b"});
  cursor.Finish(0);
  std::vector<ShardPage<Item>> pages = {
      {.shard = 0, .items = {{"k0", 0}}, .next_page_token = "k0"},
      {.shard = 1, .items = {{"k1", 1}}, .next_page_token = ""},
      {.shard = 7, .items = {{"k2", 7}}, .next_page_token = ""},
  };
  const std::vector<Item> page = MergePages(std::move(pages), 5, KeyOf, PositionOf, &cursor);
  EXPECT_EQ(page, (std::vector<Item>{{"k1", 1}}));
  EXPECT_TRUE(cursor.AllDone());
}

// ---------------------------------------------------------------------------
// MergeRollups

v1::RollupRow Row(const std::string& code, int64_t amount_fen, const std::string& name = "", int level = 0) {
  v1::RollupRow row;
  row.set_code(code);
  row.set_name(name);
  row.set_level(level);
  row.set_amount_fen(amount_fen);
  return row;
}

// A part of regions/42/rollups/2021 over APPROVED and PUBLISHED.
v1::Rollup Part(int64_t read_time_unix_ms) {
  v1::Rollup rollup;
  rollup.set_name("regions/42/rollups/2021");
  rollup.set_region_prefix("42");
  rollup.set_fiscal_year(2021);
  rollup.add_statuses(v1::FILING_STATUS_APPROVED);
  rollup.add_statuses(v1::FILING_STATUS_PUBLISHED);
  rollup.set_read_time_unix_ms(read_time_unix_ms);
  return rollup;
}

std::vector<std::string> Codes(const google::protobuf::RepeatedPtrField<v1::RollupRow>& rows) {
  std::vector<std::string> codes;
  for (const v1::RollupRow& row : rows) codes.push_back(row.code());
  return codes;
}

std::map<std::string, int64_t> Amounts(const google::protobuf::RepeatedPtrField<v1::RollupRow>& rows) {
  std::map<std::string, int64_t> amounts;
  for (const v1::RollupRow& row : rows) amounts[row.code()] = row.amount_fen();
  return amounts;
}

v1::Rollup MustMerge(const std::vector<v1::Rollup>& parts) {
  absl::StatusOr<v1::Rollup> merged = MergeRollups(parts);
  EXPECT_TRUE(merged.ok()) << merged.status();
  return merged.ok() ? *std::move(merged) : v1::Rollup();
}

TEST(MergeRollupsTest, TheAmountsAreTheSumsOfThePartsAndTheReadTimeTheEarliest) {
  v1::Rollup a = Part(1'700'000'003'000), b = Part(1'700'000'001'000), c = Part(1'700'000'002'000);
  a.set_budget_count(3);
  a.set_income_fen(300'00);
  a.set_expenditure_fen(290'00);
  a.set_basic_fen(200'00);
  a.set_project_fen(90'00);
  a.set_machinery_operating_fen(50'00);
  b.set_budget_count(1);
  b.set_income_fen(1);
  b.set_expenditure_fen(2);
  b.set_basic_fen(3);
  b.set_project_fen(4);
  b.set_machinery_operating_fen(5);
  const v1::Rollup merged = MustMerge({a, b, c});
  EXPECT_EQ(merged.name(), "regions/42/rollups/2021");
  EXPECT_EQ(merged.region_prefix(), "42");
  EXPECT_EQ(merged.fiscal_year(), 2021);
  ASSERT_EQ(merged.statuses_size(), 2);
  EXPECT_EQ(merged.statuses(0), v1::FILING_STATUS_APPROVED);
  EXPECT_EQ(merged.statuses(1), v1::FILING_STATUS_PUBLISHED);
  EXPECT_EQ(merged.budget_count(), 4);
  EXPECT_EQ(merged.income_fen(), 300'01);
  EXPECT_EQ(merged.expenditure_fen(), 290'02);
  EXPECT_EQ(merged.basic_fen(), 200'03);
  EXPECT_EQ(merged.project_fen(), 90'04);
  EXPECT_EQ(merged.machinery_operating_fen(), 50'05);
  EXPECT_EQ(merged.read_time_unix_ms(), 1'700'000'001'000) << "no fresher than the stalest part";
}

TEST(MergeRollupsTest, ClassificationRowsOfOneCodeAreOneRowInCodeOrder) {
  v1::Rollup a = Part(1), b = Part(1);
  // a's shard has no catalogue edition for the year: codes without names.
  *a.add_functional() = Row("201", 100, "", 1);
  *a.add_functional() = Row("20101", 100, "", 2);
  *a.add_functional() = Row("2010101", 100, "", 3);
  *a.add_functional() = Row("208", 7, "", 1);
  *b.add_functional() = Row("201", 50, "一般公共服务支出", 1);
  *b.add_functional() = Row("20102", 50, "政协事务", 2);
  *b.add_functional() = Row("2010201", 50, "行政运行", 3);
  *b.add_functional() = Row("206", 9, "科学技术支出", 1);
  *b.add_functional() = Row("20601", 9, "科学技术管理事务", 2);
  *a.add_economic() = Row("301", 10, "工资福利支出", 1);
  *a.add_economic() = Row("30101", 10, "基本工资", 2);
  *b.add_economic() = Row("301", 5, "工资福利支出（另一版本）", 1);
  *b.add_economic() = Row("30102", 5, "津贴补贴", 2);
  *b.add_economic() = Row("302", 1, "商品和服务支出", 1);

  const v1::Rollup merged = MustMerge({a, b});
  // rollup.proto: 类 → 款 → 项 in code order, each 类 before its 款, each
  // 款 before its 项.
  EXPECT_EQ(Codes(merged.functional()),
            (std::vector<std::string>{"201", "20101", "2010101", "20102", "2010201", "206", "20601", "208"}));
  EXPECT_EQ(Amounts(merged.functional()), (std::map<std::string, int64_t>{{"201", 150},
                                                                          {"20101", 100},
                                                                          {"2010101", 100},
                                                                          {"20102", 50},
                                                                          {"2010201", 50},
                                                                          {"206", 9},
                                                                          {"20601", 9},
                                                                          {"208", 7}}));
  EXPECT_EQ(merged.functional(0).name(), "一般公共服务支出") << "the first part naming the code";
  EXPECT_EQ(merged.functional(0).level(), 1);
  EXPECT_EQ(merged.functional(2).level(), 3);
  EXPECT_EQ(merged.functional(7).name(), "") << "no part names 208";
  EXPECT_EQ(Codes(merged.economic()), (std::vector<std::string>{"301", "30101", "30102", "302"}));
  EXPECT_EQ(merged.economic(0).amount_fen(), 15);
  EXPECT_EQ(merged.economic(0).name(), "工资福利支出") << "the first part that names it wins";
}

TEST(MergeRollupsTest, SourceAndKindRowsAreInTheirEnumsOrder) {
  v1::Rollup a = Part(1), b = Part(1);
  *a.add_expenditure_by_kind() = Row("EXPENDITURE_KIND_PROJECT", 30, "项目支出");
  *b.add_expenditure_by_kind() = Row("EXPENDITURE_KIND_BASIC_PERSONNEL", 10, "基本支出·人员经费");
  *b.add_expenditure_by_kind() = Row("EXPENDITURE_KIND_PROJECT", 3, "项目支出");
  *b.add_expenditure_by_kind() = Row("EXPENDITURE_KIND_OPERATING", 5, "事业单位经营支出");
  *a.add_income_by_source() = Row("FUND_SOURCE_GENERAL_PUBLIC_BUDGET", 100, "一般公共预算拨款");
  *a.add_income_by_source() = Row("FUND_SOURCE_OTHER_REVENUE", 9, "其他收入");
  *b.add_income_by_source() = Row("FUND_SOURCE_INSTITUTION_REVENUE", 5, "事业收入");
  *b.add_income_by_source() = Row("FUND_SOURCE_INSTITUTION_FUND", 10, "用事业基金弥补收支差额");
  // A ledger writes the number of a value it has no name for; a newer one
  // may name a value this gateway does not know.
  *b.add_income_by_source() = Row("11", 11);
  *a.add_income_by_source() = Row("FUND_SOURCE_FROM_A_NEWER_LEDGER", 12);
  *a.add_expenditure_by_source() = Row("FUND_SOURCE_STATE_CAPITAL_BUDGET", 3);
  *b.add_expenditure_by_source() = Row("FUND_SOURCE_GOVERNMENT_FUND_BUDGET", 2);
  *b.add_expenditure_by_source() = Row("FUND_SOURCE_STATE_CAPITAL_BUDGET", 4);

  const v1::Rollup merged = MustMerge({a, b});
  EXPECT_EQ(Codes(merged.expenditure_by_kind()),
            (std::vector<std::string>{"EXPENDITURE_KIND_BASIC_PERSONNEL", "EXPENDITURE_KIND_PROJECT",
                                      "EXPENDITURE_KIND_OPERATING"}))
      << "1, 3, 5: the enum's order, not the names'";
  EXPECT_EQ(merged.expenditure_by_kind(1).amount_fen(), 33);
  EXPECT_EQ(merged.expenditure_by_kind(1).name(), "项目支出");
  EXPECT_EQ(Codes(merged.income_by_source()),
            (std::vector<std::string>{"FUND_SOURCE_GENERAL_PUBLIC_BUDGET", "FUND_SOURCE_INSTITUTION_REVENUE",
                                      "FUND_SOURCE_OTHER_REVENUE", "FUND_SOURCE_INSTITUTION_FUND", "11",
                                      "FUND_SOURCE_FROM_A_NEWER_LEDGER"}));
  EXPECT_EQ(Codes(merged.expenditure_by_source()),
            (std::vector<std::string>{"FUND_SOURCE_GOVERNMENT_FUND_BUDGET", "FUND_SOURCE_STATE_CAPITAL_BUDGET"}));
  EXPECT_EQ(merged.expenditure_by_source(1).amount_fen(), 7);
}

TEST(MergeRollupsTest, ThreePublicIsSummedFieldByField) {
  v1::Rollup a = Part(1), b = Part(1), none = Part(1);
  v1::ThreePublicCosts* costs_a = a.mutable_three_public();
  costs_a->set_overseas_fen(100);
  costs_a->set_vehicle_purchase_fen(200);
  costs_a->set_vehicle_operation_fen(300);
  costs_a->set_reception_fen(400);
  costs_a->set_vehicle_total_fen(500);
  costs_a->set_total_fen(1000);
  v1::ThreePublicCosts* costs_b = b.mutable_three_public();
  costs_b->set_overseas_fen(1);
  costs_b->set_vehicle_purchase_fen(2);
  costs_b->set_vehicle_operation_fen(3);
  costs_b->set_reception_fen(4);
  costs_b->set_vehicle_total_fen(5);
  costs_b->set_total_fen(10);

  const v1::Rollup merged = MustMerge({a, none, b});
  ASSERT_TRUE(merged.has_three_public());
  const v1::ThreePublicCosts& sum = merged.three_public();
  EXPECT_EQ(sum.overseas_fen(), 101);
  EXPECT_EQ(sum.vehicle_purchase_fen(), 202);
  EXPECT_EQ(sum.vehicle_operation_fen(), 303);
  EXPECT_EQ(sum.reception_fen(), 404);
  ASSERT_TRUE(sum.has_vehicle_total_fen());
  EXPECT_EQ(sum.vehicle_total_fen(), 505);
  ASSERT_TRUE(sum.has_total_fen());
  EXPECT_EQ(sum.total_fen(), 1010);

  // The ledger states the totals even when 0 (PresentRollup): kept so.
  v1::Rollup zero = Part(1);
  zero.mutable_three_public()->set_total_fen(0);
  EXPECT_TRUE(MustMerge({zero, Part(1)}).three_public().has_total_fen());
  EXPECT_FALSE(MustMerge({zero, Part(1)}).three_public().has_vehicle_total_fen());
  EXPECT_FALSE(MustMerge({Part(1), Part(1)}).has_three_public());
}

// MergeRollups sums every field of ThreePublicCosts by reflection, which is
// right only for amounts: a field of another kind needs its own rule.
TEST(MergeRollupsTest, EveryFieldOfThreePublicCostsIsAnAmountToSum) {
  const google::protobuf::Descriptor* costs = v1::ThreePublicCosts::descriptor();
  for (int i = 0; i < costs->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = costs->field(i);
    EXPECT_FALSE(field->is_repeated()) << field->name();
    EXPECT_EQ(field->cpp_type(), google::protobuf::FieldDescriptor::CPPTYPE_INT64)
        << field->name() << ": give it its own rule in MergeThreePublic (merge.cc)";
  }
}

// MergeRollups lists Rollup's fields one by one; a field added to
// rollup.proto fails here until MergeRollups merges it and it is added below.
TEST(MergeRollupsTest, EveryFieldOfRollupIsMerged) {
  const std::set<std::string> merged_fields = {
      "name",
      "region_prefix",
      "fiscal_year",
      "statuses",
      "budget_count",
      "income_fen",
      "expenditure_fen",
      "basic_fen",
      "project_fen",
      "functional",
      "economic",
      "income_by_source",
      "expenditure_by_source",
      "expenditure_by_kind",
      "three_public",
      "machinery_operating_fen",
      "read_time_unix_ms",
  };
  std::set<std::string> fields;
  const google::protobuf::Descriptor* rollup = v1::Rollup::descriptor();
  for (int i = 0; i < rollup->field_count(); ++i) fields.insert(rollup->field(i)->name());
  EXPECT_EQ(fields, merged_fields);
  const google::protobuf::Descriptor* row = v1::RollupRow::descriptor();
  EXPECT_EQ(row->field_count(), 4) << "RollupRow: code, name, level, amount_fen";
}

TEST(MergeRollupsTest, AMergeOfOnePartIsThatPart) {
  v1::Rollup part = Part(1'700'000'000'000);
  part.set_budget_count(2);
  part.set_income_fen(500);
  part.set_expenditure_fen(400);
  part.set_basic_fen(300);
  part.set_project_fen(100);
  part.set_machinery_operating_fen(50);
  *part.add_functional() = Row("206", 400, "科学技术支出", 1);
  *part.add_functional() = Row("20601", 400, "科学技术管理事务", 2);
  *part.add_functional() = Row("2060101", 400, "行政运行", 3);
  *part.add_economic() = Row("301", 300, "工资福利支出", 1);
  *part.add_economic() = Row("30101", 300, "基本工资", 2);
  *part.add_income_by_source() = Row("FUND_SOURCE_GENERAL_PUBLIC_BUDGET", 450, "一般公共预算拨款");
  *part.add_income_by_source() = Row("FUND_SOURCE_INSTITUTION_REVENUE", 50, "事业收入");
  *part.add_expenditure_by_source() = Row("FUND_SOURCE_GENERAL_PUBLIC_BUDGET", 400, "一般公共预算拨款");
  *part.add_expenditure_by_kind() = Row("EXPENDITURE_KIND_BASIC_PERSONNEL", 300, "基本支出·人员经费");
  *part.add_expenditure_by_kind() = Row("EXPENDITURE_KIND_PROJECT", 100, "项目支出");
  part.mutable_three_public()->set_reception_fen(7);
  part.mutable_three_public()->set_total_fen(7);
  part.mutable_three_public()->set_vehicle_total_fen(0);

  const v1::Rollup merged = MustMerge({part});
  std::string differences;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&differences);
  EXPECT_TRUE(differencer.Compare(merged, part)) << differences;
}

TEST(MergeRollupsTest, PartsOfDifferentRollupsAreRefused) {
  absl::StatusOr<v1::Rollup> none = MergeRollups({});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(none.status().message()), HasSubstr(" / "));

  struct Mismatch {
    std::string field;
    void (*change)(v1::Rollup&);
  };
  const std::vector<Mismatch> mismatches = {
      {"name", [](v1::Rollup& r) { r.set_name("regions/4201/rollups/2021"); }},
      {"region_prefix", [](v1::Rollup& r) { r.set_region_prefix("4201"); }},
      {"fiscal_year", [](v1::Rollup& r) { r.set_fiscal_year(2022); }},
      {"statuses", [](v1::Rollup& r) { r.mutable_statuses()->RemoveLast(); }},
      {"statuses", [](v1::Rollup& r) { r.set_statuses(1, v1::FILING_STATUS_SUBMITTED); }},
  };
  for (const Mismatch& mismatch : mismatches) {
    v1::Rollup other = Part(1);
    mismatch.change(other);
    absl::StatusOr<v1::Rollup> merged = MergeRollups({Part(1), Part(1), other});
    ASSERT_FALSE(merged.ok()) << mismatch.field;
    EXPECT_EQ(merged.status().code(), absl::StatusCode::kInvalidArgument);
    const std::string message(merged.status().message());
    EXPECT_THAT(message, HasSubstr(absl::StrCat("parts[2].", mismatch.field))) << message;
    EXPECT_THAT(message, HasSubstr(" / ")) << message;
    EXPECT_THAT(message, HasSubstr("ask every shard the same GetRollup")) << message;
  }
}

TEST(MergeRollupsTest, APartTakenAwayIsSubtractedAndRowsThatComeToZeroGo) {
  // The whole province on the old shard, less the city it still keeps a
  // copy of, plus the city on its new shard: the province again.
  v1::Rollup province = Part(5), city_copy = Part(3), city = Part(4);
  province.set_budget_count(3);
  province.set_income_fen(300);
  province.set_expenditure_fen(300);
  province.set_basic_fen(200);
  province.set_project_fen(100);
  *province.add_functional() = Row("201", 200, "一般公共服务支出", 1);
  *province.add_functional() = Row("206", 100, "科学技术支出", 1);
  *province.add_expenditure_by_kind() = Row("EXPENDITURE_KIND_PROJECT", 100, "项目支出", 0);
  province.mutable_three_public()->set_reception_fen(30);
  province.mutable_three_public()->set_total_fen(30);
  province.mutable_three_public()->set_vehicle_total_fen(0);
  city_copy.set_budget_count(1);
  city_copy.set_income_fen(100);
  city_copy.set_expenditure_fen(100);
  city_copy.set_project_fen(100);
  *city_copy.add_functional() = Row("206", 100, "科学技术支出", 1);
  *city_copy.add_expenditure_by_kind() = Row("EXPENDITURE_KIND_PROJECT", 100, "项目支出", 0);
  city_copy.mutable_three_public()->set_total_fen(0);
  city_copy.mutable_three_public()->set_vehicle_total_fen(0);
  city = city_copy;
  city.set_read_time_unix_ms(4);

  absl::StatusOr<v1::Rollup> without_city = MergeRollups({province, city_copy}, {1, -1});
  ASSERT_TRUE(without_city.ok()) << without_city.status();
  EXPECT_EQ(without_city->budget_count(), 2);
  EXPECT_EQ(without_city->income_fen(), 200);
  EXPECT_EQ(without_city->project_fen(), 0);
  EXPECT_EQ(Codes(without_city->functional()), (std::vector<std::string>{"201"})) << "206 came to 0 and went";
  EXPECT_EQ(without_city->expenditure_by_kind_size(), 0);
  EXPECT_EQ(without_city->three_public().reception_fen(), 30);
  EXPECT_EQ(without_city->three_public().total_fen(), 30);

  absl::StatusOr<v1::Rollup> again = MergeRollups({province, city_copy, city}, {1, -1, 1});
  ASSERT_TRUE(again.ok()) << again.status();
  v1::Rollup expected = province;
  expected.set_read_time_unix_ms(3);
  EXPECT_EQ(again->SerializeAsString(), expected.SerializeAsString()) << again->DebugString();

  EXPECT_EQ(MergeRollups({province, city}, {1}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MergeRollups({province, city}, {1, 2}).status().code(), absl::StatusCode::kInvalidArgument);
  v1::Rollup lowest = Part(1);
  lowest.set_income_fen(std::numeric_limits<int64_t>::min());
  EXPECT_EQ(MergeRollups({province, lowest}, {1, -1}).status().code(), absl::StatusCode::kOutOfRange);
}

TEST(MergeRollupsTest, ASumPastInt64IsOutOfRange) {
  v1::Rollup a = Part(1), b = Part(1);
  a.set_income_fen(std::numeric_limits<int64_t>::max());
  b.set_income_fen(1);
  absl::StatusOr<v1::Rollup> merged = MergeRollups({a, b});
  ASSERT_FALSE(merged.ok());
  EXPECT_EQ(merged.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_THAT(std::string(merged.status().message()), HasSubstr("income_fen"));

  v1::Rollup c = Part(1), d = Part(1);
  *c.add_functional() = Row("201", std::numeric_limits<int64_t>::max());
  *d.add_functional() = Row("201", 1);
  merged = MergeRollups({c, d});
  ASSERT_FALSE(merged.ok());
  EXPECT_EQ(merged.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_THAT(std::string(merged.status().message()), HasSubstr("functional[201]"));

  v1::Rollup e = Part(1), f = Part(1);
  e.mutable_three_public()->set_total_fen(std::numeric_limits<int64_t>::max());
  f.mutable_three_public()->set_total_fen(1);
  merged = MergeRollups({e, f});
  ASSERT_FALSE(merged.ok());
  EXPECT_THAT(std::string(merged.status().message()), HasSubstr("three_public.total_fen"));
}

}  // namespace
}  // namespace yusuan::gateway
