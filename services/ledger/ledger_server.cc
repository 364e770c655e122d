#include "services/ledger/ledger_server.h"

#include <algorithm>
#include <utility>

#include "services/common/errors.h"
#include "services/common/revisions.h"
#include "services/common/server.h"

namespace yusuan::ledger {
namespace {

// Calls whose answer is in memory are answered in the reaction; the guard
// that OffloadUnary would run is checked here instead.
template <typename T>
grpc::ServerUnaryReactor* AnswerInReaction(grpc::CallbackServerContext* context, T* response,
                                           const std::function<T()>& answer) {
  grpc::ServerUnaryReactor* reactor = NewUnaryReactor(context);
  if (absl::Status guard = CheckCallGuard(*context); !guard.ok()) {
    FinishUnary(reactor, ToGrpcStatus(guard));
    return reactor;
  }
  *response = answer();
  FinishUnary(reactor, grpc::Status::OK);
  return reactor;
}

}  // namespace

LedgerServer::LedgerServer(Store* store, WorkerPool* pool, CatalogueRegistry* catalogues, WorkerPool* watch_pool)
    : pool_(pool), watch_pool_(watch_pool != nullptr ? watch_pool : pool), core_(store, catalogues, NowUnixMillis) {}

// Reads and rule checks touch storage and take CPU time, so they run on the
// pool, never in the reaction; writes then go to the store's writer thread.
grpc::ServerUnaryReactor* LedgerServer::Offload(grpc::CallbackServerContext* context,
                                                std::function<void(grpc::ServerUnaryReactor*)> work) {
  return OffloadUnary(context, pool_, std::move(work));
}

grpc::ServerUnaryReactor* LedgerServer::ListRules(grpc::CallbackServerContext* context,
                                                  const yusuan::common::v1::ListRulesRequest*,
                                                  yusuan::common::v1::RuleSet* response) {
  return AnswerInReaction<yusuan::common::v1::RuleSet>(context, response, [this] { return core_.ListRules(); });
}

grpc::ServerUnaryReactor* LedgerServer::CreateDepartment(grpc::CallbackServerContext* context,
                                                         const v1::CreateDepartmentRequest* request,
                                                         v1::Department* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    core_.CreateDepartment(*request, AnswerWhenDone(reactor, response));
  });
}

grpc::ServerUnaryReactor* LedgerServer::UpdateDepartment(grpc::CallbackServerContext* context,
                                                         const v1::UpdateDepartmentRequest* request,
                                                         v1::Department* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    core_.UpdateDepartment(*request, AnswerWhenDone(reactor, response));
  });
}

grpc::ServerUnaryReactor* LedgerServer::GetDepartment(grpc::CallbackServerContext* context,
                                                      const grpc::ByteBuffer* request, grpc::ByteBuffer* response) {
  return OffloadWireUnary<v1::GetDepartmentRequest>(
      context, pool_, request, response,
      [this](const v1::GetDepartmentRequest& parsed) { return core_.GetDepartmentWire(parsed); });
}

grpc::ServerUnaryReactor* LedgerServer::ListDepartments(grpc::CallbackServerContext* context,
                                                        const grpc::ByteBuffer* request, grpc::ByteBuffer* response) {
  return OffloadWireUnary<v1::ListDepartmentsRequest>(
      context, pool_, request, response,
      [this](const v1::ListDepartmentsRequest& parsed) { return core_.ListDepartmentsWire(parsed); });
}

grpc::ServerUnaryReactor* LedgerServer::CommitFiling(grpc::CallbackServerContext* context,
                                                     const v1::CommitFilingRequest* request,
                                                     v1::CommitFilingResponse* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    core_.CommitFiling(*request, AnswerWhenDone(reactor, response));
  });
}

grpc::ServerUnaryReactor* LedgerServer::PinGoals(grpc::CallbackServerContext* context,
                                                 const v1::PinGoalsRequest* request, v1::GoalsPin* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    core_.PinGoals(*request, AnswerWhenDone(reactor, response));
  });
}

grpc::ServerUnaryReactor* LedgerServer::GetGoalsPin(grpc::CallbackServerContext* context,
                                                    const v1::GetGoalsPinRequest* request, v1::GoalsPin* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    AnswerUnary(reactor, response, core_.GetGoalsPin(*request));
  });
}

grpc::ServerUnaryReactor* LedgerServer::GetReportRevision(grpc::CallbackServerContext* context,
                                                          const v1::GetReportRevisionRequest* request,
                                                          v1::ReportRevision* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    AnswerUnary(reactor, response, core_.GetReportRevision(*request));
  });
}

grpc::ServerUnaryReactor* LedgerServer::GetRollup(grpc::CallbackServerContext* context,
                                                  const v1::GetRollupRequest* request, v1::Rollup* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    AnswerUnary(reactor, response, core_.GetRollup(*request));
  });
}

grpc::ServerUnaryReactor* LedgerServer::ReadChanges(grpc::CallbackServerContext* context,
                                                    const v1::ReadChangesRequest* request,
                                                    v1::ReadChangesResponse* response) {
  if (request->wait_ms() == 0) {
    // Not waiting: a read of the log's newest records (the gateway's read
    // cache asks it before answering reads, gateway README § Read cache),
    // answered in the reaction. The records after a recent position are in
    // the memtable; a hop to a worker would cost more than the read.
    grpc::ServerUnaryReactor* reactor = NewUnaryReactor(context);
    if (absl::Status guard = CheckCallGuard(*context); !guard.ok()) {
      FinishUnary(reactor, ToGrpcStatus(guard));
      return reactor;
    }
    AnswerUnary(reactor, response, core_.ReadChanges(*request));
    return reactor;
  }
  return OffloadUnary(context, watch_pool_, [this, context, request, response](grpc::ServerUnaryReactor* reactor) {
    // Waits in slices, so that a reader that went away (or a server shutting
    // down, which cancels its calls) frees the thread within half a second.
    constexpr int kSliceMs = 500;
    const absl::Time end = absl::Now() + absl::Milliseconds(std::max(0, request->wait_ms()));
    v1::ReadChangesRequest slice = *request;
    while (true) {
      const int64_t left_ms = absl::ToInt64Milliseconds(end - absl::Now());
      slice.set_wait_ms(static_cast<int>(std::clamp<int64_t>(left_ms, 0, kSliceMs)));
      absl::StatusOr<v1::ReadChangesResponse> read = core_.ReadChanges(slice);
      if (!read.ok() || read->changes_size() > 0 || left_ms <= kSliceMs || context->IsCancelled() ||
          read->first_sequence() > read->scanned_through() + 1) {
        AnswerUnary(reactor, response, std::move(read));
        return;
      }
      slice.set_after_sequence(read->scanned_through());
    }
  });
}

grpc::ServerUnaryReactor* LedgerServer::PutBudget(grpc::CallbackServerContext* context,
                                                  const v1::PutBudgetRequest* request, v1::Budget* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    core_.PutBudget(*request, AnswerWhenDone(reactor, response));
  });
}

grpc::ServerUnaryReactor* LedgerServer::GetBudget(grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                                                  grpc::ByteBuffer* response) {
  return OffloadWireUnary<v1::GetBudgetRequest>(
      context, pool_, request, response,
      [this](const v1::GetBudgetRequest& parsed) { return core_.GetBudgetWire(parsed); });
}

grpc::ServerUnaryReactor* LedgerServer::CheckBudgetEditable(grpc::CallbackServerContext* context,
                                                            const v1::CheckBudgetEditableRequest* request,
                                                            v1::CheckBudgetEditableResponse* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    AnswerUnary(reactor, response, core_.CheckBudgetEditable(*request));
  });
}

grpc::ServerUnaryReactor* LedgerServer::ListBudgetRevisions(grpc::CallbackServerContext* context,
                                                            const v1::ListBudgetRevisionsRequest* request,
                                                            v1::ListBudgetRevisionsResponse* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    AnswerUnary(reactor, response, core_.ListBudgetRevisions(*request));
  });
}

grpc::ServerUnaryReactor* LedgerServer::DiffBudgetRevisions(grpc::CallbackServerContext* context,
                                                            const v1::DiffBudgetRevisionsRequest* request,
                                                            v1::RevisionDiff* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    AnswerUnary(reactor, response, core_.DiffBudgetRevisions(*request));
  });
}

grpc::ServerUnaryReactor* LedgerServer::TransitionBudget(grpc::CallbackServerContext* context,
                                                         const v1::TransitionBudgetRequest* request,
                                                         v1::BudgetVersion* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    core_.TransitionBudget(*request, AnswerWhenDone(reactor, response));
  });
}

grpc::ServerUnaryReactor* LedgerServer::ListBudgetVersions(grpc::CallbackServerContext* context,
                                                           const v1::ListBudgetVersionsRequest* request,
                                                           v1::ListBudgetVersionsResponse* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    AnswerUnary(reactor, response, core_.ListBudgetVersions(*request));
  });
}

grpc::ServerUnaryReactor* LedgerServer::ListSubmissions(grpc::CallbackServerContext* context,
                                                        const v1::ListSubmissionsRequest* request,
                                                        v1::ListSubmissionsResponse* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    AnswerUnary(reactor, response, core_.ListSubmissions(*request));
  });
}

grpc::ServerUnaryReactor* LedgerServer::ValidateBudget(grpc::CallbackServerContext* context,
                                                       const v1::ValidateBudgetRequest* request,
                                                       yusuan::common::v1::ValidationReport* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    core_.ValidateBudget(*request, AnswerWhenDone(reactor, response));
  });
}

grpc::ServerUnaryReactor* LedgerServer::ComputeTables(grpc::CallbackServerContext* context,
                                                      const v1::ComputeTablesRequest* request,
                                                      v1::BudgetTables* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    AnswerUnary(reactor, response, core_.ComputeTables(*request));
  });
}

grpc::ServerUnaryReactor* LedgerServer::GetCatalogue(grpc::CallbackServerContext* context,
                                                     const v1::GetCatalogueRequest* request, v1::Catalogue* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    AnswerUnary(reactor, response, core_.GetCatalogue(*request));
  });
}

grpc::ServerUnaryReactor* LedgerServer::ListCatalogues(grpc::CallbackServerContext* context,
                                                       const v1::ListCataloguesRequest*,
                                                       v1::ListCataloguesResponse* response) {
  return AnswerInReaction<v1::ListCataloguesResponse>(context, response, [this] { return core_.ListCatalogues(); });
}

grpc::ServerUnaryReactor* LedgerServer::GetCatalogueCode(grpc::CallbackServerContext* context,
                                                         const v1::GetCatalogueCodeRequest* request,
                                                         v1::CatalogueCodeDetail* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    AnswerUnary(reactor, response, core_.GetCatalogueCode(*request));
  });
}

grpc::ServerUnaryReactor* LedgerServer::DiffCatalogues(grpc::CallbackServerContext* context,
                                                       const v1::DiffCataloguesRequest* request,
                                                       v1::CatalogueDiff* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    AnswerUnary(reactor, response, core_.DiffCatalogues(*request));
  });
}

grpc::ServerUnaryReactor* LedgerServer::ImportCatalogue(grpc::CallbackServerContext* context,
                                                        const v1::ImportCatalogueRequest* request,
                                                        v1::CatalogueEdition* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    core_.ImportCatalogue(*request, AnswerWhenDone(reactor, response));
  });
}

}  // namespace yusuan::ledger
