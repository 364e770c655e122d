// export: every filing of a region and year through one ExportFilings
// stream, written as NDJSON that `yusuan import` takes back unchanged.
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"
#include "services/gateway/workbook/filing_workbook.h"
#include "tools/yusuan/commands.h"
#include "tools/yusuan/exit_codes.h"
#include "tools/yusuan/print.h"

namespace yusuan::cli {
namespace {

namespace gv1 = yusuan::gateway::v1;
using Clock = std::chrono::steady_clock;

// How far the export got, on stderr: redrawn in place on a terminal, a
// plain line every 10 seconds otherwise. The total is not known in
// advance (the region is read a page at a time), so there is no bar.
class ExportProgress {
 public:
  ExportProgress() : terminal_(::isatty(STDERR_FILENO) == 1), start_(Clock::now()) {}

  void Update(int64_t done, bool last = false) {
    const auto now = Clock::now();
    const auto interval = terminal_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(10000);
    if (!last && now - shown_ < interval) return;
    shown_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
    if (terminal_) {
      std::cerr << absl::StrFormat("\r导出 exported %d 份 filings  %.1f 份/s filings/s", done, rate) << "\x1b[K"
                << (last ? "\n" : "") << std::flush;
    } else {
      std::cerr << absl::StrFormat("export: %d filings, %.1f filings/s\n", done, rate);
    }
  }

 private:
  bool terminal_;
  Clock::time_point start_;
  Clock::time_point shown_{};
};

// DIR/REGION-AGENCY-YEAR.xlsx; false (having said why) when it cannot be written.
bool WriteWorkbook(const gv1::Filing& filing, const std::string& dir, int year) {
  workbook::WorkbookWriteOptions options;
  // The bytes do not depend on when they were exported.
  options.created_unix_seconds = absl::ToUnixSeconds(absl::FromCivil(absl::CivilDay(year, 1, 1), absl::UTCTimeZone()));
  absl::StatusOr<std::string> xlsx = workbook::WriteFilingWorkbook(filing, options);
  if (!xlsx.ok()) {
    std::cerr << filing.budget().name() << ": " << xlsx.status().message() << "\n";
    return false;
  }
  const std::string path = absl::StrCat(dir, "/", filing.department().region_code(), "-",
                                        filing.department().agency_code(), "-", year, ".xlsx");
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(xlsx->data(), static_cast<std::streamsize>(xlsx->size()));
  out.close();
  if (!out) {
    std::cerr << "无法写入 " << path << " / cannot write " << path << ": " << std::strerror(errno) << "\n";
    return false;
  }
  return true;
}

}  // namespace

int Export(Client& client, const Args& args) {
  if (args.positional.size() != 1 || args.positional[0].rfind("regions/", 0) != 0) {
    return Usage("export 需要一个地区名，如 regions/4201 / export needs one region name, e.g. regions/4201");
  }
  int year = 0;
  if (!absl::SimpleAtoi(args.year, &year) || year < 2000 || year > 2100) {
    return Usage("export 需要 --year 年度（2000–2100）/ export needs --year YEAR (2000..2100)");
  }
  // --format xlsx: one filing workbook per filing, in the directory -o names.
  const bool workbooks = absl::AsciiStrToLower(args.format) == "xlsx";
  if (!args.format.empty() && !workbooks && absl::AsciiStrToLower(args.format) != "ndjson") {
    return Usage("export 的 --format 为 ndjson（默认）或 xlsx / export writes ndjson (default) or xlsx");
  }
  if (workbooks) {
    std::error_code error;
    if (args.output.empty() || (std::filesystem::create_directories(args.output, error), error)) {
      return Usage(absl::StrCat("export --format xlsx 需要 -o 目录 / export --format xlsx needs -o DIR",
                                error ? absl::StrCat(" (", args.output, ": ", error.message(), ")") : ""));
    }
  }
  // Resuming adds to the file the interrupted run wrote; a new export
  // starts it over.
  std::ofstream file;
  if (!args.output.empty() && !workbooks) {
    file.open(args.output, args.after.empty() ? std::ios::trunc : std::ios::app);
    if (!file) {
      std::cerr << "无法写入文件 " << args.output << " / cannot write " << args.output << ": " << std::strerror(errno)
                << "\n";
      return kFailed;
    }
  }
  std::ostream& out = args.output.empty() ? std::cout : file;
  if (!client.Connect()) return kFailed;

  gv1::ExportFilingsRequest request;
  request.set_parent(args.positional[0]);
  request.set_fiscal_year(year);
  request.set_after_cursor(args.after);
  request.set_published(args.published);
  std::unique_ptr<grpc::ClientContext> context = client.StreamContext();
  auto stream = client.ExportFilings(context.get(), request);
  ExportProgress progress;
  int64_t count = 0;
  std::string cursor = args.after;
  gv1::ExportFilingsResponse exported;
  while (stream->Read(&exported)) {
    if (workbooks) {
      if (!WriteWorkbook(exported.filing(), args.output, year)) {
        context->TryCancel();
        break;
      }
      cursor = exported.cursor();
      progress.Update(++count);
      continue;
    }
    std::string json;
    if (!google::protobuf::util::MessageToJsonString(exported.filing(), &json).ok()) {
      std::cerr << "申报无法写成 JSON / a filing could not be written as JSON: " << exported.filing().budget().name()
                << "\n";
      context->TryCancel();
      break;
    }
    out << json << "\n";
    if (!out) {
      std::cerr << "写入失败 / writing failed: " << std::strerror(errno) << "\n";
      context->TryCancel();
      break;
    }
    // The cursor moves only past a filing that is written.
    cursor = exported.cursor();
    progress.Update(++count);
  }
  out.flush();
  const grpc::Status status = stream->Finish();
  progress.Update(count, /*last=*/true);
  if (!status.ok() || !out) {
    if (!status.ok()) PrintFailure(status);
    if (!cursor.empty()) {
      std::cerr << "继续导出 / to resume: yusuan export " << request.parent() << " --year " << year
                << (args.output.empty() ? "" : " -o " + args.output) << " --after " << cursor << "\n";
    }
    return kFailed;
  }
  std::cerr << "导出 " << count << " 份申报 / exported " << count << " filings"
            << (args.output.empty() ? "" : " to " + args.output) << "\n";
  return kOk;
}

}  // namespace yusuan::cli
