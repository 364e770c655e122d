// The reference department's disclosure, byte for byte: every format of
// data/samples/qingshan-kexie-2021.json, projected by the ledger domain and
// rendered by the report domain as publishing does (sources traced, a fixed
// publish time), in both template sets, against the SHA-256 digests in
// reference_outputs.sha256 beside this file. The input is the report tests'
// fixture (services/report/domain/testdata_departments.h,
// ReferenceReportInput), so what they check is what is recorded here.
//
// A change to a renderer, a template set, the catalogue names the reference
// uses or the projection that moves any byte of the reference disclosure
// fails here, naming the format. When the change is intended (a defect fixed),
// bump report::kRendererVersion (services/report/domain/render.h: the render
// cache is keyed by it), rewrite the digests with
//   YUSUAN_UPDATE_GOLDEN=1 build/tests/golden/golden_reference_outputs_test
// (which refuses while the version is the one recorded) and say in the commit
// which outputs changed and why. YUSUAN_GOLDEN_DUMP=DIR
// writes the rendered files there too, to compare two trees' outputs.
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "services/common/sha256.h"
#include "services/report/domain/render.h"
#include "services/report/domain/testdata_departments.h"

namespace yusuan {
namespace {

namespace rv1 = yusuan::report::v1;

const std::string kSourceDir = YUSUAN_SOURCE_DIR;
const std::string kDigests = kSourceDir + "/tests/golden/reference_outputs.sha256";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The file: "renderer VERSION" (report::kRendererVersion when the digests
// were recorded), then "DIGEST  FORMAT SET" per output.
struct Recorded {
  std::string renderer_version;
  std::map<std::string, std::string> digests;  // "HTML wuhan-district-2021" → digest
};

Recorded ReadRecorded() {
  Recorded out;
  std::istringstream lines(ReadFile(kDigests));
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string first, format, set;
    if (!(words >> first)) continue;
    if (first == "renderer") {
      words >> out.renderer_version;
    } else if (words >> format >> set) {
      out.digests[format + " " + set] = first;
    }
  }
  return out;
}

std::string FormatName(rv1::Format format) {
  std::string name = rv1::Format_Name(format);
  return name.substr(std::string("FORMAT_").size());
}

// Every format in every template set: the rendering of the reference filing,
// through the fixture every report test uses.
std::map<std::string, std::string> RenderReference() {
  std::map<std::string, std::string> out;
  for (const std::string set : {"wuhan-district-2021", "national-2016-143"}) {
    rv1::ReportInput input = report::testdata::ReferenceReportInput();
    input.set_publish_time_unix_ms(1612137600000);  // 2021-02-01 08:00 +08:00
    input.set_template_set(set);
    absl::StatusOr<std::vector<rv1::Artifact>> artifacts = report::RenderReports(input, report::ImplementedFormats());
    EXPECT_TRUE(artifacts.ok()) << set << ": " << artifacts.status();
    if (!artifacts.ok()) continue;
    for (const rv1::Artifact& artifact : *artifacts) {
      out[FormatName(artifact.format()) + " " + set] = yusuan::Sha256Hex(artifact.content());
      if (const char* dump = std::getenv("YUSUAN_GOLDEN_DUMP")) {
        std::ofstream file(std::string(dump) + "/" + set + "." + FormatName(artifact.format()),
                           std::ios::binary | std::ios::trunc);
        file << artifact.content();
      }
    }
  }
  return out;
}

TEST(ReferenceOutputs, EveryFormatIsByteForByteAsRecorded) {
  const std::map<std::string, std::string> rendered = RenderReference();
  ASSERT_FALSE(rendered.empty());
  const Recorded before = ReadRecorded();
  if (std::getenv("YUSUAN_UPDATE_GOLDEN") != nullptr) {
    // New output under the version that named the old one would let the
    // render cache serve the old bytes.
    if (rendered != before.digests && before.renderer_version == report::kRendererVersion) {
      FAIL() << "the reference disclosure changed but report::kRendererVersion is still " << report::kRendererVersion
             << ": bump it in services/report/domain/render.h (cached renders of the old output are then not "
                "served), then record again";
    }
    std::ofstream out(kDigests, std::ios::binary | std::ios::trunc);
    out << "renderer " << report::kRendererVersion << "\n";
    for (const auto& [what, digest] : rendered) out << digest << "  " << what << "\n";
    GTEST_SKIP() << "wrote " << rendered.size() << " digests for " << report::kRendererVersion << " to " << kDigests;
  }
  EXPECT_EQ(before.renderer_version, report::kRendererVersion)
      << kDigests << " was recorded for another renderer version: record it again (see the top of this file)";
  const std::map<std::string, std::string>& recorded = before.digests;
  ASSERT_FALSE(recorded.empty()) << kDigests << " lists no digest";
  for (const auto& [what, digest] : rendered) {
    auto it = recorded.find(what);
    ASSERT_NE(it, recorded.end()) << what << " is rendered but has no recorded digest in " << kDigests;
    EXPECT_EQ(digest, it->second) << "the reference disclosure's " << what
                                  << " changed; if intended, rewrite the digests (see the top of this file) "
                                     "and say in the commit which outputs changed and why";
  }
  for (const auto& [what, digest] : recorded) {
    EXPECT_EQ(rendered.count(what), 1u) << what << " is recorded but no longer rendered";
  }
}

// The same input renders the same bytes twice (what the digests rely on).
TEST(ReferenceOutputs, RenderingIsDeterministic) { EXPECT_EQ(RenderReference(), RenderReference()); }

}  // namespace
}  // namespace yusuan
