#include "services/gateway/grpc/watch_stream.h"

#include <algorithm>
#include <utility>

#include "services/common/errors.h"
#include "services/common/tsan_handoff.h"
#include "services/gateway/grpc/grpc_service.h"
#include "services/gateway/grpc/trailers.h"

namespace yusuan::gateway {

namespace gv1 = yusuan::gateway::v1;

namespace {

// One read of the log waits at most this long: then the stream sends a
// progress message (when the position moved) and reads again, so a client
// that went away is noticed and a narrow region's cursor keeps up.
constexpr std::chrono::milliseconds kReadWait{5000};

}  // namespace

WatchChangesStream::WatchChangesStream(grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                                       Orchestrator* orchestrator, const AccessPolicy* access, Telemetry* telemetry)
    : context_(context),
      orchestrator_(orchestrator),
      observed_(std::make_unique<GrpcCallObservation>(telemetry, context, gv1::WatchChangesRequest::descriptor())) {
  absl::StatusOr<CallOptions> call = PublicCallOptions(context, access, observed_.get());
  if (!call.ok()) {
    EndWith(call.status());
    return;
  }
  call_ = *std::move(call);
  gv1::WatchChangesRequest parsed;
  if (absl::Status status = ParseRawRequest(FlattenByteBuffer(*request), "", &parsed); !status.ok()) {
    EndWith(status);
    return;
  }
  observed_->SetRequest(parsed);
  absl::StatusOr<Orchestrator::ChangeFeed> start = orchestrator_->StartChangeFeed(parsed, call_);
  if (!start.ok()) {
    EndWith(start.status());
    return;
  }
  position_ = *std::move(start);
  idle_limit_ = std::chrono::milliseconds(parsed.wait_ms());
  last_change_ = std::chrono::steady_clock::now();
  ReadMore();
}

void WatchChangesStream::ReadMore() {
  if (context_->IsCancelled()) {
    End(grpc::Status::CANCELLED);
    return;
  }
  std::chrono::milliseconds wait = kReadWait;
  if (idle_limit_.count() > 0) {
    const auto idle =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - last_change_);
    if (idle >= idle_limit_) {
      End(grpc::Status::OK);
      return;
    }
    wait = std::min(wait, idle_limit_ - idle);
  }
  orchestrator_->ReadFeedAsync(position_, wait, call_,
                               [this](absl::StatusOr<Orchestrator::FeedPage> page) { OnRead(std::move(page)); });
}

void WatchChangesStream::OnRead(absl::StatusOr<Orchestrator::FeedPage> page) {
  if (!page.ok()) {
    EndWith(page.status());
    return;
  }
  const bool moved = !page->next.SamePlace(position_);
  for (auto& change : page->changes) queue_.push_back(std::move(change));
  if (!page->changes.empty()) {
    last_change_ = std::chrono::steady_clock::now();
  } else if (moved) {
    // Nothing of this region, but the log moved on: a progress message
    // carries the position, so the client's stored cursor keeps up.
    gv1::WatchChangesResponse progress;
    progress.set_cursor(Orchestrator::EncodeFeedCursor(page->next));
    queue_.push_back(std::move(progress));
  }
  position_ = page->next;
  WriteNext();
}

void WatchChangesStream::WriteNext() {
  if (queue_.empty()) {
    ReadMore();
    return;
  }
  const std::string bytes = queue_.front().SerializeAsString();
  queue_.pop_front();
  bytes_out_ += bytes.size();
  grpc::Slice slice(bytes);
  out_ = grpc::ByteBuffer(&slice, 1);
  TsanRelease(this);
  StartWrite(&out_);
}

void WatchChangesStream::OnWriteDone(bool ok) {
  TsanAcquire(this);
  if (!ok) {
    End(grpc::Status(grpc::StatusCode::CANCELLED, "the client stopped reading the changes"));
    return;
  }
  WriteNext();
}

void WatchChangesStream::End(const grpc::Status& status) {
  observed_->Finish(status, bytes_out_);
  TsanRelease(this);
  Finish(status);
}

void WatchChangesStream::EndWith(const absl::Status& error) { End(ToGrpcStatus(FitForTrailers(error))); }

void WatchChangesStream::OnDone() {
  TsanAcquire(this);
  delete this;
  TsanCallDone();
}

}  // namespace yusuan::gateway
