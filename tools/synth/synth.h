// Realistic synthetic filings (部门预算 + 绩效目标) for property tests, load
// tests and demos: `yusuan synth` writes them, tests/property checks them.
//
// A generated department is a whole yusuan.gateway.v1.Filing that every rule
// of the product accepts (no FATAL finding from the ledger, goals or cross
// rules): its lines balance per fund source, its codes come from the
// catalogue edition of its year, each line's functional code belongs to the
// budget of its fund source, every project has a goal sheet whose amounts
// equal the ledger, and its 三公 figures are the lines booked on their
// economic 款. What varies is what real departments vary in: sector, size,
// unit types, fund sources, projects, 三公, prior years, goals. README.md
// beside this file lists the distributions.
//
// Deterministic: the same catalogues, options and index give the same bytes
// on any machine. The generator draws only from its own SplitMix64 and maps
// draws to ranges with integer arithmetic (never std::*_distribution, whose
// output the standard leaves to the implementation, and never floating
// point).
#ifndef YUSUAN_TOOLS_SYNTH_SYNTH_H_
#define YUSUAN_TOOLS_SYNTH_SYNTH_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "services/ledger/domain/catalogue.h"
#include "yusuan/gateway/v1/gateway.pb.h"

namespace yusuan::synth {

// SplitMix64 (Steele, Lea, Flood 2014): a 64-bit state advanced by a fixed
// odd constant and finalised by two multiply-xorshift rounds. Small, fast,
// fully specified, so its sequence is the same everywhere.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next();

 private:
  uint64_t state_;
};

// The SplitMix64 finaliser alone: a bijective mix of 64 bits, used to derive
// one department's stream from (seed, index).
uint64_t Mix64(uint64_t x);

struct SynthOptions {
  uint64_t seed = 1;
  // A functional 类 ("207"): every department is of that sector. Absent:
  // departments cycle over SpendableClasses of the editions in use.
  std::optional<std::string> sector;
  // A catalogue edition (= fiscal year). Absent: departments cycle over
  // every loaded edition (that has the department's sector).
  std::optional<int> year;
};

// Whether a department's budget can carry spending on functional code `code`
// of `catalogue`: a 项 (7 digits; or a 款 without 项) of the general, government-fund or
// state-capital budget, outside the 类 that only the government as a whole
// spends (227 预备费, 230 转移性支出, 231–233 债务还本/付息/发行费用) — those
// are in the 政府预算, never in a 部门预算. 社会保险基金 items (类 209) are
// excluded by their budget tag.
bool IsSpendableItem(const yusuan::ledger::Catalogue& catalogue, std::string_view code);

// Every 类 of `catalogue` with at least one spendable 项, in code order: the
// sectors departments cycle over.
std::vector<std::string> SpendableClasses(const yusuan::ledger::Catalogue& catalogue);

// The sectors SynthesizeDepartment cycles over for `options` (the union of
// SpendableClasses over the editions in use, or the one sector asked for),
// so that departments 0 … size()-1 cover every one of them. Fails like
// SynthesizeDepartment on a bad year or sector.
absl::StatusOr<std::vector<std::string>> SectorCycle(const yusuan::ledger::CatalogueSet& catalogues,
                                                     const SynthOptions& options);

// A run of departments: the catalogue editions in use, worked out once, and
// the sector cycle. Cheap to copy (shared, immutable); the CatalogueSet must
// outlive it.
class Synthesizer {
 public:
  // INVALID_ARGUMENT for a year that is not a loaded edition, or a sector
  // that is not a spendable 类 of the editions in use.
  static absl::StatusOr<Synthesizer> Create(const yusuan::ledger::CatalogueSet& catalogues,
                                            const SynthOptions& options);
  // Department number `index` (0, 1, …) of the run; INVALID_ARGUMENT for a
  // negative index. Identical to SynthesizeDepartment(catalogues, options, index).
  absl::StatusOr<yusuan::gateway::v1::Filing> Synthesize(int index) const;
  // The sectors departments cycle over (see SectorCycle).
  const std::vector<std::string>& sectors() const;

 private:
  struct State;
  explicit Synthesizer(std::shared_ptr<const State> state) : state_(std::move(state)) {}
  std::shared_ptr<const State> state_;
};

// Department number `index` (0, 1, …) of the run `options`. Department
// names, region/agency pairs and unit codes differ between indices of one
// run. INVALID_ARGUMENT for a negative index, a year that is not a loaded
// edition, or a sector that is not a spendable 类 of the editions in use.
absl::StatusOr<yusuan::gateway::v1::Filing> SynthesizeDepartment(const yusuan::ledger::CatalogueSet& catalogues,
                                                                 const SynthOptions& options, int index);

// The filing as one line of protobuf JSON (lowerCamelCase names, enums by
// name, int64 as strings, default values omitted — the mapping of
// data/samples/), without a trailing newline.
absl::StatusOr<std::string> FilingToJsonLine(const yusuan::gateway::v1::Filing& filing);

}  // namespace yusuan::synth

#endif  // YUSUAN_TOOLS_SYNTH_SYNTH_H_
