// A gtest suite base that runs one Cluster for all the tests of a suite:
// started before the first test (in a temporary directory), stopped after the
// last; each test fails at once, with the services' log tail, when it did not
// come up. `Suite` is the deriving class, so each suite has its own cluster.
#ifndef YUSUAN_TESTS_INTEGRATION_SHARED_CLUSTER_H_
#define YUSUAN_TESTS_INTEGRATION_SHARED_CLUSTER_H_

#include <string>

#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace yusuan::testing {

template <typename Suite>
class SharedClusterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    cluster_ = new Cluster(dir_->path());
    std::string error;
    started_ = cluster_->Start(&error);
    start_error_ = error;
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(started_) << start_error_; }

  static inline TempDir* dir_ = nullptr;
  static inline Cluster* cluster_ = nullptr;
  static inline bool started_ = false;
  static inline std::string start_error_;
};

}  // namespace yusuan::testing

#endif  // YUSUAN_TESTS_INTEGRATION_SHARED_CLUSTER_H_
