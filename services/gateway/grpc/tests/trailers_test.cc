#include "services/gateway/grpc/trailers.h"

#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "services/common/errors.h"
#include "services/common/utf8.h"
#include "yusuan/common/v1/findings.pb.h"

namespace yusuan::gateway {
namespace {

using yusuan::common::v1::Finding;
using yusuan::common::v1::ValidationReport;

Finding MakeFinding(yusuan::common::v1::Severity severity, int i) {
  Finding f;
  f.set_rule_id(severity == yusuan::common::v1::SEVERITY_FATAL ? "V-AMOUNT-NEGATIVE" : "V-P4");
  f.set_severity(severity);
  f.set_field(absl::StrCat("goals.department.annualGoals[", i, "].indicators[0].standardNote"));
  f.set_message_zh("「本单位自统指标」是数据来源，不是绩效标准（应为历史、行业、计划或其他标准）");
  f.set_message_en("本单位自统指标 is a data source, not a standard (HISTORICAL, INDUSTRY, PLAN or OTHER)");
  f.set_hint("按指标值的依据选择绩效标准 / choose the standard behind the value");
  return f;
}

absl::Status Refusal(int errors, int warnings) {
  ValidationReport report;
  for (int i = 0; i < errors; ++i) *report.add_findings() = MakeFinding(yusuan::common::v1::SEVERITY_FATAL, i);
  for (int i = 0; i < warnings; ++i) *report.add_findings() = MakeFinding(yusuan::common::v1::SEVERITY_WARNING, i);
  Tally(report);
  return RejectedByRules(report, "申报材料", "the filing");
}

TEST(FitForTrailers, SmallErrorsPassUnchanged) {
  absl::Status status = Refusal(1, 0);
  EXPECT_EQ(FitForTrailers(status), status);
  absl::Status plain = absl::NotFoundError("预算不存在 / no such budget");
  EXPECT_EQ(FitForTrailers(plain), plain);
}

TEST(FitForTrailers, WarningsGoFirstAndTheErrorsStay) {
  // The reference filing's 18 warnings plus two errors: about 13 KB of
  // details, which an ordinary gRPC client refuses to receive.
  absl::Status status = Refusal(2, 18);
  ASSERT_GT(ToRpcStatus(status).ByteSizeLong(), 8192u);
  absl::Status fitted = FitForTrailers(status);
  EXPECT_EQ(fitted.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_LE(ToRpcStatus(fitted).ByteSizeLong(), kMaxTrailerDetailBytes);

  google::rpc::BadRequest bad;
  ASSERT_TRUE(GetDetail(fitted, &bad));
  EXPECT_EQ(bad.field_violations_size(), 2);  // the errors, all of them
  ValidationReport report;
  if (GetDetail(fitted, &report)) {
    for (const auto& f : report.findings()) {
      EXPECT_EQ(f.severity(), yusuan::common::v1::SEVERITY_FATAL);
    }
    EXPECT_EQ(report.warning_count(), 18);  // totals stay
  }
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(GetDetail(fitted, &info));
  EXPECT_EQ(info.reason(), "VALIDATION_FAILED");
  EXPECT_EQ(info.metadata().at("details_trimmed"), "true");
  EXPECT_NE(fitted.message().find("POST /v1/filings:validate"), absl::string_view::npos);
}

TEST(FitForTrailers, ManyErrorsKeepTheFirstViolationsThatFit) {
  absl::Status fitted = FitForTrailers(Refusal(200, 0));
  EXPECT_LE(ToRpcStatus(fitted).ByteSizeLong(), kMaxTrailerDetailBytes);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(GetDetail(fitted, &bad));
  ASSERT_GT(bad.field_violations_size(), 3);
  EXPECT_LT(bad.field_violations_size(), 200);
  EXPECT_EQ(bad.field_violations(0).field(), "goals.department.annualGoals[0].indicators[0].standardNote");
  ValidationReport report;
  EXPECT_FALSE(GetDetail(fitted, &report));
}

TEST(FitForTrailers, LongMessagesAreCutOnACharacterBoundary) {
  std::string message;
  for (int i = 0; i < 400; ++i) message += "预算";
  absl::Status fitted = FitForTrailers(absl::InvalidArgumentError(message));
  EXPECT_LE(fitted.message().size(), kMaxTrailerMessageBytes + 4);
  EXPECT_TRUE(IsValidUtf8(std::string(fitted.message())));
  EXPECT_EQ(fitted.message().substr(0, 6), "预算");
}

// Issue 13: the refusal of a 100 000-character resource name carried the
// name in ErrorInfo.metadata uncut, and the client got "received initial
// metadata size exceeds limit" instead of the refusal.
TEST(FitForTrailers, LongMetadataValuesAreCut) {
  const std::string name = "regions/420107/departments/005001022/budgets/2021" + std::string(100000, 'x');
  absl::Status refused =
      absl::InvalidArgumentError(absl::StrCat("资源名称无效 / invalid resource name \"", name, "\""));
  google::rpc::ErrorInfo info;
  info.set_reason("RESOURCE_NAME_INVALID");
  (*info.mutable_metadata())["resource"] = name;
  (*info.mutable_metadata())["method"] = "GetBudget";
  AttachDetail(refused, info);
  absl::Status fitted = FitForTrailers(refused);
  EXPECT_LE(ToRpcStatus(fitted).ByteSizeLong(), kMaxTrailerDetailBytes);
  google::rpc::ErrorInfo kept;
  ASSERT_TRUE(GetDetail(fitted, &kept));
  EXPECT_EQ(kept.reason(), "RESOURCE_NAME_INVALID");
  EXPECT_EQ(kept.metadata().at("method"), "GetBudget");
  EXPECT_EQ(kept.metadata().at("resource").substr(0, 50), name.substr(0, 50));
  EXPECT_EQ(kept.metadata().at("details_trimmed"), "true");
}

}  // namespace
}  // namespace yusuan::gateway
