#include "services/common/rule_catalogue.h"

#include <map>

namespace yusuan {

using yusuan::common::v1::Rule;

Rule MakeRule(const std::string& id, yusuan::common::v1::Severity severity,
              yusuan::common::v1::RuleCategory category, const std::string& description_zh,
              const std::string& description_en, const std::string& reference,
              const std::string& service) {
  Rule rule;
  rule.set_rule_id(id);
  rule.set_severity(severity);
  rule.set_category(category);
  rule.set_description_zh(description_zh);
  rule.set_description_en(description_en);
  rule.set_reference(reference);
  rule.set_service(service);
  return rule;
}

void Annotate(const std::vector<Rule>& rules, yusuan::common::v1::ValidationReport& report) {
  std::map<std::string, yusuan::common::v1::RuleCategory> categories;
  for (const Rule& rule : rules) categories.emplace(rule.rule_id(), rule.category());
  for (auto& finding : *report.mutable_findings()) {
    auto it = categories.find(finding.rule_id());
    if (it != categories.end()) finding.set_category(it->second);
  }
  report.set_rule_set_version(kRuleSetVersion);
}

std::vector<std::string> UnlistedRuleIds(const std::vector<Rule>& rules,
                                         const yusuan::common::v1::ValidationReport& report) {
  std::map<std::string, bool> listed;
  for (const Rule& rule : rules) listed[rule.rule_id()] = true;
  std::vector<std::string> unlisted;
  for (const auto& finding : report.findings()) {
    if (!listed.count(finding.rule_id())) unlisted.push_back(finding.rule_id());
  }
  return unlisted;
}

}  // namespace yusuan
