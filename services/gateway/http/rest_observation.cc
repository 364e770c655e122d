#include "services/gateway/http/rest_observation.h"

#include <httplib.h>

#include <exception>
#include <string>

#include "services/common/random_id.h"
#include "services/gateway/http/route_patterns.h"
#include "services/gateway/http/web.h"
#include "services/gateway/observability/access_log.h"

namespace yusuan::gateway {
namespace {

constexpr char kRequestIdHeader[] = "X-Request-Id";

// The same places http/rest.cc reads a request id from for idempotency, in
// the same order, so the logged id is the one the write was keyed by.
std::string ClientRequestId(const httplib::Request& request) {
  for (const char* header : {"Idempotency-Key", "X-Request-Id", "Request-Id"}) {
    if (request.has_header(header)) return AcceptableRequestId(request.get_header_value(header));
  }
  for (const char* param : {"request_id", "requestId"}) {
    if (request.has_param(param)) return AcceptableRequestId(request.get_param_value(param));
  }
  return "";
}

}  // namespace

RestRequestObservation::RestRequestObservation(Telemetry* telemetry, const httplib::Request& request,
                                               httplib::Response& response)
    : RequestObservation(telemetry, Face::kRest), response_(response) {
  if (!active()) return;
  std::string id = ClientRequestId(request);
  if (id.empty()) id = RandomHexId();
  record().request_id = id;
  // Until SetRoute: a web page (http/web.h) by its page pattern, anything
  // else as not (yet) matched.
  record().method = WebPages::IsPage(request.path) ? WebPagePattern(request.method, request.path)
                                                   : UnmatchedRoutePattern(request.method);
  // The path only: the query may hold a request id or filters, and is the
  // client's free text.
  record().resource = request.path.size() > 512 ? request.path.substr(0, 512) : request.path;
  record().peer = FormatHttpPeer(request.remote_addr, request.remote_port);
  response.set_header(kRequestIdHeader, id);
}

RestRequestObservation::~RestRequestObservation() {
  if (!active() || finished()) return;
  // Unwinding from a handler's exception: httplib's exception handler turns
  // it into a 500 after this runs, so count it as that. A status left unset
  // (-1) is sent as 200 by httplib.
  const int status = std::uncaught_exceptions() > 0 ? 500 : response_.status <= 0 ? 200 : response_.status;
  record().http_status = status;
  Finish(std::to_string(status), status >= 400, response_.body.size());
}

void RestRequestObservation::SetRoute(const RestRoute& route) {
  if (!active()) return;
  record().method = RestRoutePattern(*route.spec);
}

}  // namespace yusuan::gateway
