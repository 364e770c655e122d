// The reference filing (domain.md Appendix A: 武汉市青山区科学技术协会, 2021)
// as an in-code fixture for tests.
//
// The published totals are exact: 一般公共预算 415.51 万元 (current year, no
// carry-over); 基本支出 156.71 = 人员经费 146.70 (301 120.38 + 303 26.32) +
// 公用经费 10.01 (302); 项目支出 258.80 = 科普经费（青山区）2,380,000.00 元 +
// 科普经费（化工区）208,000.00 元, on 2060102. The split of 基本支出 over the
// eight 项 and over the 款 is ILLUSTRATIVE: the real figures were images in
// the published PDF. Keep the totals when editing.
#ifndef YUSUAN_SERVICES_LEDGER_DOMAIN_TESTDATA_REFERENCE_H_
#define YUSUAN_SERVICES_LEDGER_DOMAIN_TESTDATA_REFERENCE_H_

#include <cstdint>
#include <string>

#include "yusuan/ledger/v1/ledger.pb.h"

namespace yusuan::ledger::testing {

inline constexpr int64_t kYuan = 100;  // 分 per 元

inline yusuan::ledger::v1::Department ReferenceDepartment() {
  namespace v1 = yusuan::ledger::v1;
  v1::Department d;
  d.set_name("regions/420107/departments/005001022");
  d.set_region_code("420107");
  d.set_agency_code("005001022");
  d.set_full_name("武汉市青山区科学技术协会");
  d.set_short_name("区科协");
  d.set_fiscal_level(v1::FISCAL_LEVEL_DISTRICT);
  d.set_unit_type(v1::UNIT_TYPE_CIVIL_SERVANT_MANAGED_INSTITUTION);
  d.set_funding_form(v1::FUNDING_FORM_FULL);
  d.set_functions_preamble("青山区科学技术协会是区政府职能部门其主要职责是：");
  d.add_main_functions("组织开展全区学术交流，活跃学术思想，提高学术质量，促进学科繁荣。");
  d.add_main_functions("组织开展全区群众性科学技术普及工作，普及科学知识，传播科学思想和方法。");
  d.add_internal_offices("办公室（挂科学普及部牌子）");
  v1::Staffing* st = d.mutable_staffing();
  v1::EstablishmentQuota* q = st->add_quotas();
  q->set_kind(v1::ESTABLISHMENT_KIND_CIVIL_SERVANT_MANAGED);
  q->set_count(5);
  st->set_in_service(4);
  st->set_retired_before_1949(0);
  st->set_retired(8);
  d.set_contact_phone("68865155");
  return d;
}

inline yusuan::ledger::v1::Budget ReferenceBudget() {
  namespace v1 = yusuan::ledger::v1;
  v1::Budget b;
  b.set_name("regions/420107/departments/005001022/budgets/2021");
  b.set_fiscal_year(2021);
  b.set_stage(v1::STAGE_BUDGET);
  b.set_catalogue_edition(2021);

  v1::IncomeLine* income = b.add_income_lines();
  income->set_source(v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET);
  income->set_carryover(false);
  income->set_amount_fen(4'155'100 * kYuan);

  auto line = [&b](const char* functional, const char* economic, v1::ExpenditureKind kind, int64_t yuan,
                   const char* project_id = "") {
    v1::ExpenditureLine* l = b.add_expenditure_lines();
    l->set_functional_code(functional);
    l->set_economic_code(economic);
    l->set_kind(kind);
    l->set_fund_source(v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET);
    l->set_project_id(project_id);
    l->set_amount_fen(yuan * kYuan);
  };
  constexpr auto kPersonnel = v1::EXPENDITURE_KIND_BASIC_PERSONNEL;
  constexpr auto kPublic = v1::EXPENDITURE_KIND_BASIC_PUBLIC;
  constexpr auto kProject = v1::EXPENDITURE_KIND_PROJECT;

  // 301 工资福利支出: 1,203,800 元.
  line("2060101", "30101", kPersonnel, 300'000);
  line("2060101", "30102", kPersonnel, 250'000);
  line("2210202", "30102", kPersonnel, 36'000);  // 提租补贴 is part of 30102 津贴补贴
  line("2060101", "30103", kPersonnel, 60'000);
  line("2060101", "30107", kPersonnel, 200'000);
  line("2080505", "30108", kPersonnel, 120'000);
  line("2101101", "30110", kPersonnel, 55'000);
  line("2101103", "30111", kPersonnel, 25'000);
  line("2101199", "30112", kPersonnel, 8'800);
  line("2210201", "30113", kPersonnel, 96'000);
  line("2101199", "30114", kPersonnel, 13'000);
  line("2060101", "30199", kPersonnel, 40'000);
  // 303 对个人和家庭的补助: 263,200 元.
  line("2060101", "30302", kPersonnel, 230'000);
  line("2101199", "30307", kPersonnel, 24'000);
  line("2060101", "30399", kPersonnel, 9'200);
  // 302 商品和服务支出: 100,100 元, all 行政运行.
  line("2060101", "30201", kPublic, 12'000);
  line("2060101", "30202", kPublic, 5'000);
  line("2060101", "30205", kPublic, 1'500);
  line("2060101", "30206", kPublic, 6'000);
  line("2060101", "30207", kPublic, 4'000);
  line("2060101", "30209", kPublic, 8'000);
  line("2060101", "30211", kPublic, 6'000);
  line("2060101", "30216", kPublic, 4'000);
  line("2060101", "30226", kPublic, 10'000);
  line("2060101", "30228", kPublic, 9'600);
  line("2060101", "30229", kPublic, 12'000);
  line("2060101", "30239", kPublic, 18'000);
  line("2060101", "30299", kPublic, 4'000);
  // 项目支出 on 2060102 一般行政管理事务.
  line("2060102", "30202", kProject, 500'000, "P2021-001");
  line("2060102", "30227", kProject, 1'000'000, "P2021-001");
  line("2060102", "30299", kProject, 880'000, "P2021-001");
  line("2060102", "30299", kProject, 208'000, "P2021-002");

  auto project = [&b](const char* id, const char* name, int64_t yuan, const char* purpose) {
    v1::Project* p = b.add_projects();
    p->set_project_id(id);
    p->set_name(name);
    p->set_supervising_code("005001022");
    p->set_implementing_unit("武汉市青山区科学技术协会");
    p->set_category("综合类");
    p->set_start_year(2021);
    p->set_end_year(2021);
    p->set_total_fen(yuan * kYuan);
    p->set_total_fiscal_fen(yuan * kYuan);
    p->set_total_other_fen(0);
    p->set_year_total_fen(yuan * kYuan);
    p->set_year_fiscal_fen(yuan * kYuan);
    p->set_year_other_fen(0);
    p->set_purpose(purpose);
  };
  // The order of the narrative §三.二(二): 青山区 first.
  project("P2021-001", "科普经费（青山区）", 2'380'000,
          "青山区：开展科普活动，维护科普阵地，科普信息化建设，提高全民科学素质等");
  project("P2021-002", "科普经费（化工区）", 208'000,
          "化工区：开展科普活动，维护科普阵地，科普信息化建设，提高全民科学素质等");

  v1::PriorYearFigures* prior = b.mutable_prior_years();
  auto funds = [prior](int year, int64_t fiscal_yuan, int64_t basic_yuan, int64_t project_yuan) {
    v1::YearFunds* f = prior->add_funds();
    f->set_year(year);
    f->set_fiscal_grant_fen(fiscal_yuan * kYuan);
    f->set_other_fen(0);
    f->set_basic_fen(basic_yuan * kYuan);
    f->set_project_fen(project_yuan * kYuan);
  };
  funds(2019, 2'010'300, 1'511'700, 498'600);
  funds(2020, 4'072'200, 1'331'400, 2'740'800);
  prior->set_general_budget_fen(4'072'200 * kYuan);
  prior->set_department_total_fen(4'072'200 * kYuan);

  // “三公”: nothing in 2021, and "与上年持平" means nothing in 2020 either.
  b.mutable_three_public()->mutable_current();
  b.mutable_three_public()->mutable_prior();

  v1::ProcurementLine* procurement = b.add_procurement_lines();
  procurement->set_category(v1::PROCUREMENT_CATEGORY_SERVICES);
  procurement->set_item("印刷和出版服务");
  procurement->set_amount_fen(50'000 * kYuan);

  v1::AssetFacts* assets = b.mutable_assets();
  assets->set_vehicles(0);

  v1::NarrativeInputs* narrative = b.mutable_narrative();
  narrative->set_general_budget_change_reason("本年度基本支出中新增在职人员一人");
  narrative->set_prior_year_goal_completion_pct(100);
  return b;
}

}  // namespace yusuan::ledger::testing

#endif  // YUSUAN_SERVICES_LEDGER_DOMAIN_TESTDATA_REFERENCE_H_
