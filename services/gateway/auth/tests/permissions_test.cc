#include "services/gateway/auth/permissions.h"

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "services/common/errors.h"

namespace yusuan::gateway::auth {
namespace {

using ::testing::HasSubstr;

constexpr char kBudget420107[] = "regions/420107/departments/005001022/budgets/2021";
constexpr char kBudget420201[] = "regions/420201/departments/001001/budgets/2021";

std::string ReadSource(const std::string& relative) {
  std::ifstream in(absl::StrCat(YUSUAN_SOURCE_DIR, "/", relative), std::ios::binary);
  EXPECT_TRUE(in.good()) << relative;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The rpc names of `service PublicApi { … }` in gateway.proto.
std::vector<std::string> PublicApiRpcs() {
  const std::string proto = ReadSource("proto/yusuan/gateway/v1/gateway.proto");
  const size_t start = proto.find("service PublicApi {");
  EXPECT_NE(start, std::string::npos);
  const size_t end = proto.find("\n}", start);
  const std::string body = proto.substr(start, end - start);
  std::vector<std::string> rpcs;
  const std::regex rpc(R"(\brpc\s+(\w+)\s*\()");
  for (auto it = std::sregex_iterator(body.begin(), body.end(), rpc); it != std::sregex_iterator(); ++it) {
    rpcs.push_back((*it)[1]);
  }
  return rpcs;
}

// SUBMIT, APPROVE, … from `enum WorkflowAction` in ledger.proto.
std::vector<std::string> WorkflowActions() {
  const std::string proto = ReadSource("proto/yusuan/ledger/v1/ledger.proto");
  const size_t start = proto.find("enum WorkflowAction {");
  EXPECT_NE(start, std::string::npos);
  const size_t end = proto.find('}', start);
  const std::string body = proto.substr(start, end - start);
  std::vector<std::string> actions;
  const std::regex action(R"(WORKFLOW_ACTION_(\w+)\s*=)");
  for (auto it = std::sregex_iterator(body.begin(), body.end(), action); it != std::sregex_iterator(); ++it) {
    if ((*it)[1] != "UNSPECIFIED") actions.push_back((*it)[1]);
  }
  return actions;
}

const PermissionMatrix& Matrix() {
  auto matrix = DefaultPermissions();
  EXPECT_TRUE(matrix.ok()) << matrix.status();
  static const PermissionMatrix empty;
  return matrix.ok() ? **matrix : empty;
}

TokenClaims Token(Role role, const std::string& scope) {
  TokenClaims claims;
  claims.subject = "test";
  claims.role = role;
  claims.scope = scope;
  claims.issued_at_unix_seconds = 1700000000;
  claims.expires_at_unix_seconds = 1700003600;
  return claims;
}

std::string ReasonOf(const absl::Status& status) {
  google::rpc::ErrorInfo info;
  if (!GetDetail(status, &info)) return "";
  return info.reason();
}

TEST(PermissionTable, EmbeddedCopyIsTheFileInTheTree) {
  EXPECT_EQ(PermissionsMarkdown(), ReadSource("services/gateway/auth/permissions.md"));
}

TEST(PermissionTable, ParsesAndListsEveryPublicRpcAndEveryWorkflowAction) {
  const PermissionMatrix& matrix = Matrix();
  const std::set<std::string> methods(matrix.methods().begin(), matrix.methods().end());
  EXPECT_EQ(methods.size(), matrix.methods().size());

  const std::vector<std::string> rpcs = PublicApiRpcs();
  ASSERT_GE(rpcs.size(), 20u) << "could not read PublicApi from gateway.proto";
  const std::vector<std::string> actions = WorkflowActions();
  EXPECT_THAT(actions, ::testing::ElementsAre("SUBMIT", "APPROVE", "RETURN", "PUBLISH"));

  std::set<std::string> expected;
  for (const std::string& rpc : rpcs) {
    if (rpc == "TransitionBudget") {
      for (const std::string& action : actions) {
        expected.insert(absl::StrCat(kTransitionBudgetMethodPrefix, action));
      }
    } else {
      expected.insert(rpc);
    }
  }
  expected.insert(kCreateTokenMethod);
  expected.insert(kRotateKeyMethod);
  // Both ways: no rpc without a row, no row for a method that does not exist.
  EXPECT_EQ(methods, expected);
  EXPECT_FALSE(methods.contains("TransitionBudget"));
}

TEST(PermissionTable, AnonymousReadsPublishedDisclosuresAndReferenceDataOnly) {
  const PermissionMatrix& matrix = Matrix();
  std::vector<std::string> open;
  for (const std::string& method : matrix.methods()) {
    const auto cell = matrix.Cell(method, Principal::kAnonymous);
    ASSERT_TRUE(cell.has_value());
    EXPECT_NE(*cell, Access::kInScope) << method;
    if (*cell == Access::kAnyone) open.push_back(method);
  }
  // The index of published disclosures is itself public, and so are the
  // classification catalogues the rule hints point to (issue 11).
  EXPECT_THAT(open,
              ::testing::UnorderedElementsAre("ListRules", "GetPublished", "ListPublished", "VerifyArtifact",
                                              "ListCatalogues", "GetCatalogue", "GetCatalogueCode", "DiffCatalogues"));
}

TEST(PermissionTable, OnlyANationwideAdminImportsACatalogue) {
  const PermissionMatrix& matrix = Matrix();
  for (Principal principal : kAllPrincipals) {
    const Access expected = principal == Principal::kAdmin ? Access::kInScope : Access::kDenied;
    EXPECT_EQ(matrix.Cell("ImportCatalogue", principal), expected) << PrincipalName(principal);
  }
  const TokenClaims admin = Token(Role::kAdmin, "regions/");
  EXPECT_TRUE(Authorize(Matrix(), &admin, "ImportCatalogue", "regions/").ok());
  const TokenClaims provincial_admin = Token(Role::kAdmin, "regions/42");
  EXPECT_EQ(Authorize(Matrix(), &provincial_admin, "ImportCatalogue", "regions/").code(),
            absl::StatusCode::kPermissionDenied);
  const TokenClaims preparer = Token(Role::kPreparer, "regions/");
  EXPECT_EQ(Authorize(Matrix(), &preparer, "ImportCatalogue", "regions/").code(), absl::StatusCode::kPermissionDenied);
}

TEST(PermissionTable, AdminsNeverMoveABudgetThroughTheWorkflow) {
  const PermissionMatrix& matrix = Matrix();
  for (const char* method : {"TransitionBudget:SUBMIT", "TransitionBudget:APPROVE", "TransitionBudget:RETURN",
                             "TransitionBudget:PUBLISH", "PutBudget", "PutGoals", "ApplyFiling"}) {
    EXPECT_EQ(matrix.Cell(method, Principal::kAdmin), Access::kDenied) << method;
  }
  // And nobody else manages keys.
  for (Principal principal : kAllPrincipals) {
    if (principal == Principal::kAdmin) continue;
    EXPECT_EQ(matrix.Cell(kCreateTokenMethod, principal), Access::kDenied);
    EXPECT_EQ(matrix.Cell(kRotateKeyMethod, principal), Access::kDenied);
  }
}

TEST(PermissionTable, OnlyReviewersApproveReturnAndPublish) {
  const PermissionMatrix& matrix = Matrix();
  for (const char* method : {"TransitionBudget:APPROVE", "TransitionBudget:RETURN", "TransitionBudget:PUBLISH"}) {
    for (Principal principal : kAllPrincipals) {
      EXPECT_EQ(matrix.Cell(method, principal), principal == Principal::kReviewer ? Access::kInScope : Access::kDenied)
          << method << " " << PrincipalName(principal);
    }
  }
}

TEST(Authorize, AnonymousMayGetPublishedButNotABudget) {
  const PermissionMatrix& matrix = Matrix();
  EXPECT_TRUE(Authorize(matrix, nullptr, "GetPublished", kBudget420107).ok());
  EXPECT_TRUE(Authorize(matrix, nullptr, "VerifyArtifact", "").ok());
  EXPECT_TRUE(Authorize(matrix, nullptr, "ListRules", "").ok());

  const absl::Status status = Authorize(matrix, nullptr, "GetBudget", kBudget420107);
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated) << status;
  EXPECT_EQ(ReasonOf(status), kReasonTokenRequired);
  EXPECT_THAT(std::string(status.message()), HasSubstr("yusuan admin token create"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("需要令牌"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("needs a bearer token"));
}

TEST(Authorize, PreparerMayNotApprove) {
  const TokenClaims preparer = Token(Role::kPreparer, "regions/420107/departments/005001022");
  const absl::Status status = Authorize(Matrix(), &preparer, "TransitionBudget:APPROVE", kBudget420107);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << status;
  EXPECT_EQ(ReasonOf(status), kReasonRoleNotAllowed);
  const std::string message(status.message());
  EXPECT_THAT(message, HasSubstr("role preparer may not call TransitionBudget:APPROVE"));
  EXPECT_THAT(message, HasSubstr("regions/420107/departments/005001022"));
  EXPECT_THAT(message, HasSubstr(kBudget420107));
  EXPECT_THAT(message, HasSubstr("roles that may: reviewer"));
  EXPECT_THAT(message, HasSubstr("角色 preparer 无权调用"));
  // But submits its own department's budget, and only its own.
  EXPECT_TRUE(Authorize(Matrix(), &preparer, "TransitionBudget:SUBMIT", kBudget420107).ok());
  EXPECT_TRUE(Authorize(Matrix(), &preparer, "PutBudget", kBudget420107).ok());
  EXPECT_EQ(Authorize(Matrix(), &preparer, "PutBudget", "regions/420107/departments/005001023/budgets/2021").code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(Authorize, ReviewerPublishesInsideItsRegionOnly) {
  const TokenClaims reviewer = Token(Role::kReviewer, "regions/4201");
  EXPECT_TRUE(Authorize(Matrix(), &reviewer, "TransitionBudget:PUBLISH", kBudget420107).ok());
  EXPECT_TRUE(Authorize(Matrix(), &reviewer, "GetBudget", kBudget420107).ok());

  const absl::Status status = Authorize(Matrix(), &reviewer, "TransitionBudget:PUBLISH", kBudget420201);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << status;
  EXPECT_EQ(ReasonOf(status), kReasonOutOfScope);
  const std::string message(status.message());
  EXPECT_THAT(message, HasSubstr("regions/4201 does not cover"));
  EXPECT_THAT(message, HasSubstr(kBudget420201));
  EXPECT_THAT(message, HasSubstr("role reviewer"));
  EXPECT_THAT(message, HasSubstr("TransitionBudget:PUBLISH"));
  EXPECT_THAT(message, HasSubstr("不包括"));

  // Reviewers do not write.
  EXPECT_EQ(Authorize(Matrix(), &reviewer, "PutBudget", kBudget420107).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Authorize(Matrix(), &reviewer, "TransitionBudget:SUBMIT", kBudget420107).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(Authorize, AdminMayNotPublishEvenEverywhere) {
  const TokenClaims admin = Token(Role::kAdmin, "regions/");
  const absl::Status status = Authorize(Matrix(), &admin, "TransitionBudget:PUBLISH", kBudget420107);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << status;
  EXPECT_EQ(ReasonOf(status), kReasonRoleNotAllowed);
  EXPECT_TRUE(Authorize(Matrix(), &admin, "CreateDepartment", "regions/420107/departments/005001022").ok());
  EXPECT_TRUE(Authorize(Matrix(), &admin, kRotateKeyMethod, "regions/").ok());
  const TokenClaims provincial_admin = Token(Role::kAdmin, "regions/42");
  EXPECT_EQ(Authorize(Matrix(), &provincial_admin, kRotateKeyMethod, "regions/").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(Authorize(Matrix(), &provincial_admin, kCreateTokenMethod, "regions/4201").ok());
  EXPECT_FALSE(Authorize(Matrix(), &provincial_admin, kCreateTokenMethod, "regions/").ok());
}

TEST(Authorize, IntegratorSubmitsButNeverApproves) {
  const TokenClaims integrator = Token(Role::kIntegrator, "regions/42");
  EXPECT_TRUE(Authorize(Matrix(), &integrator, "ApplyFiling", "regions/420107/departments/005001022").ok());
  EXPECT_TRUE(Authorize(Matrix(), &integrator, "TransitionBudget:SUBMIT", kBudget420107).ok());
  EXPECT_TRUE(Authorize(Matrix(), &integrator, "ListDepartments", "regions/4201").ok());
  EXPECT_EQ(Authorize(Matrix(), &integrator, "TransitionBudget:RETURN", kBudget420107).code(),
            absl::StatusCode::kPermissionDenied);
}

// A caller who may call the method and names no resource, or a name that is
// not one, sent a malformed request (400), not a forbidden one (issue 13);
// callers who may not call the method are refused before the name is read.
TEST(Authorize, ScopedMethodWithoutAValidResourceNameIsInvalid) {
  const TokenClaims preparer = Token(Role::kPreparer, "regions/");
  const absl::Status empty = Authorize(Matrix(), &preparer, "GetBudget", "");
  EXPECT_EQ(empty.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReasonOf(empty), kReasonResourceNameInvalid);
  EXPECT_THAT(std::string(empty.message()), HasSubstr("names no resource"));
  for (const char* name :
       {"regions/42a107/departments/005001022/budgets/2021", "regions/42010/departments/005001022/budgets/2021",
        "regions/420107/departments/005001022/budgets/02021", "regions/420107/departments/", "budgets/2021"}) {
    const absl::Status status = Authorize(Matrix(), &preparer, "GetBudget", name);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << name;
    EXPECT_EQ(ReasonOf(status), kReasonResourceNameInvalid) << name;
    EXPECT_THAT(std::string(status.message()), HasSubstr("invalid resource name")) << name;
  }
  // Anonymous: a token first; a role that may not call it: refused as such.
  EXPECT_EQ(Authorize(Matrix(), nullptr, "GetBudget", "").code(), absl::StatusCode::kUnauthenticated);
  const TokenClaims public_caller = Token(Role::kPreparer, "regions/");
  EXPECT_EQ(Authorize(Matrix(), &public_caller, "CreateDepartment", "regions/4x").code(),
            absl::StatusCode::kPermissionDenied);
  // A well-formed name outside the scope stays forbidden.
  const TokenClaims district = Token(Role::kPreparer, "regions/420107");
  EXPECT_EQ(Authorize(Matrix(), &district, "GetBudget", "regions/420108/departments/1/budgets/2021").code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(Authorize, UnknownMethodIsDeniedByDefaultForEveryone) {
  const TokenClaims admin = Token(Role::kAdmin, "regions/");
  for (const TokenClaims* principal : {static_cast<const TokenClaims*>(nullptr), &admin}) {
    for (const char* method : {"DeleteEverything", "TransitionBudget", "TransitionBudget:AMEND", "getbudget", ""}) {
      const absl::Status status = Authorize(Matrix(), principal, method, kBudget420107);
      EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << method;
      EXPECT_EQ(ReasonOf(status), kReasonMethodNotInPolicy) << method;
    }
  }
}

TEST(Authorize, WalksTheWholeMatrix) {
  // Every cell of every row behaves as it says: what the gateway's own
  // end-to-end test will do over gRPC and REST.
  const PermissionMatrix& matrix = Matrix();
  for (const std::string& method : matrix.methods()) {
    for (Principal principal : kAllPrincipals) {
      std::optional<TokenClaims> claims;
      if (principal != Principal::kAnonymous) {
        claims = Token(*security::ParseRole(PrincipalName(principal)), "regions/4201");
      }
      const TokenClaims* caller = claims.has_value() ? &*claims : nullptr;
      const absl::Status inside = Authorize(matrix, caller, method, kBudget420107);
      const absl::Status outside = Authorize(matrix, caller, method, kBudget420201);
      const std::string where = absl::StrCat(method, " / ", std::string(PrincipalName(principal)));
      switch (*matrix.Cell(method, principal)) {
        case Access::kAnyone:
          EXPECT_TRUE(inside.ok()) << where;
          EXPECT_TRUE(outside.ok()) << where;
          break;
        case Access::kInScope:
          EXPECT_TRUE(inside.ok()) << where << ": " << inside;
          EXPECT_EQ(outside.code(), absl::StatusCode::kPermissionDenied) << where;
          break;
        case Access::kDenied:
          EXPECT_EQ(inside.code(),
                    caller == nullptr ? absl::StatusCode::kUnauthenticated : absl::StatusCode::kPermissionDenied)
              << where;
          EXPECT_EQ(outside.code(), inside.code()) << where;
          break;
      }
    }
  }
}

// --- the parser refuses broken tables ---------------------------------------

constexpr char kHeader[] =
    "| method | anonymous | preparer | reviewer | integrator | admin |\n"
    "|---|---|---|---|---|---|\n";

TEST(ParsePermissionTable, ReadsAMinimalTableWithTextAndOtherTablesAround) {
  const std::string markdown = absl::StrCat(
      "# Policy\n\nSome text.\n\n| value | meaning |\n|---|---|\n| - | refused |\n\n",
      "| `method` | admin | integrator | reviewer | preparer | anonymous | notes |\n",
      "|:---|:-:|---|---|---|---|---|\n", "| `GetBudget` | scope | scope | `scope` | scope | - | drafts |\n",
      "| TransitionBudget:PUBLISH | - | - | scope | - | - | |\n", "\nMore text.\n");
  auto matrix = ParsePermissionTable(markdown);
  ASSERT_TRUE(matrix.ok()) << matrix.status();
  EXPECT_THAT(matrix->methods(), ::testing::ElementsAre("GetBudget", "TransitionBudget:PUBLISH"));
  EXPECT_EQ(matrix->Cell("GetBudget", Principal::kAnonymous), Access::kDenied);
  EXPECT_EQ(matrix->Cell("GetBudget", Principal::kReviewer), Access::kInScope);
  EXPECT_EQ(matrix->Cell("TransitionBudget:PUBLISH", Principal::kAdmin), Access::kDenied);
  EXPECT_EQ(matrix->Cell("TransitionBudget:PUBLISH", Principal::kReviewer), Access::kInScope);
  EXPECT_FALSE(matrix->Cell("PutBudget", Principal::kAdmin).has_value());
}

void ExpectRefused(const std::string& markdown, const std::string& expected_text) {
  auto matrix = ParsePermissionTable(markdown);
  ASSERT_FALSE(matrix.ok()) << markdown;
  EXPECT_EQ(matrix.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(matrix.status().message()), HasSubstr(expected_text)) << markdown;
}

TEST(ParsePermissionTable, RefusesAnUnknownCellValue) {
  ExpectRefused(absl::StrCat(kHeader, "| GetBudget | - | scope | yes | scope | scope |\n"),
                "line 3: GetBudget, column reviewer: unknown value \"yes\"");
  ExpectRefused(absl::StrCat(kHeader, "| GetBudget | - | scope | | scope | scope |\n"), "unknown value \"\"");
}

TEST(ParsePermissionTable, RefusesADuplicateRow) {
  ExpectRefused(
      absl::StrCat(kHeader, "| GetBudget | - | scope | scope | scope | scope |\n",
                   "| PutBudget | - | scope | - | scope | - |\n", "| `GetBudget` | any | any | any | any | any |\n"),
      "line 5: method GetBudget appears twice");
}

TEST(ParsePermissionTable, RefusesScopeForAnonymous) {
  ExpectRefused(absl::StrCat(kHeader, "| GetBudget | scope | scope | scope | scope | scope |\n"),
                "anonymous column cannot say scope");
}

TEST(ParsePermissionTable, RefusesMalformedRowsAndHeaders) {
  ExpectRefused(absl::StrCat(kHeader, "| GetBudget | - | scope | scope | scope |\n"), "expected 6 cells, found 5");
  ExpectRefused(absl::StrCat(kHeader, "| | - | - | - | - | - |\n"), "invalid method name");
  ExpectRefused(absl::StrCat(kHeader, "| Get Budget | - | - | - | - | - |\n"), "invalid method name");
  ExpectRefused(
      "| method | anonymous | preparer | reviewer | integrator |\n|---|---|---|---|---|\n"
      "| GetBudget | - | scope | scope | scope |\n",
      "missing column \"admin\"");
  ExpectRefused(
      "| method | anonymous | preparer | reviewer | integrator | admin | auditor |\n"
      "|---|---|---|---|---|---|---|\n",
      "unknown column \"auditor\"");
  ExpectRefused(
      "| method | anonymous | preparer | reviewer | integrator | admin | admin |\n"
      "|---|---|---|---|---|---|---|\n",
      "column \"admin\" appears twice");
  ExpectRefused(
      "| method | anonymous | preparer | reviewer | integrator | admin |\n"
      "| GetBudget | - | scope | scope | scope | scope |\n",
      "line 2: expected the separator line");
  ExpectRefused(kHeader, "has no rows");
  ExpectRefused(absl::StrCat(kHeader, "| GetBudget | - | scope | scope | scope | scope |\n\n", kHeader,
                             "| PutBudget | - | scope | - | scope | - |\n"),
                "line 5: a second policy table (the first is at line 1)");
  ExpectRefused("# no table here\n", "has no policy table");
  ExpectRefused("", "has no policy table");
}

}  // namespace
}  // namespace yusuan::gateway::auth
