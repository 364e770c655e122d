// A gateway routing by a shard map (issue 16): two shards, each one set of
// ledger, goals and report with its own data, behind one gateway started
// with --shard_map. Each filing is stored on the shard of its region and on
// no other; region-wide lists page through the union in order, roll-ups add
// the shards' sums, exports span both, and a shard that is down makes only
// its regions answer UNAVAILABLE, naming it. A new map file that would
// strand data is refused and the old routing kept; one that strands nothing
// is taken without a restart.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/common/resource_names.h"
#include "services/ledger/domain/catalogue.h"
#include "services/security/token.h"
#include "tests/integration/harness.h"
#include "tools/synth/synth.h"
#include "yusuan/gateway/v1/gateway.grpc.pb.h"

namespace yusuan::testing {
namespace {

namespace fs = std::filesystem;
using yusuan::gateway::v1::Filing;
using yusuan::gateway::v1::PublicApi;
using yusuan::security::Role;
namespace gv1 = yusuan::gateway::v1;
namespace lv1 = yusuan::ledger::v1;
namespace rv1 = yusuan::report::v1;

constexpr int kYear = 2025;

// Shard "north" holds 42 (Hubei) but not Wuhan (4201), which "south" holds
// with 43 (Hunan) and others of the provinces the generator uses, so that
// regions/42 is held by both. Beijing (11) by none.
std::string ShardMapJson(Cluster& north, Cluster& south, const std::string& north_extra = "") {
  auto shard = [](const std::string& name, const std::string& regions, Cluster& c) {
    return absl::StrCat(R"({"name": ")", name, R"(", "regions": [)", regions, R"(], "ledger": ")", c.ledger().address(),
                        R"(", "goals": ")", c.goals().address(), R"(", "report": ")", c.report().address(), R"("})");
  };
  return absl::StrCat(R"({"shards": [)", shard("north", R"("42", "32", "33")" + north_extra, north), ", ",
                      shard("south", R"("4201", "43", "51", "41", "36")", south), "]}");
}

void WriteText(const std::string& path, const std::string& text) {
  const std::string staged = path + ".new";
  std::ofstream(staged) << text;
  fs::rename(staged, path);  // the gateway never reads half a file
}

class ShardedGateway {
 public:
  ShardedGateway(Cluster& keys, const std::string& map_file, const std::string& root)
      : keys_(keys),
        process_("sharded-gateway", "yusuan-gateway",
                 {"--grpc_port=0", "--http_port=0", "--signing_key_file=" + keys.signing_key_path(),
                  "--internal_secret_file=" + keys.internal_secret_path(), "--shard_map=" + map_file,
                  "--shard_map_check_ms=100", "--backend_timeout_ms=5000"},
                 root) {}
  bool Start(std::string* error) { return process_.Start({"port_file", "http_port_file"}, error); }
  std::unique_ptr<PublicApi::Stub> Api() {
    return PublicApi::NewStub(grpc::CreateChannel(process_.address(0), grpc::InsecureChannelCredentials()));
  }
  std::unique_ptr<grpc::ClientContext> Context(Role role = Role::kReviewer) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    context->AddMetadata("authorization", "Bearer " + TestToken(keys_, role, "sharding-test"));
    return context;
  }
  std::string LogTail() const { return process_.LogTail(); }

 private:
  Cluster& keys_;
  ServiceProcess process_;
};

std::unique_ptr<grpc::ClientContext> ContextOf(const Cluster& cluster, Role role = Role::kReviewer) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  context->AddMetadata("authorization", "Bearer " + TestToken(cluster, role, "sharding-test"));
  return context;
}

bool InNorth(const std::string& region) {
  return (region.rfind("42", 0) == 0 && region.rfind("4201", 0) != 0) || region.rfind("32", 0) == 0 ||
         region.rfind("33", 0) == 0;
}

// Every department of `parent` through `api`, page by page.
std::vector<std::string> ListAll(PublicApi::Stub& api, ShardedGateway& gateway, const std::string& parent,
                                 int page_size, int* pages) {
  std::vector<std::string> names;
  lv1::ListDepartmentsRequest list;
  list.set_parent(parent);
  list.set_page_size(page_size);
  *pages = 0;
  do {
    lv1::ListDepartmentsResponse page;
    grpc::Status status = api.ListDepartments(gateway.Context().get(), list, &page);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok()) break;
    EXPECT_LE(page.departments_size(), page_size);
    for (const auto& d : page.departments()) names.push_back(d.name());
    list.set_page_token(page.next_page_token());
    ++*pages;
  } while (!list.page_token().empty() && *pages < 1000);
  return names;
}

std::string KeyOf(const std::string& department) { return ParseDepartmentName(department)->Key(); }

class ShardingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    north_ = std::make_unique<Cluster>(north_dir_.path());
    ASSERT_TRUE(north_->Start(&error)) << error;
    // One key and one internal secret for the whole deployment.
    fs::create_directories(south_dir_.path() + "/keys");
    fs::create_directories(south_dir_.path() + "/secrets");
    fs::copy_file(north_->signing_key_path(), south_dir_.path() + "/keys/token-signing.key");
    fs::copy_file(north_->internal_secret_path(), south_dir_.path() + "/secrets/internal.secret");
    south_ = std::make_unique<Cluster>(south_dir_.path());
    ASSERT_TRUE(south_->Start(&error)) << error;
    map_file_ = gateway_dir_.path() + "/shards.json";
    WriteText(map_file_, ShardMapJson(*north_, *south_));
    gateway_ = std::make_unique<ShardedGateway>(*north_, map_file_, gateway_dir_.path());
    ASSERT_TRUE(gateway_->Start(&error)) << error;

    absl::StatusOr<ledger::CatalogueSet> catalogues =
        ledger::CatalogueSet::LoadFromDirectory(std::string(YUSUAN_SOURCE_DIR) + "/data/catalogue");
    ASSERT_TRUE(catalogues.ok()) << catalogues.status();
    catalogues_ = std::make_unique<ledger::CatalogueSet>(*std::move(catalogues));
    auto api = gateway_->Api();
    // Enough departments that both shards hold several of 42 and of the
    // rest: the generator's district turns with the seed.
    for (uint64_t seed = 1; seed <= 24; ++seed) {
      synth::SynthOptions options;
      options.seed = seed;
      options.year = kYear;
      absl::StatusOr<synth::Synthesizer> synthesizer = synth::Synthesizer::Create(*catalogues_, options);
      ASSERT_TRUE(synthesizer.ok()) << synthesizer.status();
      for (int i = 0; i < 3; ++i) {
        absl::StatusOr<Filing> filing = synthesizer->Synthesize(i);
        ASSERT_TRUE(filing.ok()) << filing.status();
        const std::string region = filing->department().region_code();
        gv1::ApplyFilingRequest apply;
        *apply.mutable_filing() = *filing;
        apply.set_request_id(absl::StrCat("sharding-", seed, "-", i));
        gv1::ApplyFilingResponse applied;
        grpc::Status status = api->ApplyFiling(gateway_->Context(Role::kIntegrator).get(), apply, &applied);
        ASSERT_TRUE(status.ok()) << region << ": " << status.error_message();
        if (budgets_.emplace(applied.budget().name(), region).second) {
          departments_.push_back(applied.department().name());
        }
      }
    }
  }

  Cluster& ShardOf(const std::string& region) { return InNorth(region) ? *north_ : *south_; }
  Cluster& OtherThan(const std::string& region) { return InNorth(region) ? *south_ : *north_; }

  TempDir north_dir_, south_dir_, gateway_dir_;
  std::unique_ptr<Cluster> north_, south_;
  std::string map_file_;
  std::unique_ptr<ShardedGateway> gateway_;
  std::unique_ptr<ledger::CatalogueSet> catalogues_;
  std::map<std::string, std::string> budgets_;  // budget name → region
  std::vector<std::string> departments_;
};

TEST_F(ShardingTest, EachFilingIsStoredOnItsRegionsShardAlone) {
  int north = 0, south = 0;
  for (const auto& [budget, region] : budgets_) {
    ++(InNorth(region) ? north : south);
    auto own = PublicApi::NewStub(ShardOf(region).GatewayChannel());
    auto other = PublicApi::NewStub(OtherThan(region).GatewayChannel());
    lv1::GetBudgetRequest get;
    get.set_name(budget);
    lv1::Budget stored;
    EXPECT_TRUE(own->GetBudget(ContextOf(ShardOf(region)).get(), get, &stored).ok()) << budget;
    EXPECT_EQ(other->GetBudget(ContextOf(OtherThan(region)).get(), get, &stored).error_code(),
              grpc::StatusCode::NOT_FOUND)
        << budget << " is on the shard that does not hold its region";
    // And the sharded gateway reads it, goals included.
    auto api = gateway_->Api();
    EXPECT_TRUE(api->GetBudget(gateway_->Context().get(), get, &stored).ok()) << budget;
    yusuan::goals::v1::GetGoalsRequest goals;
    goals.set_name(budget + "/goals");
    yusuan::goals::v1::GoalSet set;
    EXPECT_TRUE(api->GetGoals(gateway_->Context().get(), goals, &set).ok()) << budget;
  }
  EXPECT_GE(north, 5);
  EXPECT_GE(south, 5);
  // A region no shard holds: refused, naming it and the fix.
  lv1::GetBudgetRequest get;
  get.set_name(absl::StrCat("regions/110101/departments/201000001/budgets/", kYear));
  lv1::Budget budget;
  grpc::Status status = gateway_->Api()->GetBudget(gateway_->Context().get(), get, &budget);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_NE(status.error_message().find("110101"), std::string::npos) << status.error_message();
  EXPECT_NE(status.error_message().find("--shard_map"), std::string::npos) << status.error_message();
}

TEST_F(ShardingTest, ListsPageThroughEveryShardInOrderAndRollupsAdd) {
  auto api = gateway_->Api();
  // regions/42: both shards (north 42, south 4201), interleaved in key order.
  std::vector<std::string> hubei;
  for (const std::string& d : departments_) {
    if (d.rfind("regions/42", 0) == 0) hubei.push_back(d);
  }
  std::sort(hubei.begin(), hubei.end(), [](const std::string& a, const std::string& b) { return KeyOf(a) < KeyOf(b); });
  int wuhan = 0;
  for (const std::string& d : hubei) wuhan += d.rfind("regions/4201", 0) == 0 ? 1 : 0;
  ASSERT_GE(wuhan, 2);
  ASSERT_GE(static_cast<int>(hubei.size()) - wuhan, 2);
  for (int page_size : {1, 4, 1000}) {
    int pages = 0;
    std::vector<std::string> listed = ListAll(*api, *gateway_, "regions/42", page_size, &pages);
    EXPECT_EQ(listed, hubei) << "page size " << page_size;
    if (page_size == 4) {
      EXPECT_EQ(pages, static_cast<int>((hubei.size() + 3) / 4));
    }
  }
  // A token of another list's shards is refused, naming page_token.
  lv1::ListDepartmentsRequest list;
  list.set_parent("regions/42");
  list.set_page_size(3);
  lv1::ListDepartmentsResponse first;
  ASSERT_TRUE(api->ListDepartments(gateway_->Context().get(), list, &first).ok());
  list.set_parent("regions/4201");  // south alone: its own token form
  list.set_page_token(first.next_page_token());
  lv1::ListDepartmentsResponse refused;
  grpc::Status status = api->ListDepartments(gateway_->Context().get(), list, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();

  // The roll-up of every region is the sum of the shards' own.
  auto rollup_of = [&](PublicApi::Stub& stub, std::unique_ptr<grpc::ClientContext> context, const std::string& name) {
    lv1::GetRollupRequest get;
    get.set_name(name);
    lv1::Rollup rollup;
    grpc::Status got = stub.GetRollup(context.get(), get, &rollup);
    EXPECT_TRUE(got.ok()) << name << ": " << got.error_message();
    return rollup;
  };
  const std::string everywhere = absl::StrCat("regions/42/rollups/", kYear);
  auto north_api = PublicApi::NewStub(north_->GatewayChannel());
  auto south_api = PublicApi::NewStub(south_->GatewayChannel());
  const lv1::Rollup merged = rollup_of(*api, gateway_->Context(), everywhere);
  const lv1::Rollup north = rollup_of(*north_api, ContextOf(*north_), everywhere);
  const lv1::Rollup south = rollup_of(*south_api, ContextOf(*south_), everywhere);
  EXPECT_GT(north.budget_count(), 0);
  EXPECT_GT(south.budget_count(), 0);
  EXPECT_EQ(merged.budget_count(), north.budget_count() + south.budget_count());
  EXPECT_EQ(merged.budget_count(), static_cast<int64_t>(hubei.size()));
  EXPECT_EQ(merged.expenditure_fen(), north.expenditure_fen() + south.expenditure_fen());
  EXPECT_EQ(merged.income_fen(), north.income_fen() + south.income_fen());

  // An export of regions/42 spans both shards, in key order, each once.
  gv1::ExportFilingsRequest exported;
  exported.set_parent("regions/42");
  exported.set_fiscal_year(kYear);
  auto context = gateway_->Context(Role::kIntegrator);
  auto reader = api->ExportFilings(context.get(), exported);
  std::vector<std::string> seen;
  gv1::ExportFilingsResponse message;
  while (reader->Read(&message)) {
    if (message.has_filing()) seen.push_back(message.filing().department().name());
  }
  grpc::Status finished = reader->Finish();
  EXPECT_TRUE(finished.ok()) << finished.error_message();
  EXPECT_EQ(seen, hubei);

  // The change feed of regions/42 reads both shards' logs: every Hubei
  // department's change once, and a cursor taken halfway resumes after it.
  auto watch_all = [&](const std::string& after, int wait_ms) {
    gv1::WatchChangesRequest watch;
    watch.set_parent("regions/42");
    watch.set_after_cursor(after);
    watch.set_wait_ms(wait_ms);
    auto watch_context = gateway_->Context(Role::kIntegrator);
    auto changes = api->WatchChanges(watch_context.get(), watch);
    std::vector<gv1::WatchChangesResponse> got;
    gv1::WatchChangesResponse change;
    while (changes->Read(&change)) {
      if (change.has_change()) got.push_back(change);
    }
    grpc::Status finished = changes->Finish();
    EXPECT_TRUE(finished.ok()) << finished.error_message();
    return got;
  };
  const std::vector<gv1::WatchChangesResponse> everything = watch_all("", 300);
  std::set<std::string> departments_changed;
  std::set<std::string> seen_changes;
  for (const auto& change : everything) {
    EXPECT_EQ(change.change().region_code().rfind("42", 0), 0u) << change.change().resource_name();
    if (change.change().kind() == yusuan::common::v1::CHANGE_KIND_DEPARTMENT_PUT) {
      departments_changed.insert(change.change().resource_name());
    }
    EXPECT_TRUE(seen_changes
                    .insert(absl::StrCat(change.change().resource_name(), "@", change.change().sequence(), "/",
                                         change.change().kind()))
                    .second)
        << "a change came twice: " << change.change().resource_name();
  }
  EXPECT_EQ(departments_changed, std::set<std::string>(hubei.begin(), hubei.end()));
  ASSERT_GT(everything.size(), 4u);
  const size_t half = everything.size() / 2;
  const std::vector<gv1::WatchChangesResponse> rest = watch_all(everything[half - 1].cursor(), 300);
  // The logs' changes may interleave differently from one read to the
  // next; each log's own order is kept, and nothing is skipped or repeated.
  auto by_shard = [](const std::vector<gv1::WatchChangesResponse>& changes, size_t from) {
    std::map<bool, std::vector<std::string>> logs;  // south (Wuhan) or north
    for (size_t i = from; i < changes.size(); ++i) {
      const auto& change = changes[i].change();
      logs[change.region_code().rfind("4201", 0) == 0].push_back(
          absl::StrCat(change.resource_name(), "@", change.sequence()));
    }
    return logs;
  };
  ASSERT_EQ(rest.size(), everything.size() - half) << "resuming from the middle skipped or repeated changes";
  EXPECT_EQ(by_shard(rest, 0), by_shard(everything, half));
  // A new filing on each shard wakes a waiting feed.
  const std::string tail = everything.back().cursor();
  gv1::WatchChangesRequest watch;
  watch.set_parent("regions/42");
  watch.set_after_cursor(tail);
  watch.set_wait_ms(3000);
  auto watch_context = gateway_->Context(Role::kIntegrator);
  auto waiting = api->WatchChanges(watch_context.get(), watch);
  std::thread step([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    lv1::TransitionBudgetRequest submit;
    for (const auto& [budget, region] : budgets_) {
      if (region.rfind("4201", 0) == 0) submit.set_name(budget);
    }
    submit.set_action(lv1::WORKFLOW_ACTION_SUBMIT);
    lv1::BudgetVersion version;
    grpc::Status submitted = api->TransitionBudget(gateway_->Context(Role::kIntegrator).get(), submit, &version);
    EXPECT_TRUE(submitted.ok()) << submitted.error_message();
  });
  gv1::WatchChangesResponse woke;
  const auto asked = std::chrono::steady_clock::now();
  bool got_change = false;
  while (waiting->Read(&woke)) {
    if (woke.has_change()) {
      got_change = true;
      break;
    }
  }
  const auto took = std::chrono::steady_clock::now() - asked;
  step.join();
  watch_context->TryCancel();
  waiting->Finish();
  EXPECT_TRUE(got_change) << "the submission on south did not reach the feed";
  EXPECT_LT(took, std::chrono::milliseconds(2500)) << "the feed waited out its wait on north";
}

TEST_F(ShardingTest, AShardThatIsDownMakesOnlyItsRegionsUnavailableAndNothingIsLost) {
  auto api = gateway_->Api();
  std::string north_budget, south_budget;
  for (const auto& [budget, region] : budgets_) (InNorth(region) ? north_budget : south_budget) = budget;
  std::map<std::string, std::string> before;
  for (const auto& [budget, region] : budgets_) {
    lv1::GetBudgetRequest get;
    get.set_name(budget);
    lv1::Budget stored;
    ASSERT_TRUE(api->GetBudget(gateway_->Context().get(), get, &stored).ok());
    before[budget] = stored.SerializeAsString();
  }

  south_->ledger().Kill();
  lv1::GetBudgetRequest get;
  get.set_name(south_budget);
  lv1::Budget stored;
  const auto start = std::chrono::steady_clock::now();
  grpc::Status down = api->GetBudget(gateway_->Context().get(), get, &stored);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(down.error_code(), grpc::StatusCode::UNAVAILABLE) << down.error_message();
  EXPECT_NE(down.error_message().find("shard south"), std::string::npos) << down.error_message();
  EXPECT_LT(took, std::chrono::seconds(1))
      << "the down shard's region took " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
      << " ms to answer";
  get.set_name(north_budget);
  EXPECT_TRUE(api->GetBudget(gateway_->Context().get(), get, &stored).ok()) << "the other shard's region";
  // A list touching the down shard fails, naming it; one that does not, works.
  lv1::ListDepartmentsRequest list;
  list.set_parent("regions/42");
  lv1::ListDepartmentsResponse page;
  grpc::Status listed = api->ListDepartments(gateway_->Context().get(), list, &page);
  EXPECT_EQ(listed.error_code(), grpc::StatusCode::UNAVAILABLE) << listed.error_message();
  EXPECT_NE(listed.error_message().find("south"), std::string::npos) << listed.error_message();
  list.set_parent("regions/32");
  EXPECT_TRUE(api->ListDepartments(gateway_->Context().get(), list, &page).ok());

  std::string error;
  ASSERT_TRUE(south_->KillAndRestart("ledger", &error)) << error;
  for (const auto& [budget, bytes] : before) {
    get.set_name(budget);
    grpc::Status status;
    // The gateway's channel reconnects on its own.
    for (int attempt = 0; attempt < 50; ++attempt) {
      status = api->GetBudget(gateway_->Context().get(), get, &stored);
      if (status.error_code() != grpc::StatusCode::UNAVAILABLE) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_TRUE(status.ok()) << budget << ": " << status.error_message();
    EXPECT_EQ(stored.SerializeAsString(), bytes) << budget << " changed across the restart";
  }
  int pages = 0;
  size_t hubei = 0;
  for (const std::string& d : departments_) hubei += d.rfind("regions/42", 0) == 0 ? 1 : 0;
  EXPECT_EQ(ListAll(*api, *gateway_, "regions/42", 1000, &pages).size(), hubei);
}

TEST_F(ShardingTest, AMapThatWouldStrandDataIsRefusedAndOneThatDoesNotIsTaken) {
  auto api = gateway_->Api();
  // A province south holds (not Wuhan) moved to north while south holds
  // its departments: refused.
  std::string moved_budget, province;
  for (const auto& [budget, region] : budgets_) {
    if (!InNorth(region) && region.rfind("4201", 0) != 0) {
      moved_budget = budget;
      province = region.substr(0, 2);
    }
  }
  ASSERT_FALSE(moved_budget.empty()) << "the generator made no department south holds outside Wuhan";
  std::string map = ShardMapJson(*north_, *south_, absl::StrCat(R"(, ")", province, R"(")"));
  // The province would now be held twice: take it from south's list.
  const std::string held = absl::StrCat(R"(, ")", province, R"(")");
  const size_t south_at = map.find(R"("name": "south")");
  map.erase(map.find(held, south_at), held.size());
  WriteText(map_file_, map);
  std::string log;
  for (int i = 0; i < 50 && log.find("SHARD_MAP_STRANDS_DATA") == std::string::npos &&
                  log.find("still holds its data") == std::string::npos;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    log = gateway_->LogTail();
  }
  EXPECT_NE(log.find("still holds its data"), std::string::npos) << log;
  EXPECT_NE(log.find(absl::StrCat("\"", province, "\"")), std::string::npos) << log;
  lv1::GetBudgetRequest get;
  get.set_name(moved_budget);
  lv1::Budget stored;
  EXPECT_TRUE(api->GetBudget(gateway_->Context().get(), get, &stored).ok()) << "the old map no longer routes";

  // Beijing (11), held by no shard and with no data anywhere, given to
  // north: taken without a restart.
  WriteText(map_file_, ShardMapJson(*north_, *south_, R"(, "11")"));
  grpc::Status status;
  get.set_name(absl::StrCat("regions/110101/departments/201000001/budgets/", kYear));
  for (int i = 0; i < 50; ++i) {
    status = api->GetBudget(gateway_->Context().get(), get, &stored);
    if (status.error_code() == grpc::StatusCode::NOT_FOUND) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();
  EXPECT_NE(gateway_->LogTail().find("shard map reloaded"), std::string::npos) << gateway_->LogTail();
}

}  // namespace
}  // namespace yusuan::testing
