#include "services/gateway/http/rest_routes.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/gateway/http/rest_handlers.h"

namespace yusuan::gateway {
namespace {

// Bodies and answers that are files in several media types rather than one
// protobuf message; kept out of the rows so the table stays readable.
constexpr char kRenderedArtifactAnswer[] = R"json({
  "description": "The artifact; Content-Type is its media type",
  "headers": {
    "ETag": {"schema": {"type": "string"}, "description": "The quoted SHA-256"},
    "X-Content-SHA256": {"schema": {"type": "string"}, "description": "SHA-256 of the bytes, hex"},
    "Content-Disposition": {"schema": {"type": "string"}, "description": "inline (HTML) or attachment, with filename*"}
  },
  "content": {
    "text/html; charset=utf-8": {"schema": {"type": "string"}},
    "text/markdown; charset=utf-8": {"schema": {"type": "string"}},
    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}},
    "application/json": {"schema": {"type": "object"}},
    "text/csv; charset=utf-8": {"schema": {"type": "string"}}
  }
})json";

constexpr char kPublishedAnswer[] = R"json({
  "description": "Without format: the PublishedDisclosure (no bytes). With format: that file's bytes, X-Content-SHA256, X-Published-Version, immutable caching.",
  "headers": {
    "X-Published-Version": {"schema": {"type": "integer"}, "description": "With format: the version served"},
    "X-Content-SHA256": {"schema": {"type": "string"}, "description": "With format: SHA-256 of the bytes"}
  },
  "content": {
    "application/json": {"schema": {"$ref": "#/components/schemas/PublishedDisclosure"}},
    "text/html; charset=utf-8": {"schema": {"type": "string"}},
    "text/markdown; charset=utf-8": {"schema": {"type": "string"}},
    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}},
    "text/csv; charset=utf-8": {"schema": {"type": "string"}}
  }
})json";

constexpr char kRollupFileAnswer[] = R"json({
  "description": "The roll-up as a file; Content-Type is its media type",
  "headers": {
    "X-Content-SHA256": {"schema": {"type": "string"}, "description": "SHA-256 of the bytes, hex"},
    "Content-Disposition": {"schema": {"type": "string"}, "description": "inline (HTML) or attachment, with filename*"}
  },
  "content": {
    "text/csv; charset=utf-8": {"schema": {"type": "string"}},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}},
    "text/html; charset=utf-8": {"schema": {"type": "string"}},
    "text/markdown; charset=utf-8": {"schema": {"type": "string"}}
  }
})json";

constexpr char kExportAnswer[] = R"json({
  "description": "One page of the export; X-Next-Cursor (absent on the last page) is the after of the next. format=ndjson (default): one ExportFilingsResponse per line. format=csv: rows of the region's open-data package, lines.csv (table=lines, default) or budgets.csv (table=budgets), the header only on the first page, so the pages concatenated in order are the file. format=datapackage: the datapackage.json describing both files (services/common/open_data.h)",
  "headers": {
    "X-Next-Cursor": {"schema": {"type": "string"}, "description": "Where the next page starts; absent on the last"}
  },
  "content": {
    "application/x-ndjson": {"schema": {"$ref": "#/components/schemas/ExportFilingsResponse"}},
    "text/csv; charset=utf-8": {"schema": {"type": "string"}},
    "application/json": {"schema": {"type": "object", "description": "datapackage.json (Fiscal Data Package)"}}
  }
})json";

constexpr char kVerifyBody[] = R"json({
  "required": true,
  "description": "The downloaded file, as it is",
  "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
})json";

constexpr char kImportBody[] = R"json({
  "required": true,
  "description": "The file as it is: XLSX, or CSV in UTF-8, in the layout 财政部 publishes (科目编码, 科目名称, 级次 类/款/项, optional 预算); see data/catalogue/README.md",
  "content": {
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
    "text/csv": {"schema": {"type": "string"}}
  }
})json";

constexpr char kImportFilingsBody[] = R"json({
  "required": true,
  "description": "One Filing in protobuf JSON per line (NDJSON), as yusuan synth writes them; any length, Content-Length or chunked, read as it arrives; one line at most 64 MiB",
  "content": {
    "application/x-ndjson": {"schema": {"type": "string"}}
  }
})json";

constexpr char kWorkbookBody[] = R"json({
  "required": true,
  "description": "One filing as the filing workbook (yusuan template --xlsx writes it empty, yusuan export --format xlsx writes a stored one; services/gateway/workbook/README.md), at most 64 MiB",
  "content": {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}}
  }
})json";

// The four workflow steps take the same optional body.
constexpr OpenApiBody kTransitionBody = {
    .schema = "TransitionBudgetRequest",
    .description =
        "Optional, e.g. {\"comment\": \"…\", \"expectedRevision\": \"3\"}; name and action always come "
        "from the path.",
    .required = false};

// The route table: one row per method and path; RestRouteSpec (rest_routes.h)
// explains the columns.
constexpr RestRouteSpec kRoutes[] = {
    {.method = "POST",
     .path = "/v1/filings:apply",
     .rpc = "ApplyFiling",
     .handler = HandleApplyFiling,
     .tag = "filings",
     .summary = "Validate and store a whole filing / 校验并保存整份填报",
     .description = "Stores nothing when any finding is FATAL (400 with every finding). Request id: header "
                    "Idempotency-Key or X-Request-Id, or query request_id.",
     .parameters = "IdempotencyKey XRequestId request_id",
     .body = {.schema = "Filing"},
     .ok = {.description = "Stored (a retry with the same request id returns the first answer)",
            .schema = "ApplyFilingResponse"},
     .answers = "400:RejectedByRules"},
    {.method = "POST",
     .path = "/v1/filings:import",
     .rpc = "ImportFilings",
     .handler = HandleImportFilings,
     .streaming = true,
     .tag = "filings",
     .summary = "Import many filings, one answer each / 批量导入填报",
     .description = "The body is NDJSON: one Filing as JSON per line (blank lines are skipped). Each filing is "
                    "applied as POST /v1/filings:apply applies it, whole or not at all, and on its own; the "
                    "answer has one ImportFilingsResponse per filing, in order, as NDJSON. A filing equal to "
                    "what is stored is UNCHANGED and writes nothing. Filing i is applied with the request id "
                    "{request id}/{i}: a retry with the same request id (and, to resume after filing k, "
                    "first_index=k with the filings from k on) applies nothing twice. Both ways stream: the body "
                    "has no size limit and is read as it arrives, and each answer line is sent (chunked) as "
                    "soon as its filing is done, so read the answer while sending. One line may be at most "
                    "the REST body limit (64 MiB); a longer one is answered OUTCOME_REFUSED naming its line "
                    "number, and the lines after it go on. A body with no filing is 400, answered before "
                    "anything else (the 200 head is sent only once the first non-blank line has arrived). An "
                    "answer cut short (the client left, the body stalled for --http_stream_idle_timeout_ms, "
                    "the gateway stopped) ends without its last chunk: the answers received are final; "
                    "resume from the next index.",
     .parameters = "IdempotencyKey XRequestId request_id first_index",
     .body = {.json = kImportFilingsBody},
     .ok = {.description = "One answer per filing, in the order sent (NDJSON)",
            .schema = "ImportFilingsResponse",
            .media_type = "application/x-ndjson"},
     .answers = "400"},
    {.method = "POST",
     .path = "/v1/filings:importWorkbook",
     .rpc = "ImportFilings",
     .handler = HandleImportWorkbook,
     .operation_id = "ImportWorkbook",
     .tag = "filings",
     .summary = "Import one filing from its Excel workbook / 导入填报工作簿",
     .description = "The workbook is read as the department filled it in: a cell that cannot be read (a text "
                    "where an amount goes, a third decimal of 元, an unknown choice, a missing sheet) is 400 "
                    "naming each sheet and cell (rules WB-*, the cell in BadRequest and in each finding's "
                    "workbookCell). A readable workbook is applied as one filing of POST /v1/filings:import; "
                    "refused by the rules, it is 400 with the findings, each naming the cell its field was read "
                    "from (workbookCell, e.g. 支出!A7). A retry with the same request id stores nothing twice.",
     .parameters = "IdempotencyKey XRequestId request_id",
     .body = {.json = kWorkbookBody},
     .ok = {.description = "Applied or unchanged, with the revisions and any warnings",
            .schema = "ImportFilingsResponse"},
     .answers = "400"},
    {.method = "GET",
     .path = "/v1/regions/{r}/filings:export",
     .rpc = "ExportFilings",
     .handler = HandleExportFilings,
     .tag = "filings",
     .summary = "Export the filings of a region and year / 导出地区的全部填报",
     .description = "Every department under the region (a province, a city or a district) with a budget of the "
                    "year, in department order, as NDJSON: one ExportFilingsResponse (the filing as a filer "
                    "would send it, without server-set fields, and its cursor) per line. One page per answer; "
                    "the X-Next-Cursor header, absent on the last page, is the after of the next. What this "
                    "answers, POST /v1/filings:import takes back unchanged. With published=true only the budgets "
                    "that were published, each as its latest published version was filed, with that version's "
                    "files (SHA-256, no bytes) in `published`: imported elsewhere, they render the same HTML, "
                    "Markdown and CSV byte for byte. format=csv gives the region as open data instead: "
                    "lines.csv (every budget's ledger lines, its own open-data CSV's rows, each naming its "
                    "budget) or, with table=budgets, budgets.csv (one row per budget with the SHA-256 of its own "
                    "CSV: with published=true the published file's); format=datapackage the datapackage.json "
                    "describing them. `yusuan export --format csv -o DIR` writes the three files. "
                    "gRPC ExportFilings streams the whole region in one call (format EXPORT_FORMAT_CSV for the "
                    "open data).",
     .parameters = "export_year export_after export_page_size export_published export_format export_table",
     .ok = {.json = kExportAnswer},
     .answers = "400"},
    {.method = "POST",
     .path = "/v1/filings:validate",
     .rpc = "ValidateFiling",
     .handler = HandleValidateFiling,
     .tag = "filings",
     .summary = "Validate a filing, store nothing / 只校验不保存",
     .body = {.schema = "Filing"},
     .ok = {.description = "Every finding of every rule", .schema = "ValidationReport"},
     .answers = "400"},
    {.method = "GET",
     .path = "/v1/regions/{r}/departments",
     .rpc = "ListDepartments",
     .handler = HandleListDepartments,
     .pages = &kListPages,
     .tag = "departments",
     .summary = "Departments of a region / 地区内的部门",
     .parameters = "department_view",
     .ok = {.description = "One page; nextPageToken is empty on the last", .schema = "ListDepartmentsResponse"},
     .answers = "400"},
    {.method = "POST",
     .path = "/v1/regions/{r}/departments",
     .rpc = "CreateDepartment",
     .handler = HandleCreateDepartment,
     .tag = "departments",
     .summary = "Register a department / 登记部门",
     .parameters = "IdempotencyKey XRequestId request_id",
     .body = {.schema = "Department", .description = "The name must be under the path's region."},
     .ok = {.description = "The stored department", .schema = "Department"},
     .answers = "409 400"},
    {.method = "GET",
     .path = "/v1/regions/{r}/departments/{a}",
     .rpc = "GetDepartment",
     .handler = HandleGetDepartment,
     .tag = "departments",
     .summary = "One department / 部门信息",
     .ok = {.description = "The department", .schema = "Department"},
     .answers = "404 400"},
    {.method = "GET",
     .path = "/v1/regions/{r}/departments/{a}/budgets/{y}",
     .rpc = "GetBudget",
     .handler = HandleGetBudget,
     .tag = "budgets",
     .summary = "A budget (current or a revision) / 预算",
     .parameters = "revision",
     .ok = {.description = "The budget", .schema = "Budget"},
     .answers = "404 400"},
    {.method = "PUT",
     .path = "/v1/regions/{r}/departments/{a}/budgets/{y}",
     .rpc = "PutBudget",
     .handler = HandlePutBudget,
     .tag = "budgets",
     .summary = "Store a budget / 保存预算",
     .parameters = "IdempotencyKey XRequestId request_id IfMatch",
     .body = {.schema = "Budget",
              .description = "Name and fiscal year come from the path (a different one in the body is refused)."},
     .ok = {.description = "The stored revision", .schema = "Budget"},
     .answers = "400:RejectedByRules 409"},
    {.method = "GET",
     .path = "/v1/regions/{r}/departments/{a}/budgets/{y}/tables",
     .rpc = "GetBudgetTables",
     .handler = HandleGetBudgetTables,
     .tag = "budgets",
     .summary = "表1–表8 of the department or of one budget unit / 预算表（部门合并或单位）",
     .parameters = "unit with_sources",
     .ok = {.description = "The eight tables and the figures the narrative uses", .schema = "BudgetTables"},
     .answers = "404 400"},
    {.method = "POST",
     .path = "/v1/regions/{r}/departments/{a}/budgets/{y}:validate",
     .rpc = "ValidateBudget",
     .handler = HandleValidateBudget,
     .tag = "budgets",
     .summary = "Validate the stored budget and goals / 校验已存预算与绩效目标",
     .ok = {.description = "Every finding", .schema = "ValidationReport"},
     .answers = "404 400"},
    {.method = "GET",
     .path = "/v1/regions/{r}/departments/{a}/budgets/{y}/goals",
     .rpc = "GetGoals",
     .handler = HandleGetGoals,
     .tag = "goals",
     .summary = "Performance goals / 绩效目标",
     .parameters = "revision",
     .ok = {.description = "The goal set", .schema = "GoalSet"},
     .answers = "404 400"},
    {.method = "PUT",
     .path = "/v1/regions/{r}/departments/{a}/budgets/{y}/goals",
     .rpc = "PutGoals",
     .handler = HandlePutGoals,
     .tag = "goals",
     .summary = "Store performance goals / 保存绩效目标",
     .parameters = "IdempotencyKey XRequestId request_id IfMatch",
     .body = {.schema = "GoalSet", .description = "Name and fiscal year come from the path."},
     .ok = {.description = "The stored revision", .schema = "GoalSet"},
     .answers = "400:RejectedByRules 409"},
    {.method = "GET",
     .path = "/v1/regions/{r}/departments/{a}/budgets/{y}/report",
     .rpc = "RenderReport",
     .handler = HandleRenderReport,
     .tag = "disclosure",
     .summary = "Render the disclosure / 生成公开文件",
     .parameters = "format template publish_time_unix_ms IfNoneMatch",
     .ok = {.json = kRenderedArtifactAnswer},
     .answers = "304 404 400"},
    {.method = "POST",
     .path = "/v1/regions/{r}/departments/{a}/budgets/{y}:submit",
     .rpc = "TransitionBudget",
     .permission = "TransitionBudget:SUBMIT",
     .handler = HandleTransitionBudget,
     .operation_id = "SubmitBudget",
     .tag = "workflow",
     .summary = "Workflow step SUBMIT / 报送",
     .parameters = "XRequestId request_id",
     .body = kTransitionBody,
     .ok = {.description = "The step taken", .schema = "BudgetVersion"},
     .answers = "404 409 400"},
    {.method = "POST",
     .path = "/v1/regions/{r}/departments/{a}/budgets/{y}:approve",
     .rpc = "TransitionBudget",
     .permission = "TransitionBudget:APPROVE",
     .handler = HandleTransitionBudget,
     .operation_id = "ApproveBudget",
     .tag = "workflow",
     .summary = "Workflow step APPROVE / 审核通过",
     .parameters = "XRequestId request_id",
     .body = kTransitionBody,
     .ok = {.description = "The step taken", .schema = "BudgetVersion"},
     .answers = "404 409 400"},
    {.method = "POST",
     .path = "/v1/regions/{r}/departments/{a}/budgets/{y}:return",
     .rpc = "TransitionBudget",
     .permission = "TransitionBudget:RETURN",
     .handler = HandleTransitionBudget,
     .operation_id = "ReturnBudget",
     .tag = "workflow",
     .summary = "Workflow step RETURN / 退回",
     .parameters = "XRequestId request_id",
     .body = kTransitionBody,
     .ok = {.description = "The step taken", .schema = "BudgetVersion"},
     .answers = "404 409 400"},
    {.method = "POST",
     .path = "/v1/regions/{r}/departments/{a}/budgets/{y}:publish",
     .rpc = "TransitionBudget",
     .permission = "TransitionBudget:PUBLISH",
     .handler = HandleTransitionBudget,
     .operation_id = "PublishBudget",
     .tag = "workflow",
     .summary = "Workflow step PUBLISH / 公开",
     .parameters = "XRequestId request_id",
     .body = kTransitionBody,
     .ok = {.description = "The step taken", .schema = "BudgetVersion"},
     .answers = "404 409 400"},
    {.method = "GET",
     .path = "/v1/regions/{r}/departments/{a}/budgets/{y}/versions",
     .rpc = "ListBudgetVersions",
     .handler = HandleListBudgetVersions,
     .pages = &kListPages,
     .tag = "workflow",
     .summary = "Workflow history / 流程记录",
     .ok = {.description = "One page, oldest first", .schema = "ListBudgetVersionsResponse"},
     .answers = "400"},
    {.method = "GET",
     .path = "/v1/regions/{r}/departments/{a}/budgets/{y}/revisions",
     .rpc = "ListBudgetRevisions",
     .handler = HandleListBudgetRevisions,
     .pages = &kListPages,
     .tag = "budgets",
     .summary = "Stored revisions of a budget / 预算修订",
     .ok = {.description = "One page", .schema = "ListBudgetRevisionsResponse"},
     .answers = "400"},
    {.method = "GET",
     .path = "/v1/regions/{r}/departments/{a}/budgets/{y}/revisions:diff",
     .rpc = "DiffBudgetRevisions",
     .handler = HandleDiffBudgetRevisions,
     .tag = "budgets",
     .summary = "Cells that differ between two revisions / 修订差异",
     .parameters = "from to",
     .ok = {.description = "The changed cells", .schema = "RevisionDiff"},
     .answers = "404 400"},
    {.method = "GET",
     .path = "/v1/regions/{r}/departments/{a}/budgets/{y}/goals/revisions",
     .rpc = "ListGoalsRevisions",
     .handler = HandleListGoalsRevisions,
     .pages = &kListPages,
     .tag = "goals",
     .summary = "Stored revisions of the goals / 绩效目标修订",
     .ok = {.description = "One page", .schema = "ListGoalsRevisionsResponse"},
     .answers = "400"},
    {.method = "GET",
     .path = "/v1/regions/{r}/departments/{a}/budgets/{y}/goals/revisions:diff",
     .rpc = "DiffGoalsRevisions",
     .handler = HandleDiffGoalsRevisions,
     .tag = "goals",
     .summary = "Fields that differ between two goal revisions / 绩效目标修订差异",
     .parameters = "from to",
     .ok = {.description = "The changed fields, by JSON path", .schema = "GoalsDiff"},
     .answers = "404 400"},
    {.method = "GET",
     .path = "/v1/regions/{r}/departments/{a}/budgets/{y}/published",
     .rpc = "GetPublished",
     .handler = HandleGetPublished,
     .tag = "disclosure",
     .summary = "A published disclosure / 已公开文件",
     .parameters = "version format",
     .ok = {.json = kPublishedAnswer},
     .answers = "404 400"},
    {.method = "GET",
     .path = "/v1/published",
     .rpc = "ListPublished",
     .handler = HandleListPublished,
     .pages = &kQueuePages,
     .tag = "disclosure",
     .summary = "Published disclosures by region, year and name / 已公开预算检索",
     .parameters = "region_query year_query q budget",
     .ok = {.description = "One page (no file bytes); nextPageToken is empty on the last",
            .schema = "ListPublishedResponse"},
     .answers = "400"},
    {.method = "GET",
     .path = "/v1/regions/{r}/submissions",
     .rpc = "ListSubmissions",
     .handler = HandleListSubmissions,
     .pages = &kQueuePages,
     .tag = "workflow",
     .summary = "Budgets awaiting review (or in another state) / 待审预算",
     .parameters = "status",
     .ok = {.description = "One page; nextPageToken is empty on the last", .schema = "ListSubmissionsResponse"},
     .answers = "400"},
    {.method = "GET",
     .path = "/v1/regions/{r}/changes",
     .rpc = "WatchChanges",
     .handler = HandleWatchChanges,
     .tag = "workflow",
     .summary = "The change feed of a region / 地区变更流",
     .description = "Every department, budget and goals write, workflow step and publication whose region code "
                    "starts with the path's, in commit order, after the cursor `after` (absent: from the oldest "
                    "change kept). NDJSON: one WatchChangesResponse per change (the change and the cursor after "
                    "it), then a last line with the cursor alone. Answers as soon as changes follow the cursor "
                    "(at most 5000 a response: ask again from the last cursor); when none does, waits up to "
                    "wait_ms for one. Store the cursor of the last line processed and resume from it: nothing is "
                    "skipped or repeated, across restarts of either side. 400 FAILED_PRECONDITION for a cursor "
                    "older than retention keeps (CURSOR_EXPIRED, naming the oldest cursor), from another data "
                    "directory (CURSOR_OTHER_LOG) or ahead of the log (CURSOR_AHEAD). gRPC WatchChanges streams.",
     .parameters = "after wait_ms",
     .ok = {.description = "The changes after the cursor, then the cursor to resume from (NDJSON)",
            .schema = "WatchChangesResponse",
            .media_type = "application/x-ndjson"},
     .answers = "400"},
    {.method = "GET",
     .path = "/v1/regions/{r}/rollups/{y}",
     .rpc = "GetRollup",
     .handler = HandleGetRollup,
     .tag = "rollups",
     .summary = "The totals of a region and year / 地区预算汇总",
     .description = "Every department whose region code starts with the path's (a province, a city or a district) "
                    "with a budget of the year in one of the states asked for: totals of income and spending, "
                    "spending by functional 类/款/项 and economic 类/款 (with the catalogue's names), by fund source "
                    "and kind, 基本支出 and 项目支出, “三公”经费 and 机关运行经费. The ledger keeps the totals as "
                    "filings change; a read does not visit the budgets. …/report gives the same as a file.",
     .parameters = "rollup_status",
     .ok = {.description = "The roll-up", .schema = "Rollup"},
     .answers = "400"},
    {.method = "GET",
     .path = "/v1/regions/{r}/rollups/{y}/report",
     .rpc = "RenderRollup",
     .handler = HandleRenderRollup,
     .tag = "rollups",
     .summary = "The totals of a region and year as a file / 地区预算汇总文件",
     .description = "GET /v1/regions/{region}/rollups/{year} as CSV (one row per amount), XLSX (one sheet per "
                    "breakdown), HTML or Markdown.",
     .parameters = "rollup_status rollup_format",
     .ok = {.json = kRollupFileAnswer},
     .answers = "400"},
    {.method = "POST",
     .path = "/v1/artifacts:verify",
     .rpc = "VerifyArtifact",
     .handler = HandleVerifyArtifact,
     .tag = "disclosure",
     .summary = "Is this file an official disclosure? / 核验文件",
     .body = {.json = kVerifyBody},
     .ok = {.description = "official, and for an official file which budget, version and format it is",
            .schema = "VerifyArtifactResponse"},
     .answers = "400"},
    {.method = "GET",
     .path = "/v1/rules",
     .rpc = "ListRules",
     .handler = HandleListRules,
     .tag = "rules",
     .summary = "Every validation rule / 全部校验规则",
     .ok = {.description = "The ledger's, the goals' and the gateway's rules", .schema = "RuleSet"},
     .answers = "400"},
    {.method = "GET",
     .path = "/v1/catalogues",
     .rpc = "ListCatalogues",
     .handler = HandleListCatalogues,
     .tag = "catalogues",
     .summary = "Every catalogue edition with its version, stored or shipped / 分类科目版本",
     .ok = {.description = "The editions in order: version (0 = the shipped file), origin, counts, who "
                           "imported it",
            .schema = "ListCataloguesResponse"},
     .answers = "400"},
    {.method = "GET",
     .path = "/v1/catalogues/{edition}",
     .rpc = "GetCatalogue",
     .handler = HandleGetCatalogue,
     .tag = "catalogues",
     .summary = "One edition of 《政府收支分类科目》 / 分类科目",
     .parameters = "catalogue_version",
     .ok = {.description = "Every code of the edition (functional, then economic, then 政府预算经济分类) with names "
                           "and budgets, and which version it is",
            .schema = "Catalogue"},
     .answers = "400 404"},
    {.method = "GET",
     .path = "/v1/catalogues/{edition}/codes/{code}",
     .rpc = "GetCatalogueCode",
     .handler = HandleGetCatalogueCode,
     .tag = "catalogues",
     .summary = "One code with its parents and children / 科目",
     .ok = {.description = "The code's name, level (类/款/项), budgets, parent chain and children; 404 names the "
                           "edition and the code",
            .schema = "CatalogueCodeDetail"},
     .answers = "400 404"},
    {.method = "GET",
     .path = "/v1/catalogues/{edition}:diff",
     .rpc = "DiffCatalogues",
     .handler = HandleDiffCatalogues,
     .tag = "catalogues",
     .summary = "What changed from one edition to another / 科目变动",
     .parameters = "from_edition",
     .ok = {.description = "Every code added, retired (with successors), renamed or moved to another budget "
                           "from ?from to {edition}",
            .schema = "CatalogueDiff"},
     .answers = "400 404"},
    {.method = "POST",
     .path = "/v1/catalogues/{edition}:import",
     .rpc = "ImportCatalogue",
     .handler = HandleImportCatalogue,
     .tag = "catalogues",
     .summary = "Import an edition from CSV or XLSX (admin) / 导入分类科目",
     .description = "Refused with 400: INVALID_ARGUMENT naming the file, row and column of a bad row (reason "
                    "CATALOGUE_FILE_INVALID); FAILED_PRECONDITION (reason CATALOGUE_IN_USE) naming a budget "
                    "of that year that is submitted, approved or published — such an edition no longer "
                    "changes.",
     .parameters = "file_name IdempotencyKey request_id",
     .body = {.json = kImportBody},
     .ok = {.description = "The stored version (each import is the next version; the previous are kept)",
            .schema = "CatalogueEdition"},
     .answers = "400 404"},
    {.method = "GET",
     .path = "/healthz",
     .access = RestAccess::kOperational,
     .handler = HandleHealth,
     .operation_id = "Health",
     .tag = "operations",
     .summary = "Liveness of the gateway / 网关存活检查",
     .ok = {.description = "Serving", .schema = "HealthStatus"}},
    {.method = "GET",
     .path = "/metrics",
     .access = RestAccess::kOperational,
     .handler = HandleMetrics,
     .operation_id = "GetMetrics",
     .tag = "operations",
     .summary = "Request metrics, Prometheus text format 0.0.4 / 请求指标",
     .ok = {.description = "Counters of requests and errors per face, method and code; latency histograms; "
                           "requests in flight.",
            .schema = R"({"type": "string"})",
            .media_type = "text/plain; version=0.0.4"}},
    {.method = "GET",
     .path = "/v1/openapi.json",
     .access = RestAccess::kOperational,
     .handler = HandleOpenApi,
     .operation_id = "GetOpenApi",
     .tag = "operations",
     .summary = "This document / 本接口说明",
     .ok = {.description = "The OpenAPI 3.0.3 document the gateway was built with.",
            .schema = R"({"type": "object"})"}},
};

// A table path cut into what a request path is compared with: the segments
// and the custom verb of the last one.
struct Pattern {
  std::vector<std::string> segments;
  std::string verb;  // "" for none
};

// Splits "/v1/a/b:verb" into {"v1", "a", "b"} and "verb"; `has_verb` tells
// "b:" (an empty verb, which no route has) from "b".
std::vector<std::string> SplitPath(absl::string_view path, std::string* verb, bool* has_verb) {
  if (absl::StartsWith(path, "/")) path.remove_prefix(1);
  std::vector<std::string> segments = absl::StrSplit(path, '/');
  // Only the last segment may carry a custom verb (AIP-136).
  std::string& last = segments.back();
  const size_t colon = last.find(':');
  *has_verb = colon != std::string::npos;
  verb->clear();
  if (*has_verb) {
    *verb = last.substr(colon + 1);
    last.resize(colon);
  }
  return segments;
}

bool IsPlaceholder(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

const std::vector<Pattern>& Patterns() {
  // Built once, in the order of kRoutes.
  static const auto* patterns = [] {
    auto* out = new std::vector<Pattern>();
    for (const RestRouteSpec& spec : kRoutes) {
      Pattern pattern;
      bool has_verb = false;
      pattern.segments = SplitPath(spec.path, &pattern.verb, &has_verb);
      out->push_back(std::move(pattern));
    }
    return out;
  }();
  return *patterns;
}

// Whether the request's segments fit `pattern`; the placeholders' values go
// to `values`. A catalogue code is never empty ("…/codes/" names none);
// every other placeholder takes any text and is checked when it is parsed,
// so a malformed one is a 400 naming it rather than a 404.
bool Fits(const Pattern& pattern, const std::vector<std::string>& segments, const std::string& verb, bool has_verb,
          std::map<std::string, std::string>* values) {
  if (segments.size() != pattern.segments.size()) return false;
  if (has_verb != !pattern.verb.empty() || verb != pattern.verb) return false;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < segments.size(); ++i) {
    const std::string& want = pattern.segments[i];
    if (IsPlaceholder(want)) {
      if (want == "{code}" && segments[i].empty()) return false;
      found[want] = segments[i];
    } else if (segments[i] != want) {
      return false;
    }
  }
  *values = std::move(found);
  return true;
}

// The route's parsed names from the placeholders' values: the deepest
// resource name the path spells is parsed as a whole, so its refusal is the
// one the gRPC face gives for the same name.
absl::Status Bind(const std::map<std::string, std::string>& values, RestRoute* route) {
  auto value = [&](const char* placeholder) -> const std::string* {
    const auto found = values.find(placeholder);
    return found == values.end() ? nullptr : &found->second;
  };
  const std::string* region = value("{r}");
  const std::string* agency = value("{a}");
  const std::string* year = value("{y}");
  if (region != nullptr && agency != nullptr && year != nullptr) {
    absl::StatusOr<BudgetName> name =
        ParseBudgetName(absl::StrCat("regions/", *region, "/departments/", *agency, "/budgets/", *year));
    if (!name.ok()) return name.status();
    route->budget = *name;
    route->region = name->department.region;
  } else if (region != nullptr && agency != nullptr) {
    absl::StatusOr<DepartmentName> name =
        ParseDepartmentName(absl::StrCat("regions/", *region, "/departments/", *agency));
    if (!name.ok()) return name.status();
    route->budget.department = *name;
    route->region = name->region;
  } else if (region != nullptr && year != nullptr) {
    absl::StatusOr<RollupName> name = ParseRollupName(absl::StrCat("regions/", *region, "/rollups/", *year));
    if (!name.ok()) return name.status();
    route->region = name->region;
    route->budget.year = name->year;
  } else if (region != nullptr) {
    absl::StatusOr<std::string> name = ParseRegionName(absl::StrCat("regions/", *region));
    if (!name.ok()) return name.status();
    route->region = *name;
  }
  if (const std::string* edition = value("{edition}"); edition != nullptr) {
    const bool year_digits = edition->size() == 4 &&
                             std::all_of(edition->begin(), edition->end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!year_digits) {
      return absl::InvalidArgumentError(absl::StrCat(
          "分类科目版本“", *edition, "”应为四位年度，如 /v1/catalogues/2021 / the catalogue edition \"", *edition,
          "\" must be a year of four digits, e.g. /v1/catalogues/2021 (GET /v1/catalogues lists them)"));
    }
    route->edition = std::stoi(*edition);
  }
  if (const std::string* code = value("{code}"); code != nullptr) route->code = *code;
  return absl::OkStatus();
}

// The order Allow lists methods in.
int MethodRank(std::string_view method) {
  constexpr std::string_view kOrder[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
  for (size_t i = 0; i < std::size(kOrder); ++i) {
    if (kOrder[i] == method) return static_cast<int>(i);
  }
  return static_cast<int>(std::size(kOrder));
}

}  // namespace

absl::Span<const RestRouteSpec> RestRoutes() { return kRoutes; }

std::string RestRoutePermission(const RestRouteSpec& spec) {
  if (spec.access == RestAccess::kOperational) return "";
  if (spec.permission != nullptr) return spec.permission;
  return spec.rpc == nullptr ? "" : spec.rpc;
}

std::string RestRouteOperationId(const RestRouteSpec& spec) {
  if (spec.operation_id != nullptr) return spec.operation_id;
  return spec.rpc == nullptr ? "" : spec.rpc;
}

std::string OpenApiPath(const std::string& table_path) {
  std::string out = table_path;
  for (const auto& [from, to] :
       {std::pair<std::string_view, std::string_view>{"{r}", "{region}"}, {"{a}", "{agency}"}, {"{y}", "{year}"}}) {
    for (size_t at = out.find(from); at != std::string::npos; at = out.find(from, at + to.size())) {
      out.replace(at, from.size(), to);
    }
  }
  return out;
}

absl::StatusOr<RestRoute> MatchRestRoute(const std::string& method, const std::string& path, std::string* allowed) {
  // HEAD is GET without the body (httplib drops it).
  const std::string wanted = method == "HEAD" ? "GET" : method;
  std::string verb;
  bool has_verb = false;
  const std::vector<std::string> segments = SplitPath(path, &verb, &has_verb);
  const std::vector<Pattern>& patterns = Patterns();
  const RestRouteSpec* found = nullptr;
  std::map<std::string, std::string> values;
  std::vector<std::string> methods;
  for (size_t i = 0; absl::StartsWith(path, "/") && i < patterns.size(); ++i) {
    std::map<std::string, std::string> fitted;
    if (!Fits(patterns[i], segments, verb, has_verb, &fitted)) continue;
    // Rows that share a path share its placeholders; the method picks the row.
    if (methods.empty() || (found == nullptr && wanted == kRoutes[i].method)) values = std::move(fitted);
    if (found == nullptr && wanted == kRoutes[i].method) found = &kRoutes[i];
    methods.push_back(kRoutes[i].method);
  }
  if (methods.empty()) {
    return absl::NotFoundError(absl::StrCat("没有这个接口：", method, " ", path, " / no such route: ", method, " ",
                                            path, " (routes: services/gateway/README.md)"));
  }
  // A malformed segment is refused before the method is looked at: the
  // client learns what is wrong with the path whatever it sent.
  RestRoute route;
  if (absl::Status bound = Bind(values, &route); !bound.ok()) return bound;
  if (found == nullptr) {
    std::sort(methods.begin(), methods.end(),
              [](const std::string& a, const std::string& b) { return MethodRank(a) < MethodRank(b); });
    *allowed = absl::StrJoin(methods, ", ");
    return absl::UnimplementedError(absl::StrCat(path, " 不支持 ", method, "，只支持 ", *allowed, " / ", path,
                                                 " does not accept ", method, "; it accepts ", *allowed));
  }
  route.spec = found;
  route.verb = verb;
  return route;
}

bool IsStreamingRestRoute(const std::string& method, const std::string& path) {
  std::string allowed;
  absl::StatusOr<RestRoute> route = MatchRestRoute(method, path, &allowed);
  return route.ok() && route->spec->streaming;
}

}  // namespace yusuan::gateway
