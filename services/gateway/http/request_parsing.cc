#include "services/gateway/http/request_parsing.h"

#include <httplib.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "services/common/errors.h"
#include "services/common/utf8.h"
#include "services/gateway/utf8_refusal.h"

namespace yusuan::gateway {
namespace {

namespace lv1 = yusuan::ledger::v1;

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

// The JSON path of a protobuf JSON parse error, which names the field it
// failed at in proto names first: "(budget.income_lines[0].amount_fen): …"
// → "budget.incomeLines[0].amountFen" (the default JSON names, as every
// other refusal names fields); "" when the error names none.
std::string JsonPathOfParseError(std::string_view message) {
  if (message.empty() || message.front() != '(') return "";
  const size_t close = message.find("):");
  if (close == std::string_view::npos) return "";
  std::string path;
  bool upper = false;
  for (const char c : message.substr(1, close - 1)) {
    if (c == '_') {
      upper = true;
      continue;
    }
    path.push_back(upper ? absl::ascii_toupper(static_cast<unsigned char>(c)) : c);
    upper = false;
  }
  return path;
}

}  // namespace

std::string SnakeCaseParameterName(const std::string& name) {
  const bool camel = name.find('_') == std::string::npos && !name.empty() && absl::ascii_islower(name.front()) &&
                     std::any_of(name.begin(), name.end(), [](char c) { return absl::ascii_isupper(c); });
  if (!camel) return name;
  std::string snake;
  for (char c : name) {
    if (absl::ascii_isupper(c)) {
      snake += '_';
      snake += absl::ascii_tolower(c);
    } else {
      snake += c;
    }
  }
  return snake;
}

void ParseRequestTarget(const std::string& target, httplib::Request* request) {
  request->target = target;
  const size_t query = target.find('?');
  request->path = httplib::detail::decode_url(target.substr(0, query), false);
  if (query != std::string::npos && query + 1 < target.size()) {
    httplib::Params params;
    httplib::detail::parse_query_text(target.substr(query + 1), params);
    for (auto& [name, value] : params) request->params.emplace(SnakeCaseParameterName(name), std::move(value));
  }
}

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

absl::Status ParseJsonBody(const std::string& body, const std::string& path_prefix, google::protobuf::Message* out) {
  const std::string& type = out->GetDescriptor()->full_name();
  if (absl::StripAsciiWhitespace(body).empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("请求体为空，应为 ", type, " 的 JSON / the body is empty; expected ", type, " as JSON"));
  }
  absl::Status utf8 = CheckJsonUtf8(body, path_prefix);
  if (!utf8.ok()) return utf8;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;  // a misspelt field is refused, not dropped
  auto status = google::protobuf::util::JsonStringToMessage(body, out, options);
  if (!status.ok()) {
    // Protobuf quotes the body around the error, cut at a byte count that
    // may split a character; the refusal must stay UTF-8 for google.rpc.Status.
    const std::string why =
        WithReplacementCharacters(std::string_view(status.message().data(), status.message().size()));
    absl::Status refused = absl::InvalidArgumentError(absl::StrCat(
        "请求体不是有效的 ", type, " JSON：", why, " / the body is not a valid ", type, " in protobuf JSON: ", why));
    // The field it failed at, as a rule's finding names it.
    if (const std::string path = JsonPathOfParseError(why); !path.empty()) {
      google::rpc::BadRequest bad_request;
      auto* violation = bad_request.add_field_violations();
      violation->set_field(absl::StrCat(path_prefix, path));
      violation->set_description(why);
      AttachDetail(refused, bad_request);
    }
    return WithReason(std::move(refused), "BAD_JSON");
  }
  return absl::OkStatus();
}

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
    return BadQueryParameter(name, text, "应为非负整数", "must be a non-negative integer");
  }
  return value;
}

absl::Status BadQueryParameter(const std::string& name, const std::optional<std::string>& text, const std::string& zh,
                               const std::string& en) {
  const std::string given = text.has_value() ? absl::StrCat("=\"", *text, "\"") : "";
  absl::Status status = absl::InvalidArgumentError(
      absl::StrCat("查询参数 ", name, given, " ", zh, " / query parameter ", name, given, " ", en));
  google::rpc::BadRequest bad_request;
  auto* violation = bad_request.add_field_violations();
  violation->set_field(name);
  violation->set_description(absl::StrCat(zh, " / ", en));
  AttachDetail(status, bad_request);
  return status;
}

absl::StatusOr<int32_t> PageSizeParam(const httplib::Request& request, const PageLimits* limits) {
  if (limits == nullptr) {
    return absl::InternalError("路由表未给出分页限制 / the route table gives this list route no page limits");
  }
  absl::StatusOr<int64_t> requested = IntParam(request, "page_size");
  if (!requested.ok()) return requested.status();
  if (*requested == 0) return limits->default_size;
  return static_cast<int32_t>(std::min<int64_t>(*requested, limits->max_size));
}

lv1::WorkflowAction WorkflowActionForVerb(const std::string& verb) {
  if (verb == "submit") return lv1::WORKFLOW_ACTION_SUBMIT;
  if (verb == "approve") return lv1::WORKFLOW_ACTION_APPROVE;
  if (verb == "return") return lv1::WORKFLOW_ACTION_RETURN;
  if (verb == "publish") return lv1::WORKFLOW_ACTION_PUBLISH;
  return lv1::WORKFLOW_ACTION_UNSPECIFIED;
}

absl::StatusOr<lv1::TransitionBudgetRequest> TransitionRequestFromRest(const RestRoute& route, const std::string& body,
                                                                       const std::string& request_id) {
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

absl::StatusOr<lv1::DiffBudgetRevisionsRequest> DiffRequestFromQuery(const RestRoute& route,
                                                                     const std::optional<std::string>& from,
                                                                     const std::optional<std::string>& to) {
  lv1::DiffBudgetRevisionsRequest diff;
  diff.set_name(route.budget.ToString());
  if (!from.has_value()) {
    return BadQueryParameter("from", std::nullopt, "缺失，应为起始修订号（正整数），如 ?from=1&to=2",
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
    return BadQueryParameter("from", *from, "应为四位年度，如 2021",
                             "must be an edition year of four digits, e.g. 2021");
  }
  diff.set_from_edition(static_cast<int32_t>(edition));
  return diff;
}

}  // namespace yusuan::gateway
