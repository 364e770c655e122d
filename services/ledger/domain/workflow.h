// The filing workflow as a pure state machine:
//
//   DRAFT ──SUBMIT──► SUBMITTED ──APPROVE──► APPROVED ──PUBLISH──► PUBLISHED
//     ▲                  │                                            │
//     │               RETURN (comment)                         edit (amendment)
//     │                  ▼                                            │
//     └──── edit ─── RETURNED ──SUBMIT──► SUBMITTED                  ▼
//                                                                   DRAFT
//
// A submitted or approved budget cannot be edited; a returned one can (it
// becomes a draft again); editing a published one starts an amendment, and
// the published version stays in the history.
#ifndef YUSUAN_SERVICES_LEDGER_DOMAIN_WORKFLOW_H_
#define YUSUAN_SERVICES_LEDGER_DOMAIN_WORKFLOW_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "yusuan/ledger/v1/ledger.pb.h"

namespace yusuan::ledger {

// Budgets stored before the workflow existed have no state: they are drafts.
v1::FilingStatus Normalize(v1::FilingStatus status);

// The status after `action`, or FAILED_PRECONDITION naming the current state
// and the steps it allows; INVALID_ARGUMENT for an unspecified action.
absl::StatusOr<v1::FilingStatus> NextStatus(v1::FilingStatus current, v1::WorkflowAction action);

// The status after replacing the draft, or FAILED_PRECONDITION when the
// budget is under review (SUBMITTED, APPROVED).
absl::StatusOr<v1::FilingStatus> StatusAfterEdit(v1::FilingStatus current);

// OK when `state.last_validation` is of `current_revision` and was made by
// `rule_set_version`; FAILED_PRECONDITION otherwise, saying which, with both
// versions, and how to validate again. SUBMIT requires it: the preparer must
// have seen the findings of the rules the reviewer will see.
absl::Status CheckValidationIsCurrent(const v1::WorkflowState& state, int64_t current_revision,
                                      std::string_view rule_set_version);

const char* StatusNameZh(v1::FilingStatus status);    // 草稿, 已提交 …
const char* StatusNameEn(v1::FilingStatus status);    // draft, submitted …
const char* ActionNameZh(v1::WorkflowAction action);  // 提交, 审核通过 …
const char* ActionNameEn(v1::WorkflowAction action);  // submit, approve …

}  // namespace yusuan::ledger

#endif  // YUSUAN_SERVICES_LEDGER_DOMAIN_WORKFLOW_H_
