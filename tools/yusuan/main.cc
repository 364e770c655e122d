// yusuan: the command-line client of the gateway's public gRPC API.
//
//   yusuan [--gateway HOST:PORT] apply -f FILING.json [--request-id ID]
//   yusuan [--gateway HOST:PORT] validate -f FILING.json [--json] | validate BUDGET_NAME [--json]
//   yusuan [--gateway HOST:PORT] get NAME
//   yusuan [--gateway HOST:PORT] render [--format html|md|pdf|xlsx|json|csv|datapackage] [--template SET] [-o FILE] NAME
//   yusuan [--gateway HOST:PORT] submit|approve|publish NAME [--request-id ID]
//   yusuan [--gateway HOST:PORT] return NAME --comment TEXT [--request-id ID]
//   yusuan [--gateway HOST:PORT] history NAME
//   yusuan [--gateway HOST:PORT] revisions NAME [--json]
//   yusuan [--gateway HOST:PORT] diff NAME FROM [TO] [--json]
//   yusuan [--gateway HOST:PORT] rules [--json]
//   yusuan admin key create [--key FILE]
//   yusuan admin token create --role ROLE --scope SCOPE --ttl DURATION [--subject NAME] [--key FILE]
//   yusuan synth --departments N [--seed S] [--sector 类] [--year Y] [-o FILE] [--catalogue_dir DIR]
//
// Exit codes: 0 ok, 1 refused or failed, 2 usage.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "services/common/sha256.h"
#include "services/common/errors.h"
#include "services/common/money.h"
#include "services/common/resource_names.h"
#include "services/common/tls.h"
#include "services/common/utf8.h"
#include "services/security/scope.h"
#include "services/security/signing_key.h"
#include "services/security/token.h"
#include "services/client/client.h"
#include "services/common/resource_names.h"
#include "tools/yusuan/catalogue_command.h"
#include "tools/yusuan/synth_command.h"
#include "yusuan/gateway/v1/gateway.grpc.pb.h"

namespace yusuan::cli {
namespace {

namespace gv1 = yusuan::gateway::v1;
using yusuan::common::v1::Finding;
using yusuan::common::v1::ValidationReport;

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kUsage = 2;

constexpr char kUsageText[] =
    "用法 / usage:\n"
    "  yusuan [--gateway HOST:PORT] apply -f FILING.json [--request-id ID]\n"
    "      校验并保存一份完整申报（部门、预算、绩效目标）/ validate and store a whole filing\n"
    "  yusuan [--gateway HOST:PORT] validate -f FILING.json [--json]\n"
    "      只校验不保存；有严重问题时退出码为 1 / validate only; exit 1 when any finding is FATAL\n"
    "  yusuan [--gateway HOST:PORT] validate BUDGET_NAME [--json]\n"
    "      校验已保存的预算并记录（提交前须按当前规则集校验）/ validate the stored budget and record it\n"
    "      (submit needs a validation by the current rule set)\n"
    "  yusuan [--gateway HOST:PORT] get NAME\n"
    "      读取资源并输出 JSON / print a resource as JSON; NAME is one of\n"
    "        regions/{region}                                   (list departments)\n"
    "        regions/{region}/departments/{agency}\n"
    "        regions/{region}/departments/{agency}/budgets/{year}\n"
    "        regions/{region}/departments/{agency}/budgets/{year}/goals\n"
    "  yusuan [--gateway HOST:PORT] render [--format html|md|pdf|xlsx|json|csv|datapackage] [--template SET] [-o FILE] BUDGET_NAME\n"
    "      生成预算公开文件 / render the disclosure (default html; FILE defaults to its own name;\n"
    "      SET: wuhan-district-2021 (default) or national-2016-143)\n"
    "  yusuan [--gateway HOST:PORT] submit BUDGET_NAME [--request-id ID]\n"
    "      校验后报送审核（草稿/已退回 → 已提交）/ validate and submit for review\n"
    "  yusuan [--gateway HOST:PORT] approve BUDGET_NAME [--request-id ID]\n"
    "      审核通过（已提交 → 已审核）/ approve a submitted budget\n"
    "  yusuan [--gateway HOST:PORT] return BUDGET_NAME --comment TEXT [--request-id ID]\n"
    "      退回修改，须说明原因（已提交 → 已退回）/ return for changes, saying why\n"
    "  yusuan [--gateway HOST:PORT] publish BUDGET_NAME [--request-id ID]\n"
    "      公开（已审核 → 已公开）/ publish an approved budget\n"
    "  yusuan [--gateway HOST:PORT] history BUDGET_NAME\n"
    "      列出审批记录 / list the budget's versions (submissions, approvals, returns, publications)\n"
    "  yusuan [--gateway HOST:PORT] revisions BUDGET_NAME|GOALS_NAME [--json]\n"
    "      列出预算或绩效目标的全部修订 / list the stored revisions of a budget or of its goals\n"
    "      (BUDGET_NAME/goals)\n"
    "  yusuan [--gateway HOST:PORT] diff BUDGET_NAME|GOALS_NAME FROM [TO] [--json]\n"
    "      比较两个修订：预算为变动的表格单元格（万元）和字段，绩效目标为变动的字段 / what changed\n"
    "      from revision FROM to TO (default: current): a budget's table cells in 万元 and fields,\n"
    "      a goal set's fields with their values before and after\n"
    "  yusuan [--gateway HOST:PORT] verify FILE [--json]\n"
    "      检查下载的文件是否为正式公开的文件（部门、年度、版本）；不是时退出码为 1 / tell whether a\n"
    "      downloaded file is an official published one (department, year, version); exit 1 if not\n"
    "  yusuan [--gateway HOST:PORT] rules [--json]\n"
    "      列出全部校验规则：编号、严重程度、类别、服务、说明 / list every validation rule:\n"
    "      id, severity, category, service, description\n"
    "  yusuan admin key create [--key FILE]\n"
    "      创建令牌签名密钥，已存在则保留 / create the token signing key (an existing one is kept)\n"
    "  yusuan admin token create --role ROLE --scope SCOPE --ttl DURATION [--subject NAME]\n"
    "        [--key FILE]\n"
    "      签发访问令牌，输出到标准输出 / mint a bearer token, printed on stdout;\n"
    "      ROLE: preparer | reviewer | integrator | admin;\n"
    "      SCOPE: regions/ | regions/{region} | regions/{region}/departments/{agency};\n"
    "      DURATION: 30m, 12h, 7d (s, m, h or d; at most 366d); NAME defaults to cli\n"
    "  yusuan synth --departments N [--seed S] [--sector 类] [--year Y] [-o FILE] [--catalogue_dir DIR]\n"
    "      生成合成申报（NDJSON），无需网关 / write synthetic filings as NDJSON, no gateway needed\n"
    "  yusuan --help\n"
    "\n"
    "网关地址 / gateway: --gateway, else $YUSUAN_GATEWAY, else 127.0.0.1:$YUSUAN_GRPC_PORT,\n"
    "else 127.0.0.1:50051.\n"
    "TLS: --tls_ca_file FILE, else $YUSUAN_TLS_CA: talk TLS to a gateway started with\n"
    "--tls_cert_file; its certificate must chain to the CA in FILE (PEM) and name the host.\n"
    "访问令牌 / token: --token, else $YUSUAN_TOKEN (from yusuan admin token create); without one\n"
    "only published disclosures, verify and the rules can be read.\n"
    "签名密钥 / signing key (admin): --key, else $YUSUAN_DATA/keys/token-signing.key; admin\n"
    "works on the key file directly and needs no gateway.\n"
    "退出码 / exit codes: 0 成功 ok · 1 被拒绝或失败 refused or failed · 2 用法错误 usage\n";

int Usage(const std::string& problem) {
  if (!problem.empty()) std::cerr << "yusuan: " << problem << "\n\n";
  std::cerr << kUsageText;
  return kUsage;
}

std::string DefaultGateway() {
  if (const char* gateway = std::getenv("YUSUAN_GATEWAY"); gateway != nullptr && *gateway) {
    return gateway;
  }
  if (const char* port = std::getenv("YUSUAN_GRPC_PORT"); port != nullptr && *port) {
    return absl::StrCat("127.0.0.1:", port);
  }
  return "127.0.0.1:50051";
}

struct Args {
  std::string gateway;
  std::string token;  // --token, else $YUSUAN_TOKEN
  std::string command;
  std::string file;
  std::string request_id;
  std::string format;
  std::string template_set;  // --template
  std::string output;
  std::string comment;
  // admin
  std::string role;
  std::string scope;
  std::string ttl;
  std::string subject;
  std::string key;
  std::string tls_ca_file;  // --tls_ca_file, else $YUSUAN_TLS_CA
  std::string edition;      // --edition (admin catalogue import)
  bool json = false;
  std::vector<std::string> positional;
};

// Accepts "--opt VALUE" and "--opt=VALUE"; false with `problem` set otherwise.
bool ParseArgs(int argc, char** argv, Args* args, std::string* problem) {
  auto take = [&](int& i, const std::string& arg, const std::string& name,
                  std::string* out) -> std::optional<bool> {
    if (arg == name) {
      if (i + 1 >= argc) {
        *problem = absl::StrCat(name, " 缺少取值 / needs a value");
        return false;
      }
      *out = argv[++i];
      return true;
    }
    if (arg.rfind(name + "=", 0) == 0) {
      *out = arg.substr(name.size() + 1);
      return true;
    }
    return std::nullopt;
  };
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    std::optional<bool> taken;
    if ((taken = take(i, arg, "--gateway", &args->gateway)) ||
        (taken = take(i, arg, "--token", &args->token)) ||
        (taken = take(i, arg, "-f", &args->file)) ||
        (taken = take(i, arg, "--file", &args->file)) ||
        (taken = take(i, arg, "--request-id", &args->request_id)) ||
        (taken = take(i, arg, "--comment", &args->comment)) ||
        (taken = take(i, arg, "--format", &args->format)) ||
        (taken = take(i, arg, "--template", &args->template_set)) ||
        (taken = take(i, arg, "-o", &args->output)) ||
        (taken = take(i, arg, "--output", &args->output)) ||
        (taken = take(i, arg, "--role", &args->role)) ||
        (taken = take(i, arg, "--scope", &args->scope)) ||
        (taken = take(i, arg, "--ttl", &args->ttl)) ||
        (taken = take(i, arg, "--subject", &args->subject)) ||
        (taken = take(i, arg, "--key", &args->key)) ||
        (taken = take(i, arg, "--tls_ca_file", &args->tls_ca_file)) ||
        (taken = take(i, arg, "--tls-ca-file", &args->tls_ca_file)) ||
        (taken = take(i, arg, "--edition", &args->edition))) {
      if (!*taken) return false;
      continue;
    }
    if (arg == "--json") {
      args->json = true;
    } else if (arg == "--help" || arg == "-h" || arg == "help") {
      args->command = "help";
      return true;
    } else if (arg.size() > 1 && arg[0] == '-') {
      *problem = absl::StrCat("未知选项 / unknown option ", arg);
      return false;
    } else if (args->command.empty()) {
      args->command = arg;
    } else {
      args->positional.push_back(arg);
    }
  }
  return true;
}

const char* SeverityLabel(yusuan::common::v1::Severity severity) {
  switch (severity) {
    case yusuan::common::v1::SEVERITY_FATAL:
      return "严重 FATAL";
    case yusuan::common::v1::SEVERITY_WARNING:
      return "警告 WARNING";
    case yusuan::common::v1::SEVERITY_INFO:
      return "提示 INFO";
    default:
      return "?";
  }
}

// "表2 · 2060102 · 基本支出", or "" when the finding is not about a table cell.
std::string LocationText(const Finding& f) {
  const auto& location = f.location();
  if (location.table() == 0) return "";
  std::string text = absl::StrCat("表", location.table());
  if (!location.row().empty()) absl::StrAppend(&text, " · ", location.row());
  if (!location.column().empty()) absl::StrAppend(&text, " · ", location.column());
  return text;
}

void PrintFinding(std::ostream& out, const Finding& f) {
  out << "  " << SeverityLabel(f.severity()) << "  [" << f.rule_id() << "] "
      << (f.field().empty() ? "(filing)" : f.field()) << "\n";
  const std::string location = LocationText(f);
  if (!location.empty()) out << "      位置 location: " << location << "\n";
  if (!f.message_zh().empty()) out << "      " << f.message_zh() << "\n";
  if (!f.message_en().empty()) out << "      " << f.message_en() << "\n";
  if (!f.expected().empty() || !f.actual().empty()) {
    out << "      期望 expected " << f.expected() << " · 实际 actual " << f.actual();
    if (!f.difference().empty()) out << " · 差额 difference " << f.difference();
    out << "\n";
  }
  if (!f.hint().empty()) out << "      提示 hint: " << f.hint() << "\n";
}

// One line: enough to find the field; `validate` prints the full text.
void PrintFindingLine(std::ostream& out, const Finding& f) {
  out << "  " << SeverityLabel(f.severity()) << "  [" << f.rule_id() << "] "
      << (f.field().empty() ? "(filing)" : f.field()) << "\n";
}

void PrintCounts(std::ostream& out, const ValidationReport& report) {
  out << report.fatal_count() << " 严重 fatal · " << report.warning_count() << " 警告 warnings · "
      << report.info_count() << " 提示 infos";
  if (!report.rule_set_version().empty()) out << " (规则集 rule set " << report.rule_set_version() << ")";
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) return "{}\n";
  return json;
}

std::string CodeName(grpc::StatusCode code) {
  static const char* kNames[] = {"OK",
                                 "CANCELLED",
                                 "UNKNOWN",
                                 "INVALID_ARGUMENT",
                                 "DEADLINE_EXCEEDED",
                                 "NOT_FOUND",
                                 "ALREADY_EXISTS",
                                 "PERMISSION_DENIED",
                                 "RESOURCE_EXHAUSTED",
                                 "FAILED_PRECONDITION",
                                 "ABORTED",
                                 "OUT_OF_RANGE",
                                 "UNIMPLEMENTED",
                                 "INTERNAL",
                                 "UNAVAILABLE",
                                 "DATA_LOSS",
                                 "UNAUTHENTICATED"};
  const int i = static_cast<int>(code);
  return i >= 0 && i <= 16 ? kNames[i] : absl::StrCat(i);
}

// Prints a failed call: the message, then every finding (or, without a
// report, every field violation). Returns the exit code.
int PrintFailure(const grpc::Status& status) {
  const absl::Status detailed = FromGrpcStatus(status);
  const bool refused = status.error_code() == grpc::StatusCode::INVALID_ARGUMENT ||
                       status.error_code() == grpc::StatusCode::FAILED_PRECONDITION;
  std::cerr << (refused ? "已拒绝 / refused" : "失败 / failed")
            << " (" << CodeName(status.error_code()) << "): " << status.error_message() << "\n";
  ValidationReport report;
  google::rpc::BadRequest bad_request;
  if (GetDetail(detailed, &report) && report.findings_size() > 0) {
    // Errors in full, then the rest one line each.
    std::cerr << "\n";
    for (const auto& f : report.findings()) {
      if (f.severity() == yusuan::common::v1::SEVERITY_FATAL) PrintFinding(std::cerr, f);
    }
    for (const auto& f : report.findings()) {
      if (f.severity() != yusuan::common::v1::SEVERITY_FATAL) PrintFindingLine(std::cerr, f);
    }
    std::cerr << "\n合计 total: ";
    PrintCounts(std::cerr, report);
    std::cerr << "\n";
  } else if (GetDetail(detailed, &bad_request)) {
    for (const auto& v : bad_request.field_violations()) {
      std::cerr << "  " << v.field() << ": " << v.description() << "\n";
    }
  }
  return kFailed;
}

class Client {
 public:
  // `credentials`: TLS with --tls_ca_file, insecure otherwise.
  Client(const std::string& gateway, std::shared_ptr<grpc::ChannelCredentials> credentials)
      : gateway_(gateway),
        channel_(grpc::CreateCustomChannel(gateway, std::move(credentials),
                                           yusuan::client::ChannelArguments())),
        stub_(gv1::PublicApi::NewStub(channel_)) {}

  // False (after saying so) when the gateway does not answer.
  bool Connect() {
    if (channel_->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(5))) {
      return true;
    }
    std::cerr << "无法连接网关 " << gateway_ << " / cannot reach the gateway at " << gateway_
              << "; start it with deploy/local/up.sh (or point --gateway / YUSUAN_GATEWAY at "
                 "a running one). 网关启用 TLS 时须给出 --tls_ca_file / a gateway with TLS "
                 "needs --tls_ca_file (or $YUSUAN_TLS_CA), a plaintext one neither\n";
    return false;
  }

  gv1::PublicApi::Stub& stub() { return *stub_; }

  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(2));
    if (!Token().empty()) context->AddMetadata("authorization", "Bearer " + Token());
    return context;
  }
  // The bearer token every call carries ("" for none).
  static std::string& Token() {
    static auto* token = new std::string();
    return *token;
  }

 private:
  std::string gateway_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<gv1::PublicApi::Stub> stub_;
};

// Reads a Filing in protobuf JSON; prints why not and returns false.
bool ReadFiling(const std::string& path, gv1::Filing* filing) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "无法读取文件 " << path << " / cannot read " << path << ": "
              << std::strerror(errno) << "\n";
    return false;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  if (!IsValidUtf8(text)) {
    std::cerr << "文件 " << path << " 不是有效的 UTF-8 编码 / " << path
              << " is not valid UTF-8; re-save the file as UTF-8. 字段 fields:\n";
    for (const std::string& field : FindInvalidUtf8InJson(text)) std::cerr << "  " << field << "\n";
    return false;
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status = google::protobuf::util::JsonStringToMessage(text, filing, options);
  if (!status.ok()) {
    const std::string why(status.message());
    std::cerr << "文件 " << path << " 不是有效的申报 JSON（Filing）：" << why << "\n"
              << path << " is not a valid Filing in protobuf JSON: " << why << "\n";
    return false;
  }
  return true;
}

int Apply(Client& client, const Args& args) {
  if (args.file.empty()) return Usage("apply 需要 -f FILING.json / apply needs -f FILING.json");
  gv1::ApplyFilingRequest request;
  if (!ReadFiling(args.file, request.mutable_filing())) return kFailed;
  request.set_request_id(args.request_id);
  if (!client.Connect()) return kFailed;
  gv1::ApplyFilingResponse response;
  grpc::Status status = client.stub().ApplyFiling(Client::Context().get(), request, &response);
  if (!status.ok()) return PrintFailure(status);

  std::cout << "已保存申报 / filing stored\n"
            << "  部门 department   " << response.department().name() << "\n"
            << "  预算 budget       " << response.budget().name() << "  修订 revision "
            << response.budget().revision() << "\n"
            << "  绩效目标 goals    " << response.goals().name() << "  修订 revision "
            << response.goals().revision() << "\n"
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
    status = client.stub().ValidateFiling(Client::Context().get(), request, &report);
  } else {
    // The stored budget: the gateway records this validation, which submit needs.
    gv1::ValidateStoredBudgetRequest request;
    request.set_name(args.positional[0]);
    if (!client.Connect()) return kFailed;
    status = client.stub().ValidateBudget(Client::Context().get(), request, &report);
  }
  if (!status.ok()) return PrintFailure(status);
  if (args.json) {
    google::protobuf::util::JsonPrintOptions options;
    options.add_whitespace = true;
    options.always_print_primitive_fields = true;
    std::string json;
    (void)google::protobuf::util::MessageToJsonString(report, &json, options);
    std::cout << json;
  } else {
    for (const auto& f : report.findings()) PrintFinding(std::cout, f);
    if (report.findings_size() > 0) std::cout << "\n";
    std::cout << (report.fatal_count() > 0 ? "未通过 / not valid: " : "通过 / valid: ");
    PrintCounts(std::cout, report);
    std::cout << "\n";
  }
  return report.fatal_count() > 0 ? kFailed : kOk;
}

int Get(Client& client, const Args& args) {
  if (args.positional.size() != 1) return Usage("get 需要一个资源名 / get needs one NAME");
  const std::string& name = args.positional[0];
  absl::StatusOr<yusuan::AnyResourceName> parsed =
      yusuan::ParseAnyResourceName(name);
  if (!parsed.ok()) {
    std::cerr << parsed.status().message() << "\n";
    return kUsage;
  }
  if (!client.Connect()) return kFailed;
  grpc::Status status;
  switch (parsed->kind) {
    case yusuan::ResourceKind::kRegion: {
      yusuan::ledger::v1::ListDepartmentsResponse all;
      yusuan::ledger::v1::ListDepartmentsRequest request;
      request.set_parent(name);
      request.set_page_size(100);
      do {
        yusuan::ledger::v1::ListDepartmentsResponse page;
        status = client.stub().ListDepartments(Client::Context().get(), request, &page);
        if (!status.ok()) return PrintFailure(status);
        for (auto& d : *page.mutable_departments()) *all.add_departments() = std::move(d);
        request.set_page_token(page.next_page_token());
      } while (!request.page_token().empty());
      std::cout << ToJson(all);
      return kOk;
    }
    case yusuan::ResourceKind::kDepartment: {
      yusuan::ledger::v1::GetDepartmentRequest request;
      request.set_name(name);
      yusuan::ledger::v1::Department department;
      status = client.stub().GetDepartment(Client::Context().get(), request, &department);
      if (!status.ok()) return PrintFailure(status);
      std::cout << ToJson(department);
      return kOk;
    }
    case yusuan::ResourceKind::kBudget: {
      yusuan::ledger::v1::GetBudgetRequest request;
      request.set_name(name);
      yusuan::ledger::v1::Budget budget;
      status = client.stub().GetBudget(Client::Context().get(), request, &budget);
      if (!status.ok()) return PrintFailure(status);
      std::cout << ToJson(budget);
      return kOk;
    }
    case yusuan::ResourceKind::kGoals: {
      yusuan::goals::v1::GetGoalsRequest request;
      request.set_name(name);
      yusuan::goals::v1::GoalSet goals;
      status = client.stub().GetGoals(Client::Context().get(), request, &goals);
      if (!status.ok()) return PrintFailure(status);
      std::cout << ToJson(goals);
      return kOk;
    }
  }
  return kFailed;
}

int Render(Client& client, const Args& args) {
  if (args.positional.size() != 1) {
    return Usage("render 需要一个预算资源名 / render needs one budget NAME");
  }
  absl::StatusOr<yusuan::report::v1::Format> format =
      yusuan::client::ParseReportFormat(args.format);
  if (!format.ok()) return Usage(std::string(format.status().message()));
  gv1::RenderReportRequest request;
  request.set_name(args.positional[0]);
  request.set_format(*format);
  request.set_template_set(args.template_set);
  if (!client.Connect()) return kFailed;
  yusuan::report::v1::Artifact artifact;
  grpc::Status status = client.stub().RenderReport(Client::Context().get(), request, &artifact);
  if (!status.ok()) return PrintFailure(status);

  const std::string sha256 = yusuan::Sha256Hex(artifact.content());
  if (!artifact.sha256_hex().empty() && artifact.sha256_hex() != sha256) {
    std::cerr << "收到的内容与其 SHA-256 不符 / the content does not match its SHA-256 ("
              << artifact.sha256_hex() << " announced, " << sha256 << " received)\n";
    return kFailed;
  }
  std::string path = args.output;
  if (path.empty()) {
    // The server's name, but only as a file name in the current directory.
    path = artifact.file_name().substr(artifact.file_name().find_last_of("/\\") + 1);
    if (path.empty() || path == "." || path == "..") {
      const char* extension = "html";
      if (*format == yusuan::report::v1::FORMAT_MARKDOWN) extension = "md";
      if (*format == yusuan::report::v1::FORMAT_XLSX) extension = "xlsx";
      if (*format == yusuan::report::v1::FORMAT_CSV) extension = "csv";
      if (*format == yusuan::report::v1::FORMAT_JSON ||
          *format == yusuan::report::v1::FORMAT_DATA_PACKAGE) {
        extension = "json";
      }
      if (*format == yusuan::report::v1::FORMAT_PDF) extension = "pdf";
      path = absl::StrCat("report.", extension);
    }
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(artifact.content().data(), static_cast<std::streamsize>(artifact.content().size()));
  out.close();
  if (!out) {
    std::cerr << "无法写入 " << path << " / cannot write " << path << ": " << std::strerror(errno)
              << "\n";
    return kFailed;
  }
  std::cout << "已写入 / wrote " << path << "\n"
            << "  大小 size    " << artifact.content().size() << " 字节 bytes\n"
            << "  类型 type    " << artifact.media_type() << "\n"
            << "  sha256       " << sha256 << "\n";
  return kOk;
}

const char* StatusName(yusuan::ledger::v1::FilingStatus status) {
  switch (status) {
    case yusuan::ledger::v1::FILING_STATUS_DRAFT:
      return "草稿";
    case yusuan::ledger::v1::FILING_STATUS_SUBMITTED:
      return "已提交";
    case yusuan::ledger::v1::FILING_STATUS_RETURNED:
      return "已退回";
    case yusuan::ledger::v1::FILING_STATUS_APPROVED:
      return "已审核";
    case yusuan::ledger::v1::FILING_STATUS_PUBLISHED:
      return "已公开";
    default:
      return "?";
  }
}

const char* ActionName(yusuan::ledger::v1::WorkflowAction action) {
  switch (action) {
    case yusuan::ledger::v1::WORKFLOW_ACTION_SUBMIT:
      return "提交 submit";
    case yusuan::ledger::v1::WORKFLOW_ACTION_APPROVE:
      return "审核 approve";
    case yusuan::ledger::v1::WORKFLOW_ACTION_RETURN:
      return "退回 return";
    case yusuan::ledger::v1::WORKFLOW_ACTION_PUBLISH:
      return "公开 publish";
    default:
      return "?";
  }
}

// 2021-01-05T08:30:00Z; empty for 0.
std::string IsoUtc(int64_t unix_ms) {
  if (unix_ms == 0) return "";
  const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  if (gmtime_r(&seconds, &tm) == nullptr) return "";
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

// Terminal columns of UTF-8 text: East Asian wide characters (Chinese,
// full-width punctuation) take two, the rest (→ included) one.
size_t DisplayWidth(const std::string& text) {
  size_t width = 0;
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    uint32_t code = length == 1 ? lead : lead & (0x7F >> length);
    for (size_t k = 1; k < length && i + k < text.size(); ++k) {
      code = (code << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    const bool wide = (code >= 0x1100 && code <= 0x115F) || (code >= 0x2E80 && code <= 0xA4CF) ||
                      (code >= 0xAC00 && code <= 0xD7A3) || (code >= 0xF900 && code <= 0xFAFF) ||
                      (code >= 0xFE30 && code <= 0xFE4F) || (code >= 0xFF00 && code <= 0xFF60) ||
                      (code >= 0xFFE0 && code <= 0xFFE6) || code >= 0x20000;
    width += wide ? 2 : 1;
    i += length;
  }
  return width;
}

std::string Pad(const std::string& text, size_t width) {
  const size_t have = DisplayWidth(text);
  return have >= width ? text : text + std::string(width - have, ' ');
}

std::string PadLeft(const std::string& text, size_t width) {
  const size_t have = DisplayWidth(text);
  return have >= width ? text : std::string(width - have, ' ') + text;
}

// Columns separated by two spaces, widths by display width; columns from
// `right_aligned_from` on are right-aligned (amounts). The last column is
// not padded on the right (free text, e.g. a comment).
void PrintTable(const std::vector<std::vector<std::string>>& rows,
                size_t right_aligned_from = SIZE_MAX) {
  if (rows.empty()) return;
  std::vector<size_t> widths(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      if (c >= right_aligned_from) {
        line += PadLeft(row[c], widths[c]);
        if (c + 1 < row.size()) line += "  ";
      } else {
        line += c + 1 < row.size() ? Pad(row[c], widths[c]) + "  " : row[c];
      }
    }
    line.erase(line.find_last_not_of(' ') + 1);
    std::cout << line << "\n";
  }
}

bool CheckBudgetName(const Args& args, const std::string& command) {
  if (args.positional.size() != 1) {
    Usage(absl::StrCat(command, " 需要一个预算资源名 / ", command, " needs one budget NAME"));
    return false;
  }
  absl::StatusOr<BudgetName> name = ParseBudgetName(args.positional[0]);
  if (!name.ok()) {
    std::cerr << name.status().message() << "\n";
    return false;
  }
  return true;
}

// "cli-submit-5f0c…": 128 random bits, so two people's steps never share one.
std::string GeneratedRequestId(const std::string& command) {
  std::random_device random;
  return absl::StrCat("cli-", command, "-", absl::Hex(random(), absl::kZeroPad8), absl::Hex(random(), absl::kZeroPad8),
                      absl::Hex(random(), absl::kZeroPad8), absl::Hex(random(), absl::kZeroPad8));
}

int Transition(Client& client, const Args& args, yusuan::ledger::v1::WorkflowAction action) {
  if (!CheckBudgetName(args, args.command)) return kUsage;
  if (action == yusuan::ledger::v1::WORKFLOW_ACTION_RETURN && args.comment.empty()) {
    return Usage("return 需要 --comment 说明退回原因 / return needs --comment saying what to change");
  }
  yusuan::ledger::v1::TransitionBudgetRequest request;
  request.set_name(args.positional[0]);
  request.set_action(action);
  request.set_comment(args.comment);
  // Every step carries a request id, so that a step whose answer was lost
  // (a dropped connection, a gateway that died half-way through publishing)
  // can be retried without being taken twice.
  request.set_request_id(args.request_id.empty() ? GeneratedRequestId(args.command) : args.request_id);
  if (!client.Connect()) return kFailed;
  yusuan::ledger::v1::BudgetVersion version;
  grpc::Status status = client.stub().TransitionBudget(Client::Context().get(), request, &version);
  if (!status.ok()) {
    const int code = PrintFailure(status);
    if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
        status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ||
        status.error_code() == grpc::StatusCode::INTERNAL) {
      std::cerr << "结果未知时请用同一请求号重试 / when the outcome is unknown, retry with the same id: --request-id "
                << request.request_id() << "\n";
    }
    return code;
  }
  std::cout << "版本 version " << version.version() << ": " << StatusName(version.from_status())
            << " → " << StatusName(version.to_status()) << "\n"
            << "  预算 budget       " << request.name() << "  修订 revision "
            << version.ledger_revision() << "\n";
  if (version.goals_revision() != 0) {
    std::cout << "  绩效目标 goals    修订 revision " << version.goals_revision() << "\n";
  }
  if (!version.comment().empty()) std::cout << "  意见 comment      " << version.comment() << "\n";
  return kOk;
}

int History(Client& client, const Args& args) {
  if (!CheckBudgetName(args, "history")) return kUsage;
  if (!client.Connect()) return kFailed;
  yusuan::ledger::v1::ListBudgetVersionsRequest request;
  request.set_name(args.positional[0]);
  request.set_page_size(100);
  std::vector<std::vector<std::string>> rows = {
      {"版本 version", "步骤 action", "状态 from → to", "预算修订 ledger rev", "目标修订 goals rev",
       "时间 time (UTC)", "意见 comment"}};
  do {
    yusuan::ledger::v1::ListBudgetVersionsResponse page;
    grpc::Status status =
        client.stub().ListBudgetVersions(Client::Context().get(), request, &page);
    if (!status.ok()) return PrintFailure(status);
    for (const auto& v : page.versions()) {
      rows.push_back({absl::StrCat(v.version()), ActionName(v.action()),
                      absl::StrCat(StatusName(v.from_status()), " → ", StatusName(v.to_status())),
                      absl::StrCat(v.ledger_revision()),
                      v.goals_revision() == 0 ? "-" : absl::StrCat(v.goals_revision()),
                      IsoUtc(v.time_unix_ms()), v.comment()});
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  if (rows.size() == 1) {
    std::cout << "尚无审批记录 / no versions yet: " << request.name() << "\n";
    return kOk;
  }
  PrintTable(rows);
  return kOk;
}

bool IsGoalsName(const std::string& name) { return ParseGoalsName(name).ok(); }

// The revisions of a goal set: revision, etag, update time.
int GoalsRevisions(Client& client, const Args& args) {
  if (!client.Connect()) return kFailed;
  yusuan::goals::v1::ListGoalsRevisionsRequest request;
  request.set_name(args.positional[0]);
  request.set_page_size(100);
  yusuan::goals::v1::ListGoalsRevisionsResponse all;
  do {
    yusuan::goals::v1::ListGoalsRevisionsResponse page;
    grpc::Status status = client.stub().ListGoalsRevisions(Client::Context().get(), request, &page);
    if (!status.ok()) return PrintFailure(status);
    for (auto& g : *page.mutable_revisions()) *all.add_revisions() = std::move(g);
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  if (args.json) {
    std::cout << ToJson(all);
    return kOk;
  }
  if (all.revisions_size() == 0) {
    std::cout << "尚无修订 / no revisions yet: " << request.name() << "\n";
    return kOk;
  }
  std::vector<std::vector<std::string>> rows = {{"修订 revision", "etag", "更新时间 update time (UTC)"}};
  for (const auto& g : all.revisions()) {
    rows.push_back({absl::StrCat(g.revision()), g.etag(), IsoUtc(g.update_time_unix_ms())});
  }
  PrintTable(rows);
  return kOk;
}

int Revisions(Client& client, const Args& args) {
  if (args.positional.size() == 1 && IsGoalsName(args.positional[0])) return GoalsRevisions(client, args);
  if (!CheckBudgetName(args, "revisions")) return kUsage;
  if (!client.Connect()) return kFailed;
  yusuan::ledger::v1::ListBudgetRevisionsRequest request;
  request.set_name(args.positional[0]);
  request.set_page_size(100);
  yusuan::ledger::v1::ListBudgetRevisionsResponse all;
  do {
    yusuan::ledger::v1::ListBudgetRevisionsResponse page;
    grpc::Status status =
        client.stub().ListBudgetRevisions(Client::Context().get(), request, &page);
    if (!status.ok()) return PrintFailure(status);
    for (auto& b : *page.mutable_revisions()) *all.add_revisions() = std::move(b);
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  if (args.json) {
    std::cout << ToJson(all);
    return kOk;
  }
  if (all.revisions_size() == 0) {
    std::cout << "尚无修订 / no revisions yet: " << request.name() << "\n";
    return kOk;
  }
  std::vector<std::vector<std::string>> rows = {
      {"修订 revision", "etag", "更新时间 update time (UTC)", "状态 status"}};
  for (const auto& b : all.revisions()) {
    rows.push_back({absl::StrCat(b.revision()), b.etag(), IsoUtc(b.update_time_unix_ms()),
                    StatusName(b.status())});
  }
  PrintTable(rows);
  return kOk;
}

const char* CategoryLabel(yusuan::common::v1::RuleCategory category) {
  switch (category) {
    case yusuan::common::v1::RULE_CATEGORY_COMPLETENESS:
      return "完整性 completeness";
    case yusuan::common::v1::RULE_CATEGORY_ACCURACY:
      return "准确性 accuracy";
    case yusuan::common::v1::RULE_CATEGORY_CONSISTENCY:
      return "一致性 consistency";
    case yusuan::common::v1::RULE_CATEGORY_CLASSIFICATION:
      return "分类 classification";
    default:
      return "?";
  }
}

// `text` cut into lines of at most `columns` display columns, at a space
// when the line has one (English), else between characters (Chinese).
std::vector<std::string> WrapDisplay(const std::string& text, size_t columns) {
  std::vector<std::string> lines;
  std::string line;
  size_t width = 0;
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    const std::string character = text.substr(i, length);
    i += length;
    const size_t w = DisplayWidth(character);
    if (width + w > columns && !line.empty()) {
      const size_t space = line.rfind(' ');
      if (character != " " && space != std::string::npos && space > 0) {
        lines.push_back(line.substr(0, space));
        line = line.substr(space + 1);
      } else {
        lines.push_back(line);
        line.clear();
      }
      width = DisplayWidth(line);
      if (character == " ") continue;
    }
    line += character;
    width += w;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

// Whether a downloaded file is one of the published ones: exit 0 and what it
// is when it is, exit 1 when it is not.
int Verify(Client& client, const Args& args) {
  if (args.positional.size() != 1) return Usage("verify 需要一个文件 / verify needs FILE");
  std::ifstream in(args.positional[0], std::ios::binary);
  if (!in) {
    std::cerr << "无法读取 / cannot read " << args.positional[0] << "\n";
    return kFailed;
  }
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!client.Connect()) return kFailed;
  yusuan::report::v1::VerifyArtifactRequest request;
  request.set_content(std::move(content));
  yusuan::report::v1::VerifyArtifactResponse verdict;
  grpc::Status status = client.stub().VerifyArtifact(Client::Context().get(), request, &verdict);
  if (!status.ok()) return PrintFailure(status);
  if (args.json) {
    std::cout << ToJson(verdict);
    return verdict.official() ? kOk : kFailed;
  }
  if (!verdict.official()) {
    std::cout << "不是正式公开的文件 / not an official published file (SHA-256 " << verdict.sha256_hex() << ")\n";
    return kFailed;
  }
  std::cout << "正式公开文件 / official published file\n"
            << "  部门 department   " << verdict.department_full_name() << " (" << verdict.department_name() << ")\n"
            << "  预算 budget       " << verdict.budget_name() << "  年度 year " << verdict.fiscal_year() << "\n"
            << "  版本 version      " << verdict.version() << "  公开于 published " << IsoUtc(verdict.publish_time_unix_ms())
            << "\n"
            << "  格式 format       " << yusuan::report::v1::Format_Name(verdict.format()) << "\n"
            << "  SHA-256          " << verdict.sha256_hex() << "\n";
  if (verdict.latest_version() > verdict.version()) {
    std::cout << "  注意 note: 已被版本 " << verdict.latest_version() << " 取代 / superseded by version "
              << verdict.latest_version() << "\n";
  }
  return kOk;
}

int Rules(Client& client, const Args& args) {
  if (!args.positional.empty()) return Usage("rules 不需要参数 / rules takes no arguments");
  if (!client.Connect()) return kFailed;
  yusuan::common::v1::RuleSet rules;
  grpc::Status status = client.stub().ListRules(
      Client::Context().get(), yusuan::common::v1::ListRulesRequest(), &rules);
  if (!status.ok()) return PrintFailure(status);
  if (args.json) {
    std::cout << ToJson(rules);
    return kOk;
  }
  std::cout << "规则集 rule set " << rules.version() << ", " << rules.rules_size()
            << " 条 rules\n";
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
    rows.push_back({rule.rule_id(), SeverityLabel(rule.severity()),
                    CategoryLabel(rule.category()), rule.service(), lines[0]});
    for (size_t i = 1; i < lines.size(); ++i) rows.push_back({"", "", "", "", lines[i]});
  }
  PrintTable(rows);
  return kOk;
}

// A revision number given on the command line: digits only, at least `min`.
bool ParseRevisionArg(const std::string& text, int64_t min, int64_t* out) {
  if (text.empty() || text.size() > 18) return false;
  int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  if (value < min) return false;
  *out = value;
  return true;
}

// The signed change in 万元 ("+12.00", "-3.50"), as the ledger words it.
std::string SignedDeltaWan(const yusuan::ledger::v1::CellChange& cell) {
  std::string delta =
      cell.delta_wan().empty() ? yusuan::FormatWanYuan(cell.delta_fen()) : cell.delta_wan();
  if (cell.delta_fen() > 0 && (delta.empty() || delta[0] != '+')) delta.insert(0, "+");
  return delta;
}

// What changed between two revisions of a goal set: one row per field.
int GoalsDiff(Client& client, const Args& args, int64_t from, int64_t to) {
  yusuan::goals::v1::DiffGoalsRevisionsRequest request;
  request.set_name(args.positional[0]);
  request.set_from_revision(from);
  request.set_to_revision(to);
  if (!client.Connect()) return kFailed;
  yusuan::goals::v1::GoalsDiff diff;
  grpc::Status status = client.stub().DiffGoalsRevisions(Client::Context().get(), request, &diff);
  if (!status.ok()) return PrintFailure(status);
  if (args.json) {
    std::cout << ToJson(diff);
    return kOk;
  }
  std::cout << request.name() << "  修订 revision " << diff.from_revision() << " → " << diff.to_revision()
            << "\n";
  if (diff.changes_size() == 0) {
    std::cout << "无变化 / no changes\n";
    return kOk;
  }
  std::cout << "\n";
  std::vector<std::vector<std::string>> rows = {{"字段 field", "变动前 before", "变动后 after"}};
  for (const auto& change : diff.changes()) {
    rows.push_back({change.path(), change.before().empty() ? "-" : change.before(),
                    change.after().empty() ? "-" : change.after()});
  }
  PrintTable(rows);
  return kOk;
}

int Diff(Client& client, const Args& args) {
  if (args.positional.size() < 2 || args.positional.size() > 3) {
    return Usage("diff 需要资源名和起始修订号 / diff needs BUDGET_NAME (or …/goals) FROM [TO]");
  }
  if (IsGoalsName(args.positional[0])) {
    int64_t from = 0, to = 0;
    if (!ParseRevisionArg(args.positional[1], 1, &from) ||
        (args.positional.size() == 3 && !ParseRevisionArg(args.positional[2], 0, &to))) {
      return Usage("FROM 应为正整数修订号，TO 为修订号或 0（当前）/ FROM must be a positive revision number, "
                   "TO a revision number or 0 (current)");
    }
    return GoalsDiff(client, args, from, to);
  }
  absl::StatusOr<BudgetName> name = ParseBudgetName(args.positional[0]);
  if (!name.ok()) {
    std::cerr << name.status().message() << "\n";
    return kUsage;
  }
  yusuan::ledger::v1::DiffBudgetRevisionsRequest request;
  request.set_name(args.positional[0]);
  int64_t from = 0, to = 0;
  if (!ParseRevisionArg(args.positional[1], 1, &from)) {
    return Usage(absl::StrCat("FROM \"", args.positional[1],
                              "\" 应为正整数修订号 / FROM must be a positive revision number"));
  }
  if (args.positional.size() == 3 && !ParseRevisionArg(args.positional[2], 0, &to)) {
    return Usage(absl::StrCat("TO \"", args.positional[2],
                              "\" 应为修订号，0 表示当前修订 / TO must be a revision number (0: "
                              "the current revision)"));
  }
  request.set_from_revision(from);
  request.set_to_revision(to);
  if (!client.Connect()) return kFailed;
  yusuan::ledger::v1::RevisionDiff diff;
  grpc::Status status = client.stub().DiffBudgetRevisions(Client::Context().get(), request, &diff);
  if (!status.ok()) return PrintFailure(status);
  if (args.json) {
    std::cout << ToJson(diff);
    return kOk;
  }
  const std::string to_label =
      diff.to_revision() != 0 ? absl::StrCat(diff.to_revision())
                              : (to != 0 ? absl::StrCat(to) : "当前 current");
  std::cout << (diff.name().empty() ? request.name() : diff.name()) << "  修订 revision "
            << (diff.from_revision() != 0 ? diff.from_revision() : from) << " → " << to_label
            << "\n";
  if (diff.cells_size() == 0 && diff.changed_fields_size() == 0) {
    std::cout << "无变化 / no changes\n";
    return kOk;
  }
  if (diff.cells_size() > 0) {
    std::cout << "\n";
    std::vector<std::vector<std::string>> rows = {
        {"表 table", "编码 code", "项目 row", "栏 column", "变动前 before 万元", "变动后 after 万元",
         "增减 delta 万元"}};
    for (const auto& cell : diff.cells()) {
      rows.push_back(
          {absl::StrCat("表", cell.table()), cell.row_code().empty() ? "-" : cell.row_code(),
           cell.row_name(), cell.column(),
           cell.before_wan().empty() ? yusuan::FormatWanYuan(cell.before_fen()) : cell.before_wan(),
           cell.after_wan().empty() ? yusuan::FormatWanYuan(cell.after_fen()) : cell.after_wan(),
           SignedDeltaWan(cell)});
    }
    PrintTable(rows, /*right_aligned_from=*/4);
  } else {
    std::cout << "表格金额无变化 / no table amounts changed\n";
  }
  std::cout << "\n字段 fields: ";
  if (diff.changed_fields_size() == 0) {
    std::cout << "无 / none\n";
  } else {
    for (int i = 0; i < diff.changed_fields_size(); ++i) {
      std::cout << (i == 0 ? "" : ", ") << diff.changed_fields(i);
    }
    std::cout << "\n";
  }
  return kOk;
}

// A token that outlives a budget year is a key in a drawer: ask for a new one.
constexpr int64_t kMaxTokenTtlSeconds = 366 * 86400;

// "90s", "30m", "12h", "7d" → seconds; nullopt for anything else, zero, or
// more than kMaxTokenTtlSeconds.
std::optional<int64_t> ParseDuration(const std::string& text) {
  if (text.size() < 2 || text.size() > 10) return std::nullopt;
  int64_t unit_seconds = 0;
  switch (text.back()) {
    case 's': unit_seconds = 1; break;
    case 'm': unit_seconds = 60; break;
    case 'h': unit_seconds = 3600; break;
    case 'd': unit_seconds = 86400; break;
    default: return std::nullopt;
  }
  int64_t count = 0;
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    count = count * 10 + (text[i] - '0');  // at most 9 digits: no overflow
  }
  const int64_t seconds = count * unit_seconds;
  if (seconds <= 0 || seconds > kMaxTokenTtlSeconds) return std::nullopt;
  return seconds;
}

// --key, else $YUSUAN_DATA/keys/token-signing.key; nullopt after saying why.
std::optional<std::string> SigningKeyPath(const Args& args) {
  if (!args.key.empty()) return args.key;
  auto path = yusuan::security::DefaultSigningKeyPath();
  if (!path.ok()) {
    std::cerr << "yusuan: " << path.status().message() << "\n";
    return std::nullopt;
  }
  return *path;
}

int AdminKeyCreate(const Args& args) {
  const std::optional<std::string> path = SigningKeyPath(args);
  if (!path.has_value()) return kFailed;
  bool created = false;
  auto key = yusuan::security::LoadOrCreateSigningKey(*path, &created);
  if (!key.ok()) {
    std::cerr << "yusuan: " << key.status().message() << "\n";
    return kFailed;
  }
  if (created) {
    std::cout << "已创建签名密钥 / created the signing key " << *path << " (密钥编号 key id "
              << key->key_id() << ")\n";
  } else {
    std::cout << "签名密钥已存在，未改动 / found the signing key " << *path
              << ", left as it is (密钥编号 key id " << key->key_id() << ")\n";
  }
  return kOk;
}

int AdminTokenCreate(const Args& args) {
  namespace security = yusuan::security;
  if (args.role.empty() || args.scope.empty() || args.ttl.empty()) {
    return Usage("admin token create 需要 --role、--scope 和 --ttl / needs --role, --scope and --ttl");
  }
  const std::optional<security::Role> role = security::ParseRole(args.role);
  if (!role.has_value()) {
    return Usage(absl::StrCat("未知角色 / unknown role \"", args.role,
                              "\": preparer, reviewer, integrator or admin"));
  }
  if (absl::Status scope = security::ValidateScope(args.scope); !scope.ok()) {
    return Usage(std::string(scope.message()));
  }
  const std::optional<int64_t> ttl_seconds = ParseDuration(args.ttl);
  if (!ttl_seconds.has_value()) {
    return Usage(absl::StrCat("有效期无效 / invalid --ttl \"", args.ttl,
                              "\": a positive number and a unit s, m, h or d (30m, 12h, 7d), "
                              "at most 366d"));
  }
  const std::string subject = args.subject.empty() ? "cli" : args.subject;
  if (!IsValidUtf8(subject)) return Usage("--subject 不是有效的 UTF-8 / --subject is not UTF-8");

  const std::optional<std::string> path = SigningKeyPath(args);
  if (!path.has_value()) return kFailed;
  auto key = security::LoadSigningKey(*path);
  if (!key.ok()) {
    std::cerr << "yusuan: " << key.status().message() << "\n";
    return kFailed;
  }
  security::TokenClaims claims;
  claims.subject = subject;
  claims.role = *role;
  claims.scope = args.scope;
  claims.issued_at_unix_seconds = static_cast<int64_t>(std::time(nullptr));
  claims.expires_at_unix_seconds = claims.issued_at_unix_seconds + *ttl_seconds;
  const std::string token = security::MintToken(claims, *key);
  if (token.empty()) {
    std::cerr << "yusuan: 无法签发令牌 / could not sign the token (OpenSSL failed)\n";
    return kFailed;
  }
  // The token alone on stdout, so TOKEN=$(yusuan admin token create …) works.
  std::cout << token << "\n";
  std::cerr << "令牌 token: 角色 role " << security::RoleName(*role) << " · 范围 scope " << args.scope
            << " · 主体 subject " << subject << " · 到期 expires "
            << security::FormatUnixSecondsUtc(claims.expires_at_unix_seconds) << " (UTC) · 密钥 key id "
            << key->key_id() << "\n";
  return kOk;
}

// `yusuan admin …`: works on the signing key file; no gateway involved.
int Admin(const Args& args) {
  const std::vector<std::string>& words = args.positional;
  if (words.size() == 2 && words[0] == "key" && words[1] == "create") return AdminKeyCreate(args);
  if (words.size() == 2 && words[0] == "token" && words[1] == "create") {
    return AdminTokenCreate(args);
  }
  return Usage("admin 的子命令为 key create 或 token create / admin takes key create or token create");
}

int Main(int argc, char** argv) {
  // synth has options of its own and works offline (synth_command.cc).
  if (argc >= 2 && std::string(argv[1]) == "synth") return RunSynthCommand(argc - 1, argv + 1);
  Args args;
  std::string problem;
  if (!ParseArgs(argc, argv, &args, &problem)) return Usage(problem);
  if (args.command == "help") {
    std::cout << kUsageText << "\n" << kCatalogueUsage;
    return kOk;
  }
  if (args.command.empty()) return Usage("缺少命令 / missing command");
  const bool catalogue_admin = args.command == "admin" && !args.positional.empty() && args.positional[0] == "catalogue";
  if (args.command == "admin" && !catalogue_admin) return Admin(args);
  if (args.gateway.empty()) args.gateway = DefaultGateway();
  if (args.token.empty()) {
    if (const char* token = std::getenv("YUSUAN_TOKEN"); token != nullptr) args.token = token;
  }
  Client::Token() = args.token;
  std::string tls_flag = "--tls_ca_file";
  if (args.tls_ca_file.empty()) {
    if (const char* ca = std::getenv("YUSUAN_TLS_CA"); ca != nullptr && *ca != '\0') {
      args.tls_ca_file = ca;
      tls_flag = "$YUSUAN_TLS_CA";
    }
  }
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      yusuan::ChannelCredentialsFromFlags({{tls_flag, args.tls_ca_file}, {}, {}});
  if (!credentials.ok()) {
    std::cerr << "yusuan: " << credentials.status().message() << "\n";
    return kUsage;
  }
  if (args.command == "catalogue" || catalogue_admin) {
    CatalogueCommandArgs catalogue{args.gateway, *credentials, args.token,
                                   {args.positional.begin() + (catalogue_admin ? 1 : 0), args.positional.end()},
                                   args.edition, args.request_id, args.json};
    return catalogue_admin ? RunCatalogueAdminCommand(catalogue) : RunCatalogueCommand(catalogue);
  }
  Client client(args.gateway, *credentials);
  if (args.command == "apply") return Apply(client, args);
  if (args.command == "validate") return Validate(client, args);
  if (args.command == "get") return Get(client, args);
  if (args.command == "render") return Render(client, args);
  if (args.command == "submit") {
    return Transition(client, args, yusuan::ledger::v1::WORKFLOW_ACTION_SUBMIT);
  }
  if (args.command == "approve") {
    return Transition(client, args, yusuan::ledger::v1::WORKFLOW_ACTION_APPROVE);
  }
  if (args.command == "return") {
    return Transition(client, args, yusuan::ledger::v1::WORKFLOW_ACTION_RETURN);
  }
  if (args.command == "publish") {
    return Transition(client, args, yusuan::ledger::v1::WORKFLOW_ACTION_PUBLISH);
  }
  if (args.command == "history") return History(client, args);
  if (args.command == "revisions") return Revisions(client, args);
  if (args.command == "diff") return Diff(client, args);
  if (args.command == "rules") return Rules(client, args);
  if (args.command == "verify") return Verify(client, args);
  return Usage(absl::StrCat("未知命令 / unknown command \"", args.command, "\""));
}

}  // namespace
}  // namespace yusuan::cli

int main(int argc, char** argv) { return yusuan::cli::Main(argc, argv); }
