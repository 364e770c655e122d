#include "services/goals/domain/diff.h"

#include "services/common/message_diff.h"

namespace yusuan::goals {

yusuan::goals::v1::GoalsDiff DiffGoalSets(const yusuan::goals::v1::GoalSet& before,
                                          const yusuan::goals::v1::GoalSet& after) {
  yusuan::goals::v1::GoalsDiff diff;
  diff.set_from_revision(before.revision());
  diff.set_to_revision(after.revision());
  for (FieldChange& change : DiffMessages(before, after, {"name", "etag", "revision", "updateTimeUnixMs"})) {
    auto* out = diff.add_changes();
    out->set_path(std::move(change.path));
    out->set_before(std::move(change.before));
    out->set_after(std::move(change.after));
  }
  return diff;
}

}  // namespace yusuan::goals
