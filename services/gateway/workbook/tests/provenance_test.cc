// Provenance: every field a rule can name is traced to the cell it was read
// from, and a path the map does not hold falls back to its row or sheet.
#include <regex>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/amount_fields.h"
#include "services/gateway/workbook/amount.h"
#include "services/gateway/workbook/filing_workbook.h"
#include "services/gateway/workbook/tests/test_util.h"
#include "services/ledger/domain/catalogue.h"
#include "tools/synth/synth.h"

namespace yusuan::workbook {
namespace {

using yusuan::gateway::v1::Filing;

// The cells of a workbook by "sheet!A1" reference.
std::map<std::string, xlsx::Cell> Cells(const std::string& bytes) {
  std::map<std::string, xlsx::Cell> cells;
  xlsx::ReadError error;
  std::optional<xlsx::Workbook> workbook = xlsx::Workbook::Open(bytes, &error);
  EXPECT_TRUE(workbook.has_value());
  const std::vector<std::string> names = workbook->SheetNames();
  for (size_t i = 0; i < names.size(); ++i) {
    std::optional<xlsx::Sheet> sheet = workbook->ReadSheet(i, &error);
    EXPECT_TRUE(sheet.has_value()) << error.en;
    for (const xlsx::Row& row : sheet->rows) {
      for (size_t c = 0; c < row.cells.size(); ++c) {
        cells[names[i] + "!" + xlsx::ColumnLetters(c) + std::to_string(row.number)] = row.cells[c];
      }
    }
  }
  return cells;
}

std::vector<Filing> Filings() {
  std::vector<Filing> filings = {testing::SampleFiling()};
  absl::StatusOr<ledger::CatalogueSet> catalogues =
      ledger::CatalogueSet::LoadFromDirectory(std::string(YUSUAN_SOURCE_DIR) + "/data/catalogue");
  EXPECT_TRUE(catalogues.ok()) << catalogues.status();
  synth::SynthOptions options;
  options.seed = 7;
  absl::StatusOr<synth::Synthesizer> synthesizer = synth::Synthesizer::Create(*catalogues, options);
  EXPECT_TRUE(synthesizer.ok());
  for (int i = 0; i < 30; ++i) filings.push_back(*synthesizer->Synthesize(i));
  return filings;
}

TEST(FilingWorkbookProvenance, EveryAmountOfGeneratedFilingsLeadsToItsCell) {
  const std::regex single_cell(R"(^[^!]+![A-Z]+[0-9]+$)");
  for (const Filing& filing : Filings()) {
    absl::StatusOr<std::string> xlsx = WriteFilingWorkbook(filing, WorkbookWriteOptions());
    ASSERT_TRUE(xlsx.ok()) << xlsx.status();
    const WorkbookReadResult result = ReadFilingWorkbook(*xlsx);
    ASSERT_TRUE(result.filing.has_value());
    const std::map<std::string, xlsx::Cell> cells = Cells(*xlsx);
    int amounts = 0;
    ForEachAmountField(filing, "", [&](const FieldPath& at, int64_t fen) {
      ++amounts;
      const std::string path = at.ToString();
      const std::string cell = CellForField(result.provenance, path);
      ASSERT_TRUE(std::regex_match(cell, single_cell)) << path << " → " << cell;
      auto it = cells.find(cell);
      ASSERT_NE(it, cells.end()) << path << " → " << cell;
      const ParsedNumber n = ParseAmountFen(it->second.text, AmountUnit::kYuan);
      EXPECT_EQ(n.value, fen) << path << " → " << cell;
    });
    EXPECT_GT(amounts, 5);

    const auto& lines = filing.budget().expenditure_lines();
    for (int i = 0; i < lines.size(); ++i) {
      const std::string base = "budget.expenditureLines[" + std::to_string(i) + "]";
      const std::string row = std::to_string(i + 3);
      EXPECT_EQ(CellForField(result.provenance, base + ".functionalCode"), "支出!A" + row);
      EXPECT_EQ(cells.at("支出!A" + row).text, lines[i].functional_code());
      EXPECT_EQ(CellForField(result.provenance, base + ".amountFen"), "支出!G" + row);
      // A finding about the whole line, or a field the sheet has no column for, names the row.
      EXPECT_EQ(CellForField(result.provenance, base), "支出!A" + row + ":H" + row);
      EXPECT_EQ(CellForField(result.provenance, base + ".fooBar"), "支出!A" + row + ":H" + row);
      // An empty cell too: a finding that a field is missing leads to it.
      EXPECT_EQ(CellForField(result.provenance, base + ".projectId"), "支出!F" + row);
    }
    const auto& goals = filing.goals().department().annual_goals();
    for (int g = 0; g < goals.size(); ++g) {
      for (int k = 0; k < goals[g].indicators_size(); ++k) {
        const std::string path =
            "goals.department.annualGoals[" + std::to_string(g) + "].indicators[" + std::to_string(k) + "].target";
        const std::string cell = CellForField(result.provenance, path);
        ASSERT_TRUE(std::regex_match(cell, single_cell)) << path << " → " << cell;
        EXPECT_EQ(cells.at(cell).text, goals[g].indicators(k).target()) << path;
      }
    }
  }
}

TEST(FilingWorkbookProvenance, TheFieldsOfTheReferenceFiling) {
  const Filing filing = testing::SampleFiling();
  absl::StatusOr<std::string> xlsx = WriteFilingWorkbook(filing, WorkbookWriteOptions());
  ASSERT_TRUE(xlsx.ok());
  const WorkbookReadResult result = ReadFilingWorkbook(*xlsx);
  ASSERT_TRUE(result.filing.has_value());
  const Provenance& p = result.provenance;
  EXPECT_EQ(CellForField(p, "department.fullName"), "部门!B6");
  EXPECT_EQ(CellForField(p, "department.mainFunctions[1]"), "部门!B13");
  EXPECT_EQ(CellForField(p, "budget.threePublic.current.receptionFen"), "三公!G3");
  EXPECT_EQ(CellForField(p, "budget.threePublic.prior.overseasFen"), "三公!D4");
  EXPECT_EQ(CellForField(p, "budget.threePublic.current"), "三公!A3:I3");
  EXPECT_EQ(CellForField(p, "budget.incomeLines[0].amountFen"), "收入!C3");
  EXPECT_EQ(CellForField(p, "budget.projects[1].yearFiscalFen"), "项目!L4");
  EXPECT_EQ(CellForField(p, "budget.procurementLines[0].item"), "政府采购!B3");
  // Whole lists and messages name their sheet, even when empty.
  EXPECT_EQ(CellForField(p, "budget.servicePurchaseLines"), "购买服务");
  EXPECT_EQ(CellForField(p, "budget.servicePurchaseLines[0].amountFen"), "购买服务");
  EXPECT_EQ(CellForField(p, "department.secondaryUnits"), "所属单位");
  EXPECT_EQ(CellForField(p, "goals.projects[0]").rfind("项目绩效目标!A3:", 0), 0u);
  // Empty cells of key/value sheets are where to fill in what a rule misses.
  EXPECT_EQ(CellForField(p, "budget.narrative.threePublicChangeReason").rfind("说明文字!B", 0), 0u);
  EXPECT_EQ(CellForField(p, "budget.assets.asOfDate"), "资产!B3");
  EXPECT_EQ(CellForField(p, "unknown.path"), "");
  EXPECT_EQ(CellForField(p, ""), "");
  // The boundary is a field or an index, never a prefix of a name.
  EXPECT_EQ(CellForField(p, "budget.incomeLines[0]x"), CellForField(p, "budget.incomeLines"));
}

}  // namespace
}  // namespace yusuan::workbook
