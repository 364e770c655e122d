// The HTTP front's streaming routes (http_front.h, HttpStreamRoutes): an
// HttpFront in this process with a test handler that answers each body line
// with its number, on an ephemeral loopback port, driven through raw sockets
// so that each test controls every byte and its timing (as http_front_test.cc
// does for the gateway binary). Small limits make each bound reachable.
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "services/common/mutex.h"
#include "services/gateway/http/http_front.h"
#include "services/gateway/http/http_stream.h"
#include "tests/integration/raw_http.h"

namespace yusuan::testing {
namespace {

using gateway::HttpFront;
using gateway::HttpFrontLimits;
using gateway::HttpLine;
using gateway::HttpLineReader;
using gateway::HttpStream;
using gateway::HttpStreamRoutes;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// What the test handlers did, for the tests to wait on and check.
class Record {
 public:
  void Started() {
    MutexLock lock(&mu_);
    ++started_;
  }
  void Ended(const absl::Status& why) {
    MutexLock lock(&mu_);
    ++ended_;
    last_error_ = why;
  }
  void Accepted(size_t bytes) { accepted_ += bytes; }
  size_t accepted() const { return accepted_.load(); }

  // Waits until `count` handlers have ended; false after `timeout`.
  bool AwaitEnded(int count, milliseconds timeout) {
    MutexLock lock(&mu_);
    return mu_.AwaitWithTimeout([&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return ended_ >= count; },
                                absl::Milliseconds(timeout.count()));
  }
  bool AwaitStarted(int count, milliseconds timeout) {
    MutexLock lock(&mu_);
    return mu_.AwaitWithTimeout([&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return started_ >= count; },
                                absl::Milliseconds(timeout.count()));
  }
  absl::Status last_error() {
    MutexLock lock(&mu_);
    return last_error_;
  }

 private:
  Mutex mu_;
  int started_ ABSL_GUARDED_BY(mu_) = 0;
  int ended_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Status last_error_ ABSL_GUARDED_BY(mu_);
  std::atomic<size_t> accepted_{0};
};

// POST /lines streams: "N: <length>" per line, "N: refused: <why>" per line
// too long, a 400 for a body with no line, and between lines it ends when
// the front stops. POST /flood streams an endless answer. Anything else is
// a whole-body route answering the body's length.
class Front {
 public:
  // `setup` runs before Bind (e.g. UseTls); an error leaves port() -1.
  explicit Front(
      HttpFrontLimits limits,
      const std::function<absl::Status(HttpFront&)>& setup = [](HttpFront&) { return absl::OkStatus(); }) {
    HttpStreamRoutes streams{
        .is_stream = [](const std::string& method,
                        const std::string& path) { return method == "POST" && (path == "/lines" || path == "/flood"); },
        .handler = [this](const httplib::Request& request, HttpStream& stream,
                          httplib::Response& response) { Stream(request, stream, response); }};
    front_ = std::make_unique<HttpFront>(
        [](const httplib::Request&, const std::string& body, httplib::Response& response) {
          response.set_content(absl::StrCat(body.size()), "text/plain");
        },
        limits, std::move(streams));
    if (!setup(*front_).ok()) return;
    absl::StatusOr<int> port = front_->Bind("127.0.0.1", 0);
    port_ = port.ok() ? *port : -1;
    if (port.ok()) front_->Start();
  }
  ~Front() { front_->Stop(); }

  int port() const { return port_; }
  Record& record() { return record_; }
  HttpFront& front() { return *front_; }

 private:
  void Stream(const httplib::Request& request, HttpStream& stream, httplib::Response& response) {
    record_.Started();
    if (request.path == "/flood") return Flood(stream);
    HttpLineReader lines(&stream, stream.max_line_bytes());
    HttpLine line = lines.Next();
    if (line.kind == HttpLine::Kind::kEnd) {
      response.status = 400;
      response.set_content("no line", "text/plain");
      return record_.Ended(absl::OkStatus());
    }
    httplib::Response head;
    head.status = 200;
    head.set_header("Content-Type", "text/plain");
    absl::Status status = stream.WriteHead(head);
    for (; status.ok(); line = lines.Next()) {
      if (line.kind == HttpLine::Kind::kEnd) break;
      if (line.kind == HttpLine::Kind::kError) {
        status = line.error;
        break;
      }
      status = stream.Write(line.kind == HttpLine::Kind::kLine
                                ? absl::StrCat(line.number, ": ", line.text.size(), "\n")
                                : absl::StrCat(line.number, ": refused: ", line.error.message(), "\n"));
      // A record boundary: where a stopping gateway lets the stream end.
      if (stream.stopping()) {
        status = absl::UnavailableError("stopping");
        break;
      }
    }
    record_.Ended(status);
  }

  void Flood(HttpStream& stream) {
    httplib::Response head;
    head.status = 200;
    absl::Status status = stream.WriteHead(head);
    const std::string piece(16 * 1024, 'x');
    while (status.ok()) {
      status = stream.Write(piece);
      if (status.ok()) record_.Accepted(piece.size());
    }
    record_.Ended(status);
  }

  Record record_;
  std::unique_ptr<HttpFront> front_;
  int port_ = -1;
};

std::string Head(const std::string& path, const std::string& framing) {
  return absl::StrCat("POST ", path, " HTTP/1.1\r\nHost: 127.0.0.1\r\n", framing, "\r\n");
}

HttpFrontLimits SmallLimits() {
  HttpFrontLimits limits;
  limits.max_body_bytes = 1024;
  limits.workers = 4;
  return limits;
}

#define START_FRONT(name, limits) \
  Front name(limits);             \
  ASSERT_GT(name.port(), 0);

// A TLS client over a Socket (no certificate check: the test's own
// throwaway certificate), with Socket's Send and ReadSome.
class TlsClient {
 public:
  explicit TlsClient(int port) : socket_(port) {
    context_ = SSL_CTX_new(TLS_client_method());
    ssl_ = SSL_new(context_);
    SSL_set_fd(ssl_, socket_.fd());
    connected_ = socket_.ok() && SSL_connect(ssl_) == 1;
  }
  ~TlsClient() {
    SSL_free(ssl_);
    SSL_CTX_free(context_);
  }
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;

  bool ok() const { return connected_; }
  bool Send(const std::string& bytes) {
    return SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size())) == static_cast<int>(bytes.size());
  }
  bool ReadSome(milliseconds timeout, std::string* into, bool* closed) {
    if (SSL_pending(ssl_) == 0) {
      pollfd waiting{socket_.fd(), POLLIN, 0};
      if (poll(&waiting, 1, static_cast<int>(timeout.count())) <= 0) return false;
    }
    char buffer[16384];
    const int n = SSL_read(ssl_, buffer, sizeof buffer);
    if (n <= 0) {
      const int error = SSL_get_error(ssl_, n);
      // A record not yet whole: nothing to give yet.
      if (error == SSL_ERROR_WANT_READ) return true;
      *closed = true;
      return true;
    }
    into->append(buffer, static_cast<size_t>(n));
    return true;
  }

 private:
  Socket socket_;
  SSL_CTX* context_ = nullptr;
  SSL* ssl_ = nullptr;
  bool connected_ = false;
};

// The point of streaming: answer 1 arrives while the client still holds
// the rest of the body (a Content-Length body, sent in two parts).
TEST(HttpFrontStream, AnswersArriveBeforeTheBodyEnds) {
  START_FRONT(front, SmallLimits());
  Socket socket(front.port());
  const std::string first = "{\"a\":1}\n";
  const std::string rest = "{\"bb\":2}\n\n{\"ccc\":3}\n";
  ASSERT_TRUE(
      socket.Send(Head("/lines", absl::StrCat("Content-Length: ", first.size() + rest.size(), "\r\n")) + first));
  HttpAnswerReader answer(socket);
  ASSERT_TRUE(answer.AwaitLines(1, milliseconds(5000))) << answer.body();
  EXPECT_EQ(answer.status(), 200);
  EXPECT_TRUE(absl::StrContains(absl::AsciiStrToLower(answer.head()), "transfer-encoding: chunked")) << answer.head();
  EXPECT_EQ(answer.Lines(), std::vector<std::string>{"1: 7"});
  EXPECT_FALSE(answer.over());

  ASSERT_TRUE(socket.Send(rest));
  ASSERT_TRUE(answer.AwaitEnd(milliseconds(5000)));
  EXPECT_TRUE(answer.whole()) << "the answer ends with its last chunk";
  EXPECT_EQ(answer.Lines(), (std::vector<std::string>{"1: 7", "2: 8", "3: 0", "4: 9"}));
  ASSERT_TRUE(front.record().AwaitEnded(1, milliseconds(5000)));
  EXPECT_TRUE(front.record().last_error().ok()) << front.record().last_error();

  // Keep-alive: the connection takes a next request.
  ASSERT_TRUE(socket.Send(Head("/whole", "Content-Length: 3\r\n") + "abc"));
  HttpAnswerReader next(socket);
  ASSERT_TRUE(next.AwaitEnd(milliseconds(5000)));
  EXPECT_EQ(next.status(), 200);
  EXPECT_EQ(next.body(), "3");
}

// Chunked request bodies, a line split across chunks, and a last line
// without "\n"; answered in order.
TEST(HttpFrontStream, ChunkedRequestBodies) {
  START_FRONT(front, SmallLimits());
  Socket socket(front.port());
  ASSERT_TRUE(socket.Send(Head("/lines", "Transfer-Encoding: chunked\r\n") + Chunk("one\ntw")));
  HttpAnswerReader answer(socket);
  ASSERT_TRUE(answer.AwaitLines(1, milliseconds(5000)));
  EXPECT_EQ(answer.Lines(), std::vector<std::string>{"1: 3"});
  ASSERT_TRUE(socket.Send(Chunk("o\r\nthree\nfour") + kLastChunk));
  ASSERT_TRUE(answer.AwaitEnd(milliseconds(5000)));
  EXPECT_TRUE(answer.whole());
  EXPECT_EQ(answer.Lines(), (std::vector<std::string>{"1: 3", "2: 3", "3: 5", "4: 4"}));
}

// max_body_bytes bounds a whole body (413 from its Content-Length) but on a
// streaming route only a line: 100 KiB of short lines pass a 1 KiB limit.
TEST(HttpFrontStream, ABodyPastTheBodyLimitStreamsButIsRefusedOnAWholeBodyRoute) {
  START_FRONT(front, SmallLimits());
  std::string body;
  for (int i = 0; body.size() < 100 * 1024; ++i) absl::StrAppend(&body, std::string(90, 'a' + i % 26), "\n");
  const size_t lines = body.size() / 91;
  {
    Socket socket(front.port());
    ASSERT_TRUE(socket.Send(Head("/lines", absl::StrCat("Content-Length: ", body.size(), "\r\n")) + body));
    HttpAnswerReader answer(socket);
    ASSERT_TRUE(answer.AwaitEnd(milliseconds(10000)));
    EXPECT_EQ(answer.status(), 200);
    EXPECT_TRUE(answer.whole());
    ASSERT_EQ(answer.Lines().size(), lines);
    EXPECT_EQ(answer.Lines().back(), absl::StrCat(lines, ": 90"));
  }
  {
    Socket socket(front.port());
    ASSERT_TRUE(socket.Send(Head("/whole", absl::StrCat("Content-Length: ", body.size(), "\r\n"))));
    HttpAnswerReader answer(socket);
    ASSERT_TRUE(answer.AwaitEnd(milliseconds(5000)));
    EXPECT_EQ(answer.status(), 413);
    EXPECT_TRUE(absl::StrContains(answer.body(), "1024 bytes")) << answer.body();
  }
  {
    // Under the limit, the whole-body route still works.
    Socket socket(front.port());
    ASSERT_TRUE(socket.Send(Head("/whole", "Content-Length: 10\r\n") + std::string(10, 'z')));
    HttpAnswerReader answer(socket);
    ASSERT_TRUE(answer.AwaitEnd(milliseconds(5000)));
    EXPECT_EQ(answer.status(), 200);
    EXPECT_EQ(answer.body(), "10");
  }
}

// A line past the limit is refused by its number and skipped to the next
// newline; the lines after it are answered. One at the very end (no "\n")
// is refused too, and the answer is still whole.
TEST(HttpFrontStream, AnOverLongLineIsRefusedByNumberAndTheNextLinesAreAnswered) {
  START_FRONT(front, SmallLimits());
  Socket socket(front.port());
  const std::string body = absl::StrCat("first\n", std::string(5000, 'x'), "\nthird\n", std::string(3000, 'y'));
  ASSERT_TRUE(socket.Send(Head("/lines", "Transfer-Encoding: chunked\r\n") + Chunk(body.substr(0, 2000)) +
                          Chunk(body.substr(2000)) + kLastChunk));
  HttpAnswerReader answer(socket);
  ASSERT_TRUE(answer.AwaitEnd(milliseconds(5000)));
  EXPECT_TRUE(answer.whole());
  const std::vector<std::string> lines = answer.Lines();
  ASSERT_EQ(lines.size(), 4u) << answer.body();
  EXPECT_EQ(lines[0], "1: 5");
  EXPECT_TRUE(absl::StartsWith(lines[1], "2: refused: ")) << lines[1];
  EXPECT_TRUE(absl::StrContains(lines[1], "line 2 is longer than 1024 bytes")) << lines[1];
  EXPECT_TRUE(absl::StrContains(lines[1], "第 2 行")) << lines[1];
  EXPECT_EQ(lines[2], "3: 5");
  EXPECT_TRUE(absl::StrContains(lines[3], "line 4 is longer")) << lines[3];
}

// A body with no line: the handler answers 400 whole, as a whole-body
// handler would, before any head went out.
TEST(HttpFrontStream, AHandlerThatWritesNoHeadAnswersWhole) {
  START_FRONT(front, SmallLimits());
  Socket socket(front.port());
  ASSERT_TRUE(socket.Send(Head("/lines", "Content-Length: 0\r\n")));
  HttpAnswerReader answer(socket);
  ASSERT_TRUE(answer.AwaitEnd(milliseconds(5000)));
  EXPECT_EQ(answer.status(), 400);
  EXPECT_EQ(answer.body(), "no line");
}

// A client that stops reading: the handler's Write blocks once the front's
// buffer and the socket's are full, instead of the answer piling up in
// memory; when the client goes, the handler ends.
TEST(HttpFrontStream, AClientThatStopsReadingBlocksTheWriterAndItsLeavingEndsIt) {
  HttpFrontLimits limits = SmallLimits();
  limits.stream_buffer_bytes = 64 * 1024;
  limits.stream_answer_buffer_bytes = 64 * 1024;
  START_FRONT(front, limits);
  auto socket = std::make_unique<Socket>(front.port(), /*receive_buffer=*/16 * 1024);
  ASSERT_TRUE(socket->Send(Head("/flood", "Transfer-Encoding: chunked\r\n")));
  ASSERT_TRUE(front.record().AwaitStarted(1, milliseconds(5000)));
  // Let it fill what it can, then watch it stand still.
  std::this_thread::sleep_for(milliseconds(1500));
  const size_t filled = front.record().accepted();
  std::this_thread::sleep_for(milliseconds(1000));
  EXPECT_EQ(front.record().accepted(), filled) << "the writer should be blocked";
  // The front's buffer plus what the kernel holds on both sides, with room:
  // an unbounded writer would have passed it many times over in 2.5 s.
  EXPECT_LT(filled, 16u * 1024 * 1024);
  EXPECT_FALSE(front.record().AwaitEnded(1, milliseconds(0)));
  socket.reset();
  ASSERT_TRUE(front.record().AwaitEnded(1, milliseconds(5000))) << "the handler should see the client leave";
  EXPECT_FALSE(front.record().last_error().ok());
}

// A client that stops reading for longer than write_timeout: on a stream
// that is the longest one piece may wait, so the connection is closed and
// the blocked writer let go, however long the answer has been going.
TEST(HttpFrontStream, TheWriteTimeoutClosesAStreamWhoseClientTakesNothing) {
  HttpFrontLimits limits = SmallLimits();
  limits.stream_buffer_bytes = 64 * 1024;
  limits.stream_answer_buffer_bytes = 64 * 1024;
  limits.write_timeout = milliseconds(400);
  START_FRONT(front, limits);
  Socket socket(front.port(), /*receive_buffer=*/16 * 1024);
  ASSERT_TRUE(socket.Send(Head("/flood", "Content-Length: 0\r\n")));
  ASSERT_TRUE(front.record().AwaitStarted(1, milliseconds(5000)));
  ASSERT_TRUE(front.record().AwaitEnded(1, milliseconds(5000))) << "the writer should have been let go";
  EXPECT_EQ(front.record().last_error().code(), absl::StatusCode::kDeadlineExceeded) << front.record().last_error();
  EXPECT_TRUE(absl::StrContains(front.record().last_error().message(), "--http_write_timeout_ms"))
      << front.record().last_error();
}

// A client that leaves mid-body: the handler, waiting for the next line,
// sees the error and ends; the answer never looked whole.
TEST(HttpFrontStream, AClientThatLeavesMidBodyEndsTheHandler) {
  START_FRONT(front, SmallLimits());
  {
    Socket socket(front.port());
    ASSERT_TRUE(socket.Send(Head("/lines", "Transfer-Encoding: chunked\r\n") + Chunk("one\npart")));
    HttpAnswerReader answer(socket);
    ASSERT_TRUE(answer.AwaitLines(1, milliseconds(5000)));
  }
  ASSERT_TRUE(front.record().AwaitEnded(1, milliseconds(5000)));
  EXPECT_EQ(front.record().last_error().code(), absl::StatusCode::kUnavailable) << front.record().last_error();
}

// A stream whose client stops sending: closed after stream_idle_timeout,
// without the last chunk; the handler ends with DEADLINE_EXCEEDED.
TEST(HttpFrontStream, TheStreamIdleTimeoutClosesAStalledStream) {
  HttpFrontLimits limits = SmallLimits();
  limits.stream_idle_timeout = milliseconds(300);
  START_FRONT(front, limits);
  Socket socket(front.port());
  const Clock::time_point start = Clock::now();
  ASSERT_TRUE(socket.Send(Head("/lines", "Transfer-Encoding: chunked\r\n") + Chunk("one\n")));
  HttpAnswerReader answer(socket);
  ASSERT_TRUE(answer.AwaitEnd(milliseconds(5000)));
  EXPECT_TRUE(answer.closed());
  EXPECT_FALSE(answer.whole()) << "a cut answer has no last chunk";
  EXPECT_EQ(answer.Lines(), std::vector<std::string>{"1: 3"});
  EXPECT_GE(Clock::now() - start, milliseconds(300));
  ASSERT_TRUE(front.record().AwaitEnded(1, milliseconds(5000)));
  EXPECT_EQ(front.record().last_error().code(), absl::StatusCode::kDeadlineExceeded) << front.record().last_error();
}

// Streams count against the connections of their client: with a limit of
// two and two streams open, a third connection is refused (none is idle).
TEST(HttpFrontStream, ConnectionsPerClientStillBoundStreams) {
  HttpFrontLimits limits = SmallLimits();
  limits.max_connections_per_client = 2;
  START_FRONT(front, limits);
  Socket one(front.port());
  Socket two(front.port());
  for (Socket* socket : {&one, &two}) {
    ASSERT_TRUE(socket->Send(Head("/lines", "Transfer-Encoding: chunked\r\n") + Chunk("x\n")));
    HttpAnswerReader answer(*socket);
    ASSERT_TRUE(answer.AwaitLines(1, milliseconds(5000)));
  }
  Socket three(front.port());
  ASSERT_TRUE(three.Send(Head("/whole", "Content-Length: 1\r\n") + "z"));
  HttpAnswerReader refused(three);
  ASSERT_TRUE(refused.AwaitEnd(milliseconds(5000)));
  EXPECT_EQ(refused.status(), 503);
  EXPECT_TRUE(absl::StrContains(refused.body(), "per client")) << refused.body();
}

// Streams may hold only max_streams workers: one more is 503, and the
// whole-body routes are still served.
TEST(HttpFrontStream, StreamsPastMaxStreamsAre503AndOtherRequestsGoOn) {
  HttpFrontLimits limits = SmallLimits();
  limits.max_streams = 1;
  START_FRONT(front, limits);
  Socket one(front.port());
  ASSERT_TRUE(one.Send(Head("/lines", "Transfer-Encoding: chunked\r\n") + Chunk("x\n")));
  HttpAnswerReader first(one);
  ASSERT_TRUE(first.AwaitLines(1, milliseconds(5000)));
  Socket two(front.port());
  ASSERT_TRUE(two.Send(Head("/lines", "Transfer-Encoding: chunked\r\n") + Chunk("x\n")));
  HttpAnswerReader refused(two);
  ASSERT_TRUE(refused.AwaitEnd(milliseconds(5000)));
  EXPECT_EQ(refused.status(), 503);
  EXPECT_TRUE(absl::StrContains(refused.body(), "streaming requests")) << refused.body();
  Socket three(front.port());
  ASSERT_TRUE(three.Send(Head("/whole", "Content-Length: 1\r\n") + "z"));
  HttpAnswerReader whole(three);
  ASSERT_TRUE(whole.AwaitEnd(milliseconds(5000)));
  EXPECT_EQ(whole.status(), 200);
  // The first stream ends; its worker is free for the next.
  ASSERT_TRUE(one.Send(kLastChunk));
  ASSERT_TRUE(first.AwaitEnd(milliseconds(5000)));
  EXPECT_TRUE(first.whole());
  ASSERT_TRUE(front.record().AwaitEnded(1, milliseconds(5000)));
  Socket four(front.port());
  ASSERT_TRUE(four.Send(Head("/lines", "Content-Length: 2\r\n") + "y\n"));
  HttpAnswerReader next(four);
  ASSERT_TRUE(next.AwaitEnd(milliseconds(5000)));
  EXPECT_EQ(next.status(), 200);
  EXPECT_EQ(next.Lines(), std::vector<std::string>{"1: 1"});
}

// Over TLS the body is read and the answer written at once too (one read
// and one write on their way on the TLS stream).
TEST(HttpFrontStream, StreamsOverTls) {
  char dir_template[] = "/tmp/yusuan-stream-tls-XXXXXX";
  const char* dir = mkdtemp(dir_template);
  ASSERT_NE(dir, nullptr);
  const std::string cert = std::string(dir) + "/cert.pem";
  const std::string key = std::string(dir) + "/key.pem";
  const std::string make =
      absl::StrCat("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout '", key,
                   "' -out '", cert, "' -days 2 -subj /CN=localhost >/dev/null 2>&1");
  ASSERT_EQ(std::system(make.c_str()), 0) << "openssl (Debian's openssl package) could not make a certificate";
  HttpFrontLimits limits = SmallLimits();
  Front front(limits, [&](HttpFront& http) { return http.UseTls(cert, key); });
  ASSERT_GT(front.port(), 0);
  TlsClient client(front.port());
  ASSERT_TRUE(client.ok());
  ASSERT_TRUE(client.Send(Head("/lines", "Transfer-Encoding: chunked\r\n") + Chunk("one\n")));
  HttpAnswerReader answer(client);
  ASSERT_TRUE(answer.AwaitLines(1, milliseconds(5000))) << answer.body();
  EXPECT_EQ(answer.Lines(), std::vector<std::string>{"1: 3"});
  std::string rest;
  for (int i = 0; i < 2000; ++i) absl::StrAppend(&rest, std::string(i % 100, 'z'), "\n");
  ASSERT_TRUE(client.Send(Chunk(rest) + kLastChunk));
  ASSERT_TRUE(answer.AwaitEnd(milliseconds(10000)));
  EXPECT_TRUE(answer.whole());
  ASSERT_EQ(answer.Lines().size(), 2001u);
  EXPECT_EQ(answer.Lines().back(), "2001: 99");
  std::filesystem::remove_all(dir);
}

// Stop: a stream waiting for its next line ends at once (a record
// boundary), its answer cut, and Stop does not wait out its 10 s.
TEST(HttpFrontStream, StopEndsAStreamAtARecordBoundary) {
  START_FRONT(front, SmallLimits());
  Socket socket(front.port());
  ASSERT_TRUE(socket.Send(Head("/lines", "Transfer-Encoding: chunked\r\n") + Chunk("one\n")));
  HttpAnswerReader answer(socket);
  ASSERT_TRUE(answer.AwaitLines(1, milliseconds(5000)));
  const Clock::time_point start = Clock::now();
  front.front().Stop();
  EXPECT_LT(Clock::now() - start, milliseconds(5000));
  ASSERT_TRUE(front.record().AwaitEnded(1, milliseconds(1000)));
  EXPECT_EQ(front.record().last_error().code(), absl::StatusCode::kUnavailable) << front.record().last_error();
  ASSERT_TRUE(answer.AwaitEnd(milliseconds(5000)));
  EXPECT_FALSE(answer.whole());
}

}  // namespace
}  // namespace yusuan::testing
