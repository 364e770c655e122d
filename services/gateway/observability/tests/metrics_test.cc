// The metrics registry and its Prometheus text exposition (format 0.0.4):
// counting, histogram buckets, the in-flight gauge, escaping, number
// spelling, concurrent updates, and the grammar of every line.
#include "services/gateway/observability/metrics.h"

#include <cmath>
#include <limits>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace yusuan::gateway {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(MetricsRegistry, CountsRequestsAndErrorsByFaceMethodAndCode) {
  MetricsRegistry metrics;
  for (int i = 0; i < 3; ++i) {
    metrics.RequestStarted(Face::kGrpc);
    metrics.RequestFinished(Face::kGrpc, "GetBudget", "OK", false, 0.001);
  }
  metrics.RequestStarted(Face::kGrpc);
  metrics.RequestFinished(Face::kGrpc, "GetBudget", "NOT_FOUND", true, 0.002);
  metrics.RequestStarted(Face::kRest);
  metrics.RequestFinished(Face::kRest, "GET /v1/rules", "200", false, 0.003);

  EXPECT_EQ(metrics.Requests(Face::kGrpc, "GetBudget", "OK"), 3u);
  EXPECT_EQ(metrics.Errors(Face::kGrpc, "GetBudget", "OK"), 0u);
  EXPECT_EQ(metrics.Requests(Face::kGrpc, "GetBudget", "NOT_FOUND"), 1u);
  EXPECT_EQ(metrics.Errors(Face::kGrpc, "GetBudget", "NOT_FOUND"), 1u);
  EXPECT_EQ(metrics.Requests(Face::kRest, "GET /v1/rules", "200"), 1u);
  // The faces are apart: the same method name on REST is another series.
  EXPECT_EQ(metrics.Requests(Face::kRest, "GetBudget", "OK"), 0u);
  EXPECT_EQ(metrics.DurationCount(Face::kGrpc, "GetBudget"), 4u);
  EXPECT_EQ(metrics.InFlight(Face::kGrpc), 0);
  EXPECT_EQ(metrics.InFlight(Face::kRest), 0);
}

TEST(MetricsRegistry, HistogramBucketsAreCumulativeWithInclusiveUpperBounds) {
  MetricsRegistry metrics;
  for (double seconds : {0.003, 0.005, 0.2, 0.25, 7.0, 30.0}) {
    metrics.RequestStarted(Face::kGrpc);
    metrics.RequestFinished(Face::kGrpc, "RenderReport", "OK", false, seconds);
  }
  EXPECT_EQ(metrics.DurationAtOrBelow(Face::kGrpc, "RenderReport", 0.005), 2u);  // le is inclusive
  EXPECT_EQ(metrics.DurationAtOrBelow(Face::kGrpc, "RenderReport", 0.1), 2u);
  EXPECT_EQ(metrics.DurationAtOrBelow(Face::kGrpc, "RenderReport", 0.25), 4u);
  EXPECT_EQ(metrics.DurationAtOrBelow(Face::kGrpc, "RenderReport", 10), 5u);
  EXPECT_EQ(metrics.DurationAtOrBelow(Face::kGrpc, "RenderReport", std::numeric_limits<double>::infinity()), 6u);
  const std::string text = metrics.Exposition();
  EXPECT_NE(text.find("yusuan_gateway_request_duration_seconds_bucket{face=\"grpc\",method="
                      "\"RenderReport\",le=\"0.005\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("yusuan_gateway_request_duration_seconds_bucket{face=\"grpc\",method="
                      "\"RenderReport\",le=\"10\"} 5\n"),
            std::string::npos);
  EXPECT_NE(text.find("yusuan_gateway_request_duration_seconds_bucket{face=\"grpc\",method="
                      "\"RenderReport\",le=\"+Inf\"} 6\n"),
            std::string::npos);
  EXPECT_NE(text.find("yusuan_gateway_request_duration_seconds_count{face=\"grpc\",method="
                      "\"RenderReport\"} 6\n"),
            std::string::npos);
  double sum = 0;  // the same additions in the same order: the same double
  for (double seconds : {0.003, 0.005, 0.2, 0.25, 7.0, 30.0}) sum += seconds;
  EXPECT_NE(text.find("yusuan_gateway_request_duration_seconds_sum{face=\"grpc\",method="
                      "\"RenderReport\"} " +
                      FormatSampleValue(sum) + "\n"),
            std::string::npos);
}

TEST(MetricsRegistry, InFlightGaugeFollowsStartsAndFinishes) {
  MetricsRegistry metrics;
  metrics.RequestStarted(Face::kRest);
  metrics.RequestStarted(Face::kRest);
  metrics.RequestStarted(Face::kGrpc);
  EXPECT_EQ(metrics.InFlight(Face::kRest), 2);
  EXPECT_EQ(metrics.InFlight(Face::kGrpc), 1);
  EXPECT_NE(metrics.Exposition().find("yusuan_gateway_in_flight_requests{face=\"rest\"} 2\n"), std::string::npos);
  metrics.RequestFinished(Face::kRest, "GET /healthz", "200", false, 0);
  EXPECT_EQ(metrics.InFlight(Face::kRest), 1);
}

// The whole exposition of a small registry, byte for byte: the order of
// families and series, HELP/TYPE lines, bucket bounds, sum and count.
TEST(MetricsRegistry, ExpositionIsTheTextFormatByteForByte) {
  MetricsRegistry metrics;
  metrics.RequestStarted(Face::kRest);
  metrics.RequestFinished(Face::kRest, "GET /v1/regions/{r}/departments", "403", true, 0.0125);
  metrics.RequestStarted(Face::kGrpc);
  metrics.RequestFinished(Face::kGrpc, "GetBudget", "OK", false, 0.5);
  const std::string expected =
      "# HELP yusuan_gateway_requests_total Requests answered by the gateway, by face (grpc, rest), "
      "method (RPC name or REST route) and code (gRPC code name or HTTP status). 网关应答的请求数。\n"
      "# TYPE yusuan_gateway_requests_total counter\n"
      "yusuan_gateway_requests_total{face=\"grpc\",method=\"GetBudget\",code=\"OK\"} 1\n"
      "yusuan_gateway_requests_total{face=\"rest\",method=\"GET /v1/regions/{r}/departments\","
      "code=\"403\"} 1\n"
      "# HELP yusuan_gateway_errors_total Requests answered with an error (gRPC code other than OK, "
      "HTTP status 400 or above), by face, method and code. 以错误应答的请求数。\n"
      "# TYPE yusuan_gateway_errors_total counter\n"
      "yusuan_gateway_errors_total{face=\"rest\",method=\"GET /v1/regions/{r}/departments\","
      "code=\"403\"} 1\n"
      "# HELP yusuan_gateway_request_duration_seconds Time from a request's arrival to its answer, "
      "in seconds, by face and method. 请求耗时（秒）。\n"
      "# TYPE yusuan_gateway_request_duration_seconds histogram\n"
      "yusuan_gateway_request_duration_seconds_bucket{face=\"grpc\",method=\"GetBudget\",le=\"0.005\"} 0\n"
      "yusuan_gateway_request_duration_seconds_bucket{face=\"grpc\",method=\"GetBudget\",le=\"0.01\"} 0\n"
      "yusuan_gateway_request_duration_seconds_bucket{face=\"grpc\",method=\"GetBudget\",le=\"0.025\"} 0\n"
      "yusuan_gateway_request_duration_seconds_bucket{face=\"grpc\",method=\"GetBudget\",le=\"0.05\"} 0\n"
      "yusuan_gateway_request_duration_seconds_bucket{face=\"grpc\",method=\"GetBudget\",le=\"0.1\"} 0\n"
      "yusuan_gateway_request_duration_seconds_bucket{face=\"grpc\",method=\"GetBudget\",le=\"0.25\"} 0\n"
      "yusuan_gateway_request_duration_seconds_bucket{face=\"grpc\",method=\"GetBudget\",le=\"0.5\"} 1\n"
      "yusuan_gateway_request_duration_seconds_bucket{face=\"grpc\",method=\"GetBudget\",le=\"1\"} 1\n"
      "yusuan_gateway_request_duration_seconds_bucket{face=\"grpc\",method=\"GetBudget\",le=\"2.5\"} 1\n"
      "yusuan_gateway_request_duration_seconds_bucket{face=\"grpc\",method=\"GetBudget\",le=\"5\"} 1\n"
      "yusuan_gateway_request_duration_seconds_bucket{face=\"grpc\",method=\"GetBudget\",le=\"10\"} 1\n"
      "yusuan_gateway_request_duration_seconds_bucket{face=\"grpc\",method=\"GetBudget\",le=\"+Inf\"} 1\n"
      "yusuan_gateway_request_duration_seconds_sum{face=\"grpc\",method=\"GetBudget\"} 0.5\n"
      "yusuan_gateway_request_duration_seconds_count{face=\"grpc\",method=\"GetBudget\"} 1\n"
      "yusuan_gateway_request_duration_seconds_bucket{face=\"rest\",method=\"GET /v1/regions/{r}/departments\",le=\"0.005\"} 0\n"
      "yusuan_gateway_request_duration_seconds_bucket{face=\"rest\",method=\"GET /v1/regions/{r}/departments\",le=\"0.01\"} 0\n"
      "yusuan_gateway_request_duration_seconds_bucket{face=\"rest\",method=\"GET /v1/regions/{r}/departments\",le=\"0.025\"} 1\n"
      "yusuan_gateway_request_duration_seconds_bucket{face=\"rest\",method=\"GET /v1/regions/{r}/departments\",le=\"0.05\"} 1\n"
      "yusuan_gateway_request_duration_seconds_bucket{face=\"rest\",method=\"GET /v1/regions/{r}/departments\",le=\"0.1\"} 1\n"
      "yusuan_gateway_request_duration_seconds_bucket{face=\"rest\",method=\"GET /v1/regions/{r}/departments\",le=\"0.25\"} 1\n"
      "yusuan_gateway_request_duration_seconds_bucket{face=\"rest\",method=\"GET /v1/regions/{r}/departments\",le=\"0.5\"} 1\n"
      "yusuan_gateway_request_duration_seconds_bucket{face=\"rest\",method=\"GET /v1/regions/{r}/departments\",le=\"1\"} 1\n"
      "yusuan_gateway_request_duration_seconds_bucket{face=\"rest\",method=\"GET /v1/regions/{r}/departments\",le=\"2.5\"} 1\n"
      "yusuan_gateway_request_duration_seconds_bucket{face=\"rest\",method=\"GET /v1/regions/{r}/departments\",le=\"5\"} 1\n"
      "yusuan_gateway_request_duration_seconds_bucket{face=\"rest\",method=\"GET /v1/regions/{r}/departments\",le=\"10\"} 1\n"
      "yusuan_gateway_request_duration_seconds_bucket{face=\"rest\",method=\"GET /v1/regions/{r}/departments\",le=\"+Inf\"} 1\n"
      "yusuan_gateway_request_duration_seconds_sum{face=\"rest\",method=\"GET /v1/regions/{r}/departments\"} 0.0125\n"
      "yusuan_gateway_request_duration_seconds_count{face=\"rest\",method=\"GET /v1/regions/{r}/departments\"} 1\n"
      "# HELP yusuan_gateway_in_flight_requests Requests being handled now (a scrape of /metrics "
      "counts itself), by face. 正在处理的请求数。\n"
      "# TYPE yusuan_gateway_in_flight_requests gauge\n"
      "yusuan_gateway_in_flight_requests{face=\"grpc\"} 0\n"
      "yusuan_gateway_in_flight_requests{face=\"rest\"} 0\n";
  EXPECT_EQ(metrics.Exposition(), expected);
}

TEST(MetricsRegistry, EmptyRegistryStillDeclaresEveryFamily) {
  MetricsRegistry metrics;
  const std::string text = metrics.Exposition();
  for (const char* family :
       {"yusuan_gateway_requests_total counter", "yusuan_gateway_errors_total counter",
        "yusuan_gateway_request_duration_seconds histogram", "yusuan_gateway_in_flight_requests gauge"}) {
    EXPECT_NE(text.find(std::string("# TYPE ") + family + "\n"), std::string::npos) << family;
  }
}

TEST(TextFormat, LabelValuesAreEscaped) {
  EXPECT_EQ(EscapeLabelValue("plain /v1/{r}"), "plain /v1/{r}");
  EXPECT_EQ(EscapeLabelValue("a\"b"), "a\\\"b");
  EXPECT_EQ(EscapeLabelValue("a\\b"), "a\\\\b");
  EXPECT_EQ(EscapeLabelValue("a\nb"), "a\\nb");
  EXPECT_EQ(EscapeLabelValue("科协"), "科协");               // UTF-8 passes as it is
  EXPECT_EQ(EscapeHelpText("a\\b\nc\"d"), "a\\\\b\\nc\"d");  // quotes stay in HELP

  MetricsRegistry metrics;
  metrics.RequestStarted(Face::kRest);
  metrics.RequestFinished(Face::kRest, "odd \"method\"\\\n", "200", false, 0.001);
  EXPECT_NE(
      metrics.Exposition().find("yusuan_gateway_requests_total{face=\"rest\",method=\"odd \\\"method\\\"\\\\\\n\","
                                "code=\"200\"} 1\n"),
      std::string::npos)
      << metrics.Exposition();
}

TEST(TextFormat, SampleValuesUseTheShortestExactSpelling) {
  EXPECT_EQ(FormatSampleValue(0.005), "0.005");
  EXPECT_EQ(FormatSampleValue(1), "1");
  EXPECT_EQ(FormatSampleValue(2.5), "2.5");
  EXPECT_EQ(FormatSampleValue(0), "0");
  EXPECT_EQ(FormatSampleValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatSampleValue(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(FormatSampleValue(std::nan("")), "NaN");
  EXPECT_EQ(std::stod(FormatSampleValue(0.1 + 0.2)), 0.1 + 0.2);  // round-trips
}

// Every line is a comment (HELP/TYPE) or a sample `name{labels} value`, and
// every sample's family was declared by a TYPE line before it.
TEST(TextFormat, EveryLineFollowsTheGrammar) {
  MetricsRegistry metrics;
  metrics.RequestStarted(Face::kRest);
  metrics.RequestFinished(Face::kRest, "POST /v1/regions/{r}/departments/{a}/budgets/{y}:submit", "400", true, 0.02);
  metrics.RequestStarted(Face::kGrpc);
  metrics.RequestFinished(Face::kGrpc, "ApplyFiling", "INVALID_ARGUMENT", true, 0.7);
  const std::regex comment(R"(# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) .+)");
  const std::regex label(R"([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")");
  const std::regex sample(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")*\})? ([-+0-9.eEInfNa]+))");
  std::set<std::string> declared;
  const std::string text = metrics.Exposition();
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  for (const std::string& line : Lines(text)) {
    std::smatch match;
    if (std::regex_match(line, match, comment)) {
      if (match[1] == "TYPE") declared.insert(match[2]);
      continue;
    }
    ASSERT_TRUE(std::regex_match(line, match, sample)) << line;
    std::string family = match[1];
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      const std::string s = suffix;
      if (family.size() > s.size() && family.compare(family.size() - s.size(), s.size(), s) == 0 &&
          declared.count(family.substr(0, family.size() - s.size())) > 0) {
        family.resize(family.size() - s.size());
      }
    }
    EXPECT_TRUE(declared.count(family)) << "sample before its TYPE line: " << line;
  }
}

TEST(MetricsRegistry, WhatAddedSourcesWriteFollowsTheRegistrysOwnFamilies) {
  MetricsRegistry metrics;
  const std::string own = metrics.Exposition();
  int calls = 0;
  metrics.AddSource([&calls] {
    ++calls;
    return std::string("# HELP extra_total An extra family.\n# TYPE extra_total counter\nextra_total 7\n");
  });
  const std::string text = metrics.Exposition();
  EXPECT_EQ(text, own + "# HELP extra_total An extra family.\n# TYPE extra_total counter\nextra_total 7\n");
  // Asked at each scrape: its numbers are current.
  metrics.Exposition();
  EXPECT_EQ(calls, 2);
}

TEST(MetricsRegistry, ConcurrentUpdatesAreAllCounted) {
  MetricsRegistry metrics;
  constexpr int kThreads = 8;
  constexpr int kEach = 5000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&metrics, t] {
      for (int i = 0; i < kEach; ++i) {
        const Face face = t % 2 == 0 ? Face::kGrpc : Face::kRest;
        metrics.RequestStarted(face);
        metrics.RequestFinished(face, "M", i % 10 == 0 ? "500" : "200", i % 10 == 0, 0.001);
        if (i % 1000 == 0) metrics.Exposition();  // reads race with writes too
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const uint64_t per_face = kThreads / 2 * kEach;
  EXPECT_EQ(metrics.Requests(Face::kGrpc, "M", "200") + metrics.Requests(Face::kGrpc, "M", "500"), per_face);
  EXPECT_EQ(metrics.Errors(Face::kRest, "M", "500"), per_face / 10);
  EXPECT_EQ(metrics.DurationCount(Face::kRest, "M"), per_face);
  EXPECT_EQ(metrics.InFlight(Face::kGrpc), 0);
  EXPECT_EQ(metrics.InFlight(Face::kRest), 0);
}

}  // namespace
}  // namespace yusuan::gateway
