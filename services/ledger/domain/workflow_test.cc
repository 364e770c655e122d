#include "services/ledger/domain/workflow.h"

#include <map>
#include <utility>

#include "gtest/gtest.h"

namespace yusuan::ledger {
namespace {

using v1::FilingStatus;
using v1::WorkflowAction;

constexpr FilingStatus kStates[] = {v1::FILING_STATUS_DRAFT, v1::FILING_STATUS_SUBMITTED, v1::FILING_STATUS_RETURNED,
                                    v1::FILING_STATUS_APPROVED, v1::FILING_STATUS_PUBLISHED};
constexpr WorkflowAction kActions[] = {v1::WORKFLOW_ACTION_SUBMIT, v1::WORKFLOW_ACTION_APPROVE,
                                       v1::WORKFLOW_ACTION_RETURN, v1::WORKFLOW_ACTION_PUBLISH};

// The complete table of legal steps; everything else must be refused.
const std::map<std::pair<FilingStatus, WorkflowAction>, FilingStatus>& Legal() {
  static const auto* legal = new std::map<std::pair<FilingStatus, WorkflowAction>, FilingStatus>{
      {{v1::FILING_STATUS_DRAFT, v1::WORKFLOW_ACTION_SUBMIT}, v1::FILING_STATUS_SUBMITTED},
      {{v1::FILING_STATUS_RETURNED, v1::WORKFLOW_ACTION_SUBMIT}, v1::FILING_STATUS_SUBMITTED},
      {{v1::FILING_STATUS_SUBMITTED, v1::WORKFLOW_ACTION_APPROVE}, v1::FILING_STATUS_APPROVED},
      {{v1::FILING_STATUS_SUBMITTED, v1::WORKFLOW_ACTION_RETURN}, v1::FILING_STATUS_RETURNED},
      {{v1::FILING_STATUS_APPROVED, v1::WORKFLOW_ACTION_PUBLISH}, v1::FILING_STATUS_PUBLISHED},
  };
  return *legal;
}

TEST(WorkflowTest, EveryStateActionPairIsLegalOrRefusedNamingTheState) {
  int legal = 0, refused = 0;
  for (FilingStatus state : kStates) {
    for (WorkflowAction action : kActions) {
      auto next = NextStatus(state, action);
      auto it = Legal().find({state, action});
      if (it != Legal().end()) {
        ASSERT_TRUE(next.ok()) << StatusNameEn(state) << " + " << ActionNameEn(action) << ": " << next.status();
        EXPECT_EQ(*next, it->second);
        ++legal;
      } else {
        ASSERT_FALSE(next.ok()) << StatusNameEn(state) << " + " << ActionNameEn(action);
        EXPECT_TRUE(absl::IsFailedPrecondition(next.status()));
        EXPECT_NE(next.status().message().find(std::string(StatusNameEn(state))), std::string::npos) << next.status();
        EXPECT_NE(next.status().message().find(std::string(StatusNameZh(state))), std::string::npos) << next.status();
        ++refused;
      }
    }
  }
  EXPECT_EQ(legal, 5);
  EXPECT_EQ(refused, 15);
}

TEST(WorkflowTest, UnspecifiedActionIsAnArgumentErrorAndUnsetStatusIsADraft) {
  EXPECT_TRUE(absl::IsInvalidArgument(NextStatus(v1::FILING_STATUS_DRAFT, v1::WORKFLOW_ACTION_UNSPECIFIED).status()));
  auto next = NextStatus(v1::FILING_STATUS_UNSPECIFIED, v1::WORKFLOW_ACTION_SUBMIT);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, v1::FILING_STATUS_SUBMITTED);
}

TEST(WorkflowTest, EditingIsRefusedUnderReviewAndStartsADraftOtherwise) {
  for (FilingStatus state : kStates) {
    auto after = StatusAfterEdit(state);
    if (state == v1::FILING_STATUS_SUBMITTED || state == v1::FILING_STATUS_APPROVED) {
      EXPECT_TRUE(absl::IsFailedPrecondition(after.status())) << StatusNameEn(state);
    } else {
      ASSERT_TRUE(after.ok()) << StatusNameEn(state);
      EXPECT_EQ(*after, v1::FILING_STATUS_DRAFT) << StatusNameEn(state);
    }
  }
}

}  // namespace
}  // namespace yusuan::ledger

namespace yusuan::ledger {
namespace {

v1::WorkflowState Stamped(int64_t revision, const std::string& rule_set_version) {
  v1::WorkflowState state;
  state.mutable_last_validation()->set_revision(revision);
  state.mutable_last_validation()->set_rule_set_version(rule_set_version);
  return state;
}

TEST(WorkflowTest, SubmitNeedsAValidationOfTheCurrentRevisionByTheCurrentRuleSet) {
  EXPECT_TRUE(CheckValidationIsCurrent(Stamped(3, "2026.11.26-2"), 3, "2026.11.26-2").ok());

  const absl::Status never = CheckValidationIsCurrent(v1::WorkflowState(), 3, "2026.11.26-2");
  EXPECT_EQ(never.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(never.message().find("no recorded validation"), std::string::npos) << never;

  const absl::Status older_rules = CheckValidationIsCurrent(Stamped(3, "2026.11.26-1"), 3, "2026.11.26-2");
  EXPECT_EQ(older_rules.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(older_rules.message().find("2026.11.26-1"), std::string::npos) << older_rules;
  EXPECT_NE(older_rules.message().find("2026.11.26-2"), std::string::npos) << older_rules;
  EXPECT_NE(older_rules.message().find("yusuan validate"), std::string::npos) << older_rules;

  const absl::Status other_revision = CheckValidationIsCurrent(Stamped(2, "2026.11.26-2"), 3, "2026.11.26-2");
  EXPECT_EQ(other_revision.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(other_revision.message().find("revision 2"), std::string::npos) << other_revision;
}

}  // namespace
}  // namespace yusuan::ledger
