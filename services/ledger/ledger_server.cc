#include "services/ledger/ledger_server.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/rule_catalogue.h"
#include "services/ledger/domain/rule_catalogue.h"
#include "services/common/resource_names.h"
#include "services/common/revisions.h"
#include "services/common/server.h"
#include "services/ledger/domain/diff.h"
#include "services/ledger/domain/projections.h"
#include "services/ledger/domain/provenance.h"
#include "services/ledger/domain/rules.h"
#include "services/ledger/domain/workflow.h"

namespace yusuan::ledger {
namespace {

using yusuan::common::v1::ValidationReport;

const RevisionedFamilies kBudgetFamilies{kBudgetHeadsCf, kRevisionsCf};

void Finish(grpc::ServerUnaryReactor* reactor, const absl::Status& status) {
  reactor->Finish(ToGrpcStatus(status));
}

void Merge(const ValidationReport& from, ValidationReport* into) {
  for (const auto& finding : from.findings()) *into->add_findings() = finding;
}

bool HasErrors(const ValidationReport& report) { return report.fatal_count() > 0; }

// A resource name that disagrees with the codes or year inside the resource.
absl::Status NameMismatch(const std::string& field, const std::string& what_zh,
                          const std::string& what_en, const std::string& expected,
                          const std::string& actual, const std::string& hint) {
  ValidationReport report;
  auto* f = report.add_findings();
  f->set_rule_id("V-NAME-MISMATCH");
  f->set_severity(yusuan::common::v1::SEVERITY_FATAL);
  f->set_field(field);
  f->set_message_zh(field + "：资源名称与其中的代码或年度不一致");
  f->set_message_en(field + ": the resource name disagrees with the codes or year it holds");
  f->set_expected(expected);
  f->set_actual(actual);
  f->set_hint(hint);
  Tally(report);
  return RejectedByRules(report, what_zh, what_en);
}

absl::Status NotFound(const std::string& what_zh, const std::string& what_en,
                      const std::string& name) {
  return WithReason(absl::NotFoundError(absl::StrCat(what_zh, "不存在 / ", what_en,
                                                     " not found: ", name)),
                    "NOT_FOUND");
}

}  // namespace

std::vector<std::string> LedgerColumnFamilies() {
  return {kDepartmentsCf, kBudgetHeadsCf,     kRevisionsCf,        kIdempotencyCf,
          kWorkflowCf,    kVersionsCf,        kCatalogueHeadsCf,   kCatalogueVersionsCf};
}

namespace {

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

void RecordValidation(int64_t revision, int32_t fatal_count, v1::WorkflowState& state) {
  v1::ValidationStamp* stamp = state.mutable_last_validation();
  stamp->set_revision(revision);
  stamp->set_rule_set_version(kRuleSetVersion);
  stamp->set_fatal_count(fatal_count);
  stamp->set_time_unix_ms(NowUnixMillis());
}


}  // namespace

LedgerServer::LedgerServer(Store* store, WorkerPool* pool, CatalogueRegistry* catalogues)
    : store_(store), pool_(pool), catalogues_(catalogues) {}

// Reads and rule checks touch storage and take CPU time, so they run on the
// pool, never in the reaction; writes then go to the store's writer thread.
grpc::ServerUnaryReactor* LedgerServer::Offload(
    grpc::CallbackServerContext* context, std::function<void(grpc::ServerUnaryReactor*)> work) {
  return OffloadUnary(context, pool_, std::move(work));
}

absl::StatusOr<v1::Department> LedgerServer::LoadDepartment(const std::string& name) const {
  auto parsed = ParseDepartmentName(name);
  if (!parsed.ok()) return parsed.status();
  auto stored = store_->Get(kDepartmentsCf, parsed->Key());
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return NotFound("部门", "department", name);
  v1::Department department;
  if (!department.ParseFromString(**stored)) {
    return absl::DataLossError("stored department is unreadable: " + name);
  }
  return department;
}

absl::StatusOr<v1::Budget> LedgerServer::LoadBudget(const std::string& name,
                                                    int64_t revision) const {
  auto parsed = ParseBudgetName(name);
  if (!parsed.ok()) return parsed.status();
  auto bytes = ReadRevision(*store_, kBudgetFamilies, parsed->Key(), revision);
  if (absl::IsNotFound(bytes.status())) {
    return NotFound("预算", "budget",
                    revision > 0 ? absl::StrCat(name, " revision ", revision) : name);
  }
  if (!bytes.ok()) return bytes.status();
  v1::Budget budget;
  if (!budget.ParseFromString(*bytes)) return absl::DataLossError("stored budget is unreadable");
  auto workflow = store_->Get(kWorkflowCf, parsed->Key());
  if (!workflow.ok()) return workflow.status();
  v1::WorkflowState state;
  if (workflow->has_value()) state.ParseFromString(**workflow);
  budget.set_status(Normalize(state.status()));
  return budget;
}

void LedgerServer::PutDepartment(grpc::ServerUnaryReactor* reactor,
                                 const v1::Department& input, const std::string& request_id,
                                 bool must_not_exist, bool allow_missing,
                                 v1::Department* response) {
  v1::Department department = input;
  if (department.name().empty() && !department.region_code().empty()) {
    department.set_name(DepartmentName{department.region_code(), department.agency_code()}.ToString());
  }
  ValidationReport report = ValidateDepartment(department);
  if (HasErrors(report)) {
    reactor->Finish(ToGrpcStatus(RejectedByRules(report, "部门信息", "the department")));
    return;
  }
  auto parsed = ParseDepartmentName(department.name());
  if (!parsed.ok()) {
    reactor->Finish(ToGrpcStatus(parsed.status()));
    return;
  }
  if (parsed->region != department.region_code() || parsed->agency != department.agency_code()) {
    reactor->Finish(ToGrpcStatus(NameMismatch(
        "department.name", "部门信息", "the department",
        DepartmentName{department.region_code(), department.agency_code()}.ToString(),
        department.name(),
        "leave name empty or make it regions/{regionCode}/departments/{agencyCode}")));
    return;
  }
  const std::string key = parsed->Key();
  const std::string method = must_not_exist ? "CreateDepartment" : "UpdateDepartment";
  const std::string fingerprint = RequestFingerprint(input);
  store_->Submit(
      [=, this](Store::Txn& txn) -> absl::Status {
        auto seen = ReplayIfSeen(txn, kIdempotencyCf, method, request_id, fingerprint, response);
        if (!seen.ok()) return seen.status();
        if (*seen) return absl::OkStatus();
        auto existing = txn.Get(kDepartmentsCf, key);
        if (!existing.ok()) return existing.status();
        if (existing->has_value() && must_not_exist) {
          return WithReason(absl::AlreadyExistsError(absl::StrCat(
                                "部门已存在 / department already exists: ", department.name(),
                                "; use UpdateDepartment (or yusuan apply) to change it")),
                            "ALREADY_EXISTS");
        }
        if (!existing->has_value() && !must_not_exist && !allow_missing) {
          return NotFound("部门", "department", department.name());
        }
        v1::Department stored = department;
        if (existing->has_value() && !department.etag().empty()) {
          v1::Department previous;
          previous.ParseFromString(**existing);
          if (previous.etag() != department.etag()) {
            return absl::AbortedError(absl::StrCat(
                "etag 已过期 / stale etag for ", department.name(), " (yours ",
                department.etag(), ", current ", previous.etag(), "); read it again"));
          }
        }
        stored.set_update_time_unix_ms(NowUnixMillis());
        stored.set_etag("");
        stored.set_etag(MakeEtag(stored.update_time_unix_ms(), stored.SerializeAsString()));
        txn.Put(kDepartmentsCf, key, stored.SerializeAsString());
        *response = stored;
        RememberAnswer(txn, kIdempotencyCf, method, request_id, fingerprint, stored);
        return absl::OkStatus();
      },
      [reactor](absl::Status status) { reactor->Finish(ToGrpcStatus(status)); });
}

grpc::ServerUnaryReactor* LedgerServer::CreateDepartment(
    grpc::CallbackServerContext* context, const v1::CreateDepartmentRequest* request,
    v1::Department* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    PutDepartment(reactor, request->department(), request->request_id(),
                  /*must_not_exist=*/true, /*allow_missing=*/true, response);
  });
}

grpc::ServerUnaryReactor* LedgerServer::UpdateDepartment(
    grpc::CallbackServerContext* context, const v1::UpdateDepartmentRequest* request,
    v1::Department* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    PutDepartment(reactor, request->department(), request->request_id(),
                  /*must_not_exist=*/false, request->allow_missing(), response);
  });
}

grpc::ServerUnaryReactor* LedgerServer::GetDepartment(grpc::CallbackServerContext* context,
                                                      const v1::GetDepartmentRequest* request,
                                                      v1::Department* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    auto department = LoadDepartment(request->name());
    if (department.ok()) *response = std::move(*department);
    Finish(reactor, department.status());
  });
}

grpc::ServerUnaryReactor* LedgerServer::ListDepartments(
    grpc::CallbackServerContext* context, const v1::ListDepartmentsRequest* request,
    v1::ListDepartmentsResponse* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    std::string prefix;
    if (!request->parent().empty()) {
      auto region = ParseRegionName(request->parent());
      if (!region.ok()) return Finish(reactor, region.status());
      prefix = *region;
    }
    const int page_size = PageSize(request->page_size());
    std::string last_key;
    bool more = false;
    absl::Status status = store_->Scan(
        kDepartmentsCf, prefix, request->page_token(),
        [&](std::string_view key, std::string_view value) {
          if (response->departments_size() == page_size) {
            more = true;
            return false;
          }
          response->add_departments()->ParseFromString(std::string(value));
          last_key = std::string(key);
          return true;
        });
    if (status.ok() && more) response->set_next_page_token(last_key);
    Finish(reactor, status);
  });
}

grpc::ServerUnaryReactor* LedgerServer::PutBudget(grpc::CallbackServerContext* context,
                                                  const v1::PutBudgetRequest* request,
                                                  v1::Budget* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    auto parsed = ParseBudgetName(request->budget().name());
    if (!parsed.ok()) {
      reactor->Finish(ToGrpcStatus(parsed.status()));
      return;
    }
    auto department = LoadDepartment(parsed->department.ToString());
    if (!department.ok()) {
      absl::Status status = department.status();
      if (absl::IsNotFound(status)) {
        status = WithReason(absl::FailedPreconditionError(absl::StrCat(
                                "部门不存在，请先创建部门 / the department ",
                                parsed->department.ToString(),
                                " does not exist: create it first (yusuan apply does both)")),
                            "DEPARTMENT_MISSING");
      }
      reactor->Finish(ToGrpcStatus(status));
      return;
    }
    v1::Budget budget = request->budget();
    ValidationReport report = ledger::ValidateBudget(*department, budget, catalogues_->Snapshot()->set);
    if (HasErrors(report)) {
      reactor->Finish(ToGrpcStatus(RejectedByRules(report, "预算", "the budget")));
      return;
    }
    if (budget.fiscal_year() != parsed->year) {
      reactor->Finish(ToGrpcStatus(NameMismatch(
          "budget.fiscalYear", "预算", "the budget", absl::StrCat(parsed->year),
          absl::StrCat(budget.fiscal_year()),
          "make fiscalYear equal the year at the end of budget.name")));
      return;
    }
    budget.set_status(v1::FILING_STATUS_DRAFT);
    const std::string key = parsed->Key();
    const std::string request_id = request->request_id();
    const std::string fingerprint = RequestFingerprint(request->budget());
    const int32_t fatal_count = report.fatal_count();
    store_->Submit(
        [budget, key, request_id, fingerprint, fatal_count,
         response](Store::Txn& txn) mutable -> absl::Status {
          auto seen =
              ReplayIfSeen(txn, kIdempotencyCf, "PutBudget", request_id, fingerprint, response);
          if (!seen.ok()) return seen.status();
          if (*seen) return absl::OkStatus();
          auto state = ReadWorkflow(txn, key);
          if (!state.ok()) return state.status();
          auto after_edit = StatusAfterEdit(state->status());
          if (!after_edit.ok()) return after_edit.status();
          absl::Status written = WriteNextRevision(txn, kBudgetFamilies, key, budget);
          if (!written.ok()) return written;
          state->set_status(*after_edit);
          RecordValidation(budget.revision(), fatal_count, *state);
          txn.Put(kWorkflowCf, key, state->SerializeAsString());
          *response = budget;
          RememberAnswer(txn, kIdempotencyCf, "PutBudget", request_id, fingerprint, budget);
          return absl::OkStatus();
        },
        [reactor](absl::Status status) { reactor->Finish(ToGrpcStatus(status)); });
  });
}

grpc::ServerUnaryReactor* LedgerServer::GetBudget(grpc::CallbackServerContext* context,
                                                  const v1::GetBudgetRequest* request,
                                                  v1::Budget* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    auto budget = LoadBudget(request->name(), request->revision());
    if (budget.ok()) *response = std::move(*budget);
    Finish(reactor, budget.status());
  });
}

grpc::ServerUnaryReactor* LedgerServer::ListBudgetRevisions(
    grpc::CallbackServerContext* context, const v1::ListBudgetRevisionsRequest* request,
    v1::ListBudgetRevisionsResponse* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    auto parsed = ParseBudgetName(request->name());
    if (!parsed.ok()) return Finish(reactor, parsed.status());
    auto next = ScanNumberedPage(*store_, kRevisionsCf, parsed->Key(), request->page_token(),
                                 PageSize(request->page_size()), response->mutable_revisions());
    if (next.ok()) response->set_next_page_token(*next);
    Finish(reactor, next.status());
  });
}

absl::StatusOr<v1::BudgetTables> LedgerServer::Project(const ServedCatalogues& served,
                                                       const v1::Department& department,
                                                       const v1::Budget& budget) const {
  const Catalogue* catalogue = served.set.Find(budget.catalogue_edition());
  if (catalogue == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "没有 ", budget.catalogue_edition(), " 年版分类科目 / no classification catalogue of edition ",
        budget.catalogue_edition(), " is loaded"));
  }
  return ledger::ComputeTables(department, budget, *catalogue);
}

grpc::ServerUnaryReactor* LedgerServer::DiffBudgetRevisions(
    grpc::CallbackServerContext* context, const v1::DiffBudgetRevisionsRequest* request,
    v1::RevisionDiff* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    if (request->from_revision() <= 0 || request->to_revision() < 0) {
      return Finish(reactor, absl::InvalidArgumentError(
                                 "from_revision 必须为正整数，to_revision 为 0（当前）或正整数 / "
                                 "from_revision must be positive and to_revision 0 (current) or "
                                 "positive"));
    }
    auto parsed = ParseBudgetName(request->name());
    if (!parsed.ok()) return Finish(reactor, parsed.status());
    auto before = LoadBudget(request->name(), request->from_revision());
    if (!before.ok()) return Finish(reactor, before.status());
    auto after = LoadBudget(request->name(), request->to_revision());
    if (!after.ok()) return Finish(reactor, after.status());
    auto department = LoadDepartment(parsed->department.ToString());
    if (!department.ok()) return Finish(reactor, department.status());
    const auto served = catalogues_->Snapshot();
    auto before_tables = Project(*served, *department, *before);
    if (!before_tables.ok()) return Finish(reactor, before_tables.status());
    auto after_tables = Project(*served, *department, *after);
    if (!after_tables.ok()) return Finish(reactor, after_tables.status());
    *response = DiffRevisions(*before, *before_tables, *after, *after_tables);
    Finish(reactor, absl::OkStatus());
  });
}

grpc::ServerUnaryReactor* LedgerServer::TransitionBudget(
    grpc::CallbackServerContext* context, const v1::TransitionBudgetRequest* request,
    v1::BudgetVersion* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    auto parsed = ParseBudgetName(request->name());
    if (!parsed.ok()) return Finish(reactor, parsed.status());
    if (request->action() == v1::WORKFLOW_ACTION_RETURN && request->comment().empty()) {
      return Finish(reactor,
                    absl::InvalidArgumentError(
                        "退回时必须填写意见 / comment is required to return a budget: say what "
                        "the preparer must change"));
    }
    auto budget = LoadBudget(request->name(), 0);
    if (!budget.ok()) return Finish(reactor, budget.status());
    // The catalogue version the submission is checked against: an import of
    // the edition committed meanwhile makes the step retry (below).
    const auto served = catalogues_->Snapshot();
    const int edition = budget->catalogue_edition();
    const int64_t catalogue_version = served->VersionOf(edition);
    if (request->action() == v1::WORKFLOW_ACTION_SUBMIT) {
      // Nothing with an FATAL finding reaches a reviewer.
      auto department = LoadDepartment(parsed->department.ToString());
      if (!department.ok()) return Finish(reactor, department.status());
      ValidationReport report = ValidateDepartment(*department);
      Merge(ledger::ValidateBudget(*department, *budget, served->set), &report);
      Tally(report);
      Annotate(LedgerRules(), report);
      if (HasErrors(report)) {
        return Finish(reactor, RejectedByRules(report, "预算", "the budget"));
      }
    }
    const bool submitting = request->action() == v1::WORKFLOW_ACTION_SUBMIT;
    const int64_t checked_revision = budget->revision();
    const std::string key = parsed->Key();
    const std::string budget_name = parsed->ToString();
    const std::string fingerprint = RequestFingerprint(*request);
    store_->Submit(
        [request, response, key, budget_name, checked_revision, submitting, edition, catalogue_version,
         fingerprint](Store::Txn& txn) -> absl::Status {
          auto seen = ReplayIfSeen(txn, kIdempotencyCf, "TransitionBudget", request->request_id(),
                                   fingerprint, response);
          if (!seen.ok()) return seen.status();
          if (*seen) return absl::OkStatus();
          auto revision = CurrentRevision(txn, kBudgetFamilies, key);
          if (!revision.ok()) return revision.status();
          if (*revision != checked_revision) {
            return absl::AbortedError(absl::StrCat(
                "预算在检查期间被修改 / the budget changed while this step was checked (revision ",
                checked_revision, " → ", *revision, "); try again"));
          }
          if (request->expected_revision() != 0 && request->expected_revision() != *revision) {
            return absl::FailedPreconditionError(absl::StrCat(
                "预算已不是您审阅的修订版 / the budget is at revision ", *revision,
                ", not the revision ", request->expected_revision(), " you reviewed"));
          }
          auto state = ReadWorkflow(txn, key);
          if (!state.ok()) return state.status();
          auto next = NextStatus(state->status(), request->action());
          if (!next.ok()) return next.status();
          if (submitting) {
            absl::Status current = CheckValidationIsCurrent(*state, *revision, kRuleSetVersion);
            if (!current.ok()) return WithReason(std::move(current), "VALIDATION_OUTDATED");
            auto stored_catalogue = CatalogueRegistry::StoredVersion(txn, edition);
            if (!stored_catalogue.ok()) return stored_catalogue.status();
            if (*stored_catalogue != catalogue_version) {
              return absl::AbortedError(absl::StrCat(
                  edition, " 年版分类科目在检查期间导入了新版本 / edition ", edition,
                  " of the catalogue was imported again while this submission was checked (version ",
                  catalogue_version, " → ", *stored_catalogue, "); validate and submit again"));
            }
          }
          v1::BudgetVersion version;
          version.set_version(state->last_version() + 1);
          version.set_name(absl::StrCat(budget_name, "/versions/", version.version()));
          version.set_action(request->action());
          version.set_from_status(state->status());
          version.set_to_status(*next);
          version.set_ledger_revision(*revision);
          version.set_goals_revision(request->goals_revision());
          version.set_comment(request->comment());
          version.set_time_unix_ms(NowUnixMillis());
          state->set_status(*next);
          state->set_last_version(version.version());
          if (*next == v1::FILING_STATUS_PUBLISHED) state->set_published_version(version.version());
          txn.Put(kVersionsCf, key + EncodeBigEndian64(version.version()),
                  version.SerializeAsString());
          txn.Put(kWorkflowCf, key, state->SerializeAsString());
          *response = version;
          RememberAnswer(txn, kIdempotencyCf, "TransitionBudget", request->request_id(),
                         fingerprint, version);
          return absl::OkStatus();
        },
        [reactor](absl::Status status) { reactor->Finish(ToGrpcStatus(status)); });
  });
}

grpc::ServerUnaryReactor* LedgerServer::ListBudgetVersions(
    grpc::CallbackServerContext* context, const v1::ListBudgetVersionsRequest* request,
    v1::ListBudgetVersionsResponse* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    auto parsed = ParseBudgetName(request->name());
    if (!parsed.ok()) return Finish(reactor, parsed.status());
    auto next = ScanNumberedPage(*store_, kVersionsCf, parsed->Key(), request->page_token(),
                                 PageSize(request->page_size()), response->mutable_versions());
    if (next.ok()) response->set_next_page_token(*next);
    Finish(reactor, next.status());
  });
}

grpc::ServerUnaryReactor* LedgerServer::ListSubmissions(grpc::CallbackServerContext* context,
                                                        const v1::ListSubmissionsRequest* request,
                                                        v1::ListSubmissionsResponse* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    // "regions/" (everything) or "regions/{code prefix}"; workflow keys start
    // with the region code, so a prefix scan finds every district under it.
    std::string region;
    if (request->parent() != "regions/") {
      auto parsed = ParseRegionName(request->parent());
      if (!parsed.ok()) return Finish(reactor, parsed.status());
      region = *parsed;
    }
    const v1::FilingStatus wanted = request->status() == v1::FILING_STATUS_UNSPECIFIED
                                        ? v1::FILING_STATUS_SUBMITTED
                                        : request->status();
    std::string start_after;
    if (!request->page_token().empty()) {
      auto after = ParseBudgetName(request->page_token());
      if (!after.ok()) {
        return Finish(reactor, absl::InvalidArgumentError(
                                   "page_token 无效 / invalid page_token: pass next_page_token from the previous page"));
      }
      start_after = after->Key();
    }
    const int page_size = PageSize(request->page_size());
    absl::Status failed = absl::OkStatus();
    absl::Status scanned = store_->Scan(kWorkflowCf, region, start_after, [&](std::string_view key,
                                                                             std::string_view value) {
      v1::WorkflowState state;
      if (!state.ParseFromString(std::string(value)) || state.status() != wanted) return true;
      if (response->submissions_size() == page_size) {
        response->set_next_page_token(response->submissions(page_size - 1).budget_name());
        return false;
      }
      // Key: {region}/{agency}/{big-endian year}.
      const size_t slash = key.find('/');
      if (slash == std::string_view::npos || key.size() < slash + 6) return true;
      BudgetName name;
      name.department.region = std::string(key.substr(0, slash));
      name.department.agency = std::string(key.substr(slash + 1, key.size() - 5 - slash - 1));
      name.year = static_cast<int>(DecodeBigEndian32(key.substr(key.size() - 4)));
      v1::Submission* submission = response->add_submissions();
      submission->set_budget_name(name.ToString());
      submission->set_fiscal_year(name.year);
      submission->set_status(state.status());
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
    Finish(reactor, !scanned.ok() ? scanned : failed);
  });
}

grpc::ServerUnaryReactor* LedgerServer::ValidateBudget(grpc::CallbackServerContext* context,
                                                       const v1::ValidateBudgetRequest* request,
                                                       ValidationReport* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    if (request->name().empty()) {
      Merge(ValidateDepartment(request->department()), response);
      Merge(ledger::ValidateBudget(request->department(), request->budget(), catalogues_->Snapshot()->set),
            response);
      Tally(*response);
      Annotate(LedgerRules(), *response);
      return Finish(reactor, absl::OkStatus());
    }
    // The stored budget: validate it and record that its current revision
    // was checked by this rule set (what SUBMIT requires).
    if (request->has_department() || request->has_budget()) {
      return Finish(reactor, absl::InvalidArgumentError(
                                 "name 与 department/budget 只能二选一 / give either name (the stored "
                                 "budget) or department and budget, not both"));
    }
    auto parsed = ParseBudgetName(request->name());
    if (!parsed.ok()) return Finish(reactor, parsed.status());
    auto budget = LoadBudget(request->name(), 0);
    if (!budget.ok()) return Finish(reactor, budget.status());
    auto department = LoadDepartment(parsed->department.ToString());
    if (!department.ok()) return Finish(reactor, department.status());
    Merge(ValidateDepartment(*department), response);
    Merge(ledger::ValidateBudget(*department, *budget, catalogues_->Snapshot()->set), response);
    Tally(*response);
    Annotate(LedgerRules(), *response);
    const int64_t validated_revision = budget->revision();
    const int32_t fatal_count = response->fatal_count();
    const std::string key = parsed->Key();
    store_->Submit(
        [key, validated_revision, fatal_count](Store::Txn& txn) -> absl::Status {
          auto revision = CurrentRevision(txn, kBudgetFamilies, key);
          if (!revision.ok()) return revision.status();
          // A put meanwhile recorded its own validation; keep that one.
          if (*revision != validated_revision) return absl::OkStatus();
          auto state = ReadWorkflow(txn, key);
          if (!state.ok()) return state.status();
          RecordValidation(validated_revision, fatal_count, *state);
          txn.Put(kWorkflowCf, key, state->SerializeAsString());
          return absl::OkStatus();
        },
        [reactor](absl::Status status) { reactor->Finish(ToGrpcStatus(status)); });
  });
}

grpc::ServerUnaryReactor* LedgerServer::ComputeTables(grpc::CallbackServerContext* context,
                                                      const v1::ComputeTablesRequest* request,
                                                      v1::BudgetTables* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    v1::Budget budget;
    if (request->has_budget()) {
      budget = request->budget();
    } else {
      auto loaded = LoadBudget(request->name(), 0);
      if (!loaded.ok()) return Finish(reactor, loaded.status());
      budget = std::move(*loaded);
    }
    v1::Department department;
    if (auto parsed = ParseBudgetName(budget.name()); parsed.ok()) {
      auto loaded = LoadDepartment(parsed->department.ToString());
      if (loaded.ok()) department = std::move(*loaded);
    }
    const auto served = catalogues_->Snapshot();
    auto tables = Project(*served, department, budget);
    if (tables.ok() && request->with_sources()) {
      // Project() found the catalogue, so it is there.
      absl::Status traced =
          ledger::AddSources(department, budget, *served->set.Find(budget.catalogue_edition()), *tables);
      if (!traced.ok()) return Finish(reactor, traced);
    }
    if (tables.ok()) *response = std::move(*tables);
    Finish(reactor, tables.status());
  });
}

grpc::ServerUnaryReactor* LedgerServer::GetCatalogue(grpc::CallbackServerContext* context,
                                                     const v1::GetCatalogueRequest* request,
                                                     v1::Catalogue* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    if (request->version() < 0) {
      return Finish(reactor, absl::InvalidArgumentError(
                                 "version 应为 0（当前版本）或正整数 / version must be 0 (the version served) or a "
                                 "stored version number"));
    }
    if (request->version() > 0) {
      auto loaded = catalogues_->LoadVersion(request->edition(), request->version());
      if (!loaded.ok()) return Finish(reactor, loaded.status());
      *response = loaded->first.ToProto();
      *response->mutable_about() = loaded->second;
      // How many versions there are now, not when this one was stored.
      const auto served = catalogues_->Snapshot();
      if (auto about = served->about.find(request->edition()); about != served->about.end()) {
        response->mutable_about()->set_stored_versions(about->second.stored_versions());
      }
      return Finish(reactor, absl::OkStatus());
    }
    const auto served = catalogues_->Snapshot();
    auto catalogue = served->Find(request->edition());
    if (!catalogue.ok()) return Finish(reactor, catalogue.status());
    *response = (*catalogue)->ToProto();
    *response->mutable_about() = served->about.at(request->edition());
    Finish(reactor, absl::OkStatus());
  });
}

grpc::ServerUnaryReactor* LedgerServer::ListCatalogues(grpc::CallbackServerContext* context,
                                                       const v1::ListCataloguesRequest*,
                                                       v1::ListCataloguesResponse* response) {
  // In memory only: answered in the reaction.
  auto* reactor = context->DefaultReactor();
  if (absl::Status guard = CheckCallGuard(*context); !guard.ok()) {
    Finish(reactor, guard);
    return reactor;
  }
  for (const auto& [edition, about] : catalogues_->Snapshot()->about) *response->add_editions() = about;
  Finish(reactor, absl::OkStatus());
  return reactor;
}

grpc::ServerUnaryReactor* LedgerServer::GetCatalogueCode(grpc::CallbackServerContext* context,
                                                         const v1::GetCatalogueCodeRequest* request,
                                                         v1::CatalogueCodeDetail* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    const auto served = catalogues_->Snapshot();
    auto catalogue = served->Find(request->edition());
    if (!catalogue.ok()) return Finish(reactor, catalogue.status());
    auto detail = DescribeCatalogueCode(**catalogue, request->code());
    if (!detail.ok()) {
      return Finish(reactor, WithReason(detail.status(), absl::IsNotFound(detail.status()) ? "CODE_NOT_FOUND"
                                                                                             : "CODE_MALFORMED"));
    }
    *response = *std::move(detail);
    Finish(reactor, absl::OkStatus());
  });
}

grpc::ServerUnaryReactor* LedgerServer::DiffCatalogues(grpc::CallbackServerContext* context,
                                                       const v1::DiffCataloguesRequest* request,
                                                       v1::CatalogueDiff* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    const auto served = catalogues_->Snapshot();
    auto from = served->Find(request->from_edition());
    if (!from.ok()) return Finish(reactor, from.status());
    auto to = served->Find(request->to_edition());
    if (!to.ok()) return Finish(reactor, to.status());
    *response = CatalogueDiffToProto(**from, **to);
    *response->mutable_from() = served->about.at(request->from_edition());
    *response->mutable_to() = served->about.at(request->to_edition());
    Finish(reactor, absl::OkStatus());
  });
}

grpc::ServerUnaryReactor* LedgerServer::ImportCatalogue(grpc::CallbackServerContext* context,
                                                        const v1::ImportCatalogueRequest* request,
                                                        v1::CatalogueEdition* response) {
  return Offload(context, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    catalogues_->Import(*request, [reactor, response](absl::StatusOr<v1::CatalogueEdition> stored) {
      if (stored.ok()) *response = *std::move(stored);
      Finish(reactor, stored.status());
    });
  });
}

// The rule list is in memory: answered in the reaction.
grpc::ServerUnaryReactor* LedgerServer::ListRules(grpc::CallbackServerContext* context,
                                              const yusuan::common::v1::ListRulesRequest*,
                                              yusuan::common::v1::RuleSet* response) {
  auto* reactor = context->DefaultReactor();
  if (absl::Status guard = CheckCallGuard(*context); !guard.ok()) {
    Finish(reactor, guard);
    return reactor;
  }
  response->set_version(kRuleSetVersion);
  for (const auto& rule : LedgerRules()) *response->add_rules() = rule;
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace yusuan::ledger
