#include "services/gateway/http/http_stream_pipe.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace yusuan::gateway {
namespace {

// The most of the answer one write takes: small enough that write_timeout,
// counted per write, measures progress rather than the whole buffer.
constexpr size_t kWriteBytes = 64 * 1024;

}  // namespace

HttpStreamPipe::HttpStreamPipe(const HttpFrontLimits& limits, std::function<void()> wake)
    : limits_(limits), wake_(std::move(wake)) {}

void HttpStreamPipe::WakeIo() { wake_(); }

absl::StatusOr<std::string> HttpStreamPipe::ReadSome() {
  bool resume = false;
  absl::StatusOr<std::string> result;
  {
    MutexLock lock(&mu_);
    if (inbox_.empty() && !body_ended_ && broken_.ok() && !stopping_) {
      reader_waiting_ = true;
      reader_waiting_since_ = Clock::now();
      mu_.Await([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !inbox_.empty() || body_ended_ || !broken_.ok() || stopping_;
      });
      reader_waiting_ = false;
    }
    if (!broken_.ok()) {
      result = broken_;
    } else if (stopping_) {
      result = absl::UnavailableError(
          "网关正在停止，之后的记录未读取 / the gateway is stopping: the records after the last answer were not read; "
          "send them again (from the next index) later");
    } else if (!inbox_.empty()) {
      result = std::move(inbox_);
      inbox_.clear();
      resume = read_paused_;
      read_paused_ = false;
    } else {
      result = std::string();  // the end of the body
    }
  }
  if (resume) WakeIo();
  return result;
}

absl::Status HttpStreamPipe::WriteHead(const httplib::Response& head) {
  {
    MutexLock lock(&mu_);
    if (head_ready_) return absl::FailedPreconditionError("HttpStream::WriteHead called twice");
    if (!broken_.ok()) return broken_;
    head_ = head;
    head_ready_ = true;
    if (writing_ || wake_pending_) return absl::OkStatus();
    wake_pending_ = true;
  }
  WakeIo();
  return absl::OkStatus();
}

absl::Status HttpStreamPipe::Write(std::string bytes) {
  if (bytes.empty()) return absl::OkStatus();
  {
    MutexLock lock(&mu_);
    if (!head_ready_) return absl::FailedPreconditionError("HttpStream::Write before WriteHead");
    // The back-pressure: a client that does not read holds this thread.
    mu_.Await([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return outbox_.size() < limits_.stream_answer_buffer_bytes || !broken_.ok();
    });
    if (!broken_.ok()) return broken_;
    if (outbox_.empty()) {
      outbox_ = std::move(bytes);
    } else {
      outbox_ += bytes;
    }
    if (writing_ || wake_pending_) return absl::OkStatus();
    wake_pending_ = true;
  }
  WakeIo();
  return absl::OkStatus();
}

bool HttpStreamPipe::stopping() {
  MutexLock lock(&mu_);
  return stopping_;
}

void HttpStreamPipe::HandlerReturned(httplib::Response response) {
  {
    MutexLock lock(&mu_);
    handler_returned_ = true;
    response_ = std::move(response);
  }
  WakeIo();
}

size_t HttpStreamPipe::BodyRoom() {
  MutexLock lock(&mu_);
  if (body_ended_ || !broken_.ok() || handler_returned_) return 0;
  const size_t room = inbox_.size() < limits_.stream_buffer_bytes ? limits_.stream_buffer_bytes - inbox_.size() : 0;
  if (room == 0) read_paused_ = true;
  return room;
}

void HttpStreamPipe::BodyArrived(std::string_view bytes) {
  MutexLock lock(&mu_);
  inbox_.append(bytes.data(), bytes.size());
}

void HttpStreamPipe::BodyEnded(const absl::Status& status) {
  MutexLock lock(&mu_);
  if (status.ok()) {
    body_ended_ = true;
  } else if (broken_.ok()) {
    // A body that breaks off ends the exchange: what was read ahead and not
    // taken is dropped, so the handler stops at the record it is on.
    broken_ = status;
    inbox_.clear();
  }
}

bool HttpStreamPipe::body_over() {
  MutexLock lock(&mu_);
  return body_ended_ || !broken_.ok() || handler_returned_;
}

bool HttpStreamPipe::body_complete() {
  MutexLock lock(&mu_);
  return body_ended_ && broken_.ok() && inbox_.empty();
}

HttpStreamPipe::Outgoing HttpStreamPipe::TakeOutgoing() {
  MutexLock lock(&mu_);
  wake_pending_ = false;
  Outgoing out;
  if (writing_) return out;
  if (!broken_.ok()) {
    // Nothing more can reach the client: what is left is dropped.
    if (handler_returned_) out.kind = Outgoing::Kind::kDone;
    return out;
  }
  if (head_ready_ && !head_taken_) {
    head_taken_ = true;
    out.kind = Outgoing::Kind::kHead;
    out.head = head_;
  } else if (!outbox_.empty()) {
    out.kind = Outgoing::Kind::kBytes;
    if (outbox_.size() <= kWriteBytes) {
      out.bytes = std::move(outbox_);
      outbox_.clear();
    } else {
      out.bytes = outbox_.substr(0, kWriteBytes);
      outbox_.erase(0, kWriteBytes);
    }
  } else {
    if (handler_returned_) out.kind = Outgoing::Kind::kDone;
    return out;
  }
  writing_ = true;
  writing_since_ = Clock::now();
  return out;
}

void HttpStreamPipe::Written() {
  MutexLock lock(&mu_);
  writing_ = false;
}

bool HttpStreamPipe::head_taken() {
  MutexLock lock(&mu_);
  return head_taken_;
}

httplib::Response HttpStreamPipe::TakeResponse() {
  MutexLock lock(&mu_);
  return std::move(response_);
}

void HttpStreamPipe::Stop() {
  MutexLock lock(&mu_);
  stopping_ = true;
}

void HttpStreamPipe::Break(const absl::Status& why) {
  MutexLock lock(&mu_);
  if (broken_.ok()) broken_ = why;
  inbox_.clear();
  outbox_.clear();
}

absl::Status HttpStreamPipe::Stalled(Clock::time_point now) {
  MutexLock lock(&mu_);
  if (!broken_.ok()) return absl::OkStatus();
  if (reader_waiting_ && inbox_.empty() && !body_ended_ && !stopping_ &&
      now - reader_waiting_since_ > limits_.stream_idle_timeout) {
    return absl::DeadlineExceededError(absl::StrCat(
        "请求体 ", limits_.stream_idle_timeout.count(), " 毫秒没有新数据 / no body bytes for ",
        limits_.stream_idle_timeout.count(),
        " ms while the gateway waited for the next record (the stream idle timeout, --http_stream_idle_timeout_ms)"));
  }
  if (writing_ && now - writing_since_ > limits_.write_timeout) {
    return absl::DeadlineExceededError(absl::StrCat(
        "客户端 ", limits_.write_timeout.count(), " 毫秒没有读取应答 / the client took no answer bytes for ",
        limits_.write_timeout.count(), " ms (the write timeout, --http_write_timeout_ms)"));
  }
  return absl::OkStatus();
}

}  // namespace yusuan::gateway
