// GoalsCore in process on a real RocksDB in a temporary directory, with a
// clock the test sets: puts as numbered revisions, reads, pages, idempotent
// retries, etags, refusals and diffs, on the goals of the reference filing.
#include "services/goals/goals_core.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/common/errors.h"
#include "services/common/testing/sample_filing.h"
#include "services/common/testing/temp_store.h"
#include "yusuan/gateway/v1/gateway.pb.h"

namespace yusuan::goals {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kStart = 1'700'000'000'000;
constexpr char kGoals[] = "regions/420107/departments/005001022/budgets/2021/goals";

std::string Reason(const absl::Status& status) {
  google::rpc::ErrorInfo info;
  return GetDetail(status, &info) ? info.reason() : "";
}

// The goals of the reference filing: no FATAL finding.
v1::GoalSet ReferenceGoals() { return yusuan::testing::SampleFiling().goals(); }

class GoalsCoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const absl::Status opened = store_.Open("goals-core", GoalsColumnFamilies());
    ASSERT_TRUE(opened.ok()) << opened;
    core_ = std::make_unique<GoalsCore>(store_.get(), [this] { return now_.load(); });
    reference_ = ReferenceGoals();
    ASSERT_EQ(reference_.name(), kGoals);
  }
  void TearDown() override {
    core_.reset();
    store_.Close();
  }

  absl::StatusOr<v1::GoalSet> Put(const v1::GoalSet& goals, const std::string& request_id = "") {
    v1::PutGoalsRequest request;
    *request.mutable_goals() = goals;
    request.set_request_id(request_id);
    std::promise<absl::StatusOr<v1::GoalSet>> promise;
    core_->PutGoals(request, [&](absl::StatusOr<v1::GoalSet> result) { promise.set_value(std::move(result)); });
    return promise.get_future().get();
  }
  absl::StatusOr<v1::GoalSet> Get(int64_t revision = 0) {
    v1::GetGoalsRequest request;
    request.set_name(kGoals);
    request.set_revision(revision);
    return core_->GetGoals(request);
  }
  // The reference goals with one indicator's target changed.
  v1::GoalSet Changed(const std::string& target) {
    v1::GoalSet goals = reference_;
    goals.mutable_department()->mutable_annual_goals(0)->mutable_indicators(0)->set_target(target);
    return goals;
  }

  std::atomic<int64_t> now_{kStart};
  yusuan::testing::TempStore store_;
  std::unique_ptr<GoalsCore> core_;
  v1::GoalSet reference_;
};

TEST_F(GoalsCoreTest, StoresRevisionsAndReadsEachBack) {
  auto first = Put(reference_);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->revision(), 1);
  EXPECT_EQ(first->update_time_unix_ms(), kStart);
  EXPECT_THAT(first->etag(), ::testing::StartsWith("r1-"));

  now_ += 2000;
  auto second = Put(Changed("25"));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->revision(), 2);
  EXPECT_EQ(second->update_time_unix_ms(), kStart + 2000);

  auto current = Get();
  ASSERT_TRUE(current.ok()) << current.status();
  EXPECT_EQ(current->SerializeAsString(), second->SerializeAsString());
  auto old = Get(1);
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_EQ(old->SerializeAsString(), first->SerializeAsString());
  EXPECT_EQ(Reason(Get(3).status()), "NOT_FOUND");
}

TEST_F(GoalsCoreTest, ReadingGoalsNeverStoredIsNotFound) {
  auto missing = Get();
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Reason(missing.status()), "NOT_FOUND");
  v1::GetGoalsRequest bad;
  bad.set_name("regions/420107/departments/005001022/budgets/2021");  // the budget, not its goals
  EXPECT_EQ(core_->GetGoals(bad).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(GoalsCoreTest, ListsRevisionsInPages) {
  for (const char* target : {"20", "21", "22"}) ASSERT_TRUE(Put(Changed(target)).ok());
  v1::ListGoalsRevisionsRequest request;
  request.set_name(kGoals);
  request.set_page_size(2);
  auto first = core_->ListGoalsRevisions(request);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->revisions_size(), 2);
  EXPECT_EQ(first->revisions(0).revision(), 1);
  EXPECT_EQ(first->revisions(1).revision(), 2);
  EXPECT_EQ(first->next_page_token(), "2");
  request.set_page_token(first->next_page_token());
  auto second = core_->ListGoalsRevisions(request);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->revisions_size(), 1);
  EXPECT_EQ(second->revisions(0).department().annual_goals(0).indicators(0).target(), "22");
  EXPECT_TRUE(second->next_page_token().empty());
}

TEST_F(GoalsCoreTest, ARetryWithTheSameRequestIdStoresNothingNew) {
  auto first = Put(reference_, "put-1");
  ASSERT_TRUE(first.ok()) << first.status();
  now_ += 1000;
  auto retry = Put(reference_, "put-1");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->revision(), 1);
  EXPECT_EQ(retry->etag(), first->etag());
  EXPECT_EQ(Get()->revision(), 1);

  auto reused = Put(Changed("30"), "put-1");
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(reused.status().message(), HasSubstr("put-1"));
  EXPECT_EQ(Get()->revision(), 1);
}

TEST_F(GoalsCoreTest, APutWithAnEtagNeedsTheCurrentOne) {
  auto first = Put(reference_);
  ASSERT_TRUE(first.ok()) << first.status();
  v1::GoalSet edit = Changed("21");
  edit.set_etag(first->etag());
  auto second = Put(edit);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->revision(), 2);
  EXPECT_EQ(Put(edit).status().code(), absl::StatusCode::kAborted);  // its etag is revision 1's
  EXPECT_EQ(Get()->revision(), 2);
}

TEST_F(GoalsCoreTest, RefusesGoalsTheRulesOrTheNameReject) {
  v1::GoalSet broken = reference_;
  broken.mutable_department()->mutable_annual_goals(0)->mutable_indicators(1)->clear_name();
  auto refused = Put(broken);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Reason(refused.status()), "VALIDATION_FAILED");
  yusuan::common::v1::ValidationReport report;
  ASSERT_TRUE(GetDetail(refused.status(), &report));
  EXPECT_GE(report.fatal_count(), 1);

  v1::GoalSet other_year = reference_;
  other_year.set_fiscal_year(2022);
  auto mismatch = Put(other_year);
  EXPECT_EQ(mismatch.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(mismatch.status().message(), HasSubstr("fiscalYear"));

  v1::GoalSet unnamed = reference_;
  unnamed.clear_name();
  EXPECT_EQ(Put(unnamed).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Reason(Get().status()), "NOT_FOUND");  // nothing was stored
}

TEST_F(GoalsCoreTest, ValidatesWithoutStoring) {
  v1::ValidateGoalsRequest request;
  *request.mutable_goals() = reference_;
  EXPECT_EQ(core_->ValidateGoals(request).fatal_count(), 0);
  request.mutable_goals()->mutable_department()->mutable_annual_goals(0)->mutable_indicators(1)->clear_name();
  EXPECT_GE(core_->ValidateGoals(request).fatal_count(), 1);
  EXPECT_EQ(Reason(Get().status()), "NOT_FOUND");
}

TEST_F(GoalsCoreTest, DiffsTwoRevisions) {
  ASSERT_TRUE(Put(Changed("20")).ok());
  ASSERT_TRUE(Put(Changed("24")).ok());
  v1::DiffGoalsRevisionsRequest request;
  request.set_name(kGoals);
  request.set_from_revision(1);
  auto diff = core_->DiffGoalsRevisions(request);
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_EQ(diff->name(), kGoals);
  EXPECT_EQ(diff->from_revision(), 1);
  EXPECT_EQ(diff->to_revision(), 2);
  ASSERT_EQ(diff->changes_size(), 1);
  EXPECT_EQ(diff->changes(0).path(), "department.annualGoals[0].indicators[0].target");

  request.set_to_revision(3);
  EXPECT_EQ(Reason(core_->DiffGoalsRevisions(request).status()), "NOT_FOUND");
  request.set_from_revision(0);
  EXPECT_EQ(core_->DiffGoalsRevisions(request).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(GoalsCoreTest, ListsTheRulesOfTheCurrentRuleSet) {
  const auto rules = core_->ListRules();
  EXPECT_FALSE(rules.version().empty());
  EXPECT_GT(rules.rules_size(), 0);
}

// The goals half of a filing's two-phase write (README § Atomic filings).
class StagedGoalsTest : public GoalsCoreTest {
 protected:
  absl::StatusOr<v1::StageGoalsResponse> StageAnswer(const v1::GoalSet& goals, const std::string& request_id = "") {
    v1::PutGoalsRequest request;
    *request.mutable_goals() = goals;
    request.set_request_id(request_id);
    std::promise<absl::StatusOr<v1::StageGoalsResponse>> promise;
    core_->StageGoals(request,
                      [&](absl::StatusOr<v1::StageGoalsResponse> result) { promise.set_value(std::move(result)); });
    return promise.get_future().get();
  }
  absl::StatusOr<v1::GoalSet> Stage(const v1::GoalSet& goals, const std::string& request_id = "") {
    auto answer = StageAnswer(goals, request_id);
    if (!answer.ok()) return answer.status();
    return answer->goals();
  }
  absl::StatusOr<v1::GoalSet> Promote(int64_t revision) {
    std::promise<absl::StatusOr<v1::GoalSet>> promise;
    core_->PromoteGoals(Ref(revision),
                        [&](absl::StatusOr<v1::GoalSet> result) { promise.set_value(std::move(result)); });
    return promise.get_future().get();
  }
  absl::StatusOr<v1::AbandonGoalsResponse> Abandon(int64_t revision) {
    std::promise<absl::StatusOr<v1::AbandonGoalsResponse>> promise;
    core_->AbandonGoals(Ref(revision),
                        [&](absl::StatusOr<v1::AbandonGoalsResponse> result) { promise.set_value(std::move(result)); });
    return promise.get_future().get();
  }
  static v1::GoalsRevisionRef Ref(int64_t revision) {
    v1::GoalsRevisionRef ref;
    ref.set_name(kGoals);
    ref.set_revision(revision);
    return ref;
  }
  std::vector<int64_t> ListedRevisions() {
    v1::ListGoalsRevisionsRequest request;
    request.set_name(kGoals);
    auto listed = core_->ListGoalsRevisions(request);
    EXPECT_TRUE(listed.ok()) << listed.status();
    std::vector<int64_t> revisions;
    if (listed.ok()) {
      for (const auto& goals : listed->revisions()) revisions.push_back(goals.revision());
    }
    return revisions;
  }
  std::vector<int64_t> StagedRevisions(int64_t staged_before = 0) {
    v1::ListStagedGoalsRequest request;
    request.set_staged_before_unix_ms(staged_before);
    auto listed = core_->ListStagedGoals(request);
    EXPECT_TRUE(listed.ok()) << listed.status();
    std::vector<int64_t> revisions;
    if (listed.ok()) {
      for (const auto& staged : listed->staged()) revisions.push_back(staged.revision());
    }
    return revisions;
  }
};

TEST_F(StagedGoalsTest, AStagedRevisionIsInvisibleToEveryReadUntilPromoted) {
  ASSERT_TRUE(Put(reference_).ok());
  auto staged = Stage(Changed("≥90%"), "filing-1:goals");
  ASSERT_TRUE(staged.ok()) << staged.status();
  EXPECT_EQ(staged->revision(), 2);

  auto current = Get();
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(current->revision(), 1) << "a staged revision must not become current";
  EXPECT_TRUE(absl::IsNotFound(Get(2).status())) << "nor be readable by number";
  EXPECT_THAT(ListedRevisions(), ::testing::ElementsAre(1));
  v1::DiffGoalsRevisionsRequest diff;
  diff.set_name(kGoals);
  diff.set_from_revision(1);
  diff.set_to_revision(2);
  EXPECT_TRUE(absl::IsNotFound(core_->DiffGoalsRevisions(diff).status()));
  // The gateway reads the revision the ledger pinned, staged or not.
  auto pinned = core_->GetGoalsRevision(Ref(2));
  ASSERT_TRUE(pinned.ok()) << pinned.status();
  EXPECT_EQ(pinned->department().annual_goals(0).indicators(0).target(), "≥90%");
  EXPECT_THAT(StagedRevisions(), ::testing::ElementsAre(2));

  auto promoted = Promote(2);
  ASSERT_TRUE(promoted.ok()) << promoted.status();
  // The answer is the promoted revision as stored.
  EXPECT_EQ(promoted->SerializeAsString(), pinned->SerializeAsString());
  EXPECT_EQ(Get()->revision(), 2);
  EXPECT_THAT(ListedRevisions(), ::testing::ElementsAre(1, 2));
  EXPECT_TRUE(StagedRevisions().empty());
  EXPECT_TRUE(Promote(2).ok()) << "promoting twice is a retry";
  EXPECT_EQ(Get()->revision(), 2);
}

// The gateway takes a filing's goals findings from the stage instead of
// asking ValidateGoals as well: they must be the same, a retry's included.
TEST_F(StagedGoalsTest, AStageAnswersTheFindingsValidateGoalsGives) {
  v1::ValidateGoalsRequest validate;
  *validate.mutable_goals() = reference_;
  const yusuan::common::v1::ValidationReport expected = core_->ValidateGoals(validate);
  ASSERT_GT(expected.warning_count(), 0) << "the reference goals have warnings (E2, E3)";
  std::string first_goals;
  for (const char* attempt : {"first", "retry"}) {
    auto staged = StageAnswer(reference_, "d:goals");
    ASSERT_TRUE(staged.ok()) << attempt << ": " << staged.status();
    EXPECT_EQ(staged->goals().revision(), 1) << attempt;
    EXPECT_EQ(staged->validation().SerializeAsString(), expected.SerializeAsString()) << attempt;
    EXPECT_FALSE(staged->validation().rule_set_version().empty()) << attempt;
    // The retry answers the goals as first staged, though the answer
    // remembered for it does not hold them a second time.
    if (first_goals.empty()) first_goals = staged->goals().SerializeAsString();
    EXPECT_EQ(staged->goals().SerializeAsString(), first_goals) << attempt;
  }
  const size_t largest_answer = yusuan::testing::LargestValueSize(*store_.get(), kIdempotencyCf);
  EXPECT_GT(largest_answer, 0u);
  EXPECT_LT(largest_answer, reference_.ByteSizeLong() / 2);
}

TEST_F(StagedGoalsTest, TwoStagedFilingsGetTheirOwnNumbersAndAnOlderPromotionKeepsTheNewerCurrent) {
  auto first = Stage(Changed("≥80%"), "a:goals");
  auto second = Stage(Changed("≥85%"), "b:goals");
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->revision(), 1);
  EXPECT_EQ(second->revision(), 2);
  EXPECT_TRUE(absl::IsNotFound(Get().status())) << "nothing is current before a promotion";
  ASSERT_TRUE(Promote(2).ok());
  ASSERT_TRUE(Promote(1).ok());
  EXPECT_EQ(Get()->revision(), 2) << "the newer revision stays current";
  EXPECT_THAT(ListedRevisions(), ::testing::ElementsAre(1, 2));
}

TEST_F(StagedGoalsTest, AbandoningDeletesTheRevisionAndForgetsItsRequestId) {
  ASSERT_TRUE(Put(reference_).ok());
  auto staged = Stage(Changed("≥90%"), "filing-2:goals");
  ASSERT_TRUE(staged.ok());
  auto replay = Stage(Changed("≥90%"), "filing-2:goals");
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->revision(), staged->revision()) << "a retry answers the staged revision again";

  auto abandoned = Abandon(staged->revision());
  ASSERT_TRUE(abandoned.ok()) << abandoned.status();
  EXPECT_TRUE(abandoned->deleted());
  EXPECT_TRUE(absl::IsNotFound(core_->GetGoalsRevision(Ref(staged->revision())).status()));
  EXPECT_TRUE(StagedRevisions().empty());
  EXPECT_THAT(ListedRevisions(), ::testing::ElementsAre(1));
  auto again = Abandon(staged->revision());
  ASSERT_TRUE(again.ok()) << "abandoning twice is a retry";
  EXPECT_FALSE(again->deleted());

  // The same request id stages again instead of answering a deleted revision.
  auto restaged = Stage(Changed("≥90%"), "filing-2:goals");
  ASSERT_TRUE(restaged.ok()) << restaged.status();
  EXPECT_TRUE(core_->GetGoalsRevision(Ref(restaged->revision())).ok());
  EXPECT_THAT(StagedRevisions(), ::testing::ElementsAre(restaged->revision()));
}

TEST_F(StagedGoalsTest, APromotedRevisionCannotBeAbandoned) {
  auto staged = Stage(reference_, "c:goals");
  ASSERT_TRUE(staged.ok());
  ASSERT_TRUE(Promote(staged->revision()).ok());
  auto refused = Abandon(staged->revision());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Reason(refused.status()), "GOALS_PROMOTED");
  EXPECT_EQ(Get()->revision(), staged->revision());
}

TEST_F(StagedGoalsTest, StagingChecksTheRulesAndTheEtagOfTheCurrentRevision) {
  ASSERT_TRUE(Put(reference_).ok());
  v1::GoalSet stale = Changed("≥70%");
  stale.set_etag("r9-00000000");
  EXPECT_EQ(Stage(stale).status().code(), absl::StatusCode::kAborted);
  v1::GoalSet wrong_year = reference_;
  wrong_year.set_fiscal_year(2020);
  EXPECT_EQ(Stage(wrong_year).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(StagedRevisions().empty()) << "a refused stage stores nothing";
}

TEST_F(StagedGoalsTest, ListsOnlyWhatWasStagedBeforeTheGivenTimeAndPages) {
  auto early = Stage(Changed("≥60%"), "early:goals");
  now_ += 10'000;
  auto late = Stage(Changed("≥65%"), "late:goals");
  ASSERT_TRUE(early.ok() && late.ok());
  EXPECT_THAT(StagedRevisions(kStart + 5'000), ::testing::ElementsAre(early->revision()));
  EXPECT_THAT(StagedRevisions(), ::testing::ElementsAre(early->revision(), late->revision()));

  v1::ListStagedGoalsRequest request;
  request.set_page_size(1);
  auto first = core_->ListStagedGoals(request);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->staged_size(), 1);
  ASSERT_FALSE(first->next_page_token().empty());
  request.set_page_token(first->next_page_token());
  auto second = core_->ListStagedGoals(request);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->staged_size(), 1);
  EXPECT_EQ(second->staged(0).revision(), late->revision());
  EXPECT_TRUE(second->next_page_token().empty());
  request.set_page_token("not-a-token");
  EXPECT_EQ(core_->ListStagedGoals(request).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace yusuan::goals
