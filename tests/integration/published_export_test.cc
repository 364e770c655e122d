// Export → import of a published region (issue 14): the budgets published in
// one system (the reference department, a sibling, and generated departments
// of other sectors), exported with ExportFilings(published) and imported into
// another, render there the files the first one published, byte for byte:
// HTML, Markdown and the open-data CSV as they are (the JSON then differs
// only in the publish time it records), and every format, PDF and XLSX
// included, when rendered with the exported publish time.
// And the region as open data (format CSV): each budget's rows are its own
// CSV's (the published file's, with `published`), over gRPC, REST pages and
// the files `yusuan export --format csv` writes, resumed or not.
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/common/open_data.h"
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

  // Rendered as published at the exported time, every published file —
  // PDF, XLSX, the JSON and the datapackage too — is the same byte for byte.
  std::set<rv1::Format> formats_compared;
  for (const gv1::ExportFilingsResponse& one : lines) {
    for (const rv1::Artifact& published_file : one.published().artifacts()) {
      gv1::RenderReportRequest render;
      render.set_name(one.filing().budget().name());
      render.set_format(published_file.format());
      render.set_publish_time_unix_ms(one.published().publish_time_unix_ms());
      rv1::Artifact rendered;
      grpc::Status status = api_b->RenderReport(Context(b, Role::kReviewer).get(), render, &rendered);
      ASSERT_TRUE(status.ok()) << status.error_message();
      EXPECT_EQ(Sha256Hex(rendered.content()), published_file.sha256_hex())
          << one.filing().budget().name() << " " << rv1::Format_Name(published_file.format());
      formats_compared.insert(published_file.format());
    }
  }
  EXPECT_TRUE(formats_compared.count(rv1::FORMAT_PDF) && formats_compared.count(rv1::FORMAT_XLSX) &&
              formats_compared.count(rv1::FORMAT_JSON))
      << formats_compared.size() << " formats";
  // Over REST the same, and a time that is not one is refused naming it.
  const rv1::Artifact* pdf = nullptr;
  for (const rv1::Artifact& file : lines[0].published().artifacts()) {
    if (file.format() == rv1::FORMAT_PDF) pdf = &file;
  }
  ASSERT_NE(pdf, nullptr);
  const httplib::Headers reviewer_b = {{"Authorization", "Bearer " + TestToken(b, Role::kReviewer, "render")}};
  const std::string report = absl::StrCat("/v1/", lines[0].filing().budget().name(), "/report?format=pdf");
  auto as_published = http_b.Get(
      absl::StrCat(report, "&publish_time_unix_ms=", lines[0].published().publish_time_unix_ms()), reviewer_b);
  ASSERT_TRUE(as_published);
  ASSERT_EQ(as_published->status, 200) << as_published->body;
  EXPECT_EQ(as_published->get_header_value("X-Content-SHA256"), pdf->sha256_hex());
  // The time is the document's: a second later is another file.
  auto later = http_b.Get(
      absl::StrCat(report, "&publish_time_unix_ms=", lines[0].published().publish_time_unix_ms() + 1000), reviewer_b);
  ASSERT_TRUE(later);
  ASSERT_EQ(later->status, 200) << later->body;
  EXPECT_NE(later->get_header_value("X-Content-SHA256"), pdf->sha256_hex());
  auto too_late = http_b.Get(absl::StrCat(report, "&publish_time_unix_ms=253402300800000"), reviewer_b);
  ASSERT_TRUE(too_late);
  EXPECT_EQ(too_late->status, 400);
  EXPECT_NE(too_late->body.find("publish_time_unix_ms"), std::string::npos) << too_late->body;
}

// The CLI against the cluster's gateway with a reviewer's token.
int RunCli(const Cluster& cluster, const std::string& args, std::string* output) {
  return RunCliAt(cluster.gateway_grpc(), TestToken(cluster, Role::kReviewer, "cli"), args, output);
}

std::vector<gv1::ExportFilingsResponse> ExportOpenData(Cluster& cluster, const std::string& region, int year,
                                                       bool published) {
  auto api = PublicApi::NewStub(cluster.GatewayChannel());
  gv1::ExportFilingsRequest request;
  request.set_parent("regions/" + region);
  request.set_fiscal_year(year);
  request.set_published(published);
  request.set_format(gv1::EXPORT_FORMAT_CSV);
  auto context = Context(cluster, Role::kReviewer);
  auto stream = api->ExportFilings(context.get(), request);
  std::vector<gv1::ExportFilingsResponse> answers;
  gv1::ExportFilingsResponse one;
  while (stream->Read(&one)) answers.push_back(one);
  grpc::Status status = stream->Finish();
  EXPECT_TRUE(status.ok()) << status.error_message();
  return answers;
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  ASSERT_TRUE(out.good()) << path;
}

// The fields of a budgets.csv row (no field of these tests is quoted).
std::vector<std::string> Fields(const std::string& row) { return absl::StrSplit(absl::StripSuffix(row, "\r\n"), ','); }

TEST(PublishedExport, TheRegionAsOpenDataHoldsEachBudgetsOwnCsvAndWithPublishedThePublishedFiles) {
  TempDir dir;
  Cluster a(dir.path());
  std::string error;
  ASSERT_TRUE(a.Start(&error)) << error;
  Filing reference;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(ReadFile(SampleFilingPath()), &reference).ok());
  const int year = reference.budget().fiscal_year();
  const std::string province = reference.department().region_code().substr(0, 2);
  std::vector<std::string> budgets = {Apply(a, reference),
                                      Apply(a, Sibling(reference, "005001023", "武汉市青山区科学技术局"))};
  absl::StatusOr<ledger::CatalogueSet> catalogues =
      ledger::CatalogueSet::LoadFromDirectory(std::string(YUSUAN_SOURCE_DIR) + "/data/catalogue");
  ASSERT_TRUE(catalogues.ok()) << catalogues.status();
  synth::SynthOptions options;
  options.seed = 23;
  options.year = year;
  absl::StatusOr<synth::Synthesizer> synthesizer = synth::Synthesizer::Create(*catalogues, options);
  ASSERT_TRUE(synthesizer.ok()) << synthesizer.status();
  for (int i : {2, 7, 13}) {
    absl::StatusOr<Filing> generated = synthesizer->Synthesize(i);
    ASSERT_TRUE(generated.ok()) << generated.status();
    ASSERT_EQ(generated->department().region_code().substr(0, 2), province) << "the test exports one province";
    budgets.push_back(Apply(a, *generated));
  }
  const std::set<std::string> published = {budgets[0], budgets[3]};
  for (const std::string& budget : published) {
    Step(a, budget, lv1::WORKFLOW_ACTION_SUBMIT, Role::kIntegrator);
    Step(a, budget, lv1::WORKFLOW_ACTION_APPROVE, Role::kReviewer);
    Step(a, budget, lv1::WORKFLOW_ACTION_PUBLISH, Role::kReviewer);
  }
  // Amended since it was published: its current CSV names a later revision.
  Filing amended = reference;
  amended.mutable_budget()->mutable_narrative()->set_general_budget_change_reason("修订后的说明");
  ASSERT_EQ(Apply(a, amended), budgets[0]);

  auto api = PublicApi::NewStub(a.GatewayChannel());
  const std::string lines_header = open_data::LedgerLineCsvHeader();

  // The current filings: each budget's rows are its RenderReport CSV's.
  std::vector<gv1::ExportFilingsResponse> current = ExportOpenData(a, province, year, /*published=*/false);
  ASSERT_EQ(current.size(), budgets.size());
  std::map<std::string, std::string> current_rows;
  for (const gv1::ExportFilingsResponse& one : current) {
    EXPECT_FALSE(one.has_filing()) << "open data comes without the filing";
    const std::vector<std::string> row = Fields(one.budget_csv());
    ASSERT_EQ(row.size(), open_data::ExportedBudgetColumns().size()) << one.budget_csv();
    const std::string& budget = row[0];
    gv1::RenderReportRequest render;
    render.set_name(budget);
    render.set_format(rv1::FORMAT_CSV);
    rv1::Artifact csv;
    ASSERT_TRUE(api->RenderReport(Context(a, Role::kReviewer).get(), render, &csv).ok());
    EXPECT_EQ(lines_header + one.lines_csv(), csv.content()) << budget;
    EXPECT_EQ(row[7], Sha256Hex(csv.content())) << budget;
    lv1::GetBudgetRequest get;
    get.set_name(budget);
    lv1::Budget stored;
    ASSERT_TRUE(api->GetBudget(Context(a, Role::kReviewer).get(), get, &stored).ok());
    EXPECT_EQ(row[4], absl::StrCat(stored.income_lines_size() + stored.expenditure_lines_size())) << budget;
    EXPECT_EQ(row[5], "") << "no published version in an export of the filings";
    current_rows[budget] = one.lines_csv();
  }

  // The published ones: each budget's rows are the published CSV file's.
  std::vector<gv1::ExportFilingsResponse> exported = ExportOpenData(a, province, year, /*published=*/true);
  ASSERT_EQ(exported.size(), published.size());
  std::string grpc_lines = lines_header, grpc_budgets = open_data::ExportedBudgetCsvHeader();
  for (const gv1::ExportFilingsResponse& one : exported) {
    const std::vector<std::string> row = Fields(one.budget_csv());
    ASSERT_EQ(row.size(), open_data::ExportedBudgetColumns().size()) << one.budget_csv();
    const std::string& budget = row[0];
    EXPECT_TRUE(published.count(budget)) << budget;
    rv1::GetPublishedRequest get;
    get.set_budget_name(budget);
    get.set_format(rv1::FORMAT_CSV);
    rv1::PublishedDisclosure file;
    ASSERT_TRUE(api->GetPublished(Context(a, Role::kReviewer).get(), get, &file).ok());
    ASSERT_EQ(file.artifacts_size(), 1);
    EXPECT_EQ(lines_header + one.lines_csv(), file.artifacts(0).content()) << budget;
    EXPECT_EQ(row[7], file.artifacts(0).sha256_hex()) << budget;
    EXPECT_EQ(row[5], "3") << "the version PUBLISH made";
    EXPECT_FALSE(row[6].empty()) << "the publish time";
    EXPECT_EQ(one.published().version(), 3);
    if (budget == budgets[0]) {
      EXPECT_NE(one.lines_csv(), current_rows[budget]) << "the amendment is not published";
    }
    absl::StrAppend(&grpc_lines, one.lines_csv());
    absl::StrAppend(&grpc_budgets, one.budget_csv());
  }

  // REST, a budget per page: the pages put together are the same files.
  httplib::Client http("127.0.0.1", a.gateway_http_port());
  http.set_read_timeout(std::chrono::seconds(120));
  const httplib::Headers reviewer = {{"Authorization", "Bearer " + TestToken(a, Role::kReviewer, "export")}};
  for (const auto& [table, expected] : {std::pair{"lines", grpc_lines}, std::pair{"budgets", grpc_budgets}}) {
    std::string assembled, after;
    int pages = 0;
    do {
      auto page = http.Get(
          absl::StrCat("/v1/regions/", province, "/filings:export?year=", year,
                       "&published=true&format=csv&page_size=1&table=", table, after.empty() ? "" : "&after=" + after),
          reviewer);
      ASSERT_TRUE(page) << httplib::to_string(page.error());
      ASSERT_EQ(page->status, 200) << page->body;
      EXPECT_EQ(page->get_header_value("Content-Type"), "text/csv; charset=utf-8");
      assembled += page->body;
      after = page->get_header_value("X-Next-Cursor");
      ASSERT_LT(++pages, 50);
    } while (!after.empty());
    EXPECT_EQ(assembled, expected) << table;
  }
  auto descriptor = http.Get(
      absl::StrCat("/v1/regions/", province, "/filings:export?year=", year, "&published=true&format=datapackage"),
      reviewer);
  ASSERT_TRUE(descriptor);
  ASSERT_EQ(descriptor->status, 200) << descriptor->body;
  const nlohmann::json served = nlohmann::json::parse(descriptor->body, nullptr, false);
  ASSERT_TRUE(served.is_object()) << descriptor->body;
  EXPECT_EQ(served["resources"][0]["path"], "lines.csv");
  EXPECT_EQ(served["resources"][1]["path"], "budgets.csv");
  auto bad = http.Get(absl::StrCat("/v1/regions/", province, "/filings:export?year=", year, "&format=tsv"), reviewer);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("format"), std::string::npos) << bad->body;

  // The CLI writes the files and the descriptor naming their hashes.
  const std::filesystem::path whole = std::filesystem::path(dir.path()) / "whole";
  std::string output;
  ASSERT_EQ(RunCli(a,
                   absl::StrCat("export regions/", province, " --year ", year, " --published --format csv -o ",
                                whole.string()),
                   &output),
            0)
      << output;
  EXPECT_EQ(ReadFile((whole / "lines.csv").string()), grpc_lines);
  EXPECT_EQ(ReadFile((whole / "budgets.csv").string()), grpc_budgets);
  const nlohmann::json package = nlohmann::json::parse(ReadFile((whole / "datapackage.json").string()), nullptr, false);
  ASSERT_TRUE(package.is_object());
  EXPECT_EQ(package["resources"][0]["hash"], "sha256:" + Sha256Hex(grpc_lines));
  EXPECT_EQ(package["resources"][0]["bytes"], grpc_lines.size());
  EXPECT_EQ(package["resources"][1]["hash"], "sha256:" + Sha256Hex(grpc_budgets));
  EXPECT_EQ(package["name"], absl::StrCat("regions-", province, "-", year, "-published"));

  // Interrupted after the first budget and resumed: the same three files.
  const std::filesystem::path resumed = std::filesystem::path(dir.path()) / "resumed";
  std::filesystem::create_directories(resumed);
  WriteFile((resumed / "lines.csv").string(), lines_header + exported[0].lines_csv());
  WriteFile((resumed / "budgets.csv").string(), open_data::ExportedBudgetCsvHeader() + exported[0].budget_csv());
  output.clear();
  ASSERT_EQ(RunCli(a,
                   absl::StrCat("export regions/", province, " --year ", year, " --published --format csv -o ",
                                resumed.string(), " --after ", exported[0].cursor()),
                   &output),
            0)
      << output;
  for (const char* file : {"lines.csv", "budgets.csv", "datapackage.json"}) {
    EXPECT_EQ(ReadFile((resumed / file).string()), ReadFile((whole / file).string())) << file;
  }
}

}  // namespace
}  // namespace yusuan::testing
