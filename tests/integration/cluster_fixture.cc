#include "tests/integration/cluster_fixture.h"

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>

#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace yusuan::testing {

Filing LoadSample() {
  Filing filing;
  auto status = google::protobuf::util::JsonStringToMessage(ReadFile(SampleFilingPath()), &filing);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return filing;
}

std::string ToJson(const google::protobuf::Message& message) {
  std::string json;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(message, &json).ok());
  return json;
}

std::vector<std::string> ViolatedFields(const grpc::Status& status) {
  std::vector<std::string> fields;
  google::rpc::Status rpc;
  if (!rpc.ParseFromString(status.error_details())) return fields;
  for (const auto& any : rpc.details()) {
    google::rpc::BadRequest bad;
    if (any.UnpackTo(&bad)) {
      for (const auto& v : bad.field_violations()) fields.push_back(v.field());
    }
  }
  return fields;
}

std::vector<std::string> ViolatedFields(const nlohmann::json& body) {
  std::vector<std::string> fields;
  if (!body.contains("error")) return fields;
  for (const auto& detail : body["error"].value("details", nlohmann::json::array())) {
    if (detail.value("@type", "") != "type.googleapis.com/google.rpc.BadRequest") continue;
    for (const auto& v : detail.value("fieldViolations", nlohmann::json::array())) {
      fields.push_back(v.value("field", ""));
    }
  }
  return fields;
}

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string Joined(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& s : list) out += s + "; ";
  return out;
}

std::string& CliToken() {
  static auto* token = new std::string();
  return *token;
}

int RunCli(const std::string& gateway, const std::string& args, std::string* output) {
  return RunCliAt(gateway, CliToken(), args, output);
}

}  // namespace yusuan::testing
