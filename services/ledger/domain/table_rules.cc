#include "services/ledger/domain/table_rules.h"
#include "services/ledger/domain/economic_classes.h"

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/rule_catalogue.h"
#include "services/ledger/domain/projections.h"

namespace yusuan::ledger {
namespace {

namespace v1 = yusuan::ledger::v1;
using yusuan::common::v1::Finding;
using Rows = google::protobuf::RepeatedPtrField<v1::TableRow>;
using Columns = google::protobuf::RepeatedPtrField<v1::TableColumn>;

// Sort position of a row or column the layout requires but the table lacks:
// after everything the table has.
constexpr int kMissing = INT_MAX;
// Sort position of the summary's findings: after every table.
constexpr int kSummary = INT_MAX;

// Cells are read clamped to ±(2^62 − 1), and sums saturate there, so that
// neither a sum nor a difference of two of them can overflow int64 whatever
// a (faulty) table holds. ComputeTables keeps every amount far below this.
constexpr int64_t kBound = (int64_t{1} << 62) - 1;

int64_t Clamp(int64_t v) { return std::clamp(v, -kBound, kBound); }

int64_t Plus(int64_t a, int64_t b) { return Clamp(a + b); }  // |a|, |b| ≤ kBound: a + b fits

// ------------------------------------------------------------------ hints

constexpr char kProjectionFault[] =
    "This is a fault of the projection, not of the filing: the tables and the summary are computed "
    "from the filing and this identity holds for every filing. Report it to the operators (the "
    "budget's name and this finding) and do not publish these tables.";

std::string FilingOrProjection(const std::string& cause) {
  return absl::StrCat("A filing causes this when ", cause,
                      "; correct those findings of the filing first. If the filing has none, this is a "
                      "fault of the projection: report it to the operators (the budget's name and this "
                      "finding) and do not publish these tables.");
}

// ------------------------------------------------------------------ reading the tables

// "十一、上年结转" → "上年结转"; "（一）一般公共预算拨款收入" → "一般公共预算拨款收入".
std::string_view WithoutNumbering(std::string_view name) {
  constexpr std::string_view kOpen = "（";
  constexpr std::string_view kClose = "）";
  constexpr std::string_view kComma = "、";
  if (name.substr(0, kOpen.size()) == kOpen) {
    const size_t close = name.find(kClose);
    if (close != std::string_view::npos) return name.substr(close + kClose.size());
  }
  const size_t comma = name.find(kComma);
  // At most three numerals before the 、 ("二十九、"), 3 bytes each in UTF-8.
  if (comma != std::string_view::npos && comma > 0 && comma <= 9) return name.substr(comma + kComma.size());
  return name;
}

// A row of one side of a table, or a row the layout requires that is missing.
struct RowRef {
  int index = kMissing;
  const v1::TableRow* row = nullptr;
  std::string missing_label;  // of a missing row
  std::string missing_text;

  // Location: the code, or the name when the code is empty.
  const std::string& label() const {
    if (row == nullptr) return missing_label;
    return row->code().empty() ? row->name() : row->code();
  }
  // In messages: "2060101 行政运行", "收入总计".
  std::string text() const {
    if (row == nullptr) return missing_text;
    return row->code().empty() ? row->name() : absl::StrCat(row->code(), " ", row->name());
  }
};

RowRef MakeRowRef(const Rows& rows, int index) {
  RowRef r;
  r.index = index;
  r.row = &rows[index];
  return r;
}

RowRef MissingRow(const std::string& label, const std::string& text) {
  RowRef r;
  r.missing_label = label;
  r.missing_text = text;
  return r;
}

// Words of a finding, spelt only when its check fails: nearly every check of
// a filing holds, and spelling the words of each cost more than the checks
// themselves (bench/apply_domain_bench). Either text that already exists
// (viewed, so it must outlive the call taking it) or a function that spells
// it.
class Words {
 public:
  Words(const char* text) : text_(text) {}         // NOLINT: implicit, as a string would be
  Words(const std::string& text) : text_(text) {}  // NOLINT
  template <typename Spell, typename = std::enable_if_t<std::is_invocable_r_v<std::string, const Spell&> &&
                                                        !std::is_convertible_v<const Spell&, std::string_view>>>
  Words(const Spell& spell) : spell_(spell) {}  // NOLINT

  std::string Spell() const { return spell_.has_value() ? (*spell_)() : std::string(text_); }

 private:
  std::string_view text_;
  std::optional<absl::FunctionRef<std::string()>> spell_;
};

// One side of a table: the 收入 side (rows, columns) or the 支出 side of a
// balance table (right_rows, right_columns).
class View {
 public:
  View(const v1::BudgetTable& table, int side) : table_(&table), side_(side) {}

  const v1::BudgetTable& table() const { return *table_; }
  int number() const { return table_->number(); }
  int side() const { return side_; }
  const Rows& rows() const { return side_ == 0 ? table_->rows() : table_->right_rows(); }
  const Columns& columns() const { return side_ == 0 ? table_->columns() : table_->right_columns(); }

  RowRef ByCode(const std::string& code) const {
    for (int i = 0; i < rows().size(); ++i) {
      if (rows()[i].code() == code) return MakeRowRef(rows(), i);
    }
    return MissingRow(code, code);
  }

  // The row without a code whose name, numbering removed, is `label`.
  RowRef ByLabel(const std::string& label) const {
    for (int i = 0; i < rows().size(); ++i) {
      if (rows()[i].code().empty() && WithoutNumbering(rows()[i].name()) == label) return MakeRowRef(rows(), i);
    }
    return MissingRow(label, label);
  }

  // Rows whose code has `length` characters and starts with `prefix`.
  std::vector<RowRef> Coded(size_t length, const std::string& prefix = "") const {
    std::vector<RowRef> out;
    for (int i = 0; i < rows().size(); ++i) {
      const std::string& code = rows()[i].code();
      if (code.size() == length && code.rfind(prefix, 0) == 0) out.push_back(MakeRowRef(rows(), i));
    }
    return out;
  }

  std::vector<RowRef> All() const {
    std::vector<RowRef> out;
    for (int i = 0; i < rows().size(); ++i) out.push_back(MakeRowRef(rows(), i));
    return out;
  }

  // Index of the column titled `title`, -1 when the table has none.
  int Column(const std::string& title) const {
    for (int i = 0; i < columns().size(); ++i) {
      if (columns()[i].title() == title) return i;
    }
    return -1;
  }

  // A column as messages name it: "基本支出·小计" when it sits under a group.
  std::string ColumnText(int column, const std::string& title) const {
    if (column < 0 || column >= columns().size() || columns()[column].group().empty()) return title;
    return absl::StrCat(columns()[column].group(), "·", title);
  }

  // "表2《一般公共预算支出表》" / "表2 (一般公共预算支出表)".
  std::string NameZh() const { return absl::StrCat("表", number(), "《", Title(), "》"); }
  std::string NameEn() const { return absl::StrCat("表", number(), " (", Title(), ")"); }

 private:
  std::string Title() const { return table_->title().empty() ? TableTitle(number()) : table_->title(); }

  const v1::BudgetTable* table_;
  int side_;
};

// A blank (missing) cell reads as 0.
int64_t Value(const RowRef& r, int column) {
  if (r.row == nullptr || column < 0 || column >= r.row->cells_fen_size()) return 0;
  return Clamp(r.row->cells_fen(column));
}

int64_t Value(const View& v, const RowRef& r, const std::string& column_title) {
  return Value(r, v.Column(column_title));
}

// The 合计 column summed over the rows of these economic classes.
template <size_t N>
int64_t ClassRowsTotal(const View& v, const std::array<std::string_view, N>& classes) {
  int64_t sum = 0;
  for (std::string_view code : classes) sum = Plus(sum, Value(v, v.ByCode(std::string(code)), "合计"));
  return sum;
}

int64_t SumOf(const std::vector<RowRef>& rows, int column) {
  int64_t sum = 0;
  for (const RowRef& r : rows) sum = Plus(sum, Value(r, column));
  return sum;
}

std::string Quote(const std::string& s) { return absl::StrCat("“", s, "”"); }

// "“小计” + “项目支出”".
std::string JoinQuoted(const std::vector<std::string>& items) {
  std::vector<std::string> quoted;
  for (const std::string& s : items) quoted.push_back(Quote(s));
  return absl::StrJoin(quoted, " + ");
}

std::string JoinPlain(const std::vector<std::string>& items) { return absl::StrJoin(items, " + "); }

// ------------------------------------------------------------------ findings

enum class Relation { kEquals, kAtLeast };

struct Pending {
  // Sort key: table, side, row, column.
  int table = 0;
  int side = 0;
  int row = 0;
  int column = 0;
  std::string rule_id;
  std::string field;
  std::string zh;
  std::string en;
  std::string hint;
  int location_table = 0;
  std::string location_row;
  std::string location_column;
  bool arithmetic = true;
  int64_t expected = 0;
  int64_t actual = 0;
  std::string expected_text;  // when not arithmetic
  std::string actual_text;
};

class Checker {
 public:
  explicit Checker(const v1::BudgetTables& tables) : tables_(tables) {}

  void Run() {
    if (const v1::BudgetTable* t = Table(1)) Table1(*t);
    if (const v1::BudgetTable* t = Table(2)) Table2(*t);
    if (const v1::BudgetTable* t = Table(3)) Table3(*t);
    if (const v1::BudgetTable* t = Table(5)) Table5(*t);
    if (const v1::BudgetTable* t = Table(6)) Table6(*t);
    if (const v1::BudgetTable* t = Table(7)) Table7(*t);
    if (const v1::BudgetTable* t = Table(8)) Table8(*t);
    Summary();
  }

  void Emit(FindingsBuilder& out) {
    std::stable_sort(pending_.begin(), pending_.end(), [](const Pending& a, const Pending& b) {
      return std::tie(a.table, a.side, a.row, a.column) < std::tie(b.table, b.side, b.row, b.column);
    });
    for (const Pending& p : pending_) {
      Finding* f = nullptr;
      if (p.arithmetic) {
        f = out.AddArithmetic(p.rule_id, p.field, p.zh, p.en, p.expected, p.actual, p.hint);
      } else {
        f = out.Add(p.rule_id, p.field, p.zh, p.en, p.hint);
        f->set_expected(p.expected_text);
        f->set_actual(p.actual_text);
      }
      Locate(f, p.location_table, p.location_row, p.location_column);
    }
  }

 private:
  const v1::BudgetTable* Table(int number) const {
    for (const v1::BudgetTable& t : tables_.tables()) {
      if (t.number() == number) return &t;
    }
    return nullptr;
  }

  // First finding of `rule` on a cell only: a cell that breaks two identities
  // of one rule is reported once.
  bool FirstOnCell(const std::string& rule, int table, int side, const std::string& row, const std::string& column) {
    return seen_.emplace(rule, table, side, row, column).second;
  }

  // The cell (`r`, column `title`) of `v` must equal (or be at least)
  // `expected`, which is `should_zh`/`should_en` in words.
  void Expect(const std::string& rule, const View& v, const RowRef& r, const std::string& title, Relation relation,
              int64_t expected, Words should_zh, Words should_en, Words hint) {
    const int column = v.Column(title);
    const int64_t actual = Value(r, column);
    const bool holds = relation == Relation::kEquals ? actual == expected : actual >= expected;
    if (holds || !FirstOnCell(rule, v.number(), v.side(), r.label(), title)) return;
    const std::string exp = ComparableAmount(expected, actual, expected);
    const std::string act = ComparableAmount(expected, actual, actual);
    const std::string col = v.ColumnText(column, title);
    Pending p;
    p.table = v.number();
    p.side = v.side();
    p.row = r.index;
    p.column = column < 0 ? kMissing : column;
    p.rule_id = rule;
    p.field = absl::StrCat("tables[", v.number(), "]");
    const char* verb_zh = relation == Relation::kEquals ? "应等于" : "不应小于";
    const char* verb_en = relation == Relation::kEquals ? "should equal" : "should be at least";
    p.zh = absl::StrCat(v.NameZh(), Quote(r.text()), "行", Quote(col), "列", verb_zh, should_zh.Spell(), "，即 ", exp,
                        "，实为 ", act, r.row == nullptr ? "（表中缺少该行）" : "", "。");
    p.en = absl::StrCat(v.NameEn(), ", row ", r.text(), ", column ", col, ": ", verb_en, " ", should_en.Spell(),
                        ", i.e. ", exp, ", but is ", act, r.row == nullptr ? " (the table lacks the row)" : "", ".");
    p.hint = hint.Spell();
    p.location_table = v.number();
    p.location_row = r.label();
    p.location_column = title;
    p.expected = expected;
    p.actual = actual;
    pending_.push_back(std::move(p));
  }

  // A check of the summary, located at the table cell it is read against.
  void ExpectSummary(const std::string& rule, int table, const std::string& row, const std::string& column,
                     int64_t expected, int64_t actual, const std::string& zh, const std::string& en,
                     const std::string& hint = kProjectionFault) {
    if (actual == expected || !FirstOnCell(rule, kSummary, 0, absl::StrCat(table, "/", row), column)) return;
    Pending p;
    p.table = kSummary;
    p.rule_id = rule;
    p.field = "tables.summary";
    p.zh = zh;
    p.en = en;
    p.hint = hint;
    p.location_table = table;
    p.location_row = row;
    p.location_column = column;
    p.expected = expected;
    p.actual = actual;
    pending_.push_back(std::move(p));
  }

  // Σ of `addends` (column `title`) into `target`, same column.
  void ExpectSum(const std::string& rule, const View& v, const RowRef& target, const std::string& title,
                 const std::vector<RowRef>& addends, Words should_zh, Words should_en, Words hint) {
    Expect(rule, v, target, title, Relation::kEquals, SumOf(addends, v.Column(title)), should_zh, should_en, hint);
  }

  // Every row: column `target` = Σ columns `addends`.
  void ExpectRowSums(const std::string& rule, const View& v, const std::string& target,
                     const std::vector<std::string>& addends, Words hint) {
    ExpectRowSums(
        rule, v, target, addends, [&] { return absl::StrCat("本行", JoinQuoted(addends)); },
        [&] { return absl::StrCat(JoinPlain(addends), " of the row"); }, hint);
  }

  void ExpectRowSums(const std::string& rule, const View& v, const std::string& target,
                     const std::vector<std::string>& addends, Words should_zh, Words should_en, Words hint) {
    for (const RowRef& r : v.All()) {
      int64_t sum = 0;
      for (const std::string& a : addends) sum = Plus(sum, Value(v, r, a));
      Expect(rule, v, r, target, Relation::kEquals, sum, should_zh, should_en, hint);
    }
  }

  // §2.0: 合计 = Σ 类, 类 = Σ its 款, 款 = Σ its 项 (code lengths `lengths`), every column.
  void ExpectTree(const std::string& rule, const View& v, const std::vector<size_t>& lengths) {
    static const char* kLevel[] = {"类", "款", "项"};
    const RowRef total = v.ByLabel("合计");
    const std::vector<RowRef> top = v.Coded(lengths[0]);
    for (const v1::TableColumn& c : v.columns()) {
      ExpectSum(
          rule, v, total, c.title(), top, [&] { return absl::StrCat("各", kLevel[0], "级科目行之和"); },
          [&] { return absl::StrCat("the sum of the ", kLevel[0], " rows"); }, kProjectionFault);
    }
    for (size_t level = 0; level + 1 < lengths.size() && level + 1 < 3; ++level) {
      for (const RowRef& parent : v.Coded(lengths[level])) {
        const std::vector<RowRef> children = v.Coded(lengths[level + 1], parent.label());
        // A 款 with no 项 rows is where its lines are classified (a 款
        // without 项, as under 219 援助其他地区支出); every 类 has 款.
        if (children.empty() && level + 1 == 2) continue;
        for (const v1::TableColumn& c : v.columns()) {
          ExpectSum(
              rule, v, parent, c.title(), children,
              [&] { return absl::StrCat("其下各", kLevel[level + 1], "级科目行之和"); },
              [&] { return absl::StrCat("the sum of its ", kLevel[level + 1], " rows"); }, kProjectionFault);
        }
      }
    }
  }

  // ---------------------------------------------------------------- 表1
  void Table1(const v1::BudgetTable& t) {
    const View in(t, 0);
    const View out(t, 1);
    const std::string kAmount = "预算数";

    // R-T1-1: each income heading is the sum of its fund rows.
    const std::vector<std::string> current = {"一般公共预算拨款收入", "政府性基金预算拨款收入",
                                              "国有资本经营预算拨款收入"};
    const std::vector<std::string> carryover = {"一般公共预算拨款", "政府性基金预算拨款", "国有资本经营预算拨款"};
    for (const auto& [heading, funds] :
         {std::pair{std::string("本年收入"), current}, std::pair{std::string("上年结转"), carryover}}) {
      std::vector<RowRef> rows;
      for (const std::string& f : funds) rows.push_back(in.ByLabel(f));
      ExpectSum("R-T1-1", in, in.ByLabel(heading), kAmount, rows, absl::StrCat("其下", JoinQuoted(funds), "之和"),
                absl::StrCat("the sum of its fund rows ", JoinPlain(funds)), kProjectionFault);
    }

    // R-T1-2: 收入总计 = 本年收入 + 上年结转.
    ExpectSum("R-T1-2", in, in.ByLabel("收入总计"), kAmount, {in.ByLabel("本年收入"), in.ByLabel("上年结转")},
              "“本年收入” + “上年结转”", "本年收入 + 上年结转", kProjectionFault);

    // R-T1-3: the 支出 side adds up, every column.
    const std::vector<std::string> kinds = {"基本支出", "项目支出", "上缴上级支出", "事业单位经营支出",
                                            "对附属单位补助支出"};
    std::vector<RowRef> kind_rows;
    for (const std::string& k : kinds) kind_rows.push_back(out.ByLabel(k));
    const RowRef spending = out.ByLabel("本年支出");
    for (const v1::TableColumn& c : out.columns()) {
      ExpectSum("R-T1-3", out, spending, c.title(), out.Coded(3), "各类级科目行之和", "the sum of the 类 rows",
                kProjectionFault);
      ExpectSum("R-T1-3", out, spending, c.title(), kind_rows, JoinQuoted(kinds),
                absl::StrCat("the sum of the rows by kind ", JoinPlain(kinds)),
                FilingOrProjection("an expenditure line has no kind (V-ENUM-UNSPECIFIED)"));
      ExpectSum("R-T1-3", out, out.ByLabel("支出总计"), c.title(), {spending, out.ByLabel("年终结转结余")},
                "“本年支出” + “年终结转结余”", "本年支出 + 年终结转结余", kProjectionFault);
    }

    // R-T1-5: every 支出 row, 合计 = Σ fund columns.
    ExpectRowSums("R-T1-5", out, "合计", {"一般公共预算", "政府性基金预算", "国有资本经营预算"}, kProjectionFault);
  }

  // ---------------------------------------------------------------- 表2
  void Table2(const v1::BudgetTable& t) {
    const View v(t, 0);
    ExpectRowSums("R-T2-1", v, "合计", {"小计", "项目支出"}, "本行“基本支出·小计” + “项目支出”",
                  "基本支出 小计 + 项目支出 of the row",
                  FilingOrProjection("a 一般公共预算 line has no kind (V-ENUM-UNSPECIFIED) or is of kind "
                                     "上缴上级/事业单位经营/对附属单位补助, which 表2 has no column for"));
    ExpectRowSums("R-T2-2", v, "小计", {"人员经费", "公用经费"}, "本行“基本支出·人员经费” + “基本支出·公用经费”",
                  "人员经费 + 公用经费 of the row", kProjectionFault);
    ExpectTree("R-T2-3", v, {3, 5, 7});
  }

  // ---------------------------------------------------------------- 表3
  void Table3(const v1::BudgetTable& t) {
    const View v(t, 0);
    ExpectRowSums("R-T3-1", v, "合计", {"人员经费", "公用经费"}, kProjectionFault);

    const RowRef total = v.ByLabel("合计");
    const std::string kind_hint = FilingOrProjection("a basic line's kind does not match its economic class (R-T3-5)");
    // R-T3-2/R-T3-3 read the class rows in the 合计 column (a 301 row is all 人员经费).
    const int64_t personnel = ClassRowsTotal(v, kPersonnelClasses);
    Expect("R-T3-2", v, total, "人员经费", Relation::kEquals, personnel,
           "“301 工资福利支出”与“303 对个人和家庭的补助”两行“合计”列之和",
           "the 合计 of rows 301 (工资福利支出) + 303 (对个人和家庭的补助)", kind_hint);
    const int64_t public_ = ClassRowsTotal(v, kPublicClasses);
    Expect("R-T3-3", v, total, "公用经费", Relation::kEquals, public_,
           "“302 商品和服务支出”、“310 资本性支出”与“399 其他支出”三行“合计”列之和",
           "the 合计 of rows 302 (商品和服务支出) + 310 (资本性支出) + 399 (其他支出)", kind_hint);

    ExpectTree("R-T3-4", v, {3, 5});

    if (const v1::BudgetTable* t2 = Table(2)) {
      const View general(*t2, 0);
      const RowRef general_total = general.ByLabel("合计");
      for (const auto& [mine, theirs] :
           {std::pair<std::string, std::string>{"合计", "小计"}, {"人员经费", "人员经费"}, {"公用经费", "公用经费"}}) {
        Expect(
            "R-T3-6", v, total, mine, Relation::kEquals, Value(general, general_total, theirs),
            absl::StrCat(general.NameZh(), "“合计”行", Quote(general.ColumnText(general.Column(theirs), theirs)), "列"),
            absl::StrCat(general.NameEn(), " row 合计, column ", general.ColumnText(general.Column(theirs), theirs)),
            kProjectionFault);
      }
    }
  }

  // ---------------------------------------------------------------- 表5
  void Table5(const v1::BudgetTable& t) {
    const View v(t, 0);
    ExpectRowSums("R-T5-1", v, "合计", {"基本支出", "项目支出"},
                  FilingOrProjection("a 政府性基金预算 line has no kind (V-ENUM-UNSPECIFIED) or is of kind "
                                     "上缴上级/事业单位经营/对附属单位补助, which 表5 has no column for"));
    ExpectTree("R-T5-1", v, {3, 5, 7});
    if (const v1::BudgetTable* t1 = Table(1)) {
      const View fiscal(*t1, 1);
      Expect("R-T5-1", v, v.ByLabel("合计"), "合计", Relation::kEquals,
             Value(fiscal, fiscal.ByLabel("本年支出"), "政府性基金预算"),
             absl::StrCat(fiscal.NameZh(), "“一、本年支出”行“政府性基金预算”列"),
             absl::StrCat(fiscal.NameEn(), " row 一、本年支出, column 政府性基金预算"), kProjectionFault);
    }
  }

  // ---------------------------------------------------------------- 表6
  void Table6(const v1::BudgetTable& t) {
    const View in(t, 0);
    const View out(t, 1);
    const std::string kAmount = "预算数";

    std::vector<std::string> sources;
    std::vector<RowRef> source_rows;
    for (int s = v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET; s < v1::FUND_SOURCE_INSTITUTION_FUND; ++s) {
      sources.push_back(FundSourceLabel(static_cast<v1::FundSource>(s)));
      source_rows.push_back(in.ByLabel(sources.back()));
    }
    ExpectSum("R-T6-1", in, in.ByLabel("本年收入合计"), kAmount, source_rows,
              absl::StrCat("各项收入（", JoinQuoted(sources), "）之和"),
              absl::StrCat("the sum of the income rows ", JoinPlain(sources)), kProjectionFault);

    ExpectSum("R-T6-2", in, in.ByLabel("收入总计"), kAmount,
              {in.ByLabel("本年收入合计"), in.ByLabel("用事业基金弥补收支差额"), in.ByLabel("上年结转")},
              "“本年收入合计” + “用事业基金弥补收支差额” + “上年结转”",
              "本年收入合计 + 用事业基金弥补收支差额 + 上年结转", kProjectionFault);

    const RowRef spending = out.ByLabel("本年支出合计");
    ExpectSum("R-T6-3", out, spending, kAmount, out.Coded(3), "各类级科目行之和", "the sum of the 类 rows",
              kProjectionFault);
    ExpectSum("R-T6-4", out, out.ByLabel("支出总计"), kAmount,
              {spending, out.ByLabel("事业单位结余分配"), out.ByLabel("结转下年")},
              "“本年支出合计” + “事业单位结余分配” + “结转下年”", "本年支出合计 + 事业单位结余分配 + 结转下年",
              kProjectionFault);

    if (const v1::BudgetTable* t1 = Table(1)) {
      const View fiscal(*t1, 0);
      for (int s = v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET; s <= v1::FUND_SOURCE_STATE_CAPITAL_BUDGET; ++s) {
        const std::string label = FundSourceLabel(static_cast<v1::FundSource>(s));
        const RowRef theirs = fiscal.ByLabel(label);
        Expect("R-T6-6", in, in.ByLabel(label), kAmount, Relation::kEquals, Value(fiscal, theirs, kAmount),
               absl::StrCat(fiscal.NameZh(), Quote(theirs.text()), "行"),
               absl::StrCat(fiscal.NameEn(), " row ", theirs.text()), kProjectionFault);
      }
    }
  }

  // ---------------------------------------------------------------- 表7
  void Table7(const v1::BudgetTable& t) {
    const View v(t, 0);
    std::vector<std::string> sources = {"上年结转"};
    for (int s = v1::FUND_SOURCE_GENERAL_PUBLIC_BUDGET; s <= v1::FUND_SOURCE_INSTITUTION_FUND; ++s) {
      sources.push_back(FundSourceLabel(static_cast<v1::FundSource>(s)));
    }
    ExpectRowSums("R-T7-1", v, "合计", sources, "本行“上年结转”与各收入来源列之和",
                  "上年结转 + every source column of the row",
                  FilingOrProjection("an expenditure line has no fund source (V-ENUM-UNSPECIFIED)"));
    ExpectTree("R-T7-1", v, {3, 5, 7});

    if (const v1::BudgetTable* t6 = Table(6)) {
      const View department(*t6, 0);
      const RowRef total = v.ByLabel("合计");
      const std::string hint = FilingOrProjection(
          "a source's income differs from the spending paid from it (R-T1-4, R-T6-5): 表7 shows the income "
          "that pays the spending lines, 表6 the income lines");
      const RowRef income_total = department.ByLabel("收入总计");
      Expect("R-T7-2", v, total, "合计", Relation::kEquals, Value(department, income_total, "预算数"),
             absl::StrCat(department.NameZh(), Quote(income_total.text()), "行"),
             absl::StrCat(department.NameEn(), " row ", income_total.text()), hint);
      for (const std::string& source : sources) {
        const RowRef theirs = department.ByLabel(source);
        Expect("R-T7-2", v, total, source, Relation::kEquals, Value(department, theirs, "预算数"),
               absl::StrCat(department.NameZh(), Quote(theirs.text()), "行"),
               absl::StrCat(department.NameEn(), " row ", theirs.text()), hint);
      }
    }
  }

  // ---------------------------------------------------------------- 表8
  void Table8(const v1::BudgetTable& t) {
    const View v(t, 0);
    ExpectRowSums("R-T8-1", v, "合计",
                  {"基本支出", "项目支出", "上缴上级支出", "事业单位经营支出", "对附属单位补助支出"},
                  FilingOrProjection("an expenditure line has no kind (V-ENUM-UNSPECIFIED)"));
    ExpectTree("R-T8-1", v, {3, 5, 7});

    if (const v1::BudgetTable* t6 = Table(6)) {
      const View department(*t6, 1);
      const RowRef spending = department.ByLabel("本年支出合计");
      Expect("R-T8-2", v, v.ByLabel("合计"), "合计", Relation::kEquals, Value(department, spending, "预算数"),
             absl::StrCat(department.NameZh(), Quote(spending.text()), "行"),
             absl::StrCat(department.NameEn(), " row ", spending.text()), kProjectionFault);
      std::set<std::string> seen;
      for (const RowRef& mine : v.Coded(3)) {
        seen.insert(mine.label());
        const RowRef theirs = department.ByCode(mine.label());
        Expect(
            "R-T8-2", v, mine, "合计", Relation::kEquals, Value(department, theirs, "预算数"),
            [&] { return absl::StrCat(department.NameZh(), "支出方", Quote(theirs.text()), "行"); },
            [&] { return absl::StrCat(department.NameEn(), ", 支出 side, row ", theirs.text()); }, kProjectionFault);
      }
      for (const RowRef& theirs : department.Coded(3)) {
        if (seen.count(theirs.label()) != 0) continue;
        Expect(
            "R-T8-2", v, MissingRow(theirs.label(), theirs.text()), "合计", Relation::kEquals,
            Value(department, theirs, "预算数"),
            [&] { return absl::StrCat(department.NameZh(), "支出方", Quote(theirs.text()), "行"); },
            [&] { return absl::StrCat(department.NameEn(), ", 支出 side, row ", theirs.text()); }, kProjectionFault);
      }
    }

    if (const v1::BudgetTable* t2 = Table(2)) {
      const View general(*t2, 0);
      const std::string hint = FilingOrProjection("an amount is negative (V-AMOUNT-NEGATIVE)");
      for (const RowRef& theirs : general.All()) {
        const RowRef mine = theirs.row->code().empty() ? v.ByLabel(theirs.label()) : v.ByCode(theirs.label());
        const RowRef located = mine.row != nullptr ? mine : MissingRow(theirs.label(), theirs.text());
        for (const auto& [col, general_col] :
             {std::pair<std::string, std::string>{"合计", "合计"}, {"基本支出", "小计"}, {"项目支出", "项目支出"}}) {
          const std::string general_text = general.ColumnText(general.Column(general_col), general_col);
          Expect(
              "R-T8-3", v, located, col, Relation::kAtLeast, Value(general, theirs, general_col),
              [&] {
                return absl::StrCat("其中由一般公共预算安排的部分，即", general.NameZh(), Quote(theirs.text()), "行",
                                    Quote(general_text), "列");
              },
              [&] {
                return absl::StrCat("its 一般公共预算 part, ", general.NameEn(), " row ", theirs.text(), ", column ",
                                    general_text);
              },
              hint);
        }
      }
    }
  }

  // ---------------------------------------------------------------- summary
  void Summary() {
    const v1::BudgetSummary& s = tables_.summary();
    const std::string kFor = "摘要（第三部分";

    if (const v1::BudgetTable* t1 = Table(1)) {
      const View fiscal(*t1, 1);
      const int64_t total = Value(fiscal, fiscal.ByLabel("支出总计"), "合计");
      const int64_t split = Plus(Clamp(s.fiscal_basic_fen()), Clamp(s.fiscal_project_fen()));
      ExpectSummary(
          "X2", 1, "支出总计", "合计", total, split,
          absl::StrCat(kFor, "一）的财政拨款基本支出 ", ComparableAmount(total, split, Clamp(s.fiscal_basic_fen())),
                       " 与项目支出 ", ComparableAmount(total, split, Clamp(s.fiscal_project_fen())), " 之和 ",
                       ComparableAmount(total, split, split), "，应等于", fiscal.NameZh(), "“支出总计”行“合计”列 ",
                       ComparableAmount(total, split, total), "。"),
          absl::StrCat("the summary's 财政拨款 basic + project spending (§三.一) is ",
                       ComparableAmount(total, split, split), "; it should equal ", fiscal.NameEn(),
                       ", row 支出总计, column 合计: ", ComparableAmount(total, split, total), "."),
          FilingOrProjection("a 财政拨款 line has no kind (V-ENUM-UNSPECIFIED) or is of kind "
                             "上缴上级/事业单位经营/对附属单位补助, which the §三.一 sentence (基本支出, 项目支出) "
                             "does not name"));
    }

    const int64_t basic = Clamp(s.general_basic_fen());
    for (int number : {2, 3}) {
      const v1::BudgetTable* t = Table(number);
      if (t == nullptr) continue;
      const View v(*t, 0);
      const std::string column = number == 2 ? "小计" : "合计";
      const int64_t cell = Value(v, v.ByLabel("合计"), column);
      const std::string col = v.ColumnText(v.Column(column), column);
      ExpectSummary(
          "X5", number, "合计", column, cell, basic,
          absl::StrCat(kFor, "二、三）的一般公共预算基本支出 ", ComparableAmount(cell, basic, basic), "，应等于",
                       v.NameZh(), "“合计”行", Quote(col), "列 ", ComparableAmount(cell, basic, cell), "。"),
          absl::StrCat("the summary's 一般公共预算 basic spending (§三.二(一)) is ",
                       ComparableAmount(cell, basic, basic), "; it should equal ", v.NameEn(), ", row 合计, column ",
                       col, ": ", ComparableAmount(cell, basic, cell), "."));
    }

    const int64_t personnel = Clamp(s.general_personnel_fen());
    const int64_t public_ = Clamp(s.general_public_fen());
    const int64_t both = Plus(personnel, public_);
    ExpectSummary(
        "X7", 3, "合计", "合计", both, basic,
        absl::StrCat(kFor, "三）的一般公共预算基本支出 ", ComparableAmount(both, basic, basic), "，应等于人员经费 ",
                     ComparableAmount(both, basic, personnel), " 与公用经费 ", ComparableAmount(both, basic, public_),
                     " 之和 ", ComparableAmount(both, basic, both), "。"),
        absl::StrCat("the summary's basic spending (§三.三) is ", ComparableAmount(both, basic, basic),
                     "; it should equal 人员经费 + 公用经费: ", ComparableAmount(both, basic, both), "."));

    int64_t personnel_classes = 0;
    for (const v1::EconomicClassTotal& c : s.general_basic_by_class()) {
      // The flag, as the narrative reads it: a class flagged wrongly breaks this sum.
      if (c.personnel()) personnel_classes = Plus(personnel_classes, Clamp(c.amount_fen()));
    }
    ExpectSummary("X8", 3, "合计", "人员经费", personnel_classes, personnel,
                  absl::StrCat(kFor, "三（一））的人员经费 ", ComparableAmount(personnel_classes, personnel, personnel),
                               "，应等于工资福利支出（301）与对个人和家庭的补助（303）之和 ",
                               ComparableAmount(personnel_classes, personnel, personnel_classes), "。"),
                  absl::StrCat("the summary's 人员经费 (§三.三(一)) is ",
                               ComparableAmount(personnel_classes, personnel, personnel),
                               "; it should equal its classes 301 (工资福利支出) + 303 (对个人和家庭的补助): ",
                               ComparableAmount(personnel_classes, personnel, personnel_classes), "."),
                  FilingOrProjection("a basic line's kind does not match its economic class (R-T3-5)"));

    if (const v1::BudgetTable* t3 = Table(3)) {
      const View v(*t3, 0);
      const int64_t classes = ClassRowsTotal(v, kOfficeRunningClasses);
      // 机关运行经费 is the offices' share of those rows; the other units'
      // share is stated beside it, so the split is checked exactly.
      const int64_t machinery = Plus(Clamp(s.machinery_operating_fen()), Clamp(s.non_office_public_fen()));
      ExpectSummary("X15", 3, "302", "合计", classes, machinery,
                    absl::StrCat(kFor, "九（一））的机关运行经费与其他单位公用经费之和 ",
                                 ComparableAmount(classes, machinery, machinery), "，应等于", v.NameZh(),
                                 "“302”与“310”两行“合计”列之和 ", ComparableAmount(classes, machinery, classes), "。"),
                    absl::StrCat("the summary's 机关运行经费 (§三.九(一)) plus the other units' 公用经费 is ",
                                 ComparableAmount(classes, machinery, machinery), "; it should equal ", v.NameEn(),
                                 " rows 302 + 310, column 合计: ", ComparableAmount(classes, machinery, classes), "."));
    }

    // 表8 holds every line whatever its budget, so a 政府性基金 项 is explained too.
    if (const v1::BudgetTable* t8 = Table(8)) Glossary(s, View(*t8, 0));
  }

  // X22: 名词解释(十) = the 表8 项 rows with a non-zero 合计, under their 类 and 款, with 表8's names.
  void Glossary(const v1::BudgetSummary& s, const View& general) {
    struct Entry {
      const v1::GlossaryClass* group;
      const v1::CatalogueEntry* item;
      bool matched;
    };
    std::vector<Entry> entries;
    for (const v1::GlossaryClass& g : s.glossary()) {
      for (const v1::CatalogueEntry& e : g.items()) entries.push_back(Entry{&g, &e, false});
    }
    auto text = [](const std::string& code, const std::string& name) { return absl::StrCat(code, " ", name); };
    auto add = [&](const std::string& row, const std::string& column, const std::string& zh, const std::string& en,
                   const std::string& expected, const std::string& actual) {
      if (!FirstOnCell("X22", kSummary, 0, absl::StrCat(8, "/", row), column)) return;
      Pending p;
      p.table = kSummary;
      p.rule_id = "X22";
      p.field = "tables.summary";
      p.zh = zh;
      p.en = en;
      p.hint = kProjectionFault;
      p.location_table = 8;
      p.location_row = row;
      p.location_column = column;
      p.arithmetic = false;
      p.expected_text = expected;
      p.actual_text = actual;
      pending_.push_back(std::move(p));
    };
    const std::string kName = "科目名称";
    const int total_column = general.Column("合计");

    for (const RowRef& item : general.Coded(7)) {
      if (Value(item, total_column) == 0) continue;
      const std::string& code = item.label();
      const std::string& name = item.row->name();
      Entry* found = nullptr;
      for (Entry& e : entries) {
        if (!e.matched && e.item->code() == code) {
          found = &e;
          break;
        }
      }
      if (found == nullptr) {
        add(code, "合计",
            absl::StrCat("名词解释（十）未列出", general.NameZh(), "中金额不为零的项级科目", Quote(text(code, name)),
                         "。"),
            absl::StrCat("the glossary (名词解释(十)) does not list 项 ", text(code, name),
                         ", which has a non-zero 合计 in ", general.NameEn(), "."),
            text(code, name), "（未列出）");
        continue;
      }
      found->matched = true;
      if (found->item->name() != name) {
        add(code, kName,
            absl::StrCat("名词解释（十）中项级科目 ", code, " 的名称", Quote(found->item->name()), "与",
                         general.NameZh(), "的", Quote(name), "不一致。"),
            absl::StrCat("the glossary names 项 ", code, " ", Quote(found->item->name()), ", ", general.NameEn(), " ",
                         Quote(name), "."),
            text(code, name), text(code, found->item->name()));
      }
      // The 款 and the 类 it is listed under.
      for (const auto& [length, listed_code, listed_name, what_zh, what_en] :
           {std::tuple{size_t{5}, found->group->kuan_code(), found->group->kuan_name(), "款", "款"},
            std::tuple{size_t{3}, found->group->class_code(), found->group->class_name(), "类", "类"}}) {
        const RowRef parent = general.ByCode(code.substr(0, length));
        const std::string parent_name = parent.row != nullptr ? parent.row->name() : "";
        if (listed_code == parent.label() && listed_name == parent_name) continue;
        add(parent.label(), kName,
            absl::StrCat("名词解释（十）将项级科目 ", text(code, name), " 列在", what_zh,
                         Quote(text(listed_code, listed_name)), "下，应为", general.NameZh(), "的",
                         Quote(text(parent.label(), parent_name)), "。"),
            absl::StrCat("the glossary lists 项 ", text(code, name), " under ", what_en, " ",
                         text(listed_code, listed_name), "; ", general.NameEn(), " has ",
                         text(parent.label(), parent_name), "."),
            text(parent.label(), parent_name), text(listed_code, listed_name));
      }
    }
    // A 款 that has no 项 rows is listed as its own line, with no items.
    std::vector<const v1::GlossaryClass*> leaf_groups;
    for (const v1::GlossaryClass& g : s.glossary()) {
      if (g.items_size() == 0) leaf_groups.push_back(&g);
    }
    for (const RowRef& kuan : general.Coded(5)) {
      if (Value(kuan, total_column) == 0 || !general.Coded(7, kuan.label()).empty()) continue;
      const std::string& name = kuan.row->name();
      auto found = std::find_if(leaf_groups.begin(), leaf_groups.end(),
                                [&](const v1::GlossaryClass* g) { return g->kuan_code() == kuan.label(); });
      if (found == leaf_groups.end()) {
        add(kuan.label(), "合计",
            absl::StrCat("名词解释（十）未列出", general.NameZh(), "中金额不为零、其下无项的款级科目",
                         Quote(text(kuan.label(), name)), "。"),
            absl::StrCat("the glossary (名词解释(十)) does not list 款 ", text(kuan.label(), name),
                         ", which has no 项 and a non-zero 合计 in ", general.NameEn(), "."),
            text(kuan.label(), name), "（未列出）");
        continue;
      }
      const v1::GlossaryClass& group = **found;
      leaf_groups.erase(found);
      const RowRef parent = general.ByCode(kuan.label().substr(0, 3));
      const std::string parent_name = parent.row != nullptr ? parent.row->name() : "";
      if (group.kuan_name() != name || group.class_code() != parent.label() || group.class_name() != parent_name) {
        add(kuan.label(), kName,
            absl::StrCat("名词解释（十）将款级科目 ", kuan.label(), " 列为",
                         Quote(text(group.class_code(), group.class_name())), "下的", Quote(group.kuan_name()), "，",
                         general.NameZh(), "为", Quote(text(parent.label(), parent_name)), "下的", Quote(name), "。"),
            absl::StrCat("the glossary lists 款 ", kuan.label(), " as ", Quote(group.kuan_name()), " under ",
                         text(group.class_code(), group.class_name()), "; ", general.NameEn(), " has ", Quote(name),
                         " under ", text(parent.label(), parent_name), "."),
            absl::StrCat(text(parent.label(), parent_name), " / ", text(kuan.label(), name)),
            absl::StrCat(text(group.class_code(), group.class_name()), " / ", text(kuan.label(), group.kuan_name())));
      }
    }
    for (const v1::GlossaryClass* g : leaf_groups) {
      add(g->kuan_code(), "合计",
          absl::StrCat("名词解释（十）列出了没有项的", Quote(text(g->kuan_code(), g->kuan_name())), "，但它不是",
                       general.NameZh(), "中金额不为零、其下无项的款级科目（或已重复列出）。"),
          absl::StrCat("the glossary lists ", text(g->kuan_code(), g->kuan_name()),
                       " with no items, which is not a 款 without 项 rows with a non-zero 合计 in ", general.NameEn(),
                       " (or is listed twice)."),
          "（不列出）", text(g->kuan_code(), g->kuan_name()));
    }
    for (const Entry& e : entries) {
      if (e.matched) continue;
      const std::string& code = e.item->code();
      add(code, "合计",
          absl::StrCat("名词解释（十）列出了", Quote(text(code, e.item->name())), "，但它不是", general.NameZh(),
                       "中金额不为零的项级科目（或已重复列出）。"),
          absl::StrCat("the glossary lists ", text(code, e.item->name()),
                       ", which is not a 项 with a non-zero 合计 in ", general.NameEn(), " (or is listed twice)."),
          "（不列出）", text(code, e.item->name()));
    }
  }

  const v1::BudgetTables& tables_;
  std::vector<Pending> pending_;
  std::set<std::tuple<std::string, int, int, std::string, std::string>> seen_;
};

}  // namespace

const std::vector<yusuan::common::v1::Rule>& TableRules() {
  using namespace yusuan::common::v1;  // NOLINT: the enum values read as a table
  constexpr auto E = SEVERITY_FATAL;
  constexpr auto kAccurate = RULE_CATEGORY_ACCURACY;
  constexpr auto kConsistent = RULE_CATEGORY_CONSISTENCY;
  static const auto* rules = new std::vector<Rule>{
      MakeRule("R-T1-1", E, kAccurate,
               "表1 本年收入、上年结转各等于其下一般公共预算、政府性基金预算、国有资本经营预算三行之和",
               "表1: 本年收入 and 上年结转 each equal their three fund rows", "domain.md R-T1-1", "ledger"),
      MakeRule("R-T1-2", E, kAccurate, "表1 收入总计 = 本年收入 + 上年结转", "表1: 收入总计 = 本年收入 + 上年结转",
               "domain.md R-T1-2", "ledger"),
      MakeRule("R-T1-3", E, kAccurate,
               "表1 本年支出 = 各类级科目之和 = 各支出类型之和；支出总计 = 本年支出 + 年终结转结余（各列）",
               "表1: 本年支出 = Σ 类 rows = Σ rows by kind; 支出总计 = 本年支出 + 年终结转结余, every column",
               "domain.md R-T1-3", "ledger"),
      MakeRule("R-T1-5", E, kAccurate, "表1 每个支出行：合计 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算",
               "表1: every 支出 row's 合计 = the sum of its fund columns", "domain.md R-T1-5", "ledger"),
      MakeRule("R-T2-1", E, kAccurate, "表2 每行：合计 = 基本支出 + 项目支出",
               "表2: every row's 合计 = 基本支出 + 项目支出", "domain.md R-T2-1", "ledger"),
      MakeRule("R-T2-2", E, kAccurate, "表2 每行：基本支出 = 人员经费 + 公用经费",
               "表2: every row's 基本支出 = 人员经费 + 公用经费", "domain.md R-T2-2", "ledger"),
      MakeRule("R-T2-3", E, kAccurate, "表2 合计 = 各类之和，类 = 其下各款之和，款 = 其下各项之和（各列）",
               "表2: 合计 = Σ 类, 类 = Σ 款, 款 = Σ 项, every column", "domain.md R-T2-3", "ledger"),
      MakeRule("R-T3-1", E, kAccurate, "表3 每行：合计 = 人员经费 + 公用经费",
               "表3: every row's 合计 = 人员经费 + 公用经费", "domain.md R-T3-1", "ledger"),
      MakeRule("R-T3-2", E, kAccurate, "表3 人员经费合计 = 301 + 303", "表3: total 人员经费 = classes 301 + 303",
               "domain.md R-T3-2", "ledger"),
      MakeRule("R-T3-3", E, kAccurate, "表3 公用经费合计 = 302 + 310 + 399",
               "表3: total 公用经费 = classes 302 + 310 + 399", "domain.md R-T3-3", "ledger"),
      MakeRule("R-T3-4", E, kAccurate, "表3 合计 = 各类之和，类 = 其下各款之和（各列）",
               "表3: 合计 = Σ 类, 类 = Σ 款, every column", "domain.md R-T3-4", "ledger"),
      MakeRule("R-T3-6", E, kConsistent, "表3 合计行 = 表2 合计行的基本支出（小计、人员经费、公用经费）",
               "表3's 合计 row equals 表2's 基本支出 (小计, 人员经费, 公用经费)", "domain.md R-T3-6", "ledger"),
      MakeRule("R-T5-1", E, kAccurate,
               "表5 每行：合计 = 基本支出 + 项目支出，各级科目逐级相加；合计 = 表1 政府性基金预算本年支出",
               "表5: every row's 合计 = 基本 + 项目, parents are sums of children; 合计 = 表1 政府性基金预算 本年支出",
               "domain.md R-T5-1, §2.0", "ledger"),
      MakeRule("R-T6-1", E, kAccurate, "表6 本年收入合计 = 各项收入之和",
               "表6: 本年收入合计 = the sum of the income rows", "domain.md R-T6-1", "ledger"),
      MakeRule("R-T6-2", E, kAccurate, "表6 收入总计 = 本年收入合计 + 用事业基金弥补收支差额 + 上年结转",
               "表6: 收入总计 = 本年收入合计 + 用事业基金弥补收支差额 + 上年结转", "domain.md R-T6-2", "ledger"),
      MakeRule("R-T6-3", E, kAccurate, "表6 本年支出合计 = 各类级科目之和",
               "表6: 本年支出合计 = the sum of the 类 rows", "domain.md R-T6-3", "ledger"),
      MakeRule("R-T6-4", E, kAccurate, "表6 支出总计 = 本年支出合计 + 事业单位结余分配 + 结转下年",
               "表6: 支出总计 = 本年支出合计 + 事业单位结余分配 + 结转下年", "domain.md R-T6-4", "ledger"),
      MakeRule("R-T6-6", E, kConsistent, "表6 财政拨款各项收入 = 表1 对应的本年收入行",
               "表6's 财政拨款 income rows equal 表1's", "domain.md R-T6-6", "ledger"),
      MakeRule("R-T7-1", E, kAccurate, "表7 每行：合计 = 上年结转 + 各收入来源之和，各级科目逐级相加",
               "表7: every row's 合计 = 上年结转 + every source; parents are sums of children",
               "domain.md R-T7-1, §2.0", "ledger"),
      MakeRule("R-T7-2", E, kConsistent, "表7 合计行 = 表6 收入总计，各列合计 = 表6 对应收入行",
               "表7's 合计 row equals 表6's 收入总计 and, column by column, its income rows", "domain.md R-T7-2",
               "ledger"),
      MakeRule("R-T8-1", E, kAccurate,
               "表8 每行：合计 = 基本 + 项目 + 上缴上级 + 事业单位经营 + 对附属单位补助，各级科目逐级相加",
               "表8: every row's 合计 = the sum of its kinds; parents are sums of children", "domain.md R-T8-1, §2.0",
               "ledger"),
      MakeRule("R-T8-2", E, kConsistent, "表8 合计 = 表6 本年支出合计，各类 = 表6 对应类",
               "表8's 合计 equals 表6's 本年支出合计 and each 类 row 表6's", "domain.md R-T8-2", "ledger"),
      MakeRule("R-T8-3", E, kConsistent, "表8 各行不小于表2 同一科目的一般公共预算部分（合计、基本支出、项目支出）",
               "表8 rows are at least 表2's 一般公共预算 part of the same code (合计, 基本, 项目)", "domain.md R-T8-3",
               "ledger"),
      MakeRule("X2", E, kAccurate, "说明一：财政拨款基本支出 + 项目支出 = 表1 支出总计",
               "§三.一: 财政拨款 basic + project = 表1 支出总计", "domain.md X2", "ledger"),
      MakeRule("X5", E, kConsistent, "说明二（一）：基本支出 = 表2 基本支出 = 表3 合计",
               "§三.二(一): 基本支出 = 表2 and 表3", "domain.md X5", "ledger"),
      MakeRule("X7", E, kAccurate, "说明三：基本支出 = 人员经费 + 公用经费", "§三.三: 基本支出 = 人员经费 + 公用经费",
               "domain.md X7", "ledger"),
      MakeRule("X8", E, kAccurate, "说明三（一）：人员经费 = 工资福利支出 + 对个人和家庭的补助",
               "§三.三(一): 人员经费 = 301 + 303", "domain.md X8", "ledger"),
      MakeRule("X15", E, kConsistent, "说明九（一）：机关运行经费 = 表3 302 + 310",
               "§三.九(一): 机关运行经费 = 表3 302 + 310", "domain.md X15", "ledger"),
      MakeRule("X22", E, kConsistent,
               "名词解释（十）恰好列出表8 金额不为零的项级科目（各项资金），类、款、项名称与表8 一致",
               "名词解释(十) lists exactly 表8's non-zero 项 (every budget), under their 类 and 款, with 表8's names",
               "domain.md X22", "ledger"),
  };
  return *rules;
}

void CheckTables(const v1::BudgetTables& tables, FindingsBuilder& out) {
  Checker checker(tables);
  checker.Run();
  checker.Emit(out);
}

}  // namespace yusuan::ledger
