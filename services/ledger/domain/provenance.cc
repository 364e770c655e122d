#include "services/ledger/domain/provenance.h"

#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"
#include "services/ledger/domain/projections.h"

namespace yusuan::ledger {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// The key of a repeated element: the first of its identifying fields that
// is set, else its position.
std::string ElementKey(const Message& element, int index) {
  const auto* descriptor = element.GetDescriptor();
  const Reflection* reflection = element.GetReflection();
  for (const char* name : {"code", "functional_code", "project_id", "class_code"}) {
    const FieldDescriptor* field = descriptor->FindFieldByName(name);
    if (field != nullptr && field->type() == FieldDescriptor::TYPE_STRING) {
      std::string value = reflection->GetString(element, field);
      if (name == std::string("class_code")) {
        const FieldDescriptor* kuan = descriptor->FindFieldByName("kuan_code");
        if (kuan != nullptr) value += "/" + reflection->GetString(element, kuan);
      }
      if (!value.empty()) return value;
    }
  }
  const FieldDescriptor* source = descriptor->FindFieldByName("source");
  if (source != nullptr && source->type() == FieldDescriptor::TYPE_ENUM) {
    return reflection->GetEnum(element, source)->name();
  }
  return absl::StrCat(index);
}

void Collect(const Message& message, const std::string& prefix, std::map<std::string, int64_t>& out) {
  const auto* descriptor = message.GetDescriptor();
  const Reflection* reflection = message.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    const std::string path = prefix + field->name();
    if (field->is_repeated()) {
      if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
      const int n = reflection->FieldSize(message, field);
      for (int j = 0; j < n; ++j) {
        const Message& element = reflection->GetRepeatedMessage(message, field, j);
        Collect(element, path + "[" + ElementKey(element, j) + "].", out);
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_INT64) {
      if (field->has_presence() && !reflection->HasField(message, field)) continue;
      out[path] = reflection->GetInt64(message, field);
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && reflection->HasField(message, field)) {
      Collect(reflection->GetMessage(message, field), path + ".", out);
    }
  }
}

// A table cell by what it shows rather than where the rows happen to fall:
// rows exist only when non-zero, so a lone line's projection has fewer rows.
using CellKey = std::tuple<int, bool, std::string, std::string, int, int>;

void CollectCells(const v1::BudgetTables& tables, const std::function<void(const CellKey&, int row, int64_t)>& visit) {
  for (const v1::BudgetTable& table : tables.tables()) {
    for (bool right : {false, true}) {
      const auto& rows = right ? table.right_rows() : table.rows();
      std::map<std::pair<std::string, std::string>, int> seen;
      for (int r = 0; r < rows.size(); ++r) {
        const v1::TableRow& row = rows[r];
        const int occurrence = seen[{row.code(), row.name()}]++;
        for (int c = 0; c < row.cells_fen_size(); ++c) {
          visit(CellKey{table.number(), right, row.code(), row.name(), occurrence, c}, r, row.cells_fen(c));
        }
      }
    }
  }
}

std::map<CellKey, int64_t> CellValues(const v1::BudgetTables& tables) {
  std::map<CellKey, int64_t> values;
  CollectCells(tables, [&](const CellKey& key, int, int64_t value) { values[key] = value; });
  return values;
}

struct Contributors {
  std::vector<int> income;
  std::vector<int> expenditure;
};

}  // namespace

std::map<std::string, int64_t> AmountsByPath(const Message& message) {
  std::map<std::string, int64_t> out;
  Collect(message, "", out);
  return out;
}

absl::Status AddSources(const v1::Department& department, const v1::Budget& budget, const Catalogue& catalogue,
                        v1::BudgetTables& tables) {
  v1::Budget none = budget;
  none.clear_income_lines();
  none.clear_expenditure_lines();
  absl::StatusOr<v1::BudgetTables> baseline = ComputeTables(department, none, catalogue);
  if (!baseline.ok()) return baseline.status();
  const std::map<CellKey, int64_t> base_cells = CellValues(*baseline);
  const std::map<std::string, int64_t> base_figures = AmountsByPath(baseline->summary());

  std::map<CellKey, Contributors> cells;
  std::map<std::string, Contributors> figures;
  auto trace = [&](const v1::Budget& lone, bool income, int number) -> absl::Status {
    absl::StatusOr<v1::BudgetTables> projected = ComputeTables(department, lone, catalogue);
    if (!projected.ok()) return projected.status();
    for (const auto& [key, value] : CellValues(*projected)) {
      const auto base = base_cells.find(key);
      if (value == (base == base_cells.end() ? 0 : base->second)) continue;
      auto& who = cells[key];
      (income ? who.income : who.expenditure).push_back(number);
    }
    for (const auto& [path, value] : AmountsByPath(projected->summary())) {
      const auto base = base_figures.find(path);
      if (value == (base == base_figures.end() ? 0 : base->second)) continue;
      auto& who = figures[path];
      (income ? who.income : who.expenditure).push_back(number);
    }
    return absl::OkStatus();
  };
  for (int i = 0; i < budget.income_lines_size(); ++i) {
    v1::Budget lone = none;
    *lone.add_income_lines() = budget.income_lines(i);
    if (absl::Status s = trace(lone, true, i + 1); !s.ok()) return s;
  }
  for (int i = 0; i < budget.expenditure_lines_size(); ++i) {
    v1::Budget lone = none;
    *lone.add_expenditure_lines() = budget.expenditure_lines(i);
    if (absl::Status s = trace(lone, false, i + 1); !s.ok()) return s;
  }

  tables.clear_cell_sources();
  CollectCells(tables, [&](const CellKey& key, int row, int64_t) {
    const auto it = cells.find(key);
    if (it == cells.end()) return;
    v1::CellSource* source = tables.add_cell_sources();
    source->set_table(std::get<0>(key));
    source->set_right_side(std::get<1>(key));
    source->set_row(row);
    source->set_column(std::get<5>(key));
    for (int n : it->second.income) source->add_income_lines(n);
    for (int n : it->second.expenditure) source->add_expenditure_lines(n);
  });
  tables.clear_summary_sources();
  const std::map<std::string, int64_t> amounts = AmountsByPath(tables.summary());
  for (const auto& [path, who] : figures) {
    const auto amount = amounts.find(path);
    if (amount == amounts.end()) continue;  // a figure the full budget lacks
    v1::FigureSource* source = tables.add_summary_sources();
    source->set_field(path);
    source->set_amount_fen(amount->second);
    for (int n : who.income) source->add_income_lines(n);
    for (int n : who.expenditure) source->add_expenditure_lines(n);
  }
  return absl::OkStatus();
}

}  // namespace yusuan::ledger
