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
  grpc::Status Apply(const Filing& filing, yusuan::gateway::v1::ApplyFilingResponse* response,
                     const std::string& request_id = "") {
    yusuan::gateway::v1::ApplyFilingRequest request;
    *request.mutable_filing() = filing;
    request.set_request_id(request_id);
    return Api()->ApplyFiling(Context().get(), request, response);
  }
  // Applies the sample and takes it to APPROVED, then publishes it under
  // `request_id` with the fault injected from outside the binaries: the report
  // service is down when the gateway archives, so the ledger's step is done and
  // the archive is not; then the gateway dies too (SIGKILL), as in a crash
  // between the two. The report service comes back; the gateway does not.
  void PublishInterruptedBeforeTheArchive(const std::string& request_id) {
    yusuan::gateway::v1::ApplyFilingResponse applied;
    ASSERT_TRUE(Apply(LoadSample(), &applied).ok());
    yusuan::ledger::v1::BudgetVersion version;
    for (const auto action :
         {yusuan::ledger::v1::WORKFLOW_ACTION_SUBMIT, yusuan::ledger::v1::WORKFLOW_ACTION_APPROVE}) {
      ASSERT_TRUE(Step(action, request_id + "-" + yusuan::ledger::v1::WorkflowAction_Name(action), &version).ok());
    }
    cluster_->StopReport();
    grpc::Status lost = Step(yusuan::ledger::v1::WORKFLOW_ACTION_PUBLISH, request_id, &version);
    EXPECT_FALSE(lost.ok()) << "the archive cannot have succeeded";
    EXPECT_NE(lost.error_message().find("retry with the same request_id"), std::string::npos) << lost.error_message();
    cluster_->gateway().Kill();
    std::string error;
    ASSERT_TRUE(cluster_->StartReport(&error)) << error;
  }
};

}  // namespace yusuan::testing

#endif  // YUSUAN_TESTS_INTEGRATION_CLUSTER_FIXTURE_H_
