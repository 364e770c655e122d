#include "services/common/rule_catalogue.h"

#include <utility>

namespace yusuan {

using yusuan::common::v1::Rule;

Rule MakeRule(const std::string& id, yusuan::common::v1::Severity severity, yusuan::common::v1::RuleCategory category,
              const std::string& description_zh, const std::string& description_en, const std::string& reference,
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

RuleBook::RuleBook(std::vector<Rule> rules) : rules_(std::move(rules)) {
  for (size_t i = 0; i < rules_.size(); ++i) index_.emplace(rules_[i].rule_id(), i);
}

const Rule* RuleBook::Find(std::string_view rule_id) const {
  auto it = index_.find(absl::string_view(rule_id.data(), rule_id.size()));
  return it == index_.end() ? nullptr : &rules_[it->second];
}

yusuan::common::v1::Finding NewFinding(const RuleBook& rules, std::string_view rule_id) {
  yusuan::common::v1::Finding finding;
  finding.set_rule_id(std::string(rule_id));
  const Rule* rule = rules.Find(rule_id);
  finding.set_severity(rule != nullptr ? rule->severity() : yusuan::common::v1::SEVERITY_FATAL);
  if (rule != nullptr) {
    finding.set_category(rule->category());
    finding.set_hint(rule->hint());
  }
  return finding;
}

void StampRuleSet(yusuan::common::v1::ValidationReport& report) { report.set_rule_set_version(kRuleSetVersion); }

std::vector<std::string> UnlistedRuleIds(const RuleBook& rules, const yusuan::common::v1::ValidationReport& report) {
  std::vector<std::string> unlisted;
  for (const auto& finding : report.findings()) {
    if (rules.Find(finding.rule_id()) == nullptr) unlisted.push_back(finding.rule_id());
  }
  return unlisted;
}

}  // namespace yusuan
