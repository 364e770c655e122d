// The gateway's connections to its shards (shard_router.h): a region goes to
// its shard's connection, a prefix to every shard covering it, and a new map
// keeps the connections of the shards it does not change, so that calls
// under way on them are not cut.
#include "services/gateway/shard_router.h"

#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace yusuan::gateway {
namespace {

ShardMap MapOf(const std::string& json) {
  absl::StatusOr<ShardMap> map = ShardMap::Parse(json, "test.json");
  EXPECT_TRUE(map.ok()) << map.status();
  return *std::move(map);
}

std::string TwoShards(const std::string& south_ledger = "127.0.0.1:2") {
  return R"({"shards": [
    {"name": "north", "regions": ["42"], "ledger": "127.0.0.1:1", "goals": "127.0.0.1:11", "report": "127.0.0.1:21"},
    {"name": "south", "regions": ["4201", "43"], "ledger": ")" +
         south_ledger + R"(", "goals": "127.0.0.1:12", "report": "127.0.0.1:22"}]})";
}

class ShardRouterTest : public ::testing::Test {
 protected:
  ShardRouter::ChannelFactory Factory() {
    return [this](const std::string& address) {
      dialled_.push_back(address);
      return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
    };
  }
  std::vector<std::string> dialled_;
};

TEST_F(ShardRouterTest, ARegionGoesToTheShardOfItsLongestPrefix) {
  ShardRouter router(Factory(), MapOf(TwoShards()));
  std::shared_ptr<const ShardRouting> routing = router.Current();
  EXPECT_EQ((*routing->For("420107"))->name, "south");
  EXPECT_EQ((*routing->For("420502"))->name, "north");
  EXPECT_EQ((*routing->For("430102"))->name, "south");
  EXPECT_EQ((*routing->For("420107"))->endpoints.report, "127.0.0.1:22");
  absl::StatusOr<const ShardConnection*> none = routing->For("110101");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(none.status().message().find("110101"), std::string::npos) << none.status();
  EXPECT_NE(none.status().message().find("--shard_map"), std::string::npos) << none.status();
  // Stateless calls take the region's shard, or the first.
  EXPECT_EQ(routing->ForStateless("430102").name, "south");
  EXPECT_EQ(routing->ForStateless("110101").name, "north");
  EXPECT_EQ(dialled_.size(), 6u) << "three channels per shard";
}

TEST_F(ShardRouterTest, APrefixIsCoveredByEveryShardHoldingPartOfIt) {
  ShardRouter router(Factory(), MapOf(TwoShards()));
  std::shared_ptr<const ShardRouting> routing = router.Current();
  auto names = [&](const std::string& prefix) {
    std::vector<std::string> out;
    absl::StatusOr<std::vector<const ShardConnection*>> covering = routing->Covering(prefix);
    if (!covering.ok()) return std::vector<std::string>{covering.status().ToString()};
    for (const ShardConnection* shard : *covering) out.push_back(shard->name);
    return out;
  };
  EXPECT_EQ(names("42"), (std::vector<std::string>{"north", "south"}));
  EXPECT_EQ(names("4201"), (std::vector<std::string>{"south"}));
  EXPECT_EQ(names("4205"), (std::vector<std::string>{"north"}));
  EXPECT_EQ(names("43"), (std::vector<std::string>{"south"}));
  EXPECT_EQ(routing->Covering("11").status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(ShardRouterTest, ANewMapKeepsTheConnectionsOfTheShardsItDoesNotChange) {
  ShardRouter router(Factory(), MapOf(TwoShards()));
  std::shared_ptr<const ShardRouting> before = router.Current();
  const ShardConnection* north = *before->For("420502");
  const ShardConnection* south = *before->For("430102");
  dialled_.clear();
  router.Install(MapOf(TwoShards("127.0.0.1:3")));
  std::shared_ptr<const ShardRouting> after = router.Current();
  EXPECT_EQ(*after->For("420502"), north) << "north is unchanged: same connection";
  EXPECT_NE(*after->For("430102"), south) << "south's ledger moved: a new connection";
  EXPECT_EQ((*after->For("430102"))->endpoints.ledger, "127.0.0.1:3");
  EXPECT_EQ(std::set<std::string>(dialled_.begin(), dialled_.end()),
            (std::set<std::string>{"127.0.0.1:3", "127.0.0.1:12", "127.0.0.1:22"}));
  // A call that took the old routing still has it, and its connections.
  EXPECT_EQ(*before->For("430102"), south);
  EXPECT_EQ(south->endpoints.ledger, "127.0.0.1:2");
}

TEST_F(ShardRouterTest, OneShardOnChannelsAlreadyMadeServesEveryRegionUnnamed) {
  auto channel = grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials());
  ShardRouter router(channel, channel, channel, ShardEndpoints{"127.0.0.1:1", "127.0.0.1:1", "127.0.0.1:1"});
  std::shared_ptr<const ShardRouting> routing = router.Current();
  ASSERT_TRUE(routing->For("110101").ok());
  // Unnamed: its errors read as they did before shards.
  EXPECT_EQ((*routing->For("110101"))->name, "");
  EXPECT_EQ(routing->Covering("42")->size(), 1u);
}

}  // namespace
}  // namespace yusuan::gateway
