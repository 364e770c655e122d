// A region's roll-up as CSV, HTML, Markdown and XLSX: every amount the
// roll-up holds is in each file, the rows are in the roll-up's order, and a
// format the roll-up has no renderer for is refused naming the ones it has.
#include "services/report/domain/rollup_render.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/money.h"

namespace yusuan::report {
namespace {

namespace lv1 = yusuan::ledger::v1;
using ::testing::HasSubstr;

lv1::Rollup SampleRollup() {
  lv1::Rollup rollup;
  rollup.set_name("regions/4201/rollups/2021");
  rollup.set_region_prefix("4201");
  rollup.set_fiscal_year(2021);
  rollup.add_statuses(lv1::FILING_STATUS_APPROVED);
  rollup.add_statuses(lv1::FILING_STATUS_PUBLISHED);
  rollup.set_budget_count(3);
  rollup.set_income_fen(123456789);
  rollup.set_expenditure_fen(123456789);
  rollup.set_basic_fen(100000000);
  rollup.set_project_fen(23456789);
  rollup.set_machinery_operating_fen(4500000);
  rollup.set_read_time_unix_ms(1'700'000'000'000);
  auto add = [](google::protobuf::RepeatedPtrField<lv1::RollupRow>* rows, const char* code, const char* name, int level,
                int64_t fen) {
    lv1::RollupRow* row = rows->Add();
    row->set_code(code);
    row->set_name(name);
    row->set_level(level);
    row->set_amount_fen(fen);
  };
  add(rollup.mutable_functional(), "201", "一般公共服务支出", 1, 123456789);
  add(rollup.mutable_functional(), "20101", "人大事务", 2, 123456789);
  add(rollup.mutable_functional(), "2010101", "=行政运行", 3, 123456789);
  add(rollup.mutable_economic(), "301", "工资福利支出", 1, 100000000);
  add(rollup.mutable_income_by_source(), "FUND_SOURCE_GENERAL_PUBLIC_BUDGET", "一般公共预算拨款收入", 0, 123456789);
  lv1::ThreePublicCosts* costs = rollup.mutable_three_public();
  costs->set_reception_fen(300000);
  costs->set_total_fen(300000);
  costs->set_vehicle_total_fen(0);
  return rollup;
}

TEST(RenderRollup, CsvHasOneRowPerAmount) {
  absl::StatusOr<v1::Artifact> csv = RenderRollup(SampleRollup(), v1::FORMAT_CSV);
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_EQ(csv->file_name(), "rollup-4201-2021.csv");
  EXPECT_EQ(csv->media_type(), "text/csv; charset=utf-8");
  EXPECT_EQ(csv->size_bytes(), static_cast<int64_t>(csv->content().size()));
  const std::vector<std::string> lines = absl::StrSplit(csv->content(), "\r\n", absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 1u + 5 + 6 + 3 + 1 + 1);
  EXPECT_EQ(lines[0],
            "\xEF\xBB\xBFsection,code,name,level,amount_yuan,amount_fen,region_prefix,fiscal_year,statuses,"
            "budget_count");
  EXPECT_EQ(lines[2], "summary,expenditure,支出合计,0,1234567.89,123456789,4201,2021,APPROVED|PUBLISHED,3");
  EXPECT_EQ(lines[6], "three_public,total,“三公”经费合计,0,3000.00,300000,4201,2021,APPROVED|PUBLISHED,3");
  EXPECT_EQ(lines[14], "functional,2010101,'=行政运行,3,1234567.89,123456789,4201,2021,APPROVED|PUBLISHED,3")
      << "a name a spreadsheet would run is neutralised";
  EXPECT_EQ(lines[16],
            "income_by_source,FUND_SOURCE_GENERAL_PUBLIC_BUDGET,一般公共预算拨款收入,0,1234567.89,123456789,4201,2021,"
            "APPROVED|PUBLISHED,3");
}

TEST(RenderRollup, HtmlAndMarkdownShowEveryTableInWanYuan) {
  for (v1::Format format : {v1::FORMAT_HTML, v1::FORMAT_MARKDOWN}) {
    absl::StatusOr<v1::Artifact> file = RenderRollup(SampleRollup(), format);
    ASSERT_TRUE(file.ok()) << file.status();
    const std::string& text = file->content();
    for (const char* title : {"汇总总表", "支出功能分类汇总表", "支出经济分类汇总表", "收入来源汇总表",
                              "支出资金来源汇总表", "支出类型汇总表", "“三公”经费与机关运行经费汇总表"}) {
      EXPECT_THAT(text, HasSubstr(title)) << v1::Format_Name(format);
    }
    EXPECT_THAT(text, HasSubstr(FormatWanYuan(123456789))) << v1::Format_Name(format);
    EXPECT_THAT(text, HasSubstr("已审核、已公开")) << v1::Format_Name(format);
    EXPECT_THAT(text, HasSubstr("人大事务")) << v1::Format_Name(format);
  }
}

TEST(RenderRollup, XlsxHasASheetPerBreakdown) {
  absl::StatusOr<v1::Artifact> xlsx = RenderRollup(SampleRollup(), v1::FORMAT_XLSX);
  ASSERT_TRUE(xlsx.ok()) << xlsx.status();
  EXPECT_EQ(xlsx->file_name(), "rollup-4201-2021.xlsx");
  ASSERT_GT(xlsx->content().size(), 4u);
  EXPECT_EQ(xlsx->content().substr(0, 2), "PK");
  char path[] = "/tmp/yusuan-rollup-XXXXXX.xlsx";
  const int fd = ::mkstemps(path, 5);
  ASSERT_GE(fd, 0);
  ::close(fd);
  std::ofstream(path, std::ios::binary) << xlsx->content();
  std::string workbook;
  if (FILE* pipe = ::popen((std::string("unzip -p '") + path + "' xl/workbook.xml").c_str(), "r")) {
    char buffer[4096];
    for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) workbook.append(buffer, n);
    ::pclose(pipe);
  }
  std::remove(path);
  for (const char* sheet : {"汇总总表", "支出功能分类汇总表", "“三公”经费与机关运行经费汇总表"}) {
    EXPECT_THAT(workbook, HasSubstr(std::string("<sheet name=\"") + sheet)) << workbook;
  }
}

TEST(RenderRollup, OtherFormatsAreRefusedNamingTheOnesThereAre) {
  for (v1::Format format : {v1::FORMAT_PDF, v1::FORMAT_JSON, v1::FORMAT_DATA_PACKAGE, v1::FORMAT_UNSPECIFIED}) {
    absl::StatusOr<v1::Artifact> file = RenderRollup(SampleRollup(), format);
    EXPECT_EQ(file.status().code(), absl::StatusCode::kInvalidArgument) << v1::Format_Name(format);
    EXPECT_THAT(file.status().message(), HasSubstr("csv, xlsx, html or md"));
  }
}

}  // namespace
}  // namespace yusuan::report
