// End-to-end tests on the four real binaries, over gRPC and REST.
#include <httplib.h>

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <memory>
#include <string>

#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/gateway/auth/permissions.h"
#include "services/security/internal_secret.h"
#include "services/security/signing_key.h"
#include "services/security/token.h"
#include "tests/integration/harness.h"
#include "tests/integration/shared_cluster.h"
#include "yusuan/gateway/v1/gateway.grpc.pb.h"
#include "yusuan/goals/v1/goals.grpc.pb.h"
#include "yusuan/report/v1/report.grpc.pb.h"
#include "yusuan/goals/v1/goals.pb.h"
#include "yusuan/report/v1/report.pb.h"
#include "yusuan/ledger/v1/ledger_service.grpc.pb.h"

namespace yusuan::testing {
namespace {

using yusuan::gateway::v1::Filing;
using yusuan::gateway::v1::PublicApi;
using yusuan::security::Role;
using yusuan::security::TokenClaims;

constexpr char kBudget[] = "regions/420107/departments/005001022/budgets/2021";
constexpr char kDepartment[] = "regions/420107/departments/005001022";

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

// The field paths of every BadRequest violation in a gRPC error.
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

// The token the CLI runs with (an integrator's; set once the cluster runs).
std::string& CliToken() {
  static auto* token = new std::string();
  return *token;
}

class ClusterTest : public SharedClusterTest<ClusterTest> {
 protected:
  static void SetUpTestSuite() {
    SharedClusterTest::SetUpTestSuite();
    if (started_) CliToken() = Token(Role::kIntegrator);
  }

  std::unique_ptr<PublicApi::Stub> Api() { return PublicApi::NewStub(cluster_->GatewayChannel()); }
  // A bearer token for `role` over every region, valid for the test.
  static std::string Token(Role role) { return TestToken(*cluster_, role, "cluster-test"); }
  static int64_t NowSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  // A REST client; by default it files and reads as an integrator (the
  // department's platform), std::nullopt sends no token.
  httplib::Client Http(std::optional<Role> role = Role::kIntegrator) {
    httplib::Client client("127.0.0.1", cluster_->gateway_http_port());
    client.set_read_timeout(60, 0);
    if (role.has_value()) client.set_default_headers({{"Authorization", "Bearer " + Token(*role)}});
    return client;
  }
  // A gRPC call context with the token of `role` (std::nullopt: none).
  static std::unique_ptr<grpc::ClientContext> Context(std::optional<Role> role = Role::kIntegrator) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    if (role.has_value()) context->AddMetadata("authorization", "Bearer " + Token(*role));
    return context;
  }
  // The role that takes a workflow step: the department submits, the
  // finance bureau approves, returns and publishes.
  static std::unique_ptr<grpc::ClientContext> StepContext(yusuan::ledger::v1::WorkflowAction action) {
    return Context(action == yusuan::ledger::v1::WORKFLOW_ACTION_SUBMIT ? Role::kIntegrator
                                                                        : Role::kReviewer);
  }
  // A call straight to a backend, as the gateway makes it.
  static std::unique_ptr<grpc::ClientContext> BackendContext() {
    auto context = Context(std::nullopt);
    context->AddMetadata(yusuan::security::kInternalCredentialHeader, cluster_->internal_secret().credential());
    return context;
  }
  // A workflow step through the gateway, by the role that takes it.
  grpc::Status Step(yusuan::ledger::v1::WorkflowAction action, const std::string& request_id,
                    yusuan::ledger::v1::BudgetVersion* version) {
    yusuan::ledger::v1::TransitionBudgetRequest request;
    request.set_name(kBudget);
    request.set_action(action);
    request.set_request_id(request_id);
    return Api()->TransitionBudget(StepContext(action).get(), request, version);
  }
  grpc::Status Apply(const Filing& filing, yusuan::gateway::v1::ApplyFilingResponse* response,
                     const std::string& request_id = "") {
    yusuan::gateway::v1::ApplyFilingRequest request;
    *request.mutable_filing() = filing;
    request.set_request_id(request_id);
    return Api()->ApplyFiling(Context().get(), request, response);
  }
  // Applies the sample and takes it to APPROVED, then publishes it under
  // `request_id` with the fault injected from outside the binaries: the report
  // service is down when the gateway archives, so the ledger's step is done and
  // the archive is not; then the gateway dies too (SIGKILL), as in a crash
  // between the two. The report service comes back; the gateway does not.
  void PublishInterruptedBeforeTheArchive(const std::string& request_id) {
    yusuan::gateway::v1::ApplyFilingResponse applied;
    ASSERT_TRUE(Apply(LoadSample(), &applied).ok());
    yusuan::ledger::v1::BudgetVersion version;
    for (const auto action : {yusuan::ledger::v1::WORKFLOW_ACTION_SUBMIT, yusuan::ledger::v1::WORKFLOW_ACTION_APPROVE}) {
      ASSERT_TRUE(Step(action, request_id + "-" + yusuan::ledger::v1::WorkflowAction_Name(action), &version).ok());
    }
    cluster_->StopReport();
    grpc::Status lost = Step(yusuan::ledger::v1::WORKFLOW_ACTION_PUBLISH, request_id, &version);
    EXPECT_FALSE(lost.ok()) << "the archive cannot have succeeded";
    EXPECT_NE(lost.error_message().find("retry with the same request_id"), std::string::npos) << lost.error_message();
    cluster_->gateway().Kill();
    std::string error;
    ASSERT_TRUE(cluster_->StartReport(&error)) << error;
  }
};

TEST_F(ClusterTest, EveryServiceAnswersHealthAndReflection) {
  const std::vector<std::pair<std::string, std::string>> services = {
      {cluster_->ledger().address(), "yusuan.ledger.v1.LedgerService"},
      {cluster_->goals().address(), "yusuan.goals.v1.GoalsService"},
      {cluster_->report().address(), "yusuan.report.v1.ReportService"},
      {cluster_->gateway_grpc(), "yusuan.gateway.v1.PublicApi"},
  };
  for (const auto& [address, service_name] : services) {
    auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
    auto health = grpc::health::v1::Health::NewStub(channel);
    for (const std::string& name : {std::string(), service_name}) {
      grpc::health::v1::HealthCheckRequest request;
      request.set_service(name);
      grpc::health::v1::HealthCheckResponse response;
      grpc::Status status = health->Check(Context().get(), request, &response);
      ASSERT_TRUE(status.ok()) << address << " " << status.error_message();
      EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING)
          << address << " service '" << name << "'";
    }

    auto reflection = grpc::reflection::v1alpha::ServerReflection::NewStub(channel);
    auto context = Context();
    auto stream = reflection->ServerReflectionInfo(context.get());
    grpc::reflection::v1alpha::ServerReflectionRequest request;
    request.set_list_services("");
    ASSERT_TRUE(stream->Write(request));
    stream->WritesDone();
    grpc::reflection::v1alpha::ServerReflectionResponse response;
    std::vector<std::string> listed;
    while (stream->Read(&response)) {
      for (const auto& s : response.list_services_response().service()) listed.push_back(s.name());
    }
    ASSERT_TRUE(stream->Finish().ok());
    EXPECT_TRUE(Contains(listed, service_name)) << address << " lists " << Joined(listed);
    EXPECT_TRUE(Contains(listed, "grpc.health.v1.Health")) << address << " lists " << Joined(listed);
  }
}

TEST_F(ClusterTest, SampleAppliesAndRendersTheSameOverGrpcAndRest) {
  yusuan::gateway::v1::ApplyFilingResponse applied;
  grpc::Status status = Apply(LoadSample(), &applied, "cluster-test-apply-1");
  ASSERT_TRUE(status.ok()) << status.error_message() << " " << Joined(ViolatedFields(status));
  EXPECT_EQ(applied.budget().name(), kBudget);
  EXPECT_GE(applied.budget().revision(), 1);
  EXPECT_EQ(applied.validation().fatal_count(), 0);

  // The same filing through REST.
  auto http = Http();
  auto rest = http.Post("/v1/filings:apply", ReadFile(SampleFilingPath()), "application/json");
  ASSERT_TRUE(rest) << httplib::to_string(rest.error());
  ASSERT_EQ(rest->status, 200) << rest->body;

  // 表1–表8 as the ledger computes them: the whole department, and its 本级
  // (by the agency code) being its only unit, the same; an unknown unit is
  // NOT_FOUND naming the units there are.
  auto tables = [&](const std::string& query) -> std::optional<yusuan::ledger::v1::BudgetTables> {
    auto got = http.Get(std::string("/v1/") + kBudget + "/tables" + query);
    EXPECT_TRUE(got) << query;
    if (!got) return std::nullopt;
    EXPECT_EQ(got->status, 200) << query << ": " << got->body;
    yusuan::ledger::v1::BudgetTables parsed;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(got->body, &parsed).ok()) << got->body;
    return parsed;
  };
  const auto whole = tables("");
  ASSERT_TRUE(whole.has_value());
  EXPECT_EQ(whole->tables_size(), 8);
  EXPECT_EQ(whole->summary().department_expenditure_total_fen(), 415510000);
  EXPECT_EQ(whole->cell_sources_size(), 0);
  const std::string agency = LoadSample().department().agency_code();
  const auto own = tables("?unit=" + agency + "&with_sources=true");
  ASSERT_TRUE(own.has_value());
  EXPECT_EQ(own->summary().department_expenditure_total_fen(), 415510000);
  EXPECT_GT(own->cell_sources_size(), 0);
  auto unknown = http.Get(std::string("/v1/") + kBudget + "/tables?unit=" + agency + "999");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404) << unknown->body;
  EXPECT_NE(unknown->body.find(agency + "999"), std::string::npos) << unknown->body;
  EXPECT_NE(unknown->body.find("本级"), std::string::npos) << unknown->body;
  auto anonymous = Http(std::nullopt).Get(std::string("/v1/") + kBudget + "/tables");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401) << "drafts are not public: " << anonymous->body;

  yusuan::gateway::v1::RenderReportRequest render;
  render.set_name(kBudget);
  render.set_format(yusuan::report::v1::FORMAT_HTML);
  yusuan::report::v1::Artifact html;
  status = Api()->RenderReport(Context().get(), render, &html);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const std::string& page = html.content();
  for (const char* figure : {"415.51", "156.71", "258.80", "146.70", "120.38", "26.32", "10.01",
                             "37.72%", "62.28%", "238.00", "20.80", "8.29", "2.04%"}) {
    EXPECT_NE(page.find(figure), std::string::npos) << "missing " << figure;
  }
  EXPECT_NE(page.find("增加 8.29 万元，增长 2.04%"), std::string::npos);
  EXPECT_EQ(page.find("206.19"), std::string::npos);
  const Filing sample = LoadSample();
  for (const auto& goal : sample.goals().department().annual_goals()) {
    EXPECT_NE(page.find(goal.text()), std::string::npos) << "missing goal " << goal.seq();
  }

  auto report = http.Get(std::string("/v1/") + kBudget + "/report?format=html");
  ASSERT_TRUE(report);
  ASSERT_EQ(report->status, 200) << report->body;
  EXPECT_EQ(report->body, page) << "REST and gRPC renders differ";
  EXPECT_NE(report->get_header_value("Content-Type").find("text/html"), std::string::npos);

  render.set_format(yusuan::report::v1::FORMAT_MARKDOWN);
  yusuan::report::v1::Artifact markdown;
  ASSERT_TRUE(Api()->RenderReport(Context().get(), render, &markdown).ok());
  EXPECT_NE(markdown.content().find("415.51"), std::string::npos);
  EXPECT_NE(markdown.content().find("62.28%"), std::string::npos);
}

TEST_F(ClusterTest, RetriedApplyReturnsTheFirstAnswerAndStaleEtagIsAborted) {
  yusuan::gateway::v1::ApplyFilingResponse first, second;
  ASSERT_TRUE(Apply(LoadSample(), &first, "cluster-test-retry").ok());
  {
    grpc::Status retry = Apply(LoadSample(), &second, "cluster-test-retry");
    ASSERT_TRUE(retry.ok()) << retry.error_message();
  }
  EXPECT_EQ(first.budget().revision(), second.budget().revision());
  EXPECT_EQ(first.budget().etag(), second.budget().etag());

  // The same request id on a different filing is not a retry.
  Filing changed = LoadSample();
  changed.mutable_department()->set_contact_phone("68865156");
  yusuan::gateway::v1::ApplyFilingResponse third;
  EXPECT_EQ(Apply(changed, &third, "cluster-test-retry").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  yusuan::ledger::v1::PutBudgetRequest put;
  *put.mutable_budget() = first.budget();
  put.mutable_budget()->set_etag("r1-00000000");
  yusuan::ledger::v1::Budget out;
  grpc::Status status = Api()->PutBudget(Context().get(), put, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED) << status.error_message();

  put.mutable_budget()->set_etag(first.budget().etag());
  status = Api()->PutBudget(Context().get(), put, &out);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(out.revision(), first.budget().revision() + 1);
}

struct BadFiling {
  std::string label;
  std::string field;
  std::function<void(Filing&)> spoil;
};

TEST_F(ClusterTest, BadFilingsAreRefusedWithTheFieldNamedAndNothingStored) {
  const std::vector<BadFiling> cases = {
      {"unknown function code", "budget.expenditureLines[0].functionalCode",
       [](Filing& f) { f.mutable_budget()->mutable_expenditure_lines(0)->set_functional_code("2069998"); }},
      {"negative amount", "budget.expenditureLines[0].amountFen",
       [](Filing& f) { f.mutable_budget()->mutable_expenditure_lines(0)->set_amount_fen(-100); }},
      {"invalid UTF-8", "department.fullName",
       [](Filing& f) { f.mutable_department()->set_full_name("武汉\xff\xfe科协"); }},
      {"missing required field", "department.fullName",
       [](Filing& f) { f.mutable_department()->clear_full_name(); }},
      {"project total no longer matches its lines", "budget.projects[0].yearTotalFen",
       [](Filing& f) {
         // Move 1 元 onto the first project's first line, balanced by income,
         // so only the project's own total disagrees.
         auto* budget = f.mutable_budget();
         const std::string project = budget->projects(0).project_id();
         for (auto& line : *budget->mutable_expenditure_lines()) {
           if (line.project_id() == project) {
             line.set_amount_fen(line.amount_fen() + 100);
             break;
           }
         }
         budget->mutable_income_lines(0)->set_amount_fen(budget->income_lines(0).amount_fen() +
                                                         100);
       }},
      {"unbalanced by 1 分", "budget.incomeLines[0].amountFen",
       [](Filing& f) {
         auto* line = f.mutable_budget()->mutable_expenditure_lines(0);
         line->set_amount_fen(line->amount_fen() + 1);
       }},
  };
  int agency = 900000001;
  for (const auto& c : cases) {
    // A department of its own, so "nothing stored" can be checked exactly.
    const std::string code = std::to_string(agency++);
    Filing filing = LoadSample();
    filing.mutable_department()->set_agency_code(code);
    filing.mutable_department()->set_name("regions/420107/departments/" + code);
    filing.mutable_budget()->set_name("regions/420107/departments/" + code + "/budgets/2021");
    filing.mutable_goals()->set_name("regions/420107/departments/" + code + "/budgets/2021/goals");
    c.spoil(filing);

    yusuan::gateway::v1::ApplyFilingResponse response;
    grpc::Status status = Apply(filing, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.label;
    EXPECT_TRUE(Contains(ViolatedFields(status), c.field))
        << c.label << ": gRPC violations " << Joined(ViolatedFields(status)) << " / "
        << status.error_message();

    // REST: the same document as JSON. Invalid UTF-8 cannot pass through a
    // protobuf printer, so splice the raw bytes into the JSON text.
    std::string json = ToJson(filing);
    if (c.label == "invalid UTF-8") {
      Filing clean = filing;
      clean.mutable_department()->set_full_name("@@NAME@@");
      json = ToJson(clean);
      json.replace(json.find("@@NAME@@"), 8, "武汉\xff\xfe科协");
    }
    auto http = Http();
    auto rest = http.Post("/v1/filings:apply", json, "application/json");
    ASSERT_TRUE(rest) << c.label;
    EXPECT_EQ(rest->status, 400) << c.label << ": " << rest->body;
    auto body = nlohmann::json::parse(rest->body, nullptr, false);
    ASSERT_FALSE(body.is_discarded()) << c.label << ": " << rest->body;
    EXPECT_EQ(body["error"].value("status", ""), "INVALID_ARGUMENT") << c.label;
    EXPECT_TRUE(Contains(ViolatedFields(body), c.field))
        << c.label << ": REST violations " << Joined(ViolatedFields(body)) << " / " << rest->body;

    // Nothing stored, by either path.
    yusuan::ledger::v1::GetDepartmentRequest get_department;
    get_department.set_name("regions/420107/departments/" + code);
    yusuan::ledger::v1::Department department;
    EXPECT_EQ(Api()->GetDepartment(Context().get(), get_department, &department).error_code(),
              grpc::StatusCode::NOT_FOUND)
        << c.label;
    yusuan::ledger::v1::GetBudgetRequest get_budget;
    get_budget.set_name("regions/420107/departments/" + code + "/budgets/2021");
    yusuan::ledger::v1::Budget budget;
    EXPECT_EQ(Api()->GetBudget(Context().get(), get_budget, &budget).error_code(),
              grpc::StatusCode::NOT_FOUND)
        << c.label;
  }
}

// Runs the CLI against the test's gateway; returns its exit status and
// everything it printed.
int RunCli(const std::string& gateway, const std::string& args, std::string* output) {
  const std::string command = std::string(YUSUAN_BIN_DIR) + "/yusuan --gateway " + gateway + " --token '" +
                              CliToken() + "' " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return -1;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output->append(buffer, n);
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(ClusterTest, TheCliPrintsTheTablesOfTheDepartmentOrOfOneUnit) {
  yusuan::gateway::v1::ApplyFilingResponse applied;
  ASSERT_TRUE(Apply(LoadSample(), &applied).ok());
  const std::string agency = LoadSample().department().agency_code();
  std::string printed;
  ASSERT_EQ(RunCli(cluster_->gateway_grpc(), std::string("tables ") + kBudget, &printed), 0) << printed;
  EXPECT_NE(printed.find("部门合并 consolidated"), std::string::npos) << printed;
  for (int table = 1; table <= 8; ++table) {
    EXPECT_NE(printed.find("\n表" + std::to_string(table) + " "), std::string::npos) << "no 表" << table;
  }
  EXPECT_NE(printed.find("415.51"), std::string::npos) << printed;

  std::string own;
  ASSERT_EQ(RunCli(cluster_->gateway_grpc(), std::string("tables --unit ") + agency + " " + kBudget, &own), 0) << own;
  EXPECT_NE(own.find("单位 unit " + agency), std::string::npos) << own;
  EXPECT_NE(own.find("415.51"), std::string::npos) << own;

  std::string json;
  ASSERT_EQ(RunCli(cluster_->gateway_grpc(), std::string("tables --json ") + kBudget, &json), 0) << json;
  yusuan::ledger::v1::BudgetTables parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &parsed).ok()) << json;
  EXPECT_EQ(parsed.summary().department_expenditure_total_fen(), 415510000);

  std::string refused;
  EXPECT_EQ(RunCli(cluster_->gateway_grpc(), std::string("tables --unit 999 ") + kBudget, &refused), 1) << refused;
  EXPECT_NE(refused.find("999"), std::string::npos) << refused;
  EXPECT_NE(refused.find("本级"), std::string::npos) << refused;
}

// The ValidationReport a refusal carries in its status details (empty when none).
yusuan::common::v1::ValidationReport AttachedReport(const grpc::Status& refused) {
  yusuan::common::v1::ValidationReport attached;
  google::rpc::Status rpc;
  if (!rpc.ParseFromString(refused.error_details())) return attached;
  for (const auto& any : rpc.details()) {
    if (any.Is<yusuan::common::v1::ValidationReport>() && any.UnpackTo(&attached)) break;
  }
  return attached;
}

// The finding of `rule_id` at `field`, or nullptr.
const yusuan::common::v1::Finding* FindFinding(const yusuan::common::v1::ValidationReport& report,
                                               const std::string& rule_id, const std::string& field) {
  for (const auto& f : report.findings()) {
    if (f.rule_id() == rule_id && f.field() == field) return &f;
  }
  return nullptr;
}

struct IssueBreak {
  std::string label;
  std::function<void(Filing&)> spoil;
  std::string rule_id;
  std::string field;
  int table;
  std::string row;
  std::string expected;
  std::string actual;
  std::string difference;
};

// The ledger issue's four breaks: each is a FATAL finding with its rule id,
// location, expected, actual and difference, through gRPC, REST and the CLI.
TEST_F(ClusterTest, IssueBreaksAreFatalWithLocationThroughGrpcRestAndCli) {
  const std::vector<IssueBreak> breaks = {
      {"one expenditure line up by 1 分",
       [](Filing& f) {
         auto* line = f.mutable_budget()->mutable_expenditure_lines(0);
         line->set_amount_fen(line->amount_fen() + 1);
       },
       "R-T1-4", "budget.incomeLines[0].amountFen", 1, "（一）一般公共预算拨款收入", "4155100.01 元",
       "4155100.00 元", "-0.01 元"},
      {"unknown function code",
       [](Filing& f) { f.mutable_budget()->mutable_expenditure_lines(0)->set_functional_code("2060198"); },
       "V-CODE-UNKNOWN", "budget.expenditureLines[0].functionalCode", 2, "2060198",
       "20601 科学技术管理事务 下的项：2060101 行政运行、2060102 一般行政管理事务、2060103 机关服务、2060199 "
       "其他科学技术管理事务支出",
       "2060198", "科目不存在 / no such code"},
      {"project total no longer matches its project lines",
       [](Filing& f) {
         // The project's 表10 amounts 1 元 up in the ledger and on its goal
         // sheet alike (which states them too), so only the lines disagree.
         auto* p = f.mutable_budget()->mutable_projects(0);
         auto* sheet = f.mutable_goals()->mutable_projects(0);
         p->set_year_total_fen(p->year_total_fen() + 100);
         p->set_year_fiscal_fen(p->year_fiscal_fen() + 100);
         p->set_total_fen(p->total_fen() + 100);
         p->set_total_fiscal_fen(p->total_fiscal_fen() + 100);
         sheet->set_year_total_fen(p->year_total_fen());
         sheet->set_year_fiscal_fen(p->year_fiscal_fen());
         sheet->set_total_fen(p->total_fen());
         sheet->set_total_fiscal_fen(p->total_fiscal_fen());
       },
       "R-T10-4", "budget.projects[0].yearTotalFen", 10, "P2021-001 科普经费（青山区）", "2380000.00 元",
       "2380001.00 元", "1.00 元"},
      {"三公 total not the sum of its parts",
       [](Filing& f) { f.mutable_budget()->mutable_three_public()->mutable_current()->set_total_fen(5'000); },
       "R-T4-1", "budget.threePublic.current.totalFen", 4, "2021年预算数", "0.00 元", "50.00 元",
       "50.00 元"},
  };
  for (const IssueBreak& item : breaks) {
    SCOPED_TRACE(item.label);
    Filing filing = LoadSample();
    item.spoil(filing);

    // gRPC: validate answers the report; apply refuses with it attached.
    yusuan::gateway::v1::ValidateFilingRequest validate;
    *validate.mutable_filing() = filing;
    yusuan::common::v1::ValidationReport report;
    grpc::Status status = Api()->ValidateFiling(Context().get(), validate, &report);
    ASSERT_TRUE(status.ok()) << status.error_message();
    yusuan::gateway::v1::ApplyFilingResponse applied;
    grpc::Status refused = Apply(filing, &applied);
    ASSERT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    yusuan::common::v1::ValidationReport attached = AttachedReport(refused);
    for (const auto* source : {&report, &attached}) {
      const yusuan::common::v1::Finding* found = FindFinding(*source, item.rule_id, item.field);
      ASSERT_NE(found, nullptr) << (source == &report ? "ValidateFiling" : "ApplyFiling details");
      EXPECT_EQ(found->severity(), yusuan::common::v1::SEVERITY_FATAL);
      EXPECT_EQ(found->location().table(), item.table);
      EXPECT_EQ(found->location().row(), item.row);
      EXPECT_EQ(found->expected(), item.expected);
      EXPECT_EQ(found->actual(), item.actual);
      EXPECT_EQ(found->difference(), item.difference);
    }
    EXPECT_EQ(report.fatal_count(), 1);

    // REST: the same figures in the JSON report.
    auto http = Http();
    auto rest = http.Post("/v1/filings:validate", ToJson(filing), "application/json");
    ASSERT_TRUE(rest);
    ASSERT_EQ(rest->status, 200) << rest->body;
    auto body = nlohmann::json::parse(rest->body, nullptr, false);
    ASSERT_FALSE(body.is_discarded()) << rest->body;
    bool seen = false;
    for (const auto& f : body.value("findings", nlohmann::json::array())) {
      if (f.value("ruleId", "") != item.rule_id || f.value("field", "") != item.field) continue;
      seen = true;
      EXPECT_EQ(f.value("severity", ""), "SEVERITY_FATAL");
      EXPECT_EQ(f["location"].value("table", 0), item.table);
      EXPECT_EQ(f["location"].value("row", ""), item.row);
      EXPECT_EQ(f.value("expected", ""), item.expected);
      EXPECT_EQ(f.value("actual", ""), item.actual);
      EXPECT_EQ(f.value("difference", ""), item.difference);
    }
    EXPECT_TRUE(seen) << rest->body;

    // CLI: exit 1, the finding printed with its location and figures.
    const std::string file = dir_->path() + "/break.json";
    {
      std::ofstream out(file, std::ios::binary | std::ios::trunc);
      out << ToJson(filing);
    }
    std::string printed;
    EXPECT_EQ(RunCli(cluster_->gateway_grpc(), "validate -f " + file, &printed), 1) << printed;
    for (const std::string& text :
         {"严重 FATAL  [" + item.rule_id + "] " + item.field,
          "位置 location: 表" + std::to_string(item.table) + " · " + item.row,
          "期望 expected " + item.expected + " · 实际 actual " + item.actual + " · 差额 difference " +
              item.difference}) {
      EXPECT_NE(printed.find(text), std::string::npos) << "missing \"" << text << "\" in:\n" << printed;
    }
    std::string json_printed;
    EXPECT_EQ(RunCli(cluster_->gateway_grpc(), "validate --json -f " + file, &json_printed), 1);
    EXPECT_NE(json_printed.find("\"ruleId\": \"" + item.rule_id + "\""), std::string::npos) << json_printed;
  }
}

struct CrossBreak {
  std::string label;
  std::function<void(Filing&)> spoil;
  std::string rule_id;
  std::string field;
  std::string project_id;
  std::string project_name;
  std::string expected;
  std::string actual;
  std::string difference;
};

// Issue 4 item 4: the cross checks that need the ledger and the goals
// together run in the gateway's validate step. A project without a goal sheet
// and a sheet whose 当年财政拨款 is 1 元 off are each one FATAL finding naming
// the project (its 表10 row), through gRPC (ValidateFiling, and ApplyFiling
// refused with the report), REST and the CLI.
TEST_F(ClusterTest, GoalCrossChecksAreFatalNamingTheProjectThroughGrpcRestAndCli) {
  const std::vector<CrossBreak> breaks = {
      {"P2021-002 has no goal sheet",
       [](Filing& f) {
         ASSERT_EQ(f.goals().projects(1).project_id(), "P2021-002");
         f.mutable_goals()->mutable_projects()->RemoveLast();
       },
       "X-GOALS-PROJECT", "budget.projects[1].projectId", "P2021-002", "科普经费（化工区）", "1",
       "0", "-1"},
      {"a sheet's yearFiscalFen 1 元 above the ledger's",
       [](Filing& f) {
         auto* sheet = f.mutable_goals()->mutable_projects(0);
         ASSERT_EQ(sheet->project_id(), "P2021-001");
         sheet->set_year_fiscal_fen(sheet->year_fiscal_fen() + 100);
       },
       "X-GOALS-AMOUNT", "goals.projects[0].yearFiscalFen", "P2021-001", "科普经费（青山区）",
       "2380000.00 元", "2380001.00 元", "1.00 元"},
  };
  for (const CrossBreak& item : breaks) {
    SCOPED_TRACE(item.label);
    Filing filing = LoadSample();
    item.spoil(filing);
    const std::string row = item.project_id + " " + item.project_name;

    // gRPC: validate answers the report; apply refuses with it attached and
    // names the field among the violations.
    yusuan::gateway::v1::ValidateFilingRequest validate;
    *validate.mutable_filing() = filing;
    yusuan::common::v1::ValidationReport report;
    grpc::Status status = Api()->ValidateFiling(Context().get(), validate, &report);
    ASSERT_TRUE(status.ok()) << status.error_message();
    yusuan::gateway::v1::ApplyFilingResponse applied;
    grpc::Status refused = Apply(filing, &applied);
    ASSERT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_TRUE(Contains(ViolatedFields(refused), item.field)) << Joined(ViolatedFields(refused));
    yusuan::common::v1::ValidationReport attached = AttachedReport(refused);
    for (const auto* source : {&report, &attached}) {
      const yusuan::common::v1::Finding* found = FindFinding(*source, item.rule_id, item.field);
      ASSERT_NE(found, nullptr) << (source == &report ? "ValidateFiling" : "ApplyFiling details");
      EXPECT_EQ(found->severity(), yusuan::common::v1::SEVERITY_FATAL);
      EXPECT_NE(found->category(), yusuan::common::v1::RULE_CATEGORY_UNSPECIFIED);
      EXPECT_EQ(found->location().table(), 10);
      EXPECT_EQ(found->location().row(), row);
      EXPECT_EQ(found->expected(), item.expected);
      EXPECT_EQ(found->actual(), item.actual);
      EXPECT_EQ(found->difference(), item.difference);
      for (const std::string* text : {&found->message_zh(), &found->message_en()}) {
        EXPECT_NE(text->find(item.project_id), std::string::npos) << *text;
        EXPECT_NE(text->find(item.project_name), std::string::npos) << *text;
      }
    }
    EXPECT_EQ(report.fatal_count(), 1);

    // REST: the Filing JSON as the body of :validate.
    auto http = Http();
    auto rest = http.Post("/v1/filings:validate", ToJson(filing), "application/json");
    ASSERT_TRUE(rest);
    ASSERT_EQ(rest->status, 200) << rest->body;
    auto body = nlohmann::json::parse(rest->body, nullptr, false);
    ASSERT_FALSE(body.is_discarded()) << rest->body;
    EXPECT_EQ(body.value("fatalCount", 0), 1) << rest->body;
    bool seen = false;
    for (const auto& f : body.value("findings", nlohmann::json::array())) {
      if (f.value("ruleId", "") != item.rule_id || f.value("field", "") != item.field) continue;
      seen = true;
      EXPECT_EQ(f.value("severity", ""), "SEVERITY_FATAL");
      EXPECT_EQ(f["location"].value("table", 0), 10);
      EXPECT_EQ(f["location"].value("row", ""), row);
      EXPECT_EQ(f.value("expected", ""), item.expected);
      EXPECT_EQ(f.value("actual", ""), item.actual);
      EXPECT_EQ(f.value("difference", ""), item.difference);
      EXPECT_NE(f.value("messageZh", "").find(item.project_id), std::string::npos);
    }
    EXPECT_TRUE(seen) << rest->body;

    // CLI: exit 1, the rule id, field and project printed.
    const std::string file = dir_->path() + "/cross-break.json";
    {
      std::ofstream out(file, std::ios::binary | std::ios::trunc);
      out << ToJson(filing);
    }
    std::string printed;
    EXPECT_EQ(RunCli(cluster_->gateway_grpc(), "validate -f " + file, &printed), 1) << printed;
    for (const std::string& text :
         {"严重 FATAL  [" + item.rule_id + "] " + item.field, "位置 location: 表10 · " + row,
          "期望 expected " + item.expected + " · 实际 actual " + item.actual + " · 差额 difference " +
              item.difference}) {
      EXPECT_NE(printed.find(text), std::string::npos) << "missing \"" << text << "\" in:\n" << printed;
    }
    std::string json_printed;
    EXPECT_EQ(RunCli(cluster_->gateway_grpc(), "validate --json -f " + file, &json_printed), 1);
    EXPECT_NE(json_printed.find("\"ruleId\": \"" + item.rule_id + "\""), std::string::npos)
        << json_printed;
  }
}

TEST_F(ClusterTest, AcknowledgedBudgetSurvivesSigkillOfTheLedger) {
  yusuan::gateway::v1::ApplyFilingResponse applied;
  ASSERT_TRUE(Apply(LoadSample(), &applied).ok());
  yusuan::ledger::v1::PutBudgetRequest put;
  *put.mutable_budget() = applied.budget();
  put.mutable_budget()->mutable_narrative()->set_general_budget_change_reason("写入后立即强杀");
  yusuan::ledger::v1::Budget written;
  ASSERT_TRUE(Api()->PutBudget(Context().get(), put, &written).ok());

  std::string error;
  ASSERT_TRUE(cluster_->RestartLedger(/*kill_hard=*/true, &error)) << error;

  yusuan::ledger::v1::GetBudgetRequest get;
  get.set_name(kBudget);
  yusuan::ledger::v1::Budget read;
  grpc::Status status;
  // The gateway's channel reconnects to the restarted ledger on its own.
  for (int attempt = 0; attempt < 50; ++attempt) {
    read.Clear();
    status = Api()->GetBudget(Context().get(), get, &read);
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(written, read))
      << "written:\n" << written.DebugString().substr(0, 400) << "\nread:\n"
      << read.DebugString().substr(0, 400);
}

TEST_F(ClusterTest, WorkflowRefusesIllegalStepsAndKeepsEveryPublishedVersion) {
  yusuan::gateway::v1::ApplyFilingResponse applied;
  ASSERT_TRUE(Apply(LoadSample(), &applied).ok());
  auto ledger = yusuan::ledger::v1::LedgerService::NewStub(
      grpc::CreateChannel(cluster_->ledger().address(), grpc::InsecureChannelCredentials()));
  auto step = [&](yusuan::ledger::v1::WorkflowAction action, const std::string& comment,
                  yusuan::ledger::v1::BudgetVersion* version) {
    yusuan::ledger::v1::TransitionBudgetRequest request;
    request.set_name(kBudget);
    request.set_action(action);
    request.set_comment(comment);
    return ledger->TransitionBudget(BackendContext().get(), request, version);
  };
  auto edit = [&] {
    yusuan::ledger::v1::GetBudgetRequest get;
    get.set_name(kBudget);
    yusuan::ledger::v1::Budget budget;
    EXPECT_TRUE(Api()->GetBudget(Context().get(), get, &budget).ok());
    yusuan::ledger::v1::PutBudgetRequest put;
    *put.mutable_budget() = budget;
    put.mutable_budget()->clear_etag();
    yusuan::ledger::v1::Budget out;
    return Api()->PutBudget(Context().get(), put, &out);
  };
  using yusuan::ledger::v1::FILING_STATUS_PUBLISHED;
  using yusuan::ledger::v1::WORKFLOW_ACTION_APPROVE;
  using yusuan::ledger::v1::WORKFLOW_ACTION_PUBLISH;
  using yusuan::ledger::v1::WORKFLOW_ACTION_RETURN;
  using yusuan::ledger::v1::WORKFLOW_ACTION_SUBMIT;
  yusuan::ledger::v1::BudgetVersion version;

  grpc::Status status = step(WORKFLOW_ACTION_APPROVE, "", &version);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("draft"), std::string::npos) << status.error_message();
  ASSERT_TRUE(step(WORKFLOW_ACTION_SUBMIT, "", &version).ok());
  EXPECT_EQ(version.version(), 1);
  EXPECT_EQ(edit().error_code(), grpc::StatusCode::FAILED_PRECONDITION);  // under review
  {
    // Applying a whole filing is refused too, and leaves the department as it was.
    Filing changed = LoadSample();
    changed.mutable_department()->set_contact_phone("68860000");
    yusuan::gateway::v1::ApplyFilingResponse refused;
    EXPECT_EQ(Apply(changed, &refused).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    yusuan::ledger::v1::GetDepartmentRequest get;
    get.set_name(kDepartment);
    yusuan::ledger::v1::Department department;
    ASSERT_TRUE(Api()->GetDepartment(Context().get(), get, &department).ok());
    EXPECT_EQ(department.contact_phone(), LoadSample().department().contact_phone());
  }
  EXPECT_EQ(step(WORKFLOW_ACTION_RETURN, "", &version).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);  // a return needs a comment
  ASSERT_TRUE(step(WORKFLOW_ACTION_RETURN, "请补充项目绩效指标", &version).ok());
  ASSERT_TRUE(edit().ok());  // returned: editable again
  ASSERT_TRUE(step(WORKFLOW_ACTION_SUBMIT, "", &version).ok());
  ASSERT_TRUE(step(WORKFLOW_ACTION_APPROVE, "", &version).ok());
  EXPECT_EQ(step(WORKFLOW_ACTION_APPROVE, "", &version).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(step(WORKFLOW_ACTION_PUBLISH, "", &version).ok());
  const int64_t first_published_revision = version.ledger_revision();
  EXPECT_EQ(step(WORKFLOW_ACTION_PUBLISH, "", &version).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // An amendment: a new draft, reviewed and published again.
  ASSERT_TRUE(edit().ok());
  ASSERT_TRUE(step(WORKFLOW_ACTION_SUBMIT, "", &version).ok());
  ASSERT_TRUE(step(WORKFLOW_ACTION_APPROVE, "", &version).ok());
  ASSERT_TRUE(step(WORKFLOW_ACTION_PUBLISH, "", &version).ok());

  yusuan::ledger::v1::ListBudgetVersionsRequest list;
  list.set_name(kBudget);
  yusuan::ledger::v1::ListBudgetVersionsResponse history;
  ASSERT_TRUE(ledger->ListBudgetVersions(BackendContext().get(), list, &history).ok());
  ASSERT_EQ(history.versions_size(), 8);
  std::vector<int64_t> published_revisions;
  for (const auto& v : history.versions()) {
    if (v.to_status() == FILING_STATUS_PUBLISHED) published_revisions.push_back(v.ledger_revision());
  }
  ASSERT_EQ(published_revisions.size(), 2u);
  EXPECT_EQ(published_revisions[0], first_published_revision);
  EXPECT_GT(published_revisions[1], first_published_revision);
  EXPECT_EQ(history.versions(3).comment(), "");
  EXPECT_EQ(history.versions(1).comment(), "请补充项目绩效指标");

  // Paged: 3 + 3 + 2, in order, then no token.
  std::vector<int64_t> paged;
  list.set_page_size(3);
  for (int page = 0; page < 4; ++page) {
    yusuan::ledger::v1::ListBudgetVersionsResponse part;
    ASSERT_TRUE(ledger->ListBudgetVersions(BackendContext().get(), list, &part).ok());
    for (const auto& v : part.versions()) paged.push_back(v.version());
    if (part.next_page_token().empty()) break;
    list.set_page_token(part.next_page_token());
  }
  EXPECT_EQ(paged, (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 8}));

  yusuan::ledger::v1::GetBudgetRequest get;
  get.set_name(kBudget);
  yusuan::ledger::v1::Budget budget;
  ASSERT_TRUE(Api()->GetBudget(Context().get(), get, &budget).ok());
  EXPECT_EQ(budget.status(), FILING_STATUS_PUBLISHED);
}

TEST_F(ClusterTest, SubmitOverRestRunsTheGoalRulesAndStepsAreListed) {
  yusuan::gateway::v1::ApplyFilingResponse applied;
  ASSERT_TRUE(Apply(LoadSample(), &applied).ok());

  // A third project stored through PutBudget (ledger rules pass) but with no
  // goal sheet: the cross rules must stop it at submission.
  yusuan::ledger::v1::PutBudgetRequest put;
  *put.mutable_budget() = applied.budget();
  put.mutable_budget()->clear_etag();
  auto* project = put.mutable_budget()->add_projects();
  project->set_project_id("P2021-003");
  project->set_name("科普讲解员培训");
  project->set_supervising_code("005001022");
  project->set_implementing_unit("武汉市青山区科学技术协会");
  project->set_category("综合类");
  project->set_start_year(2021);
  project->set_end_year(2021);
  for (int64_t amount : {1'000'000}) {
    project->set_total_fen(amount);
    project->set_total_fiscal_fen(amount);
    project->set_year_total_fen(amount);
    project->set_year_fiscal_fen(amount);
    auto* line = put.mutable_budget()->add_expenditure_lines();
    line->set_functional_code("2060102");
    line->set_economic_code("30216");
    line->set_kind(yusuan::ledger::v1::EXPENDITURE_KIND_PROJECT);
    line->set_fund_source(yusuan::ledger::v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET);
    line->set_project_id("P2021-003");
    line->set_amount_fen(amount);
    auto* income = put.mutable_budget()->mutable_income_lines(0);
    income->set_amount_fen(income->amount_fen() + amount);
  }
  yusuan::ledger::v1::Budget stored;
  grpc::Status status = Api()->PutBudget(Context().get(), put, &stored);
  ASSERT_TRUE(status.ok()) << status.error_message() << " " << Joined(ViolatedFields(status));

  auto http = Http();
  const std::string base = std::string("/v1/") + kBudget;
  auto refused = http.Post(base + ":submit", "", "application/json");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400) << refused->body;
  EXPECT_NE(refused->body.find("X-GOALS-PROJECT"), std::string::npos) << refused->body;

  // Back to the sample: submit, return with a comment, list the history.
  ASSERT_TRUE(Apply(LoadSample(), &applied).ok());
  auto submitted = http.Post(base + ":submit", "", "application/json");
  ASSERT_TRUE(submitted);
  ASSERT_EQ(submitted->status, 200) << submitted->body;
  auto reviewer = Http(Role::kReviewer);
  auto approve_refused = reviewer.Post(base + ":publish", "", "application/json");
  ASSERT_TRUE(approve_refused);
  EXPECT_EQ(approve_refused->status, 400) << approve_refused->body;
  EXPECT_NE(approve_refused->body.find("FAILED_PRECONDITION"), std::string::npos);
  auto returned = reviewer.Post(base + ":return", R"({"comment":"请核对三公经费"})", "application/json");
  ASSERT_TRUE(returned);
  ASSERT_EQ(returned->status, 200) << returned->body;
  auto history = http.Get(base + "/versions");
  ASSERT_TRUE(history);
  ASSERT_EQ(history->status, 200) << history->body;
  auto body = nlohmann::json::parse(history->body, nullptr, false);
  ASSERT_TRUE(body.contains("versions")) << history->body;
  ASSERT_EQ(body["versions"].size(), 2u) << history->body;
  EXPECT_EQ(body["versions"][0]["toStatus"], "FILING_STATUS_SUBMITTED");
  EXPECT_EQ(body["versions"][1]["toStatus"], "FILING_STATUS_RETURNED");
  EXPECT_EQ(body["versions"][1]["comment"], "请核对三公经费");
}

// Goal sets keep their revisions too; the diff names each changed field with
// both values, through gRPC, REST and the CLI.
// The reference filing validates with no FATAL finding, and goal 1's "20 次"
// against its targets 2 + 20 = 22 is a warning with both numbers (E2),
// through gRPC, REST and the CLI.
TEST_F(ClusterTest, ReferenceValidatesWithGoalOneQuantityWarning) {
  const std::string field = "goals.department.annualGoals[0].text";
  yusuan::gateway::v1::ValidateFilingRequest validate;
  *validate.mutable_filing() = LoadSample();
  yusuan::common::v1::ValidationReport report;
  grpc::Status status = Api()->ValidateFiling(Context().get(), validate, &report);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(report.fatal_count(), 0);
  const yusuan::common::v1::Finding* goal1 = FindFinding(report, "V-P2", field);
  ASSERT_NE(goal1, nullptr);
  EXPECT_EQ(goal1->severity(), yusuan::common::v1::SEVERITY_WARNING);
  EXPECT_EQ(goal1->expected(), "20 次");
  EXPECT_EQ(goal1->actual(), "22");
  EXPECT_NE(goal1->message_zh().find("2 + 20 = 22"), std::string::npos) << goal1->message_zh();

  auto http = Http();
  auto rest = http.Post("/v1/filings:validate", ReadFile(SampleFilingPath()), "application/json");
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->status, 200) << rest->body;
  auto body = nlohmann::json::parse(rest->body, nullptr, false);
  ASSERT_FALSE(body.is_discarded());
  EXPECT_EQ(body.value("fatalCount", -1), 0) << rest->body;
  bool seen = false;
  for (const auto& f : body.value("findings", nlohmann::json::array())) {
    if (f.value("ruleId", "") == "V-P2" && f.value("field", "") == field) {
      seen = true;
      EXPECT_EQ(f.value("severity", ""), "SEVERITY_WARNING");
      EXPECT_EQ(f.value("expected", ""), "20 次");
      EXPECT_EQ(f.value("actual", ""), "22");
    }
  }
  EXPECT_TRUE(seen) << rest->body;

  std::string printed;
  EXPECT_EQ(RunCli(cluster_->gateway_grpc(), "validate -f " + SampleFilingPath(), &printed), 0) << printed;
  EXPECT_NE(printed.find("警告 WARNING  [V-P2] " + field), std::string::npos) << printed;
  EXPECT_NE(printed.find("2 + 20 = 22"), std::string::npos) << printed;
  EXPECT_NE(printed.find("通过 / valid: 0 严重 fatal"), std::string::npos) << printed;
}

// Publishing through the gateway archives every format under the version;
// GetPublished returns them, VerifyArtifact recognises a published file and
// rejects one with a changed byte; a second publication supersedes the first.
TEST_F(ClusterTest, PublishingArchivesEveryFormatAndVerifiesDownloadedFiles) {
  yusuan::gateway::v1::ApplyFilingResponse applied;
  ASSERT_TRUE(Apply(LoadSample(), &applied).ok());
  auto step = [&](yusuan::ledger::v1::WorkflowAction action, yusuan::ledger::v1::BudgetVersion* version) {
    yusuan::ledger::v1::TransitionBudgetRequest request;
    request.set_name(kBudget);
    request.set_action(action);
    return Api()->TransitionBudget(StepContext(action).get(), request, version);
  };
  auto publish = [&](yusuan::ledger::v1::BudgetVersion* version) {
    for (auto action : {yusuan::ledger::v1::WORKFLOW_ACTION_SUBMIT, yusuan::ledger::v1::WORKFLOW_ACTION_APPROVE,
                        yusuan::ledger::v1::WORKFLOW_ACTION_PUBLISH}) {
      grpc::Status status = step(action, version);
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
  };
  yusuan::ledger::v1::BudgetVersion first;
  publish(&first);

  yusuan::report::v1::GetPublishedRequest get;
  get.set_budget_name(kBudget);
  yusuan::report::v1::PublishedDisclosure published;
  grpc::Status status = Api()->GetPublished(Context().get(), get, &published);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(published.version(), first.version());
  EXPECT_EQ(published.publish_time_unix_ms(), first.time_unix_ms());
  ASSERT_GE(published.artifacts_size(), 2);
  const yusuan::report::v1::Artifact* html = nullptr;
  for (const auto& artifact : published.artifacts()) {
    if (artifact.format() == yusuan::report::v1::FORMAT_HTML) html = &artifact;
  }
  ASSERT_NE(html, nullptr);

  // HTML carries no time: the preview of the same revision is the same file.
  yusuan::gateway::v1::RenderReportRequest render;
  render.set_name(kBudget);
  render.set_format(yusuan::report::v1::FORMAT_HTML);
  yusuan::report::v1::Artifact preview;
  ASSERT_TRUE(Api()->RenderReport(Context().get(), render, &preview).ok());
  EXPECT_EQ(preview.sha256_hex(), html->sha256_hex());

  for (const auto& artifact : published.artifacts()) {
    yusuan::report::v1::VerifyArtifactRequest verify;
    verify.set_content(artifact.content());
    yusuan::report::v1::VerifyArtifactResponse verdict;
    ASSERT_TRUE(Api()->VerifyArtifact(Context().get(), verify, &verdict).ok());
    EXPECT_TRUE(verdict.official()) << yusuan::report::v1::Format_Name(artifact.format());
    EXPECT_EQ(verdict.budget_name(), kBudget);
    EXPECT_EQ(verdict.version(), first.version());
    EXPECT_EQ(verdict.format(), artifact.format());
    EXPECT_EQ(verdict.fiscal_year(), 2021);
    EXPECT_EQ(verdict.department_full_name(), "武汉市青山区科学技术协会");
    EXPECT_EQ(verdict.sha256_hex(), artifact.sha256_hex());
  }
  // REST: the list without the bytes, a download, and verification.
  auto http = Http();
  auto listed = http.Get(std::string("/v1/") + kBudget + "/published");
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->status, 200) << listed->body;
  auto list = nlohmann::json::parse(listed->body, nullptr, false);
  ASSERT_FALSE(list.is_discarded());
  EXPECT_EQ(list["artifacts"].size(), static_cast<size_t>(published.artifacts_size()));
  EXPECT_FALSE(list["artifacts"][0].contains("content"));
  const yusuan::report::v1::Artifact* pdf = nullptr;
  for (const auto& artifact : published.artifacts()) {
    if (artifact.format() == yusuan::report::v1::FORMAT_PDF) pdf = &artifact;
  }
  ASSERT_NE(pdf, nullptr);
  auto downloaded = http.Get(std::string("/v1/") + kBudget + "/published?format=pdf");
  ASSERT_TRUE(downloaded);
  ASSERT_EQ(downloaded->status, 200);
  EXPECT_EQ(downloaded->body, pdf->content());
  EXPECT_EQ(downloaded->get_header_value("X-Content-SHA256"), pdf->sha256_hex());
  auto verified = http.Post("/v1/artifacts:verify", downloaded->body, "application/pdf");
  ASSERT_TRUE(verified);
  ASSERT_EQ(verified->status, 200) << verified->body;
  auto verdict_json = nlohmann::json::parse(verified->body, nullptr, false);
  EXPECT_EQ(verdict_json.value("official", false), true) << verified->body;
  EXPECT_EQ(verdict_json.value("budgetName", ""), kBudget);
  std::string changed_pdf = downloaded->body;
  changed_pdf[changed_pdf.size() / 2] ^= 0x01;
  auto refused = http.Post("/v1/artifacts:verify", changed_pdf, "application/pdf");
  ASSERT_TRUE(refused);
  EXPECT_EQ(nlohmann::json::parse(refused->body, nullptr, false).value("official", true), false) << refused->body;

  // CLI: the downloaded PDF is official (exit 0), the changed one is not (exit 1).
  const std::string official_file = dir_->path() + "/official.pdf";
  const std::string changed_file = dir_->path() + "/changed.pdf";
  std::ofstream(official_file, std::ios::binary) << downloaded->body;
  std::ofstream(changed_file, std::ios::binary) << changed_pdf;
  std::string printed;
  EXPECT_EQ(RunCli(cluster_->gateway_grpc(), "verify " + official_file, &printed), 0) << printed;
  EXPECT_NE(printed.find(kBudget), std::string::npos) << printed;
  printed.clear();
  EXPECT_EQ(RunCli(cluster_->gateway_grpc(), "verify " + changed_file, &printed), 1) << printed;

  yusuan::report::v1::VerifyArtifactRequest tampered;
  tampered.set_content(html->content());
  (*tampered.mutable_content())[tampered.content().size() / 2] ^= 0x01;
  yusuan::report::v1::VerifyArtifactResponse verdict;
  ASSERT_TRUE(Api()->VerifyArtifact(Context().get(), tampered, &verdict).ok());
  EXPECT_FALSE(verdict.official());
  EXPECT_TRUE(verdict.budget_name().empty());

  // An amendment published again: the latest is the new version, and the old
  // file is still official but says it was superseded.
  Filing amended = LoadSample();
  amended.mutable_budget()->mutable_narrative()->set_general_budget_change_reason("新增在职人员两人");
  ASSERT_TRUE(Apply(amended, &applied).ok());
  yusuan::ledger::v1::BudgetVersion second;
  publish(&second);
  yusuan::report::v1::PublishedDisclosure latest;
  ASSERT_TRUE(Api()->GetPublished(Context().get(), get, &latest).ok());
  EXPECT_EQ(latest.version(), second.version());
  yusuan::report::v1::VerifyArtifactRequest old_file;
  old_file.set_content(html->content());
  ASSERT_TRUE(Api()->VerifyArtifact(Context().get(), old_file, &verdict).ok());
  EXPECT_TRUE(verdict.official());
  EXPECT_EQ(verdict.version(), first.version());
  EXPECT_EQ(verdict.latest_version(), second.version());
  get.set_version(first.version());
  get.set_format(yusuan::report::v1::FORMAT_HTML);
  yusuan::report::v1::PublishedDisclosure older;
  ASSERT_TRUE(Api()->GetPublished(Context().get(), get, &older).ok());
  ASSERT_EQ(older.artifacts_size(), 1);
  EXPECT_EQ(older.artifacts(0).sha256_hex(), html->sha256_hex());
}

TEST_F(ClusterTest, GoalRevisionsAreKeptAndTheirDiffNamesTheFieldsThatChanged) {
  const std::string goals_name = std::string(kBudget) + "/goals";
  Filing filing = LoadSample();
  yusuan::gateway::v1::ApplyFilingResponse first;
  ASSERT_TRUE(Apply(filing, &first).ok());
  auto* goal = filing.mutable_goals()->mutable_department()->mutable_annual_goals(0);
  const std::string old_target = goal->indicators(1).target();
  goal->mutable_indicators(1)->set_target("22");
  yusuan::gateway::v1::ApplyFilingResponse second;
  ASSERT_TRUE(Apply(filing, &second).ok());
  ASSERT_EQ(second.goals().revision(), first.goals().revision() + 1);

  const std::string path = "department.annualGoals[0].indicators[1].target";
  yusuan::goals::v1::DiffGoalsRevisionsRequest request;
  request.set_name(goals_name);
  request.set_from_revision(first.goals().revision());
  yusuan::goals::v1::GoalsDiff diff;
  grpc::Status status = Api()->DiffGoalsRevisions(Context().get(), request, &diff);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(diff.to_revision(), second.goals().revision());
  ASSERT_EQ(diff.changes_size(), 1) << diff.DebugString();
  EXPECT_EQ(diff.changes(0).path(), path);
  EXPECT_EQ(diff.changes(0).before(), old_target);
  EXPECT_EQ(diff.changes(0).after(), "22");
  request.set_from_revision(first.goals().revision() + 9);
  EXPECT_EQ(Api()->DiffGoalsRevisions(Context().get(), request, &diff).error_code(),
            grpc::StatusCode::NOT_FOUND);
  request.set_name(kBudget);  // a budget is not a goal set
  request.set_from_revision(1);
  EXPECT_EQ(Api()->DiffGoalsRevisions(Context().get(), request, &diff).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  yusuan::goals::v1::ListGoalsRevisionsRequest list;
  list.set_name(goals_name);
  yusuan::goals::v1::ListGoalsRevisionsResponse revisions;
  ASSERT_TRUE(Api()->ListGoalsRevisions(Context().get(), list, &revisions).ok());
  ASSERT_EQ(revisions.revisions_size(), 2);
  EXPECT_EQ(revisions.revisions(0).department().annual_goals(0).indicators(1).target(), old_target);

  auto http = Http();
  auto rest = http.Get("/v1/" + goals_name + "/revisions:diff?from=" + std::to_string(first.goals().revision()));
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->status, 200) << rest->body;
  auto body = nlohmann::json::parse(rest->body, nullptr, false);
  ASSERT_FALSE(body.is_discarded()) << rest->body;
  ASSERT_EQ(body["changes"].size(), 1u) << rest->body;
  EXPECT_EQ(body["changes"][0].value("path", ""), path);
  EXPECT_EQ(body["changes"][0].value("after", ""), "22");
  auto listed = http.Get("/v1/" + goals_name + "/revisions");
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->status, 200) << listed->body;
  EXPECT_EQ(nlohmann::json::parse(listed->body)["revisions"].size(), 2u);

  std::string printed;
  EXPECT_EQ(RunCli(cluster_->gateway_grpc(), "diff " + goals_name + " " + std::to_string(first.goals().revision()),
                   &printed),
            0)
      << printed;
  EXPECT_NE(printed.find(path), std::string::npos) << printed;
  EXPECT_NE(printed.find("22"), std::string::npos) << printed;
  printed.clear();
  EXPECT_EQ(RunCli(cluster_->gateway_grpc(), "revisions " + goals_name, &printed), 0) << printed;
  EXPECT_NE(printed.find("修订 revision"), std::string::npos) << printed;
}

TEST_F(ClusterTest, RevisionsAreKeptAndTheirDiffNamesTheCellsThatMoved) {
  yusuan::gateway::v1::ApplyFilingResponse applied;
  ASSERT_TRUE(Apply(LoadSample(), &applied).ok());
  const int64_t first = applied.budget().revision();
  yusuan::ledger::v1::PutBudgetRequest put;
  *put.mutable_budget() = applied.budget();
  put.mutable_budget()->clear_etag();
  put.mutable_budget()->mutable_narrative()->set_general_budget_change_reason("新增在职人员两人");
  yusuan::ledger::v1::Budget second;
  ASSERT_TRUE(Api()->PutBudget(Context().get(), put, &second).ok());
  ASSERT_EQ(second.revision(), first + 1);

  auto ledger = yusuan::ledger::v1::LedgerService::NewStub(
      grpc::CreateChannel(cluster_->ledger().address(), grpc::InsecureChannelCredentials()));
  yusuan::ledger::v1::DiffBudgetRevisionsRequest request;
  request.set_name(kBudget);
  request.set_from_revision(first);
  yusuan::ledger::v1::RevisionDiff diff;
  grpc::Status status = ledger->DiffBudgetRevisions(BackendContext().get(), request, &diff);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(diff.from_revision(), first);
  EXPECT_EQ(diff.to_revision(), second.revision());
  EXPECT_EQ(diff.cells_size(), 0);  // only text changed
  ASSERT_EQ(diff.changed_fields_size(), 1);
  EXPECT_EQ(diff.changed_fields(0), "narrative");

  request.set_from_revision(first + 5);
  EXPECT_EQ(ledger->DiffBudgetRevisions(BackendContext().get(), request, &diff).error_code(),
            grpc::StatusCode::NOT_FOUND);
  request.set_from_revision(0);
  EXPECT_EQ(ledger->DiffBudgetRevisions(BackendContext().get(), request, &diff).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  yusuan::ledger::v1::ListBudgetRevisionsRequest list;
  list.set_name(kBudget);
  yusuan::ledger::v1::ListBudgetRevisionsResponse revisions;
  ASSERT_TRUE(ledger->ListBudgetRevisions(BackendContext().get(), list, &revisions).ok());
  ASSERT_EQ(revisions.revisions_size(), 2);
  EXPECT_EQ(revisions.revisions(0).narrative().general_budget_change_reason(),
            LoadSample().budget().narrative().general_budget_change_reason());

  // The same through the public REST face.
  auto http = Http();
  auto rest = http.Get(std::string("/v1/") + kBudget + "/revisions:diff?from=" +
                       std::to_string(first));
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->status, 200) << rest->body;
  auto body = nlohmann::json::parse(rest->body, nullptr, false);
  ASSERT_FALSE(body.is_discarded()) << rest->body;
  ASSERT_EQ(body["changedFields"].size(), 1u) << rest->body;
  EXPECT_EQ(body["changedFields"][0], "narrative");
  auto listed = http.Get(std::string("/v1/") + kBudget + "/revisions");
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->status, 200) << listed->body;
  EXPECT_EQ(nlohmann::json::parse(listed->body)["revisions"].size(), 2u);
}

TEST_F(ClusterTest, EveryFindingComesFromAListedRuleOfTheCurrentRuleSet) {
  yusuan::common::v1::RuleSet rules;
  grpc::Status status =
      Api()->ListRules(Context().get(), yusuan::common::v1::ListRulesRequest(), &rules);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(rules.version().empty());
  std::map<std::string, std::string> services;
  for (const auto& rule : rules.rules()) services[rule.rule_id()] += rule.service() + " ";
  for (const char* id : {"R-T1-4", "V-CODE-UNKNOWN", "R-T10-4", "X-GOALS-PROJECT", "V-P2"}) {
    EXPECT_TRUE(services.count(id)) << id;
  }

  // The sample's warnings all carry a category and the rule set's version.
  yusuan::gateway::v1::ValidateFilingRequest request;
  *request.mutable_filing() = LoadSample();
  yusuan::common::v1::ValidationReport report;
  ASSERT_TRUE(Api()->ValidateFiling(Context().get(), request, &report).ok());
  EXPECT_EQ(report.rule_set_version(), rules.version());
  ASSERT_GT(report.findings_size(), 0);
  for (const auto& finding : report.findings()) {
    EXPECT_TRUE(services.count(finding.rule_id())) << finding.rule_id() << " is not listed";
    EXPECT_NE(finding.category(), yusuan::common::v1::RULE_CATEGORY_UNSPECIFIED)
        << finding.rule_id();
  }

  auto http = Http();
  auto listed = http.Get("/v1/rules");
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->status, 200) << listed->body;
  EXPECT_EQ(nlohmann::json::parse(listed->body)["rules"].size(),
            static_cast<size_t>(rules.rules_size()));
}

// A signing key and an internal secret under `dir`: their paths, or empty
// ones (with a failure) when they cannot be made.
std::pair<std::string, std::string> MakeSecrets(const TempDir& dir) {
  const std::string key = dir.path() + "/keys/token-signing.key";
  const std::string secret = dir.path() + "/secrets/internal.secret";
  const bool made = yusuan::security::LoadOrCreateSigningKey(key).ok() &&
                    yusuan::security::LoadOrCreateInternalSecret(secret).ok();
  EXPECT_TRUE(made) << "cannot make the secrets under " << dir.path();
  return made ? std::pair{key, secret} : std::pair<std::string, std::string>{};
}

TEST(ProcessTest, ServicesStopGracefullyOnSigterm) {
  TempDir dir;
  const auto [key, secret] = MakeSecrets(dir);
  ASSERT_FALSE(key.empty());
  for (const char* binary : {"yusuan-ledger", "yusuan-goals", "yusuan-report"}) {
    ServiceProcess process(binary, binary,
                           {"--port=0", std::string("--data_dir=") + dir.path() + "/" + binary,
                            "--internal_secret_file=" + secret},
                           dir.path());
    std::string error;
    ASSERT_TRUE(process.Start({"port_file"}, &error)) << error;
    EXPECT_EQ(process.Stop(), 0) << binary << "\n" << process.LogTail();
  }
  // The gateway needs no backend to start or stop.
  ServiceProcess gateway("gateway", "yusuan-gateway",
                         {"--grpc_port=0", "--http_port=0", "--ledger_address=127.0.0.1:1",
                          "--goals_address=127.0.0.1:1", "--report_address=127.0.0.1:1",
                          "--signing_key_file=" + key, "--internal_secret_file=" + secret},
                         dir.path());
  std::string error;
  ASSERT_TRUE(gateway.Start({"port_file", "http_port_file"}, &error)) << error;
  EXPECT_EQ(gateway.Stop(), 0) << gateway.LogTail();
}

// Without their secret a service does not start, and says which file it
// looked for and how to make it: the backends need the internal secret, the
// gateway the signing key and the internal secret.
TEST(ProcessTest, ServicesWithoutTheirSecretsRefuseToStart) {
  TempDir dir;
  const auto [key, secret] = MakeSecrets(dir);
  ASSERT_FALSE(key.empty());
  const std::string no_key = dir.path() + "/keys/none.key";
  const std::string no_secret = dir.path() + "/secrets/none.secret";
  struct Case {
    std::string binary;
    std::vector<std::string> args;
    std::string missing;
    std::string how;
  };
  const std::vector<Case> cases = {
      {"yusuan-ledger", {"--port=0", "--data_dir=" + dir.path() + "/ledger", "--internal_secret_file=" + no_secret},
       no_secret, "yusuan admin secret create"},
      {"yusuan-gateway",
       {"--grpc_port=0", "--http_port=0", "--signing_key_file=" + no_key, "--internal_secret_file=" + secret},
       no_key, "yusuan admin key create"},
      {"yusuan-gateway",
       {"--grpc_port=0", "--http_port=0", "--signing_key_file=" + key, "--internal_secret_file=" + no_secret},
       no_secret, "yusuan admin secret create"},
  };
  for (const Case& c : cases) {
    ServiceProcess process(c.binary, c.binary, c.args, dir.path());
    std::string error;
    EXPECT_FALSE(process.Start({"port_file"}, &error)) << c.binary;
    EXPECT_NE(process.LogTail().find(c.missing), std::string::npos) << c.binary << ": " << process.LogTail();
    EXPECT_NE(process.LogTail().find(c.how), std::string::npos) << process.LogTail();
  }
}

// A backend is never handed the token-signing key: the flag does not exist
// in its binary, so a deployment cannot give it one by mistake.
TEST(ProcessTest, BackendsHaveNoSigningKeyFlag) {
  TempDir dir;
  const auto [key, secret] = MakeSecrets(dir);
  ASSERT_FALSE(key.empty());
  for (const char* binary : {"yusuan-ledger", "yusuan-goals", "yusuan-report"}) {
    ServiceProcess process(binary, binary,
                           {"--port=0", std::string("--data_dir=") + dir.path() + "/" + binary,
                            "--internal_secret_file=" + secret, "--signing_key_file=" + key},
                           dir.path());
    std::string error;
    EXPECT_FALSE(process.Start({"port_file"}, &error)) << binary;
    EXPECT_NE(process.LogTail().find("signing_key_file"), std::string::npos) << binary << ": " << process.LogTail();
  }
}

// The XLSX disclosure: the same bytes over gRPC and REST, a real workbook
// whose amounts are numeric cells, and formats still to come are 501.
TEST_F(ClusterTest, XlsxRendersTheSameOverGrpcAndRest) {
  yusuan::gateway::v1::ApplyFilingResponse applied;
  grpc::Status status = Apply(LoadSample(), &applied, "cluster-test-xlsx");
  ASSERT_TRUE(status.ok()) << status.error_message();

  yusuan::gateway::v1::RenderReportRequest render;
  render.set_name(kBudget);
  render.set_format(yusuan::report::v1::FORMAT_XLSX);
  yusuan::report::v1::Artifact xlsx;
  status = Api()->RenderReport(Context().get(), render, &xlsx);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(xlsx.media_type(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(xlsx.file_name(), "区科协2021年部门预算.xlsx");
  ASSERT_GT(xlsx.content().size(), 4u);
  EXPECT_EQ(xlsx.content().substr(0, 4), std::string("PK\x03\x04", 4));

  // Rendering again gives the same bytes.
  yusuan::report::v1::Artifact again;
  ASSERT_TRUE(Api()->RenderReport(Context().get(), render, &again).ok());
  EXPECT_TRUE(again.content() == xlsx.content()) << "two gRPC renders differ";
  EXPECT_EQ(again.sha256_hex(), xlsx.sha256_hex());

  auto http = Http();
  auto rest = http.Get(std::string("/v1/") + kBudget + "/report?format=xlsx");
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->status, 200) << rest->body.substr(0, 400);
  EXPECT_TRUE(rest->body == xlsx.content()) << "REST and gRPC XLSX differ";
  EXPECT_EQ(rest->get_header_value("Content-Type"), xlsx.media_type());
  EXPECT_EQ(rest->get_header_value("X-Content-SHA256"), xlsx.sha256_hex());
  const std::string disposition = rest->get_header_value("Content-Disposition");
  EXPECT_EQ(disposition.rfind("attachment", 0), 0u) << disposition;
  EXPECT_NE(disposition.find(".xlsx"), std::string::npos) << disposition;

  // Read it back as a reader's tools do.
  TempDir dir;
  const std::string path = dir.path() + "/report.xlsx";
  {
    std::ofstream out(path, std::ios::binary);
    out.write(rest->body.data(), static_cast<std::streamsize>(rest->body.size()));
  }
  auto unzip = [&](const std::string& part) {
    std::string text;
    FILE* pipe = popen(("unzip -p '" + path + "' '" + part + "' 2>/dev/null").c_str(), "r");
    if (pipe == nullptr) return text;
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) text.append(buffer, n);
    pclose(pipe);
    return text;
  };
  const std::string workbook = unzip("xl/workbook.xml");
  EXPECT_NE(workbook.find("name=\"表1 财政拨款收支预算总表\""), std::string::npos) << workbook;
  EXPECT_NE(workbook.find("name=\"表10 部门项目支出绩效目标表\""), std::string::npos);
  EXPECT_NE(unzip("xl/worksheets/sheet1.xml").find("><v>415.51</v></c>"), std::string::npos);
  EXPECT_NE(unzip("xl/worksheets/sheet3.xml").find("><v>146.7</v></c>"), std::string::npos);
  EXPECT_NE(unzip("xl/worksheets/sheet10.xml").find("><v>2380000</v></c>"), std::string::npos);
  EXPECT_EQ(unzip("xl/worksheets/sheet11.xml"), "");

  // PDF over REST is the same file as over gRPC; JSON is still to come.
  auto pdf = http.Get(std::string("/v1/") + kBudget + "/report?format=pdf");
  ASSERT_TRUE(pdf);
  ASSERT_EQ(pdf->status, 200) << pdf->body;
  EXPECT_EQ(pdf->get_header_value("Content-Type"), "application/pdf");
  EXPECT_EQ(pdf->body.rfind("%PDF-", 0), 0u);
  yusuan::gateway::v1::RenderReportRequest render_pdf;
  render_pdf.set_name(kBudget);
  render_pdf.set_format(yusuan::report::v1::FORMAT_PDF);
  yusuan::report::v1::Artifact pdf_artifact;
  ASSERT_TRUE(Api()->RenderReport(Context().get(), render_pdf, &pdf_artifact).ok());
  EXPECT_EQ(pdf_artifact.content(), pdf->body);
  // CSV: the ledger lines, one row each after the header.
  auto csv = http.Get(std::string("/v1/") + kBudget + "/report?format=csv");
  ASSERT_TRUE(csv);
  ASSERT_EQ(csv->status, 200) << csv->body;
  EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_NE(csv->body.find("expenditure-1,expenditure,"), std::string::npos) << csv->body.substr(0, 300);
}

TEST_F(ClusterTest, OpenDataTracesEveryCellToItsLedgerLinesOverGrpcAndRest) {
  yusuan::gateway::v1::ApplyFilingResponse applied;
  grpc::Status status = Apply(LoadSample(), &applied, "cluster-test-open-data");
  ASSERT_TRUE(status.ok()) << status.error_message();

  yusuan::gateway::v1::RenderReportRequest render;
  render.set_name(kBudget);
  render.set_format(yusuan::report::v1::FORMAT_JSON);
  yusuan::report::v1::Artifact artifact;
  status = Api()->RenderReport(Context().get(), render, &artifact);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(artifact.media_type(), "application/json");
  auto http = Http();
  auto rest = http.Get(std::string("/v1/") + kBudget + "/report?format=json");
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->status, 200) << rest->body.substr(0, 400);
  EXPECT_TRUE(rest->body == artifact.content()) << "REST and gRPC JSON differ";

  const nlohmann::json json = nlohmann::json::parse(artifact.content(), nullptr, false);
  ASSERT_FALSE(json.is_discarded());
  std::map<std::string, int64_t> amount;
  for (const auto& line : json["lines"]) amount[line["id"]] = line["amount_fen"].get<int64_t>();
  int traced = 0;
  for (const auto& table : json["tables"]) {
    for (const char* side : {"rows", "right_rows"}) {
      if (!table.contains(side)) continue;
      for (const auto& row : table[side]) {
        for (const auto& cell : row["cells"]) {
          if (!cell.contains("lines")) continue;
          ++traced;
          int64_t sum = 0;
          for (const auto& id : cell["lines"]) sum += amount.at(id.get<std::string>());
          EXPECT_EQ(sum, cell["fen"].get<int64_t>())
              << table["title"] << " / " << row["name"] << " / " << cell["column"];
        }
      }
    }
  }
  EXPECT_GT(traced, 50);
  EXPECT_EQ(json["budget"]["revision"], applied.budget().revision());

  // The package names the CSV and the JSON as the service renders them.
  auto package = http.Get(std::string("/v1/") + kBudget + "/report?format=datapackage");
  ASSERT_TRUE(package);
  ASSERT_EQ(package->status, 200) << package->body.substr(0, 400);
  const nlohmann::json descriptor = nlohmann::json::parse(package->body, nullptr, false);
  ASSERT_FALSE(descriptor.is_discarded());
  EXPECT_EQ(descriptor["resources"][1]["hash"], "sha256:" + artifact.sha256_hex());

  // Another template set: same figures, the 143号 order; an unknown one is
  // refused naming the field and the sets there are.
  auto national = http.Get(std::string("/v1/") + kBudget + "/report?format=html&template=national-2016-143");
  ASSERT_TRUE(national);
  ASSERT_EQ(national->status, 200);
  EXPECT_NE(national->body.find("表1 区科协2021年部门收支总体情况表"), std::string::npos);
  auto unknown = http.Get(std::string("/v1/") + kBudget + "/report?template=atlantis");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 400) << unknown->body;
  EXPECT_NE(unknown->body.find("template_set"), std::string::npos) << unknown->body;
  EXPECT_NE(unknown->body.find("national-2016-143"), std::string::npos) << unknown->body;
}


// Going around the gateway is refused: a backend answers only calls that
// carry the gateway's internal credential, whatever else they carry.
TEST_F(ClusterTest, BackendsRefuseCallsWithoutTheGatewaysCredential) {
  auto ledger = yusuan::ledger::v1::LedgerService::NewStub(
      grpc::CreateChannel(cluster_->ledger().address(), grpc::InsecureChannelCredentials()));
  auto goals = yusuan::goals::v1::GoalsService::NewStub(
      grpc::CreateChannel(cluster_->goals().address(), grpc::InsecureChannelCredentials()));
  auto report = yusuan::report::v1::ReportService::NewStub(
      grpc::CreateChannel(cluster_->report().address(), grpc::InsecureChannelCredentials()));
  auto call_all = [&](const std::function<std::unique_ptr<grpc::ClientContext>()>& context) {
    std::vector<grpc::Status> answers;
    yusuan::ledger::v1::GetBudgetRequest get_budget;
    get_budget.set_name(kBudget);
    yusuan::ledger::v1::Budget budget;
    answers.push_back(ledger->GetBudget(context().get(), get_budget, &budget));
    yusuan::common::v1::ListRulesRequest list_rules;
    yusuan::common::v1::RuleSet rules;
    answers.push_back(ledger->ListRules(context().get(), list_rules, &rules));
    yusuan::goals::v1::GetGoalsRequest get_goals;
    get_goals.set_name(std::string(kBudget) + "/goals");
    yusuan::goals::v1::GoalSet goal_set;
    answers.push_back(goals->GetGoals(context().get(), get_goals, &goal_set));
    yusuan::report::v1::VerifyArtifactRequest verify;
    verify.set_content("not a disclosure");
    yusuan::report::v1::VerifyArtifactResponse verified;
    answers.push_back(report->VerifyArtifact(context().get(), verify, &verified));
    return answers;
  };
  const std::vector<std::pair<std::string, std::function<std::unique_ptr<grpc::ClientContext>()>>> refused = {
      {"no credential", [] { return Context(std::nullopt); }},
      {"a user's token instead", [] { return Context(Role::kAdmin); }},
      {"a wrong credential",
       [] {
         auto context = Context(std::nullopt);
         context->AddMetadata(yusuan::security::kInternalCredentialHeader, std::string(64, 'a'));
         return context;
       }},
      // Whoever holds the token-signing key is not thereby the gateway.
      {"a credential made from the signing key",
       [] {
         auto context = Context(std::nullopt);
         auto from_key = yusuan::security::InternalSecret::FromBytes(cluster_->signing_key().bytes());
         context->AddMetadata(yusuan::security::kInternalCredentialHeader, from_key->credential());
         return context;
       }},
  };
  for (const auto& [what, context] : refused) {
    for (const grpc::Status& answer : call_all(context)) {
      EXPECT_EQ(answer.error_code(), grpc::StatusCode::UNAUTHENTICATED) << what << ": " << answer.error_message();
      EXPECT_NE(answer.error_message().find("gateway"), std::string::npos) << answer.error_message();
    }
  }
  // With the credential the same calls are answered (NOT_FOUND or OK).
  for (const grpc::Status& answer : call_all([] { return BackendContext(); })) {
    EXPECT_NE(answer.error_code(), grpc::StatusCode::UNAUTHENTICATED) << answer.error_message();
  }
}

// Every cell of the permission matrix (services/gateway/auth/permissions.md),
// through gRPC and REST: "any" is answered for everyone, "scope" for a token
// whose scope covers the resource and refused (403) for one whose does not,
// "-" is 401 without a token and 403 with one. "Answered" means not refused
// by authorization: the call may still fail on its own terms (NOT_FOUND,
// INVALID_ARGUMENT, FAILED_PRECONDITION), because the requests aim at a
// department nobody else uses.
TEST_F(ClusterTest, EveryCellOfTheRoleMatrixAnswersAsTheTableSaysOverGrpcAndRest) {
  using yusuan::gateway::auth::Access;
  using yusuan::gateway::auth::Principal;
  namespace lv1 = yusuan::ledger::v1;
  namespace ov1 = yusuan::goals::v1;
  namespace rv1 = yusuan::report::v1;
  namespace gv1 = yusuan::gateway::v1;
  absl::StatusOr<const yusuan::gateway::auth::PermissionMatrix*> matrix =
      yusuan::gateway::auth::DefaultPermissions();
  ASSERT_TRUE(matrix.ok()) << matrix.status();

  const std::string department = "regions/420107/departments/777000001";
  const std::string budget = department + "/budgets/2031";
  const std::string goals = budget + "/goals";
  Filing filing;
  filing.mutable_department()->set_region_code("420107");
  filing.mutable_department()->set_agency_code("777000001");
  filing.mutable_budget()->set_fiscal_year(2031);
  const std::string filing_json = ToJson(filing);

  struct Call {
    std::function<grpc::Status(PublicApi::Stub&, grpc::ClientContext*)> grpc;
    std::function<httplib::Result(httplib::Client&)> rest;
    // A scope that covers the call's resource and one that does not.
    std::string in_scope = "regions/4201";
    std::string out_of_scope = "regions/4202";
  };
  auto step = [&](lv1::WorkflowAction action) {
    return Call{[=](PublicApi::Stub& api, grpc::ClientContext* c) {
                  lv1::TransitionBudgetRequest r;
                  r.set_name(budget);
                  r.set_action(action);
                  r.set_comment("矩阵测试 / matrix test");
                  lv1::BudgetVersion out;
                  return api.TransitionBudget(c, r, &out);
                },
                [=](httplib::Client& http) {
                  const char* verb = action == lv1::WORKFLOW_ACTION_SUBMIT    ? ":submit"
                                     : action == lv1::WORKFLOW_ACTION_APPROVE ? ":approve"
                                     : action == lv1::WORKFLOW_ACTION_RETURN  ? ":return"
                                                                              : ":publish";
                  return http.Post("/v1/" + budget + verb, R"({"comment":"矩阵测试"})", "application/json");
                }};
  };
  std::map<std::string, Call> calls = {
      {"ListRules",
       {[](PublicApi::Stub& api, grpc::ClientContext* c) {
          yusuan::common::v1::RuleSet out;
          return api.ListRules(c, yusuan::common::v1::ListRulesRequest(), &out);
        },
        [](httplib::Client& http) { return http.Get("/v1/rules"); }}},
      {"CreateDepartment",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          lv1::CreateDepartmentRequest r;
          r.mutable_department()->set_name(department);
          lv1::Department out;
          return api.CreateDepartment(c, r, &out);
        },
        [&](httplib::Client& http) {
          return http.Post("/v1/regions/420107/departments", R"({"name":")" + department + R"("})",
                           "application/json");
        }}},
      {"GetDepartment",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          lv1::GetDepartmentRequest r;
          r.set_name(department);
          lv1::Department out;
          return api.GetDepartment(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Get("/v1/" + department); }}},
      {"ListDepartments",
       {[](PublicApi::Stub& api, grpc::ClientContext* c) {
          lv1::ListDepartmentsRequest r;
          r.set_parent("regions/420107");
          lv1::ListDepartmentsResponse out;
          return api.ListDepartments(c, r, &out);
        },
        [](httplib::Client& http) { return http.Get("/v1/regions/420107/departments"); }}},
      {"PutBudget",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          lv1::PutBudgetRequest r;
          r.mutable_budget()->set_name(budget);
          lv1::Budget out;
          return api.PutBudget(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Put("/v1/" + budget, "{}", "application/json"); }}},
      {"GetBudget",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          lv1::GetBudgetRequest r;
          r.set_name(budget);
          lv1::Budget out;
          return api.GetBudget(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Get("/v1/" + budget); }}},
      {"GetBudgetTables",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          yusuan::gateway::v1::GetBudgetTablesRequest r;
          r.set_name(budget);
          lv1::BudgetTables out;
          return api.GetBudgetTables(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Get("/v1/" + budget + "/tables"); }}},
      {"PutGoals",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          ov1::PutGoalsRequest r;
          r.mutable_goals()->set_name(goals);
          ov1::GoalSet out;
          return api.PutGoals(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Put("/v1/" + goals, "{}", "application/json"); }}},
      {"GetGoals",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          ov1::GetGoalsRequest r;
          r.set_name(goals);
          ov1::GoalSet out;
          return api.GetGoals(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Get("/v1/" + goals); }}},
      {"ApplyFiling",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          gv1::ApplyFilingRequest r;
          *r.mutable_filing() = filing;
          gv1::ApplyFilingResponse out;
          return api.ApplyFiling(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Post("/v1/filings:apply", filing_json, "application/json"); }}},
      {"ValidateFiling",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          gv1::ValidateFilingRequest r;
          *r.mutable_filing() = filing;
          yusuan::common::v1::ValidationReport out;
          return api.ValidateFiling(c, r, &out);
        },
        [&](httplib::Client& http) {
          return http.Post("/v1/filings:validate", filing_json, "application/json");
        }}},
      {"ValidateBudget",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          gv1::ValidateStoredBudgetRequest r;
          r.set_name(budget);
          yusuan::common::v1::ValidationReport out;
          return api.ValidateBudget(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Post("/v1/" + budget + ":validate", "", "application/json"); }}},
      {"ListBudgetRevisions",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          lv1::ListBudgetRevisionsRequest r;
          r.set_name(budget);
          lv1::ListBudgetRevisionsResponse out;
          return api.ListBudgetRevisions(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Get("/v1/" + budget + "/revisions"); }}},
      {"DiffBudgetRevisions",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          lv1::DiffBudgetRevisionsRequest r;
          r.set_name(budget);
          r.set_from_revision(1);
          lv1::RevisionDiff out;
          return api.DiffBudgetRevisions(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Get("/v1/" + budget + "/revisions:diff?from=1"); }}},
      {"ListGoalsRevisions",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          ov1::ListGoalsRevisionsRequest r;
          r.set_name(goals);
          ov1::ListGoalsRevisionsResponse out;
          return api.ListGoalsRevisions(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Get("/v1/" + goals + "/revisions"); }}},
      {"DiffGoalsRevisions",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          ov1::DiffGoalsRevisionsRequest r;
          r.set_name(goals);
          r.set_from_revision(1);
          ov1::GoalsDiff out;
          return api.DiffGoalsRevisions(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Get("/v1/" + goals + "/revisions:diff?from=1"); }}},
      {"TransitionBudget:SUBMIT", step(lv1::WORKFLOW_ACTION_SUBMIT)},
      {"TransitionBudget:APPROVE", step(lv1::WORKFLOW_ACTION_APPROVE)},
      {"TransitionBudget:RETURN", step(lv1::WORKFLOW_ACTION_RETURN)},
      {"TransitionBudget:PUBLISH", step(lv1::WORKFLOW_ACTION_PUBLISH)},
      {"ListBudgetVersions",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          lv1::ListBudgetVersionsRequest r;
          r.set_name(budget);
          lv1::ListBudgetVersionsResponse out;
          return api.ListBudgetVersions(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Get("/v1/" + budget + "/versions"); }}},
      {"RenderReport",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          gv1::RenderReportRequest r;
          r.set_name(budget);
          rv1::Artifact out;
          return api.RenderReport(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Get("/v1/" + budget + "/report"); }}},
      {"GetPublished",
       {[&](PublicApi::Stub& api, grpc::ClientContext* c) {
          rv1::GetPublishedRequest r;
          r.set_budget_name(budget);
          rv1::PublishedDisclosure out;
          return api.GetPublished(c, r, &out);
        },
        [&](httplib::Client& http) { return http.Get("/v1/" + budget + "/published"); }}},
      {"ListPublished",
       {[](PublicApi::Stub& api, grpc::ClientContext* c) {
          rv1::ListPublishedRequest r;
          r.set_region("420107");
          rv1::ListPublishedResponse out;
          return api.ListPublished(c, r, &out);
        },
        [](httplib::Client& http) { return http.Get("/v1/published?region=420107"); }}},
      {"ListSubmissions",
       {[](PublicApi::Stub& api, grpc::ClientContext* c) {
          lv1::ListSubmissionsRequest r;
          r.set_parent("regions/420107");
          lv1::ListSubmissionsResponse out;
          return api.ListSubmissions(c, r, &out);
        },
        [](httplib::Client& http) { return http.Get("/v1/regions/420107/submissions"); }}},
      {"VerifyArtifact",
       {[](PublicApi::Stub& api, grpc::ClientContext* c) {
          rv1::VerifyArtifactRequest r;
          r.set_content("not a disclosure");
          rv1::VerifyArtifactResponse out;
          return api.VerifyArtifact(c, r, &out);
        },
        [](httplib::Client& http) { return http.Post("/v1/artifacts:verify", "not a disclosure", "text/plain"); }}},
      {"ListCatalogues",
       {[](PublicApi::Stub& api, grpc::ClientContext* c) {
          lv1::ListCataloguesResponse out;
          return api.ListCatalogues(c, lv1::ListCataloguesRequest(), &out);
        },
        [](httplib::Client& http) { return http.Get("/v1/catalogues"); }}},
      {"GetCatalogue",
       {[](PublicApi::Stub& api, grpc::ClientContext* c) {
          lv1::GetCatalogueRequest r;
          r.set_edition(2021);
          lv1::Catalogue out;
          return api.GetCatalogue(c, r, &out);
        },
        [](httplib::Client& http) { return http.Get("/v1/catalogues/2021"); }}},
      {"GetCatalogueCode",
       {[](PublicApi::Stub& api, grpc::ClientContext* c) {
          lv1::GetCatalogueCodeRequest r;
          r.set_edition(2021);
          r.set_code("2010101");
          lv1::CatalogueCodeDetail out;
          return api.GetCatalogueCode(c, r, &out);
        },
        [](httplib::Client& http) { return http.Get("/v1/catalogues/2021/codes/2010101"); }}},
      {"DiffCatalogues",
       {[](PublicApi::Stub& api, grpc::ClientContext* c) {
          lv1::DiffCataloguesRequest r;
          r.set_from_edition(2021);
          r.set_to_edition(2022);
          lv1::CatalogueDiff out;
          return api.DiffCatalogues(c, r, &out);
        },
        [](httplib::Client& http) { return http.Get("/v1/catalogues/2022:diff?from=2021"); }}},
      // A file that is no catalogue: an allowed caller gets INVALID_ARGUMENT
      // and nothing is stored. Catalogues are national: the resource is
      // regions/, so only a nationwide scope covers it.
      {"ImportCatalogue",
       {[](PublicApi::Stub& api, grpc::ClientContext* c) {
          lv1::ImportCatalogueRequest r;
          r.set_edition(2031);
          r.set_content("not a catalogue");
          lv1::CatalogueEdition out;
          return api.ImportCatalogue(c, r, &out);
        },
        [](httplib::Client& http) { return http.Post("/v1/catalogues/2031:import", "not a catalogue", "text/csv"); },
        "regions/", "regions/42"}},
  };

  // A token for a principal with a scope; "" for none.
  auto token = [&](Principal principal, const std::string& scope) -> std::string {
    if (principal == Principal::kAnonymous) return "";
    TokenClaims claims;
    claims.subject = "matrix";
    claims.role = principal == Principal::kPreparer   ? Role::kPreparer
                  : principal == Principal::kReviewer ? Role::kReviewer
                  : principal == Principal::kIntegrator ? Role::kIntegrator
                                                        : Role::kAdmin;
    claims.scope = scope;
    claims.issued_at_unix_seconds = NowSeconds();
    claims.expires_at_unix_seconds = NowSeconds() + 600;
    return yusuan::security::MintToken(claims, cluster_->signing_key());
  };
  enum class Answer { kAnswered, kUnauthenticated, kDenied };
  auto grpc_answer = [](const grpc::Status& status) {
    if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) return Answer::kUnauthenticated;
    if (status.error_code() == grpc::StatusCode::PERMISSION_DENIED) return Answer::kDenied;
    return Answer::kAnswered;
  };
  auto rest_answer = [](const httplib::Result& result) {
    if (!result) return Answer::kDenied;  // no answer at all is never "answered"
    if (result->status == 401) return Answer::kUnauthenticated;
    if (result->status == 403) return Answer::kDenied;
    return Answer::kAnswered;
  };
  const char* names[] = {"answered", "401 UNAUTHENTICATED", "403 PERMISSION_DENIED"};

  int cells = 0;
  for (const std::string& method : (*matrix)->methods()) {
    if (method.rfind("admin.", 0) == 0) continue;  // CLI operations on the key file, not RPCs
    ASSERT_TRUE(calls.count(method)) << "no call for matrix row " << method;
    const Call& call = calls.at(method);
    for (Principal principal : yusuan::gateway::auth::kAllPrincipals) {
      const Access access = *(*matrix)->Cell(method, principal);
      // In scope ("regions/4201" covers 420107) and, for scope cells, out of it.
      std::vector<std::pair<std::string, Answer>> cases;
      if (access == Access::kAnyone) {
        cases.push_back({call.in_scope, Answer::kAnswered});
      } else if (access == Access::kInScope) {
        cases.push_back({call.in_scope, Answer::kAnswered});
        cases.push_back({call.out_of_scope, Answer::kDenied});
      } else {
        cases.push_back(
            {call.in_scope, principal == Principal::kAnonymous ? Answer::kUnauthenticated : Answer::kDenied});
      }
      for (const auto& [scope, expected] : cases) {
        const std::string bearer = token(principal, scope);
        const std::string what = method + " as " + std::string(yusuan::gateway::auth::PrincipalName(principal)) +
                                 (bearer.empty() ? "" : " (" + scope + ")");
        auto context = Context(std::nullopt);
        if (!bearer.empty()) context->AddMetadata("authorization", "Bearer " + bearer);
        const grpc::Status status = call.grpc(*Api(), context.get());
        EXPECT_EQ(names[static_cast<int>(grpc_answer(status))], names[static_cast<int>(expected)])
            << "gRPC " << what << ": " << status.error_code() << " " << status.error_message();
        auto http = Http(std::nullopt);
        if (!bearer.empty()) http.set_default_headers({{"Authorization", "Bearer " + bearer}});
        const httplib::Result result = call.rest(http);
        EXPECT_EQ(names[static_cast<int>(rest_answer(result))], names[static_cast<int>(expected)])
            << "REST " << what << ": " << (result ? result->status : -1) << " "
            << (result ? result->body.substr(0, 300) : std::string());
        ++cells;
      }
    }
  }
  EXPECT_GE(cells, 23 * 5);
}


// A gateway killed half-way through publishing — after the ledger marked the
// budget published, before the files were archived — and the same request
// retried: one publication, with its files.
TEST_F(ClusterTest, PublishInterruptedAfterTheLedgerStepAndRetriedPublishesExactlyOnce) {
  ASSERT_NO_FATAL_FAILURE(PublishInterruptedBeforeTheArchive("crash-publish"));

  // The ledger says published; the archive has nothing yet.
  auto ledger = yusuan::ledger::v1::LedgerService::NewStub(
      grpc::CreateChannel(cluster_->ledger().address(), grpc::InsecureChannelCredentials()));
  auto report = yusuan::report::v1::ReportService::NewStub(
      grpc::CreateChannel(cluster_->report().address(), grpc::InsecureChannelCredentials()));
  auto published_versions = [&] {
    yusuan::ledger::v1::ListBudgetVersionsRequest list;
    list.set_name(kBudget);
    list.set_page_size(100);
    yusuan::ledger::v1::ListBudgetVersionsResponse history;
    EXPECT_TRUE(ledger->ListBudgetVersions(BackendContext().get(), list, &history).ok());
    std::vector<int64_t> published;
    for (const auto& v : history.versions()) {
      if (v.action() == yusuan::ledger::v1::WORKFLOW_ACTION_PUBLISH) published.push_back(v.version());
    }
    return published;
  };
  ASSERT_EQ(published_versions().size(), 1u);
  yusuan::report::v1::GetPublishedRequest get;
  get.set_budget_name(kBudget);
  yusuan::report::v1::PublishedDisclosure archived;
  EXPECT_EQ(report->GetPublished(BackendContext().get(), get, &archived).error_code(),
            grpc::StatusCode::NOT_FOUND);

  // The retry, on a healthy gateway, with the same request id.
  std::string error;
  ASSERT_TRUE(cluster_->RestartGateway({}, &error)) << error;
  yusuan::ledger::v1::BudgetVersion retried;
  grpc::Status status = Step(yusuan::ledger::v1::WORKFLOW_ACTION_PUBLISH, "crash-publish", &retried);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(retried.action(), yusuan::ledger::v1::WORKFLOW_ACTION_PUBLISH);
  EXPECT_EQ(published_versions(), std::vector<int64_t>{retried.version()});
  status = Api()->GetPublished(Context(std::nullopt).get(), get, &archived);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(archived.version(), retried.version());
  EXPECT_EQ(archived.publish_time_unix_ms(), retried.time_unix_ms());
  EXPECT_GE(archived.artifacts_size(), 5);

  // Retried again: the same answer, still one publication.
  yusuan::ledger::v1::BudgetVersion again;
  ASSERT_TRUE(Step(yusuan::ledger::v1::WORKFLOW_ACTION_PUBLISH, "crash-publish", &again).ok());
  EXPECT_EQ(again.version(), retried.version());
  EXPECT_EQ(published_versions().size(), 1u);
}

// A retry under another request id is refused (already published) and still
// leaves the files archived.
TEST_F(ClusterTest, PublishRetriedUnderANewRequestIdIsRefusedButArchivesTheInterruptedOne) {
  ASSERT_NO_FATAL_FAILURE(PublishInterruptedBeforeTheArchive("repair-publish-1"));
  std::string error;
  ASSERT_TRUE(cluster_->RestartGateway({}, &error)) << error;

  yusuan::ledger::v1::BudgetVersion version;
  grpc::Status refused = Step(yusuan::ledger::v1::WORKFLOW_ACTION_PUBLISH, "repair-publish-2", &version);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << refused.error_message();
  yusuan::report::v1::GetPublishedRequest get;
  get.set_budget_name(kBudget);
  yusuan::report::v1::PublishedDisclosure archived;
  grpc::Status status = Api()->GetPublished(Context(std::nullopt).get(), get, &archived);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_GE(archived.artifacts_size(), 5);
}


// The web pages: the public index finds a published department by region,
// year and name, escapes what the visitor typed, and the department page
// offers every archived file with its SHA-256; the reviewer's queue is the
// API's, so it needs a token in scope.
TEST_F(ClusterTest, PublicPagesListPublishedDisclosuresAndTheQueueNeedsAToken) {
  yusuan::gateway::v1::ApplyFilingResponse applied;
  ASSERT_TRUE(Apply(LoadSample(), &applied).ok());
  for (auto action : {yusuan::ledger::v1::WORKFLOW_ACTION_SUBMIT}) {
    yusuan::ledger::v1::TransitionBudgetRequest request;
    request.set_name(kBudget);
    request.set_action(action);
    yusuan::ledger::v1::BudgetVersion version;
    ASSERT_TRUE(Api()->TransitionBudget(StepContext(action).get(), request, &version).ok());
  }
  // The queue over REST: anonymous 401, a reviewer of another province 403,
  // a reviewer of the district sees the submission.
  auto anonymous = Http(std::nullopt).Get("/v1/regions/420107/submissions");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401) << anonymous->body;
  auto reviewer = Http(Role::kReviewer).Get("/v1/regions/4201/submissions?status=submitted");
  ASSERT_TRUE(reviewer);
  ASSERT_EQ(reviewer->status, 200) << reviewer->body;
  EXPECT_NE(reviewer->body.find(kBudget), std::string::npos) << reviewer->body;
  EXPECT_NE(reviewer->body.find("武汉市青山区科学技术协会"), std::string::npos) << reviewer->body;
  auto drafts = Http(Role::kReviewer).Get("/v1/regions/4201/submissions?status=draft");
  ASSERT_TRUE(drafts);
  EXPECT_EQ(drafts->body.find(kBudget), std::string::npos) << drafts->body;

  for (auto action : {yusuan::ledger::v1::WORKFLOW_ACTION_APPROVE, yusuan::ledger::v1::WORKFLOW_ACTION_PUBLISH}) {
    yusuan::ledger::v1::TransitionBudgetRequest request;
    request.set_name(kBudget);
    request.set_action(action);
    yusuan::ledger::v1::BudgetVersion version;
    ASSERT_TRUE(Api()->TransitionBudget(StepContext(action).get(), request, &version).ok());
  }
  auto http = Http(std::nullopt);
  auto index = http.Get("/?region=4201&year=2021&q=%E7%A7%91%E5%8D%8F");  // q=科协
  ASSERT_TRUE(index);
  ASSERT_EQ(index->status, 200) << index->body;
  EXPECT_NE(index->get_header_value("Content-Type").find("text/html"), std::string::npos);
  EXPECT_NE(index->body.find(std::string("href=\"/disclosures/") + kBudget + "\""), std::string::npos) << index->body;
  for (const char* miss : {"/?region=4202", "/?year=2020", "/?q=%E8%B4%A2%E6%94%BF%E5%B1%80"}) {
    auto none = http.Get(miss);
    ASSERT_TRUE(none);
    EXPECT_NE(none->body.find("no-results"), std::string::npos) << miss;
  }
  auto hostile = http.Get("/?q=%3Cscript%3Ealert(1)%3C/script%3E");
  ASSERT_TRUE(hostile);
  EXPECT_EQ(hostile->body.find("<script>alert(1)"), std::string::npos);
  EXPECT_NE(hostile->body.find("&lt;script&gt;alert(1)"), std::string::npos);
  auto bad_year = http.Get("/?year=abc");
  ASSERT_TRUE(bad_year);
  EXPECT_EQ(bad_year->status, 400);

  auto page = http.Get(std::string("/disclosures/") + kBudget);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  yusuan::report::v1::GetPublishedRequest get;
  get.set_budget_name(kBudget);
  yusuan::report::v1::PublishedDisclosure published;
  ASSERT_TRUE(Api()->GetPublished(Context(std::nullopt).get(), get, &published).ok());
  for (const auto& artifact : published.artifacts()) {
    EXPECT_NE(page->body.find(artifact.sha256_hex()), std::string::npos) << artifact.file_name();
  }
  EXPECT_NE(page->body.find("<iframe"), std::string::npos);
  auto missing = http.Get("/disclosures/regions/420107/departments/005001022/budgets/2030");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  auto review = http.Get("/review?region=420107");
  ASSERT_TRUE(review);
  EXPECT_EQ(review->status, 200);
}

// The samples of /metrics as a map from series ("name{labels}") to value.
std::map<std::string, double> ScrapeMetrics(httplib::Client& http) {
  std::map<std::string, double> samples;
  auto result = http.Get("/metrics");
  EXPECT_TRUE(result);
  if (!result) return samples;
  EXPECT_EQ(result->status, 200) << result->body;
  EXPECT_EQ(result->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  size_t start = 0;
  while (start < result->body.size()) {
    size_t end = result->body.find('\n', start);
    if (end == std::string::npos) end = result->body.size();
    const std::string line = result->body.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.rfind(' ');
    samples[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return samples;
}

// The JSON lines of the gateway's log whose request_id is `id`.
std::vector<nlohmann::json> AccessLines(const std::string& log, const std::string& id) {
  std::vector<nlohmann::json> lines;
  size_t start = 0;
  while (start < log.size()) {
    size_t end = log.find('\n', start);
    if (end == std::string::npos) end = log.size();
    const std::string line = log.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line[0] != '{') continue;
    auto json = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (json.is_object() && json.value("request_id", "") == id) lines.push_back(json);
  }
  return lines;
}

// /metrics counts every request of both faces by method and code, exactly
// (this test is the only client of its gateway), the error counter counts
// the refusals, and each request leaves one access-log line carrying its
// request id, caller and status — never its token.
TEST_F(ClusterTest, MetricsCountEveryRequestAndTheAccessLogHasItsLine) {
  yusuan::gateway::v1::ApplyFilingResponse applied;
  ASSERT_TRUE(Apply(LoadSample(), &applied).ok());
  auto anonymous = Http(std::nullopt);  // /metrics needs no token
  const std::map<std::string, double> before = ScrapeMetrics(anonymous);

  const std::string grpc_route = "face=\"grpc\",method=\"GetBudget\"";
  const std::string rest_route = "face=\"rest\",method=\"GET /v1/regions/{r}/departments/{a}/budgets/{y}\"";
  const std::string suffix = std::to_string(NowSeconds());
  yusuan::ledger::v1::GetBudgetRequest get;
  get.set_name(kBudget);
  yusuan::ledger::v1::Budget budget;
  for (int i = 0; i < 2; ++i) {
    auto context = Context();
    context->AddMetadata("x-request-id", "metrics-grpc-" + std::to_string(i) + "-" + suffix);
    grpc::Status status = Api()->GetBudget(context.get(), get, &budget);
    ASSERT_TRUE(status.ok()) << status.error_message();
    const auto& echoed = context->GetServerInitialMetadata();
    ASSERT_EQ(echoed.count("x-request-id"), 1u);
    EXPECT_EQ(std::string(echoed.find("x-request-id")->second.data(), echoed.find("x-request-id")->second.size()),
              "metrics-grpc-" + std::to_string(i) + "-" + suffix);
  }
  {
    auto context = Context(std::nullopt);  // refused: GetBudget needs a token
    context->AddMetadata("x-request-id", "metrics-grpc-refused-" + suffix);
    EXPECT_EQ(Api()->GetBudget(context.get(), get, &budget).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }
  const std::string token = Token(Role::kIntegrator);
  httplib::Client http("127.0.0.1", cluster_->gateway_http_port());
  http.set_read_timeout(60, 0);
  auto read = http.Get("/v1/" + std::string(kBudget) + "?revision=0",
                       {{"Authorization", "Bearer " + token}, {"X-Request-Id", "metrics-rest-" + suffix}});
  ASSERT_TRUE(read);
  ASSERT_EQ(read->status, 200) << read->body;
  EXPECT_EQ(read->get_header_value("X-Request-Id"), "metrics-rest-" + suffix);
  auto refused = anonymous.Get("/v1/" + std::string(kBudget));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  EXPECT_EQ(refused->get_header_value("X-Request-Id").size(), 32u);  // generated

  const std::map<std::string, double> after = ScrapeMetrics(anonymous);
  auto moved = [&](const std::string& series) {
    const auto was = before.find(series);
    const auto now = after.find(series);
    return (now == after.end() ? 0.0 : now->second) - (was == before.end() ? 0.0 : was->second);
  };
  EXPECT_EQ(moved("yusuan_gateway_requests_total{" + grpc_route + ",code=\"OK\"}"), 2);
  EXPECT_EQ(moved("yusuan_gateway_errors_total{" + grpc_route + ",code=\"OK\"}"), 0);
  EXPECT_EQ(moved("yusuan_gateway_requests_total{" + grpc_route + ",code=\"UNAUTHENTICATED\"}"), 1);
  EXPECT_EQ(moved("yusuan_gateway_errors_total{" + grpc_route + ",code=\"UNAUTHENTICATED\"}"), 1);
  EXPECT_EQ(moved("yusuan_gateway_request_duration_seconds_count{" + grpc_route + "}"), 3);
  EXPECT_EQ(moved("yusuan_gateway_request_duration_seconds_bucket{" + grpc_route + ",le=\"+Inf\"}"), 3);
  EXPECT_EQ(moved("yusuan_gateway_requests_total{" + rest_route + ",code=\"200\"}"), 1);
  EXPECT_EQ(moved("yusuan_gateway_requests_total{" + rest_route + ",code=\"401\"}"), 1);
  EXPECT_EQ(moved("yusuan_gateway_errors_total{" + rest_route + ",code=\"401\"}"), 1);
  EXPECT_EQ(moved("yusuan_gateway_request_duration_seconds_count{" + rest_route + "}"), 2);
  // The first scrape, counted once it was answered.
  EXPECT_EQ(moved("yusuan_gateway_requests_total{face=\"rest\",method=\"GET /metrics\",code=\"200\"}"), 1);
  EXPECT_EQ(after.at("yusuan_gateway_in_flight_requests{face=\"rest\"}"), 1);  // this scrape
  EXPECT_EQ(after.at("yusuan_gateway_in_flight_requests{face=\"grpc\"}"), 0);
  EXPECT_GT(after.at("yusuan_gateway_requests_total{face=\"grpc\",method=\"ApplyFiling\",code=\"OK\"}"), 0);

  // One line per request, written before the answer left the gateway.
  // The whole log (LogTail keeps only its last 4000 characters); the
  // harness writes it to <root>/<name>.log.
  std::string log = ReadFile(dir_->path() + "/gateway.log");
  if (log.empty()) log = cluster_->gateway().LogTail();
  EXPECT_EQ(log.find(token), std::string::npos) << "the token is in the log";
  const std::vector<nlohmann::json> rest_lines = AccessLines(log, "metrics-rest-" + suffix);
  ASSERT_EQ(rest_lines.size(), 1u) << log;
  const nlohmann::json& line = rest_lines[0];
  EXPECT_EQ(line.value("face", ""), "rest");
  EXPECT_EQ(line.value("method", ""), "GET /v1/regions/{r}/departments/{a}/budgets/{y}");
  EXPECT_EQ(line.value("resource", ""), std::string("/v1/") + kBudget);
  EXPECT_EQ(line.value("code", ""), "200");
  EXPECT_EQ(line.value("http_status", 0), 200);
  EXPECT_EQ(line.value("subject", ""), "cluster-test");
  EXPECT_EQ(line.value("role", ""), "integrator");
  EXPECT_EQ(line.value("bytes_out", size_t{0}), read->body.size());
  EXPECT_EQ(line.value("peer", "").rfind("127.0.0.1:", 0), 0u);
  EXPECT_EQ(line.value("time", "").size(), std::string("2021-03-04T05:06:07.089Z").size());
  EXPECT_TRUE(line.contains("duration_ms"));
  const std::vector<nlohmann::json> grpc_lines = AccessLines(log, "metrics-grpc-1-" + suffix);
  ASSERT_EQ(grpc_lines.size(), 1u) << log;
  EXPECT_EQ(grpc_lines[0].value("method", ""), "GetBudget");
  EXPECT_EQ(grpc_lines[0].value("code", ""), "OK");
  EXPECT_EQ(grpc_lines[0].value("resource", ""), kBudget);
  EXPECT_EQ(grpc_lines[0].value("role", ""), "integrator");
  EXPECT_GT(grpc_lines[0].value("bytes_out", 0), 0);
  const std::vector<nlohmann::json> refused_lines = AccessLines(log, "metrics-grpc-refused-" + suffix);
  ASSERT_EQ(refused_lines.size(), 1u) << log;
  EXPECT_EQ(refused_lines[0].value("code", ""), "UNAUTHENTICATED");
  EXPECT_FALSE(refused_lines[0].contains("subject"));
}

// GET /v1/openapi.json is the reviewed file byte for byte, anonymously; and
// a client's short deadline on an expensive call (a PDF) ends it with
// DEADLINE_EXCEEDED rather than a hang, after which the gateway still
// renders. (1 ms: the call cannot finish in time on any machine. The proof
// that the deadline reaches the backends — they are told it and cancelled
// with it — is gateway_deadline_test, with a renderer that never ends.)
TEST_F(ClusterTest, OpenApiDocumentIsServedAndShortDeadlinesEndExpensiveCalls) {
  auto anonymous = Http(std::nullopt);
  auto document = anonymous.Get("/v1/openapi.json");
  ASSERT_TRUE(document);
  ASSERT_EQ(document->status, 200) << document->body;
  EXPECT_EQ(document->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(document->body, ReadFile(std::string(YUSUAN_SOURCE_DIR) + "/services/gateway/http/openapi.json"));
  EXPECT_EQ(nlohmann::json::parse(document->body, nullptr, false).value("openapi", ""), "3.0.3");

  yusuan::gateway::v1::ApplyFilingResponse applied;
  ASSERT_TRUE(Apply(LoadSample(), &applied).ok());
  yusuan::gateway::v1::RenderReportRequest render;
  render.set_name(kBudget);
  render.set_format(yusuan::report::v1::FORMAT_PDF);
  auto context = Context();
  const auto start = std::chrono::steady_clock::now();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(1));
  yusuan::report::v1::Artifact pdf;
  const grpc::Status status = Api()->RenderReport(context.get(), render, &pdf);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << status.error_message();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  const grpc::Status again = Api()->RenderReport(Context().get(), render, &pdf);
  ASSERT_TRUE(again.ok()) << again.error_message();
  EXPECT_EQ(pdf.content().substr(0, 5), "%PDF-");
}

// Every list of the public API pages with page_size / page_token over both
// faces: walking pages of one item gives the whole list, in order, once.
TEST_F(ClusterTest, EveryListPagesOverGrpcAndRest) {
  namespace lv1 = yusuan::ledger::v1;
  namespace ov1 = yusuan::goals::v1;
  Filing filing = LoadSample();
  yusuan::gateway::v1::ApplyFilingResponse first;
  ASSERT_TRUE(Apply(filing, &first).ok());
  // Two more departments, budget revisions, goal revisions, workflow steps.
  for (const char* agency : {"777000101", "777000102"}) {
    lv1::CreateDepartmentRequest create;
    *create.mutable_department() = first.department();
    create.mutable_department()->clear_etag();
    create.mutable_department()->set_agency_code(agency);
    create.mutable_department()->set_name(std::string("regions/420107/departments/") + agency);
    create.set_request_id(std::string("paging-") + agency);
    lv1::Department created;
    grpc::Status status = Api()->CreateDepartment(Context(Role::kAdmin).get(), create, &created);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  for (const char* reason : {"新增在职人员两人", "新增在职人员三人"}) {
    lv1::GetBudgetRequest get;
    get.set_name(kBudget);
    lv1::PutBudgetRequest put;
    ASSERT_TRUE(Api()->GetBudget(Context().get(), get, put.mutable_budget()).ok());
    put.mutable_budget()->clear_etag();
    put.mutable_budget()->mutable_narrative()->set_general_budget_change_reason(reason);
    lv1::Budget stored;
    grpc::Status status = Api()->PutBudget(Context().get(), put, &stored);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  filing.mutable_goals()->mutable_department()->mutable_annual_goals(0)->mutable_indicators(1)->set_target("22");
  yusuan::gateway::v1::ApplyFilingResponse second;
  ASSERT_TRUE(Apply(filing, &second).ok());
  for (auto action : {lv1::WORKFLOW_ACTION_SUBMIT, lv1::WORKFLOW_ACTION_RETURN, lv1::WORKFLOW_ACTION_SUBMIT}) {
    lv1::TransitionBudgetRequest step;
    step.set_name(kBudget);
    step.set_action(action);
    step.set_comment("分页测试 / paging test");
    lv1::BudgetVersion version;
    grpc::Status status = Api()->TransitionBudget(StepContext(action).get(), step, &version);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // gRPC: `list(size, token, &ids, &next)` answers one page and its next token.
  using Lister = std::function<grpc::Status(int, const std::string&, std::vector<std::string>*, std::string*)>;
  auto walk_grpc = [](const std::string& what, const Lister& list) {
    std::vector<std::string> whole, paged;
    std::string next;
    grpc::Status status = list(0, "", &whole, &next);
    EXPECT_TRUE(status.ok()) << what << ": " << status.error_message();
    EXPECT_TRUE(next.empty()) << what;
    std::string token;
    for (int page = 0; page < 20; ++page) {
      std::vector<std::string> ids;
      status = list(1, token, &ids, &next);
      EXPECT_TRUE(status.ok()) << what << ": " << status.error_message();
      EXPECT_LE(ids.size(), 1u) << what;
      paged.insert(paged.end(), ids.begin(), ids.end());
      if (next.empty()) break;
      token = next;
    }
    EXPECT_GE(whole.size(), 2u) << what;
    EXPECT_EQ(paged, whole) << what;
    return whole;
  };
  auto department_ids = walk_grpc("ListDepartments", [&](int size, const std::string& token,
                                                           std::vector<std::string>* ids, std::string* next) {
    lv1::ListDepartmentsRequest request;
    request.set_parent("regions/420107");
    request.set_page_size(size);
    request.set_page_token(token);
    lv1::ListDepartmentsResponse response;
    grpc::Status status = Api()->ListDepartments(Context().get(), request, &response);
    for (const auto& d : response.departments()) ids->push_back(d.name());
    *next = response.next_page_token();
    return status;
  });
  EXPECT_GE(department_ids.size(), 3u);  // more when other tests of this process added some
  auto revision_ids = walk_grpc("ListBudgetRevisions", [&](int size, const std::string& token,
                                                          std::vector<std::string>* ids, std::string* next) {
    lv1::ListBudgetRevisionsRequest request;
    request.set_name(kBudget);
    request.set_page_size(size);
    request.set_page_token(token);
    lv1::ListBudgetRevisionsResponse response;
    grpc::Status status = Api()->ListBudgetRevisions(Context().get(), request, &response);
    for (const auto& b : response.revisions()) ids->push_back(std::to_string(b.revision()));
    *next = response.next_page_token();
    return status;
  });
  auto version_ids = walk_grpc("ListBudgetVersions", [&](int size, const std::string& token,
                                                        std::vector<std::string>* ids, std::string* next) {
    lv1::ListBudgetVersionsRequest request;
    request.set_name(kBudget);
    request.set_page_size(size);
    request.set_page_token(token);
    lv1::ListBudgetVersionsResponse response;
    grpc::Status status = Api()->ListBudgetVersions(Context().get(), request, &response);
    for (const auto& v : response.versions()) ids->push_back(std::to_string(v.version()));
    *next = response.next_page_token();
    return status;
  });
  auto goals_ids = walk_grpc("ListGoalsRevisions", [&](int size, const std::string& token,
                                                      std::vector<std::string>* ids, std::string* next) {
    ov1::ListGoalsRevisionsRequest request;
    request.set_name(std::string(kBudget) + "/goals");
    request.set_page_size(size);
    request.set_page_token(token);
    ov1::ListGoalsRevisionsResponse response;
    grpc::Status status = Api()->ListGoalsRevisions(Context().get(), request, &response);
    for (const auto& g : response.revisions()) ids->push_back(std::to_string(g.revision()));
    *next = response.next_page_token();
    return status;
  });

  // REST: the same lists, by ?page_size=1&page_token=…, give the same ids.
  auto http = Http();
  auto walk_rest = [&](const std::string& path, const char* items, const char* id, const std::vector<std::string>& want) {
    std::vector<std::string> paged;
    std::string token;
    for (int page = 0; page < 20; ++page) {
      std::string url = path + "?page_size=1";
      if (!token.empty()) url += "&page_token=" + httplib::detail::encode_query_param(token);
      auto result = http.Get(url);
      ASSERT_TRUE(result) << url;
      ASSERT_EQ(result->status, 200) << url << ": " << result->body;
      const auto body = nlohmann::json::parse(result->body, nullptr, false);
      ASSERT_FALSE(body.is_discarded()) << result->body;
      const auto list = body.value(items, nlohmann::json::array());
      EXPECT_LE(list.size(), 1u) << url;
      for (const auto& item : list) {
        const nlohmann::json value = item.contains(id) ? item.at(id) : nlohmann::json("");
        paged.push_back(value.is_string() ? value.get<std::string>() : value.dump());
      }
      token = body.value("nextPageToken", "");
      if (token.empty()) break;
    }
    EXPECT_EQ(paged, want) << path;
  };
  walk_rest("/v1/regions/420107/departments", "departments", "name", department_ids);
  walk_rest(std::string("/v1/") + kBudget + "/revisions", "revisions", "revision", revision_ids);
  walk_rest(std::string("/v1/") + kBudget + "/versions", "versions", "version", version_ids);
  walk_rest(std::string("/v1/") + kBudget + "/goals/revisions", "revisions", "revision", goals_ids);
  auto bad = http.Get("/v1/regions/420107/departments?page_size=-1");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400) << bad->body;
}

}  // namespace
}  // namespace yusuan::testing
