#include "tools/yusuan/catalogue_command.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/yusuan/exit_codes.h"
#include "tools/yusuan/print.h"

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

int Usage(const std::string& problem) {
  std::cerr << "yusuan: " << problem << "\n\n用法 / usage:\n" << kCatalogueUsage;
  return kUsage;
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
    case lv1::CODE_KIND_FUNCTIONAL:
      return "支出功能分类 functional";
    case lv1::CODE_KIND_ECONOMIC:
      return "部门预算经济分类 economic";
    case lv1::CODE_KIND_GOVERNMENT_ECONOMIC:
      return "政府预算经济分类 government economic";
    default:
      return "?";
  }
}

const char* Level(const std::string& code) { return code.size() == 3 ? "类" : code.size() == 5 ? "款" : "项"; }

std::string UtcTime(int64_t unix_ms) { return unix_ms == 0 ? "-" : IsoUtc(unix_ms); }

std::string About(const lv1::CatalogueEdition& about) {
  if (about.origin() == lv1::CATALOGUE_ORIGIN_STORED) {
    return absl::StrCat("导入 stored · 版本 version ", about.version(), " of ", about.stored_versions(), " · ",
                        about.source_file(), " · ", UtcTime(about.import_time_unix_ms()),
                        about.imported_by().empty() ? "" : absl::StrCat(" · ", about.imported_by()));
  }
  return absl::StrCat("内置 shipped · ", about.source_file(),
                      about.based_on() != 0 ? absl::StrCat(" (based on ", about.based_on(), ")") : "");
}

int List(Client& client, const Args& args) {
  if (!client.Connect()) return kFailed;
  lv1::ListCataloguesResponse list;
  grpc::Status status = client.Call(&Client::Stub::ListCatalogues, lv1::ListCataloguesRequest(), &list);
  if (!status.ok()) return PrintFailure(status);
  if (args.json) {
    std::cout << ToJson(list, JsonFields::kAll);
    return kOk;
  }
  for (const lv1::CatalogueEdition& e : list.editions()) {
    std::cout << e.edition() << "  " << e.functional_count() << " 功能 functional · " << e.economic_count()
              << " 经济 economic · " << e.government_economic_count() << " 政府经济 government economic  " << About(e)
              << "\n";
  }
  return kOk;
}

int Show(Client& client, const Args& args) {
  if (args.positional.size() < 2 || args.positional.size() > 3 || ParseEdition(args.positional[1]) == 0) {
    return Usage(
        "catalogue show 需要版本年度，可再加科目编码 / catalogue show needs EDITION (a year) and optionally CODE");
  }
  const int edition = ParseEdition(args.positional[1]);
  if (!client.Connect()) return kFailed;
  if (args.positional.size() == 3) {
    lv1::GetCatalogueCodeRequest request;
    request.set_edition(edition);
    request.set_code(args.positional[2]);
    lv1::CatalogueCodeDetail detail;
    grpc::Status status = client.Call(&Client::Stub::GetCatalogueCode, request, &detail);
    if (!status.ok()) return PrintFailure(status);
    if (args.json) {
      std::cout << ToJson(detail, JsonFields::kAll);
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
  grpc::Status status = client.Call(&Client::Stub::GetCatalogue, request, &catalogue);
  if (!status.ok()) return PrintFailure(status);
  if (args.json) {
    std::cout << ToJson(catalogue, JsonFields::kAll);
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

int Diff(Client& client, const Args& args) {
  if (args.positional.size() != 3 || ParseEdition(args.positional[1]) == 0 || ParseEdition(args.positional[2]) == 0) {
    return Usage("catalogue diff 需要两个版本年度 / catalogue diff needs FROM and TO, two edition years");
  }
  lv1::DiffCataloguesRequest request;
  request.set_from_edition(ParseEdition(args.positional[1]));
  request.set_to_edition(ParseEdition(args.positional[2]));
  if (!client.Connect()) return kFailed;
  lv1::CatalogueDiff diff;
  grpc::Status status = client.Call(&Client::Stub::DiffCatalogues, request, &diff);
  if (!status.ok()) return PrintFailure(status);
  if (args.json) {
    std::cout << ToJson(diff, JsonFields::kAll);
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

int RunCatalogueCommand(Client& client, const Args& args) {
  const std::string verb = args.positional.empty() ? "" : args.positional[0];
  if (verb == "list" && args.positional.size() == 1) return List(client, args);
  if (verb == "show") return Show(client, args);
  if (verb == "diff") return Diff(client, args);
  return Usage("catalogue 的子命令为 list、show 或 diff / catalogue takes list, show or diff");
}

int RunCatalogueAdminCommand(Client& client, const Args& args) {
  const std::span<const std::string> words = std::span(args.positional).subspan(1);
  if (words.size() != 2 || words[0] != "import") {
    return Usage("admin catalogue import --edition EDITION FILE");
  }
  const int edition = ParseEdition(args.edition);
  if (edition == 0) {
    return Usage(absl::StrCat("--edition 应为四位年度，如 --edition 2021 / --edition must be a year such as 2021",
                              args.edition.empty() ? "" : absl::StrCat(", not \"", args.edition, "\"")));
  }
  const std::string& path = words[1];
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
  if (!client.Connect()) return kFailed;
  lv1::CatalogueEdition stored;
  grpc::Status status = client.Call(&Client::Stub::ImportCatalogue, request, &stored);
  if (!status.ok()) return PrintFailure(status);
  std::cout << "已导入 / imported " << request.file_name() << " as edition " << stored.edition() << " version "
            << stored.version() << ": " << stored.functional_count() << " 功能 functional · " << stored.economic_count()
            << " 经济 economic · " << stored.government_economic_count() << " 政府经济 government economic codes\n"
            << "  SHA-256 " << stored.sha256_hex() << "\n";
  return kOk;
}

}  // namespace yusuan::cli
