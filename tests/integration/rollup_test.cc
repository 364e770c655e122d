// Region roll-ups (issue 14) over 2,000 generated departments of one year,
// some submitted and some approved: the totals of a district, its city and
// its province, for every state and for one state at a time, equal sums the
// test computes itself from the filings (amounts line by line, 机关运行经费
// from the ledger's own projections); REST answers what gRPC answers, and
// as CSV and XLSX.
#include <httplib.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
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
#include "services/common/money.h"
#include "services/ledger/domain/catalogue.h"
#include "services/ledger/domain/projections.h"
#include "services/security/token.h"
#include "tests/integration/harness.h"
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

constexpr int kYear = 2024;
constexpr int kDepartments = 2000;

// What a set of filings adds up to, counted here line by line.
struct Sums {
  int64_t count = 0, income = 0, expenditure = 0, basic = 0, project = 0, machinery = 0;
  int64_t overseas = 0, vehicle_purchase = 0, vehicle_operation = 0, reception = 0;
  std::map<std::string, int64_t> functional, economic, income_by_source, expenditure_by_source, by_kind;

  void Add(const Filing& filing, int64_t machinery_operating) {
    const lv1::Budget& budget = filing.budget();
    ++count;
    for (const lv1::IncomeLine& line : budget.income_lines()) {
      income += line.amount_fen();
      income_by_source[lv1::FundSource_Name(line.source())] += line.amount_fen();
    }
    for (const lv1::ExpenditureLine& line : budget.expenditure_lines()) {
      const int64_t amount = line.amount_fen();
      expenditure += amount;
      functional[line.functional_code().substr(0, 3)] += amount;
      functional[line.functional_code().substr(0, 5)] += amount;
      if (line.functional_code().size() == 7) functional[line.functional_code()] += amount;
      economic[line.economic_code().substr(0, 3)] += amount;
      economic[line.economic_code()] += amount;
      expenditure_by_source[lv1::FundSource_Name(line.fund_source())] += amount;
      by_kind[lv1::ExpenditureKind_Name(line.kind())] += amount;
      if (line.kind() == lv1::EXPENDITURE_KIND_BASIC_PERSONNEL || line.kind() == lv1::EXPENDITURE_KIND_BASIC_PUBLIC) {
        basic += amount;
      }
      if (line.kind() == lv1::EXPENDITURE_KIND_PROJECT) project += amount;
    }
    machinery += machinery_operating;
    const lv1::ThreePublicCosts& costs = budget.three_public().current();
    overseas += costs.overseas_fen();
    vehicle_purchase += costs.vehicle_purchase_fen();
    vehicle_operation += costs.vehicle_operation_fen();
    reception += costs.reception_fen();
  }
};

std::map<std::string, int64_t> NonZero(const std::map<std::string, int64_t>& amounts) {
  std::map<std::string, int64_t> out;
  for (const auto& [key, amount] : amounts) {
    if (amount != 0) out[key] = amount;
  }
  return out;
}

std::map<std::string, int64_t> Rows(const google::protobuf::RepeatedPtrField<lv1::RollupRow>& rows) {
  std::map<std::string, int64_t> out;
  for (const lv1::RollupRow& row : rows) {
    EXPECT_EQ(out.count(row.code()), 0u) << "row " << row.code() << " twice";
    out[row.code()] = row.amount_fen();
  }
  return out;
}

void ExpectRollupIs(const lv1::Rollup& got, const Sums& want, const std::string& what) {
  SCOPED_TRACE(what);
  EXPECT_EQ(got.budget_count(), want.count);
  EXPECT_EQ(got.income_fen(), want.income);
  EXPECT_EQ(got.expenditure_fen(), want.expenditure);
  EXPECT_EQ(got.basic_fen(), want.basic);
  EXPECT_EQ(got.project_fen(), want.project);
  EXPECT_EQ(got.machinery_operating_fen(), want.machinery);
  EXPECT_EQ(got.three_public().overseas_fen(), want.overseas);
  EXPECT_EQ(got.three_public().vehicle_purchase_fen(), want.vehicle_purchase);
  EXPECT_EQ(got.three_public().vehicle_operation_fen(), want.vehicle_operation);
  EXPECT_EQ(got.three_public().reception_fen(), want.reception);
  EXPECT_EQ(got.three_public().total_fen(),
            want.overseas + want.vehicle_purchase + want.vehicle_operation + want.reception);
  EXPECT_EQ(Rows(got.functional()), NonZero(want.functional));
  EXPECT_EQ(Rows(got.economic()), NonZero(want.economic));
  EXPECT_EQ(Rows(got.income_by_source()), NonZero(want.income_by_source));
  EXPECT_EQ(Rows(got.expenditure_by_source()), NonZero(want.expenditure_by_source));
  EXPECT_EQ(Rows(got.expenditure_by_kind()), NonZero(want.by_kind));
}

class RollupTest : public SharedClusterTest<RollupTest> {
 protected:
  static std::unique_ptr<grpc::ClientContext> Context(Role role = Role::kIntegrator) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(600));
    context->AddMetadata("authorization", "Bearer " + TestToken(*cluster_, role, "rollup-test"));
    return context;
  }

  // Streams every filing through ImportFilings, reading the answers on
  // another thread while writing.
  static std::vector<ImportFilingsResponse> Import(const std::vector<Filing>& filings) {
    auto api = PublicApi::NewStub(cluster_->GatewayChannel());
    auto context = Context();
    auto stream = api->ImportFilings(context.get());
    std::vector<ImportFilingsResponse> answers;
    std::thread reader([&] {
      ImportFilingsResponse answer;
      while (stream->Read(&answer)) answers.push_back(answer);
    });
    for (size_t i = 0; i < filings.size(); ++i) {
      ImportFilingsRequest request;
      *request.mutable_filing() = filings[i];
      if (i == 0) request.set_request_id("rollup-import");
      if (!stream->Write(request)) break;
    }
    stream->WritesDone();
    reader.join();
    grpc::Status status = stream->Finish();
    EXPECT_TRUE(status.ok()) << status.error_message();
    return answers;
  }

  static void Step(const std::string& budget, lv1::WorkflowAction action, Role role) {
    auto api = PublicApi::NewStub(cluster_->GatewayChannel());
    lv1::TransitionBudgetRequest step;
    step.set_name(budget);
    step.set_action(action);
    lv1::BudgetVersion version;
    grpc::Status status = api->TransitionBudget(Context(role).get(), step, &version);
    ASSERT_TRUE(status.ok()) << budget << " " << lv1::WorkflowAction_Name(action) << ": " << status.error_message();
  }

  static lv1::Rollup Rollup(const std::string& prefix, const std::vector<lv1::FilingStatus>& statuses,
                            Role role = Role::kReviewer) {
    auto api = PublicApi::NewStub(cluster_->GatewayChannel());
    lv1::GetRollupRequest get;
    get.set_name(absl::StrCat("regions/", prefix, "/rollups/", kYear));
    for (lv1::FilingStatus status : statuses) get.add_statuses(status);
    lv1::Rollup rollup;
    grpc::Status status = api->GetRollup(Context(role).get(), get, &rollup);
    EXPECT_TRUE(status.ok()) << prefix << ": " << status.error_message();
    return rollup;
  }
};

TEST_F(RollupTest, TwoThousandDepartmentsAddUpForADistrictACityAndTheProvince) {
  absl::StatusOr<ledger::CatalogueSet> catalogues =
      ledger::CatalogueSet::LoadFromDirectory(std::string(YUSUAN_SOURCE_DIR) + "/data/catalogue");
  ASSERT_TRUE(catalogues.ok()) << catalogues.status();
  const ledger::Catalogue* catalogue = catalogues->Find(kYear);
  ASSERT_NE(catalogue, nullptr);
  synth::SynthOptions options;
  options.seed = 14;
  options.year = kYear;
  absl::StatusOr<synth::Synthesizer> synthesizer = synth::Synthesizer::Create(*catalogues, options);
  ASSERT_TRUE(synthesizer.ok()) << synthesizer.status();
  std::vector<Filing> filings;
  for (int i = 0; i < kDepartments; ++i) {
    absl::StatusOr<Filing> filing = synthesizer->Synthesize(i);
    ASSERT_TRUE(filing.ok()) << filing.status();
    filings.push_back(*std::move(filing));
  }

  const std::vector<ImportFilingsResponse> answers = Import(filings);
  ASSERT_EQ(answers.size(), filings.size());
  for (size_t i = 0; i < answers.size(); ++i) {
    ASSERT_EQ(answers[i].outcome(), ImportFilingsResponse::OUTCOME_APPLIED)
        << "filing " << i << ": " << answers[i].error().message();
  }

  // Every 10th submitted, every 20th of those approved: three states.
  std::vector<lv1::FilingStatus> state(filings.size(), lv1::FILING_STATUS_DRAFT);
  for (size_t i = 0; i < filings.size(); i += 10) {
    Step(filings[i].budget().name(), lv1::WORKFLOW_ACTION_SUBMIT, Role::kIntegrator);
    state[i] = lv1::FILING_STATUS_SUBMITTED;
    if (i % 20 == 0) {
      Step(filings[i].budget().name(), lv1::WORKFLOW_ACTION_APPROVE, Role::kReviewer);
      state[i] = lv1::FILING_STATUS_APPROVED;
    }
  }

  // The district with the most departments, its city and its province.
  std::map<std::string, int> per_district;
  for (const Filing& filing : filings) ++per_district[filing.department().region_code()];
  std::string district;
  for (const auto& [code, count] : per_district) {
    if (district.empty() || count > per_district[district]) district = code;
  }
  ASSERT_EQ(district.size(), 6u);
  const std::vector<std::string> prefixes = {district, district.substr(0, 4), district.substr(0, 2)};

  std::vector<int64_t> machinery(filings.size());
  for (size_t i = 0; i < filings.size(); ++i) {
    absl::StatusOr<lv1::BudgetTables> tables =
        ledger::ComputeTables(filings[i].department(), filings[i].budget(), *catalogue);
    ASSERT_TRUE(tables.ok()) << tables.status();
    machinery[i] = tables->summary().machinery_operating_fen();
  }
  const std::vector<std::vector<lv1::FilingStatus>> selections = {
      {},
      {lv1::FILING_STATUS_DRAFT},
      {lv1::FILING_STATUS_SUBMITTED},
      {lv1::FILING_STATUS_APPROVED},
      {lv1::FILING_STATUS_SUBMITTED, lv1::FILING_STATUS_APPROVED}};
  for (const std::string& prefix : prefixes) {
    for (const auto& statuses : selections) {
      Sums want;
      for (size_t i = 0; i < filings.size(); ++i) {
        const bool in_region = absl::StartsWith(filings[i].department().region_code(), prefix);
        const bool counted =
            statuses.empty() || std::find(statuses.begin(), statuses.end(), state[i]) != statuses.end();
        if (in_region && counted) want.Add(filings[i], machinery[i]);
      }
      std::string what = absl::StrCat("regions/", prefix, " states");
      for (lv1::FilingStatus status : statuses) absl::StrAppend(&what, " ", lv1::FilingStatus_Name(status));
      ExpectRollupIs(Rollup(prefix, statuses), want, what);
      if (statuses.empty()) {
        EXPECT_GT(want.count, 0) << what;
      }
    }
  }
  EXPECT_EQ(Rollup(district.substr(0, 2), {}).budget_count(),
            std::count_if(filings.begin(), filings.end(), [&](const Filing& f) {
              return absl::StartsWith(f.department().region_code(), district.substr(0, 2));
            }));
  // A region with no department has a roll-up of nothing, not an error.
  EXPECT_EQ(Rollup("99", {}).budget_count(), 0);

  // REST answers the same, and as files.
  httplib::Client http("127.0.0.1", cluster_->gateway_http_port());
  http.set_read_timeout(std::chrono::seconds(60));
  const httplib::Headers headers = {{"Authorization", "Bearer " + TestToken(*cluster_, Role::kReviewer, "rollup")}};
  const std::string path = absl::StrCat("/v1/regions/", prefixes[1], "/rollups/", kYear);
  auto json = http.Get(path + "?status=submitted,approved", headers);
  ASSERT_TRUE(json) << httplib::to_string(json.error());
  ASSERT_EQ(json->status, 200) << json->body;
  lv1::Rollup from_rest;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json->body, &from_rest).ok()) << json->body;
  lv1::Rollup from_grpc = Rollup(prefixes[1], {lv1::FILING_STATUS_SUBMITTED, lv1::FILING_STATUS_APPROVED});
  from_rest.clear_read_time_unix_ms();
  from_grpc.clear_read_time_unix_ms();
  EXPECT_EQ(from_rest.SerializeAsString(), from_grpc.SerializeAsString());

  auto csv = http.Get(path + "/report", headers);
  ASSERT_TRUE(csv);
  ASSERT_EQ(csv->status, 200) << csv->body;
  EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  const std::string expenditure_row =
      absl::StrCat("summary,expenditure,支出合计,0,", FormatYuan(Rollup(prefixes[1], {}).expenditure_fen()), ",",
                   Rollup(prefixes[1], {}).expenditure_fen(), ",", prefixes[1], ",", kYear,
                   ",DRAFT|SUBMITTED|RETURNED|APPROVED|PUBLISHED,");
  EXPECT_NE(csv->body.find(expenditure_row), std::string::npos) << csv->body.substr(0, 600);
  auto xlsx = http.Get(path + "/report?format=xlsx&status=approved", headers);
  ASSERT_TRUE(xlsx);
  ASSERT_EQ(xlsx->status, 200) << xlsx->body;
  EXPECT_EQ(xlsx->get_header_value("Content-Type"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(xlsx->body.substr(0, 2), "PK");
  EXPECT_NE(xlsx->get_header_value("Content-Disposition").find(absl::StrCat("rollup-", prefixes[1], "-", kYear)),
            std::string::npos);
  auto refused = http.Get(path + "?status=finished", headers);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  EXPECT_NE(refused->body.find("finished"), std::string::npos) << refused->body;
  auto pdf = http.Get(path + "/report?format=pdf", headers);
  ASSERT_TRUE(pdf);
  EXPECT_EQ(pdf->status, 400);

  // The CLI prints the same totals, and writes the file.
  {
    const std::string cli = absl::StrCat(YUSUAN_BIN_DIR, "/yusuan --gateway ", cluster_->gateway_grpc(), " --token '",
                                         TestToken(*cluster_, Role::kReviewer, "rollup-cli"), "' rollup regions/",
                                         prefixes[1], " --year ", kYear, " --status submitted,approved");
    auto run = [](const std::string& command, std::string* output) {
      FILE* pipe = popen((command + " 2>&1").c_str(), "r");
      if (pipe == nullptr) return -1;
      char buffer[4096];
      for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) output->append(buffer, n);
      const int status = pclose(pipe);
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    };
    std::string json_out;
    ASSERT_EQ(run(cli + " --json", &json_out), 0) << json_out;
    lv1::Rollup from_cli;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json_out, &from_cli).ok()) << json_out;
    from_cli.clear_read_time_unix_ms();
    EXPECT_EQ(from_cli.SerializeAsString(), from_grpc.SerializeAsString());
    std::string table;
    ASSERT_EQ(run(cli, &table), 0) << table;
    EXPECT_NE(table.find(FormatWanYuan(from_grpc.expenditure_fen())), std::string::npos) << table;
    const std::string file = absl::StrCat(dir_->path(), "/rollup.xlsx");
    std::string wrote;
    ASSERT_EQ(run(cli + " --format xlsx -o " + file, &wrote), 0) << wrote;
    EXPECT_NE(wrote.find(file), std::string::npos) << wrote;
    EXPECT_EQ(ReadFile(file).substr(0, 2), "PK");
    std::string refused_cli;
    EXPECT_EQ(run(cli + " --format pdf", &refused_cli), 2) << refused_cli;
  }

  // A preparer of one department may not see the region's totals.
  auto api = PublicApi::NewStub(cluster_->GatewayChannel());
  lv1::GetRollupRequest get;
  get.set_name(absl::StrCat("regions/", prefixes[1], "/rollups/", kYear));
  lv1::Rollup denied;
  EXPECT_EQ(api->GetRollup(Context(Role::kPreparer).get(), get, &denied).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace yusuan::testing
