#include "services/ledger/ledger_core.h"

#include <memory>
#include <set>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/protobuf/arena.h"
#include "services/common/change_log.h"
#include "services/common/errors.h"
#include "services/common/findings_builder.h"
#include "services/common/paging.h"
#include "services/common/random_id.h"
#include "services/common/resource_names.h"
#include "services/common/revisions.h"
#include "services/common/rule_catalogue.h"
#include "services/common/utf8.h"
#include "services/common/wire.h"
#include "services/ledger/domain/department_view.h"
#include "services/ledger/domain/diff.h"
#include "services/ledger/domain/projections.h"
#include "services/ledger/domain/provenance.h"
#include "services/ledger/domain/rollup.h"
#include "services/ledger/domain/rule_catalogue.h"
#include "services/ledger/domain/rules.h"
#include "services/ledger/domain/units.h"
#include "services/ledger/domain/workflow.h"

namespace yusuan::ledger {
namespace {

using yusuan::common::v1::ValidationReport;

const RevisionedFamilies kBudgetFamilies{kBudgetHeadsCf, kRevisionsCf};

void Merge(const ValidationReport& from, ValidationReport* into) {
  for (const auto& finding : from.findings()) *into->add_findings() = finding;
}

bool HasErrors(const ValidationReport& report) { return report.fatal_count() > 0; }

// A resource name that disagrees with the codes or year inside the resource.
absl::Status NameMismatch(const std::string& field, const std::string& what_zh, const std::string& what_en,
                          const std::string& expected, const std::string& actual, const std::string& hint) {
  ValidationReport report;
  FindingsBuilder(LedgerRules(), &report)
      .AddWithValues("V-NAME-MISMATCH", field, "资源名称与其中的代码或年度不一致",
                     "the resource name disagrees with the codes or year it holds", hint, expected, actual, "");
  Tally(report);
  return RejectedByRules(report, what_zh, what_en);
}

absl::Status NotFound(const std::string& what_zh, const std::string& what_en, const std::string& name) {
  return WithReason(absl::NotFoundError(absl::StrCat(what_zh, "不存在 / ", what_en, " not found: ", name)),
                    "NOT_FOUND");
}

absl::StatusOr<v1::WorkflowState> ReadWorkflow(Store::Txn& txn, const std::string& key) {
  auto stored = txn.Get(kWorkflowCf, key);
  if (!stored.ok()) return stored.status();
  v1::WorkflowState state;
  if (stored->has_value() && !state.ParseFromString(**stored)) {
    return absl::DataLossError("stored workflow state is unreadable");
  }
  state.set_status(Normalize(state.status()));
  return state;
}

std::string QueueKey(v1::FilingStatus status, std::string_view budget_key) {
  std::string key = EncodeBigEndian32(static_cast<uint32_t>(status));
  key.append(budget_key);
  return key;
}

// Stores a budget's workflow state, `from` the status it had (as ReadWorkflow
// gave it), and moves the budget to the queue of its new status.
void PutWorkflow(Store::Txn& txn, const std::string& key, v1::FilingStatus from, const v1::WorkflowState& state) {
  const v1::FilingStatus to = Normalize(state.status());
  if (from != to) txn.Delete(kQueueCf, QueueKey(from, key));
  txn.Put(kQueueCf, QueueKey(to, key), "");
  txn.Put(kWorkflowCf, key, state.SerializeAsString());
}

void RecordValidation(int64_t revision, int32_t fatal_count, int64_t now, v1::WorkflowState& state) {
  v1::ValidationStamp* stamp = state.mutable_last_validation();
  stamp->set_revision(revision);
  stamp->set_rule_set_version(kRuleSetVersion);
  stamp->set_fatal_count(fatal_count);
  stamp->set_time_unix_ms(now);
}

// 表1–表8 of `budget` with the catalogue of its edition in `served`.
absl::StatusOr<v1::BudgetTables> Project(const ServedCatalogues& served, const v1::Department& department,
                                         const v1::Budget& budget) {
  const Catalogue* catalogue = served.set.Find(budget.catalogue_edition());
  if (catalogue == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat("没有 ", budget.catalogue_edition(),
                                                      " 年版分类科目 / no classification catalogue of edition ",
                                                      budget.catalogue_edition(), " is loaded"));
  }
  absl::StatusOr<v1::BudgetTables> tables = ledger::ComputeTables(department, budget, *catalogue);
  if (!tables.ok()) return tables;
  tables->set_catalogue_version(served.VersionOf(budget.catalogue_edition()));
  tables->set_projection_version(ledger::kProjectionVersion);
  return tables;
}

}  // namespace

namespace {

// Records a visible write in the change log, in the mutation's own write.
void LogChange(Store::Txn& txn, yusuan::common::v1::ChangeKind kind, const std::string& resource_name, int64_t revision,
               const std::string& region_code, const std::string& budget_name, int64_t now,
               const std::string& status = "") {
  yusuan::common::v1::Change change;
  change.set_kind(kind);
  change.set_resource_name(resource_name);
  change.set_revision(revision);
  change.set_region_code(region_code);
  change.set_budget_name(budget_name);
  change.set_time_unix_ms(now);
  change.set_status(status);
  AppendChange(txn, change);
}

std::string RegionOfBudget(const std::string& budget_name) {
  auto parsed = ParseBudgetName(budget_name);
  return parsed.ok() ? parsed->department.region : "";
}

// ---------------------------------------------------------------- roll-ups
// README § Roll-ups. Every write that moves a budget's head revision or
// workflow state, or a department's unit types, refreshes the budget's
// contribution in the same write: the old one (as stored) leaves the sums of
// its state, the new one joins the sums of the new state.

std::string ContributionKey(const std::string& budget_key) { return "c/" + budget_key; }

std::string SumPrefix(int year, const std::string& region_prefix) {
  return absl::StrCat("s/", year, "/", region_prefix, "/");
}

absl::Status AddToSums(Store::Txn& txn, const v1::RollupContribution& contribution, int sign) {
  for (const std::string& prefix : RegionPrefixes(contribution.region_code())) {
    const std::string key =
        absl::StrCat(SumPrefix(contribution.fiscal_year(), prefix), static_cast<int>(contribution.status()));
    auto stored = txn.Get(kRollupsCf, key);
    if (!stored.ok()) return stored.status();
    // Read as lists on an arena: a province's sums hold every code its
    // budgets use, a few thousand entries (rollup.proto, RollupSums).
    google::protobuf::Arena arena;
    auto* sum = google::protobuf::Arena::CreateMessage<v1::RollupSums>(&arena);
    if (stored->has_value() && !sum->ParseFromString(**stored)) {
      return absl::DataLossError("stored roll-up is unreadable: " + key);
    }
    if (absl::Status added = AddToRegionSums(contribution.totals(), sign, *sum); !added.ok()) return added;
    // No budget left: every amount went with them.
    if (sum->budget_count() == 0) {
      txn.Delete(kRollupsCf, key);
    } else {
      txn.Put(kRollupsCf, key, sum->SerializeAsString());
    }
  }
  return absl::OkStatus();
}

// `recompute` false: the head revision's totals as stored are still right
// when the revision has not moved (a workflow step); a department change
// that alters what the lines count as passes true. `head`: the head
// revision as the caller just wrote it, which saves reading and parsing it
// again (null: read it).
absl::Status RefreshRollup(Store::Txn& txn, const std::string& budget_key, bool recompute,
                           const v1::Budget* head = nullptr) {
  auto stored = txn.Get(kRollupsCf, ContributionKey(budget_key));
  if (!stored.ok()) return stored.status();
  v1::RollupContribution previous;
  const bool had = stored->has_value();
  if (had && !previous.ParseFromString(**stored)) {
    return absl::DataLossError("stored roll-up contribution is unreadable");
  }
  auto revision = CurrentRevision(txn, kBudgetFamilies, budget_key);
  if (!revision.ok()) return revision.status();
  auto state = ReadWorkflow(txn, budget_key);
  if (!state.ok()) return state.status();
  v1::RollupContribution next;
  if (had && !recompute && previous.revision() == *revision) {
    next = previous;
  } else if (*revision > 0) {
    v1::Budget stored_budget;
    if (head == nullptr || head->revision() != *revision) {
      auto bytes = txn.Get(kRevisionsCf, budget_key + EncodeBigEndian64(*revision));
      if (!bytes.ok()) return bytes.status();
      if (!bytes->has_value() || !stored_budget.ParseFromString(**bytes)) {
        return absl::DataLossError("stored budget is unreadable: " + budget_key);
      }
      head = &stored_budget;
    }
    const v1::Budget& budget = *head;
    auto name = ParseBudgetName(budget.name());
    if (!name.ok()) return name.status();
    auto department_bytes = txn.Get(kDepartmentsCf, name->department.Key());
    if (!department_bytes.ok()) return department_bytes.status();
    v1::Department department;
    if (department_bytes->has_value() && !department.ParseFromString(**department_bytes)) {
      return absl::DataLossError("stored department is unreadable: " + name->department.ToString());
    }
    next.set_region_code(name->department.region);
    next.set_fiscal_year(name->year);
    next.set_revision(*revision);
    *next.mutable_totals() = ContributionOf(department, budget);
  } else {
    return absl::OkStatus();  // no budget: nothing to count
  }
  next.set_status(state->status());
  // Counted under the same sums as before (a new revision, no move of
  // region, year or state): only the difference is added, once a level,
  // and nothing when there is none; each level's sums are read and written
  // once instead of twice.
  v1::RollupContribution change;
  const bool same_sums = had && previous.region_code() == next.region_code() &&
                         previous.fiscal_year() == next.fiscal_year() && previous.status() == next.status() &&
                         AddTotals(next.totals(), +1, *change.mutable_totals()).ok() &&
                         AddTotals(previous.totals(), -1, *change.mutable_totals()).ok();
  if (same_sums) {
    if (change.totals().ByteSizeLong() > 0) {
      change.set_region_code(next.region_code());
      change.set_fiscal_year(next.fiscal_year());
      change.set_status(next.status());
      if (absl::Status added = AddToSums(txn, change, +1); !added.ok()) return added;
    }
  } else {
    if (had) {
      if (absl::Status taken = AddToSums(txn, previous, -1); !taken.ok()) return taken;
    }
    if (absl::Status added = AddToSums(txn, next, +1); !added.ok()) return added;
  }
  txn.Put(kRollupsCf, ContributionKey(budget_key), next.SerializeAsString());
  return absl::OkStatus();
}

// What makes a line count as 机关运行经费 (units.h): the unit types.
std::string UnitTypesOf(const v1::Department& department) {
  std::string facts = absl::StrCat(static_cast<int>(department.unit_type()));
  for (const v1::SecondaryUnit& unit : department.secondary_units()) {
    absl::StrAppend(&facts, "|", unit.code(), "=", static_cast<int>(unit.unit_type()));
  }
  return facts;
}

// Longest wait of one ReadChanges, and its default and largest page.
constexpr int kMaxChangeWaitMs = 10000;
constexpr int kDefaultChangePage = 500;
constexpr int kMaxChangePage = 1000;

}  // namespace

std::vector<std::string> LedgerColumnFamilies() {
  return {kDepartmentsCf,    kBudgetHeadsCf,       kRevisionsCf, kIdempotencyCf, kWorkflowCf, kVersionsCf,
          kCatalogueHeadsCf, kCatalogueVersionsCf, kGoalsPinsCf, kChangesCf,     kRollupsCf,  kQueueCf};
}

absl::StatusOr<int64_t> EnsureRollups(Store& store) {
  return FillOnce(store, kRollupsCf, kRollupsBuiltKey, [](Store::Txn& txn) -> absl::StatusOr<int64_t> {
    std::vector<std::string> budget_keys;
    absl::Status scanned = txn.Scan(kBudgetHeadsCf, "", [&budget_keys](std::string_view key, std::string_view) {
      budget_keys.emplace_back(key);
      return true;
    });
    if (!scanned.ok()) return scanned;
    for (const std::string& key : budget_keys) {
      if (absl::Status refreshed = RefreshRollup(txn, key, /*recompute=*/true); !refreshed.ok()) return refreshed;
    }
    return static_cast<int64_t>(budget_keys.size());
  });
}

absl::StatusOr<int64_t> EnsureQueues(Store& store) {
  return FillOnce(store, kQueueCf, kQueueBuiltKey, [](Store::Txn& txn) -> absl::StatusOr<int64_t> {
    int64_t added = 0;
    absl::Status failed = absl::OkStatus();
    absl::Status scanned = txn.Scan(kWorkflowCf, "", [&](std::string_view key, std::string_view value) {
      v1::WorkflowState state;
      if (!state.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
        failed = absl::DataLossError(absl::StrCat("stored workflow state of ", std::string(key), " is unreadable"));
        return false;
      }
      txn.Put(kQueueCf, QueueKey(Normalize(state.status()), key), "");
      ++added;
      return true;
    });
    if (!scanned.ok()) return scanned;
    if (!failed.ok()) return failed;
    return added;
  });
}

LedgerCore::LedgerCore(Store* store, CatalogueRegistry* catalogues, Clock clock)
    : store_(store), catalogues_(catalogues), clock_(std::move(clock)), process_id_(RandomHexId()) {}

yusuan::common::v1::RuleSet LedgerCore::ListRules() const {
  yusuan::common::v1::RuleSet rules;
  rules.set_version(kRuleSetVersion);
  for (const auto& rule : LedgerRules()) *rules.add_rules() = rule;
  return rules;
}

absl::StatusOr<std::string> LedgerCore::LoadDepartmentWire(const std::string& name) const {
  auto parsed = ParseDepartmentName(name);
  if (!parsed.ok()) return parsed.status();
  auto stored = store_->Get(kDepartmentsCf, parsed->Key());
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return NotFound("部门", "department", name);
  return **std::move(stored);
}

absl::StatusOr<v1::Department> LedgerCore::LoadDepartment(const std::string& name) const {
  return ParseWire<v1::Department>(LoadDepartmentWire(name), "stored department " + name);
}

absl::StatusOr<std::string> LedgerCore::LoadBudgetWire(const std::string& name, int64_t revision) const {
  auto parsed = ParseBudgetName(name);
  if (!parsed.ok()) return parsed.status();
  auto bytes = ReadRevision(*store_, kBudgetFamilies, parsed->Key(), revision);
  if (absl::IsNotFound(bytes.status())) {
    return NotFound("预算", "budget", revision > 0 ? absl::StrCat(name, " revision ", revision) : name);
  }
  if (!bytes.ok()) return bytes.status();
  auto workflow = store_->Get(kWorkflowCf, parsed->Key());
  if (!workflow.ok()) return workflow.status();
  v1::WorkflowState state;
  if (workflow->has_value() && !state.ParseFromString(**workflow)) {
    return absl::DataLossError("stored workflow state is unreadable: " + name);
  }
  std::string wire = *std::move(bytes);
  AppendInt32Field(v1::Budget::kStatusFieldNumber, Normalize(state.status()), &wire);
  return wire;
}

absl::StatusOr<v1::Budget> LedgerCore::LoadBudget(const std::string& name, int64_t revision) const {
  return ParseWire<v1::Budget>(LoadBudgetWire(name, revision), "stored budget " + name);
}

absl::StatusOr<v1::CheckBudgetEditableResponse> LedgerCore::CheckBudgetEditable(
    const v1::CheckBudgetEditableRequest& request) const {
  auto parsed = ParseBudgetName(request.name());
  if (!parsed.ok()) return parsed.status();
  auto workflow = store_->Get(kWorkflowCf, parsed->Key());
  if (!workflow.ok()) return workflow.status();
  v1::CheckBudgetEditableResponse response;
  if (!workflow->has_value()) return response;
  v1::WorkflowState state;
  if (!state.ParseFromString(**workflow)) return absl::DataLossError("stored workflow state is unreadable");
  response.set_status(Normalize(state.status()));
  // The same decision PutBudget makes in its write.
  absl::StatusOr<v1::FilingStatus> after_edit = StatusAfterEdit(response.status());
  if (!after_edit.ok()) return after_edit.status();
  return response;
}

absl::StatusOr<LedgerCore::PreparedDepartment> LedgerCore::PrepareDepartment(const v1::Department& input) const {
  PreparedDepartment prepared;
  prepared.department = input;
  v1::Department& department = prepared.department;
  if (department.name().empty() && !department.region_code().empty()) {
    department.set_name(DepartmentName{department.region_code(), department.agency_code()}.ToString());
  }
  prepared.report = ValidateDepartment(department);
  if (HasErrors(prepared.report)) return RejectedByRules(prepared.report, "部门信息", "the department");
  auto parsed = ParseDepartmentName(department.name());
  if (!parsed.ok()) return parsed.status();
  if (parsed->region != department.region_code() || parsed->agency != department.agency_code()) {
    return NameMismatch("department.name", "部门信息", "the department",
                        DepartmentName{department.region_code(), department.agency_code()}.ToString(),
                        department.name(), "leave name empty or make it regions/{regionCode}/departments/{agencyCode}");
  }
  prepared.key = parsed->Key();
  return prepared;
}

absl::Status LedgerCore::WriteDepartment(Store::Txn& txn, const PreparedDepartment& prepared, bool must_not_exist,
                                         bool allow_missing, int64_t now, v1::Department& stored) {
  const v1::Department& department = prepared.department;
  auto existing = txn.Get(kDepartmentsCf, prepared.key);
  if (!existing.ok()) return existing.status();
  if (existing->has_value() && must_not_exist) {
    return WithReason(
        absl::AlreadyExistsError(absl::StrCat("部门已存在 / department already exists: ", department.name(),
                                              "; use UpdateDepartment (or yusuan apply) to change it")),
        "ALREADY_EXISTS");
  }
  if (!existing->has_value() && !must_not_exist && !allow_missing) {
    return NotFound("部门", "department", department.name());
  }
  if (existing->has_value() && !department.etag().empty()) {
    v1::Department previous;
    previous.ParseFromString(**existing);
    if (previous.etag() != department.etag()) {
      return absl::AbortedError(absl::StrCat("etag 已过期 / stale etag for ", department.name(), " (yours ",
                                             department.etag(), ", current ", previous.etag(), "); read it again"));
    }
  }
  std::string unit_types_before;
  if (existing->has_value()) {
    v1::Department previous;
    if (previous.ParseFromString(**existing)) unit_types_before = UnitTypesOf(previous);
  }
  stored = department;
  stored.set_update_time_unix_ms(now);
  stored.set_etag("");
  stored.set_etag(MakeEtag(stored.update_time_unix_ms(), stored.SerializeAsString()));
  txn.Put(kDepartmentsCf, prepared.key, stored.SerializeAsString());
  LogChange(txn, yusuan::common::v1::CHANGE_KIND_DEPARTMENT_PUT, stored.name(), 0, stored.region_code(), "", now);
  if (existing->has_value() && UnitTypesOf(stored) != unit_types_before) {
    // Its budgets' 机关运行经费 may count other lines now.
    std::vector<std::string> budget_keys;
    absl::Status scanned =
        txn.Scan(kBudgetHeadsCf, prepared.key + "/", [&budget_keys](std::string_view key, std::string_view) {
          budget_keys.emplace_back(key);
          return true;
        });
    if (!scanned.ok()) return scanned;
    for (const std::string& key : budget_keys) {
      if (absl::Status refreshed = RefreshRollup(txn, key, /*recompute=*/true); !refreshed.ok()) return refreshed;
    }
  }
  return absl::OkStatus();
}

void LedgerCore::PutDepartment(const v1::Department& input, const std::string& request_id, bool must_not_exist,
                               bool allow_missing, Done<v1::Department> done) {
  absl::StatusOr<PreparedDepartment> prepared = PrepareDepartment(input);
  if (!prepared.ok()) return done(prepared.status());
  const std::string method = must_not_exist ? "CreateDepartment" : "UpdateDepartment";
  const std::string fingerprint = RequestFingerprint(input);
  SubmitAnswering<v1::Department>(
      store_,
      [=, prepared = *std::move(prepared), clock = clock_](Store::Txn& txn, v1::Department& answer) -> absl::Status {
        const int64_t now = clock();
        auto seen = ReplayIfSeen(txn, kIdempotencyCf, method, prepared.key, request_id, fingerprint, now, &answer);
        if (!seen.ok()) return seen.status();
        if (*seen) return absl::OkStatus();
        absl::Status written = WriteDepartment(txn, prepared, must_not_exist, allow_missing, now, answer);
        if (!written.ok()) return written;
        RememberAnswer(txn, kIdempotencyCf, method, prepared.key, request_id, fingerprint, now, answer);
        return absl::OkStatus();
      },
      std::move(done));
}

void LedgerCore::CreateDepartment(const v1::CreateDepartmentRequest& request, Done<v1::Department> done) {
  PutDepartment(request.department(), request.request_id(), /*must_not_exist=*/true, /*allow_missing=*/true,
                std::move(done));
}

void LedgerCore::UpdateDepartment(const v1::UpdateDepartmentRequest& request, Done<v1::Department> done) {
  PutDepartment(request.department(), request.request_id(), /*must_not_exist=*/false, request.allow_missing(),
                std::move(done));
}

absl::StatusOr<v1::Department> LedgerCore::GetDepartment(const v1::GetDepartmentRequest& request) const {
  return LoadDepartment(request.name());
}

absl::StatusOr<std::string> LedgerCore::GetDepartmentWire(const v1::GetDepartmentRequest& request) const {
  return LoadDepartmentWire(request.name());
}

absl::StatusOr<v1::ListDepartmentsResponse> LedgerCore::ListDepartments(
    const v1::ListDepartmentsRequest& request) const {
  return ParseWire<v1::ListDepartmentsResponse>(ListDepartmentsWire(request), "a stored department");
}

absl::StatusOr<std::string> LedgerCore::ListDepartmentsWire(const v1::ListDepartmentsRequest& request) const {
  if (absl::Status size = CheckPageSize(request.page_size()); !size.ok()) return size;
  if (!v1::DepartmentView_IsValid(request.view())) {
    return InvalidField(
        "view", absl::StrCat("view 应为 DEPARTMENT_VIEW_BASIC 或 DEPARTMENT_VIEW_FULL，实为 ", request.view()),
        absl::StrCat("view must be DEPARTMENT_VIEW_BASIC or DEPARTMENT_VIEW_FULL, not ", request.view()));
  }
  const bool basic = request.view() == v1::DEPARTMENT_VIEW_BASIC;
  std::string prefix;
  if (!request.parent().empty()) {
    auto region = ParseRegionName(request.parent());
    if (!region.ok()) return region.status();
    prefix = *region;
  }
  // The token is the last department key of the page before ("420107/005001022").
  if (!request.page_token().empty()) {
    absl::StatusOr<DepartmentName> after = ParseDepartmentPageToken(request.page_token(), prefix);
    if (!after.ok()) return after.status();
  }
  std::string wire;
  const int page_size = PageSize(request.page_size());
  int listed = 0;
  std::string last_key;
  bool more = false;
  std::string unreadable;
  absl::Status status =
      store_->Scan(kDepartmentsCf, prefix, request.page_token(), [&](std::string_view key, std::string_view value) {
        if (listed == page_size) {
          more = true;
          return false;
        }
        if (basic) {
          // Who each department is, its profile left out: a page of 100
          // generated departments is 36 KB of JSON instead of 131 KB.
          std::string identity;
          if (!ledger::AppendBasicDepartment(value, &identity)) {
            unreadable = std::string(key);
            return false;
          }
          AppendMessageField(v1::ListDepartmentsResponse::kDepartmentsFieldNumber, identity, &wire);
        } else {
          AppendMessageField(v1::ListDepartmentsResponse::kDepartmentsFieldNumber, value, &wire);
        }
        ++listed;
        last_key = std::string(key);
        return true;
      });
  if (!status.ok()) return status;
  if (!unreadable.empty()) {
    return absl::DataLossError("stored department " + unreadable + " is unreadable / 存储的数据无法读取");
  }
  if (more) AppendStringField(v1::ListDepartmentsResponse::kNextPageTokenFieldNumber, last_key, &wire);
  return wire;
}

absl::StatusOr<LedgerCore::PreparedBudget> LedgerCore::PrepareBudget(const v1::Department& department,
                                                                     const v1::Budget& input) const {
  auto parsed = ParseBudgetName(input.name());
  if (!parsed.ok()) return parsed.status();
  PreparedBudget prepared;
  prepared.budget = input;
  prepared.report = ledger::ValidateBudget(department, prepared.budget, catalogues_->Snapshot()->set);
  if (HasErrors(prepared.report)) return RejectedByRules(prepared.report, "预算", "the budget");
  if (prepared.budget.fiscal_year() != parsed->year) {
    return NameMismatch("budget.fiscalYear", "预算", "the budget", absl::StrCat(parsed->year),
                        absl::StrCat(prepared.budget.fiscal_year()),
                        "make fiscalYear equal the year at the end of budget.name");
  }
  prepared.budget.set_status(v1::FILING_STATUS_DRAFT);
  prepared.key = parsed->Key();
  prepared.fatal_count = prepared.report.fatal_count();
  return prepared;
}

absl::Status LedgerCore::WriteBudget(Store::Txn& txn, const PreparedBudget& prepared, int64_t now,
                                     v1::Budget& written) {
  auto state = ReadWorkflow(txn, prepared.key);
  if (!state.ok()) return state.status();
  auto after_edit = StatusAfterEdit(state->status());
  if (!after_edit.ok()) return after_edit.status();
  written = prepared.budget;
  absl::Status stored = WriteNextRevision(txn, kBudgetFamilies, prepared.key, now, written);
  if (!stored.ok()) return stored;
  const v1::FilingStatus from = state->status();
  state->set_status(*after_edit);
  RecordValidation(written.revision(), prepared.fatal_count, now, *state);
  PutWorkflow(txn, prepared.key, from, *state);
  LogChange(txn, yusuan::common::v1::CHANGE_KIND_BUDGET_REVISION, written.name(), written.revision(),
            RegionOfBudget(written.name()), written.name(), now);
  return RefreshRollup(txn, prepared.key, /*recompute=*/true, &written);
}

void LedgerCore::PutBudget(const v1::PutBudgetRequest& request, Done<v1::Budget> done) {
  auto parsed = ParseBudgetName(request.budget().name());
  if (!parsed.ok()) return done(parsed.status());
  auto department = LoadDepartment(parsed->department.ToString());
  if (!department.ok()) {
    absl::Status status = department.status();
    if (absl::IsNotFound(status)) {
      status = WithReason(absl::FailedPreconditionError(
                              absl::StrCat("部门不存在，请先创建部门 / the department ", parsed->department.ToString(),
                                           " does not exist: create it first (yusuan apply does both)")),
                          "DEPARTMENT_MISSING");
    }
    return done(status);
  }
  absl::StatusOr<PreparedBudget> prepared = PrepareBudget(*department, request.budget());
  if (!prepared.ok()) return done(prepared.status());
  const std::string request_id = request.request_id();
  const std::string fingerprint = RequestFingerprint(request.budget());
  SubmitAnswering<v1::Budget>(
      store_,
      [prepared = *std::move(prepared), request_id, fingerprint, clock = clock_](Store::Txn& txn,
                                                                                 v1::Budget& answer) -> absl::Status {
        const int64_t now = clock();
        auto seen = ReplayIfSeen(txn, kIdempotencyCf, "PutBudget", prepared.key, request_id, fingerprint, now, &answer);
        if (!seen.ok()) return seen.status();
        if (*seen) return absl::OkStatus();
        absl::Status written = WriteBudget(txn, prepared, now, answer);
        if (!written.ok()) return written;
        RememberAnswer(txn, kIdempotencyCf, "PutBudget", prepared.key, request_id, fingerprint, now, answer);
        return absl::OkStatus();
      },
      std::move(done));
}

absl::Status LedgerCore::WritePin(Store::Txn& txn, const std::string& key, const std::string& budget_name,
                                  int64_t goals_revision, int64_t now, v1::GoalsPin& pin) {
  auto current = txn.Get(kGoalsPinsCf, key);
  if (!current.ok()) return current.status();
  v1::GoalsPin previous;
  if (current->has_value() && !previous.ParseFromString(**current)) {
    return absl::DataLossError("stored goals pin is unreadable: " + budget_name);
  }
  if (previous.goals_revision() > goals_revision) {
    return WithReason(
        absl::AbortedError(absl::StrCat(
            "同一预算的另一次申报已先提交（绩效目标修订版 ", previous.goals_revision(), "）；请重新暂存后再提交 / ",
            "another filing of ", budget_name, " committed first (goals revision ", previous.goals_revision(),
            " is pinned, this one is ", goals_revision, "): stage the goals again and commit")),
        "FILING_SUPERSEDED");
  }
  pin.set_budget_name(budget_name);
  pin.set_goals_revision(goals_revision);
  pin.set_revision_pinned(true);
  pin.set_update_time_unix_ms(now);
  txn.Put(kGoalsPinsCf, key, pin.SerializeAsString());
  txn.Put(kGoalsPinsCf, key + EncodeBigEndian64(goals_revision), "");
  // The pin is the moment a goals revision becomes visible to readers
  // (README § Atomic filings of the gateway): the goals service's staging
  // and promotion are not changes anyone can see.
  if (previous.goals_revision() != goals_revision) {
    LogChange(txn, yusuan::common::v1::CHANGE_KIND_GOALS_REVISION, budget_name + "/goals", goals_revision,
              RegionOfBudget(budget_name), budget_name, now);
  }
  return absl::OkStatus();
}

namespace {

// What a CommitFiling remembers for a retry: the budget by its name and
// revision (stored and immutable), not all its lines a second time.
v1::CommitFilingResponse RememberedCommit(const v1::CommitFilingResponse& answer) {
  v1::CommitFilingResponse remembered;
  *remembered.mutable_department() = answer.department();
  *remembered.mutable_budget() = RevisionReference(answer.budget());
  *remembered.mutable_goals_pin() = answer.goals_pin();
  return remembered;
}

}  // namespace

void LedgerCore::CommitFiling(const v1::CommitFilingRequest& request, Done<v1::CommitFilingResponse> done) {
  absl::StatusOr<PreparedDepartment> department = PrepareDepartment(request.department());
  if (!department.ok()) return done(department.status());
  absl::StatusOr<PreparedBudget> budget = PrepareBudget(department->department, request.budget());
  if (!budget.ok()) return done(budget.status());
  auto budget_name = ParseBudgetName(request.budget().name());
  if (budget_name->department.ToString() != department->department.name()) {
    return done(NameMismatch("budget.name", "预算", "the budget", department->department.name(),
                             budget_name->department.ToString(),
                             "file the budget under the department of the same filing"));
  }
  if (request.goals_revision() < 0) {
    return done(absl::InvalidArgumentError("goals_revision 不能为负 / goals_revision cannot be negative"));
  }
  // What ValidateBudget answers for the same department and budget; made
  // from the request, so a replayed answer gets it too without its being
  // remembered.
  ValidationReport validation;
  Merge(department->report, &validation);
  Merge(budget->report, &validation);
  Tally(validation);
  StampRuleSet(validation);
  const std::string request_id = request.request_id();
  const std::string fingerprint = RequestFingerprint(request);
  const int64_t goals_revision = request.goals_revision();
  SubmitAnswering<v1::CommitFilingResponse>(
      store_,
      [department = *std::move(department), budget = *std::move(budget), request_id, fingerprint, goals_revision,
       clock = clock_](Store::Txn& txn, v1::CommitFilingResponse& answer) -> absl::Status {
        const int64_t now = clock();
        auto seen =
            ReplayIfSeen(txn, kIdempotencyCf, "CommitFiling", budget.key, request_id, fingerprint, now, &answer);
        if (!seen.ok()) return seen.status();
        if (*seen) return RestoreRevisionReference(txn, kBudgetFamilies, budget.key, *answer.mutable_budget());
        absl::Status written = WriteDepartment(txn, department, /*must_not_exist=*/false, /*allow_missing=*/true, now,
                                               *answer.mutable_department());
        if (written.ok()) written = WriteBudget(txn, budget, now, *answer.mutable_budget());
        if (written.ok() && goals_revision > 0) {
          written = WritePin(txn, budget.key, budget.budget.name(), goals_revision, now, *answer.mutable_goals_pin());
        }
        if (!written.ok()) return written;
        RememberAnswer(txn, kIdempotencyCf, "CommitFiling", budget.key, request_id, fingerprint, now,
                       RememberedCommit(answer));
        return absl::OkStatus();
      },
      [validation = std::move(validation), done = std::move(done)](absl::StatusOr<v1::CommitFilingResponse> answer) {
        if (answer.ok()) *answer->mutable_validation() = validation;
        done(std::move(answer));
      });
}

void LedgerCore::PinGoals(const v1::PinGoalsRequest& request, Done<v1::GoalsPin> done) {
  auto parsed = ParseBudgetName(request.budget_name());
  if (!parsed.ok()) return done(parsed.status());
  if (request.goals_revision() <= 0) {
    return done(absl::InvalidArgumentError("goals_revision 必须为正整数 / goals_revision must be positive"));
  }
  const std::string key = parsed->Key();
  const std::string request_id = request.request_id();
  const std::string fingerprint = RequestFingerprint(request);
  SubmitAnswering<v1::GoalsPin>(
      store_,
      [key, request, request_id, fingerprint, clock = clock_](Store::Txn& txn, v1::GoalsPin& answer) -> absl::Status {
        const int64_t now = clock();
        auto seen = ReplayIfSeen(txn, kIdempotencyCf, "PinGoals", key, request_id, fingerprint, now, &answer);
        if (!seen.ok()) return seen.status();
        if (*seen) return absl::OkStatus();
        absl::Status written = WritePin(txn, key, request.budget_name(), request.goals_revision(), now, answer);
        if (!written.ok()) return written;
        RememberAnswer(txn, kIdempotencyCf, "PinGoals", key, request_id, fingerprint, now, answer);
        return absl::OkStatus();
      },
      std::move(done));
}

absl::StatusOr<v1::ReadChangesResponse> LedgerCore::ReadChanges(const v1::ReadChangesRequest& request) const {
  const std::string& prefix = request.region_prefix();
  if (prefix.size() > 6 || prefix.find_first_not_of("0123456789") != std::string::npos) {
    return InvalidField(
        "region_prefix", absl::StrCat("地区代码前缀只能是至多 6 位数字，收到 \"", prefix, "\""),
        absl::StrCat("region_prefix must be at most 6 digits (a region code or its start), got \"", prefix, "\""));
  }
  if (request.max_changes() < 0 || request.wait_ms() < 0) {
    return absl::InvalidArgumentError(
        "max_changes 与 wait_ms 不能为负 / max_changes and wait_ms cannot be negative; use 0 for the defaults");
  }
  const int max = request.max_changes() == 0 ? kDefaultChangePage : std::min(request.max_changes(), kMaxChangePage);
  const absl::Time deadline = absl::Now() + absl::Milliseconds(std::min(request.wait_ms(), kMaxChangeWaitMs));
  auto read = yusuan::ReadChanges(*store_, kChangesCf, prefix, request.after_sequence(), max, deadline);
  if (!read.ok()) return read.status();
  v1::ReadChangesResponse response;
  response.set_log_id(store_->log_id());
  for (auto& change : read->changes) *response.add_changes() = std::move(change);
  response.set_scanned_through(read->scanned_through);
  response.set_first_sequence(read->first_sequence);
  response.set_last_sequence(read->last_sequence);
  // This process (its projection version) and the catalogue version served
  // for each edition.
  std::string epoch = process_id_;
  for (const auto& [edition, about] : catalogues_->Snapshot()->about) {
    absl::StrAppend(&epoch, " ", edition, ".", about.version());
  }
  response.set_serving_epoch(std::move(epoch));
  return response;
}

absl::StatusOr<v1::GoalsPin> LedgerCore::GetGoalsPin(const v1::GetGoalsPinRequest& request) const {
  auto parsed = ParseBudgetName(request.budget_name());
  if (!parsed.ok()) return parsed.status();
  auto current = store_->Get(kGoalsPinsCf, parsed->Key());
  if (!current.ok()) return current.status();
  v1::GoalsPin pin;
  if (current->has_value() && !pin.ParseFromString(**current)) {
    return absl::DataLossError("stored goals pin is unreadable: " + request.budget_name());
  }
  pin.set_budget_name(request.budget_name());
  pin.set_revision_pinned(false);
  if (request.revision() > 0) {
    auto pinned = store_->Get(kGoalsPinsCf, parsed->Key() + EncodeBigEndian64(request.revision()));
    if (!pinned.ok()) return pinned.status();
    pin.set_revision_pinned(pinned->has_value());
  }
  return pin;
}

absl::StatusOr<v1::Budget> LedgerCore::GetBudget(const v1::GetBudgetRequest& request) const {
  return ParseWire<v1::Budget>(GetBudgetWire(request), "stored budget " + request.name());
}

absl::StatusOr<std::string> LedgerCore::GetBudgetWire(const v1::GetBudgetRequest& request) const {
  if (request.revision() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("revision 应为 0（当前修订）或正整数，实为 ", request.revision(),
                     " / revision must be 0 (the current revision) or a revision number, not ", request.revision()));
  }
  return LoadBudgetWire(request.name(), request.revision());
}

absl::StatusOr<v1::ListBudgetRevisionsResponse> LedgerCore::ListBudgetRevisions(
    const v1::ListBudgetRevisionsRequest& request) const {
  if (absl::Status size = CheckPageSize(request.page_size()); !size.ok()) return size;
  auto parsed = ParseBudgetName(request.name());
  if (!parsed.ok()) return parsed.status();
  v1::ListBudgetRevisionsResponse response;
  auto next = ScanNumberedPage(*store_, kRevisionsCf, parsed->Key(), request.page_token(),
                               PageSize(request.page_size()), response.mutable_revisions());
  if (!next.ok()) return next.status();
  response.set_next_page_token(*next);
  return response;
}

absl::StatusOr<v1::RevisionDiff> LedgerCore::DiffBudgetRevisions(const v1::DiffBudgetRevisionsRequest& request) const {
  if (request.from_revision() <= 0 || request.to_revision() < 0) {
    return absl::InvalidArgumentError(
        "from_revision 必须为正整数，to_revision 为 0（当前）或正整数 / "
        "from_revision must be positive and to_revision 0 (current) or "
        "positive");
  }
  auto parsed = ParseBudgetName(request.name());
  if (!parsed.ok()) return parsed.status();
  auto before = LoadBudget(request.name(), request.from_revision());
  if (!before.ok()) return before.status();
  auto after = LoadBudget(request.name(), request.to_revision());
  if (!after.ok()) return after.status();
  auto department = LoadDepartment(parsed->department.ToString());
  if (!department.ok()) return department.status();
  const auto served = catalogues_->Snapshot();
  auto before_tables = Project(*served, *department, *before);
  if (!before_tables.ok()) return before_tables.status();
  auto after_tables = Project(*served, *department, *after);
  if (!after_tables.ok()) return after_tables.status();
  return DiffRevisions(*before, *before_tables, *after, *after_tables);
}

void LedgerCore::TransitionBudget(const v1::TransitionBudgetRequest& request, Done<v1::BudgetVersion> done) {
  auto parsed = ParseBudgetName(request.name());
  if (!parsed.ok()) return done(parsed.status());
  if (request.action() == v1::WORKFLOW_ACTION_RETURN && request.comment().empty()) {
    return done(
        absl::InvalidArgumentError("退回时必须填写意见 / comment is required to return a budget: say what "
                                   "the preparer must change"));
  }
  // The comment is shown in the history and the reviewer's queue: text as
  // the filing's multi-line texts are (V-TEXT-CONTROL), line feeds and tabs
  // allowed.
  if (const ControlCharacter found = FirstControlCharacter(request.comment(), "\t\n"); found.position > 0) {
    absl::Status refused = absl::InvalidArgumentError(
        absl::StrCat("comment 含有", found.invisible_format ? "不可见的格式字符 " : "控制字符 ",
                     CodePointName(found.code_point), "（第 ", found.position, " 个字符）/ comment holds the ",
                     found.invisible_format ? "invisible formatting character " : "control character ",
                     CodePointName(found.code_point), " (character ", found.position, "): remove it"));
    google::rpc::BadRequest bad_request;
    auto* violation = bad_request.add_field_violations();
    violation->set_field("comment");
    violation->set_description(std::string(refused.message()));
    AttachDetail(refused, bad_request);
    return done(WithReason(std::move(refused), "TEXT_CONTROL_CHARACTER"));
  }
  auto budget = LoadBudget(request.name(), 0);
  if (!budget.ok()) return done(budget.status());
  // The catalogue version the submission is checked against: an import of
  // the edition committed meanwhile makes the step retry (below).
  const auto served = catalogues_->Snapshot();
  const int edition = budget->catalogue_edition();
  const int64_t catalogue_version = served->VersionOf(edition);
  if (request.action() == v1::WORKFLOW_ACTION_SUBMIT) {
    // Nothing with an FATAL finding reaches a reviewer.
    auto department = LoadDepartment(parsed->department.ToString());
    if (!department.ok()) return done(department.status());
    ValidationReport report = ValidateDepartment(*department);
    Merge(ledger::ValidateBudget(*department, *budget, served->set), &report);
    Tally(report);
    StampRuleSet(report);
    if (HasErrors(report)) return done(RejectedByRules(report, "预算", "the budget"));
  }
  const bool submitting = request.action() == v1::WORKFLOW_ACTION_SUBMIT;
  const int64_t checked_revision = budget->revision();
  const std::string key = parsed->Key();
  const std::string budget_name = parsed->ToString();
  // What the gateway derives is not what the caller asked: a retried
  // PUBLISH is recognised by the caller's fields alone, whatever version,
  // time and goals revision the gateway found for it.
  v1::TransitionBudgetRequest asked = request;
  asked.clear_publish_version();
  asked.clear_publish_time_unix_ms();
  if (request.action() == v1::WORKFLOW_ACTION_PUBLISH) asked.clear_goals_revision();
  const std::string fingerprint = RequestFingerprint(asked);
  SubmitAnswering<v1::BudgetVersion>(
      store_,
      [request, key, budget_name, checked_revision, submitting, edition, catalogue_version, fingerprint,
       clock = clock_](Store::Txn& txn, v1::BudgetVersion& answer) -> absl::Status {
        const int64_t now = clock();
        auto seen =
            ReplayIfSeen(txn, kIdempotencyCf, "TransitionBudget", key, request.request_id(), fingerprint, now, &answer);
        if (!seen.ok()) return seen.status();
        if (*seen) return absl::OkStatus();
        auto revision = CurrentRevision(txn, kBudgetFamilies, key);
        if (!revision.ok()) return revision.status();
        if (*revision != checked_revision) {
          return absl::AbortedError(
              absl::StrCat("预算在检查期间被修改 / the budget changed while this step was checked (revision ",
                           checked_revision, " → ", *revision, "); try again"));
        }
        if (request.expected_revision() != 0 && request.expected_revision() != *revision) {
          return absl::FailedPreconditionError(absl::StrCat("预算已不是您审阅的修订版 / the budget is at revision ",
                                                            *revision, ", not the revision ",
                                                            request.expected_revision(), " you reviewed"));
        }
        auto state = ReadWorkflow(txn, key);
        if (!state.ok()) return state.status();
        auto next = NextStatus(state->status(), request.action());
        if (!next.ok()) return next.status();
        if (submitting) {
          absl::Status current = CheckValidationIsCurrent(*state, *revision, kRuleSetVersion);
          if (!current.ok()) return WithReason(std::move(current), "VALIDATION_OUTDATED");
          auto stored_catalogue = CatalogueRegistry::StoredVersion(txn, edition);
          if (!stored_catalogue.ok()) return stored_catalogue.status();
          if (*stored_catalogue != catalogue_version) {
            return absl::AbortedError(
                absl::StrCat(edition, " 年版分类科目在检查期间导入了新版本 / edition ", edition,
                             " of the catalogue was imported again while this submission was checked (version ",
                             catalogue_version, " → ", *stored_catalogue, "); validate and submit again"));
          }
        }
        const bool publishing = request.action() == v1::WORKFLOW_ACTION_PUBLISH;
        if (publishing && request.publish_version() != 0 && request.publish_version() != state->last_version() + 1) {
          // The files were archived under publish_version; a version of
          // another number would publish files that name the wrong one.
          return WithReason(
              absl::FailedPreconditionError(absl::StrCat(
                  "公开文件已按版本 ", request.publish_version(), " 归档，但下一个版本为 ", state->last_version() + 1,
                  " / the files were archived as version ", request.publish_version(), " but the next version is ",
                  state->last_version() + 1, "; publish again")),
              "PUBLISH_VERSION_MISMATCH");
        }
        v1::BudgetVersion version;
        version.set_version(state->last_version() + 1);
        version.set_name(absl::StrCat(budget_name, "/versions/", version.version()));
        version.set_action(request.action());
        version.set_from_status(state->status());
        version.set_to_status(*next);
        version.set_ledger_revision(*revision);
        version.set_goals_revision(request.goals_revision());
        version.set_comment(request.comment());
        // A publication's time is its files' (they were rendered first).
        version.set_time_unix_ms(publishing && request.publish_time_unix_ms() > 0 ? request.publish_time_unix_ms()
                                                                                  : now);
        const v1::FilingStatus from = state->status();
        state->set_status(*next);
        state->set_last_version(version.version());
        if (*next == v1::FILING_STATUS_PUBLISHED) state->set_published_version(version.version());
        txn.Put(kVersionsCf, key + EncodeBigEndian64(version.version()), version.SerializeAsString());
        PutWorkflow(txn, key, from, *state);
        LogChange(
            txn, publishing ? yusuan::common::v1::CHANGE_KIND_PUBLISHED : yusuan::common::v1::CHANGE_KIND_WORKFLOW_STEP,
            version.name(), version.version(), RegionOfBudget(budget_name), budget_name, now,
            std::string(absl::StripPrefix(v1::FilingStatus_Name(*next), "FILING_STATUS_")));
        if (absl::Status refreshed = RefreshRollup(txn, key, /*recompute=*/false); !refreshed.ok()) return refreshed;
        answer = version;
        RememberAnswer(txn, kIdempotencyCf, "TransitionBudget", key, request.request_id(), fingerprint, now, version);
        return absl::OkStatus();
      },
      std::move(done));
}

absl::StatusOr<v1::ListBudgetVersionsResponse> LedgerCore::ListBudgetVersions(
    const v1::ListBudgetVersionsRequest& request) const {
  if (absl::Status size = CheckPageSize(request.page_size()); !size.ok()) return size;
  auto parsed = ParseBudgetName(request.name());
  if (!parsed.ok()) return parsed.status();
  v1::ListBudgetVersionsResponse response;
  auto next = ScanNumberedPage(*store_, kVersionsCf, parsed->Key(), request.page_token(), PageSize(request.page_size()),
                               response.mutable_versions());
  if (!next.ok()) return next.status();
  response.set_next_page_token(*next);
  return response;
}

absl::StatusOr<v1::ListSubmissionsResponse> LedgerCore::ListSubmissions(
    const v1::ListSubmissionsRequest& request) const {
  if (absl::Status size = CheckPageSize(request.page_size()); !size.ok()) return size;
  // "regions/" (everything) or "regions/{code prefix}"; workflow keys start
  // with the region code, so a prefix scan finds every district under it.
  std::string region;
  if (request.parent() != "regions/") {
    auto parsed = ParseRegionName(request.parent());
    if (!parsed.ok()) return parsed.status();
    region = *parsed;
  }
  const v1::FilingStatus wanted =
      request.status() == v1::FILING_STATUS_UNSPECIFIED ? v1::FILING_STATUS_SUBMITTED : request.status();
  // The queue of `wanted` under the region: its own entries, a page of them.
  const std::string queue = QueueKey(wanted, region);
  std::string start_after;
  if (!request.page_token().empty()) {
    absl::StatusOr<BudgetName> after = ParseBudgetPageToken(request.page_token(), absl::StrCat("regions/", region));
    if (!after.ok()) return after.status();
    start_after = QueueKey(wanted, after->Key());
  }
  v1::ListSubmissionsResponse response;
  const int page_size = PageSize(request.page_size(), kQueuePageSizes);
  absl::Status failed = absl::OkStatus();
  const size_t status_bytes = queue.size() - region.size();
  absl::Status scanned = store_->Scan(kQueueCf, queue, start_after, [&](std::string_view queue_key, std::string_view) {
    if (response.submissions_size() == page_size) {
      response.set_next_page_token(response.submissions(page_size - 1).budget_name());
      return false;
    }
    // Key: {region}/{agency}/{big-endian year}.
    const std::string_view key = queue_key.substr(status_bytes);
    const size_t slash = key.find('/');
    if (slash == std::string_view::npos || key.size() < slash + 6) return true;
    auto stored = store_->Get(kWorkflowCf, key);
    if (!stored.ok()) {
      failed = stored.status();
      return false;
    }
    v1::WorkflowState state;
    if (!stored->has_value() || !state.ParseFromString(**stored) || Normalize(state.status()) != wanted) {
      return true;
    }
    BudgetName name;
    name.department.region = std::string(key.substr(0, slash));
    name.department.agency = std::string(key.substr(slash + 1, key.size() - 5 - slash - 1));
    name.year = static_cast<int>(DecodeBigEndian32(key.substr(key.size() - 4)));
    v1::Submission* submission = response.add_submissions();
    submission->set_budget_name(name.ToString());
    submission->set_fiscal_year(name.year);
    submission->set_status(wanted);
    if (auto department = LoadDepartment(name.department.ToString()); department.ok()) {
      submission->set_department_full_name(department->full_name());
    }
    auto version = store_->Get(kVersionsCf, name.Key() + EncodeBigEndian64(state.last_version()));
    if (!version.ok()) {
      failed = version.status();
      return false;
    }
    if (version->has_value()) submission->mutable_last_version()->ParseFromString(**version);
    return true;
  });
  if (!scanned.ok()) return scanned;
  if (!failed.ok()) return failed;
  return response;
}

void LedgerCore::ValidateBudget(const v1::ValidateBudgetRequest& request, Done<ValidationReport> done) {
  ValidationReport report;
  if (request.name().empty()) {
    Merge(ValidateDepartment(request.department()), &report);
    Merge(ledger::ValidateBudget(request.department(), request.budget(), catalogues_->Snapshot()->set), &report);
    Tally(report);
    StampRuleSet(report);
    return done(std::move(report));
  }
  // The stored budget: validate it and record that its current revision
  // was checked by this rule set (what SUBMIT requires).
  if (request.has_department() || request.has_budget()) {
    return done(
        absl::InvalidArgumentError("name 与 department/budget 只能二选一 / give either name (the stored "
                                   "budget) or department and budget, not both"));
  }
  auto parsed = ParseBudgetName(request.name());
  if (!parsed.ok()) return done(parsed.status());
  auto budget = LoadBudget(request.name(), 0);
  if (!budget.ok()) return done(budget.status());
  auto department = LoadDepartment(parsed->department.ToString());
  if (!department.ok()) return done(department.status());
  Merge(ValidateDepartment(*department), &report);
  Merge(ledger::ValidateBudget(*department, *budget, catalogues_->Snapshot()->set), &report);
  Tally(report);
  StampRuleSet(report);
  const int64_t validated_revision = budget->revision();
  const int32_t fatal_count = report.fatal_count();
  const std::string key = parsed->Key();
  SubmitAnswering<ValidationReport>(
      store_,
      [key, validated_revision, fatal_count, report = std::move(report), clock = clock_](
          Store::Txn& txn, ValidationReport& answer) -> absl::Status {
        answer = report;
        auto revision = CurrentRevision(txn, kBudgetFamilies, key);
        if (!revision.ok()) return revision.status();
        // A put meanwhile recorded its own validation; keep that one.
        if (*revision != validated_revision) return absl::OkStatus();
        auto state = ReadWorkflow(txn, key);
        if (!state.ok()) return state.status();
        RecordValidation(validated_revision, fatal_count, clock(), *state);
        PutWorkflow(txn, key, state->status(), *state);
        return absl::OkStatus();
      },
      std::move(done));
}

absl::StatusOr<v1::BudgetTables> LedgerCore::ComputeTables(const v1::ComputeTablesRequest& request) const {
  v1::Budget budget;
  if (request.has_budget()) {
    budget = request.budget();
  } else {
    auto loaded = LoadBudget(request.name(), 0);
    if (!loaded.ok()) return loaded.status();
    budget = std::move(*loaded);
  }
  v1::Department department;
  if (auto parsed = ParseBudgetName(budget.name()); parsed.ok()) {
    auto loaded = LoadDepartment(parsed->department.ToString());
    if (loaded.ok()) department = std::move(*loaded);
  }
  if (request.has_unit_code()) {
    // Outside the ledger the 本级 goes by the department's agency code.
    const std::string unit_code =
        request.unit_code() == department.agency_code() ? kHeadquartersUnit : request.unit_code();
    auto unit = FilingOfUnit(department, budget, unit_code);
    if (!unit.ok()) return unit.status();
    department = std::move(unit->department);
    budget = std::move(unit->budget);
  }
  const auto served = catalogues_->Snapshot();
  auto tables = Project(*served, department, budget);
  if (tables.ok() && request.with_sources()) {
    // Project() found the catalogue, so it is there.
    absl::Status traced =
        ledger::AddSources(department, budget, *served->set.Find(budget.catalogue_edition()), *tables);
    if (!traced.ok()) return traced;
  }
  return tables;
}

absl::StatusOr<v1::ReportRevision> LedgerCore::GetReportRevision(const v1::GetReportRevisionRequest& request) const {
  auto name = ParseBudgetName(request.budget_name());
  if (!name.ok()) return name.status();
  // Only the etags, the status and the edition: the stored records are read
  // for those fields, their lines skipped, not parsed (a render found in the
  // cache by this answer reads nothing else).
  absl::StatusOr<std::string> budget = LoadBudgetWire(request.budget_name(), 0);
  if (!budget.ok()) return budget.status();
  v1::ReportRevision revision;
  const bool budget_read = ReadTopLevelFields(
      *budget, {v1::Budget::kCatalogueEditionFieldNumber, v1::Budget::kStatusFieldNumber, v1::Budget::kEtagFieldNumber},
      [&revision](int field, uint64_t value) {
        if (field == v1::Budget::kStatusFieldNumber) {
          revision.set_budget_status(static_cast<v1::FilingStatus>(static_cast<int32_t>(value)));
        } else {
          revision.set_catalogue_edition(static_cast<int32_t>(value));
        }
      },
      [&revision](int, std::string_view etag) { revision.set_budget_etag(std::string(etag)); });
  if (!budget_read)
    return absl::DataLossError("stored budget " + request.budget_name() + " is unreadable / 存储的数据无法读取");
  // As ComputeTables: a budget whose department is missing projects with an empty one.
  absl::StatusOr<std::string> department = LoadDepartmentWire(name->department.ToString());
  if (!department.ok() && !absl::IsNotFound(department.status())) return department.status();
  if (department.ok() &&
      !ReadTopLevelFields(
          *department, {v1::Department::kEtagFieldNumber}, [](int, uint64_t) {},
          [&revision](int, std::string_view etag) { revision.set_department_etag(std::string(etag)); })) {
    return absl::DataLossError("stored department " + name->department.ToString() +
                               " is unreadable / 存储的数据无法读取");
  }
  v1::GetGoalsPinRequest pin_request;
  pin_request.set_budget_name(request.budget_name());
  absl::StatusOr<v1::GoalsPin> pin = GetGoalsPin(pin_request);
  if (!pin.ok()) return pin.status();
  revision.set_catalogue_version(catalogues_->Snapshot()->VersionOf(revision.catalogue_edition()));
  revision.set_projection_version(ledger::kProjectionVersion);
  *revision.mutable_pin() = *std::move(pin);
  return revision;
}

absl::StatusOr<v1::Rollup> LedgerCore::GetRollup(const v1::GetRollupRequest& request) const {
  auto name = ParseRollupName(request.name());
  if (!name.ok()) return name.status();
  std::set<int> wanted;
  for (int i = 0; i < request.statuses_size(); ++i) {
    const int status = request.statuses(i);
    if (status == v1::FILING_STATUS_UNSPECIFIED || !v1::FilingStatus_IsValid(status)) {
      absl::Status refused = absl::InvalidArgumentError(absl::StrCat(
          "statuses[", i, "] 不是工作流状态（", status,
          "）；可选 DRAFT、SUBMITTED、RETURNED、APPROVED、PUBLISHED / statuses[", i, "] is not a workflow state (",
          status, "): use DRAFT, SUBMITTED, RETURNED, APPROVED or PUBLISHED"));
      google::rpc::BadRequest bad_request;
      auto* violation = bad_request.add_field_violations();
      violation->set_field(absl::StrCat("statuses[", i, "]"));
      violation->set_description(std::string(refused.message()));
      AttachDetail(refused, bad_request);
      return refused;
    }
    wanted.insert(status);
  }
  if (wanted.empty()) {
    for (int status = v1::FILING_STATUS_DRAFT; status <= v1::FILING_STATUS_PUBLISHED; ++status) wanted.insert(status);
  }
  // One scan reads every state of the prefix from one view of the store, so
  // a budget that moves between two states meanwhile is counted once.
  v1::RollupTotals sum;
  absl::Status added = absl::OkStatus();
  const std::string prefix = SumPrefix(name->year, name->region);
  absl::Status scanned = store_->Scan(kRollupsCf, prefix, "", [&](std::string_view key, std::string_view value) {
    int status = 0;
    if (!absl::SimpleAtoi(std::string(key.substr(prefix.size())), &status) || wanted.count(status) == 0) return true;
    v1::RollupTotals stored;
    if (!stored.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      added = absl::DataLossError(absl::StrCat("stored roll-up is unreadable: ", std::string(key)));
      return false;
    }
    added = AddTotals(stored, +1, sum);
    return added.ok();
  });
  if (!scanned.ok()) return scanned;
  if (!added.ok()) return added;
  const auto served = catalogues_->Snapshot();
  v1::Rollup rollup = PresentRollup(sum, served->set.Find(name->year));
  rollup.set_name(name->ToString());
  rollup.set_region_prefix(name->region);
  rollup.set_fiscal_year(name->year);
  for (int status : wanted) rollup.add_statuses(static_cast<v1::FilingStatus>(status));
  rollup.set_read_time_unix_ms(clock_());
  return rollup;
}

absl::StatusOr<v1::Catalogue> LedgerCore::GetCatalogue(const v1::GetCatalogueRequest& request) const {
  if (request.version() < 0) {
    return absl::InvalidArgumentError(
        "version 应为 0（当前版本）或正整数 / version must be 0 (the version served) or a "
        "stored version number");
  }
  if (request.version() > 0) {
    auto loaded = catalogues_->LoadVersion(request.edition(), request.version());
    if (!loaded.ok()) return loaded.status();
    v1::Catalogue catalogue = loaded->first.ToProto();
    *catalogue.mutable_about() = loaded->second;
    // How many versions there are now, not when this one was stored.
    const auto served = catalogues_->Snapshot();
    if (auto about = served->about.find(request.edition()); about != served->about.end()) {
      catalogue.mutable_about()->set_stored_versions(about->second.stored_versions());
    }
    return catalogue;
  }
  const auto served = catalogues_->Snapshot();
  auto found = served->Find(request.edition());
  if (!found.ok()) return found.status();
  v1::Catalogue catalogue = (*found)->ToProto();
  *catalogue.mutable_about() = served->about.at(request.edition());
  return catalogue;
}

v1::ListCataloguesResponse LedgerCore::ListCatalogues() const {
  v1::ListCataloguesResponse response;
  for (const auto& [edition, about] : catalogues_->Snapshot()->about) *response.add_editions() = about;
  return response;
}

absl::StatusOr<v1::CatalogueCodeDetail> LedgerCore::GetCatalogueCode(const v1::GetCatalogueCodeRequest& request) const {
  const auto served = catalogues_->Snapshot();
  auto catalogue = served->Find(request.edition());
  if (!catalogue.ok()) return catalogue.status();
  auto detail = DescribeCatalogueCode(**catalogue, request.code());
  if (!detail.ok()) {
    return WithReason(detail.status(), absl::IsNotFound(detail.status()) ? "CODE_NOT_FOUND" : "CODE_MALFORMED");
  }
  return detail;
}

absl::StatusOr<v1::CatalogueDiff> LedgerCore::DiffCatalogues(const v1::DiffCataloguesRequest& request) const {
  const auto served = catalogues_->Snapshot();
  auto from = served->Find(request.from_edition());
  if (!from.ok()) return from.status();
  auto to = served->Find(request.to_edition());
  if (!to.ok()) return to.status();
  v1::CatalogueDiff diff = CatalogueDiffToProto(**from, **to);
  *diff.mutable_from() = served->about.at(request.from_edition());
  *diff.mutable_to() = served->about.at(request.to_edition());
  return diff;
}

void LedgerCore::ImportCatalogue(const v1::ImportCatalogueRequest& request, Done<v1::CatalogueEdition> done) {
  catalogues_->Import(request, std::move(done));
}

}  // namespace yusuan::ledger
