// The reference department's filing (data/samples/qingshan-kexie-2021.json,
// 武汉市青山区科学技术协会 2021) as the fixtures of every test read it: parsed
// once, strictly, from the source tree named by YUSUAN_SOURCE_DIR.
//
// The file is a gateway.v1.Filing, but its parts are parsed into the ledger
// and goals messages (yusuan_proto_messages) so that a domain test, and the
// render benchmark, need not link the gateway's contract or GoogleTest. A
// filing that does not parse is a broken tree, not a failing case: it stops
// the binary, naming the file and the field.
#ifndef YUSUAN_SERVICES_COMMON_TESTING_REFERENCE_FILING_H_
#define YUSUAN_SERVICES_COMMON_TESTING_REFERENCE_FILING_H_

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"
#include "yusuan/goals/v1/goals.pb.h"
#include "yusuan/ledger/v1/ledger.pb.h"

#ifndef YUSUAN_SOURCE_DIR
#error "YUSUAN_SOURCE_DIR must name the source tree (the target's SOURCE_DIR)"
#endif

namespace yusuan::testing {

struct ReferenceFilingParts {
  yusuan::ledger::v1::Department department;
  yusuan::ledger::v1::Budget budget;
  yusuan::goals::v1::GoalSet goals;
  std::string note;
};

namespace reference_filing_internal {

[[noreturn]] inline void Fail(const std::string& what) {
  std::fprintf(stderr, "data/samples/qingshan-kexie-2021.json: %s\n", what.c_str());
  std::abort();
}

// As strict as parsing the whole file as a Filing: an unknown field anywhere
// fails.
inline void ParsePart(const nlohmann::json& part, const char* name, google::protobuf::Message* out) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(part.dump(), out, options);
  if (!status.ok()) Fail(std::string(name) + ": " + status.ToString());
}

}  // namespace reference_filing_internal

inline const ReferenceFilingParts& ReferenceFiling() {
  static const auto* const parts = [] {
    namespace internal = reference_filing_internal;
    std::ifstream in(std::string(YUSUAN_SOURCE_DIR) + "/data/samples/qingshan-kexie-2021.json");
    std::ostringstream text;
    text << in.rdbuf();
    const nlohmann::json json = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
    if (!json.is_object()) internal::Fail("not a JSON object");
    auto* out = new ReferenceFilingParts();
    for (const auto& [key, value] : json.items()) {
      if (key == "department") {
        internal::ParsePart(value, "department", &out->department);
      } else if (key == "budget") {
        internal::ParsePart(value, "budget", &out->budget);
      } else if (key == "goals") {
        internal::ParsePart(value, "goals", &out->goals);
      } else if (key == "note" && value.is_string()) {
        out->note = value.get<std::string>();
      } else {
        internal::Fail("unexpected field \"" + key + "\" (a Filing has department, budget, goals, note)");
      }
    }
    return out;
  }();
  return *parts;
}

inline const yusuan::ledger::v1::Department& ReferenceDepartment() { return ReferenceFiling().department; }
inline const yusuan::ledger::v1::Budget& ReferenceBudget() { return ReferenceFiling().budget; }
inline const yusuan::goals::v1::GoalSet& ReferenceGoals() { return ReferenceFiling().goals; }

}  // namespace yusuan::testing

#endif  // YUSUAN_SERVICES_COMMON_TESTING_REFERENCE_FILING_H_
