// yusuan-goals: performance goal sheets (表9, 表10) on RocksDB.
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "services/common/backup_service.h"
#include "services/common/periodic.h"
#ifdef YUSUAN_POWER_LOSS
#include "services/common/power_loss.h"
#endif
#include "services/common/revisions.h"
#include "services/common/server.h"
#include "services/common/store.h"
#include "services/goals/goals_server.h"
#include "services/security/backend_security.h"

ABSL_FLAG(std::string, listen_host, "127.0.0.1", "Address to listen on");
ABSL_FLAG(int, port, 50062, "gRPC port (0: pick a free one)");
ABSL_FLAG(std::string, data_dir, "", "RocksDB directory (default $YUSUAN_DATA/goals)");
ABSL_FLAG(int, workers, 8, "Threads for storage reads and rule checks");
ABSL_FLAG(std::string, port_file, "", "Write the bound port here once serving");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string data_dir = yusuan::ResolveDataDir(absl::GetFlag(FLAGS_data_dir), "goals");
  // SERVING while the store takes writes (declared before it, which uses it).
  yusuan::HealthFlag writes(yusuan::WritesHealthName(yusuan::goals::v1::GoalsService::service_full_name()));
  yusuan::StoreOptions store_options;
  store_options.path = data_dir;
  yusuan::ReportStoreWrites("goals", &writes, store_options);
  store_options.column_families = yusuan::goals::GoalsColumnFamilies();
#ifdef YUSUAN_POWER_LOSS
  // The fault build (yusuan-goals-faults) can lose power.
  if (absl::Status armed = yusuan::power_loss::InstallFromFlags("goals", store_options); !armed.ok()) {
    yusuan::LogLine("goals", std::string(armed.message()));
    return 1;
  }
#endif
  auto store = yusuan::Store::Open(store_options);
  if (!store.ok()) {
    yusuan::LogLine("goals", std::string(store.status().message()));
    return 1;
  }
  yusuan::LogLine("goals", "data in " + data_dir);
  // Answers to request ids are kept 30 days (revisions.h); expired ones are
  // deleted at start and every hour while serving.
  auto purge_expired_answers = [store = store->get()] {
    auto purged = yusuan::PurgeExpiredAnswers(*store, yusuan::goals::kIdempotencyCf, yusuan::NowUnixMillis());
    if (!purged.ok()) {
      yusuan::LogLine("goals", absl::StrCat("purging expired request-id answers: ", purged.status().message()));
    } else if (*purged > 0) {
      yusuan::LogLine("goals", absl::StrCat("removed ", *purged, " expired request-id answers"));
    }
    return purged.status();
  };
  if (!purge_expired_answers().ok()) return 1;
  yusuan::PeriodicTask purge(absl::Milliseconds(yusuan::kIdempotencyPurgeIntervalMs),
                             [&purge_expired_answers] { (void)purge_expired_answers(); });
  yusuan::WorkerPool pool(absl::GetFlag(FLAGS_workers), 4096);
  yusuan::goals::GoalsServer service(store->get(), &pool);
  yusuan::GrpcServerOptions server_options;
  server_options.listen_address = absl::StrCat(absl::GetFlag(FLAGS_listen_host), ":", absl::GetFlag(FLAGS_port));
  server_options.port_file = absl::GetFlag(FLAGS_port_file);
  // Only the gateway may call: its internal credential, optionally over
  // (mutual) TLS.
  if (absl::Status secured = yusuan::security::SecureBackend("goals", server_options); !secured.ok()) {
    yusuan::LogLine("goals", std::string(secured.message()));
    return 1;
  }
  server_options.server_name = "goals";
  server_options.health_service_names = {yusuan::goals::v1::GoalsService::service_full_name()};
  server_options.health_flags = {&writes};
  // Backups (`yusuan admin backup`): the store's writes held and copied.
  auto backup = yusuan::StoreBackupService::Create("goals", store->get());
  if (!backup.ok()) {
    yusuan::LogLine("goals", std::string(backup.status().message()));
    return 1;
  }
  const int code = yusuan::RunGrpcServer(server_options, {&service, backup->get()});
  // Tasks on the pool use the service: drain them before it is destroyed.
  pool.Shutdown();
  return code;
}
