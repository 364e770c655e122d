#include "services/cross_rules/cross_rules.h"

#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/errors.h"
#include "services/common/findings_builder.h"
#include "services/common/money.h"
#include "services/common/rule_catalogue.h"
#include "services/common/utf8.h"
#include "services/cross_rules/rule_catalogue.h"
#include "services/goals/domain/indicator.h"

namespace yusuan::cross_rules {
namespace {

namespace gv1 = yusuan::goals::v1;
namespace lv1 = yusuan::ledger::v1;
using yusuan::common::v1::Finding;
using yusuan::common::v1::ValidationReport;
using yusuan::goals::FormatHundredths;
using yusuan::goals::IndicatorValue;
using yusuan::goals::ParseIndicatorValue;
using yusuan::goals::QuantityInGoalText;
using yusuan::goals::ValueOp;

// Text quoted from the input into a message: broken bytes become U+FFFD
// (V-UTF8 names the field).
std::string Quote(std::string_view text) { return WithReplacementCharacters(text); }

// The shared builder: every message starts with its field.
Finding* Add(ValidationReport& report, std::string_view rule, const std::string& field, const std::string& zh,
             const std::string& en, const std::string& hint) {
  return FindingsBuilder(CrossRules(), &report).Add(std::string(rule), field, zh, en, hint);
}

void SetValues(Finding* f, const std::string& expected, const std::string& actual, const std::string& difference) {
  f->set_expected(expected);
  f->set_actual(actual);
  f->set_difference(difference);
}

// Expected, actual and difference of a finding, as its message states them.
struct Values {
  std::string expected;
  std::string actual;
  std::string difference;
};

// The shared findings builder with the values in one argument.
class Reporter : public FindingsBuilder {
 public:
  explicit Reporter(ValidationReport* report) : FindingsBuilder(CrossRules(), report) {}
  void Add(std::string_view rule, const std::string& field, const std::string& zh, const std::string& en,
           const std::string& hint, const Values& values = {}) {
    AddWithValues(std::string(rule), field, zh, en, hint, values.expected, values.actual, values.difference);
  }
};

// A sum that remembers whether it overflowed (amounts are checked for range
// by the ledger's V-AMOUNT-RANGE; an overflowing sum compares nothing here).
struct Sum {
  int64_t value = 0;
  bool ok = true;
  void Add(int64_t amount) {
    if (__builtin_add_overflow(value, amount, &value)) ok = false;
  }
};

bool IsFiscal(lv1::FundSource source) {
  return source == lv1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET || source == lv1::FUND_SOURCE_GOVERNMENT_FUND_BUDGET ||
         source == lv1::FUND_SOURCE_STATE_CAPITAL_BUDGET;
}

// ---------------------------------------------------------------- 表10

std::string Yuan(int64_t fen) { return absl::StrCat(FormatYuan(fen), " 元"); }

// actual − expected in 元; empty when it does not fit in int64.
std::string YuanDifference(int64_t actual, int64_t expected) {
  int64_t difference = 0;
  if (__builtin_sub_overflow(actual, expected, &difference)) return "";
  return Yuan(difference);
}

// The 表10 row of a project, as the ledger's rules locate it.
std::string ProjectRow(const lv1::Project& p) { return absl::StrCat(Quote(p.project_id()), " ", Quote(p.name())); }

// Messages stay short: a refusal carries its FATAL findings in gRPC trailers
// (services/gateway/grpc/trailers.h), where a long finding is dropped.
std::string ProjectZh(const lv1::Project& p) {
  return absl::StrCat("项目 ", Quote(p.project_id()), "「", Quote(p.name()), "」");
}

std::string ProjectEn(const lv1::Project& p) {
  return absl::StrCat("project ", Quote(p.project_id()), " \"", Quote(p.name()), "\"");
}

// One 项目资金 cell of 表10, on the sheet and in the ledger.
struct SheetAmount {
  const char* json;    // the field's JSON name on both messages
  const char* column;  // the column as FindingLocation names it
  const char* en;
  bool (gv1::ProjectGoalSheet::*has)() const;
  int64_t (gv1::ProjectGoalSheet::*sheet)() const;
  int64_t (lv1::Project::*ledger)() const;
};

const std::array<SheetAmount, 6>& SheetAmounts() {
  using S = gv1::ProjectGoalSheet;
  using P = lv1::Project;
  static const std::array<SheetAmount, 6> kAmounts = {{
      {"totalFen", "资金总额", "the total", &S::has_total_fen, &S::total_fen, &P::total_fen},
      {"totalFiscalFen", "财政拨款", "the fiscal grant", &S::has_total_fiscal_fen, &S::total_fiscal_fen,
       &P::total_fiscal_fen},
      {"totalOtherFen", "其他资金", "the other funds", &S::has_total_other_fen, &S::total_other_fen,
       &P::total_other_fen},
      {"yearTotalFen", "当年资金总额", "this year's total", &S::has_year_total_fen, &S::year_total_fen,
       &P::year_total_fen},
      {"yearFiscalFen", "当年财政拨款", "this year's fiscal grant", &S::has_year_fiscal_fen, &S::year_fiscal_fen,
       &P::year_fiscal_fen},
      {"yearOtherFen", "当年其他资金", "this year's other funds", &S::has_year_other_fen, &S::year_other_fen,
       &P::year_other_fen},
  }};
  return kAmounts;
}

void CheckOneSheet(const gv1::ProjectGoalSheet& sheet, const std::string& path, const lv1::Project& p,
                   int project_index, const Sum& lines_all, const Sum& lines_fiscal, ValidationReport& report) {
  const std::string row = ProjectRow(p);
  std::vector<const SheetAmount*> unstated;
  for (const SheetAmount& a : SheetAmounts()) {
    if (!(sheet.*a.has)()) {
      unstated.push_back(&a);
      continue;
    }
    const int64_t stated = (sheet.*a.sheet)();
    const int64_t ledger = (p.*a.ledger)();
    if (stated == ledger) continue;
    const std::string field = absl::StrCat(path, ".", a.json);
    const std::string ledger_field = absl::StrCat("budget.projects[", project_index, "].", a.json);
    Finding* f =
        Add(report, "X-GOALS-AMOUNT", field,
            absl::StrCat(ProjectZh(p), "申报表的", a.column, "为 ", Yuan(stated), "，与预算 ", Yuan(ledger), "不一致"),
            absl::StrCat(ProjectEn(p), ": the sheet states ", a.en, " as ", Yuan(stated), ", but ", ledger_field,
                         " is ", Yuan(ledger)),
            "使申报表与预算一致，或不填该项 / make it equal the budget's figure, or leave it unstated");
    SetValues(f, Yuan(ledger), Yuan(stated), YuanDifference(stated, ledger));
    Locate(f, 10, row, a.column);
  }

  // 当年财政拨款 against the money itself: the project's lines paid from
  // fiscal sources. Reported only when that differs from the ledger's own
  // yearFiscalFen (else the comparison above says it) and the ledger's
  // project agrees with its lines in total (else the ledger's R-T10-4 refuses
  // the filing already, and the lines are no reference).
  if (sheet.has_year_fiscal_fen() && lines_all.ok && lines_fiscal.ok && lines_all.value == p.year_total_fen() &&
      lines_fiscal.value != p.year_fiscal_fen() && sheet.year_fiscal_fen() != lines_fiscal.value) {
    const int64_t stated = sheet.year_fiscal_fen();
    const std::string field = absl::StrCat(path, ".yearFiscalFen");
    Finding* f = Add(report, "X-GOALS-AMOUNT", field,
                     absl::StrCat(ProjectZh(p), "申报表的当年财政拨款为 ", Yuan(stated),
                                  "，与该项目财政拨款支出明细合计 ", Yuan(lines_fiscal.value), "不一致"),
                     absl::StrCat(ProjectEn(p), ": the sheet states this year's fiscal grant as ", Yuan(stated),
                                  ", but the project's expenditure lines paid from fiscal sources "
                                  "add up to ",
                                  Yuan(lines_fiscal.value)),
                     "核对该项目各支出明细的资金来源及当年财政拨款、当年其他资金 / check the fundSource of "
                     "the project's lines and its fiscal and other amounts");
    SetValues(f, Yuan(lines_fiscal.value), Yuan(stated), YuanDifference(stated, lines_fiscal.value));
    Locate(f, 10, row, "当年财政拨款");
  }

  if (unstated.empty()) return;
  std::vector<std::string> names_zh, names_en, printed_zh, printed_en;
  for (const SheetAmount* a : unstated) {
    names_zh.push_back(a->column);
    names_en.push_back(a->json);
    printed_zh.push_back(absl::StrCat(a->column, " ", Yuan((p.*a->ledger)())));
    printed_en.push_back(absl::StrCat(a->json, " ", Yuan((p.*a->ledger)())));
  }
  const bool one = unstated.size() == 1;
  const std::string field = one ? absl::StrCat(path, ".", unstated[0]->json) : path;
  Finding* f = Add(report, "X-GOALS-AMOUNT-UNSTATED", field,
                   absl::StrCat(ProjectZh(p), "申报表未填写项目资金（", absl::StrJoin(names_zh, "、"),
                                "），无法与预算核对；申报表将按预算打印：", absl::StrJoin(printed_zh, "，")),
                   absl::StrCat(ProjectEn(p), ": the sheet does not state ", absl::StrJoin(names_en, ", "),
                                ", so they cannot be checked; the form will print the budget's figures: ",
                                absl::StrJoin(printed_en, ", ")),
                   "在申报表填写表10项目资金（元，以分计），与预算一致 / state the sheet's 表10 amounts "
                   "(in 分), equal to the budget's");
  Locate(f, 10, row, one ? unstated[0]->column : "项目资金");
}

// ---------------------------------------------------------------- 表9

// Hundredths of 万元 as "415.51 万元".
std::string Wan(int64_t cents) {
  const bool negative = cents < 0;
  const uint64_t magnitude = negative ? -static_cast<uint64_t>(cents) : static_cast<uint64_t>(cents);
  return absl::StrCat(negative ? "-" : "", magnitude / 100, ".", magnitude % 100 < 10 ? "0" : "", magnitude % 100,
                      " 万元");
}

struct FundsFigure {
  const char* json;
  const char* row;  // the 表9 row label as FindingLocation names it
  const char* en;
  const char* source_zh;  // where the ledger's figure comes from
  const char* source_en;
  bool (gv1::DepartmentFunds::*has)() const;
  int64_t (gv1::DepartmentFunds::*stated)() const;
  int64_t ledger;
};

bool IsBasic(lv1::ExpenditureKind kind) {
  return kind == lv1::EXPENDITURE_KIND_BASIC_PERSONNEL || kind == lv1::EXPENDITURE_KIND_BASIC_PUBLIC;
}

// ---------------------------------------------------------------- X23

bool IsQuantity(const gv1::Indicator& ind) {
  return ind.level1() == gv1::INDICATOR_LEVEL1_OUTPUT && ind.level2() == gv1::INDICATOR_LEVEL2_QUANTITY;
}

}  // namespace

void CheckProjectSheetAmounts(const gv1::GoalSet& goals, const lv1::Budget& budget, ValidationReport& report) {
  std::map<std::string, int> project_index;
  for (int i = 0; i < budget.projects_size(); ++i) {
    if (!budget.projects(i).project_id().empty()) {
      project_index.emplace(budget.projects(i).project_id(), i);
    }
  }
  std::map<std::string, Sum> lines_all, lines_fiscal;
  for (const lv1::ExpenditureLine& line : budget.expenditure_lines()) {
    if (line.kind() != lv1::EXPENDITURE_KIND_PROJECT || line.project_id().empty()) continue;
    lines_all[line.project_id()].Add(line.amount_fen());
    if (IsFiscal(line.fund_source())) lines_fiscal[line.project_id()].Add(line.amount_fen());
  }
  std::set<std::string> checked;
  for (int j = 0; j < goals.projects_size(); ++j) {
    const gv1::ProjectGoalSheet& sheet = goals.projects(j);
    auto it = project_index.find(sheet.project_id());
    // A sheet of an unknown project, or a project's second sheet, is an
    // X-GOALS-PROJECT finding already.
    if (it == project_index.end() || !checked.insert(sheet.project_id()).second) continue;
    CheckOneSheet(sheet, absl::StrCat("goals.projects[", j, "]"), budget.projects(it->second), it->second,
                  lines_all[sheet.project_id()], lines_fiscal[sheet.project_id()], report);
  }
}

void CheckDepartmentFunds(const gv1::GoalSet& goals, const lv1::Budget& budget, ValidationReport& report) {
  if (!goals.has_department() || !goals.department().has_funds()) return;
  const gv1::DepartmentFunds& funds = goals.department().funds();

  // The same figures as the projection of 表1/表6/表8 (and so the rendered
  // funds block of 表9).
  Sum income_total, fiscal, spend_total, basic, project;
  for (const lv1::IncomeLine& line : budget.income_lines()) {
    if (!lv1::FundSource_IsValid(line.source()) || line.source() == lv1::FUND_SOURCE_UNSPECIFIED) {
      continue;
    }
    income_total.Add(line.amount_fen());
    if (IsFiscal(line.source())) fiscal.Add(line.amount_fen());
  }
  for (const lv1::ExpenditureLine& line : budget.expenditure_lines()) {
    spend_total.Add(line.amount_fen());
    if (IsBasic(line.kind())) basic.Add(line.amount_fen());
    if (line.kind() == lv1::EXPENDITURE_KIND_PROJECT) project.Add(line.amount_fen());
  }
  int64_t other = 0;
  if (!(income_total.ok && fiscal.ok && spend_total.ok && basic.ok && project.ok) ||
      __builtin_sub_overflow(income_total.value, fiscal.value, &other)) {
    return;  // the ledger's V-AMOUNT-RANGE
  }

  using D = gv1::DepartmentFunds;
  const std::vector<FundsFigure> figures = {
      {"fiscalGrantFen", "财政拨款", "the fiscal grant (财政拨款)", "表1 收入总计", "table 1 收入总计",
       &D::has_fiscal_grant_fen, &D::fiscal_grant_fen, fiscal.value},
      {"otherFen", "其他资金", "the other funds (其他资金)", "表6 收入总计 − 财政拨款", "table 6 收入总计 − 财政拨款",
       &D::has_other_fen, &D::other_fen, other},
      {"incomeTotalFen", "收入合计", "the income total (收入合计)", "表6 收入总计", "table 6 收入总计",
       &D::has_income_total_fen, &D::income_total_fen, income_total.value},
      {"basicFen", "基本支出", "basic expenditure (基本支出)", "表8 基本支出", "table 8 基本支出", &D::has_basic_fen,
       &D::basic_fen, basic.value},
      {"projectFen", "项目支出", "project expenditure (项目支出)", "表8 项目支出", "table 8 项目支出",
       &D::has_project_fen, &D::project_fen, project.value},
      {"expenditureTotalFen", "支出合计", "the expenditure total (支出合计)", "表8 合计", "table 8 合计",
       &D::has_expenditure_total_fen, &D::expenditure_total_fen, spend_total.value},
  };
  for (const FundsFigure& fig : figures) {
    if (!(funds.*fig.has)()) continue;
    const int64_t stated = FenToWanYuanCents((funds.*fig.stated)());
    const int64_t ledger = FenToWanYuanCents(fig.ledger);
    if (stated == ledger) continue;
    const std::string field = absl::StrCat("goals.department.funds.", fig.json);
    Finding* f = Add(report, "X21", field,
                     absl::StrCat("表9 当年", fig.row, "填报为 ", Wan(stated), "，与预算（", fig.source_zh, "）",
                                  Wan(ledger), "不一致"),
                     absl::StrCat("table 9 states ", fig.en, " as ", Wan(stated), ", but the budget (", fig.source_en,
                                  ") gives ", Wan(ledger)),
                     "使表9 与预算一致，或不填该项 / make it equal the budget's figure, or leave it unstated");
    // Hundredths of 万元 cannot overflow their difference.
    SetValues(f, Wan(ledger), Wan(stated), Wan(stated - ledger));
    Locate(f, 9, fig.row, "当年预算收支");
  }
}

void CheckGoalQuantitiesAgainstProjects(const gv1::GoalSet& goals, const lv1::Budget& budget,
                                        ValidationReport& report) {
  if (!goals.has_department()) return;
  // The sheets of the budget's projects, the first of each (the others are
  // X-GOALS-PROJECT findings).
  std::set<std::string> projects;
  for (const lv1::Project& p : budget.projects()) projects.insert(p.project_id());
  std::vector<const gv1::ProjectGoalSheet*> sheets;
  std::set<std::string> seen;
  for (const gv1::ProjectGoalSheet& sheet : goals.projects()) {
    if (sheet.project_id().empty() || projects.count(sheet.project_id()) == 0) continue;
    if (seen.insert(sheet.project_id()).second) sheets.push_back(&sheet);
  }
  // A sum over some of the projects says nothing: with a sheet missing,
  // X-GOALS-PROJECT is the finding.
  if (seen.size() != projects.size()) return;

  const gv1::DepartmentGoalSheet& d = goals.department();
  for (int i = 0; i < d.annual_goals_size(); ++i) {
    const gv1::AnnualGoal& goal = d.annual_goals(i);
    for (int k = 0; k < goal.indicators_size(); ++k) {
      const gv1::Indicator& ind = goal.indicators(k);
      if (!IsQuantity(ind) || ind.name().empty()) continue;
      const IndicatorValue target = ParseIndicatorValue(ind.target());
      if (target.op != ValueOp::kEq && target.op != ValueOp::kGe && target.op != ValueOp::kBetween) {
        continue;
      }
      // The row's unit, else the measure word of the goal text ("3-4 个").
      std::string unit = target.unit.empty() ? ind.unit() : target.unit;
      if (unit.empty()) {
        if (const auto stated = QuantityInGoalText(goal.text())) unit = stated->unit;
      }

      Sum sum;
      std::vector<std::string> terms;
      bool comparable = true;
      for (const gv1::ProjectGoalSheet* sheet : sheets) {
        for (const gv1::Indicator& p : sheet->annual_indicators()) {
          if (!IsQuantity(p) || p.name() != ind.name()) continue;
          const IndicatorValue v = ParseIndicatorValue(p.target());
          const std::string& p_unit = v.unit.empty() ? p.unit() : v.unit;
          if (!unit.empty() && !p_unit.empty() && p_unit != unit) continue;  // another measure
          if (v.op != ValueOp::kEq && v.op != ValueOp::kGe) {
            comparable = false;  // "逐年提升", a range: no sum
            break;
          }
          sum.Add(v.number);
          terms.push_back(absl::StrCat(FormatHundredths(v.number), "（", Quote(sheet->project_id()), "）"));
        }
        if (!comparable) break;
      }
      if (!comparable || terms.empty() || !sum.ok) continue;
      const bool ok = target.op == ValueOp::kBetween ? sum.value >= target.number && sum.value <= target.high
                                                     : sum.value == target.number;
      if (ok) continue;

      const std::string actual = FormatHundredths(sum.value);
      const std::string breakdown =
          terms.size() > 1 ? absl::StrCat(absl::StrJoin(terms, " + "), " = ", actual) : terms[0];
      int64_t difference = 0;
      const bool has_difference =
          target.op != ValueOp::kBetween && !__builtin_sub_overflow(sum.value, target.number, &difference);
      const std::string name = Quote(ind.name());
      Finding* f = Add(report, "X23", absl::StrCat("goals.department.annualGoals[", i, "].indicators[", k, "].target"),
                       absl::StrCat("表9 年度目标 ", i + 1, "「", name, "」预期当年实现值为 ", Quote(target.text),
                                    "，各项目申报表同名数量指标合计 ", breakdown),
                       absl::StrCat("table 9, annual goal ", i + 1, ": \"", name, "\" targets ", Quote(target.text),
                                    ", but the project sheets' quantity indicators of the "
                                    "same name add up to ",
                                    breakdown),
                       "部门整体数量目标应等于各项目同名指标之和：调整表9或项目申报表的指标值，或说明差异 / the "
                       "department's quantity target should equal the sum of the projects' targets of the "
                       "same name: adjust table 9 or the sheets, or explain the difference");
      SetValues(f, Quote(target.text), actual, has_difference ? FormatHundredths(difference) : std::string());
      Locate(f, 9, name, "预期当年实现值");
    }
  }
}

ValidationReport ValidateGoalsAgainstBudget(const gv1::GoalSet& goals, const lv1::Budget& budget) {
  ValidationReport report;
  Reporter r(&report);

  if (goals.fiscal_year() != budget.fiscal_year()) {
    r.Add("X-GOALS-YEAR", "goals.fiscalYear",
          absl::StrCat("绩效目标年度 ", goals.fiscal_year(), " 与预算年度 ", budget.fiscal_year(), " 不一致"),
          absl::StrCat("the goals are for ", goals.fiscal_year(), " but the budget is for ", budget.fiscal_year()),
          "绩效目标与预算须为同一年度 / goals and budget must be for the same year",
          {absl::StrCat(budget.fiscal_year()), absl::StrCat(goals.fiscal_year()), ""});
  }
  if (!goals.name().empty() && !budget.name().empty() && goals.name() != absl::StrCat(budget.name(), "/goals")) {
    r.Add("X-GOALS-NAME", "goals.name",
          absl::StrCat("绩效目标「", Quote(goals.name()), "」不属于预算「", Quote(budget.name()), "」"),
          absl::StrCat("the goals \"", Quote(goals.name()), "\" do not belong to the budget \"", Quote(budget.name()),
                       "\""),
          absl::StrCat("应为 ", Quote(budget.name()), "/goals / it should be ", Quote(budget.name()), "/goals"),
          {Quote(absl::StrCat(budget.name(), "/goals")), Quote(goals.name()), ""});
  }

  std::map<std::string, std::vector<int>> sheets;
  for (int j = 0; j < goals.projects_size(); ++j) {
    if (!goals.projects(j).project_id().empty()) {
      sheets[goals.projects(j).project_id()].push_back(j);
    }
  }
  std::map<std::string, int> projects;
  for (int i = 0; i < budget.projects_size(); ++i) {
    const auto& project = budget.projects(i);
    projects.emplace(project.project_id(), i);
    if (project.project_id().empty()) continue;  // the ledger's own rules report it
    auto it = sheets.find(project.project_id());
    const size_t count = it == sheets.end() ? 0 : it->second.size();
    if (count == 0) {
      r.Add(
          "X-GOALS-PROJECT", absl::StrCat("budget.projects[", i, "].projectId"),
          absl::StrCat("项目「", Quote(project.name()), "」（", Quote(project.project_id()),
                       "）没有项目支出绩效目标申报表"),
          absl::StrCat("project \"", Quote(project.name()), "\" (", Quote(project.project_id()), ") has no goal sheet"),
          absl::StrCat("在 goals.projects 中为 ", Quote(project.project_id()),
                       " 补填申报表（项目绩效目标须全覆盖）/ add a sheet for it to goals.projects "
                       "(every project needs goals)"),
          {"1", "0", "-1"});
      // The missing form is the project's 表10.
      auto* location = report.mutable_findings(report.findings_size() - 1)->mutable_location();
      location->set_table(10);
      location->set_row(absl::StrCat(Quote(project.project_id()), " ", Quote(project.name())));
    } else if (count > 1) {
      for (size_t n = 1; n < count; ++n) {
        const int j = it->second[n];
        r.Add("X-GOALS-PROJECT", absl::StrCat("goals.projects[", j, "].projectId"),
              absl::StrCat("项目「", Quote(project.name()), "」（", Quote(project.project_id()), "）有 ", count,
                           " 张申报表，应只有一张"),
              absl::StrCat("project \"", Quote(project.name()), "\" (", Quote(project.project_id()), ") has ", count,
                           " goal sheets; it must have exactly one"),
              "删除多余的申报表 / remove the extra sheets", {"1", absl::StrCat(count), absl::StrCat(count - 1)});
      }
    }
  }
  for (int j = 0; j < goals.projects_size(); ++j) {
    const std::string& id = goals.projects(j).project_id();
    if (id.empty() || projects.count(id) > 0) continue;
    r.Add("X-GOALS-PROJECT", absl::StrCat("goals.projects[", j, "].projectId"),
          absl::StrCat("预算中没有项目「", Quote(id), "」"),
          absl::StrCat("the budget has no project \"", Quote(id), "\""),
          "项目编号须与预算 budget.projects 中的 projectId 一致 / use a projectId from "
          "budget.projects");
  }

  // Money and quantities: X-GOALS-AMOUNT, X-GOALS-AMOUNT-UNSTATED, X21, X23.
  CheckProjectSheetAmounts(goals, budget, report);
  CheckDepartmentFunds(goals, budget, report);
  CheckGoalQuantitiesAgainstProjects(goals, budget, report);

  Tally(report);
  StampRuleSet(report);
  return report;
}

}  // namespace yusuan::cross_rules
