// The layout of the filing workbook, shared by its writer and its reader
// (internal to workbook/): sheet names, the columns of each table sheet,
// the rows of each key/value sheet, and the Chinese labels of every choice.
// A column or row names the field it holds by its protobuf JSON path, so the
// writer, the reader and the provenance map read the same table.
#ifndef YUSUAN_SERVICES_GATEWAY_WORKBOOK_LAYOUT_H_
#define YUSUAN_SERVICES_GATEWAY_WORKBOOK_LAYOUT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "services/gateway/workbook/filing_workbook.h"

namespace yusuan::workbook {

inline constexpr char kSheetInstructions[] = "说明";
inline constexpr char kSheetDepartment[] = "部门";
inline constexpr char kSheetUnits[] = "所属单位";
inline constexpr char kSheetIncome[] = "收入";
inline constexpr char kSheetExpenditure[] = "支出";
inline constexpr char kSheetProjects[] = "项目";
inline constexpr char kSheetPriorYears[] = "上年数";
inline constexpr char kSheetThreePublic[] = "三公";
inline constexpr char kSheetProcurement[] = "政府采购";
inline constexpr char kSheetAssets[] = "资产";
inline constexpr char kSheetServices[] = "购买服务";
inline constexpr char kSheetNarrative[] = "说明文字";
inline constexpr char kSheetDepartmentGoals[] = "整体绩效目标";
inline constexpr char kSheetProjectGoals[] = "项目绩效目标";
inline constexpr char kSheetCodes[] = "代码";

// Every sheet the reader needs, in workbook order (说明 and 代码 are not
// read).
const std::vector<std::string>& DataSheets();
// English name of a sheet, for messages and notes.
std::string SheetNameEn(std::string_view sheet);

// Spreadsheet rows (0-based, as libxlsxwriter counts) of a sheet: the note,
// the header, the first data row. Two-block sheets (上年数, 整体绩效目标)
// start their second block after the first one.
inline constexpr int kNoteRow = 0;
inline constexpr int kHeaderRow = 1;
inline constexpr int kFirstDataRow = 2;

// What a column holds besides a field of the row's message.
enum class ColumnRole {
  kField,       // `field` of the row message
  kGroupField,  // `field` of the group the row belongs to (a goal, a project sheet)
  kQuota,       // a secondary unit's quota of establishment kind `quota_kind`
  kScope,       // 三公: 部门 or 单位
  kYear,        // 三公: 本年 or 上年
  kUnitCode,    // 三公: the unit of a 单位 row
  kCategory,    // 绩效: which list an indicator row belongs to
};

struct ColumnSpec {
  std::string zh;  // header, without the unit of an amount
  std::string en;
  std::string field;  // JSON path relative to the row (or group) message
  ColumnRole role = ColumnRole::kField;
  int quota_kind = 0;
  double width = 14;
};

// A row of a key/value sheet: the label in column A, the value in B.
struct EntrySpec {
  std::string zh;  // label, without the unit of an amount
  std::string en;
  std::string path;  // JSON path from the Filing
  // One spreadsheet row per element (主要职能 …).
  bool repeated = false;
  // One row per quota of this establishment kind (编制数·行政编制 …).
  int quota_kind = 0;
};

struct TableSpec {
  std::string note_zh;
  std::string note_en;
  std::vector<ColumnSpec> columns;
};

// The key/value blocks.
const std::vector<EntrySpec>& DepartmentEntries();
const std::vector<EntrySpec>& PriorYearEntries();
const std::vector<EntrySpec>& AssetEntries();
const std::vector<EntrySpec>& NarrativeEntries();
const std::vector<EntrySpec>& DepartmentGoalEntries();
// The header of every key/value block.
const std::vector<ColumnSpec>& EntryColumns();

// The table blocks.
const TableSpec& UnitTable();
const TableSpec& IncomeTable();
const TableSpec& ExpenditureTable();
const TableSpec& ProjectTable();
const TableSpec& FundsTable();
const TableSpec& ThreePublicTable();
const TableSpec& ProcurementTable();
const TableSpec& ServicePurchaseTable();
const TableSpec& DepartmentIndicatorTable();
const TableSpec& ProjectIndicatorTable();

// Labels of the two kinds of rows of the goal sheets and the 三公 sheet.
inline constexpr char kAnnualGoalRows[] = "年度目标";
inline constexpr char kLongTermRows[] = "长期指标";
inline constexpr char kMediumTermRows[] = "中期指标";
inline constexpr char kAnnualIndicatorRows[] = "年度指标";
inline constexpr char kScopeDepartment[] = "部门";
inline constexpr char kScopeUnit[] = "单位";
inline constexpr char kYearCurrent[] = "本年";
inline constexpr char kYearPrior[] = "上年";

// The 说明 sheet, line by line (Chinese, then English).
const std::vector<std::pair<std::string, std::string>>& Instructions();

// ---------------------------------------------------------------- choices

// The label of an enum value ("一般公共预算拨款"); "" for 0 (unspecified).
std::string ChoiceLabel(const google::protobuf::EnumDescriptor* type, int number);
// The value a label (or alias, or proto enum name) names; nullopt if none.
std::optional<int> ChoiceFromText(const google::protobuf::EnumDescriptor* type, std::string_view text);
// Every label of `type` in value order, for drop-down lists and messages.
std::vector<std::string> ChoiceLabels(const google::protobuf::EnumDescriptor* type);

struct BoolLabels {
  std::string no;
  std::string yes;
};
BoolLabels BoolLabelsFor(const google::protobuf::FieldDescriptor* field);
std::optional<bool> BoolFromText(const google::protobuf::FieldDescriptor* field, std::string_view text);

// The establishment kind's label (行政编制 …) by number.
std::string QuotaKindLabel(int kind);

// ---------------------------------------------------------------- headers

// A header cell as the reader sees it: its Chinese part (the text before
// the first line break, trimmed) without an amount unit, and that unit.
struct HeaderText {
  std::string key;
  std::optional<AmountUnit> unit;
  bool unknown_unit = false;  // "（千元）": a unit the reader does not know
};
HeaderText ParseHeader(std::string_view text);
// "金额（元）\nAmount (yuan)" for an amount column, "收入来源\nSource" else.
std::string HeaderCellText(const ColumnSpec& column, bool amount, AmountUnit unit);
// "上年一般公共预算支出（元）" for an amount row, the label otherwise.
std::string EntryLabelText(const EntrySpec& entry, bool amount, AmountUnit unit);

// The leaf field of each column: of `item` for kField, of `group` for
// kGroupField, nullptr for the other roles (or a null type).
std::vector<const google::protobuf::FieldDescriptor*> ColumnFields(const std::vector<ColumnSpec>& columns,
                                                                   const google::protobuf::Descriptor* item,
                                                                   const google::protobuf::Descriptor* group);

// Text with ASCII, full-width and no-break spaces trimmed.
std::string TrimText(std::string_view text);

}  // namespace yusuan::workbook

#endif  // YUSUAN_SERVICES_GATEWAY_WORKBOOK_LAYOUT_H_
