// import: a file of filings (NDJSON, one per line) through one
// ImportFilings stream, with progress while it runs and a summary after.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "tools/yusuan/commands.h"
#include "tools/yusuan/exit_codes.h"
#include "tools/yusuan/print.h"

namespace yusuan::cli {
namespace {

namespace gv1 = yusuan::gateway::v1;
using Outcome = gv1::ImportFilingsResponse::Outcome;
using Clock = std::chrono::steady_clock;

// Refused filings listed in full after the summary; the rest are counted.
constexpr size_t kListedRefusals = 50;

// The filings of the file, read as the stream needs them: which line each
// came from, and the lines that are not filings (never sent).
class FilingFile {
 public:
  explicit FilingFile(const std::string& path) : path_(path), in_(path, std::ios::binary) {}
  bool is_open() const { return static_cast<bool>(in_); }

  // The next filing; false at the end of the file. A line that is not a
  // filing is recorded in `unreadable` and skipped.
  bool Next(gv1::Filing* filing, int64_t* line_number) {
    std::string line;
    while (std::getline(in_, line)) {
      ++line_;
      const absl::string_view text = absl::StripAsciiWhitespace(line);
      if (text.empty()) continue;
      filing->Clear();
      absl::Status parsed =
          ParseFiling(std::string(text), absl::StrCat(path_, " 第 ", line_, " 行 / line ", line_), filing);
      if (!parsed.ok()) {
        unreadable.push_back(std::string(parsed.message()));
        unreadable_count.fetch_add(1);
        continue;
      }
      *line_number = line_;
      return true;
    }
    return false;
  }

  // Read `unreadable` only after the last Next; the count at any time.
  std::vector<std::string> unreadable;
  std::atomic<int64_t> unreadable_count{0};

 private:
  std::string path_;
  std::ifstream in_;
  int64_t line_ = 0;
};

// How many lines of `path` hold something: the total the progress counts
// toward (a line that turns out not to be a filing counts as done).
int64_t CountFilings(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  int64_t count = 0;
  while (std::getline(in, line)) {
    if (!absl::StripAsciiWhitespace(line).empty()) ++count;
  }
  return count;
}

// Progress on stderr: a bar redrawn in place on a terminal, a plain line
// every 10 seconds otherwise (logs, CI).
class Progress {
 public:
  explicit Progress(int64_t total) : total_(total), terminal_(::isatty(STDERR_FILENO) == 1), start_(Clock::now()) {}

  void Update(int64_t done, int64_t refused, bool last = false) {
    const auto now = Clock::now();
    const auto interval = terminal_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(10000);
    if (!last && now - shown_ < interval) return;
    shown_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
    const int64_t left = std::max<int64_t>(total_ - done, 0);
    const std::string eta = rate > 0 && !last ? absl::StrFormat("%.0fs", static_cast<double>(left) / rate) : "-";
    const int percent = total_ > 0 ? static_cast<int>(100 * std::min(done, total_) / total_) : 100;
    if (terminal_) {
      constexpr int kWidth = 30;
      const int filled = percent * kWidth / 100;
      std::cerr << "\r[" << std::string(static_cast<size_t>(filled), '#')
                << std::string(static_cast<size_t>(kWidth - filled), '.') << "] "
                << absl::StrFormat("%d/%d %3d%%  %.1f 份/s filings/s  剩余 ETA %s  拒绝 refused %d", done, total_,
                                   percent, rate, eta, refused)
                << "\x1b[K" << (last ? "\n" : "") << std::flush;
    } else {
      std::cerr << absl::StrFormat("import: %d/%d (%d%%), %.1f filings/s, ETA %s, refused %d\n", done, total_, percent,
                                   rate, eta, refused);
    }
  }

 private:
  int64_t total_;
  bool terminal_;
  Clock::time_point start_;
  Clock::time_point shown_{};
};

const char* OutcomeLabel(Outcome outcome) {
  switch (outcome) {
    case gv1::ImportFilingsResponse::OUTCOME_APPLIED:
      return "已保存 applied";
    case gv1::ImportFilingsResponse::OUTCOME_UNCHANGED:
      return "未变 unchanged";
    case gv1::ImportFilingsResponse::OUTCOME_REFUSED:
      return "已拒绝 refused";
    default:
      return "未知 unknown";
  }
}

// One refused filing: where it was, then why: its FATAL findings, one line
// each, or the error.
void PrintRefusal(const gv1::ImportFilingsResponse& answer, int64_t line) {
  std::cout << "  第 " << line << " 行 line " << line << "  "
            << (answer.budget_name().empty() ? "(无名称 no name)" : answer.budget_name()) << "\n";
  bool any = false;
  for (const auto& finding : answer.validation().findings()) {
    if (finding.severity() != yusuan::common::v1::SEVERITY_FATAL) continue;
    std::cout << "    ";
    PrintFindingLine(std::cout, finding);
    any = true;
  }
  if (!any) std::cout << "    " << answer.error().message() << "\n";
}

}  // namespace

int Import(Client& client, const Args& args) {
  if (args.file.empty()) return Usage("import 需要 -f FILINGS.ndjson / import needs -f FILINGS.ndjson");
  if (!args.positional.empty()) return Usage("import 不需要其他参数 / import takes no other words");
  if (absl::EndsWithIgnoreCase(args.file, ".xlsx")) return ImportWorkbook(client, args);
  FilingFile file(args.file);
  if (!file.is_open()) {
    std::cerr << "无法读取文件 " << args.file << " / cannot read " << args.file << ": " << std::strerror(errno) << "\n";
    return kFailed;
  }
  const int64_t total = CountFilings(args.file);
  if (!client.Connect()) return kFailed;

  std::unique_ptr<grpc::ClientContext> context = client.StreamContext();
  auto stream = client.ImportFilings(context.get());
  // Which line each filing sent came from, by its index in the stream; the
  // writer adds, the reader looks up.
  std::mutex lines_mu;
  std::vector<int64_t> lines;
  std::thread writer([&] {
    gv1::ImportFilingsRequest request;
    request.set_request_id(args.request_id);
    int64_t line = 0;
    while (file.Next(request.mutable_filing(), &line)) {
      {
        std::lock_guard<std::mutex> lock(lines_mu);
        lines.push_back(line);
      }
      if (!stream->Write(request)) return;  // the call ended: Finish says why
      request.clear_request_id();
    }
    stream->WritesDone();
  });

  Progress progress(total);
  std::map<Outcome, int64_t> counts;
  std::vector<std::pair<gv1::ImportFilingsResponse, int64_t>> refused;
  int64_t refused_count = 0;
  std::string request_id = args.request_id;
  gv1::ImportFilingsResponse answer;
  while (stream->Read(&answer)) {
    ++counts[answer.outcome()];
    request_id = answer.request_id();
    if (answer.outcome() != gv1::ImportFilingsResponse::OUTCOME_APPLIED &&
        answer.outcome() != gv1::ImportFilingsResponse::OUTCOME_UNCHANGED) {
      ++refused_count;
      if (refused.size() < kListedRefusals) {
        int64_t line = 0;
        {
          std::lock_guard<std::mutex> lock(lines_mu);
          const size_t position = static_cast<size_t>(answer.index());
          if (position < lines.size()) line = lines[position];
        }
        refused.emplace_back(answer, line);
      }
    }
    progress.Update(counts[gv1::ImportFilingsResponse::OUTCOME_APPLIED] +
                        counts[gv1::ImportFilingsResponse::OUTCOME_UNCHANGED] + refused_count +
                        file.unreadable_count.load(),
                    refused_count + file.unreadable_count.load());
  }
  writer.join();
  const grpc::Status status = stream->Finish();
  const int64_t unreadable = static_cast<int64_t>(file.unreadable.size());
  progress.Update(counts[gv1::ImportFilingsResponse::OUTCOME_APPLIED] +
                      counts[gv1::ImportFilingsResponse::OUTCOME_UNCHANGED] + refused_count + unreadable,
                  refused_count + unreadable, /*last=*/true);

  std::vector<std::vector<std::string>> rows = {{"结果 outcome", "份数 filings"}};
  for (Outcome outcome : {gv1::ImportFilingsResponse::OUTCOME_APPLIED, gv1::ImportFilingsResponse::OUTCOME_UNCHANGED,
                          gv1::ImportFilingsResponse::OUTCOME_REFUSED}) {
    rows.push_back({OutcomeLabel(outcome), absl::StrCat(counts[outcome])});
  }
  rows.push_back({"无法读取 unreadable lines", absl::StrCat(unreadable)});
  PrintTable(rows, 1);
  if (!refused.empty()) {
    std::cout << "\n被拒绝的申报 refused filings:\n";
    for (const auto& [refusal, line] : refused) PrintRefusal(refusal, line);
    if (refused_count > static_cast<int64_t>(refused.size())) {
      std::cout << "  … 另有 " << refused_count - static_cast<int64_t>(refused.size()) << " 份 and "
                << refused_count - static_cast<int64_t>(refused.size()) << " more\n";
    }
  }
  for (const std::string& why : file.unreadable) std::cout << "\n" << why << "\n";
  if (!request_id.empty()) {
    std::cout << "\n导入编号 request id: " << request_id
              << "（用 --request-id 重试不会重复保存 / retrying with --request-id stores nothing twice)\n";
  }
  if (!status.ok()) {
    std::cerr << "导入中断 / the import stopped after "
              << counts[gv1::ImportFilingsResponse::OUTCOME_APPLIED] +
                     counts[gv1::ImportFilingsResponse::OUTCOME_UNCHANGED] + refused_count
              << " filings:\n";
    PrintFailure(status);
    return kFailed;
  }
  return refused_count > 0 || unreadable > 0 ? kFailed : kOk;
}

}  // namespace yusuan::cli
