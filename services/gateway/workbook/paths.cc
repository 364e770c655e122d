#include "services/gateway/workbook/paths.h"

#include <cstdlib>
#include <string>

#include "google/protobuf/reflection.h"

namespace yusuan::workbook {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

struct Step {
  std::string_view name;
  int index = -1;  // "history[1]": 1
};

// Splits off the first step of `path`; `path` keeps the rest.
Step NextStep(std::string_view& path) {
  const size_t dot = path.find('.');
  std::string_view step = path.substr(0, dot);
  path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  Step out;
  const size_t bracket = step.find('[');
  if (bracket != std::string_view::npos) {
    out.index = std::atoi(std::string(step.substr(bracket + 1)).c_str());
    step = step.substr(0, bracket);
  }
  out.name = step;
  return out;
}

const FieldDescriptor* FieldByJsonName(const Descriptor* type, std::string_view name) {
  for (int i = 0; i < type->field_count(); ++i) {
    if (type->field(i)->json_name() == name) return type->field(i);
  }
  return nullptr;
}

}  // namespace

const FieldDescriptor* LeafField(const Descriptor* type, std::string_view path) {
  while (true) {
    const Step step = NextStep(path);
    const FieldDescriptor* field = FieldByJsonName(type, step.name);
    if (field == nullptr || path.empty()) return field;
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return nullptr;
    type = field->message_type();
  }
}

bool IsAmountField(const FieldDescriptor* field) {
  const std::string& name = field->name();
  return field->cpp_type() == FieldDescriptor::CPPTYPE_INT64 && name.size() > 4 &&
         name.compare(name.size() - 4, 4, "_fen") == 0;
}

const Message* ContainerForRead(const Message& root, std::string_view path, const FieldDescriptor** leaf) {
  const Message* message = &root;
  while (true) {
    const Step step = NextStep(path);
    const FieldDescriptor* field = FieldByJsonName(message->GetDescriptor(), step.name);
    if (field == nullptr) return nullptr;
    if (path.empty()) {
      *leaf = field;
      return message;
    }
    const auto* reflection = message->GetReflection();
    if (field->is_repeated()) {
      if (step.index < 0 || step.index >= reflection->FieldSize(*message, field)) return nullptr;
      message = &reflection->GetRepeatedMessage(*message, field, step.index);
    } else {
      if (!reflection->HasField(*message, field)) return nullptr;
      message = &reflection->GetMessage(*message, field);
    }
  }
}

Message* ContainerForWrite(Message* root, std::string_view path, const FieldDescriptor** leaf) {
  Message* message = root;
  while (true) {
    const Step step = NextStep(path);
    const FieldDescriptor* field = FieldByJsonName(message->GetDescriptor(), step.name);
    if (field == nullptr) return nullptr;
    if (path.empty()) {
      *leaf = field;
      return message;
    }
    const auto* reflection = message->GetReflection();
    if (field->is_repeated()) {
      if (step.index < 0) return nullptr;
      while (reflection->FieldSize(*message, field) <= step.index) reflection->AddMessage(message, field);
      message = reflection->MutableRepeatedMessage(message, field, step.index);
    } else {
      message = reflection->MutableMessage(message, field);
    }
  }
}

}  // namespace yusuan::workbook
