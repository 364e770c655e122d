// A filing's workflow state as people read it, for every service and the
// CLI alike: "草稿", "已提交", "已退回", "已审核", "已公开" (and English).
#ifndef YUSUAN_SERVICES_COMMON_FILING_STATUS_H_
#define YUSUAN_SERVICES_COMMON_FILING_STATUS_H_

#include "yusuan/ledger/v1/ledger.pb.h"

namespace yusuan {

// "未知" / "unknown" for FILING_STATUS_UNSPECIFIED and values the enum lacks.
const char* FilingStatusNameZh(yusuan::ledger::v1::FilingStatus status);
const char* FilingStatusNameEn(yusuan::ledger::v1::FilingStatus status);

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_FILING_STATUS_H_
