// The fixture of the ClusterTest suite and the helpers its files share. The
// suite's end-to-end tests on the four real binaries, over gRPC, REST and
// the CLI, are split by feature over the cluster_*_test.cc files of one
// executable: one suite, one fixture class, and, where its tests run in one
// process, one cluster (shared_cluster.h). The fixture is in a named
// namespace because gtest refuses a suite whose tests come from different
// fixture types, which an anonymous namespace would make of each file's copy.
#ifndef YUSUAN_TESTS_INTEGRATION_CLUSTER_FIXTURE_H_
#define YUSUAN_TESTS_INTEGRATION_CLUSTER_FIXTURE_H_

#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "google/protobuf/message.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/security/internal_secret.h"
#include "services/security/token.h"
#include "tests/integration/harness.h"
#include "tests/integration/shared_cluster.h"
#include "yusuan/gateway/v1/gateway.grpc.pb.h"
#include "yusuan/ledger/v1/ledger_service.grpc.pb.h"
#include "yusuan/report/v1/report.grpc.pb.h"

namespace yusuan::testing {

using yusuan::gateway::v1::Filing;
using yusuan::gateway::v1::PublicApi;
using yusuan::security::Role;

inline constexpr char kBudget[] = "regions/420107/departments/005001022/budgets/2021";
inline constexpr char kDepartment[] = "regions/420107/departments/005001022";

Filing LoadSample();

std::string ToJson(const google::protobuf::Message& message);

// The field paths of every BadRequest violation in a gRPC error.
std::vector<std::string> ViolatedFields(const grpc::Status& status);

std::vector<std::string> ViolatedFields(const nlohmann::json& body);

bool Contains(const std::vector<std::string>& list, const std::string& item);

std::string Joined(const std::vector<std::string>& list);

// The token the CLI runs with (an integrator's; set once the cluster runs).
std::string& CliToken();

// Runs the CLI against the test's gateway; returns its exit status and
// everything it printed.
int RunCli(const std::string& gateway, const std::string& args, std::string* output);

class ClusterTest : public SharedClusterTest<ClusterTest> {
 protected:
  static void SetUpTestSuite() {
    SharedClusterTest::SetUpTestSuite();
    if (started_) CliToken() = Token(Role::kIntegrator);
  }

  std::unique_ptr<PublicApi::Stub> Api() { return PublicApi::NewStub(cluster_->GatewayChannel()); }
  // A bearer token for `role` over every region, valid for the test.
  static std::string Token(Role role) { return TestToken(*cluster_, role, "cluster-test"); }
  static int64_t NowSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  // A REST client; by default it files and reads as an integrator (the
  // department's platform), std::nullopt sends no token.
  httplib::Client Http(std::optional<Role> role = Role::kIntegrator) {
    httplib::Client client("127.0.0.1", cluster_->gateway_http_port());
    client.set_read_timeout(60, 0);
    if (role.has_value()) client.set_default_headers({{"Authorization", "Bearer " + Token(*role)}});
    return client;
  }
  // A gRPC call context with the token of `role` (std::nullopt: none).
  static std::unique_ptr<grpc::ClientContext> Context(std::optional<Role> role = Role::kIntegrator) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    if (role.has_value()) context->AddMetadata("authorization", "Bearer " + Token(*role));
    return context;
  }
  // The role that takes a workflow step: the department submits, the
  // finance bureau approves, returns and publishes.
  static std::unique_ptr<grpc::ClientContext> StepContext(yusuan::ledger::v1::WorkflowAction action) {
    return Context(action == yusuan::ledger::v1::WORKFLOW_ACTION_SUBMIT ? Role::kIntegrator : Role::kReviewer);
  }
  // A call straight to a backend, as the gateway makes it.
  static std::unique_ptr<grpc::ClientContext> BackendContext() {
    auto context = Context(std::nullopt);
    context->AddMetadata(yusuan::security::kInternalCredentialHeader, cluster_->internal_secret().credential());
    return context;
  }
  // A workflow step through the gateway, by the role that takes it.
  grpc::Status Step(yusuan::ledger::v1::WorkflowAction action, const std::string& request_id,
                    yusuan::ledger::v1::BudgetVersion* version) {
    yusuan::ledger::v1::TransitionBudgetRequest request;
    request.set_name(kBudget);
    request.set_action(action);
    request.set_request_id(request_id);
    return Api()->TransitionBudget(StepContext(action).get(), request, version);
  }
  // The same, retried while a backend is unavailable (the gateway's channel
  // to a restarted backend waits out its reconnect backoff): what a client
  // told "retry with the same request id" does.
  grpc::Status StepRetried(yusuan::ledger::v1::WorkflowAction action, const std::string& request_id,
                           yusuan::ledger::v1::BudgetVersion* version) {
    grpc::Status status;
    for (int attempt = 0; attempt < 100; ++attempt) {
      status = Step(action, request_id, version);
      if (status.error_code() != grpc::StatusCode::UNAVAILABLE) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return status;
  }
  grpc::Status Apply(const Filing& filing, yusuan::gateway::v1::ApplyFilingResponse* response,
                     const std::string& request_id = "") {
    yusuan::gateway::v1::ApplyFilingRequest request;
    *request.mutable_filing() = filing;
    request.set_request_id(request_id);
    return Api()->ApplyFiling(Context().get(), request, response);
  }
  // Applies the sample and takes it to APPROVED, each step under a request
  // id made from `prefix`.
  void ApproveSample(const std::string& prefix) {
    yusuan::gateway::v1::ApplyFilingResponse applied;
    ASSERT_TRUE(Apply(LoadSample(), &applied).ok());
    yusuan::ledger::v1::BudgetVersion version;
    for (const auto action :
         {yusuan::ledger::v1::WORKFLOW_ACTION_SUBMIT, yusuan::ledger::v1::WORKFLOW_ACTION_APPROVE}) {
      grpc::Status status = Step(action, prefix + "-" + yusuan::ledger::v1::WorkflowAction_Name(action), &version);
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
  }
  // Applies the sample, takes it to APPROVED and publishes it under
  // `request_id` through a gateway that ends itself right after `step` of
  // the publication ("archive": the files are archived, not yet public, and
  // the ledger has not marked the budget; "mark": it has, and the files are
  // not yet public) — what a crash there leaves. The gateway is then down:
  // the test starts it again as it needs.
  void PublishCrashingAfter(const std::string& step, const std::string& request_id) {
    ASSERT_NO_FATAL_FAILURE(ApproveSample(request_id));
    std::string error;
    ASSERT_TRUE(
        cluster_->RestartGateway({"--crash_after_publish_step=" + step, "--recover_publications=false"}, &error))
        << error;
    yusuan::ledger::v1::BudgetVersion version;
    grpc::Status lost = Step(yusuan::ledger::v1::WORKFLOW_ACTION_PUBLISH, request_id, &version);
    ASSERT_FALSE(lost.ok()) << "the gateway should have ended after the " << step;
  }
  // The backends, called as the gateway calls them.
  std::unique_ptr<yusuan::ledger::v1::LedgerService::Stub> Ledger() {
    return yusuan::ledger::v1::LedgerService::NewStub(
        grpc::CreateChannel(cluster_->ledger().address(), grpc::InsecureChannelCredentials()));
  }
  std::unique_ptr<yusuan::report::v1::ReportService::Stub> Report() {
    return yusuan::report::v1::ReportService::NewStub(
        grpc::CreateChannel(cluster_->report().address(), grpc::InsecureChannelCredentials()));
  }
  // The PUBLISH steps of the reference budget's history.
  std::vector<yusuan::ledger::v1::BudgetVersion> PublishSteps() {
    yusuan::ledger::v1::ListBudgetVersionsRequest list;
    list.set_name(kBudget);
    list.set_page_size(100);
    yusuan::ledger::v1::ListBudgetVersionsResponse history;
    grpc::Status status = Ledger()->ListBudgetVersions(BackendContext().get(), list, &history);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<yusuan::ledger::v1::BudgetVersion> published;
    for (const auto& v : history.versions()) {
      if (v.action() == yusuan::ledger::v1::WORKFLOW_ACTION_PUBLISH) published.push_back(v);
    }
    return published;
  }
  // The archives the report service holds staged (not public) for it.
  std::vector<yusuan::report::v1::StagedPublication> StagedArchives() {
    yusuan::report::v1::ListStagedPublicationsRequest list;
    list.set_budget_name(kBudget);
    yusuan::report::v1::ListStagedPublicationsResponse staged;
    grpc::Status status = Report()->ListStagedPublications(BackendContext().get(), list, &staged);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {staged.staged().begin(), staged.staged().end()};
  }
  yusuan::ledger::v1::FilingStatus BudgetStatus() {
    yusuan::ledger::v1::GetBudgetRequest get;
    get.set_name(kBudget);
    yusuan::ledger::v1::Budget budget;
    grpc::Status status = Ledger()->GetBudget(BackendContext().get(), get, &budget);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return budget.status();
  }
  // GET …/published, anonymously over REST: 200 with the disclosure, or 404.
  int PublishedStatus(nlohmann::json* body = nullptr) {
    auto answer = Http(std::nullopt).Get(std::string("/v1/") + kBudget + "/published");
    if (!answer) return -1;
    if (body != nullptr) *body = nlohmann::json::parse(answer->body, nullptr, false);
    return answer->status;
  }
};

}  // namespace yusuan::testing

#endif  // YUSUAN_TESTS_INTEGRATION_CLUSTER_FIXTURE_H_
