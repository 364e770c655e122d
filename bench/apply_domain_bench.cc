// The domain work of one ApplyFiling on the reference filing, as plain C++
// with no gRPC or RocksDB: the ledger's rules with the projection of the
// eight tables and their identities (ValidateFiling), the goal sheets' rules
// (ValidateGoalSet, in the goals service) and the goals ↔ ledger rules
// (ValidateGoalsAgainstBudget, in the gateway), against the least any
// service does with the same filing: parse its bytes and serialize them
// again. Each figure is the median of repeated runs (min and max shown), in
// microseconds per call.
//   apply_domain_bench [--calls N] [--runs N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "bench/result_rows.h"
#include "services/common/testing/reference_filing.h"
#include "services/cross_rules/cross_rules.h"
#include "services/goals/domain/rules.h"
#include "services/ledger/domain/catalogue.h"
#include "services/ledger/domain/rules.h"

namespace {

struct Spread {
  double median = 0, min = 0, max = 0;
};

// Microseconds per call of `work`, `calls` calls a run.
Spread MicrosPerCall(int runs, int calls, const std::function<size_t()>& work) {
  std::vector<double> us;
  size_t sink = 0;
  for (int r = 0; r < runs; ++r) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < calls; ++i) sink += work();
    us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() / calls);
  }
  // Kept, so the work is not optimized away.
  if (sink == 1) std::fputc(' ', stderr);
  std::sort(us.begin(), us.end());
  return {us[us.size() / 2], us.front(), us.back()};
}

}  // namespace

int main(int argc, char** argv) {
  int calls = 2000;
  int runs = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    const bool ok = (std::strcmp(argv[i], "--calls") == 0 && absl::SimpleAtoi(argv[i + 1], &calls)) ||
                    (std::strcmp(argv[i], "--runs") == 0 && absl::SimpleAtoi(argv[i + 1], &runs));
    if (!ok || calls < 1 || runs < 1) {
      std::fprintf(stderr, "usage: apply_domain_bench [--calls N] [--runs N]\n");
      return 2;
    }
  }
  auto catalogues = yusuan::ledger::CatalogueSet::LoadFromDirectory(YUSUAN_SOURCE_DIR "/data/catalogue");
  if (!catalogues.ok()) {
    std::fprintf(stderr, "data/catalogue: %s\n", std::string(catalogues.status().message()).c_str());
    return 1;
  }
  const auto& department = yusuan::testing::ReferenceDepartment();
  const auto& budget = yusuan::testing::ReferenceBudget();
  const auto& goals = yusuan::testing::ReferenceGoals();
  const std::string department_bytes = department.SerializeAsString();
  const std::string budget_bytes = budget.SerializeAsString();
  const std::string goals_bytes = goals.SerializeAsString();

  // The rules must pass the reference filing: a benchmark of a refusal
  // would measure the wrong path.
  const auto ledger_report = yusuan::ledger::ValidateFiling(department, budget, *catalogues);
  const auto goals_report = yusuan::goals::ValidateGoalSet(goals);
  const auto cross_report = yusuan::cross_rules::ValidateGoalsAgainstBudget(goals, budget);
  for (const auto* report : {&ledger_report, &goals_report, &cross_report}) {
    if (report->fatal_count() != 0) {
      std::fprintf(stderr, "the reference filing has %d fatal findings: %s\n", report->fatal_count(),
                   report->findings(0).message_en().c_str());
      return 1;
    }
  }

  const Spread baseline = MicrosPerCall(runs, calls, [&] {
    yusuan::ledger::v1::Department d;
    yusuan::ledger::v1::Budget b;
    yusuan::goals::v1::GoalSet g;
    d.ParseFromString(department_bytes);
    b.ParseFromString(budget_bytes);
    g.ParseFromString(goals_bytes);
    return d.SerializeAsString().size() + b.SerializeAsString().size() + g.SerializeAsString().size();
  });
  struct Path {
    const char* name;
    std::function<size_t()> work;
  };
  const std::vector<Path> paths = {
      {"ledger rules and the projection (ValidateFiling)",
       [&] {
         return static_cast<size_t>(yusuan::ledger::ValidateFiling(department, budget, *catalogues).info_count());
       }},
      {"goal sheets' rules (ValidateGoalSet)",
       [&] { return static_cast<size_t>(yusuan::goals::ValidateGoalSet(goals).info_count()); }},
      {"goals ↔ ledger rules (ValidateGoalsAgainstBudget)",
       [&] {
         return static_cast<size_t>(yusuan::cross_rules::ValidateGoalsAgainstBudget(goals, budget).info_count());
       }},
  };
  std::printf("apply_domain_bench: the reference filing (%zu + %zu + %zu bytes), %d calls a run, median of %d runs\n",
              department_bytes.size(), budget_bytes.size(), goals_bytes.size(), calls, runs);
  std::printf("%-52s %10s %18s %8s\n", "path", "µs/call", "(min–max)", "× base");
  const std::string baseline_name = "parse and serialize the filing (protobuf)";
  std::printf("%-52s %10.1f %8.1f–%-9.1f %8s\n", baseline_name.c_str(), baseline.median, baseline.min, baseline.max,
              "1.00");
  double total = 0;
  for (const Path& path : paths) {
    const Spread spread = MicrosPerCall(runs, calls, path.work);
    total += spread.median;
    std::printf("%-52s %10.1f %8.1f–%-9.1f %8.2f\n", path.name, spread.median, spread.min, spread.max,
                spread.median / baseline.median);
    yusuan::bench::EmitRow({"domain", path.name, spread.median, "µs", false, baseline_name, baseline.median});
  }
  // Each runs once an apply, each in one service.
  const double per_apply = total;
  std::printf("%-52s %10.1f %18s %8.2f\n", "one apply's rules, every service", per_apply, "",
              per_apply / baseline.median);
  yusuan::bench::EmitRow(
      {"domain", "one apply's rules, every service", per_apply, "µs", false, baseline_name, baseline.median});
  return 0;
}
