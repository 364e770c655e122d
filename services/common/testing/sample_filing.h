// The reference department's filing as a gateway.v1.Filing, for tests that
// mutate a whole filing and link the gateway messages (yusuan_proto_grpc).
// Built from the one strict parse of reference_filing.h.
#ifndef YUSUAN_SERVICES_COMMON_TESTING_SAMPLE_FILING_H_
#define YUSUAN_SERVICES_COMMON_TESTING_SAMPLE_FILING_H_

#include "services/common/testing/reference_filing.h"
#include "yusuan/gateway/v1/gateway.pb.h"

namespace yusuan::testing {

inline const yusuan::gateway::v1::Filing& SampleFiling() {
  static const auto* const filing = [] {
    const ReferenceFilingParts& parts = ReferenceFiling();
    auto* out = new yusuan::gateway::v1::Filing();
    *out->mutable_department() = parts.department;
    *out->mutable_budget() = parts.budget;
    *out->mutable_goals() = parts.goals;
    out->set_note(parts.note);
    return out;
  }();
  return *filing;
}

}  // namespace yusuan::testing

#endif  // YUSUAN_SERVICES_COMMON_TESTING_SAMPLE_FILING_H_
