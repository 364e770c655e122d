#include "services/report/domain/narrative.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/money.h"

namespace yusuan::report {
namespace {

using ::yusuan::ledger::v1::BudgetSummary;
using ::yusuan::ledger::v1::Department;
using ::yusuan::ledger::v1::FundSource;
using ::yusuan::report::v1::ReportInput;

std::string Num(int64_t n) { return std::to_string(n); }

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Removes trailing sentence punctuation and blanks so that a department's
// text can be embedded in our own sentence without doubling "。".
std::string TrimClause(std::string text) {
  static constexpr std::array<std::string_view, 8> kTails = {"。", "；", "，", "、", "：", "！", "…", "　"};
  bool changed = true;
  while (changed && !text.empty()) {
    changed = false;
    const char last = text.back();
    if (last == ' ' || last == '\t' || last == '\n' || last == '\r' || last == '.' || last == ';' || last == ',' ||
        last == ':') {
      text.pop_back();
      changed = true;
      continue;
    }
    for (std::string_view tail : kTails) {
      if (EndsWith(text, tail)) {
        text.resize(text.size() - tail.size());
        changed = true;
        break;
      }
    }
  }
  size_t start = 0;
  while (start < text.size() &&
         (text[start] == ' ' || text[start] == '\t' || text[start] == '\n' || text[start] == '\r')) {
    ++start;
  }
  return text.substr(start);
}

// A purpose as the template uses it, after its own "主要用于": the words a
// department often starts its text with are dropped, so the sentence never
// reads "主要用于主要用于…".
std::string PurposeClause(const std::string& text) {
  std::string purpose = TrimClause(text);
  for (std::string_view lead : {std::string_view("主要用于"), std::string_view("用于")}) {
    if (purpose.rfind(lead, 0) == 0) {
      purpose = TrimClause(purpose.substr(lead.size()));
      break;
    }
  }
  return purpose;
}

const BudgetSummary& Summary(const ReportInput& input) { return input.tables().summary(); }

// An economic class as the sentences name it: the catalogue's name the
// projection carries, or the code when the catalogue had none.
std::string ClassName(const yusuan::ledger::v1::EconomicClassTotal& cls) {
  return cls.name().empty() ? cls.code() : cls.name();
}

// The class in the list of what 基本支出 is used for: the set's wording where
// it has one.
std::string ClassNameInUses(const TemplateSet& set, const yusuan::ledger::v1::EconomicClassTotal& cls) {
  auto it = set.class_names_in_uses.find(cls.code());
  return it != set.class_names_in_uses.end() ? it->second : ClassName(cls);
}

// The narrative names of income sources (§6.7). The ledger's labels are
// table row labels ("一般公共预算拨款收入"); the narrative uses the fuller
// wording of the reference document.
std::string SourceNarrativeName(FundSource source) {
  switch (source) {
    case ledger::v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET:
      return "一般公共预算财政拨款收入";
    case ledger::v1::FUND_SOURCE_GOVERNMENT_FUND_BUDGET:
      return "政府性基金预算财政拨款收入";
    case ledger::v1::FUND_SOURCE_STATE_CAPITAL_BUDGET:
      return "国有资本经营预算财政拨款收入";
    case ledger::v1::FUND_SOURCE_FISCAL_SPECIAL_ACCOUNT:
      return "财政专户管理资金收入";
    case ledger::v1::FUND_SOURCE_INSTITUTION_REVENUE:
      return "事业收入";
    case ledger::v1::FUND_SOURCE_INSTITUTION_OPERATING_REVENUE:
      return "事业单位经营收入";
    case ledger::v1::FUND_SOURCE_SUPERIOR_SUBSIDY:
      return "上级补助收入";
    case ledger::v1::FUND_SOURCE_SUBSIDIARY_REMITTANCE:
      return "附属单位上缴收入";
    case ledger::v1::FUND_SOURCE_OTHER_REVENUE:
      return "其他收入";
    case ledger::v1::FUND_SOURCE_INSTITUTION_FUND:
      return "用事业基金弥补收支差额";
    default:
      return "";
  }
}

// Zero sources that §6.7 still mentions as "无…" (reference wording).
bool AlwaysMentioned(FundSource source) {
  return source == ledger::v1::FUND_SOURCE_GOVERNMENT_FUND_BUDGET ||
         source == ledger::v1::FUND_SOURCE_INSTITUTION_REVENUE;
}

std::optional<int64_t> OptionalPriorThreePublic(const ReportInput& input) {
  const BudgetSummary& summary = Summary(input);
  if (summary.has_three_public_prior_fen()) {
    return summary.three_public_prior_fen();
  }
  // The summary is the source of truth; the components are the fallback for
  // a summary projected before the prior year was known.
  if (input.budget().three_public().has_prior()) {
    const auto& prior = input.budget().three_public().prior();
    return prior.overseas_fen() + prior.vehicle_purchase_fen() + prior.vehicle_operation_fen() + prior.reception_fen();
  }
  return std::nullopt;
}

// What the budget's project lines of `source` pay from last year's
// carry-over (from_carryover).
int64_t CarriedOverProjectFen(const ReportInput& input, FundSource source) {
  int64_t fen = 0;
  for (const auto& line : input.budget().expenditure_lines()) {
    if (line.kind() == ledger::v1::EXPENDITURE_KIND_PROJECT && line.fund_source() == source && line.from_carryover()) {
      fen += line.amount_fen();
    }
  }
  return fen;
}

// The figure field of the current-year part of a summary figure: the field
// itself when nothing of it is carried over, else the field with the
// "[current]" selector (json_renderer.h: its lines less the carry-over ones).
std::string CurrentYearField(std::string_view field, int64_t carried_fen) {
  return std::string(field) + (carried_fen == 0 ? "" : std::string(kCurrentYearSelector));
}

bool IsMachineryUnit(ledger::v1::UnitType type) {
  return type == ledger::v1::UNIT_TYPE_ADMINISTRATIVE ||
         type == ledger::v1::UNIT_TYPE_CIVIL_SERVANT_MANAGED_INSTITUTION;
}

}  // namespace

// ---------------------------------------------------------------- helpers

int FiscalYear(const ReportInput& input) {
  if (input.budget().fiscal_year() != 0) return input.budget().fiscal_year();
  return input.goals().fiscal_year();
}

std::string ChineseDate(const std::string& iso) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return iso;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (iso[i] < '0' || iso[i] > '9') return iso;
  }
  const int month = (iso[5] - '0') * 10 + (iso[6] - '0');
  const int day = (iso[8] - '0') * 10 + (iso[9] - '0');
  return iso.substr(0, 4) + " 年 " + Num(month) + " 月 " + Num(day) + " 日";
}

std::string ShortName(const Department& department) {
  return department.short_name().empty() ? department.full_name() : department.short_name();
}

std::string UnitNature(ledger::v1::FundingForm funding_form, ledger::v1::UnitType unit_type) {
  std::string nature;
  switch (funding_form) {
    case ledger::v1::FUNDING_FORM_FULL:
      nature = "全额拨款";
      break;
    case ledger::v1::FUNDING_FORM_PARTIAL:
      nature = "差额拨款";
      break;
    case ledger::v1::FUNDING_FORM_SELF_FUNDED:
      nature = "自收自支";
      break;
    default:
      break;
  }
  switch (unit_type) {
    case ledger::v1::UNIT_TYPE_ADMINISTRATIVE:
      return nature + "行政单位";
    case ledger::v1::UNIT_TYPE_CIVIL_SERVANT_MANAGED_INSTITUTION:
      return nature + "参公事业单位";
    case ledger::v1::UNIT_TYPE_PUBLIC_INSTITUTION:
      return nature + "事业单位";
    case ledger::v1::UNIT_TYPE_OTHER:
      return nature + "其他单位";
    default:
      return nature + "单位";
  }
}

TemplateValues DocumentValues(const ReportInput& input) {
  const int year = FiscalYear(input);
  TemplateValues values;
  values.Set("year", int64_t{year});
  values.Set("prior_year", int64_t{year - 1});
  values.Set("short_name", ShortName(input.department()));
  values.Set("full_name", input.department().full_name());
  return values;
}

namespace {

TemplateValues NamedValue(const std::string& name) {
  TemplateValues values;
  values.Set("name", name);
  return values;
}

std::vector<TemplateValues> NamedValues(const std::vector<std::string>& names) {
  std::vector<TemplateValues> out;
  for (const std::string& name : names) out.push_back(NamedValue(name));
  return out;
}

TemplateValues NamedAmount(const std::string& name, int64_t fen, std::string field = "") {
  TemplateValues values = NamedValue(name);
  values.Amount("amount", fen, std::move(field));
  return values;
}

// Flags and figures of a year-on-year comparison (phrase.compare_*).
TemplateValues CompareValues(int64_t current_fen, std::optional<int64_t> prior_fen, int prior_year) {
  TemplateValues values;
  values.Set("prior_year", int64_t{prior_year});
  const YearOnYear yoy = CompareYearOnYear(current_fen, prior_fen.value_or(0));
  const bool known = prior_fen.has_value();
  values.Flag("absent", !known);
  values.Flag("increase", known && yoy.direction == YearOnYear::Direction::kIncrease);
  values.Flag("decrease", known && yoy.direction == YearOnYear::Direction::kDecrease);
  values.Flag("new", known && yoy.direction == YearOnYear::Direction::kNew);
  values.Flag("flat", known && yoy.direction == YearOnYear::Direction::kFlat);
  values.Set("delta", yoy.delta_text);
  values.Set("rate", yoy.rate_text);
  return values;
}

// Where an item sits in the set's tree: its position at each depth.
bool FindItem(const std::vector<TemplateItem>& items, const std::string& name, std::vector<int>& path,
              const TemplateItem** found) {
  for (size_t i = 0; i < items.size(); ++i) {
    path.push_back(static_cast<int>(i) + 1);
    if (items[i].item == name) {
      *found = &items[i];
      return true;
    }
    if (FindItem(items[i].subitems, name, path, found)) return true;
    path.pop_back();
  }
  return false;
}

// Adds the sentence under `key` and the figures it states.
void Say(NarrativeItem& item, const TemplateSet& set, std::string_view key, const TemplateValues& values) {
  item.paragraphs.push_back(Fill(set, key, values));
  item.figures.insert(item.figures.end(), values.figures().begin(), values.figures().end());
}

NarrativeItem Titled(const TemplateSet& set, const std::string& name) {
  NarrativeItem item;
  item.heading = ItemHeading(set, name);
  return item;
}

}  // namespace

std::string ItemHeading(const TemplateSet& set, const std::string& name) {
  std::vector<int> path;
  const TemplateItem* found = nullptr;
  if (!FindItem(set.explanation, name, path, &found)) return "";
  TemplateValues numbering;
  numbering.Set("number", int64_t{path.back()});
  numbering.Set("numeral", ChineseNumeral(path.back()));
  return Fill(set, path.size() == 1 ? "numbering.item" : "numbering.subitem", numbering) + found->title;
}

std::string CompareWithPriorBudget(int64_t current_fen, std::optional<int64_t> prior_fen, int prior_year,
                                   const TemplateSet& set) {
  return Fill(set, "phrase.compare_budget", CompareValues(current_fen, prior_fen, prior_year));
}

std::string CompareWithPriorYear(int64_t current_fen, std::optional<int64_t> prior_fen, const TemplateSet& set) {
  if (!prior_fen.has_value()) return "";
  return Fill(set, "phrase.compare_year", CompareValues(current_fen, prior_fen, 0));
}

std::string ReasonClause(const std::string& reason, const TemplateSet& set) {
  std::string trimmed = TrimClause(reason);
  if (trimmed.empty()) return "";
  TemplateValues values;
  values.Set("reason", std::move(trimmed));
  return Fill(set, "phrase.reason", values);
}

// ---------------------------------------------------------------- 第一部分

std::string UnitComposition(const Department& department, const TemplateSet& set) {
  TemplateValues values;
  values.Set("year", "").Set("prior_year", "");
  values.Set("short_name", ShortName(department));
  values.Set("full_name", department.full_name());
  values.Set("nature", UnitNature(department.funding_form(), department.unit_type()));
  std::vector<std::string> offices(department.internal_offices().begin(), department.internal_offices().end());
  values.Flag("has_offices", !offices.empty());
  values.Set("offices_count", static_cast<int64_t>(offices.size()));
  values.List("offices", NamedValues(offices));
  std::vector<std::string> units;
  for (const auto& unit : department.secondary_units()) units.push_back(unit.name());
  values.Flag("has_units", !units.empty());
  values.Set("units_count", static_cast<int64_t>(units.size()));
  values.List("units", NamedValues(units));
  return Fill(set, "profile.unit_composition", values);
}

std::vector<std::string> StaffComposition(const Department& department, const TemplateSet& set) {
  const auto& staffing = department.staffing();
  // Summed by kind in enum order so that the sentence is deterministic even
  // when a kind is listed twice.
  std::map<int, int64_t> by_kind;
  int64_t total = 0;
  for (const auto& quota : staffing.quotas()) {
    by_kind[quota.kind()] += quota.count();
    total += quota.count();
  }
  std::vector<TemplateValues> kinds;
  for (const auto& [kind, count] : by_kind) {
    if (count == 0) continue;
    std::string label;
    switch (kind) {
      case ledger::v1::ESTABLISHMENT_KIND_ADMINISTRATIVE:
        label = "行政编制";
        break;
      case ledger::v1::ESTABLISHMENT_KIND_CIVIL_SERVANT_MANAGED:
        label = "参照公务员法管理";
        break;
      case ledger::v1::ESTABLISHMENT_KIND_PUBLIC_INSTITUTION:
        label = "事业编制";
        break;
      case ledger::v1::ESTABLISHMENT_KIND_LOGISTICS:
        label = "工勤编制";
        break;
      default:
        label = "其他编制";
        break;
    }
    TemplateValues entry;
    entry.Set("label", label).Set("count", count);
    kinds.push_back(std::move(entry));
  }
  TemplateValues values;
  values.Set("year", "").Set("prior_year", "");
  values.Set("short_name", ShortName(department));
  values.Set("full_name", department.full_name());
  values.Set("total", total);
  values.Flag("has_kinds", !kinds.empty());
  values.List("kinds", kinds);
  values.Set("in_service", int64_t{staffing.in_service()});
  values.Set("retirees", static_cast<int64_t>(staffing.retired_before_1949()) + staffing.retired());
  values.Set("retired_before_1949", int64_t{staffing.retired_before_1949()});
  values.Set("retired", int64_t{staffing.retired()});
  return {Fill(set, "profile.staff_establishment", values), Fill(set, "profile.staff_retirees", values)};
}

// ---------------------------------------------------------------- 第三部分

NarrativeItem FiscalOverview(const ReportInput& input, const TemplateSet& set) {
  const BudgetSummary& s = Summary(input);
  std::vector<TemplateValues> income;
  if (s.general_current_fen() != 0) {
    income.push_back(NamedAmount("一般公共预算财政拨款本年收入", s.general_current_fen(), "general_current_fen"));
  }
  if (s.government_fund_current_fen() != 0) {
    income.push_back(
        NamedAmount("政府性基金预算财政拨款本年收入", s.government_fund_current_fen(), "government_fund_current_fen"));
  }
  if (s.state_capital_current_fen() != 0) {
    income.push_back(
        NamedAmount("国有资本经营预算财政拨款本年收入", s.state_capital_current_fen(), "state_capital_current_fen"));
  }
  const int64_t carryover =
      s.general_carryover_fen() + s.government_fund_carryover_fen() + s.state_capital_carryover_fen();
  if (carryover != 0) {
    income.push_back(NamedAmount("上年结转", carryover, std::string(kFiscalCarryoverField)));
  }
  TemplateValues values = DocumentValues(input);
  values.Amount("total", s.fiscal_total_fen(), "fiscal_total_fen");
  values.Flag("has_income", !income.empty());
  values.List("income", income);
  values.Amount("basic", s.fiscal_basic_fen(), "fiscal_basic_fen");
  values.Amount("project", s.fiscal_project_fen(), "fiscal_project_fen");
  NarrativeItem item = Titled(set, "fiscal_overview");
  Say(item, set, "sentence.fiscal_overview", values);
  return item;
}

NarrativeItem GeneralBudgetSpending(const ReportInput& input, const TemplateSet& set) {
  const BudgetSummary& s = Summary(input);
  const int year = FiscalYear(input);
  const auto& prior = input.budget().prior_years();
  NarrativeItem item = Titled(set, "general_budget");

  std::optional<int64_t> prior_general;
  if (prior.has_general_budget_fen()) prior_general = prior.general_budget_fen();
  const YearOnYear yoy = CompareYearOnYear(s.general_current_fen(), prior_general.value_or(0));
  std::string change = CompareWithPriorBudget(s.general_current_fen(), prior_general, year - 1, set);
  if (prior_general.has_value() && yoy.direction != YearOnYear::Direction::kFlat) {
    change += ReasonClause(input.budget().narrative().general_budget_change_reason(), set);
  }
  TemplateValues total = DocumentValues(input);
  total.Amount("total", s.general_total_fen(), "general_total_fen");
  total.Amount("current", s.general_current_fen(), "general_current_fen");
  total.Set("change", change);
  total.Flag("has_carryover", s.general_carryover_fen() != 0);
  total.Amount("carryover", s.general_carryover_fen(), "general_carryover_fen");
  Say(item, set, "sentence.general_budget.total", total);

  // (一) The parenthetical lists name the non-zero economic classes.
  std::vector<std::string> personnel;
  std::vector<std::string> pub;
  for (const auto& cls : s.general_basic_by_class()) {
    if (cls.amount_fen() == 0) continue;
    (cls.personnel() ? personnel : pub).push_back(ClassNameInUses(set, cls));
  }
  TemplateValues basic = DocumentValues(input);
  basic.Amount("basic", s.general_basic_fen(), "general_basic_fen");
  basic.Flag("nonzero", s.general_basic_fen() != 0);
  basic.Flag("has_uses", !personnel.empty() || !pub.empty());
  basic.Flag("has_personnel", !personnel.empty());
  basic.Flag("has_public", !pub.empty());
  basic.Flag("has_both", !personnel.empty() && !pub.empty());
  basic.List("personnel", NamedValues(personnel));
  basic.List("public", NamedValues(pub));
  Say(item, set, "sentence.general_budget.basic", basic);

  // (二) Project spending by functional 项, then by project.
  TemplateValues project = DocumentValues(input);
  project.Amount("project", s.general_project_fen(), "general_project_fen");
  Say(item, set, "sentence.general_budget.project", project);
  std::map<std::string, std::string> purpose_by_id;
  for (const auto& p : input.budget().projects()) {
    purpose_by_id[p.project_id()] = p.purpose();
  }
  for (const auto& fi : s.general_project_items()) {
    TemplateValues line = DocumentValues(input);
    const std::string item_field = "general_project_items[" + fi.functional_code() + "]";
    line.Set("name", fi.name());
    line.Amount("amount", fi.amount_fen(), item_field + ".amount_fen");
    line.Flag("has_projects", fi.projects_size() > 0);
    Say(item, set, "sentence.general_budget.project_item", line);
    for (const auto& p : fi.projects()) {
      std::string purpose = p.purpose();
      if (purpose.empty()) {
        auto it = purpose_by_id.find(p.project_id());
        if (it != purpose_by_id.end()) purpose = it->second;
      }
      purpose = PurposeClause(purpose);
      TemplateValues text = DocumentValues(input);
      text.Set("name", p.name());
      text.Amount("amount", p.amount_fen(), item_field + ".projects[" + p.project_id() + "].amount_fen");
      text.Flag("has_purpose", !purpose.empty());
      text.Flag("purpose_names_aspect", EndsWith(purpose, "方面"));
      text.Set("purpose", purpose);
      Say(item, set, "sentence.general_budget.project_line", text);
    }
  }
  return item;
}

NarrativeItem GeneralBasicSpending(const ReportInput& input, const TemplateSet& set) {
  const BudgetSummary& s = Summary(input);
  NarrativeItem item = Titled(set, "general_basic");
  TemplateValues values = DocumentValues(input);
  values.Amount("basic", s.general_basic_fen(), "general_basic_fen");
  values.Amount("personnel", s.general_personnel_fen(), "general_personnel_fen");
  values.Amount("public", s.general_public_fen(), "general_public_fen");
  Say(item, set, "sentence.general_basic.total", values);
  Say(item, set, "sentence.general_basic.personnel", values);
  std::vector<std::string> public_items;
  for (const auto& cls : s.general_basic_by_class()) {
    if (cls.amount_fen() == 0) continue;
    std::vector<std::string> names(cls.item_names().begin(), cls.item_names().end());
    if (cls.personnel()) {
      TemplateValues line = DocumentValues(input);
      line.Set("name", ClassName(cls));
      line.Amount("amount", cls.amount_fen(), "general_basic_by_class[" + cls.code() + "].amount_fen");
      line.Flag("has_items", !names.empty());
      line.List("items", NamedValues(names));
      Say(item, set, "sentence.general_basic.personnel_class", line);
    } else {
      public_items.insert(public_items.end(), names.begin(), names.end());
    }
  }
  values.Flag("has_items", !public_items.empty());
  values.List("items", NamedValues(public_items));
  Say(item, set, "sentence.general_basic.public", values);
  return item;
}

NarrativeItem ThreePublicSpending(const ReportInput& input, const TemplateSet& set) {
  const BudgetSummary& s = Summary(input);
  const std::optional<int64_t> prior = OptionalPriorThreePublic(input);
  NarrativeItem item = Titled(set, "three_public");
  TemplateValues values = DocumentValues(input);
  const int64_t current = s.three_public_current_fen();
  values.Flag("has_prior", prior.has_value());
  values.Set("change", CompareWithPriorYear(current, prior, set));
  if (current == 0) {
    Say(item, set, "sentence.three_public.zero", values);
    return item;
  }
  const auto& cur = input.budget().three_public().current();
  const auto& pri = input.budget().three_public().prior();
  const int64_t vehicle = cur.vehicle_purchase_fen() + cur.vehicle_operation_fen();
  const int64_t prior_vehicle = pri.vehicle_purchase_fen() + pri.vehicle_operation_fen();
  values.Amount("total", current, "three_public_current_fen");
  values.Amount("overseas", cur.overseas_fen(), "budget.three_public.current.overseas_fen");
  // A sum of two stated fields: the open data names both (json_renderer
  // resolves " + ").
  values.Amount("vehicle", vehicle,
                "budget.three_public.current.vehicle_purchase_fen + budget.three_public.current.vehicle_operation_fen");
  values.Amount("vehicle_purchase", cur.vehicle_purchase_fen(), "budget.three_public.current.vehicle_purchase_fen");
  values.Amount("vehicle_operation", cur.vehicle_operation_fen(), "budget.three_public.current.vehicle_operation_fen");
  values.Amount("reception", cur.reception_fen(), "budget.three_public.current.reception_fen");
  values.Flag("has_component_prior", input.budget().three_public().has_prior());
  values.Set("overseas_change", CompareWithPriorYear(cur.overseas_fen(), pri.overseas_fen(), set));
  values.Set("vehicle_change", CompareWithPriorYear(vehicle, prior_vehicle, set));
  values.Set("reception_change", CompareWithPriorYear(cur.reception_fen(), pri.reception_fen(), set));
  const std::string reason = TrimClause(input.budget().narrative().three_public_change_reason());
  values.Flag("has_reason", !reason.empty());
  values.Set("reason", reason);
  Say(item, set, "sentence.three_public", values);
  return item;
}

NarrativeItem GovernmentFundSpending(const ReportInput& input, const TemplateSet& set) {
  const BudgetSummary& s = Summary(input);
  NarrativeItem item = Titled(set, "government_fund");
  TemplateValues values = DocumentValues(input);
  if (s.government_fund_total_fen() == 0) {
    Say(item, set, "sentence.government_fund.zero", values);
    return item;
  }
  const auto& prior = input.budget().prior_years();
  values.Amount("total", s.government_fund_total_fen(), "government_fund_total_fen");
  values.Flag("has_prior", prior.has_government_fund_fen());
  values.Set("change", prior.has_government_fund_fen()
                           ? CompareWithPriorYear(s.government_fund_total_fen(), prior.government_fund_fen(), set)
                           : std::string());
  // The 项 list comes from 表5 (its first amount column is 合计); a 款
  // without 项 rows is listed as a 项 would be.
  std::vector<TemplateValues> uses;
  for (const auto& table : input.tables().tables()) {
    if (table.number() != 5) continue;
    for (int i = 0; i < table.rows_size(); ++i) {
      const auto& row = table.rows(i);
      const bool leaf_kuan =
          row.level() == 2 && (i + 1 == table.rows_size() || table.rows(i + 1).code().rfind(row.code(), 0) != 0);
      if ((row.level() != 3 && !leaf_kuan) || row.cells_fen_size() == 0) continue;
      if (row.cells_fen(0) == 0) continue;
      uses.push_back(
          NamedAmount(row.name(), row.cells_fen(0), absl::StrCat("tables[5].rows[", row.code(), "].cells[0]")));
    }
  }
  values.Flag("has_uses", !uses.empty());
  values.List("uses", uses);
  Say(item, set, "sentence.government_fund", values);
  return item;
}

NarrativeItem DepartmentTotals(const ReportInput& input, const TemplateSet& set) {
  const BudgetSummary& s = Summary(input);
  const int year = FiscalYear(input);
  NarrativeItem item = Titled(set, "department_totals");
  TemplateValues values = DocumentValues(input);
  Say(item, set, "sentence.department_totals.principle", values);
  const auto& prior = input.budget().prior_years();
  std::optional<int64_t> prior_total;
  if (prior.has_department_total_fen()) {
    prior_total = prior.department_total_fen();
  }
  const int64_t total = s.department_income_total_fen();
  std::string change = CompareWithPriorBudget(total, prior_total, year - 1, set);
  if (prior_total.has_value() && CompareYearOnYear(total, *prior_total).direction != YearOnYear::Direction::kFlat) {
    change += ReasonClause(input.budget().narrative().department_total_change_reason(), set);
  }
  values.Amount("total", total, "department_income_total_fen");
  values.Set("change", change);
  Say(item, set, "sentence.department_totals", values);
  return item;
}

NarrativeItem DepartmentIncome(const ReportInput& input, const TemplateSet& set) {
  const BudgetSummary& s = Summary(input);
  NarrativeItem item = Titled(set, "department_income");
  // Canonical source order so that the sentence does not depend on the order
  // in which the ledger listed the sources.
  std::map<int, int64_t> by_source;
  std::vector<std::pair<std::string, int64_t>> unnamed;
  for (const auto& source : s.income_by_source()) {
    if (SourceNarrativeName(source.source()).empty()) {
      unnamed.emplace_back(source.label(), source.amount_fen());
    } else {
      by_source[source.source()] += source.amount_fen();
    }
  }
  std::vector<TemplateValues> clauses;
  auto add = [&clauses](const std::string& label, int64_t amount, std::string field) {
    TemplateValues clause = NamedAmount(label, amount, std::move(field));
    clause.Flag("has_amount", FenToWanYuanCents(amount) != 0);
    clauses.push_back(std::move(clause));
  };
  for (int v = ledger::v1::FundSource_MIN; v <= ledger::v1::FundSource_MAX; ++v) {
    if (!ledger::v1::FundSource_IsValid(v)) continue;
    const auto source = static_cast<FundSource>(v);
    const std::string label = SourceNarrativeName(source);
    if (label.empty()) continue;
    const auto it = by_source.find(v);
    const int64_t amount = it == by_source.end() ? 0 : it->second;
    if (FenToWanYuanCents(amount) != 0 || AlwaysMentioned(source)) {
      add(label, amount, "income_by_source[" + ledger::v1::FundSource_Name(source) + "].amount_fen");
    }
  }
  for (const auto& [label, amount] : unnamed) {
    if (FenToWanYuanCents(amount) != 0) add(label, amount, "");
  }
  // The carry-over is always mentioned ("无上年结转" when zero).
  TemplateValues carry = NamedAmount("上年结转", s.department_carryover_fen(), "department_carryover_fen");
  carry.Flag("has_amount", s.department_carryover_fen() != 0);
  clauses.push_back(std::move(carry));
  TemplateValues values = DocumentValues(input);
  values.Amount("total", s.department_income_total_fen(), "department_income_total_fen");
  values.List("sources", clauses);
  Say(item, set, "sentence.department_income", values);
  return item;
}

NarrativeItem DepartmentExpenditure(const ReportInput& input, const TemplateSet& set) {
  const BudgetSummary& s = Summary(input);
  NarrativeItem item = Titled(set, "department_expenditure");
  const std::vector<int64_t> parts = {s.department_basic_fen(), s.department_project_fen(), s.department_remit_fen(),
                                      s.department_operating_fen(), s.department_subsidiary_fen()};
  const std::vector<int64_t> shares = LargestRemainderShares(parts);
  static constexpr std::array<std::string_view, 5> kNames = {"基本支出", "项目支出", "上缴上级支出", "事业单位经营支出",
                                                             "对附属单位补助支出"};
  static constexpr std::array<std::string_view, 5> kFields = {"department_basic_fen", "department_project_fen",
                                                              "department_remit_fen", "department_operating_fen",
                                                              "department_subsidiary_fen"};
  std::vector<TemplateValues> clauses;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i >= 2 && parts[i] == 0) continue;
    TemplateValues clause = NamedAmount(std::string(kNames[i]), parts[i], std::string(kFields[i]));
    clause.Set("share", FormatBasisPoints(shares[i]));
    clauses.push_back(std::move(clause));
  }
  TemplateValues values = DocumentValues(input);
  values.Amount("total", s.department_expenditure_total_fen(), "department_expenditure_total_fen");
  values.List("parts", clauses);
  Say(item, set, "sentence.department_expenditure", values);
  return item;
}

NarrativeItem MachineryOperating(const ReportInput& input, const TemplateSet& set) {
  const BudgetSummary& s = Summary(input);
  NarrativeItem item = Titled(set, "machinery_operating");
  TemplateValues values = DocumentValues(input);
  const auto type = input.department().unit_type();
  // Subordinate 行政 and 参公 units' 公用经费 is 机关运行经费 too: the
  // sentence then speaks of the department, not of its 本级 alone.
  bool units_run_offices = false;
  for (const auto& unit : input.department().secondary_units()) {
    units_run_offices = units_run_offices || IsMachineryUnit(unit.unit_type());
  }
  if (!IsMachineryUnit(type) && !units_run_offices) {
    Say(item, set, "sentence.machinery_operating.none", values);
    return item;
  }
  const auto& prior = input.budget().prior_years();
  values.Flag("administrative", type == ledger::v1::UNIT_TYPE_ADMINISTRATIVE);
  values.Amount("amount", s.machinery_operating_fen(), "machinery_operating_fen");
  values.Flag("has_prior", prior.has_machinery_operating_fen());
  values.Set("change", prior.has_machinery_operating_fen()
                           ? CompareWithPriorYear(s.machinery_operating_fen(), prior.machinery_operating_fen(), set)
                           : std::string());
  const std::string purpose = PurposeClause(input.budget().narrative().machinery_operating_purpose());
  values.Flag("has_purpose", !purpose.empty());
  values.Set("purpose", purpose);
  Say(item, set, units_run_offices ? "sentence.machinery_operating.with_units" : "sentence.machinery_operating",
      values);
  return item;
}

NarrativeItem GovernmentProcurement(const ReportInput& input, const TemplateSet& set) {
  NarrativeItem item = Titled(set, "procurement");
  int64_t total = 0;
  int64_t goods = 0;
  int64_t works = 0;
  int64_t services = 0;
  std::vector<std::string> items;
  std::set<std::string> seen;
  for (const auto& line : input.budget().procurement_lines()) {
    total += line.amount_fen();
    switch (line.category()) {
      case ledger::v1::PROCUREMENT_CATEGORY_GOODS:
        goods += line.amount_fen();
        break;
      case ledger::v1::PROCUREMENT_CATEGORY_WORKS:
        works += line.amount_fen();
        break;
      case ledger::v1::PROCUREMENT_CATEGORY_SERVICES:
        services += line.amount_fen();
        break;
      default:
        break;
    }
    if (!line.item().empty() && seen.insert(line.item()).second) {
      items.push_back(line.item());
    }
  }
  TemplateValues values = DocumentValues(input);
  if (total == 0) {
    Say(item, set, "sentence.procurement.none", values);
    return item;
  }
  values.Amount("total", total, "budget.procurement_lines");
  values.Amount("goods", goods, "budget.procurement_lines[PROCUREMENT_CATEGORY_GOODS]");
  values.Amount("works", works, "budget.procurement_lines[PROCUREMENT_CATEGORY_WORKS]");
  values.Amount("services", services, "budget.procurement_lines[PROCUREMENT_CATEGORY_SERVICES]");
  values.Flag("has_items", !items.empty());
  values.List("items", NamedValues(items));
  Say(item, set, "sentence.procurement", values);
  return item;
}

NarrativeItem StateAssets(const ReportInput& input, const TemplateSet& set) {
  const auto& assets = input.budget().assets();
  NarrativeItem item = Titled(set, "state_assets");
  TemplateValues values = DocumentValues(input);
  values.Flag("has_vehicles", assets.vehicles() != 0);
  values.Set("vehicles", int64_t{assets.vehicles()});
  values.Flag("has_as_of", !assets.as_of_date().empty());
  values.Set("as_of", ChineseDate(assets.as_of_date()));
  values.Flag("has_equipment", assets.general_equipment_over_500k() != 0 || assets.special_equipment_over_1m() != 0);
  values.Set("general_equipment", int64_t{assets.general_equipment_over_500k()});
  values.Set("special_equipment", int64_t{assets.special_equipment_over_1m()});
  values.Flag("has_planned", assets.planned_vehicle_purchases() != 0);
  values.Set("planned_vehicles", int64_t{assets.planned_vehicle_purchases()});
  Say(item, set, "sentence.state_assets", values);
  return item;
}

NarrativeItem ServicePurchase(const ReportInput& input, const TemplateSet& set) {
  NarrativeItem item = Titled(set, "service_purchase");
  int64_t total = 0;
  std::vector<std::string> items;
  std::set<std::string> seen;
  for (const auto& line : input.budget().service_purchase_lines()) {
    total += line.amount_fen();
    if (!line.item().empty() && seen.insert(line.item()).second) {
      items.push_back(line.item());
    }
  }
  TemplateValues values = DocumentValues(input);
  if (total == 0) {
    Say(item, set, "sentence.service_purchase.none", values);
    return item;
  }
  values.Amount("total", total, "budget.service_purchase_lines");
  values.Flag("has_items", !items.empty());
  values.List("items", NamedValues(items));
  Say(item, set, "sentence.service_purchase", values);
  return item;
}

NarrativeItem PerformanceGoals(const ReportInput& input, const TemplateSet& set) {
  const BudgetSummary& s = Summary(input);
  NarrativeItem item = Titled(set, "performance_goals");

  std::set<std::string> with_goals;
  for (const auto& sheet : input.goals().projects()) {
    with_goals.insert(sheet.project_id());
  }
  int covered = 0;
  for (const auto& project : input.budget().projects()) {
    if (with_goals.count(project.project_id()) > 0) ++covered;
  }
  const int projects = input.budget().projects_size();
  const auto& narrative = input.budget().narrative();
  const auto& goals = input.goals().department().annual_goals();
  TemplateValues values = DocumentValues(input);
  values.Flag("full_coverage", covered == projects);
  values.Set("projects", int64_t{projects});
  values.Set("covered", int64_t{covered});
  // "本年财政拨款": 表2/表5's 项目支出 include what last year's carry-over
  // pays for, which is not this year's appropriation.
  const int64_t general_carried = CarriedOverProjectFen(input, ledger::v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET);
  const int64_t fund_carried = CarriedOverProjectFen(input, ledger::v1::FUND_SOURCE_GOVERNMENT_FUND_BUDGET);
  const int64_t fund_current = s.government_fund_project_fen() - fund_carried;
  values.Amount("general_project", s.general_project_fen() - general_carried,
                CurrentYearField("general_project_fen", general_carried));
  values.Flag("has_fund_project", fund_current != 0);
  values.Amount("fund_project", fund_current, CurrentYearField("government_fund_project_fen", fund_carried));
  values.Flag("has_completion", narrative.has_prior_year_goal_completion_pct());
  values.Set("completion", int64_t{narrative.prior_year_goal_completion_pct()});
  values.Flag("has_goals", !goals.empty());
  Say(item, set, "sentence.performance_goals", values);
  if (goals.empty()) return item;
  item.goal_table_type = Fill(set, "sentence.performance_goals.table_type", values);
  int index = 0;
  for (const auto& goal : goals) {
    ++index;
    GoalRow row;
    row.seq = Num(goal.seq() != 0 ? goal.seq() : index);
    row.short_name = goal.short_name().empty() ? goal.text() : goal.short_name();
    row.text = goal.text();
    item.goal_rows.push_back(std::move(row));
  }
  return item;
}

namespace {

NarrativeItem BuildItem(const ReportInput& input, const TemplateSet& set, const TemplateItem& entry);

std::vector<NarrativeItem> BuildItems(const ReportInput& input, const TemplateSet& set,
                                      const std::vector<TemplateItem>& entries) {
  std::vector<NarrativeItem> items;
  for (const TemplateItem& entry : entries) {
    items.push_back(BuildItem(input, set, entry));
  }
  return items;
}

// The item the set names, with the items the set nests under it.
NarrativeItem BuildItem(const ReportInput& input, const TemplateSet& set, const TemplateItem& entry) {
  using Builder = NarrativeItem (*)(const ReportInput&, const TemplateSet&);
  static const auto* builders = new std::map<std::string, Builder>{
      {"fiscal_overview", &FiscalOverview},
      {"general_budget", &GeneralBudgetSpending},
      {"general_basic", &GeneralBasicSpending},
      {"three_public", &ThreePublicSpending},
      {"government_fund", &GovernmentFundSpending},
      {"department_totals", &DepartmentTotals},
      {"department_income", &DepartmentIncome},
      {"department_expenditure", &DepartmentExpenditure},
      {"machinery_operating", &MachineryOperating},
      {"procurement", &GovernmentProcurement},
      {"state_assets", &StateAssets},
      {"service_purchase", &ServicePurchase},
      {"performance_goals", &PerformanceGoals},
  };
  NarrativeItem item;
  const auto builder = builders->find(entry.item);
  if (builder != builders->end()) {
    item = builder->second(input, set);
  } else {
    // A heading that only groups other items ("其他重要事项的情况说明").
    item = Titled(set, entry.item);
  }
  std::vector<NarrativeItem> nested = BuildItems(input, set, entry.subitems);
  item.subitems.insert(item.subitems.end(), nested.begin(), nested.end());
  return item;
}

}  // namespace

NarrativeItem OtherMatters(const ReportInput& input, const TemplateSet& set) {
  std::vector<int> path;
  const TemplateItem* found = nullptr;
  if (!FindItem(set.explanation, "other_matters", path, &found)) {
    return NarrativeItem{};
  }
  return BuildItem(input, set, *found);
}

std::vector<NarrativeItem> BudgetExplanation(const ReportInput& input, const TemplateSet& set) {
  return BuildItems(input, set, set.explanation);
}

}  // namespace yusuan::report
