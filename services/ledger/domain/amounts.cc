#include "services/ledger/domain/amounts.h"

#include "absl/strings/str_cat.h"

namespace yusuan::ledger {
std::string FirstAmountPastMagnitude(const yusuan::ledger::v1::Budget& budget) {
  int64_t total = 0;
  std::string first_over;
  ForEachAmountField(budget, "budget", [&](const std::string& path, int64_t fen) {
    if (!first_over.empty()) return;
    // |INT64_MIN| is not representable: treat it as over the bound.
    const bool too_big = fen == INT64_MIN || (fen < 0 ? -fen : fen) >= kMaxAbsoluteTotalFen - total;
    if (too_big) {
      first_over = path;
    } else {
      total += fen < 0 ? -fen : fen;
    }
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
