#include "services/ledger/domain/workflow.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "services/common/filing_status.h"

namespace yusuan::ledger {
namespace {

// The steps each state allows, for the refusal message.
std::string AllowedSteps(v1::FilingStatus status) {
  switch (status) {
    case v1::FILING_STATUS_DRAFT:
    case v1::FILING_STATUS_RETURNED:
      return "提交 submit, 修改 edit";
    case v1::FILING_STATUS_SUBMITTED:
      return "审核通过 approve, 退回 return";
    case v1::FILING_STATUS_APPROVED:
      return "公开 publish";
    case v1::FILING_STATUS_PUBLISHED:
      return "修改 edit (开始更正 starts an amendment)";
    default:
      return "";
  }
}

}  // namespace

v1::FilingStatus Normalize(v1::FilingStatus status) {
  return status == v1::FILING_STATUS_UNSPECIFIED ? v1::FILING_STATUS_DRAFT : status;
}

absl::StatusOr<v1::FilingStatus> NextStatus(v1::FilingStatus current, v1::WorkflowAction action) {
  current = Normalize(current);
  v1::FilingStatus next = v1::FILING_STATUS_UNSPECIFIED;
  switch (action) {
    case v1::WORKFLOW_ACTION_SUBMIT:
      if (current == v1::FILING_STATUS_DRAFT || current == v1::FILING_STATUS_RETURNED) {
        next = v1::FILING_STATUS_SUBMITTED;
      }
      break;
    case v1::WORKFLOW_ACTION_APPROVE:
      if (current == v1::FILING_STATUS_SUBMITTED) next = v1::FILING_STATUS_APPROVED;
      break;
    case v1::WORKFLOW_ACTION_RETURN:
      if (current == v1::FILING_STATUS_SUBMITTED) next = v1::FILING_STATUS_RETURNED;
      break;
    case v1::WORKFLOW_ACTION_PUBLISH:
      if (current == v1::FILING_STATUS_APPROVED) next = v1::FILING_STATUS_PUBLISHED;
      break;
    default:
      return absl::InvalidArgumentError(
          "action 未指定 / action is unspecified: use SUBMIT, APPROVE, RETURN or PUBLISH");
  }
  if (next == v1::FILING_STATUS_UNSPECIFIED) {
    return absl::FailedPreconditionError(absl::StrCat("当前状态为“", StatusNameZh(current), "”，不能",
                                                      ActionNameZh(action), " / the budget is ", StatusNameEn(current),
                                                      ": the step '", ActionNameEn(action),
                                                      "' is not allowed now; allowed: ", AllowedSteps(current)));
  }
  return next;
}

absl::StatusOr<v1::FilingStatus> StatusAfterEdit(v1::FilingStatus current) {
  current = Normalize(current);
  if (current == v1::FILING_STATUS_SUBMITTED || current == v1::FILING_STATUS_APPROVED) {
    return absl::FailedPreconditionError(absl::StrCat("当前状态为“", StatusNameZh(current),
                                                      "”，审核期间不能修改 / the budget is ", StatusNameEn(current),
                                                      " and cannot be edited while under review; ask the reviewer to "
                                                      "return it"));
  }
  return v1::FILING_STATUS_DRAFT;
}

const char* StatusNameZh(v1::FilingStatus status) { return FilingStatusNameZh(Normalize(status)); }

const char* StatusNameEn(v1::FilingStatus status) { return FilingStatusNameEn(Normalize(status)); }

const char* ActionNameZh(v1::WorkflowAction action) {
  switch (action) {
    case v1::WORKFLOW_ACTION_SUBMIT:
      return "提交";
    case v1::WORKFLOW_ACTION_APPROVE:
      return "审核通过";
    case v1::WORKFLOW_ACTION_RETURN:
      return "退回";
    case v1::WORKFLOW_ACTION_PUBLISH:
      return "公开";
    default:
      return "（未指定）";
  }
}

const char* ActionNameEn(v1::WorkflowAction action) {
  switch (action) {
    case v1::WORKFLOW_ACTION_SUBMIT:
      return "submit";
    case v1::WORKFLOW_ACTION_APPROVE:
      return "approve";
    case v1::WORKFLOW_ACTION_RETURN:
      return "return";
    case v1::WORKFLOW_ACTION_PUBLISH:
      return "publish";
    default:
      return "(unspecified)";
  }
}

absl::Status CheckValidationIsCurrent(const v1::WorkflowState& state, int64_t current_revision,
                                      std::string_view rule_set_version) {
  const v1::ValidationStamp& stamp = state.last_validation();
  const std::string again =
      "请重新校验已保存的预算（yusuan validate 预算名，或 POST …/budgets/{年度}:validate）后再提交 / "
      "validate the stored budget again (yusuan validate BUDGET_NAME, or POST …/budgets/{year}:validate), "
      "review the findings, then submit";
  if (stamp.revision() == 0 || stamp.rule_set_version().empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("该预算尚未按当前规则集校验 / this budget has no recorded validation: ", again));
  }
  if (stamp.revision() != current_revision) {
    return absl::FailedPreconditionError(absl::StrCat("上次校验的是修订版 ", stamp.revision(), "，当前为修订版 ",
                                                      current_revision, " / the last validation was of revision ",
                                                      stamp.revision(), ", the budget is at revision ",
                                                      current_revision, ": ", again));
  }
  if (stamp.rule_set_version() != rule_set_version) {
    return absl::FailedPreconditionError(
        absl::StrCat("上次校验使用规则集 ", stamp.rule_set_version(), "，早于当前规则集 ",
                     std::string(rule_set_version), " / the last validation used rule set ", stamp.rule_set_version(),
                     ", older than the current ", std::string(rule_set_version), ": ", again));
  }
  return absl::OkStatus();
}

}  // namespace yusuan::ledger
