// A client's deadline reaches the backends: a RenderReport whose rendering
// would take (here: forever) ends with DEADLINE_EXCEEDED at the client's
// deadline, the report backend sees that deadline (not the gateway's 30 s
// backend timeout) and is cancelled with it, and the gateway's worker is
// free again at once. The backends are in-process fakes; the report one
// blocks until cancelled, so the test does not depend on how fast a PDF
// renders on this machine.
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "gtest/gtest.h"
#include "services/gateway/grpc/grpc_service.h"
#include "services/gateway/observability/telemetry.h"

namespace yusuan::gateway {
namespace {

namespace gv1 = yusuan::gateway::v1;
namespace lv1 = yusuan::ledger::v1;
namespace ov1 = yusuan::goals::v1;
namespace rv1 = yusuan::report::v1;
using Clock = std::chrono::system_clock;

class FastLedger final : public lv1::LedgerService::Service {
 public:
  grpc::Status GetDepartment(grpc::ServerContext*, const lv1::GetDepartmentRequest* request,
                             lv1::Department* out) override {
    out->set_name(request->name());
    return grpc::Status::OK;
  }
  grpc::Status GetBudget(grpc::ServerContext*, const lv1::GetBudgetRequest* request, lv1::Budget* out) override {
    out->set_name(request->name());
    return grpc::Status::OK;
  }
  grpc::Status ComputeTables(grpc::ServerContext*, const lv1::ComputeTablesRequest*, lv1::BudgetTables*) override {
    return grpc::Status::OK;
  }
  // No goals pinned: the render reads the goals as they are.
  grpc::Status GetGoalsPin(grpc::ServerContext*, const lv1::GetGoalsPinRequest* request, lv1::GoalsPin* out) override {
    out->set_budget_name(request->budget_name());
    return grpc::Status::OK;
  }
};

class FastGoals final : public ov1::GoalsService::Service {
 public:
  grpc::Status GetGoals(grpc::ServerContext*, const ov1::GetGoalsRequest*, ov1::GoalSet*) override {
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "no goals");
  }
};

// Renders until cancelled (at most 20 s), recording what it was told.
class EndlessReport final : public rv1::ReportService::Service {
 public:
  grpc::Status Render(grpc::ServerContext* context, const rv1::RenderRequest*, rv1::Artifact*) override {
    {
      std::lock_guard<std::mutex> lock(mutex);
      deadline = context->deadline();
    }
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!context->IsCancelled() && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    cancelled = context->IsCancelled();
    cancelled_at = Clock::now();
    done = true;
    return grpc::Status(grpc::StatusCode::CANCELLED, "stopped");
  }

  std::mutex mutex;
  Clock::time_point deadline;
  std::atomic<bool> done{false};
  std::atomic<bool> cancelled{false};
  Clock::time_point cancelled_at;
};

class DeadlineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder backends;
    int backend_port = 0;
    backends.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &backend_port);
    backends.RegisterService(&ledger_);
    backends.RegisterService(&goals_);
    backends.RegisterService(&report_);
    backends_ = backends.BuildAndStart();
    ASSERT_NE(backends_, nullptr);
    Orchestrator::Options options;
    options.ledger_address = options.goals_address = options.report_address =
        "127.0.0.1:" + std::to_string(backend_port);
    options.backend_timeout = std::chrono::milliseconds(30000);  // the default: far beyond the test
    orchestrator_ = Orchestrator::Connect(options);

    pool_ = std::make_unique<WorkerPool>(2, 16);
    service_ = std::make_unique<PublicApiService>(orchestrator_.get(), pool_.get());
    service_->set_telemetry(&telemetry_);
    grpc::ServerBuilder gateway;
    int port = 0;
    gateway.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    gateway.RegisterService(service_.get());
    gateway_ = gateway.BuildAndStart();
    ASSERT_NE(gateway_, nullptr);
    stub_ = gv1::PublicApi::NewStub(
        grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  }
  void TearDown() override {
    if (gateway_ != nullptr) gateway_->Shutdown(Clock::now() + std::chrono::seconds(5));
    if (pool_ != nullptr) pool_->Shutdown();
    if (backends_ != nullptr) backends_->Shutdown(Clock::now() + std::chrono::seconds(5));
  }

  FastLedger ledger_;
  FastGoals goals_;
  EndlessReport report_;
  Telemetry telemetry_{false};
  std::unique_ptr<grpc::Server> backends_;
  std::unique_ptr<Orchestrator> orchestrator_;
  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<PublicApiService> service_;
  std::unique_ptr<grpc::Server> gateway_;
  std::unique_ptr<gv1::PublicApi::Stub> stub_;
};

TEST_F(DeadlineTest, ShortClientDeadlineEndsAnEndlessRenderWithDeadlineExceeded) {
  gv1::RenderReportRequest request;
  request.set_name("regions/420107/departments/005001022/budgets/2021");
  request.set_format(rv1::FORMAT_PDF);
  grpc::ClientContext context;
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::milliseconds(300);
  context.set_deadline(deadline);
  rv1::Artifact artifact;
  const grpc::Status status = stub_->RenderReport(&context, request, &artifact);
  const auto answered = Clock::now();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << status.error_message();
  // Answered at the deadline, not after the renderer's 20 s. (Generous
  // bound: a loaded machine may be late, never 20 s late.)
  EXPECT_LT(answered - start, std::chrono::seconds(5));

  // The backend was told the client's deadline, not now + 30 s, and was
  // cancelled when it passed. (It travels as a relative timeout, so the
  // backend's copy is later by the transit time and gRPC's rounding up:
  // allow a second, still nothing like 30 s.)
  const auto wait_until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!report_.done && std::chrono::steady_clock::now() < wait_until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(report_.done) << "the report backend was never cancelled";
  EXPECT_TRUE(report_.cancelled);
  {
    std::lock_guard<std::mutex> lock(report_.mutex);
    EXPECT_LE(report_.deadline, deadline + std::chrono::seconds(1));
    EXPECT_GE(report_.deadline, deadline - std::chrono::milliseconds(50));
  }
  EXPECT_LT(report_.cancelled_at - start, std::chrono::seconds(5));

  // And the gateway finished the call (its worker is free): counted once,
  // as a timeout or a cancellation, whichever reached it first.
  const MetricsRegistry& metrics = telemetry_.metrics();
  while (metrics.DurationCount(Face::kGrpc, "RenderReport") == 0 && std::chrono::steady_clock::now() < wait_until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(metrics.Requests(Face::kGrpc, "RenderReport", "DEADLINE_EXCEEDED") +
                metrics.Requests(Face::kGrpc, "RenderReport", "CANCELLED"),
            1u);
  EXPECT_EQ(metrics.InFlight(Face::kGrpc), 0);
}

TEST_F(DeadlineTest, WithoutAClientDeadlineTheBackendTimeoutApplies) {
  // The other half of "the earlier of the two": a call without a deadline
  // gives the backend now + backend_timeout. Cancel it from the client so
  // the test does not wait 30 s.
  gv1::RenderReportRequest request;
  request.set_name("regions/420107/departments/005001022/budgets/2021");
  grpc::ClientContext context;
  rv1::Artifact artifact;
  const auto start = Clock::now();
  std::thread canceller([&] {
    const auto wait_until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < wait_until) {
      {
        std::lock_guard<std::mutex> lock(report_.mutex);
        if (report_.deadline != Clock::time_point()) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    context.TryCancel();
  });
  const grpc::Status status = stub_->RenderReport(&context, request, &artifact);
  canceller.join();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::CANCELLED) << status.error_message();
  std::lock_guard<std::mutex> lock(report_.mutex);
  EXPECT_GE(report_.deadline, start + std::chrono::seconds(29));
  EXPECT_LE(report_.deadline, Clock::now() + std::chrono::seconds(31));
}

}  // namespace
}  // namespace yusuan::gateway
