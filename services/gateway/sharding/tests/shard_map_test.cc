#include "services/gateway/sharding/shard_map.h"

#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"

namespace yusuan::gateway {
namespace {

// A shard entry of a map file; addresses made from the name so each shard
// has stores of its own.
std::string ShardJson(const std::string& name, const std::vector<std::string>& regions) {
  std::vector<std::string> quoted;
  for (const std::string& region : regions) quoted.push_back("\"" + region + "\"");
  return absl::StrCat(R"({"name": ")", name, R"(", "regions": [)", absl::StrJoin(quoted, ", "), R"(], "ledger": ")",
                      name, R"(-ledger:50061", "goals": ")", name, R"(-goals:50062", "report": ")", name,
                      R"(-report:50063"})");
}

ShardMap MustParse(const std::vector<std::string>& shards) {
  absl::StatusOr<ShardMap> map =
      ShardMap::Parse(absl::StrCat(R"({"shards": [)", absl::StrJoin(shards, ", "), "]}"), "test.json");
  EXPECT_TRUE(map.ok()) << map.status();
  return map.ok() ? *std::move(map) : ShardMap::Single({});
}

std::string NameOf(const Shard* shard) { return shard == nullptr ? "(none)" : shard->name; }

std::vector<std::string> Names(const std::vector<const Shard*>& shards) {
  std::vector<std::string> names;
  for (const Shard* shard : shards) names.push_back(shard->name);
  return names;
}

TEST(ShardMapTest, ARegionGoesToTheShardOfItsLongestPrefix) {
  const ShardMap map = MustParse({ShardJson("hubei", {"42"}), ShardJson("wuhan", {"4201"}),
                                  ShardJson("qingshan", {"420107"}), ShardJson("rest", {""})});
  EXPECT_EQ(NameOf(map.Route("420107")), "qingshan");
  EXPECT_EQ(NameOf(map.Route("420106")), "wuhan");
  EXPECT_EQ(NameOf(map.Route("420201")), "hubei");
  EXPECT_EQ(NameOf(map.Route("42")), "hubei");
  EXPECT_EQ(NameOf(map.Route("110101")), "rest");
  EXPECT_EQ(map.Route("420107")->endpoints.ledger, "qingshan-ledger:50061");

  const ShardMap no_catch_all = MustParse({ShardJson("hubei", {"42"})});
  EXPECT_EQ(no_catch_all.Route("110101"), nullptr) << "a region no shard holds";
}

TEST(ShardMapTest, ARegionWideListFansOutToTheShardsHoldingRegionsUnderIt) {
  const ShardMap map = MustParse({ShardJson("hubei", {"42"}), ShardJson("wuhan", {"4201"}),
                                  ShardJson("qingshan", {"420107"}), ShardJson("beijing", {"11"})});
  EXPECT_EQ(Names(map.Covering("42")), (std::vector<std::string>{"hubei", "wuhan", "qingshan"}));
  EXPECT_EQ(Names(map.Covering("4201")), (std::vector<std::string>{"wuhan", "qingshan"}))
      << "the province's shard holds nothing of Wuhan";
  EXPECT_EQ(Names(map.Covering("420107")), (std::vector<std::string>{"qingshan"}));
  EXPECT_EQ(Names(map.Covering("4202")), (std::vector<std::string>{"hubei"}));
  EXPECT_EQ(Names(map.Covering("")), (std::vector<std::string>{"hubei", "wuhan", "qingshan", "beijing"}));
  EXPECT_TRUE(map.Covering("31").empty()) << "no shard holds Shanghai";
}

TEST(ShardMapTest, OneShardHoldsEveryRegion) {
  const ShardMap map = ShardMap::Single({"127.0.0.1:50061", "127.0.0.1:50062", "127.0.0.1:50063"});
  EXPECT_EQ(map.Route("420107")->endpoints.goals, "127.0.0.1:50062");
  EXPECT_EQ(map.Covering("42").size(), 1u);
}

TEST(ShardMapTest, ANewMapSaysWhichRegionsItTakesFromWhichShard) {
  const ShardMap before = MustParse({ShardJson("hubei", {"42"}), ShardJson("beijing", {"11"})});
  // Wuhan carved out to a new shard; Beijing given up; Shanghai added.
  const ShardMap after =
      MustParse({ShardJson("hubei", {"42"}), ShardJson("wuhan", {"4201"}), ShardJson("shanghai", {"31"})});
  const std::vector<Reassignment> moves = before.MovesTo(after);
  ASSERT_EQ(moves.size(), 2u);
  EXPECT_EQ(moves[0].prefix, "11");
  EXPECT_EQ(moves[0].from, "beijing");
  EXPECT_EQ(moves[0].to, "");
  EXPECT_EQ(moves[1].prefix, "4201");
  EXPECT_EQ(moves[1].from, "hubei");
  EXPECT_EQ(moves[1].to, "wuhan");
  EXPECT_TRUE(before.MovesTo(before).empty());
  EXPECT_TRUE(after.MovesTo(after).empty());
}

TEST(ShardMapTest, ARenamedShardOnTheSameStoresMovesNothing) {
  const ShardMap before = MustParse({ShardJson("hubei", {"42"})});
  absl::StatusOr<ShardMap> renamed = ShardMap::Parse(
      R"({"shards": [{"name": "hubei-2", "regions": ["42"], "ledger": "hubei-ledger:50061",
          "goals": "hubei-goals:50062", "report": "hubei-report:50063"}]})",
      "renamed.json");
  ASSERT_TRUE(renamed.ok()) << renamed.status();
  EXPECT_TRUE(before.MovesTo(*renamed).empty());
}

TEST(ShardMapTest, AFrozenPrefixStopsTheWritesOfEveryRegionUnderIt) {
  absl::StatusOr<ShardMap> map = ShardMap::Parse(
      absl::StrCat(R"({"shards": [)", ShardJson("hubei", {"42"}), R"(], "frozen": ["4201", "420601"]})"), "t.json");
  ASSERT_TRUE(map.ok()) << map.status();
  EXPECT_EQ(map->frozen(), (std::vector<std::string>{"4201", "420601"}));
  ASSERT_NE(map->FrozenPrefix("420107"), nullptr);
  EXPECT_EQ(*map->FrozenPrefix("420107"), "4201");
  ASSERT_NE(map->FrozenPrefix("420601"), nullptr);
  EXPECT_EQ(map->FrozenPrefix("420602"), nullptr);
  EXPECT_EQ(map->FrozenPrefix("420201"), nullptr);
  EXPECT_EQ(map->Route("420107")->name, "hubei") << "frozen regions are still read where they are";
  EXPECT_TRUE(MustParse({ShardJson("hubei", {"42"})}).frozen().empty());
}

TEST(ShardMapTest, AShardServesTheRegionsTheMapGivesIt) {
  const ShardMap map = MustParse({ShardJson("hubei", {"42"}), ShardJson("wuhan", {"4201"})});
  EXPECT_TRUE(map.Serves("hubei", "420201"));
  EXPECT_FALSE(map.Serves("hubei", "420107")) << "a copy of Wuhan's left on the province's shard";
  EXPECT_TRUE(map.Serves("wuhan", "420107"));
  EXPECT_FALSE(map.Serves("wuhan", "420201"));
  EXPECT_TRUE(map.Serves("wuhan", "110101")) << "no shard holds it: nothing to prefer";
}

std::vector<std::string> TermsText(const std::vector<RollupTerm>& terms) {
  std::vector<std::string> text;
  for (const RollupTerm& term : terms)
    text.push_back(absl::StrCat(term.shard->name, term.sign > 0 ? " +" : " -", term.region));
  return text;
}

TEST(ShardMapTest, ARollUpTakesFromEachShardWhatTheMapGivesItOnly) {
  const ShardMap map = MustParse({ShardJson("hubei", {"42"}), ShardJson("wuhan", {"4201"}),
                                  ShardJson("qingshan", {"420107"}), ShardJson("beijing", {"11"})});
  EXPECT_EQ(TermsText(map.RollupTerms("42")),
            (std::vector<std::string>{"hubei +42", "hubei -4201", "wuhan +4201", "wuhan -420107", "qingshan +420107"}));
  EXPECT_EQ(TermsText(map.RollupTerms("4202")), (std::vector<std::string>{"hubei +4202"}));
  EXPECT_EQ(TermsText(map.RollupTerms("420107")), (std::vector<std::string>{"qingshan +420107"}));
  EXPECT_EQ(TermsText(map.RollupTerms("11")), (std::vector<std::string>{"beijing +11"}));
  EXPECT_TRUE(map.RollupTerms("43").empty()) << "no shard holds 43";

  const ShardMap one = MustParse({ShardJson("all", {""})});
  EXPECT_EQ(TermsText(one.RollupTerms("42")), (std::vector<std::string>{"all +42"}));

  // A city carved out and a district of it given back: the signs cancel
  // where a shard holds a prefix and the one above it.
  const ShardMap back = MustParse({ShardJson("hubei", {"42", "420107"}), ShardJson("wuhan", {"4201"})});
  EXPECT_EQ(TermsText(back.RollupTerms("42")),
            (std::vector<std::string>{"hubei +42", "hubei -4201", "hubei +420107", "wuhan +4201", "wuhan -420107"}));
  const ShardMap same = MustParse({ShardJson("hubei", {"42", "4201"}), ShardJson("x", {"11"})});
  EXPECT_EQ(TermsText(same.RollupTerms("42")), (std::vector<std::string>{"hubei +42"}));

  // Roll-ups are kept for 2, 4 and 6 digits: a 3-digit prefix is its ten
  // 4-digit codes.
  const ShardMap odd = MustParse({ShardJson("hubei", {"42"}), ShardJson("x", {"420"})});
  std::vector<std::string> expected = {"hubei +42"};
  for (int d = 0; d < 10; ++d) expected.push_back(absl::StrCat("hubei -420", d));
  for (int d = 0; d < 10; ++d) expected.push_back(absl::StrCat("x +420", d));
  EXPECT_EQ(TermsText(odd.RollupTerms("42")), expected);
}

// Random maps and random copies left behind: the terms count every region
// once, on the shard the map gives it, whatever else the shards keep.
TEST(ShardMapTest, RollUpTermsCountEachRegionOnceWhateverTheShardsStillKeep) {
  std::mt19937 random(16);
  const std::vector<std::string> prefixes = {"",     "4",  "42",     "420",    "4201",   "42010",
                                             "4202", "43", "420101", "420102", "420201", "4301"};
  std::vector<std::string> regions;
  for (const char* a : {"42", "43"}) {
    for (const char* b : {"01", "02"}) {
      for (const char* c : {"01", "02", "03"}) regions.push_back(absl::StrCat(a, b, c));
    }
  }
  for (int trial = 0; trial < 300; ++trial) {
    const int shard_count = 1 + static_cast<int>(random() % 4);
    std::vector<std::vector<std::string>> held(shard_count);
    for (const std::string& prefix : prefixes) {
      if (random() % 2 == 0) held[random() % shard_count].push_back(prefix);
    }
    std::vector<std::string> entries;
    for (int s = 0; s < shard_count; ++s) {
      if (held[s].empty()) held[s].push_back(absl::StrCat("9", s));
      entries.push_back(ShardJson(absl::StrCat("s", s), held[s]));
    }
    const ShardMap map = MustParse(entries);
    // How many departments each shard stores in each region: one per
    // region on its own shard, and copies left behind anywhere.
    std::map<std::pair<std::string, std::string>, int> stored;
    for (const std::string& region : regions) {
      if (const Shard* own = map.Route(region); own != nullptr) stored[{own->name, region}] += 1;
      for (int s = 0; s < shard_count; ++s) {
        if (random() % 3 == 0) stored[{absl::StrCat("s", s), region}] += 1 + static_cast<int>(random() % 3);
      }
    }
    for (const char* parent : {"42", "4201", "420101", "43", "4302"}) {
      int expected = 0;  // the departments each region has on its own shard
      for (const std::string& region : regions) {
        const Shard* own = map.Route(region);
        if (region.starts_with(parent) && own != nullptr) expected += stored[{own->name, region}];
      }
      int counted = 0;
      for (const RollupTerm& term : map.RollupTerms(parent)) {
        ASSERT_TRUE(term.region.size() == 2 || term.region.size() == 4 || term.region.size() == 6) << term.region;
        for (const auto& [where, count] : stored) {
          if (where.first == term.shard->name && where.second.starts_with(term.region)) counted += term.sign * count;
        }
      }
      ASSERT_EQ(counted, expected) << "trial " << trial << ", parent " << parent << ": "
                                   << absl::StrJoin(TermsText(map.RollupTerms(parent)), ", ");
    }
  }
}

TEST(ShardMapTest, ABadMapIsRefusedNamingTheFieldAndTheFix) {
  struct Case {
    std::string json;
    std::string field;
    std::string says;
  };
  const std::string hubei = ShardJson("hubei", {"42"});
  const std::vector<Case> cases = {
      {"[]", "(the file)", "not a JSON object"},
      {"{not json", "(the file)", "not a JSON object"},
      {R"({"shards": []})", "shards", "at least one shard"},
      {R"({"shard": []})", "shard", "unknown field"},
      {R"({"shards": [)" + hubei + ", " + ShardJson("hubei", {"11"}) + "]}", "shards[1].name", "twice"},
      {R"({"shards": [)" + ShardJson("Hubei", {"42"}) + "]}", "shards[0].name", "a-z, 0-9"},
      {R"({"shards": [)" + hubei + ", " + ShardJson("wuhan", {"4201", "42"}) + "]}", "shards[1].regions[1]",
       "held by hubei"},
      {R"({"shards": [)" + ShardJson("x", {"42a"}) + "]}", "shards[0].regions[0]", "0 to 6 digits"},
      {R"({"shards": [)" + ShardJson("x", {"4201071"}) + "]}", "shards[0].regions[0]", "0 to 6 digits"},
      {R"({"shards": [)" + ShardJson("x", {}) + "]}", "shards[0].regions", "missing or empty"},
      {R"({"shards": [{"name": "x", "regions": ["42"], "ledger": "l:1", "goals": "g:2"}]})", "shards[0].report",
       "missing"},
      {R"({"shards": [{"name": "x", "regions": ["42"], "ledger": "l", "goals": "g:2", "report": "r:3"}]})",
       "shards[0].ledger", "HOST:PORT"},
      {R"({"shards": [{"name": "x", "regions": ["42"], "ledger": "l:70000", "goals": "g:2", "report": "r:3"}]})",
       "shards[0].ledger", "HOST:PORT"},
      {R"({"shards": [{"name": "x", "regions": ["42"], "ledger": "l:1", "goals": "g:2", "report": "r:3",
           "zone": "a"}]})",
       "shards[0].zone", "unknown field"},
      {R"({"shards": [{"name": "a", "regions": ["42"], "ledger": "l:1", "goals": "g:2", "report": "r:3"},
                      {"name": "b", "regions": ["11"], "ledger": "l2:1", "goals": "g:2", "report": "r2:3"}]})",
       "shards[1].goals", "each shard has stores of its own"},
      {R"({"shards": [)" + hubei + R"(], "frozen": "4201"})", "frozen", "not an array"},
      {R"({"shards": [)" + hubei + R"(], "frozen": ["4201", "42x"]})", "frozen[1]", "0 to 6 digits"},
      {R"({"shards": [)" + hubei + R"(], "frozen": ["4201", "4201"]})", "frozen[1]", "twice"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<ShardMap> map = ShardMap::Parse(c.json, "/etc/yusuan/shards.json");
    ASSERT_FALSE(map.ok()) << c.json;
    EXPECT_EQ(map.status().code(), absl::StatusCode::kInvalidArgument);
    const std::string message(map.status().message());
    EXPECT_NE(message.find("/etc/yusuan/shards.json: " + c.field + ": "), std::string::npos) << message;
    EXPECT_NE(message.find(c.says), std::string::npos) << message;
    EXPECT_NE(message.find("分片表无效 / invalid shard map"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace yusuan::gateway
