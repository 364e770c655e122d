// The largest input Yusuan takes, as data (README § Limits is this table;
// a test keeps the two in agreement). The gateway refuses a request over a
// limit before any backend sees it, naming the field, the limit and its
// value (rule V-LIMIT); the transports refuse messages over the byte limits.
// The limits are far above any real department, and low enough that every
// file published from a filing within them can be read back (GetPublished
// pages what does not fit in one message).
#ifndef YUSUAN_SERVICES_COMMON_LIMITS_H_
#define YUSUAN_SERVICES_COMMON_LIMITS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "google/protobuf/message.h"

namespace yusuan {

// Characters (code points) of any one text: a name, a phone, a reason.
inline constexpr int64_t kMaxTextCharacters = 10'000;
// Entries of any one list: expenditure lines, projects, indicators.
inline constexpr int64_t kMaxListEntries = 20'000;
// Bytes of one gRPC message, either way, at every service.
inline constexpr int64_t kMaxGrpcMessageBytes = 64 * 1024 * 1024;
// Bytes of one REST request body.
inline constexpr int64_t kMaxRestBodyBytes = 64 * 1024 * 1024;
// Bytes of file content in one GetPublished answer: files past it come
// without content (content_omitted), and one file larger than it comes in
// pages (content_offset / next_content_offset).
inline constexpr int64_t kMaxPublishedContentBytes = 32 * 1024 * 1024;

// Keepalive between the gateway and its backends, so that a backend host
// that vanished without a reset (power or network gone) is found in
// seconds, not at the end of each call's deadline: the gateway pings every
// kKeepalivePingMs and drops a connection whose ping goes unanswered for
// kKeepaliveTimeoutMs; every server accepts pings kMinPingIntervalMs apart.
inline constexpr int kKeepalivePingMs = 2000;
inline constexpr int kKeepaliveTimeoutMs = 1000;
inline constexpr int kMinPingIntervalMs = 1000;
// How long the gateway gives one connection attempt to a backend (gRPC's
// default, 20 s, would keep calls to a vanished host waiting that long).
inline constexpr int kBackendConnectTimeoutMs = 2000;

struct Limit {
  const char* id;  // as named in refusals and in the README
  int64_t value;
  const char* unit;
  const char* what_zh;
  const char* what_en;
};

// Every limit above, in the README's order.
const std::vector<Limit>& Limits();

// A field of a message over kMaxTextCharacters or kMaxListEntries.
struct LimitViolation {
  std::string path;  // JSON names from `root`: "budget.expenditureLines"
  const Limit* limit;
  int64_t actual;
};

// Every string longer than kMaxTextCharacters (in code points) and every
// repeated field with more than kMaxListEntries entries, depth first; at
// most `max_violations` of them.
std::vector<LimitViolation> FindLimitViolations(const google::protobuf::Message& message, const std::string& root,
                                                size_t max_violations = 20);

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_LIMITS_H_
