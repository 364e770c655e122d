#include "bench/load/request_template.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "grpc/health/v1/health.pb.h"
#include "gtest/gtest.h"
#include "yusuan/gateway/v1/gateway.pb.h"

namespace yusuan::load {
namespace {

using ::testing::HasSubstr;

std::string Bytes(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  EXPECT_TRUE(buffer.Dump(&slices).ok());
  std::string bytes;
  for (const grpc::Slice& slice : slices) bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  return bytes;
}

TEST(RequestTemplateTest, FindsTheRequestTypeOfAHealthCheck) {
  absl::StatusOr<RequestTemplate> request =
      RequestTemplate::Create("/grpc.health.v1.Health/Check", R"({"service": "x"})", "");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->method().input_type()->full_name(), "grpc.health.v1.HealthCheckRequest");
  EXPECT_FALSE(request->varies());
  grpc::health::v1::HealthCheckRequest sent;
  ASSERT_TRUE(sent.ParseFromString(Bytes(request->Payload({}))));
  EXPECT_EQ(sent.service(), "x");
}

TEST(RequestTemplateTest, FindsAGatewayMethodWhoseRequestIsALedgerMessage) {
  absl::StatusOr<RequestTemplate> request = RequestTemplate::Create(
      "/yusuan.gateway.v1.PublicApi/GetBudget", R"({"name": "regions/420107/departments/005001022/budgets/2021"})", "");
  ASSERT_TRUE(request.ok()) << request.status();
  yusuan::ledger::v1::GetBudgetRequest sent;
  ASSERT_TRUE(sent.ParseFromString(Bytes(request->Payload({}))));
  EXPECT_EQ(sent.name(), "regions/420107/departments/005001022/budgets/2021");
}

// The vary field is spliced after the fixed bytes; what the server parses
// is the request with that field set, whatever the JSON had in it, for a
// value short or long enough to need a two-byte length.
TEST(RequestTemplateTest, VaryFieldIsSetPerCall) {
  absl::StatusOr<RequestTemplate> request = RequestTemplate::Create(
      "/yusuan.gateway.v1.PublicApi/ApplyFiling",
      R"({"filing": {"department": {"name": "regions/420107/departments/005001022"}}, "request_id": "from-json"})",
      "request_id");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_TRUE(request->varies());
  for (const std::string& value : {std::string("load-1"), std::string(300, 'x')}) {
    yusuan::gateway::v1::ApplyFilingRequest sent;
    ASSERT_TRUE(sent.ParseFromString(Bytes(request->Payload(value))));
    EXPECT_EQ(sent.request_id(), value);
    EXPECT_EQ(sent.filing().department().name(), "regions/420107/departments/005001022");
  }
}

TEST(RequestTemplateTest, RefusesWhatCannotBeSent) {
  const auto refused = [](const std::string& method, const std::string& json, const std::string& vary) {
    absl::StatusOr<RequestTemplate> request = RequestTemplate::Create(method, json, vary);
    EXPECT_EQ(request.status().code(), absl::StatusCode::kInvalidArgument) << method << " " << json << " " << vary;
    return std::string(request.status().message());
  };
  EXPECT_THAT(refused("/yusuan.gateway.v1.PublicApi/NoSuchMethod", "{}", ""), HasSubstr("yusuan.gateway.v1.PublicApi"));
  EXPECT_THAT(refused("yusuan.gateway.v1.PublicApi.GetBudget", "{}", ""), HasSubstr("/package.Service/Method"));
  EXPECT_THAT(refused("/yusuan.gateway.v1.PublicApi/ImportFilings", "{}", ""), HasSubstr("streaming"));
  EXPECT_THAT(refused("/yusuan.gateway.v1.PublicApi/GetBudget", R"({"nmae": "x"})", ""),
              HasSubstr("yusuan.ledger.v1.GetBudgetRequest"));
  EXPECT_THAT(refused("/yusuan.gateway.v1.PublicApi/GetBudget", "{", ""), HasSubstr("not a valid"));
  EXPECT_THAT(refused("/yusuan.gateway.v1.PublicApi/GetBudget", "{}", "revision"), HasSubstr("not a singular string"));
  EXPECT_THAT(refused("/yusuan.gateway.v1.PublicApi/GetBudget", "{}", "request_id"), HasSubstr("has no field"));
}

}  // namespace
}  // namespace yusuan::load
