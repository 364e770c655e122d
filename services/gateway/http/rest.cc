#include "services/gateway/http/rest.h"

#include <httplib.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/gateway/http/http_stream.h"
#include "services/gateway/http/request_parsing.h"
#include "services/gateway/http/rest_handlers.h"
#include "services/gateway/http/rest_observation.h"
#include "services/gateway/http/web.h"
#include "services/gateway/observability/telemetry.h"
#include "services/gateway/utf8_refusal.h"

namespace yusuan::gateway {
namespace {

// Methods whose body the handlers read; the others' is read (to keep the
// connection in step) and dropped, as before.
bool CarriesBody(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

}  // namespace

RestServer::RestServer(Orchestrator* orchestrator, const AccessPolicy* access, const std::optional<RestTlsFiles>& tls,
                       const HttpFrontLimits& limits)
    : orchestrator_(orchestrator),
      access_(access),
      front_(std::make_unique<HttpFront>(
          [this](const httplib::Request& request, const std::string& body, httplib::Response& response) {
            Handle(request, CarriesBody(request.method) ? body : std::string(), response);
          },
          limits,
          HttpStreamRoutes{
              .is_stream = IsStreamingRestRoute,
              .handler = [this](const httplib::Request& request, HttpStream& stream, httplib::Response& response) {
                HandleStream(request, stream, response);
              }})) {
  if (tls.has_value()) tls_status_ = UseTls(*tls);
}

RestServer::~RestServer() { Stop(); }

absl::StatusOr<int> RestServer::Bind(const std::string& host, int port) {
  if (!tls_status_.ok()) return tls_status_;
  return front_->Bind(host, port);
}

void RestServer::Start() { front_->Start(); }

void RestServer::Stop() { front_->Stop(); }

void RestServer::Handle(const httplib::Request& request, const std::string& body, httplib::Response& response) {
  Serve(request, body, nullptr, response);
}

void RestServer::HandleStream(const httplib::Request& request, HttpStream& stream, httplib::Response& response) {
  Serve(request, std::string(), &stream, response);
}

void RestServer::Serve(const httplib::Request& request, const std::string& body, HttpStream* stream,
                       httplib::Response& response) {
  // Counted and logged from here to the return, whichever way it returns.
  RestRequestObservation observed(telemetry_, request, response);
  const bool page = WebPages::IsPage(request.path);
  if (std::vector<std::string> bad = NonUtf8Params(request); !bad.empty()) {
    const absl::Status refused = Utf8Refusal(bad);
    return page ? WebPages::Refuse(response, refused) : WriteRestError(response, refused);
  }
  // The web pages (web.h) live beside the API on the same port.
  if (page) return WebPages(orchestrator_).Serve(request, response);
  std::string allowed;
  absl::StatusOr<RestRoute> route = MatchRestRoute(request.method, request.path, &allowed);
  if (!route.ok()) {
    if (!allowed.empty()) {
      response.set_header("Allow", allowed);
      WriteRestError(response, route.status(), 405);
    } else {
      WriteRestError(response, route.status());
    }
    return;
  }
  observed.SetRoute(*route);
  const RestRouteSpec& spec = *route->spec;
  CallOptions call;
  // Operational documents are answered before any token is read: a broken
  // or absent token must not hide the gateway's health from a probe.
  if (spec.access == RestAccess::kMatrix && access_ != nullptr) {
    absl::StatusOr<std::optional<security::TokenClaims>> caller =
        access_->Authenticate(request.get_header_value("Authorization"));
    if (!caller.ok()) {
      // RFC 6750 §3: a refused bearer token says so in WWW-Authenticate.
      response.set_header("WWW-Authenticate", "Bearer realm=\"yusuan\", error=\"invalid_token\"");
      return WriteRestError(response, caller.status());
    }
    call.caller = *std::move(caller);
    observed.SetCaller(call.caller);
  }
  RestExchange exchange{*route, request, body, response, orchestrator_, telemetry_, call, stream};
  if (spec.streaming && stream == nullptr) {
    // A whole body in hand (a test, or a caller of Handle): the same
    // handler over it, its answer collected.
    MemoryHttpStream memory(body, front_->limits().max_body_bytes);
    exchange.stream = &memory;
    spec.handler(exchange);
    if (memory.head_written()) {
      response.status = memory.answer().status;
      for (const auto& [name, value] : memory.answer().headers) {
        if (!response.has_header(name)) response.set_header(name, value);
      }
      response.body = std::move(memory.answer().body);
    }
    return;
  }
  spec.handler(exchange);
}

}  // namespace yusuan::gateway
