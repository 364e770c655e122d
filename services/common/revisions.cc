#include "services/common/revisions.h"

#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace yusuan {
namespace {

// "\x01" marks the record format with a time (8 bytes big-endian Unix ms,
// then the fingerprint, then the answer); method names start with a letter,
// so the records of before have other keys.
constexpr char kAnswerKeyPrefix = '\x01';
constexpr size_t kTimeBytes = 8;

// "\x02": the same record under a key that also names the resource, so the
// same request id sent for two resources is two requests. Records under
// "\x01" (method and id only) were written before; they are replayed only
// for the very request that stored them (same fingerprint) and expire.
constexpr char kScopedAnswerKeyPrefix = '\x02';

std::string LegacyIdempotencyKey(const std::string& method, const std::string& request_id) {
  return absl::StrCat(std::string(1, kAnswerKeyPrefix), method, std::string(1, '\0'), request_id);
}

std::string IdempotencyKey(const std::string& method, const std::string& resource, const std::string& request_id) {
  return absl::StrCat(std::string(1, kScopedAnswerKeyPrefix), method, std::string(1, '\0'), resource,
                      std::string(1, '\0'), request_id);
}

bool IsAnswerKey(std::string_view key) {
  return !key.empty() && (key[0] == kAnswerKeyPrefix || key[0] == kScopedAnswerKeyPrefix);
}

bool Expired(int64_t stored_ms, int64_t now_ms) { return now_ms - stored_ms > kIdempotencyRetentionMs; }

// " on KEY" for a refusal's message when the storage key reads as text; the
// keys of budgets end in a binary year, which a message (a UTF-8 string on
// the wire) must not carry.
std::string OnResource(const std::string& resource, bool chinese) {
  for (const char c : resource) {
    if (c < 0x20 || c > 0x7e) return chinese ? "该资源" : " on the same resource";
  }
  return chinese ? absl::StrCat(" ", resource, " ") : absl::StrCat(" on ", resource);
}

// FNV-1a: a fingerprint for etags, not a security feature.
uint32_t Fingerprint(const std::string& bytes) {
  uint32_t hash = 2166136261u;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 16777619u;
  }
  return hash;
}

}  // namespace

std::string MakeEtag(int64_t revision, const std::string& serialized) {
  return absl::StrFormat("r%d-%08x", revision, Fingerprint(serialized));
}

int64_t NowUnixMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

absl::StatusOr<int64_t> CurrentRevision(Store::Txn& txn, const RevisionedFamilies& families, const std::string& key) {
  auto head = txn.Get(families.heads, key);
  if (!head.ok()) return head.status();
  if (!head->has_value()) return 0;
  return static_cast<int64_t>(DecodeBigEndian64(**head));
}

absl::StatusOr<std::string> ReadRevision(const Store& store, const RevisionedFamilies& families, const std::string& key,
                                         int64_t revision) {
  if (revision <= 0) {
    auto head = store.Get(families.heads, key);
    if (!head.ok()) return head.status();
    if (!head->has_value()) return absl::NotFoundError("not found");
    revision = static_cast<int64_t>(DecodeBigEndian64(**head));
  }
  auto stored = store.Get(families.revisions, key + EncodeBigEndian64(revision));
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) {
    return absl::NotFoundError(absl::StrCat("revision ", revision, " not found"));
  }
  return **stored;
}

std::string RequestFingerprint(const google::protobuf::Message& request) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    request.SerializeToCodedStream(&coded);
  }
  // FNV-1a 64: tells a retry from a different request; not a security feature.
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return EncodeBigEndian64(hash);
}

absl::StatusOr<bool> ReplayIfSeen(Store::Txn& txn, const std::string& cf, const std::string& method,
                                  const std::string& resource, const std::string& request_id,
                                  const std::string& fingerprint, int64_t now_ms, google::protobuf::Message* response) {
  if (request_id.empty()) return false;
  // The record is the stored time, the fingerprint, then the answer.
  auto read = [&](const std::string& key, bool legacy) -> absl::StatusOr<bool> {
    auto seen = txn.Get(cf, key);
    if (!seen.ok()) return seen.status();
    if (!seen->has_value()) return false;
    std::string_view stored = **seen;
    if (stored.size() < kTimeBytes)
      return absl::DataLossError("stored answer of request_id " + request_id + " is unreadable");
    const auto stored_ms = static_cast<int64_t>(DecodeBigEndian64(stored.substr(0, kTimeBytes)));
    if (Expired(stored_ms, now_ms)) return false;
    stored.remove_prefix(kTimeBytes);
    if (stored.size() < fingerprint.size() || stored.compare(0, fingerprint.size(), fingerprint) != 0) {
      // A record of before may be another resource's request under the same id.
      if (legacy) return false;
      return absl::FailedPreconditionError(
          absl::StrCat("request_id \"", request_id, "\" 已用于", OnResource(resource, true),
                       "的另一个不同的请求 / was already used for a different request", OnResource(resource, false),
                       "; use a new request_id for a new change"));
    }
    if (!response->ParseFromString(std::string(stored.substr(fingerprint.size())))) {
      return absl::DataLossError("stored answer of request_id " + request_id + " is unreadable");
    }
    return true;
  };
  auto scoped = read(IdempotencyKey(method, resource, request_id), /*legacy=*/false);
  if (!scoped.ok() || *scoped) return scoped;
  return read(LegacyIdempotencyKey(method, request_id), /*legacy=*/true);
}

void RememberAnswer(Store::Txn& txn, const std::string& cf, const std::string& method, const std::string& resource,
                    const std::string& request_id, const std::string& fingerprint, int64_t now_ms,
                    const google::protobuf::Message& response) {
  if (request_id.empty()) return;
  txn.Put(cf, IdempotencyKey(method, resource, request_id),
          absl::StrCat(EncodeBigEndian64(static_cast<uint64_t>(now_ms)), fingerprint, response.SerializeAsString()));
}

void ForgetAnswer(Store::Txn& txn, const std::string& cf, const std::string& method, const std::string& resource,
                  const std::string& request_id) {
  if (request_id.empty()) return;
  txn.Delete(cf, IdempotencyKey(method, resource, request_id));
}

absl::StatusOr<int64_t> PurgeExpiredAnswers(Store& store, const std::string& cf, int64_t now_ms, int batch) {
  auto is_current = [now_ms](std::string_view key, std::string_view value) {
    return IsAnswerKey(key) && value.size() >= kTimeBytes &&
           !Expired(static_cast<int64_t>(DecodeBigEndian64(value.substr(0, kTimeBytes))), now_ms);
  };
  int64_t purged = 0;
  std::string after;  // the last key looked at
  for (bool more = true; more;) {
    // Find up to `batch` expired answers outside any write group ...
    more = false;
    std::vector<std::string> expired;
    absl::Status scanned = store.Scan(cf, "", after, [&](std::string_view key, std::string_view value) {
      if (static_cast<int>(expired.size()) == batch) {
        more = true;
        return false;
      }
      after = std::string(key);
      if (!is_current(key, value)) expired.emplace_back(key);
      return true;
    });
    if (!scanned.ok()) return scanned;
    if (expired.empty()) continue;
    // ... and delete them in one group, each only if it is still expired: the
    // same request id may have been answered anew since the scan.
    int64_t deleted = 0;
    absl::Status status = store.Apply([&](Store::Txn& txn) {
      deleted = 0;
      for (const std::string& key : expired) {
        auto value = txn.Get(cf, key);
        if (!value.ok()) return value.status();
        if (!value->has_value() || is_current(key, **value)) continue;
        txn.Delete(cf, key);
        ++deleted;
      }
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    purged += deleted;
  }
  return purged;
}

}  // namespace yusuan
