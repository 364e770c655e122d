// The OpenAPI 3.0.3 description of the REST face (services/gateway/
// openapi.json), embedded at build time and served at GET /v1/openapi.json.
// The file is written by hand; gateway_openapi_test keeps it honest: every
// operation routes, every route has an operation, every schema's
// properties are its protobuf message's JSON fields, and the anonymous
// operations are exactly those the permission matrix opens to anyone.
#ifndef YUSUAN_SERVICES_GATEWAY_OPENAPI_H_
#define YUSUAN_SERVICES_GATEWAY_OPENAPI_H_

#include <string_view>

namespace httplib {
struct Response;
}  // namespace httplib

namespace yusuan::gateway {

// The bytes of openapi.json as they were at build time.
std::string_view OpenApiDocument();

// GET /v1/openapi.json: the document, application/json.
void ServeOpenApi(httplib::Response& response);

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_OPENAPI_H_
