#include "bench/load/request_template.h"

#include <memory>
#include <set>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/json_util.h"
#include "grpc/health/v1/health.pb.h"
#include "yusuan/gateway/v1/gateway.pb.h"

namespace yusuan::load {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;

// The files whose services a load run may call. Naming one message of each
// is what links its generated code: a .pb.cc registers its descriptors in
// the generated pool only when its object file is linked, and from a static
// library that happens only when something refers to it. The gateway's file
// imports the backends' service files, which come with it.
std::vector<const FileDescriptor*> RootFiles() {
  return {yusuan::gateway::v1::ApplyFilingRequest::descriptor()->file(),
          grpc::health::v1::HealthCheckRequest::descriptor()->file()};
}

void CollectServices(const FileDescriptor* file, std::set<const FileDescriptor*>& seen,
                     std::set<std::string>& services) {
  if (!seen.insert(file).second) return;
  for (int i = 0; i < file->service_count(); ++i) services.insert(file->service(i)->full_name());
  for (int i = 0; i < file->dependency_count(); ++i) CollectServices(file->dependency(i), seen, services);
}

// protobuf's wire format: a varint is 7 bits a byte, low first, the high bit
// set on every byte but the last.
void AppendVarint(uint64_t value, std::string& out) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

absl::StatusOr<const FieldDescriptor*> VaryField(const google::protobuf::Descriptor& request, const std::string& name) {
  const FieldDescriptor* field = request.FindFieldByName(name);
  if (field == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("--vary_field ", name, ": ", request.full_name(), " has no field of that name"));
  }
  if (field->is_repeated() ||
      (field->type() != FieldDescriptor::TYPE_STRING && field->type() != FieldDescriptor::TYPE_BYTES)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--vary_field ", name, ": ", field->full_name(), " is not a singular string or bytes field"));
  }
  return field;
}

}  // namespace

std::string LinkedServiceNames() {
  std::set<const FileDescriptor*> seen;
  std::set<std::string> services;
  for (const FileDescriptor* file : RootFiles()) CollectServices(file, seen, services);
  return absl::StrJoin(services, ", ");
}

absl::StatusOr<RequestTemplate> RequestTemplate::Create(const std::string& method_path, const std::string& json,
                                                        const std::string& vary_field) {
  RootFiles();  // the descriptors must be in the pool before the look-up
  // "/package.Service/Method" on the wire is "package.Service.Method" in the pool.
  const size_t slash = method_path.rfind('/');
  if (method_path.size() < 4 || method_path.front() != '/' || slash == 0 || slash + 1 == method_path.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--method ", method_path, ": expected /package.Service/Method, e.g. /grpc.health.v1.Health/Check"));
  }
  const std::string full_name = absl::StrCat(method_path.substr(1, slash - 1), ".", method_path.substr(slash + 1));
  const google::protobuf::MethodDescriptor* method =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(full_name);
  if (method == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--method ", method_path, ": no such method in the services yusuan-load knows (", LinkedServiceNames(), ")"));
  }
  if (method->client_streaming() || method->server_streaming()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--method ", method_path, ": a streaming method; yusuan-load sends unary calls only"));
  }

  // A dynamic message over the generated descriptor: what any descriptor in
  // the pool allows, with no generated class named here.
  google::protobuf::DynamicMessageFactory factory;
  std::unique_ptr<google::protobuf::Message> request(factory.GetPrototype(method->input_type())->New());
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  if (auto parsed = google::protobuf::util::JsonStringToMessage(json, request.get(), options); !parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the request JSON is not a valid ", method->input_type()->full_name(), ": ", std::string(parsed.message())));
  }

  int vary_field_number = 0;
  if (!vary_field.empty()) {
    absl::StatusOr<const FieldDescriptor*> field = VaryField(*method->input_type(), vary_field);
    if (!field.ok()) return field.status();
    // The per-call value replaces whatever the JSON gave.
    request->GetReflection()->ClearField(request.get(), *field);
    vary_field_number = (*field)->number();
  }
  std::string fixed;
  if (!request->SerializeToString(&fixed)) {
    return absl::InternalError(absl::StrCat("could not serialize the ", method->input_type()->full_name()));
  }
  return RequestTemplate(method, grpc::Slice(fixed), vary_field_number);
}

grpc::ByteBuffer RequestTemplate::Payload(std::string_view vary_value) const {
  if (!varies()) return grpc::ByteBuffer(&fixed_, 1);
  // Tag (field number, wire type 2: length-delimited), length, bytes.
  std::string field;
  AppendVarint((static_cast<uint64_t>(vary_field_number_) << 3) | 2, field);
  AppendVarint(vary_value.size(), field);
  field.append(vary_value);
  const grpc::Slice slices[] = {fixed_, grpc::Slice(field)};
  return grpc::ByteBuffer(slices, 2);
}

}  // namespace yusuan::load
