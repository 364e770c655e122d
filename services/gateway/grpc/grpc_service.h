// The public gRPC API on the callback API. Every method is registered raw
// (ByteBuffer in and out) so the request bytes can be checked for invalid
// UTF-8 before parsing: a refusal then names the field instead of failing
// the parse anonymously. Reactions never block: each call goes to a worker
// pool that runs the Orchestrator and finishes the reactor. Errors are cut
// to fit gRPC trailers (trailers.h) on the way out.
#ifndef YUSUAN_SERVICES_GATEWAY_GRPC_GRPC_SERVICE_H_
#define YUSUAN_SERVICES_GATEWAY_GRPC_GRPC_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "services/common/worker_pool.h"
#include "services/gateway/grpc/call_observation.h"
#include "services/gateway/orchestrator.h"
#include "yusuan/gateway/v1/gateway.grpc.pb.h"

namespace yusuan::gateway {

class Telemetry;  // observability/telemetry.h

namespace internal {
using Api = yusuan::gateway::v1::PublicApi;
using PublicApiRawBase = Api::WithRawCallbackMethod_ListRules<Api::WithRawCallbackMethod_CreateDepartment<
    Api::WithRawCallbackMethod_GetDepartment<Api::WithRawCallbackMethod_ListDepartments<Api::WithRawCallbackMethod_PutBudget<
        Api::WithRawCallbackMethod_GetBudget<Api::WithRawCallbackMethod_GetBudgetTables<Api::WithRawCallbackMethod_PutGoals<
            Api::WithRawCallbackMethod_GetGoals<Api::WithRawCallbackMethod_ApplyFiling<Api::WithRawCallbackMethod_ValidateFiling<
                Api::WithRawCallbackMethod_ValidateBudget<Api::WithRawCallbackMethod_ListBudgetRevisions<
                    Api::WithRawCallbackMethod_DiffBudgetRevisions<Api::WithRawCallbackMethod_ListGoalsRevisions<
                        Api::WithRawCallbackMethod_DiffGoalsRevisions<Api::WithRawCallbackMethod_TransitionBudget<
                            Api::WithRawCallbackMethod_ListBudgetVersions<Api::WithRawCallbackMethod_RenderReport<
                                Api::WithRawCallbackMethod_GetPublished<Api::WithRawCallbackMethod_VerifyArtifact<
                                    Api::WithRawCallbackMethod_ListPublished<Api::WithRawCallbackMethod_ListSubmissions<
                                        Api::WithRawCallbackMethod_ListCatalogues<Api::WithRawCallbackMethod_GetCatalogue<
                                            Api::WithRawCallbackMethod_GetCatalogueCode<
                                                Api::WithRawCallbackMethod_DiffCatalogues<
                                                    Api::WithRawCallbackMethod_ImportCatalogue<
                                                        Api::WithRawCallbackMethod_ImportFilings<
                                                            Api::WithRawCallbackMethod_ExportFilings<
                                                                Api::WithRawCallbackMethod_WatchChanges<
                                                                    Api::WithRawCallbackMethod_GetRollup<
                                                                        Api::WithRawCallbackMethod_RenderRollup<
                                                                            Api::
                                                                                Service>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>;
}  // namespace internal

class PublicApiService final : public internal::PublicApiRawBase {
 public:
  // Neither is owned; both must outlive the server.
  // `access` (may be null: no authentication) reads each call's bearer token
  // from the `authorization` metadata entry.
  PublicApiService(Orchestrator* orchestrator, WorkerPool* pool, const AccessPolicy* access = nullptr);

  // Metrics and access log of every call (observability/telemetry.h; not
  // owned, may be null: none). Set before serving.
  void set_telemetry(Telemetry* telemetry) { telemetry_ = telemetry; }

  using Context = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;
  using Bytes = grpc::ByteBuffer;

  Reactor* ListRules(Context* context, const Bytes* request, Bytes* response) override;
  Reactor* CreateDepartment(Context* context, const Bytes* request, Bytes* response) override;
  Reactor* GetDepartment(Context* context, const Bytes* request, Bytes* response) override;
  Reactor* ListDepartments(Context* context, const Bytes* request, Bytes* response) override;
  Reactor* PutBudget(Context* context, const Bytes* request, Bytes* response) override;
  Reactor* GetBudget(Context* context, const Bytes* request, Bytes* response) override;
  Reactor* GetBudgetTables(Context* context, const Bytes* request, Bytes* response) override;
  Reactor* PutGoals(Context* context, const Bytes* request, Bytes* response) override;
  Reactor* GetGoals(Context* context, const Bytes* request, Bytes* response) override;
  Reactor* ApplyFiling(Context* context, const Bytes* request, Bytes* response) override;
  Reactor* ValidateFiling(Context* context, const Bytes* request, Bytes* response) override;
  Reactor* ValidateBudget(Context* context, const Bytes* request, Bytes* response) override;
  Reactor* ListBudgetRevisions(Context* context, const Bytes* request, Bytes* response) override;
  Reactor* DiffBudgetRevisions(Context* context, const Bytes* request, Bytes* response) override;
  Reactor* ListGoalsRevisions(Context* context, const Bytes* request, Bytes* response) override;
  Reactor* DiffGoalsRevisions(Context* context, const Bytes* request, Bytes* response) override;
  Reactor* TransitionBudget(Context* context, const Bytes* request, Bytes* response) override;
  Reactor* ListBudgetVersions(Context* context, const Bytes* request, Bytes* response) override;
  Reactor* RenderReport(Context* context, const Bytes* request, Bytes* response) override;
  Reactor* GetPublished(Context* context, const Bytes* request, Bytes* response) override;
  Reactor* VerifyArtifact(Context* context, const Bytes* request, Bytes* response) override;
  Reactor* ListPublished(Context* context, const Bytes* request, Bytes* response) override;
  Reactor* ListSubmissions(Context* context, const Bytes* request, Bytes* response) override;
  Reactor* GetRollup(Context* context, const Bytes* request, Bytes* response) override;
  Reactor* RenderRollup(Context* context, const Bytes* request, Bytes* response) override;
  Reactor* ListCatalogues(Context* context, const Bytes* request, Bytes* response) override;
  Reactor* GetCatalogue(Context* context, const Bytes* request, Bytes* response) override;
  Reactor* GetCatalogueCode(Context* context, const Bytes* request, Bytes* response) override;
  Reactor* DiffCatalogues(Context* context, const Bytes* request, Bytes* response) override;
  Reactor* ImportCatalogue(Context* context, const Bytes* request, Bytes* response) override;
  // A stream of filings in, one answer each out (import_stream.h).
  grpc::ServerBidiReactor<Bytes, Bytes>* ImportFilings(Context* context) override;
  // Every filing of a region and year out, a page at a time (export_stream.h).
  grpc::ServerWriteReactor<Bytes>* ExportFilings(Context* context, const Bytes* request) override;
  // The change feed, a stream of changes out (watch_stream.h).
  grpc::ServerWriteReactor<Bytes>* WatchChanges(Context* context, const Bytes* request) override;

 private:
  // A plain function rather than a pointer to member: the member-pointer call
  // inside the pooled lambda crashed in GCC 12's ASan build (SEGV in ASan's
  // shadow check, with a valid object and pointer); a function pointer says
  // the same thing and does not.
  template <typename Request, typename Response>
  using Method = absl::StatusOr<Response> (*)(Orchestrator&, const Request&, const CallOptions&);

  // Answers `result`: its serialization, or its status fitted for trailers.
  template <typename Response, typename Finish>
  static void FinishWithMessage(const absl::StatusOr<Response>& result, Bytes* response, const Finish& finish);

  // Queues the call: check UTF-8 (paths lose `strip_prefix`), parse, run
  // `method`, serialize, finish.
  template <typename Request, typename Response>
  Reactor* Serve(Context* context, const Bytes* request, Bytes* response, const char* strip_prefix,
                 Method<Request, Response> method);

  // The same for a pass-through (one backend call, whose answer is the
  // public answer): run in the reaction, the request's bytes forwarded once
  // checked, the backend's bytes answered; no worker thread held while the
  // backend answers, the call finished from gRPC's callback.
  template <typename Request>
  using ForwardMethod = void (*)(Orchestrator&, const Request&, const Bytes&, const CallOptions&,
                                 Orchestrator::Done<Bytes>);
  template <typename Request>
  Reactor* ServeForward(Context* context, const Bytes* request, Bytes* response, ForwardMethod<Request> method);

  Orchestrator* orchestrator_;
  WorkerPool* pool_;
  const AccessPolicy* access_;
  Telemetry* telemetry_ = nullptr;
};

// The bytes of a ByteBuffer as one string.
std::string FlattenByteBuffer(const grpc::ByteBuffer& buffer);

// The options of a public call from its context: deadline, parent, and the
// caller its `authorization` metadata names, also given to `observed`
// (`access` null: nobody is authenticated). UNAUTHENTICATED when a token
// is sent and does not verify.
absl::StatusOr<CallOptions> PublicCallOptions(grpc::CallbackServerContext* context, const AccessPolicy* access,
                                              GrpcCallObservation* observed);

// Steps of a raw call before the Orchestrator runs: UTF-8 check, then parse.
// INVALID_ARGUMENT (bilingual, field violations for UTF-8) on failure.
absl::Status ParseRawRequest(const std::string& wire, const std::string& strip_prefix,
                             google::protobuf::Message* request);

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_GRPC_GRPC_SERVICE_H_
