#include "services/report/report_server.h"

#include <openssl/evp.h>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "services/common/errors.h"
#include "services/common/server.h"
#include "services/report/domain/render.h"

namespace yusuan::report {
namespace {

// Bump when the renderer's output changes, so cached renders are not reused.
constexpr char kRendererVersion[] = "render-v1";

std::string CacheKey(const v1::RenderRequest& request) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    request.SerializeToCodedStream(&coded);
  }
  bytes += kRendererVersion;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(digest), length);
}

}  // namespace

std::vector<std::string> ReportColumnFamilies() { return {kRenderCacheCf}; }

// Rendering is CPU work and the cache lookup a storage read: both run on the
// pool, not in the reaction. Storing a fresh render is handed to the writer
// thread and not waited for: a lost cache entry only costs a re-render.
grpc::ServerUnaryReactor* ReportServer::Render(grpc::CallbackServerContext* context,
                                               const v1::RenderRequest* request,
                                               v1::Artifact* response) {
  return OffloadUnary(context, pool_, [this, request, response](grpc::ServerUnaryReactor* reactor) {
    const std::string key = CacheKey(*request);
    auto cached = store_->Get(kRenderCacheCf, key);
    if (cached.ok() && cached->has_value() && response->ParseFromString(**cached)) {
      reactor->Finish(grpc::Status::OK);
      return;
    }
    auto artifact = RenderReport(request->input(), request->format());
    if (artifact.ok()) {
      std::string bytes = artifact->SerializeAsString();
      store_->Submit(
          [key, bytes](Store::Txn& txn) {
            txn.Put(kRenderCacheCf, key, bytes);
            return absl::OkStatus();
          },
          [](absl::Status) {});
      *response = std::move(*artifact);
    }
    reactor->Finish(ToGrpcStatus(artifact.status()));
  });
}

}  // namespace yusuan::report
