#include "services/common/limits.h"

#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"
#include "services/common/message_walk.h"

namespace yusuan {
namespace {

using google::protobuf::FieldDescriptor;

const Limit& TextLimit() { return Limits()[0]; }
const Limit& ListLimit() { return Limits()[1]; }

// Code points of UTF-8 text: every byte that does not continue a sequence.
int64_t Characters(const std::string& text) {
  int64_t n = 0;
  for (const char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// The path is spelt only for a field over a limit (FieldPath).
void Walk(const google::protobuf::Message& message, FieldPath& path, size_t max_violations,
          std::vector<LimitViolation>* out) {
  const auto* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  std::string scratch;
  for (const FieldDescriptor* field : fields) {
    if (out->size() >= max_violations) return;
    const bool text = field->type() == FieldDescriptor::TYPE_STRING;
    const bool nested = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
    if (field->is_repeated()) {
      const int n = reflection->FieldSize(message, field);
      if (n > kMaxListEntries) {
        path.Push(field, -1);
        out->push_back({path.ToString(), &ListLimit(), n});
        path.Pop();
        continue;  // entries past the limit are not worth reading
      }
      for (int i = 0; i < n && out->size() < max_violations; ++i) {
        path.Push(field, i);
        if (nested) {
          Walk(reflection->GetRepeatedMessage(message, field, i), path, max_violations, out);
        } else if (text) {
          const int64_t length = Characters(reflection->GetRepeatedStringReference(message, field, i, &scratch));
          if (length > kMaxTextCharacters) out->push_back({path.ToString(), &TextLimit(), length});
        }
        path.Pop();
      }
    } else {
      path.Push(field, -1);
      if (nested) {
        Walk(reflection->GetMessage(message, field), path, max_violations, out);
      } else if (text) {
        const int64_t length = Characters(reflection->GetStringReference(message, field, &scratch));
        if (length > kMaxTextCharacters) out->push_back({path.ToString(), &TextLimit(), length});
      }
      path.Pop();
    }
  }
}

}  // namespace

const std::vector<Limit>& Limits() {
  static const std::vector<Limit> limits = {
      {"max_text_characters", kMaxTextCharacters, "characters", "任一文字（名称、电话、原因、指标值）的字符数",
       "characters of any one text (a name, a phone, a reason, a target)"},
      {"max_list_entries", kMaxListEntries, "entries", "任一列表（收支明细、项目、指标）的条数",
       "entries of any one list (income and expenditure lines, projects, indicators)"},
      {"max_grpc_message_bytes", kMaxGrpcMessageBytes, "bytes", "一条 gRPC 消息（请求或应答）的字节数",
       "bytes of one gRPC message, request or answer"},
      {"max_rest_body_bytes", kMaxRestBodyBytes, "bytes", "一个 REST 请求体的字节数", "bytes of one REST request body"},
      {"max_published_content_bytes", kMaxPublishedContentBytes, "bytes",
       "一次 GetPublished 应答中文件内容的字节数（其余文件不带内容，单个更大的文件分页读取）",
       "bytes of file content in one GetPublished answer (further files come without content; one larger file "
       "comes in pages)"},
  };
  return limits;
}

std::vector<LimitViolation> FindLimitViolations(const google::protobuf::Message& message, const std::string& root,
                                                size_t max_violations) {
  std::vector<LimitViolation> out;
  FieldPath path(root);
  Walk(message, path, max_violations, &out);
  return out;
}

}  // namespace yusuan
