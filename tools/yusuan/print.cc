#include "tools/yusuan/print.h"

#include <algorithm>
#include <ctime>
#include <iostream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "services/common/errors.h"
#include "services/common/filing_status.h"
#include "tools/yusuan/exit_codes.h"

namespace yusuan::cli {
namespace {

using yusuan::common::v1::Finding;
using yusuan::common::v1::ValidationReport;

// "表2 · 2060102 · 基本支出", or "" when the finding is not about a table cell.
std::string LocationText(const Finding& f) {
  const auto& location = f.location();
  if (location.table() == 0) return "";
  std::string text = absl::StrCat("表", location.table());
  if (!location.row().empty()) absl::StrAppend(&text, " · ", location.row());
  if (!location.column().empty()) absl::StrAppend(&text, " · ", location.column());
  return text;
}

std::string CodeName(grpc::StatusCode code) {
  static const char* kNames[] = {
      "OK",        "CANCELLED",      "UNKNOWN",           "INVALID_ARGUMENT",   "DEADLINE_EXCEEDED",
      "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
      "ABORTED",   "OUT_OF_RANGE",   "UNIMPLEMENTED",     "INTERNAL",           "UNAVAILABLE",
      "DATA_LOSS", "UNAUTHENTICATED"};
  const int i = static_cast<int>(code);
  return i >= 0 && i <= 16 ? kNames[i] : absl::StrCat(i);
}

// UTF-8 sequence length from its lead byte.
size_t SequenceLength(unsigned char lead) { return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4; }

std::string Pad(const std::string& text, size_t width) {
  const size_t have = DisplayWidth(text);
  return have >= width ? text : text + std::string(width - have, ' ');
}

std::string PadLeft(const std::string& text, size_t width) {
  const size_t have = DisplayWidth(text);
  return have >= width ? text : std::string(width - have, ' ') + text;
}

}  // namespace

const char* SeverityLabel(yusuan::common::v1::Severity severity) {
  switch (severity) {
    case yusuan::common::v1::SEVERITY_FATAL:
      return "严重 FATAL";
    case yusuan::common::v1::SEVERITY_WARNING:
      return "警告 WARNING";
    case yusuan::common::v1::SEVERITY_INFO:
      return "提示 INFO";
    default:
      return "?";
  }
}

const char* CategoryLabel(yusuan::common::v1::RuleCategory category) {
  switch (category) {
    case yusuan::common::v1::RULE_CATEGORY_COMPLETENESS:
      return "完整性 completeness";
    case yusuan::common::v1::RULE_CATEGORY_ACCURACY:
      return "准确性 accuracy";
    case yusuan::common::v1::RULE_CATEGORY_CONSISTENCY:
      return "一致性 consistency";
    case yusuan::common::v1::RULE_CATEGORY_CLASSIFICATION:
      return "分类 classification";
    default:
      return "?";
  }
}

const char* StatusName(yusuan::ledger::v1::FilingStatus status) { return FilingStatusNameZh(status); }

const char* ActionName(yusuan::ledger::v1::WorkflowAction action) {
  switch (action) {
    case yusuan::ledger::v1::WORKFLOW_ACTION_SUBMIT:
      return "提交 submit";
    case yusuan::ledger::v1::WORKFLOW_ACTION_APPROVE:
      return "审核 approve";
    case yusuan::ledger::v1::WORKFLOW_ACTION_RETURN:
      return "退回 return";
    case yusuan::ledger::v1::WORKFLOW_ACTION_PUBLISH:
      return "公开 publish";
    default:
      return "?";
  }
}

void PrintFinding(std::ostream& out, const Finding& f) {
  PrintFindingLine(out, f);
  const std::string location = LocationText(f);
  if (!location.empty()) out << "      位置 location: " << location << "\n";
  if (!f.message_zh().empty()) out << "      " << f.message_zh() << "\n";
  if (!f.message_en().empty()) out << "      " << f.message_en() << "\n";
  if (!f.expected().empty() || !f.actual().empty()) {
    out << "      期望 expected " << f.expected() << " · 实际 actual " << f.actual();
    if (!f.difference().empty()) out << " · 差额 difference " << f.difference();
    out << "\n";
  }
  if (!f.hint().empty()) out << "      提示 hint: " << f.hint() << "\n";
}

void PrintFindingLine(std::ostream& out, const Finding& f) {
  out << "  " << SeverityLabel(f.severity()) << "  [" << f.rule_id() << "] "
      << (f.field().empty() ? "(filing)" : f.field());
  if (!f.workbook_cell().empty()) out << "  工作簿 workbook " << f.workbook_cell();
  out << "\n";
}

void PrintCounts(std::ostream& out, const ValidationReport& report) {
  out << report.fatal_count() << " 严重 fatal · " << report.warning_count() << " 警告 warnings · "
      << report.info_count() << " 提示 infos";
  if (!report.rule_set_version().empty()) out << " (规则集 rule set " << report.rule_set_version() << ")";
}

std::string FailureLabel(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
      return "已拒绝 / refused";
    case grpc::StatusCode::NOT_FOUND:
      return "未找到 / not found";
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
      return "冲突 / conflict";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "未认证（缺少或无效的令牌）/ not authenticated (no valid token)";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "无权限 / not allowed";
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "服务不可用，可稍后重试 / unavailable, try again later";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "请求过多或过大 / too many or too large requests";
    default:
      return "失败 / failed";
  }
}

int PrintFailure(const grpc::Status& status) {
  const absl::Status detailed = FromGrpcStatus(status);
  std::cerr << FailureLabel(status.error_code()) << " (" << CodeName(status.error_code())
            << "): " << status.error_message() << "\n";
  ValidationReport report;
  google::rpc::BadRequest bad_request;
  if (GetDetail(detailed, &report) && report.findings_size() > 0) {
    // Errors in full, then the rest one line each.
    std::cerr << "\n";
    for (const auto& f : report.findings()) {
      if (f.severity() == yusuan::common::v1::SEVERITY_FATAL) PrintFinding(std::cerr, f);
    }
    for (const auto& f : report.findings()) {
      if (f.severity() != yusuan::common::v1::SEVERITY_FATAL) PrintFindingLine(std::cerr, f);
    }
    std::cerr << "\n合计 total: ";
    PrintCounts(std::cerr, report);
    std::cerr << "\n";
  } else if (GetDetail(detailed, &bad_request)) {
    for (const auto& v : bad_request.field_violations()) {
      std::cerr << "  " << v.field() << ": " << v.description() << "\n";
    }
  }
  return kFailed;
}

std::string ToJson(const google::protobuf::Message& message, JsonFields fields) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = fields == JsonFields::kAll;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) return "{}\n";
  return json;
}

std::string IsoUtc(int64_t unix_ms) {
  if (unix_ms == 0) return "";
  const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  if (gmtime_r(&seconds, &tm) == nullptr) return "";
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

size_t DisplayWidth(const std::string& text) {
  size_t width = 0;
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const size_t length = SequenceLength(lead);
    uint32_t code = length == 1 ? lead : lead & (0x7F >> length);
    for (size_t k = 1; k < length && i + k < text.size(); ++k) {
      code = (code << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    const bool wide = (code >= 0x1100 && code <= 0x115F) || (code >= 0x2E80 && code <= 0xA4CF) ||
                      (code >= 0xAC00 && code <= 0xD7A3) || (code >= 0xF900 && code <= 0xFAFF) ||
                      (code >= 0xFE30 && code <= 0xFE4F) || (code >= 0xFF00 && code <= 0xFF60) ||
                      (code >= 0xFFE0 && code <= 0xFFE6) || code >= 0x20000;
    width += wide ? 2 : 1;
    i += length;
  }
  return width;
}

std::vector<std::string> WrapDisplay(const std::string& text, size_t columns) {
  std::vector<std::string> lines;
  std::string line;
  size_t width = 0;
  for (size_t i = 0; i < text.size();) {
    const size_t length = SequenceLength(static_cast<unsigned char>(text[i]));
    const std::string character = text.substr(i, length);
    i += length;
    const size_t w = DisplayWidth(character);
    if (width + w > columns && !line.empty()) {
      const size_t space = line.rfind(' ');
      if (character != " " && space != std::string::npos && space > 0) {
        lines.push_back(line.substr(0, space));
        line = line.substr(space + 1);
      } else {
        lines.push_back(line);
        line.clear();
      }
      width = DisplayWidth(line);
      if (character == " ") continue;
    }
    line += character;
    width += w;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

void PrintTable(const std::vector<std::vector<std::string>>& rows, size_t right_aligned_from) {
  if (rows.empty()) return;
  std::vector<size_t> widths(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      if (c >= right_aligned_from) {
        line += PadLeft(row[c], widths[c]);
        if (c + 1 < row.size()) line += "  ";
      } else {
        line += c + 1 < row.size() ? Pad(row[c], widths[c]) + "  " : row[c];
      }
    }
    line.erase(line.find_last_not_of(' ') + 1);
    std::cout << line << "\n";
  }
}

}  // namespace yusuan::cli
