#include "services/common/byte_buffer.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace yusuan {

grpc::ByteBuffer WireToByteBuffer(std::string wire) {
  auto* owned = new std::string(std::move(wire));
  grpc::Slice slice(
      owned->data(), owned->size(), [](void* bytes) { delete static_cast<std::string*>(bytes); }, owned);
  return grpc::ByteBuffer(&slice, 1);
}

absl::Status ParseRequestBytes(const grpc::ByteBuffer& request, google::protobuf::MessageLite* parsed) {
  std::vector<grpc::Slice> slices;
  std::string flat;
  if (request.Dump(&slices).ok()) {
    for (const grpc::Slice& slice : slices) flat.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  if (!parsed->ParseFromString(flat)) {
    return absl::InvalidArgumentError(absl::StrCat("请求无法解析为 ", parsed->GetTypeName(),
                                                   " / the request does not parse as ", parsed->GetTypeName()));
  }
  return absl::OkStatus();
}

}  // namespace yusuan
