// ReportCore in process on a real RocksDB in a temporary directory: the
// render cache, publication in two steps (staged, invisible, then confirmed;
// idempotent, refused with another input), reading and listing what was
// published, and verifying artifacts.
#include "services/report/report_core.h"

#include <unistd.h>

#include <filesystem>
#include <future>
#include <map>
#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/errors.h"
#include "services/common/limits.h"
#include "services/common/revisions.h"
#include "services/common/sha256.h"
#include "services/common/testing/temp_store.h"
#include "services/report/domain/render.h"
#include "services/report/domain/testdata_departments.h"

namespace yusuan::report {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kPublishTime = 1'614'556'800'000;  // 2021-03-01
constexpr char kReference[] = "regions/420107/departments/005001022/budgets/2021";
constexpr char kCulture[] = "regions/420107/departments/005009001/budgets/2022";

std::string Reason(const absl::Status& status) {
  google::rpc::ErrorInfo info;
  return GetDetail(status, &info) ? info.reason() : "";
}

// HTML and Markdown only: the archive does not depend on the formats, and
// these two render fast.
v1::PublishRequest Request(v1::ReportInput input, int64_t version) {
  v1::PublishRequest request;
  request.set_budget_name(input.budget().name());
  request.set_version(version);
  input.set_publish_time_unix_ms(kPublishTime);
  *request.mutable_input() = std::move(input);
  request.add_formats(v1::FORMAT_HTML);
  request.add_formats(v1::FORMAT_MARKDOWN);
  return request;
}

class ReportCoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const absl::Status opened = store_.Open("report-core", ReportColumnFamilies());
    ASSERT_TRUE(opened.ok()) << opened;
    core_ = std::make_unique<ReportCore>(store_.get());
  }
  void TearDown() override {
    core_.reset();
    store_.Close();
  }

  // A mutation's answer, waited for (the core answers on the writer thread).
  template <typename T, typename Request>
  absl::StatusOr<T> Wait(void (ReportCore::*method)(const Request&, ReportCore::Done<T>), const Request& request) {
    std::promise<absl::StatusOr<T>> promise;
    (core_.get()->*method)(request, [&](absl::StatusOr<T> result) { promise.set_value(std::move(result)); });
    return promise.get_future().get();
  }
  absl::StatusOr<v1::PublishedDisclosure> Stage(const v1::PublishRequest& request) {
    return Wait(&ReportCore::StagePublication, request);
  }
  absl::StatusOr<v1::PublishedDisclosure> Confirm(const std::string& budget, int64_t version) {
    v1::ConfirmPublicationRequest request;
    request.set_budget_name(budget);
    request.set_version(version);
    return Wait(&ReportCore::ConfirmPublication, request);
  }
  absl::StatusOr<v1::AbandonPublicationResponse> Abandon(const std::string& budget, int64_t version) {
    v1::AbandonPublicationRequest request;
    request.set_budget_name(budget);
    request.set_version(version);
    return Wait(&ReportCore::AbandonPublication, request);
  }
  // Staged and confirmed, as the gateway publishes once the ledger has
  // marked the version; the answer is the archived version with its bytes.
  absl::StatusOr<v1::PublishedDisclosure> Publish(const v1::PublishRequest& request) {
    absl::StatusOr<v1::PublishedDisclosure> staged = Stage(request);
    if (!staged.ok()) return staged.status();
    absl::StatusOr<v1::PublishedDisclosure> confirmed = Confirm(request.budget_name(), request.version());
    if (!confirmed.ok()) return confirmed.status();
    return Get(request.budget_name(), request.version());
  }
  std::vector<v1::StagedPublication> Staged(const std::string& budget = "") {
    v1::ListStagedPublicationsRequest request;
    request.set_budget_name(budget);
    auto listed = core_->ListStagedPublications(request);
    EXPECT_TRUE(listed.ok()) << listed.status();
    if (!listed.ok()) return {};
    return {listed->staged().begin(), listed->staged().end()};
  }
  absl::StatusOr<v1::PublishedDisclosure> Get(const std::string& budget, int64_t version,
                                              v1::Format format = v1::FORMAT_UNSPECIFIED) {
    v1::GetPublishedRequest request;
    request.set_budget_name(budget);
    request.set_version(version);
    request.set_format(format);
    return core_->GetPublished(request);
  }
  // Writes the core did not wait for (the render cache) are committed once a
  // later mutation is: the writer runs them in order.
  void Flush() {
    ASSERT_TRUE(store_->Apply([](Store::Txn&) { return absl::OkStatus(); }).ok());
  }
  std::vector<std::string> CacheKeys() {
    std::vector<std::string> keys;
    EXPECT_TRUE(store_
                    ->Scan(kRenderCacheCf, "", "",
                           [&](std::string_view key, std::string_view) {
                             keys.emplace_back(key);
                             return true;
                           })
                    .ok());
    return keys;
  }

  yusuan::testing::TempStore store_;
  std::unique_ptr<ReportCore> core_;
};

// Files too large for one answer (README § Limits): the list leaves their
// content out, and one file comes in pages that put it back together.
TEST_F(ReportCoreTest, PublishedFilesLargerThanOneAnswerArePaged) {
  auto published = Publish(Request(testdata::ReferenceReportInput(), 4));
  ASSERT_TRUE(published.ok()) << published.status();
  // Make the first archived file larger than one answer holds, as a
  // filing near the limits would.
  v1::PublishedDisclosure big = *published;
  ASSERT_GE(big.artifacts_size(), 2);
  const v1::Format large = big.artifacts(0).format();
  std::string pdf = big.artifacts(0).content();
  ASSERT_FALSE(pdf.empty());
  while (static_cast<int64_t>(pdf.size()) <= 2 * kMaxPublishedContentBytes) pdf += pdf;
  big.mutable_artifacts(0)->set_content(pdf);
  const std::string key = big.budget_name() + EncodeBigEndian64(static_cast<uint64_t>(big.version()));
  ASSERT_TRUE(store_
                  ->Apply([&](Store::Txn& txn) {
                    txn.Put(kPublishedCf, key, big.SerializeAsString());
                    return absl::OkStatus();
                  })
                  .ok());

  auto all = Get(big.budget_name(), big.version());
  ASSERT_TRUE(all.ok()) << all.status();
  int64_t content_bytes = 0;
  for (const v1::Artifact& artifact : all->artifacts()) {
    content_bytes += static_cast<int64_t>(artifact.content().size());
    if (artifact.format() == large) {
      EXPECT_TRUE(artifact.content_omitted());
      EXPECT_TRUE(artifact.content().empty());
      EXPECT_EQ(artifact.size_bytes(), static_cast<int64_t>(pdf.size()));
    } else {
      EXPECT_FALSE(artifact.content_omitted()) << v1::Format_Name(artifact.format());
      EXPECT_EQ(artifact.size_bytes(), static_cast<int64_t>(artifact.content().size()));
    }
  }
  EXPECT_LE(content_bytes, kMaxPublishedContentBytes);

  std::string joined;
  v1::GetPublishedRequest page;
  page.set_budget_name(big.budget_name());
  page.set_version(big.version());
  page.set_format(large);
  int pages = 0;
  do {
    auto answer = core_->GetPublished(page);
    ASSERT_TRUE(answer.ok()) << answer.status();
    ASSERT_EQ(answer->artifacts_size(), 1);
    EXPECT_LE(static_cast<int64_t>(answer->artifacts(0).content().size()), kMaxPublishedContentBytes);
    joined += answer->artifacts(0).content();
    page.set_content_offset(answer->next_content_offset());
    ++pages;
  } while (page.content_offset() > 0 && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_TRUE(joined == pdf) << "the pages put together are the file";

  page.set_content_offset(static_cast<int64_t>(pdf.size()));
  EXPECT_EQ(core_->GetPublished(page).status().code(), absl::StatusCode::kOutOfRange);
  page.set_format(v1::FORMAT_UNSPECIFIED);
  page.set_content_offset(5);
  EXPECT_EQ(core_->GetPublished(page).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(ReportCoreTest, PublishesAndReadsThePublishedVersionBack) {
  auto published = Publish(Request(testdata::ReferenceReportInput(), 4));
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_EQ(published->budget_name(), kReference);
  EXPECT_EQ(published->version(), 4);
  EXPECT_EQ(published->publish_time_unix_ms(), kPublishTime);
  ASSERT_EQ(published->artifacts_size(), 2);
  for (const v1::Artifact& artifact : published->artifacts()) {
    EXPECT_EQ(artifact.sha256_hex(), Sha256Hex(artifact.content()));
  }

  auto latest = Get(kReference, 0);
  ASSERT_TRUE(latest.ok()) << latest.status();
  EXPECT_EQ(latest->SerializeAsString(), published->SerializeAsString());

  auto markdown = Get(kReference, 4, v1::FORMAT_MARKDOWN);
  ASSERT_TRUE(markdown.ok()) << markdown.status();
  ASSERT_EQ(markdown->artifacts_size(), 1);
  EXPECT_EQ(markdown->artifacts(0).format(), v1::FORMAT_MARKDOWN);
  EXPECT_FALSE(markdown->artifacts(0).content().empty());

  auto pdf = Get(kReference, 4, v1::FORMAT_PDF);
  EXPECT_EQ(pdf.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(pdf.status().message(), HasSubstr("FORMAT_PDF"));
  EXPECT_EQ(Reason(Get(kReference, 3).status()), "NOT_PUBLISHED");
  EXPECT_EQ(Reason(Get(kCulture, 0).status()), "NOT_PUBLISHED");
}

TEST_F(ReportCoreTest, RepublishingAVersionAnswersWhatWasStored) {
  auto first = Publish(Request(testdata::ReferenceReportInput(), 4));
  ASSERT_TRUE(first.ok()) << first.status();
  auto retry = Publish(Request(testdata::ReferenceReportInput(), 4));
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->SerializeAsString(), first->SerializeAsString());

  v1::PublishRequest other = Request(testdata::ReferenceReportInput(), 4);
  other.mutable_input()->mutable_department()->set_contact_phone("68860000");
  auto refused = Stage(other);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(refused.status()), "ALREADY_PUBLISHED");
  EXPECT_EQ(Get(kReference, 4)->input_sha256_hex(), first->input_sha256_hex());
  EXPECT_TRUE(Staged().empty());
}

// Issue 13: the files are archived before the ledger marks the version, so
// until the gateway confirms it a staged version is nobody's to read: not
// by version, not as the latest, not in the index, not as an official file.
TEST_F(ReportCoreTest, AStagedVersionIsInvisibleUntilConfirmed) {
  v1::PublishRequest request = Request(testdata::ReferenceReportInput(), 4);
  request.set_intent("the ledger step");
  auto staged = Stage(request);
  ASSERT_TRUE(staged.ok()) << staged.status();
  EXPECT_EQ(staged->version(), 4);
  ASSERT_EQ(staged->artifacts_size(), 2);
  EXPECT_TRUE(staged->artifacts(0).content().empty());  // answers carry no bytes

  EXPECT_EQ(Reason(Get(kReference, 4).status()), "NOT_PUBLISHED");
  EXPECT_EQ(Reason(Get(kReference, 0).status()), "NOT_PUBLISHED");
  v1::ListPublishedRequest everything;
  EXPECT_EQ(core_->ListPublished(everything)->disclosures_size(), 0);
  // The bytes a reader would have are the rendering of the same input.
  auto html = RenderReport(request.input(), v1::FORMAT_HTML);
  ASSERT_TRUE(html.ok()) << html.status();
  EXPECT_EQ(html->sha256_hex(), staged->artifacts(0).sha256_hex());
  v1::VerifyArtifactRequest verify;
  verify.set_content(html->content());
  EXPECT_FALSE(core_->VerifyArtifact(verify)->official());

  const std::vector<v1::StagedPublication> listed = Staged(kReference);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].disclosure().version(), 4);
  EXPECT_EQ(listed[0].intent(), "the ledger step");
  EXPECT_EQ(listed[0].ledger_revision(), request.input().budget().revision());
  EXPECT_EQ(listed[0].goals_revision(), request.input().goals().revision());
  EXPECT_TRUE(listed[0].disclosure().artifacts(0).content().empty());

  auto confirmed = Confirm(kReference, 4);
  ASSERT_TRUE(confirmed.ok()) << confirmed.status();
  EXPECT_EQ(confirmed->input_sha256_hex(), staged->input_sha256_hex());
  EXPECT_TRUE(Staged().empty());
  EXPECT_EQ(Get(kReference, 0)->version(), 4);
  EXPECT_EQ(Get(kReference, 4)->artifacts(0).content(), html->content());
  EXPECT_TRUE(core_->VerifyArtifact(verify)->official());
  EXPECT_EQ(core_->ListPublished(everything)->disclosures_size(), 1);
  // Confirmed again (a retry): the same answer.
  auto again = Confirm(kReference, 4);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->SerializeAsString(), confirmed->SerializeAsString());
  // Abandoning a confirmed version does nothing.
  EXPECT_FALSE(Abandon(kReference, 4)->abandoned());
  EXPECT_TRUE(Get(kReference, 4).ok());
}

TEST_F(ReportCoreTest, StagingAgainAnswersWhatIsStagedAndRefusesAnotherInput) {
  v1::PublishRequest request = Request(testdata::ReferenceReportInput(), 4);
  request.set_intent("first");
  auto first = Stage(request);
  ASSERT_TRUE(first.ok()) << first.status();
  request.set_intent("second");
  auto retry = Stage(request);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->SerializeAsString(), first->SerializeAsString());
  ASSERT_EQ(Staged().size(), 1u);
  EXPECT_EQ(Staged()[0].intent(), "first");  // the first caller's step stays

  // Another publish time is another input: one version, one set of files.
  v1::PublishRequest later = request;
  later.mutable_input()->set_publish_time_unix_ms(kPublishTime + 1000);
  auto refused = Stage(later);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(refused.status()), "ALREADY_STAGED");

  auto abandoned = Abandon(kReference, 4);
  ASSERT_TRUE(abandoned.ok()) << abandoned.status();
  EXPECT_TRUE(abandoned->abandoned());
  EXPECT_TRUE(Staged().empty());
  EXPECT_EQ(Reason(Confirm(kReference, 4).status()), "NOT_STAGED");
  EXPECT_FALSE(Abandon(kReference, 4)->abandoned());
  // Once abandoned, the version can be staged from another input.
  EXPECT_TRUE(Stage(later).ok());
}

TEST_F(ReportCoreTest, AnInputThatCannotBeRenderedIsRefusedNamingTheFieldAndStagesNothing) {
  v1::ReportInput input = testdata::ReferenceReportInput();
  input.mutable_department()->set_full_name(std::string("武汉市青山区") + '\0' + "科学技术协会");
  auto refused = Stage(Request(input, 4));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(GetDetail(refused.status(), &bad)) << refused.status();
  ASSERT_EQ(bad.field_violations_size(), 1);
  EXPECT_EQ(bad.field_violations(0).field(), "department.fullName");
  EXPECT_EQ(Reason(refused.status()), "INPUT_NOT_RENDERABLE");
  EXPECT_TRUE(Staged().empty());
}

TEST_F(ReportCoreTest, ListsStagedVersionsInPages) {
  ASSERT_TRUE(Stage(Request(testdata::ReferenceReportInput(), 4)).ok());
  ASSERT_TRUE(Stage(Request(testdata::ReferenceReportInput(), 5)).ok());
  ASSERT_TRUE(Stage(Request(testdata::CultureBureauReportInput(), 1)).ok());
  v1::ListStagedPublicationsRequest request;
  request.set_page_size(2);
  auto first = core_->ListStagedPublications(request);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->staged_size(), 2);
  EXPECT_EQ(first->staged(0).disclosure().version(), 4);
  EXPECT_EQ(first->staged(1).disclosure().version(), 5);
  EXPECT_EQ(first->next_page_token(), std::string(kReference) + "@5");
  request.set_page_token(first->next_page_token());
  auto second = core_->ListStagedPublications(request);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->staged_size(), 1);
  EXPECT_EQ(second->staged(0).disclosure().budget_name(), kCulture);
  EXPECT_TRUE(second->next_page_token().empty());
  EXPECT_EQ(Staged(kCulture).size(), 1u);
  request.set_page_token("not a token");
  EXPECT_EQ(core_->ListStagedPublications(request).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(ReportCoreTest, RefusesAnInputWithoutPublishTimeAndStoresNothing) {
  v1::PublishRequest request = Request(testdata::ReferenceReportInput(), 4);
  request.mutable_input()->clear_publish_time_unix_ms();
  EXPECT_EQ(Publish(request).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Reason(Get(kReference, 0).status()), "NOT_PUBLISHED");
}

TEST_F(ReportCoreTest, TheLatestVersionOnlyMovesForward) {
  ASSERT_TRUE(Publish(Request(testdata::ReferenceReportInput(), 5)).ok());
  auto older = Publish(Request(testdata::ReferenceReportInput(), 3));
  ASSERT_TRUE(older.ok()) << older.status();  // an archive catching up
  EXPECT_EQ(Get(kReference, 0)->version(), 5);
  EXPECT_EQ(Get(kReference, 3)->version(), 3);
}

TEST_F(ReportCoreTest, VerifiesPublishedBytesAndNamesTheLatestVersion) {
  auto v4 = Publish(Request(testdata::ReferenceReportInput(), 4));
  ASSERT_TRUE(v4.ok()) << v4.status();
  v1::ReportInput changed = testdata::ReferenceReportInput();
  changed.mutable_department()->set_contact_phone("68860000");
  ASSERT_TRUE(Publish(Request(changed, 6)).ok());

  v1::VerifyArtifactRequest request;
  request.set_content(v4->artifacts(0).content());
  auto verified = core_->VerifyArtifact(request);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_TRUE(verified->official());
  EXPECT_EQ(verified->budget_name(), kReference);
  EXPECT_EQ(verified->version(), 4);
  EXPECT_EQ(verified->format(), v4->artifacts(0).format());
  EXPECT_EQ(verified->publish_time_unix_ms(), kPublishTime);
  EXPECT_EQ(verified->latest_version(), 6);  // superseded

  request.set_content(v4->artifacts(0).content() + " ");
  auto unknown = core_->VerifyArtifact(request);
  ASSERT_TRUE(unknown.ok()) << unknown.status();
  EXPECT_FALSE(unknown->official());
  EXPECT_EQ(unknown->sha256_hex(), Sha256Hex(request.content()));
  EXPECT_TRUE(unknown->budget_name().empty());
}

TEST_F(ReportCoreTest, ListsVersionsNewestFirstAndBudgetsInPages) {
  ASSERT_TRUE(Publish(Request(testdata::ReferenceReportInput(), 2)).ok());
  ASSERT_TRUE(Publish(Request(testdata::ReferenceReportInput(), 4)).ok());
  ASSERT_TRUE(Publish(Request(testdata::CultureBureauReportInput(), 1)).ok());

  v1::ListPublishedRequest versions;
  versions.set_budget_name(kReference);
  auto listed = core_->ListPublished(versions);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->disclosures_size(), 2);
  EXPECT_EQ(listed->disclosures(0).version(), 4);
  EXPECT_EQ(listed->disclosures(1).version(), 2);
  for (const auto& artifact : listed->disclosures(0).artifacts()) {
    EXPECT_TRUE(artifact.content().empty());  // a listing carries no bytes
    EXPECT_FALSE(artifact.sha256_hex().empty());
  }

  v1::ListPublishedRequest region;
  region.set_region("420107");
  region.set_page_size(1);
  auto first = core_->ListPublished(region);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->disclosures_size(), 1);
  EXPECT_EQ(first->disclosures(0).budget_name(), kReference);
  EXPECT_EQ(first->disclosures(0).version(), 4);  // the latest only
  EXPECT_EQ(first->next_page_token(), kReference);
  region.set_page_token(first->next_page_token());
  auto second = core_->ListPublished(region);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->disclosures_size(), 1);
  EXPECT_EQ(second->disclosures(0).budget_name(), kCulture);
  EXPECT_TRUE(second->next_page_token().empty());

  // The public index takes back only the budget names it hands out, and
  // only for the region it lists.
  v1::ListPublishedRequest elsewhere;
  elsewhere.set_region("420106");
  for (const std::string& token : {std::string(kReference), std::string("garbage"), std::string(kReference) + "@4"}) {
    elsewhere.set_page_token(token);
    EXPECT_EQ(core_->ListPublished(elsewhere).status().code(), absl::StatusCode::kInvalidArgument) << token;
  }

  v1::ListPublishedRequest search;
  search.set_query("科协");
  auto found = core_->ListPublished(search);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ(found->disclosures_size(), 1);
  EXPECT_EQ(found->disclosures(0).budget_name(), kReference);
  search.clear_query();
  search.set_fiscal_year(2022);
  found = core_->ListPublished(search);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ(found->disclosures_size(), 1);
  EXPECT_EQ(found->disclosures(0).budget_name(), kCulture);
}

TEST_F(ReportCoreTest, ListsReadTheListingWhichADataDirectoryFromBeforeItGetsAtStart) {
  // A new data directory: nothing to list, and marked listed.
  EXPECT_EQ(EnsurePublishedListing(*store_.get()).value(), 0);
  ASSERT_TRUE(Publish(Request(testdata::ReferenceReportInput(), 2)).ok());
  ASSERT_TRUE(Publish(Request(testdata::ReferenceReportInput(), 4)).ok());
  v1::ListPublishedRequest versions;
  versions.set_budget_name(kReference);
  auto listed = core_->ListPublished(versions);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->disclosures_size(), 2);
  v1::GetPublishedRequest get;
  get.set_budget_name(kReference);
  get.set_version(4);
  auto whole = core_->GetPublished(get);
  ASSERT_TRUE(whole.ok()) << whole.status();
  ASSERT_EQ(listed->disclosures(0).artifacts_size(), whole->artifacts_size());
  for (int i = 0; i < whole->artifacts_size(); ++i) {
    EXPECT_TRUE(listed->disclosures(0).artifacts(i).content().empty());
    EXPECT_EQ(listed->disclosures(0).artifacts(i).size_bytes(), whole->artifacts(i).size_bytes());
  }
  // Already listed: nothing to add.
  EXPECT_EQ(EnsurePublishedListing(*store_.get()).value(), 0);

  // A data directory from before the listing: the archive alone.
  std::vector<std::string> keys;
  ASSERT_TRUE(store_.get()
                  ->Scan(kPublishedListingCf, "", "",
                         [&](std::string_view key, std::string_view) {
                           keys.emplace_back(key);
                           return true;
                         })
                  .ok());
  ASSERT_TRUE(store_.get()
                  ->Apply([&](Store::Txn& txn) {
                    for (const std::string& key : keys) txn.Delete(kPublishedListingCf, key);
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(core_->ListPublished(versions)->disclosures_size(), 0) << "lists read the listing, not the archive";
  EXPECT_EQ(EnsurePublishedListing(*store_.get()).value(), 2);
  EXPECT_EQ(EnsurePublishedListing(*store_.get()).value(), 0);
  auto relisted = core_->ListPublished(versions);
  ASSERT_TRUE(relisted.ok()) << relisted.status();
  ASSERT_EQ(relisted->disclosures_size(), 2);
  EXPECT_EQ(relisted->disclosures(0).SerializeAsString(), listed->disclosures(0).SerializeAsString());
}

// Each published file is kept on its own, so one file is read without the
// others; an archive from before, with the bytes inline, is read as it is
// and moved once at start.
TEST_F(ReportCoreTest, EachPublishedFileIsReadOnItsOwnAndAnOlderArchiveIsMovedOnce) {
  v1::PublishRequest request = Request(testdata::ReferenceReportInput(), 4);
  request.add_formats(v1::FORMAT_PDF);
  request.add_formats(v1::FORMAT_XLSX);
  auto published = Publish(request);
  ASSERT_TRUE(published.ok()) << published.status();
  const std::string key = std::string(kReference) + EncodeBigEndian64(4);
  auto record_bytes = [&]() -> std::string {
    auto stored = store_.get()->Get(kPublishedCf, key);
    return stored.ok() && stored->has_value() ? **stored : std::string();
  };
  auto files = [&]() {
    int count = 0;
    EXPECT_TRUE(store_.get()
                    ->Scan(kPublishedFilesCf, key, "",
                           [&](std::string_view, std::string_view) {
                             ++count;
                             return true;
                           })
                    .ok());
    return count;
  };
  // The record holds each file's size, not its bytes.
  v1::PublishedDisclosure record;
  ASSERT_TRUE(record.ParseFromString(record_bytes()));
  ASSERT_EQ(record.artifacts_size(), 4);
  EXPECT_EQ(files(), record.artifacts_size());
  std::map<v1::Format, std::string> contents;
  for (const v1::Artifact& artifact : record.artifacts()) {
    EXPECT_TRUE(artifact.content().empty());
    EXPECT_GT(artifact.size_bytes(), 0);
    auto one = Get(kReference, 4, artifact.format());
    ASSERT_TRUE(one.ok()) << one.status();
    ASSERT_EQ(one->artifacts_size(), 1);
    EXPECT_EQ(static_cast<int64_t>(one->artifacts(0).content().size()), artifact.size_bytes());
    EXPECT_EQ(Sha256Hex(one->artifacts(0).content()), artifact.sha256_hex());
    contents[artifact.format()] = one->artifacts(0).content();
  }
  auto whole = Get(kReference, 4);
  ASSERT_TRUE(whole.ok()) << whole.status();

  // A data directory from before: the bytes inline in the record, no files.
  v1::PublishedDisclosure inline_record = record;
  for (v1::Artifact& artifact : *inline_record.mutable_artifacts()) {
    artifact.set_content(contents[artifact.format()]);
    artifact.clear_size_bytes();
  }
  ASSERT_TRUE(store_.get()
                  ->Apply([&](Store::Txn& txn) {
                    txn.Put(kPublishedCf, key, inline_record.SerializeAsString());
                    for (const v1::Artifact& artifact : record.artifacts()) {
                      txn.Delete(kPublishedFilesCf, key + static_cast<char>(artifact.format()));
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_EQ(files(), 0);
  auto before = Get(kReference, 4, v1::FORMAT_PDF);
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(before->artifacts(0).content(), contents[v1::FORMAT_PDF]);

  EXPECT_EQ(EnsurePublishedFiles(*store_.get()).value(), 1);
  EXPECT_EQ(EnsurePublishedFiles(*store_.get()).value(), 0);
  EXPECT_EQ(files(), record.artifacts_size());
  EXPECT_EQ(record_bytes(), record.SerializeAsString());
  for (const auto& [format, content] : contents) {
    auto one = Get(kReference, 4, format);
    ASSERT_TRUE(one.ok()) << one.status();
    EXPECT_EQ(one->artifacts(0).content(), content) << v1::Format_Name(format);
  }
  auto moved = Get(kReference, 4);
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->SerializeAsString(), whole->SerializeAsString());

  // A file that went missing is an error naming it, not an empty file.
  ASSERT_TRUE(store_.get()
                  ->Apply([&](Store::Txn& txn) {
                    txn.Delete(kPublishedFilesCf, key + static_cast<char>(v1::FORMAT_HTML));
                    return absl::OkStatus();
                  })
                  .ok());
  auto missing = Get(kReference, 4, v1::FORMAT_HTML);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(missing.status().message()), ::testing::HasSubstr("FORMAT_HTML"));
}

TEST_F(ReportCoreTest, RendersLeaveTheCacheWhenTheyAreAWeekOld) {
  // A new data directory: nothing cached, nothing to purge.
  EXPECT_EQ(PurgeRenderCache(*store_.get(), NowUnixMillis()).value(), 0);
  v1::RenderRequest request;
  *request.mutable_input() = testdata::ReferenceReportInput();
  request.set_format(v1::FORMAT_MARKDOWN);
  ASSERT_TRUE(core_->Render(request).ok());
  request.set_format(v1::FORMAT_HTML);
  ASSERT_TRUE(core_->Render(request).ok());
  Flush();
  ASSERT_EQ(CacheKeys().size(), 2u);
  const int64_t now = NowUnixMillis();
  // Younger than a week: kept.
  EXPECT_EQ(PurgeRenderCache(*store_.get(), now + kRenderCacheMaxAgeMs - 60'000).value(), 0);
  EXPECT_EQ(CacheKeys().size(), 2u);
  // A week and a minute later: gone, with their ages.
  EXPECT_EQ(PurgeRenderCache(*store_.get(), now + kRenderCacheMaxAgeMs + 60'000).value(), 2);
  EXPECT_TRUE(CacheKeys().empty());
  // Asked again, rendered again and cached again.
  ASSERT_TRUE(core_->Render(request).ok());
  Flush();
  EXPECT_EQ(CacheKeys().size(), 1u);
}

TEST_F(ReportCoreTest, ACacheFilledBeforeItHadAgesIsEmptiedOnce) {
  ASSERT_TRUE(store_
                  ->Apply([](Store::Txn& txn) {
                    txn.Put(kRenderCacheCf, "old-1", "x");
                    txn.Put(kRenderCacheCf, "old-2", "y");
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(PurgeRenderCache(*store_.get(), NowUnixMillis()).value(), 2);
  EXPECT_TRUE(CacheKeys().empty());
  v1::RenderRequest request;
  *request.mutable_input() = testdata::ReferenceReportInput();
  request.set_format(v1::FORMAT_MARKDOWN);
  ASSERT_TRUE(core_->Render(request).ok());
  Flush();
  // Once: what is cached since stays until it is old.
  EXPECT_EQ(PurgeRenderCache(*store_.get(), NowUnixMillis()).value(), 0);
  EXPECT_EQ(CacheKeys().size(), 1u);
}

TEST_F(ReportCoreTest, ServesARepeatedRenderFromTheCache) {
  v1::RenderRequest request;
  *request.mutable_input() = testdata::ReferenceReportInput();
  request.set_format(v1::FORMAT_MARKDOWN);
  auto rendered = core_->Render(request);
  ASSERT_TRUE(rendered.ok()) << rendered.status();
  EXPECT_EQ(rendered->format(), v1::FORMAT_MARKDOWN);
  EXPECT_FALSE(rendered->content().empty());
  Flush();
  const std::vector<std::string> keys = CacheKeys();
  ASSERT_EQ(keys.size(), 1u);

  // What the cache holds is what a repeated render answers: replace it and
  // the replacement comes back, proving no second render ran.
  v1::Artifact marker = *rendered;
  marker.set_content("cached");
  ASSERT_TRUE(store_
                  ->Apply([&](Store::Txn& txn) {
                    txn.Put(kRenderCacheCf, keys[0], marker.SerializeAsString());
                    return absl::OkStatus();
                  })
                  .ok());
  auto again = core_->Render(request);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->content(), "cached");

  // Another format is another entry.
  request.set_format(v1::FORMAT_HTML);
  auto html = core_->Render(request);
  ASSERT_TRUE(html.ok()) << html.status();
  EXPECT_NE(html->content(), "cached");
  Flush();
  EXPECT_EQ(CacheKeys().size(), 2u);
}

TEST_F(ReportCoreTest, ARenderWithARevisionKeyIsServedByThatKeyAndAgesOutWithTheOthers) {
  // A new data directory: nothing cached, nothing to purge.
  EXPECT_EQ(PurgeRenderCache(*store_.get(), NowUnixMillis()).value(), 0);
  v1::GetCachedRenderRequest lookup;
  EXPECT_EQ(core_->GetCachedRenderWire(lookup).status().code(), absl::StatusCode::kInvalidArgument);
  lookup.set_revision_key("budget r1, goals r1");
  EXPECT_EQ(core_->GetCachedRenderWire(lookup).status().code(), absl::StatusCode::kNotFound);

  v1::RenderRequest request;
  *request.mutable_input() = testdata::ReferenceReportInput();
  request.set_format(v1::FORMAT_MARKDOWN);
  request.set_revision_key("budget r1, goals r1");
  auto rendered = core_->Render(request);
  ASSERT_TRUE(rendered.ok()) << rendered.status();
  Flush();
  auto cached = core_->GetCachedRenderWire(lookup);
  ASSERT_TRUE(cached.ok()) << cached.status();
  v1::Artifact artifact;
  ASSERT_TRUE(artifact.ParseFromString(*cached));
  EXPECT_EQ(artifact.content(), rendered->content());
  EXPECT_EQ(artifact.format(), v1::FORMAT_MARKDOWN);
  ASSERT_EQ(CacheKeys().size(), 2u) << "by content and by revision";

  // The same input under another revision key (a write that changed nothing
  // the report shows): served from the content's entry, and cached under
  // the new key too.
  request.set_revision_key("budget r2, goals r1");
  auto again = core_->Render(request);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->content(), rendered->content());
  Flush();
  lookup.set_revision_key("budget r2, goals r1");
  EXPECT_TRUE(core_->GetCachedRenderWire(lookup).ok());
  EXPECT_EQ(CacheKeys().size(), 3u);

  EXPECT_EQ(PurgeRenderCache(*store_.get(), NowUnixMillis() + kRenderCacheMaxAgeMs + 60'000).value(), 3);
  EXPECT_EQ(core_->GetCachedRenderWire(lookup).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace yusuan::report
