// A request body read as it arrives and an answer written as it is made: what
// HttpFront (http_front.h) gives the handler of a streaming route instead of
// a whole body, so that a client may send a body of any size (one record per
// line) and see each record answered while it still sends.
//
// HttpStream is the handler's side: blocking calls on a worker thread, fed
// and drained by the front's I/O thread with back-pressure both ways.
// HttpLineReader cuts its body into lines (NDJSON records) with a cap on
// one line. MemoryHttpStream is the same interface over a whole body in
// memory, for callers (and tests) that hold one.
#ifndef YUSUAN_SERVICES_GATEWAY_HTTP_HTTP_STREAM_H_
#define YUSUAN_SERVICES_GATEWAY_HTTP_HTTP_STREAM_H_

#include <httplib.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace yusuan::gateway {

class HttpStream {
 public:
  virtual ~HttpStream() = default;

  // The next bytes of the body, as many as have arrived (at least one),
  // blocking until some have; "" once the body has ended. An error when it
  // cannot go on: the client left or broke the body's framing, sent nothing
  // for the front's stream idle timeout, or the gateway is stopping. A
  // reader never gets part of what a client sent after an error, so a
  // handler that stops at the error has seen only whole records.
  virtual absl::StatusOr<std::string> ReadSome() = 0;

  // Starts the answer with the status and headers of `head` (its body is
  // ignored); the body follows as Write()s, chunked on HTTP/1.1. At most
  // once. A handler that never calls it answers as a whole-body handler
  // does, with its `response` (e.g. a 400 before any record).
  virtual absl::Status WriteHead(const httplib::Response& head) = 0;

  // Sends `bytes` of the answer, after WriteHead. Returns once they are
  // queued, blocking while more than the front's stream buffer is unsent,
  // so a client that stops reading holds the handler, not memory. An error
  // when the client is gone: nothing more can reach it.
  virtual absl::Status Write(std::string bytes) = 0;

  // Whether the gateway is stopping: a handler ends at its next record
  // boundary (ReadSome also answers UNAVAILABLE from then on).
  virtual bool stopping() = 0;

  // The longest line (record) a reader should hold: the front's body limit,
  // which on a streaming route bounds one record instead of the body.
  virtual size_t max_line_bytes() const = 0;
};

// One line of a body, as HttpLineReader gives it.
struct HttpLine {
  enum class Kind {
    kLine,     // `text` is the line, without its "\n" (nor a "\r" before it)
    kTooLong,  // line `number` passed the cap and was skipped; `error` says so
    kEnd,      // the body ended
    kError,    // the body broke off (`error`); a partial last line is dropped
  };
  Kind kind = Kind::kEnd;
  // 1-based, counting every line of the body, blank ones included.
  int64_t number = 0;
  std::string text;
  absl::Status error;
};

// Lines of an HttpStream's body. A line longer than `max_line_bytes` is not
// held: it is reported (kTooLong, naming its number and the cap) and the
// rest of it is read and dropped up to the next "\n", where reading goes on;
// so memory stays within the cap plus one ReadSome whatever the client
// sends. A last line without "\n" is a line.
class HttpLineReader {
 public:
  HttpLineReader(HttpStream* stream, size_t max_line_bytes);

  // The next line; after kEnd or kError, the same again.
  HttpLine Next();

 private:
  // Reads into pending_; false at the end or an error (end_, error_).
  bool Fill();
  HttpLine TooLong();

  HttpStream* const stream_;
  const size_t max_line_bytes_;
  // Bytes read and not yet returned start at pending_[start_]; the front
  // is compacted now and then rather than erased at every line.
  std::string pending_;
  size_t start_ = 0;
  // Where the search for "\n" resumes in pending_.
  size_t scanned_ = 0;
  int64_t number_ = 0;
  bool end_ = false;
  absl::Status error_;
};

// Why line `number` is skipped: it is longer than `max_line_bytes`.
absl::Status LineTooLongError(int64_t number, size_t max_line_bytes);

// "64 MiB", or "1000 bytes" when not whole mebibytes: a limit as the
// front's refusals name it.
std::string Mebibytes(size_t bytes);

// An HttpStream over a whole body in memory; what is written is collected
// as `answer` (head and body), as a whole-body handler would have answered.
class MemoryHttpStream : public HttpStream {
 public:
  MemoryHttpStream(std::string body, size_t max_line_bytes);

  absl::StatusOr<std::string> ReadSome() override;
  absl::Status WriteHead(const httplib::Response& head) override;
  absl::Status Write(std::string bytes) override;
  bool stopping() override { return false; }
  size_t max_line_bytes() const override { return max_line_bytes_; }

  bool head_written() const { return head_written_; }
  httplib::Response& answer() { return answer_; }

 private:
  std::string body_;
  bool read_ = false;
  const size_t max_line_bytes_;
  bool head_written_ = false;
  httplib::Response answer_;
};

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_HTTP_HTTP_STREAM_H_
