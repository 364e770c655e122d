// The reference department's filing (data/samples/qingshan-kexie-2021.json)
// as the tests read it: parsed once, strictly (an unknown field fails the
// test), from the source tree named by YUSUAN_SOURCE_DIR. Header only, for
// tests that link the gateway messages (yusuan_proto_grpc).
#ifndef YUSUAN_SERVICES_COMMON_TESTING_SAMPLE_FILING_H_
#define YUSUAN_SERVICES_COMMON_TESTING_SAMPLE_FILING_H_

#include <fstream>
#include <sstream>
#include <string>

#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "yusuan/gateway/v1/gateway.pb.h"

#ifndef YUSUAN_SOURCE_DIR
#error "YUSUAN_SOURCE_DIR must name the source tree (the test target's SOURCE_DIR)"
#endif

namespace yusuan::testing {

inline const yusuan::gateway::v1::Filing& SampleFiling() {
  static const auto* const filing = [] {
    std::ifstream in(std::string(YUSUAN_SOURCE_DIR) + "/data/samples/qingshan-kexie-2021.json");
    std::ostringstream text;
    text << in.rdbuf();
    auto* parsed = new yusuan::gateway::v1::Filing();
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    const auto status = google::protobuf::util::JsonStringToMessage(text.str(), parsed, options);
    EXPECT_TRUE(status.ok()) << "data/samples/qingshan-kexie-2021.json: " << status.ToString();
    return parsed;
  }();
  return *filing;
}

}  // namespace yusuan::testing

#endif  // YUSUAN_SERVICES_COMMON_TESTING_SAMPLE_FILING_H_
