#include "services/report/domain/rollup_render.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/filing_status.h"
#include "services/common/sha256.h"
#include "services/report/domain/csv_renderer.h"
#include "services/report/domain/html_renderer.h"
#include "services/report/domain/markdown_renderer.h"
#include "services/report/domain/xlsx_renderer.h"

namespace yusuan::report {
namespace {

namespace lv1 = yusuan::ledger::v1;

std::string StatesZh(const lv1::Rollup& rollup) {
  std::string out;
  for (int i = 0; i < rollup.statuses_size(); ++i) {
    absl::StrAppend(&out, i > 0 ? "、" : "", FilingStatusNameZh(rollup.statuses(i)));
  }
  return out;
}

// "地区 4201 2021年" — the prefix every table title carries and the XLSX cuts
// out of the sheet names.
std::string TitlePrefix(const lv1::Rollup& rollup) {
  return absl::StrCat("地区", rollup.region_prefix(), " ", rollup.fiscal_year(), "年");
}

Table AmountTable(const lv1::Rollup& rollup, int number, const std::string& title, std::vector<std::string> header) {
  Table table;
  table.title = absl::StrCat(TitlePrefix(rollup), title);
  table.anchor = absl::StrCat("table-rollup-", number);
  table.meta_left = absl::StrCat("汇总范围：", rollup.budget_count(), " 个预算（", StatesZh(rollup), "）");
  table.meta_right = "单位：万元";
  Row row;
  for (std::string& text : header) row.push_back(LabelCell(std::move(text)));
  table.header.push_back(std::move(row));
  return table;
}

void AddRows(Table& table, const google::protobuf::RepeatedPtrField<lv1::RollupRow>& rows, bool with_code) {
  for (const lv1::RollupRow& r : rows) {
    Row row;
    if (with_code) row.push_back(TextCell(r.code()));
    Cell name = TextCell(r.name().empty() ? r.code() : r.name());
    name.indent = r.level() > 1 ? r.level() - 1 : 0;
    row.push_back(std::move(name));
    row.push_back(WanYuanCell(r.amount_fen()));
    table.body.push_back(std::move(row));
  }
  if (rows.empty()) table.note = "本表无数据。";
}

}  // namespace

Document RollupDocument(const lv1::Rollup& rollup) {
  Document document;
  document.title = absl::StrCat(TitlePrefix(rollup), "部门预算汇总");
  document.AddHeading(1, document.title);
  document.AddParagraph(
      absl::StrCat("本汇总包括地区代码以 ", rollup.region_prefix(), " 开头的全部部门 ", rollup.fiscal_year(),
                   " 年预算中状态为", StatesZh(rollup), "的 ", rollup.budget_count(), " 个预算。"),
      ParagraphStyle::kPlain);

  Table overview = AmountTable(rollup, 1, "汇总总表", {"项目", "金额"});
  const std::pair<const char*, int64_t> totals[] = {{"收入合计", rollup.income_fen()},
                                                    {"支出合计", rollup.expenditure_fen()},
                                                    {"基本支出", rollup.basic_fen()},
                                                    {"项目支出", rollup.project_fen()},
                                                    {"“三公”经费", rollup.three_public().total_fen()},
                                                    {"机关运行经费", rollup.machinery_operating_fen()}};
  for (const auto& [label, fen] : totals) overview.body.push_back({TextCell(label), WanYuanCell(fen)});
  document.AddTable(std::move(overview));

  Table functional = AmountTable(rollup, 2, "支出功能分类汇总表", {"科目编码", "科目名称", "金额"});
  AddRows(functional, rollup.functional(), true);
  document.AddTable(std::move(functional));

  Table economic = AmountTable(rollup, 3, "支出经济分类汇总表", {"科目编码", "科目名称", "金额"});
  AddRows(economic, rollup.economic(), true);
  document.AddTable(std::move(economic));

  Table income = AmountTable(rollup, 4, "收入来源汇总表", {"收入来源", "金额"});
  AddRows(income, rollup.income_by_source(), false);
  document.AddTable(std::move(income));

  Table by_source = AmountTable(rollup, 5, "支出资金来源汇总表", {"资金来源", "金额"});
  AddRows(by_source, rollup.expenditure_by_source(), false);
  document.AddTable(std::move(by_source));

  Table by_kind = AmountTable(rollup, 6, "支出类型汇总表", {"支出类型", "金额"});
  AddRows(by_kind, rollup.expenditure_by_kind(), false);
  document.AddTable(std::move(by_kind));

  Table costs = AmountTable(rollup, 7, "“三公”经费与机关运行经费汇总表", {"项目", "金额"});
  const lv1::ThreePublicCosts& c = rollup.three_public();
  const std::pair<const char*, int64_t> cost_rows[] = {{"“三公”经费合计", c.total_fen()},
                                                       {"因公出国（境）费", c.overseas_fen()},
                                                       {"公务用车购置及运行费", c.vehicle_total_fen()},
                                                       {"公务用车购置费", c.vehicle_purchase_fen()},
                                                       {"公务用车运行费", c.vehicle_operation_fen()},
                                                       {"公务接待费", c.reception_fen()},
                                                       {"机关运行经费", rollup.machinery_operating_fen()}};
  for (const auto& [label, fen] : cost_rows) costs.body.push_back({TextCell(label), WanYuanCell(fen)});
  document.AddTable(std::move(costs));
  return document;
}

absl::StatusOr<v1::Artifact> RenderRollup(const lv1::Rollup& rollup, v1::Format format) {
  const std::string stem = absl::StrCat("rollup-", rollup.region_prefix(), "-", rollup.fiscal_year());
  v1::Artifact artifact;
  artifact.set_format(format);
  std::string content;
  switch (format) {
    case v1::FORMAT_CSV:
      content = RenderRollupCsv(rollup);
      artifact.set_media_type("text/csv; charset=utf-8");
      artifact.set_file_name(stem + ".csv");
      break;
    case v1::FORMAT_HTML:
      content = RenderHtml(RollupDocument(rollup));
      artifact.set_media_type("text/html; charset=utf-8");
      artifact.set_file_name(stem + ".html");
      break;
    case v1::FORMAT_MARKDOWN:
      content = RenderMarkdown(RollupDocument(rollup));
      artifact.set_media_type("text/markdown; charset=utf-8");
      artifact.set_file_name(stem + ".md");
      break;
    case v1::FORMAT_XLSX: {
      XlsxOptions options;
      // libxlsxwriter reads 0 as "now": a roll-up read at the epoch is 1 s later.
      options.created_unix_seconds = std::max<int64_t>(rollup.read_time_unix_ms() / 1000, 1);
      options.title_prefix = TitlePrefix(rollup);
      absl::StatusOr<std::string> xlsx = RenderXlsx(RollupDocument(rollup), options);
      if (!xlsx.ok()) return xlsx.status();
      content = *std::move(xlsx);
      artifact.set_media_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
      artifact.set_file_name(stem + ".xlsx");
      break;
    }
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("汇总只能输出 csv、xlsx、html 或 md，而不是 ", v1::Format_Name(format),
                       " / a roll-up is written as csv, xlsx, html or md (json: ask without a format), not ",
                       v1::Format_Name(format)));
  }
  artifact.set_sha256_hex(yusuan::Sha256Hex(content));
  artifact.set_size_bytes(static_cast<int64_t>(content.size()));
  artifact.set_content(std::move(content));
  return artifact;
}

}  // namespace yusuan::report
