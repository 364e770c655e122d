#include "services/gateway/http/route_patterns.h"

#include "absl/strings/str_cat.h"

namespace yusuan::gateway {

std::string RestRoutePattern(const RestRouteSpec& spec) { return absl::StrCat(spec.method, " ", spec.path); }

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

}  // namespace yusuan::gateway
