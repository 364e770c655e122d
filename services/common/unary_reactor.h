// The reactor of a unary callback call, and how it is finished, with the
// hand-off between the thread that finishes the call and gRPC's thread that
// then destroys its request and response told to ThreadSanitizer
// (tsan_handoff.h, tests/README.md § ThreadSanitizer).
//
// A call answered off gRPC's thread (OffloadUnary, the gateway's pooled
// calls) writes its response on a worker and finishes there; gRPC then
// sends the answer and, on a thread of its own, destroys the request and
// the response once the call is done. libgrpc orders the two. gRPC's
// default reactor gives us no callback on that thread, so in a TSan build
// the call gets a reactor of ours whose OnDone, run right before gRPC
// destroys the messages, acquires what FinishUnary released. Other builds
// keep gRPC's default reactor (no allocation, OnDone run inline).
#ifndef YUSUAN_SERVICES_COMMON_UNARY_REACTOR_H_
#define YUSUAN_SERVICES_COMMON_UNARY_REACTOR_H_

#include <grpcpp/grpcpp.h>

#include <utility>

#include "services/common/tsan_handoff.h"

namespace yusuan {

#ifdef YUSUAN_TSAN_HANDOFF
namespace internal {
class HandoffUnaryReactor final : public grpc::ServerUnaryReactor {
 public:
  void OnDone() override {
    TsanAcquire(this);
    delete this;
    TsanCallDone();
  }
  // As gRPC's default reactor says of itself: its reactions are trivial, so
  // gRPC may run OnDone inline rather than hop to its executor. The call
  // completes as it does with the default reactor in other builds.
  bool InternalInlineable() override { return true; }
};
}  // namespace internal
#endif

// The reactor for a unary call: finish it with FinishUnary, once.
inline grpc::ServerUnaryReactor* NewUnaryReactor([[maybe_unused]] grpc::CallbackServerContext* context) {
#ifdef YUSUAN_TSAN_HANDOFF
  return new internal::HandoffUnaryReactor();
#else
  return context->DefaultReactor();
#endif
}

// reactor->Finish(status), from any thread, after the response is written.
inline void FinishUnary(grpc::ServerUnaryReactor* reactor, grpc::Status status) {
  TsanRelease(reactor);
  reactor->Finish(std::move(status));
}

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_UNARY_REACTOR_H_
