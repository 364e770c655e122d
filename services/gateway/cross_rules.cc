#include "services/gateway/cross_rules.h"

#include <map>
#include <string>

#include "absl/strings/str_cat.h"

namespace yusuan::gateway {
namespace {

using yusuan::common::v1::Finding;

Finding Error(const std::string& rule, const std::string& field, const std::string& zh,
              const std::string& en, const std::string& hint) {
  Finding f;
  f.set_rule_id(rule);
  f.set_severity(yusuan::common::v1::SEVERITY_ERROR);
  f.set_field(field);
  f.set_message_zh(zh);
  f.set_message_en(en);
  f.set_hint(hint);
  return f;
}

}  // namespace

std::vector<Finding> CheckGoalsAgainstBudget(const yusuan::goals::v1::GoalSet& goals,
                                             const yusuan::ledger::v1::Budget& budget) {
  std::vector<Finding> out;
  if (goals.fiscal_year() != budget.fiscal_year()) {
    Finding f = Error(
        "X-GOALS-YEAR", "goals.fiscalYear",
        absl::StrCat("绩效目标年度 ", goals.fiscal_year(), " 与预算年度 ", budget.fiscal_year(),
                     " 不一致"),
        absl::StrCat("the goals' fiscal year ", goals.fiscal_year(),
                     " differs from the budget's ", budget.fiscal_year()),
        "绩效目标与预算应为同一年度 / goals and budget must be for the same year");
    f.set_expected(absl::StrCat(budget.fiscal_year()));
    f.set_actual(absl::StrCat(goals.fiscal_year()));
    out.push_back(std::move(f));
  }

  // project_id → index of its first goal sheet.
  std::map<std::string, int> sheets;
  for (int j = 0; j < goals.projects_size(); ++j) {
    const std::string& id = goals.projects(j).project_id();
    auto [it, inserted] = sheets.emplace(id, j);
    if (!inserted) {
      out.push_back(Error(
          "X-GOALS-DUPLICATE", absl::StrCat("goals.projects[", j, "].projectId"),
          absl::StrCat("项目 ", id, " 有多张绩效目标表（另见 goals.projects[", it->second, "]）"),
          absl::StrCat("project ", id, " has more than one goal sheet (see also goals.projects[",
                       it->second, "])"),
          "每个项目只填一张表10 / file one 表10 per project"));
    }
  }

  std::map<std::string, int> projects;
  for (int i = 0; i < budget.projects_size(); ++i) {
    const auto& project = budget.projects(i);
    projects.emplace(project.project_id(), i);
    if (sheets.count(project.project_id()) == 0) {
      out.push_back(Error(
          "X-GOALS-COVERAGE", absl::StrCat("budget.projects[", i, "].projectId"),
          absl::StrCat("项目 ", project.project_id(), "（", project.name(),
                       "）没有项目支出绩效目标表（表10），项目绩效目标须全覆盖"),
          absl::StrCat("project ", project.project_id(), " (", project.name(),
                       ") has no project goal sheet (表10); every project needs one"),
          absl::StrCat("在 goals.projects 中加入 projectId 为 ", project.project_id(),
                       " 的目标表 / add a sheet with projectId ", project.project_id(),
                       " to goals.projects")));
    }
  }

  for (int j = 0; j < goals.projects_size(); ++j) {
    const std::string& id = goals.projects(j).project_id();
    if (projects.count(id) != 0) continue;
    out.push_back(Error(
        "X-GOALS-ORPHAN", absl::StrCat("goals.projects[", j, "].projectId"),
        absl::StrCat("绩效目标表的项目编号 \"", id, "\" 在预算的项目中不存在"),
        absl::StrCat("goal sheet project id \"", id, "\" matches no project of the budget"),
        "改正 projectId，或在 budget.projects 中加入该项目 / correct the projectId or add the "
        "project to budget.projects"));
  }
  return out;
}

}  // namespace yusuan::gateway
