#include "services/security/internal_secret.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/security/signing_key.h"

namespace yusuan::security {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

TEST(InternalSecret, CredentialIsTheHmacOfTheLabelAndComparesExactly) {
  auto secret = InternalSecret::FromBytes(std::string(32, 'k'));
  auto other = InternalSecret::FromBytes(std::string(32, 'o'));
  ASSERT_TRUE(secret.ok() && other.ok());
  const std::string& credential = secret->credential();
  // HMAC-SHA256(32 × 'k', "yusuan-internal-v2"), computed independently
  // (openssl dgst -sha256 -mac HMAC).
  EXPECT_EQ(credential, "0618fb0163b285ad3a173b70c4fadbc334413aa6410fbeeb8b21d5ee6a4be49d");
  EXPECT_NE(credential, secret->Hex());
  // What a gateway of the previous design derived from a signing key of the
  // same bytes ("yusuan-internal-v1") is refused.
  EXPECT_FALSE(secret->Accepts("ce1437871e85ad3a17be37e44e4c57208cd967c5e13495b4d7e62927abe576a5"));

  EXPECT_TRUE(secret->Accepts(credential));
  EXPECT_FALSE(secret->Accepts(other->credential()));
  EXPECT_FALSE(secret->Accepts(""));
  EXPECT_FALSE(secret->Accepts(credential.substr(0, 63)));
  EXPECT_FALSE(secret->Accepts(credential + "0"));
  std::string flipped = credential;
  flipped[40] = flipped[40] == '0' ? '1' : '0';
  EXPECT_FALSE(secret->Accepts(flipped));
}

TEST(InternalSecret, RefusesWrongSizes) {
  EXPECT_EQ(InternalSecret::FromBytes(std::string(31, 'k')).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(InternalSecret::FromBytes(std::string(33, 'k')).status().code(), absl::StatusCode::kInvalidArgument);
  auto a = InternalSecret::Generate();
  auto b = InternalSecret::Generate();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->Hex(), b->Hex());
}

class InternalSecretFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::path(::testing::TempDir()) / "yusuan-secret-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
  static unsigned Mode(const fs::path& path) {
    struct stat info;
    EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
    return info.st_mode & 0777;
  }
  fs::path root_;
};

TEST_F(InternalSecretFileTest, CreatedForOwnerAndGroupAndLoadedBack) {
  const fs::path path = root_ / "secrets" / "internal.secret";
  bool created = false;
  auto made = LoadOrCreateInternalSecret(path.string(), &created);
  ASSERT_TRUE(made.ok()) << made.status();
  EXPECT_TRUE(created);
  EXPECT_EQ(Mode(path), 0640u);
  EXPECT_EQ(Mode(path.parent_path()), 0750u);
  auto loaded = LoadInternalSecret(path.string());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->credential(), made->credential());
  // Never replaced once there.
  auto again = LoadOrCreateInternalSecret(path.string(), &created);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(created);
  EXPECT_EQ(again->Hex(), made->Hex());
}

TEST_F(InternalSecretFileTest, OthersOrAGroupWriterAreRefused) {
  const fs::path path = root_ / "internal.secret";
  ASSERT_TRUE(LoadOrCreateInternalSecret(path.string()).ok());
  for (const unsigned mode : {0600u, 0640u}) {
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
    EXPECT_TRUE(LoadInternalSecret(path.string()).ok()) << std::oct << mode;
  }
  for (const unsigned mode : {0644u, 0660u, 0641u}) {
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
    auto refused = LoadInternalSecret(path.string());
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition) << std::oct << mode;
    EXPECT_THAT(std::string(refused.status().message()), HasSubstr("chmod 640"));
    EXPECT_THAT(std::string(refused.status().message()), HasSubstr("内部密钥"));
  }
}

TEST_F(InternalSecretFileTest, MissingFileSaysHowToCreateIt) {
  const fs::path path = root_ / "none.secret";
  auto missing = LoadInternalSecret(path.string());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("yusuan admin secret create --file " + path.string()));
}

TEST_F(InternalSecretFileTest, ASigningKeyFileIsNotTakenForIt) {
  // Same format, different files: pointing a backend at the signing key by
  // mistake still works as a secret, but then it is a different secret from
  // the gateway's, so the backend would refuse the gateway. The default
  // paths keep them apart.
  const fs::path key_path = root_ / "keys" / "token-signing.key";
  ASSERT_TRUE(LoadOrCreateSigningKey(key_path.string()).ok());
  const std::optional<std::string> restore =
      std::getenv("YUSUAN_DATA") != nullptr ? std::optional<std::string>(std::getenv("YUSUAN_DATA")) : std::nullopt;
  ASSERT_EQ(::setenv("YUSUAN_DATA", root_.c_str(), 1), 0);
  auto path = InternalSecretPath("");
  ASSERT_TRUE(path.ok()) << path.status();
  EXPECT_EQ(*path, (root_ / "secrets" / "internal.secret").string());
  EXPECT_NE(*path, DefaultSigningKeyPath().value());
  EXPECT_EQ(*InternalSecretPath("/elsewhere/s"), "/elsewhere/s");
  ASSERT_EQ(::unsetenv("YUSUAN_DATA"), 0);
  EXPECT_EQ(InternalSecretPath("").status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(InternalSecretPath("").status().message()), HasSubstr("--internal_secret_file"));
  if (restore.has_value()) ::setenv("YUSUAN_DATA", restore->c_str(), 1);
}

}  // namespace
}  // namespace yusuan::security
