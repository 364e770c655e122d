// The invariant checks of the fuzz targets. A failed check prints the
// condition and what the target knew, then aborts: libFuzzer reports that
// as a crash and writes the input that caused it, as for any other crash.
#ifndef YUSUAN_TESTS_FUZZ_FUZZ_CHECK_H_
#define YUSUAN_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

namespace yusuan::fuzz {

// The pieces of a failure's context, streamed (std::string_view too, which
// this Abseil's StrCat does not take).
template <typename... Pieces>
std::string Context(const Pieces&... pieces) {
  std::ostringstream out;
  if constexpr (sizeof...(pieces) > 0) (out << ... << pieces);
  return out.str();
}

[[noreturn]] inline void FailCheck(const char* file, int line, const char* condition, const std::string& context) {
  std::fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n%s\n", file, line, condition, context.c_str());
  std::abort();
}

}  // namespace yusuan::fuzz

// FUZZ_CHECK(condition, context...): the context is built only when the
// condition fails.
#define FUZZ_CHECK(condition, ...)                                                                     \
  do {                                                                                                 \
    if (!(condition)) {                                                                                \
      ::yusuan::fuzz::FailCheck(__FILE__, __LINE__, #condition, ::yusuan::fuzz::Context(__VA_ARGS__)); \
    }                                                                                                  \
  } while (false)

#endif  // YUSUAN_TESTS_FUZZ_FUZZ_CHECK_H_
