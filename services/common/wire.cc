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

}  // namespace yusuan
