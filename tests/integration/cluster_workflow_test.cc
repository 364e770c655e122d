// End-to-end tests on the four real binaries (the ClusterTest suite, whose
// fixture is in cluster_fixture.h): a budget on its way through review. A
// retried apply answers as the first and a stale etag is refused; an
// acknowledged write survives SIGKILL of the ledger; the workflow refuses
// illegal steps, keeps every version and lists its history; submission runs
// the goal rules.
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/integration/cluster_fixture.h"
#include "yusuan/gateway/v1/gateway.grpc.pb.h"
#include "yusuan/ledger/v1/ledger_service.grpc.pb.h"

namespace yusuan::testing {
namespace {

TEST_F(ClusterTest, RetriedApplyReturnsTheFirstAnswerAndStaleEtagIsAborted) {
  yusuan::gateway::v1::ApplyFilingResponse first, second;
  ASSERT_TRUE(Apply(LoadSample(), &first, "cluster-test-retry").ok());
  {
    grpc::Status retry = Apply(LoadSample(), &second, "cluster-test-retry");
    ASSERT_TRUE(retry.ok()) << retry.error_message();
  }
  EXPECT_EQ(first.budget().revision(), second.budget().revision());
  EXPECT_EQ(first.budget().etag(), second.budget().etag());

  // The same request id on a different filing is not a retry.
  Filing changed = LoadSample();
  changed.mutable_department()->set_contact_phone("68865156");
  yusuan::gateway::v1::ApplyFilingResponse third;
  EXPECT_EQ(Apply(changed, &third, "cluster-test-retry").error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  yusuan::ledger::v1::PutBudgetRequest put;
  *put.mutable_budget() = first.budget();
  put.mutable_budget()->set_etag("r1-00000000");
  yusuan::ledger::v1::Budget out;
  grpc::Status status = Api()->PutBudget(Context().get(), put, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED) << status.error_message();

  put.mutable_budget()->set_etag(first.budget().etag());
  status = Api()->PutBudget(Context().get(), put, &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(out.revision(), first.budget().revision() + 1);
}

// A request id is a client's for one resource: another department applying
// under the same key is another request, not a reuse to refuse (issue 13).
TEST_F(ClusterTest, TheSameRequestIdForAnotherDepartmentIsAnotherRequest) {
  yusuan::gateway::v1::ApplyFilingResponse first, second;
  ASSERT_TRUE(Apply(LoadSample(), &first, "cluster-test-shared-key").ok());
  Filing other = LoadSample();
  other.mutable_department()->set_agency_code("005001099");
  other.mutable_department()->clear_name();
  other.mutable_budget()->clear_name();
  other.mutable_goals()->clear_name();
  grpc::Status status = Apply(other, &second, "cluster-test-shared-key");
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(second.department().name(), "regions/420107/departments/005001099");
  EXPECT_NE(first.department().name(), second.department().name());
  // Each department's retry still answers as its first apply.
  yusuan::gateway::v1::ApplyFilingResponse again;
  ASSERT_TRUE(Apply(other, &again, "cluster-test-shared-key").ok());
  EXPECT_EQ(again.budget().etag(), second.budget().etag());
  ASSERT_TRUE(Apply(LoadSample(), &again, "cluster-test-shared-key").ok());
  EXPECT_EQ(again.budget().etag(), first.budget().etag());
}

TEST_F(ClusterTest, AcknowledgedBudgetSurvivesSigkillOfTheLedger) {
  yusuan::gateway::v1::ApplyFilingResponse applied;
  ASSERT_TRUE(Apply(LoadSample(), &applied).ok());
  yusuan::ledger::v1::PutBudgetRequest put;
  *put.mutable_budget() = applied.budget();
  put.mutable_budget()->mutable_narrative()->set_general_budget_change_reason("写入后立即强杀");
  yusuan::ledger::v1::Budget written;
  ASSERT_TRUE(Api()->PutBudget(Context().get(), put, &written).ok());

  std::string error;
  ASSERT_TRUE(cluster_->RestartLedger(/*kill_hard=*/true, &error)) << error;

  yusuan::ledger::v1::GetBudgetRequest get;
  get.set_name(kBudget);
  yusuan::ledger::v1::Budget read;
  grpc::Status status;
  // The gateway's channel reconnects to the restarted ledger on its own.
  for (int attempt = 0; attempt < 50; ++attempt) {
    read.Clear();
    status = Api()->GetBudget(Context().get(), get, &read);
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(written, read))
      << "written:\n"
      << written.DebugString().substr(0, 400) << "\nread:\n"
      << read.DebugString().substr(0, 400);
}

TEST_F(ClusterTest, WorkflowRefusesIllegalStepsAndKeepsEveryPublishedVersion) {
  yusuan::gateway::v1::ApplyFilingResponse applied;
  ASSERT_TRUE(Apply(LoadSample(), &applied).ok());
  auto ledger = yusuan::ledger::v1::LedgerService::NewStub(
      grpc::CreateChannel(cluster_->ledger().address(), grpc::InsecureChannelCredentials()));
  auto step = [&](yusuan::ledger::v1::WorkflowAction action, const std::string& comment,
                  yusuan::ledger::v1::BudgetVersion* version) {
    yusuan::ledger::v1::TransitionBudgetRequest request;
    request.set_name(kBudget);
    request.set_action(action);
    request.set_comment(comment);
    return ledger->TransitionBudget(BackendContext().get(), request, version);
  };
  auto edit = [&] {
    yusuan::ledger::v1::GetBudgetRequest get;
    get.set_name(kBudget);
    yusuan::ledger::v1::Budget budget;
    EXPECT_TRUE(Api()->GetBudget(Context().get(), get, &budget).ok());
    yusuan::ledger::v1::PutBudgetRequest put;
    *put.mutable_budget() = budget;
    put.mutable_budget()->clear_etag();
    yusuan::ledger::v1::Budget out;
    return Api()->PutBudget(Context().get(), put, &out);
  };
  using yusuan::ledger::v1::FILING_STATUS_PUBLISHED;
  using yusuan::ledger::v1::WORKFLOW_ACTION_APPROVE;
  using yusuan::ledger::v1::WORKFLOW_ACTION_PUBLISH;
  using yusuan::ledger::v1::WORKFLOW_ACTION_RETURN;
  using yusuan::ledger::v1::WORKFLOW_ACTION_SUBMIT;
  yusuan::ledger::v1::BudgetVersion version;

  grpc::Status status = step(WORKFLOW_ACTION_APPROVE, "", &version);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("draft"), std::string::npos) << status.error_message();
  ASSERT_TRUE(step(WORKFLOW_ACTION_SUBMIT, "", &version).ok());
  EXPECT_EQ(version.version(), 1);
  EXPECT_EQ(edit().error_code(), grpc::StatusCode::FAILED_PRECONDITION);  // under review
  {
    // Applying a whole filing is refused too, and leaves the department as it was.
    Filing changed = LoadSample();
    changed.mutable_department()->set_contact_phone("68860000");
    yusuan::gateway::v1::ApplyFilingResponse refused;
    EXPECT_EQ(Apply(changed, &refused).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    yusuan::ledger::v1::GetDepartmentRequest get;
    get.set_name(kDepartment);
    yusuan::ledger::v1::Department department;
    ASSERT_TRUE(Api()->GetDepartment(Context().get(), get, &department).ok());
    EXPECT_EQ(department.contact_phone(), LoadSample().department().contact_phone());
  }
  EXPECT_EQ(step(WORKFLOW_ACTION_RETURN, "", &version).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);  // a return needs a comment
  ASSERT_TRUE(step(WORKFLOW_ACTION_RETURN, "请补充项目绩效指标", &version).ok());
  ASSERT_TRUE(edit().ok());  // returned: editable again
  ASSERT_TRUE(step(WORKFLOW_ACTION_SUBMIT, "", &version).ok());
  ASSERT_TRUE(step(WORKFLOW_ACTION_APPROVE, "", &version).ok());
  EXPECT_EQ(step(WORKFLOW_ACTION_APPROVE, "", &version).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(step(WORKFLOW_ACTION_PUBLISH, "", &version).ok());
  const int64_t first_published_revision = version.ledger_revision();
  EXPECT_EQ(step(WORKFLOW_ACTION_PUBLISH, "", &version).error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  // An amendment: a new draft, reviewed and published again.
  ASSERT_TRUE(edit().ok());
  ASSERT_TRUE(step(WORKFLOW_ACTION_SUBMIT, "", &version).ok());
  ASSERT_TRUE(step(WORKFLOW_ACTION_APPROVE, "", &version).ok());
  ASSERT_TRUE(step(WORKFLOW_ACTION_PUBLISH, "", &version).ok());

  yusuan::ledger::v1::ListBudgetVersionsRequest list;
  list.set_name(kBudget);
  yusuan::ledger::v1::ListBudgetVersionsResponse history;
  ASSERT_TRUE(ledger->ListBudgetVersions(BackendContext().get(), list, &history).ok());
  ASSERT_EQ(history.versions_size(), 8);
  std::vector<int64_t> published_revisions;
  for (const auto& v : history.versions()) {
    if (v.to_status() == FILING_STATUS_PUBLISHED) published_revisions.push_back(v.ledger_revision());
  }
  ASSERT_EQ(published_revisions.size(), 2u);
  EXPECT_EQ(published_revisions[0], first_published_revision);
  EXPECT_GT(published_revisions[1], first_published_revision);
  EXPECT_EQ(history.versions(3).comment(), "");
  EXPECT_EQ(history.versions(1).comment(), "请补充项目绩效指标");

  // Paged: 3 + 3 + 2, in order, then no token.
  std::vector<int64_t> paged;
  list.set_page_size(3);
  for (int page = 0; page < 4; ++page) {
    yusuan::ledger::v1::ListBudgetVersionsResponse part;
    ASSERT_TRUE(ledger->ListBudgetVersions(BackendContext().get(), list, &part).ok());
    for (const auto& v : part.versions()) paged.push_back(v.version());
    if (part.next_page_token().empty()) break;
    list.set_page_token(part.next_page_token());
  }
  EXPECT_EQ(paged, (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 8}));

  yusuan::ledger::v1::GetBudgetRequest get;
  get.set_name(kBudget);
  yusuan::ledger::v1::Budget budget;
  ASSERT_TRUE(Api()->GetBudget(Context().get(), get, &budget).ok());
  EXPECT_EQ(budget.status(), FILING_STATUS_PUBLISHED);
}

TEST_F(ClusterTest, SubmitOverRestRunsTheGoalRulesAndStepsAreListed) {
  yusuan::gateway::v1::ApplyFilingResponse applied;
  ASSERT_TRUE(Apply(LoadSample(), &applied).ok());

  // A third project stored through PutBudget (ledger rules pass) but with no
  // goal sheet: the cross rules must stop it at submission.
  yusuan::ledger::v1::PutBudgetRequest put;
  *put.mutable_budget() = applied.budget();
  put.mutable_budget()->clear_etag();
  auto* project = put.mutable_budget()->add_projects();
  project->set_project_id("P2021-003");
  project->set_name("科普讲解员培训");
  project->set_supervising_code("005001022");
  project->set_implementing_unit("武汉市青山区科学技术协会");
  project->set_category("综合类");
  project->set_start_year(2021);
  project->set_end_year(2021);
  for (int64_t amount : {1'000'000}) {
    project->set_total_fen(amount);
    project->set_total_fiscal_fen(amount);
    project->set_year_total_fen(amount);
    project->set_year_fiscal_fen(amount);
    auto* line = put.mutable_budget()->add_expenditure_lines();
    line->set_functional_code("2060102");
    line->set_economic_code("30216");
    line->set_kind(yusuan::ledger::v1::EXPENDITURE_KIND_PROJECT);
    line->set_fund_source(yusuan::ledger::v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET);
    line->set_project_id("P2021-003");
    line->set_amount_fen(amount);
    auto* income = put.mutable_budget()->mutable_income_lines(0);
    income->set_amount_fen(income->amount_fen() + amount);
  }
  yusuan::ledger::v1::Budget stored;
  grpc::Status status = Api()->PutBudget(Context().get(), put, &stored);
  ASSERT_TRUE(status.ok()) << status.error_message() << " " << Joined(ViolatedFields(status));

  auto http = Http();
  const std::string base = std::string("/v1/") + kBudget;
  auto refused = http.Post(base + ":submit", "", "application/json");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400) << refused->body;
  EXPECT_NE(refused->body.find("X-GOALS-PROJECT"), std::string::npos) << refused->body;

  // Back to the sample: submit, return with a comment, list the history.
  ASSERT_TRUE(Apply(LoadSample(), &applied).ok());
  auto submitted = http.Post(base + ":submit", "", "application/json");
  ASSERT_TRUE(submitted);
  ASSERT_EQ(submitted->status, 200) << submitted->body;
  auto reviewer = Http(Role::kReviewer);
  auto approve_refused = reviewer.Post(base + ":publish", "", "application/json");
  ASSERT_TRUE(approve_refused);
  EXPECT_EQ(approve_refused->status, 400) << approve_refused->body;
  EXPECT_NE(approve_refused->body.find("FAILED_PRECONDITION"), std::string::npos);
  auto returned = reviewer.Post(base + ":return", R"({"comment":"请核对三公经费"})", "application/json");
  ASSERT_TRUE(returned);
  ASSERT_EQ(returned->status, 200) << returned->body;
  auto history = http.Get(base + "/versions");
  ASSERT_TRUE(history);
  ASSERT_EQ(history->status, 200) << history->body;
  auto body = nlohmann::json::parse(history->body, nullptr, false);
  ASSERT_TRUE(body.contains("versions")) << history->body;
  ASSERT_EQ(body["versions"].size(), 2u) << history->body;
  EXPECT_EQ(body["versions"][0]["toStatus"], "FILING_STATUS_SUBMITTED");
  EXPECT_EQ(body["versions"][1]["toStatus"], "FILING_STATUS_RETURNED");
  EXPECT_EQ(body["versions"][1]["comment"], "请核对三公经费");
}

}  // namespace
}  // namespace yusuan::testing
