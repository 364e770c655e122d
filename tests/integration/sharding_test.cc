// A gateway routing by a shard map (issue 16): two shards, each one set of
// ledger, goals and report with its own data, behind one gateway started
// with --shard_map. Each filing is stored on the shard of its region and on
// no other; region-wide lists page through the union in order, roll-ups add
// the shards' sums, exports span both, and a shard that is down makes only
// its regions answer UNAVAILABLE, naming it. A new map file that would
// strand data is refused and the old routing kept; one that strands nothing
// is taken without a restart. A region frozen, copied to a third shard by
// backup and restore and given to it reads the same before and after.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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
  int http_port() const { return process_.port(1); }

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

// What a reader sees through the gateway, to compare before and after a
// region moves: every budget with its goals, versions and published files,
// the lists, roll-ups, export and change feed of regions/42, and the list
// of the moved prefix.
struct Seen {
  std::map<std::string, std::string> budgets;  // budget name → what GetBudget, GetGoals, … answered
  std::vector<std::string> hubei_by_one, hubei, moved, submissions, published, exported;
  std::map<std::string, std::string> rollups;
  std::multiset<std::string> changes;
};

std::string Answer(grpc::Status status, const google::protobuf::Message& message) {
  return status.ok() ? message.SerializeAsString() : absl::StrCat("error ", status.error_code());
}

class RegionMoveTest : public ShardingTest {
 protected:
  Seen Look(const std::string& moved) {
    auto api = gateway_->Api();
    Seen seen;
    for (const auto& [budget, region] : budgets_) {
      lv1::GetBudgetRequest get;
      get.set_name(budget);
      lv1::Budget stored;
      std::string text = Answer(api->GetBudget(gateway_->Context().get(), get, &stored), stored);
      yusuan::goals::v1::GetGoalsRequest goals;
      goals.set_name(budget + "/goals");
      yusuan::goals::v1::GoalSet set;
      text += "|" + Answer(api->GetGoals(gateway_->Context().get(), goals, &set), set);
      lv1::ListBudgetVersionsRequest versions;
      versions.set_name(budget);
      versions.set_page_size(100);
      lv1::ListBudgetVersionsResponse listed;
      text += "|" + Answer(api->ListBudgetVersions(gateway_->Context().get(), versions, &listed), listed);
      rv1::GetPublishedRequest published;
      published.set_budget_name(budget);
      rv1::PublishedDisclosure disclosure;
      text += "|" + Answer(api->GetPublished(gateway_->Context().get(), published, &disclosure), disclosure);
      seen.budgets[budget] = text;
    }
    int pages = 0;
    seen.hubei_by_one = ListAll(*api, *gateway_, "regions/42", 1, &pages);
    seen.hubei = ListAll(*api, *gateway_, "regions/42", 1000, &pages);
    seen.moved = ListAll(*api, *gateway_, "regions/" + moved, 1000, &pages);
    lv1::ListSubmissionsRequest submissions;
    submissions.set_parent("regions/42");
    submissions.set_page_size(2);
    do {
      lv1::ListSubmissionsResponse page;
      grpc::Status status = api->ListSubmissions(gateway_->Context().get(), submissions, &page);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      for (const auto& submission : page.submissions()) seen.submissions.push_back(submission.budget_name());
      submissions.set_page_token(page.next_page_token());
    } while (!submissions.page_token().empty());
    rv1::ListPublishedRequest published;
    published.set_region("42");
    published.set_page_size(1);
    do {
      rv1::ListPublishedResponse page;
      grpc::Status status = api->ListPublished(gateway_->Context().get(), published, &page);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      for (const auto& disclosure : page.disclosures()) seen.published.push_back(disclosure.SerializeAsString());
      published.set_page_token(page.next_page_token());
    } while (!published.page_token().empty());
    for (const std::string& region : {std::string("42"), moved, moved.substr(0, 2) + "01", moved + "02"}) {
      for (bool published_only : {false, true}) {
        lv1::GetRollupRequest get;
        get.set_name(absl::StrCat("regions/", region, "/rollups/", kYear));
        if (published_only) get.add_statuses(lv1::FILING_STATUS_PUBLISHED);
        lv1::Rollup rollup;
        grpc::Status status = api->GetRollup(gateway_->Context().get(), get, &rollup);
        EXPECT_TRUE(status.ok()) << get.name() << ": " << status.error_message();
        rollup.clear_read_time_unix_ms();
        seen.rollups[absl::StrCat(get.name(), published_only ? " published" : "")] = rollup.SerializeAsString();
      }
    }
    gv1::ExportFilingsRequest exported;
    exported.set_parent("regions/42");
    exported.set_fiscal_year(kYear);
    auto context = gateway_->Context(Role::kIntegrator);
    auto reader = api->ExportFilings(context.get(), exported);
    gv1::ExportFilingsResponse message;
    while (reader->Read(&message)) {
      if (message.has_filing()) seen.exported.push_back(message.filing().SerializeAsString());
    }
    grpc::Status finished = reader->Finish();
    EXPECT_TRUE(finished.ok()) << finished.error_message();
    gv1::WatchChangesRequest watch;
    watch.set_parent("regions/42");
    watch.set_wait_ms(300);
    auto watch_context = gateway_->Context(Role::kIntegrator);
    auto changes = api->WatchChanges(watch_context.get(), watch);
    gv1::WatchChangesResponse change;
    while (changes->Read(&change)) {
      if (!change.has_change()) continue;
      // Where in which log is the shards' business; what changed, when, is
      // the feed's.
      yusuan::common::v1::Change what = change.change();
      what.clear_sequence();
      seen.changes.insert(what.SerializeAsString());
    }
    EXPECT_TRUE(changes->Finish().ok());
    return seen;
  }

  // Waits until the gateway's log has said `needle` `count` times.
  bool WaitForLog(const std::string& needle, int count) {
    for (int i = 0; i < 100; ++i) {
      const std::string log = ReadFile(gateway_dir_.path() + "/sharded-gateway.log");
      int found = 0;
      for (size_t at = log.find(needle); at != std::string::npos; at = log.find(needle, at + 1)) ++found;
      if (found >= count) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  // The map of SetUp, with `moved` taken from north to "west" (when given)
  // and the frozen prefixes.
  std::string MapWith(Cluster* west, const std::string& moved, const std::vector<std::string>& frozen) {
    std::string map = ShardMapJson(*north_, *south_);
    map.pop_back();  // the closing brace
    map.pop_back();  // and bracket
    if (west != nullptr) {
      absl::StrAppend(&map, R"(, {"name": "west", "regions": [")", moved, R"("], "ledger": ")",
                      west->ledger().address(), R"(", "goals": ")", west->goals().address(), R"(", "report": ")",
                      west->report().address(), R"("})");
    }
    std::vector<std::string> quoted;
    for (const std::string& prefix : frozen) quoted.push_back("\"" + prefix + "\"");
    absl::StrAppend(&map, R"(], "frozen": [)", absl::StrJoin(quoted, ", "), "]}");
    return map;
  }

  std::unique_ptr<Cluster> Restore(const fs::path& backup, const std::string& dir, std::string* error) {
    std::string output;
    if (RunShell(std::string(YUSUAN_BIN_DIR) + "/yusuan admin restore --from " + backup.string() + " --data " + dir +
                     " --replace",
                 &output) != 0) {
      *error = output;
      return nullptr;
    }
    // The deployment's one key and internal secret, as south has.
    fs::create_directories(dir + "/keys");
    fs::create_directories(dir + "/secrets");
    fs::copy_file(north_->signing_key_path(), dir + "/keys/token-signing.key", fs::copy_options::overwrite_existing);
    fs::copy_file(north_->internal_secret_path(), dir + "/secrets/internal.secret",
                  fs::copy_options::overwrite_existing);
    auto cluster = std::make_unique<Cluster>(dir);
    if (!cluster->Start(error)) return nullptr;
    return cluster;
  }

  fs::path Backup(const std::string& name, std::string* output) {
    const fs::path to = fs::path(backups_.path()) / name;
    const int code =
        RunShell(absl::StrCat(YUSUAN_BIN_DIR, "/yusuan admin backup --to ", to.string(), " --ledger ",
                              north_->ledger().address(), " --goals ", north_->goals().address(), " --report ",
                              north_->report().address(), " --internal-secret-file ", north_->internal_secret_path()),
                 output);
    return code == 0 ? to : fs::path();
  }

  grpc::Status Step(const std::string& budget, lv1::WorkflowAction action, Role role) {
    lv1::TransitionBudgetRequest step;
    step.set_name(budget);
    step.set_action(action);
    step.set_request_id(absl::StrCat(budget, "-", lv1::WorkflowAction_Name(action)));
    lv1::BudgetVersion version;
    return gateway_->Api()->TransitionBudget(gateway_->Context(role).get(), step, &version);
  }

  TempDir west_dir_, backups_;
};

TEST_F(RegionMoveTest, ARegionMovesToARestoredShardAndReadersSeeNothingChange) {
  // The city of Hubei with the most budgets on north (not Wuhan) moves.
  std::map<std::string, std::vector<std::string>> by_city;
  for (const auto& [budget, region] : budgets_) {
    if (InNorth(region) && region.rfind("42", 0) == 0) by_city[region.substr(0, 4)].push_back(budget);
  }
  std::string moved;
  for (const auto& [city, budgets] : by_city) {
    if (moved.empty() || budgets.size() > by_city[moved].size()) moved = city;
  }
  ASSERT_FALSE(moved.empty());
  const std::vector<std::string>& in_city = by_city[moved];
  ASSERT_GE(in_city.size(), 3u) << moved;
  std::string elsewhere;  // a budget north keeps
  for (const auto& [budget, region] : budgets_) {
    if (InNorth(region) && region.rfind(moved, 0) != 0) elsewhere = budget;
  }
  ASSERT_FALSE(elsewhere.empty());
  // Published files to carry over, and a reviewer's queue.
  for (auto [action, role] : {std::pair{lv1::WORKFLOW_ACTION_SUBMIT, Role::kIntegrator},
                              std::pair{lv1::WORKFLOW_ACTION_APPROVE, Role::kReviewer},
                              std::pair{lv1::WORKFLOW_ACTION_PUBLISH, Role::kReviewer}}) {
    grpc::Status status = Step(in_city[0], action, role);
    ASSERT_TRUE(status.ok()) << lv1::WorkflowAction_Name(action) << ": " << status.error_message();
  }
  ASSERT_TRUE(Step(in_city[1], lv1::WORKFLOW_ACTION_SUBMIT, Role::kIntegrator).ok());

  // A backup taken before the freeze, and a change of the city after it:
  // that copy must not take the city.
  std::string output;
  const fs::path early = Backup("early", &output);
  ASSERT_FALSE(early.empty()) << output;
  ASSERT_TRUE(Step(in_city[2], lv1::WORKFLOW_ACTION_SUBMIT, Role::kIntegrator).ok());
  std::string error;
  std::unique_ptr<Cluster> west = Restore(early, west_dir_.path(), &error);
  ASSERT_NE(west, nullptr) << error;

  // Not frozen: refused as stranding data.
  WriteText(map_file_, MapWith(west.get(), moved, {}));
  ASSERT_TRUE(WaitForLog("freeze and move the region first", 1)) << gateway_->LogTail();

  // Frozen: reads go on, writes to the city wait, writes elsewhere do not.
  WriteText(map_file_, MapWith(nullptr, "", {moved}));
  ASSERT_TRUE(WaitForLog("shard map reloaded", 1)) << gateway_->LogTail();
  grpc::Status frozen = Step(in_city[2], lv1::WORKFLOW_ACTION_APPROVE, Role::kReviewer);
  EXPECT_EQ(frozen.error_code(), grpc::StatusCode::UNAVAILABLE) << frozen.error_message();
  EXPECT_NE(frozen.error_message().find("is being moved to another shard"), std::string::npos)
      << frozen.error_message();
  EXPECT_NE(frozen.error_message().find("正在迁往另一分片"), std::string::npos) << frozen.error_message();
  ASSERT_TRUE(Step(elsewhere, lv1::WORKFLOW_ACTION_SUBMIT, Role::kIntegrator).ok()) << "a region not frozen";
  {
    // REST says the same: 503, the reason, and the retry.
    httplib::Client http("127.0.0.1", gateway_->http_port());
    const httplib::Headers bearer = {
        {"Authorization", "Bearer " + TestToken(*north_, Role::kReviewer, "sharding-test")}};
    auto rest = http.Post("/v1/" + in_city[2] + ":approve", bearer, "", "application/json");
    ASSERT_TRUE(rest) << httplib::to_string(rest.error());
    EXPECT_EQ(rest->status, 503) << rest->body;
    EXPECT_NE(rest->body.find("REGION_MOVING"), std::string::npos) << rest->body;
    EXPECT_NE(rest->body.find("retry later"), std::string::npos) << rest->body;
    lv1::GetBudgetRequest get;
    get.set_name(in_city[2]);
    lv1::Budget unchanged;
    ASSERT_TRUE(gateway_->Api()->GetBudget(gateway_->Context().get(), get, &unchanged).ok());
    EXPECT_EQ(unchanged.status(), lv1::FILING_STATUS_SUBMITTED) << "a refused write changed the budget";
  }

  // The copy from before the freeze lacks the city's last change: refused.
  WriteText(map_file_, MapWith(west.get(), moved, {moved}));
  ASSERT_TRUE(WaitForLog("lacks the region's later changes", 1)) << gateway_->LogTail();
  // And a shard that is not a copy of north at all (south): refused.
  {
    std::string to_south = ShardMapJson(*north_, *south_);
    const std::string held = absl::StrCat(R"("4201", )");
    to_south.replace(to_south.find(held), held.size(), absl::StrCat(R"("4201", ")", moved, R"(", )"));
    to_south.pop_back();
    absl::StrAppend(&to_south, R"(, "frozen": [")", moved, R"("]})");
    WriteText(map_file_, to_south);
    ASSERT_TRUE(WaitForLog("was not restored from a backup of shard north", 1)) << gateway_->LogTail();
  }

  // A feed cursor of the city, read from north's log.
  gv1::WatchChangesRequest watch;
  watch.set_parent("regions/" + moved);
  watch.set_wait_ms(100);
  std::string city_cursor;
  {
    auto context = gateway_->Context(Role::kIntegrator);
    auto changes = gateway_->Api()->WatchChanges(context.get(), watch);
    gv1::WatchChangesResponse change;
    while (changes->Read(&change)) {
      if (change.has_change()) city_cursor = change.cursor();
    }
    ASSERT_TRUE(changes->Finish().ok());
  }
  ASSERT_FALSE(city_cursor.empty());

  // The procedure: back up north now the city is frozen, restore it as
  // west, give west the city.
  const Seen before = Look(moved);
  const fs::path after_freeze = Backup("after-freeze", &output);
  ASSERT_FALSE(after_freeze.empty()) << output;
  west.reset();
  west = Restore(after_freeze, west_dir_.path(), &error);
  ASSERT_NE(west, nullptr) << error;
  WriteText(map_file_, MapWith(west.get(), moved, {moved}));
  ASSERT_TRUE(WaitForLog("shard map reloaded", 2)) << gateway_->LogTail();

  const Seen after = Look(moved);
  EXPECT_EQ(after.budgets, before.budgets) << "a budget, its goals, versions or published files changed";
  EXPECT_EQ(after.hubei_by_one, before.hubei_by_one);
  EXPECT_EQ(after.hubei, before.hubei) << "regions/42 lost a department or lists one twice";
  EXPECT_EQ(after.moved, before.moved);
  EXPECT_EQ(after.submissions, before.submissions);
  EXPECT_EQ(after.published, before.published);
  EXPECT_EQ(after.exported, before.exported);
  EXPECT_EQ(after.changes, before.changes) << "the change feed of regions/42 differs";
  ASSERT_EQ(after.rollups.size(), before.rollups.size());
  for (const auto& [name, rollup] : before.rollups) {
    lv1::Rollup a, b;
    a.ParseFromString(rollup);
    b.ParseFromString(after.rollups.at(name));
    EXPECT_EQ(after.rollups.at(name), rollup)
        << name << "\nbefore: " << a.ShortDebugString() << "\nafter: " << b.ShortDebugString();
  }
  EXPECT_FALSE(before.published.empty());
  EXPECT_FALSE(before.submissions.empty());

  // A cursor from north's log is refused on west's, which shares its
  // identity: the feed must start again.
  {
    watch.set_after_cursor(city_cursor);
    auto context = gateway_->Context(Role::kIntegrator);
    auto changes = gateway_->Api()->WatchChanges(context.get(), watch);
    gv1::WatchChangesResponse change;
    while (changes->Read(&change)) {
    }
    grpc::Status refused = changes->Finish();
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << refused.error_message();
    EXPECT_NE(refused.error_message().find("the region moved"), std::string::npos) << refused.error_message();
  }

  // Unfrozen: the city's writes go to west; north keeps its old copy,
  // which nothing reads.
  WriteText(map_file_, MapWith(west.get(), moved, {}));
  ASSERT_TRUE(WaitForLog("shard map reloaded", 3)) << gateway_->LogTail();
  grpc::Status approved = Step(in_city[2], lv1::WORKFLOW_ACTION_APPROVE, Role::kReviewer);
  ASSERT_TRUE(approved.ok()) << approved.error_message();
  lv1::GetBudgetRequest get;
  get.set_name(in_city[2]);
  lv1::Budget on_west, on_north, through_gateway;
  ASSERT_TRUE(PublicApi::NewStub(west->GatewayChannel())->GetBudget(ContextOf(*west).get(), get, &on_west).ok());
  ASSERT_TRUE(PublicApi::NewStub(north_->GatewayChannel())->GetBudget(ContextOf(*north_).get(), get, &on_north).ok());
  ASSERT_TRUE(gateway_->Api()->GetBudget(gateway_->Context().get(), get, &through_gateway).ok());
  EXPECT_EQ(on_west.status(), lv1::FILING_STATUS_APPROVED);
  EXPECT_EQ(on_north.status(), lv1::FILING_STATUS_SUBMITTED) << "the write went to the old shard";
  EXPECT_EQ(through_gateway.status(), lv1::FILING_STATUS_APPROVED);
  int pages = 0;
  EXPECT_EQ(ListAll(*gateway_->Api(), *gateway_, "regions/42", 1000, &pages), before.hubei);
  lv1::GetRollupRequest rollup;
  rollup.set_name(absl::StrCat("regions/42/rollups/", kYear));
  rollup.add_statuses(lv1::FILING_STATUS_APPROVED);
  lv1::Rollup approved_sum;
  ASSERT_TRUE(gateway_->Api()->GetRollup(gateway_->Context().get(), rollup, &approved_sum).ok());
  EXPECT_EQ(approved_sum.budget_count(), 1) << "the approval counts once, on west";

  // Back again is refused: north's log has the same identity as west's,
  // but each has taken writes of its own since the copy, so north's old
  // copy of the city lacks west's approval, whatever the numbers say.
  ASSERT_TRUE(Step(elsewhere, lv1::WORKFLOW_ACTION_APPROVE, Role::kReviewer).ok());
  WriteText(map_file_, MapWith(west.get(), moved, {moved}));
  ASSERT_TRUE(WaitForLog("shard map reloaded", 4)) << gateway_->LogTail();
  std::string back = MapWith(west.get(), moved, {moved});
  const std::string west_entry = back.substr(back.find(R"(, {"name": "west")"));
  back.erase(back.find(R"(, {"name": "west")"), west_entry.find('}') + 1);
  WriteText(map_file_, back);
  ASSERT_TRUE(WaitForLog("has parted from shard west", 1)) << gateway_->LogTail() << "\n" << back;
  ASSERT_TRUE(gateway_->Api()->GetBudget(gateway_->Context().get(), get, &through_gateway).ok());
  EXPECT_EQ(through_gateway.status(), lv1::FILING_STATUS_APPROVED) << "the refused map routes the city to north";
}

}  // namespace
}  // namespace yusuan::testing
