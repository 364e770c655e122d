// Walks every money field (int64 `*_fen`) of a message, and bounds the
// magnitudes so that no sum the projections or rules form can overflow.
#ifndef YUSUAN_SERVICES_LEDGER_DOMAIN_AMOUNTS_H_
#define YUSUAN_SERVICES_LEDGER_DOMAIN_AMOUNTS_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "google/protobuf/message.h"
#include "yusuan/ledger/v1/ledger.pb.h"

namespace yusuan::ledger {

// Σ|amount| over a whole budget must stay below this (2^62 分 ≈ 4.6×10^16 元,
// far beyond any real budget): then every partial sum and every difference of
// two sums fits in int64.
inline constexpr int64_t kMaxAbsoluteTotalFen = int64_t{1} << 62;

// Calls `fn(path, value)` for every set int64 field whose name ends in "_fen",
// depth first in field-number order. Paths use protobuf JSON names rooted at
// `root` ("budget.expenditureLines[3].amountFen").
void ForEachAmountField(const google::protobuf::Message& message, const std::string& root,
                        const std::function<void(const std::string& path, int64_t fen)>& fn);

// OK when Σ|amount| over every money field of `budget` is below
// kMaxAbsoluteTotalFen; INVALID_ARGUMENT naming the first field that crosses it.
absl::Status CheckAmountMagnitudes(const yusuan::ledger::v1::Budget& budget);

}  // namespace yusuan::ledger

#endif  // YUSUAN_SERVICES_LEDGER_DOMAIN_AMOUNTS_H_
