// Test fixture: the 2021 classification catalogue of the source tree, loaded
// once (tests are built with YUSUAN_SOURCE_DIR).
#ifndef YUSUAN_SERVICES_LEDGER_DOMAIN_TESTDATA_CATALOGUE_H_
#define YUSUAN_SERVICES_LEDGER_DOMAIN_TESTDATA_CATALOGUE_H_

#include <string>
#include <utility>

#include "gtest/gtest.h"
#include "services/ledger/domain/catalogue.h"

namespace yusuan::ledger::testing {

inline const Catalogue& Catalogue2021() {
  static const Catalogue* const catalogue = [] {
    absl::StatusOr<Catalogue> c = Catalogue::LoadFromFile(std::string(YUSUAN_SOURCE_DIR) + "/data/catalogue/2021.json");
    if (!c.ok()) {
      ADD_FAILURE() << c.status();
      return new Catalogue();
    }
    return new Catalogue(*std::move(c));
  }();
  return *catalogue;
}

}  // namespace yusuan::ledger::testing

#endif  // YUSUAN_SERVICES_LEDGER_DOMAIN_TESTDATA_CATALOGUE_H_
