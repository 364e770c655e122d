// ExportFilings on the callback API: a server stream of raw messages. A
// page of departments is read on a worker, its filings written one at a
// time, and the next page read only once the last is written: memory holds
// one page whatever the region's size, and a client that reads slowly holds
// back the reads, not a queue.
// Each operation's start releases the reactor and each reaction acquires it
// first (services/common/tsan_handoff.h): gRPC's hand-off, told to TSan.
#ifndef YUSUAN_SERVICES_GATEWAY_GRPC_EXPORT_STREAM_H_
#define YUSUAN_SERVICES_GATEWAY_GRPC_EXPORT_STREAM_H_

#include <grpcpp/grpcpp.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "services/common/worker_pool.h"
#include "services/gateway/grpc/call_observation.h"
#include "services/gateway/orchestrator.h"

namespace yusuan::gateway {

class ExportFilingsStream final : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  // Departments read from the ledger per page.
  static constexpr int kPageSize = 50;

  // Starts at once; deletes itself when the call is done. None of the
  // pointers is owned; `access` and `telemetry` may be null.
  ExportFilingsStream(grpc::CallbackServerContext* context, const grpc::ByteBuffer* request, Orchestrator* orchestrator,
                      WorkerPool* pool, const AccessPolicy* access, Telemetry* telemetry);

  void OnWriteDone(bool ok) override;
  void OnDone() override;

 private:
  // Reads the next page on a worker, then writes its first filing.
  void FetchPage();
  void ReadPage();
  // Writes page_.filings[next_], or reads the next page, or ends.
  void WriteNext();
  void End(const grpc::Status& status);
  void EndWith(const absl::Status& error);

  grpc::CallbackServerContext* context_;
  Orchestrator* orchestrator_;
  WorkerPool* pool_;
  CallOptions call_;
  std::unique_ptr<GrpcCallObservation> observed_;
  yusuan::gateway::v1::ExportFilingsRequest request_;
  Orchestrator::ExportPage page_;
  size_t next_ = 0;
  // Where the next page starts; empty before the first page means the
  // request's own cursor.
  std::string resume_cursor_;
  bool last_page_ = false;
  grpc::ByteBuffer out_;
  uint64_t bytes_out_ = 0;
};

}  // namespace yusuan::gateway

#endif  // YUSUAN_SERVICES_GATEWAY_GRPC_EXPORT_STREAM_H_
