// The state one streaming exchange shares between HttpFront's I/O thread and
// the worker that runs its handler (http_front.cc's only; handlers see the
// HttpStream it implements). The I/O thread puts body bytes in and takes
// answer bytes out, never waiting; the worker waits, under the pipe's lock,
// for bytes to read or room to write. Both directions are bounded
// (HttpFrontLimits::stream_buffer_bytes, stream_answer_buffer_bytes): a full
// inbox pauses the socket's reading, a full outbox blocks the handler's Write.
#ifndef YUSUAN_SERVICES_GATEWAY_HTTP_HTTP_STREAM_PIPE_H_
#define YUSUAN_SERVICES_GATEWAY_HTTP_HTTP_STREAM_PIPE_H_

#include <httplib.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/common/mutex.h"
#include "services/gateway/http/http_front.h"
#include "services/gateway/http/http_stream.h"

namespace yusuan::gateway {

class HttpStreamPipe : public HttpStream {
 public:
  using Clock = std::chrono::steady_clock;

  // What the I/O thread should write next.
  struct Outgoing {
    enum class Kind {
      kNothing,  // nothing yet (or a write is on its way)
      kHead,     // `head`: the status and headers of the answer
      kBytes,    // `bytes`: the next piece of the answer's body
      kDone,     // the handler has returned and all it wrote is out
    };
    Kind kind = Kind::kNothing;
    httplib::Response head;
    std::string bytes;
  };

  // `wake` makes the I/O thread look at the pipe again; it may be called
  // from any thread, never under the pipe's lock.
  HttpStreamPipe(const HttpFrontLimits& limits, std::function<void()> wake);

  // HttpStream: the worker's side.
  absl::StatusOr<std::string> ReadSome() override;
  absl::Status WriteHead(const httplib::Response& head) override;
  absl::Status Write(std::string bytes) override;
  bool stopping() override;
  size_t max_line_bytes() const override { return limits_.max_body_bytes; }
  // The handler has returned, with the answer to write if it wrote no head.
  void HandlerReturned(httplib::Response response);

  // The I/O thread's side.
  // Room for more body bytes; 0 pauses reading until the handler takes some
  // (it wakes the I/O thread then).
  size_t BodyRoom();
  void BodyArrived(std::string_view bytes);
  // The body is over: whole (OK) or broken off (why).
  void BodyEnded(const absl::Status& status);
  // Not to be read further: ended, broken, or no handler left to read it.
  bool body_over();
  // The body was read to its end without error.
  bool body_complete();
  // The next thing to write, when no write is on its way.
  Outgoing TakeOutgoing();
  // The write TakeOutgoing gave has completed.
  void Written();
  bool head_taken();
  httplib::Response TakeResponse();
  // The gateway stops: reads fail with UNAVAILABLE; the handler ends at
  // its next record.
  void Stop();
  // The connection is gone (`why`): every wait ends, reads and writes fail.
  void Break(const absl::Status& why);
  // Why the exchange should end now: the handler has waited for body bytes
  // longer than stream_idle_timeout, or a write has waited for the client
  // longer than write_timeout. OK when neither.
  absl::Status Stalled(Clock::time_point now);

 private:
  void WakeIo();

  const HttpFrontLimits limits_;
  const std::function<void()> wake_;

  Mutex mu_;
  // The body: bytes read ahead of the handler, and how it ended.
  std::string inbox_ ABSL_GUARDED_BY(mu_);
  bool body_ended_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status body_status_ ABSL_GUARDED_BY(mu_);
  // Reading stopped for want of room; the handler's next ReadSome wakes it.
  bool read_paused_ ABSL_GUARDED_BY(mu_) = false;
  // Since when the handler has waited in ReadSome (no bytes in the inbox).
  bool reader_waiting_ ABSL_GUARDED_BY(mu_) = false;
  Clock::time_point reader_waiting_since_ ABSL_GUARDED_BY(mu_);
  // The answer: head, bytes not yet handed to the I/O thread.
  bool head_ready_ ABSL_GUARDED_BY(mu_) = false;
  bool head_taken_ ABSL_GUARDED_BY(mu_) = false;
  httplib::Response head_ ABSL_GUARDED_BY(mu_);
  std::string outbox_ ABSL_GUARDED_BY(mu_);
  // A write on its way, and since when it waits for the client.
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  Clock::time_point writing_since_ ABSL_GUARDED_BY(mu_);
  // The I/O thread has been asked to look and has not yet taken.
  bool wake_pending_ ABSL_GUARDED_BY(mu_) = false;
  bool handler_returned_ ABSL_GUARDED_BY(mu_) = false;
  httplib::Response response_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status broken_ ABSL_GUARDED_BY(mu_);
};

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_HTTP_HTTP_STREAM_PIPE_H_
