// Locality template sets: the built-in sets parse and satisfy the code's
// contract, a broken set is refused naming the key, and a second set changes
// the order and wording of the disclosure without any code.
#include "services/report/domain/template_set.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/report/domain/disclosure.h"
#include "services/report/domain/glossary.h"
#include "services/report/domain/markdown_renderer.h"
#include "services/report/domain/narrative.h"
#include "services/report/domain/testdata_departments.h"

namespace yusuan::report {

const std::vector<std::pair<std::string_view, std::string_view>>& EmbeddedTemplateSetFiles();

namespace {

using testdata::ReferenceReportInput;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::string_view kNational = "national-2016-143";

std::string WuhanJson() {
  for (const auto& [file, text] : EmbeddedTemplateSetFiles()) {
    if (file == "wuhan-district-2021.json") return std::string(text);
  }
  return "";
}

// The default set with one change applied to its JSON.
absl::StatusOr<TemplateSet> ParseEdited(const std::function<void(nlohmann::json&)>& edit) {
  nlohmann::json json = nlohmann::json::parse(WuhanJson());
  edit(json);
  return ParseTemplateSet(json.dump());
}

TEST(TemplateSets, EveryBuiltInFileParsesAndIsAvailable) {
  ASSERT_GE(EmbeddedTemplateSetFiles().size(), 2u);
  for (const auto& [file, text] : EmbeddedTemplateSetFiles()) {
    absl::StatusOr<TemplateSet> set = ParseTemplateSet(text);
    ASSERT_TRUE(set.ok()) << file << ": " << set.status();
    EXPECT_EQ(std::string(file), set->id + ".json") << "file name = id";
    EXPECT_TRUE(FindTemplateSet(set->id).ok()) << set->id;
  }
  EXPECT_EQ(DefaultTemplateSet().id, std::string(kDefaultTemplateSetId));
  EXPECT_TRUE(FindTemplateSet(kNational).ok());
}

TEST(TemplateSets, UnknownSetListsTheAvailableOnes) {
  absl::StatusOr<const TemplateSet*> set = FindTemplateSet("atlantis-2099");
  ASSERT_EQ(set.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(set.status().message(), HasSubstr("atlantis-2099"));
  EXPECT_THAT(set.status().message(), HasSubstr("wuhan-district-2021"));
  EXPECT_THAT(set.status().message(), HasSubstr(std::string(kNational)));
}

TEST(TemplateSets, UnknownPlaceholderIsRefusedNamingKeyAndName) {
  auto set = ParseEdited(
      [](nlohmann::json& j) { j["texts"]["sentence.fiscal_overview"] = "{{year}} 年总预算 {{totl}} 万元。"; });
  ASSERT_EQ(set.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(set.status().message(), HasSubstr("sentence.fiscal_overview"));
  EXPECT_THAT(set.status().message(), HasSubstr("{{totl}}"));
}

TEST(TemplateSets, MissingAndUnknownKeysAreRefused) {
  auto missing = ParseEdited([](nlohmann::json& j) { j["texts"].erase("sentence.procurement"); });
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("sentence.procurement"));
  auto unknown = ParseEdited([](nlohmann::json& j) { j["texts"]["sentence.procurment"] = "x"; });
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.status().message(), HasSubstr("sentence.procurment"));
}

TEST(TemplateSets, PartialsDelimiterChangesAndBrokenSectionsAreRefused) {
  for (const char* text : {"{{> other}}", "{{=<% %>=}}", "{{#has_units}}x", "{{year"}) {
    auto set = ParseEdited([text](nlohmann::json& j) { j["texts"]["part.glossary"] = text; });
    EXPECT_EQ(set.status().code(), absl::StatusCode::kInvalidArgument) << text;
  }
}

TEST(TemplateSets, TablesMustBeTheTenEachOnce) {
  auto nine = ParseEdited([](nlohmann::json& j) { j["tables"].erase(9); });
  ASSERT_FALSE(nine.ok());
  EXPECT_THAT(nine.status().message(), HasSubstr("tables"));
  auto twice = ParseEdited([](nlohmann::json& j) { j["tables"][1]["table"] = 1; });
  EXPECT_FALSE(twice.ok());
}

TEST(TemplateSets, ExplanationItemsMustBeKnownAndEachOnce) {
  auto missing = ParseEdited([](nlohmann::json& j) { j["explanation"].erase(0); });
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("fiscal_overview"));
  auto unknown = ParseEdited([](nlohmann::json& j) { j["explanation"][0]["item"] = "weather"; });
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.status().message(), HasSubstr("weather"));
}

TEST(TemplateSets, ExactlyOneGlossaryTermListsTheCodes) {
  auto none = ParseEdited([](nlohmann::json& j) { j["glossary"][9]["functional_codes"] = false; });
  EXPECT_FALSE(none.ok());
  auto bad_definition = ParseEdited([](nlohmann::json& j) { j["glossary"][0]["definition"] = "{{level}}"; });
  ASSERT_FALSE(bad_definition.ok());
  EXPECT_THAT(bad_definition.status().message(), HasSubstr("{{level}}"));
}

TEST(TemplateSets, ClassNamesInUsesMapClassCodesToNames) {
  auto not_a_class = ParseEdited([](nlohmann::json& j) { j["class_names_in_uses"]["30201"] = "办公费"; });
  ASSERT_FALSE(not_a_class.ok());
  EXPECT_THAT(not_a_class.status().message(), HasSubstr("class_names_in_uses.30201"));
  auto empty_name = ParseEdited([](nlohmann::json& j) { j["class_names_in_uses"]["302"] = ""; });
  EXPECT_FALSE(empty_name.ok());
}

// The list of what 基本支出 is used for takes a class's wording from the set
// where it has one, the catalogue's name otherwise, and files each class
// under 人员经费 or 公用经费 as the ledger flags it.
TEST(TemplateSets, ClassNamesInUsesWordTheBasicSpendingList) {
  const std::string reference = GeneralBudgetSpending(ReferenceReportInput()).paragraphs.at(1);
  EXPECT_THAT(reference, HasSubstr("人员经费(工资福利支出、对个人和家庭补助支出)、公用经费(商品和服务支出)"));
  auto renamed = ParseEdited([](nlohmann::json& j) {
    j["class_names_in_uses"] = nlohmann::json::object({{"302", "商品服务支出"}});
  });
  ASSERT_TRUE(renamed.ok()) << renamed.status();
  EXPECT_THAT(GeneralBudgetSpending(ReferenceReportInput(), *renamed).paragraphs.at(1),
              HasSubstr("人员经费(工资福利支出、对个人和家庭的补助)、公用经费(商品服务支出)"));
  auto input = ReferenceReportInput();
  for (auto& cls : *input.mutable_tables()->mutable_summary()->mutable_general_basic_by_class()) {
    cls.set_personnel(cls.code() == "301");
  }
  EXPECT_THAT(GeneralBudgetSpending(input).paragraphs.at(1),
              HasSubstr("人员经费(工资福利支出)、公用经费(商品和服务支出、对个人和家庭补助支出)"));
}

TEST(ChineseNumeral, OneToNinetyNine) {
  EXPECT_EQ(ChineseNumeral(1), "一");
  EXPECT_EQ(ChineseNumeral(9), "九");
  EXPECT_EQ(ChineseNumeral(10), "十");
  EXPECT_EQ(ChineseNumeral(12), "十二");
  EXPECT_EQ(ChineseNumeral(20), "二十");
  EXPECT_EQ(ChineseNumeral(21), "二十一");
}

TEST(Fill, ValuesAreNotHtmlEscapedAndListsHaveLastFlags) {
  TemplateValues item1;
  item1.Set("name", "A&B");
  TemplateValues item2;
  item2.Set("name", "<C>");
  TemplateValues values;
  values.List("items", {item1, item2});
  EXPECT_EQ(FillText("{{#items}}{{name}}{{^last}}、{{/last}}{{/items}}", values), "A&B、<C>");
}

// ---------------------------------------------------------------- 143号

std::string NationalMarkdown(v1::ReportInput input) {
  input.set_template_set(std::string(kNational));
  absl::StatusOr<Document> document = BuildDisclosure(input);
  EXPECT_TRUE(document.ok()) << document.status();
  return document.ok() ? RenderMarkdown(*document) : "";
}

TEST(NationalSet, TablesFollowThe143Order) {
  v1::ReportInput input = ReferenceReportInput();
  input.set_template_set(std::string(kNational));
  absl::StatusOr<Document> document = BuildDisclosure(input);
  ASSERT_TRUE(document.ok()) << document.status();
  std::vector<std::string> titles;
  for (const Block& block : document->blocks) {
    if (const auto* table = std::get_if<Table>(&block)) {
      if (table->anchor.rfind("table-", 0) == 0) titles.push_back(table->title);
    } else if (const auto* heading = std::get_if<Heading>(&block)) {
      if (heading->anchor.rfind("table-", 0) == 0) titles.push_back(heading->text);
    }
  }
  ASSERT_EQ(titles.size(), 10u);
  EXPECT_EQ(titles[0], "表1 区科协2021年部门收支总体情况表");
  EXPECT_EQ(titles[3], "表4 区科协2021年财政拨款收支预算总表");
  EXPECT_EQ(titles[7], "表8 区科协2021年政府性基金预算拨款支出情况表");
  EXPECT_EQ(titles[9], "表10 区科协2021年项目支出绩效目标表");
}

TEST(NationalSet, SameFiguresOtherWordingAndOrder) {
  const std::string md = NationalMarkdown(ReferenceReportInput());
  // The department-wide items come first, and the wording is the set's.
  EXPECT_THAT(md, HasSubstr("一、部门收支总体情况"));
  EXPECT_THAT(md, HasSubstr("四、财政拨款收支总体情况"));
  EXPECT_THAT(md, HasSubstr("2021年区科协收支预算总计415.51万元，比2020年预算增加8.29万元，增长2.04%"));
  EXPECT_THAT(md, HasSubstr("基本支出156.71万元，占37.72%；项目支出258.80万元，占62.28%"));
  EXPECT_THAT(md, HasSubstr("(四)预算绩效情况"));
  EXPECT_THAT(md, HasSubstr("(五)上级补助收入：指事业单位从主管部门和上级单位取得的非财政补助收入。"));
  EXPECT_THAT(md, HasSubstr("联系电话：68865155"));
  EXPECT_THAT(md, Not(HasSubstr(" 万元")));
  EXPECT_THAT(md, Not(HasSubstr("{{")));
  EXPECT_LT(md.find("一、部门收支总体情况"), md.find("四、财政拨款收支总体情况"));
}

TEST(NationalSet, DefaultSetIsTheReferenceOrder) {
  absl::StatusOr<Document> document = BuildDisclosure(ReferenceReportInput());
  ASSERT_TRUE(document.ok());
  const std::string md = RenderMarkdown(*document);
  EXPECT_THAT(md, HasSubstr("一、财政拨款收支预算总体情况"));
  EXPECT_THAT(md, HasSubstr("表6 区科协2021年部门收支总表"));
  EXPECT_THAT(md, HasSubstr("咨询电话：68865155"));
}

TEST(NationalSet, UnknownSetIsInvalidArgumentNamingTheField) {
  v1::ReportInput input = ReferenceReportInput();
  input.set_template_set("atlantis-2099");
  absl::StatusOr<Document> document = BuildDisclosure(input);
  ASSERT_EQ(document.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(document.status().message(), HasSubstr("template_set"));
}

}  // namespace
}  // namespace yusuan::report
