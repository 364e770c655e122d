// Issue 11: a department unlike the reference one (testdata_departments.h,
// a culture-and-tourism bureau with carry-over, a 政府性基金 project, 三公,
// three projects, vehicles and procurement) through the narrative and every
// format, its tables projected and traced by the ledger itself.
#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/money.h"
#include "services/report/domain/csv_renderer.h"
#include "services/report/domain/json_renderer.h"
#include "services/report/domain/narrative.h"
#include "services/report/domain/render.h"
#include "services/report/domain/testdata_departments.h"

namespace yusuan::report {
namespace {

using testdata::CultureBureauReportInput;
using testdata::W;
using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;

std::string Render(const v1::ReportInput& input, v1::Format format) {
  absl::StatusOr<v1::Artifact> artifact = RenderReport(input, format);
  EXPECT_TRUE(artifact.ok()) << artifact.status();
  return artifact.ok() ? artifact->content() : "";
}

// ------------------------------------------------------------------ D7

// Every narrative figure traced to ledger lines names lines that add up to
// it, and only figures no line feeds (三公, budget fields) go without.
TEST(CultureBureau, EveryNarrativeFigureFedByLinesNamesThem) {
  const v1::ReportInput input = CultureBureauReportInput();
  const Json json = Json::parse(Render(input, v1::FORMAT_JSON));
  std::map<std::string, int64_t> amount;
  for (const Json& line : json.at("lines")) amount[line.at("id")] = line.at("amount_fen");
  std::vector<std::string> untraced;
  int traced = 0;
  std::function<void(const Json&)> visit = [&](const Json& items) {
    for (const Json& item : items) {
      for (const Json& figure : item.at("figures")) {
        const int64_t fen = figure.at("fen");
        if (figure.contains("lines")) {
          int64_t sum = 0;
          for (const Json& id : figure.at("lines")) sum += amount.at(id.get<std::string>());
          EXPECT_EQ(sum, fen) << figure.dump();
          ++traced;
        } else if (fen != 0 && !figure.contains("budget_field")) {
          untraced.push_back(figure.value("field", "") + "/" + figure.at("name").get<std::string>());
        }
      }
      if (item.contains("subitems")) visit(item.at("subitems"));
    }
  };
  visit(json.at("explanation"));
  EXPECT_GT(traced, 30);
  // 三公 comes from the budget's 三公 block, not from lines (provenance.h);
  // its parts name their budget fields (公务用车 the sum of two).
  EXPECT_THAT(untraced, ::testing::UnorderedElementsAre("three_public_current_fen/total"));
}

TEST(CultureBureau, CarryoverAndFundUsesNameTheirLines) {
  const v1::ReportInput input = CultureBureauReportInput();
  const Json json = Json::parse(Render(input, v1::FORMAT_JSON));
  std::map<std::string, Json> by_field;
  std::function<void(const Json&)> visit = [&](const Json& items) {
    for (const Json& item : items) {
      for (const Json& figure : item.at("figures")) {
        if (figure.contains("field")) by_field[figure.at("field")] = figure;
      }
      if (item.contains("subitems")) visit(item.at("subitems"));
    }
  };
  visit(json.at("explanation"));
  // 一: 上年结转 3365.90 万元 = the two carried-over income lines.
  const Json& carryover = by_field.at(std::string(kFiscalCarryoverField));
  EXPECT_EQ(carryover.at("display"), "3365.90");
  std::set<std::string> carried;
  for (int i = 0; i < input.budget().income_lines_size(); ++i) {
    if (input.budget().income_lines(i).carryover()) carried.insert("income-" + std::to_string(i + 1));
  }
  EXPECT_EQ(carryover.at("lines").get<std::set<std::string>>(), carried);
  // 五: 用于体育事业的彩票公益金支出 13365.90 万元 = the two fund lines.
  const Json& use = by_field.at("tables[5].rows[2296003].cells[0]");
  EXPECT_EQ(use.at("display"), "13365.90");
  EXPECT_EQ(use.at("lines").size(), 2u);
}

// ------------------------------------------------------------------ D2

TEST(CultureBureau, PerformanceGoalsStateThisYearsAppropriationWithoutCarryover) {
  const v1::ReportInput input = CultureBureauReportInput();
  const auto& s = input.tables().summary();
  // 表2/表5's 项目支出 include the projects' carry-over spending …
  ASSERT_EQ(s.general_project_fen(), W(1234567 + 543210 + 234560));
  ASSERT_EQ(s.government_fund_project_fen(), W(1234560 + 102030));
  // … 本年财政拨款 does not.
  EXPECT_THAT(PerformanceGoals(input).paragraphs.at(0), HasSubstr("涉及一般公共预算本年财政拨款 17777.77 万元，"
                                                                  "政府性基金预算本年财政拨款 12345.60 万元。"));
}

TEST(CultureBureau, OnlyCarriedOverFundProjectsHaveNoCurrentFundAppropriation) {
  v1::ReportInput input = CultureBureauReportInput();
  for (auto& line : *input.mutable_budget()->mutable_expenditure_lines()) {
    if (line.fund_source() == ledger::v1::FUND_SOURCE_GOVERNMENT_FUND_BUDGET) {
      line.set_from_carryover(true);
    }
  }
  EXPECT_THAT(PerformanceGoals(input).paragraphs.at(0), HasSubstr("，无政府性基金预算本年财政拨款。"));
}

TEST(CultureBureau, ThisYearsAppropriationNamesItsLinesWithoutTheCarriedOverOne) {
  const v1::ReportInput input = CultureBureauReportInput();
  const Json json = Json::parse(Render(input, v1::FORMAT_JSON));
  const Json* general = nullptr;
  for (const Json& item : json.at("explanation")) {
    if (!item.contains("subitems")) continue;
    for (const Json& sub : item.at("subitems")) {
      for (const Json& figure : sub.at("figures")) {
        if (figure.value("field", "") == "general_project_fen[current]") general = &figure;
      }
    }
  }
  ASSERT_NE(general, nullptr);
  EXPECT_EQ(general->at("display"), "17777.77");
  // P2022-001 and P2022-002's own line; not P2022-002's carried-over one.
  std::vector<std::string> expected;
  for (int i = 0; i < input.budget().expenditure_lines_size(); ++i) {
    const auto& line = input.budget().expenditure_lines(i);
    if (line.kind() == ledger::v1::EXPENDITURE_KIND_PROJECT &&
        line.fund_source() == ledger::v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET && !line.from_carryover()) {
      expected.push_back("expenditure-" + std::to_string(i + 1));
    }
  }
  ASSERT_EQ(expected.size(), 2u);
  EXPECT_EQ(general->at("lines").get<std::vector<std::string>>(), expected);
}

// ------------------------------------------------------------------ D4

TEST(CultureBureau, TargetsWithAnOperatorKeepTheirUnitInEveryFormat) {
  const v1::ReportInput input = CultureBureauReportInput();
  for (v1::Format format : {v1::FORMAT_HTML, v1::FORMAT_MARKDOWN}) {
    const std::string text = Render(input, format);
    SCOPED_TRACE(v1::Format_Name(format));
    EXPECT_THAT(text, HasSubstr("≥6万人次"));
    EXPECT_THAT(text, HasSubstr("≤15个工作日"));
    // History values are bare numbers and get the unit too.
    EXPECT_THAT(text, HasSubstr("4万人次"));
  }
  const std::string html = Render(input, v1::FORMAT_HTML);
  EXPECT_THAT(html, Not(HasSubstr(">≥6<")));
  EXPECT_THAT(html, Not(HasSubstr(">≤15<")));
  // Words and values with their own unit are printed as written.
  EXPECT_THAT(html, HasSubstr(">95%以上<"));
  EXPECT_THAT(html, HasSubstr(">每季度首月底前<"));
}

// ------------------------------------------------------------------ D6

TEST(CultureBureau, CsvNamesTheEconomicClassOfEveryLine) {
  const v1::ReportInput input = CultureBureauReportInput();
  const std::string csv = RenderLedgerCsv(input);
  std::vector<std::string> rows = absl::StrSplit(csv.substr(3), "\r\n", absl::SkipEmpty());
  ASSERT_EQ(rows.size(),
            1u + static_cast<size_t>(input.budget().income_lines_size() + input.budget().expenditure_lines_size()));
  const std::vector<std::string> header = absl::StrSplit(rows[0], ',');
  ASSERT_EQ(header.at(5), "economic_name");
  std::map<std::string, std::string> project_names;
  int expenditure = 0;
  for (size_t r = 1; r < rows.size(); ++r) {
    const std::vector<std::string> f = absl::StrSplit(rows[r], ',');
    ASSERT_EQ(f.size(), header.size()) << rows[r];
    if (f[1] != "expenditure") continue;
    ++expenditure;
    EXPECT_FALSE(f[3].empty()) << rows[r];
    EXPECT_FALSE(f[5].empty()) << rows[r];
    if (!f[9].empty()) project_names[f[4]] = f[5];
  }
  EXPECT_EQ(expenditure, input.budget().expenditure_lines_size());
  // Project spending's 款, which no table shows, by their catalogue names.
  EXPECT_EQ(project_names["30227"], "委托业务费");
  EXPECT_EQ(project_names["30213"], "维修（护）费");
  EXPECT_EQ(project_names["31002"], "办公设备购置");
  EXPECT_EQ(project_names["30218"], "专用材料费");
}

// ------------------------------------------------------------------ D9

TEST(CultureBureau, IndicatorHistoryRunsOldestFirstLikeTheFundsBlock) {
  const v1::ReportInput input = CultureBureauReportInput();
  const std::string html = Render(input, v1::FORMAT_HTML);
  // Funds block and indicator tables alike: 2020 年 then 2021 年.
  EXPECT_THAT(html, Not(HasSubstr("<th scope=\"col\">2021 年</th><th scope=\"col\">2020 年</th>")));
  EXPECT_THAT(html, HasSubstr("观众人次</td><td class=\"center\">4万人次</td>"
                              "<td class=\"center\">5万人次</td><td class=\"center\">≥6万人次</td>"));
  const std::string markdown = Render(input, v1::FORMAT_MARKDOWN);
  EXPECT_THAT(markdown, HasSubstr("| 观众人次 | 4万人次 | 5万人次 | ≥6万人次 |"));
  const Json json = Json::parse(Render(input, v1::FORMAT_JSON));
  bool found = false;
  for (const Json& indicator : json.at("goals").at("indicators")) {
    if (indicator.at("name") != "观众人次") continue;
    found = true;
    EXPECT_EQ(indicator.at("history").at(0).at("year"), 2020);
    EXPECT_EQ(indicator.at("history").at(1).at("year"), 2021);
  }
  EXPECT_TRUE(found);
}

bool IsIdeograph(char32_t c) { return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF); }

std::u32string Decode(const std::string& s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
    out.push_back(cp);
    i += len;
  }
  return out;
}

// The spacing of the wuhan-district-2021 sentences: no blank between two
// Chinese characters, and a number always set off from Chinese text by one
// blank ("2022 年", "文化惠民演出 12345.67 万元").
std::vector<std::string> SpacingFaults(const std::string& sentence) {
  std::vector<std::string> faults;
  const std::u32string s = Decode(sentence);
  auto digit = [](char32_t c) { return c >= U'0' && c <= U'9'; };
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    if ((digit(s[i]) && IsIdeograph(s[i + 1])) || (IsIdeograph(s[i]) && digit(s[i + 1]))) {
      faults.push_back("number run into text at " + std::to_string(i) + ": " + sentence);
    }
    if (i + 2 < s.size() && IsIdeograph(s[i]) && s[i + 1] == U' ' && IsIdeograph(s[i + 2])) {
      faults.push_back("blank between characters at " + std::to_string(i) + ": " + sentence);
    }
  }
  return faults;
}

std::vector<std::string> Sentences(const v1::ReportInput& input) {
  std::vector<std::string> out = StaffComposition(input.department());
  out.push_back(UnitComposition(input.department()));
  std::function<void(const std::vector<NarrativeItem>&)> visit = [&](const std::vector<NarrativeItem>& items) {
    for (const NarrativeItem& item : items) {
      out.insert(out.end(), item.paragraphs.begin(), item.paragraphs.end());
      visit(item.subitems);
    }
  };
  visit(BudgetExplanation(input));
  return out;
}

TEST(Spacing, EverySentenceOfBothDepartmentsSpacesNumbersAlike) {
  for (const v1::ReportInput& input : {testdata::ReferenceReportInput(), CultureBureauReportInput()}) {
    std::vector<std::string> faults;
    for (const std::string& sentence : Sentences(input)) {
      const std::vector<std::string> found = SpacingFaults(sentence);
      faults.insert(faults.end(), found.begin(), found.end());
    }
    EXPECT_THAT(faults, ::testing::IsEmpty()) << input.department().short_name();
  }
  // The culture bureau reaches the branches the reference does not.
  const std::string all = absl::StrJoin(Sentences(CultureBureauReportInput()), "\n");
  EXPECT_THAT(all, HasSubstr("区文旅局总编制人数 22 人"));
  EXPECT_THAT(all, HasSubstr("文化惠民演出 12345.67 万元，主要用于"));
  EXPECT_THAT(all, HasSubstr("2022 年一般公共预算“三公”经费预算 17.70 万元"));
  EXPECT_THAT(all, HasSubstr("2021 年部门预算绩效目标已 98%完成"));
}

// ------------------------------------------------------------------ units (issue 11, defect 12)

// The bureau (行政单位) with two subordinate units: a 事业单位 museum whose
// office costs are not 机关运行经费, and a 参公 inspection team whose are.
v1::ReportInput WithUnits(bool office_unit) {
  v1::ReportInput input = CultureBureauReportInput();
  ledger::v1::Department& d = *input.mutable_department();
  ledger::v1::SecondaryUnit* museum = d.add_secondary_units();
  museum->set_code("009001001");
  museum->set_name("区博物馆");
  museum->set_unit_type(ledger::v1::UNIT_TYPE_PUBLIC_INSTITUTION);
  ledger::v1::EstablishmentQuota* quota = museum->mutable_staffing()->add_quotas();
  quota->set_kind(ledger::v1::ESTABLISHMENT_KIND_PUBLIC_INSTITUTION);
  quota->set_count(30);
  museum->mutable_staffing()->set_in_service(27);
  museum->mutable_staffing()->set_retired(11);
  if (office_unit) {
    ledger::v1::SecondaryUnit* team = d.add_secondary_units();
    team->set_code("009001002");
    team->set_name("区文化市场综合执法大队");
    team->set_unit_type(ledger::v1::UNIT_TYPE_CIVIL_SERVANT_MANAGED_INSTITUTION);
  }
  // The museum spends part of the bureau's office costs (the first 302 line).
  for (ledger::v1::ExpenditureLine& line : *input.mutable_budget()->mutable_expenditure_lines()) {
    if (line.kind() == ledger::v1::EXPENDITURE_KIND_BASIC_PUBLIC &&
        line.fund_source() == ledger::v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET) {
      line.set_unit_code("009001001");
      break;
    }
  }
  absl::StatusOr<ledger::v1::BudgetTables> tables =
      ledger::ComputeTables(input.department(), input.budget(), testdata::Catalogue2022());
  EXPECT_TRUE(tables.ok()) << tables.status();
  if (tables.ok()) *input.mutable_tables() = *tables;
  return input;
}

TEST(Units, StaffingIsEveryUnitsAndMachineryOnlyTheOffices) {
  const v1::ReportInput alone = CultureBureauReportInput();
  const v1::ReportInput units = WithUnits(/*office_unit=*/false);
  const int64_t bureau_public = alone.tables().summary().machinery_operating_fen();
  const int64_t museum_public = units.tables().summary().non_office_public_fen();
  ASSERT_GT(museum_public, 0);
  EXPECT_EQ(units.tables().summary().machinery_operating_fen(), bureau_public - museum_public);

  const std::string md = Render(units, v1::FORMAT_MARKDOWN);
  // 编制 and 在职 add the museum's to the bureau's own.
  const int bureau_staff = alone.department().staffing().in_service();
  EXPECT_THAT(md, HasSubstr("在职实有人数 " + std::to_string(bureau_staff + 27) + " 人"));
  EXPECT_THAT(md, HasSubstr("事业编制 30 人"));
  // The bureau runs an office, the museum does not: the sentence is the 本级's.
  EXPECT_THAT(md, HasSubstr("年部门本级机关的机关运行经费 " +
                            FormatWanYuan(units.tables().summary().machinery_operating_fen()) + " 万元"));

  // With a 参公 subordinate, the sentence speaks of the department's offices.
  const std::string with_team = Render(WithUnits(/*office_unit=*/true), v1::FORMAT_MARKDOWN);
  EXPECT_THAT(with_team, HasSubstr("年部门（含所属行政单位和参照公务员法管理事业单位）机关运行经费 "));
  EXPECT_THAT(with_team, Not(HasSubstr("部门本级机关的机关运行经费")));
}

}  // namespace
}  // namespace yusuan::report
