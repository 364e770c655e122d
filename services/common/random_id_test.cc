#include "services/common/random_id.h"

#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace yusuan {
namespace {

TEST(RandomHexId, Is128BitsOfLowercaseHex) {
  const std::string id = RandomHexId();
  ASSERT_EQ(id.size(), 32u);
  for (const char c : id) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << id;
}

TEST(RandomHexId, ThreadsStartedTogetherShareNone) {
  std::vector<std::vector<std::string>> per_thread(8);
  std::vector<std::thread> threads;
  for (auto& ids : per_thread) {
    threads.emplace_back([&ids] {
      for (int i = 0; i < 2000; ++i) ids.push_back(RandomHexId());
    });
  }
  for (std::thread& t : threads) t.join();
  std::set<std::string> all;
  for (const auto& ids : per_thread) all.insert(ids.begin(), ids.end());
  EXPECT_EQ(all.size(), 8u * 2000u);
}

// A forked child (a second gateway started from the same parent, a worker
// after fork) does not repeat the parent's ids.
TEST(RandomHexId, AForkedChildDrawsItsOwn) {
  const std::string before = RandomHexId();
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string id = RandomHexId();
    const ssize_t written = ::write(pipe_fds[1], id.data(), id.size());
    ::_exit(written == static_cast<ssize_t>(id.size()) ? 0 : 1);
  }
  const std::string parent = RandomHexId();
  char buffer[32];
  ssize_t got = 0;
  while (got < 32) {
    const ssize_t n = ::read(pipe_fds[0], buffer + got, sizeof(buffer) - static_cast<size_t>(got));
    if (n <= 0) break;
    got += n;
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
  ASSERT_EQ(got, 32);
  const std::string from_child(buffer, 32);
  EXPECT_NE(from_child, parent);
  EXPECT_NE(from_child, before);
}

}  // namespace
}  // namespace yusuan
