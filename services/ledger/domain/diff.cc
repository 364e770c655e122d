#include "services/ledger/domain/diff.h"

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/common/money.h"

namespace yusuan::ledger {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::util::MessageDifferencer;

// A cell's identity across revisions: rows are matched by code and name
// (the same 项 in both), columns by their printed title.
using CellKey = std::tuple<std::string, std::string, std::string>;

struct Cell {
  CellKey key;
  int64_t fen = 0;
};

std::string ColumnTitle(const v1::TableColumn& column, const std::string& side) {
  std::string title = column.group().empty() ? column.title() : absl::StrCat(column.group(), "·", column.title());
  return side.empty() ? title : absl::StrCat(side, "·", title);
}

void Collect(const google::protobuf::RepeatedPtrField<v1::TableRow>& rows,
             const google::protobuf::RepeatedPtrField<v1::TableColumn>& columns, const std::string& side,
             std::vector<Cell>* out) {
  for (const auto& row : rows) {
    for (int c = 0; c < row.cells_fen_size() && c < columns.size(); ++c) {
      out->push_back(Cell{CellKey{row.code(), row.name(), ColumnTitle(columns[c], side)}, row.cells_fen(c)});
    }
  }
}

std::vector<Cell> Cells(const v1::BudgetTable& table) {
  std::vector<Cell> cells;
  const bool balance = table.layout() == v1::TABLE_LAYOUT_BALANCE;
  Collect(table.rows(), table.columns(), balance ? "收入" : "", &cells);
  Collect(table.right_rows(), table.right_columns(), balance ? "支出" : "", &cells);
  return cells;
}

const v1::BudgetTable* FindTable(const v1::BudgetTables& tables, int number) {
  for (const auto& table : tables.tables()) {
    if (table.number() == number) return &table;
  }
  return nullptr;
}

void AddChange(int table, const CellKey& key, int64_t before, int64_t after, v1::RevisionDiff* diff) {
  if (before == after) return;
  auto* change = diff->add_cells();
  change->set_table(table);
  change->set_row_code(std::get<0>(key));
  change->set_row_name(std::get<1>(key));
  change->set_column(std::get<2>(key));
  change->set_before_fen(before);
  change->set_after_fen(after);
  change->set_delta_fen(after - before);
  change->set_before_wan(FormatWanYuan(before));
  change->set_after_wan(FormatWanYuan(after));
  const std::string delta = FormatWanYuan(after - before);
  change->set_delta_wan(after > before ? absl::StrCat("+", delta) : delta);
}

void DiffTables(const v1::BudgetTables& before, const v1::BudgetTables& after, v1::RevisionDiff* diff) {
  for (int number = 1; number <= 8; ++number) {
    const v1::BudgetTable* old_table = FindTable(before, number);
    const v1::BudgetTable* new_table = FindTable(after, number);
    std::vector<Cell> old_cells = old_table ? Cells(*old_table) : std::vector<Cell>();
    std::vector<Cell> new_cells = new_table ? Cells(*new_table) : std::vector<Cell>();
    std::map<CellKey, int64_t> old_by_key;
    for (const Cell& cell : old_cells) old_by_key.emplace(cell.key, cell.fen);
    std::map<CellKey, bool> seen;
    for (const Cell& cell : new_cells) {
      auto it = old_by_key.find(cell.key);
      AddChange(number, cell.key, it == old_by_key.end() ? 0 : it->second, cell.fen, diff);
      seen[cell.key] = true;
    }
    for (const Cell& cell : old_cells) {
      if (!seen.count(cell.key)) AddChange(number, cell.key, cell.fen, 0, diff);
    }
  }
}

bool IsServerSet(const FieldDescriptor* field) {
  const std::string& name = field->name();
  return name == "name" || name == "status" || name == "etag" || name == "revision" || name == "update_time_unix_ms";
}

// `message` with every field but `keep` cleared.
v1::Budget OnlyField(const v1::Budget& message, const FieldDescriptor* keep) {
  v1::Budget copy = message;
  const auto* descriptor = v1::Budget::descriptor();
  for (int j = 0; j < descriptor->field_count(); ++j) {
    if (descriptor->field(j) != keep) copy.GetReflection()->ClearField(&copy, descriptor->field(j));
  }
  return copy;
}

void DiffFields(const v1::Budget& before, const v1::Budget& after, v1::RevisionDiff* diff) {
  const auto* descriptor = v1::Budget::descriptor();
  const auto* reflection = v1::Budget::GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    if (IsServerSet(field)) continue;
    if (MessageDifferencer::Equals(OnlyField(before, field), OnlyField(after, field))) continue;
    const bool indexable = field->is_repeated() && field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
                           reflection->FieldSize(before, field) == reflection->FieldSize(after, field);
    if (!indexable) {
      diff->add_changed_fields(field->json_name());
      continue;
    }
    for (int k = 0; k < reflection->FieldSize(before, field); ++k) {
      if (!MessageDifferencer::Equals(reflection->GetRepeatedMessage(before, field, k),
                                      reflection->GetRepeatedMessage(after, field, k))) {
        diff->add_changed_fields(absl::StrCat(field->json_name(), "[", k, "]"));
      }
    }
  }
}

}  // namespace

v1::RevisionDiff DiffRevisions(const v1::Budget& before, const v1::BudgetTables& before_tables, const v1::Budget& after,
                               const v1::BudgetTables& after_tables) {
  v1::RevisionDiff diff;
  diff.set_name(after.name());
  diff.set_from_revision(before.revision());
  diff.set_to_revision(after.revision());
  DiffTables(before_tables, after_tables, &diff);
  DiffFields(before, after, &diff);
  return diff;
}

}  // namespace yusuan::ledger
