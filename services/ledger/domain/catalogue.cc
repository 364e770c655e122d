#include "services/ledger/domain/catalogue.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "services/common/utf8.h"

namespace yusuan::ledger {
namespace {

using Json = nlohmann::json;

bool AllDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Reads {"code", "name"} entries into `out`, checking each code's shape and
// that every 款/项 has its parent, so that a table row can always be named.
absl::Status ReadEntries(const Json& doc, const char* key, const std::vector<size_t>& lengths,
                         const std::string& origin, std::map<std::string, std::string, std::less<>>* out) {
  auto it = doc.find(key);
  if (it == doc.end() || !it->is_array()) {
    return absl::InvalidArgumentError(
        absl::StrCat(origin, ": \"", key, "\" is missing or not an array"));
  }
  for (size_t i = 0; i < it->size(); ++i) {
    const Json& entry = (*it)[i];
    const std::string where = absl::StrCat(origin, ": ", key, "[", i, "]");
    if (!entry.is_object()) return absl::InvalidArgumentError(absl::StrCat(where, " is not an object"));
    auto code_it = entry.find("code");
    auto name_it = entry.find("name");
    if (code_it == entry.end() || !code_it->is_string()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ".code is missing or not a string"));
    }
    if (name_it == entry.end() || !name_it->is_string()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ".name is missing or not a string"));
    }
    const std::string code = code_it->get<std::string>();
    const std::string name = name_it->get<std::string>();
    if (!IsValidUtf8(code) || !AllDigits(code) ||
        std::find(lengths.begin(), lengths.end(), code.size()) == lengths.end()) {
      std::string allowed;
      for (size_t n : lengths) absl::StrAppend(&allowed, allowed.empty() ? "" : "/", n);
      return absl::InvalidArgumentError(absl::StrCat(
          where, ".code must be ", allowed, " digits, got \"", IsValidUtf8(code) ? code : "(invalid UTF-8)",
          "\""));
    }
    if (name.empty() || !IsValidUtf8(name)) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".name of code ", code, " is empty or not UTF-8"));
    }
    if (!out->emplace(code, name).second) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": duplicate ", key, " code ", code));
    }
  }
  // Parents are checked after reading so that the file's order does not matter.
  for (const auto& [code, name] : *out) {
    if (code.size() <= 3) continue;
    const std::string parent = code.substr(0, code.size() - 2);
    if (out->find(parent) == out->end()) {
      return absl::InvalidArgumentError(absl::StrCat(origin, ": ", key, " code ", code,
                                                     " has no parent ", parent, " in the file"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

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

absl::StatusOr<Catalogue> Catalogue::LoadFromJson(std::string_view json, const std::string& origin) {
  if (!IsValidUtf8(json)) {
    return absl::InvalidArgumentError(absl::StrCat(origin, ": not valid UTF-8"));
  }
  const Json doc = Json::parse(json.begin(), json.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return absl::InvalidArgumentError(absl::StrCat(origin, ": not valid JSON"));
  if (!doc.is_object()) return absl::InvalidArgumentError(absl::StrCat(origin, ": not a JSON object"));

  Catalogue catalogue;
  auto edition = doc.find("edition");
  if (edition == doc.end() || !edition->is_number_integer() || edition->get<int64_t>() < 1900 ||
      edition->get<int64_t>() > 2999) {
    return absl::InvalidArgumentError(
        absl::StrCat(origin, ": \"edition\" must be a year such as 2021"));
  }
  catalogue.edition_ = static_cast<int>(edition->get<int64_t>());
  if (absl::Status s = ReadEntries(doc, "functional", {3, 5, 7}, origin, &catalogue.functional_);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ReadEntries(doc, "economic", {3, 5}, origin, &catalogue.economic_); !s.ok()) {
    return s;
  }
  if (auto pc = doc.find("project_capable"); pc != doc.end()) {
    if (!pc->is_array()) {
      return absl::InvalidArgumentError(absl::StrCat(origin, ": \"project_capable\" must be an array"));
    }
    for (size_t i = 0; i < pc->size(); ++i) {
      const Json& code = (*pc)[i];
      if (!code.is_string() || code.get<std::string>().size() != 7 ||
          catalogue.functional_.find(code.get<std::string>()) == catalogue.functional_.end()) {
        return absl::InvalidArgumentError(absl::StrCat(
            origin, ": project_capable[", i, "] is not a functional 项 (7 digits) of the file"));
      }
      catalogue.project_capable_.insert(code.get<std::string>());
    }
  }
  return catalogue;
}

const std::string* Catalogue::FunctionalName(std::string_view code) const {
  auto it = functional_.find(code);
  return it == functional_.end() ? nullptr : &it->second;
}

const std::string* Catalogue::EconomicName(std::string_view code) const {
  auto it = economic_.find(code);
  return it == economic_.end() ? nullptr : &it->second;
}

yusuan::ledger::v1::Catalogue Catalogue::ToProto() const {
  yusuan::ledger::v1::Catalogue proto;
  proto.set_edition(edition_);
  for (const auto& [code, name] : functional_) {
    auto* entry = proto.add_entries();
    entry->set_kind(yusuan::ledger::v1::CODE_KIND_FUNCTIONAL);
    entry->set_code(code);
    entry->set_name(name);
  }
  for (const auto& [code, name] : economic_) {
    auto* entry = proto.add_entries();
    entry->set_kind(yusuan::ledger::v1::CODE_KIND_ECONOMIC);
    entry->set_code(code);
    entry->set_name(name);
  }
  return proto;
}

absl::StatusOr<CatalogueSet> CatalogueSet::LoadFromDirectory(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    return absl::NotFoundError(
        absl::StrCat("catalogue directory ", dir, ": cannot be read (", ec.message(), ")"));
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
    return absl::DataLossError(
        absl::StrCat("catalogue directory ", dir, ": listing failed (", ec.message(), ")"));
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    return absl::NotFoundError(
        absl::StrCat("catalogue directory ", dir, ": no <edition>.json file (e.g. 2021.json)"));
  }
  CatalogueSet set;
  for (const fs::path& p : files) {
    absl::StatusOr<Catalogue> catalogue = Catalogue::LoadFromFile(p.string());
    if (!catalogue.ok()) return catalogue.status();
    const int named = std::stoi(p.stem().string());
    if (catalogue->edition() != named) {
      return absl::InvalidArgumentError(absl::StrCat("catalogue file ", p.string(), ": \"edition\" is ",
                                                     catalogue->edition(), " but the file is named ",
                                                     named));
    }
    if (absl::Status s = set.Add(*std::move(catalogue)); !s.ok()) return s;
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
