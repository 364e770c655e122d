// Locality template sets: the order and titles of the tables, the headings
// and numbering of the parts and items, every sentence of the narrative and
// the glossary are data (data/templates/*.json, Mustache), not code. The code
// decides *which* sentence applies and computes every number; the set says
// how it is worded. Sets are compiled into the binary, so a render is still a
// pure function of its input.
#ifndef YUSUAN_SERVICES_REPORT_DOMAIN_TEMPLATE_SET_H_
#define YUSUAN_SERVICES_REPORT_DOMAIN_TEMPLATE_SET_H_

#include <kainjow/mustache.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace yusuan::report {

// The set a disclosure uses when the input names none: the reference
// document's order and wording (武汉市青山区, 2021).
inline constexpr std::string_view kDefaultTemplateSetId = "wuhan-district-2021";

// One of 表1–表10 in the set's order. `source` is the ledger's table number
// (1–8 from the projection, 9 the department goal form, 10 the project
// forms); the printed number is the position in the set's list.
struct TemplateTable {
  int source = 0;
  std::string title;  // without the "{简称}{年度}年" prefix
};

// An item of 第三部分 (the budget explanation), in the set's order. `item`
// names what the code computes ("fiscal_overview", …); `title` is printed
// after the set's numbering ("一、", "(一)").
struct TemplateItem {
  std::string item;
  std::string title;
  std::vector<TemplateItem> subitems;
};

// A term of the glossary; `functional_codes` marks the entry under which
// the functional 项 the department uses are listed.
struct TemplateTerm {
  std::string term;
  std::string definition;  // Mustache: {{fiscal_level}}
  bool functional_codes = false;
};

struct TemplateSet {
  std::string id;
  std::string name;   // "武汉市区级部门预算公开（2021）"
  std::string basis;  // the document or regulation the set follows
  std::vector<TemplateTable> tables;
  std::vector<TemplateItem> explanation;
  std::vector<TemplateTerm> glossary;
  // How the set names an economic class (3-digit code) in the list of what
  // 基本支出 is used for, where that differs from the catalogue's name (the
  // reference writes 303 "对个人和家庭补助支出" there, the catalogue's
  // "对个人和家庭的补助" elsewhere). Optional.
  std::map<std::string, std::string> class_names_in_uses;
  // Every other wording, by key ("sentence.fiscal_overview",
  // "part.tables", "numbering.item"): Mustache templates.
  std::map<std::string, std::string> texts;
};

// A figure a sentence states, kept beside its text so open data can say
// where it comes from: `field` is a BudgetSummary field path
// ("fiscal_total_fen"), a budget field ("budget.prior_years.general_budget_fen"),
// a figure derived from the ledger's projection (below; the open-data JSON
// gives it the lines behind it like any summary field), or "" when it has no
// ledger lines (三公 component sums). The derived forms:
//   "a + b + c"                      the sum of summary figures a, b and c
//   "field[current]"                 a summary figure less its lines paid
//                                    from last year's carry-over
//   "tables[N].rows[CODE].cells[C]"  cell C of the row coded CODE of the
//                                    ledger's 表N (N the source number)
struct TemplateFigure {
  std::string name;  // the placeholder ("total")
  int64_t fen = 0;
  std::string text;  // as printed ("415.51")
  std::string field;
};

// 第三部分 一's 上年结转: every fiscal fund's carry-over.
inline constexpr std::string_view kFiscalCarryoverField =
    "general_carryover_fen + government_fund_carryover_fen + "
    "state_capital_carryover_fen";
// Appended to a summary field: its current-year part.
inline constexpr std::string_view kCurrentYearSelector = "[current]";

// The values a template is filled with. Every value is text (numbers are
// formatted by the code, F1–F4); lists carry `first`/`last` flags on each
// element so a template can place separators.
class TemplateValues {
 public:
  TemplateValues();
  TemplateValues& Set(const std::string& name, std::string value);
  TemplateValues& Set(const std::string& name, int64_t value);
  // An amount in 万元 as F1 prints it, recorded as a figure.
  TemplateValues& Amount(const std::string& name, int64_t fen, std::string field = "");
  TemplateValues& Flag(const std::string& name, bool value);
  TemplateValues& List(const std::string& name, const std::vector<TemplateValues>& items);
  const kainjow::mustache::data& data() const { return data_; }
  // The figures set by Amount, including those of list elements.
  const std::vector<TemplateFigure>& figures() const { return figures_; }

 private:
  kainjow::mustache::data data_;
  std::vector<TemplateFigure> figures_;
};

// Parses and checks a set: every key the code uses is present and no other,
// every template parses, names only the values its key provides and uses no
// delimiter changes or partials, all ten tables and every explanation item
// appear exactly once, and exactly one glossary term lists the functional
// codes. INVALID_ARGUMENT naming the key and the problem otherwise.
absl::StatusOr<TemplateSet> ParseTemplateSet(std::string_view json);

// The sets compiled into the binary, by id (each already checked: a set that
// fails ParseTemplateSet is a build-time test failure, and is left out here
// so the others still work).
const std::map<std::string, TemplateSet>& BuiltInTemplateSets();

// The set with `id` ("" → the default). NOT_FOUND lists the available ids.
absl::StatusOr<const TemplateSet*> FindTemplateSet(std::string_view id);

// The default set (always present: its absence is a build error caught by
// the tests).
const TemplateSet& DefaultTemplateSet();

// Fills the template under `key` with `values`. The key and every name it
// uses are checked when the set is parsed, so this cannot fail on a built-in
// set; an unknown key yields "" (and a test failure).
std::string Fill(const TemplateSet& set, std::string_view key, const TemplateValues& values);

// Fills an arbitrary template text (glossary definitions).
std::string FillText(const std::string& text, const TemplateValues& values);

// 1 → "一", 10 → "十", 12 → "十二", 21 → "二十一" (up to 99).
std::string ChineseNumeral(int n);

// The names of values each key may use (the code's side of the contract).
const std::map<std::string, std::vector<std::string>>& TemplateKeys();

// The explanation items the code knows ("fiscal_overview", …).
const std::vector<std::string>& ExplanationItemNames();

}  // namespace yusuan::report

#endif  // YUSUAN_SERVICES_REPORT_DOMAIN_TEMPLATE_SET_H_
