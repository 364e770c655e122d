// End-to-end tests on the four real binaries (the ClusterTest suite, whose
// fixture is in cluster_fixture.h): the revisions of budgets and goal sets and
// their diffs, over gRPC, REST and the CLI, and every list of the public API
// paged over both faces.
#include <functional>
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/ledger/domain/catalogue.h"
#include "tests/integration/cluster_fixture.h"
#include "tools/synth/synth.h"
#include "yusuan/gateway/v1/gateway.grpc.pb.h"
#include "yusuan/goals/v1/goals.pb.h"
#include "yusuan/ledger/v1/ledger_service.grpc.pb.h"

namespace yusuan::testing {
namespace {

// Goal sets keep their revisions too; the diff names each changed field with
// both values, through gRPC, REST and the CLI.
TEST_F(ClusterTest, GoalRevisionsAreKeptAndTheirDiffNamesTheFieldsThatChanged) {
  const std::string goals_name = std::string(kBudget) + "/goals";
  Filing filing = LoadSample();
  yusuan::gateway::v1::ApplyFilingResponse first;
  ASSERT_TRUE(Apply(filing, &first).ok());
  auto* goal = filing.mutable_goals()->mutable_department()->mutable_annual_goals(0);
  const std::string old_target = goal->indicators(1).target();
  goal->mutable_indicators(1)->set_target("22");
  yusuan::gateway::v1::ApplyFilingResponse second;
  ASSERT_TRUE(Apply(filing, &second).ok());
  ASSERT_EQ(second.goals().revision(), first.goals().revision() + 1);

  const std::string path = "department.annualGoals[0].indicators[1].target";
  yusuan::goals::v1::DiffGoalsRevisionsRequest request;
  request.set_name(goals_name);
  request.set_from_revision(first.goals().revision());
  yusuan::goals::v1::GoalsDiff diff;
  grpc::Status status = Api()->DiffGoalsRevisions(Context().get(), request, &diff);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(diff.to_revision(), second.goals().revision());
  ASSERT_EQ(diff.changes_size(), 1) << diff.DebugString();
  EXPECT_EQ(diff.changes(0).path(), path);
  EXPECT_EQ(diff.changes(0).before(), old_target);
  EXPECT_EQ(diff.changes(0).after(), "22");
  request.set_from_revision(first.goals().revision() + 9);
  EXPECT_EQ(Api()->DiffGoalsRevisions(Context().get(), request, &diff).error_code(), grpc::StatusCode::NOT_FOUND);
  request.set_name(kBudget);  // a budget is not a goal set
  request.set_from_revision(1);
  EXPECT_EQ(Api()->DiffGoalsRevisions(Context().get(), request, &diff).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  yusuan::goals::v1::ListGoalsRevisionsRequest list;
  list.set_name(goals_name);
  yusuan::goals::v1::ListGoalsRevisionsResponse revisions;
  ASSERT_TRUE(Api()->ListGoalsRevisions(Context().get(), list, &revisions).ok());
  ASSERT_EQ(revisions.revisions_size(), 2);
  EXPECT_EQ(revisions.revisions(0).department().annual_goals(0).indicators(1).target(), old_target);

  auto http = Http();
  auto rest = http.Get("/v1/" + goals_name + "/revisions:diff?from=" + std::to_string(first.goals().revision()));
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->status, 200) << rest->body;
  auto body = nlohmann::json::parse(rest->body, nullptr, false);
  ASSERT_FALSE(body.is_discarded()) << rest->body;
  ASSERT_EQ(body["changes"].size(), 1u) << rest->body;
  EXPECT_EQ(body["changes"][0].value("path", ""), path);
  EXPECT_EQ(body["changes"][0].value("after", ""), "22");
  auto listed = http.Get("/v1/" + goals_name + "/revisions");
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->status, 200) << listed->body;
  EXPECT_EQ(nlohmann::json::parse(listed->body)["revisions"].size(), 2u);

  std::string printed;
  EXPECT_EQ(
      RunCli(cluster_->gateway_grpc(), "diff " + goals_name + " " + std::to_string(first.goals().revision()), &printed),
      0)
      << printed;
  EXPECT_NE(printed.find(path), std::string::npos) << printed;
  EXPECT_NE(printed.find("22"), std::string::npos) << printed;
  printed.clear();
  EXPECT_EQ(RunCli(cluster_->gateway_grpc(), "revisions " + goals_name, &printed), 0) << printed;
  EXPECT_NE(printed.find("修订 revision"), std::string::npos) << printed;
}

TEST_F(ClusterTest, RevisionsAreKeptAndTheirDiffNamesTheCellsThatMoved) {
  yusuan::gateway::v1::ApplyFilingResponse applied;
  ASSERT_TRUE(Apply(LoadSample(), &applied).ok());
  const int64_t first = applied.budget().revision();
  yusuan::ledger::v1::PutBudgetRequest put;
  *put.mutable_budget() = applied.budget();
  put.mutable_budget()->clear_etag();
  put.mutable_budget()->mutable_narrative()->set_general_budget_change_reason("新增在职人员两人");
  yusuan::ledger::v1::Budget second;
  ASSERT_TRUE(Api()->PutBudget(Context().get(), put, &second).ok());
  ASSERT_EQ(second.revision(), first + 1);

  auto ledger = yusuan::ledger::v1::LedgerService::NewStub(
      grpc::CreateChannel(cluster_->ledger().address(), grpc::InsecureChannelCredentials()));
  yusuan::ledger::v1::DiffBudgetRevisionsRequest request;
  request.set_name(kBudget);
  request.set_from_revision(first);
  yusuan::ledger::v1::RevisionDiff diff;
  grpc::Status status = ledger->DiffBudgetRevisions(BackendContext().get(), request, &diff);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(diff.from_revision(), first);
  EXPECT_EQ(diff.to_revision(), second.revision());
  EXPECT_EQ(diff.cells_size(), 0);  // only text changed
  ASSERT_EQ(diff.changed_fields_size(), 1);
  EXPECT_EQ(diff.changed_fields(0), "narrative");

  request.set_from_revision(first + 5);
  EXPECT_EQ(ledger->DiffBudgetRevisions(BackendContext().get(), request, &diff).error_code(),
            grpc::StatusCode::NOT_FOUND);
  request.set_from_revision(0);
  EXPECT_EQ(ledger->DiffBudgetRevisions(BackendContext().get(), request, &diff).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  yusuan::ledger::v1::ListBudgetRevisionsRequest list;
  list.set_name(kBudget);
  yusuan::ledger::v1::ListBudgetRevisionsResponse revisions;
  ASSERT_TRUE(ledger->ListBudgetRevisions(BackendContext().get(), list, &revisions).ok());
  ASSERT_EQ(revisions.revisions_size(), 2);
  EXPECT_EQ(revisions.revisions(0).narrative().general_budget_change_reason(),
            LoadSample().budget().narrative().general_budget_change_reason());

  // The same through the public REST face.
  auto http = Http();
  auto rest = http.Get(std::string("/v1/") + kBudget + "/revisions:diff?from=" + std::to_string(first));
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->status, 200) << rest->body;
  auto body = nlohmann::json::parse(rest->body, nullptr, false);
  ASSERT_FALSE(body.is_discarded()) << rest->body;
  ASSERT_EQ(body["changedFields"].size(), 1u) << rest->body;
  EXPECT_EQ(body["changedFields"][0], "narrative");
  auto listed = http.Get(std::string("/v1/") + kBudget + "/revisions");
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->status, 200) << listed->body;
  EXPECT_EQ(nlohmann::json::parse(listed->body)["revisions"].size(), 2u);
}

// Every list of the public API pages with page_size / page_token over both
// faces: walking pages of one item gives the whole list, in order, once.
TEST_F(ClusterTest, EveryListPagesOverGrpcAndRest) {
  namespace lv1 = yusuan::ledger::v1;
  namespace ov1 = yusuan::goals::v1;
  Filing filing = LoadSample();
  yusuan::gateway::v1::ApplyFilingResponse first;
  ASSERT_TRUE(Apply(filing, &first).ok());
  // Two more departments, budget revisions, goal revisions, workflow steps.
  for (const char* agency : {"777000101", "777000102"}) {
    lv1::CreateDepartmentRequest create;
    *create.mutable_department() = first.department();
    create.mutable_department()->clear_etag();
    create.mutable_department()->set_agency_code(agency);
    create.mutable_department()->set_name(std::string("regions/420107/departments/") + agency);
    create.set_request_id(std::string("paging-") + agency);
    lv1::Department created;
    grpc::Status status = Api()->CreateDepartment(Context(Role::kAdmin).get(), create, &created);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  for (const char* reason : {"新增在职人员两人", "新增在职人员三人"}) {
    lv1::GetBudgetRequest get;
    get.set_name(kBudget);
    lv1::PutBudgetRequest put;
    ASSERT_TRUE(Api()->GetBudget(Context().get(), get, put.mutable_budget()).ok());
    put.mutable_budget()->clear_etag();
    put.mutable_budget()->mutable_narrative()->set_general_budget_change_reason(reason);
    lv1::Budget stored;
    grpc::Status status = Api()->PutBudget(Context().get(), put, &stored);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  filing.mutable_goals()->mutable_department()->mutable_annual_goals(0)->mutable_indicators(1)->set_target("22");
  yusuan::gateway::v1::ApplyFilingResponse second;
  ASSERT_TRUE(Apply(filing, &second).ok());
  for (auto action : {lv1::WORKFLOW_ACTION_SUBMIT, lv1::WORKFLOW_ACTION_RETURN, lv1::WORKFLOW_ACTION_SUBMIT}) {
    lv1::TransitionBudgetRequest step;
    step.set_name(kBudget);
    step.set_action(action);
    step.set_comment("分页测试 / paging test");
    lv1::BudgetVersion version;
    grpc::Status status = Api()->TransitionBudget(StepContext(action).get(), step, &version);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // gRPC: `list(size, token, &ids, &next)` answers one page and its next token.
  using Lister = std::function<grpc::Status(int, const std::string&, std::vector<std::string>*, std::string*)>;
  auto walk_grpc = [](const std::string& what, const Lister& list) {
    std::vector<std::string> whole, paged;
    std::string next;
    grpc::Status status = list(0, "", &whole, &next);
    EXPECT_TRUE(status.ok()) << what << ": " << status.error_message();
    EXPECT_TRUE(next.empty()) << what;
    std::string token;
    for (int page = 0; page < 20; ++page) {
      std::vector<std::string> ids;
      status = list(1, token, &ids, &next);
      EXPECT_TRUE(status.ok()) << what << ": " << status.error_message();
      EXPECT_LE(ids.size(), 1u) << what;
      paged.insert(paged.end(), ids.begin(), ids.end());
      if (next.empty()) break;
      token = next;
    }
    EXPECT_GE(whole.size(), 2u) << what;
    EXPECT_EQ(paged, whole) << what;
    return whole;
  };
  auto department_ids = walk_grpc(
      "ListDepartments", [&](int size, const std::string& token, std::vector<std::string>* ids, std::string* next) {
        lv1::ListDepartmentsRequest request;
        request.set_parent("regions/420107");
        request.set_page_size(size);
        request.set_page_token(token);
        lv1::ListDepartmentsResponse response;
        grpc::Status status = Api()->ListDepartments(Context().get(), request, &response);
        for (const auto& d : response.departments()) ids->push_back(d.name());
        *next = response.next_page_token();
        return status;
      });
  EXPECT_GE(department_ids.size(), 3u);  // more when other tests of this process added some
  auto revision_ids = walk_grpc(
      "ListBudgetRevisions", [&](int size, const std::string& token, std::vector<std::string>* ids, std::string* next) {
        lv1::ListBudgetRevisionsRequest request;
        request.set_name(kBudget);
        request.set_page_size(size);
        request.set_page_token(token);
        lv1::ListBudgetRevisionsResponse response;
        grpc::Status status = Api()->ListBudgetRevisions(Context().get(), request, &response);
        for (const auto& b : response.revisions()) ids->push_back(std::to_string(b.revision()));
        *next = response.next_page_token();
        return status;
      });
  auto version_ids = walk_grpc(
      "ListBudgetVersions", [&](int size, const std::string& token, std::vector<std::string>* ids, std::string* next) {
        lv1::ListBudgetVersionsRequest request;
        request.set_name(kBudget);
        request.set_page_size(size);
        request.set_page_token(token);
        lv1::ListBudgetVersionsResponse response;
        grpc::Status status = Api()->ListBudgetVersions(Context().get(), request, &response);
        for (const auto& v : response.versions()) ids->push_back(std::to_string(v.version()));
        *next = response.next_page_token();
        return status;
      });
  auto goals_ids = walk_grpc("ListGoalsRevisions",
                             [&](int size, const std::string& token, std::vector<std::string>* ids, std::string* next) {
                               ov1::ListGoalsRevisionsRequest request;
                               request.set_name(std::string(kBudget) + "/goals");
                               request.set_page_size(size);
                               request.set_page_token(token);
                               ov1::ListGoalsRevisionsResponse response;
                               grpc::Status status = Api()->ListGoalsRevisions(Context().get(), request, &response);
                               for (const auto& g : response.revisions()) ids->push_back(std::to_string(g.revision()));
                               *next = response.next_page_token();
                               return status;
                             });

  // REST: the same lists, by ?page_size=1&page_token=…, give the same ids.
  auto http = Http();
  auto walk_rest = [&](const std::string& path, const char* items, const char* id,
                       const std::vector<std::string>& want) {
    std::vector<std::string> paged;
    std::string token;
    for (int page = 0; page < 20; ++page) {
      std::string url = path + "?page_size=1";
      if (!token.empty()) url += "&page_token=" + httplib::detail::encode_query_param(token);
      auto result = http.Get(url);
      ASSERT_TRUE(result) << url;
      ASSERT_EQ(result->status, 200) << url << ": " << result->body;
      const auto body = nlohmann::json::parse(result->body, nullptr, false);
      ASSERT_FALSE(body.is_discarded()) << result->body;
      const auto list = body.value(items, nlohmann::json::array());
      EXPECT_LE(list.size(), 1u) << url;
      for (const auto& item : list) {
        const nlohmann::json value = item.contains(id) ? item.at(id) : nlohmann::json("");
        paged.push_back(value.is_string() ? value.get<std::string>() : value.dump());
      }
      token = body.value("nextPageToken", "");
      if (token.empty()) break;
    }
    EXPECT_EQ(paged, want) << path;
  };
  walk_rest("/v1/regions/420107/departments", "departments", "name", department_ids);
  walk_rest(std::string("/v1/") + kBudget + "/revisions", "revisions", "revision", revision_ids);
  walk_rest(std::string("/v1/") + kBudget + "/versions", "versions", "version", version_ids);
  walk_rest(std::string("/v1/") + kBudget + "/goals/revisions", "revisions", "revision", goals_ids);
  auto bad = http.Get("/v1/regions/420107/departments?page_size=-1");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400) << bad->body;

  // ?view=basic: the same departments, each without its profile.
  auto page_of = [&](const std::string& url) {
    auto result = http.Get(url);
    EXPECT_TRUE(result && result->status == 200) << url << ": " << (result ? result->body : "no answer");
    const auto body = result ? nlohmann::json::parse(result->body, nullptr, false) : nlohmann::json();
    return body.is_object() ? body.value("departments", nlohmann::json::array()) : nlohmann::json::array();
  };
  const nlohmann::json full = page_of("/v1/regions/420107/departments?view=full");
  const nlohmann::json basic = page_of("/v1/regions/420107/departments?view=basic");
  ASSERT_EQ(basic.size(), full.size());
  ASSERT_FALSE(full.empty());
  ASSERT_TRUE(full[0].contains("mainFunctions")) << full[0].dump();
  for (size_t i = 0; i < full.size(); ++i) {
    EXPECT_EQ(basic[i].value("name", ""), full[i].value("name", ""));
    EXPECT_EQ(basic[i].value("etag", ""), full[i].value("etag", ""));
    EXPECT_FALSE(basic[i].contains("mainFunctions")) << basic[i].dump();
  }
}

// The gateway answers GetBudget from its read cache (README § Read cache)
// only after reading the ledger's change log past every change committed
// before the read: a write made anywhere (here straight to the ledger, as
// another gateway would) shows in the very next read, over gRPC and REST.
TEST_F(ClusterTest, ABudgetReadThroughTheGatewayShowsEveryWriteAtOnceWhoeverMadeIt) {
  Filing filing = LoadSample();
  filing.mutable_department()->set_agency_code("005001066");
  filing.mutable_department()->clear_name();
  filing.mutable_budget()->clear_name();
  filing.mutable_goals()->clear_name();
  const std::string budget = "regions/420107/departments/005001066/budgets/2021";
  yusuan::gateway::v1::ApplyFilingResponse applied;
  ASSERT_TRUE(Apply(filing, &applied).ok());

  auto read = [&] {
    yusuan::ledger::v1::GetBudgetRequest request;
    request.set_name(budget);
    yusuan::ledger::v1::Budget answer;
    grpc::Status status = Api()->GetBudget(Context().get(), request, &answer);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return answer;
  };
  auto read_rest = [&] {
    httplib::Result result = Http().Get("/v1/" + budget);
    EXPECT_TRUE(result && result->status == 200) << (result ? result->body : "no answer");
    return result ? nlohmann::json::parse(result->body, nullptr, false) : nlohmann::json();
  };
  yusuan::ledger::v1::Budget current = read();
  ASSERT_EQ(current.revision(), applied.budget().revision());
  EXPECT_EQ(read().etag(), current.etag());
  // That second read of an unchanged budget was the cache's.
  httplib::Result metrics = Http(std::nullopt).Get("/metrics");
  ASSERT_TRUE(metrics && metrics->status == 200);
  std::smatch hits;
  ASSERT_TRUE(std::regex_search(metrics->body, hits, std::regex("\nyusuan_gateway_read_cache_hits_total ([0-9]+)\n")))
      << metrics->body;
  EXPECT_GT(std::stoull(hits[1].str()), 0u);

  for (int edit = 1; edit <= 5; ++edit) {
    SCOPED_TRACE(absl::StrCat("edit ", edit));
    yusuan::ledger::v1::PutBudgetRequest put;
    *put.mutable_budget() = current;
    put.mutable_budget()->clear_status();
    const std::string reason = absl::StrCat("第 ", edit, " 次修改说明");
    put.mutable_budget()->mutable_narrative()->set_three_public_change_reason(reason);
    put.set_request_id(absl::StrCat("read-cache-put-", edit));
    yusuan::ledger::v1::Budget stored;
    grpc::Status status = Ledger()->PutBudget(BackendContext().get(), put, &stored);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(stored.revision(), current.revision() + 1);
    current = read();
    EXPECT_EQ(current.revision(), stored.revision());
    EXPECT_EQ(current.narrative().three_public_change_reason(), reason);
    EXPECT_EQ(read_rest()["revision"], absl::StrCat(stored.revision()));
  }

  // A workflow step changes the budget's status, not its revision.
  yusuan::ledger::v1::TransitionBudgetRequest submit;
  submit.set_name(budget);
  submit.set_action(yusuan::ledger::v1::WORKFLOW_ACTION_SUBMIT);
  submit.set_request_id("read-cache-submit");
  yusuan::ledger::v1::BudgetVersion version;
  grpc::Status submitted = Ledger()->TransitionBudget(BackendContext().get(), submit, &version);
  ASSERT_TRUE(submitted.ok()) << submitted.error_message();
  EXPECT_EQ(read().status(), yusuan::ledger::v1::FILING_STATUS_SUBMITTED);
  EXPECT_EQ(read_rest()["status"], "FILING_STATUS_SUBMITTED");
}

// A render's revision (the budget's, its department's, its goals pin, the
// catalogue's) comes from the gateway's read cache: a render asked for
// after any write, made past the gateway, is of what was written.
TEST_F(ClusterTest, ARenderThroughTheGatewayIsOfEveryWriteMadeBeforeItWhoeverMadeIt) {
  // The reference filing as another agency, and generated departments of
  // two other sectors.
  std::vector<Filing> filings;
  Filing reference = LoadSample();
  reference.mutable_department()->set_agency_code("005001067");
  reference.mutable_department()->clear_name();
  reference.mutable_budget()->clear_name();
  reference.mutable_goals()->clear_name();
  filings.push_back(reference);
  absl::StatusOr<ledger::CatalogueSet> catalogues =
      ledger::CatalogueSet::LoadFromDirectory(std::string(YUSUAN_SOURCE_DIR) + "/data/catalogue");
  ASSERT_TRUE(catalogues.ok()) << catalogues.status();
  synth::SynthOptions options;
  options.seed = 20261209;
  absl::StatusOr<synth::Synthesizer> synthesizer = synth::Synthesizer::Create(*catalogues, options);
  ASSERT_TRUE(synthesizer.ok()) << synthesizer.status();
  for (int index = 0; index < 2; ++index) {
    absl::StatusOr<Filing> generated = synthesizer->Synthesize(index);
    ASSERT_TRUE(generated.ok()) << generated.status();
    filings.push_back(*std::move(generated));
  }

  for (const Filing& filing : filings) {
    const std::string department =
        absl::StrCat("regions/", filing.department().region_code(), "/departments/", filing.department().agency_code());
    const std::string budget = absl::StrCat(department, "/budgets/", filing.budget().fiscal_year());
    SCOPED_TRACE(budget);
    yusuan::gateway::v1::ApplyFilingResponse applied;
    grpc::Status status = Apply(filing, &applied);
    ASSERT_TRUE(status.ok()) << status.error_message();

    auto render = [&] {
      yusuan::gateway::v1::RenderReportRequest request;
      request.set_name(budget);
      request.set_format(yusuan::report::v1::FORMAT_HTML);
      yusuan::report::v1::Artifact html;
      grpc::Status rendered = Api()->RenderReport(Context().get(), request, &html);
      EXPECT_TRUE(rendered.ok()) << rendered.error_message();
      return html.content();
    };
    const std::string first = render();
    EXPECT_NE(first.find(filing.department().full_name()), std::string::npos);
    EXPECT_EQ(render(), first);  // the cached render

    for (int edit = 1; edit <= 2; ++edit) {
      SCOPED_TRACE(absl::StrCat("edit ", edit));
      yusuan::ledger::v1::GetDepartmentRequest get;
      get.set_name(department);
      yusuan::ledger::v1::Department stored;
      status = Ledger()->GetDepartment(BackendContext().get(), get, &stored);
      ASSERT_TRUE(status.ok()) << status.error_message();
      const std::string renamed = absl::StrCat(filing.department().full_name(), "（第", edit, "次更名）");
      yusuan::ledger::v1::UpdateDepartmentRequest update;
      *update.mutable_department() = stored;
      update.mutable_department()->set_full_name(renamed);
      update.set_request_id(absl::StrCat("render-cache-rename-", budget, "-", edit));
      yusuan::ledger::v1::Department updated;
      status = Ledger()->UpdateDepartment(BackendContext().get(), update, &updated);
      ASSERT_TRUE(status.ok()) << status.error_message();
      const std::string page = render();
      EXPECT_NE(page.find(renamed), std::string::npos) << "the render is of the department before the rename";
      EXPECT_EQ(render(), page);
    }
  }
}

// The pages of the ledger's lists come from the gateway's read cache too:
// each is the ledger's own answer at that moment, whoever wrote last and
// through whichever door (here straight to the ledger, past the gateway).
TEST_F(ClusterTest, ListsThroughTheGatewayShowEveryWriteAtOnceWhoeverMadeIt) {
  absl::StatusOr<ledger::CatalogueSet> catalogues =
      ledger::CatalogueSet::LoadFromDirectory(std::string(YUSUAN_SOURCE_DIR) + "/data/catalogue");
  ASSERT_TRUE(catalogues.ok()) << catalogues.status();
  synth::SynthOptions options;
  options.seed = 20261208;
  absl::StatusOr<synth::Synthesizer> synthesizer = synth::Synthesizer::Create(*catalogues, options);
  ASSERT_TRUE(synthesizer.ok()) << synthesizer.status();
  // Departments of four sectors, each applied through the gateway.
  std::vector<Filing> filings;
  for (int index = 0; index < 4; ++index) {
    absl::StatusOr<Filing> filing = synthesizer->Synthesize(index);
    ASSERT_TRUE(filing.ok()) << filing.status();
    yusuan::gateway::v1::ApplyFilingResponse applied;
    grpc::Status status = Apply(*filing, &applied, absl::StrCat("list-cache-apply-", index));
    ASSERT_TRUE(status.ok()) << filing->budget().name() << ": " << status.error_message();
    filings.push_back(*std::move(filing));
  }
  const Filing& first = filings[0];
  const std::string region = first.department().region_code();
  const std::string province = region.substr(0, 2);

  // Each list asked of the gateway (gRPC and REST) and of the ledger
  // itself must give the same page.
  auto departments_request = [&](yusuan::ledger::v1::DepartmentView view) {
    yusuan::ledger::v1::ListDepartmentsRequest request;
    request.set_parent("regions/" + region);
    request.set_view(view);
    request.set_page_size(100);
    return request;
  };
  auto submissions_request = [&](const std::string& parent) {
    yusuan::ledger::v1::ListSubmissionsRequest request;
    request.set_parent(parent);
    request.set_page_size(100);
    return request;
  };
  // The page the gateway answers (`through_gateway`, asked by `ask`) and
  // the one the ledger answers itself (`from_ledger`) must be the same bytes.
  auto same_page = [&](auto ask, auto through_gateway) {
    auto from_ledger = through_gateway;
    grpc::Status status = ask(*Api(), Context().get(), &through_gateway);
    EXPECT_TRUE(status.ok()) << status.error_message();
    status = ask(*Ledger(), BackendContext().get(), &from_ledger);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(through_gateway.SerializeAsString(), from_ledger.SerializeAsString())
        << "gateway:\n"
        << through_gateway.DebugString() << "ledger:\n"
        << from_ledger.DebugString();
    return through_gateway;
  };
  auto same_departments = [&](yusuan::ledger::v1::DepartmentView view) {
    return same_page([&](auto& stub, grpc::ClientContext* context,
                         auto* page) { return stub.ListDepartments(context, departments_request(view), page); },
                     yusuan::ledger::v1::ListDepartmentsResponse());
  };
  auto same_submissions = [&](const std::string& parent) {
    return same_page([&](auto& stub, grpc::ClientContext* context,
                         auto* page) { return stub.ListSubmissions(context, submissions_request(parent), page); },
                     yusuan::ledger::v1::ListSubmissionsResponse());
  };
  auto rest_full_names = [&] {
    httplib::Result result = Http().Get("/v1/regions/" + region + "/departments?pageSize=100");
    EXPECT_TRUE(result && result->status == 200) << (result ? result->body : "no answer");
    std::vector<std::string> names;
    if (!result) return names;
    nlohmann::json page = nlohmann::json::parse(result->body, nullptr, false);
    for (const auto& department : page["departments"]) names.push_back(department.value("fullName", ""));
    return names;
  };
  auto rest_submitted = [&](const std::string& parent_region) {
    httplib::Result result = Http().Get("/v1/regions/" + parent_region + "/submissions?pageSize=100");
    EXPECT_TRUE(result && result->status == 200) << (result ? result->body : "no answer");
    std::vector<std::string> budgets;
    if (!result) return budgets;
    nlohmann::json page = nlohmann::json::parse(result->body, nullptr, false);
    for (const auto& submission : page["submissions"]) budgets.push_back(submission.value("budgetName", ""));
    return budgets;
  };
  auto hits = [&]() -> uint64_t {
    httplib::Result metrics = Http(std::nullopt).Get("/metrics");
    EXPECT_TRUE(metrics && metrics->status == 200);
    std::smatch found;
    if (!metrics ||
        !std::regex_search(metrics->body, found, std::regex("\nyusuan_gateway_read_cache_hits_total ([0-9]+)\n"))) {
      ADD_FAILURE() << "no read cache hits in /metrics";
      return 0;
    }
    return std::stoull(found[1].str());
  };
  auto names_of = [](const yusuan::ledger::v1::ListDepartmentsResponse& page) {
    std::vector<std::string> names;
    for (const auto& department : page.departments()) names.push_back(department.full_name());
    return names;
  };
  auto budgets_of = [](const yusuan::ledger::v1::ListSubmissionsResponse& page) {
    std::vector<std::string> budgets;
    for (const auto& submission : page.submissions()) budgets.push_back(submission.budget_name());
    return budgets;
  };

  const std::vector<std::string> names_before = names_of(same_departments(yusuan::ledger::v1::DEPARTMENT_VIEW_FULL));
  ASSERT_TRUE(Contains(names_before, first.department().full_name())) << Joined(names_before);
  same_departments(yusuan::ledger::v1::DEPARTMENT_VIEW_BASIC);
  EXPECT_FALSE(Contains(budgets_of(same_submissions("regions/" + province)), first.budget().name()));
  EXPECT_FALSE(Contains(budgets_of(same_submissions("regions/")), first.budget().name()));
  // Read again, unchanged: from the cache.
  const uint64_t hits_before = hits();
  same_departments(yusuan::ledger::v1::DEPARTMENT_VIEW_FULL);
  same_submissions("regions/" + province);
  EXPECT_GE(hits(), hits_before + 2);

  // Submitted on the ledger itself: the queues of its province and of
  // every region show it at once, over both faces.
  yusuan::ledger::v1::ValidateBudgetRequest validate;
  validate.set_name(first.budget().name());
  yusuan::common::v1::ValidationReport report;
  grpc::Status status = Ledger()->ValidateBudget(BackendContext().get(), validate, &report);
  ASSERT_TRUE(status.ok()) << status.error_message();
  yusuan::ledger::v1::TransitionBudgetRequest submit;
  submit.set_name(first.budget().name());
  submit.set_action(yusuan::ledger::v1::WORKFLOW_ACTION_SUBMIT);
  submit.set_request_id("list-cache-submit");
  yusuan::ledger::v1::BudgetVersion version;
  status = Ledger()->TransitionBudget(BackendContext().get(), submit, &version);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(Contains(budgets_of(same_submissions("regions/" + province)), first.budget().name()));
  EXPECT_TRUE(Contains(budgets_of(same_submissions("regions/")), first.budget().name()));
  EXPECT_TRUE(Contains(rest_submitted(province), first.budget().name()));

  // Renamed on the ledger itself: the pages of departments and the queue
  // name it anew at once.
  yusuan::ledger::v1::GetDepartmentRequest get;
  get.set_name(first.department().name().empty()
                   ? absl::StrCat("regions/", region, "/departments/", first.department().agency_code())
                   : first.department().name());
  yusuan::ledger::v1::Department stored;
  status = Ledger()->GetDepartment(BackendContext().get(), get, &stored);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const std::string renamed = stored.full_name() + "（更名）";
  yusuan::ledger::v1::UpdateDepartmentRequest update;
  *update.mutable_department() = stored;
  update.mutable_department()->set_full_name(renamed);
  update.set_request_id("list-cache-rename");
  yusuan::ledger::v1::Department updated;
  status = Ledger()->UpdateDepartment(BackendContext().get(), update, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(Contains(names_of(same_departments(yusuan::ledger::v1::DEPARTMENT_VIEW_FULL)), renamed));
  EXPECT_TRUE(Contains(names_of(same_departments(yusuan::ledger::v1::DEPARTMENT_VIEW_BASIC)), renamed));
  EXPECT_TRUE(Contains(rest_full_names(), renamed));
  bool queue_renamed = false;
  const yusuan::ledger::v1::ListSubmissionsResponse queue = same_submissions("regions/" + province);
  for (const auto& submission : queue.submissions()) {
    if (submission.budget_name() == first.budget().name()) {
      queue_renamed = submission.department_full_name() == renamed;
    }
  }
  EXPECT_TRUE(queue_renamed);
}

}  // namespace
}  // namespace yusuan::testing
