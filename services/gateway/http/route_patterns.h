// Names of what a REST request called, with the bounded vocabulary metrics
// and logs need: the route pattern ("GET /v1/regions/{r}/departments/{a}")
// rather than the path. (The gRPC method names: grpc/call_observation.h.)
#ifndef YUSUAN_SERVICES_GATEWAY_HTTP_ROUTE_PATTERNS_H_
#define YUSUAN_SERVICES_GATEWAY_HTTP_ROUTE_PATTERNS_H_

#include <string>

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

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_HTTP_ROUTE_PATTERNS_H_
