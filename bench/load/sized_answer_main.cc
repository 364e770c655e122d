// yusuan-sized-answer: answers every gRPC call, of any method, with the same
// N bytes from memory, and grpc.health.v1 Check with SERVING; the floor
// bench/stack.sh measures each read of the stack against
// (bench/README.md § yusuan-sized-answer).
//   yusuan-sized-answer --port 50099 --answer_bytes 67000
#include <pthread.h>

#include <csignal>
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "bench/load/sized_answer.h"

ABSL_FLAG(int, port, 0, "Loopback port to listen on (required)");
ABSL_FLAG(int64_t, answer_bytes, 0, "Bytes of every answer (0 or more)");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const int port = absl::GetFlag(FLAGS_port);
  const int64_t answer_bytes = absl::GetFlag(FLAGS_answer_bytes);
  if (port <= 0 || port > 65535) {
    std::cerr << "yusuan-sized-answer: --port must be a port number (1–65535), not " << port << "\n";
    return 2;
  }
  // gRPC's own limit on a message (4 MB by default) applies to the client.
  constexpr int64_t kMaxAnswer = int64_t{4} << 20;
  if (answer_bytes < 0 || answer_bytes > kMaxAnswer) {
    std::cerr << "yusuan-sized-answer: --answer_bytes must be 0 to " << kMaxAnswer << ", not " << answer_bytes << "\n";
    return 2;
  }
  // Blocked before gRPC starts its threads, which inherit the mask: the
  // signal waits for sigwait below.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  grpc::EnableDefaultHealthCheckService(true);
  yusuan::load::SizedAnswerService service(static_cast<size_t>(answer_bytes));
  grpc::ServerBuilder builder;
  int bound = 0;
  builder.AddListeningPort("127.0.0.1:" + std::to_string(port), grpc::InsecureServerCredentials(), &bound);
  builder.RegisterCallbackGenericService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || bound == 0) {
    std::cerr << "yusuan-sized-answer: cannot listen on 127.0.0.1:" << port << "\n";
    return 1;
  }
  // Until SIGTERM or SIGINT.
  int signal = 0;
  sigwait(&stop, &signal);
  server->Shutdown();
  return 0;
}
