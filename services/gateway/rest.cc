#include "services/gateway/rest.h"
#include "services/client/client.h"
#include "services/common/sha256.h"
#include "services/gateway/web.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "nlohmann/json.hpp"
#include "services/common/errors.h"
#include "services/common/utf8.h"
#include "services/gateway/openapi.h"
#include "services/gateway/telemetry.h"
#include "services/gateway/utf8_refusal.h"

namespace yusuan::gateway {
namespace {

namespace gv1 = yusuan::gateway::v1;
namespace lv1 = yusuan::ledger::v1;
namespace ov1 = yusuan::goals::v1;
namespace rv1 = yusuan::report::v1;
using yusuan::common::v1::ValidationReport;

constexpr char kJson[] = "application/json; charset=utf-8";
constexpr size_t kMaxBodyBytes = 64 * 1024 * 1024;

std::vector<std::string> SplitOn(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t at = text.find(separator, start);
    if (at == std::string::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, at - start));
    start = at + 1;
  }
}

void WriteError(httplib::Response& response, const absl::Status& status, int http_status = 0) {
  std::string body = ToAip193Json(status);
  if (http_status != 0) {
    // A status the canonical codes have no word for (405): keep the body's
    // code equal to the HTTP status, as AIP-193 asks.
    auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (json.is_object() && json.contains("error")) {
      json["error"]["code"] = http_status;
      body = json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
  }
  response.status = http_status != 0 ? http_status : HttpStatusFor(status.code());
  response.set_content(body, kJson);
}

void WriteMessage(httplib::Response& response, const google::protobuf::Message& message,
                  bool print_defaults = false) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = print_defaults;
  std::string json;
  auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    WriteError(response, absl::InternalError(
                             absl::StrCat("无法输出 JSON / cannot write the response as JSON: ",
                                          std::string(status.message()))));
    return;
  }
  response.status = 200;
  response.set_content(json, kJson);
}

// Parses a JSON body after checking its UTF-8; `path_prefix` roots the
// paths of a refusal the way the rule findings root them.
absl::Status ParseJsonBody(const std::string& body, const std::string& path_prefix,
                           google::protobuf::Message* out) {
  const std::string& type = out->GetDescriptor()->full_name();
  if (absl::StripAsciiWhitespace(body).empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "请求体为空，应为 ", type, " 的 JSON / the body is empty; expected ", type, " as JSON"));
  }
  absl::Status utf8 = CheckJsonUtf8(body, path_prefix);
  if (!utf8.ok()) return utf8;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;  // a misspelt field is refused, not dropped
  auto status = google::protobuf::util::JsonStringToMessage(body, out, options);
  if (!status.ok()) {
    const std::string why(status.message());
    return WithReason(absl::InvalidArgumentError(absl::StrCat("请求体不是有效的 ", type, " JSON：",
                                                              why, " / the body is not a valid ",
                                                              type, " in protobuf JSON: ", why)),
                      "BAD_JSON");
  }
  return absl::OkStatus();
}

// The etag an If-Match header names (quotes and a weak prefix removed; ""
// for none or "*").
std::string IfMatch(const httplib::Request& request) {
  std::string value(absl::StripAsciiWhitespace(request.get_header_value("If-Match")));
  if (absl::StartsWith(value, "W/")) value = value.substr(2);
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
  return value == "*" ? "" : value;
}

std::string RequestId(const httplib::Request& request) {
  for (const char* header : {"Idempotency-Key", "X-Request-Id", "Request-Id"}) {
    if (request.has_header(header)) return request.get_header_value(header);
  }
  for (const char* param : {"request_id", "requestId"}) {
    if (request.has_param(param)) return request.get_param_value(param);
  }
  return "";
}

absl::StatusOr<int64_t> IntParam(const httplib::Request& request, const char* name) {
  if (!request.has_param(name)) return 0;
  int64_t value = 0;
  const std::string text = request.get_param_value(name);
  if (!absl::SimpleAtoi(text, &value) || value < 0) {
    return absl::InvalidArgumentError(absl::StrCat("查询参数 ", name, "=\"", text,
                                                   "\" 应为非负整数 / query parameter ", name,
                                                   " must be a non-negative integer"));
  }
  return value;
}

std::string Extension(const std::string& file_name, rv1::Format format) {
  const size_t dot = file_name.rfind('.');
  if (dot != std::string::npos && dot + 1 < file_name.size()) {
    const std::string ext = file_name.substr(dot + 1);
    bool ascii = true;
    for (const char c : ext) ascii = ascii && absl::ascii_isalnum(static_cast<unsigned char>(c));
    if (ascii) return ext;
  }
  switch (format) {
    case rv1::FORMAT_MARKDOWN:
      return "md";
    case rv1::FORMAT_PDF:
      return "pdf";
    case rv1::FORMAT_XLSX:
      return "xlsx";
    case rv1::FORMAT_JSON:
      return "json";
    case rv1::FORMAT_CSV:
      return "csv";
    case rv1::FORMAT_DATA_PACKAGE:
      return "json";
    default:
      return "html";
  }
}

}  // namespace

absl::StatusOr<RestRoute> MatchRestRoute(const std::string& method, const std::string& path,
                                         std::string* allowed) {
  const std::string m = method == "HEAD" ? "GET" : method;
  auto not_found = [&] {
    return absl::NotFoundError(absl::StrCat("没有这个接口：", method, " ", path,
                                            " / no such route: ", method, " ", path,
                                            " (routes: services/gateway/README.md)"));
  };
  auto wrong_method = [&](const char* allow) {
    *allowed = allow;
    return absl::UnimplementedError(absl::StrCat(path, " 不支持 ", method, "，只支持 ", allow,
                                                 " / ", path, " does not accept ", method,
                                                 "; it accepts ", allow));
  };
  auto only = [&](const char* want, RestRoute route) -> absl::StatusOr<RestRoute> {
    if (m != want) return wrong_method(want);
    return route;
  };
  RestRoute route;

  if (path == "/healthz") return only("GET", route);
  if (path == "/metrics") {
    route.kind = RestKind::kMetrics;
    return only("GET", route);
  }
  if (!absl::StartsWith(path, "/v1/")) return not_found();
  const std::string rest = path.substr(4);
  if (rest == "openapi.json") {
    route.kind = RestKind::kOpenApi;
    return only("GET", route);
  }
  if (rest == "rules") {
    route.kind = RestKind::kListRules;
    return only("GET", route);
  }
  if (rest == "filings:apply") {
    route.kind = RestKind::kApplyFiling;
    return only("POST", route);
  }
  if (rest == "filings:validate") {
    route.kind = RestKind::kValidateFiling;
    return only("POST", route);
  }
  if (rest == "artifacts:verify") {
    route.kind = RestKind::kVerifyArtifact;
    return only("POST", route);
  }
  if (rest == "published") {
    route.kind = RestKind::kListPublished;
    return only("GET", route);
  }
  if (rest == "catalogues") {
    route.kind = RestKind::kListCatalogues;
    return only("GET", route);
  }
  if (absl::StartsWith(rest, "catalogues/")) {
    // catalogues/{edition}, …/{edition}:diff, …/{edition}:import,
    // …/{edition}/codes/{code}
    std::vector<std::string> parts = SplitOn(rest.substr(std::string_view("catalogues/").size()), '/');
    std::string catalogue_verb;
    if (parts.size() == 1) {
      const size_t colon = parts[0].find(':');
      if (colon != std::string::npos) {
        catalogue_verb = parts[0].substr(colon + 1);
        parts[0].resize(colon);
        if (catalogue_verb != "diff" && catalogue_verb != "import") return not_found();
      }
    } else if (parts.size() != 3 || parts[1] != "codes" || parts[2].empty() ||
               parts[2].find(':') != std::string::npos) {
      return not_found();
    }
    const std::string& edition = parts[0];
    const bool year = edition.size() == 4 &&
                      std::all_of(edition.begin(), edition.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!year) {
      return absl::InvalidArgumentError(absl::StrCat(
          "分类科目版本“", edition, "”应为四位年度，如 /v1/catalogues/2021 / the catalogue edition \"", edition,
          "\" must be a year of four digits, e.g. /v1/catalogues/2021 (GET /v1/catalogues lists them)"));
    }
    route.edition = std::stoi(edition);
    if (parts.size() == 3) {
      route.kind = RestKind::kGetCatalogueCode;
      route.code = parts[2];
      return only("GET", route);
    }
    if (catalogue_verb == "import") {
      route.kind = RestKind::kImportCatalogue;
      return only("POST", route);
    }
    route.kind = catalogue_verb == "diff" ? RestKind::kDiffCatalogues : RestKind::kGetCatalogue;
    return only("GET", route);
  }

  std::vector<std::string> segments = SplitOn(rest, '/');
  std::string verb;
  {
    // Only the last segment may carry a custom verb (AIP-136).
    const size_t colon = segments.back().find(':');
    if (colon != std::string::npos) {
      verb = segments.back().substr(colon + 1);
      segments.back().resize(colon);
      // "…/revisions:" names no verb; it is not the collection either.
      if (verb.empty()) return not_found();
    }
  }
  if (segments.size() == 3 && segments[0] == "regions" && segments[2] == "submissions" && verb.empty()) {
    absl::StatusOr<std::string> region = ParseRegionName(absl::StrCat("regions/", segments[1]));
    if (!region.ok()) return region.status();
    route.kind = RestKind::kListSubmissions;
    route.region = *region;
    return only("GET", route);
  }
  if (segments.size() < 3 || segments[0] != "regions" || segments[2] != "departments") {
    return not_found();
  }
  if (segments.size() == 3) {
    if (!verb.empty()) return not_found();
    absl::StatusOr<std::string> region = ParseRegionName(absl::StrCat("regions/", segments[1]));
    if (!region.ok()) return region.status();
    route.region = *region;
    if (m == "GET") {
      route.kind = RestKind::kListDepartments;
      return route;
    }
    if (m == "POST") {
      route.kind = RestKind::kCreateDepartment;
      return route;
    }
    return wrong_method("GET, POST");
  }
  const std::string department =
      absl::StrCat("regions/", segments[1], "/departments/", segments[3]);
  if (segments.size() == 4) {
    if (!verb.empty()) return not_found();
    absl::StatusOr<DepartmentName> name = ParseDepartmentName(department);
    if (!name.ok()) return name.status();
    route.kind = RestKind::kGetDepartment;
    route.region = name->region;
    route.budget.department = *name;
    return only("GET", route);
  }
  if (segments[4] != "budgets" || segments.size() < 6 || segments.size() > 8) return not_found();
  if (segments.size() == 8) {
    // …/goals/revisions and …/goals/revisions:diff
    if (segments[6] != "goals" || segments[7] != "revisions" || !(verb.empty() || verb == "diff")) {
      return not_found();
    }
    absl::StatusOr<BudgetName> name = ParseBudgetName(absl::StrCat(department, "/budgets/", segments[5]));
    if (!name.ok()) return name.status();
    route.region = name->department.region;
    route.budget = *name;
    route.kind = verb.empty() ? RestKind::kListGoalsRevisions : RestKind::kDiffGoalsRevisions;
    return only("GET", route);
  }
  if (segments.size() == 7) {
    const std::string& sub = segments[6];
    const bool known = sub == "goals" || sub == "report" || sub == "versions" || sub == "revisions" ||
                       sub == "published";
    // The one custom verb on a sub-collection: revisions:diff.
    if (!known || (!verb.empty() && !(sub == "revisions" && verb == "diff"))) return not_found();
  }
  absl::StatusOr<BudgetName> name =
      ParseBudgetName(absl::StrCat(department, "/budgets/", segments[5]));
  if (!name.ok()) return name.status();
  route.region = name->department.region;
  route.budget = *name;
  if (segments.size() == 7 && segments[6] == "goals" && verb.empty()) {
    if (m == "GET") {
      route.kind = RestKind::kGetGoals;
      return route;
    }
    if (m == "PUT") {
      route.kind = RestKind::kPutGoals;
      return route;
    }
    return wrong_method("GET, PUT");
  }
  if (segments.size() == 7) {
    route.kind = segments[6] == "goals"       ? RestKind::kGetGoals
                 : segments[6] == "versions"  ? RestKind::kListVersions
                 : segments[6] == "revisions" ? (verb.empty() ? RestKind::kListRevisions
                                                              : RestKind::kDiffRevisions)
                 : segments[6] == "published" ? RestKind::kGetPublished
                                              : RestKind::kGetReport;
    return only("GET", route);
  }
  if (verb.empty()) {
    if (m == "GET") {
      route.kind = RestKind::kGetBudget;
      return route;
    }
    if (m == "PUT") {
      route.kind = RestKind::kPutBudget;
      return route;
    }
    return wrong_method("GET, PUT");
  }
  if (verb == "validate") {
    route.kind = RestKind::kValidateBudget;
    return only("POST", route);
  }
  if (WorkflowActionForVerb(verb) != lv1::WORKFLOW_ACTION_UNSPECIFIED) {
    route.kind = RestKind::kWorkflowVerb;
    route.verb = verb;
    return only("POST", route);
  }
  return not_found();
}

lv1::WorkflowAction WorkflowActionForVerb(const std::string& verb) {
  if (verb == "submit") return lv1::WORKFLOW_ACTION_SUBMIT;
  if (verb == "approve") return lv1::WORKFLOW_ACTION_APPROVE;
  if (verb == "return") return lv1::WORKFLOW_ACTION_RETURN;
  if (verb == "publish") return lv1::WORKFLOW_ACTION_PUBLISH;
  return lv1::WORKFLOW_ACTION_UNSPECIFIED;
}

absl::StatusOr<lv1::TransitionBudgetRequest> TransitionRequestFromRest(
    const RestRoute& route, const std::string& body, const std::string& request_id) {
  lv1::TransitionBudgetRequest transition;
  // The body is optional: `curl -X POST …:approve` is a whole request.
  if (!absl::StripAsciiWhitespace(body).empty()) {
    absl::Status parsed = ParseJsonBody(body, "", &transition);
    if (!parsed.ok()) return parsed;
  }
  // The path says what is done to which budget; a body cannot redirect it.
  transition.set_name(route.budget.ToString());
  transition.set_action(WorkflowActionForVerb(route.verb));
  if (!request_id.empty()) transition.set_request_id(request_id);
  return transition;
}

namespace {

// A refusal of query parameter `name`: the message names it and a
// BadRequest violation points at it, as a body refusal points at a field.
absl::Status BadQueryParameter(const std::string& name, const std::optional<std::string>& text,
                               const std::string& zh, const std::string& en) {
  const std::string given = text.has_value() ? absl::StrCat("=\"", *text, "\"") : "";
  absl::Status status = absl::InvalidArgumentError(absl::StrCat(
      "查询参数 ", name, given, " ", zh, " / query parameter ", name, given, " ", en));
  google::rpc::BadRequest bad_request;
  auto* violation = bad_request.add_field_violations();
  violation->set_field(name);
  violation->set_description(absl::StrCat(zh, " / ", en));
  AttachDetail(status, bad_request);
  return status;
}

// Plain decimal digits only: revision numbers in a URL have one spelling.
bool ParseDigits(const std::string& text, int64_t* out) {
  if (text.empty() || text.size() > 18) return false;
  int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *out = value;
  return true;
}

}  // namespace

absl::StatusOr<lv1::DiffBudgetRevisionsRequest> DiffRequestFromQuery(
    const RestRoute& route, const std::optional<std::string>& from,
    const std::optional<std::string>& to) {
  lv1::DiffBudgetRevisionsRequest diff;
  diff.set_name(route.budget.ToString());
  if (!from.has_value()) {
    return BadQueryParameter("from", std::nullopt,
                             "缺失，应为起始修订号（正整数），如 ?from=1&to=2",
                             "is required: the revision to compare from, e.g. ?from=1&to=2");
  }
  int64_t from_revision = 0;
  if (!ParseDigits(*from, &from_revision) || from_revision <= 0) {
    return BadQueryParameter("from", *from, "应为正整数（修订号从 1 起）",
                             "must be a positive integer (revisions start at 1)");
  }
  diff.set_from_revision(from_revision);
  if (to.has_value()) {
    int64_t to_revision = 0;
    if (!ParseDigits(*to, &to_revision)) {
      return BadQueryParameter("to", *to, "应为修订号（正整数），或 0 / 省略表示当前修订",
                               "must be a revision number, or 0 (or absent) for the current "
                               "revision");
    }
    diff.set_to_revision(to_revision);
  }
  return diff;
}

absl::StatusOr<lv1::DiffCataloguesRequest> CatalogueDiffFromQuery(const RestRoute& route,
                                                                   const std::optional<std::string>& from) {
  lv1::DiffCataloguesRequest diff;
  diff.set_to_edition(route.edition);
  if (!from.has_value()) {
    return BadQueryParameter("from", std::nullopt, "缺失，应为比较起点的版本年度，如 ?from=2021",
                             "is required: the edition to compare from, e.g. /v1/catalogues/2022:diff?from=2021");
  }
  int64_t edition = 0;
  if (from->size() != 4 || !ParseDigits(*from, &edition)) {
    return BadQueryParameter("from", *from, "应为四位年度，如 2021", "must be an edition year of four digits, e.g. 2021");
  }
  diff.set_from_edition(static_cast<int32_t>(edition));
  return diff;
}

std::string ContentDisposition(const std::string& disposition, const std::string& utf8_name,
                               const std::string& ascii_fallback) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (const char ch : utf8_name) {
    const auto c = static_cast<unsigned char>(ch);
    // RFC 5987 attr-char.
    const bool plain = absl::ascii_isalnum(c) ||
                       std::string_view("!#$&+-.^_`|~").find(ch) != std::string_view::npos;
    if (plain) {
      encoded.push_back(ch);
    } else {
      encoded.push_back('%');
      encoded.push_back(kHex[c >> 4]);
      encoded.push_back(kHex[c & 0xF]);
    }
  }
  std::string fallback;
  for (const char ch : ascii_fallback) {
    const auto c = static_cast<unsigned char>(ch);
    fallback.push_back(c >= 0x20 && c < 0x7F && ch != '"' && ch != '\\' ? ch : '_');
  }
  std::string out = absl::StrCat(disposition, "; filename=\"", fallback, "\"");
  if (!utf8_name.empty()) absl::StrAppend(&out, "; filename*=UTF-8''", encoded);
  return out;
}


RestServer::RestServer(Orchestrator* orchestrator, const AccessPolicy* access,
                       const std::optional<RestTlsFiles>& tls)
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
      return WriteError(
          response,
          absl::ResourceExhaustedError(absl::StrCat("请求体超过 ", kMaxBodyBytes / (1024 * 1024),
                                                    " MiB / the body is larger than ",
                                                    kMaxBodyBytes / (1024 * 1024), " MiB")),
          413);
    }
    if (!read) {
      return WriteError(response, absl::InvalidArgumentError(
                                      "无法读取请求体 / cannot read the request body (send a "
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
  server_->set_exception_handler(
      [](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
        WriteError(response, absl::InternalError("网关内部错误 / internal error in the gateway"));
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
    WriteError(response, absl::Status(code, absl::StrCat(what, " (HTTP ", http, ")")), http);
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
    return absl::UnavailableError(absl::StrCat("无法监听 HTTP 端口 ", host, ":", port,
                                               " / cannot listen for HTTP on ", host, ":", port,
                                               " (in use?)"));
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

void RestServer::Handle(const httplib::Request& request, const std::string& body,
                        httplib::Response& response) {
  // Counted and logged from here to the return, whichever way it returns.
  RestRequestObservation observed(telemetry_, request, response);
  // The web pages (web.h) live beside the API on the same port.
  if (WebPages::IsPage(request.path)) return WebPages(orchestrator_).Serve(request, response);
  std::string allowed;
  absl::StatusOr<RestRoute> route = MatchRestRoute(request.method, request.path, &allowed);
  if (!route.ok()) {
    if (!allowed.empty()) {
      response.set_header("Allow", allowed);
      WriteError(response, route.status(), 405);
    } else {
      WriteError(response, route.status());
    }
    return;
  }
  observed.SetRoute(*route);
  HandleRoute(*route, request, body, response, &observed);
}

void RestServer::HandleRoute(const RestRoute& route, const httplib::Request& request,
                             const std::string& body, httplib::Response& response,
                             RestRequestObservation* observed) {
  auto reply = [&](const auto& result, bool print_defaults = false) {
    if (!result.ok()) {
      WriteError(response, result.status());
    } else {
      WriteMessage(response, *result, print_defaults);
    }
  };

  if (route.kind == RestKind::kHealth) {
    response.status = 200;
    response.set_content("{\"status\":\"SERVING\"}", kJson);
    return;
  }
  // Operational documents, anonymous like /healthz: no token is read, and
  // no public method of the orchestrator (so no matrix row) is involved.
  if (route.kind == RestKind::kMetrics) return ServeMetrics(telemetry_, response);
  if (route.kind == RestKind::kOpenApi) return ServeOpenApi(response);
  CallOptions call;
  if (access_ != nullptr) {
    absl::StatusOr<std::optional<security::TokenClaims>> caller =
        access_->Authenticate(request.get_header_value("Authorization"));
    if (!caller.ok()) {
      // RFC 6750 §3: a refused bearer token says so in WWW-Authenticate.
      response.set_header("WWW-Authenticate", "Bearer realm=\"yusuan\", error=\"invalid_token\"");
      return WriteError(response, caller.status());
    }
    call.caller = *std::move(caller);
    if (observed != nullptr) observed->SetCaller(call.caller);
  }

  switch (route.kind) {
    case RestKind::kHealth:
    case RestKind::kMetrics:
    case RestKind::kOpenApi:
      return;  // answered above

    case RestKind::kListRules:
      return reply(orchestrator_->ListRules(yusuan::common::v1::ListRulesRequest(), call));

    case RestKind::kApplyFiling: {
      gv1::ApplyFilingRequest apply;
      absl::Status parsed = ParseJsonBody(body, "", apply.mutable_filing());
      if (!parsed.ok()) return WriteError(response, parsed);
      apply.set_request_id(RequestId(request));
      return reply(orchestrator_->ApplyFiling(apply, call));
    }

    case RestKind::kValidateFiling: {
      gv1::ValidateFilingRequest validate;
      absl::Status parsed = ParseJsonBody(body, "", validate.mutable_filing());
      if (!parsed.ok()) return WriteError(response, parsed);
      return reply(orchestrator_->ValidateFiling(validate, call), /*print_defaults=*/true);
    }

    case RestKind::kListDepartments: {
      lv1::ListDepartmentsRequest list;
      list.set_parent(absl::StrCat("regions/", route.region));
      absl::StatusOr<int64_t> page_size = IntParam(request, "page_size");
      if (!page_size.ok()) return WriteError(response, page_size.status());
      list.set_page_size(static_cast<int32_t>(std::min<int64_t>(*page_size, 1000)));
      list.set_page_token(request.get_param_value("page_token"));
      return reply(orchestrator_->ListDepartments(list, call));
    }

    case RestKind::kCreateDepartment: {
      lv1::CreateDepartmentRequest create;
      absl::Status parsed = ParseJsonBody(body, "department.", create.mutable_department());
      if (!parsed.ok()) return WriteError(response, parsed);
      // The path names the region; a department elsewhere is refused by the
      // name check, not silently moved.
      const std::string& name = create.department().name();
      const std::string prefix = absl::StrCat("regions/", route.region, "/departments/");
      if (!name.empty() && !absl::StartsWith(name, prefix)) {
        return WriteError(response, absl::InvalidArgumentError(absl::StrCat(
                                        "department.name 为 ", name, "，不在路径的地区 ", prefix, " 之下 / ",
                                        "department.name is ", name, ", not under the path's ", prefix)));
      }
      create.set_request_id(RequestId(request));
      return reply(orchestrator_->CreateDepartment(create, call));
    }

    case RestKind::kPutGoals: {
      ov1::PutGoalsRequest put;
      absl::Status parsed = ParseJsonBody(body, "goals.", put.mutable_goals());
      if (!parsed.ok()) return WriteError(response, parsed);
      const std::string name = route.budget.GoalsName();
      if (put.goals().name().empty()) put.mutable_goals()->set_name(name);
      if (put.goals().name() != name) {
        return WriteError(response, absl::InvalidArgumentError(absl::StrCat(
                                        "goals.name 为 ", put.goals().name(), "，与路径应得的 ", name,
                                        " 不一致 / goals.name is ", put.goals().name(),
                                        " but the path gives ", name)));
      }
      if (put.goals().fiscal_year() == 0) put.mutable_goals()->set_fiscal_year(route.budget.year);
      if (const std::string match = IfMatch(request); !match.empty()) put.mutable_goals()->set_etag(match);
      put.set_request_id(RequestId(request));
      return reply(orchestrator_->PutGoals(put, call));
    }

    case RestKind::kListPublished: {
      rv1::ListPublishedRequest list;
      list.set_region(request.get_param_value("region"));
      absl::StatusOr<int64_t> year = IntParam(request, "year");
      if (!year.ok()) return WriteError(response, year.status());
      list.set_fiscal_year(static_cast<int32_t>(*year));
      list.set_query(request.get_param_value("q"));
      list.set_budget_name(request.get_param_value("budget"));
      absl::StatusOr<int64_t> page_size = IntParam(request, "page_size");
      if (!page_size.ok()) return WriteError(response, page_size.status());
      list.set_page_size(static_cast<int32_t>(std::min<int64_t>(*page_size, 500)));
      list.set_page_token(request.get_param_value("page_token"));
      return reply(orchestrator_->ListPublished(list, call));
    }

    case RestKind::kListSubmissions: {
      lv1::ListSubmissionsRequest list;
      list.set_parent(absl::StrCat("regions/", route.region));
      const std::string status = request.get_param_value("status");
      if (!status.empty()) {
        lv1::FilingStatus parsed;
        if (!lv1::FilingStatus_Parse(absl::StrCat("FILING_STATUS_", absl::AsciiStrToUpper(status)), &parsed)) {
          return WriteError(response, absl::InvalidArgumentError(absl::StrCat(
                                          "status 应为 draft、submitted、returned、approved 或 published / status must be "
                                          "draft, submitted, returned, approved or published, not ",
                                          status)));
        }
        list.set_status(parsed);
      }
      absl::StatusOr<int64_t> page_size = IntParam(request, "page_size");
      if (!page_size.ok()) return WriteError(response, page_size.status());
      list.set_page_size(static_cast<int32_t>(std::min<int64_t>(*page_size, 500)));
      list.set_page_token(request.get_param_value("page_token"));
      return reply(orchestrator_->ListSubmissions(list, call));
    }

    case RestKind::kGetDepartment: {
      lv1::GetDepartmentRequest get;
      get.set_name(route.budget.department.ToString());
      return reply(orchestrator_->GetDepartment(get, call));
    }

    case RestKind::kGetBudget: {
      lv1::GetBudgetRequest get;
      get.set_name(route.budget.ToString());
      absl::StatusOr<int64_t> revision = IntParam(request, "revision");
      if (!revision.ok()) return WriteError(response, revision.status());
      get.set_revision(*revision);
      return reply(orchestrator_->GetBudget(get, call));
    }

    case RestKind::kGetGoals: {
      ov1::GetGoalsRequest get;
      get.set_name(route.budget.GoalsName());
      absl::StatusOr<int64_t> revision = IntParam(request, "revision");
      if (!revision.ok()) return WriteError(response, revision.status());
      get.set_revision(*revision);
      return reply(orchestrator_->GetGoals(get, call));
    }

    case RestKind::kPutBudget: {
      lv1::PutBudgetRequest put;
      absl::Status parsed = ParseJsonBody(body, "budget.", put.mutable_budget());
      if (!parsed.ok()) return WriteError(response, parsed);
      const std::string name = route.budget.ToString();
      lv1::Budget* budget = put.mutable_budget();
      ValidationReport report;
      auto mismatch = [&](const std::string& field, const std::string& expected,
                          const std::string& actual) {
        auto* f = report.add_findings();
        f->set_rule_id("V-NAME");
        f->set_severity(yusuan::common::v1::SEVERITY_FATAL);
        f->set_category(yusuan::common::v1::RULE_CATEGORY_CONSISTENCY);
        f->set_field(field);
        f->set_message_zh(
            absl::StrCat(field, " 为 ", actual, "，与路径应得的 ", expected, " 不一致"));
        f->set_message_en(absl::StrCat(field, " is ", actual, " but the path gives ", expected));
        f->set_expected(expected);
        f->set_actual(actual);
        f->set_hint("删去该字段或改正路径 / omit the field or correct the path");
      };
      if (budget->name().empty()) budget->set_name(name);
      if (budget->fiscal_year() == 0) budget->set_fiscal_year(route.budget.year);
      if (budget->name() != name) mismatch("budget.name", name, budget->name());
      if (budget->fiscal_year() != route.budget.year) {
        mismatch("budget.fiscalYear", absl::StrCat(route.budget.year),
                 absl::StrCat(budget->fiscal_year()));
      }
      if (report.findings_size() > 0) {
        Tally(report);
        return WriteError(response, RejectedByRules(report, "预算", "the budget"));
      }
      if (const std::string match = IfMatch(request); !match.empty()) budget->set_etag(match);
      put.set_request_id(RequestId(request));
      return reply(orchestrator_->PutBudget(put, call));
    }

    case RestKind::kValidateBudget: {
      gv1::ValidateStoredBudgetRequest validate;
      validate.set_name(route.budget.ToString());
      return reply(orchestrator_->ValidateBudget(validate, call), /*print_defaults=*/true);
    }

    case RestKind::kWorkflowVerb: {
      absl::StatusOr<lv1::TransitionBudgetRequest> transition =
          TransitionRequestFromRest(route, body, RequestId(request));
      if (!transition.ok()) return WriteError(response, transition.status());
      return reply(orchestrator_->TransitionBudget(*transition, call));
    }

    case RestKind::kListVersions: {
      lv1::ListBudgetVersionsRequest list;
      list.set_name(route.budget.ToString());
      absl::StatusOr<int64_t> page_size = IntParam(request, "page_size");
      if (!page_size.ok()) return WriteError(response, page_size.status());
      list.set_page_size(static_cast<int32_t>(std::min<int64_t>(*page_size, 1000)));
      list.set_page_token(request.get_param_value("page_token"));
      return reply(orchestrator_->ListBudgetVersions(list, call));
    }

    case RestKind::kListRevisions: {
      lv1::ListBudgetRevisionsRequest list;
      list.set_name(route.budget.ToString());
      absl::StatusOr<int64_t> page_size = IntParam(request, "page_size");
      if (!page_size.ok()) return WriteError(response, page_size.status());
      list.set_page_size(static_cast<int32_t>(std::min<int64_t>(*page_size, 1000)));
      list.set_page_token(request.get_param_value("page_token"));
      return reply(orchestrator_->ListBudgetRevisions(list, call));
    }

    case RestKind::kDiffRevisions: {
      auto param = [&](const char* name) -> std::optional<std::string> {
        if (!request.has_param(name)) return std::nullopt;
        return request.get_param_value(name);
      };
      absl::StatusOr<lv1::DiffBudgetRevisionsRequest> diff =
          DiffRequestFromQuery(route, param("from"), param("to"));
      if (!diff.ok()) return WriteError(response, diff.status());
      // Defaults printed: an unchanged pair still answers "cells": [] rather
      // than an object without the key.
      return reply(orchestrator_->DiffBudgetRevisions(*diff, call), /*print_defaults=*/true);
    }

    case RestKind::kListGoalsRevisions: {
      ov1::ListGoalsRevisionsRequest list;
      list.set_name(route.budget.GoalsName());
      absl::StatusOr<int64_t> page_size = IntParam(request, "page_size");
      if (!page_size.ok()) return WriteError(response, page_size.status());
      list.set_page_size(static_cast<int32_t>(std::min<int64_t>(*page_size, 1000)));
      list.set_page_token(request.get_param_value("page_token"));
      return reply(orchestrator_->ListGoalsRevisions(list, call));
    }

    case RestKind::kDiffGoalsRevisions: {
      auto param = [&](const char* name) -> std::optional<std::string> {
        if (!request.has_param(name)) return std::nullopt;
        return request.get_param_value(name);
      };
      // The query grammar is the budget diff's; only the resource differs.
      absl::StatusOr<lv1::DiffBudgetRevisionsRequest> parsed =
          DiffRequestFromQuery(route, param("from"), param("to"));
      if (!parsed.ok()) return WriteError(response, parsed.status());
      ov1::DiffGoalsRevisionsRequest diff;
      diff.set_name(route.budget.GoalsName());
      diff.set_from_revision(parsed->from_revision());
      diff.set_to_revision(parsed->to_revision());
      return reply(orchestrator_->DiffGoalsRevisions(diff, call), /*print_defaults=*/true);
    }

    case RestKind::kListCatalogues:
      return reply(orchestrator_->ListCatalogues(lv1::ListCataloguesRequest(), call), /*print_defaults=*/true);

    case RestKind::kGetCatalogue: {
      lv1::GetCatalogueRequest get;
      get.set_edition(route.edition);
      absl::StatusOr<int64_t> version = IntParam(request, "version");
      if (!version.ok()) return WriteError(response, version.status());
      get.set_version(*version);
      return reply(orchestrator_->GetCatalogue(get, call));
    }

    case RestKind::kGetCatalogueCode: {
      lv1::GetCatalogueCodeRequest get;
      get.set_edition(route.edition);
      get.set_code(route.code);
      return reply(orchestrator_->GetCatalogueCode(get, call), /*print_defaults=*/true);
    }

    case RestKind::kDiffCatalogues: {
      std::optional<std::string> from;
      if (request.has_param("from")) from = request.get_param_value("from");
      absl::StatusOr<lv1::DiffCataloguesRequest> diff = CatalogueDiffFromQuery(route, from);
      if (!diff.ok()) return WriteError(response, diff.status());
      return reply(orchestrator_->DiffCatalogues(*diff, call), /*print_defaults=*/true);
    }

    case RestKind::kImportCatalogue: {
      lv1::ImportCatalogueRequest import;
      import.set_edition(route.edition);
      import.set_content(body);
      // The name the operator knows the file by (messages name it); else
      // the edition with the format the bytes have.
      std::string file_name = request.get_param_value("file_name");
      if (!IsValidUtf8(file_name)) {
        return WriteError(response, BadQueryParameter("file_name", std::nullopt, "不是有效的 UTF-8",
                                                      "is not valid UTF-8: percent-encode the file's name in UTF-8"));
      }
      if (file_name.empty()) {
        const bool zip = body.size() >= 4 && body.compare(0, 4, std::string("PK\x03\x04", 4)) == 0;
        file_name = absl::StrCat(route.edition, zip ? ".xlsx" : ".csv");
      }
      import.set_file_name(file_name);
      import.set_request_id(RequestId(request));
      return reply(orchestrator_->ImportCatalogue(import, call), /*print_defaults=*/true);
    }

    case RestKind::kVerifyArtifact: {
      rv1::VerifyArtifactRequest verify;
      verify.set_content(body);
      return reply(orchestrator_->VerifyArtifact(verify, call), /*print_defaults=*/true);
    }

    case RestKind::kGetPublished: {
      rv1::GetPublishedRequest get;
      get.set_budget_name(route.budget.ToString());
      absl::StatusOr<int64_t> version = IntParam(request, "version");
      if (!version.ok()) return WriteError(response, version.status());
      get.set_version(*version);
      const bool download = request.has_param("format");
      if (download) {
        absl::StatusOr<rv1::Format> format = client::ParseReportFormat(request.get_param_value("format"));
        if (!format.ok()) return WriteError(response, format.status());
        get.set_format(*format);
      }
      absl::StatusOr<rv1::PublishedDisclosure> published = orchestrator_->GetPublished(get, call);
      if (!published.ok()) return WriteError(response, published.status());
      if (!download) {
        // The list: what was published, when, and each file's SHA-256 and
        // download link; the bytes come with ?format=.
        for (rv1::Artifact& artifact : *published->mutable_artifacts()) artifact.clear_content();
        return WriteMessage(response, *published, /*print_defaults=*/false);
      }
      const rv1::Artifact& artifact = published->artifacts(0);
      response.set_header("ETag", absl::StrCat("\"", artifact.sha256_hex(), "\""));
      response.set_header("X-Content-SHA256", artifact.sha256_hex());
      response.set_header("X-Published-Version", absl::StrCat(published->version()));
      // A published version never changes.
      response.set_header("Cache-Control", "public, max-age=31536000, immutable");
      const std::string fallback = absl::StrCat(route.budget.department.region, "-", route.budget.department.agency,
                                                "-", route.budget.year, "-v", published->version(), ".",
                                                Extension(artifact.file_name(), artifact.format()));
      // The published HTML opens in the browser (the department page frames
      // it); every other format downloads.
      response.set_header("Content-Disposition",
                          ContentDisposition(artifact.format() == rv1::FORMAT_HTML ? "inline" : "attachment",
                                             artifact.file_name().empty() ? fallback : artifact.file_name(),
                                             fallback));
      response.status = 200;
      response.set_content(artifact.content(), artifact.media_type().empty() ? "application/octet-stream"
                                                                             : artifact.media_type());
      return;
    }

    case RestKind::kGetReport: {
      absl::StatusOr<rv1::Format> format = client::ParseReportFormat(request.get_param_value("format"));
      if (!format.ok()) return WriteError(response, format.status());
      gv1::RenderReportRequest render;
      render.set_name(route.budget.ToString());
      render.set_format(*format);
      render.set_template_set(request.get_param_value("template"));
      absl::StatusOr<rv1::Artifact> artifact = orchestrator_->RenderReport(render, call);
      if (!artifact.ok()) return WriteError(response, artifact.status());
      const std::string sha256 =
          artifact->sha256_hex().empty() ? Sha256Hex(artifact->content()) : artifact->sha256_hex();
      const std::string etag = absl::StrCat("\"", sha256, "\"");
      response.set_header("ETag", etag);
      response.set_header("X-Content-SHA256", sha256);
      response.set_header("Cache-Control", "no-cache");
      if (request.get_header_value("If-None-Match") == etag) {
        response.status = 304;
        return;
      }
      const std::string fallback =
          absl::StrCat(route.budget.department.region, "-", route.budget.department.agency, "-",
                       route.budget.year, ".", Extension(artifact->file_name(), *format));
      response.set_header(
          "Content-Disposition",
          ContentDisposition(*format == rv1::FORMAT_HTML ? "inline" : "attachment",
                             artifact->file_name().empty() ? fallback : artifact->file_name(),
                             fallback));
      response.status = 200;
      response.set_content(artifact->content(), artifact->media_type().empty()
                                                    ? "application/octet-stream"
                                                    : artifact->media_type());
      return;
    }
  }
}

}  // namespace yusuan::gateway
