#include "services/gateway/grpc/export_stream.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/tsan_handoff.h"
#include "services/gateway/grpc/grpc_service.h"
#include "services/gateway/grpc/trailers.h"

namespace yusuan::gateway {

namespace gv1 = yusuan::gateway::v1;

ExportFilingsStream::ExportFilingsStream(grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                                         Orchestrator* orchestrator, WorkerPool* pool, const AccessPolicy* access,
                                         Telemetry* telemetry)
    : context_(context),
      orchestrator_(orchestrator),
      pool_(pool),
      observed_(std::make_unique<GrpcCallObservation>(telemetry, context, gv1::ExportFilingsRequest::descriptor())) {
  absl::StatusOr<CallOptions> call = PublicCallOptions(context, access, observed_.get());
  if (!call.ok()) {
    EndWith(call.status());
    return;
  }
  call_ = *std::move(call);
  if (absl::Status parsed = ParseRawRequest(FlattenByteBuffer(*request), "", &request_); !parsed.ok()) {
    EndWith(parsed);
    return;
  }
  observed_->SetRequest(request_);
  if (absl::Status checked = orchestrator_->CheckExport(request_, call_); !checked.ok()) {
    EndWith(checked);
    return;
  }
  resume_cursor_ = request_.after_cursor();
  FetchPage();
}

void ExportFilingsStream::FetchPage() {
  if (!pool_->TrySubmit([this] { ReadPage(); })) {
    EndWith(absl::ResourceExhaustedError(absl::StrCat(
        "网关繁忙，导出暂停；请稍后以 after_cursor \"", resume_cursor_,
        "\" 继续 / the gateway is busy: resume the export shortly with after_cursor \"", resume_cursor_, "\"")));
  }
}

void ExportFilingsStream::ReadPage() {
  absl::StatusOr<Orchestrator::ExportPage> page =
      orchestrator_->ExportFilingsPage(request_, resume_cursor_, kPageSize, call_);
  if (!page.ok()) {
    // What was written stands: the client resumes after its last cursor.
    EndWith(page.status());
    return;
  }
  page_ = *std::move(page);
  next_ = 0;
  last_page_ = page_.resume_cursor.empty();
  resume_cursor_ = page_.resume_cursor;
  WriteNext();
}

void ExportFilingsStream::WriteNext() {
  if (next_ < page_.filings.size()) {
    const std::string bytes = page_.filings[next_++].SerializeAsString();
    bytes_out_ += bytes.size();
    grpc::Slice slice(bytes);
    out_ = grpc::ByteBuffer(&slice, 1);
    TsanRelease(this);
    StartWrite(&out_);
    return;
  }
  if (last_page_) {
    End(grpc::Status::OK);
    return;
  }
  FetchPage();
}

void ExportFilingsStream::OnWriteDone(bool ok) {
  TsanAcquire(this);
  if (!ok) {
    End(grpc::Status(grpc::StatusCode::CANCELLED, "the client stopped reading the export"));
    return;
  }
  WriteNext();
}

void ExportFilingsStream::End(const grpc::Status& status) {
  observed_->Finish(status, bytes_out_);
  TsanRelease(this);
  Finish(status);
}

void ExportFilingsStream::EndWith(const absl::Status& error) { End(ToGrpcStatus(FitForTrailers(error))); }

void ExportFilingsStream::OnDone() {
  TsanAcquire(this);
  delete this;
  TsanCallDone();
}

}  // namespace yusuan::gateway
