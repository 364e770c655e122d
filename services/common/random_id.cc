#include "services/common/random_id.h"

#include <openssl/rand.h>

#include <cstdint>
#include <random>

namespace yusuan {

std::string RandomHexId() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    // OpenSSL fails only when it cannot seed; the kernel's generator, read
    // by std::random_device on Linux, is the same source without the DRBG.
    std::random_device device;
    for (size_t i = 0; i < sizeof(bytes); i += 4) {
      const uint32_t word = device();
      for (size_t j = 0; j < 4; ++j) bytes[i + j] = static_cast<unsigned char>(word >> (8 * j));
    }
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  id.reserve(2 * sizeof(bytes));
  for (const unsigned char byte : bytes) {
    id.push_back(kHex[byte >> 4]);
    id.push_back(kHex[byte & 0xF]);
  }
  return id;
}

}  // namespace yusuan
