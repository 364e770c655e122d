// SHA-256 through OpenSSL: the one digest helper of the project (published
// artifacts, imported catalogues, the render cache key).
#ifndef YUSUAN_SERVICES_COMMON_SHA256_H_
#define YUSUAN_SERVICES_COMMON_SHA256_H_

#include <string>
#include <string_view>

namespace yusuan {

// The 32-byte digest of `data`.
std::string Sha256(std::string_view data);

// Lower-case hex SHA-256 of `data` (64 characters).
std::string Sha256Hex(std::string_view data);

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_SHA256_H_
