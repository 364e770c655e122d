#include "services/ledger/domain/catalogue_import.h"

#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace yusuan::ledger {
namespace {

namespace v1 = yusuan::ledger::v1;
using ::testing::HasSubstr;

const CatalogueSet& Shipped() {
  static const CatalogueSet* set = [] {
    auto loaded = CatalogueSet::LoadFromDirectory(std::string(YUSUAN_SOURCE_DIR) + "/data/catalogue");
    EXPECT_TRUE(loaded.ok()) << loaded.status();
    return new CatalogueSet(*std::move(loaded));
  }();
  return *set;
}

CatalogueImportOptions Options(const std::string& file = "2021.csv", const Catalogue* reference = nullptr) {
  CatalogueImportOptions options;
  options.edition = 2021;
  options.file_name = file;
  options.reference = reference;
  return options;
}

// A small but complete file: every classification, a 项 of each budget.
constexpr char kGoodCsv[] =
    "科目编码,科目名称,级次,预算\n"
    "201,一般公共服务支出,类,\n"
    "20101,人大事务,款,\n"
    "2010101,行政运行,项,一般公共预算\n"
    "207,文化旅游体育与传媒支出,类,\n"
    "20707,国家电影事业发展专项资金安排的支出,款,\n"
    "2070701,资助国产影片放映,项,政府性基金预算\n"
    "2070799,其他国家电影事业发展专项资金支出,项,政府性基金\n"
    "223,国有资本经营预算支出,类,\n"
    "22301,解决历史遗留问题及改革成本支出,款,\n"
    "2230101,厂办大集体改革支出,项,国有资本经营预算\n"
    "301,工资福利支出,类,\n"
    "30101,基本工资,款,\n"
    "501,机关工资福利支出,类,\n"
    "50101,工资奖金津补贴,款,\n";

TEST(CatalogueImportCsv, ReadsEveryClassificationAndTheBudgets) {
  auto catalogue = ImportCatalogueFile(kGoodCsv, Options());
  ASSERT_TRUE(catalogue.ok()) << catalogue.status();
  EXPECT_EQ(catalogue->edition(), 2021);
  EXPECT_EQ(*catalogue->FunctionalName("2010101"), "行政运行");
  EXPECT_EQ(*catalogue->EconomicName("30101"), "基本工资");
  EXPECT_EQ(*catalogue->GovernmentEconomicName("50101"), "工资奖金津补贴");
  EXPECT_TRUE(catalogue->FunctionalBudgets("2010101").Contains(v1::BUDGET_KIND_GENERAL));
  EXPECT_TRUE(catalogue->FunctionalBudgets("2070701") == BudgetSet::Of(v1::BUDGET_KIND_GOVERNMENT_FUND));
  EXPECT_TRUE(catalogue->FunctionalBudgets("2070799") == BudgetSet::Of(v1::BUDGET_KIND_GOVERNMENT_FUND));
  EXPECT_TRUE(catalogue->FunctionalBudgets("2230101") == BudgetSet::Of(v1::BUDGET_KIND_STATE_CAPITAL));
  // A 款 belongs to its 项' budgets.
  EXPECT_TRUE(catalogue->FunctionalBudgets("20707") == BudgetSet::Of(v1::BUDGET_KIND_GOVERNMENT_FUND));
  EXPECT_EQ(catalogue->FunctionalCodes().size(), 10u);
  EXPECT_EQ(catalogue->EconomicCodes().size(), 2u);
  EXPECT_EQ(catalogue->GovernmentEconomicCodes().size(), 2u);
}

TEST(CatalogueImportCsv, WithoutHeaderOrBudgetColumnTheReferenceTagsTheItems) {
  const Catalogue* shipped = Shipped().Find(2021);
  ASSERT_NE(shipped, nullptr);
  ASSERT_TRUE(shipped->FunctionalBudgets("2070701") == BudgetSet::Of(v1::BUDGET_KIND_GOVERNMENT_FUND));
  const std::string csv =
      "207,文化旅游体育与传媒支出,类\n"
      "20707,国家电影事业发展专项资金安排的支出,款\n"
      "2070701,资助国产影片放映,项\n"
      "20798,新设的款,款\n"
      "2079801,新设的项,项\n"
      "301,工资福利支出,类\n"
      "30101,基本工资,款\n"
      "501,机关工资福利支出,类\n"
      "50101,工资奖金津补贴,款\n";
  auto catalogue = ImportCatalogueFile(csv, Options("2021.csv", shipped));
  ASSERT_TRUE(catalogue.ok()) << catalogue.status();
  EXPECT_TRUE(catalogue->FunctionalBudgets("2070701") == BudgetSet::Of(v1::BUDGET_KIND_GOVERNMENT_FUND));
  EXPECT_TRUE(catalogue->FunctionalBudgets("2079801") == BudgetSet::Of(v1::BUDGET_KIND_GENERAL));
  // The reference's mapping rows whose codes the file lists are kept.
  EXPECT_EQ(catalogue->GovernmentEconomicFor("30101", v1::UNIT_TYPE_ADMINISTRATIVE),
            shipped->GovernmentEconomicFor("30101", v1::UNIT_TYPE_ADMINISTRATIVE));
  EXPECT_FALSE(catalogue->GovernmentEconomicFor("30101", v1::UNIT_TYPE_ADMINISTRATIVE).empty());
}

TEST(CatalogueImportCsv, BomCrlfQuotesExtraColumnsAndEmptyRows) {
  const std::string csv =
      "\xEF\xBB\xBF"
      "说明,科目编码,科目名称,级次\r\n"
      ",,,\r\n"
      "总类,201,\"一般公共服务支出\",类\r\n"
      "\"含逗号, 的说明\",20101,\"人大事务（含\"\"议事\"\"）\",款\r\n"
      ",2010101, 行政运行 ,项\r\n"
      "\r\n"
      ",301,工资福利支出,类\r\n"
      ",30101,基本工资,款";
  auto catalogue = ImportCatalogueFile(csv, Options());
  ASSERT_TRUE(catalogue.ok()) << catalogue.status();
  EXPECT_EQ(*catalogue->FunctionalName("20101"), "人大事务（含\"议事\"）");
  EXPECT_EQ(*catalogue->FunctionalName("2010101"), "行政运行");
  EXPECT_EQ(*catalogue->EconomicName("30101"), "基本工资");
}

struct BadCase {
  std::string label;
  std::string csv;
  std::vector<std::string> expected;  // substrings of the message
};

TEST(CatalogueImportCsv, EveryKindOfBadRowIsNamedWithRowAndColumn) {
  const std::string head = "科目编码,科目名称,级次,预算\n201,一般公共服务支出,类,\n20101,人大事务,款,\n";
  const std::string tail = "301,工资福利支出,类,\n30101,基本工资,款,\n";
  const std::vector<BadCase> cases = {
      {"empty code",
       head + ",行政运行,项,\n" + tail,
       {"2021.csv 第 4 行 A 列（科目编码）", "row 4, column A", "empty"}},
      {"letters", head + "20101O1,行政运行,项,\n" + tail, {"row 4, column A", "\"20101O1\" is not a code of digits"}},
      {"income code", head + "101,税收收入,类,\n" + tail, {"row 4, column A", "not an expenditure code"}},
      {"four digits", head + "2010,行政运行,项,\n" + tail, {"row 4, column A", "has 4 digits"}},
      {"economic 项", head + tail + "3010101,岗位工资,项,\n", {"row 6, column A", "economic codes have no 项"}},
      {"empty name", head + "2010101,,项,\n" + tail, {"row 4, column B (科目名称)", "name of 2010101 is empty"}},
      {"control character in a name",
       head + "2010101,行政\x1b[2J运行,项,\n" + tail,
       {"row 4, column B (科目名称)", "the control character U+001B at character 3"}},
      {"right-to-left override in a name",
       head + "2010101,行政运行\u202e,项,\n" + tail,
       {"row 4, column B (科目名称)", "invisible formatting character U+202E at character 5"}},
      {"zero-width space in a name",
       head + "2010101,行\u200b政运行,项,\n" + tail,
       {"第 4 行 B 列（科目名称）", "不可见的格式字符 U+200B"}},
      {"empty level", head + "2010101,行政运行,,\n" + tail, {"row 4, column C (级次)", "level is empty"}},
      {"unknown level", head + "2010101,行政运行,目,\n" + tail, {"row 4, column C (级次)", "\"目\" is not a level"}},
      {"level mismatch", head + "2010101,行政运行,款,\n" + tail, {"row 4, column C (级次)", "so it is a 项, not a 款"}},
      {"budget on a 款",
       head + "2010101,行政运行,项,\n20102,政协事务,款,一般公共预算\n" + tail,
       {"row 5, column D (预算)", "only 支出功能分类 项 carry a budget"}},
      {"budget on economic",
       head + tail + "30102,津贴补贴,款,一般公共预算\n",
       {"row 6, column D (预算)", "only 支出功能分类 项"}},
      {"unknown budget",
       head + "2010101,行政运行,项,专项预算\n" + tail,
       {"row 4, column D (预算)", "\"专项预算\" is not a budget"}},
      {"duplicate",
       head + "2010101,行政运行,项,\n2010101,一般行政管理事务,项,\n" + tail,
       {"row 5, column A", "2010101 appears twice; row 4 has it already"}},
      {"missing parent",
       head + "2010201,行政运行,项,\n" + tail,
       {"row 4, column A", "the parent 款 20102 of 2010201 is not in the file"}},
      {"missing 类", "科目编码,科目名称,级次\n20101,人大事务,款\n" + tail, {"row 2, column A", "parent 类 201"}},
      {"header without 级次", "科目编码,科目名称\n201,一般公共服务支出\n", {"row 1 (header) has no column 级次"}},
      {"header twice",
       "科目编码,科目名称,级次,编码\n201,一般公共服务支出,类,201\n",
       {"names column 科目编码 twice (columns A and D)"}},
      {"unclosed quote", head + "2010101,\"行政运行,项,\n" + tail, {"row 4: a quoted cell is never closed"}},
      {"not UTF-8",
       head + "2010101,\xD0\xD0\xD5\xFE\xD4\xCB\xD0\xD0,项,\n" + tail,
       {"row 4 is not UTF-8", "iconv -f GBK"}},
      {"no economic codes", head + "2010101,行政运行,项,\n", {"must hold both", "0 economic codes"}},
      {"only a header", "科目编码,科目名称,级次\n", {"must hold both"}},
      {"empty file", "", {"is empty"}},
  };
  for (const BadCase& c : cases) {
    auto catalogue = ImportCatalogueFile(c.csv, Options());
    ASSERT_FALSE(catalogue.ok()) << c.label;
    EXPECT_EQ(catalogue.status().code(), absl::StatusCode::kInvalidArgument) << c.label;
    const std::string message(catalogue.status().message());
    EXPECT_THAT(message, HasSubstr("2021.csv")) << c.label;
    for (const std::string& part : c.expected) EXPECT_THAT(message, HasSubstr(part)) << c.label;
  }
}

// Writes a workbook with libxlsxwriter (the report service's library) and
// returns its bytes. Codes are numbers when `codes_as_numbers`.
std::string Workbook(const std::vector<std::vector<std::string>>& rows, bool codes_as_numbers) {
  const std::string path = ::testing::TempDir() + "/catalogue-" + std::to_string(::getpid()) + ".xlsx";
  lxw_workbook* workbook = workbook_new(path.c_str());
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, "科目");
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < rows[r].size(); ++c) {
      const std::string& cell = rows[r][c];
      if (cell.empty()) continue;
      const bool number = codes_as_numbers && c == 0 && r > 0;
      if (number) {
        worksheet_write_number(sheet, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(c), std::stod(cell), nullptr);
      } else {
        worksheet_write_string(sheet, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(c), cell.c_str(), nullptr);
      }
    }
  }
  EXPECT_EQ(workbook_close(workbook), LXW_NO_ERROR);
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::remove(path.c_str());
  return bytes.str();
}

const std::vector<std::vector<std::string>> kGoodRows = {
    {"科目编码", "科目名称", "级次", "预算"},
    {"201", "一般公共服务支出", "类", ""},
    {"20101", "人大事务", "款", ""},
    {"2010101", "行政运行", "项", "一般公共预算"},
    {"207", "文化旅游体育与传媒支出", "类", ""},
    {"20707", "国家电影事业发展专项资金安排的支出", "款", ""},
    {"2070701", "资助国产影片放映", "项", "政府性基金预算"},
    {"301", "工资福利支出", "类", ""},
    {"30101", "基本工资", "款", ""},
    {"501", "机关工资福利支出", "类", ""},
    {"50101", "工资奖金津补贴", "款", ""},
};

TEST(CatalogueImportXlsx, ReadsTheFirstSheetWithStringAndNumberCodes) {
  for (bool numbers : {false, true}) {
    const std::string bytes = Workbook(kGoodRows, numbers);
    ASSERT_TRUE(LooksLikeXlsx(bytes));
    auto catalogue = ImportCatalogueFile(bytes, Options("2021.xlsx"));
    ASSERT_TRUE(catalogue.ok()) << catalogue.status();
    EXPECT_EQ(*catalogue->FunctionalName("2070701"), "资助国产影片放映");
    EXPECT_TRUE(catalogue->FunctionalBudgets("2070701") == BudgetSet::Of(v1::BUDGET_KIND_GOVERNMENT_FUND));
    EXPECT_EQ(*catalogue->GovernmentEconomicName("50101"), "工资奖金津补贴");
    EXPECT_EQ(catalogue->FunctionalCodes().size(), 6u);
  }
}

TEST(CatalogueImportXlsx, BadRowsNameTheSpreadsheetRowAndColumn) {
  std::vector<std::vector<std::string>> rows = kGoodRows;
  rows[5][2] = "项";  // 20707 is a 款
  auto catalogue = ImportCatalogueFile(Workbook(rows, false), Options("2021.xlsx"));
  ASSERT_FALSE(catalogue.ok());
  EXPECT_THAT(catalogue.status().message(), HasSubstr("2021.xlsx row 6, column C (级次)"));
  EXPECT_THAT(catalogue.status().message(), HasSubstr("so it is a 款, not a 项"));

  rows = kGoodRows;
  rows[6][3] = "基金";
  catalogue = ImportCatalogueFile(Workbook(rows, false), Options("2021.xlsx"));
  ASSERT_FALSE(catalogue.ok());
  EXPECT_THAT(catalogue.status().message(), HasSubstr("row 7, column D (预算)"));
}

TEST(CatalogueImportXlsx, ABrokenZipIsRefusedNamingTheFile) {
  constexpr char kNotAZip[] = "PK\x03\x04 this is not a zip";
  auto catalogue = ImportCatalogueFile(std::string(kNotAZip, sizeof kNotAZip - 1), Options("2021.xlsx"));
  ASSERT_FALSE(catalogue.ok());
  EXPECT_EQ(catalogue.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(catalogue.status().message(), HasSubstr("2021.xlsx: not a readable XLSX file"));
  // A whole workbook cut short.
  const std::string bytes = Workbook(kGoodRows, false);
  catalogue = ImportCatalogueFile(bytes.substr(0, bytes.size() / 2), Options("2021.xlsx"));
  ASSERT_FALSE(catalogue.ok());
  EXPECT_THAT(catalogue.status().message(), HasSubstr("2021.xlsx"));
}

// A ZIP of the given members, written with minizip.
std::string ZipOf(const std::vector<std::pair<std::string, std::string>>& members) {
  const std::string path = ::testing::TempDir() + "/handmade-" + std::to_string(::getpid()) + ".xlsx";
  zipFile zip = zipOpen(path.c_str(), 0);
  EXPECT_NE(zip, nullptr);
  for (const auto& [name, text] : members) {
    EXPECT_EQ(zipOpenNewFileInZip(zip, name.c_str(), nullptr, nullptr, 0, nullptr, 0, nullptr, Z_DEFLATED,
                                  Z_DEFAULT_COMPRESSION),
              ZIP_OK);
    EXPECT_EQ(zipWriteInFileInZip(zip, text.data(), static_cast<unsigned>(text.size())), ZIP_OK);
    EXPECT_EQ(zipCloseFileInZip(zip), ZIP_OK);
  }
  EXPECT_EQ(zipClose(zip, nullptr), ZIP_OK);
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::remove(path.c_str());
  return bytes.str();
}

// A workbook as other programs write it: inline strings, a first sheet that
// is not sheet1.xml, rows with gaps and cells without r= attributes.
std::string HandMadeWorkbook() {
  std::vector<std::pair<std::string, std::string>> members;
  auto add = [&](const char* name, const std::string& text) { members.emplace_back(name, text); };
  add("xl/workbook.xml",
      R"(<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" )"
      R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>)"
      R"(<sheet name="科目表" sheetId="2" r:id="rId7"/><sheet name="说明" sheetId="1" r:id="rId1"/></sheets></workbook>)");
  add("xl/_rels/workbook.xml.rels",
      R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
      R"(<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/>)"
      R"(<Relationship Id="rId7" Type="worksheet" Target="worksheets/data.xml"/></Relationships>)");
  add("xl/worksheets/sheet1.xml",
      R"(<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>不是科目</t></is></c></row></sheetData></worksheet>)");
  std::string sheet = R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)";
  sheet +=
      R"(<row r="3"><c r="B3" t="inlineStr"><is><t>科目编码</t></is></c><c r="C3" t="inlineStr"><is><t>科目名称</t></is></c>)"
      R"(<c r="D3" t="inlineStr"><is><t>级次</t></is></c></row>)";
  const char* rows[][3] = {{"201", "一般公共服务支出", "类"},
                           {"20101", "人大事务", "款"},
                           {"2010101", "行政运行", "项"},
                           {"301", "工资福利支出", "类"},
                           {"30101", "基本工资", "款"}};
  int r = 5;  // a gap after the header
  for (const auto& row : rows) {
    sheet += "<row r=\"" + std::to_string(r) + "\"><c r=\"B" + std::to_string(r) + "\"><v>" + row[0] +
             "</v></c><c t=\"inlineStr\"><is><r><t>" + row[1] + "</t></r></is></c><c t=\"inlineStr\"><is><t>" + row[2] +
             "</t></is></c></row>";
    ++r;
  }
  // Row 10: a 项 whose 级次 says 款.
  sheet += R"(<row r="10"><c r="B10"><v>2010102</v></c><c r="C10" t="inlineStr"><is><t>一般行政管理事务</t></is></c>)"
           R"(<c r="D10" t="inlineStr"><is><t>款</t></is></c></row>)";
  sheet += "</sheetData></worksheet>";
  add("xl/worksheets/data.xml", sheet);
  return ZipOf(members);
}

TEST(CatalogueImportXlsx, BrokenSheetsAreRefusedNamingTheProblem) {
  const std::string header =
      R"(<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>科目编码</t></is></c></row>)";
  struct Case {
    std::string label;
    std::vector<std::pair<std::string, std::string>> members;
    std::string expected;
  } cases[] = {
      {"no sheet", {{"xl/other.xml", "<x/>"}}, "the first worksheet, xl/worksheets/sheet1.xml, is missing"},
      {"not XML", {{"xl/worksheets/sheet1.xml", header + "<row"}}, "sheet sheet1 is not XML"},
      {"past XFD",
       {{"xl/worksheets/sheet1.xml",
         header + R"(<row r="2"><c r="ZZZZZ2"><v>201</v></c></row></sheetData></worksheet>)"}},
       "row 2 has a cell past column XFD"},
      {"missing shared string",
       {{"xl/worksheets/sheet1.xml",
         header + R"(<row r="2"><c r="A2" t="s"><v>7</v></c></row></sheetData></worksheet>)"}},
       "row 2 refers to a missing shared string"},
  };
  for (const Case& c : cases) {
    auto catalogue = ImportCatalogueFile(ZipOf(c.members), Options("broken.xlsx"));
    ASSERT_FALSE(catalogue.ok()) << c.label;
    EXPECT_EQ(catalogue.status().code(), absl::StatusCode::kInvalidArgument) << c.label;
    EXPECT_THAT(catalogue.status().message(), HasSubstr("broken.xlsx")) << c.label;
    EXPECT_THAT(catalogue.status().message(), HasSubstr(c.expected)) << c.label;
  }
}

TEST(CatalogueImportXlsx, InlineStringsAndTheFirstSheetByTheWorkbookNotByItsFileName) {
  auto rows = ReadXlsxRows(HandMadeWorkbook(), "handmade.xlsx");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 7u);
  EXPECT_EQ((*rows)[0].number, 3);
  EXPECT_EQ((*rows)[0].cells, (std::vector<std::string>{"", "科目编码", "科目名称", "级次"}));
  EXPECT_EQ((*rows)[1].number, 5);
  EXPECT_EQ((*rows)[1].cells, (std::vector<std::string>{"", "201", "一般公共服务支出", "类"}));
  // Row 10 is wrong: the error names it and the column the header gave 级次.
  auto catalogue = ImportCatalogueFile(HandMadeWorkbook(), Options("handmade.xlsx"));
  ASSERT_FALSE(catalogue.ok());
  EXPECT_THAT(catalogue.status().message(), HasSubstr("handmade.xlsx row 10, column D (级次)"));
}

TEST(CatalogueJson, EveryShippedEditionSurvivesToJsonAndBack) {
  for (int edition : Shipped().editions()) {
    const Catalogue& shipped = *Shipped().Find(edition);
    auto back = Catalogue::LoadFromJson(shipped.ToJson("round trip"), "round trip");
    ASSERT_TRUE(back.ok()) << edition << ": " << back.status();
    EXPECT_EQ(back->ToProto().SerializeAsString(), shipped.ToProto().SerializeAsString()) << edition;
    EXPECT_EQ(back->economic_mapping().size(), shipped.economic_mapping().size()) << edition;
  }
}

TEST(CatalogueViews, ACodeWithItsParentsChildrenAndBudgets) {
  const Catalogue& c2021 = *Shipped().Find(2021);
  auto item = DescribeCatalogueCode(c2021, "2070701");
  ASSERT_TRUE(item.ok()) << item.status();
  EXPECT_EQ(item->level(), v1::CODE_LEVEL_ITEM);
  EXPECT_EQ(item->level_name(), "项");
  ASSERT_EQ(item->parents_size(), 2);
  EXPECT_EQ(item->parents(0).code(), "207");
  EXPECT_EQ(item->parents(1).code(), "20707");
  EXPECT_EQ(item->children_size(), 0);
  ASSERT_EQ(item->entry().budgets_size(), 1);
  EXPECT_EQ(item->entry().budgets(0), v1::BUDGET_KIND_GOVERNMENT_FUND);

  auto section = DescribeCatalogueCode(c2021, "30101");
  ASSERT_TRUE(section.ok()) << section.status();
  EXPECT_EQ(section->entry().kind(), v1::CODE_KIND_ECONOMIC);
  ASSERT_EQ(section->parents_size(), 1);
  EXPECT_EQ(section->parents(0).code(), "301");
  auto klass = DescribeCatalogueCode(c2021, "301");
  ASSERT_TRUE(klass.ok());
  EXPECT_GT(klass->children_size(), 5);
  for (const auto& child : klass->children()) EXPECT_EQ(child.code().substr(0, 3), "301");

  auto absent = DescribeCatalogueCode(c2021, "2999999");
  EXPECT_EQ(absent.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(absent.status().message(), HasSubstr("GET /v1/catalogues/2021"));
  EXPECT_THAT(absent.status().message(), HasSubstr("`yusuan catalogue show 2021`"));
  EXPECT_EQ(DescribeCatalogueCode(c2021, "1010101").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DescribeCatalogueCode(c2021, "20").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(CatalogueViews, TheDiffOf2021And2022Retires234) {
  const v1::CatalogueDiff diff = CatalogueDiffToProto(*Shipped().Find(2021), *Shipped().Find(2022));
  EXPECT_EQ(diff.from_edition(), 2021);
  EXPECT_EQ(diff.to_edition(), 2022);
  bool retired_234 = false;
  bool renamed = false;
  for (const auto& change : diff.changes()) {
    if (change.code() == "234" && change.change() == v1::CATALOGUE_CHANGE_KIND_RETIRED) {
      retired_234 = true;
      EXPECT_EQ(change.before(), "抗疫特别国债安排的支出");
    }
    if (change.code() == "2081105" && change.change() == v1::CATALOGUE_CHANGE_KIND_RENAMED) renamed = true;
  }
  EXPECT_TRUE(retired_234);
  EXPECT_TRUE(renamed);
}

}  // namespace
}  // namespace yusuan::ledger
