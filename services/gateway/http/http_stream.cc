#include "services/gateway/http/http_stream.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace yusuan::gateway {
namespace {

// Read bytes before pending_[start_] are dropped once there are this many
// and they are most of the buffer: amortised, not a move per line.
constexpr size_t kCompactAfter = 64 * 1024;

void StripCarriageReturn(std::string* line) {
  if (!line->empty() && line->back() == '\r') line->pop_back();
}

}  // namespace

std::string Mebibytes(size_t bytes) {
  return bytes % (1024 * 1024) == 0 ? absl::StrCat(bytes / (1024 * 1024), " MiB") : absl::StrCat(bytes, " bytes");
}

absl::Status LineTooLongError(int64_t number, size_t max_line_bytes) {
  return absl::ResourceExhaustedError(absl::StrCat(
      "第 ", number, " 行超过 ", Mebibytes(max_line_bytes),
      "（一条记录的上限），已跳过；请检查每行是否只有一条记录 / line ", number, " is longer than ",
      Mebibytes(max_line_bytes),
      " (the gateway's limit of one record, a REST body's limit) and was skipped; check that each line holds one "
      "record (a missing newline joins records)"));
}

HttpLineReader::HttpLineReader(HttpStream* stream, size_t max_line_bytes)
    : stream_(stream), max_line_bytes_(max_line_bytes) {}

HttpLine HttpLineReader::Next() {
  for (;;) {
    const size_t newline = pending_.find('\n', scanned_);
    if (newline != std::string::npos) {
      ++number_;
      const size_t length = newline - start_;
      HttpLine line;
      line.number = number_;
      if (length > max_line_bytes_) {
        line.kind = HttpLine::Kind::kTooLong;
        line.error = LineTooLongError(number_, max_line_bytes_);
      } else {
        line.kind = HttpLine::Kind::kLine;
        line.text = pending_.substr(start_, length);
        StripCarriageReturn(&line.text);
      }
      start_ = newline + 1;
      scanned_ = start_;
      if (start_ == pending_.size()) {
        pending_.clear();
        start_ = scanned_ = 0;
      } else if (start_ >= kCompactAfter && start_ * 2 >= pending_.size()) {
        pending_.erase(0, start_);
        start_ = scanned_ = 0;
      }
      return line;
    }
    scanned_ = pending_.size();
    // Past the cap with no end in sight: never hold more of it.
    if (pending_.size() - start_ > max_line_bytes_) return TooLong();
    if (end_) {
      if (start_ < pending_.size()) {
        HttpLine line{HttpLine::Kind::kLine, ++number_, pending_.substr(start_), absl::OkStatus()};
        StripCarriageReturn(&line.text);
        pending_.clear();
        start_ = scanned_ = 0;
        return line;
      }
      return HttpLine{HttpLine::Kind::kEnd, number_, "", absl::OkStatus()};
    }
    if (!error_.ok()) return HttpLine{HttpLine::Kind::kError, number_, "", error_};
    Fill();
  }
}

bool HttpLineReader::Fill() {
  absl::StatusOr<std::string> bytes = stream_->ReadSome();
  if (!bytes.ok()) {
    error_ = bytes.status();
    // A line cut off by the error is not a record: drop it.
    pending_.clear();
    start_ = scanned_ = 0;
    return false;
  }
  if (bytes->empty()) {
    end_ = true;
    return false;
  }
  pending_.append(*bytes);
  return true;
}

HttpLine HttpLineReader::TooLong() {
  const int64_t number = ++number_;
  pending_.clear();
  start_ = scanned_ = 0;
  // Resynchronise at the next newline; the body's end or an error ends the
  // line too (Next then says which).
  while (Fill()) {
    const size_t newline = pending_.find('\n');
    if (newline != std::string::npos) {
      start_ = scanned_ = newline + 1;
      break;
    }
    pending_.clear();
  }
  return HttpLine{HttpLine::Kind::kTooLong, number, "", LineTooLongError(number, max_line_bytes_)};
}

MemoryHttpStream::MemoryHttpStream(std::string body, size_t max_line_bytes)
    : body_(std::move(body)), max_line_bytes_(max_line_bytes) {}

absl::StatusOr<std::string> MemoryHttpStream::ReadSome() {
  if (read_) return std::string();
  read_ = true;
  return std::move(body_);
}

absl::Status MemoryHttpStream::WriteHead(const httplib::Response& head) {
  if (head_written_) return absl::FailedPreconditionError("WriteHead twice");
  head_written_ = true;
  answer_.status = head.status;
  answer_.headers = head.headers;
  answer_.body.clear();
  return absl::OkStatus();
}

absl::Status MemoryHttpStream::Write(std::string bytes) {
  if (!head_written_) return absl::FailedPreconditionError("Write before WriteHead");
  answer_.body += bytes;
  return absl::OkStatus();
}

}  // namespace yusuan::gateway
