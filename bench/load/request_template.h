// The request a load run sends, built once from protobuf JSON.
//
// The request type comes from the method's full path, looked up among the
// descriptors linked into this library: every Yusuan service (the gateway's
// PublicApi and the backends' services its contract imports) and
// grpc.health.v1. So `yusuan-load` needs no .proto files and no reflection
// from the server, and a JSON field the type does not have is refused before
// any call is made.
#ifndef YUSUAN_BENCH_LOAD_REQUEST_TEMPLATE_H_
#define YUSUAN_BENCH_LOAD_REQUEST_TEMPLATE_H_

#include <string>
#include <string_view>

#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/slice.h>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"

namespace yusuan::load {

class RequestTemplate {
 public:
  // `method_path` as on the wire ("/yusuan.gateway.v1.PublicApi/GetBudget");
  // `json` the request message in protobuf JSON; `vary_field` "" or the name
  // of a top-level singular string or bytes field of the request, set per
  // call (e.g. "request_id", so that every write is a new one).
  // INVALID_ARGUMENT for a path that is not a unary method of a linked
  // service, JSON that does not parse as its request, or a field that cannot
  // vary; the message says which.
  static absl::StatusOr<RequestTemplate> Create(const std::string& method_path, const std::string& json,
                                                const std::string& vary_field);

  const google::protobuf::MethodDescriptor& method() const { return *method_; }
  bool varies() const { return vary_field_number_ != 0; }

  // The serialized request, with the vary field (when there is one) set to
  // `vary_value`. Cheap and safe from any thread: the fixed bytes are one
  // shared slice, and the field is a few bytes appended after them (protobuf
  // parsers take a singular field's last occurrence, and the fixed bytes do
  // not hold it), so nothing is serialized per call.
  grpc::ByteBuffer Payload(std::string_view vary_value) const;

 private:
  RequestTemplate(const google::protobuf::MethodDescriptor* method, grpc::Slice fixed, int vary_field_number)
      : method_(method), fixed_(std::move(fixed)), vary_field_number_(vary_field_number) {}

  const google::protobuf::MethodDescriptor* method_;
  // The request serialized without the vary field.
  grpc::Slice fixed_;
  int vary_field_number_;
};

// "yusuan.gateway.v1.PublicApi, …": the services a method may belong to.
std::string LinkedServiceNames();

}  // namespace yusuan::load

#endif  // YUSUAN_BENCH_LOAD_REQUEST_TEMPLATE_H_
