// Force-included first in every file of the ThreadSanitizer build
// (CMakeLists.txt, YUSUAN_TSAN), and nowhere else.
//
// Why: protobuf's MapFieldBase (google/protobuf/map_field.h) has two more
// members when compiled with __SANITIZE_THREAD__. Debian's libprotobuf is
// built without it, so in a TSan build our code (the generated messages
// included) and libprotobuf would disagree on where a map field's data is,
// and reflection over a map field (MessageDifferencer, the JSON printer)
// would read the wrong word. Reading map_field.h once, here, with the macro
// hidden gives it libprotobuf's layout; its include guard keeps it so for
// every later #include. Nothing else in that header changes with the macro.
#ifndef YUSUAN_SERVICES_COMMON_TSAN_PROTOBUF_ABI_H_
#define YUSUAN_SERVICES_COMMON_TSAN_PROTOBUF_ABI_H_

#ifdef __cplusplus
#pragma push_macro("__SANITIZE_THREAD__")
#undef __SANITIZE_THREAD__
#include <google/protobuf/map_field.h>
#pragma pop_macro("__SANITIZE_THREAD__")
#endif

#endif  // YUSUAN_SERVICES_COMMON_TSAN_PROTOBUF_ABI_H_
