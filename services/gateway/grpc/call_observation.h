// A public gRPC call as metrics and the access log see it: the method's
// name, the request id (the client's x-request-id or a new one, echoed in
// the initial metadata), the peer and the resource the request names.
#ifndef YUSUAN_SERVICES_GATEWAY_GRPC_CALL_OBSERVATION_H_
#define YUSUAN_SERVICES_GATEWAY_GRPC_CALL_OBSERVATION_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <string>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "services/gateway/observability/telemetry.h"

namespace yusuan::gateway {

// A gRPC call of PublicApi. Reads the request id and the peer from the
// context and adds the x-request-id initial metadata, so it must be made in
// the method handler, before the call is finished.
class GrpcCallObservation : public RequestObservation {
 public:
  GrpcCallObservation(Telemetry* telemetry, grpc::CallbackServerContext* context,
                      const google::protobuf::Descriptor* request_type);
  // The parsed request: its name, parent or budget_name is the resource.
  void SetRequest(const google::protobuf::Message& request);
  // Call right before reactor->Finish(status): after it the context is gone.
  void Finish(const grpc::Status& status, uint64_t bytes_out);
};

// The PublicApi method that takes `request_type` ("GetBudget" for
// yusuan.ledger.v1.GetBudgetRequest), read from the service's descriptor;
// the type's full name when no method takes it. Each request type belongs
// to exactly one method of PublicApi (gateway_telemetry_test checks it).
std::string PublicRpcName(const google::protobuf::Descriptor* request_type);

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_GRPC_CALL_OBSERVATION_H_
