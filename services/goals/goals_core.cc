#include "services/goals/goals_core.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/paging.h"
#include "services/common/resource_names.h"
#include "services/common/revisions.h"
#include "services/common/rule_catalogue.h"
#include "services/common/wire.h"
#include "services/goals/domain/diff.h"
#include "services/goals/domain/rule_catalogue.h"
#include "services/goals/domain/rules.h"

namespace yusuan::goals {
namespace {

const RevisionedFamilies kGoalFamilies{kGoalHeadsCf, kGoalRevisionsCf};

std::string StagedKey(const std::string& key, int64_t revision) { return key + EncodeBigEndian64(revision); }

absl::Status GoalsNotFound(const std::string& name, int64_t revision) {
  return WithReason(
      absl::NotFoundError(revision == 0 ? absl::StrCat("绩效目标不存在 / goals not found: ", name)
                                        : absl::StrCat("绩效目标修订版不存在 / no revision ", revision, " of ", name)),
      "NOT_FOUND");
}

// The store key of the goals a GoalsRevisionRef names (its revision must be
// a revision number, not 0 for "current").
absl::StatusOr<std::string> RevisionRefKey(const v1::GoalsRevisionRef& ref) {
  auto parsed = ParseGoalsName(ref.name());
  if (!parsed.ok()) return parsed.status();
  if (ref.revision() <= 0) {
    return absl::InvalidArgumentError(absl::StrCat("revision 必须为正整数，实为 ", ref.revision(),
                                                   " / revision must be a positive revision number, not ",
                                                   ref.revision()));
  }
  return parsed->Key();
}

}  // namespace

std::vector<std::string> GoalsColumnFamilies() {
  return {kGoalHeadsCf, kGoalRevisionsCf, kIdempotencyCf, kGoalStagedCf};
}

GoalsCore::GoalsCore(Store* store, Clock clock) : store_(store), clock_(std::move(clock)) {}

yusuan::common::v1::RuleSet GoalsCore::ListRules() const {
  yusuan::common::v1::RuleSet rules;
  rules.set_version(kRuleSetVersion);
  for (const auto& rule : GoalRules()) *rules.add_rules() = rule;
  return rules;
}

absl::StatusOr<yusuan::common::v1::ValidationReport> GoalsCore::CheckPut(const v1::PutGoalsRequest& request) const {
  auto parsed = ParseGoalsName(request.goals().name());
  if (!parsed.ok()) return parsed.status();
  yusuan::common::v1::ValidationReport report = ValidateGoalSet(request.goals());
  if (report.fatal_count() > 0) return RejectedByRules(report, "绩效目标", "the goals");
  if (request.goals().fiscal_year() != parsed->year) {
    return absl::InvalidArgumentError(absl::StrCat("goals.fiscalYear 与名称中的年度不一致 / goals.fiscalYear ",
                                                   request.goals().fiscal_year(),
                                                   " disagrees with the year in the name (", parsed->year, ")"));
  }
  return report;
}

void GoalsCore::SubmitGoalsWrite(const v1::PutGoalsRequest& request, const char* method, GoalsWrite write,
                                 Done<v1::GoalSet> done, yusuan::common::v1::ValidationReport* findings) {
  absl::StatusOr<yusuan::common::v1::ValidationReport> checked = CheckPut(request);
  if (!checked.ok()) return done(checked.status());
  if (findings != nullptr) *findings = *std::move(checked);
  const std::string key = ParseGoalsName(request.goals().name())->Key();
  const std::string request_id = request.request_id();
  const v1::GoalSet& goals = request.goals();
  const std::string fingerprint = RequestFingerprint(goals);
  SubmitAnswering<v1::GoalSet>(
      store_,
      [goals, key, request_id, fingerprint, method, write = std::move(write), clock = clock_](
          Store::Txn& txn, v1::GoalSet& answer) -> absl::Status {
        const int64_t now = clock();
        auto seen = ReplayIfSeen(txn, kIdempotencyCf, method, key, request_id, fingerprint, now, &answer);
        if (!seen.ok()) return seen.status();
        if (*seen) return RestoreRevisionReference(txn, kGoalFamilies, key, answer);
        answer = goals;
        if (absl::Status stored = write(txn, key, request_id, now, answer); !stored.ok()) return stored;
        RememberAnswer(txn, kIdempotencyCf, method, key, request_id, fingerprint, now, RevisionReference(answer));
        return absl::OkStatus();
      },
      std::move(done));
}

void GoalsCore::PutGoals(const v1::PutGoalsRequest& request, Done<v1::GoalSet> done) {
  SubmitGoalsWrite(
      request, "PutGoals",
      [](Store::Txn& txn, const std::string& key, const std::string&, int64_t now, v1::GoalSet& written) {
        return WriteNextRevision(txn, kGoalFamilies, key, now, written);
      },
      std::move(done));
}

void GoalsCore::StageGoals(const v1::PutGoalsRequest& request, Done<v1::StageGoalsResponse> done) {
  // The findings come from the request, so a replayed answer gets them too
  // without their being remembered.
  auto findings = std::make_shared<yusuan::common::v1::ValidationReport>();
  SubmitGoalsWrite(
      request, "StageGoals",
      [](Store::Txn& txn, const std::string& key, const std::string& request_id, int64_t now,
         v1::GoalSet& written) -> absl::Status {
        auto current = CurrentRevision(txn, kGoalFamilies, key);
        if (!current.ok()) return current.status();
        // After every staged revision too: two filings staged at once must
        // not share a number.
        int64_t highest = *current;
        absl::Status scanned = txn.Scan(kGoalStagedCf, key, [&](std::string_view staged_key, std::string_view) {
          if (staged_key.size() == key.size() + 8) {
            highest = std::max(highest, static_cast<int64_t>(DecodeBigEndian64(staged_key.substr(key.size()))));
          }
          return true;
        });
        if (!scanned.ok()) return scanned;
        if (absl::Status fresh = CheckEtag(txn, kGoalFamilies, key, *current, written); !fresh.ok()) return fresh;
        StoreRevision(txn, kGoalFamilies, key, highest + 1, now, written);
        v1::StagedGoals staged;
        staged.set_name(written.name());
        staged.set_revision(written.revision());
        staged.set_stage_time_unix_ms(now);
        staged.set_request_id(request_id);
        txn.Put(kGoalStagedCf, StagedKey(key, written.revision()), staged.SerializeAsString());
        return absl::OkStatus();
      },
      [findings, done = std::move(done)](absl::StatusOr<v1::GoalSet> goals) {
        if (!goals.ok()) return done(goals.status());
        v1::StageGoalsResponse response;
        *response.mutable_goals() = *std::move(goals);
        *response.mutable_validation() = std::move(*findings);
        done(std::move(response));
      },
      findings.get());
}

void GoalsCore::PromoteGoals(const v1::GoalsRevisionRef& request, Done<v1::GoalSet> done) {
  PromoteGoalsWire(request, [done = std::move(done)](absl::StatusOr<std::string> wire) {
    done(ParseWire<v1::GoalSet>(std::move(wire), "stored goals"));
  });
}

void GoalsCore::PromoteGoalsWire(const v1::GoalsRevisionRef& request, Done<std::string> done) {
  absl::StatusOr<std::string> key = RevisionRefKey(request);
  if (!key.ok()) return done(key.status());
  const std::string name = request.name();
  const int64_t revision = request.revision();
  SubmitAnswering<std::string>(
      store_,
      [key = *key, name, revision](Store::Txn& txn, std::string& answer) -> absl::Status {
        auto stored = txn.Get(kGoalRevisionsCf, key + EncodeBigEndian64(revision));
        if (!stored.ok()) return stored.status();
        if (!stored->has_value()) return GoalsNotFound(name, revision);
        answer = std::move(**stored);
        txn.Delete(kGoalStagedCf, StagedKey(key, revision));
        auto current = CurrentRevision(txn, kGoalFamilies, key);
        if (!current.ok()) return current.status();
        if (revision > *current) txn.Put(kGoalHeadsCf, key, EncodeBigEndian64(revision));
        return absl::OkStatus();
      },
      std::move(done),
      // Not synced: a promotion the power takes away leaves the revision
      // staged, readers resolve the goals through the ledger's pin, and the
      // gateway's filing recovery promotes it again (gateway README §
      // Atomic filings). An apply so waits for two syncs instead of three.
      Store::Durability::kUnsynced);
}

void GoalsCore::AbandonGoals(const v1::GoalsRevisionRef& request, Done<v1::AbandonGoalsResponse> done) {
  absl::StatusOr<std::string> key = RevisionRefKey(request);
  if (!key.ok()) return done(key.status());
  const std::string name = request.name();
  const int64_t revision = request.revision();
  SubmitAnswering<v1::AbandonGoalsResponse>(
      store_,
      [key = *key, name, revision](Store::Txn& txn, v1::AbandonGoalsResponse& answer) -> absl::Status {
        auto marker = txn.Get(kGoalStagedCf, StagedKey(key, revision));
        if (!marker.ok()) return marker.status();
        auto stored = txn.Get(kGoalRevisionsCf, key + EncodeBigEndian64(revision));
        if (!stored.ok()) return stored.status();
        if (!marker->has_value()) {
          if (!stored->has_value()) return absl::OkStatus();
          return WithReason(absl::FailedPreconditionError(
                                absl::StrCat("修订版 ", revision, " 已生效，不能撤销 / revision ", revision, " of ",
                                             name, " is promoted (current or in the history) and cannot be abandoned")),
                            "GOALS_PROMOTED");
        }
        v1::StagedGoals staged;
        if (!staged.ParseFromString(**marker)) return absl::DataLossError("staged goals record is unreadable");
        txn.Delete(kGoalStagedCf, StagedKey(key, revision));
        txn.Delete(kGoalRevisionsCf, key + EncodeBigEndian64(revision));
        ForgetAnswer(txn, kIdempotencyCf, "StageGoals", key, staged.request_id());
        answer.set_deleted(stored->has_value());
        return absl::OkStatus();
      },
      std::move(done));
}

absl::StatusOr<v1::ListStagedGoalsResponse> GoalsCore::ListStagedGoals(
    const v1::ListStagedGoalsRequest& request) const {
  if (absl::Status size = CheckPageSize(request.page_size()); !size.ok()) return size;
  const int page_size = PageSize(request.page_size());
  std::string start_after;
  if (!request.page_token().empty()) {
    absl::StatusOr<VersionPosition> after = ParseStagedGoalsPageToken(request.page_token());
    if (!after.ok()) return after.status();
    start_after = StagedKey(after->budget.Key(), after->version);
  }
  v1::ListStagedGoalsResponse response;
  bool more = false;
  absl::Status scanned = store_->Scan(kGoalStagedCf, "", start_after, [&](std::string_view, std::string_view value) {
    v1::StagedGoals staged;
    if (!staged.ParseFromArray(value.data(), static_cast<int>(value.size()))) return true;
    if (request.staged_before_unix_ms() > 0 && staged.stage_time_unix_ms() >= request.staged_before_unix_ms()) {
      return true;
    }
    if (response.staged_size() == page_size) {
      more = true;
      return false;
    }
    *response.add_staged() = std::move(staged);
    return true;
  });
  if (!scanned.ok()) return scanned;
  if (more) {
    const v1::StagedGoals& last = response.staged(response.staged_size() - 1);
    response.set_next_page_token(StagedGoalsPageToken(last.name(), last.revision()));
  }
  return response;
}

absl::StatusOr<v1::GoalSet> GoalsCore::GetGoalsRevision(const v1::GoalsRevisionRef& request) const {
  return ParseWire<v1::GoalSet>(GetGoalsRevisionWire(request), "stored goals " + request.name());
}

absl::StatusOr<std::string> GoalsCore::GetGoalsRevisionWire(const v1::GoalsRevisionRef& request) const {
  if (absl::StatusOr<std::string> key = RevisionRefKey(request); !key.ok()) return key.status();
  return ReadRevisionWire(request.name(), request.revision(), /*include_staged=*/true);
}

absl::StatusOr<std::string> GoalsCore::ReadRevisionWire(const std::string& name, int64_t revision,
                                                        bool include_staged) const {
  auto parsed = ParseGoalsName(name);
  if (!parsed.ok()) return parsed.status();
  if (revision > 0 && !include_staged) {
    auto staged = store_->Get(kGoalStagedCf, StagedKey(parsed->Key(), revision));
    if (!staged.ok()) return staged.status();
    if (staged->has_value()) return GoalsNotFound(name, revision);
  }
  auto bytes = yusuan::ReadRevision(*store_, kGoalFamilies, parsed->Key(), revision);
  if (absl::IsNotFound(bytes.status())) return GoalsNotFound(name, revision);
  return bytes;
}

absl::StatusOr<v1::GoalSet> GoalsCore::GetGoals(const v1::GetGoalsRequest& request) const {
  return ParseWire<v1::GoalSet>(GetGoalsWire(request), "stored goals " + request.name());
}

absl::StatusOr<std::string> GoalsCore::GetGoalsWire(const v1::GetGoalsRequest& request) const {
  if (request.revision() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("revision 应为 0（当前修订）或正整数，实为 ", request.revision(),
                     " / revision must be 0 (the current revision) or a revision number, not ", request.revision()));
  }
  return ReadRevisionWire(request.name(), request.revision(), /*include_staged=*/false);
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
  const std::string key = parsed->Key();
  auto next = ScanNumberedPage(*store_, kGoalRevisionsCf, key, request.page_token(), PageSize(request.page_size()),
                               response.mutable_revisions(), [this, &key](int64_t revision) {
                                 auto staged = store_->Get(kGoalStagedCf, StagedKey(key, revision));
                                 return !staged.ok() || staged->has_value();
                               });
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
  auto before =
      ParseWire<v1::GoalSet>(ReadRevisionWire(request.name(), request.from_revision(), /*include_staged=*/false),
                             "stored goals " + request.name());
  if (!before.ok()) return before.status();
  auto after = ParseWire<v1::GoalSet>(ReadRevisionWire(request.name(), request.to_revision(), /*include_staged=*/false),
                                      "stored goals " + request.name());
  if (!after.ok()) return after.status();
  v1::GoalsDiff diff = DiffGoalSets(*before, *after);
  diff.set_name(request.name());
  return diff;
}

}  // namespace yusuan::goals
