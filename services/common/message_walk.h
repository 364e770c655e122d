// Walking every set field of a message by reflection, for the rules that
// look at all of a filing's text or money whatever message holds it.
#ifndef YUSUAN_SERVICES_COMMON_MESSAGE_WALK_H_
#define YUSUAN_SERVICES_COMMON_MESSAGE_WALK_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace yusuan {

// Where a walk is: the fields and item numbers that lead from the root to a
// field, spelt out as its JSON path ("budget.expenditureLines[3].amountFen",
// protobuf JSON names) only when a rule names it. A valid filing has
// thousands of fields and none is named; spelling each path as the walk
// passed it cost more than the rules that read the fields
// (bench/apply_domain_bench).
class FieldPath {
 public:
  explicit FieldPath(std::string_view root) : root_(root) {}

  // `index` is the item of a repeated field, or -1.
  void Push(const google::protobuf::FieldDescriptor* field, int index) { steps_.emplace_back(field, index); }
  void Pop() { steps_.pop_back(); }

  // The root, then ".jsonName" (no dot right after an empty root) and
  // "[index]" for each step.
  std::string ToString() const;

 private:
  std::string root_;
  std::vector<std::pair<const google::protobuf::FieldDescriptor*, int>> steps_;
};

// Calls `leaf(path, message, field, index)` for every set field of
// `message` that is not itself a message (each item of a repeated one, with
// its index; -1 for a singular field), entering message fields and map
// entries; depth first, in field-number order (Reflection::ListFields).
// `path` names the field when `leaf` is called.
void ForEachSetLeaf(const google::protobuf::Message& message, FieldPath& path,
                    absl::FunctionRef<void(const FieldPath& path, const google::protobuf::Message& message,
                                           const google::protobuf::FieldDescriptor& field, int index)>
                        leaf);

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_MESSAGE_WALK_H_
