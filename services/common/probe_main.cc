// yusuan-probe: asks a server for its health (grpc.health.v1) or lists its
// services through reflection. Used by deploy/local/up.sh and the tests.
//   yusuan-probe --address 127.0.0.1:50061 [--service NAME] [--wait_ms 30000]
//   yusuan-probe --address 127.0.0.1:50061 --list_services
//   … --tls_ca_file CA.pem [--tls_cert_file C.pem --tls_key_file K.pem]
//     [--tls_server_name NAME]   for a TLS server (mutual TLS with the client pair)
#include <chrono>
#include <iostream>
#include <string>
#include <thread>

#include <grpcpp/grpcpp.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "services/common/tls.h"

ABSL_FLAG(std::string, address, "127.0.0.1:50051", "Server address HOST:PORT");
ABSL_FLAG(std::string, service, "", "Service to check ('' = the whole server)");
ABSL_FLAG(int, wait_ms, 0, "Keep asking until SERVING or this many ms have passed");
ABSL_FLAG(bool, list_services, false, "List services through reflection and exit");
ABSL_FLAG(std::string, tls_ca_file, "", "Talk TLS; the server's certificate must chain to this CA (PEM)");
ABSL_FLAG(std::string, tls_cert_file, "",
          "Client certificate (PEM) for a server that requires one (with --tls_key_file)");
ABSL_FLAG(std::string, tls_key_file, "", "Private key of --tls_cert_file (PEM)");
ABSL_FLAG(std::string, tls_server_name, "",
          "Expect this name in the server's certificate instead of the address's host");

namespace {

int ListServices(const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = grpc::reflection::v1alpha::ServerReflection::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  auto stream = stub->ServerReflectionInfo(&context);
  grpc::reflection::v1alpha::ServerReflectionRequest request;
  request.set_list_services("");
  // A server without reflection may end the stream before this write goes
  // out; Finish then says why.
  if (stream->Write(request)) stream->WritesDone();
  grpc::reflection::v1alpha::ServerReflectionResponse response;
  int count = 0;
  while (stream->Read(&response)) {
    for (const auto& service : response.list_services_response().service()) {
      std::cout << service.name() << "\n";
      ++count;
    }
  }
  grpc::Status status = stream->Finish();
  if (!status.ok()) {
    std::cerr << "reflection failed: " << status.error_message() << "\n";
    return 1;
  }
  return count > 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string address = absl::GetFlag(FLAGS_address);
  // A server that is still starting refuses the first connection, and a
  // channel that was refused waits about 5 s before it connects again
  // (Debian's gRPC 1.51, whatever the reconnect backoff arguments say): each
  // attempt below gets a channel of its own, with a subchannel of its own,
  // so SERVING is seen as soon as it is true.
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  const yusuan::ChannelTlsFlags tls{{"--tls_ca_file", absl::GetFlag(FLAGS_tls_ca_file)},
                                    {"--tls_cert_file", absl::GetFlag(FLAGS_tls_cert_file)},
                                    {"--tls_key_file", absl::GetFlag(FLAGS_tls_key_file)}};
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials = yusuan::ChannelCredentialsFromFlags(tls);
  if (!credentials.ok()) {
    std::cerr << "yusuan-probe: " << credentials.status().message() << "\n";
    return 2;
  }
  if (const std::string name = absl::GetFlag(FLAGS_tls_server_name); !name.empty()) {
    arguments.SetSslTargetNameOverride(name);
  }
  if (absl::GetFlag(FLAGS_list_services)) {
    return ListServices(grpc::CreateCustomChannel(address, *credentials, arguments));
  }

  const auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(absl::GetFlag(FLAGS_wait_ms));
  std::string last_error;
  do {
    auto stub = grpc::health::v1::Health::NewStub(grpc::CreateCustomChannel(address, *credentials, arguments));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(absl::GetFlag(FLAGS_service));
    grpc::health::v1::HealthCheckResponse response;
    grpc::Status status = stub->Check(&context, request, &response);
    if (status.ok() && response.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
      std::cout << address << " SERVING\n";
      return 0;
    }
    last_error = status.ok() ? grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status())
                             : status.error_message();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  } while (std::chrono::steady_clock::now() < give_up);
  std::cerr << address << " not serving: " << last_error << "\n";
  return 1;
}
