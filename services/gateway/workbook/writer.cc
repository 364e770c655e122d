// WriteFilingWorkbook and WriteTemplateWorkbook: the layout of layout.h
// filled with libxlsxwriter.
#include <unistd.h>
#include <xlsxwriter.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/temp_file.h"
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

// Data rows offered a drop-down list below the last written row.
constexpr int kValidatedRows = 1000;

// A drop-down list: its labels, and where they are when too long to be
// written into the validation itself (Excel's limit is 255 characters).
struct ChoiceList {
  std::vector<std::string> labels;
  std::string range;  // "'代码'!$A$2:$A$12" once placed on the 代码 sheet
};

class Writer {
 public:
  Writer(const gv1::Filing* filing, const ledger::Catalogue* catalogue, const WorkbookWriteOptions& options)
      : filing_(filing), catalogue_(catalogue), options_(options) {}

  absl::StatusOr<std::string> Write() {
    yusuan::TempFile file;
    if (absl::Status status = file.Create("workbook", ".xlsx"); !status.ok()) return status;
    workbook_ = workbook_new(file.path().c_str());
    if (workbook_ == nullptr)
      return absl::InternalError("无法创建 XLSX 工作簿 / libxlsxwriter could not create a workbook");
    std::string title = "部门预算填报工作簿 / Department budget filing workbook";
    lxw_doc_properties properties{};
    properties.title = title.data();
    properties.created = static_cast<time_t>(options_.created_unix_seconds);
    Check(workbook_set_properties(workbook_, &properties));
    MakeFormats();
    WriteSheets();
    // workbook_close also frees the workbook, so it runs on every path.
    const lxw_error closed = workbook_close(workbook_);
    if (!status_.ok()) return status_;
    if (closed != LXW_NO_ERROR) {
      return absl::InternalError(absl::StrCat("XLSX 写入失败 / libxlsxwriter failed: ", lxw_strerror(closed)));
    }
    return file.ReadAll();
  }

 private:
  // ------------------------------------------------------------ plumbing
  void Check(lxw_error error) {
    if (error == LXW_NO_ERROR || !status_.ok()) return;
    status_ = absl::InternalError(absl::StrCat("XLSX 写入失败 / libxlsxwriter failed: ", lxw_strerror(error)));
  }
  void Refuse(const std::string& zh, const std::string& en) {
    if (status_.ok()) status_ = absl::InvalidArgumentError(absl::StrCat(zh, " / ", en));
  }

  void MakeFormats() {
    header_ = workbook_add_format(workbook_);
    format_set_bold(header_);
    format_set_text_wrap(header_);
    format_set_bg_color(header_, 0xDDE3EA);
    format_set_border(header_, LXW_BORDER_THIN);
    format_set_align(header_, LXW_ALIGN_VERTICAL_TOP);
    note_ = workbook_add_format(workbook_);
    format_set_italic(note_);
    format_set_text_wrap(note_);
    format_set_font_color(note_, 0x44546A);
    format_set_align(note_, LXW_ALIGN_VERTICAL_TOP);
    title_ = workbook_add_format(workbook_);
    format_set_bold(title_);
    text_ = workbook_add_format(workbook_);
    format_set_num_format(text_, "@");  // codes keep their leading zeros when typed
    amount_ = workbook_add_format(workbook_);
    format_set_num_format(amount_, options_.unit == AmountUnit::kYuan ? "0.00" : "0.000000");
  }

  lxw_worksheet* AddSheet(const char* name) {
    lxw_worksheet* ws = workbook_add_worksheet(workbook_, name);
    if (ws == nullptr) status_ = absl::InternalError(absl::StrCat("libxlsxwriter refused the sheet ", name));
    return ws;
  }

  void WriteNote(lxw_worksheet* ws, int row, const std::string& zh, const std::string& en, size_t columns) {
    const std::string text = absl::StrCat(zh, "\n", en);
    const auto last = static_cast<lxw_col_t>(std::max<size_t>(columns, 4) - 1);
    Check(worksheet_merge_range(ws, static_cast<lxw_row_t>(row), 0, static_cast<lxw_row_t>(row), last, text.c_str(),
                                note_));
    Check(worksheet_set_row(ws, static_cast<lxw_row_t>(row), 48, nullptr));
  }

  void WriteHeader(lxw_worksheet* ws, int row, const std::vector<ColumnSpec>& columns,
                   const std::vector<const FieldDescriptor*>& fields) {
    for (size_t c = 0; c < columns.size(); ++c) {
      const bool amount = fields[c] != nullptr && IsAmountField(fields[c]);
      const std::string text = HeaderCellText(columns[c], amount, options_.unit);
      Check(worksheet_write_string(ws, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(c), text.c_str(), header_));
      Check(worksheet_set_column(
          ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), columns[c].width,
          fields[c] != nullptr && fields[c]->cpp_type() == FieldDescriptor::CPPTYPE_STRING ? text_ : nullptr));
    }
    Check(worksheet_set_row(ws, static_cast<lxw_row_t>(row), 45, nullptr));
  }

  void WriteText(lxw_worksheet* ws, int row, int col, const std::string& text) {
    if (text.empty()) return;
    Check(worksheet_write_string(ws, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(col), text.c_str(), text_));
  }
  void WriteNumber(lxw_worksheet* ws, int row, int col, double value, lxw_format* format = nullptr) {
    Check(worksheet_write_number(ws, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(col), value, format));
  }

  // The value of `path` under `message`, or nothing when a message on the way
  // or an optional field is absent. Defaults of present fields are written
  // (0, 否), so a present message reads back present; an unspecified choice
  // and an empty text are left blank.
  void WriteValue(lxw_worksheet* ws, int row, int col, const Message& message, const std::string& path) {
    const FieldDescriptor* field = nullptr;
    const Message* holder = ContainerForRead(message, path, &field);
    if (holder == nullptr || field == nullptr || field->is_repeated()) return;
    const auto* r = holder->GetReflection();
    if (field->has_presence() && !r->HasField(*holder, field)) return;
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        WriteText(ws, row, col, r->GetString(*holder, field));
        break;
      case FieldDescriptor::CPPTYPE_INT32:
        WriteNumber(ws, row, col, r->GetInt32(*holder, field));
        break;
      case FieldDescriptor::CPPTYPE_INT64: {
        const int64_t value = r->GetInt64(*holder, field);
        if (IsAmountField(field)) {
          if (value > kMaxAmountFen || value < -kMaxAmountFen) {
            Refuse(absl::StrCat(path, " 的金额超出 ±10^15 分"), absl::StrCat(path, " is beyond ±10^15 分"));
          }
          WriteNumber(ws, row, col, AmountInUnit(value, options_.unit), amount_);
        } else {
          WriteNumber(ws, row, col, static_cast<double>(value));
        }
        break;
      }
      case FieldDescriptor::CPPTYPE_ENUM: {
        const int number = r->GetEnumValue(*holder, field);
        WriteText(ws, row, col, ChoiceLabel(field->enum_type(), number));
        break;
      }
      case FieldDescriptor::CPPTYPE_BOOL: {
        const BoolLabels labels = BoolLabelsFor(field);
        WriteText(ws, row, col, r->GetBool(*holder, field) ? labels.yes : labels.no);
        break;
      }
      default:
        break;
    }
  }

  // ------------------------------------------------------------ lists
  ChoiceList& ListFor(const FieldDescriptor* field) {
    const std::string key =
        field->cpp_type() == FieldDescriptor::CPPTYPE_ENUM ? field->enum_type()->full_name() : field->full_name();
    auto [it, inserted] = lists_.try_emplace(key);
    if (inserted) {
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
        it->second.labels = ChoiceLabels(field->enum_type());
      } else {
        const BoolLabels labels = BoolLabelsFor(field);
        it->second.labels = {labels.no, labels.yes};
      }
      if (absl::StrJoin(it->second.labels, ",").size() > 255)
        it->second.range = PlaceOnCodeSheet(it->second.labels, "");
    }
    return it->second;
  }

  // Puts a list in the next free column of the 代码 sheet; returns its range.
  std::string PlaceOnCodeSheet(const std::vector<std::string>& values, const std::string& heading) {
    const size_t column = code_columns_.size();
    std::vector<std::string> column_values = {heading};
    column_values.insert(column_values.end(), values.begin(), values.end());
    code_columns_.push_back(std::move(column_values));
    const std::string letters = ColumnLettersFor(column);
    return absl::StrCat("'", kSheetCodes, "'!$", letters, "$2:$", letters, "$", values.size() + 1);
  }

  static std::string ColumnLettersFor(size_t column) {
    std::string letters;
    size_t n = column + 1;
    while (n > 0) {
      letters.insert(letters.begin(), static_cast<char>('A' + (n - 1) % 26));
      n = (n - 1) / 26;
    }
    return letters;
  }

  void Validate(lxw_worksheet* ws, int first_row, int last_row, int col, const ChoiceList& list,
                const std::string& prompt) {
    lxw_data_validation validation{};
    validation.validate = LXW_VALIDATION_TYPE_LIST;
    std::vector<char*> items;
    std::string formula;
    if (list.range.empty()) {
      for (const std::string& label : list.labels) items.push_back(const_cast<char*>(label.c_str()));
      items.push_back(nullptr);
      validation.value_list = items.data();
    } else {
      validation.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
      formula = absl::StrCat("=", list.range);
      validation.value_formula = formula.data();
    }
    std::string title = "请从列表中选择 / Choose from the list";
    std::string message = prompt;
    validation.error_title = title.data();
    validation.error_message = message.data();
    Check(worksheet_data_validation_range(ws, static_cast<lxw_row_t>(first_row), static_cast<lxw_col_t>(col),
                                          static_cast<lxw_row_t>(last_row), static_cast<lxw_col_t>(col), &validation));
  }

  bool IsChoice(const FieldDescriptor* field) {
    return field != nullptr &&
           (field->cpp_type() == FieldDescriptor::CPPTYPE_ENUM || field->cpp_type() == FieldDescriptor::CPPTYPE_BOOL);
  }

  // Drop-down lists for the choice (and, with a catalogue, code) columns of
  // a table block whose data rows are [first_row, last_written].
  void ValidateColumns(lxw_worksheet* ws, int first_row, int last_written, const std::vector<ColumnSpec>& columns,
                       const std::vector<const FieldDescriptor*>& fields) {
    const int last = std::max(last_written, first_row) + kValidatedRows;
    for (size_t c = 0; c < columns.size(); ++c) {
      const FieldDescriptor* field = fields[c];
      if (IsChoice(field)) {
        Validate(ws, first_row, last, static_cast<int>(c), ListFor(field),
                 absl::StrCat(columns[c].zh, "：", absl::StrJoin(ListFor(field).labels, "、")));
      } else if (catalogue_ != nullptr && field != nullptr &&
                 field->containing_type() == lv1::ExpenditureLine::descriptor() &&
                 (field->number() == lv1::ExpenditureLine::kFunctionalCodeFieldNumber ||
                  field->number() == lv1::ExpenditureLine::kEconomicCodeFieldNumber)) {
        const bool functional = field->number() == lv1::ExpenditureLine::kFunctionalCodeFieldNumber;
        Validate(ws, first_row, last, static_cast<int>(c), CodeList(functional),
                 functional ? "支出功能分类科目（项级）编码，见“代码”表 / a functional 项 code of the edition"
                            : "部门预算支出经济分类科目（款级）编码，见“代码”表 / an economic 款 code of the edition");
      } else if (columns[c].role == ColumnRole::kScope || columns[c].role == ColumnRole::kYear ||
                 columns[c].role == ColumnRole::kCategory) {
        ChoiceList list;
        if (columns[c].role == ColumnRole::kScope) list.labels = {kScopeDepartment, kScopeUnit};
        if (columns[c].role == ColumnRole::kYear) list.labels = {kYearCurrent, kYearPrior};
        if (columns[c].role == ColumnRole::kCategory) {
          list.labels = columns[0].role == ColumnRole::kCategory
                            ? std::vector<std::string>{kAnnualGoalRows, kLongTermRows}
                            : std::vector<std::string>{kMediumTermRows, kAnnualIndicatorRows};
        }
        Validate(ws, first_row, last, static_cast<int>(c), list, absl::StrJoin(list.labels, "、"));
      }
    }
  }

  const ChoiceList& CodeList(bool functional) {
    ChoiceList& list = functional ? functional_codes_ : economic_codes_;
    if (!list.range.empty()) return list;
    std::vector<std::string> codes;
    std::vector<std::string> names;
    for (const ledger::CatalogueCode& code : functional ? catalogue_->FunctionalCodes() : catalogue_->EconomicCodes()) {
      const bool item = functional ? catalogue_->IsFunctionalItem(code.code) : catalogue_->IsEconomicItem(code.code);
      if (!item) continue;
      codes.push_back(code.code);
      names.push_back(code.name);
    }
    list.labels = codes;
    list.range = PlaceOnCodeSheet(
        codes, absl::StrCat(catalogue_->edition(), functional ? " 功能分类（项）" : " 经济分类（款）"));
    PlaceOnCodeSheet(names, "科目名称 / name");
    return list;
  }

  // ------------------------------------------------------------ blocks
  // A key/value block from `row`: header, then one row per entry (or per
  // element of a repeated entry). Returns the row after it.
  int WriteEntries(lxw_worksheet* ws, int row, const std::vector<EntrySpec>& entries) {
    const auto& columns = EntryColumns();
    WriteHeader(ws, row, columns, {nullptr, nullptr, nullptr});
    ++row;
    const gv1::Filing& filing = *filing_;
    bool quotas_written = false;
    for (const EntrySpec& entry : entries) {
      const FieldDescriptor* field = LeafField(gv1::Filing::descriptor(), entry.path);
      if (entry.quota_kind > 0) {
        const lv1::Staffing& staffing = filing.department().staffing();
        if (staffing.quotas_size() > 0) {
          if (quotas_written) continue;
          quotas_written = true;
          for (const lv1::EstablishmentQuota& quota : staffing.quotas()) {
            const std::string kind =
                quota.kind() == 0 ? lv1::EstablishmentKind_Name(quota.kind()) : QuotaKindLabel(quota.kind());
            WriteText(ws, row, 0, absl::StrCat("编制数·", kind));
            WriteNumber(ws, row, 1, quota.count());
            WriteText(ws, row, 2, entry.en);
            ++row;
          }
          continue;
        }
        WriteText(ws, row, 0, entry.zh);
        WriteText(ws, row, 2, entry.en);
        ++row;
        continue;
      }
      const bool amount = field != nullptr && IsAmountField(field);
      const std::string label = EntryLabelText(entry, amount, options_.unit);
      if (entry.repeated) {
        const FieldDescriptor* list = nullptr;
        const Message* holder = ContainerForRead(filing, entry.path, &list);
        const int n = holder == nullptr ? 0 : holder->GetReflection()->FieldSize(*holder, list);
        for (int i = 0; i < std::max(n, 1); ++i) {
          WriteText(ws, row, 0, label);
          if (i < n) WriteText(ws, row, 1, holder->GetReflection()->GetRepeatedString(*holder, list, i));
          WriteText(ws, row, 2, entry.en);
          ++row;
        }
        continue;
      }
      WriteText(ws, row, 0, label);
      WriteValue(ws, row, 1, filing, entry.path);
      WriteText(ws, row, 2, entry.en);
      if (IsChoice(field)) {
        Validate(ws, row, row, 1, ListFor(field), absl::StrJoin(ListFor(field).labels, "、"));
      }
      ++row;
    }
    return row;
  }

  using RoleText = std::function<std::string(const ColumnSpec&)>;

  // One data row of a table: fields of `item` and `group` (nullptr: leave
  // those columns blank), role columns from `role_text`.
  void WriteRow(lxw_worksheet* ws, int row, const std::vector<ColumnSpec>& columns, const Message* item,
                const Message* group, const RoleText& role_text) {
    for (size_t c = 0; c < columns.size(); ++c) {
      const ColumnSpec& column = columns[c];
      const int col = static_cast<int>(c);
      if (column.role == ColumnRole::kField) {
        if (item != nullptr) WriteValue(ws, row, col, *item, column.field);
      } else if (column.role == ColumnRole::kGroupField) {
        if (group != nullptr) WriteValue(ws, row, col, *group, column.field);
      } else if (role_text) {
        const std::string text = role_text(column);
        if (!text.empty()) {
          int count = 0;
          if (column.role == ColumnRole::kQuota && absl::SimpleAtoi(text, &count)) {
            WriteNumber(ws, row, col, count);
          } else {
            WriteText(ws, row, col, text);
          }
        }
      }
    }
  }

  // A table block: header at `row`, then `rows` data rows written by
  // `write_row(row, index)`. Returns the row after it.
  int WriteTable(lxw_worksheet* ws, int row, const TableSpec& table, const google::protobuf::Descriptor* item_type,
                 const google::protobuf::Descriptor* group_type, int rows,
                 const std::function<void(int row, int index)>& write_row) {
    const std::vector<const FieldDescriptor*> fields = ColumnFields(table.columns, item_type, group_type);
    WriteHeader(ws, row, table.columns, fields);
    const int first = row + 1;
    for (int i = 0; i < rows; ++i) write_row(first + i, i);
    ValidateColumns(ws, first, first + rows, table.columns, fields);
    worksheet_freeze_panes(ws, static_cast<lxw_row_t>(first), 0);
    return first + rows;
  }

  // A sheet of one table of repeated `items` (a field of the filing).
  template <typename T>
  void TableSheet(const char* name, const TableSpec& table, const google::protobuf::RepeatedPtrField<T>& items) {
    lxw_worksheet* ws = AddSheet(name);
    if (ws == nullptr) return;
    WriteNote(ws, kNoteRow, table.note_zh, table.note_en, table.columns.size());
    WriteTable(ws, kHeaderRow, table, T::descriptor(), nullptr, items.size(), [&](int row, int index) {
      const T& item = items.Get(index);
      WriteRow(ws, row, table.columns, &item, nullptr,
               [&item](const ColumnSpec& column) { return ItemRole(item, column); });
    });
  }

  // Role columns that depend on the item (a secondary unit's quotas).
  template <typename T>
  static std::string ItemRole(const T&, const ColumnSpec&) {
    return "";
  }
  static std::string ItemRole(const lv1::SecondaryUnit& unit, const ColumnSpec& column) {
    if (column.role != ColumnRole::kQuota || !unit.has_staffing()) return "";
    for (const lv1::EstablishmentQuota& quota : unit.staffing().quotas()) {
      if (quota.kind() == column.quota_kind) return absl::StrCat(quota.count());
    }
    return "";
  }

  // ------------------------------------------------------------ sheets
  void WriteSheets() {
    const gv1::Filing& f = *filing_;
    CheckRepresentable(f);
    if (!status_.ok()) return;

    lxw_worksheet* ws = AddSheet(kSheetInstructions);
    if (ws == nullptr) return;
    Check(worksheet_set_column(ws, 0, 0, 110, note_));
    int row = 0;
    for (const auto& [zh, en] : Instructions()) {
      Check(worksheet_write_string(ws, static_cast<lxw_row_t>(row), 0, zh.c_str(), row == 0 ? title_ : note_));
      Check(worksheet_write_string(ws, static_cast<lxw_row_t>(row + 1), 0, en.c_str(), row == 0 ? title_ : note_));
      row += 3;
    }
    for (const std::string& sheet : DataSheets()) {
      const std::string line = absl::StrCat(sheet, " — ", SheetNameEn(sheet));
      Check(worksheet_write_string(ws, static_cast<lxw_row_t>(row++), 0, line.c_str(), nullptr));
    }

    KeyValueSheet(kSheetDepartment, "部门信息、人员编制与预算年度：每行一项，“值”列填写。",
                  "Department, staffing and fiscal year: one item per row, fill in the 值 (value) column.",
                  DepartmentEntries());
    TableSheet(kSheetUnits, UnitTable(), f.department().secondary_units());
    TableSheet(kSheetIncome, IncomeTable(), f.budget().income_lines());
    TableSheet(kSheetExpenditure, ExpenditureTable(), f.budget().expenditure_lines());
    TableSheet(kSheetProjects, ProjectTable(), f.budget().projects());

    // 上年数: the four prior-year figures, then the funds of the two years.
    ws = AddSheet(kSheetPriorYears);
    if (ws == nullptr) return;
    WriteNote(ws, kNoteRow, "上年数：上一年度的预算数（用于与上年比较），留空表示无上年数。",
              "Prior-year figures for the comparisons; leave empty when there is no prior year.", 5);
    row = WriteEntries(ws, kHeaderRow, PriorYearEntries()) + 1;
    WriteNote(ws, row, FundsTable().note_zh, FundsTable().note_en, 5);
    const auto& funds = f.budget().prior_years().funds();
    WriteTable(ws, row + 1, FundsTable(), lv1::YearFunds::descriptor(), nullptr, funds.size(),
               [&](int r, int i) { WriteRow(ws, r, FundsTable().columns, &funds.Get(i), nullptr, nullptr); });

    ThreePublicSheet();
    TableSheet(kSheetProcurement, ProcurementTable(), f.budget().procurement_lines());
    KeyValueSheet(kSheetAssets, "国有资产占有使用情况：每行一项。", "State assets: one item per row.", AssetEntries());
    TableSheet(kSheetServices, ServicePurchaseTable(), f.budget().service_purchase_lines());
    KeyValueSheet(kSheetNarrative, "说明文字：只有部门才能写的内容（原因、用途），不作为任何数字的来源。",
                  "Narrative inputs: what only the department can write (reasons, purposes); never the source of a "
                  "number.",
                  NarrativeEntries());
    DepartmentGoalSheet();
    ProjectGoalSheet();
    CodeSheet();
  }

  void KeyValueSheet(const char* name, const std::string& zh, const std::string& en,
                     const std::vector<EntrySpec>& entries) {
    lxw_worksheet* ws = AddSheet(name);
    if (ws == nullptr) return;
    WriteNote(ws, kNoteRow, zh, en, 3);
    WriteEntries(ws, kHeaderRow, entries);
    worksheet_freeze_panes(ws, kFirstDataRow, 0);
  }

  void ThreePublicSheet() {
    lxw_worksheet* ws = AddSheet(kSheetThreePublic);
    if (ws == nullptr) return;
    const TableSpec& table = ThreePublicTable();
    WriteNote(ws, kNoteRow, table.note_zh, table.note_en, table.columns.size());
    struct Line {
      const char* scope;
      const std::string* unit;
      const char* year;
      const lv1::ThreePublicCosts* costs;
    };
    const lv1::ThreePublic& tp = filing_->budget().three_public();
    static const std::string kNoUnit;
    std::vector<Line> lines;
    if (tp.has_current()) lines.push_back({kScopeDepartment, &kNoUnit, kYearCurrent, &tp.current()});
    if (tp.has_prior()) lines.push_back({kScopeDepartment, &kNoUnit, kYearPrior, &tp.prior()});
    for (const lv1::UnitThreePublic& u : tp.by_unit()) {
      if (u.has_current()) lines.push_back({kScopeUnit, &u.unit_code(), kYearCurrent, &u.current()});
      if (u.has_prior()) lines.push_back({kScopeUnit, &u.unit_code(), kYearPrior, &u.prior()});
      if (!u.has_current() && !u.has_prior()) lines.push_back({kScopeUnit, &u.unit_code(), "", nullptr});
    }
    WriteTable(ws, kHeaderRow, table, lv1::ThreePublicCosts::descriptor(), nullptr, static_cast<int>(lines.size()),
               [&](int row, int i) {
                 const Line& line = lines[static_cast<size_t>(i)];
                 WriteRow(ws, row, table.columns, line.costs, nullptr, [&](const ColumnSpec& c) -> std::string {
                   if (c.role == ColumnRole::kScope) return line.scope;
                   if (c.role == ColumnRole::kYear) return line.year;
                   if (c.role == ColumnRole::kUnitCode) return *line.unit;
                   return "";
                 });
               });
  }

  // Rows of one goal sheet's indicator table: (category, indicator, group
  // written on this row).
  struct IndicatorRow {
    const char* category;
    const ov1::Indicator* indicator;
    const Message* group;
  };

  void DepartmentGoalSheet() {
    lxw_worksheet* ws = AddSheet(kSheetDepartmentGoals);
    if (ws == nullptr) return;
    const TableSpec& table = DepartmentIndicatorTable();
    WriteNote(ws, kNoteRow, "部门整体支出绩效目标（表9）：先填表头信息，再在下方逐行填写绩效指标。",
              "Department performance goals (form 9): the form's facts first, the indicators below, one per row.",
              table.columns.size());
    const int row = WriteEntries(ws, kHeaderRow, DepartmentGoalEntries()) + 1;
    WriteNote(ws, row, table.note_zh, table.note_en, table.columns.size());
    const ov1::DepartmentGoalSheet& d = filing_->goals().department();
    std::vector<IndicatorRow> rows;
    for (const ov1::AnnualGoal& goal : d.annual_goals()) {
      if (goal.indicators_size() == 0) rows.push_back({kAnnualGoalRows, nullptr, &goal});
      for (int k = 0; k < goal.indicators_size(); ++k) {
        rows.push_back({kAnnualGoalRows, &goal.indicators(k), k == 0 ? &goal : nullptr});
      }
    }
    for (const ov1::Indicator& indicator : d.long_term_indicators())
      rows.push_back({kLongTermRows, &indicator, nullptr});
    WriteIndicators(ws, row + 1, table, ov1::AnnualGoal::descriptor(), rows);
  }

  void ProjectGoalSheet() {
    lxw_worksheet* ws = AddSheet(kSheetProjectGoals);
    if (ws == nullptr) return;
    const TableSpec& table = ProjectIndicatorTable();
    WriteNote(ws, kNoteRow, table.note_zh, table.note_en, table.columns.size());
    std::vector<IndicatorRow> rows;
    for (const ov1::ProjectGoalSheet& sheet : filing_->goals().projects()) {
      const size_t first = rows.size();
      for (const ov1::Indicator& indicator : sheet.medium_term_indicators()) {
        rows.push_back({kMediumTermRows, &indicator, nullptr});
      }
      for (const ov1::Indicator& indicator : sheet.annual_indicators()) {
        rows.push_back({kAnnualIndicatorRows, &indicator, nullptr});
      }
      if (rows.size() == first) rows.push_back({"", nullptr, nullptr});
      rows[first].group = &sheet;
    }
    WriteIndicators(ws, kHeaderRow, table, ov1::ProjectGoalSheet::descriptor(), rows);
  }

  void WriteIndicators(lxw_worksheet* ws, int header_row, const TableSpec& table,
                       const google::protobuf::Descriptor* group_type, const std::vector<IndicatorRow>& rows) {
    WriteTable(ws, header_row, table, ov1::Indicator::descriptor(), group_type, static_cast<int>(rows.size()),
               [&](int row, int i) {
                 const IndicatorRow& r = rows[static_cast<size_t>(i)];
                 WriteRow(ws, row, table.columns, r.indicator, r.group, [&](const ColumnSpec& c) -> std::string {
                   return c.role == ColumnRole::kCategory ? r.category : "";
                 });
               });
  }

  void CodeSheet() {
    lxw_worksheet* ws = AddSheet(kSheetCodes);
    if (ws == nullptr) return;
    for (size_t c = 0; c < code_columns_.size(); ++c) {
      const std::vector<std::string>& values = code_columns_[c];
      Check(worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), 16, text_));
      for (size_t r = 0; r < values.size(); ++r) WriteText(ws, static_cast<int>(r), static_cast<int>(c), values[r]);
    }
    worksheet_hide(ws);
  }

  // What one column per kind and two history pairs cannot carry.
  void CheckRepresentable(const gv1::Filing& f) {
    for (int u = 0; u < f.department().secondary_units_size(); ++u) {
      const lv1::SecondaryUnit& unit = f.department().secondary_units(u);
      std::set<int> kinds;
      for (const lv1::EstablishmentQuota& quota : unit.staffing().quotas()) {
        if (quota.kind() < 1 || quota.kind() > 4 || !kinds.insert(quota.kind()).second) {
          Refuse(absl::StrCat("所属单位 ", unit.code(), " 的编制数须每个编制类别至多一项，且类别已指定"),
                 absl::StrCat("department.secondaryUnits[", u,
                              "].staffing.quotas: the workbook has one column per "
                              "establishment kind, so a unit needs at most one quota per kind, each with its kind"));
          return;
        }
      }
    }
    auto check = [&](const ov1::Indicator& indicator, const std::string& path) {
      if (indicator.history_size() > 2) {
        Refuse(absl::StrCat(path, " 有 ", indicator.history_size(), " 个历史指标值，工作簿只容纳近两年"),
               absl::StrCat(path, ".history has ", indicator.history_size(),
                            " values; the workbook holds the two prior years"));
      }
    };
    const ov1::DepartmentGoalSheet& d = f.goals().department();
    for (int g = 0; g < d.annual_goals_size(); ++g) {
      for (int k = 0; k < d.annual_goals(g).indicators_size(); ++k) {
        check(d.annual_goals(g).indicators(k),
              absl::StrCat("goals.department.annualGoals[", g, "].indicators[", k, "]"));
      }
    }
    for (int k = 0; k < d.long_term_indicators_size(); ++k) {
      check(d.long_term_indicators(k), absl::StrCat("goals.department.longTermIndicators[", k, "]"));
    }
    for (int s = 0; s < f.goals().projects_size(); ++s) {
      const ov1::ProjectGoalSheet& sheet = f.goals().projects(s);
      for (int k = 0; k < sheet.medium_term_indicators_size(); ++k) {
        check(sheet.medium_term_indicators(k), absl::StrCat("goals.projects[", s, "].mediumTermIndicators[", k, "]"));
      }
      for (int k = 0; k < sheet.annual_indicators_size(); ++k) {
        check(sheet.annual_indicators(k), absl::StrCat("goals.projects[", s, "].annualIndicators[", k, "]"));
      }
    }
  }

  const gv1::Filing* filing_;
  const ledger::Catalogue* catalogue_;
  WorkbookWriteOptions options_;
  lxw_workbook* workbook_ = nullptr;
  lxw_format* header_ = nullptr;
  lxw_format* note_ = nullptr;
  lxw_format* title_ = nullptr;
  lxw_format* text_ = nullptr;
  lxw_format* amount_ = nullptr;
  absl::Status status_;
  std::map<std::string, ChoiceList> lists_;
  ChoiceList functional_codes_;
  ChoiceList economic_codes_;
  std::vector<std::vector<std::string>> code_columns_;
};

}  // namespace

absl::StatusOr<std::string> WriteFilingWorkbook(const gv1::Filing& filing, const WorkbookWriteOptions& options) {
  return Writer(&filing, nullptr, options).Write();
}

absl::StatusOr<std::string> WriteTemplateWorkbook(const ledger::Catalogue* catalogue_or_null,
                                                  const WorkbookWriteOptions& options) {
  static const gv1::Filing kEmpty;
  return Writer(&kEmpty, catalogue_or_null, options).Write();
}

}  // namespace yusuan::workbook
