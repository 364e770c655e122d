// End-to-end tests on the four real binaries (the ClusterTest suite, whose
// fixture is in cluster_fixture.h): what a stored budget is shown as. 表1–表8 of
// the department or of one unit over REST and the CLI; the disclosure rendered
// the same over gRPC and REST as HTML, Markdown, XLSX, PDF and CSV; open data
// whose every cell traces to its ledger lines.
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <string>

#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/integration/cluster_fixture.h"
#include "yusuan/gateway/v1/gateway.grpc.pb.h"
#include "yusuan/goals/v1/goals.pb.h"
#include "yusuan/ledger/v1/ledger_service.grpc.pb.h"
#include "yusuan/report/v1/report.pb.h"

namespace yusuan::testing {
namespace {

TEST_F(ClusterTest, SampleAppliesAndRendersTheSameOverGrpcAndRest) {
  yusuan::gateway::v1::ApplyFilingResponse applied;
  grpc::Status status = Apply(LoadSample(), &applied, "cluster-test-apply-1");
  ASSERT_TRUE(status.ok()) << status.error_message() << " " << Joined(ViolatedFields(status));
  EXPECT_EQ(applied.budget().name(), kBudget);
  EXPECT_GE(applied.budget().revision(), 1);
  EXPECT_EQ(applied.validation().fatal_count(), 0);

  // The same filing through REST.
  auto http = Http();
  auto rest = http.Post("/v1/filings:apply", ReadFile(SampleFilingPath()), "application/json");
  ASSERT_TRUE(rest) << httplib::to_string(rest.error());
  ASSERT_EQ(rest->status, 200) << rest->body;

  // 表1–表8 as the ledger computes them: the whole department, and its 本级
  // (by the agency code) being its only unit, the same; an unknown unit is
  // NOT_FOUND naming the units there are.
  auto tables = [&](const std::string& query) -> std::optional<yusuan::ledger::v1::BudgetTables> {
    auto got = http.Get(std::string("/v1/") + kBudget + "/tables" + query);
    EXPECT_TRUE(got) << query;
    if (!got) return std::nullopt;
    EXPECT_EQ(got->status, 200) << query << ": " << got->body;
    yusuan::ledger::v1::BudgetTables parsed;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(got->body, &parsed).ok()) << got->body;
    return parsed;
  };
  const auto whole = tables("");
  ASSERT_TRUE(whole.has_value());
  EXPECT_EQ(whole->tables_size(), 8);
  EXPECT_EQ(whole->summary().department_expenditure_total_fen(), 415510000);
  EXPECT_EQ(whole->cell_sources_size(), 0);
  const std::string agency = LoadSample().department().agency_code();
  const auto own = tables("?unit=" + agency + "&with_sources=true");
  ASSERT_TRUE(own.has_value());
  EXPECT_EQ(own->summary().department_expenditure_total_fen(), 415510000);
  EXPECT_GT(own->cell_sources_size(), 0);
  auto unknown = http.Get(std::string("/v1/") + kBudget + "/tables?unit=" + agency + "999");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404) << unknown->body;
  EXPECT_NE(unknown->body.find(agency + "999"), std::string::npos) << unknown->body;
  EXPECT_NE(unknown->body.find("本级"), std::string::npos) << unknown->body;
  auto anonymous = Http(std::nullopt).Get(std::string("/v1/") + kBudget + "/tables");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401) << "drafts are not public: " << anonymous->body;

  yusuan::gateway::v1::RenderReportRequest render;
  render.set_name(kBudget);
  render.set_format(yusuan::report::v1::FORMAT_HTML);
  yusuan::report::v1::Artifact html;
  status = Api()->RenderReport(Context().get(), render, &html);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const std::string& page = html.content();
  for (const char* figure : {"415.51", "156.71", "258.80", "146.70", "120.38", "26.32", "10.01", "37.72%", "62.28%",
                             "238.00", "20.80", "8.29", "2.04%"}) {
    EXPECT_NE(page.find(figure), std::string::npos) << "missing " << figure;
  }
  EXPECT_NE(page.find("增加 8.29 万元，增长 2.04%"), std::string::npos);
  EXPECT_EQ(page.find("206.19"), std::string::npos);
  const Filing sample = LoadSample();
  for (const auto& goal : sample.goals().department().annual_goals()) {
    EXPECT_NE(page.find(goal.text()), std::string::npos) << "missing goal " << goal.seq();
  }

  auto report = http.Get(std::string("/v1/") + kBudget + "/report?format=html");
  ASSERT_TRUE(report);
  ASSERT_EQ(report->status, 200) << report->body;
  EXPECT_EQ(report->body, page) << "REST and gRPC renders differ";
  EXPECT_NE(report->get_header_value("Content-Type").find("text/html"), std::string::npos);

  render.set_format(yusuan::report::v1::FORMAT_MARKDOWN);
  yusuan::report::v1::Artifact markdown;
  ASSERT_TRUE(Api()->RenderReport(Context().get(), render, &markdown).ok());
  EXPECT_NE(markdown.content().find("415.51"), std::string::npos);
  EXPECT_NE(markdown.content().find("62.28%"), std::string::npos);
}

TEST_F(ClusterTest, TheCliPrintsTheTablesOfTheDepartmentOrOfOneUnit) {
  yusuan::gateway::v1::ApplyFilingResponse applied;
  ASSERT_TRUE(Apply(LoadSample(), &applied).ok());
  const std::string agency = LoadSample().department().agency_code();
  std::string printed;
  ASSERT_EQ(RunCli(cluster_->gateway_grpc(), std::string("tables ") + kBudget, &printed), 0) << printed;
  EXPECT_NE(printed.find("部门合并 consolidated"), std::string::npos) << printed;
  for (int table = 1; table <= 8; ++table) {
    EXPECT_NE(printed.find("\n表" + std::to_string(table) + " "), std::string::npos) << "no 表" << table;
  }
  EXPECT_NE(printed.find("415.51"), std::string::npos) << printed;

  std::string own;
  ASSERT_EQ(RunCli(cluster_->gateway_grpc(), std::string("tables --unit ") + agency + " " + kBudget, &own), 0) << own;
  EXPECT_NE(own.find("单位 unit " + agency), std::string::npos) << own;
  EXPECT_NE(own.find("415.51"), std::string::npos) << own;

  std::string json;
  ASSERT_EQ(RunCli(cluster_->gateway_grpc(), std::string("tables --json ") + kBudget, &json), 0) << json;
  yusuan::ledger::v1::BudgetTables parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &parsed).ok()) << json;
  EXPECT_EQ(parsed.summary().department_expenditure_total_fen(), 415510000);

  std::string refused;
  EXPECT_EQ(RunCli(cluster_->gateway_grpc(), std::string("tables --unit 999 ") + kBudget, &refused), 1) << refused;
  EXPECT_EQ(refused.rfind("未找到 / not found (NOT_FOUND): ", 0), 0u) << refused;
  EXPECT_NE(refused.find("999"), std::string::npos) << refused;
  EXPECT_NE(refused.find("本级"), std::string::npos) << refused;
}

// The XLSX disclosure: the same bytes over gRPC and REST, a real workbook
// whose amounts are numeric cells, and formats still to come are 501.
TEST_F(ClusterTest, XlsxRendersTheSameOverGrpcAndRest) {
  yusuan::gateway::v1::ApplyFilingResponse applied;
  grpc::Status status = Apply(LoadSample(), &applied, "cluster-test-xlsx");
  ASSERT_TRUE(status.ok()) << status.error_message();

  yusuan::gateway::v1::RenderReportRequest render;
  render.set_name(kBudget);
  render.set_format(yusuan::report::v1::FORMAT_XLSX);
  yusuan::report::v1::Artifact xlsx;
  status = Api()->RenderReport(Context().get(), render, &xlsx);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(xlsx.media_type(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(xlsx.file_name(), "区科协2021年部门预算.xlsx");
  ASSERT_GT(xlsx.content().size(), 4u);
  EXPECT_EQ(xlsx.content().substr(0, 4), std::string("PK\x03\x04", 4));

  // Rendering again gives the same bytes.
  yusuan::report::v1::Artifact again;
  ASSERT_TRUE(Api()->RenderReport(Context().get(), render, &again).ok());
  EXPECT_TRUE(again.content() == xlsx.content()) << "two gRPC renders differ";
  EXPECT_EQ(again.sha256_hex(), xlsx.sha256_hex());

  auto http = Http();
  auto rest = http.Get(std::string("/v1/") + kBudget + "/report?format=xlsx");
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->status, 200) << rest->body.substr(0, 400);
  EXPECT_TRUE(rest->body == xlsx.content()) << "REST and gRPC XLSX differ";
  EXPECT_EQ(rest->get_header_value("Content-Type"), xlsx.media_type());
  EXPECT_EQ(rest->get_header_value("X-Content-SHA256"), xlsx.sha256_hex());
  const std::string disposition = rest->get_header_value("Content-Disposition");
  EXPECT_EQ(disposition.rfind("attachment", 0), 0u) << disposition;
  EXPECT_NE(disposition.find(".xlsx"), std::string::npos) << disposition;

  // Read it back as a reader's tools do.
  TempDir dir;
  const std::string path = dir.path() + "/report.xlsx";
  {
    std::ofstream out(path, std::ios::binary);
    out.write(rest->body.data(), static_cast<std::streamsize>(rest->body.size()));
  }
  auto unzip = [&](const std::string& part) {
    std::string text;
    FILE* pipe = popen(("unzip -p '" + path + "' '" + part + "' 2>/dev/null").c_str(), "r");
    if (pipe == nullptr) return text;
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) text.append(buffer, n);
    pclose(pipe);
    return text;
  };
  const std::string workbook = unzip("xl/workbook.xml");
  EXPECT_NE(workbook.find("name=\"表1 财政拨款收支预算总表\""), std::string::npos) << workbook;
  EXPECT_NE(workbook.find("name=\"表10 部门项目支出绩效目标表\""), std::string::npos);
  EXPECT_NE(unzip("xl/worksheets/sheet1.xml").find("><v>415.51</v></c>"), std::string::npos);
  EXPECT_NE(unzip("xl/worksheets/sheet3.xml").find("><v>146.7</v></c>"), std::string::npos);
  EXPECT_NE(unzip("xl/worksheets/sheet10.xml").find("><v>2380000</v></c>"), std::string::npos);
  EXPECT_EQ(unzip("xl/worksheets/sheet11.xml"), "");

  // PDF over REST is the same file as over gRPC; JSON is still to come.
  auto pdf = http.Get(std::string("/v1/") + kBudget + "/report?format=pdf");
  ASSERT_TRUE(pdf);
  ASSERT_EQ(pdf->status, 200) << pdf->body;
  EXPECT_EQ(pdf->get_header_value("Content-Type"), "application/pdf");
  EXPECT_EQ(pdf->body.rfind("%PDF-", 0), 0u);
  yusuan::gateway::v1::RenderReportRequest render_pdf;
  render_pdf.set_name(kBudget);
  render_pdf.set_format(yusuan::report::v1::FORMAT_PDF);
  yusuan::report::v1::Artifact pdf_artifact;
  ASSERT_TRUE(Api()->RenderReport(Context().get(), render_pdf, &pdf_artifact).ok());
  EXPECT_EQ(pdf_artifact.content(), pdf->body);
  // CSV: the ledger lines, one row each after the header.
  auto csv = http.Get(std::string("/v1/") + kBudget + "/report?format=csv");
  ASSERT_TRUE(csv);
  ASSERT_EQ(csv->status, 200) << csv->body;
  EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_NE(csv->body.find("expenditure-1,expenditure,"), std::string::npos) << csv->body.substr(0, 300);
}

TEST_F(ClusterTest, OpenDataTracesEveryCellToItsLedgerLinesOverGrpcAndRest) {
  yusuan::gateway::v1::ApplyFilingResponse applied;
  grpc::Status status = Apply(LoadSample(), &applied, "cluster-test-open-data");
  ASSERT_TRUE(status.ok()) << status.error_message();

  yusuan::gateway::v1::RenderReportRequest render;
  render.set_name(kBudget);
  render.set_format(yusuan::report::v1::FORMAT_JSON);
  yusuan::report::v1::Artifact artifact;
  status = Api()->RenderReport(Context().get(), render, &artifact);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(artifact.media_type(), "application/json");
  auto http = Http();
  auto rest = http.Get(std::string("/v1/") + kBudget + "/report?format=json");
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->status, 200) << rest->body.substr(0, 400);
  EXPECT_TRUE(rest->body == artifact.content()) << "REST and gRPC JSON differ";

  const nlohmann::json json = nlohmann::json::parse(artifact.content(), nullptr, false);
  ASSERT_FALSE(json.is_discarded());
  std::map<std::string, int64_t> amount;
  for (const auto& line : json["lines"]) amount[line["id"]] = line["amount_fen"].get<int64_t>();
  int traced = 0;
  for (const auto& table : json["tables"]) {
    for (const char* side : {"rows", "right_rows"}) {
      if (!table.contains(side)) continue;
      for (const auto& row : table[side]) {
        for (const auto& cell : row["cells"]) {
          if (!cell.contains("lines")) continue;
          ++traced;
          int64_t sum = 0;
          for (const auto& id : cell["lines"]) sum += amount.at(id.get<std::string>());
          EXPECT_EQ(sum, cell["fen"].get<int64_t>())
              << table["title"] << " / " << row["name"] << " / " << cell["column"];
        }
      }
    }
  }
  EXPECT_GT(traced, 50);
  EXPECT_EQ(json["budget"]["revision"], applied.budget().revision());

  // The package names the CSV and the JSON as the service renders them.
  auto package = http.Get(std::string("/v1/") + kBudget + "/report?format=datapackage");
  ASSERT_TRUE(package);
  ASSERT_EQ(package->status, 200) << package->body.substr(0, 400);
  const nlohmann::json descriptor = nlohmann::json::parse(package->body, nullptr, false);
  ASSERT_FALSE(descriptor.is_discarded());
  EXPECT_EQ(descriptor["resources"][1]["hash"], "sha256:" + artifact.sha256_hex());

  // Another template set: same figures, the 143号 order; an unknown one is
  // refused naming the field and the sets there are.
  auto national = http.Get(std::string("/v1/") + kBudget + "/report?format=html&template=national-2016-143");
  ASSERT_TRUE(national);
  ASSERT_EQ(national->status, 200);
  EXPECT_NE(national->body.find("表1 区科协2021年部门收支总体情况表"), std::string::npos);
  auto unknown = http.Get(std::string("/v1/") + kBudget + "/report?template=atlantis");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 400) << unknown->body;
  EXPECT_NE(unknown->body.find("template_set"), std::string::npos) << unknown->body;
  EXPECT_NE(unknown->body.find("national-2016-143"), std::string::npos) << unknown->body;
}

// The gateway answers a render from the cache by the revisions of its input
// (issue 15): every change of what the report shows makes it render again.
TEST_F(ClusterTest, ARenderCachedByRevisionIsMadeAgainAfterEveryChangeOfItsInput) {
  Filing filing = LoadSample();
  filing.mutable_department()->set_agency_code("005001088");
  filing.mutable_department()->clear_name();
  filing.mutable_budget()->clear_name();
  filing.mutable_goals()->clear_name();
  const std::string budget = "regions/420107/departments/005001088/budgets/2021";
  auto render = [&](yusuan::report::v1::Format format = yusuan::report::v1::FORMAT_HTML) {
    yusuan::gateway::v1::RenderReportRequest request;
    request.set_name(budget);
    request.set_format(format);
    yusuan::report::v1::Artifact artifact;
    grpc::Status status = Api()->RenderReport(Context().get(), request, &artifact);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return artifact.content();
  };
  yusuan::gateway::v1::ApplyFilingResponse applied;
  ASSERT_TRUE(Apply(filing, &applied).ok());
  const std::string first = render();
  ASSERT_NE(first.find(filing.department().full_name()), std::string::npos);
  EXPECT_EQ(render(), first);

  // Each input alone. The department: only the ledger changes it without
  // a new budget revision (an apply always stores one).
  yusuan::ledger::v1::UpdateDepartmentRequest update;
  *update.mutable_department() = applied.department();
  update.mutable_department()->set_full_name("青山区科学技术协会（更名）");
  update.mutable_department()->clear_etag();
  yusuan::ledger::v1::Department updated;
  grpc::Status status = Ledger()->UpdateDepartment(BackendContext().get(), update, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const std::string renamed = render();
  EXPECT_NE(renamed.find("青山区科学技术协会（更名）"), std::string::npos);
  EXPECT_EQ(render(), renamed);

  // The goals, through the public API: a new revision, pinned.
  ASSERT_GT(filing.goals().projects_size(), 0);
  yusuan::goals::v1::PutGoalsRequest goals;
  *goals.mutable_goals() = applied.goals();
  goals.mutable_goals()->mutable_projects(0)->set_annual_goal("年度目标已修订：举办科普讲座二十场。");
  yusuan::goals::v1::GoalSet put_goals;
  status = Api()->PutGoals(Context().get(), goals, &put_goals);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_NE(render().find("年度目标已修订：举办科普讲座二十场。"), std::string::npos);

  // The budget: a project renamed.
  ASSERT_GT(applied.budget().projects_size(), 0);
  yusuan::ledger::v1::PutBudgetRequest budget_request;
  *budget_request.mutable_budget() = applied.budget();
  budget_request.mutable_budget()->mutable_projects(0)->set_name("科普活动经费（调整）");
  yusuan::ledger::v1::Budget put_budget;
  status = Api()->PutBudget(Context().get(), budget_request, &put_budget);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_NE(render().find("科普活动经费（调整）"), std::string::npos);

  // Another format of the same revisions is another render.
  EXPECT_NE(render(yusuan::report::v1::FORMAT_MARKDOWN), render());

  // The cache answers only whom the render would: another region's
  // reviewer and a caller without a token are refused, the render cached.
  yusuan::gateway::v1::RenderReportRequest request;
  request.set_name(budget);
  request.set_format(yusuan::report::v1::FORMAT_HTML);
  yusuan::report::v1::Artifact artifact;
  auto elsewhere = Context(std::nullopt);
  elsewhere->AddMetadata("authorization",
                         "Bearer " + TestToken(*cluster_, Role::kReviewer, "cluster-test", "regions/4202"));
  status = Api()->RenderReport(elsewhere.get(), request, &artifact);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << status.error_message();
  EXPECT_TRUE(artifact.content().empty());
  status = Api()->RenderReport(Context(std::nullopt).get(), request, &artifact);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << status.error_message();
  EXPECT_TRUE(artifact.content().empty());
}

}  // namespace
}  // namespace yusuan::testing
