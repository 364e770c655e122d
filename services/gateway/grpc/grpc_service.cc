#include "services/gateway/grpc/grpc_service.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/byte_buffer.h"
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

template <typename Response, typename Finish>
void PublicApiService::FinishWithMessage(const absl::StatusOr<Response>& result, Bytes* response,
                                         const Finish& finish) {
  if (!result.ok()) return finish(ToGrpcStatus(FitForTrailers(result.status())), 0);
  std::string bytes = result->SerializeAsString();
  const uint64_t size = bytes.size();
  // The serialization becomes the response without another copy.
  Bytes buffer = WireToByteBuffer(std::move(bytes));
  response->Swap(&buffer);
  finish(grpc::Status::OK, size);
}

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
    FinishWithMessage(method(*orchestrator_, parsed, *call), response, finish);
  });
  if (!accepted) {
    finish(ToGrpcStatus(absl::ResourceExhaustedError("网关繁忙，请稍后重试 / the gateway is busy; retry shortly")));
  }
  return reactor;
}

template <typename Request>
PublicApiService::Reactor* PublicApiService::ServeForward(Context* context, const Bytes* request, Bytes* response,
                                                          ForwardMethod<Request> method) {
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
  // The request and response buffers live until Finish.
  method(*orchestrator_, parsed, *request, *call, [response, finish](absl::StatusOr<Bytes> answer) {
    if (!answer.ok()) {
      finish(ToGrpcStatus(FitForTrailers(answer.status())));
      return;
    }
    const uint64_t size = answer->Length();
    response->Swap(&*answer);
    finish(grpc::Status::OK, size);
  });
  return reactor;
}

PublicApiService::Reactor* PublicApiService::ListRules(Context* c, const Bytes* in, Bytes* out) {
  return Serve<yusuan::common::v1::ListRulesRequest, yusuan::common::v1::RuleSet>(
      c, in, out, "", [](Orchestrator& o, const auto& r, const CallOptions& call) { return o.ListRules(r, call); });
}
PublicApiService::Reactor* PublicApiService::CreateDepartment(Context* c, const Bytes* in, Bytes* out) {
  return ServeForward<lv1::CreateDepartmentRequest>(
      c, in, out,
      [](Orchestrator& o, const lv1::CreateDepartmentRequest& r, const Bytes& wire, const CallOptions& call,
         Orchestrator::Done<Bytes> done) { o.CreateDepartmentBytes(r, wire, call, std::move(done)); });
}
PublicApiService::Reactor* PublicApiService::GetDepartment(Context* c, const Bytes* in, Bytes* out) {
  return ServeForward<lv1::GetDepartmentRequest>(
      c, in, out,
      [](Orchestrator& o, const lv1::GetDepartmentRequest& r, const Bytes& wire, const CallOptions& call,
         Orchestrator::Done<Bytes> done) { o.GetDepartmentBytes(r, wire, call, std::move(done)); });
}
PublicApiService::Reactor* PublicApiService::ListDepartments(Context* c, const Bytes* in, Bytes* out) {
  return ServeForward<lv1::ListDepartmentsRequest>(
      c, in, out,
      [](Orchestrator& o, const lv1::ListDepartmentsRequest& r, const Bytes& wire, const CallOptions& call,
         Orchestrator::Done<Bytes> done) { o.ListDepartmentsBytes(r, wire, call, std::move(done)); });
}
PublicApiService::Reactor* PublicApiService::PutBudget(Context* c, const Bytes* in, Bytes* out) {
  return ServeForward<lv1::PutBudgetRequest>(
      c, in, out,
      [](Orchestrator& o, const lv1::PutBudgetRequest& r, const Bytes& wire, const CallOptions& call,
         Orchestrator::Done<Bytes> done) { o.PutBudgetBytes(r, wire, call, std::move(done)); });
}
PublicApiService::Reactor* PublicApiService::GetBudget(Context* c, const Bytes* in, Bytes* out) {
  return ServeForward<lv1::GetBudgetRequest>(
      c, in, out,
      [](Orchestrator& o, const lv1::GetBudgetRequest& r, const Bytes& wire, const CallOptions& call,
         Orchestrator::Done<Bytes> done) { o.GetBudgetBytes(r, wire, call, std::move(done)); });
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
  return ServeForward<rv1::GetPublishedRequest>(
      c, in, out,
      [](Orchestrator& o, const rv1::GetPublishedRequest& r, const Bytes& wire, const CallOptions& call,
         Orchestrator::Done<Bytes> done) { o.GetPublishedBytes(r, wire, call, std::move(done)); });
}
PublicApiService::Reactor* PublicApiService::VerifyArtifact(Context* c, const Bytes* in, Bytes* out) {
  return Serve<rv1::VerifyArtifactRequest, rv1::VerifyArtifactResponse>(
      c, in, out, "",
      [](Orchestrator& o, const auto& r, const CallOptions& call) { return o.VerifyArtifact(r, call); });
}
PublicApiService::Reactor* PublicApiService::ListPublished(Context* c, const Bytes* in, Bytes* out) {
  return ServeForward<rv1::ListPublishedRequest>(
      c, in, out,
      [](Orchestrator& o, const rv1::ListPublishedRequest& r, const Bytes& wire, const CallOptions& call,
         Orchestrator::Done<Bytes> done) { o.ListPublishedBytes(r, wire, call, std::move(done)); });
}
PublicApiService::Reactor* PublicApiService::ListSubmissions(Context* c, const Bytes* in, Bytes* out) {
  return ServeForward<lv1::ListSubmissionsRequest>(
      c, in, out,
      [](Orchestrator& o, const lv1::ListSubmissionsRequest& r, const Bytes& wire, const CallOptions& call,
         Orchestrator::Done<Bytes> done) { o.ListSubmissionsBytes(r, wire, call, std::move(done)); });
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
  return ServeForward<lv1::ListBudgetVersionsRequest>(
      c, in, out,
      [](Orchestrator& o, const lv1::ListBudgetVersionsRequest& r, const Bytes& wire, const CallOptions& call,
         Orchestrator::Done<Bytes> done) { o.ListBudgetVersionsBytes(r, wire, call, std::move(done)); });
}
// A render cached by revision is answered from gRPC's callbacks, its bytes
// as the report service sent them; only a render to make takes a worker.
PublicApiService::Reactor* PublicApiService::RenderReport(Context* context, const Bytes* request, Bytes* response) {
  Reactor* reactor = NewUnaryReactor(context);
  auto observed = std::make_shared<GrpcCallObservation>(telemetry_, context, gv1::RenderReportRequest::descriptor());
  auto finish = [reactor, observed](const grpc::Status& status, uint64_t bytes_out = 0) {
    observed->Finish(status, bytes_out);
    FinishUnary(reactor, status);
  };
  auto parsed = std::make_shared<gv1::RenderReportRequest>();
  if (absl::Status status = ParseRawRequest(FlattenByteBuffer(*request), "", parsed.get()); !status.ok()) {
    finish(ToGrpcStatus(FitForTrailers(status)));
    return reactor;
  }
  observed->SetRequest(*parsed);
  absl::StatusOr<CallOptions> call = PublicCallOptions(context, access_, observed.get());
  if (!call.ok()) {
    finish(ToGrpcStatus(call.status()));
    return reactor;
  }
  // The request and response buffers live until Finish.
  orchestrator_->CachedRenderBytes(
      *parsed, *call,
      [this, context, response, finish, parsed, call = *call](absl::StatusOr<Orchestrator::RenderLookup> lookup) {
        if (!lookup.ok()) return finish(ToGrpcStatus(FitForTrailers(lookup.status())));
        if (lookup->cached.has_value()) {
          const uint64_t size = lookup->cached->Length();
          response->Swap(&*lookup->cached);
          return finish(grpc::Status::OK, size);
        }
        auto looked_up = std::make_shared<Orchestrator::RenderLookup>(*std::move(lookup));
        const bool accepted = pool_->TrySubmit([this, context, response, finish, parsed, call, looked_up] {
          if (context->IsCancelled()) return finish(grpc::Status::CANCELLED);
          FinishWithMessage(orchestrator_->RenderReport(*parsed, call, *looked_up), response, finish);
        });
        if (!accepted) {
          finish(
              ToGrpcStatus(absl::ResourceExhaustedError("网关繁忙，请稍后重试 / the gateway is busy; retry shortly")));
        }
      });
  return reactor;
}
PublicApiService::Reactor* PublicApiService::ListCatalogues(Context* c, const Bytes* in, Bytes* out) {
  return ServeForward<lv1::ListCataloguesRequest>(
      c, in, out,
      [](Orchestrator& o, const lv1::ListCataloguesRequest& r, const Bytes& wire, const CallOptions& call,
         Orchestrator::Done<Bytes> done) { o.ListCataloguesBytes(r, wire, call, std::move(done)); });
}
PublicApiService::Reactor* PublicApiService::GetCatalogue(Context* c, const Bytes* in, Bytes* out) {
  return ServeForward<lv1::GetCatalogueRequest>(
      c, in, out,
      [](Orchestrator& o, const lv1::GetCatalogueRequest& r, const Bytes& wire, const CallOptions& call,
         Orchestrator::Done<Bytes> done) { o.GetCatalogueBytes(r, wire, call, std::move(done)); });
}
PublicApiService::Reactor* PublicApiService::GetCatalogueCode(Context* c, const Bytes* in, Bytes* out) {
  return ServeForward<lv1::GetCatalogueCodeRequest>(
      c, in, out,
      [](Orchestrator& o, const lv1::GetCatalogueCodeRequest& r, const Bytes& wire, const CallOptions& call,
         Orchestrator::Done<Bytes> done) { o.GetCatalogueCodeBytes(r, wire, call, std::move(done)); });
}
PublicApiService::Reactor* PublicApiService::DiffCatalogues(Context* c, const Bytes* in, Bytes* out) {
  return ServeForward<lv1::DiffCataloguesRequest>(
      c, in, out,
      [](Orchestrator& o, const lv1::DiffCataloguesRequest& r, const Bytes& wire, const CallOptions& call,
         Orchestrator::Done<Bytes> done) { o.DiffCataloguesBytes(r, wire, call, std::move(done)); });
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
