// The gateway's HTTP front against slow and hostile clients (issue 13, items
// 1, 9 and 12): the real yusuan-gateway on ephemeral loopback ports, driven
// through raw sockets so that each test controls every byte and its timing.
// No backend runs: the backends' addresses are a port nobody answers (or a
// listener that never speaks), so every request here is one the gateway
// answers itself, or one that waits on a backend when a test wants it to.
//
// The bounds are generous (1 s for an answer that takes ~1 ms) so that a
// loaded 2-core CI box does not make them flaky; what they catch are the
// stalls of the old front, which lasted 40 s.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/security/internal_secret.h"
#include "services/security/signing_key.h"
#include "tests/integration/harness.h"
#include "tests/integration/raw_http.h"

namespace yusuan::testing {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

double MillisecondsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

struct Answer {
  bool complete = false;  // a whole response arrived before the deadline
  bool closed = false;    // the server closed the connection
  int status = 0;
  std::string head;
  std::string body;
  double milliseconds = 0;

  std::string Header(const std::string& name) const {
    for (absl::string_view line : absl::StrSplit(head, "\r\n")) {
      const size_t colon = line.find(':');
      if (colon == absl::string_view::npos) continue;
      if (absl::EqualsIgnoreCase(line.substr(0, colon), name)) {
        return std::string(absl::StripAsciiWhitespace(line.substr(colon + 1)));
      }
    }
    return "";
  }
  nlohmann::json Error() const {
    const nlohmann::json json = nlohmann::json::parse(body, nullptr, false);
    return json.is_object() ? json.value("error", nlohmann::json::object()) : nlohmann::json::object();
  }
};

// Reads one response (status line, headers, Content-Length body) from
// `socket` within `timeout`. `leftover` keeps bytes of a following response.
Answer ReadAnswer(Socket& socket, milliseconds timeout, std::string* leftover = nullptr) {
  Answer answer;
  const Clock::time_point start = Clock::now();
  std::string data = leftover != nullptr ? *leftover : "";
  size_t head_end = std::string::npos;
  size_t length = 0;
  for (;;) {
    if (head_end == std::string::npos && (head_end = data.find("\r\n\r\n")) != std::string::npos) {
      answer.head = data.substr(0, head_end);
      std::vector<std::string> words = absl::StrSplit(answer.head, ' ');
      if (words.size() >= 2) (void)absl::SimpleAtoi(words[1], &answer.status);
      (void)absl::SimpleAtoi(answer.Header("Content-Length"), &length);
    }
    if (head_end != std::string::npos && data.size() >= head_end + 4 + length) {
      answer.body = data.substr(head_end + 4, length);
      if (leftover != nullptr) *leftover = data.substr(head_end + 4 + length);
      answer.complete = true;
      break;
    }
    const auto left = timeout - std::chrono::duration_cast<milliseconds>(Clock::now() - start);
    if (left.count() <= 0 || answer.closed) break;
    if (!socket.ReadSome(left, &data, &answer.closed)) break;
  }
  answer.milliseconds = MillisecondsSince(start);
  return answer;
}

// One request on a new connection, timed from connect to the last byte.
Answer Exchange(int port, const std::string& request, milliseconds timeout = milliseconds(10000)) {
  const Clock::time_point start = Clock::now();
  Socket socket(port);
  if (!socket.ok() || !socket.Send(request)) return Answer{};
  Answer answer = ReadAnswer(socket, timeout);
  answer.milliseconds = MillisecondsSince(start);
  return answer;
}

constexpr char kHealthz[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";

// Sends one byte of a header every `period` on each of its sockets, until
// destroyed: the slow-header attack (each byte within any per-read timeout).
class Dribblers {
 public:
  Dribblers(int port, int count, milliseconds period) {
    for (int i = 0; i < count; ++i) {
      auto socket = std::make_unique<Socket>(port);
      if (socket->ok() && socket->Send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")) {
        sockets_.push_back(std::move(socket));
      }
    }
    thread_ = std::thread([this, period] {
      std::unique_lock<std::mutex> lock(mu_);
      while (!done_.load()) {
        for (auto& socket : sockets_) (void)socket->Send("a");
        stop_.wait_for(lock, period, [this] { return done_.load(); });
      }
    });
  }
  ~Dribblers() {
    done_ = true;
    stop_.notify_all();
    thread_.join();
  }
  size_t connected() const { return sockets_.size(); }
  // How many the server has closed so far.
  size_t Closed() {
    std::lock_guard<std::mutex> lock(mu_);
    size_t closed = 0;
    for (auto& socket : sockets_) closed += socket->ClosedByPeer() ? 1 : 0;
    return closed;
  }

 private:
  std::vector<std::unique_ptr<Socket>> sockets_;
  std::mutex mu_;
  std::condition_variable stop_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

// The gateway alone, with a fresh key and internal secret and extra flags.
class Gateway {
 public:
  explicit Gateway(std::vector<std::string> flags, const std::string& backend = "127.0.0.1:1") {
    const std::string key = dir_.path() + "/keys/token-signing.key";
    const std::string secret = dir_.path() + "/secrets/internal.secret";
    ready_ = security::LoadOrCreateSigningKey(key).ok() && security::LoadOrCreateInternalSecret(secret).ok();
    std::vector<std::string> args = {"--grpc_port=0",
                                     "--http_port=0",
                                     "--access_log=false",
                                     "--signing_key_file=" + key,
                                     "--internal_secret_file=" + secret,
                                     "--ledger_address=" + backend,
                                     "--goals_address=" + backend,
                                     "--report_address=" + backend};
    args.insert(args.end(), flags.begin(), flags.end());
    process_ = std::make_unique<ServiceProcess>("gateway", "yusuan-gateway", std::move(args), dir_.path());
    ready_ = ready_ && process_->Start({"port_file", "http_port_file"}, &error_);
  }
  bool ready() const { return ready_; }
  const std::string& error() const { return error_; }
  int http_port() const { return process_->port(1); }
  std::string LogTail() const { return process_->LogTail(); }

 private:
  TempDir dir_;
  std::unique_ptr<ServiceProcess> process_;
  bool ready_ = false;
  std::string error_;
};

#define START_GATEWAY(name, ...) \
  Gateway name(__VA_ARGS__);     \
  ASSERT_TRUE(name.ready()) << name.error();

// Issue 13, item 1 and the "done when": 64 slow clients holding connections
// (32 sending a header byte every 2 s, 32 idle keep-alive connections after
// a request) and a new GET /healthz still answers in under 1 s.
TEST(HttpFront, HealthzAnswersWhileSixtyFourSlowClientsHoldConnections) {
  START_GATEWAY(gateway, {});
  const int port = gateway.http_port();
  Dribblers dribblers(port, 32, milliseconds(2000));
  ASSERT_EQ(dribblers.connected(), 32u);
  std::vector<std::unique_ptr<Socket>> idle;
  for (int i = 0; i < 32; ++i) {
    auto socket = std::make_unique<Socket>(port);
    ASSERT_TRUE(socket->ok());
    // Keep-alive (HTTP/1.1's default), then nothing more.
    ASSERT_TRUE(socket->Send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    idle.push_back(std::move(socket));
  }
  // Past the first dribble, so that every slow client has sent bytes twice
  // and an old-style front has a worker parked on each.
  std::this_thread::sleep_for(milliseconds(2500));
  double worst = 0;
  for (int probe = 0; probe < 3; ++probe) {
    const Answer health = Exchange(port, kHealthz);
    worst = std::max(worst, health.milliseconds);
    ASSERT_TRUE(health.complete) << "no answer in " << health.milliseconds << " ms";
    EXPECT_EQ(health.status, 200);
    EXPECT_NE(health.body.find("SERVING"), std::string::npos) << health.body;
    EXPECT_LT(health.milliseconds, 1000.0) << "probe " << probe;
    std::this_thread::sleep_for(milliseconds(700));
  }
  std::printf("GET /healthz under 64 slow clients: worst of 3 probes %.1f ms\n", worst);
  ::testing::Test::RecordProperty("healthz_worst_ms", static_cast<int>(worst));
  // The slow clients were held, not refused: the front did not buy the
  // answer by closing them.
  EXPECT_EQ(dribblers.Closed(), 0u);
  size_t idle_open = 0;
  for (auto& socket : idle) idle_open += socket->ClosedByPeer() ? 0 : 1;
  EXPECT_EQ(idle_open, idle.size());
}

// A deadline for the whole request head, not per read: a byte every 200 ms
// never trips a per-read timeout, and is cut at the head deadline.
TEST(HttpFront, TheHeadHasOneDeadline) {
  START_GATEWAY(gateway, {"--http_head_timeout_ms=1000"});
  const Clock::time_point start = Clock::now();
  Dribblers dribbler(gateway.http_port(), 1, milliseconds(200));
  ASSERT_EQ(dribbler.connected(), 1u);
  while (dribbler.Closed() == 0 && MillisecondsSince(start) < 8000) std::this_thread::sleep_for(milliseconds(50));
  EXPECT_EQ(dribbler.Closed(), 1u) << "still open after " << MillisecondsSince(start) << " ms";
  EXPECT_GE(MillisecondsSince(start), 900.0);
}

// The same for a body: a declared body that arrives a byte at a time is cut
// at the body deadline, and the worker pool never sees it.
TEST(HttpFront, TheBodyHasOneDeadline) {
  START_GATEWAY(gateway, {"--http_body_timeout_ms=1000"});
  Socket slow(gateway.http_port());
  ASSERT_TRUE(slow.Send("POST /v1/filings:validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{"));
  const Clock::time_point start = Clock::now();
  bool closed = false;
  while (!closed && MillisecondsSince(start) < 8000) {
    std::this_thread::sleep_for(milliseconds(200));
    closed = !slow.Send(" ") || slow.ClosedByPeer();
  }
  EXPECT_TRUE(closed) << "still open after " << MillisecondsSince(start) << " ms";
  // Meanwhile the front answers others at once.
  EXPECT_EQ(Exchange(gateway.http_port(), kHealthz, milliseconds(5000)).status, 200);
}

// Connections per client address are bounded, and at the bound the oldest
// idle connection of that address makes room for the new one.
TEST(HttpFront, IdleConnectionsGiveWayAtThePerClientLimit) {
  START_GATEWAY(gateway, {"--http_max_connections_per_client=4"});
  std::vector<std::unique_ptr<Socket>> idle;
  for (int i = 0; i < 4; ++i) {
    idle.push_back(std::make_unique<Socket>(gateway.http_port()));
    ASSERT_TRUE(idle.back()->ok());
    std::this_thread::sleep_for(milliseconds(20));  // a known oldest
  }
  const Answer health = Exchange(gateway.http_port(), kHealthz, milliseconds(5000));
  EXPECT_EQ(health.status, 200);
  EXPECT_LT(health.milliseconds, 1000.0);
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_TRUE(idle.front()->ClosedByPeer()) << "the oldest idle connection should have been closed";
  for (size_t i = 1; i < idle.size(); ++i) EXPECT_FALSE(idle[i]->ClosedByPeer()) << i;
}

// The total bound: when every connection is busy (a request waits on a
// backend that never answers), a new one is refused with 503 and a reason
// naming the limit, rather than queued behind them.
TEST(HttpFront, ATotalLimitRefusesWhenNothingCanGiveWay) {
  // A backend that accepts connections and never says a word.
  const int mute = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(mute, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(mute, 64), 0);
  socklen_t length = sizeof address;
  ASSERT_EQ(getsockname(mute, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const std::string backend = absl::StrCat("127.0.0.1:", ntohs(address.sin_port));
  {
    START_GATEWAY(gateway, {"--http_max_connections=3", "--backend_timeout_ms=4000"}, backend);
    std::vector<std::unique_ptr<Socket>> busy;
    for (int i = 0; i < 3; ++i) {
      busy.push_back(std::make_unique<Socket>(gateway.http_port()));
      ASSERT_TRUE(busy.back()->Send("GET /v1/rules HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    }
    std::this_thread::sleep_for(milliseconds(500));
    const Answer refused = Exchange(gateway.http_port(), kHealthz, milliseconds(3000));
    EXPECT_EQ(refused.status, 503) << refused.head;
    EXPECT_NE(refused.Error().value("message", "").find("3 connections"), std::string::npos) << refused.body;
    // Once they are answered (the backend deadline), there is room again.
    for (auto& socket : busy) EXPECT_TRUE(ReadAnswer(*socket, milliseconds(10000)).complete);
    EXPECT_EQ(Exchange(gateway.http_port(), kHealthz, milliseconds(5000)).status, 200);
  }
  close(mute);
}

// Issue 13, item 9: requests 2… on a keep-alive connection took ~44 ms
// (the answer's head and body in two segments: Nagle's algorithm waiting
// for the client's delayed ACK). They take about as long as the first.
TEST(HttpFront, KeepAliveRequestsDoNotStall) {
  START_GATEWAY(gateway, {});
  Socket socket(gateway.http_port());
  ASSERT_TRUE(socket.ok());
  std::vector<double> times;
  std::string leftover;
  for (int i = 0; i < 10; ++i) {
    const Clock::time_point start = Clock::now();
    ASSERT_TRUE(socket.Send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    const Answer answer = ReadAnswer(socket, milliseconds(5000), &leftover);
    ASSERT_TRUE(answer.complete) << "request " << i + 1;
    ASSERT_EQ(answer.status, 200);
    ASSERT_FALSE(answer.closed) << "the connection must stay open";
    times.push_back(MillisecondsSince(start));
  }
  std::vector<double> later(times.begin() + 1, times.end());
  std::sort(later.begin(), later.end());
  const double median = later[later.size() / 2];
  std::printf("keep-alive GET /healthz: first %.2f ms, median of 2-10 %.2f ms\n", times[0], median);
  ::testing::Test::RecordProperty("keep_alive_median_us", static_cast<int>(median * 1000));
  EXPECT_LT(median, 20.0);
}

// Item 9: a body over the limit with a Content-Length is 413 at once,
// before any of it is read, with an AIP-193 body naming the limit.
TEST(HttpFront, ABodyOverTheLimitIs413) {
  START_GATEWAY(gateway, {});
  const Answer answer = Exchange(gateway.http_port(),
                                 "POST /v1/filings:apply HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                 "Content-Type: application/json\r\nContent-Length: 67108865\r\n\r\n",
                                 milliseconds(5000));
  ASSERT_TRUE(answer.complete) << answer.head;
  EXPECT_EQ(answer.status, 413);
  EXPECT_EQ(answer.Error().value("status", ""), "RESOURCE_EXHAUSTED") << answer.body;
  EXPECT_NE(answer.Error().value("message", "").find("64 MiB"), std::string::npos) << answer.body;
}

// Item 9: a negative Content-Length is 400 at once (it held a worker 30 s).
TEST(HttpFront, ANegativeContentLengthIs400AtOnce) {
  START_GATEWAY(gateway, {});
  const Answer answer =
      Exchange(gateway.http_port(), "POST /v1/filings:apply HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n",
               milliseconds(5000));
  ASSERT_TRUE(answer.complete) << "no answer in " << answer.milliseconds << " ms";
  EXPECT_EQ(answer.status, 400);
  EXPECT_LT(answer.milliseconds, 2000.0);
  EXPECT_NE(answer.Error().value("message", "").find("Content-Length"), std::string::npos) << answer.body;
}

// Item 9: a query parameter that is not UTF-8 is 400 naming it (it was 501
// with an empty message), before any backend is asked.
TEST(HttpFront, AQueryParameterThatIsNotUtf8Is400NamingIt) {
  START_GATEWAY(gateway, {});
  const Answer answer = Exchange(gateway.http_port(),
                                 "GET /v1/published?q=%FF%FE HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                                 milliseconds(5000));
  ASSERT_TRUE(answer.complete);
  EXPECT_EQ(answer.status, 400) << answer.body;
  const nlohmann::json error = answer.Error();
  EXPECT_NE(error.value("message", "").find("UTF-8"), std::string::npos) << answer.body;
  std::vector<std::string> fields;
  for (const auto& detail : error.value("details", nlohmann::json::array())) {
    for (const auto& violation : detail.value("fieldViolations", nlohmann::json::array())) {
      fields.push_back(violation.value("field", ""));
    }
  }
  EXPECT_EQ(fields, std::vector<std::string>{"q"}) << answer.body;
}

// Item 12: every HTML page says what it may load, that its type is not to be
// sniffed, and that it is not to be framed by another site.
TEST(HttpFront, PagesSendSecurityHeaders) {
  START_GATEWAY(gateway, {});
  for (const char* page : {"/", "/review", "/disclosures/regions/420107/departments/005001022/budgets/2021"}) {
    const Answer answer = Exchange(
        gateway.http_port(), absl::StrCat("GET ", page, " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
        milliseconds(10000));
    ASSERT_TRUE(answer.complete) << page;
    EXPECT_NE(answer.Header("Content-Type").find("text/html"), std::string::npos) << page;
    EXPECT_NE(answer.Header("Content-Security-Policy").find("default-src 'none'"), std::string::npos) << page;
    EXPECT_NE(answer.Header("Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos) << page;
    EXPECT_EQ(answer.Header("X-Content-Type-Options"), "nosniff") << page;
    EXPECT_EQ(answer.Header("X-Frame-Options"), "DENY") << page;
  }
}

}  // namespace
}  // namespace yusuan::testing
