// The rotating log file: lines land whole and in order, the files stay
// under their size, the oldest beyond `keep` is gone, concurrent writers
// never split a line, and a directory it cannot write is named.
#include "services/gateway/observability/rotating_log_file.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace yusuan::gateway {
namespace {

class RotatingLogFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("yusuan-rotating-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static std::vector<std::string> Lines(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

  std::filesystem::path dir_;
};

TEST_F(RotatingLogFileTest, KeepsTheNewestLinesInBoundedFiles) {
  const std::string path = (dir_ / "access.log").string();
  auto log = RotatingLogFile::Open(path, 4096, 2);
  ASSERT_TRUE(log.ok()) << log.status();
  // 100 bytes a line with its newline: 40 lines fill a file.
  const int total = 200;
  for (int i = 0; i < total; ++i) {
    std::string line = "line " + std::to_string(i) + " ";
    line.resize(99, 'x');
    (*log)->Write(line);
  }
  EXPECT_EQ((*log)->lost_lines(), 0u);
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    files.push_back(entry.path().filename().string());
    EXPECT_LE(std::filesystem::file_size(entry.path()), 4096u) << entry.path();
  }
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"access.log", "access.log.1", "access.log.2"}));
  // Oldest first: .2, .1, then the current file, with no line missing
  // between them and the last line written at the end.
  std::vector<std::string> kept;
  for (const char* name : {"access.log.2", "access.log.1", "access.log"}) {
    for (std::string& line : Lines(dir_ / name)) kept.push_back(std::move(line));
  }
  ASSERT_FALSE(kept.empty());
  const int first = std::stoi(kept.front().substr(5));
  EXPECT_GT(first, 0) << "the oldest lines are dropped";
  for (size_t k = 0; k < kept.size(); ++k) {
    EXPECT_EQ(kept[k].rfind("line " + std::to_string(first + static_cast<int>(k)) + " ", 0), 0u) << kept[k];
    EXPECT_EQ(kept[k].size(), 99u);
  }
  EXPECT_EQ(first + static_cast<int>(kept.size()), total);
}

TEST_F(RotatingLogFileTest, AppendsToTheFileOfAnEarlierRunAndCountsItsSize) {
  const std::string path = (dir_ / "access.log").string();
  {
    std::ofstream earlier(path);
    earlier << std::string(4000, 'e') << "\n";
  }
  auto log = RotatingLogFile::Open(path, 4096, 1);
  ASSERT_TRUE(log.ok()) << log.status();
  (*log)->Write(std::string(200, 'n'));
  // The earlier 4001 bytes and this line would pass 4096: the earlier file
  // moved to .1 whole, the line starts the new one.
  EXPECT_EQ(Lines(dir_ / "access.log.1"), std::vector<std::string>{std::string(4000, 'e')});
  EXPECT_EQ(Lines(dir_ / "access.log"), std::vector<std::string>{std::string(200, 'n')});
}

TEST_F(RotatingLogFileTest, ConcurrentWritersNeverSplitALine) {
  const std::string path = (dir_ / "access.log").string();
  auto log = RotatingLogFile::Open(path, 64 * 1024, 50);
  ASSERT_TRUE(log.ok()) << log.status();
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) (*log)->Write(std::string(200, static_cast<char>('a' + t)));
    });
  }
  for (std::thread& writer : writers) writer.join();
  size_t lines = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    for (const std::string& line : Lines(entry.path())) {
      ++lines;
      ASSERT_EQ(line.size(), 200u);
      EXPECT_EQ(line.find_first_not_of(line[0]), std::string::npos) << "a line mixed with another";
    }
  }
  EXPECT_EQ(lines, 2000u);
}

TEST_F(RotatingLogFileTest, RefusesBadSettingsAndNamesAPathItCannotOpen) {
  EXPECT_EQ(RotatingLogFile::Open((dir_ / "a.log").string(), 100, 3).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RotatingLogFile::Open((dir_ / "a.log").string(), 1 << 20, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  const std::string missing = (dir_ / "no-such-dir" / "a.log").string();
  auto refused = RotatingLogFile::Open(missing, 1 << 20, 3);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find(missing), std::string::npos) << refused.status();
}

}  // namespace
}  // namespace yusuan::gateway
