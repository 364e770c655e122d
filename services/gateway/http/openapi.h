// The OpenAPI 3.0.3 description of the REST face, served at
// GET /v1/openapi.json. Its `paths` are generated from the route table
// (rest_routes.h): one operation per row, with the row's method, path,
// operationId, parameters, body and answers, and the security the
// permission matrix gives the row's permission. What is not about one route
// (info, tags, schemas, shared parameters and answers) is written by hand
// in openapi_components.json, embedded at build time. services/gateway/http/
// openapi.json is the generated document, checked in for readers and
// clients; gateway_openapi_test fails when it is not what the gateway
// serves (regenerate: cmake --build <build> --target gateway_openapi_json).
#ifndef YUSUAN_SERVICES_GATEWAY_HTTP_OPENAPI_H_
#define YUSUAN_SERVICES_GATEWAY_HTTP_OPENAPI_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/gateway/auth/permissions.h"

namespace httplib {
struct Response;
}  // namespace httplib

namespace yusuan::gateway {

// The bytes of openapi_components.json as they were at build time.
std::string_view OpenApiComponents();

// The document for `matrix`: the components with the table's paths (and the
// page_size parameters of its page limits). INVALID_ARGUMENT naming the row
// when a row's JSON does not parse, names an answer there is none of, or
// its permission is not a row of the matrix.
absl::StatusOr<std::string> GenerateOpenApi(const auth::PermissionMatrix& matrix);

// The document for the built-in matrix, generated once.
absl::StatusOr<std::string_view> OpenApiDocument();

// GET /v1/openapi.json: the document, application/json (a 500 naming the
// fault if it could not be generated).
void ServeOpenApi(httplib::Response& response);

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_HTTP_OPENAPI_H_
