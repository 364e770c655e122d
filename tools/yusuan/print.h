// What the commands print: findings, failed calls, labels of enum values,
// times, and tables of Chinese and English text lined up by display width.
#ifndef YUSUAN_TOOLS_YUSUAN_PRINT_H_
#define YUSUAN_TOOLS_YUSUAN_PRINT_H_

#include <grpcpp/grpcpp.h>

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "google/protobuf/message.h"
#include "yusuan/common/v1/findings.pb.h"
#include "yusuan/ledger/v1/ledger.pb.h"

namespace yusuan::cli {

// "严重 FATAL", "警告 WARNING", "提示 INFO".
const char* SeverityLabel(yusuan::common::v1::Severity severity);
// "完整性 completeness" and the other three categories.
const char* CategoryLabel(yusuan::common::v1::RuleCategory category);
// A budget's workflow state in Chinese: "草稿", "已提交", "已退回", "已审核", "已公开".
const char* StatusName(yusuan::ledger::v1::FilingStatus status);
// "提交 submit", "审核 approve", "退回 return", "公开 publish".
const char* ActionName(yusuan::ledger::v1::WorkflowAction action);

// A finding in full: severity, rule, field, table location, both messages,
// expected / actual / difference and the hint.
void PrintFinding(std::ostream& out, const yusuan::common::v1::Finding& finding);
// One line: enough to find the field; `validate` prints the full text.
void PrintFindingLine(std::ostream& out, const yusuan::common::v1::Finding& finding);
// "0 严重 fatal · 2 警告 warnings · 1 提示 infos (规则集 rule set …)", no newline.
void PrintCounts(std::ostream& out, const yusuan::common::v1::ValidationReport& report);

// What a failed call's code means to the person at the terminal, Chinese
// then English: "已拒绝 / refused" for a request the rules or the state
// refuse, "未找到 / not found", "无权限 / not allowed", … ; "失败 / failed"
// for the rest.
std::string FailureLabel(grpc::StatusCode code);

// Prints a failed call on stderr: its FailureLabel, the code's name and the
// message, then every finding of an attached ValidationReport (errors in
// full, the rest one line each), or else every field violation of an
// attached BadRequest. Returns the exit code, kFailed.
int PrintFailure(const grpc::Status& status);

enum class JsonFields {
  kSet,  // fields with their default value are left out
  kAll,  // every field, zeros and empty strings too
};
// Protobuf JSON, indented; "{}\n" in the unlikely case it cannot be printed.
std::string ToJson(const google::protobuf::Message& message, JsonFields fields = JsonFields::kSet);

// 2021-01-05T08:30:00Z; "" for 0.
std::string IsoUtc(int64_t unix_ms);

// Terminal columns of UTF-8 text: East Asian wide characters (Chinese,
// full-width punctuation) take two, the rest (→ included) one.
size_t DisplayWidth(const std::string& text);
// `text` cut into lines of at most `columns` display columns, at a space
// when the line has one (English), else between characters (Chinese).
std::vector<std::string> WrapDisplay(const std::string& text, size_t columns);
// Prints `rows` on stdout, the first being the header: columns separated by
// two spaces, widths by display width; columns from `right_aligned_from` on
// are right-aligned (amounts). The last column is not padded on the right
// (free text, e.g. a comment).
void PrintTable(const std::vector<std::vector<std::string>>& rows, size_t right_aligned_from = SIZE_MAX);

}  // namespace yusuan::cli

#endif  // YUSUAN_TOOLS_YUSUAN_PRINT_H_
