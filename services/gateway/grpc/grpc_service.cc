#include "services/gateway/grpc/grpc_service.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/unary_reactor.h"
#include "services/gateway/grpc/call_observation.h"
#include "services/gateway/grpc/export_stream.h"
#include "services/gateway/grpc/import_stream.h"
#include "services/gateway/grpc/trailers.h"
#include "services/gateway/grpc/watch_stream.h"
#include "services/gateway/observability/telemetry.h"
#include "services/gateway/utf8_refusal.h"

namespace yusuan::gateway {

namespace gv1 = yusuan::gateway::v1;
namespace lv1 = yusuan::ledger::v1;
namespace ov1 = yusuan::goals::v1;
namespace rv1 = yusuan::report::v1;

// Requests that wrap a Filing: their paths are given inside the Filing, as
// the rule findings are ("budget.projects[0].name", not "filing.budget…").
constexpr char kFilingPrefix[] = "filing.";

std::string FlattenByteBuffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  out.reserve(buffer.Length());
  for (const grpc::Slice& slice : slices) {
    out.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return out;
}

absl::Status ParseRawRequest(const std::string& wire, const std::string& strip_prefix,
                             google::protobuf::Message* request) {
  absl::Status utf8 = CheckWireUtf8(request->GetDescriptor(), wire, strip_prefix);
  if (!utf8.ok()) return utf8;
  if (!request->ParseFromString(wire)) {
    const std::string& type = request->GetDescriptor()->full_name();
    return absl::InvalidArgumentError(absl::StrCat("请求不是有效的 ", type, " / the request is not a valid ", type));
  }
  return absl::OkStatus();
}

PublicApiService::PublicApiService(Orchestrator* orchestrator, WorkerPool* pool, const AccessPolicy* access)
    : orchestrator_(orchestrator), pool_(pool), access_(access) {}

template <typename Request, typename Response>
PublicApiService::Reactor* PublicApiService::Serve(Context* context, const Bytes* request, Bytes* response,
                                                   const char* strip_prefix, Method<Request, Response> method) {
  Reactor* reactor = NewUnaryReactor(context);
  // Metrics and the access log see the call from here to Finish. Shared,
  // because the pooled task must be copyable (std::function).
  auto observed = std::make_shared<GrpcCallObservation>(telemetry_, context, Request::descriptor());
  // Every answer goes through here, recorded first: after Finish the
  // context and the buffers may be gone.
  auto finish = [reactor, observed](const grpc::Status& status, uint64_t bytes_out = 0) {
    observed->Finish(status, bytes_out);
    FinishUnary(reactor, status);
  };
  // The request and response buffers live until Finish, so the task may
  // hold on to them.
  const bool accepted = pool_->TrySubmit([this, context, request, response, finish, observed, strip_prefix, method] {
    if (context->IsCancelled()) {
      finish(grpc::Status::CANCELLED);
      return;
    }
    Request parsed;
    absl::Status status = ParseRawRequest(FlattenByteBuffer(*request), strip_prefix, &parsed);
    if (!status.ok()) {
      finish(ToGrpcStatus(FitForTrailers(status)));
      return;
    }
    observed->SetRequest(parsed);
    absl::StatusOr<CallOptions> call = PublicCallOptions(context, access_, observed.get());
    if (!call.ok()) {
      finish(ToGrpcStatus(call.status()));
      return;
    }
    absl::StatusOr<Response> result = method(*orchestrator_, parsed, *call);
    if (!result.ok()) {
      finish(ToGrpcStatus(FitForTrailers(result.status())));
      return;
    }
    const std::string bytes = result->SerializeAsString();
    grpc::Slice slice(bytes);
    grpc::ByteBuffer buffer(&slice, 1);
    response->Swap(&buffer);
    finish(grpc::Status::OK, bytes.size());
  });
  if (!accepted) {
    finish(ToGrpcStatus(absl::ResourceExhaustedError("网关繁忙，请稍后重试 / the gateway is busy; retry shortly")));
  }
  return reactor;
}

template <typename Request, typename Response>
PublicApiService::Reactor* PublicApiService::ServeAsync(Context* context, const Bytes* request, Bytes* response,
                                                        AsyncMethod<Request, Response> method) {
  Reactor* reactor = NewUnaryReactor(context);
  auto observed = std::make_shared<GrpcCallObservation>(telemetry_, context, Request::descriptor());
  auto finish = [reactor, observed](const grpc::Status& status, uint64_t bytes_out = 0) {
    observed->Finish(status, bytes_out);
    FinishUnary(reactor, status);
  };
  Request parsed;
  if (absl::Status status = ParseRawRequest(FlattenByteBuffer(*request), "", &parsed); !status.ok()) {
    finish(ToGrpcStatus(FitForTrailers(status)));
    return reactor;
  }
  observed->SetRequest(parsed);
  absl::StatusOr<CallOptions> call = PublicCallOptions(context, access_, observed.get());
  if (!call.ok()) {
    finish(ToGrpcStatus(call.status()));
    return reactor;
  }
  // The response buffer lives until Finish.
  method(*orchestrator_, std::move(parsed), *call, [response, finish](absl::StatusOr<Response> result) {
    if (!result.ok()) {
      finish(ToGrpcStatus(FitForTrailers(result.status())));
      return;
    }
    const std::string bytes = result->SerializeAsString();
    grpc::Slice slice(bytes);
    grpc::ByteBuffer buffer(&slice, 1);
    response->Swap(&buffer);
    finish(grpc::Status::OK, bytes.size());
  });
  return reactor;
}

PublicApiService::Reactor* PublicApiService::ListRules(Context* c, const Bytes* in, Bytes* out) {
  return Serve<yusuan::common::v1::ListRulesRequest, yusuan::common::v1::RuleSet>(
      c, in, out, "", [](Orchestrator& o, const auto& r, const CallOptions& call) { return o.ListRules(r, call); });
}
PublicApiService::Reactor* PublicApiService::CreateDepartment(Context* c, const Bytes* in, Bytes* out) {
  return ServeAsync<lv1::CreateDepartmentRequest, lv1::Department>(
      c, in, out,
      [](Orchestrator& o, lv1::CreateDepartmentRequest r, const CallOptions& call,
         Orchestrator::Done<lv1::Department> done) { o.CreateDepartmentAsync(std::move(r), call, std::move(done)); });
}
PublicApiService::Reactor* PublicApiService::GetDepartment(Context* c, const Bytes* in, Bytes* out) {
  return ServeAsync<lv1::GetDepartmentRequest, lv1::Department>(
      c, in, out,
      [](Orchestrator& o, lv1::GetDepartmentRequest r, const CallOptions& call,
         Orchestrator::Done<lv1::Department> done) { o.GetDepartmentAsync(std::move(r), call, std::move(done)); });
}
PublicApiService::Reactor* PublicApiService::ListDepartments(Context* c, const Bytes* in, Bytes* out) {
  return ServeAsync<lv1::ListDepartmentsRequest, lv1::ListDepartmentsResponse>(
      c, in, out,
      [](Orchestrator& o, lv1::ListDepartmentsRequest r, const CallOptions& call,
         Orchestrator::Done<lv1::ListDepartmentsResponse> done) {
        o.ListDepartmentsAsync(std::move(r), call, std::move(done));
      });
}
PublicApiService::Reactor* PublicApiService::PutBudget(Context* c, const Bytes* in, Bytes* out) {
  return ServeAsync<lv1::PutBudgetRequest, lv1::Budget>(
      c, in, out,
      [](Orchestrator& o, lv1::PutBudgetRequest r, const CallOptions& call, Orchestrator::Done<lv1::Budget> done) {
        o.PutBudgetAsync(std::move(r), call, std::move(done));
      });
}
PublicApiService::Reactor* PublicApiService::GetBudget(Context* c, const Bytes* in, Bytes* out) {
  return ServeAsync<lv1::GetBudgetRequest, lv1::Budget>(
      c, in, out,
      [](Orchestrator& o, lv1::GetBudgetRequest r, const CallOptions& call, Orchestrator::Done<lv1::Budget> done) {
        o.GetBudgetAsync(std::move(r), call, std::move(done));
      });
}
PublicApiService::Reactor* PublicApiService::GetBudgetTables(Context* c, const Bytes* in, Bytes* out) {
  return Serve<gv1::GetBudgetTablesRequest, lv1::BudgetTables>(
      c, in, out, "",
      [](Orchestrator& o, const auto& r, const CallOptions& call) { return o.GetBudgetTables(r, call); });
}
PublicApiService::Reactor* PublicApiService::PutGoals(Context* c, const Bytes* in, Bytes* out) {
  return Serve<ov1::PutGoalsRequest, ov1::GoalSet>(
      c, in, out, "", [](Orchestrator& o, const auto& r, const CallOptions& call) { return o.PutGoals(r, call); });
}
PublicApiService::Reactor* PublicApiService::GetGoals(Context* c, const Bytes* in, Bytes* out) {
  return Serve<ov1::GetGoalsRequest, ov1::GoalSet>(
      c, in, out, "", [](Orchestrator& o, const auto& r, const CallOptions& call) { return o.GetGoals(r, call); });
}
PublicApiService::Reactor* PublicApiService::ApplyFiling(Context* c, const Bytes* in, Bytes* out) {
  return Serve<gv1::ApplyFilingRequest, gv1::ApplyFilingResponse>(
      c, in, out, kFilingPrefix,
      [](Orchestrator& o, const auto& r, const CallOptions& call) { return o.ApplyFiling(r, call); });
}
PublicApiService::Reactor* PublicApiService::ValidateFiling(Context* c, const Bytes* in, Bytes* out) {
  return Serve<gv1::ValidateFilingRequest, yusuan::common::v1::ValidationReport>(
      c, in, out, kFilingPrefix,
      [](Orchestrator& o, const auto& r, const CallOptions& call) { return o.ValidateFiling(r, call); });
}
PublicApiService::Reactor* PublicApiService::ValidateBudget(Context* c, const Bytes* in, Bytes* out) {
  return Serve<gv1::ValidateStoredBudgetRequest, yusuan::common::v1::ValidationReport>(
      c, in, out, "",
      [](Orchestrator& o, const auto& r, const CallOptions& call) { return o.ValidateBudget(r, call); });
}
PublicApiService::Reactor* PublicApiService::ListBudgetRevisions(Context* c, const Bytes* in, Bytes* out) {
  return Serve<lv1::ListBudgetRevisionsRequest, lv1::ListBudgetRevisionsResponse>(
      c, in, out, "",
      [](Orchestrator& o, const auto& r, const CallOptions& call) { return o.ListBudgetRevisions(r, call); });
}
PublicApiService::Reactor* PublicApiService::DiffBudgetRevisions(Context* c, const Bytes* in, Bytes* out) {
  return Serve<lv1::DiffBudgetRevisionsRequest, lv1::RevisionDiff>(
      c, in, out, "",
      [](Orchestrator& o, const auto& r, const CallOptions& call) { return o.DiffBudgetRevisions(r, call); });
}
PublicApiService::Reactor* PublicApiService::ListGoalsRevisions(Context* c, const Bytes* in, Bytes* out) {
  return Serve<ov1::ListGoalsRevisionsRequest, ov1::ListGoalsRevisionsResponse>(
      c, in, out, "",
      [](Orchestrator& o, const auto& r, const CallOptions& call) { return o.ListGoalsRevisions(r, call); });
}
PublicApiService::Reactor* PublicApiService::DiffGoalsRevisions(Context* c, const Bytes* in, Bytes* out) {
  return Serve<ov1::DiffGoalsRevisionsRequest, ov1::GoalsDiff>(
      c, in, out, "",
      [](Orchestrator& o, const auto& r, const CallOptions& call) { return o.DiffGoalsRevisions(r, call); });
}
PublicApiService::Reactor* PublicApiService::GetPublished(Context* c, const Bytes* in, Bytes* out) {
  return ServeAsync<rv1::GetPublishedRequest, rv1::PublishedDisclosure>(
      c, in, out,
      [](Orchestrator& o, rv1::GetPublishedRequest r, const CallOptions& call,
         Orchestrator::Done<rv1::PublishedDisclosure> done) {
        o.GetPublishedAsync(std::move(r), call, std::move(done));
      });
}
PublicApiService::Reactor* PublicApiService::VerifyArtifact(Context* c, const Bytes* in, Bytes* out) {
  return Serve<rv1::VerifyArtifactRequest, rv1::VerifyArtifactResponse>(
      c, in, out, "",
      [](Orchestrator& o, const auto& r, const CallOptions& call) { return o.VerifyArtifact(r, call); });
}
PublicApiService::Reactor* PublicApiService::ListPublished(Context* c, const Bytes* in, Bytes* out) {
  return ServeAsync<rv1::ListPublishedRequest, rv1::ListPublishedResponse>(
      c, in, out,
      [](Orchestrator& o, rv1::ListPublishedRequest r, const CallOptions& call,
         Orchestrator::Done<rv1::ListPublishedResponse> done) {
        o.ListPublishedAsync(std::move(r), call, std::move(done));
      });
}
PublicApiService::Reactor* PublicApiService::ListSubmissions(Context* c, const Bytes* in, Bytes* out) {
  return ServeAsync<lv1::ListSubmissionsRequest, lv1::ListSubmissionsResponse>(
      c, in, out,
      [](Orchestrator& o, lv1::ListSubmissionsRequest r, const CallOptions& call,
         Orchestrator::Done<lv1::ListSubmissionsResponse> done) {
        o.ListSubmissionsAsync(std::move(r), call, std::move(done));
      });
}
PublicApiService::Reactor* PublicApiService::GetRollup(Context* c, const Bytes* in, Bytes* out) {
  return Serve<lv1::GetRollupRequest, lv1::Rollup>(
      c, in, out, "", [](Orchestrator& o, const auto& r, const CallOptions& call) { return o.GetRollup(r, call); });
}
PublicApiService::Reactor* PublicApiService::RenderRollup(Context* c, const Bytes* in, Bytes* out) {
  return Serve<gv1::RenderRollupRequest, rv1::Artifact>(
      c, in, out, "", [](Orchestrator& o, const auto& r, const CallOptions& call) { return o.RenderRollup(r, call); });
}
PublicApiService::Reactor* PublicApiService::TransitionBudget(Context* c, const Bytes* in, Bytes* out) {
  return Serve<lv1::TransitionBudgetRequest, lv1::BudgetVersion>(
      c, in, out, "",
      [](Orchestrator& o, const auto& r, const CallOptions& call) { return o.TransitionBudget(r, call); });
}
PublicApiService::Reactor* PublicApiService::ListBudgetVersions(Context* c, const Bytes* in, Bytes* out) {
  return ServeAsync<lv1::ListBudgetVersionsRequest, lv1::ListBudgetVersionsResponse>(
      c, in, out,
      [](Orchestrator& o, lv1::ListBudgetVersionsRequest r, const CallOptions& call,
         Orchestrator::Done<lv1::ListBudgetVersionsResponse> done) {
        o.ListBudgetVersionsAsync(std::move(r), call, std::move(done));
      });
}
PublicApiService::Reactor* PublicApiService::RenderReport(Context* c, const Bytes* in, Bytes* out) {
  return Serve<gv1::RenderReportRequest, rv1::Artifact>(
      c, in, out, "", [](Orchestrator& o, const auto& r, const CallOptions& call) { return o.RenderReport(r, call); });
}
PublicApiService::Reactor* PublicApiService::ListCatalogues(Context* c, const Bytes* in, Bytes* out) {
  return ServeAsync<lv1::ListCataloguesRequest, lv1::ListCataloguesResponse>(
      c, in, out,
      [](Orchestrator& o, lv1::ListCataloguesRequest r, const CallOptions& call,
         Orchestrator::Done<lv1::ListCataloguesResponse> done) {
        o.ListCataloguesAsync(std::move(r), call, std::move(done));
      });
}
PublicApiService::Reactor* PublicApiService::GetCatalogue(Context* c, const Bytes* in, Bytes* out) {
  return ServeAsync<lv1::GetCatalogueRequest, lv1::Catalogue>(
      c, in, out,
      [](Orchestrator& o, lv1::GetCatalogueRequest r, const CallOptions& call,
         Orchestrator::Done<lv1::Catalogue> done) { o.GetCatalogueAsync(std::move(r), call, std::move(done)); });
}
PublicApiService::Reactor* PublicApiService::GetCatalogueCode(Context* c, const Bytes* in, Bytes* out) {
  return ServeAsync<lv1::GetCatalogueCodeRequest, lv1::CatalogueCodeDetail>(
      c, in, out,
      [](Orchestrator& o, lv1::GetCatalogueCodeRequest r, const CallOptions& call,
         Orchestrator::Done<lv1::CatalogueCodeDetail> done) {
        o.GetCatalogueCodeAsync(std::move(r), call, std::move(done));
      });
}
PublicApiService::Reactor* PublicApiService::DiffCatalogues(Context* c, const Bytes* in, Bytes* out) {
  return ServeAsync<lv1::DiffCataloguesRequest, lv1::CatalogueDiff>(
      c, in, out,
      [](Orchestrator& o, lv1::DiffCataloguesRequest r, const CallOptions& call,
         Orchestrator::Done<lv1::CatalogueDiff> done) { o.DiffCataloguesAsync(std::move(r), call, std::move(done)); });
}
PublicApiService::Reactor* PublicApiService::ImportCatalogue(Context* c, const Bytes* in, Bytes* out) {
  return Serve<lv1::ImportCatalogueRequest, lv1::CatalogueEdition>(
      c, in, out, "",
      [](Orchestrator& o, const auto& r, const CallOptions& call) { return o.ImportCatalogue(r, call); });
}

grpc::ServerBidiReactor<PublicApiService::Bytes, PublicApiService::Bytes>* PublicApiService::ImportFilings(
    Context* context) {
  return new ImportFilingsStream(context, orchestrator_, pool_, access_, telemetry_);
}

grpc::ServerWriteReactor<PublicApiService::Bytes>* PublicApiService::ExportFilings(Context* context,
                                                                                   const Bytes* request) {
  return new ExportFilingsStream(context, request, orchestrator_, pool_, access_, telemetry_);
}

grpc::ServerWriteReactor<PublicApiService::Bytes>* PublicApiService::WatchChanges(Context* context,
                                                                                  const Bytes* request) {
  return new WatchChangesStream(context, request, orchestrator_, access_, telemetry_);
}

absl::StatusOr<CallOptions> PublicCallOptions(grpc::CallbackServerContext* context, const AccessPolicy* access,
                                              GrpcCallObservation* observed) {
  CallOptions call;
  call.deadline = context->deadline();
  call.parent = context;
  if (access == nullptr) return call;
  const auto& metadata = context->client_metadata();
  const auto found = metadata.find("authorization");
  const std::string header = found == metadata.end() ? "" : std::string(found->second.data(), found->second.size());
  absl::StatusOr<std::optional<security::TokenClaims>> caller = access->Authenticate(header);
  if (!caller.ok()) return caller.status();
  call.caller = *std::move(caller);
  observed->SetCaller(call.caller);
  return call;
}

}  // namespace yusuan::gateway
