// The sized answer server in this process, on an ephemeral loopback port,
// loaded by the load loop: every call of any method is answered OK with
// exactly the bytes asked for, and the health service still says SERVING.
// Nothing is timed.
#include "bench/load/sized_answer.h"

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>

#include "bench/load/load.h"
#include "gtest/gtest.h"

namespace yusuan::load {
namespace {

class SizedAnswerTest : public ::testing::TestWithParam<size_t> {
 protected:
  void SetUp() override {
    grpc::EnableDefaultHealthCheckService(true);
    service_ = std::make_unique<SizedAnswerService>(GetParam());
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterCallbackGenericService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(port_, 0);
  }
  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  LoadResult Run(const std::string& method, const std::string& json) {
    LoadOptions options;
    options.target = "127.0.0.1:" + std::to_string(port_);
    options.method = method;
    options.request_json = json;
    options.in_flight = 4;
    options.warmup = absl::Milliseconds(100);
    options.duration = absl::Milliseconds(500);
    absl::StatusOr<LoadResult> result = RunLoad(options);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *std::move(result) : LoadResult();
  }

  int port_ = 0;
  std::unique_ptr<SizedAnswerService> service_;
  std::unique_ptr<grpc::Server> server_;
};

TEST_P(SizedAnswerTest, EveryMethodIsAnsweredWithTheBytesAskedFor) {
  for (const auto& [method, json] :
       {std::pair<std::string, std::string>{"/yusuan.gateway.v1.PublicApi/GetBudget",
                                            R"({"name": "regions/420107/departments/005001022/budgets/2021"})"},
        {"/yusuan.gateway.v1.PublicApi/ListDepartments", R"({"parent": "regions/42", "pageSize": 100})"}}) {
    SCOPED_TRACE(method);
    const LoadResult result = Run(method, json);
    EXPECT_GT(result.calls, 0);
    EXPECT_EQ(result.ok, result.calls);
    EXPECT_TRUE(result.errors.empty());
    EXPECT_EQ(result.mean_response_bytes, static_cast<double>(GetParam()));
  }
}

TEST_P(SizedAnswerTest, TheHealthServiceStillAnswersItself) {
  const LoadResult result = Run("/grpc.health.v1.Health/Check", "{}");
  EXPECT_GT(result.calls, 0);
  EXPECT_EQ(result.ok, result.calls);
  // status: SERVING, two bytes, whatever size the others are answered with.
  EXPECT_EQ(result.mean_response_bytes, 2.0);
}

INSTANTIATE_TEST_SUITE_P(Sizes, SizedAnswerTest, ::testing::Values(size_t{0}, size_t{13'000}, size_t{90'000}));

}  // namespace
}  // namespace yusuan::load
