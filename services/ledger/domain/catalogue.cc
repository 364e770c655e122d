#include "services/ledger/domain/catalogue.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "nlohmann/json.hpp"
#include "services/common/utf8.h"

namespace yusuan::ledger {
namespace {

namespace v1 = yusuan::ledger::v1;
using Json = nlohmann::json;

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool HasLength(std::string_view code, const std::vector<size_t>& lengths) {
  return std::find(lengths.begin(), lengths.end(), code.size()) != lengths.end();
}

std::string Lengths(const std::vector<size_t>& lengths) {
  std::string out;
  for (size_t n : lengths) absl::StrAppend(&out, out.empty() ? "" : "/", n);
  return out;
}

const std::vector<size_t>& LengthsOf(v1::CodeKind kind) {
  static const std::vector<size_t> kFunctional = {3, 5, 7};
  static const std::vector<size_t> kEconomic = {3, 5};
  return kind == v1::CODE_KIND_FUNCTIONAL ? kFunctional : kEconomic;
}

// The file's spelling of each budget ("general", "fund", …).
constexpr struct {
  const char* file_name;
  v1::BudgetKind kind;
  const char* name;
} kBudgetNames[] = {
    {"general", v1::BUDGET_KIND_GENERAL, "一般公共预算"},
    {"fund", v1::BUDGET_KIND_GOVERNMENT_FUND, "政府性基金预算"},
    {"capital", v1::BUDGET_KIND_STATE_CAPITAL, "国有资本经营预算"},
    {"social_insurance", v1::BUDGET_KIND_SOCIAL_INSURANCE, "社会保险基金预算"},
};

constexpr struct {
  const char* file_name;
  v1::UnitType type;
} kUnitTypeNames[] = {
    {"administrative", v1::UNIT_TYPE_ADMINISTRATIVE},
    {"civil_servant_managed", v1::UNIT_TYPE_CIVIL_SERVANT_MANAGED_INSTITUTION},
    {"public_institution", v1::UNIT_TYPE_PUBLIC_INSTITUTION},
    {"other", v1::UNIT_TYPE_OTHER},
};

// Reads a "budgets" array such as ["general"] into `out`.
absl::Status ReadBudgets(const Json& value, const std::string& where, BudgetSet* out) {
  if (!value.is_array() || value.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ".budgets must be a non-empty array of \"general\", \"fund\", \"capital\", \"social_insurance\""));
  }
  for (const Json& item : value) {
    bool known = false;
    if (item.is_string()) {
      for (const auto& b : kBudgetNames) {
        if (item.get<std::string>() == b.file_name) {
          out->Add(b.kind);
          known = true;
        }
      }
    }
    if (!known) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".budgets holds ", item.dump(),
                       "; the budgets are \"general\", \"fund\", \"capital\" and \"social_insurance\""));
    }
  }
  return absl::OkStatus();
}

// Reads and checks {"code", "name"} of one entry.
absl::Status ReadCodeAndName(const Json& entry, const std::string& where, const std::vector<size_t>& lengths,
                             std::string* code, std::string* name, bool name_required = true) {
  if (!entry.is_object()) return absl::InvalidArgumentError(absl::StrCat(where, " is not an object"));
  auto code_it = entry.find("code");
  if (code_it == entry.end() || !code_it->is_string()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ".code is missing or not a string"));
  }
  *code = code_it->get<std::string>();
  if (!IsValidUtf8(*code) || !AllDigits(*code) || !HasLength(*code, lengths)) {
    return absl::InvalidArgumentError(absl::StrCat(where, ".code must be ", Lengths(lengths), " digits, got \"",
                                                   IsValidUtf8(*code) ? *code : "(invalid UTF-8)", "\""));
  }
  auto name_it = entry.find("name");
  if (name_it == entry.end()) {
    if (!name_required) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat(where, ".name is missing"));
  }
  if (!name_it->is_string()) return absl::InvalidArgumentError(absl::StrCat(where, ".name is not a string"));
  *name = name_it->get<std::string>();
  if (name->empty() || !IsValidUtf8(*name)) {
    return absl::InvalidArgumentError(absl::StrCat(where, ".name of code ", *code, " is empty or not UTF-8"));
  }
  return absl::OkStatus();
}

// Checks that every 款/项 has its parent, so that a table row can always be named.
template <typename Map>
absl::Status CheckParents(const Map& codes, const std::string& origin, const char* key) {
  for (const auto& [code, entry] : codes) {
    if (code.size() <= 3) continue;
    const std::string parent = code.substr(0, code.size() - 2);
    if (codes.find(parent) == codes.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat(origin, ": ", key, " code ", code, " has no parent ", parent, " in the file"));
    }
  }
  return absl::OkStatus();
}

const char* KindKey(v1::CodeKind kind) {
  switch (kind) {
    case v1::CODE_KIND_FUNCTIONAL:
      return "functional";
    case v1::CODE_KIND_ECONOMIC:
      return "economic";
    case v1::CODE_KIND_GOVERNMENT_ECONOMIC:
      return "government_economic";
    default:
      return "";
  }
}

absl::StatusOr<v1::CodeKind> ReadKind(const Json& change, const std::string& where) {
  auto it = change.find("kind");
  if (it != change.end() && it->is_string()) {
    for (v1::CodeKind kind : {v1::CODE_KIND_FUNCTIONAL, v1::CODE_KIND_ECONOMIC, v1::CODE_KIND_GOVERNMENT_ECONOMIC}) {
      if (it->get<std::string>() == KindKey(kind)) return kind;
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat(where, ".kind must be \"functional\", \"economic\" or \"government_economic\""));
}

std::string Digits(std::string_view code) { return std::string(code); }

// A key the format does not define is refused: a misspelt "budget" would
// otherwise silently leave a fund code in the general budget.
absl::Status OnlyKnownKeys(const Json& object, std::initializer_list<const char*> keys, const std::string& where) {
  for (const auto& item : object.items()) {
    const std::string& key = item.key();
    if (std::find_if(keys.begin(), keys.end(), [&](const char* k) { return key == k; }) != keys.end()) continue;
    std::string known;
    for (const char* k : keys) absl::StrAppend(&known, known.empty() ? "" : ", ", "\"", k, "\"");
    return absl::InvalidArgumentError(absl::StrCat(where, " has the unknown key \"", key, "\"; the keys are ", known));
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<v1::BudgetKind> BudgetSet::kinds() const {
  std::vector<v1::BudgetKind> out;
  for (const auto& b : kBudgetNames) {
    if (Contains(b.kind)) out.push_back(b.kind);
  }
  return out;
}

v1::BudgetKind BudgetOfSource(v1::FundSource source) {
  switch (source) {
    case v1::FUND_SOURCE_GOVERNMENT_FUND_BUDGET:
      return v1::BUDGET_KIND_GOVERNMENT_FUND;
    case v1::FUND_SOURCE_STATE_CAPITAL_BUDGET:
      return v1::BUDGET_KIND_STATE_CAPITAL;
    default:
      return v1::BUDGET_KIND_GENERAL;
  }
}

std::string BudgetKindName(v1::BudgetKind kind) {
  for (const auto& b : kBudgetNames) {
    if (b.kind == kind) return b.name;
  }
  return "";
}

std::string BudgetKindFileName(v1::BudgetKind kind) {
  for (const auto& b : kBudgetNames) {
    if (b.kind == kind) return b.file_name;
  }
  return "";
}

std::string BudgetSetName(BudgetSet set) {
  std::vector<std::string> names;
  for (v1::BudgetKind kind : set.kinds()) names.push_back(BudgetKindName(kind));
  return absl::StrJoin(names, "、");
}

absl::StatusOr<Catalogue> Catalogue::LoadFromFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("catalogue file ", path, ": cannot be opened"));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return absl::DataLossError(absl::StrCat("catalogue file ", path, ": read error"));
  return LoadFromJson(text.str(), absl::StrCat("catalogue file ", path));
}

absl::StatusOr<Catalogue> Catalogue::LoadFromJson(std::string_view json, const std::string& origin,
                                                  const Catalogue* base) {
  if (!IsValidUtf8(json)) {
    return absl::InvalidArgumentError(absl::StrCat(origin, ": not valid UTF-8"));
  }
  const Json doc = Json::parse(json.begin(), json.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return absl::InvalidArgumentError(absl::StrCat(origin, ": not valid JSON"));
  if (!doc.is_object()) return absl::InvalidArgumentError(absl::StrCat(origin, ": not a JSON object"));

  auto year = [&](const char* key) -> absl::StatusOr<int> {
    auto it = doc.find(key);
    if (it == doc.end() || !it->is_number_integer() || it->get<int64_t>() < 1900 || it->get<int64_t>() > 2999) {
      return absl::InvalidArgumentError(absl::StrCat(origin, ": \"", key, "\" must be a year such as 2021"));
    }
    return static_cast<int>(it->get<int64_t>());
  };
  absl::StatusOr<int> edition = year("edition");
  if (!edition.ok()) return edition.status();
  if (absl::Status s = OnlyKnownKeys(doc,
                                     {"edition", "based_on", "note", "changes", "functional", "economic",
                                      "government_economic", "economic_mapping", "project_capable"},
                                     origin);
      !s.ok()) {
    return s;
  }

  Catalogue catalogue;
  if (doc.contains("based_on")) {
    absl::StatusOr<int> based_on = year("based_on");
    if (!based_on.ok()) return based_on.status();
    if (base == nullptr || base->edition() != *based_on) {
      return absl::FailedPreconditionError(
          absl::StrCat(origin, ": edition ", *edition, " is based on edition ", *based_on, ", which is not loaded"));
    }
    for (const char* key : {"functional", "economic", "government_economic", "economic_mapping"}) {
      if (doc.contains(key)) {
        return absl::InvalidArgumentError(
            absl::StrCat(origin, ": a file based on another edition lists \"changes\", not \"", key, "\""));
      }
    }
    catalogue = *base;
    catalogue.based_on_ = *based_on;
    catalogue.retired_.clear();
    auto changes = doc.find("changes");
    if (changes == doc.end() || !changes->is_array()) {
      return absl::InvalidArgumentError(absl::StrCat(origin, ": \"changes\" is missing or not an array"));
    }
    catalogue.edition_ = *edition;
    if (absl::Status s = catalogue.ApplyChanges(*changes, origin); !s.ok()) return s;
  } else {
    catalogue.edition_ = *edition;
    auto read_list = [&](const char* key, v1::CodeKind kind, bool required) -> absl::Status {
      auto it = doc.find(key);
      if (it == doc.end() && !required) return absl::OkStatus();
      if (it == doc.end() || !it->is_array()) {
        return absl::InvalidArgumentError(absl::StrCat(origin, ": \"", key, "\" is missing or not an array"));
      }
      for (size_t i = 0; i < it->size(); ++i) {
        const Json& entry = (*it)[i];
        const std::string where = absl::StrCat(origin, ": ", key, "[", i, "]");
        std::string code, name;
        if (absl::Status s = ReadCodeAndName(entry, where, LengthsOf(kind), &code, &name); !s.ok()) return s;
        if (absl::Status s = OnlyKnownKeys(entry, {"code", "name", "budgets", "note"}, where); !s.ok()) return s;
        bool inserted = false;
        if (kind == v1::CODE_KIND_FUNCTIONAL) {
          FunctionalEntry value{name, {}};
          if (auto b = entry.find("budgets"); b != entry.end()) {
            if (absl::Status s = ReadBudgets(*b, where, &value.budgets); !s.ok()) return s;
          }
          inserted = catalogue.functional_.emplace(code, std::move(value)).second;
        } else if (kind == v1::CODE_KIND_ECONOMIC) {
          inserted = catalogue.economic_.emplace(code, name).second;
        } else {
          inserted = catalogue.government_economic_.emplace(code, name).second;
        }
        if (!inserted) return absl::InvalidArgumentError(absl::StrCat(where, ": duplicate ", key, " code ", code));
      }
      return absl::OkStatus();
    };
    if (absl::Status s = read_list("functional", v1::CODE_KIND_FUNCTIONAL, true); !s.ok()) return s;
    if (absl::Status s = read_list("economic", v1::CODE_KIND_ECONOMIC, true); !s.ok()) return s;
    if (absl::Status s = read_list("government_economic", v1::CODE_KIND_GOVERNMENT_ECONOMIC, false); !s.ok()) {
      return s;
    }
    if (auto mapping = doc.find("economic_mapping"); mapping != doc.end()) {
      if (!mapping->is_array()) {
        return absl::InvalidArgumentError(absl::StrCat(origin, ": \"economic_mapping\" must be an array"));
      }
      for (size_t i = 0; i < mapping->size(); ++i) {
        const Json& m = (*mapping)[i];
        const std::string where = absl::StrCat(origin, ": economic_mapping[", i, "]");
        if (!m.is_object() || !m.contains("department") || !m["department"].is_string() || !m.contains("government") ||
            !m["government"].is_string()) {
          return absl::InvalidArgumentError(
              absl::StrCat(where, " must be {\"department\": \"30101\", \"government\": \"50101\"}"));
        }
        if (absl::Status s = OnlyKnownKeys(m, {"department", "government", "unit_types", "note"}, where); !s.ok()) {
          return s;
        }
        EconomicMapping entry{m["department"].get<std::string>(), m["government"].get<std::string>(), {}};
        if (auto types = m.find("unit_types"); types != m.end()) {
          if (!types->is_array())
            return absl::InvalidArgumentError(absl::StrCat(where, ".unit_types must be an array"));
          for (const Json& t : *types) {
            bool known = false;
            for (const auto& u : kUnitTypeNames) {
              if (t.is_string() && t.get<std::string>() == u.file_name) {
                entry.unit_types.push_back(u.type);
                known = true;
              }
            }
            if (!known) {
              return absl::InvalidArgumentError(absl::StrCat(
                  where, ".unit_types holds ", t.dump(),
                  "; the unit types are \"administrative\", \"civil_servant_managed\", \"public_institution\", "
                  "\"other\""));
            }
          }
        }
        catalogue.economic_mapping_.push_back(std::move(entry));
      }
    }
  }

  if (auto pc = doc.find("project_capable"); pc != doc.end()) {
    if (!pc->is_array()) {
      return absl::InvalidArgumentError(absl::StrCat(origin, ": \"project_capable\" must be an array"));
    }
    catalogue.project_capable_.clear();
    for (size_t i = 0; i < pc->size(); ++i) {
      const Json& code = (*pc)[i];
      if (!code.is_string() || code.get<std::string>().size() != 7 ||
          catalogue.functional_.find(code.get<std::string>()) == catalogue.functional_.end()) {
        return absl::InvalidArgumentError(
            absl::StrCat(origin, ": project_capable[", i, "] is not a functional 项 (7 digits) of the file"));
      }
      catalogue.project_capable_.insert(code.get<std::string>());
    }
  }
  if (absl::Status s = catalogue.Finish(origin); !s.ok()) return s;
  return catalogue;
}

absl::Status Catalogue::ApplyChanges(const Json& changes, const std::string& origin) {
  for (size_t i = 0; i < changes.size(); ++i) {
    const Json& change = changes[i];
    const std::string where = absl::StrCat(origin, ": changes[", i, "]");
    if (!change.is_object() || !change.contains("change") || !change["change"].is_string()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".change must be \"add\", \"rename\", \"retire\" or \"retag\""));
    }
    const std::string what = change["change"].get<std::string>();
    if (absl::Status s = OnlyKnownKeys(
            change, {"change", "kind", "code", "name", "budgets", "successors", "provenance", "note"}, where);
        !s.ok()) {
      return s;
    }
    absl::StatusOr<v1::CodeKind> kind = ReadKind(change, where);
    if (!kind.ok()) return kind.status();
    std::string code, name;
    if (absl::Status s = ReadCodeAndName(change, where, LengthsOf(*kind), &code, &name, /*name_required=*/false);
        !s.ok()) {
      return s;
    }
    NameMap* names = *kind == v1::CODE_KIND_ECONOMIC ? &economic_ : &government_economic_;
    const bool present = *kind == v1::CODE_KIND_FUNCTIONAL ? functional_.count(code) > 0 : names->count(code) > 0;
    const std::string label = absl::StrCat(KindKey(*kind), " code ", code);
    if (what == "add") {
      if (present) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": adds ", label, ", which edition ", based_on_, " already has (use \"rename\")"));
      }
      if (name.empty()) return absl::InvalidArgumentError(absl::StrCat(where, ": \"add\" needs a name"));
      if (*kind == v1::CODE_KIND_FUNCTIONAL) {
        FunctionalEntry value{name, {}};
        if (auto b = change.find("budgets"); b != change.end()) {
          if (absl::Status s = ReadBudgets(*b, where, &value.budgets); !s.ok()) return s;
        }
        functional_.emplace(code, std::move(value));
      } else {
        names->emplace(code, name);
      }
      continue;
    }
    if (!present) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": ", what, " of ", label, ", which edition ", based_on_, " does not have"));
    }
    if (what == "rename") {
      if (name.empty()) return absl::InvalidArgumentError(absl::StrCat(where, ": \"rename\" needs a name"));
      if (*kind == v1::CODE_KIND_FUNCTIONAL) {
        functional_[code].name = name;
      } else {
        (*names)[code] = name;
      }
    } else if (what == "retag") {
      if (*kind != v1::CODE_KIND_FUNCTIONAL || !change.contains("budgets")) {
        return absl::InvalidArgumentError(absl::StrCat(where, ": \"retag\" takes a functional code and budgets"));
      }
      BudgetSet budgets;
      if (absl::Status s = ReadBudgets(change["budgets"], where, &budgets); !s.ok()) return s;
      functional_[code].budgets = budgets;
    } else if (what == "retire") {
      RetiredCode retired{*kind, code, "", {}};
      if (auto s = change.find("successors"); s != change.end()) {
        if (!s->is_array()) return absl::InvalidArgumentError(absl::StrCat(where, ".successors must be an array"));
        for (const Json& successor : *s) {
          if (!successor.is_string()) {
            return absl::InvalidArgumentError(absl::StrCat(where, ".successors must hold codes as strings"));
          }
          retired.successors.push_back(successor.get<std::string>());
        }
      }
      // The code and everything under it.
      auto erase_under = [&](auto& map) {
        retired.name = *kind == v1::CODE_KIND_FUNCTIONAL ? functional_[code].name : (*names)[code];
        for (auto it = map.lower_bound(code); it != map.end() && it->first.compare(0, code.size(), code) == 0;) {
          project_capable_.erase(it->first);
          it = map.erase(it);
        }
      };
      if (*kind == v1::CODE_KIND_FUNCTIONAL) {
        erase_under(functional_);
      } else {
        erase_under(*names);
      }
      retired_.push_back(std::move(retired));
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".change is \"", what, "\"; it must be \"add\", \"rename\", \"retire\" or \"retag\""));
    }
  }
  // Successors must exist in the new edition.
  for (const RetiredCode& r : retired_) {
    for (const std::string& successor : r.successors) {
      const bool known = r.kind == v1::CODE_KIND_FUNCTIONAL ? functional_.count(successor) > 0
                         : r.kind == v1::CODE_KIND_ECONOMIC ? economic_.count(successor) > 0
                                                            : government_economic_.count(successor) > 0;
      if (!known) {
        return absl::InvalidArgumentError(absl::StrCat(origin, ": retired ", KindKey(r.kind), " code ", r.code,
                                                       " names successor ", successor, ", which edition ", edition_,
                                                       " does not have"));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status Catalogue::Finish(const std::string& origin) {
  if (absl::Status s = CheckParents(functional_, origin, "functional"); !s.ok()) return s;
  if (absl::Status s = CheckParents(economic_, origin, "economic"); !s.ok()) return s;
  if (absl::Status s = CheckParents(government_economic_, origin, "government_economic"); !s.ok()) return s;
  // A leaf without budgets is general; a 类 or 款 belongs to its 项' budgets.
  // Longest codes first, so that every child is final before its parent.
  std::vector<std::string> codes;
  for (const auto& [code, entry] : functional_) codes.push_back(code);
  std::stable_sort(codes.begin(), codes.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  std::map<std::string, BudgetSet, std::less<>> from_children;
  for (const std::string& code : codes) {
    FunctionalEntry& entry = functional_[code];
    auto children = from_children.find(code);
    if (children != from_children.end()) {
      if (!entry.budgets.empty() && !(entry.budgets == children->second) && based_on_ == 0) {
        return absl::InvalidArgumentError(
            absl::StrCat(origin, ": functional code ", code, " is tagged ", BudgetSetName(entry.budgets),
                         " but its children belong to ", BudgetSetName(children->second),
                         "; tag the 项 only (a 类 or 款 belongs to the budgets of its 项)"));
      }
      entry.budgets = children->second;
    } else if (entry.budgets.empty()) {
      entry.budgets = BudgetSet::Of(v1::BUDGET_KIND_GENERAL);
    }
    if (code.size() > 3) from_children[code.substr(0, code.size() - 2)].Add(entry.budgets);
  }
  for (const EconomicMapping& m : economic_mapping_) {
    if (economic_.count(m.department_code) == 0 || government_economic_.count(m.government_code) == 0) {
      return absl::InvalidArgumentError(absl::StrCat(origin, ": economic_mapping ", m.department_code, " → ",
                                                     m.government_code, " names a code the file does not list"));
    }
  }
  return absl::OkStatus();
}

const std::string* Catalogue::FunctionalName(std::string_view code) const {
  auto it = functional_.find(code);
  return it == functional_.end() ? nullptr : &it->second.name;
}

const std::string* Catalogue::EconomicName(std::string_view code) const {
  auto it = economic_.find(code);
  return it == economic_.end() ? nullptr : &it->second;
}

const std::string* Catalogue::GovernmentEconomicName(std::string_view code) const {
  auto it = government_economic_.find(code);
  return it == government_economic_.end() ? nullptr : &it->second;
}

bool Catalogue::IsFunctionalItem(std::string_view code) const {
  if (code.size() == 7) return IsKnownFunctional(code);
  if (code.size() != 5) return false;
  auto it = functional_.find(code);
  if (it == functional_.end()) return false;
  // The map is in code order, so a 款's 项 follow it directly.
  ++it;
  return it == functional_.end() || it->first.compare(0, code.size(), code) != 0;
}

BudgetSet Catalogue::FunctionalBudgets(std::string_view code) const {
  auto it = functional_.find(code);
  return it == functional_.end() ? BudgetSet() : it->second.budgets;
}

bool Catalogue::IsOperationsItem(std::string_view code) const {
  if (code.size() != 7) return false;
  const std::string* name = FunctionalName(code);
  return name != nullptr && (*name == "行政运行" || *name == "机构运行" || *name == "事业运行");
}

std::vector<CatalogueCode> Catalogue::FunctionalCodes() const {
  std::vector<CatalogueCode> out;
  out.reserve(functional_.size());
  for (const auto& [code, entry] : functional_) out.push_back({code, entry.name, entry.budgets});
  return out;
}

std::vector<CatalogueCode> Catalogue::EconomicCodes() const {
  std::vector<CatalogueCode> out;
  for (const auto& [code, name] : economic_) out.push_back({code, name, {}});
  return out;
}

std::vector<CatalogueCode> Catalogue::GovernmentEconomicCodes() const {
  std::vector<CatalogueCode> out;
  for (const auto& [code, name] : government_economic_) out.push_back({code, name, {}});
  return out;
}

std::vector<CatalogueCode> Catalogue::FunctionalChildren(std::string_view parent) const {
  std::vector<CatalogueCode> out;
  const std::string prefix = Digits(parent);
  for (auto it = functional_.lower_bound(prefix);
       it != functional_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    if (it->first.size() == prefix.size() + 2) out.push_back({it->first, it->second.name, it->second.budgets});
  }
  return out;
}

std::vector<std::string> Catalogue::GovernmentEconomicFor(std::string_view department_code,
                                                          v1::UnitType unit_type) const {
  std::vector<std::string> out;
  for (const EconomicMapping& m : economic_mapping_) {
    if (m.department_code != department_code) continue;
    if (!m.unit_types.empty() && std::find(m.unit_types.begin(), m.unit_types.end(), unit_type) == m.unit_types.end()) {
      continue;
    }
    out.push_back(m.government_code);
  }
  return out;
}

v1::Catalogue Catalogue::ToProto() const {
  v1::Catalogue proto;
  proto.set_edition(edition_);
  for (const auto& [code, entry] : functional_) {
    auto* e = proto.add_entries();
    e->set_kind(v1::CODE_KIND_FUNCTIONAL);
    e->set_code(code);
    e->set_name(entry.name);
    for (v1::BudgetKind kind : entry.budgets.kinds()) e->add_budgets(kind);
  }
  for (const auto& [code, name] : economic_) {
    auto* e = proto.add_entries();
    e->set_kind(v1::CODE_KIND_ECONOMIC);
    e->set_code(code);
    e->set_name(name);
  }
  for (const auto& [code, name] : government_economic_) {
    auto* e = proto.add_entries();
    e->set_kind(v1::CODE_KIND_GOVERNMENT_ECONOMIC);
    e->set_code(code);
    e->set_name(name);
  }
  return proto;
}

std::string Catalogue::ToJson(std::string_view note) const {
  Json doc = Json::object();
  doc["edition"] = edition_;
  if (!note.empty()) doc["note"] = std::string(note);
  auto budgets_of = [](BudgetSet set) {
    Json list = Json::array();
    for (v1::BudgetKind kind : set.kinds()) list.push_back(BudgetKindFileName(kind));
    return list;
  };
  Json functional = Json::array();
  for (const auto& [code, entry] : functional_) {
    Json item = {{"code", code}, {"name", entry.name}};
    // 类 and 款 carry the union of their 项, which Finish checks again.
    if (!entry.budgets.empty()) item["budgets"] = budgets_of(entry.budgets);
    functional.push_back(std::move(item));
  }
  doc["functional"] = std::move(functional);
  for (const auto& [key, names] : {std::pair<const char*, const NameMap*>{"economic", &economic_},
                                   {"government_economic", &government_economic_}}) {
    Json list = Json::array();
    for (const auto& [code, name] : *names) list.push_back({{"code", code}, {"name", name}});
    doc[key] = std::move(list);
  }
  Json mapping = Json::array();
  for (const EconomicMapping& m : economic_mapping_) {
    Json row = {{"department", m.department_code}, {"government", m.government_code}};
    if (!m.unit_types.empty()) {
      Json types = Json::array();
      for (v1::UnitType type : m.unit_types) {
        for (const auto& u : kUnitTypeNames) {
          if (u.type == type) types.push_back(u.file_name);
        }
      }
      row["unit_types"] = std::move(types);
    }
    mapping.push_back(std::move(row));
  }
  doc["economic_mapping"] = std::move(mapping);
  if (!project_capable_.empty()) {
    Json capable = Json::array();
    for (const std::string& code : project_capable_) capable.push_back(code);
    doc["project_capable"] = std::move(capable);
  }
  return doc.dump(-1, ' ', false, Json::error_handler_t::strict);
}

v1::CodeKind CodeKindOf(std::string_view code) {
  if (code.empty()) return v1::CODE_KIND_UNSPECIFIED;
  switch (code[0]) {
    case '2':
      return v1::CODE_KIND_FUNCTIONAL;
    case '3':
      return v1::CODE_KIND_ECONOMIC;
    case '5':
      return v1::CODE_KIND_GOVERNMENT_ECONOMIC;
    default:
      return v1::CODE_KIND_UNSPECIFIED;
  }
}

absl::StatusOr<v1::CatalogueCodeDetail> DescribeCatalogueCode(const Catalogue& catalogue, std::string_view code) {
  const v1::CodeKind kind = CodeKindOf(code);
  if (kind == v1::CODE_KIND_UNSPECIFIED || !AllDigits(code) || !HasLength(code, LengthsOf(kind))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "科目编码 \"", IsValidUtf8(code) ? std::string(code) : "(invalid UTF-8)",
        "\" 无效：支出功能分类 2 开头 3/5/7 位，部门预算经济分类 3 开头、政府预算经济分类 5 开头 3/5 位 / "
        "code \"",
        IsValidUtf8(code) ? std::string(code) : "(invalid UTF-8)",
        "\" is not a catalogue code: 支出功能分类 codes start with 2 and have 3, 5 or 7 digits, 部门预算经济分类 "
        "codes start with 3 and 政府预算经济分类 codes with 5, 3 or 5 digits"));
  }
  auto name_of = [&](std::string_view c) -> const std::string* {
    return kind == v1::CODE_KIND_FUNCTIONAL ? catalogue.FunctionalName(c)
           : kind == v1::CODE_KIND_ECONOMIC ? catalogue.EconomicName(c)
                                            : catalogue.GovernmentEconomicName(c);
  };
  auto entry_of = [&](std::string_view c, const std::string& name) {
    v1::CatalogueEntry entry;
    entry.set_kind(kind);
    entry.set_code(std::string(c));
    entry.set_name(name);
    if (kind == v1::CODE_KIND_FUNCTIONAL) {
      for (v1::BudgetKind budget : catalogue.FunctionalBudgets(c).kinds()) entry.add_budgets(budget);
    }
    return entry;
  };
  const std::string* name = name_of(code);
  if (name == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        catalogue.edition(), " 年版分类科目中没有编码 ", std::string(code), "；GET /v1/catalogues/",
        catalogue.edition(), " 或 `yusuan catalogue show ", catalogue.edition(), "` 列出全部编码 / edition ",
        catalogue.edition(), " has no code ", std::string(code), "; GET /v1/catalogues/", catalogue.edition(),
        " or `yusuan catalogue show ", catalogue.edition(), "` lists them"));
  }
  v1::CatalogueCodeDetail detail;
  detail.set_edition(catalogue.edition());
  *detail.mutable_entry() = entry_of(code, *name);
  detail.set_level(code.size() == 3   ? v1::CODE_LEVEL_CLASS
                   : code.size() == 5 ? v1::CODE_LEVEL_SECTION
                                      : v1::CODE_LEVEL_ITEM);
  detail.set_level_name(code.size() == 3 ? "类" : code.size() == 5 ? "款" : "项");
  for (size_t length = 3; length < code.size(); length += 2) {
    const std::string_view parent = code.substr(0, length);
    if (const std::string* parent_name = name_of(parent); parent_name != nullptr) {
      *detail.add_parents() = entry_of(parent, *parent_name);
    }
  }
  if (code.size() < 7) {
    const std::vector<CatalogueCode> all = kind == v1::CODE_KIND_FUNCTIONAL ? catalogue.FunctionalChildren(code)
                                           : kind == v1::CODE_KIND_ECONOMIC ? catalogue.EconomicCodes()
                                                                            : catalogue.GovernmentEconomicCodes();
    for (const CatalogueCode& child : all) {
      if (child.code.size() == code.size() + 2 && child.code.compare(0, code.size(), code) == 0) {
        *detail.add_children() = entry_of(child.code, child.name);
      }
    }
  }
  return detail;
}

v1::CatalogueDiff CatalogueDiffToProto(const Catalogue& from, const Catalogue& to) {
  v1::CatalogueDiff diff;
  diff.set_from_edition(from.edition());
  diff.set_to_edition(to.edition());
  for (const CatalogueChange& change : DiffCatalogues(from, to)) {
    v1::CatalogueChange* out = diff.add_changes();
    switch (change.change) {
      case CatalogueChange::Kind::kAdded:
        out->set_change(v1::CATALOGUE_CHANGE_KIND_ADDED);
        break;
      case CatalogueChange::Kind::kRetired:
        out->set_change(v1::CATALOGUE_CHANGE_KIND_RETIRED);
        break;
      case CatalogueChange::Kind::kRenamed:
        out->set_change(v1::CATALOGUE_CHANGE_KIND_RENAMED);
        break;
      case CatalogueChange::Kind::kRetagged:
        out->set_change(v1::CATALOGUE_CHANGE_KIND_RETAGGED);
        break;
    }
    out->set_kind(change.code_kind);
    out->set_code(change.code);
    out->set_before(change.before);
    out->set_after(change.after);
    for (const std::string& successor : change.successors) out->add_successors(successor);
  }
  return diff;
}

std::vector<CatalogueChange> DiffCatalogues(const Catalogue& from, const Catalogue& to) {
  std::vector<CatalogueChange> out;
  auto successors_of = [&](v1::CodeKind kind, const std::string& code) {
    for (const RetiredCode& r : to.retired()) {
      if (r.kind == kind && r.code == code) return r.successors;
    }
    return std::vector<std::string>();
  };
  auto diff = [&](v1::CodeKind kind, const std::vector<CatalogueCode>& a, const std::vector<CatalogueCode>& b) {
    std::map<std::string, const CatalogueCode*> before, after;
    for (const CatalogueCode& c : a) before[c.code] = &c;
    for (const CatalogueCode& c : b) after[c.code] = &c;
    std::set<std::string> codes;
    for (const auto& [code, c] : before) codes.insert(code);
    for (const auto& [code, c] : after) codes.insert(code);
    for (const std::string& code : codes) {
      auto was = before.find(code);
      auto is = after.find(code);
      if (was == before.end()) {
        out.push_back({CatalogueChange::Kind::kAdded, kind, code, "", is->second->name, {}});
      } else if (is == after.end()) {
        out.push_back({CatalogueChange::Kind::kRetired, kind, code, was->second->name, "", successors_of(kind, code)});
      } else {
        if (was->second->name != is->second->name) {
          out.push_back({CatalogueChange::Kind::kRenamed, kind, code, was->second->name, is->second->name, {}});
        }
        if (!(was->second->budgets == is->second->budgets)) {
          out.push_back({CatalogueChange::Kind::kRetagged,
                         kind,
                         code,
                         BudgetSetName(was->second->budgets),
                         BudgetSetName(is->second->budgets),
                         {}});
        }
      }
    }
  };
  diff(v1::CODE_KIND_FUNCTIONAL, from.FunctionalCodes(), to.FunctionalCodes());
  diff(v1::CODE_KIND_ECONOMIC, from.EconomicCodes(), to.EconomicCodes());
  diff(v1::CODE_KIND_GOVERNMENT_ECONOMIC, from.GovernmentEconomicCodes(), to.GovernmentEconomicCodes());
  return out;
}

absl::StatusOr<CatalogueSet> CatalogueSet::LoadFromDirectory(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    return absl::NotFoundError(absl::StrCat("catalogue directory ", dir, ": cannot be read (", ec.message(), ")"));
  }
  // Sorted so that the first failure reported does not depend on readdir order.
  std::vector<fs::path> files;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) break;
    const fs::path& p = it->path();
    const std::string stem = p.stem().string();
    if (p.extension() == ".json" && stem.size() == 4 && AllDigits(stem)) files.push_back(p);
  }
  if (ec) {
    return absl::DataLossError(absl::StrCat("catalogue directory ", dir, ": listing failed (", ec.message(), ")"));
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    return absl::NotFoundError(absl::StrCat("catalogue directory ", dir, ": no <edition>.json file (e.g. 2021.json)"));
  }
  // Read every file first: an edition derived from another is loaded once
  // its base is, whatever the order of the names.
  struct Pending {
    fs::path path;
    std::string text;
    int based_on = 0;
  };
  std::vector<Pending> pending;
  for (const fs::path& p : files) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return absl::NotFoundError(absl::StrCat("catalogue file ", p.string(), ": cannot be opened"));
    std::ostringstream text;
    text << in.rdbuf();
    Pending entry{p, text.str(), 0};
    const Json head = Json::parse(entry.text, nullptr, /*allow_exceptions=*/false);
    if (head.is_object() && head.contains("based_on") && head["based_on"].is_number_integer()) {
      entry.based_on = static_cast<int>(head["based_on"].get<int64_t>());
    }
    pending.push_back(std::move(entry));
  }
  CatalogueSet set;
  while (!pending.empty()) {
    bool progressed = false;
    for (auto p = pending.begin(); p != pending.end();) {
      const Catalogue* base = p->based_on == 0 ? nullptr : set.Find(p->based_on);
      if (p->based_on != 0 && base == nullptr) {
        ++p;
        continue;
      }
      const std::string origin = absl::StrCat("catalogue file ", p->path.string());
      absl::StatusOr<Catalogue> catalogue = Catalogue::LoadFromJson(p->text, origin, base);
      if (!catalogue.ok()) return catalogue.status();
      const int named = std::stoi(p->path.stem().string());
      if (catalogue->edition() != named) {
        return absl::InvalidArgumentError(
            absl::StrCat(origin, ": \"edition\" is ", catalogue->edition(), " but the file is named ", named));
      }
      if (absl::Status s = set.Add(*std::move(catalogue)); !s.ok()) return s;
      p = pending.erase(p);
      progressed = true;
    }
    if (!progressed) {
      const Pending& stuck = pending.front();
      return absl::FailedPreconditionError(absl::StrCat("catalogue file ", stuck.path.string(), ": based on edition ",
                                                        stuck.based_on,
                                                        ", which the directory does not hold (or a cycle)"));
    }
  }
  return set;
}

absl::Status CatalogueSet::Add(Catalogue catalogue) {
  const int edition = catalogue.edition();
  if (!by_edition_.emplace(edition, std::move(catalogue)).second) {
    return absl::AlreadyExistsError(absl::StrCat("catalogue edition ", edition, " is already loaded"));
  }
  return absl::OkStatus();
}

void CatalogueSet::Put(Catalogue catalogue) {
  const int edition = catalogue.edition();
  by_edition_.insert_or_assign(edition, std::move(catalogue));
}

const Catalogue* CatalogueSet::Find(int edition) const {
  auto it = by_edition_.find(edition);
  return it == by_edition_.end() ? nullptr : &it->second;
}

std::vector<int> CatalogueSet::editions() const {
  std::vector<int> out;
  for (const auto& [edition, catalogue] : by_edition_) out.push_back(edition);
  return out;
}

}  // namespace yusuan::ledger
