#include "services/report/report_server.h"

#include <utility>

#include "services/common/errors.h"
#include "services/common/server.h"

namespace yusuan::report {
// Rendering is CPU work and every lookup a storage read: all run on the pool,
// not in the reaction; a publication's archive write then goes to the store's
// writer thread, which answers the call once it is durable.
grpc::ServerUnaryReactor* ReportServer::Render(grpc::CallbackServerContext* context, const v1::RenderRequest* request,
                                               v1::Artifact* response) {
  return OffloadUnary(context, pool_, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    AnswerUnary(reactor, response, core_.Render(*request));
  });
}

grpc::ServerUnaryReactor* ReportServer::GetCachedRender(grpc::CallbackServerContext* context,
                                                        const grpc::ByteBuffer* request, grpc::ByteBuffer* response) {
  return OffloadWireUnary<v1::GetCachedRenderRequest>(
      context, pool_, request, response,
      [this](const v1::GetCachedRenderRequest& parsed) { return core_.GetCachedRenderWire(parsed); });
}

grpc::ServerUnaryReactor* ReportServer::RenderRollup(grpc::CallbackServerContext* context,
                                                     const v1::RenderRollupRequest* request, v1::Artifact* response) {
  return OffloadUnary(context, pool_, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    AnswerUnary(reactor, response, core_.RenderRollup(*request));
  });
}

grpc::ServerUnaryReactor* ReportServer::StagePublication(grpc::CallbackServerContext* context,
                                                         const v1::PublishRequest* request,
                                                         v1::PublishedDisclosure* response) {
  return OffloadUnary(context, pool_, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    core_.StagePublication(*request, AnswerWhenDone(reactor, response));
  });
}

grpc::ServerUnaryReactor* ReportServer::ConfirmPublication(grpc::CallbackServerContext* context,
                                                           const v1::ConfirmPublicationRequest* request,
                                                           v1::PublishedDisclosure* response) {
  return OffloadUnary(context, pool_, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    core_.ConfirmPublication(*request, AnswerWhenDone(reactor, response));
  });
}

grpc::ServerUnaryReactor* ReportServer::AbandonPublication(grpc::CallbackServerContext* context,
                                                           const v1::AbandonPublicationRequest* request,
                                                           v1::AbandonPublicationResponse* response) {
  return OffloadUnary(context, pool_, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    core_.AbandonPublication(*request, AnswerWhenDone(reactor, response));
  });
}

grpc::ServerUnaryReactor* ReportServer::ListStagedPublications(grpc::CallbackServerContext* context,
                                                               const v1::ListStagedPublicationsRequest* request,
                                                               v1::ListStagedPublicationsResponse* response) {
  return OffloadUnary(context, pool_, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    AnswerUnary(reactor, response, core_.ListStagedPublications(*request));
  });
}

grpc::ServerUnaryReactor* ReportServer::GetPublished(grpc::CallbackServerContext* context,
                                                     const v1::GetPublishedRequest* request,
                                                     v1::PublishedDisclosure* response) {
  return OffloadUnary(context, pool_, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    AnswerUnary(reactor, response, core_.GetPublished(*request));
  });
}

grpc::ServerUnaryReactor* ReportServer::VerifyArtifact(grpc::CallbackServerContext* context,
                                                       const v1::VerifyArtifactRequest* request,
                                                       v1::VerifyArtifactResponse* response) {
  return OffloadUnary(context, pool_, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    AnswerUnary(reactor, response, core_.VerifyArtifact(*request));
  });
}

grpc::ServerUnaryReactor* ReportServer::ListPublished(grpc::CallbackServerContext* context,
                                                      const v1::ListPublishedRequest* request,
                                                      v1::ListPublishedResponse* response) {
  return OffloadUnary(context, pool_, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    AnswerUnary(reactor, response, core_.ListPublished(*request));
  });
}

}  // namespace yusuan::report
