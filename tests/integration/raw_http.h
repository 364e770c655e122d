// A raw loopback HTTP/1.1 client for tests that control every byte and its
// timing (the HTTP front's tests, streaming imports): a socket, and a reader
// of an answer as it arrives, chunked or not.
#ifndef YUSUAN_TESTS_INTEGRATION_RAW_HTTP_H_
#define YUSUAN_TESTS_INTEGRATION_RAW_HTTP_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace yusuan::testing {

// A connected loopback TCP socket, closed on destruction.
class Socket {
 public:
  // `receive_buffer` > 0: the kernel's receive buffer (SO_RCVBUF), set
  // before connecting so the window is small from the start.
  explicit Socket(int port, int receive_buffer = 0) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ >= 0 && receive_buffer > 0) {
      setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ >= 0 && connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      close(fd_);
      fd_ = -1;
    }
  }
  ~Socket() {
    if (fd_ >= 0) close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  bool ok() const { return fd_ >= 0; }
  int fd() const { return fd_; }

  bool Send(const std::string& bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
      const ssize_t n = send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return true;
  }

  // Reads what arrives within `timeout`; false on timeout. A closed
  // connection returns true with `closed` set.
  bool ReadSome(std::chrono::milliseconds timeout, std::string* into, bool* closed) {
    pollfd waiting{fd_, POLLIN, 0};
    if (poll(&waiting, 1, static_cast<int>(timeout.count())) <= 0) return false;
    char buffer[65536];
    const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) {
      *closed = true;
      return true;
    }
    into->append(buffer, static_cast<size_t>(n));
    return true;
  }

  // Whether the peer has closed the connection (without waiting).
  bool ClosedByPeer() {
    std::string ignored;
    bool closed = false;
    while (ReadSome(std::chrono::milliseconds(0), &ignored, &closed)) {
      if (closed) return true;
    }
    return false;
  }

 private:
  int fd_ = -1;
};

// Reads an answer as it arrives: the head, then a chunked body (or one of
// Content-Length), decoded piece by piece.
// `Connection` is a Socket, or anything with its ReadSome (a TLS client).
template <class Connection = Socket>
class HttpAnswerReader {
 public:
  explicit HttpAnswerReader(Connection& socket) : socket_(socket) {}

  // Reads until `lines` body lines have arrived (or the answer is over);
  // false on timeout.
  bool AwaitLines(size_t lines, std::chrono::milliseconds timeout) {
    return ReadUntil([&] { return Lines().size() >= lines || over(); }, timeout);
  }
  // Reads until the answer ends: last chunk, Content-Length, or a close.
  bool AwaitEnd(std::chrono::milliseconds timeout) {
    return ReadUntil([&] { return over(); }, timeout);
  }

  int status() const { return status_; }
  const std::string& head() const { return head_; }
  const std::string& body() const { return body_; }
  bool whole() const { return whole_; }    // its end arrived (last chunk or length)
  bool closed() const { return closed_; }  // the server closed the connection
  bool over() const { return whole_ || closed_; }
  std::vector<std::string> Lines() const {
    std::vector<std::string> lines = absl::StrSplit(body_, '\n');
    lines.pop_back();  // after the last "\n", or a partial line
    return lines;
  }

 private:
  template <class Done>
  bool ReadUntil(Done done, std::chrono::milliseconds timeout) {
    const std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::now() + timeout;
    Decode();
    while (!done()) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || closed_) return done();
      if (!socket_.ReadSome(left, &data_, &closed_)) return false;
      Decode();
    }
    return true;
  }

  void Decode() {
    if (status_ == 0) {
      const size_t end = data_.find("\r\n\r\n");
      if (end == std::string::npos) return;
      head_ = data_.substr(0, end);
      std::vector<std::string> words = absl::StrSplit(head_, ' ');
      if (words.size() >= 2) (void)absl::SimpleAtoi(words[1], &status_);
      std::string lower = absl::AsciiStrToLower(head_);
      chunked_ = absl::StrContains(lower, "transfer-encoding: chunked");
      const size_t length = lower.find("content-length:");
      if (length != std::string::npos) {
        (void)absl::SimpleAtoi(
            absl::StripAsciiWhitespace(lower.substr(length + 15, lower.find("\r\n", length) - length - 15)), &length_);
      }
      pos_ = end + 4;
    }
    if (!chunked_) {
      body_ = data_.substr(pos_);
      whole_ = length_ >= 0 && body_.size() >= static_cast<size_t>(length_);
      return;
    }
    while (!whole_) {
      const size_t line_end = data_.find("\r\n", pos_);
      if (line_end == std::string::npos) return;
      size_t size = 0;
      if (!absl::SimpleHexAtoi(data_.substr(pos_, line_end - pos_), &size)) return;
      if (size == 0) {
        whole_ = true;
        return;
      }
      if (data_.size() < line_end + 2 + size + 2) return;
      body_ += data_.substr(line_end + 2, size);
      pos_ = line_end + 2 + size + 2;
    }
  }

  Connection& socket_;
  std::string data_;
  size_t pos_ = 0;
  int status_ = 0;
  std::string head_;
  std::string body_;
  bool chunked_ = false;
  long length_ = -1;
  bool whole_ = false;
  bool closed_ = false;
};

// One chunk of a chunked request body, and the last one.
inline std::string Chunk(const std::string& bytes) {
  return absl::StrCat(absl::Hex(bytes.size()), "\r\n", bytes, "\r\n");
}
inline constexpr char kLastChunk[] = "0\r\n\r\n";

}  // namespace yusuan::testing

#endif  // YUSUAN_TESTS_INTEGRATION_RAW_HTTP_H_
