#include "bench/load/load.h"

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/channel_arguments.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "bench/load/request_template.h"
#include "services/common/mutex.h"

namespace yusuan::load {
namespace {

using Clock = std::chrono::steady_clock;

double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& time) {
    return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// What one slot saw of the measured calls.
struct CallTally {
  int64_t calls = 0;
  int64_t ok = 0;
  std::map<grpc::StatusCode, ErrorTally> errors;
  LatencyHistogram latency_micros;
  uint64_t response_bytes = 0;
  Clock::time_point last_end;
};

// One of the calls kept in flight. Only its own completion callback touches
// it, and callbacks of one slot never overlap (the next call starts at the
// end of the last callback), so it needs no lock.
struct Slot {
  std::unique_ptr<grpc::ClientContext> context;
  grpc::ByteBuffer request;
  grpc::ByteBuffer response;
  Clock::time_point started;
  CallTally tally;
};

class LoadRun {
 public:
  LoadRun(const LoadOptions& options, const std::vector<RequestTemplate>& requests,
          std::shared_ptr<grpc::Channel> channel)
      : options_(options),
        requests_(requests),
        stub_(std::move(channel)),
        slots_(static_cast<size_t>(options.in_flight)) {}

  LoadResult Run() {
    const Clock::time_point begin = Clock::now();
    window_start_ = begin + absl::ToChronoNanoseconds(options_.warmup);
    window_end_ =
        options_.each_once ? Clock::time_point::max() : window_start_ + absl::ToChronoNanoseconds(options_.duration);
    {
      MutexLock lock(&mu_);
      running_slots_ = options_.in_flight;
    }
    for (Slot& slot : slots_) {
      if (!Start(slot)) SlotDone();
    }

    std::this_thread::sleep_until(window_start_);
    const double cpu_at_start = ProcessCpuSeconds();
    {
      MutexLock lock(&mu_);
      mu_.Await([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return running_slots_ == 0; });
    }
    const Clock::time_point drained = Clock::now();
    const double cpu_seconds = ProcessCpuSeconds() - cpu_at_start;
    return Summarize(cpu_seconds, std::chrono::duration<double>(drained - window_start_).count());
  }

 private:
  // False when there is nothing left to send (each_once): the slot is done.
  bool Start(Slot& slot) {
    const uint64_t number = next_call_number_.fetch_add(1, std::memory_order_relaxed);
    if (options_.each_once && number >= requests_.size()) return false;
    slot.context = std::make_unique<grpc::ClientContext>();
    if (options_.deadline > absl::ZeroDuration()) {
      slot.context->set_deadline(std::chrono::system_clock::now() + absl::ToChronoNanoseconds(options_.deadline));
    }
    if (!options_.token.empty()) slot.context->AddMetadata("authorization", "Bearer " + options_.token);
    for (const auto& [key, value] : options_.metadata) slot.context->AddMetadata(key, value);
    const RequestTemplate& request = requests_[number % requests_.size()];
    if (request.varies()) {
      slot.request = request.Payload(absl::StrCat(options_.vary_prefix, number));
    } else {
      slot.request = request.Payload({});
    }
    slot.response.Clear();
    slot.started = Clock::now();
    // The callback form of the generic stub (gRPC ≥ 1.31's TemplatedGenericStub
    // ::UnaryCall): gRPC runs the callback on its own threads, never inline
    // in this call, so starting the next call from it does not recurse.
    stub_.UnaryCall(slot.context.get(), options_.method, grpc::StubOptions(), &slot.request, &slot.response,
                    [this, &slot](grpc::Status status) { Ended(slot, status); });
    return true;
  }

  void SlotDone() {
    MutexLock lock(&mu_);
    --running_slots_;
  }

  // A callback: must not block. Replacing the slot's context here is safe:
  // gRPC's completion tag holds its own reference to the finished call.
  void Ended(Slot& slot, const grpc::Status& status) {
    const Clock::time_point ended = Clock::now();
    if (slot.started >= window_start_) {
      CallTally& tally = slot.tally;
      ++tally.calls;
      tally.last_end = std::max(tally.last_end, ended);
      if (status.ok()) {
        ++tally.ok;
        tally.latency_micros.Record(
            static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(ended - slot.started).count()));
        tally.response_bytes += slot.response.Length();
      } else {
        ErrorTally& error = tally.errors[status.error_code()];
        if (error.count++ == 0) error.first_message = status.error_message();
      }
    }
    if ((options_.each_once || ended < window_end_) && Start(slot)) return;
    SlotDone();
  }

  LoadResult Summarize(double cpu_seconds, double cpu_wall_seconds) const {
    LoadResult result;
    Clock::time_point last_end = window_start_;
    uint64_t response_bytes = 0;
    for (const Slot& slot : slots_) {
      const CallTally& tally = slot.tally;
      result.calls += tally.calls;
      result.ok += tally.ok;
      for (const auto& [code, error] : tally.errors) {
        ErrorTally& total = result.errors[code];
        if (total.count == 0) total.first_message = error.first_message;
        total.count += error.count;
      }
      result.latency_micros.Merge(tally.latency_micros);
      response_bytes += tally.response_bytes;
      last_end = std::max(last_end, tally.last_end);
    }
    result.seconds = std::chrono::duration<double>(last_end - window_start_).count();
    if (result.seconds > 0) result.calls_per_second = static_cast<double>(result.calls) / result.seconds;
    if (result.ok > 0) result.mean_response_bytes = static_cast<double>(response_bytes) / result.ok;
    result.client_cpu_seconds = cpu_seconds;
    if (cpu_wall_seconds > 0) result.client_cpu_cores = cpu_seconds / cpu_wall_seconds;
    result.machine_cores = std::thread::hardware_concurrency();
    return result;
  }

  const LoadOptions& options_;
  const std::vector<RequestTemplate>& requests_;
  grpc::GenericStub stub_;
  // Never resized: callbacks hold references to its elements.
  std::vector<Slot> slots_;
  std::atomic<uint64_t> next_call_number_{0};
  Clock::time_point window_start_;
  Clock::time_point window_end_;
  Mutex mu_;
  int running_slots_ ABSL_GUARDED_BY(mu_) = 0;
};

absl::Status CheckOptions(const LoadOptions& options) {
  if (options.target.empty()) return absl::InvalidArgumentError("--target is required (HOST:PORT)");
  if (options.in_flight < 1) return absl::InvalidArgumentError("--in_flight must be at least 1");
  if (options.each_once && options.warmup != absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--each_once sends every request once: --warmup_seconds must be 0");
  }
  if (!options.each_once && options.duration <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--seconds must be above 0");
  }
  if (options.warmup < absl::ZeroDuration()) return absl::InvalidArgumentError("--warmup_seconds must not be below 0");
  if (options.deadline < absl::ZeroDuration()) return absl::InvalidArgumentError("--deadline_ms must not be below 0");
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<LoadResult> RunLoad(const LoadOptions& options) {
  if (absl::Status checked = CheckOptions(options); !checked.ok()) return checked;
  std::vector<RequestTemplate> requests;
  const std::vector<std::string> jsons =
      options.request_json_list.empty() ? std::vector<std::string>{options.request_json} : options.request_json_list;
  for (size_t i = 0; i < jsons.size(); ++i) {
    absl::StatusOr<RequestTemplate> request = RequestTemplate::Create(options.method, jsons[i], options.vary_field);
    if (!request.ok()) {
      if (jsons.size() == 1) return request.status();
      return absl::Status(request.status().code(),
                          absl::StrCat("request ", i + 1, " of ", jsons.size(), ": ", request.status().message()));
    }
    requests.push_back(*std::move(request));
  }

  grpc::ChannelArguments arguments;
  // A rendered report or an export can exceed gRPC's default 4 MB.
  arguments.SetMaxReceiveMessageSize(-1);
  std::shared_ptr<grpc::Channel> channel = grpc::CreateCustomChannel(
      options.target, options.credentials ? options.credentials : grpc::InsecureChannelCredentials(), arguments);
  // Connecting is not the server's work under load: done before the clock
  // starts, and a target that is down ends the run here instead of filling
  // it with UNAVAILABLE.
  if (!channel->WaitForConnected(std::chrono::system_clock::now() +
                                 absl::ToChronoNanoseconds(options.connect_timeout))) {
    return absl::UnavailableError(
        absl::StrCat("cannot connect to ", options.target, " within ", absl::FormatDuration(options.connect_timeout)));
  }
  LoadRun run(options, requests, std::move(channel));
  return run.Run();
}

}  // namespace yusuan::load
