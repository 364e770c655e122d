// The authorization matrix: which principal may call which public method,
// read from the Markdown table in permissions.md — the same file people
// review, embedded into the library at build time, so the documented policy
// and the enforced one cannot drift apart.
//
// Refusals carry a google.rpc.ErrorInfo payload (domain "yusuan.gov.cn")
// with one of the reasons below and metadata method / role / scope /
// resource, and a message in Chinese, then English.
#ifndef YUSUAN_SERVICES_GATEWAY_AUTH_PERMISSIONS_H_
#define YUSUAN_SERVICES_GATEWAY_AUTH_PERMISSIONS_H_

#include <array>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/security/token.h"

namespace yusuan::gateway::auth {

// The table speaks of the roles and claims of services/security/token.h.
using ::yusuan::security::Role;
using ::yusuan::security::TokenClaims;

// The columns of the table: anonymous (no token) and the four roles.
enum class Principal { kAnonymous, kPreparer, kReviewer, kIntegrator, kAdmin };
inline constexpr size_t kPrincipalCount = 5;
inline constexpr std::array<Principal, kPrincipalCount> kAllPrincipals = {
    Principal::kAnonymous, Principal::kPreparer, Principal::kReviewer, Principal::kIntegrator, Principal::kAdmin};

// "anonymous", then the role names of token.h: the table's column headers.
std::string_view PrincipalName(Principal principal);
// The column of a caller: nullptr (no token) is anonymous.
Principal PrincipalOf(const TokenClaims* claims);

// A cell of the table.
enum class Access {
  kDenied,   // "-"
  kInScope,  // "scope": the token's scope must cover the request's resource
  kAnyone,   // "any": allowed for everyone in the column, whatever the resource
};
// "-", "scope", "any".
std::string_view AccessName(Access access);

// Method names are the rpc names of PublicApi ("GetBudget"), the workflow
// steps as kTransitionBudgetMethodPrefix + action ("TransitionBudget:PUBLISH",
// the WorkflowAction name without WORKFLOW_ACTION_), and "admin.*" for the
// operations of `yusuan admin`.
inline constexpr char kTransitionBudgetMethodPrefix[] = "TransitionBudget:";
inline constexpr char kCreateTokenMethod[] = "admin.CreateToken";
inline constexpr char kRotateKeyMethod[] = "admin.RotateKey";

// Reasons (google.rpc.ErrorInfo.reason) of Authorize's refusals.
inline constexpr char kReasonTokenRequired[] = "TOKEN_REQUIRED";     // UNAUTHENTICATED
inline constexpr char kReasonRoleNotAllowed[] = "ROLE_NOT_ALLOWED";  // PERMISSION_DENIED
inline constexpr char kReasonOutOfScope[] = "OUT_OF_SCOPE";          // PERMISSION_DENIED
// A caller who may call the method named no resource, or a name that is not
// one (a non-digit region, a five-digit one, an empty name): the request is
// malformed, not forbidden.
inline constexpr char kReasonResourceNameInvalid[] = "RESOURCE_NAME_INVALID";  // INVALID_ARGUMENT
inline constexpr char kReasonMethodNotInPolicy[] = "METHOD_NOT_IN_POLICY";     // PERMISSION_DENIED

class PermissionMatrix {
 public:
  // Every method of the table, in the table's order.
  const std::vector<std::string>& methods() const { return methods_; }
  // The cell of `method` for `principal`; nullopt when the method has no row.
  std::optional<Access> Cell(std::string_view method, Principal principal) const;

 private:
  friend absl::StatusOr<PermissionMatrix> ParsePermissionTable(std::string_view markdown);

  std::vector<std::string> methods_;
  std::map<std::string, std::array<Access, kPrincipalCount>, std::less<>> cells_;
};

// Reads the policy table out of a Markdown document: the one table whose
// header's first cell is `method`, with one column per principal (any
// order, each exactly once) and an optional `notes` column that is ignored.
// Text and other tables around it are ignored. Cells may be wrapped in
// backticks. INVALID_ARGUMENT naming the line when there is no such table
// or two of them, the separator line is missing, a column is unknown or
// missing, a row has the wrong number of cells or an empty or odd method
// name, a method appears twice, a cell is not -, scope or any, or the
// anonymous column says scope (no token, no scope).
absl::StatusOr<PermissionMatrix> ParsePermissionTable(std::string_view markdown);

// The text of services/gateway/auth/permissions.md as it was at build time.
std::string_view PermissionsMarkdown();

// The matrix of PermissionsMarkdown(), parsed once at first use (thread-safe)
// and kept for the life of the process. A table that does not parse is an
// error every time: the gateway must refuse to start with it.
absl::StatusOr<const PermissionMatrix*> DefaultPermissions();

// Whether `principal` (nullptr: no token) may call `method` on
// `resource_name` (the request's name or parent; may be empty for methods
// without one, such as ListRules or VerifyArtifact). The token is assumed
// already verified (VerifyToken).
//   OK                 the cell is any, or scope and the token's scope
//                      covers resource_name;
//   UNAUTHENTICATED    no token and the cell is -: the message says a token
//                      is needed and how to get one (TOKEN_REQUIRED);
//   PERMISSION_DENIED  the role's cell is - (ROLE_NOT_ALLOWED, naming the
//                      roles that may), the scope does not cover the
//                      resource or the request names none (OUT_OF_SCOPE),
//                      or the method is not in the table at all, for
//                      anyone, token or not (METHOD_NOT_IN_POLICY: deny by
//                      default).
absl::Status Authorize(const PermissionMatrix& matrix, const TokenClaims* principal, std::string_view method,
                       std::string_view resource_name);

}  // namespace yusuan::gateway::auth

#endif  // YUSUAN_SERVICES_GATEWAY_AUTH_PERMISSIONS_H_
