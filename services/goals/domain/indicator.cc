#include "services/goals/domain/indicator.h"

#include <array>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace yusuan::goals {
namespace {

using yusuan::goals::v1::IndicatorLevel1;
using yusuan::goals::v1::IndicatorLevel2;
using yusuan::goals::v1::PerformanceStandard;

// Cells come from outside and may hold broken bytes (the rules report those
// separately), so decoding maps every ill-formed sequence to U+FFFD instead
// of failing: the parser only has to say "not a value".
std::u32string Decode(std::string_view s) {
  std::u32string out;
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    int len = 0;
    char32_t cp = 0;
    if (c < 0x80) {
      len = 1;
      cp = c;
    } else if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    if (i + len > s.size()) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    bool ok = true;
    for (int k = 1; k < len; ++k) {
      const unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (cc & 0x3F);
    }
    const bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
    if (!ok || overlong || surrogate || cp > 0x10FFFF) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    out.push_back(cp);
    i += len;
  }
  return out;
}

std::string Encode(std::u32string_view s) {
  std::string out;
  for (char32_t cp : s) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  return out;
}

bool IsBlank(char32_t c) { return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == 0x3000 || c == 0xA0; }

// ASCII and full-width digits (cells pasted from Word often have the latter).
int DigitValue(char32_t c) {
  if (c >= U'0' && c <= U'9') return static_cast<int>(c - U'0');
  if (c >= 0xFF10 && c <= 0xFF19) return static_cast<int>(c - 0xFF10);
  return -1;
}
bool IsDigit(char32_t c) { return DigitValue(c) >= 0; }
bool IsDecimalPoint(char32_t c) { return c == U'.' || c == 0xFF0E; }

bool IsRangeSeparator(char32_t c) {
  return c == U'-' || c == U'~' || c == 0xFF5E /*～*/ || c == 0x2014 /*—*/ || c == 0x2013 /*–*/ || c == 0xFF0D /*－*/ ||
         c == U'至' || c == U'到';
}

std::u32string_view Trim(std::u32string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

bool StartsWith(std::u32string_view s, std::u32string_view p) {
  return s.size() >= p.size() && s.substr(0, p.size()) == p;
}
bool EndsWith(std::u32string_view s, std::u32string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}
bool Contains(std::u32string_view s, std::u32string_view p) { return s.find(p) != std::u32string_view::npos; }

// Longest spellings first so that "≥=" style doubles and "大于等于" win over
// their one-character prefixes.
constexpr std::array<std::pair<std::u32string_view, ValueOp>, 31> kPrefixOps = {{
    {U"大于等于", ValueOp::kGe}, {U"小于等于", ValueOp::kLe}, {U"不低于", ValueOp::kGe}, {U"不少于", ValueOp::kGe},
    {U"不小于", ValueOp::kGe},   {U"不超过", ValueOp::kLe},   {U"不高于", ValueOp::kLe}, {U"不多于", ValueOp::kLe},
    {U"不大于", ValueOp::kLe},   {U">=", ValueOp::kGe},       {U"＞＝", ValueOp::kGe},   {U"<=", ValueOp::kLe},
    {U"＜＝", ValueOp::kLe},     {U"大于", ValueOp::kGt},     {U"超过", ValueOp::kGt},   {U"高于", ValueOp::kGt},
    {U"小于", ValueOp::kLt},     {U"低于", ValueOp::kLt},     {U"少于", ValueOp::kLt},   {U"不满", ValueOp::kLt},
    {U"等于", ValueOp::kEq},     {U"≥", ValueOp::kGe},        {U"≧", ValueOp::kGe},      {U"≤", ValueOp::kLe},
    {U"≦", ValueOp::kLe},        {U">", ValueOp::kGt},        {U"＞", ValueOp::kGt},     {U"<", ValueOp::kLt},
    {U"＜", ValueOp::kLt},       {U"=", ValueOp::kEq},        {U"＝", ValueOp::kEq},
}};

// 以上/以下 include the number (Chinese legal convention, domain.md §4.6).
constexpr std::array<std::pair<std::u32string_view, ValueOp>, 5> kSuffixOps = {{
    {U"及以上", ValueOp::kGe},
    {U"及以下", ValueOp::kLe},
    {U"以上", ValueOp::kGe},
    {U"以下", ValueOp::kLe},
    {U"以内", ValueOp::kLe},
}};

constexpr std::array<std::u32string_view, 11> kNotApplicable = {U"无",   U"/",      U"-",   U"—",   U"——", U"－",
                                                                U"暂无", U"不适用", U"N/A", U"n/a", U"NA"};

// Words that make a cell a statement about the indicator rather than a value
// ("每年设定相关绩效目标", E5).
constexpr std::array<std::u32string_view, 6> kNonValueMarkers = {U"设定", U"待定", U"另行", U"详见", U"参见", U"根据"};

// Graded wording of qualitative values (§4.6, S11–S13).
constexpr std::array<std::u32string_view, 44> kQualitativeWords = {
    U"提升", U"提高", U"改善", U"增长", U"增加", U"下降", U"降低", U"减少",     U"保障", U"明显", U"显著",
    U"较大", U"很大", U"巨大", U"较高", U"较好", U"良好", U"优秀", U"优良",     U"达标", U"达到", U"达成",
    U"完成", U"合格", U"有效", U"稳定", U"持续", U"逐年", U"逐步", U"应保尽保", U"按时", U"及时", U"按月",
    U"按季", U"按期", U"全年", U"全面", U"覆盖", U"满意", U"符合", U"正常",     U"规范", U"是",   U"否"};

// A vague quantity ("开展活动若干") promises no amount that can be checked.
constexpr std::array<std::u32string_view, 4> kVagueQuantities = {U"若干", U"一些", U"适量", U"一定数量"};

constexpr size_t kMaxQualitativeLength = 16;  // code points
constexpr size_t kMaxUnitLength = 4;          // "万元", "人次", "个/年"

// Reads digits[.digits] at `pos` into hundredths, rounding half-up beyond two
// decimals. Returns false when there is no digit at `pos` or it overflows.
bool ReadNumber(std::u32string_view s, size_t* pos, int64_t* hundredths) {
  size_t i = *pos;
  if (i >= s.size() || !IsDigit(s[i])) return false;
  int64_t whole = 0;
  int digits = 0;
  while (i < s.size()) {
    if (IsDigit(s[i])) {
      whole = whole * 10 + DigitValue(s[i]);
      if (++digits > 15) return false;
      ++i;
    } else if (s[i] == U',' && i + 3 < s.size() && IsDigit(s[i + 1]) && IsDigit(s[i + 2]) && IsDigit(s[i + 3]) &&
               (i + 4 == s.size() || !IsDigit(s[i + 4]))) {
      // Thousands separator: only ",ddd" not followed by a fourth digit.
      ++i;
    } else {
      break;
    }
  }
  int64_t frac = 0;
  if (i + 1 < s.size() && IsDecimalPoint(s[i]) && IsDigit(s[i + 1])) {
    ++i;
    int k = 0;
    bool round_up = false;
    while (i < s.size() && IsDigit(s[i])) {
      if (k < 2) {
        frac = frac * 10 + DigitValue(s[i]);
      } else if (k == 2) {
        round_up = DigitValue(s[i]) >= 5;
      }
      ++k;
      ++i;
    }
    if (k == 1) frac *= 10;
    if (round_up) ++frac;
  }
  *hundredths = whole * 100 + frac;
  *pos = i;
  return true;
}

bool HasDigit(std::u32string_view s) {
  for (char32_t c : s) {
    if (IsDigit(c)) return true;
  }
  return false;
}

// CJK Unified Ideographs and extension A: the cell says something in words.
bool HasIdeograph(std::u32string_view s) {
  for (char32_t c : s) {
    if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF)) return true;
  }
  return false;
}

// Time expressions such as "2021年全年" or "12月底前" carry a number but are
// read as qualitative deadlines (§4.6 "time").
bool LooksLikeTime(std::u32string_view s) {
  return Contains(s, U"年") || Contains(s, U"月") || Contains(s, U"日") || Contains(s, U"季度") || EndsWith(s, U"前") ||
         EndsWith(s, U"底");
}

IndicatorValue ClassifyText(std::u32string_view s, IndicatorValue v) {
  for (auto na : kNotApplicable) {
    if (s == na) {
      v.op = ValueOp::kNotApplicable;
      return v;
    }
  }
  v.op = ValueOp::kInvalid;
  if (s.size() > kMaxQualitativeLength) return v;
  for (auto marker : kNonValueMarkers) {
    if (Contains(s, marker)) return v;
  }
  if (HasDigit(s)) {
    if (LooksLikeTime(s)) v.op = ValueOp::kQualitative;
    return v;
  }
  for (auto word : kQualitativeWords) {
    if (Contains(s, word)) {
      v.op = ValueOp::kQualitative;
      return v;
    }
  }
  for (auto vague : kVagueQuantities) {
    if (Contains(s, vague)) return v;
  }
  // Any other short wording without a digit states a deadline or a quality
  // in words ("每季度首月底前", "年底前", "及时"): a value for 时效 and 质量
  // indicators, assessed by reading it. A cell of symbols only ("%", "≥")
  // says nothing and stays invalid.
  if (HasIdeograph(s)) v.op = ValueOp::kQualitative;
  return v;
}

// A unit is short and holds no digits; "年全年" after "2021" is a date.
// Nor is it an operator word: "以上" left after "95%以上" was stripped once
// says the operator twice, and the 及 of "9及 以上" is the start of 及以上,
// which writing the value without blanks would join up again.
bool ValidUnit(std::u32string_view unit) {
  if (unit.size() > kMaxUnitLength) return false;
  if (HasDigit(unit)) return false;
  if (StartsWith(unit, U"年") || StartsWith(unit, U"月") || StartsWith(unit, U"日")) return false;
  if (EndsWith(unit, U"及")) return false;
  for (const auto& [spelling, op] : kSuffixOps) {
    if (EndsWith(unit, spelling)) return false;
  }
  for (char32_t c : unit) {
    if (IsBlank(c) || c == 0xFFFD || IsRangeSeparator(c)) return false;
  }
  return true;
}

constexpr std::array<std::u32string_view, 30> kMeasureWords = {
    U"人次", U"场次", U"次", U"场", U"家", U"个", U"期", U"项", U"人", U"所", U"篇", U"份", U"批", U"处", U"座",
    U"名",   U"户",   U"件", U"部", U"册", U"套", U"台", U"条", U"支", U"天", U"届", U"轮", U"类", U"门", U"本"};

size_t SkipBlanks(std::u32string_view s, size_t i) {
  while (i < s.size() && IsBlank(s[i])) ++i;
  return i;
}

// "９５％" and "95%" are the same unit to every rule.
std::string EncodeUnit(std::u32string_view unit) {
  std::u32string normalised(unit);
  for (char32_t& c : normalised) {
    if (c == 0xFF05) c = U'%';
  }
  return Encode(normalised);
}

}  // namespace

IndicatorValue ParseIndicatorValue(std::string_view text) {
  const std::u32string decoded = Decode(text);
  const std::u32string_view s = Trim(decoded);
  IndicatorValue v;
  v.text = Encode(s);
  if (s.empty()) return v;  // kInvalid

  std::u32string_view rest = s;
  std::optional<ValueOp> prefix_op;
  std::u32string_view prefix_spelling;
  for (const auto& [spelling, op] : kPrefixOps) {
    if (StartsWith(rest, spelling)) {
      prefix_op = op;
      prefix_spelling = spelling;
      rest = Trim(rest.substr(spelling.size()));
      break;
    }
  }

  size_t pos = 0;
  int64_t first = 0;
  if (!ReadNumber(rest, &pos, &first)) {
    if (prefix_op.has_value()) return v;  // "≥" with no number
    return ClassifyText(s, std::move(v));
  }

  // Number [unit] [sep number [unit]] [以上|以下|…]
  std::u32string_view tail = rest.substr(pos);
  std::optional<int64_t> second;
  std::u32string_view unit1, unit2;
  size_t sep = std::u32string_view::npos;
  for (size_t i = 0; i < tail.size(); ++i) {
    if (IsRangeSeparator(tail[i])) {
      const size_t j = SkipBlanks(tail, i + 1);
      if (j < tail.size() && IsDigit(tail[j])) {
        sep = i;
        break;
      }
    }
  }
  std::u32string_view after = tail;
  if (sep != std::u32string_view::npos) {
    unit1 = Trim(tail.substr(0, sep));
    size_t j = SkipBlanks(tail, sep + 1);
    int64_t hi = 0;
    std::u32string_view t2 = tail.substr(j);
    size_t p2 = 0;
    ReadNumber(t2, &p2, &hi);
    second = hi;
    after = t2.substr(p2);
  }

  std::u32string_view unit = Trim(after);
  const bool blank_before_unit = !after.empty() && IsBlank(after.front()) && !unit.empty();
  std::optional<ValueOp> suffix_op;
  std::u32string_view suffix_spelling;
  for (const auto& [spelling, op] : kSuffixOps) {
    if (EndsWith(unit, spelling)) {
      suffix_op = op;
      suffix_spelling = spelling;
      unit = Trim(unit.substr(0, unit.size() - spelling.size()));
      break;
    }
  }

  if (second.has_value()) {
    unit2 = unit;
    if (prefix_op.has_value() || suffix_op.has_value()) return ClassifyText(s, std::move(v));
    if (!unit1.empty() && !unit2.empty() && unit1 != unit2) return ClassifyText(s, std::move(v));
    unit = unit2.empty() ? unit1 : unit2;
    if (!ValidUnit(unit) || *second < first) return ClassifyText(s, std::move(v));
    v.op = ValueOp::kBetween;
    v.number = first;
    v.high = *second;
    v.unit = EncodeUnit(unit);
    v.range_separator = Encode(tail.substr(sep, 1));
    // "1-2 个": the blank before the unit after the high end.
    const std::u32string_view after_high = after;
    v.blank_before_unit = !unit2.empty() && !after_high.empty() && IsBlank(after_high.front());
    return v;
  }

  if (!ValidUnit(unit)) return ClassifyText(s, std::move(v));
  if (prefix_op.has_value() && suffix_op.has_value() && *prefix_op != *suffix_op) {
    return v;  // "≤95%以上" contradicts itself
  }
  v.op = prefix_op.value_or(suffix_op.value_or(ValueOp::kEq));
  v.number = first;
  v.unit = EncodeUnit(unit);
  v.blank_before_unit = blank_before_unit && !v.unit.empty();
  if (suffix_op.has_value() && !prefix_op.has_value()) {
    v.op_spelling = Encode(suffix_spelling);
    v.op_after_number = true;
  } else if (prefix_op.has_value()) {
    // "≥95%以上" says it twice; the prefix is written back.
    v.op_spelling = Encode(prefix_spelling);
  }
  return v;
}

std::string FormatIndicatorValue(const IndicatorValue& value) {
  auto number_and_unit = [&value](int64_t number) {
    std::string out = FormatHundredths(number);
    if (!value.unit.empty()) {
      if (value.blank_before_unit) out += ' ';
      out += value.unit;
    }
    return out;
  };
  switch (value.op) {
    case ValueOp::kEq:
    case ValueOp::kGe:
    case ValueOp::kLe:
    case ValueOp::kGt:
    case ValueOp::kLt: {
      std::string spelling = value.op_spelling;
      if (spelling.empty()) {
        static constexpr std::string_view kCanonical[] = {"", "≥", "≤", ">", "<"};
        spelling = std::string(kCanonical[static_cast<int>(value.op)]);
      }
      return value.op_after_number ? number_and_unit(value.number) + spelling
                                   : spelling + number_and_unit(value.number);
    }
    case ValueOp::kBetween: {
      const std::string separator = value.range_separator.empty() ? "-" : value.range_separator;
      return FormatHundredths(value.number) + separator + number_and_unit(value.high);
    }
    case ValueOp::kNotApplicable:
      return value.text.empty() ? "无" : value.text;
    case ValueOp::kQualitative:
    case ValueOp::kInvalid:
      return value.text;
  }
  return value.text;
}

bool IsNumeric(const IndicatorValue& value) {
  switch (value.op) {
    case ValueOp::kEq:
    case ValueOp::kGe:
    case ValueOp::kLe:
    case ValueOp::kGt:
    case ValueOp::kLt:
    case ValueOp::kBetween:
      return true;
    default:
      return false;
  }
}

std::string_view ValueOpName(ValueOp op) {
  switch (op) {
    case ValueOp::kEq:
      return "eq";
    case ValueOp::kGe:
      return "ge";
    case ValueOp::kLe:
      return "le";
    case ValueOp::kGt:
      return "gt";
    case ValueOp::kLt:
      return "lt";
    case ValueOp::kBetween:
      return "between";
    case ValueOp::kQualitative:
      return "qual";
    case ValueOp::kNotApplicable:
      return "na";
    case ValueOp::kInvalid:
      return "invalid";
  }
  return "invalid";
}

std::string FormatHundredths(int64_t hundredths) {
  const bool negative = hundredths < 0;
  const uint64_t abs = negative ? 0 - static_cast<uint64_t>(hundredths) : static_cast<uint64_t>(hundredths);
  std::string out = negative ? "-" : "";
  out += std::to_string(abs / 100);
  const uint64_t frac = abs % 100;
  if (frac != 0) {
    out += '.';
    out += static_cast<char>('0' + frac / 10);
    if (frac % 10 != 0) out += static_cast<char>('0' + frac % 10);
  }
  return out;
}

std::optional<IndicatorValue> QuantityInGoalText(std::string_view text) {
  const std::u32string s = Decode(text);
  std::optional<IndicatorValue> last;
  size_t i = 0;
  while (i < s.size()) {
    // A number starts at a digit that does not continue an earlier number.
    if (!IsDigit(s[i]) || (i > 0 && (IsDigit(s[i - 1]) || IsDecimalPoint(s[i - 1])))) {
      ++i;
      continue;
    }
    size_t p = i;
    int64_t lo = 0;
    if (!ReadNumber(s, &p, &lo)) {
      // Too many digits for a number: the digits after this one continue it
      // and are skipped in turn.
      ++i;
      continue;
    }
    std::optional<int64_t> hi;
    size_t q = SkipBlanks(s, p);
    if (q < s.size() && IsRangeSeparator(s[q])) {
      size_t r = SkipBlanks(s, q + 1);
      int64_t h = 0;
      if (ReadNumber(s, &r, &h)) {
        hi = h;
        q = SkipBlanks(s, r);
      }
    }
    const std::u32string_view after = std::u32string_view(s).substr(q);
    bool matched = false;
    for (auto word : kMeasureWords) {
      if (StartsWith(after, word)) {
        IndicatorValue v;
        v.op = hi.has_value() ? ValueOp::kBetween : ValueOp::kEq;
        v.number = lo;
        v.high = hi.value_or(0);
        v.unit = Encode(word);
        v.text = Encode(std::u32string_view(s).substr(i, q - i + word.size()));
        last = std::move(v);
        matched = true;
        i = q + word.size();
        break;
      }
    }
    if (!matched) i = p;
  }
  return last;
}

bool Level2BelongsTo(IndicatorLevel1 level1, IndicatorLevel2 level2) {
  using namespace yusuan::goals::v1;
  switch (level1) {
    case INDICATOR_LEVEL1_OUTPUT:
      return level2 == INDICATOR_LEVEL2_QUANTITY || level2 == INDICATOR_LEVEL2_QUALITY ||
             level2 == INDICATOR_LEVEL2_TIMELINESS || level2 == INDICATOR_LEVEL2_OUTPUT_COST;
    case INDICATOR_LEVEL1_BENEFIT:
      return level2 == INDICATOR_LEVEL2_ECONOMIC_BENEFIT || level2 == INDICATOR_LEVEL2_SOCIAL_BENEFIT ||
             level2 == INDICATOR_LEVEL2_ECOLOGICAL_BENEFIT || level2 == INDICATOR_LEVEL2_SUSTAINABLE_IMPACT;
    case INDICATOR_LEVEL1_SATISFACTION:
      return level2 == INDICATOR_LEVEL2_SERVICE_SATISFACTION;
    case INDICATOR_LEVEL1_COST:
      return level2 == INDICATOR_LEVEL2_ECONOMIC_COST || level2 == INDICATOR_LEVEL2_SOCIAL_COST ||
             level2 == INDICATOR_LEVEL2_ECOLOGICAL_COST;
    default:
      return false;
  }
}

IndicatorFramework FrameworkForYear(int fiscal_year) {
  return fiscal_year >= 2022 ? IndicatorFramework::k2021 : IndicatorFramework::k2015;
}

std::string_view FrameworkName(IndicatorFramework framework) {
  return framework == IndicatorFramework::k2021 ? "财预〔2021〕101号" : "财预〔2015〕88号";
}

bool Level1InFramework(IndicatorFramework framework, IndicatorLevel1 level1) {
  using namespace yusuan::goals::v1;
  switch (level1) {
    case INDICATOR_LEVEL1_OUTPUT:
    case INDICATOR_LEVEL1_BENEFIT:
    case INDICATOR_LEVEL1_SATISFACTION:
      return true;
    case INDICATOR_LEVEL1_COST:
      return framework == IndicatorFramework::k2021;
    default:
      return false;
  }
}

bool Level2InFramework(IndicatorFramework framework, IndicatorLevel1 level1, IndicatorLevel2 level2) {
  if (!Level1InFramework(framework, level1) || !Level2BelongsTo(level1, level2)) return false;
  // 101号 moved 成本 out of 产出.
  return !(framework == IndicatorFramework::k2021 && level2 == yusuan::goals::v1::INDICATOR_LEVEL2_OUTPUT_COST);
}

std::string AllowedLevel1Names(IndicatorFramework framework) {
  using namespace yusuan::goals::v1;
  std::string out;
  for (IndicatorLevel1 level1 :
       {INDICATOR_LEVEL1_OUTPUT, INDICATOR_LEVEL1_COST, INDICATOR_LEVEL1_BENEFIT, INDICATOR_LEVEL1_SATISFACTION}) {
    if (!Level1InFramework(framework, level1)) continue;
    if (!out.empty()) out += "、";
    out += std::string(Level1NameZh(level1));
  }
  return out;
}

std::string AllowedLevel2Names(IndicatorFramework framework, IndicatorLevel1 level1) {
  std::string out;
  for (int n = 1; n <= yusuan::goals::v1::IndicatorLevel2_MAX; ++n) {
    const auto level2 = static_cast<IndicatorLevel2>(n);
    if (!yusuan::goals::v1::IndicatorLevel2_IsValid(n) || !Level2InFramework(framework, level1, level2)) continue;
    if (!out.empty()) out += "、";
    out += std::string(Level2NameZh(level2));
  }
  return out;
}

std::string_view Level1NameZh(IndicatorLevel1 level1) {
  using namespace yusuan::goals::v1;
  switch (level1) {
    case INDICATOR_LEVEL1_OUTPUT:
      return "产出指标";
    case INDICATOR_LEVEL1_BENEFIT:
      return "效益指标";
    case INDICATOR_LEVEL1_SATISFACTION:
      return "满意度指标";
    case INDICATOR_LEVEL1_COST:
      return "成本指标";
    default:
      return "";
  }
}

std::string_view Level2NameZh(IndicatorLevel2 level2) {
  using namespace yusuan::goals::v1;
  switch (level2) {
    case INDICATOR_LEVEL2_QUANTITY:
      return "数量指标";
    case INDICATOR_LEVEL2_QUALITY:
      return "质量指标";
    case INDICATOR_LEVEL2_TIMELINESS:
      return "时效指标";
    case INDICATOR_LEVEL2_OUTPUT_COST:
      return "成本指标";
    case INDICATOR_LEVEL2_ECONOMIC_BENEFIT:
      return "经济效益指标";
    case INDICATOR_LEVEL2_SOCIAL_BENEFIT:
      return "社会效益指标";
    case INDICATOR_LEVEL2_ECOLOGICAL_BENEFIT:
      return "生态效益指标";
    case INDICATOR_LEVEL2_SUSTAINABLE_IMPACT:
      return "可持续影响指标";
    case INDICATOR_LEVEL2_SERVICE_SATISFACTION:
      return "服务对象满意度指标";
    case INDICATOR_LEVEL2_ECONOMIC_COST:
      return "经济成本指标";
    case INDICATOR_LEVEL2_SOCIAL_COST:
      return "社会成本指标";
    case INDICATOR_LEVEL2_ECOLOGICAL_COST:
      return "生态环境成本指标";
    default:
      return "";
  }
}

std::string_view StandardNameZh(PerformanceStandard standard) {
  using namespace yusuan::goals::v1;
  switch (standard) {
    case PERFORMANCE_STANDARD_HISTORICAL:
      return "历史标准";
    case PERFORMANCE_STANDARD_INDUSTRY:
      return "行业标准";
    case PERFORMANCE_STANDARD_PLAN:
      return "计划标准";
    case PERFORMANCE_STANDARD_OTHER:
      return "其他标准";
    default:
      return "";
  }
}

}  // namespace yusuan::goals
