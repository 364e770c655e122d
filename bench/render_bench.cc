// Render time per format, for the reference department and for a synthetic
// department of 300 ledger lines and 20 projects: the median of repeated
// runs, pages per second for PDF, and ratios to a baseline measured in the
// same run (printing the same ReportInput as protobuf JSON, a cost every
// request through the REST gateway pays) and to the targets
// (PDF ≤ 5 ms per page, XLSX ≤ 20 ms, HTML ≤ 5 ms per department).
//
//   render_bench [--runs N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/raw_baselines.h"
#include "bench/result_rows.h"
#include "google/protobuf/util/json_util.h"
#include "services/ledger/domain/catalogue.h"
#include "services/ledger/domain/projections.h"
#include "services/ledger/domain/provenance.h"
#include "services/report/domain/disclosure.h"
#include "services/report/domain/render.h"
#include "services/report/domain/testdata_departments.h"

namespace {

namespace rv1 = yusuan::report::v1;
namespace lv1 = yusuan::ledger::v1;
namespace gv1 = yusuan::goals::v1;
using Clock = std::chrono::steady_clock;

double MedianMs(int runs, const std::function<void()>& work) {
  std::vector<double> ms;
  work();  // warm-up: fonts, caches
  for (int i = 0; i < runs; ++i) {
    const auto start = Clock::now();
    work();
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

int PdfPages(const std::string& pdf) {
  int pages = 0;
  for (size_t at = pdf.find("/Type /Page"); at != std::string::npos; at = pdf.find("/Type /Page", at + 1)) {
    if (pdf.compare(at, 12, "/Type /Pages") != 0) ++pages;
  }
  return pages;
}

// 300 lines over the 2021 catalogue's 项 and 款, 20 one-year projects with
// their goal sheets, projected by the ledger's own ComputeTables.
rv1::ReportInput Synthetic(const rv1::ReportInput& reference, const yusuan::ledger::Catalogue& catalogue) {
  rv1::ReportInput input = reference;
  lv1::Budget* b = input.mutable_budget();
  b->clear_expenditure_lines();
  b->clear_projects();
  b->clear_income_lines();
  const lv1::Catalogue all = catalogue.ToProto();
  std::vector<std::string> items, personnel, public_items, project_items;
  for (const auto& e : all.entries()) {
    if (e.kind() == lv1::CODE_KIND_FUNCTIONAL && e.code().size() == 7) items.push_back(e.code());
    if (e.kind() == lv1::CODE_KIND_ECONOMIC && e.code().size() == 5) {
      if (e.code().rfind("301", 0) == 0 || e.code().rfind("303", 0) == 0) personnel.push_back(e.code());
      if (e.code().rfind("302", 0) == 0) public_items.push_back(e.code());
    }
  }
  for (const std::string& item : items) {
    if (item.compare(5, 2, "01") != 0) project_items.push_back(item);
  }
  int64_t total = 0;
  const gv1::ProjectGoalSheet sheet_template =
      reference.goals().projects_size() > 0 ? reference.goals().projects(0) : gv1::ProjectGoalSheet();
  input.mutable_goals()->clear_projects();
  for (int p = 0; p < 20; ++p) {
    lv1::Project* project = b->add_projects();
    project->set_project_id("P2021-" + std::to_string(100 + p));
    project->set_name("合成项目 " + std::to_string(p + 1));
    project->set_start_year(b->fiscal_year());
    project->set_end_year(b->fiscal_year());
    gv1::ProjectGoalSheet* sheet = input.mutable_goals()->add_projects();
    *sheet = sheet_template;
    sheet->set_project_id(project->project_id());
  }
  for (int i = 0; i < 300; ++i) {
    lv1::ExpenditureLine* line = b->add_expenditure_lines();
    line->set_fund_source(lv1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET);
    line->set_amount_fen(100'000 + 3'700 * static_cast<int64_t>(i));
    if (i % 3 == 2) {
      lv1::Project* project = b->mutable_projects(i % 20);
      line->set_kind(lv1::EXPENDITURE_KIND_PROJECT);
      line->set_project_id(project->project_id());
      line->set_functional_code(project_items[static_cast<size_t>(i) % project_items.size()]);
      line->set_economic_code(public_items[static_cast<size_t>(i) % public_items.size()]);
      project->set_total_fen(project->total_fen() + line->amount_fen());
      project->set_total_fiscal_fen(project->total_fiscal_fen() + line->amount_fen());
      project->set_year_total_fen(project->year_total_fen() + line->amount_fen());
      project->set_year_fiscal_fen(project->year_fiscal_fen() + line->amount_fen());
    } else {
      const bool people = i % 3 == 0;
      line->set_kind(people ? lv1::EXPENDITURE_KIND_BASIC_PERSONNEL : lv1::EXPENDITURE_KIND_BASIC_PUBLIC);
      line->set_functional_code(items[static_cast<size_t>(i * 7) % items.size()]);
      const auto& economic = people ? personnel : public_items;
      line->set_economic_code(economic[static_cast<size_t>(i) % economic.size()]);
    }
    total += line->amount_fen();
  }
  lv1::IncomeLine* income = b->add_income_lines();
  income->set_source(lv1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET);
  income->set_amount_fen(total);
  absl::StatusOr<lv1::BudgetTables> tables = yusuan::ledger::ComputeTables(input.department(), *b, catalogue);
  if (!tables.ok()) {
    std::fprintf(stderr, "synthetic budget does not project: %s\n", std::string(tables.status().message()).c_str());
    std::exit(1);
  }
  *input.mutable_tables() = *std::move(tables);
  return input;
}

// The PDF against the same pages drawn with pango and cairo alone, and the
// XLSX against the same cells written with libxlsxwriter alone
// (bench/raw_baselines.h).
void MeasureAgainstRaw(const char* label, const rv1::ReportInput& input, int runs, double pdf_ms, int pdf_pages,
                       double xlsx_ms, const std::string& xlsx) {
  absl::StatusOr<yusuan::report::Document> document = yusuan::report::BuildDisclosure(input);
  if (!document.ok()) {
    std::fprintf(stderr, "disclosure: %s\n", std::string(document.status().message()).c_str());
    std::exit(1);
  }
  absl::StatusOr<yusuan::bench::RawPageDrawing> pages =
      yusuan::bench::RawPageDrawing::Capture(*document, yusuan::report::PdfOptionsFor(input));
  absl::StatusOr<yusuan::bench::RawCellWriting> cells = yusuan::bench::RawCellWriting::Capture(xlsx);
  if (!pages.ok() || !cells.ok()) {
    std::fprintf(stderr, "raw baselines: %s %s\n", std::string(pages.status().message()).c_str(),
                 std::string(cells.status().message()).c_str());
    std::exit(1);
  }
  size_t drawn = 0;
  const double raw_pdf_ms = MedianMs(runs, [&] { drawn = pages->Draw(); });
  absl::StatusOr<size_t> written = 0;
  const double raw_xlsx_ms = MedianMs(runs, [&] { written = cells->Write(); });
  if (drawn == 0 || !written.ok()) {
    std::fprintf(stderr, "raw baselines failed to write\n");
    std::exit(1);
  }
  const double pdf_per_page = pdf_ms / std::max(pdf_pages, 1);
  const double raw_per_page = raw_pdf_ms / std::max(pages->pages(), 1);
  const double cells_written = static_cast<double>(std::max<size_t>(cells->cells(), 1));
  const double xlsx_per_cell_us = 1000.0 * xlsx_ms / cells_written;
  const double raw_per_cell_us = 1000.0 * raw_xlsx_ms / cells_written;
  std::printf(
      "  PDF       %.2f ms/page against %.2f ms/page drawing the same %d pages (%zu lines) with pango alone: "
      "%.2f×\n",
      pdf_per_page, raw_per_page, pages->pages(), pages->lines(), pdf_per_page / raw_per_page);
  std::printf(
      "  XLSX      %.2f µs/cell against %.2f µs/cell writing the same %zu cells with libxlsxwriter alone: "
      "%.2f×\n",
      xlsx_per_cell_us, raw_per_cell_us, cells->cells(), xlsx_per_cell_us / raw_per_cell_us);
  yusuan::bench::EmitRow({.group = "render",
                          .path = absl::StrCat("PDF per page, ", label),
                          .value = pdf_per_page,
                          .unit = "ms",
                          .higher_is_better = false,
                          .baseline = "the same pages' lines drawn with pango and cairo alone",
                          .baseline_value = raw_per_page});
  yusuan::bench::EmitRow({.group = "render",
                          .path = absl::StrCat("XLSX per cell, ", label),
                          .value = xlsx_per_cell_us,
                          .unit = "µs",
                          .higher_is_better = false,
                          .baseline = "the same cells written with libxlsxwriter alone",
                          .baseline_value = raw_per_cell_us});
}

void Measure(const char* label, const rv1::ReportInput& input, int runs) {
  std::string json;
  const double baseline = MedianMs(runs, [&] {
    json.clear();
    (void)google::protobuf::util::MessageToJsonString(input, &json);
  });
  std::printf("\n%s  (baseline: ReportInput → protobuf JSON, %zu bytes: %.3f ms = 1.00×)\n", label, json.size(),
              baseline);
  std::printf("  %-9s %10s %9s %12s %12s %10s\n", "format", "median ms", "× base", "target", "ms/target", "pages/s");
  double pdf_ms = 0;
  int pdf_pages = 0;
  double xlsx_ms = 0;
  std::string xlsx;
  struct Format {
    rv1::Format format;
    const char* name;
    double target_ms;  // per page for PDF, per department otherwise; 0: none
  };
  for (const Format& f : {Format{rv1::FORMAT_HTML, "HTML", 5.0}, Format{rv1::FORMAT_MARKDOWN, "Markdown", 0.0},
                          Format{rv1::FORMAT_XLSX, "XLSX", 20.0}, Format{rv1::FORMAT_PDF, "PDF", 5.0},
                          Format{rv1::FORMAT_JSON, "JSON", 0.0}, Format{rv1::FORMAT_CSV, "CSV", 0.0}}) {
    std::string content;
    const double ms = MedianMs(runs, [&] {
      absl::StatusOr<rv1::Artifact> artifact = yusuan::report::RenderReport(input, f.format);
      if (!artifact.ok()) {
        std::fprintf(stderr, "%s: %s\n", f.name, std::string(artifact.status().message()).c_str());
        std::exit(1);
      }
      content = artifact->content();
    });
    yusuan::bench::EmitRow({.group = "render",
                            .path = absl::StrCat(f.name, ", ", label),
                            .value = ms,
                            .unit = "ms",
                            .higher_is_better = false,
                            .baseline = "the same ReportInput printed as protobuf JSON",
                            .baseline_value = baseline});
    if (f.format == rv1::FORMAT_XLSX) {
      xlsx_ms = ms;
      xlsx = content;
    }
    if (f.format == rv1::FORMAT_PDF) {
      const int pages = PdfPages(content);
      pdf_ms = ms;
      pdf_pages = pages;
      const double per_page = ms / std::max(pages, 1);
      std::printf("  %-9s %10.2f %8.1f× %6.1f ms/pg %11.2f× %10.1f   (%d pages, %.2f ms/page)\n", f.name, ms,
                  ms / baseline, f.target_ms, per_page / f.target_ms, 1000.0 * pages / ms, pages, per_page);
    } else if (f.target_ms > 0) {
      std::printf("  %-9s %10.2f %8.1f× %9.1f ms %11.2f×\n", f.name, ms, ms / baseline, f.target_ms, ms / f.target_ms);
    } else {
      std::printf("  %-9s %10.2f %8.1f× %12s\n", f.name, ms, ms / baseline, "-");
    }
  }
  MeasureAgainstRaw(label, input, runs, pdf_ms, pdf_pages, xlsx_ms, xlsx);
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 15;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--runs") == 0) runs = std::max(1, std::atoi(argv[i + 1]));
  }
  // The sample filing, projected and traced as the report tests and the
  // golden test see it.
  rv1::ReportInput reference = yusuan::report::testdata::ReferenceReportInput();
  reference.set_publish_time_unix_ms(1'614'556'800'000);
  std::printf("render_bench: median of %d runs (ms ratio < 1.00× target = within target)\n", runs);
  Measure("reference department (区科协 2021)", reference, runs);
  const yusuan::ledger::Catalogue& catalogue = yusuan::report::testdata::CatalogueEdition(2021);
  rv1::ReportInput synthetic = Synthetic(reference, catalogue);
  // Open data traces every line: one projection per line (provenance.h).
  const double project_ms = MedianMs(
      runs, [&] { (void)yusuan::ledger::ComputeTables(synthetic.department(), synthetic.budget(), catalogue); });
  const double trace_ms = MedianMs(runs, [&] {
    (void)yusuan::ledger::AddSources(synthetic.department(), synthetic.budget(), catalogue,
                                     *synthetic.mutable_tables());
  });
  std::printf(
      "\nprovenance of the synthetic department (%d lines): projection %.2f ms = 1.00×, "
      "tracing every line %.2f ms = %.0f×\n",
      synthetic.budget().income_lines_size() + synthetic.budget().expenditure_lines_size(), project_ms, trace_ms,
      trace_ms / project_ms);
  Measure("synthetic department (300 ledger lines, 20 projects; JSON with sources)", synthetic, runs);
  return 0;
}
