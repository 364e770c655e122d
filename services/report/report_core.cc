#include "services/report/report_core.h"

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "services/common/errors.h"
#include "services/common/paging.h"
#include "services/common/sha256.h"
#include "services/common/store_keys.h"
#include "services/report/domain/publish.h"
#include "services/report/domain/render.h"

namespace yusuan::report {
namespace {

std::string CacheKey(const v1::RenderRequest& request) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    request.SerializeToCodedStream(&coded);
  }
  bytes += kRendererVersion;
  return yusuan::Sha256(bytes);
}

// A listing shows what was published, not the bytes.
void StripContents(v1::PublishedDisclosure& disclosure) {
  for (v1::Artifact& artifact : *disclosure.mutable_artifacts()) artifact.clear_content();
}

}  // namespace

std::vector<std::string> ReportColumnFamilies() {
  return {kRenderCacheCf, kPublishedCf, kPublishedLatestCf, kArtifactIndexCf};
}

ReportCore::ReportCore(Store* store) : store_(store) {}

absl::StatusOr<v1::Artifact> ReportCore::Render(const v1::RenderRequest& request) {
  const std::string key = CacheKey(request);
  auto cached = store_->Get(kRenderCacheCf, key);
  v1::Artifact artifact;
  if (cached.ok() && cached->has_value() && artifact.ParseFromString(**cached)) return artifact;
  auto rendered = RenderReport(request.input(), request.format());
  if (!rendered.ok()) return rendered.status();
  std::string bytes = rendered->SerializeAsString();
  store_->Submit(
      [key, bytes = std::move(bytes)](Store::Txn& txn) {
        txn.Put(kRenderCacheCf, key, bytes);
        return absl::OkStatus();
      },
      [](absl::Status) {});
  return rendered;
}

void ReportCore::Publish(const v1::PublishRequest& request, Done<v1::PublishedDisclosure> done) {
  absl::StatusOr<v1::PublishedDisclosure> built = BuildPublished(request);
  if (!built.ok()) return done(built.status());
  const std::string key = request.budget_name() + EncodeBigEndian64(request.version());
  auto answer = std::make_shared<v1::PublishedDisclosure>();
  store_->Submit(
      [key, disclosure = std::move(*built), answer](Store::Txn& txn) -> absl::Status {
        auto existing = txn.Get(kPublishedCf, key);
        if (!existing.ok()) return existing.status();
        if (existing->has_value()) {
          v1::PublishedDisclosure stored;
          if (!stored.ParseFromString(**existing)) return absl::DataLossError("stored disclosure is unreadable");
          // A retried publication answers what was stored; another input
          // under the same version would make two "official" versions.
          if (stored.input_sha256_hex() != disclosure.input_sha256_hex()) {
            return WithReason(absl::FailedPreconditionError(absl::StrCat(
                                  "版本 ", disclosure.version(), " 已以不同内容公开 / version ", disclosure.version(),
                                  " of ", disclosure.budget_name(), " was already published from a different input")),
                              "ALREADY_PUBLISHED");
          }
          *answer = std::move(stored);
          return absl::OkStatus();
        }
        txn.Put(kPublishedCf, key, disclosure.SerializeAsString());
        auto latest = txn.Get(kPublishedLatestCf, disclosure.budget_name());
        if (!latest.ok()) return latest.status();
        const int64_t latest_version = latest->has_value() ? static_cast<int64_t>(DecodeBigEndian64(**latest)) : 0;
        if (disclosure.version() > latest_version) {
          txn.Put(kPublishedLatestCf, disclosure.budget_name(), EncodeBigEndian64(disclosure.version()));
        }
        for (const v1::Artifact& artifact : disclosure.artifacts()) {
          v1::VerifyArtifactResponse ref;
          ref.set_official(true);
          ref.set_sha256_hex(artifact.sha256_hex());
          ref.set_budget_name(disclosure.budget_name());
          ref.set_version(disclosure.version());
          ref.set_format(artifact.format());
          ref.set_department_name(disclosure.department_name());
          ref.set_department_full_name(disclosure.department_full_name());
          ref.set_fiscal_year(disclosure.fiscal_year());
          ref.set_publish_time_unix_ms(disclosure.publish_time_unix_ms());
          txn.Put(kArtifactIndexCf, artifact.sha256_hex(), ref.SerializeAsString());
        }
        *answer = disclosure;
        return absl::OkStatus();
      },
      [answer, done = std::move(done)](absl::Status status) {
        if (!status.ok()) return done(status);
        done(std::move(*answer));
      });
}

absl::StatusOr<v1::PublishedDisclosure> ReportCore::GetPublished(const v1::GetPublishedRequest& request) const {
  int64_t version = request.version();
  if (version == 0) {
    auto latest = store_->Get(kPublishedLatestCf, request.budget_name());
    if (!latest.ok()) return latest.status();
    if (!latest->has_value()) {
      return WithReason(
          absl::NotFoundError(absl::StrCat("尚未公开 / nothing of ", request.budget_name(), " is published")),
          "NOT_PUBLISHED");
    }
    version = static_cast<int64_t>(DecodeBigEndian64(**latest));
  }
  auto stored = store_->Get(kPublishedCf, request.budget_name() + EncodeBigEndian64(version));
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) {
    return WithReason(absl::NotFoundError(absl::StrCat("版本 ", version, " 未公开 / version ", version, " of ",
                                                       request.budget_name(), " is not published")),
                      "NOT_PUBLISHED");
  }
  v1::PublishedDisclosure disclosure;
  if (!disclosure.ParseFromString(**stored)) return absl::DataLossError("stored disclosure is unreadable");
  if (request.format() != v1::FORMAT_UNSPECIFIED) {
    auto* artifacts = disclosure.mutable_artifacts();
    for (int i = artifacts->size() - 1; i >= 0; --i) {
      if (artifacts->Get(i).format() != request.format()) artifacts->DeleteSubrange(i, 1);
    }
    if (artifacts->empty()) {
      return absl::NotFoundError(absl::StrCat("版本 ", version, " 没有 ", v1::Format_Name(request.format()),
                                              " 文件 / version ", version, " was not published as ",
                                              v1::Format_Name(request.format())));
    }
  }
  return disclosure;
}

absl::StatusOr<v1::VerifyArtifactResponse> ReportCore::VerifyArtifact(const v1::VerifyArtifactRequest& request) const {
  const std::string sha256 = yusuan::Sha256Hex(request.content());
  auto ref = store_->Get(kArtifactIndexCf, sha256);
  if (!ref.ok()) return ref.status();
  v1::VerifyArtifactResponse response;
  if (ref->has_value() && response.ParseFromString(**ref)) {
    auto latest = store_->Get(kPublishedLatestCf, response.budget_name());
    if (latest.ok() && latest->has_value()) {
      response.set_latest_version(static_cast<int64_t>(DecodeBigEndian64(**latest)));
    }
  } else {
    response.Clear();
    response.set_official(false);
  }
  response.set_sha256_hex(sha256);
  return response;
}

absl::StatusOr<v1::ListPublishedResponse> ReportCore::ListPublished(const v1::ListPublishedRequest& request) const {
  if (absl::Status size = CheckPageSize(request.page_size()); !size.ok()) return size;
  v1::ListPublishedResponse response;
  const int page_size = PageSize(request.page_size(), kQueuePageSizes);
  if (!request.budget_name().empty()) {
    // Every version of one budget, newest first.
    std::vector<v1::PublishedDisclosure> versions;
    const std::string& prefix = request.budget_name();
    absl::Status scanned = store_->Scan(kPublishedCf, prefix, "", [&](std::string_view key, std::string_view value) {
      if (key.size() != prefix.size() + 8) return true;  // another budget whose name extends this one
      v1::PublishedDisclosure disclosure;
      if (disclosure.ParseFromString(std::string(value))) {
        StripContents(disclosure);
        versions.push_back(std::move(disclosure));
      }
      return true;
    });
    if (!scanned.ok()) return scanned;
    for (auto it = versions.rbegin(); it != versions.rend(); ++it) *response.add_disclosures() = *it;
    return response;
  }
  // The latest version of each budget whose name starts with the region.
  const std::string prefix = "regions/" + request.region();
  absl::Status failed = absl::OkStatus();
  absl::Status scanned =
      store_->Scan(kPublishedLatestCf, prefix, request.page_token(), [&](std::string_view key, std::string_view value) {
        auto stored = store_->Get(kPublishedCf, std::string(key) + std::string(value));
        if (!stored.ok()) {
          failed = stored.status();
          return false;
        }
        if (!stored->has_value()) return true;
        v1::PublishedDisclosure disclosure;
        if (!disclosure.ParseFromString(**stored)) return true;
        if (request.fiscal_year() != 0 && disclosure.fiscal_year() != request.fiscal_year()) return true;
        if (!request.query().empty() && disclosure.department_full_name().find(request.query()) == std::string::npos &&
            disclosure.department_short_name().find(request.query()) == std::string::npos) {
          return true;
        }
        if (response.disclosures_size() == page_size) {
          response.set_next_page_token(response.disclosures(page_size - 1).budget_name());
          return false;
        }
        StripContents(disclosure);
        *response.add_disclosures() = std::move(disclosure);
        return true;
      });
  if (!scanned.ok()) return scanned;
  if (!failed.ok()) return failed;
  return response;
}

}  // namespace yusuan::report
