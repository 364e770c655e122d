#include "services/goals/goals_core.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/paging.h"
#include "services/common/resource_names.h"
#include "services/common/revisions.h"
#include "services/common/rule_catalogue.h"
#include "services/goals/domain/diff.h"
#include "services/goals/domain/rule_catalogue.h"
#include "services/goals/domain/rules.h"

namespace yusuan::goals {
namespace {

const RevisionedFamilies kGoalFamilies{kGoalHeadsCf, kGoalRevisionsCf};

}  // namespace

std::vector<std::string> GoalsColumnFamilies() { return {kGoalHeadsCf, kGoalRevisionsCf, kIdempotencyCf}; }

GoalsCore::GoalsCore(Store* store, Clock clock) : store_(store), clock_(std::move(clock)) {}

yusuan::common::v1::RuleSet GoalsCore::ListRules() const {
  yusuan::common::v1::RuleSet rules;
  rules.set_version(kRuleSetVersion);
  for (const auto& rule : GoalRules()) *rules.add_rules() = rule;
  return rules;
}

void GoalsCore::PutGoals(const v1::PutGoalsRequest& request, Done<v1::GoalSet> done) {
  auto parsed = ParseGoalsName(request.goals().name());
  if (!parsed.ok()) return done(parsed.status());
  yusuan::common::v1::ValidationReport report = ValidateGoalSet(request.goals());
  if (report.fatal_count() > 0) return done(RejectedByRules(report, "绩效目标", "the goals"));
  if (request.goals().fiscal_year() != parsed->year) {
    return done(absl::InvalidArgumentError(absl::StrCat("goals.fiscalYear 与名称中的年度不一致 / goals.fiscalYear ",
                                                        request.goals().fiscal_year(),
                                                        " disagrees with the year in the name (", parsed->year, ")")));
  }
  const std::string key = parsed->Key();
  const std::string request_id = request.request_id();
  const v1::GoalSet& goals = request.goals();
  const std::string fingerprint = RequestFingerprint(goals);
  auto answer = std::make_shared<v1::GoalSet>();
  store_->Submit(
      [goals, key, request_id, fingerprint, answer, clock = clock_](Store::Txn& txn) -> absl::Status {
        const int64_t now = clock();
        auto seen = ReplayIfSeen(txn, kIdempotencyCf, "PutGoals", key, request_id, fingerprint, now, answer.get());
        if (!seen.ok()) return seen.status();
        if (*seen) return absl::OkStatus();
        v1::GoalSet written = goals;
        absl::Status stored = WriteNextRevision(txn, kGoalFamilies, key, now, written);
        if (!stored.ok()) return stored;
        *answer = written;
        RememberAnswer(txn, kIdempotencyCf, "PutGoals", key, request_id, fingerprint, now, written);
        return absl::OkStatus();
      },
      [answer, done = std::move(done)](absl::Status status) {
        if (!status.ok()) return done(status);
        done(std::move(*answer));
      });
}

absl::StatusOr<v1::GoalSet> GoalsCore::GetGoals(const v1::GetGoalsRequest& request) const {
  auto parsed = ParseGoalsName(request.name());
  if (!parsed.ok()) return parsed.status();
  auto bytes = ReadRevision(*store_, kGoalFamilies, parsed->Key(), request.revision());
  if (absl::IsNotFound(bytes.status())) {
    return WithReason(absl::NotFoundError(absl::StrCat("绩效目标不存在 / goals not found: ", request.name())),
                      "NOT_FOUND");
  }
  if (!bytes.ok()) return bytes.status();
  v1::GoalSet goals;
  if (!goals.ParseFromString(*bytes)) return absl::DataLossError("stored goals are unreadable");
  return goals;
}

yusuan::common::v1::ValidationReport GoalsCore::ValidateGoals(const v1::ValidateGoalsRequest& request) const {
  return ValidateGoalSet(request.goals());
}

absl::StatusOr<v1::ListGoalsRevisionsResponse> GoalsCore::ListGoalsRevisions(
    const v1::ListGoalsRevisionsRequest& request) const {
  if (absl::Status size = CheckPageSize(request.page_size()); !size.ok()) return size;
  auto parsed = ParseGoalsName(request.name());
  if (!parsed.ok()) return parsed.status();
  v1::ListGoalsRevisionsResponse response;
  auto next = ScanNumberedPage(*store_, kGoalRevisionsCf, parsed->Key(), request.page_token(),
                               PageSize(request.page_size()), response.mutable_revisions());
  if (!next.ok()) return next.status();
  response.set_next_page_token(*next);
  return response;
}

absl::StatusOr<v1::GoalsDiff> GoalsCore::DiffGoalsRevisions(const v1::DiffGoalsRevisionsRequest& request) const {
  if (request.from_revision() <= 0 || request.to_revision() < 0) {
    return absl::InvalidArgumentError(
        "from_revision 必须为正整数，to_revision 为 0（当前）或正整数 / from_revision must be positive and "
        "to_revision 0 (current) or positive");
  }
  auto parsed = ParseGoalsName(request.name());
  if (!parsed.ok()) return parsed.status();
  v1::GoalSet before, after;
  for (auto [revision, into] :
       {std::pair{request.from_revision(), &before}, std::pair{request.to_revision(), &after}}) {
    auto bytes = ReadRevision(*store_, kGoalFamilies, parsed->Key(), revision);
    if (!bytes.ok()) {
      if (absl::IsNotFound(bytes.status())) {
        return WithReason(
            absl::NotFoundError(absl::StrCat("绩效目标修订版不存在 / no revision ", revision, " of ", request.name())),
            "NOT_FOUND");
      }
      return bytes.status();
    }
    if (!into->ParseFromString(*bytes)) return absl::DataLossError("stored goals are unreadable");
  }
  v1::GoalsDiff diff = DiffGoalSets(before, after);
  diff.set_name(request.name());
  return diff;
}

}  // namespace yusuan::goals
