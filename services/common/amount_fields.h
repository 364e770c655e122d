// Every money field of a message: the int64 fields named `*_fen`
// (architecture.md: money is int64 分, and the field says so).
#ifndef YUSUAN_SERVICES_COMMON_AMOUNT_FIELDS_H_
#define YUSUAN_SERVICES_COMMON_AMOUNT_FIELDS_H_

#include <cstdint>
#include <string>

#include "absl/functional/function_ref.h"
#include "google/protobuf/message.h"
#include "services/common/message_walk.h"

namespace yusuan {

// Σ|amount| over a whole budget (or goal set) must stay below this (2^62 分
// ≈ 4.6×10^16 元, far beyond any real budget): then every partial sum and
// every difference of two sums fits in int64.
inline constexpr int64_t kMaxAbsoluteTotalFen = int64_t{1} << 62;

// Calls `fn(path, value)` for every set int64 field whose name ends in "_fen",
// depth first in field-number order. `path.ToString()` spells the field with
// protobuf JSON names rooted at `root` ("budget.expenditureLines[3].amountFen").
void ForEachAmountField(const google::protobuf::Message& message, const std::string& root,
                        absl::FunctionRef<void(const FieldPath& path, int64_t fen)> fn);

}  // namespace yusuan

#endif  // YUSUAN_SERVICES_COMMON_AMOUNT_FIELDS_H_
