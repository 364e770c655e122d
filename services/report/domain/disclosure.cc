#include "services/report/domain/disclosure.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_join.h"
#include "google/rpc/error_details.pb.h"
#include "services/common/errors.h"
#include "services/common/money.h"
#include "services/common/utf8.h"
#include "services/goals/domain/indicator.h"
#include "services/report/domain/glossary.h"
#include "services/report/domain/narrative.h"

namespace yusuan::report {
namespace {

using ::yusuan::goals::v1::Indicator;
using ::yusuan::ledger::v1::BudgetTable;
using ::yusuan::ledger::v1::TableColumn;
using ::yusuan::ledger::v1::TableRow;
using ::yusuan::report::v1::ReportInput;
using ColumnList = google::protobuf::RepeatedPtrField<TableColumn>;

std::string Num(int64_t n) { return std::to_string(n); }

// Zero-cell rule (README): every amount cell prints its value, zero as
// "0.00"; a blank cell means "no such row", never "zero".
Cell AmountCell(int64_t fen, bool bold) { return WanYuanCell(fen, bold); }

Cell HeaderCell(std::string text, int col_span = 1, int row_span = 1) {
  Cell cell = TextCell(std::move(text), col_span, row_span);
  cell.align = Align::kCenter;
  return cell;
}

// Header rows for `lead` label columns followed by amount `columns`.
// Consecutive columns with the same non-empty group share a merged group
// cell in the first row. `depth` 2 forces two rows (so that both sides of a
// balance table line up even when only one side has groups).
std::vector<Row> HeaderRows(const std::vector<std::string>& lead, const ColumnList& columns, int depth) {
  std::vector<Row> rows(static_cast<size_t>(depth));
  for (const std::string& title : lead) {
    rows[0].push_back(HeaderCell(title, 1, depth));
  }
  for (int i = 0; i < columns.size();) {
    const std::string& group = columns[i].group();
    if (group.empty() || depth == 1) {
      rows[0].push_back(HeaderCell(columns[i].title(), 1, depth));
      ++i;
      continue;
    }
    int j = i;
    while (j < columns.size() && columns[j].group() == group) {
      rows[1].push_back(HeaderCell(columns[j].title()));
      ++j;
    }
    rows[0].push_back(HeaderCell(group, j - i));
    i = j;
  }
  return rows;
}

bool HasGroups(const ColumnList& columns) {
  return std::any_of(columns.begin(), columns.end(), [](const TableColumn& c) { return !c.group().empty(); });
}

absl::Status CheckCells(const BudgetTable& table, const TableRow& row, int index, int expected, const char* side) {
  if (row.cells_fen_size() == expected) return absl::OkStatus();
  return absl::InvalidArgumentError("表" + Num(table.number()) + side + "第 " + Num(index + 1) + " 行有 " +
                                    Num(row.cells_fen_size()) + " 个金额单元格，应为 " + Num(expected) +
                                    " 个 / table " + Num(table.number()) + " row " + Num(index + 1) + " has " +
                                    Num(row.cells_fen_size()) + " amount cells, expected " + Num(expected));
}

int Indent(const TableRow& row) { return std::max(row.level() - 1, 0); }

// Name and amount cells of one side of a row.
void AppendNamedRow(const TableRow& row, Row& out) {
  Cell name = TextCell(row.name());
  name.indent = Indent(row);
  name.bold = row.total();
  out.push_back(std::move(name));
  for (int64_t fen : row.cells_fen()) out.push_back(AmountCell(fen, row.total()));
}

bool AllZero(const google::protobuf::RepeatedPtrField<TableRow>& rows) {
  for (const auto& row : rows) {
    for (int64_t fen : row.cells_fen()) {
      if (fen != 0) return false;
    }
  }
  return true;
}

// ---------------------------------------------------------------- 表9/表10

std::string Level1Name(goals::v1::IndicatorLevel1 level) {
  switch (level) {
    case goals::v1::INDICATOR_LEVEL1_OUTPUT:
      return "产出指标";
    case goals::v1::INDICATOR_LEVEL1_BENEFIT:
      return "效益指标";
    case goals::v1::INDICATOR_LEVEL1_SATISFACTION:
      return "满意度指标";
    case goals::v1::INDICATOR_LEVEL1_COST:
      return "成本指标";
    default:
      return "";
  }
}

std::string Level2Name(goals::v1::IndicatorLevel2 level) {
  switch (level) {
    case goals::v1::INDICATOR_LEVEL2_QUANTITY:
      return "数量指标";
    case goals::v1::INDICATOR_LEVEL2_QUALITY:
      return "质量指标";
    case goals::v1::INDICATOR_LEVEL2_TIMELINESS:
      return "时效指标";
    case goals::v1::INDICATOR_LEVEL2_OUTPUT_COST:
      return "成本指标";
    case goals::v1::INDICATOR_LEVEL2_ECONOMIC_BENEFIT:
      return "经济效益指标";
    case goals::v1::INDICATOR_LEVEL2_SOCIAL_BENEFIT:
      return "社会效益指标";
    case goals::v1::INDICATOR_LEVEL2_ECOLOGICAL_BENEFIT:
      return "生态效益指标";
    case goals::v1::INDICATOR_LEVEL2_SUSTAINABLE_IMPACT:
      return "可持续影响指标";
    case goals::v1::INDICATOR_LEVEL2_SERVICE_SATISFACTION:
      return "服务对象满意度指标";
    case goals::v1::INDICATOR_LEVEL2_ECONOMIC_COST:
      return "经济成本指标";
    case goals::v1::INDICATOR_LEVEL2_SOCIAL_COST:
      return "社会成本指标";
    case goals::v1::INDICATOR_LEVEL2_ECOLOGICAL_COST:
      return "生态环境成本指标";
    default:
      return "";
  }
}

std::string StandardName(const Indicator& indicator) {
  if (!indicator.standard_note().empty()) return indicator.standard_note();
  switch (indicator.standard()) {
    case goals::v1::PERFORMANCE_STANDARD_HISTORICAL:
      return "历史标准";
    case goals::v1::PERFORMANCE_STANDARD_INDUSTRY:
      return "行业标准";
    case goals::v1::PERFORMANCE_STANDARD_PLAN:
      return "计划标准";
    case goals::v1::PERFORMANCE_STANDARD_OTHER:
      return "其他标准";
    default:
      return "";
  }
}

// A number without a unit gets the indicator's, wherever the operator is:
// "20" + "次" → "20次", "≥6" + "万人次" → "≥6万人次", "6以上" + "万人次" →
// "6万人次以上", "1-2" + "个" → "1-2个". A value with its own unit ("95%以上")
// and words ("逐年提升", "无") are printed as written.
std::string WithUnit(const std::string& value, const std::string& unit) {
  if (unit.empty() || value.empty()) return value;
  const goals::IndicatorValue parsed = goals::ParseIndicatorValue(value);
  if (!goals::IsNumeric(parsed) || !parsed.unit.empty()) return value;
  // parsed.text is the cell without its surrounding blanks, as written.
  const std::string& text = parsed.text;
  if (parsed.op_after_number && text.size() >= parsed.op_spelling.size() &&
      text.compare(text.size() - parsed.op_spelling.size(), std::string::npos, parsed.op_spelling) == 0) {
    std::string number = text.substr(0, text.size() - parsed.op_spelling.size());
    while (!number.empty() && number.back() == ' ') number.pop_back();
    return number + unit + parsed.op_spelling;
  }
  return text + unit;
}

// The history value of `year`; when no entry carries a year, the entries are
// read by position (newest first, as the contract says).
std::string HistoryValue(const Indicator& indicator, int year, int position) {
  bool any_year = false;
  for (const auto& h : indicator.history()) {
    if (h.year() == year) return WithUnit(h.value(), indicator.unit());
    if (h.year() != 0) any_year = true;
  }
  if (!any_year && position < indicator.history_size()) {
    return WithUnit(indicator.history(position).value(), indicator.unit());
  }
  return "";
}

// Rows of an indicator table; consecutive rows with the same 一级指标 share
// one merged cell, as on the printed form.
std::vector<Row> IndicatorRows(const google::protobuf::RepeatedPtrField<Indicator>& indicators, bool with_history,
                               int year) {
  std::vector<Row> rows;
  for (int i = 0; i < indicators.size();) {
    int j = i;
    while (j < indicators.size() && indicators[j].level1() == indicators[i].level1()) {
      ++j;
    }
    for (int k = i; k < j; ++k) {
      const Indicator& ind = indicators[k];
      Row row;
      if (k == i) {
        Cell level1 = TextCell(Level1Name(ind.level1()), 1, j - i);
        level1.align = Align::kCenter;
        row.push_back(std::move(level1));
      }
      row.push_back(TextCell(Level2Name(ind.level2())));
      row.push_back(TextCell(ind.name()));
      if (with_history) {
        // Oldest first, as the funds block above: the years run left to
        // right into 预期当年实现值.
        Cell y2 = TextCell(HistoryValue(ind, year - 2, 1));
        Cell y1 = TextCell(HistoryValue(ind, year - 1, 0));
        y1.align = y2.align = Align::kCenter;
        row.push_back(std::move(y2));
        row.push_back(std::move(y1));
      }
      Cell target = TextCell(WithUnit(ind.target(), ind.unit()));
      target.align = Align::kCenter;
      row.push_back(std::move(target));
      row.push_back(TextCell(StandardName(ind)));
      rows.push_back(std::move(row));
    }
    i = j;
  }
  return rows;
}

Table IndicatorTable(const google::protobuf::RepeatedPtrField<Indicator>& indicators, bool with_history, int year) {
  Table table;
  if (with_history) {
    table.header.push_back({HeaderCell("一级指标", 1, 2), HeaderCell("二级指标", 1, 2), HeaderCell("指标名称", 1, 2),
                            HeaderCell("近两年指标值", 2), HeaderCell("预期当年实现值", 1, 2),
                            HeaderCell("绩效标准", 1, 2)});
    table.header.push_back({HeaderCell(Num(year - 2) + " 年"), HeaderCell(Num(year - 1) + " 年")});
  } else {
    table.header.push_back({HeaderCell("一级指标"), HeaderCell("二级指标"), HeaderCell("指标名称"),
                            HeaderCell("指标值"), HeaderCell("绩效标准")});
  }
  table.body = IndicatorRows(indicators, with_history, year);
  return table;
}

// The funds block of 表9: the current year from the summary (the same
// projection as 表1–表8), the two prior years from prior_years.funds.
Table FundsTable(const ReportInput& input, int year) {
  const auto& s = input.tables().summary();
  const int64_t fiscal = s.fiscal_total_fen();
  const int64_t income_total = s.department_income_total_fen();
  const int64_t other = std::max<int64_t>(income_total - fiscal, 0);
  const int64_t basic = s.department_basic_fen();
  const int64_t project = s.department_project_fen();
  const int64_t spend_total = s.department_expenditure_total_fen();
  const int64_t spend_rest = std::max<int64_t>(spend_total - basic - project, 0);
  const auto income_shares = LargestRemainderShares({fiscal, other});
  const auto spend_shares = LargestRemainderShares({basic, project, spend_rest});
  // A share of a zero whole is blank (there is nothing to divide).
  auto share = [](int64_t whole, int64_t bp, bool bold) {
    return whole == 0 ? NumberCell("", bold) : PercentCell(bp, bold);
  };

  const ledger::v1::YearFunds* y2 = nullptr;
  const ledger::v1::YearFunds* y1 = nullptr;
  for (const auto& f : input.budget().prior_years().funds()) {
    if (f.year() == year - 2) y2 = &f;
    if (f.year() == year - 1) y1 = &f;
  }
  // An absent prior year is unknown, not zero.
  auto prior = [](const ledger::v1::YearFunds* f, int64_t fen, bool bold) {
    return f == nullptr ? NumberCell("—", bold) : AmountCell(fen, bold);
  };
  auto values = [&](const ledger::v1::YearFunds* f, int which) -> int64_t {
    if (f == nullptr) return 0;
    switch (which) {
      case 0:
        return f->fiscal_grant_fen();
      case 1:
        return f->other_fen();
      case 2:
        return f->fiscal_grant_fen() + f->other_fen();
      case 3:
        return f->basic_fen();
      case 4:
        return f->project_fen();
      default:
        return f->basic_fen() + f->project_fen();
    }
  };

  Table table;
  table.meta_right = "单位：万元";
  table.header.push_back({HeaderCell("部门总体资金情况", 2, 2), HeaderCell("当年预算收支", 1, 2),
                          HeaderCell("占比", 1, 2), HeaderCell("近两年收支情况", 2)});
  table.header.push_back({HeaderCell(Num(year - 2) + " 年"), HeaderCell(Num(year - 1) + " 年")});
  struct Line {
    const char* group;
    const char* name;
    int64_t current;
    int64_t whole;
    int64_t share;
    int which;
    bool total;
  };
  const std::vector<Line> lines = {
      {"收入构成", "财政拨款", fiscal, income_total, income_shares[0], 0, false},
      {"", "其他资金", other, income_total, income_shares[1], 1, false},
      {"", "合计", income_total, income_total, 10000, 2, true},
      {"支出构成", "基本支出", basic, spend_total, spend_shares[0], 3, false},
      {"", "项目支出", project, spend_total, spend_shares[1], 4, false},
      {"", "合计", spend_total, spend_total, 10000, 5, true},
  };
  for (const Line& line : lines) {
    Row row;
    if (line.group[0] != '\0') row.push_back(LabelCell(line.group, 1, 3));
    Cell name = LabelCell(line.name);
    name.bold = line.total;
    row.push_back(std::move(name));
    row.push_back(AmountCell(line.current, line.total));
    row.push_back(share(line.whole, line.share, line.total));
    row.push_back(prior(y2, values(y2, line.which), line.total));
    row.push_back(prior(y1, values(y1, line.which), line.total));
    table.body.push_back(std::move(row));
  }
  return table;
}

void AddTable9(const ReportInput& input, const std::string& title, const std::string& anchor, int year, Document& doc) {
  const auto& sheet = input.goals().department();
  doc.AddHeading(3, title, anchor);
  doc.AddParagraph("部门整体支出绩效目标申报表", ParagraphStyle::kCenter);

  Table head;
  head.style = TableStyle::kForm;
  head.body.push_back({LabelCell("填报日期"), TextCell(ChineseDate(sheet.filed_date()), 3)});
  head.body.push_back({LabelCell("部门名称"), TextCell(input.department().full_name(), 3)});
  const std::string phone = sheet.contact_phone().empty() ? input.department().contact_phone() : sheet.contact_phone();
  // 填报人 is personal data: printed only when the caller enables it.
  if (input.show_filer_name()) {
    head.body.push_back({LabelCell("填报人"), TextCell(sheet.filer()), LabelCell("联系电话"), TextCell(phone)});
  } else {
    head.body.push_back({LabelCell("联系电话"), TextCell(phone, 3)});
  }
  doc.AddTable(std::move(head));
  doc.AddTable(FundsTable(input, year));

  std::vector<std::string> goal_lines;
  int index = 0;
  for (const auto& goal : sheet.annual_goals()) {
    ++index;
    goal_lines.push_back("目标" + Num(goal.seq() != 0 ? goal.seq() : index) + "：" + goal.text());
  }
  Table text;
  text.style = TableStyle::kForm;
  text.body.push_back({LabelCell("部门职能概述"), TextCell(sheet.functions_summary(), 2)});
  text.body.push_back({LabelCell("年度工作任务"), TextCell(sheet.annual_tasks(), 2)});
  text.body.push_back({LabelCell("整体绩效目标", 1, 2), LabelCell("长期目标"), LabelCell("年度目标")});
  text.body.push_back({TextCell(sheet.long_term_goal()), TextCell(absl::StrJoin(goal_lines, "\n"))});
  doc.AddTable(std::move(text));

  if (sheet.long_term_indicators_size() > 0) {
    doc.AddHeading(4, "长期绩效指标");
    doc.AddTable(IndicatorTable(sheet.long_term_indicators(), false, year));
  }
  index = 0;
  for (const auto& goal : sheet.annual_goals()) {
    ++index;
    doc.AddHeading(4, "年度目标 " + Num(goal.seq() != 0 ? goal.seq() : index) + "：" + goal.text());
    if (goal.indicators_size() == 0) continue;
    Table table = IndicatorTable(goal.indicators(), true, year);
    table.title = "年度绩效指标";
    doc.AddTable(std::move(table));
  }
}

void AddTable10(const ReportInput& input, const std::string& title, const std::string& anchor, int year,
                Document& doc) {
  doc.AddHeading(3, title, anchor);
  if (input.budget().projects_size() == 0) {
    doc.AddParagraph("本部门" + Num(year) + "年无项目支出，此表为空表。", ParagraphStyle::kPlain);
    return;
  }
  std::map<std::string, const goals::v1::ProjectGoalSheet*> sheets;
  for (const auto& sheet : input.goals().projects()) {
    sheets.emplace(sheet.project_id(), &sheet);
  }
  const goals::v1::ProjectGoalSheet empty_sheet;
  for (const auto& project : input.budget().projects()) {
    const auto it = sheets.find(project.project_id());
    const goals::v1::ProjectGoalSheet& sheet = it == sheets.end() ? empty_sheet : *it->second;
    doc.AddHeading(4, project.name());
    doc.AddParagraph("项目支出绩效目标申报表（" + Num(year) + " 年度）", ParagraphStyle::kCenter);

    auto yuan = [](int64_t fen) { return YuanCell(fen); };
    Table form;
    form.style = TableStyle::kForm;
    form.meta_left = "编报单位：" + input.department().full_name();
    form.meta_right = "金额单位：元";
    form.body.push_back({LabelCell("项目名称"), TextCell(project.name(), 4)});
    form.body.push_back({LabelCell("主管部门及编码"), TextCell(project.supervising_code()), LabelCell("实施单位"),
                         TextCell(project.implementing_unit(), 2)});
    form.body.push_back({LabelCell("项目属性"), TextCell(project.category()), LabelCell("项目起止时间"),
                         TextCell(Num(project.start_year()) + "-" + Num(project.end_year()), 2)});
    form.body.push_back({LabelCell("项目资金（元）", 1, 3), LabelCell("资金总额"), yuan(project.total_fen()),
                         LabelCell("当年资金总额"), yuan(project.year_total_fen())});
    form.body.push_back({LabelCell("其中：财政拨款"), yuan(project.total_fiscal_fen()), LabelCell("其中：当年财政拨款"),
                         yuan(project.year_fiscal_fen())});
    form.body.push_back({LabelCell("其他资金"), yuan(project.total_other_fen()), LabelCell("当年其他资金"),
                         yuan(project.year_other_fen())});
    form.body.push_back({LabelCell("总体目标", 1, 2), LabelCell("中期目标", 2), LabelCell("年度目标", 2)});
    form.body.push_back({TextCell(sheet.medium_term_goal(), 2), TextCell(sheet.annual_goal(), 2)});
    doc.AddTable(std::move(form));

    if (sheet.medium_term_indicators_size() > 0) {
      Table table = IndicatorTable(sheet.medium_term_indicators(), false, year);
      table.title = "中期绩效指标";
      doc.AddTable(std::move(table));
    }
    if (sheet.annual_indicators_size() > 0) {
      const bool history = std::any_of(sheet.annual_indicators().begin(), sheet.annual_indicators().end(),
                                       [](const Indicator& i) { return i.history_size() > 0; });
      Table table = IndicatorTable(sheet.annual_indicators(), history, year);
      table.title = "年度绩效指标";
      doc.AddTable(std::move(table));
    }
  }
}

// ---------------------------------------------------------------- parts

void AddPartOne(const ReportInput& input, const TemplateSet& set, Document& doc) {
  const auto& dept = input.department();
  const TemplateValues values = DocumentValues(input);
  doc.AddHeading(2, Fill(set, "part.profile", values), "part-1");
  doc.AddHeading(3, Fill(set, "profile.functions", values));
  if (!dept.functions_preamble().empty()) {
    doc.AddParagraph(dept.functions_preamble());
  }
  int index = 0;
  for (const auto& function : dept.main_functions()) {
    TemplateValues numbering;
    numbering.Set("number", int64_t{++index});
    numbering.Set("numeral", ChineseNumeral(index));
    doc.AddParagraph(Fill(set, "numbering.function", numbering) + function);
  }
  doc.AddHeading(3, Fill(set, "profile.units", values));
  doc.AddParagraph(UnitComposition(dept, set));
  doc.AddHeading(3, Fill(set, "profile.staff", values));
  // The ledger's staffing is every unit's (本级 and 所属单位); a filing
  // projected before units were modelled has only the department's own.
  ledger::v1::Department staffed = dept;
  if (input.tables().summary().has_staffing()) {
    *staffed.mutable_staffing() = input.tables().summary().staffing();
  }
  for (std::string& sentence : StaffComposition(staffed, set)) {
    doc.AddParagraph(std::move(sentence));
  }
}

absl::Status AddPartTwo(const ReportInput& input, const TemplateSet& set, int year, Document& doc) {
  const auto& dept = input.department();
  doc.AddHeading(2, Fill(set, "part.tables", DocumentValues(input)), "part-2");
  std::map<int, const BudgetTable*> projected;
  for (const auto& table : input.tables().tables()) {
    projected.emplace(table.number(), &table);
  }
  const std::vector<PrintedTable> tables = PrintedTables(input, set);
  for (const PrintedTable& table : tables) {
    doc.AddParagraph(table.title, ParagraphStyle::kPlain);
  }
  for (const PrintedTable& table : tables) {
    if (table.source == 9) {
      AddTable9(input, table.title, table.anchor, year, doc);
    } else if (table.source == 10) {
      AddTable10(input, table.title, table.anchor, year, doc);
    } else {
      absl::StatusOr<Table> block =
          BudgetTableBlock(*projected.at(table.source), table.title, table.anchor, dept.full_name());
      if (!block.ok()) return block.status();
      doc.AddTable(*std::move(block));
    }
  }
  return absl::OkStatus();
}

void AddNarrativeItem(const NarrativeItem& item, int level, Document& doc) {
  doc.AddHeading(level, item.heading);
  for (const std::string& p : item.paragraphs) doc.AddParagraph(p);
  if (!item.goal_rows.empty()) {
    Table table;
    table.header.push_back(
        {HeaderCell("目标类型"), HeaderCell("序号"), HeaderCell("指标名称"), HeaderCell("目标内容")});
    const int n = static_cast<int>(item.goal_rows.size());
    for (int i = 0; i < n; ++i) {
      const GoalRow& goal = item.goal_rows[static_cast<size_t>(i)];
      Row row;
      if (i == 0) {
        Cell type = TextCell(item.goal_table_type, 1, n);
        type.align = Align::kCenter;
        row.push_back(std::move(type));
      }
      Cell seq = TextCell(goal.seq);
      seq.align = Align::kCenter;
      row.push_back(std::move(seq));
      row.push_back(TextCell(goal.short_name));
      row.push_back(TextCell(goal.text));
      table.body.push_back(std::move(row));
    }
    doc.AddTable(std::move(table));
  }
  for (const NarrativeItem& sub : item.subitems) {
    AddNarrativeItem(sub, level + 1, doc);
  }
}

// The figures of 表6/表8/表9 as pictures: where the money comes from, basic
// against project spending, and the three years of 表9's funds block.
void AddCharts(const ReportInput& input, int year, Document& doc) {
  const auto& summary = input.tables().summary();
  Chart income;
  income.title = "部门收入结构（万元）";
  income.anchor = "chart-income";
  income.series.push_back({Num(year) + " 年", {}});
  for (const auto& source : summary.income_by_source()) {
    if (source.amount_fen() == 0) continue;
    income.categories.push_back(source.label());
    income.series[0].values_fen.push_back(source.amount_fen());
  }
  if (summary.department_carryover_fen() != 0) {
    income.categories.push_back("上年结转");
    income.series[0].values_fen.push_back(summary.department_carryover_fen());
  }
  if (!income.categories.empty()) doc.AddChart(std::move(income));

  Chart spending;
  spending.title = "基本支出与项目支出（万元）";
  spending.anchor = "chart-spending";
  spending.categories = {"基本支出", "项目支出"};
  spending.series.push_back({Num(year) + " 年", {summary.department_basic_fen(), summary.department_project_fen()}});
  doc.AddChart(std::move(spending));

  // 表9: the prior years as filed, oldest first, then the budget year.
  Chart years;
  years.title = "近三年收支情况（万元）";
  years.anchor = "chart-years";
  years.categories = {"收入合计", "基本支出", "项目支出"};
  std::vector<const ledger::v1::YearFunds*> prior;
  for (const auto& funds : input.budget().prior_years().funds()) prior.push_back(&funds);
  std::sort(prior.begin(), prior.end(), [](const auto* a, const auto* b) { return a->year() < b->year(); });
  for (const auto* funds : prior) {
    years.series.push_back(
        {Num(funds->year()) + " 年",
         {funds->fiscal_grant_fen() + funds->other_fen(), funds->basic_fen(), funds->project_fen()}});
  }
  years.series.push_back(
      {Num(year) + " 年",
       {summary.department_income_total_fen(), summary.department_basic_fen(), summary.department_project_fen()}});
  if (years.series.size() > 1) doc.AddChart(std::move(years));
}

void AddPartThree(const ReportInput& input, const TemplateSet& set, int year, Document& doc) {
  doc.AddHeading(2, Fill(set, "part.explanation", DocumentValues(input)), "part-3");
  for (const NarrativeItem& item : BudgetExplanation(input, set)) {
    AddNarrativeItem(item, 3, doc);
  }
  AddCharts(input, year, doc);
}

void AddPartFour(const ReportInput& input, const TemplateSet& set, Document& doc) {
  doc.AddHeading(2, Fill(set, "part.glossary", DocumentValues(input)), "part-4");
  for (const GlossaryEntry& entry : Glossary(input, set)) {
    doc.AddParagraph(GlossaryEntryText(entry, set));
    for (const std::string& line : entry.lines) {
      doc.AddParagraph(line, ParagraphStyle::kPlain);
    }
  }
  const std::string contact = ContactLine(input, set);
  if (!contact.empty()) doc.AddParagraph(contact, ParagraphStyle::kPlain);
}

}  // namespace

absl::StatusOr<const TemplateSet*> TemplateSetFor(const ReportInput& input) {
  absl::StatusOr<const TemplateSet*> set = FindTemplateSet(input.template_set());
  if (!set.ok()) {
    return absl::InvalidArgumentError("template_set：" + std::string(set.status().message()));
  }
  return set;
}

std::vector<PrintedTable> PrintedTables(const ReportInput& input, const TemplateSet& set) {
  std::set<int> projected;
  for (const auto& table : input.tables().tables()) projected.insert(table.number());
  const std::string prefix = Fill(set, "document.table_prefix", DocumentValues(input));
  std::vector<PrintedTable> out;
  for (const TemplateTable& table : set.tables) {
    if (table.source <= 8 && projected.count(table.source) == 0) continue;
    const int number = static_cast<int>(out.size()) + 1;
    TemplateValues numbering;
    numbering.Set("number", int64_t{number});
    out.push_back({table.source, number, Fill(set, "numbering.table", numbering) + " " + prefix + table.title,
                   "table-" + Num(number)});
  }
  return out;
}

std::string DisclosureTitle(const ReportInput& input) {
  absl::StatusOr<const TemplateSet*> set = TemplateSetFor(input);
  return Fill(set.ok() ? **set : DefaultTemplateSet(), "document.title", DocumentValues(input));
}

std::string TableTitlePrefix(const ReportInput& input) {
  absl::StatusOr<const TemplateSet*> set = TemplateSetFor(input);
  return Fill(set.ok() ? **set : DefaultTemplateSet(), "document.table_prefix", DocumentValues(input));
}

absl::StatusOr<Table> BudgetTableBlock(const BudgetTable& source, const std::string& title_prefix,
                                       const std::string& compiler) {
  return BudgetTableBlock(source, "表" + Num(source.number()) + " " + title_prefix + source.title(),
                          "table-" + Num(source.number()), compiler);
}

absl::StatusOr<Table> BudgetTableBlock(const BudgetTable& source, const std::string& title, const std::string& anchor,
                                       const std::string& compiler) {
  Table table;
  table.title = title;
  table.anchor = anchor;
  table.meta_left = "编制单位：" + compiler;
  table.meta_right = "单位：万元";

  const int left_width = source.columns_size();
  const int right_width = source.right_columns_size();
  for (int i = 0; i < source.rows_size(); ++i) {
    absl::Status status = CheckCells(source, source.rows(i), i, left_width, "");
    if (!status.ok()) return status;
  }

  switch (source.layout()) {
    case ledger::v1::TABLE_LAYOUT_BALANCE: {
      for (int i = 0; i < source.right_rows_size(); ++i) {
        absl::Status status = CheckCells(source, source.right_rows(i), i, right_width, "支出方");
        if (!status.ok()) return status;
      }
      const int depth = HasGroups(source.columns()) || HasGroups(source.right_columns()) ? 2 : 1;
      const auto left = HeaderRows({"项目"}, source.columns(), depth);
      const auto right = HeaderRows({"项目"}, source.right_columns(), depth);
      table.header.push_back({HeaderCell("收入", 1 + left_width), HeaderCell("支出", 1 + right_width)});
      for (size_t r = 0; r < left.size(); ++r) {
        Row row = left[r];
        row.insert(row.end(), right[r].begin(), right[r].end());
        table.header.push_back(std::move(row));
      }
      const int n = std::max(source.rows_size(), source.right_rows_size());
      for (int i = 0; i < n; ++i) {
        Row row;
        if (i < source.rows_size()) {
          AppendNamedRow(source.rows(i), row);
        } else {
          for (int c = 0; c <= left_width; ++c) row.push_back(TextCell(""));
        }
        if (i < source.right_rows_size()) {
          AppendNamedRow(source.right_rows(i), row);
        } else {
          for (int c = 0; c <= right_width; ++c) row.push_back(TextCell(""));
        }
        table.body.push_back(std::move(row));
      }
      break;
    }
    case ledger::v1::TABLE_LAYOUT_LABELED: {
      table.header = HeaderRows({"项目"}, source.columns(), HasGroups(source.columns()) ? 2 : 1);
      for (const TableRow& source_row : source.rows()) {
        Row row;
        AppendNamedRow(source_row, row);
        table.body.push_back(std::move(row));
      }
      break;
    }
    default: {  // CODED, and the unspecified layout read as CODED
      table.header = HeaderRows({"科目编码", "科目名称"}, source.columns(), HasGroups(source.columns()) ? 2 : 1);
      for (const TableRow& source_row : source.rows()) {
        Row row;
        Cell code = TextCell(source_row.code());
        code.bold = source_row.total();
        row.push_back(std::move(code));
        AppendNamedRow(source_row, row);
        table.body.push_back(std::move(row));
      }
      break;
    }
  }

  const bool no_rows = source.rows_size() == 0 && source.right_rows_size() == 0;
  const bool all_zero = AllZero(source.rows()) && AllZero(source.right_rows());
  if (no_rows) {
    table.note = source.empty_note().empty() ? "此表无数据，为空表。" : source.empty_note();
  } else if (all_zero) {
    table.note = source.empty_note();
  }
  return table;
}

absl::Status CheckRenderableText(const ReportInput& input) {
  google::rpc::BadRequest bad_request;
  std::vector<std::string> zh, en;
  // Every field may hold a line feed or a tab as far as the renderers are
  // concerned (they break lines; validation is stricter on one-line fields).
  const auto any_field = [](const google::protobuf::FieldDescriptor&) { return true; };
  const TextProblems text = FindTextProblemsInMessage(input, any_field);
  for (const std::string& path : text.invalid_utf8) {
    auto* violation = bad_request.add_field_violations();
    violation->set_field(path);
    violation->set_description("文本不是有效的 UTF-8 编码 / the text is not valid UTF-8");
    zh.push_back(path + " 不是有效的 UTF-8 编码");
    en.push_back(path + " is not valid UTF-8");
  }
  for (const ControlCharacterField& found : text.control_characters) {
    const std::string name = CodePointName(found.character.code_point);
    const std::string position = Num(static_cast<int64_t>(found.character.position));
    auto* violation = bad_request.add_field_violations();
    violation->set_field(found.path);
    violation->set_description("含有控制字符 " + name + "（第 " + position +
                               " 个字符） / holds the control character " + name + " (character " + position + ")");
    zh.push_back(found.path + " 含有控制字符 " + name + "（第 " + position + " 个字符）");
    en.push_back(found.path + " holds the control character " + name + " (character " + position + ")");
  }
  if (bad_request.field_violations().empty()) return absl::OkStatus();
  absl::Status status = absl::InvalidArgumentError(
      "公开文件无法生成：" + absl::StrJoin(zh, "；") +
      "。请更正该字段 / the disclosure cannot be rendered: " + absl::StrJoin(en, "; ") + "; correct the field");
  AttachDetail(status, bad_request);
  return WithReason(std::move(status), "INPUT_NOT_RENDERABLE");
}

absl::StatusOr<Document> BuildDisclosure(const ReportInput& input) {
  if (absl::Status text = CheckRenderableText(input); !text.ok()) return text;
  const int year = FiscalYear(input);
  if (year <= 0) {
    return absl::InvalidArgumentError("缺少预算年度 / the budget has no fiscal year");
  }
  const auto& dept = input.department();
  if (dept.full_name().empty() && dept.short_name().empty()) {
    return absl::InvalidArgumentError("缺少部门名称 / the department has no name");
  }

  absl::StatusOr<const TemplateSet*> set = TemplateSetFor(input);
  if (!set.ok()) return set.status();

  Document doc;
  doc.title = (dept.full_name().empty() ? dept.short_name() : dept.full_name()) + Num(year) + "年部门预算";
  doc.AddHeading(1, DisclosureTitle(input), "top");
  if (!dept.full_name().empty()) {
    doc.AddParagraph(dept.full_name(), ParagraphStyle::kCenter);
  }
  AddPartOne(input, **set, doc);
  absl::Status status = AddPartTwo(input, **set, year, doc);
  if (!status.ok()) return status;
  AddPartThree(input, **set, year, doc);
  AddPartFour(input, **set, doc);
  return doc;
}

}  // namespace yusuan::report
