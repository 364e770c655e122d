// The checks every rule catalogue's fixture test makes (ledger, goals, the
// cross rules): a fixture is the reference filing with one change that must
// not raise its rule (pass) or must raise it at a field (fail), and every
// listed rule has one. Header only, for tests.
#ifndef YUSUAN_SERVICES_COMMON_TESTING_RULE_FIXTURES_H_
#define YUSUAN_SERVICES_COMMON_TESTING_RULE_FIXTURES_H_

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/common/rule_catalogue.h"
#include "yusuan/common/v1/findings.pb.h"

namespace yusuan::testing {

// One line per finding: rule, field, English message.
inline std::string DumpFindings(const yusuan::common::v1::ValidationReport& report) {
  std::string out;
  for (const auto& f : report.findings()) out += f.rule_id() + " " + f.field() + " " + f.message_en() + "\n";
  return out;
}

// A passing fixture: no finding of `rule_id` and no FATAL finding at all.
inline void ExpectPasses(const yusuan::common::v1::ValidationReport& report, const std::string& rule_id) {
  for (const auto& f : report.findings()) EXPECT_NE(f.rule_id(), rule_id) << f.field() << "\n" << DumpFindings(report);
  EXPECT_EQ(report.fatal_count(), 0) << DumpFindings(report);
}

// A failing fixture: a finding of `rule_id` at `field` with the rule's listed
// severity, a hint and both messages; every finding of the report is of a
// listed rule with its listed severity and category. Returns the finding
// (null when missing, after a failure).
inline const yusuan::common::v1::Finding* ExpectRaises(const yusuan::RuleBook& rules,
                                                       const yusuan::common::v1::ValidationReport& report,
                                                       const std::string& rule_id, const std::string& field) {
  const yusuan::common::v1::Rule* rule = rules.Find(rule_id);
  EXPECT_NE(rule, nullptr) << rule_id << " is not listed";
  const yusuan::common::v1::Finding* found = nullptr;
  for (const auto& f : report.findings()) {
    const yusuan::common::v1::Rule* listed = rules.Find(f.rule_id());
    EXPECT_NE(listed, nullptr) << f.rule_id() << " is not listed";
    if (listed != nullptr) {
      EXPECT_EQ(f.severity(), listed->severity()) << f.rule_id() << " " << f.field();
      EXPECT_EQ(f.category(), listed->category()) << f.rule_id();
    }
    if (f.rule_id() == rule_id && f.field() == field) found = &f;
  }
  EXPECT_NE(found, nullptr) << "no " << rule_id << " at " << field << ":\n" << DumpFindings(report);
  if (found != nullptr) {
    EXPECT_FALSE(found->hint().empty()) << rule_id;
    EXPECT_FALSE(found->message_zh().empty()) << rule_id;
    EXPECT_FALSE(found->message_en().empty()) << rule_id;
  }
  return found;
}

// Each fixture id once, each rule listed once, and every listed rule (but those in `covered_elsewhere`)
// has a fixture.
inline void ExpectEveryRuleHasFixtures(const yusuan::RuleBook& rules, const std::vector<std::string>& fixture_ids,
                                       std::set<std::string> covered_elsewhere = {}) {
  std::set<std::string> covered;
  for (const std::string& id : fixture_ids) EXPECT_TRUE(covered.insert(id).second) << "two fixtures for " << id;
  covered.insert(covered_elsewhere.begin(), covered_elsewhere.end());
  std::set<std::string> listed;
  for (const auto& rule : rules)
    EXPECT_TRUE(listed.insert(rule.rule_id()).second) << rule.rule_id() << " is listed twice";
  for (const auto& rule : rules) EXPECT_EQ(covered.count(rule.rule_id()), 1u) << rule.rule_id() << " has no fixture";
}

// A FATAL finding of `rule_id` at exactly `field`, whose messages name the
// field and which carries a hint; every finding of the report is of a listed
// rule with a category, and the report names the rule set it ran.
inline void ExpectFatalAt(const yusuan::RuleBook& rules, const yusuan::common::v1::ValidationReport& report,
                          const std::string& rule_id, const std::string& field) {
  const yusuan::common::v1::Finding* found = nullptr;
  for (const auto& f : report.findings()) {
    if (f.rule_id() == rule_id && f.field() == field) found = &f;
    EXPECT_NE(rules.Find(f.rule_id()), nullptr) << f.rule_id() << " is not listed";
    EXPECT_NE(f.category(), yusuan::common::v1::RULE_CATEGORY_UNSPECIFIED) << f.rule_id();
  }
  ASSERT_NE(found, nullptr) << rule_id << " at " << field << " not in:\n" << DumpFindings(report);
  EXPECT_EQ(found->severity(), yusuan::common::v1::SEVERITY_FATAL);
  EXPECT_NE(found->message_zh().find(field), std::string::npos) << found->message_zh();
  EXPECT_NE(found->message_en().find(field), std::string::npos) << found->message_en();
  EXPECT_FALSE(found->hint().empty());
  EXPECT_GE(report.fatal_count(), 1);
  EXPECT_EQ(report.rule_set_version(), yusuan::kRuleSetVersion);
}

// The rule table of a README (rows "| id | SEVERITY | …", the id in
// backticks or not) agrees with the catalogue: every listed rule but those in
// `documented_elsewhere` has a row, each row of a listed id says the listed
// severity, so the docs cannot drift from the definitions they describe.
inline void ExpectReadmeListsRulesAsDefined(const yusuan::RuleBook& rules, const std::string& readme_path,
                                            std::set<std::string> documented_elsewhere = {}) {
  std::ifstream in(readme_path);
  ASSERT_TRUE(in.good()) << readme_path;
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  const std::regex row(R"(\n\|\s*`?([A-Z][A-Z0-9-]+)`?\s*\|\s*(FATAL|WARNING|INFO)\s*\|)");
  std::map<std::string, std::set<std::string>> documented;
  for (auto it = std::sregex_iterator(readme.begin(), readme.end(), row); it != std::sregex_iterator(); ++it) {
    documented[(*it)[1].str()].insert((*it)[2].str());
  }
  for (const auto& rule : rules) {
    if (documented_elsewhere.count(rule.rule_id())) continue;
    auto found = documented.find(rule.rule_id());
    if (found == documented.end()) {
      ADD_FAILURE() << rule.rule_id() << " has no row in " << readme_path;
      continue;
    }
    const std::string listed = yusuan::common::v1::Severity_Name(rule.severity()).substr(sizeof("SEVERITY_") - 1);
    EXPECT_EQ(found->second, std::set<std::string>{listed}) << rule.rule_id() << " in " << readme_path;
  }
}

// A gtest parameter name for a rule id ("R-T4-6" → "R_T4_6").
inline std::string RuleTestName(const std::string& rule_id) {
  std::string name;
  for (char c : rule_id) name += (c == '-') ? '_' : c;
  return name;
}

}  // namespace yusuan::testing

#endif  // YUSUAN_SERVICES_COMMON_TESTING_RULE_FIXTURES_H_
