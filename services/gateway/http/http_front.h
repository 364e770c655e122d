// The HTTP/1.1 (and HTTPS) listener under the REST face and the web pages:
// event-driven on Boost.Beast, so that a connection costs a socket and a
// buffer, never a thread. One I/O thread reads and writes every connection;
// a request whose head and body have fully arrived goes to a pool of worker
// threads, which may block on the backends, and its answer goes back to the
// I/O thread to be written.
//
// Why not cpp-httplib's own server (0.11.4, Debian 12), as before: it gives
// each connection a worker thread from the moment it is accepted until it
// closes, and its timeouts are per read. Eight sockets sending a header byte
// every 2 s, or a few dozen idle keep-alive connections, held every worker
// and took the port offline; no setting of it bounds the head or the body as
// a whole, limits connections per client, or frees a worker parked on an
// idle keep-alive connection. Here those are HttpFrontLimits.
//
// The request and answer types stay httplib's (plain structs): the handlers,
// the pages, the observation and their tests use them as they were.
//
// A streaming route (HttpStreamRoutes, chosen by the routing layer from the
// request head) gets its worker as soon as the head has arrived, and reads
// the body as it comes and writes the answer as it goes (http_stream.h):
// for bulk imports, whose body has no size bound and whose answer is a line
// per record.
#ifndef YUSUAN_SERVICES_GATEWAY_HTTP_HTTP_FRONT_H_
#define YUSUAN_SERVICES_GATEWAY_HTTP_HTTP_FRONT_H_

#include <httplib.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/common/limits.h"
#include "services/gateway/http/http_stream.h"

namespace yusuan::gateway {

class HttpConnection;

// What one client, or all of them together, may hold of the front. Every
// limit is a refusal or a close, never a queue: a client past a deadline is
// disconnected, one past a connection limit makes the oldest idle connection
// give way (or is refused with 503 when none is idle), a body past the size
// is 413 before it is read.
struct HttpFrontLimits {
  // The whole request head (request line and headers): from its first byte,
  // or on a new connection from the accept (a TLS handshake included).
  std::chrono::milliseconds head_timeout{10'000};
  // The whole request body, from the end of the head. Not for a streaming
  // route, whose body has no bound: stream_idle_timeout instead.
  std::chrono::milliseconds body_timeout{120'000};
  // A streaming route: the longest its handler waits for the next body
  // bytes (the client may pause while it reads answers, but not stall).
  // Time the handler spends on a record does not count.
  std::chrono::milliseconds stream_idle_timeout{30'000};
  // A keep-alive connection waiting for its next request.
  std::chrono::milliseconds idle_timeout{30'000};
  // The whole answer, to a client that reads it slowly. On a streaming
  // route, whose answer has no bound, the longest one write may wait for
  // the client to take bytes (no progress), not the whole answer.
  std::chrono::milliseconds write_timeout{120'000};
  // Open connections, in total and from one client address.
  size_t max_connections = 1024;
  size_t max_connections_per_client = 128;
  // The request head (431 above it) and body (413 above it), in bytes. On a
  // streaming route the body has no limit and max_body_bytes bounds one
  // line (one record) instead: a longer one is skipped and refused by its
  // number (HttpLineReader).
  size_t max_head_bytes = 64 * 1024;
  size_t max_body_bytes = kMaxRestBodyBytes;
  // A streaming route: body bytes read ahead of its handler (past it the
  // front stops reading the socket), and answer bytes not yet taken by the
  // client (past it the handler's Write waits): memory per stream is
  // bounded. The answer side is larger because most HTTP client libraries
  // send the whole body before they read anything: 16 MiB holds the
  // answers to some 30,000 filings before such a client and the handler
  // wait on each other (a client that reads as it sends never gets there).
  size_t stream_buffer_bytes = 1024 * 1024;
  size_t stream_answer_buffer_bytes = 16 * 1024 * 1024;
  // Threads that run handlers (they may wait on the backends).
  int workers = 16;
  // Streaming requests at once (each holds a worker for as long as its
  // client sends): past it 503, so that imports leave workers for the rest.
  int max_streams = 8;
};

// The routes whose requests stream (http_stream.h). The routing layer owns
// the choice; the front only asks.
struct HttpStreamRoutes {
  // Whether `method` on `path` (the target without its query) streams.
  // Runs on the I/O thread: it must not block.
  std::function<bool(const std::string& method, const std::string& path)> is_stream;
  // Answers one streaming request on a worker thread, from its head on. The
  // answer is `response`, whole, if the handler never calls
  // stream.WriteHead; otherwise the chunks it writes. Such an answer ends
  // with its last chunk (and the connection may be kept) only when the
  // handler returns having read the body to its end; else the connection
  // closes without it, so a client can tell a cut answer from a whole one.
  std::function<void(const httplib::Request& request, HttpStream& stream, httplib::Response& response)> handler;
};

class HttpFront {
 public:
  // Answers one request whose head and body have arrived, on a worker
  // thread. `response.status` -1 means 200, as with httplib.
  using Handler =
      std::function<void(const httplib::Request& request, const std::string& body, httplib::Response& response)>;

  HttpFront(Handler handler, const HttpFrontLimits& limits, HttpStreamRoutes streams = {});
  ~HttpFront();

  HttpFront(const HttpFront&) = delete;
  HttpFront& operator=(const HttpFront&) = delete;

  // Speak HTTPS only, with this PEM certificate chain and key. Before Bind.
  absl::Status UseTls(const std::string& cert_file, const std::string& key_file);
  // Binds host:port (0: any free port); returns the bound port.
  absl::StatusOr<int> Bind(const std::string& host, int port);
  // Accepts and serves on a thread of its own until Stop().
  void Start();
  // Stops accepting, closes the connections that wait for a request, lets
  // the requests being handled be answered (up to 10 s), then joins. A
  // streaming handler sees stopping() and ends at its next record.
  // Idempotent; safe from any thread.
  void Stop();

  const HttpFrontLimits& limits() const;

 private:
  class Impl;
  friend class HttpConnection;  // one client connection (http_front.cc)
  std::unique_ptr<Impl> impl_;
};

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_HTTP_HTTP_FRONT_H_
