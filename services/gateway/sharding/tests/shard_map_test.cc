#include "services/gateway/sharding/shard_map.h"

#include <string>
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
