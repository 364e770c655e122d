// gRPC adapter of the report service: a pure function of ReportInput, with a
// render cache in its own RocksDB keyed by the digest of the input.
#ifndef YUSUAN_SERVICES_REPORT_REPORT_SERVER_H_
#define YUSUAN_SERVICES_REPORT_REPORT_SERVER_H_

#include <string>
#include <vector>

#include "services/common/store.h"
#include "services/common/worker_pool.h"
#include "yusuan/report/v1/report.grpc.pb.h"

namespace yusuan::report {

inline constexpr char kRenderCacheCf[] = "render_cache";
// budget name + big-endian version → PublishedDisclosure (immutable).
inline constexpr char kPublishedCf[] = "published";
// budget name → big-endian latest published version.
inline constexpr char kPublishedLatestCf[] = "published_latest";
// artifact SHA-256 (hex) → VerifyArtifactResponse without latest_version.
inline constexpr char kArtifactIndexCf[] = "artifact_index";

std::vector<std::string> ReportColumnFamilies();

class ReportServer final : public yusuan::report::v1::ReportService::CallbackService {
 public:
  ReportServer(Store* store, WorkerPool* pool) : store_(store), pool_(pool) {}

  grpc::ServerUnaryReactor* Render(grpc::CallbackServerContext* context,
                                   const v1::RenderRequest* request,
                                   v1::Artifact* response) override;
  grpc::ServerUnaryReactor* Publish(grpc::CallbackServerContext* context, const v1::PublishRequest* request,
                                    v1::PublishedDisclosure* response) override;
  grpc::ServerUnaryReactor* GetPublished(grpc::CallbackServerContext* context,
                                         const v1::GetPublishedRequest* request,
                                         v1::PublishedDisclosure* response) override;
  grpc::ServerUnaryReactor* VerifyArtifact(grpc::CallbackServerContext* context,
                                           const v1::VerifyArtifactRequest* request,
                                           v1::VerifyArtifactResponse* response) override;
  grpc::ServerUnaryReactor* ListPublished(grpc::CallbackServerContext* context,
                                          const v1::ListPublishedRequest* request,
                                          v1::ListPublishedResponse* response) override;

 private:
  Store* store_;
  WorkerPool* pool_;
};

}  // namespace yusuan::report

#endif  // YUSUAN_SERVICES_REPORT_REPORT_SERVER_H_
