#include "services/ledger/catalogue_registry.h"

#include <unistd.h>

#include <filesystem>
#include <future>
#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/resource_names.h"
#include "yusuan/ledger/v1/ledger.pb.h"

namespace yusuan::ledger {
namespace {

using ::testing::HasSubstr;

constexpr char kWorkflowCf[] = "workflow";
constexpr char kIdempotencyCf[] = "idempotency";

std::string Csv(const std::string& name_of_2010101) {
  return "科目编码,科目名称,级次,预算\n"
         "201,一般公共服务支出,类,\n"
         "20101,人大事务,款,\n"
         "2010101," +
         name_of_2010101 +
         ",项,\n"
         "207,文化旅游体育与传媒支出,类,\n"
         "20707,国家电影事业发展专项资金安排的支出,款,\n"
         "2070701,资助国产影片放映,项,\n"
         "301,工资福利支出,类,\n"
         "30101,基本工资,款,\n"
         "501,机关工资福利支出,类,\n"
         "50101,工资奖金津补贴,款,\n";
}

class CatalogueRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() / ("yusuan-catalogue-registry-" + std::to_string(::getpid()) + "-" +
                                                       ::testing::UnitTest::GetInstance()->current_test_info()->name()))
                .string();
    std::filesystem::remove_all(path_);
    Reopen();
  }
  void TearDown() override {
    registry_.reset();
    store_.reset();
    std::filesystem::remove_all(path_);
  }
  // A new store and registry over the same directory: what a restart does.
  void Reopen() {
    registry_.reset();
    store_.reset();
    StoreOptions options;
    options.path = path_;
    options.column_families = {kCatalogueHeadsCf, kCatalogueVersionsCf, kWorkflowCf, kIdempotencyCf};
    auto store = Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    auto shipped = CatalogueSet::LoadFromDirectory(std::string(YUSUAN_SOURCE_DIR) + "/data/catalogue");
    ASSERT_TRUE(shipped.ok()) << shipped.status();
    registry_ = std::make_unique<CatalogueRegistry>(store_.get(), *std::move(shipped), "data/catalogue", kWorkflowCf,
                                                    kIdempotencyCf);
    ASSERT_TRUE(registry_->LoadStored().ok());
  }
  absl::StatusOr<v1::CatalogueEdition> Import(int edition, const std::string& content,
                                              const std::string& request_id = "") {
    v1::ImportCatalogueRequest request;
    request.set_edition(edition);
    request.set_file_name(absl::StrCat(edition, ".csv"));
    request.set_content(content);
    request.set_request_id(request_id);
    request.set_imported_by("admin.test");
    std::promise<absl::StatusOr<v1::CatalogueEdition>> promise;
    registry_->Import(request, [&](absl::StatusOr<v1::CatalogueEdition> result) { promise.set_value(result); });
    return promise.get_future().get();
  }
  void SetWorkflow(const std::string& budget, v1::FilingStatus status, int64_t published_version = 0) {
    auto name = ParseBudgetName(budget);
    ASSERT_TRUE(name.ok());
    v1::WorkflowState state;
    state.set_status(status);
    state.set_published_version(published_version);
    ASSERT_TRUE(store_
                    ->Apply([&](Store::Txn& txn) {
                      txn.Put(kWorkflowCf, name->Key(), state.SerializeAsString());
                      return absl::OkStatus();
                    })
                    .ok());
  }
  std::string Served2010101(int edition) const {
    const Catalogue* catalogue = registry_->Snapshot()->set.Find(edition);
    return catalogue == nullptr || catalogue->FunctionalName("2010101") == nullptr
               ? ""
               : *catalogue->FunctionalName("2010101");
  }

  std::string path_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<CatalogueRegistry> registry_;
};

TEST_F(CatalogueRegistryTest, ShippedEditionsAreServedUntilAnImportOverridesOne) {
  auto served = registry_->Snapshot();
  ASSERT_TRUE(served->about.count(2021));
  EXPECT_EQ(served->about.at(2021).origin(), v1::CATALOGUE_ORIGIN_SHIPPED);
  EXPECT_EQ(served->about.at(2021).version(), 0);
  EXPECT_EQ(served->about.at(2022).based_on(), 2021);
  EXPECT_GT(served->about.at(2021).functional_count(), 1500);

  auto first = Import(2021, Csv("行政运行"));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->version(), 1);
  EXPECT_EQ(first->origin(), v1::CATALOGUE_ORIGIN_STORED);
  EXPECT_EQ(first->imported_by(), "admin.test");
  EXPECT_EQ(first->functional_count(), 6);
  EXPECT_EQ(first->sha256_hex().size(), 64u);
  served = registry_->Snapshot();
  EXPECT_EQ(served->about.at(2021).origin(), v1::CATALOGUE_ORIGIN_STORED);
  EXPECT_EQ(served->set.Find(2021)->FunctionalCodes().size(), 6u);
  // The 项 without a 预算 cell took the shipped edition's tag.
  EXPECT_TRUE(served->set.Find(2021)->FunctionalBudgets("2070701") == BudgetSet::Of(v1::BUDGET_KIND_GOVERNMENT_FUND));
  // Other editions are still the shipped files.
  EXPECT_EQ(served->about.at(2022).origin(), v1::CATALOGUE_ORIGIN_SHIPPED);
}

TEST_F(CatalogueRegistryTest, EachImportIsANewVersionThePreviousKeptAndAllSurviveARestart) {
  ASSERT_TRUE(Import(2021, Csv("行政运行")).ok());
  auto second = Import(2021, Csv("行政运行（更正）"));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->version(), 2);
  EXPECT_EQ(Served2010101(2021), "行政运行（更正）");

  Reopen();
  auto served = registry_->Snapshot();
  EXPECT_EQ(served->about.at(2021).version(), 2);
  EXPECT_EQ(served->about.at(2021).stored_versions(), 2);
  EXPECT_EQ(served->about.at(2021).origin(), v1::CATALOGUE_ORIGIN_STORED);
  EXPECT_EQ(Served2010101(2021), "行政运行（更正）");
  auto first = registry_->LoadVersion(2021, 1);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first->first.FunctionalName("2010101"), "行政运行");
  EXPECT_EQ(first->second.version(), 1);
  EXPECT_EQ(registry_->LoadVersion(2021, 3).status().code(), absl::StatusCode::kNotFound);
  // An edition no file ships can be imported too.
  auto new_edition = Import(2031, Csv("行政运行"));
  ASSERT_TRUE(new_edition.ok()) << new_edition.status();
  EXPECT_NE(registry_->Snapshot()->set.Find(2031), nullptr);
}

TEST_F(CatalogueRegistryTest, ARetryWithTheSameRequestIdMakesNoSecondVersion) {
  auto first = Import(2021, Csv("行政运行"), "import-1");
  ASSERT_TRUE(first.ok());
  auto again = Import(2021, Csv("行政运行"), "import-1");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->version(), 1);
  EXPECT_EQ(registry_->Snapshot()->about.at(2021).version(), 1);
}

TEST_F(CatalogueRegistryTest, ABadFileStoresNothing) {
  auto bad = Import(2021, Csv("行政运行") + "2010102,,项,\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("2021.csv row 12, column B (科目名称)"));
  EXPECT_EQ(registry_->Snapshot()->about.at(2021).origin(), v1::CATALOGUE_ORIGIN_SHIPPED);
  Reopen();
  EXPECT_EQ(registry_->Snapshot()->about.at(2021).origin(), v1::CATALOGUE_ORIGIN_SHIPPED);
}

TEST_F(CatalogueRegistryTest, AnEditionASubmittedOrPublishedBudgetUsesIsImmutable) {
  ASSERT_TRUE(Import(2021, Csv("行政运行")).ok());
  // Drafts, returned budgets and other years do not freeze it.
  SetWorkflow("regions/420107/departments/005001022/budgets/2021", v1::FILING_STATUS_DRAFT);
  SetWorkflow("regions/420107/departments/005001023/budgets/2021", v1::FILING_STATUS_RETURNED);
  SetWorkflow("regions/420107/departments/005001024/budgets/2022", v1::FILING_STATUS_SUBMITTED);
  ASSERT_TRUE(Import(2021, Csv("行政运行（二）")).ok());

  for (v1::FilingStatus status :
       {v1::FILING_STATUS_SUBMITTED, v1::FILING_STATUS_APPROVED, v1::FILING_STATUS_PUBLISHED}) {
    SetWorkflow("regions/420107/departments/005001022/budgets/2021", status);
    auto refused = Import(2021, Csv("行政运行（三）"));
    ASSERT_FALSE(refused.ok()) << v1::FilingStatus_Name(status);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(refused.status().message(), HasSubstr("regions/420107/departments/005001022/budgets/2021"));
    EXPECT_EQ(Served2010101(2021), "行政运行（二）");
  }
  // An amendment of a published budget is a draft again, but its published
  // version used the edition.
  SetWorkflow("regions/420107/departments/005001022/budgets/2021", v1::FILING_STATUS_DRAFT, 4);
  EXPECT_EQ(Import(2021, Csv("行政运行（三）")).status().code(), absl::StatusCode::kFailedPrecondition);
  // The year of that budget only.
  EXPECT_TRUE(Import(2023, Csv("行政运行")).ok());
  Reopen();
  EXPECT_EQ(registry_->Snapshot()->about.at(2021).version(), 2);
}

}  // namespace
}  // namespace yusuan::ledger
