#include "services/report/domain/template_set.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>
#include <set>
#include <sstream>
#include <unordered_map>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_join.h"
#include "services/common/money.h"

namespace yusuan::report {

// Defined in the file CMake generates from data/templates/*.json: (file
// name, contents) of every built-in set.
const std::vector<std::pair<std::string_view, std::string_view>>& EmbeddedTemplateSetFiles();

namespace {

using Json = nlohmann::json;
using Mustache = kainjow::mustache::mustache;
using MustacheData = kainjow::mustache::data;

// The values of a disclosure every sentence may name.
const std::vector<std::string> kDocument = {"year", "prior_year", "short_name", "full_name"};
// Year-on-year comparison flags and figures (phrase.compare_*).
const std::vector<std::string> kCompare = {"increase", "decrease", "new",  "flat",
                                           "absent",   "delta",    "rate", "prior_year"};

std::vector<std::string> With(std::vector<std::string> names) {
  names.insert(names.end(), kDocument.begin(), kDocument.end());
  return names;
}

std::string Invalid(const std::string& where, const std::string& zh, const std::string& en) {
  return "模板集" + where + "：" + zh + " / template set " + where + ": " + en;
}

// The tag names a template uses ("{{#list}}" → "list"). Partials and
// delimiter changes are refused: a set is plain sentences, and a changed
// delimiter would hide names from this check.
absl::Status CollectNames(const std::string& key, const std::string& text, std::set<std::string>& names) {
  size_t at = 0;
  while ((at = text.find("{{", at)) != std::string::npos) {
    const bool triple = text.compare(at, 3, "{{{") == 0;
    const size_t end = text.find(triple ? "}}}" : "}}", at);
    if (end == std::string::npos) {
      return absl::InvalidArgumentError(Invalid(key, "“{{” 没有对应的 “}}”", "a '{{' has no matching '}}'"));
    }
    std::string tag = text.substr(at + (triple ? 3 : 2), end - at - (triple ? 3 : 2));
    at = end + (triple ? 3 : 2);
    if (tag.empty()) continue;
    const char kind = tag.front();
    if (kind == '!') continue;
    if (kind == '>' || kind == '=') {
      return absl::InvalidArgumentError(
          Invalid(key, "不支持子模板和更改分隔符（“{{" + tag + "}}”）",
                  "partials and delimiter changes are not supported ('{{" + tag + "}}')"));
    }
    if (kind == '#' || kind == '^' || kind == '/' || kind == '&') {
      tag.erase(0, 1);
    }
    tag.erase(0, tag.find_first_not_of(' '));
    tag.erase(tag.find_last_not_of(' ') + 1);
    names.insert(tag);
  }
  return absl::OkStatus();
}

absl::Status CheckTemplate(const std::string& key, const std::string& text, const std::vector<std::string>& allowed) {
  Mustache parsed{text};
  if (!parsed.is_valid()) {
    return absl::InvalidArgumentError(
        Invalid(key, "无法解析：" + parsed.error_message(), "does not parse: " + parsed.error_message()));
  }
  std::set<std::string> names;
  absl::Status status = CollectNames(key, text, names);
  if (!status.ok()) return status;
  for (const std::string& name : names) {
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      return absl::InvalidArgumentError(
          Invalid(key, "未知的占位符 {{" + name + "}}，可用：" + absl::StrJoin(allowed, "、"),
                  "unknown placeholder {{" + name + "}}; available: " + absl::StrJoin(allowed, ", ")));
    }
  }
  return absl::OkStatus();
}

std::string StringField(const Json& object, const char* name) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

absl::Status ParseItems(const Json& list, const std::string& where, std::vector<TemplateItem>& out,
                        std::set<std::string>& seen) {
  if (!list.is_array()) {
    return absl::InvalidArgumentError(Invalid(where, "应为数组", "must be an array"));
  }
  for (const Json& entry : list) {
    TemplateItem item;
    if (!entry.is_object()) {
      return absl::InvalidArgumentError(Invalid(where, "每项应为对象", "every entry must be an object"));
    }
    item.item = StringField(entry, "item");
    item.title = StringField(entry, "title");
    const auto& known = ExplanationItemNames();
    if (std::find(known.begin(), known.end(), item.item) == known.end()) {
      return absl::InvalidArgumentError(
          Invalid(where, "未知的说明事项 “" + item.item + "”，可用：" + absl::StrJoin(known, "、"),
                  "unknown item '" + item.item + "'; available: " + absl::StrJoin(known, ", ")));
    }
    if (!seen.insert(item.item).second) {
      return absl::InvalidArgumentError(
          Invalid(where, "事项 “" + item.item + "” 出现两次", "item '" + item.item + "' appears twice"));
    }
    if (item.title.empty()) {
      return absl::InvalidArgumentError(Invalid(where + "." + item.item, "缺少 title", "has no title"));
    }
    if (const auto sub = entry.find("subitems"); sub != entry.end()) {
      absl::Status status = ParseItems(*sub, where + "." + item.item, item.subitems, seen);
      if (!status.ok()) return status;
    }
    out.push_back(std::move(item));
  }
  return absl::OkStatus();
}

}  // namespace

// ---------------------------------------------------------------- values

TemplateValues::TemplateValues() : data_(MustacheData::type::object) {}

TemplateValues& TemplateValues::Set(const std::string& name, std::string value) {
  data_.set(name, MustacheData(std::move(value)));
  return *this;
}

TemplateValues& TemplateValues::Set(const std::string& name, int64_t value) { return Set(name, std::to_string(value)); }

TemplateValues& TemplateValues::Amount(const std::string& name, int64_t fen, std::string field) {
  std::string text = FormatWanYuan(fen);
  Set(name, text);
  figures_.push_back({name, fen, std::move(text), std::move(field)});
  return *this;
}

TemplateValues& TemplateValues::Flag(const std::string& name, bool value) {
  data_.set(name, MustacheData(value));
  return *this;
}

TemplateValues& TemplateValues::List(const std::string& name, const std::vector<TemplateValues>& items) {
  MustacheData list(MustacheData::type::list);
  for (size_t i = 0; i < items.size(); ++i) {
    MustacheData item = items[i].data_;
    item.set("first", MustacheData(i == 0));
    item.set("last", MustacheData(i + 1 == items.size()));
    list.push_back(item);
    figures_.insert(figures_.end(), items[i].figures_.begin(), items[i].figures_.end());
  }
  data_.set(name, list);
  return *this;
}

// ---------------------------------------------------------------- keys

const std::map<std::string, std::vector<std::string>>& TemplateKeys() {
  static const auto* keys = new std::map<std::string, std::vector<std::string>>{
      // The document and its parts.
      {"document.title", With({})},
      {"document.table_prefix", With({})},
      {"part.profile", With({})},
      {"part.tables", With({})},
      {"part.explanation", With({})},
      {"part.glossary", With({})},
      {"profile.functions", With({})},
      {"profile.units", With({})},
      {"profile.staff", With({})},
      // Numbering: the printed table number, 第三部分's items and sub-items,
      // the department's functions, the glossary's terms.
      {"numbering.table", {"number"}},
      {"numbering.item", {"number", "numeral"}},
      {"numbering.subitem", {"number", "numeral"}},
      {"numbering.function", {"number", "numeral"}},
      {"numbering.term", {"number", "numeral"}},
      // 第一部分.
      {"profile.unit_composition", With({"nature", "has_offices", "offices_count", "offices", "has_units",
                                         "units_count", "units", "name", "first", "last"})},
      {"profile.staff_establishment",
       With({"total", "has_kinds", "kinds", "label", "count", "in_service", "first", "last"})},
      {"profile.staff_retirees", With({"retirees", "retired_before_1949", "retired"})},
      // Shared phrases.
      {"phrase.compare_budget", kCompare},
      {"phrase.compare_year", kCompare},
      {"phrase.reason", {"reason"}},
      // 第三部分.
      {"sentence.fiscal_overview",
       With({"total", "has_income", "income", "name", "amount", "first", "last", "basic", "project"})},
      {"sentence.general_budget.total", With({"total", "current", "change", "has_carryover", "carryover"})},
      {"sentence.general_budget.basic", With({"basic", "nonzero", "has_uses", "has_personnel", "personnel",
                                              "has_public", "public", "has_both", "name", "first", "last"})},
      {"sentence.general_budget.project", With({"project"})},
      {"sentence.general_budget.project_item", With({"name", "amount", "has_projects"})},
      {"sentence.general_budget.project_line",
       With({"name", "amount", "has_purpose", "purpose", "purpose_names_aspect"})},
      {"sentence.general_basic.total", With({"basic"})},
      {"sentence.general_basic.personnel", With({"personnel"})},
      {"sentence.general_basic.personnel_class", With({"name", "amount", "has_items", "items", "first", "last"})},
      {"sentence.general_basic.public", With({"public", "has_items", "items", "name", "first", "last"})},
      {"sentence.three_public.zero", With({"has_prior", "change"})},
      {"sentence.three_public", With({"total", "has_prior", "change", "overseas", "vehicle", "vehicle_purchase",
                                      "vehicle_operation", "reception", "has_component_prior", "overseas_change",
                                      "vehicle_change", "reception_change", "has_reason", "reason"})},
      {"sentence.government_fund.zero", With({})},
      {"sentence.government_fund",
       With({"total", "has_prior", "change", "has_uses", "uses", "name", "amount", "first", "last"})},
      {"sentence.department_totals.principle", With({})},
      {"sentence.department_totals", With({"total", "change"})},
      {"sentence.department_income", With({"total", "sources", "name", "amount", "has_amount", "first", "last"})},
      {"sentence.department_expenditure", With({"total", "parts", "name", "amount", "share", "first", "last"})},
      {"sentence.machinery_operating.none", With({})},
      {"sentence.machinery_operating",
       With({"administrative", "amount", "has_prior", "change", "has_purpose", "purpose"})},
      {"sentence.machinery_operating.with_units",
       With({"administrative", "amount", "has_prior", "change", "has_purpose", "purpose"})},
      {"sentence.procurement.none", With({})},
      {"sentence.procurement",
       With({"total", "goods", "works", "services", "has_items", "items", "name", "first", "last"})},
      {"sentence.state_assets", With({"has_vehicles", "vehicles", "has_as_of", "as_of", "has_equipment",
                                      "general_equipment", "special_equipment", "has_planned", "planned_vehicles"})},
      {"sentence.service_purchase.none", With({})},
      {"sentence.service_purchase", With({"total", "has_items", "items", "name", "first", "last"})},
      {"sentence.performance_goals",
       With({"full_coverage", "projects", "covered", "general_project", "has_fund_project", "fund_project",
             "has_completion", "completion", "has_goals"})},
      {"sentence.performance_goals.table_type", With({})},
      // 第四部分.
      {"glossary.entry", {"numbering", "term", "definition"}},
      {"glossary.code_line", {"number", "class_name", "kuan_name", "items", "name", "first", "last"}},
      {"contact", {"phone"}},
  };
  return *keys;
}

const std::vector<std::string>& ExplanationItemNames() {
  static const auto* names = new std::vector<std::string>{
      "fiscal_overview",   "general_budget",    "general_basic",          "three_public",     "government_fund",
      "department_totals", "department_income", "department_expenditure", "other_matters",    "machinery_operating",
      "procurement",       "state_assets",      "service_purchase",       "performance_goals"};
  return *names;
}

// ---------------------------------------------------------------- parsing

absl::StatusOr<TemplateSet> ParseTemplateSet(std::string_view text) {
  const Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    return absl::InvalidArgumentError(Invalid("", "不是合法的 JSON 对象", "is not a JSON object"));
  }
  TemplateSet set;
  set.id = StringField(json, "id");
  set.name = StringField(json, "name");
  set.basis = StringField(json, "basis");
  if (set.id.empty() || set.name.empty()) {
    return absl::InvalidArgumentError(Invalid("", "缺少 id 或 name", "has no id or name"));
  }
  const std::string where = " " + set.id;

  // 表1–表10, each once.
  const auto tables = json.find("tables");
  if (tables == json.end() || !tables->is_array()) {
    return absl::InvalidArgumentError(Invalid(where + ".tables", "缺少表格顺序", "is missing"));
  }
  std::set<int> sources;
  for (const Json& entry : *tables) {
    TemplateTable table;
    if (!entry.is_object() || !entry.contains("table") || !entry["table"].is_number_integer()) {
      return absl::InvalidArgumentError(
          Invalid(where + ".tables", "每项需要整数 table", "every entry needs an integer 'table'"));
    }
    table.source = entry["table"].get<int>();
    table.title = StringField(entry, "title");
    if (table.source < 1 || table.source > 10 || table.title.empty() || !sources.insert(table.source).second) {
      return absl::InvalidArgumentError(
          Invalid(where + ".tables", "表 " + std::to_string(table.source) + " 无效、重复或缺少标题",
                  "table " + std::to_string(table.source) + " is out of 1–10, repeated or has no title"));
    }
    set.tables.push_back(std::move(table));
  }
  if (sources.size() != 10) {
    return absl::InvalidArgumentError(
        Invalid(where + ".tables", "应列出表1–表10 全部十张表，实有 " + std::to_string(sources.size()) + " 张",
                "must list all ten tables 1–10, lists " + std::to_string(sources.size())));
  }

  // 第三部分: every item once.
  std::set<std::string> seen;
  const auto explanation = json.find("explanation");
  if (explanation == json.end()) {
    return absl::InvalidArgumentError(Invalid(where + ".explanation", "缺少说明事项", "is missing"));
  }
  absl::Status status = ParseItems(*explanation, where + ".explanation", set.explanation, seen);
  if (!status.ok()) return status;
  for (const std::string& name : ExplanationItemNames()) {
    if (seen.count(name) == 0) {
      return absl::InvalidArgumentError(
          Invalid(where + ".explanation", "缺少事项 “" + name + "”", "lacks item '" + name + "'"));
    }
  }

  // 第四部分.
  const auto glossary = json.find("glossary");
  if (glossary == json.end() || !glossary->is_array() || glossary->empty()) {
    return absl::InvalidArgumentError(Invalid(where + ".glossary", "缺少名词解释", "is missing"));
  }
  int code_terms = 0;
  for (const Json& entry : *glossary) {
    TemplateTerm term;
    if (!entry.is_object()) {
      return absl::InvalidArgumentError(Invalid(where + ".glossary", "每项应为对象", "every entry must be an object"));
    }
    term.term = StringField(entry, "term");
    term.definition = StringField(entry, "definition");
    term.functional_codes = entry.value("functional_codes", false);
    if (term.term.empty()) {
      return absl::InvalidArgumentError(Invalid(where + ".glossary", "有一项缺少 term", "an entry has no term"));
    }
    if (term.functional_codes) ++code_terms;
    status = CheckTemplate(where + ".glossary." + term.term, term.definition, {"fiscal_level"});
    if (!status.ok()) return status;
    set.glossary.push_back(std::move(term));
  }
  if (code_terms != 1) {
    return absl::InvalidArgumentError(
        Invalid(where + ".glossary",
                "应恰有一项 functional_codes 为 true（列出功能分类科目），实有 " + std::to_string(code_terms),
                "exactly one entry must have functional_codes true, has " + std::to_string(code_terms)));
  }

  const auto class_names = json.find("class_names_in_uses");
  if (class_names != json.end()) {
    if (!class_names->is_object()) {
      return absl::InvalidArgumentError(Invalid(where + ".class_names_in_uses", "应为对象（类代码 → 名称）",
                                                "must be an object (class code → name)"));
    }
    for (const auto& [code, name] : class_names->items()) {
      const bool is_class =
          code.size() == 3 && std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!is_class || !name.is_string() || name.get<std::string>().empty()) {
        return absl::InvalidArgumentError(Invalid(where + ".class_names_in_uses." + code,
                                                  "应为 3 位经济分类类代码对应非空名称",
                                                  "must map a 3-digit economic class code to a non-empty name"));
      }
      set.class_names_in_uses[code] = name.get<std::string>();
    }
  }

  // Every wording the code uses, and no other (a misspelt key would
  // otherwise fall back silently).
  const auto texts = json.find("texts");
  if (texts == json.end() || !texts->is_object()) {
    return absl::InvalidArgumentError(Invalid(where + ".texts", "缺少措辞", "is missing"));
  }
  for (const auto& [key, value] : texts->items()) {
    const auto known = TemplateKeys().find(key);
    if (known == TemplateKeys().end()) {
      return absl::InvalidArgumentError(Invalid(where + ".texts." + key, "未知的键", "is not a key the renderer uses"));
    }
    if (!value.is_string()) {
      return absl::InvalidArgumentError(Invalid(where + ".texts." + key, "应为字符串", "must be a string"));
    }
    status = CheckTemplate(where + ".texts." + key, value.get<std::string>(), known->second);
    if (!status.ok()) return status;
    set.texts[key] = value.get<std::string>();
  }
  for (const auto& [key, names] : TemplateKeys()) {
    if (set.texts.count(key) == 0) {
      return absl::InvalidArgumentError(Invalid(where + ".texts." + key, "缺失", "is missing"));
    }
  }
  return set;
}

const std::map<std::string, TemplateSet>& BuiltInTemplateSets() {
  static const auto* sets = [] {
    auto* out = new std::map<std::string, TemplateSet>();
    for (const auto& [file, text] : EmbeddedTemplateSetFiles()) {
      absl::StatusOr<TemplateSet> set = ParseTemplateSet(text);
      if (set.ok()) out->emplace(set->id, *std::move(set));
    }
    return out;
  }();
  return *sets;
}

absl::StatusOr<const TemplateSet*> FindTemplateSet(std::string_view id) {
  const auto& sets = BuiltInTemplateSets();
  const std::string wanted(id.empty() ? kDefaultTemplateSetId : id);
  const auto it = sets.find(wanted);
  if (it != sets.end()) return &it->second;
  std::vector<std::string> ids;
  for (const auto& [name, set] : sets) ids.push_back(name);
  return absl::NotFoundError("没有模板集 “" + wanted + "”，可用：" + absl::StrJoin(ids, "、") + " / no template set '" +
                             wanted + "'; available: " + absl::StrJoin(ids, ", "));
}

const TemplateSet& DefaultTemplateSet() {
  static const TemplateSet* set = [] {
    absl::StatusOr<const TemplateSet*> found = FindTemplateSet("");
    return found.ok() ? *found : new TemplateSet();
  }();
  return *set;
}

// ---------------------------------------------------------------- filling

std::string FillText(const std::string& text, const TemplateValues& values) {
  // Parsing costs more than filling, and a document fills the same few dozen
  // templates; a parsed template is reused by its own thread only, because
  // rendering walks (non-const) state inside it.
  thread_local std::unordered_map<std::string, std::unique_ptr<Mustache>> parsed;
  auto it = parsed.find(text);
  if (it == parsed.end()) {
    if (parsed.size() >= 1024) parsed.clear();  // arbitrary texts must not grow it forever
    auto tmpl = std::make_unique<Mustache>(text);
    // The document model holds plain text; each renderer escapes for its
    // own format.
    tmpl->set_custom_escape([](const std::string& s) { return s; });
    it = parsed.emplace(text, std::move(tmpl)).first;
  }
  return it->second->render(values.data());
}

std::string Fill(const TemplateSet& set, std::string_view key, const TemplateValues& values) {
  const auto it = set.texts.find(std::string(key));
  if (it == set.texts.end()) return "";
  return FillText(it->second, values);
}

std::string ChineseNumeral(int n) {
  static constexpr const char* kDigits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  if (n <= 0 || n > 99) return std::to_string(n);
  if (n < 10) return kDigits[n];
  const int tens = n / 10;
  const int ones = n % 10;
  std::string text = tens == 1 ? "" : kDigits[tens];
  text += "十";
  if (ones != 0) text += kDigits[ones];
  return text;
}

}  // namespace yusuan::report
