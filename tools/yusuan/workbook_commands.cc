// The filing workbook on the command line: `import -f FILE.xlsx` reads it
// here (so a cell that cannot be read is named before anything is sent) and
// imports its filing through ImportFilings; `template --xlsx` writes the
// empty workbook from the catalogue the ledger ships.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/gateway/workbook/filing_workbook.h"
#include "services/ledger/domain/catalogue.h"
#include "tools/yusuan/commands.h"
#include "tools/yusuan/exit_codes.h"
#include "tools/yusuan/print.h"

namespace yusuan::cli {
namespace {

namespace gv1 = yusuan::gateway::v1;

void PrintProblem(const workbook::WorkbookProblem& problem) {
  std::cout << "  " << (problem.cell.empty() ? "(工作簿 workbook)" : problem.cell) << "  [" << problem.rule_id << "]"
            << (problem.field.empty() ? "" : "  " + problem.field) << "\n"
            << "      " << problem.message_zh << "\n"
            << "      " << problem.message_en << "\n";
}

}  // namespace

int ImportWorkbook(Client& client, const Args& args) {
  std::ifstream in(args.file, std::ios::binary);
  if (!in) {
    std::cerr << "无法读取文件 " << args.file << " / cannot read " << args.file << ": " << std::strerror(errno) << "\n";
    return kFailed;
  }
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const workbook::WorkbookReadResult read = workbook::ReadFilingWorkbook(bytes);
  if (!read.problems.empty()) {
    std::cout << args.file << "：" << read.problems.size() << " 处无法读取，未提交 / " << read.problems.size()
              << " cells cannot be read; nothing was sent:\n";
    for (const workbook::WorkbookProblem& problem : read.problems) PrintProblem(problem);
    return kFailed;
  }
  if (!client.Connect()) return kFailed;
  std::unique_ptr<grpc::ClientContext> context = client.StreamContext();
  auto stream = client.ImportFilings(context.get());
  gv1::ImportFilingsRequest request;
  request.set_request_id(args.request_id);
  *request.mutable_filing() = *read.filing;
  gv1::ImportFilingsResponse answer;
  const bool answered = stream->Write(request) && stream->Read(&answer);
  stream->WritesDone();
  const grpc::Status status = stream->Finish();
  if (!status.ok()) return PrintFailure(status);
  if (!answered) {
    std::cerr << "网关未作答 / the gateway gave no answer\n";
    return kFailed;
  }
  workbook::AnnotateWithCells(read.provenance, *answer.mutable_validation());
  std::cout << args.file << " → " << (answer.budget_name().empty() ? "(无名称 no name)" : answer.budget_name()) << "\n";
  switch (answer.outcome()) {
    case gv1::ImportFilingsResponse::OUTCOME_APPLIED:
      std::cout << "已保存 applied: 预算修订 budget revision " << answer.budget_revision()
                << "，绩效目标修订 goals revision " << answer.goals_revision() << "\n";
      break;
    case gv1::ImportFilingsResponse::OUTCOME_UNCHANGED:
      std::cout << "未变 unchanged: 与已保存的相同，未写入 / equal to what is stored, nothing written (budget revision "
                << answer.budget_revision() << ")\n";
      break;
    default:
      std::cout << "已拒绝 refused: " << answer.error().message() << "\n";
      break;
  }
  for (const auto& finding : answer.validation().findings()) PrintFinding(std::cout, finding);
  if (answer.validation().findings_size() > 0) {
    PrintCounts(std::cout, answer.validation());
    std::cout << "\n";
  }
  std::cout << "导入编号 request id: " << answer.request_id() << "\n";
  return answer.outcome() == gv1::ImportFilingsResponse::OUTCOME_APPLIED ||
                 answer.outcome() == gv1::ImportFilingsResponse::OUTCOME_UNCHANGED
             ? kOk
             : kFailed;
}

int Template(const Args& args) {
  if (!args.xlsx)
    return Usage("template 需要 --xlsx（目前只有 Excel 模板）/ template needs --xlsx (the Excel workbook)");
  if (!args.positional.empty()) return Usage("template 不需要其他参数 / template takes no other words");
  absl::StatusOr<ledger::CatalogueSet> catalogues =
      ledger::CatalogueSet::LoadFromDirectory(YUSUAN_DEFAULT_CATALOGUE_DIR);
  if (!catalogues.ok()) {
    std::cerr << catalogues.status().message() << "\n";
    return kFailed;
  }
  int year = 0;
  if (args.year.empty()) {
    for (int edition : catalogues->editions()) year = std::max(year, edition);
  } else if (!absl::SimpleAtoi(args.year, &year) || catalogues->Find(year) == nullptr) {
    std::string editions;
    for (int edition : catalogues->editions()) absl::StrAppend(&editions, editions.empty() ? "" : ", ", edition);
    return Usage(absl::StrCat("没有 ", args.year, " 年版科目；可用 ", editions, " / no catalogue edition ", args.year,
                              "; there are ", editions));
  }
  workbook::WorkbookWriteOptions options;
  absl::StatusOr<std::string> xlsx = workbook::WriteTemplateWorkbook(catalogues->Find(year), options);
  if (!xlsx.ok()) {
    std::cerr << xlsx.status().message() << "\n";
    return kFailed;
  }
  const std::string path = args.output.empty() ? absl::StrCat("yusuan-template-", year, ".xlsx") : args.output;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(xlsx->data(), static_cast<std::streamsize>(xlsx->size()));
  out.close();
  if (!out) {
    std::cerr << "无法写入 " << path << " / cannot write " << path << ": " << std::strerror(errno) << "\n";
    return kFailed;
  }
  std::cout << "已写入 / wrote " << path << "（" << year << " 年版科目 / codes of the " << year
            << " edition）\n填好后导入 / fill it in, then: yusuan import -f " << path << "\n";
  return kOk;
}

}  // namespace yusuan::cli
