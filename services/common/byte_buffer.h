// Serialized messages as gRPC byte buffers and back, for raw methods and
// generic calls: a server that sends stored bytes as they are
// (services/common/wire.h), a gateway that answers with a serialization.
#ifndef YUSUAN_SERVICES_COMMON_BYTE_BUFFER_H_
#define YUSUAN_SERVICES_COMMON_BYTE_BUFFER_H_

#include <string>

#include <grpcpp/support/byte_buffer.h>

#include "absl/status/status.h"
#include "google/protobuf/message_lite.h"

namespace yusuan {

// The bytes of a serialized answer as a gRPC response, without a copy.
grpc::ByteBuffer WireToByteBuffer(std::string wire);
// A request of a raw method; INVALID_ARGUMENT when it does not parse.
absl::Status ParseRequestBytes(const grpc::ByteBuffer& request, google::protobuf::MessageLite* parsed);

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_BYTE_BUFFER_H_
