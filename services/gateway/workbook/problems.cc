// What a caller does with the problems of a read: a gRPC/REST refusal, a
// report, the rules for ListRules; and where a field was read.
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/gateway/workbook/filing_workbook.h"

namespace yusuan::workbook {
namespace {

namespace cv1 = yusuan::common::v1;

struct RuleText {
  const char* id;
  cv1::RuleCategory category;
  const char* zh;
  const char* en;
  const char* hint;
};

constexpr RuleText kRules[] = {
    {"WB-NOT-XLSX", cv1::RULE_CATEGORY_COMPLETENESS, "文件不是可读的 XLSX 工作簿。",
     "The file is not a readable XLSX workbook.", "Save it again as .xlsx from the spreadsheet program."},
    {"WB-MISSING-SHEET", cv1::RULE_CATEGORY_COMPLETENESS, "缺少模板中的工作表。", "A sheet of the template is missing.",
     "Keep every sheet of the template with its name; an unused sheet stays empty."},
    {"WB-SHEET-UNREADABLE", cv1::RULE_CATEGORY_COMPLETENESS, "工作表无法读取。", "A sheet cannot be read.",
     "Save the workbook again from the spreadsheet program."},
    {"WB-HEADER", cv1::RULE_CATEGORY_COMPLETENESS, "找不到表头或表头缺少某列。",
     "The header row, or one of its columns, is missing.", "Restore the header texts of the template."},
    {"WB-UNIT", cv1::RULE_CATEGORY_CLASSIFICATION, "金额列（或金额项）没有写明单位元或万元。",
     "An amount column (or item) does not state its unit, 元 or 万元.",
     "Write the header as 金额（元） or 金额（万元）."},
    {"WB-AMOUNT-TEXT", cv1::RULE_CATEGORY_ACCURACY, "金额单元格不是数字。", "An amount cell is not a number.",
     "Enter the amount as a number, without words or units."},
    {"WB-AMOUNT-DECIMALS", cv1::RULE_CATEGORY_ACCURACY, "金额的小数位超过单位允许的位数（元 2 位，万元 6 位）。",
     "An amount has more decimals than its unit allows (元 2, 万元 6).", "Round the amount to the 分."},
    {"WB-AMOUNT-RANGE", cv1::RULE_CATEGORY_ACCURACY, "金额超出 ±10^15 分。", "An amount is beyond ±10^15 分.",
     "Check the unit and the digits."},
    {"WB-NUMBER", cv1::RULE_CATEGORY_ACCURACY, "人数、年度或数量不是整数。", "A count or a year is not a whole number.",
     "Enter digits only."},
    {"WB-UNKNOWN-ENUM", cv1::RULE_CATEGORY_CLASSIFICATION, "选项列的值不是可选值。",
     "A choice cell holds a value that is not one of the choices.", "Pick a value from the drop-down list."},
    {"WB-UNKNOWN-ITEM", cv1::RULE_CATEGORY_COMPLETENESS, "键值表中有不认识的项目名称。",
     "A key/value sheet names an item it does not have.", "Use the item names of the template."},
    {"WB-CELL-ERROR", cv1::RULE_CATEGORY_ACCURACY, "单元格是公式错误值。", "A cell holds a formula error.",
     "Enter a value instead of the failing formula."},
    {"WB-GOAL-ROW", cv1::RULE_CATEGORY_COMPLETENESS, "绩效指标行不属于任何目标或项目。",
     "An indicator row belongs to no goal or project.", "Fill in the goal (or project) on the row or above it."},
    {"WB-NO-DEPARTMENT", cv1::RULE_CATEGORY_COMPLETENESS, "工作簿没有部门信息。", "The workbook names no department.",
     "Fill in the 部门 sheet."},
};

const RuleText* FindRule(const std::string& id) {
  for (const RuleText& rule : kRules) {
    if (id == rule.id) return &rule;
  }
  return nullptr;
}

}  // namespace

std::string CellForField(const Provenance& provenance, std::string_view field_path) {
  std::string_view path = field_path;
  while (!path.empty()) {
    auto it = provenance.find(path);
    if (it != provenance.end()) return it->second;
    const size_t cut = path.find_last_of(".[");
    if (cut == std::string_view::npos) break;
    path = path.substr(0, cut);
  }
  return "";
}

cv1::ValidationReport ProblemsAsReport(const std::vector<WorkbookProblem>& problems) {
  cv1::ValidationReport report;
  for (const WorkbookProblem& p : problems) {
    cv1::Finding* f = report.add_findings();
    f->set_rule_id(p.rule_id);
    f->set_severity(cv1::SEVERITY_FATAL);
    // The workbook is the document submitted: its cell is where to look.
    f->set_field(p.cell);
    f->set_workbook_cell(p.cell);
    f->set_message_zh(p.message_zh);
    f->set_message_en(p.message_en);
    if (const RuleText* rule = FindRule(p.rule_id)) {
      f->set_category(rule->category);
      f->set_hint(rule->hint);
    }
  }
  Tally(report);
  return report;
}

void AnnotateWithCells(const Provenance& provenance, cv1::ValidationReport& report) {
  for (cv1::Finding& finding : *report.mutable_findings()) {
    if (finding.field().empty()) continue;
    const std::string cell = CellForField(provenance, finding.field());
    if (!cell.empty()) finding.set_workbook_cell(cell);
  }
}

void AnnotateWithCells(const Provenance& provenance, google::rpc::Status& status) {
  for (google::protobuf::Any& detail : *status.mutable_details()) {
    cv1::ValidationReport report;
    if (!detail.Is<cv1::ValidationReport>() || !detail.UnpackTo(&report)) continue;
    AnnotateWithCells(provenance, report);
    detail.PackFrom(report);
  }
}

absl::Status ProblemsToStatus(const std::vector<WorkbookProblem>& problems) {
  if (problems.empty()) return absl::OkStatus();
  return RejectedByRules(ProblemsAsReport(problems), "工作簿", "the workbook");
}

std::vector<cv1::Rule> WorkbookRules() {
  std::vector<cv1::Rule> rules;
  for (const RuleText& r : kRules) {
    cv1::Rule rule;
    rule.set_rule_id(r.id);
    rule.set_severity(cv1::SEVERITY_FATAL);
    rule.set_category(r.category);
    rule.set_description_zh(r.zh);
    rule.set_description_en(r.en);
    rule.set_hint(r.hint);
    rule.set_reference("services/gateway/workbook/README.md");
    rule.set_service("gateway");
    rules.push_back(std::move(rule));
  }
  return rules;
}

}  // namespace yusuan::workbook
