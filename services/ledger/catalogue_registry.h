// The classification catalogues the ledger serves: the shipped files of
// --catalogue_dir (the default editions) overlaid by the editions an
// operator imported, which are stored versioned in RocksDB and override the
// shipped file of the same edition, also after a restart. A thin adapter:
// parsing is domain/catalogue_import.h, the views domain/catalogue.h.
#ifndef YUSUAN_SERVICES_LEDGER_CATALOGUE_REGISTRY_H_
#define YUSUAN_SERVICES_LEDGER_CATALOGUE_REGISTRY_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/mutex.h"
#include "services/common/revisions.h"
#include "services/common/store.h"
#include "services/ledger/domain/catalogue.h"
#include "yusuan/ledger/v1/ledger_service.pb.h"

namespace yusuan::ledger {

// Column families. Keys: big-endian 32-bit edition (+ big-endian 64-bit
// version), so that editions and their versions sort numerically.
inline constexpr char kCatalogueHeadsCf[] = "catalogue_heads";        // edition → latest version
inline constexpr char kCatalogueVersionsCf[] = "catalogue_versions";  // edition + version → StoredCatalogue

// What one call sees: the editions and, for each, which version it is.
struct ServedCatalogues {
  CatalogueSet set;
  std::map<int, v1::CatalogueEdition> about;

  // NOT_FOUND naming the edition and the editions there are.
  absl::StatusOr<const Catalogue*> Find(int edition) const;
  // The version served for `edition` (0: the shipped file or none).
  int64_t VersionOf(int edition) const;
};

class CatalogueRegistry {
 public:
  // `workflow_cf` holds each budget's WorkflowState under
  // {region}/{agency}/{big-endian year}: an edition whose year has a budget
  // under review or published is not replaced. `clock` (Unix milliseconds)
  // stamps each import; tests fix it.
  CatalogueRegistry(Store* store, CatalogueSet shipped, std::string shipped_dir, std::string workflow_cf,
                    std::string idempotency_cf, std::function<int64_t()> clock = NowUnixMillis);

  // Serves the latest stored version of every stored edition instead of the
  // shipped file. Called once at start.
  absl::Status LoadStored();

  // A consistent view for one call (the set and the versions together).
  std::shared_ptr<const ServedCatalogues> Snapshot() const;

  // Stored version `version` (≥ 1) of `edition`, whether served or not.
  absl::StatusOr<std::pair<Catalogue, v1::CatalogueEdition>> LoadVersion(int edition, int64_t version) const;

  // Parses the file (on the calling thread), then stores it as the next
  // version of its edition unless a budget of that year is SUBMITTED,
  // APPROVED or PUBLISHED or was ever published (FAILED_PRECONDITION,
  // reason CATALOGUE_IN_USE, naming the budget). `done` runs on the store's
  // writer thread once the version is durable and served.
  void Import(const v1::ImportCatalogueRequest& request,
              std::function<void(absl::StatusOr<v1::CatalogueEdition>)> done);

  // Inside a mutation: the latest stored version of `edition` (0: none).
  static absl::StatusOr<int64_t> StoredVersion(Store::Txn& txn, int edition);

 private:
  v1::CatalogueEdition AboutShipped(const Catalogue& catalogue) const;
  void Serve(Catalogue catalogue, const v1::CatalogueEdition& about);

  Store* store_;
  const CatalogueSet shipped_;
  const std::string shipped_dir_;
  const std::string workflow_cf_;
  const std::string idempotency_cf_;
  const std::function<int64_t()> clock_;
  mutable Mutex mu_;
  std::shared_ptr<const ServedCatalogues> served_ ABSL_GUARDED_BY(mu_);
};

// Counts of a catalogue's codes into `about`.
void CountCodes(const Catalogue& catalogue, v1::CatalogueEdition* about);

}  // namespace yusuan::ledger

#endif  // YUSUAN_SERVICES_LEDGER_CATALOGUE_REGISTRY_H_
