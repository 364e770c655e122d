// UTF-8 checks for text that comes from outside.
#ifndef YUSUAN_SERVICES_COMMON_UTF8_H_
#define YUSUAN_SERVICES_COMMON_UTF8_H_

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "google/protobuf/descriptor.h"
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

// A control character in a text: C0 (U+0000–U+001F), DEL (U+007F) or C1
// (U+0080–U+009F). None is printable: a NUL ends a C string (it made the PDF
// of a published name fail, issue 13), the others move the cursor, ring, or
// mean nothing, and XML 1.0 (XLSX) cannot hold most of them. Also the
// invisible formatting characters: the bidirectional controls (U+061C,
// U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), which can make a name or a
// figure read differently from what is stored, and the zero-width ones
// (U+200B–U+200D, U+2060, U+FEFF), which make two names that look the same
// differ. No budget text needs them.
struct ControlCharacter {
  char32_t code_point = 0;
  size_t position = 0;            // 1-based, in characters (code points)
  bool invisible_format = false;  // bidi or zero-width, not C0/C1
};

// "U+0000".
std::string CodePointName(char32_t code_point);

// The first control character of `text` that is not one of `allowed` (ASCII
// characters, e.g. "\t\n"), or a position of 0 when there is none. `text`
// should be UTF-8; ill-formed bytes are skipped (V-UTF8 reports them).
ControlCharacter FirstControlCharacter(std::string_view text, std::string_view allowed = "");

// A string field of a message that holds a control character.
struct ControlCharacterField {
  std::string path;  // JSON-style, as FindInvalidUtf8InMessage's
  ControlCharacter character;
  bool multiline = false;  // the field allowed a tab and a line feed
};

// Every string field of `message` holding a control character, in field
// order. `multiline(field)` says which fields are multi-line text, where a
// tab and a line feed are text; in every other field they are refused too.
// Fields that are not UTF-8 are left to FindInvalidUtf8InMessage.
std::vector<ControlCharacterField> FindControlCharactersInMessage(
    const google::protobuf::Message& message,
    const std::function<bool(const google::protobuf::FieldDescriptor&)>& multiline);

// Both of the above in one walk of the message: a filing's rules read both,
// and walking a message by reflection costs more than the checks.
struct TextProblems {
  std::vector<std::string> invalid_utf8;                  // FindInvalidUtf8InMessage
  std::vector<ControlCharacterField> control_characters;  // FindControlCharactersInMessage
};
TextProblems FindTextProblemsInMessage(const google::protobuf::Message& message,
                                       const std::function<bool(const google::protobuf::FieldDescriptor&)>& multiline);

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_UTF8_H_
