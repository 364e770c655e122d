// UTF-8 checks for text that comes from outside.
#ifndef YUSUAN_SERVICES_COMMON_UTF8_H_
#define YUSUAN_SERVICES_COMMON_UTF8_H_

#include <string>
#include <string_view>
#include <vector>

#include "google/protobuf/message.h"

namespace yusuan {

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates,
// nothing above U+10FFFF).
bool IsValidUtf8(std::string_view text);

// Byte offset of the first ill-formed sequence, or npos.
size_t FirstInvalidUtf8(std::string_view text);

// `text` with every byte that is not part of valid UTF-8 replaced by U+FFFD:
// user text quoted into a message that must itself be valid UTF-8.
std::string WithReplacementCharacters(std::string_view text);

// Walks the protobuf wire encoding of a message of type `descriptor` and
// returns the JSON-style paths ("budget.projects[1].name") of every string
// field whose bytes are not UTF-8. A parse of such bytes would fail without
// saying which field is wrong; this says it. Malformed wire data yields the
// path of the enclosing field with a "(malformed)" suffix.
std::vector<std::string> FindInvalidUtf8Fields(const google::protobuf::Descriptor* descriptor, std::string_view wire);

// Same check on a parsed message (e.g. one built in memory by a client that
// did not check): returns the paths of string fields that are not UTF-8.
std::vector<std::string> FindInvalidUtf8InMessage(const google::protobuf::Message& message);

// JSON text whose string values may hold ill-formed UTF-8: returns the JSON
// paths ("filing.budget.projects[1].name") of the offending values or keys.
std::vector<std::string> FindInvalidUtf8InJson(std::string_view json);

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_UTF8_H_
