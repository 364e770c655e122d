// Immutable revisions with a current pointer, etags and idempotency keys,
// as mutations on a Store. Used by the ledger (budgets) and goals (goal sets).
#ifndef YUSUAN_SERVICES_COMMON_REVISIONS_H_
#define YUSUAN_SERVICES_COMMON_REVISIONS_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "services/common/paging.h"
#include "services/common/store.h"
#include "services/common/store_keys.h"
#include "services/common/wire.h"

namespace yusuan {

struct RevisionedFamilies {
  std::string heads;      // key → current revision number (big-endian 64)
  std::string revisions;  // key + big-endian revision → serialized resource
};

// "r3-5f2a9c1e": the revision and a fingerprint of its content.
std::string MakeEtag(int64_t revision, const std::string& serialized);

int64_t NowUnixMillis();

// The current revision number of `key`, 0 when none.
absl::StatusOr<int64_t> CurrentRevision(Store::Txn& txn, const RevisionedFamilies& families, const std::string& key);

// Reads revision `revision` (0: current) of `key` from committed state.
absl::StatusOr<std::string> ReadRevision(const Store& store, const RevisionedFamilies& families, const std::string& key,
                                         int64_t revision);

// Inside a mutation: refuses with ABORTED an etag that is set and is not
// the etag of revision `current` of `key` (0: none).
template <typename Resource>
absl::Status CheckEtag(Store::Txn& txn, const RevisionedFamilies& families, const std::string& key, int64_t current,
                       const Resource& resource) {
  if (resource.etag().empty()) return absl::OkStatus();
  std::string current_etag;
  if (current > 0) {
    auto stored = txn.Get(families.revisions, key + EncodeBigEndian64(current));
    if (!stored.ok()) return stored.status();
    Resource previous;
    if (stored->has_value()) previous.ParseFromString(**stored);
    current_etag = previous.etag();
  }
  if (resource.etag() == current_etag) return absl::OkStatus();
  return absl::AbortedError(
      absl::StrCat("etag 已过期：资源已被他人修改 / stale etag: the resource changed since you read it "
                   "(yours ",
                   resource.etag(), ", current ", current_etag.empty() ? "(none)" : current_etag,
                   "); read it again and reapply your change"));
}

// Stores `resource` as revision `revision` of `key` (setting its revision,
// etag and update time `now_ms`, the caller's clock) without moving the
// current pointer.
template <typename Resource>
void StoreRevision(Store::Txn& txn, const RevisionedFamilies& families, const std::string& key, int64_t revision,
                   int64_t now_ms, Resource& resource) {
  resource.set_revision(revision);
  resource.set_etag("");
  resource.set_update_time_unix_ms(now_ms);
  // Serialized once: the etag is the fingerprint of these bytes, and the
  // stored record is them with the etag field appended (wire.h: it parses
  // as the resource with its etag set).
  std::string bytes = resource.SerializeAsString();
  resource.set_etag(MakeEtag(revision, bytes));
  AppendStringField(Resource::kEtagFieldNumber, resource.etag(), &bytes);
  txn.Put(families.revisions, key + EncodeBigEndian64(revision), bytes);
}

// Inside a mutation: refuses a stale etag with ABORTED, then stores `resource`
// as revision n+1 and moves the current pointer. `Resource` is a message with
// revision/etag/update_time_unix_ms.
template <typename Resource>
absl::Status WriteNextRevision(Store::Txn& txn, const RevisionedFamilies& families, const std::string& key,
                               int64_t now_ms, Resource& resource) {
  absl::StatusOr<int64_t> current = CurrentRevision(txn, families, key);
  if (!current.ok()) return current.status();
  if (absl::Status fresh = CheckEtag(txn, families, key, *current, resource); !fresh.ok()) return fresh;
  const int64_t next = *current + 1;
  StoreRevision(txn, families, key, next, now_ms, resource);
  txn.Put(families.heads, key, EncodeBigEndian64(next));
  return absl::OkStatus();
}

// What a write remembers for a retry instead of the resource itself: its
// name and revision. A stored revision is immutable until abandoned, and
// abandoning forgets the answer too, so the name and number are enough.
template <typename Resource>
Resource RevisionReference(const Resource& written) {
  Resource reference;
  reference.set_name(written.name());
  reference.set_revision(written.revision());
  return reference;
}

// A replayed answer's `resource` as first answered, read back from revision
// `resource.revision()` of `key`. Answers remembered before RevisionReference
// hold the whole resource (with its etag) and stay as they are.
template <typename Resource>
absl::Status RestoreRevisionReference(Store::Txn& txn, const RevisionedFamilies& families, const std::string& key,
                                      Resource& resource) {
  if (!resource.etag().empty()) return absl::OkStatus();
  auto bytes = txn.Get(families.revisions, key + EncodeBigEndian64(resource.revision()));
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value() || !resource.ParseFromString(**bytes)) {
    return absl::DataLossError(absl::StrCat("revision ", resource.revision(), " of ", resource.name(),
                                            " named by a remembered answer is unreadable"));
  }
  return absl::OkStatus();
}

// A fingerprint of a request's content (deterministic serialization), so a
// reused request id can be told apart from a retry.
std::string RequestFingerprint(const google::protobuf::Message& request);

// Idempotency (AIP-155): a mutation that carries a request id first looks for
// the answer it gave before; when found, `response` holds it and true is
// returned. A request id is the client's for one resource (`resource`, e.g.
// the budget's key): the same id sent for another resource is another
// request, so one department's key never blocks another's. The same id with
// different content on the same resource is refused (FAILED_PRECONDITION):
// answering it with the first request's result would hide the second change.
//
// An answer is remembered for kIdempotencyRetentionMs (30 days) from `now_ms`
// of the write that stored it: a request id seen again after that is a new
// request (its write replaces the old record), and PurgeExpiredAnswers
// deletes what has expired. Records stored before retention existed (under
// keys without the record-format prefix) are never replayed, and purged.
inline constexpr int64_t kIdempotencyRetentionMs = int64_t{30} * 24 * 60 * 60 * 1000;
absl::StatusOr<bool> ReplayIfSeen(Store::Txn& txn, const std::string& cf, const std::string& method,
                                  const std::string& resource, const std::string& request_id,
                                  const std::string& fingerprint, int64_t now_ms, google::protobuf::Message* response);
// Records the answer to a request id for `resource` in the same group as its writes.
void RememberAnswer(Store::Txn& txn, const std::string& cf, const std::string& method, const std::string& resource,
                    const std::string& request_id, const std::string& fingerprint, int64_t now_ms,
                    const google::protobuf::Message& response);
// Deletes the answer to a request id, so that the id is a new request again
// (a staged write that was abandoned: its retry must write again).
void ForgetAnswer(Store::Txn& txn, const std::string& cf, const std::string& method, const std::string& resource,
                  const std::string& request_id);
// Deletes the answers of `cf` older than the retention at `now_ms` (and
// legacy records); returns how many. Deletes `batch` at most per write group,
// so a province's backlog does not become one huge group that holds up the
// requests queued behind it. The services run it at start and every
// kIdempotencyPurgeInterval (PeriodicTask, periodic.h).
inline constexpr int kPurgeBatch = 1000;
inline constexpr int64_t kIdempotencyPurgeIntervalMs = int64_t{60} * 60 * 1000;
absl::StatusOr<int64_t> PurgeExpiredAnswers(Store& store, const std::string& cf, int64_t now_ms,
                                            int batch = kPurgeBatch);

// One page of the entries stored under `prefix` + big-endian sequence number
// (revisions, versions), leaving out the numbers `hidden` names (staged
// revisions). The page token is the last sequence number returned
// (NumberedPageToken).
template <typename Entry>
absl::StatusOr<std::string> ScanNumberedPage(
    const Store& store, const std::string& cf, const std::string& prefix, const std::string& page_token, int page_size,
    google::protobuf::RepeatedPtrField<Entry>* out,
    const std::function<bool(int64_t)>& hidden = [](int64_t) { return false; }) {
  std::string start_after;
  if (!page_token.empty()) {
    absl::StatusOr<int64_t> after = ParseNumberedPageToken(page_token);
    if (!after.ok()) return after.status();
    start_after = prefix + EncodeBigEndian64(static_cast<uint64_t>(*after));
  }
  bool more = false;
  std::string last;
  absl::Status status = store.Scan(cf, prefix, start_after, [&](std::string_view key, std::string_view value) {
    if (key.size() != prefix.size() + 8) return true;  // another resource's longer key
    const auto number = static_cast<int64_t>(DecodeBigEndian64(key.substr(prefix.size())));
    if (hidden(number)) return true;
    if (out->size() == page_size) {
      more = true;
      return false;
    }
    out->Add()->ParseFromString(std::string(value));
    last = NumberedPageToken(number);
    return true;
  });
  if (!status.ok()) return status;
  return more ? last : std::string();
}

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_REVISIONS_H_
