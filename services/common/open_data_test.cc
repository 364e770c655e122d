#include "services/common/open_data.h"

#include <nlohmann/json.hpp>

#include <string>

#include "gtest/gtest.h"

namespace yusuan::open_data {
namespace {

TEST(OpenDataCsvTest, QuotesWhatNeedsQuotingAndNeutralisesFormulasButNotNumbers) {
  std::string out;
  AppendCsvRow(&out, {"plain", "a,b", "say \"hi\"", "=1+2*3", "@SUM(A1)", "-x", CsvCell::Number("-12.50"), ""});
  EXPECT_EQ(out, "plain,\"a,b\",\"say \"\"hi\"\"\",'=1+2*3,'@SUM(A1),'-x,-12.50,\r\n");
}

TEST(OpenDataCsvTest, LedgerLineRowsAreWhatFollowsTheHeader) {
  const std::string header = LedgerLineCsvHeader();
  ASSERT_EQ(header.substr(0, 3), kByteOrderMark);
  EXPECT_EQ(header.substr(3),
            "line_id,direction,functional_code,functional_name,economic_code,economic_name,kind,fund_source,carryover,"
            "project_id,amount_yuan,amount_fen,budget,revision\r\n");
  const std::string rows = "income-1,income,,,,,,FUND_SOURCE_GENERAL,false,,1.00,100,regions/42/x,3\r\n";
  absl::StatusOr<std::string_view> stripped = LedgerLineRows(header + rows);
  ASSERT_TRUE(stripped.ok()) << stripped.status();
  EXPECT_EQ(*stripped, rows);
  EXPECT_EQ(LedgerLineRows(header).value(), "");
  EXPECT_EQ(CountCsvRecords(rows + rows), 2);
  // A line break inside a quoted field ends no record.
  EXPECT_EQ(CountCsvRecords("a,\"b\r\nc\"\r\nd\r\n"), 2);
  EXPECT_EQ(CountCsvRecords(""), 0);
  // Without the byte-order mark, or with another header, it is not a ledger-line CSV.
  EXPECT_EQ(LedgerLineRows(header.substr(3) + rows).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(LedgerLineRows(std::string(kByteOrderMark) + "section,code\r\n").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(OpenDataCsvTest, ExportedBudgetRowsNameThePublishedVersionOnlyWhenThereIsOne) {
  std::string out;
  AppendExportedBudgetRow(&out, {.budget = "regions/420107/departments/005001/budgets/2021",
                                 .region_code = "420107",
                                 .agency_code = "005001",
                                 .department = "=青山区科协, \"本级\"",
                                 .line_count = 12,
                                 .published_version = 2,
                                 .publish_time_unix_ms = 1'612'137'600'123,
                                 .csv_sha256 = "ab12"});
  AppendExportedBudgetRow(&out, {.budget = "regions/420107/departments/005002/budgets/2021",
                                 .region_code = "420107",
                                 .agency_code = "005002",
                                 .department = "青山区妇联",
                                 .line_count = 0,
                                 .published_version = 0,
                                 .publish_time_unix_ms = 0,
                                 .csv_sha256 = "cd34"});
  EXPECT_EQ(out,
            "regions/420107/departments/005001/budgets/2021,420107,005001,\"'=青山区科协, \"\"本级\"\"\",12,2,"
            "2021-02-01T00:00:00Z,ab12\r\n"
            "regions/420107/departments/005002/budgets/2021,420107,005002,青山区妇联,0,,,cd34\r\n");
  EXPECT_EQ(ExportedBudgetCsvHeader().substr(3),
            "budget,region_code,agency_code,department,line_count,published_version,publish_time,csv_sha256\r\n");
}

TEST(OpenDataPackageTest, DescribesBothFilesWithTheirFactsWhenKnown) {
  RegionPackage package{.region_code = "4201",
                        .fiscal_year = 2021,
                        .published = true,
                        .lines = {.bytes = 1234, .sha256_hex = "aa"},
                        .budgets = {}};
  const nlohmann::json descriptor = nlohmann::json::parse(RenderRegionDataPackage(package));
  EXPECT_EQ(descriptor["profile"], "fiscal-data-package");
  EXPECT_EQ(descriptor["name"], "regions-4201-2021-published");
  EXPECT_EQ(descriptor["fiscalPeriod"]["start"], "2021-01-01");
  ASSERT_EQ(descriptor["resources"].size(), 2u);
  const nlohmann::json& lines = descriptor["resources"][0];
  EXPECT_EQ(lines["path"], "lines.csv");
  EXPECT_EQ(lines["bytes"], 1234);
  EXPECT_EQ(lines["hash"], "sha256:aa");
  EXPECT_EQ(lines["schema"]["fields"].size(), LedgerLineColumns().size());
  EXPECT_EQ(lines["schema"]["fields"][10]["name"], "amount_yuan");
  EXPECT_EQ(lines["schema"]["fields"][10]["decimalChar"], ".");
  EXPECT_EQ(lines["schema"]["primaryKey"], nlohmann::json::array({"budget", "line_id"}));
  EXPECT_EQ(lines["schema"]["foreignKeys"][0]["reference"]["resource"], "budgets");
  const nlohmann::json& budgets = descriptor["resources"][1];
  EXPECT_EQ(budgets["path"], "budgets.csv");
  // Not known yet: neither size nor hash is claimed.
  EXPECT_FALSE(budgets.contains("bytes"));
  EXPECT_FALSE(budgets.contains("hash"));
  EXPECT_EQ(budgets["schema"]["fields"].size(), ExportedBudgetColumns().size());
  EXPECT_EQ(descriptor["model"]["measures"]["amount"]["source"], "amount_yuan");

  package.published = false;
  EXPECT_EQ(nlohmann::json::parse(RenderRegionDataPackage(package))["name"], "regions-4201-2021-filings");
  // The same facts give the same bytes.
  EXPECT_EQ(RenderRegionDataPackage(package), RenderRegionDataPackage(package));
}

}  // namespace
}  // namespace yusuan::open_data
