// Rules as data: every service lists the rules it runs (id, severity,
// category, description, reference) so `yusuan rules` can show them and each
// finding can carry its category and the version of the rule set.
#ifndef YUSUAN_SERVICES_COMMON_RULE_CATALOGUE_H_
#define YUSUAN_SERVICES_COMMON_RULE_CATALOGUE_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"

#include "yusuan/common/v1/findings.pb.h"

namespace yusuan {

// Bump whenever a rule is added, removed or changes what it accepts (the
// golden rule-set test fails when a definition changed and this did not): a
// validation stamped with an older version is out of date.
inline constexpr char kRuleSetVersion[] = "2026.12.06-4";

yusuan::common::v1::Rule MakeRule(const std::string& id, yusuan::common::v1::Severity severity,
                                  yusuan::common::v1::RuleCategory category, const std::string& description_zh,
                                  const std::string& description_en, const std::string& reference,
                                  const std::string& service);

// A service's rules, looked up by id. The definition is the one source of a
// rule's severity and category: a check names only the id
// (FindingsBuilder::Add), so what `yusuan rules` lists is what a finding says.
class RuleBook {
 public:
  // Ids are unique; a repeated id keeps its first definition (each
  // catalogue's test asserts there is none).
  explicit RuleBook(std::vector<yusuan::common::v1::Rule> rules);

  RuleBook(const RuleBook&) = delete;
  RuleBook& operator=(const RuleBook&) = delete;

  // The definition of `rule_id`, or null when this book does not list it.
  const yusuan::common::v1::Rule* Find(std::string_view rule_id) const;

  const std::vector<yusuan::common::v1::Rule>& rules() const { return rules_; }
  std::vector<yusuan::common::v1::Rule>::const_iterator begin() const { return rules_.begin(); }
  std::vector<yusuan::common::v1::Rule>::const_iterator end() const { return rules_.end(); }
  size_t size() const { return rules_.size(); }

 private:
  std::vector<yusuan::common::v1::Rule> rules_;
  absl::flat_hash_map<std::string, size_t> index_;
};

// A finding of `rule_id` with its definition's severity, category and hint
// (the hint a caller may replace with a more specific one). An id `rules`
// does not list is a programming error that every catalogue's fixture test
// catches; such a finding is FATAL, so it can never let a filing through.
yusuan::common::v1::Finding NewFinding(const RuleBook& rules, std::string_view rule_id);

// Stamps `report` with kRuleSetVersion: the findings were made by this build's rules.
void StampRuleSet(yusuan::common::v1::ValidationReport& report);

// The ids of `report` that `rules` does not list (for tests: every finding
// must come from a listed rule).
std::vector<std::string> UnlistedRuleIds(const RuleBook& rules, const yusuan::common::v1::ValidationReport& report);

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_RULE_CATALOGUE_H_
