// The crash loop (README.md beside this file): clients file, submit, approve
// and publish through the gateway while a driver SIGKILLs a random service
// and restarts it. An oracle of what was acknowledged checks, after every
// restart, that each acknowledged filing is stored exactly as sent and whole
// (department, budget and goals of the same filing) and that every
// acknowledged publication's files are public and verify; an auditor reads
// departments all along and counts any filing it sees in part. Exits 0 when
// nothing was lost and nothing partial was seen, 1 otherwise.
//
// With --power_loss the driver cuts the power of a backend instead (its
// fault build drops what it had not synced, services/common/power_loss.h):
// the same oracle then checks that what was acknowledged had reached the disk.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/client/client.h"
#include "services/ledger/domain/catalogue.h"
#include "services/security/internal_secret.h"
#include "tests/integration/harness.h"
#include "tools/synth/synth.h"
#include "yusuan/gateway/v1/gateway.grpc.pb.h"

ABSL_FLAG(int, kills, 10, "SIGKILLs to deliver before stopping");
ABSL_FLAG(int, clients, 3, "Concurrent clients, each filing its own departments");
ABSL_FLAG(int, departments_per_client, 2, "Departments each client files, in turn");
ABSL_FLAG(int, publish_every, 4, "Each department is submitted, approved and published after every n-th filing");
ABSL_FLAG(std::string, services, "ledger,goals,report,gateway", "The services the driver kills, chosen at random");
ABSL_FLAG(int, min_gap_ms, 300, "Least time between a restart and the next kill");
ABSL_FLAG(int, max_gap_ms, 1500, "Most time between a restart and the next kill");
ABSL_FLAG(uint64_t, seed, 1, "Seed of the driver's choices (service, gap)");
ABSL_FLAG(int, op_timeout_s, 120, "How long one operation may be retried before the run fails");
ABSL_FLAG(int, give_up_percent, 30,
          "Share of filings whose client gives up at the first failure instead of retrying: the system alone "
          "must then leave the whole filing or none of it");
ABSL_FLAG(std::string, departments, "sample",
          "What the clients file: sample (the reference filing under other agency codes of 420107) or generated "
          "(departments of every sector, region and year from the filing generator, tools/synth)");
ABSL_FLAG(uint64_t, synth_seed, 20261206, "The generator's seed with --departments=generated");
ABSL_FLAG(bool, power_loss, false,
          "Cut the power of backends (fault builds, unsynced data dropped) instead of SIGKILLing them; the gateway, "
          "which keeps nothing on disk, is still SIGKILLed. --services may also name \"machine\": all three "
          "backends lose power at once and the gateway dies with them");
ABSL_FLAG(int, power_loss_during_sync_percent, 50,
          "With --power_loss: the share of losses that strike during the backend's next sync (a commit on its way "
          "to the disk) rather than at once");
ABSL_FLAG(bool, power_loss_unsynced_commits, false,
          "With --power_loss: the backends commit without syncing their write-ahead logs, so acknowledged writes "
          "are lost and the oracle must say so (a check of the check)");

namespace yusuan::crash {
namespace {

namespace gv1 = yusuan::gateway::v1;
namespace lv1 = yusuan::ledger::v1;
namespace ov1 = yusuan::goals::v1;
namespace rv1 = yusuan::report::v1;
using Clock = std::chrono::steady_clock;
using google::protobuf::util::MessageDifferencer;

// A department's filing as the loop starts from: the sample filing under
// another agency code of 420107.
gv1::Filing Recoded(const gv1::Filing& sample, const std::string& agency) {
  gv1::Filing filing = sample;
  const std::string department = "regions/420107/departments/" + agency;
  const std::string budget = department + "/budgets/2021";
  filing.mutable_department()->set_agency_code(agency);
  filing.mutable_department()->set_full_name(absl::StrCat(sample.department().full_name(), agency));
  filing.mutable_department()->set_name(department);
  filing.mutable_budget()->set_name(budget);
  filing.mutable_goals()->set_name(budget + "/goals");
  return filing;
}

// Its filing number `generation`: marked in each of its three parts, so
// that a part of another filing shows.
gv1::Filing MakeFiling(const gv1::Filing& base, int generation) {
  gv1::Filing filing = base;
  const std::string mark = absl::StrCat("（第", generation, "次申报）");
  filing.mutable_department()->set_functions_preamble(base.department().functions_preamble() + mark);
  filing.mutable_budget()->mutable_narrative()->set_three_public_change_reason(
      absl::StrCat("第", generation, "次申报"));
  filing.mutable_goals()->mutable_department()->set_annual_tasks(base.goals().department().annual_tasks() + mark);
  return filing;
}

// The generation each part carries ("" when unreadable).
std::string MarkOf(const std::string& text) {
  const size_t start = text.rfind("（第");
  return start == std::string::npos ? "" : text.substr(start);
}

struct DepartmentOracle {
  // What every filing of the department starts from, and its names.
  gv1::Filing base;
  std::string department, budget, goals;
  std::string label;  // in the log: the department's name
  int acked = 0;      // the last filing acknowledged
  gv1::Filing acked_filing;
  // Filings sent since then whose client gave up: each may be stored, whole.
  std::vector<gv1::Filing> unknown;
  int64_t published_version = 0;  // the last publication acknowledged
};

struct Counters {
  std::atomic<int64_t> applies{0}, publications{0}, retries{0}, given_up{0}, audits{0}, partial_seen{0}, lost{0},
      artifacts_verified{0}, failures{0};
};

class Run {
 public:
  // One department per base filing, dealt to the clients in turn.
  Run(testing::Cluster* cluster, const std::vector<gv1::Filing>& bases) : cluster_(cluster) {
    grpc::ChannelArguments arguments = client::ChannelArguments();
    channel_ = grpc::CreateCustomChannel(cluster_->gateway_grpc(), grpc::InsecureChannelCredentials(), arguments);
    // The department's platform files and submits; the finance bureau
    // approves and publishes.
    filer_token_ = testing::TestToken(*cluster_, security::Role::kIntegrator, "crash-loop");
    reviewer_token_ = testing::TestToken(*cluster_, security::Role::kReviewer, "crash-loop");
    for (const gv1::Filing& base : bases) {
      DepartmentOracle oracle;
      oracle.base = base;
      oracle.department = base.department().name();
      oracle.budget = base.budget().name();
      oracle.goals = base.goals().name();
      oracle.label = base.department().name();
      oracles_.push_back(std::move(oracle));
    }
  }

  int Execute() {
    std::vector<std::thread> clients;
    const int per_client = absl::GetFlag(FLAGS_departments_per_client);
    for (int c = 0; c < absl::GetFlag(FLAGS_clients); ++c) {
      clients.emplace_back([this, c, per_client] { ClientLoop(c * per_client, per_client); });
    }
    std::thread auditor([this] { AuditLoop(); });
    Drive();
    stop_ = true;
    Resume();
    for (auto& t : clients) t.join();
    auditor.join();
    Check("at the end");

    std::cout << "crash loop: " << kills_
              << (absl::GetFlag(FLAGS_power_loss) ? " power losses and kills (" : " kills (") << KillSummary() << "), "
              << counters_.applies << " filings and " << counters_.publications << " publications acknowledged, "
              << counters_.given_up << " filings given up at the first failure, " << counters_.retries
              << " retried calls, " << checks_ << " checks, " << counters_.artifacts_verified << " artifacts verified, "
              << counters_.audits << " audits; lost: " << counters_.lost
              << ", partial filings seen: " << counters_.partial_seen << ", failed operations: " << counters_.failures
              << "\n";
    return counters_.lost == 0 && counters_.partial_seen == 0 && counters_.failures == 0 && checks_ > 0 ? 0 : 1;
  }

 private:
  std::unique_ptr<grpc::ClientContext> Context(bool reviewer = false) const {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    context->AddMetadata("authorization", "Bearer " + (reviewer ? reviewer_token_ : filer_token_));
    return context;
  }
  std::unique_ptr<gv1::PublicApi::Stub> Api() const { return gv1::PublicApi::NewStub(channel_); }

  // A crash answers UNAVAILABLE (or, mid-call, another transport error):
  // what a client told "retry with the same request id" retries.
  static bool Retryable(const grpc::Status& status) {
    switch (status.error_code()) {
      case grpc::StatusCode::UNAVAILABLE:
      case grpc::StatusCode::DEADLINE_EXCEEDED:
      case grpc::StatusCode::CANCELLED:
      case grpc::StatusCode::UNKNOWN:
      case grpc::StatusCode::INTERNAL:
        return true;
      default:
        return false;
    }
  }
  // OK after retries; false and counted as a failure otherwise, unless
  // `given_up` is set: then a first retryable failure sets it instead; or
  // unless `missing` is set: then NOT_FOUND sets it instead.
  template <typename Call>
  bool Retried(const std::string& what, Call call, bool* given_up = nullptr, bool* missing = nullptr) {
    const auto give_up = Clock::now() + std::chrono::seconds(absl::GetFlag(FLAGS_op_timeout_s));
    grpc::Status status;
    while (true) {
      status = call();
      if (status.ok()) return true;
      if (!Retryable(status) || Clock::now() > give_up) break;
      if (given_up != nullptr) {
        *given_up = true;
        return false;
      }
      ++counters_.retries;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (missing != nullptr && status.error_code() == grpc::StatusCode::NOT_FOUND) {
      *missing = true;
      return false;
    }
    ++counters_.failures;
    Log(absl::StrCat("FAILED ", what, ": ", status.error_code(), " ", status.error_message()));
    return false;
  }

  void ClientLoop(int first, int count) {
    std::vector<int> generation(count, 0);
    std::mt19937_64 random(absl::GetFlag(FLAGS_seed) * 7919 + first);
    for (int turn = 0; !stop_; ++turn) {
      WaitIfPaused();
      if (stop_) break;
      const int index = first + turn % count;
      DepartmentOracle& oracle = oracles_[index];
      const int g = ++generation[turn % count];
      const gv1::Filing filing = MakeFiling(oracle.base, g);
      gv1::ApplyFilingRequest apply;
      *apply.mutable_filing() = filing;
      apply.set_request_id(absl::StrCat("apply-", oracle.label, "-", g));
      gv1::ApplyFilingResponse applied;
      const bool may_give_up = static_cast<int>(random() % 100) < absl::GetFlag(FLAGS_give_up_percent);
      bool given_up = false;
      {
        std::lock_guard<std::mutex> lock(mu_);
        oracle.unknown.push_back(filing);
      }
      if (!Retried(
              "apply " + apply.request_id(), [&] { return Api()->ApplyFiling(Context().get(), apply, &applied); },
              may_give_up ? &given_up : nullptr)) {
        if (given_up) ++counters_.given_up;
        continue;
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        oracle.acked = g;
        oracle.acked_filing = filing;
        oracle.unknown.clear();
      }
      ++counters_.applies;
      if (g % absl::GetFlag(FLAGS_publish_every) == 0) Publish(oracle, g);
    }
    ClientEnded();
  }

  void Publish(DepartmentOracle& oracle, int g) {
    lv1::BudgetVersion version;
    for (const auto action :
         {lv1::WORKFLOW_ACTION_SUBMIT, lv1::WORKFLOW_ACTION_APPROVE, lv1::WORKFLOW_ACTION_PUBLISH}) {
      lv1::TransitionBudgetRequest step;
      step.set_name(oracle.budget);
      step.set_action(action);
      step.set_comment("崩溃测试");
      step.set_request_id(absl::StrCat(lv1::WorkflowAction_Name(action), "-", oracle.label, "-", g));
      const bool reviewer = action != lv1::WORKFLOW_ACTION_SUBMIT;
      if (!Retried(step.request_id(),
                   [&] { return Api()->TransitionBudget(Context(reviewer).get(), step, &version); })) {
        return;
      }
    }
    std::lock_guard<std::mutex> lock(mu_);
    oracle.published_version = version.version();
    ++counters_.publications;
  }

  // Reads a department's three parts twice; when both reads agree (no
  // filing landed in between) and the parts carry different filings, a
  // reader saw part of a filing.
  void AuditLoop() {
    std::mt19937_64 random(absl::GetFlag(FLAGS_seed) ^ 0x9e3779b97f4a7c15ull);
    while (!stop_) {
      const DepartmentOracle& oracle = oracles_[random() % oracles_.size()];
      std::optional<std::vector<std::string>> first = ReadMarks(oracle);
      std::optional<std::vector<std::string>> second = ReadMarks(oracle);
      if (first.has_value() && second.has_value() && *first == *second) {
        ++counters_.audits;
        const std::vector<std::string>& marks = *first;
        if (marks[0] != marks[1] || marks[1] != marks[2]) {
          ++counters_.partial_seen;
          Log(absl::StrCat("PARTIAL filing of ", oracle.label, ": department ", marks[0], ", budget ", marks[1],
                           ", goals ", marks[2]));
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  // The marks of department, budget and goals; nullopt when any read fails
  // (a service is down) and all "" when none is stored yet.
  std::optional<std::vector<std::string>> ReadMarks(const DepartmentOracle& oracle) {
    lv1::GetDepartmentRequest get_department;
    get_department.set_name(oracle.department);
    lv1::Department stored_department;
    grpc::Status d = Api()->GetDepartment(Context().get(), get_department, &stored_department);
    lv1::GetBudgetRequest get_budget;
    get_budget.set_name(oracle.budget);
    lv1::Budget stored_budget;
    grpc::Status b = Api()->GetBudget(Context().get(), get_budget, &stored_budget);
    ov1::GetGoalsRequest get_goals;
    get_goals.set_name(oracle.goals);
    ov1::GoalSet stored_goals;
    grpc::Status g = Api()->GetGoals(Context().get(), get_goals, &stored_goals);
    auto readable = [](const grpc::Status& s) { return s.ok() || s.error_code() == grpc::StatusCode::NOT_FOUND; };
    if (!readable(d) || !readable(b) || !readable(g)) return std::nullopt;
    return std::vector<std::string>{
        d.ok() ? MarkOf(stored_department.functions_preamble()) : "",
        b.ok() ? absl::StrCat("（", stored_budget.narrative().three_public_change_reason(), "）") : "",
        g.ok() ? MarkOf(stored_goals.department().annual_tasks()) : ""};
  }

  void Drive() {
    std::mt19937_64 random(absl::GetFlag(FLAGS_seed));
    // Apart, so a seed picks the same victims with and without --power_loss.
    std::mt19937_64 moments(absl::GetFlag(FLAGS_seed) ^ 0x5bd1e995ull);
    const std::vector<std::string> services = absl::StrSplit(absl::GetFlag(FLAGS_services), ',');
    const int min_gap = absl::GetFlag(FLAGS_min_gap_ms);
    const int max_gap = std::max(min_gap, absl::GetFlag(FLAGS_max_gap_ms));
    for (int kill = 0; kill < absl::GetFlag(FLAGS_kills); ++kill) {
      std::this_thread::sleep_for(std::chrono::milliseconds(min_gap + random() % (max_gap - min_gap + 1)));
      const std::string& victim = services[random() % services.size()];
      std::string error;
      // The gateway keeps nothing on disk: a power loss is a kill to it.
      const bool power_loss = absl::GetFlag(FLAGS_power_loss) && victim != "gateway";
      const bool during_sync = static_cast<int>(moments() % 100) < absl::GetFlag(FLAGS_power_loss_during_sync_percent);
      if (!(power_loss ? cluster_->LosePowerAndRestart(victim, during_sync, &error)
                       : cluster_->KillAndRestart(victim, &error))) {
        ++counters_.failures;
        Log("FAILED to restart " + victim + ": " + error);
        return;
      }
      ++kills_;
      ++kills_by_service_[victim];
      Pause();
      if (power_loss) ++(during_sync ? losses_during_sync_ : losses_at_once_);
      Check(absl::StrCat(power_loss ? "after power loss " : "after kill ", kill + 1, " (", victim, ")"));
      Resume();
    }
  }

  // Every acknowledged filing stored exactly as sent, and every
  // acknowledged publication public with files that verify.
  void Check(const std::string& when) {
    ++checks_;
    std::vector<DepartmentOracle> snapshot;
    {
      std::lock_guard<std::mutex> lock(mu_);
      snapshot = oracles_;
    }
    for (const DepartmentOracle& oracle : snapshot) {
      if (oracle.acked == 0) continue;  // (what was given up before is checked by the auditor)
      const gv1::Filing& sent = oracle.acked_filing;
      lv1::Department department;
      ov1::GoalSet goals;
      lv1::Budget budget;
      lv1::GetDepartmentRequest get_department;
      get_department.set_name(sent.department().name());
      lv1::GetBudgetRequest get_budget;
      get_budget.set_name(sent.budget().name());
      ov1::GetGoalsRequest get_goals;
      get_goals.set_name(sent.goals().name());
      // An acknowledged filing not found is lost (as after a write that was
      // acknowledged before it reached the disk).
      bool missing = false;
      const bool read =
          Retried(
              "read department " + oracle.label,
              [&] { return Api()->GetDepartment(Context().get(), get_department, &department); }, nullptr, &missing) &&
          Retried(
              "read budget " + oracle.label, [&] { return Api()->GetBudget(Context().get(), get_budget, &budget); },
              nullptr, &missing) &&
          Retried(
              "read goals " + oracle.label, [&] { return Api()->GetGoals(Context().get(), get_goals, &goals); },
              nullptr, &missing);
      if (missing) {
        ++counters_.lost;
        Log(absl::StrCat("LOST filing of ", oracle.label, " ", when, " (acknowledged: ", oracle.acked,
                         "): a part of it is not found"));
      }
      if (!read) continue;
      // What the server sets is not what was sent.
      department.clear_etag();
      department.clear_update_time_unix_ms();
      budget.clear_etag();
      budget.clear_revision();
      budget.clear_update_time_unix_ms();
      budget.clear_status();
      goals.clear_etag();
      goals.clear_revision();
      goals.clear_update_time_unix_ms();
      // The stored filing is the acknowledged one or one given up since,
      // whole: the one its budget names must match in every part.
      const gv1::Filing* candidate = &sent;
      for (const gv1::Filing& maybe : oracle.unknown) {
        if (maybe.budget().narrative().three_public_change_reason() ==
            budget.narrative().three_public_change_reason()) {
          candidate = &maybe;
        }
      }
      lv1::Budget sent_budget = candidate->budget();
      sent_budget.clear_status();
      std::string difference;
      MessageDifferencer differ;
      differ.ReportDifferencesToString(&difference);
      if (!differ.Compare(candidate->department(), department) || !differ.Compare(sent_budget, budget) ||
          !differ.Compare(candidate->goals(), goals)) {
        ++counters_.lost;
        Log(absl::StrCat(
            "LOST, changed or partial filing of ", oracle.label, " ", when, " (acknowledged: ", oracle.acked,
            ", stored budget: ", budget.narrative().three_public_change_reason(), "): ", difference.substr(0, 2000)));
      }
      if (oracle.published_version > 0) CheckPublished(oracle, when);
    }
  }

  void CheckPublished(const DepartmentOracle& oracle, const std::string& when) {
    rv1::GetPublishedRequest get;
    get.set_budget_name(oracle.budget);
    get.set_version(oracle.published_version);
    rv1::PublishedDisclosure published;
    if (!Retried("read published " + oracle.label,
                 [&] { return Api()->GetPublished(Context().get(), get, &published); })) {
      ++counters_.lost;
      Log(absl::StrCat("LOST publication ", oracle.published_version, " of ", oracle.label, " ", when));
      return;
    }
    if (published.artifacts_size() == 0) {
      ++counters_.lost;
      Log(absl::StrCat("publication ", oracle.published_version, " of ", oracle.label, " has no files ", when));
    }
    for (const rv1::Artifact& artifact : published.artifacts()) {
      rv1::VerifyArtifactRequest verify;
      verify.set_content(artifact.content());
      rv1::VerifyArtifactResponse verified;
      if (!Retried("verify", [&] { return Api()->VerifyArtifact(Context().get(), verify, &verified); })) continue;
      // Identical bytes published twice (an XLSX of unchanged tables) verify
      // as the first publication that had them.
      if (!verified.official() || verified.sha256_hex() != artifact.sha256_hex()) {
        ++counters_.lost;
        Log(absl::StrCat("the ", rv1::Format_Name(artifact.format()), " of publication ", oracle.published_version,
                         " of ", oracle.label, " does not verify ", when, ": official ", verified.official(),
                         ", sha256 ", verified.sha256_hex(), " (archived as ", artifact.sha256_hex(), ")"));
      } else {
        ++counters_.artifacts_verified;
      }
    }
  }

  // Clients stop between operations (an operation finishes, retries
  // included, before its client stops), so a check sees only what was
  // acknowledged and nothing in flight.
  void Pause() {
    std::unique_lock<std::mutex> lock(pause_mu_);
    pause_requested_ = true;
    pause_cv_.wait(lock, [&] { return paused_ == active_; });
  }
  void Resume() {
    std::lock_guard<std::mutex> lock(pause_mu_);
    pause_requested_ = false;
    pause_cv_.notify_all();
  }
  void WaitIfPaused() {
    std::unique_lock<std::mutex> lock(pause_mu_);
    if (!pause_requested_) return;
    ++paused_;
    pause_cv_.notify_all();
    pause_cv_.wait(lock, [&] { return !pause_requested_; });
    --paused_;
  }
  void ClientEnded() {
    std::lock_guard<std::mutex> lock(pause_mu_);
    --active_;
    pause_cv_.notify_all();
  }

  void Log(const std::string& line) {
    std::lock_guard<std::mutex> lock(log_mu_);
    std::cerr << "crash loop: " << line << "\n";
  }
  std::string KillSummary() const {
    std::string out;
    for (const auto& [service, n] : kills_by_service_) absl::StrAppend(&out, out.empty() ? "" : ", ", service, " ", n);
    if (absl::GetFlag(FLAGS_power_loss)) {
      absl::StrAppend(&out, "; power lost during a sync ", losses_during_sync_, ", at once ", losses_at_once_, "; ",
                      cluster_->losses_that_dropped_data(), " backend losses dropped unsynced data, ",
                      cluster_->bytes_dropped(), " bytes in all");
    }
    return out;
  }

  testing::Cluster* cluster_;
  std::shared_ptr<grpc::Channel> channel_;
  std::string filer_token_, reviewer_token_;
  std::mutex mu_;  // guards oracles_' acknowledged fields
  std::vector<DepartmentOracle> oracles_;
  Counters counters_;
  std::atomic<bool> stop_{false};
  int kills_ = 0;
  int losses_during_sync_ = 0, losses_at_once_ = 0;
  int checks_ = 0;
  std::map<std::string, int> kills_by_service_;

  std::mutex pause_mu_;
  std::condition_variable pause_cv_;
  bool pause_requested_ = false;
  int paused_ = 0;
  int active_ = absl::GetFlag(FLAGS_clients);  // clients not yet ended
  std::mutex log_mu_;
};

}  // namespace
}  // namespace yusuan::crash

namespace {

// The departments the clients file, client by client.
absl::StatusOr<std::vector<yusuan::gateway::v1::Filing>> Departments() {
  const int count = absl::GetFlag(FLAGS_clients) * absl::GetFlag(FLAGS_departments_per_client);
  std::vector<yusuan::gateway::v1::Filing> bases;
  const std::string kind = absl::GetFlag(FLAGS_departments);
  if (kind == "sample") {
    yusuan::gateway::v1::Filing sample;
    auto parsed = google::protobuf::util::JsonStringToMessage(
        yusuan::testing::ReadFile(yusuan::testing::SampleFilingPath()), &sample);
    if (!parsed.ok())
      return absl::InvalidArgumentError(absl::StrCat("the sample filing does not parse: ", parsed.ToString()));
    for (int i = 0; i < count; ++i) bases.push_back(yusuan::crash::Recoded(sample, absl::StrFormat("8%08d", i)));
    return bases;
  }
  if (kind != "generated") {
    return absl::InvalidArgumentError(absl::StrCat("--departments is sample or generated, not ", kind));
  }
  absl::StatusOr<yusuan::ledger::CatalogueSet> catalogues =
      yusuan::ledger::CatalogueSet::LoadFromDirectory(std::string(YUSUAN_SOURCE_DIR) + "/data/catalogue");
  if (!catalogues.ok()) return catalogues.status();
  yusuan::synth::SynthOptions options;
  options.seed = absl::GetFlag(FLAGS_synth_seed);
  absl::StatusOr<yusuan::synth::Synthesizer> synthesizer = yusuan::synth::Synthesizer::Create(*catalogues, options);
  if (!synthesizer.ok()) return synthesizer.status();
  for (int i = 0; i < count; ++i) {
    absl::StatusOr<yusuan::gateway::v1::Filing> filing = synthesizer->Synthesize(i);
    if (!filing.ok()) return filing.status();
    bases.push_back(*std::move(filing));
  }
  return bases;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  absl::StatusOr<std::vector<yusuan::gateway::v1::Filing>> departments = Departments();
  if (!departments.ok()) {
    std::cerr << "crash loop: " << departments.status() << "\n";
    return 2;
  }
  yusuan::testing::TempDir root;
  yusuan::testing::Cluster::Options options;
  // The recovery decides the staged filings a killed gateway left within
  // the run (its lease outlasting the backend timeout, as it must).
  options.gateway_args = {"--backend_timeout_ms=5000", "--filing_lease_ms=15000"};
  options.power_loss = absl::GetFlag(FLAGS_power_loss);
  if (absl::GetFlag(FLAGS_power_loss_unsynced_commits)) {
    if (!options.power_loss) {
      std::cerr << "crash loop: --power_loss_unsynced_commits needs --power_loss\n";
      return 2;
    }
    for (auto* args : {&options.ledger_args, &options.goals_args, &options.report_args}) {
      args->push_back("--power_loss_unsynced_commits");
    }
  }
  yusuan::testing::Cluster cluster(root.path(), options);
  std::string error;
  if (!cluster.Start(&error)) {
    std::cerr << "crash loop: the cluster did not start: " << error << "\n";
    return 2;
  }
  yusuan::crash::Run run(&cluster, *departments);
  return run.Execute();
}
