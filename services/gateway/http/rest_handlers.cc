#include "services/gateway/http/rest_handlers.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"
#include "services/client/client.h"
#include "services/common/errors.h"
#include "services/common/open_data.h"
#include "services/common/random_id.h"
#include "services/common/sha256.h"
#include "services/common/utf8.h"
#include "services/gateway/http/http_stream.h"
#include "services/gateway/http/openapi.h"
#include "services/gateway/http/request_parsing.h"
#include "services/gateway/observability/telemetry.h"
#include "services/gateway/rule_catalogue.h"
#include "services/gateway/workbook/filing_workbook.h"

namespace yusuan::gateway {
namespace {

namespace gv1 = yusuan::gateway::v1;
namespace lv1 = yusuan::ledger::v1;
namespace ov1 = yusuan::goals::v1;
namespace rv1 = yusuan::report::v1;
using yusuan::common::v1::ValidationReport;

constexpr char kJson[] = "application/json; charset=utf-8";

void WriteMessage(httplib::Response& response, const google::protobuf::Message& message, bool print_defaults = false) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = print_defaults;
  std::string json;
  auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    WriteRestError(response, absl::InternalError(absl::StrCat("无法输出 JSON / cannot write the response as JSON: ",
                                                              std::string(status.message()))));
    return;
  }
  response.status = 200;
  response.set_content(json, kJson);
}

std::string Extension(const std::string& file_name, rv1::Format format) {
  const size_t dot = file_name.rfind('.');
  if (dot != std::string::npos && dot + 1 < file_name.size()) {
    const std::string ext = file_name.substr(dot + 1);
    bool ascii = true;
    for (const char c : ext) ascii = ascii && absl::ascii_isalnum(static_cast<unsigned char>(c));
    if (ascii) return ext;
  }
  switch (format) {
    case rv1::FORMAT_MARKDOWN:
      return "md";
    case rv1::FORMAT_PDF:
      return "pdf";
    case rv1::FORMAT_XLSX:
      return "xlsx";
    case rv1::FORMAT_JSON:
      return "json";
    case rv1::FORMAT_CSV:
      return "csv";
    case rv1::FORMAT_DATA_PACKAGE:
      return "json";
    default:
      return "html";
  }
}

// The answer of an orchestrator call: its message as JSON, or its error.
template <typename Result>
void Reply(RestExchange& ex, const Result& result, bool print_defaults = false) {
  if (!result.ok()) {
    WriteRestError(ex.response, result.status());
  } else {
    WriteMessage(ex.response, *result, print_defaults);
  }
}

// page_size (by the row's limits) and page_token of a list request.
template <typename List>
absl::Status SetPage(const RestExchange& ex, List* list) {
  absl::StatusOr<int32_t> size = PageSizeParam(ex.request, ex.route.spec->pages);
  if (!size.ok()) return size.status();
  list->set_page_size(*size);
  list->set_page_token(ex.request.get_param_value("page_token"));
  return absl::OkStatus();
}

}  // namespace

void WriteRestError(httplib::Response& response, const absl::Status& status, int http_status) {
  std::string body = ToAip193Json(status);
  if (http_status != 0) {
    // A status the canonical codes have no word for (405): keep the body's
    // code equal to the HTTP status, as AIP-193 asks.
    auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (json.is_object() && json.contains("error")) {
      json["error"]["code"] = http_status;
      body = json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
  }
  response.status = http_status != 0 ? http_status : HttpStatusFor(status.code());
  response.set_content(body, kJson);
}

std::string ContentDisposition(const std::string& disposition, const std::string& utf8_name,
                               const std::string& ascii_fallback) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (const char ch : utf8_name) {
    const auto c = static_cast<unsigned char>(ch);
    // RFC 5987 attr-char.
    const bool plain = absl::ascii_isalnum(c) || std::string_view("!#$&+-.^_`|~").find(ch) != std::string_view::npos;
    if (plain) {
      encoded.push_back(ch);
    } else {
      encoded.push_back('%');
      encoded.push_back(kHex[c >> 4]);
      encoded.push_back(kHex[c & 0xF]);
    }
  }
  std::string fallback;
  for (const char ch : ascii_fallback) {
    const auto c = static_cast<unsigned char>(ch);
    fallback.push_back(c >= 0x20 && c < 0x7F && ch != '"' && ch != '\\' ? ch : '_');
  }
  std::string out = absl::StrCat(disposition, "; filename=\"", fallback, "\"");
  if (!utf8_name.empty()) absl::StrAppend(&out, "; filename*=UTF-8''", encoded);
  return out;
}

void HandleApplyFiling(RestExchange& ex) {
  gv1::ApplyFilingRequest apply;
  absl::Status parsed = ParseJsonBody(ex.body, "", apply.mutable_filing());
  if (!parsed.ok()) return WriteRestError(ex.response, parsed);
  apply.set_request_id(RequestId(ex.request));
  return Reply(ex, ex.orchestrator->ApplyFiling(apply, ex.call));
}

void HandleImportFilings(RestExchange& ex) {
  if (absl::Status may = ex.orchestrator->MayCall(ex.call, "ImportFilings"); !may.ok()) {
    return WriteRestError(ex.response, may);
  }
  absl::StatusOr<int64_t> first_index = IntParam(ex.request, "first_index");
  if (!first_index.ok()) return WriteRestError(ex.response, first_index.status());
  std::string request_id = RequestId(ex.request);
  if (absl::Status start = Orchestrator::CheckImportStart(request_id, *first_index); !start.ok()) {
    return WriteRestError(ex.response, start);
  }
  if (request_id.empty()) request_id = RandomHexId();
  // The body streams (the row is `streaming`): each filing is answered as
  // soon as it is done, while the client still sends the next. Nothing is
  // written until the first line that is not blank has arrived, so a body
  // with no filing (or a start that breaks off) is still a whole 400.
  HttpLineReader lines(ex.stream, ex.stream->max_line_bytes());
  HttpLine line = lines.Next();
  while (line.kind == HttpLine::Kind::kLine && absl::StripAsciiWhitespace(line.text).empty()) line = lines.Next();
  if (line.kind == HttpLine::Kind::kEnd) {
    return WriteRestError(ex.response,
                          InvalidField("body", "请求体中没有申报：每行一份申报的 JSON（NDJSON）",
                                       "the body holds no filing: send one Filing as JSON per line (NDJSON)"));
  }
  if (line.kind == HttpLine::Kind::kError) return WriteRestError(ex.response, line.error);
  ex.response.status = 200;
  ex.response.set_header("Content-Type", "application/x-ndjson; charset=utf-8");
  if (!ex.stream->WriteHead(ex.response).ok()) return;
  google::protobuf::util::JsonPrintOptions options;
  int64_t index = *first_index;
  for (; line.kind == HttpLine::Kind::kLine || line.kind == HttpLine::Kind::kTooLong; line = lines.Next()) {
    const absl::string_view text = absl::StripAsciiWhitespace(line.text);
    if (line.kind == HttpLine::Kind::kLine && text.empty()) continue;
    gv1::ImportFilingsResponse answer;
    gv1::Filing filing;
    const absl::Status parsed =
        line.kind == HttpLine::Kind::kTooLong ? line.error : ParseJsonBody(std::string(text), "", &filing);
    if (parsed.ok()) {
      answer = ex.orchestrator->ImportFiling(filing, index, request_id, ex.call);
    } else {
      answer.set_index(index);
      answer.set_request_id(request_id);
      answer.set_outcome(gv1::ImportFilingsResponse::OUTCOME_REFUSED);
      *answer.mutable_error() =
          ToRpcStatus(line.kind == HttpLine::Kind::kTooLong
                          ? parsed
                          : WithMessagePrefix(parsed, absl::StrCat("第 ", line.number, " 行不是一份申报 / line ",
                                                                   line.number, " is not a filing: ")));
    }
    ++index;
    std::string json;
    if (!google::protobuf::util::MessageToJsonString(answer, &json, options).ok()) {
      json = absl::StrCat(R"({"index":")", answer.index(), R"(","outcome":")",
                          gv1::ImportFilingsResponse::Outcome_Name(answer.outcome()), "\"}");
    }
    // The filing is done whole (or not at all) whatever happens next; a
    // client that is gone, or a gateway that stops, ends the import here,
    // at a filing boundary: its answers so far tell it where to resume.
    if (!ex.stream->Write(absl::StrCat(json, "\n")).ok() || ex.stream->stopping()) return;
  }
}

void HandleImportWorkbook(RestExchange& ex) {
  if (absl::Status may = ex.orchestrator->MayCall(ex.call, "ImportFilings"); !may.ok()) {
    return WriteRestError(ex.response, may);
  }
  std::string request_id = RequestId(ex.request);
  if (absl::Status start = Orchestrator::CheckImportStart(request_id, 0); !start.ok()) {
    return WriteRestError(ex.response, start);
  }
  if (request_id.empty()) request_id = RandomHexId();
  const workbook::WorkbookReadResult read = workbook::ReadFilingWorkbook(ex.body);
  if (!read.problems.empty()) return WriteRestError(ex.response, workbook::ProblemsToStatus(read.problems));
  gv1::ImportFilingsResponse answer = ex.orchestrator->ImportFiling(*read.filing, 0, request_id, ex.call);
  workbook::AnnotateWithCells(read.provenance, *answer.mutable_validation());
  if (answer.outcome() == gv1::ImportFilingsResponse::OUTCOME_REFUSED) {
    // The refusal with the rules' findings (an import answer carries them
    // beside its error), each naming its cell.
    google::rpc::Status error = answer.error();
    const bool has_report = std::any_of(error.details().begin(), error.details().end(), [](const auto& detail) {
      return detail.template Is<yusuan::common::v1::ValidationReport>();
    });
    if (!has_report && answer.validation().findings_size() > 0) error.add_details()->PackFrom(answer.validation());
    workbook::AnnotateWithCells(read.provenance, error);
    return WriteRestError(ex.response, FromRpcStatus(error));
  }
  WriteMessage(ex.response, answer);
}

// A page of the export: at least one filing (unless the region has none),
// at most page_size, as NDJSON; X-Next-Cursor says where the next page
// starts and is absent on the last.
void HandleExportFilings(RestExchange& ex) {
  gv1::ExportFilingsRequest request;
  request.set_parent(absl::StrCat("regions/", ex.route.region));
  absl::StatusOr<int64_t> year = IntParam(ex.request, "year");
  if (!year.ok()) return WriteRestError(ex.response, year.status());
  request.set_fiscal_year(static_cast<int32_t>(std::min<int64_t>(*year, 1'000'000)));
  request.set_after_cursor(ex.request.get_param_value("after"));
  const std::string published = absl::AsciiStrToLower(ex.request.get_param_value("published"));
  if (published != "" && published != "true" && published != "false") {
    return WriteRestError(ex.response,
                          BadQueryParameter("published", std::nullopt, "应为 true 或 false", "must be true or false"));
  }
  request.set_published(published == "true");
  // ndjson: the filings; csv: one page of the region's open-data package
  // (table=lines, the default, or budgets); datapackage: its descriptor.
  const std::string format = absl::AsciiStrToLower(ex.request.get_param_value("format"));
  if (format != "" && format != "ndjson" && format != "csv" && format != "datapackage") {
    return WriteRestError(ex.response, BadQueryParameter("format", format, "应为 ndjson、csv 或 datapackage",
                                                         "must be ndjson, csv or datapackage"));
  }
  const std::string table = absl::AsciiStrToLower(ex.request.get_param_value("table"));
  if (!table.empty() && (format != "csv" || (table != "lines" && table != "budgets"))) {
    return WriteRestError(ex.response, BadQueryParameter("table", table, "仅与 format=csv 同用，应为 lines 或 budgets",
                                                         "goes with format=csv and is lines or budgets"));
  }
  const bool csv = format == "csv";
  const bool budgets_table = table == "budgets";
  if (csv) request.set_format(gv1::EXPORT_FORMAT_CSV);
  absl::StatusOr<int64_t> page_size = IntParam(ex.request, "page_size");
  if (!page_size.ok()) return WriteRestError(ex.response, page_size.status());
  const size_t wanted = static_cast<size_t>(*page_size == 0 ? 100 : std::min<int64_t>(*page_size, 500));
  if (absl::Status checked = ex.orchestrator->CheckExport(request, ex.call); !checked.ok()) {
    return WriteRestError(ex.response, checked);
  }
  if (format == "datapackage") {
    ex.response.status = 200;
    open_data::RegionPackage package;
    package.region_code = ex.route.region;
    package.fiscal_year = request.fiscal_year();
    package.published = request.published();
    ex.response.set_content(open_data::RenderRegionDataPackage(package), "application/json; charset=utf-8");
    return;
  }
  // The first page of a CSV table starts with its header; the pages after
  // it append to the same file.
  std::string answers;
  if (csv && request.after_cursor().empty()) {
    answers = budgets_table ? open_data::ExportedBudgetCsvHeader() : open_data::LedgerLineCsvHeader();
  }
  size_t count = 0;
  std::string cursor = request.after_cursor();
  google::protobuf::util::JsonPrintOptions options;
  do {
    absl::StatusOr<Orchestrator::ExportPage> page = ex.orchestrator->ExportFilingsPage(
        request, cursor, static_cast<int>(std::min<size_t>(wanted - count, 100)), ex.call);
    if (!page.ok()) return WriteRestError(ex.response, page.status());
    for (const gv1::ExportFilingsResponse& exported : page->filings) {
      ++count;
      if (csv) {
        absl::StrAppend(&answers, budgets_table ? exported.budget_csv() : exported.lines_csv());
        continue;
      }
      std::string json;
      if (!google::protobuf::util::MessageToJsonString(exported, &json, options).ok()) {
        return WriteRestError(ex.response, absl::InternalError(absl::StrCat("申报无法写成 JSON / a filing could not be "
                                                                            "written as JSON: ",
                                                                            exported.filing().budget().name())));
      }
      absl::StrAppend(&answers, json, "\n");
    }
    cursor = page->resume_cursor;
  } while (!cursor.empty() && count < wanted);
  if (!cursor.empty()) ex.response.set_header("X-Next-Cursor", cursor);
  ex.response.status = 200;
  ex.response.set_content(answers, csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8");
}

void HandleValidateFiling(RestExchange& ex) {
  gv1::ValidateFilingRequest validate;
  absl::Status parsed = ParseJsonBody(ex.body, "", validate.mutable_filing());
  if (!parsed.ok()) return WriteRestError(ex.response, parsed);
  return Reply(ex, ex.orchestrator->ValidateFiling(validate, ex.call), /*print_defaults=*/true);
}

void HandleListDepartments(RestExchange& ex) {
  lv1::ListDepartmentsRequest list;
  list.set_parent(absl::StrCat("regions/", ex.route.region));
  if (absl::Status page = SetPage(ex, &list); !page.ok()) return WriteRestError(ex.response, page);
  if (ex.request.has_param("view")) {
    const std::string view = absl::AsciiStrToLower(ex.request.get_param_value("view"));
    if (view != "basic" && view != "full") {
      return WriteRestError(ex.response,
                            BadQueryParameter("view", view, "应为 basic 或 full", "must be basic or full"));
    }
    list.set_view(view == "basic" ? lv1::DEPARTMENT_VIEW_BASIC : lv1::DEPARTMENT_VIEW_FULL);
  }
  return Reply(ex, ex.orchestrator->ListDepartments(list, ex.call));
}

void HandleCreateDepartment(RestExchange& ex) {
  lv1::CreateDepartmentRequest create;
  absl::Status parsed = ParseJsonBody(ex.body, "department.", create.mutable_department());
  if (!parsed.ok()) return WriteRestError(ex.response, parsed);
  // The path names the region; a department elsewhere is refused by the
  // name check, not silently moved.
  const std::string& name = create.department().name();
  const std::string prefix = absl::StrCat("regions/", ex.route.region, "/departments/");
  if (!name.empty() && !absl::StartsWith(name, prefix)) {
    return WriteRestError(ex.response, absl::InvalidArgumentError(absl::StrCat(
                                           "department.name 为 ", name, "，不在路径的地区 ", prefix, " 之下 / ",
                                           "department.name is ", name, ", not under the path's ", prefix)));
  }
  create.set_request_id(RequestId(ex.request));
  return Reply(ex, ex.orchestrator->CreateDepartment(create, ex.call));
}

void HandleGetDepartment(RestExchange& ex) {
  lv1::GetDepartmentRequest get;
  get.set_name(ex.route.budget.department.ToString());
  return Reply(ex, ex.orchestrator->GetDepartment(get, ex.call));
}

void HandleGetBudget(RestExchange& ex) {
  lv1::GetBudgetRequest get;
  get.set_name(ex.route.budget.ToString());
  absl::StatusOr<int64_t> revision = IntParam(ex.request, "revision");
  if (!revision.ok()) return WriteRestError(ex.response, revision.status());
  get.set_revision(*revision);
  absl::StatusOr<std::shared_ptr<const std::string>> json = ex.orchestrator->GetBudgetJson(get, ex.call);
  if (!json.ok()) return WriteRestError(ex.response, json.status());
  ex.response.status = 200;
  ex.response.set_content(**json, kJson);
}

void HandleGetBudgetTables(RestExchange& ex) {
  gv1::GetBudgetTablesRequest get;
  get.set_name(ex.route.budget.ToString());
  if (ex.request.has_param("unit")) get.set_unit_code(ex.request.get_param_value("unit"));
  if (ex.request.has_param("with_sources")) {
    const std::string text = ex.request.get_param_value("with_sources");
    if (text != "true" && text != "false") {
      return WriteRestError(ex.response,
                            absl::InvalidArgumentError(absl::StrCat("查询参数 with_sources=\"", text,
                                                                    "\" 应为 true 或 false / query "
                                                                    "parameter with_sources must be true or false")));
    }
    get.set_with_sources(text == "true");
  }
  return Reply(ex, ex.orchestrator->GetBudgetTables(get, ex.call));
}

void HandlePutBudget(RestExchange& ex) {
  lv1::PutBudgetRequest put;
  absl::Status parsed = ParseJsonBody(ex.body, "budget.", put.mutable_budget());
  if (!parsed.ok()) return WriteRestError(ex.response, parsed);
  const std::string name = ex.route.budget.ToString();
  lv1::Budget* budget = put.mutable_budget();
  ValidationReport report;
  auto mismatch = [&](const std::string& field, const std::string& expected, const std::string& actual) {
    auto* f = report.add_findings();
    *f = NewFinding(GatewayRules(), "V-NAME");
    f->set_field(field);
    f->set_message_zh(absl::StrCat(field, " 为 ", actual, "，与路径应得的 ", expected, " 不一致"));
    f->set_message_en(absl::StrCat(field, " is ", actual, " but the path gives ", expected));
    f->set_expected(expected);
    f->set_actual(actual);
    f->set_hint("删去该字段或改正路径 / omit the field or correct the path");
  };
  if (budget->name().empty()) budget->set_name(name);
  if (budget->fiscal_year() == 0) budget->set_fiscal_year(ex.route.budget.year);
  if (budget->name() != name) mismatch("budget.name", name, budget->name());
  if (budget->fiscal_year() != ex.route.budget.year) {
    mismatch("budget.fiscalYear", absl::StrCat(ex.route.budget.year), absl::StrCat(budget->fiscal_year()));
  }
  if (report.findings_size() > 0) {
    Tally(report);
    return WriteRestError(ex.response, RejectedByRules(report, "预算", "the budget"));
  }
  if (const std::string match = IfMatch(ex.request); !match.empty()) budget->set_etag(match);
  put.set_request_id(RequestId(ex.request));
  return Reply(ex, ex.orchestrator->PutBudget(put, ex.call));
}

void HandleValidateBudget(RestExchange& ex) {
  gv1::ValidateStoredBudgetRequest validate;
  validate.set_name(ex.route.budget.ToString());
  return Reply(ex, ex.orchestrator->ValidateBudget(validate, ex.call), /*print_defaults=*/true);
}

void HandleGetGoals(RestExchange& ex) {
  ov1::GetGoalsRequest get;
  get.set_name(ex.route.budget.GoalsName());
  absl::StatusOr<int64_t> revision = IntParam(ex.request, "revision");
  if (!revision.ok()) return WriteRestError(ex.response, revision.status());
  get.set_revision(*revision);
  return Reply(ex, ex.orchestrator->GetGoals(get, ex.call));
}

void HandlePutGoals(RestExchange& ex) {
  ov1::PutGoalsRequest put;
  absl::Status parsed = ParseJsonBody(ex.body, "goals.", put.mutable_goals());
  if (!parsed.ok()) return WriteRestError(ex.response, parsed);
  const std::string name = ex.route.budget.GoalsName();
  if (put.goals().name().empty()) put.mutable_goals()->set_name(name);
  if (put.goals().name() != name) {
    return WriteRestError(
        ex.response, absl::InvalidArgumentError(absl::StrCat("goals.name 为 ", put.goals().name(), "，与路径应得的 ",
                                                             name, " 不一致 / goals.name is ", put.goals().name(),
                                                             " but the path gives ", name)));
  }
  if (put.goals().fiscal_year() == 0) put.mutable_goals()->set_fiscal_year(ex.route.budget.year);
  if (const std::string match = IfMatch(ex.request); !match.empty()) put.mutable_goals()->set_etag(match);
  put.set_request_id(RequestId(ex.request));
  return Reply(ex, ex.orchestrator->PutGoals(put, ex.call));
}

void HandleRenderReport(RestExchange& ex) {
  absl::StatusOr<rv1::Format> format = client::ParseReportFormat(ex.request.get_param_value("format"));
  if (!format.ok()) return WriteRestError(ex.response, format.status());
  gv1::RenderReportRequest render;
  render.set_name(ex.route.budget.ToString());
  render.set_format(*format);
  render.set_template_set(ex.request.get_param_value("template"));
  absl::StatusOr<int64_t> publish_time = IntParam(ex.request, "publish_time_unix_ms");
  if (!publish_time.ok()) return WriteRestError(ex.response, publish_time.status());
  render.set_publish_time_unix_ms(*publish_time);
  absl::StatusOr<rv1::Artifact> artifact = ex.orchestrator->RenderReport(render, ex.call);
  if (!artifact.ok()) return WriteRestError(ex.response, artifact.status());
  const std::string sha256 = artifact->sha256_hex().empty() ? Sha256Hex(artifact->content()) : artifact->sha256_hex();
  const std::string etag = absl::StrCat("\"", sha256, "\"");
  ex.response.set_header("ETag", etag);
  ex.response.set_header("X-Content-SHA256", sha256);
  ex.response.set_header("Cache-Control", "no-cache");
  if (ex.request.get_header_value("If-None-Match") == etag) {
    ex.response.status = 304;
    return;
  }
  const std::string fallback = absl::StrCat(ex.route.budget.department.region, "-", ex.route.budget.department.agency,
                                            "-", ex.route.budget.year, ".", Extension(artifact->file_name(), *format));
  ex.response.set_header(
      "Content-Disposition",
      ContentDisposition(*format == rv1::FORMAT_HTML ? "inline" : "attachment",
                         artifact->file_name().empty() ? fallback : artifact->file_name(), fallback));
  ex.response.status = 200;
  ex.response.set_content(artifact->content(),
                          artifact->media_type().empty() ? "application/octet-stream" : artifact->media_type());
  return;
}

void HandleTransitionBudget(RestExchange& ex) {
  absl::StatusOr<lv1::TransitionBudgetRequest> transition =
      TransitionRequestFromRest(ex.route, ex.body, RequestId(ex.request));
  if (!transition.ok()) return WriteRestError(ex.response, transition.status());
  return Reply(ex, ex.orchestrator->TransitionBudget(*transition, ex.call));
}

void HandleListBudgetVersions(RestExchange& ex) {
  lv1::ListBudgetVersionsRequest list;
  list.set_name(ex.route.budget.ToString());
  if (absl::Status page = SetPage(ex, &list); !page.ok()) return WriteRestError(ex.response, page);
  return Reply(ex, ex.orchestrator->ListBudgetVersions(list, ex.call));
}

void HandleListBudgetRevisions(RestExchange& ex) {
  lv1::ListBudgetRevisionsRequest list;
  list.set_name(ex.route.budget.ToString());
  if (absl::Status page = SetPage(ex, &list); !page.ok()) return WriteRestError(ex.response, page);
  return Reply(ex, ex.orchestrator->ListBudgetRevisions(list, ex.call));
}

void HandleDiffBudgetRevisions(RestExchange& ex) {
  auto param = [&](const char* name) -> std::optional<std::string> {
    if (!ex.request.has_param(name)) return std::nullopt;
    return ex.request.get_param_value(name);
  };
  absl::StatusOr<lv1::DiffBudgetRevisionsRequest> diff = DiffRequestFromQuery(ex.route, param("from"), param("to"));
  if (!diff.ok()) return WriteRestError(ex.response, diff.status());
  // Defaults printed: an unchanged pair still answers "cells": [] rather
  // than an object without the key.
  return Reply(ex, ex.orchestrator->DiffBudgetRevisions(*diff, ex.call), /*print_defaults=*/true);
}

void HandleListGoalsRevisions(RestExchange& ex) {
  ov1::ListGoalsRevisionsRequest list;
  list.set_name(ex.route.budget.GoalsName());
  if (absl::Status page = SetPage(ex, &list); !page.ok()) return WriteRestError(ex.response, page);
  return Reply(ex, ex.orchestrator->ListGoalsRevisions(list, ex.call));
}

void HandleDiffGoalsRevisions(RestExchange& ex) {
  auto param = [&](const char* name) -> std::optional<std::string> {
    if (!ex.request.has_param(name)) return std::nullopt;
    return ex.request.get_param_value(name);
  };
  // The query grammar is the budget diff's; only the resource differs.
  absl::StatusOr<lv1::DiffBudgetRevisionsRequest> parsed = DiffRequestFromQuery(ex.route, param("from"), param("to"));
  if (!parsed.ok()) return WriteRestError(ex.response, parsed.status());
  ov1::DiffGoalsRevisionsRequest diff;
  diff.set_name(ex.route.budget.GoalsName());
  diff.set_from_revision(parsed->from_revision());
  diff.set_to_revision(parsed->to_revision());
  return Reply(ex, ex.orchestrator->DiffGoalsRevisions(diff, ex.call), /*print_defaults=*/true);
}

void HandleGetPublished(RestExchange& ex) {
  rv1::GetPublishedRequest get;
  get.set_budget_name(ex.route.budget.ToString());
  absl::StatusOr<int64_t> version = IntParam(ex.request, "version");
  if (!version.ok()) return WriteRestError(ex.response, version.status());
  get.set_version(*version);
  const bool download = ex.request.has_param("format");
  if (download) {
    absl::StatusOr<rv1::Format> format = client::ParseReportFormat(ex.request.get_param_value("format"));
    if (!format.ok()) return WriteRestError(ex.response, format.status());
    get.set_format(*format);
  }
  absl::StatusOr<rv1::PublishedDisclosure> published = ex.orchestrator->GetPublished(get, ex.call);
  if (!published.ok()) return WriteRestError(ex.response, published.status());
  // A file larger than one answer comes in pages: the download is all of it.
  while (download && published->next_content_offset() > 0) {
    get.set_version(published->version());
    get.set_content_offset(published->next_content_offset());
    absl::StatusOr<rv1::PublishedDisclosure> page = ex.orchestrator->GetPublished(get, ex.call);
    if (!page.ok()) return WriteRestError(ex.response, page.status());
    published->mutable_artifacts(0)->mutable_content()->append(page->artifacts(0).content());
    published->set_next_content_offset(page->next_content_offset());
  }
  if (!download) {
    // The list: what was published, when, and each file's SHA-256 and
    // download link; the bytes come with ?format=.
    for (rv1::Artifact& artifact : *published->mutable_artifacts()) artifact.clear_content();
    return WriteMessage(ex.response, *published, /*print_defaults=*/false);
  }
  const rv1::Artifact& artifact = published->artifacts(0);
  ex.response.set_header("ETag", absl::StrCat("\"", artifact.sha256_hex(), "\""));
  ex.response.set_header("X-Content-SHA256", artifact.sha256_hex());
  ex.response.set_header("X-Published-Version", absl::StrCat(published->version()));
  // A published version never changes.
  ex.response.set_header("Cache-Control", "public, max-age=31536000, immutable");
  const std::string fallback =
      absl::StrCat(ex.route.budget.department.region, "-", ex.route.budget.department.agency, "-", ex.route.budget.year,
                   "-v", published->version(), ".", Extension(artifact.file_name(), artifact.format()));
  // The published HTML opens in the browser (the department page frames
  // it); every other format downloads.
  ex.response.set_header("Content-Disposition",
                         ContentDisposition(artifact.format() == rv1::FORMAT_HTML ? "inline" : "attachment",
                                            artifact.file_name().empty() ? fallback : artifact.file_name(), fallback));
  ex.response.status = 200;
  ex.response.set_content(artifact.content(),
                          artifact.media_type().empty() ? "application/octet-stream" : artifact.media_type());
  return;
}

void HandleListPublished(RestExchange& ex) {
  rv1::ListPublishedRequest list;
  list.set_region(ex.request.get_param_value("region"));
  absl::StatusOr<int64_t> year = IntParam(ex.request, "year");
  if (!year.ok()) return WriteRestError(ex.response, year.status());
  list.set_fiscal_year(static_cast<int32_t>(*year));
  list.set_query(ex.request.get_param_value("q"));
  list.set_budget_name(ex.request.get_param_value("budget"));
  if (absl::Status page = SetPage(ex, &list); !page.ok()) return WriteRestError(ex.response, page);
  return Reply(ex, ex.orchestrator->ListPublished(list, ex.call));
}

void HandleListSubmissions(RestExchange& ex) {
  lv1::ListSubmissionsRequest list;
  list.set_parent(absl::StrCat("regions/", ex.route.region));
  const std::string status = ex.request.get_param_value("status");
  if (!status.empty()) {
    lv1::FilingStatus parsed;
    if (!lv1::FilingStatus_Parse(absl::StrCat("FILING_STATUS_", absl::AsciiStrToUpper(status)), &parsed)) {
      return WriteRestError(ex.response,
                            absl::InvalidArgumentError(absl::StrCat(
                                "status 应为 draft、submitted、returned、approved 或 published / status must be "
                                "draft, submitted, returned, approved or published, not ",
                                status)));
    }
    list.set_status(parsed);
  }
  if (absl::Status page = SetPage(ex, &list); !page.ok()) return WriteRestError(ex.response, page);
  return Reply(ex, ex.orchestrator->ListSubmissions(list, ex.call));
}

namespace {

// REST's change feed waits this long by default and at most this long.
constexpr int64_t kDefaultChangeWaitMs = 10000;
constexpr int64_t kMaxChangeWaitMs = 60000;
// At most this many changes in one answer: a consumer far behind asks again
// from the last cursor, and no answer grows without bound.
constexpr size_t kMaxChangesPerAnswer = 5000;

}  // namespace

void HandleWatchChanges(RestExchange& ex) {
  gv1::WatchChangesRequest watch;
  watch.set_parent(absl::StrCat("regions/", ex.route.region));
  watch.set_after_cursor(ex.request.get_param_value("after"));
  int64_t wait_ms = kDefaultChangeWaitMs;
  if (ex.request.has_param("wait_ms")) {
    absl::StatusOr<int64_t> asked = IntParam(ex.request, "wait_ms");
    if (!asked.ok()) return WriteRestError(ex.response, asked.status());
    if (*asked < 0 || *asked > kMaxChangeWaitMs) {
      return WriteRestError(ex.response,
                            InvalidField("wait_ms", absl::StrCat("wait_ms 应在 0 到 ", kMaxChangeWaitMs, " 之间"),
                                         absl::StrCat("wait_ms must be 0 to ", kMaxChangeWaitMs,
                                                      " (milliseconds to wait when no change follows the cursor)")));
    }
    wait_ms = *asked;
  }
  absl::StatusOr<Orchestrator::ChangeFeed> position = ex.orchestrator->StartChangeFeed(watch, ex.call);
  if (!position.ok()) return WriteRestError(ex.response, position.status());
  // What exists is answered at once; only an empty answer waits (a long
  // poll): the whole answer is sent when it is complete, so waiting after
  // the first changes would only delay them.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  std::vector<gv1::WatchChangesResponse> lines;
  while (lines.size() < kMaxChangesPerAnswer) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    const bool waiting = lines.empty() && left.count() > 0;
    absl::StatusOr<Orchestrator::FeedPage> page =
        ex.orchestrator->ReadFeed(*position, waiting ? left : std::chrono::milliseconds(0), ex.call);
    if (!page.ok()) {
      if (lines.empty()) return WriteRestError(ex.response, page.status());
      break;  // answer what was read; the next request meets the error
    }
    *position = page->next;
    for (auto& change : page->changes) lines.push_back(std::move(change));
    // Nothing new: the end, unless the wait goes on (one read of the ledger
    // waits at most 10 s).
    if (page->changes.empty() && !waiting) break;
  }
  if (lines.size() > kMaxChangesPerAnswer) lines.resize(kMaxChangesPerAnswer);
  gv1::WatchChangesResponse last;
  last.set_cursor(lines.size() == kMaxChangesPerAnswer ? lines.back().cursor()
                                                       : Orchestrator::EncodeFeedCursor(*position));
  lines.push_back(std::move(last));
  google::protobuf::util::JsonPrintOptions options;
  std::string body;
  for (const auto& line : lines) {
    std::string json;
    if (!google::protobuf::util::MessageToJsonString(line, &json, options).ok()) {
      return WriteRestError(ex.response,
                            absl::InternalError("变更无法转为 JSON / a change could not be written as JSON"));
    }
    absl::StrAppend(&body, json, "\n");
  }
  ex.response.status = 200;
  ex.response.set_content(body, "application/x-ndjson; charset=utf-8");
}

namespace {

// status=approved,published: the states that count (absent: every state).
absl::StatusOr<google::protobuf::RepeatedField<int>> RollupStatuses(const httplib::Request& request) {
  google::protobuf::RepeatedField<int> statuses;
  for (absl::string_view word : absl::StrSplit(request.get_param_value("status"), ',', absl::SkipWhitespace())) {
    lv1::FilingStatus parsed;
    const std::string status(absl::StripAsciiWhitespace(word));
    if (!lv1::FilingStatus_Parse(absl::StrCat("FILING_STATUS_", absl::AsciiStrToUpper(status)), &parsed) ||
        parsed == lv1::FILING_STATUS_UNSPECIFIED) {
      return absl::InvalidArgumentError(absl::StrCat(
          "status 应为以逗号分隔的 draft、submitted、returned、approved、published，而不是 ", status,
          " / status must be a comma-separated list of draft, submitted, returned, approved and published, not ",
          status));
    }
    statuses.Add(parsed);
  }
  return statuses;
}

std::string RollupName(const RestExchange& ex) {
  return absl::StrCat("regions/", ex.route.region, "/rollups/", ex.route.budget.year);
}

}  // namespace

void HandleGetRollup(RestExchange& ex) {
  absl::StatusOr<google::protobuf::RepeatedField<int>> statuses = RollupStatuses(ex.request);
  if (!statuses.ok()) return WriteRestError(ex.response, statuses.status());
  lv1::GetRollupRequest get;
  get.set_name(RollupName(ex));
  *get.mutable_statuses() = *statuses;
  return Reply(ex, ex.orchestrator->GetRollup(get, ex.call), /*print_defaults=*/true);
}

void HandleRenderRollup(RestExchange& ex) {
  absl::StatusOr<google::protobuf::RepeatedField<int>> statuses = RollupStatuses(ex.request);
  if (!statuses.ok()) return WriteRestError(ex.response, statuses.status());
  const std::string format = absl::AsciiStrToLower(ex.request.get_param_value("format"));
  absl::StatusOr<rv1::Format> file_format = client::ParseReportFormat(format.empty() ? "csv" : format);
  if (!file_format.ok() || (*file_format != rv1::FORMAT_CSV && *file_format != rv1::FORMAT_XLSX &&
                            *file_format != rv1::FORMAT_HTML && *file_format != rv1::FORMAT_MARKDOWN)) {
    return WriteRestError(ex.response, absl::InvalidArgumentError(absl::StrCat(
                                           "汇总文件的 format 应为 csv、xlsx、html 或 md，而不是 ", format,
                                           " / a roll-up file's format is csv, xlsx, html or md, not ", format)));
  }
  gv1::RenderRollupRequest render;
  render.set_name(RollupName(ex));
  *render.mutable_statuses() = *statuses;
  render.set_format(*file_format);
  absl::StatusOr<rv1::Artifact> artifact = ex.orchestrator->RenderRollup(render, ex.call);
  if (!artifact.ok()) return WriteRestError(ex.response, artifact.status());
  const std::string fallback = absl::StrCat("rollup-", ex.route.region, "-", ex.route.budget.year, ".",
                                            Extension(artifact->file_name(), *file_format));
  ex.response.set_header("X-Content-SHA256", artifact->sha256_hex());
  ex.response.set_header("Cache-Control", "no-store");
  ex.response.set_header(
      "Content-Disposition",
      ContentDisposition(*file_format == rv1::FORMAT_HTML ? "inline" : "attachment",
                         artifact->file_name().empty() ? fallback : artifact->file_name(), fallback));
  ex.response.status = 200;
  ex.response.set_content(artifact->content(),
                          artifact->media_type().empty() ? "application/octet-stream" : artifact->media_type());
}

void HandleVerifyArtifact(RestExchange& ex) {
  rv1::VerifyArtifactRequest verify;
  verify.set_content(ex.body);
  return Reply(ex, ex.orchestrator->VerifyArtifact(verify, ex.call), /*print_defaults=*/true);
}

void HandleListRules(RestExchange& ex) {
  return Reply(ex, ex.orchestrator->ListRules(yusuan::common::v1::ListRulesRequest(), ex.call));
}

void HandleListCatalogues(RestExchange& ex) {
  return Reply(ex, ex.orchestrator->ListCatalogues(lv1::ListCataloguesRequest(), ex.call), /*print_defaults=*/true);
}

void HandleGetCatalogue(RestExchange& ex) {
  lv1::GetCatalogueRequest get;
  get.set_edition(ex.route.edition);
  absl::StatusOr<int64_t> version = IntParam(ex.request, "version");
  if (!version.ok()) return WriteRestError(ex.response, version.status());
  get.set_version(*version);
  return Reply(ex, ex.orchestrator->GetCatalogue(get, ex.call));
}

void HandleGetCatalogueCode(RestExchange& ex) {
  lv1::GetCatalogueCodeRequest get;
  get.set_edition(ex.route.edition);
  get.set_code(ex.route.code);
  return Reply(ex, ex.orchestrator->GetCatalogueCode(get, ex.call), /*print_defaults=*/true);
}

void HandleDiffCatalogues(RestExchange& ex) {
  std::optional<std::string> from;
  if (ex.request.has_param("from")) from = ex.request.get_param_value("from");
  absl::StatusOr<lv1::DiffCataloguesRequest> diff = CatalogueDiffFromQuery(ex.route, from);
  if (!diff.ok()) return WriteRestError(ex.response, diff.status());
  return Reply(ex, ex.orchestrator->DiffCatalogues(*diff, ex.call), /*print_defaults=*/true);
}

void HandleImportCatalogue(RestExchange& ex) {
  lv1::ImportCatalogueRequest import;
  import.set_edition(ex.route.edition);
  import.set_content(ex.body);
  // The name the operator knows the file by (messages name it); else
  // the edition with the format the bytes have.
  std::string file_name = ex.request.get_param_value("file_name");
  if (!IsValidUtf8(file_name)) {
    return WriteRestError(ex.response,
                          BadQueryParameter("file_name", std::nullopt, "不是有效的 UTF-8",
                                            "is not valid UTF-8: percent-encode the file's name in UTF-8"));
  }
  if (file_name.empty()) {
    const bool zip = ex.body.size() >= 4 && ex.body.compare(0, 4, std::string("PK\x03\x04", 4)) == 0;
    file_name = absl::StrCat(ex.route.edition, zip ? ".xlsx" : ".csv");
  }
  import.set_file_name(file_name);
  import.set_request_id(RequestId(ex.request));
  return Reply(ex, ex.orchestrator->ImportCatalogue(import, ex.call), /*print_defaults=*/true);
}

void HandleHealth(RestExchange& ex) {
  ex.response.status = 200;
  ex.response.set_content("{\"status\":\"SERVING\"}", kJson);
}

void HandleMetrics(RestExchange& ex) { ServeMetrics(ex.telemetry, ex.response); }

void HandleOpenApi(RestExchange& ex) { ServeOpenApi(ex.response); }

}  // namespace yusuan::gateway
