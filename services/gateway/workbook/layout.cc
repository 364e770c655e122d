#include "services/gateway/workbook/layout.h"

#include <map>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/gateway/workbook/amount.h"
#include "services/gateway/workbook/paths.h"
#include "yusuan/gateway/v1/gateway.pb.h"

namespace yusuan::workbook {
namespace {

namespace lv1 = yusuan::ledger::v1;
namespace gv1 = yusuan::goals::v1;

struct Choice {
  int number;
  std::string label;
  std::vector<std::string> aliases;
};

// Labels as the published tables and forms print them; aliases are the
// short forms departments type.
const std::map<std::string, std::vector<Choice>>& AllChoices() {
  static const auto* choices = new std::map<std::string, std::vector<Choice>>{
      {lv1::FiscalLevel_descriptor()->full_name(),
       {{1, "省级", {"省"}}, {2, "市级", {"市"}}, {3, "区级", {"区"}}, {4, "县级", {"县"}}, {5, "乡镇级", {"乡镇"}}}},
      {lv1::UnitType_descriptor()->full_name(),
       {{1, "行政单位", {}},
        {2, "参公事业单位", {"参照公务员法管理的事业单位", "参公单位"}},
        {3, "事业单位", {}},
        {4, "其他", {}}}},
      {lv1::FundingForm_descriptor()->full_name(),
       {{1, "全额拨款", {"全额"}}, {2, "差额拨款", {"差额"}}, {3, "自收自支", {}}}},
      {lv1::EstablishmentKind_descriptor()->full_name(),
       {{1, "行政编制", {}}, {2, "参照公务员法管理", {"参公编制"}}, {3, "事业编制", {}}, {4, "工勤编制", {}}}},
      {lv1::Stage_descriptor()->full_name(), {{1, "预算", {}}, {2, "决算", {}}}},
      {lv1::FundSource_descriptor()->full_name(),
       {{1, "一般公共预算拨款", {"一般公共预算", "一般公共预算拨款收入"}},
        {2, "政府性基金预算拨款", {"政府性基金预算", "政府性基金预算拨款收入"}},
        {3, "国有资本经营预算拨款", {"国有资本经营预算", "国有资本经营预算拨款收入"}},
        {4, "财政专户管理资金", {"财政专户管理资金收入"}},
        {5, "事业收入", {}},
        {6, "事业单位经营收入", {"经营收入"}},
        {7, "上级补助收入", {}},
        {8, "附属单位上缴收入", {}},
        {9, "其他收入", {}},
        {10, "用事业基金弥补收支差额", {}}}},
      {lv1::ExpenditureKind_descriptor()->full_name(),
       {{1, "基本支出·人员经费", {"人员经费"}},
        {2, "基本支出·公用经费", {"公用经费"}},
        {3, "项目支出", {}},
        {4, "上缴上级支出", {}},
        {5, "事业单位经营支出", {"经营支出"}},
        {6, "对附属单位补助支出", {}}}},
      {lv1::ProcurementCategory_descriptor()->full_name(), {{1, "货物", {}}, {2, "工程", {}}, {3, "服务", {}}}},
      {gv1::IndicatorLevel1_descriptor()->full_name(),
       {{1, "产出指标", {"产出"}},
        {2, "效益指标", {"效益"}},
        {3, "满意度指标", {"满意度"}},
        {4, "成本指标", {"成本"}}}},
      {gv1::IndicatorLevel2_descriptor()->full_name(),
       {{1, "数量指标", {"数量"}},
        {2, "质量指标", {"质量"}},
        {3, "时效指标", {"时效"}},
        {4, "成本指标", {"成本"}},
        {5, "经济效益指标", {"经济效益"}},
        {6, "社会效益指标", {"社会效益"}},
        {7, "生态效益指标", {"生态效益"}},
        {8, "可持续影响指标", {"可持续影响"}},
        {9, "服务对象满意度指标", {"服务对象满意度"}},
        {10, "经济成本指标", {"经济成本"}},
        {11, "社会成本指标", {"社会成本"}},
        {12, "生态环境成本指标", {"生态环境成本"}}}},
      {gv1::PerformanceStandard_descriptor()->full_name(),
       {{1, "历史标准", {}}, {2, "行业标准", {}}, {3, "计划标准", {}}, {4, "其他标准", {}}}},
  };
  return *choices;
}

const std::vector<Choice>* ChoicesOf(const google::protobuf::EnumDescriptor* type) {
  auto it = AllChoices().find(type->full_name());
  return it == AllChoices().end() ? nullptr : &it->second;
}

ColumnSpec Field(std::string zh, std::string en, std::string field, double width = 14) {
  return ColumnSpec{std::move(zh), std::move(en), std::move(field), ColumnRole::kField, 0, width};
}
ColumnSpec Group(std::string zh, std::string en, std::string field, double width = 14) {
  return ColumnSpec{std::move(zh), std::move(en), std::move(field), ColumnRole::kGroupField, 0, width};
}
ColumnSpec Role(std::string zh, std::string en, ColumnRole role, double width = 12) {
  return ColumnSpec{std::move(zh), std::move(en), "", role, 0, width};
}

EntrySpec Entry(std::string zh, std::string en, std::string path) {
  return EntrySpec{std::move(zh), std::move(en), std::move(path), false, 0};
}
EntrySpec Repeated(std::string zh, std::string en, std::string path) {
  return EntrySpec{std::move(zh), std::move(en), std::move(path), true, 0};
}

// The indicator columns of both goal sheets.
std::vector<ColumnSpec> IndicatorColumns() {
  return {
      Field("一级指标", "Level 1 (产出/效益/满意度/成本)", "level1"),
      Field("二级指标", "Level 2 (数量/质量/…)", "level2", 16),
      Field("三级指标", "Indicator", "name", 30),
      Field("指标值", "Target value (e.g. ≥95%)", "target", 14),
      Field("计量单位", "Unit of measure", "unit", 10),
      Field("绩效标准", "Standard", "standard", 12),
      Field("标准说明", "Standard as printed", "standardNote", 16),
      Field("上年度", "Prior year", "history[0].year", 9),
      Field("上年指标值", "Prior-year value", "history[0].value", 12),
      Field("前年度", "Year before", "history[1].year", 9),
      Field("前年指标值", "Value the year before", "history[1].value", 12),
  };
}

}  // namespace

const std::vector<std::string>& DataSheets() {
  static const auto* sheets = new std::vector<std::string>{
      kSheetDepartment, kSheetUnits,           kSheetIncome,      kSheetExpenditure, kSheetProjects,
      kSheetPriorYears, kSheetThreePublic,     kSheetProcurement, kSheetAssets,      kSheetServices,
      kSheetNarrative,  kSheetDepartmentGoals, kSheetProjectGoals};
  return *sheets;
}

std::string SheetNameEn(std::string_view sheet) {
  static const auto* names = new std::map<std::string, std::string, std::less<>>{
      {kSheetInstructions, "Instructions"},
      {kSheetDepartment, "Department"},
      {kSheetUnits, "Secondary units"},
      {kSheetIncome, "Income lines"},
      {kSheetExpenditure, "Expenditure lines"},
      {kSheetProjects, "Projects"},
      {kSheetPriorYears, "Prior-year figures"},
      {kSheetThreePublic, "Three public costs"},
      {kSheetProcurement, "Government procurement"},
      {kSheetAssets, "Assets"},
      {kSheetServices, "Service purchases"},
      {kSheetNarrative, "Narrative inputs"},
      {kSheetDepartmentGoals, "Department performance goals"},
      {kSheetProjectGoals, "Project performance goals"},
      {kSheetCodes, "Code lists"},
  };
  auto it = names->find(sheet);
  return it == names->end() ? std::string(sheet) : it->second;
}

const std::vector<ColumnSpec>& EntryColumns() {
  static const auto* columns = new std::vector<ColumnSpec>{
      Field("项目", "Item", "", 34),
      Field("值", "Value", "", 60),
      Field("说明", "Note (English)", "", 50),
  };
  return *columns;
}

const std::vector<EntrySpec>& DepartmentEntries() {
  static const auto* entries = [] {
    auto* e = new std::vector<EntrySpec>{
        Entry("部门资源名", "Resource name regions/{region}/departments/{agency} (may be left empty)",
              "department.name"),
        Entry("行政区划代码", "Administrative division code (GB/T 2260, 2/4/6 digits)", "department.regionCode"),
        Entry("预算单位编码", "Budget unit code, e.g. 005001022", "department.agencyCode"),
        Entry("部门全称", "Full name", "department.fullName"),
        Entry("部门简称", "Short name", "department.shortName"),
        Entry("财政级次", "Fiscal level (省级/市级/区级/县级/乡镇级)", "department.fiscalLevel"),
        Entry("单位类型", "Unit type of the department's own unit (本级)", "department.unitType"),
        Entry("经费形式", "Funding form (全额拨款/差额拨款/自收自支)", "department.fundingForm"),
        Entry("职能引言", "Sentence introducing the functions", "department.functionsPreamble"),
        Repeated("主要职能", "Main function: one row each, in order", "department.mainFunctions"),
        Repeated("内设机构", "Internal office: one row each", "department.internalOffices"),
    };
    for (int kind = 1; kind <= 4; ++kind) {
      e->push_back(EntrySpec{absl::StrCat("编制数·", QuotaKindLabel(kind)),
                             "Establishment quota of this kind (persons); one row per quota",
                             "department.staffing.quotas", true, kind});
    }
    for (EntrySpec entry : {
             Entry("在职实有人数", "Staff in service", "department.staffing.inService"),
             Entry("离休人数", "Retired before 1949 (离休)", "department.staffing.retiredBefore1949"),
             Entry("退休人数", "Retired", "department.staffing.retired"),
             Entry("离退休人数", "Retirees as stated (离休 + 退休); may be left empty",
                   "department.staffing.retireesTotal"),
             Entry("联系电话", "Contact phone", "department.contactPhone"),
             Entry("预算资源名", "Budget resource name (may be left empty)", "budget.name"),
             Entry("预算年度", "Fiscal year", "budget.fiscalYear"),
             Entry("预算阶段", "Stage (预算/决算)", "budget.stage"),
             Entry("科目版本", "Classification edition (年度, = fiscal year)", "budget.catalogueEdition"),
             Entry("绩效目标资源名", "Goal set resource name (may be left empty)", "goals.name"),
             Entry("绩效目标年度", "Fiscal year of the goals", "goals.fiscalYear"),
             Entry("备注", "Note about the filing (never published)", "note"),
         }) {
      e->push_back(std::move(entry));
    }
    return e;
  }();
  return *entries;
}

const std::vector<EntrySpec>& PriorYearEntries() {
  static const auto* entries = new std::vector<EntrySpec>{
      Entry("上年一般公共预算支出", "Prior year's general public budget (empty: no prior year)",
            "budget.priorYears.generalBudgetFen"),
      Entry("上年部门收支总预算", "Prior year's department total", "budget.priorYears.departmentTotalFen"),
      Entry("上年机关运行经费", "Prior year's office running costs", "budget.priorYears.machineryOperatingFen"),
      Entry("上年政府性基金支出", "Prior year's government-fund spending", "budget.priorYears.governmentFundFen"),
  };
  return *entries;
}

const std::vector<EntrySpec>& AssetEntries() {
  static const auto* entries = new std::vector<EntrySpec>{
      Entry("统计截止日期", "As of (YYYY-MM-DD)", "budget.assets.asOfDate"),
      Entry("公务用车数量", "Official vehicles", "budget.assets.vehicles"),
      Entry("单位价值50万元以上通用设备数量", "General equipment over 500,000 元 each",
            "budget.assets.generalEquipmentOver500k"),
      Entry("单位价值100万元以上专用设备数量", "Special equipment over 1,000,000 元 each",
            "budget.assets.specialEquipmentOver1m"),
      Entry("计划购置公务用车数量", "Vehicles to be bought this year", "budget.assets.plannedVehiclePurchases"),
  };
  return *entries;
}

const std::vector<EntrySpec>& NarrativeEntries() {
  static const auto* entries = new std::vector<EntrySpec>{
      Entry("一般公共预算变动原因", "Why the general public budget changed",
            "budget.narrative.generalBudgetChangeReason"),
      Entry("部门收支总预算变动原因", "Why the department total changed",
            "budget.narrative.departmentTotalChangeReason"),
      Entry("“三公”经费变动原因", "Why the three public costs changed", "budget.narrative.threePublicChangeReason"),
      Entry("上年绩效目标完成率", "Prior year's goal completion, percent (whole number; empty: not stated)",
            "budget.narrative.priorYearGoalCompletionPct"),
      Entry("机关运行经费主要用途", "What office running costs are for", "budget.narrative.machineryOperatingPurpose"),
  };
  return *entries;
}

const std::vector<EntrySpec>& DepartmentGoalEntries() {
  static const auto* entries = new std::vector<EntrySpec>{
      Entry("填报日期", "Filed on (YYYY-MM-DD)", "goals.department.filedDate"),
      Entry("填报人", "Filer (personal data)", "goals.department.filer"),
      Entry("联系电话", "Contact phone", "goals.department.contactPhone"),
      Entry("部门职能概述", "Functions in brief", "goals.department.functionsSummary"),
      Entry("年度工作任务", "Tasks of the year", "goals.department.annualTasks"),
      Entry("长期目标", "Long-term goal", "goals.department.longTermGoal"),
      Entry("资金·收入合计", "Funds as stated: income total (empty: not stated)",
            "goals.department.funds.incomeTotalFen"),
      Entry("资金·财政拨款", "Funds as stated: fiscal grants", "goals.department.funds.fiscalGrantFen"),
      Entry("资金·其他资金", "Funds as stated: other funds", "goals.department.funds.otherFen"),
      Entry("资金·支出合计", "Funds as stated: expenditure total", "goals.department.funds.expenditureTotalFen"),
      Entry("资金·基本支出", "Funds as stated: basic expenditure", "goals.department.funds.basicFen"),
      Entry("资金·项目支出", "Funds as stated: project expenditure", "goals.department.funds.projectFen"),
  };
  return *entries;
}

const TableSpec& UnitTable() {
  static const auto* table = [] {
    auto* t = new TableSpec{
        "所属单位（二级单位）：每行一个单位；部门本级不在此表。编制数按类别各占一列。",
        "Secondary units: one row per unit (the department's own unit is not listed here); one column per "
        "establishment kind.",
        {Field("单位代码", "Unit code", "code", 12), Field("单位名称", "Unit name", "name", 30),
         Field("单位类型", "Unit type", "unitType"), Field("经费形式", "Funding form", "fundingForm")}};
    for (int kind = 1; kind <= 4; ++kind) {
      t->columns.push_back(ColumnSpec{absl::StrCat(QuotaKindLabel(kind), "编制数"), "Quota (persons)", "",
                                      ColumnRole::kQuota, kind, 12});
    }
    for (ColumnSpec c : {Field("在职实有人数", "Staff in service", "staffing.inService", 12),
                         Field("离休人数", "Retired before 1949", "staffing.retiredBefore1949", 10),
                         Field("退休人数", "Retired", "staffing.retired", 10),
                         Field("离退休人数", "Retirees as stated", "staffing.retireesTotal", 10)}) {
      t->columns.push_back(std::move(c));
    }
    return t;
  }();
  return *table;
}

const TableSpec& IncomeTable() {
  static const auto* table = new TableSpec{
      "收入：每行一条收入（一个来源，本年收入或上年结转，一个单位）。",
      "Income lines: one row per source, this year's or carried over, per budget unit.",
      {Field("收入来源", "Fund source", "source", 24), Field("收入类别", "本年收入 or 上年结转", "carryover", 12),
       Field("金额", "Amount", "amountFen", 18),
       Field("单位代码", "Unit code (empty: the department's own unit)", "unitCode", 14)}};
  return *table;
}

const TableSpec& ExpenditureTable() {
  static const auto* table = new TableSpec{
      "支出：每行一条支出明细（功能分类项 × 经济分类款 × 支出类型 × 资金来源）。",
      "Expenditure lines: one row per functional 项 × economic 款 × kind × fund source.",
      {Field("功能分类科目编码", "Functional code (项, 7 digits)", "functionalCode", 14),
       Field("经济分类科目编码", "Economic code (款, 5 digits)", "economicCode", 14),
       Field("支出类型", "Expenditure kind", "kind", 20), Field("资金来源", "Fund source", "fundSource", 22),
       Field("上年结转资金", "Paid from last year's carry-over (是/否)", "fromCarryover", 12),
       Field("项目编号", "Project id (项目支出 only)", "projectId", 14), Field("金额", "Amount", "amountFen", 18),
       Field("单位代码", "Unit code (empty: the department's own unit)", "unitCode", 14)}};
  return *table;
}

const TableSpec& ProjectTable() {
  static const auto* table = new TableSpec{
      "项目：每行一个项目（表10 项目信息）。",
      "Projects: one row per project (the project form's facts).",
      {Field("项目编号", "Project id", "projectId", 14), Field("项目名称", "Name", "name", 26),
       Field("主管部门编码", "Supervising code", "supervisingCode", 12),
       Field("实施单位", "Implementing unit", "implementingUnit", 22), Field("项目属性", "Category", "category", 10),
       Field("开始年度", "Start year", "startYear", 9), Field("结束年度", "End year", "endYear", 9),
       Field("资金总额", "Total", "totalFen", 16), Field("其中：财政拨款", "Of which fiscal", "totalFiscalFen", 16),
       Field("其他资金", "Other funds", "totalOtherFen", 16),
       Field("当年资金总额", "This year's total", "yearTotalFen", 16),
       Field("其中：当年财政拨款", "Of which fiscal this year", "yearFiscalFen", 16),
       Field("当年其他资金", "Other funds this year", "yearOtherFen", 16),
       Field("主要用途", "What it is for", "purpose", 40)}};
  return *table;
}

const TableSpec& FundsTable() {
  static const auto* table = new TableSpec{
      "近两年收支情况（表9）：每行一年。",
      "Funds of the two prior years (form 9): one row per year.",
      {Field("年度", "Year", "year", 9), Field("财政拨款", "Fiscal grants", "fiscalGrantFen", 16),
       Field("其他资金", "Other funds", "otherFen", 16), Field("基本支出", "Basic expenditure", "basicFen", 16),
       Field("项目支出", "Project expenditure", "projectFen", 16)}};
  return *table;
}

const TableSpec& ThreePublicTable() {
  static const auto* table = new TableSpec{
      "“三公”经费：范围“部门”为全部门合计（本年、上年各一行），范围“单位”为各预算单位（单位代码为空即部门本级）。",
      "Three public costs: scope 部门 is the department's total (one row for this year, one for the prior year); "
      "scope 单位 is one budget unit (empty unit code: the department's own unit).",
      {Role("范围", "Scope (部门/单位)", ColumnRole::kScope, 8),
       Role("单位代码", "Unit code", ColumnRole::kUnitCode, 12), Role("年度", "Year (本年/上年)", ColumnRole::kYear, 8),
       Field("因公出国（境）费", "Overseas travel", "overseasFen", 16),
       Field("公务用车购置费", "Vehicle purchase", "vehiclePurchaseFen", 16),
       Field("公务用车运行费", "Vehicle operation", "vehicleOperationFen", 16),
       Field("公务接待费", "Official reception", "receptionFen", 16),
       Field("合计（填报数）", "Total as stated (may be left empty)", "totalFen", 16),
       Field("公务用车购置及运行费（填报数）", "Vehicle total as stated (may be left empty)", "vehicleTotalFen", 18)}};
  return *table;
}

const TableSpec& ProcurementTable() {
  static const auto* table =
      new TableSpec{"政府采购预算：每行一个品目。",
                    "Government procurement: one row per item.",
                    {Field("采购类别", "Category (货物/工程/服务)", "category", 12),
                     Field("采购品目", "Item", "item", 30), Field("金额", "Amount", "amountFen", 18)}};
  return *table;
}

const TableSpec& ServicePurchaseTable() {
  static const auto* table =
      new TableSpec{"政府购买服务预算：每行一个事项。",
                    "Purchase of services: one row per item.",
                    {Field("购买服务事项", "Item", "item", 30), Field("金额", "Amount", "amountFen", 18)}};
  return *table;
}

const TableSpec& DepartmentIndicatorTable() {
  static const auto* table = [] {
    auto* t = new TableSpec{
        "绩效指标：每行一个指标。“年度目标”行属于其上方最近填写了目标序号的目标；“长期指标”行不属于目标。",
        "Indicators: one row each. A 年度目标 row belongs to the nearest goal above it whose number is filled in; "
        "长期指标 rows belong to no goal.",
        {Role("指标类别", "Row kind (年度目标/长期指标)", ColumnRole::kCategory, 10),
         Group("目标序号", "Goal no.", "seq", 8), Group("目标内容", "Goal", "text", 36),
         Group("目标简称", "Goal short name", "shortName", 20)}};
    for (ColumnSpec& c : IndicatorColumns()) t->columns.push_back(std::move(c));
    return t;
  }();
  return *table;
}

const TableSpec& ProjectIndicatorTable() {
  static const auto* table = [] {
    auto* t = new TableSpec{
        "项目绩效目标（表10）：每行一个指标；项目信息只写在该项目的第一行，下方空白行属于同一项目。",
        "Project goal sheets (form 10): one row per indicator; the project's facts go on its first row, the rows "
        "below with them left empty belong to the same project.",
        {Group("项目编号", "Project id", "projectId", 14), Group("编报时间", "Compiled on", "compiledDate", 12),
         Group("中期目标", "Medium-term goal", "mediumTermGoal", 30),
         Group("年度目标", "Annual goal", "annualGoal", 30), Group("资金总额", "Total as stated", "totalFen", 16),
         Group("其中：财政拨款", "Of which fiscal", "totalFiscalFen", 16),
         Group("其他资金", "Other funds", "totalOtherFen", 16),
         Group("当年资金总额", "This year's total", "yearTotalFen", 16),
         Group("其中：当年财政拨款", "Of which fiscal this year", "yearFiscalFen", 16),
         Group("当年其他资金", "Other funds this year", "yearOtherFen", 16),
         Role("指标类别", "Row kind (中期指标/年度指标)", ColumnRole::kCategory, 10)}};
    for (ColumnSpec& c : IndicatorColumns()) t->columns.push_back(std::move(c));
    return t;
  }();
  return *table;
}

const std::vector<std::pair<std::string, std::string>>& Instructions() {
  static const auto* lines = new std::vector<std::pair<std::string, std::string>>{
      {"部门预算填报工作簿", "Department budget filing workbook"},
      {"本工作簿是一份完整的部门预算填报：部门信息、预算明细和绩效目标。各工作表的第 1 行是说明，第 2 行是表头，"
       "从第 3 行起每行一条数据。",
       "This workbook is one whole filing: the department, its budget lines and its performance goals. Row 1 of "
       "each sheet explains it, row 2 is the header, data starts on row 3."},
      {"金额：单位写在表头（“金额（元）”或“金额（万元）”），元最多 2 位小数，万元最多 6 位小数（精确到分）。"
       "请填写数字，不要填写文字或“万元”等单位。",
       "Amounts: the unit is in the header (元 or 万元); 元 take at most 2 decimals, 万元 at most 6 (exact to the "
       "分). Enter numbers only, without units."},
      {"可选项（收入来源、支出类型等）请从下拉列表中选择；也接受系统的英文枚举名。",
       "Choice columns (fund source, kind …) offer a drop-down list; the proto enum names are accepted too."},
      {"空行会被忽略；可以插入行、调整列的顺序，但请勿修改表头文字和工作表名称。",
       "Empty rows are ignored; rows may be inserted and columns reordered, but keep the header texts and sheet "
       "names."},
      {"工作表：部门（部门信息、编制、预算年度）；所属单位；收入；支出；项目；上年数；三公；政府采购；资产；购买服务；"
       "说明文字；整体绩效目标（表9）；项目绩效目标（表10）。",
       "Sheets: 部门 department, staffing and year; 所属单位 secondary units; 收入 income lines; 支出 expenditure "
       "lines; 项目 projects; 上年数 prior-year figures; 三公 three public costs; 政府采购 procurement; 资产 "
       "assets; 购买服务 service purchases; 说明文字 narrative inputs; 整体绩效目标 department goals (form 9); "
       "项目绩效目标 project goals (form 10)."},
      {"“可留空”的项留空表示“未填报”，填 0 表示“为零”。",
       "An item marked \"may be left empty\" is not stated when empty; 0 states zero."},
  };
  return *lines;
}

std::string ChoiceLabel(const google::protobuf::EnumDescriptor* type, int number) {
  if (number == 0) return "";
  if (const std::vector<Choice>* choices = ChoicesOf(type)) {
    for (const Choice& c : *choices) {
      if (c.number == number) return c.label;
    }
  }
  // A value this build does not label (a newer enum): its proto name reads back.
  const google::protobuf::EnumValueDescriptor* value = type->FindValueByNumber(number);
  return value != nullptr ? value->name() : absl::StrCat(number);
}

std::optional<int> ChoiceFromText(const google::protobuf::EnumDescriptor* type, std::string_view text) {
  const std::string t = TrimText(text);
  if (const std::vector<Choice>* choices = ChoicesOf(type)) {
    for (const Choice& c : *choices) {
      if (t == c.label) return c.number;
      for (const std::string& alias : c.aliases) {
        if (t == alias) return c.number;
      }
    }
  }
  const google::protobuf::EnumValueDescriptor* value = type->FindValueByName(absl::AsciiStrToUpper(t));
  if (value != nullptr) return value->number();
  return std::nullopt;
}

std::vector<std::string> ChoiceLabels(const google::protobuf::EnumDescriptor* type) {
  std::vector<std::string> labels;
  if (const std::vector<Choice>* choices = ChoicesOf(type)) {
    for (const Choice& c : *choices) labels.push_back(c.label);
  }
  return labels;
}

BoolLabels BoolLabelsFor(const google::protobuf::FieldDescriptor* field) {
  if (field->containing_type() == lv1::IncomeLine::descriptor()) return {"本年收入", "上年结转"};
  return {"否", "是"};
}

std::optional<bool> BoolFromText(const google::protobuf::FieldDescriptor* field, std::string_view text) {
  const std::string t = TrimText(text);
  const BoolLabels labels = BoolLabelsFor(field);
  if (t == labels.yes) return true;
  if (t == labels.no) return false;
  const std::string lower = absl::AsciiStrToLower(t);
  if (t == "是" || lower == "true" || t == "1") return true;
  if (t == "否" || lower == "false" || t == "0") return false;
  return std::nullopt;
}

std::string QuotaKindLabel(int kind) { return ChoiceLabel(lv1::EstablishmentKind_descriptor(), kind); }

std::vector<const google::protobuf::FieldDescriptor*> ColumnFields(const std::vector<ColumnSpec>& columns,
                                                                   const google::protobuf::Descriptor* item,
                                                                   const google::protobuf::Descriptor* group) {
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  for (const ColumnSpec& column : columns) {
    const google::protobuf::Descriptor* type = column.role == ColumnRole::kField        ? item
                                               : column.role == ColumnRole::kGroupField ? group
                                                                                        : nullptr;
    fields.push_back(type == nullptr || column.field.empty() ? nullptr : LeafField(type, column.field));
  }
  return fields;
}

std::string TrimText(std::string_view text) {
  std::string out(absl::StripAsciiWhitespace(absl::string_view(text.data(), text.size())));
  for (std::string_view space : {"\u3000", "\u00a0"}) {
    while (out.size() >= space.size() && out.compare(0, space.size(), space) == 0) out.erase(0, space.size());
    while (out.size() >= space.size() && out.compare(out.size() - space.size(), space.size(), space) == 0) {
      out.erase(out.size() - space.size());
    }
  }
  return out;
}

HeaderText ParseHeader(std::string_view text) {
  const size_t newline = text.find('\n');
  std::string key = TrimText(text.substr(0, newline));
  HeaderText header;
  static const std::pair<std::string_view, AmountUnit> kUnits[] = {{"（元）", AmountUnit::kYuan},
                                                                   {"(元)", AmountUnit::kYuan},
                                                                   {"（万元）", AmountUnit::kWanYuan},
                                                                   {"(万元)", AmountUnit::kWanYuan}};
  for (const auto& [suffix, unit] : kUnits) {
    if (key.size() > suffix.size() && key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0) {
      header.unit = unit;
      key.erase(key.size() - suffix.size());
      break;
    }
  }
  if (!header.unit.has_value()) {
    // "金额（千元）": some unit the reader does not convert.
    for (std::string_view open : {"（", "("}) {
      const size_t at = key.rfind(open);
      if (at != std::string::npos && at > 0 && key.find("元", at) != std::string::npos) {
        header.unknown_unit = true;
        key.erase(at);
        break;
      }
    }
  }
  header.key = TrimText(key);
  return header;
}

std::string HeaderCellText(const ColumnSpec& column, bool amount, AmountUnit unit) {
  if (!amount) return absl::StrCat(column.zh, "\n", column.en);
  return absl::StrCat(column.zh, "（", UnitName(unit), "）\n", column.en, " (",
                      unit == AmountUnit::kYuan ? "yuan" : "10,000 yuan", ")");
}

std::string EntryLabelText(const EntrySpec& entry, bool amount, AmountUnit unit) {
  if (!amount) return entry.zh;
  return absl::StrCat(entry.zh, "（", UnitName(unit), "）");
}

}  // namespace yusuan::workbook
