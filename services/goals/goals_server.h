// gRPC adapter of the goals service: each call runs GoalsCore (goals_core.h)
// on the worker pool, never in the reaction, and answers its status with the
// structured details the core attached (errors.h).
#ifndef YUSUAN_SERVICES_GOALS_GOALS_SERVER_H_
#define YUSUAN_SERVICES_GOALS_GOALS_SERVER_H_

#include "services/common/store.h"
#include "services/common/worker_pool.h"
#include "services/goals/goals_core.h"
#include "yusuan/goals/v1/goals.grpc.pb.h"

namespace yusuan::goals {

// The reads of a stored revision are raw methods: the server sends the
// stored bytes as they are (GoalsCore::…Wire).
// PromoteGoals answers the promoted revision's stored bytes the same way.
using GoalsServiceBase = yusuan::goals::v1::GoalsService::WithRawCallbackMethod_GetGoals<
    yusuan::goals::v1::GoalsService::WithRawCallbackMethod_GetGoalsRevision<
        yusuan::goals::v1::GoalsService::WithRawCallbackMethod_PromoteGoals<
            yusuan::goals::v1::GoalsService::CallbackService>>>;

class GoalsServer final : public GoalsServiceBase {
 public:
  // Nothing is owned; `store` must outlive the server, and the pool must be
  // drained before the server is destroyed.
  GoalsServer(Store* store, WorkerPool* pool);

  grpc::ServerUnaryReactor* ListRules(grpc::CallbackServerContext* context,
                                      const yusuan::common::v1::ListRulesRequest* request,
                                      yusuan::common::v1::RuleSet* response) override;
  grpc::ServerUnaryReactor* PutGoals(grpc::CallbackServerContext* context, const v1::PutGoalsRequest* request,
                                     v1::GoalSet* response) override;
  grpc::ServerUnaryReactor* GetGoals(grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                                     grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ValidateGoals(grpc::CallbackServerContext* context, const v1::ValidateGoalsRequest* request,
                                          yusuan::common::v1::ValidationReport* response) override;
  grpc::ServerUnaryReactor* ListGoalsRevisions(grpc::CallbackServerContext* context,
                                               const v1::ListGoalsRevisionsRequest* request,
                                               v1::ListGoalsRevisionsResponse* response) override;
  grpc::ServerUnaryReactor* DiffGoalsRevisions(grpc::CallbackServerContext* context,
                                               const v1::DiffGoalsRevisionsRequest* request,
                                               v1::GoalsDiff* response) override;
  grpc::ServerUnaryReactor* StageGoals(grpc::CallbackServerContext* context, const v1::PutGoalsRequest* request,
                                       v1::StageGoalsResponse* response) override;
  grpc::ServerUnaryReactor* PromoteGoals(grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* AbandonGoals(grpc::CallbackServerContext* context, const v1::GoalsRevisionRef* request,
                                         v1::AbandonGoalsResponse* response) override;
  grpc::ServerUnaryReactor* ListStagedGoals(grpc::CallbackServerContext* context,
                                            const v1::ListStagedGoalsRequest* request,
                                            v1::ListStagedGoalsResponse* response) override;
  grpc::ServerUnaryReactor* GetGoalsRevision(grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                                             grpc::ByteBuffer* response) override;

 private:
  WorkerPool* pool_;
  GoalsCore core_;
};

}  // namespace yusuan::goals

#endif  // YUSUAN_SERVICES_GOALS_GOALS_SERVER_H_
