// Happens-before edges of gRPC's callback API, told to ThreadSanitizer.
//
// Why: Debian's libgrpc is not built with TSan. A gRPC operation started
// on one thread (StartWrite, StartRead, Finish in a server reactor; an
// async()->Method call of a client) completes on another, in a callback
// (OnWriteDone, OnReadDone, OnDone; the call's lambda), and libgrpc orders
// the two: what the starting thread wrote before the start, the callback
// sees. That hand-off runs inside libgrpc, which TSan does not see, so each
// object of ours written before the start and read in the callback (a
// reactor's members, a response message, the reactor deleted in OnDone)
// is reported as a race though gRPC guarantees the order
// (tests/README.md § ThreadSanitizer).
//
// TsanRelease(addr) right before the start and TsanAcquire(addr) first
// thing in the callback, on the same address (the reactor, the call's
// state), state exactly that guarantee and nothing more: accesses not
// ordered by gRPC are still checked. Outside a TSan build both are empty
// inline functions.
#ifndef YUSUAN_SERVICES_COMMON_TSAN_HANDOFF_H_
#define YUSUAN_SERVICES_COMMON_TSAN_HANDOFF_H_

#if defined(__SANITIZE_THREAD__)
#define YUSUAN_TSAN_HANDOFF 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define YUSUAN_TSAN_HANDOFF 1
#endif
#endif

#ifdef YUSUAN_TSAN_HANDOFF
// ThreadSanitizer's runtime (compiler-rt, tsan_interface.h).
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#endif

namespace yusuan {

// What this thread did so far happens before whatever follows a
// TsanAcquire(addr) on another thread.
inline void TsanRelease([[maybe_unused]] const void* addr) {
#ifdef YUSUAN_TSAN_HANDOFF
  __tsan_release(const_cast<void*>(addr));
#endif
}

// What preceded each TsanRelease(addr) happens before what this thread does
// next.
inline void TsanAcquire([[maybe_unused]] const void* addr) {
#ifdef YUSUAN_TSAN_HANDOFF
  __tsan_acquire(const_cast<void*>(addr));
#endif
}

// The end of a server's calls. Each reactor calls TsanCallDone last, in
// OnDone; whoever runs the server calls TsanCallsDrained once
// grpc::Server::Wait has returned after Shutdown, which gRPC does only
// after every call's OnDone has run: what the calls did happens before
// what the server's owner then tears down (the telemetry, the pools).
namespace internal {
inline char tsan_calls_done;
}  // namespace internal
inline void TsanCallDone() { TsanRelease(&internal::tsan_calls_done); }
inline void TsanCallsDrained() { TsanAcquire(&internal::tsan_calls_done); }

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_TSAN_HANDOFF_H_
