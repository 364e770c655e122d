#include "services/ledger/ledger_server.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/resource_names.h"
#include "services/common/revisions.h"
#include "services/ledger/domain/projections.h"
#include "services/ledger/domain/rules.h"

namespace yusuan::ledger {
namespace {

using yusuan::common::v1::ValidationReport;

const RevisionedFamilies kBudgetFamilies{kBudgetHeadsCf, kRevisionsCf};
constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 1000;

int PageSize(int requested) {
  if (requested <= 0) return kDefaultPageSize;
  return requested > kMaxPageSize ? kMaxPageSize : requested;
}

grpc::ServerUnaryReactor* FinishNow(grpc::CallbackServerContext* context,
                                    const absl::Status& status) {
  auto* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

void Merge(const ValidationReport& from, ValidationReport* into) {
  for (const auto& finding : from.findings()) *into->add_findings() = finding;
}

bool HasErrors(const ValidationReport& report) { return report.error_count() > 0; }

absl::Status NotFound(const std::string& what_zh, const std::string& what_en,
                      const std::string& name) {
  return WithReason(absl::NotFoundError(absl::StrCat(what_zh, "不存在 / ", what_en,
                                                     " not found: ", name)),
                    "NOT_FOUND");
}

}  // namespace

std::vector<std::string> LedgerColumnFamilies() {
  return {kDepartmentsCf, kBudgetHeadsCf, kRevisionsCf, kIdempotencyCf};
}

LedgerServer::LedgerServer(Store* store, CatalogueSet catalogues)
    : store_(store), catalogues_(std::move(catalogues)) {}

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
    ValidationReport mismatch;
    auto* f = mismatch.add_findings();
    f->set_rule_id("V-NAME-MISMATCH");
    f->set_severity(yusuan::common::v1::SEVERITY_ERROR);
    f->set_field("department.name");
    f->set_message_zh("资源名称与区划代码、单位代码不一致");
    f->set_message_en("the resource name disagrees with regionCode/agencyCode");
    f->set_expected(DepartmentName{department.region_code(), department.agency_code()}.ToString());
    f->set_actual(department.name());
    f->set_hint("leave name empty or make it regions/{regionCode}/departments/{agencyCode}");
    Tally(mismatch);
    reactor->Finish(ToGrpcStatus(RejectedByRules(mismatch, "部门信息", "the department")));
    return;
  }
  const std::string key = parsed->Key();
  const std::string method = must_not_exist ? "CreateDepartment" : "UpdateDepartment";
  store_->Submit(
      [=, this](Store::Txn& txn) -> absl::Status {
        auto seen = ReplayIfSeen(txn, kIdempotencyCf, method, request_id, response);
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
        RememberAnswer(txn, kIdempotencyCf, method, request_id, stored);
        return absl::OkStatus();
      },
      [reactor](absl::Status status) { reactor->Finish(ToGrpcStatus(status)); });
}

grpc::ServerUnaryReactor* LedgerServer::CreateDepartment(
    grpc::CallbackServerContext* context, const v1::CreateDepartmentRequest* request,
    v1::Department* response) {
  auto* reactor = context->DefaultReactor();
  PutDepartment(reactor, request->department(), request->request_id(), /*must_not_exist=*/true,
                /*allow_missing=*/true, response);
  return reactor;
}

grpc::ServerUnaryReactor* LedgerServer::UpdateDepartment(
    grpc::CallbackServerContext* context, const v1::UpdateDepartmentRequest* request,
    v1::Department* response) {
  auto* reactor = context->DefaultReactor();
  PutDepartment(reactor, request->department(), request->request_id(), /*must_not_exist=*/false,
                request->allow_missing(), response);
  return reactor;
}

grpc::ServerUnaryReactor* LedgerServer::GetDepartment(grpc::CallbackServerContext* context,
                                                      const v1::GetDepartmentRequest* request,
                                                      v1::Department* response) {
  auto department = LoadDepartment(request->name());
  if (department.ok()) *response = std::move(*department);
  return FinishNow(context, department.status());
}

grpc::ServerUnaryReactor* LedgerServer::ListDepartments(
    grpc::CallbackServerContext* context, const v1::ListDepartmentsRequest* request,
    v1::ListDepartmentsResponse* response) {
  std::string prefix;
  if (!request->parent().empty()) {
    auto region = ParseRegionName(request->parent());
    if (!region.ok()) return FinishNow(context, region.status());
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
  return FinishNow(context, status);
}

grpc::ServerUnaryReactor* LedgerServer::PutBudget(grpc::CallbackServerContext* context,
                                                  const v1::PutBudgetRequest* request,
                                                  v1::Budget* response) {
  auto* reactor = context->DefaultReactor();
  auto parsed = ParseBudgetName(request->budget().name());
  if (!parsed.ok()) {
    reactor->Finish(ToGrpcStatus(parsed.status()));
    return reactor;
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
    return reactor;
  }
  v1::Budget budget = request->budget();
  ValidationReport report = ledger::ValidateBudget(*department, budget, catalogues_);
  if (HasErrors(report)) {
    reactor->Finish(ToGrpcStatus(RejectedByRules(report, "预算", "the budget")));
    return reactor;
  }
  if (budget.fiscal_year() != parsed->year) {
    ValidationReport mismatch;
    auto* f = mismatch.add_findings();
    f->set_rule_id("V-NAME-MISMATCH");
    f->set_severity(yusuan::common::v1::SEVERITY_ERROR);
    f->set_field("budget.fiscalYear");
    f->set_message_zh("预算年度与资源名称中的年度不一致");
    f->set_message_en("fiscalYear disagrees with the year in the budget's name");
    f->set_expected(absl::StrCat(parsed->year));
    f->set_actual(absl::StrCat(budget.fiscal_year()));
    Tally(mismatch);
    reactor->Finish(ToGrpcStatus(RejectedByRules(mismatch, "预算", "the budget")));
    return reactor;
  }
  budget.set_status(v1::FILING_STATUS_DRAFT);
  const std::string key = parsed->Key();
  const std::string request_id = request->request_id();
  store_->Submit(
      [budget, key, request_id, response](Store::Txn& txn) mutable -> absl::Status {
        auto seen = ReplayIfSeen(txn, kIdempotencyCf, "PutBudget", request_id, response);
        if (!seen.ok()) return seen.status();
        if (*seen) return absl::OkStatus();
        absl::Status written = WriteNextRevision(txn, kBudgetFamilies, key, budget);
        if (!written.ok()) return written;
        *response = budget;
        RememberAnswer(txn, kIdempotencyCf, "PutBudget", request_id, budget);
        return absl::OkStatus();
      },
      [reactor](absl::Status status) { reactor->Finish(ToGrpcStatus(status)); });
  return reactor;
}

grpc::ServerUnaryReactor* LedgerServer::GetBudget(grpc::CallbackServerContext* context,
                                                  const v1::GetBudgetRequest* request,
                                                  v1::Budget* response) {
  auto budget = LoadBudget(request->name(), request->revision());
  if (budget.ok()) *response = std::move(*budget);
  return FinishNow(context, budget.status());
}

grpc::ServerUnaryReactor* LedgerServer::ListBudgetRevisions(
    grpc::CallbackServerContext* context, const v1::ListBudgetRevisionsRequest* request,
    v1::ListBudgetRevisionsResponse* response) {
  auto parsed = ParseBudgetName(request->name());
  if (!parsed.ok()) return FinishNow(context, parsed.status());
  const std::string prefix = parsed->Key();
  std::string start_after;
  if (!request->page_token().empty()) {
    int64_t after = 0;
    if (!absl::SimpleAtoi(request->page_token(), &after)) {
      return FinishNow(context, absl::InvalidArgumentError("invalid page_token"));
    }
    start_after = prefix + EncodeBigEndian64(after);
  }
  const int page_size = PageSize(request->page_size());
  bool more = false;
  absl::Status status = store_->Scan(
      kRevisionsCf, prefix, start_after, [&](std::string_view key, std::string_view value) {
        if (key.size() != prefix.size() + 8) return true;
        if (response->revisions_size() == page_size) {
          more = true;
          return false;
        }
        response->add_revisions()->ParseFromString(std::string(value));
        return true;
      });
  if (status.ok() && more) {
    response->set_next_page_token(
        absl::StrCat(response->revisions(response->revisions_size() - 1).revision()));
  }
  return FinishNow(context, status);
}

grpc::ServerUnaryReactor* LedgerServer::ValidateBudget(grpc::CallbackServerContext* context,
                                                       const v1::ValidateBudgetRequest* request,
                                                       ValidationReport* response) {
  Merge(ValidateDepartment(request->department()), response);
  Merge(ledger::ValidateBudget(request->department(), request->budget(), catalogues_), response);
  Tally(*response);
  return FinishNow(context, absl::OkStatus());
}

grpc::ServerUnaryReactor* LedgerServer::ComputeTables(grpc::CallbackServerContext* context,
                                                      const v1::ComputeTablesRequest* request,
                                                      v1::BudgetTables* response) {
  v1::Budget budget;
  if (request->has_budget()) {
    budget = request->budget();
  } else {
    auto loaded = LoadBudget(request->name(), 0);
    if (!loaded.ok()) return FinishNow(context, loaded.status());
    budget = std::move(*loaded);
  }
  v1::Department department;
  if (auto parsed = ParseBudgetName(budget.name()); parsed.ok()) {
    auto loaded = LoadDepartment(parsed->department.ToString());
    if (loaded.ok()) department = std::move(*loaded);
  }
  const Catalogue* catalogue = catalogues_.Find(budget.catalogue_edition());
  if (catalogue == nullptr) {
    return FinishNow(context, absl::FailedPreconditionError(absl::StrCat(
                                  "没有 ", budget.catalogue_edition(),
                                  " 年版分类科目 / no classification catalogue of edition ",
                                  budget.catalogue_edition(), " is loaded")));
  }
  auto tables = ledger::ComputeTables(department, budget, *catalogue);
  if (tables.ok()) *response = std::move(*tables);
  return FinishNow(context, tables.status());
}

grpc::ServerUnaryReactor* LedgerServer::GetCatalogue(grpc::CallbackServerContext* context,
                                                     const v1::GetCatalogueRequest* request,
                                                     v1::Catalogue* response) {
  const Catalogue* catalogue = catalogues_.Find(request->edition());
  if (catalogue == nullptr) {
    return FinishNow(context, absl::NotFoundError(absl::StrCat(
                                  "没有该版本的分类科目 / no catalogue of edition ",
                                  request->edition())));
  }
  *response = catalogue->ToProto();
  return FinishNow(context, absl::OkStatus());
}

}  // namespace yusuan::ledger
