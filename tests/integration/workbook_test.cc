// The filing workbook end to end (issue 14): the reference department,
// exported as a workbook and imported again over REST and with the CLI, is
// the same filing (nothing written); a workbook with a wrong code or a 1 分
// imbalance is refused by the rules naming the sheet and cell to change, and
// one whose cell cannot be read is refused before anything is applied.
#include <httplib.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/gateway/workbook/filing_workbook.h"
#include "services/gateway/workbook/tests/test_util.h"
#include "services/security/token.h"
#include "tests/integration/harness.h"
#include "tests/integration/shared_cluster.h"
#include "yusuan/gateway/v1/gateway.grpc.pb.h"

namespace yusuan::testing {
namespace {

using google::protobuf::util::MessageDifferencer;
using yusuan::gateway::v1::Filing;
using yusuan::gateway::v1::PublicApi;
using yusuan::security::Role;
namespace gv1 = yusuan::gateway::v1;

constexpr char kXlsx[] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

class WorkbookTest : public SharedClusterTest<WorkbookTest> {
 protected:
  static std::string Token() { return TestToken(*cluster_, Role::kIntegrator, "workbook-test"); }

  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    context->AddMetadata("authorization", "Bearer " + Token());
    return context;
  }

  // The reference filing applied, then read back as ExportFilings gives it.
  static Filing StoredReference() {
    Filing filing;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(ReadFile(SampleFilingPath()), &filing).ok());
    auto api = PublicApi::NewStub(cluster_->GatewayChannel());
    gv1::ApplyFilingRequest apply;
    *apply.mutable_filing() = filing;
    gv1::ApplyFilingResponse applied;
    grpc::Status status = api->ApplyFiling(Context().get(), apply, &applied);
    EXPECT_TRUE(status.ok()) << status.error_message();
    gv1::ExportFilingsRequest exported;
    exported.set_parent("regions/" + filing.department().region_code());
    exported.set_fiscal_year(filing.budget().fiscal_year());
    auto context = Context();
    auto stream = api->ExportFilings(context.get(), exported);
    gv1::ExportFilingsResponse one;
    Filing stored;
    while (stream->Read(&one)) {
      if (one.filing().budget().name() == applied.budget().name()) stored = one.filing();
    }
    EXPECT_TRUE(stream->Finish().ok());
    EXPECT_FALSE(stored.budget().name().empty());
    return stored;
  }

  static httplib::Result Upload(const std::string& xlsx, const std::string& request_id) {
    httplib::Client http("127.0.0.1", cluster_->gateway_http_port());
    http.set_read_timeout(std::chrono::seconds(60));
    const httplib::Headers headers = {{"Authorization", "Bearer " + Token()}, {"Idempotency-Key", request_id}};
    return http.Post("/v1/filings:importWorkbook", headers, xlsx, kXlsx);
  }

  static int Cli(const std::string& words, std::string* output) {
    const std::string command = absl::StrCat(YUSUAN_BIN_DIR, "/yusuan --gateway ", cluster_->gateway_grpc(),
                                             " --token '", Token(), "' ", words, " 2>&1");
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return -1;
    char buffer[4096];
    for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) output->append(buffer, n);
    const int status = pclose(pipe);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  static std::string Written(const Filing& filing) {
    absl::StatusOr<std::string> xlsx = workbook::WriteFilingWorkbook(filing, {});
    EXPECT_TRUE(xlsx.ok()) << xlsx.status();
    return xlsx.ok() ? *xlsx : "";
  }
};

// The findings of an AIP-193 answer's ValidationReport detail.
nlohmann::json Findings(const std::string& body) {
  const nlohmann::json answer = nlohmann::json::parse(body, nullptr, false);
  if (!answer.is_object()) return nlohmann::json::array();
  for (const nlohmann::json& detail : answer["error"]["details"]) {
    if (detail.value("@type", "") == "type.googleapis.com/yusuan.common.v1.ValidationReport") {
      return detail.value("findings", nlohmann::json::array());
    }
  }
  return nlohmann::json::array();
}

TEST_F(WorkbookTest, TheReferenceDepartmentExportedAndImportedIsTheSameFiling) {
  const Filing stored = StoredReference();
  const std::string xlsx = Written(stored);
  const workbook::WorkbookReadResult read = workbook::ReadFilingWorkbook(xlsx);
  ASSERT_TRUE(read.problems.empty()) << read.problems[0].cell << " " << read.problems[0].message_en;
  std::string differences;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&differences);
  EXPECT_TRUE(differencer.Compare(*read.filing, stored)) << differences;

  auto answer = Upload(xlsx, "workbook-same");
  ASSERT_TRUE(answer) << httplib::to_string(answer.error());
  ASSERT_EQ(answer->status, 200) << answer->body;
  gv1::ImportFilingsResponse imported;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(answer->body, &imported).ok()) << answer->body;
  EXPECT_EQ(imported.outcome(), gv1::ImportFilingsResponse::OUTCOME_UNCHANGED) << answer->body;
  EXPECT_EQ(imported.budget_name(), stored.budget().name());

  // The CLI's way round: export the region as workbooks, import the file.
  const std::string dir = absl::StrCat(dir_->path(), "/workbooks");
  std::string exported;
  ASSERT_EQ(Cli(absl::StrCat("export regions/", stored.department().region_code(), " --year ",
                             stored.budget().fiscal_year(), " --format xlsx -o ", dir),
                &exported),
            0)
      << exported;
  const std::string file = absl::StrCat(dir, "/", stored.department().region_code(), "-",
                                        stored.department().agency_code(), "-", stored.budget().fiscal_year(), ".xlsx");
  const workbook::WorkbookReadResult from_cli = workbook::ReadFilingWorkbook(ReadFile(file));
  ASSERT_TRUE(from_cli.problems.empty()) << exported;
  EXPECT_TRUE(MessageDifferencer::Equals(*from_cli.filing, stored));
  std::string imported_by_cli;
  EXPECT_EQ(Cli("import -f " + file, &imported_by_cli), 0) << imported_by_cli;
  EXPECT_NE(imported_by_cli.find("未变 unchanged"), std::string::npos) << imported_by_cli;

  // The empty template is a workbook the reader knows, and asks for a department.
  const std::string template_file = absl::StrCat(dir_->path(), "/template.xlsx");
  std::string wrote;
  ASSERT_EQ(Cli("template --xlsx --year 2021 -o " + template_file, &wrote), 0) << wrote;
  const workbook::WorkbookReadResult empty = workbook::ReadFilingWorkbook(ReadFile(template_file));
  ASSERT_EQ(empty.problems.size(), 1u);
  EXPECT_EQ(empty.problems[0].rule_id, "WB-NO-DEPARTMENT");
}

TEST_F(WorkbookTest, AWrongCodeOrAOneFenImbalanceIsRefusedNamingTheSheetAndCell) {
  const Filing stored = StoredReference();

  // A functional code the catalogue does not have (20601 has no 项 88), on the third line.
  Filing wrong_code = stored;
  wrong_code.mutable_budget()->mutable_expenditure_lines(2)->set_functional_code("2060188");
  auto answer = Upload(Written(wrong_code), "workbook-wrong-code");
  ASSERT_TRUE(answer);
  ASSERT_EQ(answer->status, 400) << answer->body;
  bool named = false;
  for (const nlohmann::json& finding : Findings(answer->body)) {
    if (finding.value("field", "") != "budget.expenditureLines[2].functionalCode") continue;
    named = true;
    EXPECT_EQ(finding.value("workbookCell", ""), "支出!A5") << finding.dump();
  }
  EXPECT_TRUE(named) << answer->body;

  // One 分 more income than spending.
  Filing imbalance = stored;
  imbalance.mutable_budget()->mutable_income_lines(0)->set_amount_fen(stored.budget().income_lines(0).amount_fen() + 1);
  answer = Upload(Written(imbalance), "workbook-imbalance");
  ASSERT_TRUE(answer);
  ASSERT_EQ(answer->status, 400) << answer->body;
  named = false;
  for (const nlohmann::json& finding : Findings(answer->body)) {
    const std::string rule = finding.value("ruleId", "");
    if (rule != "R-T1-4" && rule != "R-T6-5") continue;
    named = true;
    EXPECT_EQ(finding.value("field", ""), "budget.incomeLines[0].amountFen") << finding.dump();
    EXPECT_EQ(finding.value("workbookCell", ""), "收入!C3") << finding.dump();
    EXPECT_NE(finding.value("difference", ""), "") << finding.dump();
  }
  EXPECT_TRUE(named) << answer->body;

  // Neither was stored: the budget is still at the revision applied.
  auto api = PublicApi::NewStub(cluster_->GatewayChannel());
  yusuan::ledger::v1::GetBudgetRequest get;
  get.set_name(stored.budget().name());
  yusuan::ledger::v1::Budget budget;
  ASSERT_TRUE(api->GetBudget(Context().get(), get, &budget).ok());
  EXPECT_EQ(budget.income_lines(0).amount_fen(), stored.budget().income_lines(0).amount_fen());
  EXPECT_EQ(budget.expenditure_lines(2).functional_code(), stored.budget().expenditure_lines(2).functional_code());

  // The CLI names the cell too, and exits 1.
  const std::string file = absl::StrCat(dir_->path(), "/wrong-code.xlsx");
  {
    FILE* out = std::fopen(file.c_str(), "wb");
    ASSERT_NE(out, nullptr);
    const std::string xlsx = Written(wrong_code);
    std::fwrite(xlsx.data(), 1, xlsx.size(), out);
    std::fclose(out);
  }
  std::string printed;
  EXPECT_EQ(Cli("import -f " + file, &printed), 1) << printed;
  EXPECT_NE(printed.find("支出!A5"), std::string::npos) << printed;
}

TEST_F(WorkbookTest, ACellThatCannotBeReadIsRefusedBeforeAnythingIsApplied) {
  const Filing stored = StoredReference();
  Filing changed = stored;
  changed.mutable_department()->set_contact_phone("027-00000000");
  std::string xlsx = Written(changed);
  // A word where the first expenditure line's amount goes.
  xlsx = workbook::testing::ReplaceCell(xlsx, "支出", "G3", workbook::testing::InlineCell("G3", "约五万"));
  auto answer = Upload(xlsx, "workbook-unreadable");
  ASSERT_TRUE(answer);
  ASSERT_EQ(answer->status, 400) << answer->body;
  EXPECT_NE(answer->body.find("支出!G3"), std::string::npos) << answer->body;
  EXPECT_NE(answer->body.find("WB-AMOUNT-TEXT"), std::string::npos) << answer->body;
  // The department's change in the same workbook was not applied either.
  auto api = PublicApi::NewStub(cluster_->GatewayChannel());
  yusuan::ledger::v1::GetDepartmentRequest get;
  get.set_name(
      absl::StrCat("regions/", stored.department().region_code(), "/departments/", stored.department().agency_code()));
  yusuan::ledger::v1::Department department;
  ASSERT_TRUE(api->GetDepartment(Context().get(), get, &department).ok());
  EXPECT_EQ(department.contact_phone(), stored.department().contact_phone());
}

}  // namespace
}  // namespace yusuan::testing
