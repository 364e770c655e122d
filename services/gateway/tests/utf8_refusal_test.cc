#include "services/gateway/utf8_refusal.h"

#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "services/common/errors.h"
#include "yusuan/gateway/v1/gateway.pb.h"

namespace yusuan::gateway {
namespace {

using yusuan::gateway::v1::ApplyFilingRequest;

// Length-delimited field `number` holding `payload` (payloads here < 128 B).
std::string Field(int number, const std::string& payload) {
  std::string out;
  out.push_back(static_cast<char>((number << 3) | 2));
  out.push_back(static_cast<char>(payload.size()));
  return out + payload;
}

std::vector<std::string> ViolatedFields(const absl::Status& status) {
  google::rpc::BadRequest bad;
  std::vector<std::string> fields;
  if (!GetDetail(status, &bad)) return fields;
  for (const auto& v : bad.field_violations()) fields.push_back(v.field());
  return fields;
}

TEST(CheckWireUtf8, HandMadeBytesNameTheFieldInsideTheFiling) {
  // ApplyFilingRequest.filing(1) → Filing.department(1) → Department.full_name(4).
  const std::string wire = Field(1, Field(1, Field(4, "武汉\xff\xfe科协")));
  absl::Status status = CheckWireUtf8(ApplyFilingRequest::descriptor(), wire, "filing.");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{"department.fullName"});

  google::rpc::BadRequest bad;
  ASSERT_TRUE(GetDetail(status, &bad));
  const std::string& description = bad.field_violations(0).description();
  EXPECT_NE(description.find("V-UTF8"), std::string::npos) << description;
  EXPECT_NE(description.find("字段 department.fullName 不是有效的 UTF-8 编码"), std::string::npos) << description;
  EXPECT_NE(description.find("field department.fullName is not valid UTF-8"), std::string::npos);
  EXPECT_NE(description.find("re-save the file as UTF-8"), std::string::npos);

  google::rpc::ErrorInfo info;
  ASSERT_TRUE(GetDetail(status, &info));
  EXPECT_EQ(info.metadata().at("rule_id"), "V-UTF8");
}

TEST(CheckWireUtf8, RepeatedFieldsAreIndexedAndEveryBadFieldIsNamed) {
  ApplyFilingRequest request;
  auto* budget = request.mutable_filing()->mutable_budget();
  budget->add_projects()->set_name("科普活动");
  budget->add_projects()->set_name("学会\xe5\x8a");  // truncated sequence
  request.mutable_filing()->mutable_goals()->mutable_department()->set_annual_tasks("\xc0\xaf");
  std::string wire;
  ASSERT_TRUE(request.SerializePartialToString(&wire));
  absl::Status status = CheckWireUtf8(ApplyFilingRequest::descriptor(), wire, "filing.");
  EXPECT_EQ(ViolatedFields(status),
            (std::vector<std::string>{"budget.projects[1].name", "goals.department.annualTasks"}));
  EXPECT_NE(status.message().find("budget.projects[1].name"), absl::string_view::npos);
}

TEST(CheckWireUtf8, WellFormedRequestPasses) {
  ApplyFilingRequest request;
  request.mutable_filing()->mutable_department()->set_full_name("武汉市青山区科学技术协会");
  request.set_request_id("r-1");
  EXPECT_TRUE(CheckWireUtf8(ApplyFilingRequest::descriptor(), request.SerializeAsString(), "filing.").ok());
}

TEST(CheckWireUtf8, WithoutAPrefixPathsStayRequestRooted) {
  // PutBudgetRequest-style paths keep their "budget." root.
  const std::string wire = Field(1, Field(2, Field(1, "\xff")));  // filing.budget.name
  absl::Status status = CheckWireUtf8(ApplyFilingRequest::descriptor(), wire, "");
  EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{"filing.budget.name"});
}

TEST(CheckWireUtf8, MalformedWireIsRefusedAsSuch) {
  std::string wire = Field(1, Field(1, Field(4, "abc")));
  wire.resize(wire.size() - 2);  // cut inside the string
  absl::Status status = CheckWireUtf8(ApplyFilingRequest::descriptor(), wire, "filing.");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("protobuf"), absl::string_view::npos) << status.message();
  EXPECT_TRUE(ViolatedFields(status).empty());
}

TEST(CheckJsonUtf8, PrefixRootsThePaths) {
  absl::Status status = CheckJsonUtf8("{\"projects\": [{\"name\": \"\xff\"}]}", "budget.");
  EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{"budget.projects[0].name"});
  EXPECT_TRUE(CheckJsonUtf8("{\"fullName\": \"青山区科协\"}", "").ok());
}

TEST(CheckJsonUtf8, BytesOutsideStringsNameTheDocument) {
  absl::Status status = CheckJsonUtf8("{\"a\": 1\xff}", "");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{"(document)"});
}

}  // namespace
}  // namespace yusuan::gateway
