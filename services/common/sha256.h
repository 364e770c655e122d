// SHA-256 through OpenSSL: the one digest helper of the project (published
// artifacts, imported catalogues, the render cache key).
#ifndef YUSUAN_SERVICES_COMMON_SHA256_H_
#define YUSUAN_SERVICES_COMMON_SHA256_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace yusuan {

// The 32-byte digest of `data`.
std::string Sha256(std::string_view data);

// Lower-case hex SHA-256 of `data` (64 characters).
std::string Sha256Hex(std::string_view data);

// The lower-case hex SHA-256 and the size of a file, read a block at a
// time (a region's export may not fit in memory); NOT_FOUND or INTERNAL
// naming the path when it cannot be read.
struct FileDigest {
  std::string sha256_hex;
  int64_t bytes = 0;
};
absl::StatusOr<FileDigest> Sha256OfFile(const std::string& path);

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_SHA256_H_
