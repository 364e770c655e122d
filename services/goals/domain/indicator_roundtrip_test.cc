// Indicator values survive parse → format → parse, and a cell written the
// way the forms write it comes back as written: every form of domain.md §4.6,
// and every 指标值 and history value of the reference filing.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/goals/domain/indicator.h"
#include "yusuan/gateway/v1/gateway.pb.h"

namespace yusuan::goals {
namespace {

void ExpectSameValue(const IndicatorValue& a, const IndicatorValue& b, const std::string& context,
                     bool compare_text = true) {
  EXPECT_EQ(ValueOpName(a.op), ValueOpName(b.op)) << context;
  EXPECT_EQ(a.number, b.number) << context;
  EXPECT_EQ(a.high, b.high) << context;
  EXPECT_EQ(a.unit, b.unit) << context;
  if (compare_text && !IsNumeric(a)) {
    EXPECT_EQ(a.text, b.text) << context;
  }
}

struct Form {
  std::string cell;
  ValueOp op;
};

// Every form of §4.6 (and the spellings the parser accepts), as written.
const std::vector<Form>& Forms() {
  static const auto* forms = new std::vector<Form>{
      // bare number (+unit)
      {"20", ValueOp::kEq},
      {"1", ValueOp::kEq},
      {"4", ValueOp::kEq},
      {"2家", ValueOp::kEq},
      {"1期", ValueOp::kEq},
      {"6次", ValueOp::kEq},
      {"0.5", ValueOp::kEq},
      {"95.05%", ValueOp::kEq},
      // number + 以上/以下/以内 (以上/以下 include the number)
      {"95%以上", ValueOp::kGe},
      {"90%及以上", ValueOp::kGe},
      {"10%以下", ValueOp::kLe},
      {"5天以内", ValueOp::kLe},
      {"3 次以上", ValueOp::kGe},
      // operator words; 超过/不满 exclude the number
      {"不低于90%", ValueOp::kGe},
      {"不超过3天", ValueOp::kLe},
      {"不少于50人", ValueOp::kGe},
      {"超过90%", ValueOp::kGt},
      {"不满5%", ValueOp::kLt},
      {"低于5%", ValueOp::kLt},
      {"大于等于80%", ValueOp::kGe},
      // operator prefix
      {">92%", ValueOp::kGt},
      {"≥95%", ValueOp::kGe},
      {"≤1125万元", ValueOp::kLe},
      {"≥50个", ValueOp::kGe},
      {"=100%", ValueOp::kEq},
      {"<5%", ValueOp::kLt},
      {">=90%", ValueOp::kGe},
      // range
      {"1-2 个", ValueOp::kBetween},
      {"3-4 个", ValueOp::kBetween},
      {"3～4个", ValueOp::kBetween},
      {"1至2次", ValueOp::kBetween},
      {"80-90%", ValueOp::kBetween},
      // percent
      {"100%", ValueOp::kEq},
      // qualitative trend and degree
      {"逐年提升", ValueOp::kQualitative},
      {"持续提升", ValueOp::kQualitative},
      {"显著改善", ValueOp::kQualitative},
      {"显著提高", ValueOp::kQualitative},
      {"持续保障", ValueOp::kQualitative},
      {"应保尽保", ValueOp::kQualitative},
      {"较大", ValueOp::kQualitative},
      {"效果明显", ValueOp::kQualitative},
      {"达成预期指标", ValueOp::kQualitative},
      // time
      {"2021年全年", ValueOp::kQualitative},
      {"按月安排", ValueOp::kQualitative},
      {"12月底前", ValueOp::kQualitative},
      // none / not applicable
      {"无", ValueOp::kNotApplicable},
      {"不适用", ValueOp::kNotApplicable},
      // non-value text (E5): kept as written, and flagged by the rules
      {"每年设定相关绩效目标", ValueOp::kInvalid},
  };
  return *forms;
}

TEST(IndicatorRoundTrip, EveryFormComesBackAsWritten) {
  for (const Form& form : Forms()) {
    const IndicatorValue parsed = ParseIndicatorValue(form.cell);
    EXPECT_EQ(ValueOpName(parsed.op), ValueOpName(form.op)) << form.cell;
    const std::string written = FormatIndicatorValue(parsed);
    EXPECT_EQ(written, form.cell);
    ExpectSameValue(ParseIndicatorValue(written), parsed, form.cell);
  }
}

TEST(IndicatorRoundTrip, NormalisesDigitsBlanksAndRepeatedUnits) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"９５％以上", "95%以上"}, {"95.0%", "95%"},  {"  20 次 ", "20 次"},
      {"1个-2个", "1-2个"},      {"≥ 95%", "≥95%"}, {"1,200人", "1200人"},
  };
  for (const auto& [cell, canonical] : cases) {
    const IndicatorValue parsed = ParseIndicatorValue(cell);
    EXPECT_EQ(FormatIndicatorValue(parsed), canonical) << cell;
    ExpectSameValue(ParseIndicatorValue(canonical), parsed, cell);
  }
}

// 以上, 以下, 以内 are operators, never a unit: "309309以上以上" read as
// ≥309309 in the unit 以上 came back from its canonical spelling
// "≥309309以上" without that unit; nor is the 及 of a 及以上 split by
// blanks, which writing joins up again (found by
// tests/fuzz/indicator_value_fuzzer).
TEST(IndicatorRoundTrip, AnOperatorWordIsNoUnit) {
  for (const char* cell : {"309309以上以上", "9及以上以内", "55及以上以下", "≥95%以下", "9及\t\t以上"}) {
    const IndicatorValue parsed = ParseIndicatorValue(cell);
    EXPECT_EQ(ValueOpName(parsed.op), "invalid") << cell << " unit " << parsed.unit;
  }
}

TEST(IndicatorRoundTrip, ValuesBuiltInCodeUseTheCanonicalSpelling) {
  struct Built {
    IndicatorValue value;
    std::string written;
  };
  auto make = [](ValueOp op, int64_t number, int64_t high, std::string unit) {
    IndicatorValue v;
    v.op = op;
    v.number = number;
    v.high = high;
    v.unit = std::move(unit);
    return v;
  };
  IndicatorValue none;
  none.op = ValueOp::kNotApplicable;
  const std::vector<Built> built = {
      {make(ValueOp::kGe, 9500, 0, "%"), "≥95%"},  {make(ValueOp::kLe, 112500, 0, "万元"), "≤1125万元"},
      {make(ValueOp::kGt, 9200, 0, "%"), ">92%"},  {make(ValueOp::kLt, 500, 0, "%"), "<5%"},
      {make(ValueOp::kEq, 2000, 0, "次"), "20次"}, {make(ValueOp::kBetween, 100, 200, "个"), "1-2个"},
      {make(ValueOp::kEq, 50, 0, ""), "0.5"},      {none, "无"},
  };
  for (const Built& b : built) {
    EXPECT_EQ(FormatIndicatorValue(b.value), b.written);
    ExpectSameValue(ParseIndicatorValue(b.written), b.value, b.written, /*compare_text=*/false);
  }
}

void CollectValues(const yusuan::goals::v1::Indicator& indicator, std::vector<std::string>* out) {
  out->push_back(indicator.target());
  for (const auto& h : indicator.history()) out->push_back(h.value());
}

TEST(IndicatorRoundTrip, EveryValueOfTheReferenceFilingComesBackAsWritten) {
  std::ifstream in(std::string(YUSUAN_SOURCE_DIR) + "/data/samples/qingshan-kexie-2021.json");
  std::stringstream json;
  json << in.rdbuf();
  yusuan::gateway::v1::Filing filing;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json.str(), &filing).ok());

  std::vector<std::string> values;
  const auto& department = filing.goals().department();
  for (const auto& goal : department.annual_goals()) {
    for (const auto& indicator : goal.indicators()) CollectValues(indicator, &values);
  }
  for (const auto& indicator : department.long_term_indicators()) CollectValues(indicator, &values);
  for (const auto& sheet : filing.goals().projects()) {
    for (const auto& indicator : sheet.medium_term_indicators()) CollectValues(indicator, &values);
    for (const auto& indicator : sheet.annual_indicators()) CollectValues(indicator, &values);
  }
  ASSERT_GT(values.size(), 50u);
  for (const std::string& cell : values) {
    const IndicatorValue parsed = ParseIndicatorValue(cell);
    EXPECT_EQ(FormatIndicatorValue(parsed), parsed.text) << cell;
    ExpectSameValue(ParseIndicatorValue(FormatIndicatorValue(parsed)), parsed, cell);
  }
}

TEST(Frameworks, ChosenByTheBudgetYear) {
  using namespace yusuan::goals::v1;
  EXPECT_EQ(FrameworkForYear(2021), IndicatorFramework::k2015);
  EXPECT_EQ(FrameworkForYear(2022), IndicatorFramework::k2021);
  EXPECT_EQ(AllowedLevel1Names(IndicatorFramework::k2015), "产出指标、效益指标、满意度指标");
  EXPECT_EQ(AllowedLevel1Names(IndicatorFramework::k2021), "产出指标、成本指标、效益指标、满意度指标");
  EXPECT_EQ(AllowedLevel2Names(IndicatorFramework::k2015, INDICATOR_LEVEL1_OUTPUT),
            "数量指标、质量指标、时效指标、成本指标");
  EXPECT_EQ(AllowedLevel2Names(IndicatorFramework::k2021, INDICATOR_LEVEL1_OUTPUT), "数量指标、质量指标、时效指标");
  EXPECT_EQ(AllowedLevel2Names(IndicatorFramework::k2021, INDICATOR_LEVEL1_COST),
            "经济成本指标、社会成本指标、生态环境成本指标");
  EXPECT_EQ(AllowedLevel2Names(IndicatorFramework::k2015, INDICATOR_LEVEL1_COST), "");
  EXPECT_TRUE(Level2InFramework(IndicatorFramework::k2015, INDICATOR_LEVEL1_OUTPUT, INDICATOR_LEVEL2_OUTPUT_COST));
  EXPECT_FALSE(Level2InFramework(IndicatorFramework::k2021, INDICATOR_LEVEL1_OUTPUT, INDICATOR_LEVEL2_OUTPUT_COST));
  EXPECT_FALSE(Level1InFramework(IndicatorFramework::k2015, INDICATOR_LEVEL1_COST));
  EXPECT_TRUE(Level2InFramework(IndicatorFramework::k2021, INDICATOR_LEVEL1_COST, INDICATOR_LEVEL2_SOCIAL_COST));
  EXPECT_FALSE(Level2InFramework(IndicatorFramework::k2021, INDICATOR_LEVEL1_BENEFIT, INDICATOR_LEVEL2_QUANTITY));
}

}  // namespace
}  // namespace yusuan::goals
