// The REST/JSON face (AIP-127 style) of the public API. Bodies and responses
// use the protobuf JSON mapping; errors are AIP-193 JSON. It calls the same
// Orchestrator as the gRPC face. The listener is HttpFront (http_front.h:
// event-driven, with deadlines and connection limits); its worker threads
// run the handlers, so they may block on the backends. The routes are the
// table of rest_routes.h; their handlers rest_handlers.h.
#ifndef YUSUAN_SERVICES_GATEWAY_HTTP_REST_H_
#define YUSUAN_SERVICES_GATEWAY_HTTP_REST_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/gateway/http/http_front.h"
#include "services/gateway/http/rest_routes.h"
#include "services/gateway/orchestrator.h"

namespace yusuan::gateway {

class Telemetry;  // observability/telemetry.h

// The certificate chain and private key (PEM files) of an HTTPS listener.
struct RestTlsFiles {
  std::string cert_file;
  std::string key_file;
};

class RestServer {
 public:
  // `access` (may be null: no authentication) reads each request's bearer
  // token from the Authorization header. With `tls` the listener speaks
  // HTTPS only (rest_tls.cc); files OpenSSL cannot load make Bind() fail
  // naming them. `limits` bound what clients may hold of the listener.
  explicit RestServer(Orchestrator* orchestrator, const AccessPolicy* access = nullptr,
                      const std::optional<RestTlsFiles>& tls = std::nullopt, const HttpFrontLimits& limits = {});
  ~RestServer();

  RestServer(const RestServer&) = delete;
  RestServer& operator=(const RestServer&) = delete;

  // Binds host:port (0: any free port); returns the bound port or an error.
  absl::StatusOr<int> Bind(const std::string& host, int port);
  // Serves on a thread of its own until Stop().
  void Start();
  // Stops listening and joins the thread. Idempotent; safe from a signal
  // watcher thread (e.g. GrpcServerOptions.on_shutdown).
  void Stop();

  // One request with its body, as the server dispatches it (exposed for
  // tests of the paths that need no backend: routing, 404/405, body
  // checks).
  void Handle(const httplib::Request& request, const std::string& body, httplib::Response& response);
  // The same for a `streaming` row (rest_routes.h), its body read from and
  // its answer written to `stream`. A request for another route is served
  // as Handle serves it, with an empty body (the front only streams the
  // rows IsStreamingRestRoute names). Handle given a streaming row runs it
  // over its whole body (MemoryHttpStream).
  void HandleStream(const httplib::Request& request, HttpStream& stream, httplib::Response& response);

  // Metrics and access log (observability/telemetry.h; not owned, may be
  // null: none, and GET /metrics is 404). Set before Start().
  void set_telemetry(Telemetry* telemetry) { telemetry_ = telemetry; }

 private:
  // Makes the listener speak HTTPS with `tls` (rest_tls.cc); an error names
  // the files and their flags.
  absl::Status UseTls(const RestTlsFiles& tls);
  // Handle and HandleStream: `stream` null for a whole body.
  void Serve(const httplib::Request& request, const std::string& body, HttpStream* stream, httplib::Response& response);

  Orchestrator* orchestrator_;
  const AccessPolicy* access_;
  Telemetry* telemetry_ = nullptr;
  std::unique_ptr<HttpFront> front_;
  // Why the HTTPS listener cannot be set up (Bind() returns it).
  absl::Status tls_status_;
};

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_HTTP_REST_H_
