// 第四部分 名词解释 (domain.md §6.10): (一)–(十二), all fixed wording except
// (十), which lists the functional 项 the department uses (summary.glossary),
// and the closing contact line.
#ifndef YUSUAN_SERVICES_REPORT_DOMAIN_GLOSSARY_H_
#define YUSUAN_SERVICES_REPORT_DOMAIN_GLOSSARY_H_

#include <string>
#include <vector>

#include "services/report/domain/template_set.h"
#include "yusuan/ledger/v1/ledger.pb.h"
#include "yusuan/report/v1/report.pb.h"

namespace yusuan::report {

struct GlossaryEntry {
  std::string number;      // "(一)"
  std::string term;        // "一般公共预算财政拨款收入"
  std::string definition;  // text after "：" (may be empty for (十))
  // Extra lines printed under the entry ((十): one per 类/款 pair).
  std::vector<std::string> lines;
};

// "区级", "市级", "省级", "县级", "乡镇级"; "本级" when unspecified.
std::string FiscalLevelName(yusuan::ledger::v1::FiscalLevel level);

// (十): "{i}.{类名}(类){款名}(款){项名1}(项)…" per 类/款 pair in code order.
std::vector<std::string> FunctionalCodeLines(const yusuan::ledger::v1::BudgetSummary& summary,
                                             const TemplateSet& set = DefaultTemplateSet());

// The set's terms in order (the reference: (一)–(十二)).
std::vector<GlossaryEntry> Glossary(const yusuan::report::v1::ReportInput& input,
                                    const TemplateSet& set = DefaultTemplateSet());

// "(一)一般公共预算财政拨款收入：指…" as the set writes an entry.
std::string GlossaryEntryText(const GlossaryEntry& entry, const TemplateSet& set = DefaultTemplateSet());

// "咨询电话：{phone}" (department phone, else the 表9 phone); "" when none.
std::string ContactLine(const yusuan::report::v1::ReportInput& input, const TemplateSet& set = DefaultTemplateSet());

}  // namespace yusuan::report

#endif  // YUSUAN_SERVICES_REPORT_DOMAIN_GLOSSARY_H_
