#include "services/report/domain/csv_renderer.h"

#include <map>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/money.h"
#include "services/common/open_data.h"

namespace yusuan::report {
namespace {

namespace lv1 = yusuan::ledger::v1;

using Cell = open_data::CsvCell;
using open_data::AppendCsvRow;

// Code → name from every coded row of 表1–表8 (functional 类/款/项 and
// economic 类/款 alike: the two code systems do not overlap in length and
// prefix for the codes a table shows).
std::map<std::string, std::string> NamesFromTables(const lv1::BudgetTables& tables) {
  std::map<std::string, std::string> names;
  for (const lv1::BudgetTable& table : tables.tables()) {
    for (const auto* rows : {&table.rows(), &table.right_rows()}) {
      for (const lv1::TableRow& row : *rows) {
        if (!row.code().empty()) names.emplace(row.code(), row.name());
      }
    }
  }
  return names;
}

// The name a table prints for the code, else the one the ledger gives for
// the codes of its lines (tables.line_codes, the same catalogue edition): a
// code no table shows (the economic 款 of project spending) is still named.
std::string Lookup(const std::map<std::string, std::string>& names, const lv1::BudgetTables& tables,
                   const std::string& code, bool economic) {
  if (code.empty()) return "";
  auto it = names.find(code);
  if (it != names.end()) return it->second;
  const lv1::CodeKind kind = economic ? lv1::CODE_KIND_ECONOMIC : lv1::CODE_KIND_FUNCTIONAL;
  for (const lv1::CatalogueEntry& entry : tables.line_codes()) {
    if (entry.kind() == kind && entry.code() == code) return entry.name();
  }
  return "";
}

std::string KindName(lv1::ExpenditureKind kind) {
  switch (kind) {
    case lv1::EXPENDITURE_KIND_BASIC_PERSONNEL:
      return "基本支出·人员经费";
    case lv1::EXPENDITURE_KIND_BASIC_PUBLIC:
      return "基本支出·公用经费";
    case lv1::EXPENDITURE_KIND_PROJECT:
      return "项目支出";
    case lv1::EXPENDITURE_KIND_REMIT_TO_SUPERIOR:
      return "上缴上级支出";
    case lv1::EXPENDITURE_KIND_OPERATING:
      return "事业单位经营支出";
    case lv1::EXPENDITURE_KIND_SUBSIDY_TO_SUBSIDIARY:
      return "对附属单位补助支出";
    default:
      return "";
  }
}

}  // namespace

std::string RenderLedgerCsv(const yusuan::report::v1::ReportInput& input) {
  const lv1::Budget& budget = input.budget();
  const std::map<std::string, std::string> names = NamesFromTables(input.tables());
  const std::string revision = budget.revision() > 0 ? absl::StrCat(budget.revision()) : "";
  std::string out = open_data::LedgerLineCsvHeader();
  for (int i = 0; i < budget.income_lines_size(); ++i) {
    const lv1::IncomeLine& line = budget.income_lines(i);
    AppendCsvRow(&out,
                 {absl::StrCat("income-", i + 1), "income", "", "", "", "", "", lv1::FundSource_Name(line.source()),
                  line.carryover() ? "true" : "false", "", Cell::Number(FormatYuan(line.amount_fen())),
                  Cell::Number(absl::StrCat(line.amount_fen())), budget.name(), Cell::Number(revision)});
  }
  for (int i = 0; i < budget.expenditure_lines_size(); ++i) {
    const lv1::ExpenditureLine& line = budget.expenditure_lines(i);
    AppendCsvRow(&out, {absl::StrCat("expenditure-", i + 1), "expenditure", line.functional_code(),
                        Lookup(names, input.tables(), line.functional_code(), false), line.economic_code(),
                        Lookup(names, input.tables(), line.economic_code(), true), KindName(line.kind()),
                        lv1::FundSource_Name(line.fund_source()), line.from_carryover() ? "true" : "false",
                        line.project_id(), Cell::Number(FormatYuan(line.amount_fen())),
                        Cell::Number(absl::StrCat(line.amount_fen())), budget.name(), Cell::Number(revision)});
  }
  return out;
}

std::string RenderRollupCsv(const lv1::Rollup& rollup) {
  std::string statuses;
  for (int i = 0; i < rollup.statuses_size(); ++i) {
    absl::StrAppend(&statuses, i > 0 ? "|" : "",
                    absl::StripPrefix(lv1::FilingStatus_Name(rollup.statuses(i)), "FILING_STATUS_"));
  }
  const std::string year = absl::StrCat(rollup.fiscal_year());
  const std::string count = absl::StrCat(rollup.budget_count());
  std::string out(open_data::kByteOrderMark);
  AppendCsvRow(&out, {"section", "code", "name", "level", "amount_yuan", "amount_fen", "region_prefix", "fiscal_year",
                      "statuses", "budget_count"});
  auto row = [&](const char* section, const std::string& code, const std::string& name, int level, int64_t fen) {
    AppendCsvRow(&out, {section, code, name, Cell::Number(absl::StrCat(level)), Cell::Number(FormatYuan(fen)),
                        Cell::Number(absl::StrCat(fen)), rollup.region_prefix(), Cell::Number(year), statuses,
                        Cell::Number(count)});
  };
  row("summary", "income", "收入合计", 0, rollup.income_fen());
  row("summary", "expenditure", "支出合计", 0, rollup.expenditure_fen());
  row("summary", "basic", "基本支出", 0, rollup.basic_fen());
  row("summary", "project", "项目支出", 0, rollup.project_fen());
  row("summary", "machinery_operating", "机关运行经费", 0, rollup.machinery_operating_fen());
  const lv1::ThreePublicCosts& costs = rollup.three_public();
  row("three_public", "total", "“三公”经费合计", 0, costs.total_fen());
  row("three_public", "overseas", "因公出国（境）费", 0, costs.overseas_fen());
  row("three_public", "vehicle_total", "公务用车购置及运行费", 0, costs.vehicle_total_fen());
  row("three_public", "vehicle_purchase", "公务用车购置费", 0, costs.vehicle_purchase_fen());
  row("three_public", "vehicle_operation", "公务用车运行费", 0, costs.vehicle_operation_fen());
  row("three_public", "reception", "公务接待费", 0, costs.reception_fen());
  const std::pair<const char*, const google::protobuf::RepeatedPtrField<lv1::RollupRow>*> sections[] = {
      {"functional", &rollup.functional()},
      {"economic", &rollup.economic()},
      {"income_by_source", &rollup.income_by_source()},
      {"expenditure_by_source", &rollup.expenditure_by_source()},
      {"expenditure_by_kind", &rollup.expenditure_by_kind()}};
  for (const auto& [section, rows] : sections) {
    for (const lv1::RollupRow& r : *rows) row(section, r.code(), r.name(), r.level(), r.amount_fen());
  }
  return out;
}

}  // namespace yusuan::report
