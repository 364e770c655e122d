#include "services/gateway/route_patterns.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "yusuan/gateway/v1/gateway.pb.h"

namespace yusuan::gateway {
namespace {

constexpr char kBudget[] = "/v1/regions/{r}/departments/{a}/budgets/{y}";

}  // namespace

std::string RestRoutePattern(RestKind kind, const std::string& verb) {
  const std::string budget = kBudget;
  // No default: a RestKind added to rest.h without a pattern is a compile
  // error here, which keeps metrics, logs and the OpenAPI test complete.
  switch (kind) {
    case RestKind::kHealth:
      return "GET /healthz";
    case RestKind::kMetrics:
      return "GET /metrics";
    case RestKind::kOpenApi:
      return "GET /v1/openapi.json";
    case RestKind::kListRules:
      return "GET /v1/rules";
    case RestKind::kApplyFiling:
      return "POST /v1/filings:apply";
    case RestKind::kValidateFiling:
      return "POST /v1/filings:validate";
    case RestKind::kListDepartments:
      return "GET /v1/regions/{r}/departments";
    case RestKind::kCreateDepartment:
      return "POST /v1/regions/{r}/departments";
    case RestKind::kGetDepartment:
      return "GET /v1/regions/{r}/departments/{a}";
    case RestKind::kGetBudget:
      return "GET " + budget;
    case RestKind::kPutBudget:
      return "PUT " + budget;
    case RestKind::kValidateBudget:
      return "POST " + budget + ":validate";
    case RestKind::kWorkflowVerb: {
      // Only the four verbs the router accepts become label values; the
      // label set stays bounded whatever a client sends.
      const bool known = verb == "submit" || verb == "approve" || verb == "return" || verb == "publish";
      return absl::StrCat("POST ", budget, ":", known ? verb : "{verb}");
    }
    case RestKind::kListVersions:
      return "GET " + budget + "/versions";
    case RestKind::kListRevisions:
      return "GET " + budget + "/revisions";
    case RestKind::kDiffRevisions:
      return "GET " + budget + "/revisions:diff";
    case RestKind::kGetGoals:
      return "GET " + budget + "/goals";
    case RestKind::kPutGoals:
      return "PUT " + budget + "/goals";
    case RestKind::kListGoalsRevisions:
      return "GET " + budget + "/goals/revisions";
    case RestKind::kDiffGoalsRevisions:
      return "GET " + budget + "/goals/revisions:diff";
    case RestKind::kGetReport:
      return "GET " + budget + "/report";
    case RestKind::kGetPublished:
      return "GET " + budget + "/published";
    case RestKind::kVerifyArtifact:
      return "POST /v1/artifacts:verify";
    case RestKind::kListPublished:
      return "GET /v1/published";
    case RestKind::kListSubmissions:
      return "GET /v1/regions/{r}/submissions";
    case RestKind::kListCatalogues:
      return "GET /v1/catalogues";
    case RestKind::kGetCatalogue:
      return "GET /v1/catalogues/{edition}";
    case RestKind::kGetCatalogueCode:
      return "GET /v1/catalogues/{edition}/codes/{code}";
    case RestKind::kDiffCatalogues:
      return "GET /v1/catalogues/{edition}:diff";
    case RestKind::kImportCatalogue:
      return "POST /v1/catalogues/{edition}:import";
  }
  return "";  // not a RestKind (AllRestKinds relies on this)
}

std::vector<RestKind> AllRestKinds() {
  std::vector<RestKind> kinds;
  // Enumerators are 0, 1, 2, … (none has an explicit value), and every one
  // has a pattern; the first integer without one is past the last kind.
  for (int i = 0; i < 1000; ++i) {
    const auto kind = static_cast<RestKind>(i);
    if (RestRoutePattern(kind, "submit").empty()) break;
    kinds.push_back(kind);
  }
  return kinds;
}

std::string UnmatchedRoutePattern(const std::string& method) {
  // The method too is bounded: httplib only dispatches the methods the
  // server registered (GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE).
  return absl::StrCat(method, " (unmatched)");
}

std::string WebPagePattern(const std::string& method, const std::string& path) {
  if (path.rfind("/disclosures/", 0) == 0) return absl::StrCat(method, " /disclosures/{budget}");
  if (path == "/" || path == "/review") return absl::StrCat(method, " ", path);
  return absl::StrCat(method, " (web page)");
}

std::string PublicRpcName(const google::protobuf::Descriptor* request_type) {
  // Built once: the descriptor of PublicApi never changes in a process.
  static const auto* names = [] {
    auto* map = new std::map<std::string, std::string>();
    const google::protobuf::ServiceDescriptor* service =
        yusuan::gateway::v1::ApplyFilingRequest::descriptor()->file()->FindServiceByName("PublicApi");
    if (service != nullptr) {
      for (int i = 0; i < service->method_count(); ++i) {
        const google::protobuf::MethodDescriptor* method = service->method(i);
        map->emplace(method->input_type()->full_name(), method->name());
      }
    }
    return map;
  }();
  if (request_type == nullptr) return "";
  const auto found = names->find(request_type->full_name());
  return found == names->end() ? request_type->full_name() : found->second;
}

}  // namespace yusuan::gateway
