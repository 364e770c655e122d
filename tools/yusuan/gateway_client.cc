#include "tools/yusuan/gateway_client.h"

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "services/client/client.h"
#include "services/common/tls.h"
#include "tools/yusuan/exit_codes.h"

namespace yusuan::cli {
namespace {

// The environment variable's value; "" when unset.
std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

}  // namespace

absl::StatusOr<GatewayOptions> ResolveGateway(const Args& args) {
  GatewayOptions options;
  options.address = args.gateway;
  if (options.address.empty()) options.address = Env("YUSUAN_GATEWAY");
  if (options.address.empty() && !Env("YUSUAN_GRPC_PORT").empty()) {
    options.address = absl::StrCat("127.0.0.1:", Env("YUSUAN_GRPC_PORT"));
  }
  if (options.address.empty()) options.address = "127.0.0.1:50051";
  options.token = args.token.empty() ? Env("YUSUAN_TOKEN") : args.token;
  // The error names where the CA came from, so a stale variable is found.
  std::string ca_file = args.tls_ca_file;
  std::string ca_source = "--tls_ca_file";
  if (ca_file.empty()) {
    ca_file = Env("YUSUAN_TLS_CA");
    if (!ca_file.empty()) ca_source = "$YUSUAN_TLS_CA";
  }
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      yusuan::ChannelCredentialsFromFlags({{ca_source, ca_file}, {}, {}});
  if (!credentials.ok()) return credentials.status();
  options.credentials = *std::move(credentials);
  return options;
}

Client::Client(const GatewayOptions& options)
    : address_(options.address),
      token_(options.token),
      channel_(grpc::CreateCustomChannel(options.address, options.credentials, yusuan::client::ChannelArguments())),
      stub_(yusuan::gateway::v1::PublicApi::NewStub(channel_)) {}

bool Client::Connect() {
  if (channel_->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(5))) {
    return true;
  }
  std::cerr << "无法连接网关 " << address_ << " / cannot reach the gateway at " << address_
            << "; start it with deploy/local/up.sh (or point --gateway / YUSUAN_GATEWAY at "
               "a running one). 网关启用 TLS 时须给出 --tls_ca_file / a gateway with TLS "
               "needs --tls_ca_file (or $YUSUAN_TLS_CA), a plaintext one neither\n";
  return false;
}

std::unique_ptr<grpc::ClientContext> Client::Context() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(2));
  if (!token_.empty()) context->AddMetadata("authorization", "Bearer " + token_);
  return context;
}

std::unique_ptr<grpc::ClientContext> Client::StreamContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!token_.empty()) context->AddMetadata("authorization", "Bearer " + token_);
  return context;
}

int RunWithGateway(const Args& args, GatewayCommand command) {
  absl::StatusOr<GatewayOptions> gateway = ResolveGateway(args);
  if (!gateway.ok()) {
    std::cerr << "yusuan: " << gateway.status().message() << "\n";
    return kUsage;
  }
  Client client(*gateway);
  return command(client, args);
}

}  // namespace yusuan::cli
