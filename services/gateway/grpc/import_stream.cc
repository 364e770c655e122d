#include "services/gateway/grpc/import_stream.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/random_id.h"
#include "services/common/tsan_handoff.h"
#include "services/gateway/grpc/grpc_service.h"
#include "services/gateway/grpc/trailers.h"

namespace yusuan::gateway {

namespace gv1 = yusuan::gateway::v1;

namespace {

// Field paths inside the Filing, as ApplyFiling's refusals give them.
constexpr char kFilingPrefix[] = "filing.";

}  // namespace

ImportFilingsStream::ImportFilingsStream(grpc::CallbackServerContext* context, Orchestrator* orchestrator,
                                         WorkerPool* pool, const AccessPolicy* access, Telemetry* telemetry)
    : context_(context),
      orchestrator_(orchestrator),
      pool_(pool),
      observed_(std::make_unique<GrpcCallObservation>(telemetry, context, gv1::ImportFilingsRequest::descriptor())) {
  absl::StatusOr<CallOptions> call = PublicCallOptions(context, access, observed_.get());
  if (!call.ok()) {
    EndWith(call.status());
    return;
  }
  call_ = *std::move(call);
  // A caller whose role may not import at all is refused once, not per filing.
  if (absl::Status may = orchestrator_->MayCall(call_, "ImportFilings"); !may.ok()) {
    EndWith(may);
    return;
  }
  TsanRelease(this);
  StartRead(&in_);
}

void ImportFilingsStream::OnReadDone(bool ok) {
  TsanAcquire(this);
  if (!ok) {
    // The client closed its side (every filing answered), or the call ended.
    End(context_->IsCancelled() ? grpc::Status::CANCELLED : grpc::Status::OK);
    return;
  }
  if (!pool_->TrySubmit([this] { ImportOne(); })) {
    EndWith(absl::ResourceExhaustedError(absl::StrCat(
        "网关繁忙，第 ", next_index_, " 份申报未处理；请稍后用相同的 request_id \"", request_id_, "\" 和 first_index ",
        next_index_, " 从这一份继续导入 / the gateway is busy and did not take filing ", next_index_,
        ": resume the import from it shortly, with request_id \"", request_id_, "\" and first_index ", next_index_)));
  }
}

void ImportFilingsStream::ImportOne() {
  gv1::ImportFilingsRequest request;
  const absl::Status parsed = ParseRawRequest(FlattenByteBuffer(in_), kFilingPrefix, &request);
  in_.Clear();
  if (first_) {
    first_ = false;
    // The first message carries the import's request id and first index:
    // without them no answer could be numbered or retried safely.
    if (!parsed.ok()) {
      EndWith(WithMessagePrefix(
          parsed,
          "导入的第一条消息无法读取，未导入任何申报 / the import's first message cannot be read, so nothing "
          "was imported: "));
      return;
    }
    if (absl::Status start = Orchestrator::CheckImportStart(request.request_id(), request.first_index()); !start.ok()) {
      EndWith(start);
      return;
    }
    request_id_ = request.request_id().empty() ? RandomHexId() : request.request_id();
    next_index_ = request.first_index();
    observed_->SetRequest(request);
  }
  gv1::ImportFilingsResponse answer;
  if (!parsed.ok()) {
    answer.set_index(next_index_);
    answer.set_request_id(request_id_);
    answer.set_outcome(gv1::ImportFilingsResponse::OUTCOME_REFUSED);
    *answer.mutable_error() = ToRpcStatus(parsed);
  } else if (!request.request_id().empty() && request.request_id() != request_id_) {
    answer.set_index(next_index_);
    answer.set_request_id(request_id_);
    answer.set_outcome(gv1::ImportFilingsResponse::OUTCOME_REFUSED);
    *answer.mutable_error() = ToRpcStatus(
        InvalidField("request_id",
                     absl::StrCat("一次导入只有一个 request_id：本次为 \"", request_id_, "\"，这一份写的是 \"",
                                  request.request_id(), "\"；第一条消息之后请留空"),
                     absl::StrCat("an import has one request_id, \"", request_id_, "\"; this filing says \"",
                                  request.request_id(), "\": leave it empty after the first message")));
  } else {
    answer = orchestrator_->ImportFiling(request.filing(), next_index_, request_id_, call_);
  }
  ++next_index_;
  const std::string bytes = answer.SerializeAsString();
  bytes_out_ += bytes.size();
  grpc::Slice slice(bytes);
  out_ = grpc::ByteBuffer(&slice, 1);
  TsanRelease(this);
  StartWrite(&out_);
}

void ImportFilingsStream::OnWriteDone(bool ok) {
  TsanAcquire(this);
  if (!ok) {
    End(grpc::Status(grpc::StatusCode::CANCELLED, "the client stopped reading the answers"));
    return;
  }
  TsanRelease(this);
  StartRead(&in_);
}

void ImportFilingsStream::End(const grpc::Status& status) {
  observed_->Finish(status, bytes_out_);
  TsanRelease(this);
  Finish(status);
}

void ImportFilingsStream::EndWith(const absl::Status& error) { End(ToGrpcStatus(FitForTrailers(error))); }

void ImportFilingsStream::OnDone() {
  TsanAcquire(this);
  delete this;
  TsanCallDone();
}

}  // namespace yusuan::gateway
