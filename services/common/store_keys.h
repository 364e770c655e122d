// Fixed-width big-endian encodings so that keys sort numerically.
#ifndef YUSUAN_SERVICES_COMMON_STORE_KEYS_H_
#define YUSUAN_SERVICES_COMMON_STORE_KEYS_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace yusuan {

std::string EncodeBigEndian32(uint32_t value);
std::string EncodeBigEndian64(uint64_t value);
uint64_t DecodeBigEndian64(std::string_view bytes);
uint32_t DecodeBigEndian32(std::string_view bytes);

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_STORE_KEYS_H_
