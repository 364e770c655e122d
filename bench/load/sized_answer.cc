#include "bench/load/sized_answer.h"

#include <string>

namespace yusuan::load {

namespace {

grpc::ByteBuffer AnswerOf(size_t bytes) {
  // Never parsed by yusuan-load; an empty answer must still be one slice
  // (gRPC refuses to send a ByteBuffer that holds none).
  const grpc::Slice slice(std::string(bytes, 'x'));
  return grpc::ByteBuffer(&slice, 1);
}

// One call: read the request (its bytes are dropped), send the answer.
class Reactor : public grpc::ServerGenericBidiReactor {
 public:
  explicit Reactor(const grpc::ByteBuffer& answer) : answer_(answer) { StartRead(&request_); }
  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "no request"));
      return;
    }
    StartWriteAndFinish(&answer_, grpc::WriteOptions(), grpc::Status::OK);
  }
  void OnDone() override { delete this; }

 private:
  grpc::ByteBuffer request_;
  // A copy shares the slice: no byte is copied.
  grpc::ByteBuffer answer_;
};

}  // namespace

SizedAnswerService::SizedAnswerService(size_t answer_bytes) : answer_(AnswerOf(answer_bytes)) {}

grpc::ServerGenericBidiReactor* SizedAnswerService::CreateReactor(grpc::GenericCallbackServerContext*) {
  return new Reactor(answer_);
}

}  // namespace yusuan::load
