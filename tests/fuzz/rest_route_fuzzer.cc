// A REST request as the gateway's HTTP front reads it, up to the backend
// call: the target into path and query (services/gateway/http/
// request_parsing.h), the refusal of query parameters that are not UTF-8,
// the route table's matching (rest_routes.h) and labels (route_patterns.h),
// and the query parameters and workflow bodies of the matched route.
//
// Input: an HTTP/1.1 request head without the version,
//   METHOD TARGET
//   Header: value        (any number of lines)
//
//   body
#include <httplib.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "google/rpc/error_details.pb.h"
#include "services/common/errors.h"
#include "services/common/utf8.h"
#include "services/gateway/http/request_parsing.h"
#include "services/gateway/http/rest_routes.h"
#include "services/gateway/http/route_patterns.h"
#include "services/gateway/utf8_refusal.h"
#include "tests/fuzz/fuzz_check.h"

namespace yusuan::gateway {
namespace {

namespace lv1 = yusuan::ledger::v1;

struct Exchange {
  httplib::Request request;
  std::string body;
};

Exchange Read(std::string_view input) {
  Exchange exchange;
  const size_t head_end = input.find("\n\n");
  const std::string_view head = input.substr(0, head_end);
  if (head_end != std::string_view::npos) exchange.body = std::string(input.substr(head_end + 2));
  const std::vector<absl::string_view> lines = absl::StrSplit(absl::string_view(head.data(), head.size()), '\n');
  const std::string_view start = std::string_view(lines[0].data(), lines[0].size());
  const size_t space = start.find(' ');
  exchange.request.method = std::string(start.substr(0, space));
  ParseRequestTarget(space == std::string_view::npos ? "" : std::string(start.substr(space + 1)), &exchange.request);
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::string_view line(lines[i].data(), lines[i].size());
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    exchange.request.headers.emplace(std::string(line.substr(0, colon)), std::string(value));
  }
  return exchange;
}

// The path a matched route was given, written back from the table's
// pattern and the parsed values: every accepted segment has one spelling.
std::string Rebuild(const RestRouteSpec& spec, const RestRoute& route) {
  std::string path(spec.path);
  std::string verb;
  if (const size_t colon = path.find(':'); colon != std::string::npos) {
    verb = path.substr(colon);
    path.resize(colon);
  }
  std::string out;
  for (const absl::string_view segment : absl::StrSplit(absl::string_view(path).substr(1), '/')) {
    out += '/';
    if (segment == "{r}") {
      out += route.region;
    } else if (segment == "{a}") {
      out += route.budget.department.agency;
    } else if (segment == "{y}") {
      out += std::to_string(route.budget.year);
    } else if (segment == "{edition}") {
      out += absl::StrFormat("%04d", route.edition);
    } else if (segment == "{code}") {
      out += route.code;
    } else {
      out += std::string(segment);
    }
  }
  return out + verb;
}

bool IsBadQueryParameter(const absl::Status& status, const char* name) {
  google::rpc::BadRequest bad_request;
  return status.code() == absl::StatusCode::kInvalidArgument && GetDetail(status, &bad_request) &&
         bad_request.field_violations_size() == 1 && bad_request.field_violations(0).field() == name;
}

std::optional<std::string> Param(const httplib::Request& request, const char* name) {
  if (!request.has_param(name)) return std::nullopt;
  return request.get_param_value(name);
}

// The query and body of a matched route, read as its handler reads them.
void CheckRequest(const RestRoute& route, const Exchange& exchange) {
  const httplib::Request& request = exchange.request;
  const RestRouteSpec& spec = *route.spec;
  if (spec.pages != nullptr) {
    const absl::StatusOr<int32_t> size = PageSizeParam(request, spec.pages);
    FUZZ_CHECK(size.ok() ? *size >= 1 && *size <= spec.pages->max_size
                         : size.status().code() == absl::StatusCode::kInvalidArgument,
               size.status().ToString());
  }
  for (const char* name : {"revision", "version", "year"}) {
    const absl::StatusOr<int64_t> value = IntParam(request, name);
    FUZZ_CHECK(value.ok() ? *value >= 0 : value.status().code() == absl::StatusCode::kInvalidArgument, name);
  }
  // The etag a PUT must still have is read out of If-Match, never made up.
  const std::string etag = IfMatch(request);
  FUZZ_CHECK(request.get_header_value("If-Match").find(etag) != std::string::npos, etag);

  const std::string rpc = spec.rpc == nullptr ? "" : spec.rpc;
  if (rpc == "TransitionBudget") {
    const std::string request_id = RequestId(request);
    const absl::StatusOr<lv1::TransitionBudgetRequest> transition =
        TransitionRequestFromRest(route, exchange.body, request_id);
    if (transition.ok()) {
      // The path decides what is done to which budget, whatever the body says.
      FUZZ_CHECK(transition->name() == route.budget.ToString(), transition->ShortDebugString());
      FUZZ_CHECK(transition->action() == WorkflowActionForVerb(route.verb) &&
                     transition->action() != lv1::WORKFLOW_ACTION_UNSPECIFIED,
                 route.verb);
      if (!request_id.empty()) FUZZ_CHECK(transition->request_id() == request_id);
    } else {
      FUZZ_CHECK(transition.status().code() == absl::StatusCode::kInvalidArgument, transition.status().ToString());
    }
  }
  if (rpc == "DiffBudgetRevisions" || rpc == "DiffGoalsRevisions") {
    const absl::StatusOr<lv1::DiffBudgetRevisionsRequest> diff =
        DiffRequestFromQuery(route, Param(request, "from"), Param(request, "to"));
    if (diff.ok()) {
      FUZZ_CHECK(diff->from_revision() >= 1 && diff->to_revision() >= 0, diff->ShortDebugString());
      FUZZ_CHECK(diff->name() == route.budget.ToString());
    } else {
      FUZZ_CHECK(IsBadQueryParameter(diff.status(), "from") || IsBadQueryParameter(diff.status(), "to"),
                 diff.status().ToString());
    }
  }
  if (rpc == "DiffCatalogues") {
    const absl::StatusOr<lv1::DiffCataloguesRequest> diff = CatalogueDiffFromQuery(route, Param(request, "from"));
    if (diff.ok()) {
      FUZZ_CHECK(diff->from_edition() >= 0 && diff->from_edition() <= 9999 && diff->to_edition() == route.edition);
    } else {
      FUZZ_CHECK(IsBadQueryParameter(diff.status(), "from"), diff.status().ToString());
    }
  }
}

void CheckExchange(const Exchange& exchange) {
  const httplib::Request& request = exchange.request;
  const std::string& method = request.method;

  // Query parameters that are not UTF-8 are refused before routing.
  const std::vector<std::string> bad = NonUtf8Params(request);
  if (!bad.empty()) {
    for (const std::string& name : bad) {
      FUZZ_CHECK(name == "(query parameter name)" || (request.has_param(name) && IsValidUtf8(name)), name);
    }
    FUZZ_CHECK(Utf8Refusal(bad).code() == absl::StatusCode::kInvalidArgument);
    return;
  }

  // Labels are bounded whatever the path: the route's pattern, or the method.
  const std::string page = WebPagePattern(method, request.path);
  FUZZ_CHECK(page == method + " /disclosures/{budget}" || page == method + " /" || page == method + " /review" ||
                 page == method + " (web page)",
             page);
  FUZZ_CHECK(UnmatchedRoutePattern(method) == method + " (unmatched)");

  std::string allowed;
  const absl::StatusOr<RestRoute> route = MatchRestRoute(method, request.path, &allowed);
  if (!route.ok()) {
    switch (route.status().code()) {
      case absl::StatusCode::kNotFound:
      case absl::StatusCode::kInvalidArgument:
        FUZZ_CHECK(allowed.empty(), request.path, " allowed ", allowed);
        break;
      case absl::StatusCode::kUnimplemented: {
        // 405: the path exists for other methods only.
        FUZZ_CHECK(!allowed.empty(), request.path);
        for (const absl::string_view other : absl::StrSplit(allowed, ", ")) {
          const std::string other_method(other);
          FUZZ_CHECK(other_method != (method == "HEAD" ? "GET" : method), allowed);
          std::string again;
          FUZZ_CHECK(MatchRestRoute(other_method, request.path, &again).ok(), other_method, " ", request.path);
        }
        break;
      }
      default:
        FUZZ_CHECK(false, request.path, " → ", route.status().ToString());
    }
    return;
  }

  const RestRouteSpec& spec = *route->spec;
  FUZZ_CHECK(spec.method == (method == "HEAD" ? std::string("GET") : method), method, " matched ", spec.method);
  FUZZ_CHECK(RestRoutePattern(spec) == std::string(spec.method) + " " + spec.path);
  const std::string rebuilt = Rebuild(spec, *route);
  FUZZ_CHECK(rebuilt == request.path, request.path, " rebuilt as ", rebuilt);
  if (std::string_view(spec.path).find("{y}") != std::string_view::npos) {
    const absl::StatusOr<BudgetName> budget = ParseBudgetName(route->budget.ToString());
    FUZZ_CHECK(budget.ok() && budget->ToString() == route->budget.ToString(), route->budget.ToString());
  }
  CheckRequest(*route, exchange);
}

}  // namespace
}  // namespace yusuan::gateway

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  yusuan::gateway::CheckExchange(yusuan::gateway::Read(std::string_view(reinterpret_cast<const char*>(data), size)));
  return 0;
}
