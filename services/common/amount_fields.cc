#include "services/common/amount_fields.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"

namespace yusuan {
namespace {

using google::protobuf::FieldDescriptor;

bool IsAmountField(const FieldDescriptor* field) {
  return field->cpp_type() == FieldDescriptor::CPPTYPE_INT64 && absl::EndsWith(field->name(), "_fen");
}

}  // namespace

void ForEachAmountField(const google::protobuf::Message& message, const std::string& root,
                        const std::function<void(const std::string& path, int64_t fen)>& fn) {
  const auto* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const std::string path = root.empty() ? field->json_name() : absl::StrCat(root, ".", field->json_name());
    if (field->is_repeated()) {
      const int n = reflection->FieldSize(message, field);
      for (int i = 0; i < n; ++i) {
        const std::string item = absl::StrCat(path, "[", i, "]");
        if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
          ForEachAmountField(reflection->GetRepeatedMessage(message, field, i), item, fn);
        } else if (IsAmountField(field)) {
          fn(item, reflection->GetRepeatedInt64(message, field, i));
        }
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      ForEachAmountField(reflection->GetMessage(message, field), path, fn);
    } else if (IsAmountField(field)) {
      fn(path, reflection->GetInt64(message, field));
    }
  }
}

}  // namespace yusuan
