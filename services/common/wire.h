// Answers built from stored records as the wire carries them. A record a read
// only passes on (a department, a budget revision) is stored as its message's
// serialization; parsing it and serializing it again costs more than reading
// it from RocksDB. The protobuf wire format makes that unnecessary: a repeated
// message field is each element's bytes behind a tag, and when a scalar field
// appears twice the parser keeps the last value, so a stored record with a
// field appended after it reads as the record with that field set.
#ifndef YUSUAN_SERVICES_COMMON_WIRE_H_
#define YUSUAN_SERVICES_COMMON_WIRE_H_

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace yusuan {

// Appends field `field_number` holding the serialized message `serialized`
// (an element, when the field is repeated).
void AppendMessageField(int field_number, std::string_view serialized, std::string* wire);
// Appends a string or bytes field.
void AppendStringField(int field_number, std::string_view value, std::string* wire);
// Appends an enum, bool or int32 field as the parser reads it (negative
// values sign-extended, as protobuf writes them).
void AppendInt32Field(int field_number, int32_t value, std::string* wire);

// A few top-level fields of a serialized message, read without parsing the
// rest: a read that needs a stored record's etag and a number or two skips
// its lines by their lengths instead of building every one. Each varint
// field among `wanted` is reported to `on_varint` with its value, each
// length-delimited one to `on_bytes` with a view of its bytes inside
// `wire`; in the order they appear, so that, as in the parser, the last
// report of a field is its value. False when `wire` is not well formed.
bool ReadTopLevelFields(std::string_view wire, std::initializer_list<int> wanted,
                        const std::function<void(int field_number, uint64_t value)>& on_varint,
                        const std::function<void(int field_number, std::string_view bytes)>& on_bytes);

// The top-level fields of a serialized message numbered among `keep`,
// appended to `kept` as they appear (tag and value, bytes unchanged): the
// message with every other field cleared, without parsing it. False when
// `wire` is not well formed (`kept` then holds what came before the fault).
bool KeepTopLevelFields(std::string_view wire, std::initializer_list<int> keep, std::string* kept);

// The message a read's wire bytes hold, for the typed forms of raw reads; a
// stored record that does not parse is DATA_LOSS naming `what`.
template <typename Message>
absl::StatusOr<Message> ParseWire(absl::StatusOr<std::string> wire, std::string_view what) {
  if (!wire.ok()) return wire.status();
  Message message;
  if (!message.ParseFromString(*wire)) {
    return absl::DataLossError(std::string(what) + " is unreadable / 存储的数据无法读取");
  }
  return message;
}

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_WIRE_H_
