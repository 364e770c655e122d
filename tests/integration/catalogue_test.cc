// Classification catalogues end to end, on a cluster of their own (imports
// change what the ledger serves, which the other suites must not see):
// import as admin over the CLI and REST, refused for a preparer and without
// a token; the stored edition over REST, gRPC and the CLI, also after the
// ledger restarts; refused once a submitted budget uses the edition; the
// diff of 2021 and 2022.
#include <httplib.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/security/token.h"
#include "tests/integration/harness.h"
#include "tests/integration/shared_cluster.h"
#include "yusuan/gateway/v1/gateway.grpc.pb.h"

namespace yusuan::testing {
namespace {

namespace lv1 = yusuan::ledger::v1;
using nlohmann::json;
using yusuan::gateway::v1::PublicApi;
using yusuan::security::Role;

// 2026 is shipped (2025 unchanged) and no filing of the tests uses it.
constexpr char kCsv[] =
    "科目编码,科目名称,级次,预算\n"
    "201,一般公共服务支出,类,\n"
    "20101,人大事务,款,\n"
    "2010101,行政运行（导入）,项,一般公共预算\n"
    "2010102,一般行政管理事务,项,\n"
    "207,文化旅游体育与传媒支出,类,\n"
    "20707,国家电影事业发展专项资金安排的支出,款,\n"
    "2070701,资助国产影片放映,项,\n"
    "301,工资福利支出,类,\n"
    "30101,基本工资,款,\n"
    "501,机关工资福利支出,类,\n"
    "50101,工资奖金津补贴,款,\n";

class CatalogueClusterTest : public SharedClusterTest<CatalogueClusterTest> {
 protected:
  static std::string Token(Role role, const std::string& scope = "regions/") {
    return TestToken(*cluster_, role, "catalogue-test", scope);
  }
  std::unique_ptr<PublicApi::Stub> Api() { return PublicApi::NewStub(cluster_->GatewayChannel()); }
  static std::unique_ptr<grpc::ClientContext> Context(const std::string& token = "") {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
    return context;
  }
  httplib::Client Http(const std::string& token = "") {
    httplib::Client client("127.0.0.1", cluster_->gateway_http_port());
    client.set_read_timeout(60, 0);
    if (!token.empty()) client.set_default_headers({{"Authorization", "Bearer " + token}});
    return client;
  }
  // The CLI against this cluster's gateway; exit status and what it printed.
  int RunCli(const std::string& token, const std::string& args, std::string* output) {
    return RunCliAt(cluster_->gateway_grpc(), token, args, output);
  }
  std::string WriteFile(const std::string& name, const std::string& content) {
    const std::string path = dir_->path() + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
};

TEST_F(CatalogueClusterTest, AnAdminImportsAnEditionThatEveryFaceServesAlsoAfterARestart) {
  const std::string file = WriteFile("2026.csv", kCsv);
  std::string printed;
  // Not a preparer, not a provincial admin, not anonymous.
  EXPECT_EQ(RunCli(Token(Role::kPreparer), "admin catalogue import --edition 2026 " + file, &printed), 1) << printed;
  EXPECT_NE(printed.find("preparer"), std::string::npos) << printed;
  httplib::Result refused =
      Http(Token(Role::kAdmin, "regions/42")).Post("/v1/catalogues/2026:import", kCsv, "text/csv");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403) << refused->body;
  refused = Http().Post("/v1/catalogues/2026:import", kCsv, "text/csv");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401) << refused->body;
  httplib::Result listed = Http().Get("/v1/catalogues");
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->status, 200) << listed->body;
  const json shipped = json::parse(listed->body);
  for (const json& e : shipped["editions"]) {
    EXPECT_EQ(e["origin"], "CATALOGUE_ORIGIN_SHIPPED") << e.dump();
  }

  // The admin.
  printed.clear();
  ASSERT_EQ(RunCli(Token(Role::kAdmin), "admin catalogue import --edition 2026 " + file, &printed), 0) << printed;
  EXPECT_NE(printed.find("version 1"), std::string::npos) << printed;

  auto check_served = [&](int64_t version) {
    // REST, anonymous: the list and the edition.
    httplib::Result list = Http().Get("/v1/catalogues");
    ASSERT_TRUE(list);
    ASSERT_EQ(list->status, 200) << list->body;
    bool found = false;
    const json editions = json::parse(list->body);
    for (const json& e : editions["editions"]) {
      if (e["edition"] != 2026) continue;
      found = true;
      EXPECT_EQ(e["origin"], "CATALOGUE_ORIGIN_STORED");
      EXPECT_EQ(e["version"], std::to_string(version));
      EXPECT_EQ(e["importedBy"], "catalogue-test");
      EXPECT_EQ(e["sourceFile"], "2026.csv");
    }
    EXPECT_TRUE(found) << list->body;
    httplib::Result edition = Http().Get("/v1/catalogues/2026");
    ASSERT_TRUE(edition);
    ASSERT_EQ(edition->status, 200) << edition->body.substr(0, 300);
    const json catalogue = json::parse(edition->body);
    EXPECT_EQ(catalogue["entries"].size(), 11u);
    EXPECT_EQ(catalogue["about"]["origin"], "CATALOGUE_ORIGIN_STORED");
    bool renamed = false;
    for (const json& entry : catalogue["entries"]) renamed = renamed || entry["name"] == "行政运行（导入）";
    EXPECT_TRUE(renamed) << edition->body.substr(0, 500);

    // One code over REST and gRPC; its budget came from the shipped edition.
    httplib::Result code = Http().Get("/v1/catalogues/2026/codes/2070701");
    ASSERT_TRUE(code);
    ASSERT_EQ(code->status, 200) << code->body;
    const json detail = json::parse(code->body);
    EXPECT_EQ(detail["levelName"], "项");
    EXPECT_EQ(detail["entry"]["budgets"], json::array({"BUDGET_KIND_GOVERNMENT_FUND"}));
    ASSERT_EQ(detail["parents"].size(), 2u);
    EXPECT_EQ(detail["parents"][0]["code"], "207");
    EXPECT_EQ(detail["parents"][1]["code"], "20707");
    lv1::GetCatalogueCodeRequest request;
    request.set_edition(2026);
    request.set_code("20101");
    lv1::CatalogueCodeDetail section;
    grpc::Status status = Api()->GetCatalogueCode(Context().get(), request, &section);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(section.entry().name(), "人大事务");
    ASSERT_EQ(section.children_size(), 2);
    EXPECT_EQ(section.children(0).name(), "行政运行（导入）");

    // And the CLI, without a token.
    std::string shown;
    EXPECT_EQ(RunCli("", "catalogue show 2026 2010101", &shown), 0) << shown;
    EXPECT_NE(shown.find("行政运行（导入）"), std::string::npos) << shown;
    EXPECT_NE(shown.find("201 一般公共服务支出 › 20101 人大事务"), std::string::npos) << shown;
    shown.clear();
    EXPECT_EQ(RunCli("", "catalogue list", &shown), 0) << shown;
    EXPECT_NE(shown.find("2026"), std::string::npos) << shown;
  };
  check_served(1);

  std::string error;
  ASSERT_TRUE(cluster_->RestartLedger(/*kill_hard=*/false, &error)) << error;
  check_served(1);

  // A second import is version 2; the first is kept.
  httplib::Result second =
      Http(Token(Role::kAdmin)).Post("/v1/catalogues/2026:import?file_name=2026.csv", kCsv, "text/csv");
  ASSERT_TRUE(second);
  ASSERT_EQ(second->status, 200) << second->body;
  EXPECT_EQ(json::parse(second->body)["version"], "2");
  check_served(2);
  httplib::Result first = Http().Get("/v1/catalogues/2026?version=1");
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 200) << first->body.substr(0, 300);
  EXPECT_EQ(json::parse(first->body)["about"]["version"], "1");
}

TEST_F(CatalogueClusterTest, ABadFileIsRefusedNamingRowAndColumnAndAbsentCodesAre404) {
  std::string bad = kCsv;
  bad += "2010103,机关服务,款,\n";
  httplib::Result refused =
      Http(Token(Role::kAdmin)).Post("/v1/catalogues/2025:import?file_name=2025.csv", bad, "text/csv");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400) << refused->body;
  EXPECT_NE(refused->body.find("2025.csv row 13, column C (级次)"), std::string::npos) << refused->body;

  httplib::Result code = Http().Get("/v1/catalogues/2021/codes/2999999");
  ASSERT_TRUE(code);
  EXPECT_EQ(code->status, 404) << code->body;
  EXPECT_NE(code->body.find("2999999"), std::string::npos) << code->body;
  EXPECT_NE(code->body.find("GET /v1/catalogues/2021"), std::string::npos) << code->body;
  httplib::Result edition = Http().Get("/v1/catalogues/1999");
  ASSERT_TRUE(edition);
  EXPECT_EQ(edition->status, 404) << edition->body;
  EXPECT_NE(edition->body.find("1999"), std::string::npos) << edition->body;
  lv1::GetCatalogueRequest request;
  request.set_edition(1999);
  lv1::Catalogue catalogue;
  EXPECT_EQ(Api()->GetCatalogue(Context().get(), request, &catalogue).error_code(), grpc::StatusCode::NOT_FOUND);

  // The rule hint for unknown codes points at these: they list the codes.
  httplib::Result listed = Http().Get("/v1/catalogues/2021");
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->status, 200);
  EXPECT_GT(json::parse(listed->body)["entries"].size(), 1500u);
  std::string shown;
  EXPECT_EQ(RunCli("", "catalogue show 2021", &shown), 0) << shown.substr(0, 300);
  EXPECT_NE(shown.find("2010101  项  行政运行"), std::string::npos) << shown.substr(0, 300);
}

TEST_F(CatalogueClusterTest, TheDiffOf2021And2022ListsClass234RetiredOnEveryFace) {
  httplib::Result diff = Http().Get("/v1/catalogues/2022:diff?from=2021");
  ASSERT_TRUE(diff);
  ASSERT_EQ(diff->status, 200) << diff->body;
  bool retired = false;
  const json changes = json::parse(diff->body);
  for (const json& change : changes["changes"]) {
    if (change["code"] == "234") {
      retired = change["change"] == "CATALOGUE_CHANGE_KIND_RETIRED";
      EXPECT_EQ(change["before"], "抗疫特别国债安排的支出");
    }
  }
  EXPECT_TRUE(retired) << diff->body.substr(0, 500);

  lv1::DiffCataloguesRequest request;
  request.set_from_edition(2021);
  request.set_to_edition(2022);
  lv1::CatalogueDiff answer;
  grpc::Status status = Api()->DiffCatalogues(Context().get(), request, &answer);
  ASSERT_TRUE(status.ok()) << status.error_message();
  bool grpc_retired = false;
  for (const auto& change : answer.changes()) {
    grpc_retired = grpc_retired || (change.code() == "234" && change.change() == lv1::CATALOGUE_CHANGE_KIND_RETIRED);
  }
  EXPECT_TRUE(grpc_retired);

  std::string printed;
  EXPECT_EQ(RunCli("", "catalogue diff 2021 2022", &printed), 0) << printed;
  EXPECT_NE(printed.find("停用 retired  234 类  抗疫特别国债安排的支出"), std::string::npos) << printed;

  httplib::Result no_from = Http().Get("/v1/catalogues/2022:diff");
  ASSERT_TRUE(no_from);
  EXPECT_EQ(no_from->status, 400) << no_from->body;
  EXPECT_NE(no_from->body.find("query parameter from"), std::string::npos) << no_from->body;
}

TEST_F(CatalogueClusterTest, AnEditionASubmittedBudgetUsesCannotBeReimported) {
  yusuan::gateway::v1::Filing filing;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(ReadFile(SampleFilingPath()), &filing).ok());
  yusuan::gateway::v1::ApplyFilingRequest apply;
  *apply.mutable_filing() = filing;
  yusuan::gateway::v1::ApplyFilingResponse applied;
  grpc::Status status = Api()->ApplyFiling(Context(Token(Role::kIntegrator)).get(), apply, &applied);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const int edition = applied.budget().catalogue_edition();
  ASSERT_EQ(edition, 2021);
  lv1::TransitionBudgetRequest submit;
  submit.set_name(applied.budget().name());
  submit.set_action(lv1::WORKFLOW_ACTION_SUBMIT);
  lv1::BudgetVersion version;
  status = Api()->TransitionBudget(Context(Token(Role::kIntegrator)).get(), submit, &version);
  ASSERT_TRUE(status.ok()) << status.error_message();

  lv1::ImportCatalogueRequest import;
  import.set_edition(2021);
  import.set_file_name("2021.csv");
  import.set_content(kCsv);
  lv1::CatalogueEdition stored;
  status = Api()->ImportCatalogue(Context(Token(Role::kAdmin)).get(), import, &stored);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_NE(status.error_message().find(applied.budget().name()), std::string::npos) << status.error_message();
  // Still the shipped edition.
  lv1::GetCatalogueRequest get;
  get.set_edition(2021);
  lv1::Catalogue catalogue;
  ASSERT_TRUE(Api()->GetCatalogue(Context().get(), get, &catalogue).ok());
  EXPECT_EQ(catalogue.about().origin(), lv1::CATALOGUE_ORIGIN_SHIPPED);
}

}  // namespace
}  // namespace yusuan::testing
