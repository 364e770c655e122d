// get, revisions, diff: what is stored, and how it changed.
#include <algorithm>
#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/money.h"
#include "services/common/resource_names.h"
#include "tools/yusuan/commands.h"
#include "tools/yusuan/exit_codes.h"
#include "tools/yusuan/print.h"

namespace yusuan::cli {
namespace {

namespace lv1 = yusuan::ledger::v1;
namespace gov1 = yusuan::goals::v1;

bool IsGoalsName(const std::string& name) { return ParseGoalsName(name).ok(); }

// A revision number given on the command line: digits only, at least `min`.
bool ParseRevisionArg(const std::string& text, int64_t min, int64_t* out) {
  if (text.empty() || text.size() > 18) return false;
  int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  if (value < min) return false;
  *out = value;
  return true;
}

// The signed change in 万元 ("+12.00", "-3.50"), as the ledger words it.
std::string SignedDeltaWan(const lv1::CellChange& cell) {
  std::string delta = cell.delta_wan().empty() ? yusuan::FormatWanYuan(cell.delta_fen()) : cell.delta_wan();
  if (cell.delta_fen() > 0 && (delta.empty() || delta[0] != '+')) delta = absl::StrCat("+", delta);
  return delta;
}

// What --json prints; the lists are gathered from every page first.
int PrintJson(const google::protobuf::Message& message) {
  std::cout << ToJson(message);
  return kOk;
}

// The revisions of a goal set: revision, etag, update time.
int GoalsRevisions(Client& client, const Args& args) {
  if (!client.Connect()) return kFailed;
  gov1::ListGoalsRevisionsRequest request;
  request.set_name(args.positional[0]);
  gov1::ListGoalsRevisionsResponse all;
  grpc::Status status =
      client.ForEachPage(&Client::Stub::ListGoalsRevisions, request, [&](gov1::ListGoalsRevisionsResponse& page) {
        for (auto& g : *page.mutable_revisions()) {
          *all.add_revisions() = std::move(g);
        }
      });
  if (!status.ok()) return PrintFailure(status);
  if (args.json) return PrintJson(all);
  if (all.revisions_size() == 0) {
    std::cout << "尚无修订 / no revisions yet: " << request.name() << "\n";
    return kOk;
  }
  std::vector<std::vector<std::string>> rows = {{"修订 revision", "etag", "更新时间 update time (UTC)"}};
  for (const auto& g : all.revisions()) {
    rows.push_back({absl::StrCat(g.revision()), g.etag(), IsoUtc(g.update_time_unix_ms())});
  }
  PrintTable(rows);
  return kOk;
}

// What changed between two revisions of a goal set: one row per field.
int GoalsDiff(Client& client, const Args& args, int64_t from, int64_t to) {
  gov1::DiffGoalsRevisionsRequest request;
  request.set_name(args.positional[0]);
  request.set_from_revision(from);
  request.set_to_revision(to);
  if (!client.Connect()) return kFailed;
  gov1::GoalsDiff diff;
  grpc::Status status = client.Call(&Client::Stub::DiffGoalsRevisions, request, &diff);
  if (!status.ok()) return PrintFailure(status);
  if (args.json) return PrintJson(diff);
  std::cout << request.name() << "  修订 revision " << diff.from_revision() << " → " << diff.to_revision() << "\n";
  if (diff.changes_size() == 0) {
    std::cout << "无变化 / no changes\n";
    return kOk;
  }
  std::cout << "\n";
  std::vector<std::vector<std::string>> rows = {{"字段 field", "变动前 before", "变动后 after"}};
  for (const auto& change : diff.changes()) {
    rows.push_back({change.path(), change.before().empty() ? "-" : change.before(),
                    change.after().empty() ? "-" : change.after()});
  }
  PrintTable(rows);
  return kOk;
}

}  // namespace

bool CheckBudgetName(const Args& args, const std::string& command) {
  if (args.positional.size() != 1) {
    Usage(absl::StrCat(command, " 需要一个预算资源名 / ", command, " needs one budget NAME"));
    return false;
  }
  absl::StatusOr<BudgetName> name = ParseBudgetName(args.positional[0]);
  if (!name.ok()) {
    std::cerr << name.status().message() << "\n";
    return false;
  }
  return true;
}

int Get(Client& client, const Args& args) {
  if (args.positional.size() != 1) return Usage("get 需要一个资源名 / get needs one NAME");
  const std::string& name = args.positional[0];
  absl::StatusOr<yusuan::AnyResourceName> parsed = yusuan::ParseAnyResourceName(name);
  if (!parsed.ok()) {
    std::cerr << parsed.status().message() << "\n";
    return kUsage;
  }
  if (!client.Connect()) return kFailed;
  grpc::Status status;
  switch (parsed->kind) {
    case yusuan::ResourceKind::kRegion: {
      // Every department of the region, as one list.
      lv1::ListDepartmentsRequest request;
      request.set_parent(name);
      lv1::ListDepartmentsResponse all;
      status = client.ForEachPage(&Client::Stub::ListDepartments, request, [&](lv1::ListDepartmentsResponse& page) {
        for (auto& d : *page.mutable_departments()) *all.add_departments() = std::move(d);
      });
      if (!status.ok()) return PrintFailure(status);
      return PrintJson(all);
    }
    case yusuan::ResourceKind::kDepartment: {
      lv1::GetDepartmentRequest request;
      request.set_name(name);
      lv1::Department department;
      status = client.Call(&Client::Stub::GetDepartment, request, &department);
      if (!status.ok()) return PrintFailure(status);
      return PrintJson(department);
    }
    case yusuan::ResourceKind::kBudget: {
      lv1::GetBudgetRequest request;
      request.set_name(name);
      lv1::Budget budget;
      status = client.Call(&Client::Stub::GetBudget, request, &budget);
      if (!status.ok()) return PrintFailure(status);
      return PrintJson(budget);
    }
    case yusuan::ResourceKind::kGoals: {
      gov1::GetGoalsRequest request;
      request.set_name(name);
      gov1::GoalSet goals;
      status = client.Call(&Client::Stub::GetGoals, request, &goals);
      if (!status.ok()) return PrintFailure(status);
      return PrintJson(goals);
    }
  }
  return kFailed;
}

int Revisions(Client& client, const Args& args) {
  if (args.positional.size() == 1 && IsGoalsName(args.positional[0])) return GoalsRevisions(client, args);
  if (!CheckBudgetName(args, "revisions")) return kUsage;
  if (!client.Connect()) return kFailed;
  lv1::ListBudgetRevisionsRequest request;
  request.set_name(args.positional[0]);
  lv1::ListBudgetRevisionsResponse all;
  grpc::Status status =
      client.ForEachPage(&Client::Stub::ListBudgetRevisions, request, [&](lv1::ListBudgetRevisionsResponse& page) {
        for (auto& b : *page.mutable_revisions()) {
          *all.add_revisions() = std::move(b);
        }
      });
  if (!status.ok()) return PrintFailure(status);
  if (args.json) return PrintJson(all);
  if (all.revisions_size() == 0) {
    std::cout << "尚无修订 / no revisions yet: " << request.name() << "\n";
    return kOk;
  }
  std::vector<std::vector<std::string>> rows = {{"修订 revision", "etag", "更新时间 update time (UTC)", "状态 status"}};
  for (const auto& b : all.revisions()) {
    rows.push_back({absl::StrCat(b.revision()), b.etag(), IsoUtc(b.update_time_unix_ms()), StatusName(b.status())});
  }
  PrintTable(rows);
  return kOk;
}

int Diff(Client& client, const Args& args) {
  if (args.positional.size() < 2 || args.positional.size() > 3) {
    return Usage("diff 需要资源名和起始修订号 / diff needs BUDGET_NAME (or …/goals) FROM [TO]");
  }
  if (IsGoalsName(args.positional[0])) {
    int64_t from = 0, to = 0;
    if (!ParseRevisionArg(args.positional[1], 1, &from) ||
        (args.positional.size() == 3 && !ParseRevisionArg(args.positional[2], 0, &to))) {
      return Usage(
          "FROM 应为正整数修订号，TO 为修订号或 0（当前）/ FROM must be a positive revision number, "
          "TO a revision number or 0 (current)");
    }
    return GoalsDiff(client, args, from, to);
  }
  absl::StatusOr<BudgetName> name = ParseBudgetName(args.positional[0]);
  if (!name.ok()) {
    std::cerr << name.status().message() << "\n";
    return kUsage;
  }
  lv1::DiffBudgetRevisionsRequest request;
  request.set_name(args.positional[0]);
  int64_t from = 0, to = 0;
  if (!ParseRevisionArg(args.positional[1], 1, &from)) {
    return Usage(
        absl::StrCat("FROM \"", args.positional[1], "\" 应为正整数修订号 / FROM must be a positive revision number"));
  }
  if (args.positional.size() == 3 && !ParseRevisionArg(args.positional[2], 0, &to)) {
    return Usage(absl::StrCat("TO \"", args.positional[2],
                              "\" 应为修订号，0 表示当前修订 / TO must be a revision number (0: "
                              "the current revision)"));
  }
  request.set_from_revision(from);
  request.set_to_revision(to);
  if (!client.Connect()) return kFailed;
  lv1::RevisionDiff diff;
  grpc::Status status = client.Call(&Client::Stub::DiffBudgetRevisions, request, &diff);
  if (!status.ok()) return PrintFailure(status);
  if (args.json) return PrintJson(diff);
  const std::string to_label =
      diff.to_revision() != 0 ? absl::StrCat(diff.to_revision()) : (to != 0 ? absl::StrCat(to) : "当前 current");
  std::cout << (diff.name().empty() ? request.name() : diff.name()) << "  修订 revision "
            << (diff.from_revision() != 0 ? diff.from_revision() : from) << " → " << to_label << "\n";
  if (diff.cells_size() == 0 && diff.changed_fields_size() == 0) {
    std::cout << "无变化 / no changes\n";
    return kOk;
  }
  if (diff.cells_size() > 0) {
    std::cout << "\n";
    std::vector<std::vector<std::string>> rows = {{"表 table", "编码 code", "项目 row", "栏 column",
                                                   "变动前 before 万元", "变动后 after 万元", "增减 delta 万元"}};
    for (const auto& cell : diff.cells()) {
      rows.push_back({absl::StrCat("表", cell.table()), cell.row_code().empty() ? "-" : cell.row_code(),
                      cell.row_name(), cell.column(),
                      cell.before_wan().empty() ? yusuan::FormatWanYuan(cell.before_fen()) : cell.before_wan(),
                      cell.after_wan().empty() ? yusuan::FormatWanYuan(cell.after_fen()) : cell.after_wan(),
                      SignedDeltaWan(cell)});
    }
    PrintTable(rows, /*right_aligned_from=*/4);
  } else {
    std::cout << "表格金额无变化 / no table amounts changed\n";
  }
  std::cout << "\n字段 fields: ";
  if (diff.changed_fields_size() == 0) {
    std::cout << "无 / none\n";
  } else {
    for (int i = 0; i < diff.changed_fields_size(); ++i) {
      std::cout << (i == 0 ? "" : ", ") << diff.changed_fields(i);
    }
    std::cout << "\n";
  }
  return kOk;
}

int Tables(Client& client, const Args& args) {
  if (!CheckBudgetName(args, "tables")) return kUsage;
  yusuan::gateway::v1::GetBudgetTablesRequest request;
  request.set_name(args.positional[0]);
  if (!args.unit.empty()) request.set_unit_code(args.unit);
  if (!client.Connect()) return kFailed;
  lv1::BudgetTables tables;
  grpc::Status status = client.Call(&Client::Stub::GetBudgetTables, request, &tables);
  if (!status.ok()) return PrintFailure(status);
  if (args.json) return PrintJson(tables);
  std::cout << request.name() << (args.unit.empty() ? "  部门合并 consolidated" : "  单位 unit " + args.unit)
            << "  （万元 / 10,000 yuan）\n";
  auto print_side = [](const google::protobuf::RepeatedPtrField<lv1::TableColumn>& columns,
                       const google::protobuf::RepeatedPtrField<lv1::TableRow>& rows) {
    std::vector<std::string> header = {"编码 code", "项目 row"};
    for (const lv1::TableColumn& column : columns) {
      header.push_back(column.group().empty() ? column.title() : absl::StrCat(column.group(), "·", column.title()));
    }
    std::vector<std::vector<std::string>> printed = {header};
    for (const lv1::TableRow& row : rows) {
      std::vector<std::string> cells = {
          row.code().empty() ? "-" : row.code(),
          std::string(static_cast<size_t>(std::max(0, row.level() - 1)) * 2, ' ') + row.name()};
      for (int64_t fen : row.cells_fen()) cells.push_back(yusuan::FormatWanYuan(fen));
      printed.push_back(std::move(cells));
    }
    PrintTable(printed, /*right_aligned_from=*/2);
  };
  for (const lv1::BudgetTable& table : tables.tables()) {
    std::cout << "\n表" << table.number() << " " << table.title() << "\n";
    if (table.rows().empty() && table.right_rows().empty()) {
      std::cout << (table.empty_note().empty() ? "（无数据 / no data）" : table.empty_note()) << "\n";
      continue;
    }
    print_side(table.columns(), table.rows());
    if (!table.right_rows().empty()) {
      std::cout << "\n";
      print_side(table.right_columns(), table.right_rows());
    }
  }
  return kOk;
}

}  // namespace yusuan::cli
