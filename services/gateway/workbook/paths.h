// Field paths in protobuf JSON form ("staffing.inService",
// "history[1].value") resolved with reflection (internal to workbook/): the
// layout names fields this way, so the writer, the reader and the provenance
// map need no code per field.
#ifndef YUSUAN_SERVICES_GATEWAY_WORKBOOK_PATHS_H_
#define YUSUAN_SERVICES_GATEWAY_WORKBOOK_PATHS_H_

#include <string_view>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace yusuan::workbook {

// The field a path ends at, or nullptr when a step is not a field.
const google::protobuf::FieldDescriptor* LeafField(const google::protobuf::Descriptor* type, std::string_view path);

// An int64 field named *_fen: an amount in 分.
bool IsAmountField(const google::protobuf::FieldDescriptor* field);

// The message that holds the path's last field, or nullptr when a message on
// the way is absent (or an index is past the end): the value is then not
// written at all, which is how presence survives the round trip.
const google::protobuf::Message* ContainerForRead(const google::protobuf::Message& root, std::string_view path,
                                                  const google::protobuf::FieldDescriptor** leaf);

// The same, creating every message on the way (and list elements up to an
// index), for the reader.
google::protobuf::Message* ContainerForWrite(google::protobuf::Message* root, std::string_view path,
                                             const google::protobuf::FieldDescriptor** leaf);

}  // namespace yusuan::workbook

#endif  // YUSUAN_SERVICES_GATEWAY_WORKBOOK_PATHS_H_
