// The backends on a disk that fills up or turns read-only (issue 13): the
// real binaries with their data directory on a small tmpfs that this test
// mounts in a mount namespace of its own (services/common/testing/
// small_disk.h), which the processes it starts inherit.
#include <httplib.h>
#include <sys/wait.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "google/protobuf/util/json_util.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/common/errors.h"
#include "services/common/testing/reference_filing.h"
#include "services/common/testing/small_disk.h"
#include "services/security/internal_secret.h"
#include "tests/integration/harness.h"
#include "yusuan/goals/v1/goals.grpc.pb.h"

namespace yusuan::testing {
namespace {

namespace hv1 = grpc::health::v1;
namespace ov1 = yusuan::goals::v1;

constexpr char kGoalsService[] = "yusuan.goals.v1.GoalsService";
const char* const kBackends[] = {"ledger", "goals", "report"};

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class StorageFaultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Smaller than the 70 MiB RocksDB would preallocate for a write-ahead
    // log, so appends to it meet the full disk at once.
    disk_ = std::make_unique<SmallDisk>(32 << 20);
    if (!disk_->error().empty()) {
      GTEST_SKIP() << "needs a mount namespace of its own and a tmpfs (root): " << disk_->error();
    }
    auto secret = security::LoadOrCreateInternalSecret(secret_path());
    ASSERT_TRUE(secret.ok()) << secret.status();
    credential_ = secret->credential();
  }

  std::string secret_path() const { return logs_.path() + "/internal.secret"; }
  std::string DataDir(const std::string& service) const { return disk_->path() + "/" + service; }

  std::unique_ptr<ServiceProcess> Backend(const std::string& service) {
    return std::make_unique<ServiceProcess>(service, "yusuan-" + service,
                                            std::vector<std::string>{"--port=0", "--data_dir=" + DataDir(service),
                                                                     "--internal_secret_file=" + secret_path()},
                                            logs_.path());
  }

  // Starting `service` fails with a clean exit 1 and these in its log.
  void ExpectRefusedStart(const std::string& service, const std::vector<std::string>& said) {
    SCOPED_TRACE(service);
    auto process = Backend(service);
    std::string error;
    ASSERT_FALSE(process->Start({"port_file"}, &error)) << service << " started";
    const int status = process->wait_status();
    ASSERT_TRUE(WIFEXITED(status)) << "ended by signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0) << ":\n"
                                   << error;
    EXPECT_EQ(WEXITSTATUS(status), 1) << error;
    for (const std::string& part : said) EXPECT_TRUE(Contains(error, part)) << "no \"" << part << "\" in:\n" << error;
  }

  std::unique_ptr<grpc::ClientContext> Internal() const {
    auto context = std::make_unique<grpc::ClientContext>();
    context->AddMetadata(security::kInternalCredentialHeader, credential_);
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return context;
  }

  TempDir logs_;  // not on the small disk: logs must not fill it
  std::unique_ptr<SmallDisk> disk_;
  std::string credential_;
};

TEST_F(StorageFaultsTest, EveryBackendRefusesToStartOnAFullDiskNamingTheDirectoryTheCauseAndTheFix) {
  ASSERT_TRUE(disk_->Fill());
  for (const std::string service : kBackends) {
    ExpectRefusedStart(service, {DataDir(service), "磁盘已满", "the disk is full", "Free space on that disk"});
  }
}

TEST_F(StorageFaultsTest, EveryBackendRefusesToStartOnAReadOnlyDataDirectory) {
  // Each with a database made before the disk turned read-only.
  for (const std::string service : kBackends) {
    auto process = Backend(service);
    std::string error;
    ASSERT_TRUE(process->Start({"port_file"}, &error)) << error;
    EXPECT_EQ(process->Stop(), 0);
  }
  ASSERT_TRUE(disk_->SetReadOnly(true));
  for (const std::string service : kBackends) {
    ExpectRefusedStart(service, {DataDir(service), "只读", "it is read-only", "Remount it read-write"});
  }
}

class GoalsOnAFillingDiskTest : public StorageFaultsTest {
 protected:
  // Closes the channel: a graceful stop waits out its grace period (5 s)
  // while a client keeps an idle connection open.
  void Disconnect() {
    goals_.reset();
    health_.reset();
  }

  void Connect(const ServiceProcess& goals) {
    auto channel = grpc::CreateChannel(goals.address(), grpc::InsecureChannelCredentials());
    goals_ = ov1::GoalsService::NewStub(channel);
    health_ = hv1::Health::NewStub(channel);
  }

  hv1::HealthCheckResponse::ServingStatus Health(const std::string& name) {
    hv1::HealthCheckRequest request;
    request.set_service(name);
    hv1::HealthCheckResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    grpc::Status status = health_->Check(&context, request, &response);
    return status.ok() ? response.status() : hv1::HealthCheckResponse::SERVICE_UNKNOWN;
  }

  bool WaitForWrites(hv1::HealthCheckResponse::ServingStatus wanted) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      if (Health(Writes()) == wanted) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  static std::string Writes() { return std::string(kGoalsService) + "/writes"; }

  grpc::Status Put(const std::string& request_id, ov1::GoalSet* answer) {
    ov1::PutGoalsRequest request;
    *request.mutable_goals() = ReferenceFiling().goals;
    request.set_request_id(request_id);
    return goals_->PutGoals(Internal().get(), request, answer);
  }

  grpc::Status Get(ov1::GoalSet* answer) {
    ov1::GetGoalsRequest request;
    request.set_name(ReferenceFiling().goals.name());
    return goals_->GetGoals(Internal().get(), request, answer);
  }

  std::unique_ptr<ov1::GoalsService::Stub> goals_;
  std::unique_ptr<hv1::Health::Stub> health_;
};

TEST_F(GoalsOnAFillingDiskTest, WritesAreUnavailableReadsGoOnAndWritesResumeWhenSpaceReturns) {
  auto goals = Backend("goals");
  std::string error;
  ASSERT_TRUE(goals->Start({"port_file"}, &error)) << error;
  Connect(*goals);
  ov1::GoalSet stored;
  grpc::Status put = Put("before", &stored);
  ASSERT_TRUE(put.ok()) << put.error_message();
  EXPECT_EQ(stored.revision(), 1);
  EXPECT_EQ(Health(""), hv1::HealthCheckResponse::SERVING);
  EXPECT_EQ(Health(kGoalsService), hv1::HealthCheckResponse::SERVING);
  EXPECT_EQ(Health(Writes()), hv1::HealthCheckResponse::SERVING);

  ASSERT_TRUE(disk_->Fill());
  ov1::GoalSet ignored;
  put = Put("while-full", &ignored);
  EXPECT_EQ(put.error_code(), grpc::StatusCode::UNAVAILABLE) << put.error_message();
  EXPECT_TRUE(Contains(put.error_message(), "disk full at " + DataDir("goals"))) << put.error_message();
  EXPECT_TRUE(Contains(put.error_message(), "磁盘已满")) << put.error_message();
  EXPECT_EQ(ErrorReason(FromGrpcStatus(put)), "STORAGE_FULL");
  // The write path says so; the server and its reads serve on.
  EXPECT_EQ(Health(Writes()), hv1::HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(Health(""), hv1::HealthCheckResponse::SERVING);
  EXPECT_EQ(Health(kGoalsService), hv1::HealthCheckResponse::SERVING);
  ov1::GoalSet read;
  grpc::Status got = Get(&read);
  ASSERT_TRUE(got.ok()) << got.error_message();
  EXPECT_EQ(read.revision(), 1);

  disk_->Free();
  ASSERT_TRUE(WaitForWrites(hv1::HealthCheckResponse::SERVING)) << goals->LogTail();
  put = Put("after", &stored);
  ASSERT_TRUE(put.ok()) << put.error_message();
  // Revision 2: the refused write left nothing behind.
  EXPECT_EQ(stored.revision(), 2);
  EXPECT_TRUE(Contains(goals->LogTail(), "写入已恢复 / writes are taken again")) << goals->LogTail();

  // Both acknowledged revisions survive a restart, and only they.
  Disconnect();
  EXPECT_EQ(goals->Stop(), 0);
  goals = Backend("goals");
  ASSERT_TRUE(goals->Start({"port_file"}, &error)) << error;
  Connect(*goals);
  ov1::ListGoalsRevisionsRequest list;
  list.set_name(ReferenceFiling().goals.name());
  ov1::ListGoalsRevisionsResponse revisions;
  grpc::Status listed = goals_->ListGoalsRevisions(Internal().get(), list, &revisions);
  ASSERT_TRUE(listed.ok()) << listed.error_message();
  ASSERT_EQ(revisions.revisions_size(), 2);
  got = Get(&read);
  ASSERT_TRUE(got.ok()) << got.error_message();
  EXPECT_EQ(read.revision(), 2);
  Disconnect();
}

TEST_F(GoalsOnAFillingDiskTest, StopsCleanlyWhileTheDiskIsFullAndKeepsWhatItAcknowledged) {
  auto goals = Backend("goals");
  std::string error;
  ASSERT_TRUE(goals->Start({"port_file"}, &error)) << error;
  Connect(*goals);
  ov1::GoalSet stored;
  grpc::Status put = Put("before", &stored);
  ASSERT_TRUE(put.ok()) << put.error_message();
  ASSERT_TRUE(disk_->Fill());
  put = Put("while-full", &stored);
  EXPECT_EQ(put.error_code(), grpc::StatusCode::UNAVAILABLE) << put.error_message();
  Disconnect();
  // Closing the database logs and writes on a full disk: no abort (134).
  EXPECT_EQ(goals->Stop(), 0) << goals->LogTail();

  disk_->Free();
  goals = Backend("goals");
  ASSERT_TRUE(goals->Start({"port_file"}, &error)) << error;
  Connect(*goals);
  ov1::GoalSet read;
  grpc::Status got = Get(&read);
  ASSERT_TRUE(got.ok()) << got.error_message();
  EXPECT_EQ(read.revision(), 1);
  Disconnect();
}

// The gateway passes the reason on (503 on REST) and, as documented, keeps
// reporting its own health: reads still work, so it stays in service.
TEST_F(StorageFaultsTest, TheGatewayAnswers503WithTheReasonAndItsHealthzStaysServing) {
  TempDir root;
  Cluster::Options options;
  options.goals_args = {"--data_dir=" + DataDir("goals")};  // the later flag wins
  Cluster cluster(root.path(), options);
  std::string error;
  ASSERT_TRUE(cluster.Start(&error)) << error;
  httplib::Client http("127.0.0.1", cluster.gateway_http_port());
  http.set_read_timeout(30, 0);
  http.set_default_headers(
      {{"Authorization", "Bearer " + TestToken(cluster, security::Role::kIntegrator, "storage-faults-test")}});
  const std::string path = "/v1/" + ReferenceFiling().goals.name();
  std::string body;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(ReferenceFiling().goals, &body).ok());
  auto put = http.Put(path, body, "application/json");
  ASSERT_TRUE(put);
  ASSERT_EQ(put->status, 200) << put->body;

  ASSERT_TRUE(disk_->Fill());
  put = http.Put(path, body, "application/json");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 503) << put->body;
  const nlohmann::json refused = nlohmann::json::parse(put->body, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(refused.is_object()) << put->body;
  EXPECT_EQ(refused["error"]["status"], "UNAVAILABLE") << put->body;
  EXPECT_TRUE(Contains(refused["error"]["message"].get<std::string>(), "disk full at " + DataDir("goals")))
      << put->body;
  EXPECT_TRUE(Contains(refused["error"]["details"].dump(), "STORAGE_FULL")) << put->body;
  auto healthz = http.Get("/healthz");
  ASSERT_TRUE(healthz);
  EXPECT_EQ(healthz->status, 200);
  EXPECT_TRUE(Contains(healthz->body, "SERVING")) << healthz->body;
  auto read = http.Get(path);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->status, 200) << read->body;

  disk_->Free();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    put = http.Put(path, body, "application/json");
    status = put ? put->status : 0;
    if (status != 503) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status, 200) << (put ? put->body : "no answer");
}

}  // namespace
}  // namespace yusuan::testing

int main(int argc, char** argv) { return yusuan::testing::RunTestsInPrivateMountNamespace(argc, argv); }
