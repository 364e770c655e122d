// The bad-input catalogue (issue 13): one table of the kinds of bad input a
// client can send the gateway, each a row that names how it reaches the
// gateway over gRPC and over REST (both, where the API has both; a kind only
// one face can carry says so by leaving the other empty), the answer it must
// get (gRPC code, HTTP status), the field or parameter the refusal must name
// (a google.rpc.BadRequest violation, or the message, or ErrorInfo's reason
// or metadata), and that nothing was stored: no department, budget or goals
// created or changed, no workflow step taken, nothing staged or published,
// no catalogue version added. Every row runs on one shared cluster.
//
// To add a kind: add a row to the table of its section — a BadFiling
// (spoil the sample filing; it is applied over gRPC and POST
// /v1/filings:apply under a department of its own) or a BadCall (any other
// request; the state of every seeded budget is compared before and after).
// Count distinct kinds, not variations of one: the test prints the count.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/common/utf8.h"
#include "tests/integration/cluster_fixture.h"
#include "yusuan/gateway/v1/gateway.grpc.pb.h"
#include "yusuan/goals/v1/goals.grpc.pb.h"
#include "yusuan/ledger/v1/ledger_service.grpc.pb.h"
#include "yusuan/report/v1/report.grpc.pb.h"

namespace yusuan::testing {
namespace {

namespace lv1 = yusuan::ledger::v1;
namespace ov1 = yusuan::goals::v1;
namespace rv1 = yusuan::report::v1;
namespace gv1 = yusuan::gateway::v1;
using grpc::StatusCode;
using namespace std::string_literals;

// The seeded budgets: the sample in DRAFT, and a copy under another agency
// code taken to SUBMITTED.
constexpr char kSubmittedAgency[] = "005001023";
const std::string kSubmitted = std::string("regions/420107/departments/") + kSubmittedAgency + "/budgets/2021";
const std::string kBudgetPath = std::string("/v1/") + kBudget;
const std::string kSubmittedPath = "/v1/" + kSubmitted;

// Where a row's `raw` bytes go: a protobuf printer cannot write bytes that
// are not UTF-8, so `spoil` writes this marker and the bytes replace it in
// the message (gRPC) and in the JSON text (REST).
constexpr char kRawMarker[] = "@@RAW@@";

// A filing spoilt one way: `spoil` changes the sample.
struct BadFiling {
  std::string label;
  std::string field;
  std::function<void(Filing&)> spoil;
  std::string raw = "";
};

// Replaces kRawMarker by `raw` in every string of `message`.
void ReplaceMarker(google::protobuf::Message* message, const std::string& raw) {
  const google::protobuf::Reflection* reflection = message->GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  reflection->ListFields(*message, &fields);
  auto replaced = [&](std::string text) {
    for (size_t at = text.find(kRawMarker); at != std::string::npos; at = text.find(kRawMarker, at + raw.size())) {
      text.replace(at, sizeof kRawMarker - 1, raw);
    }
    return text;
  };
  for (const google::protobuf::FieldDescriptor* field : fields) {
    if (field->type() == google::protobuf::FieldDescriptor::TYPE_STRING) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(*message, field); ++i) {
          reflection->SetRepeatedString(message, field, i, replaced(reflection->GetRepeatedString(*message, field, i)));
        }
      } else {
        reflection->SetString(message, field, replaced(reflection->GetString(*message, field)));
      }
    } else if (field->type() == google::protobuf::FieldDescriptor::TYPE_MESSAGE) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(*message, field); ++i) {
          ReplaceMarker(reflection->MutableRepeatedMessage(message, field, i), raw);
        }
      } else {
        ReplaceMarker(reflection->MutableMessage(message, field), raw);
      }
    }
  }
}

// A REST request as sent: method, path with its query (already
// percent-encoded), body, headers.
struct RestCall {
  std::string method;
  std::string path;
  std::string body;
  httplib::Headers headers;
};

// Any other kind of bad input.
struct BadCall {
  std::string label;
  // What the refusal must name: a violation's field, or a word of its
  // message, or its ErrorInfo reason or metadata.
  std::string names;
  StatusCode code;
  int http_status;
  // The gRPC call (nullptr: only REST can carry this kind).
  std::function<grpc::Status()> grpc;
  // The REST request (nullopt: only gRPC can carry it).
  std::optional<RestCall> rest;
  // Raw bytes on a new connection instead (HTTP framing).
  std::string raw = "";
  std::optional<security::Role> role = security::Role::kIntegrator;
};

// Everything of the error a refusal may name a field in.
std::string Naming(const grpc::Status& status) {
  std::string out = status.error_message();
  google::rpc::Status rpc;
  if (!rpc.ParseFromString(status.error_details())) return out;
  for (const auto& any : rpc.details()) {
    google::rpc::BadRequest bad;
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&bad)) {
      for (const auto& v : bad.field_violations()) absl::StrAppend(&out, "\n", v.field());
    } else if (any.UnpackTo(&info)) {
      absl::StrAppend(&out, "\n", info.reason());
      for (const auto& [key, value] : info.metadata()) absl::StrAppend(&out, "\n", key, "=", value);
    }
  }
  return out;
}

std::string Naming(const nlohmann::json& body) {
  if (!body.is_object() || !body.contains("error")) return "";
  const nlohmann::json& error = body["error"];
  std::string out = error.value("message", "");
  for (const auto& detail : error.value("details", nlohmann::json::array())) {
    for (const auto& v : detail.value("fieldViolations", nlohmann::json::array())) {
      absl::StrAppend(&out, "\n", v.value("field", ""));
    }
    if (detail.contains("reason")) absl::StrAppend(&out, "\n", detail.value("reason", ""));
    if (!detail.contains("metadata") || !detail["metadata"].is_object()) continue;
    for (auto it = detail["metadata"].begin(); it != detail["metadata"].end(); ++it) {
      absl::StrAppend(&out, "\n", it.key(), "=", it->is_string() ? it->get<std::string>() : it->dump());
    }
  }
  return out;
}

// A bilingual message: some Chinese (a byte ≥ 0xE0 starts a CJK
// character in UTF-8) and some English.
bool Bilingual(const std::string& message) {
  bool chinese = false;
  bool latin = false;
  for (const char c : message) {
    const auto u = static_cast<unsigned char>(c);
    chinese = chinese || u >= 0xE0;
    latin = latin || (u >= 'a' && u <= 'z');
  }
  return chinese && latin;
}

// One HTTP exchange on a new connection: the status of the answer (0 when
// none came in 10 s) and its body.
std::pair<int, std::string> RawExchange(int port, const std::string& request) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return {0, ""};
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string data;
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
    size_t sent = 0;
    while (sent < request.size()) {
      const ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (;;) {
      const auto head_end = data.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        const auto at = data.find("Content-Length: ");
        if (at != std::string::npos && at < head_end) {
          const size_t length = std::stoul(data.substr(at + 16));
          if (data.size() >= head_end + 4 + length) break;
        }
      }
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
      pollfd waiting{fd, POLLIN, 0};
      if (left <= 0 || poll(&waiting, 1, static_cast<int>(left)) <= 0) break;
      char buffer[65536];
      const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      data.append(buffer, static_cast<size_t>(n));
    }
  }
  close(fd);
  if (data.rfind("HTTP/1.1 ", 0) != 0 || data.size() < 12) return {0, data};
  const auto head_end = data.find("\r\n\r\n");
  return {std::stoi(data.substr(9, 3)), head_end == std::string::npos ? "" : data.substr(head_end + 4)};
}

std::string Repeat(const std::string& piece, size_t times) {
  std::string out;
  out.reserve(piece.size() * times);
  for (size_t i = 0; i < times; ++i) out += piece;
  return out;
}

// The index of the first expenditure line of the sample's first project
// and of the first line with an economic code of class 302.
int FirstProjectLine(const Filing& f) {
  for (int i = 0; i < f.budget().expenditure_lines_size(); ++i) {
    if (f.budget().expenditure_lines(i).kind() == lv1::EXPENDITURE_KIND_PROJECT) return i;
  }
  return -1;
}

class BadInputCatalogue : public ClusterTest {
 protected:
  // Every seeded budget's state, its goals, its history, the departments of
  // its region, what is staged and what is published, and the catalogue
  // versions: equal before and after a refused request.
  std::string Fingerprint() {
    std::string out;
    for (const std::string& name : {std::string(kBudget), kSubmitted}) {
      lv1::GetBudgetRequest get;
      get.set_name(name);
      lv1::Budget budget;
      grpc::Status status = Ledger()->GetBudget(BackendContext().get(), get, &budget);
      absl::StrAppend(&out, name, " budget:", status.error_code(), " r", budget.revision(), " s", budget.status(), " ",
                      budget.etag(), "\n");
      lv1::GetGoalsPinRequest pin_request;
      pin_request.set_budget_name(name);
      lv1::GoalsPin pin;
      status = Ledger()->GetGoalsPin(BackendContext().get(), pin_request, &pin);
      absl::StrAppend(&out, " pin:", status.error_code(), " ", pin.goals_revision(), "\n");
      lv1::ListBudgetVersionsRequest versions_request;
      versions_request.set_name(name);
      versions_request.set_page_size(1000);
      lv1::ListBudgetVersionsResponse versions;
      status = Ledger()->ListBudgetVersions(BackendContext().get(), versions_request, &versions);
      absl::StrAppend(&out, " versions:", status.error_code(), " ", versions.versions_size(), "\n");
      lv1::ListBudgetRevisionsRequest revisions_request;
      revisions_request.set_name(name);
      revisions_request.set_page_size(1000);
      lv1::ListBudgetRevisionsResponse revisions;
      status = Ledger()->ListBudgetRevisions(BackendContext().get(), revisions_request, &revisions);
      absl::StrAppend(&out, " revisions:", status.error_code(), " ", revisions.revisions_size(), "\n");
      ov1::ListGoalsRevisionsRequest goals_request;
      goals_request.set_name(name + "/goals");
      goals_request.set_page_size(1000);
      ov1::ListGoalsRevisionsResponse goals;
      status = Goals()->ListGoalsRevisions(BackendContext().get(), goals_request, &goals);
      absl::StrAppend(&out, " goals:", status.error_code(), " ", goals.revisions_size(), "\n");
    }
    lv1::ListDepartmentsRequest departments_request;
    departments_request.set_parent("regions/");
    departments_request.set_page_size(1000);
    lv1::ListDepartmentsResponse departments;
    grpc::Status status = Ledger()->ListDepartments(BackendContext().get(), departments_request, &departments);
    absl::StrAppend(&out, "departments:", status.error_code());
    for (const auto& d : departments.departments()) absl::StrAppend(&out, " ", d.name(), "@", d.etag());
    ov1::ListStagedGoalsRequest staged_request;
    ov1::ListStagedGoalsResponse staged;
    status = Goals()->ListStagedGoals(BackendContext().get(), staged_request, &staged);
    absl::StrAppend(&out, "\nstaged goals:", status.error_code(), " ", staged.staged_size());
    rv1::ListStagedPublicationsRequest staged_publications_request;
    rv1::ListStagedPublicationsResponse staged_publications;
    status =
        Report()->ListStagedPublications(BackendContext().get(), staged_publications_request, &staged_publications);
    absl::StrAppend(&out, "\nstaged publications:", status.error_code(), " ", staged_publications.staged_size());
    rv1::ListPublishedRequest published_request;
    rv1::ListPublishedResponse published;
    status = Report()->ListPublished(BackendContext().get(), published_request, &published);
    absl::StrAppend(&out, "\npublished:", status.error_code(), " ", published.disclosures_size());
    lv1::ListCataloguesResponse catalogues;
    status = Ledger()->ListCatalogues(BackendContext().get(), lv1::ListCataloguesRequest(), &catalogues);
    absl::StrAppend(&out, "\ncatalogues:", status.error_code());
    for (const auto& e : catalogues.editions()) absl::StrAppend(&out, " ", e.edition(), "v", e.version());
    return out;
  }

  std::unique_ptr<ov1::GoalsService::Stub> Goals() {
    return ov1::GoalsService::NewStub(
        grpc::CreateChannel(cluster_->goals().address(), grpc::InsecureChannelCredentials()));
  }

  // The sample under agency code `agency`.
  static Filing SampleAs(const std::string& agency) {
    Filing filing = LoadSample();
    filing.mutable_department()->set_agency_code(agency);
    filing.mutable_department()->set_name("regions/420107/departments/" + agency);
    filing.mutable_budget()->set_name("regions/420107/departments/" + agency + "/budgets/2021");
    filing.mutable_goals()->set_name("regions/420107/departments/" + agency + "/budgets/2021/goals");
    return filing;
  }

  void Seed() {
    gv1::ApplyFilingResponse applied;
    grpc::Status status = Apply(LoadSample(), &applied, "catalogue-seed");
    ASSERT_TRUE(status.ok()) << status.error_message();
    status = Apply(SampleAs(kSubmittedAgency), &applied, "catalogue-seed-submitted");
    ASSERT_TRUE(status.ok()) << status.error_message();
    lv1::TransitionBudgetRequest submit;
    submit.set_name(kSubmitted);
    submit.set_action(lv1::WORKFLOW_ACTION_SUBMIT);
    submit.set_request_id("catalogue-seed-submit");
    lv1::BudgetVersion version;
    status = Api()->TransitionBudget(Context().get(), submit, &version);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // Applies `c` over both faces under agency `agency` and checks the
  // refusal and that nothing of it was stored.
  void RunFiling(const BadFiling& c, const std::string& agency) {
    SCOPED_TRACE(c.label);
    Filing filing = SampleAs(agency);
    c.spoil(filing);
    const std::string before = Fingerprint();
    std::string json = ToJson(filing);
    if (!c.raw.empty()) {
      ReplaceMarker(&filing, c.raw);
      for (size_t at = json.find(kRawMarker); at != std::string::npos; at = json.find(kRawMarker, at + c.raw.size())) {
        json.replace(at, sizeof kRawMarker - 1, c.raw);
      }
    }

    gv1::ApplyFilingResponse response;
    grpc::Status status = Apply(filing, &response, "bad-filing-" + agency);
    EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT) << c.label << ": " << status.error_message();
    EXPECT_TRUE(Contains(ViolatedFields(status), c.field))
        << c.label << ": gRPC violations " << Joined(ViolatedFields(status)) << " / " << status.error_message();
    EXPECT_TRUE(Bilingual(status.error_message())) << c.label << ": " << status.error_message();

    auto http = Http();
    httplib::Headers headers = {{"Idempotency-Key", "bad-filing-rest-" + agency}};
    auto rest = http.Post("/v1/filings:apply", headers, json, "application/json");
    ASSERT_TRUE(rest) << c.label;
    EXPECT_EQ(rest->status, 400) << c.label << ": " << rest->body.substr(0, 2000);
    auto body = nlohmann::json::parse(rest->body, nullptr, false);
    ASSERT_FALSE(body.is_discarded()) << c.label << ": " << rest->body.substr(0, 2000);
    EXPECT_EQ(body["error"].value("status", ""), "INVALID_ARGUMENT") << c.label;
    EXPECT_TRUE(Contains(ViolatedFields(body), c.field))
        << c.label << ": REST violations " << Joined(ViolatedFields(body)) << " / " << rest->body.substr(0, 2000);

    // Nothing stored, by either path: not the department, not its budget,
    // not its goals (nor staged), and nothing else changed.
    lv1::GetDepartmentRequest get_department;
    get_department.set_name("regions/420107/departments/" + agency);
    lv1::Department department;
    EXPECT_EQ(Api()->GetDepartment(Context().get(), get_department, &department).error_code(), StatusCode::NOT_FOUND)
        << c.label;
    lv1::GetBudgetRequest get_budget;
    get_budget.set_name("regions/420107/departments/" + agency + "/budgets/2021");
    lv1::Budget budget;
    EXPECT_EQ(Api()->GetBudget(Context().get(), get_budget, &budget).error_code(), StatusCode::NOT_FOUND) << c.label;
    ov1::GetGoalsRequest get_goals;
    get_goals.set_name("regions/420107/departments/" + agency + "/budgets/2021/goals");
    ov1::GoalSet goals;
    EXPECT_EQ(Api()->GetGoals(Context().get(), get_goals, &goals).error_code(), StatusCode::NOT_FOUND) << c.label;
    EXPECT_EQ(Fingerprint(), before) << c.label;
  }

  void RunCall(const BadCall& c) {
    SCOPED_TRACE(c.label);
    ASSERT_TRUE(c.grpc || c.rest.has_value() || !c.raw.empty()) << c.label << ": no way to send it";
    const std::string before = Fingerprint();
    if (c.grpc) {
      grpc::Status status = c.grpc();
      EXPECT_EQ(status.error_code(), c.code) << c.label << ": " << status.error_message();
      EXPECT_TRUE(IsValidUtf8(status.error_message())) << c.label;
      EXPECT_TRUE(Bilingual(status.error_message())) << c.label << ": " << status.error_message();
      EXPECT_NE(Naming(status).find(c.names), std::string::npos)
          << c.label << ": the gRPC refusal does not name " << c.names << ": " << Naming(status);
    }
    if (c.rest.has_value()) {
      httplib::Client client("127.0.0.1", cluster_->gateway_http_port());
      client.set_read_timeout(60, 0);
      client.set_url_encode(false);
      httplib::Request request;
      request.method = c.rest->method;
      request.path = c.rest->path;
      request.headers = c.rest->headers;
      if (c.role.has_value() && !request.has_header("Authorization")) {
        request.headers.emplace("Authorization", "Bearer " + Token(*c.role));
      }
      if (!c.rest->body.empty() && !request.has_header("Content-Type")) {
        request.headers.emplace("Content-Type", "application/json");
      }
      request.body = c.rest->body;
      auto answer = client.send(request);
      ASSERT_TRUE(answer) << c.label << ": no answer over REST (" << httplib::to_string(answer.error()) << ")";
      EXPECT_EQ(answer->status, c.http_status) << c.label << ": " << answer->body.substr(0, 2000);
      auto body = nlohmann::json::parse(answer->body, nullptr, false);
      EXPECT_NE(Naming(body).find(c.names), std::string::npos)
          << c.label << ": the REST refusal does not name " << c.names << ": " << answer->body.substr(0, 2000);
      const std::string message =
          body.is_object() && body.contains("error") ? body["error"].value("message", "") : std::string();
      EXPECT_TRUE(Bilingual(message)) << c.label << ": " << answer->body.substr(0, 2000);
    }
    if (!c.raw.empty()) {
      auto [http_status, body] = RawExchange(cluster_->gateway_http_port(), c.raw);
      EXPECT_EQ(http_status, c.http_status) << c.label << ": " << body.substr(0, 2000);
      EXPECT_NE(Naming(nlohmann::json::parse(body, nullptr, false)).find(c.names), std::string::npos)
          << c.label << ": the refusal does not name " << c.names << ": " << body.substr(0, 2000);
    }
    EXPECT_EQ(Fingerprint(), before) << c.label << ": something changed";
  }

  // gRPC call helpers, as the integrator unless told otherwise.
  template <typename Request, typename Response>
  using Method = grpc::Status (PublicApi::Stub::*)(grpc::ClientContext*, const Request&, Response*);

  template <typename Request, typename Response>
  std::function<grpc::Status()> Call(Method<Request, Response> method, Request request,
                                     std::optional<security::Role> role = security::Role::kIntegrator) {
    return [this, method, request, role]() {
      Response response;
      auto stub = Api();
      return ((*stub).*method)(Context(role).get(), request, &response);
    };
  }

  std::function<grpc::Status()> GetBudgetNamed(const std::string& name) {
    lv1::GetBudgetRequest get;
    get.set_name(name);
    return Call(&PublicApi::Stub::GetBudget, get);
  }
  std::function<grpc::Status()> ListDepartmentsUnder(const std::string& parent, int page_size = 0,
                                                     const std::string& token = "") {
    lv1::ListDepartmentsRequest list;
    list.set_parent(parent);
    list.set_page_size(page_size);
    list.set_page_token(token);
    return Call(&PublicApi::Stub::ListDepartments, list);
  }
  std::function<grpc::Status()> Transition(const std::string& name, lv1::WorkflowAction action,
                                           const std::string& comment = "", int64_t expected_revision = 0) {
    lv1::TransitionBudgetRequest step;
    step.set_name(name);
    step.set_action(action);
    step.set_comment(comment);
    step.set_expected_revision(expected_revision);
    return Call(&PublicApi::Stub::TransitionBudget, step,
                action == lv1::WORKFLOW_ACTION_SUBMIT ? security::Role::kIntegrator : security::Role::kReviewer);
  }
};

RestCall Get(const std::string& path) { return RestCall{"GET", path, "", {}}; }
RestCall Post(const std::string& path, const std::string& body = "", httplib::Headers headers = {}) {
  return RestCall{"POST", path, body, std::move(headers)};
}
RestCall Put(const std::string& path, const std::string& body, httplib::Headers headers = {}) {
  return RestCall{"PUT", path, body, std::move(headers)};
}

// A budget path of the reference department with `year` as its last segment.
std::string BudgetPathWithYear(const std::string& year) {
  return "/v1/regions/420107/departments/005001022/budgets/" + year;
}

TEST_F(BadInputCatalogue, EveryKindIsRefusedNamingTheFieldAndNothingIsStored) {
  const auto started = std::chrono::steady_clock::now();
  ASSERT_NO_FATAL_FAILURE(Seed());

  // ------------------------------------------------------------ filings
  auto line = [](Filing& f, int i) { return f.mutable_budget()->mutable_expenditure_lines(i); };
  auto indicator = [](Filing& f) {
    return f.mutable_goals()->mutable_department()->mutable_annual_goals(0)->mutable_indicators(0);
  };
  const Filing sample = LoadSample();
  const int project_line = FirstProjectLine(sample);
  ASSERT_GE(project_line, 0);
  const std::string project_line_path = absl::StrCat("budget.expenditureLines[", project_line, "]");

  const std::vector<BadFiling> filings = {
      // Department profile.
      {"missing full name", "department.fullName", [](Filing& f) { f.mutable_department()->clear_full_name(); }},
      {"missing short name", "department.shortName", [](Filing& f) { f.mutable_department()->clear_short_name(); }},
      {"region code of 7 digits", "department.regionCode",
       [](Filing& f) { f.mutable_department()->set_region_code("4201070"); }},
      {"region code with a letter", "department.regionCode",
       [](Filing& f) { f.mutable_department()->set_region_code("42O107"); }},
      {"agency code with a letter", "department.agencyCode",
       [](Filing& f) { f.mutable_department()->set_agency_code(f.department().agency_code() + "X"); }},
      {"no names, and a region code that is not one to derive them from", "department.regionCode",
       [](Filing& f) {
         f.mutable_department()->clear_name();
         f.mutable_department()->set_region_code("武汉");
         f.mutable_budget()->clear_name();
         f.mutable_goals()->clear_name();
       }},
      {"department name that is not its codes'", "department.name",
       [](Filing& f) { f.mutable_department()->set_name("regions/420107/departments/999999999"); }},
      {"fiscal level unspecified", "department.fiscalLevel",
       [](Filing& f) { f.mutable_department()->set_fiscal_level(lv1::FISCAL_LEVEL_UNSPECIFIED); }},
      {"unit type unspecified", "department.unitType",
       [](Filing& f) { f.mutable_department()->set_unit_type(lv1::UNIT_TYPE_UNSPECIFIED); }},
      {"negative staff in service", "department.staffing.inService",
       [](Filing& f) { f.mutable_department()->mutable_staffing()->set_in_service(-3); }},
      {"negative establishment quota", "department.staffing.quotas[0].count",
       [](Filing& f) { f.mutable_department()->mutable_staffing()->mutable_quotas(0)->set_count(-1); }},
      {"establishment kind unspecified", "department.staffing.quotas[0].kind",
       [](Filing& f) {
         f.mutable_department()->mutable_staffing()->mutable_quotas(0)->set_kind(lv1::ESTABLISHMENT_KIND_UNSPECIFIED);
       }},
      {"retirees total not 离休 + 退休", "department.staffing.retireesTotal",
       [](Filing& f) {
         auto* staffing = f.mutable_department()->mutable_staffing();
         staffing->set_retirees_total(staffing->retired_before_1949() + staffing->retired() + 1);
       }},
      {"secondary unit with lines but no unit type", "department.secondaryUnits[0].unitType",
       [](Filing& f) {
         auto* unit = f.mutable_department()->add_secondary_units();
         unit->set_code("005001022001");
         unit->set_name("青山区科技馆");
         f.mutable_budget()->mutable_income_lines(0)->set_unit_code("005001022001");
       }},
      // Text: encodings, control characters, invisible characters, length.
      {"invalid UTF-8", "department.fullName",
       [](Filing& f) { f.mutable_department()->set_full_name(std::string("武汉") + kRawMarker + "科协"); }, "\xff\xfe"},
      {"overlong UTF-8 encoding of '/' in a goals indicator name", "goals.department.annualGoals[0].indicators[0].name",
       [&](Filing& f) { indicator(f)->set_name(kRawMarker); }, "\xc0\xaf"},
      {"UTF-16 surrogate encoded in UTF-8 in a code", "budget.expenditureLines[0].functionalCode",
       [&](Filing& f) { line(f, 0)->set_functional_code(kRawMarker); }, "\xed\xa0\x80"},
      {"NUL in a name", "department.fullName",
       [](Filing& f) { f.mutable_department()->set_full_name(std::string("武汉市青山区") + '\0' + "科学技术协会"); }},
      {"escape sequence in a goals phone", "goals.department.contactPhone",
       [](Filing& f) { f.mutable_goals()->mutable_department()->set_contact_phone("027\x1b[2J"); }},
      {"DEL in a short name", "department.shortName",
       [](Filing& f) { f.mutable_department()->set_short_name("区科协\x7f"); }},
      {"C1 control U+0085 in a project name", "budget.projects[0].name",
       [](Filing& f) { f.mutable_budget()->mutable_projects(0)->set_name("科普经费\u0085"); }},
      {"line feed in a one-line name", "department.fullName",
       [](Filing& f) { f.mutable_department()->set_full_name("武汉市青山区\n科学技术协会"); }},
      {"right-to-left override in a name", "department.fullName",
       [](Filing& f) { f.mutable_department()->set_full_name("武汉市青山区\u202e协科术技学科"); }},
      {"left-to-right isolate in a goal text", "goals.department.annualGoals[0].text",
       [](Filing& f) {
         auto* goal = f.mutable_goals()->mutable_department()->mutable_annual_goals(0);
         goal->set_text("\u2066" + goal->text());
       }},
      {"zero-width space in a phone number", "department.contactPhone",
       [](Filing& f) { f.mutable_department()->set_contact_phone("027-\u200b86753421"); }},
      {"zero-width joiner in an internal office", "department.internalOffices[0]",
       [](Filing& f) { f.mutable_department()->set_internal_offices(0, "办公\u200d室"); }},
      {"a 3 MB name", "department.fullName",
       [](Filing& f) { f.mutable_department()->set_full_name(std::string(3 * 1024 * 1024, 'x')); }},
      {"10001 Chinese characters in a project purpose (limit counted in characters)", "budget.projects[0].purpose",
       [](Filing& f) { f.mutable_budget()->mutable_projects(0)->set_purpose(Repeat("科", 10001)); }},
      // Lists.
      {"20001 income lines", "budget.incomeLines",
       [](Filing& f) {
         auto* budget = f.mutable_budget();
         while (budget->income_lines_size() <= 20000) *budget->add_income_lines() = budget->income_lines(0);
       }},
      {"20001 main functions", "department.mainFunctions",
       [](Filing& f) {
         auto* department = f.mutable_department();
         while (department->main_functions_size() <= 20000) department->add_main_functions("组织科普活动");
       }},
      {"20001 indicators under one goal", "goals.department.annualGoals[0].indicators",
       [](Filing& f) {
         auto* goal = f.mutable_goals()->mutable_department()->mutable_annual_goals(0);
         while (goal->indicators_size() <= 20000) *goal->add_indicators() = goal->indicators(0);
       }},
      // Budget header.
      {"fiscal year 1999", "budget.fiscalYear", [](Filing& f) { f.mutable_budget()->set_fiscal_year(1999); }},
      {"fiscal year 2101", "budget.fiscalYear", [](Filing& f) { f.mutable_budget()->set_fiscal_year(2101); }},
      {"fiscal year missing", "budget.fiscalYear", [](Filing& f) { f.mutable_budget()->clear_fiscal_year(); }},
      {"catalogue edition of another year", "budget.catalogueEdition",
       [](Filing& f) { f.mutable_budget()->set_catalogue_edition(2020); }},
      {"catalogue edition that is not loaded", "budget.catalogueEdition",
       [](Filing& f) {
         f.mutable_budget()->set_catalogue_edition(2099);
         f.mutable_budget()->set_fiscal_year(2099);
         f.mutable_budget()->clear_name();
         f.mutable_goals()->set_fiscal_year(2099);
         f.mutable_goals()->clear_name();
       }},
      {"stage unspecified", "budget.stage", [](Filing& f) { f.mutable_budget()->set_stage(lv1::STAGE_UNSPECIFIED); }},
      {"budget name of another year", "budget.name",
       [](Filing& f) { f.mutable_budget()->set_name(f.department().name() + "/budgets/2022"); }},
      // Classification codes.
      {"unknown functional code", "budget.expenditureLines[0].functionalCode",
       [&](Filing& f) { line(f, 0)->set_functional_code("2069998"); }},
      {"functional code at 款 level", "budget.expenditureLines[0].functionalCode",
       [&](Filing& f) { line(f, 0)->set_functional_code("20601"); }},
      {"functional code of 9 digits", "budget.expenditureLines[0].functionalCode",
       [&](Filing& f) { line(f, 0)->set_functional_code("206010101"); }},
      {"functional code with a letter O for a zero", "budget.expenditureLines[0].functionalCode",
       [&](Filing& f) { line(f, 0)->set_functional_code("2O60101"); }},
      {"functional code missing", "budget.expenditureLines[0].functionalCode",
       [&](Filing& f) { line(f, 0)->clear_functional_code(); }},
      {"unknown economic code", "budget.expenditureLines[0].economicCode",
       [&](Filing& f) { line(f, 0)->set_economic_code("39998"); }},
      {"economic code at 类 level", "budget.expenditureLines[0].economicCode",
       [&](Filing& f) { line(f, 0)->set_economic_code("301"); }},
      {"economic code in full-width digits", "budget.expenditureLines[0].economicCode",
       [&](Filing& f) { line(f, 0)->set_economic_code("３０１０１"); }},
      {"general-budget code paid from the government fund", "budget.expenditureLines[0].functionalCode",
       [&](Filing& f) { line(f, 0)->set_fund_source(lv1::FUND_SOURCE_GOVERNMENT_FUND_BUDGET); }},
      {"personnel kind on a 302 economic code", "budget.expenditureLines[0].kind",
       [&](Filing& f) { line(f, 0)->set_economic_code("30201"); }},
      // Line enumerations and references.
      {"expenditure kind unspecified", "budget.expenditureLines[0].kind",
       [&](Filing& f) { line(f, 0)->set_kind(lv1::EXPENDITURE_KIND_UNSPECIFIED); }},
      {"expenditure kind no enum value has (99)", "budget.expenditureLines[0].kind",
       [&](Filing& f) { line(f, 0)->set_kind(static_cast<lv1::ExpenditureKind>(99)); }},
      {"fund source unspecified", "budget.expenditureLines[0].fundSource",
       [&](Filing& f) { line(f, 0)->set_fund_source(lv1::FUND_SOURCE_UNSPECIFIED); }},
      {"income source no enum value has (42)", "budget.incomeLines[0].source",
       [](Filing& f) { f.mutable_budget()->mutable_income_lines(0)->set_source(static_cast<lv1::FundSource>(42)); }},
      {"line of a unit the department does not have", "budget.expenditureLines[0].unitCode",
       [&](Filing& f) { line(f, 0)->set_unit_code("999"); }},
      {"income of a unit the department does not have", "budget.incomeLines[0].unitCode",
       [](Filing& f) { f.mutable_budget()->mutable_income_lines(0)->set_unit_code("999"); }},
      {"project line naming a project that does not exist", project_line_path + ".projectId",
       [&](Filing& f) { line(f, project_line)->set_project_id("P2021-404"); }},
      {"project line naming no project", project_line_path + ".projectId",
       [&](Filing& f) { line(f, project_line)->clear_project_id(); }},
      // Projects.
      {"duplicate project id", "budget.projects[1].projectId",
       [](Filing& f) {
         auto* budget = f.mutable_budget();
         budget->mutable_projects(1)->set_project_id(budget->projects(0).project_id());
       }},
      {"project id missing", "budget.projects[0].projectId",
       [](Filing& f) { f.mutable_budget()->mutable_projects(0)->clear_project_id(); }},
      {"project name missing", "budget.projects[0].name",
       [](Filing& f) { f.mutable_budget()->mutable_projects(0)->clear_name(); }},
      {"project total not fiscal + other", "budget.projects[0].totalFen",
       [](Filing& f) {
         auto* p = f.mutable_budget()->mutable_projects(0);
         p->set_total_other_fen(p->total_other_fen() + 100);
       }},
      {"project total no longer matches its lines", "budget.projects[0].yearTotalFen",
       [](Filing& f) {
         // Move 1 元 onto the first project's first line, balanced by income,
         // so only the project's own total disagrees.
         auto* budget = f.mutable_budget();
         const std::string project = budget->projects(0).project_id();
         for (auto& l : *budget->mutable_expenditure_lines()) {
           if (l.project_id() == project) {
             l.set_amount_fen(l.amount_fen() + 100);
             break;
           }
         }
         budget->mutable_income_lines(0)->set_amount_fen(budget->income_lines(0).amount_fen() + 100);
       }},
      // Amounts.
      {"negative expenditure amount", "budget.expenditureLines[0].amountFen",
       [&](Filing& f) { line(f, 0)->set_amount_fen(-100); }},
      {"negative income amount", "budget.incomeLines[0].amountFen",
       [](Filing& f) { f.mutable_budget()->mutable_income_lines(0)->set_amount_fen(-1); }},
      {"unbalanced by 1 分", "budget.incomeLines[0].amountFen",
       [&](Filing& f) { line(f, 0)->set_amount_fen(line(f, 0)->amount_fen() + 1); }},
      {"an amount of 2^63-1", "budget.expenditureLines[0].amountFen",
       [&](Filing& f) { line(f, 0)->set_amount_fen(INT64_MAX); }},
      {"amounts each in range whose sum is past what can be added", "budget.expenditureLines[1].amountFen",
       [&](Filing& f) {
         line(f, 0)->set_amount_fen(int64_t{1} << 61);
         line(f, 1)->set_amount_fen(int64_t{1} << 61);
       }},
      {"三公 total stated off its parts", "budget.threePublic.current.totalFen",
       [](Filing& f) { f.mutable_budget()->mutable_three_public()->mutable_current()->set_total_fen(100); }},
      {"vehicle subtotal stated off its parts", "budget.threePublic.current.vehicleTotalFen",
       [](Filing& f) { f.mutable_budget()->mutable_three_public()->mutable_current()->set_vehicle_total_fen(1); }},
      {"三公 of a unit the department does not have", "budget.threePublic.byUnit[0].unitCode",
       [](Filing& f) { f.mutable_budget()->mutable_three_public()->add_by_unit()->set_unit_code("999"); }},
      {"procurement above all spending", "budget.procurementLines",
       [](Filing& f) { f.mutable_budget()->mutable_procurement_lines(0)->set_amount_fen(int64_t{1} << 40); }},
      {"an asset date that is no date (2021-02-29)", "budget.assets.asOfDate",
       [](Filing& f) { f.mutable_budget()->mutable_assets()->set_as_of_date("2021-02-29"); }},
      {"negative vehicle count", "budget.assets.vehicles",
       [](Filing& f) { f.mutable_budget()->mutable_assets()->set_vehicles(-1); }},
      {"prior-year funds of the budget year itself", "budget.priorYears.funds[0].year",
       [](Filing& f) { f.mutable_budget()->mutable_prior_years()->mutable_funds(0)->set_year(2021); }},
      {"prior-year funds that do not balance", "budget.priorYears.funds[0]",
       [](Filing& f) {
         auto* funds = f.mutable_budget()->mutable_prior_years()->mutable_funds(0);
         funds->set_other_fen(funds->other_fen() + 1);
       }},
      // Goals.
      {"goals name of another budget", "goals.name",
       [](Filing& f) { f.mutable_goals()->set_name(std::string(kBudget) + "/goals"); }},
      {"goals of another year", "goals.fiscalYear", [](Filing& f) { f.mutable_goals()->set_fiscal_year(2020); }},
      {"goals year missing", "goals.fiscalYear", [](Filing& f) { f.mutable_goals()->clear_fiscal_year(); }},
      {"no department goal sheet", "goals.department", [](Filing& f) { f.mutable_goals()->clear_department(); }},
      {"no annual goals", "goals.department.annualGoals",
       [](Filing& f) { f.mutable_goals()->mutable_department()->clear_annual_goals(); }},
      {"annual goal without text", "goals.department.annualGoals[0].text",
       [](Filing& f) { f.mutable_goals()->mutable_department()->mutable_annual_goals(0)->clear_text(); }},
      {"indicator without a name", "goals.department.annualGoals[0].indicators[0].name",
       [&](Filing& f) { indicator(f)->clear_name(); }},
      {"indicator level1 unspecified", "goals.department.annualGoals[0].indicators[0].level1",
       [&](Filing& f) { indicator(f)->set_level1(ov1::INDICATOR_LEVEL1_UNSPECIFIED); }},
      {"level2 of another level1", "goals.department.annualGoals[0].indicators[0].level2",
       [&](Filing& f) { indicator(f)->set_level2(ov1::INDICATOR_LEVEL2_SERVICE_SATISFACTION); }},
      {"performance standard unspecified", "goals.department.annualGoals[0].indicators[0].standard",
       [&](Filing& f) { indicator(f)->set_standard(ov1::PERFORMANCE_STANDARD_UNSPECIFIED); }},
      {"goal sheet of a project the budget does not have", "goals.projects[0].projectId",
       [](Filing& f) { f.mutable_goals()->mutable_projects(0)->set_project_id("P2021-404"); }},
      {"two goal sheets for one project", "goals.projects[1].projectId",
       [](Filing& f) {
         auto* goals = f.mutable_goals();
         goals->mutable_projects(1)->set_project_id(goals->projects(0).project_id());
       }},
      {"project goal sheet without its annual goal", "goals.projects[0].annualGoal",
       [](Filing& f) { f.mutable_goals()->mutable_projects(0)->clear_annual_goal(); }},
      {"project sheet amount off the budget's project", "goals.projects[0].yearTotalFen",
       [](Filing& f) { f.mutable_goals()->mutable_projects(0)->set_year_total_fen(1); }},
      {"表9 funds stated off the ledger", "goals.department.funds.incomeTotalFen",
       [](Filing& f) { f.mutable_goals()->mutable_department()->mutable_funds()->set_income_total_fen(1); }},
      {"a goals amount of 2^63-1", "goals.department.funds.otherFen",
       [](Filing& f) { f.mutable_goals()->mutable_department()->mutable_funds()->set_other_fen(INT64_MAX); }},
      {"negative goals amount", "goals.projects[0].totalFen",
       [](Filing& f) { f.mutable_goals()->mutable_projects(0)->set_total_fen(-100); }},
  };
  int agency = 900000001;
  for (const BadFiling& c : filings) RunFiling(c, std::to_string(agency++));

  // ------------------------------------------------------------ REST bodies
  // What only JSON can carry: refused before the filing is read.
  const std::string sample_json = ToJson(SampleAs("900100001"));
  auto with = [&](const std::string& from, const std::string& to) {
    std::string json = sample_json;
    const size_t at = json.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) json.replace(at, from.size(), to);
    return json;
  };
  const std::string first_amount = absl::StrCat("\"amountFen\":\"", sample.budget().income_lines(0).amount_fen(), "\"");
  const std::vector<BadCall> bodies = {
      {"malformed JSON (cut short)", "BAD_JSON", StatusCode::OK, 400, nullptr,
       Post("/v1/filings:apply", sample_json.substr(0, sample_json.size() / 2))},
      {"empty body", "Filing", StatusCode::OK, 400, nullptr, Post("/v1/filings:apply", " ")},
      {"a JSON array for a Filing", "BAD_JSON", StatusCode::OK, 400, nullptr, Post("/v1/filings:apply", "[1,2,3]")},
      {"trailing garbage after the object", "BAD_JSON", StatusCode::OK, 400, nullptr,
       Post("/v1/filings:apply", sample_json + " {}")},
      {"an amount as a JSON object", "budget.incomeLines[0]", StatusCode::OK, 400, nullptr,
       Post("/v1/filings:apply", with(first_amount, "\"amountFen\":{\"yuan\":1}"))},
      {"an amount with a fraction of a 分", "budget.incomeLines[0].amountFen", StatusCode::OK, 400, nullptr,
       Post("/v1/filings:apply", with(first_amount, "\"amountFen\":1.5"))},
      {"an amount past int64", "budget.incomeLines[0].amountFen", StatusCode::OK, 400, nullptr,
       Post("/v1/filings:apply", with(first_amount, "\"amountFen\":\"9223372036854775808\""))},
      {"a year in words", "budget.fiscalYear", StatusCode::OK, 400, nullptr,
       Post("/v1/filings:apply", with("\"fiscalYear\":2021", "\"fiscalYear\":\"二〇二一\""))},
      {"an enum name that does not exist", "kind", StatusCode::OK, 400, nullptr,
       Post("/v1/filings:apply",
            with("\"kind\":\"EXPENDITURE_KIND_BASIC_PERSONNEL\"", "\"kind\":\"EXPENDITURE_KIND_BRIBES\""))},
      {"a misspelt field", "fullNmae", StatusCode::OK, 400, nullptr,
       Post("/v1/filings:apply", with("\"fullName\"", "\"fullNmae\""))},
      {"a list given as a string", "budget.incomeLines", StatusCode::OK, 400, nullptr,
       Post("/v1/filings:apply", "{\"budget\":{\"incomeLines\":\"none\"}}")},
      {"a JSON nesting bomb", "BAD_JSON", StatusCode::OK, 400, nullptr,
       Post("/v1/filings:apply", Repeat("[", 200000) + Repeat("]", 200000))},
      {"a nested-object bomb in a known field", "BAD_JSON", StatusCode::OK, 400, nullptr,
       Post("/v1/filings:apply", "{\"note\":" + Repeat("{\"a\":", 100000) + "1" + Repeat("}", 100000) + "}")},
      {"a NUL byte between JSON tokens", "BAD_JSON", StatusCode::OK, 400, nullptr,
       Post("/v1/filings:apply", "{\"note\":\"x\",\0\"budget\":{}}"s)},
      {"invalid UTF-8 in a JSON key", "V-UTF8", StatusCode::OK, 400, nullptr,
       Post("/v1/filings:apply", "{\"budget\":{\"name\xff\":1}}")},
      {"a UTF-16 body", "V-UTF8", StatusCode::OK, 400, nullptr,
       Post("/v1/filings:apply", "\xff\xfe{\0\"\0n\0o\0t\0e\0\"\0:\0\"\0x\0\"\0}\0"s)},
  };

  // ------------------------------------------------------------ names
  const std::vector<BadCall> names = {
      {"year with a leading zero: budgets/02021", "02021", StatusCode::INVALID_ARGUMENT, 400,
       GetBudgetNamed("regions/420107/departments/005001022/budgets/02021"), Get(BudgetPathWithYear("02021"))},
      {"year with a plus sign: budgets/+2021", "+2021", StatusCode::INVALID_ARGUMENT, 400,
       GetBudgetNamed("regions/420107/departments/005001022/budgets/+2021"), Get(BudgetPathWithYear("%2B2021"))},
      {"year after a space: budgets/%202021", " 2021", StatusCode::INVALID_ARGUMENT, 400,
       GetBudgetNamed("regions/420107/departments/005001022/budgets/ 2021"), Get(BudgetPathWithYear("%202021"))},
      {"year outside 2000–2100", "1999", StatusCode::INVALID_ARGUMENT, 400,
       GetBudgetNamed("regions/420107/departments/005001022/budgets/1999"), Get(BudgetPathWithYear("1999"))},
      {"year in full-width digits", "２０２１", StatusCode::INVALID_ARGUMENT, 400,
       GetBudgetNamed("regions/420107/departments/005001022/budgets/２０２１"),
       Get(BudgetPathWithYear("%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%91"))},
      {"region of 5 digits", "42010", StatusCode::INVALID_ARGUMENT, 400,
       GetBudgetNamed("regions/42010/departments/005001022/budgets/2021"),
       Get("/v1/regions/42010/departments/005001022/budgets/2021")},
      {"region with a letter", "42o107", StatusCode::INVALID_ARGUMENT, 400,
       GetBudgetNamed("regions/42o107/departments/005001022/budgets/2021"),
       Get("/v1/regions/42o107/departments/005001022/budgets/2021")},
      {"agency code of 33 digits", "regions/420107/departments/" + std::string(33, '1'), StatusCode::INVALID_ARGUMENT,
       400,
       [&] {
         lv1::GetDepartmentRequest get;
         get.set_name("regions/420107/departments/" + std::string(33, '1'));
         return Call(&PublicApi::Stub::GetDepartment, get);
       }(),
       Get("/v1/regions/420107/departments/" + std::string(33, '1'))},
      {"agency code with a hyphen", "005-001-022", StatusCode::INVALID_ARGUMENT, 400,
       GetBudgetNamed("regions/420107/departments/005-001-022/budgets/2021"),
       Get("/v1/regions/420107/departments/005-001-022/budgets/2021")},
      {"empty segment", "regions//departments/005001022/budgets/2021", StatusCode::INVALID_ARGUMENT, 400,
       GetBudgetNamed("regions//departments/005001022/budgets/2021"),
       Get("/v1/regions//departments/005001022/budgets/2021")},
      {"wrong collection", "agencies", StatusCode::INVALID_ARGUMENT, 404,
       GetBudgetNamed("regions/420107/agencies/005001022/budgets/2021"),
       Get("/v1/regions/420107/agencies/005001022/budgets/2021")},
      {"trailing slash", "regions/420107/departments/005001022/budgets/2021/", StatusCode::INVALID_ARGUMENT, 404,
       GetBudgetNamed(std::string(kBudget) + "/"), Get(kBudgetPath + "/")},
      {"a name of 100 000 characters", "resource", StatusCode::INVALID_ARGUMENT, 0,
       GetBudgetNamed(std::string(kBudget) + Repeat("/x", 50000)), std::nullopt},
      {"a department's name where a budget's is wanted", "regions/420107/departments/005001022",
       StatusCode::INVALID_ARGUMENT, 0, GetBudgetNamed(kDepartment), std::nullopt},
      {"a budget's name where its goals' is wanted", "goals", StatusCode::INVALID_ARGUMENT, 0,
       [&] {
         ov1::GetGoalsRequest get;
         get.set_name(kBudget);
         return Call(&PublicApi::Stub::GetGoals, get);
       }(),
       std::nullopt},
      {"no name at all", "name", StatusCode::INVALID_ARGUMENT, 0, GetBudgetNamed(""), std::nullopt},
      {"invalid UTF-8 in a name", "name", StatusCode::INVALID_ARGUMENT, 400,
       GetBudgetNamed("regions/4201\xff/departments/005001022/budgets/2021"),
       Get("/v1/regions/4201%FF/departments/005001022/budgets/2021")},
      {"a list parent that is not a region", "regions/4201071", StatusCode::INVALID_ARGUMENT, 400,
       ListDepartmentsUnder("regions/4201071"), Get("/v1/regions/4201071/departments")},
      {"the reviewer's queue of a malformed region", "42x", StatusCode::INVALID_ARGUMENT, 400,
       [&] {
         lv1::ListSubmissionsRequest list;
         list.set_parent("regions/42x");
         return Call(&PublicApi::Stub::ListSubmissions, list);
       }(),
       Get("/v1/regions/42x/submissions")},
      {"a new department outside the path's region", "department.name", StatusCode::OK, 400, nullptr,
       Post("/v1/regions/420107/departments",
            "{\"name\":\"regions/110101/departments/1\",\"regionCode\":\"110101\",\"agencyCode\":\"1\"}"),
       "", security::Role::kAdmin},
      {"a budget body naming another budget than its path", "budget.name", StatusCode::OK, 400, nullptr,
       Put(kBudgetPath, "{\"name\":\"" + kSubmitted + "\"}")},
      {"a budget body of another year than its path", "budget.fiscalYear", StatusCode::OK, 400, nullptr,
       Put(kBudgetPath, "{\"fiscalYear\":2022}")},
      {"a goals body naming another budget's goals", "goals.name", StatusCode::OK, 400, nullptr,
       Put(kBudgetPath + "/goals", "{\"name\":\"" + kSubmitted + "/goals\"}")},
      {"a department to create whose name is not its codes'", "department.name", StatusCode::INVALID_ARGUMENT, 400,
       [&] {
         lv1::CreateDepartmentRequest create;
         *create.mutable_department() = SampleAs("900500002").department();
         create.mutable_department()->set_name("regions/420107/departments/900500003");
         return Call(&PublicApi::Stub::CreateDepartment, create, security::Role::kAdmin);
       }(),
       [&] {
         lv1::Department department = SampleAs("900500002").department();
         department.set_name("regions/420107/departments/900500003");
         return Post("/v1/regions/420107/departments", ToJson(department));
       }(),
       "", security::Role::kAdmin},
      {"a budget put alone with a negative amount", "budget.expenditureLines[0].amountFen",
       StatusCode::INVALID_ARGUMENT, 400,
       [&] {
         lv1::PutBudgetRequest put;
         *put.mutable_budget() = sample.budget();
         put.mutable_budget()->mutable_expenditure_lines(0)->set_amount_fen(-5);
         return Call(&PublicApi::Stub::PutBudget, put);
       }(),
       [&] {
         lv1::Budget budget = sample.budget();
         budget.mutable_expenditure_lines(0)->set_amount_fen(-5);
         return Put(kBudgetPath, ToJson(budget));
       }()},
      {"goals put alone with a NUL in a target", "goals.department.annualGoals[0].indicators[0].target",
       StatusCode::INVALID_ARGUMENT, 400,
       [&] {
         ov1::PutGoalsRequest put;
         *put.mutable_goals() = sample.goals();
         put.mutable_goals()->mutable_department()->mutable_annual_goals(0)->mutable_indicators(0)->set_target(
             std::string("2\0", 2));
         return Call(&PublicApi::Stub::PutGoals, put);
       }(),
       [&] {
         ov1::GoalSet goals = sample.goals();
         goals.mutable_department()->mutable_annual_goals(0)->mutable_indicators(0)->set_target(std::string("2\0", 2));
         return Put(kBudgetPath + "/goals", ToJson(goals));
       }()},
      {"a catalogue edition that is not a year", "20x1", StatusCode::OK, 400, nullptr, Get("/v1/catalogues/20x1")},
      {"a catalogue edition that is not loaded", "1999", StatusCode::NOT_FOUND, 404,
       [&] {
         lv1::GetCatalogueRequest get;
         get.set_edition(1999);
         return Call(&PublicApi::Stub::GetCatalogue, get);
       }(),
       Get("/v1/catalogues/1999")},
      {"a catalogue code that is not a code", "abc", StatusCode::INVALID_ARGUMENT, 400,
       [&] {
         lv1::GetCatalogueCodeRequest get;
         get.set_edition(2021);
         get.set_code("abc");
         return Call(&PublicApi::Stub::GetCatalogueCode, get);
       }(),
       Get("/v1/catalogues/2021/codes/abc")},
      {"a catalogue diff without its from", "from", StatusCode::OK, 400, nullptr, Get("/v1/catalogues/2022:diff")},
      {"a catalogue diff from a two-digit year", "from", StatusCode::OK, 400, nullptr,
       Get("/v1/catalogues/2022:diff?from=21")},
  };

  // ------------------------------------------------------------ parameters
  const std::vector<BadCall> parameters = {
      {"negative page_size", "page_size", StatusCode::INVALID_ARGUMENT, 400, ListDepartmentsUnder("regions/420107", -1),
       Get("/v1/regions/420107/departments?page_size=-1")},
      {"a department view that is not one", "view", StatusCode::INVALID_ARGUMENT, 400,
       [&] {
         lv1::ListDepartmentsRequest list;
         list.set_parent("regions/420107");
         list.set_view(static_cast<lv1::DepartmentView>(9));
         return Call(&PublicApi::Stub::ListDepartments, list);
       }(),
       Get("/v1/regions/420107/departments?view=tiny")},
      {"page_size that is not a number", "page_size", StatusCode::OK, 400, nullptr,
       Get(kBudgetPath + "/versions?page_size=ten")},
      {"page_size in exponent notation", "page_size", StatusCode::OK, 400, nullptr,
       Get(kBudgetPath + "/revisions?page_size=1e3")},
      {"page_size past int64", "page_size", StatusCode::OK, 400, nullptr,
       Get(kBudgetPath + "/goals/revisions?page_size=99999999999999999999")},
      {"negative page_size of the public index", "page_size", StatusCode::INVALID_ARGUMENT, 400,
       [&] {
         rv1::ListPublishedRequest list;
         list.set_page_size(-5);
         return Call(&PublicApi::Stub::ListPublished, list);
       }(),
       Get("/v1/published?page_size=-5")},
      {"garbage page_token", "page_token", StatusCode::INVALID_ARGUMENT, 400,
       ListDepartmentsUnder("regions/420107", 0, "not-a-token"),
       Get("/v1/regions/420107/departments?page_token=not-a-token")},
      {"page_token of another region's list", "page_token", StatusCode::INVALID_ARGUMENT, 400,
       ListDepartmentsUnder("regions/110101", 0, "420107/005001022"),
       Get("/v1/regions/110101/departments?page_token=420107%2F005001022")},
      {"tampered numbered page_token", "page_token", StatusCode::INVALID_ARGUMENT, 400,
       [&] {
         lv1::ListBudgetVersionsRequest list;
         list.set_name(kBudget);
         list.set_page_token("01");
         return Call(&PublicApi::Stub::ListBudgetVersions, list);
       }(),
       Get(kBudgetPath + "/versions?page_token=01")},
      {"negative numbered page_token", "page_token", StatusCode::INVALID_ARGUMENT, 400,
       [&] {
         lv1::ListBudgetRevisionsRequest list;
         list.set_name(kBudget);
         list.set_page_token("-1");
         return Call(&PublicApi::Stub::ListBudgetRevisions, list);
       }(),
       Get(kBudgetPath + "/revisions?page_token=-1")},
      {"page_token of the public index from another region", "page_token", StatusCode::INVALID_ARGUMENT, 400,
       [&] {
         rv1::ListPublishedRequest list;
         list.set_region("110101");
         list.set_page_token(kBudget);
         return Call(&PublicApi::Stub::ListPublished, list);
       }(),
       Get(std::string("/v1/published?region=110101&page_token=") + kBudget)},
      {"diff from revision 0", "from", StatusCode::INVALID_ARGUMENT, 400,
       [&] {
         lv1::DiffBudgetRevisionsRequest diff;
         diff.set_name(kBudget);
         diff.set_from_revision(0);
         return Call(&PublicApi::Stub::DiffBudgetRevisions, diff);
       }(),
       Get(kBudgetPath + "/revisions:diff?from=0")},
      {"diff to a negative revision", "to", StatusCode::INVALID_ARGUMENT, 400,
       [&] {
         ov1::DiffGoalsRevisionsRequest diff;
         diff.set_name(std::string(kBudget) + "/goals");
         diff.set_from_revision(1);
         diff.set_to_revision(-1);
         return Call(&PublicApi::Stub::DiffGoalsRevisions, diff);
       }(),
       Get(kBudgetPath + "/goals/revisions:diff?from=1&to=-1")},
      {"diff from a revision with a plus sign", "from", StatusCode::OK, 400, nullptr,
       Get(kBudgetPath + "/revisions:diff?from=%2B1")},
      {"diff without from", "from", StatusCode::OK, 400, nullptr, Get(kBudgetPath + "/goals/revisions:diff")},
      {"a negative revision to read", "revision", StatusCode::INVALID_ARGUMENT, 400,
       [&] {
         lv1::GetBudgetRequest get;
         get.set_name(kBudget);
         get.set_revision(-1);
         return Call(&PublicApi::Stub::GetBudget, get);
       }(),
       Get(kBudgetPath + "?revision=-1")},
      {"a negative goals revision to read", "revision", StatusCode::INVALID_ARGUMENT, 400,
       [&] {
         ov1::GetGoalsRequest get;
         get.set_name(std::string(kBudget) + "/goals");
         get.set_revision(-2);
         return Call(&PublicApi::Stub::GetGoals, get);
       }(),
       Get(kBudgetPath + "/goals?revision=-2")},
      {"a negative published version", "version", StatusCode::INVALID_ARGUMENT, 400,
       [&] {
         rv1::GetPublishedRequest get;
         get.set_budget_name(kBudget);
         get.set_version(-1);
         return Call(&PublicApi::Stub::GetPublished, get);
       }(),
       Get(kBudgetPath + "/published?version=-1")},
      {"a negative catalogue version", "version", StatusCode::INVALID_ARGUMENT, 400,
       [&] {
         lv1::GetCatalogueRequest get;
         get.set_edition(2021);
         get.set_version(-1);
         return Call(&PublicApi::Stub::GetCatalogue, get);
       }(),
       Get("/v1/catalogues/2021?version=-1")},
      {"a published version that is not a number", "version", StatusCode::OK, 400, nullptr,
       Get(kBudgetPath + "/published?version=latest")},
      {"a report format that does not exist", "format", StatusCode::OK, 400, nullptr,
       Get(kBudgetPath + "/report?format=exe")},
      {"a template set that does not exist", "template", StatusCode::INVALID_ARGUMENT, 400,
       [&] {
         gv1::RenderReportRequest render;
         render.set_name(kBudget);
         render.set_template_set("../../etc/passwd");
         return Call(&PublicApi::Stub::RenderReport, render);
       }(),
       Get(kBudgetPath + "/report?template=..%2F..%2Fetc%2Fpasswd")},
      {"with_sources that is not a boolean", "with_sources", StatusCode::OK, 400, nullptr,
       Get(kBudgetPath + "/tables?with_sources=yes")},
      {"tables of a unit the department does not have", "999", StatusCode::NOT_FOUND, 404,
       [&] {
         gv1::GetBudgetTablesRequest get;
         get.set_name(kBudget);
         get.set_unit_code("999");
         return Call(&PublicApi::Stub::GetBudgetTables, get);
       }(),
       Get(kBudgetPath + "/tables?unit=999")},
      {"a queue status that does not exist", "status", StatusCode::OK, 400, nullptr,
       Get("/v1/regions/420107/submissions?status=pending")},
      {"a public-index year that is not a number", "year", StatusCode::OK, 400, nullptr,
       Get("/v1/published?year=MMXXI")},
      {"a query parameter that is not UTF-8 in its name", "query parameter name", StatusCode::OK, 400, nullptr,
       Get("/v1/published?%FF=1")},
  };

  // ------------------------------------------------------------ workflow
  auto body_step = [&](const std::string& path, const std::string& body) { return Post(path, body); };
  const std::vector<BadCall> workflow = {
      {"approve a draft", "draft", StatusCode::FAILED_PRECONDITION, 400,
       Transition(kBudget, lv1::WORKFLOW_ACTION_APPROVE), Post(kBudgetPath + ":approve"), "",
       security::Role::kReviewer},
      {"return a draft", "draft", StatusCode::FAILED_PRECONDITION, 400,
       Transition(kBudget, lv1::WORKFLOW_ACTION_RETURN, "请核对"),
       body_step(kBudgetPath + ":return", "{\"comment\":\"请核对\"}"), "", security::Role::kReviewer},
      {"publish a draft", "draft", StatusCode::FAILED_PRECONDITION, 400,
       Transition(kBudget, lv1::WORKFLOW_ACTION_PUBLISH), Post(kBudgetPath + ":publish"), "",
       security::Role::kReviewer},
      {"submit a submitted budget", "submitted", StatusCode::FAILED_PRECONDITION, 400,
       Transition(kSubmitted, lv1::WORKFLOW_ACTION_SUBMIT), Post(kSubmittedPath + ":submit")},
      {"publish a budget not yet approved", "submitted", StatusCode::FAILED_PRECONDITION, 400,
       Transition(kSubmitted, lv1::WORKFLOW_ACTION_PUBLISH), Post(kSubmittedPath + ":publish"), "",
       security::Role::kReviewer},
      {"return without a comment", "comment", StatusCode::INVALID_ARGUMENT, 400,
       Transition(kSubmitted, lv1::WORKFLOW_ACTION_RETURN), Post(kSubmittedPath + ":return"), "",
       security::Role::kReviewer},
      {"submit against a stale revision", "revision", StatusCode::FAILED_PRECONDITION, 400,
       Transition(kBudget, lv1::WORKFLOW_ACTION_SUBMIT, "", 99),
       body_step(kBudgetPath + ":submit", "{\"expectedRevision\":\"99\"}")},
      {"a step without an action", "action", StatusCode::INVALID_ARGUMENT, 0,
       Transition(kBudget, lv1::WORKFLOW_ACTION_UNSPECIFIED), std::nullopt},
      {"a step no enum value has (7)", "action", StatusCode::INVALID_ARGUMENT, 0,
       Transition(kBudget, static_cast<lv1::WorkflowAction>(7)), std::nullopt},
      {"a return comment of 10 001 characters", "comment", StatusCode::INVALID_ARGUMENT, 400,
       Transition(kSubmitted, lv1::WORKFLOW_ACTION_RETURN, Repeat("请", 10001)),
       body_step(kSubmittedPath + ":return", "{\"comment\":\"" + Repeat("请", 10001) + "\"}"), "",
       security::Role::kReviewer},
      {"a return comment with a right-to-left override", "comment", StatusCode::INVALID_ARGUMENT, 400,
       Transition(kSubmitted, lv1::WORKFLOW_ACTION_RETURN, "请核对\u202e对核请"),
       body_step(kSubmittedPath + ":return", "{\"comment\":\"请核对\u202e对核请\"}"), "", security::Role::kReviewer},
      {"a verb that is not a step (:delete)", "no such route", StatusCode::OK, 404, nullptr,
       Post(kBudgetPath + ":delete")},
      {"a step on a budget that does not exist", "regions/420107/departments/777/budgets/2021", StatusCode::NOT_FOUND,
       404, Transition("regions/420107/departments/777/budgets/2021", lv1::WORKFLOW_ACTION_SUBMIT),
       Post("/v1/regions/420107/departments/777/budgets/2021:submit")},
      {"a step body with a misspelt field", "comennt", StatusCode::OK, 400, nullptr,
       body_step(kSubmittedPath + ":return", "{\"comennt\":\"请核对\"}"), "", security::Role::kReviewer},
      {"a step body that is not JSON", "BAD_JSON", StatusCode::OK, 400, nullptr,
       body_step(kSubmittedPath + ":return", "comment=请核对"), "", security::Role::kReviewer},
      {"edit a budget under review", "submitted", StatusCode::FAILED_PRECONDITION, 400,
       [&] {
         lv1::PutBudgetRequest put;
         *put.mutable_budget() = SampleAs(kSubmittedAgency).budget();
         return Call(&PublicApi::Stub::PutBudget, put);
       }(),
       Put(kSubmittedPath, ToJson(SampleAs(kSubmittedAgency).budget()))},
      {"a filing of a budget under review", "submitted", StatusCode::FAILED_PRECONDITION, 400,
       [&] {
         gv1::ApplyFilingRequest apply;
         *apply.mutable_filing() = SampleAs(kSubmittedAgency);
         return Call(&PublicApi::Stub::ApplyFiling, apply);
       }(),
       Post("/v1/filings:apply", ToJson(SampleAs(kSubmittedAgency)))},
      {"a write against a stale etag", "etag", StatusCode::ABORTED, 409,
       [&] {
         lv1::PutBudgetRequest put;
         *put.mutable_budget() = sample.budget();
         put.mutable_budget()->set_etag("stale");
         return Call(&PublicApi::Stub::PutBudget, put);
       }(),
       Put(kBudgetPath, ToJson(sample.budget()), {{"If-Match", "\"stale\""}})},
      {"an import of a catalogue file that is not one", "2021.csv", StatusCode::INVALID_ARGUMENT, 400,
       [&] {
         lv1::ImportCatalogueRequest import;
         import.set_edition(2021);
         import.set_file_name("2021.csv");
         import.set_content("this,is\nnot,a catalogue\n");
         return Call(&PublicApi::Stub::ImportCatalogue, import, security::Role::kAdmin);
       }(),
       Post("/v1/catalogues/2021:import?file_name=2021.csv", "this,is\nnot,a catalogue\n",
            {{"Content-Type", "text/csv"}}),
       "", security::Role::kAdmin},
      // Request ids (REST: Idempotency-Key), on an otherwise good filing of
      // a department of its own.
      {"a request id reused for a changed filing", "request_id", StatusCode::FAILED_PRECONDITION, 400,
       [&] {
         gv1::ApplyFilingRequest apply;
         *apply.mutable_filing() = sample;
         apply.mutable_filing()->mutable_department()->set_contact_phone("027-12345678");
         apply.set_request_id("catalogue-seed");
         return Call(&PublicApi::Stub::ApplyFiling, apply);
       }(),
       [&] {
         Filing changed = sample;
         changed.mutable_department()->set_contact_phone("027-12345678");
         return Post("/v1/filings:apply", ToJson(changed), {{"Idempotency-Key", "catalogue-seed"}});
       }()},
      {"a request id of 10 000 characters", "request_id", StatusCode::INVALID_ARGUMENT, 400,
       [&] {
         gv1::ApplyFilingRequest apply;
         *apply.mutable_filing() = SampleAs("900400001");
         apply.set_request_id(std::string(10000, 'k'));
         return Call(&PublicApi::Stub::ApplyFiling, apply);
       }(),
       Post("/v1/filings:apply", ToJson(SampleAs("900400001")), {{"Idempotency-Key", std::string(10000, 'k')}})},
      {"a request id with a control character", "request_id", StatusCode::INVALID_ARGUMENT, 400,
       [&] {
         gv1::ApplyFilingRequest apply;
         *apply.mutable_filing() = SampleAs("900400002");
         apply.set_request_id("key\x01\n");
         return Call(&PublicApi::Stub::ApplyFiling, apply);
       }(),
       Post("/v1/filings:apply?request_id=key%01%0A", ToJson(SampleAs("900400002")))},
  };

  // ------------------------------------------------------------ HTTP
  const std::string apply_head = "POST /v1/filings:apply HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  const std::vector<BadCall> http = {
      {"a path no route has", "no such route", StatusCode::OK, 404, nullptr, Get("/v1/budgets")},
      {"a known path with another method", "GET", StatusCode::OK, 405, nullptr,
       RestCall{"DELETE", kBudgetPath, "", {}}},
      {"a path that climbs out with ..", "no such route", StatusCode::OK, 404, nullptr,
       Get("/v1/regions/420107/departments/005001022/budgets/2021/../../../../../../etc/passwd")},
      {"a Content-Length that is not a number", "Content-Length", StatusCode::OK, 400, nullptr, std::nullopt,
       apply_head + "Content-Length: ten\r\n\r\n{}"},
      {"two Content-Length headers that disagree", "Content-Length", StatusCode::OK, 400, nullptr, std::nullopt,
       apply_head + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}"},
      {"a chunk size that is not hexadecimal", "chunk", StatusCode::OK, 400, nullptr, std::nullopt,
       apply_head + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"},
      {"a request line that is not HTTP", "malformed HTTP request", StatusCode::OK, 400, nullptr, std::nullopt,
       "HELLO THERE\r\n\r\n"},
      {"a request head over 64 KiB", "64 KiB", StatusCode::OK, 431, nullptr, std::nullopt,
       "GET /v1/rules HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + std::string(70000, 'a') + "\r\n\r\n"},
      {"a bearer token that is not one", "MALFORMED", StatusCode::UNAUTHENTICATED, 401,
       [&] {
         lv1::GetBudgetRequest get;
         get.set_name(kBudget);
         return [this, get] {
           grpc::ClientContext context;
           context.AddMetadata("authorization", "Bearer not.a.token");
           lv1::Budget budget;
           return Api()->GetBudget(&context, get, &budget);
         };
       }(),
       RestCall{"GET", kBudgetPath, "", {{"Authorization", "Bearer not.a.token"}}}},
      {"an authorization header of another scheme", "MALFORMED", StatusCode::UNAUTHENTICATED, 401,
       [&] {
         lv1::GetBudgetRequest get;
         get.set_name(kBudget);
         return [this, get] {
           grpc::ClientContext context;
           context.AddMetadata("authorization", "Basic YWRtaW46YWRtaW4=");
           lv1::Budget budget;
           return Api()->GetBudget(&context, get, &budget);
         };
       }(),
       RestCall{"GET", kBudgetPath, "", {{"Authorization", "Basic YWRtaW46YWRtaW4="}}}},
  };

  int kinds = static_cast<int>(filings.size());
  for (const auto* section : {&bodies, &names, &parameters, &workflow, &http}) {
    for (const BadCall& c : *section) RunCall(c);
    kinds += static_cast<int>(section->size());
  }

  // A refused filing leaves its Idempotency-Key unused: the same key then
  // files the corrected filing.
  {
    Filing bad = SampleAs("900200001");
    bad.mutable_department()->clear_full_name();
    httplib::Headers key = {{"Idempotency-Key", "catalogue-key-not-consumed"}};
    auto refused = Http().Post("/v1/filings:apply", key, ToJson(bad), "application/json");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 400) << refused->body.substr(0, 500);
    auto filed = Http().Post("/v1/filings:apply", key, ToJson(SampleAs("900200001")), "application/json");
    ASSERT_TRUE(filed);
    EXPECT_EQ(filed->status, 200) << "the refused filing consumed its key: " << filed->body.substr(0, 500);
  }

  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "bad-input catalogue: " << kinds << " kinds (" << filings.size() << " filings, " << bodies.size()
            << " REST bodies, " << names.size() << " names, " << parameters.size() << " parameters, " << workflow.size()
            << " workflow, " << http.size() << " HTTP) in " << seconds << " s\n";
  EXPECT_GE(kinds, 100);
}

}  // namespace
}  // namespace yusuan::testing
