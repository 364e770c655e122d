// apply, validate, rules: a filing in, findings out.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "services/common/utf8.h"
#include "tools/yusuan/commands.h"
#include "tools/yusuan/exit_codes.h"
#include "tools/yusuan/print.h"

namespace yusuan::cli {
namespace {

namespace gv1 = yusuan::gateway::v1;
using yusuan::common::v1::ValidationReport;

// Reads a Filing in protobuf JSON; prints why not and returns false.
bool ReadFiling(const std::string& path, gv1::Filing* filing) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "无法读取文件 " << path << " / cannot read " << path << ": " << std::strerror(errno) << "\n";
    return false;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  absl::Status parsed = ParseFiling(buffer.str(), path, filing);
  if (!parsed.ok()) {
    std::cerr << parsed.message() << "\n";
    return false;
  }
  return true;
}

}  // namespace

absl::Status ParseFiling(const std::string& text, const std::string& where, gv1::Filing* filing) {
  if (!IsValidUtf8(text)) {
    std::string fields;
    for (const std::string& field : FindInvalidUtf8InJson(text)) absl::StrAppend(&fields, "\n  ", field);
    return absl::InvalidArgumentError(
        absl::StrCat("文件 ", where, " 不是有效的 UTF-8 编码 / ", where,
                     " is not valid UTF-8; re-save the file as UTF-8. 字段 fields:", fields));
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status = google::protobuf::util::JsonStringToMessage(text, filing, options);
  if (!status.ok()) {
    const std::string why(status.message());
    return absl::InvalidArgumentError(absl::StrCat(where, " 不是有效的申报 JSON（Filing）：", why, "\n", where,
                                                   " is not a valid Filing in protobuf JSON: ", why));
  }
  return absl::OkStatus();
}

int Apply(Client& client, const Args& args) {
  if (args.file.empty()) return Usage("apply 需要 -f FILING.json / apply needs -f FILING.json");
  gv1::ApplyFilingRequest request;
  if (!ReadFiling(args.file, request.mutable_filing())) return kFailed;
  request.set_request_id(args.request_id);
  if (!client.Connect()) return kFailed;
  gv1::ApplyFilingResponse response;
  grpc::Status status = client.Call(&Client::Stub::ApplyFiling, request, &response);
  if (!status.ok()) return PrintFailure(status);

  std::cout << "已保存申报 / filing stored\n"
            << "  部门 department   " << response.department().name() << "\n"
            << "  预算 budget       " << response.budget().name() << "  修订 revision " << response.budget().revision()
            << "\n"
            << "  绩效目标 goals    " << response.goals().name() << "  修订 revision " << response.goals().revision()
            << "\n"
            << "  校验 validation   ";
  PrintCounts(std::cout, response.validation());
  std::cout << "\n";
  if (response.validation().findings_size() > 0) {
    std::cout << "\n";
    for (const auto& f : response.validation().findings()) PrintFindingLine(std::cout, f);
    std::cout << "\n详情 details: yusuan validate -f " << args.file << "\n";
  }
  return kOk;
}

int Validate(Client& client, const Args& args) {
  if (args.file.empty() == args.positional.empty() || args.positional.size() > 1) {
    return Usage(
        "validate 需要 -f FILING.json 或一个已保存预算的名称 / validate needs -f FILING.json or the name of "
        "one stored budget");
  }
  ValidationReport report;
  grpc::Status status;
  if (!args.file.empty()) {
    gv1::ValidateFilingRequest request;
    if (!ReadFiling(args.file, request.mutable_filing())) return kFailed;
    if (!client.Connect()) return kFailed;
    status = client.Call(&Client::Stub::ValidateFiling, request, &report);
  } else {
    // The stored budget: the gateway records this validation, which submit needs.
    gv1::ValidateStoredBudgetRequest request;
    request.set_name(args.positional[0]);
    if (!client.Connect()) return kFailed;
    status = client.Call(&Client::Stub::ValidateBudget, request, &report);
  }
  if (!status.ok()) return PrintFailure(status);
  if (args.json) {
    // Zero counts too, so fatalCount is always there to read.
    std::cout << ToJson(report, JsonFields::kAll);
  } else {
    for (const auto& f : report.findings()) PrintFinding(std::cout, f);
    if (report.findings_size() > 0) std::cout << "\n";
    std::cout << (report.fatal_count() > 0 ? "未通过 / not valid: " : "通过 / valid: ");
    PrintCounts(std::cout, report);
    std::cout << "\n";
  }
  return report.fatal_count() > 0 ? kFailed : kOk;
}

int Rules(Client& client, const Args& args) {
  if (!args.positional.empty()) return Usage("rules 不需要参数 / rules takes no arguments");
  if (!client.Connect()) return kFailed;
  yusuan::common::v1::RuleSet rules;
  grpc::Status status = client.Call(&Client::Stub::ListRules, yusuan::common::v1::ListRulesRequest(), &rules);
  if (!status.ok()) return PrintFailure(status);
  if (args.json) {
    std::cout << ToJson(rules);
    return kOk;
  }
  std::cout << "规则集 rule set " << rules.version() << ", " << rules.rules_size() << " 条 rules\n";
  if (rules.rules_size() == 0) return kOk;
  // Descriptions wrap at 60 columns on rows of their own under the rule,
  // Chinese first, so the table stays readable in a 120-column terminal.
  constexpr size_t kDescriptionColumns = 60;
  std::vector<std::vector<std::string>> rows = {
      {"编号 id", "严重程度 severity", "类别 category", "服务 service", "说明 description"}};
  for (const auto& rule : rules.rules()) {
    std::vector<std::string> lines = WrapDisplay(rule.description_zh(), kDescriptionColumns);
    for (const std::string& line : WrapDisplay(rule.description_en(), kDescriptionColumns)) {
      lines.push_back(line);
    }
    if (lines.empty()) lines.push_back("");
    rows.push_back(
        {rule.rule_id(), SeverityLabel(rule.severity()), CategoryLabel(rule.category()), rule.service(), lines[0]});
    for (size_t i = 1; i < lines.size(); ++i) rows.push_back({"", "", "", "", lines[i]});
  }
  PrintTable(rows);
  return kOk;
}

}  // namespace yusuan::cli
