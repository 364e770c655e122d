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
#include "services/common/open_data.h"
#include "services/common/resource_names.h"
#include "services/common/sha256.h"
#include "services/gateway/orchestrator.h"
#include "services/gateway/sharding/merge.h"

namespace yusuan::gateway {
namespace {

namespace gv1 = yusuan::gateway::v1;
namespace lv1 = yusuan::ledger::v1;
namespace rv1 = yusuan::report::v1;

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

absl::StatusOr<bool> Orchestrator::PublishedFiling(const BudgetName& name, gv1::ExportFilingsResponse& exported,
                                                   const CallOptions& call) {
  const ShardConnection* shard = nullptr;
  if (absl::Status routed = RouteRegion(name.department.region, &shard); !routed.ok()) return routed;
  lv1::GetBudgetRequest exists;
  exists.set_name(name.ToString());
  lv1::Budget current;
  {
    auto context = NewContext(call);
    grpc::Status status = shard->ledger->GetBudget(context.get(), exists, &current);
    if (status.error_code() == grpc::StatusCode::NOT_FOUND) return false;
    if (!status.ok()) return MapError(*shard, Backend::kLedger, status);
  }
  absl::StatusOr<std::vector<lv1::BudgetVersion>> versions = ListAllVersions(name, call);
  if (!versions.ok()) return versions.status();
  const lv1::BudgetVersion* published = nullptr;
  for (const lv1::BudgetVersion& version : *versions) {
    if (version.to_status() == lv1::FILING_STATUS_PUBLISHED) published = &version;
  }
  if (published == nullptr) return false;
  absl::StatusOr<rv1::ReportInput> filed =
      FilingAt(name, published->ledger_revision(), published->goals_revision(), call);
  if (!filed.ok()) return filed.status();
  gv1::Filing& filing = *exported.mutable_filing();
  *filing.mutable_department() = std::move(*filed->mutable_department());
  *filing.mutable_budget() = std::move(*filed->mutable_budget());
  *filing.mutable_goals() = std::move(*filed->mutable_goals());
  // The version's files as the public index lists them (no bytes).
  rv1::ListPublishedRequest list;
  list.set_budget_name(name.ToString());
  list.set_page_size(500);
  rv1::ListPublishedResponse listed;
  auto context = NewContext(call);
  grpc::Status status = shard->report->ListPublished(context.get(), list, &listed);
  if (!status.ok()) return MapError(*shard, Backend::kReport, status);
  for (rv1::PublishedDisclosure& disclosure : *listed.mutable_disclosures()) {
    if (disclosure.version() == published->version()) *exported.mutable_published() = std::move(disclosure);
  }
  if (!exported.has_published()) {
    // Marked published by the ledger but not (yet) public: the gateway's
    // recovery confirms it; export what the version says.
    exported.mutable_published()->set_budget_name(name.ToString());
    exported.mutable_published()->set_version(published->version());
    exported.mutable_published()->set_publish_time_unix_ms(published->time_unix_ms());
  }
  return true;
}

absl::StatusOr<bool> Orchestrator::BudgetAsOpenData(const BudgetName& name, const lv1::Department& department,
                                                    bool published, gv1::ExportFilingsResponse& exported,
                                                    const CallOptions& call) {
  const ShardConnection* shard = nullptr;
  if (absl::Status routed = RouteRegion(name.department.region, &shard); !routed.ok()) return routed;
  open_data::ExportedBudget row;
  row.budget = name.ToString();
  row.region_code = department.region_code();
  row.agency_code = department.agency_code();
  row.department = department.full_name();
  std::string csv;
  if (published) {
    // The published file, a page at a time, every page of the version the
    // first named (a publication in between must not splice two files).
    rv1::GetPublishedRequest get;
    get.set_budget_name(name.ToString());
    get.set_format(rv1::FORMAT_CSV);
    int64_t offset = 0;
    do {
      get.set_content_offset(offset);
      rv1::PublishedDisclosure page;
      auto context = NewContext(call);
      grpc::Status status = shard->report->GetPublished(context.get(), get, &page);
      if (!status.ok()) {
        absl::Status error = MapError(*shard, Backend::kReport, status);
        if (offset == 0 && ErrorReason(error) == "NOT_PUBLISHED") return false;
        return error;
      }
      if (page.artifacts_size() != 1) {
        return absl::InternalError(absl::StrCat("报告服务给出 ", page.artifacts_size(),
                                                " 个 CSV 文件 / the report service "
                                                "answered ",
                                                page.artifacts_size(), " CSV files for ", name.ToString()));
      }
      rv1::Artifact& artifact = *page.mutable_artifacts(0);
      absl::StrAppend(&csv, artifact.content());
      const int64_t next = page.next_content_offset();
      if (offset == 0) {
        get.set_version(page.version());
        row.published_version = page.version();
        row.publish_time_unix_ms = page.publish_time_unix_ms();
        row.department = page.department_full_name();
        row.csv_sha256 = artifact.sha256_hex();
        artifact.clear_content();
        page.clear_next_content_offset();
        *exported.mutable_published() = std::move(page);
      }
      offset = next;
    } while (offset > 0);
    if (Sha256Hex(csv) != row.csv_sha256) {
      return absl::DataLossError(absl::StrCat("公开的 CSV 与其 SHA-256 不符 / the published CSV of ", name.ToString(),
                                              " does not match its SHA-256 ", row.csv_sha256));
    }
  } else {
    gv1::RenderReportRequest render;
    render.set_name(name.ToString());
    render.set_format(rv1::FORMAT_CSV);
    absl::StatusOr<rv1::Artifact> artifact = RenderCurrent(render, call);
    if (absl::IsNotFound(artifact.status())) return false;
    if (!artifact.ok()) return artifact.status();
    csv = std::move(*artifact->mutable_content());
    row.csv_sha256 = Sha256Hex(csv);
  }
  absl::StatusOr<std::string_view> rows = open_data::LedgerLineRows(csv);
  if (!rows.ok()) {
    return absl::InternalError(absl::StrCat(name.ToString(), ": ", rows.status().message()));
  }
  row.line_count = open_data::CountCsvRecords(*rows);
  exported.set_lines_csv(std::string(*rows));
  open_data::AppendExportedBudgetRow(exported.mutable_budget_csv(), row);
  return true;
}

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
  // The departments after the cursor, in key order across the shards that
  // hold the region: each is asked for a page after the same key and the
  // pages merged (sharding/merge.h); the cursor stays a department key, so
  // it outlives a change of the shard map.
  std::shared_ptr<const ShardRouting> routing = router_->Current();
  std::vector<const ShardConnection*> shards;
  if (absl::Status covered = CoverList(*region, &shards); !covered.ok()) return covered;
  std::string after_key;
  if (!after_cursor.empty()) {
    absl::StatusOr<std::string> key = DepartmentKeyOf(after_cursor, *region);
    if (!key.ok()) return key.status();
    after_key = *std::move(key);
  }
  std::vector<std::string> names;
  for (const ShardConnection* shard : shards) names.push_back(shard->name);
  MergedCursor positions(names);
  std::vector<ShardPage<lv1::Department>> pages;
  for (size_t i = 0; i < shards.size(); ++i) {
    const ShardConnection* shard = shards[i];
    positions.Advance(i, after_key);
    lv1::ListDepartmentsRequest list;
    list.set_parent(request.parent());
    list.set_page_size(page_size);
    list.set_page_token(after_key);
    lv1::ListDepartmentsResponse listed;
    auto context = NewContext(call);
    grpc::Status status = shard->ledger->ListDepartments(context.get(), list, &listed);
    if (!status.ok()) return MapError(*shard, Backend::kLedger, status);
    ShardPage<lv1::Department> page;
    page.shard = i;
    for (lv1::Department& department : *listed.mutable_departments()) {
      // A copy left behind by a move (ShardMap::Serves) is not exported.
      absl::StatusOr<DepartmentName> name = ParseDepartmentName(department.name());
      if (name.ok() && !routing->Serves(*shard, name->region)) continue;
      page.items.push_back(std::move(department));
    }
    page.next_page_token = listed.next_page_token();
    pages.push_back(std::move(page));
  }
  auto key_of = [](const lv1::Department& department) {
    absl::StatusOr<DepartmentName> name = ParseDepartmentName(department.name());
    return name.ok() ? name->Key() : department.name();
  };
  lv1::ListDepartmentsResponse departments;
  for (lv1::Department& department :
       MergePages(std::move(pages), static_cast<size_t>(page_size), key_of, key_of, &positions)) {
    *departments.add_departments() = std::move(department);
  }
  if (!positions.AllDone()) departments.set_next_page_token("more");
  ExportPage page;
  for (const lv1::Department& department : departments.departments()) {
    absl::StatusOr<DepartmentName> name = ParseDepartmentName(department.name());
    if (!name.ok()) return name.status();
    const std::string cursor = CursorOf(name->Key());
    page.resume_cursor = cursor;
    BudgetName budget_name{*name, request.fiscal_year()};
    gv1::ExportFilingsResponse exported;
    if (request.format() == gv1::EXPORT_FORMAT_CSV) {
      absl::StatusOr<bool> found = BudgetAsOpenData(budget_name, department, request.published(), exported, call);
      if (!found.ok()) return found.status();
      if (!*found) continue;
      exported.set_cursor(cursor);
      page.filings.push_back(std::move(exported));
      continue;
    }
    gv1::Filing& filing = *exported.mutable_filing();
    if (request.published()) {
      absl::StatusOr<bool> found = PublishedFiling(budget_name, exported, call);
      if (!found.ok()) return found.status();
      if (!*found) continue;
      ClearServerFields(filing);
      exported.set_cursor(cursor);
      page.filings.push_back(std::move(exported));
      continue;
    }
    *filing.mutable_department() = department;
    {
      const ShardConnection* shard = nullptr;
      if (absl::Status routed = RouteRegion(name->region, &shard); !routed.ok()) return routed;
      lv1::GetBudgetRequest get;
      get.set_name(budget_name.ToString());
      auto context = NewContext(call);
      grpc::Status status = shard->ledger->GetBudget(context.get(), get, filing.mutable_budget());
      if (status.error_code() == grpc::StatusCode::NOT_FOUND) continue;
      if (!status.ok()) return MapError(*shard, Backend::kLedger, status);
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
