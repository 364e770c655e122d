// Bounds the magnitudes of a budget's money fields so that no sum the
// projections or rules form can overflow.
#ifndef YUSUAN_SERVICES_LEDGER_DOMAIN_AMOUNTS_H_
#define YUSUAN_SERVICES_LEDGER_DOMAIN_AMOUNTS_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "services/common/amount_fields.h"
#include "yusuan/ledger/v1/ledger.pb.h"

namespace yusuan::ledger {

using ::yusuan::ForEachAmountField;
using ::yusuan::kMaxAbsoluteTotalFen;

// OK when Σ|amount| over every money field of `budget` is below
// kMaxAbsoluteTotalFen; INVALID_ARGUMENT naming the first field that crosses it.
absl::Status CheckAmountMagnitudes(const yusuan::ledger::v1::Budget& budget);

// Σ|amount| as a walk of the money fields meets them (ForEachAmountField),
// for a rule that reads the amounts for something else in the same walk.
class AmountMagnitude {
 public:
  // Adds |fen|; true when this is the amount at which the sum reaches
  // kMaxAbsoluteTotalFen (at most once: the sum stops there).
  bool ReachesBound(int64_t fen) {
    if (reached_) return false;
    // |INT64_MIN| is not representable: treat it as over the bound.
    const int64_t magnitude = fen == INT64_MIN ? kMaxAbsoluteTotalFen : (fen < 0 ? -fen : fen);
    reached_ = magnitude >= kMaxAbsoluteTotalFen - total_;
    if (!reached_) total_ += magnitude;
    return reached_;
  }

 private:
  int64_t total_ = 0;
  bool reached_ = false;
};

// The path ("budget.expenditureLines[3].amountFen") of the field at which
// Σ|amount|, in field order, reaches kMaxAbsoluteTotalFen; "" when none does.
std::string FirstAmountPastMagnitude(const yusuan::ledger::v1::Budget& budget);

}  // namespace yusuan::ledger

#endif  // YUSUAN_SERVICES_LEDGER_DOMAIN_AMOUNTS_H_
