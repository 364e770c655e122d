#include "services/common/wire.h"

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/wire_format_lite.h"

namespace yusuan {
namespace {

using google::protobuf::internal::WireFormatLite;

void AppendLengthDelimited(int field_number, std::string_view bytes, std::string* wire) {
  google::protobuf::io::StringOutputStream stream(wire);
  google::protobuf::io::CodedOutputStream out(&stream);
  out.WriteTag(WireFormatLite::MakeTag(field_number, WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
  out.WriteVarint32(static_cast<uint32_t>(bytes.size()));
  out.WriteRaw(bytes.data(), static_cast<int>(bytes.size()));
}

}  // namespace

void AppendMessageField(int field_number, std::string_view serialized, std::string* wire) {
  AppendLengthDelimited(field_number, serialized, wire);
}

void AppendStringField(int field_number, std::string_view value, std::string* wire) {
  AppendLengthDelimited(field_number, value, wire);
}

void AppendInt32Field(int field_number, int32_t value, std::string* wire) {
  google::protobuf::io::StringOutputStream stream(wire);
  google::protobuf::io::CodedOutputStream out(&stream);
  out.WriteTag(WireFormatLite::MakeTag(field_number, WireFormatLite::WIRETYPE_VARINT));
  out.WriteVarint32SignExtended(value);
}

bool ReadTopLevelFields(std::string_view wire, std::initializer_list<int> wanted,
                        const std::function<void(int field_number, uint64_t value)>& on_varint,
                        const std::function<void(int field_number, std::string_view bytes)>& on_bytes) {
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(wire.data()),
                                            static_cast<int>(wire.size()));
  while (in.CurrentPosition() < static_cast<int>(wire.size())) {
    const uint32_t tag = in.ReadTag();
    if (tag == 0) return false;  // a cut or malformed tag, or 0, which no field has
    const int field_number = WireFormatLite::GetTagFieldNumber(tag);
    bool is_wanted = false;
    for (int number : wanted) is_wanted = is_wanted || number == field_number;
    const WireFormatLite::WireType type = WireFormatLite::GetTagWireType(tag);
    if (is_wanted && type == WireFormatLite::WIRETYPE_VARINT) {
      uint64_t value = 0;
      if (!in.ReadVarint64(&value)) return false;
      on_varint(field_number, value);
    } else if (is_wanted && type == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      uint32_t length = 0;
      if (!in.ReadVarint32(&length)) return false;
      const int at = in.CurrentPosition();
      if (length > wire.size() - static_cast<size_t>(at) || !in.Skip(static_cast<int>(length))) return false;
      on_bytes(field_number, wire.substr(static_cast<size_t>(at), length));
    } else if (!WireFormatLite::SkipField(&in, tag)) {
      return false;
    }
  }
  return true;
}

bool KeepTopLevelFields(std::string_view wire, std::initializer_list<int> keep, std::string* kept) {
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(wire.data()),
                                            static_cast<int>(wire.size()));
  while (in.CurrentPosition() < static_cast<int>(wire.size())) {
    const int start = in.CurrentPosition();
    const uint32_t tag = in.ReadTag();
    if (tag == 0) return false;  // a cut or malformed tag, or 0, which no field has
    if (!WireFormatLite::SkipField(&in, tag)) return false;
    const int field_number = WireFormatLite::GetTagFieldNumber(tag);
    for (int number : keep) {
      if (number == field_number) {
        kept->append(wire.substr(static_cast<size_t>(start), static_cast<size_t>(in.CurrentPosition() - start)));
        break;
      }
    }
  }
  return true;
}

}  // namespace yusuan
