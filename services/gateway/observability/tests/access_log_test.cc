// The access log's line format: one line of JSON, fields in the documented
// order, optional ones left out, hostile strings kept on one line.
#include "services/gateway/observability/access_log.h"

#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace yusuan::gateway {
namespace {

std::chrono::system_clock::time_point At(int64_t unix_ms) {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(unix_ms));
}

AccessRecord RestRecord() {
  AccessRecord record;
  record.time = At(1614834367089);  // 2021-03-04T05:06:07.089Z
  record.face = "rest";
  record.method = "GET /v1/regions/{r}/departments/{a}/budgets/{y}";
  record.resource = "/v1/regions/420107/departments/005001022/budgets/2021";
  record.code = "200";
  record.http_status = 200;
  record.duration_ms = 1.23456;
  record.request_id = "req-1";
  record.subject = "zhang.san";
  record.role = "preparer";
  record.peer = "127.0.0.1:53412";
  record.bytes_out = 5120;
  return record;
}

TEST(FormatAccessLogLine, WritesEveryFieldInOrderOnOneLine) {
  const std::string line = FormatAccessLogLine(RestRecord());
  EXPECT_EQ(line,
            "{\"time\":\"2021-03-04T05:06:07.089Z\",\"face\":\"rest\","
            "\"method\":\"GET /v1/regions/{r}/departments/{a}/budgets/{y}\","
            "\"resource\":\"/v1/regions/420107/departments/005001022/budgets/2021\","
            "\"code\":\"200\",\"http_status\":200,\"duration_ms\":1.235,\"request_id\":\"req-1\","
            "\"subject\":\"zhang.san\",\"role\":\"preparer\",\"peer\":\"127.0.0.1:53412\","
            "\"bytes_out\":5120}");
}

TEST(FormatAccessLogLine, LeavesOutWhatIsNotKnown) {
  AccessRecord record;
  record.time = At(0);
  record.face = "grpc";
  record.method = "GetBudget";
  record.code = "UNAUTHENTICATED";
  record.request_id = "x";
  const auto json = nlohmann::json::parse(FormatAccessLogLine(record));
  EXPECT_EQ(json["time"], "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(json["code"], "UNAUTHENTICATED");
  EXPECT_EQ(json["bytes_out"], 0);
  EXPECT_EQ(json["duration_ms"], 0.0);
  for (const char* absent : {"resource", "http_status", "subject", "role", "peer"}) {
    EXPECT_FALSE(json.contains(absent)) << absent;
  }
}

TEST(FormatAccessLogLine, HostileStringsStayOnOneValidLine) {
  AccessRecord record = RestRecord();
  record.request_id = "a\"b\\c\nd\re";
  record.subject = "bad\xff\xfeutf8";
  record.resource = "/v1/\x01";
  const std::string line = FormatAccessLogLine(record);
  EXPECT_EQ(line.find('\n'), std::string::npos) << line;
  EXPECT_EQ(line.find('\r'), std::string::npos) << line;
  const auto json = nlohmann::json::parse(line);  // throws (fails the test) when invalid
  EXPECT_EQ(json["request_id"], "a\"b\\c\nd\re");
  EXPECT_EQ(json["resource"], "/v1/\x01");
  // Invalid UTF-8 is replaced, not a reason to lose the line.
  EXPECT_EQ(json["subject"], "bad\xEF\xBF\xBD\xEF\xBF\xBDutf8");
}

TEST(FormatRfc3339Millis, IsUtcWithMilliseconds) {
  EXPECT_EQ(FormatRfc3339Millis(At(1614834367089)), "2021-03-04T05:06:07.089Z");
  EXPECT_EQ(FormatRfc3339Millis(At(1614834367000)), "2021-03-04T05:06:07.000Z");
  EXPECT_EQ(FormatRfc3339Millis(At(1614834367999) + std::chrono::microseconds(900)),
            "2021-03-04T05:06:07.999Z");  // truncated, never rounded into the next second
}

TEST(AcceptableRequestId, TakesPrintableAsciiUpTo128Characters) {
  EXPECT_EQ(AcceptableRequestId("3f0c-11ee:apply #2"), "3f0c-11ee:apply #2");
  EXPECT_EQ(AcceptableRequestId(std::string(128, 'a')), std::string(128, 'a'));
  EXPECT_EQ(AcceptableRequestId(std::string(129, 'a')), "");
  EXPECT_EQ(AcceptableRequestId(""), "");
  EXPECT_EQ(AcceptableRequestId("a\r\nX-Injected: 1"), "");  // would split the echoed header
  EXPECT_EQ(AcceptableRequestId("请求"), "");
}

TEST(Peers, AreSpelledAlikeForBothFaces) {
  EXPECT_EQ(NormalizeGrpcPeer("ipv4:127.0.0.1:5000"), "127.0.0.1:5000");
  EXPECT_EQ(NormalizeGrpcPeer("ipv6:[::1]:5000"), "[::1]:5000");
  EXPECT_EQ(NormalizeGrpcPeer("unix:/tmp/s"), "unix:/tmp/s");
  EXPECT_EQ(FormatHttpPeer("127.0.0.1", 5000), "127.0.0.1:5000");
  EXPECT_EQ(FormatHttpPeer("::1", 5000), "[::1]:5000");
  EXPECT_EQ(FormatHttpPeer("", -1), "");
}

TEST(AccessLog, HandsEachLineToTheSink) {
  std::vector<std::string> lines;
  AccessLog log([&](const std::string& line) { lines.push_back(line); });
  log.Write(RestRecord());
  log.Write(RestRecord());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], FormatAccessLogLine(RestRecord()));
}

}  // namespace
}  // namespace yusuan::gateway
