#include "services/common/amount_fields.h"

#include "absl/strings/match.h"
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
                        absl::FunctionRef<void(const FieldPath& path, int64_t fen)> fn) {
  FieldPath path(root);
  ForEachSetLeaf(
      message, path,
      [&](const FieldPath& at, const google::protobuf::Message& owner, const FieldDescriptor& field, int index) {
        if (!IsAmountField(&field)) return;
        const auto* reflection = owner.GetReflection();
        fn(at, index < 0 ? reflection->GetInt64(owner, &field) : reflection->GetRepeatedInt64(owner, &field, index));
      });
}

}  // namespace yusuan
