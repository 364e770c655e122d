// A closed-loop load run against one unary gRPC method.
//
// `in_flight` calls are kept outstanding: each one, as it ends, starts the
// next, until the measured window is over. The calls go through gRPC's
// callback API with the generic stub, so the request is bytes built once
// (request_template.h) and the answer is never parsed: the client's cost per
// call is gRPC's own.
//
// Time line: warm-up (calls made, nothing kept), then the measured window of
// `duration`; then no call is started and the run waits for those still out.
// With `each_once`, the window is the batch: every request sent once.
// Measured are exactly the calls started within the window, each of them
// counted once it ends, whatever its status; throughput is their number over
// the time from the window's start to the last one's end.
#ifndef YUSUAN_BENCH_LOAD_LOAD_H_
#define YUSUAN_BENCH_LOAD_LOAD_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <grpcpp/security/credentials.h>
#include <grpcpp/support/status.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bench/load/latency_histogram.h"

namespace yusuan::load {

struct LoadOptions {
  std::string target;  // HOST:PORT
  // Null: plaintext.
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  // As on the wire: "/yusuan.gateway.v1.PublicApi/GetBudget".
  std::string method;
  // The request message in protobuf JSON.
  std::string request_json = "{}";
  // Several requests (protobuf JSON each), sent in turn, the first call the
  // first, wrapping round; when set, request_json is not used. For writes
  // that must touch different resources (a filing per department).
  std::vector<std::string> request_json_list;
  // Send each request exactly once (request_json_list, or the single
  // request) instead of for `duration`: the run is the batch, measured from
  // its first call to its last answer, with no warm-up. For work that is
  // done once per resource, such as publishing every department.
  bool each_once = false;
  // "" or a top-level string field of the request set to
  // vary_prefix + the call's number, so no two calls send the same value.
  std::string vary_field;
  std::string vary_prefix;
  // Sent as "authorization: Bearer <token>"; "": no such metadata.
  std::string token;
  // More metadata sent with every call (key, value): e.g. the internal
  // credential, to call a backend directly.
  std::vector<std::pair<std::string, std::string>> metadata;
  int in_flight = 1;
  absl::Duration warmup = absl::Seconds(1);
  absl::Duration duration = absl::Seconds(5);
  // Each call's deadline; zero: none (a server that never answers then
  // holds the run's end for ever).
  absl::Duration deadline = absl::Seconds(10);
  // How long the channel may take to connect before the run is given up.
  absl::Duration connect_timeout = absl::Seconds(5);
};

struct ErrorTally {
  int64_t count = 0;
  std::string first_message;  // of the first call that ended with this code
};

struct LoadResult {
  // Calls started in the measured window, all ended.
  int64_t calls = 0;
  int64_t ok = 0;
  // Those that did not end OK, by status code.
  std::map<grpc::StatusCode, ErrorTally> errors;
  // From the window's start to the last measured call's end.
  double seconds = 0;
  double calls_per_second = 0;
  // Of the calls answered OK; an error's latency says little (a refusal is
  // fast, a deadline is the deadline), so errors are only counted.
  LatencyHistogram latency_micros;
  double mean_response_bytes = 0;
  // The client process's user + system CPU over the same span, and that
  // divided by the span: cores busy on average. Near the machine's core
  // count, the client (not the server) is what limits the run.
  double client_cpu_seconds = 0;
  double client_cpu_cores = 0;
  unsigned machine_cores = 0;
};

// INVALID_ARGUMENT for options that cannot make a run (the message names
// the option), UNAVAILABLE when the target cannot be reached within
// connect_timeout. Call errors are results, not a failed run.
absl::StatusOr<LoadResult> RunLoad(const LoadOptions& options);

}  // namespace yusuan::load

#endif  // YUSUAN_BENCH_LOAD_LOAD_H_
