// Server bootstrap shared by the four binaries: listen, health, reflection,
// graceful shutdown on SIGTERM/SIGINT, and a port file for tests that start
// servers on ephemeral ports.
#ifndef YUSUAN_SERVICES_COMMON_SERVER_H_
#define YUSUAN_SERVICES_COMMON_SERVER_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/common/byte_buffer.h"
#include "services/common/core.h"
#include "services/common/errors.h"
#include "services/common/store.h"
#include "services/common/unary_reactor.h"
#include "services/common/worker_pool.h"

namespace grpc {
class HealthCheckServiceInterface;
}  // namespace grpc

namespace yusuan {

// The grpc.health.v1 status of one name that changes while a server runs.
// Set() may be called from any thread: before RunGrpcServer (the status it
// starts with), while it serves, and after it returned (kept, not shown).
class HealthFlag {
 public:
  explicit HealthFlag(std::string name) : name_(std::move(name)) {}
  HealthFlag(const HealthFlag&) = delete;
  HealthFlag& operator=(const HealthFlag&) = delete;

  void Set(bool serving);

  // RunGrpcServer's: from Attach to Detach, every Set reaches `health`.
  void Attach(grpc::HealthCheckServiceInterface* health);
  void Detach();

 private:
  const std::string name_;
  mutable Mutex mu_;
  bool serving_ ABSL_GUARDED_BY(mu_) = true;
  grpc::HealthCheckServiceInterface* health_ ABSL_GUARDED_BY(mu_) = nullptr;
};

// "<service>/writes", e.g. "yusuan.ledger.v1.LedgerService/writes": the
// health name of a backend's write path, SERVING while its store takes
// writes (store.h). The service's own name and "" stay SERVING while it
// answers reads.
std::string WritesHealthName(const std::string& service_full_name);

// Makes the store opened with `options` report on `writes` whether it takes
// writes, and log each change as `server_name`. `writes` must outlive the
// store (declare it first).
void ReportStoreWrites(const std::string& server_name, HealthFlag* writes, StoreOptions& options);

struct GrpcServerOptions {
  // "127.0.0.1:50061"; port 0 picks a free port.
  std::string listen_address;
  // When set, the bound port is written here (atomically) once serving.
  std::string port_file;
  // Name used in log lines ("ledger").
  std::string server_name;
  // Full names of the services, reported SERVING by grpc.health.v1
  // ("yusuan.ledger.v1.LedgerService"); "" (the whole server) always is.
  std::vector<std::string> health_service_names;
  // Names whose status the service changes while it serves (the write path
  // of its store); each must outlive RunGrpcServer.
  std::vector<HealthFlag*> health_flags;
  // Runs after the server started (with the bound port) and before waiting.
  std::function<void(int port)> on_started;
  // Runs when a shutdown signal arrives, before the gRPC server shuts down
  // (e.g. to stop an HTTP listener).
  std::function<void()> on_shutdown;
  // Grace period for in-flight calls.
  int shutdown_grace_ms = 5000;
  // TLS (services/common/tls.h), PEM files; all empty: plaintext. Cert and
  // key go together; with tls_client_ca_file every client must present a
  // certificate that chains to it (mutual TLS), health and reflection
  // included. Bad files make RunGrpcServer refuse to start, naming them
  // as the flags --tls_cert_file, --tls_key_file, --tls_client_ca_file.
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_client_ca_file;
};

// Serves `services` until SIGTERM or SIGINT, then shuts down gracefully.
// Every service answers grpc.health.v1 (SERVING for "" and each service name,
// each health flag as it is set; NOT_SERVING for all once shutting down).
// Server reflection is the gateway's alone (services/gateway/main.cc): a
// backend's call guard cannot cover the built-in reflection service, so a
// backend does not link it. Returns the process exit code.
int RunGrpcServer(const GrpcServerOptions& options, const std::vector<grpc::Service*>& services);

// The data directory of `service`: `flag_value` when set, otherwise
// $YUSUAN_DATA/<service> (default .yusuan-data/<service>).
std::string ResolveDataDir(const std::string& flag_value, const std::string& service);

// A check every call of a backend passes before its work: the gateway's
// internal credential (services/security/internal_guard.h). Set once,
// before serving; without one every call is let through.
using CallGuard = std::function<absl::Status(const grpc::CallbackServerContext&)>;
void SetCallGuard(CallGuard guard);
// OK, or the guard's refusal. OffloadUnary runs it; handlers that answer in
// the reaction call it themselves.
absl::Status CheckCallGuard(const grpc::CallbackServerContext& context);

// Runs `work` for a unary callback call on `pool` instead of in the reaction
// (storage reads and rule checks must not block gRPC's threads). `work` must
// finish the reactor, with FinishUnary (unary_reactor.h) or AnswerUnary. A
// full pool answers RESOURCE_EXHAUSTED at once; a call the guard refuses is
// answered with its refusal, before any work.
grpc::ServerUnaryReactor* OffloadUnary(grpc::CallbackServerContext* context, WorkerPool* pool,
                                       std::function<void(grpc::ServerUnaryReactor*)> work);

// How a server answers a unary call from its core: the message on OK; the
// status, with the details the core attached, always.
template <typename T>
void AnswerUnary(grpc::ServerUnaryReactor* reactor, T* response, absl::StatusOr<T> result) {
  if (result.ok()) *response = *std::move(result);
  FinishUnary(reactor, ToGrpcStatus(result.status()));
}

// The same as a core's Done, for writes (it runs where the core finishes,
// usually on the store's writer thread).
template <typename T>
Done<T> AnswerWhenDone(grpc::ServerUnaryReactor* reactor, T* response) {
  return [reactor, response](absl::StatusOr<T> result) { AnswerUnary(reactor, response, std::move(result)); };
}

// OffloadUnary for a raw method: `answer` reads the parsed request and
// returns the serialized response, which is sent as it is.
template <typename Request>
grpc::ServerUnaryReactor* OffloadWireUnary(grpc::CallbackServerContext* context, WorkerPool* pool,
                                           const grpc::ByteBuffer* request, grpc::ByteBuffer* response,
                                           std::function<absl::StatusOr<std::string>(const Request&)> answer) {
  return OffloadUnary(context, pool,
                      [request, response, answer = std::move(answer)](grpc::ServerUnaryReactor* reactor) {
                        Request parsed;
                        if (absl::Status status = ParseRequestBytes(*request, &parsed); !status.ok()) {
                          FinishUnary(reactor, ToGrpcStatus(status));
                          return;
                        }
                        absl::StatusOr<std::string> wire = answer(parsed);
                        if (wire.ok()) *response = WireToByteBuffer(*std::move(wire));
                        FinishUnary(reactor, ToGrpcStatus(wire.status()));
                      });
}

// OffloadWireUnary for a write: `write` reads the parsed request and answers
// with the serialized response once the write is durable (the Done of a core).
template <typename Request>
grpc::ServerUnaryReactor* OffloadWireWrite(grpc::CallbackServerContext* context, WorkerPool* pool,
                                           const grpc::ByteBuffer* request, grpc::ByteBuffer* response,
                                           std::function<void(const Request&, Done<std::string>)> write) {
  return OffloadUnary(context, pool, [request, response, write = std::move(write)](grpc::ServerUnaryReactor* reactor) {
    Request parsed;
    if (absl::Status status = ParseRequestBytes(*request, &parsed); !status.ok()) {
      FinishUnary(reactor, ToGrpcStatus(status));
      return;
    }
    write(parsed, [reactor, response](absl::StatusOr<std::string> wire) {
      if (wire.ok()) *response = WireToByteBuffer(*std::move(wire));
      FinishUnary(reactor, ToGrpcStatus(wire.status()));
    });
  });
}

// Writes `content` to `path` atomically (temp file + rename).
bool WriteFileAtomically(const std::string& path, const std::string& content);

// One log line to stderr: "2026-11-26T19:30:00Z ledger: message".
void LogLine(const std::string& server_name, const std::string& message);

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_SERVER_H_
