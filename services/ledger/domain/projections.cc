#include "services/ledger/domain/projections.h"
#include "services/ledger/domain/economic_classes.h"

#include <array>
#include <map>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/common/utf8.h"
#include "services/ledger/domain/amounts.h"
#include "services/ledger/domain/units.h"

namespace yusuan::ledger {
namespace {

namespace v1 = yusuan::ledger::v1;

using Cells = std::vector<int64_t>;
using NameFn = const std::string* (Catalogue::*)(std::string_view) const;

// FundSource values 1..10 index these arrays directly.
constexpr int kFirstSource = v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET;
constexpr int kLastSource = v1::FUND_SOURCE_INSTITUTION_FUND;

bool IsKnownSource(int source) { return source >= kFirstSource && source <= kLastSource; }

bool IsFiscal(int source) {
  return source == v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET || source == v1::FUND_SOURCE_GOVERNMENT_FUND_BUDGET ||
         source == v1::FUND_SOURCE_STATE_CAPITAL_BUDGET;
}

bool IsBasic(v1::ExpenditureKind kind) {
  return kind == v1::EXPENDITURE_KIND_BASIC_PERSONNEL || kind == v1::EXPENDITURE_KIND_BASIC_PUBLIC;
}

bool AnyNonZero(const Cells& cells) {
  for (int64_t c : cells) {
    if (c != 0) return true;
  }
  return false;
}

// Row of 表1's by-kind split: 基本, 项目, 上缴上级, 经营, 对附属单位补助; -1 for none.
int KindRow(v1::ExpenditureKind kind) {
  switch (kind) {
    case v1::EXPENDITURE_KIND_BASIC_PERSONNEL:
    case v1::EXPENDITURE_KIND_BASIC_PUBLIC:
      return 0;
    case v1::EXPENDITURE_KIND_PROJECT:
      return 1;
    case v1::EXPENDITURE_KIND_REMIT_TO_SUPERIOR:
      return 2;
    case v1::EXPENDITURE_KIND_OPERATING:
      return 3;
    case v1::EXPENDITURE_KIND_SUBSIDY_TO_SUBSIDIARY:
      return 4;
    default:
      return -1;
  }
}

// Amount of `line` in the column of its kind (`kinds[i]` → column i), zeros elsewhere.
Cells ByKind(const v1::ExpenditureLine& line, const std::vector<std::vector<v1::ExpenditureKind>>& kinds) {
  Cells cells(kinds.size(), 0);
  for (size_t i = 0; i < kinds.size(); ++i) {
    for (v1::ExpenditureKind k : kinds[i]) {
      if (line.kind() == k) cells[i] += line.amount_fen();
    }
  }
  return cells;
}

// Sums of cells per code prefix. Because a parent code is a prefix of its
// children, iterating the map in key order yields 类, its 款, their 项, the
// next 类 … exactly the row order the tables need.
class CodeTree {
 public:
  CodeTree(size_t columns, std::vector<size_t> levels)
      : columns_(columns), levels_(std::move(levels)), total_(columns, 0) {}

  void Add(const std::string& leaf_code, const Cells& cells) {
    for (size_t len : levels_) {
      // A line on a 款 without 项 stops at the 款.
      if (len > leaf_code.size()) break;
      Cells& node = sums_.try_emplace(leaf_code.substr(0, len), columns_, 0).first->second;
      for (size_t i = 0; i < columns_; ++i) node[i] += cells[i];
    }
    for (size_t i = 0; i < columns_; ++i) total_[i] += cells[i];
  }

  // A 合计 row (when `with_total`), then one row per code with a non-zero cell.
  void AppendRows(const Catalogue& catalogue, NameFn name_of, bool with_total,
                  google::protobuf::RepeatedPtrField<v1::TableRow>* rows) const {
    if (with_total) AppendRow("", "合计", 0, total_, true, rows);
    for (const auto& [code, cells] : sums_) {
      if (!AnyNonZero(cells)) continue;
      const std::string* name = (catalogue.*name_of)(code);
      AppendRow(code, name != nullptr ? *name : "", LevelOf(code), cells, false, rows);
    }
  }

  static void AppendRow(const std::string& code, const std::string& name, int level, const Cells& cells, bool total,
                        google::protobuf::RepeatedPtrField<v1::TableRow>* rows) {
    v1::TableRow* row = rows->Add();
    row->set_code(code);
    row->set_name(name);
    row->set_level(level);
    for (int64_t c : cells) row->add_cells_fen(c);
    row->set_total(total);
  }

  const Cells& total() const { return total_; }
  const std::map<std::string, Cells>& sums() const { return sums_; }
  bool empty() const {
    for (const auto& [code, cells] : sums_) {
      if (AnyNonZero(cells)) return false;
    }
    return true;
  }

 private:
  int LevelOf(const std::string& code) const {
    for (size_t i = 0; i < levels_.size(); ++i) {
      if (code.size() == levels_[i]) return static_cast<int>(i) + 1;
    }
    return 0;
  }

  size_t columns_;
  std::vector<size_t> levels_;
  Cells total_;
  std::map<std::string, Cells> sums_;
};

v1::BudgetTable* NewTable(v1::BudgetTables* out, int number, v1::TableLayout layout) {
  v1::BudgetTable* table = out->add_tables();
  table->set_number(number);
  table->set_title(TableTitle(number));
  table->set_layout(layout);
  return table;
}

void AddColumns(google::protobuf::RepeatedPtrField<v1::TableColumn>* columns,
                const std::vector<std::pair<std::string, std::string>>& titles_and_groups) {
  for (const auto& [title, group] : titles_and_groups) {
    v1::TableColumn* column = columns->Add();
    column->set_title(title);
    column->set_group(group);
  }
}

void AddLabelRow(v1::BudgetTable* table, const std::string& name, int level, const Cells& cells, bool total = false) {
  CodeTree::AppendRow("", name, level, cells, total, table->mutable_rows());
}

void AddRightLabelRow(v1::BudgetTable* table, const std::string& name, int level, const Cells& cells,
                      bool total = false) {
  CodeTree::AppendRow("", name, level, cells, total, table->mutable_right_rows());
}

std::string Quoted(const std::string& text) {
  return IsValidUtf8(text) ? absl::StrCat("\"", text, "\"") : "(invalid UTF-8)";
}

absl::Status CheckProjectable(const v1::Budget& budget, const Catalogue& catalogue,
                              const std::map<std::string, int>& project_index) {
  if (absl::Status s = CheckAmountMagnitudes(budget); !s.ok()) return s;
  if (budget.catalogue_edition() != catalogue.edition()) {
    return absl::InvalidArgumentError(absl::StrCat("budget.catalogueEdition is ", budget.catalogue_edition(),
                                                   " but the catalogue given is edition ", catalogue.edition()));
  }
  for (int i = 0; i < budget.expenditure_lines_size(); ++i) {
    const v1::ExpenditureLine& line = budget.expenditure_lines(i);
    if (!catalogue.IsFunctionalItem(line.functional_code())) {
      return absl::InvalidArgumentError(absl::StrCat(
          "budget.expenditureLines[", i, "].functionalCode: ", Quoted(line.functional_code()),
          " is not a functional 项 (7 digits, or a 款 without 项) of the ", catalogue.edition(), " catalogue"));
    }
    if (!catalogue.IsEconomicItem(line.economic_code())) {
      return absl::InvalidArgumentError(
          absl::StrCat("budget.expenditureLines[", i, "].economicCode: ", Quoted(line.economic_code()),
                       " is not an economic 款 (5 digits) of the ", catalogue.edition(), " catalogue"));
    }
    if (!line.project_id().empty() && project_index.find(line.project_id()) == project_index.end()) {
      return absl::InvalidArgumentError(absl::StrCat("budget.expenditureLines[", i,
                                                     "].projectId: ", Quoted(line.project_id()),
                                                     " is not the projectId of any of budget.projects"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string TableTitle(int number) {
  switch (number) {
    case 1:
      return "财政拨款收支预算总表";
    case 2:
      return "一般公共预算支出表";
    case 3:
      return "一般公共预算基本支出表";
    case 4:
      return "一般公共预算“三公”经费支出表";
    case 5:
      return "政府性基金预算支出表";
    case 6:
      return "部门收支总表";
    case 7:
      return "部门收入总表";
    case 8:
      return "部门支出总表";
    default:
      return "";
  }
}

std::string FundSourceLabel(v1::FundSource source) {
  switch (source) {
    case v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET:
      return "一般公共预算拨款收入";
    case v1::FUND_SOURCE_GOVERNMENT_FUND_BUDGET:
      return "政府性基金预算拨款收入";
    case v1::FUND_SOURCE_STATE_CAPITAL_BUDGET:
      return "国有资本经营预算拨款收入";
    case v1::FUND_SOURCE_FISCAL_SPECIAL_ACCOUNT:
      return "财政专户管理资金收入";
    case v1::FUND_SOURCE_INSTITUTION_REVENUE:
      return "事业收入";
    case v1::FUND_SOURCE_INSTITUTION_OPERATING_REVENUE:
      return "事业单位经营收入";
    case v1::FUND_SOURCE_SUPERIOR_SUBSIDY:
      return "上级补助收入";
    case v1::FUND_SOURCE_SUBSIDIARY_REMITTANCE:
      return "附属单位上缴收入";
    case v1::FUND_SOURCE_OTHER_REVENUE:
      return "其他收入";
    case v1::FUND_SOURCE_INSTITUTION_FUND:
      return "用事业基金弥补收支差额";
    default:
      return "";
  }
}

absl::StatusOr<v1::BudgetTables> ComputeTables(const v1::Department& department, const v1::Budget& budget,
                                               const Catalogue& catalogue) {
  // 机关运行经费 is the 公用经费 of 行政单位 and 参公 units only (domain.md,
  // addendum on units): each line counts by the type of the unit it names.
  auto runs_an_office = [&](const std::string& unit_code) { return RunsAnOffice(UnitTypeOf(department, unit_code)); };

  std::map<std::string, int> project_index;
  for (int i = 0; i < budget.projects_size(); ++i) {
    project_index.emplace(budget.projects(i).project_id(), i);
  }
  if (absl::Status s = CheckProjectable(budget, catalogue, project_index); !s.ok()) return s;

  // income[source][carryover]
  std::array<std::array<int64_t, 2>, kLastSource + 1> income{};
  for (const v1::IncomeLine& line : budget.income_lines()) {
    if (IsKnownSource(line.source())) income[line.source()][line.carryover() ? 1 : 0] += line.amount_fen();
  }
  auto income_of = [&](int source, int carry) { return income[source][carry]; };

  const std::vector<std::vector<v1::ExpenditureKind>> kBasicProject = {
      {v1::EXPENDITURE_KIND_BASIC_PERSONNEL, v1::EXPENDITURE_KIND_BASIC_PUBLIC}, {v1::EXPENDITURE_KIND_PROJECT}};

  // 表1 支出 by 类: 合计, 一般公共预算, 政府性基金预算, 国有资本经营预算.
  CodeTree t1_classes(4, {3});
  // 表1 支出 by kind, same columns: 基本, 项目, 上缴上级, 经营, 对附属单位补助.
  std::array<Cells, 5> t1_kinds;
  for (Cells& c : t1_kinds) c.assign(4, 0);
  CodeTree t2(5, {3, 5, 7});
  CodeTree t3(3, {3, 5});
  CodeTree t5(3, {3, 5, 7});
  CodeTree t6_classes(1, {3});
  CodeTree t7(12, {3, 5, 7});
  CodeTree t8(6, {3, 5, 7});
  int64_t machinery_operating = 0;
  int64_t non_office_public = 0;
  int64_t fiscal_basic = 0;
  int64_t fiscal_project = 0;
  std::map<std::string, int64_t> general_project_by_item;
  std::map<std::pair<std::string, std::string>, int64_t> general_project_by_item_project;

  for (const v1::ExpenditureLine& line : budget.expenditure_lines()) {
    const int64_t amount = line.amount_fen();
    const int source = line.fund_source();
    const std::string& item = line.functional_code();
    const bool general = source == v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET;

    if (IsFiscal(source)) {
      Cells cells(4, 0);
      cells[0] = amount;
      cells[source] = amount;  // columns 1..3 follow the enum values 1..3
      t1_classes.Add(item, cells);
      const int kind_row = KindRow(line.kind());
      if (kind_row >= 0) {
        t1_kinds[kind_row][0] += amount;
        t1_kinds[kind_row][source] += amount;
      }
      if (IsBasic(line.kind())) fiscal_basic += amount;
      if (line.kind() == v1::EXPENDITURE_KIND_PROJECT) fiscal_project += amount;
    }

    if (general) {
      const Cells k = ByKind(line, {{v1::EXPENDITURE_KIND_BASIC_PERSONNEL, v1::EXPENDITURE_KIND_BASIC_PUBLIC},
                                    {v1::EXPENDITURE_KIND_BASIC_PERSONNEL},
                                    {v1::EXPENDITURE_KIND_BASIC_PUBLIC},
                                    {v1::EXPENDITURE_KIND_PROJECT}});
      t2.Add(item, {amount, k[0], k[1], k[2], k[3]});
      if (IsBasic(line.kind())) {
        // The personnel/public split follows the line's kind in 表2 and 表3
        // alike, so the two tables cannot disagree; R-T3-5 keeps kinds and
        // economic classes consistent.
        const Cells p = ByKind(line, {{v1::EXPENDITURE_KIND_BASIC_PERSONNEL}, {v1::EXPENDITURE_KIND_BASIC_PUBLIC}});
        t3.Add(line.economic_code(), {amount, p[0], p[1]});
        if (IsOneOf(kOfficeRunningClasses, EconomicClassOf(line.economic_code()))) {
          (runs_an_office(line.unit_code()) ? machinery_operating : non_office_public) += amount;
        }
      }
      if (line.kind() == v1::EXPENDITURE_KIND_PROJECT) {
        general_project_by_item[item] += amount;
        if (!line.project_id().empty()) general_project_by_item_project[{item, line.project_id()}] += amount;
      }
    }

    if (source == v1::FUND_SOURCE_GOVERNMENT_FUND_BUDGET) {
      const Cells k = ByKind(line, kBasicProject);
      t5.Add(item, {amount, k[0], k[1]});
    }

    t6_classes.Add(item, {amount});

    Cells by_source(12, 0);
    by_source[0] = amount;
    if (line.from_carryover()) {
      by_source[1] = amount;
    } else if (IsKnownSource(source)) {
      by_source[1 + source] = amount;  // 一般公共预算 (1) is column 2, …, 用事业基金 (10) column 11
    }
    t7.Add(item, by_source);

    const Cells k8 = ByKind(line, {{v1::EXPENDITURE_KIND_BASIC_PERSONNEL, v1::EXPENDITURE_KIND_BASIC_PUBLIC},
                                   {v1::EXPENDITURE_KIND_PROJECT},
                                   {v1::EXPENDITURE_KIND_REMIT_TO_SUPERIOR},
                                   {v1::EXPENDITURE_KIND_OPERATING},
                                   {v1::EXPENDITURE_KIND_SUBSIDY_TO_SUBSIDIARY}});
    t8.Add(item, {amount, k8[0], k8[1], k8[2], k8[3], k8[4]});
  }

  v1::BudgetTables out;
  const NameFn functional_name = &Catalogue::FunctionalName;
  const NameFn economic_name = &Catalogue::EconomicName;

  // ------------------------------------------------------------------ 表1
  const int64_t fiscal_current = income_of(1, 0) + income_of(2, 0) + income_of(3, 0);
  const int64_t fiscal_carryover = income_of(1, 1) + income_of(2, 1) + income_of(3, 1);
  {
    v1::BudgetTable* t = NewTable(&out, 1, v1::TABLE_LAYOUT_BALANCE);
    AddColumns(t->mutable_columns(), {{"预算数", ""}});
    AddLabelRow(t, "一、本年收入", 0, {fiscal_current});
    AddLabelRow(t, "（一）一般公共预算拨款收入", 1, {income_of(1, 0)});
    AddLabelRow(t, "（二）政府性基金预算拨款收入", 1, {income_of(2, 0)});
    AddLabelRow(t, "（三）国有资本经营预算拨款收入", 1, {income_of(3, 0)});
    AddLabelRow(t, "二、上年结转", 0, {fiscal_carryover});
    AddLabelRow(t, "（一）一般公共预算拨款", 1, {income_of(1, 1)});
    AddLabelRow(t, "（二）政府性基金预算拨款", 1, {income_of(2, 1)});
    AddLabelRow(t, "（三）国有资本经营预算拨款", 1, {income_of(3, 1)});
    AddLabelRow(t, "收入总计", 0, {fiscal_current + fiscal_carryover}, true);

    AddColumns(t->mutable_right_columns(),
               {{"合计", ""}, {"一般公共预算", ""}, {"政府性基金预算", ""}, {"国有资本经营预算", ""}});
    // Two splits of 一、本年支出 follow it: by functional 类 (rows with a
    // code), then by kind (rows without one; 基本支出 and 项目支出 always,
    // the rarer kinds only when non-zero). Each split adds up to 本年支出.
    AddRightLabelRow(t, "一、本年支出", 0, t1_classes.total());
    t1_classes.AppendRows(catalogue, functional_name, /*with_total=*/false, t->mutable_right_rows());
    const char* kKindRows[] = {"基本支出", "项目支出", "上缴上级支出", "事业单位经营支出", "对附属单位补助支出"};
    for (size_t i = 0; i < t1_kinds.size(); ++i) {
      if (i < 2 || AnyNonZero(t1_kinds[i])) AddRightLabelRow(t, kKindRows[i], 1, t1_kinds[i]);
    }
    AddRightLabelRow(t, "二、年终结转结余", 0, Cells(4, 0));
    AddRightLabelRow(t, "支出总计", 0, t1_classes.total(), true);
  }

  // ------------------------------------------------------------------ 表2
  {
    v1::BudgetTable* t = NewTable(&out, 2, v1::TABLE_LAYOUT_CODED);
    AddColumns(
        t->mutable_columns(),
        {{"合计", ""}, {"小计", "基本支出"}, {"人员经费", "基本支出"}, {"公用经费", "基本支出"}, {"项目支出", ""}});
    t2.AppendRows(catalogue, functional_name, true, t->mutable_rows());
  }

  // ------------------------------------------------------------------ 表3
  {
    v1::BudgetTable* t = NewTable(&out, 3, v1::TABLE_LAYOUT_CODED);
    AddColumns(t->mutable_columns(), {{"合计", ""}, {"人员经费", ""}, {"公用经费", ""}});
    t3.AppendRows(catalogue, economic_name, true, t->mutable_rows());
  }

  // ------------------------------------------------------------------ 表4
  const v1::ThreePublic& three = budget.three_public();
  auto three_cells = [](const v1::ThreePublicCosts& c) -> Cells {
    const int64_t vehicles = c.vehicle_purchase_fen() + c.vehicle_operation_fen();
    return {c.overseas_fen() + vehicles + c.reception_fen(),
            c.overseas_fen(),
            vehicles,
            c.vehicle_purchase_fen(),
            c.vehicle_operation_fen(),
            c.reception_fen()};
  };
  const Cells three_current = three_cells(three.current());
  {
    v1::BudgetTable* t = NewTable(&out, 4, v1::TABLE_LAYOUT_LABELED);
    AddColumns(t->mutable_columns(), {{"合计", ""},
                                      {"因公出国（境）费", ""},
                                      {"小计", "公务用车购置及运行费"},
                                      {"公务用车购置费", "公务用车购置及运行费"},
                                      {"公务用车运行费", "公务用车购置及运行费"},
                                      {"公务接待费", ""}});
    bool any = AnyNonZero(three_current);
    if (three.has_prior()) {
      const Cells prior = three_cells(three.prior());
      any = any || AnyNonZero(prior);
      AddLabelRow(t, absl::StrCat(budget.fiscal_year() - 1, "年预算数"), 0, prior);
    }
    AddLabelRow(t, absl::StrCat(budget.fiscal_year(), "年预算数"), 0, three_current);
    if (!any) t->set_empty_note("本部门无一般公共预算“三公”经费支出，此表为空表。");
  }

  // ------------------------------------------------------------------ 表5
  {
    v1::BudgetTable* t = NewTable(&out, 5, v1::TABLE_LAYOUT_CODED);
    AddColumns(t->mutable_columns(), {{"合计", ""}, {"基本支出", ""}, {"项目支出", ""}});
    t5.AppendRows(catalogue, functional_name, true, t->mutable_rows());
    if (t5.empty()) t->set_empty_note("本部门无政府性基金预算安排的支出，此表为空表。");
  }

  // ------------------------------------------------------------------ 表6
  int64_t current_total = 0;  // 本年收入合计: sources 1..9
  int64_t carryover_total = 0;
  for (int s = kFirstSource; s <= kLastSource; ++s) {
    if (s != v1::FUND_SOURCE_INSTITUTION_FUND) current_total += income_of(s, 0);
    carryover_total += income_of(s, 1);
  }
  const int64_t institution_fund = income_of(v1::FUND_SOURCE_INSTITUTION_FUND, 0);
  const int64_t department_income_total = current_total + institution_fund + carryover_total;
  {
    v1::BudgetTable* t = NewTable(&out, 6, v1::TABLE_LAYOUT_BALANCE);
    AddColumns(t->mutable_columns(), {{"预算数", ""}});
    const char* kNumbers[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"};
    for (int s = kFirstSource; s < v1::FUND_SOURCE_INSTITUTION_FUND; ++s) {
      AddLabelRow(t, absl::StrCat(kNumbers[s - 1], "、", FundSourceLabel(static_cast<v1::FundSource>(s))), 1,
                  {income_of(s, 0)});
    }
    AddLabelRow(t, "本年收入合计", 0, {current_total}, true);
    AddLabelRow(t, "十、用事业基金弥补收支差额", 0, {institution_fund});
    AddLabelRow(t, "十一、上年结转", 0, {carryover_total});
    AddLabelRow(t, "收入总计", 0, {department_income_total}, true);

    AddColumns(t->mutable_right_columns(), {{"预算数", ""}});
    t6_classes.AppendRows(catalogue, functional_name, /*with_total=*/false, t->mutable_right_rows());
    AddRightLabelRow(t, "本年支出合计", 0, t6_classes.total(), true);
    AddRightLabelRow(t, "结转下年", 0, {0});
    AddRightLabelRow(t, "支出总计", 0, t6_classes.total(), true);
  }

  // ------------------------------------------------------------------ 表7
  {
    v1::BudgetTable* t = NewTable(&out, 7, v1::TABLE_LAYOUT_CODED);
    std::vector<std::pair<std::string, std::string>> columns = {{"合计", ""}, {"上年结转", ""}};
    for (int s = kFirstSource; s <= kLastSource; ++s) {
      columns.emplace_back(FundSourceLabel(static_cast<v1::FundSource>(s)), "");
    }
    AddColumns(t->mutable_columns(), columns);
    t7.AppendRows(catalogue, functional_name, true, t->mutable_rows());
  }

  // ------------------------------------------------------------------ 表8
  {
    v1::BudgetTable* t = NewTable(&out, 8, v1::TABLE_LAYOUT_CODED);
    AddColumns(t->mutable_columns(), {{"合计", ""},
                                      {"基本支出", ""},
                                      {"项目支出", ""},
                                      {"上缴上级支出", ""},
                                      {"事业单位经营支出", ""},
                                      {"对附属单位补助支出", ""}});
    t8.AppendRows(catalogue, functional_name, true, t->mutable_rows());
  }

  // ------------------------------------------------------------------ summary
  v1::BudgetSummary* s = out.mutable_summary();
  s->set_fiscal_total_fen(fiscal_current + fiscal_carryover);
  s->set_general_current_fen(income_of(1, 0));
  s->set_government_fund_current_fen(income_of(2, 0));
  s->set_state_capital_current_fen(income_of(3, 0));
  s->set_general_carryover_fen(income_of(1, 1));
  s->set_government_fund_carryover_fen(income_of(2, 1));
  s->set_state_capital_carryover_fen(income_of(3, 1));
  s->set_fiscal_basic_fen(fiscal_basic);
  s->set_fiscal_project_fen(fiscal_project);

  s->set_general_total_fen(t2.total()[0]);
  s->set_general_basic_fen(t2.total()[1]);
  s->set_general_personnel_fen(t2.total()[2]);
  s->set_general_public_fen(t2.total()[3]);
  s->set_general_project_fen(t2.total()[4]);
  for (const auto& [code, cells] : t3.sums()) {
    if (code.size() != 3 || cells[0] == 0) continue;
    v1::EconomicClassTotal* c = s->add_general_basic_by_class();
    c->set_code(code);
    if (const std::string* name = catalogue.EconomicName(code)) c->set_name(*name);
    c->set_amount_fen(cells[0]);
    c->set_personnel(IsOneOf(kPersonnelClasses, code));
    for (auto it = t3.sums().upper_bound(code); it != t3.sums().end() && it->first.rfind(code, 0) == 0; ++it) {
      if (it->second[0] == 0) continue;
      if (const std::string* name = catalogue.EconomicName(it->first)) c->add_item_names(*name);
    }
  }
  for (const auto& [item, amount] : general_project_by_item) {
    if (amount == 0) continue;
    v1::ProjectFunctionalItem* pi = s->add_general_project_items();
    pi->set_functional_code(item);
    if (const std::string* name = catalogue.FunctionalName(item)) pi->set_name(*name);
    pi->set_amount_fen(amount);
    for (const v1::Project& project : budget.projects()) {
      auto it = general_project_by_item_project.find({item, project.project_id()});
      if (it == general_project_by_item_project.end() || it->second == 0) continue;
      v1::ProjectAmount* pa = pi->add_projects();
      pa->set_project_id(project.project_id());
      pa->set_name(project.name());
      pa->set_amount_fen(it->second);
      pa->set_purpose(project.purpose());
    }
  }

  s->set_government_fund_total_fen(t5.total()[0]);
  s->set_government_fund_project_fen(t5.total()[2]);

  s->set_department_income_total_fen(department_income_total);
  for (int src = kFirstSource; src <= kLastSource; ++src) {
    v1::SourceAmount* sa = s->add_income_by_source();
    sa->set_source(static_cast<v1::FundSource>(src));
    sa->set_label(FundSourceLabel(static_cast<v1::FundSource>(src)));
    sa->set_amount_fen(income_of(src, 0));
  }
  s->set_department_carryover_fen(carryover_total);
  s->set_department_expenditure_total_fen(t8.total()[0]);
  s->set_department_basic_fen(t8.total()[1]);
  s->set_department_project_fen(t8.total()[2]);
  s->set_department_remit_fen(t8.total()[3]);
  s->set_department_operating_fen(t8.total()[4]);
  s->set_department_subsidiary_fen(t8.total()[5]);
  s->set_machinery_operating_fen(machinery_operating);
  s->set_non_office_public_fen(non_office_public);
  *s->mutable_staffing() = ConsolidatedStaffing(department);

  // 名词解释(十) explains every 项 the department spends on, whatever the
  // money's budget (表8 holds all lines), so a 政府性基金 code is explained too.
  // A 款 without 项 that the department spends on is listed with no items.
  for (const auto& [kuan, cells] : t8.sums()) {
    if (kuan.size() != 5) continue;
    v1::GlossaryClass glossary;
    for (auto it = t8.sums().upper_bound(kuan); it != t8.sums().end() && it->first.rfind(kuan, 0) == 0; ++it) {
      if (it->second[0] == 0) continue;
      v1::CatalogueEntry* entry = glossary.add_items();
      entry->set_kind(v1::CODE_KIND_FUNCTIONAL);
      entry->set_code(it->first);
      if (const std::string* name = catalogue.FunctionalName(it->first)) entry->set_name(*name);
    }
    const bool spent_on_leaf_kuan = cells[0] != 0 && catalogue.IsFunctionalItem(kuan);
    if (glossary.items_size() == 0 && !spent_on_leaf_kuan) continue;
    const std::string class_code = kuan.substr(0, 3);
    glossary.set_class_code(class_code);
    if (const std::string* name = catalogue.FunctionalName(class_code)) glossary.set_class_name(*name);
    glossary.set_kuan_code(kuan);
    if (const std::string* name = catalogue.FunctionalName(kuan)) glossary.set_kuan_name(*name);
    *s->add_glossary() = std::move(glossary);
  }

  std::map<std::pair<int, std::string>, const std::string*> line_codes;
  for (const v1::ExpenditureLine& line : budget.expenditure_lines()) {
    line_codes.emplace(std::pair{v1::CODE_KIND_FUNCTIONAL, line.functional_code()},
                       catalogue.FunctionalName(line.functional_code()));
    line_codes.emplace(std::pair{v1::CODE_KIND_ECONOMIC, line.economic_code()},
                       catalogue.EconomicName(line.economic_code()));
  }
  for (const auto& [key, name] : line_codes) {
    if (name == nullptr) continue;
    v1::CatalogueEntry* entry = out.add_line_codes();
    entry->set_kind(static_cast<v1::CodeKind>(key.first));
    entry->set_code(key.second);
    entry->set_name(*name);
  }

  s->set_three_public_current_fen(three_current[0]);
  if (three.has_prior()) s->set_three_public_prior_fen(three_cells(three.prior())[0]);
  return out;
}

}  // namespace yusuan::ledger
