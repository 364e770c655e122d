// submit, approve, return, publish, history: the budget's workflow steps and
// their record.
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/random_id.h"
#include "tools/yusuan/commands.h"
#include "tools/yusuan/exit_codes.h"
#include "tools/yusuan/print.h"

namespace yusuan::cli {
namespace {

namespace lv1 = yusuan::ledger::v1;

// "cli-submit-5f0c…": 128 random bits, so two people's steps never share one.
std::string GeneratedRequestId(const std::string& command) { return absl::StrCat("cli-", command, "-", RandomHexId()); }

int Transition(Client& client, const Args& args, lv1::WorkflowAction action) {
  if (!CheckBudgetName(args, args.command)) return kUsage;
  if (action == lv1::WORKFLOW_ACTION_RETURN && args.comment.empty()) {
    return Usage("return 需要 --comment 说明退回原因 / return needs --comment saying what to change");
  }
  lv1::TransitionBudgetRequest request;
  request.set_name(args.positional[0]);
  request.set_action(action);
  request.set_comment(args.comment);
  // Every step carries a request id, so that a step whose answer was lost
  // (a dropped connection, a gateway that died half-way through publishing)
  // can be retried without being taken twice.
  request.set_request_id(args.request_id.empty() ? GeneratedRequestId(args.command) : args.request_id);
  if (!client.Connect()) return kFailed;
  lv1::BudgetVersion version;
  grpc::Status status = client.Call(&Client::Stub::TransitionBudget, request, &version);
  if (!status.ok()) {
    const int code = PrintFailure(status);
    if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
        status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ||
        status.error_code() == grpc::StatusCode::INTERNAL) {
      std::cerr << "结果未知时请用同一请求号重试 / when the outcome is unknown, retry with the same id: --request-id "
                << request.request_id() << "\n";
    }
    return code;
  }
  std::cout << "版本 version " << version.version() << ": " << StatusName(version.from_status()) << " → "
            << StatusName(version.to_status()) << "\n"
            << "  预算 budget       " << request.name() << "  修订 revision " << version.ledger_revision() << "\n";
  if (version.goals_revision() != 0) {
    std::cout << "  绩效目标 goals    修订 revision " << version.goals_revision() << "\n";
  }
  if (!version.comment().empty()) std::cout << "  意见 comment      " << version.comment() << "\n";
  return kOk;
}

}  // namespace

int Submit(Client& client, const Args& args) { return Transition(client, args, lv1::WORKFLOW_ACTION_SUBMIT); }
int Approve(Client& client, const Args& args) { return Transition(client, args, lv1::WORKFLOW_ACTION_APPROVE); }
int Return(Client& client, const Args& args) { return Transition(client, args, lv1::WORKFLOW_ACTION_RETURN); }
int Publish(Client& client, const Args& args) { return Transition(client, args, lv1::WORKFLOW_ACTION_PUBLISH); }

int History(Client& client, const Args& args) {
  if (!CheckBudgetName(args, "history")) return kUsage;
  if (!client.Connect()) return kFailed;
  lv1::ListBudgetVersionsRequest request;
  request.set_name(args.positional[0]);
  std::vector<std::vector<std::string>> rows = {{"版本 version", "步骤 action", "状态 from → to", "预算修订 ledger rev",
                                                 "目标修订 goals rev", "时间 time (UTC)", "意见 comment"}};
  grpc::Status status =
      client.ForEachPage(&Client::Stub::ListBudgetVersions, request, [&](lv1::ListBudgetVersionsResponse& page) {
        for (const auto& v : page.versions()) {
          rows.push_back({absl::StrCat(v.version()), ActionName(v.action()),
                          absl::StrCat(StatusName(v.from_status()), " → ", StatusName(v.to_status())),
                          absl::StrCat(v.ledger_revision()),
                          v.goals_revision() == 0 ? "-" : absl::StrCat(v.goals_revision()), IsoUtc(v.time_unix_ms()),
                          v.comment()});
        }
      });
  if (!status.ok()) return PrintFailure(status);
  if (rows.size() == 1) {
    std::cout << "尚无审批记录 / no versions yet: " << request.name() << "\n";
    return kOk;
  }
  PrintTable(rows);
  return kOk;
}

}  // namespace yusuan::cli
