#include "services/report/domain/json_renderer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/money.h"
#include "services/common/open_data.h"
#include "services/report/domain/disclosure.h"
#include "services/report/domain/glossary.h"
#include "services/report/domain/narrative.h"

namespace yusuan::report {
namespace {

namespace lv1 = yusuan::ledger::v1;
namespace gv1 = yusuan::goals::v1;
using Json = nlohmann::ordered_json;
using ::yusuan::report::v1::ReportInput;

// The ids the CSV gives the same lines.
Json LineIds(const google::protobuf::RepeatedField<int32_t>& income,
             const google::protobuf::RepeatedField<int32_t>& expenditure) {
  Json ids = Json::array();
  for (int n : income) ids.push_back(absl::StrCat("income-", n));
  for (int n : expenditure) ids.push_back(absl::StrCat("expenditure-", n));
  return ids;
}

Json Amount(int64_t fen) {
  Json amount = Json::object();
  amount["fen"] = fen;
  amount["display"] = FormatWanYuan(fen);
  return amount;
}

Json Lines(const ReportInput& input) {
  const lv1::Budget& budget = input.budget();
  Json lines = Json::array();
  for (int i = 0; i < budget.income_lines_size(); ++i) {
    const lv1::IncomeLine& line = budget.income_lines(i);
    Json entry = Json::object();
    entry["id"] = absl::StrCat("income-", i + 1);
    entry["direction"] = "income";
    entry["fund_source"] = lv1::FundSource_Name(line.source());
    entry["carryover"] = line.carryover();
    entry["amount_fen"] = line.amount_fen();
    lines.push_back(std::move(entry));
  }
  for (int i = 0; i < budget.expenditure_lines_size(); ++i) {
    const lv1::ExpenditureLine& line = budget.expenditure_lines(i);
    Json entry = Json::object();
    entry["id"] = absl::StrCat("expenditure-", i + 1);
    entry["direction"] = "expenditure";
    entry["functional_code"] = line.functional_code();
    entry["economic_code"] = line.economic_code();
    entry["kind"] = lv1::ExpenditureKind_Name(line.kind());
    entry["fund_source"] = lv1::FundSource_Name(line.fund_source());
    entry["carryover"] = line.from_carryover();
    entry["project_id"] = line.project_id();
    entry["amount_fen"] = line.amount_fen();
    lines.push_back(std::move(entry));
  }
  return lines;
}

Json Columns(const google::protobuf::RepeatedPtrField<lv1::TableColumn>& columns) {
  Json out = Json::array();
  for (const lv1::TableColumn& column : columns) {
    Json entry = Json::object();
    entry["title"] = column.title();
    if (!column.group().empty()) entry["group"] = column.group();
    out.push_back(std::move(entry));
  }
  return out;
}

using CellKey = std::tuple<int, bool, int, int>;

Json Rows(const lv1::BudgetTable& table, bool right, const std::map<CellKey, const lv1::CellSource*>& sources) {
  const auto& rows = right ? table.right_rows() : table.rows();
  const auto& columns = right ? table.right_columns() : table.columns();
  Json out = Json::array();
  for (int r = 0; r < rows.size(); ++r) {
    const lv1::TableRow& row = rows[r];
    Json entry = Json::object();
    if (!row.code().empty()) entry["code"] = row.code();
    entry["name"] = row.name();
    entry["level"] = row.level();
    if (row.total()) entry["total"] = true;
    Json cells = Json::array();
    for (int c = 0; c < row.cells_fen_size(); ++c) {
      Json cell = Amount(row.cells_fen(c));
      cell["column"] = c < columns.size() ? columns[c].title() : "";
      const auto it = sources.find({table.number(), right, r, c});
      if (it != sources.end()) {
        cell["lines"] = LineIds(it->second->income_lines(), it->second->expenditure_lines());
      }
      cells.push_back(std::move(cell));
    }
    entry["cells"] = std::move(cells);
    out.push_back(std::move(entry));
  }
  return out;
}

Json Tables(const ReportInput& input, const TemplateSet& set) {
  std::map<CellKey, const lv1::CellSource*> sources;
  for (const lv1::CellSource& source : input.tables().cell_sources()) {
    sources[{source.table(), source.right_side(), source.row(), source.column()}] = &source;
  }
  std::map<int, const lv1::BudgetTable*> projected;
  for (const lv1::BudgetTable& table : input.tables().tables()) {
    projected.emplace(table.number(), &table);
  }
  Json out = Json::array();
  for (const PrintedTable& printed : PrintedTables(input, set)) {
    const auto it = projected.find(printed.source);
    if (it == projected.end()) continue;  // 表9/表10 are under "goals"
    const lv1::BudgetTable& table = *it->second;
    Json entry = Json::object();
    entry["number"] = printed.number;
    entry["title"] = printed.title;
    entry["anchor"] = printed.anchor;
    entry["source_table"] = table.number();
    entry["unit"] = "万元";
    entry["columns"] = Columns(table.columns());
    entry["rows"] = Rows(table, false, sources);
    if (table.layout() == lv1::TABLE_LAYOUT_BALANCE) {
      entry["right_columns"] = Columns(table.right_columns());
      entry["right_rows"] = Rows(table, true, sources);
    }
    if (!table.empty_note().empty()) entry["note"] = table.empty_note();
    out.push_back(std::move(entry));
  }
  return out;
}

Json Figures(const ReportInput& input) {
  Json out = Json::array();
  for (const lv1::FigureSource& source : input.tables().summary_sources()) {
    Json entry = Json::object();
    entry["field"] = source.field();
    entry.update(Amount(source.amount_fen()));
    entry["lines"] = LineIds(source.income_lines(), source.expenditure_lines());
    out.push_back(std::move(entry));
  }
  return out;
}

// std::string_view helpers (this Abseil's string_view is its own type).
bool ConsumePrefix(std::string_view* text, std::string_view prefix) {
  if (text->substr(0, prefix.size()) != prefix) return false;
  text->remove_prefix(prefix.size());
  return true;
}
bool ConsumeSuffix(std::string_view* text, std::string_view suffix) {
  if (text->size() < suffix.size() || text->substr(text->size() - suffix.size()) != suffix) return false;
  text->remove_suffix(suffix.size());
  return true;
}
bool ParseInt(std::string_view text, int* out) {
  return absl::SimpleAtoi(absl::string_view(text.data(), text.size()), out);
}

// The ledger lines behind a narrative figure (template_set.h names the
// forms of its field): a summary figure's own, the union of a sum's terms,
// a summary figure's lines less those paid from carry-over, or a table
// cell's. Lines as 1-based positions, income and expenditure apart.
class FigureLines {
 public:
  explicit FigureLines(const ReportInput& input) : input_(input) {
    for (const lv1::FigureSource& source : input.tables().summary_sources()) {
      figures_.emplace(source.field(), &source);
    }
    for (const lv1::CellSource& source : input.tables().cell_sources()) {
      cells_[{source.table(), source.right_side(), source.row(), source.column()}] = &source;
    }
  }

  // The line ids, or nothing when the ledger traced no line to the field.
  std::optional<Json> Find(const std::string& field) const {
    std::set<int> income;
    std::set<int> expenditure;
    if (!Collect(field, income, expenditure)) return std::nullopt;
    Json ids = Json::array();
    for (int n : income) ids.push_back(absl::StrCat("income-", n));
    for (int n : expenditure) ids.push_back(absl::StrCat("expenditure-", n));
    return ids;
  }

 private:
  template <typename Source>
  static void Add(const Source& source, std::set<int>& income, std::set<int>& expenditure) {
    income.insert(source.income_lines().begin(), source.income_lines().end());
    expenditure.insert(source.expenditure_lines().begin(), source.expenditure_lines().end());
  }

  bool Collect(std::string_view field, std::set<int>& income, std::set<int>& expenditure) const {
    if (const auto it = figures_.find(std::string(field)); it != figures_.end()) {
      Add(*it->second, income, expenditure);
      return true;
    }
    if (const size_t plus = field.find(" + "); plus != std::string_view::npos) {
      const bool first = Collect(field.substr(0, plus), income, expenditure);
      const bool rest = Collect(field.substr(plus + 3), income, expenditure);
      return first || rest;
    }
    if (ConsumeSuffix(&field, kCurrentYearSelector)) {
      std::set<int> all_income;
      std::set<int> all_expenditure;
      if (!Collect(field, all_income, all_expenditure)) return false;
      const lv1::Budget& budget = input_.budget();
      for (int n : all_income) {
        if (n >= 1 && n <= budget.income_lines_size() && !budget.income_lines(n - 1).carryover()) {
          income.insert(n);
        }
      }
      for (int n : all_expenditure) {
        if (n >= 1 && n <= budget.expenditure_lines_size() && !budget.expenditure_lines(n - 1).from_carryover()) {
          expenditure.insert(n);
        }
      }
      return true;
    }
    return CollectCell(field, income, expenditure);
  }

  // "tables[5].rows[2296003].cells[0]".
  bool CollectCell(std::string_view field, std::set<int>& income, std::set<int>& expenditure) const {
    int table = 0;
    int column = 0;
    std::string_view code;
    if (!ConsumePrefix(&field, "tables[")) return false;
    const size_t table_end = field.find("].rows[");
    if (table_end == std::string_view::npos || !ParseInt(field.substr(0, table_end), &table)) {
      return false;
    }
    field.remove_prefix(table_end + 7);
    const size_t code_end = field.find("].cells[");
    if (code_end == std::string_view::npos) return false;
    code = field.substr(0, code_end);
    field.remove_prefix(code_end + 8);
    if (!ConsumeSuffix(&field, "]") || !ParseInt(field, &column)) return false;
    for (const lv1::BudgetTable& candidate : input_.tables().tables()) {
      if (candidate.number() != table) continue;
      for (int r = 0; r < candidate.rows_size(); ++r) {
        if (candidate.rows(r).code() != code) continue;
        const auto it = cells_.find({table, false, r, column});
        if (it == cells_.end()) return false;
        Add(*it->second, income, expenditure);
        return true;
      }
    }
    return false;
  }

  const ReportInput& input_;
  std::map<std::string, const lv1::FigureSource*> figures_;
  std::map<CellKey, const lv1::CellSource*> cells_;
};

Json ExplanationItems(const std::vector<NarrativeItem>& items, const FigureLines& sources) {
  Json out = Json::array();
  for (const NarrativeItem& item : items) {
    Json entry = Json::object();
    entry["heading"] = item.heading;
    entry["paragraphs"] = item.paragraphs;
    Json figures = Json::array();
    for (const TemplateFigure& figure : item.figures) {
      Json f = Json::object();
      f["name"] = figure.name;
      f["fen"] = figure.fen;
      f["display"] = figure.text;
      if (!figure.field.empty()) {
        const bool budget_field = figure.field.rfind("budget.", 0) == 0;
        f[budget_field ? "budget_field" : "field"] = figure.field;
        if (!budget_field) {
          if (std::optional<Json> lines = sources.Find(figure.field)) f["lines"] = *std::move(lines);
        }
      }
      figures.push_back(std::move(f));
    }
    entry["figures"] = std::move(figures);
    if (!item.goal_rows.empty()) {
      Json goals = Json::array();
      for (const GoalRow& row : item.goal_rows) {
        goals.push_back(Json{{"seq", row.seq}, {"name", row.short_name}, {"text", row.text}});
      }
      entry["goals"] = std::move(goals);
    }
    if (!item.subitems.empty()) entry["subitems"] = ExplanationItems(item.subitems, sources);
    out.push_back(std::move(entry));
  }
  return out;
}

Json Projects(const ReportInput& input) {
  Json out = Json::array();
  for (const lv1::Project& project : input.budget().projects()) {
    Json entry = Json::object();
    entry["project_id"] = project.project_id();
    entry["name"] = project.name();
    entry["unit"] = "元";
    const std::vector<std::pair<const char*, int64_t>> amounts = {{"total_fen", project.total_fen()},
                                                                  {"total_fiscal_fen", project.total_fiscal_fen()},
                                                                  {"total_other_fen", project.total_other_fen()},
                                                                  {"year_total_fen", project.year_total_fen()},
                                                                  {"year_fiscal_fen", project.year_fiscal_fen()},
                                                                  {"year_other_fen", project.year_other_fen()}};
    for (const auto& [name, fen] : amounts) {
      entry[name] = Json{{"fen", fen}, {"display", FormatYuan(fen)}};
    }
    // The project's spending in the ledger: what 表10's 当年财政拨款 is
    // checked against (X-GOALS-AMOUNT).
    Json lines = Json::array();
    int64_t ledger_fen = 0;
    for (int i = 0; i < input.budget().expenditure_lines_size(); ++i) {
      const lv1::ExpenditureLine& line = input.budget().expenditure_lines(i);
      if (line.project_id() != project.project_id()) continue;
      lines.push_back(absl::StrCat("expenditure-", i + 1));
      ledger_fen += line.amount_fen();
    }
    entry["ledger_lines"] = std::move(lines);
    entry["ledger_fen"] = ledger_fen;
    out.push_back(std::move(entry));
  }
  return out;
}

void AddIndicators(const google::protobuf::RepeatedPtrField<gv1::Indicator>& indicators, const std::string& sheet,
                   const std::string& period, const std::string& goal, const std::string& path, Json& out) {
  for (int i = 0; i < indicators.size(); ++i) {
    const gv1::Indicator& indicator = indicators[i];
    Json entry = Json::object();
    entry["sheet"] = sheet;
    entry["period"] = period;
    if (!goal.empty()) entry["goal"] = goal;
    entry["level1"] = gv1::IndicatorLevel1_Name(indicator.level1());
    entry["level2"] = gv1::IndicatorLevel2_Name(indicator.level2());
    entry["name"] = indicator.name();
    entry["target"] = indicator.target();
    if (!indicator.unit().empty()) entry["unit"] = indicator.unit();
    // Oldest first, as every table prints the years (the contract lists
    // them newest first).
    std::vector<const gv1::HistoryValue*> years;
    for (const auto& h : indicator.history()) years.push_back(&h);
    const bool dated =
        std::all_of(years.begin(), years.end(), [](const gv1::HistoryValue* h) { return h->year() != 0; });
    if (dated) {
      std::stable_sort(years.begin(), years.end(),
                       [](const gv1::HistoryValue* a, const gv1::HistoryValue* b) { return a->year() < b->year(); });
    } else {
      std::reverse(years.begin(), years.end());
    }
    Json history = Json::array();
    for (const gv1::HistoryValue* h : years) {
      history.push_back(Json{{"year", h->year()}, {"value", h->value()}});
    }
    if (!history.empty()) entry["history"] = std::move(history);
    entry["path"] = absl::StrCat(path, "[", i, "]");
    out.push_back(std::move(entry));
  }
}

Json Goals(const ReportInput& input) {
  const gv1::GoalSet& goals = input.goals();
  Json out = Json::object();
  out["name"] = goals.name();
  out["revision"] = goals.revision();
  Json annual = Json::array();
  for (const gv1::AnnualGoal& goal : goals.department().annual_goals()) {
    annual.push_back(Json{{"seq", goal.seq()}, {"short_name", goal.short_name()}, {"text", goal.text()}});
  }
  out["annual_goals"] = std::move(annual);
  Json indicators = Json::array();
  AddIndicators(goals.department().long_term_indicators(), "department", "long_term", "",
                "department.long_term_indicators", indicators);
  for (int g = 0; g < goals.department().annual_goals_size(); ++g) {
    const gv1::AnnualGoal& goal = goals.department().annual_goals(g);
    AddIndicators(goal.indicators(), "department", "annual", absl::StrCat(goal.seq()),
                  absl::StrCat("department.annual_goals[", g, "].indicators"), indicators);
  }
  for (int p = 0; p < goals.projects_size(); ++p) {
    const gv1::ProjectGoalSheet& sheet = goals.projects(p);
    AddIndicators(sheet.medium_term_indicators(), sheet.project_id(), "medium_term", "",
                  absl::StrCat("projects[", p, "].medium_term_indicators"), indicators);
    AddIndicators(sheet.annual_indicators(), sheet.project_id(), "annual", "",
                  absl::StrCat("projects[", p, "].annual_indicators"), indicators);
  }
  out["indicators"] = std::move(indicators);
  return out;
}

Json GlossaryJson(const ReportInput& input, const TemplateSet& set) {
  Json out = Json::array();
  for (const GlossaryEntry& entry : Glossary(input, set)) {
    Json e = Json::object();
    e["number"] = entry.number;
    e["term"] = entry.term;
    e["definition"] = entry.definition;
    if (!entry.lines.empty()) e["lines"] = entry.lines;
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

absl::StatusOr<std::string> RenderOpenDataJson(const ReportInput& input) {
  // The same checks as every other format (UTF-8, year, name, set).
  absl::StatusOr<Document> document = BuildDisclosure(input);
  if (!document.ok()) return document.status();
  absl::StatusOr<const TemplateSet*> set = TemplateSetFor(input);
  if (!set.ok()) return set.status();

  Json out = Json::object();
  out["schema"] = "yusuan-open-data/1";
  out["title"] = DisclosureTitle(input);
  out["notes"] =
      "金额：fen 为整数分，display 为公开文本中的写法（表格为万元，项目为元）；lines 为该数所加总的预算明细行（与 CSV 的 "
      "line_id 相同）。 / Amounts: fen is integer 分, display is as printed (万元 in tables, 元 for projects); "
      "lines are the ledger lines the number adds up (the CSV's line_id).";
  const lv1::Budget& budget = input.budget();
  out["budget"] = Json{{"name", budget.name()},
                       {"fiscal_year", FiscalYear(input)},
                       {"revision", budget.revision()},
                       {"catalogue_edition", budget.catalogue_edition()}};
  out["department"] = Json{{"name", input.department().name()},
                           {"full_name", input.department().full_name()},
                           {"short_name", ShortName(input.department())}};
  out["template_set"] = (*set)->id;
  out["currency"] = "CNY";
  if (input.publish_time_unix_ms() > 0) out["publish_time_unix_ms"] = input.publish_time_unix_ms();
  out["lines"] = Lines(input);
  out["tables"] = Tables(input, **set);
  out["figures"] = Figures(input);
  out["explanation"] = ExplanationItems(BudgetExplanation(input, **set), FigureLines(input));
  out["projects"] = Projects(input);
  out["goals"] = Goals(input);
  out["glossary"] = GlossaryJson(input, **set);
  return out.dump(2, ' ', /*ensure_ascii=*/false, Json::error_handler_t::strict) + "\n";
}

std::string RenderDataPackage(const ReportInput& input, const v1::Artifact& csv, const v1::Artifact& json) {
  const int year = FiscalYear(input);
  // A package name is lower-case ASCII: the budget's resource name with its
  // slashes turned into dashes.
  std::string name = input.budget().name();
  for (char& c : name) {
    if (c == '/') c = '-';
  }
  if (name.empty()) name = absl::StrCat("budget-", year);

  Json package = Json::object();
  package["profile"] = "fiscal-data-package";
  package["name"] = name;
  package["title"] = DisclosureTitle(input);
  package["description"] = absl::StrCat(input.department().full_name(), year,
                                        "年部门预算公开的开放数据：预算明细行（CSV）与附有来源的全文（JSON）。");
  if (input.budget().revision() > 0) package["version"] = absl::StrCat(input.budget().revision());
  package["countryCode"] = "CN";
  package["fiscalPeriod"] = Json{{"start", absl::StrCat(year, "-01-01")}, {"end", absl::StrCat(year, "-12-31")}};
  package["resources"] = Json::array({
      Json{{"name", "ledger-lines"},
           {"path", csv.file_name()},
           {"format", "csv"},
           {"mediatype", "text/csv"},
           {"encoding", "utf-8-sig"},
           {"bytes", csv.content().size()},
           {"hash", "sha256:" + csv.sha256_hex()},
           {"schema", Json{{"fields", open_data::LedgerLineSchemaFields()}, {"primaryKey", "line_id"}}}},
      Json{{"name", "disclosure"},
           {"path", json.file_name()},
           {"format", "json"},
           {"mediatype", "application/json"},
           {"encoding", "utf-8"},
           {"bytes", json.content().size()},
           {"hash", "sha256:" + json.sha256_hex()}},
  });
  package["model"] = open_data::LedgerLineModel();
  return package.dump(2, ' ', false, Json::error_handler_t::strict) + "\n";
}

}  // namespace yusuan::report
