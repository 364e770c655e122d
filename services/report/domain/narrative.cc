#include "services/report/domain/narrative.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string_view>
#include <utility>

#include "absl/strings/str_join.h"
#include "services/common/money.h"

namespace yusuan::report {
namespace {

using ::yusuan::ledger::v1::BudgetSummary;
using ::yusuan::ledger::v1::Department;
using ::yusuan::ledger::v1::FundSource;
using ::yusuan::report::v1::ReportInput;

std::string Wan(int64_t fen) { return FormatWanYuan(fen); }
std::string Num(int64_t n) { return std::to_string(n); }

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         text.substr(text.size() - suffix.size()) == suffix;
}

// Removes trailing sentence punctuation and blanks so that a department's
// text can be embedded in our own sentence without doubling "。".
std::string TrimClause(std::string text) {
  static constexpr std::array<std::string_view, 8> kTails = {
      "。", "；", "，", "、", "：", "！", "…", "　"};
  bool changed = true;
  while (changed && !text.empty()) {
    changed = false;
    const char last = text.back();
    if (last == ' ' || last == '\t' || last == '\n' || last == '\r' ||
        last == '.' || last == ';' || last == ',' || last == ':') {
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
  while (start < text.size() && (text[start] == ' ' || text[start] == '\t' ||
                                 text[start] == '\n' || text[start] == '\r')) {
    ++start;
  }
  return text.substr(start);
}

const BudgetSummary& Summary(const ReportInput& input) {
  return input.tables().summary();
}

// Names of the economic classes as the narrative writes them when the
// summary carries no name.
std::string DefaultClassName(const std::string& code) {
  if (code == "301") return "工资福利支出";
  if (code == "302") return "商品和服务支出";
  if (code == "303") return "对个人和家庭的补助";
  if (code == "307") return "债务利息及费用支出";
  if (code == "309") return "资本性支出（基本建设）";
  if (code == "310") return "资本性支出";
  if (code == "399") return "其他支出";
  return code;
}

bool IsPersonnelClass(const std::string& code) {
  return code == "301" || code == "303";
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
    return prior.overseas_fen() + prior.vehicle_purchase_fen() +
           prior.vehicle_operation_fen() + prior.reception_fen();
  }
  return std::nullopt;
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
  return department.short_name().empty() ? department.full_name()
                                         : department.short_name();
}

std::string UnitNature(ledger::v1::FundingForm funding_form,
                       ledger::v1::UnitType unit_type) {
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

std::string CompareWithPriorBudget(int64_t current_fen,
                                   std::optional<int64_t> prior_fen,
                                   int prior_year) {
  if (!prior_fen.has_value()) return "上年无可比预算数";
  const YearOnYear yoy = CompareYearOnYear(current_fen, *prior_fen);
  const std::string versus = "比 " + Num(prior_year) + " 年预算";
  switch (yoy.direction) {
    case YearOnYear::Direction::kIncrease:
      return versus + "增加 " + yoy.delta_text + " 万元，增长 " +
             yoy.rate_text + "%";
    case YearOnYear::Direction::kDecrease:
      return versus + "减少 " + yoy.delta_text + " 万元，下降 " +
             yoy.rate_text + "%";
    case YearOnYear::Direction::kNew:
      return versus + "新增 " + yoy.delta_text + " 万元";
    case YearOnYear::Direction::kFlat:
      break;
  }
  return "与上年持平";
}

std::string CompareWithPriorYear(int64_t current_fen,
                                 std::optional<int64_t> prior_fen) {
  if (!prior_fen.has_value()) return "";
  const YearOnYear yoy = CompareYearOnYear(current_fen, *prior_fen);
  switch (yoy.direction) {
    case YearOnYear::Direction::kIncrease:
      return "比上年增加 " + yoy.delta_text + " 万元，增长 " + yoy.rate_text +
             "%";
    case YearOnYear::Direction::kDecrease:
      return "比上年减少 " + yoy.delta_text + " 万元，下降 " + yoy.rate_text +
             "%";
    case YearOnYear::Direction::kNew:
      return "比上年新增 " + yoy.delta_text + " 万元";
    case YearOnYear::Direction::kFlat:
      break;
  }
  return "与上年持平";
}

std::string ReasonClause(const std::string& reason) {
  std::string trimmed = TrimClause(reason);
  if (trimmed.empty()) return "";
  return "，主要是" + trimmed;
}

// ---------------------------------------------------------------- 第一部分

std::string UnitComposition(const Department& department) {
  std::string text = department.full_name() + "属" +
                     UnitNature(department.funding_form(),
                                department.unit_type()) +
                     "，";
  const int offices = department.internal_offices_size();
  if (offices == 0) {
    text += "未内设职能科室";
  } else {
    std::vector<std::string> names(department.internal_offices().begin(),
                                   department.internal_offices().end());
    text += "内设 " + Num(offices) + " 个职能科室：" +
            absl::StrJoin(names, "、");
  }
  const int units = department.secondary_units_size();
  if (units == 0) {
    text += "，无二级单位。";
  } else {
    std::vector<std::string> names;
    for (const auto& unit : department.secondary_units()) {
      names.push_back(unit.name());
    }
    text += "，下属二级单位 " + Num(units) + " 个：" +
            absl::StrJoin(names, "、") + "。";
  }
  return text;
}

std::vector<std::string> StaffComposition(const Department& department) {
  const auto& staffing = department.staffing();
  // Summed by kind in enum order so that the sentence is deterministic even
  // when a kind is listed twice.
  std::map<int, int64_t> by_kind;
  int64_t total = 0;
  for (const auto& quota : staffing.quotas()) {
    by_kind[quota.kind()] += quota.count();
    total += quota.count();
  }
  std::vector<std::string> parts;
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
    parts.push_back(label + " " + Num(count) + " 人");
  }
  std::string first = ShortName(department) + " 总编制人数 " + Num(total) + " 人";
  if (!parts.empty()) first += "(其中：" + absl::StrJoin(parts, "，") + ")";
  first += "。在职实有人数 " + Num(staffing.in_service()) + " 人。";
  const int64_t retired_total = static_cast<int64_t>(
                                    staffing.retired_before_1949()) +
                                staffing.retired();
  std::string second = "离退休人员 " + Num(retired_total) + " 人，其中：离休 " +
                       Num(staffing.retired_before_1949()) + " 人，退休 " +
                       Num(staffing.retired()) + " 人。";
  return {first, second};
}

// ---------------------------------------------------------------- 第三部分

NarrativeItem FiscalOverview(const ReportInput& input) {
  const BudgetSummary& s = Summary(input);
  const int year = FiscalYear(input);
  std::vector<std::string> income;
  if (s.general_current_fen() != 0) {
    income.push_back("一般公共预算财政拨款本年收入 " +
                     Wan(s.general_current_fen()) + " 万元");
  }
  if (s.government_fund_current_fen() != 0) {
    income.push_back("政府性基金预算财政拨款本年收入 " +
                     Wan(s.government_fund_current_fen()) + " 万元");
  }
  if (s.state_capital_current_fen() != 0) {
    income.push_back("国有资本经营预算财政拨款本年收入 " +
                     Wan(s.state_capital_current_fen()) + " 万元");
  }
  const int64_t carryover = s.general_carryover_fen() +
                            s.government_fund_carryover_fen() +
                            s.state_capital_carryover_fen();
  if (carryover != 0) {
    income.push_back("上年结转 " + Wan(carryover) + " 万元");
  }
  std::string text = Num(year) + " 年财政拨款收支总预算 " +
                     Wan(s.fiscal_total_fen()) + " 万元。收入包括：" +
                     (income.empty() ? std::string("无财政拨款收入")
                                     : absl::StrJoin(income, "，")) +
                     "。支出包括：基本支出 " + Wan(s.fiscal_basic_fen()) +
                     " 万元，项目支出 " + Wan(s.fiscal_project_fen()) +
                     " 万元。";
  return {"一、财政拨款收支预算总体情况", {text}, {}, "", {}};
}

NarrativeItem GeneralBudgetSpending(const ReportInput& input) {
  const BudgetSummary& s = Summary(input);
  const int year = FiscalYear(input);
  const auto& prior = input.budget().prior_years();
  NarrativeItem item;
  item.heading = "二、一般公共预算支出安排情况";

  std::optional<int64_t> prior_general;
  if (prior.has_general_budget_fen()) prior_general = prior.general_budget_fen();
  const YearOnYear yoy = CompareYearOnYear(
      s.general_current_fen(), prior_general.value_or(0));
  std::string change =
      CompareWithPriorBudget(s.general_current_fen(), prior_general, year - 1);
  if (prior_general.has_value() &&
      yoy.direction != YearOnYear::Direction::kFlat) {
    change += ReasonClause(
        input.budget().narrative().general_budget_change_reason());
  }
  const std::string carry =
      s.general_carryover_fen() == 0
          ? std::string("上年无结转")
          : "上年结转 " + Wan(s.general_carryover_fen()) + " 万元";
  item.paragraphs.push_back(
      Num(year) + " 年一般公共预算支出预算 " + Wan(s.general_total_fen()) +
      " 万元。其中：(1)本年预算 " + Wan(s.general_current_fen()) + " 万元，" +
      change + "；(2)" + carry + "。具体安排情况如下：");

  // (一) The parenthetical lists name the non-zero economic classes.
  std::vector<std::string> personnel;
  std::vector<std::string> pub;
  for (const auto& cls : s.general_basic_by_class()) {
    if (cls.amount_fen() == 0) continue;
    if (cls.code() == "301") {
      personnel.push_back("工资福利支出");
    } else if (cls.code() == "303") {
      personnel.push_back("对个人和家庭补助支出");
    } else {
      pub.push_back(cls.name().empty() ? DefaultClassName(cls.code())
                                       : cls.name());
    }
  }
  std::string basic = "(一)基本支出 " + Wan(s.general_basic_fen()) + " 万元";
  if (s.general_basic_fen() != 0) {
    std::vector<std::string> uses;
    if (!personnel.empty()) {
      uses.push_back("人员经费(" + absl::StrJoin(personnel, "、") + ")");
    }
    if (!pub.empty()) {
      uses.push_back("公用经费(" + absl::StrJoin(pub, "、") + ")");
    }
    basic += uses.empty() ? std::string("，主要用于人员经费和公用经费")
                          : "，主要用于" + absl::StrJoin(uses, "、");
  }
  item.paragraphs.push_back(basic + "。");

  // (二) Project spending by functional 项, then by project.
  item.paragraphs.push_back("(二)项目支出 " + Wan(s.general_project_fen()) +
                            " 万元。");
  std::map<std::string, std::string> purpose_by_id;
  for (const auto& project : input.budget().projects()) {
    purpose_by_id[project.project_id()] = project.purpose();
  }
  for (const auto& fi : s.general_project_items()) {
    std::string line = fi.name() + " " + Wan(fi.amount_fen()) + " 万元。";
    if (fi.projects_size() > 0) line += "其中：";
    item.paragraphs.push_back(line);
    for (const auto& project : fi.projects()) {
      std::string purpose = project.purpose();
      if (purpose.empty()) {
        auto it = purpose_by_id.find(project.project_id());
        if (it != purpose_by_id.end()) purpose = it->second;
      }
      purpose = TrimClause(purpose);
      std::string text = project.name() + Wan(project.amount_fen()) + " 万元";
      if (!purpose.empty()) {
        text += "，主要用于" + purpose;
        if (!EndsWith(purpose, "方面")) text += "方面";
      }
      item.paragraphs.push_back(text + "。");
    }
  }
  return item;
}

NarrativeItem GeneralBasicSpending(const ReportInput& input) {
  const BudgetSummary& s = Summary(input);
  const int year = FiscalYear(input);
  NarrativeItem item;
  item.heading = "三、一般公共预算基本支出安排情况";
  item.paragraphs.push_back(Num(year) + " 年一般公共预算基本支出 " +
                            Wan(s.general_basic_fen()) + " 万元。其中：");
  item.paragraphs.push_back("(一)人员经费 " + Wan(s.general_personnel_fen()) +
                            " 万元。包括：");
  std::vector<std::string> public_items;
  for (const auto& cls : s.general_basic_by_class()) {
    if (cls.amount_fen() == 0) continue;
    std::vector<std::string> names(cls.item_names().begin(),
                                   cls.item_names().end());
    if (IsPersonnelClass(cls.code())) {
      std::string text =
          (cls.name().empty() ? DefaultClassName(cls.code()) : cls.name()) +
          " " + Wan(cls.amount_fen()) + " 万元";
      text += names.empty() ? "。"
                            : "，主要用于：" + absl::StrJoin(names, "、") +
                                  "等。";
      item.paragraphs.push_back(text);
    } else {
      public_items.insert(public_items.end(), names.begin(), names.end());
    }
  }
  std::string pub = "(二)公用经费 " + Wan(s.general_public_fen()) + " 万元。";
  if (!public_items.empty()) {
    pub += "主要用于：" + absl::StrJoin(public_items, "、") + "等。";
  }
  item.paragraphs.push_back(pub);
  return item;
}

NarrativeItem ThreePublicSpending(const ReportInput& input) {
  const BudgetSummary& s = Summary(input);
  const int year = FiscalYear(input);
  const std::string name = ShortName(input.department());
  const std::optional<int64_t> prior = OptionalPriorThreePublic(input);
  NarrativeItem item;
  item.heading = "四、一般公共预算“三公”经费支出安排情况";

  const int64_t current = s.three_public_current_fen();
  if (current == 0) {
    std::string text = Num(year) + "年" + name + "没有“三公”经费预算安排的支出";
    if (prior.has_value()) text += "，" + CompareWithPriorYear(0, prior);
    item.paragraphs.push_back(text + "。");
    return item;
  }

  const auto& cur = input.budget().three_public().current();
  const bool has_prior = input.budget().three_public().has_prior();
  const auto& pri = input.budget().three_public().prior();
  auto component = [&](int64_t cur_fen, int64_t prior_fen) {
    std::string clause;
    if (has_prior) clause = "，" + CompareWithPriorYear(cur_fen, prior_fen);
    return clause;
  };
  std::string text = Num(year) + "年一般公共预算“三公”经费预算 " +
                     Wan(current) + " 万元";
  if (prior.has_value()) text += "，" + CompareWithPriorYear(current, prior);
  const int64_t vehicle = cur.vehicle_purchase_fen() + cur.vehicle_operation_fen();
  const int64_t prior_vehicle =
      pri.vehicle_purchase_fen() + pri.vehicle_operation_fen();
  text += "。其中：因公出国（境）费 " + Wan(cur.overseas_fen()) + " 万元" +
          component(cur.overseas_fen(), pri.overseas_fen()) +
          "；公务用车购置及运行费 " + Wan(vehicle) +
          " 万元（其中：公务用车购置费 " + Wan(cur.vehicle_purchase_fen()) +
          " 万元，公务用车运行费 " + Wan(cur.vehicle_operation_fen()) +
          " 万元）" + component(vehicle, prior_vehicle) + "；公务接待费 " +
          Wan(cur.reception_fen()) + " 万元" +
          component(cur.reception_fen(), pri.reception_fen()) + "。";
  const std::string reason =
      TrimClause(input.budget().narrative().three_public_change_reason());
  if (!reason.empty()) text += "主要是" + reason + "。";
  item.paragraphs.push_back(text);
  return item;
}

NarrativeItem GovernmentFundSpending(const ReportInput& input) {
  const BudgetSummary& s = Summary(input);
  const int year = FiscalYear(input);
  NarrativeItem item;
  item.heading = "五、政府性基金预算支出安排情况";
  if (s.government_fund_total_fen() == 0) {
    item.paragraphs.push_back(Num(year) + " 年" + ShortName(input.department()) +
                              "没有使用政府性基金预算安排的支出。");
    return item;
  }
  std::string text = Num(year) + " 年政府性基金预算支出 " +
                     Wan(s.government_fund_total_fen()) + " 万元";
  const auto& prior = input.budget().prior_years();
  if (prior.has_government_fund_fen()) {
    text += "，" + CompareWithPriorYear(s.government_fund_total_fen(),
                                       prior.government_fund_fen());
  }
  text += "。";
  // The 项 list comes from 表5 (its first amount column is 合计).
  std::vector<std::string> uses;
  for (const auto& table : input.tables().tables()) {
    if (table.number() != 5) continue;
    for (const auto& row : table.rows()) {
      if (row.level() != 3 || row.cells_fen_size() == 0) continue;
      if (row.cells_fen(0) == 0) continue;
      uses.push_back(row.name() + " " + Wan(row.cells_fen(0)) + " 万元");
    }
  }
  if (!uses.empty()) text += "主要用于：" + absl::StrJoin(uses, "、") + "。";
  item.paragraphs.push_back(text);
  return item;
}

NarrativeItem DepartmentTotals(const ReportInput& input) {
  const BudgetSummary& s = Summary(input);
  const int year = FiscalYear(input);
  const std::string name = ShortName(input.department());
  NarrativeItem item;
  item.heading = "六、部门收支预算总体安排情况";
  item.paragraphs.push_back(
      "按照综合预算的原则，" + name +
      "所有收入和支出均纳入部门预算管理。收入包括：财政拨款收入、事业收入、"
      "上级补助收入、附属单位上缴收入、事业单位经营收入、其他收入、"
      "用事业基金弥补收支差额和上年结转。支出包括：基本支出、项目支出、"
      "上缴上级支出、对附属单位补助支出和事业单位经营支出。");
  const auto& prior = input.budget().prior_years();
  std::optional<int64_t> prior_total;
  if (prior.has_department_total_fen()) {
    prior_total = prior.department_total_fen();
  }
  const int64_t total = s.department_income_total_fen();
  std::string change = CompareWithPriorBudget(total, prior_total, year - 1);
  if (prior_total.has_value() &&
      CompareYearOnYear(total, *prior_total).direction !=
          YearOnYear::Direction::kFlat) {
    change += ReasonClause(
        input.budget().narrative().department_total_change_reason());
  }
  item.paragraphs.push_back(Num(year) + " 年部门收支总预算 " + Wan(total) +
                            " 万元。" + change + "。");
  return item;
}

NarrativeItem DepartmentIncome(const ReportInput& input) {
  const BudgetSummary& s = Summary(input);
  const int year = FiscalYear(input);
  NarrativeItem item;
  item.heading = "七、部门收入预算安排情况";
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
  std::vector<std::string> clauses;
  for (int v = ledger::v1::FundSource_MIN; v <= ledger::v1::FundSource_MAX;
       ++v) {
    if (!ledger::v1::FundSource_IsValid(v)) continue;
    const auto source = static_cast<FundSource>(v);
    const std::string label = SourceNarrativeName(source);
    if (label.empty()) continue;
    const auto it = by_source.find(v);
    const int64_t amount = it == by_source.end() ? 0 : it->second;
    if (FenToWanYuanCents(amount) != 0) {
      clauses.push_back(label + " " + Wan(amount) + " 万元");
    } else if (AlwaysMentioned(source)) {
      clauses.push_back("无" + label);
    }
  }
  for (const auto& [label, amount] : unnamed) {
    if (FenToWanYuanCents(amount) != 0) {
      clauses.push_back(label + " " + Wan(amount) + " 万元");
    }
  }
  clauses.push_back(s.department_carryover_fen() == 0
                        ? std::string("无上年结转")
                        : "上年结转 " + Wan(s.department_carryover_fen()) +
                              " 万元");
  item.paragraphs.push_back(Num(year) + " 年部门收入预算 " +
                            Wan(s.department_income_total_fen()) +
                            " 万元，其中：" + absl::StrJoin(clauses, "；") +
                            "。");
  return item;
}

NarrativeItem DepartmentExpenditure(const ReportInput& input) {
  const BudgetSummary& s = Summary(input);
  const int year = FiscalYear(input);
  NarrativeItem item;
  item.heading = "八、部门支出预算安排情况";
  const std::vector<int64_t> parts = {
      s.department_basic_fen(), s.department_project_fen(),
      s.department_remit_fen(), s.department_operating_fen(),
      s.department_subsidiary_fen()};
  const std::vector<int64_t> shares = LargestRemainderShares(parts);
  static constexpr std::array<std::string_view, 5> kNames = {
      "基本支出", "项目支出", "上缴上级支出", "事业单位经营支出",
      "对附属单位补助支出"};
  std::vector<std::string> clauses;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i >= 2 && parts[i] == 0) continue;
    clauses.push_back(std::string(kNames[i]) + " " + Wan(parts[i]) +
                      " 万元，占 " + FormatBasisPoints(shares[i]) + "%");
  }
  item.paragraphs.push_back(Num(year) + " 年部门支出预算 " +
                            Wan(s.department_expenditure_total_fen()) +
                            " 万元，其中：" + absl::StrJoin(clauses, "；") +
                            "。");
  return item;
}

NarrativeItem MachineryOperating(const ReportInput& input) {
  const BudgetSummary& s = Summary(input);
  const int year = FiscalYear(input);
  NarrativeItem item;
  item.heading = "(一)机关运行经费情况";
  const auto type = input.department().unit_type();
  if (!IsMachineryUnit(type)) {
    item.paragraphs.push_back("本部门无机关运行经费。");
    return item;
  }
  const std::string body = type == ledger::v1::UNIT_TYPE_ADMINISTRATIVE
                               ? "机关"
                               : "参照公务员法管理事业单位";
  std::string text = Num(year) + " 年部门本级" + body + "的机关运行经费 " +
                     Wan(s.machinery_operating_fen()) + " 万元";
  const auto& prior = input.budget().prior_years();
  if (prior.has_machinery_operating_fen()) {
    text += "，" + CompareWithPriorYear(s.machinery_operating_fen(),
                                       prior.machinery_operating_fen());
  }
  text += "。";
  const std::string purpose =
      TrimClause(input.budget().narrative().machinery_operating_purpose());
  if (!purpose.empty()) text += "主要用于" + purpose + "。";
  item.paragraphs.push_back(text);
  return item;
}

NarrativeItem GovernmentProcurement(const ReportInput& input) {
  const int year = FiscalYear(input);
  NarrativeItem item;
  item.heading = "(二)政府采购预算情况";
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
  if (total == 0) {
    item.paragraphs.push_back(Num(year) + "年本部门无政府采购预算。");
    return item;
  }
  std::string text = Num(year) + " 年部门政府采购预算支出合计 " + Wan(total) +
                     " 万元。其中：货物 " + Wan(goods) + " 万元、工程 " +
                     Wan(works) + " 万元、服务 " + Wan(services) + " 万元。";
  if (!items.empty()) text += "包括：" + absl::StrJoin(items, "、") + "。";
  item.paragraphs.push_back(text);
  return item;
}

NarrativeItem StateAssets(const ReportInput& input) {
  const int year = FiscalYear(input);
  const auto& assets = input.budget().assets();
  NarrativeItem item;
  item.heading = "(三)国有资产占有使用情况";
  std::string text;
  const std::string as_of =
      assets.as_of_date().empty()
          ? std::string()
          : "截至 " + ChineseDate(assets.as_of_date()) + "，";
  if (assets.vehicles() == 0) {
    text = "本单位无公务用车。";
  } else {
    text = as_of + "本部门共有公务用车 " + Num(assets.vehicles()) + " 辆。";
  }
  if (assets.general_equipment_over_500k() != 0 ||
      assets.special_equipment_over_1m() != 0) {
    text += "单位价值 50 万元以上通用设备 " +
            Num(assets.general_equipment_over_500k()) +
            " 台（套），单位价值 100 万元以上专用设备 " +
            Num(assets.special_equipment_over_1m()) + " 台（套）。";
  }
  if (assets.planned_vehicle_purchases() != 0) {
    text += Num(year) + " 年部门预算安排购置车辆 " +
            Num(assets.planned_vehicle_purchases()) + " 辆。";
  }
  item.paragraphs.push_back(text);
  return item;
}

NarrativeItem ServicePurchase(const ReportInput& input) {
  const int year = FiscalYear(input);
  NarrativeItem item;
  item.heading = "(四)政府购买服务预算安排情况说明";
  int64_t total = 0;
  std::vector<std::string> items;
  std::set<std::string> seen;
  for (const auto& line : input.budget().service_purchase_lines()) {
    total += line.amount_fen();
    if (!line.item().empty() && seen.insert(line.item()).second) {
      items.push_back(line.item());
    }
  }
  if (total == 0) {
    item.paragraphs.push_back("本部门" + Num(year) + "年无政府购买服务预算。");
    return item;
  }
  std::string text = Num(year) + " 年部门政府购买服务预算 " + Wan(total) +
                     " 万元";
  if (!items.empty()) text += "，主要用于" + absl::StrJoin(items, "、");
  item.paragraphs.push_back(text + "。");
  return item;
}

NarrativeItem PerformanceGoals(const ReportInput& input) {
  const BudgetSummary& s = Summary(input);
  const int year = FiscalYear(input);
  NarrativeItem item;
  item.heading = "(五)绩效目标设置情况";

  std::set<std::string> with_goals;
  for (const auto& sheet : input.goals().projects()) {
    with_goals.insert(sheet.project_id());
  }
  int covered = 0;
  for (const auto& project : input.budget().projects()) {
    if (with_goals.count(project.project_id()) > 0) ++covered;
  }
  const int projects = input.budget().projects_size();
  std::string text = Num(year) + " 年部门项目绩效目标";
  text += covered == projects
              ? std::string("实现全覆盖")
              : "覆盖 " + Num(projects) + " 个项目中的 " + Num(covered) + " 个";
  text += "，涉及一般公共预算本年财政拨款 " + Wan(s.general_project_fen()) +
          " 万元，";
  text += s.government_fund_project_fen() == 0
              ? std::string("无政府性基金预算本年财政拨款")
              : "政府性基金预算本年财政拨款 " +
                    Wan(s.government_fund_project_fen()) + " 万元";
  text += "。";
  const auto& narrative = input.budget().narrative();
  if (narrative.has_prior_year_goal_completion_pct()) {
    text += Num(year - 1) + " 年部门预算绩效目标已" +
            Num(narrative.prior_year_goal_completion_pct()) + "%完成，";
  }
  const auto& goals = input.goals().department().annual_goals();
  if (goals.empty()) {
    text += Num(year) + " 年未设置部门预算绩效目标。";
    item.paragraphs.push_back(text);
    return item;
  }
  text += Num(year) + " 年部门预算绩效目标设置如下：";
  item.paragraphs.push_back(text);
  item.goal_table_type = Num(year) + "年部门预算绩效目标";
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

NarrativeItem OtherMatters(const ReportInput& input) {
  NarrativeItem item;
  item.heading = "九、其他重要事项的情况说明";
  item.subitems = {MachineryOperating(input), GovernmentProcurement(input),
                   StateAssets(input), ServicePurchase(input),
                   PerformanceGoals(input)};
  return item;
}

std::vector<NarrativeItem> BudgetExplanation(const ReportInput& input) {
  return {FiscalOverview(input),        GeneralBudgetSpending(input),
          GeneralBasicSpending(input),  ThreePublicSpending(input),
          GovernmentFundSpending(input), DepartmentTotals(input),
          DepartmentIncome(input),      DepartmentExpenditure(input),
          OtherMatters(input)};
}

}  // namespace yusuan::report
