// yusuan-report: renders disclosures from a ReportInput.
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#ifdef YUSUAN_POWER_LOSS
#include "services/common/power_loss.h"
#endif
#include "services/common/backup_service.h"
#include "services/common/periodic.h"
#include "services/common/revisions.h"
#include "services/common/server.h"
#include "services/common/store.h"
#include "services/report/report_server.h"
#include "services/security/backend_security.h"

ABSL_FLAG(std::string, listen_host, "127.0.0.1", "Address to listen on");
ABSL_FLAG(int, port, 50063, "gRPC port (0: pick a free one)");
ABSL_FLAG(std::string, data_dir, "", "RocksDB directory (default $YUSUAN_DATA/report)");
ABSL_FLAG(int, workers, 4, "Threads for rendering");
ABSL_FLAG(std::string, port_file, "", "Write the bound port here once serving");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string data_dir = yusuan::ResolveDataDir(absl::GetFlag(FLAGS_data_dir), "report");
  // SERVING while the store takes writes (declared before it, which uses it).
  yusuan::HealthFlag writes(yusuan::WritesHealthName(yusuan::report::v1::ReportService::service_full_name()));
  yusuan::StoreOptions store_options;
  store_options.path = data_dir;
  yusuan::ReportStoreWrites("report", &writes, store_options);
  store_options.column_families = yusuan::report::ReportColumnFamilies();
#ifdef YUSUAN_POWER_LOSS
  // The fault build (yusuan-report-faults) can lose power.
  if (absl::Status armed = yusuan::power_loss::InstallFromFlags("report", store_options); !armed.ok()) {
    yusuan::LogLine("report", std::string(armed.message()));
    return 1;
  }
#endif
  auto store = yusuan::Store::Open(store_options);
  if (!store.ok()) {
    yusuan::LogLine("report", std::string(store.status().message()));
    return 1;
  }
  yusuan::LogLine("report", "data in " + data_dir);
  // Renders are cached a week (report_core.h); older ones are deleted at
  // start and every hour while serving.
  auto purge_render_cache = [store = store->get()] {
    auto purged = yusuan::report::PurgeRenderCache(*store, yusuan::NowUnixMillis());
    if (!purged.ok()) {
      yusuan::LogLine("report", absl::StrCat("purging the render cache: ", purged.status().message()));
    } else if (*purged > 0) {
      yusuan::LogLine("report", absl::StrCat("removed ", *purged, " cached renders"));
    }
    return purged.status();
  };
  if (!purge_render_cache().ok()) return 1;
  yusuan::PeriodicTask purge(absl::Hours(1), [purge_render_cache] { (void)purge_render_cache(); });
  // A data directory from before the listing: list its archive once.
  if (auto added = yusuan::report::EnsurePublishedListing(**store); !added.ok()) {
    yusuan::LogLine("report", absl::StrCat("listing the published archive: ", added.status().message()));
    return 1;
  } else if (*added > 0) {
    yusuan::LogLine("report", absl::StrCat("listed ", *added, " published versions"));
  }
  // An archive from before each file was kept on its own: move the files once.
  if (auto moved = yusuan::report::EnsurePublishedFiles(**store); !moved.ok()) {
    yusuan::LogLine("report", absl::StrCat("moving the published files: ", moved.status().message()));
    return 1;
  } else if (*moved > 0) {
    yusuan::LogLine("report", absl::StrCat("moved the files of ", *moved, " published versions"));
  }
  yusuan::WorkerPool pool(absl::GetFlag(FLAGS_workers), 1024);
  yusuan::report::ReportServer service(store->get(), &pool);
  yusuan::GrpcServerOptions server_options;
  server_options.listen_address = absl::StrCat(absl::GetFlag(FLAGS_listen_host), ":", absl::GetFlag(FLAGS_port));
  server_options.port_file = absl::GetFlag(FLAGS_port_file);
  // Only the gateway may call: its internal credential, optionally over
  // (mutual) TLS.
  if (absl::Status secured = yusuan::security::SecureBackend("report", server_options); !secured.ok()) {
    yusuan::LogLine("report", std::string(secured.message()));
    return 1;
  }
  server_options.server_name = "report";
  server_options.health_service_names = {yusuan::report::v1::ReportService::service_full_name()};
  server_options.health_flags = {&writes};
  // Backups (`yusuan admin backup`): the store's writes held and copied.
  auto backup = yusuan::StoreBackupService::Create("report", store->get());
  if (!backup.ok()) {
    yusuan::LogLine("report", std::string(backup.status().message()));
    return 1;
  }
  const int code = yusuan::RunGrpcServer(server_options, {&service, backup->get()});
  // Tasks on the pool use the service: drain them before it is destroyed.
  pool.Shutdown();
  return code;
}
