// A region's roll-up (yusuan.ledger.v1.Rollup) as a file, with the
// renderers of the disclosure: the same tables as HTML, Markdown and XLSX
// (one sheet per breakdown), and CSV with one row per amount.
#ifndef YUSUAN_SERVICES_REPORT_DOMAIN_ROLLUP_RENDER_H_
#define YUSUAN_SERVICES_REPORT_DOMAIN_ROLLUP_RENDER_H_

#include "absl/status/statusor.h"
#include "services/report/domain/document.h"
#include "yusuan/ledger/v1/rollup.pb.h"
#include "yusuan/report/v1/report.pb.h"

namespace yusuan::report {

// 总体情况, 按支出功能分类, 按支出经济分类, 按资金来源 (收入 and 支出), 按支出类型,
// and “三公”经费与机关运行经费, each a table anchored "table-rollup-N".
Document RollupDocument(const yusuan::ledger::v1::Rollup& rollup);

// FORMAT_CSV, FORMAT_XLSX, FORMAT_HTML or FORMAT_MARKDOWN; INVALID_ARGUMENT
// naming the formats for any other. The XLSX's document time is the
// roll-up's read time.
absl::StatusOr<yusuan::report::v1::Artifact> RenderRollup(const yusuan::ledger::v1::Rollup& rollup,
                                                          yusuan::report::v1::Format format);

}  // namespace yusuan::report

#endif  // YUSUAN_SERVICES_REPORT_DOMAIN_ROLLUP_RENDER_H_
