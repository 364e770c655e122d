#include "services/gateway/rule_catalogue.h"

#include <string>
#include <utility>
#include <vector>

#include "services/gateway/workbook/filing_workbook.h"

namespace yusuan::gateway {

const RuleBook& GatewayRules() {
  using namespace yusuan::common::v1;  // NOLINT: the enum values read as a table
  auto with_hint = [](Rule rule, const std::string& hint) {
    rule.set_hint(hint);
    return rule;
  };
  std::vector<Rule> gateway_rules{
      with_hint(
          MakeRule("V-NAME", SEVERITY_FATAL, RULE_CATEGORY_CONSISTENCY, "资源名须与其中的编码和年度一致",
                   "resource names must agree with the codes and year inside", "services/gateway/names.h", "gateway"),
          "删去名称字段由网关填写，或改正名称 / omit the name for the gateway to fill, or correct it"),
      with_hint(MakeRule("V-UTF8", SEVERITY_FATAL, RULE_CATEGORY_COMPLETENESS, "请求字节须为有效 UTF-8；拒绝时指明字段",
                         "request bytes must be valid UTF-8; the refusal names the field",
                         "services/gateway/utf8_refusal.h", "gateway"),
                "请将文件另存为 UTF-8 编码 / re-save the file as UTF-8"),
      with_hint(MakeRule("V-LIMIT", SEVERITY_FATAL, RULE_CATEGORY_COMPLETENESS,
                         "文字不超过 10000 个字符，列表不超过 20000 条（README「限制」）",
                         "no text is longer than 10000 characters and no list has more than 20000 entries "
                         "(README § Limits)",
                         "services/common/limits.h", "gateway"),
                "缩短该文字或拆分该列表；限制见 README「限制」 / shorten the text or split the list; the limits are "
                "in README § Limits"),
      with_hint(MakeRule("X-GOALS-MISSING", SEVERITY_FATAL, RULE_CATEGORY_COMPLETENESS,
                         "报送或校验已存预算时须已有绩效目标（表9、表10）",
                         "a stored budget that is validated or submitted must have its performance goals (表9, 表10)",
                         "services/gateway/orchestrator.h ValidateBudget, TransitionBudget", "gateway"),
                "用 apply 提交包含 goals 的完整申报 / apply a filing that includes goals"),
  };
  // What reading a filing workbook can refuse (POST /v1/filings:importWorkbook).
  for (Rule& rule : workbook::WorkbookRules()) gateway_rules.push_back(std::move(rule));
  static const auto* rules = new RuleBook(std::move(gateway_rules));
  return *rules;
}

}  // namespace yusuan::gateway
