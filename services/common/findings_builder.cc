#include "services/common/findings_builder.h"

#include "absl/strings/str_cat.h"
#include "services/common/money.h"
#include "services/common/utf8.h"

namespace yusuan {

using yusuan::common::v1::Finding;

std::string ComparableAmount(int64_t a, int64_t b, int64_t amount) {
  const int64_t gap = a > b ? a - b : b - a;
  if (gap != 0 && gap < kFenPerWanYuanCent) return absl::StrCat(FormatYuan(amount), " 元");
  return absl::StrCat(FormatWanYuan(amount), " 万元");
}

std::string Shown(const std::string& text) {
  if (!IsValidUtf8(text)) return "(invalid UTF-8)";
  if (text.size() > 60) {
    size_t n = 57;  // cut on a character boundary
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    return absl::StrCat("\"", text.substr(0, n), "…\"");
  }
  return absl::StrCat("\"", text, "\"");
}

std::string Path(const std::string& base, int index, const std::string& field) {
  return absl::StrCat(base, "[", index, "].", field);
}

Finding* Locate(Finding* finding, int table, const std::string& row, const std::string& column) {
  finding->mutable_location()->set_table(table);
  finding->mutable_location()->set_row(row);
  finding->mutable_location()->set_column(column);
  return finding;
}

Finding* FindingsBuilder::Add(const std::string& rule_id, const std::string& field, const std::string& zh,
                              const std::string& en, const std::string& hint) {
  Finding* f = report_->add_findings();
  *f = NewFinding(rules_, rule_id);
  f->set_field(field);
  f->set_message_zh(absl::StrCat(field, "：", zh));
  f->set_message_en(absl::StrCat(field, ": ", en));
  if (!hint.empty()) f->set_hint(hint);
  return f;
}

Finding* FindingsBuilder::AddArithmetic(const std::string& rule_id, const std::string& field, const std::string& zh,
                                        const std::string& en, int64_t expected_fen, int64_t actual_fen,
                                        const std::string& hint) {
  Finding* f = Add(rule_id, field, zh, en, hint);
  f->set_expected(ComparableAmount(expected_fen, actual_fen, expected_fen));
  f->set_actual(ComparableAmount(expected_fen, actual_fen, actual_fen));
  f->set_difference(ComparableAmount(expected_fen, actual_fen, actual_fen - expected_fen));
  return f;
}

Finding* FindingsBuilder::AddArithmeticYuan(const std::string& rule_id, const std::string& field, const std::string& zh,
                                            const std::string& en, int64_t expected_fen, int64_t actual_fen,
                                            const std::string& hint) {
  Finding* f = Add(rule_id, field, zh, en, hint);
  f->set_expected(absl::StrCat(FormatYuan(expected_fen), " 元"));
  f->set_actual(absl::StrCat(FormatYuan(actual_fen), " 元"));
  f->set_difference(absl::StrCat(FormatYuan(actual_fen - expected_fen), " 元"));
  return f;
}

Finding* FindingsBuilder::AddWithValues(const std::string& rule_id, const std::string& field, const std::string& zh,
                                        const std::string& en, const std::string& hint, const std::string& expected,
                                        const std::string& actual, const std::string& difference) {
  Finding* f = Add(rule_id, field, zh, en, hint);
  f->set_expected(expected);
  f->set_actual(actual);
  f->set_difference(difference);
  return f;
}

Finding* FindingsBuilder::AddCount(const std::string& rule_id, const std::string& field, const std::string& zh,
                                   const std::string& en, int64_t expected, int64_t actual, const std::string& hint) {
  Finding* f = Add(rule_id, field, zh, en, hint);
  f->set_expected(absl::StrCat(expected));
  f->set_actual(absl::StrCat(actual));
  f->set_difference(absl::StrCat(actual - expected));
  return f;
}

void FindingsBuilder::Required(const std::string& field, const std::string& what_zh, const std::string& what_en) {
  Add("V-FIELD-REQUIRED", field, absl::StrCat("缺少", what_zh, "。"), absl::StrCat("the ", what_en, " is missing."),
      absl::StrCat("Fill in the ", what_en, "."));
}

void FindingsBuilder::Unspecified(const std::string& field, const std::string& what_zh, const std::string& what_en,
                                  const std::string& choices) {
  Add("V-ENUM-UNSPECIFIED", field, absl::StrCat("未指定", what_zh, "。"),
      absl::StrCat("the ", what_en, " is unspecified."), absl::StrCat("Choose one of: ", choices, "."));
}

void FindingsBuilder::NegativeCount(const std::string& field, int64_t value) {
  Add("V-COUNT-NEGATIVE", field, absl::StrCat("人数或数量不能为负数（", value, "）。"),
      absl::StrCat("a count cannot be negative (", value, ")."), "Enter zero or a positive number.");
}

void FindingsBuilder::InvalidUtf8(const std::string& field) {
  Add("V-UTF8", field, "文本不是有效的 UTF-8 编码。", "the text is not valid UTF-8.",
      "Re-enter the text, or convert the file it came from (e.g. GBK) to UTF-8.");
}

void FindingsBuilder::ControlCharacterInText(const std::string& prefix, const ControlCharacterField& found) {
  const std::string name = CodePointName(found.character.code_point);
  std::string zh, en;
  if (found.character.invisible_format) {
    zh = absl::StrCat("含有不可见的格式字符 ", name, "（第 ", found.character.position,
                      " 个字符；双向文字控制符或零宽字符），它会让看到的文字与保存的不同。");
    en = absl::StrCat("holds the invisible formatting character ", name, " (character ", found.character.position,
                      "; a bidirectional control or zero-width character), which makes the text read differently "
                      "from what is stored.");
  } else {
    zh = absl::StrCat("含有控制字符 ", name, "（第 ", found.character.position, " 个字符），",
                      found.multiline ? "多行文字中只允许换行符和制表符。" : "此处只能填写一行文字。");
    en = absl::StrCat("holds the control character ", name, " (character ", found.character.position, "); ",
                      found.multiline ? "a multi-line text may hold line feeds and tabs, no other control character."
                                      : "this field is one line of text.");
  }
  Finding* f = Add("V-TEXT-CONTROL", prefix + found.path, zh, en,
                   "删除该字符（常见于从其他程序或其他编码的文件中粘贴的文字）后重新提交 / delete the character (it "
                   "often comes with text pasted from another program or a file in another encoding) and file "
                   "again.");
  f->set_actual(name);
}

}  // namespace yusuan
