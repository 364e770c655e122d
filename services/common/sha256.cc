#include "services/common/sha256.h"

#include <openssl/evp.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace yusuan {

std::string Sha256(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  // EVP_Digest fails only when OpenSSL cannot allocate its context; an empty
  // digest then makes every comparison with a real one fail.
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1) return "";
  return std::string(reinterpret_cast<const char*>(digest), length);
}

namespace {

std::string Hex(const std::string& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(digest.size() * 2);
  for (unsigned char byte : digest) {
    hex += kHex[byte >> 4];
    hex += kHex[byte & 0x0f];
  }
  return hex;
}

}  // namespace

std::string Sha256Hex(std::string_view data) { return Hex(Sha256(data)); }

absl::StatusOr<FileDigest> Sha256OfFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("无法读取 ", path, " / cannot read ", path, ": ", std::strerror(errno)));
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (context == nullptr || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1) {
    return absl::InternalError("OpenSSL 无法计算 SHA-256 / OpenSSL could not start a SHA-256 digest");
  }
  FileDigest digest;
  std::vector<char> block(1 << 20);
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    const std::streamsize got = in.gcount();
    if (got <= 0) break;
    digest.bytes += got;
    if (EVP_DigestUpdate(context.get(), block.data(), static_cast<size_t>(got)) != 1) {
      return absl::InternalError("OpenSSL 无法计算 SHA-256 / OpenSSL could not update a SHA-256 digest");
    }
  }
  if (in.bad()) {
    return absl::InternalError(
        absl::StrCat("读取 ", path, " 失败 / reading ", path, " failed: ", std::strerror(errno)));
  }
  unsigned char raw[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context.get(), raw, &length) != 1) {
    return absl::InternalError("OpenSSL 无法计算 SHA-256 / OpenSSL could not finish a SHA-256 digest");
  }
  digest.sha256_hex = Hex(std::string(reinterpret_cast<const char*>(raw), length));
  return digest;
}

}  // namespace yusuan
