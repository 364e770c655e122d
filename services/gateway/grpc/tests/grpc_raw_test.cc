// The raw gRPC methods: bytes are checked for UTF-8 before parsing, and the
// refusal reaches a client as INVALID_ARGUMENT with field violations. The
// backends are addresses nothing listens on: a refused request must never
// need them, and an accepted one must fail as UNAVAILABLE naming the backend.
#include <grpcpp/grpcpp.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "services/client/client.h"
#include "services/common/errors.h"
#include "services/gateway/grpc/grpc_service.h"

namespace yusuan::gateway {
namespace {

namespace gv1 = yusuan::gateway::v1;

std::vector<std::string> ViolatedFields(const grpc::Status& status) {
  std::vector<std::string> fields;
  google::rpc::BadRequest bad;
  if (GetDetail(FromGrpcStatus(status), &bad)) {
    for (const auto& v : bad.field_violations()) fields.push_back(v.field());
  }
  return fields;
}

TEST(FlattenByteBuffer, JoinsEverySlice) {
  grpc::Slice parts[] = {grpc::Slice(std::string("ab")), grpc::Slice(std::string("")),
                         grpc::Slice(std::string("\xff"
                                                 "cd"))};
  grpc::ByteBuffer buffer(parts, 3);
  EXPECT_EQ(FlattenByteBuffer(buffer), std::string("ab\xff"
                                                   "cd"));
}

TEST(ParseRawRequest, RefusesInvalidUtf8BeforeParsing) {
  gv1::ValidateFilingRequest request;
  request.mutable_filing()->mutable_department()->set_full_name("武汉\xff科协");
  std::string wire;
  ASSERT_TRUE(request.SerializePartialToString(&wire));
  // Split across slices, as gRPC hands large messages over.
  grpc::Slice parts[] = {grpc::Slice(wire.substr(0, 5)), grpc::Slice(wire.substr(5))};
  grpc::ByteBuffer buffer(parts, 2);

  gv1::ValidateFilingRequest parsed;
  absl::Status status = ParseRawRequest(FlattenByteBuffer(buffer), "filing.", &parsed);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(GetDetail(status, &bad));
  ASSERT_EQ(bad.field_violations_size(), 1);
  EXPECT_EQ(bad.field_violations(0).field(), "department.fullName");
}

TEST(ParseRawRequest, ParsesWellFormedBytes) {
  gv1::ApplyFilingRequest request;
  request.mutable_filing()->mutable_department()->set_full_name("武汉市青山区科学技术协会");
  request.set_request_id("abc");
  gv1::ApplyFilingRequest parsed;
  ASSERT_TRUE(ParseRawRequest(request.SerializeAsString(), "filing.", &parsed).ok());
  EXPECT_EQ(parsed.filing().department().full_name(), "武汉市青山区科学技术协会");
  EXPECT_EQ(parsed.request_id(), "abc");
}

class RawServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Orchestrator::Options options;
    options.ledger_address = options.goals_address = options.report_address = "127.0.0.1:1";
    options.backend_timeout = std::chrono::milliseconds(5000);
    orchestrator_ = Orchestrator::Connect(options);
    pool_ = std::make_unique<WorkerPool>(2, 16);
    service_ = std::make_unique<PublicApiService>(orchestrator_.get(), pool_.get());
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(port, 0);
    stub_ = gv1::PublicApi::NewStub(grpc::CreateCustomChannel(
        "127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials(), yusuan::client::ChannelArguments()));
  }
  void TearDown() override {
    if (server_) server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
    pool_->Shutdown();
  }
  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    return context;
  }

  std::unique_ptr<Orchestrator> orchestrator_;
  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<PublicApiService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<gv1::PublicApi::Stub> stub_;
};

TEST_F(RawServiceTest, ApplyFilingWithInvalidUtf8IsRefusedNamingTheField) {
  gv1::ApplyFilingRequest request;
  request.mutable_filing()->mutable_department()->set_full_name("武汉\xff\xfe科协");
  request.mutable_filing()->mutable_budget()->add_projects()->set_name("ok");
  request.mutable_filing()->mutable_budget()->add_projects()->set_name("\xed\xa0\x80");  // surrogate
  gv1::ApplyFilingResponse response;
  grpc::Status status = stub_->ApplyFiling(Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_EQ(ViolatedFields(status), (std::vector<std::string>{"department.fullName", "budget.projects[1].name"}));
  EXPECT_NE(status.error_message().find("department.fullName"), std::string::npos);
}

TEST_F(RawServiceTest, ValidateFilingWithInvalidUtf8IsRefusedTheSameWay) {
  gv1::ValidateFilingRequest request;
  request.mutable_filing()->mutable_goals()->mutable_department()->set_long_term_goal("\x80");
  yusuan::common::v1::ValidationReport report;
  grpc::Status status = stub_->ValidateFiling(Context().get(), request, &report);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{"goals.department.longTermGoal"});
}

TEST_F(RawServiceTest, PutBudgetPathsKeepTheirRequestRoot) {
  yusuan::ledger::v1::PutBudgetRequest request;
  request.mutable_budget()->mutable_narrative()->set_general_budget_change_reason("\xff");
  yusuan::ledger::v1::Budget budget;
  grpc::Status status = stub_->PutBudget(Context().get(), request, &budget);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{"budget.narrative.generalBudgetChangeReason"});
}

TEST_F(RawServiceTest, AValidRequestReachesTheBackendAndSaysWhichIsDown) {
  yusuan::ledger::v1::GetBudgetRequest request;
  request.set_name("regions/420107/departments/005001022/budgets/2021");
  yusuan::ledger::v1::Budget budget;
  grpc::Status status = stub_->GetBudget(Context().get(), request, &budget);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_NE(status.error_message().find("账本服务 127.0.0.1:1"), std::string::npos) << status.error_message();
  EXPECT_NE(status.error_message().find("the ledger service at 127.0.0.1:1 is unavailable"), std::string::npos);
}

TEST_F(RawServiceTest, RenderOfAMalformedNameIsRefusedWithoutABackend) {
  gv1::RenderReportRequest request;
  request.set_name("regions/420107/departments/005001022");
  yusuan::report::v1::Artifact artifact;
  grpc::Status status = stub_->RenderReport(Context().get(), request, &artifact);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
}

TEST_F(RawServiceTest, TransitionOfAMalformedNameIsRefusedWithoutABackend) {
  yusuan::ledger::v1::TransitionBudgetRequest request;
  request.set_name("regions/420107/departments/005001022/budgets/2021/goals");
  request.set_action(yusuan::ledger::v1::WORKFLOW_ACTION_SUBMIT);
  yusuan::ledger::v1::BudgetVersion version;
  grpc::Status status = stub_->TransitionBudget(Context().get(), request, &version);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
}

TEST_F(RawServiceTest, TransitionWithoutAnActionIsRefusedWithoutABackend) {
  yusuan::ledger::v1::TransitionBudgetRequest request;
  request.set_name("regions/420107/departments/005001022/budgets/2021");
  yusuan::ledger::v1::BudgetVersion version;
  grpc::Status status = stub_->TransitionBudget(Context().get(), request, &version);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_NE(status.error_message().find("action"), std::string::npos);
}

TEST_F(RawServiceTest, TransitionCommentThatIsNotUtf8IsRefusedNamingTheField) {
  yusuan::ledger::v1::TransitionBudgetRequest request;
  request.set_name("regions/420107/departments/005001022/budgets/2021");
  request.set_action(yusuan::ledger::v1::WORKFLOW_ACTION_RETURN);
  request.set_comment("退回\xff");
  yusuan::ledger::v1::BudgetVersion version;
  grpc::Status status = stub_->TransitionBudget(Context().get(), request, &version);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{"comment"});
}

TEST_F(RawServiceTest, WorkflowStepsReachTheLedger) {
  for (auto action : {yusuan::ledger::v1::WORKFLOW_ACTION_SUBMIT, yusuan::ledger::v1::WORKFLOW_ACTION_APPROVE}) {
    yusuan::ledger::v1::TransitionBudgetRequest request;
    request.set_name("regions/420107/departments/005001022/budgets/2021");
    request.set_action(action);
    yusuan::ledger::v1::BudgetVersion version;
    grpc::Status status = stub_->TransitionBudget(Context().get(), request, &version);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
    EXPECT_NE(status.error_message().find("the ledger service at 127.0.0.1:1"), std::string::npos)
        << status.error_message();
  }

  yusuan::ledger::v1::ListBudgetVersionsRequest list;
  list.set_name("regions/420107/departments/005001022/budgets/2021");
  yusuan::ledger::v1::ListBudgetVersionsResponse versions;
  grpc::Status status = stub_->ListBudgetVersions(Context().get(), list, &versions);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_NE(status.error_message().find("the ledger service at 127.0.0.1:1"), std::string::npos);
}

TEST_F(RawServiceTest, RevisionsReachTheLedger) {
  yusuan::ledger::v1::ListBudgetRevisionsRequest list;
  list.set_name("regions/420107/departments/005001022/budgets/2021");
  yusuan::ledger::v1::ListBudgetRevisionsResponse revisions;
  grpc::Status status = stub_->ListBudgetRevisions(Context().get(), list, &revisions);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_NE(status.error_message().find("the ledger service at 127.0.0.1:1"), std::string::npos);

  yusuan::ledger::v1::DiffBudgetRevisionsRequest diff;
  diff.set_name("regions/420107/departments/005001022/budgets/2021");
  diff.set_from_revision(1);
  yusuan::ledger::v1::RevisionDiff changes;
  status = stub_->DiffBudgetRevisions(Context().get(), diff, &changes);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_NE(status.error_message().find("the ledger service at 127.0.0.1:1"), std::string::npos);
}

TEST_F(RawServiceTest, RevisionCallsRefuseBadArgumentsWithoutABackend) {
  yusuan::ledger::v1::ListBudgetRevisionsRequest list;
  list.set_name("regions/420107/departments/005001022");
  yusuan::ledger::v1::ListBudgetRevisionsResponse revisions;
  grpc::Status status = stub_->ListBudgetRevisions(Context().get(), list, &revisions);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();

  yusuan::ledger::v1::DiffBudgetRevisionsRequest diff;
  diff.set_name("regions/420107/departments/005001022/budgets/2021/goals");
  diff.set_from_revision(1);
  yusuan::ledger::v1::RevisionDiff changes;
  status = stub_->DiffBudgetRevisions(Context().get(), diff, &changes);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();

  for (int64_t from : {0, -3}) {
    diff.set_name("regions/420107/departments/005001022/budgets/2021");
    diff.set_from_revision(from);
    status = stub_->DiffBudgetRevisions(Context().get(), diff, &changes);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << from;
    EXPECT_NE(status.error_message().find("from_revision"), std::string::npos) << status.error_message();
  }
  diff.set_from_revision(1);
  diff.set_to_revision(-1);
  status = stub_->DiffBudgetRevisions(Context().get(), diff, &changes);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("to_revision"), std::string::npos);
}

}  // namespace
}  // namespace yusuan::gateway
