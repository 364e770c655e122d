// ImportFilings, one filing at a time: the orchestration a stream of
// filings shares with ApplyFiling, plus the comparison with what is stored
// that makes importing the same file twice write nothing.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/common/errors.h"
#include "services/gateway/names.h"
#include "services/gateway/orchestrator.h"

namespace yusuan::gateway {
namespace {

using yusuan::common::v1::Finding;
using yusuan::common::v1::ValidationReport;
namespace gv1 = yusuan::gateway::v1;
namespace lv1 = yusuan::ledger::v1;
namespace ov1 = yusuan::goals::v1;

// What the server sets on each part is not what a filer sends: cleared on
// both sides before comparing. A filer's etag is a precondition, not content.
void ClearServerFields(lv1::Department& department) {
  department.clear_etag();
  department.clear_update_time_unix_ms();
}
void ClearServerFields(lv1::Budget& budget) {
  budget.clear_status();
  budget.clear_etag();
  budget.clear_revision();
  budget.clear_update_time_unix_ms();
}
void ClearServerFields(ov1::GoalSet& goals) {
  goals.clear_etag();
  goals.clear_revision();
  goals.clear_update_time_unix_ms();
}

template <typename Message>
bool SameContent(Message sent, Message stored) {
  ClearServerFields(sent);
  ClearServerFields(stored);
  return google::protobuf::util::MessageDifferencer::Equals(sent, stored);
}

// A refusal's findings travel in `validation`, not twice: the ValidationReport
// RejectedByRules attaches is moved out of the status details.
void Refuse(const absl::Status& status, gv1::ImportFilingsResponse& result) {
  result.set_outcome(gv1::ImportFilingsResponse::OUTCOME_REFUSED);
  google::rpc::Status error = ToRpcStatus(status);
  google::rpc::Status kept;
  kept.set_code(error.code());
  kept.set_message(error.message());
  for (const auto& detail : error.details()) {
    if (detail.Is<ValidationReport>() && detail.UnpackTo(result.mutable_validation())) continue;
    *kept.add_details() = detail;
  }
  *result.mutable_error() = std::move(kept);
}

}  // namespace

gv1::ImportFilingsResponse Orchestrator::ImportFiling(const gv1::Filing& sent, int64_t index,
                                                      const std::string& import_request_id, const CallOptions& call) {
  gv1::ImportFilingsResponse result;
  result.set_index(index);
  result.set_request_id(import_request_id);
  gv1::Filing filing = sent;
  std::vector<Finding> name_findings = FillFilingNames(filing);
  result.set_budget_name(filing.budget().name());
  if (absl::Status admitted = AdmitFiling(call, "ImportFilings", filing); !admitted.ok()) {
    Refuse(admitted, result);
    return result;
  }
  // Names that disagree with the codes are findings of the validation below;
  // only a filing whose names hold can equal what is stored under them.
  if (name_findings.empty()) {
    absl::StatusOr<std::optional<gv1::ApplyFilingResponse>> stored = StoredIfSame(filing, call);
    if (!stored.ok()) {
      Refuse(stored.status(), result);
      return result;
    }
    if (stored->has_value()) {
      result.set_outcome(gv1::ImportFilingsResponse::OUTCOME_UNCHANGED);
      result.set_budget_revision((*stored)->budget().revision());
      result.set_goals_revision((*stored)->goals().revision());
      return result;
    }
  }
  absl::StatusOr<gv1::ApplyFilingResponse> applied =
      StoreFiling(filing, std::move(name_findings), absl::StrCat(import_request_id, "/", index), call);
  if (!applied.ok()) {
    Refuse(applied.status(), result);
    return result;
  }
  result.set_outcome(gv1::ImportFilingsResponse::OUTCOME_APPLIED);
  result.set_budget_revision(applied->budget().revision());
  result.set_goals_revision(applied->goals().revision());
  *result.mutable_validation() = std::move(*applied->mutable_validation());
  return result;
}

absl::StatusOr<std::optional<gv1::ApplyFilingResponse>> Orchestrator::StoredIfSame(const gv1::Filing& filing,
                                                                                   const CallOptions& call) {
  const ShardConnection* shard = nullptr;
  if (absl::Status routed = RouteRegion(filing.department().region_code(), &shard); !routed.ok()) return routed;
  gv1::ApplyFilingResponse stored;
  {
    lv1::GetDepartmentRequest request;
    request.set_name(filing.department().name());
    auto context = NewContext(call);
    grpc::Status status = shard->ledger->GetDepartment(context.get(), request, stored.mutable_department());
    if (status.error_code() == grpc::StatusCode::NOT_FOUND) return std::nullopt;
    if (!status.ok()) return MapError(*shard, Backend::kLedger, status);
    if (!SameContent(filing.department(), stored.department())) return std::nullopt;
  }
  {
    lv1::GetBudgetRequest request;
    request.set_name(filing.budget().name());
    auto context = NewContext(call);
    grpc::Status status = shard->ledger->GetBudget(context.get(), request, stored.mutable_budget());
    if (status.error_code() == grpc::StatusCode::NOT_FOUND) return std::nullopt;
    if (!status.ok()) return MapError(*shard, Backend::kLedger, status);
    if (!SameContent(filing.budget(), stored.budget())) return std::nullopt;
  }
  absl::StatusOr<BudgetName> name = ParseBudgetName(filing.budget().name());
  if (!name.ok()) return std::nullopt;
  absl::StatusOr<ov1::GoalSet> goals = ReadCurrentGoals(*name, call);
  if (absl::IsNotFound(goals.status())) return std::nullopt;
  if (!goals.ok()) return goals.status();
  if (!SameContent(filing.goals(), *goals)) return std::nullopt;
  *stored.mutable_goals() = *std::move(goals);
  return stored;
}

}  // namespace yusuan::gateway
