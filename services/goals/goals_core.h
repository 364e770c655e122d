// The goals service's business core: goal sets as immutable revisions with a
// current pointer, etags and idempotent puts, over a Store, with protobuf
// messages in and out and absl::Status for refusals (structured details as
// payloads, errors.h). No gRPC here: goals_server.h adapts it, and tests run
// it on a temporary Store.
//
// Reads answer at once on the calling thread. A put hands its write to the
// Store's writer thread and answers through `done`, exactly once: on the
// writer thread when the write is durable or refused there, or on the calling
// thread when the request is refused before anything is written.
#ifndef YUSUAN_SERVICES_GOALS_GOALS_CORE_H_
#define YUSUAN_SERVICES_GOALS_GOALS_CORE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/core.h"
#include "services/common/store.h"
#include "yusuan/common/v1/findings.pb.h"
#include "yusuan/goals/v1/goals.pb.h"

namespace yusuan::goals {

inline constexpr char kGoalHeadsCf[] = "goal_heads";
inline constexpr char kGoalRevisionsCf[] = "goal_revisions";
inline constexpr char kIdempotencyCf[] = "idempotency";
// Goals key + big-endian revision → StagedGoals, for revisions staged and
// not yet promoted or abandoned.
inline constexpr char kGoalStagedCf[] = "goal_staged";

std::vector<std::string> GoalsColumnFamilies();

class GoalsCore {
 public:
  using Clock = ::yusuan::Clock;
  template <typename T>
  using Done = ::yusuan::Done<T>;

  // `store` is not owned and must outlive the core and every put it submitted.
  GoalsCore(Store* store, Clock clock);

  yusuan::common::v1::RuleSet ListRules() const;

  // Stores the next revision (refused when any finding is FATAL). A request
  // id makes a retry answer what the first put answered; the same id with
  // other goals is FAILED_PRECONDITION.
  void PutGoals(const v1::PutGoalsRequest& request, Done<v1::GoalSet> done);
  absl::StatusOr<v1::GoalSet> GetGoals(const v1::GetGoalsRequest& request) const;
  // The same as stored, unparsed: what the server sends (services/common/wire.h).
  absl::StatusOr<std::string> GetGoalsWire(const v1::GetGoalsRequest& request) const;
  yusuan::common::v1::ValidationReport ValidateGoals(const v1::ValidateGoalsRequest& request) const;
  absl::StatusOr<v1::ListGoalsRevisionsResponse> ListGoalsRevisions(const v1::ListGoalsRevisionsRequest& request) const;
  absl::StatusOr<v1::GoalsDiff> DiffGoalsRevisions(const v1::DiffGoalsRevisionsRequest& request) const;

  // The goals half of a filing's two-phase write (goals.proto, StageGoals):
  // a staged revision is numbered after every revision stored or staged,
  // and stays out of every read above until promoted.
  void StageGoals(const v1::PutGoalsRequest& request, Done<v1::StageGoalsResponse> done);
  void PromoteGoals(const v1::GoalsRevisionRef& request, Done<v1::GoalSet> done);
  // The same, answering the revision's stored bytes unparsed.
  void PromoteGoalsWire(const v1::GoalsRevisionRef& request, Done<std::string> done);
  void AbandonGoals(const v1::GoalsRevisionRef& request, Done<v1::AbandonGoalsResponse> done);
  absl::StatusOr<v1::ListStagedGoalsResponse> ListStagedGoals(const v1::ListStagedGoalsRequest& request) const;
  absl::StatusOr<v1::GoalSet> GetGoalsRevision(const v1::GoalsRevisionRef& request) const;
  absl::StatusOr<std::string> GetGoalsRevisionWire(const v1::GoalsRevisionRef& request) const;

 private:
  // What PutGoals and StageGoals check before anything is written: the
  // findings of the rules when none is fatal.
  absl::StatusOr<yusuan::common::v1::ValidationReport> CheckPut(const v1::PutGoalsRequest& request) const;
  // What differs between them: how the checked goals are written in the
  // transaction (`written` gets the revision and times stored).
  using GoalsWrite = std::function<absl::Status(Store::Txn& txn, const std::string& key, const std::string& request_id,
                                                int64_t now, v1::GoalSet& written)>;
  // The frame they share: the check, the replay of a request id already
  // answered, `write`, and the answer remembered under the request id.
  void SubmitGoalsWrite(const v1::PutGoalsRequest& request, const char* method, GoalsWrite write,
                        Done<v1::GoalSet> done, yusuan::common::v1::ValidationReport* findings = nullptr);
  // A stored revision's bytes (0: the current one).
  absl::StatusOr<std::string> ReadRevisionWire(const std::string& name, int64_t revision, bool include_staged) const;

  Store* store_;
  const Clock clock_;
};

}  // namespace yusuan::goals

#endif  // YUSUAN_SERVICES_GOALS_GOALS_CORE_H_
