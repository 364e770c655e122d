#include "services/common/sha256.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace yusuan {
namespace {

TEST(Sha256, KnownDigests) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256("abc").size(), 32u);
}

TEST(Sha256, OfAFileReadInBlocksIsTheDigestOfItsBytes) {
  char path[] = "/tmp/yusuan-sha256-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::close(fd);
  // Larger than one block, not a multiple of it.
  std::string content;
  for (int i = 0; content.size() < (3u << 20) + 17; ++i) content += std::to_string(i) + ",";
  std::ofstream(path, std::ios::binary) << content;
  absl::StatusOr<FileDigest> digest = Sha256OfFile(path);
  ASSERT_TRUE(digest.ok()) << digest.status();
  EXPECT_EQ(digest->sha256_hex, Sha256Hex(content));
  EXPECT_EQ(digest->bytes, static_cast<int64_t>(content.size()));
  ::unlink(path);
  EXPECT_EQ(Sha256OfFile(path).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace yusuan
