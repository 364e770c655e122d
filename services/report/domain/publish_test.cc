#include "services/report/domain/publish.h"

#include "gtest/gtest.h"
#include "services/common/sha256.h"
#include "services/report/domain/render.h"
#include "services/report/domain/testdata_departments.h"

namespace yusuan::report {
namespace {

namespace v1 = yusuan::report::v1;

v1::PublishRequest Request() {
  v1::PublishRequest request;
  *request.mutable_input() = testdata::ReferenceReportInput();
  request.set_budget_name(request.input().budget().name());
  request.set_version(4);
  request.mutable_input()->set_publish_time_unix_ms(1'614'556'800'000);  // 2021-03-01
  return request;
}

TEST(Publish, EveryImplementedFormatIsRenderedAndAddressedBySha256) {
  const std::vector<v1::Format> formats = PublishedFormats();
  EXPECT_NE(std::find(formats.begin(), formats.end(), v1::FORMAT_HTML), formats.end());
  EXPECT_NE(std::find(formats.begin(), formats.end(), v1::FORMAT_MARKDOWN), formats.end());

  absl::StatusOr<v1::PublishedDisclosure> published = BuildPublished(Request());
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_EQ(published->version(), 4);
  EXPECT_EQ(published->fiscal_year(), 2021);
  EXPECT_EQ(published->department_full_name(), "武汉市青山区科学技术协会");
  ASSERT_EQ(published->artifacts_size(), static_cast<int>(formats.size()));
  for (const v1::Artifact& artifact : published->artifacts()) {
    EXPECT_FALSE(artifact.content().empty()) << v1::Format_Name(artifact.format());
    EXPECT_EQ(artifact.sha256_hex(), Sha256Hex(artifact.content()));
  }
}

TEST(Publish, TheSameRequestGivesTheSameBytes) {
  absl::StatusOr<v1::PublishedDisclosure> first = BuildPublished(Request());
  absl::StatusOr<v1::PublishedDisclosure> second = BuildPublished(Request());
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->input_sha256_hex(), second->input_sha256_hex());
  ASSERT_EQ(first->artifacts_size(), second->artifacts_size());
  for (int i = 0; i < first->artifacts_size(); ++i) {
    EXPECT_EQ(first->artifacts(i).sha256_hex(), second->artifacts(i).sha256_hex())
        << v1::Format_Name(first->artifacts(i).format());
  }
  v1::PublishRequest changed = Request();
  changed.mutable_input()->mutable_budget()->mutable_narrative()->set_general_budget_change_reason("另一说明");
  absl::StatusOr<v1::PublishedDisclosure> other = BuildPublished(changed);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->input_sha256_hex(), first->input_sha256_hex());
}

TEST(Publish, RefusesWhatCannotBeAPublication) {
  v1::PublishRequest no_time = Request();
  no_time.mutable_input()->set_publish_time_unix_ms(0);
  EXPECT_EQ(BuildPublished(no_time).status().code(), absl::StatusCode::kInvalidArgument);
  v1::PublishRequest no_version = Request();
  no_version.set_version(0);
  EXPECT_EQ(BuildPublished(no_version).status().code(), absl::StatusCode::kInvalidArgument);
  v1::PublishRequest other_budget = Request();
  other_budget.set_budget_name("regions/420107/departments/005001022/budgets/2022");
  EXPECT_EQ(BuildPublished(other_budget).status().code(), absl::StatusCode::kInvalidArgument);
  v1::PublishRequest unknown_format = Request();
  unknown_format.add_formats(static_cast<v1::Format>(99));
  EXPECT_FALSE(BuildPublished(unknown_format).ok());
}

}  // namespace
}  // namespace yusuan::report
