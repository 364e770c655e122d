#include "services/gateway/shard_router.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"

namespace yusuan::gateway {
namespace {

std::unique_ptr<ShardConnection> Connect(std::string name, ShardEndpoints endpoints,
                                         const std::shared_ptr<grpc::Channel>& ledger,
                                         const std::shared_ptr<grpc::Channel>& goals,
                                         const std::shared_ptr<grpc::Channel>& report) {
  auto connection = std::make_unique<ShardConnection>();
  connection->name = std::move(name);
  connection->endpoints = std::move(endpoints);
  connection->ledger = yusuan::ledger::v1::LedgerService::NewStub(ledger);
  connection->goals = yusuan::goals::v1::GoalsService::NewStub(goals);
  connection->report = yusuan::report::v1::ReportService::NewStub(report);
  connection->ledger_bytes = std::make_unique<grpc::GenericStub>(ledger);
  connection->goals_bytes = std::make_unique<grpc::GenericStub>(goals);
  connection->report_bytes = std::make_unique<grpc::GenericStub>(report);
  return connection;
}

absl::Status NoShardHolds(std::string_view region) {
  return absl::FailedPreconditionError(absl::StrCat(
      "分片映射中没有承载地区 ", region.empty() ? "（全部）" : std::string(region),
      " 的分片：请在分片映射文件中为它加上一个前缀 / no shard of the shard map holds region ",
      region.empty() ? "(all)" : std::string(region), ": add a prefix of it to the shard map file (--shard_map)"));
}

}  // namespace

absl::StatusOr<const ShardConnection*> ShardRouting::For(std::string_view region) const {
  const Shard* shard = map_.Route(region);
  if (shard == nullptr) return NoShardHolds(region);
  return connections_[static_cast<size_t>(shard - map_.shards().data())];
}

const ShardConnection& ShardRouting::ForStateless(std::string_view region) const {
  const Shard* shard = map_.Route(region);
  return *connections_[shard == nullptr ? 0 : static_cast<size_t>(shard - map_.shards().data())];
}

absl::StatusOr<std::vector<const ShardConnection*>> ShardRouting::Covering(std::string_view prefix) const {
  std::vector<const ShardConnection*> covering;
  for (const Shard* shard : map_.Covering(prefix)) {
    covering.push_back(connections_[static_cast<size_t>(shard - map_.shards().data())]);
  }
  if (covering.empty()) return NoShardHolds(prefix);
  return covering;
}

ShardRouter::ShardRouter(ChannelFactory channel_for, ShardMap map) : channel_for_(std::move(channel_for)) {
  Install(std::move(map));
}

ShardRouter::ShardRouter(std::shared_ptr<grpc::Channel> ledger, std::shared_ptr<grpc::Channel> goals,
                         std::shared_ptr<grpc::Channel> report, ShardEndpoints endpoints) {
  MutexLock lock(&mu_);
  connections_.push_back(Connect("", endpoints, ledger, goals, report));
  current_ = std::make_shared<ShardRouting>(ShardMap::Single(endpoints),
                                            std::vector<const ShardConnection*>{connections_[0].get()});
}

std::shared_ptr<const ShardRouting> ShardRouter::Current() const {
  MutexLock lock(&mu_);
  return current_;
}

const ShardConnection* ShardRouter::ConnectionFor(const Shard& shard) {
  for (const auto& connection : connections_) {
    if (connection->name == shard.name && connection->endpoints == shard.endpoints) return connection.get();
  }
  connections_.push_back(Connect(shard.name, shard.endpoints, channel_for_(shard.endpoints.ledger),
                                 channel_for_(shard.endpoints.goals), channel_for_(shard.endpoints.report)));
  return connections_.back().get();
}

const ShardConnection* ShardRouter::ConnectionTo(const Shard& shard) {
  MutexLock lock(&mu_);
  if (!channel_for_) {
    for (const auto& connection : connections_) {
      if (connection->name == shard.name && connection->endpoints == shard.endpoints) return connection.get();
    }
    return nullptr;
  }
  return ConnectionFor(shard);
}

void ShardRouter::Install(ShardMap next) {
  MutexLock lock(&mu_);
  std::vector<const ShardConnection*> connections;
  for (const Shard& shard : next.shards()) connections.push_back(ConnectionFor(shard));
  current_ = std::make_shared<ShardRouting>(std::move(next), std::move(connections));
}

}  // namespace yusuan::gateway
