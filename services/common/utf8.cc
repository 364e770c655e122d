#include "services/common/utf8.h"

#include <cstdio>
#include <map>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/reflection.h"
#include "google/protobuf/wire_format_lite.h"
#include "nlohmann/json.hpp"
#include "services/common/message_walk.h"

namespace yusuan {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::internal::WireFormatLite;

// Length of the well-formed sequence at `p`, or 0.
size_t SequenceLength(const unsigned char* p, size_t remaining) {
  const unsigned char c = p[0];
  if (c < 0x80) return 1;
  auto cont = [&](size_t i) { return i < remaining && (p[i] & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && p[1] < 0xA0) return 0;  // overlong
    if (c == 0xED && p[1] > 0x9F) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && p[1] < 0x90) return 0;  // overlong
    if (c == 0xF4 && p[1] > 0x8F) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

std::string Join(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : absl::StrCat(prefix, ".", name);
}

void WalkWire(const Descriptor* descriptor, std::string_view wire, const std::string& path, int depth,
              std::vector<std::string>* out) {
  if (depth > 64) return;
  google::protobuf::io::CodedInputStream input(reinterpret_cast<const uint8_t*>(wire.data()),
                                               static_cast<int>(wire.size()));
  std::map<int, int> occurrences;
  while (true) {
    const uint32_t tag = input.ReadTag();
    if (tag == 0) return;
    const int number = WireFormatLite::GetTagFieldNumber(tag);
    const auto wire_type = WireFormatLite::GetTagWireType(tag);
    const FieldDescriptor* field = descriptor->FindFieldByNumber(number);
    if (wire_type != WireFormatLite::WIRETYPE_LENGTH_DELIMITED || field == nullptr) {
      if (!WireFormatLite::SkipField(&input, tag)) {
        out->push_back(absl::StrCat(path.empty() ? "(message)" : path, " (malformed)"));
        return;
      }
      continue;
    }
    uint32_t length = 0;
    std::string bytes;
    if (!input.ReadVarint32(&length) || !input.ReadString(&bytes, static_cast<int>(length))) {
      out->push_back(absl::StrCat(Join(path, field->json_name()), " (malformed)"));
      return;
    }
    std::string field_path = Join(path, field->json_name());
    if (field->is_repeated() && !field->is_map()) {
      absl::StrAppend(&field_path, "[", occurrences[number]++, "]");
    }
    if (field->type() == FieldDescriptor::TYPE_STRING) {
      if (!IsValidUtf8(bytes)) out->push_back(field_path);
    } else if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
      WalkWire(field->message_type(), bytes, field_path, depth + 1, out);
    }
  }
}

// A string field's value without a copy (GetStringReference may use
// `scratch` for a string it does not store as std::string).
const std::string& StringField(const google::protobuf::Message& message, const FieldDescriptor& field, int index,
                               std::string& scratch) {
  const auto* reflection = message.GetReflection();
  return index < 0 ? reflection->GetStringReference(message, &field, &scratch)
                   : reflection->GetRepeatedStringReference(message, &field, index, &scratch);
}

// A code point no well-formed document needs, used to mark where ill-formed
// bytes were so the JSON parser can still tell us which value held them.
constexpr char kMarker[] = "\xEF\xBF\xBF";  // U+FFFF, a noncharacter

void WalkJson(const nlohmann::json& value, const std::string& path, std::vector<std::string>* out) {
  if (value.is_string()) {
    if (value.get_ref<const std::string&>().find(kMarker) != std::string::npos) {
      out->push_back(path.empty() ? "(document)" : path);
    }
  } else if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      const std::string child = Join(path, it.key());
      if (it.key().find(kMarker) != std::string::npos) out->push_back(child);
      WalkJson(it.value(), child, out);
    }
  } else if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i) {
      WalkJson(value[i], absl::StrCat(path, "[", i, "]"), out);
    }
  }
}

}  // namespace

size_t FirstInvalidUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  size_t i = 0;
  while (i < text.size()) {
    const size_t n = SequenceLength(p + i, text.size() - i);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

std::string WithReplacementCharacters(std::string_view text) {
  std::string out;
  while (true) {
    const size_t bad = FirstInvalidUtf8(text);
    if (bad == std::string_view::npos) break;
    out.append(text.substr(0, bad));
    out.append("\xEF\xBF\xBD");
    text.remove_prefix(bad + 1);
  }
  out.append(text);
  return out;
}

bool IsValidUtf8(std::string_view text) { return FirstInvalidUtf8(text) == std::string_view::npos; }

std::vector<std::string> FindInvalidUtf8Fields(const Descriptor* descriptor, std::string_view wire) {
  std::vector<std::string> out;
  WalkWire(descriptor, wire, "", 0, &out);
  return out;
}

namespace {

// The UTF-8 check of every string field and, when `multiline` is given, the
// control-character check of those that are UTF-8, in one walk.
TextProblems ScanText(const google::protobuf::Message& message,
                      const std::function<bool(const FieldDescriptor&)>* multiline) {
  TextProblems out;
  FieldPath path("");
  ForEachSetLeaf(
      message, path,
      [&](const FieldPath& at, const google::protobuf::Message& owner, const FieldDescriptor& field, int index) {
        if (field.type() != FieldDescriptor::TYPE_STRING) return;
        std::string scratch;
        const std::string& text = StringField(owner, field, index, scratch);
        // Ill-formed text is reported as such, not searched for
        // control characters.
        if (!IsValidUtf8(text)) {
          out.invalid_utf8.push_back(at.ToString());
          return;
        }
        if (multiline == nullptr) return;
        const bool lines = (*multiline)(field);
        const ControlCharacter found = FirstControlCharacter(text, lines ? "\t\n" : "");
        if (found.position != 0) out.control_characters.push_back({at.ToString(), found, lines});
      });
  return out;
}

}  // namespace

std::vector<std::string> FindInvalidUtf8InMessage(const google::protobuf::Message& message) {
  return ScanText(message, /*multiline=*/nullptr).invalid_utf8;
}

std::string CodePointName(char32_t code_point) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(code_point));
  return buffer;
}

namespace {

bool IsInvisibleFormat(char32_t c) {
  return c == 0x061C || (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) || c == 0x2060 ||
         (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
}

}  // namespace

ControlCharacter FirstControlCharacter(std::string_view text, std::string_view allowed) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  size_t position = 0;
  size_t i = 0;
  while (i < text.size()) {
    const size_t n = SequenceLength(p + i, text.size() - i);
    if (n == 0) {  // not UTF-8: not ours to report
      ++i;
      continue;
    }
    ++position;
    if (n == 1) {
      const char32_t c = p[i];
      if ((c < 0x20 || c == 0x7F) && allowed.find(static_cast<char>(c)) == std::string_view::npos) {
        return {c, position};
      }
    } else if (n == 2) {
      const char32_t c = ((p[i] & 0x1Fu) << 6) | (p[i + 1] & 0x3Fu);
      if (c <= 0x9F) return {c, position};  // C1: U+0080–U+009F
      if (IsInvisibleFormat(c)) return {c, position, /*invisible_format=*/true};
    } else if (n == 3) {
      const char32_t c = ((p[i] & 0x0Fu) << 12) | ((p[i + 1] & 0x3Fu) << 6) | (p[i + 2] & 0x3Fu);
      if (IsInvisibleFormat(c)) return {c, position, /*invisible_format=*/true};
    }
    i += n;
  }
  return {};
}

std::vector<ControlCharacterField> FindControlCharactersInMessage(
    const google::protobuf::Message& message, const std::function<bool(const FieldDescriptor&)>& multiline) {
  return FindTextProblemsInMessage(message, multiline).control_characters;
}

TextProblems FindTextProblemsInMessage(const google::protobuf::Message& message,
                                       const std::function<bool(const FieldDescriptor&)>& multiline) {
  return ScanText(message, &multiline);
}

std::vector<std::string> FindInvalidUtf8InJson(std::string_view json) {
  std::string repaired;
  repaired.reserve(json.size());
  const auto* p = reinterpret_cast<const unsigned char*>(json.data());
  size_t i = 0;
  while (i < json.size()) {
    const size_t n = SequenceLength(p + i, json.size() - i);
    if (n == 0) {
      repaired += kMarker;
      ++i;
    } else {
      repaired.append(json.data() + i, n);
      i += n;
    }
  }
  std::vector<std::string> out;
  auto parsed = nlohmann::json::parse(repaired, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    if (repaired.size() != json.size() || !IsValidUtf8(json)) out.push_back("(document)");
    return out;
  }
  WalkJson(parsed, "", &out);
  return out;
}

}  // namespace yusuan
