// A raw loopback TCP client for tests that control every byte and its
// timing (the HTTP front's tests).
#ifndef YUSUAN_TESTS_INTEGRATION_RAW_SOCKET_H_
#define YUSUAN_TESTS_INTEGRATION_RAW_SOCKET_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

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

}  // namespace yusuan::testing

#endif  // YUSUAN_TESTS_INTEGRATION_RAW_SOCKET_H_
