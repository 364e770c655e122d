// The REST face's one table of routes (rest_routes.cc). A row says which
// HTTP method on which path calls which PublicApi rpc, which row of the
// permission matrix (auth/permissions.md) authorizes it, which handler
// (rest_handlers.h) answers it, and how the OpenAPI document describes it.
// Everything else about routes is read from the table: request matching
// (MatchRestRoute), dispatch (RestServer), the metric and log label
// (route_patterns.h), the `paths` of GET /v1/openapi.json (openapi.h), and
// the routes the tests walk and check against services/gateway/README.md.
//
// Adding a route is one row plus its handler.
#ifndef YUSUAN_SERVICES_GATEWAY_HTTP_REST_ROUTES_H_
#define YUSUAN_SERVICES_GATEWAY_HTTP_REST_ROUTES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "services/common/paging.h"
#include "services/common/resource_names.h"

namespace yusuan::gateway {

struct RestExchange;  // rest_handlers.h
using RestHandler = void (*)(RestExchange& ex);

// How a route is authorized.
enum class RestAccess {
  // The handler calls the orchestrator, which asks the permission matrix
  // for the row's permission; the bearer token is read first.
  kMatrix,
  // An operational document (/healthz, /metrics, /v1/openapi.json),
  // answered before any token is read and open to anyone.
  kOperational,
};

// page_size and page_token of a list route. The gateway sends the default
// for 0 or absent and cuts larger values to `max_size`; the OpenAPI
// parameter `openapi_parameter` (components/parameters) is generated from
// these numbers, so the limits are written here and nowhere else.
struct PageLimits {
  int default_size;
  int max_size;
  const char* openapi_parameter;
};

// The request body of an operation (OpenAPI requestBody).
struct OpenApiBody {
  // A schema of components/schemas, as application/json.
  const char* schema = nullptr;
  const char* description = nullptr;
  bool required = true;
  // Instead of the above: the whole requestBody object as JSON, for bodies
  // that are files rather than JSON.
  const char* json = nullptr;
};

// The 200 answer of an operation.
struct OpenApiAnswer {
  const char* description = nullptr;
  // A schema of components/schemas, or a JSON schema object ("{…}").
  const char* schema = nullptr;
  const char* media_type = "application/json";
  // Instead of the above: the whole response object as JSON (several media
  // types, headers).
  const char* json = nullptr;
};

struct RestRouteSpec {
  // GET, POST or PUT (HEAD is answered as GET).
  const char* method = nullptr;
  // Literal segments and placeholders: {r} region code, {a} agency code,
  // {y} fiscal year, {edition} catalogue edition, {code} catalogue code. The
  // last segment may end in a custom verb (":submit", AIP-136).
  const char* path = nullptr;
  // The PublicApi method the handler calls (nullptr for kOperational).
  const char* rpc = nullptr;
  // The permission matrix row; nullptr: the row is named as the rpc. The
  // workflow steps have one row per action ("TransitionBudget:SUBMIT").
  const char* permission = nullptr;
  RestAccess access = RestAccess::kMatrix;
  RestHandler handler = nullptr;
  // The body is read as it arrives and the answer written as it is made
  // (HttpFront's streaming, http_stream.h): the handler reads and writes
  // RestExchange::stream, and the body has no size limit (one line has).
  bool streaming = false;
  // List routes: their paging (nullptr: not a list).
  const PageLimits* pages = nullptr;

  // The OpenAPI operation. Derived, not written here: the path parameters,
  // the paging parameters, x-yusuan-permission, security and the 401/403
  // answers (from the permission matrix), and the default error answer.
  // nullptr: the operationId is the rpc.
  const char* operation_id = nullptr;
  const char* tag = nullptr;
  const char* summary = nullptr;
  const char* description = nullptr;
  // Further parameters of components/parameters, in order, space-separated
  // ("revision", "IdempotencyKey XRequestId request_id IfMatch").
  const char* parameters = "";
  // No schema and no json: the operation takes no body.
  OpenApiBody body = {};
  OpenApiAnswer ok = {};
  // Other answers, space-separated: "400" (BadRequest), "400:RejectedByRules",
  // "404" (NotFound), "409" (Conflict), "304" (not modified).
  const char* answers = "";
};

// Every route, in the order the README and the OpenAPI document list them.
absl::Span<const RestRouteSpec> RestRoutes();

// The matrix row of a route (its permission, else its rpc); "" for an
// operational route.
std::string RestRoutePermission(const RestRouteSpec& spec);
// The OpenAPI operationId of a route.
std::string RestRouteOperationId(const RestRouteSpec& spec);

// The limits of the list routes: 50 by default, at most 1000 — except the
// public index and the reviewer's queue, at most 500.
inline constexpr PageLimits kListPages = {kListPageSizes.default_size, kListPageSizes.max_size, "page_size"};
inline constexpr PageLimits kQueuePages = {kQueuePageSizes.default_size, kQueuePageSizes.max_size, "page_size_500"};

// A request matched to its row, with the parsed path parameters.
struct RestRoute {
  const RestRouteSpec* spec = nullptr;
  std::string region;  // every route under regions/{r}
  BudgetName budget;   // department part under …/departments/{a}; all of it under …/budgets/{y}
  std::string verb;    // the custom verb of the path ("submit"), if any
  int edition = 0;     // for the catalogue routes
  std::string code;    // for …/codes/{code}
};

// What `method` on `path` designates. NOT_FOUND for a path no row has;
// INVALID_ARGUMENT when a segment (region, agency code, year, edition) is
// malformed; UNIMPLEMENTED with `allowed` filled (e.g. "GET, PUT") when the
// path exists but not for this method.
absl::StatusOr<RestRoute> MatchRestRoute(const std::string& method, const std::string& path, std::string* allowed);

// Whether `method` on `path` is a row marked `streaming`: what HttpFront
// asks of each request head (HttpStreamRoutes::is_stream).
bool IsStreamingRestRoute(const std::string& method, const std::string& path);

// The OpenAPI spelling of a table path: {region}, {agency}, {year} for {r},
// {a}, {y}; the others as they are.
std::string OpenApiPath(const std::string& table_path);

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_HTTP_REST_ROUTES_H_
