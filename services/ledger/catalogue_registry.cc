#include "services/ledger/catalogue_registry.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/errors.h"
#include "services/common/revisions.h"
#include "services/common/sha256.h"
#include "services/common/store_keys.h"
#include "services/ledger/domain/catalogue_import.h"
#include "yusuan/ledger/v1/ledger.pb.h"

namespace yusuan::ledger {
namespace {

std::string EditionKey(int edition) { return EncodeBigEndian32(static_cast<uint32_t>(edition)); }

std::string EditionList(const CatalogueSet& set) {
  std::vector<std::string> editions;
  for (int edition : set.editions()) editions.push_back(absl::StrCat(edition));
  return absl::StrJoin(editions, ", ");
}

bool Freezes(const v1::WorkflowState& state) {
  const v1::FilingStatus status = state.status();
  return status == v1::FILING_STATUS_SUBMITTED || status == v1::FILING_STATUS_APPROVED ||
         status == v1::FILING_STATUS_PUBLISHED || state.published_version() > 0;
}

const char* StatusName(const v1::WorkflowState& state) {
  switch (state.status()) {
    case v1::FILING_STATUS_SUBMITTED:
      return "已提交 SUBMITTED";
    case v1::FILING_STATUS_APPROVED:
      return "已审核 APPROVED";
    case v1::FILING_STATUS_PUBLISHED:
      return "已公开 PUBLISHED";
    default:
      return "已公开过 published before";
  }
}

}  // namespace

void CountCodes(const Catalogue& catalogue, v1::CatalogueEdition* about) {
  about->set_functional_count(static_cast<int32_t>(catalogue.FunctionalCodes().size()));
  about->set_economic_count(static_cast<int32_t>(catalogue.EconomicCodes().size()));
  about->set_government_economic_count(static_cast<int32_t>(catalogue.GovernmentEconomicCodes().size()));
}

absl::StatusOr<const Catalogue*> ServedCatalogues::Find(int edition) const {
  const Catalogue* catalogue = set.Find(edition);
  if (catalogue != nullptr) return catalogue;
  return WithReason(absl::NotFoundError(absl::StrCat(
                        "没有 ", edition, " 年版分类科目（现有 ", EditionList(set),
                        "）；可用 yusuan admin catalogue import --edition ", edition,
                        " FILE 导入 / no catalogue of edition ", edition, " (the ledger has ", EditionList(set),
                        "); an admin imports one with `yusuan admin catalogue import --edition ", edition, " FILE`")),
                    "CATALOGUE_NOT_FOUND");
}

int64_t ServedCatalogues::VersionOf(int edition) const {
  auto it = about.find(edition);
  return it == about.end() ? 0 : it->second.version();
}

CatalogueRegistry::CatalogueRegistry(Store* store, CatalogueSet shipped, std::string shipped_dir,
                                     std::string workflow_cf, std::string idempotency_cf,
                                     std::function<int64_t()> clock)
    : store_(store),
      shipped_(std::move(shipped)),
      shipped_dir_(std::move(shipped_dir)),
      workflow_cf_(std::move(workflow_cf)),
      idempotency_cf_(std::move(idempotency_cf)),
      clock_(std::move(clock)) {
  auto served = std::make_shared<ServedCatalogues>();
  served->set = shipped_;
  for (int edition : shipped_.editions()) served->about[edition] = AboutShipped(*shipped_.Find(edition));
  served_ = std::move(served);
}

v1::CatalogueEdition CatalogueRegistry::AboutShipped(const Catalogue& catalogue) const {
  v1::CatalogueEdition about;
  about.set_edition(catalogue.edition());
  about.set_version(0);
  about.set_origin(v1::CATALOGUE_ORIGIN_SHIPPED);
  about.set_based_on(catalogue.based_on());
  about.set_source_file(absl::StrCat(shipped_dir_, "/", catalogue.edition(), ".json"));
  CountCodes(catalogue, &about);
  return about;
}

absl::Status CatalogueRegistry::LoadStored() {
  std::vector<std::pair<int, int64_t>> heads;
  absl::Status scanned = store_->Scan(kCatalogueHeadsCf, "", "", [&](std::string_view key, std::string_view value) {
    if (key.size() == 4 && value.size() == 8) {
      heads.emplace_back(static_cast<int>(DecodeBigEndian32(key)), static_cast<int64_t>(DecodeBigEndian64(value)));
    }
    return true;
  });
  if (!scanned.ok()) return scanned;
  for (const auto& [edition, version] : heads) {
    absl::StatusOr<std::pair<Catalogue, v1::CatalogueEdition>> loaded = LoadVersion(edition, version);
    if (!loaded.ok()) return loaded.status();
    Serve(std::move(loaded->first), loaded->second);
  }
  return absl::OkStatus();
}

std::shared_ptr<const ServedCatalogues> CatalogueRegistry::Snapshot() const {
  MutexLock lock(&mu_);
  return served_;
}

absl::StatusOr<std::pair<Catalogue, v1::CatalogueEdition>> CatalogueRegistry::LoadVersion(int edition,
                                                                                          int64_t version) const {
  auto bytes =
      store_->Get(kCatalogueVersionsCf, EditionKey(edition) + EncodeBigEndian64(static_cast<uint64_t>(version)));
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) {
    return WithReason(absl::NotFoundError(absl::StrCat("没有 ", edition, " 年版分类科目的第 ", version,
                                                       " 版 / edition ", edition, " has no stored version ", version,
                                                       "; GET /v1/catalogues lists the versions")),
                      "CATALOGUE_NOT_FOUND");
  }
  v1::StoredCatalogue stored;
  if (!stored.ParseFromString(**bytes)) {
    return absl::DataLossError(absl::StrCat("stored catalogue ", edition, " version ", version, " is unreadable"));
  }
  absl::StatusOr<Catalogue> catalogue = Catalogue::LoadFromJson(
      stored.catalogue_json(), absl::StrCat("stored catalogue ", edition, " version ", version));
  if (!catalogue.ok()) return catalogue.status();
  return std::make_pair(*std::move(catalogue), stored.about());
}

void CatalogueRegistry::Serve(Catalogue catalogue, const v1::CatalogueEdition& about) {
  MutexLock lock(&mu_);
  auto next = std::make_shared<ServedCatalogues>(*served_);
  next->set.Put(std::move(catalogue));
  v1::CatalogueEdition& entry = next->about[about.edition()];
  entry = about;
  entry.set_stored_versions(about.version());
  served_ = std::move(next);
}

absl::StatusOr<int64_t> CatalogueRegistry::StoredVersion(Store::Txn& txn, int edition) {
  auto head = txn.Get(kCatalogueHeadsCf, EditionKey(edition));
  if (!head.ok()) return head.status();
  if (!head->has_value() || (*head)->size() != 8) return 0;
  return static_cast<int64_t>(DecodeBigEndian64(**head));
}

void CatalogueRegistry::Import(const v1::ImportCatalogueRequest& request,
                               std::function<void(absl::StatusOr<v1::CatalogueEdition>)> done) {
  const int edition = request.edition();
  if (edition < 1900 || edition > 2999) {
    done(absl::InvalidArgumentError(absl::StrCat("edition 应为年度，如 2021，而不是 ", edition,
                                                 " / edition must be a year such as 2021, not ", edition)));
    return;
  }
  const std::string file_name = request.file_name().empty() ? absl::StrCat(edition, " catalogue") : request.file_name();
  // The tags of 项 the file does not tag: the shipped edition of that year,
  // else the latest shipped one before it.
  const Catalogue* reference = shipped_.Find(edition);
  if (reference == nullptr) {
    const std::vector<int> editions = shipped_.editions();  // ascending
    for (int e : editions) {
      if (e < edition) reference = shipped_.Find(e);
    }
    if (reference == nullptr && !editions.empty()) reference = shipped_.Find(editions.front());
  }
  CatalogueImportOptions options;
  options.edition = edition;
  options.file_name = file_name;
  options.reference = reference;
  absl::StatusOr<Catalogue> parsed = ImportCatalogueFile(request.content(), options);
  if (!parsed.ok()) {
    done(WithReason(parsed.status(), "CATALOGUE_FILE_INVALID"));
    return;
  }
  v1::CatalogueEdition about;
  about.set_edition(edition);
  about.set_origin(v1::CATALOGUE_ORIGIN_STORED);
  about.set_source_file(file_name);
  about.set_sha256_hex(Sha256Hex(request.content()));
  about.set_imported_by(request.imported_by());
  CountCodes(*parsed, &about);
  auto catalogue = std::make_shared<Catalogue>(*std::move(parsed));
  const std::string json = catalogue->ToJson(absl::StrCat("imported from ", file_name));
  const std::string fingerprint = RequestFingerprint(request);
  const std::string request_id = request.request_id();
  auto answer = std::make_shared<v1::CatalogueEdition>();
  auto replayed = std::make_shared<bool>(false);
  store_->Submit(
      [this, edition, about, json, fingerprint, request_id, answer, replayed](Store::Txn& txn) -> absl::Status {
        auto seen = ReplayIfSeen(txn, idempotency_cf_, "ImportCatalogue", absl::StrCat("catalogues/", edition),
                                 request_id, fingerprint, clock_(), answer.get());
        if (!seen.ok()) return seen.status();
        if (*seen) {
          *replayed = true;
          return absl::OkStatus();
        }
        // Immutable once used: no budget of this year under review or published.
        absl::Status in_use = absl::OkStatus();
        absl::Status scanned = txn.Scan(workflow_cf_, "", [&](std::string_view key, std::string_view value) {
          if (key.size() < 6 || static_cast<int>(DecodeBigEndian32(key.substr(key.size() - 4))) != edition) return true;
          v1::WorkflowState state;
          if (!state.ParseFromArray(value.data(), static_cast<int>(value.size())) || !Freezes(state)) return true;
          const std::string_view path = key.substr(0, key.size() - 5);  // {region}/{agency}
          const size_t slash = path.find('/');
          const std::string budget = slash == std::string_view::npos
                                         ? std::string(path)
                                         : absl::StrCat("regions/", std::string(path.substr(0, slash)), "/departments/",
                                                        std::string(path.substr(slash + 1)), "/budgets/", edition);
          in_use = WithReason(absl::FailedPreconditionError(absl::StrCat(
                                  edition, " 年版分类科目已被", StatusName(state), "的预算 ", budget,
                                  " 使用，不能再导入新版本 / edition ", edition, " is used by ", budget, ", which is ",
                                  StatusName(state),
                                  ": an edition a submitted or published budget uses no longer changes. "
                                  "Import corrections as the next year's edition, or return the budget first")),
                              "CATALOGUE_IN_USE");
          return false;
        });
        if (!scanned.ok()) return scanned;
        if (!in_use.ok()) return in_use;
        absl::StatusOr<int64_t> current = StoredVersion(txn, edition);
        if (!current.ok()) return current.status();
        v1::StoredCatalogue stored;
        *stored.mutable_about() = about;
        stored.mutable_about()->set_version(*current + 1);
        stored.mutable_about()->set_import_time_unix_ms(clock_());
        stored.mutable_about()->set_stored_versions(*current + 1);
        stored.set_catalogue_json(json);
        txn.Put(kCatalogueVersionsCf, EditionKey(edition) + EncodeBigEndian64(static_cast<uint64_t>(*current + 1)),
                stored.SerializeAsString());
        txn.Put(kCatalogueHeadsCf, EditionKey(edition), EncodeBigEndian64(static_cast<uint64_t>(*current + 1)));
        *answer = stored.about();
        RememberAnswer(txn, idempotency_cf_, "ImportCatalogue", absl::StrCat("catalogues/", edition), request_id,
                       fingerprint, clock_(), *answer);
        return absl::OkStatus();
      },
      [this, catalogue, answer, replayed, done = std::move(done)](absl::Status status) {
        if (!status.ok()) return done(status);
        // Durable now: serve it. A replayed answer is served already.
        if (!*replayed) Serve(*catalogue, *answer);
        done(*answer);
      });
}

}  // namespace yusuan::ledger
