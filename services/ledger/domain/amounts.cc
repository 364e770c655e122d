#include "services/ledger/domain/amounts.h"

#include "absl/strings/str_cat.h"

namespace yusuan::ledger {
std::string FirstAmountPastMagnitude(const yusuan::ledger::v1::Budget& budget) {
  AmountMagnitude magnitude;
  std::string first_over;
  ForEachAmountField(budget, "budget", [&](const FieldPath& path, int64_t fen) {
    if (magnitude.ReachesBound(fen)) first_over = path.ToString();
  });
  return first_over;
}

absl::Status CheckAmountMagnitudes(const yusuan::ledger::v1::Budget& budget) {
  const std::string first_over = FirstAmountPastMagnitude(budget);
  if (first_over.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      first_over, ": amounts are too large (the absolute amounts of the budget add up to 2^62 分 or more)"));
}

}  // namespace yusuan::ledger
