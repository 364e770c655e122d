#include "services/report/domain/glossary.h"

#include <algorithm>

namespace yusuan::report {

using ::yusuan::ledger::v1::BudgetSummary;
using ::yusuan::ledger::v1::GlossaryClass;
using ::yusuan::report::v1::ReportInput;

std::string FiscalLevelName(ledger::v1::FiscalLevel level) {
  switch (level) {
    case ledger::v1::FISCAL_LEVEL_PROVINCE:
      return "省级";
    case ledger::v1::FISCAL_LEVEL_CITY:
      return "市级";
    case ledger::v1::FISCAL_LEVEL_DISTRICT:
      return "区级";
    case ledger::v1::FISCAL_LEVEL_COUNTY:
      return "县级";
    case ledger::v1::FISCAL_LEVEL_TOWNSHIP:
      return "乡镇级";
    default:
      return "本级";
  }
}

std::vector<std::string> FunctionalCodeLines(const BudgetSummary& summary) {
  // Sorted by code so that the numbering does not depend on the order in
  // which the projection emitted the pairs.
  std::vector<const GlossaryClass*> classes;
  for (const auto& cls : summary.glossary()) classes.push_back(&cls);
  std::stable_sort(classes.begin(), classes.end(),
                   [](const GlossaryClass* a, const GlossaryClass* b) {
                     if (a->class_code() != b->class_code()) {
                       return a->class_code() < b->class_code();
                     }
                     return a->kuan_code() < b->kuan_code();
                   });
  std::vector<std::string> lines;
  int index = 0;
  for (const GlossaryClass* cls : classes) {
    std::string line = std::to_string(++index) + "." + cls->class_name() +
                       "(类)" + cls->kuan_name() + "(款)";
    std::vector<const ledger::v1::CatalogueEntry*> items;
    for (const auto& item : cls->items()) items.push_back(&item);
    std::stable_sort(items.begin(), items.end(),
                     [](const auto* a, const auto* b) {
                       return a->code() < b->code();
                     });
    for (const auto* item : items) line += item->name() + "(项)";
    lines.push_back(line);
  }
  return lines;
}

std::vector<GlossaryEntry> Glossary(const ReportInput& input) {
  const std::string level = FiscalLevelName(input.department().fiscal_level());
  std::vector<GlossaryEntry> entries = {
      {"(一)", "一般公共预算财政拨款收入",
       "指" + level + "财政从一般公共预算中当年拨付的资金。", {}},
      {"(二)", "政府性基金预算财政拨款收入",
       "指" + level + "财政从政府性基金预算中当年拨付的资金。", {}},
      {"(三)", "事业收入", "指事业单位开展专业业务活动及其辅助活动取得的收入。",
       {}},
      {"(四)", "事业单位经营收入",
       "指事业单位在专业业务活动及其辅助活动之外，开展非独立核算经营活动取得的"
       "收入。",
       {}},
      {"(五)", "其他收入",
       "指除“财政拨款收入”“事业收入”“事业单位经营收入”等以外的各项收入。", {}},
      {"(六)", "上年结转",
       "指以前年度尚未完成、结转到本年仍按原规定用途继续使用的资金。", {}},
      {"(七)", "基本支出",
       "指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。", {}},
      {"(八)", "项目支出",
       "指在基本支出之外，为完成特定的行政工作任务和事业发展目标所发生的支出。",
       {}},
      {"(九)", "事业单位经营支出",
       "指事业单位在专业业务活动及其辅助活动之外，开展非独立核算经营活动发生的"
       "支出。",
       {}},
      {"(十)", "本部门使用的主要支出功能分类科目(项级)", "",
       FunctionalCodeLines(input.tables().summary())},
      {"(十一)", "“三公”经费",
       "纳入" + level +
           "财政一般公共预算管理的“三公”经费，是指部门用一般公共预算财政拨款"
           "安排的因公出国（境）费、公务用车购置及运行维护费和公务接待费。其中，"
           "(1)因公出国（境）费，反映单位公务出国（境）的国际旅费、国外城市间"
           "交通费、住宿费、伙食费、培训费、公杂费等支出；(2)公务用车购置及运行"
           "维护费，反映单位公务用车购置支出（含车辆购置税、牌照费）及燃料费、"
           "维修费、过路过桥费、保险费、安全奖励费用等支出；(3)公务接待费，反映"
           "单位按规定开支的各类公务接待（含外宾接待）支出。",
       {}},
      {"(十二)", "机关运行经费",
       "指为保障行政单位（包括参照公务员法管理的事业单位）运行，用于购买货物和"
       "服务的各项资金，包括办公及印刷费、邮电费、差旅费、会议费、福利费、"
       "日常维修费、专用材料及一般设备购置费、办公用房水电费、办公用房取暖费、"
       "办公用房物业管理费、公务用车运行维护费以及其他费用。",
       {}},
  };
  return entries;
}

std::string ContactLine(const ReportInput& input) {
  std::string phone = input.department().contact_phone();
  if (phone.empty()) phone = input.goals().department().contact_phone();
  if (phone.empty()) return "";
  return "咨询电话：" + phone;
}

}  // namespace yusuan::report
