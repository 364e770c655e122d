// Names of what a request called, with the bounded vocabulary metrics and
// logs need: the REST route pattern ("GET /v1/regions/{r}/departments/{a}")
// rather than the path, the gRPC method name ("GetBudget") rather than the
// full path.
#ifndef YUSUAN_SERVICES_GATEWAY_HTTP_ROUTE_PATTERNS_H_
#define YUSUAN_SERVICES_GATEWAY_HTTP_ROUTE_PATTERNS_H_

#include <string>

#include "google/protobuf/descriptor.h"
#include "services/gateway/http/rest_routes.h"

namespace yusuan::gateway {

// The label of a route of the table (rest_routes.h): its method and its
// path as the table spells it, "GET /v1/regions/{r}/departments/{a}/budgets/{y}",
// "POST /v1/regions/{r}/departments/{a}/budgets/{y}:submit". A HEAD of a GET
// route is named as the GET. One label per row, so the label set is the
// table's size whatever clients send.
std::string RestRoutePattern(const RestRouteSpec& spec);

// The label of a request no route matched (404, 405): the method and
// "(unmatched)", never the path, which is the client's to choose.
std::string UnmatchedRoutePattern(const std::string& method);

// The label of a web page (web.h) on the same port: "GET /",
// "GET /review", "GET /disclosures/{budget}" — the budget name is the
// client's, so it is not part of the label.
std::string WebPagePattern(const std::string& method, const std::string& path);

// The PublicApi method that takes `request_type` ("GetBudget" for
// yusuan.ledger.v1.GetBudgetRequest), read from the service's descriptor;
// the type's full name when no method takes it. Each request type belongs
// to exactly one method of PublicApi (gateway_telemetry_test checks it).
std::string PublicRpcName(const google::protobuf::Descriptor* request_type);

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_HTTP_ROUTE_PATTERNS_H_
