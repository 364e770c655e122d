// gRPC adapter of the goals service: goal sets as immutable revisions in
// RocksDB, checked by the domain rules.
#ifndef YUSUAN_SERVICES_GOALS_GOALS_SERVER_H_
#define YUSUAN_SERVICES_GOALS_GOALS_SERVER_H_

#include <string>
#include <vector>

#include "services/common/store.h"
#include "services/common/worker_pool.h"
#include "yusuan/goals/v1/goals.grpc.pb.h"

namespace yusuan::goals {

inline constexpr char kGoalHeadsCf[] = "goal_heads";
inline constexpr char kGoalRevisionsCf[] = "goal_revisions";
inline constexpr char kIdempotencyCf[] = "idempotency";

std::vector<std::string> GoalsColumnFamilies();

class GoalsServer final : public yusuan::goals::v1::GoalsService::CallbackService {
 public:
  GoalsServer(Store* store, WorkerPool* pool) : store_(store), pool_(pool) {}

  grpc::ServerUnaryReactor* ListRules(grpc::CallbackServerContext* context,
                                      const yusuan::common::v1::ListRulesRequest* request,
                                      yusuan::common::v1::RuleSet* response) override;
  grpc::ServerUnaryReactor* PutGoals(grpc::CallbackServerContext* context,
                                     const v1::PutGoalsRequest* request,
                                     v1::GoalSet* response) override;
  grpc::ServerUnaryReactor* GetGoals(grpc::CallbackServerContext* context,
                                     const v1::GetGoalsRequest* request,
                                     v1::GoalSet* response) override;
  grpc::ServerUnaryReactor* ValidateGoals(grpc::CallbackServerContext* context,
                                          const v1::ValidateGoalsRequest* request,
                                          yusuan::common::v1::ValidationReport* response) override;
  grpc::ServerUnaryReactor* ListGoalsRevisions(grpc::CallbackServerContext* context,
                                               const v1::ListGoalsRevisionsRequest* request,
                                               v1::ListGoalsRevisionsResponse* response) override;
  grpc::ServerUnaryReactor* DiffGoalsRevisions(grpc::CallbackServerContext* context,
                                               const v1::DiffGoalsRevisionsRequest* request,
                                               v1::GoalsDiff* response) override;

 private:
  Store* store_;
  WorkerPool* pool_;
};

}  // namespace yusuan::goals

#endif  // YUSUAN_SERVICES_GOALS_GOALS_SERVER_H_
