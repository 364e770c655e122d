// The handlers of the REST routes (one per row of rest_routes.cc, or one
// shared by rows that differ only in their path, like the workflow steps),
// and what they share with the server: writing answers and errors, and the
// parsing of path, query and body into a PublicApi request.
#ifndef YUSUAN_SERVICES_GATEWAY_HTTP_REST_HANDLERS_H_
#define YUSUAN_SERVICES_GATEWAY_HTTP_REST_HANDLERS_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "services/gateway/http/rest_routes.h"
#include "services/gateway/orchestrator.h"
#include "yusuan/ledger/v1/ledger_service.pb.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace yusuan::gateway {

class Telemetry;  // observability/telemetry.h

// One request on its way through a handler.
struct RestExchange {
  const RestRoute& route;
  const httplib::Request& request;
  const std::string& body;
  httplib::Response& response;
  Orchestrator* orchestrator;
  // For GET /metrics (may be null: none).
  const Telemetry* telemetry;
  // The verified caller (none for kOperational routes).
  const CallOptions& call;
};

// The handlers the table names, in its order.
void HandleApplyFiling(RestExchange& ex);
void HandleValidateFiling(RestExchange& ex);
void HandleListDepartments(RestExchange& ex);
void HandleCreateDepartment(RestExchange& ex);
void HandleGetDepartment(RestExchange& ex);
void HandleGetBudget(RestExchange& ex);
void HandleGetBudgetTables(RestExchange& ex);
void HandlePutBudget(RestExchange& ex);
void HandleValidateBudget(RestExchange& ex);
void HandleGetGoals(RestExchange& ex);
void HandlePutGoals(RestExchange& ex);
void HandleRenderReport(RestExchange& ex);
void HandleTransitionBudget(RestExchange& ex);
void HandleListBudgetVersions(RestExchange& ex);
void HandleListBudgetRevisions(RestExchange& ex);
void HandleDiffBudgetRevisions(RestExchange& ex);
void HandleListGoalsRevisions(RestExchange& ex);
void HandleDiffGoalsRevisions(RestExchange& ex);
void HandleGetPublished(RestExchange& ex);
void HandleListPublished(RestExchange& ex);
void HandleListSubmissions(RestExchange& ex);
void HandleVerifyArtifact(RestExchange& ex);
void HandleListRules(RestExchange& ex);
void HandleListCatalogues(RestExchange& ex);
void HandleGetCatalogue(RestExchange& ex);
void HandleGetCatalogueCode(RestExchange& ex);
void HandleDiffCatalogues(RestExchange& ex);
void HandleImportCatalogue(RestExchange& ex);
void HandleHealth(RestExchange& ex);
void HandleMetrics(RestExchange& ex);
void HandleOpenApi(RestExchange& ex);

// An AIP-193 error answer; `http_status` (e.g. 405) overrides the status's
// own mapping, and the body's code follows it.
void WriteRestError(httplib::Response& response, const absl::Status& status, int http_status = 0);

// The page_size of a list request by its row's `limits`: absent or 0 is the
// default, larger than the maximum is the maximum; INVALID_ARGUMENT naming
// page_size when it is not a non-negative integer, INTERNAL for a row
// without limits.
absl::StatusOr<int32_t> PageSizeParam(const httplib::Request& request, const PageLimits* limits);

// The workflow action of a custom verb ("submit" → WORKFLOW_ACTION_SUBMIT,
// …); UNSPECIFIED for anything else.
yusuan::ledger::v1::WorkflowAction WorkflowActionForVerb(const std::string& verb);

// The TransitionBudgetRequest of a workflow route: the optional JSON body
// (protobuf JSON of TransitionBudgetRequest, e.g. {"comment": "…",
// "expectedRevision": "3"}), then name and action from the path whatever
// the body says, and `request_id` when not empty. INVALID_ARGUMENT for a
// body that is not UTF-8 or not such JSON.
absl::StatusOr<yusuan::ledger::v1::TransitionBudgetRequest> TransitionRequestFromRest(const RestRoute& route,
                                                                                      const std::string& body,
                                                                                      const std::string& request_id);

// The DiffBudgetRevisionsRequest of a revisions:diff route from its query
// parameters (nullopt: absent). `from` is required and a positive integer;
// `to` is optional, a non-negative integer, 0 (the default) meaning the
// current revision. Only ASCII digits are accepted ("+1", " 1", "1.0" are
// not). INVALID_ARGUMENT naming the parameter, with a google.rpc.BadRequest
// violation on it, otherwise.
absl::StatusOr<yusuan::ledger::v1::DiffBudgetRevisionsRequest> DiffRequestFromQuery(
    const RestRoute& route, const std::optional<std::string>& from, const std::optional<std::string>& to);

// The DiffCataloguesRequest of a catalogues/{to}:diff route: `from` is
// required, an edition year of four digits; INVALID_ARGUMENT naming it
// (with a google.rpc.BadRequest violation) otherwise.
absl::StatusOr<yusuan::ledger::v1::DiffCataloguesRequest> CatalogueDiffFromQuery(
    const RestRoute& route, const std::optional<std::string>& from);

// Content-Disposition value with an ASCII fallback and the UTF-8 name
// (RFC 6266 / RFC 5987): inline; filename="a.html"; filename*=UTF-8''%E5%8C%BA….
std::string ContentDisposition(const std::string& disposition, const std::string& utf8_name,
                               const std::string& ascii_fallback);

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_HTTP_REST_HANDLERS_H_
