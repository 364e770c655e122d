// The shard map: which shard — one set of ledger, goals and report services —
// holds each region (architecture.md § Scale-out). Plain C++: parsing and
// checking the map file, routing a region to its shard, choosing the shards
// a region-wide list fans out to, and telling what a new map would move
// from one shard to another. The gateway's wiring reads the file and asks
// the shards whether a move would strand data (README.md in this folder).
//
// A shard holds region-code prefixes ("42" a province, "4201" a city,
// "420107" a district, "" every region); a region goes to the shard whose
// prefix is the longest one it starts with, so a city can be carved out of
// its province's shard.
#ifndef YUSUAN_SERVICES_GATEWAY_SHARDING_SHARD_MAP_H_
#define YUSUAN_SERVICES_GATEWAY_SHARDING_SHARD_MAP_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace yusuan::gateway {

struct ShardEndpoints {
  std::string ledger;  // HOST:PORT
  std::string goals;
  std::string report;
  bool operator==(const ShardEndpoints&) const = default;
};

struct Shard {
  std::string name;                  // [a-z0-9-], 1 to 63 characters
  std::vector<std::string> regions;  // region-code prefixes, 0 to 6 digits
  ShardEndpoints endpoints;
};

// One region prefix whose shard a new map changes: its regions are served
// by `to` (empty: by no shard) and their data is on `from`.
// One part of a region's roll-up over several shards: `sign` times the
// roll-up `shard` itself keeps of `region` (a region code, 2, 4 or 6
// digits). See ShardMap::RollupTerms.
struct RollupTerm {
  const Shard* shard = nullptr;
  std::string region;
  int sign = 1;
  bool operator==(const RollupTerm&) const = default;
};

struct Reassignment {
  std::string prefix;
  std::string from;  // shard names; a shard is the same shard when its
  std::string to;    // ledger address is, whatever its name
};

class ShardMap {
 public:
  // The map file, JSON:
  //   {"shards": [{"name": "hubei-wuhan", "regions": ["4201"],
  //                "ledger": "ledger-0.wuhan:50061", "goals": "…", "report": "…"}, …],
  //    "frozen": ["420106"]}
  // "frozen" (optional) lists region-code prefixes being moved to another
  // shard: their regions are read as usual and take no writes (README.md in
  // this folder, deploy/README.md § Moving a region).
  // INVALID_ARGUMENT naming `source` and the field (shards[1].regions[0]) and
  // the fix: unknown fields, a bad name or prefix, a prefix held twice, two
  // shards on one store, no shard.
  static absl::StatusOr<ShardMap> Parse(std::string_view json, std::string_view source);
  // Every region on one shard: what a gateway without a map file serves.
  static ShardMap Single(ShardEndpoints endpoints);

  const std::vector<Shard>& shards() const { return shards_; }

  // The shard holding `region` (a region code, or a prefix of one), or
  // nullptr when no prefix of the map starts it.
  const Shard* Route(std::string_view region) const;
  // Whether what shard `shard_name` answers about `region` stands: false
  // when the map gives the region to another shard, so that the shard's
  // answer is a copy left behind by a move (deploy/README.md § Moving a
  // region). A fan-out drops such items.
  bool Serves(std::string_view shard_name, std::string_view region) const;
  // The shards holding some region under `prefix`, each once, in the
  // map's order: what a list of `regions/{prefix}` asks.
  std::vector<const Shard*> Covering(std::string_view prefix) const;
  // The frozen prefix `region` starts with, or nullptr: its writes wait
  // until the move is over.
  const std::string* FrozenPrefix(std::string_view region) const;
  const std::vector<std::string>& frozen() const { return frozen_; }

  // How to add up the roll-up of `prefix` (a region code) from what the
  // shards answer, so that each region is counted on its own shard only,
  // whatever a shard still keeps of regions the map gives another (a copy
  // left behind by a move): for every map prefix under `prefix`, the shard
  // that holds it adds its roll-up there, and the shard that holds the
  // prefix above it takes the same roll-up of its own away. Terms whose
  // signs cancel are left out, so a map without carve-outs under `prefix`
  // gives one term per covering shard; a prefix that is not a region code
  // (3 or 5 digits) becomes its ten region codes one digit longer. In the
  // map's shard order, then region order.
  std::vector<RollupTerm> RollupTerms(std::string_view prefix) const;

  // The prefixes, of either map, whose regions `next` gives to another
  // shard than this map does, in prefix order.
  std::vector<Reassignment> MovesTo(const ShardMap& next) const;

 private:
  std::vector<Shard> shards_;
  std::vector<std::string> frozen_;
};

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_SHARDING_SHARD_MAP_H_
