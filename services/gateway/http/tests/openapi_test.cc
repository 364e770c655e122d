// The OpenAPI document is generated from the route table (openapi.h); this
// proves the two agree and that the rest of the document is true:
//   - every row of the table has its operation (method, path, operationId,
//     permission) and every operation has its row; a concrete request for
//     each operation's path routes (MatchRestRoute) to that row;
//   - every schema that names a protobuf message lists exactly that
//     message's JSON fields with their JSON types, enums their values;
//   - the operations anyone may call are exactly the matrix's "any" rows
//     (plus the operational documents), the others need bearerAuth and
//     answer 401/403; a different matrix gives a different document;
//   - list operations carry the page_size of their row's limits;
//   - the gateway serves the document, and services/gateway/http/openapi.json
//     is that document byte for byte.
#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/gateway/auth/permissions.h"
#include "services/gateway/http/openapi.h"
#include "services/gateway/http/rest.h"
#include "services/gateway/http/rest_routes.h"

namespace yusuan::gateway {
namespace {

using nlohmann::json;

std::string DocumentText() {
  absl::StatusOr<std::string_view> document = OpenApiDocument();
  EXPECT_TRUE(document.ok()) << document.status();
  return document.ok() ? std::string(*document) : std::string();
}

const json& Document() {
  static const json* document = new json(json::parse(DocumentText(), nullptr, /*allow_exceptions=*/false));
  return *document;
}

std::string ReadSource(const std::string& relative) {
  std::ifstream in(std::string(YUSUAN_SOURCE_DIR) + "/" + relative, std::ios::binary);
  EXPECT_TRUE(in.good()) << relative;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// The document's path with concrete values for its parameters.
std::string Concrete(const std::string& path) {
  return ReplaceAll(ReplaceAll(ReplaceAll(ReplaceAll(ReplaceAll(path, "{region}", "420107"), "{agency}", "005001022"),
                                          "{year}", "2021"),
                               "{edition}", "2021"),
                    "{code}", "2070101");
}

const std::vector<std::string> kHttpMethods = {"get", "put", "post", "delete", "patch", "options", "head"};

// Every (method, path, operation) of the document.
std::vector<std::tuple<std::string, std::string, json>> Operations() {
  std::vector<std::tuple<std::string, std::string, json>> out;
  for (const auto& [path, item] : Document()["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      out.emplace_back(method, path, operation);
    }
  }
  return out;
}

// A parameter or response, through its $ref.
const json& Resolve(const json& node) {
  if (node.is_object() && node.contains("$ref")) {
    return Document().at(json::json_pointer(node["$ref"].get<std::string>().substr(1)));
  }
  return node;
}

TEST(OpenApi, IsAnOpenApi303Document) {
  const json& doc = Document();
  ASSERT_FALSE(doc.is_discarded()) << "openapi.json is not JSON";
  EXPECT_EQ(doc["openapi"], "3.0.3");
  EXPECT_TRUE(doc["info"].contains("title"));
  EXPECT_TRUE(doc["info"].contains("version"));
  const json& bearer = doc["components"]["securitySchemes"]["bearerAuth"];
  EXPECT_EQ(bearer["type"], "http");
  EXPECT_EQ(bearer["scheme"], "bearer");
  for (const char* schema : {"Filing", "Budget", "GoalSet", "Department", "TransitionBudgetRequest", "Error"}) {
    EXPECT_TRUE(doc["components"]["schemas"].contains(schema)) << schema;
  }
}

TEST(OpenApi, EveryReferenceResolves) {
  std::vector<std::string> broken;
  std::function<void(const json&)> walk = [&](const json& node) {
    if (node.is_object()) {
      for (const auto& [key, value] : node.items()) {
        if (key == "$ref") {
          const std::string ref = value.get<std::string>();
          if (ref.rfind("#/", 0) != 0 || !Document().contains(json::json_pointer(ref.substr(1)))) {
            broken.push_back(ref);
          }
        } else {
          walk(value);
        }
      }
    } else if (node.is_array()) {
      for (const json& item : node) walk(item);
    }
  };
  walk(Document());
  EXPECT_TRUE(broken.empty()) << broken.front();
}

TEST(OpenApi, EveryRowOfTheTableHasItsOperation) {
  std::set<std::string> operation_ids;
  for (const RestRouteSpec& spec : RestRoutes()) {
    const std::string what = std::string(spec.method) + " " + spec.path;
    const std::string path = OpenApiPath(spec.path);
    ASSERT_TRUE(Document()["paths"].contains(path)) << "openapi.json has no path for " << what;
    const json& item = Document()["paths"][path];
    std::string method = spec.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    ASSERT_TRUE(item.contains(method)) << "openapi.json has no operation for " << what;
    const json& operation = item[method];
    EXPECT_EQ(operation.value("operationId", ""), RestRouteOperationId(spec)) << what;
    EXPECT_TRUE(operation_ids.insert(RestRouteOperationId(spec)).second)
        << "operationId " << RestRouteOperationId(spec) << " twice";
    if (spec.access == RestAccess::kMatrix) {
      EXPECT_EQ(operation.value("x-yusuan-permission", ""), RestRoutePermission(spec)) << what;
    } else {
      EXPECT_FALSE(operation.contains("x-yusuan-permission")) << what;
    }
  }
}

TEST(OpenApi, EveryOperationHasItsRowAndRoutesToIt) {
  size_t operations = 0;
  for (const auto& [method, path, operation] : Operations()) {
    ASSERT_NE(std::find(kHttpMethods.begin(), kHttpMethods.end(), method), kHttpMethods.end()) << method;
    const std::string http = Upper(method);
    const RestRouteSpec* row = nullptr;
    for (const RestRouteSpec& spec : RestRoutes()) {
      if (spec.method == http && OpenApiPath(spec.path) == path) {
        EXPECT_EQ(row, nullptr) << http << " " << path << " has two rows";
        row = &spec;
      }
    }
    ASSERT_NE(row, nullptr) << "the route table has no row for the operation " << http << " " << path;
    EXPECT_EQ(operation.value("operationId", ""), RestRouteOperationId(*row));
    // The router, not only the table, takes the documented path to the row.
    std::string allowed;
    absl::StatusOr<RestRoute> route = MatchRestRoute(http, Concrete(path), &allowed);
    ASSERT_TRUE(route.ok()) << http << " " << path << ": " << route.status();
    EXPECT_EQ(route->spec, row) << http << " " << path;
    ++operations;
  }
  EXPECT_EQ(operations, RestRoutes().size());
  // Each workflow verb the router takes is its own operation.
  for (const char* verb : {"submit", "approve", "return", "publish"}) {
    const std::string path = std::string("/v1/regions/{region}/departments/{agency}/budgets/{year}:") + verb;
    EXPECT_TRUE(Document()["paths"].contains(path) && Document()["paths"][path].contains("post")) << path;
  }
}

TEST(OpenApi, ListOperationsPageByTheirRowsLimits) {
  int lists = 0;
  for (const RestRouteSpec& spec : RestRoutes()) {
    if (spec.pages == nullptr) continue;
    ++lists;
    std::string method = spec.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const json& operation = Document()["paths"][OpenApiPath(spec.path)][method];
    std::vector<std::string> names;
    for (const json& reference : operation.value("parameters", json::array())) {
      const json& parameter = Resolve(reference);
      names.push_back(parameter.value("name", ""));
      if (parameter.value("name", "") != "page_size") continue;
      EXPECT_EQ(reference["$ref"], std::string("#/components/parameters/") + spec.pages->openapi_parameter);
      const std::string description = parameter.value("description", "");
      EXPECT_NE(description.find("absent: " + std::to_string(spec.pages->default_size) + ";"), std::string::npos)
          << description;
      EXPECT_NE(description.find("at most " + std::to_string(spec.pages->max_size)), std::string::npos) << description;
    }
    EXPECT_EQ(std::count(names.begin(), names.end(), "page_size"), 1) << spec.path;
    EXPECT_EQ(std::count(names.begin(), names.end(), "page_token"), 1) << spec.path;
  }
  EXPECT_GE(lists, 6);
}

TEST(OpenApi, PathParametersAreDeclaredAndRequired) {
  const std::regex placeholder(R"(\{([a-z_]+)\})");
  for (const auto& [method, path, operation] : Operations()) {
    std::set<std::string> in_path;
    for (auto it = std::sregex_iterator(path.begin(), path.end(), placeholder); it != std::sregex_iterator(); ++it) {
      in_path.insert((*it)[1]);
    }
    std::set<std::string> declared;
    std::set<std::string> names;
    for (const json& reference : operation.value("parameters", json::array())) {
      const json& parameter = Resolve(reference);
      const std::string name = parameter["name"];
      EXPECT_TRUE(names.insert(parameter["in"].get<std::string>() + ":" + name).second)
          << method << " " << path << " declares " << name << " twice";
      if (parameter["in"] == "path") {
        declared.insert(name);
        EXPECT_EQ(parameter["required"], true) << name;
      }
    }
    EXPECT_EQ(declared, in_path) << method << " " << path;
  }
}

TEST(OpenApi, SecurityFollowsThePermissionMatrix) {
  absl::StatusOr<const auth::PermissionMatrix*> matrix = auth::DefaultPermissions();
  ASSERT_TRUE(matrix.ok()) << matrix.status();
  std::set<std::string> documented;
  const json anonymous_ok = json::array({json::object(), {{"bearerAuth", json::array()}}});
  const json token_only = json::array({{{"bearerAuth", json::array()}}});
  for (const auto& [method, path, operation] : Operations()) {
    const std::string what = method + " " + path;
    ASSERT_TRUE(operation.contains("security")) << what;
    const json& responses = operation["responses"];
    if (!operation.contains("x-yusuan-permission")) {
      // Operational documents: answered before any token is read.
      EXPECT_EQ(operation["security"], anonymous_ok) << what;
      EXPECT_TRUE(path == "/healthz" || path == "/metrics" || path == "/v1/openapi.json") << what;
      continue;
    }
    const std::string permission = operation["x-yusuan-permission"];
    documented.insert(permission);
    bool anyone = true;
    std::optional<auth::Access> anonymous;
    for (auth::Principal principal : auth::kAllPrincipals) {
      const std::optional<auth::Access> cell = (*matrix)->Cell(permission, principal);
      ASSERT_TRUE(cell.has_value()) << what << ": no matrix row " << permission;
      anyone = anyone && *cell == auth::Access::kAnyone;
      if (principal == auth::Principal::kAnonymous) anonymous = cell;
    }
    EXPECT_EQ(operation["security"], *anonymous == auth::Access::kAnyone ? anonymous_ok : token_only) << what;
    // A token that does not verify is refused everywhere; a role or scope
    // only where the matrix is not "any" for all.
    EXPECT_TRUE(responses.contains("401")) << what;
    EXPECT_EQ(responses.contains("403"), !anyone) << what;
  }
  for (const std::string& method : (*matrix)->methods()) {
    if (method.rfind("admin.", 0) == 0) continue;  // CLI operations, not REST
    EXPECT_TRUE(documented.count(method)) << "no operation for matrix row " << method;
  }
}

// The security of an operation comes from the matrix it is generated with:
// open GetBudget to everyone and its operation needs no token and has no
// 403; drop a row and the generation names it.
TEST(OpenApi, SecurityIsReadFromTheMatrix) {
  std::string markdown(auth::PermissionsMarkdown());
  const std::string row = "| `GetBudget` | - | scope | scope | scope | scope |";
  const size_t at = markdown.find(row);
  ASSERT_NE(at, std::string::npos) << "permissions.md changed; update this test's row";
  std::string open = markdown;
  open.replace(at, row.size(), "| `GetBudget` | any | any | any | any | any |");
  absl::StatusOr<auth::PermissionMatrix> matrix = auth::ParsePermissionTable(open);
  ASSERT_TRUE(matrix.ok()) << matrix.status();
  absl::StatusOr<std::string> generated = GenerateOpenApi(*matrix);
  ASSERT_TRUE(generated.ok()) << generated.status();
  const json document = json::parse(*generated, nullptr, false);
  const json& get = document["paths"]["/v1/regions/{region}/departments/{agency}/budgets/{year}"]["get"];
  EXPECT_EQ(get["security"], json::array({json::object(), {{"bearerAuth", json::array()}}}));
  EXPECT_TRUE(get["responses"].contains("401"));
  EXPECT_FALSE(get["responses"].contains("403"));

  std::string missing = markdown;
  missing.erase(at, missing.find('\n', at) + 1 - at);
  matrix = auth::ParsePermissionTable(missing);
  ASSERT_TRUE(matrix.ok()) << matrix.status();
  generated = GenerateOpenApi(*matrix);
  EXPECT_EQ(generated.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(generated.status().message().find("GET /v1/regions/{r}/departments/{a}/budgets/{y}"), std::string::npos)
      << generated.status();
}

TEST(OpenApi, ErrorsAreAip193) {
  const json& error = Document()["components"]["schemas"]["Error"]["properties"]["error"]["properties"];
  for (const char* field : {"code", "message", "status", "details"}) EXPECT_TRUE(error.contains(field)) << field;
  for (const auto& [method, path, operation] : Operations()) {
    for (const auto& [code, reference] : operation["responses"].items()) {
      if (code[0] == '2' || code[0] == '3') continue;
      const json& response = Resolve(reference);
      EXPECT_EQ(response["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Error")
          << method << " " << path << " " << code;
    }
  }
}

// "message:<full name>", "enum:<full name>" or the JSON type the protobuf
// JSON mapping gives one value of `field` (64-bit integers are strings, an
// Any is an object).
std::string ProtoJsonType(const google::protobuf::FieldDescriptor* field) {
  using F = google::protobuf::FieldDescriptor;
  switch (field->cpp_type()) {
    case F::CPPTYPE_INT32:
    case F::CPPTYPE_UINT32:
      return "integer";
    case F::CPPTYPE_INT64:
    case F::CPPTYPE_UINT64:
    case F::CPPTYPE_STRING:
      return "string";
    case F::CPPTYPE_DOUBLE:
    case F::CPPTYPE_FLOAT:
      return "number";
    case F::CPPTYPE_BOOL:
      return "boolean";
    case F::CPPTYPE_ENUM:
      return "enum:" + field->enum_type()->full_name();
    case F::CPPTYPE_MESSAGE:
      // Any's JSON mapping is an object of its own ({"@type": …, fields}).
      if (field->message_type()->full_name() == "google.protobuf.Any") return "object";
      return "message:" + field->message_type()->full_name();
  }
  return "?";
}

// The same for a schema of the document.
std::string SchemaType(const json& schema) {
  if (schema.contains("allOf") && schema["allOf"].size() == 1) return SchemaType(schema["allOf"][0]);
  if (schema.contains("$ref")) {
    const json& target = Resolve(schema);
    if (target.contains("x-proto-message")) return "message:" + target["x-proto-message"].get<std::string>();
    if (target.contains("x-proto-enum")) return "enum:" + target["x-proto-enum"].get<std::string>();
    return "ref:" + schema["$ref"].get<std::string>();
  }
  return schema.value("type", "?");
}

TEST(OpenApi, SchemasAreTheProtobufJsonOfTheirMessages) {
  const google::protobuf::DescriptorPool* pool = google::protobuf::DescriptorPool::generated_pool();
  int messages = 0;
  for (const auto& [name, schema] : Document()["components"]["schemas"].items()) {
    if (schema.contains("x-proto-enum")) {
      const google::protobuf::EnumDescriptor* type = pool->FindEnumTypeByName(schema["x-proto-enum"]);
      ASSERT_NE(type, nullptr) << name;
      std::vector<std::string> values;
      for (int i = 0; i < type->value_count(); ++i) values.push_back(type->value(i)->name());
      EXPECT_EQ(schema["enum"].get<std::vector<std::string>>(), values) << name;
      continue;
    }
    if (!schema.contains("x-proto-message")) continue;
    const google::protobuf::Descriptor* type = pool->FindMessageTypeByName(schema["x-proto-message"]);
    ASSERT_NE(type, nullptr) << name << " names " << schema["x-proto-message"];
    EXPECT_EQ(name, type->name());
    ++messages;
    std::set<std::string> fields;
    for (int i = 0; i < type->field_count(); ++i) {
      const google::protobuf::FieldDescriptor* field = type->field(i);
      fields.insert(field->json_name());
      const std::string where = name + "." + field->json_name();
      ASSERT_TRUE(schema["properties"].contains(field->json_name())) << "openapi.json lacks " << where;
      const json& property = schema["properties"][field->json_name()];
      if (field->is_repeated()) {
        ASSERT_EQ(property.value("type", ""), "array") << where;
        EXPECT_EQ(SchemaType(property["items"]), ProtoJsonType(field)) << where;
      } else {
        EXPECT_EQ(SchemaType(property), ProtoJsonType(field)) << where;
      }
    }
    for (const auto& [property, unused] : schema["properties"].items()) {
      EXPECT_TRUE(fields.count(property)) << name << "." << property << " is not a field of " << type->full_name();
    }
  }
  EXPECT_GE(messages, 20);
}

TEST(OpenApi, TheGatewayServesTheDocument) {
  httplib::Request request;
  request.method = "GET";
  request.path = "/v1/openapi.json";
  request.headers.emplace("Authorization", "Bearer not-checked-here");
  httplib::Response response;
  RestServer server(nullptr);  // answered before any orchestrator call
  server.Handle(request, "", response);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(response.body, DocumentText());
}

TEST(OpenApi, TheCheckedInDocumentIsTheGeneratedOne) {
  EXPECT_EQ(ReadSource("services/gateway/http/openapi.json"), DocumentText())
      << "services/gateway/http/openapi.json is stale: cmake --build <build> --target gateway_openapi_json";
}

TEST(OpenApi, TheBuildEmbeddedTheCurrentComponents) {
  EXPECT_EQ(ReadSource("services/gateway/http/openapi_components.json"), std::string(OpenApiComponents()))
      << "re-run cmake: openapi_components.json changed";
}

}  // namespace
}  // namespace yusuan::gateway
