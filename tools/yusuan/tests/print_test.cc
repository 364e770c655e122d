#include "tools/yusuan/print.h"

#include <string>

#include "gtest/gtest.h"

namespace yusuan::cli {
namespace {

// A failure says what kind it is, so that "not found" is not read as a
// broken server and "not allowed" not as a bad filing.
TEST(FailureLabelTest, SaysWhatKindOfFailureInChineseThenEnglish) {
  EXPECT_EQ(FailureLabel(grpc::StatusCode::INVALID_ARGUMENT), "已拒绝 / refused");
  EXPECT_EQ(FailureLabel(grpc::StatusCode::FAILED_PRECONDITION), "已拒绝 / refused");
  EXPECT_EQ(FailureLabel(grpc::StatusCode::NOT_FOUND), "未找到 / not found");
  EXPECT_EQ(FailureLabel(grpc::StatusCode::ABORTED), "冲突 / conflict");
  EXPECT_EQ(FailureLabel(grpc::StatusCode::PERMISSION_DENIED), "无权限 / not allowed");
  EXPECT_NE(FailureLabel(grpc::StatusCode::UNAUTHENTICATED).find("not authenticated"), std::string::npos);
  EXPECT_NE(FailureLabel(grpc::StatusCode::UNAVAILABLE).find("try again"), std::string::npos);
  EXPECT_EQ(FailureLabel(grpc::StatusCode::INTERNAL), "失败 / failed");
}

}  // namespace
}  // namespace yusuan::cli
