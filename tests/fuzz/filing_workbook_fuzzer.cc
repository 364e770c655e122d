// Reading a filing workbook (services/gateway/workbook/filing_workbook.h),
// as POST /v1/filings:importWorkbook and `yusuan import -f FILE.xlsx` do.
//
// Input, one of two kinds:
//   - the uploaded file itself (an XLSX: a ZIP);
//   - 'X' then ZIP members, each "NAME\x1fCONTENT", separated by \x1e, which
//     the target packs into a ZIP with correct checksums (stored_zip.h), so
//     that mutations reach the workbook, sheet and shared-string XML and the
//     cells the reader turns into a filing.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/common/utf8.h"
#include "services/gateway/workbook/filing_workbook.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/stored_zip.h"

namespace yusuan::workbook {
namespace {

constexpr char kMemberSeparator = '\x1e';
constexpr char kNameSeparator = '\x1f';

void CheckProblem(const WorkbookProblem& problem) {
  FUZZ_CHECK(absl::StartsWith(problem.rule_id, "WB-"), problem.rule_id);
  for (const std::string* text :
       {&problem.sheet, &problem.cell, &problem.field, &problem.message_zh, &problem.message_en}) {
    FUZZ_CHECK(IsValidUtf8(*text), problem.rule_id, " ", problem.cell);
  }
  FUZZ_CHECK(!problem.message_zh.empty() && !problem.message_en.empty(), problem.rule_id);
  // A cell is named on its sheet ("支出!C7"), a sheet by its name.
  if (!problem.sheet.empty()) FUZZ_CHECK(absl::StartsWith(problem.cell, problem.sheet), problem.cell);
}

void CheckWorkbook(std::string_view bytes) {
  const WorkbookReadResult read = ReadFilingWorkbook(bytes);
  FUZZ_CHECK(read.filing.has_value() == read.problems.empty(), read.problems.size(), " problems");
  FUZZ_CHECK(read.problems.size() <= 500, read.problems.size(), " problems");
  for (const WorkbookProblem& problem : read.problems) CheckProblem(problem);
  for (const auto& [field, cell] : read.provenance) {
    FUZZ_CHECK(IsValidUtf8(field) && IsValidUtf8(cell), field);
    FUZZ_CHECK(!cell.empty(), field);
  }
  const absl::Status refusal = ProblemsToStatus(read.problems);
  FUZZ_CHECK(refusal.ok() == read.problems.empty(), refusal.ToString());
  if (!refusal.ok()) {
    FUZZ_CHECK(refusal.code() == absl::StatusCode::kInvalidArgument, refusal.ToString());
    return;
  }
  // What was read is a filing every text of which is UTF-8 (the gRPC face
  // would refuse it otherwise), and written again and read back it is the
  // same filing: the round trip `yusuan export --format xlsx` promises.
  const yusuan::gateway::v1::Filing& filing = *read.filing;
  WorkbookWriteOptions options;
  options.created_unix_seconds = 1'600'000'000;
  const absl::StatusOr<std::string> written = WriteFilingWorkbook(filing, options);
  if (!written.ok()) {
    FUZZ_CHECK(written.status().code() == absl::StatusCode::kInvalidArgument, written.status().ToString());
    return;
  }
  const WorkbookReadResult again = ReadFilingWorkbook(*written);
  FUZZ_CHECK(again.filing.has_value(), again.problems.empty() ? "" : again.problems.front().message_en);
  std::string difference;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&difference);
  FUZZ_CHECK(differencer.Compare(filing, *again.filing), difference);
}

void CheckMembers(std::string_view parts) {
  std::vector<std::pair<std::string, std::string>> members;
  for (absl::string_view part : absl::StrSplit(absl::string_view(parts.data(), parts.size()), kMemberSeparator)) {
    const size_t name_end = part.find(kNameSeparator);
    if (name_end == absl::string_view::npos || name_end == 0) continue;
    members.emplace_back(std::string(part.substr(0, name_end)), std::string(part.substr(name_end + 1)));
  }
  CheckWorkbook(fuzz::StoredZip(members));
}

}  // namespace
}  // namespace yusuan::workbook

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (!input.empty() && input.front() == 'X') {
    yusuan::workbook::CheckMembers(input.substr(1));
  } else {
    yusuan::workbook::CheckWorkbook(input);
  }
  return 0;
}
