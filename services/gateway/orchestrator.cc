#include "services/gateway/orchestrator.h"

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <random>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/json_util.h"
#include "services/client/client.h"
#include "services/common/byte_buffer.h"
#include "services/common/errors.h"
#include "services/common/findings_builder.h"
#include "services/common/limits.h"
#include "services/common/mutex.h"
#include "services/common/paging.h"
#include "services/common/random_id.h"
#include "services/common/tsan_handoff.h"
#include "services/cross_rules/cross_rules.h"
#include "services/cross_rules/rule_catalogue.h"
#include "services/gateway/names.h"
#include "services/gateway/rule_catalogue.h"
#include "services/gateway/sharding/merge.h"

namespace yusuan::gateway {
namespace {

using yusuan::common::v1::Finding;
using yusuan::common::v1::ValidationReport;
namespace gv1 = yusuan::gateway::v1;
namespace lv1 = yusuan::ledger::v1;
namespace ov1 = yusuan::goals::v1;
namespace rv1 = yusuan::report::v1;

// A refusal's trailer holds every finding (google.rpc details); the gRPC
// default of 8 KiB is reached by a few dozen findings.

// Waits for a set of callback-API calls started in parallel. Into() is
// called as each call starts, its request complete: what the caller did
// before happens before the call's callback, on a thread of gRPC's, which
// libgrpc orders unseen by ThreadSanitizer (services/common/tsan_handoff.h).
class Join {
 public:
  explicit Join(int calls) : pending_(calls) {}
  std::function<void(grpc::Status)> Into(grpc::Status* out) {
    TsanRelease(this);
    return [this, out](grpc::Status status) {
      TsanAcquire(this);
      MutexLock lock(&mu_);
      *out = std::move(status);
      --pending_;
    };
  }
  void Wait() {
    MutexLock lock(&mu_);
    mu_.Await([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return pending_ == 0; });
  }

 private:
  Mutex mu_;
  int pending_ ABSL_GUARDED_BY(mu_);
};

// Runs `start`, which calls an asynchronous method with a Done, and waits
// for its answer: the blocking form of that method.
template <typename Response>
absl::StatusOr<Response> AwaitDone(const std::function<void(std::function<void(absl::StatusOr<Response>)>)>& start) {
  Mutex mu;
  std::optional<absl::StatusOr<Response>> answer;
  start([&](absl::StatusOr<Response> result) {
    MutexLock lock(&mu);
    answer.emplace(std::move(result));
  });
  MutexLock lock(&mu);
  mu.Await([&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return answer.has_value(); });
  return *std::move(answer);
}

// The same status with `prefix` before its message, details kept.
// V-LIMIT: INVALID_ARGUMENT with a finding per field over a limit, before
// any backend sees the request.
absl::Status WithinLimits(const google::protobuf::Message& message, const std::string& root = "") {
  const std::vector<LimitViolation> over = FindLimitViolations(message, root);
  if (over.empty()) return absl::OkStatus();
  ValidationReport report;
  FindingsBuilder findings(GatewayRules(), &report);
  for (const LimitViolation& v : over) {
    const bool text = v.limit == &Limits()[0];
    Finding* f = findings.Add(
        "V-LIMIT", v.path,
        absl::StrCat(text ? "文字过长：" : "列表过长：", v.actual, text ? " 个字符" : " 条", "，超过上限 ",
                     v.limit->value, "（", v.limit->id, "）"),
        absl::StrCat(text ? "the text has " : "the list has ", v.actual, " ", v.limit->unit, ", over the limit of ",
                     v.limit->value, " (", v.limit->id, ")"),
        "缩短该文字或拆分该列表；限制见 README「限制」 / shorten the text or split the list; the limits are in "
        "README § Limits");
    f->set_expected(absl::StrCat("≤ ", v.limit->value));
    f->set_actual(absl::StrCat(v.actual));
  }
  Tally(report);
  StampRuleSet(report);
  return RejectedByRules(report, "请求", "the request");
}

// A request id makes a retried write safe (a retry gets the first answer): empty
// (one is made up) or 1–128 printable ASCII characters, the ids the access
// log records and the REST face echoes. Anything else — a CR or LF that would
// split the echoed header, a key of kilobytes kept for 30 days — is refused
// before the write, naming the field.
absl::Status CheckRequestId(const std::string& request_id) {
  bool printable = request_id.size() <= 128;
  for (const char c : request_id) printable = printable && c >= 0x20 && c <= 0x7E;
  if (printable) return absl::OkStatus();
  absl::Status refused = absl::InvalidArgumentError(absl::StrCat(
      "request_id 应为 1–128 个可打印的 ASCII 字符（REST：Idempotency-Key 或 X-Request-Id），实为 ", request_id.size(),
      " 字节 / request_id (REST: the Idempotency-Key or X-Request-Id header) must be 1 to 128 "
      "printable ASCII characters; it has ",
      request_id.size(), " bytes", request_id.size() <= 128 ? " with a character outside printable ASCII" : ""));
  google::rpc::BadRequest bad_request;
  auto* violation = bad_request.add_field_violations();
  violation->set_field("request_id");
  violation->set_description("1–128 printable ASCII characters");
  AttachDetail(refused, bad_request);
  return WithReason(std::move(refused), "REQUEST_ID_INVALID");
}

// The request_id field of a write request, checked; OK for a request
// without one.
absl::Status CheckRequestIdOf(const google::protobuf::Message& request) {
  const google::protobuf::FieldDescriptor* field = request.GetDescriptor()->FindFieldByName("request_id");
  if (field == nullptr || field->type() != google::protobuf::FieldDescriptor::TYPE_STRING || field->is_repeated()) {
    return absl::OkStatus();
  }
  return CheckRequestId(request.GetReflection()->GetString(request, field));
}

void Append(ValidationReport* report, const ValidationReport& more) {
  for (const auto& f : more.findings()) *report->add_findings() = f;
}

// A filing's report: the gateway's findings on its names, then the
// ledger's, the goals' and the cross rules', tallied.
ValidationReport CombineReports(std::vector<Finding> prior, const ValidationReport& ledger,
                                const ValidationReport& goals, const ValidationReport& cross) {
  ValidationReport report;
  for (auto& f : prior) *report.add_findings() = std::move(f);
  Append(&report, ledger);
  Append(&report, goals);
  Append(&report, cross);
  Tally(report);
  // The backends stamp the rule set they ran; the ledger's names the set.
  report.set_rule_set_version(ledger.rule_set_version());
  return report;
}

}  // namespace

ShardRouter::ChannelFactory Orchestrator::BackendChannels(const Options& options) {
  return [options](const std::string& address) {
    grpc::ChannelArguments arguments = client::ChannelArguments();
    // A backend host that vanishes without a reset: the pings find it in
    // about kKeepalivePingMs + kKeepaliveTimeoutMs, and while it is away
    // each connection attempt gives up after kBackendConnectTimeoutMs, so
    // its calls fail fast (UNAVAILABLE) instead of waiting out their
    // deadline (services/common/limits.h).
    arguments.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, kKeepalivePingMs);
    arguments.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, kKeepaliveTimeoutMs);
    arguments.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
    arguments.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
    arguments.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, kBackendConnectTimeoutMs);
    if (!options.backend_tls_server_name.empty()) {
      arguments.SetSslTargetNameOverride(options.backend_tls_server_name);
    }
    return grpc::CreateCustomChannel(
        address,
        options.backend_credentials != nullptr ? options.backend_credentials : grpc::InsecureChannelCredentials(),
        arguments);
  };
}

std::unique_ptr<Orchestrator> Orchestrator::Connect(const Options& options) {
  ShardRouter::ChannelFactory channel = BackendChannels(options);
  return std::make_unique<Orchestrator>(options, channel(options.ledger_address), channel(options.goals_address),
                                        channel(options.report_address));
}

Orchestrator::Orchestrator(const Options& options, std::shared_ptr<grpc::Channel> ledger,
                           std::shared_ptr<grpc::Channel> goals, std::shared_ptr<grpc::Channel> report)
    : options_(options),
      router_(std::make_shared<ShardRouter>(
          std::move(ledger), std::move(goals), std::move(report),
          ShardEndpoints{options.ledger_address, options.goals_address, options.report_address})) {}

Orchestrator::Orchestrator(const Options& options, std::shared_ptr<ShardRouter> router)
    : options_(options), router_(std::move(router)) {}

absl::Status Orchestrator::RouteRegion(std::string_view region, const ShardConnection** shard) const {
  std::shared_ptr<const ShardRouting> routing = router_->Current();
  if (!IsRegionCode(region)) {
    *shard = &routing->ForStateless("");
    return absl::OkStatus();
  }
  absl::StatusOr<const ShardConnection*> routed = routing->For(region);
  if (!routed.ok()) return routed.status();
  *shard = *routed;
  return absl::OkStatus();
}

absl::Status Orchestrator::RouteName(std::string_view name, const ShardConnection** shard) const {
  absl::StatusOr<AnyResourceName> parsed = ParseAnyResourceName(std::string(name));
  return RouteRegion(parsed.ok() ? std::string_view(parsed->region) : std::string_view(), shard);
}

absl::Status Orchestrator::RouteWrite(std::string_view region, const ShardConnection** shard) const {
  if (const std::string* frozen = router_->Current()->map().FrozenPrefix(region);
      frozen != nullptr && IsRegionCode(region)) {
    const std::string shown = frozen->empty() ? "\"\"" : *frozen;
    const std::string code(region);  // Debian's Abseil has a string_view of its own
    return WithReason(
        absl::UnavailableError(
            absl::StrCat("地区 ", code, " 正在迁往另一分片（分片表冻结了前缀 ", shown,
                         "），迁移完成前只读不写：稍后用同一 request_id 重试 / region ", code,
                         " is being moved to another shard (the shard map freezes prefix ", shown,
                         "): it is read as usual and takes no writes until the move is over; retry later with the same "
                         "request_id")),
        "REGION_MOVING");
  }
  return RouteRegion(region, shard);
}

absl::Status Orchestrator::RouteWriteName(std::string_view name, const ShardConnection** shard) const {
  absl::StatusOr<AnyResourceName> parsed = ParseAnyResourceName(std::string(name));
  return RouteWrite(parsed.ok() ? std::string_view(parsed->region) : std::string_view(), shard);
}

const ShardConnection& Orchestrator::StatelessShard(std::string_view region) const {
  return router_->Current()->ForStateless(region);
}

std::unique_ptr<grpc::ClientContext> Orchestrator::NewContext(const CallOptions& call) const {
  std::unique_ptr<grpc::ClientContext> context = call.parent != nullptr
                                                     ? grpc::ClientContext::FromCallbackServerContext(*call.parent)
                                                     : std::make_unique<grpc::ClientContext>();
  const auto own = std::chrono::system_clock::now() + options_.backend_timeout;
  context->set_deadline(call.deadline < own ? call.deadline : own);
  // The backends answer only calls that carry it (internal_guard.h).
  if (access_ != nullptr) {
    context->AddMetadata(security::kInternalCredentialHeader, access_->internal_credential());
  }
  return context;
}

absl::Status Orchestrator::Allow(const CallOptions& call, std::string_view method, std::string_view resource) const {
  if (access_ == nullptr) return absl::OkStatus();
  return access_->Authorize(call.caller, method, resource);
}

absl::Status Orchestrator::MayCall(const CallOptions& call, std::string_view method) const {
  absl::Status allowed = Allow(call, method, "");
  // A caller whose cell is "in scope" is refused an empty name as malformed
  // (400): here that is a yes, the names come later.
  if (allowed.code() == absl::StatusCode::kInvalidArgument) return absl::OkStatus();
  return allowed;
}

absl::Status Orchestrator::AllowFiling(const CallOptions& call, std::string_view method,
                                       const gv1::Filing& filing) const {
  // Every name the filing writes must be within the caller's scope; a filing
  // that names nothing is judged by its (empty) department name, which no
  // scope covers.
  bool any = false;
  for (const std::string* name : {&filing.department().name(), &filing.budget().name(), &filing.goals().name()}) {
    if (name->empty()) continue;
    any = true;
    if (absl::Status allowed = Allow(call, method, *name); !allowed.ok()) return allowed;
  }
  if (any) return absl::OkStatus();
  // No name: the codes it would be derived from are not codes. A caller who
  // may call the method is told which fields to fix (400), others are
  // refused as for any request.
  absl::Status allowed = Allow(call, method, "");
  if (allowed.code() != absl::StatusCode::kInvalidArgument) return allowed;
  absl::Status refused = absl::InvalidArgumentError(
      "申报未指明部门：department.regionCode 须为 2、4 或 6 位数字，department.agencyCode 须为数字 / "
      "the filing names no department: department.regionCode must have 2, 4 or 6 digits and "
      "department.agencyCode only digits");
  // The codes that are not codes, as the rules would name them.
  google::rpc::BadRequest bad_request;
  if (!IsRegionCode(filing.department().region_code())) {
    auto* violation = bad_request.add_field_violations();
    violation->set_field("department.regionCode");
    violation->set_description("2、4 或 6 位数字 / 2, 4 or 6 digits (GB/T 2260)");
  }
  if (!IsAgencyCode(filing.department().agency_code())) {
    auto* violation = bad_request.add_field_violations();
    violation->set_field("department.agencyCode");
    violation->set_description("数字 / digits only");
  }
  if (bad_request.field_violations_size() > 0) AttachDetail(refused, bad_request);
  return WithReason(std::move(refused), "RESOURCE_NAME_INVALID");
}

absl::Status Orchestrator::MapError(const ShardConnection& shard, Backend backend, const grpc::Status& status) const {
  absl::Status mapped = FromGrpcStatus(status);
  if (mapped.code() != absl::StatusCode::kUnavailable && mapped.code() != absl::StatusCode::kDeadlineExceeded) {
    return mapped;
  }
  std::string zh, en, address;
  switch (backend) {
    case Backend::kLedger:
      zh = "账本服务";
      en = "ledger";
      address = shard.endpoints.ledger;
      break;
    case Backend::kGoals:
      zh = "绩效目标服务";
      en = "goals";
      address = shard.endpoints.goals;
      break;
    case Backend::kReport:
      zh = "报告服务";
      en = "report";
      address = shard.endpoints.report;
      break;
  }
  const bool timeout = mapped.code() == absl::StatusCode::kDeadlineExceeded;
  // With a shard map, the shard is named: its regions are the ones out.
  const std::string shard_zh = shard.name.empty() ? "" : absl::StrCat("分片 ", shard.name, " 的");
  const std::string shard_en = shard.name.empty() ? "" : absl::StrCat(" of shard ", shard.name);
  return WithMessagePrefix(
      mapped, absl::StrCat(shard_zh, zh, " ", address, timeout ? " 未及时响应" : " 不可用", " / the ", en, " service",
                           shard_en, " at ", address, timeout ? " did not answer in time" : " is unavailable", ": "));
}

absl::StatusOr<ValidationReport> Orchestrator::Validate(const gv1::Filing& filing, std::vector<Finding> prior,
                                                        const CallOptions& call, bool record_stored_budget) {
  // Validating what was sent reads nothing stored (every shard has the
  // catalogues): a region no shard holds yet is still validated.
  const ShardConnection* shard = &StatelessShard(filing.department().region_code());
  if (record_stored_budget) {
    if (absl::Status routed = RouteRegion(filing.department().region_code(), &shard); !routed.ok()) return routed;
  }
  lv1::ValidateBudgetRequest ledger_request;
  if (record_stored_budget) {
    ledger_request.set_name(filing.budget().name());
  } else {
    *ledger_request.mutable_department() = filing.department();
    *ledger_request.mutable_budget() = filing.budget();
  }
  ov1::ValidateGoalsRequest goals_request;
  *goals_request.mutable_goals() = filing.goals();

  auto ledger_context = NewContext(call);
  auto goals_context = NewContext(call);
  ValidationReport ledger_report, goals_report;
  grpc::Status ledger_status, goals_status;
  Join join(2);
  shard->ledger->async()->ValidateBudget(ledger_context.get(), &ledger_request, &ledger_report,
                                         join.Into(&ledger_status));
  shard->goals->async()->ValidateGoals(goals_context.get(), &goals_request, &goals_report, join.Into(&goals_status));
  // The cross rules are local; run them while the backends work.
  ValidationReport cross = yusuan::cross_rules::ValidateGoalsAgainstBudget(filing.goals(), filing.budget());
  join.Wait();
  if (!ledger_status.ok()) return MapError(*shard, Backend::kLedger, ledger_status);
  if (!goals_status.ok()) return MapError(*shard, Backend::kGoals, goals_status);

  return CombineReports(std::move(prior), ledger_report, goals_report, cross);
}

absl::StatusOr<gv1::ApplyFilingResponse> Orchestrator::ApplyFiling(const gv1::ApplyFilingRequest& request,
                                                                   const CallOptions& call) {
  gv1::Filing filing = request.filing();
  std::vector<Finding> name_findings = FillFilingNames(filing);
  if (absl::Status admitted = AdmitFiling(call, "ApplyFiling", filing); !admitted.ok()) return admitted;
  if (absl::Status id = CheckRequestId(request.request_id()); !id.ok()) return id;
  return StoreFiling(filing, std::move(name_findings),
                     request.request_id().empty() ? RandomHexId() : request.request_id(), call);
}

absl::Status Orchestrator::AdmitFiling(const CallOptions& call, std::string_view method,
                                       const gv1::Filing& filing) const {
  if (absl::Status allowed = AllowFiling(call, method, filing); !allowed.ok()) return allowed;
  return WithinLimits(filing);
}

absl::StatusOr<gv1::ApplyFilingResponse> Orchestrator::StoreFiling(const gv1::Filing& filing,
                                                                   std::vector<Finding> name_findings,
                                                                   const std::string& request_id,
                                                                   const CallOptions& call) {
  const ShardConnection* shard = nullptr;
  if (absl::Status routed = RouteWrite(filing.department().region_code(), &shard); !routed.ok()) return routed;
  // A refusal by the rules names every finding of the filing, as
  // ValidateFiling would: the stage or commit that refused saw only its own.
  auto refused_by_rules = [&](absl::Status refusal) -> absl::Status {
    if (ErrorReason(refusal) != "VALIDATION_FAILED") return refusal;
    absl::StatusOr<ValidationReport> report = Validate(filing, name_findings, call);
    if (!report.ok()) return report.status();
    if (report->fatal_count() == 0) return refusal;  // e.g. a name that disagrees with its codes
    return RejectedByRules(*report, "申报材料", "the filing");
  };
  // The cross rules are the gateway's own: nothing is staged when they fail.
  ValidationReport cross = yusuan::cross_rules::ValidateGoalsAgainstBudget(filing.goals(), filing.budget());
  if (cross.fatal_count() > 0) return refused_by_rules(RejectedByRules(cross, "申报材料", "the filing"));

  gv1::ApplyFilingResponse response;
  ValidationReport ledger_report;
  // Two phases (README § Atomic filings): the goals are staged, invisible;
  // the ledger's one write of department, budget and goals pin commits the
  // whole filing (refusing a budget under review); promoting the goals
  // afterwards is housekeeping that the recovery also does. A reader
  // therefore sees all of the filing or none.
  ov1::PutGoalsRequest goals_request;
  *goals_request.mutable_goals() = filing.goals();
  goals_request.set_request_id(absl::StrCat(request_id, ":goals"));
  lv1::CommitFilingRequest commit;
  *commit.mutable_department() = filing.department();
  *commit.mutable_budget() = filing.budget();
  commit.set_request_id(absl::StrCat(request_id, ":filing"));
  ov1::StageGoalsResponse staged;
  absl::StatusOr<lv1::GoalsPin> pinned = StageAndPin(
      goals_request,
      [&](int64_t goals_revision, const CallOptions& c) -> absl::StatusOr<lv1::GoalsPin> {
        commit.set_goals_revision(goals_revision);
        lv1::CommitFilingResponse committed;
        auto context = NewContext(c);
        grpc::Status status = shard->ledger->CommitFiling(context.get(), commit, &committed);
        if (!status.ok()) return MapError(*shard, Backend::kLedger, status);
        *response.mutable_department() = std::move(*committed.mutable_department());
        *response.mutable_budget() = std::move(*committed.mutable_budget());
        ledger_report = std::move(*committed.mutable_validation());
        return committed.goals_pin();
      },
      &staged, call);
  if (!pinned.ok()) {
    if (IsTransient(pinned.status())) {
      return WithMessagePrefix(
          pinned.status(),
          absl::StrCat("申报未确认是否已保存（要么全部保存，要么全部未保存）；用相同 request_id \"", request_id,
                       "\" 重试即可 / the filing is stored whole or not at all, and it is not known which: retry "
                       "with request_id \"",
                       request_id, "\": "));
    }
    return refused_by_rules(pinned.status());
  }
  *response.mutable_goals() = std::move(*staged.mutable_goals());
  *response.mutable_validation() = CombineReports(std::move(name_findings), ledger_report, staged.validation(), cross);
  return response;
}

bool Orchestrator::IsTransient(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kCancelled:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kInternal:
      return true;
    default:
      return false;
  }
}

absl::StatusOr<lv1::GoalsPin> Orchestrator::StageAndPin(const ov1::PutGoalsRequest& request, const CommitStep& commit,
                                                        ov1::StageGoalsResponse* staged, const CallOptions& call) {
  const ShardConnection* shard = nullptr;
  if (absl::Status routed = RouteName(request.goals().name(), &shard); !routed.ok()) return routed;
  // A concurrent filing of the same budget that commits first supersedes
  // this one's staged goals: stage again (a newer revision) and commit.
  constexpr int kAttempts = 3;
  for (int attempt = 1;; ++attempt) {
    {
      auto context = NewContext(call);
      grpc::Status status = shard->goals->StageGoals(context.get(), request, staged);
      if (!status.ok()) return MapError(*shard, Backend::kGoals, status);
    }
    CrashAt(CrashPoint::kAfterStage);
    absl::StatusOr<lv1::GoalsPin> pinned = commit(staged->goals().revision(), call);
    if (pinned.ok()) {
      CrashAt(CrashPoint::kAfterCommit);
      ov1::GoalsRevisionRef promote;
      promote.set_name(staged->goals().name());
      promote.set_revision(staged->goals().revision());
      // The answer is the goals as stored, which the caller has: its bytes
      // are not parsed.
      const grpc::ByteBuffer promote_bytes = WireToByteBuffer(promote.SerializeAsString());
      grpc::ByteBuffer promoted;
      auto context = NewContext(call);
      grpc::Status status;
      Join join(1);
      shard->goals_bytes->UnaryCall(context.get(), "/yusuan.goals.v1.GoalsService/PromoteGoals", grpc::StubOptions(),
                                    &promote_bytes, &promoted, join.Into(&status));
      join.Wait();
      if (!status.ok()) {
        // Committed all the same: readers resolve goals through the pin.
        std::cerr << "gateway: goals revision " << staged->goals().revision() << " of " << staged->goals().name()
                  << " is committed but not yet promoted (the recovery will): " << status.error_message() << "\n";
      }
      return pinned;
    }
    // The ledger may have committed before the answer was lost: leave the
    // staged goals to the recovery, which asks the ledger.
    if (IsTransient(pinned.status())) return pinned.status();
    absl::Status abandoned = AbandonGoals(staged->goals().name(), staged->goals().revision(), call);
    if (!abandoned.ok()) {
      std::cerr << "gateway: staged goals revision " << staged->goals().revision() << " of " << staged->goals().name()
                << " left for the recovery: " << abandoned.message() << "\n";
    }
    if (ErrorReason(pinned.status()) != "FILING_SUPERSEDED" || attempt == kAttempts || !abandoned.ok()) {
      return pinned.status();
    }
  }
}

absl::Status Orchestrator::AbandonGoals(const std::string& name, int64_t revision, const CallOptions& call) {
  const ShardConnection* shard = nullptr;
  if (absl::Status routed = RouteName(name, &shard); !routed.ok()) return routed;
  ov1::GoalsRevisionRef abandon;
  abandon.set_name(name);
  abandon.set_revision(revision);
  ov1::AbandonGoalsResponse abandoned;
  auto context = NewContext(call);
  grpc::Status status = shard->goals->AbandonGoals(context.get(), abandon, &abandoned);
  if (!status.ok()) return MapError(*shard, Backend::kGoals, status);
  return absl::OkStatus();
}

absl::StatusOr<ov1::GoalSet> Orchestrator::PutGoals(const ov1::PutGoalsRequest& request, const CallOptions& call) {
  const ShardConnection* shard = nullptr;
  if (absl::Status routed = RouteWriteName(request.goals().name(), &shard); !routed.ok()) return routed;
  if (absl::Status allowed = Allow(call, "PutGoals", request.goals().name()); !allowed.ok()) return allowed;
  if (absl::Status id = CheckRequestId(request.request_id()); !id.ok()) return id;
  if (absl::Status within = WithinLimits(request); !within.ok()) return within;
  absl::StatusOr<BudgetName> name = ParseGoalsName(request.goals().name());
  if (!name.ok()) return name.status();
  ov1::PutGoalsRequest staged = request;
  const std::string request_id = request.request_id().empty() ? RandomHexId() : request.request_id();
  staged.set_request_id(absl::StrCat(request_id, ":goals"));
  ov1::StageGoalsResponse answer;
  absl::StatusOr<lv1::GoalsPin> pinned = StageAndPin(
      staged,
      [&](int64_t goals_revision, const CallOptions& c) -> absl::StatusOr<lv1::GoalsPin> {
        lv1::PinGoalsRequest pin;
        pin.set_budget_name(name->ToString());
        pin.set_goals_revision(goals_revision);
        pin.set_request_id(absl::StrCat(request_id, ":pin"));
        lv1::GoalsPin answer;
        auto context = NewContext(c);
        grpc::Status status = shard->ledger->PinGoals(context.get(), pin, &answer);
        if (!status.ok()) return MapError(*shard, Backend::kLedger, status);
        return answer;
      },
      &answer, call);
  if (!pinned.ok()) return pinned.status();
  return std::move(*answer.mutable_goals());
}

absl::StatusOr<ov1::GoalSet> Orchestrator::GetGoals(const ov1::GetGoalsRequest& request, const CallOptions& call) {
  const ShardConnection* shard = nullptr;
  if (absl::Status routed = RouteName(request.name(), &shard); !routed.ok()) return routed;
  if (absl::Status allowed = Allow(call, "GetGoals", request.name()); !allowed.ok()) return allowed;
  absl::StatusOr<BudgetName> name = ParseGoalsName(request.name());
  if (!name.ok()) return name.status();
  if (request.revision() != 0) {
    auto context = NewContext(call);
    ov1::GoalSet goals;
    grpc::Status status = shard->goals->GetGoals(context.get(), request, &goals);
    if (!status.ok()) return MapError(*shard, Backend::kGoals, status);
    return goals;
  }
  return ReadCurrentGoals(*name, call);
}

absl::StatusOr<ov1::GoalSet> Orchestrator::ReadCurrentGoals(const BudgetName& name, const CallOptions& call) {
  const ShardConnection* shard = nullptr;
  if (absl::Status routed = RouteRegion(name.department.region, &shard); !routed.ok()) return routed;
  lv1::GetGoalsPinRequest pin_request;
  pin_request.set_budget_name(name.ToString());
  ov1::GetGoalsRequest goals_request;
  goals_request.set_name(name.GoalsName());
  lv1::GoalsPin pin;
  ov1::GoalSet goals;
  auto pin_context = NewContext(call);
  auto goals_context = NewContext(call);
  grpc::Status pin_status, goals_status;
  Join join(2);
  shard->ledger->async()->GetGoalsPin(pin_context.get(), &pin_request, &pin, join.Into(&pin_status));
  shard->goals->async()->GetGoals(goals_context.get(), &goals_request, &goals, join.Into(&goals_status));
  join.Wait();
  if (!pin_status.ok()) return MapError(*shard, Backend::kLedger, pin_status);
  absl::Status read = goals_status.ok() ? absl::OkStatus() : MapError(*shard, Backend::kGoals, goals_status);
  ResolvePinnedGoals(name, pin, &goals, &read, call);
  if (!read.ok()) return read;
  return goals;
}

void Orchestrator::ResolvePinnedGoals(const BudgetName& name, const lv1::GoalsPin& pin, ov1::GoalSet* goals,
                                      absl::Status* read, const CallOptions& call) {
  const ShardConnection* shard = nullptr;
  if (absl::Status routed = RouteRegion(name.department.region, &shard); !routed.ok()) {
    *read = routed;
    return;
  }
  // No pin: goals stored before pins existed, read as they are.
  if (pin.goals_revision() == 0) return;
  if (read->ok() && goals->revision() == pin.goals_revision()) return;
  // Between a filing's commit and its promotion, or goals never promoted
  // since: the pinned revision is the filing's.
  ov1::GoalsRevisionRef ref;
  ref.set_name(name.GoalsName());
  ref.set_revision(pin.goals_revision());
  auto context = NewContext(call);
  goals->Clear();
  grpc::Status status = shard->goals->GetGoalsRevision(context.get(), ref, goals);
  *read = status.ok() ? absl::OkStatus() : MapError(*shard, Backend::kGoals, status);
}

absl::StatusOr<ValidationReport> Orchestrator::ValidateFiling(const gv1::ValidateFilingRequest& request,
                                                              const CallOptions& call) {
  gv1::Filing filing = request.filing();
  std::vector<Finding> name_findings = FillFilingNames(filing);
  if (absl::Status allowed = AllowFiling(call, "ValidateFiling", filing); !allowed.ok()) return allowed;
  if (absl::Status within = WithinLimits(filing); !within.ok()) return within;
  return Validate(filing, std::move(name_findings), call);
}

absl::StatusOr<ValidationReport> Orchestrator::ValidateBudget(const gv1::ValidateStoredBudgetRequest& request,
                                                              const CallOptions& call) {
  if (absl::Status allowed = Allow(call, "ValidateBudget", request.name()); !allowed.ok()) return allowed;
  absl::StatusOr<BudgetName> name = ParseBudgetName(request.name());
  if (!name.ok()) return name.status();
  absl::StatusOr<StoredValidation> validated = ValidateStored(*name, call, /*record=*/true);
  if (!validated.ok()) return validated.status();
  return std::move(validated->report);
}

absl::StatusOr<Orchestrator::StoredValidation> Orchestrator::ValidateStored(const BudgetName& name,
                                                                            const CallOptions& call, bool record) {
  const ShardConnection* shard = nullptr;
  if (absl::Status routed = RouteRegion(name.department.region, &shard); !routed.ok()) return routed;
  lv1::GetDepartmentRequest department_request;
  department_request.set_name(name.department.ToString());
  lv1::GetBudgetRequest budget_request;
  budget_request.set_name(name.ToString());
  ov1::GetGoalsRequest goals_request;
  goals_request.set_name(name.GoalsName());

  lv1::GetGoalsPinRequest pin_request;
  pin_request.set_budget_name(name.ToString());

  gv1::Filing filing;
  lv1::GoalsPin pin;
  auto department_context = NewContext(call);
  auto budget_context = NewContext(call);
  auto goals_context = NewContext(call);
  auto pin_context = NewContext(call);
  grpc::Status department_status, budget_status, goals_status, pin_status;
  Join join(4);
  shard->ledger->async()->GetDepartment(department_context.get(), &department_request, filing.mutable_department(),
                                        join.Into(&department_status));
  shard->ledger->async()->GetBudget(budget_context.get(), &budget_request, filing.mutable_budget(),
                                    join.Into(&budget_status));
  shard->goals->async()->GetGoals(goals_context.get(), &goals_request, filing.mutable_goals(),
                                  join.Into(&goals_status));
  shard->ledger->async()->GetGoalsPin(pin_context.get(), &pin_request, &pin, join.Into(&pin_status));
  join.Wait();
  if (!budget_status.ok()) return MapError(*shard, Backend::kLedger, budget_status);
  if (!department_status.ok()) return MapError(*shard, Backend::kLedger, department_status);
  if (!pin_status.ok()) return MapError(*shard, Backend::kLedger, pin_status);
  absl::Status goals_read = goals_status.ok() ? absl::OkStatus() : MapError(*shard, Backend::kGoals, goals_status);
  ResolvePinnedGoals(name, pin, filing.mutable_goals(), &goals_read, call);

  StoredValidation out;
  out.budget_revision = filing.budget().revision();
  if (absl::IsNotFound(goals_read)) {
    // Validating an empty goal set would bury this one fact under a finding
    // per missing field; say it once and validate the ledger side alone.
    Finding f = NewFinding(GatewayRules(), "X-GOALS-MISSING");
    f.set_field("goals");
    f.set_message_zh(absl::StrCat("预算 ", name.ToString(), " 尚无绩效目标（表9、表10）"));
    f.set_message_en(absl::StrCat("budget ", name.ToString(), " has no performance goals (表9, 表10) stored"));
    lv1::ValidateBudgetRequest ledger_request;
    if (record) {
      ledger_request.set_name(name.ToString());
    } else {
      *ledger_request.mutable_department() = filing.department();
      *ledger_request.mutable_budget() = filing.budget();
    }
    ValidationReport ledger_report;
    auto context = NewContext(call);
    grpc::Status status = shard->ledger->ValidateBudget(context.get(), ledger_request, &ledger_report);
    if (!status.ok()) return MapError(*shard, Backend::kLedger, status);
    *out.report.add_findings() = std::move(f);
    Append(&out.report, ledger_report);
    Tally(out.report);
    out.report.set_rule_set_version(ledger_report.rule_set_version());
    return out;
  }
  if (!goals_read.ok()) return goals_read;
  out.goals_found = true;
  out.goals_revision = filing.goals().revision();
  absl::StatusOr<ValidationReport> report = Validate(filing, {}, call, record);
  if (!report.ok()) return report.status();
  out.report = std::move(*report);
  return out;
}

absl::StatusOr<lv1::BudgetVersion> Orchestrator::TransitionBudget(const lv1::TransitionBudgetRequest& request,
                                                                  const CallOptions& call) {
  const ShardConnection* shard = nullptr;
  if (absl::Status routed = RouteWriteName(request.name(), &shard); !routed.ok()) return routed;
  absl::StatusOr<BudgetName> name = ParseBudgetName(request.name());
  if (!name.ok()) return name.status();
  if (request.action() == lv1::WORKFLOW_ACTION_UNSPECIFIED || !lv1::WorkflowAction_IsValid(request.action())) {
    return absl::InvalidArgumentError(
        "action 应为 SUBMIT、APPROVE、RETURN 或 PUBLISH / action must be SUBMIT, APPROVE, "
        "RETURN or PUBLISH");
  }
  // One row of the matrix per action: submitting and approving are
  // different duties. "WORKFLOW_ACTION_PUBLISH" → "TransitionBudget:PUBLISH".
  const std::string action = lv1::WorkflowAction_Name(request.action()).substr(sizeof("WORKFLOW_ACTION_") - 1);
  if (absl::Status allowed = Allow(call, auth::kTransitionBudgetMethodPrefix + action, request.name()); !allowed.ok()) {
    return allowed;
  }
  if (absl::Status id = CheckRequestId(request.request_id()); !id.ok()) return id;
  // The comment is kept in the history and shown to reviewers: a text like
  // any other (V-LIMIT).
  if (absl::Status within = WithinLimits(request); !within.ok()) return within;

  lv1::TransitionBudgetRequest step = request;
  // The goals revision says what was validated; only this gateway knows it.
  step.set_goals_revision(0);
  // Set by the publication (below), never by a client.
  step.clear_publish_version();
  step.clear_publish_time_unix_ms();
  if (request.action() == lv1::WORKFLOW_ACTION_SUBMIT) {
    absl::StatusOr<StoredValidation> validated = ValidateStored(*name, call, /*record=*/false);
    if (!validated.ok()) return validated.status();
    if (!validated->goals_found) {
      absl::Status refusal = absl::FailedPreconditionError(
          absl::StrCat("预算 ", name->ToString(), " 尚无绩效目标，先提交绩效目标 / budget ", name->ToString(),
                       " has no performance goals: file the performance goals first"));
      AttachDetail(refusal, validated->report);
      return WithReason(std::move(refusal), "GOALS_MISSING");
    }
    if (validated->report.fatal_count() > 0) {
      return RejectedByRules(validated->report, "预算", "the budget");
    }
    step.set_goals_revision(validated->goals_revision);
    // Submit what was validated: a budget replaced meanwhile makes the
    // ledger refuse rather than record an unvalidated revision as submitted.
    if (step.expected_revision() == 0) step.set_expected_revision(validated->budget_revision);
  }

  if (request.action() == lv1::WORKFLOW_ACTION_PUBLISH) return Publish(*name, std::move(step), call);

  auto context = NewContext(call);
  lv1::BudgetVersion version;
  grpc::Status status = shard->ledger->TransitionBudget(context.get(), step, &version);
  if (!status.ok()) return MapError(*shard, Backend::kLedger, status);
  return version;
}

// Publication is render → archive → mark → confirm, so that the ledger never
// calls a budget published whose files do not exist, and nobody reads files
// as published before the ledger does (README § Publishing):
//   1. render every format and archive them staged in the report service
//      (invisible), with the ledger step this call will take as its intent;
//   2. mark: the ledger's PUBLISH step, under the version number the files
//      were archived as and with their publish time;
//   3. confirm: the report service makes the staged files public.
// A render that fails stops at 1 with nothing stored: the budget stays
// APPROVED. A crash after 1 leaves an invisible archive that the same
// request id, another publish, or the recovery at start completes; a crash
// after 2 leaves a published budget whose files the same request id or the
// recovery make public.
absl::StatusOr<lv1::BudgetVersion> Orchestrator::Publish(const BudgetName& name, lv1::TransitionBudgetRequest step,
                                                         const CallOptions& call) {
  const ShardConnection* shard = nullptr;
  if (absl::Status routed = RouteRegion(name.department.region, &shard); !routed.ok()) return routed;
  // One request id for the archive's intent and the mark: the recovery and
  // this call then take one step, whichever comes first.
  if (step.request_id().empty()) step.set_request_id(RandomHexId());
  // Derived here; a client's values are not ours to trust.
  step.clear_publish_version();
  step.clear_publish_time_unix_ms();
  absl::StatusOr<std::vector<lv1::BudgetVersion>> versions = ListAllVersions(name, call);
  if (!versions.ok()) return versions.status();

  if (versions->empty() || versions->back().to_status() != lv1::FILING_STATUS_APPROVED) {
    // Nothing to publish now; the ledger answers: the first answer again to
    // a retried request id (whose files are then made public), or a refusal
    // naming the state.
    auto context = NewContext(call);
    lv1::BudgetVersion version;
    grpc::Status status = shard->ledger->TransitionBudget(context.get(), step, &version);
    if (status.ok()) {
      if (absl::Status finished = FinishPublication(name, version, call); !finished.ok()) {
        return WithMessagePrefix(finished,
                                 absl::StrCat("预算已公开，但公开文件尚不可读；用相同 request_id \"", step.request_id(),
                                              "\" 重试即可完成 / the budget is published but its files "
                                              "are not readable yet; retry with request_id \"",
                                              step.request_id(), "\" to finish: "));
      }
      return version;
    }
    if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
      // Already published, perhaps by a call that died before its files
      // were public: the publication stays one, and its files are public now.
      for (auto it = versions->rbegin(); it != versions->rend(); ++it) {
        if (it->action() != lv1::WORKFLOW_ACTION_PUBLISH) continue;
        if (absl::Status finished = FinishPublication(name, *it, call); !finished.ok()) {
          std::cerr << "gateway: files of " << it->name() << " not made public: " << finished.message() << "\n";
        }
        break;
      }
    }
    return MapError(*shard, Backend::kLedger, status);
  }

  const lv1::BudgetVersion& approved = versions->back();
  if (step.expected_revision() != 0 && step.expected_revision() != approved.ledger_revision()) {
    // The ledger would refuse the mark; refuse before rendering anything.
    return absl::FailedPreconditionError(absl::StrCat("预算已不是您审阅的修订版 / the budget is at revision ",
                                                      approved.ledger_revision(), ", not the revision ",
                                                      step.expected_revision(), " you reviewed"));
  }
  const int64_t number = approved.version() + 1;
  // The goals the approved submission was validated with: what is published,
  // and what the version records.
  int64_t goals_revision = 0;
  for (auto it = versions->rbegin(); it != versions->rend(); ++it) {
    if (it->action() == lv1::WORKFLOW_ACTION_SUBMIT) {
      goals_revision = it->goals_revision();
      break;
    }
  }
  step.set_goals_revision(goals_revision);
  step.set_publish_version(number);
  const std::string retry_hint =
      absl::StrCat("用相同 request_id \"", step.request_id(), "\" 重试即可完成 / retry with request_id \"",
                   step.request_id(), "\" to finish: ");

  // 1. Render and archive, invisible. An archive already staged for this
  // version (a call that died after archiving, or another publisher now) is
  // this publication's: its files and publish time are taken as they are.
  // Until the mark, nothing is published: every refusal says so, and one
  // from a backend that did not answer says to retry.
  auto not_published = [&](const absl::Status& refused) {
    const bool unavailable =
        refused.code() == absl::StatusCode::kUnavailable || refused.code() == absl::StatusCode::kDeadlineExceeded;
    return WithMessagePrefix(refused, absl::StrCat("公开未完成，预算仍为“已审核” / not published: the budget is still "
                                                   "approved: ",
                                                   unavailable ? retry_hint : ""));
  };
  absl::StatusOr<std::optional<rv1::StagedPublication>> staged = FindStaged(name, number, call);
  if (!staged.ok()) return not_published(staged.status());
  if (staged->has_value() &&
      ((*staged)->ledger_revision() != approved.ledger_revision() || (*staged)->goals_revision() != goals_revision)) {
    // Rendered from revisions this version is not of (an APPROVED budget
    // cannot change, so only after a restore from backup): never public.
    if (absl::Status dropped = AbandonStaged(name, number, call); !dropped.ok()) return not_published(dropped);
    staged->reset();
  }
  if (!staged->has_value()) {
    const int64_t now_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    step.set_publish_time_unix_ms(now_ms);
    rv1::PublishRequest publish;
    publish.set_budget_name(name.ToString());
    publish.set_version(number);
    absl::StatusOr<rv1::ReportInput> input =
        PublishInput(name, approved.ledger_revision(), goals_revision, now_ms, call);
    if (!input.ok()) return not_published(input.status());
    *publish.mutable_input() = *std::move(input);
    publish.set_intent(step.SerializeAsString());
    rv1::PublishedDisclosure archived;
    auto context = NewContext(call);
    grpc::Status status = shard->report->StagePublication(context.get(), publish, &archived);
    if (!status.ok()) {
      absl::Status refused = MapError(*shard, Backend::kReport, status);
      if (ErrorReason(refused) != "ALREADY_STAGED") return not_published(refused);
      // Another publisher archived it a moment ago: theirs is this one's.
      staged = FindStaged(name, number, call);
      if (!staged.ok()) return not_published(staged.status());
      if (!staged->has_value()) return not_published(refused);
    }
  }
  if (staged->has_value()) step.set_publish_time_unix_ms((*staged)->disclosure().publish_time_unix_ms());
  CrashAt(CrashPoint::kAfterArchive);

  // 2. Mark.
  lv1::BudgetVersion version;
  {
    auto context = NewContext(call);
    grpc::Status status = shard->ledger->TransitionBudget(context.get(), step, &version);
    if (!status.ok()) {
      absl::Status refused = MapError(*shard, Backend::kLedger, status);
      switch (refused.code()) {
        case absl::StatusCode::kUnavailable:
        case absl::StatusCode::kDeadlineExceeded:
        case absl::StatusCode::kAborted:
        case absl::StatusCode::kCancelled:
        case absl::StatusCode::kResourceExhausted:
        case absl::StatusCode::kInternal:
        case absl::StatusCode::kUnknown:
          // The archive stays staged: a retry, or the recovery, marks it.
          return WithMessagePrefix(refused, absl::StrCat("公开文件已归档，但预算尚未标记为公开；", retry_hint));
        default:
          break;
      }
      // Refused for good: published meanwhile by another caller (whose
      // files these are), or this request cannot be taken (its request id
      // was used for another). Files of a publication that will not happen
      // are not kept.
      absl::StatusOr<std::vector<lv1::BudgetVersion>> now = ListAllVersions(name, call);
      if (now.ok()) {
        const lv1::BudgetVersion* marked = nullptr;
        for (const lv1::BudgetVersion& v : *now) {
          if (v.version() == number && v.action() == lv1::WORKFLOW_ACTION_PUBLISH) marked = &v;
        }
        absl::Status cleaned = marked != nullptr                                ? FinishPublication(name, *marked, call)
                               : now->empty() || now->back().version() < number ? AbandonStaged(name, number, call)
                                                                                : absl::OkStatus();
        if (!cleaned.ok())
          std::cerr << "gateway: archive of " << name.ToString() << " version " << number
                    << " left for the recovery: " << cleaned.message() << "\n";
      }
      return refused;
    }
  }
  CrashAt(CrashPoint::kAfterMark);

  // 3. Confirm.
  if (absl::Status finished = FinishPublication(name, version, call); !finished.ok()) {
    return WithMessagePrefix(finished, absl::StrCat("预算已公开，公开文件已归档但尚不可读；", retry_hint));
  }
  return version;
}

void Orchestrator::CrashAt(CrashPoint point) const {
  if (crash_point_ != point) return;
  std::cerr << "gateway: crash point reached: ending the process here, as a crash would\n";
  std::_Exit(86);
}

absl::StatusOr<Orchestrator::FilingRecovery> Orchestrator::RecoverFilings(std::chrono::milliseconds lease,
                                                                          const CallOptions& call) {
  // Every shard, each on its own: one that does not answer leaves its
  // filings for the next run and the others are recovered all the same.
  FilingRecovery total;
  absl::Status first_error = absl::OkStatus();
  for (const ShardConnection* shard : router_->Current()->all()) {
    absl::StatusOr<FilingRecovery> done = RecoverFilingsOn(shard, lease, call);
    if (!done.ok()) {
      if (first_error.ok()) first_error = done.status();
      continue;
    }
    total.promoted += done->promoted;
    total.abandoned += done->abandoned;
    total.left += done->left;
  }
  if (!first_error.ok()) return first_error;
  return total;
}

absl::StatusOr<Orchestrator::FilingRecovery> Orchestrator::RecoverFilingsOn(const ShardConnection* shard,
                                                                            std::chrono::milliseconds lease,
                                                                            const CallOptions& call) {
  ov1::ListStagedGoalsRequest list;
  list.set_staged_before_unix_ms(absl::ToUnixMillis(absl::Now()) - lease.count());
  list.set_page_size(kListPageSizes.max_size);
  FilingRecovery recovery;
  std::string page_token;
  do {
    list.set_page_token(page_token);
    ov1::ListStagedGoalsResponse page;
    {
      auto context = NewContext(call);
      grpc::Status status = shard->goals->ListStagedGoals(context.get(), list, &page);
      if (!status.ok()) return MapError(*shard, Backend::kGoals, status);
    }
    for (const ov1::StagedGoals& staged : page.staged()) {
      absl::StatusOr<BudgetName> name = ParseGoalsName(staged.name());
      if (!name.ok()) {
        ++recovery.left;
        continue;
      }
      lv1::GetGoalsPinRequest pin_request;
      pin_request.set_budget_name(name->ToString());
      pin_request.set_revision(staged.revision());
      lv1::GoalsPin pin;
      auto context = NewContext(call);
      grpc::Status status = shard->ledger->GetGoalsPin(context.get(), pin_request, &pin);
      if (!status.ok()) {
        ++recovery.left;
        continue;
      }
      if (pin.revision_pinned()) {
        ov1::GoalsRevisionRef promote;
        promote.set_name(staged.name());
        promote.set_revision(staged.revision());
        ov1::GoalSet promoted;
        auto promote_context = NewContext(call);
        grpc::Status promoted_status = shard->goals->PromoteGoals(promote_context.get(), promote, &promoted);
        ++(promoted_status.ok() ? recovery.promoted : recovery.left);
      } else {
        ++(AbandonGoals(staged.name(), staged.revision(), call).ok() ? recovery.abandoned : recovery.left);
      }
    }
    page_token = page.next_page_token();
  } while (!page_token.empty());
  return recovery;
}

absl::StatusOr<std::vector<lv1::BudgetVersion>> Orchestrator::ListAllVersions(const BudgetName& name,
                                                                              const CallOptions& call) {
  const ShardConnection* shard = nullptr;
  if (absl::Status routed = RouteRegion(name.department.region, &shard); !routed.ok()) return routed;
  lv1::ListBudgetVersionsRequest list;
  list.set_name(name.ToString());
  list.set_page_size(1000);
  std::vector<lv1::BudgetVersion> out;
  do {
    lv1::ListBudgetVersionsResponse page;
    auto context = NewContext(call);
    grpc::Status status = shard->ledger->ListBudgetVersions(context.get(), list, &page);
    if (!status.ok()) return MapError(*shard, Backend::kLedger, status);
    for (lv1::BudgetVersion& version : *page.mutable_versions()) out.push_back(std::move(version));
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  return out;
}

absl::StatusOr<std::optional<rv1::StagedPublication>> Orchestrator::FindStaged(const BudgetName& name, int64_t version,
                                                                               const CallOptions& call) {
  const ShardConnection* shard = nullptr;
  if (absl::Status routed = RouteRegion(name.department.region, &shard); !routed.ok()) return routed;
  rv1::ListStagedPublicationsRequest list;
  list.set_budget_name(name.ToString());
  do {
    rv1::ListStagedPublicationsResponse page;
    auto context = NewContext(call);
    grpc::Status status = shard->report->ListStagedPublications(context.get(), list, &page);
    if (!status.ok()) return MapError(*shard, Backend::kReport, status);
    for (rv1::StagedPublication& staged : *page.mutable_staged()) {
      if (staged.disclosure().version() == version) return std::optional<rv1::StagedPublication>(std::move(staged));
    }
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  return std::optional<rv1::StagedPublication>();
}

absl::Status Orchestrator::AbandonStaged(const BudgetName& name, int64_t version, const CallOptions& call) {
  const ShardConnection* shard = nullptr;
  if (absl::Status routed = RouteRegion(name.department.region, &shard); !routed.ok()) return routed;
  rv1::AbandonPublicationRequest abandon;
  abandon.set_budget_name(name.ToString());
  abandon.set_version(version);
  rv1::AbandonPublicationResponse abandoned;
  auto context = NewContext(call);
  grpc::Status status = shard->report->AbandonPublication(context.get(), abandon, &abandoned);
  if (!status.ok()) return MapError(*shard, Backend::kReport, status);
  return absl::OkStatus();
}

absl::Status Orchestrator::FinishPublication(const BudgetName& name, const lv1::BudgetVersion& version,
                                             const CallOptions& call) {
  const ShardConnection* shard = nullptr;
  if (absl::Status routed = RouteRegion(name.department.region, &shard); !routed.ok()) return routed;
  rv1::ConfirmPublicationRequest confirm;
  confirm.set_budget_name(name.ToString());
  confirm.set_version(version.version());
  rv1::PublishedDisclosure confirmed;
  {
    auto context = NewContext(call);
    grpc::Status status = shard->report->ConfirmPublication(context.get(), confirm, &confirmed);
    if (status.ok()) return absl::OkStatus();
    if (status.error_code() != grpc::StatusCode::NOT_FOUND) return MapError(*shard, Backend::kReport, status);
  }
  std::cerr << "gateway: archiving " << version.name() << ", published without its files\n";
  rv1::PublishRequest publish;
  publish.set_budget_name(name.ToString());
  publish.set_version(version.version());
  absl::StatusOr<rv1::ReportInput> input =
      PublishInput(name, version.ledger_revision(), version.goals_revision(), version.time_unix_ms(), call);
  if (!input.ok()) return input.status();
  *publish.mutable_input() = *std::move(input);
  rv1::PublishedDisclosure archived;
  {
    auto context = NewContext(call);
    grpc::Status status = shard->report->StagePublication(context.get(), publish, &archived);
    if (!status.ok()) return MapError(*shard, Backend::kReport, status);
  }
  auto context = NewContext(call);
  grpc::Status status = shard->report->ConfirmPublication(context.get(), confirm, &confirmed);
  if (!status.ok()) return MapError(*shard, Backend::kReport, status);
  return absl::OkStatus();
}

absl::StatusOr<Orchestrator::Recovery> Orchestrator::RecoverPublications(const CallOptions& call) {
  Recovery total;
  absl::Status first_error = absl::OkStatus();
  for (const ShardConnection* shard : router_->Current()->all()) {
    absl::StatusOr<Recovery> done = RecoverPublicationsOn(shard, call);
    if (!done.ok()) {
      if (first_error.ok()) first_error = done.status();
      continue;
    }
    total.confirmed += done->confirmed;
    total.marked += done->marked;
    total.abandoned += done->abandoned;
    total.left += done->left;
  }
  if (!first_error.ok()) return first_error;
  return total;
}

absl::StatusOr<Orchestrator::Recovery> Orchestrator::RecoverPublicationsOn(const ShardConnection* shard,
                                                                           const CallOptions& call) {
  std::vector<rv1::StagedPublication> staged;
  rv1::ListStagedPublicationsRequest list;
  list.set_page_size(500);
  do {
    rv1::ListStagedPublicationsResponse page;
    auto context = NewContext(call);
    grpc::Status status = shard->report->ListStagedPublications(context.get(), list, &page);
    if (!status.ok()) return MapError(*shard, Backend::kReport, status);
    for (rv1::StagedPublication& entry : *page.mutable_staged()) staged.push_back(std::move(entry));
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());

  Recovery recovery;
  for (const rv1::StagedPublication& entry : staged) {
    const rv1::PublishedDisclosure& disclosure = entry.disclosure();
    const std::string what = absl::StrCat(disclosure.budget_name(), " version ", disclosure.version());
    absl::StatusOr<BudgetName> name = ParseBudgetName(disclosure.budget_name());
    if (!name.ok()) {
      ++recovery.left;
      continue;
    }
    auto abandon = [&](const std::string& why) {
      std::cerr << "gateway: recovery: dropping the unpublished archive of " << what << ": " << why << "\n";
      if (AbandonStaged(*name, disclosure.version(), call).ok()) {
        ++recovery.abandoned;
      } else {
        ++recovery.left;
      }
    };
    absl::StatusOr<std::vector<lv1::BudgetVersion>> versions = ListAllVersions(*name, call);
    if (!versions.ok()) {
      ++recovery.left;
      continue;
    }
    const lv1::BudgetVersion* same = nullptr;
    for (const lv1::BudgetVersion& v : *versions) {
      if (v.version() == disclosure.version()) same = &v;
    }
    if (same != nullptr) {
      // Marked (a crash between the mark and the confirmation), or the
      // number went to another step (only after a restore from backup).
      if (same->action() != lv1::WORKFLOW_ACTION_PUBLISH) {
        abandon("the ledger's version of that number is not a publication");
      } else if (FinishPublication(*name, *same, call).ok()) {
        std::cerr << "gateway: recovery: " << what << " was published; its files are public now\n";
        ++recovery.confirmed;
      } else {
        ++recovery.left;
      }
      continue;
    }
    if (versions->empty() || versions->back().version() + 1 != disclosure.version() ||
        versions->back().to_status() != lv1::FILING_STATUS_APPROVED) {
      abandon("the budget is no longer approved at the version before it");
      continue;
    }
    // Archived, not marked (a crash between the two): the publisher asked
    // for it, so it is completed as they asked — their request id, so that
    // their retry gets this answer.
    lv1::TransitionBudgetRequest step;
    if (!step.ParseFromString(entry.intent()) || step.action() != lv1::WORKFLOW_ACTION_PUBLISH ||
        step.name() != disclosure.budget_name()) {
      abandon("it holds no publish step to complete");
      continue;
    }
    step.set_publish_version(disclosure.version());
    step.set_publish_time_unix_ms(disclosure.publish_time_unix_ms());
    lv1::BudgetVersion version;
    auto context = NewContext(call);
    grpc::Status status = shard->ledger->TransitionBudget(context.get(), step, &version);
    if (!status.ok()) {
      if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION ||
          status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
        abandon(absl::StrCat("the ledger refused its publish step: ", status.error_message()));
      } else {
        ++recovery.left;
      }
      continue;
    }
    if (FinishPublication(*name, version, call).ok()) {
      std::cerr << "gateway: recovery: " << what << " published (request id " << step.request_id() << ")\n";
      ++recovery.marked;
    } else {
      ++recovery.left;
    }
  }
  return recovery;
}

absl::StatusOr<rv1::ReportInput> Orchestrator::FilingAt(const BudgetName& name, int64_t ledger_revision,
                                                        int64_t goals_revision, const CallOptions& call) {
  const ShardConnection* shard = nullptr;
  if (absl::Status routed = RouteRegion(name.department.region, &shard); !routed.ok()) return routed;
  lv1::GetDepartmentRequest department_request;
  department_request.set_name(name.department.ToString());
  lv1::GetBudgetRequest budget_request;
  budget_request.set_name(name.ToString());
  budget_request.set_revision(ledger_revision);
  // The revision SUBMIT recorded: pinned, so the filing's, even if the
  // goals service has not promoted it yet.
  ov1::GoalsRevisionRef goals_request;
  goals_request.set_name(name.GoalsName());
  goals_request.set_revision(goals_revision);

  rv1::ReportInput input;
  auto department_context = NewContext(call);
  auto budget_context = NewContext(call);
  auto goals_context = NewContext(call);
  grpc::Status department_status, budget_status, goals_status;
  Join join(3);
  shard->ledger->async()->GetDepartment(department_context.get(), &department_request, input.mutable_department(),
                                        join.Into(&department_status));
  shard->ledger->async()->GetBudget(budget_context.get(), &budget_request, input.mutable_budget(),
                                    join.Into(&budget_status));
  shard->goals->async()->GetGoalsRevision(goals_context.get(), &goals_request, input.mutable_goals(),
                                          join.Into(&goals_status));
  join.Wait();
  if (!department_status.ok()) return MapError(*shard, Backend::kLedger, department_status);
  if (!budget_status.ok()) return MapError(*shard, Backend::kLedger, budget_status);
  if (!goals_status.ok()) return MapError(*shard, Backend::kGoals, goals_status);
  return input;
}

absl::StatusOr<rv1::ReportInput> Orchestrator::PublishInput(const BudgetName& name, int64_t ledger_revision,
                                                            int64_t goals_revision, int64_t publish_time_unix_ms,
                                                            const CallOptions& call) {
  const ShardConnection* shard = nullptr;
  if (absl::Status routed = RouteRegion(name.department.region, &shard); !routed.ok()) return routed;
  absl::StatusOr<rv1::ReportInput> filed = FilingAt(name, ledger_revision, goals_revision, call);
  if (!filed.ok()) return filed.status();
  rv1::ReportInput input = *std::move(filed);
  input.set_publish_time_unix_ms(publish_time_unix_ms);

  // The tables of that revision, not of whatever is current now, with the
  // lines behind every cell for the open data.
  lv1::ComputeTablesRequest tables_request;
  *tables_request.mutable_budget() = input.budget();
  tables_request.set_with_sources(true);
  auto context = NewContext(call);
  grpc::Status status = shard->ledger->ComputeTables(context.get(), tables_request, input.mutable_tables());
  if (!status.ok()) return MapError(*shard, Backend::kLedger, status);
  return input;
}

absl::StatusOr<rv1::PublishedDisclosure> Orchestrator::GetPublished(const rv1::GetPublishedRequest& request,
                                                                    const CallOptions& call) {
  return AwaitDone<rv1::PublishedDisclosure>(
      [&](Done<rv1::PublishedDisclosure> done) { GetPublishedAsync(request, call, std::move(done)); });
}

absl::Status Orchestrator::AdmitGetPublished(const rv1::GetPublishedRequest& request, const CallOptions& call) const {
  if (absl::Status allowed = Allow(call, "GetPublished", request.budget_name()); !allowed.ok()) return allowed;
  return ParseBudgetName(request.budget_name()).status();
}

void Orchestrator::GetPublishedBytes(const rv1::GetPublishedRequest& request, const grpc::ByteBuffer& wire,
                                     const CallOptions& call, Done<grpc::ByteBuffer> done) {
  if (absl::Status admitted = AdmitGetPublished(request, call); !admitted.ok()) return done(admitted);
  const ShardConnection* shard = nullptr;
  if (absl::Status routed = RouteName(request.budget_name(), &shard); !routed.ok()) return done(routed);
  ForwardBytes(shard, Backend::kReport, "/yusuan.report.v1.ReportService/GetPublished", wire, call, std::move(done));
}

void Orchestrator::GetPublishedAsync(rv1::GetPublishedRequest request, const CallOptions& call,
                                     Done<rv1::PublishedDisclosure> done) {
  if (absl::Status admitted = AdmitGetPublished(request, call); !admitted.ok()) return done(admitted);
  const ShardConnection* shard = nullptr;
  if (absl::Status routed = RouteName(request.budget_name(), &shard); !routed.ok()) return done(routed);
  Forward(shard, Backend::kReport, std::move(request), call, std::move(done),
          [shard](auto... args) { shard->report->async()->GetPublished(args...); });
}

absl::StatusOr<rv1::VerifyArtifactResponse> Orchestrator::VerifyArtifact(const rv1::VerifyArtifactRequest& request,
                                                                         const CallOptions& call) {
  if (absl::Status allowed = Allow(call, "VerifyArtifact", ""); !allowed.ok()) return allowed;
  // The bytes name no region: the shard that published them is the one
  // that knows them, so each is asked until one does.
  std::optional<rv1::VerifyArtifactResponse> unknown;
  for (const ShardConnection* shard : router_->Current()->all()) {
    auto context = NewContext(call);
    rv1::VerifyArtifactResponse response;
    grpc::Status status = shard->report->VerifyArtifact(context.get(), request, &response);
    if (!status.ok()) return MapError(*shard, Backend::kReport, status);
    if (response.official()) return response;
    if (!unknown.has_value()) unknown = std::move(response);
  }
  return *std::move(unknown);
}

absl::StatusOr<lv1::Rollup> Orchestrator::GetRollup(const lv1::GetRollupRequest& request, const CallOptions& call) {
  return ReadRollup("GetRollup", request, call);
}

absl::StatusOr<lv1::Rollup> Orchestrator::ReadRollup(std::string_view method, const lv1::GetRollupRequest& request,
                                                     const CallOptions& call) {
  // A caller who may not call the method is refused before the name is
  // looked at, as for every method; the resource is the region.
  if (absl::Status may = MayCall(call, method); !may.ok()) return may;
  absl::StatusOr<RollupName> name = ParseRollupName(request.name());
  if (!name.ok()) return name.status();
  if (absl::Status allowed = Allow(call, method, name->RegionResource()); !allowed.ok()) return allowed;
  // Each shard covering the prefix sums its own departments, and takes
  // away its sums under the prefixes the map gives another shard: a shard
  // may keep a copy of regions moved away (deploy/README.md § Moving a
  // region), which must not count twice.
  std::shared_ptr<const ShardRouting> routing = router_->Current();
  const std::vector<RollupTerm> terms = routing->map().RollupTerms(name->region);
  if (terms.empty()) return routing->Covering(name->region).status();
  std::vector<lv1::GetRollupRequest> asked(terms.size(), request);
  std::vector<const ShardConnection*> shards;
  std::vector<int> signs;
  for (size_t i = 0; i < terms.size(); ++i) {
    asked[i].set_name(RollupName{terms[i].region, name->year}.ToString());
    shards.push_back(routing->Connection(*terms[i].shard));
    signs.push_back(terms[i].sign);
  }
  std::vector<lv1::Rollup> parts(terms.size());
  std::vector<grpc::Status> statuses(terms.size());
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  Join join(static_cast<int>(terms.size()));
  for (size_t i = 0; i < terms.size(); ++i) {
    contexts.push_back(NewContext(call));
    shards[i]->ledger->async()->GetRollup(contexts.back().get(), &asked[i], &parts[i], join.Into(&statuses[i]));
  }
  join.Wait();
  for (size_t i = 0; i < terms.size(); ++i) {
    if (!statuses[i].ok()) return MapError(*shards[i], Backend::kLedger, statuses[i]);
  }
  if (parts.size() == 1 && signs[0] > 0) return std::move(parts[0]);
  for (lv1::Rollup& part : parts) {
    part.set_name(name->ToString());
    part.set_region_prefix(name->region);
  }
  return MergeRollups(parts, signs);
}

absl::StatusOr<rv1::Artifact> Orchestrator::RenderRollup(const gv1::RenderRollupRequest& request,
                                                         const CallOptions& call) {
  lv1::GetRollupRequest get;
  get.set_name(request.name());
  *get.mutable_statuses() = request.statuses();
  absl::StatusOr<lv1::Rollup> rollup = ReadRollup("RenderRollup", get, call);
  if (!rollup.ok()) return rollup.status();
  rv1::RenderRollupRequest render;
  *render.mutable_rollup() = *std::move(rollup);
  render.set_format(request.format());
  // Rendering reads nothing stored: the region's report service, or any.
  const ShardConnection* shard = &StatelessShard(render.rollup().region_prefix());
  auto context = NewContext(call);
  rv1::Artifact artifact;
  grpc::Status status = shard->report->RenderRollup(context.get(), render, &artifact);
  if (!status.ok()) return MapError(*shard, Backend::kReport, status);
  return artifact;
}

absl::StatusOr<rv1::Artifact> Orchestrator::RenderReport(const gv1::RenderReportRequest& request,
                                                         const CallOptions& call,
                                                         std::optional<RenderLookup> looked_up) {
  if (absl::Status allowed = Allow(call, "RenderReport", request.name()); !allowed.ok()) return allowed;
  return RenderCurrent(request, call, std::move(looked_up));
}

absl::StatusOr<BudgetName> Orchestrator::ParseRenderRequest(const gv1::RenderReportRequest& request) {
  absl::StatusOr<BudgetName> name = ParseBudgetName(request.name());
  if (!name.ok()) return name.status();
  // Up to the last millisecond of year 9999, as the PDF's date can say.
  constexpr int64_t kLastPublishTimeMs = 253'402'300'799'999;
  if (request.publish_time_unix_ms() < 0 || request.publish_time_unix_ms() > kLastPublishTimeMs) {
    return InvalidField("publish_time_unix_ms",
                        absl::StrCat("publish_time_unix_ms 应为 0（预览）或 1970–9999 年间的毫秒时间，实为 ",
                                     request.publish_time_unix_ms()),
                        absl::StrCat("publish_time_unix_ms must be 0 (a preview) or a time in milliseconds between "
                                     "1970 and 9999; it is ",
                                     request.publish_time_unix_ms()));
  }
  return name;
}

rv1::Format Orchestrator::FormatOf(const gv1::RenderReportRequest& request) {
  return request.format() == rv1::FORMAT_UNSPECIFIED ? rv1::FORMAT_HTML : request.format();
}

void Orchestrator::CachedRenderBytes(const gv1::RenderReportRequest& request, const CallOptions& call,
                                     Done<RenderLookup> done) {
  if (absl::Status allowed = Allow(call, "RenderReport", request.name()); !allowed.ok()) return done(allowed);
  absl::StatusOr<BudgetName> name = ParseRenderRequest(request);
  if (!name.ok()) return done(name.status());
  LookUpRender(*name, request, call, [done](RenderLookup lookup) { done(std::move(lookup)); });
}

void Orchestrator::LookUpRender(const BudgetName& name, const gv1::RenderReportRequest& request,
                                const CallOptions& call, std::function<void(RenderLookup)> done) {
  const ShardConnection* shard = nullptr;
  if (!RouteRegion(name.department.region, &shard).ok()) return done(RenderLookup());
  // Each step answers "not cached" when a read fails: the render's own
  // reads meet the failure again and report it.
  auto look_up = [this, shard, call, done](std::string revision_key) {
    rv1::GetCachedRenderRequest lookup;
    lookup.set_revision_key(revision_key);
    grpc::Slice slice(lookup.SerializeAsString());
    ForwardBytes(shard, Backend::kReport, "/yusuan.report.v1.ReportService/GetCachedRender",
                 grpc::ByteBuffer(&slice, 1), call, [done, revision_key](absl::StatusOr<grpc::ByteBuffer> cached) {
                   RenderLookup answer{revision_key, std::nullopt};
                   if (cached.ok()) answer.cached = *std::move(cached);
                   done(std::move(answer));
                 });
  };
  auto on_revision = [this, shard, name, request, call, done, look_up](absl::StatusOr<lv1::ReportRevision> revision) {
    if (!revision.ok()) return done(RenderLookup());
    if (revision->pin().goals_revision() != 0) {
      return look_up(RenderRevisionKey(name, *revision,
                                       *GoalsRevisionOf(revision->pin(), ov1::GoalSet(), absl::OkStatus()), request,
                                       FormatOf(request)));
    }
    // Goals stored before pins existed: named by their current etag.
    ov1::GetGoalsRequest goals_request;
    goals_request.set_name(name.GoalsName());
    Forward(shard, Backend::kGoals, std::move(goals_request), call,
            Done<ov1::GoalSet>(
                [name, request, revision = *std::move(revision), done, look_up](absl::StatusOr<ov1::GoalSet> goals) {
                  std::optional<std::string> goals_revision =
                      GoalsRevisionOf(revision.pin(), goals.ok() ? *goals : ov1::GoalSet(), goals.status());
                  if (!goals_revision.has_value()) return done(RenderLookup());
                  look_up(RenderRevisionKey(name, revision, *goals_revision, request, FormatOf(request)));
                }),
            [shard](auto... args) { shard->goals->async()->GetGoals(args...); });
  };
  // The revision changes with the budget, its department and its goals pin,
  // all changes of its region, and with the ledger's serving epoch (the
  // catalogue and projection versions): the read cache keeps it so.
  static constexpr char kRevisionMethod[] = "/yusuan.ledger.v1.LedgerService/GetReportRevision";
  lv1::GetReportRevisionRequest revision_request;
  revision_request.set_budget_name(name.ToString());
  const std::string request_bytes = revision_request.SerializeAsString();
  ReadThroughCache(shard, kRevisionMethod, RegionReadKey(kRevisionMethod, request_bytes), name.department.region,
                   WireToByteBuffer(request_bytes), call,
                   [on_revision = std::move(on_revision)](absl::StatusOr<CachedRead> read) {
                     if (!read.ok()) return on_revision(read.status());
                     lv1::ReportRevision revision;
                     if (absl::Status parsed = ParseRequestBytes(read->answer, &revision); !parsed.ok()) {
                       return on_revision(parsed);
                     }
                     on_revision(std::move(revision));
                   });
}

absl::StatusOr<rv1::Artifact> Orchestrator::RenderCurrent(const gv1::RenderReportRequest& request,
                                                          const CallOptions& call,
                                                          std::optional<RenderLookup> looked_up) {
  const ShardConnection* shard = nullptr;
  if (absl::Status routed = RouteName(request.name(), &shard); !routed.ok()) return routed;
  absl::StatusOr<BudgetName> name = ParseRenderRequest(request);
  if (!name.ok()) return name.status();
  const rv1::Format format = FormatOf(request);

  // The revisions first: a render cached under them is the answer, and the
  // content is neither read nor projected.
  if (!looked_up.has_value()) {
    absl::StatusOr<RenderLookup> lookup = AwaitDone<RenderLookup>([&](Done<RenderLookup> done) {
      LookUpRender(*name, request, call, [done](RenderLookup answer) { done(std::move(answer)); });
    });
    if (lookup.ok()) looked_up = *std::move(lookup);
  }
  if (looked_up.has_value() && looked_up->cached.has_value()) {
    rv1::Artifact cached;
    if (absl::Status parsed = ParseRequestBytes(*looked_up->cached, &cached); parsed.ok()) return cached;
  }
  const std::optional<std::string> revision_key = looked_up.has_value() ? looked_up->revision_key : std::nullopt;

  lv1::GetDepartmentRequest department_request;
  department_request.set_name(name->department.ToString());
  lv1::GetBudgetRequest budget_request;
  budget_request.set_name(name->ToString());
  ov1::GetGoalsRequest goals_request;
  goals_request.set_name(name->GoalsName());
  lv1::ComputeTablesRequest tables_request;
  tables_request.set_name(name->ToString());
  // Only the open data shows where each number comes from; tracing costs a
  // projection per line.
  tables_request.set_with_sources(format == rv1::FORMAT_JSON || format == rv1::FORMAT_DATA_PACKAGE);

  rv1::RenderRequest render_request;
  rv1::ReportInput* input = render_request.mutable_input();
  input->set_template_set(request.template_set());
  input->set_publish_time_unix_ms(request.publish_time_unix_ms());
  lv1::GetGoalsPinRequest pin_request;
  pin_request.set_budget_name(name->ToString());
  lv1::GoalsPin pin;
  auto department_context = NewContext(call);
  auto budget_context = NewContext(call);
  auto goals_context = NewContext(call);
  auto tables_context = NewContext(call);
  auto pin_context = NewContext(call);
  grpc::Status department_status, budget_status, goals_status, tables_status, pin_status;
  Join join(5);
  shard->ledger->async()->GetDepartment(department_context.get(), &department_request, input->mutable_department(),
                                        join.Into(&department_status));
  shard->ledger->async()->GetBudget(budget_context.get(), &budget_request, input->mutable_budget(),
                                    join.Into(&budget_status));
  shard->goals->async()->GetGoals(goals_context.get(), &goals_request, input->mutable_goals(),
                                  join.Into(&goals_status));
  shard->ledger->async()->ComputeTables(tables_context.get(), &tables_request, input->mutable_tables(),
                                        join.Into(&tables_status));
  shard->ledger->async()->GetGoalsPin(pin_context.get(), &pin_request, &pin, join.Into(&pin_status));
  join.Wait();
  if (!budget_status.ok()) return MapError(*shard, Backend::kLedger, budget_status);
  if (!department_status.ok()) return MapError(*shard, Backend::kLedger, department_status);
  if (!tables_status.ok()) return MapError(*shard, Backend::kLedger, tables_status);
  if (!pin_status.ok()) return MapError(*shard, Backend::kLedger, pin_status);
  absl::Status goals_read = goals_status.ok() ? absl::OkStatus() : MapError(*shard, Backend::kGoals, goals_status);
  ResolvePinnedGoals(*name, pin, input->mutable_goals(), &goals_read, call);
  // A pinned revision that cannot be read is rendered without goals below,
  // which is not what its name in a revision key says.
  std::optional<std::string> goals_revision =
      pin.goals_revision() != 0 && !goals_read.ok() ? std::nullopt : GoalsRevisionOf(pin, input->goals(), goals_read);
  if (absl::IsNotFound(goals_read)) {
    // A draft may be previewed before its goals are filed: render 表9/表10
    // empty rather than refuse.
    input->mutable_goals()->Clear();
    input->mutable_goals()->set_name(name->GoalsName());
    input->mutable_goals()->set_fiscal_year(name->year);
  } else if (!goals_read.ok()) {
    return goals_read;
  }

  // What was read may be newer than the revisions asked about: the render
  // is cached under the key only when the key names what was rendered.
  if (revision_key.has_value() && goals_revision.has_value()) {
    lv1::ReportRevision rendered;
    rendered.set_department_etag(input->department().etag());
    rendered.set_budget_etag(input->budget().etag());
    rendered.set_budget_status(input->budget().status());
    rendered.set_catalogue_edition(input->budget().catalogue_edition());
    rendered.set_catalogue_version(input->tables().catalogue_version());
    rendered.set_projection_version(input->tables().projection_version());
    *rendered.mutable_pin() = pin;
    if (RenderRevisionKey(*name, rendered, *goals_revision, request, format) == *revision_key) {
      render_request.set_revision_key(*revision_key);
    }
  }

  render_request.set_format(format);
  rv1::Artifact artifact;
  auto context = NewContext(call);
  grpc::Status status = shard->report->Render(context.get(), render_request, &artifact);
  if (!status.ok()) return MapError(*shard, Backend::kReport, status);
  return artifact;
}

std::optional<std::string> Orchestrator::GoalsRevisionOf(const lv1::GoalsPin& pin, const ov1::GoalSet& current,
                                                         const absl::Status& goals_read) {
  if (pin.goals_revision() != 0) return absl::StrCat("pinned ", pin.goals_revision());
  if (goals_read.ok()) return absl::StrCat("current ", current.etag());
  if (absl::IsNotFound(goals_read)) return std::string("none");
  return std::nullopt;
}

std::string Orchestrator::RenderRevisionKey(const BudgetName& name, const lv1::ReportRevision& revision,
                                            const std::string& goals_revision, const gv1::RenderReportRequest& request,
                                            rv1::Format format) {
  // The template set is free text: last, so that it cannot pass for another field.
  return absl::StrCat("render-revision-v1\n", name.ToString(), "\ndepartment ", revision.department_etag(), "\nbudget ",
                      revision.budget_etag(), " ", static_cast<int>(revision.budget_status()), "\ncatalogue ",
                      revision.catalogue_edition(), ".", revision.catalogue_version(), "\nprojection ",
                      revision.projection_version(), "\ngoals ", goals_revision, "\nformat ", static_cast<int>(format),
                      "\npublish ", request.publish_time_unix_ms(), "\ntemplate ", request.template_set());
}

absl::StatusOr<yusuan::common::v1::RuleSet> Orchestrator::ListRules(const yusuan::common::v1::ListRulesRequest& request,
                                                                    const CallOptions& call) {
  const ShardConnection* shard = &StatelessShard("");
  if (absl::Status allowed = Allow(call, "ListRules", ""); !allowed.ok()) return allowed;
  using yusuan::common::v1::Rule;
  using yusuan::common::v1::RuleSet;
  auto ledger_context = NewContext(call);
  auto goals_context = NewContext(call);
  RuleSet ledger_rules, goals_rules;
  grpc::Status ledger_status, goals_status;
  Join join(2);
  shard->ledger->async()->ListRules(ledger_context.get(), &request, &ledger_rules, join.Into(&ledger_status));
  shard->goals->async()->ListRules(goals_context.get(), &request, &goals_rules, join.Into(&goals_status));
  join.Wait();
  if (!ledger_status.ok()) return MapError(*shard, Backend::kLedger, ledger_status);
  if (!goals_status.ok()) return MapError(*shard, Backend::kGoals, goals_status);

  RuleSet out;
  out.set_version(ledger_rules.version().empty() ? goals_rules.version() : ledger_rules.version());
  if (!ledger_rules.version().empty() && !goals_rules.version().empty() &&
      goals_rules.version() != ledger_rules.version()) {
    out.set_version(absl::StrCat(ledger_rules.version(), "+", goals_rules.version()));
  }
  // The backends' lists pass as they are; a gateway rule a backend already
  // describes is the backend's to describe.
  std::set<std::string> listed;
  for (const RuleSet* backend : {&ledger_rules, &goals_rules}) {
    for (const Rule& rule : backend->rules()) {
      listed.insert(rule.rule_id());
      *out.add_rules() = rule;
    }
  }
  for (const RuleBook* own : {&GatewayRules(), &yusuan::cross_rules::CrossRules()}) {
    for (const Rule& rule : *own) {
      if (!listed.count(rule.rule_id())) *out.add_rules() = rule;
    }
  }
  return out;
}

absl::StatusOr<lv1::ListBudgetRevisionsResponse> Orchestrator::ListBudgetRevisions(
    const lv1::ListBudgetRevisionsRequest& request, const CallOptions& call) {
  const ShardConnection* shard = nullptr;
  if (absl::Status routed = RouteName(request.name(), &shard); !routed.ok()) return routed;
  if (absl::Status allowed = Allow(call, "ListBudgetRevisions", request.name()); !allowed.ok()) return allowed;
  absl::StatusOr<BudgetName> name = ParseBudgetName(request.name());
  if (!name.ok()) return name.status();
  auto context = NewContext(call);
  lv1::ListBudgetRevisionsResponse response;
  grpc::Status status = shard->ledger->ListBudgetRevisions(context.get(), request, &response);
  if (!status.ok()) return MapError(*shard, Backend::kLedger, status);
  return response;
}

absl::StatusOr<lv1::RevisionDiff> Orchestrator::DiffBudgetRevisions(const lv1::DiffBudgetRevisionsRequest& request,
                                                                    const CallOptions& call) {
  const ShardConnection* shard = nullptr;
  if (absl::Status routed = RouteName(request.name(), &shard); !routed.ok()) return routed;
  if (absl::Status allowed = Allow(call, "DiffBudgetRevisions", request.name()); !allowed.ok()) return allowed;
  absl::StatusOr<BudgetName> name = ParseBudgetName(request.name());
  if (!name.ok()) return name.status();
  if (request.from_revision() <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "from_revision 应为正整数（修订号从 1 起），实为 ", request.from_revision(),
        " / from_revision must be a positive revision number (revisions start at 1), not ", request.from_revision()));
  }
  if (request.to_revision() < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "to_revision 应为正整数，或 0 表示当前修订，实为 ", request.to_revision(),
        " / to_revision must be a revision number, or 0 for the current revision, not ", request.to_revision()));
  }
  auto context = NewContext(call);
  lv1::RevisionDiff response;
  grpc::Status status = shard->ledger->DiffBudgetRevisions(context.get(), request, &response);
  if (!status.ok()) return MapError(*shard, Backend::kLedger, status);
  return response;
}

absl::StatusOr<ov1::ListGoalsRevisionsResponse> Orchestrator::ListGoalsRevisions(
    const ov1::ListGoalsRevisionsRequest& request, const CallOptions& call) {
  const ShardConnection* shard = nullptr;
  if (absl::Status routed = RouteName(request.name(), &shard); !routed.ok()) return routed;
  if (absl::Status allowed = Allow(call, "ListGoalsRevisions", request.name()); !allowed.ok()) return allowed;
  absl::StatusOr<BudgetName> name = ParseGoalsName(request.name());
  if (!name.ok()) return name.status();
  auto context = NewContext(call);
  ov1::ListGoalsRevisionsResponse response;
  grpc::Status status = shard->goals->ListGoalsRevisions(context.get(), request, &response);
  if (!status.ok()) return MapError(*shard, Backend::kGoals, status);
  return response;
}

absl::StatusOr<ov1::GoalsDiff> Orchestrator::DiffGoalsRevisions(const ov1::DiffGoalsRevisionsRequest& request,
                                                                const CallOptions& call) {
  const ShardConnection* shard = nullptr;
  if (absl::Status routed = RouteName(request.name(), &shard); !routed.ok()) return routed;
  if (absl::Status allowed = Allow(call, "DiffGoalsRevisions", request.name()); !allowed.ok()) return allowed;
  absl::StatusOr<BudgetName> name = ParseGoalsName(request.name());
  if (!name.ok()) return name.status();
  if (request.from_revision() <= 0 || request.to_revision() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("from_revision 应为正整数，to_revision 为 0（当前）或正整数，实为 ", request.from_revision(),
                     " 和 ", request.to_revision(),
                     " / from_revision must be a positive revision number and to_revision a "
                     "revision number or 0 for the current one, not ",
                     request.from_revision(), " and ", request.to_revision()));
  }
  auto context = NewContext(call);
  ov1::GoalsDiff response;
  grpc::Status status = shard->goals->DiffGoalsRevisions(context.get(), request, &response);
  if (!status.ok()) return MapError(*shard, Backend::kGoals, status);
  return response;
}

absl::StatusOr<lv1::BudgetTables> Orchestrator::GetBudgetTables(const gv1::GetBudgetTablesRequest& request,
                                                                const CallOptions& call) {
  const ShardConnection* shard = nullptr;
  if (absl::Status routed = RouteName(request.name(), &shard); !routed.ok()) return routed;
  if (absl::Status allowed = Allow(call, "GetBudgetTables", request.name()); !allowed.ok()) return allowed;
  lv1::ComputeTablesRequest compute;
  compute.set_name(request.name());
  compute.set_with_sources(request.with_sources());
  if (request.has_unit_code()) compute.set_unit_code(request.unit_code());
  auto context = NewContext(call);
  lv1::BudgetTables response;
  grpc::Status status = shard->ledger->ComputeTables(context.get(), compute, &response);
  if (!status.ok()) return MapError(*shard, Backend::kLedger, status);
  return response;
}

template <typename Request, typename Response, typename Start>
void Orchestrator::Forward(const ShardConnection* shard, Backend backend, Request request, const CallOptions& call,
                           Done<Response> done, Start start) {
  struct Call {
    std::unique_ptr<grpc::ClientContext> context;
    Request request;
    Response response;
    Done<Response> done;
  };
  auto* pending = new Call{NewContext(call), std::move(request), Response(), std::move(done)};
  // gRPC orders the start before the callback (tsan_handoff.h).
  TsanRelease(pending);
  start(pending->context.get(), &pending->request, &pending->response,
        [this, shard, backend, pending](grpc::Status status) {
          TsanAcquire(pending);
          std::unique_ptr<Call> ended(pending);
          absl::StatusOr<Response> answer =
              status.ok() ? absl::StatusOr<Response>(std::move(ended->response)) : MapError(*shard, backend, status);
          Done<Response> done = std::move(ended->done);
          // The call's context (which holds the channel) goes before the caller
          // hears: a caller that then destroys the orchestrator, and its channels,
          // must not race this thread's release of the context. Seen once in CI as
          // gRPC's "assertion failed: prior > 0" at a test's exit.
          ended.reset();
          done(std::move(answer));
        });
}

void Orchestrator::ForwardBytes(const ShardConnection* shard, Backend backend, const char* method,
                                const grpc::ByteBuffer& request, const CallOptions& call, Done<grpc::ByteBuffer> done) {
  grpc::GenericStub* stub = backend == Backend::kReport  ? shard->report_bytes.get()
                            : backend == Backend::kGoals ? shard->goals_bytes.get()
                                                         : shard->ledger_bytes.get();
  // A ByteBuffer copy shares the slices: the request's bytes are not copied.
  Forward(shard, backend, grpc::ByteBuffer(request), call, std::move(done),
          [stub, method](grpc::ClientContext* context, const grpc::ByteBuffer* bytes, grpc::ByteBuffer* answer,
                         std::function<void(grpc::Status)> callback) {
            stub->UnaryCall(context, method, grpc::StubOptions(), bytes, answer, std::move(callback));
          });
}

template <typename Request>
absl::Status Orchestrator::AdmitPassThrough(std::string_view method, std::string_view resource, const Request& request,
                                            const CallOptions& call) const {
  if (absl::Status allowed = Allow(call, method, resource); !allowed.ok()) return allowed;
  if (absl::Status id = CheckRequestIdOf(request); !id.ok()) return id;
  return WithinLimits(request);
}

// A pass-through call: the caller, the request id and the limits checked
// here, then one backend call to the shard `route` sets, with the message
// (Async; the blocking form waits for it) or with its bytes (Bytes).
#define YUSUAN_PASS_THROUGH(Stub, BackendKind, Service, Method, Request, Response, resource, route)               \
  void Orchestrator::Method##Async(Request request, const CallOptions& call, Done<Response> done) {               \
    if (absl::Status admitted = AdmitPassThrough(#Method, resource, request, call); !admitted.ok()) {             \
      return done(admitted);                                                                                      \
    }                                                                                                             \
    const ShardConnection* shard = nullptr;                                                                       \
    if (absl::Status routed = route; !routed.ok()) return done(routed);                                           \
    Forward(shard, Backend::BackendKind, std::move(request), call, std::move(done),                               \
            [shard](auto... args) { shard->Stub->async()->Method(args...); });                                    \
  }                                                                                                               \
  void Orchestrator::Method##Bytes(const Request& request, const grpc::ByteBuffer& wire, const CallOptions& call, \
                                   Done<grpc::ByteBuffer> done) {                                                 \
    if (absl::Status admitted = AdmitPassThrough(#Method, resource, request, call); !admitted.ok()) {             \
      return done(admitted);                                                                                      \
    }                                                                                                             \
    const ShardConnection* shard = nullptr;                                                                       \
    if (absl::Status routed = route; !routed.ok()) return done(routed);                                           \
    ForwardBytes(shard, Backend::BackendKind, "/" Service "/" #Method, wire, call, std::move(done));              \
  }                                                                                                               \
  absl::StatusOr<Response> Orchestrator::Method(const Request& request, const CallOptions& call) {                \
    return AwaitDone<Response>([&](Done<Response> done) { Method##Async(request, call, std::move(done)); });      \
  }

// The department's region: its name's, or its code's when the name is
// left to be derived.
#define YUSUAN_DEPARTMENT_ROUTE                                                                 \
  (request.department().name().empty() ? RouteWrite(request.department().region_code(), &shard) \
                                       : RouteWriteName(request.department().name(), &shard))

YUSUAN_PASS_THROUGH(ledger, kLedger, "yusuan.ledger.v1.LedgerService", CreateDepartment, lv1::CreateDepartmentRequest,
                    lv1::Department, request.department().name(), YUSUAN_DEPARTMENT_ROUTE)
YUSUAN_PASS_THROUGH(ledger, kLedger, "yusuan.ledger.v1.LedgerService", GetDepartment, lv1::GetDepartmentRequest,
                    lv1::Department, request.name(), RouteName(request.name(), &shard))
YUSUAN_PASS_THROUGH(ledger, kLedger, "yusuan.ledger.v1.LedgerService", PutBudget, lv1::PutBudgetRequest, lv1::Budget,
                    request.budget().name(), RouteWriteName(request.budget().name(), &shard))
YUSUAN_PASS_THROUGH(ledger, kLedger, "yusuan.ledger.v1.LedgerService", ListBudgetVersions,
                    lv1::ListBudgetVersionsRequest, lv1::ListBudgetVersionsResponse, request.name(),
                    RouteName(request.name(), &shard))
// Catalogues are public reference data, the same on every shard: no
// resource to scope, any shard answers.
#define YUSUAN_ANY_SHARD (shard = &StatelessShard(""), absl::OkStatus())
YUSUAN_PASS_THROUGH(ledger, kLedger, "yusuan.ledger.v1.LedgerService", ListCatalogues, lv1::ListCataloguesRequest,
                    lv1::ListCataloguesResponse, "", YUSUAN_ANY_SHARD)
YUSUAN_PASS_THROUGH(ledger, kLedger, "yusuan.ledger.v1.LedgerService", GetCatalogue, lv1::GetCatalogueRequest,
                    lv1::Catalogue, "", YUSUAN_ANY_SHARD)
YUSUAN_PASS_THROUGH(ledger, kLedger, "yusuan.ledger.v1.LedgerService", GetCatalogueCode, lv1::GetCatalogueCodeRequest,
                    lv1::CatalogueCodeDetail, "", YUSUAN_ANY_SHARD)
YUSUAN_PASS_THROUGH(ledger, kLedger, "yusuan.ledger.v1.LedgerService", DiffCatalogues, lv1::DiffCataloguesRequest,
                    lv1::CatalogueDiff, "", YUSUAN_ANY_SHARD)

#undef YUSUAN_ANY_SHARD
#undef YUSUAN_DEPARTMENT_ROUTE
#undef YUSUAN_PASS_THROUGH

namespace {
constexpr std::chrono::seconds kReadCacheLogWait{2};
}  // namespace

// GetBudget: a pass-through that the shard's read cache may answer.
void Orchestrator::ReadBudget(const lv1::GetBudgetRequest& request, const grpc::ByteBuffer& wire,
                              const CallOptions& call, Done<CachedRead> done) {
  if (absl::Status admitted = AdmitPassThrough("GetBudget", request.name(), request, call); !admitted.ok()) {
    return done(admitted);
  }
  const ShardConnection* shard = nullptr;
  if (absl::Status routed = RouteName(request.name(), &shard); !routed.ok()) return done(routed);
  // A past revision is read where it is kept; a name that is not a budget's
  // is refused by the ledger, which names the fault.
  std::optional<std::string> key = request.revision() == 0 ? BudgetCacheKey(request.name()) : std::nullopt;
  ReadThroughCache(shard, "/yusuan.ledger.v1.LedgerService/GetBudget", std::move(key), std::nullopt, wire, call,
                   std::move(done));
}

// A ledger read the shard's read cache may answer (ledger_read_cache.h):
// only once the ledger's change log has been read past every change
// committed before the request arrived. No key: not kept, always asked.
void Orchestrator::ReadThroughCache(const ShardConnection* shard, const char* method, std::optional<std::string> key,
                                    std::optional<std::string> region_scope, const grpc::ByteBuffer& wire,
                                    const CallOptions& call, Done<CachedRead> done) {
  auto from_ledger = [done](absl::StatusOr<grpc::ByteBuffer> answer) {
    if (!answer.ok()) return done(answer.status());
    done(CachedRead{*std::move(answer), nullptr, "", 0, nullptr});
  };
  LedgerReadCache* cache = ReadCacheOf(shard);
  if (cache == nullptr || !key.has_value()) {
    return ForwardBytes(shard, Backend::kLedger, method, wire, call, std::move(from_ledger));
  }
  cache->AwaitCurrent([this, shard, method, cache, key = *std::move(key), region_scope = std::move(region_scope),
                       wire = grpc::ByteBuffer(wire), call, from_ledger = std::move(from_ledger),
                       done = std::move(done)](bool current) mutable {
    if (!current) return ForwardBytes(shard, Backend::kLedger, method, wire, call, std::move(from_ledger));
    if (std::optional<LedgerReadCache::Kept> kept = cache->FindKept(key)) {
      return done(CachedRead{std::move(kept->answer), cache, key, kept->ticket, std::move(kept->json)});
    }
    const uint64_t ticket =
        region_scope.has_value() ? cache->BeginRegionFill(key, *region_scope) : cache->BeginFill(key);
    ForwardBytes(
        shard, Backend::kLedger, method, wire, call,
        [cache, key = std::move(key), ticket, done = std::move(done)](absl::StatusOr<grpc::ByteBuffer> answer) {
          if (!answer.ok()) return done(answer.status());
          cache->FinishFill(key, ticket, *answer);
          done(CachedRead{*std::move(answer), cache, key, ticket, nullptr});
        });
  });
}

void Orchestrator::GetBudgetBytes(const lv1::GetBudgetRequest& request, const grpc::ByteBuffer& wire,
                                  const CallOptions& call, Done<grpc::ByteBuffer> done) {
  ReadBudget(request, wire, call, [done = std::move(done)](absl::StatusOr<CachedRead> read) {
    if (!read.ok()) return done(read.status());
    done(std::move(read->answer));
  });
}

namespace {

absl::StatusOr<lv1::Budget> ParseBudgetAnswer(const grpc::ByteBuffer& answer) {
  lv1::Budget budget;
  if (absl::Status parsed = ParseRequestBytes(answer, &budget); !parsed.ok()) {
    return absl::InternalError(absl::StrCat("the ledger's budget is unreadable: ", parsed.message()));
  }
  return budget;
}

}  // namespace

void Orchestrator::GetBudgetAsync(lv1::GetBudgetRequest request, const CallOptions& call, Done<lv1::Budget> done) {
  grpc::ByteBuffer wire = WireToByteBuffer(request.SerializeAsString());
  GetBudgetBytes(request, wire, call, [done = std::move(done)](absl::StatusOr<grpc::ByteBuffer> answer) {
    if (!answer.ok()) return done(answer.status());
    done(ParseBudgetAnswer(*answer));
  });
}

absl::StatusOr<std::shared_ptr<const std::string>> Orchestrator::GetBudgetJson(const lv1::GetBudgetRequest& request,
                                                                               const CallOptions& call) {
  return AwaitDone<std::shared_ptr<const std::string>>([&](Done<std::shared_ptr<const std::string>> done) {
    grpc::ByteBuffer wire = WireToByteBuffer(request.SerializeAsString());
    ReadBudget(request, wire, call, [done = std::move(done)](absl::StatusOr<CachedRead> read) {
      if (!read.ok()) return done(read.status());
      if (read->json != nullptr) return done(std::move(read->json));
      absl::StatusOr<lv1::Budget> budget = ParseBudgetAnswer(read->answer);
      if (!budget.ok()) return done(budget.status());
      std::string json;
      if (auto printed = google::protobuf::util::MessageToJsonString(*budget, &json); !printed.ok()) {
        return done(absl::InternalError(
            absl::StrCat("无法输出 JSON / cannot write the budget as JSON: ", std::string(printed.message()))));
      }
      auto shared = std::make_shared<const std::string>(std::move(json));
      if (read->cache != nullptr) read->cache->KeepJson(read->key, read->ticket, shared);
      done(std::move(shared));
    });
  });
}

absl::StatusOr<lv1::Budget> Orchestrator::GetBudget(const lv1::GetBudgetRequest& request, const CallOptions& call) {
  return AwaitDone<lv1::Budget>([&](Done<lv1::Budget> done) { GetBudgetAsync(request, call, std::move(done)); });
}

LedgerReadCache::Counts Orchestrator::ReadCacheCounts() {
  LedgerReadCache::Counts sum;
  MutexLock lock(&read_caches_mu_);
  for (const auto& [unused, cache] : read_caches_) {
    const LedgerReadCache::Counts counts = cache->counts();
    sum.hits += counts.hits;
    sum.misses += counts.misses;
    sum.log_reads += counts.log_reads;
    sum.dropped += counts.dropped;
    sum.cleared += counts.cleared;
    sum.entries += counts.entries;
    sum.bytes += counts.bytes;
  }
  return sum;
}

LedgerReadCache* Orchestrator::ReadCacheOf(const ShardConnection* shard) {
  if (options_.read_cache_bytes == 0) return nullptr;
  std::shared_ptr<const ShardRouting> routing = router_->Current();
  MutexLock lock(&read_caches_mu_);
  if (routing != read_caches_routing_) {
    // A region that moved is read from its new shard; if it ever came back,
    // what its old shard's cache kept would be from before.
    for (auto& [unused, cache] : read_caches_) cache->Clear();
    read_caches_routing_ = std::move(routing);
  }
  std::unique_ptr<LedgerReadCache>& cache = read_caches_[shard];
  if (cache == nullptr) {
    cache = std::make_unique<LedgerReadCache>(
        options_.read_cache_bytes,
        [this, shard](const lv1::ReadChangesRequest& request,
                      std::function<void(absl::StatusOr<lv1::ReadChangesResponse>)> answered) {
          struct Call {
            std::unique_ptr<grpc::ClientContext> context;
            lv1::ReadChangesRequest request;
            lv1::ReadChangesResponse response;
          };
          // A ledger that does not answer soon is read past (each read then
          // waits for the ledger on its own, and fails as it would have).
          CallOptions probe;
          probe.deadline = std::chrono::system_clock::now() + kReadCacheLogWait;
          auto pending = std::make_shared<Call>(Call{NewContext(probe), request, {}});
          TsanRelease(pending.get());
          shard->ledger->async()->ReadChanges(pending->context.get(), &pending->request, &pending->response,
                                              [pending, answered = std::move(answered)](grpc::Status status) {
                                                TsanAcquire(pending.get());
                                                lv1::ReadChangesResponse response = std::move(pending->response);
                                                // The context (which holds the channel) goes before the
                                                // reads waiting on it are answered, as in Forward: the
                                                // last of them may let the server stop and the
                                                // orchestrator go.
                                                pending->context.reset();
                                                if (!status.ok())
                                                  return answered(absl::UnavailableError(status.error_message()));
                                                answered(std::move(response));
                                              });
        });
  }
  return cache.get();
}

// Region-wide lists (README § Shards). The shards covering the prefix are
// asked at once, each from its own position; one shard's answer passes as
// it is, with its own page token; several are merged into one page whose
// token holds every shard's position (sharding/merge.h). A shard that does
// not answer fails the list, naming it: a page without its regions would
// read as a region with no departments.
namespace {

// The region-code prefix of a list's parent, "regions/{prefix}" or
// "regions/"; nullopt when malformed (the first shard's backend refuses it,
// naming the field, as it always did).
std::optional<std::string> ListPrefix(const std::string& parent) {
  if (parent == "regions/") return std::string();
  absl::StatusOr<std::string> region = ParseRegionName(parent);
  if (!region.ok()) return std::nullopt;
  return *std::move(region);
}

// Where a page of each list is read, and the region prefix whose changes
// drop it from the read cache (none: not the ledger's list, or a parent
// the ledger refuses).
struct ListPageSource {
  bool from_ledger;
  const char* method;
  std::optional<std::string> ledger_scope;
};
ListPageSource PageSourceOf(const lv1::ListDepartmentsRequest& request) {
  return {true, "/yusuan.ledger.v1.LedgerService/ListDepartments", ListPrefix(request.parent())};
}
ListPageSource PageSourceOf(const lv1::ListSubmissionsRequest& request) {
  return {true, "/yusuan.ledger.v1.LedgerService/ListSubmissions", ListPrefix(request.parent())};
}
ListPageSource PageSourceOf(const rv1::ListPublishedRequest&) {
  return {false, "/yusuan.report.v1.ReportService/ListPublished", std::nullopt};
}

std::string DepartmentKeyOf(const lv1::Department& department) {
  absl::StatusOr<DepartmentName> name = ParseDepartmentName(department.name());
  return name.ok() ? name->Key() : department.name();
}

// A department or budget key starts with its region code.
std::string_view RegionOfKey(std::string_view key) { return key.substr(0, key.find('/')); }

std::string BudgetKeyOf(const std::string& budget_name) {
  absl::StatusOr<BudgetName> name = ParseBudgetName(budget_name);
  return name.ok() ? name->Key() : budget_name;
}

}  // namespace

absl::Status Orchestrator::CoverList(std::optional<std::string> prefix,
                                     std::vector<const ShardConnection*>* shards) const {
  std::shared_ptr<const ShardRouting> routing = router_->Current();
  if (!prefix.has_value()) {
    *shards = {&routing->ForStateless("")};
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<const ShardConnection*>> covering = routing->Covering(*prefix);
  if (!covering.ok()) return covering.status();
  *shards = *std::move(covering);
  return absl::OkStatus();
}

absl::Status Orchestrator::ListShards(const lv1::ListDepartmentsRequest& request,
                                      std::vector<const ShardConnection*>* shards) const {
  return CoverList(ListPrefix(request.parent()), shards);
}

absl::Status Orchestrator::ListShards(const lv1::ListSubmissionsRequest& request,
                                      std::vector<const ShardConnection*>* shards) const {
  return CoverList(ListPrefix(request.parent()), shards);
}

absl::Status Orchestrator::ListShards(const rv1::ListPublishedRequest& request,
                                      std::vector<const ShardConnection*>* shards) const {
  if (!request.budget_name().empty()) {
    const ShardConnection* shard = nullptr;
    if (absl::Status routed = RouteName(request.budget_name(), &shard); !routed.ok()) return routed;
    *shards = {shard};
    return absl::OkStatus();
  }
  const bool prefix = request.region().empty() || IsRegionCode(request.region());
  return CoverList(prefix ? std::optional<std::string>(request.region()) : std::nullopt, shards);
}

std::string Orchestrator::ListResource(const lv1::ListDepartmentsRequest& request) { return request.parent(); }
std::string Orchestrator::ListResource(const lv1::ListSubmissionsRequest& request) { return request.parent(); }
std::string Orchestrator::ListResource(const rv1::ListPublishedRequest& request) {
  return request.budget_name().empty() ? "regions/" + request.region() : request.budget_name();
}

template <typename Request, typename Response, typename Start>
void Orchestrator::ForwardToEach(const std::vector<const ShardConnection*>& shards, Backend backend,
                                 std::vector<Request> requests, const CallOptions& call,
                                 std::function<void(std::vector<absl::StatusOr<Response>>)> all_done, Start start) {
  struct Gathered {
    Mutex mu;
    std::vector<absl::StatusOr<Response>> answers ABSL_GUARDED_BY(mu);
    size_t left ABSL_GUARDED_BY(mu) = 0;
    std::function<void(std::vector<absl::StatusOr<Response>>)> all_done;
  };
  auto gathered = std::make_shared<Gathered>();
  {
    MutexLock lock(&gathered->mu);
    gathered->answers.assign(shards.size(), absl::UnknownError("not answered"));
    gathered->left = shards.size();
  }
  gathered->all_done = std::move(all_done);
  for (size_t i = 0; i < shards.size(); ++i) {
    const ShardConnection* shard = shards[i];
    Forward(shard, backend, std::move(requests[i]), call,
            Done<Response>([gathered, i](absl::StatusOr<Response> answer) {
              std::vector<absl::StatusOr<Response>> answers;
              {
                MutexLock lock(&gathered->mu);
                gathered->answers[i] = std::move(answer);
                if (--gathered->left > 0) return;
                answers = std::move(gathered->answers);
              }
              gathered->all_done(std::move(answers));
            }),
            [shard, start](auto... args) { start(shard, args...); });
  }
}

// One merged page of a list whose pages hold `Item`s in `items_of(response)`.
template <typename Request, typename Response, typename Item, typename ItemsOf, typename KeyOf, typename Start>
void Orchestrator::FanOutList(const std::vector<const ShardConnection*>& shards, Backend backend,
                              const Request& request, int page_size, const CallOptions& call, Done<Response> done,
                              ItemsOf items_of, KeyOf key_of, Start start) {
  std::vector<std::string> names;
  for (const ShardConnection* shard : shards) names.push_back(shard->name);
  absl::StatusOr<MergedCursor> cursor = MergedCursor::Parse(request.page_token(), names);
  if (!cursor.ok()) return done(cursor.status());
  std::vector<const ShardConnection*> asked;
  std::vector<size_t> index;
  std::vector<Request> requests;
  for (size_t i = 0; i < shards.size(); ++i) {
    if (cursor->done(i)) continue;
    Request own = request;
    own.set_page_token(cursor->position(i));
    asked.push_back(shards[i]);
    index.push_back(i);
    requests.push_back(std::move(own));
  }
  // Parse refuses a token whose every shard is done, so some shard is asked.
  if (asked.empty()) return done(Response());
  ForwardToEach<Request, Response>(
      asked, backend, std::move(requests), call,
      [index, page_size, cursor = *std::move(cursor), done = std::move(done), items_of, key_of, shards,
       routing = router_->Current()](std::vector<absl::StatusOr<Response>> answers) mutable {
        std::vector<ShardPage<Item>> pages;
        for (size_t k = 0; k < answers.size(); ++k) {
          if (!answers[k].ok()) return done(answers[k].status());
          ShardPage<Item> page;
          page.shard = index[k];
          for (Item& item : *items_of(*answers[k])) {
            // A copy a move left behind (ShardMap::Serves); dropping it
            // only shortens the page: the shard's next items still follow
            // its last item, kept or not.
            if (!routing->Serves(*shards[index[k]], RegionOfKey(key_of(item)))) continue;
            page.items.push_back(std::move(item));
          }
          page.next_page_token = answers[k]->next_page_token();
          pages.push_back(std::move(page));
        }
        Response merged;
        for (Item& item : MergePages(std::move(pages), static_cast<size_t>(page_size), key_of, key_of, &cursor)) {
          *items_of(merged)->Add() = std::move(item);
        }
        merged.set_next_page_token(cursor.ToToken());
        done(std::move(merged));
      },
      start);
}

template <typename Request>
void Orchestrator::ReadListPage(const ShardConnection* shard, const Request& request, const grpc::ByteBuffer& wire,
                                const CallOptions& call, Done<grpc::ByteBuffer> done) {
  ListPageSource source = PageSourceOf(request);
  if (!source.ledger_scope.has_value()) {
    return ForwardBytes(shard, source.from_ledger ? Backend::kLedger : Backend::kReport, source.method, wire, call,
                        std::move(done));
  }
  ReadThroughCache(shard, source.method, RegionReadKey(source.method, request.SerializeAsString()),
                   std::move(source.ledger_scope), wire, call,
                   [done = std::move(done)](absl::StatusOr<CachedRead> read) {
                     if (!read.ok()) return done(read.status());
                     done(std::move(read->answer));
                   });
}

template <typename Request, typename Response, typename Item, typename ItemsOf, typename KeyOf, typename Start>
void Orchestrator::ListOverShards(std::string_view method, Backend backend, PageSizes sizes, Request request,
                                  const CallOptions& call, Done<Response> done, ItemsOf items_of, KeyOf key_of,
                                  Start start) {
  if (absl::Status admitted = AdmitPassThrough(method, ListResource(request), request, call); !admitted.ok()) {
    return done(admitted);
  }
  std::vector<const ShardConnection*> shards;
  if (absl::Status covered = ListShards(request, &shards); !covered.ok()) return done(covered);
  if (shards.size() == 1) {
    grpc::ByteBuffer wire = WireToByteBuffer(request.SerializeAsString());
    return ReadListPage(
        shards[0], request, wire, call, [done = std::move(done)](absl::StatusOr<grpc::ByteBuffer> page) {
          if (!page.ok()) return done(page.status());
          Response parsed;
          if (absl::Status read = ParseRequestBytes(*page, &parsed); !read.ok()) {
            return done(absl::InternalError(absl::StrCat("a shard's page is unreadable: ", read.message())));
          }
          done(std::move(parsed));
        });
  }
  if (absl::Status size = CheckPageSize(request.page_size()); !size.ok()) return done(size);
  FanOutList<Request, Response, Item>(shards, backend, request, PageSize(request.page_size(), sizes), call,
                                      std::move(done), items_of, key_of, start);
}

void Orchestrator::ListDepartmentsAsync(lv1::ListDepartmentsRequest request, const CallOptions& call,
                                        Done<lv1::ListDepartmentsResponse> done) {
  ListOverShards<lv1::ListDepartmentsRequest, lv1::ListDepartmentsResponse, lv1::Department>(
      "ListDepartments", Backend::kLedger, kListPageSizes, std::move(request), call, std::move(done),
      [](lv1::ListDepartmentsResponse& page) { return page.mutable_departments(); }, DepartmentKeyOf,
      [](const ShardConnection* shard, auto... args) { shard->ledger->async()->ListDepartments(args...); });
}

void Orchestrator::ListSubmissionsAsync(lv1::ListSubmissionsRequest request, const CallOptions& call,
                                        Done<lv1::ListSubmissionsResponse> done) {
  ListOverShards<lv1::ListSubmissionsRequest, lv1::ListSubmissionsResponse, lv1::Submission>(
      "ListSubmissions", Backend::kLedger, kQueuePageSizes, std::move(request), call, std::move(done),
      [](lv1::ListSubmissionsResponse& page) { return page.mutable_submissions(); },
      [](const lv1::Submission& submission) { return BudgetKeyOf(submission.budget_name()); },
      [](const ShardConnection* shard, auto... args) { shard->ledger->async()->ListSubmissions(args...); });
}

void Orchestrator::ListPublishedAsync(rv1::ListPublishedRequest request, const CallOptions& call,
                                      Done<rv1::ListPublishedResponse> done) {
  ListOverShards<rv1::ListPublishedRequest, rv1::ListPublishedResponse, rv1::PublishedDisclosure>(
      "ListPublished", Backend::kReport, kQueuePageSizes, std::move(request), call, std::move(done),
      [](rv1::ListPublishedResponse& page) { return page.mutable_disclosures(); },
      [](const rv1::PublishedDisclosure& disclosure) { return BudgetKeyOf(disclosure.budget_name()); },
      [](const ShardConnection* shard, auto... args) { shard->report->async()->ListPublished(args...); });
}

// The byte forms: one shard's bytes pass through unparsed (or come from
// the read cache); a merged page is serialized.
#define YUSUAN_FANNED_LIST_BYTES(Method, Request, Response)                                                          \
  void Orchestrator::Method##Bytes(const Request& request, const grpc::ByteBuffer& wire, const CallOptions& call,    \
                                   Done<grpc::ByteBuffer> done) {                                                    \
    std::vector<const ShardConnection*> shards;                                                                      \
    if (ListShards(request, &shards).ok() && shards.size() == 1) {                                                   \
      if (absl::Status admitted = AdmitPassThrough(#Method, ListResource(request), request, call); !admitted.ok()) { \
        return done(admitted);                                                                                       \
      }                                                                                                              \
      return ReadListPage(shards[0], request, wire, call, std::move(done));                                          \
    }                                                                                                                \
    Method##Async(request, call, [done = std::move(done)](absl::StatusOr<Response> answer) {                         \
      if (!answer.ok()) return done(answer.status());                                                                \
      done(WireToByteBuffer(answer->SerializeAsString()));                                                           \
    });                                                                                                              \
  }                                                                                                                  \
  absl::StatusOr<Response> Orchestrator::Method(const Request& request, const CallOptions& call) {                   \
    return AwaitDone<Response>([&](Done<Response> done) { Method##Async(request, call, std::move(done)); });         \
  }
YUSUAN_FANNED_LIST_BYTES(ListDepartments, lv1::ListDepartmentsRequest, lv1::ListDepartmentsResponse)
YUSUAN_FANNED_LIST_BYTES(ListSubmissions, lv1::ListSubmissionsRequest, lv1::ListSubmissionsResponse)
YUSUAN_FANNED_LIST_BYTES(ListPublished, rv1::ListPublishedRequest, rv1::ListPublishedResponse)
#undef YUSUAN_FANNED_LIST_BYTES

// The blocking form of ReadFeedAsync (change_feed.cc), for the REST face.
absl::StatusOr<Orchestrator::FeedPage> Orchestrator::ReadFeed(const ChangeFeed& from, std::chrono::milliseconds wait,
                                                              const CallOptions& call) {
  return AwaitDone<FeedPage>([&](Done<FeedPage> done) { ReadFeedAsync(from, wait, call, std::move(done)); });
}

absl::Status Orchestrator::InstallShardMap(ShardMap next, const CallOptions& call) {
  std::shared_ptr<const ShardRouting> current = router_->Current();
  for (const Reassignment& move : current->map().MovesTo(next)) {
    const ShardConnection* from = nullptr;
    for (const ShardConnection* shard : current->all()) {
      if (shard->name == move.from) from = shard;
    }
    if (from == nullptr) continue;  // no shard served these regions: nothing to strand
    absl::StatusOr<std::optional<std::string>> held = FirstDepartmentServed(*current, *from, move.prefix, call);
    if (!held.ok()) {
      return WithMessagePrefix(held.status(),
                               absl::StrCat("无法确认分片 ", from->name, " 不再持有地区前缀 \"", move.prefix,
                                            "\" 的数据，新的分片映射未启用 / the new shard map is not in use: cannot "
                                            "tell whether shard ",
                                            from->name, " still holds data of region prefix \"", move.prefix, "\": "));
    }
    if (!held->has_value()) continue;
    const Shard* to = nullptr;
    for (const Shard& shard : next.shards()) {
      if (shard.name == move.to) to = &shard;
    }
    if (to != nullptr && current->map().FrozenPrefix(move.prefix) != nullptr) {
      // A frozen region with data may go to a shard restored from a backup
      // of its own, taken after the freeze (deploy/README.md § Moving a region).
      absl::Status copied = CheckRegionCopied(*from, *to, move.prefix, call);
      if (!copied.ok()) return copied;
      continue;
    }
    const std::string to_zh = move.to.empty() ? "（无分片）" : move.to;
    const std::string to_en = move.to.empty() ? "no shard" : "shard " + move.to;
    return WithReason(
        absl::FailedPreconditionError(absl::StrCat(
            "新的分片映射把地区前缀 \"", move.prefix, "\" 从分片 ", from->name, " 改到 ", to_zh, "，但分片 ",
            from->name, " 仍持有其数据（如 ", **held,
            "）：先冻结并迁移该地区（deploy/README.md《迁移地区》），再改映射 / the new shard map gives region prefix \"",
            move.prefix, "\" to ", to_en, " while shard ", from->name, " still holds its data (", **held,
            ", for one): freeze and move the region first (deploy/README.md § Moving a region), then change the map")),
        "SHARD_MAP_STRANDS_DATA");
  }
  router_->Install(std::move(next));
  return absl::OkStatus();
}

absl::StatusOr<std::optional<std::string>> Orchestrator::FirstDepartmentServed(const ShardRouting& routing,
                                                                               const ShardConnection& shard,
                                                                               const std::string& prefix,
                                                                               const CallOptions& call) {
  // A copy left behind by an earlier move is not data of the shard's: the
  // shard it went to holds it.
  lv1::ListDepartmentsRequest list;
  list.set_parent(absl::StrCat("regions/", prefix));
  list.set_page_size(500);
  do {
    lv1::ListDepartmentsResponse page;
    auto context = NewContext(call);
    grpc::Status status = shard.ledger->ListDepartments(context.get(), list, &page);
    if (!status.ok()) return MapError(shard, Backend::kLedger, status);
    for (const lv1::Department& department : page.departments()) {
      absl::StatusOr<DepartmentName> name = ParseDepartmentName(department.name());
      if (!name.ok() || routing.Serves(shard, name->region)) return department.name();
    }
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  return std::nullopt;
}

absl::Status Orchestrator::CheckRegionCopied(const ShardConnection& from, const Shard& to, const std::string& prefix,
                                             const CallOptions& call) {
  const ShardConnection* target = router_->ConnectionTo(to);
  if (target == nullptr) {
    return absl::FailedPreconditionError("this gateway routes without a shard map: it cannot move a region");
  }
  auto refused = [&](const std::string& zh, const std::string& en) {
    return WithReason(
        absl::FailedPreconditionError(absl::StrCat(
            "新的分片映射把冻结的地区前缀 \"", prefix, "\" 从分片 ", from.name, " 移到分片 ", to.name, "，但", zh,
            "（deploy/README.md《迁移地区》）/ the new shard map moves frozen region prefix \"", prefix,
            "\" from shard ", from.name, " to shard ", to.name, ", but ", en, " (deploy/README.md § Moving a region)")),
        "SHARD_MAP_STRANDS_DATA");
  };
  // Where the copy's log ends: it was restored from a backup of `from`.
  lv1::ReadChangesRequest head;
  head.set_max_changes(1);
  lv1::ReadChangesResponse copy;
  {
    auto context = NewContext(call);
    grpc::Status status = target->ledger->ReadChanges(context.get(), head, &copy);
    if (!status.ok()) return MapError(*target, Backend::kLedger, status);
  }
  // The copy's log must be the start of `from`'s, not a log that parted
  // from it (the same identity, then writes of its own: a shard that was
  // itself restored from `from` and has served since). Their last common
  // record says so: the copy's last, which `from` must hold the same.
  if (copy.last_sequence() > 0) {
    lv1::ReadChangesRequest last;
    last.set_after_sequence(copy.last_sequence() - 1);
    last.set_max_changes(1);
    lv1::ReadChangesResponse in_copy, in_original;
    for (auto [shard, into] : {std::pair{target, &in_copy}, std::pair{&from, &in_original}}) {
      auto context = NewContext(call);
      grpc::Status status = shard->ledger->ReadChanges(context.get(), last, into);
      if (!status.ok()) return MapError(*shard, Backend::kLedger, status);
    }
    const bool same_log = in_original.log_id() == copy.log_id();
    const bool kept = in_original.first_sequence() <= copy.last_sequence();
    const bool same_record = in_copy.changes_size() == 1 && in_original.changes_size() == 1 &&
                             in_copy.changes(0).sequence() == copy.last_sequence() &&
                             in_copy.changes(0).SerializeAsString() == in_original.changes(0).SerializeAsString();
    if (same_log && kept && !same_record) {
      return refused(
          absl::StrCat("分片 ", to.name, " 的变更日志在复制之后另有写入，已与分片 ", from.name, " 的分叉（第 ",
                       copy.last_sequence(), " 号记录不同）：它不是 ", from.name, " 的副本；在地区冻结之后备份 ",
                       from.name, " 并恢复为一个新的分片"),
          absl::StrCat("shard ", to.name,
                       "'s change log took writes of its own after the copy and has parted from shard ", from.name,
                       "'s (record ", copy.last_sequence(), " differs): it is no copy of ", from.name, "; back up ",
                       from.name, " after the region was frozen and restore that as a new shard"));
    }
  }
  // Every change of the region on `from` after that point is missing from
  // the copy. The ledger answers a page of records at a time.
  lv1::ReadChangesRequest after;
  after.set_region_prefix(prefix);
  after.set_after_sequence(copy.last_sequence());
  after.set_max_changes(1);
  while (true) {
    lv1::ReadChangesResponse original;
    auto context = NewContext(call);
    grpc::Status status = from.ledger->ReadChanges(context.get(), after, &original);
    if (!status.ok()) return MapError(from, Backend::kLedger, status);
    if (original.log_id() != copy.log_id()) {
      return refused(absl::StrCat("分片 ", to.name, " 的数据不是从分片 ", from.name,
                                  " 的备份恢复的（变更日志不同）：把 ", from.name, " 的备份恢复为 ", to.name),
                     absl::StrCat("shard ", to.name, "'s data was not restored from a backup of shard ", from.name,
                                  " (another change log): restore a backup of ", from.name, " as ", to.name));
    }
    if (original.first_sequence() > after.after_sequence() + 1) {
      return refused(absl::StrCat("分片 ", to.name, " 的副本早于分片 ", from.name,
                                  " 变更日志的保留期：在地区冻结之后重新备份 ", from.name, " 并恢复为 ", to.name),
                     absl::StrCat("shard ", to.name, "'s copy is older than what shard ", from.name,
                                  "'s change log keeps: back up ", from.name,
                                  " again after the region was frozen, and restore that as ", to.name));
    }
    if (!original.changes().empty()) {
      const yusuan::common::v1::Change& missing = original.changes(0);
      return refused(
          absl::StrCat("分片 ", to.name, " 的副本缺少该地区此后的变更（如第 ", missing.sequence(), " 号，",
                       missing.resource_name(), "）：在地区冻结之后重新备份 ", from.name, " 并恢复为 ", to.name),
          absl::StrCat("shard ", to.name, "'s copy lacks the region's later changes (number ", missing.sequence(), ", ",
                       missing.resource_name(), ", for one): back up ", from.name,
                       " again after the region was frozen, and restore that as ", to.name));
    }
    if (original.scanned_through() >= original.last_sequence() ||
        original.scanned_through() <= after.after_sequence()) {
      return absl::OkStatus();
    }
    after.set_after_sequence(original.scanned_through());
  }
}

absl::StatusOr<lv1::CatalogueEdition> Orchestrator::ImportCatalogue(const lv1::ImportCatalogueRequest& request,
                                                                    const CallOptions& call) {
  // A catalogue edition is national (财政部's), so its resource is the whole
  // country: only an admin whose scope is regions/ imports one.
  if (absl::Status allowed = Allow(call, "ImportCatalogue", "regions/"); !allowed.ok()) return allowed;
  if (absl::Status id = CheckRequestId(request.request_id()); !id.ok()) return id;
  lv1::ImportCatalogueRequest forwarded = request;
  forwarded.set_imported_by(call.caller.has_value() ? call.caller->subject : "");
  // Every shard's ledger validates filings against the catalogues, so each
  // gets the edition, in the map's order, with the same request id: a retry
  // after a shard was down imports it there and answers the first import
  // again elsewhere.
  std::optional<lv1::CatalogueEdition> first;
  for (const ShardConnection* shard : router_->Current()->all()) {
    auto context = NewContext(call);
    lv1::CatalogueEdition response;
    grpc::Status status = shard->ledger->ImportCatalogue(context.get(), forwarded, &response);
    if (!status.ok()) return MapError(*shard, Backend::kLedger, status);
    if (!first.has_value()) first = std::move(response);
  }
  return *std::move(first);
}

absl::Status Orchestrator::CheckImportStart(const std::string& request_id, int64_t first_index) {
  if (absl::Status id = CheckRequestId(request_id); !id.ok()) return id;
  if (first_index >= 0) return absl::OkStatus();
  return InvalidField("first_index",
                      absl::StrCat("first_index 不能为负（", first_index, "），它是第一份申报在整个导入中的位置"),
                      absl::StrCat("first_index cannot be negative (", first_index,
                                   "): it is the position of the first filing in the whole import"));
}

}  // namespace yusuan::gateway
