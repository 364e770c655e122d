// The classification catalogue of one edition (《{edition}年政府收支分类科目》):
// the code → name tables that every table row and narrative name comes from.
// Files are described in data/catalogue/README.md.
#ifndef YUSUAN_SERVICES_LEDGER_DOMAIN_CATALOGUE_H_
#define YUSUAN_SERVICES_LEDGER_DOMAIN_CATALOGUE_H_

#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "yusuan/ledger/v1/ledger_service.pb.h"

namespace yusuan::ledger {

class Catalogue {
 public:
  // Reads and checks one `<edition>.json`. Errors name the file and say what
  // is wrong (unreadable, not JSON, a bad code, a duplicate, a missing parent).
  static absl::StatusOr<Catalogue> LoadFromFile(const std::string& path);
  // Same checks on JSON text; `origin` names the text in error messages.
  static absl::StatusOr<Catalogue> LoadFromJson(std::string_view json,
                                                const std::string& origin = "catalogue JSON");

  int edition() const { return edition_; }

  // The name of a functional code (类 3, 款 5 or 项 7 digits), or nullptr.
  const std::string* FunctionalName(std::string_view code) const;
  // The name of an economic code (类 3 or 款 5 digits), or nullptr.
  const std::string* EconomicName(std::string_view code) const;

  // Any level.
  bool IsKnownFunctional(std::string_view code) const { return FunctionalName(code) != nullptr; }
  bool IsKnownEconomic(std::string_view code) const { return EconomicName(code) != nullptr; }

  // Only the level an expenditure line must use: functional 项 (7 digits),
  // economic 款 (5 digits).
  bool IsFunctionalItem(std::string_view code) const {
    return code.size() == 7 && IsKnownFunctional(code);
  }
  bool IsEconomicItem(std::string_view code) const {
    return code.size() == 5 && IsKnownEconomic(code);
  }

  // Whether the file lists the 项 that may carry project spending, and
  // whether `code` is one of them.
  bool has_project_capable() const { return !project_capable_.empty(); }
  bool IsProjectCapable(std::string_view code) const {
    return project_capable_.find(code) != project_capable_.end();
  }

  // Functional entries, then economic ones, each in code order.
  yusuan::ledger::v1::Catalogue ToProto() const;

 private:
  using NameMap = std::map<std::string, std::string, std::less<>>;

  int edition_ = 0;
  NameMap functional_;
  NameMap economic_;
  std::set<std::string, std::less<>> project_capable_;
};

// The catalogues of every edition the service knows.
class CatalogueSet {
 public:
  // Reads every `<edition>.json` (four digits) in `dir`; other files are
  // ignored. Fails when the directory is unreadable, holds no catalogue, a
  // file fails to load, or a file's "edition" differs from its name.
  static absl::StatusOr<CatalogueSet> LoadFromDirectory(const std::string& dir);

  // Adds one edition; fails when that edition is already present.
  absl::Status Add(Catalogue catalogue);

  // nullptr when the edition is not loaded.
  const Catalogue* Find(int edition) const;
  std::vector<int> editions() const;

 private:
  std::map<int, Catalogue> by_edition_;
};

}  // namespace yusuan::ledger

#endif  // YUSUAN_SERVICES_LEDGER_DOMAIN_CATALOGUE_H_
