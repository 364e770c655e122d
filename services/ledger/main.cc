// yusuan-ledger: departments, budgets and their projections, on RocksDB.
#include <algorithm>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "services/common/backup_service.h"
#include "services/common/change_log.h"
#include "services/common/periodic.h"
#ifdef YUSUAN_POWER_LOSS
#include "services/common/power_loss.h"
#endif
#include "services/common/revisions.h"
#include "services/common/server.h"
#include "services/common/store.h"
#include "services/ledger/ledger_server.h"
#include "services/security/backend_security.h"

ABSL_FLAG(std::string, listen_host, "127.0.0.1", "Address to listen on");
ABSL_FLAG(int, port, 50061, "gRPC port (0: pick a free one)");
ABSL_FLAG(std::string, data_dir, "", "RocksDB directory (default $YUSUAN_DATA/ledger)");
ABSL_FLAG(std::string, catalogue_dir, YUSUAN_DEFAULT_CATALOGUE_DIR,
          "Directory of classification catalogues, one <edition>.json each");
ABSL_FLAG(int, workers, 8, "Threads for storage reads and rule checks");
ABSL_FLAG(std::string, port_file, "", "Write the bound port here once serving");
ABSL_FLAG(int, watch_workers, 16,
          "Threads for change-feed reads, which wait up to 10 s for new changes (README § Change log)");
ABSL_FLAG(int, change_log_keep_days, 90,
          "Keep a change-log record at least this many days (README § Change log: retention)");
ABSL_FLAG(int64_t, change_log_keep_records, 1000000,
          "Keep at least this many of the newest change-log records, however old (at least 1)");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string data_dir = yusuan::ResolveDataDir(absl::GetFlag(FLAGS_data_dir), "ledger");
  auto catalogues = yusuan::ledger::CatalogueSet::LoadFromDirectory(absl::GetFlag(FLAGS_catalogue_dir));
  if (!catalogues.ok()) {
    yusuan::LogLine("ledger", std::string(catalogues.status().message()));
    return 1;
  }
  // SERVING while the store takes writes (declared before it, which uses it).
  yusuan::HealthFlag writes(yusuan::WritesHealthName(yusuan::ledger::v1::LedgerService::service_full_name()));
  yusuan::StoreOptions store_options;
  store_options.path = data_dir;
  yusuan::ReportStoreWrites("ledger", &writes, store_options);
  store_options.column_families = yusuan::ledger::LedgerColumnFamilies();
  store_options.log_column_family = yusuan::ledger::kChangesCf;
#ifdef YUSUAN_POWER_LOSS
  // The fault build (yusuan-ledger-faults) can lose power.
  if (absl::Status armed = yusuan::power_loss::InstallFromFlags("ledger", store_options); !armed.ok()) {
    yusuan::LogLine("ledger", std::string(armed.message()));
    return 1;
  }
#endif
  auto store = yusuan::Store::Open(store_options);
  if (!store.ok()) {
    yusuan::LogLine("ledger", std::string(store.status().message()));
    return 1;
  }
  yusuan::LogLine("ledger", "data in " + data_dir);
  // Answers to request ids are kept 30 days (revisions.h); expired ones are
  // deleted at start and every hour while serving.
  auto purge_expired_answers = [store = store->get()] {
    auto purged = yusuan::PurgeExpiredAnswers(*store, yusuan::ledger::kIdempotencyCf, yusuan::NowUnixMillis());
    if (!purged.ok()) {
      yusuan::LogLine("ledger", absl::StrCat("purging expired request-id answers: ", purged.status().message()));
    } else if (*purged > 0) {
      yusuan::LogLine("ledger", absl::StrCat("removed ", *purged, " expired request-id answers"));
    }
    return purged.status();
  };
  if (!purge_expired_answers().ok()) return 1;
  // A data directory from before roll-ups: add its budgets once.
  if (auto added = yusuan::ledger::EnsureRollups(**store); !added.ok()) {
    yusuan::LogLine("ledger", absl::StrCat("building the region roll-ups: ", added.status().message()));
    return 1;
  } else if (*added > 0) {
    yusuan::LogLine("ledger", absl::StrCat("added ", *added, " budgets stored before roll-ups to the region roll-ups"));
  }
  // A data directory from before the review queues: put its budgets in them once.
  if (auto added = yusuan::ledger::EnsureQueues(**store); !added.ok()) {
    yusuan::LogLine("ledger", absl::StrCat("building the review queues: ", added.status().message()));
    return 1;
  } else if (*added > 0) {
    yusuan::LogLine("ledger", absl::StrCat("put ", *added, " budgets stored before the review queues in them"));
  }
  yusuan::PeriodicTask purge(absl::Milliseconds(yusuan::kIdempotencyPurgeIntervalMs),
                             [&purge_expired_answers] { (void)purge_expired_answers(); });
  // The change log keeps what retention says; older records are removed at
  // start and every hour (a cursor before them is refused by the gateway,
  // naming the oldest one kept).
  yusuan::ChangeRetention retention;
  retention.keep_for = absl::Hours(24) * std::max(1, absl::GetFlag(FLAGS_change_log_keep_days));
  retention.keep_records = static_cast<uint64_t>(std::max<int64_t>(1, absl::GetFlag(FLAGS_change_log_keep_records)));
  auto prune_changes = [store = store->get(), retention] {
    auto pruned = yusuan::PruneChanges(*store, yusuan::ledger::kChangesCf, retention, absl::Now());
    if (!pruned.ok()) {
      yusuan::LogLine("ledger", absl::StrCat("pruning the change log: ", pruned.status().message()));
    } else if (*pruned > 0) {
      yusuan::LogLine("ledger", absl::StrCat("removed ", *pruned, " change-log records past retention"));
    }
  };
  prune_changes();
  yusuan::PeriodicTask prune(absl::Hours(1), prune_changes);
  yusuan::WorkerPool pool(absl::GetFlag(FLAGS_workers), 4096);
  yusuan::WorkerPool watch_pool(std::max(1, absl::GetFlag(FLAGS_watch_workers)), 4096);
  // Imported editions override the shipped files.
  yusuan::ledger::CatalogueRegistry registry(store->get(), std::move(*catalogues), absl::GetFlag(FLAGS_catalogue_dir),
                                             yusuan::ledger::kWorkflowCf, yusuan::ledger::kIdempotencyCf);
  if (absl::Status loaded = registry.LoadStored(); !loaded.ok()) {
    yusuan::LogLine("ledger", std::string(loaded.message()));
    return 1;
  }
  yusuan::ledger::LedgerServer service(store->get(), &pool, &registry, &watch_pool);
  yusuan::GrpcServerOptions server_options;
  server_options.listen_address = absl::StrCat(absl::GetFlag(FLAGS_listen_host), ":", absl::GetFlag(FLAGS_port));
  server_options.port_file = absl::GetFlag(FLAGS_port_file);
  // Only the gateway may call: its internal credential, optionally over
  // (mutual) TLS.
  if (absl::Status secured = yusuan::security::SecureBackend("ledger", server_options); !secured.ok()) {
    yusuan::LogLine("ledger", std::string(secured.message()));
    return 1;
  }
  server_options.server_name = "ledger";
  server_options.health_service_names = {yusuan::ledger::v1::LedgerService::service_full_name()};
  server_options.health_flags = {&writes};
  // Backups (`yusuan admin backup`): the store's writes held and copied.
  auto backup = yusuan::StoreBackupService::Create("ledger", store->get());
  if (!backup.ok()) {
    yusuan::LogLine("ledger", std::string(backup.status().message()));
    return 1;
  }
  const int code = yusuan::RunGrpcServer(server_options, {&service, backup->get()});
  // Tasks on the pool use the service: drain them before it is destroyed.
  pool.Shutdown();
  watch_pool.Shutdown();
  return code;
}
