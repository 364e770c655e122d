// export: every filing of a region and year through one ExportFilings
// stream, written as NDJSON that `yusuan import` takes back unchanged, as
// one filing workbook each (--format xlsx), or as the region's open data
// (--format csv: lines.csv, budgets.csv and datapackage.json).
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
#include <string_view>
#include <tuple>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"
#include "services/common/open_data.h"
#include "services/common/sha256.h"
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

// The two CSV files of a region's open data, in the directory -o names:
// started with their headers, or appended to when an export resumes.
class OpenDataFiles {
 public:
  bool Open(const std::string& dir, bool resume) {
    dir_ = dir;
    for (auto [file, name, header] :
         {std::tuple{&lines_, open_data::kLinesFile, open_data::LedgerLineCsvHeader()},
          std::tuple{&budgets_, open_data::kBudgetsFile, open_data::ExportedBudgetCsvHeader()}}) {
      const std::string path = absl::StrCat(dir, "/", name);
      file->open(path, std::ios::binary | (resume ? std::ios::app : std::ios::trunc));
      if (!resume) *file << header;
      if (!*file) {
        std::cerr << "无法写入 " << path << " / cannot write " << path << ": " << std::strerror(errno) << "\n";
        return false;
      }
    }
    return true;
  }

  // Both rows on disk before the export's cursor moves past the budget.
  bool Write(const gv1::ExportFilingsResponse& exported) {
    lines_ << exported.lines_csv();
    budgets_ << exported.budget_csv();
    lines_.flush();
    budgets_.flush();
    if (!lines_ || !budgets_) {
      std::cerr << "写入失败 / writing failed: " << std::strerror(errno) << "\n";
      return false;
    }
    return true;
  }

  // datapackage.json naming both files by size and SHA-256, once the
  // whole region is in them.
  bool Describe(const std::string& region_code, int year, bool published) {
    lines_.close();
    budgets_.close();
    open_data::RegionPackage package;
    package.region_code = region_code;
    package.fiscal_year = year;
    package.published = published;
    for (auto [facts, name] :
         {std::pair{&package.lines, open_data::kLinesFile}, std::pair{&package.budgets, open_data::kBudgetsFile}}) {
      absl::StatusOr<FileDigest> digest = Sha256OfFile(absl::StrCat(dir_, "/", name));
      if (!digest.ok()) {
        std::cerr << digest.status().message() << "\n";
        return false;
      }
      *facts = {.bytes = digest->bytes, .sha256_hex = digest->sha256_hex};
    }
    const std::string path = absl::StrCat(dir_, "/", open_data::kDataPackageFile);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << open_data::RenderRegionDataPackage(package);
    out.close();
    if (!out) {
      std::cerr << "无法写入 " << path << " / cannot write " << path << ": " << std::strerror(errno) << "\n";
      return false;
    }
    return true;
  }

 private:
  std::string dir_;
  std::ofstream lines_;
  std::ofstream budgets_;
};

}  // namespace

int Export(Client& client, const Args& args) {
  if (args.positional.size() != 1 || args.positional[0].rfind("regions/", 0) != 0) {
    return Usage("export 需要一个地区名，如 regions/4201 / export needs one region name, e.g. regions/4201");
  }
  int year = 0;
  if (!absl::SimpleAtoi(args.year, &year) || year < 2000 || year > 2100) {
    return Usage("export 需要 --year 年度（2000–2100）/ export needs --year YEAR (2000..2100)");
  }
  // --format xlsx: one filing workbook per filing, in the directory -o
  // names; --format csv: the region's open data there.
  const std::string format = absl::AsciiStrToLower(args.format);
  const bool workbooks = format == "xlsx";
  const bool open_data_files = format == "csv";
  if (!format.empty() && !workbooks && !open_data_files && format != "ndjson") {
    return Usage("export 的 --format 为 ndjson（默认）、csv 或 xlsx / export writes ndjson (default), csv or xlsx");
  }
  if (workbooks || open_data_files) {
    std::error_code error;
    if (args.output.empty() || (std::filesystem::create_directories(args.output, error), error)) {
      return Usage(absl::StrCat("export --format ", format, " 需要 -o 目录 / export --format ", format, " needs -o DIR",
                                error ? absl::StrCat(" (", args.output, ": ", error.message(), ")") : ""));
    }
  }
  OpenDataFiles open_data_out;
  if (open_data_files && !open_data_out.Open(args.output, !args.after.empty())) return kFailed;
  // Resuming adds to the file the interrupted run wrote; a new export
  // starts it over.
  std::ofstream file;
  if (!args.output.empty() && !workbooks && !open_data_files) {
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
  if (open_data_files) request.set_format(gv1::EXPORT_FORMAT_CSV);
  std::unique_ptr<grpc::ClientContext> context = client.StreamContext();
  auto stream = client.ExportFilings(context.get(), request);
  ExportProgress progress;
  int64_t count = 0;
  std::string cursor = args.after;
  gv1::ExportFilingsResponse exported;
  while (stream->Read(&exported)) {
    if (open_data_files) {
      if (!open_data_out.Write(exported)) {
        context->TryCancel();
        break;
      }
      cursor = exported.cursor();
      progress.Update(++count);
      continue;
    }
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
  grpc::Status status = stream->Finish();
  progress.Update(count, /*last=*/true);
  bool written = static_cast<bool>(out);
  if (status.ok() && written && open_data_files) {
    written =
        open_data_out.Describe(request.parent().substr(std::string_view("regions/").size()), year, args.published);
  }
  if (!status.ok() || !written) {
    if (!status.ok()) PrintFailure(status);
    if (!cursor.empty()) {
      std::cerr << "继续导出 / to resume: yusuan export " << request.parent() << " --year " << year
                << (format.empty() ? "" : " --format " + format) << (args.published ? " --published" : "")
                << (args.output.empty() ? "" : " -o " + args.output) << " --after " << cursor << "\n";
    }
    return kFailed;
  }
  std::cerr << "导出 " << count << " 份申报 / exported " << count << " filings"
            << (args.output.empty() ? "" : " to " + args.output) << "\n";
  return kOk;
}

}  // namespace yusuan::cli
