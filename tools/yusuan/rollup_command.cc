// rollup: the totals of a region and year (GetRollup), printed in 万元, as
// JSON, or written as a file (RenderRollup).
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/client/client.h"
#include "services/common/filing_status.h"
#include "services/common/money.h"
#include "tools/yusuan/commands.h"
#include "tools/yusuan/exit_codes.h"
#include "tools/yusuan/print.h"

namespace yusuan::cli {
namespace {

namespace lv1 = yusuan::ledger::v1;
namespace rv1 = yusuan::report::v1;

void PrintRollup(const lv1::Rollup& rollup) {
  std::string states;
  for (int i = 0; i < rollup.statuses_size(); ++i) {
    absl::StrAppend(&states, i > 0 ? "、" : "", FilingStatusNameZh(rollup.statuses(i)));
  }
  std::cout << rollup.name() << "：" << rollup.budget_count() << " 个预算 budgets（" << states << "），单位：万元\n";
  std::vector<std::vector<std::string>> rows = {
      {"收入合计 income", FormatWanYuan(rollup.income_fen())},
      {"支出合计 expenditure", FormatWanYuan(rollup.expenditure_fen())},
      {"  基本支出 basic", FormatWanYuan(rollup.basic_fen())},
      {"  项目支出 project", FormatWanYuan(rollup.project_fen())},
      {"“三公”经费 three public", FormatWanYuan(rollup.three_public().total_fen())},
      {"机关运行经费 office running", FormatWanYuan(rollup.machinery_operating_fen())}};
  PrintTable(rows, 1);
  std::cout << "\n支出功能分类（类）/ spending by functional class\n";
  rows.clear();
  for (const lv1::RollupRow& row : rollup.functional()) {
    if (row.level() == 1) rows.push_back({row.code(), row.name(), FormatWanYuan(row.amount_fen())});
  }
  PrintTable(rows, 2);
  std::cout << "\n资金来源 / spending by fund source\n";
  rows.clear();
  for (const lv1::RollupRow& row : rollup.expenditure_by_source()) {
    rows.push_back({row.name().empty() ? row.code() : row.name(), FormatWanYuan(row.amount_fen())});
  }
  PrintTable(rows, 1);
}

}  // namespace

int Rollup(Client& client, const Args& args) {
  if (args.positional.size() != 1 || args.positional[0].rfind("regions/", 0) != 0) {
    return Usage("rollup 需要一个地区名，如 regions/4201 / rollup needs one region name, e.g. regions/4201");
  }
  int year = 0;
  if (!absl::SimpleAtoi(args.year, &year) || year < 2000 || year > 2100) {
    return Usage("rollup 需要 --year 年度（2000–2100）/ rollup needs --year YEAR (2000..2100)");
  }
  std::vector<lv1::FilingStatus> statuses;
  for (absl::string_view word : absl::StrSplit(args.status, ',', absl::SkipWhitespace())) {
    lv1::FilingStatus status;
    const std::string upper = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(word));
    if (!lv1::FilingStatus_Parse("FILING_STATUS_" + upper, &status) || status == lv1::FILING_STATUS_UNSPECIFIED) {
      return Usage(absl::StrCat("--status 应为以逗号分隔的 draft、submitted、returned、approved、published，而不是 ",
                                std::string(word), " / --status takes draft, submitted, returned, approved and ",
                                "published, comma-separated, not ", std::string(word)));
    }
    statuses.push_back(status);
  }
  const std::string name = absl::StrCat(args.positional[0], "/rollups/", year);
  if (!args.format.empty() && absl::AsciiStrToLower(args.format) != "json") {
    absl::StatusOr<rv1::Format> format = yusuan::client::ParseReportFormat(args.format);
    if (!format.ok() || (*format != rv1::FORMAT_CSV && *format != rv1::FORMAT_XLSX && *format != rv1::FORMAT_HTML &&
                         *format != rv1::FORMAT_MARKDOWN)) {
      return Usage(absl::StrCat("rollup 的 --format 为 csv、xlsx、html 或 md，而不是 ", args.format,
                                " / rollup writes csv, xlsx, html or md, not ", args.format));
    }
    yusuan::gateway::v1::RenderRollupRequest request;
    request.set_name(name);
    for (lv1::FilingStatus status : statuses) request.add_statuses(status);
    request.set_format(*format);
    if (!client.Connect()) return kFailed;
    rv1::Artifact artifact;
    grpc::Status status = client.Call(&Client::Stub::RenderRollup, request, &artifact);
    if (!status.ok()) return PrintFailure(status);
    return WriteArtifact(artifact, args.output, absl::StrCat("rollup.", absl::AsciiStrToLower(args.format)));
  }
  lv1::GetRollupRequest request;
  request.set_name(name);
  for (lv1::FilingStatus status : statuses) request.add_statuses(status);
  if (!client.Connect()) return kFailed;
  lv1::Rollup rollup;
  grpc::Status status = client.Call(&Client::Stub::GetRollup, request, &rollup);
  if (!status.ok()) return PrintFailure(status);
  if (args.json || absl::AsciiStrToLower(args.format) == "json") {
    std::cout << ToJson(rollup, JsonFields::kAll);
  } else {
    PrintRollup(rollup);
  }
  return kOk;
}

}  // namespace yusuan::cli
