// kRuleSetVersion must move when the rules do: a validation stamped with the
// old version is then out of date, and SUBMIT asks for a new one. This test
// keeps a digest of every rule definition (id, severity, category, texts,
// reference, service) of the ledger and goals services beside the version it
// was recorded for, in rule_set.sha256, and fails when the definitions
// changed but the version did not (or the record is behind). To record after
// bumping the version:
//   YUSUAN_UPDATE_GOLDEN=1 build/tests/golden/golden_rule_set_test
// It cannot see a change of what a rule's code accepts without a change of
// its definition: bump the version by hand for those.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/common/rule_catalogue.h"
#include "services/common/sha256.h"
#include "services/cross_rules/rule_catalogue.h"
#include "services/goals/domain/rule_catalogue.h"
#include "services/ledger/domain/rule_catalogue.h"

namespace yusuan {
namespace {

const std::string kRecord = std::string(YUSUAN_SOURCE_DIR) + "/tests/golden/rule_set.sha256";

std::string RuleDefinitions() {
  std::string text;
  for (const auto* rules : {&ledger::LedgerRules(), &goals::GoalRules(), &cross_rules::CrossRules()}) {
    for (const common::v1::Rule& rule : *rules) {
      absl::StrAppend(&text, rule.rule_id(), "\t", common::v1::Severity_Name(rule.severity()), "\t",
                      common::v1::RuleCategory_Name(rule.category()), "\t", rule.description_zh(), "\t",
                      rule.description_en(), "\t", rule.reference(), "\t", rule.service(), "\n");
    }
  }
  return text;
}

TEST(RuleSet, TheVersionMovesWithTheRuleDefinitions) {
  const std::string digest = Sha256Hex(RuleDefinitions());
  if (const char* update = std::getenv("YUSUAN_UPDATE_GOLDEN"); update != nullptr && std::string(update) == "1") {
    std::ofstream(kRecord) << kRuleSetVersion << " " << digest << "\n";
    GTEST_SKIP() << "recorded " << kRuleSetVersion << " " << digest << " in " << kRecord;
  }
  std::ifstream in(kRecord);
  std::string recorded_version, recorded_digest;
  ASSERT_TRUE(in >> recorded_version >> recorded_digest) << kRecord << " is missing or unreadable";
  if (digest != recorded_digest) {
    EXPECT_NE(recorded_version, kRuleSetVersion)
        << "the rule definitions changed but kRuleSetVersion is still " << kRuleSetVersion
        << ": bump it in services/common/rule_catalogue.h (validations of the old rules are then out of date), "
           "then record with YUSUAN_UPDATE_GOLDEN=1";
    ADD_FAILURE() << "the rule set is not recorded: run YUSUAN_UPDATE_GOLDEN=1 "
                     "build/tests/golden/golden_rule_set_test and commit "
                  << kRecord;
  } else {
    EXPECT_EQ(recorded_version, kRuleSetVersion)
        << "kRuleSetVersion moved to " << kRuleSetVersion << " with the rules unchanged since " << recorded_version
        << ": record it with YUSUAN_UPDATE_GOLDEN=1";
  }
}

}  // namespace
}  // namespace yusuan
