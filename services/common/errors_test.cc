#include "services/common/errors.h"

#include <grpcpp/support/status.h>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace yusuan {
namespace {

yusuan::common::v1::ValidationReport OneError() {
  yusuan::common::v1::ValidationReport report;
  auto* f = report.add_findings();
  f->set_rule_id("V-CODE-UNKNOWN");
  f->set_severity(yusuan::common::v1::SEVERITY_FATAL);
  f->set_field("budget.expenditureLines[0].functionalCode");
  f->set_message_zh("功能分类科目不存在");
  f->set_message_en("unknown functional code");
  auto* w = report.add_findings();
  w->set_rule_id("E8");
  w->set_severity(yusuan::common::v1::SEVERITY_WARNING);
  Tally(report);
  return report;
}

TEST(ErrorsTest, RejectionCarriesFieldViolationsThroughGrpc) {
  absl::Status status = RejectedByRules(OneError(), "预算", "the budget");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  grpc::Status wire = ToGrpcStatus(status);
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  absl::Status back = FromGrpcStatus(wire);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(GetDetail(back, &bad));
  ASSERT_EQ(bad.field_violations_size(), 1);  // warnings are not violations
  EXPECT_EQ(bad.field_violations(0).field(), "budget.expenditureLines[0].functionalCode");
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(GetDetail(back, &info));
  EXPECT_EQ(info.reason(), "VALIDATION_FAILED");
}

TEST(ErrorsTest, RestBodyFollowsAip193) {
  absl::Status status = RejectedByRules(OneError(), "预算", "the budget");
  EXPECT_EQ(HttpStatusFor(status.code()), 400);
  auto body = nlohmann::json::parse(ToAip193Json(status));
  EXPECT_EQ(body["error"]["code"], 400);
  EXPECT_EQ(body["error"]["status"], "INVALID_ARGUMENT");
  bool found = false;
  for (const auto& detail : body["error"]["details"]) {
    if (detail["@type"] == "type.googleapis.com/google.rpc.BadRequest") {
      EXPECT_EQ(detail["fieldViolations"][0]["field"], "budget.expenditureLines[0].functionalCode");
      found = true;
    }
  }
  EXPECT_TRUE(found) << body.dump();
  EXPECT_EQ(HttpStatusFor(absl::StatusCode::kAborted), 409);
  EXPECT_EQ(HttpStatusFor(absl::StatusCode::kNotFound), 404);
}

TEST(ErrorsTest, APrefixKeepsTheDetails) {
  absl::Status status =
      WithMessagePrefix(RejectedByRules(OneError(), "预算", "the budget"), "公开失败 / not published: ");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(status.message()).rfind("公开失败 / not published: ", 0), 0u) << status.message();
  google::rpc::BadRequest bad;
  ASSERT_TRUE(GetDetail(status, &bad));
  EXPECT_EQ(bad.field_violations(0).field(), "budget.expenditureLines[0].functionalCode");
  EXPECT_TRUE(WithMessagePrefix(absl::OkStatus(), "x").ok());
  EXPECT_EQ(ErrorReason(status), "VALIDATION_FAILED");
  EXPECT_EQ(ErrorReason(absl::NotFoundError("x")), "");
}

}  // namespace
}  // namespace yusuan
