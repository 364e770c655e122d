#include "services/goals/domain/indicator.h"

#include <string>

#include "gtest/gtest.h"

namespace yusuan::goals {
namespace {

using yusuan::goals::v1::INDICATOR_LEVEL1_BENEFIT;
using yusuan::goals::v1::INDICATOR_LEVEL1_COST;
using yusuan::goals::v1::INDICATOR_LEVEL1_OUTPUT;
using yusuan::goals::v1::INDICATOR_LEVEL1_SATISFACTION;
using yusuan::goals::v1::INDICATOR_LEVEL1_UNSPECIFIED;
using yusuan::goals::v1::INDICATOR_LEVEL2_OUTPUT_COST;
using yusuan::goals::v1::INDICATOR_LEVEL2_QUANTITY;
using yusuan::goals::v1::INDICATOR_LEVEL2_SERVICE_SATISFACTION;
using yusuan::goals::v1::INDICATOR_LEVEL2_SOCIAL_BENEFIT;
using yusuan::goals::v1::INDICATOR_LEVEL2_SOCIAL_COST;
using yusuan::goals::v1::INDICATOR_LEVEL2_SUSTAINABLE_IMPACT;

struct Case {
  const char* text;
  ValueOp op;
  int64_t number;
  int64_t high;
  const char* unit;
};

// Every form of domain.md §4.6, the reference document's cells first.
const Case kCases[] = {
    {"20", ValueOp::kEq, 2000, 0, ""},
    {"1", ValueOp::kEq, 100, 0, ""},
    {" 4 ", ValueOp::kEq, 400, 0, ""},
    {"95%以上", ValueOp::kGe, 9500, 0, "%"},
    {"100%", ValueOp::kEq, 10000, 0, "%"},
    {"逐年提升", ValueOp::kQualitative, 0, 0, ""},
    {"较大", ValueOp::kQualitative, 0, 0, ""},
    {"无", ValueOp::kNotApplicable, 0, 0, ""},
    {"每年设定相关绩效目标", ValueOp::kInvalid, 0, 0, ""},
    {"2家", ValueOp::kEq, 200, 0, "家"},
    {"1期", ValueOp::kEq, 100, 0, "期"},
    {"6 次", ValueOp::kEq, 600, 0, "次"},
    {"≥95%", ValueOp::kGe, 9500, 0, "%"},
    {">=90%", ValueOp::kGe, 9000, 0, "%"},
    {"≤1125万元", ValueOp::kLe, 112500, 0, "万元"},
    {"≥50个", ValueOp::kGe, 5000, 0, "个"},
    {"=100%", ValueOp::kEq, 10000, 0, "%"},
    {">92%", ValueOp::kGt, 9200, 0, "%"},
    {"<5%", ValueOp::kLt, 500, 0, "%"},
    {"不低于90%", ValueOp::kGe, 9000, 0, "%"},
    {"不超过3天", ValueOp::kLe, 300, 0, "天"},
    {"90%及以上", ValueOp::kGe, 9000, 0, "%"},
    {"10%以下", ValueOp::kLe, 1000, 0, "%"},
    {"1-2 个", ValueOp::kBetween, 100, 200, "个"},
    {"3-4 个", ValueOp::kBetween, 300, 400, "个"},
    {"3～4个", ValueOp::kBetween, 300, 400, "个"},
    {"1个-2个", ValueOp::kBetween, 100, 200, "个"},
    {"0.5", ValueOp::kEq, 50, 0, ""},
    {"99.95%", ValueOp::kEq, 9995, 0, "%"},
    {"９５％以上", ValueOp::kGe, 9500, 0, "%"},
    {"≥ 95 %", ValueOp::kGe, 9500, 0, "%"},
    {"超过90%", ValueOp::kGt, 9000, 0, "%"},
    {"12.345", ValueOp::kEq, 1235, 0, ""},  // half-up beyond two decimals
    {"1,125万元", ValueOp::kEq, 112500, 0, "万元"},
    {"２０", ValueOp::kEq, 2000, 0, ""},  // full-width digits
    {"显著改善", ValueOp::kQualitative, 0, 0, ""},
    {"达成预期指标", ValueOp::kQualitative, 0, 0, ""},
    {"应保尽保", ValueOp::kQualitative, 0, 0, ""},
    {"2021年全年", ValueOp::kQualitative, 0, 0, ""},
    {"12月底前", ValueOp::kQualitative, 0, 0, ""},
    // Deadlines and qualities in words (issue 11): no digit, still a value.
    {"每季度首月底前", ValueOp::kQualitative, 0, 0, ""},
    {"年底前", ValueOp::kQualitative, 0, 0, ""},
    {"及时", ValueOp::kQualitative, 0, 0, ""},
    {"随到随办", ValueOp::kQualitative, 0, 0, ""},
    {"/", ValueOp::kNotApplicable, 0, 0, ""},
    {"-", ValueOp::kNotApplicable, 0, 0, ""},
    {"", ValueOp::kInvalid, 0, 0, ""},
    {"   ", ValueOp::kInvalid, 0, 0, ""},
    {"≥", ValueOp::kInvalid, 0, 0, ""},
    {"≤95%以上", ValueOp::kInvalid, 0, 0, ""},
    {"开展活动若干", ValueOp::kInvalid, 0, 0, ""},
    {"4-2 个", ValueOp::kInvalid, 0, 0, ""},
    {"详见附件", ValueOp::kInvalid, 0, 0, ""},
    {"%", ValueOp::kInvalid, 0, 0, ""},
    {"一些", ValueOp::kInvalid, 0, 0, ""},
    {"按照上级部门的统一部署和要求在规定时间内完成", ValueOp::kInvalid, 0, 0, ""},
};

TEST(IndicatorValueTest, ParsesEveryFormOfTheGrammar) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.text);
    const IndicatorValue v = ParseIndicatorValue(c.text);
    EXPECT_EQ(ValueOpName(v.op), ValueOpName(c.op));
    if (IsNumeric(v)) {
      EXPECT_EQ(v.number, c.number);
      EXPECT_EQ(v.high, c.high);
      EXPECT_EQ(v.unit, c.unit);
    }
  }
}

TEST(IndicatorValueTest, KeepsTheTrimmedWording) { EXPECT_EQ(ParseIndicatorValue("  逐年提升　").text, "逐年提升"); }

TEST(IndicatorValueTest, BrokenBytesAreNotAValue) {
  EXPECT_EQ(ParseIndicatorValue("9\xff%").op, ValueOp::kInvalid);
  EXPECT_EQ(ParseIndicatorValue("\xe9\x80").op, ValueOp::kInvalid);
}

TEST(IndicatorValueTest, FormatsHundredths) {
  EXPECT_EQ(FormatHundredths(2200), "22");
  EXPECT_EQ(FormatHundredths(150), "1.5");
  EXPECT_EQ(FormatHundredths(9505), "95.05");
  EXPECT_EQ(FormatHundredths(-200), "-2");
  EXPECT_EQ(FormatHundredths(0), "0");
}

TEST(QuantityInGoalTextTest, FindsTheStatedQuantity) {
  auto q = QuantityInGoalText("开展青山区“全国科普日”“科技活动周”主题科普活动及日常科普（应急科普）活动 20 次");
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->op, ValueOp::kEq);
  EXPECT_EQ(q->number, 2000);
  EXPECT_EQ(q->unit, "次");
  EXPECT_EQ(q->text, "20 次");

  q = QuantityInGoalText("加强科普阵地建设，建立区科普基地 1-2 个");
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->op, ValueOp::kBetween);
  EXPECT_EQ(q->number, 100);
  EXPECT_EQ(q->high, 200);
  EXPECT_EQ(q->unit, "个");

  q = QuantityInGoalText("成立企事业科协组织 2家");
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->number, 200);
  EXPECT_EQ(q->unit, "家");
}

TEST(QuantityInGoalTextTest, ADateIsNotAQuantity) {
  EXPECT_FALSE(QuantityInGoalText("组织开展 5.30 科技工作者日系列活动").has_value());
  EXPECT_FALSE(QuantityInGoalText("").has_value());
}

// More than 15 digits in a row are no number; the scan used to retry the
// first of them forever, so such a goal text hung the goals rules and the
// gateway's cross rules (found by tests/fuzz/indicator_value_fuzzer).
TEST(QuantityInGoalTextTest, MovesPastADigitRunTooLongForANumber) {
  EXPECT_FALSE(QuantityInGoalText("开展活动 1234567890123456 次").has_value());
  const auto q = QuantityInGoalText("编号 12345678901234567 的活动 20 次");
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->number, 2000);
  EXPECT_EQ(q->unit, "次");
}

TEST(LevelTest, Level2MustBelongToLevel1) {
  EXPECT_TRUE(Level2BelongsTo(INDICATOR_LEVEL1_OUTPUT, INDICATOR_LEVEL2_QUANTITY));
  EXPECT_TRUE(Level2BelongsTo(INDICATOR_LEVEL1_OUTPUT, INDICATOR_LEVEL2_OUTPUT_COST));
  EXPECT_TRUE(Level2BelongsTo(INDICATOR_LEVEL1_BENEFIT, INDICATOR_LEVEL2_SOCIAL_BENEFIT));
  EXPECT_TRUE(Level2BelongsTo(INDICATOR_LEVEL1_BENEFIT, INDICATOR_LEVEL2_SUSTAINABLE_IMPACT));
  EXPECT_TRUE(Level2BelongsTo(INDICATOR_LEVEL1_SATISFACTION, INDICATOR_LEVEL2_SERVICE_SATISFACTION));
  EXPECT_TRUE(Level2BelongsTo(INDICATOR_LEVEL1_COST, INDICATOR_LEVEL2_SOCIAL_COST));
  EXPECT_FALSE(Level2BelongsTo(INDICATOR_LEVEL1_BENEFIT, INDICATOR_LEVEL2_QUANTITY));
  EXPECT_FALSE(Level2BelongsTo(INDICATOR_LEVEL1_SATISFACTION, INDICATOR_LEVEL2_SOCIAL_BENEFIT));
  EXPECT_FALSE(Level2BelongsTo(INDICATOR_LEVEL1_COST, INDICATOR_LEVEL2_OUTPUT_COST));
  EXPECT_FALSE(Level2BelongsTo(INDICATOR_LEVEL1_UNSPECIFIED, INDICATOR_LEVEL2_QUANTITY));
}

TEST(LevelTest, PrintedNames) {
  EXPECT_EQ(Level1NameZh(INDICATOR_LEVEL1_SATISFACTION), "满意度指标");
  EXPECT_EQ(Level2NameZh(INDICATOR_LEVEL2_SERVICE_SATISFACTION), "服务对象满意度指标");
  EXPECT_EQ(StandardNameZh(yusuan::goals::v1::PERFORMANCE_STANDARD_HISTORICAL), "历史标准");
}

}  // namespace
}  // namespace yusuan::goals
