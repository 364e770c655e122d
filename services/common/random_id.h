// Identifiers no two processes should ever share: request ids the gateway
// gives a filing that came without one (and that the ledger keeps as its
// idempotency key), the access log's request ids, the CLI's workflow steps.
#ifndef YUSUAN_SERVICES_COMMON_RANDOM_ID_H_
#define YUSUAN_SERVICES_COMMON_RANDOM_ID_H_

#include <string>

namespace yusuan {

// 128 bits from OpenSSL's CSPRNG (seeded by the kernel, reseeded after a
// fork) as 32 lowercase hex characters. A generator seeded once per thread
// from 32 bits, as before, makes two gateways likely to meet after some
// 77,000 threads; 128 fresh bits make it never happen in practice.
std::string RandomHexId();

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_RANDOM_ID_H_
