#include "services/gateway/observability/access_log.h"

#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "nlohmann/json.hpp"

namespace yusuan::gateway {

std::string FormatAccessLogLine(const AccessRecord& record) {
  // ordered_json: the fields stay in the documented order (time first),
  // which is what a person tailing the log reads.
  nlohmann::ordered_json line;
  line["time"] = FormatRfc3339Millis(record.time);
  line["face"] = record.face;
  line["method"] = record.method;
  if (!record.resource.empty()) line["resource"] = record.resource;
  line["code"] = record.code;
  if (record.http_status != 0) line["http_status"] = record.http_status;
  // Microsecond resolution is all the clock gives meaningfully; rounding
  // keeps the number short ("1.234", not "1.2340000000000002").
  line["duration_ms"] = std::round(record.duration_ms * 1000.0) / 1000.0;
  line["request_id"] = record.request_id;
  if (!record.subject.empty()) line["subject"] = record.subject;
  if (!record.role.empty()) line["role"] = record.role;
  if (!record.peer.empty()) line["peer"] = record.peer;
  line["bytes_out"] = record.bytes_out;
  // replace: nlohmann throws on invalid UTF-8 otherwise, and a client's
  // header may be anything.
  return line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string FormatRfc3339Millis(std::chrono::system_clock::time_point time) {
  const auto since_epoch = time.time_since_epoch();
  auto seconds = std::chrono::floor<std::chrono::seconds>(since_epoch);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds);
  const std::time_t t = static_cast<std::time_t>(seconds.count());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[40];
  const size_t length = std::strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof(out), "%.*s.%03dZ", static_cast<int>(length), stamp, static_cast<int>(millis.count()));
  return out;
}

std::string AcceptableRequestId(std::string_view value) {
  if (value.empty() || value.size() > 128) return "";
  for (const char c : value) {
    if (c < 0x20 || c > 0x7E) return "";
  }
  return std::string(value);
}

std::string NormalizeGrpcPeer(std::string_view peer) {
  for (std::string_view prefix : {"ipv4:", "ipv6:"}) {
    if (peer.substr(0, prefix.size()) == prefix) return std::string(peer.substr(prefix.size()));
  }
  return std::string(peer);
}

std::string FormatHttpPeer(const std::string& address, int port) {
  if (address.empty()) return "";
  const bool v6 = address.find(':') != std::string::npos;
  std::string out = v6 ? "[" + address + "]" : address;
  if (port > 0) out += ":" + std::to_string(port);
  return out;
}

AccessLog::AccessLog(Sink sink) : sink_(std::move(sink)) {}

void AccessLog::Write(const AccessRecord& record) {
  std::string line = FormatAccessLogLine(record);
  if (sink_) {
    sink_(line);
    return;
  }
  line.push_back('\n');
  // One write(2) per line: with O_APPEND (the usual log file) or a pipe,
  // concurrent lines land whole, without a lock across requests.
  const char* data = line.data();
  size_t left = line.size();
  while (left > 0) {
    const ssize_t written = ::write(STDERR_FILENO, data, left);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return;  // nowhere to log to: the request still succeeds
    data += written;
    left -= static_cast<size_t>(written);
  }
}

}  // namespace yusuan::gateway
