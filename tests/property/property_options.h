// What a property run covers, from the environment, shared by the property
// tests: YUSUAN_PROPERTY_SEED (default 20211), YUSUAN_PROPERTY_DEPARTMENTS
// (default 200, what CI runs) and YUSUAN_PROPERTY_CATALOGUE_DIR (default the
// shipped data/catalogue).
#ifndef YUSUAN_TESTS_PROPERTY_PROPERTY_OPTIONS_H_
#define YUSUAN_TESTS_PROPERTY_PROPERTY_OPTIONS_H_

#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "services/ledger/domain/catalogue.h"

namespace yusuan::synth {

inline uint64_t Seed() {
  const char* text = std::getenv("YUSUAN_PROPERTY_SEED");
  uint64_t seed = 0;
  if (text != nullptr && absl::SimpleAtoi(text, &seed)) return seed;
  return 20211;
}

inline int DepartmentCount() {
  const char* text = std::getenv("YUSUAN_PROPERTY_DEPARTMENTS");
  int n = 0;
  if (text != nullptr && absl::SimpleAtoi(text, &n) && n > 0) return n;
  return 200;
}

inline absl::StatusOr<yusuan::ledger::CatalogueSet> LoadPropertyCatalogues() {
  const char* dir = std::getenv("YUSUAN_PROPERTY_CATALOGUE_DIR");
  return yusuan::ledger::CatalogueSet::LoadFromDirectory(dir != nullptr && *dir != '\0' ? dir
                                                                                        : YUSUAN_DEFAULT_CATALOGUE_DIR);
}

}  // namespace yusuan::synth

#endif  // YUSUAN_TESTS_PROPERTY_PROPERTY_OPTIONS_H_
