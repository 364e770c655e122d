#include "services/report/report_core.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "services/common/errors.h"
#include "services/common/limits.h"
#include "services/common/paging.h"
#include "services/common/revisions.h"
#include "services/common/sha256.h"
#include "services/common/store_keys.h"
#include "services/report/domain/publish.h"
#include "services/report/domain/render.h"
#include "services/report/domain/rollup_render.h"

namespace yusuan::report {
namespace {

// What is rendered, not how it was asked for: the revision key names the
// same input and is not part of it.
std::string CacheKey(const v1::RenderRequest& request) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    request.input().SerializeToCodedStream(&coded);
  }
  absl::StrAppend(&bytes, "\nformat ", static_cast<int>(request.format()), "\n", kRendererVersion);
  return yusuan::Sha256(bytes);
}

// Another hash domain than CacheKey's, in the same column family, so that
// both age out together.
std::string RevisionCacheKey(const std::string& revision_key) {
  return yusuan::Sha256(absl::StrCat("revision\n", kRendererVersion, "\n", revision_key));
}

// A listing shows what was published, not the bytes: each file's size
// (set from its bytes while it still has them).
void StripContents(v1::PublishedDisclosure& disclosure) {
  for (v1::Artifact& artifact : *disclosure.mutable_artifacts()) {
    if (!artifact.content().empty()) artifact.set_size_bytes(static_cast<int64_t>(artifact.content().size()));
    artifact.clear_content();
  }
}

// The entry of kPublishedListingCf for an archived disclosure.
std::string ListingOf(v1::PublishedDisclosure disclosure) {
  StripContents(disclosure);
  return disclosure.SerializeAsString();
}

// Marks that kPublishedListingCf lists every archived version.
constexpr char kListingBuiltKey[] = "\xff built";

// The kPublishedFilesCf key of one file of the version `publication_key` names.
std::string FileKey(const std::string& publication_key, v1::Format format) {
  return publication_key + static_cast<char>(format);
}

// Each file of `disclosure` under `publication_key` in kPublishedFilesCf,
// and the disclosure without the bytes in kPublishedCf and the listing.
void ArchiveFiles(Store::Txn& txn, const std::string& publication_key, const v1::PublishedDisclosure& disclosure) {
  for (const v1::Artifact& artifact : disclosure.artifacts()) {
    txn.Put(kPublishedFilesCf, FileKey(publication_key, artifact.format()), artifact.SerializeAsString());
  }
  const std::string listing = ListingOf(disclosure);
  txn.Put(kPublishedCf, publication_key, listing);
  txn.Put(kPublishedListingCf, publication_key, listing);
}

std::string PublicationKey(const std::string& budget_name, int64_t version) {
  return budget_name + EncodeBigEndian64(static_cast<uint64_t>(version));
}

// What is stored under `key` — confirmed, else staged — when it was made
// from the input whose SHA-256 is `input_sha256`, without its bytes;
// nullopt when nothing is; FAILED_PRECONDITION when it was made from
// another input (two "official" files for one version must never exist).
template <typename Reader>
absl::StatusOr<std::optional<v1::PublishedDisclosure>> StoredFor(Reader& reader, const std::string& key,
                                                                 const std::string& input_sha256) {
  v1::PublishedDisclosure disclosure;
  bool staged = false;
  auto published = reader.Get(kPublishedCf, key);
  if (!published.ok()) return published.status();
  if (published->has_value()) {
    if (!disclosure.ParseFromString(**published)) return absl::DataLossError("stored disclosure is unreadable");
  } else {
    auto stored = reader.Get(kStagedCf, key);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) return std::optional<v1::PublishedDisclosure>();
    v1::StagedPublication entry;
    if (!entry.ParseFromString(**stored)) return absl::DataLossError("staged disclosure is unreadable");
    disclosure = std::move(*entry.mutable_disclosure());
    staged = true;
  }
  if (disclosure.input_sha256_hex() != input_sha256) {
    return WithReason(
        absl::FailedPreconditionError(absl::StrCat(
            "版本 ", disclosure.version(), staged ? " 已以不同内容归档 / version " : " 已以不同内容公开 / version ",
            disclosure.version(), " of ", disclosure.budget_name(),
            staged ? " was already archived from a different input" : " was already published from a different input")),
        staged ? "ALREADY_STAGED" : "ALREADY_PUBLISHED");
  }
  StripContents(disclosure);
  return std::optional<v1::PublishedDisclosure>(std::move(disclosure));
}

}  // namespace

std::vector<std::string> ReportColumnFamilies() {
  return {kRenderCacheCf, kPublishedCf,        kPublishedLatestCf, kArtifactIndexCf,
          kStagedCf,      kPublishedListingCf, kRenderCacheAgeCf,  kPublishedFilesCf};
}

absl::StatusOr<int64_t> PurgeRenderCache(Store& store, int64_t now_ms, int64_t max_age_ms) {
  constexpr int kBatch = 1000;
  int64_t purged = 0;
  // A cache filled before it had ages: emptied once, then marked.
  constexpr char kAgedKey[] = "\xff aged";
  auto aged = store.Get(kRenderCacheAgeCf, kAgedKey);
  if (!aged.ok()) return aged.status();
  if (!aged->has_value()) {
    for (bool more = true; more;) {
      std::vector<std::string> keys;
      absl::Status scanned = store.Scan(kRenderCacheCf, "", "", [&](std::string_view key, std::string_view) {
        keys.emplace_back(key);
        return static_cast<int>(keys.size()) < kBatch;
      });
      if (!scanned.ok()) return scanned;
      more = static_cast<int>(keys.size()) == kBatch;
      absl::Status deleted = store.Apply([&](Store::Txn& txn) {
        for (const std::string& key : keys) txn.Delete(kRenderCacheCf, key);
        if (!more) txn.Put(kRenderCacheAgeCf, kAgedKey, "");
        return absl::OkStatus();
      });
      if (!deleted.ok()) return deleted;
      purged += static_cast<int64_t>(keys.size());
    }
  }
  const std::string cutoff = EncodeBigEndian64(static_cast<uint64_t>(std::max<int64_t>(now_ms - max_age_ms, 0)));
  for (bool more = true; more;) {
    std::vector<std::string> expired;
    absl::Status scanned = store.Scan(kRenderCacheAgeCf, "", "", [&](std::string_view key, std::string_view) {
      if (key.size() <= 8 || key.substr(0, 8) >= cutoff) return false;
      expired.emplace_back(key);
      return static_cast<int>(expired.size()) < kBatch;
    });
    if (!scanned.ok()) return scanned;
    more = static_cast<int>(expired.size()) == kBatch;
    absl::Status deleted = store.Apply([&](Store::Txn& txn) {
      for (const std::string& key : expired) {
        txn.Delete(kRenderCacheAgeCf, key);
        txn.Delete(kRenderCacheCf, key.substr(8));
      }
      return absl::OkStatus();
    });
    if (!deleted.ok()) return deleted;
    purged += static_cast<int64_t>(expired.size());
  }
  return purged;
}

absl::StatusOr<int64_t> EnsurePublishedListing(Store& store) {
  return FillOnce(store, kPublishedListingCf, kListingBuiltKey, [](Store::Txn& txn) -> absl::StatusOr<int64_t> {
    int64_t added = 0;
    absl::Status failed = absl::OkStatus();
    absl::Status scanned = txn.Scan(kPublishedCf, "", [&](std::string_view key, std::string_view value) {
      v1::PublishedDisclosure disclosure;
      if (!disclosure.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
        failed = absl::DataLossError(absl::StrCat("stored disclosure ", std::string(key), " is unreadable"));
        return false;
      }
      txn.Put(kPublishedListingCf, std::string(key), ListingOf(std::move(disclosure)));
      ++added;
      return true;
    });
    if (!scanned.ok()) return scanned;
    if (!failed.ok()) return failed;
    return added;
  });
}

absl::StatusOr<int64_t> EnsurePublishedFiles(Store& store) {
  // A megabyte or so a version: a few at a time keep each write small.
  constexpr int kVersionsPerWrite = 16;
  int64_t moved = 0;
  std::string after;
  while (true) {
    std::vector<std::pair<std::string, v1::PublishedDisclosure>> inline_files;
    bool more = false;
    absl::Status failed = absl::OkStatus();
    absl::Status scanned = store.Scan(kPublishedCf, "", after, [&](std::string_view key, std::string_view value) {
      if (inline_files.size() == kVersionsPerWrite) {
        more = true;
        return false;
      }
      after = std::string(key);
      v1::PublishedDisclosure disclosure;
      if (!disclosure.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
        failed = absl::DataLossError(absl::StrCat("stored disclosure ", std::string(key), " is unreadable"));
        return false;
      }
      for (const v1::Artifact& artifact : disclosure.artifacts()) {
        if (!artifact.content().empty()) {
          inline_files.emplace_back(std::string(key), std::move(disclosure));
          break;
        }
      }
      return true;
    });
    if (!scanned.ok()) return scanned;
    if (!failed.ok()) return failed;
    if (!inline_files.empty()) {
      absl::Status applied = store.Apply([&inline_files](Store::Txn& txn) {
        for (const auto& [key, disclosure] : inline_files) ArchiveFiles(txn, key, disclosure);
        return absl::OkStatus();
      });
      if (!applied.ok()) return applied;
      moved += static_cast<int64_t>(inline_files.size());
    }
    if (!more) return moved;
  }
}

ReportCore::ReportCore(Store* store) : store_(store) {}

absl::StatusOr<v1::Artifact> ReportCore::Render(const v1::RenderRequest& request) {
  const std::string key = CacheKey(request);
  auto cached = store_->Get(kRenderCacheCf, key);
  v1::Artifact artifact;
  if (cached.ok() && cached->has_value() && artifact.ParseFromString(**cached)) {
    // Cached by content, perhaps not yet by this revision key.
    if (!request.revision_key().empty()) Cache({RevisionCacheKey(request.revision_key())}, **std::move(cached));
    return artifact;
  }
  auto rendered = RenderReport(request.input(), request.format());
  if (!rendered.ok()) return rendered.status();
  std::vector<std::string> keys = {key};
  if (!request.revision_key().empty()) keys.push_back(RevisionCacheKey(request.revision_key()));
  Cache(std::move(keys), rendered->SerializeAsString());
  return rendered;
}

void ReportCore::Cache(std::vector<std::string> keys, std::string artifact_bytes) {
  store_->Submit(
      [keys = std::move(keys), bytes = std::move(artifact_bytes), now = NowUnixMillis()](Store::Txn& txn) {
        for (const std::string& key : keys) {
          txn.Put(kRenderCacheCf, key, bytes);
          txn.Put(kRenderCacheAgeCf, EncodeBigEndian64(static_cast<uint64_t>(now)) + key, "");
        }
        return absl::OkStatus();
      },
      [](absl::Status) {});
}

absl::StatusOr<std::string> ReportCore::GetCachedRenderWire(const v1::GetCachedRenderRequest& request) const {
  if (request.revision_key().empty()) {
    return InvalidField("revision_key", "revision_key 不能为空", "revision_key must not be empty");
  }
  auto cached = store_->Get(kRenderCacheCf, RevisionCacheKey(request.revision_key()));
  if (!cached.ok()) return cached.status();
  if (!cached->has_value()) {
    return absl::NotFoundError("没有按此修订缓存的渲染 / no render is cached under this revision key");
  }
  return **std::move(cached);
}

absl::StatusOr<v1::Artifact> ReportCore::RenderRollup(const v1::RenderRollupRequest& request) const {
  return report::RenderRollup(request.rollup(), request.format());
}

void ReportCore::StagePublication(const v1::PublishRequest& request, Done<v1::PublishedDisclosure> done) {
  if (absl::Status checked = CheckPublishRequest(request); !checked.ok()) return done(checked);
  const std::string key = PublicationKey(request.budget_name(), request.version());
  const std::string input_sha256 = InputSha256Hex(request.input());
  // A retry, or a second caller that found the version staged, answers what
  // is stored without rendering every format again.
  {
    absl::StatusOr<std::optional<v1::PublishedDisclosure>> stored = StoredFor(*store_, key, input_sha256);
    if (!stored.ok()) return done(stored.status());
    if (stored->has_value()) return done(std::move(**stored));
  }
  absl::StatusOr<v1::PublishedDisclosure> built = BuildPublished(request);
  if (!built.ok()) return done(built.status());
  v1::StagedPublication staged;
  *staged.mutable_disclosure() = *std::move(built);
  staged.set_intent(request.intent());
  staged.set_ledger_revision(request.input().budget().revision());
  staged.set_goals_revision(request.input().goals().revision());
  auto answer = std::make_shared<v1::PublishedDisclosure>();
  store_->Submit(
      [key, input_sha256, staged = std::move(staged), answer](Store::Txn& txn) -> absl::Status {
        // Again inside the write: another call may have staged it meanwhile.
        absl::StatusOr<std::optional<v1::PublishedDisclosure>> stored = StoredFor(txn, key, input_sha256);
        if (!stored.ok()) return stored.status();
        if (stored->has_value()) {
          *answer = std::move(**stored);
          return absl::OkStatus();
        }
        txn.Put(kStagedCf, key, staged.SerializeAsString());
        *answer = staged.disclosure();
        StripContents(*answer);
        return absl::OkStatus();
      },
      [answer, done = std::move(done)](absl::Status status) {
        if (!status.ok()) return done(status);
        done(std::move(*answer));
      });
}

void ReportCore::ConfirmPublication(const v1::ConfirmPublicationRequest& request, Done<v1::PublishedDisclosure> done) {
  const std::string key = PublicationKey(request.budget_name(), request.version());
  auto answer = std::make_shared<v1::PublishedDisclosure>();
  store_->Submit(
      [key, request, answer](Store::Txn& txn) -> absl::Status {
        auto published = txn.Get(kPublishedCf, key);
        if (!published.ok()) return published.status();
        if (published->has_value()) {  // confirmed before: a retry
          if (!answer->ParseFromString(**published)) return absl::DataLossError("stored disclosure is unreadable");
          StripContents(*answer);
          txn.Delete(kStagedCf, key);
          return absl::OkStatus();
        }
        auto stored = txn.Get(kStagedCf, key);
        if (!stored.ok()) return stored.status();
        if (!stored->has_value()) {
          return WithReason(
              absl::NotFoundError(absl::StrCat("版本 ", request.version(), " 未归档 / version ", request.version(),
                                               " of ", request.budget_name(), " is not staged: archive it first")),
              "NOT_STAGED");
        }
        v1::StagedPublication staged;
        if (!staged.ParseFromString(**stored)) return absl::DataLossError("staged disclosure is unreadable");
        const v1::PublishedDisclosure& disclosure = staged.disclosure();
        ArchiveFiles(txn, key, disclosure);
        txn.Delete(kStagedCf, key);
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
        StripContents(*answer);
        return absl::OkStatus();
      },
      [answer, done = std::move(done)](absl::Status status) {
        if (!status.ok()) return done(status);
        done(std::move(*answer));
      });
}

void ReportCore::AbandonPublication(const v1::AbandonPublicationRequest& request,
                                    Done<v1::AbandonPublicationResponse> done) {
  const std::string key = PublicationKey(request.budget_name(), request.version());
  auto answer = std::make_shared<v1::AbandonPublicationResponse>();
  store_->Submit(
      [key, answer](Store::Txn& txn) -> absl::Status {
        auto stored = txn.Get(kStagedCf, key);
        if (!stored.ok()) return stored.status();
        answer->set_abandoned(stored->has_value());
        if (stored->has_value()) txn.Delete(kStagedCf, key);
        return absl::OkStatus();
      },
      [answer, done = std::move(done)](absl::Status status) {
        if (!status.ok()) return done(status);
        done(std::move(*answer));
      });
}

absl::StatusOr<v1::ListStagedPublicationsResponse> ReportCore::ListStagedPublications(
    const v1::ListStagedPublicationsRequest& request) const {
  v1::ListStagedPublicationsResponse response;
  const int page_size = PageSize(request.page_size(), kQueuePageSizes);
  const std::string& prefix = request.budget_name();
  std::string start_after;
  if (!request.page_token().empty()) {
    absl::StatusOr<VersionPosition> after = ParsePublicationPageToken(request.page_token(), prefix);
    if (!after.ok()) return after.status();
    start_after = PublicationKey(after->budget.ToString(), after->version);
  }
  absl::Status failed = absl::OkStatus();
  absl::Status scanned =
      store_->Scan(kStagedCf, prefix, start_after, [&](std::string_view key, std::string_view value) {
        if (!prefix.empty() && key.size() != prefix.size() + 8) return true;  // a budget whose name extends it
        v1::StagedPublication staged;
        if (!staged.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          failed = absl::DataLossError("staged disclosure is unreadable");
          return false;
        }
        if (response.staged_size() == page_size) {
          const v1::PublishedDisclosure& last = response.staged(page_size - 1).disclosure();
          response.set_next_page_token(PublicationPageToken(last.budget_name(), last.version()));
          return false;
        }
        StripContents(*staged.mutable_disclosure());
        *response.add_staged() = std::move(staged);
        return true;
      });
  if (!scanned.ok()) return scanned;
  if (!failed.ok()) return failed;
  return response;
}

absl::StatusOr<v1::PublishedDisclosure> ReportCore::GetPublished(const v1::GetPublishedRequest& request) const {
  if (request.version() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("version 应为 0（最新公开版本）或正整数，实为 ", request.version(),
                     " / version must be 0 (the latest published) or a version number, not ", request.version()));
  }
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
  const std::string key = PublicationKey(request.budget_name(), version);
  auto stored = store_->Get(kPublishedCf, key);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) {
    return WithReason(absl::NotFoundError(absl::StrCat("版本 ", version, " 未公开 / version ", version, " of ",
                                                       request.budget_name(), " is not published")),
                      "NOT_PUBLISHED");
  }
  v1::PublishedDisclosure disclosure;
  if (!disclosure.ParseFromString(**stored)) return absl::DataLossError("stored disclosure is unreadable");
  auto* artifacts = disclosure.mutable_artifacts();
  // An archive from before kPublishedFilesCf holds the bytes inline.
  for (v1::Artifact& artifact : *artifacts) {
    if (!artifact.content().empty()) artifact.set_size_bytes(static_cast<int64_t>(artifact.content().size()));
  }
  // The bytes of a file whose record holds only its size.
  auto read_content = [&](v1::Artifact& artifact) -> absl::Status {
    if (!artifact.content().empty() || artifact.size_bytes() == 0) return absl::OkStatus();
    auto file = store_->Get(kPublishedFilesCf, FileKey(key, artifact.format()));
    if (!file.ok()) return file.status();
    v1::Artifact archived;
    if (!file->has_value() || !archived.ParseFromString(**file)) {
      return absl::DataLossError(absl::StrCat("公开文件缺失或不可读 / the published ",
                                              v1::Format_Name(artifact.format()), " file of version ", version, " of ",
                                              request.budget_name(), " is missing or unreadable"));
    }
    artifact.set_content(std::move(*archived.mutable_content()));
    return absl::OkStatus();
  };
  if (request.format() == v1::FORMAT_UNSPECIFIED) {
    if (request.content_offset() != 0) {
      return absl::InvalidArgumentError(
          "content_offset 须与 format 同用 / content_offset pages one file: give its format too");
    }
    // Whole files while they fit in one answer; the rest by format.
    int64_t room = kMaxPublishedContentBytes;
    for (v1::Artifact& artifact : *artifacts) {
      if (artifact.size_bytes() <= room) {
        room -= artifact.size_bytes();
        if (absl::Status read = read_content(artifact); !read.ok()) return read;
      } else {
        artifact.clear_content();
        artifact.set_content_omitted(true);
      }
    }
    return disclosure;
  }
  for (int i = artifacts->size() - 1; i >= 0; --i) {
    if (artifacts->Get(i).format() != request.format()) artifacts->DeleteSubrange(i, 1);
  }
  if (artifacts->empty()) {
    return absl::NotFoundError(absl::StrCat("版本 ", version, " 没有 ", v1::Format_Name(request.format()),
                                            " 文件 / version ", version, " was not published as ",
                                            v1::Format_Name(request.format())));
  }
  if (absl::Status read = read_content(artifacts->at(0)); !read.ok()) return read;
  v1::Artifact& artifact = artifacts->at(0);
  const int64_t size = artifact.size_bytes();
  const int64_t offset = request.content_offset();
  if (offset < 0 || (offset > 0 && offset >= size)) {
    return absl::OutOfRangeError(absl::StrCat("content_offset ", offset, " 不在文件内（", size,
                                              " 字节）/ content_offset ", offset, " is outside the file (", size,
                                              " bytes)"));
  }
  if (offset > 0 || size > kMaxPublishedContentBytes) {
    const int64_t end = std::min(size, offset + kMaxPublishedContentBytes);
    artifact.set_content(artifact.content().substr(offset, end - offset));
    disclosure.set_next_content_offset(end < size ? end : 0);
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
    absl::Status scanned =
        store_->Scan(kPublishedListingCf, prefix, "", [&](std::string_view key, std::string_view value) {
          if (key.size() != prefix.size() + 8) return true;  // another budget whose name extends this one
          v1::PublishedDisclosure disclosure;
          if (disclosure.ParseFromArray(value.data(), static_cast<int>(value.size())))
            versions.push_back(std::move(disclosure));
          return true;
        });
    if (!scanned.ok()) return scanned;
    for (auto it = versions.rbegin(); it != versions.rend(); ++it) *response.add_disclosures() = *it;
    return response;
  }
  // The latest version of each budget whose name starts with the region; the
  // token is the last budget's name.
  const std::string prefix = "regions/" + request.region();
  if (!request.page_token().empty()) {
    absl::StatusOr<BudgetName> after = ParseBudgetPageToken(request.page_token(), prefix);
    if (!after.ok()) return after.status();
  }
  absl::Status failed = absl::OkStatus();
  absl::Status scanned =
      store_->Scan(kPublishedLatestCf, prefix, request.page_token(), [&](std::string_view key, std::string_view value) {
        auto stored = store_->Get(kPublishedListingCf, std::string(key) + std::string(value));
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
        *response.add_disclosures() = std::move(disclosure);
        return true;
      });
  if (!scanned.ok()) return scanned;
  if (!failed.ok()) return failed;
  return response;
}

}  // namespace yusuan::report
