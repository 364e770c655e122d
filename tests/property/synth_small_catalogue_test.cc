// The generator on a small catalogue written here, whatever the shipped
// ones hold: which 类 are spendable, and departments of sectors that only
// have 政府性基金 or 国有资本经营 项 (their money and lines follow the code's
// budget, V-FUND-KIND) or no operations item of their own (basic spending
// goes to the fallback 类).
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/cross_rules/cross_rules.h"
#include "services/goals/domain/rules.h"
#include "services/ledger/domain/catalogue.h"
#include "services/ledger/domain/rules.h"
#include "tools/synth/synth.h"

namespace yusuan::synth {
namespace {

namespace gv1 = yusuan::gateway::v1;
namespace lv1 = yusuan::ledger::v1;
using yusuan::common::v1::Finding;
using yusuan::ledger::Catalogue;
using yusuan::ledger::CatalogueSet;

constexpr char kCatalogue[] = R"json({
  "edition": 2021,
  "functional": [
    {"code": "201", "name": "一般公共服务支出"},
    {"code": "20101", "name": "人大事务"},
    {"code": "2010101", "name": "行政运行", "budgets": ["general"]},
    {"code": "2010102", "name": "一般行政管理事务", "budgets": ["general"]},
    {"code": "208", "name": "社会保障和就业支出"},
    {"code": "20805", "name": "行政事业单位养老支出"},
    {"code": "2080501", "name": "行政单位离退休", "budgets": ["general"]},
    {"code": "2080502", "name": "事业单位离退休", "budgets": ["general"]},
    {"code": "2080505", "name": "机关事业单位基本养老保险缴费支出", "budgets": ["general"]},
    {"code": "2080506", "name": "机关事业单位职业年金缴费支出", "budgets": ["general"]},
    {"code": "209", "name": "社会保险基金支出"},
    {"code": "20901", "name": "企业职工基本养老保险基金支出"},
    {"code": "2090101", "name": "基本养老金", "budgets": ["social_insurance"]},
    {"code": "210", "name": "卫生健康支出"},
    {"code": "21011", "name": "行政事业单位医疗"},
    {"code": "2101101", "name": "行政单位医疗", "budgets": ["general"]},
    {"code": "2101102", "name": "事业单位医疗", "budgets": ["general"]},
    {"code": "2101103", "name": "公务员医疗补助", "budgets": ["general"]},
    {"code": "2101199", "name": "其他行政事业单位医疗支出", "budgets": ["general"]},
    {"code": "221", "name": "住房保障支出"},
    {"code": "22102", "name": "住房改革支出"},
    {"code": "2210201", "name": "住房公积金", "budgets": ["general"]},
    {"code": "2210202", "name": "提租补贴", "budgets": ["general"]},
    {"code": "223", "name": "国有资本经营预算支出"},
    {"code": "22301", "name": "解决历史遗留问题及改革成本支出"},
    {"code": "2230105", "name": "国有企业退休人员社会化管理补助支出", "budgets": ["capital"]},
    {"code": "229", "name": "其他支出"},
    {"code": "22960", "name": "彩票公益金安排的支出"},
    {"code": "2296002", "name": "用于社会福利的彩票公益金支出", "budgets": ["fund"]},
    {"code": "230", "name": "转移性支出"},
    {"code": "23001", "name": "返还性支出"},
    {"code": "2300101", "name": "所得税基数返还支出", "budgets": ["general"]}
  ],
  "economic": [
    {"code": "301", "name": "工资福利支出"},
    {"code": "30101", "name": "基本工资"}, {"code": "30102", "name": "津贴补贴"}, {"code": "30103", "name": "奖金"},
    {"code": "30107", "name": "绩效工资"}, {"code": "30108", "name": "机关事业单位基本养老保险缴费"},
    {"code": "30109", "name": "职业年金缴费"}, {"code": "30110", "name": "职工基本医疗保险缴费"},
    {"code": "30111", "name": "公务员医疗补助缴费"}, {"code": "30112", "name": "其他社会保障缴费"},
    {"code": "30113", "name": "住房公积金"}, {"code": "30114", "name": "医疗费"},
    {"code": "30199", "name": "其他工资福利支出"},
    {"code": "302", "name": "商品和服务支出"},
    {"code": "30201", "name": "办公费"}, {"code": "30202", "name": "印刷费"}, {"code": "30205", "name": "水费"},
    {"code": "30206", "name": "电费"}, {"code": "30207", "name": "邮电费"}, {"code": "30211", "name": "差旅费"},
    {"code": "30212", "name": "因公出国（境）费用"}, {"code": "30217", "name": "公务接待费"},
    {"code": "30226", "name": "劳务费"}, {"code": "30227", "name": "委托业务费"},
    {"code": "30231", "name": "公务用车运行维护费"}, {"code": "30299", "name": "其他商品和服务支出"},
    {"code": "303", "name": "对个人和家庭的补助"},
    {"code": "30301", "name": "离休费"}, {"code": "30302", "name": "退休费"}, {"code": "30307", "name": "医疗费补助"},
    {"code": "310", "name": "资本性支出"},
    {"code": "31002", "name": "办公设备购置"}, {"code": "31013", "name": "公务用车购置"},
    {"code": "31099", "name": "其他资本性支出"}
  ]
})json";

class SmallCatalogueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<Catalogue> catalogue = Catalogue::LoadFromJson(kCatalogue, "small catalogue");
    ASSERT_TRUE(catalogue.ok()) << catalogue.status();
    ASSERT_TRUE(catalogues_.Add(std::move(*catalogue)).ok());
  }
  CatalogueSet catalogues_;
};

TEST_F(SmallCatalogueTest, SpendableClassesLeaveOutSocialInsuranceAndGovernmentOnlyClasses) {
  const Catalogue& c = *catalogues_.Find(2021);
  EXPECT_EQ(SpendableClasses(c), (std::vector<std::string>{"201", "208", "210", "221", "223", "229"}));
  EXPECT_FALSE(IsSpendableItem(c, "2090101")) << "社会保险基金 only";
  EXPECT_FALSE(IsSpendableItem(c, "2300101")) << "转移性支出 is the government's";
  EXPECT_FALSE(IsSpendableItem(c, "20101")) << "a 款, not a 项";
  EXPECT_TRUE(IsSpendableItem(c, "2296002"));
}

TEST_F(SmallCatalogueTest, EverySectorGetsValidDepartmentsPaidFromItsCodesBudget) {
  SynthOptions options;
  options.seed = 99;
  absl::StatusOr<Synthesizer> run = Synthesizer::Create(catalogues_, options);
  ASSERT_TRUE(run.ok()) << run.status();
  const size_t sectors = run->sectors().size();
  for (int i = 0; i < static_cast<int>(sectors) * 8; ++i) {
    absl::StatusOr<gv1::Filing> f = run->Synthesize(i);
    ASSERT_TRUE(f.ok()) << "department " << i << ": " << f.status();
    const std::string sector = run->sectors()[static_cast<size_t>(i) % sectors];
    bool own = false, fund = false, capital = false;
    for (const lv1::ExpenditureLine& line : f->budget().expenditure_lines()) {
      own = own || line.functional_code().compare(0, 3, sector) == 0;
      fund = fund || line.fund_source() == lv1::FUND_SOURCE_GOVERNMENT_FUND_BUDGET;
      capital = capital || line.fund_source() == lv1::FUND_SOURCE_STATE_CAPITAL_BUDGET;
    }
    EXPECT_TRUE(own) << "department " << i << " spends nothing on its sector " << sector;
    // 229 and 223 have only fund or capital 项 here: spending on them is that money.
    if (sector == "229") {
      EXPECT_TRUE(fund) << "department " << i;
    }
    if (sector == "223") {
      EXPECT_TRUE(capital) << "department " << i;
    }

    std::vector<Finding> fatal;
    for (const auto& report : {yusuan::ledger::ValidateFiling(f->department(), f->budget(), catalogues_),
                               yusuan::goals::ValidateGoalSet(f->goals()),
                               yusuan::cross_rules::ValidateGoalsAgainstBudget(f->goals(), f->budget())}) {
      for (const Finding& x : report.findings()) {
        if (x.severity() == yusuan::common::v1::SEVERITY_FATAL) fatal.push_back(x);
      }
    }
    for (const Finding& x : fatal) {
      ADD_FAILURE() << "department " << i << " (sector " << sector << "): [" << x.rule_id() << "] " << x.field() << ": "
                    << x.message_en();
    }
  }
}

}  // namespace
}  // namespace yusuan::synth
