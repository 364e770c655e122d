// The REST face's routing and the parts of request handling that need no
// backend (refusals happen before any backend call).
#include <httplib.h>

#include <algorithm>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/client/client.h"
#include "services/common/errors.h"
#include "services/common/sha256.h"
#include "services/common/utf8.h"
#include "services/gateway/http/request_parsing.h"
#include "services/gateway/http/rest.h"
#include "services/gateway/http/rest_handlers.h"
#include "yusuan/gateway/v1/gateway.pb.h"

namespace yusuan::gateway {
namespace {

constexpr char kBudgetPath[] = "/v1/regions/420107/departments/005001022/budgets/2021";

// The operationId of a matched route ("" for none).
std::string Op(const RestRoute& route) { return route.spec == nullptr ? "" : RestRouteOperationId(*route.spec); }

RestRoute Route(const std::string& method, const std::string& path) {
  std::string allowed;
  absl::StatusOr<RestRoute> route = MatchRestRoute(method, path, &allowed);
  EXPECT_TRUE(route.ok()) << method << " " << path << ": " << route.status();
  return route.ok() ? *route : RestRoute{};
}

TEST(MatchRestRoute, FilingVerbs) {
  EXPECT_EQ(Op(Route("POST", "/v1/filings:apply")), "ApplyFiling");
  EXPECT_EQ(Op(Route("POST", "/v1/filings:validate")), "ValidateFiling");
  EXPECT_EQ(Op(Route("GET", "/healthz")), "Health");
  EXPECT_EQ(Op(Route("HEAD", "/healthz")), "Health");
  EXPECT_EQ(Op(Route("GET", "/v1/rules")), "ListRules");
}

TEST(MatchRestRoute, ResourcesCarryTheirParsedNames) {
  RestRoute list = Route("GET", "/v1/regions/420107/departments");
  EXPECT_EQ(Op(list), "ListDepartments");
  EXPECT_EQ(list.region, "420107");

  RestRoute department = Route("GET", "/v1/regions/420107/departments/005001022");
  EXPECT_EQ(Op(department), "GetDepartment");
  EXPECT_EQ(department.budget.department.ToString(), "regions/420107/departments/005001022");

  RestRoute budget = Route("GET", kBudgetPath);
  EXPECT_EQ(Op(budget), "GetBudget");
  EXPECT_EQ(budget.budget.ToString(), "regions/420107/departments/005001022/budgets/2021");
  EXPECT_EQ(budget.budget.year, 2021);

  EXPECT_EQ(Op(Route("PUT", kBudgetPath)), "PutBudget");
  EXPECT_EQ(Op(Route("POST", std::string(kBudgetPath) + ":validate")), "ValidateBudget");
  EXPECT_EQ(Op(Route("GET", std::string(kBudgetPath) + "/goals")), "GetGoals");
  EXPECT_EQ(Op(Route("GET", std::string(kBudgetPath) + "/report")), "RenderReport");
}

TEST(MatchRestRoute, EveryWriteHasItsMethod) {
  RestRoute create = Route("POST", "/v1/regions/420107/departments");
  EXPECT_EQ(Op(create), "CreateDepartment");
  EXPECT_EQ(create.region, "420107");
  RestRoute put_goals = Route("PUT", "/v1/regions/420107/departments/005001022/budgets/2021/goals");
  EXPECT_EQ(Op(put_goals), "PutGoals");
  EXPECT_EQ(put_goals.budget.ToString(), "regions/420107/departments/005001022/budgets/2021");
  std::string allowed;
  EXPECT_EQ(MatchRestRoute("DELETE", "/v1/regions/420107/departments", &allowed).status().code(),
            absl::StatusCode::kUnimplemented);
  EXPECT_EQ(allowed, "GET, POST");
  EXPECT_EQ(
      MatchRestRoute("POST", "/v1/regions/420107/departments/005001022/budgets/2021/goals", &allowed).status().code(),
      absl::StatusCode::kUnimplemented);
  EXPECT_EQ(allowed, "GET, PUT");
}

TEST(MatchRestRoute, WorkflowVerbsAreRecognised) {
  for (const char* verb : {"submit", "approve", "return", "publish"}) {
    RestRoute route = Route("POST", std::string(kBudgetPath) + ":" + verb);
    ASSERT_NE(route.spec, nullptr) << verb;
    EXPECT_EQ(std::string(route.spec->rpc), "TransitionBudget") << verb;
    EXPECT_EQ(RestRoutePermission(*route.spec), "TransitionBudget:" + absl::AsciiStrToUpper(verb));
    EXPECT_EQ(route.verb, verb);
  }
}

TEST(MatchRestRoute, VersionsListTheBudgetsHistory) {
  RestRoute route = Route("GET", std::string(kBudgetPath) + "/versions");
  EXPECT_EQ(Op(route), "ListBudgetVersions");
  EXPECT_EQ(route.budget.ToString(), "regions/420107/departments/005001022/budgets/2021");

  std::string allowed;
  auto refused = MatchRestRoute("POST", std::string(kBudgetPath) + "/versions", &allowed);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_EQ(allowed, "GET");
  allowed.clear();
  refused = MatchRestRoute("GET", std::string(kBudgetPath) + ":approve", &allowed);
  EXPECT_EQ(allowed, "POST");
  allowed.clear();
  refused = MatchRestRoute("GET", std::string(kBudgetPath) + "/versions:submit", &allowed);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kNotFound);
}

TEST(MatchRestRoute, RevisionsAndTheirDiff) {
  RestRoute list = Route("GET", std::string(kBudgetPath) + "/revisions");
  EXPECT_EQ(Op(list), "ListBudgetRevisions");
  EXPECT_EQ(list.budget.ToString(), "regions/420107/departments/005001022/budgets/2021");
  RestRoute diff = Route("GET", std::string(kBudgetPath) + "/revisions:diff");
  EXPECT_EQ(Op(diff), "DiffBudgetRevisions");
  EXPECT_EQ(diff.budget.ToString(), "regions/420107/departments/005001022/budgets/2021");
  EXPECT_EQ(Op(Route("HEAD", std::string(kBudgetPath) + "/revisions:diff")), "DiffBudgetRevisions");

  for (const char* method : {"POST", "PUT", "DELETE"}) {
    for (const char* sub : {"/revisions", "/revisions:diff"}) {
      std::string allowed;
      auto refused = MatchRestRoute(method, std::string(kBudgetPath) + sub, &allowed);
      EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnimplemented) << method << sub;
      EXPECT_EQ(allowed, "GET") << method << sub;
    }
  }
  // Only revisions takes the diff verb, and revisions takes no other.
  for (const char* sub : {"/revisions:compare", "/revisions:", "/versions:diff", "/goals:diff", "/revisions/1",
                          "/revisions/1:diff", ":diff", "/revision:diff"}) {
    std::string allowed;
    auto refused = MatchRestRoute("GET", std::string(kBudgetPath) + sub, &allowed);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kNotFound) << sub;
    EXPECT_TRUE(allowed.empty()) << sub;
  }
  // The budget segment is still checked.
  std::string allowed;
  auto bad = MatchRestRoute("GET", "/v1/regions/420107/departments/005001022/budgets/1999/revisions:diff", &allowed);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(DiffRequestFromQuery, FromIsRequiredAndToDefaultsToCurrent) {
  RestRoute route = Route("GET", std::string(kBudgetPath) + "/revisions:diff");
  auto diff = DiffRequestFromQuery(route, "1", "2");
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_EQ(diff->name(), "regions/420107/departments/005001022/budgets/2021");
  EXPECT_EQ(diff->from_revision(), 1);
  EXPECT_EQ(diff->to_revision(), 2);

  diff = DiffRequestFromQuery(route, "3", std::nullopt);
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_EQ(diff->from_revision(), 3);
  EXPECT_EQ(diff->to_revision(), 0);

  diff = DiffRequestFromQuery(route, "12", "0");
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_EQ(diff->from_revision(), 12);
  EXPECT_EQ(diff->to_revision(), 0);
}

TEST(DiffRequestFromQuery, RefusalsNameTheParameter) {
  RestRoute route = Route("GET", std::string(kBudgetPath) + "/revisions:diff");
  struct Case {
    std::optional<std::string> from, to;
    const char* parameter;
  };
  for (const Case& c : std::vector<Case>{{std::nullopt, "2", "from"},
                                         {"", std::nullopt, "from"},
                                         {"0", std::nullopt, "from"},
                                         {"-1", "2", "from"},
                                         {"+1", "2", "from"},
                                         {" 1", "2", "from"},
                                         {"1.0", "2", "from"},
                                         {"one", "2", "from"},
                                         {"99999999999999999999", "2", "from"},
                                         {"1", "-2", "to"},
                                         {"1", "", "to"},
                                         {"1", "current", "to"}}) {
    auto diff = DiffRequestFromQuery(route, c.from, c.to);
    const std::string label = c.from.value_or("<absent>") + "/" + c.to.value_or("<absent>");
    ASSERT_FALSE(diff.ok()) << label;
    EXPECT_EQ(diff.status().code(), absl::StatusCode::kInvalidArgument) << label;
    const std::string message(diff.status().message());
    EXPECT_NE(message.find(absl::StrCat("query parameter ", c.parameter)), std::string::npos)
        << label << ": " << diff.status();
    // A value that was given is quoted back; an absent one is said to be required.
    if (c.parameter == std::string("from") && !c.from.has_value()) {
      EXPECT_NE(message.find("query parameter from is required"), std::string::npos) << message;
    }
  }
}

// Issue 13: a malformed integer parameter was refused in the message only;
// the refusal carries a BadRequest violation at the parameter, as others do.
TEST(IntParam, ARefusalNamesTheParameterAsAFieldViolation) {
  for (const char* text : {"-5", "x", "1.5", "99999999999999999999"}) {
    httplib::Request request;
    request.params.emplace("first_index", text);
    absl::StatusOr<int64_t> value = IntParam(request, "first_index");
    ASSERT_FALSE(value.ok()) << text;
    EXPECT_EQ(value.status().code(), absl::StatusCode::kInvalidArgument);
    const std::string message(value.status().message());
    EXPECT_NE(message.find(absl::StrCat("query parameter first_index=\"", text, "\"")), std::string::npos) << message;
    google::rpc::BadRequest bad_request;
    ASSERT_TRUE(GetDetail(value.status(), &bad_request)) << text;
    ASSERT_EQ(bad_request.field_violations_size(), 1);
    EXPECT_EQ(bad_request.field_violations(0).field(), "first_index");
  }
  httplib::Request absent;
  EXPECT_EQ(*IntParam(absent, "first_index"), 0);
}

TEST(MatchRestRoute, CatalogueRoutes) {
  EXPECT_EQ(Op(Route("GET", "/v1/catalogues")), "ListCatalogues");
  RestRoute get = Route("GET", "/v1/catalogues/2021");
  EXPECT_EQ(Op(get), "GetCatalogue");
  EXPECT_EQ(get.edition, 2021);
  RestRoute code = Route("GET", "/v1/catalogues/2022/codes/2070101");
  EXPECT_EQ(Op(code), "GetCatalogueCode");
  EXPECT_EQ(code.edition, 2022);
  EXPECT_EQ(code.code, "2070101");
  RestRoute diff = Route("GET", "/v1/catalogues/2022:diff");
  EXPECT_EQ(Op(diff), "DiffCatalogues");
  EXPECT_EQ(diff.edition, 2022);
  EXPECT_EQ(Op(Route("POST", "/v1/catalogues/2021:import")), "ImportCatalogue");

  std::string allowed;
  EXPECT_EQ(MatchRestRoute("POST", "/v1/catalogues/2021", &allowed).status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_EQ(allowed, "GET");
  EXPECT_EQ(MatchRestRoute("GET", "/v1/catalogues/2021:import", &allowed).status().code(),
            absl::StatusCode::kUnimplemented);
  EXPECT_EQ(allowed, "POST");
  for (const char* path : {"/v1/catalogues/2021:merge", "/v1/catalogues/2021/codes", "/v1/catalogues/2021/names/201",
                           "/v1/catalogues/2021/codes/201/children", "/v1/catalogues/2021/codes/201:diff"}) {
    EXPECT_EQ(MatchRestRoute("GET", path, &allowed).status().code(), absl::StatusCode::kNotFound) << path;
  }
  for (const char* path : {"/v1/catalogues/21", "/v1/catalogues/latest", "/v1/catalogues/2O21/codes/201"}) {
    absl::StatusOr<RestRoute> bad = MatchRestRoute("GET", path, &allowed);
    EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument) << path;
    EXPECT_NE(bad.status().message().find("year of four digits"), std::string::npos) << bad.status();
  }
}

TEST(CatalogueDiffFromQuery, FromIsARequiredYear) {
  RestRoute route = Route("GET", "/v1/catalogues/2022:diff");
  auto diff = CatalogueDiffFromQuery(route, "2021");
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_EQ(diff->from_edition(), 2021);
  EXPECT_EQ(diff->to_edition(), 2022);
  for (const std::optional<std::string>& from : {std::optional<std::string>(), std::optional<std::string>("21"),
                                                 std::optional<std::string>("+2021"), std::optional<std::string>("")}) {
    auto refused = CatalogueDiffFromQuery(route, from);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(refused.status().message().find("query parameter from"), std::string::npos) << refused.status();
  }
}

TEST(WorkflowActionForVerb, MapsTheFourVerbs) {
  namespace lv1 = yusuan::ledger::v1;
  EXPECT_EQ(WorkflowActionForVerb("submit"), lv1::WORKFLOW_ACTION_SUBMIT);
  EXPECT_EQ(WorkflowActionForVerb("approve"), lv1::WORKFLOW_ACTION_APPROVE);
  EXPECT_EQ(WorkflowActionForVerb("return"), lv1::WORKFLOW_ACTION_RETURN);
  EXPECT_EQ(WorkflowActionForVerb("publish"), lv1::WORKFLOW_ACTION_PUBLISH);
  EXPECT_EQ(WorkflowActionForVerb("validate"), lv1::WORKFLOW_ACTION_UNSPECIFIED);
  EXPECT_EQ(WorkflowActionForVerb("Submit"), lv1::WORKFLOW_ACTION_UNSPECIFIED);
}

TEST(TransitionRequestFromRest, ThePathDecidesNameAndAction) {
  namespace lv1 = yusuan::ledger::v1;
  RestRoute route = Route("POST", std::string(kBudgetPath) + ":return");
  // A body naming another budget and another step must not redirect the call.
  absl::StatusOr<lv1::TransitionBudgetRequest> request =
      TransitionRequestFromRest(route,
                                "{\"name\": \"regions/420107/departments/005001022/budgets/2020\","
                                " \"action\": \"WORKFLOW_ACTION_PUBLISH\", \"comment\": \"表6合计与表1不符\","
                                " \"expectedRevision\": \"3\", \"requestId\": \"from-body\"}",
                                "from-header");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->name(), "regions/420107/departments/005001022/budgets/2021");
  EXPECT_EQ(request->action(), lv1::WORKFLOW_ACTION_RETURN);
  EXPECT_EQ(request->comment(), "表6合计与表1不符");
  EXPECT_EQ(request->expected_revision(), 3);
  EXPECT_EQ(request->request_id(), "from-header");

  // Without a header the body's id stands.
  request = TransitionRequestFromRest(route, "{\"requestId\": \"from-body\"}", "");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->request_id(), "from-body");
}

TEST(TransitionRequestFromRest, TheBodyIsOptional) {
  namespace lv1 = yusuan::ledger::v1;
  RestRoute route = Route("POST", std::string(kBudgetPath) + ":approve");
  for (const char* body : {"", " \n", "{}"}) {
    absl::StatusOr<lv1::TransitionBudgetRequest> request = TransitionRequestFromRest(route, body, "");
    ASSERT_TRUE(request.ok()) << request.status();
    EXPECT_EQ(request->name(), "regions/420107/departments/005001022/budgets/2021");
    EXPECT_EQ(request->action(), lv1::WORKFLOW_ACTION_APPROVE);
    EXPECT_EQ(request->expected_revision(), 0);
    EXPECT_TRUE(request->comment().empty());
  }
}

// Protobuf's JSON error quotes the body around the error, cut at a byte
// count that may fall inside a character; the refusal's message must still
// be UTF-8 to travel in google.rpc.Status (found by
// tests/fuzz/filing_json_fuzzer).
TEST(ParseJsonBody, ARefusalQuotingTheBodyIsUtf8) {
  std::string name;
  for (int i = 0; i < 20; ++i) name += "科";
  // The missing comma after "…a" is refused with the 3-byte characters cut.
  const std::string body = "{\"department\": {\"fullName\": \"" + name + "a\" \"shortName\": \"x\"}}";
  yusuan::gateway::v1::Filing filing;
  const absl::Status refused = ParseJsonBody(body, "", &filing);
  ASSERT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ErrorReason(refused), "BAD_JSON");
  EXPECT_TRUE(IsValidUtf8(std::string(refused.message()))) << refused.message();
}

// Issue 13: a value of the wrong JSON type was refused naming the field in
// proto names inside the message only; the refusal carries a BadRequest
// violation at the field's JSON path, rooted as the rules root theirs.
TEST(ParseJsonBody, AValueOfTheWrongTypeIsRefusedNamingItsField) {
  struct Case {
    std::string body;
    std::string prefix;
    std::string field;
  };
  const std::vector<Case> cases = {
      {R"({"budget": {"incomeLines": [{"amountFen": 1.5}]}})", "", "budget.incomeLines[0].amountFen"},
      {R"({"budget": {"fiscalYear": "二〇二一"}})", "", "budget.fiscalYear"},
      {R"({"incomeLines": [{}, {"amountFen": "12abc"}]})", "budget.", "budget.incomeLines[1].amountFen"},
  };
  for (const Case& c : cases) {
    yusuan::gateway::v1::Filing filing;
    yusuan::ledger::v1::Budget budget;
    google::protobuf::Message* out = c.prefix.empty() ? static_cast<google::protobuf::Message*>(&filing) : &budget;
    const absl::Status refused = ParseJsonBody(c.body, c.prefix, out);
    ASSERT_EQ(refused.code(), absl::StatusCode::kInvalidArgument) << c.body;
    EXPECT_EQ(ErrorReason(refused), "BAD_JSON");
    google::rpc::BadRequest bad_request;
    ASSERT_TRUE(GetDetail(refused, &bad_request)) << refused;
    ASSERT_EQ(bad_request.field_violations_size(), 1) << refused;
    EXPECT_EQ(bad_request.field_violations(0).field(), c.field) << refused;
  }
}

TEST(MatchRestRoute, UnknownPathsAreNotFound) {
  for (const char* path :
       {"/", "/v1", "/v2/filings:apply", "/v1/filings", "/v1/filings:submit", "/v1/regions/420107",
        "/v1/regions/420107/departments:validate", "/v1/regions/420107/departments/005001022/budgets",
        "/v1/regions/420107/departments/005001022/budgets/2021:frobnicate",
        "/v1/regions/420107/departments/005001022/budgets/2021/goals:validate",
        "/v1/regions/420107/departments/005001022/budgets/2021/tables/1",
        "/v1/regions/420107/departments/005001022/budgets/2021/versions/1",
        "/v1/regions/420107/departments/005001022/budgets/2021:", "/v1/regions/420107/departments:",
        "/v1/regions/420107/units/005001022",
        // No route has the verb, so the malformed year is not looked at.
        "/v1/regions/420107/departments/005001022/budgets/1999:frobnicate"}) {
    std::string allowed;
    auto route = MatchRestRoute("POST", path, &allowed);
    EXPECT_EQ(route.status().code(), absl::StatusCode::kNotFound) << path;
    EXPECT_TRUE(allowed.empty()) << path;
  }
}

TEST(MatchRestRoute, WrongMethodNamesTheAllowedOnes) {
  std::string allowed;
  auto route = MatchRestRoute("GET", "/v1/filings:apply", &allowed);
  EXPECT_EQ(route.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_EQ(allowed, "POST");

  allowed.clear();
  route = MatchRestRoute("DELETE", kBudgetPath, &allowed);
  EXPECT_EQ(allowed, "GET, PUT");
}

TEST(MatchRestRoute, MalformedSegmentsAreInvalidArguments) {
  for (const char* path : {"/v1/regions/4201071/departments", "/v1/regions/420107/departments/kexie",
                           "/v1/regions/420107/departments/005001022/budgets/1999",
                           "/v1/regions/420107/departments/005001022/budgets/twenty/goals"}) {
    std::string allowed;
    auto route = MatchRestRoute("GET", path, &allowed);
    EXPECT_EQ(route.status().code(), absl::StatusCode::kInvalidArgument) << path;
  }
}

TEST(ParseReportFormat, DefaultsToHtmlAndKnowsMarkdown) {
  EXPECT_EQ(*client::ParseReportFormat(""), yusuan::report::v1::FORMAT_HTML);
  EXPECT_EQ(*client::ParseReportFormat("HTML"), yusuan::report::v1::FORMAT_HTML);
  EXPECT_EQ(*client::ParseReportFormat("md"), yusuan::report::v1::FORMAT_MARKDOWN);
  EXPECT_EQ(*client::ParseReportFormat("markdown"), yusuan::report::v1::FORMAT_MARKDOWN);
  EXPECT_EQ(*client::ParseReportFormat("pdf"), yusuan::report::v1::FORMAT_PDF);
  EXPECT_EQ(client::ParseReportFormat("docx").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ContentDisposition, CarriesTheChineseNameAndAnAsciiFallback) {
  EXPECT_EQ(ContentDisposition("inline", "区科协2021年部门预算.html", "420107-005001022-2021.html"),
            "inline; filename=\"420107-005001022-2021.html\"; "
            "filename*=UTF-8''%E5%8C%BA%E7%A7%91%E5%8D%8F2021%E5%B9%B4%E9%83%A8%E9%97%A8%E9%A2%84"
            "%E7%AE%97.html");
  // Quotes cannot break out of the fallback; spaces are encoded in filename*.
  EXPECT_EQ(ContentDisposition("attachment", "a b.md", "a\"b.md"),
            "attachment; filename=\"a_b.md\"; filename*=UTF-8''a%20b.md");
}

TEST(Sha256Hex, MatchesTheStandardVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// Handling that refuses before calling a backend. The orchestrator points at
// addresses nothing listens on; none of these requests may reach them.
class RestHandleTest : public ::testing::Test {
 protected:
  RestHandleTest() {
    Orchestrator::Options options;
    options.ledger_address = options.goals_address = options.report_address = "127.0.0.1:1";
    options.backend_timeout = std::chrono::milliseconds(2000);
    orchestrator_ = Orchestrator::Connect(options);
    rest_ = std::make_unique<RestServer>(orchestrator_.get());
  }

  httplib::Response Send(const std::string& method, const std::string& path, const std::string& body = "") {
    httplib::Request request;
    request.method = method;
    request.path = path;
    httplib::Response response;
    rest_->Handle(request, body, response);
    return response;
  }

  static nlohmann::json Error(const httplib::Response& response) {
    auto body = nlohmann::json::parse(response.body, nullptr, false);
    EXPECT_TRUE(body.is_object() && body.contains("error")) << response.body;
    return body.is_object() && body.contains("error") ? body["error"] : nlohmann::json::object();
  }

  static std::vector<std::string> Violations(const nlohmann::json& error) {
    std::vector<std::string> fields;
    for (const auto& detail : error.value("details", nlohmann::json::array())) {
      if (detail.value("@type", "") != "type.googleapis.com/google.rpc.BadRequest") continue;
      for (const auto& v : detail.value("fieldViolations", nlohmann::json::array())) {
        fields.push_back(v.value("field", ""));
      }
    }
    return fields;
  }

  std::unique_ptr<Orchestrator> orchestrator_;
  std::unique_ptr<RestServer> rest_;
};

TEST_F(RestHandleTest, HealthzAnswers) {
  auto response = Send("GET", "/healthz");
  EXPECT_EQ(response.status, 200);
  EXPECT_NE(response.body.find("SERVING"), std::string::npos);
}

// Issue 13, item 9: a query parameter that is not UTF-8 is refused naming
// it, before any backend (it reached one and came back 501 with no message).
TEST_F(RestHandleTest, AQueryParameterThatIsNotUtf8IsRefusedByName) {
  httplib::Request request;
  request.method = "GET";
  request.path = "/v1/published";
  request.params.emplace("region", "420107");
  request.params.emplace("q", "\xff\xfe");
  httplib::Response response;
  rest_->Handle(request, "", response);
  EXPECT_EQ(response.status, 400) << response.body;
  EXPECT_EQ(Violations(Error(response)), (std::vector<std::string>{"q"}));
  EXPECT_NE(Error(response).value("message", "").find("UTF-8"), std::string::npos) << response.body;

  // On a page, the same refusal as a page.
  request.path = "/";
  httplib::Response page;
  rest_->Handle(request, "", page);
  EXPECT_EQ(page.status, 400);
  EXPECT_NE(page.get_header_value("Content-Type").find("text/html"), std::string::npos);
  EXPECT_NE(page.body.find("UTF-8"), std::string::npos);
}

// The text between `open` and `close` in `html` (the first such).
std::string Between(const std::string& html, const std::string& open, const std::string& close) {
  const size_t start = html.find(open);
  if (start == std::string::npos) return "";
  const size_t end = html.find(close, start + open.size());
  return end == std::string::npos ? "" : html.substr(start + open.size(), end - start - open.size());
}

// Issue 13, item 12: every page sends a Content-Security-Policy, nosniff and
// X-Frame-Options, and the policy allows exactly the page's own inline
// style and script (by their SHA-256), so the reviewer's page still runs.
TEST_F(RestHandleTest, PagesSendSecurityHeadersThatAllowTheirOwnScript) {
  for (const char* path : {"/review", "/", "/disclosures/regions/420107/departments/005001022/budgets/2021"}) {
    auto response = Send("GET", path);
    const std::string policy = response.get_header_value("Content-Security-Policy");
    EXPECT_NE(policy.find("default-src 'none'"), std::string::npos) << path << ": " << policy;
    EXPECT_NE(policy.find("frame-ancestors 'none'"), std::string::npos) << path;
    EXPECT_EQ(response.get_header_value("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(response.get_header_value("X-Frame-Options"), "DENY") << path;
    const std::string style = Between(response.body, "<style>", "</style>");
    ASSERT_FALSE(style.empty()) << path;
    EXPECT_NE(policy.find("style-src 'sha256-" + absl::Base64Escape(Sha256(style)) + "'"), std::string::npos) << path;
  }
  auto review = Send("GET", "/review");
  const std::string script = Between(review.body, "<script>", "</script>");
  ASSERT_FALSE(script.empty());
  EXPECT_NE(review.get_header_value("Content-Security-Policy")
                .find("script-src 'sha256-" + absl::Base64Escape(Sha256(script)) + "'"),
            std::string::npos);
  // No inline style attribute, which the policy would block.
  EXPECT_EQ(review.body.find("style=\""), std::string::npos);
}

TEST_F(RestHandleTest, UnknownPathIsAip193NotFound) {
  auto response = Send("GET", "/v1/nothing/here");
  EXPECT_EQ(response.status, 404);
  auto error = Error(response);
  EXPECT_EQ(error.value("code", 0), 404);
  EXPECT_EQ(error.value("status", ""), "NOT_FOUND");
  EXPECT_NE(error.value("message", "").find("/v1/nothing/here"), std::string::npos);
}

TEST_F(RestHandleTest, WrongMethodIs405WithAllow) {
  auto response = Send("GET", "/v1/filings:apply");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.get_header_value("Allow"), "POST");
  EXPECT_EQ(Error(response).value("code", 0), 405);
}

TEST_F(RestHandleTest, WorkflowBodyWithAMisspeltFieldIsRefusedByName) {
  auto response = Send("POST", std::string(kBudgetPath) + ":return", "{\"coment\": \"x\"}");
  EXPECT_EQ(response.status, 400);
  auto error = Error(response);
  EXPECT_EQ(error.value("status", ""), "INVALID_ARGUMENT");
  EXPECT_NE(error.value("message", "").find("coment"), std::string::npos) << response.body;
}

TEST_F(RestHandleTest, WorkflowCommentThatIsNotUtf8NamesTheField) {
  auto response = Send("POST", std::string(kBudgetPath) + ":return", "{\"comment\": \"退回\xff\"}");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(Violations(Error(response)), (std::vector<std::string>{"comment"}));
}

TEST_F(RestHandleTest, VersionsRefuseABadPageSize) {
  httplib::Request request;
  request.method = "GET";
  request.path = std::string(kBudgetPath) + "/versions";
  request.params.emplace("page_size", "-1");
  httplib::Response response;
  rest_->Handle(request, "", response);
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(Error(response).value("message", "").find("page_size"), std::string::npos);
}

// Every list route reads page_size by its row's limits, before any backend.
TEST_F(RestHandleTest, EveryListRefusesABadPageSize) {
  int lists = 0;
  for (const RestRouteSpec& spec : RestRoutes()) {
    if (spec.pages == nullptr) continue;
    ++lists;
    httplib::Request request;
    request.method = spec.method;
    request.path = absl::StrReplaceAll(spec.path, {{"{r}", "420107"}, {"{a}", "005001022"}, {"{y}", "2021"}});
    request.params.emplace("page_size", "-1");
    httplib::Response response;
    rest_->Handle(request, "", response);
    EXPECT_EQ(response.status, 400) << spec.path;
    EXPECT_NE(Error(response).value("message", "").find("page_size"), std::string::npos) << spec.path;
  }
  EXPECT_GE(lists, 6);
}

TEST(PageSizeParam, AbsentIsTheDefaultAndLargeIsTheMaximum) {
  const PageLimits limits = {50, 500, "page_size_500"};
  httplib::Request request;
  EXPECT_EQ(*PageSizeParam(request, &limits), 50);
  request.params.emplace("page_size", "0");
  EXPECT_EQ(*PageSizeParam(request, &limits), 50);
  request.params = {{"page_size", "7"}};
  EXPECT_EQ(*PageSizeParam(request, &limits), 7);
  request.params = {{"page_size", "501"}};
  EXPECT_EQ(*PageSizeParam(request, &limits), 500);
  request.params = {{"page_size", "99999999999"}};
  EXPECT_EQ(*PageSizeParam(request, &limits), 500);
  EXPECT_EQ(PageSizeParam(request, nullptr).status().code(), absl::StatusCode::kInternal);
}

TEST(ParseRequestTarget, LowerCamelCaseParametersAreReadUnderTheirSnakeCaseNames) {
  httplib::Request request;
  ParseRequestTarget(
      "/v1/regions/42/departments?pageSize=7&pageToken=a%2Bb&publishTimeUnixMs=5&with_sources=true"
      "&X=1&page_size2=3&URL=u",
      &request);
  EXPECT_EQ(request.path, "/v1/regions/42/departments");
  EXPECT_EQ(request.get_param_value("page_size"), "7");
  EXPECT_EQ(request.get_param_value("page_token"), "a+b");
  EXPECT_EQ(request.get_param_value("publish_time_unix_ms"), "5");
  EXPECT_EQ(request.get_param_value("with_sources"), "true");
  // Not lowerCamelCase: as sent.
  EXPECT_TRUE(request.has_param("X"));
  EXPECT_TRUE(request.has_param("page_size2"));
  EXPECT_TRUE(request.has_param("URL"));
  EXPECT_FALSE(request.has_param("pageSize"));
  const PageLimits limits = {50, 500, "page_size_500"};
  EXPECT_EQ(*PageSizeParam(request, &limits), 7);
  EXPECT_EQ(SnakeCaseParameterName("requestId"), "request_id");
  EXPECT_EQ(SnakeCaseParameterName("year"), "year");
}

TEST_F(RestHandleTest, RevisionsRefuseABadPageSize) {
  httplib::Request request;
  request.method = "GET";
  request.path = std::string(kBudgetPath) + "/revisions";
  request.params.emplace("page_size", "ten");
  httplib::Response response;
  rest_->Handle(request, "", response);
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(Error(response).value("message", "").find("page_size"), std::string::npos);
}

TEST_F(RestHandleTest, CatalogueDiffWithoutFromIs400NamingIt) {
  httplib::Request request;
  request.method = "GET";
  request.path = "/v1/catalogues/2022:diff";
  httplib::Response response;
  rest_->Handle(request, "", response);
  EXPECT_EQ(response.status, 400);
  auto error = Error(response);
  EXPECT_NE(error.value("message", "").find("query parameter from"), std::string::npos) << response.body;
  EXPECT_EQ(Violations(error), std::vector<std::string>{"from"});
}

TEST_F(RestHandleTest, CatalogueImportWithANonUtf8FileNameIs400NamingIt) {
  httplib::Request request;
  request.method = "POST";
  request.path = "/v1/catalogues/2021:import";
  request.params.emplace("file_name", "\xD0\xD0.csv");
  httplib::Response response;
  rest_->Handle(request, "科目编码,科目名称,级次\n", response);
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(Violations(Error(response)), std::vector<std::string>{"file_name"});
}

TEST_F(RestHandleTest, DiffWithoutFromIs400NamingIt) {
  httplib::Request request;
  request.method = "GET";
  request.path = std::string(kBudgetPath) + "/revisions:diff";
  request.params.emplace("to", "2");
  httplib::Response response;
  rest_->Handle(request, "", response);
  EXPECT_EQ(response.status, 400);
  auto error = Error(response);
  EXPECT_EQ(error.value("status", ""), "INVALID_ARGUMENT");
  EXPECT_NE(error.value("message", "").find("query parameter from"), std::string::npos) << response.body;
  EXPECT_EQ(Violations(error), std::vector<std::string>{"from"});
}

TEST_F(RestHandleTest, DiffWithABadToIs400NamingIt) {
  httplib::Request request;
  request.method = "GET";
  request.path = std::string(kBudgetPath) + "/revisions:diff";
  request.params.emplace("from", "1");
  request.params.emplace("to", "latest");
  httplib::Response response;
  rest_->Handle(request, "", response);
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(Violations(Error(response)), std::vector<std::string>{"to"});
}

TEST_F(RestHandleTest, RulesAcceptOnlyGet) {
  for (const char* method : {"POST", "PUT", "DELETE"}) {
    auto response = Send(method, "/v1/rules");
    EXPECT_EQ(response.status, 405) << method;
    EXPECT_EQ(response.get_header_value("Allow"), "GET") << method;
  }
  EXPECT_EQ(Send("GET", "/v1/rules/x").status, 404);
}

TEST_F(RestHandleTest, DiffWithWrongMethodIs405) {
  auto response = Send("POST", std::string(kBudgetPath) + "/revisions:diff");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.get_header_value("Allow"), "GET");
  response = Send("GET", std::string(kBudgetPath) + "/revisions:merge");
  EXPECT_EQ(response.status, 404);
}

TEST_F(RestHandleTest, InvalidUtf8BodyNamesTheFilingField) {
  const std::string body =
      "{\"department\": {\"regionCode\": \"420107\", \"fullName\": \"武汉\xff\xfe科协\"},"
      " \"budget\": {\"projects\": [{\"name\": \"a\"}, {\"name\": \"\xc3\"}]}}";
  auto response = Send("POST", "/v1/filings:apply", body);
  EXPECT_EQ(response.status, 400);
  auto error = Error(response);
  EXPECT_EQ(error.value("status", ""), "INVALID_ARGUMENT");
  std::vector<std::string> fields = Violations(error);
  std::sort(fields.begin(), fields.end());
  EXPECT_EQ(fields, (std::vector<std::string>{"budget.projects[1].name", "department.fullName"}));
  EXPECT_NE(response.body.find("UTF-8"), std::string::npos);
}

TEST_F(RestHandleTest, InvalidUtf8InABudgetBodyIsRootedAtBudget) {
  auto response = Send("PUT", kBudgetPath, "{\"narrative\": {\"generalBudgetChangeReason\": \"\xff\"}}");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(Violations(Error(response)), (std::vector<std::string>{"budget.narrative.generalBudgetChangeReason"}));
}

TEST_F(RestHandleTest, MisspeltFieldIsRefusedByName) {
  auto response = Send("POST", "/v1/filings:validate", "{\"department\": {\"fulName\": \"x\"}}");
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(Error(response).value("message", "").find("fulName"), std::string::npos) << response.body;
}

TEST_F(RestHandleTest, EmptyBodyIsRefused) {
  auto response = Send("POST", "/v1/filings:apply", "  ");
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(Error(response).value("message", "").find("empty"), std::string::npos);
}

TEST_F(RestHandleTest, PutBudgetRefusesANameThatDisagreesWithThePath) {
  auto response = Send("PUT", kBudgetPath, "{\"name\": \"regions/420107/departments/005001022/budgets/2020\"}");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(Violations(Error(response)), (std::vector<std::string>{"budget.name"}));
}

TEST_F(RestHandleTest, UnknownReportFormatIsRefused) {
  httplib::Request request;
  request.method = "GET";
  request.path = std::string(kBudgetPath) + "/report";
  request.params.emplace("format", "docx");
  httplib::Response response;
  rest_->Handle(request, "", response);
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(Error(response).value("message", "").find("docx"), std::string::npos);
}

}  // namespace
}  // namespace yusuan::gateway
