// The reference filing (data/samples/qingshan-kexie-2021.json) against every
// figure the reference text states (domain.md Appendix A), and the JSON
// round-trip of a Filing.
#include <cstdint>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "yusuan/gateway/v1/gateway.pb.h"

namespace {

using yusuan::gateway::v1::Filing;
namespace ledger = yusuan::ledger::v1;
namespace goals = yusuan::goals::v1;

constexpr int64_t kWan = 1'000'000;  // 分 per 万元
constexpr int64_t kYuan = 100;       // 分 per 元

std::string SamplePath() { return std::string(YUSUAN_SOURCE_DIR) + "/data/samples/qingshan-kexie-2021.json"; }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class SampleFilingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string json = ReadFile(SamplePath());
    ASSERT_FALSE(json.empty()) << "cannot read " << SamplePath();
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    const auto status = google::protobuf::util::JsonStringToMessage(json, &filing_, options);
    ASSERT_TRUE(status.ok()) << status.ToString();
  }

  const ledger::Budget& budget() const { return filing_.budget(); }

  int64_t SumWhere(bool (*pred)(const ledger::ExpenditureLine&)) const {
    int64_t sum = 0;
    for (const auto& line : budget().expenditure_lines()) {
      if (pred(line)) sum += line.amount_fen();
    }
    return sum;
  }

  Filing filing_;
};

TEST_F(SampleFilingTest, DepartmentIsTheReferenceDepartment) {
  const auto& d = filing_.department();
  EXPECT_EQ(d.name(), "regions/420107/departments/005001022");
  EXPECT_EQ(d.region_code(), "420107");
  EXPECT_EQ(d.agency_code(), "005001022");
  EXPECT_EQ(d.full_name(), "武汉市青山区科学技术协会");
  EXPECT_EQ(d.short_name(), "区科协");
  EXPECT_EQ(d.fiscal_level(), ledger::FISCAL_LEVEL_DISTRICT);
  EXPECT_EQ(d.unit_type(), ledger::UNIT_TYPE_CIVIL_SERVANT_MANAGED_INSTITUTION);
  EXPECT_EQ(d.funding_form(), ledger::FUNDING_FORM_FULL);
  EXPECT_EQ(d.functions_preamble(), "青山区科学技术协会是区政府职能部门其主要职责是：");
  ASSERT_EQ(d.main_functions_size(), 9);
  EXPECT_EQ(d.main_functions(8), "承办上级机关交办的有关事项。");
  for (const auto& f : d.main_functions()) {
    EXPECT_NE(f.substr(0, 1), "1") << "numbering must be stripped: " << f;
  }
  ASSERT_EQ(d.internal_offices_size(), 1);
  EXPECT_EQ(d.internal_offices(0), "办公室（挂科学普及部牌子）");
  EXPECT_EQ(d.secondary_units_size(), 0);
  ASSERT_EQ(d.staffing().quotas_size(), 1);
  EXPECT_EQ(d.staffing().quotas(0).kind(), ledger::ESTABLISHMENT_KIND_CIVIL_SERVANT_MANAGED);
  EXPECT_EQ(d.staffing().quotas(0).count(), 5);
  EXPECT_EQ(d.staffing().in_service(), 4);
  EXPECT_EQ(d.staffing().retired_before_1949(), 0);
  EXPECT_EQ(d.staffing().retired(), 8);
  EXPECT_EQ(d.contact_phone(), "68865155");
}

TEST_F(SampleFilingTest, IncomeIsTheGeneralBudgetGrant) {
  EXPECT_EQ(budget().name(), "regions/420107/departments/005001022/budgets/2021");
  EXPECT_EQ(budget().fiscal_year(), 2021);
  EXPECT_EQ(budget().catalogue_edition(), 2021);
  EXPECT_EQ(budget().stage(), ledger::STAGE_BUDGET);
  ASSERT_EQ(budget().income_lines_size(), 1);
  EXPECT_EQ(budget().income_lines(0).source(), ledger::FUND_SOURCE_GENERAL_PUBLIC_BUDGET);
  EXPECT_FALSE(budget().income_lines(0).carryover());
  EXPECT_EQ(budget().income_lines(0).amount_fen(), 415510000);
}

TEST_F(SampleFilingTest, ExpenditureAddsUpToTheReferenceFigures) {
  EXPECT_EQ(SumWhere([](const ledger::ExpenditureLine&) { return true; }), 415510000);
  EXPECT_EQ(SumWhere([](const ledger::ExpenditureLine& l) { return l.kind() != ledger::EXPENDITURE_KIND_PROJECT; }),
            15671 * kWan / 100);
  EXPECT_EQ(SumWhere([](const ledger::ExpenditureLine& l) { return l.economic_code().substr(0, 3) == "301"; }),
            12038 * kWan / 100);
  EXPECT_EQ(SumWhere([](const ledger::ExpenditureLine& l) {
              return l.economic_code().substr(0, 3) == "302" && l.kind() == ledger::EXPENDITURE_KIND_BASIC_PUBLIC;
            }),
            1001 * kWan / 100);
  EXPECT_EQ(SumWhere([](const ledger::ExpenditureLine& l) { return l.economic_code().substr(0, 3) == "303"; }),
            2632 * kWan / 100);
  EXPECT_EQ(
      SumWhere([](const ledger::ExpenditureLine& l) { return l.kind() == ledger::EXPENDITURE_KIND_BASIC_PERSONNEL; }),
      14670 * kWan / 100);
  EXPECT_EQ(SumWhere([](const ledger::ExpenditureLine& l) { return l.kind() == ledger::EXPENDITURE_KIND_PROJECT; }),
            25880 * kWan / 100);
}

TEST_F(SampleFilingTest, LinesUseTheReferenceCodesAndKinds) {
  std::set<std::string> functional, e301, e302, e303;
  for (const auto& l : budget().expenditure_lines()) {
    SCOPED_TRACE(l.functional_code() + "/" + l.economic_code());
    EXPECT_EQ(l.fund_source(), ledger::FUND_SOURCE_GENERAL_PUBLIC_BUDGET);
    EXPECT_FALSE(l.from_carryover());
    EXPECT_GT(l.amount_fen(), 0);
    functional.insert(l.functional_code());
    const std::string cls = l.economic_code().substr(0, 3);
    if (l.kind() == ledger::EXPENDITURE_KIND_PROJECT) {
      EXPECT_EQ(l.functional_code(), "2060102");
      EXPECT_EQ(cls, "302");
      EXPECT_FALSE(l.project_id().empty());
      continue;
    }
    EXPECT_TRUE(l.project_id().empty());
    EXPECT_NE(l.functional_code(), "2060102");
    if (cls == "301" || cls == "303") {
      EXPECT_EQ(l.kind(), ledger::EXPENDITURE_KIND_BASIC_PERSONNEL);
    } else {
      EXPECT_EQ(cls, "302");
      EXPECT_EQ(l.kind(), ledger::EXPENDITURE_KIND_BASIC_PUBLIC);
    }
    (cls == "301" ? e301 : cls == "302" ? e302 : e303).insert(l.economic_code());
  }
  EXPECT_EQ(functional, (std::set<std::string>{"2060101", "2060102", "2080505", "2101101", "2101103", "2101199",
                                               "2210201", "2210202"}));
  EXPECT_EQ(e301, (std::set<std::string>{"30101", "30102", "30103", "30107", "30108", "30110", "30111", "30112",
                                         "30113", "30114", "30199"}));
  EXPECT_EQ(e302, (std::set<std::string>{"30201", "30202", "30205", "30206", "30207", "30209", "30211", "30216",
                                         "30226", "30228", "30229", "30239", "30299"}));
  EXPECT_EQ(e303, (std::set<std::string>{"30302", "30307", "30399"}));
}

TEST_F(SampleFilingTest, ProjectsMatchTheirLinesAndForms) {
  ASSERT_EQ(budget().projects_size(), 2);
  EXPECT_EQ(budget().projects(0).name(), "科普经费（青山区）");
  EXPECT_EQ(budget().projects(1).name(), "科普经费（化工区）");
  const int64_t amounts[] = {2'380'000 * kYuan, 208'000 * kYuan};
  const char* areas[] = {"青山区", "化工区"};
  std::map<std::string, int64_t> by_project;
  for (const auto& l : budget().expenditure_lines()) {
    if (l.kind() == ledger::EXPENDITURE_KIND_PROJECT) by_project[l.project_id()] += l.amount_fen();
  }
  EXPECT_EQ(by_project.size(), 2u);
  for (int i = 0; i < 2; ++i) {
    const auto& p = budget().projects(i);
    SCOPED_TRACE(p.name());
    EXPECT_EQ(p.supervising_code(), "005001022");
    EXPECT_EQ(p.implementing_unit(), "武汉市青山区科学技术协会");
    EXPECT_EQ(p.category(), "综合类");
    EXPECT_EQ(p.start_year(), 2021);
    EXPECT_EQ(p.end_year(), 2021);
    EXPECT_EQ(p.year_fiscal_fen(), amounts[i]);
    EXPECT_EQ(p.total_fen(), amounts[i]);
    EXPECT_EQ(p.total_fiscal_fen(), amounts[i]);
    EXPECT_EQ(p.year_total_fen(), amounts[i]);
    EXPECT_EQ(p.total_other_fen(), 0);
    EXPECT_EQ(p.year_other_fen(), 0);
    EXPECT_EQ(by_project[p.project_id()], p.year_fiscal_fen());
    EXPECT_EQ(p.purpose(), std::string(areas[i]) + "：开展科普活动，维护科普阵地，科普信息化建设，提高全民科学素质等");
  }
}

TEST_F(SampleFilingTest, PriorYearsAndOtherFacts) {
  const auto& prior = budget().prior_years();
  ASSERT_EQ(prior.funds_size(), 2);
  EXPECT_EQ(prior.funds(0).year(), 2020);
  EXPECT_EQ(prior.funds(0).fiscal_grant_fen(), 40722 * kWan / 100);
  EXPECT_EQ(prior.funds(0).basic_fen(), 13314 * kWan / 100);
  EXPECT_EQ(prior.funds(0).project_fen(), 27408 * kWan / 100);
  EXPECT_EQ(prior.funds(1).year(), 2019);
  EXPECT_EQ(prior.funds(1).fiscal_grant_fen(), 20103 * kWan / 100);
  EXPECT_EQ(prior.funds(1).basic_fen(), 15117 * kWan / 100);
  EXPECT_EQ(prior.funds(1).project_fen(), 4986 * kWan / 100);
  for (const auto& f : prior.funds()) {
    EXPECT_EQ(f.other_fen(), 0);
    EXPECT_EQ(f.basic_fen() + f.project_fen(), f.fiscal_grant_fen());
  }
  ASSERT_TRUE(prior.has_general_budget_fen());
  EXPECT_EQ(prior.general_budget_fen(), 40722 * kWan / 100);
  ASSERT_TRUE(prior.has_department_total_fen());
  EXPECT_EQ(prior.department_total_fen(), 40722 * kWan / 100);

  ASSERT_TRUE(budget().three_public().has_current());
  ASSERT_TRUE(budget().three_public().has_prior());
  EXPECT_EQ(budget().three_public().current().ByteSizeLong(), 0u);  // all zero
  EXPECT_EQ(budget().three_public().prior().ByteSizeLong(), 0u);

  ASSERT_EQ(budget().procurement_lines_size(), 1);
  EXPECT_EQ(budget().procurement_lines(0).category(), ledger::PROCUREMENT_CATEGORY_SERVICES);
  EXPECT_EQ(budget().procurement_lines(0).item(), "印刷和出版服务");
  EXPECT_EQ(budget().procurement_lines(0).amount_fen(), 5 * kWan);
  EXPECT_TRUE(budget().has_assets());
  EXPECT_EQ(budget().assets().vehicles(), 0);
  EXPECT_EQ(budget().service_purchase_lines_size(), 0);
  EXPECT_EQ(budget().narrative().general_budget_change_reason(), "本年度基本支出中新增在职人员一人");
  EXPECT_EQ(budget().narrative().department_total_change_reason(), "本年度基本支出中新增在职人员一人");
  ASSERT_TRUE(budget().narrative().has_prior_year_goal_completion_pct());
  EXPECT_EQ(budget().narrative().prior_year_goal_completion_pct(), 100);
  EXPECT_FALSE(filing_.note().empty());
}

TEST_F(SampleFilingTest, GoalsAreTheReferenceGoals) {
  const auto& g = filing_.goals();
  EXPECT_EQ(g.name(), "regions/420107/departments/005001022/budgets/2021/goals");
  EXPECT_EQ(g.fiscal_year(), 2021);
  const auto& d = g.department();
  EXPECT_EQ(d.filed_date(), "2021-01-27");
  EXPECT_EQ(d.filer(), "洪凡");
  EXPECT_EQ(d.long_term_goal(), "服务科技工作者、服务创新驱动发展、服务全民科学素质提高、服务党和政府科学决策。");
  const std::vector<std::string> texts = {
      "开展青山区“全国科普日”“科技活动周”主题科普活动及日常科普（应急科普）活动 20 次",
      "组织开展 5.30 科技工作者日系列活动",
      "开展线上线下服务“科技创新”活动 6次",
      "成立企事业科协组织 2家",
      "提升基层科协干部工作能力，举办科协干部培训 1期",
      "开展线上线下科普报告会、学术活动 4次",
      "加强科普阵地建设，建立区科普基地 1-2 个",
      "组织实施科普助推行动计划，助推星级社区 3-4 个",
  };
  // Quantity targets and their history [2020, 2019] per goal (Appendix A).
  const std::vector<std::vector<std::vector<std::string>>> quantities = {{{"1", "2", "2"}, {"20", "30", "20"}},
                                                                         {{"1", "1", "1"}},
                                                                         {{"6", "8", "6"}},
                                                                         {{"2", "6", "2"}},
                                                                         {{"1", "1", "1"}},
                                                                         {{"4", "6", "4"}},
                                                                         {{"2", "无", "2"}},
                                                                         {{"8", "8", "4"}}};
  ASSERT_EQ(d.annual_goals_size(), 8);
  for (int i = 0; i < 8; ++i) {
    const auto& goal = d.annual_goals(i);
    SCOPED_TRACE(goal.text());
    EXPECT_EQ(goal.seq(), i + 1);
    EXPECT_EQ(goal.text(), texts[i]);
    EXPECT_FALSE(goal.short_name().empty());
    size_t q = 0;
    for (const auto& ind : goal.indicators()) {
      ASSERT_EQ(ind.history_size(), 2);
      EXPECT_EQ(ind.history(0).year(), 2020);
      EXPECT_EQ(ind.history(1).year(), 2019);
      if (ind.level2() == goals::INDICATOR_LEVEL2_QUANTITY) {
        EXPECT_EQ(ind.level1(), goals::INDICATOR_LEVEL1_OUTPUT);
        EXPECT_EQ(ind.standard(), goals::PERFORMANCE_STANDARD_OTHER);
        EXPECT_EQ(ind.standard_note(), "本单位自统指标");
        ASSERT_LT(q, quantities[i].size());
        EXPECT_EQ(ind.history(0).value(), quantities[i][q][0]);
        EXPECT_EQ(ind.history(1).value(), quantities[i][q][1]);
        EXPECT_EQ(ind.target(), quantities[i][q][2]);
        ++q;
      } else if (ind.level1() == goals::INDICATOR_LEVEL1_BENEFIT) {
        EXPECT_EQ(ind.level2(), goals::INDICATOR_LEVEL2_SOCIAL_BENEFIT);
        EXPECT_EQ(ind.target(), "逐年提升");
        EXPECT_EQ(ind.standard(), goals::PERFORMANCE_STANDARD_HISTORICAL);
      } else {
        EXPECT_EQ(ind.level1(), goals::INDICATOR_LEVEL1_SATISFACTION);
        EXPECT_EQ(ind.level2(), goals::INDICATOR_LEVEL2_SERVICE_SATISFACTION);
        EXPECT_EQ(ind.target(), "95%以上");
        EXPECT_EQ(ind.standard(), goals::PERFORMANCE_STANDARD_HISTORICAL);
      }
    }
    EXPECT_EQ(q, quantities[i].size());
  }
  EXPECT_EQ(d.annual_goals(0).short_name(),
            "开展青山区“全国科普日”“科技活动周”大型主题科普活动及日常科普（应急科普）活动");
  ASSERT_EQ(d.long_term_indicators_size(), 6);
  EXPECT_EQ(d.long_term_indicators(0).target(), "每年设定相关绩效目标");
  EXPECT_EQ(d.long_term_indicators(3).level2(), goals::INDICATOR_LEVEL2_TIMELINESS);
  EXPECT_EQ(d.long_term_indicators(3).standard_note(), "绩效考核标准");
  EXPECT_EQ(d.long_term_indicators(5).target(), "95%以上");

  ASSERT_EQ(g.projects_size(), 2);
  for (int j = 0; j < 2; ++j) {
    const auto& sheet = g.projects(j);
    EXPECT_EQ(sheet.project_id(), budget().projects(j).project_id());
    EXPECT_TRUE(sheet.compiled_date().empty());
    // E10(b): the generic text is the medium-term goal, the numbers are the year's.
    EXPECT_NE(sheet.medium_term_goal().find("《全民科学素质行动计划纲要》"), std::string::npos);
    EXPECT_EQ(sheet.medium_term_goal().find("钢要"), std::string::npos);
    EXPECT_NE(sheet.annual_goal().find("日常科普活动 10 次"), std::string::npos);
    EXPECT_FALSE(sheet.annual_indicators().empty());
    // 项目资金 as the 表10 form states it: one-year projects, all fiscal.
    const int64_t amount = budget().projects(j).year_fiscal_fen();
    EXPECT_EQ(amount, (j == 0 ? 2'380'000 : 208'000) * kYuan);
    ASSERT_TRUE(sheet.has_total_fen() && sheet.has_total_fiscal_fen() && sheet.has_total_other_fen() &&
                sheet.has_year_total_fen() && sheet.has_year_fiscal_fen() && sheet.has_year_other_fen());
    EXPECT_EQ(sheet.total_fen(), amount);
    EXPECT_EQ(sheet.total_fiscal_fen(), amount);
    EXPECT_EQ(sheet.total_other_fen(), 0);
    EXPECT_EQ(sheet.year_total_fen(), amount);
    EXPECT_EQ(sheet.year_fiscal_fen(), amount);
    EXPECT_EQ(sheet.year_other_fen(), 0);
  }

  // 表9 部门总体资金情况, 当年预算收支 as printed (其他资金 blank = 0).
  ASSERT_TRUE(d.has_funds());
  EXPECT_EQ(d.funds().income_total_fen(), 41551 * kWan / 100);
  EXPECT_EQ(d.funds().fiscal_grant_fen(), 41551 * kWan / 100);
  ASSERT_TRUE(d.funds().has_other_fen());
  EXPECT_EQ(d.funds().other_fen(), 0);
  EXPECT_EQ(d.funds().expenditure_total_fen(), 41551 * kWan / 100);
  EXPECT_EQ(d.funds().basic_fen(), 15671 * kWan / 100);
  EXPECT_EQ(d.funds().project_fen(), 25880 * kWan / 100);
}

TEST_F(SampleFilingTest, JsonRoundTripKeepsEveryField) {
  std::string json;
  google::protobuf::util::JsonPrintOptions print;
  print.preserve_proto_field_names = false;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(filing_, &json, print).ok());
  Filing again;
  google::protobuf::util::JsonParseOptions parse;
  parse.ignore_unknown_fields = false;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &again, parse).ok());
  std::string diff;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differencer.Compare(filing_, again)) << diff;
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(filing_, again));
  // int64 money is printed as a JSON string, as the sample writes it.
  EXPECT_NE(json.find("\"amountFen\":\"415510000\""), std::string::npos);
  // A stated 0 (optional) survives the round trip as a statement.
  EXPECT_NE(json.find("\"yearOtherFen\":\"0\""), std::string::npos);
  EXPECT_TRUE(again.goals().projects(0).has_year_other_fen());
}

TEST_F(SampleFilingTest, UnknownFieldsAreRejected) {
  Filing f;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  EXPECT_FALSE(google::protobuf::util::JsonStringToMessage(R"({"budget": {"fiscalYaer": 2021}})", &f, options).ok());
}

}  // namespace
