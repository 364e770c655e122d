#include "services/gateway/auth/permissions.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/rpc/error_details.pb.h"
#include "services/common/errors.h"
#include "services/common/resource_names.h"
#include "services/security/internal/absl_compat.h"
#include "services/security/scope.h"

namespace yusuan::gateway::auth {
namespace {

using ::yusuan::security::RoleName;
using ::yusuan::security::ScopeCovers;
using ::yusuan::security::internal::ToAbsl;

constexpr std::string_view kMethodColumn = "method";
constexpr std::string_view kNotesColumn = "notes";

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

// `GetBudget` → GetBudget: code formatting is for the human reader.
std::string_view Unquote(std::string_view cell) {
  if (cell.size() >= 2 && cell.front() == '`' && cell.back() == '`') {
    return cell.substr(1, cell.size() - 2);
  }
  return cell;
}

bool IsTableLine(std::string_view line) { return !Trim(line).empty() && Trim(line).front() == '|'; }

// "| a | `b` |" → {"a", "b"}: the outer pipes delimit, they do not add cells.
std::vector<std::string_view> SplitCells(std::string_view line) {
  line = Trim(line);
  if (!line.empty() && line.front() == '|') line.remove_prefix(1);
  if (!line.empty() && line.back() == '|') line.remove_suffix(1);
  std::vector<std::string_view> cells;
  size_t start = 0;
  while (true) {
    const size_t bar = line.find('|', start);
    cells.push_back(Unquote(Trim(line.substr(start, bar - start))));
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  return cells;
}

bool IsSeparatorCell(std::string_view cell) {
  if (!cell.empty() && cell.front() == ':') cell.remove_prefix(1);
  if (!cell.empty() && cell.back() == ':') cell.remove_suffix(1);
  if (cell.empty()) return false;
  for (char c : cell) {
    if (c != '-') return false;
  }
  return true;
}

bool IsMethodName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    const bool ok =
        (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

std::optional<Access> ParseAccess(std::string_view text) {
  for (Access access : {Access::kDenied, Access::kInScope, Access::kAnyone}) {
    if (AccessName(access) == text) return access;
  }
  return std::nullopt;
}

std::optional<Principal> ParsePrincipal(std::string_view text) {
  for (Principal principal : kAllPrincipals) {
    if (PrincipalName(principal) == text) return principal;
  }
  return std::nullopt;
}

absl::Status TableError(size_t line_number, std::string_view zh, std::string_view en) {
  return absl::InvalidArgumentError(absl::StrCat("权限表 permissions.md 第 ", line_number, " 行：", ToAbsl(zh),
                                                 " / permissions.md line ", line_number, ": ", ToAbsl(en)));
}

absl::Status Refusal(absl::Status status, const char* reason, std::map<std::string, std::string> metadata) {
  google::rpc::ErrorInfo info;
  info.set_reason(reason);
  info.set_domain(kErrorDomain);
  for (auto& [key, value] : metadata) (*info.mutable_metadata())[key] = std::move(value);
  AttachDetail(status, info);
  return status;
}

// "preparer, integrator" — who may call `method` with a token; "" for none.
std::string RolesAllowed(const PermissionMatrix& matrix, std::string_view method) {
  std::vector<absl::string_view> roles;
  for (Principal principal : kAllPrincipals) {
    if (principal == Principal::kAnonymous) continue;
    const std::optional<Access> access = matrix.Cell(method, principal);
    if (access.has_value() && *access != Access::kDenied) {
      roles.push_back(ToAbsl(PrincipalName(principal)));
    }
  }
  return absl::StrJoin(roles, ", ");
}

}  // namespace

std::string_view PrincipalName(Principal principal) {
  switch (principal) {
    case Principal::kAnonymous:
      return "anonymous";
    case Principal::kPreparer:
      return RoleName(Role::kPreparer);
    case Principal::kReviewer:
      return RoleName(Role::kReviewer);
    case Principal::kIntegrator:
      return RoleName(Role::kIntegrator);
    case Principal::kAdmin:
      return RoleName(Role::kAdmin);
  }
  return "unknown";
}

Principal PrincipalOf(const TokenClaims* claims) {
  if (claims == nullptr) return Principal::kAnonymous;
  switch (claims->role) {
    case Role::kPreparer:
      return Principal::kPreparer;
    case Role::kReviewer:
      return Principal::kReviewer;
    case Role::kIntegrator:
      return Principal::kIntegrator;
    case Role::kAdmin:
      return Principal::kAdmin;
  }
  return Principal::kAnonymous;
}

std::string_view AccessName(Access access) {
  switch (access) {
    case Access::kDenied:
      return "-";
    case Access::kInScope:
      return "scope";
    case Access::kAnyone:
      return "any";
  }
  return "-";
}

std::optional<Access> PermissionMatrix::Cell(std::string_view method, Principal principal) const {
  const auto row = cells_.find(method);
  if (row == cells_.end()) return std::nullopt;
  return row->second[static_cast<size_t>(principal)];
}

absl::StatusOr<PermissionMatrix> ParsePermissionTable(std::string_view markdown) {
  std::vector<std::string_view> lines;
  for (size_t start = 0; start <= markdown.size();) {
    const size_t end = markdown.find('\n', start);
    lines.push_back(markdown.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }

  PermissionMatrix matrix;
  size_t header_line = 0;  // 1-based; 0 while no policy table was seen
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!IsTableLine(lines[i])) continue;
    const std::vector<std::string_view> header = SplitCells(lines[i]);
    if (header.front() != kMethodColumn) {
      // Another table (the legend): skip it whole.
      while (i + 1 < lines.size() && IsTableLine(lines[i + 1])) ++i;
      continue;
    }
    if (header_line != 0) {
      return TableError(i + 1, absl::StrCat("第二个权限表（第一个在第 ", header_line, " 行）"),
                        absl::StrCat("a second policy table (the first is at line ", header_line, ")"));
    }
    header_line = i + 1;

    // Column index → principal; the method and notes columns map to nothing.
    std::vector<std::optional<Principal>> column_principal(header.size());
    std::set<std::string_view> seen_columns;
    for (size_t c = 1; c < header.size(); ++c) {
      if (!seen_columns.insert(header[c]).second) {
        return TableError(i + 1, absl::StrCat("列 \"", ToAbsl(header[c]), "\" 重复"),
                          absl::StrCat("column \"", ToAbsl(header[c]), "\" appears twice"));
      }
      if (header[c] == kNotesColumn) continue;
      column_principal[c] = ParsePrincipal(header[c]);
      if (!column_principal[c].has_value()) {
        return TableError(i + 1, absl::StrCat("未知列 \"", ToAbsl(header[c]), "\""),
                          absl::StrCat("unknown column \"", ToAbsl(header[c]),
                                       "\" (expected anonymous, preparer, reviewer, integrator, "
                                       "admin and optionally notes)"));
      }
    }
    for (Principal principal : kAllPrincipals) {
      if (!seen_columns.contains(PrincipalName(principal))) {
        return TableError(i + 1, absl::StrCat("缺少列 \"", ToAbsl(PrincipalName(principal)), "\""),
                          absl::StrCat("missing column \"", ToAbsl(PrincipalName(principal)), "\""));
      }
    }

    ++i;
    const std::vector<std::string_view> separator =
        i < lines.size() && IsTableLine(lines[i]) ? SplitCells(lines[i]) : std::vector<std::string_view>{};
    bool separator_ok = separator.size() == header.size();
    for (std::string_view cell : separator) separator_ok = separator_ok && IsSeparatorCell(cell);
    if (!separator_ok) {
      return TableError(i + 1, "表头下应为分隔行 |---|---|…",
                        "expected the separator line |---|---|… under the header");
    }

    while (i + 1 < lines.size() && IsTableLine(lines[i + 1])) {
      ++i;
      const size_t line_number = i + 1;
      const std::vector<std::string_view> cells = SplitCells(lines[i]);
      if (cells.size() != header.size()) {
        return TableError(line_number, absl::StrCat("应有 ", header.size(), " 列，实际 ", cells.size(), " 列"),
                          absl::StrCat("expected ", header.size(), " cells, found ", cells.size()));
      }
      const std::string_view method = cells[0];
      if (!IsMethodName(method)) {
        return TableError(line_number, absl::StrCat("方法名无效 \"", ToAbsl(method), "\""),
                          absl::StrCat("invalid method name \"", ToAbsl(method), "\" (letters, digits, _ . : only)"));
      }
      std::array<Access, kPrincipalCount> row{};
      for (size_t c = 1; c < cells.size(); ++c) {
        if (!column_principal[c].has_value()) continue;
        const Principal principal = *column_principal[c];
        const std::optional<Access> access = ParseAccess(cells[c]);
        if (!access.has_value()) {
          return TableError(line_number,
                            absl::StrCat(ToAbsl(method), " 的 ", ToAbsl(PrincipalName(principal)), " 列取值 \"",
                                         ToAbsl(cells[c]), "\" 无效（应为 -、scope 或 any）"),
                            absl::StrCat(ToAbsl(method), ", column ", ToAbsl(PrincipalName(principal)),
                                         ": unknown value \"", ToAbsl(cells[c]), "\" (expected -, scope or any)"));
        }
        if (principal == Principal::kAnonymous && *access == Access::kInScope) {
          return TableError(line_number, absl::StrCat(ToAbsl(method), " 的 anonymous 列不能为 scope（无令牌即无范围）"),
                            absl::StrCat(ToAbsl(method),
                                         ": the anonymous column cannot say scope (no token, no scope); "
                                         "use - or any"));
        }
        row[static_cast<size_t>(principal)] = *access;
      }
      if (!matrix.cells_.emplace(std::string(method), row).second) {
        return TableError(line_number, absl::StrCat("方法 ", ToAbsl(method), " 重复出现"),
                          absl::StrCat("method ", ToAbsl(method), " appears twice"));
      }
      matrix.methods_.emplace_back(method);
    }
    if (matrix.methods_.empty()) {
      return TableError(header_line, "权限表没有任何行", "the policy table has no rows");
    }
  }
  if (header_line == 0) {
    return absl::InvalidArgumentError(
        "permissions.md 中没有以 | method | 开头的权限表 / permissions.md has no policy table "
        "(a Markdown table whose header starts with | method |)");
  }
  return matrix;
}

absl::StatusOr<const PermissionMatrix*> DefaultPermissions() {
  // Parsed once; a static local is initialised thread-safely.
  static const absl::StatusOr<PermissionMatrix>* const parsed =
      new absl::StatusOr<PermissionMatrix>(ParsePermissionTable(PermissionsMarkdown()));
  if (!parsed->ok()) return parsed->status();
  return &**parsed;
}

absl::Status Authorize(const PermissionMatrix& matrix, const TokenClaims* principal, std::string_view method_name,
                       std::string_view resource_name) {
  const std::string method(method_name);
  const Principal column = PrincipalOf(principal);
  const std::string role(PrincipalName(column));
  const std::string scope = principal == nullptr ? "" : principal->scope;
  const std::string resource = resource_name.empty() ? "-" : std::string(resource_name);
  std::map<std::string, std::string> metadata = {{"method", method}, {"role", role}};
  if (principal != nullptr) metadata["scope"] = scope;
  if (!resource_name.empty()) metadata["resource"] = std::string(resource_name);

  const std::optional<Access> access = matrix.Cell(method, column);
  if (!access.has_value()) {
    return Refusal(absl::PermissionDeniedError(
                       absl::StrCat("方法 ", method, " 不在权限表中，默认拒绝 / method ", method,
                                    " is not in the permission table (services/gateway/auth/permissions.md): denied by "
                                    "default")),
                   kReasonMethodNotInPolicy, std::move(metadata));
  }
  switch (*access) {
    case Access::kAnyone:
      return absl::OkStatus();
    case Access::kDenied: {
      const std::string allowed = RolesAllowed(matrix, method);
      if (!allowed.empty()) metadata["allowed_roles"] = allowed;
      if (principal == nullptr) {
        return Refusal(absl::UnauthenticatedError(
                           absl::StrCat("调用 ", method,
                                        " 需要令牌；请向管理员申请（yusuan admin token create --role 角色 --scope 范围 "
                                        "--ttl 12h）/ ",
                                        method,
                                        " needs a bearer token (gRPC metadata or HTTP header \"authorization: Bearer "
                                        "yst1.…\"); an administrator creates one with yusuan admin token create --role "
                                        "ROLE --scope SCOPE --ttl 12h",
                                        allowed.empty() ? "" : absl::StrCat(" (roles that may: ", allowed, ")"))),
                       kReasonTokenRequired, std::move(metadata));
      }
      return Refusal(absl::PermissionDeniedError(absl::StrCat(
                         "角色 ", role, " 无权调用 ", method, "（令牌范围 ", scope, "，资源 ", resource, "）",
                         allowed.empty() ? "" : absl::StrCat("；可调用的角色：", allowed), " / role ", role,
                         " may not call ", method, " (token scope ", scope, ", resource ", resource, ")",
                         allowed.empty() ? "" : absl::StrCat("; roles that may: ", allowed))),
                     kReasonRoleNotAllowed, std::move(metadata));
    }
    case Access::kInScope:
      break;
  }
  // The parser keeps `scope` out of the anonymous column; deny if it ever
  // got there anyway.
  if (principal == nullptr) {
    return Refusal(
        absl::UnauthenticatedError(absl::StrCat("调用 ", method, " 需要令牌 / ", method,
                                                " needs a bearer token; an administrator creates one with yusuan admin "
                                                "token create")),
        kReasonTokenRequired, std::move(metadata));
  }
  // A caller who may call the method learns that the name is malformed (400),
  // not that it is forbidden (403); others were refused above, before the
  // name was looked at.
  if (resource_name.empty()) {
    return Refusal(absl::InvalidArgumentError(absl::StrCat(
                       "请求未指明资源（name 或 parent 为空）；方法 ", method,
                       " 需要资源名称，如 regions/420107/departments/005001022/budgets/2021 / the request names no "
                       "resource (name or parent is empty); ",
                       method, " needs a resource name such as regions/420107/departments/005001022/budgets/2021")),
                   kReasonResourceNameInvalid, std::move(metadata));
  }
  if (resource_name != security::kEverywhereScope) {
    absl::StatusOr<AnyResourceName> parsed = ParseAnyResourceName(std::string(resource_name));
    if (!parsed.ok()) return Refusal(parsed.status(), kReasonResourceNameInvalid, std::move(metadata));
  }
  if (!ScopeCovers(scope, resource_name)) {
    return Refusal(
        absl::PermissionDeniedError(absl::StrCat("令牌范围 ", scope, " 不包括资源 ", resource, "（角色 ", role,
                                                 "，方法 ", method, "）/ the token's scope ", scope, " does not cover ",
                                                 resource, " (role ", role, ", method ", method, ")")),
        kReasonOutOfScope, std::move(metadata));
  }
  return absl::OkStatus();
}

}  // namespace yusuan::gateway::auth
