#include "services/ledger/domain/projections.h"
#include "services/ledger/domain/rule_catalogue.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/common/money.h"
#include "services/common/testing/reference_filing.h"
#include "services/ledger/domain/table_rules.h"
#include "services/ledger/domain/testdata_catalogue.h"

namespace yusuan::ledger {
namespace {

namespace v1 = yusuan::ledger::v1;
using testing::Catalogue2021;
using yusuan::testing::ReferenceBudget;
using yusuan::testing::ReferenceDepartment;

constexpr int64_t kYuan = 100;       // 分 per 元
constexpr int64_t kWan = 1'000'000;  // 分 per 万元

v1::BudgetTables Compute(const v1::Budget& budget) {
  absl::StatusOr<v1::BudgetTables> tables = ComputeTables(ReferenceDepartment(), budget, Catalogue2021());
  EXPECT_TRUE(tables.ok()) << tables.status();
  return tables.ok() ? *tables : v1::BudgetTables();
}

const v1::TableRow* FindRow(const google::protobuf::RepeatedPtrField<v1::TableRow>& rows,
                            const std::string& code_or_name) {
  for (const v1::TableRow& row : rows) {
    if (row.code() == code_or_name || (row.code().empty() && row.name() == code_or_name)) return &row;
  }
  return nullptr;
}

std::vector<int64_t> Cells(const v1::TableRow* row) {
  if (row == nullptr) return {};
  return {row->cells_fen().begin(), row->cells_fen().end()};
}

// Every parent row equals the sum of the rows one level below it up to the
// next row of its own level or above; the 合计 row equals the sum of the
// level-1 rows.
void ExpectParentsAreSums(const v1::BudgetTable& table) {
  const auto& rows = table.rows();
  for (int i = 0; i < rows.size(); ++i) {
    const int level = rows[i].level();
    std::vector<int64_t> sum(rows[i].cells_fen_size(), 0);
    bool has_children = false;
    for (int j = i + 1; j < rows.size() && rows[j].level() > level; ++j) {
      if (rows[j].level() != level + 1) continue;
      has_children = true;
      for (int c = 0; c < rows[j].cells_fen_size(); ++c) sum[c] += rows[j].cells_fen(c);
    }
    if (!has_children) {
      EXPECT_TRUE(level == 0 || level == (table.number() == 3 ? 2 : 3))
          << "表" << table.number() << " row " << rows[i].code() << " has no children";
      continue;
    }
    EXPECT_EQ(Cells(&rows[i]), sum) << "表" << table.number() << " row " << rows[i].code() << " " << rows[i].name();
  }
}

TEST(ComputeTables, EightTablesWithTitles) {
  const v1::BudgetTables t = Compute(ReferenceBudget());
  ASSERT_EQ(t.tables_size(), 8);
  const char* titles[] = {
      "财政拨款收支预算总表", "一般公共预算支出表", "一般公共预算基本支出表", "一般公共预算“三公”经费支出表",
      "政府性基金预算支出表", "部门收支总表",       "部门收入总表",           "部门支出总表"};
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(t.tables(i).number(), i + 1);
    EXPECT_EQ(t.tables(i).title(), titles[i]);
  }
  EXPECT_EQ(t.tables(0).layout(), v1::TABLE_LAYOUT_BALANCE);
  EXPECT_EQ(t.tables(1).layout(), v1::TABLE_LAYOUT_CODED);
  EXPECT_EQ(t.tables(3).layout(), v1::TABLE_LAYOUT_LABELED);
  EXPECT_EQ(t.tables(5).layout(), v1::TABLE_LAYOUT_BALANCE);
}

TEST(ComputeTables, Table1OnTheReference) {
  const v1::BudgetTable t1 = Compute(ReferenceBudget()).tables(0);
  const v1::TableRow* income_total = FindRow(t1.rows(), "收入总计");
  ASSERT_NE(income_total, nullptr);
  EXPECT_TRUE(income_total->total());
  EXPECT_EQ(Cells(income_total), std::vector<int64_t>{415'510'000});
  EXPECT_EQ(FormatWanYuan(income_total->cells_fen(0)), "415.51");
  EXPECT_EQ(Cells(FindRow(t1.rows(), "（一）一般公共预算拨款收入")), std::vector<int64_t>{415'510'000});
  EXPECT_EQ(Cells(FindRow(t1.rows(), "二、上年结转")), std::vector<int64_t>{0});

  std::vector<std::string> right;
  for (const v1::TableRow& row : t1.right_rows()) right.push_back(row.code().empty() ? row.name() : row.code());
  EXPECT_EQ(right, (std::vector<std::string>{"一、本年支出", "206", "208", "210", "221", "基本支出", "项目支出",
                                             "二、年终结转结余", "支出总计"}));
  EXPECT_EQ(FindRow(t1.right_rows(), "210")->name(), "卫生健康支出");
  EXPECT_EQ(Cells(FindRow(t1.right_rows(), "基本支出")), (std::vector<int64_t>{156'710'000, 156'710'000, 0, 0}));
  EXPECT_EQ(Cells(FindRow(t1.right_rows(), "项目支出")), (std::vector<int64_t>{258'800'000, 258'800'000, 0, 0}));
  EXPECT_EQ(Cells(FindRow(t1.right_rows(), "支出总计")), (std::vector<int64_t>{415'510'000, 415'510'000, 0, 0}));
  EXPECT_EQ(Cells(FindRow(t1.right_rows(), "206")), (std::vector<int64_t>{378'205'200, 378'205'200, 0, 0}));
  ASSERT_EQ(t1.right_columns_size(), 4);
  EXPECT_EQ(t1.right_columns(3).title(), "国有资本经营预算");
}

// The exact rows of 表2: fails when the order, the levels, the names or any
// cell of the projection changes. The 合计 row and 2060102 are the reference
// document's figures; the split of 基本支出 over the other 项 is the sample
// filing's illustrative one (its lines summed by 项 and kind).
TEST(ComputeTables, Table2RowsExactly) {
  const v1::BudgetTable t2 = Compute(ReferenceBudget()).tables(1);
  ASSERT_EQ(t2.columns_size(), 5);
  EXPECT_EQ(t2.columns(1).title(), "小计");
  EXPECT_EQ(t2.columns(1).group(), "基本支出");
  EXPECT_EQ(t2.columns(2).group(), "基本支出");
  EXPECT_EQ(t2.columns(3).title(), "公用经费");
  EXPECT_EQ(t2.columns(4).group(), "");

  struct Expected {
    std::string code;
    std::string name;
    int level;
    std::vector<int64_t> cells;
  };
  const std::vector<Expected> expected = {
      {"", "合计", 0, {415'510'000, 156'710'000, 146'700'000, 10'010'000, 258'800'000}},
      {"206", "科学技术支出", 1, {378'205'200, 119'405'200, 109'395'200, 10'010'000, 258'800'000}},
      {"20601", "科学技术管理事务", 2, {378'205'200, 119'405'200, 109'395'200, 10'010'000, 258'800'000}},
      {"2060101", "行政运行", 3, {119'405'200, 119'405'200, 109'395'200, 10'010'000, 0}},
      {"2060102", "一般行政管理事务", 3, {258'800'000, 0, 0, 0, 258'800'000}},
      {"208", "社会保障和就业支出", 1, {11'651'200, 11'651'200, 11'651'200, 0, 0}},
      {"20805", "行政事业单位养老支出", 2, {11'651'200, 11'651'200, 11'651'200, 0, 0}},
      {"2080505", "机关事业单位基本养老保险缴费支出", 3, {11'651'200, 11'651'200, 11'651'200, 0, 0}},
      {"210", "卫生健康支出", 1, {11'700'000, 11'700'000, 11'700'000, 0, 0}},
      {"21011", "行政事业单位医疗", 2, {11'700'000, 11'700'000, 11'700'000, 0, 0}},
      {"2101101", "行政单位医疗", 3, {5'876'000, 5'876'000, 5'876'000, 0, 0}},
      {"2101103", "公务员医疗补助", 3, {2'644'000, 2'644'000, 2'644'000, 0, 0}},
      {"2101199", "其他行政事业单位医疗支出", 3, {3'180'000, 3'180'000, 3'180'000, 0, 0}},
      {"221", "住房保障支出", 1, {13'953'600, 13'953'600, 13'953'600, 0, 0}},
      {"22102", "住房改革支出", 2, {13'953'600, 13'953'600, 13'953'600, 0, 0}},
      {"2210201", "住房公积金", 3, {10'497'600, 10'497'600, 10'497'600, 0, 0}},
      {"2210202", "提租补贴", 3, {3'456'000, 3'456'000, 3'456'000, 0, 0}},
  };
  ASSERT_EQ(t2.rows_size(), static_cast<int>(expected.size()));
  for (size_t i = 0; i < expected.size(); ++i) {
    const v1::TableRow& row = t2.rows(static_cast<int>(i));
    EXPECT_EQ(row.code(), expected[i].code) << i;
    EXPECT_EQ(row.name(), expected[i].name) << i;
    EXPECT_EQ(row.level(), expected[i].level) << i;
    EXPECT_EQ(Cells(&row), expected[i].cells) << expected[i].code;
    EXPECT_EQ(row.total(), i == 0) << i;
  }
  ExpectParentsAreSums(t2);
}

TEST(ComputeTables, Table3ByEconomicClass) {
  const v1::BudgetTables t = Compute(ReferenceBudget());
  const v1::BudgetTable& t3 = t.tables(2);
  EXPECT_EQ(Cells(FindRow(t3.rows(), "合计")), (std::vector<int64_t>{156'710'000, 146'700'000, 10'010'000}));
  EXPECT_EQ(Cells(FindRow(t3.rows(), "301")), (std::vector<int64_t>{120'380'000, 120'380'000, 0}));
  EXPECT_EQ(Cells(FindRow(t3.rows(), "302")), (std::vector<int64_t>{10'010'000, 0, 10'010'000}));
  EXPECT_EQ(Cells(FindRow(t3.rows(), "303")), (std::vector<int64_t>{26'320'000, 26'320'000, 0}));
  // 30102 津贴补贴 is booked on two 项 (行政运行 and 提租补贴) and is one row.
  EXPECT_EQ(Cells(FindRow(t3.rows(), "30102")), (std::vector<int64_t>{35'278'800, 35'278'800, 0}));
  EXPECT_EQ(FindRow(t3.rows(), "30302")->name(), "退休费");
  EXPECT_EQ(FindRow(t3.rows(), "30302")->level(), 2);
  // 表3 合计 = 表2 基本支出 (R-T3-6).
  EXPECT_EQ(FindRow(t3.rows(), "合计")->cells_fen(0), t.tables(1).rows(0).cells_fen(1));
  ExpectParentsAreSums(t3);
  EXPECT_EQ(FormatWanYuan(FindRow(t3.rows(), "301")->cells_fen(0)), "120.38");
  EXPECT_EQ(FormatWanYuan(FindRow(t3.rows(), "303")->cells_fen(0)), "26.32");
  EXPECT_EQ(FormatWanYuan(FindRow(t3.rows(), "302")->cells_fen(0)), "10.01");
}

TEST(ComputeTables, Table4And5AreEmptyWithNotes) {
  const v1::BudgetTables t = Compute(ReferenceBudget());
  const v1::BudgetTable& t4 = t.tables(3);
  ASSERT_EQ(t4.rows_size(), 2);
  EXPECT_EQ(t4.rows(0).name(), "2020年预算数");
  EXPECT_EQ(t4.rows(1).name(), "2021年预算数");
  EXPECT_EQ(Cells(&t4.rows(1)), std::vector<int64_t>(6, 0));
  ASSERT_EQ(t4.columns_size(), 6);
  EXPECT_EQ(t4.columns(2).title(), "小计");
  EXPECT_EQ(t4.columns(2).group(), "公务用车购置及运行费");
  EXPECT_FALSE(t4.empty_note().empty());

  const v1::BudgetTable& t5 = t.tables(4);
  ASSERT_EQ(t5.rows_size(), 1);
  EXPECT_EQ(t5.rows(0).name(), "合计");
  EXPECT_EQ(Cells(&t5.rows(0)), std::vector<int64_t>(3, 0));
  EXPECT_EQ(t5.empty_note(), "本部门无政府性基金预算安排的支出，此表为空表。");
}

TEST(ComputeTables, Table4ShowsComponentsAndOmitsAnUnknownPriorYear) {
  v1::Budget b = ReferenceBudget();
  b.mutable_three_public()->clear_prior();
  v1::ThreePublicCosts* c = b.mutable_three_public()->mutable_current();
  c->set_overseas_fen(1 * kWan);
  c->set_vehicle_purchase_fen(2 * kWan);
  c->set_vehicle_operation_fen(3 * kWan);
  c->set_reception_fen(4 * kWan);
  const v1::BudgetTables t = Compute(b);
  const v1::BudgetTable& t4 = t.tables(3);
  ASSERT_EQ(t4.rows_size(), 1);
  EXPECT_EQ(t4.rows(0).name(), "2021年预算数");
  EXPECT_EQ(Cells(&t4.rows(0)), (std::vector<int64_t>{10 * kWan, 1 * kWan, 5 * kWan, 2 * kWan, 3 * kWan, 4 * kWan}));
  EXPECT_TRUE(t4.empty_note().empty());
  EXPECT_EQ(t.summary().three_public_current_fen(), 10 * kWan);
  EXPECT_FALSE(t.summary().has_three_public_prior_fen());
}

TEST(ComputeTables, DepartmentTablesAgree) {
  const v1::BudgetTables t = Compute(ReferenceBudget());
  const v1::BudgetTable& t6 = t.tables(5);
  const int64_t income_total = FindRow(t6.rows(), "收入总计")->cells_fen(0);
  const int64_t spending_total = FindRow(t6.right_rows(), "支出总计")->cells_fen(0);
  EXPECT_EQ(income_total, 415'510'000);
  EXPECT_EQ(spending_total, 415'510'000);
  EXPECT_EQ(FindRow(t6.rows(), "本年收入合计")->cells_fen(0), 415'510'000);
  EXPECT_EQ(FindRow(t6.rows(), "一、一般公共预算拨款收入")->cells_fen(0), 415'510'000);
  EXPECT_EQ(FindRow(t6.rows(), "十一、上年结转")->cells_fen(0), 0);
  EXPECT_EQ(FindRow(t6.right_rows(), "221")->cells_fen(0), 13'953'600);

  const v1::BudgetTable& t7 = t.tables(6);
  ASSERT_EQ(t7.columns_size(), 12);
  EXPECT_EQ(t7.columns(1).title(), "上年结转");
  EXPECT_EQ(t7.columns(2).title(), "一般公共预算拨款收入");
  EXPECT_EQ(t7.columns(11).title(), "用事业基金弥补收支差额");
  std::vector<int64_t> t7_total(12, 0);
  t7_total[0] = t7_total[2] = 415'510'000;
  EXPECT_EQ(Cells(&t7.rows(0)), t7_total);
  ExpectParentsAreSums(t7);

  const v1::BudgetTable& t8 = t.tables(7);
  EXPECT_EQ(Cells(&t8.rows(0)), (std::vector<int64_t>{415'510'000, 156'710'000, 258'800'000, 0, 0, 0}));
  ExpectParentsAreSums(t8);
  EXPECT_EQ(income_total, t7.rows(0).cells_fen(0));
  EXPECT_EQ(income_total, t8.rows(0).cells_fen(0));
}

TEST(ComputeTables, SummaryOnTheReference) {
  const v1::BudgetSummary s = Compute(ReferenceBudget()).summary();
  EXPECT_EQ(s.fiscal_total_fen(), 415'510'000);
  EXPECT_EQ(s.general_current_fen(), 415'510'000);
  EXPECT_EQ(s.general_carryover_fen(), 0);
  EXPECT_EQ(s.fiscal_basic_fen(), 156'710'000);
  EXPECT_EQ(s.fiscal_project_fen(), 258'800'000);
  EXPECT_EQ(s.general_total_fen(), 415'510'000);
  EXPECT_EQ(FormatWanYuan(s.general_basic_fen()), "156.71");
  EXPECT_EQ(FormatWanYuan(s.general_project_fen()), "258.80");
  EXPECT_EQ(FormatWanYuan(s.general_personnel_fen()), "146.70");
  EXPECT_EQ(FormatWanYuan(s.general_public_fen()), "10.01");
  EXPECT_EQ(FormatWanYuan(s.machinery_operating_fen()), "10.01");
  EXPECT_EQ(s.government_fund_total_fen(), 0);
  EXPECT_EQ(s.department_income_total_fen(), 415'510'000);
  EXPECT_EQ(s.department_expenditure_total_fen(), 415'510'000);
  EXPECT_EQ(s.department_basic_fen(), 156'710'000);
  EXPECT_EQ(s.department_project_fen(), 258'800'000);
  EXPECT_EQ(s.department_carryover_fen(), 0);
  EXPECT_EQ(s.three_public_current_fen(), 0);
  ASSERT_TRUE(s.has_three_public_prior_fen());
  EXPECT_EQ(s.three_public_prior_fen(), 0);

  ASSERT_EQ(s.income_by_source_size(), 10);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(s.income_by_source(i).source(), i + 1);
    EXPECT_FALSE(s.income_by_source(i).label().empty());
    EXPECT_EQ(s.income_by_source(i).amount_fen(), i == 0 ? 415'510'000 : 0);
  }
  EXPECT_EQ(s.income_by_source(0).label(), "一般公共预算拨款收入");
  EXPECT_EQ(s.income_by_source(4).label(), "事业收入");

  ASSERT_EQ(s.general_basic_by_class_size(), 3);
  EXPECT_EQ(s.general_basic_by_class(0).code(), "301");
  EXPECT_EQ(s.general_basic_by_class(0).name(), "工资福利支出");
  EXPECT_EQ(s.general_basic_by_class(0).amount_fen(), 120'380'000);
  EXPECT_EQ(s.general_basic_by_class(0).item_names_size(), 11);
  EXPECT_EQ(s.general_basic_by_class(0).item_names(0), "基本工资");
  EXPECT_EQ(s.general_basic_by_class(0).item_names(10), "其他工资福利支出");
  EXPECT_EQ(s.general_basic_by_class(1).code(), "302");
  EXPECT_EQ(s.general_basic_by_class(1).item_names_size(), 13);
  EXPECT_EQ(s.general_basic_by_class(2).code(), "303");
  EXPECT_EQ(std::vector<std::string>(s.general_basic_by_class(2).item_names().begin(),
                                     s.general_basic_by_class(2).item_names().end()),
            (std::vector<std::string>{"退休费", "医疗费补助", "其他对个人和家庭的补助"}));

  ASSERT_EQ(s.general_project_items_size(), 1);
  const v1::ProjectFunctionalItem& item = s.general_project_items(0);
  EXPECT_EQ(item.functional_code(), "2060102");
  EXPECT_EQ(item.name(), "一般行政管理事务");
  EXPECT_EQ(item.amount_fen(), 258'800'000);
  ASSERT_EQ(item.projects_size(), 2);
  EXPECT_EQ(item.projects(0).name(), "科普经费（青山区）");
  EXPECT_EQ(item.projects(0).amount_fen(), 2'380'000 * kYuan);
  EXPECT_EQ(FormatWanYuan(item.projects(0).amount_fen()), "238.00");
  EXPECT_EQ(item.projects(1).project_id(), "P2021-002");
  EXPECT_EQ(FormatWanYuan(item.projects(1).amount_fen()), "20.80");
  EXPECT_NE(item.projects(1).purpose().find("化工区"), std::string::npos);
}

TEST(ComputeTables, GlossaryUsesCatalogueNames) {
  const v1::BudgetSummary s = Compute(ReferenceBudget()).summary();
  struct Expected {
    std::string class_code, class_name, kuan_code, kuan_name;
    std::vector<std::string> items;
  };
  const std::vector<Expected> expected = {
      {"206", "科学技术支出", "20601", "科学技术管理事务", {"行政运行", "一般行政管理事务"}},
      {"208", "社会保障和就业支出", "20805", "行政事业单位养老支出", {"机关事业单位基本养老保险缴费支出"}},
      {"210",
       "卫生健康支出",
       "21011",
       "行政事业单位医疗",
       {"行政单位医疗", "公务员医疗补助", "其他行政事业单位医疗支出"}},
      {"221", "住房保障支出", "22102", "住房改革支出", {"住房公积金", "提租补贴"}},
  };
  ASSERT_EQ(s.glossary_size(), static_cast<int>(expected.size()));
  int item_count = 0;
  for (size_t i = 0; i < expected.size(); ++i) {
    const v1::GlossaryClass& g = s.glossary(static_cast<int>(i));
    EXPECT_EQ(g.class_code(), expected[i].class_code);
    EXPECT_EQ(g.class_name(), expected[i].class_name);
    EXPECT_EQ(g.kuan_code(), expected[i].kuan_code);
    EXPECT_EQ(g.kuan_name(), expected[i].kuan_name);
    std::vector<std::string> names;
    for (const v1::CatalogueEntry& e : g.items()) {
      names.push_back(e.name());
      EXPECT_EQ(e.kind(), v1::CODE_KIND_FUNCTIONAL);
      EXPECT_EQ(e.code().substr(0, 5), g.kuan_code());
    }
    EXPECT_EQ(names, expected[i].items);
    item_count += g.items_size();
  }
  EXPECT_EQ(item_count, 8);
}

// 机关运行经费 is the 公用经费 of 行政单位 and 参公 units: a subordinate
// 事业单位's office costs are not in it, a subordinate 行政单位's are.
TEST(ComputeTables, MachineryOperatingCountsOnlyOfficeUnits) {
  v1::Department d = ReferenceDepartment();  // 本级 is 参公
  v1::SecondaryUnit* museum = d.add_secondary_units();
  museum->set_code("005001022001");
  museum->set_name("青山区科技馆");
  museum->set_unit_type(v1::UNIT_TYPE_PUBLIC_INSTITUTION);
  v1::SecondaryUnit* office = d.add_secondary_units();
  office->set_code("005001022002");
  office->set_name("青山区科普办公室");
  office->set_unit_type(v1::UNIT_TYPE_ADMINISTRATIVE);
  v1::Budget b = ReferenceBudget();
  const int64_t reference = Compute(b).summary().machinery_operating_fen();
  ASSERT_EQ(reference, 100100 * kYuan);
  auto add_public = [&b](const char* unit, int64_t fen) {
    v1::ExpenditureLine* l = b.add_expenditure_lines();
    l->set_functional_code("2060101");
    l->set_economic_code("30201");
    l->set_kind(v1::EXPENDITURE_KIND_BASIC_PUBLIC);
    l->set_fund_source(v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET);
    l->set_amount_fen(fen);
    l->set_unit_code(unit);
  };
  add_public("005001022001", 7 * kWan);
  add_public("005001022002", 3 * kWan);
  b.mutable_income_lines(0)->set_amount_fen(b.income_lines(0).amount_fen() + 10 * kWan);
  absl::StatusOr<v1::BudgetTables> tables = ComputeTables(d, b, Catalogue2021());
  ASSERT_TRUE(tables.ok()) << tables.status();
  EXPECT_EQ(tables->summary().machinery_operating_fen(), reference + 3 * kWan);
  EXPECT_EQ(tables->summary().non_office_public_fen(), 7 * kWan);
  // The table rules accept the split (X15: 机关运行经费 + the rest = 表3 302 + 310).
  yusuan::common::v1::ValidationReport table_findings;
  FindingsBuilder out(LedgerRules(), &table_findings);
  CheckTables(*tables, out);
  EXPECT_EQ(table_findings.findings_size(), 0) << table_findings.DebugString();
  // The tables consolidate every unit.
  EXPECT_EQ(tables->summary().general_public_fen(), reference + 10 * kWan);

  // A department whose own unit is a 事业单位 has no 机关运行经费 of its own.
  d.set_unit_type(v1::UNIT_TYPE_PUBLIC_INSTITUTION);
  absl::StatusOr<v1::BudgetTables> institution = ComputeTables(d, b, Catalogue2021());
  ASSERT_TRUE(institution.ok()) << institution.status();
  EXPECT_EQ(institution->summary().machinery_operating_fen(), 3 * kWan);
}

// Carry-over, a government-fund project and a non-fiscal source: the
// columns they land in and the current/carry-over split of the summary.
TEST(ComputeTables, CarryOverFundsAndOtherSources) {
  v1::Budget b = ReferenceBudget();
  auto add_income = [&b](v1::FundSource source, bool carry, int64_t fen) {
    v1::IncomeLine* l = b.add_income_lines();
    l->set_source(source);
    l->set_carryover(carry);
    l->set_amount_fen(fen);
  };
  auto add_line = [&b](const char* fc, const char* ec, v1::ExpenditureKind kind, v1::FundSource source, bool carry,
                       int64_t fen, const char* project = "") {
    v1::ExpenditureLine* l = b.add_expenditure_lines();
    l->set_functional_code(fc);
    l->set_economic_code(ec);
    l->set_kind(kind);
    l->set_fund_source(source);
    l->set_from_carryover(carry);
    l->set_amount_fen(fen);
    l->set_project_id(project);
  };
  add_income(v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET, true, 5 * kWan);
  add_line("2060102", "30299", v1::EXPENDITURE_KIND_PROJECT, v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET, true, 5 * kWan,
           "P2021-001");
  add_income(v1::FUND_SOURCE_GOVERNMENT_FUND_BUDGET, false, 7 * kWan);
  add_line("2296002", "30299", v1::EXPENDITURE_KIND_PROJECT, v1::FUND_SOURCE_GOVERNMENT_FUND_BUDGET, false, 7 * kWan,
           "P2021-002");
  add_income(v1::FUND_SOURCE_INSTITUTION_REVENUE, false, 3 * kWan);
  add_line("2060101", "30201", v1::EXPENDITURE_KIND_BASIC_PUBLIC, v1::FUND_SOURCE_INSTITUTION_REVENUE, false, 3 * kWan);

  const v1::BudgetTables t = Compute(b);
  const v1::BudgetSummary& s = t.summary();
  EXPECT_EQ(s.general_current_fen(), 415'510'000);
  EXPECT_EQ(s.general_carryover_fen(), 5 * kWan);
  EXPECT_EQ(s.general_total_fen(), 415'510'000 + 5 * kWan);
  EXPECT_EQ(s.general_project_fen(), 258'800'000 + 5 * kWan);
  EXPECT_EQ(s.government_fund_current_fen(), 7 * kWan);
  EXPECT_EQ(s.government_fund_total_fen(), 7 * kWan);
  EXPECT_EQ(s.government_fund_project_fen(), 7 * kWan);
  EXPECT_EQ(s.fiscal_total_fen(), 415'510'000 + 12 * kWan);
  EXPECT_EQ(s.fiscal_project_fen(), 258'800'000 + 12 * kWan);
  EXPECT_EQ(s.department_income_total_fen(), 415'510'000 + 15 * kWan);
  EXPECT_EQ(s.department_carryover_fen(), 5 * kWan);
  EXPECT_EQ(s.income_by_source(4).amount_fen(), 3 * kWan);
  // 机关运行经费 counts only 一般公共预算.
  EXPECT_EQ(s.machinery_operating_fen(), 10'010'000);
  ASSERT_EQ(s.general_project_items_size(), 1);
  EXPECT_EQ(s.general_project_items(0).projects(0).amount_fen(), 2'380'000 * kYuan + 5 * kWan);

  const v1::BudgetTable& t1 = t.tables(0);
  EXPECT_EQ(Cells(FindRow(t1.rows(), "（一）一般公共预算拨款")), std::vector<int64_t>{5 * kWan});
  EXPECT_EQ(Cells(FindRow(t1.rows(), "（二）政府性基金预算拨款收入")), std::vector<int64_t>{7 * kWan});
  EXPECT_EQ(Cells(FindRow(t1.right_rows(), "229")), (std::vector<int64_t>{7 * kWan, 0, 7 * kWan, 0}));
  EXPECT_EQ(FindRow(t1.rows(), "收入总计")->cells_fen(0), FindRow(t1.right_rows(), "支出总计")->cells_fen(0));

  const v1::BudgetTable& t5 = t.tables(4);
  EXPECT_TRUE(t5.empty_note().empty());
  EXPECT_EQ(Cells(FindRow(t5.rows(), "2296002")), (std::vector<int64_t>{7 * kWan, 0, 7 * kWan}));
  EXPECT_EQ(FindRow(t5.rows(), "22960")->name(), "彩票公益金安排的支出");
  ExpectParentsAreSums(t5);

  const v1::BudgetTable& t7 = t.tables(6);
  const std::vector<int64_t> row = Cells(FindRow(t7.rows(), "2060102"));
  ASSERT_EQ(row.size(), 12u);
  EXPECT_EQ(row[0], 258'800'000 + 5 * kWan);
  EXPECT_EQ(row[1], 5 * kWan);                                   // 上年结转
  EXPECT_EQ(row[2], 258'800'000);                                // 一般公共预算拨款收入
  EXPECT_EQ(Cells(FindRow(t7.rows(), "2060101"))[6], 3 * kWan);  // 事业收入
  EXPECT_EQ(FindRow(t.tables(5).rows(), "十一、上年结转")->cells_fen(0), 5 * kWan);
  EXPECT_EQ(FindRow(t.tables(5).rows(), "收入总计")->cells_fen(0),
            FindRow(t.tables(5).right_rows(), "支出总计")->cells_fen(0));
  ExpectParentsAreSums(t7);
  ExpectParentsAreSums(t.tables(7));
}

TEST(ComputeTables, RefusesWhatItCannotName) {
  {
    v1::Budget b = ReferenceBudget();
    b.mutable_expenditure_lines(3)->set_functional_code("2069998");
    absl::StatusOr<v1::BudgetTables> t = ComputeTables(ReferenceDepartment(), b, Catalogue2021());
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(t.status().message().find("budget.expenditureLines[3].functionalCode"), std::string::npos) << t.status();
  }
  {
    v1::Budget b = ReferenceBudget();
    b.mutable_expenditure_lines(0)->set_economic_code("301");
    absl::StatusOr<v1::BudgetTables> t = ComputeTables(ReferenceDepartment(), b, Catalogue2021());
    ASSERT_FALSE(t.ok());
    EXPECT_NE(t.status().message().find("budget.expenditureLines[0].economicCode"), std::string::npos);
  }
  {
    v1::Budget b = ReferenceBudget();
    b.set_catalogue_edition(2020);
    absl::StatusOr<v1::BudgetTables> t = ComputeTables(ReferenceDepartment(), b, Catalogue2021());
    ASSERT_FALSE(t.ok());
    EXPECT_NE(t.status().message().find("budget.catalogueEdition"), std::string::npos);
  }
  {
    v1::Budget b = ReferenceBudget();
    b.mutable_expenditure_lines(30)->set_project_id("nope");
    absl::StatusOr<v1::BudgetTables> t = ComputeTables(ReferenceDepartment(), b, Catalogue2021());
    ASSERT_FALSE(t.ok());
    EXPECT_NE(t.status().message().find("budget.expenditureLines[30].projectId"), std::string::npos);
  }
  {
    v1::Budget b = ReferenceBudget();
    b.mutable_expenditure_lines(0)->set_amount_fen(INT64_MAX);
    b.mutable_expenditure_lines(1)->set_amount_fen(INT64_MAX);
    absl::StatusOr<v1::BudgetTables> t = ComputeTables(ReferenceDepartment(), b, Catalogue2021());
    ASSERT_FALSE(t.ok());
    EXPECT_NE(t.status().message().find("too large"), std::string::npos);
  }
}

TEST(ComputeTables, IsDeterministic) {
  const v1::Budget b = ReferenceBudget();
  EXPECT_EQ(Compute(b).SerializeAsString(), Compute(b).SerializeAsString());
}

}  // namespace
}  // namespace yusuan::ledger
