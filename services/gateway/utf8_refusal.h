// Refusing text that is not UTF-8 before it is parsed. A protobuf parse of
// such bytes fails without saying which field is wrong, and a JSON parse
// fails with a byte offset; these say which field, in the paths the rule
// findings use (rooted at the Filing for filings), so one fix list serves.
#ifndef YUSUAN_SERVICES_GATEWAY_UTF8_REFUSAL_H_
#define YUSUAN_SERVICES_GATEWAY_UTF8_REFUSAL_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/descriptor.h"

namespace yusuan::gateway {

// INVALID_ARGUMENT from RejectedByRules: one V-UTF8 finding and BadRequest
// field violation per path. Empty `paths` is OK.
absl::Status Utf8Refusal(const std::vector<std::string>& paths);

// Checks serialized request bytes of type `descriptor`. Paths starting with
// `strip_prefix` lose it ("filing." for requests that wrap a Filing).
// Malformed wire data is refused too, naming where it breaks.
absl::Status CheckWireUtf8(const google::protobuf::Descriptor* descriptor, std::string_view wire,
                           const std::string& strip_prefix);

// Checks a JSON body; `add_prefix` roots the paths ("budget." for a Budget
// body so paths match the ledger's). OK when the body is valid UTF-8.
absl::Status CheckJsonUtf8(std::string_view json, const std::string& add_prefix);

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_UTF8_REFUSAL_H_
