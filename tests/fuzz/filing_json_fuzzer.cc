// A filing as the REST face receives it (POST /v1/filings:apply and
// :validate, body yusuan.gateway.v1.Filing in the protobuf JSON mapping),
// through what the gateway does before any backend sees it: the JSON parse
// with its UTF-8 check (services/gateway/http/request_parsing.h
// ParseJsonBody), the AIP-193 answer of a refusal, and the names of the
// filing's parts (services/gateway/names.h). A filing that parses also runs
// the rules that need no storage: the goal sheets' own
// (services/goals/domain/rules.h) and the goals ↔ ledger rules the gateway
// runs (services/cross_rules). The ledger's rules need the catalogues and
// the ledger service; they are not run here.
//
// Input: the request body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"
#include "services/common/errors.h"
#include "services/common/rule_catalogue.h"
#include "services/common/utf8.h"
#include "services/cross_rules/cross_rules.h"
#include "services/cross_rules/rule_catalogue.h"
#include "services/gateway/http/request_parsing.h"
#include "services/gateway/names.h"
#include "services/gateway/rule_catalogue.h"
#include "services/gateway/utf8_refusal.h"
#include "services/goals/domain/rule_catalogue.h"
#include "services/goals/domain/rules.h"
#include "tests/fuzz/fuzz_check.h"
#include "yusuan/gateway/v1/gateway.pb.h"

namespace yusuan {
namespace {

using common::v1::Finding;
using common::v1::ValidationReport;
using gateway::v1::Filing;

std::string DeterministicBytes(const google::protobuf::Message& message) {
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  message.SerializeToCodedStream(&coded);
  coded.Trim();
  return bytes;
}

// A refused body answers INVALID_ARGUMENT with a message that can travel
// in google.rpc.Status (a protobuf string: UTF-8), and its AIP-193 body is
// JSON.
void CheckRefusal(const absl::Status& status) {
  FUZZ_CHECK(status.code() == absl::StatusCode::kInvalidArgument, status.ToString());
  FUZZ_CHECK(IsValidUtf8(std::string_view(status.message().data(), status.message().size())), status.ToString());
  const nlohmann::json body = nlohmann::json::parse(ToAip193Json(status), nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(body.is_object() && body.contains("error") && body["error"]["code"] == 400, status.ToString());
}

// Findings travel as protobuf strings to the client: UTF-8 everywhere, rule
// ids the rule book lists, counters that match.
void CheckReport(const ValidationReport& report, const RuleBook& rules) {
  const std::vector<std::string> bad = FindInvalidUtf8InMessage(report);
  FUZZ_CHECK(bad.empty(), bad.front(), " in ", report.ShortDebugString());
  const std::vector<std::string> unlisted = UnlistedRuleIds(rules, report);
  FUZZ_CHECK(unlisted.empty(), unlisted.front());
  ValidationReport tallied = report;
  Tally(tallied);
  FUZZ_CHECK(tallied.fatal_count() == report.fatal_count() && tallied.warning_count() == report.warning_count() &&
                 tallied.info_count() == report.info_count(),
             report.ShortDebugString());
}

void CheckFiling(Filing& filing) {
  // What the REST face accepts, the gRPC face's check of the same message
  // accepts too, and the JSON the gateway writes reads back the same.
  const std::vector<std::string> not_utf8 = FindInvalidUtf8InMessage(filing);
  FUZZ_CHECK(not_utf8.empty(), not_utf8.front());
  const absl::Status wire = gateway::CheckWireUtf8(Filing::descriptor(), filing.SerializeAsString(), "");
  FUZZ_CHECK(wire.ok(), wire.ToString());
  std::string json;
  FUZZ_CHECK(google::protobuf::util::MessageToJsonString(filing, &json).ok());
  Filing reread;
  const absl::Status parsed = gateway::ParseJsonBody(json, "", &reread);
  FUZZ_CHECK(parsed.ok(), parsed.ToString(), "\n", json);
  FUZZ_CHECK(DeterministicBytes(reread) == DeterministicBytes(filing), json);

  ValidationReport names;
  for (Finding& finding : gateway::FillFilingNames(filing)) *names.add_findings() = std::move(finding);
  Tally(names);
  CheckReport(names, gateway::GatewayRules());
  CheckReport(goals::ValidateGoalSet(filing.goals()), goals::GoalRules());
  CheckReport(cross_rules::ValidateGoalsAgainstBudget(filing.goals(), filing.budget()), cross_rules::CrossRules());
}

}  // namespace
}  // namespace yusuan

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  yusuan::gateway::v1::Filing filing;
  const absl::Status parsed = yusuan::gateway::ParseJsonBody(body, "", &filing);
  if (parsed.ok()) {
    yusuan::CheckFiling(filing);
  } else {
    yusuan::CheckRefusal(parsed);
  }
  return 0;
}
