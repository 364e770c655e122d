// Builds the findings of every rule set (ledger, goals, cross checks): every message starts with the
// field it is about, arithmetic findings carry expected / actual / difference
// in the unit that shows the difference, and rules about a table cell say
// which table, row and column.
#ifndef YUSUAN_SERVICES_COMMON_FINDINGS_BUILDER_H_
#define YUSUAN_SERVICES_COMMON_FINDINGS_BUILDER_H_

#include <cstdint>
#include <string>

#include "services/common/rule_catalogue.h"
#include "services/common/utf8.h"
#include "yusuan/common/v1/findings.pb.h"

namespace yusuan {

// `amount` as text in the unit that shows the difference between `a` and
// `b`: 万元 with 2 decimals normally, 元 when they differ by less than 0.01 万元.
std::string ComparableAmount(int64_t a, int64_t b, int64_t amount);

// User text quoted into a message: valid UTF-8 and at most ~60 bytes.
std::string Shown(const std::string& text);

// "base[index].field".
std::string Path(const std::string& base, int index, const std::string& field);

// Sets where in the published tables a finding is (table 1..10, row code or
// label, column title). Returns `finding`.
yusuan::common::v1::Finding* Locate(yusuan::common::v1::Finding* finding, int table, const std::string& row,
                                    const std::string& column);

// Appends findings of the rules in `rules` to a report, each with its rule's
// severity and category (NewFinding).
class FindingsBuilder {
 public:
  FindingsBuilder(const RuleBook& rules, yusuan::common::v1::ValidationReport* report)
      : rules_(rules), report_(report) {}

  yusuan::common::v1::Finding* Add(const std::string& rule_id, const std::string& field, const std::string& zh,
                                   const std::string& en, const std::string& hint);

  // Arithmetic in 万元: difference = actual − expected. A difference too
  // small to show in 万元 (under 100 元) is shown in 元, so a 1 分 imbalance
  // never reads "415.51 ≠ 415.51, difference 0.00".
  yusuan::common::v1::Finding* AddArithmetic(const std::string& rule_id, const std::string& field,
                                             const std::string& zh, const std::string& en, int64_t expected_fen,
                                             int64_t actual_fen, const std::string& hint);

  // Arithmetic in 元 (project forms are in 元).
  yusuan::common::v1::Finding* AddArithmeticYuan(const std::string& rule_id, const std::string& field,
                                                 const std::string& zh, const std::string& en, int64_t expected_fen,
                                                 int64_t actual_fen, const std::string& hint);

  // Counts (people, vehicles): expected / actual / difference as integers.
  yusuan::common::v1::Finding* AddCount(const std::string& rule_id, const std::string& field, const std::string& zh,
                                        const std::string& en, int64_t expected, int64_t actual,
                                        const std::string& hint);

  // Expected / actual / difference as given (text values, counts in words).
  yusuan::common::v1::Finding* AddWithValues(const std::string& rule_id, const std::string& field,
                                             const std::string& zh, const std::string& en, const std::string& hint,
                                             const std::string& expected, const std::string& actual,
                                             const std::string& difference);

  void Required(const std::string& field, const std::string& what_zh, const std::string& what_en);
  void Unspecified(const std::string& field, const std::string& what_zh, const std::string& what_en,
                   const std::string& choices);
  void NegativeCount(const std::string& field, int64_t value);
  void InvalidUtf8(const std::string& field);
  // V-TEXT-CONTROL on `prefix` + found.path: the character by code point
  // and position (never the character itself, which may not survive a
  // message), with `actual` = "U+0000".
  void ControlCharacterInText(const std::string& prefix, const ControlCharacterField& found);

 private:
  const RuleBook& rules_;
  yusuan::common::v1::ValidationReport* report_;
};

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_FINDINGS_BUILDER_H_
