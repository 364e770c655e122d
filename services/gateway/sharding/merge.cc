#include "services/gateway/sharding/merge.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <tuple>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "yusuan/ledger/v1/ledger.pb.h"

namespace yusuan::gateway {
namespace {

namespace v1 = ::yusuan::ledger::v1;

// The version of the token's layout: a gateway that changes it refuses the
// old tokens rather than misreading them.
constexpr std::string_view kTokenPrefix = "m1.";

// Debian's Abseil has its own string_view, which its functions take.
absl::string_view AbslView(std::string_view text) { return absl::string_view(text.data(), text.size()); }

absl::Status MalformedToken(std::string_view why_zh, std::string_view why_en) {
  return absl::InvalidArgumentError(absl::StrCat(
      "page_token 无效（", std::string(why_zh),
      "）；请传上一页的 next_page_token，或去掉 page_token 从头列出 / invalid page_token (", std::string(why_en),
      "): pass next_page_token of the previous page of the same list, or start again without page_token"));
}

// Lengths as LEB128 varints: a few bytes for the short names and positions
// a token holds.
void AppendLength(size_t length, std::string& out) {
  while (length >= 0x80) {
    out.push_back(static_cast<char>((length & 0x7f) | 0x80));
    length >>= 7;
  }
  out.push_back(static_cast<char>(length));
}

void AppendString(std::string_view text, std::string& out) {
  AppendLength(text.size(), out);
  out.append(text);
}

// Reads what AppendLength wrote from the front of `in`; nullopt when `in`
// ends first or the varint is not AppendLength's (over 4 bytes, or a
// needless last 0 byte: one spelling per token).
std::optional<size_t> ReadLength(std::string_view& in) {
  size_t length = 0;
  for (int shift = 0, i = 0; i < 4; ++i, shift += 7) {
    if (in.empty()) return std::nullopt;
    const auto byte = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    length |= static_cast<size_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      if (byte == 0 && i > 0) return std::nullopt;
      return length;
    }
  }
  return std::nullopt;
}

std::optional<std::string> ReadString(std::string_view& in) {
  std::optional<size_t> length = ReadLength(in);
  if (!length.has_value() || *length > in.size()) return std::nullopt;
  std::string text(in.substr(0, *length));
  in.remove_prefix(*length);
  return text;
}

bool IsShardName(std::string_view name) {
  return !name.empty() && name.size() <= 63 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '-';
  });
}

// into += amount; false, leaving `into`, when the sum would leave int64.
bool AddAmount(int64_t amount, int64_t& into) { return !__builtin_add_overflow(into, amount, &into); }

absl::Status TooLarge(std::string_view field) {
  return absl::OutOfRangeError(absl::StrCat("各分片汇总之和超出可表示的范围（±9.2×10¹⁸ 分）：", std::string(field),
                                            " / the shards' roll-ups add up past the largest amount a roll-up can "
                                            "hold (±9.2×10¹⁸ fen): ",
                                            std::string(field)));
}

absl::Status NotTheSameRollup(size_t part, std::string_view field, std::string_view first, std::string_view other) {
  return absl::InvalidArgumentError(absl::StrCat(
      "各分片的汇总不是同一汇总：parts[", part, "].", std::string(field), " 为 ", std::string(other), "，parts[0] 为 ",
      std::string(first), "；请向每个分片发同一个 GetRollup / the shards' roll-ups are not of one roll-up: parts[",
      part, "].", std::string(field), " is ", std::string(other), ", parts[0]'s is ", std::string(first),
      ": ask every shard the same GetRollup"));
}

std::string StatusesText(const v1::Rollup& rollup) {
  std::vector<std::string> names;
  for (int status : rollup.statuses()) names.push_back(v1::FilingStatus_Name(static_cast<v1::FilingStatus>(status)));
  return absl::StrCat("[", absl::StrJoin(names, ", "), "]");
}

// Rows of one code made one: the amounts summed, the name from the first
// part naming the code (a shard without the year's catalogue edition leaves
// names empty), the level from the first row.
class RowSum {
 public:
  absl::Status Add(const v1::RollupRow& row, std::string_view field) {
    auto [it, inserted] = rows_.try_emplace(row.code(), row);
    if (inserted) return absl::OkStatus();
    v1::RollupRow& sum = it->second;
    int64_t amount = sum.amount_fen();
    if (!AddAmount(row.amount_fen(), amount)) return TooLarge(absl::StrCat(std::string(field), "[", row.code(), "]"));
    sum.set_amount_fen(amount);
    if (sum.name().empty()) sum.set_name(row.name());
    return absl::OkStatus();
  }
  // Every row, keyed by code.
  std::map<std::string, v1::RollupRow>& rows() { return rows_; }

 private:
  std::map<std::string, v1::RollupRow> rows_;
};

using RowList = google::protobuf::RepeatedPtrField<v1::RollupRow>;

// Classification rows in code order: a 类 ("201") sorts before its 款
// ("20101"), which sorts before its 项 ("2010101") and they all before the
// next 类 ("202"), the order the ledger gives (rollup.proto).
absl::Status MergeCodeRows(const std::vector<v1::Rollup>& parts, const RowList& (v1::Rollup::*rows_of)() const,
                           std::string_view field, RowList& out) {
  RowSum sum;
  for (const v1::Rollup& part : parts) {
    for (const v1::RollupRow& row : (part.*rows_of)()) {
      if (absl::Status added = sum.Add(row, field); !added.ok()) return added;
    }
  }
  for (auto& [code, row] : sum.rows()) *out.Add() = std::move(row);
  return absl::OkStatus();
}

// Source and kind rows in the order of their enum's numbers, as the ledger
// gives them. Their codes are the value names; a ledger writes the number
// for a value it has no name for, and a newer ledger may name a value this
// gateway does not know: those go after every value it knows, by code.
absl::Status MergeEnumRows(const std::vector<v1::Rollup>& parts, const RowList& (v1::Rollup::*rows_of)() const,
                           const google::protobuf::EnumDescriptor* values, std::string_view field, RowList& out) {
  RowSum sum;
  for (const v1::Rollup& part : parts) {
    for (const v1::RollupRow& row : (part.*rows_of)()) {
      if (absl::Status added = sum.Add(row, field); !added.ok()) return added;
    }
  }
  // (unknown, number, code)
  std::vector<std::tuple<bool, int64_t, std::string>> order;
  for (const auto& [code, row] : sum.rows()) {
    int64_t number = 0;
    if (const google::protobuf::EnumValueDescriptor* value = values->FindValueByName(code); value != nullptr) {
      order.emplace_back(false, value->number(), code);
    } else if (absl::SimpleAtoi(AbslView(code), &number)) {
      order.emplace_back(false, number, code);
    } else {
      order.emplace_back(true, 0, code);
    }
  }
  std::sort(order.begin(), order.end());
  for (const auto& [unknown, number, code] : order) *out.Add() = std::move(sum.rows()[code]);
  return absl::OkStatus();
}

// Every field of ThreePublicCosts summed, by reflection: a component added
// to 表4 later is summed without anyone remembering this file. Summing is
// right only for int64 amounts; merge_test.cc fails when a field of another
// kind is added, and here it is refused rather than guessed at. A field with
// presence (total_fen, vehicle_total_fen) is stated when some part states it.
absl::Status MergeThreePublic(const std::vector<v1::Rollup>& parts, v1::Rollup& merged) {
  const bool any = std::any_of(parts.begin(), parts.end(), [](const v1::Rollup& p) { return p.has_three_public(); });
  if (!any) return absl::OkStatus();
  v1::ThreePublicCosts& sum = *merged.mutable_three_public();
  const google::protobuf::Descriptor* costs = v1::ThreePublicCosts::descriptor();
  const google::protobuf::Reflection* reflection = v1::ThreePublicCosts::GetReflection();
  for (int f = 0; f < costs->field_count(); ++f) {
    const google::protobuf::FieldDescriptor* field = costs->field(f);
    if (field->is_repeated() || field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_INT64) {
      return absl::InternalError(absl::StrCat("MergeRollups cannot sum three_public.", field->name(),
                                              ", not an int64 amount: give it its own rule in merge.cc"));
    }
    bool stated = false;
    int64_t total = 0;
    for (const v1::Rollup& part : parts) {
      if (!part.has_three_public()) continue;
      const v1::ThreePublicCosts& costs_of_part = part.three_public();
      if (field->has_presence() && !reflection->HasField(costs_of_part, field)) continue;
      stated = true;
      if (!AddAmount(reflection->GetInt64(costs_of_part, field), total)) {
        return TooLarge(absl::StrCat("three_public.", field->name()));
      }
    }
    if (stated) reflection->SetInt64(&sum, field, total);
  }
  return absl::OkStatus();
}

// `rollup` with every amount of the opposite sign; OUT_OF_RANGE for the one
// int64 amount that has no opposite.
absl::StatusOr<v1::Rollup> Negated(const v1::Rollup& rollup) {
  bool fits = true;
  auto negate = [&fits](int64_t amount) {
    if (amount == std::numeric_limits<int64_t>::min()) fits = false;
    return fits ? -amount : 0;
  };
  v1::Rollup negated = rollup;
  negated.set_budget_count(negate(rollup.budget_count()));
  negated.set_income_fen(negate(rollup.income_fen()));
  negated.set_expenditure_fen(negate(rollup.expenditure_fen()));
  negated.set_basic_fen(negate(rollup.basic_fen()));
  negated.set_project_fen(negate(rollup.project_fen()));
  negated.set_machinery_operating_fen(negate(rollup.machinery_operating_fen()));
  for (RowList* rows : {negated.mutable_functional(), negated.mutable_economic(), negated.mutable_income_by_source(),
                        negated.mutable_expenditure_by_source(), negated.mutable_expenditure_by_kind()}) {
    for (v1::RollupRow& row : *rows) row.set_amount_fen(negate(row.amount_fen()));
  }
  if (negated.has_three_public()) {
    v1::ThreePublicCosts& costs = *negated.mutable_three_public();
    const google::protobuf::Descriptor* descriptor = v1::ThreePublicCosts::descriptor();
    const google::protobuf::Reflection* reflection = v1::ThreePublicCosts::GetReflection();
    for (int f = 0; f < descriptor->field_count(); ++f) {
      const google::protobuf::FieldDescriptor* field = descriptor->field(f);
      // Anything but an int64 amount MergeThreePublic refuses by name.
      if (field->is_repeated() || field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_INT64) continue;
      if (field->has_presence() && !reflection->HasField(costs, field)) continue;
      reflection->SetInt64(&costs, field, negate(reflection->GetInt64(costs, field)));
    }
  }
  if (!fits) return TooLarge("(a roll-up taken away)");
  return negated;
}

void DropZeroRows(v1::Rollup& rollup) {
  for (RowList* rows : {rollup.mutable_functional(), rollup.mutable_economic(), rollup.mutable_income_by_source(),
                        rollup.mutable_expenditure_by_source(), rollup.mutable_expenditure_by_kind()}) {
    rows->erase(
        std::remove_if(rows->begin(), rows->end(), [](const v1::RollupRow& row) { return row.amount_fen() == 0; }),
        rows->end());
  }
}

}  // namespace

MergedCursor::MergedCursor(std::vector<std::string> shard_names) {
  shards_.reserve(shard_names.size());
  for (std::string& name : shard_names) shards_.push_back({.name = std::move(name), .done = false, .position = ""});
}

absl::StatusOr<MergedCursor> MergedCursor::Parse(std::string_view token, std::vector<std::string> shard_names) {
  MergedCursor cursor(std::move(shard_names));
  if (token.empty()) return cursor;
  if (token.substr(0, kTokenPrefix.size()) != kTokenPrefix) {
    return MalformedToken("不是多分片列表的令牌", "not a token of a list over several shards");
  }
  const std::string_view body = token.substr(kTokenPrefix.size());
  std::string bytes;
  // Decoding alone would take padding and spaces too; one spelling per
  // token means the body must be exactly what ToToken writes.
  if (!absl::WebSafeBase64Unescape(AbslView(body), &bytes) || absl::WebSafeBase64Escape(bytes) != body) {
    return MalformedToken("不是 base64", "not web-safe base64");
  }
  std::string_view in = bytes;
  std::optional<size_t> count = ReadLength(in);
  if (!count.has_value()) return MalformedToken("数据不全", "truncated");
  std::vector<ShardPosition> read;
  for (size_t i = 0; i < *count; ++i) {
    std::optional<std::string> name = ReadString(in);
    if (!name.has_value() || in.empty()) return MalformedToken("数据不全", "truncated");
    const char done = in.front();
    in.remove_prefix(1);
    std::optional<std::string> position = ReadString(in);
    if (!position.has_value()) return MalformedToken("数据不全", "truncated");
    if (!IsShardName(*name) || (done != 0 && done != 1) || (done == 1 && !position->empty())) {
      return MalformedToken("内容不合格式", "not in the layout this gateway writes");
    }
    read.push_back({.name = *std::move(name), .done = done == 1, .position = *std::move(position)});
  }
  if (!in.empty()) return MalformedToken("末尾有多余数据", "bytes after the end");
  std::vector<std::string> names_then, names_now;
  for (const ShardPosition& shard : read) names_then.push_back(shard.name);
  for (const ShardPosition& shard : cursor.shards_) names_now.push_back(shard.name);
  if (names_then != names_now) {
    return absl::InvalidArgumentError(absl::StrCat(
        "page_token 写于另一组分片（", absl::StrJoin(names_then, ", "), "），现为（", absl::StrJoin(names_now, ", "),
        "）：分片表在翻页之间变了；请去掉 page_token 从头列出 / page_token was written for other shards (",
        absl::StrJoin(names_then, ", "), "; now ", absl::StrJoin(names_now, ", "),
        "): the shard map changed between pages; start the list again without page_token"));
  }
  cursor.shards_ = std::move(read);
  if (cursor.AllDone()) {
    // The list is over when every shard is: its last page has no token.
    return MalformedToken("每个分片都已列完", "every shard is already done; the last page has no next_page_token");
  }
  return cursor;
}

void MergedCursor::Advance(size_t i, std::string position) {
  shards_[i].done = false;
  shards_[i].position = std::move(position);
}

void MergedCursor::Finish(size_t i) {
  shards_[i].done = true;
  shards_[i].position.clear();
}

bool MergedCursor::AllDone() const {
  return std::all_of(shards_.begin(), shards_.end(), [](const ShardPosition& shard) { return shard.done; });
}

std::string MergedCursor::ToToken() const {
  if (AllDone()) return "";
  std::string bytes;
  AppendLength(shards_.size(), bytes);
  for (const ShardPosition& shard : shards_) {
    AppendString(shard.name, bytes);
    bytes.push_back(shard.done ? 1 : 0);
    AppendString(shard.position, bytes);
  }
  return absl::StrCat(std::string(kTokenPrefix), absl::WebSafeBase64Escape(bytes));
}

absl::StatusOr<v1::Rollup> MergeRollups(const std::vector<v1::Rollup>& parts, const std::vector<int>& signs) {
  if (!signs.empty()) {
    if (signs.size() != parts.size()) {
      return absl::InvalidArgumentError(absl::StrCat("MergeRollups: ", signs.size(), " signs for ", parts.size(),
                                                     " roll-ups; give one sign a roll-up, or none"));
    }
    // A part taken away is added with every amount negated; rows that come
    // to 0 then go, as the ledger writes no row of 0.
    std::vector<v1::Rollup> signed_parts;
    signed_parts.reserve(parts.size());
    for (size_t i = 0; i < parts.size(); ++i) {
      if (signs[i] != 1 && signs[i] != -1) {
        return absl::InvalidArgumentError(absl::StrCat("MergeRollups: sign ", signs[i], " is neither 1 nor -1"));
      }
      if (signs[i] > 0) {
        signed_parts.push_back(parts[i]);
        continue;
      }
      absl::StatusOr<v1::Rollup> negated = Negated(parts[i]);
      if (!negated.ok()) return negated.status();
      signed_parts.push_back(*std::move(negated));
    }
    absl::StatusOr<v1::Rollup> merged = MergeRollups(signed_parts);
    if (merged.ok()) DropZeroRows(*merged);
    return merged;
  }
  if (parts.empty()) {
    return absl::InvalidArgumentError(
        "没有可合并的分片汇总：至少要有一个分片的 GetRollup 回答 / no roll-ups to merge: pass at least one shard's "
        "GetRollup answer");
  }
  const v1::Rollup& first = parts.front();
  for (size_t i = 1; i < parts.size(); ++i) {
    const v1::Rollup& part = parts[i];
    if (part.name() != first.name()) return NotTheSameRollup(i, "name", first.name(), part.name());
    if (part.region_prefix() != first.region_prefix()) {
      return NotTheSameRollup(i, "region_prefix", first.region_prefix(), part.region_prefix());
    }
    if (part.fiscal_year() != first.fiscal_year()) {
      return NotTheSameRollup(i, "fiscal_year", absl::StrCat(first.fiscal_year()), absl::StrCat(part.fiscal_year()));
    }
    if (!std::equal(part.statuses().begin(), part.statuses().end(), first.statuses().begin(), first.statuses().end())) {
      return NotTheSameRollup(i, "statuses", StatusesText(first), StatusesText(part));
    }
  }

  v1::Rollup merged;
  merged.set_name(first.name());
  merged.set_region_prefix(first.region_prefix());
  merged.set_fiscal_year(first.fiscal_year());
  *merged.mutable_statuses() = first.statuses();
  merged.set_read_time_unix_ms(first.read_time_unix_ms());

  struct Amount {
    const char* field;
    int64_t (v1::Rollup::*get)() const;
    void (v1::Rollup::*set)(int64_t);
  };
  static constexpr Amount kAmounts[] = {
      {"budget_count", &v1::Rollup::budget_count, &v1::Rollup::set_budget_count},
      {"income_fen", &v1::Rollup::income_fen, &v1::Rollup::set_income_fen},
      {"expenditure_fen", &v1::Rollup::expenditure_fen, &v1::Rollup::set_expenditure_fen},
      {"basic_fen", &v1::Rollup::basic_fen, &v1::Rollup::set_basic_fen},
      {"project_fen", &v1::Rollup::project_fen, &v1::Rollup::set_project_fen},
      {"machinery_operating_fen", &v1::Rollup::machinery_operating_fen, &v1::Rollup::set_machinery_operating_fen},
  };
  for (const Amount& amount : kAmounts) {
    int64_t total = 0;
    for (const v1::Rollup& part : parts) {
      if (!AddAmount((part.*amount.get)(), total)) return TooLarge(amount.field);
    }
    (merged.*amount.set)(total);
  }
  for (const v1::Rollup& part : parts) {
    merged.set_read_time_unix_ms(std::min(merged.read_time_unix_ms(), part.read_time_unix_ms()));
  }

  const google::protobuf::EnumDescriptor* sources = v1::FundSource_descriptor();
  const google::protobuf::EnumDescriptor* kinds = v1::ExpenditureKind_descriptor();
  absl::Status merged_rows = MergeCodeRows(parts, &v1::Rollup::functional, "functional", *merged.mutable_functional());
  if (merged_rows.ok()) {
    merged_rows = MergeCodeRows(parts, &v1::Rollup::economic, "economic", *merged.mutable_economic());
  }
  if (merged_rows.ok()) {
    merged_rows = MergeEnumRows(parts, &v1::Rollup::income_by_source, sources, "income_by_source",
                                *merged.mutable_income_by_source());
  }
  if (merged_rows.ok()) {
    merged_rows = MergeEnumRows(parts, &v1::Rollup::expenditure_by_source, sources, "expenditure_by_source",
                                *merged.mutable_expenditure_by_source());
  }
  if (merged_rows.ok()) {
    merged_rows = MergeEnumRows(parts, &v1::Rollup::expenditure_by_kind, kinds, "expenditure_by_kind",
                                *merged.mutable_expenditure_by_kind());
  }
  if (!merged_rows.ok()) return merged_rows;
  if (absl::Status costs = MergeThreePublic(parts, merged); !costs.ok()) return costs;
  return merged;
}

}  // namespace yusuan::gateway
