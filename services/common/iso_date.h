// Dates as filings write them: YYYY-MM-DD, and a real one ("2021-02-29"
// is not). Shared by the ledger's and the goals' rules.
#ifndef YUSUAN_SERVICES_COMMON_ISO_DATE_H_
#define YUSUAN_SERVICES_COMMON_ISO_DATE_H_

#include <string_view>

namespace yusuan {

bool IsIsoDate(std::string_view text);

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_ISO_DATE_H_
