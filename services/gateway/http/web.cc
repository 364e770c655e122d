#include "services/gateway/http/web.h"

#include <chrono>
#include <ctime>
#include <string_view>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/html.h"
#include "services/common/paging.h"
#include "services/common/resource_names.h"
#include "services/common/sha256.h"

namespace yusuan::gateway {
namespace {

namespace rv1 = yusuan::report::v1;

constexpr char kDisclosures[] = "/disclosures/";

constexpr char kStyle[] = R"(
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei",sans-serif;margin:0;color:#1b1b1b;background:#f6f7f9}
header{background:#8b0000;color:#fff;padding:14px 24px}header a{color:#fff;text-decoration:none}
header h1{margin:0;font-size:20px}header p{margin:4px 0 0;font-size:13px;opacity:.85}
main{max-width:1100px;margin:0 auto;padding:16px 24px}
form{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-end;background:#fff;padding:12px;border:1px solid #ddd}
label{display:flex;flex-direction:column;font-size:13px;gap:4px}
input{padding:6px 8px;font-size:14px;border:1px solid #bbb}button{padding:7px 16px;font-size:14px}
table{border-collapse:collapse;width:100%;background:#fff;margin:12px 0}
th,td{border:1px solid #ddd;padding:6px 8px;text-align:left;font-size:14px;vertical-align:top}
th{background:#f0f0f0}td.num{text-align:right}code{font-size:12px;word-break:break-all}
iframe{width:100%;height:80vh;border:1px solid #ccc;background:#fff}
.empty{color:#666;padding:12px 0}.note{color:#555;font-size:13px}
)";

// The reviewer's page script, the only script of the pages. Its SHA-256 is
// in every page's Content-Security-Policy, which allows no other script.
const std::string& ReviewScript() {
  static const std::string* script = new std::string(absl::StrCat(R"(
'use strict';
const form = document.getElementById('token-form');
const state = document.getElementById('state');
function cell(row, text) { const td = document.createElement('td'); td.textContent = text; row.appendChild(td); }
async function show() {
  const token = document.getElementById('token').value.trim();
  const region = document.getElementById('region').value.trim();
  if (!token) { state.textContent = '请输入审核人令牌 / enter a reviewer token'; return; }
  if (!/^[0-9]{1,6}$/.test(region)) { state.textContent = '请输入地区代码，如 420107 / enter the region code, e.g. 420107'; return; }
  sessionStorage.setItem('yusuan-token', token);
  state.textContent = '加载中… / loading…';
  const table = document.getElementById('submissions');
  const rows = table.querySelector('tbody');
  rows.replaceChildren();
  // Every page of the queue, however long.
  const list = [];
  let pageToken = '';
  do {
    const path = '/v1/regions/' + region + '/submissions?status=submitted&page_size=)",
                                                                  kQueuePageSizes.max_size, R"(' +
                 (pageToken ? '&page_token=' + encodeURIComponent(pageToken) : '');
    const answer = await fetch(path, {headers: {'Authorization': 'Bearer ' + token}});
    const body = await answer.json();
    if (!answer.ok) {
      table.hidden = true;
      state.textContent = (body.error && body.error.message) || ('HTTP ' + answer.status);
      return;
    }
    list.push(...(body.submissions || []));
    pageToken = body.nextPageToken || '';
    if (pageToken) state.textContent = '加载中… ' + list.length + ' / loading… ' + list.length;
  } while (pageToken);
  for (const s of list) {
    const row = document.createElement('tr');
    row.className = 'submission';
    cell(row, s.departmentFullName || '');
    cell(row, s.budgetName);
    cell(row, String(s.fiscalYear || ''));
    const v = s.lastVersion || {};
    cell(row, v.timeUnixMs ? new Date(Number(v.timeUnixMs)).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '');
    cell(row, v.ledgerRevision || '');
    rows.appendChild(row);
  }
  table.hidden = list.length === 0;
  state.textContent = list.length ? ('共 ' + list.length + ' 份待审核 / ' + list.length + ' awaiting review')
                                  : '没有待审核的预算 / nothing awaits review';
}
form.addEventListener('submit', (e) => { e.preventDefault(); show(); });
const fragment = new URLSearchParams(location.hash.slice(1));
const given = fragment.get('token') || sessionStorage.getItem('yusuan-token');
if (given) {
  document.getElementById('token').value = given;
  if (fragment.has('token')) history.replaceState(null, '', location.pathname + location.search);
  show();
}
)"));
  return *script;
}

// What a page may load: its own style and script (by hash), the API of its
// own origin (the review page's fetch, the disclosure's frame, the search
// form) and nothing else; no site may frame it. With nosniff and
// X-Frame-Options for browsers that predate frame-ancestors (issue 13,
// item 12).
const std::string& ContentSecurityPolicy() {
  static const std::string* policy = new std::string(
      absl::StrCat("default-src 'none'; style-src 'sha256-", absl::Base64Escape(Sha256(kStyle)),
                   "'; script-src 'sha256-", absl::Base64Escape(Sha256(ReviewScript())),
                   "'; connect-src 'self'; img-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; "
                   "frame-ancestors 'none'"));
  return *policy;
}

std::string Page(const std::string& title, const std::string& body) {
  return absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>",
      EscapeHtml(title), "</title><style>", kStyle,
      "</style></head><body><header><h1><a href=\"/\">部门预算公开</a></h1>"
      "<p>Department budget disclosures · 预算数据、表格与说明均由同一账本生成</p></header><main>",
      body, "</main></body></html>\n");
}

void SendPage(httplib::Response& response, int status, const std::string& title, const std::string& body) {
  response.status = status;
  response.set_header("Cache-Control", "no-cache");
  response.set_header("Content-Security-Policy", ContentSecurityPolicy());
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("X-Frame-Options", "DENY");
  response.set_content(Page(title, body), "text/html; charset=utf-8");
}

void SendError(httplib::Response& response, const absl::Status& status) {
  const int http = HttpStatusFor(status.code());
  SendPage(response, http, "出错了 / Error",
           absl::StrCat("<h2>出错了 / Error ", http, "</h2><p>", EscapeHtml(std::string(status.message())),
                        "</p><p><a href=\"/\">返回首页 / back to the index</a></p>"));
}

// Percent-encoding for a query parameter value.
std::string UrlEncode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string UtcTime(int64_t unix_ms) {
  const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M UTC", &tm);
  return buffer;
}

std::string FormatLabel(rv1::Format format) {
  switch (format) {
    case rv1::FORMAT_HTML:
      return "网页 HTML";
    case rv1::FORMAT_MARKDOWN:
      return "Markdown";
    case rv1::FORMAT_PDF:
      return "PDF";
    case rv1::FORMAT_XLSX:
      return "表格 XLSX";
    case rv1::FORMAT_JSON:
      return "开放数据 JSON";
    case rv1::FORMAT_CSV:
      return "明细 CSV";
    case rv1::FORMAT_DATA_PACKAGE:
      return "datapackage.json";
    default:
      return rv1::Format_Name(format);
  }
}

std::string FormatParam(rv1::Format format) {
  switch (format) {
    case rv1::FORMAT_HTML:
      return "html";
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
      return "datapackage";
    default:
      return "";
  }
}

std::string DownloadUrl(const rv1::PublishedDisclosure& disclosure, rv1::Format format) {
  return absl::StrCat("/v1/", disclosure.budget_name(), "/published?version=", disclosure.version(),
                      "&format=", FormatParam(format));
}

std::string DisclosureUrl(const std::string& budget_name) { return absl::StrCat(kDisclosures, budget_name); }

}  // namespace

void WebPages::Refuse(httplib::Response& response, const absl::Status& status) { SendError(response, status); }

bool WebPages::IsPage(const std::string& path) {
  return path == "/" || path == "/review" || absl::StartsWith(path, kDisclosures);
}

void WebPages::Serve(const httplib::Request& request, httplib::Response& response) const {
  if (request.method != "GET" && request.method != "HEAD") {
    response.set_header("Allow", "GET");
    return SendError(response, absl::UnimplementedError(
                                   absl::StrCat("网页只接受 GET / pages accept GET only, not ", request.method)));
  }
  if (request.path == "/") return Index(request, response);
  if (request.path == "/review") return Review(request, response);
  return Disclosure(request, response);
}

void WebPages::Index(const httplib::Request& request, httplib::Response& response) const {
  const std::string region = request.get_param_value("region");
  const std::string year_text = request.get_param_value("year");
  const std::string query = request.get_param_value("q");
  rv1::ListPublishedRequest list;
  list.set_region(region);
  int year = 0;
  if (!year_text.empty() && (!absl::SimpleAtoi(year_text, &year) || year < 1900 || year > 2200)) {
    return SendError(response, absl::InvalidArgumentError(
                                   absl::StrCat("年度应为四位数字 / the year must be four digits, not ", year_text)));
  }
  for (char c : region) {
    if (c < '0' || c > '9') {
      return SendError(response, absl::InvalidArgumentError(absl::StrCat(
                                     "地区代码应为数字（如 42、4201、420107）/ the region code must be digits "
                                     "(42, 4201, 420107), not ",
                                     region)));
    }
  }
  list.set_fiscal_year(year);
  list.set_query(query);
  list.set_page_size(kQueuePageSizes.default_size);
  list.set_page_token(request.get_param_value("page_token"));
  absl::StatusOr<rv1::ListPublishedResponse> found = orchestrator_->ListPublished(list, CallOptions{});
  if (!found.ok()) return SendError(response, found.status());

  std::string body = absl::StrCat(
      "<h2>已公开的部门预算 <small>Published department budgets</small></h2>"
      "<form method=\"get\" action=\"/\" role=\"search\">"
      "<label>地区代码 Region<input name=\"region\" value=\"",
      EscapeHtml(region), "\" placeholder=\"420107\" inputmode=\"numeric\"></label>",
      "<label>年度 Year<input name=\"year\" value=\"", EscapeHtml(year_text),
      "\" placeholder=\"2021\" inputmode=\"numeric\"></label>", "<label>部门名称 Department<input name=\"q\" value=\"",
      EscapeHtml(query), "\" placeholder=\"科协\"></label><button type=\"submit\">查询 Search</button></form>");
  if (found->disclosures().empty()) {
    absl::StrAppend(&body,
                    "<p class=\"empty\" id=\"no-results\">没有符合条件的公开文件 / nothing published matches</p>");
  } else {
    absl::StrAppend(&body,
                    "<table id=\"disclosures\"><thead><tr><th scope=\"col\">部门 Department</th>"
                    "<th scope=\"col\">年度 Year</th><th scope=\"col\">版本 Version</th>"
                    "<th scope=\"col\">公开时间 Published</th><th scope=\"col\">PDF</th></tr></thead><tbody>");
    for (const rv1::PublishedDisclosure& disclosure : found->disclosures()) {
      const std::string name =
          disclosure.department_full_name().empty() ? disclosure.budget_name() : disclosure.department_full_name();
      absl::StrAppend(&body, "<tr><td><a class=\"department\" href=\"",
                      EscapeHtml(DisclosureUrl(disclosure.budget_name())), "\">", EscapeHtml(name),
                      "</a></td><td class=\"num\">", disclosure.fiscal_year(), "</td><td class=\"num\">",
                      disclosure.version(), "</td><td>", UtcTime(disclosure.publish_time_unix_ms()), "</td><td>");
      for (const rv1::Artifact& artifact : disclosure.artifacts()) {
        if (artifact.format() != rv1::FORMAT_PDF) continue;
        absl::StrAppend(&body, "<a href=\"", EscapeHtml(DownloadUrl(disclosure, rv1::FORMAT_PDF)),
                        "\" download>PDF</a>");
      }
      absl::StrAppend(&body, "</td></tr>");
    }
    absl::StrAppend(&body, "</tbody></table>");
  }
  if (!found->next_page_token().empty()) {
    absl::StrAppend(&body, "<p><a rel=\"next\" href=\"/?region=", UrlEncode(region), "&amp;year=", UrlEncode(year_text),
                    "&amp;q=", UrlEncode(query), "&amp;page_token=", UrlEncode(found->next_page_token()),
                    "\">下一页 Next page</a></p>");
  }
  absl::StrAppend(&body,
                  "<p class=\"note\">下载的文件可在 <code>POST /v1/artifacts:verify</code> 核验是否为官方版本 / "
                  "any downloaded file can be checked with <code>POST /v1/artifacts:verify</code>.</p>");
  SendPage(response, 200, "部门预算公开 / Published budgets", body);
}

void WebPages::Disclosure(const httplib::Request& request, httplib::Response& response) const {
  const std::string budget_name = request.path.substr(sizeof(kDisclosures) - 1);
  absl::StatusOr<BudgetName> name = ParseBudgetName(budget_name);
  if (!name.ok()) return SendError(response, name.status());
  rv1::ListPublishedRequest list;
  list.set_budget_name(name->ToString());
  absl::StatusOr<rv1::ListPublishedResponse> versions = orchestrator_->ListPublished(list, CallOptions{});
  if (!versions.ok()) return SendError(response, versions.status());
  if (versions->disclosures().empty()) {
    return SendError(response,
                     absl::NotFoundError(absl::StrCat("尚未公开 / nothing of ", name->ToString(), " is published")));
  }
  // The version asked for, else the latest (the list is newest first).
  const rv1::PublishedDisclosure* shown = &versions->disclosures(0);
  if (request.has_param("version")) {
    int64_t wanted = 0;
    if (!absl::SimpleAtoi(request.get_param_value("version"), &wanted)) {
      return SendError(response, absl::InvalidArgumentError("version 应为整数 / version must be a number"));
    }
    shown = nullptr;
    for (const auto& disclosure : versions->disclosures()) {
      if (disclosure.version() == wanted) shown = &disclosure;
    }
    if (shown == nullptr) {
      return SendError(response, absl::NotFoundError(
                                     absl::StrCat("版本 ", wanted, " 未公开 / version ", wanted, " is not published")));
    }
  }
  const std::string title = absl::StrCat(shown->department_full_name(), " ", shown->fiscal_year(), " 年部门预算");
  std::string body = absl::StrCat("<p><a href=\"/\">← 全部公开文件 / all disclosures</a></p><h2 id=\"title\">",
                                  EscapeHtml(title), "</h2><p>版本 version <span id=\"version\">", shown->version(),
                                  "</span> · 公开于 published ", UtcTime(shown->publish_time_unix_ms()));
  if (shown != &versions->disclosures(0)) {
    absl::StrAppend(&body, " · <strong>已有更新版本 / superseded by version ", versions->disclosures(0).version(),
                    "</strong>");
  }
  absl::StrAppend(&body,
                  "</p><h3>下载 Downloads</h3><table id=\"downloads\"><thead><tr><th scope=\"col\">格式 Format</th>"
                  "<th scope=\"col\">文件 File</th><th scope=\"col\">SHA-256</th></tr></thead><tbody>");
  for (const rv1::Artifact& artifact : shown->artifacts()) {
    absl::StrAppend(&body, "<tr><td>", EscapeHtml(FormatLabel(artifact.format())),
                    "</td><td><a class=\"download\" data-format=\"", FormatParam(artifact.format()), "\" href=\"",
                    EscapeHtml(DownloadUrl(*shown, artifact.format())), "\">", EscapeHtml(artifact.file_name()),
                    "</a></td><td><code class=\"sha256\" data-format=\"", FormatParam(artifact.format()), "\">",
                    EscapeHtml(artifact.sha256_hex()), "</code></td></tr>");
  }
  absl::StrAppend(&body,
                  "</tbody></table><h3>公开版本 Versions</h3><table id=\"versions\"><thead><tr>"
                  "<th scope=\"col\">版本 Version</th><th scope=\"col\">公开时间 Published</th></tr></thead><tbody>");
  for (const rv1::PublishedDisclosure& version : versions->disclosures()) {
    absl::StrAppend(&body, "<tr><td><a href=\"", EscapeHtml(DisclosureUrl(version.budget_name())),
                    "?version=", version.version(), "\">", version.version(), "</a></td><td>",
                    UtcTime(version.publish_time_unix_ms()), "</td></tr>");
  }
  absl::StrAppend(&body, "</tbody></table>");
  for (const rv1::Artifact& artifact : shown->artifacts()) {
    if (artifact.format() != rv1::FORMAT_HTML) continue;
    absl::StrAppend(&body, "<h3>全文 The disclosure</h3><iframe title=\"", EscapeHtml(title), "\" src=\"",
                    EscapeHtml(DownloadUrl(*shown, rv1::FORMAT_HTML)), "\"></iframe>");
  }
  SendPage(response, 200, title, body);
}

void WebPages::Review(const httplib::Request& request, httplib::Response& response) const {
  const std::string region = request.get_param_value("region");
  for (char c : region) {
    if (c < '0' || c > '9') {
      return SendError(response, absl::InvalidArgumentError("地区代码应为数字 / the region code must be digits"));
    }
  }
  // The queue needs the reviewer's token, which a link cannot carry
  // safely: the page asks the API itself, with the token from the URL's
  // fragment (never sent to the server) or pasted into the form.
  const std::string body = absl::StrCat(
      "<h2>待审核的预算 <small>Submissions awaiting review</small></h2>"
      "<form id=\"token-form\"><label>地区代码 Region<input id=\"region\" value=\"",
      EscapeHtml(region),
      "\" placeholder=\"420107\" inputmode=\"numeric\"></label>"
      "<label>审核人令牌 Reviewer token<input id=\"token\" type=\"password\" autocomplete=\"off\" "
      "placeholder=\"yusuan admin token create --role reviewer …\"></label>"
      "<button type=\"submit\">查看 Show</button></form>"
      "<p id=\"state\" class=\"note\"></p><table id=\"submissions\" hidden><thead><tr>"
      "<th scope=\"col\">部门 Department</th><th scope=\"col\">预算 Budget</th><th scope=\"col\">年度 Year</th>"
      "<th scope=\"col\">提交时间 Submitted</th><th scope=\"col\">修订 Revision</th></tr></thead><tbody></tbody></table>"
      "<script>",
      ReviewScript(), "</script>");
  SendPage(response, 200, "待审核 / Review queue", body);
}

}  // namespace yusuan::gateway
