// One row of the table bench/run.sh prints: a path's figure, the baseline
// measured in the same run and the ratio of the two, appended as a JSON
// line to the file YUSUAN_BENCH_ROWS names (nothing when it is unset, as
// when a benchmark is run by hand and only its own table is wanted).
#ifndef YUSUAN_BENCH_RESULT_ROWS_H_
#define YUSUAN_BENCH_RESULT_ROWS_H_

#include <cstdlib>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

namespace yusuan::bench {

struct ResultRow {
  std::string group;  // the benchmark: "store", "render", "ledger", "index"
  std::string path;   // what Yusuan did
  double value = 0;   // its figure, in `unit`
  std::string unit;   // "writes/s", "ms", …
  bool higher_is_better = true;
  std::string baseline;  // what it is compared with, measured in the same run
  double baseline_value = 0;
};

inline void EmitRow(const ResultRow& row) {
  const char* file = std::getenv("YUSUAN_BENCH_ROWS");
  if (file == nullptr || *file == '\0') return;
  nlohmann::ordered_json line = {{"group", row.group},
                                 {"path", row.path},
                                 {"value", row.value},
                                 {"unit", row.unit},
                                 {"higher_is_better", row.higher_is_better},
                                 {"baseline", row.baseline},
                                 {"baseline_value", row.baseline_value},
                                 {"ratio", row.baseline_value != 0 ? row.value / row.baseline_value : 0.0}};
  std::ofstream(file, std::ios::app) << line.dump() << '\n';
}

}  // namespace yusuan::bench

#endif  // YUSUAN_BENCH_RESULT_ROWS_H_
