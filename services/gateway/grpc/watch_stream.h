// WatchChanges on the callback API: a server stream of changes, read from
// the ledger's change log with asynchronous calls, so a watching client holds
// no thread while it waits (README § Change feed). One operation is in
// flight at a time — a read of the log or a write to the client — and the
// next starts when it completes: a slow client holds the reads back through
// gRPC's flow control, and the stream ends only from a completion, never
// while the other operation could still call back.
// Each write's start releases the reactor and each reaction acquires it
// first, as ReadLogAsync does for the reads (services/common/
// tsan_handoff.h): gRPC's hand-off, told to TSan.
#ifndef YUSUAN_SERVICES_GATEWAY_GRPC_WATCH_STREAM_H_
#define YUSUAN_SERVICES_GATEWAY_GRPC_WATCH_STREAM_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>

#include "absl/status/statusor.h"
#include "services/gateway/grpc/call_observation.h"
#include "services/gateway/orchestrator.h"

namespace yusuan::gateway {

class WatchChangesStream final : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  // Starts at once; deletes itself when the call is done. None of the
  // pointers is owned; `access` and `telemetry` may be null.
  WatchChangesStream(grpc::CallbackServerContext* context, const grpc::ByteBuffer* request, Orchestrator* orchestrator,
                     const AccessPolicy* access, Telemetry* telemetry);

  void OnWriteDone(bool ok) override;
  void OnDone() override;

 private:
  // The next read of the log, or the end when the stream was idle for the
  // request's wait_ms.
  void ReadMore();
  void OnRead(absl::StatusOr<Orchestrator::FeedPage> page);
  // Writes the next queued message, or reads more when none is left.
  void WriteNext();
  void End(const grpc::Status& status);
  void EndWith(const absl::Status& error);

  grpc::CallbackServerContext* context_;
  Orchestrator* orchestrator_;
  CallOptions call_;
  std::unique_ptr<GrpcCallObservation> observed_;
  Orchestrator::ChangeFeed position_;
  // 0: no idle end.
  std::chrono::milliseconds idle_limit_{0};
  std::chrono::steady_clock::time_point last_change_;
  std::deque<yusuan::gateway::v1::WatchChangesResponse> queue_;
  grpc::ByteBuffer out_;
  uint64_t bytes_out_ = 0;
};

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_GRPC_WATCH_STREAM_H_
