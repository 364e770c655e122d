// ExportFilings, a page at a time: the filings of a region and year as a
// filer would send them, in the ledger's department order, each with a
// cursor that resumes the export after it.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/errors.h"
#include "services/common/resource_names.h"
#include "services/gateway/orchestrator.h"

namespace yusuan::gateway {
namespace {

namespace gv1 = yusuan::gateway::v1;
namespace lv1 = yusuan::ledger::v1;

// The cursor is the ledger's key of the last department looked at
// ("420107/005001022"), base64url so that clients keep it as a token and do
// not build one.
std::string CursorOf(const std::string& department_key) { return absl::WebSafeBase64Escape(department_key); }

absl::Status BadCursor(const std::string& cursor, const std::string& region) {
  return InvalidField(
      "after_cursor",
      absl::StrCat("after_cursor \"", cursor.substr(0, 64), "\" 不是导出 regions/", region,
                   " 时得到的游标；请用上一次导出最后一份申报的 cursor，或留空从头导出"),
      absl::StrCat("after_cursor \"", cursor.substr(0, 64), "\" is not a cursor an export of regions/", region,
                   " gave: send the cursor of the last filing received, or leave it empty to start over"));
}

// The department key a cursor holds, checked to be under `region`.
absl::StatusOr<std::string> DepartmentKeyOf(const std::string& cursor, const std::string& region) {
  std::string key;
  if (!absl::WebSafeBase64Unescape(cursor, &key)) return BadCursor(cursor, region);
  const std::vector<std::string> parts = absl::StrSplit(key, '/');
  if (parts.size() != 2 || !IsRegionCode(parts[0]) || !IsAgencyCode(parts[1]) || !absl::StartsWith(parts[0], region)) {
    return BadCursor(cursor, region);
  }
  return key;
}

void ClearServerFields(gv1::Filing& filing) {
  filing.mutable_department()->clear_etag();
  filing.mutable_department()->clear_update_time_unix_ms();
  lv1::Budget& budget = *filing.mutable_budget();
  budget.clear_status();
  budget.clear_etag();
  budget.clear_revision();
  budget.clear_update_time_unix_ms();
  if (filing.has_goals()) {
    filing.mutable_goals()->clear_etag();
    filing.mutable_goals()->clear_revision();
    filing.mutable_goals()->clear_update_time_unix_ms();
  }
}

}  // namespace

absl::Status Orchestrator::CheckExport(const gv1::ExportFilingsRequest& request, const CallOptions& call) const {
  if (absl::Status allowed = Allow(call, "ExportFilings", request.parent()); !allowed.ok()) return allowed;
  absl::StatusOr<std::string> region = ParseRegionName(request.parent());
  if (!region.ok()) return region.status();
  if (request.fiscal_year() < 2000 || request.fiscal_year() > 2100) {
    return InvalidField("fiscal_year", absl::StrCat("预算年度应在 2000–2100 之间，实为 ", request.fiscal_year()),
                        absl::StrCat("fiscal_year must be 2000..2100; it is ", request.fiscal_year()));
  }
  if (!request.after_cursor().empty()) {
    if (absl::StatusOr<std::string> key = DepartmentKeyOf(request.after_cursor(), *region); !key.ok()) {
      return key.status();
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Orchestrator::ExportPage> Orchestrator::ExportFilingsPage(const gv1::ExportFilingsRequest& request,
                                                                         const std::string& after_cursor, int page_size,
                                                                         const CallOptions& call) {
  absl::StatusOr<std::string> region = ParseRegionName(request.parent());
  if (!region.ok()) return region.status();
  lv1::ListDepartmentsRequest list;
  list.set_parent(request.parent());
  list.set_page_size(page_size);
  if (!after_cursor.empty()) {
    absl::StatusOr<std::string> key = DepartmentKeyOf(after_cursor, *region);
    if (!key.ok()) return key.status();
    list.set_page_token(*key);
  }
  lv1::ListDepartmentsResponse departments;
  {
    auto context = NewContext(call);
    grpc::Status status = ledger_->ListDepartments(context.get(), list, &departments);
    if (!status.ok()) return MapError(Backend::kLedger, status);
  }
  ExportPage page;
  for (const lv1::Department& department : departments.departments()) {
    absl::StatusOr<DepartmentName> name = ParseDepartmentName(department.name());
    if (!name.ok()) return name.status();
    const std::string cursor = CursorOf(name->Key());
    page.resume_cursor = cursor;
    BudgetName budget_name{*name, request.fiscal_year()};
    gv1::ExportFilingsResponse exported;
    gv1::Filing& filing = *exported.mutable_filing();
    *filing.mutable_department() = department;
    {
      lv1::GetBudgetRequest get;
      get.set_name(budget_name.ToString());
      auto context = NewContext(call);
      grpc::Status status = ledger_->GetBudget(context.get(), get, filing.mutable_budget());
      if (status.error_code() == grpc::StatusCode::NOT_FOUND) continue;
      if (!status.ok()) return MapError(Backend::kLedger, status);
    }
    absl::StatusOr<yusuan::goals::v1::GoalSet> goals = ReadCurrentGoals(budget_name, call);
    if (goals.ok()) {
      *filing.mutable_goals() = *std::move(goals);
    } else if (!absl::IsNotFound(goals.status())) {
      return goals.status();
    }
    ClearServerFields(filing);
    exported.set_cursor(cursor);
    page.filings.push_back(std::move(exported));
  }
  if (departments.next_page_token().empty()) page.resume_cursor.clear();
  return page;
}

}  // namespace yusuan::gateway
