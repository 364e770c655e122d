// gRPC adapter of the ledger: storage of departments and budget revisions in
// RocksDB, with the domain (catalogue, projections, rules) doing the work.
#ifndef YUSUAN_SERVICES_LEDGER_LEDGER_SERVER_H_
#define YUSUAN_SERVICES_LEDGER_LEDGER_SERVER_H_

#include <functional>
#include <memory>

#include "services/common/store.h"
#include "services/common/worker_pool.h"
#include "services/ledger/catalogue_registry.h"
#include "services/ledger/domain/catalogue.h"
#include "yusuan/ledger/v1/ledger_service.grpc.pb.h"

namespace yusuan::ledger {

// Column families of the ledger's RocksDB.
inline constexpr char kDepartmentsCf[] = "departments";
inline constexpr char kBudgetHeadsCf[] = "budget_heads";  // current-draft pointer
inline constexpr char kRevisionsCf[] = "budget_revisions";  // immutable
inline constexpr char kIdempotencyCf[] = "idempotency";
inline constexpr char kWorkflowCf[] = "workflow";          // budget key → WorkflowState
inline constexpr char kVersionsCf[] = "budget_versions";   // immutable history
// Imported catalogues: kCatalogueHeadsCf and kCatalogueVersionsCf (catalogue_registry.h).

std::vector<std::string> LedgerColumnFamilies();

class LedgerServer final : public yusuan::ledger::v1::LedgerService::CallbackService {
 public:
  // `catalogues` is not owned and must outlive the server.
  LedgerServer(Store* store, WorkerPool* pool, CatalogueRegistry* catalogues);

  grpc::ServerUnaryReactor* ListRules(grpc::CallbackServerContext* context,
                                      const yusuan::common::v1::ListRulesRequest* request,
                                      yusuan::common::v1::RuleSet* response) override;
  grpc::ServerUnaryReactor* CreateDepartment(grpc::CallbackServerContext* context,
                                             const v1::CreateDepartmentRequest* request,
                                             v1::Department* response) override;
  grpc::ServerUnaryReactor* UpdateDepartment(grpc::CallbackServerContext* context,
                                             const v1::UpdateDepartmentRequest* request,
                                             v1::Department* response) override;
  grpc::ServerUnaryReactor* GetDepartment(grpc::CallbackServerContext* context,
                                          const v1::GetDepartmentRequest* request,
                                          v1::Department* response) override;
  grpc::ServerUnaryReactor* ListDepartments(grpc::CallbackServerContext* context,
                                            const v1::ListDepartmentsRequest* request,
                                            v1::ListDepartmentsResponse* response) override;
  grpc::ServerUnaryReactor* PutBudget(grpc::CallbackServerContext* context,
                                      const v1::PutBudgetRequest* request,
                                      v1::Budget* response) override;
  grpc::ServerUnaryReactor* GetBudget(grpc::CallbackServerContext* context,
                                      const v1::GetBudgetRequest* request,
                                      v1::Budget* response) override;
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
  grpc::ServerUnaryReactor* ComputeTables(grpc::CallbackServerContext* context,
                                          const v1::ComputeTablesRequest* request,
                                          v1::BudgetTables* response) override;
  grpc::ServerUnaryReactor* GetCatalogue(grpc::CallbackServerContext* context,
                                         const v1::GetCatalogueRequest* request,
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
  void PutDepartment(grpc::ServerUnaryReactor* reactor, const v1::Department& department,
                     const std::string& request_id, bool must_not_exist, bool allow_missing,
                     v1::Department* response);
  absl::StatusOr<v1::Department> LoadDepartment(const std::string& name) const;
  // The budget with its workflow status (the revision itself is immutable;
  // its status lives in the workflow state).
  absl::StatusOr<v1::Budget> LoadBudget(const std::string& name, int64_t revision) const;
  // 表1–表8 of `budget` with the catalogue of its edition in `served`.
  absl::StatusOr<v1::BudgetTables> Project(const ServedCatalogues& served, const v1::Department& department,
                                           const v1::Budget& budget) const;

  Store* store_;
  WorkerPool* pool_;
  CatalogueRegistry* catalogues_;
};

}  // namespace yusuan::ledger

#endif  // YUSUAN_SERVICES_LEDGER_LEDGER_SERVER_H_
