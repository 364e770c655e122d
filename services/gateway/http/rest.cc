#include "services/gateway/http/rest.h"

#include <httplib.h>

#include <chrono>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/utf8.h"
#include "services/gateway/http/rest_handlers.h"
#include "services/gateway/http/rest_observation.h"
#include "services/gateway/http/web.h"
#include "services/gateway/observability/telemetry.h"
#include "services/gateway/utf8_refusal.h"

namespace yusuan::gateway {
namespace {

constexpr size_t kMaxBodyBytes = 64 * 1024 * 1024;

// The query parameters that are not UTF-8, by name. They would reach a
// backend as protobuf strings, which must be UTF-8: the call failed there
// with an empty message (issue 13, item 9).
std::vector<std::string> NonUtf8Params(const httplib::Request& request) {
  std::vector<std::string> names;
  for (const auto& [name, value] : request.params) {
    if (!IsValidUtf8(name)) {
      names.push_back("(query parameter name)");
    } else if (!IsValidUtf8(value)) {
      names.push_back(name);
    }
  }
  return names;
}

}  // namespace

RestServer::RestServer(Orchestrator* orchestrator, const AccessPolicy* access, const std::optional<RestTlsFiles>& tls)
    : orchestrator_(orchestrator), access_(access), server_(MakeHttpServer(tls, &tls_status_)) {
  auto handler = [this](const httplib::Request& request, httplib::Response& response) {
    Handle(request, "", response);
  };
  // Bodies are read here rather than by httplib: its own reading parses a
  // body sent as application/x-www-form-urlencoded (curl -d's default) and
  // refuses it with 413 above 8 KiB. A filing is JSON whatever it is labelled.
  auto with_body = [this](const httplib::Request& request, httplib::Response& response,
                          const httplib::ContentReader& content_reader) {
    std::string body;
    // RFC 9112 §6.3: without either header a request has no body (curl -X
    // POST sends neither); httplib would try to read one and fail.
    if (!request.has_header("Content-Length") && !request.has_header("Transfer-Encoding")) {
      return Handle(request, body, response);
    }
    bool too_large = false;
    const bool read = content_reader([&](const char* data, size_t length) {
      if (body.size() + length > kMaxBodyBytes) {
        too_large = true;
        return false;
      }
      body.append(data, length);
      return true;
    });
    if (too_large) {
      return WriteRestError(response,
                            absl::ResourceExhaustedError(absl::StrCat("请求体超过 ", kMaxBodyBytes / (1024 * 1024),
                                                                      " MiB / the body is larger than ",
                                                                      kMaxBodyBytes / (1024 * 1024), " MiB")),
                            413);
    }
    if (!read) {
      return WriteRestError(response,
                            absl::InvalidArgumentError("无法读取请求体 / cannot read the request body (send a "
                                                       "Content-Length, e.g. curl -d '' for an empty one)"));
    }
    Handle(request, body, response);
  };
  // One catch-all per method: routing is MatchRestRoute's, so unknown paths
  // and wrong methods get AIP-193 bodies instead of httplib's empty 404.
  server_->Get(".*", handler);
  server_->Options(".*", handler);
  server_->Post(".*", with_body);
  server_->Put(".*", with_body);
  server_->Patch(".*", with_body);
  server_->Delete(".*", with_body);
  server_->set_payload_max_length(kMaxBodyBytes);
  server_->set_read_timeout(30, 0);
  server_->set_exception_handler([](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
    WriteRestError(response, absl::InternalError("网关内部错误 / internal error in the gateway"));
  });
  // httplib's own refusals (bad request line, body too large) come with an
  // empty body; give them an AIP-193 one. Ours already have a body.
  server_->set_error_handler([](const httplib::Request&, httplib::Response& response) {
    if (!response.body.empty()) return;
    const int http = response.status;
    absl::StatusCode code = absl::StatusCode::kInvalidArgument;
    if (http == 413) code = absl::StatusCode::kResourceExhausted;
    if (http == 404) code = absl::StatusCode::kNotFound;
    if (http >= 500) code = absl::StatusCode::kInternal;
    const char* what = http == 413   ? "请求体过大 / the body is too large"
                       : http == 414 ? "URI 过长 / the URI is too long"
                       : http >= 500 ? "网关内部错误 / internal error in the gateway"
                                     : "HTTP 请求格式错误 / malformed HTTP request";
    WriteRestError(response, absl::Status(code, absl::StrCat(what, " (HTTP ", http, ")")), http);
  });
}

RestServer::~RestServer() { Stop(); }

absl::StatusOr<int> RestServer::Bind(const std::string& host, int port) {
  if (!tls_status_.ok()) return tls_status_;
  int bound = port;
  if (port == 0) {
    bound = server_->bind_to_any_port(host);
    if (bound < 0) bound = -1;
  } else if (!server_->bind_to_port(host, port)) {
    bound = -1;
  }
  if (bound < 0) {
    return absl::UnavailableError(absl::StrCat("无法监听 HTTP 端口 ", host, ":", port, " / cannot listen for HTTP on ",
                                               host, ":", port, " (in use?)"));
  }
  return bound;
}

void RestServer::Start() {
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // stop() is a no-op until the listener runs; wait for it so that a Stop()
  // right after Start() is not lost.
  for (int i = 0; i < 500 && !server_->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

void RestServer::Stop() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

void RestServer::Handle(const httplib::Request& request, const std::string& body, httplib::Response& response) {
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
  RestExchange exchange{*route, request, body, response, orchestrator_, telemetry_, call};
  spec.handler(exchange);
}

}  // namespace yusuan::gateway
