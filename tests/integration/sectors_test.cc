// A department of every sector files through the public API: for each 类 a
// department can spend on (tools/synth's sector cycle over the shipped
// catalogues), a generated department is validated (no FATAL), applied,
// rendered (HTML, PDF, XLSX, open data), submitted, approved and published,
// and its published files are read back and verified — over gRPC, with the
// roles that take each step in practice. Issue 11: "a department of every 类
// applies, validates with no FATAL, renders and publishes".
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/ledger/domain/catalogue.h"
#include "services/security/token.h"
#include "tests/integration/harness.h"
#include "tests/integration/shared_cluster.h"
#include "tools/synth/synth.h"
#include "yusuan/gateway/v1/gateway.grpc.pb.h"

namespace yusuan::testing {
namespace {

using yusuan::gateway::v1::Filing;
using yusuan::gateway::v1::PublicApi;
using yusuan::security::Role;
namespace lv1 = yusuan::ledger::v1;
namespace rv1 = yusuan::report::v1;

class SectorsTest : public SharedClusterTest<SectorsTest> {
 protected:
  static std::unique_ptr<grpc::ClientContext> Context(Role role) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
    context->AddMetadata("authorization", "Bearer " + TestToken(*cluster_, role, "sectors-test"));
    return context;
  }
};

std::string FatalFindings(const yusuan::common::v1::ValidationReport& report) {
  std::string out;
  for (const auto& f : report.findings()) {
    if (f.severity() == yusuan::common::v1::SEVERITY_FATAL)
      out += f.rule_id() + " " + f.field() + " " + f.message_en() + "\n";
  }
  return out;
}

TEST_F(SectorsTest, ADepartmentOfEverySectorFilesAndPublishes) {
  absl::StatusOr<ledger::CatalogueSet> catalogues =
      ledger::CatalogueSet::LoadFromDirectory(std::string(YUSUAN_SOURCE_DIR) + "/data/catalogue");
  ASSERT_TRUE(catalogues.ok()) << catalogues.status();
  synth::SynthOptions options;
  options.seed = 20261205;
  absl::StatusOr<synth::Synthesizer> synthesizer = synth::Synthesizer::Create(*catalogues, options);
  ASSERT_TRUE(synthesizer.ok()) << synthesizer.status();
  const std::vector<std::string>& sectors = synthesizer->sectors();
  ASSERT_GE(sectors.size(), 20u) << "the shipped catalogues should offer most 类 to departments";

  auto api = PublicApi::NewStub(cluster_->GatewayChannel());
  std::map<std::string, int> published_by_sector;
  std::map<int, int> years;
  int departments_with_units = 0;
  int findings_seen = 0;
  for (size_t index = 0; index < sectors.size(); ++index) {
    absl::StatusOr<Filing> filing = synthesizer->Synthesize(static_cast<int>(index));
    ASSERT_TRUE(filing.ok()) << filing.status();
    const std::string& budget = filing->budget().name();
    const std::string sector = sectors[index];
    SCOPED_TRACE(sector + " " + filing->department().full_name() + " " + budget);
    ++years[filing->budget().fiscal_year()];
    if (index % 2 == 1) {
      // Every other department files with a warning for the ledger and one for
      // the goals to find (over-establishment staff; a goal numbered out of
      // order), so that apply and validate are compared on findings too.
      auto* staffing = filing->mutable_department()->mutable_staffing();
      int64_t establishment = 0;
      for (const auto& quota : staffing->quotas()) establishment += quota.count();
      if (staffing->quotas_size() > 0) staffing->set_in_service(static_cast<int32_t>(establishment + 1));
      auto* annual = filing->mutable_goals()->mutable_department()->mutable_annual_goals();
      if (!annual->empty()) annual->rbegin()->set_seq(99);
    }

    // Validate without storing: no FATAL finding.
    yusuan::gateway::v1::ValidateFilingRequest validate;
    *validate.mutable_filing() = *filing;
    yusuan::common::v1::ValidationReport report;
    grpc::Status status = api->ValidateFiling(Context(Role::kIntegrator).get(), validate, &report);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(report.fatal_count(), 0) << FatalFindings(report);

    // Apply: the department's platform files it.
    yusuan::gateway::v1::ApplyFilingRequest apply;
    *apply.mutable_filing() = *filing;
    apply.set_request_id("sectors-" + std::to_string(index));
    yusuan::gateway::v1::ApplyFilingResponse applied;
    status = api->ApplyFiling(Context(Role::kIntegrator).get(), apply, &applied);
    ASSERT_TRUE(status.ok()) << status.error_message();
    // The apply runs each rule once, where its data is stored, and its
    // answer's findings are the ones ValidateFiling gives for the same filing.
    EXPECT_EQ(applied.validation().SerializeAsString(), report.SerializeAsString())
        << "apply:\n"
        << applied.validation().DebugString() << "validate:\n"
        << report.DebugString();
    findings_seen += report.findings_size();

    // The tables are the consolidation of the units: each unit's share, asked
    // for by its code (the 本级 by the agency code), adds up to them cell by
    // cell in the summary's totals.
    auto tables_of = [&](const std::optional<std::string>& unit) {
      yusuan::gateway::v1::GetBudgetTablesRequest get;
      get.set_name(budget);
      if (unit) get.set_unit_code(*unit);
      lv1::BudgetTables tables;
      grpc::Status got = api->GetBudgetTables(Context(Role::kReviewer).get(), get, &tables);
      EXPECT_TRUE(got.ok()) << (unit ? *unit : "whole") << ": " << got.error_message();
      EXPECT_EQ(tables.tables_size(), 8);
      return tables.summary();
    };
    const lv1::BudgetSummary whole = tables_of(std::nullopt);
    std::vector<std::string> units = {filing->department().agency_code()};
    for (const lv1::SecondaryUnit& unit : filing->department().secondary_units()) units.push_back(unit.code());
    int64_t income = 0, spending = 0, machinery = 0;
    for (const std::string& unit : units) {
      const lv1::BudgetSummary part = tables_of(unit);
      income += part.department_income_total_fen();
      spending += part.department_expenditure_total_fen();
      machinery += part.machinery_operating_fen();
    }
    EXPECT_EQ(income, whole.department_income_total_fen());
    EXPECT_EQ(spending, whole.department_expenditure_total_fen());
    EXPECT_EQ(machinery, whole.machinery_operating_fen());
    if (filing->department().secondary_units_size() > 0) ++departments_with_units;

    // Render a preview in the formats that need the most of the engine.
    for (rv1::Format format : {rv1::FORMAT_HTML, rv1::FORMAT_PDF, rv1::FORMAT_XLSX, rv1::FORMAT_JSON}) {
      yusuan::gateway::v1::RenderReportRequest render;
      render.set_name(budget);
      render.set_format(format);
      rv1::Artifact artifact;
      status = api->RenderReport(Context(Role::kIntegrator).get(), render, &artifact);
      ASSERT_TRUE(status.ok()) << rv1::Format_Name(format) << ": " << status.error_message();
      EXPECT_GT(artifact.content().size(), 1000u) << rv1::Format_Name(format);
    }

    // The preview is cached by the revisions it shows: a renamed department
    // is shown renamed, and renamed back, as it was.
    auto html = [&]() {
      yusuan::gateway::v1::RenderReportRequest render;
      render.set_name(budget);
      render.set_format(rv1::FORMAT_HTML);
      rv1::Artifact artifact;
      grpc::Status rendered = api->RenderReport(Context(Role::kIntegrator).get(), render, &artifact);
      EXPECT_TRUE(rendered.ok()) << rendered.error_message();
      return artifact.content();
    };
    const std::string renamed_name = filing->department().full_name() + "（更名）";
    for (const std::string& name : {renamed_name, filing->department().full_name()}) {
      Filing renamed = *filing;
      renamed.mutable_department()->set_full_name(name);
      *apply.mutable_filing() = renamed;
      apply.set_request_id("sectors-" + std::to_string(index) + "-named-" + std::to_string(name.size()));
      status = api->ApplyFiling(Context(Role::kIntegrator).get(), apply, &applied);
      ASSERT_TRUE(status.ok()) << status.error_message();
      const std::string page = html();
      EXPECT_NE(page.find(name), std::string::npos) << name;
      EXPECT_EQ(page.find(renamed_name) != std::string::npos, name == renamed_name) << name;
      EXPECT_EQ(html(), page);
    }

    // Submit (the department), approve and publish (the finance bureau).
    lv1::BudgetVersion version;
    for (auto [action, role] : {std::pair{lv1::WORKFLOW_ACTION_SUBMIT, Role::kIntegrator},
                                std::pair{lv1::WORKFLOW_ACTION_APPROVE, Role::kReviewer},
                                std::pair{lv1::WORKFLOW_ACTION_PUBLISH, Role::kReviewer}}) {
      lv1::TransitionBudgetRequest step;
      step.set_name(budget);
      step.set_action(action);
      step.set_request_id("sectors-" + std::to_string(index) + "-" + lv1::WorkflowAction_Name(action));
      status = api->TransitionBudget(Context(role).get(), step, &version);
      ASSERT_TRUE(status.ok()) << lv1::WorkflowAction_Name(action) << ": " << status.error_message();
    }
    EXPECT_EQ(version.to_status(), lv1::FILING_STATUS_PUBLISHED);

    // The published files are there, each recognised as official.
    rv1::GetPublishedRequest get;
    get.set_budget_name(budget);
    rv1::PublishedDisclosure published;
    status = api->GetPublished(Context(Role::kIntegrator).get(), get, &published);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(published.version(), version.version());
    EXPECT_EQ(published.department_full_name(), filing->department().full_name());
    EXPECT_GE(published.artifacts_size(), 5);
    for (const rv1::Artifact& artifact : published.artifacts()) {
      if (artifact.format() != rv1::FORMAT_PDF) continue;
      rv1::VerifyArtifactRequest verify;
      verify.set_content(artifact.content());
      rv1::VerifyArtifactResponse verdict;
      ASSERT_TRUE(api->VerifyArtifact(Context(Role::kIntegrator).get(), verify, &verdict).ok());
      EXPECT_TRUE(verdict.official());
      EXPECT_EQ(verdict.budget_name(), budget);
    }
    ++published_by_sector[sector];
  }
  EXPECT_EQ(published_by_sector.size(), sectors.size());
  // The cycle spreads the departments over several catalogue editions.
  EXPECT_GE(years.size(), 3u);
  EXPECT_GT(departments_with_units, 0) << "the per-unit tables were only tried on single-unit departments";
  EXPECT_GT(findings_seen, 0) << "no generated department had a finding, so apply and validate were only compared "
                                 "on empty reports";
}

}  // namespace
}  // namespace yusuan::testing
