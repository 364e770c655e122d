#include "services/ledger/domain/rule_catalogue.h"

#include <utility>
#include <vector>

#include "services/common/rule_catalogue.h"
#include "services/ledger/domain/table_rules.h"

namespace yusuan::ledger {

const RuleBook& LedgerRules() {
  using namespace yusuan::common::v1;  // NOLINT: the enum values read as a table
  constexpr auto E = SEVERITY_FATAL;
  constexpr auto W = SEVERITY_WARNING;
  constexpr auto kComplete = RULE_CATEGORY_COMPLETENESS;
  constexpr auto kAccurate = RULE_CATEGORY_ACCURACY;
  constexpr auto kConsistent = RULE_CATEGORY_CONSISTENCY;
  constexpr auto kClass = RULE_CATEGORY_CLASSIFICATION;
  static const RuleBook* const rules = [&] {
    std::vector<Rule> input_rules{
        MakeRule(
            "V-FIELD-REQUIRED", E, kComplete,
            "必填字段不能为空（区划代码、单位代码、全称、简称、预算年度、分类科目版本、项目编号与名称、科目编码等）",
            "required fields are present (codes, names, year, catalogue edition, project id and name, line codes)",
            "architecture.md", "ledger"),
        MakeRule("V-FIELD-FORMAT", E, kComplete,
                 "区划代码为 2、4 或 6 位数字，单位代码为数字，资产统计日期为有效日期（YYYY-MM-DD）",
                 "regionCode has 2, 4 or 6 digits; agencyCode is digits; assets.asOfDate is a real date (YYYY-MM-DD)",
                 "architecture.md Resources and names", "ledger"),
        MakeRule("V-FIELD-RANGE", E, kComplete, "预算年度在 2000–2100 之间；上年资金情况的年度早于预算年度",
                 "fiscalYear is 2000..2100; a prior-year funds block is for an earlier year", "—", "ledger"),
        MakeRule("V-ENUM-UNSPECIFIED", E, kComplete, "财政级次、单位性质、阶段、编制类别、支出类型、资金来源须为已知值",
                 "enumerations (fiscal level, unit type, stage, kinds, fund sources) are set", "ledger.proto",
                 "ledger"),
        MakeRule("V-EDITION-MISMATCH", E, kClass, "分类科目版本须与预算年度一致", "catalogueEdition equals fiscalYear",
                 "domain.md §3.1", "ledger"),
        MakeRule("V-CATALOGUE-MISSING", E, kClass, "须载入该版本的政府收支分类科目",
                 "a catalogue of the budget's edition is loaded", "domain.md §3.1", "ledger"),
        MakeRule("V-UTF8", E, kComplete, "所有文字须为有效的 UTF-8 编码", "every string is valid UTF-8",
                 "architecture.md Money, rounding, text", "ledger"),
        MakeRule(
            "V-TEXT-CONTROL", E, kComplete,
            "文字不得含有控制字符（U+0000–U+001F、U+007F、U+0080–U+009F）、双向文字控制符或零宽字符；多行文字（情况说明的原因与用途、项目用途）"
            "可含换行符和制表符",
            "no text holds a control character (U+0000–U+001F, U+007F, U+0080–U+009F), bidirectional control or zero-width character; a multi-line text (the "
            "narrative's reasons and purposes, a project's purpose) may hold line feeds and tabs",
            "architecture.md Money, rounding, text", "ledger"),
        MakeRule("V-AMOUNT-NEGATIVE", E, kAccurate, "金额不能为负", "no amount is negative", "domain.md §5", "ledger"),
        MakeRule("V-AMOUNT-RANGE", E, kAccurate, "金额合计不得超出可计算范围", "the amounts add up without overflow",
                 "—", "ledger"),
        MakeRule("V-COUNT-NEGATIVE", E, kAccurate, "人数与资产数量不能为负",
                 "staffing and asset counts are not negative", "domain.md X20", "ledger"),
        MakeRule("V-CODE-UNKNOWN", E, kClass, "功能分类须为该版本的项级科目，经济分类须为款级科目",
                 "functional code is a 7-digit 项 and economic code a 5-digit 款 of the edition", "domain.md R-T2-4",
                 "ledger"),
        MakeRule(
            "V-FUND-KIND", E, kClass,
            "支出的功能分类科目须属于其资金来源的预算：政府性基金列政府性基金预算科目，国有资本经营列国有资本经营预算科目，其他资金列一般公共预算科目",
            "a line's functional code belongs to the budget of its fund source (fund lines on fund codes, "
            "state-capital lines on capital codes, every other source on general-budget codes)",
            "domain.md §2.5, §3.1", "ledger"),
        MakeRule("V-UNIT-REF", E, kConsistent, "收支明细的单位代码须为本级（空）或本部门已列明单位性质的所属单位",
                 "a line's unitCode is empty (本级) or a secondary unit of the department with its unit type",
                 "domain.md Addendum (units)", "ledger"),
        MakeRule("R-UNIT-BALANCE", W, kAccurate,
                 "部门有所属单位时，各单位（含本级）的收入按资金来源等于其由该资金安排的支出",
                 "with secondary units, each unit's income equals its own spending, source by source",
                 "domain.md Addendum (units)", "ledger"),
        MakeRule("R-T3-5", E, kClass, "人员经费须为 301/303 类，公用经费须为 302/310/399 类",
                 "personnel lines are 301/303, public lines 302/310/399", "domain.md R-T3-5", "ledger"),
        MakeRule("V-PROJECT-REF", E, kConsistent, "项目支出须引用已有项目", "a project line names an existing project",
                 "domain.md §8", "ledger"),
        MakeRule("V-PROJECT-STRAY", W, kConsistent, "非项目支出不应引用项目", "a non-project line names no project",
                 "—", "ledger"),
        MakeRule("V-PROJECT-ID-DUP", E, kConsistent, "项目编号不能重复", "project ids are unique", "—", "ledger"),
        MakeRule("V-PROJECT-PERIOD", W, kConsistent, "项目起止年度须包含预算年度",
                 "a project's period contains the budget year", "domain.md §4.3", "ledger"),
        MakeRule("R-T1-4", E, kAccurate, "财政拨款各资金的收入须等于由其安排的支出（收入总计 = 支出总计）",
                 "each fiscal fund's income equals the spending paid from it", "domain.md R-T1-4", "ledger"),
        MakeRule("R-T6-5", E, kAccurate, "其他各项资金的收入须等于由其安排的支出",
                 "each non-fiscal source's income equals its spending", "domain.md R-T6-5", "ledger"),
        MakeRule("R-T2-5", W, kClass, "项目支出不应列在行政运行等基本支出项",
                 "project spending is not on a 行政运行 项", "domain.md R-T2-5, E8", "ledger"),
        MakeRule("R-T4-1", E, kAccurate,
                 "表4 “三公”经费合计（如填写）= 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费",
                 "a stated 三公 total equals overseas travel + official vehicles + reception", "domain.md R-T4-1",
                 "ledger"),
        MakeRule("R-T4-2", E, kAccurate, "表4 公务用车购置及运行费（如填写）= 公务用车购置费 + 公务用车运行费",
                 "a stated official-vehicle subtotal equals purchase + operation", "domain.md R-T4-2", "ledger"),
        MakeRule(
            "R-T4-5", W, kConsistent,
            "表4 各项“三公”经费与一般公共预算支出中对应经济分类（30212、31013、30231、30217）的合计一致（按单位列明时各单位亦然）",
            "each 三公 component equals the general-budget lines on its economic code (30212, 31013, 30231, 30217); "
            "stated by unit, each unit's on its own lines",
            "domain.md R-T4-5 [INF]", "ledger"),
        MakeRule(
            "R-T4-6", E, kAccurate, "按单位列明“三公”经费时，部门各项“三公”经费（本年、上年）= 各单位（含本级）之和",
            "three-public costs stated by unit add up to the department's, component by component and year by year",
            "domain.md Addendum (units)", "ledger"),
        MakeRule("R-T4-4", W, kConsistent, "有公务用车运行费须有公务用车", "vehicle running costs need vehicles",
                 "domain.md R-T4-4, X19", "ledger"),
        MakeRule("R-T9-3", E, kAccurate, "上年资金情况：财政拨款 + 其他资金 = 基本支出 + 项目支出",
                 "prior-year funds: income equals basic plus project spending", "domain.md R-T9-1..3", "ledger"),
        MakeRule("R-T10-1", E, kAccurate, "项目资金总额 = 财政拨款 + 其他资金（含当年）",
                 "project totals equal fiscal plus other funds", "domain.md R-T10-1", "ledger"),
        MakeRule("R-T10-2", E, kAccurate, "当年资金总额不超过资金总额，单年项目两者相等",
                 "the year's total is within the project total, equal for one-year projects", "domain.md R-T10-2",
                 "ledger"),
        MakeRule("R-T10-4", E, kAccurate, "项目的支出明细之和须等于当年资金总额",
                 "a project's lines add up to its year total", "domain.md §4.7 V-P6", "ledger"),
        MakeRule("R-T10-3", W, kConsistent, "各项目当年财政拨款之和须等于项目支出",
                 "projects' fiscal money equals project spending", "domain.md R-T10-3", "ledger"),
        MakeRule("X16", E, kAccurate, "政府采购预算合计不超过部门支出预算合计",
                 "government procurement does not exceed the department's whole spending", "domain.md X16", "ledger"),
        MakeRule("X20-RETIREES", E, kAccurate, "离退休人员（如填写）= 离休人员 + 退休人员",
                 "a stated number of retirees equals retired before 1949 + retired", "domain.md X20", "ledger"),
        MakeRule("X20-RETIREES-ITEM", W, kClass, "有离退休人员的部门应有离退休项（2080501/2080502 等）的支出",
                 "a department with retirees has spending on a 离退休 项 (2080501, 2080502, …)", "domain.md E7",
                 "ledger"),
        MakeRule("X20", W, kConsistent, "在职实有人数不超过总编制", "staff in service do not exceed the establishment",
                 "domain.md X20", "ledger"),
        MakeRule("V-NAME-MISMATCH", E, kConsistent, "资源名称须与其中的区划代码、单位代码和年度一致",
                 "a resource name agrees with the region code, agency code and year it holds",
                 "architecture.md Resources and names", "ledger"),
        MakeRule("V-PROJECTION", E, kAccurate, "通过全部输入规则的申报必须能生成预算公开表",
                 "a filing that passes every input rule can be projected into the tables", "projections.h", "ledger"),
    };
    // The checks on the projected tables (table_rules.h) run in the same pass.
    for (const Rule& rule : TableRules()) input_rules.push_back(rule);
    return new RuleBook(std::move(input_rules));
  }();
  return *rules;
}

}  // namespace yusuan::ledger
