// gRPC adapter of the report service: each call runs ReportCore
// (report_core.h) on the worker pool, never in the reaction, and answers its
// status with the structured details the core attached (errors.h).
#ifndef YUSUAN_SERVICES_REPORT_REPORT_SERVER_H_
#define YUSUAN_SERVICES_REPORT_REPORT_SERVER_H_

#include "services/common/store.h"
#include "services/common/worker_pool.h"
#include "services/report/report_core.h"
#include "yusuan/report/v1/report.grpc.pb.h"

namespace yusuan::report {

// GetCachedRender sends the cached bytes as they are stored.
class ReportServer final : public yusuan::report::v1::ReportService::WithRawCallbackMethod_GetCachedRender<
                               yusuan::report::v1::ReportService::CallbackService> {
 public:
  // Nothing is owned; `store` must outlive the server, and the pool must be
  // drained before the server is destroyed.
  ReportServer(Store* store, WorkerPool* pool) : pool_(pool), core_(store) {}

  grpc::ServerUnaryReactor* Render(grpc::CallbackServerContext* context, const v1::RenderRequest* request,
                                   v1::Artifact* response) override;
  grpc::ServerUnaryReactor* GetCachedRender(grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                                            grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* RenderRollup(grpc::CallbackServerContext* context, const v1::RenderRollupRequest* request,
                                         v1::Artifact* response) override;
  grpc::ServerUnaryReactor* StagePublication(grpc::CallbackServerContext* context, const v1::PublishRequest* request,
                                             v1::PublishedDisclosure* response) override;
  grpc::ServerUnaryReactor* ConfirmPublication(grpc::CallbackServerContext* context,
                                               const v1::ConfirmPublicationRequest* request,
                                               v1::PublishedDisclosure* response) override;
  grpc::ServerUnaryReactor* AbandonPublication(grpc::CallbackServerContext* context,
                                               const v1::AbandonPublicationRequest* request,
                                               v1::AbandonPublicationResponse* response) override;
  grpc::ServerUnaryReactor* ListStagedPublications(grpc::CallbackServerContext* context,
                                                   const v1::ListStagedPublicationsRequest* request,
                                                   v1::ListStagedPublicationsResponse* response) override;
  grpc::ServerUnaryReactor* GetPublished(grpc::CallbackServerContext* context, const v1::GetPublishedRequest* request,
                                         v1::PublishedDisclosure* response) override;
  grpc::ServerUnaryReactor* VerifyArtifact(grpc::CallbackServerContext* context,
                                           const v1::VerifyArtifactRequest* request,
                                           v1::VerifyArtifactResponse* response) override;
  grpc::ServerUnaryReactor* ListPublished(grpc::CallbackServerContext* context, const v1::ListPublishedRequest* request,
                                          v1::ListPublishedResponse* response) override;

 private:
  WorkerPool* pool_;
  ReportCore core_;
};

}  // namespace yusuan::report

#endif  // YUSUAN_SERVICES_REPORT_REPORT_SERVER_H_
