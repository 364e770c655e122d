// The REST/JSON face (AIP-127 style) of the public API, on cpp-httplib.
// Bodies and responses use the protobuf JSON mapping; errors are AIP-193
// JSON. It calls the same Orchestrator as the gRPC face; httplib's own
// thread pool runs the handlers, so they may block on the backends.
#ifndef YUSUAN_SERVICES_GATEWAY_REST_H_
#define YUSUAN_SERVICES_GATEWAY_REST_H_

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/resource_names.h"
#include "services/gateway/orchestrator.h"
#include "yusuan/ledger/v1/ledger_service.pb.h"
#include "yusuan/report/v1/report.pb.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace yusuan::gateway {

class Telemetry;               // telemetry.h
class RestRequestObservation;  // telemetry.h

enum class RestKind {
  kHealth,           // GET  /healthz
  kListRules,        // GET  /v1/rules
  kApplyFiling,      // POST /v1/filings:apply
  kValidateFiling,   // POST /v1/filings:validate
  kListDepartments,  // GET  /v1/regions/{r}/departments
  kCreateDepartment, // POST /v1/regions/{r}/departments
  kGetDepartment,    // GET  /v1/regions/{r}/departments/{a}
  kGetBudget,        // GET  …/budgets/{y}
  kPutBudget,        // PUT  …/budgets/{y}
  kValidateBudget,   // POST …/budgets/{y}:validate
  kWorkflowVerb,     // POST …/budgets/{y}:submit|:approve|:return|:publish
  kListVersions,     // GET  …/budgets/{y}/versions
  kListRevisions,    // GET  …/budgets/{y}/revisions
  kDiffRevisions,    // GET  …/budgets/{y}/revisions:diff?from=N[&to=M]
  kGetGoals,         // GET  …/budgets/{y}/goals
  kPutGoals,         // PUT  …/budgets/{y}/goals
  kListGoalsRevisions,  // GET …/budgets/{y}/goals/revisions
  kDiffGoalsRevisions,  // GET …/budgets/{y}/goals/revisions:diff?from=N[&to=M]
  kGetReport,        // GET  …/budgets/{y}/report?format=html|md
  kGetPublished,     // GET  …/budgets/{y}/published[?version=N&format=pdf]
  kVerifyArtifact,   // POST /v1/artifacts:verify (the file as the body)|xlsx
  kListPublished,    // GET  /v1/published?region=&year=&q=&budget=
  kListSubmissions,  // GET  /v1/regions/{r}/submissions?status=submitted
  kMetrics,          // GET  /metrics (Prometheus text; anonymous, like /healthz)
  kOpenApi,          // GET  /v1/openapi.json (anonymous)
  kListCatalogues,   // GET  /v1/catalogues
  kGetCatalogue,     // GET  /v1/catalogues/{edition}[?version=N]
  kGetCatalogueCode, // GET  /v1/catalogues/{edition}/codes/{code}
  kDiffCatalogues,   // GET  /v1/catalogues/{edition}:diff?from=2021
  kImportCatalogue,  // POST /v1/catalogues/{edition}:import (the file as the body)
};

struct RestRoute {
  RestKind kind = RestKind::kHealth;
  std::string region;  // for kListDepartments
  BudgetName budget;   // department part for kGetDepartment; all of it below
  std::string verb;    // for kWorkflowVerb
  int edition = 0;     // for the catalogue routes
  std::string code;    // for kGetCatalogueCode
};

// What `method` on `path` designates. NOT_FOUND for an unknown path;
// INVALID_ARGUMENT when a segment (region, agency code, year) is malformed;
// UNIMPLEMENTED with `allowed` filled (e.g. "GET, PUT") when the path exists
// but not for this method.
absl::StatusOr<RestRoute> MatchRestRoute(const std::string& method, const std::string& path,
                                         std::string* allowed);

// The workflow action of a custom verb ("submit" → WORKFLOW_ACTION_SUBMIT,
// …); UNSPECIFIED for anything else.
yusuan::ledger::v1::WorkflowAction WorkflowActionForVerb(const std::string& verb);

// The TransitionBudgetRequest of a workflow route: the optional JSON body
// (protobuf JSON of TransitionBudgetRequest, e.g. {"comment": "…",
// "expectedRevision": "3"}), then name and action from the path whatever
// the body says, and `request_id` when not empty. INVALID_ARGUMENT for a
// body that is not UTF-8 or not such JSON.
absl::StatusOr<yusuan::ledger::v1::TransitionBudgetRequest> TransitionRequestFromRest(
    const RestRoute& route, const std::string& body, const std::string& request_id);

// The DiffBudgetRevisionsRequest of a revisions:diff route from its query
// parameters (nullopt: absent). `from` is required and a positive integer;
// `to` is optional, a non-negative integer, 0 (the default) meaning the
// current revision. Only ASCII digits are accepted ("+1", " 1", "1.0" are
// not). INVALID_ARGUMENT naming the parameter, with a google.rpc.BadRequest
// violation on it, otherwise.
absl::StatusOr<yusuan::ledger::v1::DiffBudgetRevisionsRequest> DiffRequestFromQuery(
    const RestRoute& route, const std::optional<std::string>& from,
    const std::optional<std::string>& to);

// The DiffCataloguesRequest of a catalogues/{to}:diff route: `from` is
// required, an edition year of four digits; INVALID_ARGUMENT naming it
// (with a google.rpc.BadRequest violation) otherwise.
absl::StatusOr<yusuan::ledger::v1::DiffCataloguesRequest> CatalogueDiffFromQuery(
    const RestRoute& route, const std::optional<std::string>& from);


// Content-Disposition value with an ASCII fallback and the UTF-8 name
// (RFC 6266 / RFC 5987): inline; filename="a.html"; filename*=UTF-8''%E5%8C%BA….
std::string ContentDisposition(const std::string& disposition, const std::string& utf8_name,
                               const std::string& ascii_fallback);

// The certificate chain and private key (PEM files) of an HTTPS listener.
struct RestTlsFiles {
  std::string cert_file;
  std::string key_file;
};

class RestServer {
 public:
  // `access` (may be null: no authentication) reads each request's bearer
  // token from the Authorization header. With `tls` the listener speaks
  // HTTPS only (httplib::SSLServer, rest_tls.cc); files OpenSSL cannot load
  // make Bind() fail naming them.
  explicit RestServer(Orchestrator* orchestrator, const AccessPolicy* access = nullptr,
                      const std::optional<RestTlsFiles>& tls = std::nullopt);
  ~RestServer();

  RestServer(const RestServer&) = delete;
  RestServer& operator=(const RestServer&) = delete;

  // Binds host:port (0: any free port); returns the bound port or an error.
  absl::StatusOr<int> Bind(const std::string& host, int port);
  // Serves on a thread of its own until Stop().
  void Start();
  // Stops listening and joins the thread. Idempotent; safe from a signal
  // watcher thread (e.g. GrpcServerOptions.on_shutdown).
  void Stop();

  // One request with its body, as the server dispatches it (exposed for
  // tests of the paths that need no backend: routing, 404/405, body
  // checks).
  void Handle(const httplib::Request& request, const std::string& body,
              httplib::Response& response);

  // Metrics and access log (telemetry.h; not owned, may be null: none, and
  // GET /metrics is 404). Set before Start().
  void set_telemetry(Telemetry* telemetry) { telemetry_ = telemetry; }

 private:
  // `observed` (may be null) learns the verified caller for the access log.
  void HandleRoute(const RestRoute& route, const httplib::Request& request, const std::string& body,
                   httplib::Response& response, RestRequestObservation* observed = nullptr);

  // A plain httplib::Server, or an SSLServer for `tls` (rest_tls.cc); sets
  // *error when the SSL context cannot be set up.
  static std::unique_ptr<httplib::Server> MakeHttpServer(const std::optional<RestTlsFiles>& tls,
                                                         absl::Status* error);

  Orchestrator* orchestrator_;
  const AccessPolicy* access_;
  Telemetry* telemetry_ = nullptr;
  // Before server_: MakeHttpServer writes it while server_ is initialized.
  absl::Status tls_status_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_REST_H_
