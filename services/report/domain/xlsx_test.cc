// The XLSX disclosure of the reference department, read back the way a
// reader's tools see it: the file is written to a temporary directory and
// its parts are extracted with `unzip -p`.
#include "services/report/domain/xlsx_renderer.h"

#include <stdio.h>   // popen
#include <stdlib.h>  // mkdtemp, setenv

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/sha256.h"
#include "services/report/domain/render.h"
#include "services/report/domain/testdata_departments.h"

namespace yusuan::report {
namespace {

using testdata::ReferenceReportInput;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using v1::Artifact;

// A workbook written to disk, its parts read back with unzip.
class Workbook {
 public:
  explicit Workbook(const std::string& bytes) {
    std::string dir = (std::filesystem::path(::testing::TempDir()) / "yusuan-xlsx-test-XXXXXX").string();
    EXPECT_NE(mkdtemp(dir.data()), nullptr);
    dir_ = dir;
    path_ = dir_ + "/report.xlsx";
    std::ofstream out(path_, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  ~Workbook() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // One part of the package ("xl/workbook.xml"); empty when absent.
  std::string Part(const std::string& name) const {
    const std::string command = "unzip -p '" + path_ + "' '" + name + "' 2>/dev/null";
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return "";
    std::string text;
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) text.append(buffer, n);
    pclose(pipe);
    return text;
  }

  // `unzip -t` says the archive is sound.
  bool Tests() const { return std::system(("unzip -tq '" + path_ + "' >/dev/null 2>&1").c_str()) == 0; }

  std::string Sheet(int n) const { return Part("xl/worksheets/sheet" + std::to_string(n) + ".xml"); }

 private:
  std::string dir_;
  std::string path_;
};

std::string RenderXlsxBytes(const v1::ReportInput& input) {
  absl::StatusOr<Artifact> artifact = RenderReport(input, v1::FORMAT_XLSX);
  EXPECT_TRUE(artifact.ok()) << artifact.status();
  return artifact.ok() ? artifact->content() : "";
}

std::vector<std::string> SheetNames(const std::string& workbook_xml) {
  std::vector<std::string> names;
  static const std::regex kSheet("<sheet name=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(workbook_xml.begin(), workbook_xml.end(), kSheet); it != std::sregex_iterator();
       ++it) {
    names.push_back((*it)[1]);
  }
  return names;
}

struct NumberCell {
  std::string ref;
  int style = 0;
  double value = 0;
};

// Cells without a t= attribute: numbers (strings are t="s").
std::vector<NumberCell> NumberCells(const std::string& sheet_xml) {
  std::vector<NumberCell> cells;
  static const std::regex kCell("<c r=\"([A-Z]+[0-9]+)\"(?: s=\"([0-9]+)\")?><v>([^<]*)</v></c>");
  for (auto it = std::sregex_iterator(sheet_xml.begin(), sheet_xml.end(), kCell); it != std::sregex_iterator(); ++it) {
    NumberCell cell;
    cell.ref = (*it)[1];
    cell.style = (*it)[2].matched ? std::stoi((*it)[2]) : 0;
    cell.value = std::stod((*it)[3]);
    cells.push_back(cell);
  }
  return cells;
}

bool HasNumber(const std::vector<NumberCell>& cells, double value) {
  for (const NumberCell& cell : cells) {
    if (cell.value == value) return true;
  }
  return false;
}

// The number format code of each cellXfs style index ("0.00", "0.00%", …).
std::vector<std::string> StyleFormats(const std::string& styles_xml) {
  std::map<int, std::string> codes = {{0, "General"}, {2, "0.00"}, {10, "0.00%"}};
  static const std::regex kNumFmt("<numFmt numFmtId=\"([0-9]+)\" formatCode=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(styles_xml.begin(), styles_xml.end(), kNumFmt); it != std::sregex_iterator();
       ++it) {
    codes[std::stoi((*it)[1])] = (*it)[2];
  }
  const size_t begin = styles_xml.find("<cellXfs");
  const size_t end = styles_xml.find("</cellXfs>");
  std::vector<std::string> formats;
  if (begin == std::string::npos || end == std::string::npos) return formats;
  const std::string xfs = styles_xml.substr(begin, end - begin);
  static const std::regex kXf("<xf numFmtId=\"([0-9]+)\"");
  for (auto it = std::sregex_iterator(xfs.begin(), xfs.end(), kXf); it != std::sregex_iterator(); ++it) {
    const int id = std::stoi((*it)[1]);
    formats.push_back(codes.count(id) > 0 ? codes[id] : "numFmt " + std::to_string(id));
  }
  return formats;
}

TEST(XlsxSheetName, CutsThePrefixAndKeepsExcelsRules) {
  EXPECT_EQ(XlsxSheetName("表1 区科协2021年财政拨款收支预算总表", "区科协2021年"), "表1 财政拨款收支预算总表");
  EXPECT_EQ(XlsxSheetName("表2 a/b\\c[d]e:f*g?h", ""), "表2 a_b_c_d_e_f_g_h");
  EXPECT_EQ(XlsxSheetName("'quoted'", ""), "quoted");
  EXPECT_EQ(XlsxSheetName("", ""), "Sheet");
  EXPECT_EQ(XlsxSheetName("区科协2021年", "区科协2021年"), "Sheet");
  // 31 UTF-16 units at most, cut between characters.
  const std::string long_name = "表9 " + std::string(40 * 3, 'x');
  EXPECT_EQ(XlsxSheetName(long_name, "").size(), 31u + 2u);  // 表 is 3 bytes
  std::string cjk;
  for (int i = 0; i < 40; ++i) cjk += "预";
  EXPECT_EQ(XlsxSheetName(cjk, ""), cjk.substr(0, 31 * 3));
  // A character outside the BMP counts two units.
  EXPECT_EQ(XlsxSheetName(std::string(30, 'a') + "\xF0\x9F\x98\x80", ""), std::string(30, 'a'));
}

TEST(RenderXlsx, ArtifactIsAZipWorkbook) {
  absl::StatusOr<Artifact> artifact = RenderReport(ReferenceReportInput(), v1::FORMAT_XLSX);
  ASSERT_TRUE(artifact.ok()) << artifact.status();
  EXPECT_EQ(artifact->format(), v1::FORMAT_XLSX);
  EXPECT_EQ(artifact->media_type(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(artifact->file_name(), "区科协2021年部门预算.xlsx");
  EXPECT_EQ(artifact->sha256_hex(), Sha256Hex(artifact->content()));
  EXPECT_EQ(artifact->content().substr(0, 4), std::string("PK\x03\x04", 4));
  Workbook book(artifact->content());
  EXPECT_TRUE(book.Tests());
}

TEST(RenderXlsx, TenSheetsOnePerTable) {
  Workbook book(RenderXlsxBytes(ReferenceReportInput()));
  EXPECT_THAT(
      SheetNames(book.Part("xl/workbook.xml")),
      ElementsAre("表1 财政拨款收支预算总表", "表2 一般公共预算支出表", "表3 一般公共预算基本支出表",
                  "表4 一般公共预算“三公”经费支出表", "表5 政府性基金预算支出表", "表6 部门收支总表",
                  "表7 部门收入总表", "表8 部门支出总表", "表9 部门整体支出绩效目标表", "表10 部门项目支出绩效目标表"));
  EXPECT_EQ(book.Sheet(11), "");
  // Title, 编制单位 and 单位 lines are shared strings of every table sheet.
  const std::string strings = book.Part("xl/sharedStrings.xml");
  for (const char* text : {"表1 区科协2021年财政拨款收支预算总表", "表8 区科协2021年部门支出总表",
                           "表9 区科协2021年部门整体支出绩效目标表", "编制单位：武汉市青山区科学技术协会", "单位：万元",
                           "金额单位：元", "本部门无政府性基金预算安排的支出，此表为空表。", "科普经费（青山区）",
                           "科普经费（化工区）", "部门整体支出绩效目标申报表"}) {
    EXPECT_THAT(strings, HasSubstr(text)) << text;
  }
  for (const std::string& goal : testdata::AnnualGoalTexts()) {
    EXPECT_THAT(strings, HasSubstr(goal)) << goal;
  }
  // Only the tables: not the narrative of 第三部分.
  EXPECT_THAT(strings, Not(HasSubstr("第三部分")));
}

TEST(RenderXlsx, AmountsAreNumbersEqualToTheProjections) {
  Workbook book(RenderXlsxBytes(ReferenceReportInput()));
  const auto t1 = NumberCells(book.Sheet(1));
  const auto t2 = NumberCells(book.Sheet(2));
  const auto t3 = NumberCells(book.Sheet(3));
  const auto t8 = NumberCells(book.Sheet(8));
  const auto t9 = NumberCells(book.Sheet(9));
  const auto t10 = NumberCells(book.Sheet(10));
  for (double v : {415.51, 156.71, 258.80}) {
    EXPECT_TRUE(HasNumber(t1, v)) << "表1 " << v;
    EXPECT_TRUE(HasNumber(t8, v)) << "表8 " << v;
  }
  for (double v : {415.51, 146.70, 10.01, 258.80}) {
    EXPECT_TRUE(HasNumber(t2, v)) << "表2 " << v;
  }
  for (double v : {156.71, 146.70, 120.38, 26.32, 10.01}) {
    EXPECT_TRUE(HasNumber(t3, v)) << "表3 " << v;
  }
  // 表9's funds block: amounts, the two prior years and the shares.
  for (double v : {415.51, 156.71, 258.80, 201.03, 407.22, 151.17, 133.14, 0.3772, 0.6228}) {
    EXPECT_TRUE(HasNumber(t9, v)) << "表9 " << v;
  }
  // 表10 in 元.
  EXPECT_TRUE(HasNumber(t10, 2380000));
  EXPECT_TRUE(HasNumber(t10, 208000));
  // No figure is written as text.
  const std::string strings = book.Part("xl/sharedStrings.xml");
  for (const char* text : {">415.51<", ">156.71<", ">258.80<", ">2380000.00<", ">37.72%<"}) {
    EXPECT_THAT(strings, Not(HasSubstr(text))) << text;
  }
}

TEST(RenderXlsx, AmountCellsUseTheTwoDecimalFormat) {
  Workbook book(RenderXlsxBytes(ReferenceReportInput()));
  const std::vector<std::string> formats = StyleFormats(book.Part("xl/styles.xml"));
  ASSERT_FALSE(formats.empty());
  int amounts = 0;
  std::vector<double> shares;
  for (int n = 1; n <= 10; ++n) {
    for (const NumberCell& cell : NumberCells(book.Sheet(n))) {
      ASSERT_LT(static_cast<size_t>(cell.style), formats.size()) << cell.ref;
      const std::string& format = formats[static_cast<size_t>(cell.style)];
      if (format == "0.00%") {
        EXPECT_EQ(n, 9) << cell.ref;
        shares.push_back(cell.value);
      } else {
        EXPECT_EQ(format, "0.00") << "sheet " << n << " " << cell.ref;
        ++amounts;
      }
    }
  }
  EXPECT_GT(amounts, 50);
  // 表9's 占比 column: 财政拨款 100% of income, 基本 37.72% + 项目 62.28%.
  EXPECT_THAT(shares, ElementsAre(1.0, 0.0, 1.0, 0.3772, 0.6228, 1.0));
}

TEST(RenderXlsx, HeadersMergedFrozenAndA4) {
  Workbook book(RenderXlsxBytes(ReferenceReportInput()));
  for (int n = 1; n <= 10; ++n) {
    const std::string sheet = book.Sheet(n);
    EXPECT_THAT(sheet, HasSubstr("state=\"frozen\"")) << n;
    EXPECT_THAT(sheet, HasSubstr("<mergeCell ref=")) << n;
    EXPECT_THAT(sheet, HasSubstr("paperSize=\"9\"")) << n;
    EXPECT_THAT(sheet, HasSubstr("fitToHeight=\"0\"")) << n;
    EXPECT_THAT(sheet, HasSubstr("<pageSetUpPr fitToPage=\"1\"/>")) << n;
  }
  // 表1: title A1, 编制单位 A2, the 收入/支出 header row 3 and the column
  // titles row 4 are frozen; the body starts at row 5.
  const std::string t1 = book.Sheet(1);
  EXPECT_THAT(t1, HasSubstr("<pane ySplit=\"4\" topLeftCell=\"A5\" activePane=\"bottomLeft\" "
                            "state=\"frozen\"/>"));
  // Seven columns: 收入 项目·预算数, 支出 项目 and the four of 合计 and the
  // three fiscal funds.
  EXPECT_THAT(t1, HasSubstr("<mergeCell ref=\"A1:G1\"/>"));  // title
  EXPECT_THAT(t1, HasSubstr("<mergeCell ref=\"A2:F2\"/>"));  // 编制单位 | 单位：万元
  EXPECT_THAT(t1, HasSubstr("<mergeCell ref=\"A3:B3\"/>"));  // 收入 over 项目·预算数
  EXPECT_THAT(t1, HasSubstr("<mergeCell ref=\"C3:G3\"/>"));  // 支出 over 项目 and 4 columns
  // 表2: 基本支出 spans 小计, 人员经费 and 公用经费; the lead columns span two rows.
  const std::string t2 = book.Sheet(2);
  EXPECT_THAT(t2, HasSubstr("<mergeCell ref=\"A3:A4\"/>"));
  EXPECT_THAT(t2, HasSubstr("<mergeCell ref=\"D3:F3\"/>"));
  // Title rows repeat on every printed page.
  const std::string workbook = book.Part("xl/workbook.xml");
  EXPECT_THAT(workbook, HasSubstr("_xlnm.Print_Titles"));
  EXPECT_THAT(t1, HasSubstr("第 &amp;P 页 共 &amp;N 页"));
}

TEST(RenderXlsx, SameInputSameBytesAndTheTimeComesFromTheInput) {
  const std::string first = RenderXlsxBytes(ReferenceReportInput());
  const std::string second = RenderXlsxBytes(ReferenceReportInput());
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(first, second);
  // The time zone of the machine does not leak into the bytes.
  const char* old_tz = std::getenv("TZ");
  const std::string saved = old_tz == nullptr ? "" : old_tz;
  setenv("TZ", "Asia/Shanghai", 1);
  tzset();
  const std::string shanghai = RenderXlsxBytes(ReferenceReportInput());
  if (old_tz == nullptr) {
    unsetenv("TZ");
  } else {
    setenv("TZ", saved.c_str(), 1);
  }
  tzset();
  EXPECT_EQ(first, shanghai);

  // No update time in the fixture: 1 January of the budget year.
  EXPECT_THAT(Workbook(first).Part("docProps/core.xml"),
              HasSubstr("<dcterms:created xsi:type=\"dcterms:W3CDTF\">2021-01-01T00:00:00Z"));
  // The budget's update time when it has one.
  auto input = ReferenceReportInput();
  input.mutable_budget()->set_update_time_unix_ms(1611734400123);  // 2021-01-27T08:00:00.123Z
  const std::string updated = RenderXlsxBytes(input);
  EXPECT_TRUE(updated != first);
  EXPECT_EQ(updated, RenderXlsxBytes(input));
  EXPECT_THAT(Workbook(updated).Part("docProps/core.xml"),
              HasSubstr("<dcterms:created xsi:type=\"dcterms:W3CDTF\">2021-01-27T08:00:00Z"));
  // A published version's publish time comes first.
  input.set_publish_time_unix_ms(1612137600000);  // 2021-02-01T00:00:00Z
  EXPECT_THAT(Workbook(RenderXlsxBytes(input)).Part("docProps/core.xml"),
              HasSubstr("<dcterms:created xsi:type=\"dcterms:W3CDTF\">2021-02-01T00:00:00Z"));
}

TEST(RenderXlsx, ADisplayedChangeChangesTheBytes) {
  auto input = ReferenceReportInput();
  const std::string reference = RenderXlsxBytes(ReferenceReportInput());
  // One 分 more still shows 415.51: the cell holds the displayed figure.
  input.mutable_tables()->mutable_tables(0)->mutable_rows(0)->set_cells_fen(0, testdata::W(41551) + 1);
  EXPECT_TRUE(RenderXlsxBytes(input) == reference);
  // 0.01 万元 more shows.
  input.mutable_tables()->mutable_tables(0)->mutable_rows(0)->set_cells_fen(0, testdata::W(41552));
  const std::string changed = RenderXlsxBytes(input);
  EXPECT_TRUE(changed != reference);
  EXPECT_TRUE(HasNumber(NumberCells(Workbook(changed).Sheet(1)), 415.52));
}

TEST(RenderXlsx, TablesWithTheSameTitleGetDistinctSheets) {
  Document document;
  Table first;
  first.title = "表1 甲";
  first.anchor = "table-1";
  first.body.push_back({WanYuanCell(10'000)});
  Table second = first;
  second.anchor = "table-1b";
  document.AddTable(first);
  document.AddTable(second);
  XlsxOptions options;
  options.created_unix_seconds = 1;
  absl::StatusOr<std::string> bytes = RenderXlsx(document, options);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  Workbook book(*bytes);
  EXPECT_THAT(SheetNames(book.Part("xl/workbook.xml")), ElementsAre("表1 甲", "表1 甲(2)"));
  const auto cells = NumberCells(book.Sheet(1));
  EXPECT_TRUE(HasNumber(cells, 0.01));
}

TEST(RenderXlsx, NeedsATimeFromTheInput) {
  EXPECT_EQ(RenderXlsx(Document(), XlsxOptions()).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace yusuan::report
