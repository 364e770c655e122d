#include "services/ledger/domain/rules.h"

#include "services/common/iso_date.h"
#include "services/common/rule_catalogue.h"
#include "services/ledger/domain/rule_catalogue.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/findings_builder.h"
#include "services/common/money.h"
#include "services/common/utf8.h"
#include "services/ledger/domain/amounts.h"
#include "services/ledger/domain/economic_classes.h"
#include "services/ledger/domain/projections.h"
#include "services/ledger/domain/table_rules.h"
#include "services/ledger/domain/units.h"

namespace yusuan::ledger {
namespace {

namespace v1 = yusuan::ledger::v1;
using yusuan::common::v1::Finding;
using yusuan::common::v1::Severity;
using yusuan::common::v1::ValidationReport;

constexpr int kFirstSource = v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET;
constexpr int kLastSource = v1::FUND_SOURCE_INSTITUTION_FUND;

bool AllDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The ledger's multi-line texts, where a line feed and a tab are text: the
// narrative's reasons and purposes and a project's purpose, which the
// renderers break into lines. Every other string — names, codes, phone —
// is one line (V-TEXT-CONTROL).
bool IsMultilineText(const google::protobuf::FieldDescriptor& field) {
  const google::protobuf::Descriptor* owner = field.containing_type();
  if (owner == v1::NarrativeInputs::descriptor()) return field.type() == google::protobuf::FieldDescriptor::TYPE_STRING;
  return owner == v1::Project::descriptor() && field.number() == v1::Project::kPurposeFieldNumber;
}

std::string SourceName(int source) {
  const std::string label = FundSourceLabel(static_cast<v1::FundSource>(source));
  return label.empty() ? absl::StrCat("fund source ", source) : label;
}

const char* SourceNameEn(int source) {
  switch (source) {
    case 1:
      return "general public budget grant";
    case 2:
      return "government fund budget grant";
    case 3:
      return "state capital budget grant";
    case 4:
      return "fiscal special account funds";
    case 5:
      return "institution revenue";
    case 6:
      return "institution operating revenue";
    case 7:
      return "superior subsidy";
    case 8:
      return "subsidiary remittance";
    case 9:
      return "other revenue";
    case 10:
      return "institution fund";
    default:
      return "unknown source";
  }
}

// A code as submitted, for a finding's proto3 string fields.
std::string Printable(const std::string& code) { return IsValidUtf8(code) ? code : "(invalid UTF-8)"; }

// A project's row on 表10: its id and name.
std::string ProjectRow(const v1::Project& p) {
  return absl::StrCat(Printable(p.project_id()), " ", IsValidUtf8(p.name()) ? p.name() : "");
}

// The income row of 表1 (fiscal sources) or 表6 (the others) that an
// imbalance of `source` shows on.
std::string BalanceRow(int source, bool carryover) {
  static const char* const kFiscalCurrent[] = {"", "（一）一般公共预算拨款收入", "（二）政府性基金预算拨款收入",
                                               "（三）国有资本经营预算拨款收入"};
  static const char* const kFiscalCarryover[] = {"", "（一）一般公共预算拨款", "（二）政府性基金预算拨款",
                                                 "（三）国有资本经营预算拨款"};
  if (source <= v1::FUND_SOURCE_STATE_CAPITAL_BUDGET) {
    return carryover ? kFiscalCarryover[source] : kFiscalCurrent[source];
  }
  if (carryover) return "十一、上年结转";
  return SourceName(source);
}

// What a valid code next to `code` looks like: the 项 (or 款) under the same
// parent in the edition, e.g. "款 20601 机关服务 下的项：2060101 行政运行、…".
std::string ValidSiblings(const Catalogue& catalogue, v1::CodeKind kind, const std::string& code) {
  const size_t parent_length = kind == v1::CODE_KIND_FUNCTIONAL ? 5 : 3;
  const size_t item_length = parent_length + 2;
  const std::string parent = code.substr(0, std::min(code.size(), parent_length));
  const std::string* parent_name =
      kind == v1::CODE_KIND_FUNCTIONAL ? catalogue.FunctionalName(parent) : catalogue.EconomicName(parent);
  const char* level = kind == v1::CODE_KIND_FUNCTIONAL ? "项" : "款";
  if (parent.size() != parent_length || parent_name == nullptr) {
    return absl::StrCat("《", catalogue.edition(), "年政府收支分类科目》中的", item_length, "位", level, "级科目");
  }
  std::string list;
  int shown = 0;
  const v1::Catalogue all = catalogue.ToProto();
  for (const v1::CatalogueEntry& entry : all.entries()) {
    if (entry.kind() != kind || entry.code().size() != item_length ||
        entry.code().compare(0, parent_length, parent) != 0) {
      continue;
    }
    if (shown == 6) {
      absl::StrAppend(&list, "、…");
      break;
    }
    absl::StrAppend(&list, shown == 0 ? "" : "、", entry.code(), " ", entry.name());
    ++shown;
  }
  if (shown == 0) {
    return absl::StrCat("《", catalogue.edition(), "年政府收支分类科目》中的", item_length, "位", level, "级科目");
  }
  return absl::StrCat(parent, " ", *parent_name, " 下的", level, "：", list);
}

// V-FUND-KIND: a line is classified with the codes of the budget its money
// comes from, so that 表2 lists only 一般公共预算 codes and 表5 only 政府性基金
// ones (a fund line on a general code would be printed in 表5 under a code
// that is not a fund's).
void CheckFundKind(const Catalogue& catalogue, const v1::ExpenditureLine& line, const std::string& field,
                   FindingsBuilder& out) {
  const std::string& fc = line.functional_code();
  const v1::BudgetKind wanted = BudgetOfSource(line.fund_source());
  const BudgetSet budgets = catalogue.FunctionalBudgets(fc);
  if (budgets.Contains(wanted)) return;
  const std::string source = SourceName(line.fund_source());
  Finding* f = out.Add(
      "V-FUND-KIND", field,
      absl::StrCat("资金来源为", source, "的支出列在功能分类科目 ", fc, " ", *catalogue.FunctionalName(fc),
                   "，该科目属于", BudgetSetName(budgets), "，不属于", BudgetKindName(wanted), "。"),
      absl::StrCat("a line paid from the ", SourceNameEn(line.fund_source()), " is classified under ", fc,
                   ", a code of the ", BudgetSetName(budgets), " (", BudgetKindFileName(budgets.kinds().front()),
                   " budget), not of the ", BudgetKindName(wanted), " (", BudgetKindFileName(wanted), ")."),
      absl::StrCat("Use a functional 项 of the ", BudgetKindName(wanted), " (GET /v1/catalogues/", catalogue.edition(),
                   " tags every code with its budgets), or correct the line's fundSource."));
  f->set_expected(
      absl::StrCat(BudgetKindName(wanted), "的科目 / a code of the ", BudgetKindFileName(wanted), " budget"));
  f->set_actual(absl::StrCat(fc, " 属于", BudgetSetName(budgets)));
  f->set_difference("预算类型不符 / budget mismatch");
  Locate(f, wanted == v1::BUDGET_KIND_GOVERNMENT_FUND ? 5 : 2, fc, "合计");
}

// R-T2-5: project money is not booked on an office's running costs
// (行政运行, 机构运行, 事业运行), nor, when the catalogue lists the 项 that
// may carry projects, outside that list. The hint names the 项 of the same
// 款 that can take it.
void CheckProjectItem(const Catalogue& catalogue, const std::string& fc, const std::string& field,
                      FindingsBuilder& out) {
  const bool operations = catalogue.IsOperationsItem(fc);
  // The project-capable list names 项; a 款 without 项 is not on it.
  const bool not_capable = catalogue.has_project_capable() && fc.size() == 7 && !catalogue.IsProjectCapable(fc);
  if (!operations && !not_capable) return;
  const std::string& name = *catalogue.FunctionalName(fc);
  std::string alternatives;
  int shown = 0;
  for (const CatalogueCode& sibling : catalogue.FunctionalChildren(fc.substr(0, 5))) {
    if (sibling.code == fc || catalogue.IsOperationsItem(sibling.code)) continue;
    if (catalogue.has_project_capable() && !catalogue.IsProjectCapable(sibling.code)) continue;
    if (shown == 4) {
      absl::StrAppend(&alternatives, "、…");
      break;
    }
    absl::StrAppend(&alternatives, shown == 0 ? "" : "、", sibling.code, " ", sibling.name);
    ++shown;
  }
  const std::string kuan = fc.substr(0, 5);
  const std::string* kuan_name = catalogue.FunctionalName(kuan);
  out.Add("R-T2-5", field,
          operations ? absl::StrCat("项目支出列在 ", fc, " ", name, " 下，该项只列基本支出。")
                     : absl::StrCat("项目支出列在 ", fc, " ", name, " 下，该项不在可列项目支出的科目清单中。"),
          operations
              ? absl::StrCat("project spending on ", fc, " ", name, ", an item for basic (running) spending only.")
              : absl::StrCat("project spending on ", fc, " ", name,
                             ", which the catalogue does not list as project-capable."),
          alternatives.empty()
              ? absl::StrCat("Move the project to the 项 of its purpose in the ", catalogue.edition(), " catalogue.")
              : absl::StrCat("Move the project to the 项 of its purpose, e.g. under ", kuan, " ",
                             kuan_name == nullptr ? "" : *kuan_name, ": ", alternatives, "."));
}

// A budget unit as a finding names it.
std::string UnitLabelZh(const std::string& unit_code) {
  return unit_code.empty() ? "部门本级" : absl::StrCat("所属单位 ", unit_code, " ");
}
std::string UnitLabelEn(const std::string& unit_code) {
  return unit_code.empty() ? "the department's own unit (本级)" : absl::StrCat("unit ", unit_code);
}

// V-UNIT-REF: a line names the budget unit it belongs to: "" (本级) or one of
// the department's secondary units.
void CheckUnitRef(const v1::Department& department, const std::string& unit_code, const std::string& field,
                  FindingsBuilder& out) {
  if (unit_code.empty()) return;
  std::string units;
  for (int k = 0; k < department.secondary_units_size(); ++k) {
    const v1::SecondaryUnit& unit = department.secondary_units(k);
    if (unit.code() == unit_code) {
      // A unit that carries money needs its type: 机关运行经费 and the
      // staffing figures depend on it.
      if (unit.unit_type() == v1::UNIT_TYPE_UNSPECIFIED || !v1::UnitType_IsValid(unit.unit_type())) {
        Finding* f =
            out.Add("V-UNIT-REF", Path("department.secondaryUnits", k, "unitType"),
                    absl::StrCat("所属单位 ", Shown(unit_code), " 有收支明细，但未填写单位性质。"),
                    absl::StrCat("secondary unit ", Shown(unit_code), " carries budget lines but has no unit type."),
                    "Set unitType (ADMINISTRATIVE, CIVIL_SERVANT_MANAGED_INSTITUTION, "
                    "PUBLIC_INSTITUTION or OTHER) on the unit.");
        f->set_actual(Printable(unit_code));
      }
      return;
    }
    absl::StrAppend(&units, units.empty() ? "" : "、", unit.code(), " ", unit.name());
  }
  Finding* f = out.Add("V-UNIT-REF", field, absl::StrCat("单位代码 ", Shown(unit_code), " 不是本部门的所属单位。"),
                       absl::StrCat("unit code ", Shown(unit_code), " is not a unit of the department."),
                       "Leave unitCode empty for the department's own unit (本级), or use the code of one of "
                       "department.secondaryUnits.");
  f->set_expected(units.empty() ? "本级（空）/ \"\" (no secondary units)" : absl::StrCat("本级（空）或 ", units));
  f->set_actual(Printable(unit_code));
}

void CheckDepartment(const v1::Department& d, FindingsBuilder& out) {
  const TextProblems text = FindTextProblemsInMessage(d, IsMultilineText);
  for (const std::string& path : text.invalid_utf8) out.InvalidUtf8(absl::StrCat("department.", path));
  for (const ControlCharacterField& found : text.control_characters) {
    out.ControlCharacterInText("department.", found);
  }

  if (d.region_code().empty()) {
    out.Required("department.regionCode", "行政区划代码", "region code (GB/T 2260)");
  } else if (!AllDigits(d.region_code()) ||
             (d.region_code().size() != 2 && d.region_code().size() != 4 && d.region_code().size() != 6)) {
    out.Add("V-FIELD-FORMAT", "department.regionCode",
            absl::StrCat("行政区划代码 ", Shown(d.region_code()), " 应为 2、4 或 6 位数字。"),
            absl::StrCat("region code ", Shown(d.region_code()), " must be 2, 4 or 6 digits."),
            "Use the GB/T 2260 code, e.g. 420107 for 青山区.");
  }
  if (d.agency_code().empty()) {
    out.Required("department.agencyCode", "预算单位编码", "agency (budget unit) code");
  } else if (!AllDigits(d.agency_code())) {
    out.Add("V-FIELD-FORMAT", "department.agencyCode",
            absl::StrCat("预算单位编码 ", Shown(d.agency_code()), " 只能包含数字。"),
            absl::StrCat("agency code ", Shown(d.agency_code()), " must be digits only."),
            "Use the budget unit code of the finance bureau, e.g. 005001022.");
  }
  if (d.full_name().empty()) out.Required("department.fullName", "部门全称", "department's full name");
  if (d.short_name().empty()) out.Required("department.shortName", "部门简称", "department's short name");
  if (d.fiscal_level() == v1::FISCAL_LEVEL_UNSPECIFIED) {
    out.Unspecified("department.fiscalLevel", "财政级次", "fiscal level", "PROVINCE, CITY, DISTRICT, COUNTY, TOWNSHIP");
  }
  if (d.unit_type() == v1::UNIT_TYPE_UNSPECIFIED) {
    out.Unspecified("department.unitType", "单位性质", "unit type",
                    "ADMINISTRATIVE, CIVIL_SERVANT_MANAGED_INSTITUTION, PUBLIC_INSTITUTION, OTHER");
  }

  const v1::Staffing& st = d.staffing();
  int64_t quota_total = 0;
  for (int i = 0; i < st.quotas_size(); ++i) {
    const v1::EstablishmentQuota& q = st.quotas(i);
    if (q.count() < 0) out.NegativeCount(Path("department.staffing.quotas", i, "count"), q.count());
    if (q.kind() == v1::ESTABLISHMENT_KIND_UNSPECIFIED) {
      out.Unspecified(Path("department.staffing.quotas", i, "kind"), "编制类别", "establishment kind",
                      "ADMINISTRATIVE, CIVIL_SERVANT_MANAGED, PUBLIC_INSTITUTION, LOGISTICS");
    }
    quota_total += q.count();
  }
  if (st.in_service() < 0) out.NegativeCount("department.staffing.inService", st.in_service());
  if (st.retired_before_1949() < 0) {
    out.NegativeCount("department.staffing.retiredBefore1949", st.retired_before_1949());
  }
  if (st.retired() < 0) out.NegativeCount("department.staffing.retired", st.retired());
  if (st.has_retirees_total()) {
    const int64_t sum = int64_t{st.retired_before_1949()} + st.retired();
    if (st.retirees_total() != sum) {
      out.AddCount("X20-RETIREES", "department.staffing.retireesTotal",
                   absl::StrCat("离退休人员 ", st.retirees_total(), " 人，不等于离休 ", st.retired_before_1949(),
                                " 人 + 退休 ", st.retired(), " 人 = ", sum, " 人。"),
                   absl::StrCat("retirees (", st.retirees_total(), ") differ from retired before 1949 (",
                                st.retired_before_1949(), ") + retired (", st.retired(), ") = ", sum, "."),
                   sum, st.retirees_total(),
                   "离退休 = 离休 + 退休: correct the total, or the two counts it is made of.");
    }
  }
  if (st.quotas_size() > 0 && st.in_service() > quota_total) {
    out.Add("X20", "department.staffing.inService",
            absl::StrCat("在职实有人数 ", st.in_service(), " 人超过总编制 ", quota_total, " 人。"),
            absl::StrCat("staff in service (", st.in_service(), ") exceed the establishment (", quota_total, ")."),
            "Check the staff count and the establishment quotas; explain any over-establishment staff.");
  }
}

struct LineTotals {
  // [source][carryover]
  std::array<std::array<int64_t, 2>, kLastSource + 1> income{};
  std::array<std::array<int64_t, 2>, kLastSource + 1> expenditure{};
  int64_t fiscal_project = 0;
  std::map<std::string, int64_t> by_project;
};

void CheckBudget(const v1::Department& department, const v1::Budget& b, const CatalogueSet& catalogues,
                 FindingsBuilder& out) {
  const TextProblems text = FindTextProblemsInMessage(b, IsMultilineText);
  for (const std::string& path : text.invalid_utf8) out.InvalidUtf8(absl::StrCat("budget.", path));
  for (const ControlCharacterField& found : text.control_characters) {
    out.ControlCharacterInText("budget.", found);
  }

  // ---------------------------------------------------------------- header
  if (b.fiscal_year() == 0) {
    out.Required("budget.fiscalYear", "预算年度", "fiscal year");
  } else if (b.fiscal_year() < 2000 || b.fiscal_year() > 2100) {
    out.Add("V-FIELD-RANGE", "budget.fiscalYear", absl::StrCat("预算年度 ", b.fiscal_year(), " 不在 2000–2100 之间。"),
            absl::StrCat("fiscal year ", b.fiscal_year(), " is outside 2000..2100."),
            "Enter the budget year, e.g. 2021.");
  }
  if (b.stage() == v1::STAGE_UNSPECIFIED) {
    out.Unspecified("budget.stage", "预决算阶段", "stage", "BUDGET, FINAL_ACCOUNTS");
  }
  const Catalogue* catalogue = nullptr;
  if (b.catalogue_edition() == 0) {
    out.Required("budget.catalogueEdition", "政府收支分类科目版本", "catalogue edition");
  } else {
    if (b.fiscal_year() != 0 && b.catalogue_edition() != b.fiscal_year()) {
      out.Add("V-EDITION-MISMATCH", "budget.catalogueEdition",
              absl::StrCat("科目版本 ", b.catalogue_edition(), " 与预算年度 ", b.fiscal_year(), " 不一致：",
                           b.fiscal_year(), " 年预算须使用《", b.fiscal_year(), "年政府收支分类科目》。"),
              absl::StrCat("catalogue edition ", b.catalogue_edition(), " differs from fiscal year ", b.fiscal_year(),
                           "; a budget uses the catalogue of its own year."),
              absl::StrCat("Set catalogueEdition to ", b.fiscal_year(), " and re-code the lines to that edition."));
    }
    catalogue = catalogues.Find(b.catalogue_edition());
    if (catalogue == nullptr) {
      std::string loaded;
      for (int e : catalogues.editions()) absl::StrAppend(&loaded, loaded.empty() ? "" : ", ", e);
      out.Add(
          "V-CATALOGUE-MISSING", "budget.catalogueEdition",
          absl::StrCat("没有 ", b.catalogue_edition(), " 年版政府收支分类科目，无法核对科目编码。"),
          absl::StrCat("no catalogue for edition ", b.catalogue_edition(), " is loaded, so codes cannot be checked."),
          absl::StrCat("Use an edition the service has (", loaded.empty() ? "none" : loaded,
                       "), or ask the operator to add data/catalogue/", b.catalogue_edition(), ".json."));
    }
  }

  // ---------------------------------------------------------------- amounts
  // Named at the field where the sum of |amounts| crosses the bound: the
  // amount that is too large, or the one that makes the sum so.
  AmountMagnitude magnitude;
  std::string past_magnitude;
  ForEachAmountField(b, "budget", [&](const FieldPath& path, int64_t fen) {
    if (magnitude.ReachesBound(fen)) past_magnitude = path.ToString();
    if (fen >= 0) return;
    out.Add("V-AMOUNT-NEGATIVE", path.ToString(), absl::StrCat("金额不能为负数（", FormatYuan(fen), " 元）。"),
            absl::StrCat("an amount cannot be negative (", FormatYuan(fen), " yuan)."),
            "Enter the amount as a positive number of 分; a reduction is a smaller line, not a negative one.");
  });
  const bool arithmetic_ok = past_magnitude.empty();
  if (!arithmetic_ok) {
    out.Add("V-AMOUNT-RANGE", past_magnitude,
            absl::StrCat(past_magnitude,
                         "：金额过大，与此前各金额（绝对值）之和达到 2^62 分，合计会超出可计算范围，未做平衡校验。"),
            absl::StrCat(past_magnitude,
                         ": amounts are too large (the absolute amounts of the budget up to this one add up to 2^62 "
                         "分 or more); balances were not checked."),
            "Check the units: amounts are in 分 (1 元 = 100 分).");
  }

  // ---------------------------------------------------------------- projects
  std::map<std::string, int> project_index;
  for (int i = 0; i < b.projects_size(); ++i) {
    const v1::Project& p = b.projects(i);
    if (p.project_id().empty()) {
      out.Required(Path("budget.projects", i, "projectId"), "项目编号", "project id");
    } else if (!project_index.emplace(p.project_id(), i).second) {
      out.Add("V-PROJECT-ID-DUP", Path("budget.projects", i, "projectId"),
              absl::StrCat("项目编号 ", Shown(p.project_id()), " 与 budget.projects[", project_index[p.project_id()],
                           "] 重复。"),
              absl::StrCat("project id ", Shown(p.project_id()), " repeats budget.projects[",
                           project_index[p.project_id()], "]."),
              "Give every project its own id.");
    }
    if (p.name().empty()) out.Required(Path("budget.projects", i, "name"), "项目名称", "project name");
  }

  // ---------------------------------------------------------------- lines
  LineTotals totals;
  for (int i = 0; i < b.income_lines_size(); ++i) {
    const v1::IncomeLine& line = b.income_lines(i);
    if (line.source() < kFirstSource || line.source() > kLastSource) {
      out.Unspecified(Path("budget.incomeLines", i, "source"), "收入来源", "income source",
                      "GENERAL_PUBLIC_BUDGET … INSTITUTION_FUND");
      continue;
    }
    CheckUnitRef(department, line.unit_code(), Path("budget.incomeLines", i, "unitCode"), out);
    if (arithmetic_ok) totals.income[line.source()][line.carryover() ? 1 : 0] += line.amount_fen();
  }

  const std::string kLines = "budget.expenditureLines";
  for (int i = 0; i < b.expenditure_lines_size(); ++i) {
    const v1::ExpenditureLine& line = b.expenditure_lines(i);
    const std::string& fc = line.functional_code();
    const std::string& ec = line.economic_code();

    if (fc.empty()) {
      out.Required(Path(kLines, i, "functionalCode"), "支出功能分类科目（项级，7位）",
                   "functional classification code (7-digit 项)");
    } else if (catalogue != nullptr && !catalogue->IsFunctionalItem(fc)) {
      const bool known = catalogue->IsKnownFunctional(fc);
      Finding* f = out.Add(
          "V-CODE-UNKNOWN", Path(kLines, i, "functionalCode"),
          known ? absl::StrCat("功能分类科目 ", Shown(fc), " 不是项级科目；支出须列到项级（7位）。")
                : absl::StrCat("功能分类科目 ", Shown(fc), " 不在《", catalogue->edition(), "年政府收支分类科目》中。"),
          known ? absl::StrCat("functional code ", Shown(fc),
                               " is not a 项 (7 digits); spending is classified down to 项.")
                : absl::StrCat("functional code ", Shown(fc), " is not in the ", catalogue->edition(), " catalogue."),
          absl::StrCat("Pick a 7-digit 项 code of the ", catalogue->edition(), " catalogue: GET /v1/catalogues/",
                       catalogue->edition(), " or `yusuan catalogue show ", catalogue->edition(), "` lists them."));
      f->set_expected(ValidSiblings(*catalogue, v1::CODE_KIND_FUNCTIONAL, fc));
      f->set_actual(Printable(fc));
      f->set_difference(known ? "不是项级科目 / not a 项" : "科目不存在 / no such code");
      Locate(f, 2, Printable(fc), "合计");
    }
    if (ec.empty()) {
      out.Required(Path(kLines, i, "economicCode"), "部门预算支出经济分类科目（款级，5位）",
                   "economic classification code (5-digit 款)");
    } else if (catalogue != nullptr && !catalogue->IsEconomicItem(ec)) {
      const bool known = catalogue->IsKnownEconomic(ec);
      Finding* f = out.Add(
          "V-CODE-UNKNOWN", Path(kLines, i, "economicCode"),
          known ? absl::StrCat("经济分类科目 ", Shown(ec), " 不是款级科目；支出须列到款级（5位）。")
                : absl::StrCat("经济分类科目 ", Shown(ec), " 不在《", catalogue->edition(), "年政府收支分类科目》中。"),
          known
              ? absl::StrCat("economic code ", Shown(ec), " is not a 款 (5 digits); spending is classified down to 款.")
              : absl::StrCat("economic code ", Shown(ec), " is not in the ", catalogue->edition(), " catalogue."),
          absl::StrCat("Pick a 5-digit 款 code of the 部门预算支出经济分类: GET /v1/catalogues/", catalogue->edition(),
                       " or `yusuan catalogue show ", catalogue->edition(), "` lists them."));
      f->set_expected(ValidSiblings(*catalogue, v1::CODE_KIND_ECONOMIC, ec));
      f->set_actual(Printable(ec));
      f->set_difference(known ? "不是款级科目 / not a 款" : "科目不存在 / no such code");
      Locate(f, 3, Printable(ec), "合计");
    }

    if (line.kind() == v1::EXPENDITURE_KIND_UNSPECIFIED || !v1::ExpenditureKind_IsValid(line.kind())) {
      out.Unspecified(Path(kLines, i, "kind"), "支出类型", "expenditure kind",
                      "BASIC_PERSONNEL, BASIC_PUBLIC, PROJECT, REMIT_TO_SUPERIOR, OPERATING, "
                      "SUBSIDY_TO_SUBSIDIARY");
    }
    const int source = line.fund_source();
    if (source < kFirstSource || source > kLastSource) {
      out.Unspecified(Path(kLines, i, "fundSource"), "资金来源", "fund source",
                      "GENERAL_PUBLIC_BUDGET … INSTITUTION_FUND");
    } else if (catalogue != nullptr && catalogue->IsFunctionalItem(fc)) {
      CheckFundKind(*catalogue, line, Path(kLines, i, "functionalCode"), out);
    }
    CheckUnitRef(department, line.unit_code(), Path(kLines, i, "unitCode"), out);

    // R-T3-5: 人员经费 and 公用经费 are told apart by economic class.
    const std::string_view economic_class = EconomicClassOf(ec);
    if (line.kind() == v1::EXPENDITURE_KIND_BASIC_PERSONNEL && !economic_class.empty() &&
        !IsOneOf(kPersonnelClasses, economic_class)) {
      out.Add("R-T3-5", Path(kLines, i, "kind"),
              absl::StrCat("人员经费只能是 301 工资福利支出或 303 对个人和家庭的补助，而经济分类为 ", Shown(ec), "。"),
              absl::StrCat("basic personnel spending must be economic class 301 or 303, not ", Shown(ec), "."),
              "Use kind BASIC_PUBLIC for 302/310 items, or correct the economic code.");
    }
    if (line.kind() == v1::EXPENDITURE_KIND_BASIC_PUBLIC && !economic_class.empty() &&
        !IsOneOf(kPublicClasses, economic_class)) {
      out.Add("R-T3-5", Path(kLines, i, "kind"),
              absl::StrCat("公用经费只能是 302 商品和服务支出、310 资本性支出或 399 其他支出，而经济分类为 ", Shown(ec),
                           "。"),
              absl::StrCat("basic public spending must be economic class 302, 310 or 399, not ", Shown(ec), "."),
              "Use kind BASIC_PERSONNEL for 301/303 items, or correct the economic code.");
    }

    const bool is_project = line.kind() == v1::EXPENDITURE_KIND_PROJECT;
    if (is_project) {
      if (line.project_id().empty()) {
        out.Add("V-PROJECT-REF", Path(kLines, i, "projectId"), "项目支出未指明所属项目。",
                "a project expenditure line names no project.",
                "Set projectId to the projectId of one of budget.projects.");
      } else if (project_index.find(line.project_id()) == project_index.end()) {
        out.Add("V-PROJECT-REF", Path(kLines, i, "projectId"),
                absl::StrCat("项目编号 ", Shown(line.project_id()), " 在 budget.projects 中不存在。"),
                absl::StrCat("project id ", Shown(line.project_id()), " is not in budget.projects."),
                "Add the project to budget.projects or correct the id.");
      }
      if (catalogue != nullptr && catalogue->IsFunctionalItem(fc))
        CheckProjectItem(*catalogue, fc, Path(kLines, i, "functionalCode"), out);
    } else if (!line.project_id().empty()) {
      out.Add("V-PROJECT-STRAY", Path(kLines, i, "projectId"), "非项目支出填写了项目编号，该编号将被忽略。",
              "a line that is not project spending names a project; the id is ignored.",
              "Set kind to PROJECT, or clear projectId.");
    }

    if (arithmetic_ok && source >= kFirstSource && source <= kLastSource) {
      totals.expenditure[source][line.from_carryover() ? 1 : 0] += line.amount_fen();
      if (is_project && source <= v1::FUND_SOURCE_STATE_CAPITAL_BUDGET) totals.fiscal_project += line.amount_fen();
    }
    if (arithmetic_ok && is_project && !line.project_id().empty()) {
      totals.by_project[line.project_id()] += line.amount_fen();
    }
  }

  // ---------------------------------------------------------------- retirees
  // Retirees' pensions and allowances are classified under 20805's 离退休 项
  // (domain.md E7); a department with retirees and none of them has probably
  // booked them on 行政运行.
  const v1::Staffing all_units = ConsolidatedStaffing(department);
  const int64_t retirees = int64_t{all_units.retired_before_1949()} + all_units.retired();
  if (retirees > 0 && b.expenditure_lines_size() > 0) {
    const bool has_retiree_item =
        std::any_of(b.expenditure_lines().begin(), b.expenditure_lines().end(), [](const v1::ExpenditureLine& l) {
          const std::string& fc = l.functional_code();
          return fc == "2080501" || fc == "2080502" || fc == "2080503" || fc == "2080504";
        });
    if (!has_retiree_item) {
      Locate(out.Add("X20-RETIREES-ITEM", "budget.expenditureLines",
                     absl::StrCat("部门有离退休人员 ", retirees,
                                  " 人，但没有任何支出列在离退休项（2080501 行政单位离退休、2080502 "
                                  "事业单位离退休等）。"),
                     absl::StrCat("the department has ", retirees,
                                  " retirees but no line on a 离退休 项 (2080501, 2080502, …)."),
                     "Classify retirees' 退休费 and allowances under 2080501/2080502, not 2060101 行政运行; "
                     "if another body pays them, say so in the narrative."),
             2, "20805", "合计");
    }
  }

  // ---------------------------------------------------------------- balance
  if (arithmetic_ok) {
    for (int s = kFirstSource; s <= kLastSource; ++s) {
      for (int carry = 0; carry < 2; ++carry) {
        const int64_t income = totals.income[s][carry];
        const int64_t spent = totals.expenditure[s][carry];
        if (income == spent) continue;
        std::string field = "budget.incomeLines";
        for (int i = 0; i < b.income_lines_size(); ++i) {
          if (b.income_lines(i).source() == s && b.income_lines(i).carryover() == (carry == 1)) {
            field = Path("budget.incomeLines", i, "amountFen");
            break;
          }
        }
        const std::string what_zh = absl::StrCat(SourceName(s), carry ? "（上年结转）" : "（本年）");
        const std::string what_en = absl::StrCat(SourceNameEn(s), carry ? " carried over" : " of the year");
        const bool fiscal = s <= v1::FUND_SOURCE_STATE_CAPITAL_BUDGET;
        Finding* finding = out.AddArithmetic(
            fiscal ? "R-T1-4" : "R-T6-5", field,
            absl::StrCat(what_zh, "收入 ", ComparableAmount(income, spent, income), "，不等于由其安排的支出 ",
                         ComparableAmount(income, spent, spent), "；收入总计须等于支出总计。"),
            absl::StrCat(what_en, ": income ", ComparableAmount(income, spent, income),
                         " differs from the spending paid from it ", ComparableAmount(income, spent, spent),
                         "; income and expenditure must balance per source."),
            spent, income,
            carry ? "Make the carry-over income of this source equal the expenditure lines with fromCarryover."
                  : "Make the income of this source equal the expenditure lines paid from it.");
        Locate(finding, fiscal ? 1 : 6, BalanceRow(s, carry == 1), "预算数");
      }
    }
  }

  // ---------------------------------------------------------------- units
  // R-UNIT-BALANCE: each budget unit's own 收支 balances per source, as its
  // 单位预算 would. Only where the department as a whole balances for that
  // source (else R-T1-4 / R-T6-5 already say so).
  if (arithmetic_ok && department.secondary_units_size() > 0) {
    using Sums = std::array<std::array<int64_t, 2>, kLastSource + 1>;
    std::map<std::string, std::pair<Sums, Sums>> by_unit;  // unit → (income, spending)
    for (const v1::IncomeLine& line : b.income_lines()) {
      if (line.source() >= kFirstSource && line.source() <= kLastSource) {
        by_unit[line.unit_code()].first[line.source()][line.carryover() ? 1 : 0] += line.amount_fen();
      }
    }
    for (const v1::ExpenditureLine& line : b.expenditure_lines()) {
      if (line.fund_source() >= kFirstSource && line.fund_source() <= kLastSource) {
        by_unit[line.unit_code()].second[line.fund_source()][line.from_carryover() ? 1 : 0] += line.amount_fen();
      }
    }
    for (const auto& [unit, sums] : by_unit) {
      for (int s = kFirstSource; s <= kLastSource; ++s) {
        for (int carry = 0; carry < 2; ++carry) {
          if (totals.income[s][carry] != totals.expenditure[s][carry]) continue;
          const int64_t income = sums.first[s][carry];
          const int64_t spent = sums.second[s][carry];
          if (income == spent) continue;
          std::string field = "budget.incomeLines";
          for (int i = 0; i < b.income_lines_size(); ++i) {
            const v1::IncomeLine& line = b.income_lines(i);
            if (line.unit_code() == unit && line.source() == s && line.carryover() == (carry == 1)) {
              field = Path("budget.incomeLines", i, "amountFen");
              break;
            }
          }
          const std::string unit_zh = UnitLabelZh(unit);
          const std::string unit_en = UnitLabelEn(unit);
          out.AddArithmetic(
              "R-UNIT-BALANCE", field,
              absl::StrCat(unit_zh, "的", SourceName(s), carry ? "（上年结转）" : "（本年）", "收入 ",
                           ComparableAmount(income, spent, income), "，不等于其由该资金安排的支出 ",
                           ComparableAmount(income, spent, spent), "；各单位的收支应各自平衡。"),
              absl::StrCat(unit_en, ": ", SourceNameEn(s), carry ? " carried over" : " of the year", " income ",
                           ComparableAmount(income, spent, income), " differs from its spending paid from it ",
                           ComparableAmount(income, spent, spent), "; each unit's budget balances on its own."),
              spent, income,
              "Give each unit's income lines (unitCode) the amounts its own expenditure lines spend, source by "
              "source.");
        }
      }
    }
  }

  // ---------------------------------------------------------------- 表10
  int64_t projects_year_fiscal = 0;
  for (int i = 0; i < b.projects_size(); ++i) {
    const v1::Project& p = b.projects(i);
    const std::string base = absl::StrCat("budget.projects[", i, "]");
    if (p.start_year() == 0 || p.end_year() == 0) {
      out.Add("V-PROJECT-PERIOD", absl::StrCat(base, p.start_year() == 0 ? ".startYear" : ".endYear"),
              "项目起止年度未填写。", "the project period (start/end year) is missing.",
              "Fill in startYear and endYear (项目起止时间).");
    } else if (p.start_year() > p.end_year()) {
      out.Add("V-PROJECT-PERIOD", absl::StrCat(base, ".endYear"),
              absl::StrCat("项目结束年度 ", p.end_year(), " 早于开始年度 ", p.start_year(), "。"),
              absl::StrCat("end year ", p.end_year(), " is before start year ", p.start_year(), "."),
              "Correct the project period.");
    } else if (b.fiscal_year() != 0 && (b.fiscal_year() < p.start_year() || b.fiscal_year() > p.end_year())) {
      out.Add("V-PROJECT-PERIOD", absl::StrCat(base, ".startYear"),
              absl::StrCat("项目期间 ", p.start_year(), "–", p.end_year(), " 不含预算年度 ", b.fiscal_year(), "。"),
              absl::StrCat("the project period ", p.start_year(), "-", p.end_year(),
                           " does not include the budget year ", b.fiscal_year(), "."),
              "Correct the period, or remove the project from this year's budget.");
    }
    if (!arithmetic_ok) continue;
    projects_year_fiscal += p.year_fiscal_fen();
    if (p.total_fen() != p.total_fiscal_fen() + p.total_other_fen()) {
      Locate(out.AddArithmeticYuan("R-T10-1", absl::StrCat(base, ".totalFen"), "资金总额不等于财政拨款与其他资金之和。",
                                   "the total does not equal fiscal grant + other funds.",
                                   p.total_fiscal_fen() + p.total_other_fen(), p.total_fen(),
                                   "资金总额 = 其中：财政拨款 + 其他资金."),
             10, ProjectRow(p), "资金总额");
    }
    if (p.year_total_fen() != p.year_fiscal_fen() + p.year_other_fen()) {
      Locate(out.AddArithmeticYuan("R-T10-1", absl::StrCat(base, ".yearTotalFen"),
                                   "当年资金总额不等于当年财政拨款与当年其他资金之和。",
                                   "this year's total does not equal this year's fiscal grant + other funds.",
                                   p.year_fiscal_fen() + p.year_other_fen(), p.year_total_fen(),
                                   "当年资金总额 = 其中：当年财政拨款 + 当年其他资金."),
             10, ProjectRow(p), "当年资金总额");
    }
    if (p.year_total_fen() > p.total_fen()) {
      Locate(out.AddArithmeticYuan("R-T10-2", absl::StrCat(base, ".yearTotalFen"), "当年资金总额超过项目资金总额。",
                                   "this year's total exceeds the project total.", p.total_fen(), p.year_total_fen(),
                                   "The whole-period total includes this year's money."),
             10, ProjectRow(p), "当年资金总额");
    } else if (p.start_year() != 0 && p.start_year() == p.end_year() && p.year_total_fen() != p.total_fen()) {
      Locate(out.AddArithmeticYuan(
                 "R-T10-2", absl::StrCat(base, ".yearTotalFen"), "单年度项目的当年资金总额应等于资金总额。",
                 "for a one-year project this year's total must equal the project total.", p.total_fen(),
                 p.year_total_fen(), "Make 当年资金总额 equal 资金总额, or correct the project period."),
             10, ProjectRow(p), "当年资金总额");
    }
    auto spent = totals.by_project.find(p.project_id());
    const int64_t lines_total = spent == totals.by_project.end() ? 0 : spent->second;
    if (!p.project_id().empty() && lines_total != p.year_total_fen()) {
      Locate(out.AddArithmeticYuan(
                 "R-T10-4", absl::StrCat(base, ".yearTotalFen"), "当年资金总额不等于该项目各支出明细之和。",
                 "this year's total differs from the sum of the project's expenditure lines.", lines_total,
                 p.year_total_fen(), "Make the project's expenditure lines add up to 当年资金总额."),
             10, ProjectRow(p), "当年资金总额");
    }
  }
  if (arithmetic_ok && projects_year_fiscal != totals.fiscal_project) {
    out.AddArithmetic("R-T10-3", "budget.projects", "各项目当年财政拨款之和不等于财政拨款项目支出。",
                      "the projects' fiscal grants of the year do not add up to the fiscal project spending.",
                      totals.fiscal_project, projects_year_fiscal,
                      "Every fiscal project line should belong to a project whose 当年财政拨款 covers it.");
  }

  // ---------------------------------------------------------------- 表4, assets
  const v1::AssetFacts& assets = b.assets();
  // The narrative prints it as a date (截至 2021 年 12 月 31 日): an
  // impossible one would be published as written.
  if (!assets.as_of_date().empty() && !IsIsoDate(assets.as_of_date())) {
    out.Add("V-FIELD-FORMAT", "budget.assets.asOfDate",
            absl::StrCat("资产统计日期 ", Shown(assets.as_of_date()), " 不是有效日期（YYYY-MM-DD）。"),
            absl::StrCat("asset date ", Shown(assets.as_of_date()), " is not a real date written YYYY-MM-DD."),
            "Write the date the asset figures are taken at, e.g. 2020-12-31, or leave it empty.");
  }
  if (assets.vehicles() < 0) out.NegativeCount("budget.assets.vehicles", assets.vehicles());
  if (assets.general_equipment_over_500k() < 0) {
    out.NegativeCount("budget.assets.generalEquipmentOver500k", assets.general_equipment_over_500k());
  }
  if (assets.special_equipment_over_1m() < 0) {
    out.NegativeCount("budget.assets.specialEquipmentOver1m", assets.special_equipment_over_1m());
  }
  if (assets.planned_vehicle_purchases() < 0) {
    out.NegativeCount("budget.assets.plannedVehiclePurchases", assets.planned_vehicle_purchases());
  }
  // R-T4-1 / R-T4-2: totals the department states on 表4 equal their parts.
  auto check_three_public = [&](const v1::ThreePublicCosts& c, const std::string& base, int year) {
    if (!arithmetic_ok) return;
    const std::string row = absl::StrCat(year, "年预算数");
    const int64_t vehicles = c.vehicle_purchase_fen() + c.vehicle_operation_fen();
    const int64_t total = c.overseas_fen() + vehicles + c.reception_fen();
    if (c.has_total_fen() && c.total_fen() != total) {
      Locate(out.AddArithmetic(
                 "R-T4-1", absl::StrCat(base, ".totalFen"),
                 absl::StrCat("表4 ", row, "“三公”经费合计 ", ComparableAmount(total, c.total_fen(), c.total_fen()),
                              "，不等于因公出国（境）费 + 公务用车购置及运行费 + 公务接待费 = ",
                              ComparableAmount(total, c.total_fen(), total), "。"),
                 absl::StrCat("table 4, ", year, ": the three-public total ",
                              ComparableAmount(total, c.total_fen(), c.total_fen()),
                              " is not overseas travel + official vehicles + reception = ",
                              ComparableAmount(total, c.total_fen(), total), "."),
                 total, c.total_fen(),
                 "合计 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费: correct the total or its parts."),
             4, row, "合计");
    }
    if (c.has_vehicle_total_fen() && c.vehicle_total_fen() != vehicles) {
      Locate(out.AddArithmetic("R-T4-2", absl::StrCat(base, ".vehicleTotalFen"),
                               absl::StrCat("表4 ", row, "公务用车购置及运行费 ",
                                            ComparableAmount(vehicles, c.vehicle_total_fen(), c.vehicle_total_fen()),
                                            "，不等于公务用车购置费 + 公务用车运行费 = ",
                                            ComparableAmount(vehicles, c.vehicle_total_fen(), vehicles), "。"),
                               absl::StrCat("table 4, ", year, ": official vehicle costs ",
                                            ComparableAmount(vehicles, c.vehicle_total_fen(), c.vehicle_total_fen()),
                                            " are not purchase + operation = ",
                                            ComparableAmount(vehicles, c.vehicle_total_fen(), vehicles), "."),
                               vehicles, c.vehicle_total_fen(),
                               "公务用车购置及运行费 = 购置费 + 运行费: correct the subtotal or its parts."),
             4, row, "公务用车购置及运行费·小计");
    }
  };
  check_three_public(b.three_public().current(), "budget.threePublic.current", b.fiscal_year());
  if (b.three_public().has_prior()) {
    check_three_public(b.three_public().prior(), "budget.threePublic.prior", b.fiscal_year() - 1);
  }

  // 三公 by unit: every entry names a unit once, states its prior year only
  // when the department does, and its stated totals add up (R-T4-1/2).
  const auto& by_unit = b.three_public().by_unit();
  std::set<std::string> units_stated;
  for (int k = 0; k < by_unit.size(); ++k) {
    const v1::UnitThreePublic& entry = by_unit[k];
    const std::string base = Path("budget.threePublic.byUnit", k, "");
    CheckUnitRef(department, entry.unit_code(), absl::StrCat(base, "unitCode"), out);
    if (!units_stated.insert(entry.unit_code()).second) {
      Finding* f =
          out.Add("V-UNIT-REF", absl::StrCat(base, "unitCode"),
                  absl::StrCat(UnitLabelZh(entry.unit_code()), "的“三公”经费列了两次。"),
                  absl::StrCat("the three-public costs of ", UnitLabelEn(entry.unit_code()), " are listed twice."),
                  "Give each unit one entry of budget.threePublic.byUnit; merge the two.");
      f->set_actual(Printable(entry.unit_code()));
    }
    check_three_public(entry.current(), absl::StrCat(base, "current"), b.fiscal_year());
    if (entry.has_prior()) {
      if (b.three_public().has_prior()) {
        check_three_public(entry.prior(), absl::StrCat(base, "prior"), b.fiscal_year() - 1);
      } else {
        out.Add("R-T4-6", absl::StrCat(base, "prior"),
                absl::StrCat(UnitLabelZh(entry.unit_code()), "列了上年“三公”经费，但部门未列上年“三公”经费。"),
                absl::StrCat(UnitLabelEn(entry.unit_code()),
                             " states prior-year three-public costs but the department states none."),
                "State the department's prior year (budget.threePublic.prior) as the sum of its units', or "
                "remove the unit's prior year.");
      }
    }
  }

  // The 三公 components: field, 表4 column, economic 款 they are booked on.
  struct Component {
    const char* field;
    const char* column;
    const char* economic_code;
    int64_t (v1::ThreePublicCosts::*amount)() const;
  };
  static constexpr Component kComponents[] = {
      {"overseasFen", "因公出国（境）费", "30212", &v1::ThreePublicCosts::overseas_fen},
      {"vehiclePurchaseFen", "公务用车购置费", "31013", &v1::ThreePublicCosts::vehicle_purchase_fen},
      {"vehicleOperationFen", "公务用车运行费", "30231", &v1::ThreePublicCosts::vehicle_operation_fen},
      {"receptionFen", "公务接待费", "30217", &v1::ThreePublicCosts::reception_fen},
  };

  // R-T4-6: stated by unit, the department's 三公 are the units' sum.
  if (arithmetic_ok && !by_unit.empty()) {
    auto check_sum = [&](bool prior) {
      const v1::ThreePublicCosts& department_costs = prior ? b.three_public().prior() : b.three_public().current();
      const int year = prior ? b.fiscal_year() - 1 : b.fiscal_year();
      for (const Component& component : kComponents) {
        int64_t units = 0;
        for (const v1::UnitThreePublic& entry : by_unit) {
          if (!prior) units += (entry.current().*component.amount)();
          if (prior && entry.has_prior()) units += (entry.prior().*component.amount)();
        }
        const int64_t stated = (department_costs.*component.amount)();
        if (units == stated) continue;
        Locate(out.AddArithmetic(
                   "R-T4-6", absl::StrCat("budget.threePublic.", prior ? "prior." : "current.", component.field),
                   absl::StrCat("表4 ", year, "年", component.column, " ", ComparableAmount(units, stated, stated),
                                "，不等于各单位所列之和 ", ComparableAmount(units, stated, units), "。"),
                   absl::StrCat("table 4, ", year, ": ", component.field, " ", ComparableAmount(units, stated, stated),
                                " is not the sum over budget.threePublic.byUnit (",
                                ComparableAmount(units, stated, units), ")."),
                   units, stated,
                   "The department's 三公 are its units' added up: correct the department's figure or a unit's "
                   "entry (a unit not listed counts 0)."),
               4, absl::StrCat(year, "年预算数"), component.column);
      }
    };
    check_sum(false);
    if (b.three_public().has_prior()) check_sum(true);
  }

  // R-T4-5: each 三公 component is what the 一般公共预算 lines book on its
  // economic 款 (domain.md marks the mapping as inferred, hence a warning):
  // for the department, and for each unit whose 三公 are stated, on the
  // unit's own lines.
  if (arithmetic_ok) {
    auto check_booked = [&](const v1::ThreePublicCosts& costs, const std::string* unit, const std::string& base) {
      for (const Component& component : kComponents) {
        int64_t booked = 0;
        for (const v1::ExpenditureLine& line : b.expenditure_lines()) {
          if (line.fund_source() == v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET && !line.from_carryover() &&
              line.economic_code() == component.economic_code && (unit == nullptr || line.unit_code() == *unit)) {
            booked += line.amount_fen();
          }
        }
        const int64_t stated = (costs.*component.amount)();
        if (booked == stated) continue;
        const std::string whose_zh = unit == nullptr ? "" : absl::StrCat(UnitLabelZh(*unit), "的");
        const std::string whose_en = unit == nullptr ? "" : absl::StrCat(" of ", UnitLabelEn(*unit));
        Locate(out.AddArithmetic(
                   "R-T4-5", absl::StrCat(base, component.field),
                   absl::StrCat("表4 ", whose_zh, component.column, " ", ComparableAmount(booked, stated, stated),
                                "，与", whose_zh, "一般公共预算支出中经济分类 ", component.economic_code, " 的合计 ",
                                ComparableAmount(booked, stated, booked), " 不一致。"),
                   absl::StrCat("table 4 ", component.field, whose_en, " ", ComparableAmount(booked, stated, stated),
                                " differs from the general-budget lines", whose_en, " on economic code ",
                                component.economic_code, " (", ComparableAmount(booked, stated, booked), ")."),
                   booked, stated,
                   absl::StrCat("Book the cost on economic code ", component.economic_code,
                                unit == nullptr ? "" : " in the unit's lines (unitCode)",
                                " or correct the 三公 figure; explain a difference that is intended.")),
               4, absl::StrCat(b.fiscal_year(), "年预算数"), component.column);
      }
    };
    check_booked(b.three_public().current(), nullptr, "budget.threePublic.current.");
    for (int k = 0; k < by_unit.size(); ++k) {
      check_booked(by_unit[k].current(), &by_unit[k].unit_code(),
                   absl::StrCat(Path("budget.threePublic.byUnit", k, ""), "current."));
    }
  }

  if (b.three_public().current().vehicle_operation_fen() > 0 && assets.vehicles() == 0) {
    out.Add("R-T4-4", "budget.threePublic.current.vehicleOperationFen", "安排了公务用车运行费，但公务用车保有量为 0。",
            "vehicle operation costs are budgeted but the department has no official vehicle.",
            "Record the vehicles in assets.vehicles, explain a leased vehicle, or remove the cost.");
  }

  // ---------------------------------------------------------------- X16
  if (arithmetic_ok) {
    int64_t procurement = 0;
    for (const v1::ProcurementLine& line : b.procurement_lines()) procurement += line.amount_fen();
    int64_t spending = 0;
    for (const v1::ExpenditureLine& line : b.expenditure_lines()) spending += line.amount_fen();
    if (procurement > spending) {
      out.AddArithmetic(
          "X16", "budget.procurementLines",
          absl::StrCat("政府采购预算合计 ", ComparableAmount(spending, procurement, procurement),
                       "，超过部门支出预算合计 ", ComparableAmount(spending, procurement, spending), "。"),
          absl::StrCat("government procurement ", ComparableAmount(spending, procurement, procurement),
                       " exceeds the department's whole spending ", ComparableAmount(spending, procurement, spending),
                       "."),
          spending, procurement,
          "Procurement is part of the spending: check the units (分) and the procurement lines.");
    }
  }

  // ---------------------------------------------------------------- 表9 funds
  for (int i = 0; i < b.prior_years().funds_size(); ++i) {
    const v1::YearFunds& f = b.prior_years().funds(i);
    const std::string base = absl::StrCat("budget.priorYears.funds[", i, "]");
    if (f.year() == 0) {
      out.Required(absl::StrCat(base, ".year"), "年度", "year of the prior-year funds block");
    } else if (b.fiscal_year() != 0 && f.year() >= b.fiscal_year()) {
      out.Add("V-FIELD-RANGE", absl::StrCat(base, ".year"),
              absl::StrCat("近两年收支情况的年度 ", f.year(), " 不早于预算年度 ", b.fiscal_year(), "。"),
              absl::StrCat("prior-year funds year ", f.year(), " is not before the budget year ", b.fiscal_year(), "."),
              "Enter the figures of the two years before the budget year.");
    }
    if (!arithmetic_ok) continue;
    const int64_t income = f.fiscal_grant_fen() + f.other_fen();
    const int64_t spending = f.basic_fen() + f.project_fen();
    if (income != spending) {
      Locate(
          out.AddArithmetic(
              "R-T9-3", base,
              absl::StrCat(f.year(), " 年收入合计（财政拨款 + 其他资金）不等于支出合计（基本支出 + 项目支出）。"),
              absl::StrCat("in ", f.year(), ", income (fiscal grant + other) differs from spending (basic + project)."),
              spending, income, "Correct the year's figures so that income equals spending."),
          9, absl::StrCat(f.year(), "年"), "收入合计");
    }
  }
}

bool HasFatal(const ValidationReport& report) {
  return std::any_of(report.findings().begin(), report.findings().end(),
                     [](const Finding& f) { return f.severity() == yusuan::common::v1::SEVERITY_FATAL; });
}

// The reviewer's checks on the tables the filing projects to. Only on a
// filing the input rules accept: a broken input (an imbalance, a kind that
// does not match its economic class) would otherwise be reported again as
// the table cells it breaks, burying the finding that says what to fix.
void CheckProjectedTables(const v1::Department& department, const v1::Budget& budget, const CatalogueSet& catalogues,
                          ValidationReport& report) {
  if (HasFatal(report)) return;
  const Catalogue* catalogue = catalogues.Find(budget.catalogue_edition());
  if (catalogue == nullptr) return;
  absl::StatusOr<v1::BudgetTables> tables = ComputeTables(department, budget, *catalogue);
  FindingsBuilder out(LedgerRules(), &report);
  if (!tables.ok()) {
    // The input rules accept every filing ComputeTables accepts; a gap
    // between the two is a fault of ours, and must still block the filing.
    out.Add("V-PROJECTION", "budget", "无法生成预算公开表：" + std::string(tables.status().message()),
            "the tables cannot be projected: " + std::string(tables.status().message()),
            "Report this to the operators with the filing; the filing itself passed every input rule.");
    return;
  }
  CheckTables(*tables, out);
}

}  // namespace

ValidationReport ValidateDepartment(const v1::Department& department) {
  ValidationReport report;
  FindingsBuilder out(LedgerRules(), &report);
  CheckDepartment(department, out);
  Tally(report);
  StampRuleSet(report);
  return report;
}

ValidationReport ValidateBudget(const v1::Department& department, const v1::Budget& budget,
                                const CatalogueSet& catalogues) {
  ValidationReport report;
  FindingsBuilder out(LedgerRules(), &report);
  CheckBudget(department, budget, catalogues, out);
  CheckProjectedTables(department, budget, catalogues, report);
  Tally(report);
  StampRuleSet(report);
  return report;
}

ValidationReport ValidateFiling(const v1::Department& department, const v1::Budget& budget,
                                const CatalogueSet& catalogues) {
  ValidationReport report;
  FindingsBuilder out(LedgerRules(), &report);
  CheckDepartment(department, out);
  CheckBudget(department, budget, catalogues, out);
  CheckProjectedTables(department, budget, catalogues, report);
  Tally(report);
  StampRuleSet(report);
  return report;
}

}  // namespace yusuan::ledger
