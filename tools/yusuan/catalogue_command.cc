#include "tools/yusuan/catalogue_command.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "services/common/errors.h"
#include "services/client/client.h"
#include "services/common/resource_names.h"
#include "yusuan/gateway/v1/gateway.grpc.pb.h"

namespace yusuan::cli {

const char kCatalogueUsage[] =
    "  yusuan [--gateway HOST:PORT] catalogue list [--json]\n"
    "      列出分类科目各版本：版本号、内置或导入 / every catalogue edition: version, shipped or stored\n"
    "  yusuan [--gateway HOST:PORT] catalogue show EDITION [CODE] [--json]\n"
    "      列出某版全部科目，或一个科目及其上级、下级 / every code of an edition, or one code with its\n"
    "      level, budgets, parents and children\n"
    "  yusuan [--gateway HOST:PORT] catalogue diff FROM TO [--json]\n"
    "      两版之间新增、停用（及承接科目）、改名、改变所属预算的科目 / codes added, retired (with\n"
    "      successors), renamed or moved to another budget from FROM to TO\n"
    "  yusuan [--gateway HOST:PORT] admin catalogue import --edition EDITION FILE [--request-id ID]\n"
    "      导入财政部格式的 CSV 或 XLSX 作为该版的新版本（须全国范围的 admin 令牌）/ store a CSV or\n"
    "      XLSX in 财政部's layout as the next version of the edition (a token of role admin, scope regions/)\n";

namespace {

namespace lv1 = yusuan::ledger::v1;
namespace gv1 = yusuan::gateway::v1;

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kUsage = 2;

int Usage(const std::string& problem) {
  std::cerr << "yusuan: " << problem << "\n\n用法 / usage:\n" << kCatalogueUsage;
  return kUsage;
}

class Api {
 public:
  explicit Api(const CatalogueCommandArgs& args)
      : gateway_(args.gateway),
        token_(args.token),
        channel_(grpc::CreateCustomChannel(args.gateway, args.credentials,
                                           yusuan::client::ChannelArguments())),
        stub_(gv1::PublicApi::NewStub(channel_)) {}

  bool Connect() {
    if (channel_->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(5))) return true;
    std::cerr << "无法连接网关 " << gateway_ << " / cannot reach the gateway at " << gateway_
              << "; start it with deploy/local/up.sh (or point --gateway / YUSUAN_GATEWAY at a running one)\n";
    return false;
  }
  std::unique_ptr<grpc::ClientContext> Context() const {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(2));
    if (!token_.empty()) context->AddMetadata("authorization", "Bearer " + token_);
    return context;
  }
  gv1::PublicApi::Stub& stub() { return *stub_; }

 private:
  std::string gateway_;
  std::string token_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<gv1::PublicApi::Stub> stub_;
};

int PrintFailure(const grpc::Status& status) {
  const bool refused = status.error_code() == grpc::StatusCode::INVALID_ARGUMENT ||
                       status.error_code() == grpc::StatusCode::FAILED_PRECONDITION ||
                       status.error_code() == grpc::StatusCode::PERMISSION_DENIED ||
                       status.error_code() == grpc::StatusCode::UNAUTHENTICATED;
  std::cerr << (refused ? "已拒绝 / refused" : "失败 / failed") << " (" << static_cast<int>(status.error_code())
            << "): " << status.error_message() << "\n";
  google::rpc::BadRequest bad_request;
  if (GetDetail(FromGrpcStatus(status), &bad_request)) {
    for (const auto& v : bad_request.field_violations()) std::cerr << "  " << v.field() << ": " << v.description() << "\n";
  }
  return kFailed;
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) return "{}\n";
  return json;
}

// "2021" → 2021; 0 for anything but four digits.
int ParseEdition(const std::string& text) {
  if (text.size() != 4) return 0;
  for (char c : text) {
    if (c < '0' || c > '9') return 0;
  }
  return std::stoi(text);
}

std::string BudgetNames(const lv1::CatalogueEntry& entry) {
  static const std::map<lv1::BudgetKind, const char*> kNames = {
      {lv1::BUDGET_KIND_GENERAL, "一般公共预算"},
      {lv1::BUDGET_KIND_GOVERNMENT_FUND, "政府性基金预算"},
      {lv1::BUDGET_KIND_STATE_CAPITAL, "国有资本经营预算"},
      {lv1::BUDGET_KIND_SOCIAL_INSURANCE, "社会保险基金预算"}};
  std::vector<std::string> names;
  for (int budget : entry.budgets()) {
    auto it = kNames.find(static_cast<lv1::BudgetKind>(budget));
    names.push_back(it == kNames.end() ? "?" : it->second);
  }
  return absl::StrJoin(names, "、");
}

const char* KindName(lv1::CodeKind kind) {
  switch (kind) {
    case lv1::CODE_KIND_FUNCTIONAL: return "支出功能分类 functional";
    case lv1::CODE_KIND_ECONOMIC: return "部门预算经济分类 economic";
    case lv1::CODE_KIND_GOVERNMENT_ECONOMIC: return "政府预算经济分类 government economic";
    default: return "?";
  }
}

const char* Level(const std::string& code) { return code.size() == 3 ? "类" : code.size() == 5 ? "款" : "项"; }

std::string UtcTime(int64_t unix_ms) {
  if (unix_ms == 0) return "-";
  const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

std::string About(const lv1::CatalogueEdition& about) {
  if (about.origin() == lv1::CATALOGUE_ORIGIN_STORED) {
    return absl::StrCat("导入 stored · 版本 version ", about.version(), " of ", about.stored_versions(), " · ",
                        about.source_file(), " · ", UtcTime(about.import_time_unix_ms()),
                        about.imported_by().empty() ? "" : absl::StrCat(" · ", about.imported_by()));
  }
  return absl::StrCat("内置 shipped · ", about.source_file(),
                      about.based_on() != 0 ? absl::StrCat(" (based on ", about.based_on(), ")") : "");
}

int List(Api& api, const CatalogueCommandArgs& args) {
  if (!api.Connect()) return kFailed;
  lv1::ListCataloguesResponse list;
  grpc::Status status = api.stub().ListCatalogues(api.Context().get(), lv1::ListCataloguesRequest(), &list);
  if (!status.ok()) return PrintFailure(status);
  if (args.json) {
    std::cout << ToJson(list);
    return kOk;
  }
  for (const lv1::CatalogueEdition& e : list.editions()) {
    std::cout << e.edition() << "  " << e.functional_count() << " 功能 functional · " << e.economic_count()
              << " 经济 economic · " << e.government_economic_count() << " 政府经济 government economic  "
              << About(e) << "\n";
  }
  return kOk;
}

int Show(Api& api, const CatalogueCommandArgs& args) {
  if (args.words.size() < 2 || args.words.size() > 3 || ParseEdition(args.words[1]) == 0) {
    return Usage("catalogue show 需要版本年度，可再加科目编码 / catalogue show needs EDITION (a year) and optionally CODE");
  }
  const int edition = ParseEdition(args.words[1]);
  if (!api.Connect()) return kFailed;
  if (args.words.size() == 3) {
    lv1::GetCatalogueCodeRequest request;
    request.set_edition(edition);
    request.set_code(args.words[2]);
    lv1::CatalogueCodeDetail detail;
    grpc::Status status = api.stub().GetCatalogueCode(api.Context().get(), request, &detail);
    if (!status.ok()) return PrintFailure(status);
    if (args.json) {
      std::cout << ToJson(detail);
      return kOk;
    }
    const lv1::CatalogueEntry& entry = detail.entry();
    std::cout << entry.code() << "  " << entry.name() << "\n"
              << "  版本 edition   " << detail.edition() << "\n"
              << "  分类 kind      " << KindName(entry.kind()) << "\n"
              << "  级次 level     " << detail.level_name() << "\n";
    if (entry.budgets_size() > 0) std::cout << "  预算 budgets   " << BudgetNames(entry) << "\n";
    std::cout << "  上级 parents   ";
    if (detail.parents_size() == 0) std::cout << "无 / none";
    for (int i = 0; i < detail.parents_size(); ++i) {
      std::cout << (i == 0 ? "" : " › ") << detail.parents(i).code() << " " << detail.parents(i).name();
    }
    std::cout << "\n  下级 children  " << (detail.children_size() == 0 ? "无 / none" : "") << "\n";
    for (const lv1::CatalogueEntry& child : detail.children()) {
      std::cout << "    " << child.code() << "  " << child.name();
      if (child.budgets_size() > 0) std::cout << "  [" << BudgetNames(child) << "]";
      std::cout << "\n";
    }
    return kOk;
  }
  lv1::GetCatalogueRequest request;
  request.set_edition(edition);
  lv1::Catalogue catalogue;
  grpc::Status status = api.stub().GetCatalogue(api.Context().get(), request, &catalogue);
  if (!status.ok()) return PrintFailure(status);
  if (args.json) {
    std::cout << ToJson(catalogue);
    return kOk;
  }
  std::cout << "《" << catalogue.edition() << "年政府收支分类科目》  " << About(catalogue.about()) << "\n";
  lv1::CodeKind kind = lv1::CODE_KIND_UNSPECIFIED;
  for (const lv1::CatalogueEntry& entry : catalogue.entries()) {
    if (entry.kind() != kind) {
      kind = entry.kind();
      std::cout << "\n" << KindName(kind) << "\n";
    }
    const std::string indent(entry.code().size() - 3, ' ');
    std::cout << indent << entry.code() << "  " << Level(entry.code()) << "  " << entry.name();
    if (entry.code().size() == 7 && entry.budgets_size() > 0) std::cout << "  [" << BudgetNames(entry) << "]";
    std::cout << "\n";
  }
  return kOk;
}

int Diff(Api& api, const CatalogueCommandArgs& args) {
  if (args.words.size() != 3 || ParseEdition(args.words[1]) == 0 || ParseEdition(args.words[2]) == 0) {
    return Usage("catalogue diff 需要两个版本年度 / catalogue diff needs FROM and TO, two edition years");
  }
  lv1::DiffCataloguesRequest request;
  request.set_from_edition(ParseEdition(args.words[1]));
  request.set_to_edition(ParseEdition(args.words[2]));
  if (!api.Connect()) return kFailed;
  lv1::CatalogueDiff diff;
  grpc::Status status = api.stub().DiffCatalogues(api.Context().get(), request, &diff);
  if (!status.ok()) return PrintFailure(status);
  if (args.json) {
    std::cout << ToJson(diff);
    return kOk;
  }
  std::cout << "分类科目 catalogue " << diff.from_edition() << " → " << diff.to_edition() << ": " << diff.changes_size()
            << " 处变动 changes\n";
  lv1::CodeKind kind = lv1::CODE_KIND_UNSPECIFIED;
  for (const lv1::CatalogueChange& change : diff.changes()) {
    if (change.kind() != kind) {
      kind = change.kind();
      std::cout << "\n" << KindName(kind) << "\n";
    }
    std::cout << "  ";
    switch (change.change()) {
      case lv1::CATALOGUE_CHANGE_KIND_ADDED:
        std::cout << "新增 added    " << change.code() << " " << Level(change.code()) << "  " << change.after();
        break;
      case lv1::CATALOGUE_CHANGE_KIND_RETIRED:
        std::cout << "停用 retired  " << change.code() << " " << Level(change.code()) << "  " << change.before();
        if (change.successors_size() > 0) {
          std::cout << "  → 承接 successors " << absl::StrJoin(change.successors(), ", ");
        }
        break;
      case lv1::CATALOGUE_CHANGE_KIND_RENAMED:
        std::cout << "改名 renamed  " << change.code() << " " << Level(change.code()) << "  " << change.before()
                  << " → " << change.after();
        break;
      case lv1::CATALOGUE_CHANGE_KIND_RETAGGED:
        std::cout << "改预算 budget " << change.code() << " " << Level(change.code()) << "  " << change.before()
                  << " → " << change.after();
        break;
      default:
        std::cout << "? " << change.code();
    }
    std::cout << "\n";
  }
  return kOk;
}

}  // namespace

int RunCatalogueCommand(const CatalogueCommandArgs& args) {
  Api api(args);
  const std::string verb = args.words.empty() ? "" : args.words[0];
  if (verb == "list" && args.words.size() == 1) return List(api, args);
  if (verb == "show") return Show(api, args);
  if (verb == "diff") return Diff(api, args);
  return Usage("catalogue 的子命令为 list、show 或 diff / catalogue takes list, show or diff");
}

int RunCatalogueAdminCommand(const CatalogueCommandArgs& args) {
  if (args.words.size() != 2 || args.words[0] != "import") {
    return Usage("admin catalogue import --edition EDITION FILE");
  }
  const int edition = ParseEdition(args.edition);
  if (edition == 0) {
    return Usage(absl::StrCat("--edition 应为四位年度，如 --edition 2021 / --edition must be a year such as 2021",
                              args.edition.empty() ? "" : absl::StrCat(", not \"", args.edition, "\"")));
  }
  const std::string& path = args.words[1];
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "无法读取文件 " << path << " / cannot read " << path << ": " << std::strerror(errno) << "\n";
    return kFailed;
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  lv1::ImportCatalogueRequest request;
  request.set_edition(edition);
  const size_t slash = path.find_last_of('/');
  request.set_file_name(slash == std::string::npos ? path : path.substr(slash + 1));
  request.set_content(bytes.str());
  request.set_request_id(args.request_id);
  Api api(args);
  if (!api.Connect()) return kFailed;
  lv1::CatalogueEdition stored;
  grpc::Status status = api.stub().ImportCatalogue(api.Context().get(), request, &stored);
  if (!status.ok()) return PrintFailure(status);
  std::cout << "已导入 / imported " << request.file_name() << " as edition " << stored.edition() << " version "
            << stored.version() << ": " << stored.functional_count() << " 功能 functional · " << stored.economic_count()
            << " 经济 economic · " << stored.government_economic_count() << " 政府经济 government economic codes\n"
            << "  SHA-256 " << stored.sha256_hex() << "\n";
  return kOk;
}

}  // namespace yusuan::cli
