// Test fixtures: the departments the report tests render, each as the
// ReportInput the service receives — its tables projected and traced (open
// data) by the ledger's own ComputeTables and AddSources, never written by
// hand, so a fixture cannot disagree with its ledger.
//
// ReferenceReportInput(): the reference department (domain.md Appendix A,
// 武汉市青山区科学技术协会 2021) from data/samples/qingshan-kexie-2021.json, the
// filing the golden test and the demo render too. A test that needs a shape
// the sample lacks copies its department, budget or goals, changes one thing
// and projects again with ProjectedReportInput.
//
// CultureBureauReportInput(): a department unlike the reference one (issue
// 11): a district culture-and-tourism bureau, 2022, with a 政府性基金
// project, 上年结转 of both fiscal funds spent on projects, non-zero 三公
// falling year on year, three projects, vehicles, procurement, every fund
// source, and amounts of 1,000–99,999 万元 in its tables. Its goals write
// targets with an operator and a separate unit ("≥6" + "万人次") and
// deadlines in words ("每季度首月底前").
//
// The bureau's functional codes are those the compiled-in 2022 catalogue has
// (data/catalogue/2022.json lists no 项 under 207 文化旅游体育与传媒 yet), so
// the bureau files its office under 201 29 and its sports lottery project
// under 229 60 03 用于体育事业的彩票公益金支出 (a 政府性基金 项).
#ifndef YUSUAN_SERVICES_REPORT_DOMAIN_TESTDATA_DEPARTMENTS_H_
#define YUSUAN_SERVICES_REPORT_DOMAIN_TESTDATA_DEPARTMENTS_H_

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/testing/reference_filing.h"
#include "services/ledger/domain/catalogue.h"
#include "services/ledger/domain/projections.h"
#include "services/ledger/domain/provenance.h"
#include "yusuan/goals/v1/goals.pb.h"
#include "yusuan/ledger/v1/ledger.pb.h"
#include "yusuan/report/v1/report.pb.h"

#ifndef YUSUAN_SOURCE_DIR
#error "YUSUAN_SOURCE_DIR must name the source tree (data/catalogue, data/samples)"
#endif

namespace yusuan::report::testdata {

// Hundredths of 万元 → 分: W(41551) is 415.51 万元.
constexpr int64_t W(int64_t wan_cents) { return wan_cents * 10'000; }

// An edition of data/catalogue as the ledger service loads it.
inline const ledger::Catalogue& CatalogueEdition(int edition) {
  static const auto* const set = [] {
    absl::StatusOr<ledger::CatalogueSet> loaded =
        ledger::CatalogueSet::LoadFromDirectory(std::string(YUSUAN_SOURCE_DIR) + "/data/catalogue");
    if (!loaded.ok()) {
      std::fprintf(stderr, "data/catalogue: %s\n", loaded.status().ToString().c_str());
      std::abort();
    }
    return new ledger::CatalogueSet(*std::move(loaded));
  }();
  const ledger::Catalogue* catalogue = set->Find(edition);
  if (catalogue == nullptr) {
    std::fprintf(stderr, "data/catalogue has no edition %d\n", edition);
    std::abort();
  }
  return *catalogue;
}

inline const ledger::Catalogue& Catalogue2022() { return CatalogueEdition(2022); }

// The ReportInput of a filing, its tables projected with the catalogue of the
// budget's edition and traced to the ledger lines, as the service does.
inline yusuan::report::v1::ReportInput ProjectedReportInput(ledger::v1::Department department,
                                                            ledger::v1::Budget budget, goals::v1::GoalSet goals) {
  yusuan::report::v1::ReportInput input;
  *input.mutable_department() = std::move(department);
  *input.mutable_budget() = std::move(budget);
  *input.mutable_goals() = std::move(goals);
  const ledger::Catalogue& catalogue = CatalogueEdition(input.budget().catalogue_edition());
  absl::StatusOr<ledger::v1::BudgetTables> tables =
      ledger::ComputeTables(input.department(), input.budget(), catalogue);
  absl::Status traced = tables.status();
  if (tables.ok()) traced = ledger::AddSources(input.department(), input.budget(), catalogue, *tables);
  if (!traced.ok()) {
    std::fprintf(stderr, "%s: %s\n", input.budget().name().c_str(), traced.ToString().c_str());
    std::abort();
  }
  *input.mutable_tables() = *std::move(tables);
  return input;
}

// The reference department (the sample filing), projected once. No publish
// time: a preview, as the renderers' time fallbacks expect.
inline yusuan::report::v1::ReportInput ReferenceReportInput() {
  static const auto* const input = new yusuan::report::v1::ReportInput(ProjectedReportInput(
      yusuan::testing::ReferenceDepartment(), yusuan::testing::ReferenceBudget(), yusuan::testing::ReferenceGoals()));
  return *input;
}

// The reference's 年度目标 texts of 表9, in order.
inline std::vector<std::string> AnnualGoalTexts() {
  std::vector<std::string> texts;
  for (const auto& goal : yusuan::testing::ReferenceGoals().department().annual_goals()) texts.push_back(goal.text());
  return texts;
}

namespace culture {

inline constexpr char kFundProject[] = "P2022-003";

inline void BuildDepartment(ledger::v1::Department* d) {
  using namespace ledger::v1;  // NOLINT: enum names only
  d->set_name("regions/420107/departments/005009001");
  d->set_region_code("420107");
  d->set_agency_code("005009001");
  d->set_full_name("武汉市青山区文化和旅游局");
  d->set_short_name("区文旅局");
  d->set_fiscal_level(FISCAL_LEVEL_DISTRICT);
  d->set_unit_type(UNIT_TYPE_ADMINISTRATIVE);
  d->set_funding_form(FUNDING_FORM_FULL);
  d->set_functions_preamble("青山区文化和旅游局是区政府工作部门，其主要职责是：");
  d->add_main_functions("贯彻落实文化、旅游、体育工作的方针政策。");
  d->add_main_functions("组织实施公共文化服务和群众体育活动。");
  d->add_internal_offices("办公室");
  d->add_internal_offices("公共服务科");
  d->add_internal_offices("体育科");
  auto* administrative = d->mutable_staffing()->add_quotas();
  administrative->set_kind(ESTABLISHMENT_KIND_ADMINISTRATIVE);
  administrative->set_count(20);
  auto* logistics = d->mutable_staffing()->add_quotas();
  logistics->set_kind(ESTABLISHMENT_KIND_LOGISTICS);
  logistics->set_count(2);
  d->mutable_staffing()->set_in_service(21);
  d->mutable_staffing()->set_retired(15);
  d->set_contact_phone("86851234");
}

struct Line {
  const char* functional;
  const char* economic;
  ledger::v1::ExpenditureKind kind;
  ledger::v1::FundSource source;
  bool carryover;
  const char* project;
  int64_t wan_cents;
};

inline const std::vector<Line>& Lines() {
  using namespace ledger::v1;  // NOLINT: enum names only
  constexpr auto kPersonnel = EXPENDITURE_KIND_BASIC_PERSONNEL;
  constexpr auto kPublic = EXPENDITURE_KIND_BASIC_PUBLIC;
  constexpr auto kProject = EXPENDITURE_KIND_PROJECT;
  constexpr auto kGeneral = FUND_SOURCE_GENERAL_PUBLIC_BUDGET;
  constexpr auto kFund = FUND_SOURCE_GOVERNMENT_FUND_BUDGET;
  static const auto* lines = new std::vector<Line>{
      {"2012901", "30101", kPersonnel, kGeneral, false, "", 123456},
      {"2012901", "30102", kPersonnel, kGeneral, false, "", 234567},
      {"2012901", "30107", kPersonnel, kGeneral, false, "", 132690},
      {"2012901", "30201", kPublic, kGeneral, false, "", 110025},
      {"2012901", "30231", kPublic, kGeneral, false, "", 101010},
      {"2080505", "30108", kPersonnel, kGeneral, false, "", 345678},
      {"2101101", "30110", kPersonnel, kGeneral, false, "", 198765},
      {"2210201", "30113", kPersonnel, kGeneral, false, "", 222222},
      {"2012902", "30227", kProject, kGeneral, false, "P2022-001", 1234567},
      {"2012902", "30213", kProject, kGeneral, false, "P2022-002", 543210},
      {"2012902", "31002", kProject, kGeneral, true, "P2022-002", 234560},
      {"2296003", "30227", kProject, kFund, false, kFundProject, 1234560},
      {"2296003", "30218", kProject, kFund, true, kFundProject, 102030},
      {"2012903", "30209", kPublic, FUND_SOURCE_FISCAL_SPECIAL_ACCOUNT, false, "", 246810},
      {"2012903", "30226", kPublic, FUND_SOURCE_INSTITUTION_REVENUE, false, "", 357920},
      {"2012903", "30299", EXPENDITURE_KIND_OPERATING, FUND_SOURCE_INSTITUTION_OPERATING_REVENUE, false, "", 111130},
      {"2012999", "30299", kPublic, FUND_SOURCE_SUPERIOR_SUBSIDY, false, "", 432140},
      {"2012999", "30228", kPublic, FUND_SOURCE_SUBSIDIARY_REMITTANCE, false, "", 123450},
      {"2012999", "30201", kPublic, FUND_SOURCE_OTHER_REVENUE, false, "", 567890},
      {"2012999", "30202", kPublic, FUND_SOURCE_INSTITUTION_FUND, false, "", 135790},
  };
  return *lines;
}

inline void BuildBudget(ledger::v1::Budget* b) {
  using namespace ledger::v1;  // NOLINT: enum names only
  b->set_name("regions/420107/departments/005009001/budgets/2022");
  b->set_fiscal_year(2022);
  b->set_stage(STAGE_BUDGET);
  b->set_catalogue_edition(2022);

  // Income: each source (and carry-over) pays exactly its lines.
  std::map<std::pair<int, bool>, int64_t> income;
  for (const Line& l : Lines()) {
    auto* e = b->add_expenditure_lines();
    e->set_functional_code(l.functional);
    e->set_economic_code(l.economic);
    e->set_kind(l.kind);
    e->set_fund_source(l.source);
    e->set_from_carryover(l.carryover);
    e->set_project_id(l.project);
    e->set_amount_fen(W(l.wan_cents));
    income[{l.source, l.carryover}] += W(l.wan_cents);
  }
  for (const auto& [key, fen] : income) {
    auto* line = b->add_income_lines();
    line->set_source(static_cast<FundSource>(key.first));
    line->set_carryover(key.second);
    line->set_amount_fen(fen);
  }

  struct ProjectFacts {
    const char* id;
    const char* name;
    const char* purpose;
  };
  for (const ProjectFacts& p :
       std::initializer_list<ProjectFacts>{{"P2022-001", "文化惠民演出", "送戏进社区、广场文艺演出"},
                                           {"P2022-002", "公共文化设施维护", "文化馆、图书馆设施设备维护更新"},
                                           {kFundProject, "全民健身赛事", "区级全民健身赛事活动"}}) {
    int64_t fen = 0;
    for (const Line& l : Lines()) {
      if (std::string(l.project) == p.id) fen += W(l.wan_cents);
    }
    auto* project = b->add_projects();
    project->set_project_id(p.id);
    project->set_name(p.name);
    project->set_supervising_code("005009001");
    project->set_implementing_unit("武汉市青山区文化和旅游局");
    project->set_category("专项类");
    project->set_start_year(2022);
    project->set_end_year(2022);
    project->set_total_fen(fen);
    project->set_total_fiscal_fen(fen);
    project->set_year_total_fen(fen);
    project->set_year_fiscal_fen(fen);
    project->set_purpose(p.purpose);
  }

  auto* prior = b->mutable_prior_years();
  auto* y2021 = prior->add_funds();
  y2021->set_year(2021);
  y2021->set_fiscal_grant_fen(W(5'500'000));
  y2021->set_basic_fen(W(2'600'000));
  y2021->set_project_fen(W(2'900'000));
  auto* y2020 = prior->add_funds();
  y2020->set_year(2020);
  y2020->set_fiscal_grant_fen(W(4'800'000));
  y2020->set_basic_fen(W(2'500'000));
  y2020->set_project_fen(W(2'300'000));
  prior->set_general_budget_fen(W(3'600'000));
  prior->set_department_total_fen(W(6'000'000));
  prior->set_government_fund_fen(W(1'100'000));
  prior->set_machinery_operating_fen(W(220'000));

  auto* three = b->mutable_three_public();
  three->mutable_current()->set_overseas_fen(W(200));
  three->mutable_current()->set_vehicle_operation_fen(W(1230));
  three->mutable_current()->set_reception_fen(W(340));
  three->mutable_prior()->set_overseas_fen(W(300));
  three->mutable_prior()->set_vehicle_purchase_fen(W(2500));
  three->mutable_prior()->set_vehicle_operation_fen(W(1400));
  three->mutable_prior()->set_reception_fen(W(410));

  auto* goods = b->add_procurement_lines();
  goods->set_category(PROCUREMENT_CATEGORY_GOODS);
  goods->set_item("办公设备");
  goods->set_amount_fen(W(35600));
  auto* services = b->add_procurement_lines();
  services->set_category(PROCUREMENT_CATEGORY_SERVICES);
  services->set_item("演出服务");
  services->set_amount_fen(W(120000));
  auto* purchase = b->add_service_purchase_lines();
  purchase->set_item("文化惠民演出服务");
  purchase->set_amount_fen(W(123450));

  b->mutable_assets()->set_as_of_date("2021-12-31");
  b->mutable_assets()->set_vehicles(3);
  b->mutable_assets()->set_general_equipment_over_500k(2);
  b->mutable_assets()->set_planned_vehicle_purchases(1);

  auto* narrative = b->mutable_narrative();
  narrative->set_general_budget_change_reason("文化惠民演出场次增加");
  narrative->set_department_total_change_reason("文化惠民演出场次增加");
  narrative->set_three_public_change_reason("上年购置公务用车一辆，本年压减接待和用车支出");
  narrative->set_machinery_operating_purpose("办公及印刷费、邮电费、差旅费");
  narrative->set_prior_year_goal_completion_pct(98);
}

inline goals::v1::Indicator* AddIndicator(google::protobuf::RepeatedPtrField<goals::v1::Indicator>* list,
                                          goals::v1::IndicatorLevel1 l1, goals::v1::IndicatorLevel2 l2,
                                          const std::string& name, const std::string& y2021, const std::string& y2020,
                                          const std::string& target, const std::string& unit = "") {
  goals::v1::Indicator* ind = list->Add();
  ind->set_level1(l1);
  ind->set_level2(l2);
  ind->set_name(name);
  if (!y2021.empty() || !y2020.empty()) {
    // Newest first, as the contract lists them.
    auto* h1 = ind->add_history();
    h1->set_year(2021);
    h1->set_value(y2021);
    auto* h2 = ind->add_history();
    h2->set_year(2020);
    h2->set_value(y2020);
  }
  ind->set_target(target);
  ind->set_unit(unit);
  ind->set_standard(goals::v1::PERFORMANCE_STANDARD_HISTORICAL);
  return ind;
}

inline void BuildGoals(goals::v1::GoalSet* g) {
  using namespace goals::v1;  // NOLINT: enum names only
  g->set_name("regions/420107/departments/005009001/budgets/2022/goals");
  g->set_fiscal_year(2022);
  DepartmentGoalSheet* sheet = g->mutable_department();
  sheet->set_filed_date("2022-01-20");
  sheet->set_contact_phone("86851234");
  sheet->set_functions_summary("组织实施公共文化服务和群众体育活动。");
  sheet->set_annual_tasks("开展文化惠民演出，维护公共文化设施，举办全民健身赛事。");
  sheet->set_long_term_goal("建成覆盖全区的公共文化和全民健身服务体系。");
  AddIndicator(sheet->mutable_long_term_indicators(), INDICATOR_LEVEL1_OUTPUT, INDICATOR_LEVEL2_TIMELINESS,
               "演出计划报送", "", "", "每季度首月底前");

  AnnualGoal* shows = sheet->add_annual_goals();
  shows->set_seq(1);
  shows->set_text("开展文化惠民演出 120 场");
  shows->set_short_name("文化惠民演出");
  AddIndicator(shows->mutable_indicators(), INDICATOR_LEVEL1_OUTPUT, INDICATOR_LEVEL2_QUANTITY, "惠民演出场次", "110",
               "100", "120", "场");
  AddIndicator(shows->mutable_indicators(), INDICATOR_LEVEL1_OUTPUT, INDICATOR_LEVEL2_QUANTITY, "观众人次", "5", "4",
               "≥6", "万人次");
  AddIndicator(shows->mutable_indicators(), INDICATOR_LEVEL1_SATISFACTION, INDICATOR_LEVEL2_SERVICE_SATISFACTION,
               "群众满意度", "92%", "90%", "95%以上");

  AnnualGoal* upkeep = sheet->add_annual_goals();
  upkeep->set_seq(2);
  upkeep->set_text("公共文化设施完好率 95%以上，报修 15 个工作日内处理");
  upkeep->set_short_name("公共文化设施维护");
  AddIndicator(upkeep->mutable_indicators(), INDICATOR_LEVEL1_OUTPUT, INDICATOR_LEVEL2_TIMELINESS, "报修处理时限", "20",
               "25", "≤15", "个工作日");
  AddIndicator(upkeep->mutable_indicators(), INDICATOR_LEVEL1_OUTPUT, INDICATOR_LEVEL2_QUALITY, "维修响应", "及时",
               "及时", "及时");
  AddIndicator(upkeep->mutable_indicators(), INDICATOR_LEVEL1_SATISFACTION, INDICATOR_LEVEL2_SERVICE_SATISFACTION,
               "读者满意度", "93%", "91%", "95%以上");

  AnnualGoal* games = sheet->add_annual_goals();
  games->set_seq(3);
  games->set_text("举办全民健身赛事 8 项");
  games->set_short_name("全民健身赛事");
  AddIndicator(games->mutable_indicators(), INDICATOR_LEVEL1_OUTPUT, INDICATOR_LEVEL2_QUANTITY, "赛事项数", "7", "6",
               "8", "项");
  AddIndicator(games->mutable_indicators(), INDICATOR_LEVEL1_OUTPUT, INDICATOR_LEVEL2_TIMELINESS, "赛事总结报送",
               "年底前", "年底前", "年底前");
  AddIndicator(games->mutable_indicators(), INDICATOR_LEVEL1_SATISFACTION, INDICATOR_LEVEL2_SERVICE_SATISFACTION,
               "参赛者满意度", "90%", "88%", "90%以上");

  for (const char* id : {"P2022-001", "P2022-002", kFundProject}) {
    ProjectGoalSheet* p = g->add_projects();
    p->set_project_id(id);
    p->set_medium_term_goal("持续提升公共文化和全民健身服务水平。");
    p->set_annual_goal("完成年度项目任务。");
    AddIndicator(p->mutable_annual_indicators(), INDICATOR_LEVEL1_OUTPUT, INDICATOR_LEVEL2_QUANTITY, "服务人次", "", "",
                 "≥6", "万人次");
    AddIndicator(p->mutable_annual_indicators(), INDICATOR_LEVEL1_OUTPUT, INDICATOR_LEVEL2_TIMELINESS, "完成时限", "",
                 "", "年底前");
    AddIndicator(p->mutable_annual_indicators(), INDICATOR_LEVEL1_SATISFACTION, INDICATOR_LEVEL2_SERVICE_SATISFACTION,
                 "服务对象满意度", "", "", "90%以上");
  }
}

}  // namespace culture

// The culture-and-tourism bureau's ReportInput, published 2022-01-20.
inline yusuan::report::v1::ReportInput CultureBureauReportInput() {
  ledger::v1::Department department;
  ledger::v1::Budget budget;
  goals::v1::GoalSet goals;
  culture::BuildDepartment(&department);
  culture::BuildBudget(&budget);
  culture::BuildGoals(&goals);
  yusuan::report::v1::ReportInput input =
      ProjectedReportInput(std::move(department), std::move(budget), std::move(goals));
  input.set_publish_time_unix_ms(1'642'636'800'000);  // 2022-01-20
  return input;
}

}  // namespace yusuan::report::testdata

#endif  // YUSUAN_SERVICES_REPORT_DOMAIN_TESTDATA_DEPARTMENTS_H_
