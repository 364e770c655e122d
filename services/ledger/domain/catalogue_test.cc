#include "services/ledger/domain/catalogue.h"

#include <filesystem>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace yusuan::ledger {
namespace {

namespace fs = std::filesystem;

const std::string kCatalogueDir = std::string(YUSUAN_SOURCE_DIR) + "/data/catalogue";
const std::string k2021 = kCatalogueDir + "/2021.json";

// A fresh directory per test under the test temp dir.
fs::path FreshDir(const std::string& name) {
  fs::path dir = fs::path(::testing::TempDir()) / ("ledger_catalogue_test_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

TEST(Catalogue, Loads2021WithEditionNames) {
  absl::StatusOr<Catalogue> c = Catalogue::LoadFromFile(k2021);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->edition(), 2021);
  ASSERT_NE(c->FunctionalName("210"), nullptr);
  EXPECT_EQ(*c->FunctionalName("210"), "卫生健康支出");
  EXPECT_EQ(*c->FunctionalName("208"), "社会保障和就业支出");
  EXPECT_EQ(*c->FunctionalName("20805"), "行政事业单位养老支出");
  EXPECT_EQ(*c->FunctionalName("2060102"), "一般行政管理事务");
  EXPECT_EQ(*c->FunctionalName("2012902"), "一般行政管理事务");
  EXPECT_EQ(*c->FunctionalName("2060702"), "科普活动");
  EXPECT_EQ(*c->EconomicName("302"), "商品和服务支出");
  EXPECT_EQ(*c->EconomicName("31013"), "公务用车购置");
  EXPECT_EQ(c->FunctionalName("2069998"), nullptr);
  EXPECT_TRUE(c->IsKnownFunctional("206"));
  EXPECT_FALSE(c->IsFunctionalItem("20601"));
  EXPECT_TRUE(c->IsFunctionalItem("2060101"));
  // A 款 without 项 is where its lines are classified; its 类 is not.
  EXPECT_TRUE(c->IsFunctionalItem("21901"));
  EXPECT_TRUE(c->IsFunctionalItem("21999"));
  EXPECT_FALSE(c->IsFunctionalItem("219"));
  EXPECT_FALSE(c->IsFunctionalItem("21900"));
  EXPECT_TRUE(c->FunctionalBudgets("21901").Contains(yusuan::ledger::v1::BUDGET_KIND_GENERAL));
  EXPECT_TRUE(c->IsEconomicItem("30101"));
  EXPECT_FALSE(c->IsEconomicItem("301"));
}

TEST(Catalogue, HasEveryCodeTheReferenceNeeds) {
  absl::StatusOr<Catalogue> c = Catalogue::LoadFromFile(k2021);
  ASSERT_TRUE(c.ok()) << c.status();
  for (const char* code :
       {"201",     "202",     "203",     "204",     "205",     "206",     "207",     "208",     "209",
        "210",     "211",     "212",     "213",     "214",     "215",     "216",     "217",     "219",
        "220",     "221",     "222",     "223",     "224",     "227",     "229",     "230",     "231",
        "232",     "233",     "234",     "2060101", "2060102", "2060103", "2060199", "2080501", "2080502",
        "2080503", "2080505", "2080506", "2080507", "2080599", "2101101", "2101102", "2101103", "2101199",
        "2210201", "2210202", "2210203", "2012901", "2012999", "2060701", "2060799"}) {
    EXPECT_TRUE(c->IsKnownFunctional(code)) << code;
  }
  for (const char* code : {"301",   "302",   "303",   "307",   "309",   "310",   "311",   "312",   "313",   "399",
                           "30101", "30114", "30199", "30231", "30239", "30299", "30302", "30307", "30399", "31099"}) {
    EXPECT_TRUE(c->IsKnownEconomic(code)) << code;
  }
}

TEST(Catalogue, ToProtoListsFunctionalThenEconomicInCodeOrder) {
  absl::StatusOr<Catalogue> c = Catalogue::LoadFromJson(
      R"({"edition": 2021,
          "functional": [{"code": "20601", "name": "科学技术管理事务"},
                         {"code": "206", "name": "科学技术支出"}],
          "economic": [{"code": "301", "name": "工资福利支出"}]})");
  ASSERT_TRUE(c.ok()) << c.status();
  const yusuan::ledger::v1::Catalogue proto = c->ToProto();
  EXPECT_EQ(proto.edition(), 2021);
  ASSERT_EQ(proto.entries_size(), 3);
  EXPECT_EQ(proto.entries(0).code(), "206");
  EXPECT_EQ(proto.entries(0).kind(), yusuan::ledger::v1::CODE_KIND_FUNCTIONAL);
  EXPECT_EQ(proto.entries(1).code(), "20601");
  EXPECT_EQ(proto.entries(1).name(), "科学技术管理事务");
  EXPECT_EQ(proto.entries(2).code(), "301");
  EXPECT_EQ(proto.entries(2).kind(), yusuan::ledger::v1::CODE_KIND_ECONOMIC);
}

TEST(Catalogue, MissingFileIsNamed) {
  const std::string path = kCatalogueDir + "/1999.json";
  absl::StatusOr<Catalogue> c = Catalogue::LoadFromFile(path);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(c.status().message().find(path), std::string::npos) << c.status();
}

TEST(Catalogue, BadJsonNamesTheFile) {
  const fs::path dir = FreshDir("bad_json");
  const fs::path path = dir / "2021.json";
  WriteFile(path, R"({"edition": 2021, "functional": [)");
  absl::StatusOr<Catalogue> c = Catalogue::LoadFromFile(path.string());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(c.status().message().find(path.string()), std::string::npos) << c.status();
  EXPECT_NE(c.status().message().find("not valid JSON"), std::string::npos) << c.status();

  // The directory loader reports the same file.
  absl::StatusOr<CatalogueSet> set = CatalogueSet::LoadFromDirectory(dir.string());
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.status().message().find(path.string()), std::string::npos) << set.status();
}

TEST(Catalogue, RejectsBadEntries) {
  struct Case {
    const char* json;
    const char* expect;
  } cases[] = {
      {R"({"functional": [], "economic": []})", "\"edition\""},
      {R"({"edition": 2021, "economic": []})", "\"functional\""},
      {R"({"edition": 2021, "functional": [{"code": "20x", "name": "x"}], "economic": []})",
       "functional[0].code must be 3/5/7 digits"},
      {R"({"edition": 2021, "functional": [{"code": "206", "name": ""}], "economic": []})",
       "functional[0].name of code 206"},
      {R"({"edition": 2021, "functional": [{"code": "206", "name": "a"}, {"code": "206", "name": "b"}],
           "economic": []})",
       "duplicate functional code 206"},
      {R"({"edition": 2021, "functional": [{"code": "2060101", "name": "行政运行"}], "economic": []})",
       "functional code 2060101 has no parent 20601"},
      {R"({"edition": 2021, "functional": [], "economic": [{"code": "3010", "name": "x"}]})",
       "economic[0].code must be 3/5 digits"},
      {R"({"edition": 2021, "functional": [{"code": "206", "name": "x"}], "economic": [],
           "project_capable": ["206"]})",
       "project_capable[0]"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<Catalogue> got = Catalogue::LoadFromJson(c.json, "test.json");
    ASSERT_FALSE(got.ok()) << c.json;
    EXPECT_NE(got.status().message().find(c.expect), std::string::npos) << got.status();
    EXPECT_NE(got.status().message().find("test.json"), std::string::npos) << got.status();
  }
}

TEST(Catalogue, ProjectCapableList) {
  absl::StatusOr<Catalogue> c = Catalogue::LoadFromJson(
      R"({"edition": 2021,
          "functional": [{"code": "206", "name": "科学技术支出"},
                         {"code": "20601", "name": "科学技术管理事务"},
                         {"code": "2060101", "name": "行政运行"},
                         {"code": "2060102", "name": "一般行政管理事务"}],
          "economic": [], "project_capable": ["2060102"]})");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->has_project_capable());
  EXPECT_TRUE(c->IsProjectCapable("2060102"));
  EXPECT_FALSE(c->IsProjectCapable("2060101"));
}

TEST(CatalogueSet, LoadsTheRepositoryDirectory) {
  absl::StatusOr<CatalogueSet> set = CatalogueSet::LoadFromDirectory(kCatalogueDir);
  ASSERT_TRUE(set.ok()) << set.status();
  ASSERT_NE(set->Find(2021), nullptr);
  EXPECT_EQ(set->Find(2021)->edition(), 2021);
  ASSERT_NE(set->Find(2020), nullptr);
  ASSERT_NE(set->Find(2022), nullptr);
  EXPECT_EQ(set->Find(2019), nullptr);
}

TEST(CatalogueSet, EditionMustMatchFileName) {
  const fs::path dir = FreshDir("mismatch");
  WriteFile(dir / "2022.json", R"({"edition": 2021, "functional": [], "economic": []})");
  WriteFile(dir / "notes.json", "ignored: not an edition file");
  absl::StatusOr<CatalogueSet> set = CatalogueSet::LoadFromDirectory(dir.string());
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.status().message().find((dir / "2022.json").string()), std::string::npos) << set.status();
  EXPECT_NE(set.status().message().find("named 2022"), std::string::npos) << set.status();
}

TEST(CatalogueSet, EmptyOrMissingDirectoryIsAnError) {
  const fs::path dir = FreshDir("empty");
  absl::StatusOr<CatalogueSet> empty = CatalogueSet::LoadFromDirectory(dir.string());
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find(dir.string()), std::string::npos) << empty.status();

  const std::string missing = (dir / "nope").string();
  absl::StatusOr<CatalogueSet> none = CatalogueSet::LoadFromDirectory(missing);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find(missing), std::string::npos) << none.status();
}

TEST(CatalogueSet, AddRefusesADuplicateEdition) {
  CatalogueSet set;
  absl::StatusOr<Catalogue> a = Catalogue::LoadFromJson(R"({"edition": 2021, "functional": [], "economic": []})");
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(set.Add(*a).ok());
  EXPECT_EQ(set.Add(*a).code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(set.editions(), std::vector<int>{2021});
}

// A small catalogue with a general and a fund 款 under one 类.
constexpr char kTwoBudgets[] = R"({"edition": 2021,
  "functional": [
    {"code": "207", "name": "文化旅游体育与传媒支出"},
    {"code": "20701", "name": "文化和旅游"},
    {"code": "2070101", "name": "行政运行", "budgets": ["general"]},
    {"code": "2070102", "name": "一般行政管理事务"},
    {"code": "20707", "name": "国家电影事业发展专项资金安排的支出"},
    {"code": "2070701", "name": "资助国产影片放映", "budgets": ["fund"]},
    {"code": "223", "name": "国有资本经营预算支出"},
    {"code": "22301", "name": "解决历史遗留问题及改革成本支出"},
    {"code": "2230101", "name": "厂办大集体改革支出", "budgets": ["capital"]}],
  "economic": [{"code": "301", "name": "工资福利支出"}, {"code": "30101", "name": "基本工资"}],
  "government_economic": [{"code": "501", "name": "机关工资福利支出"}, {"code": "50101", "name": "工资奖金津补贴"},
                          {"code": "505", "name": "对事业单位经常性补助"}, {"code": "50501", "name": "工资福利支出"}],
  "economic_mapping": [
    {"department": "30101", "government": "50101", "unit_types": ["administrative", "civil_servant_managed"]},
    {"department": "30101", "government": "50501", "unit_types": ["public_institution"]}]})";

TEST(Catalogue, EveryFunctionalCodeBelongsToTheBudgetsOfItsItems) {
  absl::StatusOr<Catalogue> c = Catalogue::LoadFromJson(kTwoBudgets, "two.json");
  ASSERT_TRUE(c.ok()) << c.status();
  using v1 = yusuan::ledger::v1::BudgetKind;
  EXPECT_TRUE(c->FunctionalBudgets("2070102").Contains(v1::BUDGET_KIND_GENERAL)) << "untagged 项 is general";
  EXPECT_FALSE(c->FunctionalBudgets("2070701").Contains(v1::BUDGET_KIND_GENERAL));
  EXPECT_TRUE(c->FunctionalBudgets("2070701").Contains(v1::BUDGET_KIND_GOVERNMENT_FUND));
  EXPECT_TRUE(c->FunctionalBudgets("20707").Contains(v1::BUDGET_KIND_GOVERNMENT_FUND));
  EXPECT_FALSE(c->FunctionalBudgets("20707").Contains(v1::BUDGET_KIND_GENERAL));
  // The 类 holds both.
  EXPECT_TRUE(c->FunctionalBudgets("207").Contains(v1::BUDGET_KIND_GENERAL));
  EXPECT_TRUE(c->FunctionalBudgets("207").Contains(v1::BUDGET_KIND_GOVERNMENT_FUND));
  EXPECT_EQ(BudgetSetName(c->FunctionalBudgets("207")), "一般公共预算、政府性基金预算");
  EXPECT_TRUE(c->FunctionalBudgets("2230101").Contains(v1::BUDGET_KIND_STATE_CAPITAL));
  EXPECT_TRUE(c->FunctionalBudgets("9999999").empty());

  // The proto carries the budgets too.
  const yusuan::ledger::v1::Catalogue proto = c->ToProto();
  bool seen = false;
  for (const auto& entry : proto.entries()) {
    if (entry.code() != "2070701") continue;
    seen = true;
    ASSERT_EQ(entry.budgets_size(), 1);
    EXPECT_EQ(entry.budgets(0), v1::BUDGET_KIND_GOVERNMENT_FUND);
  }
  EXPECT_TRUE(seen);
}

TEST(Catalogue, FundSourcesMapToTheirBudget) {
  namespace v1 = yusuan::ledger::v1;
  EXPECT_EQ(BudgetOfSource(v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET), v1::BUDGET_KIND_GENERAL);
  EXPECT_EQ(BudgetOfSource(v1::FUND_SOURCE_GOVERNMENT_FUND_BUDGET), v1::BUDGET_KIND_GOVERNMENT_FUND);
  EXPECT_EQ(BudgetOfSource(v1::FUND_SOURCE_STATE_CAPITAL_BUDGET), v1::BUDGET_KIND_STATE_CAPITAL);
  // Money outside the fiscal grants is classified with the general budget's codes.
  EXPECT_EQ(BudgetOfSource(v1::FUND_SOURCE_INSTITUTION_REVENUE), v1::BUDGET_KIND_GENERAL);
  EXPECT_EQ(BudgetOfSource(v1::FUND_SOURCE_OTHER_REVENUE), v1::BUDGET_KIND_GENERAL);
}

TEST(Catalogue, OperationsItemsAreKnownByName) {
  absl::StatusOr<Catalogue> c = Catalogue::LoadFromJson(kTwoBudgets, "two.json");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->IsOperationsItem("2070101"));
  EXPECT_FALSE(c->IsOperationsItem("2070102"));
  // Ending in 01 is not enough: 2070701 is 资助国产影片放映.
  EXPECT_FALSE(c->IsOperationsItem("2070701"));
  EXPECT_FALSE(c->IsOperationsItem("20701"));
}

TEST(Catalogue, ChildrenAndCodesInOrder) {
  absl::StatusOr<Catalogue> c = Catalogue::LoadFromJson(kTwoBudgets, "two.json");
  ASSERT_TRUE(c.ok()) << c.status();
  std::vector<std::string> kuan;
  for (const CatalogueCode& code : c->FunctionalChildren("207")) kuan.push_back(code.code);
  EXPECT_EQ(kuan, (std::vector<std::string>{"20701", "20707"}));
  std::vector<std::string> items;
  for (const CatalogueCode& code : c->FunctionalChildren("20701")) items.push_back(code.code);
  EXPECT_EQ(items, (std::vector<std::string>{"2070101", "2070102"}));
  EXPECT_EQ(c->FunctionalCodes().size(), 9u);
  EXPECT_EQ(c->FunctionalCodes().front().code, "207");
}

TEST(Catalogue, GovernmentEconomicMappingDependsOnTheUnitType) {
  namespace v1 = yusuan::ledger::v1;
  absl::StatusOr<Catalogue> c = Catalogue::LoadFromJson(kTwoBudgets, "two.json");
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_NE(c->GovernmentEconomicName("50501"), nullptr);
  EXPECT_EQ(*c->GovernmentEconomicName("50501"), "工资福利支出");
  EXPECT_EQ(c->GovernmentEconomicFor("30101", v1::UNIT_TYPE_ADMINISTRATIVE), std::vector<std::string>{"50101"});
  EXPECT_EQ(c->GovernmentEconomicFor("30101", v1::UNIT_TYPE_CIVIL_SERVANT_MANAGED_INSTITUTION),
            std::vector<std::string>{"50101"});
  EXPECT_EQ(c->GovernmentEconomicFor("30101", v1::UNIT_TYPE_PUBLIC_INSTITUTION), std::vector<std::string>{"50501"});
  EXPECT_TRUE(c->GovernmentEconomicFor("30102", v1::UNIT_TYPE_ADMINISTRATIVE).empty());
}

TEST(Catalogue, RejectsBadBudgetsAndMappings) {
  struct Case {
    const char* json;
    const char* expect;
  } cases[] = {
      {R"({"edition": 2021, "functional": [{"code": "207", "name": "x", "budgets": ["special"]}], "economic": []})",
       "functional[0].budgets holds \"special\""},
      {R"({"edition": 2021, "functional": [{"code": "207", "name": "x", "budgets": []}], "economic": []})",
       "functional[0].budgets must be a non-empty array"},
      {R"({"edition": 2021, "functional": [{"code": "207", "name": "x", "budgets": ["fund"]},
           {"code": "20701", "name": "y"}, {"code": "2070101", "name": "z"}], "economic": []})",
       "tag the 项 only"},
      {R"({"edition": 2021, "functional": [], "economic": [{"code": "301", "name": "x"}],
           "government_economic": [], "economic_mapping": [{"department": "301", "government": "50101"}]})",
       "economic_mapping 301 → 50101 names a code the file does not list"},
      {R"({"edition": 2021, "functional": [], "economic": [], "economic_mapping": [{"department": 1}]})",
       "economic_mapping[0] must be"},
      {R"({"edition": 2021, "functional": [{"code": "207", "name": "x", "budget": ["fund"]}], "economic": []})",
       "functional[0] has the unknown key \"budget\""},
      {R"({"edition": 2021, "functional": [], "economic": [], "projects_capable": []})",
       "has the unknown key \"projects_capable\""},
  };
  for (const Case& c : cases) {
    absl::StatusOr<Catalogue> got = Catalogue::LoadFromJson(c.json, "test.json");
    ASSERT_FALSE(got.ok()) << c.json;
    EXPECT_NE(got.status().message().find(c.expect), std::string::npos) << got.status();
  }
}

TEST(CatalogueSet, AnEditionBasedOnAnotherAppliesItsChanges) {
  const fs::path dir = FreshDir("delta");
  WriteFile(dir / "2021.json", kTwoBudgets);
  // Loaded before its base by name order (2020 < 2021): the loader waits for the base.
  WriteFile(dir / "2020.json", R"({"edition": 2020, "based_on": 2021, "changes": [
      {"change": "rename", "kind": "functional", "code": "20701", "name": "文化"},
      {"change": "retire", "kind": "functional", "code": "223", "successors": []}]})");
  WriteFile(dir / "2022.json", R"({"edition": 2022, "based_on": 2021, "changes": [
      {"change": "add", "kind": "functional", "code": "2070103", "name": "机关服务"},
      {"change": "add", "kind": "functional", "code": "20708", "name": "旅游发展基金支出"},
      {"change": "add", "kind": "functional", "code": "2070801", "name": "宣传促销", "budgets": ["fund"]},
      {"change": "retire", "kind": "functional", "code": "20707", "successors": ["2070801"]},
      {"change": "retag", "kind": "functional", "code": "2070102", "budgets": ["general", "fund"]},
      {"change": "rename", "kind": "economic", "code": "30101", "name": "基本工资（含）"}]})");
  WriteFile(dir / "2023.json", R"({"edition": 2023, "based_on": 2022, "changes": []})");
  absl::StatusOr<CatalogueSet> set = CatalogueSet::LoadFromDirectory(dir.string());
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->editions(), (std::vector<int>{2020, 2021, 2022, 2023}));

  const Catalogue& c2020 = *set->Find(2020);
  EXPECT_EQ(c2020.based_on(), 2021);
  EXPECT_EQ(*c2020.FunctionalName("20701"), "文化");
  EXPECT_EQ(c2020.FunctionalName("223"), nullptr);
  EXPECT_EQ(c2020.FunctionalName("2230101"), nullptr) << "retiring a 类 retires what is under it";
  EXPECT_EQ(*set->Find(2021)->FunctionalName("20701"), "文化和旅游") << "the base is not changed";

  const Catalogue& c2022 = *set->Find(2022);
  EXPECT_TRUE(c2022.IsFunctionalItem("2070103"));
  EXPECT_EQ(c2022.FunctionalName("2070701"), nullptr);
  EXPECT_TRUE(c2022.FunctionalBudgets("2070102").Contains(yusuan::ledger::v1::BUDGET_KIND_GOVERNMENT_FUND));
  EXPECT_EQ(*c2022.EconomicName("30101"), "基本工资（含）");
  ASSERT_EQ(c2022.retired().size(), 1u);
  EXPECT_EQ(c2022.retired()[0].code, "20707");
  EXPECT_EQ(c2022.retired()[0].name, "国家电影事业发展专项资金安排的支出");
  EXPECT_EQ(c2022.retired()[0].successors, std::vector<std::string>{"2070801"});
  // 2023 inherits 2022 unchanged, but retired nothing itself.
  EXPECT_TRUE(set->Find(2023)->IsFunctionalItem("2070103"));
  EXPECT_TRUE(set->Find(2023)->retired().empty());

  // The diff names each change once, in code order.
  std::vector<std::string> changes;
  for (const CatalogueChange& change : DiffCatalogues(*set->Find(2021), c2022)) {
    changes.push_back(change.code + ":" + std::to_string(static_cast<int>(change.change)) + ":" + change.after);
  }
  EXPECT_EQ(changes,
            (std::vector<std::string>{"20701:3:一般公共预算、政府性基金预算", "2070102:3:一般公共预算、政府性基金预算",
                                      "2070103:0:机关服务", "20707:1:", "2070701:1:", "20708:0:旅游发展基金支出",
                                      "2070801:0:宣传促销", "30101:2:基本工资（含）"}));
  for (const CatalogueChange& change : DiffCatalogues(*set->Find(2021), c2022)) {
    if (change.code == "20707") {
      EXPECT_EQ(change.successors, std::vector<std::string>{"2070801"});
    }
  }
}

TEST(CatalogueSet, BadChangesAreNamed) {
  struct Case {
    const char* delta;
    const char* expect;
  } cases[] = {
      {R"({"edition": 2022, "based_on": 2021, "changes": [{"change": "add", "kind": "functional", "code": "20701", "name": "x"}]})",
       "adds functional code 20701, which edition 2021 already has"},
      {R"({"edition": 2022, "based_on": 2021, "changes": [{"change": "rename", "kind": "functional", "code": "20799", "name": "x"}]})",
       "rename of functional code 20799, which edition 2021 does not have"},
      {R"({"edition": 2022, "based_on": 2021, "changes": [{"change": "retire", "kind": "functional", "code": "20707", "successors": ["2079999"]}]})",
       "names successor 2079999"},
      {R"({"edition": 2022, "based_on": 2021, "changes": [{"change": "add", "kind": "functional", "code": "2080101", "name": "x"}]})",
       "has no parent 20801"},
      {R"({"edition": 2022, "based_on": 2021, "changes": [{"change": "split", "kind": "functional", "code": "20701"}]})",
       "it must be \"add\", \"rename\", \"retire\" or \"retag\""},
      {R"({"edition": 2022, "based_on": 2021, "functional": [], "changes": []})",
       "lists \"changes\", not \"functional\""},
      {R"({"edition": 2022, "based_on": 2019, "changes": []})", "based on edition 2019"},
  };
  for (const Case& c : cases) {
    const fs::path dir = FreshDir("bad_delta");
    WriteFile(dir / "2021.json", kTwoBudgets);
    WriteFile(dir / "2022.json", c.delta);
    absl::StatusOr<CatalogueSet> set = CatalogueSet::LoadFromDirectory(dir.string());
    ASSERT_FALSE(set.ok()) << c.delta;
    EXPECT_NE(set.status().message().find(c.expect), std::string::npos) << set.status();
    EXPECT_NE(set.status().message().find("2022.json"), std::string::npos) << set.status();
  }
}

}  // namespace
}  // namespace yusuan::ledger
