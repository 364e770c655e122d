// yusuan-gateway: the public gRPC API and its REST/JSON face in front of the
// ledger, goals and report services.
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "services/common/periodic.h"
#include "services/common/server.h"
#include "services/common/worker_pool.h"
#include "services/gateway/grpc/grpc_service.h"
#include "services/gateway/http/rest.h"
#include "services/gateway/observability/rotating_log_file.h"
#include "services/gateway/observability/telemetry.h"
#include "services/gateway/orchestrator.h"
#include "services/gateway/tls_config.h"
#include "services/security/internal_secret.h"
#include "services/security/signing_key.h"

ABSL_FLAG(int, grpc_port, 50051, "gRPC port of the public API (0: any free port)");
ABSL_FLAG(int, http_port, 8080, "HTTP port of the REST/JSON face (0: any free port)");
ABSL_FLAG(std::string, listen_host, "127.0.0.1", "Address both listeners bind to");
ABSL_FLAG(std::string, ledger_address, "127.0.0.1:50061", "ledger service host:port");
ABSL_FLAG(std::string, goals_address, "127.0.0.1:50062", "goals service host:port");
ABSL_FLAG(std::string, report_address, "127.0.0.1:50063", "report service host:port");
ABSL_FLAG(std::string, shard_map, "",
          "Shard map file (JSON, services/gateway/sharding/README.md): which shard's ledger, goals and report "
          "serve each region-code prefix. Watched and reloaded without a restart; a change that would strand data "
          "is refused and the old map kept. Without it, one shard: --ledger_address, --goals_address, "
          "--report_address");
ABSL_FLAG(int, shard_map_check_ms, 2000, "How often the gateway looks for a changed --shard_map file");
ABSL_FLAG(std::string, port_file, "", "Write the bound gRPC port here once serving");
ABSL_FLAG(std::string, http_port_file, "", "Write the bound HTTP port here once listening");
ABSL_FLAG(int, workers, 8, "Threads that run public gRPC calls against the backends");
ABSL_FLAG(int, max_queued_calls, 1024, "Calls waiting for a worker before RESOURCE_EXHAUSTED");
ABSL_FLAG(int, backend_timeout_ms, 30000, "Deadline of each backend call");
ABSL_FLAG(int, read_cache_mb, 32,
          "Memory for the ledger's answers reads are served from (budgets, pages of lists, render revisions), "
          "per ledger, kept current by the ledger's change log (README § Read cache; 0: off)");
// The HTTP listener's limits (http/http_front.h; services/gateway/README.md § HTTP front).
ABSL_FLAG(int, http_head_timeout_ms, 10000,
          "Deadline of a whole request head (request line and headers; on a new connection from the accept, TLS "
          "handshake included)");
ABSL_FLAG(int, http_body_timeout_ms, 120000, "Deadline of a whole request body, from the end of its head");
ABSL_FLAG(int, http_idle_timeout_ms, 30000, "How long a keep-alive connection may wait for its next request");
ABSL_FLAG(int, http_stream_idle_timeout_ms, 30000,
          "How long a streaming request (POST /v1/filings:import) may send no body bytes while the gateway waits for "
          "its next line");
ABSL_FLAG(int, http_write_timeout_ms, 120000,
          "Deadline of writing a whole answer (of a streamed answer: of one piece, i.e. how long the client may "
          "take no bytes)");
ABSL_FLAG(int, http_max_connections, 1024, "Open HTTP connections in total");
ABSL_FLAG(int, http_max_connections_per_client, 128, "Open HTTP connections from one client address");
ABSL_FLAG(int, http_workers, 16, "Threads that run REST and page requests against the backends");
ABSL_FLAG(int, http_max_streams, 8,
          "Streaming requests (POST /v1/filings:import) at once, each holding one of the --http_workers");
ABSL_FLAG(bool, access_log, true,
          "Write one JSON line per request (gRPC and REST), to stderr or --access_log_file; GET /metrics works "
          "either way");
ABSL_FLAG(std::string, access_log_file, "",
          "Write the access log to this file instead of stderr, rotated by size (--access_log_max_mb, "
          "--access_log_keep); the gateway must be able to create files in its directory");
ABSL_FLAG(int, access_log_max_mb, 64, "Size of --access_log_file past which it is renamed to .1 and a new one begun");
ABSL_FLAG(int, access_log_keep, 3,
          "Older access log files kept (.1 the newest); the log takes at most (keep + 1) × "
          "max_mb");
ABSL_FLAG(std::string, signing_key_file, "",
          "Key that signs bearer tokens (default $YUSUAN_DATA/keys/token-signing.key; create it with "
          "yusuan admin key create). Only the gateway and the operator hold it");
ABSL_FLAG(std::string, internal_secret_file, "",
          "Secret shared with the backends, from which the credential they require is derived "
          "(default $YUSUAN_DATA/secrets/internal.secret; create it with yusuan admin secret create)");
ABSL_FLAG(std::string, tls_cert_file, "",
          "TLS certificate chain, PEM: with --tls_key_file, the gRPC port speaks TLS and the "
          "HTTP port HTTPS");
ABSL_FLAG(std::string, tls_key_file, "", "Private key of --tls_cert_file, PEM");
ABSL_FLAG(std::string, backend_ca_file, "", "Talk TLS to the backends; their certificates must chain to this CA (PEM)");
ABSL_FLAG(std::string, backend_cert_file, "",
          "The gateway's client certificate for backends that require one (mutual TLS; with "
          "--backend_key_file)");
ABSL_FLAG(std::string, backend_key_file, "", "Private key of --backend_cert_file, PEM");
ABSL_FLAG(std::string, backend_tls_server_name, "",
          "Name the backends' certificates carry when it is not their addresses' host");
ABSL_FLAG(bool, recover_publications, true,
          "At start (until the backends answer) and every 10 minutes, finish the publications a crash "
          "interrupted: archived but not marked, or marked but not yet public (README § Publishing)");
ABSL_FLAG(bool, recover_filings, true,
          "Every 2 s until a pass is complete, then every minute, finish or roll back the filings a crash "
          "interrupted: goals staged longer than --filing_lease_ms ago are promoted when the ledger committed "
          "their filing and dropped otherwise (README § Atomic filings)");
ABSL_FLAG(int64_t, filing_lease_ms, 120000,
          "How long a staged filing may be in flight before the recovery decides it (must outlast "
          "--backend_timeout_ms)");
#ifdef YUSUAN_GATEWAY_FAULT_POINTS
// Only in yusuan-gateway-faults, the test build of this file: the shipped
// yusuan-gateway has no such flag.
ABSL_FLAG(std::string, crash_after_publish_step, "",
          "Testing only: 'archive' or 'mark' ends the process right after that step of a publication, "
          "leaving what a crash there leaves");
ABSL_FLAG(std::string, crash_after_filing_step, "",
          "Testing only: 'stage' or 'commit' ends the process right after that step of a filing (ApplyFiling, "
          "PutGoals)");
#endif

namespace {

constexpr char kName[] = "gateway";

// gRPC wants IPv6 literals in brackets.
std::string HostPort(const std::string& host, int port) {
  const bool v6 = host.find(':') != std::string::npos && host.front() != '[';
  return v6 ? absl::StrCat("[", host, "]:", port) : absl::StrCat(host, ":", port);
}

absl::StatusOr<std::string> ReadShardMapFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) {
    return absl::NotFoundError(absl::StrCat(
        "无法读取分片映射文件 ", path, "（--shard_map）/ cannot read the shard map file ", path, " (--shard_map)"));
  }
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  // RunGrpcServer waits for SIGTERM/SIGINT with sigwait and blocks them in
  // its thread; block them before the HTTP and worker threads start too, so
  // no thread of ours can take a shutdown signal's default action.
  sigset_t shutdown_signals;
  sigemptyset(&shutdown_signals);
  sigaddset(&shutdown_signals, SIGTERM);
  sigaddset(&shutdown_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &shutdown_signals, nullptr);
  using yusuan::LogLine;
  namespace gw = yusuan::gateway;

  gw::Orchestrator::Options options;
  options.ledger_address = absl::GetFlag(FLAGS_ledger_address);
  options.goals_address = absl::GetFlag(FLAGS_goals_address);
  options.report_address = absl::GetFlag(FLAGS_report_address);
  options.backend_timeout = std::chrono::milliseconds(absl::GetFlag(FLAGS_backend_timeout_ms));
  options.read_cache_bytes = static_cast<size_t>(std::max(0, absl::GetFlag(FLAGS_read_cache_mb))) << 20;
  // TLS flags and files are checked before anything connects or listens.
  absl::StatusOr<gw::GatewayTls> tls =
      gw::LoadGatewayTls({absl::GetFlag(FLAGS_tls_cert_file), absl::GetFlag(FLAGS_tls_key_file),
                          absl::GetFlag(FLAGS_backend_ca_file), absl::GetFlag(FLAGS_backend_cert_file),
                          absl::GetFlag(FLAGS_backend_key_file), absl::GetFlag(FLAGS_backend_tls_server_name)});
  if (!tls.ok()) {
    LogLine(kName, std::string(tls.status().message()));
    return 1;
  }
  options.backend_credentials = tls->backend_credentials;
  options.backend_tls_server_name = tls->backend_tls_server_name;
  // The shard map, when there is one: read and checked before anything
  // connects, and watched below.
  const std::string shard_map_file = absl::GetFlag(FLAGS_shard_map);
  std::string shard_map_text;
  std::unique_ptr<gw::Orchestrator> orchestrator;
  if (shard_map_file.empty()) {
    orchestrator = gw::Orchestrator::Connect(options);
  } else {
    absl::StatusOr<std::string> text = ReadShardMapFile(shard_map_file);
    absl::StatusOr<gw::ShardMap> map =
        text.ok() ? gw::ShardMap::Parse(*text, shard_map_file) : absl::StatusOr<gw::ShardMap>(text.status());
    if (!map.ok()) {
      LogLine(kName, std::string(map.status().message()));
      return 1;
    }
    shard_map_text = *std::move(text);
    orchestrator = std::make_unique<gw::Orchestrator>(
        options, std::make_shared<gw::ShardRouter>(gw::Orchestrator::BackendChannels(options), *std::move(map)));
  }

  // No key, no gateway: without it nobody could be told apart. No
  // internal secret, no gateway either: the backends would refuse every call.
  absl::StatusOr<yusuan::security::SigningKey> key =
      yusuan::security::LoadServiceSigningKey(absl::GetFlag(FLAGS_signing_key_file));
  if (!key.ok()) {
    LogLine(kName, std::string(key.status().message()));
    return 1;
  }
  absl::StatusOr<std::string> secret_path =
      yusuan::security::InternalSecretPath(absl::GetFlag(FLAGS_internal_secret_file));
  absl::StatusOr<yusuan::security::InternalSecret> secret =
      secret_path.ok() ? yusuan::security::LoadInternalSecret(*secret_path)
                       : absl::StatusOr<yusuan::security::InternalSecret>(secret_path.status());
  if (!secret.ok()) {
    LogLine(kName, std::string(secret.status().message()));
    return 1;
  }
  absl::StatusOr<const yusuan::gateway::auth::PermissionMatrix*> matrix = yusuan::gateway::auth::DefaultPermissions();
  if (!matrix.ok()) {
    LogLine(kName, std::string(matrix.status().message()));
    return 1;
  }
  const gw::AccessPolicy access(*std::move(key), *std::move(secret), *matrix);
  orchestrator->set_access(&access);
#ifdef YUSUAN_GATEWAY_FAULT_POINTS
  const std::string crash_point = absl::GetFlag(FLAGS_crash_after_publish_step);
  if (crash_point == "archive") {
    orchestrator->set_crash_point(gw::Orchestrator::CrashPoint::kAfterArchive);
  } else if (crash_point == "mark") {
    orchestrator->set_crash_point(gw::Orchestrator::CrashPoint::kAfterMark);
  } else if (!crash_point.empty()) {
    LogLine(kName, "--crash_after_publish_step 应为 archive 或 mark / must be archive or mark, not " + crash_point);
    return 1;
  }
  const std::string filing_crash_point = absl::GetFlag(FLAGS_crash_after_filing_step);
  if (filing_crash_point == "stage") {
    orchestrator->set_crash_point(gw::Orchestrator::CrashPoint::kAfterStage);
  } else if (filing_crash_point == "commit") {
    orchestrator->set_crash_point(gw::Orchestrator::CrashPoint::kAfterCommit);
  } else if (!filing_crash_point.empty()) {
    LogLine(kName,
            "--crash_after_filing_step 应为 stage 或 commit / must be stage or commit, not " + filing_crash_point);
    return 1;
  }
#endif
  // A changed map file is installed unless it would strand data (or does
  // not parse): then the old map stays and the log says why, once per
  // version of the file.
  std::optional<yusuan::PeriodicTask> shard_map_watch;
  if (!shard_map_file.empty()) {
    shard_map_watch.emplace(
        absl::Milliseconds(std::max(100, absl::GetFlag(FLAGS_shard_map_check_ms))),
        [&orchestrator, shard_map_file, installed = shard_map_text, refused = std::string(),
         quiet_until = absl::InfinitePast()]() mutable {
          absl::StatusOr<std::string> text = ReadShardMapFile(shard_map_file);
          if (!text.ok() || *text == installed || *text == refused) return;
          absl::StatusOr<gw::ShardMap> map = gw::ShardMap::Parse(*text, shard_map_file);
          absl::Status done = map.ok() ? orchestrator->InstallShardMap(*std::move(map)) : map.status();
          if (!done.ok()) {
            // A shard that does not answer is asked again at every check;
            // the log says so once a minute.
            const absl::Time now = absl::Now();
            if (done.code() != absl::StatusCode::kUnavailable || now >= quiet_until) {
              LogLine(kName, absl::StrCat("分片映射未更新，仍用原映射 / shard map not reloaded, the old one stays: ",
                                          done.message()));
              if (done.code() == absl::StatusCode::kUnavailable) quiet_until = now + absl::Minutes(1);
            }
            // A refusal for a shard that did not answer is tried again.
            refused = done.code() == absl::StatusCode::kUnavailable ? std::string() : *std::move(text);
            return;
          }
          installed = *std::move(text);
          refused.clear();
          LogLine(kName, absl::StrCat("分片映射已更新 / shard map reloaded: ",
                                      orchestrator->router().Current()->map().shards().size(), " shards"));
        });
  }
  // The recovery of interrupted filings (see --recover_filings).
  std::optional<yusuan::PeriodicTask> filing_recovery;
  if (absl::GetFlag(FLAGS_recover_filings)) {
    const std::chrono::milliseconds lease(std::max<int64_t>(absl::GetFlag(FLAGS_filing_lease_ms), 0));
    filing_recovery.emplace(absl::Seconds(2), [&orchestrator, lease, next = absl::InfinitePast(),
                                               quiet_until = absl::InfinitePast()]() mutable {
      const absl::Time now = absl::Now();
      if (now < next) return;
      absl::StatusOr<gw::Orchestrator::FilingRecovery> done = orchestrator->RecoverFilings(lease);
      if (!done.ok()) {
        if (now >= quiet_until) {  // once a minute while the backends are away
          LogLine(kName, absl::StrCat("恢复未完成的申报：稍后重试 / recovering filings: will try again: ",
                                      done.status().message()));
          quiet_until = now + absl::Minutes(1);
        }
        return;
      }
      if (done->promoted + done->abandoned + done->left > 0) {
        LogLine(kName, absl::StrCat("恢复未完成的申报 / recovered filings: ", done->promoted, " committed, ",
                                    done->abandoned, " rolled back, ", done->left, " left for the next pass"));
      }
      next = done->left > 0 ? now : now + absl::Minutes(1);
    });
  }
  // The recovery of interrupted publications: tried every few seconds until
  // one pass has gone through every staged archive (the backends may start
  // after the gateway), then every 10 minutes, which also finishes a
  // publication whose caller never retried.
  std::optional<yusuan::PeriodicTask> recovery;
  if (absl::GetFlag(FLAGS_recover_publications)) {
    recovery.emplace(
        absl::Seconds(2), [&orchestrator, next = absl::InfinitePast(), quiet_until = absl::InfinitePast()]() mutable {
          const absl::Time now = absl::Now();
          if (now < next) return;
          absl::StatusOr<gw::Orchestrator::Recovery> done = orchestrator->RecoverPublications();
          if (!done.ok()) {
            if (now >= quiet_until) {  // once a minute while the backends are away
              LogLine(kName, absl::StrCat("恢复未完成的公开：稍后重试 / recovering publications: will try again: ",
                                          done.status().message()));
              quiet_until = now + absl::Minutes(1);
            }
            return;
          }
          if (done->confirmed + done->marked + done->abandoned + done->left > 0) {
            LogLine(kName, absl::StrCat("恢复未完成的公开 / recovered publications: ", done->marked, " marked, ",
                                        done->confirmed, " made public, ", done->abandoned, " dropped, ", done->left,
                                        " left for the next pass"));
          }
          next = done->left > 0 ? now : now + absl::Minutes(10);
        });
  }

  const std::string host = absl::GetFlag(FLAGS_listen_host);
  std::unique_ptr<gw::RotatingLogFile> access_log_file;
  gw::AccessLog::Sink access_log_sink;  // null: stderr
  if (absl::GetFlag(FLAGS_access_log) && !absl::GetFlag(FLAGS_access_log_file).empty()) {
    auto opened = gw::RotatingLogFile::Open(
        absl::GetFlag(FLAGS_access_log_file),
        static_cast<uint64_t>(std::max(0, absl::GetFlag(FLAGS_access_log_max_mb))) * 1024 * 1024,
        absl::GetFlag(FLAGS_access_log_keep));
    if (!opened.ok()) {
      LogLine(kName, std::string(opened.status().message()));
      return 1;
    }
    access_log_file = *std::move(opened);
    access_log_sink = [file = access_log_file.get()](const std::string& line) { file->Write(line); };
  }
  // Before both faces, so it outlives every request they serve.
  gw::Telemetry telemetry(absl::GetFlag(FLAGS_access_log), access_log_sink);
  telemetry.metrics().AddSource(
      [orchestrator = orchestrator.get()] { return gw::ReadCacheExposition(orchestrator->ReadCacheCounts()); });
  gw::HttpFrontLimits http_limits;
  http_limits.head_timeout = std::chrono::milliseconds(absl::GetFlag(FLAGS_http_head_timeout_ms));
  http_limits.body_timeout = std::chrono::milliseconds(absl::GetFlag(FLAGS_http_body_timeout_ms));
  http_limits.idle_timeout = std::chrono::milliseconds(absl::GetFlag(FLAGS_http_idle_timeout_ms));
  http_limits.write_timeout = std::chrono::milliseconds(absl::GetFlag(FLAGS_http_write_timeout_ms));
  http_limits.stream_idle_timeout = std::chrono::milliseconds(absl::GetFlag(FLAGS_http_stream_idle_timeout_ms));
  http_limits.max_connections = static_cast<size_t>(std::max(1, absl::GetFlag(FLAGS_http_max_connections)));
  http_limits.max_connections_per_client =
      static_cast<size_t>(std::max(1, absl::GetFlag(FLAGS_http_max_connections_per_client)));
  http_limits.workers = std::max(1, absl::GetFlag(FLAGS_http_workers));
  http_limits.max_streams = std::max(1, absl::GetFlag(FLAGS_http_max_streams));
  gw::RestServer rest(orchestrator.get(), &access, tls->public_files, http_limits);
  rest.set_telemetry(&telemetry);
  absl::StatusOr<int> http_port = rest.Bind(host, absl::GetFlag(FLAGS_http_port));
  if (!http_port.ok()) {
    LogLine(kName, std::string(http_port.status().message()));
    return 1;
  }
  rest.Start();
  const std::string http_port_file = absl::GetFlag(FLAGS_http_port_file);
  if (!http_port_file.empty() && !yusuan::WriteFileAtomically(http_port_file, absl::StrCat(*http_port, "\n"))) {
    LogLine(kName, absl::StrCat("无法写入 / cannot write ", http_port_file));
    rest.Stop();
    return 1;
  }

  // Declared after the orchestrator and `rest`, so destroyed before them:
  // every call the pool accepted has finished before they go away.
  yusuan::WorkerPool pool(absl::GetFlag(FLAGS_workers), static_cast<size_t>(absl::GetFlag(FLAGS_max_queued_calls)));
  gw::PublicApiService service(orchestrator.get(), &pool, &access);
  service.set_telemetry(&telemetry);

  yusuan::GrpcServerOptions server_options;
  server_options.listen_address = HostPort(host, absl::GetFlag(FLAGS_grpc_port));
  server_options.port_file = absl::GetFlag(FLAGS_port_file);
  server_options.server_name = kName;
  server_options.health_service_names = {yusuan::gateway::v1::PublicApi::service_full_name()};
  // Reflection for the public API (described anyway by its protos and the
  // OpenAPI document); the backends serve none (services/common/server.h).
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  if (tls->public_files.has_value()) {
    server_options.tls_cert_file = tls->public_files->cert_file;
    server_options.tls_key_file = tls->public_files->key_file;
  }
  server_options.on_started = [&](int port) {
    const std::string backends =
        shard_map_file.empty()
            ? absl::StrCat("backends ledger ", options.ledger_address, ", goals ", options.goals_address, ", report ",
                           options.report_address)
            : absl::StrCat(orchestrator->router().Current()->map().shards().size(), " shards from ", shard_map_file);
    LogLine(kName, absl::StrCat("gRPC ", HostPort(host, port), tls->public_files ? " (TLS)" : "", ", HTTP",
                                tls->public_files ? "S " : " ", HostPort(host, *http_port), "; ", backends,
                                tls->backend_credentials ? " (TLS)" : ""));
  };
  server_options.on_shutdown = [&] { rest.Stop(); };
  const int code = yusuan::RunGrpcServer(server_options, {&service});
  rest.Stop();
  pool.Shutdown();
  return code;
}
