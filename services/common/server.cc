#include "services/common/server.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include <grpcpp/health_check_service_interface.h>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/common/errors.h"
#include "services/common/limits.h"
#include "services/common/tls.h"
#include "services/common/tsan_handoff.h"

namespace yusuan {
namespace {

// Signals are turned into a wake-up of a plain thread with sigwait, so no
// work happens inside a signal handler.
sigset_t ShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

}  // namespace

void HealthFlag::Set(bool serving) {
  MutexLock lock(&mu_);
  serving_ = serving;
  if (health_ != nullptr) health_->SetServingStatus(name_, serving);
}

void HealthFlag::Attach(grpc::HealthCheckServiceInterface* health) {
  MutexLock lock(&mu_);
  health_ = health;
  health_->SetServingStatus(name_, serving_);
}

void HealthFlag::Detach() {
  MutexLock lock(&mu_);
  health_ = nullptr;
}

std::string WritesHealthName(const std::string& service_full_name) { return service_full_name + "/writes"; }

void ReportStoreWrites(const std::string& server_name, HealthFlag* writes, StoreOptions& options) {
  options.on_writes_changed = [server_name, writes](const absl::Status& status) {
    writes->Set(status.ok());
    LogLine(server_name, status.ok() ? "写入已恢复 / writes are taken again"
                                     : absl::StrCat("写入暂停 / writes stopped: ", status.message()));
  };
}

void LogLine(const std::string& server_name, const std::string& message) {
  static std::mutex mu;
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::lock_guard<std::mutex> lock(mu);
  std::cerr << stamp << " " << server_name << ": " << message << std::endl;
}

std::string ResolveDataDir(const std::string& flag_value, const std::string& service) {
  if (!flag_value.empty()) return flag_value;
  const char* root = std::getenv("YUSUAN_DATA");
  return absl::StrCat(root != nullptr && *root != '\0' ? root : ".yusuan-data", "/", service);
}

namespace {
CallGuard& Guard() {
  static auto* guard = new CallGuard();
  return *guard;
}
}  // namespace

void SetCallGuard(CallGuard guard) { Guard() = std::move(guard); }

absl::Status CheckCallGuard(const grpc::CallbackServerContext& context) {
  return Guard() ? Guard()(context) : absl::OkStatus();
}

grpc::ServerUnaryReactor* OffloadUnary(grpc::CallbackServerContext* context, WorkerPool* pool,
                                       std::function<void(grpc::ServerUnaryReactor*)> work) {
  grpc::ServerUnaryReactor* reactor = NewUnaryReactor(context);
  if (absl::Status guard = CheckCallGuard(*context); !guard.ok()) {
    FinishUnary(reactor, ToGrpcStatus(guard));
    return reactor;
  }
  if (!pool->TrySubmit([reactor, work = std::move(work)] { work(reactor); })) {
    FinishUnary(reactor, grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                      "服务繁忙，请稍后重试 / the service is busy; retry with backoff"));
  }
  return reactor;
}

bool WriteFileAtomically(const std::string& path, const std::string& content) {
  const std::string temp = absl::StrCat(path, ".tmp.", getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return false;
    out << content;
    if (!out.good()) return false;
  }
  return std::rename(temp.c_str(), path.c_str()) == 0;
}

int RunGrpcServer(const GrpcServerOptions& options, const std::vector<grpc::Service*>& services) {
  // Block the shutdown signals in every thread (gRPC's threads inherit the
  // mask) so only sigwait below receives them.
  sigset_t signals = ShutdownSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  grpc::EnableDefaultHealthCheckService(true);
  // Debian's libabsl is built without NDEBUG, so every absl::Mutex (gRPC's
  // own locks are absl's) kept a lock-order graph for deadlock detection by
  // default: a few percent of a proxied call's CPU spent in GraphCycles.
  // Lock-order inversions of our own locks are what the ThreadSanitizer
  // build reports.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  // Checked before listening: gRPC would report a bad certificate only as
  // a port it cannot bind.
  const ServerTlsFlags tls{{"--tls_cert_file", options.tls_cert_file},
                           {"--tls_key_file", options.tls_key_file},
                           {"--tls_client_ca_file", options.tls_client_ca_file}};
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials = ServerCredentialsFromFlags(tls);
  if (!credentials.ok()) {
    LogLine(options.server_name, std::string(credentials.status().message()));
    return 1;
  }

  grpc::ServerBuilder builder;
  int bound_port = 0;
  builder.AddListeningPort(options.listen_address, *credentials, &bound_port);
  builder.SetMaxReceiveMessageSize(static_cast<int>(kMaxGrpcMessageBytes));
  builder.SetMaxSendMessageSize(static_cast<int>(kMaxGrpcMessageBytes));
  // The gateway pings its backends every few seconds, idle or not, to find a
  // host that vanished without a reset (gateway README § Shards). gRPC's
  // defaults would call that abuse (one ping in 5 min without data) and
  // close the connection.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, kMinPingIntervalMs);
  for (grpc::Service* service : services) builder.RegisterService(service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || bound_port == 0) {
    LogLine(options.server_name, absl::StrCat("无法监听 ", options.listen_address, " / cannot listen on ",
                                              options.listen_address, " (port in use?)"));
    return 1;
  }
  auto* health = server->GetHealthCheckService();
  for (HealthFlag* flag : options.health_flags) flag->Attach(health);
  health->SetServingStatus(true);
  for (const auto& name : options.health_service_names) health->SetServingStatus(name, true);
  LogLine(options.server_name, absl::StrCat("serving on port ", bound_port,
                                            !tls.enabled()          ? ""
                                            : tls.client_ca.given() ? " (TLS, client certificates required)"
                                                                    : " (TLS)"));
  if (options.on_started) options.on_started(bound_port);
  if (!options.port_file.empty() && !WriteFileAtomically(options.port_file, absl::StrCat(bound_port, "\n"))) {
    LogLine(options.server_name, "cannot write port file " + options.port_file);
  }

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  LogLine(options.server_name, absl::StrCat("signal ", signal_number, ": shutting down gracefully"));
  // Detached first: a flag set while shutting down must not report SERVING.
  for (HealthFlag* flag : options.health_flags) flag->Detach();
  health->SetServingStatus(false);
  if (options.on_shutdown) options.on_shutdown();
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::milliseconds(options.shutdown_grace_ms));
  server->Wait();
  // Every call's OnDone has run (tsan_handoff.h).
  TsanCallsDrained();
  LogLine(options.server_name, "stopped");
  return 0;
}

}  // namespace yusuan
