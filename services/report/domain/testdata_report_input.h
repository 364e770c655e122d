// Test fixture: the ReportInput of the reference document (domain.md
// Appendix A: 武汉市青山区科学技术协会, 2021), built by hand. The summary
// figures are the reference's; the 表1–表8 rows are a small, internally
// consistent invention (the reference printed those tables as images).
#ifndef YUSUAN_SERVICES_REPORT_DOMAIN_TESTDATA_REPORT_INPUT_H_
#define YUSUAN_SERVICES_REPORT_DOMAIN_TESTDATA_REPORT_INPUT_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "yusuan/goals/v1/goals.pb.h"
#include "yusuan/ledger/v1/ledger.pb.h"
#include "yusuan/report/v1/report.pb.h"

namespace yusuan::report::testdata {

// Hundredths of 万元 → 分: W(41551) is 415.51 万元.
constexpr int64_t W(int64_t wan_cents) { return wan_cents * 10'000; }
// Whole 元 → 分.
constexpr int64_t Yuan(int64_t yuan) { return yuan * 100; }

inline constexpr char kGoal1Text[] =
    "开展青山区“全国科普日”“科技活动周”主题科普活动及日常科普（应急科普）"
    "活动 20 次";

// The eight 年度目标 texts of 表9, in order.
inline std::vector<std::string> AnnualGoalTexts() {
  return {kGoal1Text,
          "组织开展 5.30 科技工作者日系列活动",
          "开展线上线下服务“科技创新”活动 6次",
          "成立企事业科协组织 2家",
          "提升基层科协干部工作能力，举办科协干部培训 1期",
          "开展线上线下科普报告会、学术活动 4次",
          "加强科普阵地建设，建立区科普基地 1-2 个",
          "组织实施科普助推行动计划，助推星级社区 3-4 个"};
}

namespace internal {

using goals::v1::Indicator;

inline void AddIndicator(google::protobuf::RepeatedPtrField<Indicator>* list,
                         goals::v1::IndicatorLevel1 l1,
                         goals::v1::IndicatorLevel2 l2, const std::string& name,
                         const std::string& y2020, const std::string& y2019,
                         const std::string& target,
                         goals::v1::PerformanceStandard standard,
                         const std::string& note = "") {
  Indicator* ind = list->Add();
  ind->set_level1(l1);
  ind->set_level2(l2);
  ind->set_name(name);
  if (!y2020.empty() || !y2019.empty()) {
    auto* h1 = ind->add_history();
    h1->set_year(2020);
    h1->set_value(y2020);
    auto* h2 = ind->add_history();
    h2->set_year(2019);
    h2->set_value(y2019);
  }
  ind->set_target(target);
  ind->set_standard(standard);
  ind->set_standard_note(note);
}

// The three rows every goal after the first shares: one 数量 row, then the
// 社会效益 and 满意度 rows.
inline void AddGoal(goals::v1::DepartmentGoalSheet* sheet, int seq,
                    const std::string& text, const std::string& short_name,
                    const std::string& quantity_name,
                    const std::string& y2020, const std::string& y2019,
                    const std::string& target, const std::string& benefit,
                    const std::string& satisfaction) {
  using namespace goals::v1;  // NOLINT: enum names only
  AnnualGoal* goal = sheet->add_annual_goals();
  goal->set_seq(seq);
  goal->set_text(text);
  goal->set_short_name(short_name);
  AddIndicator(goal->mutable_indicators(), INDICATOR_LEVEL1_OUTPUT,
               INDICATOR_LEVEL2_QUANTITY, quantity_name, y2020, y2019, target,
               PERFORMANCE_STANDARD_OTHER, "本单位自统指标");
  AddIndicator(goal->mutable_indicators(), INDICATOR_LEVEL1_BENEFIT,
               INDICATOR_LEVEL2_SOCIAL_BENEFIT, benefit, "逐年提升", "逐年提升",
               "逐年提升", PERFORMANCE_STANDARD_HISTORICAL);
  AddIndicator(goal->mutable_indicators(), INDICATOR_LEVEL1_SATISFACTION,
               INDICATOR_LEVEL2_SERVICE_SATISFACTION, satisfaction, "95%以上",
               "95%以上", "95%以上", PERFORMANCE_STANDARD_HISTORICAL);
}

inline ledger::v1::TableColumn* Column(ledger::v1::BudgetTable* table,
                                       const std::string& title,
                                       const std::string& group = "",
                                       bool right = false) {
  auto* col = right ? table->add_right_columns() : table->add_columns();
  col->set_title(title);
  col->set_group(group);
  return col;
}

inline void AddRow(google::protobuf::RepeatedPtrField<ledger::v1::TableRow>* rows,
                   const std::string& code, const std::string& name, int level,
                   std::initializer_list<int64_t> wan_cents,
                   bool total = false) {
  auto* row = rows->Add();
  row->set_code(code);
  row->set_name(name);
  row->set_level(level);
  for (int64_t v : wan_cents) row->add_cells_fen(W(v));
  row->set_total(total);
}

inline void AddGlossary(ledger::v1::BudgetSummary* summary,
                        const std::string& class_code,
                        const std::string& class_name,
                        const std::string& kuan_code,
                        const std::string& kuan_name,
                        std::initializer_list<std::pair<const char*, const char*>>
                            items) {
  auto* g = summary->add_glossary();
  g->set_class_code(class_code);
  g->set_class_name(class_name);
  g->set_kuan_code(kuan_code);
  g->set_kuan_name(kuan_name);
  for (const auto& [code, name] : items) {
    auto* item = g->add_items();
    item->set_kind(ledger::v1::CODE_KIND_FUNCTIONAL);
    item->set_code(code);
    item->set_name(name);
  }
}

inline void AddClass(ledger::v1::BudgetSummary* summary, const std::string& code,
                     const std::string& name, int64_t wan_cents,
                     std::initializer_list<const char*> items) {
  auto* cls = summary->add_general_basic_by_class();
  cls->set_code(code);
  cls->set_name(name);
  cls->set_amount_fen(W(wan_cents));
  cls->set_personnel(code == "301" || code == "303");  // as the ledger's projection flags them
  for (const char* item : items) cls->add_item_names(item);
}

inline void BuildDepartment(ledger::v1::Department* d) {
  using namespace ledger::v1;  // NOLINT: enum names only
  d->set_name("regions/420107/departments/005001022");
  d->set_region_code("420107");
  d->set_agency_code("005001022");
  d->set_full_name("武汉市青山区科学技术协会");
  d->set_short_name("区科协");
  d->set_fiscal_level(FISCAL_LEVEL_DISTRICT);
  d->set_unit_type(UNIT_TYPE_CIVIL_SERVANT_MANAGED_INSTITUTION);
  d->set_funding_form(FUNDING_FORM_FULL);
  d->set_functions_preamble("青山区科学技术协会是区政府职能部门其主要职责是：");
  for (const char* f : {
           "认真执行党的路线、方针、政策，深入贯彻《中华人民共和国科学技术普及法》，"
           "确定我区科协指导思想和任务，指导全区的科协工作。",
           "组织开展全区学术交流，活跃学术思想，提高学术质量，促进学科繁荣。",
           "组织开展继续教育和技术培训工作，进行科技咨询服务。",
           "组织开展全区群众性科学技术普及工作，促进公民科学素质提升。",
           "开展民间国际科学技术交流活动。",
           "宣传表彰奖励优秀科技工作者，维护科技工作者的合法权益。",
           "组织科技工作者参政议政，提出咨询建议。",
           "对青山区系统所属学会进行管理，对基层科协进行业务指导及管理。",
           "承办上级机关交办的有关事项。"}) {
    d->add_main_functions(f);
  }
  d->add_internal_offices("办公室（挂科学普及部牌子）");
  auto* quota = d->mutable_staffing()->add_quotas();
  quota->set_kind(ESTABLISHMENT_KIND_CIVIL_SERVANT_MANAGED);
  quota->set_count(5);
  d->mutable_staffing()->set_in_service(4);
  d->mutable_staffing()->set_retired_before_1949(0);
  d->mutable_staffing()->set_retired(8);
  d->set_contact_phone("68865155");
}

inline void BuildBudget(ledger::v1::Budget* b) {
  using namespace ledger::v1;  // NOLINT: enum names only
  b->set_name("regions/420107/departments/005001022/budgets/2021");
  b->set_fiscal_year(2021);
  b->set_stage(STAGE_BUDGET);
  b->set_catalogue_edition(2021);

  auto* income = b->add_income_lines();
  income->set_source(FUND_SOURCE_GENERAL_PUBLIC_BUDGET);
  income->set_amount_fen(W(41551));

  struct Line {
    const char* functional;
    const char* economic;
    ExpenditureKind kind;
    const char* project;
    int64_t wan_cents;
  };
  for (const Line& l : std::initializer_list<Line>{
           {"2060101", "30101", EXPENDITURE_KIND_BASIC_PERSONNEL, "", 10000},
           {"2060101", "30201", EXPENDITURE_KIND_BASIC_PUBLIC, "", 1001},
           {"2080505", "30108", EXPENDITURE_KIND_BASIC_PERSONNEL, "", 1500},
           {"2101101", "30110", EXPENDITURE_KIND_BASIC_PERSONNEL, "", 800},
           {"2101103", "30111", EXPENDITURE_KIND_BASIC_PERSONNEL, "", 300},
           {"2101199", "30302", EXPENDITURE_KIND_BASIC_PERSONNEL, "", 170},
           {"2210201", "30113", EXPENDITURE_KIND_BASIC_PERSONNEL, "", 1200},
           {"2210202", "30102", EXPENDITURE_KIND_BASIC_PERSONNEL, "", 700},
           {"2060102", "30299", EXPENDITURE_KIND_PROJECT, "P2021-001", 23800},
           {"2060102", "30299", EXPENDITURE_KIND_PROJECT, "P2021-002", 2080}}) {
    auto* e = b->add_expenditure_lines();
    e->set_functional_code(l.functional);
    e->set_economic_code(l.economic);
    e->set_kind(l.kind);
    e->set_fund_source(FUND_SOURCE_GENERAL_PUBLIC_BUDGET);
    e->set_project_id(l.project);
    e->set_amount_fen(W(l.wan_cents));
  }

  struct ProjectFacts {
    const char* id;
    const char* name;
    int64_t yuan;
    const char* purpose;
  };
  for (const ProjectFacts& p : std::initializer_list<ProjectFacts>{
           {"P2021-001", "科普经费（青山区）", 2'380'000,
            "青山区：开展科普活动，维护科普阵地，科普信息化建设，提高全民科学素质等"},
           {"P2021-002", "科普经费（化工区）", 208'000,
            "化工区：开展科普活动，维护科普阵地，科普信息化建设，提高全民科学素质等"}}) {
    auto* project = b->add_projects();
    project->set_project_id(p.id);
    project->set_name(p.name);
    project->set_supervising_code("005001022");
    project->set_implementing_unit("武汉市青山区科学技术协会");
    project->set_category("综合类");
    project->set_start_year(2021);
    project->set_end_year(2021);
    project->set_total_fen(Yuan(p.yuan));
    project->set_total_fiscal_fen(Yuan(p.yuan));
    project->set_total_other_fen(0);
    project->set_year_total_fen(Yuan(p.yuan));
    project->set_year_fiscal_fen(Yuan(p.yuan));
    project->set_year_other_fen(0);
    project->set_purpose(p.purpose);
  }

  auto* prior = b->mutable_prior_years();
  auto* y2020 = prior->add_funds();
  y2020->set_year(2020);
  y2020->set_fiscal_grant_fen(W(40722));
  y2020->set_basic_fen(W(13314));
  y2020->set_project_fen(W(27408));
  auto* y2019 = prior->add_funds();
  y2019->set_year(2019);
  y2019->set_fiscal_grant_fen(W(20103));
  y2019->set_basic_fen(W(15117));
  y2019->set_project_fen(W(4986));
  prior->set_general_budget_fen(W(40722));
  prior->set_department_total_fen(W(40722));

  b->mutable_three_public()->mutable_current();
  b->mutable_three_public()->mutable_prior();

  auto* procurement = b->add_procurement_lines();
  procurement->set_category(PROCUREMENT_CATEGORY_SERVICES);
  procurement->set_item("印刷和出版服务");
  procurement->set_amount_fen(W(500));

  b->mutable_assets()->set_vehicles(0);

  auto* narrative = b->mutable_narrative();
  narrative->set_general_budget_change_reason("本年度基本支出中新增在职人员一人");
  narrative->set_department_total_change_reason(
      "本年度基本支出中新增在职人员一人；");
  narrative->set_prior_year_goal_completion_pct(100);
}

inline void BuildGoals(goals::v1::GoalSet* g) {
  using namespace goals::v1;  // NOLINT: enum names only
  g->set_name("regions/420107/departments/005001022/budgets/2021/goals");
  g->set_fiscal_year(2021);
  DepartmentGoalSheet* sheet = g->mutable_department();
  sheet->set_filed_date("2021-01-27");
  sheet->set_filer("洪凡");
  sheet->set_contact_phone("68865155");
  sheet->set_functions_summary(
      "贯彻落实上级部门关于科协工作的有关指示和要求，组织开展全区群众性科学普及"
      "工作和活动，服务企业科技创新发展，组织开展学术交流活动，组织科技工作者参政"
      "议政，对基层科协组织进行业务指导和管理。");
  sheet->set_annual_tasks(
      "组织开展主题科普系列活动和科普报告会，统筹开展针对五大人群的科学素质提升"
      "行动，开展服务科技创新活动，指导成立企事业单位科协组织，支持指导申报市级"
      "各类科普类、科技创新类项目");
  sheet->set_long_term_goal(
      "服务科技工作者、服务创新驱动发展、服务全民科学素质提高、服务党和政府科学"
      "决策。");

  const std::vector<std::string> texts = AnnualGoalTexts();
  // 目标1 has two 数量 rows.
  AnnualGoal* goal1 = sheet->add_annual_goals();
  goal1->set_seq(1);
  goal1->set_text(texts[0]);
  goal1->set_short_name(
      "开展青山区“全国科普日”“科技活动周”大型主题科普活动及日常科普（应急科普）"
      "活动");
  AddIndicator(goal1->mutable_indicators(), INDICATOR_LEVEL1_OUTPUT,
               INDICATOR_LEVEL2_QUANTITY, "大型主题科普活动", "1", "2", "2",
               PERFORMANCE_STANDARD_OTHER, "本单位自统指标");
  AddIndicator(goal1->mutable_indicators(), INDICATOR_LEVEL1_OUTPUT,
               INDICATOR_LEVEL2_QUANTITY, "日常科普活动", "20", "30", "20",
               PERFORMANCE_STANDARD_OTHER, "本单位自统指标");
  AddIndicator(goal1->mutable_indicators(), INDICATOR_LEVEL1_BENEFIT,
               INDICATOR_LEVEL2_SOCIAL_BENEFIT,
               "普及科学知识、提升五大类人群科学素质", "逐年提升", "逐年提升",
               "逐年提升", PERFORMANCE_STANDARD_HISTORICAL);
  AddIndicator(goal1->mutable_indicators(), INDICATOR_LEVEL1_SATISFACTION,
               INDICATOR_LEVEL2_SERVICE_SATISFACTION, "群众认可度", "95%以上",
               "95%以上", "95%以上", PERFORMANCE_STANDARD_HISTORICAL);

  const std::string promote = "对科技知识传播和应用以及科技成果转化的促进作用";
  AddGoal(sheet, 2, texts[1], "开展 5.30 科技工作者日活动",
          "开展5.30科技工作者日系列活动", "1", "1", "1",
          "团结引领广大科技工作者", "科技工作者认可度");
  AddGoal(sheet, 3, texts[2], "开展线上线下服务“科技创新”活动",
          "“科技创新”活动", "6", "8", "6", promote, "企业满意度");
  AddGoal(sheet, 4, texts[3], "成立企事业科协组织", "成立企事业科协组织", "2",
          "6", "2", promote, "相关服务单位满意度");
  AddGoal(sheet, 5, texts[4], "组织基层科协干部培训", "举办科协干部培训", "1",
          "1", "1", promote, "相关服务人群满意度");
  AddGoal(sheet, 6, texts[5], "开展线上线下科普报告会、学术活动",
          "开展线上线下科普报告会、学术活动", "4", "6", "4", promote,
          "相关服务人群满意度");
  AddGoal(sheet, 7, texts[6], "加强科普阵地建设", "建立区科普基地", "2", "无",
          "2", promote, "相关服务对象满意度");
  AddGoal(sheet, 8, texts[7], "组织实施科普助推行动计划", "助推星级社区", "8",
          "8", "4", promote, "相关服务对象满意度");

  auto* lt = sheet->mutable_long_term_indicators();
  for (const char* name : {"开展线上线下科普报告会、学术活动场次",
                           "开展日常性科普、应急科普场次",
                           "开展“科技创新”活动场次"}) {
    AddIndicator(lt, INDICATOR_LEVEL1_OUTPUT, INDICATOR_LEVEL2_QUANTITY, name,
                 "", "", "每年设定相关绩效目标", PERFORMANCE_STANDARD_OTHER,
                 "本单位自统指标");
  }
  AddIndicator(lt, INDICATOR_LEVEL1_OUTPUT, INDICATOR_LEVEL2_TIMELINESS,
               "活动完成率", "", "", "100%", PERFORMANCE_STANDARD_OTHER,
               "绩效考核标准");
  AddIndicator(lt, INDICATOR_LEVEL1_BENEFIT, INDICATOR_LEVEL2_SOCIAL_BENEFIT,
               promote, "", "", "较大", PERFORMANCE_STANDARD_HISTORICAL);
  AddIndicator(lt, INDICATOR_LEVEL1_SATISFACTION,
               INDICATOR_LEVEL2_SERVICE_SATISFACTION, "企业、街道社区及群众满意度",
               "", "", "95%以上", PERFORMANCE_STANDARD_HISTORICAL);

  for (const char* id : {"P2021-001", "P2021-002"}) {
    ProjectGoalSheet* p = g->add_projects();
    p->set_project_id(id);
    p->set_medium_term_goal(
        "认真贯彻实施《全民科学素质行动计划纲要》，组织开展青山地区科技周、科普日、"
        "科普报告会及最美科技工作者评选活动；不断提高全民科学素质。");
    p->set_annual_goal(
        "组织开展全区“全国科普日”及日常科普活动 10 次；开展线上线下服务“科技创新”"
        "活动 3 次、成立企业科协 1 家；建立区科普阵地 1 个；助推星级社区 2个。");
    AddIndicator(p->mutable_annual_indicators(), INDICATOR_LEVEL1_OUTPUT,
                 INDICATOR_LEVEL2_QUANTITY, "全国科普日及日常科普活动", "", "",
                 "10", PERFORMANCE_STANDARD_PLAN);
    p->mutable_annual_indicators()->rbegin()->set_unit("次");
  }
}

inline void BuildTables(ledger::v1::BudgetTables* t) {
  using namespace ledger::v1;  // NOLINT: enum names only
  // 表1 财政拨款收支预算总表 (balance).
  BudgetTable* t1 = t->add_tables();
  t1->set_number(1);
  t1->set_title("财政拨款收支预算总表");
  t1->set_layout(TABLE_LAYOUT_BALANCE);
  Column(t1, "预算数");
  AddRow(t1->mutable_rows(), "", "一、本年收入", 0, {41551});
  AddRow(t1->mutable_rows(), "", "（一）一般公共预算拨款收入", 1, {41551});
  AddRow(t1->mutable_rows(), "", "（二）政府性基金预算拨款收入", 1, {0});
  AddRow(t1->mutable_rows(), "", "二、上年结转", 0, {0});
  AddRow(t1->mutable_rows(), "", "收入总计", 0, {41551}, true);
  Column(t1, "合计", "", true);
  Column(t1, "一般公共预算", "", true);
  Column(t1, "政府性基金预算", "", true);
  AddRow(t1->mutable_right_rows(), "", "一、本年支出", 0, {41551, 41551, 0});
  AddRow(t1->mutable_right_rows(), "", "基本支出", 1, {15671, 15671, 0});
  AddRow(t1->mutable_right_rows(), "", "项目支出", 1, {25880, 25880, 0});
  AddRow(t1->mutable_right_rows(), "", "二、年终结转结余", 0, {0, 0, 0});
  AddRow(t1->mutable_right_rows(), "", "支出总计", 0, {41551, 41551, 0}, true);

  // 表2 一般公共预算支出表 (coded, grouped header).
  BudgetTable* t2 = t->add_tables();
  t2->set_number(2);
  t2->set_title("一般公共预算支出表");
  t2->set_layout(TABLE_LAYOUT_CODED);
  Column(t2, "合计");
  Column(t2, "人员经费", "基本支出");
  Column(t2, "公用经费", "基本支出");
  Column(t2, "项目支出");
  auto* r2 = t2->mutable_rows();
  AddRow(r2, "", "合计", 0, {41551, 14670, 1001, 25880}, true);
  AddRow(r2, "206", "科学技术支出", 1, {36881, 10000, 1001, 25880});
  AddRow(r2, "20601", "科学技术管理事务", 2, {36881, 10000, 1001, 25880});
  AddRow(r2, "2060101", "行政运行", 3, {11001, 10000, 1001, 0});
  AddRow(r2, "2060102", "一般行政管理事务", 3, {25880, 0, 0, 25880});
  AddRow(r2, "208", "社会保障和就业支出", 1, {1500, 1500, 0, 0});
  AddRow(r2, "20805", "行政事业单位养老支出", 2, {1500, 1500, 0, 0});
  AddRow(r2, "2080505", "机关事业单位基本养老保险缴费支出", 3, {1500, 1500, 0, 0});
  AddRow(r2, "210", "卫生健康支出", 1, {1270, 1270, 0, 0});
  AddRow(r2, "21011", "行政事业单位医疗", 2, {1270, 1270, 0, 0});
  AddRow(r2, "2101101", "行政单位医疗", 3, {800, 800, 0, 0});
  AddRow(r2, "2101103", "公务员医疗补助", 3, {300, 300, 0, 0});
  AddRow(r2, "2101199", "其他行政事业单位医疗支出", 3, {170, 170, 0, 0});
  AddRow(r2, "221", "住房保障支出", 1, {1900, 1900, 0, 0});
  AddRow(r2, "22102", "住房改革支出", 2, {1900, 1900, 0, 0});
  AddRow(r2, "2210201", "住房公积金", 3, {1200, 1200, 0, 0});
  AddRow(r2, "2210202", "提租补贴", 3, {700, 700, 0, 0});

  // 表3 一般公共预算基本支出表.
  BudgetTable* t3 = t->add_tables();
  t3->set_number(3);
  t3->set_title("一般公共预算基本支出表");
  t3->set_layout(TABLE_LAYOUT_CODED);
  Column(t3, "合计");
  Column(t3, "人员经费");
  Column(t3, "公用经费");
  AddRow(t3->mutable_rows(), "", "合计", 0, {15671, 14670, 1001}, true);
  AddRow(t3->mutable_rows(), "301", "工资福利支出", 1, {12038, 12038, 0});
  AddRow(t3->mutable_rows(), "302", "商品和服务支出", 1, {1001, 0, 1001});
  AddRow(t3->mutable_rows(), "303", "对个人和家庭的补助", 1, {2632, 2632, 0});

  // 表4 “三公” (labeled by year, all zero).
  BudgetTable* t4 = t->add_tables();
  t4->set_number(4);
  t4->set_title("一般公共预算“三公”经费支出表");
  t4->set_layout(TABLE_LAYOUT_LABELED);
  Column(t4, "合计");
  Column(t4, "因公出国（境）费");
  Column(t4, "小计", "公务用车购置及运行费");
  Column(t4, "公务用车购置费", "公务用车购置及运行费");
  Column(t4, "公务用车运行费", "公务用车购置及运行费");
  Column(t4, "公务接待费");
  AddRow(t4->mutable_rows(), "", "2020 年预算数", 0, {0, 0, 0, 0, 0, 0});
  AddRow(t4->mutable_rows(), "", "2021 年预算数", 0, {0, 0, 0, 0, 0, 0});
  t4->set_empty_note("本部门无一般公共预算“三公”经费预算安排的支出，此表为空表。");

  // 表5 政府性基金 (empty).
  BudgetTable* t5 = t->add_tables();
  t5->set_number(5);
  t5->set_title("政府性基金预算支出表");
  t5->set_layout(TABLE_LAYOUT_CODED);
  Column(t5, "合计");
  Column(t5, "基本支出");
  Column(t5, "项目支出");
  t5->set_empty_note("本部门无政府性基金预算安排的支出，此表为空表。");

  // 表6 部门收支总表 (balance).
  BudgetTable* t6 = t->add_tables();
  t6->set_number(6);
  t6->set_title("部门收支总表");
  t6->set_layout(TABLE_LAYOUT_BALANCE);
  Column(t6, "预算数");
  AddRow(t6->mutable_rows(), "", "一、一般公共预算拨款收入", 0, {41551});
  AddRow(t6->mutable_rows(), "", "二、政府性基金预算拨款收入", 0, {0});
  AddRow(t6->mutable_rows(), "", "三、事业收入", 0, {0});
  AddRow(t6->mutable_rows(), "", "本年收入合计", 0, {41551}, true);
  AddRow(t6->mutable_rows(), "", "上年结转", 0, {0});
  AddRow(t6->mutable_rows(), "", "收入总计", 0, {41551}, true);
  Column(t6, "预算数", "", true);
  AddRow(t6->mutable_right_rows(), "206", "科学技术支出", 0, {36881});
  AddRow(t6->mutable_right_rows(), "208", "社会保障和就业支出", 0, {1500});
  AddRow(t6->mutable_right_rows(), "210", "卫生健康支出", 0, {1270});
  AddRow(t6->mutable_right_rows(), "221", "住房保障支出", 0, {1900});
  AddRow(t6->mutable_right_rows(), "", "本年支出合计", 0, {41551}, true);
  AddRow(t6->mutable_right_rows(), "", "结转下年", 0, {0});
  AddRow(t6->mutable_right_rows(), "", "支出总计", 0, {41551}, true);

  // 表7 部门收入总表.
  BudgetTable* t7 = t->add_tables();
  t7->set_number(7);
  t7->set_title("部门收入总表");
  t7->set_layout(TABLE_LAYOUT_CODED);
  for (const char* c : {"合计", "上年结转", "一般公共预算拨款收入",
                        "政府性基金预算拨款收入", "事业收入", "其他收入"}) {
    Column(t7, c);
  }
  AddRow(t7->mutable_rows(), "", "合计", 0, {41551, 0, 41551, 0, 0, 0}, true);
  AddRow(t7->mutable_rows(), "206", "科学技术支出", 1, {36881, 0, 36881, 0, 0, 0});
  AddRow(t7->mutable_rows(), "208", "社会保障和就业支出", 1, {1500, 0, 1500, 0, 0, 0});
  AddRow(t7->mutable_rows(), "210", "卫生健康支出", 1, {1270, 0, 1270, 0, 0, 0});
  AddRow(t7->mutable_rows(), "221", "住房保障支出", 1, {1900, 0, 1900, 0, 0, 0});

  // 表8 部门支出总表.
  BudgetTable* t8 = t->add_tables();
  t8->set_number(8);
  t8->set_title("部门支出总表");
  t8->set_layout(TABLE_LAYOUT_CODED);
  Column(t8, "合计");
  Column(t8, "基本支出");
  Column(t8, "项目支出");
  AddRow(t8->mutable_rows(), "", "合计", 0, {41551, 15671, 25880}, true);
  AddRow(t8->mutable_rows(), "206", "科学技术支出", 1, {36881, 11001, 25880});
  AddRow(t8->mutable_rows(), "208", "社会保障和就业支出", 1, {1500, 1500, 0});
  AddRow(t8->mutable_rows(), "210", "卫生健康支出", 1, {1270, 1270, 0});
  AddRow(t8->mutable_rows(), "221", "住房保障支出", 1, {1900, 1900, 0});

  BudgetSummary* s = t->mutable_summary();
  s->set_fiscal_total_fen(W(41551));
  s->set_general_current_fen(W(41551));
  s->set_fiscal_basic_fen(W(15671));
  s->set_fiscal_project_fen(W(25880));
  s->set_general_total_fen(W(41551));
  s->set_general_basic_fen(W(15671));
  s->set_general_personnel_fen(W(14670));
  s->set_general_public_fen(W(1001));
  s->set_general_project_fen(W(25880));
  AddClass(s, "301", "工资福利支出", 12038,
           {"基本工资", "津贴补贴", "奖金", "绩效工资", "机关事业单位基本养老保险缴费",
            "职工基本医疗保险缴费", "公务员医疗补助缴费", "其他社会保障缴费",
            "住房公积金", "医疗费", "其他工资福利支出"});
  AddClass(s, "302", "商品和服务支出", 1001,
           {"办公费", "印刷费", "水费", "电费", "邮电费", "物业管理费", "差旅费",
            "培训费", "劳务费", "工会经费", "福利费", "其他交通费用",
            "其他商品和服务支出"});
  AddClass(s, "303", "对个人和家庭的补助", 2632,
           {"退休费", "医疗费补助", "其他对个人和家庭的补助"});
  auto* item = s->add_general_project_items();
  item->set_functional_code("2060102");
  item->set_name("一般行政管理事务");
  item->set_amount_fen(W(25880));
  for (const auto& p : std::initializer_list<std::pair<const char*, int64_t>>{
           {"P2021-001", 23800}, {"P2021-002", 2080}}) {
    auto* pa = item->add_projects();
    pa->set_project_id(p.first);
    pa->set_amount_fen(W(p.second));
  }
  item->mutable_projects(0)->set_name("科普经费（青山区）");
  item->mutable_projects(0)->set_purpose(
      "青山区：开展科普活动，维护科普阵地，科普信息化建设，提高全民科学素质等");
  item->mutable_projects(1)->set_name("科普经费（化工区）");
  item->mutable_projects(1)->set_purpose(
      "化工区：开展科普活动，维护科普阵地，科普信息化建设，提高全民科学素质等");

  s->set_department_income_total_fen(W(41551));
  struct Source {
    FundSource source;
    const char* label;
    int64_t wan_cents;
  };
  for (const Source& src : std::initializer_list<Source>{
           {FUND_SOURCE_GENERAL_PUBLIC_BUDGET, "一般公共预算拨款收入", 41551},
           {FUND_SOURCE_GOVERNMENT_FUND_BUDGET, "政府性基金预算拨款收入", 0},
           {FUND_SOURCE_STATE_CAPITAL_BUDGET, "国有资本经营预算拨款收入", 0},
           {FUND_SOURCE_FISCAL_SPECIAL_ACCOUNT, "财政专户管理资金收入", 0},
           {FUND_SOURCE_INSTITUTION_REVENUE, "事业收入", 0},
           {FUND_SOURCE_INSTITUTION_OPERATING_REVENUE, "事业单位经营收入", 0},
           {FUND_SOURCE_SUPERIOR_SUBSIDY, "上级补助收入", 0},
           {FUND_SOURCE_SUBSIDIARY_REMITTANCE, "附属单位上缴收入", 0},
           {FUND_SOURCE_OTHER_REVENUE, "其他收入", 0},
           {FUND_SOURCE_INSTITUTION_FUND, "用事业基金弥补收支差额", 0}}) {
    auto* sa = s->add_income_by_source();
    sa->set_source(src.source);
    sa->set_label(src.label);
    sa->set_amount_fen(W(src.wan_cents));
  }
  s->set_department_expenditure_total_fen(W(41551));
  s->set_department_basic_fen(W(15671));
  s->set_department_project_fen(W(25880));
  s->set_machinery_operating_fen(W(1001));
  AddGlossary(s, "206", "科学技术支出", "20601", "科学技术管理事务",
              {{"2060101", "行政运行"}, {"2060102", "一般行政管理事务"}});
  AddGlossary(s, "208", "社会保障和就业支出", "20805", "行政事业单位养老支出",
              {{"2080505", "机关事业单位基本养老保险缴费支出"}});
  AddGlossary(s, "210", "卫生健康支出", "21011", "行政事业单位医疗",
              {{"2101101", "行政单位医疗"},
               {"2101103", "公务员医疗补助"},
               {"2101199", "其他行政事业单位医疗支出"}});
  AddGlossary(s, "221", "住房保障支出", "22102", "住房改革支出",
              {{"2210201", "住房公积金"}, {"2210202", "提租补贴"}});
  s->set_three_public_current_fen(0);
  s->set_three_public_prior_fen(0);
}

}  // namespace internal

// The whole reference input (show_filer_name off, as the default).
inline yusuan::report::v1::ReportInput ReferenceReportInput() {
  yusuan::report::v1::ReportInput input;
  internal::BuildDepartment(input.mutable_department());
  internal::BuildBudget(input.mutable_budget());
  internal::BuildGoals(input.mutable_goals());
  internal::BuildTables(input.mutable_tables());
  return input;
}

}  // namespace yusuan::report::testdata

#endif  // YUSUAN_SERVICES_REPORT_DOMAIN_TESTDATA_REPORT_INPUT_H_
