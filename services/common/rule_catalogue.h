// Rules as data: every service lists the rules it runs (id, severity,
// category, description, reference) so `yusuan rules` can show them and each
// finding can carry its category and the version of the rule set.
#ifndef YUSUAN_SERVICES_COMMON_RULE_CATALOGUE_H_
#define YUSUAN_SERVICES_COMMON_RULE_CATALOGUE_H_

#include <string>
#include <vector>

#include "yusuan/common/v1/findings.pb.h"

namespace yusuan {

// Bump whenever a rule is added, removed or changes what it accepts (the
// golden rule-set test fails when a definition changed and this did not): a
// validation stamped with an older version is out of date.
inline constexpr char kRuleSetVersion[] = "2026.12.05-5";

yusuan::common::v1::Rule MakeRule(const std::string& id, yusuan::common::v1::Severity severity,
                                  yusuan::common::v1::RuleCategory category,
                                  const std::string& description_zh,
                                  const std::string& description_en,
                                  const std::string& reference, const std::string& service);

// Sets each finding's category from `rules` (by id) and stamps the report
// with kRuleSetVersion. Findings of unknown ids keep RULE_CATEGORY_UNSPECIFIED.
void Annotate(const std::vector<yusuan::common::v1::Rule>& rules,
              yusuan::common::v1::ValidationReport& report);

// The ids of `report` that `rules` does not list (for tests: every finding
// must come from a listed rule).
std::vector<std::string> UnlistedRuleIds(const std::vector<yusuan::common::v1::Rule>& rules,
                                         const yusuan::common::v1::ValidationReport& report);

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_RULE_CATALOGUE_H_
