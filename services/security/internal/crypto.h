// The few OpenSSL calls the auth library makes, behind plain string types.
// Internal: callers outside services/gateway/auth use token.h and
// signing_key.h.
#ifndef YUSUAN_SERVICES_SECURITY_INTERNAL_CRYPTO_H_
#define YUSUAN_SERVICES_SECURITY_INTERNAL_CRYPTO_H_

#include <string>
#include <string_view>

namespace yusuan::security::internal {

// 32 raw bytes. A total function: OpenSSL only fails it on
// allocation failure, where the process is lost anyway, and then it
// returns an empty string, which never equals a real digest.
std::string HmacSha256(std::string_view key, std::string_view data);

// Constant-time equality (CRYPTO_memcmp): the time taken depends on the
// lengths only, never on where the first difference is, so an attacker
// cannot guess a signature byte by byte. Different lengths are unequal.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Lowercase hex.
std::string Hex(std::string_view bytes);

}  // namespace yusuan::security::internal

#endif  // YUSUAN_SERVICES_SECURITY_INTERNAL_CRYPTO_H_
