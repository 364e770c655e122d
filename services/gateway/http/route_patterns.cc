#include "services/gateway/http/route_patterns.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "yusuan/gateway/v1/gateway.pb.h"

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
