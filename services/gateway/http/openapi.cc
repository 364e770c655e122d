#include "services/gateway/http/openapi.h"

#include <httplib.h>

#include <regex>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "nlohmann/json.hpp"
#include "services/common/errors.h"
#include "services/gateway/http/rest_routes.h"

namespace yusuan::gateway {
namespace {

// Insertion order is kept, so the document reads in the table's order.
using Json = nlohmann::ordered_json;

Json Ref(const std::string& kind, const std::string& name) {
  return Json{{"$ref", absl::StrCat("#/components/", kind, "/", name)}};
}

absl::Status RowError(const RestRouteSpec& spec, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat("路由表 ", spec.method, " ", spec.path, " 一行有误：", what,
                                                 " / the route table's row ", spec.method, " ", spec.path, ": ", what,
                                                 " (services/gateway/http/rest_routes.cc)"));
}

absl::StatusOr<Json> ParseFragment(const RestRouteSpec& spec, const char* text) {
  Json parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) return RowError(spec, "JSON 无效 / invalid JSON");
  return parsed;
}

// A schema column: a name of components/schemas, or a schema object.
absl::StatusOr<Json> Schema(const RestRouteSpec& spec, const char* schema) {
  if (schema[0] == '{') return ParseFragment(spec, schema);
  return Ref("schemas", schema);
}

// The answers a row names besides 200: "400", "400:RejectedByRules", …
absl::Status AddAnswers(const RestRouteSpec& spec, Json& responses) {
  for (absl::string_view token : absl::StrSplit(spec.answers, ' ', absl::SkipEmpty())) {
    const std::vector<std::string> parts = absl::StrSplit(token, absl::MaxSplits(':', 1));
    const std::string& code = parts[0];
    if (code == "304") {
      responses["304"] = Json{{"description", "Not modified (If-None-Match named the current ETag)"}};
      continue;
    }
    std::string name = parts.size() == 2 ? parts[1] : "";
    if (name.empty()) {
      name = code == "400" ? "BadRequest" : code == "404" ? "NotFound" : code == "409" ? "Conflict" : "";
    }
    if (name.empty()) return RowError(spec, absl::StrCat("未知的应答 / unknown answer ", token));
    responses[code] = Ref("responses", name);
  }
  return absl::OkStatus();
}

absl::StatusOr<Json> Operation(const RestRouteSpec& spec, const auth::PermissionMatrix& matrix) {
  Json operation;
  operation["operationId"] = RestRouteOperationId(spec);
  operation["summary"] = spec.summary;
  if (spec.description != nullptr) operation["description"] = spec.description;
  operation["tags"] = Json::array({spec.tag});

  const Json anyone = Json::array({Json::object(), Json{{"bearerAuth", Json::array()}}});
  const Json token = Json::array({Json{{"bearerAuth", Json::array()}}});
  bool everyone = true;  // every column of the matrix is "any"
  if (spec.access == RestAccess::kOperational) {
    operation["security"] = anyone;
  } else {
    const std::string permission = RestRoutePermission(spec);
    operation["x-yusuan-permission"] = permission;
    bool anonymous = false;
    for (auth::Principal principal : auth::kAllPrincipals) {
      const std::optional<auth::Access> cell = matrix.Cell(permission, principal);
      if (!cell.has_value()) {
        return RowError(
            spec, absl::StrCat("权限表没有 ", permission, " 这一行 / the permission matrix has no row ", permission));
      }
      everyone = everyone && *cell == auth::Access::kAnyone;
      if (principal == auth::Principal::kAnonymous) anonymous = *cell == auth::Access::kAnyone;
    }
    operation["security"] = anonymous ? anyone : token;
  }

  Json parameters = Json::array();
  static const std::regex kPlaceholder(R"(\{([a-z_]+)\})");
  const std::string path = OpenApiPath(spec.path);
  for (auto it = std::sregex_iterator(path.begin(), path.end(), kPlaceholder); it != std::sregex_iterator(); ++it) {
    parameters.push_back(Ref("parameters", (*it)[1]));
  }
  for (absl::string_view name : absl::StrSplit(spec.parameters, ' ', absl::SkipEmpty())) {
    parameters.push_back(Ref("parameters", std::string(name)));
  }
  if (spec.pages != nullptr) {
    parameters.push_back(Ref("parameters", spec.pages->openapi_parameter));
    parameters.push_back(Ref("parameters", "page_token"));
  }
  if (!parameters.empty()) operation["parameters"] = parameters;

  if (spec.body.json != nullptr) {
    absl::StatusOr<Json> body = ParseFragment(spec, spec.body.json);
    if (!body.ok()) return body.status();
    operation["requestBody"] = *body;
  } else if (spec.body.schema != nullptr) {
    Json body;
    body["required"] = spec.body.required;
    body["content"]["application/json"]["schema"] = Ref("schemas", spec.body.schema);
    if (spec.body.description != nullptr) body["description"] = spec.body.description;
    operation["requestBody"] = body;
  }

  Json responses;
  if (spec.ok.json != nullptr) {
    absl::StatusOr<Json> ok = ParseFragment(spec, spec.ok.json);
    if (!ok.ok()) return ok.status();
    responses["200"] = *ok;
  } else {
    if (spec.ok.description == nullptr || spec.ok.schema == nullptr) {
      return RowError(spec, "缺少 200 应答 / no 200 answer");
    }
    absl::StatusOr<Json> schema = Schema(spec, spec.ok.schema);
    if (!schema.ok()) return schema.status();
    responses["200"]["description"] = spec.ok.description;
    responses["200"]["content"][spec.ok.media_type]["schema"] = *schema;
  }
  if (absl::Status answers = AddAnswers(spec, responses); !answers.ok()) return answers;
  if (spec.access == RestAccess::kMatrix) {
    // A token that does not verify is refused on every route that reads
    // one; a role or scope only where the matrix is not "any" for all.
    responses["401"] = Ref("responses", "Unauthenticated");
    if (!everyone) responses["403"] = Ref("responses", "PermissionDenied");
  }
  responses["default"] = Ref("responses", "Error");
  operation["responses"] = responses;
  return operation;
}

// page_size as a row's limits say it.
Json PageSizeParameter(const PageLimits& limits) {
  return Json{{"name", "page_size"},
              {"in", "query"},
              {"required", false},
              {"description",
               absl::StrCat("Items per page (0 or absent: ", limits.default_size, "; at most ", limits.max_size, ")")},
              {"schema", {{"type", "integer"}, {"minimum", 0}}}};
}

}  // namespace

absl::StatusOr<std::string> GenerateOpenApi(const auth::PermissionMatrix& matrix) {
  const Json components = Json::parse(OpenApiComponents(), nullptr, /*allow_exceptions=*/false);
  if (components.is_discarded() || !components.is_object() || !components.contains("components")) {
    return absl::InternalError(
        "openapi_components.json 不是有效的 JSON 文档 / openapi_components.json is not a valid JSON document");
  }
  Json paths;
  Json pages;
  for (const RestRouteSpec& spec : RestRoutes()) {
    absl::StatusOr<Json> operation = Operation(spec, matrix);
    if (!operation.ok()) return operation.status();
    paths[OpenApiPath(spec.path)][absl::AsciiStrToLower(spec.method)] = *operation;
    if (spec.pages != nullptr) pages[spec.pages->openapi_parameter] = PageSizeParameter(*spec.pages);
  }
  // The paths go before the components, as a reader expects them.
  Json document;
  for (const auto& [key, value] : components.items()) {
    if (key == "components") document["paths"] = paths;
    document[key] = value;
  }
  for (const auto& [name, parameter] : pages.items()) document["components"]["parameters"][name] = parameter;
  return document.dump(2, ' ', /*ensure_ascii=*/false) + "\n";
}

absl::StatusOr<std::string_view> OpenApiDocument() {
  // Generated once: the table and the matrix are fixed in a binary.
  static const auto* document = [] {
    absl::StatusOr<const auth::PermissionMatrix*> matrix = auth::DefaultPermissions();
    if (!matrix.ok()) return new absl::StatusOr<std::string>(matrix.status());
    return new absl::StatusOr<std::string>(GenerateOpenApi(**matrix));
  }();
  if (!document->ok()) return document->status();
  return std::string_view(**document);
}

void ServeOpenApi(httplib::Response& response) {
  absl::StatusOr<std::string_view> document = OpenApiDocument();
  if (!document.ok()) {
    response.status = HttpStatusFor(document.status().code());
    response.set_content(ToAip193Json(document.status()), "application/json; charset=utf-8");
    return;
  }
  response.status = 200;
  // The document changes only with the binary; clients may keep it for a
  // while but should notice a new gateway.
  response.set_header("Cache-Control", "public, max-age=300");
  response.set_content(std::string(*document), "application/json");
}

}  // namespace yusuan::gateway
