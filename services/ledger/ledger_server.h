// gRPC adapter of the ledger: each call runs LedgerCore (ledger_core.h) on the
// worker pool, never in the reaction, and answers its status with the
// structured details the core attached (errors.h).
#ifndef YUSUAN_SERVICES_LEDGER_LEDGER_SERVER_H_
#define YUSUAN_SERVICES_LEDGER_LEDGER_SERVER_H_

#include <functional>

#include "services/common/store.h"
#include "services/common/worker_pool.h"
#include "services/ledger/catalogue_registry.h"
#include "services/ledger/ledger_core.h"
#include "yusuan/ledger/v1/ledger_service.grpc.pb.h"

namespace yusuan::ledger {

// Reads that pass stored records on are raw methods: the server sends the
// bytes the core made from the records (LedgerCore::…Wire) as they are.
using LedgerServiceBase = yusuan::ledger::v1::LedgerService::WithRawCallbackMethod_GetDepartment<
    yusuan::ledger::v1::LedgerService::WithRawCallbackMethod_ListDepartments<
        yusuan::ledger::v1::LedgerService::WithRawCallbackMethod_GetBudget<
            yusuan::ledger::v1::LedgerService::CallbackService>>>;

class LedgerServer final : public LedgerServiceBase {
 public:
  // Nothing is owned; `store` and `catalogues` must outlive the server, and
  // the pool must be drained before the server is destroyed.
  // `watch_pool` (may be null: `pool`) runs ReadChanges, which waits for new
  // changes: its own threads, so that waiting readers of the change feed
  // never hold the threads writes and reads need.
  LedgerServer(Store* store, WorkerPool* pool, CatalogueRegistry* catalogues, WorkerPool* watch_pool = nullptr);

  grpc::ServerUnaryReactor* ListRules(grpc::CallbackServerContext* context,
                                      const yusuan::common::v1::ListRulesRequest* request,
                                      yusuan::common::v1::RuleSet* response) override;
  grpc::ServerUnaryReactor* CreateDepartment(grpc::CallbackServerContext* context,
                                             const v1::CreateDepartmentRequest* request,
                                             v1::Department* response) override;
  grpc::ServerUnaryReactor* UpdateDepartment(grpc::CallbackServerContext* context,
                                             const v1::UpdateDepartmentRequest* request,
                                             v1::Department* response) override;
  grpc::ServerUnaryReactor* GetDepartment(grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListDepartments(grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                                            grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* CommitFiling(grpc::CallbackServerContext* context, const v1::CommitFilingRequest* request,
                                         v1::CommitFilingResponse* response) override;
  grpc::ServerUnaryReactor* PinGoals(grpc::CallbackServerContext* context, const v1::PinGoalsRequest* request,
                                     v1::GoalsPin* response) override;
  grpc::ServerUnaryReactor* GetGoalsPin(grpc::CallbackServerContext* context, const v1::GetGoalsPinRequest* request,
                                        v1::GoalsPin* response) override;
  grpc::ServerUnaryReactor* ReadChanges(grpc::CallbackServerContext* context, const v1::ReadChangesRequest* request,
                                        v1::ReadChangesResponse* response) override;
  grpc::ServerUnaryReactor* GetReportRevision(grpc::CallbackServerContext* context,
                                              const v1::GetReportRevisionRequest* request,
                                              v1::ReportRevision* response) override;
  grpc::ServerUnaryReactor* GetRollup(grpc::CallbackServerContext* context, const v1::GetRollupRequest* request,
                                      v1::Rollup* response) override;
  grpc::ServerUnaryReactor* PutBudget(grpc::CallbackServerContext* context, const v1::PutBudgetRequest* request,
                                      v1::Budget* response) override;
  grpc::ServerUnaryReactor* GetBudget(grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* CheckBudgetEditable(grpc::CallbackServerContext* context,
                                                const v1::CheckBudgetEditableRequest* request,
                                                v1::CheckBudgetEditableResponse* response) override;
  grpc::ServerUnaryReactor* ListBudgetRevisions(grpc::CallbackServerContext* context,
                                                const v1::ListBudgetRevisionsRequest* request,
                                                v1::ListBudgetRevisionsResponse* response) override;
  grpc::ServerUnaryReactor* DiffBudgetRevisions(grpc::CallbackServerContext* context,
                                                const v1::DiffBudgetRevisionsRequest* request,
                                                v1::RevisionDiff* response) override;
  grpc::ServerUnaryReactor* TransitionBudget(grpc::CallbackServerContext* context,
                                             const v1::TransitionBudgetRequest* request,
                                             v1::BudgetVersion* response) override;
  grpc::ServerUnaryReactor* ListBudgetVersions(grpc::CallbackServerContext* context,
                                               const v1::ListBudgetVersionsRequest* request,
                                               v1::ListBudgetVersionsResponse* response) override;
  grpc::ServerUnaryReactor* ListSubmissions(grpc::CallbackServerContext* context,
                                            const v1::ListSubmissionsRequest* request,
                                            v1::ListSubmissionsResponse* response) override;
  grpc::ServerUnaryReactor* ValidateBudget(grpc::CallbackServerContext* context,
                                           const v1::ValidateBudgetRequest* request,
                                           yusuan::common::v1::ValidationReport* response) override;
  grpc::ServerUnaryReactor* ComputeTables(grpc::CallbackServerContext* context, const v1::ComputeTablesRequest* request,
                                          v1::BudgetTables* response) override;
  grpc::ServerUnaryReactor* GetCatalogue(grpc::CallbackServerContext* context, const v1::GetCatalogueRequest* request,
                                         v1::Catalogue* response) override;
  grpc::ServerUnaryReactor* ListCatalogues(grpc::CallbackServerContext* context,
                                           const v1::ListCataloguesRequest* request,
                                           v1::ListCataloguesResponse* response) override;
  grpc::ServerUnaryReactor* GetCatalogueCode(grpc::CallbackServerContext* context,
                                             const v1::GetCatalogueCodeRequest* request,
                                             v1::CatalogueCodeDetail* response) override;
  grpc::ServerUnaryReactor* DiffCatalogues(grpc::CallbackServerContext* context,
                                           const v1::DiffCataloguesRequest* request,
                                           v1::CatalogueDiff* response) override;
  grpc::ServerUnaryReactor* ImportCatalogue(grpc::CallbackServerContext* context,
                                            const v1::ImportCatalogueRequest* request,
                                            v1::CatalogueEdition* response) override;

 private:
  grpc::ServerUnaryReactor* Offload(grpc::CallbackServerContext* context,
                                    std::function<void(grpc::ServerUnaryReactor*)> work);

  WorkerPool* pool_;
  WorkerPool* watch_pool_;
  LedgerCore core_;
};

}  // namespace yusuan::ledger

#endif  // YUSUAN_SERVICES_LEDGER_LEDGER_SERVER_H_
