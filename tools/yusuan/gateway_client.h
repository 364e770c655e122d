// How every gateway-talking command reaches the gateway: the address, TLS
// and token resolved once from the flags and the environment, one channel
// with the client library's limits, and the bearer token on every call.
#ifndef YUSUAN_TOOLS_YUSUAN_GATEWAY_CLIENT_H_
#define YUSUAN_TOOLS_YUSUAN_GATEWAY_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "tools/yusuan/args.h"
#include "yusuan/gateway/v1/gateway.grpc.pb.h"

namespace yusuan::cli {

struct GatewayOptions {
  std::string address;
  std::shared_ptr<grpc::ChannelCredentials> credentials;  // TLS or insecure
  std::string token;                                      // "" for none
};

// Address: --gateway, else $YUSUAN_GATEWAY, else 127.0.0.1:$YUSUAN_GRPC_PORT,
// else 127.0.0.1:50051. Token: --token, else $YUSUAN_TOKEN. TLS with
// --tls_ca_file, else $YUSUAN_TLS_CA; plaintext without either. An error
// (naming the flag or variable and the file) when the CA cannot be used.
absl::StatusOr<GatewayOptions> ResolveGateway(const Args& args);

class Client {
 public:
  using Stub = yusuan::gateway::v1::PublicApi::Stub;

  explicit Client(const GatewayOptions& options);

  // False, after saying so on stderr, when the gateway does not answer
  // within 5 seconds.
  bool Connect();

  // One call with a 2-minute deadline and the token.
  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, Response*), const Request& request,
                    Response* response) {
    std::unique_ptr<grpc::ClientContext> context = Context();
    return ((*stub_).*rpc)(context.get(), request, response);
  }

  // An ImportFilings stream on `context` (StreamContext): no deadline, since
  // an import lasts as long as its file.
  std::unique_ptr<
      grpc::ClientReaderWriter<yusuan::gateway::v1::ImportFilingsRequest, yusuan::gateway::v1::ImportFilingsResponse>>
  ImportFilings(grpc::ClientContext* context) {
    return stub_->ImportFilings(context);
  }
  // A WatchChanges stream on `context` (StreamContext).
  std::unique_ptr<grpc::ClientReader<yusuan::gateway::v1::WatchChangesResponse>> WatchChanges(
      grpc::ClientContext* context, const yusuan::gateway::v1::WatchChangesRequest& request) {
    return stub_->WatchChanges(context, request);
  }
  // A context with the token and no deadline, for streams.
  // An ExportFilings stream on `context` (StreamContext).
  std::unique_ptr<grpc::ClientReader<yusuan::gateway::v1::ExportFilingsResponse>> ExportFilings(
      grpc::ClientContext* context, const yusuan::gateway::v1::ExportFilingsRequest& request) {
    return stub_->ExportFilings(context, request);
  }
  std::unique_ptr<grpc::ClientContext> StreamContext() const;

  // Calls a List… method 100 at a time until the last page, handing each
  // page to `each`; the first failed call's status.
  template <typename Request, typename Page, typename Each>
  grpc::Status ForEachPage(grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, Page*), Request request,
                           Each each) {
    request.set_page_size(100);
    do {
      Page page;
      grpc::Status status = Call(rpc, request, &page);
      if (!status.ok()) return status;
      each(page);
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    return grpc::Status::OK;
  }

 private:
  std::unique_ptr<grpc::ClientContext> Context() const;

  std::string address_;
  std::string token_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<Stub> stub_;
};

using GatewayCommand = int (*)(Client& client, const Args& args);

// Resolves the gateway and runs `command` with a client for it; a CA that
// cannot be used is a usage error, told before the command runs.
int RunWithGateway(const Args& args, GatewayCommand command);

}  // namespace yusuan::cli

#endif  // YUSUAN_TOOLS_YUSUAN_GATEWAY_CLIENT_H_
