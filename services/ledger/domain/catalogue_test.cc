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
  EXPECT_EQ(c->FunctionalName("2069999"), nullptr);
  EXPECT_TRUE(c->IsKnownFunctional("206"));
  EXPECT_FALSE(c->IsFunctionalItem("20601"));
  EXPECT_TRUE(c->IsFunctionalItem("2060101"));
  EXPECT_TRUE(c->IsEconomicItem("30101"));
  EXPECT_FALSE(c->IsEconomicItem("301"));
}

TEST(Catalogue, HasEveryCodeTheReferenceNeeds) {
  absl::StatusOr<Catalogue> c = Catalogue::LoadFromFile(k2021);
  ASSERT_TRUE(c.ok()) << c.status();
  for (const char* code : {"201", "202", "203", "204", "205", "206", "207", "208", "209", "210", "211",
                           "212", "213", "214", "215", "216", "217", "219", "220", "221", "222", "223",
                           "224", "227", "229", "230", "231", "232", "233", "234", "2060101", "2060102",
                           "2060103", "2060199", "2080501", "2080502", "2080503", "2080505", "2080506",
                           "2080507", "2080599", "2101101", "2101102", "2101103", "2101199", "2210201",
                           "2210202", "2210203", "2012901", "2012999", "2060701", "2060799"}) {
    EXPECT_TRUE(c->IsKnownFunctional(code)) << code;
  }
  for (const char* code : {"301", "302", "303", "307", "309", "310", "311", "312", "313", "399", "30101",
                           "30114", "30199", "30231", "30239", "30299", "30302", "30307", "30399",
                           "31099"}) {
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

}  // namespace
}  // namespace yusuan::ledger
