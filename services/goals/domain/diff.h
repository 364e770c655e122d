// What changed between two revisions of a goal set: every goal text,
// indicator, target and history value that differs, by its JSON path.
#ifndef YUSUAN_SERVICES_GOALS_DOMAIN_DIFF_H_
#define YUSUAN_SERVICES_GOALS_DOMAIN_DIFF_H_

#include "yusuan/goals/v1/goals.pb.h"

namespace yusuan::goals {

// Changes in field order (department sheet, then project sheets); the
// server-set fields (name, etag, revision, update time) are ignored. The
// result carries both revision numbers; the caller sets the name.
yusuan::goals::v1::GoalsDiff DiffGoalSets(const yusuan::goals::v1::GoalSet& before,
                                          const yusuan::goals::v1::GoalSet& after);

}  // namespace yusuan::goals

#endif  // YUSUAN_SERVICES_GOALS_DOMAIN_DIFF_H_
