// The route table (rest_routes.h) against everything that names routes
// without being generated from it: the PublicApi service, the permission
// matrix, the orchestrator's authorization (what each handler really
// calls), and the route lists of services/gateway/README.md and the
// top-level README.md.
#include <httplib.h>

#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/common/revisions.h"
#include "services/gateway/auth/access.h"
#include "services/gateway/auth/permissions.h"
#include "services/gateway/http/request_parsing.h"
#include "services/gateway/http/rest.h"
#include "services/gateway/http/rest_handlers.h"
#include "services/gateway/http/rest_routes.h"
#include "services/gateway/http/route_patterns.h"
#include "services/security/signing_key.h"
#include "yusuan/gateway/v1/gateway.pb.h"

namespace yusuan::gateway {
namespace {

std::string Label(const RestRouteSpec& spec) { return RestRoutePattern(spec); }

// A concrete path for a table path.
std::string Concrete(std::string path) {
  for (const auto& [placeholder, value] : std::vector<std::pair<std::string, std::string>>{
           {"{r}", "420107"}, {"{a}", "005001022"}, {"{y}", "2021"}, {"{edition}", "2021"}, {"{code}", "2070101"}}) {
    for (size_t at = path.find(placeholder); at != std::string::npos; at = path.find(placeholder, at)) {
      path.replace(at, placeholder.size(), value);
    }
  }
  return path;
}

std::string ReadSource(const std::string& relative) {
  std::ifstream in(std::string(YUSUAN_SOURCE_DIR) + "/" + relative, std::ios::binary);
  EXPECT_TRUE(in.good()) << relative;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(RouteTable, RowsAreWellFormedAndDistinct) {
  std::set<std::string> labels;
  for (const RestRouteSpec& spec : RestRoutes()) {
    const std::string what = Label(spec);
    const std::string method = spec.method;
    EXPECT_TRUE(method == "GET" || method == "POST" || method == "PUT") << what;
    EXPECT_TRUE(absl::StartsWith(spec.path, "/")) << what;
    EXPECT_NE(spec.handler, nullptr) << what;
    EXPECT_NE(spec.summary, nullptr) << what;
    EXPECT_NE(spec.tag, nullptr) << what;
    EXPECT_TRUE(labels.insert(what).second) << what << " twice";
    if (spec.pages != nullptr) {
      EXPECT_EQ(method, "GET") << what;
      EXPECT_GT(spec.pages->default_size, 0) << what;
      EXPECT_LE(spec.pages->default_size, spec.pages->max_size) << what;
    }
  }
}

// Every row's own request routes to it (HEAD too for a GET), and every
// other method on its path is a 405 naming exactly the table's methods.
TEST(RouteTable, EveryRowRoutesToItself) {
  std::map<std::string, std::set<std::string>> methods_of;
  for (const RestRouteSpec& spec : RestRoutes()) methods_of[spec.path].insert(spec.method);
  for (const RestRouteSpec& spec : RestRoutes()) {
    const std::string path = Concrete(spec.path);
    std::string allowed;
    absl::StatusOr<RestRoute> route = MatchRestRoute(spec.method, path, &allowed);
    ASSERT_TRUE(route.ok()) << Label(spec) << ": " << route.status();
    EXPECT_EQ(route->spec, &spec) << Label(spec);
    if (std::string(spec.method) == "GET") {
      route = MatchRestRoute("HEAD", path, &allowed);
      ASSERT_TRUE(route.ok()) << route.status();
      EXPECT_EQ(route->spec, &spec);
    }
    for (const char* other : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
      if (methods_of[spec.path].count(other)) continue;
      allowed.clear();
      absl::StatusOr<RestRoute> refused = MatchRestRoute(other, path, &allowed);
      EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnimplemented) << other << " " << path;
      const std::vector<std::string> listed = absl::StrSplit(allowed, ", ");
      EXPECT_EQ(std::set<std::string>(listed.begin(), listed.end()), methods_of[spec.path]) << path;
    }
  }
}

// Every rpc of PublicApi is a route, every route's rpc is one, and its
// permission is the matrix row the orchestrator asks for that rpc:
// the rpc itself, or for TransitionBudget the row of the path's action.
TEST(RouteTable, RpcsAndPermissionsAreThePublicApisAndTheMatrixs) {
  const google::protobuf::ServiceDescriptor* service =
      yusuan::gateway::v1::ApplyFilingRequest::descriptor()->file()->FindServiceByName("PublicApi");
  ASSERT_NE(service, nullptr);
  absl::StatusOr<const auth::PermissionMatrix*> matrix = auth::DefaultPermissions();
  ASSERT_TRUE(matrix.ok()) << matrix.status();
  std::set<std::string> routed;
  std::set<std::string> permissions;
  for (const RestRouteSpec& spec : RestRoutes()) {
    if (spec.access == RestAccess::kOperational) {
      EXPECT_EQ(spec.rpc, nullptr) << Label(spec) << ": an operational document calls no rpc";
      EXPECT_EQ(spec.permission, nullptr) << Label(spec);
      continue;
    }
    ASSERT_NE(spec.rpc, nullptr) << Label(spec) << " names no rpc";
    EXPECT_NE(service->FindMethodByName(spec.rpc), nullptr) << Label(spec) << ": PublicApi has no " << spec.rpc;
    routed.insert(spec.rpc);
    const std::string permission = RestRoutePermission(spec);
    permissions.insert(permission);
    EXPECT_TRUE((*matrix)->Cell(permission, auth::Principal::kAnonymous).has_value())
        << Label(spec) << ": permissions.md has no row " << permission;
    if (std::string(spec.rpc) == "TransitionBudget") {
      std::string verb;
      absl::StatusOr<RestRoute> route = MatchRestRoute(spec.method, Concrete(spec.path), &verb);
      ASSERT_TRUE(route.ok());
      const auto action = WorkflowActionForVerb(route->verb);
      ASSERT_NE(action, yusuan::ledger::v1::WORKFLOW_ACTION_UNSPECIFIED) << Label(spec);
      EXPECT_EQ(permission, auth::kTransitionBudgetMethodPrefix +
                                yusuan::ledger::v1::WorkflowAction_Name(action).substr(sizeof("WORKFLOW_ACTION_") - 1));
    } else {
      EXPECT_EQ(permission, spec.rpc) << Label(spec);
    }
  }
  for (int i = 0; i < service->method_count(); ++i) {
    EXPECT_TRUE(routed.count(service->method(i)->name())) << "no REST route calls " << service->method(i)->name();
  }
  for (const std::string& method : (*matrix)->methods()) {
    if (absl::StartsWith(method, "admin.")) continue;  // operations of `yusuan admin`, not REST
    EXPECT_TRUE(permissions.count(method)) << "no REST route is authorized by the matrix row " << method;
  }
}

// What each handler really calls: with a matrix that refuses everything to
// anonymous callers, an anonymous request that passes the handler's own
// checks is refused by the orchestrator naming the matrix row it asked —
// which must be the row's permission. The body and query each route needs
// to get that far are below; nothing reaches a backend.
TEST(RouteTable, EveryHandlerAsksTheMatrixForItsRowsPermission) {
  absl::StatusOr<const auth::PermissionMatrix*> real = auth::DefaultPermissions();
  ASSERT_TRUE(real.ok()) << real.status();
  std::string markdown =
      "| method | anonymous | preparer | reviewer | integrator | admin |\n|---|---|---|---|---|---|\n";
  for (const std::string& method : (*real)->methods())
    absl::StrAppend(&markdown, "| `", method, "` | - | - | - | - | - |\n");
  absl::StatusOr<auth::PermissionMatrix> closed = auth::ParsePermissionTable(markdown);
  ASSERT_TRUE(closed.ok()) << closed.status();
  absl::StatusOr<security::SigningKey> key = security::SigningKey::Generate();
  ASSERT_TRUE(key.ok()) << key.status();
  absl::StatusOr<security::InternalSecret> secret = security::InternalSecret::Generate();
  ASSERT_TRUE(secret.ok()) << secret.status();
  AccessPolicy access(*key, *std::move(secret), &*closed);
  Orchestrator::Options options;
  options.ledger_address = options.goals_address = options.report_address = "127.0.0.1:1";
  std::unique_ptr<Orchestrator> orchestrator = Orchestrator::Connect(options);
  orchestrator->set_access(&access);
  RestServer server(orchestrator.get(), &access);

  const std::string filing =
      R"({"department": {"name": "regions/420107/departments/005001022", "regionCode": "420107",)"
      R"( "agencyCode": "005001022"}, "budget": {"fiscalYear": 2021}})";
  const std::map<std::string, std::pair<httplib::Params, std::string>> needs = {
      {"ApplyFiling", {{}, filing}},
      {"ValidateFiling", {{}, filing}},
      {"CreateDepartment", {{}, R"({"name": "regions/420107/departments/005001022"})"}},
      {"PutBudget", {{}, "{}"}},
      {"PutGoals", {{}, "{}"}},
      {"DiffBudgetRevisions", {{{"from", "1"}}, ""}},
      {"DiffGoalsRevisions", {{{"from", "1"}}, ""}},
      {"DiffCatalogues", {{{"from", "2020"}}, ""}},
      {"ImportCatalogue", {{}, "科目编码,科目名称,级次\n"}},
      {"VerifyArtifact", {{}, "%PDF-"}},
  };
  for (const RestRouteSpec& spec : RestRoutes()) {
    if (spec.access == RestAccess::kOperational) continue;
    httplib::Request request;
    request.method = spec.method;
    request.path = Concrete(spec.path);
    std::string body;
    if (const auto need = needs.find(RestRouteOperationId(spec)); need != needs.end()) {
      request.params = need->second.first;
      body = need->second.second;
    }
    httplib::Response response;
    server.Handle(request, body, response);
    EXPECT_EQ(response.status, 401) << Label(spec) << ": " << response.body;
    const nlohmann::json error = nlohmann::json::parse(response.body, nullptr, false).value("error", nlohmann::json());
    std::string asked;
    for (const auto& detail : error.value("details", nlohmann::json::array())) {
      if (detail.value("@type", "") == "type.googleapis.com/google.rpc.ErrorInfo") {
        asked = detail.value("metadata", nlohmann::json::object()).value("method", "");
      }
    }
    EXPECT_EQ(asked, RestRoutePermission(spec)) << Label(spec) << "'s handler asked for another row: " << response.body;
  }
}

// The rows of a Markdown table whose cells are split on unescaped "|".
std::vector<std::vector<std::string>> TableRows(const std::string& markdown) {
  std::vector<std::vector<std::string>> rows;
  for (absl::string_view line : absl::StrSplit(markdown, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (!absl::StartsWith(line, "|") || !absl::EndsWith(line, "|")) continue;
    std::vector<std::string> cells;
    std::string cell;
    for (size_t i = 1; i + 1 <= line.size(); ++i) {
      const char c = i < line.size() ? line[i] : '|';
      if (c == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
        cell += '|';
        ++i;
      } else if (c == '|') {
        cells.push_back(std::string(absl::StripAsciiWhitespace(cell)));
        cell.clear();
      } else {
        cell += c;
      }
    }
    rows.push_back(cells);
  }
  return rows;
}

// The first `…` of a cell.
std::string FirstCode(const std::string& cell) {
  const size_t open = cell.find('`');
  const size_t close = open == std::string::npos ? open : cell.find('`', open + 1);
  return close == std::string::npos ? "" : cell.substr(open + 1, close - open - 1);
}

std::set<std::string> TableLabels() {
  std::set<std::string> labels;
  for (const RestRouteSpec& spec : RestRoutes()) labels.insert(Label(spec));
  return labels;
}

// services/gateway/README.md: one row per route, | METHOD | `path` | … |.
TEST(RouteTable, TheGatewayReadmeListsExactlyTheTablesRoutes) {
  std::set<std::string> listed;
  for (const std::vector<std::string>& cells : TableRows(ReadSource("services/gateway/README.md"))) {
    if (cells.size() < 2) continue;
    const std::string& method = cells[0];
    if (method != "GET" && method != "POST" && method != "PUT" && method != "PATCH" && method != "DELETE") continue;
    const std::string label = method + " " + FirstCode(cells[1]);
    EXPECT_TRUE(listed.insert(label).second) << "README lists " << label << " twice";
  }
  const std::set<std::string> table = TableLabels();
  for (const std::string& label : table)
    EXPECT_TRUE(listed.count(label)) << "services/gateway/README.md lacks " << label;
  for (const std::string& label : listed) {
    EXPECT_TRUE(table.count(label)) << "services/gateway/README.md lists " << label
                                    << ", which no row of the table has";
  }
}

// The top-level README's "API at a glance": | `METHOD path[?query]` … | `Rpc` … |,
// one row per route that calls an rpc, with that rpc.
TEST(RouteTable, TheTopLevelReadmeListsEveryRpcRouteWithItsRpc) {
  std::map<std::string, std::string> rpc_of;
  for (const RestRouteSpec& spec : RestRoutes()) {
    if (spec.rpc != nullptr) rpc_of[Label(spec)] = spec.rpc;
  }
  std::map<std::string, std::string> listed;
  for (const std::vector<std::string>& cells : TableRows(ReadSource("README.md"))) {
    if (cells.size() != 2) continue;
    std::string route = FirstCode(cells[0]);
    if (!std::regex_match(route, std::regex("(GET|POST|PUT|PATCH|DELETE) /.*"))) continue;
    route = route.substr(0, route.find_first_of("?["));
    EXPECT_TRUE(listed.emplace(route, FirstCode(cells[1])).second) << "README.md lists " << route << " twice";
  }
  for (const auto& [route, rpc] : rpc_of) {
    const auto found = listed.find(route);
    if (found == listed.end()) {
      ADD_FAILURE() << "README.md lacks " << route;
    } else {
      EXPECT_EQ(found->second, rpc) << "README.md: " << route;
    }
  }
  for (const auto& [route, rpc] : listed) {
    EXPECT_TRUE(rpc_of.count(route)) << "README.md lists " << route << ", which no row of the table has";
  }
}

// The gateway documents and sends the default the backends' lists apply and
// never asks for more than they give (services/common/revisions.h).
TEST(RouteTable, TheListLimitsAreTheBackends) {
  EXPECT_EQ(kListPages.default_size, yusuan::kListPageSizes.default_size);
  EXPECT_EQ(kListPages.max_size, yusuan::kListPageSizes.max_size);
  EXPECT_EQ(kQueuePages.default_size, yusuan::kQueuePageSizes.default_size);
  EXPECT_EQ(kQueuePages.max_size, yusuan::kQueuePageSizes.max_size);
}

// The README's paging sentence states the limits of the table.
TEST(RouteTable, TheReadmeStatesThePageLimits) {
  // Lines wrap anywhere: compare with the whitespace collapsed.
  std::string readme;
  for (const char c : ReadSource("services/gateway/README.md")) {
    const bool space = c == ' ' || c == '\n';
    if (!space || readme.empty() || readme.back() != ' ') readme += space ? ' ' : c;
  }
  for (const PageLimits* limits : {&kListPages, &kQueuePages}) {
    const std::string said = absl::StrCat("0 or absent: ", limits->default_size, "; at most ", limits->max_size);
    EXPECT_NE(readme.find(said), std::string::npos) << "services/gateway/README.md does not say " << said;
  }
}

}  // namespace
}  // namespace yusuan::gateway
