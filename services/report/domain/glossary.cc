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

std::vector<std::string> FunctionalCodeLines(const BudgetSummary& summary, const TemplateSet& set) {
  // Sorted by code so that the numbering does not depend on the order in
  // which the projection emitted the pairs.
  std::vector<const GlossaryClass*> classes;
  for (const auto& cls : summary.glossary()) classes.push_back(&cls);
  std::stable_sort(classes.begin(), classes.end(), [](const GlossaryClass* a, const GlossaryClass* b) {
    if (a->class_code() != b->class_code()) {
      return a->class_code() < b->class_code();
    }
    return a->kuan_code() < b->kuan_code();
  });
  std::vector<std::string> lines;
  int64_t index = 0;
  for (const GlossaryClass* cls : classes) {
    std::vector<const ledger::v1::CatalogueEntry*> items;
    for (const auto& item : cls->items()) items.push_back(&item);
    std::stable_sort(items.begin(), items.end(), [](const auto* a, const auto* b) { return a->code() < b->code(); });
    std::vector<TemplateValues> names;
    for (const auto* item : items) {
      TemplateValues name;
      name.Set("name", item->name());
      names.push_back(std::move(name));
    }
    TemplateValues values;
    values.Set("number", ++index);
    values.Set("class_name", cls->class_name());
    values.Set("kuan_name", cls->kuan_name());
    values.List("items", names);
    lines.push_back(Fill(set, "glossary.code_line", values));
  }
  return lines;
}

std::vector<GlossaryEntry> Glossary(const ReportInput& input, const TemplateSet& set) {
  TemplateValues level;
  level.Set("fiscal_level", FiscalLevelName(input.department().fiscal_level()));
  std::vector<GlossaryEntry> entries;
  int index = 0;
  for (const TemplateTerm& term : set.glossary) {
    TemplateValues numbering;
    numbering.Set("number", int64_t{++index});
    numbering.Set("numeral", ChineseNumeral(index));
    GlossaryEntry entry;
    entry.number = Fill(set, "numbering.term", numbering);
    entry.term = term.term;
    entry.definition = FillText(term.definition, level);
    if (term.functional_codes) {
      entry.lines = FunctionalCodeLines(input.tables().summary(), set);
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::string GlossaryEntryText(const GlossaryEntry& entry, const TemplateSet& set) {
  TemplateValues values;
  values.Set("numbering", entry.number);
  values.Set("term", entry.term);
  values.Set("definition", entry.definition);
  return Fill(set, "glossary.entry", values);
}

std::string ContactLine(const ReportInput& input, const TemplateSet& set) {
  std::string phone = input.department().contact_phone();
  if (phone.empty()) phone = input.goals().department().contact_phone();
  if (phone.empty()) return "";
  TemplateValues values;
  values.Set("phone", phone);
  return Fill(set, "contact", values);
}

}  // namespace yusuan::report
