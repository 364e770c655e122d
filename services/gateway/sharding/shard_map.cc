#include "services/gateway/sharding/shard_map.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace yusuan::gateway {
namespace {

using Json = nlohmann::json;

absl::Status Invalid(std::string_view source, std::string_view field, std::string_view problem) {
  // Debian's Abseil has its own string_view, which StrCat takes.
  return absl::InvalidArgumentError(absl::StrCat("分片表无效 / invalid shard map ", std::string(source), ": ",
                                                 std::string(field), ": ", std::string(problem)));
}

bool IsShardName(const std::string& name) {
  return !name.empty() && name.size() <= 63 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '-';
  });
}

bool IsRegionPrefix(const std::string& prefix) {
  return prefix.size() <= 6 && std::all_of(prefix.begin(), prefix.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// HOST:PORT with a port of 1 to 65535.
bool IsAddress(const std::string& address) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == address.size() || address.size() - colon > 6) {
    return false;
  }
  int port = 0;
  for (size_t i = colon + 1; i < address.size(); ++i) {
    if (address[i] < '0' || address[i] > '9') return false;
    port = port * 10 + (address[i] - '0');
  }
  return port >= 1 && port <= 65535;
}

absl::StatusOr<std::string> StringField(const Json& object, const char* key, std::string_view source,
                                        const std::string& where) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) {
    return Invalid(source, absl::StrCat(where, ".", key), "missing, or not a string");
  }
  return it->get<std::string>();
}

bool StartsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

}  // namespace

absl::StatusOr<ShardMap> ShardMap::Parse(std::string_view json, std::string_view source) {
  Json root = Json::parse(json.begin(), json.end(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) {
    return Invalid(source, "(the file)", "not a JSON object; see services/gateway/sharding/README.md");
  }
  for (const auto& [key, value] : root.items()) {
    if (key != "shards" && key != "frozen") {
      return Invalid(source, key, "unknown field (the map has \"shards\" and \"frozen\")");
    }
  }
  auto shards = root.find("shards");
  if (shards == root.end() || !shards->is_array() || shards->empty()) {
    return Invalid(source, "shards", "missing or empty: a map names at least one shard");
  }
  ShardMap map;
  std::map<std::string, std::string> holder_of_prefix;  // prefix → shard name
  std::set<std::string> names;
  std::map<std::string, std::string> user_of_address;  // address → shard name
  for (size_t i = 0; i < shards->size(); ++i) {
    const Json& entry = (*shards)[i];
    const std::string where = absl::StrCat("shards[", i, "]");
    if (!entry.is_object()) return Invalid(source, where, "not an object");
    for (const auto& [key, value] : entry.items()) {
      if (key != "name" && key != "regions" && key != "ledger" && key != "goals" && key != "report") {
        return Invalid(source, absl::StrCat(where, ".", key),
                       "unknown field (a shard has name, regions, ledger, goals and report)");
      }
    }
    Shard shard;
    absl::StatusOr<std::string> name = StringField(entry, "name", source, where);
    if (!name.ok()) return name.status();
    if (!IsShardName(*name)) {
      return Invalid(source, where + ".name",
                     absl::StrCat("\"", name->substr(0, 80), "\" is not 1 to 63 of a-z, 0-9, -"));
    }
    if (!names.insert(*name).second) return Invalid(source, where + ".name", absl::StrCat("\"", *name, "\" twice"));
    shard.name = *name;
    std::string* endpoints[] = {&shard.endpoints.ledger, &shard.endpoints.goals, &shard.endpoints.report};
    const char* keys[] = {"ledger", "goals", "report"};
    for (int k = 0; k < 3; ++k) {
      absl::StatusOr<std::string> address = StringField(entry, keys[k], source, where);
      if (!address.ok()) return address.status();
      const std::string field = absl::StrCat(where, ".", keys[k]);
      if (!IsAddress(*address)) {
        return Invalid(source, field, absl::StrCat("\"", address->substr(0, 80), "\" is not HOST:PORT"));
      }
      // Two shards on one store would mix their regions' data.
      auto [it, inserted] = user_of_address.emplace(*address, shard.name);
      if (!inserted) {
        return Invalid(source, field,
                       absl::StrCat(*address, " is also ", it->second, "'s: each shard has stores of its own"));
      }
      *endpoints[k] = *address;
    }
    auto regions = entry.find("regions");
    if (regions == entry.end() || !regions->is_array() || regions->empty()) {
      return Invalid(source, where + ".regions",
                     "missing or empty: the region-code prefixes the shard holds (\"\" for every region)");
    }
    for (size_t r = 0; r < regions->size(); ++r) {
      const std::string field = absl::StrCat(where, ".regions[", r, "]");
      if (!(*regions)[r].is_string() || !IsRegionPrefix((*regions)[r].get<std::string>())) {
        return Invalid(source, field,
                       "not a region-code prefix: 0 to 6 digits, e.g. \"42\" (a province), \"4201\", \"420107\"");
      }
      const std::string prefix = (*regions)[r].get<std::string>();
      auto [it, inserted] = holder_of_prefix.emplace(prefix, shard.name);
      if (!inserted) {
        return Invalid(source, field,
                       absl::StrCat("\"", prefix, "\" is held by ", it->second, " already: a prefix has one shard"));
      }
      shard.regions.push_back(prefix);
    }
    map.shards_.push_back(std::move(shard));
  }
  if (auto frozen = root.find("frozen"); frozen != root.end()) {
    if (!frozen->is_array()) {
      return Invalid(source, "frozen", "not an array of region-code prefixes (the regions being moved)");
    }
    std::set<std::string> seen;
    for (size_t f = 0; f < frozen->size(); ++f) {
      const std::string field = absl::StrCat("frozen[", f, "]");
      if (!(*frozen)[f].is_string() || !IsRegionPrefix((*frozen)[f].get<std::string>())) {
        return Invalid(source, field, "not a region-code prefix: 0 to 6 digits, e.g. \"4201\"");
      }
      const std::string prefix = (*frozen)[f].get<std::string>();
      if (!seen.insert(prefix).second) return Invalid(source, field, absl::StrCat("\"", prefix, "\" twice"));
      map.frozen_.push_back(prefix);
    }
  }
  return map;
}

bool ShardMap::Serves(std::string_view shard_name, std::string_view region) const {
  const Shard* holder = Route(region);
  return holder == nullptr || holder->name == shard_name;
}

const std::string* ShardMap::FrozenPrefix(std::string_view region) const {
  for (const std::string& prefix : frozen_) {
    if (StartsWith(region, prefix)) return &prefix;
  }
  return nullptr;
}

std::vector<RollupTerm> ShardMap::RollupTerms(std::string_view prefix) const {
  // The nodes: the prefix itself and every map prefix under it, each with
  // the shard holding it. A region under `prefix` belongs to its deepest
  // node, so a shard's own part is the sum, over the nodes it holds, of its
  // roll-up there less its roll-up at their child nodes; gathered by node,
  // a node counts +1 for its holder and -1 for its parent node's holder.
  struct Node {
    std::string prefix;
    const Shard* holder;
  };
  std::vector<Node> nodes = {{std::string(prefix), Route(prefix)}};
  for (const Shard& shard : shards_) {
    for (const std::string& held : shard.regions) {
      if (held.size() > prefix.size() && StartsWith(held, prefix)) nodes.push_back({held, &shard});
    }
  }
  std::map<std::pair<const Shard*, std::string>, int> signs;
  for (size_t n = 0; n < nodes.size(); ++n) {
    if (nodes[n].holder != nullptr) signs[{nodes[n].holder, nodes[n].prefix}] += 1;
    if (n == 0) continue;
    const Node* parent = &nodes[0];
    for (const Node& other : nodes) {
      if (other.prefix.size() < nodes[n].prefix.size() && other.prefix.size() > parent->prefix.size() &&
          StartsWith(nodes[n].prefix, other.prefix)) {
        parent = &other;
      }
    }
    if (parent->holder != nullptr) signs[{parent->holder, nodes[n].prefix}] -= 1;
  }
  // A roll-up is kept for 2-, 4- and 6-digit codes only; one of 3 or 5
  // digits is the sum of the ten codes below it. Expanding may meet a term
  // of its own, so the signs are gathered again.
  std::map<std::pair<const Shard*, std::string>, int> expanded;
  for (const auto& [term, sign] : signs) {
    if (sign == 0) continue;
    const auto& [shard, region] = term;
    if (region.size() % 2 == 0) {
      expanded[term] += sign;
      continue;
    }
    for (char digit = '0'; digit <= '9'; ++digit) expanded[{shard, region + digit}] += sign;
  }
  std::vector<RollupTerm> terms;
  for (const Shard& shard : shards_) {
    for (const auto& [term, sign] : expanded) {
      if (term.first == &shard && sign != 0) terms.push_back(RollupTerm{&shard, term.second, sign});
    }
  }
  return terms;
}

ShardMap ShardMap::Single(ShardEndpoints endpoints) {
  ShardMap map;
  map.shards_.push_back(Shard{"default", {""}, std::move(endpoints)});
  return map;
}

const Shard* ShardMap::Route(std::string_view region) const {
  const Shard* best = nullptr;
  size_t best_length = 0;
  for (const Shard& shard : shards_) {
    for (const std::string& prefix : shard.regions) {
      if (StartsWith(region, prefix) && (best == nullptr || prefix.size() > best_length)) {
        best = &shard;
        best_length = prefix.size();
      }
    }
  }
  return best;
}

std::vector<const Shard*> ShardMap::Covering(std::string_view prefix) const {
  // The shard of the prefix itself holds whatever under it no longer
  // prefix takes; a shard holding a longer prefix under it holds that.
  const Shard* of_prefix = Route(prefix);
  std::vector<const Shard*> covering;
  for (const Shard& shard : shards_) {
    const bool under = std::any_of(shard.regions.begin(), shard.regions.end(), [&](const std::string& held) {
      return held.size() > prefix.size() && StartsWith(held, prefix);
    });
    if (&shard == of_prefix || under) covering.push_back(&shard);
  }
  return covering;
}

std::vector<Reassignment> ShardMap::MovesTo(const ShardMap& next) const {
  std::set<std::string> prefixes;
  for (const ShardMap* map : {this, &next}) {
    for (const Shard& shard : map->shards_) prefixes.insert(shard.regions.begin(), shard.regions.end());
  }
  std::vector<Reassignment> moves;
  for (const std::string& prefix : prefixes) {
    const Shard* before = Route(prefix);
    const Shard* after = next.Route(prefix);
    // Nothing held the regions before: no data of theirs anywhere.
    if (before == nullptr) continue;
    if (after != nullptr && after->endpoints.ledger == before->endpoints.ledger) continue;
    moves.push_back(Reassignment{prefix, before->name, after == nullptr ? "" : after->name});
  }
  return moves;
}

}  // namespace yusuan::gateway
