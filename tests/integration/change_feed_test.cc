// The change feed (issue 14, item 4): a consumer watches a region over gRPC
// WatchChanges while filings and submissions are applied, the gateway and
// the ledger are restarted under it, and the consumer itself drops its
// stream now and then; resuming each time from the cursor of the last change
// it processed, it sees every write exactly once, in the order the test made
// them. REST GET /v1/regions/{r}/changes answers the same changes from any
// cursor and refuses a bad cursor and callers the matrix does not allow.
#include <httplib.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/common/mutex.h"
#include "services/ledger/domain/catalogue.h"
#include "services/security/token.h"
#include "tests/integration/harness.h"
#include "tools/synth/synth.h"
#include "yusuan/gateway/v1/gateway.grpc.pb.h"

namespace yusuan::testing {
namespace {

using yusuan::common::v1::Change;
using yusuan::gateway::v1::Filing;
using yusuan::gateway::v1::PublicApi;
using yusuan::gateway::v1::WatchChangesRequest;
using yusuan::gateway::v1::WatchChangesResponse;
using yusuan::security::Role;
namespace lv1 = yusuan::ledger::v1;

constexpr int kFilings = 12;

// What the test expects to see: kind and resource.
std::string Label(const Change& change) {
  return absl::StrCat(yusuan::common::v1::ChangeKind_Name(change.kind()), " ", change.resource_name());
}

class ChangeFeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = std::make_unique<Cluster>(dir_.path());
    std::string error;
    ASSERT_TRUE(cluster_->Start(&error)) << error;
    gateway_ = cluster_->gateway_grpc();
  }

  std::string Token(Role role) const { return TestToken(*cluster_, role, "change-feed-test"); }

  std::string Gateway() {
    MutexLock lock(&mu_);
    return gateway_;
  }

  static std::vector<Filing> Generate(int count) {
    absl::StatusOr<ledger::CatalogueSet> catalogues =
        ledger::CatalogueSet::LoadFromDirectory(std::string(YUSUAN_SOURCE_DIR) + "/data/catalogue");
    EXPECT_TRUE(catalogues.ok()) << catalogues.status();
    synth::SynthOptions options;
    options.seed = 20261207;
    std::vector<Filing> filings;
    for (int i = 0; i < count; ++i) {
      absl::StatusOr<Filing> filing = synth::SynthesizeDepartment(*catalogues, options, i);
      EXPECT_TRUE(filing.ok()) << filing.status();
      filings.push_back(*filing);
    }
    return filings;
  }

  // Calls `call` (one gRPC request with the same request id each time) until
  // it answers something other than UNAVAILABLE: the gateway or the ledger
  // may be restarting.
  grpc::Status UntilAnswered(const std::function<grpc::Status(PublicApi::Stub&, grpc::ClientContext&)>& call) {
    grpc::Status status;
    for (int attempt = 0; attempt < 300; ++attempt) {
      auto api = PublicApi::NewStub(grpc::CreateChannel(Gateway(), grpc::InsecureChannelCredentials()));
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
      context.AddMetadata("authorization", "Bearer " + Token(Role::kIntegrator));
      status = call(*api, context);
      if (status.error_code() != grpc::StatusCode::UNAVAILABLE) return status;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return status;
  }

  // The consumer: watches `prefix` from its stored cursor, processing each
  // change (and storing its cursor) one at a time; reconnects after any end
  // of the stream, and drops the stream itself after every 7 changes.
  void Consume(const std::string& prefix) {
    while (!stop_.load()) {
      auto api = PublicApi::NewStub(grpc::CreateChannel(Gateway(), grpc::InsecureChannelCredentials()));
      auto context = std::make_shared<grpc::ClientContext>();
      context->AddMetadata("authorization", "Bearer " + Token(Role::kIntegrator));
      WatchChangesRequest request;
      request.set_parent("regions/" + prefix);
      {
        MutexLock lock(&mu_);
        request.set_after_cursor(cursor_);
        stream_context_ = context;
      }
      auto stream = api->WatchChanges(context.get(), request);
      WatchChangesResponse message;
      int this_stream = 0;
      while (stream->Read(&message)) {
        MutexLock lock(&mu_);
        if (message.has_change()) {
          seen_.push_back(message.change());
          ++this_stream;
        }
        cursor_ = message.cursor();
        if (this_stream == 7) {
          ++consumer_drops_;
          context->TryCancel();
        }
      }
      grpc::Status status = stream->Finish();
      {
        MutexLock lock(&mu_);
        stream_context_.reset();
        // The consumer's own drops end as CANCELLED; the restarts otherwise.
        if (!status.ok() && status.error_code() != grpc::StatusCode::CANCELLED) ++stream_errors_;
        if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION ||
            status.error_code() == grpc::StatusCode::INVALID_ARGUMENT ||
            status.error_code() == grpc::StatusCode::PERMISSION_DENIED) {
          refusal_ = status.error_message();
          return;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  size_t Seen() {
    MutexLock lock(&mu_);
    return seen_.size();
  }

  TempDir dir_;
  std::unique_ptr<Cluster> cluster_;
  Mutex mu_;
  std::string gateway_ ABSL_GUARDED_BY(mu_);
  std::string cursor_ ABSL_GUARDED_BY(mu_);
  std::vector<Change> seen_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<grpc::ClientContext> stream_context_ ABSL_GUARDED_BY(mu_);
  int consumer_drops_ ABSL_GUARDED_BY(mu_) = 0;
  int stream_errors_ ABSL_GUARDED_BY(mu_) = 0;
  std::string refusal_ ABSL_GUARDED_BY(mu_);
  std::atomic<bool> stop_{false};
};

TEST_F(ChangeFeedTest, AConsumerSeesEveryChangeOnceInOrderAcrossRestartsOfTheGatewayTheLedgerAndItself) {
  const std::vector<Filing> filings = Generate(kFilings);
  const std::string prefix = filings[0].department().region_code().substr(0, 2);
  std::thread consumer([this, prefix] { Consume(prefix); });

  // The writes, in the order made, as the feed must show them.
  std::vector<std::string> expected;
  for (int i = 0; i < kFilings; ++i) {
    const Filing& filing = filings[i];
    const bool in_region = filing.department().region_code().substr(0, 2) == prefix;
    yusuan::gateway::v1::ApplyFilingRequest apply;
    *apply.mutable_filing() = filing;
    apply.set_request_id(absl::StrCat("feed-apply-", i));
    yusuan::gateway::v1::ApplyFilingResponse applied;
    grpc::Status status = UntilAnswered(
        [&](PublicApi::Stub& api, grpc::ClientContext& context) { return api.ApplyFiling(&context, apply, &applied); });
    ASSERT_TRUE(status.ok()) << "filing " << i << ": " << status.error_message();
    const std::string budget = applied.budget().name();
    if (in_region) {
      // One commit: the department, the budget's revision, the goals' pin.
      expected.push_back("CHANGE_KIND_DEPARTMENT_PUT " + applied.department().name());
      expected.push_back("CHANGE_KIND_BUDGET_REVISION " + budget);
      expected.push_back("CHANGE_KIND_GOALS_REVISION " + budget + "/goals");
    }
    if (i % 3 == 0) {
      lv1::TransitionBudgetRequest submit;
      submit.set_name(budget);
      submit.set_action(lv1::WORKFLOW_ACTION_SUBMIT);
      submit.set_request_id(absl::StrCat("feed-submit-", i));
      lv1::BudgetVersion version;
      status = UntilAnswered([&](PublicApi::Stub& api, grpc::ClientContext& context) {
        return api.TransitionBudget(&context, submit, &version);
      });
      ASSERT_TRUE(status.ok()) << "submit " << i << ": " << status.error_message();
      if (in_region) expected.push_back("CHANGE_KIND_WORKFLOW_STEP " + version.name());
    }
    std::string error;
    if (i == 3) {
      // The gateway goes away under the stream (and comes back on new ports).
      ASSERT_TRUE(cluster_->RestartGateway({}, &error)) << error;
      MutexLock lock(&mu_);
      gateway_ = cluster_->gateway_grpc();
    }
    if (i == 7) {
      // The ledger crashes: the gateway's read of its log fails, the stream
      // ends, and the consumer resumes once the ledger is back.
      ASSERT_TRUE(cluster_->RestartLedger(/*kill_hard=*/true, &error)) << error;
    }
  }

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (Seen() < expected.size() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  // A moment more: anything extra (a repeat) would arrive now.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  stop_ = true;
  {
    MutexLock lock(&mu_);
    if (stream_context_ != nullptr) stream_context_->TryCancel();
  }
  consumer.join();

  MutexLock lock(&mu_);
  EXPECT_EQ(refusal_, "");
  std::vector<std::string> seen;
  for (size_t i = 0; i < seen_.size(); ++i) {
    seen.push_back(Label(seen_[i]));
    EXPECT_EQ(seen_[i].region_code().substr(0, 2), prefix);
    if (i > 0) {
      EXPECT_GT(seen_[i].sequence(), seen_[i - 1].sequence()) << "out of order at " << i;
    }
  }
  EXPECT_EQ(seen, expected);
  std::printf(
      "change feed: %zu changes of region %s seen once, in order; %d drops by the consumer, %d streams ended "
      "by the restarts\n",
      seen.size(), prefix.c_str(), consumer_drops_, stream_errors_);
  EXPECT_GE(consumer_drops_, 3) << "the consumer's own reconnects were exercised";
  EXPECT_GE(stream_errors_, 1) << "the restarts ended a stream under the consumer";

  // REST from the cursor after the third change: the same changes from the
  // fourth on, then the cursor to resume from.
  ASSERT_GE(seen_.size(), 4u);
  WatchChangesRequest probe;
  probe.set_parent("regions/" + prefix);
  std::string third_cursor;
  {
    // The cursor after the third change, read again over gRPC from the start.
    auto api = PublicApi::NewStub(grpc::CreateChannel(gateway_, grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + Token(Role::kReviewer));
    probe.set_wait_ms(300);
    auto stream = api->WatchChanges(&context, probe);
    WatchChangesResponse message;
    std::vector<std::string> again;
    while (stream->Read(&message)) {
      if (!message.has_change()) continue;
      again.push_back(Label(message.change()));
      if (again.size() == 3) third_cursor = message.cursor();
    }
    grpc::Status status = stream->Finish();
    EXPECT_TRUE(status.ok()) << "a stream with wait_ms ends by itself when idle: " << status.error_message();
    EXPECT_EQ(again, expected) << "a reviewer reading from the start sees the same feed";
  }
  httplib::Client http("127.0.0.1", cluster_->gateway_http_port());
  http.set_read_timeout(std::chrono::seconds(90));
  const httplib::Headers integrator = {{"Authorization", "Bearer " + Token(Role::kIntegrator)}};
  const std::string path = absl::StrCat("/v1/regions/", prefix, "/changes");
  auto answer = http.Get(absl::StrCat(path, "?wait_ms=0&after=", third_cursor), integrator);
  ASSERT_TRUE(answer) << httplib::to_string(answer.error());
  ASSERT_EQ(answer->status, 200) << answer->body;
  EXPECT_NE(answer->get_header_value("Content-Type").find("application/x-ndjson"), std::string::npos);
  std::vector<std::string> rest;
  std::string last_cursor;
  for (absl::string_view line : absl::StrSplit(answer->body, '\n', absl::SkipEmpty())) {
    WatchChangesResponse message;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(std::string(line), &message).ok()) << line;
    if (message.has_change()) rest.push_back(Label(message.change()));
    last_cursor = message.cursor();
  }
  EXPECT_EQ(rest, std::vector<std::string>(expected.begin() + 3, expected.end()));
  EXPECT_EQ(last_cursor, cursor_) << "the last line's cursor is where the consumer stopped";

  // Nothing after the last cursor: the answer waits, then says where to resume.
  const auto start = std::chrono::steady_clock::now();
  answer = http.Get(absl::StrCat(path, "?wait_ms=400&after=", last_cursor), integrator);
  ASSERT_TRUE(answer && answer->status == 200) << (answer ? answer->body : "no answer");
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(350));
  WatchChangesResponse only;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(std::string(absl::StripTrailingAsciiWhitespace(answer->body)), &only)
          .ok())
      << answer->body;
  EXPECT_FALSE(only.has_change());
  EXPECT_EQ(only.cursor(), last_cursor);

  // The CLI prints the same feed from a cursor and says where to resume.
  {
    const std::string command =
        absl::StrCat(YUSUAN_BIN_DIR, "/yusuan --gateway ", gateway_, " --token '", Token(Role::kIntegrator),
                     "' changes regions/", prefix, " --after ", third_cursor, " --wait-ms 200 2>&1");
    FILE* pipe = popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    std::string output;
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
    const int exit_status = pclose(pipe);
    EXPECT_TRUE(WIFEXITED(exit_status) && WEXITSTATUS(exit_status) == 0) << output;
    EXPECT_NE(
        output.find(absl::StrCat(expected.size() - 3, " 项变更 / changes; 续读 / resume with: --after ", last_cursor)),
        std::string::npos)
        << output;
    EXPECT_NE(output.find(seen_[3].resource_name()), std::string::npos) << output;
  }

  // A cursor that is not one, and callers the matrix refuses.
  answer = http.Get(absl::StrCat(path, "?after=not-a-cursor"), integrator);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 400) << answer->body;
  EXPECT_NE(answer->body.find("CURSOR_INVALID"), std::string::npos) << answer->body;
  answer = http.Get(absl::StrCat(path, "?wait_ms=0"),
                    httplib::Headers{{"Authorization", "Bearer " + Token(Role::kPreparer)}});
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 403) << answer->body;
  answer = http.Get(absl::StrCat(path, "?wait_ms=0"));
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 401) << answer->body;
  answer = http.Get(absl::StrCat(path, "?wait_ms=70000"), integrator);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 400) << answer->body;
}

}  // namespace
}  // namespace yusuan::testing
