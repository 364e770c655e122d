#include "services/common/filing_status.h"

namespace yusuan {

namespace v1 = yusuan::ledger::v1;

const char* FilingStatusNameZh(v1::FilingStatus status) {
  switch (status) {
    case v1::FILING_STATUS_DRAFT:
      return "草稿";
    case v1::FILING_STATUS_SUBMITTED:
      return "已提交";
    case v1::FILING_STATUS_RETURNED:
      return "已退回";
    case v1::FILING_STATUS_APPROVED:
      return "已审核";
    case v1::FILING_STATUS_PUBLISHED:
      return "已公开";
    default:
      return "未知";
  }
}

const char* FilingStatusNameEn(v1::FilingStatus status) {
  switch (status) {
    case v1::FILING_STATUS_DRAFT:
      return "draft";
    case v1::FILING_STATUS_SUBMITTED:
      return "submitted";
    case v1::FILING_STATUS_RETURNED:
      return "returned";
    case v1::FILING_STATUS_APPROVED:
      return "approved";
    case v1::FILING_STATUS_PUBLISHED:
      return "published";
    default:
      return "unknown";
  }
}

}  // namespace yusuan
