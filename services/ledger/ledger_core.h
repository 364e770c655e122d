// The ledger's business core: departments, budget revisions, the workflow
// and the catalogues, over a Store, with protobuf messages in and out and
// absl::Status for refusals (structured details as payloads, errors.h). No
// gRPC here: ledger_server.h adapts it, and tests run it on a temporary Store.
//
// Reads answer at once on the calling thread. Mutations hand their writes to
// the Store's writer thread and answer through `done`, which runs exactly
// once: on the writer thread when the write is durable or refused there, or on
// the calling thread when the request is refused before anything is written.
// A caller therefore never blocks on a WAL sync.
#ifndef YUSUAN_SERVICES_LEDGER_LEDGER_CORE_H_
#define YUSUAN_SERVICES_LEDGER_LEDGER_CORE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/core.h"
#include "services/common/store.h"
#include "services/ledger/catalogue_registry.h"
#include "yusuan/common/v1/findings.pb.h"
#include "yusuan/ledger/v1/ledger.pb.h"
#include "yusuan/ledger/v1/ledger_service.pb.h"
#include "yusuan/ledger/v1/rollup.pb.h"

namespace yusuan::ledger {

// Column families of the ledger's RocksDB.
inline constexpr char kDepartmentsCf[] = "departments";
inline constexpr char kBudgetHeadsCf[] = "budget_heads";    // current-draft pointer
inline constexpr char kRevisionsCf[] = "budget_revisions";  // immutable
inline constexpr char kIdempotencyCf[] = "idempotency";
inline constexpr char kWorkflowCf[] = "workflow";         // budget key → WorkflowState
inline constexpr char kVersionsCf[] = "budget_versions";  // immutable history
// Budget key → GoalsPin (the goals revision of the budget's filing), and
// budget key + big-endian goals revision → "" for every revision pinned.
inline constexpr char kGoalsPinsCf[] = "goals_pins";
// The change log (README § Change log): big-endian sequence → Change, one
// record per visible write, in the same write (StoreOptions::log_column_family).
inline constexpr char kChangesCf[] = "changes";
// Region roll-ups (README § Roll-ups): "c/" + budget key → the budget's
// RollupContribution; "s/{year}/{region prefix}/{status}" → RollupTotals,
// the sum of the contributions there; kRollupsBuiltKey once every budget
// stored before roll-ups existed has been added.
inline constexpr char kRollupsCf[] = "rollups";
inline constexpr char kRollupsBuiltKey[] = "built";
// The review queues: big-endian status (4 bytes) + budget key → "", one entry
// per budget under its current status, written with its workflow state, so
// that a queue's page reads its own entries and never the region's others.
// kQueueBuiltKey once every budget stored before the queues existed is in.
inline constexpr char kQueueCf[] = "queue";
inline constexpr char kQueueBuiltKey[] = "built";
// Imported catalogues: kCatalogueHeadsCf and kCatalogueVersionsCf (catalogue_registry.h).

std::vector<std::string> LedgerColumnFamilies();

// Adds every stored budget to the roll-ups unless that was done before (a
// data directory made before roll-ups existed), in one write; how many
// budgets it added.
absl::StatusOr<int64_t> EnsureRollups(Store& store);
// Puts every budget stored before the review queues existed in its queue
// (kQueueCf), once; returns how many.
absl::StatusOr<int64_t> EnsureQueues(Store& store);

class LedgerCore {
 public:
  using Clock = ::yusuan::Clock;
  template <typename T>
  using Done = ::yusuan::Done<T>;

  // `store` and `catalogues` are not owned and must outlive the core and
  // every mutation it submitted.
  LedgerCore(Store* store, CatalogueRegistry* catalogues, Clock clock);

  yusuan::common::v1::RuleSet ListRules() const;

  // A request id makes a retry answer what the first call answered; the
  // same id with other content is FAILED_PRECONDITION.
  void CreateDepartment(const v1::CreateDepartmentRequest& request, Done<v1::Department> done);
  void UpdateDepartment(const v1::UpdateDepartmentRequest& request, Done<v1::Department> done);
  absl::StatusOr<v1::Department> GetDepartment(const v1::GetDepartmentRequest& request) const;
  absl::StatusOr<v1::ListDepartmentsResponse> ListDepartments(const v1::ListDepartmentsRequest& request) const;
  // The same answers serialized, made from the stored records without
  // parsing them (services/common/wire.h): what the server sends.
  absl::StatusOr<std::string> GetDepartmentWire(const v1::GetDepartmentRequest& request) const;
  absl::StatusOr<std::string> ListDepartmentsWire(const v1::ListDepartmentsRequest& request) const;

  // Stores the next revision as the current draft (records its validation
  // stamp); refused while the budget is under review.
  void PutBudget(const v1::PutBudgetRequest& request, Done<v1::Budget> done);
  absl::StatusOr<v1::Budget> GetBudget(const v1::GetBudgetRequest& request) const;
  absl::StatusOr<std::string> GetBudgetWire(const v1::GetBudgetRequest& request) const;
  absl::StatusOr<v1::CheckBudgetEditableResponse> CheckBudgetEditable(
      const v1::CheckBudgetEditableRequest& request) const;
  absl::StatusOr<v1::ListBudgetRevisionsResponse> ListBudgetRevisions(
      const v1::ListBudgetRevisionsRequest& request) const;
  absl::StatusOr<v1::RevisionDiff> DiffBudgetRevisions(const v1::DiffBudgetRevisionsRequest& request) const;
  // One workflow step (domain/workflow.h), recorded as the next version.
  void TransitionBudget(const v1::TransitionBudgetRequest& request, Done<v1::BudgetVersion> done);
  absl::StatusOr<v1::ListBudgetVersionsResponse> ListBudgetVersions(const v1::ListBudgetVersionsRequest& request) const;
  absl::StatusOr<v1::ListSubmissionsResponse> ListSubmissions(const v1::ListSubmissionsRequest& request) const;
  // With `name`: checks the stored budget and records the stamp SUBMIT
  // needs (a write); without: checks the given department and budget only.
  void ValidateBudget(const v1::ValidateBudgetRequest& request, Done<yusuan::common::v1::ValidationReport> done);
  absl::StatusOr<v1::BudgetTables> ComputeTables(const v1::ComputeTablesRequest& request) const;

  // A filing's commit point (ledger_service.proto, CommitFiling): the
  // department, the budget and the pin of its staged goals in one write.
  void CommitFiling(const v1::CommitFilingRequest& request, Done<v1::CommitFilingResponse> done);
  void PinGoals(const v1::PinGoalsRequest& request, Done<v1::GoalsPin> done);
  absl::StatusOr<v1::GoalsPin> GetGoalsPin(const v1::GetGoalsPinRequest& request) const;

  // The change log after a position (ledger_service.proto, ReadChanges);
  // blocks the calling thread up to the request's wait (at most 10 s).
  absl::StatusOr<v1::ReadChangesResponse> ReadChanges(const v1::ReadChangesRequest& request) const;

  // The totals of a region prefix and year over the states asked for.
  // What a report of the budget is made from, by revision (ReportRevision).
  absl::StatusOr<v1::ReportRevision> GetReportRevision(const v1::GetReportRevisionRequest& request) const;
  absl::StatusOr<v1::Rollup> GetRollup(const v1::GetRollupRequest& request) const;

  absl::StatusOr<v1::Catalogue> GetCatalogue(const v1::GetCatalogueRequest& request) const;
  v1::ListCataloguesResponse ListCatalogues() const;
  absl::StatusOr<v1::CatalogueCodeDetail> GetCatalogueCode(const v1::GetCatalogueCodeRequest& request) const;
  absl::StatusOr<v1::CatalogueDiff> DiffCatalogues(const v1::DiffCataloguesRequest& request) const;
  void ImportCatalogue(const v1::ImportCatalogueRequest& request, Done<v1::CatalogueEdition> done);

 private:
  // A department or budget checked before the write, with its store key.
  // What a write checked, with the findings of its rules (none fatal).
  struct PreparedDepartment {
    v1::Department department;
    std::string key;
    yusuan::common::v1::ValidationReport report;
  };
  struct PreparedBudget {
    v1::Budget budget;
    std::string key;
    int32_t fatal_count = 0;
    yusuan::common::v1::ValidationReport report;
  };
  absl::StatusOr<PreparedDepartment> PrepareDepartment(const v1::Department& input) const;
  // Checks the budget against `department` (the stored one, or the one filed with it).
  absl::StatusOr<PreparedBudget> PrepareBudget(const v1::Department& department, const v1::Budget& input) const;
  // The writes of one mutation; CommitFiling runs several in one.
  static absl::Status WriteDepartment(Store::Txn& txn, const PreparedDepartment& prepared, bool must_not_exist,
                                      bool allow_missing, int64_t now, v1::Department& stored);
  static absl::Status WriteBudget(Store::Txn& txn, const PreparedBudget& prepared, int64_t now, v1::Budget& written);
  static absl::Status WritePin(Store::Txn& txn, const std::string& key, const std::string& budget_name,
                               int64_t goals_revision, int64_t now, v1::GoalsPin& pin);
  void PutDepartment(const v1::Department& input, const std::string& request_id, bool must_not_exist,
                     bool allow_missing, Done<v1::Department> done);
  absl::StatusOr<v1::Department> LoadDepartment(const std::string& name) const;
  // The budget with its workflow status (the revision itself is immutable;
  // its status lives in the workflow state).
  absl::StatusOr<v1::Budget> LoadBudget(const std::string& name, int64_t revision) const;
  // The stored department, and the stored revision with its status appended.
  absl::StatusOr<std::string> LoadDepartmentWire(const std::string& name) const;
  absl::StatusOr<std::string> LoadBudgetWire(const std::string& name, int64_t revision) const;

  Store* store_;
  CatalogueRegistry* catalogues_;
  const Clock clock_;
  // Made at start: one part of ReadChangesResponse.serving_epoch.
  const std::string process_id_;
};

}  // namespace yusuan::ledger

#endif  // YUSUAN_SERVICES_LEDGER_LEDGER_CORE_H_
