// Reading what an HTTP client sent: the request target into path and query
// parameters (for every request on the port, REST or page), and a REST
// request's query parameters, headers and JSON body into the PublicApi
// request its handler sends. No I/O and no backend: every refusal here
// happens before a call leaves the gateway.
#ifndef YUSUAN_SERVICES_GATEWAY_HTTP_REQUEST_PARSING_H_
#define YUSUAN_SERVICES_GATEWAY_HTTP_REQUEST_PARSING_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "services/gateway/http/rest_routes.h"
#include "yusuan/ledger/v1/ledger_service.pb.h"

namespace httplib {
struct Request;
}  // namespace httplib

namespace yusuan::gateway {

// Sets request->target to `target` and, as httplib reads them, its path
// (percent-decoded) and query parameters ('+' as a space). A parameter
// named in lowerCamelCase, as protobuf JSON names fields (pageSize,
// pageToken, publishTimeUnixMs), is kept under its snake_case name, which
// the handlers read: both spellings work, as for the bodies.
void ParseRequestTarget(const std::string& target, httplib::Request* request);
// "pageSize" → "page_size"; a name that is not lowerCamelCase (has an
// underscore or no ASCII capital) as it is.
std::string SnakeCaseParameterName(const std::string& name);
void ParseRequestTarget(const std::string& target, httplib::Request* request);

// The query parameters that are not UTF-8, by name ("(query parameter
// name)" for a name that is not UTF-8 itself). They would reach a backend
// as protobuf strings, which must be UTF-8: the call failed there with an
// empty message (issue 13, item 9).
std::vector<std::string> NonUtf8Params(const httplib::Request& request);

// Parses a JSON body of `out`'s type after checking its UTF-8: INVALID_ARGUMENT
// for an empty body, for bytes that are not UTF-8 (V-UTF8 findings whose
// paths `path_prefix` roots the way the rule findings root them) and for
// anything the protobuf JSON mapping refuses, unknown fields included
// (reason BAD_JSON).
absl::Status ParseJsonBody(const std::string& body, const std::string& path_prefix, google::protobuf::Message* out);

// The etag an If-Match header names (quotes and a weak prefix removed; ""
// for none or "*").
std::string IfMatch(const httplib::Request& request);

// The request id of a write: header Idempotency-Key, X-Request-Id or
// Request-Id, else query parameter request_id or requestId; "" for none.
std::string RequestId(const httplib::Request& request);

// Query parameter `name` as a non-negative integer; 0 when absent,
// INVALID_ARGUMENT naming it otherwise.
absl::StatusOr<int64_t> IntParam(const httplib::Request& request, const char* name);

// A refusal of query parameter `name` (with the value given, if any): the
// message names it and a google.rpc.BadRequest violation points at it, as a
// body refusal points at a field.
absl::Status BadQueryParameter(const std::string& name, const std::optional<std::string>& text, const std::string& zh,
                               const std::string& en);

// The page_size of a list request by its row's `limits`: absent or 0 is the
// default, larger than the maximum is the maximum; INVALID_ARGUMENT naming
// page_size when it is not a non-negative integer, INTERNAL for a row
// without limits.
absl::StatusOr<int32_t> PageSizeParam(const httplib::Request& request, const PageLimits* limits);

// The workflow action of a custom verb ("submit" → WORKFLOW_ACTION_SUBMIT,
// …); UNSPECIFIED for anything else.
yusuan::ledger::v1::WorkflowAction WorkflowActionForVerb(const std::string& verb);

// The TransitionBudgetRequest of a workflow route: the optional JSON body
// (protobuf JSON of TransitionBudgetRequest, e.g. {"comment": "…",
// "expectedRevision": "3"}), then name and action from the path whatever
// the body says, and `request_id` when not empty. INVALID_ARGUMENT for a
// body that is not UTF-8 or not such JSON.
absl::StatusOr<yusuan::ledger::v1::TransitionBudgetRequest> TransitionRequestFromRest(const RestRoute& route,
                                                                                      const std::string& body,
                                                                                      const std::string& request_id);

// The DiffBudgetRevisionsRequest of a revisions:diff route from its query
// parameters (nullopt: absent). `from` is required and a positive integer;
// `to` is optional, a non-negative integer, 0 (the default) meaning the
// current revision. Only ASCII digits are accepted ("+1", " 1", "1.0" are
// not). INVALID_ARGUMENT naming the parameter, with a google.rpc.BadRequest
// violation on it, otherwise.
absl::StatusOr<yusuan::ledger::v1::DiffBudgetRevisionsRequest> DiffRequestFromQuery(
    const RestRoute& route, const std::optional<std::string>& from, const std::optional<std::string>& to);

// The DiffCataloguesRequest of a catalogues/{to}:diff route: `from` is
// required, an edition year of four digits; INVALID_ARGUMENT naming it
// (with a google.rpc.BadRequest violation) otherwise.
absl::StatusOr<yusuan::ledger::v1::DiffCataloguesRequest> CatalogueDiffFromQuery(
    const RestRoute& route, const std::optional<std::string>& from);

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_HTTP_REQUEST_PARSING_H_
