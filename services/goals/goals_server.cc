#include "services/goals/goals_server.h"

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/rule_catalogue.h"
#include "services/goals/domain/rule_catalogue.h"
#include "services/common/resource_names.h"
#include "services/common/revisions.h"
#include "services/common/server.h"
#include "services/goals/domain/diff.h"
#include "services/goals/domain/rules.h"

namespace yusuan::goals {
namespace {

const RevisionedFamilies kGoalFamilies{kGoalHeadsCf, kGoalRevisionsCf};

}  // namespace

std::vector<std::string> GoalsColumnFamilies() {
  return {kGoalHeadsCf, kGoalRevisionsCf, kIdempotencyCf};
}

grpc::ServerUnaryReactor* GoalsServer::PutGoals(grpc::CallbackServerContext* context,
                                                const v1::PutGoalsRequest* request,
                                                v1::GoalSet* response) {
  // Rule checks run on the pool; the write goes to the store's writer thread.
  return OffloadUnary(context, pool_, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    auto parsed = ParseGoalsName(request->goals().name());
    if (!parsed.ok()) {
      reactor->Finish(ToGrpcStatus(parsed.status()));
      return;
    }
    yusuan::common::v1::ValidationReport report = ValidateGoalSet(request->goals());
    if (report.fatal_count() > 0) {
      reactor->Finish(ToGrpcStatus(RejectedByRules(report, "绩效目标", "the goals")));
      return;
    }
    if (request->goals().fiscal_year() != parsed->year) {
      reactor->Finish(ToGrpcStatus(absl::InvalidArgumentError(absl::StrCat(
          "goals.fiscalYear 与名称中的年度不一致 / goals.fiscalYear ", request->goals().fiscal_year(),
          " disagrees with the year in the name (", parsed->year, ")"))));
      return;
    }
    const std::string key = parsed->Key();
    const std::string request_id = request->request_id();
    v1::GoalSet goals = request->goals();
    const std::string fingerprint = RequestFingerprint(goals);
    store_->Submit(
        [goals, key, request_id, fingerprint,
         response](Store::Txn& txn) mutable -> absl::Status {
          auto seen =
              ReplayIfSeen(txn, kIdempotencyCf, "PutGoals", request_id, fingerprint, response);
          if (!seen.ok()) return seen.status();
          if (*seen) return absl::OkStatus();
          absl::Status written = WriteNextRevision(txn, kGoalFamilies, key, goals);
          if (!written.ok()) return written;
          *response = goals;
          RememberAnswer(txn, kIdempotencyCf, "PutGoals", request_id, fingerprint, goals);
          return absl::OkStatus();
        },
        [reactor](absl::Status status) { reactor->Finish(ToGrpcStatus(status)); });
  });
}

grpc::ServerUnaryReactor* GoalsServer::GetGoals(grpc::CallbackServerContext* context,
                                                const v1::GetGoalsRequest* request,
                                                v1::GoalSet* response) {
  return OffloadUnary(context, pool_, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    auto parsed = ParseGoalsName(request->name());
    if (!parsed.ok()) {
      reactor->Finish(ToGrpcStatus(parsed.status()));
      return;
    }
    auto bytes = ReadRevision(*store_, kGoalFamilies, parsed->Key(), request->revision());
    absl::Status status = bytes.status();
    if (absl::IsNotFound(status)) {
      status = WithReason(absl::NotFoundError(absl::StrCat("绩效目标不存在 / goals not found: ",
                                                           request->name())),
                          "NOT_FOUND");
    } else if (bytes.ok() && !response->ParseFromString(*bytes)) {
      status = absl::DataLossError("stored goals are unreadable");
    }
    reactor->Finish(ToGrpcStatus(status));
  });
}

grpc::ServerUnaryReactor* GoalsServer::ValidateGoals(grpc::CallbackServerContext* context,
                                                     const v1::ValidateGoalsRequest* request,
                                                     yusuan::common::v1::ValidationReport* response) {
  return OffloadUnary(context, pool_, [request, response](grpc::ServerUnaryReactor* reactor) {
    *response = ValidateGoalSet(request->goals());
    reactor->Finish(grpc::Status::OK);
  });
}

grpc::ServerUnaryReactor* GoalsServer::ListGoalsRevisions(grpc::CallbackServerContext* context,
                                                          const v1::ListGoalsRevisionsRequest* request,
                                                          v1::ListGoalsRevisionsResponse* response) {
  return OffloadUnary(context, pool_, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    auto parsed = ParseGoalsName(request->name());
    if (!parsed.ok()) return reactor->Finish(ToGrpcStatus(parsed.status()));
    auto next = ScanNumberedPage(*store_, kGoalRevisionsCf, parsed->Key(), request->page_token(),
                                 PageSize(request->page_size()), response->mutable_revisions());
    if (next.ok()) response->set_next_page_token(*next);
    reactor->Finish(ToGrpcStatus(next.status()));
  });
}

grpc::ServerUnaryReactor* GoalsServer::DiffGoalsRevisions(grpc::CallbackServerContext* context,
                                                          const v1::DiffGoalsRevisionsRequest* request,
                                                          v1::GoalsDiff* response) {
  return OffloadUnary(context, pool_, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    if (request->from_revision() <= 0 || request->to_revision() < 0) {
      return reactor->Finish(ToGrpcStatus(absl::InvalidArgumentError(
          "from_revision 必须为正整数，to_revision 为 0（当前）或正整数 / from_revision must be positive and "
          "to_revision 0 (current) or positive")));
    }
    auto parsed = ParseGoalsName(request->name());
    if (!parsed.ok()) return reactor->Finish(ToGrpcStatus(parsed.status()));
    v1::GoalSet before, after;
    for (auto [revision, into] : {std::pair{request->from_revision(), &before},
                                  std::pair{request->to_revision(), &after}}) {
      auto bytes = ReadRevision(*store_, kGoalFamilies, parsed->Key(), revision);
      if (!bytes.ok()) {
        absl::Status status = bytes.status();
        if (absl::IsNotFound(status)) {
          status = WithReason(absl::NotFoundError(absl::StrCat("绩效目标修订版不存在 / no revision ", revision,
                                                               " of ", request->name())),
                              "NOT_FOUND");
        }
        return reactor->Finish(ToGrpcStatus(status));
      }
      if (!into->ParseFromString(*bytes)) {
        return reactor->Finish(ToGrpcStatus(absl::DataLossError("stored goals are unreadable")));
      }
    }
    *response = DiffGoalSets(before, after);
    response->set_name(request->name());
    reactor->Finish(grpc::Status::OK);
  });
}

// The rule list is in memory: answered in the reaction.
grpc::ServerUnaryReactor* GoalsServer::ListRules(grpc::CallbackServerContext* context,
                                              const yusuan::common::v1::ListRulesRequest*,
                                              yusuan::common::v1::RuleSet* response) {
  auto* reactor = context->DefaultReactor();
  if (absl::Status guard = CheckCallGuard(*context); !guard.ok()) {
    reactor->Finish(ToGrpcStatus(guard));
    return reactor;
  }
  response->set_version(kRuleSetVersion);
  for (const auto& rule : GoalRules()) *response->add_rules() = rule;
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace yusuan::goals
