// Export → import of a published region (issue 14): the budgets published in
// one system (the reference department, a sibling, and generated departments
// of other sectors), exported with ExportFilings(published) and imported into
// another, render there the files the first one published, byte for byte
// (every format whose bytes carry no publish time: HTML, Markdown and the
// open-data CSV; the open-data JSON is the same but for the publish time it
// records, and the PDF's and XLSX's document time is their publication's).
#include <httplib.h>

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/common/sha256.h"
#include "services/ledger/domain/catalogue.h"
#include "services/security/token.h"
#include "tests/integration/harness.h"
#include "tools/synth/synth.h"
#include "yusuan/gateway/v1/gateway.grpc.pb.h"

namespace yusuan::testing {
namespace {

using yusuan::gateway::v1::Filing;
using yusuan::gateway::v1::PublicApi;
using yusuan::security::Role;
namespace gv1 = yusuan::gateway::v1;
namespace lv1 = yusuan::ledger::v1;
namespace rv1 = yusuan::report::v1;

std::unique_ptr<grpc::ClientContext> Context(const Cluster& cluster, Role role) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
  context->AddMetadata("authorization", "Bearer " + TestToken(cluster, role, "published-export"));
  return context;
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

std::string Apply(Cluster& cluster, const Filing& filing) {
  auto api = PublicApi::NewStub(cluster.GatewayChannel());
  gv1::ApplyFilingRequest apply;
  *apply.mutable_filing() = filing;
  gv1::ApplyFilingResponse applied;
  grpc::Status status = api->ApplyFiling(Context(cluster, Role::kIntegrator).get(), apply, &applied);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return applied.budget().name();
}

// Removes `key` wherever it occurs; how many it removed.
int WithoutKey(nlohmann::json& node, const std::string& key) {
  int removed = 0;
  if (node.is_object()) removed += static_cast<int>(node.erase(key));
  if (node.is_object() || node.is_array()) {
    for (nlohmann::json& child : node) removed += WithoutKey(child, key);
  }
  return removed;
}

// The reference filing as another department of the same district.
Filing Sibling(const Filing& reference, const std::string& agency, const std::string& full_name) {
  Filing filing = reference;
  filing.mutable_department()->clear_name();
  filing.mutable_department()->set_agency_code(agency);
  filing.mutable_department()->set_full_name(full_name);
  filing.mutable_budget()->clear_name();
  filing.mutable_goals()->clear_name();
  return filing;
}

TEST(PublishedExport, ARegionExportedAndImportedElsewhereRendersThePublishedFilesByteForByte) {
  TempDir dir_a, dir_b;
  Cluster a(dir_a.path()), b(dir_b.path());
  std::string error;
  ASSERT_TRUE(a.Start(&error)) << error;
  ASSERT_TRUE(b.Start(&error)) << error;

  Filing reference;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(ReadFile(SampleFilingPath()), &reference).ok());
  std::vector<std::string> published = {Apply(a, reference),
                                        Apply(a, Sibling(reference, "005001023", "武汉市青山区科学技术局"))};
  // Generated departments of other sectors, in their own districts.
  absl::StatusOr<ledger::CatalogueSet> catalogues =
      ledger::CatalogueSet::LoadFromDirectory(std::string(YUSUAN_SOURCE_DIR) + "/data/catalogue");
  ASSERT_TRUE(catalogues.ok()) << catalogues.status();
  synth::SynthOptions options;
  options.seed = 16;
  options.year = reference.budget().fiscal_year();
  absl::StatusOr<synth::Synthesizer> synthesizer = synth::Synthesizer::Create(*catalogues, options);
  ASSERT_TRUE(synthesizer.ok()) << synthesizer.status();
  std::set<std::string> regions = {reference.department().region_code()};
  for (int i : {3, 11}) {
    absl::StatusOr<Filing> generated = synthesizer->Synthesize(i);
    ASSERT_TRUE(generated.ok()) << generated.status();
    regions.insert(generated->department().region_code());
    published.push_back(Apply(a, *generated));
  }
  const std::string draft = Apply(a, Sibling(reference, "005001024", "武汉市青山区档案馆"));
  for (const std::string& budget : published) {
    Step(a, budget, lv1::WORKFLOW_ACTION_SUBMIT, Role::kIntegrator);
    Step(a, budget, lv1::WORKFLOW_ACTION_APPROVE, Role::kReviewer);
    Step(a, budget, lv1::WORKFLOW_ACTION_PUBLISH, Role::kReviewer);
  }
  // A published budget amended since: the export gives what was published.
  Filing amended = reference;
  amended.mutable_department()->set_contact_phone(reference.department().contact_phone());
  amended.mutable_budget()->mutable_narrative()->set_general_budget_change_reason("修订后的说明");
  ASSERT_EQ(Apply(a, amended), published[0]);

  // Export the published budgets of each district over REST.
  httplib::Client http_a("127.0.0.1", a.gateway_http_port());
  http_a.set_read_timeout(std::chrono::seconds(120));
  const httplib::Headers reviewer = {{"Authorization", "Bearer " + TestToken(a, Role::kReviewer, "export")}};
  std::vector<gv1::ExportFilingsResponse> lines;
  std::string ndjson;
  for (const std::string& region : regions) {
    auto exported =
        http_a.Get(absl::StrCat("/v1/regions/", region, "/filings:export?year=", reference.budget().fiscal_year(),
                                "&published=true"),
                   reviewer);
    ASSERT_TRUE(exported) << httplib::to_string(exported.error());
    ASSERT_EQ(exported->status, 200) << exported->body;
    for (absl::string_view line : absl::StrSplit(exported->body, '\n', absl::SkipEmpty())) {
      gv1::ExportFilingsResponse one;
      ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(std::string(line), &one).ok()) << line;
      std::string filing_json;
      ASSERT_TRUE(google::protobuf::util::MessageToJsonString(one.filing(), &filing_json).ok());
      absl::StrAppend(&ndjson, filing_json, "\n");
      lines.push_back(one);
    }
  }
  ASSERT_EQ(lines.size(), published.size()) << "the draft " << draft << " is not exported";
  for (const gv1::ExportFilingsResponse& one : lines) {
    EXPECT_EQ(one.published().version(), 3) << one.filing().budget().name();
    EXPECT_GT(one.published().publish_time_unix_ms(), 0);
    EXPECT_GE(one.published().artifacts_size(), 4) << one.filing().budget().name();
  }
  for (const gv1::ExportFilingsResponse& one : lines) {
    EXPECT_NE(one.filing().budget().narrative().general_budget_change_reason(), "修订后的说明")
        << "the amendment is not what was published";
  }

  // Import into the other system.
  httplib::Client http_b("127.0.0.1", b.gateway_http_port());
  http_b.set_read_timeout(std::chrono::seconds(120));
  const httplib::Headers integrator = {{"Authorization", "Bearer " + TestToken(b, Role::kIntegrator, "import")}};
  auto imported = http_b.Post("/v1/filings:import", integrator, ndjson, "application/x-ndjson");
  ASSERT_TRUE(imported);
  ASSERT_EQ(imported->status, 200) << imported->body;
  for (absl::string_view line : absl::StrSplit(imported->body, '\n', absl::SkipEmpty())) {
    gv1::ImportFilingsResponse answer;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(std::string(line), &answer).ok()) << line;
    EXPECT_EQ(answer.outcome(), gv1::ImportFilingsResponse::OUTCOME_APPLIED) << line;
  }

  // Rendered there, each file is the one published here.
  auto api_b = PublicApi::NewStub(b.GatewayChannel());
  const std::set<rv1::Format> identical = {rv1::FORMAT_HTML, rv1::FORMAT_MARKDOWN, rv1::FORMAT_CSV};
  auto api_a = PublicApi::NewStub(a.GatewayChannel());
  int compared = 0;
  for (const gv1::ExportFilingsResponse& one : lines) {
    for (const rv1::Artifact& published_file : one.published().artifacts()) {
      const rv1::Format format = published_file.format();
      if (!identical.count(format) && format != rv1::FORMAT_JSON) continue;
      gv1::RenderReportRequest render;
      render.set_name(one.filing().budget().name());
      render.set_format(format);
      rv1::Artifact rendered;
      grpc::Status status = api_b->RenderReport(Context(b, Role::kReviewer).get(), render, &rendered);
      ASSERT_TRUE(status.ok()) << status.error_message();
      ++compared;
      if (identical.count(format)) {
        EXPECT_EQ(Sha256Hex(rendered.content()), published_file.sha256_hex())
            << one.filing().budget().name() << " " << rv1::Format_Name(format);
        continue;
      }
      // The open data records when it was published; all else is the same.
      rv1::GetPublishedRequest get;
      get.set_budget_name(one.filing().budget().name());
      get.set_format(format);
      rv1::PublishedDisclosure original;
      ASSERT_TRUE(api_a->GetPublished(Context(a, Role::kReviewer).get(), get, &original).ok());
      ASSERT_EQ(original.artifacts_size(), 1);
      nlohmann::json there = nlohmann::json::parse(original.artifacts(0).content(), nullptr, false);
      nlohmann::json here = nlohmann::json::parse(rendered.content(), nullptr, false);
      ASSERT_TRUE(there.is_object() && here.is_object());
      EXPECT_GT(WithoutKey(there, "publish_time_unix_ms"), 0) << "the published JSON records its time";
      EXPECT_EQ(WithoutKey(here, "publish_time_unix_ms"), 0);
      EXPECT_EQ(there.dump(), here.dump()) << one.filing().budget().name();
    }
  }
  EXPECT_EQ(compared, 4 * static_cast<int>(published.size()));
}

}  // namespace
}  // namespace yusuan::testing
