// Runs the load loop against a server in this process, on an ephemeral
// loopback port: gRPC's built-in health service, and a generic callback
// service that answers every other method with an empty message and keeps
// what the calls carried. Nothing is timed: a slow machine makes fewer
// calls, not a failure.
#include "bench/load/load.h"

#include <memory>
#include <set>
#include <string>

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/mutex.h"
#include "yusuan/gateway/v1/gateway.pb.h"

namespace yusuan::load {
namespace {

using ::testing::HasSubstr;

// Takes every method the server does not serve itself as ApplyFiling:
// keeps the request ids and authorization values it was sent.
class RecordingService : public grpc::CallbackGenericService {
 public:
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* context) override {
    return new Reactor(this, context);
  }

  std::multiset<std::string> request_ids() {
    MutexLock lock(&mu_);
    return request_ids_;
  }
  std::set<std::string> internals() {
    MutexLock lock(&mu_);
    return internals_;
  }
  std::multiset<std::string> budgets() {
    MutexLock lock(&mu_);
    return budgets_;
  }
  std::set<std::string> authorizations() {
    MutexLock lock(&mu_);
    return authorizations_;
  }

 private:
  class Reactor : public grpc::ServerGenericBidiReactor {
   public:
    Reactor(RecordingService* service, grpc::GenericCallbackServerContext* context)
        : service_(service), context_(context) {
      StartRead(&request_);
    }
    void OnReadDone(bool ok) override {
      if (!ok) {
        Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "no request"));
        return;
      }
      service_->Record(*context_, request_);
      // An empty message, which must still be a buffer: a default
      // ByteBuffer holds none and gRPC refuses to send it.
      const grpc::Slice empty;
      response_ = grpc::ByteBuffer(&empty, 1);
      StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
    }
    void OnDone() override { delete this; }

   private:
    RecordingService* service_;
    grpc::GenericCallbackServerContext* context_;
    grpc::ByteBuffer request_;
    grpc::ByteBuffer response_;
  };

  void Record(const grpc::GenericCallbackServerContext& context, const grpc::ByteBuffer& request) {
    std::vector<grpc::Slice> slices;
    std::string bytes;
    if (request.Dump(&slices).ok()) {
      for (const grpc::Slice& slice : slices) bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    }
    yusuan::gateway::v1::ApplyFilingRequest parsed;
    parsed.ParseFromString(bytes);
    const std::string budget = parsed.filing().budget().name();
    std::string authorization;
    if (auto found = context.client_metadata().find("authorization"); found != context.client_metadata().end()) {
      authorization.assign(found->second.data(), found->second.size());
    }
    std::string internal;
    if (auto found = context.client_metadata().find("x-internal"); found != context.client_metadata().end()) {
      internal.assign(found->second.data(), found->second.size());
    }
    MutexLock lock(&mu_);
    request_ids_.insert(parsed.request_id());
    budgets_.insert(budget);
    internals_.insert(internal);
    authorizations_.insert(authorization);
  }

  Mutex mu_;
  std::multiset<std::string> request_ids_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> authorizations_ ABSL_GUARDED_BY(mu_);
  std::multiset<std::string> budgets_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> internals_ ABSL_GUARDED_BY(mu_);
};

class RunLoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterCallbackGenericService(&recording_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(port_, 0);
  }
  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  LoadOptions Options(const std::string& method, const std::string& json) const {
    LoadOptions options;
    options.target = "127.0.0.1:" + std::to_string(port_);
    options.method = method;
    options.request_json = json;
    options.in_flight = 4;
    options.warmup = absl::Milliseconds(200);
    options.duration = absl::Seconds(1);
    return options;
  }

  int port_ = 0;
  RecordingService recording_;
  std::unique_ptr<grpc::Server> server_;
};

TEST_F(RunLoadTest, HealthChecksAllAnsweredWithOrderedPercentiles) {
  absl::StatusOr<LoadResult> result = RunLoad(Options("/grpc.health.v1.Health/Check", "{}"));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_GT(result->calls, 0);
  EXPECT_EQ(result->ok, result->calls);
  EXPECT_TRUE(result->errors.empty());
  EXPECT_GT(result->calls_per_second, 0);
  EXPECT_GT(result->seconds, 0);
  EXPECT_GT(result->mean_response_bytes, 0);  // status: SERVING
  const LatencyHistogram& latency = result->latency_micros;
  EXPECT_EQ(latency.count(), static_cast<uint64_t>(result->ok));
  EXPECT_LE(latency.min(), latency.Percentile(50));
  EXPECT_LE(latency.Percentile(50), latency.Percentile(99));
  EXPECT_LE(latency.Percentile(99), latency.Percentile(99.9));
  EXPECT_LE(latency.Percentile(99.9), latency.max());
  EXPECT_GT(result->client_cpu_seconds, 0);
}

// The health service answers an unknown service name NOT_FOUND: every call
// is an error, counted under its code with the server's message.
TEST_F(RunLoadTest, ErrorsAreCountedByCode) {
  absl::StatusOr<LoadResult> result =
      RunLoad(Options("/grpc.health.v1.Health/Check", R"({"service": "no.such.Service"})"));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_GT(result->calls, 0);
  EXPECT_EQ(result->ok, 0);
  EXPECT_EQ(result->latency_micros.count(), 0u);
  ASSERT_EQ(result->errors.size(), 1u);
  const auto& [code, error] = *result->errors.begin();
  EXPECT_EQ(code, grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(error.count, result->calls);
  EXPECT_FALSE(error.first_message.empty());
}

// Every call the server saw, warm-up included, had its own request id, and
// the token as bearer metadata. The run returns only once every call has
// ended, so the server saw at least the measured calls.
TEST_F(RunLoadTest, VaryFieldAndTokenReachTheServer) {
  LoadOptions options = Options("/yusuan.gateway.v1.PublicApi/ApplyFiling", R"({"filing": {}})");
  options.vary_field = "request_id";
  options.vary_prefix = "test-";
  options.token = "secret-token";
  options.metadata = {{"x-internal", "credential"}};
  absl::StatusOr<LoadResult> result = RunLoad(options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_GT(result->calls, 0);
  EXPECT_EQ(result->ok, result->calls);
  const std::multiset<std::string> request_ids = recording_.request_ids();
  EXPECT_GE(request_ids.size(), static_cast<size_t>(result->calls));
  EXPECT_EQ(std::set<std::string>(request_ids.begin(), request_ids.end()).size(), request_ids.size());
  EXPECT_EQ(request_ids.count("test-0"), 1u);
  EXPECT_EQ(recording_.authorizations(), std::set<std::string>{"Bearer secret-token"});
  EXPECT_EQ(recording_.internals(), std::set<std::string>{"credential"});
}

// Several requests are sent in turn: each as often as the others, give or
// take the calls of the last round, each with its own request id still.
TEST_F(RunLoadTest, SeveralRequestsAreSentInTurn) {
  LoadOptions options = Options("/yusuan.gateway.v1.PublicApi/ApplyFiling", "{}");
  for (const char* budget : {"a", "b", "c"}) {
    options.request_json_list.push_back(absl::StrCat(R"({"filing": {"budget": {"name": ")", budget, R"("}}})"));
  }
  options.vary_field = "request_id";
  options.vary_prefix = "turn-";
  absl::StatusOr<LoadResult> result = RunLoad(options);
  ASSERT_TRUE(result.ok()) << result.status();
  const std::multiset<std::string> budgets = recording_.budgets();
  ASSERT_GE(budgets.size(), 30u);
  for (const char* budget : {"a", "b", "c"}) {
    EXPECT_NEAR(static_cast<double>(budgets.count(budget)), budgets.size() / 3.0, options.in_flight + 1.0) << budget;
  }
  const std::multiset<std::string> request_ids = recording_.request_ids();
  EXPECT_EQ(std::set<std::string>(request_ids.begin(), request_ids.end()).size(), request_ids.size());

  options.request_json_list.push_back(R"({"no_such_field": 1})");
  absl::StatusOr<LoadResult> refused = RunLoad(options);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.status().message()), ::testing::HasSubstr("request 4 of 4"));
}

// each_once: the batch is the run, every request sent exactly once however
// long that takes, more slots than requests included.
TEST_F(RunLoadTest, EachOnceSendsEveryRequestExactlyOnce) {
  LoadOptions options = Options("/yusuan.gateway.v1.PublicApi/ApplyFiling", "{}");
  options.each_once = true;
  options.warmup = absl::ZeroDuration();
  options.duration = absl::Milliseconds(1);  // not a limit in this mode
  std::multiset<std::string> sent;
  for (int i = 0; i < 25; ++i) {
    const std::string budget = absl::StrCat("budget-", i);
    sent.insert(budget);
    options.request_json_list.push_back(absl::StrCat(R"({"filing": {"budget": {"name": ")", budget, R"("}}})"));
  }
  absl::StatusOr<LoadResult> result = RunLoad(options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->calls, 25);
  EXPECT_EQ(result->ok, 25);
  EXPECT_EQ(recording_.budgets(), sent);

  options.request_json_list.resize(2);
  options.in_flight = 8;
  result = RunLoad(options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->calls, 2);

  options.warmup = absl::Milliseconds(100);
  EXPECT_THAT(RunLoad(options).status().message(), HasSubstr("--warmup_seconds must be 0"));
}

TEST_F(RunLoadTest, RefusesOptionsThatCannotMakeARun) {
  LoadOptions options = Options("/grpc.health.v1.Health/Check", "{}");
  options.in_flight = 0;
  EXPECT_THAT(RunLoad(options).status().message(), HasSubstr("--in_flight"));
  options = Options("/grpc.health.v1.Health/Watch", "{}");  // server streaming
  EXPECT_EQ(RunLoad(options).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(RunLoadTest, UnreachableTargetEndsTheRunBeforeAnyCall) {
  const std::string target = "127.0.0.1:" + std::to_string(port_);
  server_->Shutdown();
  server_.reset();
  LoadOptions options = Options("/grpc.health.v1.Health/Check", "{}");
  options.target = target;
  options.connect_timeout = absl::Milliseconds(300);
  EXPECT_EQ(RunLoad(options).status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace yusuan::load
