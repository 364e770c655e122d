#include "services/security/signing_key.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace yusuan::security {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// A fresh directory per test, removed afterwards.
class SigningKeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::path(::testing::TempDir()) / "yusuan-key-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }

  static std::string Read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
  }
  static void Write(const fs::path& path, const std::string& content, mode_t mode) {
    std::ofstream(path, std::ios::binary) << content;
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
  }
  static mode_t Mode(const fs::path& path) {
    struct stat info;
    EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
    return info.st_mode & 07777;
  }

  fs::path root_;
};

constexpr char kZeroKeyHex[] = "0000000000000000000000000000000000000000000000000000000000000000";

TEST(SigningKey, KeyIdIsTheStartOfTheSha256OfTheKey) {
  auto key = SigningKey::FromHex(kZeroKeyHex);
  ASSERT_TRUE(key.ok()) << key.status();
  // SHA-256 of 32 zero bytes is 66687aadf862bd77…
  EXPECT_EQ(key->key_id(), "66687aad");
  EXPECT_EQ(key->Hex(), kZeroKeyHex);
  EXPECT_EQ(key->bytes(), std::string(32, '\0'));
}

TEST(SigningKey, GeneratedKeysDiffer) {
  auto first = SigningKey::Generate();
  auto second = SigningKey::Generate();
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->bytes().size(), SigningKey::kSizeBytes);
  EXPECT_NE(first->bytes(), second->bytes());
  EXPECT_NE(first->key_id(), second->key_id());
}

TEST(SigningKey, RefusesWrongSizesAndNonHex) {
  EXPECT_EQ(SigningKey::FromBytes("short").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SigningKey::FromBytes(std::string(33, 'x')).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SigningKey::FromHex(std::string(63, 'a')).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SigningKey::FromHex(std::string(64, 'A')).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SigningKey::FromHex(std::string(64, 'g')).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(SigningKeyFileTest, CreatesKeyWithPrivateModesAndLoadsItBack) {
  const fs::path data = root_ / "data";
  const fs::path path = data / "keys" / "token-signing.key";
  bool created = false;
  auto key = LoadOrCreateSigningKey(path.string(), &created);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_TRUE(created);
  EXPECT_EQ(Mode(path), 0600u);
  EXPECT_EQ(Mode(data / "keys"), 0700u);
  EXPECT_EQ(Mode(data), 0700u);
  EXPECT_EQ(Read(path), key->Hex() + "\n");
  EXPECT_THAT(key->Hex(), ::testing::MatchesRegex("[0-9a-f]{64}"));

  auto loaded = LoadSigningKey(path.string());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->bytes(), key->bytes());

  auto again = LoadOrCreateSigningKey(path.string(), &created);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(created);
  EXPECT_EQ(again->bytes(), key->bytes());

  // Nothing but the key is left in the directory (no temporary file).
  std::vector<std::string> entries;
  for (const auto& entry : fs::directory_iterator(data / "keys")) {
    entries.push_back(entry.path().filename().string());
  }
  EXPECT_THAT(entries, ::testing::ElementsAre("token-signing.key"));
}

TEST_F(SigningKeyFileTest, LeavesAnExistingParentDirectoryAsItIs) {
  const fs::path keys = root_ / "keys";
  fs::create_directory(keys);
  ASSERT_EQ(::chmod(keys.c_str(), 0755), 0);
  ASSERT_TRUE(LoadOrCreateSigningKey((keys / "k").string()).ok());
  EXPECT_EQ(Mode(keys), 0755u);
}

TEST_F(SigningKeyFileTest, MissingFileIsNotFoundAndSaysHowToCreateIt) {
  const std::string path = (root_ / "keys" / "token-signing.key").string();
  auto key = LoadSigningKey(path);
  EXPECT_EQ(key.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(key.status().message()), HasSubstr(path));
  EXPECT_THAT(std::string(key.status().message()), HasSubstr("yusuan admin key create --key " + path));
  EXPECT_THAT(std::string(key.status().message()), HasSubstr("签名密钥文件不存在"));
  EXPECT_FALSE(fs::exists(root_ / "keys")) << "loading must not create anything";
}

TEST_F(SigningKeyFileTest, FileOthersMayReadIsRefusedAndNotReplaced) {
  const fs::path path = root_ / "token-signing.key";
  for (mode_t mode : {0640, 0604, 0620, 0644}) {
    Write(path, std::string(kZeroKeyHex) + "\n", mode);
    auto key = LoadSigningKey(path.string());
    EXPECT_EQ(key.status().code(), absl::StatusCode::kFailedPrecondition) << std::oct << mode;
    EXPECT_THAT(std::string(key.status().message()), HasSubstr("chmod 600 " + path.string()));
    auto created = LoadOrCreateSigningKey(path.string());
    EXPECT_EQ(created.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(Read(path), std::string(kZeroKeyHex) + "\n");
  }
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  EXPECT_TRUE(LoadSigningKey(path.string()).ok());
  ASSERT_EQ(::chmod(path.c_str(), 0400), 0);
  EXPECT_TRUE(LoadSigningKey(path.string()).ok());
}

TEST_F(SigningKeyFileTest, HalfWrittenOrEditedFileIsInvalidAndNotReplaced) {
  const fs::path path = root_ / "token-signing.key";
  const std::string hex(kZeroKeyHex);
  for (const std::string& content : {hex.substr(0, 30), std::string(), hex + "\n\n", hex + "00\n",
                                     std::string(64, 'F') + "\n", hex.substr(0, 63) + "z\n", " " + hex + "\n"}) {
    Write(path, content, 0600);
    auto key = LoadSigningKey(path.string());
    EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument) << "\"" << content << "\"";
    EXPECT_THAT(std::string(key.status().message()), HasSubstr("64 lowercase hex"));
    EXPECT_EQ(LoadOrCreateSigningKey(path.string()).status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(Read(path), content) << "an existing key file must never be replaced";
  }
  Write(path, hex, 0600);  // without the newline
  EXPECT_TRUE(LoadSigningKey(path.string()).ok());
}

TEST_F(SigningKeyFileTest, DirectoryAtThePathIsInvalid) {
  fs::create_directory(root_ / "key");
  ASSERT_EQ(::chmod((root_ / "key").c_str(), 0700), 0);
  EXPECT_EQ(LoadSigningKey((root_ / "key").string()).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(SigningKeyFileTest, TemporaryFileOfACrashedCreatorDoesNotGetInTheWay) {
  // A creator that died before linking leaves only its temporary file.
  Write(root_ / ".token-signing.key.tmp.Ab12Cd", "0000", 0600);
  bool created = false;
  auto key = LoadOrCreateSigningKey((root_ / "token-signing.key").string(), &created);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_TRUE(created);
}

TEST_F(SigningKeyFileTest, ConcurrentCreatorsAgreeOnOneKey) {
  const std::string path = (root_ / "keys" / "token-signing.key").string();
  constexpr int kCreators = 8;
  std::vector<std::optional<absl::StatusOr<SigningKey>>> keys(kCreators);
  std::vector<int> created(kCreators, 0);
  std::vector<std::thread> threads;
  for (int i = 0; i < kCreators; ++i) {
    threads.emplace_back([&, i] {
      bool made = false;
      keys[i].emplace(LoadOrCreateSigningKey(path, &made));
      created[i] = made ? 1 : 0;
    });
  }
  for (auto& thread : threads) thread.join();
  int creators = 0;
  for (int i = 0; i < kCreators; ++i) {
    ASSERT_TRUE(keys[i]->ok()) << keys[i]->status();
    EXPECT_EQ((*keys[i])->bytes(), (*keys[0])->bytes()) << i;
    creators += created[i];
  }
  EXPECT_EQ(creators, 1);
}

TEST(DefaultSigningKeyPath, UnderYusuanDataOrAnError) {
  const char* saved = std::getenv("YUSUAN_DATA");
  const std::optional<std::string> restore = saved == nullptr ? std::nullopt : std::optional<std::string>(saved);

  ASSERT_EQ(::setenv("YUSUAN_DATA", "/srv/yusuan", 1), 0);
  auto path = DefaultSigningKeyPath();
  ASSERT_TRUE(path.ok()) << path.status();
  EXPECT_EQ(*path, "/srv/yusuan/keys/token-signing.key");

  ASSERT_EQ(::setenv("YUSUAN_DATA", "", 1), 0);
  EXPECT_EQ(DefaultSigningKeyPath().status().code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_EQ(::unsetenv("YUSUAN_DATA"), 0);
  path = DefaultSigningKeyPath();
  EXPECT_EQ(path.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(path.status().message()), HasSubstr("--key"));

  if (restore.has_value()) ::setenv("YUSUAN_DATA", restore->c_str(), 1);
}

}  // namespace
}  // namespace yusuan::security
