// Bulk import (issue 14): generated departments, some broken on purpose,
// through gRPC ImportFilings and REST POST /v1/filings:import. Each valid
// filing is stored whole and each broken one refused with its findings, in
// the order sent, without stopping the others; importing the same filings
// again writes nothing.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/ledger/domain/catalogue.h"
#include "services/security/token.h"
#include "tests/integration/harness.h"
#include "tests/integration/raw_http.h"
#include "tests/integration/shared_cluster.h"
#include "tools/synth/synth.h"
#include "yusuan/gateway/v1/gateway.grpc.pb.h"

namespace yusuan::testing {
namespace {

using yusuan::gateway::v1::Filing;
using yusuan::gateway::v1::ImportFilingsRequest;
using yusuan::gateway::v1::ImportFilingsResponse;
using yusuan::gateway::v1::PublicApi;
using yusuan::security::Role;
namespace lv1 = yusuan::ledger::v1;

class ImportTest : public SharedClusterTest<ImportTest> {
 protected:
  static std::unique_ptr<grpc::ClientContext> Context(Role role = Role::kIntegrator) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(600));
    context->AddMetadata("authorization", "Bearer " + TestToken(*cluster_, role, "import-test"));
    return context;
  }

  // Generated departments first…first+count-1 of one seed: each test takes
  // its own range, so no two tests of the suite file the same budget.
  static std::vector<Filing> Generate(int first, int count) {
    absl::StatusOr<ledger::CatalogueSet> catalogues =
        ledger::CatalogueSet::LoadFromDirectory(std::string(YUSUAN_SOURCE_DIR) + "/data/catalogue");
    EXPECT_TRUE(catalogues.ok()) << catalogues.status();
    synth::SynthOptions options;
    options.seed = 20261206;
    absl::StatusOr<synth::Synthesizer> synthesizer = synth::Synthesizer::Create(*catalogues, options);
    EXPECT_TRUE(synthesizer.ok()) << synthesizer.status();
    std::vector<Filing> filings;
    for (int i = first; i < first + count; ++i) {
      absl::StatusOr<Filing> filing = synthesizer->Synthesize(i);
      EXPECT_TRUE(filing.ok()) << filing.status();
      filings.push_back(*filing);
    }
    return filings;
  }

  // Streams `filings` through ImportFilings; the answers in the order read.
  static std::vector<ImportFilingsResponse> Import(const std::vector<Filing>& filings, const std::string& request_id,
                                                   grpc::Status* status, Role role = Role::kIntegrator) {
    auto api = PublicApi::NewStub(cluster_->GatewayChannel());
    auto context = Context(role);
    auto stream = api->ImportFilings(context.get());
    std::vector<ImportFilingsResponse> answers;
    // One filing in flight at a time on the server: write, then read its
    // answer, so the test also checks that each is answered before the next.
    for (size_t i = 0; i < filings.size(); ++i) {
      ImportFilingsRequest request;
      *request.mutable_filing() = filings[i];
      if (i == 0) request.set_request_id(request_id);
      if (!stream->Write(request)) break;
      ImportFilingsResponse answer;
      if (!stream->Read(&answer)) break;
      answers.push_back(answer);
    }
    stream->WritesDone();
    ImportFilingsResponse extra;
    while (stream->Read(&extra)) answers.push_back(extra);
    *status = stream->Finish();
    return answers;
  }

  // The same over REST, one NDJSON body: the answers, one per line.
  static std::vector<ImportFilingsResponse> ImportOverRest(const std::vector<Filing>& filings,
                                                           const std::string& request_id, int* http_status) {
    std::string body;
    for (const Filing& filing : filings) {
      std::string json;
      EXPECT_TRUE(google::protobuf::util::MessageToJsonString(filing, &json).ok());
      absl::StrAppend(&body, json, "\n");
    }
    httplib::Client http("127.0.0.1", cluster_->gateway_http_port());
    http.set_read_timeout(std::chrono::seconds(600));
    httplib::Headers headers = {{"Authorization", "Bearer " + TestToken(*cluster_, Role::kIntegrator, "import-test")},
                                {"Idempotency-Key", request_id}};
    auto response = http.Post("/v1/filings:import", headers, body, "application/x-ndjson");
    std::vector<ImportFilingsResponse> answers;
    *http_status = response ? response->status : -1;
    if (!response || response->status != 200) {
      ADD_FAILURE() << "REST import: " << (response ? response->body : httplib::to_string(response.error()));
      return answers;
    }
    for (absl::string_view line : absl::StrSplit(response->body, '\n', absl::SkipEmpty())) {
      ImportFilingsResponse answer;
      EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(std::string(line), &answer).ok()) << line;
      answers.push_back(answer);
    }
    return answers;
  }

  // Budget and goals of a filing as stored: OK, NOT_FOUND, or another code.
  static grpc::StatusCode GoalsExist(const std::string& budget_name) {
    auto api = PublicApi::NewStub(cluster_->GatewayChannel());
    yusuan::goals::v1::GetGoalsRequest get;
    get.set_name(budget_name + "/goals");
    yusuan::goals::v1::GoalSet goals;
    return api->GetGoals(Context().get(), get, &goals).error_code();
  }

  static grpc::StatusCode Exists(const std::string& budget_name, lv1::Budget* budget) {
    auto api = PublicApi::NewStub(cluster_->GatewayChannel());
    lv1::GetBudgetRequest get;
    get.set_name(budget_name);
    return api->GetBudget(Context().get(), get, budget).error_code();
  }
};

struct Breakage {
  std::string label;
  std::function<void(Filing&)> spoil;
  // A FATAL finding's field must start with this.
  std::string field_prefix;
};

const std::vector<Breakage>& Breakages() {
  static const std::vector<Breakage> kBreakages = {
      {"1 分 more income",
       [](Filing& f) {
         auto* line = f.mutable_budget()->mutable_income_lines(0);
         line->set_amount_fen(line->amount_fen() + 1);
       },
       "budget.incomeLines"},
      {"a functional code no catalogue has",
       [](Filing& f) { f.mutable_budget()->mutable_expenditure_lines(0)->set_functional_code("2069998"); },
       "budget.expenditureLines[0].functionalCode"},
      {"a NUL in the department's name",
       [](Filing& f) { f.mutable_department()->set_full_name(f.department().full_name() + '\0' + "x"); },
       "department.fullName"},
      {"a project without its goal sheet", [](Filing& f) { f.mutable_goals()->mutable_projects()->RemoveLast(); },
       "budget.projects["},
  };
  return kBreakages;
}

bool HasFatalAt(const ImportFilingsResponse& answer, const std::string& prefix) {
  for (const auto& finding : answer.validation().findings()) {
    if (finding.severity() == yusuan::common::v1::SEVERITY_FATAL && absl::StartsWith(finding.field(), prefix)) {
      return true;
    }
  }
  return false;
}

TEST_F(ImportTest, EachFilingIsStoredOrRefusedOnItsOwnAndAgainNothingChanges) {
  std::vector<Filing> filings = Generate(0, 24);
  // Every sixth filing is broken, each in another way.
  std::map<size_t, const Breakage*> broken;
  for (size_t i = 3, k = 0; i < filings.size(); i += 6, ++k) {
    const Breakage& breakage = Breakages()[k % Breakages().size()];
    breakage.spoil(filings[i]);
    broken[i] = &breakage;
  }
  ASSERT_EQ(broken.size(), 4u);

  grpc::Status status;
  std::vector<ImportFilingsResponse> answers = Import(filings, "import-test-1", &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(answers.size(), filings.size());
  std::map<std::string, int64_t> revisions;
  for (size_t i = 0; i < answers.size(); ++i) {
    const ImportFilingsResponse& answer = answers[i];
    SCOPED_TRACE(absl::StrCat("filing ", i, " ", filings[i].budget().name()));
    EXPECT_EQ(answer.index(), static_cast<int64_t>(i));
    EXPECT_EQ(answer.request_id(), "import-test-1");
    EXPECT_EQ(answer.budget_name(), filings[i].budget().name());
    lv1::Budget stored;
    if (broken.count(i)) {
      EXPECT_EQ(answer.outcome(), ImportFilingsResponse::OUTCOME_REFUSED) << broken[i]->label;
      EXPECT_EQ(answer.error().code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT))
          << answer.error().message();
      EXPECT_TRUE(HasFatalAt(answer, broken[i]->field_prefix))
          << broken[i]->label << ": no FATAL finding at " << broken[i]->field_prefix;
      // The report travels once, in `validation`, not again in the details.
      for (const auto& detail : answer.error().details()) {
        EXPECT_FALSE(detail.Is<yusuan::common::v1::ValidationReport>());
      }
      EXPECT_EQ(Exists(filings[i].budget().name(), &stored), grpc::StatusCode::NOT_FOUND) << broken[i]->label;
    } else {
      EXPECT_EQ(answer.outcome(), ImportFilingsResponse::OUTCOME_APPLIED) << answer.error().message();
      EXPECT_GE(answer.budget_revision(), 1);
      EXPECT_GE(answer.goals_revision(), 1);
      EXPECT_EQ(answer.validation().fatal_count(), 0);
      ASSERT_EQ(Exists(filings[i].budget().name(), &stored), grpc::StatusCode::OK);
      EXPECT_EQ(stored.revision(), answer.budget_revision());
      revisions[answer.budget_name()] = answer.budget_revision();
    }
  }

  // The same filings again, under another request id: nothing is written.
  std::vector<ImportFilingsResponse> again = Import(filings, "import-test-2", &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(again.size(), filings.size());
  for (size_t i = 0; i < again.size(); ++i) {
    SCOPED_TRACE(absl::StrCat("again: filing ", i));
    if (broken.count(i)) {
      EXPECT_EQ(again[i].outcome(), ImportFilingsResponse::OUTCOME_REFUSED);
      continue;
    }
    EXPECT_EQ(again[i].outcome(), ImportFilingsResponse::OUTCOME_UNCHANGED) << again[i].error().message();
    EXPECT_EQ(again[i].budget_revision(), revisions[again[i].budget_name()]);
    lv1::Budget stored;
    ASSERT_EQ(Exists(filings[i].budget().name(), &stored), grpc::StatusCode::OK);
    EXPECT_EQ(stored.revision(), revisions[again[i].budget_name()]);
  }

  // One filing changed: only it is written, as its next revision.
  filings[0].mutable_budget()->mutable_narrative()->set_three_public_change_reason("导入测试：改变一处说明");
  std::vector<ImportFilingsResponse> changed = Import({filings[0], filings[1]}, "import-test-3", &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(changed.size(), 2u);
  EXPECT_EQ(changed[0].outcome(), ImportFilingsResponse::OUTCOME_APPLIED);
  EXPECT_EQ(changed[0].budget_revision(), revisions[filings[0].budget().name()] + 1);
  EXPECT_EQ(changed[1].outcome(), ImportFilingsResponse::OUTCOME_UNCHANGED);
}

std::string RegionOf(const Filing& filing) {
  const std::vector<std::string> parts = absl::StrSplit(filing.budget().name(), '/');
  return absl::StrCat("regions/", parts.at(1));
}

TEST_F(ImportTest, AFilingOutsideTheScopeIsRefusedAndTheOthersGoOn) {
  // A token for the region of one filing; another filing elsewhere first.
  const std::vector<Filing> generated = Generate(24, 6);
  const std::string scope = RegionOf(generated[0]);
  const Filing* elsewhere = nullptr;
  for (const Filing& filing : generated) {
    if (RegionOf(filing) != scope) elsewhere = &filing;
  }
  ASSERT_NE(elsewhere, nullptr) << "six generated departments should not all be in " << scope;
  const std::vector<Filing> filings = {*elsewhere, generated[0]};
  auto api = PublicApi::NewStub(cluster_->GatewayChannel());
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", "Bearer " + TestToken(*cluster_, Role::kIntegrator, "import-test", scope));
  auto stream = api->ImportFilings(context.get());
  for (const Filing& filing : filings) {
    ImportFilingsRequest request;
    *request.mutable_filing() = filing;
    ASSERT_TRUE(stream->Write(request));
  }
  stream->WritesDone();
  std::vector<ImportFilingsResponse> answers;
  ImportFilingsResponse answer;
  while (stream->Read(&answer)) answers.push_back(answer);
  grpc::Status status = stream->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(answers.size(), 2u);
  EXPECT_EQ(answers[0].outcome(), ImportFilingsResponse::OUTCOME_REFUSED);
  EXPECT_EQ(answers[0].error().code(), static_cast<int>(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_EQ(answers[1].outcome(), ImportFilingsResponse::OUTCOME_APPLIED) << answers[1].error().message();
  EXPECT_FALSE(answers[0].request_id().empty()) << "the gateway makes a request id when the client sends none";
  EXPECT_EQ(answers[1].request_id(), answers[0].request_id());
  lv1::Budget stored;
  EXPECT_EQ(Exists(filings[0].budget().name(), &stored), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Exists(filings[1].budget().name(), &stored), grpc::StatusCode::OK);
}

TEST_F(ImportTest, WithoutATokenTheStreamIsRefused) {
  auto api = PublicApi::NewStub(cluster_->GatewayChannel());
  grpc::ClientContext context;
  auto stream = api->ImportFilings(&context);
  ImportFilingsRequest request;
  *request.mutable_filing() = Generate(30, 1)[0];
  stream->Write(request);
  stream->WritesDone();
  ImportFilingsResponse answer;
  EXPECT_FALSE(stream->Read(&answer));
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(ImportTest, RestTakesNdjsonAndAnswersALinePerFiling) {
  const std::vector<Filing> filings = Generate(31, 2);
  std::string first, second;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(filings[0], &first).ok());
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(filings[1], &second).ok());
  // Line 2 is blank (skipped), line 3 is not a filing.
  const std::string body = absl::StrCat(first, "\n\n{\"department\": 5}\r\n", second, "\n");
  httplib::Client http("127.0.0.1", cluster_->gateway_http_port());
  http.set_read_timeout(std::chrono::seconds(120));
  httplib::Headers headers = {{"Authorization", "Bearer " + TestToken(*cluster_, Role::kIntegrator, "import-test")},
                              {"Idempotency-Key", "rest-import-1"}};
  auto response = http.Post("/v1/filings:import", headers, body, "application/x-ndjson");
  ASSERT_TRUE(response);
  ASSERT_EQ(response->status, 200) << response->body;
  EXPECT_TRUE(absl::StartsWith(response->get_header_value("Content-Type"), "application/x-ndjson"));
  std::vector<std::string> lines = absl::StrSplit(response->body, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u) << response->body;
  std::vector<ImportFilingsResponse> answers(3);
  for (size_t i = 0; i < 3; ++i) {
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(lines[i], &answers[i]).ok()) << lines[i];
    EXPECT_EQ(answers[i].index(), static_cast<int64_t>(i));
    EXPECT_EQ(answers[i].request_id(), "rest-import-1");
  }
  EXPECT_EQ(answers[0].outcome(), ImportFilingsResponse::OUTCOME_APPLIED) << lines[0];
  EXPECT_EQ(answers[1].outcome(), ImportFilingsResponse::OUTCOME_REFUSED) << lines[1];
  EXPECT_NE(answers[1].error().message().find("line 3"), std::string::npos) << lines[1];
  EXPECT_EQ(answers[2].outcome(), ImportFilingsResponse::OUTCOME_APPLIED) << lines[2];

  // An empty body names what is missing.
  auto empty = http.Post("/v1/filings:import", headers, "\n\n", "application/x-ndjson");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->status, 400);
  EXPECT_NE(empty->body.find("NDJSON"), std::string::npos) << empty->body;

  // A start no retry could resume is refused before any filing: a request id
  // with a control character, a negative first index.
  httplib::Headers bad_key = headers;
  bad_key.erase("Idempotency-Key");
  bad_key.emplace("Idempotency-Key", "key\twith-tab");
  auto bad_id = http.Post("/v1/filings:import", bad_key, first, "application/x-ndjson");
  ASSERT_TRUE(bad_id);
  EXPECT_EQ(bad_id->status, 400) << bad_id->body;
  EXPECT_NE(bad_id->body.find("request_id"), std::string::npos) << bad_id->body;
  auto negative = http.Post("/v1/filings:import?first_index=-1", headers, first, "application/x-ndjson");
  ASSERT_TRUE(negative);
  EXPECT_EQ(negative->status, 400) << negative->body;
  EXPECT_NE(negative->body.find("first_index"), std::string::npos) << negative->body;
}

// REST streams both ways: the answer to filing 1 arrives while the client
// still holds filings 2 and 3 (a chunked body, over a raw socket so the test
// controls when each byte goes).
TEST_F(ImportTest, RestAnswersEachFilingWhileTheBodyIsStillBeingSent) {
  const std::vector<Filing> filings = Generate(40, 3);
  std::vector<std::string> lines;
  for (const Filing& filing : filings) {
    std::string json;
    ASSERT_TRUE(google::protobuf::util::MessageToJsonString(filing, &json).ok());
    lines.push_back(json + "\n");
  }
  Socket socket(cluster_->gateway_http_port());
  ASSERT_TRUE(socket.ok());
  ASSERT_TRUE(socket.Send(absl::StrCat("POST /v1/filings:import?first_index=10 HTTP/1.1\r\nHost: 127.0.0.1\r\n",
                                       "Authorization: Bearer ", TestToken(*cluster_, Role::kIntegrator, "import-test"),
                                       "\r\nIdempotency-Key: rest-stream-1\r\nContent-Type: application/x-ndjson\r\n",
                                       "Transfer-Encoding: chunked\r\n\r\n", Chunk(lines[0]))));
  HttpAnswerReader answer(socket);
  ASSERT_TRUE(answer.AwaitLines(1, std::chrono::milliseconds(120000))) << answer.head() << answer.body();
  ASSERT_EQ(answer.status(), 200) << answer.body();
  EXPECT_TRUE(absl::StrContains(answer.head(), "application/x-ndjson")) << answer.head();
  EXPECT_FALSE(answer.over()) << "the answer goes on while the body does";
  ImportFilingsResponse first;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(answer.Lines()[0], &first).ok()) << answer.body();
  EXPECT_EQ(first.index(), 10);
  EXPECT_EQ(first.outcome(), ImportFilingsResponse::OUTCOME_APPLIED) << answer.body();
  // Filing 1 is stored before filing 2 has been sent.
  lv1::Budget stored;
  EXPECT_EQ(Exists(first.budget_name(), &stored), grpc::StatusCode::OK) << first.budget_name();

  // The rest, the second filing split across two chunks, and a blank line.
  const std::string rest = lines[1] + "\n" + lines[2];
  ASSERT_TRUE(socket.Send(Chunk(rest.substr(0, 100)) + Chunk(rest.substr(100)) + kLastChunk));
  ASSERT_TRUE(answer.AwaitEnd(std::chrono::milliseconds(120000))) << answer.body();
  EXPECT_TRUE(answer.whole()) << "a whole answer ends with its last chunk";
  const std::vector<std::string> answered = answer.Lines();
  ASSERT_EQ(answered.size(), 3u) << answer.body();
  for (size_t i = 0; i < answered.size(); ++i) {
    ImportFilingsResponse each;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(answered[i], &each).ok()) << answered[i];
    EXPECT_EQ(each.index(), static_cast<int64_t>(10 + i));
    EXPECT_EQ(each.request_id(), "rest-stream-1");
    EXPECT_EQ(each.outcome(), ImportFilingsResponse::OUTCOME_APPLIED) << answered[i];
  }
}

// A body past the REST body limit streams; a line past it is refused by its
// number and the limit, and the filing after it is applied.
TEST_F(ImportTest, RestRefusesALineLongerThanTheBodyLimitAndGoesOn) {
  std::string filing;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(Generate(43, 1)[0], &filing).ok());
  const std::string body = absl::StrCat(std::string(64 * 1024 * 1024 + 1, 'x'), "\n", filing, "\n");
  Socket socket(cluster_->gateway_http_port());
  ASSERT_TRUE(socket.ok());
  ASSERT_TRUE(socket.Send(absl::StrCat("POST /v1/filings:import HTTP/1.1\r\nHost: 127.0.0.1\r\n",
                                       "Authorization: Bearer ", TestToken(*cluster_, Role::kIntegrator, "import-test"),
                                       "\r\nIdempotency-Key: rest-long-line\r\nContent-Length: ", body.size(),
                                       "\r\n\r\n", body)));
  HttpAnswerReader answer(socket);
  ASSERT_TRUE(answer.AwaitEnd(std::chrono::milliseconds(120000))) << answer.head() << answer.body();
  ASSERT_EQ(answer.status(), 200) << answer.body();
  EXPECT_TRUE(answer.whole());
  const std::vector<std::string> lines = answer.Lines();
  ASSERT_EQ(lines.size(), 2u) << answer.body();
  ImportFilingsResponse refused, applied;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(lines[0], &refused).ok()) << lines[0];
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(lines[1], &applied).ok()) << lines[1];
  EXPECT_EQ(refused.index(), 0);
  EXPECT_EQ(refused.outcome(), ImportFilingsResponse::OUTCOME_REFUSED);
  EXPECT_TRUE(absl::StrContains(refused.error().message(), "line 1 is longer than 64 MiB")) << lines[0];
  EXPECT_EQ(applied.index(), 1);
  EXPECT_EQ(applied.outcome(), ImportFilingsResponse::OUTCOME_APPLIED) << lines[1];
}

TEST_F(ImportTest, AStreamWhoseFirstMessageCannotBeResumedIsRefused) {
  const Filing filing = Generate(33, 1)[0];
  for (const bool negative_index : {false, true}) {
    auto api = PublicApi::NewStub(cluster_->GatewayChannel());
    auto context = Context();
    auto stream = api->ImportFilings(context.get());
    ImportFilingsRequest request;
    *request.mutable_filing() = filing;
    if (negative_index) {
      request.set_first_index(-3);
    } else {
      request.set_request_id(std::string(129, 'k'));
    }
    stream->Write(request);
    stream->WritesDone();
    ImportFilingsResponse answer;
    EXPECT_FALSE(stream->Read(&answer));
    const grpc::Status status = stream->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(status.error_message().find(negative_index ? "first_index" : "request_id"), std::string::npos)
        << status.error_message();
  }
  lv1::Budget stored;
  EXPECT_EQ(Exists(filing.budget().name(), &stored), grpc::StatusCode::NOT_FOUND);
}

// Issue 14's measure: 2,000 generated filings, 1 % broken, half over the
// gRPC stream and half over NDJSON; exactly the valid ones are stored, every
// broken one is reported with its findings, and each half imported again
// over the other face changes nothing.
TEST_F(ImportTest, TwoThousandFilingsOverBothFacesStoreExactlyTheValidOnes) {
  std::vector<Filing> filings = Generate(1000, 2000);
  std::map<size_t, const Breakage*> broken;
  for (size_t i = 57, k = 0; i < filings.size(); i += 100, ++k) {
    const Breakage& breakage = Breakages()[k % Breakages().size()];
    breakage.spoil(filings[i]);
    broken[i] = &breakage;
  }
  ASSERT_EQ(broken.size(), 20u);
  const std::vector<Filing> first_half(filings.begin(), filings.begin() + 1000);
  const std::vector<Filing> second_half(filings.begin() + 1000, filings.end());

  grpc::Status status;
  std::vector<ImportFilingsResponse> answers = Import(first_half, "bulk-grpc", &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  int http_status = 0;
  std::vector<ImportFilingsResponse> rest = ImportOverRest(second_half, "bulk-ndjson", &http_status);
  ASSERT_EQ(http_status, 200);
  answers.insert(answers.end(), rest.begin(), rest.end());
  ASSERT_EQ(answers.size(), filings.size());

  std::map<std::string, int64_t> revisions;
  for (size_t i = 0; i < filings.size(); ++i) {
    SCOPED_TRACE(absl::StrCat("filing ", i, " ", filings[i].budget().name()));
    const ImportFilingsResponse& answer = answers[i];
    EXPECT_EQ(answer.index(), static_cast<int64_t>(i % 1000));
    lv1::Budget stored;
    if (broken.count(i)) {
      EXPECT_EQ(answer.outcome(), ImportFilingsResponse::OUTCOME_REFUSED);
      EXPECT_TRUE(HasFatalAt(answer, broken[i]->field_prefix)) << broken[i]->label;
      EXPECT_EQ(Exists(filings[i].budget().name(), &stored), grpc::StatusCode::NOT_FOUND);
      EXPECT_EQ(GoalsExist(filings[i].budget().name()), grpc::StatusCode::NOT_FOUND);
      continue;
    }
    ASSERT_EQ(answer.outcome(), ImportFilingsResponse::OUTCOME_APPLIED) << answer.error().message();
    ASSERT_EQ(Exists(filings[i].budget().name(), &stored), grpc::StatusCode::OK);
    EXPECT_EQ(stored.revision(), answer.budget_revision());
    EXPECT_EQ(GoalsExist(filings[i].budget().name()), grpc::StatusCode::OK);
    revisions[filings[i].budget().name()] = answer.budget_revision();
  }
  ASSERT_EQ(revisions.size(), 1980u) << "generated departments should file 1,980 distinct budgets";

  // Each half again, over the other face.
  std::vector<ImportFilingsResponse> again = ImportOverRest(first_half, "bulk-again-ndjson", &http_status);
  ASSERT_EQ(http_status, 200);
  std::vector<ImportFilingsResponse> again_grpc = Import(second_half, "bulk-again-grpc", &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  again.insert(again.end(), again_grpc.begin(), again_grpc.end());
  ASSERT_EQ(again.size(), filings.size());
  for (size_t i = 0; i < filings.size(); ++i) {
    SCOPED_TRACE(absl::StrCat("again: filing ", i));
    if (broken.count(i)) {
      EXPECT_EQ(again[i].outcome(), ImportFilingsResponse::OUTCOME_REFUSED);
      EXPECT_TRUE(HasFatalAt(again[i], broken[i]->field_prefix)) << broken[i]->label;
      continue;
    }
    EXPECT_EQ(again[i].outcome(), ImportFilingsResponse::OUTCOME_UNCHANGED) << again[i].error().message();
    EXPECT_EQ(again[i].budget_revision(), revisions[filings[i].budget().name()]);
  }
}

// The gateway killed in the middle of a stream: no filing is half stored
// (a budget without its goals or the reverse), and the same import run
// again from its start, under its request id, completes it.
TEST_F(ImportTest, KillingTheGatewayMidImportLeavesNoHalfFiling) {
  const std::vector<Filing> filings = Generate(3000, 300);
  std::atomic<int> answered{0};
  grpc::Status status;
  std::thread importer([&] {
    auto api = PublicApi::NewStub(cluster_->GatewayChannel());
    auto context = Context();
    auto stream = api->ImportFilings(context.get());
    std::thread reader([&] {
      ImportFilingsResponse answer;
      while (stream->Read(&answer)) answered.fetch_add(1);
    });
    for (size_t i = 0; i < filings.size(); ++i) {
      ImportFilingsRequest request;
      *request.mutable_filing() = filings[i];
      if (i == 0) request.set_request_id("killed-import");
      if (!stream->Write(request)) break;
    }
    stream->WritesDone();
    reader.join();
    status = stream->Finish();
  });
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(240);
  while (answered.load() < 40 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (answered.load() < 40) {
    importer.join();
    FAIL() << "the import did not get going: " << answered.load() << " answers, " << status.error_message();
  }
  std::string error;
  ASSERT_TRUE(cluster_->KillAndRestart("gateway", &error)) << error;
  importer.join();
  EXPECT_FALSE(status.ok()) << "the stream should have ended with the gateway";
  const int before_kill = answered.load();
  EXPECT_LT(before_kill, static_cast<int>(filings.size()));

  // Whole or absent, each one.
  int whole = 0;
  for (const Filing& filing : filings) {
    lv1::Budget stored;
    const grpc::StatusCode budget = Exists(filing.budget().name(), &stored);
    const grpc::StatusCode goals = GoalsExist(filing.budget().name());
    ASSERT_TRUE(budget == grpc::StatusCode::OK || budget == grpc::StatusCode::NOT_FOUND) << budget;
    EXPECT_EQ(budget, goals) << filing.budget().name() << " is half stored";
    if (budget == grpc::StatusCode::OK) ++whole;
  }
  EXPECT_GE(whole, before_kill);

  // The same import again: each one is stored once, the ones already there
  // are unchanged, and none is refused.
  std::vector<ImportFilingsResponse> rerun = Import(filings, "killed-import", &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(rerun.size(), filings.size());
  int unchanged = 0;
  for (size_t i = 0; i < rerun.size(); ++i) {
    const auto outcome = rerun[i].outcome();
    EXPECT_TRUE(outcome == ImportFilingsResponse::OUTCOME_APPLIED ||
                outcome == ImportFilingsResponse::OUTCOME_UNCHANGED)
        << i << ": " << rerun[i].error().message();
    if (outcome == ImportFilingsResponse::OUTCOME_UNCHANGED) ++unchanged;
    lv1::Budget stored;
    ASSERT_EQ(Exists(filings[i].budget().name(), &stored), grpc::StatusCode::OK);
    EXPECT_EQ(stored.revision(), rerun[i].budget_revision()) << "written again: " << filings[i].budget().name();
    EXPECT_EQ(GoalsExist(filings[i].budget().name()), grpc::StatusCode::OK);
  }
  EXPECT_EQ(unchanged, whole);
}

// Bulk export (issue 14): what ExportFilings gives of a region and year is
// every stored filing of it, in department order, resumable after any
// cursor, and importing it again changes nothing.
TEST_F(ImportTest, ExportGivesEveryFilingOfTheRegionAndImportTakesItBackUnchanged) {
  const std::vector<Filing> filings = Generate(4000, 40);
  grpc::Status status;
  std::vector<ImportFilingsResponse> imported = Import(filings, "export-test", &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  for (const ImportFilingsResponse& answer : imported) {
    ASSERT_EQ(answer.outcome(), ImportFilingsResponse::OUTCOME_APPLIED) << answer.error().message();
  }
  // A province and a year with several of them.
  std::map<std::pair<std::string, int>, int> count;
  for (const Filing& filing : filings) {
    ++count[{filing.department().region_code().substr(0, 2), filing.budget().fiscal_year()}];
  }
  auto most = count.begin();
  for (auto it = count.begin(); it != count.end(); ++it) {
    if (it->second > most->second) most = it;
  }
  const auto& [province, year] = most->first;
  ASSERT_GE(most->second, 3) << "40 generated departments should give a province and year with three";
  std::map<std::string, Filing> expected;  // by budget name
  for (const Filing& filing : filings) {
    if (filing.department().region_code().rfind(province, 0) == 0 && filing.budget().fiscal_year() == year) {
      expected[filing.budget().name()] = filing;
    }
  }

  auto export_from = [&](const std::string& after, grpc::Status* finished) {
    auto api = PublicApi::NewStub(cluster_->GatewayChannel());
    auto context = Context();
    yusuan::gateway::v1::ExportFilingsRequest request;
    request.set_parent("regions/" + province);
    request.set_fiscal_year(year);
    request.set_after_cursor(after);
    auto stream = api->ExportFilings(context.get(), request);
    std::vector<yusuan::gateway::v1::ExportFilingsResponse> exported;
    yusuan::gateway::v1::ExportFilingsResponse one;
    while (stream->Read(&one)) exported.push_back(one);
    *finished = stream->Finish();
    return exported;
  };
  const std::vector<yusuan::gateway::v1::ExportFilingsResponse> exported = export_from("", &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(exported.size(), expected.size());
  std::vector<Filing> again;
  std::string previous_department;
  for (const auto& one : exported) {
    const Filing& filing = one.filing();
    ASSERT_TRUE(expected.count(filing.budget().name())) << filing.budget().name() << " is not of the region and year";
    EXPECT_LT(previous_department, filing.department().name()) << "in department order";
    previous_department = filing.department().name();
    EXPECT_FALSE(one.cursor().empty());
    EXPECT_EQ(filing.budget().revision(), 0) << "server-set fields are left out";
    EXPECT_TRUE(filing.budget().etag().empty());
    EXPECT_EQ(filing.goals().projects_size(), expected[filing.budget().name()].goals().projects_size());
    again.push_back(filing);
  }

  // Resumed after the second: the rest, the same.
  const std::vector<yusuan::gateway::v1::ExportFilingsResponse> rest = export_from(exported[1].cursor(), &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(rest.size(), exported.size() - 2);
  for (size_t i = 0; i < rest.size(); ++i) {
    EXPECT_EQ(rest[i].filing().budget().name(), exported[i + 2].filing().budget().name());
    EXPECT_EQ(rest[i].cursor(), exported[i + 2].cursor());
  }
  // A cursor that is no cursor of this region is refused, naming it.
  export_from("bm90LWEtY3Vyc29y", &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("after_cursor"), std::string::npos) << status.error_message();

  // The export imported again: nothing changes.
  std::vector<ImportFilingsResponse> reimported = Import(again, "export-test-again", &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(reimported.size(), again.size());
  for (const ImportFilingsResponse& answer : reimported) {
    EXPECT_EQ(answer.outcome(), ImportFilingsResponse::OUTCOME_UNCHANGED)
        << answer.budget_name() << ": " << answer.error().message();
  }

  // REST, two filings a page, following X-Next-Cursor: the same, in order.
  httplib::Client http("127.0.0.1", cluster_->gateway_http_port());
  http.set_read_timeout(std::chrono::seconds(120));
  const httplib::Headers headers = {
      {"Authorization", "Bearer " + TestToken(*cluster_, Role::kIntegrator, "import-test")}};
  std::vector<std::string> names;
  std::string after;
  for (int pages = 0; pages < 100; ++pages) {
    std::string path = absl::StrCat("/v1/regions/", province, "/filings:export?year=", year, "&page_size=2");
    if (!after.empty()) absl::StrAppend(&path, "&after=", after);
    auto page = http.Get(path, headers);
    ASSERT_TRUE(page);
    ASSERT_EQ(page->status, 200) << page->body;
    for (absl::string_view line : absl::StrSplit(page->body, '\n', absl::SkipEmpty())) {
      yusuan::gateway::v1::ExportFilingsResponse one;
      ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(std::string(line), &one).ok()) << line;
      names.push_back(one.filing().budget().name());
    }
    after = page->get_header_value("X-Next-Cursor");
    if (after.empty()) break;
  }
  ASSERT_EQ(names.size(), exported.size());
  for (size_t i = 0; i < names.size(); ++i) EXPECT_EQ(names[i], exported[i].filing().budget().name());
  auto no_year = http.Get(absl::StrCat("/v1/regions/", province, "/filings:export"), headers);
  ASSERT_TRUE(no_year);
  EXPECT_EQ(no_year->status, 400);
  EXPECT_NE(no_year->body.find("fiscal_year"), std::string::npos) << no_year->body;
}

}  // namespace
}  // namespace yusuan::testing
