#include "services/goals/goals_server.h"

#include <utility>

#include "services/common/errors.h"
#include "services/common/revisions.h"
#include "services/common/server.h"

namespace yusuan::goals {
GoalsServer::GoalsServer(Store* store, WorkerPool* pool) : pool_(pool), core_(store, NowUnixMillis) {}

// Rule checks and storage reads run on the pool; a put's write then goes to
// the store's writer thread, which answers the call once it is durable.
grpc::ServerUnaryReactor* GoalsServer::PutGoals(grpc::CallbackServerContext* context,
                                                const v1::PutGoalsRequest* request, v1::GoalSet* response) {
  return OffloadUnary(context, pool_, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    core_.PutGoals(*request, AnswerWhenDone(reactor, response));
  });
}

grpc::ServerUnaryReactor* GoalsServer::GetGoals(grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                                                grpc::ByteBuffer* response) {
  return OffloadWireUnary<v1::GetGoalsRequest>(
      context, pool_, request, response,
      [this](const v1::GetGoalsRequest& parsed) { return core_.GetGoalsWire(parsed); });
}

grpc::ServerUnaryReactor* GoalsServer::ValidateGoals(grpc::CallbackServerContext* context,
                                                     const v1::ValidateGoalsRequest* request,
                                                     yusuan::common::v1::ValidationReport* response) {
  return OffloadUnary(context, pool_, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    *response = core_.ValidateGoals(*request);
    FinishUnary(reactor, grpc::Status::OK);
  });
}

grpc::ServerUnaryReactor* GoalsServer::ListGoalsRevisions(grpc::CallbackServerContext* context,
                                                          const v1::ListGoalsRevisionsRequest* request,
                                                          v1::ListGoalsRevisionsResponse* response) {
  return OffloadUnary(context, pool_, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    AnswerUnary(reactor, response, core_.ListGoalsRevisions(*request));
  });
}

grpc::ServerUnaryReactor* GoalsServer::DiffGoalsRevisions(grpc::CallbackServerContext* context,
                                                          const v1::DiffGoalsRevisionsRequest* request,
                                                          v1::GoalsDiff* response) {
  return OffloadUnary(context, pool_, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    AnswerUnary(reactor, response, core_.DiffGoalsRevisions(*request));
  });
}

grpc::ServerUnaryReactor* GoalsServer::StageGoals(grpc::CallbackServerContext* context,
                                                  const v1::PutGoalsRequest* request,
                                                  v1::StageGoalsResponse* response) {
  return OffloadUnary(context, pool_, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    core_.StageGoals(*request, AnswerWhenDone(reactor, response));
  });
}

grpc::ServerUnaryReactor* GoalsServer::PromoteGoals(grpc::CallbackServerContext* context,
                                                    const grpc::ByteBuffer* request, grpc::ByteBuffer* response) {
  return OffloadWireWrite<v1::GoalsRevisionRef>(context, pool_, request, response,
                                                [this](const v1::GoalsRevisionRef& parsed, Done<std::string> done) {
                                                  core_.PromoteGoalsWire(parsed, std::move(done));
                                                });
}

grpc::ServerUnaryReactor* GoalsServer::AbandonGoals(grpc::CallbackServerContext* context,
                                                    const v1::GoalsRevisionRef* request,
                                                    v1::AbandonGoalsResponse* response) {
  return OffloadUnary(context, pool_, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    core_.AbandonGoals(*request, AnswerWhenDone(reactor, response));
  });
}

grpc::ServerUnaryReactor* GoalsServer::ListStagedGoals(grpc::CallbackServerContext* context,
                                                       const v1::ListStagedGoalsRequest* request,
                                                       v1::ListStagedGoalsResponse* response) {
  return OffloadUnary(context, pool_, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    AnswerUnary(reactor, response, core_.ListStagedGoals(*request));
  });
}

grpc::ServerUnaryReactor* GoalsServer::GetGoalsRevision(grpc::CallbackServerContext* context,
                                                        const grpc::ByteBuffer* request, grpc::ByteBuffer* response) {
  return OffloadWireUnary<v1::GoalsRevisionRef>(
      context, pool_, request, response,
      [this](const v1::GoalsRevisionRef& parsed) { return core_.GetGoalsRevisionWire(parsed); });
}

// The rule list is in memory: answered in the reaction.
grpc::ServerUnaryReactor* GoalsServer::ListRules(grpc::CallbackServerContext* context,
                                                 const yusuan::common::v1::ListRulesRequest*,
                                                 yusuan::common::v1::RuleSet* response) {
  grpc::ServerUnaryReactor* reactor = NewUnaryReactor(context);
  if (absl::Status guard = CheckCallGuard(*context); !guard.ok()) {
    FinishUnary(reactor, ToGrpcStatus(guard));
    return reactor;
  }
  *response = core_.ListRules();
  FinishUnary(reactor, grpc::Status::OK);
  return reactor;
}

}  // namespace yusuan::goals
