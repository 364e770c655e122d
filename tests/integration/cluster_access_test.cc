// End-to-end tests on the four real binaries (the ClusterTest suite, whose
// fixture is in cluster_fixture.h): who may call what. A backend answers only
// calls carrying the gateway's internal credential; every cell of the role
// matrix answers as the table says, over gRPC and REST.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/gateway/auth/permissions.h"
#include "services/security/internal_secret.h"
#include "services/security/token.h"
#include "tests/integration/cluster_fixture.h"
#include "yusuan/gateway/v1/gateway.grpc.pb.h"
#include "yusuan/goals/v1/goals.grpc.pb.h"
#include "yusuan/ledger/v1/ledger_service.grpc.pb.h"
#include "yusuan/report/v1/report.grpc.pb.h"

namespace yusuan::testing {
namespace {

using yusuan::security::TokenClaims;

// Going around the gateway is refused: a backend answers only calls that
// carry the gateway's internal credential, whatever else they carry.
TEST_F(ClusterTest, BackendsRefuseCallsWithoutTheGatewaysCredential) {
  auto ledger = yusuan::ledger::v1::LedgerService::NewStub(
      grpc::CreateChannel(cluster_->ledger().address(), grpc::InsecureChannelCredentials()));
  auto goals = yusuan::goals::v1::GoalsService::NewStub(
      grpc::CreateChannel(cluster_->goals().address(), grpc::InsecureChannelCredentials()));
  auto report = yusuan::report::v1::ReportService::NewStub(
      grpc::CreateChannel(cluster_->report().address(), grpc::InsecureChannelCredentials()));
  auto call_all = [&](const std::function<std::unique_ptr<grpc::ClientContext>()>& context) {
    std::vector<grpc::Status> answers;
    yusuan::ledger::v1::GetBudgetRequest get_budget;
    get_budget.set_name(kBudget);
    yusuan::ledger::v1::Budget budget;
    answers.push_back(ledger->GetBudget(context().get(), get_budget, &budget));
    yusuan::common::v1::ListRulesRequest list_rules;
    yusuan::common::v1::RuleSet rules;
    answers.push_back(ledger->ListRules(context().get(), list_rules, &rules));
    yusuan::goals::v1::GetGoalsRequest get_goals;
    get_goals.set_name(std::string(kBudget) + "/goals");
    yusuan::goals::v1::GoalSet goal_set;
    answers.push_back(goals->GetGoals(context().get(), get_goals, &goal_set));
    yusuan::report::v1::VerifyArtifactRequest verify;
    verify.set_content("not a disclosure");
    yusuan::report::v1::VerifyArtifactResponse verified;
    answers.push_back(report->VerifyArtifact(context().get(), verify, &verified));
    return answers;
  };
  const std::vector<std::pair<std::string, std::function<std::unique_ptr<grpc::ClientContext>()>>> refused = {
      {"no credential", [] { return Context(std::nullopt); }},
      {"a user's token instead", [] { return Context(Role::kAdmin); }},
      {"a wrong credential",
       [] {
         auto context = Context(std::nullopt);
         context->AddMetadata(yusuan::security::kInternalCredentialHeader, std::string(64, 'a'));
         return context;
       }},
      // Whoever holds the token-signing key is not thereby the gateway.
      {"a credential made from the signing key",
       [] {
         auto context = Context(std::nullopt);
         auto from_key = yusuan::security::InternalSecret::FromBytes(cluster_->signing_key().bytes());
         context->AddMetadata(yusuan::security::kInternalCredentialHeader, from_key->credential());
         return context;
       }},
  };
  for (const auto& [what, context] : refused) {
    for (const grpc::Status& answer : call_all(context)) {
      EXPECT_EQ(answer.error_code(), grpc::StatusCode::UNAUTHENTICATED) << what << ": " << answer.error_message();
      EXPECT_NE(answer.error_message().find("gateway"), std::string::npos) << answer.error_message();
    }
  }
  // With the credential the same calls are answered (NOT_FOUND or OK).
  for (const grpc::Status& answer : call_all([] { return BackendContext(); })) {
    EXPECT_NE(answer.error_code(), grpc::StatusCode::UNAUTHENTICATED) << answer.error_message();
  }
}

// Every cell of the permission matrix (services/gateway/auth/permissions.md),
// through gRPC and REST: "any" is answered for everyone, "scope" for a token
// whose scope covers the resource and refused (403) for one whose does not,
// "-" is 401 without a token and 403 with one. "Answered" means not refused
// by authorization: the call may still fail on its own terms (NOT_FOUND,
// INVALID_ARGUMENT, FAILED_PRECONDITION), because the requests aim at a
// department nobody else uses.
TEST_F(ClusterTest, EveryCellOfTheRoleMatrixAnswersAsTheTableSaysOverGrpcAndRest) {
  using yusuan::gateway::auth::Access;
  using yusuan::gateway::auth::Principal;
  namespace lv1 = yusuan::ledger::v1;
  namespace ov1 = yusuan::goals::v1;
  namespace rv1 = yusuan::report::v1;
  namespace gv1 = yusuan::gateway::v1;
  absl::StatusOr<const yusuan::gateway::auth::PermissionMatrix*> matrix = yusuan::gateway::auth::DefaultPermissions();
  ASSERT_TRUE(matrix.ok()) << matrix.status();

  const std::string department = "regions/420107/departments/777000001";
  const std::string budget = department + "/budgets/2031";
  const std::string goals = budget + "/goals";
  Filing filing;
  filing.mutable_department()->set_region_code("420107");
  filing.mutable_department()->set_agency_code("777000001");
  filing.mutable_budget()->set_fiscal_year(2031);
  const std::string filing_json = ToJson(filing);

  struct Call {
    std::function<grpc::Status(PublicApi::Stub&, grpc::ClientContext*)> grpc;
    std::function<httplib::Result(httplib::Client&)> rest;
    // A scope that covers the call's resource and one that does not.
    std::string in_scope = "regions/4201";
    std::string out_of_scope = "regions/4202";
  };
  auto step = [&](lv1::WorkflowAction action) {
    return Call{[=](PublicApi::Stub& api, grpc::ClientContext* c) {
                  lv1::TransitionBudgetRequest r;
                  r.set_name(budget);
                  r.set_action(action);
                  r.set_comment("矩阵测试 / matrix test");
                  lv1::BudgetVersion out;
                  return api.TransitionBudget(c, r, &out);
                },
                [=](httplib::Client& http) {
                  const char* verb = action == lv1::WORKFLOW_ACTION_SUBMIT    ? ":submit"
                                     : action == lv1::WORKFLOW_ACTION_APPROVE ? ":approve"
                                     : action == lv1::WORKFLOW_ACTION_RETURN  ? ":return"
                                                                              : ":publish";
                  return http.Post("/v1/" + budget + verb, R"({"comment":"矩阵测试"})", "application/json");
                }};
  };
  std::map<std::string, Call> calls = {
      {"ListRules",
       {[](PublicApi::Stub& api, grpc::ClientContext* c) {
          yusuan::common::v1::RuleSet out;
          return api.ListRules(c, yusuan::common::v1::ListRulesRequest(), &out);
        },
        [](httplib::Client& http) { return http.Get("/v1/rules"); }}},
      {"CreateDepartment",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          lv1::CreateDepartmentRequest r;
          r.mutable_department()->set_name(department);
          lv1::Department out;
          return api.CreateDepartment(c, r, &out);
        },
        [&](httplib::Client& http) {
          return http.Post("/v1/regions/420107/departments", R"({"name":")" + department + R"("})", "application/json");
        }}},
      {"GetDepartment",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          lv1::GetDepartmentRequest r;
          r.set_name(department);
          lv1::Department out;
          return api.GetDepartment(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Get("/v1/" + department); }}},
      {"ListDepartments",
       {[](PublicApi::Stub& api, grpc::ClientContext* c) {
          lv1::ListDepartmentsRequest r;
          r.set_parent("regions/420107");
          lv1::ListDepartmentsResponse out;
          return api.ListDepartments(c, r, &out);
        },
        [](httplib::Client& http) { return http.Get("/v1/regions/420107/departments"); }}},
      {"PutBudget",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          lv1::PutBudgetRequest r;
          r.mutable_budget()->set_name(budget);
          lv1::Budget out;
          return api.PutBudget(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Put("/v1/" + budget, "{}", "application/json"); }}},
      {"GetBudget",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          lv1::GetBudgetRequest r;
          r.set_name(budget);
          lv1::Budget out;
          return api.GetBudget(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Get("/v1/" + budget); }}},
      {"GetBudgetTables",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          yusuan::gateway::v1::GetBudgetTablesRequest r;
          r.set_name(budget);
          lv1::BudgetTables out;
          return api.GetBudgetTables(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Get("/v1/" + budget + "/tables"); }}},
      {"PutGoals",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          ov1::PutGoalsRequest r;
          r.mutable_goals()->set_name(goals);
          ov1::GoalSet out;
          return api.PutGoals(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Put("/v1/" + goals, "{}", "application/json"); }}},
      {"GetGoals",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          ov1::GetGoalsRequest r;
          r.set_name(goals);
          ov1::GoalSet out;
          return api.GetGoals(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Get("/v1/" + goals); }}},
      {"ApplyFiling",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          gv1::ApplyFilingRequest r;
          *r.mutable_filing() = filing;
          gv1::ApplyFilingResponse out;
          return api.ApplyFiling(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Post("/v1/filings:apply", filing_json, "application/json"); }}},
      {"ImportFilings",
       // One filing through the stream: the stream's refusal, or the
       // filing's when its name is out of the caller's scope, is the answer.
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          auto stream = api.ImportFilings(c);
          gv1::ImportFilingsRequest r;
          *r.mutable_filing() = filing;
          stream->Write(r);
          stream->WritesDone();
          gv1::ImportFilingsResponse answer;
          grpc::Status refused = grpc::Status::OK;
          while (stream->Read(&answer)) {
            if (answer.outcome() == gv1::ImportFilingsResponse::OUTCOME_REFUSED) {
              refused = grpc::Status(static_cast<grpc::StatusCode>(answer.error().code()), answer.error().message());
            }
          }
          const grpc::Status status = stream->Finish();
          return status.ok() ? refused : status;
        },
        [&](httplib::Client& http) {
          httplib::Result result = http.Post("/v1/filings:import", filing_json + "\n", "application/x-ndjson");
          gv1::ImportFilingsResponse answer;
          if (!result || result->status != 200 ||
              !google::protobuf::util::JsonStringToMessage(result->body.substr(0, result->body.find('\n')), &answer)
                   .ok() ||
              answer.outcome() != gv1::ImportFilingsResponse::OUTCOME_REFUSED) {
            return result;
          }
          // The filing's refusal as the status a single call would answer.
          auto response = std::make_unique<httplib::Response>(*result);
          if (answer.error().code() == static_cast<int>(grpc::StatusCode::PERMISSION_DENIED)) response->status = 403;
          if (answer.error().code() == static_cast<int>(grpc::StatusCode::UNAUTHENTICATED)) response->status = 401;
          return httplib::Result(std::move(response), httplib::Error::Success);
        }}},
      {"ExportFilings",
       {[](PublicApi::Stub& api, grpc::ClientContext* c) {
          gv1::ExportFilingsRequest r;
          r.set_parent("regions/420107");
          r.set_fiscal_year(2021);
          auto stream = api.ExportFilings(c, r);
          gv1::ExportFilingsResponse out;
          while (stream->Read(&out)) {
          }
          return stream->Finish();
        },
        [](httplib::Client& http) { return http.Get("/v1/regions/420107/filings:export?year=2021"); }}},
      {"ValidateFiling",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          gv1::ValidateFilingRequest r;
          *r.mutable_filing() = filing;
          yusuan::common::v1::ValidationReport out;
          return api.ValidateFiling(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Post("/v1/filings:validate", filing_json, "application/json"); }}},
      {"ValidateBudget",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          gv1::ValidateStoredBudgetRequest r;
          r.set_name(budget);
          yusuan::common::v1::ValidationReport out;
          return api.ValidateBudget(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Post("/v1/" + budget + ":validate", "", "application/json"); }}},
      {"ListBudgetRevisions",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          lv1::ListBudgetRevisionsRequest r;
          r.set_name(budget);
          lv1::ListBudgetRevisionsResponse out;
          return api.ListBudgetRevisions(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Get("/v1/" + budget + "/revisions"); }}},
      {"DiffBudgetRevisions",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          lv1::DiffBudgetRevisionsRequest r;
          r.set_name(budget);
          r.set_from_revision(1);
          lv1::RevisionDiff out;
          return api.DiffBudgetRevisions(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Get("/v1/" + budget + "/revisions:diff?from=1"); }}},
      {"ListGoalsRevisions",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          ov1::ListGoalsRevisionsRequest r;
          r.set_name(goals);
          ov1::ListGoalsRevisionsResponse out;
          return api.ListGoalsRevisions(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Get("/v1/" + goals + "/revisions"); }}},
      {"DiffGoalsRevisions",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          ov1::DiffGoalsRevisionsRequest r;
          r.set_name(goals);
          r.set_from_revision(1);
          ov1::GoalsDiff out;
          return api.DiffGoalsRevisions(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Get("/v1/" + goals + "/revisions:diff?from=1"); }}},
      {"TransitionBudget:SUBMIT", step(lv1::WORKFLOW_ACTION_SUBMIT)},
      {"TransitionBudget:APPROVE", step(lv1::WORKFLOW_ACTION_APPROVE)},
      {"TransitionBudget:RETURN", step(lv1::WORKFLOW_ACTION_RETURN)},
      {"TransitionBudget:PUBLISH", step(lv1::WORKFLOW_ACTION_PUBLISH)},
      {"ListBudgetVersions",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          lv1::ListBudgetVersionsRequest r;
          r.set_name(budget);
          lv1::ListBudgetVersionsResponse out;
          return api.ListBudgetVersions(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Get("/v1/" + budget + "/versions"); }}},
      {"RenderReport",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          gv1::RenderReportRequest r;
          r.set_name(budget);
          rv1::Artifact out;
          return api.RenderReport(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Get("/v1/" + budget + "/report"); }}},
      {"GetPublished",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          rv1::GetPublishedRequest r;
          r.set_budget_name(budget);
          rv1::PublishedDisclosure out;
          return api.GetPublished(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Get("/v1/" + budget + "/published"); }}},
      {"ListPublished",
       {[](PublicApi::Stub& api, grpc::ClientContext* c) {
          rv1::ListPublishedRequest r;
          r.set_region("420107");
          rv1::ListPublishedResponse out;
          return api.ListPublished(c, r, &out);
        },
        [](httplib::Client& http) { return http.Get("/v1/published?region=420107"); }}},
      {"ListSubmissions",
       {[](PublicApi::Stub& api, grpc::ClientContext* c) {
          lv1::ListSubmissionsRequest r;
          r.set_parent("regions/420107");
          lv1::ListSubmissionsResponse out;
          return api.ListSubmissions(c, r, &out);
        },
        [](httplib::Client& http) { return http.Get("/v1/regions/420107/submissions"); }}},
      {"WatchChanges",
       // A stream that ends once idle for a moment: its end is the answer.
       {[](PublicApi::Stub& api, grpc::ClientContext* c) {
          gv1::WatchChangesRequest r;
          r.set_parent("regions/420107");
          r.set_wait_ms(1);
          auto stream = api.WatchChanges(c, r);
          gv1::WatchChangesResponse message;
          while (stream->Read(&message)) {
          }
          return stream->Finish();
        },
        [](httplib::Client& http) { return http.Get("/v1/regions/420107/changes?wait_ms=0"); }}},
      {"GetRollup",
       {[](PublicApi::Stub& api, grpc::ClientContext* c) {
          lv1::GetRollupRequest r;
          r.set_name("regions/420107/rollups/2021");
          lv1::Rollup out;
          return api.GetRollup(c, r, &out);
        },
        [](httplib::Client& http) { return http.Get("/v1/regions/420107/rollups/2021"); }}},
      {"RenderRollup",
       {[](PublicApi::Stub& api, grpc::ClientContext* c) {
          gv1::RenderRollupRequest r;
          r.set_name("regions/420107/rollups/2021");
          r.set_format(rv1::FORMAT_CSV);
          rv1::Artifact out;
          return api.RenderRollup(c, r, &out);
        },
        [](httplib::Client& http) { return http.Get("/v1/regions/420107/rollups/2021/report?format=csv"); }}},
      {"VerifyArtifact",
       {[](PublicApi::Stub& api, grpc::ClientContext* c) {
          rv1::VerifyArtifactRequest r;
          r.set_content("not a disclosure");
          rv1::VerifyArtifactResponse out;
          return api.VerifyArtifact(c, r, &out);
        },
        [](httplib::Client& http) { return http.Post("/v1/artifacts:verify", "not a disclosure", "text/plain"); }}},
      {"ListCatalogues",
       {[](PublicApi::Stub& api, grpc::ClientContext* c) {
          lv1::ListCataloguesResponse out;
          return api.ListCatalogues(c, lv1::ListCataloguesRequest(), &out);
        },
        [](httplib::Client& http) { return http.Get("/v1/catalogues"); }}},
      {"GetCatalogue",
       {[](PublicApi::Stub& api, grpc::ClientContext* c) {
          lv1::GetCatalogueRequest r;
          r.set_edition(2021);
          lv1::Catalogue out;
          return api.GetCatalogue(c, r, &out);
        },
        [](httplib::Client& http) { return http.Get("/v1/catalogues/2021"); }}},
      {"GetCatalogueCode",
       {[](PublicApi::Stub& api, grpc::ClientContext* c) {
          lv1::GetCatalogueCodeRequest r;
          r.set_edition(2021);
          r.set_code("2010101");
          lv1::CatalogueCodeDetail out;
          return api.GetCatalogueCode(c, r, &out);
        },
        [](httplib::Client& http) { return http.Get("/v1/catalogues/2021/codes/2010101"); }}},
      {"DiffCatalogues",
       {[](PublicApi::Stub& api, grpc::ClientContext* c) {
          lv1::DiffCataloguesRequest r;
          r.set_from_edition(2021);
          r.set_to_edition(2022);
          lv1::CatalogueDiff out;
          return api.DiffCatalogues(c, r, &out);
        },
        [](httplib::Client& http) { return http.Get("/v1/catalogues/2022:diff?from=2021"); }}},
      // A file that is no catalogue: an allowed caller gets INVALID_ARGUMENT
      // and nothing is stored. Catalogues are national: the resource is
      // regions/, so only a nationwide scope covers it.
      {"ImportCatalogue",
       {[](PublicApi::Stub& api, grpc::ClientContext* c) {
          lv1::ImportCatalogueRequest r;
          r.set_edition(2031);
          r.set_content("not a catalogue");
          lv1::CatalogueEdition out;
          return api.ImportCatalogue(c, r, &out);
        },
        [](httplib::Client& http) { return http.Post("/v1/catalogues/2031:import", "not a catalogue", "text/csv"); },
        "regions/", "regions/42"}},
  };

  // A token for a principal with a scope; "" for none.
  auto token = [&](Principal principal, const std::string& scope) -> std::string {
    if (principal == Principal::kAnonymous) return "";
    TokenClaims claims;
    claims.subject = "matrix";
    claims.role = principal == Principal::kPreparer     ? Role::kPreparer
                  : principal == Principal::kReviewer   ? Role::kReviewer
                  : principal == Principal::kIntegrator ? Role::kIntegrator
                                                        : Role::kAdmin;
    claims.scope = scope;
    claims.issued_at_unix_seconds = NowSeconds();
    claims.expires_at_unix_seconds = NowSeconds() + 600;
    return yusuan::security::MintToken(claims, cluster_->signing_key());
  };
  enum class Answer { kAnswered, kUnauthenticated, kDenied };
  auto grpc_answer = [](const grpc::Status& status) {
    if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) return Answer::kUnauthenticated;
    if (status.error_code() == grpc::StatusCode::PERMISSION_DENIED) return Answer::kDenied;
    return Answer::kAnswered;
  };
  auto rest_answer = [](const httplib::Result& result) {
    if (!result) return Answer::kDenied;  // no answer at all is never "answered"
    if (result->status == 401) return Answer::kUnauthenticated;
    if (result->status == 403) return Answer::kDenied;
    return Answer::kAnswered;
  };
  const char* names[] = {"answered", "401 UNAUTHENTICATED", "403 PERMISSION_DENIED"};

  int cells = 0;
  for (const std::string& method : (*matrix)->methods()) {
    if (method.rfind("admin.", 0) == 0) continue;  // CLI operations on the key file, not RPCs
    ASSERT_TRUE(calls.count(method)) << "no call for matrix row " << method;
    const Call& call = calls.at(method);
    for (Principal principal : yusuan::gateway::auth::kAllPrincipals) {
      const Access access = *(*matrix)->Cell(method, principal);
      // In scope ("regions/4201" covers 420107) and, for scope cells, out of it.
      std::vector<std::pair<std::string, Answer>> cases;
      if (access == Access::kAnyone) {
        cases.push_back({call.in_scope, Answer::kAnswered});
      } else if (access == Access::kInScope) {
        cases.push_back({call.in_scope, Answer::kAnswered});
        cases.push_back({call.out_of_scope, Answer::kDenied});
      } else {
        cases.push_back(
            {call.in_scope, principal == Principal::kAnonymous ? Answer::kUnauthenticated : Answer::kDenied});
      }
      for (const auto& [scope, expected] : cases) {
        const std::string bearer = token(principal, scope);
        const std::string what = method + " as " + std::string(yusuan::gateway::auth::PrincipalName(principal)) +
                                 (bearer.empty() ? "" : " (" + scope + ")");
        auto context = Context(std::nullopt);
        if (!bearer.empty()) context->AddMetadata("authorization", "Bearer " + bearer);
        const grpc::Status status = call.grpc(*Api(), context.get());
        EXPECT_EQ(names[static_cast<int>(grpc_answer(status))], names[static_cast<int>(expected)])
            << "gRPC " << what << ": " << status.error_code() << " " << status.error_message();
        auto http = Http(std::nullopt);
        if (!bearer.empty()) http.set_default_headers({{"Authorization", "Bearer " + bearer}});
        const httplib::Result result = call.rest(http);
        EXPECT_EQ(names[static_cast<int>(rest_answer(result))], names[static_cast<int>(expected)])
            << "REST " << what << ": " << (result ? result->status : -1) << " "
            << (result ? result->body.substr(0, 300) : std::string());
        ++cells;
      }
    }
  }
  EXPECT_GE(cells, 23 * 5);
}

}  // namespace
}  // namespace yusuan::testing
