#include "services/gateway/grpc/call_observation.h"

#include <map>
#include <string>

#include "services/common/random_id.h"
#include "services/gateway/observability/access_log.h"
#include "yusuan/gateway/v1/gateway.pb.h"

namespace yusuan::gateway {
namespace {

constexpr char kRequestIdMetadata[] = "x-request-id";

}  // namespace

GrpcCallObservation::GrpcCallObservation(Telemetry* telemetry, grpc::CallbackServerContext* context,
                                         const google::protobuf::Descriptor* request_type)
    : RequestObservation(telemetry, Face::kGrpc) {
  if (!active()) return;
  record().method = PublicRpcName(request_type);
  std::string id;
  const auto& metadata = context->client_metadata();
  if (const auto found = metadata.find(kRequestIdMetadata); found != metadata.end()) {
    id = AcceptableRequestId(std::string(found->second.data(), found->second.size()));
  }
  if (id.empty()) id = RandomHexId();
  record().request_id = id;
  record().peer = NormalizeGrpcPeer(context->peer());
  // Initial metadata goes out with the first message or the status, both
  // later than this (the handler has not finished the call yet).
  context->AddInitialMetadata(kRequestIdMetadata, id);
}

void GrpcCallObservation::SetRequest(const google::protobuf::Message& request) {
  if (!active()) return;
  // The resource the request names, when it has a top-level string field
  // for one: a cheap reflection lookup, and never anything from the body
  // beyond that name.
  const google::protobuf::Descriptor* descriptor = request.GetDescriptor();
  const google::protobuf::Reflection* reflection = request.GetReflection();
  for (const char* field_name : {"name", "parent", "budget_name"}) {
    const google::protobuf::FieldDescriptor* field = descriptor->FindFieldByName(field_name);
    if (field == nullptr || field->is_repeated() ||
        field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_STRING) {
      continue;
    }
    std::string value = reflection->GetString(request, field);
    if (!value.empty()) {
      // A name is short; a client could still send a long one.
      if (value.size() > 256) value.resize(256);
      record().resource = std::move(value);
      return;
    }
  }
}

void GrpcCallObservation::Finish(const grpc::Status& status, uint64_t bytes_out) {
  RequestObservation::Finish(GrpcCodeName(status.error_code()), !status.ok(), bytes_out);
}

std::string PublicRpcName(const google::protobuf::Descriptor* request_type) {
  // Built once: the descriptor of PublicApi never changes in a process.
  static const auto* names = [] {
    auto* map = new std::map<std::string, std::string>();
    const google::protobuf::ServiceDescriptor* service =
        yusuan::gateway::v1::ApplyFilingRequest::descriptor()->file()->FindServiceByName("PublicApi");
    if (service != nullptr) {
      for (int i = 0; i < service->method_count(); ++i) {
        const google::protobuf::MethodDescriptor* method = service->method(i);
        map->emplace(method->input_type()->full_name(), method->name());
      }
    }
    return map;
  }();
  if (request_type == nullptr) return "";
  const auto found = names->find(request_type->full_name());
  return found == names->end() ? request_type->full_name() : found->second;
}

}  // namespace yusuan::gateway
