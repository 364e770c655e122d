// The classification catalogue of one edition (《{edition}年政府收支分类科目》):
// the code → name tables that every table row and narrative name comes from,
// which budget each functional code belongs to, the 政府预算支出经济分类 and its
// mapping, and what changed from the edition it was derived from.
// Files are described in data/catalogue/README.md.
#ifndef YUSUAN_SERVICES_LEDGER_DOMAIN_CATALOGUE_H_
#define YUSUAN_SERVICES_LEDGER_DOMAIN_CATALOGUE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "nlohmann/json_fwd.hpp"
#include "yusuan/ledger/v1/catalogue.pb.h"
#include "yusuan/ledger/v1/ledger.pb.h"

namespace yusuan::ledger {

// A set of budgets (一般公共预算, 政府性基金预算, …) as bits of v1::BudgetKind.
class BudgetSet {
 public:
  BudgetSet() = default;
  static BudgetSet Of(yusuan::ledger::v1::BudgetKind kind) {
    BudgetSet s;
    s.Add(kind);
    return s;
  }
  void Add(yusuan::ledger::v1::BudgetKind kind) { bits_ |= Bit(kind); }
  void Add(BudgetSet other) { bits_ |= other.bits_; }
  bool Contains(yusuan::ledger::v1::BudgetKind kind) const { return (bits_ & Bit(kind)) != 0; }
  bool empty() const { return bits_ == 0; }
  bool operator==(const BudgetSet& other) const { return bits_ == other.bits_; }
  // The kinds in enum order.
  std::vector<yusuan::ledger::v1::BudgetKind> kinds() const;

 private:
  static uint8_t Bit(yusuan::ledger::v1::BudgetKind kind) { return static_cast<uint8_t>(1u << kind); }
  uint8_t bits_ = 0;
};

// The budget a fund source's spending belongs to: the three fiscal sources
// their own; every non-fiscal source (事业收入, 其他收入, 财政专户 …) is
// classified with the general budget's codes.
yusuan::ledger::v1::BudgetKind BudgetOfSource(yusuan::ledger::v1::FundSource source);
// "一般公共预算", "政府性基金预算", …; "general", "fund", … in files.
std::string BudgetKindName(yusuan::ledger::v1::BudgetKind kind);
std::string BudgetKindFileName(yusuan::ledger::v1::BudgetKind kind);
// "一般公共预算、政府性基金预算".
std::string BudgetSetName(BudgetSet set);

// One code of one classification with its name (and, functional 项, budgets).
struct CatalogueCode {
  std::string code;
  std::string name;
  BudgetSet budgets;  // functional codes only; a 类/款: the union of its 项
};

// A 部门预算 economic 款 → 政府预算 款 correspondence; empty unit_types: all.
struct EconomicMapping {
  std::string department_code;
  std::string government_code;
  std::vector<yusuan::ledger::v1::UnitType> unit_types;
};

// How a code left the edition an edition was derived from.
struct RetiredCode {
  yusuan::ledger::v1::CodeKind kind = yusuan::ledger::v1::CODE_KIND_UNSPECIFIED;
  std::string code;
  std::string name;                     // in the earlier edition
  std::vector<std::string> successors;  // codes of this edition that take over
};

class Catalogue {
 public:
  // Reads and checks one full `<edition>.json`. Errors name the file and say
  // what is wrong (unreadable, not JSON, a bad code, a duplicate, a missing
  // parent, an unknown budget). A file derived from another edition
  // ("based_on") needs that edition: load it through CatalogueSet.
  static absl::StatusOr<Catalogue> LoadFromFile(const std::string& path);
  // Same checks on JSON text; `origin` names the text in error messages.
  // `base` is the edition a delta file is "based_on" (nullptr: none known).
  static absl::StatusOr<Catalogue> LoadFromJson(std::string_view json, const std::string& origin = "catalogue JSON",
                                                const Catalogue* base = nullptr);

  int edition() const { return edition_; }
  // The edition this one was derived from (0: a full file).
  int based_on() const { return based_on_; }

  // The name of a functional code (类 3, 款 5 or 项 7 digits), or nullptr.
  const std::string* FunctionalName(std::string_view code) const;
  // The name of an economic code (类 3 or 款 5 digits), or nullptr.
  const std::string* EconomicName(std::string_view code) const;
  // The name of a 政府预算支出经济分类 code (类 3 or 款 5 digits), or nullptr.
  const std::string* GovernmentEconomicName(std::string_view code) const;

  // Any level.
  bool IsKnownFunctional(std::string_view code) const { return FunctionalName(code) != nullptr; }
  bool IsKnownEconomic(std::string_view code) const { return EconomicName(code) != nullptr; }

  // Only the level an expenditure line must use: functional 项 (7 digits)
  // or a 款 that has no 项 (the 款 of 219 援助其他地区支出 are the lowest
  // level of their 类), economic 款 (5 digits).
  bool IsFunctionalItem(std::string_view code) const;
  bool IsEconomicItem(std::string_view code) const { return code.size() == 5 && IsKnownEconomic(code); }

  // The budgets a functional code belongs to (empty when unknown). A 类 or 款
  // belongs to every budget one of its 项 belongs to.
  BudgetSet FunctionalBudgets(std::string_view code) const;

  // A 项 for running an office (行政运行, 机构运行, …), which carries basic
  // spending, not projects (rule R-T2-5): named so in the catalogue.
  bool IsOperationsItem(std::string_view code) const;

  // Whether the file lists the 项 that may carry project spending, and
  // whether `code` is one of them.
  bool has_project_capable() const { return !project_capable_.empty(); }
  bool IsProjectCapable(std::string_view code) const { return project_capable_.find(code) != project_capable_.end(); }

  // Every code of a classification in code order (类, its 款, their 项 …).
  std::vector<CatalogueCode> FunctionalCodes() const;
  std::vector<CatalogueCode> EconomicCodes() const;
  std::vector<CatalogueCode> GovernmentEconomicCodes() const;
  // The functional codes under `parent` one level down (a 类's 款, a 款's 项).
  std::vector<CatalogueCode> FunctionalChildren(std::string_view parent) const;

  // The 政府预算 款 a 部门预算 款 maps to for a unit of `unit_type` (empty
  // when the catalogue has no mapping for it).
  std::vector<std::string> GovernmentEconomicFor(std::string_view department_code,
                                                 yusuan::ledger::v1::UnitType unit_type) const;
  const std::vector<EconomicMapping>& economic_mapping() const { return economic_mapping_; }

  // Codes of the based_on edition that this edition retired.
  const std::vector<RetiredCode>& retired() const { return retired_; }

  // Functional entries, then economic ones, then 政府预算 ones, each in code order.
  yusuan::ledger::v1::Catalogue ToProto() const;

  // The edition as a full file of data/catalogue/README.md's format (every
  // code, budgets, the mapping, project_capable; no "based_on"):
  // LoadFromJson of it gives the same catalogue. This is how the ledger
  // stores an imported edition.
  std::string ToJson(std::string_view note = "") const;

 private:
  struct FunctionalEntry {
    std::string name;
    BudgetSet budgets;  // 项: as the file says; 类/款: filled from the 项
  };
  using NameMap = std::map<std::string, std::string, std::less<>>;
  using FunctionalMap = std::map<std::string, FunctionalEntry, std::less<>>;

  absl::Status ApplyChanges(const nlohmann::json& changes, const std::string& origin);
  absl::Status Finish(const std::string& origin);

  int edition_ = 0;
  int based_on_ = 0;
  FunctionalMap functional_;
  NameMap economic_;
  NameMap government_economic_;
  std::vector<EconomicMapping> economic_mapping_;
  std::set<std::string, std::less<>> project_capable_;
  std::vector<RetiredCode> retired_;
};

// What differs between two editions, for `yusuan catalogue diff`.
struct CatalogueChange {
  enum class Kind { kAdded, kRetired, kRenamed, kRetagged };
  Kind change = Kind::kAdded;
  yusuan::ledger::v1::CodeKind code_kind = yusuan::ledger::v1::CODE_KIND_UNSPECIFIED;
  std::string code;
  std::string before;                   // name (renamed, retired) or budgets (retagged)
  std::string after;                    // name (added, renamed) or budgets (retagged)
  std::vector<std::string> successors;  // retired, when `to` names them
};
// Every code added, retired, renamed or moved to another budget from `from`
// to `to`, in code order per classification.
std::vector<CatalogueChange> DiffCatalogues(const Catalogue& from, const Catalogue& to);

// The classification a code belongs to by its first digit: 2 支出功能分类,
// 3 部门预算经济分类, 5 政府预算经济分类; UNSPECIFIED otherwise.
yusuan::ledger::v1::CodeKind CodeKindOf(std::string_view code);

// One code of `catalogue` with its level, budgets, parent chain (类 first)
// and children. INVALID_ARGUMENT for a code that is not 3/5/7 digits of a
// known classification; NOT_FOUND naming the edition and the code, and where
// the codes are listed, when the edition lacks it.
absl::StatusOr<yusuan::ledger::v1::CatalogueCodeDetail> DescribeCatalogueCode(const Catalogue& catalogue,
                                                                              std::string_view code);

// DiffCatalogues as the wire message.
yusuan::ledger::v1::CatalogueDiff CatalogueDiffToProto(const Catalogue& from, const Catalogue& to);

// The catalogues of every edition the service knows.
class CatalogueSet {
 public:
  // Reads every `<edition>.json` (four digits) in `dir`; other files are
  // ignored. A file "based_on" another edition is applied to it, so the
  // files may come in any order. Fails when the directory is unreadable,
  // holds no catalogue, a file fails to load, a file's "edition" differs from
  // its name, or a file is based on an edition that is not there.
  static absl::StatusOr<CatalogueSet> LoadFromDirectory(const std::string& dir);

  // Adds one edition; fails when that edition is already present.
  absl::Status Add(Catalogue catalogue);
  // Adds or replaces one edition (an imported edition overrides the shipped
  // file). Editions derived from it are not re-derived.
  void Put(Catalogue catalogue);

  // nullptr when the edition is not loaded.
  const Catalogue* Find(int edition) const;
  std::vector<int> editions() const;

 private:
  std::map<int, Catalogue> by_edition_;
};

}  // namespace yusuan::ledger

#endif  // YUSUAN_SERVICES_LEDGER_DOMAIN_CATALOGUE_H_
