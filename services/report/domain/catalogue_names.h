// The classification names of the catalogue editions compiled into the
// report domain (data/catalogue/*.json, embedded like the template sets), so
// that open data can name a code no table row shows: the economic 款 of
// project spending appear in no table (表3 is basic spending only).
#ifndef YUSUAN_SERVICES_REPORT_DOMAIN_CATALOGUE_NAMES_H_
#define YUSUAN_SERVICES_REPORT_DOMAIN_CATALOGUE_NAMES_H_

#include <string>
#include <string_view>

namespace yusuan::report {

// The name of a 部门预算支出经济分类 code (类 3 or 款 5 digits) in `edition`,
// or "" when the edition is not compiled in or does not list the code.
std::string CatalogueEconomicName(int edition, std::string_view code);

// The name of a 支出功能分类 code (类 3, 款 5 or 项 7 digits), likewise.
std::string CatalogueFunctionalName(int edition, std::string_view code);

}  // namespace yusuan::report

#endif  // YUSUAN_SERVICES_REPORT_DOMAIN_CATALOGUE_NAMES_H_
