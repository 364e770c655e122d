#include "services/common/utf8.h"

#include "gtest/gtest.h"
#include "yusuan/ledger/v1/ledger.pb.h"

namespace yusuan {
namespace {

TEST(Utf8Test, AcceptsChineseAndRejectsIllFormedBytes) {
  EXPECT_TRUE(IsValidUtf8("区科协 2021 年部门预算"));
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));      // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));  // surrogate
  EXPECT_FALSE(IsValidUtf8("\xe5\x8c"));      // truncated 区
  EXPECT_EQ(FirstInvalidUtf8("区\xff"), 3u);
}

TEST(Utf8Test, WireWalkerNamesTheField) {
  yusuan::ledger::v1::Budget budget;
  budget.add_projects()->set_name("ok");
  budget.add_projects()->set_name("bad\xff");
  budget.mutable_narrative()->set_general_budget_change_reason("\xfe");
  std::string wire;
  // Serialization does not verify UTF-8 in release builds (it only logs).
  ASSERT_TRUE(budget.SerializePartialToString(&wire));
  auto paths = FindInvalidUtf8Fields(yusuan::ledger::v1::Budget::descriptor(), wire);
  ASSERT_EQ(paths.size(), 2u);
  EXPECT_EQ(paths[0], "projects[1].name");
  EXPECT_EQ(paths[1], "narrative.generalBudgetChangeReason");
  EXPECT_EQ(FindInvalidUtf8InMessage(budget), paths);
}

TEST(Utf8Test, JsonWalkerNamesTheValue) {
  auto paths = FindInvalidUtf8InJson(R"({"department":{"fullName":"武汉)"
                                     "\xff"
                                     R"("},"budget":{"projects":[{"name":"a"},{"name":"b)"
                                     "\xfe"
                                     R"("}]}})");
  ASSERT_EQ(paths.size(), 2u);
  EXPECT_EQ(paths[0], "budget.projects[1].name");
  EXPECT_EQ(paths[1], "department.fullName");
  EXPECT_TRUE(FindInvalidUtf8InJson(R"({"a":"区"})").empty());
}

TEST(Utf8Test, ControlCharactersAreFoundByPositionInCharacters) {
  EXPECT_EQ(FirstControlCharacter("区科协 2021").position, 0u);
  const ControlCharacter nul = FirstControlCharacter(std::string("区科") + '\0' + "协");
  EXPECT_EQ(nul.code_point, U'\0');
  EXPECT_EQ(nul.position, 3u);
  EXPECT_EQ(FirstControlCharacter("a\x7f").code_point, U'\x7f');
  const ControlCharacter c1 = FirstControlCharacter("区\xc2\x85");  // U+0085 NEXT LINE
  EXPECT_EQ(c1.code_point, U'\x85');
  EXPECT_EQ(c1.position, 2u);
  EXPECT_EQ(FirstControlCharacter("\xc2\xa0").position, 0u);  // U+00A0 is a space, not a control
  EXPECT_EQ(FirstControlCharacter("一\n二\t三", "\t\n").position, 0u);
  EXPECT_EQ(FirstControlCharacter("一\r\n二", "\t\n").code_point, U'\r');
  EXPECT_EQ(FirstControlCharacter("\xff\x01").position, 1u);  // ill-formed bytes are not characters
  EXPECT_EQ(CodePointName(0), "U+0000");
  EXPECT_EQ(CodePointName(0x9F), "U+009F");
}

TEST(Utf8Test, InvisibleFormattingCharactersAreFoundToo) {
  // U+202E RIGHT-TO-LEFT OVERRIDE makes "科协2021" read as "1202协科".
  const ControlCharacter rlo = FirstControlCharacter("区\u202e科协2021");
  EXPECT_EQ(rlo.code_point, U'\u202e');
  EXPECT_EQ(rlo.position, 2u);
  EXPECT_TRUE(rlo.invisible_format);
  EXPECT_EQ(FirstControlCharacter("科\u200b协").code_point, U'\u200b');        // zero-width space
  EXPECT_EQ(FirstControlCharacter("科协\ufeff").code_point, U'\ufeff');        // BOM inside a text
  EXPECT_EQ(FirstControlCharacter("\u2066科协\u2069").code_point, U'\u2066');  // isolate
  EXPECT_EQ(FirstControlCharacter("科协\u061c").code_point, U'\u061c');        // Arabic letter mark
  EXPECT_FALSE(FirstControlCharacter("区\xc2\x85").invisible_format);          // C1 is a control
  // Neighbours that are text: en dash, ideographic space, the replacement character.
  EXPECT_EQ(FirstControlCharacter("2020\u20132021\u3000科协\ufffd").position, 0u);
}

TEST(Utf8Test, ControlCharacterWalkerNamesTheFieldAndAllowsLinesWhereAsked) {
  yusuan::ledger::v1::Budget budget;
  budget.add_projects()->set_name("ok");
  budget.add_projects()->set_name(std::string("科普") + '\0');
  budget.mutable_projects(1)->set_purpose("第一行\n\t第二行");
  budget.mutable_narrative()->set_general_budget_change_reason("第一行\n第二行");
  budget.add_projects()->set_name("bad\xff\x01");  // V-UTF8's, not reported here
  const auto multiline = [](const google::protobuf::FieldDescriptor& field) { return field.name() == "purpose"; };
  const auto found = FindControlCharactersInMessage(budget, multiline);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].path, "projects[1].name");
  EXPECT_EQ(found[0].character.code_point, U'\0');
  EXPECT_EQ(found[0].character.position, 3u);
  EXPECT_FALSE(found[0].multiline);
  EXPECT_EQ(found[1].path, "narrative.generalBudgetChangeReason");
  EXPECT_EQ(found[1].character.code_point, U'\n');
}

TEST(Utf8Test, OneWalkFindsWhatTheTwoWalkersFind) {
  yusuan::ledger::v1::Budget budget;
  budget.add_projects()->set_name(std::string("科普") + '\0');
  budget.mutable_projects(0)->set_purpose("第一行\n第二行");
  budget.add_projects()->set_name("bad\xff\x01");
  budget.add_projects()->set_purpose("\xfe");
  budget.mutable_narrative()->set_general_budget_change_reason("区\u202e科协");
  const auto multiline = [](const google::protobuf::FieldDescriptor& field) { return field.name() == "purpose"; };
  const TextProblems both = FindTextProblemsInMessage(budget, multiline);
  EXPECT_EQ(both.invalid_utf8, (std::vector<std::string>{"projects[1].name", "projects[2].purpose"}));
  EXPECT_EQ(both.invalid_utf8, FindInvalidUtf8InMessage(budget));
  const auto controls = FindControlCharactersInMessage(budget, multiline);
  ASSERT_EQ(both.control_characters.size(), 2u);
  ASSERT_EQ(controls.size(), 2u);
  for (size_t i = 0; i < controls.size(); ++i) {
    EXPECT_EQ(both.control_characters[i].path, controls[i].path);
    EXPECT_EQ(both.control_characters[i].character.code_point, controls[i].character.code_point);
    EXPECT_EQ(both.control_characters[i].multiline, controls[i].multiline);
  }
  EXPECT_EQ(controls[0].path, "projects[0].name");
  EXPECT_EQ(controls[1].path, "narrative.generalBudgetChangeReason");
  EXPECT_EQ(controls[1].character.code_point, U'\u202e');
}

}  // namespace
TEST(Utf8, BrokenBytesAreReplacedForQuoting) {
  EXPECT_EQ(WithReplacementCharacters("科协"), "科协");
  EXPECT_EQ(WithReplacementCharacters("武汉\xff\xfe科协"), "武汉\xEF\xBF\xBD\xEF\xBF\xBD科协");
  EXPECT_TRUE(IsValidUtf8(WithReplacementCharacters("\xC0\xAF\xE6\xAD")));
}

}  // namespace yusuan
