// Backups (issue 16): `yusuan admin backup` copies a shard's three stores at
// one moment while filings are applied, `yusuan admin restore` puts the copy
// into a fresh data directory, and a cluster started there serves every
// filing, version and published file acknowledged before the backup exactly
// as the first one does, and of the filings in flight during it each whole
// or not at all. Restoring refuses a running service's directory, data
// already there (unless --replace, which keeps it aside) and a damaged file.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/ledger/domain/catalogue.h"
#include "services/security/token.h"
#include "tests/integration/harness.h"
#include "tools/synth/synth.h"
#include "yusuan/gateway/v1/gateway.grpc.pb.h"

namespace yusuan::testing {
namespace {

namespace fs = std::filesystem;
using google::protobuf::util::MessageDifferencer;
using yusuan::gateway::v1::Filing;
using yusuan::gateway::v1::PublicApi;
using yusuan::security::Role;
namespace gv1 = yusuan::gateway::v1;
namespace lv1 = yusuan::ledger::v1;
namespace ov1 = yusuan::goals::v1;
namespace rv1 = yusuan::report::v1;

std::unique_ptr<grpc::ClientContext> Context(const Cluster& cluster, Role role) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
  context->AddMetadata("authorization", "Bearer " + TestToken(cluster, role, "backup-test"));
  return context;
}

grpc::Status Apply(Cluster& cluster, const Filing& filing, std::string* budget) {
  auto api = PublicApi::NewStub(cluster.GatewayChannel());
  gv1::ApplyFilingRequest apply;
  *apply.mutable_filing() = filing;
  gv1::ApplyFilingResponse applied;
  grpc::Status status = api->ApplyFiling(Context(cluster, Role::kIntegrator).get(), apply, &applied);
  *budget = applied.budget().name();
  return status;
}

void Step(Cluster& cluster, const std::string& budget, lv1::WorkflowAction action, Role role) {
  auto api = PublicApi::NewStub(cluster.GatewayChannel());
  lv1::TransitionBudgetRequest step;
  step.set_name(budget);
  step.set_action(action);
  step.set_request_id(absl::StrCat(budget, "-", lv1::WorkflowAction_Name(action)));
  lv1::BudgetVersion version;
  grpc::Status status = api->TransitionBudget(Context(cluster, role).get(), step, &version);
  ASSERT_TRUE(status.ok()) << budget << " " << lv1::WorkflowAction_Name(action) << ": " << status.error_message();
}

// What a reader sees of one budget: the budget, its goals, its versions and
// its published files (each NOT_FOUND or the message).
struct Seen {
  grpc::StatusCode budget_code = grpc::StatusCode::OK;
  lv1::Budget budget;
  grpc::StatusCode goals_code = grpc::StatusCode::OK;
  ov1::GoalSet goals;
  lv1::ListBudgetVersionsResponse versions;
  grpc::StatusCode published_code = grpc::StatusCode::OK;
  rv1::PublishedDisclosure published;
};

Seen Read(Cluster& cluster, const std::string& budget) {
  auto api = PublicApi::NewStub(cluster.GatewayChannel());
  Seen seen;
  lv1::GetBudgetRequest get_budget;
  get_budget.set_name(budget);
  seen.budget_code = api->GetBudget(Context(cluster, Role::kReviewer).get(), get_budget, &seen.budget).error_code();
  ov1::GetGoalsRequest get_goals;
  get_goals.set_name(budget + "/goals");
  seen.goals_code = api->GetGoals(Context(cluster, Role::kReviewer).get(), get_goals, &seen.goals).error_code();
  if (seen.budget_code == grpc::StatusCode::OK) {
    lv1::ListBudgetVersionsRequest list;
    list.set_name(budget);
    list.set_page_size(100);
    grpc::Status listed = api->ListBudgetVersions(Context(cluster, Role::kReviewer).get(), list, &seen.versions);
    EXPECT_TRUE(listed.ok()) << budget << ": " << listed.error_message();
  }
  rv1::GetPublishedRequest get_published;
  get_published.set_budget_name(budget);
  seen.published_code =
      api->GetPublished(Context(cluster, Role::kReviewer).get(), get_published, &seen.published).error_code();
  return seen;
}

void ExpectSame(const Seen& a, const Seen& b, const std::string& budget) {
  EXPECT_EQ(a.budget_code, b.budget_code) << budget;
  EXPECT_TRUE(MessageDifferencer::Equals(a.budget, b.budget)) << budget << ": the budget differs";
  EXPECT_EQ(a.goals_code, b.goals_code) << budget;
  EXPECT_TRUE(MessageDifferencer::Equals(a.goals, b.goals)) << budget << ": the goals differ";
  EXPECT_TRUE(MessageDifferencer::Equals(a.versions, b.versions)) << budget << ": the versions differ";
  EXPECT_EQ(a.published_code, b.published_code) << budget;
  EXPECT_TRUE(MessageDifferencer::Equals(a.published, b.published)) << budget << ": the published files differ";
}

std::string Cli(const std::string& args) { return std::string(YUSUAN_BIN_DIR) + "/yusuan " + args; }

std::string BackupArgs(Cluster& cluster, const fs::path& to) {
  return absl::StrCat("admin backup --to ", to.string(), " --ledger ", cluster.ledger().address(), " --goals ",
                      cluster.goals().address(), " --report ", cluster.report().address(), " --internal-secret-file ",
                      cluster.internal_secret_path());
}

TEST(BackupTest, ARestoredShardServesWhatWasAcknowledgedAndEveryFilingWholeOrNotAtAll) {
  TempDir dir_a;
  TempDir dir_b;
  TempDir backups;
  Cluster a(dir_a.path());
  std::string error;
  ASSERT_TRUE(a.Start(&error)) << error;

  absl::StatusOr<ledger::CatalogueSet> catalogues =
      ledger::CatalogueSet::LoadFromDirectory(std::string(YUSUAN_SOURCE_DIR) + "/data/catalogue");
  ASSERT_TRUE(catalogues.ok()) << catalogues.status();
  synth::SynthOptions options;
  options.seed = 61;
  absl::StatusOr<synth::Synthesizer> synthesizer = synth::Synthesizer::Create(*catalogues, options);
  ASSERT_TRUE(synthesizer.ok()) << synthesizer.status();

  // Stored before the backup: filings of several sectors, three published.
  std::vector<std::string> before;
  for (int i = 0; i < 8; ++i) {
    absl::StatusOr<Filing> filing = synthesizer->Synthesize(i);
    ASSERT_TRUE(filing.ok()) << filing.status();
    std::string budget;
    grpc::Status applied = Apply(a, *filing, &budget);
    ASSERT_TRUE(applied.ok()) << applied.error_message();
    before.push_back(budget);
  }
  for (int i = 0; i < 3; ++i) {
    Step(a, before[i], lv1::WORKFLOW_ACTION_SUBMIT, Role::kIntegrator);
    Step(a, before[i], lv1::WORKFLOW_ACTION_APPROVE, Role::kReviewer);
    Step(a, before[i], lv1::WORKFLOW_ACTION_PUBLISH, Role::kReviewer);
  }

  // Filings applied all through the backup, each a new department.
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<std::string> during;
  std::vector<Filing> to_apply;
  for (int i = 100; i < 400; ++i) {
    absl::StatusOr<Filing> filing = synthesizer->Synthesize(i);
    ASSERT_TRUE(filing.ok()) << filing.status();
    to_apply.push_back(*std::move(filing));
  }
  std::thread writer([&] {
    for (const Filing& filing : to_apply) {
      if (stop) break;
      std::string budget;
      if (Apply(a, filing, &budget).ok()) {
        std::lock_guard<std::mutex> lock(mu);
        during.push_back(budget);
      }
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const fs::path backup = fs::path(backups.path()) / "shard";
  std::string output;
  const int backed_up = RunShell(Cli(BackupArgs(a, backup)), &output);
  stop = true;
  writer.join();
  ASSERT_EQ(backed_up, 0) << output;
  EXPECT_NE(output.find("backed up ledger, goals and report"), std::string::npos) << output;
  EXPECT_TRUE(fs::exists(backup / "manifest.json"));
  EXPECT_FALSE(fs::exists(backup.string() + ".partial"));
  ASSERT_FALSE(during.empty()) << "no filing was applied during the backup";
  for (const char* service : {"ledger", "goals", "report"}) {
    EXPECT_TRUE(fs::is_empty(dir_a.path() + "/" + service + ".checkpoints"))
        << service << ": the checkpoint was not removed after the copy";
  }

  // The restore refuses a running service's directory, and a second backup
  // under the same name.
  EXPECT_NE(
      RunShell(Cli("admin restore --from " + backup.string() + " --data " + dir_a.path() + " --replace"), &output), 0);
  EXPECT_NE(output.find("is running"), std::string::npos) << output;
  EXPECT_NE(RunShell(Cli(BackupArgs(a, backup)), &output), 0);
  EXPECT_NE(output.find("exists already"), std::string::npos) << output;

  ASSERT_EQ(RunShell(Cli("admin restore --from " + backup.string() + " --data " + dir_b.path()), &output), 0) << output;
  // Restored once: again, without --replace, is refused.
  EXPECT_NE(RunShell(Cli("admin restore --from " + backup.string() + " --data " + dir_b.path()), &output), 0);
  EXPECT_NE(output.find("--replace"), std::string::npos) << output;

  Cluster b(dir_b.path());
  ASSERT_TRUE(b.Start(&error)) << error;
  for (const std::string& budget : before) ExpectSame(Read(a, budget), Read(b, budget), budget);
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(Read(b, before[i]).published.artifacts().empty()) << before[i] << ": published files missing";
  }
  int restored_during = 0;
  for (const std::string& budget : during) {
    const Seen seen = Read(b, budget);
    if (seen.budget_code == grpc::StatusCode::NOT_FOUND) {
      EXPECT_EQ(seen.goals_code, grpc::StatusCode::NOT_FOUND) << budget << ": goals without their budget";
      continue;
    }
    ++restored_during;
    ExpectSame(Read(a, budget), seen, budget);
  }
  std::cerr << during.size() << " filings acknowledged during the backup, " << restored_during
            << " of them in it (the rest after its moment)\n";

  // A damaged file is found before anything is touched.
  const fs::path damaged = fs::path(backups.path()) / "damaged";
  fs::copy(backup, damaged, fs::copy_options::recursive);
  fs::path victim;
  for (const auto& entry : fs::directory_iterator(damaged / "goals")) {
    if (entry.is_regular_file() && entry.file_size() > 0) victim = entry.path();
  }
  ASSERT_FALSE(victim.empty());
  {
    std::fstream file(victim, std::ios::in | std::ios::out | std::ios::binary);
    char byte = 0;
    file.seekg(0);
    file.get(byte);
    file.seekp(0);
    file.put(static_cast<char>(byte ^ 0x5a));
  }
  TempDir dir_c;
  EXPECT_NE(RunShell(Cli("admin restore --from " + damaged.string() + " --data " + dir_c.path()), &output), 0);
  EXPECT_NE(output.find(victim.filename().string()), std::string::npos) << output;
  EXPECT_FALSE(fs::exists(fs::path(dir_c.path()) / "ledger")) << "a failed restore left a store behind";
}

TEST(BackupTest, RestoreWithReplaceKeepsWhatWasThereAside) {
  TempDir dir_a;
  TempDir backups;
  std::string output;
  fs::path backup = fs::path(backups.path()) / "first";
  std::string budget;
  {
    Cluster a(dir_a.path());
    std::string error;
    ASSERT_TRUE(a.Start(&error)) << error;
    Filing reference;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(ReadFile(SampleFilingPath()), &reference).ok());
    ASSERT_TRUE(Apply(a, reference, &budget).ok());
    ASSERT_EQ(RunShell(Cli(BackupArgs(a, backup)), &output), 0) << output;
    // Changed after the backup: the restore takes it back.
    Step(a, budget, lv1::WORKFLOW_ACTION_SUBMIT, Role::kIntegrator);
  }  // stopped
  ASSERT_EQ(
      RunShell(Cli("admin restore --from " + backup.string() + " --data " + dir_a.path() + " --replace"), &output), 0)
      << output;
  // One store alone, as where each has a volume of its own.
  TempDir goals_only;
  ASSERT_EQ(RunShell(Cli("admin restore --from " + backup.string() + " --data " + goals_only.path() + " --only goals"),
                     &output),
            0)
      << output;
  EXPECT_TRUE(fs::exists(fs::path(goals_only.path()) / "goals" / "CURRENT"));
  EXPECT_FALSE(fs::exists(fs::path(goals_only.path()) / "ledger"));
  EXPECT_FALSE(fs::exists(fs::path(goals_only.path()) / "report"));
  EXPECT_NE(
      RunShell(Cli("admin restore --from " + backup.string() + " --data " + goals_only.path() + " --only x"), &output),
      0);
  EXPECT_NE(output.find("ledger, goals or report"), std::string::npos) << output;
  int aside = 0;
  for (const auto& entry : fs::directory_iterator(dir_a.path())) {
    if (entry.path().filename().string().find(".before-restore-") != std::string::npos) ++aside;
  }
  EXPECT_EQ(aside, 3) << "each store's previous data is kept aside";
  Cluster again(dir_a.path());
  std::string error;
  ASSERT_TRUE(again.Start(&error)) << error;
  const Seen seen = Read(again, budget);
  ASSERT_EQ(seen.budget_code, grpc::StatusCode::OK);
  EXPECT_EQ(seen.budget.status(), lv1::FILING_STATUS_DRAFT) << "the restore did not go back to the backup's moment";
}

}  // namespace
}  // namespace yusuan::testing
