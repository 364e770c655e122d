// A REST request as metrics and the access log see it: the route pattern
// (or the web page's), the request id (the client's or a new one, echoed in
// X-Request-Id), the peer, the path and the answer's status and size.
#ifndef YUSUAN_SERVICES_GATEWAY_HTTP_REST_OBSERVATION_H_
#define YUSUAN_SERVICES_GATEWAY_HTTP_REST_OBSERVATION_H_

#include "services/gateway/http/rest_routes.h"
#include "services/gateway/observability/telemetry.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace yusuan::gateway {

// A REST request. Sets the X-Request-Id response header at once; finishes
// from the response (its status and body size) when destroyed, so every
// return path of the handler is counted.
class RestRequestObservation : public RequestObservation {
 public:
  RestRequestObservation(Telemetry* telemetry, const httplib::Request& request, httplib::Response& response);
  ~RestRequestObservation();
  // The matched route; until then the request is "<METHOD> (unmatched)".
  void SetRoute(const RestRoute& route);

 private:
  httplib::Response& response_;
};

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_HTTP_REST_OBSERVATION_H_
