// A filing written as a workbook and read back is the same filing: the
// reference filing in 元 and in 万元, and generated filings of every sector.
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/gateway/workbook/filing_workbook.h"
#include "services/gateway/workbook/tests/test_util.h"
#include "services/ledger/domain/catalogue.h"
#include "tools/synth/synth.h"

namespace yusuan::workbook {
namespace {

using google::protobuf::util::MessageDifferencer;
using yusuan::gateway::v1::Filing;

std::string Problems(const WorkbookReadResult& result) {
  std::string out;
  for (const WorkbookProblem& p : result.problems) out += p.rule_id + " " + p.message_en + "\n";
  return out;
}

// Written with `unit`, read back: the filing, or a test failure.
Filing RoundTrip(const Filing& filing, AmountUnit unit) {
  WorkbookWriteOptions options;
  options.unit = unit;
  absl::StatusOr<std::string> xlsx = WriteFilingWorkbook(filing, options);
  EXPECT_TRUE(xlsx.ok()) << xlsx.status();
  if (!xlsx.ok()) return Filing();
  WorkbookReadResult result = ReadFilingWorkbook(*xlsx);
  EXPECT_TRUE(result.problems.empty()) << Problems(result);
  return result.filing.value_or(Filing());
}

bool Same(const Filing& expected, const Filing& actual, std::string* report) {
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(report);
  return differencer.Compare(expected, actual);
}

TEST(FilingWorkbookRoundTrip, TheReferenceFilingInYuanAndInWanYuan) {
  const Filing sample = testing::SampleFiling();
  ASSERT_TRUE(sample.has_department());
  for (AmountUnit unit : {AmountUnit::kYuan, AmountUnit::kWanYuan}) {
    const Filing back = RoundTrip(sample, unit);
    std::string report;
    EXPECT_TRUE(Same(testing::WithoutServerFields(sample), back, &report)) << report;
    EXPECT_TRUE(MessageDifferencer::Equals(testing::WithoutServerFields(sample), back));
  }
}

TEST(FilingWorkbookRoundTrip, ServerFieldsAreNotWritten) {
  Filing filing = testing::SampleFiling();
  filing.mutable_department()->set_etag("d-etag");
  filing.mutable_budget()->set_etag("b-etag");
  filing.mutable_budget()->set_revision(7);
  filing.mutable_budget()->set_status(yusuan::ledger::v1::FILING_STATUS_SUBMITTED);
  filing.mutable_goals()->set_revision(3);
  const Filing back = RoundTrip(filing, AmountUnit::kYuan);
  EXPECT_TRUE(MessageDifferencer::Equals(testing::WithoutServerFields(filing), back));
  EXPECT_EQ(back.budget().etag(), "");
  EXPECT_EQ(back.budget().revision(), 0);
}

TEST(FilingWorkbookRoundTrip, WhatTheLayoutCannotCarryIsRefusedNotDropped) {
  Filing filing = testing::SampleFiling();
  auto* history = filing.mutable_goals()->mutable_department()->mutable_annual_goals(0)->mutable_indicators(0);
  history->add_history()->set_year(2018);
  absl::StatusOr<std::string> xlsx = WriteFilingWorkbook(filing, WorkbookWriteOptions());
  EXPECT_EQ(xlsx.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(xlsx.status().message().find("goals.department.annualGoals[0].indicators[0].history has 3 values"),
            std::string::npos)
      << xlsx.status();

  filing = testing::SampleFiling();
  auto* unit = filing.mutable_department()->add_secondary_units();
  unit->set_code("001");
  for (int i = 0; i < 2; ++i)
    unit->mutable_staffing()->add_quotas()->set_kind(yusuan::ledger::v1::ESTABLISHMENT_KIND_LOGISTICS);
  EXPECT_EQ(WriteFilingWorkbook(filing, WorkbookWriteOptions()).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(FilingWorkbookRoundTrip, TwoHundredGeneratedFilings) {
  absl::StatusOr<ledger::CatalogueSet> catalogues =
      ledger::CatalogueSet::LoadFromDirectory(std::string(YUSUAN_SOURCE_DIR) + "/data/catalogue");
  ASSERT_TRUE(catalogues.ok()) << catalogues.status();
  synth::SynthOptions options;
  options.seed = 20261206;
  absl::StatusOr<synth::Synthesizer> synthesizer = synth::Synthesizer::Create(*catalogues, options);
  ASSERT_TRUE(synthesizer.ok()) << synthesizer.status();
  int failures = 0;
  for (int i = 0; i < 200 && failures < 3; ++i) {
    absl::StatusOr<Filing> filing = synthesizer->Synthesize(i);
    ASSERT_TRUE(filing.ok()) << filing.status();
    // Every other one in 万元, so both units meet every kind of department.
    const Filing back = RoundTrip(*filing, i % 2 == 0 ? AmountUnit::kYuan : AmountUnit::kWanYuan);
    std::string report;
    if (!Same(*filing, back, &report)) {
      ADD_FAILURE() << "filing " << i << " differs:\n" << report;
      ++failures;
    }
  }
}

}  // namespace
}  // namespace yusuan::workbook
