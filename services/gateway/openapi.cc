#include "services/gateway/openapi.h"

#include <httplib.h>

#include <string>

namespace yusuan::gateway {

void ServeOpenApi(httplib::Response& response) {
  response.status = 200;
  // The document changes only with the binary; clients may keep it for a
  // while but should notice a new gateway.
  response.set_header("Cache-Control", "public, max-age=300");
  const std::string_view document = OpenApiDocument();
  response.set_content(std::string(document), "application/json");
}

}  // namespace yusuan::gateway
