#include "services/common/message_diff.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"

namespace yusuan {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// A scalar as text; `index` < 0 for a singular field.
std::string ScalarText(const Message& m, const FieldDescriptor* f, int index) {
  const Reflection* r = m.GetReflection();
  const bool rep = index >= 0;
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f));
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrCat(rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f));
    case FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrCat(rep ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return absl::StrCat(rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return absl::StrCat(rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f));
    case FieldDescriptor::CPPTYPE_BOOL:
      return (rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f)) ? "true" : "false";
    case FieldDescriptor::CPPTYPE_ENUM:
      return (rep ? r->GetRepeatedEnum(m, f, index) : r->GetEnum(m, f))->name();
    case FieldDescriptor::CPPTYPE_STRING: {
      const std::string value = rep ? r->GetRepeatedString(m, f, index) : r->GetString(m, f);
      if (f->type() == FieldDescriptor::TYPE_BYTES) return absl::StrCat(value.size(), " bytes");
      return value;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  return "";
}

void Diff(const Message& before, const Message& after, const std::string& root, const std::set<std::string>* ignored,
          std::vector<FieldChange>* out);

// Element `i` of a repeated message field that one side lacks: every set
// leaf of the side that has it.
void DiffElement(const Message* before, const Message* after, const std::string& path, std::vector<FieldChange>* out) {
  if (before != nullptr && after != nullptr) {
    Diff(*before, *after, path, nullptr, out);
    return;
  }
  const Message& present = before != nullptr ? *before : *after;
  std::unique_ptr<Message> empty(present.New());
  if (before != nullptr) {
    Diff(present, *empty, path, nullptr, out);
  } else {
    Diff(*empty, present, path, nullptr, out);
  }
}

void Diff(const Message& before, const Message& after, const std::string& root, const std::set<std::string>* ignored,
          std::vector<FieldChange>* out) {
  const google::protobuf::Descriptor* descriptor = before.GetDescriptor();
  const Reflection* rb = before.GetReflection();
  const Reflection* ra = after.GetReflection();
  for (int n = 0; n < descriptor->field_count(); ++n) {
    const FieldDescriptor* f = descriptor->field(n);
    if (ignored != nullptr && ignored->count(f->json_name()) > 0) continue;
    const std::string path = root.empty() ? f->json_name() : absl::StrCat(root, ".", f->json_name());
    if (f->is_repeated()) {
      const int nb = rb->FieldSize(before, f);
      const int na = ra->FieldSize(after, f);
      for (int i = 0; i < std::max(nb, na); ++i) {
        const std::string item = absl::StrCat(path, "[", i, "]");
        if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
          DiffElement(i < nb ? &rb->GetRepeatedMessage(before, f, i) : nullptr,
                      i < na ? &ra->GetRepeatedMessage(after, f, i) : nullptr, item, out);
        } else {
          std::string b = i < nb ? ScalarText(before, f, i) : "";
          std::string a = i < na ? ScalarText(after, f, i) : "";
          if (i >= nb || i >= na || b != a) out->push_back({item, std::move(b), std::move(a)});
        }
      }
      continue;
    }
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (!rb->HasField(before, f) && !ra->HasField(after, f)) continue;
      Diff(rb->GetMessage(before, f), ra->GetMessage(after, f), path, nullptr, out);
      continue;
    }
    const bool hb = !f->has_presence() || rb->HasField(before, f);
    const bool ha = !f->has_presence() || ra->HasField(after, f);
    std::string b = hb ? ScalarText(before, f, -1) : "";
    std::string a = ha ? ScalarText(after, f, -1) : "";
    if (hb != ha || b != a) out->push_back({path, std::move(b), std::move(a)});
  }
}

}  // namespace

std::vector<FieldChange> DiffMessages(const Message& before, const Message& after,
                                      const std::set<std::string>& ignored) {
  std::vector<FieldChange> out;
  if (before.GetDescriptor() != after.GetDescriptor()) return out;
  Diff(before, after, "", &ignored, &out);
  return out;
}

}  // namespace yusuan
