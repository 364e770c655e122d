#include "services/security/internal/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <climits>

#include "absl/strings/escaping.h"
#include "services/security/internal/absl_compat.h"

namespace yusuan::security::internal {

std::string HmacSha256(std::string_view key, std::string_view data) {
  if (key.size() > static_cast<size_t>(INT_MAX)) return "";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
           data.size(), digest, &digest_size) == nullptr) {
    return "";
  }
  return std::string(reinterpret_cast<const char*>(digest), digest_size);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  // Lengths are public (a signature is always 32 bytes), so comparing them
  // first leaks nothing.
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string Hex(std::string_view bytes) { return absl::BytesToHexString(ToAbsl(bytes)); }

}  // namespace yusuan::security::internal
