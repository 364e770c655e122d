// The floor of a read that carries an answer of a given size: a gRPC
// server doing nothing but answer every call, of any method, with the same
// `answer_bytes` bytes kept in memory. bench/stack.sh measures each read of
// the stack against it, with the read's own request and answer size, so the
// ratio says how much of a call's cost is ours rather than the moving of
// its bytes (bench/README.md § yusuan-sized-answer).
#ifndef YUSUAN_BENCH_LOAD_SIZED_ANSWER_H_
#define YUSUAN_BENCH_LOAD_SIZED_ANSWER_H_

#include <cstddef>

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/support/byte_buffer.h>

namespace yusuan::load {

class SizedAnswerService : public grpc::CallbackGenericService {
 public:
  // The answer's bytes are made once; each call sends them without a copy.
  explicit SizedAnswerService(size_t answer_bytes);

  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* context) override;

 private:
  const grpc::ByteBuffer answer_;
};

}  // namespace yusuan::load

#endif  // YUSUAN_BENCH_LOAD_SIZED_ANSWER_H_
