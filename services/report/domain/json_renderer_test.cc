// Open data: the JSON disclosure carries every table, figure and goal with
// its provenance; the data package names the CSV and JSON by their hashes.
#include "services/report/domain/json_renderer.h"

#include <nlohmann/json.hpp>

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/report/domain/render.h"
#include "services/report/domain/testdata_departments.h"

namespace yusuan::report {
namespace {

using testdata::ReferenceReportInput;
using testdata::W;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Json = nlohmann::json;

Json Parse(const v1::ReportInput& input) {
  absl::StatusOr<std::string> text = RenderOpenDataJson(input);
  EXPECT_TRUE(text.ok()) << text.status();
  if (!text.ok()) return Json();
  Json json = Json::parse(*text, nullptr, false);
  EXPECT_FALSE(json.is_discarded());
  return json;
}

// The first figure named `name` in the explanation tree.
const Json* FindFigure(const Json& items, const std::string& name, const std::string& field) {
  for (const Json& item : items) {
    for (const Json& figure : item["figures"]) {
      if (figure["name"] == name && figure.value("field", "") == field) return &figure;
    }
    if (item.contains("subitems")) {
      if (const Json* found = FindFigure(item["subitems"], name, field)) return found;
    }
  }
  return nullptr;
}

TEST(OpenDataJson, TablesInTheSetsOrderWithEveryCell) {
  const Json json = Parse(ReferenceReportInput());
  ASSERT_EQ(json["tables"].size(), 8u);
  EXPECT_EQ(json["tables"][0]["title"], "表1 区科协2021年财政拨款收支预算总表");
  EXPECT_EQ(json["tables"][0]["source_table"], 1);
  EXPECT_EQ(json["tables"][5]["title"], "表6 区科协2021年部门收支总表");
  EXPECT_EQ(json["currency"], "CNY");
  EXPECT_EQ(json["template_set"], "wuhan-district-2021");
  // Every projected cell is there, with fen and the printed text.
  const auto& input = ReferenceReportInput();
  for (size_t t = 0; t < json["tables"].size(); ++t) {
    const int source = json["tables"][t]["source_table"];
    const ledger::v1::BudgetTable* table = nullptr;
    for (const auto& candidate : input.tables().tables()) {
      if (candidate.number() == source) table = &candidate;
    }
    ASSERT_NE(table, nullptr);
    ASSERT_EQ(json["tables"][t]["rows"].size(), static_cast<size_t>(table->rows_size())) << source;
    for (int r = 0; r < table->rows_size(); ++r) {
      const Json& cells = json["tables"][t]["rows"][r]["cells"];
      ASSERT_EQ(cells.size(), static_cast<size_t>(table->rows(r).cells_fen_size()));
      for (int c = 0; c < table->rows(r).cells_fen_size(); ++c) {
        EXPECT_EQ(cells[c]["fen"], table->rows(r).cells_fen(c)) << "表" << source << " " << r << "," << c;
      }
    }
  }
  const Json& total = json["tables"][0]["rows"][0]["cells"][0];
  EXPECT_TRUE(total["display"].is_string());
}

TEST(OpenDataJson, LinesHaveTheCsvIds) {
  const v1::ReportInput input = ReferenceReportInput();
  const Json json = Parse(input);
  const auto& budget = input.budget();
  ASSERT_EQ(json["lines"].size(), static_cast<size_t>(budget.income_lines_size() + budget.expenditure_lines_size()));
  EXPECT_EQ(json["lines"][0]["id"], "income-1");
  EXPECT_EQ(json["lines"][budget.income_lines_size()]["id"], "expenditure-1");
  EXPECT_EQ(json["lines"][budget.income_lines_size()]["amount_fen"], budget.expenditure_lines(0).amount_fen());
}

// The reference's tables are traced by the ledger (AddSources): its one
// income line and 34 expenditure lines.
TEST(OpenDataJson, CellsAndFiguresCarryTheirSources) {
  const v1::ReportInput input = ReferenceReportInput();
  const Json json = Parse(input);
  // at(): a missing element must fail the test, not read past the array.
  // 表1 一、本年收入 is the income line; 表2 合计 every expenditure line.
  EXPECT_THAT(json.at("tables").at(0).at("rows").at(0).at("cells").at(0).at("lines"), ElementsAre("income-1"));
  EXPECT_EQ(json.at("tables").at(1).at("rows").at(0).at("cells").at(0).at("lines").size(),
            static_cast<size_t>(input.budget().expenditure_lines_size()));
  // A cell no line feeds (表1 （二）政府性基金预算拨款收入, 0.00) names none.
  ASSERT_EQ(json.at("tables").at(0).at("rows").at(2).at("cells").at(0).at("fen"), 0);
  EXPECT_FALSE(json.at("tables").at(0).at("rows").at(2).at("cells").at(0).contains("lines"));
  // One key figure per traced summary field.
  ASSERT_EQ(json["figures"].size(), static_cast<size_t>(input.tables().summary_sources_size()));
  const Json* fiscal_total = nullptr;
  for (const Json& figure : json["figures"]) {
    if (figure["field"] == "fiscal_total_fen") fiscal_total = &figure;
  }
  ASSERT_NE(fiscal_total, nullptr);
  EXPECT_EQ((*fiscal_total)["fen"], W(41551));
  EXPECT_EQ((*fiscal_total)["display"], "415.51");
  EXPECT_THAT((*fiscal_total)["lines"], ElementsAre("income-1"));
  // 一、财政拨款收支预算总体情况 states the total and says where it is from.
  const Json* total = FindFigure(json["explanation"], "total", "fiscal_total_fen");
  ASSERT_NE(total, nullptr);
  EXPECT_EQ((*total)["fen"], W(41551));
  EXPECT_EQ((*total)["display"], "415.51");
  EXPECT_THAT((*total)["lines"], ElementsAre("income-1"));
}

TEST(OpenDataJson, NarrativeFiguresNameTheirFields) {
  const Json json = Parse(ReferenceReportInput());
  const Json& items = json["explanation"];
  ASSERT_EQ(items.size(), 9u);
  EXPECT_EQ(items[0]["heading"], "一、财政拨款收支预算总体情况");
  EXPECT_THAT(items[0]["paragraphs"][0].get<std::string>(), HasSubstr("415.51 万元"));
  ASSERT_NE(FindFigure(items, "basic", "fiscal_basic_fen"), nullptr);
  EXPECT_EQ((*FindFigure(items, "basic", "fiscal_basic_fen"))["display"], "156.71");
  ASSERT_NE(FindFigure(items, "amount", "machinery_operating_fen"), nullptr);
  EXPECT_EQ((*FindFigure(items, "amount", "machinery_operating_fen"))["display"], "10.01");
  // 九(五)'s goals.
  const Json& other = items[8]["subitems"];
  EXPECT_EQ(other[4]["goals"].size(), 8u);
}

TEST(OpenDataJson, GoalsAndProjects) {
  const auto& input = ReferenceReportInput();
  const Json json = Parse(input);
  size_t indicators = static_cast<size_t>(input.goals().department().long_term_indicators_size());
  for (const auto& goal : input.goals().department().annual_goals()) indicators += goal.indicators_size();
  for (const auto& sheet : input.goals().projects()) {
    indicators += sheet.medium_term_indicators_size() + sheet.annual_indicators_size();
  }
  EXPECT_EQ(json["goals"]["indicators"].size(), indicators);
  EXPECT_EQ(json["goals"]["annual_goals"].size(), 8u);
  const Json& first = json["goals"]["indicators"][0];
  EXPECT_TRUE(first["path"].get<std::string>().rfind("department.", 0) == 0) << first["path"];
  ASSERT_EQ(json["projects"].size(), static_cast<size_t>(input.budget().projects_size()));
  const Json& project = json["projects"][0];
  EXPECT_EQ(project["project_id"], input.budget().projects(0).project_id());
  EXPECT_EQ(project["year_fiscal_fen"]["fen"], input.budget().projects(0).year_fiscal_fen());
  int64_t ledger = 0;
  for (const auto& line : input.budget().expenditure_lines()) {
    if (line.project_id() == input.budget().projects(0).project_id()) ledger += line.amount_fen();
  }
  EXPECT_EQ(project["ledger_fen"], ledger);
  EXPECT_FALSE(project["ledger_lines"].empty());
}

TEST(OpenDataJson, NationalSetOrdersTheTables) {
  v1::ReportInput input = ReferenceReportInput();
  input.set_template_set("national-2016-143");
  const Json json = Parse(input);
  ASSERT_EQ(json["tables"].size(), 8u);
  EXPECT_EQ(json["tables"][0]["source_table"], 6);
  EXPECT_EQ(json["tables"][0]["number"], 1);
  EXPECT_EQ(json["tables"][0]["title"], "表1 区科协2021年部门收支总体情况表");
  EXPECT_EQ(json["explanation"][0]["heading"], "一、部门收支总体情况");
}

TEST(OpenDataJson, DeterministicAndRefusesWhatTheDocumentRefuses) {
  EXPECT_EQ(*RenderOpenDataJson(ReferenceReportInput()), *RenderOpenDataJson(ReferenceReportInput()));
  v1::ReportInput input = ReferenceReportInput();
  input.set_template_set("nowhere");
  EXPECT_EQ(RenderOpenDataJson(input).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(DataPackage, NamesBothFilesByHashWithAFiscalModel) {
  const auto input = ReferenceReportInput();
  absl::StatusOr<v1::Artifact> package = RenderReport(input, v1::FORMAT_DATA_PACKAGE);
  ASSERT_TRUE(package.ok()) << package.status();
  EXPECT_EQ(package->file_name(), "datapackage.json");
  const v1::Artifact csv = *RenderReport(input, v1::FORMAT_CSV);
  const v1::Artifact json = *RenderReport(input, v1::FORMAT_JSON);
  const Json descriptor = Json::parse(package->content());
  EXPECT_EQ(descriptor["profile"], "fiscal-data-package");
  ASSERT_EQ(descriptor["resources"].size(), 2u);
  EXPECT_EQ(descriptor["resources"][0]["path"], csv.file_name());
  EXPECT_EQ(descriptor["resources"][0]["hash"], "sha256:" + csv.sha256_hex());
  EXPECT_EQ(descriptor["resources"][0]["bytes"], csv.content().size());
  EXPECT_EQ(descriptor["resources"][1]["path"], json.file_name());
  EXPECT_EQ(descriptor["resources"][1]["hash"], "sha256:" + json.sha256_hex());
  // The CSV's header is the schema's field list, in order.
  std::string header = csv.content().substr(3, csv.content().find("\r\n") - 3);  // after the BOM
  std::string fields;
  for (const Json& field : descriptor["resources"][0]["schema"]["fields"]) {
    fields += (fields.empty() ? "" : ",") + field["name"].get<std::string>();
  }
  EXPECT_EQ(fields, header);
  EXPECT_EQ(descriptor["model"]["measures"]["amount"]["currency"], "CNY");
  EXPECT_EQ(descriptor["model"]["dimensions"]["functional-classification"]["classificationType"], "functional");
  EXPECT_EQ(descriptor["model"]["dimensions"]["economic-classification"]["classificationType"], "economic");
  EXPECT_EQ(descriptor["fiscalPeriod"]["start"], "2021-01-01");
}

TEST(DataPackage, RenderedWithTheOtherFormatsItDescribesThoseVeryFiles) {
  absl::StatusOr<std::vector<v1::Artifact>> artifacts = RenderReports(
      ReferenceReportInput(), {v1::FORMAT_DATA_PACKAGE, v1::FORMAT_CSV, v1::FORMAT_JSON, v1::FORMAT_DATA_PACKAGE});
  ASSERT_TRUE(artifacts.ok()) << artifacts.status();
  ASSERT_EQ(artifacts->size(), 4u);
  const Json descriptor = Json::parse((*artifacts)[0].content());
  EXPECT_EQ(descriptor["resources"][0]["hash"], "sha256:" + (*artifacts)[1].sha256_hex());
  EXPECT_EQ(descriptor["resources"][1]["hash"], "sha256:" + (*artifacts)[2].sha256_hex());
  EXPECT_EQ((*artifacts)[3].content(), (*artifacts)[0].content());
  EXPECT_EQ((*artifacts)[1].format(), v1::FORMAT_CSV);
}

}  // namespace
}  // namespace yusuan::report
