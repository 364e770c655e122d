// Publication day's floor: the pages of every published disclosure of a
// region drawn with pango and cairo alone (bench/raw_baselines.h), against
// the time the stack took to publish them all in every format, which
// bench/stack.sh measured and passes in.
//
// The published filings come back through the gateway's export
// (ExportFilings, published only): the department, the budget and goals
// revisions each publication pointed at, and its files' digests. Each is
// projected and laid out again here, and its PDF must hash to the published
// file's SHA-256, so the pages drawn are the very pages that were published.
//
//   publication_bench --target HOST:PORT --token TOKEN --parent regions/42 [--parent …] --year 2021
//                     [--exclude BUDGET_NAME] [--expect N] [--publish_seconds S --in_flight N]
// --parent: each region exported (generated departments span provinces);
// --exclude: a budget published before the batch that was timed;
// --expect: how many budgets the batch published (fewer drawn is a failure,
// not a smaller baseline).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "bench/raw_baselines.h"
#include "bench/result_rows.h"
#include "services/report/domain/disclosure.h"
#include "services/report/domain/render.h"
#include "services/report/domain/testdata_departments.h"
#include "yusuan/gateway/v1/gateway.grpc.pb.h"

namespace {

namespace gv1 = yusuan::gateway::v1;
namespace rv1 = yusuan::report::v1;
using Clock = std::chrono::steady_clock;

struct Flags {
  std::string target;
  std::string token;
  std::vector<std::string> parents;
  int year = 0;
  int expect = -1;
  double publish_seconds = 0;
  int in_flight = 0;
  std::string exclude;
};

[[noreturn]] void Fail(const std::string& message) {
  std::fprintf(stderr, "publication_bench: %s\n", message.c_str());
  std::exit(1);
}

Flags ParseFlags(int argc, char** argv) {
  Flags flags;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    const char* value = argv[i + 1];
    if (name == "--target") {
      flags.target = value;
    } else if (name == "--token") {
      flags.token = value;
    } else if (name == "--parent") {
      flags.parents.push_back(value);
    } else if (name == "--year") {
      flags.year = std::atoi(value);
    } else if (name == "--publish_seconds") {
      flags.publish_seconds = std::atof(value);
    } else if (name == "--expect") {
      flags.expect = std::atoi(value);
    } else if (name == "--exclude") {
      flags.exclude = value;
    } else if (name == "--in_flight") {
      flags.in_flight = std::atoi(value);
    } else {
      Fail("unknown flag " + name);
    }
  }
  if (flags.target.empty() || flags.parents.empty() || flags.year == 0) {
    Fail(
        "usage: publication_bench --target HOST:PORT --token TOKEN --parent regions/R [--parent …] --year YEAR "
        "[--exclude BUDGET_NAME] [--expect N] [--publish_seconds S --in_flight N]");
  }
  return flags;
}

std::string PublishedPdfDigest(const rv1::PublishedDisclosure& published) {
  for (const rv1::Artifact& artifact : published.artifacts()) {
    if (artifact.format() == rv1::FORMAT_PDF) return artifact.sha256_hex();
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  const Flags flags = ParseFlags(argc, argv);
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(-1);
  auto stub =
      gv1::PublicApi::NewStub(grpc::CreateCustomChannel(flags.target, grpc::InsecureChannelCredentials(), arguments));
  int budgets = 0;
  int pages = 0;
  size_t lines = 0;
  double drawing_seconds = 0;
  for (const std::string& parent : flags.parents) {
    grpc::ClientContext context;
    if (!flags.token.empty()) context.AddMetadata("authorization", "Bearer " + flags.token);
    gv1::ExportFilingsRequest request;
    request.set_parent(parent);
    request.set_fiscal_year(flags.year);
    request.set_published(true);
    auto stream = stub->ExportFilings(&context, request);
    gv1::ExportFilingsResponse exported;
    while (stream->Read(&exported)) {
      const std::string name = exported.filing().budget().name();
      if (name == flags.exclude) continue;
      const std::string published_digest = PublishedPdfDigest(exported.published());
      if (published_digest.empty()) Fail(name + ": the export lists no published PDF");
      rv1::ReportInput input = yusuan::report::testdata::ProjectedReportInput(
          exported.filing().department(), exported.filing().budget(), exported.filing().goals());
      input.set_publish_time_unix_ms(exported.published().publish_time_unix_ms());
      absl::StatusOr<rv1::Artifact> pdf = yusuan::report::RenderReport(input, rv1::FORMAT_PDF);
      if (!pdf.ok()) Fail(absl::StrCat(name, ": ", pdf.status().ToString()));
      if (pdf->sha256_hex() != published_digest) {
        Fail(absl::StrCat(name, ": laid out again, its PDF is not the published one (", pdf->sha256_hex(), " against ",
                          published_digest, "), so its pages would not be the same pages"));
      }
      absl::StatusOr<yusuan::report::Document> document = yusuan::report::BuildDisclosure(input);
      if (!document.ok()) Fail(absl::StrCat(name, ": ", document.status().ToString()));
      absl::StatusOr<yusuan::bench::RawPageDrawing> drawing =
          yusuan::bench::RawPageDrawing::Capture(*document, yusuan::report::PdfOptionsFor(input));
      if (!drawing.ok()) Fail(absl::StrCat(name, ": ", drawing.status().ToString()));
      // The first drawing loads the fonts; a publishing service has them
      // loaded already, so that one is not counted twice.
      if (budgets == 0) (void)drawing->Draw();
      const auto start = Clock::now();
      if (drawing->Draw() == 0) Fail(name + ": cairo failed to draw the pages");
      drawing_seconds += std::chrono::duration<double>(Clock::now() - start).count();
      pages += drawing->pages();
      lines += drawing->lines();
      ++budgets;
    }
    const grpc::Status status = stream->Finish();
    if (!status.ok()) Fail("export of " + parent + ": " + status.error_message());
  }
  if (flags.expect >= 0 && budgets != flags.expect) {
    Fail(absl::StrCat("the export holds ", budgets, " published budgets, not the ", flags.expect,
                      " the batch published"));
  }
  if (budgets == 0) Fail("no published budget in the regions given");

  std::printf(
      "publication_bench: %d published budgets, %d PDF pages (%zu lines), each PDF the published bytes; drawing "
      "their pages with pango and cairo alone: %.2f s\n",
      budgets, pages, lines, drawing_seconds);
  if (flags.publish_seconds > 0) {
    std::printf("  publishing them in every format through the stack (%d in flight): %.2f s = %.2f× the drawing\n",
                flags.in_flight, flags.publish_seconds, flags.publish_seconds / drawing_seconds);
    yusuan::bench::EmitRow({.group = "stack",
                            .path = absl::StrCat("Publication day: ", budgets, " budgets published in every format (",
                                                 pages, " PDF pages), ", flags.in_flight, " in flight"),
                            .value = flags.publish_seconds,
                            .unit = "s",
                            .higher_is_better = false,
                            .baseline = "their PDF pages drawn with pango and cairo alone, one thread",
                            .baseline_value = drawing_seconds});
  }
  return 0;
}
