// ImportFilings on the callback API: a bidirectional stream of raw
// messages, one filing in, one answer out, in order. One filing is in
// flight at a time: the next is read only once the answer to the last is
// written, so gRPC's flow control holds a fast client back and neither
// side buffers the batch.
// Each operation's start releases the reactor and each reaction acquires it
// first (services/common/tsan_handoff.h): gRPC's hand-off, told to TSan.
#ifndef YUSUAN_SERVICES_GATEWAY_GRPC_IMPORT_STREAM_H_
#define YUSUAN_SERVICES_GATEWAY_GRPC_IMPORT_STREAM_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"

#include "services/common/worker_pool.h"
#include "services/gateway/grpc/call_observation.h"
#include "services/gateway/orchestrator.h"

namespace yusuan::gateway {

class ImportFilingsStream final : public grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  // Starts reading at once; deletes itself when the call is done. None of
  // the pointers is owned; `access` and `telemetry` may be null.
  ImportFilingsStream(grpc::CallbackServerContext* context, Orchestrator* orchestrator, WorkerPool* pool,
                      const AccessPolicy* access, Telemetry* telemetry);

  void OnReadDone(bool ok) override;
  void OnWriteDone(bool ok) override;
  void OnDone() override;

 private:
  // On a worker: parse the filing just read, import it, write its answer.
  void ImportOne();
  void End(const grpc::Status& status);
  // End with a refusal, cut to fit the trailers.
  void EndWith(const absl::Status& error);

  grpc::CallbackServerContext* context_;
  Orchestrator* orchestrator_;
  WorkerPool* pool_;
  CallOptions call_;
  std::unique_ptr<GrpcCallObservation> observed_;
  grpc::ByteBuffer in_;
  grpc::ByteBuffer out_;
  bool first_ = true;
  std::string request_id_;
  int64_t next_index_ = 0;
  uint64_t bytes_out_ = 0;
};

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_GRPC_IMPORT_STREAM_H_
