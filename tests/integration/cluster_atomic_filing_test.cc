// End-to-end tests on the four real binaries (the ClusterTest suite, whose
// fixture is in cluster_fixture.h): a filing is stored whole or not at all
// (README § Atomic filings). A gateway that dies after staging the goals
// leaves nothing a reader can see, and the recovery rolls it back; one that
// dies after the ledger's commit leaves the whole filing readable, and the
// recovery promotes the goals.
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/integration/cluster_fixture.h"
#include "yusuan/gateway/v1/gateway.grpc.pb.h"
#include "yusuan/goals/v1/goals.grpc.pb.h"
#include "yusuan/ledger/v1/ledger_service.grpc.pb.h"

namespace yusuan::testing {
namespace {

namespace gv1 = yusuan::gateway::v1;
namespace lv1 = yusuan::ledger::v1;
namespace ov1 = yusuan::goals::v1;

constexpr char kGoals[] = "regions/420107/departments/005001022/budgets/2021/goals";

class AtomicFilingTest : public ClusterTest {
 protected:
  std::unique_ptr<ov1::GoalsService::Stub> Goals() {
    return ov1::GoalsService::NewStub(
        grpc::CreateChannel(cluster_->goals().address(), grpc::InsecureChannelCredentials()));
  }
  // The goals revisions staged and neither promoted nor abandoned.
  std::vector<int64_t> Staged() {
    ov1::ListStagedGoalsRequest list;
    ov1::ListStagedGoalsResponse staged;
    grpc::Status status = Goals()->ListStagedGoals(BackendContext().get(), list, &staged);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<int64_t> revisions;
    for (const auto& s : staged.staged()) revisions.push_back(s.revision());
    return revisions;
  }
  // Waits (up to 30 s) for the gateway's recovery to leave nothing staged.
  bool RecoveredWithin30s() {
    for (int i = 0; i < 300; ++i) {
      if (Staged().empty()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }
  // What a reader sees through the gateway: the gRPC code of each part.
  struct Seen {
    grpc::StatusCode department, budget, goals;
    lv1::Budget budget_read;
    ov1::GoalSet goals_read;
  };
  Seen Read() {
    Seen seen;
    lv1::GetDepartmentRequest department_request;
    department_request.set_name(kDepartment);
    lv1::Department department;
    seen.department = Api()->GetDepartment(Context().get(), department_request, &department).error_code();
    lv1::GetBudgetRequest budget_request;
    budget_request.set_name(kBudget);
    seen.budget = Api()->GetBudget(Context().get(), budget_request, &seen.budget_read).error_code();
    ov1::GetGoalsRequest goals_request;
    goals_request.set_name(kGoals);
    seen.goals = Api()->GetGoals(Context().get(), goals_request, &seen.goals_read).error_code();
    return seen;
  }
  grpc::Status ApplyRetried(const Filing& filing, gv1::ApplyFilingResponse* response, const std::string& request_id) {
    grpc::Status status;
    for (int attempt = 0; attempt < 100; ++attempt) {
      status = Apply(filing, response, request_id);
      if (status.error_code() != grpc::StatusCode::UNAVAILABLE) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return status;
  }
};

TEST_F(AtomicFilingTest, AFilingInterruptedAfterStagingIsInvisibleAndRolledBackByTheRecovery) {
  std::string error;
  ASSERT_TRUE(cluster_->RestartGateway({"--crash_after_filing_step=stage", "--recover_filings=false"}, &error))
      << error;
  gv1::ApplyFilingResponse applied;
  ASSERT_FALSE(Apply(LoadSample(), &applied, "first-filing").ok()) << "the gateway should have ended";
  ASSERT_TRUE(cluster_->RestartGateway({"--recover_filings=false"}, &error)) << error;

  // Goals staged, nothing committed: no part of the filing is readable.
  ASSERT_EQ(Staged().size(), 1u);
  Seen seen = Read();
  EXPECT_EQ(seen.department, grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(seen.budget, grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(seen.goals, grpc::StatusCode::NOT_FOUND);
  ov1::ListGoalsRevisionsRequest history;
  history.set_name(kGoals);
  ov1::ListGoalsRevisionsResponse revisions;
  ASSERT_TRUE(Api()->ListGoalsRevisions(Context().get(), history, &revisions).ok());
  EXPECT_EQ(revisions.revisions_size(), 0);

  // The recovery rolls it back: the ledger never pinned those goals.
  ASSERT_TRUE(cluster_->RestartGateway({"--filing_lease_ms=0"}, &error)) << error;
  ASSERT_TRUE(RecoveredWithin30s());
  seen = Read();
  EXPECT_EQ(seen.department, grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(seen.goals, grpc::StatusCode::NOT_FOUND);

  // The client's retry with the same request id stores the whole filing.
  grpc::Status retried = ApplyRetried(LoadSample(), &applied, "first-filing");
  ASSERT_TRUE(retried.ok()) << retried.error_message();
  seen = Read();
  EXPECT_EQ(seen.department, grpc::StatusCode::OK);
  EXPECT_EQ(seen.budget, grpc::StatusCode::OK);
  EXPECT_EQ(seen.goals, grpc::StatusCode::OK);
  EXPECT_EQ(seen.goals_read.revision(), applied.goals().revision());
  EXPECT_TRUE(Staged().empty());
}

TEST_F(AtomicFilingTest, AFilingInterruptedAfterTheCommitIsReadWholeAndPromotedByTheRecovery) {
  gv1::ApplyFilingResponse first;
  ASSERT_TRUE(Apply(LoadSample(), &first, "filing-1").ok());
  ASSERT_EQ(first.goals().revision(), 1);
  const std::string first_target = first.goals().department().annual_goals(0).indicators(0).name();

  Filing changed = LoadSample();
  changed.mutable_goals()->mutable_department()->mutable_annual_goals(0)->mutable_indicators(0)->set_name(first_target +
                                                                                                          "（修订）");
  changed.mutable_budget()->mutable_narrative()->set_three_public_change_reason("第二次申报");
  std::string error;
  ASSERT_TRUE(cluster_->RestartGateway({"--crash_after_filing_step=commit", "--recover_filings=false"}, &error))
      << error;
  gv1::ApplyFilingResponse lost;
  ASSERT_FALSE(Apply(changed, &lost, "filing-2").ok()) << "the gateway should have ended";
  ASSERT_TRUE(cluster_->RestartGateway({"--recover_filings=false"}, &error)) << error;

  // Committed, not promoted: readers see the second filing whole.
  ASSERT_EQ(Staged(), std::vector<int64_t>{2});
  Seen seen = Read();
  ASSERT_EQ(seen.budget, grpc::StatusCode::OK);
  ASSERT_EQ(seen.goals, grpc::StatusCode::OK);
  EXPECT_EQ(seen.budget_read.revision(), 2);
  EXPECT_EQ(seen.budget_read.narrative().three_public_change_reason(), "第二次申报");
  EXPECT_EQ(seen.goals_read.revision(), 2);
  EXPECT_EQ(seen.goals_read.department().annual_goals(0).indicators(0).name(), first_target + "（修订）");

  // The recovery promotes the goals the ledger pinned.
  ASSERT_TRUE(cluster_->RestartGateway({"--filing_lease_ms=0"}, &error)) << error;
  ASSERT_TRUE(RecoveredWithin30s());
  ov1::GetGoalsRequest current;
  current.set_name(kGoals);
  ov1::GoalSet promoted;
  ASSERT_TRUE(Goals()->GetGoals(BackendContext().get(), current, &promoted).ok());
  EXPECT_EQ(promoted.revision(), 2) << "the goals service's current revision is the pinned one again";
  ov1::ListGoalsRevisionsRequest history;
  history.set_name(kGoals);
  ov1::ListGoalsRevisionsResponse revisions;
  ASSERT_TRUE(Api()->ListGoalsRevisions(Context().get(), history, &revisions).ok());
  EXPECT_EQ(revisions.revisions_size(), 2);

  // The client's retry answers what was committed, and stores nothing more.
  gv1::ApplyFilingResponse retried;
  grpc::Status status = ApplyRetried(changed, &retried, "filing-2");
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(retried.budget().revision(), 2);
  EXPECT_EQ(retried.goals().revision(), 2);
  EXPECT_EQ(Read().budget_read.revision(), 2);
}

TEST_F(AtomicFilingTest, GoalsPutAloneArePinnedAndReadAsPinned) {
  gv1::ApplyFilingResponse applied;
  ASSERT_TRUE(Apply(LoadSample(), &applied, "filing-a").ok());
  ov1::PutGoalsRequest put;
  *put.mutable_goals() = applied.goals();
  put.mutable_goals()->mutable_department()->mutable_annual_goals(0)->mutable_indicators(0)->set_name("单独修改的指标");
  put.set_request_id("goals-alone");
  ov1::GoalSet stored;
  grpc::Status status = Api()->PutGoals(Context().get(), put, &stored);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(stored.revision(), 2);

  lv1::GetGoalsPinRequest pin_request;
  pin_request.set_budget_name(kBudget);
  lv1::GoalsPin pin;
  ASSERT_TRUE(Ledger()->GetGoalsPin(BackendContext().get(), pin_request, &pin).ok());
  EXPECT_EQ(pin.goals_revision(), 2);
  EXPECT_EQ(Read().goals_read.department().annual_goals(0).indicators(0).name(), "单独修改的指标");
  EXPECT_TRUE(Staged().empty());
}

}  // namespace
}  // namespace yusuan::testing
