// yusuan-report: renders disclosures from a ReportInput.
#include <cstdlib>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "services/common/server.h"
#include "services/common/store.h"
#include "services/report/report_server.h"

ABSL_FLAG(std::string, listen_host, "127.0.0.1", "Address to listen on");
ABSL_FLAG(int, port, 50063, "gRPC port (0: pick a free one)");
ABSL_FLAG(std::string, data_dir, "", "RocksDB directory (default $YUSUAN_DATA/report)");
ABSL_FLAG(std::string, port_file, "", "Write the bound port here once serving");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  if (data_dir.empty()) {
    const char* root = std::getenv("YUSUAN_DATA");
    data_dir = absl::StrCat(root != nullptr && *root != '\0' ? root : ".yusuan-data", "/report");
  }
  auto store = yusuan::Store::Open({.path = data_dir,
                                    .column_families = yusuan::report::ReportColumnFamilies()});
  if (!store.ok()) {
    yusuan::LogLine("report", std::string(store.status().message()));
    return 1;
  }
  yusuan::LogLine("report", "data in " + data_dir);
  yusuan::report::ReportServer service(store->get());
  return yusuan::RunGrpcServer(
      {.listen_address = absl::StrCat(absl::GetFlag(FLAGS_listen_host), ":", absl::GetFlag(FLAGS_port)),
       .port_file = absl::GetFlag(FLAGS_port_file),
       .server_name = "report"},
      {&service});
}
