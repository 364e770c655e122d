// The handlers of the REST routes (one per row of rest_routes.cc, or one
// shared by rows that differ only in their path, like the workflow steps),
// and what they share with the server: writing answers and errors. Reading
// the query and body into a PublicApi request is request_parsing.h.
#ifndef YUSUAN_SERVICES_GATEWAY_HTTP_REST_HANDLERS_H_
#define YUSUAN_SERVICES_GATEWAY_HTTP_REST_HANDLERS_H_

#include <string>

#include "absl/status/status.h"
#include "services/gateway/http/rest_routes.h"
#include "services/gateway/orchestrator.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace yusuan::gateway {

class HttpStream;  // http_stream.h
class Telemetry;   // observability/telemetry.h

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
  // A `streaming` row's body and answer (`body` is then empty); null for
  // the others.
  HttpStream* stream = nullptr;
};

// The handlers the table names, in its order.
void HandleApplyFiling(RestExchange& ex);
void HandleImportFilings(RestExchange& ex);
void HandleImportWorkbook(RestExchange& ex);
void HandleExportFilings(RestExchange& ex);
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
void HandleWatchChanges(RestExchange& ex);
void HandleGetRollup(RestExchange& ex);
void HandleRenderRollup(RestExchange& ex);
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

// Content-Disposition value with an ASCII fallback and the UTF-8 name
// (RFC 6266 / RFC 5987): inline; filename="a.html"; filename*=UTF-8''%E5%8C%BA….
std::string ContentDisposition(const std::string& disposition, const std::string& utf8_name,
                               const std::string& ascii_fallback);

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_HTTP_REST_HANDLERS_H_
