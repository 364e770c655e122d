// ReadFilingWorkbook: the sheets of layout.h back into a Filing, every cell
// that cannot be read named as a problem, every cell read noted in the
// provenance map.
#include <functional>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/findings_builder.h"
#include "services/common/xlsx_reader.h"
#include "services/gateway/workbook/amount.h"
#include "services/gateway/workbook/filing_workbook.h"
#include "services/gateway/workbook/layout.h"
#include "services/gateway/workbook/paths.h"

namespace yusuan::workbook {
namespace {

namespace gv1 = yusuan::gateway::v1;
namespace lv1 = yusuan::ledger::v1;
namespace ov1 = yusuan::goals::v1;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

constexpr size_t kMaxProblems = 500;
constexpr char kQuotaPrefix[] = "编制数·";

// User text quoted into a Chinese message: “…”, cut like Shown().
std::string ShownZh(const std::string& text) {
  std::string shown = Shown(text);
  if (shown.size() >= 2 && shown.front() == '"' && shown.back() == '"') shown = shown.substr(1, shown.size() - 2);
  return absl::StrCat("“", shown, "”");
}

bool IsBlank(const xlsx::Cell& cell) { return cell.type == xlsx::CellType::kBlank || TrimText(cell.text).empty(); }

// A cell's text as a string field holds it: a number typed into a text
// column ("2060101" stored as 2060101 or 2.060101E6) becomes its digits.
std::string CellString(const xlsx::Cell& cell) {
  if (cell.type == xlsx::CellType::kNumber) {
    const ParsedNumber n = ParseAmountFen(cell.text, AmountUnit::kYuan);  // exact, ×100
    if (n.error == ParsedNumber::Error::kNone && n.value % 100 == 0) return absl::StrCat(n.value / 100);
    return cell.text;
  }
  return cell.text;
}

// Where the header of a block is and which column holds what.
struct Header {
  size_t index = 0;          // into sheet.rows
  std::vector<int> columns;  // per spec column, -1 when missing
  std::vector<std::optional<AmountUnit>> units;
  int last_column = 0;
};

// What a cell feeds, for messages and provenance.
struct Target {
  std::string ref;   // "支出!G7"
  std::string path;  // "budget.expenditureLines[4].amountFen"
  std::string what_zh;
  std::string what_en;
  std::optional<AmountUnit> unit;
};

class Reader {
 public:
  explicit Reader(WorkbookReadResult* result) : result_(result) {}

  void Read(std::string_view bytes) {
    for (const std::string& sheet : DataSheets()) Record(PathOfSheet(sheet), sheet);
    xlsx::ReadError error;
    std::optional<xlsx::Workbook> workbook = xlsx::Workbook::Open(bytes, &error);
    if (!workbook.has_value()) {
      Problem("WB-NOT-XLSX", "", "", "", absl::StrCat("文件不是可读的工作簿：", error.zh),
              absl::StrCat("the file is not a readable workbook: ", error.en));
      return;
    }
    const std::vector<std::string> names = workbook->SheetNames();
    std::map<std::string, xlsx::Sheet> sheets;
    for (const std::string& name : DataSheets()) {
      auto at = std::find(names.begin(), names.end(), name);
      if (at == names.end()) {
        Problem("WB-MISSING-SHEET", name, name, PathOfSheet(name),
                absl::StrCat("缺少工作表“", name, "”。请使用模板中的工作表，不要删除或改名。"),
                absl::StrCat("the sheet ", name, " (", SheetNameEn(name),
                             ") is missing; keep every sheet of the template, with its name"));
        continue;
      }
      std::optional<xlsx::Sheet> sheet = workbook->ReadSheet(static_cast<size_t>(at - names.begin()), &error);
      if (!sheet.has_value()) {
        Problem("WB-SHEET-UNREADABLE", name, name, "", absl::StrCat("工作表“", name, "”无法读取：", error.zh),
                absl::StrCat("sheet ", name, " cannot be read: ", error.en));
        continue;
      }
      sheets.emplace(name, std::move(*sheet));
    }
    auto sheet = [&](const char* name) -> const xlsx::Sheet* {
      auto it = sheets.find(name);
      return it == sheets.end() ? nullptr : &it->second;
    };
    if (const xlsx::Sheet* s = sheet(kSheetDepartment)) ReadEntries(*s, 0, s->rows.size(), DepartmentEntries());
    if (const xlsx::Sheet* s = sheet(kSheetUnits)) {
      ReadTable<lv1::SecondaryUnit>(*s, 0, s->rows.size(), UnitTable(), "department.secondaryUnits",
                                    [&] { return filing_.mutable_department()->add_secondary_units(); });
    }
    if (const xlsx::Sheet* s = sheet(kSheetIncome)) {
      ReadTable<lv1::IncomeLine>(*s, 0, s->rows.size(), IncomeTable(), "budget.incomeLines",
                                 [&] { return filing_.mutable_budget()->add_income_lines(); });
    }
    if (const xlsx::Sheet* s = sheet(kSheetExpenditure)) {
      ReadTable<lv1::ExpenditureLine>(*s, 0, s->rows.size(), ExpenditureTable(), "budget.expenditureLines",
                                      [&] { return filing_.mutable_budget()->add_expenditure_lines(); });
    }
    if (const xlsx::Sheet* s = sheet(kSheetProjects)) {
      ReadTable<lv1::Project>(*s, 0, s->rows.size(), ProjectTable(), "budget.projects",
                              [&] { return filing_.mutable_budget()->add_projects(); });
    }
    if (const xlsx::Sheet* s = sheet(kSheetPriorYears)) {
      const size_t split = SecondBlock(*s, FundsTable());
      ReadEntries(*s, 0, split, PriorYearEntries());
      ReadTable<lv1::YearFunds>(*s, split, s->rows.size(), FundsTable(), "budget.priorYears.funds",
                                [&] { return filing_.mutable_budget()->mutable_prior_years()->add_funds(); });
    }
    if (const xlsx::Sheet* s = sheet(kSheetThreePublic)) ReadThreePublic(*s);
    if (const xlsx::Sheet* s = sheet(kSheetProcurement)) {
      ReadTable<lv1::ProcurementLine>(*s, 0, s->rows.size(), ProcurementTable(), "budget.procurementLines",
                                      [&] { return filing_.mutable_budget()->add_procurement_lines(); });
    }
    if (const xlsx::Sheet* s = sheet(kSheetAssets)) ReadEntries(*s, 0, s->rows.size(), AssetEntries());
    if (const xlsx::Sheet* s = sheet(kSheetServices)) {
      ReadTable<lv1::ServicePurchaseLine>(*s, 0, s->rows.size(), ServicePurchaseTable(), "budget.servicePurchaseLines",
                                          [&] { return filing_.mutable_budget()->add_service_purchase_lines(); });
    }
    if (const xlsx::Sheet* s = sheet(kSheetNarrative)) ReadEntries(*s, 0, s->rows.size(), NarrativeEntries());
    if (const xlsx::Sheet* s = sheet(kSheetDepartmentGoals)) {
      const size_t split = SecondBlock(*s, DepartmentIndicatorTable());
      ReadEntries(*s, 0, split, DepartmentGoalEntries());
      ReadDepartmentIndicators(*s, split);
    }
    if (const xlsx::Sheet* s = sheet(kSheetProjectGoals)) ReadProjectGoals(*s);

    if (sheet(kSheetDepartment) != nullptr && !filing_.has_department()) {
      Problem("WB-NO-DEPARTMENT", kSheetDepartment, kSheetDepartment, "department",
              "工作表“部门”没有填写任何部门信息。请至少填写部门全称、单位代码和行政区划代码。",
              "the sheet 部门 (Department) holds no department: fill in at least 部门全称 (full name), "
              "预算单位编码 (agency code) and 行政区划代码 (region code)");
    }
    if (result_->problems.empty()) result_->filing = std::move(filing_);
  }

 private:
  // ------------------------------------------------------------ plumbing
  void Problem(const std::string& rule, const std::string& sheet, const std::string& cell, const std::string& field,
               const std::string& zh, const std::string& en) {
    if (result_->problems.size() >= kMaxProblems) return;
    const std::string at_zh = cell.empty() ? "" : absl::StrCat(cell, "：");
    const std::string at_en = cell.empty() ? "" : absl::StrCat(cell, ": ");
    result_->problems.push_back(
        WorkbookProblem{sheet, cell, rule, field, absl::StrCat(at_zh, zh), absl::StrCat(at_en, en)});
  }

  static std::string SheetOf(const std::string& ref) { return ref.substr(0, ref.find('!')); }

  static std::string Ref(const xlsx::Sheet& sheet, const xlsx::Row& row, int column) {
    return absl::StrCat(sheet.name, "!", xlsx::ColumnLetters(static_cast<size_t>(column)), row.number);
  }
  static std::string RowRef(const xlsx::Sheet& sheet, const xlsx::Row& row, int last_column) {
    return absl::StrCat(Ref(sheet, row, 0), ":", xlsx::ColumnLetters(static_cast<size_t>(last_column)), row.number);
  }

  // The path and every shorter path at a field or index boundary that has
  // no place of its own yet.
  void Record(const std::string& path, const std::string& ref) {
    if (path.empty()) return;
    result_->provenance[path] = ref;
    for (size_t i = path.size(); i-- > 0;) {
      if (path[i] == '.' || path[i] == '[') result_->provenance.emplace(path.substr(0, i), ref);
    }
  }

  static std::string PathOfSheet(const std::string& sheet) {
    static const auto* paths = new std::map<std::string, std::string>{
        {kSheetDepartment, "department"},          {kSheetUnits, "department.secondaryUnits"},
        {kSheetIncome, "budget.incomeLines"},      {kSheetExpenditure, "budget.expenditureLines"},
        {kSheetProjects, "budget.projects"},       {kSheetPriorYears, "budget.priorYears"},
        {kSheetThreePublic, "budget.threePublic"}, {kSheetProcurement, "budget.procurementLines"},
        {kSheetAssets, "budget.assets"},           {kSheetServices, "budget.servicePurchaseLines"},
        {kSheetNarrative, "budget.narrative"},     {kSheetDepartmentGoals, "goals.department"},
        {kSheetProjectGoals, "goals.projects"},
    };
    auto it = paths->find(sheet);
    return it == paths->end() ? "" : it->second;
  }

  // ------------------------------------------------------------ headers
  // The first row in [from, end) that names at least two of the columns
  // (one, for a one-column block); problems for every column it lacks and
  // every amount column without a unit.
  std::optional<Header> FindHeader(const xlsx::Sheet& sheet, size_t from, size_t end,
                                   const std::vector<ColumnSpec>& columns,
                                   const std::vector<const FieldDescriptor*>& fields) {
    std::set<std::string> wanted;
    for (const ColumnSpec& c : columns) wanted.insert(c.zh);
    const size_t needed = std::min<size_t>(2, columns.size());
    for (size_t i = from; i < end; ++i) {
      const xlsx::Row& row = sheet.rows[i];
      size_t matches = 0;
      for (const xlsx::Cell& cell : row.cells) {
        if (cell.type == xlsx::CellType::kString && wanted.count(ParseHeader(cell.text).key) > 0) ++matches;
      }
      if (matches < needed) continue;
      Header header;
      header.index = i;
      for (size_t c = 0; c < columns.size(); ++c) {
        int found = -1;
        HeaderText text;
        for (size_t k = 0; k < row.cells.size() && found < 0; ++k) {
          if (row.cells[k].type != xlsx::CellType::kString) continue;
          text = ParseHeader(row.cells[k].text);
          if (text.key == columns[c].zh) found = static_cast<int>(k);
        }
        header.columns.push_back(found);
        header.units.emplace_back();
        if (found < 0) {
          Problem("WB-HEADER", sheet.name, Ref(sheet, row, 0), "",
                  absl::StrCat("表头缺少“", columns[c].zh, "”列。请恢复模板中的表头文字。"),
                  absl::StrCat("the header row has no column ", columns[c].zh, " (", columns[c].en,
                               "); restore the header text of the template"));
          continue;
        }
        header.last_column = std::max(header.last_column, found);
        if (fields[c] != nullptr && IsAmountField(fields[c])) {
          if (text.unit.has_value()) {
            header.units.back() = text.unit;
          } else {
            Problem(
                "WB-UNIT", sheet.name, Ref(sheet, row, found), "",
                absl::StrCat("金额列“",
                             TrimText(row.cells[static_cast<size_t>(found)].text.substr(
                                 0, row.cells[static_cast<size_t>(found)].text.find('\n'))),
                             "”没有写明单位。请把表头写成“", columns[c].zh, "（元）”或“", columns[c].zh, "（万元）”。"),
                absl::StrCat("the amount column ", columns[c].zh, " (", columns[c].en,
                             ") does not state its unit; write the header as ", columns[c].zh, "（元） or ",
                             columns[c].zh, "（万元）"));
          }
        }
      }
      return header;
    }
    const std::string first = end > from && from < sheet.rows.size() ? Ref(sheet, sheet.rows[from], 0)
                                                                     : absl::StrCat(sheet.name, "!A", from + 1);
    Problem(
        "WB-HEADER", sheet.name, first, "",
        absl::StrCat("找不到表头（应包含“", columns[0].zh, "”“", columns[std::min<size_t>(1, columns.size() - 1)].zh,
                     "”等列）。请恢复模板中的表头行。"),
        absl::StrCat("no header row found (it names ", columns[0].zh, ", ",
                     columns[std::min<size_t>(1, columns.size() - 1)].zh, " …); restore the template's header row"));
    return std::nullopt;
  }

  // Where a sheet's second block (a table after a key/value block) starts:
  // its header row, or the end when it is missing (reported then).
  size_t SecondBlock(const xlsx::Sheet& sheet, const TableSpec& table) {
    std::set<std::string> wanted;
    for (const ColumnSpec& c : table.columns) wanted.insert(c.zh);
    for (size_t i = 0; i < sheet.rows.size(); ++i) {
      size_t matches = 0;
      for (const xlsx::Cell& cell : sheet.rows[i].cells) {
        if (cell.type == xlsx::CellType::kString && wanted.count(ParseHeader(cell.text).key) > 0) ++matches;
      }
      // Its first column's header is in the row, and another one.
      bool has_first = false;
      for (const xlsx::Cell& cell : sheet.rows[i].cells) {
        if (cell.type == xlsx::CellType::kString && ParseHeader(cell.text).key == table.columns[0].zh) has_first = true;
      }
      if (has_first && matches >= 2) return i;
    }
    return sheet.rows.size();
  }

  // ------------------------------------------------------------ cells
  // Reads `cell` into the field `rel_path` of `message` (creating what is on
  // the way); false with a problem when it cannot.
  bool SetCell(Message* message, const std::string& rel_path, const xlsx::Cell& cell, const Target& t) {
    Record(t.path, t.ref);
    const FieldDescriptor* field = nullptr;
    if (cell.type == xlsx::CellType::kError) {
      Problem("WB-CELL-ERROR", SheetOf(t.ref), t.ref, t.path,
              absl::StrCat("（", t.what_zh, "）单元格是错误值 ", cell.text, "。请填写数值或文字，不要留下出错的公式。"),
              absl::StrCat("(", t.what_en, ", ", t.path, ") the cell holds the error ", cell.text,
                           "; enter a value instead of the failing formula"));
      return false;
    }
    // Validated before anything is created, so a refused cell leaves no
    // empty message behind.
    const FieldDescriptor* leaf = LeafField(message->GetDescriptor(), rel_path);
    if (leaf == nullptr) return false;
    const std::string text = TrimText(cell.text);
    const std::string shown = Shown(cell.text);
    const std::string shown_zh = ShownZh(cell.text);
    auto refuse = [&](const std::string& rule, const std::string& zh, const std::string& en) {
      Problem(rule, SheetOf(t.ref), t.ref, t.path, absl::StrCat("（", t.what_zh, "，", t.path, "）", zh),
              absl::StrCat("(", t.what_en, ", ", t.path, ") ", en));
      return false;
    };
    switch (leaf->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING: {
        Message* holder = ContainerForWrite(message, rel_path, &field);
        holder->GetReflection()->SetString(holder, field, CellString(cell));
        return true;
      }
      case FieldDescriptor::CPPTYPE_INT32:
      case FieldDescriptor::CPPTYPE_INT64: {
        int64_t value = 0;
        if (IsAmountField(leaf)) {
          if (!t.unit.has_value()) return false;  // the header's problem says why
          const AmountUnit unit = *t.unit;
          const ParsedNumber n = ParseAmountFen(cell.text, unit);
          switch (n.error) {
            case ParsedNumber::Error::kNotANumber:
              return refuse("WB-AMOUNT-TEXT",
                            absl::StrCat(shown_zh, " 不是数字。请只填写以", UnitName(unit),
                                         "为单位的数字金额，不要填写文字或单位。"),
                            absl::StrCat(shown, " is not a number; enter the amount in ", UnitName(unit),
                                         " as a number, without words or units"));
            case ParsedNumber::Error::kTooManyDecimals:
              return refuse(
                  "WB-AMOUNT-DECIMALS",
                  absl::StrCat(shown_zh, " 的小数位超过", UnitName(unit), "允许的 ", UnitDecimals(unit),
                               " 位（金额精确到分）。请改为最多 ", UnitDecimals(unit), " 位小数。"),
                  absl::StrCat(shown, " has more decimals than ", UnitName(unit), " allows (", UnitDecimals(unit),
                               ": amounts are exact to the 分); round it to ", UnitDecimals(unit), " decimals"));
            case ParsedNumber::Error::kOutOfRange:
              return refuse(
                  "WB-AMOUNT-RANGE", absl::StrCat(shown_zh, " 超出 ±10^15 分（±10 万亿元）。请检查单位和数字。"),
                  absl::StrCat(shown, " is beyond ±10^15 分 (10 trillion 元); check the unit and the digits"));
            case ParsedNumber::Error::kNone:
              break;
          }
          value = n.value;
        } else {
          const ParsedNumber n = ParseWholeNumber(cell.text);
          if (n.error != ParsedNumber::Error::kNone) {
            return refuse("WB-NUMBER", absl::StrCat(shown_zh, " 不是整数。请填写整数（人数、年度、数量）。"),
                          absl::StrCat(shown, " is not a whole number; enter a count or a year as digits"));
          }
          value = n.value;
        }
        Message* holder = ContainerForWrite(message, rel_path, &field);
        if (field->cpp_type() == FieldDescriptor::CPPTYPE_INT32) {
          holder->GetReflection()->SetInt32(holder, field, static_cast<int32_t>(value));
        } else {
          holder->GetReflection()->SetInt64(holder, field, value);
        }
        return true;
      }
      case FieldDescriptor::CPPTYPE_ENUM: {
        const std::optional<int> number = ChoiceFromText(leaf->enum_type(), text);
        if (!number.has_value()) {
          const std::string choices = absl::StrJoin(ChoiceLabels(leaf->enum_type()), "、");
          return refuse("WB-UNKNOWN-ENUM", absl::StrCat(shown_zh, " 不是可选值。请从下拉列表中选择：", choices, "。"),
                        absl::StrCat(shown, " is not one of the choices; pick one from the drop-down list: ", choices));
        }
        Message* holder = ContainerForWrite(message, rel_path, &field);
        holder->GetReflection()->SetEnumValue(holder, field, *number);
        return true;
      }
      case FieldDescriptor::CPPTYPE_BOOL: {
        const std::optional<bool> value = BoolFromText(leaf, text);
        if (!value.has_value()) {
          const BoolLabels labels = BoolLabelsFor(leaf);
          return refuse("WB-UNKNOWN-ENUM",
                        absl::StrCat(shown_zh, " 不是可选值。请填写“", labels.no, "”或“", labels.yes, "”。"),
                        absl::StrCat(shown, " is not one of the choices; write ", labels.no, " or ", labels.yes));
        }
        Message* holder = ContainerForWrite(message, rel_path, &field);
        holder->GetReflection()->SetBool(holder, field, *value);
        return true;
      }
      default:
        return false;
    }
  }

  // ------------------------------------------------------------ key/value
  void ReadEntries(const xlsx::Sheet& sheet, size_t from, size_t end, const std::vector<EntrySpec>& entries) {
    const std::vector<ColumnSpec>& columns = EntryColumns();
    std::optional<Header> header = FindHeader(sheet, from, end, columns, {nullptr, nullptr, nullptr});
    if (!header.has_value() || header->columns[0] < 0 || header->columns[1] < 0) return;
    const auto label_column = static_cast<size_t>(header->columns[0]);
    const auto value_column = static_cast<size_t>(header->columns[1]);
    std::map<std::string, const EntrySpec*> by_label;
    for (const EntrySpec& entry : entries) by_label.emplace(entry.zh, &entry);
    for (size_t i = header->index + 1; i < end; ++i) {
      const xlsx::Row& row = sheet.rows[i];
      const xlsx::Cell& value = row.at(value_column);
      const std::string label_text = TrimText(row.at(label_column).text);
      const HeaderText label = ParseHeader(label_text);
      const std::string label_ref = Ref(sheet, row, static_cast<int>(label_column));
      const std::string value_ref = Ref(sheet, row, static_cast<int>(value_column));
      const bool quota = label.key.rfind(kQuotaPrefix, 0) == 0 && &entries == &DepartmentEntries();
      auto it = by_label.find(label.key);
      if (IsBlank(value)) {
        // A rule's finding about an empty field (V-FIELD-REQUIRED) still
        // leads to the cell to fill in.
        if (quota) result_->provenance.emplace("department.staffing.quotas", value_ref);
        if (it != by_label.end()) {
          if (it->second->repeated) {
            result_->provenance.emplace(it->second->path, value_ref);
          } else {
            Record(it->second->path, value_ref);
          }
        }
        continue;
      }
      if (quota) {
        ReadQuotaEntry(sheet, row, label.key.substr(std::string(kQuotaPrefix).size()), label_ref, value, value_ref);
        continue;
      }
      if (it == by_label.end()) {
        Problem("WB-UNKNOWN-ITEM", sheet.name, label_ref, "",
                absl::StrCat("“", label_text, "”不是本表的项目，其值无法读入。请使用模板中的项目名称。"),
                absl::StrCat("\"", label_text,
                             "\" is not an item of this sheet, so its value cannot be read; use "
                             "the item names of the template"));
        continue;
      }
      const EntrySpec& entry = *it->second;
      const FieldDescriptor* leaf = LeafField(gv1::Filing::descriptor(), entry.path);
      if (entry.repeated) {
        const FieldDescriptor* list = nullptr;
        Message* holder = ContainerForWrite(&filing_, entry.path, &list);
        const int index = holder->GetReflection()->FieldSize(*holder, list);
        holder->GetReflection()->AddString(holder, list, CellString(value));
        Record(absl::StrCat(entry.path, "[", index, "]"), value_ref);
        continue;
      }
      Target target{value_ref, entry.path, entry.zh, entry.en, label.unit};
      if (leaf != nullptr && IsAmountField(leaf) && !label.unit.has_value()) {
        Record(entry.path, value_ref);
        Problem("WB-UNIT", sheet.name, label_ref, entry.path,
                absl::StrCat("“", label_text, "”没有写明金额单位。请写成“", entry.zh, "（元）”或“", entry.zh,
                             "（万元）”。"),
                absl::StrCat("\"", label_text, "\" (", entry.en, ") does not state the unit of its amount; write ",
                             entry.zh, "（元） or ", entry.zh, "（万元）"));
        continue;
      }
      SetCell(&filing_, entry.path, value, target);
    }
  }

  void ReadQuotaEntry(const xlsx::Sheet& sheet, const xlsx::Row& row, const std::string& kind_text,
                      const std::string& label_ref, const xlsx::Cell& value, const std::string& value_ref) {
    lv1::Staffing* staffing = filing_.mutable_department()->mutable_staffing();
    const int index = staffing->quotas_size();
    const std::string path = absl::StrCat("department.staffing.quotas[", index, "]");
    const std::optional<int> kind = ChoiceFromText(lv1::EstablishmentKind_descriptor(), kind_text);
    Record(path, RowRef(sheet, row, 2));
    Record(path + ".kind", label_ref);
    if (!kind.has_value()) {
      Problem("WB-UNKNOWN-ENUM", sheet.name, label_ref, path + ".kind",
              absl::StrCat("“", kQuotaPrefix, kind_text, "”中的编制类别不是可选值。请写成“", kQuotaPrefix,
                           "行政编制/参照公务员法管理/事业编制/工勤编制”之一。"),
              absl::StrCat("the establishment kind in \"", kQuotaPrefix, kind_text, "\" is unknown; write ",
                           kQuotaPrefix, " followed by 行政编制, 参照公务员法管理, 事业编制 or 工勤编制"));
      return;
    }
    lv1::EstablishmentQuota quota;
    quota.set_kind(static_cast<lv1::EstablishmentKind>(*kind));
    if (SetCell(&quota, "count", value, Target{value_ref, path + ".count", "编制数", "quota", std::nullopt})) {
      *staffing->add_quotas() = quota;
    }
  }

  // ------------------------------------------------------------ tables
  // The data rows after a header, up to `end`: those with a value in one of
  // the block's columns.
  std::vector<const xlsx::Row*> DataRows(const xlsx::Sheet& sheet, const Header& header, size_t end) {
    std::vector<const xlsx::Row*> rows;
    for (size_t i = header.index + 1; i < end; ++i) {
      const xlsx::Row& row = sheet.rows[i];
      const bool any = std::any_of(header.columns.begin(), header.columns.end(),
                                   [&](int c) { return c >= 0 && !IsBlank(row.at(static_cast<size_t>(c))); });
      if (any) rows.push_back(&row);
    }
    return rows;
  }

  Target TargetOf(const xlsx::Sheet& sheet, const xlsx::Row& row, const Header& header, size_t c,
                  const ColumnSpec& column, const std::string& path) {
    return Target{Ref(sheet, row, header.columns[c]), path, column.zh, column.en, header.units[c]};
  }

  template <typename T>
  void ReadTable(const xlsx::Sheet& sheet, size_t from, size_t end, const TableSpec& table, const std::string& base,
                 const std::function<T*()>& add) {
    const std::vector<const FieldDescriptor*> fields = ColumnFields(table.columns, T::descriptor(), nullptr);
    std::optional<Header> header = FindHeader(sheet, from, end, table.columns, fields);
    if (!header.has_value()) return;
    int index = 0;
    for (const xlsx::Row* row : DataRows(sheet, *header, end)) {
      T* item = add();
      const std::string item_path = absl::StrCat(base, "[", index++, "]");
      Record(item_path, RowRef(sheet, *row, header->last_column));
      for (size_t c = 0; c < table.columns.size(); ++c) {
        const ColumnSpec& column = table.columns[c];
        if (header->columns[c] < 0) continue;
        const xlsx::Cell& cell = row->at(static_cast<size_t>(header->columns[c]));
        if (IsBlank(cell)) {
          if (column.role == ColumnRole::kField) {
            Record(absl::StrCat(item_path, ".", column.field), Ref(sheet, *row, header->columns[c]));
          }
          continue;
        }
        if (column.role == ColumnRole::kQuota) {
          ReadUnitQuota(item, column, cell, TargetOf(sheet, *row, *header, c, column, ""), item_path);
          continue;
        }
        SetCell(item, column.field, cell,
                TargetOf(sheet, *row, *header, c, column, absl::StrCat(item_path, ".", column.field)));
      }
    }
  }

  template <typename T>
  void ReadUnitQuota(T*, const ColumnSpec&, const xlsx::Cell&, const Target&, const std::string&) {}
  void ReadUnitQuota(lv1::SecondaryUnit* unit, const ColumnSpec& column, const xlsx::Cell& cell, Target target,
                     const std::string& item_path) {
    const int index = unit->staffing().quotas_size();
    const std::string path = absl::StrCat(item_path, ".staffing.quotas[", index, "]");
    target.path = path + ".count";
    lv1::EstablishmentQuota quota;
    quota.set_kind(static_cast<lv1::EstablishmentKind>(column.quota_kind));
    if (!SetCell(&quota, "count", cell, target)) return;
    Record(path + ".kind", target.ref);
    Record(path, target.ref);
    *unit->mutable_staffing()->add_quotas() = quota;
  }

  // ------------------------------------------------------------ 三公
  void ReadThreePublic(const xlsx::Sheet& sheet) {
    const TableSpec& table = ThreePublicTable();
    const std::vector<const FieldDescriptor*> fields =
        ColumnFields(table.columns, lv1::ThreePublicCosts::descriptor(), nullptr);
    std::optional<Header> header = FindHeader(sheet, 0, sheet.rows.size(), table.columns, fields);
    if (!header.has_value()) return;
    auto column_of = [&](ColumnRole role) {
      for (size_t c = 0; c < table.columns.size(); ++c) {
        if (table.columns[c].role == role) return c;
      }
      return table.columns.size();
    };
    const size_t scope_c = column_of(ColumnRole::kScope), year_c = column_of(ColumnRole::kYear),
                 unit_c = column_of(ColumnRole::kUnitCode);
    lv1::UnitThreePublic* open = nullptr;  // the unit entry the previous row made
    int open_index = -1;
    for (const xlsx::Row* row : DataRows(sheet, *header, sheet.rows.size())) {
      auto text_of = [&](size_t c) {
        return header->columns[c] < 0 ? std::string() : TrimText(row->at(static_cast<size_t>(header->columns[c])).text);
      };
      auto ref_of = [&](size_t c) { return Ref(sheet, *row, std::max(header->columns[c], 0)); };
      const std::string scope = text_of(scope_c);
      const std::string year = text_of(year_c);
      bool values = false;
      for (size_t c = 0; c < table.columns.size(); ++c) {
        if (table.columns[c].role == ColumnRole::kField && header->columns[c] >= 0 &&
            !IsBlank(row->at(static_cast<size_t>(header->columns[c])))) {
          values = true;
        }
      }
      if (scope != kScopeDepartment && scope != kScopeUnit) {
        Problem("WB-UNKNOWN-ENUM", sheet.name, ref_of(scope_c), "budget.threePublic",
                absl::StrCat("（范围）", ShownZh(scope),
                             " 不是可选值。请填写“部门”（全部门合计）或“单位”（某一预算单位）。"),
                absl::StrCat("(scope) ", Shown(scope),
                             " is not one of the choices; write 部门 (the department's "
                             "total) or 单位 (one budget unit)"));
        open = nullptr;
        continue;
      }
      const bool current = year == kYearCurrent;
      if (!current && year != kYearPrior && (values || scope == kScopeDepartment)) {
        Problem("WB-UNKNOWN-ENUM", sheet.name, ref_of(year_c), "budget.threePublic",
                absl::StrCat("（年度）", ShownZh(year), " 不是可选值。请填写“本年”或“上年”。"),
                absl::StrCat("(year) ", Shown(year),
                             " is not one of the choices; write 本年 (this year) or 上年 "
                             "(the prior year)"));
        open = nullptr;
        continue;
      }
      std::string path;
      lv1::ThreePublicCosts* costs = nullptr;
      lv1::ThreePublic* tp = filing_.mutable_budget()->mutable_three_public();
      if (scope == kScopeDepartment) {
        path = current ? "budget.threePublic.current" : "budget.threePublic.prior";
        costs = current ? tp->mutable_current() : tp->mutable_prior();
        open = nullptr;
      } else {
        const std::string code = header->columns[unit_c] < 0
                                     ? std::string()
                                     : CellString(row->at(static_cast<size_t>(header->columns[unit_c])));
        const bool continues = open != nullptr && !current && year == kYearPrior && open->unit_code() == code &&
                               open->has_current() && !open->has_prior();
        if (!continues) {
          open = tp->add_by_unit();
          open_index = tp->by_unit_size() - 1;
          open->set_unit_code(code);
          Record(absl::StrCat("budget.threePublic.byUnit[", open_index, "]"), RowRef(sheet, *row, header->last_column));
          Record(absl::StrCat("budget.threePublic.byUnit[", open_index, "].unitCode"), ref_of(unit_c));
        }
        path = absl::StrCat("budget.threePublic.byUnit[", open_index, "].", current ? "current" : "prior");
        if (year.empty()) continue;  // a unit named without figures
        costs = current ? open->mutable_current() : open->mutable_prior();
      }
      Record(path, RowRef(sheet, *row, header->last_column));
      for (size_t c = 0; c < table.columns.size(); ++c) {
        const ColumnSpec& column = table.columns[c];
        if (column.role != ColumnRole::kField || header->columns[c] < 0) continue;
        const xlsx::Cell& cell = row->at(static_cast<size_t>(header->columns[c]));
        if (IsBlank(cell)) {
          Record(path + "." + column.field, Ref(sheet, *row, header->columns[c]));
          continue;
        }
        SetCell(costs, column.field, cell, TargetOf(sheet, *row, *header, c, column, path + "." + column.field));
      }
    }
  }

  // ------------------------------------------------------------ goals
  // The texts of a row's group columns: a new group starts where they are
  // filled in and differ from the group's first row.
  static std::vector<std::string> GroupKey(const xlsx::Row& row, const Header& header, const TableSpec& table) {
    std::vector<std::string> key;
    for (size_t c = 0; c < table.columns.size(); ++c) {
      if (table.columns[c].role != ColumnRole::kGroupField) continue;
      key.push_back(header.columns[c] < 0 ? "" : TrimText(row.at(static_cast<size_t>(header.columns[c])).text));
    }
    return key;
  }
  static bool AllEmpty(const std::vector<std::string>& key) {
    return std::all_of(key.begin(), key.end(), [](const std::string& s) { return s.empty(); });
  }

  // Sets the columns of `role` of a row into `message` under `path`.
  void ReadColumns(const xlsx::Sheet& sheet, const xlsx::Row& row, const Header& header, const TableSpec& table,
                   ColumnRole role, Message* message, const std::string& path) {
    for (size_t c = 0; c < table.columns.size(); ++c) {
      const ColumnSpec& column = table.columns[c];
      if (column.role != role || header.columns[c] < 0) continue;
      const xlsx::Cell& cell = row.at(static_cast<size_t>(header.columns[c]));
      if (IsBlank(cell)) {
        Record(path + "." + column.field, Ref(sheet, row, header.columns[c]));
        continue;
      }
      SetCell(message, column.field, cell, TargetOf(sheet, row, header, c, column, path + "." + column.field));
    }
  }

  bool HasIndicator(const xlsx::Row& row, const Header& header, const TableSpec& table) {
    for (size_t c = 0; c < table.columns.size(); ++c) {
      if (table.columns[c].role == ColumnRole::kField && header.columns[c] >= 0 &&
          !IsBlank(row.at(static_cast<size_t>(header.columns[c])))) {
        return true;
      }
    }
    return false;
  }

  void ReadDepartmentIndicators(const xlsx::Sheet& sheet, size_t from) {
    const TableSpec& table = DepartmentIndicatorTable();
    const std::vector<const FieldDescriptor*> fields =
        ColumnFields(table.columns, ov1::Indicator::descriptor(), ov1::AnnualGoal::descriptor());
    std::optional<Header> header = FindHeader(sheet, from, sheet.rows.size(), table.columns, fields);
    if (!header.has_value()) return;
    const size_t category_c = 0;
    std::string category;
    std::vector<std::string> goal_key;
    ov1::AnnualGoal* goal = nullptr;
    int goal_index = -1;
    for (const xlsx::Row* row : DataRows(sheet, *header, sheet.rows.size())) {
      const std::string category_ref = Ref(sheet, *row, std::max(header->columns[category_c], 0));
      const std::string typed = header->columns[category_c] < 0
                                    ? ""
                                    : TrimText(row->at(static_cast<size_t>(header->columns[category_c])).text);
      if (!typed.empty()) category = typed;
      if (category.empty()) category = kAnnualGoalRows;
      if (category != kAnnualGoalRows && category != kLongTermRows) {
        Problem("WB-UNKNOWN-ENUM", sheet.name, category_ref, "goals.department",
                absl::StrCat("（指标类别）", ShownZh(category), " 不是可选值。请填写“年度目标”或“长期指标”。"),
                absl::StrCat("(row kind) ", Shown(category),
                             " is not one of the choices; write 年度目标 (annual "
                             "goal) or 长期指标 (long-term indicator)"));
        category.clear();
        continue;
      }
      ov1::DepartmentGoalSheet* d = filing_.mutable_goals()->mutable_department();
      if (category == kLongTermRows) {
        if (!HasIndicator(*row, *header, table)) continue;
        const std::string path =
            absl::StrCat("goals.department.longTermIndicators[", d->long_term_indicators_size(), "]");
        Record(path, RowRef(sheet, *row, header->last_column));
        ReadColumns(sheet, *row, *header, table, ColumnRole::kField, d->add_long_term_indicators(), path);
        continue;
      }
      const std::vector<std::string> key = GroupKey(*row, *header, table);
      if (!AllEmpty(key) && (goal == nullptr || key != goal_key)) {
        goal = d->add_annual_goals();
        goal_index = d->annual_goals_size() - 1;
        goal_key = key;
        const std::string path = absl::StrCat("goals.department.annualGoals[", goal_index, "]");
        Record(path, RowRef(sheet, *row, header->last_column));
        ReadColumns(sheet, *row, *header, table, ColumnRole::kGroupField, goal, path);
      }
      if (!HasIndicator(*row, *header, table)) continue;
      if (goal == nullptr) {
        Problem("WB-GOAL-ROW", sheet.name, RowRef(sheet, *row, header->last_column), "goals.department.annualGoals",
                "这一行的指标不属于任何年度目标。请在其上方（或本行）填写目标序号和目标内容。",
                "this indicator row belongs to no annual goal; fill in the goal number and text on it or on a row "
                "above");
        continue;
      }
      const std::string path =
          absl::StrCat("goals.department.annualGoals[", goal_index, "].indicators[", goal->indicators_size(), "]");
      Record(path, RowRef(sheet, *row, header->last_column));
      ReadColumns(sheet, *row, *header, table, ColumnRole::kField, goal->add_indicators(), path);
    }
  }

  void ReadProjectGoals(const xlsx::Sheet& sheet) {
    const TableSpec& table = ProjectIndicatorTable();
    const std::vector<const FieldDescriptor*> fields =
        ColumnFields(table.columns, ov1::Indicator::descriptor(), ov1::ProjectGoalSheet::descriptor());
    std::optional<Header> header = FindHeader(sheet, 0, sheet.rows.size(), table.columns, fields);
    if (!header.has_value()) return;
    size_t category_c = 0;
    for (size_t c = 0; c < table.columns.size(); ++c) {
      if (table.columns[c].role == ColumnRole::kCategory) category_c = c;
    }
    std::vector<std::string> sheet_key;
    ov1::ProjectGoalSheet* current = nullptr;
    int sheet_index = -1;
    std::string category;
    for (const xlsx::Row* row : DataRows(sheet, *header, sheet.rows.size())) {
      const std::vector<std::string> key = GroupKey(*row, *header, table);
      if (!AllEmpty(key) && (current == nullptr || key != sheet_key)) {
        current = filing_.mutable_goals()->add_projects();
        sheet_index = filing_.goals().projects_size() - 1;
        sheet_key = key;
        category.clear();
        const std::string path = absl::StrCat("goals.projects[", sheet_index, "]");
        Record(path, RowRef(sheet, *row, header->last_column));
        ReadColumns(sheet, *row, *header, table, ColumnRole::kGroupField, current, path);
      }
      const std::string category_ref = Ref(sheet, *row, std::max(header->columns[category_c], 0));
      const std::string typed = header->columns[category_c] < 0
                                    ? ""
                                    : TrimText(row->at(static_cast<size_t>(header->columns[category_c])).text);
      if (!typed.empty()) category = typed;
      if (!HasIndicator(*row, *header, table)) continue;
      if (current == nullptr) {
        Problem("WB-GOAL-ROW", sheet.name, RowRef(sheet, *row, header->last_column), "goals.projects",
                "这一行的指标不属于任何项目。请在其上方（或本行）填写项目编号等项目信息。",
                "this indicator row belongs to no project; fill in the project id on it or on a row above");
        continue;
      }
      if (category != kMediumTermRows && category != kAnnualIndicatorRows) {
        Problem("WB-UNKNOWN-ENUM", sheet.name, category_ref, absl::StrCat("goals.projects[", sheet_index, "]"),
                absl::StrCat("（指标类别）", ShownZh(category), " 不是可选值。请填写“中期指标”或“年度指标”。"),
                absl::StrCat("(row kind) ", Shown(category),
                             " is not one of the choices; write 中期指标 (medium-term) "
                             "or 年度指标 (annual)"));
        continue;
      }
      const bool medium = category == kMediumTermRows;
      const int index = medium ? current->medium_term_indicators_size() : current->annual_indicators_size();
      const std::string path = absl::StrCat("goals.projects[", sheet_index, "].",
                                            medium ? "mediumTermIndicators" : "annualIndicators", "[", index, "]");
      Record(path, RowRef(sheet, *row, header->last_column));
      ReadColumns(sheet, *row, *header, table, ColumnRole::kField,
                  medium ? current->add_medium_term_indicators() : current->add_annual_indicators(), path);
    }
  }

  WorkbookReadResult* result_;
  gv1::Filing filing_;
};

}  // namespace

WorkbookReadResult ReadFilingWorkbook(std::string_view xlsx_bytes) {
  WorkbookReadResult result;
  Reader(&result).Read(xlsx_bytes);
  return result;
}

}  // namespace yusuan::workbook
