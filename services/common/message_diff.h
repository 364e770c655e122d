// What changed between two versions of a document, field by field, in the
// protobuf JSON names a filer sees ("department.annualGoals[0].indicators[1].target").
// Used for the revisions of goal sets, whose changes are text rather than
// table cells.
#ifndef YUSUAN_SERVICES_COMMON_MESSAGE_DIFF_H_
#define YUSUAN_SERVICES_COMMON_MESSAGE_DIFF_H_

#include <set>
#include <string>
#include <vector>

#include "google/protobuf/message.h"

namespace yusuan {

struct FieldChange {
  std::string path;    // "department.annualGoals[0].text"
  std::string before;  // the value as text; "" when the field was absent
  std::string after;
};

// Leaf fields that differ, depth first in field-number order. Repeated
// fields are compared index by index; an element only one side has is one
// change whose other side is "". Scalars print as text (enums by name,
// booleans as true/false, bytes as their length); a message that one side
// lacks is compared against an empty one, so its set fields are listed.
// Top-level fields named in `ignored` (JSON names, e.g. "etag") are skipped.
std::vector<FieldChange> DiffMessages(const google::protobuf::Message& before, const google::protobuf::Message& after,
                                      const std::set<std::string>& ignored = {});

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_MESSAGE_DIFF_H_
