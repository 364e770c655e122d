// The gateway's connections to its shards, and the shard map they follow
// (sharding/shard_map.h). A request's region picks its shard; a region-wide
// list asks every shard covering the prefix. The map is replaced whole when
// its file changes (main.cc): calls under way keep the connections they
// started with, since a connection, once made, lives as long as the router.
#ifndef YUSUAN_SERVICES_GATEWAY_SHARD_ROUTER_H_
#define YUSUAN_SERVICES_GATEWAY_SHARD_ROUTER_H_

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/mutex.h"
#include "services/gateway/sharding/shard_map.h"
#include "yusuan/goals/v1/goals.grpc.pb.h"
#include "yusuan/ledger/v1/ledger_service.grpc.pb.h"
#include "yusuan/report/v1/report.grpc.pb.h"

namespace yusuan::gateway {

// One shard's three services: typed stubs, and generic ones on the same
// channels for calls that pass bytes through.
struct ShardConnection {
  // "" for the one shard of a gateway without a map file: its errors then
  // name the service's address alone, as before shards.
  std::string name;
  ShardEndpoints endpoints;
  std::unique_ptr<yusuan::ledger::v1::LedgerService::Stub> ledger;
  std::unique_ptr<yusuan::goals::v1::GoalsService::Stub> goals;
  std::unique_ptr<yusuan::report::v1::ReportService::Stub> report;
  std::unique_ptr<grpc::GenericStub> ledger_bytes;
  std::unique_ptr<grpc::GenericStub> goals_bytes;
  std::unique_ptr<grpc::GenericStub> report_bytes;
};

// A map and its connections, fixed: what one call routes with.
class ShardRouting {
 public:
  ShardRouting(ShardMap map, std::vector<const ShardConnection*> connections)
      : map_(std::move(map)), connections_(std::move(connections)) {}
  const ShardMap& map() const { return map_; }
  // The shard holding `region`; FAILED_PRECONDITION naming the region and
  // the fix when the map has no prefix of it.
  absl::StatusOr<const ShardConnection*> For(std::string_view region) const;
  // For(region) when the map holds it, else the first shard: for calls that
  // read no stored data (validating a filing whose region code may be
  // malformed, which the ledger's rules then name; the rule catalogue).
  const ShardConnection& ForStateless(std::string_view region) const;
  // The shards holding some region under `prefix`, in the map's order;
  // FAILED_PRECONDITION when none does.
  absl::StatusOr<std::vector<const ShardConnection*>> Covering(std::string_view prefix) const;
  // ShardMap::Serves for a shard of this routing (compared by connection:
  // the one shard of a gateway without a map file has no name).
  bool Serves(const ShardConnection& shard, std::string_view region) const {
    for (size_t i = 0; i < connections_.size(); ++i) {
      if (connections_[i] == &shard) return map_.Serves(map_.shards()[i].name, region);
    }
    return true;  // a shard of another map: nothing to compare with
  }
  // The connection of one of map()'s shards.
  const ShardConnection* Connection(const Shard& shard) const { return connections_[&shard - map_.shards().data()]; }
  // Every shard, in the map's order.
  const std::vector<const ShardConnection*>& all() const { return connections_; }

 private:
  ShardMap map_;
  std::vector<const ShardConnection*> connections_;  // parallel to map_.shards()
};

class ShardRouter {
 public:
  using ChannelFactory = std::function<std::shared_ptr<grpc::Channel>(const std::string& address)>;
  ShardRouter(ChannelFactory channel_for, ShardMap map);
  // One shard on channels already made (tests, a gateway without a map file).
  ShardRouter(std::shared_ptr<grpc::Channel> ledger, std::shared_ptr<grpc::Channel> goals,
              std::shared_ptr<grpc::Channel> report, ShardEndpoints endpoints);

  std::shared_ptr<const ShardRouting> Current() const;
  // Routes every later call by `next`, reusing the connections of shards
  // whose name and endpoints are unchanged.
  void Install(ShardMap next);
  // The connection to a shard of a map not yet installed (to ask it before
  // routing to it), kept for when the map is; nullptr for a router made on
  // channels, which connects to nothing else.
  const ShardConnection* ConnectionTo(const Shard& shard);

 private:
  const ShardConnection* ConnectionFor(const Shard& shard) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  ChannelFactory channel_for_;
  mutable Mutex mu_;
  std::shared_ptr<const ShardRouting> current_ ABSL_GUARDED_BY(mu_);
  // Never shrinks: a call may still be starting on a shard the map dropped.
  std::vector<std::unique_ptr<ShardConnection>> connections_ ABSL_GUARDED_BY(mu_);
};

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_SHARD_ROUTER_H_
