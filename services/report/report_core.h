// The report service's business core: renders through the render cache and
// keeps the archive of published disclosures (storage keys, idempotent
// publication, the artifact index), over a Store, with protobuf messages in
// and out and absl::Status for refusals (structured details as payloads,
// errors.h). No gRPC here: report_server.h adapts it, and tests run it on a
// temporary Store.
//
// No clock: the only time the service writes is the version's publish time,
// which the input carries (the gateway stamps it), so that every publication
// of one version yields the same bytes.
#ifndef YUSUAN_SERVICES_REPORT_REPORT_CORE_H_
#define YUSUAN_SERVICES_REPORT_REPORT_CORE_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/core.h"
#include "services/common/store.h"
#include "yusuan/report/v1/report.pb.h"

namespace yusuan::report {

// SHA-256 of a RenderRequest and the renderer version → the Artifact.
inline constexpr char kRenderCacheCf[] = "render_cache";
// big-endian render time (ms) + a render_cache key → "": the cache in the
// order it was filled, so entries past their age go without reading them.
inline constexpr char kRenderCacheAgeCf[] = "render_cache_age";
// How long a render stays cached after it was made: every revision of every
// budget rendered is a new entry, and nothing else would remove it.
inline constexpr int64_t kRenderCacheMaxAgeMs = int64_t{7} * 24 * 60 * 60 * 1000;
// budget name + big-endian version → PublishedDisclosure (immutable),
// without the files' bytes (each artifact's size set): they are in
// kPublishedFilesCf. An archive from before that holds them inline until
// EnsurePublishedFiles moves them.
inline constexpr char kPublishedCf[] = "published";
// budget name + big-endian version + one byte, the Format → that Artifact
// with its bytes: one published file is read without the others (a
// disclosure is about a megabyte, most of it the PDF).
inline constexpr char kPublishedFilesCf[] = "published_files";
// budget name → big-endian latest published version.
inline constexpr char kPublishedLatestCf[] = "published_latest";
// budget name + big-endian version → that PublishedDisclosure without the
// bytes (each artifact's size set): what lists read, a few hundred bytes
// where the archived disclosure is about a megabyte.
inline constexpr char kPublishedListingCf[] = "published_listing";
// artifact SHA-256 (hex) → VerifyArtifactResponse without latest_version.
inline constexpr char kArtifactIndexCf[] = "artifact_index";
// budget name + big-endian version → StagedPublication (with the bytes): a
// version rendered and archived before the ledger marked it, not public
// until confirmed (then it moves to kPublishedCf).
inline constexpr char kStagedCf[] = "staged";

std::vector<std::string> ReportColumnFamilies();

// Deletes the renders cached before now_ms − max_age_ms, in batches of a
// write group; how many. A data directory from before the render cache had
// ages is emptied of it once (it is a cache: what is asked again is
// rendered again).
absl::StatusOr<int64_t> PurgeRenderCache(Store& store, int64_t now_ms, int64_t max_age_ms = kRenderCacheMaxAgeMs);

// A data directory from before kPublishedListingCf: lists every archived
// version there once. How many it added.
absl::StatusOr<int64_t> EnsurePublishedListing(Store& store);

// A data directory from before kPublishedFilesCf: moves each archived
// version's files there, a few versions per write. How many versions it
// moved.
absl::StatusOr<int64_t> EnsurePublishedFiles(Store& store);

class ReportCore {
 public:
  template <typename T>
  using Done = ::yusuan::Done<T>;

  // `store` is not owned and must outlive the core and every write it submitted.
  explicit ReportCore(Store* store);

  // A cached render when there is one; otherwise renders and hands the result
  // to the cache without waiting for it (a lost entry costs a re-render).
  // With a revision key, the render is cached under it as well.
  absl::StatusOr<v1::Artifact> Render(const v1::RenderRequest& request);
  // The serialized Artifact cached under a revision key; NOT_FOUND when none.
  absl::StatusOr<std::string> GetCachedRenderWire(const v1::GetCachedRenderRequest& request) const;
  // A region's roll-up as a file (domain/rollup_render.h); not cached: the
  // sums change with every filing.
  absl::StatusOr<v1::Artifact> RenderRollup(const v1::RenderRollupRequest& request) const;
  // Publication in the gateway's order (report.proto): render → stage →
  // (the ledger marks) → confirm. Each `done` runs once: on the store's
  // writer thread when the write is durable or refused there, or on the
  // calling thread when the request is refused before (a render that fails).
  // Answers carry the artifacts without their bytes.
  //
  // Renders every requested format and stores them staged, invisible to
  // every read below. The same version and input again answers what is
  // stored, staged or confirmed, without rendering (the first intent stays);
  // another input under the same version is FAILED_PRECONDITION
  // (ALREADY_STAGED, or ALREADY_PUBLISHED once confirmed).
  void StagePublication(const v1::PublishRequest& request, Done<v1::PublishedDisclosure> done);
  // Moves a staged version to the archive, the latest version and the
  // artifact index in one write. A confirmed version answers the same;
  // NOT_FOUND (NOT_STAGED) when neither.
  void ConfirmPublication(const v1::ConfirmPublicationRequest& request, Done<v1::PublishedDisclosure> done);
  // Deletes a staged version (never a confirmed one).
  void AbandonPublication(const v1::AbandonPublicationRequest& request, Done<v1::AbandonPublicationResponse> done);
  absl::StatusOr<v1::ListStagedPublicationsResponse> ListStagedPublications(
      const v1::ListStagedPublicationsRequest& request) const;
  absl::StatusOr<v1::PublishedDisclosure> GetPublished(const v1::GetPublishedRequest& request) const;
  // Whether the bytes are one of the published artifacts (never an error
  // for unknown bytes: official is false).
  absl::StatusOr<v1::VerifyArtifactResponse> VerifyArtifact(const v1::VerifyArtifactRequest& request) const;
  absl::StatusOr<v1::ListPublishedResponse> ListPublished(const v1::ListPublishedRequest& request) const;

 private:
  // Stores a render under each key, without waiting (a lost entry costs a re-render).
  void Cache(std::vector<std::string> keys, std::string artifact_bytes);

  Store* store_;
};

}  // namespace yusuan::report

#endif  // YUSUAN_SERVICES_REPORT_REPORT_CORE_H_
