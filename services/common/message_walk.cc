#include "services/common/message_walk.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/reflection.h"

namespace yusuan {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

std::string FieldPath::ToString() const {
  std::string out = root_;
  for (const auto& [field, index] : steps_) {
    if (!out.empty()) out += '.';
    out += field->json_name();
    if (index >= 0) absl::StrAppend(&out, "[", index, "]");
  }
  return out;
}

void ForEachSetLeaf(const Message& message, FieldPath& path,
                    absl::FunctionRef<void(const FieldPath&, const Message&, const FieldDescriptor&, int)> leaf) {
  const auto* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const bool is_message = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
    if (field->is_repeated()) {
      const int n = reflection->FieldSize(message, field);
      for (int i = 0; i < n; ++i) {
        path.Push(field, i);
        if (is_message) {
          ForEachSetLeaf(reflection->GetRepeatedMessage(message, field, i), path, leaf);
        } else {
          leaf(path, message, *field, i);
        }
        path.Pop();
      }
    } else {
      path.Push(field, -1);
      if (is_message) {
        ForEachSetLeaf(reflection->GetMessage(message, field), path, leaf);
      } else {
        leaf(path, message, *field, -1);
      }
      path.Pop();
    }
  }
}

}  // namespace yusuan
