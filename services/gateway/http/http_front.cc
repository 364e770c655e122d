#include "services/gateway/http/http_front.h"

#include <zlib.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cstdio>
#include <limits>
#include <list>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/worker_pool.h"
#include "services/gateway/http/http_stream_pipe.h"
#include "services/gateway/http/request_parsing.h"
#include "services/gateway/http/rest_handlers.h"

namespace yusuan::gateway {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

// How long a connection being closed may take to say goodbye: the client
// reads our last answer before the socket goes (closing with unread request
// bytes would send a reset that can destroy the answer in flight).
constexpr std::chrono::milliseconds kLinger{1000};
// Connections refused at accept that are still saying why; past this many,
// more are closed without a word (each holds a descriptor while it lingers).
constexpr int kMaxLingeringRefusals = 256;
// Bodies smaller than this go uncompressed: gzip would save nothing.
constexpr size_t kMinCompressedBytes = 1024;
// The most of a streaming body one read takes from the socket.
constexpr size_t kStreamReadBytes = 64 * 1024;

std::string Kibibytes(size_t bytes) {
  return bytes % 1024 == 0 ? absl::StrCat(bytes / 1024, " KiB") : absl::StrCat(bytes, " bytes");
}

// Answers httplib 0.11.4 compressed, so that a browser's or a client's
// Accept-Encoding keeps getting gzip for text and JSON.
bool Compressible(const std::string& content_type) {
  return (absl::StartsWith(content_type, "text/") && !absl::StartsWith(content_type, "text/event-stream")) ||
         absl::StartsWith(content_type, "application/json") ||
         absl::StartsWith(content_type, "application/javascript") ||
         absl::StartsWith(content_type, "application/xml") || absl::StartsWith(content_type, "image/svg+xml");
}

bool AcceptsGzip(const std::string& accept_encoding) {
  for (absl::string_view coding : absl::StrSplit(accept_encoding, ',')) {
    std::vector<absl::string_view> parts = absl::StrSplit(coding, ';');
    if (absl::StripAsciiWhitespace(parts[0]) != "gzip") continue;
    // "gzip;q=0" declines it.
    return parts.size() < 2 || !absl::StartsWith(absl::StripAsciiWhitespace(parts[1]), "q=0") ||
           absl::StripAsciiWhitespace(parts[1]).find_first_of("123456789") != absl::string_view::npos;
  }
  return false;
}

std::optional<std::string> Gzip(const std::string& data) {
  z_stream stream{};
  // 15 + 16: a gzip wrapper rather than zlib's.
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return std::nullopt;
  }
  std::string out(deflateBound(&stream, data.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (result != Z_STREAM_END) return std::nullopt;
  return out;
}

// An answer of the front itself (a refusal), as the REST face writes errors.
httplib::Response Refusal(const absl::Status& status, int http_status) {
  httplib::Response response;
  WriteRestError(response, status, http_status);
  return response;
}

enum class Phase {
  kIdle,       // waiting for the next request on a keep-alive connection
  kHead,       // a TLS handshake or a request head on its way
  kBody,       // the head is in, the body on its way
  kHandling,   // a worker has the request
  kStreaming,  // a worker has a streaming request: body in, answer out
  kWriting,    // the answer on its way out
  kClosing,
};

}  // namespace

class HttpConnection;

class HttpFront::Impl {
 public:
  Impl(Handler handler, const HttpFrontLimits& limits, HttpStreamRoutes streams)
      : handler_(std::move(handler)), streams_(std::move(streams)), limits_(limits) {}

  absl::Status UseTls(const std::string& cert_file, const std::string& key_file);
  absl::StatusOr<int> Bind(const std::string& host, int port);
  void Start();
  void Stop();

  // Runs the handler for a request (on a worker) and completes its answer.
  void Run(const httplib::Request& request, const std::string& body, httplib::Response& response) const;
  // The same for a streaming request (HttpStreamRoutes).
  void RunStream(const httplib::Request& request, HttpStream& stream, httplib::Response& response) const;
  // Whether the routing layer says this request streams.
  bool IsStream(const httplib::Request& request) const {
    return streams_.is_stream != nullptr && streams_.handler != nullptr &&
           streams_.is_stream(request.method, request.path);
  }

  // The registry of open connections, for the limits.
  void Forget(HttpConnection* connection);
  // Where connections post their answers (the I/O thread).
  net::io_context& io() { return io_; }

  const HttpFrontLimits& limits() const { return limits_; }
  bool stopping() const { return stopping_.load(); }
  ssl::context* tls() { return tls_.has_value() ? &*tls_ : nullptr; }
  WorkerPool* pool() { return pool_.get(); }

 private:
  void Accept();
  void Admit(tcp::socket socket);
  void RefuseAtAccept(tcp::socket socket, const absl::Status& why);
  void CloseWaiting();
  // Completes an answer the way every handler's is completed.
  void Complete(const httplib::Request& request, httplib::Response& response) const;

  const Handler handler_;
  const HttpStreamRoutes streams_;
  const HttpFrontLimits limits_;

  // The registry: touched on the I/O thread, and by a connection's destructor
  // wherever its last owner lets go of it.
  std::mutex mu_;
  size_t open_ = 0;
  std::unordered_map<std::string, size_t> per_client_;
  std::list<std::weak_ptr<HttpConnection>> connections_;
  friend class HttpConnection;

  std::atomic<bool> stopping_{false};
  std::atomic<int> lingering_refusals_{0};
  // Streaming requests with a worker (limits_.max_streams).
  std::atomic<int> active_streams_{0};
  // Before io_: streams made with it die with io_'s pending handlers.
  std::optional<ssl::context> tls_;
  net::io_context io_{1};
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  net::steady_timer accept_retry_{io_};
  tcp::acceptor acceptor_{io_};
  std::unique_ptr<WorkerPool> pool_;
  std::thread thread_;

  std::mutex stop_mu_;
  bool started_ = false;
  bool stopped_ = false;
};

// One client connection: its stream (plain or TLS), its state and the request
// in progress. Lives on the I/O thread; a worker holds it only while it
// handles a request.
class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
 public:
  HttpConnection(HttpFront::Impl* front, tcp::socket socket, tcp::endpoint remote, tcp::endpoint local)
      : front_(front),
        client_(remote.address().to_string()),
        remote_(std::move(remote)),
        local_(std::move(local)),
        buffer_(front_->limits().max_head_bytes + 4096),
        ticker_(front->io()) {
    if (ssl::context* tls = front_->tls(); tls != nullptr) {
      tls_.emplace(beast::tcp_stream(std::move(socket)), *tls);
    } else {
      plain_.emplace(std::move(socket));
    }
  }

  ~HttpConnection() { front_->Forget(this); }

  void Start() {
    since_ = Clock::now();
    phase_ = Phase::kHead;
    // A new connection has one deadline for its handshake and first head.
    Lowest().expires_after(front_->limits().head_timeout);
    if (tls_.has_value()) {
      tls_->async_handshake(ssl::stream_base::server, [self = shared_from_this()](beast::error_code ec) {
        if (ec) return self->Close();
        self->ReadHead(/*new_deadline=*/false);
      });
    } else {
      ReadHead(/*new_deadline=*/false);
    }
  }

  // Closes it at once (a limit makes it give way, or the front stops).
  void Close() {
    phase_ = Phase::kClosing;
    linger_after_read_ = false;
    ticker_.cancel();
    if (pipe_ != nullptr) {
      pipe_->Break(absl::UnavailableError("连接已关闭 / the connection is closed"));
    }
    beast::error_code ignored;
    Lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    Lowest().close();
  }

  bool waiting_for_a_request() const {
    return phase_ == Phase::kIdle || phase_ == Phase::kHead || phase_ == Phase::kBody;
  }
  // Whether a limit may close it: nothing of a request has been handed on.
  bool may_give_way() const { return phase_ == Phase::kIdle || phase_ == Phase::kHead; }
  // The front stops: a streaming handler ends at its next record.
  void StopStream() {
    if (pipe_ != nullptr) pipe_->Stop();
  }
  // The front has stopped for good (its I/O thread is gone): a streaming
  // handler still waiting for the client is let go.
  void BreakStream() {
    if (pipe_ != nullptr) pipe_->Break(absl::UnavailableError("网关已停止 / the gateway has stopped"));
  }
  Clock::time_point since() const { return since_; }
  const std::string& client() const { return client_; }

 private:
  friend class HttpFront::Impl;

  beast::tcp_stream& Lowest() { return tls_.has_value() ? beast::get_lowest_layer(*tls_) : *plain_; }

  // Calls `f` with the stream, whichever kind it is.
  template <class F>
  void WithStream(F&& f) {
    if (tls_.has_value()) {
      f(*tls_);
    } else {
      f(*plain_);
    }
  }

  // Keep-alive: wait (idle_timeout) for the first byte of the next request,
  // then give its head the head deadline from there.
  void ReadNext() {
    phase_ = Phase::kIdle;
    since_ = Clock::now();
    if (front_->stopping()) return Close();
    if (buffer_.size() > 0) return ReadHead(/*new_deadline=*/true);  // pipelined
    Lowest().expires_after(front_->limits().idle_timeout);
    WithStream([&](auto& stream) {
      stream.async_read_some(buffer_.prepare(1024), [self = shared_from_this()](beast::error_code ec, size_t n) {
        if (ec) return self->Close();
        self->buffer_.commit(n);
        self->ReadHead(/*new_deadline=*/true);
      });
    });
  }

  void ReadHead(bool new_deadline) {
    phase_ = Phase::kHead;
    if (new_deadline) {
      since_ = Clock::now();
      Lowest().expires_after(front_->limits().head_timeout);
    }
    stream_parser_.reset();
    pipe_.reset();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(front_->limits().max_head_bytes));
    // No limit yet: a streaming route has none, and Beast would refuse a
    // larger Content-Length while reading the head. OnHead applies it.
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    WithStream([&](auto& stream) {
      http::async_read_header(stream, buffer_, *parser_,
                              [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHead(ec); });
    });
  }

  // The front's own refusals of what arrived; anything else (a deadline, a
  // reset, a client that left) just closes.
  bool RefuseParseError(beast::error_code ec, bool in_body) {
    const HttpFrontLimits& limits = front_->limits();
    if (ec == http::error::body_limit) {
      Refuse(absl::ResourceExhaustedError(absl::StrCat("请求体超过 ", Mebibytes(limits.max_body_bytes),
                                                       " / the body is larger than ", Mebibytes(limits.max_body_bytes),
                                                       " (the gateway's body limit)")),
             413);
      return true;
    }
    if (ec == http::error::header_limit) {
      Refuse(absl::InvalidArgumentError(absl::StrCat("请求头超过 ", Kibibytes(limits.max_head_bytes),
                                                     " / the request head is larger than ",
                                                     Kibibytes(limits.max_head_bytes), " (the gateway's head limit)")),
             431);
      return true;
    }
    if (ec == http::error::bad_content_length) {
      Refuse(absl::InvalidArgumentError(
                 "Content-Length 不是有效的长度（应为 0 或正整数）/ the Content-Length header is not a valid length "
                 "(a number, 0 or more)"),
             400);
      return true;
    }
    if (ec.category() == http::make_error_code(http::error::bad_method).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message) {
      Refuse(absl::InvalidArgumentError(absl::StrCat(in_body ? "无法读取请求体 / cannot read the request body: "
                                                             : "HTTP 请求格式错误 / malformed HTTP request: ",
                                                     ec.message())),
             400);
      return true;
    }
    return false;
  }

  void OnHead(beast::error_code ec) {
    if (ec) {
      if (!RefuseParseError(ec, /*in_body=*/false)) Close();
      return;
    }
    httplib::Request request = HeadToRequest();
    if (front_->IsStream(request)) {
      if (parser_->is_done() || !beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
        return DispatchStream(std::move(request));
      }
      continue_ = http::response<http::empty_body>(http::status::continue_, 11);
      WithStream([&](auto& stream) {
        http::async_write(stream, continue_,
                          [self = shared_from_this(), request = std::move(request)](beast::error_code ec, size_t) {
                            if (ec) return self->Close();
                            self->DispatchStream(std::move(request));
                          });
      });
      return;
    }
    const std::uint64_t max_body = front_->limits().max_body_bytes;
    if (parser_->content_length().value_or(0) > max_body) {
      RefuseParseError(http::error::body_limit, /*in_body=*/false);
      return;
    }
    // A chunked body is counted as it arrives.
    parser_->body_limit(max_body);
    if (parser_->is_done()) return Dispatch();
    // The client waits for a go-ahead before sending a large body (curl
    // does above 1 MiB); the head is acceptable, so give it.
    if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
      continue_ = http::response<http::empty_body>(http::status::continue_, 11);
      WithStream([&](auto& stream) {
        http::async_write(stream, continue_, [self = shared_from_this()](beast::error_code ec, size_t) {
          if (ec) return self->Close();
          self->ReadBody();
        });
      });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    phase_ = Phase::kBody;
    since_ = Clock::now();
    Lowest().expires_after(front_->limits().body_timeout);
    WithStream([&](auto& stream) {
      http::async_read(stream, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
        if (ec) {
          if (!self->RefuseParseError(ec, /*in_body=*/true)) self->Close();
          return;
        }
        self->Dispatch();
      });
    });
  }

  // The request as the handlers see it, from the head in parser_.
  httplib::Request HeadToRequest() {
    http::request<http::string_body>& in = parser_->get();
    httplib::Request request;
    request.method = std::string(in.method_string());
    request.version = in.version() == 10 ? "HTTP/1.0" : "HTTP/1.1";
    ParseRequestTarget(std::string(in.target()), &request);
    for (const auto& field : in) {
      request.headers.emplace(std::string(field.name_string()), std::string(field.value()));
    }
    request.remote_addr = client_;
    request.remote_port = remote_.port();
    request.local_addr = local_.address().to_string();
    request.local_port = local_.port();
    return request;
  }

  // Hands the complete request to a worker; its answer comes back here.
  void Dispatch() {
    phase_ = Phase::kHandling;
    since_ = Clock::now();
    Lowest().expires_never();
    http::request<http::string_body>& in = parser_->get();
    httplib::Request request = HeadToRequest();
    head_request_ = in.method() == http::verb::head;
    keep_alive_ = parser_->keep_alive();
    version_ = in.version();
    std::string body = std::move(in.body());
    parser_.reset();

    std::shared_ptr<HttpConnection> self = shared_from_this();
    const bool accepted =
        front_->pool()->TrySubmit([self, request = std::move(request), body = std::move(body)]() mutable {
          auto response = std::make_shared<httplib::Response>();
          self->front_->Run(request, body, *response);
          // Moved, so that this worker holds no share of the connection.
          HttpFront::Impl* front = self->front_;
          net::post(front->io(), [self = std::move(self), response] { self->Write(std::move(*response)); });
        });
    if (!accepted) {
      Write(Refusal(absl::UnavailableError("网关忙，所有工作线程都在处理请求 / the gateway is busy: every worker is "
                                           "handling a request; retry later"),
                    503));
    }
  }

  // A streaming request (HttpStreamRoutes): a worker gets it now, with a
  // pipe this thread fills with the body and drains of the answer.
  void DispatchStream(httplib::Request request) {
    if (phase_ == Phase::kClosing) return;
    phase_ = Phase::kStreaming;
    since_ = Clock::now();
    // Deadlines are the ticker's from here: a stream has a read and a write
    // on their way at once, and Beast's one per stream cannot tell them
    // apart.
    Lowest().expires_never();
    head_request_ = false;
    keep_alive_ = parser_->keep_alive();
    version_ = parser_->get().version();
    stream_parser_.emplace(std::move(*parser_));
    parser_.reset();
    std::weak_ptr<HttpConnection> weak = weak_from_this();
    HttpFront::Impl* front = front_;
    pipe_ = std::make_shared<HttpStreamPipe>(front_->limits(), [weak, front] {
      // Posted, never run here: this may be a worker, under no lock of ours.
      if (std::shared_ptr<HttpConnection> self = weak.lock()) {
        net::post(front->io(), [self = std::move(self)] { self->Pump(); });
      }
    });
    // No body at all (Content-Length: 0, or none): nothing to read.
    if (stream_parser_->is_done()) pipe_->BodyEnded(absl::OkStatus());
    std::shared_ptr<HttpConnection> self = shared_from_this();
    std::shared_ptr<HttpStreamPipe> pipe = pipe_;
    const int max_streams = front_->limits().max_streams;
    if (++front_->active_streams_ > max_streams) {
      --front_->active_streams_;
      pipe_.reset();
      keep_alive_ = false;
      return Write(Refusal(absl::UnavailableError(absl::StrCat(
                               "网关已有 ", max_streams, " 个流式请求在处理 / the gateway is handling its limit of ",
                               max_streams, " streaming requests (imports) at once; retry later")),
                           503));
    }
    const bool accepted =
        front_->pool()->TrySubmit([self = std::move(self), pipe, request = std::move(request)]() mutable {
          httplib::Response response;
          self->front_->RunStream(request, *pipe, response);
          --self->front_->active_streams_;
          // Dropped first, so that this worker holds no share of the
          // connection when the pipe wakes the I/O thread.
          self.reset();
          pipe->HandlerReturned(std::move(response));
        });
    if (!accepted) {
      --front_->active_streams_;
      pipe_.reset();
      keep_alive_ = false;
      return Write(Refusal(absl::UnavailableError("网关忙，所有工作线程都在处理请求 / the gateway is busy: every "
                                                  "worker is handling a request; retry later"),
                           503));
    }
    Pump();
    Tick();
  }

  // Starts the body read and the answer write the pipe allows, if they are
  // not on their way already. Runs whenever either side may have moved.
  void Pump() {
    if (phase_ != Phase::kStreaming || pipe_ == nullptr) return;
    if (!stream_reading_ && !pipe_->body_over()) {
      if (const size_t room = pipe_->BodyRoom(); room > 0) ReadStream(std::min(room, kStreamReadBytes));
    }
    if (stream_writing_) return;
    HttpStreamPipe::Outgoing next = pipe_->TakeOutgoing();
    switch (next.kind) {
      case HttpStreamPipe::Outgoing::Kind::kNothing:
        return;
      case HttpStreamPipe::Outgoing::Kind::kHead:
        return WriteStreamHead(next.head);
      case HttpStreamPipe::Outgoing::Kind::kBytes:
        return WriteStreamBytes(std::move(next.bytes));
      case HttpStreamPipe::Outgoing::Kind::kDone:
        return EndStream();
    }
  }

  void ReadStream(size_t bytes) {
    stream_reading_ = true;
    read_chunk_.resize(bytes);
    http::buffer_body::value_type& body = stream_parser_->get().body();
    body.data = read_chunk_.data();
    body.size = read_chunk_.size();
    body.more = true;
    WithStream([&](auto& stream) {
      http::async_read_some(stream, buffer_, *stream_parser_,
                            [self = shared_from_this()](beast::error_code ec, size_t) { self->OnStreamRead(ec); });
    });
  }

  void OnStreamRead(beast::error_code ec) {
    stream_reading_ = false;
    if (linger_after_read_) {
      linger_after_read_ = false;
      return Linger();
    }
    if (phase_ != Phase::kStreaming) return;
    // buffer_body's way of saying "the buffer you gave is full".
    if (ec == http::error::need_buffer) ec = {};
    const size_t got = read_chunk_.size() - stream_parser_->get().body().size;
    if (got > 0) pipe_->BodyArrived(std::string_view(read_chunk_.data(), got));
    if (ec) {
      const bool malformed = ec.category() == http::make_error_code(http::error::bad_method).category() &&
                             ec != http::error::end_of_stream && ec != http::error::partial_message;
      pipe_->BodyEnded(
          malformed ? absl::InvalidArgumentError(
                          absl::StrCat("无法读取请求体 / cannot read the request body: ", ec.message()))
                    : absl::UnavailableError(absl::StrCat("客户端在请求体结束前断开 / the client left before the end "
                                                          "of the body: ",
                                                          ec.message())));
    } else if (stream_parser_->is_done()) {
      pipe_->BodyEnded(absl::OkStatus());
    }
    Pump();
  }

  void WriteStreamHead(const httplib::Response& head) {
    stream_head_ = http::response<http::empty_body>();
    stream_head_.version(version_);
    stream_head_.result(static_cast<unsigned>(head.status <= 0 ? 200 : head.status));
    for (const auto& [name, value] : head.headers) {
      // The framing is the front's.
      if (beast::iequals(name, "Content-Length") || beast::iequals(name, "Transfer-Encoding")) continue;
      stream_head_.insert(name, value);
    }
    // HTTP/1.0 has no chunks: its answer ends when the connection closes.
    chunked_ = version_ >= 11;
    keep_alive_ = keep_alive_ && chunked_ && !front_->stopping();
    stream_head_.keep_alive(keep_alive_);
    if (chunked_) stream_head_.chunked(true);
    head_serializer_.emplace(stream_head_);
    stream_writing_ = true;
    WithStream([&](auto& stream) {
      http::async_write_header(stream, *head_serializer_, [self = shared_from_this()](beast::error_code ec, size_t) {
        self->OnStreamWritten(ec);
      });
    });
  }

  void WriteStreamBytes(std::string bytes) {
    sending_ = std::move(bytes);
    stream_writing_ = true;
    auto done = [self = shared_from_this()](beast::error_code ec, size_t) { self->OnStreamWritten(ec); };
    WithStream([&](auto& stream) {
      if (chunked_) {
        net::async_write(stream, http::make_chunk(net::buffer(sending_)), std::move(done));
      } else {
        net::async_write(stream, net::buffer(sending_), std::move(done));
      }
    });
  }

  void OnStreamWritten(beast::error_code ec) {
    stream_writing_ = false;
    if (phase_ != Phase::kStreaming) return;
    if (ec) return Close();
    pipe_->Written();
    Pump();
  }

  // The handler has returned and what it wrote is out.
  void EndStream() {
    phase_ = Phase::kWriting;
    since_ = Clock::now();
    ticker_.cancel();
    const bool complete = pipe_->body_complete();
    // Left unread, the rest of the body cannot be skipped to a next request.
    if (!complete) keep_alive_ = false;
    if (!pipe_->head_taken()) return Write(pipe_->TakeResponse());
    // A cut answer ends without its last chunk: the client sees the
    // connection close mid-answer, not an answer that looks whole.
    if (!complete || !chunked_) return Linger();
    stream_writing_ = true;
    WithStream([&](auto& stream) {
      net::async_write(stream, http::make_chunk_last(), [self = shared_from_this()](beast::error_code ec, size_t) {
        self->stream_writing_ = false;
        if (ec) return self->Close();
        self->keep_alive_ = self->keep_alive_ && !self->front_->stopping();
        if (self->keep_alive_) return self->ReadNext();
        self->Linger();
      });
    });
  }

  // The stream's deadlines (HttpStreamPipe::Stalled) and the linger of a
  // connection whose body read is still on its way.
  void Tick() {
    const HttpFrontLimits& limits = front_->limits();
    const auto shortest = std::min(limits.stream_idle_timeout, limits.write_timeout);
    const auto period = std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(shortest / 4),
                                   std::chrono::milliseconds(10), std::chrono::milliseconds(500));
    ticker_.expires_after(period);
    ticker_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec) return;
      self->OnTick();
    });
  }

  void OnTick() {
    const Clock::time_point now = Clock::now();
    if (linger_after_read_) {
      if (now >= linger_deadline_) return Close();
      return Tick();
    }
    if (phase_ != Phase::kStreaming || pipe_ == nullptr) return;
    if (absl::Status stalled = pipe_->Stalled(now); !stalled.ok()) {
      pipe_->Break(stalled);
      return Close();
    }
    Tick();
  }

  void Refuse(const absl::Status& why, int http_status) {
    keep_alive_ = false;
    head_request_ = false;
    Write(Refusal(why, http_status));
  }

  void Write(httplib::Response response) {
    if (phase_ == Phase::kClosing) return;
    phase_ = Phase::kWriting;
    since_ = Clock::now();
    answer_ = http::response<http::string_body>();
    answer_.version(version_);
    answer_.result(static_cast<unsigned>(response.status));
    for (const auto& [name, value] : response.headers) answer_.insert(name, value);
    keep_alive_ = keep_alive_ && !front_->stopping();
    answer_.keep_alive(keep_alive_);
    const unsigned status = answer_.result_int();
    if (status < 200 || status == 204 || status == 304) {
      // No body, and no length, by definition (304: an ETag matched).
      answer_.body().clear();
    } else if (head_request_) {
      // HEAD: the length of the answer a GET would get, and no body.
      answer_.content_length(response.body.size());
    } else {
      answer_.body() = std::move(response.body);
      answer_.prepare_payload();
    }
    Lowest().expires_after(front_->limits().write_timeout);
    WithStream([&](auto& stream) {
      // Head and body go out in one gathered write, on a TCP_NODELAY
      // socket: no second small segment for Nagle's algorithm to hold back
      // until the client's delayed ACK (the old front's 40 ms stalls).
      http::async_write(stream, answer_, [self = shared_from_this()](beast::error_code ec, size_t) {
        if (ec) return self->Close();
        if (self->keep_alive_) return self->ReadNext();
        self->Linger();
      });
    });
  }

  // The last answer is out; close after the client has read it.
  void Linger() {
    phase_ = Phase::kClosing;
    if (stream_reading_) {
      // A streaming body read is on its way (its buffer is in use, and a
      // stream takes one read at a time): linger once it returns, or close
      // at the linger's end if the client sends nothing.
      linger_after_read_ = true;
      linger_deadline_ = Clock::now() + kLinger;
      return Tick();
    }
    ticker_.cancel();
    Lowest().expires_after(kLinger);
    if (tls_.has_value()) {
      tls_->async_shutdown([self = shared_from_this()](beast::error_code) { self->Close(); });
      return;
    }
    beast::error_code ignored;
    plain_->socket().shutdown(tcp::socket::shutdown_send, ignored);
    Drain();
  }

  void Drain() {
    buffer_.clear();
    plain_->async_read_some(buffer_.prepare(4096), [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->Close();
      self->Drain();
    });
  }

  // Outlives every connection: it joins its threads and destroys the
  // handlers that hold connections before it goes.
  HttpFront::Impl* const front_;
  const std::string client_;
  const tcp::endpoint remote_;
  const tcp::endpoint local_;
  std::optional<beast::tcp_stream> plain_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::empty_body> continue_;
  http::response<http::string_body> answer_;

  // A streaming request (DispatchStream): the same parser, now handing
  // the body over a piece at a time; what is shared with the worker; the
  // read and write on their way (one of each at most).
  std::optional<http::request_parser<http::buffer_body>> stream_parser_;
  std::shared_ptr<HttpStreamPipe> pipe_;
  std::string read_chunk_;
  bool stream_reading_ = false;
  http::response<http::empty_body> stream_head_;
  std::optional<http::response_serializer<http::empty_body>> head_serializer_;
  std::string sending_;
  bool stream_writing_ = false;
  bool chunked_ = false;
  net::steady_timer ticker_;
  bool linger_after_read_ = false;
  Clock::time_point linger_deadline_;
  Phase phase_ = Phase::kHead;
  Clock::time_point since_ = Clock::now();
  unsigned version_ = 11;
  bool head_request_ = false;
  bool keep_alive_ = false;

  // In the registry (HttpFront::Impl::mu_): where it is listed, and whether
  // it still counts against the limits (not once it has been made to give way).
  std::list<std::weak_ptr<HttpConnection>>::iterator slot_;
  bool listed_ = false;
  bool counted_ = false;
  // Refused at accept, saying why (HttpFront::Impl::lingering_refusals_).
  bool refusal_ = false;
};

absl::Status HttpFront::Impl::UseTls(const std::string& cert_file, const std::string& key_file) {
  tls_.emplace(ssl::context::tls_server);
  // TLS 1.2 or later, no compression (CRIME), no renegotiation by clients.
  tls_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                    ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::no_compression);
  SSL_CTX_set_options(tls_->native_handle(), SSL_OP_NO_RENEGOTIATION);
  beast::error_code ec;
  tls_->use_certificate_chain_file(cert_file, ec);
  if (!ec) tls_->use_private_key_file(key_file, ssl::context::pem, ec);
  if (ec) {
    const std::string reason = ec.message();
    tls_.reset();
    return absl::InvalidArgumentError(absl::StrCat("无法加载证书 ", cert_file, " 或私钥 ", key_file,
                                                   " / cannot load the certificate ", cert_file, " or the key ",
                                                   key_file, ": ", reason));
  }
  return absl::OkStatus();
}

absl::StatusOr<int> HttpFront::Impl::Bind(const std::string& host, int port) {
  beast::error_code ec;
  tcp::resolver resolver(io_);
  const auto endpoints = resolver.resolve(host, std::to_string(port), tcp::resolver::passive, ec);
  std::string reason = ec ? ec.message() : "no address";
  if (!ec) {
    for (const auto& entry : endpoints) {
      beast::error_code step;
      acceptor_.open(entry.endpoint().protocol(), step);
      if (!step) acceptor_.set_option(net::socket_base::reuse_address(true), step);
      if (!step) acceptor_.bind(entry.endpoint(), step);
      if (!step) acceptor_.listen(net::socket_base::max_listen_connections, step);
      if (!step) {
        const tcp::endpoint bound = acceptor_.local_endpoint(step);
        if (!step) return static_cast<int>(bound.port());
      }
      reason = step.message();
      beast::error_code ignored;
      acceptor_.close(ignored);
    }
  }
  return absl::UnavailableError(absl::StrCat("无法监听 HTTP 端口 ", host, ":", port, " / cannot listen for HTTP on ",
                                             host, ":", port, " (in use?): ", reason));
}

void HttpFront::Impl::Start() {
  std::lock_guard<std::mutex> lock(stop_mu_);
  if (started_ || stopped_) return;
  started_ = true;
  // Each connection has at most one request with a worker, so the queue
  // never needs to be longer than the connections.
  pool_ = std::make_unique<WorkerPool>(limits_.workers, limits_.max_connections);
  work_.emplace(io_.get_executor());
  Accept();
  thread_ = std::thread([this] {
    for (;;) {
      try {
        io_.run();
        return;
      } catch (const std::exception& e) {
        // A handler of ours threw (memory?): that connection is lost, the
        // others are served on.
        std::fprintf(stderr, "HTTP 前端异常 / HTTP front: %s\n", e.what());
      }
    }
  });
}

void HttpFront::Impl::Accept() {
  acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (!acceptor_.is_open() || stopping()) return;
    if (ec) {
      // Out of descriptors, most likely: try again shortly rather than spin.
      accept_retry_.expires_after(std::chrono::milliseconds(100));
      accept_retry_.async_wait([this](beast::error_code wait) {
        if (!wait) Accept();
      });
      return;
    }
    Admit(std::move(socket));
    Accept();
  });
}

void HttpFront::Impl::Admit(tcp::socket socket) {
  beast::error_code ec;
  const tcp::endpoint remote = socket.remote_endpoint(ec);
  if (ec) return;  // gone already
  const tcp::endpoint local = socket.local_endpoint(ec);
  if (ec) return;
  socket.set_option(tcp::no_delay(true), ec);
  const std::string client = remote.address().to_string();

  std::shared_ptr<HttpConnection> victim;
  absl::Status refused;
  // Shares taken while scanning are released after the lock: releasing the
  // last one runs a destructor that takes the lock.
  std::vector<std::shared_ptr<HttpConnection>> scanned;
  auto connection = std::make_shared<HttpConnection>(this, std::move(socket), remote, local);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto found = per_client_.find(client);
    const bool client_full = found != per_client_.end() && found->second >= limits_.max_connections_per_client;
    const bool all_full = open_ >= limits_.max_connections;
    if (client_full || all_full) {
      // The oldest connection (of this client, when it is this client's
      // limit) that has not handed a request on gives way to the new one.
      for (const std::weak_ptr<HttpConnection>& weak : connections_) {
        std::shared_ptr<HttpConnection> other = weak.lock();
        if (other == nullptr || !other->counted_ || !other->may_give_way()) continue;
        if (client_full && other->client() != client) continue;
        if (victim == nullptr || other->since() < victim->since()) victim = other;
        scanned.push_back(std::move(other));
      }
      if (victim != nullptr) {
        victim->counted_ = false;
        --open_;
        if (--per_client_[victim->client()] == 0) per_client_.erase(victim->client());
      } else if (client_full) {
        refused = absl::UnavailableError(absl::StrCat(
            "来自 ", client, " 的连接已达上限 ", limits_.max_connections_per_client,
            " 个，且都在处理请求 / the gateway's limit of ", limits_.max_connections_per_client,
            " connections per client address (--http_max_connections_per_client) is reached and none of them is "
            "idle; retry later"));
      } else {
        refused = absl::UnavailableError(
            absl::StrCat("网关的连接已达上限 ", limits_.max_connections,
                         " 个，且都在处理请求 / the gateway's limit of ", limits_.max_connections,
                         " connections (--http_max_connections) is reached and none of them is idle; retry later"));
      }
    }
    connection->slot_ = connections_.insert(connections_.end(), connection);
    connection->listed_ = true;
    if (refused.ok()) {
      connection->counted_ = true;
      ++open_;
      ++per_client_[client];
    }
  }
  if (victim != nullptr) victim->Close();
  if (!refused.ok()) {
    // Said on the connection itself, over HTTP (a TLS client gets a close:
    // an answer would cost it a handshake first).
    if (tls_.has_value() || lingering_refusals_.load() >= kMaxLingeringRefusals) return connection->Close();
    // Counted down when it is gone (Forget).
    ++lingering_refusals_;
    connection->refusal_ = true;
    connection->keep_alive_ = false;
    connection->Write(Refusal(refused, 503));
    return;
  }
  connection->Start();
}

void HttpFront::Impl::Forget(HttpConnection* connection) {
  if (connection->refusal_) --lingering_refusals_;
  std::lock_guard<std::mutex> lock(mu_);
  if (connection->listed_) connections_.erase(connection->slot_);
  if (connection->counted_) {
    --open_;
    if (--per_client_[connection->client()] == 0) per_client_.erase(connection->client());
  }
}

void HttpFront::Impl::Run(const httplib::Request& request, const std::string& body, httplib::Response& response) const {
  try {
    handler_(request, body, response);
  } catch (const std::exception&) {
    response = Refusal(absl::InternalError("网关内部错误 / internal error in the gateway"), 500);
  }
  Complete(request, response);
}

void HttpFront::Impl::RunStream(const httplib::Request& request, HttpStream& stream,
                                httplib::Response& response) const {
  try {
    streams_.handler(request, stream, response);
  } catch (const std::exception&) {
    // Written only if no head went out; else the answer is cut (the body
    // was not read to its end).
    response = Refusal(absl::InternalError("网关内部错误 / internal error in the gateway"), 500);
  }
  Complete(request, response);
}

void HttpFront::Impl::Complete(const httplib::Request& request, httplib::Response& response) const {
  if (response.status == -1) response.status = 200;
  // An error without a body still gets an AIP-193 one, as httplib's error
  // handler gave it before (the handlers always write one).
  if (response.status >= 400 && response.body.empty()) {
    const int http = response.status;
    const absl::StatusCode code = http == 404   ? absl::StatusCode::kNotFound
                                  : http == 413 ? absl::StatusCode::kResourceExhausted
                                  : http >= 500 ? absl::StatusCode::kInternal
                                                : absl::StatusCode::kInvalidArgument;
    response = Refusal(absl::Status(code, absl::StrCat("HTTP ", http)), http);
  }
  if (response.body.size() >= kMinCompressedBytes && !response.has_header("Content-Encoding") &&
      Compressible(response.get_header_value("Content-Type")) &&
      AcceptsGzip(request.get_header_value("Accept-Encoding"))) {
    if (std::optional<std::string> compressed = Gzip(response.body); compressed.has_value()) {
      response.body = *std::move(compressed);
      response.set_header("Content-Encoding", "gzip");
      response.set_header("Vary", "Accept-Encoding");
    }
  }
}

void HttpFront::Impl::CloseWaiting() {
  std::vector<std::shared_ptr<HttpConnection>> all;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const std::weak_ptr<HttpConnection>& weak : connections_) {
      if (std::shared_ptr<HttpConnection> connection = weak.lock()) all.push_back(std::move(connection));
    }
  }
  for (const std::shared_ptr<HttpConnection>& connection : all) {
    if (connection->waiting_for_a_request()) connection->Close();
    connection->StopStream();
  }
}

void HttpFront::Impl::Stop() {
  std::lock_guard<std::mutex> lock(stop_mu_);
  if (stopped_) return;
  stopped_ = true;
  stopping_ = true;
  if (!started_) {
    beast::error_code ignored;
    acceptor_.close(ignored);
    return;
  }
  net::post(io_, [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
    accept_retry_.cancel();
    CloseWaiting();
  });
  // Requests already with a worker are answered, and their connections
  // close after the answer (stopping_); waiting ones were closed above.
  const Clock::time_point deadline = Clock::now() + std::chrono::seconds(10);
  for (;;) {
    {
      std::lock_guard<std::mutex> registry(mu_);
      if (connections_.empty()) break;
    }
    if (Clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  work_.reset();
  io_.stop();
  if (thread_.joinable()) thread_.join();
  // With the I/O thread gone, nothing else touches the connections: let go
  // of streaming handlers still waiting on their clients, so the pool can
  // join them.
  std::vector<std::shared_ptr<HttpConnection>> left;
  {
    std::lock_guard<std::mutex> registry(mu_);
    for (const std::weak_ptr<HttpConnection>& weak : connections_) {
      if (std::shared_ptr<HttpConnection> connection = weak.lock()) left.push_back(std::move(connection));
    }
  }
  for (const std::shared_ptr<HttpConnection>& connection : left) connection->BreakStream();
  left.clear();
  pool_->Shutdown();
}

HttpFront::HttpFront(Handler handler, const HttpFrontLimits& limits, HttpStreamRoutes streams)
    : impl_(std::make_unique<Impl>(std::move(handler), limits, std::move(streams))) {}

HttpFront::~HttpFront() { Stop(); }

absl::Status HttpFront::UseTls(const std::string& cert_file, const std::string& key_file) {
  return impl_->UseTls(cert_file, key_file);
}

absl::StatusOr<int> HttpFront::Bind(const std::string& host, int port) { return impl_->Bind(host, port); }

void HttpFront::Start() { impl_->Start(); }

void HttpFront::Stop() { impl_->Stop(); }

const HttpFrontLimits& HttpFront::limits() const { return impl_->limits(); }

}  // namespace yusuan::gateway
